# Shared by the bench scripts (sourced, not run, right after the script sets $repo).

# Makes the run's temporary folder $work and the array pids, and sets an EXIT trap that kills every pid in it and
# deletes $work (also on Ctrl+C or an error). A script that has more to clean defines cleanup_more. $1 names the run.
bench_init() {
    work=$(mktemp -d "/tmp/davit-$1-XXXXXX")
    pids=()
    trap bench_cleanup EXIT
}

bench_cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
    if declare -F cleanup_more >/dev/null; then cleanup_more; fi
    if [[ -n ${pg_dir:-} ]]; then
        "${pg_as[@]}" "$pg_bin/pg_ctl" stop -D "$pg_dir/data" -m fast -w >/dev/null 2>&1 || true
        rm -rf "$pg_dir"
    fi
}

# Installs the given Debian packages (with sudo when not root); nothing when none are given.
install_missing() {
    (($#)) || return 0
    local sudo=()
    [[ $(id -u) -ne 0 ]] && sudo=(sudo)
    "${sudo[@]}" apt-get update -qq
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# Builds Davit.Server in Release into $work/build and sets $server_dll; prints the build log and exits on failure.
build_server() {
    if ! dotnet build "$repo/src/Davit.Server/Davit.Server.csproj" -c Release --artifacts-path "$work/build" -v q -nologo \
        >"$work/build.log" 2>&1; then
        cat "$work/build.log" >&2
        echo "the build failed" >&2
        exit 1
    fi
    server_dll="$work/build/bin/Davit.Server/release/Davit.Server.dll"
}

# Starts the built server with the given arguments (plus --urls http://127.0.0.1:0) in this shell, never inside
# $(...), so that the EXIT trap knows its pid. Sets $port (read from "Now listening on") and $server_pid.
# $1 names the log file; the rest are the server's arguments.
start_server() {
    local log="$work/davit-$1.out"
    shift
    port=""
    dotnet "$server_dll" "$@" --urls http://127.0.0.1:0 >"$log" 2>&1 &
    server_pid=$!
    pids+=("$server_pid")
    for _ in $(seq 300); do
        port=$(grep -oE 'Now listening on: http://127\.0\.0\.1:[0-9]+' "$log" | head -n1 | sed -E 's/.*://' || true)
        [[ -n $port ]] && return
        sleep 0.1
    done
    echo "server did not start" >&2
    cat "$log" >&2
    exit 1
}

# Starts a private PostgreSQL cluster in a temporary folder (Unix socket only, no TCP; durable default settings:
# every commit waits for the disk), creates the database "bench" and sets $connection for --connection-string. The
# EXIT trap stops and deletes it. PostgreSQL must be installed (Debian's postgresql package). The arguments are
# more server settings ("-c name=value"), none by default.
start_private_postgres() {
    pg_as=()
    pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -t/ -k5 -n | tail -n1)
    pg_dir=$(mktemp -d /tmp/davit-bench-pg-XXXXXX)
    if [[ $(id -u) -eq 0 ]]; then
        chown postgres:postgres "$pg_dir"
        pg_as=(setpriv --reuid=postgres --regid=postgres --init-groups --)
    fi
    "${pg_as[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -U postgres -A trust -E UTF8 --no-locale >"$work/initdb.log" 2>&1
    "${pg_as[@]}" "$pg_bin/pg_ctl" start -D "$pg_dir/data" -w -l "$pg_dir/server.log" \
        -o "-c listen_addresses='' -k $pg_dir -p 5432 $*" >"$work/pg-start.log" 2>&1
    "$pg_bin/psql" -h "$pg_dir" -U postgres -d postgres -qAt -c "CREATE DATABASE bench" >/dev/null
    connection="Host=$pg_dir;Port=5432;Username=postgres;Database=bench"
}
