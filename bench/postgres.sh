#!/usr/bin/env bash
# The PostgreSQL store beside the file-system store, in one run (issue #11): GET and PUT of a large file, random
# 64 KiB ranges, 10,000 small PUTs, PROPFIND Depth 1 of those 10,000 files, and each server's peak memory during a
# 4 GiB upload and download (a fresh process for that, so its peak is not an earlier test's). The PostgreSQL store runs
# with its node-local content cache (a folder of $work): GET and ranges are measured from the rows (the cache emptied
# before each GET, so each is a first read, which also writes the copy) and from the cache (warm), beside the file
# system's one figure.
# Usage: bench/postgres.sh [large MiB, default 1024] [huge MiB, default 4096] [small files, default 10000].
# PostgreSQL runs as a private cluster in a temporary folder (Unix socket only, durable default settings: every commit
# waits for the disk, as the file-system store's do), stopped and deleted at the end.
set -euo pipefail

size_mib=${1:-1024}
huge_mib=${2:-4096}
files=${3:-10000}
runs=3
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$repo/bench/common.sh"
bench_init bench-postgres

need=()
command -v wrk >/dev/null || need+=(wrk)
command -v curl >/dev/null || need+=(curl)
command -v python3 >/dev/null || need+=(python3)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
install_missing "${need[@]}"

build_server

start_private_postgres -c max_wal_size=4GB -c shared_buffers=512MB

cat >"$work/stream.py" <<'PY'
import http.client, os, sys, time
port, path, total = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
block, chunk = 16 << 20, 1 << 20
pool = memoryview(os.urandom(block))
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=3600)
conn.putrequest("PUT", path)
conn.putheader("Content-Length", str(total))
conn.endheaders()
start, sent = time.perf_counter(), 0
while sent < total:
    n = min(chunk, total - sent)
    conn.send(pool[sent % block:sent % block + n])
    sent += n
response = conn.getresponse()
response.read()
if response.status not in (201, 204):
    sys.exit(f"status {response.status}")
print(f"{time.perf_counter() - start:.3f}")
PY

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
hwm() { awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }
rss() { awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }

head -c $((size_mib * 1024 * 1024)) /dev/urandom >"$work/large.bin"
head -c 4096 /dev/urandom >"$work/small.bin"
large_size=$(stat -c %s "$work/large.bin")
for i in $(seq -w 1 "$files"); do
    printf 'upload-file = "%s"\nurl = "http://127.0.0.1:PORT/many/f%s.bin"\n' "$work/small.bin" "$i"
done >"$work/small-puts.template"

