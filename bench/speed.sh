#!/usr/bin/env bash
# Davit beside nginx and Apache mod_dav, in one run, on the figures of issue #16: large transfers, small requests,
# listings, small PUTs, idle memory and deep paths. Prints a Markdown table whose Davit cells carry the ratio to
# nginx measured in the same run (above 1: Davit is faster, or uses less memory).
# Usage: bench/speed.sh [--runs N] [--seconds S] [--warmup S] [--put-warmup N] [--large MiB] [--files N] [--depth N] [--chain-timeout S]
#                       [--only figure,...] [--servers server,...]
# Every wrk figure follows an uncounted warm-up of the same load: --warmup seconds (default 10) in the first run, 2 s in
# the others. In the first run, the small PUTs follow --put-warmup uncounted PUTs of the same kind (default 6000) into a
# folder of their own, for every server: a just-started .NET server compiles its hot paths again for the first ten
# seconds or so (tiered compilation), which is not what a server that has been running sees.
# A chain that takes longer than --chain-timeout (default 300 s; Apache takes far longer) is shown as "> S".
# Figures: get-large put-large ranges get-small propfind0 puts propfind1 idle-rss chain.
# Servers: nginx apache floor filesystem memory (and postgres when the PostgreSQL store is in the tree). "floor" is
# bench/Davit.KestrelFloor, Kestrel answering from fixed bytes with nothing of Davit in it: the small-request figures
# only (GET of 4 KiB, PROPFIND Depth 0), the most Davit could reach on the same host. For the small PUTs its column
# holds the disk's floor instead: the file calls alone that a durable PUT needs (bench/speedclient.py diskfloor: write
# a staged file, flush its data, rename it into the folder, flush the folder once for the renames before it), from 4
# Python threads, no HTTP.
# Installs nginx-extras, libnginx-mod-http-dav-ext, apache2, wrk, curl and python3 from Debian when missing.
set -euo pipefail

runs=3
seconds=10
warmup=10
put_warmup=6000
large_mib=1024
files=10000
depth=2000
chain_timeout=300
only="get-large,put-large,ranges,get-small,propfind0,puts,propfind1,idle-rss,chain"
servers="nginx,apache,floor,filesystem,memory,postgres"
while (($#)); do
    case $1 in
    --runs) runs=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --put-warmup) put_warmup=$2; shift 2 ;;
    --large) large_mib=$2; shift 2 ;;
    --files) files=$2; shift 2 ;;
    --depth) depth=$2; shift 2 ;;
    --chain-timeout) chain_timeout=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    --servers) servers=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$repo/bench/common.sh"
source "$repo/bench/speed-servers.sh"
bench_init bench-speed

need=()
[[ -x /usr/sbin/nginx ]] || need+=(nginx-extras)
[[ -e /usr/lib/nginx/modules/ngx_http_dav_ext_module.so ]] || need+=(libnginx-mod-http-dav-ext)
[[ -x /usr/sbin/apache2 ]] || need+=(apache2)
command -v wrk >/dev/null || need+=(wrk)
command -v curl >/dev/null || need+=(curl)
command -v python3 >/dev/null || need+=(python3)
install_missing "${need[@]}"

wants() { [[ ,$only, == *,$1,* ]]; }
has_server() { [[ ,$servers, == *,$1,* ]]; }

build_server
chmod 755 "$work"
head -c $((large_mib * 1024 * 1024)) /dev/urandom >"$work/large.bin"
head -c 4096 /dev/urandom >"$work/small.bin"
large_size=$(stat -c %s "$work/large.bin")

# Every server gets its files through its own PUT, so each serves what it wrote.
names=()
declare -A port_of pid_of idle_rss idle_uss
for name in nginx apache floor filesystem memory postgres; do
    has_server "$name" || continue
    start_"$name" || continue # a server that is not available (postgres before its store lands) is left out
    names+=("$name")
    port_of[$name]=$port
    pid_of[$name]=$server_pid
    [[ $name == floor ]] && continue # fixed answers: nothing to upload, and no memory figure to compare
    curl -sS -f -o /dev/null -X OPTIONS "http://127.0.0.1:$port/"
    idle_rss[$name]=$(tree_kib "$server_pid" VmRSS)
    idle_uss[$name]=$(($(tree_kib "$server_pid" Private_Clean smaps_rollup) + $(tree_kib "$server_pid" Private_Dirty smaps_rollup)))
    curl -sS -f -H 'Expect:' -T "$work/small.bin" "http://127.0.0.1:$port/small.bin" -o /dev/null
    if wants get-large || wants ranges; then
        curl -sS -f -H 'Expect:' -T "$work/large.bin" "http://127.0.0.1:$port/large.bin" -o /dev/null
    fi
