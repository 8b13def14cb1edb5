#!/usr/bin/env bash
# Lock load benchmark: tests/lockbomb (T threads, each with its own neon session and file, each doing N LOCK/UNLOCK
# pairs in a row) against Apache httpd's mod_dav (the reference), Davit's file-system store and Davit's memory
# store, in the same run. Runs twice: with 1 thread, where every server is expected to pass, and with T threads.
# Prints pairs per second and ok/FAIL (neon checks every LOCK answer: status, Lock-Token and lockdiscovery).
# Usage: bench/lockbomb.sh [threads, default 20] [iterations per thread, default 20000, as litmus's lockbomb].
# Installs apache2-bin, gcc, pkg-config and libneon27-gnutls-dev from Debian when missing (with sudo when not root).
set -euo pipefail

threads=${1:-20}
iterations=${2:-20000}
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$repo/bench/common.sh"
bench_init lockbomb

need=()
[[ -x /usr/sbin/apache2 ]] || need+=(apache2-bin)
command -v gcc >/dev/null || need+=(gcc libc6-dev)
command -v pkg-config >/dev/null || need+=(pkg-config)
pkg-config --exists neon 2>/dev/null || need+=(libneon27-gnutls-dev)
install_missing "${need[@]}"

# shellcheck disable=SC2046 # pkg-config prints several words on purpose
gcc -O2 $(pkg-config --cflags neon) -o "$work/lockbomb" "$repo/tests/lockbomb/lockbomb.c" $(pkg-config --libs neon) -lpthread
build_server

# Apache: mod_dav with mod_dav_fs and its lock database, Debian's default event MPM, on its own configuration.
mkdir -p "$work/apache/root" "$work/apache/lock"
chmod 755 "$work" "$work/apache"
chmod 777 "$work/apache/root" "$work/apache/lock" # the children run as www-data
apache_port=$((20000 + RANDOM % 20000))
cat >"$work/apache/httpd.conf" <<CONF
ServerRoot /usr/lib/apache2
ServerName 127.0.0.1
Listen 127.0.0.1:$apache_port
PidFile $work/apache/httpd.pid
ErrorLog $work/apache/error.log
LoadModule mpm_event_module modules/mod_mpm_event.so
LoadModule authz_core_module modules/mod_authz_core.so
LoadModule dav_module modules/mod_dav.so
LoadModule dav_fs_module modules/mod_dav_fs.so
User www-data
Group www-data
DAVLockDB $work/apache/lock/DAVLock
DocumentRoot $work/apache/root
<Directory $work/apache/root>
  Dav On
  Require all granted
</Directory>
CONF
/usr/sbin/apache2 -f "$work/apache/httpd.conf" -DFOREGROUND &
pids+=($!)
for _ in $(seq 100); do
    curl -s -o /dev/null "http://127.0.0.1:$apache_port/" && break
    sleep 0.1
done
apache_version=$(/usr/sbin/apache2 -v | sed -nE 's#^Server version: Apache/([^ ]+).*#\1#p')

start_server filesystem --store filesystem --root "$work/fsroot"; fs_port=$port
start_server memory --store memory --root "$work/memroot"; mem_port=$port

bomb() { # url threads -> "pairs/s result"
    local out
    out=$("$work/lockbomb" "$1" "$2" "$iterations" | tail -n1 || true)
    if [[ $out == "lockbomb: ok "* ]]; then
        echo "$(sed -E 's/.*pairs_per_second=([0-9]+).*/\1/' <<<"$out") ok"
    else
        echo "- FAIL:$(sed -E 's/.*pairs=([0-9]+).*failed_threads=([0-9]+).*/\2_threads_failed_after_\1_pairs/' <<<"$out")"
    fi
}

ratio() { # value reference
    [[ $1 =~ ^[0-9]+$ && $2 =~ ^[0-9]+$ && $2 -gt 0 ]] && awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }' || echo -
}

printf 'lockbomb: %s iterations per thread, own file per thread, keep-alive, loopback, %s cores\n' "$iterations" "$(nproc)"
printf '%-24s %8s %12s %10s %s\n' server threads "pairs/s" "vs apache" result
for t in 1 "$threads"; do
    read -r apache_rate apache_result < <(bomb "http://127.0.0.1:$apache_port/" "$t")
    read -r fs_rate fs_result < <(bomb "http://127.0.0.1:$fs_port/" "$t")
    read -r mem_rate mem_result < <(bomb "http://127.0.0.1:$mem_port/" "$t")
    printf '%-24s %8s %12s %10s %s\n' "apache $apache_version mod_dav" "$t" "$apache_rate" "$(ratio "$apache_rate" "$apache_rate")" "$apache_result"
    printf '%-24s %8s %12s %10s %s\n' "davit filesystem" "$t" "$fs_rate" "$(ratio "$fs_rate" "$apache_rate")" "$fs_result"
    printf '%-24s %8s %12s %10s %s\n' "davit memory" "$t" "$mem_rate" "$(ratio "$mem_rate" "$apache_rate")" "$mem_result"
done
