#!/usr/bin/env bash
# Runs every test: builds the solution, starts a private PostgreSQL cluster (initdb into a temporary folder, as the
# postgres user when run as root, listening only on a Unix socket there; stopped and deleted at the end, and never any
# other cluster), runs all .NET test projects, then, against a real server for each store (file system, memory,
# PostgreSQL),
# litmus (suites basic, copymove, props, locks, http and largefile) and lockbomb (tests/lockbomb: many threads locking
# and unlocking through the neon client library) and a mixed load (tests/Davit.LoadMix: 16 clients for 60 s on one
# shared tree, every answer checked), and litmus once more (basic, copymove, props, locks, http) with a user
# name and password against the file-system and PostgreSQL stores served with a users file. then real clients against the file-system
# store (scripts/test-clients.sh): rclone (plain and ownCloud dialects), cadaver, and davfs2 where FUSE mounts work. Needs only the .NET SDK: curl, aria2c,
# strace, rclone, cadaver, davfs2, a C compiler, neon's headers, PostgreSQL, Node.js and npm are installed from Debian's
# packages when missing, tus-js-client from the npm registry (pinned by tests/tus-js-client/package-lock.json), and
# litmus is built from Debian's source package (pinned
# by version and SHA-256; Debian's binary package is 0.13, which lacks largefile). Ends with
# "tests: N passed, N failed" and a non-zero exit when anything failed.
#
# Outputs (logs, test results, litmus traces) go to .test-output/; the litmus build is kept in .tools/ for the next
# run. Set DAVIT_ARTIFACTS=/some/dir to build into that folder instead of the projects' bin/ folders.
set -euo pipefail

started=$SECONDS
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out="$repo/.test-output"
litmus_suites="basic copymove props locks http largefile"
# The run with credentials leaves out largefile (two 2 GiB transfers) to keep the script's time down.
litmus_auth_suites="basic copymove props locks http"
litmus_user=litmus
litmus_password="litmus pass: $RANDOM$RANDOM"
litmus_version=0.17
litmus_sha256=686c272ce757cc9d9e83f07ae16ecc83393172b1205559765528d9755eb0221c
litmus_source="http://deb.debian.org/debian/pool/main/l/litmus/litmus_${litmus_version}.orig.tar.gz"
lockbomb_threads=20
lockbomb_iterations=500
# The mixed load (tests/Davit.LoadMix): clients on one shared tree for this long, on each store.
loadmix_clients=16
loadmix_seconds=60
# Every LOCK and UNLOCK on the PostgreSQL store is a committed transaction on a database shared by all servers: the
# same 20 threads, fewer rounds, to keep the script's time down.
lockbomb_iterations_postgres=100
tools="$repo/.tools"
stores="filesystem memory postgres"
server_start_timeout=60
server_stop_timeout=10
litmus_timeout=900
lockbomb_timeout=600
loadmix_timeout=300

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

# Starts the built server with the arguments after the first two, on 127.0.0.1 and a port the OS picks, writing
# server.out and server.log into the folder $1, and waits until it prints the port ("Now listening on:
# http://127.0.0.1:NNNN"). Sets server_pid and server_url. When it does not come up, counts one failure labelled $2
# and returns 1. Runs in the main shell, as stop_server does.
server_url=""
start_server() {
    local dir=$1 label=$2 port="" waited=0
    shift 2
    dotnet "$server_dll" "$@" --urls "http://127.0.0.1:0" --log-file "$dir/server.log" >"$dir/server.out" 2>&1 </dev/null &
    server_pid=$!
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
        problem "$label: the server did not start (exit code $stopped_code; see $dir/server.out)"
        failed=$((failed + 1))
        return 1
    fi
    server_url="http://127.0.0.1:$port/"
}

# --- PostgreSQL ----------------------------------------------------------------------------------------------------
# A private cluster for the PostgreSQL store: its own folder and socket, no TCP. A throwaway: nothing here tests
# PostgreSQL's own durability, so it does not wait for the disk.
pg_bin=""
pg_dir=""
pg_as=()
find_postgres() {
    local dir
    pg_bin=""
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n -r); do
        if [[ -x $dir/initdb && -x $dir/pg_ctl && -x $dir/psql ]]; then
            pg_bin=$dir
            return 0
        fi
    done
    return 1
}

