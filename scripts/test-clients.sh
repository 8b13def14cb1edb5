# Real WebDAV clients against a real server (issue 12), sourced by scripts/test.sh, which provides out, server_dll,
# server_pid, stop_server, stopped_code, server_start_timeout, say, problem, passed and failed. Each function starts
# its own server (file-system store, 127.0.0.1, a port of the OS's choice), runs its client, stops the server, and
# counts every check as one test.
#
# To run one by hand after a Release build (a small driver; nothing here starts PostgreSQL):
#   bash -c 'set -euo pipefail; repo=$PWD; out=$repo/.test-output; mkdir -p "$out"; passed=0; failed=0; problems=()
#            server_dll=$repo/src/Davit.Server/bin/Release/net10.0/Davit.Server.dll; server_start_timeout=60
#            server_stop_timeout=10; server_pid=""; stopped_code=0
#            say() { printf "==> %s\n" "$*"; }; problem() { problems+=("$*"); printf "FAILED: %s\n" "$*"; }
#            eval "$(sed -n "/^stop_server()/,/^}/p" scripts/test.sh)"; source scripts/test-clients.sh
#            trap stop_server EXIT; run_rclone; echo "passed=$passed failed=$failed"'

client_url=""
client_timeout=120

# Starts the server on the file-system store rooted at $1/root, logging into $1. Sets client_url; returns 1 (with
# the failure counted) when it does not come up.
start_client_server() {
    local dir=$1 label=$2 port="" waited=0
    mkdir -p "$dir/root"
    dotnet "$server_dll" --store filesystem --root "$dir/root" --urls "http://127.0.0.1:0" \
        --log-file "$dir/server.log" >"$dir/server.out" 2>&1 </dev/null &
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
    client_url="http://127.0.0.1:$port/"
    printf 'server on %s (pid %s)\n' "$client_url" "$server_pid"
}

# Counts one check: $1 its label, then a command whose success is the check's.
client_check() {
    local label=$1
    shift
    if "$@"; then
        passed=$((passed + 1))
        printf 'ok     %s\n' "$label"
    else
        problem "$label"
        failed=$((failed + 1))
    fi
}

# Stops the server of a client run and counts an unclean exit as a failure.
stop_client_server() {
    stop_server
    if ((stopped_code != 0)); then
        problem "$1: the server exited with code $stopped_code after SIGTERM"
        failed=$((failed + 1))
    fi
}

# A tree of a few hundred small files whose names are awkward in URLs, XML and HTML, each with its own old
# modification time (whole seconds).
make_awkward_tree() {
    local root=$1 i=0 name dir
    local names=(
        "plain.txt" "with space.txt" "plus+sign.txt" "it's.txt" "amp&ersand.txt" "100%.txt" "%41%20literal.txt"
        "hash#tag.txt" "question?.txt" "semi;colon.txt" "equals=sign.txt" "at@sign.txt" "bang!.txt" "dollar\$.txt"
        "(paren).txt" "[bracket].txt" "{brace}.txt" "tilde~.txt" "back\`tick.txt" "caret^.txt" "pipe|.txt"
        "colon:.txt" "star*.txt" "quote\".txt" "less<more>.txt" "comma,.txt" "café.txt" "日本語.txt" "emoji😀.txt"
        "Ελληνικά.txt" "e\xcc\x81-decomposed.txt" " leading space.txt" "trailing space .txt" "...dots" ".hidden"
        "-dash.txt" "UPPER.TXT" "upper.txt" "$(printf 'long%.0s' {1..40}).txt" "a&b+c'd%e#f?g.txt"
    )
    mkdir -p "$root"
    for dir in "" "sub dir/" "sub dir/deeper+&'/" "ünï cødé/" "50%/"; do
        mkdir -p "$root/$dir"
        for name in "${names[@]}"; do
            name=$(printf '%b' "$name")
            printf 'content of %s%s (%d)\n' "$dir" "$name" "$i" >"$root/$dir$name"
            touch -d "@$((1000000000 + i * 3607))" "$root/$dir$name"
            i=$((i + 1))
        done
    done
    for ((n = 0; n < 60; n++)); do
        printf 'filler %d\n' "$n" >"$root/sub dir/filler $n + more.txt"
        touch -d "@$((1200000000 + n * 61))" "$root/sub dir/filler $n + more.txt"
    done
}