declare -A result
cache="$work/content-cache"
# Empties the PostgreSQL store's content cache (its copies are files under one folder per database).
forget() { rm -rf "$cache"/*/; }
gets() { # url: the median of $runs GETs in MiB/s; with "cold", the cache is emptied before each
    for _ in $(seq $runs); do
        [[ ${2:-} == cold ]] && forget
        curl -sS -f -o /dev/null -w '%{speed_download}\n' "$1/large.bin"
    done | median | awk '{printf "%.0f", $1 / 1048576}'
}
ranges() { # url: random 64 KiB ranges a second
    BENCH_FILE_SIZE=$large_size wrk -t 2 -c 4 -d 10s -s "$repo/bench/random-range.lua" "$1/large.bin" | awk '/Requests\/sec/ {printf "%.0f", $2}'
}
measure() { # name, then the server's arguments
    local name=$1 url
    shift
    start_server "$name" "$@"
    url="http://127.0.0.1:$port"
    cat "$work/large.bin" >/dev/null

    result[$name.put]=$(for i in 1 2; do
        curl -sS -f -H 'Expect:' -T "$work/large.bin" "$url/large.bin" -o /dev/null -w '%{speed_upload}\n'
    done | median | awk '{printf "%.0f", $1 / 1048576}')
    forget
    result[$name.ranges]=$(ranges "$url")
    result[$name.get]=$(gets "$url" cold)
    cmp -s "$work/large.bin" <(curl -sS -f "$url/large.bin") || { echo "$name: GET differs from what was PUT" >&2; exit 1; }
    result[$name.warm]=$(gets "$url")
    cmp -s "$work/large.bin" <(curl -sS -f "$url/large.bin") || { echo "$name: cached GET differs from what was PUT" >&2; exit 1; }
    result[$name.warmranges]=$(ranges "$url")

    curl -sS -f -X MKCOL "$url/many/" -o /dev/null
    sed "s/PORT/$port/" "$work/small-puts.template" >"$work/small-puts.$name"
    local t0 t1
    t0=$(date +%s.%N)
    curl -sS -f --no-progress-meter --parallel --parallel-max 8 -K "$work/small-puts.$name" -o /dev/null
    t1=$(date +%s.%N)
    result[$name.small]=$(awk -v n="$files" -v a="$t0" -v b="$t1" 'BEGIN {printf "%.0f", n / (b - a)}')
    result[$name.propfind]=$(for _ in $(seq $runs); do
        curl -sS -f -X PROPFIND -H 'Depth: 1' "$url/many/" -o "$work/propfind.$name" -w '%{time_total}\n'
    done | median | awk '{printf "%.0f", $1 * 1000}')
    local members
    members=$(grep -o '<D:response>' "$work/propfind.$name" | wc -l)
    ((members == files + 1)) || { echo "$name: PROPFIND listed $members responses, not $((files + 1))" >&2; exit 1; }
    kill "$server_pid"
    wait "$server_pid" 2>/dev/null || true

    # A fresh process for the huge transfers, so its peak memory is theirs.
    start_server "$name-huge" "$@"
    url="http://127.0.0.1:$port"
    sleep 1
    result[$name.idle]=$(rss "$server_pid")
    python3 "$work/stream.py" "$port" /huge.bin $((huge_mib * 1024 * 1024)) >/dev/null
    curl -sS -f -o /dev/null "$url/huge.bin"
    curl -sS -f -o /dev/null "$url/huge.bin"
    result[$name.peak]=$(hwm "$server_pid")
    result[$name.copies]=0
    [[ -d $cache ]] && result[$name.copies]=$(du -sm "$cache" | cut -f1)
    kill "$server_pid"
    wait "$server_pid" 2>/dev/null || true
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
mkdir -p "$work/root-fs"
measure filesystem --store filesystem --root "$work/root-fs"
rm -rf "$work/root-fs"
measure postgres --store postgres --connection-string "$connection" --content-cache "$cache" --content-cache-size $(((huge_mib + 64) * 1048576))
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

row() { # label, key, unit, better (higher|lower)
    printf '| %s | %s %s | %s %s | %s |\n' "$1" "${result[filesystem.$2]}" "$3" "${result[postgres.$2]}" "$3" \
        "$(ratio "${result[postgres.$2]}" "${result[filesystem.$2]}")"
}
printf '%s MiB file, %s small files, %s cores, load average %s before and %s after\n\n' "$size_mib" "$files" "$(nproc)" "$load_before" "$load_after"
printf '| Measurement | File system | PostgreSQL | PostgreSQL / file system |\n|---|---|---|---|\n'
row "PUT of $size_mib MiB" put MiB/s
row "GET of $size_mib MiB (PostgreSQL: from the rows, first read)" get MiB/s
printf '| GET of %s MiB, PostgreSQL from the node cache (warm) | %s MiB/s | %s MiB/s | %s |\n' "$size_mib" "${result[filesystem.warm]}" \
    "${result[postgres.warm]}" "$(ratio "${result[postgres.warm]}" "${result[filesystem.warm]}")"
row "random 64 KiB ranges (wrk -t2 -c4; PostgreSQL: from the rows)" ranges req/s
printf '| random 64 KiB ranges, PostgreSQL from the node cache | %s req/s | %s req/s | %s |\n' "${result[filesystem.warmranges]}" \
    "${result[postgres.warmranges]}" "$(ratio "${result[postgres.warmranges]}" "${result[filesystem.warmranges]}")"
row "$files small PUTs (4 KiB, 8 in parallel)" small PUT/s
row "PROPFIND Depth 1 of $files files" propfind ms
printf '| peak RSS, %s MiB PUT then 2 GETs (idle before; PostgreSQL: the first from the rows, copying, the second from the copy, %s MiB cached) | %s MiB (%s) | %s MiB (%s) | |\n' "$huge_mib" \
    "${result[postgres.copies]:-0}" "${result[filesystem.peak]}" "${result[filesystem.idle]}" "${result[postgres.peak]}" "${result[postgres.idle]}"