done

median() { sort -g | awk '{a[NR]=$1} END {if (NR) print a[int((NR+1)/2)]; else print "-"}'; }
declare -A result
record() { result[$1,$2]+="$3 "; } # figure server value

wrk_rate() { # url, then BENCH_* variables in the environment: requests per second, or "fail"
    local out
    # A warm-up first, not counted, for every server alike: a just-started .NET server is still compiling its hot paths
    # (with tiered PGO, twice: instrumented, then optimized), which on two busy cores takes well over the 2 s the later
    # runs give it, and a short measurement would count against it.
    wrk -t 2 -c 32 -d "${warm}s" -s "$repo/bench/${WRK_SCRIPT:-request.lua}" "$1" >/dev/null 2>&1 || true
    out=$(wrk -t 2 -c 32 -d "${seconds}s" -s "$repo/bench/${WRK_SCRIPT:-request.lua}" "$1" 2>&1) || { echo fail; return; }
    grep -q 'Non-2xx' <<<"$out" && { echo fail; return; }
    awk '/Requests\/sec/ {printf "%.0f", $2}' <<<"$out"
}

allprop='<?xml version="1.0" encoding="utf-8"?><propfind xmlns="DAV:"><allprop/></propfind>'
for run in $(seq "$runs"); do
    warm=2
    ((run == 1)) && warm=$warmup
    for name in "${names[@]}"; do
        port=${port_of[$name]}
        base="http://127.0.0.1:$port"
        if [[ $name == floor ]]; then # only the small requests: it stores nothing
            wants get-small && record get-small "$name" "$(wrk_rate "$base/small.bin")"
            wants propfind0 && record propfind0 "$name" "$(BENCH_METHOD=PROPFIND BENCH_DEPTH=0 BENCH_BODY=$allprop wrk_rate "$base/small.bin")"
            if wants puts; then # the disk's floor: the file calls alone that a durable PUT needs, on the same disk
                mkdir -p "$work/disk-floor-$run"
                sync
                record puts "$name" "$(python3 "$repo/bench/speedclient.py" diskfloor "$work/disk-floor-$run" "$files" 4 1024)"
            fi
            continue
        fi
        if wants get-large; then
            record get-large "$name" "$(curl -sS -f -o /dev/null -w '%{speed_download}' "$base/large.bin" | awk '{printf "%.0f", $1 / 1e6}')"
        fi
        if wants put-large; then
            curl -sS -o /dev/null -X DELETE "$base/put.bin" || true
            sync
            record put-large "$name" "$(curl -sS -f -H 'Expect:' -T "$work/large.bin" -o /dev/null -w '%{speed_upload}' "$base/put.bin" | awk '{printf "%.0f", $1 / 1e6}')"
        fi
        if wants ranges; then
            record ranges "$name" "$(BENCH_FILE_SIZE=$large_size WRK_SCRIPT=random-range.lua wrk_rate "$base/large.bin")"
        fi
        if wants get-small; then
            record get-small "$name" "$(wrk_rate "$base/small.bin")"
        fi
        if wants propfind0; then
            record propfind0 "$name" "$(BENCH_METHOD=PROPFIND BENCH_DEPTH=0 BENCH_BODY=$allprop wrk_rate "$base/small.bin")"
        fi
        if wants puts || wants propfind1; then
            if wants puts && ((run == 1 && put_warmup > 0)); then
                python3 "$repo/bench/speedclient.py" puts "$port" "/warm-puts/" "$put_warmup" 4 1024 >/dev/null
            fi
            sync
            t=$(python3 "$repo/bench/speedclient.py" puts "$port" "/many-$run/" "$files" 4 1024) || t=fail
            wants puts && record puts "$name" "$t"
        fi
        if wants propfind1; then
            times=()
            for _ in 1 2 3 4 5 6; do # the first one warms up
                times+=("$(curl -sS -f -o /dev/null -X PROPFIND -H 'Depth: 1' -H 'Content-Type: application/xml' \
                    --data-binary "$allprop" -w '%{time_total}' "$base/many-$run/" || echo fail)")
            done
            record propfind1 "$name" "$(printf '%s\n' "${times[@]:1}" | median)"
        fi
        if wants chain && ((run == 1)); then
            sync
            read -r made ops < <(timeout "$chain_timeout" python3 "$repo/bench/speedclient.py" chain "$port" /chain/ "$depth" ops \
                2>"$work/chain-$name.err" || { (($? == 124)) && echo over over || echo fail fail; })
            record chain "$name" "$made"
            record chain-ops "$name" "$ops"
            [[ $made == fail ]] && sed 's/^/  /' "$work/chain-$name.err" >&2
        fi
    done