start_postgres() {
    pg_dir=$(mktemp -d /tmp/davit-pg-XXXXXX)
    if [[ $(id -u) -eq 0 ]]; then
        chown postgres:postgres "$pg_dir"
        pg_as=(setpriv --reuid=postgres --regid=postgres --init-groups --)
    fi
    say "starting a private PostgreSQL cluster in $pg_dir ($pg_bin)"
    "${pg_as[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -U postgres -A trust -E UTF8 --no-locale --no-sync >"$out/postgres-initdb.log" 2>&1
    "${pg_as[@]}" "$pg_bin/pg_ctl" start -D "$pg_dir/data" -w -t 60 -l "$pg_dir/server.log" \
        -o "-c listen_addresses='' -k $pg_dir -p 5432 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
        >"$out/postgres-start.log" 2>&1
    export DAVIT_TEST_POSTGRES="Host=$pg_dir;Port=5432;Username=postgres;Database=postgres"
}

stop_postgres() {
    [[ -z $pg_dir ]] && return 0
    "${pg_as[@]}" "$pg_bin/pg_ctl" stop -D "$pg_dir/data" -m fast -w -t 30 >/dev/null 2>&1 || true
    cp "$pg_dir/server.log" "$out/postgres-server.log" 2>/dev/null || true
    rm -rf "$pg_dir"
    pg_dir=""
}

# A fresh database in the private cluster; prints its connection string.
create_database() {
    "$pg_bin/psql" -h "$pg_dir" -U postgres -d postgres -qAt -c "CREATE DATABASE $1" >/dev/null
    printf 'Host=%s;Port=5432;Username=postgres;Database=%s' "$pg_dir" "$1"
}

# Never leave a server or a cluster behind, whatever ends the script.
trap 'stop_server; stop_postgres' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- tools -----------------------------------------------------------------------------------------------------
sudo=()
apt_install() {
    say "installing $* from Debian's packages"
    if [[ $(id -u) -ne 0 ]]; then
        if ! command -v sudo >/dev/null 2>&1; then
            echo "test.sh: $* missing; run as root or install sudo (Debian: apt-get install $*)" >&2
            exit 1
        fi
        sudo=(sudo)
    fi
    "${sudo[@]}" apt-get update
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@"
}

