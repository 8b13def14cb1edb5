#!/usr/bin/env bash
# Runs every test: builds the solution, runs all .NET test projects, then litmus (suites basic, copymove, props, locks
# and http) against a real server for each store. Needs only the .NET SDK; litmus, curl and aria2c are installed from
# Debian's packages when missing. Ends with "tests: N passed, N failed" and a non-zero exit when anything failed.
#
# Outputs (logs, test results, litmus traces) go to .test-output/. Set DAVIT_ARTIFACTS=/some/dir to build into
# that folder instead of the projects' bin/ folders.
set -euo pipefail

started=$SECONDS
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out="$repo/.test-output"
litmus_suites="basic copymove props locks http"
stores="filesystem memory"
server_start_timeout=60
server_stop_timeout=10
litmus_timeout=900

passed=0
failed=0
problems=()

say() { printf '==> %s\n' "$*"; }
problem() { problems+=("$*"); printf 'FAILED: %s\n' "$*"; }

# Stops the running server, if any: SIGTERM, then SIGKILL when it has not exited in time. Sets stopped_code to its
# exit code. Runs in the main shell (never in $(...)), because only the shell that started it can wait for it.
server_pid=""
stopped_code=0
stop_server() {
    local waited=0
    stopped_code=0
    [[ -z $server_pid ]] && return 0
    if kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid" 2>/dev/null || true
        while kill -0 "$server_pid" 2>/dev/null && ((waited < server_stop_timeout * 10)); do
            sleep 0.1
            waited=$((waited + 1))
        done
        if kill -0 "$server_pid" 2>/dev/null; then
            printf 'server %s did not stop within %ss; killing it\n' "$server_pid" "$server_stop_timeout" >&2
            kill -KILL "$server_pid" 2>/dev/null || true
        fi
    fi
    wait "$server_pid" 2>/dev/null || stopped_code=$?
    server_pid=""
}