done

# Davit's cells carry value (ratio to nginx); better = higher for rates, lower for times and memory.
cell() { # figure server kind(rate|time)
    local v ref
    [[ ${result[$1,$2]:-} == *over* ]] && { echo "> $chain_timeout"; return; }
    v=$(tr ' ' '\n' <<<"${result[$1,$2]:-}" | grep -v '^$' | grep -v fail | median)
    [[ ${result[$1,$2]:-} == *fail* && $v == - ]] && { echo fail; return; }
    [[ $2 == nginx || $2 == apache ]] && { echo "$v"; return; }
    ref=$(tr ' ' '\n' <<<"${result[$1,nginx]:-}" | grep -v '^$' | grep -v fail | median)
    if [[ $v == - || $ref == - || $ref == 0 || $v == 0 ]]; then echo "$v"; return; fi
    if [[ $3 == rate ]]; then
        awk -v a="$v" -v b="$ref" 'BEGIN {printf "%s (%.2f)", a, a / b}'
    else
        awk -v a="$v" -v b="$ref" 'BEGIN {printf "%s (%.2f)", a, b / a}'
    fi
}

for name in "${names[@]}"; do
    [[ $name == floor ]] && continue
    record idle-rss "$name" "$(awk -v k="${idle_rss[$name]}" 'BEGIN {printf "%.0f", k / 1024}')"
    record idle-uss "$name" "$(awk -v k="${idle_uss[$name]}" 'BEGIN {printf "%.0f", k / 1024}')"
    record peak-rss "$name" "$(awk -v k="$(tree_kib "${pid_of[$name]}" VmHWM)" 'BEGIN {printf "%.0f", k / 1024}')"
done

label() {
    case $1 in
    get-large) echo "GET of $large_mib MiB, curl (MB/s)" ;;
    put-large) echo "PUT of $large_mib MiB, curl (MB/s)" ;;
    ranges) echo "random 64 KiB ranges, wrk 32 connections (/s)" ;;
    get-small) echo "GET of 4 KiB, wrk 32 connections (/s)" ;;
    propfind0) echo "PROPFIND Depth 0 allprop, wrk 32 connections (/s)" ;;
    propfind1) echo "PROPFIND Depth 1 allprop of $files files (s)" ;;
    puts) echo "$files PUTs of 1 KiB, 4 connections (s)" ;;
    idle-rss) echo "idle memory after start, RSS (MiB)" ;;
    idle-uss) echo "the same, only pages no other process shares (USS, MiB)" ;;
    peak-rss) echo "peak memory over the run, VmHWM (MiB)" ;;
    chain) echo "MKCOL of a $depth-level chain, one level at a time (s)" ;;
    chain-ops) echo "then PROPFIND, COPY, MOVE, DELETE of the chain (s)" ;;
    esac
}
kind() { case $1 in get-large | put-large | ranges | get-small | propfind0) echo rate ;; *) echo time ;; esac; }
title() {
    case $1 in
    nginx) echo "nginx $(nginx_version)" ;;
    apache) echo "Apache $(apache_version)" ;;
    floor) echo "floor (Kestrel; for PUTs, the disk)" ;;
    *) echo "Davit $1" ;;
    esac
}

printf '%s, %s cores, load average %s, %s run(s), medians; Davit cells: value (ratio to nginx, above 1 is better)\n\n' \
    "$(date -u +%Y-%m-%d)" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)" "$runs"
header="| figure |"
rule="|---|"
for name in "${names[@]}"; do header+=" $(title "$name") |"; rule+="---|"; done
echo "$header"
echo "$rule"
figures=()
for f in get-large put-large ranges get-small propfind0 propfind1 puts idle-rss idle-uss peak-rss chain chain-ops; do
    case $f in
    idle-uss) wants idle-rss || continue ;;
    peak-rss) wants get-large || wants put-large || continue ;;
    chain-ops) wants chain || continue ;;
    *) wants "$f" || continue ;;
    esac
    row="| $(label "$f") |"
    for name in "${names[@]}"; do row+=" $(cell "$f" "$name" "$(kind "$f")") |"; done
    echo "$row"
done
