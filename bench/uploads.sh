#!/usr/bin/env bash
# Upload benchmarks: throughput of one large upload to the file-system store, as a plain PUT (curl -T) and as
# 8 MiB Content-Range segments over one keep-alive connection, beside dd writing the same bytes to the same disk with
# conv=fsync in the same run; the same two uploads to the memory store; then the server's peak memory during a very
# large plain PUT, which must stay flat.
# Usage: bench/uploads.sh [upload size in MiB, default 1024] [large upload in MiB, default 4096].
# Needs the .NET SDK, curl and python3.
set -euo pipefail

size_mib=${1:-1024}
big_mib=${2:-4096}
segment_mib=8
runs=3
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$repo/bench/common.sh"
bench_init bench-uploads

for tool in curl python3 dd; do
    command -v "$tool" >/dev/null || { echo "$tool is needed" >&2; exit 1; }
done

# At the worst moment: the source, dd's copy and the staged bytes of the first phase; then the staged bytes and the
# stored file of the large upload.
need_mib=$(( (3 * size_mib > 2 * big_mib ? 3 * size_mib : 2 * big_mib) + 1024 ))
free_mib=$(df -Pm "$work" | awk 'NR == 2 {print $4}')
if ((free_mib < need_mib)); then
    echo "$work has $free_mib MiB free; this run needs about $need_mib MiB" >&2
    exit 1
fi

build_server

# The client: one keep-alive connection (http.client), timing each request. "segments" PUTs a file as Content-Range
# segments and prints the total seconds, the median seconds of the segments before the last, and the seconds of
# the last one (the one that completes the upload, so it includes the commit). "stream" PUTs <bytes> with a
# Content-Length, generated on the fly (a 16 MiB random block, repeated), and prints the total seconds, the seconds
# until the last body byte was handed to the socket, and the status.
cat >"$work/put.py" <<'PY'
import http.client, os, statistics, sys, time

mode, port, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=900)
if mode == "segments":
    source, segment = sys.argv[4], int(sys.argv[5])
    total = os.path.getsize(source)
    times, offset = [], 0
    start = time.perf_counter()
    with open(source, "rb") as f:
        while offset < total:
            data = f.read(segment)
            last = offset + len(data) - 1
            began = time.perf_counter()
            conn.request("PUT", path, body=data, headers={
                "Content-Range": f"bytes {offset}-{last}/{total}",
                "Content-Type": "application/octet-stream"})
            response = conn.getresponse()
            response.read()
            times.append(time.perf_counter() - began)
            offset = last + 1
            expected = (308,) if offset < total else (201, 204)
            if response.status not in expected:
                sys.exit(f"segment ending at {last}: status {response.status}, expected {expected}")
    elapsed = time.perf_counter() - start
    before_last = times[:-1] or times
    print(f"{elapsed:.3f} {statistics.median(before_last):.4f} {times[-1]:.4f}")
elif mode == "stream":
    total = int(sys.argv[4])
    block = 16 << 20
    chunk = 1 << 20
    pool = memoryview(os.urandom(block))
    conn.putrequest("PUT", path)
    conn.putheader("Content-Length", str(total))
    conn.putheader("Content-Type", "application/octet-stream")
    conn.endheaders()
    start = time.perf_counter()
    sent = 0
    while sent < total:
        n = min(chunk, total - sent)
        at = sent % block
        conn.send(pool[at:at + n])
        sent += n
    body = time.perf_counter() - start
    response = conn.getresponse()
    response.read()
    elapsed = time.perf_counter() - start
    if response.status not in (201, 204):
        sys.exit(f"status {response.status}")
    print(f"{elapsed:.3f} {body:.3f} {response.status}")
else:
    sys.exit(f"unknown mode {mode}")
PY

start_davit() { # name [more server options]; sets $port and $server_pid. Uploads in progress live in the store.
    local name=$1
    shift
    mkdir -p "$work/root-$name"
    start_server "$name" --root "$work/root-$name" "$@"
}

now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
mib_s() { awk -v mib="$1" -v s="$2" 'BEGIN {printf "%.0f", mib / s}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
ms() { awk -v s="$1" 'BEGIN {printf "%.0f", s * 1000}'; }

# Each measurement starts with no dirty pages left over from the one before.
settle() { rm -f "$@"; sync; }

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
head -c $((size_mib * 1024 * 1024)) /dev/urandom >"$work/src.bin"
cat "$work/src.bin" >/dev/null # in the page cache for everyone alike
sync

# 1. dd: the same bytes to the same disk, flushed before it returns.
dd_s=$(for _ in $(seq $runs); do
    t0=$(now)
    dd if="$work/src.bin" of="$work/dd.out" bs=8M conv=fsync status=none
    t1=$(now)
    awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}'
    settle "$work/dd.out"
done | median)

start_davit fs
fs_port=$port

# 2. A plain PUT (through an upload session, as every PUT of 1 MiB or more is).
plain_s=$(for i in $(seq $runs); do
    curl -sS -f -H 'Expect:' -T "$work/src.bin" "http://127.0.0.1:$fs_port/plain-$i.bin" -o /dev/null -w '%{time_total}\n'
    cmp -s "$work/src.bin" "$work/root-fs/plain-$i.bin" || { echo "plain PUT $i: content differs" >&2; exit 1; }
    settle "$work/root-fs/plain-$i.bin"
done | median)

# 3. 8 MiB Content-Range segments over one connection; the run with the median total is reported.
for i in $(seq $runs); do
    python3 "$work/put.py" segments "$fs_port" "/seg-$i.bin" "$work/src.bin" $((segment_mib * 1024 * 1024))
    cmp -s "$work/src.bin" "$work/root-fs/seg-$i.bin" || { echo "segmented PUT $i: content differs" >&2; exit 1; }
    settle "$work/root-fs/seg-$i.bin"