# Never leave a server behind, whatever ends the script.
trap stop_server EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- tools -----------------------------------------------------------------------------------------------------
install_tools() {
    local missing=() sudo=()
    command -v litmus >/dev/null 2>&1 || missing+=(litmus)
    command -v curl >/dev/null 2>&1 || missing+=(curl)
    command -v aria2c >/dev/null 2>&1 || missing+=(aria2)
    ((${#missing[@]} == 0)) && return 0
    say "installing ${missing[*]} from Debian's packages"
    if [[ $(id -u) -ne 0 ]]; then
        if ! command -v sudo >/dev/null 2>&1; then
            echo "test.sh: ${missing[*]} missing; run as root or install sudo (Debian: apt-get install ${missing[*]})" >&2
            exit 1
        fi
        sudo=(sudo)
    fi
    "${sudo[@]}" apt-get update
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
}

# --- build and .NET tests ----------------------------------------------------------------------------------------
artifacts=()
server_dll="$repo/src/Davit.Server/bin/Release/net10.0/Davit.Server.dll"
if [[ -n ${DAVIT_ARTIFACTS:-} ]]; then
    artifacts=(--artifacts-path "$DAVIT_ARTIFACTS")
    server_dll="$DAVIT_ARTIFACTS/bin/Davit.Server/release/Davit.Server.dll"
fi

run_dotnet_tests() {
    local log="$out/dotnet-test.log" status=0 line p f
    say "dotnet test (all test projects)"
    set +e
    dotnet test "$repo/Davit.slnx" -c Release --no-build "${artifacts[@]}" \
        --results-directory "$out/test-results" --logger "trx" 2>&1 | tee "$log"
    status=${PIPESTATUS[0]}
    set -e

    local found=0
    while IFS= read -r line; do
        p=$(sed -E 's/.*Passed:[[:space:]]*([0-9]+).*/\1/' <<<"$line")
        f=$(sed -E 's/.*Failed:[[:space:]]*([0-9]+).*/\1/' <<<"$line")
        passed=$((passed + p))
        failed=$((failed + f))
        found=1
        if ((f > 0)); then
            problem "dotnet test: $(sed -E 's/.* - ([^ ]+\.dll).*/\1/' <<<"$line"): $f failed"
        fi
    done < <(grep -E '(Passed|Failed)! +- Failed: +[0-9]+, Passed: +[0-9]+' "$log" || true)

    if ((status != 0)); then
        # A crashed test host or a build problem leaves no summary line to count; count it as one failure.
        if ! grep -qE 'Failed! +- Failed: +[1-9]' "$log"; then
            failed=$((failed + 1))
        fi
        problem "dotnet test exited with code $status (see $log)"
    elif ((found == 0)); then
        problem "dotnet test reported no test results (see $log)"
        failed=$((failed + 1))
    fi
}

# --- litmus ------------------------------------------------------------------------------------------------------
# Starts the built server for one store, runs litmus against it, stops it, and counts the suites' results.
run_litmus() {
    local store=$1 dir="$out/litmus-$store" port="" waited=0
    rm -rf "$dir"
    mkdir -p "$dir/root"
    say "litmus against the $store store"

    dotnet "$server_dll" --store "$store" --root "$dir/root" --urls "http://127.0.0.1:0" \
        --log-file "$dir/server.log" >"$dir/server.out" 2>&1 </dev/null &
    server_pid=$!

    # The port is the OS's choice; the server prints it ("Now listening on: http://127.0.0.1:NNNN").
    while ((waited < server_start_timeout * 10)); do
        port=$(grep -oE 'Now listening on: http://127\.0\.0\.1:[0-9]+' "$dir/server.out" | head -n1 | sed -E 's/.*://' || true)
        [[ -n $port ]] && break
        kill -0 "$server_pid" 2>/dev/null || break
        sleep 0.1
        waited=$((waited + 1))
    done
    if [[ -z $port ]]; then
        cat "$dir/server.out" >&2
        stop_server
        problem "litmus ($store): the server did not start (exit code $stopped_code; see $dir/server.out)"
        failed=$((failed + 1))
        return 0
    fi

    local url="http://127.0.0.1:$port/"
    printf 'server on %s (pid %s); OPTIONS / answered %s\n' "$url" "$server_pid" \
        "$(curl -s -o /dev/null -m 10 -X OPTIONS -w '%{http_code}' "$url" || true)"

    # litmus writes debug.log into the current directory. -k runs every suite even after a failure.
    (cd "$dir" && TESTS="$litmus_suites" timeout "$litmus_timeout" litmus -k "$url") >"$dir/litmus.out" 2>&1 || true

    stop_server
    if ((stopped_code != 0)); then
        problem "litmus ($store): the server exited with code $stopped_code after SIGTERM (see $dir/server.out)"
    fi

    local suite line run ok bad
    for suite in $litmus_suites; do
        line=$(grep -E "<- summary for \`$suite'" "$dir/litmus.out" | tail -n1 || true)
        if [[ -z $line ]]; then
            problem "litmus ($store): suite $suite printed no summary (see $dir/litmus.out)"
            failed=$((failed + 1))
            continue
        fi
        printf '%-10s %s\n' "$store" "$line"
        run=$(sed -E 's/.*of ([0-9]+) tests run.*/\1/' <<<"$line")
        ok=$(sed -E 's/.*: ([0-9]+) passed.*/\1/' <<<"$line")
        bad=$(sed -E 's/.*, ([0-9]+) failed.*/\1/' <<<"$line")
        passed=$((passed + ok))
        failed=$((failed + bad))
        if ((bad > 0 || ok != run)); then
            problem "litmus ($store): suite $suite: $bad of $run failed"
        fi
    done
    grep -E 'WARNING|FAIL|skipped' "$dir/litmus.out" | sed "s/^/$store: /" || true
}

# --- main --------------------------------------------------------------------------------------------------------
cd "$repo"
rm -rf "$out"
mkdir -p "$out"
install_tools

say "dotnet build (Release)"
if ! dotnet build "$repo/Davit.slnx" -c Release "${artifacts[@]}" 2>&1 | tee "$out/build.log"; then
    problem "the build failed (see $out/build.log)"
    printf 'tests: %d passed, %d failed\n' "$passed" "$((failed + 1))"
    printf 'elapsed: %ds\n' "$((SECONDS - started))"
    exit 1
fi

run_dotnet_tests
for store in $stores; do
    run_litmus "$store"
done

printf '\n'
if ((${#problems[@]} > 0)); then
    printf 'Problems:\n'
    printf '  %s\n' "${problems[@]}"
fi
printf 'elapsed: %ds\n' "$((SECONDS - started))"
printf 'tests: %d passed, %d failed\n' "$passed" "$failed"
if ((failed > 0 || ${#problems[@]} > 0)); then
    exit 1
fi
