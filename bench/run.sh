#!/usr/bin/env bash
# bench/run.sh - bureau's fixed workloads (`make bench`). Each figure is printed beside its goal and
# a reference measured in the same run; nothing is asserted. See bench/README.md.
#
# Environment:
#   BUREAU          server binary (default build/bureau)
#   BENCH_DIR       keep data here and reuse it on the next run (default: a temp dir, removed after)
#   BENCH_DURATION  length of each measured wrk run (10s); BENCH_WARMUP before each (2s)
#   BENCH_PEOPLE    rows in the paging table (1000000); BENCH_BIG_PEOPLE rows for the cold-start
#                   database (6000000, ~1.1 GB); BENCH_STARTS starts per cold-start figure (5)
#   BENCH_TOKEN     sent as "Authorization: Bearer ..." on every request, when set
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
BUREAU=${BUREAU:-$root/build/bureau}
[[ $BUREAU == /* ]] || BUREAU=$PWD/$BUREAU
DUR=${BENCH_DURATION:-10s}
WARM=${BENCH_WARMUP:-2s}
N_PEOPLE=${BENCH_PEOPLE:-1000000}
N_BIG=${BENCH_BIG_PEOPLE:-6000000}
STARTS=${BENCH_STARTS:-5}
CONN=64       # the issue's load: 64 keep-alive connections
LOW=4         # low concurrency: what p99 means for one user
THREADS=2     # wrk threads and server --threads (2-core machine)

say() { printf '%s\n' "$*" >&2; }   # progress goes to stderr, the table to stdout
die() {
    say "bench: $*"
    [[ -s ${W:-/nonexistent}/server.log ]] && { say "--- last lines of server.log:"; tail -n 20 "$W/server.log" >&2; }
    exit 1
}

# ---- what we need --------------------------------------------------------------------------
NGINX=$(command -v nginx || { [[ -x /usr/sbin/nginx ]] && echo /usr/sbin/nginx; } || true)
missing=()
command -v wrk >/dev/null || missing+=(wrk)
[[ -n $NGINX ]] || missing+=(nginx-light)
command -v sqlite3 >/dev/null || missing+=(sqlite3)
command -v curl >/dev/null || missing+=(curl)
command -v cc >/dev/null || missing+=(gcc)
if ((${#missing[@]})); then
    die "missing: ${missing[*]} - install with: apt-get install --no-install-recommends ${missing[*]} (or run scripts/deps.sh)"
fi
[[ -x $BUREAU ]] || die "no server binary at $BUREAU: run make (or set BUREAU=path/to/bureau)"

hdr=()
[[ -n ${BENCH_TOKEN:-} ]] && hdr=(-H "Authorization: Bearer $BENCH_TOKEN")

# ---- work dir, processes, clean-up -----------------------------------------------------------
if [[ -n ${BENCH_DIR:-} ]]; then
    mkdir -p "$BENCH_DIR"
    W=$(cd "$BENCH_DIR" && pwd)
    keep=1
else
    W=$(mktemp -d "${TMPDIR:-/tmp}/bureau-bench.XXXXXX")
    keep=0
fi
ngx_dir=
pids=()
cleanup() {
    local p
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
    [[ -n $ngx_dir ]] && rm -rf "$ngx_dir"
    ((keep)) || rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
: >"$W/server.log"

# A free loopback port below the ephemeral range (so wrk's own sockets never hold it): REPLY.
taken=" "
free_port() {
    local p i
    for ((i = 0; i < 500; i++)); do
        p=$((20000 + RANDOM % 12000))
        [[ $taken == *" $p "* ]] && continue
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            taken+="$p "
            REPLY=$p
            return 0
        fi
    done
    die "no free port found in 20000-31999"
}

# wait_up URL PID: until URL answers 200 (10 s at most) while PID lives.
wait_up() {
    local i
    for ((i = 0; i < 400; i++)); do
        [[ $(curl -s -o /dev/null -w '%{http_code}' "${hdr[@]}" "$1" || true) == 200 ]] && return 0
        kill -0 "$2" 2>/dev/null || return 1
        sleep 0.025
    done
    return 1
}

# start_bureau DB PORT: starts the server; its pid in SRV.
start_bureau() {
    "$BUREAU" serve --db "$1" --listen "127.0.0.1:$2" --threads "$THREADS" --quiet >>"$W/server.log" 2>&1 &
    SRV=$!
    pids+=("$SRV")
    wait_up "http://127.0.0.1:$2/api/health" "$SRV" || die "bureau did not come up on $1"
}

stop_pid() {
    kill "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
    local keep_pids=() p
    for p in "${pids[@]}"; do [[ $p == "$1" ]] || keep_pids+=("$p"); done
    pids=("${keep_pids[@]}")
}

kib() { awk -v k="$2" '$1 == k":" { print $2 }' "/proc/$1/status"; }   # kib PID VmRSS
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

# ---- wrk and its output ----------------------------------------------------------------------
# bench NAME CONNS WRK-ARGS... : a warm-up run, then the measured one saved as $W/wrk-NAME.txt.
bench() {
    local name=$1 c=$2
    shift 2
    say "  wrk $name: -c$c -d$DUR"
    wrk -t"$THREADS" -c"$c" -d"$WARM" "${hdr[@]}" "$@" >/dev/null
    wrk -t"$THREADS" -c"$c" -d"$DUR" --latency "${hdr[@]}" "$@" >"$W/wrk-$name.txt"
}
rps() { awk '/^Requests\/sec:/ { printf "%d", $2 }' "$W/wrk-$1.txt"; }
# pct NAME 99% -> milliseconds
pct() {
    awk -v p="$2" '$1 == p {
        v = $2; f = 1
        if (v ~ /us$/) { f = 0.001 } else if (v ~ /ms$/) { f = 1 } else if (v ~ /m$/) { f = 60000 } else if (v ~ /s$/) { f = 1000 }
        sub(/[a-z]+$/, "", v); printf "%.2f", v * f }' "$W/wrk-$1.txt"
}
# trouble NAME: non-2xx answers and socket errors, if any, as a note
trouble() {
    awk '/Non-2xx or 3xx responses:/ { printf " NON-2XX: %s", $NF }
         /Socket errors:/ { sub(/^ *Socket errors: */, ""); printf " socket errors: %s", $0 }' "$W/wrk-$1.txt"
}
commas() { printf '%s' "$1" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\|\.\)/\1,\2\3/;ta'; }
# verdict VALUE OP GOAL -> "ok" or "MISSED"
verdict() { awk -v a="$1" -v op="$2" -v b="$3" 'BEGIN { r = (op == "<") ? a < b : a >= b; print r ? "ok" : "MISSED" }'; }
row() { printf '%-34s %5s  %-42s %-44s %s\n' "$@"; }