# rclone, Debian's package: copy, check, sync, moveto and purge with the plain WebDAV dialect, and with vendor
# owncloud (X-OC-Mtime, OC-Checksum, oc:checksums): a second sync of an unchanged tree transfers nothing, lsjson
# shows the original times, and check and hashsum compare the hashes the server kept.
run_rclone() {
    local dir="$out/rclone" src label=rclone
    rm -rf "$dir"
    mkdir -p "$dir"
    say "rclone $(rclone version 2>/dev/null | head -n1 | sed 's/^rclone //') against the file-system store"
    start_client_server "$dir" "$label" || return 0
    src="$dir/source"
    make_awkward_tree "$src"
    printf '%s files in the source tree\n' "$(find "$src" -type f | wc -l)"

    # No configuration file: the remote is ":webdav:", configured by environment variables.
    rc() {
        local vendor=$1
        shift
        TZ=UTC RCLONE_WEBDAV_URL=$client_url RCLONE_WEBDAV_VENDOR=$vendor timeout "$client_timeout" \
            rclone --config /dev/null --retries 1 --low-level-retries 1 --transfers 8 --checkers 8 "$@"
    }
    # Path and modification time (to the second, the precision of getlastmodified) of every file, from rclone lsjson.
    times() {
        rc owncloud lsjson -R --files-only "$1" | sed -nE 's/.*"Path":"(([^"\\]|\\.)*)".*"ModTime":"([^".]*)(\.[0-9]+)?Z".*/\1 \3Z/p' | LC_ALL=C sort
    }
    transferred() { grep -cE ': (Copied|Updated|Moved)' "$1" || true; }

    client_check "rclone: copy the tree (vendor other)" rc other copy "$src" :webdav:plain --log-file "$dir/copy.log"
    client_check "rclone: check --download finds the copy identical" rc other check --download "$src" :webdav:plain --log-file "$dir/check-download.log"
    client_check "rclone: sync the tree (vendor owncloud)" rc owncloud sync "$src" :webdav:oc -v --log-file "$dir/sync1.log"
    rc owncloud sync "$src" :webdav:oc -v --log-file "$dir/sync2.log" || true
    client_check "rclone: a second sync of the unchanged tree transfers nothing (vendor owncloud)" \
        test "$(transferred "$dir/sync2.log")" -eq 0
    times "$src" >"$dir/times-local"
    times :webdav:oc >"$dir/times-remote"
    client_check "rclone: lsjson shows every file's original modification time" \
        bash -c '[[ -s $1 ]] && cmp -s "$1" "$2" || { diff "$1" "$2" | head -n 20 >&2; false; }' _ "$dir/times-local" "$dir/times-remote"
    rc owncloud check "$src" :webdav:oc --log-file "$dir/check.log" || true
    client_check "rclone: check compares SHA-1 hashes and finds no difference (vendor owncloud)" \
        bash -c 'grep -q "0 differences found" "$1" && ! grep -qE "hashes could not be checked|no hashes in common" "$1"' _ "$dir/check.log"
    client_check "rclone: hashsum SHA-1 and MD5 from the server equal the local ones" \
        bash -c 'for h in SHA1 MD5; do cmp -s <("${@:2}" hashsum $h "$1" | LC_ALL=C sort) <("${@:2}" hashsum $h :webdav:oc | LC_ALL=C sort) || exit 1; done' \
        _ "$src" env TZ=UTC RCLONE_WEBDAV_URL="$client_url" RCLONE_WEBDAV_VENDOR=owncloud rclone --config /dev/null

    printf 'changed\n' >>"$src/sub dir/plus+sign.txt"
    touch -d "@1500000000" "$src/sub dir/plus+sign.txt"
    rc owncloud sync "$src" :webdav:oc -v --log-file "$dir/sync3.log" || true
    client_check "rclone: a sync after one change sends exactly that file" test "$(transferred "$dir/sync3.log")" -eq 1

    client_check "rclone: moveto renames a file with an awkward name" rc owncloud moveto ":webdav:oc/sub dir/it's.txt" ":webdav:oc/moved & renamed+.txt"
    client_check "rclone: the moved file is there, the old name gone" bash -c \
        'list=$("${@}" lsf :webdav:oc/) && sub=$("${@}" lsf ":webdav:oc/sub dir/") && grep -qxF "moved & renamed+.txt" <<<"$list" && ! grep -qxF "it'"'"'s.txt" <<<"$sub"' \
        _ env TZ=UTC RCLONE_WEBDAV_URL="$client_url" RCLONE_WEBDAV_VENDOR=owncloud rclone --config /dev/null
    client_check "rclone: purge removes a whole tree" rc other purge :webdav:plain
    client_check "rclone: the purged tree is gone, the other one stays" bash -c \
        '[[ $("${@}" lsf :webdav:) == "oc/" ]]' _ env RCLONE_WEBDAV_URL="$client_url" RCLONE_WEBDAV_VENDOR=other rclone --config /dev/null

    stop_client_server "$label"
}