install_tools() {
    local missing=()
    command -v curl >/dev/null 2>&1 || missing+=(curl)
    command -v aria2c >/dev/null 2>&1 || missing+=(aria2)
    command -v strace >/dev/null 2>&1 || missing+=(strace)
    command -v rclone >/dev/null 2>&1 || missing+=(rclone)
    command -v cadaver >/dev/null 2>&1 || missing+=(cadaver)
    command -v mount.davfs >/dev/null 2>&1 || missing+=(davfs2)
    command -v gcc >/dev/null 2>&1 || missing+=(gcc)
    command -v make >/dev/null 2>&1 || missing+=(make)
    command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
    [[ -e /usr/include/stdio.h ]] || missing+=(libc6-dev)
    [[ -e /usr/include/expat.h ]] || missing+=(libexpat1-dev)
    pkg-config --exists neon 2>/dev/null || missing+=(libneon27-gnutls-dev)
    # The browser page's tests drive Debian's Chromium; its assets are rebuilt from ui/ with Node.js to check them,
    # and tus-js-client runs under Node.js too.
    [[ -x /usr/bin/chromium ]] || missing+=(chromium)
    command -v node >/dev/null 2>&1 || missing+=(nodejs)
    command -v npm >/dev/null 2>&1 || missing+=(npm)
    command -v setpriv >/dev/null 2>&1 || missing+=(util-linux)
    find_postgres || missing+=(postgresql)
    ((${#missing[@]} == 0)) || apt_install "${missing[@]}"
}

# The browser page's assets are committed (src/Davit/Browser/Assets), so the server needs no Node.js. This rebuilds
# them from ui/ with the pinned packages (package-lock.json) and counts one test: the fresh build must match.
check_browser_assets() {
    local fresh log="$out/browser-assets.log"
    say "browser page assets (ui/): fresh build against the committed one"
    fresh=$(mktemp -d)
    if (cd "$repo/ui" && npm ci --no-audit --no-fund && npm run check && node build.mjs --outdir "$fresh") >"$log" 2>&1 &&
        diff -r "$fresh" "$repo/src/Davit/Browser/Assets" >>"$log" 2>&1; then
        passed=$((passed + 1))
    else
        tail -n 20 "$log" >&2
        problem "the committed browser assets differ from a fresh build of ui/ (run: cd ui && npm ci && npm run build; see $log)"
        failed=$((failed + 1))
    fi
    rm -rf "$fresh"
}

# Builds litmus from Debian's source package into .tools/ (once; later runs reuse it), with the neon copy it bundles.
# Sets litmus_bin. When the pinned source cannot be fetched (Debian keeps only current versions in its pool), falls
# back to Debian's binary package, litmus 0.13, which has no largefile suite, and says so.
litmus_bin=""
prepare_litmus() {
    local prefix="$tools/litmus-$litmus_version" work
    if [[ -x $prefix/bin/litmus && -x $prefix/libexec/litmus/largefile ]]; then
        litmus_bin="$prefix/bin/litmus"
        return 0
    fi

    say "building litmus $litmus_version from Debian's source package"
    work=$(mktemp -d)
    if ! curl -fsS -m 300 -o "$work/litmus.tar.gz" "$litmus_source"; then
        rm -rf "$work"
        say "NOTE: $litmus_source could not be fetched; using Debian's litmus package (0.13) without largefile"
        command -v litmus >/dev/null 2>&1 || apt_install litmus
        litmus_bin=litmus
        litmus_suites="${litmus_suites/ largefile/}"
        return 0
    fi
    if ! echo "$litmus_sha256  $work/litmus.tar.gz" | sha256sum -c --quiet -; then
        rm -rf "$work"
        echo "test.sh: $litmus_source does not have the pinned SHA-256 $litmus_sha256" >&2
        exit 1
    fi

    rm -rf "$prefix" "$prefix.partial"
    mkdir -p "$tools"
    if ! (tar xzf "$work/litmus.tar.gz" -C "$work" && cd "$work/litmus-$litmus_version" &&
        ./configure --prefix="$prefix.partial" --with-included-neon --with-expat &&
        make && make largefile && make install && cp largefile "$prefix.partial/libexec/litmus/" &&
        sed -i "s#$prefix.partial#$prefix#g" "$prefix.partial/bin/litmus") >"$out/litmus-build.log" 2>&1; then
        rm -rf "$work"
        echo "test.sh: building litmus failed (see $out/litmus-build.log)" >&2
        exit 1
    fi
    rm -rf "$work"
    mv "$prefix.partial" "$prefix"
    litmus_bin="$prefix/bin/litmus"
}

# Builds tests/lockbomb against Debian's neon. Sets lockbomb_bin, or leaves it empty and records a problem.
lockbomb_bin=""
build_lockbomb() {
    say "building lockbomb (tests/lockbomb)"
    # shellcheck disable=SC2046 # pkg-config prints several words on purpose
    if gcc -O2 -Wall -Wextra -Werror $(pkg-config --cflags neon) -o "$out/lockbomb" "$repo/tests/lockbomb/lockbomb.c" \
        $(pkg-config --libs neon) -lpthread >"$out/lockbomb-build.log" 2>&1; then
        lockbomb_bin="$out/lockbomb"
    else
        cat "$out/lockbomb-build.log" >&2
        problem "lockbomb did not build (see $out/lockbomb-build.log)"
        failed=$((failed + 1))
    fi
}

# Installs tus-js-client (the version pinned in its package-lock.json) for the tests that run it with Node.js.
prepare_tus_js_client() {
    say "npm ci (tests/tus-js-client)"
    if ! (cd "$repo/tests/tus-js-client" && npm ci --no-audit --no-fund) >"$out/npm-ci.log" 2>&1; then
        cat "$out/npm-ci.log" >&2
        problem "npm ci in tests/tus-js-client failed (see $out/npm-ci.log); the tus-js-client tests will fail"
        failed=$((failed + 1))
    fi
}

# --- build and .NET tests ----------------------------------------------------------------------------------------
artifacts=()
server_dll="$repo/src/Davit.Server/bin/Release/net10.0/Davit.Server.dll"
loadmix_dll="$repo/tests/Davit.LoadMix/bin/Release/net10.0/Davit.LoadMix.dll"
if [[ -n ${DAVIT_ARTIFACTS:-} ]]; then
    artifacts=(--artifacts-path "$DAVIT_ARTIFACTS")
    server_dll="$DAVIT_ARTIFACTS/bin/Davit.Server/release/Davit.Server.dll"
    loadmix_dll="$DAVIT_ARTIFACTS/bin/Davit.LoadMix/release/Davit.LoadMix.dll"
fi

run_dotnet_tests() {
    local log="$out/dotnet-test.log" status=0 browser_status=0 line p f
    say "dotnet test (all test projects)"
    set +e
    # The browser tests time page loads and throttled uploads, so they run after the others, not beside them.
    dotnet test "$repo/Davit.slnx" -c Release --no-build "${artifacts[@]}" --filter "FullyQualifiedName!~Davit.Browser.Tests" \
        --results-directory "$out/test-results" --logger "trx" 2>&1 | tee "$log"
    status=${PIPESTATUS[0]}
    dotnet test "$repo/tests/Davit.Browser.Tests/Davit.Browser.Tests.csproj" -c Release --no-build "${artifacts[@]}" \
        --results-directory "$out/test-results" --logger "trx" 2>&1 | tee -a "$log"
    browser_status=${PIPESTATUS[0]}
    ((browser_status == 0)) || status=$browser_status
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

# --- litmus and lockbomb ------------------------------------------------------------------------------------------
# Starts the built server for one store, runs litmus, lockbomb and the mixed load (tests/Davit.LoadMix) against it,
# stops it, and counts the results (each litmus test, lockbomb and the mixed load as one test each). With "auth" as the second argument, the server gets a users file made
# by its own users command, litmus logs in with a user name and password, and lockbomb (which sends none) is skipped.
run_litmus() {
    local store=$1 auth=${2:-} label=$1 dir suites=$litmus_suites
    local server_args=() credentials=()
    [[ -n $auth ]] && label="$store+auth" && suites=$litmus_auth_suites
    dir="$out/litmus-$label"
    rm -rf "$dir"
    mkdir -p "$dir/root"
    say "litmus against the $label store"

    if [[ -n $auth ]]; then
        if ! printf '%s\n' "$litmus_password" | dotnet "$server_dll" users add "$litmus_user" --password-stdin \
            --users "$dir/users.json" >"$dir/users.out" 2>&1; then
            cat "$dir/users.out" >&2
            problem "litmus ($label): the users command failed (see $dir/users.out)"
            failed=$((failed + 1))
            return 0
        fi
        server_args=(--users "$dir/users.json")
        credentials=("$litmus_user" "$litmus_password")
    fi

    if [[ $store == postgres ]]; then
        server_args+=(--connection-string "$(create_database "litmus_${label//[^a-z]/_}")" --content-cache "$dir/content-cache")
    fi

    start_server "$dir" "litmus ($label)" --store "$store" --root "$dir/root" "${server_args[@]}" || return 0

    local url=$server_url anonymous
    anonymous=$(curl -s -o /dev/null -m 10 -X OPTIONS -w '%{http_code}' "$url" || true)
    printf 'server on %s (pid %s); OPTIONS / answered %s\n' "$url" "$server_pid" "$anonymous"
    # With a users file, the server must refuse a request without credentials, or the run proves nothing.
    if [[ -n $auth && $anonymous != 401 ]]; then
        problem "litmus ($label): OPTIONS without credentials answered $anonymous, not 401"
        failed=$((failed + 1))
    fi

    # litmus writes debug.log into the current directory. -k runs every suite even after a failure.
    (cd "$dir" && TESTS="$suites" timeout "$litmus_timeout" "$litmus_bin" -k "$url" "${credentials[@]}") >"$dir/litmus.out" 2>&1 || true

    local bomb=""
    if [[ -n $lockbomb_bin && -z $auth ]]; then
        local iterations=$lockbomb_iterations
        [[ $store == postgres ]] && iterations=$lockbomb_iterations_postgres
        timeout "$lockbomb_timeout" "$lockbomb_bin" "$url" "$lockbomb_threads" "$iterations" \
            >"$dir/lockbomb.out" 2>&1 || true
        bomb=$(grep -E '^lockbomb: ' "$dir/lockbomb.out" | tail -n1 || true)
    fi

    # The mixed load: every status explained by some serial order, no 5xx, nothing lost or torn.
    local mixed=""
    if [[ -z $auth ]]; then
        timeout "$loadmix_timeout" dotnet "$loadmix_dll" "$url" --clients "$loadmix_clients" --seconds "$loadmix_seconds" \
            >"$dir/loadmix.out" 2>&1 || true
        mixed=$(grep -E '^loadmix: (ok|FAILED) ' "$dir/loadmix.out" | tail -n1 || true)
    fi

    stop_server
    if ((stopped_code != 0)); then
        problem "litmus ($label): the server exited with code $stopped_code after SIGTERM (see $dir/server.out)"
    fi

    local suite line run ok bad
    for suite in $suites; do
        line=$(grep -E "<- summary for \`$suite'" "$dir/litmus.out" | tail -n1 || true)
        if [[ -z $line ]]; then
            problem "litmus ($label): suite $suite printed no summary (see $dir/litmus.out)"
            failed=$((failed + 1))
            continue
        fi
        printf '%-15s %s\n' "$label" "$line"
        run=$(sed -E 's/.*of ([0-9]+) tests run.*/\1/' <<<"$line")
        ok=$(sed -E 's/.*: ([0-9]+) passed.*/\1/' <<<"$line")
        bad=$(sed -E 's/.*, ([0-9]+) failed.*/\1/' <<<"$line")
        passed=$((passed + ok))
        failed=$((failed + bad))
        if ((bad > 0 || ok != run)); then
            problem "litmus ($label): suite $suite: $bad of $run failed"
        fi
    done
    grep -E 'WARNING|FAIL|skipped' "$dir/litmus.out" | sed "s/^/$label: /" || true

    # Every request litmus made with credentials was authenticated: no failed login in the log.
    if [[ -n $auth ]] && grep -q 'Failed login' "$dir/server.log"; then
        problem "litmus ($label): the server logged failed logins (see $dir/server.log)"
        failed=$((failed + 1))
    fi

    if [[ -z $auth ]]; then
        printf '%-15s %s\n' "$store" "${mixed:-loadmix: no result}"
        if [[ $mixed == "loadmix: ok "* ]]; then
            passed=$((passed + 1))
        else
            sed "s/^/$store: /" "$dir/loadmix.out"
            problem "loadmix ($store) failed (see $dir/loadmix.out)"
            failed=$((failed + 1))
        fi
    fi

    if [[ -n $lockbomb_bin && -z $auth ]]; then
        printf '%-15s %s\n' "$store" "${bomb:-lockbomb: no result}"
        if [[ $bomb == "lockbomb: ok "* ]]; then
            passed=$((passed + 1))
        else
            sed "s/^/$store: /" "$dir/lockbomb.out"
            problem "lockbomb ($store) failed (see $dir/lockbomb.out)"
            failed=$((failed + 1))
        fi
    fi
}

# --- real clients (rclone, cadaver, davfs2) ------------------------------------------------------------------------
# shellcheck source=scripts/test-clients.sh
source "$repo/scripts/test-clients.sh"

# --- main --------------------------------------------------------------------------------------------------------
cd "$repo"
rm -rf "$out"
mkdir -p "$out"
install_tools
find_postgres
prepare_litmus
build_lockbomb
prepare_tus_js_client
start_postgres

say "dotnet build (Release)"
if ! dotnet build "$repo/Davit.slnx" -c Release "${artifacts[@]}" 2>&1 | tee "$out/build.log"; then
    problem "the build failed (see $out/build.log)"
    printf 'tests: %d passed, %d failed\n' "$passed" "$((failed + 1))"
    printf 'elapsed: %ds\n' "$((SECONDS - started))"
    exit 1
fi

run_dotnet_tests
check_browser_assets
for store in $stores; do
    run_litmus "$store"
done
run_litmus filesystem auth
run_litmus postgres auth
run_rclone
run_cadaver
run_davfs2

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
