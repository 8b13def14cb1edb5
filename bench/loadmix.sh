#!/usr/bin/env bash
# The long mixed load: tests/Davit.LoadMix (C clients on one shared tree: PUT, GET, MOVE, COPY, DELETE, LOCK and a PUT
# under the lock, UNLOCK, PROPPATCH, PROPFIND, If-Match increments of a counter, and each client's own files read
# back) against a fresh server for each store, every answer checked against what some serial order allows, and at
# the end every file against what its writer last got acknowledged. scripts/test.sh runs the short version (16 clients,
# 60 s); this one defaults to 32 clients for 5 minutes per store.
# Usage: bench/loadmix.sh [clients, default 32] [seconds per store, default 300] [stores, default "filesystem memory
# postgres"]. The PostgreSQL store runs on a private cluster in a temporary folder (Debian's postgresql package is
# installed when missing), stopped and deleted at the end.
set -euo pipefail

clients=${1:-32}
seconds=${2:-300}
stores=${3:-filesystem memory postgres}
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$repo/bench/common.sh"
bench_init loadmix

if [[ " $stores " == *" postgres "* ]]; then
    ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || install_missing postgresql
fi
build_server
if ! dotnet build "$repo/tests/Davit.LoadMix/Davit.LoadMix.csproj" -c Release --artifacts-path "$work/build" -v q -nologo \
    >"$work/loadmix-build.log" 2>&1; then
    cat "$work/loadmix-build.log" >&2
    exit 1
fi
loadmix_dll="$work/build/bin/Davit.LoadMix/release/Davit.LoadMix.dll"

status=0
for store in $stores; do
    mkdir -p "$work/root-$store"
    if [[ $store == postgres ]]; then
        start_private_postgres -c max_wal_size=4GB -c shared_buffers=512MB
        start_server "$store" --store postgres --connection-string "$connection" --content-cache "$work/cache-$store" --Logging:LogLevel:Default Warning
    else
        start_server "$store" --store "$store" --root "$work/root-$store" --Logging:LogLevel:Default Warning
    fi
    printf '== %s store, load average %s\n' "$store" "$(cut -d' ' -f1-3 /proc/loadavg)"
    dotnet "$loadmix_dll" "http://127.0.0.1:$port/" --clients "$clients" --seconds "$seconds" || status=1
    kill "$server_pid"
    wait "$server_pid" 2>/dev/null || true
done
exit "$status"
