# The servers of bench/speed.sh (sourced after common.sh). Each start_NAME starts a private instance on a free
# loopback port with its own configuration, pid file and folders under $work, adds its pid to $pids (stopped by the
# EXIT trap), sets $port and $server_pid, or returns 1 when that server is not available here.

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

wait_for_port() { # port
    for _ in $(seq 300); do
        curl -s -o /dev/null "http://127.0.0.1:$1/" && return 0
        sleep 0.1
    done
    echo "nothing answers on port $1" >&2
    exit 1
}

# The sum of a /proc/PID/status field (VmRSS, VmHWM; kB) over a process and all its descendants (nginx's and
# Apache's workers).
tree_kib() { # pid field [file under /proc/PID: status (VmRSS, VmHWM) or smaps_rollup (Pss, Private_Dirty ...)]
    local total=0 pid child
    local queue=("$1")
    while ((${#queue[@]})); do
        pid=${queue[0]}
        queue=("${queue[@]:1}")
        total=$((total + $(awk -v f="$2:" '$1 == f {print $2}' "/proc/$pid/${3:-status}" 2>/dev/null || echo 0)))
        for child in $(cat /proc/"$pid"/task/*/children 2>/dev/null); do queue+=("$child"); done
    done
    echo "$total"
}

nginx_version() { /usr/sbin/nginx -v 2>&1 | sed -E 's#.*nginx/([0-9.]+).*#\1#'; }
apache_version() { /usr/sbin/apache2 -v | sed -nE 's#^Server version: Apache/([0-9.]+).*#\1#p'; }

# nginx with its WebDAV module and dav-ext (PROPFIND, OPTIONS), one worker per core, sendfile, unlimited bodies and
# keep-alive requests; the request-body temporary folder is on the root's disk, so a PUT ends in a rename.
start_nginx() {
    local dir=$work/nginx
    mkdir -p "$dir/root" "$dir/tmp"
    chmod 777 "$dir/root" "$dir/tmp" # the workers run as www-data
    chmod 755 "$dir"
    port=$(free_port)
    cat >"$dir/nginx.conf" <<CONF
load_module /usr/lib/nginx/modules/ngx_http_dav_ext_module.so;
worker_processes auto;
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  keepalive_requests 1000000;
  client_max_body_size 0;
  client_body_temp_path $dir/tmp;
  proxy_temp_path $dir/tmp;
  fastcgi_temp_path $dir/tmp;
  uwsgi_temp_path $dir/tmp;
  scgi_temp_path $dir/tmp;
  server {
    listen 127.0.0.1:$port;
    root $dir/root;
    dav_methods PUT DELETE MKCOL COPY MOVE;
    dav_ext_methods PROPFIND OPTIONS;
    create_full_put_path on;
    dav_access user:rw group:rw all:r;
  }
}
CONF
    /usr/sbin/nginx -c "$dir/nginx.conf" -e "$dir/error.log" &
    server_pid=$!
    pids+=("$server_pid")
    wait_for_port "$port"
}

# Apache httpd with mod_dav and mod_dav_fs (and its lock database), Debian's event MPM, unlimited bodies and keep-alive
# requests.
start_apache() {
    local dir=$work/apache
    mkdir -p "$dir/root" "$dir/lock"
    chmod 777 "$dir/root" "$dir/lock" # the children run as www-data
    chmod 755 "$dir"
    port=$(free_port)
    cat >"$dir/httpd.conf" <<CONF
ServerRoot /usr/lib/apache2
ServerName 127.0.0.1
Listen 127.0.0.1:$port
PidFile $dir/httpd.pid
ErrorLog $dir/error.log
LoadModule mpm_event_module modules/mod_mpm_event.so
LoadModule authz_core_module modules/mod_authz_core.so
LoadModule dav_module modules/mod_dav.so
LoadModule dav_fs_module modules/mod_dav_fs.so
User www-data
Group www-data
KeepAlive On
MaxKeepAliveRequests 0
LimitRequestBody 0
DAVLockDB $dir/lock/DAVLock
DocumentRoot $dir/root
<Directory $dir/root>
  Dav On
  Require all granted
</Directory>
CONF
    /usr/sbin/apache2 -f "$dir/httpd.conf" -DFOREGROUND &
    server_pid=$!
    pids+=("$server_pid")
    wait_for_port "$port"
}

# Davit as shipped (Release, appsettings.json), logging at Warning.
start_davit() { # log-name, then server arguments
    local log=$1
    shift
    start_server "$log" "$@" --Logging:LogLevel:Default=Warning --Logging:LogLevel:Davit=Warning \
        --Logging:LogLevel:Microsoft.AspNetCore=Warning
}

# bench/Davit.KestrelFloor: Kestrel hosted as Davit.Server hosts it, answering GET and PROPFIND from fixed bytes.
start_floor() {
    if ! dotnet build "$repo/bench/Davit.KestrelFloor/Davit.KestrelFloor.csproj" -c Release --artifacts-path "$work/build" \
        -v q -nologo >"$work/build-floor.log" 2>&1; then
        cat "$work/build-floor.log" >&2
        echo "the build of the Kestrel floor failed" >&2
        exit 1
    fi
    server_dll="$work/build/bin/Davit.KestrelFloor/release/Davit.KestrelFloor.dll" start_server floor
}

start_filesystem() { start_davit filesystem --store filesystem --root "$work/davit-fs"; }

start_memory() { start_davit memory --store memory; }

# The PostgreSQL store, once it is in the tree: a private cluster in a temporary folder (Unix socket only, Debian's
# durable defaults: every commit waits for the disk; start_private_postgres in common.sh), stopped and deleted by
# the EXIT trap.
start_postgres() {
    [[ -d $repo/src/Davit.PostgreSql ]] || return 1
    ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || install_missing postgresql
    start_private_postgres
    start_davit postgres --store postgres --Davit:ConnectionString "$connection" --content-cache "$work/cache-postgres"
}
