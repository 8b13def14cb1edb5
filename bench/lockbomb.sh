#!/usr/bin/env bash
# Lock load benchmark: N workers, each doing M LOCK/UNLOCK pairs on its own file, against the real server, once
# with the file-system store and once with the memory store. Our own equivalent of litmus's "lockbomb" suite (which
# Debian's litmus 0.13 does not have). Reports pairs per second and errors (any LOCK other than 200/201 with a
# Lock-Token, any UNLOCK other than 204).
# Usage: bench/lockbomb.sh [workers, default 20] [pairs per worker, default 2000]. Needs only the .NET SDK.
set -euo pipefail

workers=${1:-20}
pairs=${2:-2000}
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d /tmp/davit-lockbomb-XXXXXX)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

for project in src/Davit.Server/Davit.Server.csproj bench/LockBomb/LockBomb.csproj; do
    dotnet build "$repo/$project" -c Release --artifacts-path "$work/build" -v q -nologo >"$work/build.log" 2>&1 ||
        { cat "$work/build.log" >&2; exit 1; }
done
server_dll="$work/build/bin/Davit.Server/release/Davit.Server.dll"
bomb_dll="$work/build/bin/LockBomb/release/LockBomb.dll"

source "$repo/bench/common.sh"
start_davit() { start_server "$1" --store "$1" --root "$2"; } # store, root; sets $port

bomb() { # port -> "pairs/s errors"
    local out
    out=$(dotnet "$bomb_dll" "http://127.0.0.1:$1/" "$workers" "$pairs" 2>"$work/bomb-$1.err" || true)
    [[ -s $work/bomb-$1.err ]] && sed 's/^/  /' "$work/bomb-$1.err" >&2
    [[ -z $out ]] && { echo "LockBomb produced no result" >&2; exit 1; }
    echo "$out" | sed -E 's/.*pairs_per_second=([0-9]+) errors=([0-9]+).*/\1 \2/'
}

start_davit filesystem "$work/root"
read -r fs_rate fs_errors < <(bomb "$port")
start_davit memory "$work/memroot"
read -r mem_rate mem_errors < <(bomb "$port")

printf '%s workers x %s LOCK/UNLOCK pairs each, own file per worker, keep-alive, loopback, %s cores\n' "$workers" "$pairs" "$(nproc)"
printf '%-18s %14s %8s\n' store "pairs/s" errors
printf '%-18s %14s %8s\n' "davit filesystem" "$fs_rate" "$fs_errors"
printf '%-18s %14s %8s\n' "davit memory" "$mem_rate" "$mem_errors"