# ---- data ------------------------------------------------------------------------------------
schema_sum=$("$BUREAU" dump-ddl sqlite | cat - "$here/people.sql" | cksum | cut -d' ' -f1)

# people_db FILE N: a database from `bureau init` plus 100 departments and N people (bench/people.sql),
# reused when FILE.stamp says it was made for the same N, schema and script.
people_db() {
    local db=$1 n=$2 t0 idx drop
    if [[ -f $db && $(cat "$db.stamp" 2>/dev/null) == "$n $schema_sum" &&
        $(sqlite3 "$db" "SELECT count(*) FROM people" 2>/dev/null) == "$n" ]]; then
        say "reusing $db ($(du -h "$db" | cut -f1))"
        return
    fi
    say "generating $db: $n people ..."
    t0=$(date +%s)
    rm -f "$db" "$db-wal" "$db-shm" "$db.stamp"
    "$BUREAU" init --db "$db" >>"$W/server.log" 2>&1 || die "bureau init --db $db failed"
    idx=$(sqlite3 "$db" "SELECT sql || ';' FROM sqlite_master
                         WHERE type = 'index' AND tbl_name = 'people' AND sql IS NOT NULL")
    drop=$(sqlite3 "$db" "SELECT 'DROP INDEX ' || name || ';' FROM sqlite_master
                          WHERE type = 'index' AND tbl_name = 'people' AND sql IS NOT NULL")
    {
        printf '.bail on\nPRAGMA journal_mode=OFF;\nPRAGMA synchronous=OFF;\n'
        printf 'PRAGMA cache_size=-262144;\nPRAGMA temp_store=MEMORY;\n'
        # after temp_store, which drops the temp schema where .parameter keeps its values
        printf '.parameter set @n %d\nBEGIN;\n%s\n' "$n" "$drop"
        cat "$here/people.sql"
        printf '%s\nCOMMIT;\nANALYZE;\nPRAGMA journal_mode=WAL;\n' "$idx"
    } | sqlite3 "$db" >/dev/null || die "generating $db failed"
    [[ $(sqlite3 "$db" "SELECT count(*) FROM people") == "$n" ]] || die "generating $db: wrong row count"
    echo "$n $schema_sum" >"$db.stamp"
    say "  done in $(($(date +%s) - t0)) s, $(du -h "$db" | cut -f1)"
}

cc -O2 -std=c11 -Wall -Wextra -o "$W/coldstart" "$here/coldstart.c" || die "cannot build bench/coldstart.c"
people_db "$W/people.db" "$N_PEOPLE"
people_db "$W/big.db" "$N_BIG"
big_bytes=$(stat -c %s "$W/big.db")

load0=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- header ----------------------------------------------------------------------------------
commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo "none")
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
out() { printf '%s\n' "$*"; }
out "bureau bench  $(date -u +%Y-%m-%dT%H:%MZ)  commit $commit  $("$BUREAU" version 2>/dev/null | head -n 1)"
out "machine: $(nproc) cores, ${cpu:-unknown CPU}, $(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"
out "tools: $(wrk --version 2>&1 | head -n 1 | cut -d' ' -f1-2), $("$NGINX" -v 2>&1 | cut -d' ' -f3), sqlite3 $(sqlite3 --version | cut -d' ' -f1)"
out "load: wrk -t$THREADS -d$DUR (after a $WARM warm-up) on loopback; server: serve --threads $THREADS --quiet"
out "data: $N_PEOPLE people in 100 departments; cold start on $N_BIG people, $(awk -v b="$big_bytes" 'BEGIN { printf "%.2f GB", b / 1e9 }')"
out ""
row "workload" "conns" "bureau" "reference (same run)" "goal"
row "--------" "-----" "------" "--------------------" "----"

# ---- reads on the 1M-row table ---------------------------------------------------------------
free_port
pa=$REPLY
start_bureau "$W/people.db" "$pa"
srv_a=$SRV
sleep 0.2
idle_big_kib=$(kib "$srv_a" VmRSS)
base="http://127.0.0.1:$pa"

pid_one=$(sqlite3 "$W/people.db" "SELECT id FROM people WHERE tenant_id = 1 AND staff_no = 'S0012345'")
d37=$(sqlite3 "$W/people.db" "SELECT id FROM departments WHERE tenant_id = 1 AND code = 'BENCH-037'")
[[ -n $pid_one && -n $d37 ]] || die "generated data not found in $W/people.db"
one="/api/v1/people/$pid_one"
code=$(curl -s -o "$W/record.json" -w '%{http_code}' "${hdr[@]}" "$base$one")
[[ $code == 200 ]] || die "GET $one answered $code (need auth? set BENCH_TOKEN): $(head -c 300 "$W/record.json")"


# nginx serving the same body as a static file
ngx_dir=$(mktemp -d "${TMPDIR:-/tmp}/bureau-bench-nginx.XXXXXX")
chmod 755 "$ngx_dir"             # workers may run as nobody when we are root
cp "$W/record.json" "$ngx_dir/record.json"
chmod 644 "$ngx_dir/record.json"
free_port
pn=$REPLY
cat >"$ngx_dir/nginx.conf" <<EOF
worker_processes 2;
daemon off;
pid $ngx_dir/nginx.pid;
error_log $ngx_dir/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $ngx_dir/client_body;
    proxy_temp_path $ngx_dir/proxy;
    fastcgi_temp_path $ngx_dir/fastcgi;
    uwsgi_temp_path $ngx_dir/uwsgi;
    scgi_temp_path $ngx_dir/scgi;
    default_type application/json;
    keepalive_requests 1000000;
    server {
        listen 127.0.0.1:$pn;
        root $ngx_dir;
    }
}
EOF
"$NGINX" -p "$ngx_dir/" -c "$ngx_dir/nginx.conf" -e "$ngx_dir/error.log" >>"$W/server.log" 2>&1 &
ngx_pid=$!
pids+=("$ngx_pid")
wait_up "http://127.0.0.1:$pn/record.json" "$ngx_pid" || die "nginx did not start: $(cat "$ngx_dir/error.log" 2>/dev/null)"
curl -s "http://127.0.0.1:$pn/record.json" | cmp -s - "$W/record.json" || die "nginx serves a different body"
# bureau and nginx alternate twice and the better run of each counts, so that a burst of other work
# on the machine spoils one run, not the ratio.
say "GET /api/health, GET one record, nginx static file"
bench health "$CONN" "$base/api/health"
bench one-1 "$CONN" "$base$one"
bench nginx-1 "$CONN" "http://127.0.0.1:$pn/record.json"
bench one-2 "$CONN" "$base$one"
bench nginx-2 "$CONN" "http://127.0.0.1:$pn/record.json"
bench one-low "$LOW" "$base$one"
stop_pid "$ngx_pid"
for n in one nginx; do
    if (($(rps "$n-1") >= $(rps "$n-2"))); then cp "$W/wrk-$n-1.txt" "$W/wrk-$n.txt"; else cp "$W/wrk-$n-2.txt" "$W/wrk-$n.txt"; fi
