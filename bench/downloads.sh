#!/usr/bin/env bash
# Download benchmarks for issue #4: GET throughput of a 1 GiB file, and random 64 KiB range reads.
# Davit (file-system store: zero-copy sendfile; memory store: the generic ReadAsync path) is measured beside nginx
# serving the same file from the same disk in the same run, so the ratios hold on a noisy machine.
# Usage: bench/downloads.sh [size-in-MiB, default 1024]. Installs nginx, wrk and curl from Debian when missing.
set -euo pipefail

size_mib=${1:-1024}
runs=3
range_seconds=10
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$repo/bench/common.sh"
bench_init bench-downloads

need=()
command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || need+=(nginx-light)
command -v wrk >/dev/null || need+=(wrk)
command -v curl >/dev/null || need+=(curl)
install_missing "${need[@]}"
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)

build_server

mkdir -p "$work/root" "$work/nginx"
chmod 755 "$work" "$work/root" # nginx workers drop to an unprivileged user
head -c $((size_mib * 1024 * 1024)) /dev/urandom >"$work/root/big.bin"
size=$(stat -c %s "$work/root/big.bin")

start_davit() { start_server "$1" --store "$1" --root "$2"; } # store, root; sets $port

start_davit filesystem "$work/root"; fs_port=$port; fs_pid=${pids[-1]}
start_davit memory "$work/memroot"; mem_port=$port
curl -sS -f -T "$work/root/big.bin" "http://127.0.0.1:$mem_port/big.bin" -o /dev/null

nginx_port=$((20000 + RANDOM % 20000))
cat >"$work/nginx/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 256; }
http {
  access_log off;
  sendfile on;
  client_body_temp_path $work/nginx;
  proxy_temp_path $work/nginx;
  fastcgi_temp_path $work/nginx;
  uwsgi_temp_path $work/nginx;
  scgi_temp_path $work/nginx;
  server { listen 127.0.0.1:$nginx_port; root $work/root; }
}
CONF
"$nginx_bin" -c "$work/nginx/nginx.conf" &
pids+=($!)
sleep 1

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

get_mib_s() { # url -> median MiB/s over $runs runs
    for _ in $(seq $runs); do
        curl -sS -f -o /dev/null -w '%{speed_download}\n' "$1"
    done | median | awk '{printf "%.0f", $1 / 1048576}'
}

range_rps() { # url -> requests per second, 4 connections
    BENCH_FILE_SIZE=$size wrk -t 2 -c 4 -d "${range_seconds}s" -s "$repo/bench/random-range.lua" "$1" |
        awk '/Requests\/sec/ {printf "%.0f", $2}'
}

cat /dev/null "$work/root/big.bin" >/dev/null # warm the page cache for everyone alike
nginx_get=$(get_mib_s "http://127.0.0.1:$nginx_port/big.bin")
fs_get=$(get_mib_s "http://127.0.0.1:$fs_port/big.bin")
fs_peak_mib=$(awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$fs_pid/status")
mem_get=$(get_mib_s "http://127.0.0.1:$mem_port/big.bin")
nginx_rr=$(range_rps "http://127.0.0.1:$nginx_port/big.bin")
fs_rr=$(range_rps "http://127.0.0.1:$fs_port/big.bin")
mem_rr=$(range_rps "http://127.0.0.1:$mem_port/big.bin")

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
printf 'file: %s MiB, %s cores, page cache warm, loopback, curl (GET) and wrk -t2 -c4 (ranges)\n' "$size_mib" "$(nproc)"
printf '%-22s %14s %10s %16s %10s\n' server "GET MiB/s" "vs nginx" "64KiB ranges/s" "vs nginx"
printf '%-22s %14s %10s %16s %10s\n' "nginx 1.22 (sendfile)" "$nginx_get" 1.00 "$nginx_rr" 1.00
printf '%-22s %14s %10s %16s %10s\n' "davit filesystem" "$fs_get" "$(ratio "$fs_get" "$nginx_get")" "$fs_rr" "$(ratio "$fs_rr" "$nginx_rr")"
printf '%-22s %14s %10s %16s %10s\n' "davit memory" "$mem_get" "$(ratio "$mem_get" "$nginx_get")" "$mem_rr" "$(ratio "$mem_rr" "$nginx_rr")"
printf 'davit filesystem peak RSS after %s GETs of the whole file: %s MiB\n' "$runs" "$fs_peak_mib"