done >"$work/segments.txt"
read -r seg_s seg_median_s seg_last_s < <(sort -g "$work/segments.txt" | awk '{a[NR]=$0} END {print a[int((NR+1)/2)]}')
fs_peak_small=$(awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$server_pid/status")
kill "$server_pid"

# 3b. The same two uploads to the memory store, whose finished uploads become their files without a copy too.
start_davit memory --store memory
mem_plain_s=$(for i in $(seq $runs); do
    curl -sS -f -H 'Expect:' -T "$work/src.bin" "http://127.0.0.1:$port/plain-$i.bin" -o /dev/null -w '%{time_total}\n'
    curl -sS -f "http://127.0.0.1:$port/plain-$i.bin" | cmp -s "$work/src.bin" - || { echo "memory plain PUT $i: content differs" >&2; exit 1; }
    curl -sS -f -X DELETE "http://127.0.0.1:$port/plain-$i.bin" -o /dev/null
done | median)
for i in $(seq $runs); do
    python3 "$work/put.py" segments "$port" "/seg-$i.bin" "$work/src.bin" $((segment_mib * 1024 * 1024))
    curl -sS -f "http://127.0.0.1:$port/seg-$i.bin" | cmp -s "$work/src.bin" - || { echo "memory segmented PUT $i: content differs" >&2; exit 1; }
    curl -sS -f -X DELETE "http://127.0.0.1:$port/seg-$i.bin" -o /dev/null
done >"$work/memory.txt"
read -r mem_seg_s mem_seg_median_s mem_seg_last_s < <(sort -g "$work/memory.txt" | awk '{a[NR]=$0} END {print a[int((NR+1)/2)]}')
kill "$server_pid"
settle "$work/src.bin"

# 4. The large upload, to a fresh server, so that its peak resident memory (VmHWM) covers only its start and this
# upload; VmRSS is sampled every 0.2 s as well.
start_davit big
big_pid=$server_pid
idle_rss=$(awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$big_pid/status")
(while [[ -r /proc/$big_pid/status ]]; do
    awk '/VmRSS/ {print $2}' "/proc/$big_pid/status" 2>/dev/null || true
    sleep 0.2
done) >"$work/rss.txt" &
sampler=$!
pids+=("$sampler")
read -r big_s big_body_s big_status < <(python3 "$work/put.py" stream "$port" /big.bin $((big_mib * 1024 * 1024)))
big_hwm=$(awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$big_pid/status")
kill "$sampler" 2>/dev/null || true
big_max_rss=$(sort -n "$work/rss.txt" | tail -n1 | awk '{printf "%.0f", $1 / 1024}')
big_samples=$(wc -l <"$work/rss.txt")
big_size=$(stat -c %s "$work/root-big/big.bin")
[[ $big_size -eq $((big_mib * 1024 * 1024)) ]] || { echo "large upload: stored $big_size bytes" >&2; exit 1; }

dd_rate=$(mib_s "$size_mib" "$dd_s")
plain_rate=$(mib_s "$size_mib" "$plain_s")
seg_rate=$(mib_s "$size_mib" "$seg_s")
commit_s=$(awk -v a="$seg_last_s" -v b="$seg_median_s" 'BEGIN {print a - b}')
big_commit_s=$(awk -v a="$big_s" -v b="$big_body_s" 'BEGIN {print a - b}')

printf '%s, %s cores, load average %s before and %s after, %s MiB upload, file-system store, loopback,\n' \
    "$(date -u +%Y-%m-%d)" "$(nproc)" "$load_before" "$(cut -d' ' -f1-3 /proc/loadavg)" "$size_mib"
printf 'medians of %s runs, source in the page cache\n' "$runs"
printf '%-34s %10s %8s %10s\n' "writer" "seconds" "MiB/s" "vs dd"
printf '%-34s %10.2f %8s %10s\n' "dd bs=8M conv=fsync" "$dd_s" "$dd_rate" 1.00
printf '%-34s %10.2f %8s %10s\n' "davit plain PUT (curl -T)" "$plain_s" "$plain_rate" "$(ratio "$plain_rate" "$dd_rate")"
printf '%-34s %10.2f %8s %10s\n' "davit ${segment_mib} MiB segments (keep-alive)" "$seg_s" "$seg_rate" "$(ratio "$seg_rate" "$dd_rate")"
printf 'segments: median %s ms each before the last; the last (completes the upload and commits it) %s ms:\n' \
    "$(ms "$seg_median_s")" "$(ms "$seg_last_s")"
printf '          the commit of %s MiB adds about %s ms\n' "$size_mib" "$(ms "$commit_s")"
printf 'peak RSS of that server after all the uploads above: %s MiB\n' "$fs_peak_small"
printf 'memory store: plain PUT %.2f s (%s MiB/s); %s MiB segments %.2f s (%s MiB/s), median %s ms each, the last %s ms\n' \
    "$mem_plain_s" "$(mib_s "$size_mib" "$mem_plain_s")" "$segment_mib" "$mem_seg_s" "$(mib_s "$size_mib" "$mem_seg_s")" \
    "$(ms "$mem_seg_median_s")" "$(ms "$mem_seg_last_s")"
printf '%s MiB plain PUT to a fresh server: %.1f s (%s MiB/s), of which %.1f s after the last body byte (the final flush and the commit); status %s\n' \
    "$big_mib" "$big_s" "$(mib_s "$big_mib" "$big_s")" "$big_commit_s" "$big_status"
printf '  server RSS: %s MiB idle before it, %s MiB highest of %s samples (0.2 s), peak VmHWM %s MiB\n' \
    "$idle_rss" "$big_max_rss" "$big_samples" "$big_hwm"