done
rm -rf "$ngx_dir"
ngx_dir=

r_health=$(rps health)
r_one=$(rps one)
r_ngx=$(rps nginx)
ratio=$(awk -v a="$r_one" -v b="$r_ngx" 'BEGIN { printf "%.2f", b ? a / b : 0 }')
row "GET /api/health (no database)" "$CONN" "$(commas "$r_health") req/s$(trouble health)" "(the server's own ceiling)" ""
row "GET one record ($(stat -c %s "$W/record.json") B JSON)" "$CONN" "$(commas "$r_one") req/s (best of 2)$(trouble one)" \
    "nginx static file $(commas "$r_ngx") req/s (best of 2)$(trouble nginx)" "ratio $ratio (goal >= 0.5) $(verdict "$ratio" ">=" 0.5)"

say "50-row pages"
# name, label, URL
pages=("dept" "page A: one department" "/api/v1/people?department_id=$d37&limit=50"
       "dept-sorted" "page B: A sorted by -joined_on" "/api/v1/people?department_id=$d37&sort=-joined_on&limit=50"
       "contract" "page C: contract_staff=true" "/api/v1/people?contract_staff=true&limit=50")
for ((i = 0; i < ${#pages[@]}; i += 3)); do
    name=${pages[i]} url=${pages[i + 2]}
    body=$(curl -s "${hdr[@]}" "$base$url")
    n=$(grep -o '"staff_no":' <<<"$body" | wc -l)
    ((n == 50)) || die "GET $url returned $n rows, not 50: ${body:0:300}"
    bench "$name" "$CONN" "$base$url"
    bench "$name-low" "$LOW" "$base$url"
done
peak_big_kib=$(kib "$srv_a" VmHWM)
stop_pid "$srv_a"

for ((i = 0; i < ${#pages[@]}; i += 3)); do
    name=${pages[i]} label=${pages[i + 1]}
    for c in "$CONN" "$LOW"; do
        f=$name ref=one
        [[ $c == "$CONN" ]] || { f=$name-low ref=one-low; }
        p99=$(pct "$f" 99%)
        row "$label" "$c" "p50 $(pct "$f" 50%) ms  p99 $p99 ms  $(commas "$(rps "$f")")/s$(trouble "$f")" \
            "one record: p50 $(pct "$ref" 50%) ms  p99 $(pct "$ref" 99%) ms" \
            "p99 < 10 ms $(verdict "$p99" "<" 10)"
    done
done

# ---- writes on a fresh database --------------------------------------------------------------
say "POST create"
rm -f "$W/post.db" "$W/post.db-wal" "$W/post.db-shm"
"$BUREAU" init --db "$W/post.db" >>"$W/server.log" 2>&1 || die "bureau init --db post.db failed"
free_port
pb=$REPLY
start_bureau "$W/post.db" "$pb"
srv_b=$SRV
sleep 0.2
idle_kib=$(kib "$srv_b" VmRSS)
tag=$(date +%s)
say "  wrk post: -c$CONN -d$DUR"
wrk -t"$THREADS" -c"$CONN" -d"$WARM" -s "$here/post.lua" "${hdr[@]}" "http://127.0.0.1:$pb/api/v1/departments" -- "${tag}w" >/dev/null
wrk -t"$THREADS" -c"$CONN" -d"$DUR" --latency -s "$here/post.lua" "${hdr[@]}" \
    "http://127.0.0.1:$pb/api/v1/departments" -- "$tag" >"$W/wrk-post.txt"
peak_kib=$(kib "$srv_b" VmHWM)
stop_pid "$srv_b"
r_post=$(rps post)
bad=$(awk -F'[ =]' '/^BENCH non2xx=/ { print $3 " (409: " $5 ")" }' "$W/wrk-post.txt")
rows=$(sqlite3 "$W/post.db" "SELECT count(*) FROM departments")
row "POST /api/v1/departments (SQLite)" "$CONN" "$(commas "$r_post") req/s, non-2xx ${bad:-?}" \
    "GET one record $(commas "$r_one") req/s" "goal >= 5,000/s $(verdict "$r_post" ">=" 5000)"
row "  (latency; rows in the table)" "$CONN" "p50 $(pct post 50%) ms  p99 $(pct post 99%) ms  $(commas "$rows") rows" "" ""

row "RSS idle, fresh database" "-" "$(mib "$idle_kib") MiB" "$(commas "$N_PEOPLE")-row db: $(mib "$idle_big_kib") MiB" \
    "< 20 MiB $(verdict "$(mib "$idle_kib")" "<" 20)"
row "RSS peak (VmHWM) after POST load" "$CONN" "$(mib "$peak_kib") MiB" \
    "after the GET loads: $(mib "$peak_big_kib") MiB" "< 64 MiB $(verdict "$(mib "$peak_kib")" "<" 64)"

# ---- cold start --------------------------------------------------------------------------------
# starts DB EVICT: STARTS starts from exec to the first 200 on /api/health; REPLY="median min max" ms.
# With EVICT=1 the database files are dropped from the page cache first (dd iflag=nocache).
starts() {
    local db=$1 evict=$2 i f t port all=()
    for ((i = 0; i < STARTS; i++)); do
        if ((evict)); then
            for f in "$db" "$db-wal" "$db-shm"; do
                [[ -f $f ]] && dd if="$f" iflag=nocache count=0 status=none
            done
        fi
        free_port
        port=$REPLY
        t=$("$W/coldstart" "$port" 30000 "$W/server.log" -- \
            "$BUREAU" serve --db "$db" --listen "127.0.0.1:$port" --threads "$THREADS" --quiet) ||
            die "bureau did not answer on $db"
        all+=("$t")
    done
    REPLY=$(printf '%s\n' "${all[@]}" | sort -n |
        awk '{ v[NR] = $1 } END { printf "%.1f %.1f %.1f", v[int((NR + 1) / 2)], v[1], v[NR] }')
}
say "cold starts"
starts "$W/big.db" 1
read -r c_med c_min c_max <<<"$REPLY"
starts "$W/big.db" 0
read -r w_med w_min w_max <<<"$REPLY"
starts "$W/post.db" 1
read -r e_med _ _ <<<"$REPLY"
gb=$(awk -v b="$big_bytes" 'BEGIN { printf "%.2f", b / 1e9 }')
row "cold start, $gb GB db, not cached" "-" "median $c_med ms ($c_min-$c_max, $STARTS starts)" \
    "small db, not cached: median $e_med ms" "< 200 ms $(verdict "$c_med" "<" 200)"
row "  (same, db in page cache)" "-" "median $w_med ms ($w_min-$w_max)" "" ""
out ""
for ((i = 0; i < ${#pages[@]}; i += 3)); do
    out "${pages[i + 1]%%:*}: GET ${pages[i + 2]}"
done
out "one record: GET $one; latency at $CONN connections includes queueing ($CONN / rate)"
out "load average before/after: $load0 / $(cut -d' ' -f1-3 /proc/loadavg)"
say "done; wrk outputs in $W$( ((keep)) || echo ' (removed now; set BENCH_DIR to keep them)')"
