# Shared by the bench scripts (sourced, not run). Expects $work (a temporary folder), $server_dll and the array
# pids, which the script's EXIT trap kills.

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
