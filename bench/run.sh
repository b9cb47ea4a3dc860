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
#   BENCH_ROUNDS    turns taken by runs that are compared (3): the best of each counts
#   BENCH_REF       commit of the reference binary without sign-in and audit (1e55bce); "none" skips it
#   BENCH_ADMIN_PASSWORD  the admin password of the generated databases (Bench-Secret-2026)
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
ROUNDS=${BENCH_ROUNDS:-3}
REF=${BENCH_REF:-1e55bce}   # "created_by on every record": the last commit before sign-in and audit
ADMIN_PW=${BENCH_ADMIN_PASSWORD:-Bench-Secret-2026}
export BUREAU_ADMIN_PASSWORD=$ADMIN_PW   # read by `bureau init` when it creates the admin
CONN=64       # the issue's load: 64 keep-alive connections
LOW=4         # low concurrency: what p99 means for one user
MID=16        # the GET load beside the sign-in loops
LOGINS=20     # sequential sign-ins timed
LOGIN_CONN=4  # sign-in loops beside the GET load
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
# the sqlite3 shell with the names' collations (src/db/collate.h), built beside the binary: an
# index of names uses them, so the shell cannot write those tables without them
sqlite3() { command sqlite3 -cmd ".load ${BUREAU%/*}/bureau-collate" "$@"; }

# seconds in a wrk duration (10s, 2m, 1h or plain seconds)
secs() {
    case $1 in
    *s) echo "${1%s}" ;;
    *m) echo $((${1%m} * 60)) ;;
    *h) echo $((${1%h} * 3600)) ;;
    *) echo "$1" ;;
    esac
}
dur_s=$(secs "$DUR")
warm_s=$(secs "$WARM")

# ---- work dir, processes, clean-up -----------------------------------------------------------
if [[ -n ${BENCH_DIR:-} ]]; then
    mkdir -p "$BENCH_DIR"
    W=$(cd "$BENCH_DIR" && pwd)
    keep=1
else
    W=$(mktemp -d "${TMPDIR:-/tmp}/bureau-bench.XXXXXX")
    keep=0
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bureau-bench-tmp.XXXXXX")   # nginx root, reference worktree
chmod 755 "$tmp"   # nginx workers may run as nobody when we are root
ngx_dir=
ref_wt=
pids=()
cleanup() {
    local p
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
    [[ -n $ref_wt ]] && git -C "$root" worktree remove --force "$ref_wt" >/dev/null 2>&1
    rm -rf "$tmp"
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
        [[ $(curl -s -o /dev/null -w '%{http_code}' "$1" || true) == 200 ]] && return 0
        kill -0 "$2" 2>/dev/null || return 1
        sleep 0.025
    done
    return 1
}

# start_bureau BINARY DB: starts the server on a free port; its pid in SRV, its URL in BASE.
start_bureau() {
    free_port
    "$1" serve --db "$2" --listen "127.0.0.1:$REPLY" --threads "$THREADS" --quiet >>"$W/server.log" 2>&1 &
    SRV=$!
    BASE="http://127.0.0.1:$REPLY"
    pids+=("$SRV")
    wait_up "$BASE/api/health" "$SRV" || die "$1 did not come up on $2"
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

# ---- signing in --------------------------------------------------------------------------------
# signin URL: POST /api/v1/session as admin; the session id in SID, the CSRF token in CSRF.
signin() {
    local body
    body=$(curl -s -D "$tmp/signin.hdr" -H 'Content-Type: application/json' \
        -d "{\"username\":\"admin\",\"password\":\"$ADMIN_PW\"}" "$1/api/v1/session") || true
    SID=$(tr -d '\r' <"$tmp/signin.hdr" | sed -n 's/^[Ss]et-[Cc]ookie: bureau_session=\([^;]*\).*/\1/p' | head -n 1)
    CSRF=$(sed -n 's/^{"csrf":"\([^"]*\)".*/\1/p' <<<"$body")
    [[ -n $SID && -n $CSRF ]] ||
        die "sign-in as admin failed (a BENCH_DIR database made with another BENCH_ADMIN_PASSWORD?): ${body:0:300}"
}

# credentials BINARY DB: a session and an API token of the admin role on DB, made by a server
# started for that only (so the measured server starts without argon2id's 64 MiB in its VmHWM).
# Sets SID, CSRF and TOKEN.
credentials() {
    local role body
    start_bureau "$1" "$2"
    signin "$BASE"
    body=$(curl -s -H "Cookie: bureau_session=$SID" "$BASE/api/v1/roles?code=admin")
    role=$(grep -o '"id":[0-9]*' <<<"$body" | head -n 1 | cut -d: -f2)
    [[ -n $role ]] || die "GET /api/v1/roles?code=admin: ${body:0:300}"
    body=$(curl -s -H "Cookie: bureau_session=$SID" -H "X-CSRF-Token: $CSRF" -H 'Content-Type: application/json' \
        -d "{\"name\":\"bench $(date -u +%FT%TZ)\",\"role_id\":$role}" "$BASE/api/v1/api_tokens")
    TOKEN=$(sed -n 's/.*"token":"\(bur_[^"]*\)".*/\1/p' <<<"$body")
    [[ -n $TOKEN ]] || die "POST /api/v1/api_tokens: ${body:0:300}"
    stop_pid "$SRV"
}

# ---- wrk and its output ----------------------------------------------------------------------
# CPU time of a server: utime + stime in clock ticks. When CPU_PID is set, bench() saves the server's
# CPU time over the measured run as $W/cpu-NAME.txt, for CPU per request (steadier than req/s when
# other work shares the machine).
TICK=$(getconf CLK_TCK 2>/dev/null || echo 100)
CPU_PID=
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# measured NAME WRK-ARGS... : the measured wrk run saved as $W/wrk-NAME.txt (and its CPU time)
measured() {
    local name=$1 t0
    shift
    [[ -n $CPU_PID ]] && t0=$(ticks "$CPU_PID")
    wrk "$@" >"$W/wrk-$name.txt"
    [[ -z $CPU_PID ]] || echo $(($(ticks "$CPU_PID") - t0)) >"$W/cpu-$name.txt"
}
# bench NAME CONNS WRK-ARGS... : a warm-up run, then the measured one saved as $W/wrk-NAME.txt.
bench() {
    local name=$1 c=$2
    shift 2
    say "  wrk $name: -c$c -d$DUR"
    wrk -t"$THREADS" -c"$c" -d"$WARM" "$@" >/dev/null
    measured "$name" -t"$THREADS" -c"$c" -d"$DUR" --latency "$@"
}
rps() { awk '/^Requests\/sec:/ { printf "%d", $2 }' "$W/wrk-$1.txt"; }
# cpu NAME -> the server's CPU microseconds per request in that run
cpu() {
    awk -v t="$(cat "$W/cpu-$1.txt" 2>/dev/null || echo 0)" -v hz="$TICK" \
        '/ requests in / { n = $1 } END { printf "%d", n ? t * 1e6 / hz / n : 0 }' "$W/wrk-$1.txt"
}
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
# best NAME: copies the best of wrk-NAME-1 .. wrk-NAME-$ROUNDS to wrk-NAME (and its CPU time)
best() {
    local k b=1
    for ((k = 2; k <= ROUNDS; k++)); do
        (($(rps "$1-$k") > $(rps "$1-$b"))) && b=$k
    done
    cp "$W/wrk-$1-$b.txt" "$W/wrk-$1.txt"
    if [[ -f $W/cpu-$1-$b.txt ]]; then cp "$W/cpu-$1-$b.txt" "$W/cpu-$1.txt"; fi
}
commas() { printf '%s' "$1" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\|\.\)/\1,\2\3/;ta'; }
# verdict VALUE OP GOAL -> "ok" or "MISSED"
verdict() {
    awk -v a="$1" -v op="$2" -v b="$3" 'BEGIN {
        r = (op == "<") ? a < b : (op == "<=") ? a <= b : a >= b; print r ? "ok" : "MISSED" }'
}
div() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b ? a / b : 0 }'; }
row() { printf '%-36s %5s  %-44s %-46s %s\n' "$@"; }
out() { printf '%s\n' "$*"; }

# ---- the reference binary: the platform core before sign-in and audit ---------------------------
REF_BIN=
ref_note="reference unavailable"
ref_commit=
if [[ $REF == none ]]; then
    ref_note="reference unavailable (BENCH_REF=none)"
elif ! command -v git >/dev/null || ! ref_commit=$(git -C "$root" rev-parse --short --verify -q "$REF^{commit}"); then
    ref_note="reference unavailable (no git, or no commit $REF in $root)"
    ref_commit=
else
    say "reference: building $REF in a worktree"
    if git -C "$root" worktree add --detach "$tmp/ref" "$ref_commit" >>"$W/server.log" 2>&1; then
        ref_wt=$tmp/ref
        # its own make, whatever `make bench` passed down (B=, -j, CFLAGS); -O2 -g as the Makefile's default
        if env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u CFLAGS make -C "$ref_wt" -j"$(nproc)" B=build bureau \
            >>"$W/server.log" 2>&1 && [[ -x $ref_wt/build/bureau ]]; then
            REF_BIN=$ref_wt/build/bureau
            ref_note="ref $ref_commit"
        else
            ref_note="reference unavailable (building $REF failed; see server.log)"
        fi
    else
        ref_note="reference unavailable (git worktree add $REF failed)"
    fi
fi
[[ -n $REF_BIN ]] || say "bench: $ref_note"

# ---- data ------------------------------------------------------------------------------------
# people_db BINARY FILE N: a database from `BINARY init` plus 100 departments and N people
# (bench/people.sql), reused when FILE.stamp says it was made for the same N, schema, script and
# admin password.
people_db() {
    local bin=$1 db=$2 n=$3 t0 idx drop sum
    sum=$({ "$bin" dump-ddl sqlite && cat "$here/people.sql" && echo "$ADMIN_PW"; } | cksum | cut -d' ' -f1)
    if [[ -f $db && $(cat "$db.stamp" 2>/dev/null) == "$n $sum" &&
        $(sqlite3 "$db" "SELECT count(*) FROM people" 2>/dev/null) == "$n" ]]; then
        say "reusing $db ($(du -h "$db" | cut -f1))"
        return
    fi
    say "generating $db: $n people ..."
    t0=$(date +%s)
    rm -f "$db" "$db-wal" "$db-shm" "$db.stamp"
    "$bin" init --db "$db" >>"$W/server.log" 2>&1 || die "$bin init --db $db failed"
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
    echo "$n $sum" >"$db.stamp"
    say "  done in $(($(date +%s) - t0)) s, $(du -h "$db" | cut -f1)"
}

# fresh_db BINARY FILE: an empty database from `BINARY init`
fresh_db() {
    rm -f "$2" "$2-wal" "$2-shm"
    "$1" init --db "$2" >>"$W/server.log" 2>&1 || die "$1 init --db $2 failed"
}

cc -O2 -std=c11 -Wall -Wextra -o "$W/coldstart" "$here/coldstart.c" || die "cannot build bench/coldstart.c"
people_db "$BUREAU" "$W/people.db" "$N_PEOPLE"
[[ -n $REF_BIN ]] && people_db "$REF_BIN" "$W/ref-people.db" "$N_PEOPLE"
people_db "$BUREAU" "$W/big.db" "$N_BIG"
big_bytes=$(stat -c %s "$W/big.db")

load0=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- header ----------------------------------------------------------------------------------
commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo "none")
dirty=$(git -C "$root" status --porcelain --untracked-files=all -- src 2>/dev/null | wc -l)
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
out "bureau bench  $(date -u +%Y-%m-%dT%H:%MZ)  commit $commit$( ((dirty)) && echo " + $dirty changed or new files in src/")  $("$BUREAU" version 2>/dev/null | head -n 1)"
out "machine: $(nproc) cores, ${cpu:-unknown CPU}, $(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"
out "tools: $(wrk --version 2>&1 | head -n 1 | cut -d' ' -f1-2), $("$NGINX" -v 2>&1 | cut -d' ' -f3), sqlite3 $(sqlite3 --version | cut -d' ' -f1)"
out "load: wrk -t$THREADS -d$DUR (after a $WARM warm-up) on loopback; server: serve --threads $THREADS --quiet"
out "data: $N_PEOPLE people in 100 departments; cold start on $N_BIG people, $(awk -v b="$big_bytes" 'BEGIN { printf "%.2f GB", b / 1e9 }')"
if [[ -n $REF_BIN ]]; then
    out "reference: $ref_commit ($(git -C "$root" log -1 --format=%s "$ref_commit" | cut -c1-60)), built now; no sign-in, no audit"
else
    out "$ref_note"
fi
out "auth: bearer = Authorization: Bearer bur_... (admin role); cookie = a signed-in admin's bureau_session"
out ""
row "workload" "conns" "bureau" "reference (same run)" "goal"
row "--------" "-----" "------" "--------------------" "----"

# ---- reads on the 1M-row table ---------------------------------------------------------------
credentials "$BUREAU" "$W/people.db"
bearer="Authorization: Bearer $TOKEN"
cookie="Cookie: bureau_session=$SID"
start_bureau "$BUREAU" "$W/people.db"
srv_a=$SRV
base=$BASE
sleep 0.2
idle_big_kib=$(kib "$srv_a" VmRSS)

pid_one=$(sqlite3 "$W/people.db" "SELECT id FROM people WHERE tenant_id = 1 AND staff_no = 'S0012345'")
d37=$(sqlite3 "$W/people.db" "SELECT id FROM departments WHERE tenant_id = 1 AND code = 'BENCH-037'")
[[ -n $pid_one && -n $d37 ]] || die "generated data not found in $W/people.db"
one="/api/v1/people/$pid_one"
for h in "$bearer" "$cookie"; do
    code=$(curl -s -o "$W/record.json" -w '%{http_code}' -H "$h" "$base$one")
    [[ $code == 200 ]] || die "GET $one (${h%%:*}) answered $code: $(head -c 300 "$W/record.json")"
done
code=$(curl -s -o /dev/null -w '%{http_code}' "$base$one")
[[ $code == 401 ]] || say "bench: note: GET $one without credentials answered $code, not 401"

if [[ -n $REF_BIN ]]; then
    start_bureau "$REF_BIN" "$W/ref-people.db"
    srv_r=$SRV
    ref_base=$BASE
    ref_one="/api/v1/people/$(sqlite3 "$W/ref-people.db" "SELECT id FROM people WHERE tenant_id = 1 AND staff_no = 'S0012345'")"
    code=$(curl -s -o "$W/ref-record.json" -w '%{http_code}' "$ref_base$ref_one")
    [[ $code == 200 ]] || die "reference GET $ref_one answered $code: $(head -c 300 "$W/ref-record.json")"
fi

# nginx serving the same body as a static file
ngx_dir=$tmp/nginx
mkdir -p "$ngx_dir"
chmod 755 "$ngx_dir"
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

# The reference, bureau with a token, bureau with a cookie and nginx take turns ROUNDS times and the
# best run of each counts, so that a burst of other work on the machine spoils one run, not a ratio.
say "GET /api/health, GET one record: reference, bearer, cookie, nginx static file, $ROUNDS rounds"
bench health "$CONN" "$base/api/health"
for ((k = 1; k <= ROUNDS; k++)); do
    if [[ -n $REF_BIN ]]; then CPU_PID=$srv_r bench "ref-$k" "$CONN" "$ref_base$ref_one"; fi
    CPU_PID=$srv_a bench "one-$k" "$CONN" -H "$bearer" "$base$one"
    CPU_PID=$srv_a bench "cookie-$k" "$CONN" -H "$cookie" "$base$one"
    bench "nginx-$k" "$CONN" "http://127.0.0.1:$pn/record.json"
done
bench one-low "$LOW" -H "$bearer" "$base$one"
stop_pid "$ngx_pid"
[[ -n $REF_BIN ]] && { stop_pid "$srv_r"; best ref; }
for n in one cookie nginx; do best "$n"; done

r_one=$(rps one)
r_cookie=$(rps cookie)
r_ngx=$(rps nginx)
ratio=$(div "$r_one" "$r_ngx")
row "GET /api/health (no database)" "$CONN" "$(commas "$(rps health)") req/s$(trouble health)" "(the server's own ceiling)" ""
row "GET one record ($(stat -c %s "$W/record.json") B JSON), bearer" "$CONN" "$(commas "$r_one") req/s (best of $ROUNDS)$(trouble one)" \
    "nginx static file $(commas "$r_ngx") req/s (best of $ROUNDS)$(trouble nginx)" "ratio $ratio (goal >= 0.5) $(verdict "$ratio" ">=" 0.5)"
if [[ -n $REF_BIN ]]; then
    r_ref=$(rps ref)
    for a in bearer:one cookie:cookie; do
        x=$(div "$(rps "${a#*:}")" "$r_ref")
        row "GET one record, ${a%%:*} vs no auth" "$CONN" "$(commas "$(rps "${a#*:}")") req/s (best of $ROUNDS)$(trouble "${a#*:}")" \
            "ref, no auth: $(commas "$r_ref") req/s (best of $ROUNDS)$(trouble ref)" "ratio $x (goal >= 0.90) $(verdict "$x" ">=" 0.9)"
    done
    # CPU time per request: the same comparison, much less sensitive to other load on the machine
    row "  (server CPU per request)" "$CONN" "bearer $(cpu one) us, cookie $(cpu cookie) us" "ref $(cpu ref) us" \
        "ref/bearer $(div "$(cpu ref)" "$(cpu one)"), ref/cookie $(div "$(cpu ref)" "$(cpu cookie)")"
    row "  (latency)" "$CONN" "bearer p50 $(pct one 50%) p99 $(pct one 99%) ms; cookie p99 $(pct cookie 99%)" \
        "ref p50 $(pct ref 50%) ms  p99 $(pct ref 99%) ms" ""
else
    row "GET one record, cookie" "$CONN" "$(commas "$r_cookie") req/s (best of $ROUNDS)$(trouble cookie)" "$ref_note" ""
fi

say "50-row pages"
# name, label, URL
pages=("dept" "page A: one department" "/api/v1/people?department_id=$d37&limit=50"
       "dept-sorted" "page B: A sorted by -joined_on" "/api/v1/people?department_id=$d37&sort=-joined_on&limit=50"
       "contract" "page C: contract_staff=true" "/api/v1/people?contract_staff=true&limit=50")
for ((i = 0; i < ${#pages[@]}; i += 3)); do
    name=${pages[i]} url=${pages[i + 2]}
    body=$(curl -s -H "$bearer" "$base$url")
    n=$(grep -o '"staff_no":' <<<"$body" | wc -l)
    ((n == 50)) || die "GET $url returned $n rows, not 50: ${body:0:300}"
    bench "$name" "$CONN" -H "$bearer" "$base$url"
    bench "$name-low" "$LOW" -H "$bearer" "$base$url"
done
peak_big_kib=$(kib "$srv_a" VmHWM)   # before any sign-in on this process

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

# ---- sign-in ---------------------------------------------------------------------------------
say "sign-in: $LOGINS in a row, then GET one record alone and beside $LOGIN_CONN sign-in loops"
lt=()
for ((i = 0; i < LOGINS; i++)); do
    r=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' -H 'Content-Type: application/json' \
        -d "{\"username\":\"admin\",\"password\":\"$ADMIN_PW\"}" "$base/api/v1/session")
    [[ ${r%% *} == 200 ]] || die "sign-in $i answered ${r%% *}"
    lt+=("${r#* }")
done
read -r l_med l_min l_max < <(printf '%s\n' "${lt[@]}" | sort -n |
    awk '{ v[NR] = $1 * 1000 } END { printf "%.1f %.1f %.1f\n", (v[int((NR + 1) / 2)] + v[int(NR / 2) + 1]) / 2, v[1], v[NR] }')
bench alone "$MID" -H "$bearer" "$base$one"
wrk -t1 -c"$LOGIN_CONN" -d"$((warm_s + dur_s + 2))s" --latency -s "$here/login.lua" "$base/api/v1/session" \
    -- admin "$ADMIN_PW" >"$W/wrk-logins.txt" 2>&1 &
lw=$!
pids+=("$lw")
sleep 0.5
bench besides "$MID" -H "$bearer" "$base$one"
wait "$lw" || true
stop_pid "$lw"
login_kib=$(kib "$srv_a" VmHWM)
stop_pid "$srv_a"
l_bad=$(sed -n 's/^BENCH non200=//p' "$W/wrk-logins.txt")
row "sign-in (POST /api/v1/session)" "1" "median $l_med ms, max $l_max ms ($LOGINS in a row)" "min $l_min ms" \
    "<= 250 ms $(verdict "$l_max" "<=" 250)"
row "GET one record beside sign-in loops" "$MID" \
    "$(commas "$(rps besides)") req/s  p50 $(pct besides 50%) p99 $(pct besides 99%) ms$(trouble besides)" \
    "alone: $(commas "$(rps alone)") req/s  p50 $(pct alone 50%) p99 $(pct alone 99%) ms" \
    "keeps $(awk -v a="$(rps besides)" -v b="$(rps alone)" 'BEGIN { printf "%.0f", b ? 100 * a / b : 0 }') % of the rate (>= 90 %)"
row "  (the $LOGIN_CONN sign-in loops meanwhile)" "$LOGIN_CONN" \
    "$(awk '/^Requests\/sec:/ { printf "%.1f", $2 }' "$W/wrk-logins.txt") sign-ins/s  p50 $(pct logins 50%) p99 $(pct logins 99%) ms" \
    "non-200: ${l_bad:-?}$(trouble logins)" ""

# ---- writes on a fresh database --------------------------------------------------------------
say "POST create: reference (no audit) and bureau (audit), taking turns"
# the WAL of the POST database has been seen to grow by ~140 MB/s under this load (see RESULTS.md)
free_kib=$(df -Pk "$W" | awk 'NR == 2 { print $4 }')
if ((free_kib < 10 * 1024 * 1024)); then
    say "bench: warning: $(mib "$((free_kib / 1024))") MiB free in $W; the POST runs' WAL may take several GiB"
fi
fresh_db "$BUREAU" "$W/post.db"
credentials "$BUREAU" "$W/post.db"
post_hdr=(-H "Authorization: Bearer $TOKEN")
start_bureau "$BUREAU" "$W/post.db"
srv_b=$SRV
post_base=$BASE
sleep 0.2
idle_kib=$(kib "$srv_b" VmRSS)
if [[ -n $REF_BIN ]]; then
    fresh_db "$REF_BIN" "$W/ref-post.db"
    start_bureau "$REF_BIN" "$W/ref-post.db"
    srv_rp=$SRV
    ref_post_base=$BASE
fi
tag=$(date +%s)
wal=0
# post NAME URL [wrk args...]: the POST load with a run tag of its own
post() {
    local name=$1 url=$2
    shift 2
    say "  wrk $name: -c$CONN -d$DUR"
    wrk -t"$THREADS" -c"$CONN" -d"$WARM" -s "$here/post.lua" "$@" "$url/api/v1/departments" -- "${tag}${name}w" >/dev/null
    measured "$name" -t"$THREADS" -c"$CONN" -d"$DUR" --latency -s "$here/post.lua" "$@" \
        "$url/api/v1/departments" -- "${tag}${name}"
}
for ((k = 1; k <= ROUNDS; k++)); do
    if [[ -n $REF_BIN ]]; then CPU_PID=$srv_rp post "post-ref-$k" "$ref_post_base"; fi
    CPU_PID=$srv_b post "post-$k" "$post_base" "${post_hdr[@]}"
    w=$(stat -c %s "$W/post.db-wal" 2>/dev/null || echo 0)   # before the clean stop checkpoints it away
    if ((w > wal)); then wal=$w; fi
done
peak_kib=$(kib "$srv_b" VmHWM)
db_bytes=$(stat -c %s "$W/post.db")
stop_pid "$srv_b"
best post
[[ -n $REF_BIN ]] && { stop_pid "$srv_rp"; best post-ref; }
r_post=$(rps post)
bad=$(awk -F'[ =]' '/^BENCH non2xx=/ { print $3 " (409: " $5 ")" }' "$W/wrk-post.txt")
rows=$(sqlite3 "$W/post.db" "SELECT count(*) FROM departments")
audits=$(sqlite3 "$W/post.db" "SELECT count(*) FROM audit_entries" 2>/dev/null || echo "?")
row "POST /api/v1/departments (SQLite)" "$CONN" "$(commas "$r_post") req/s (best of $ROUNDS), non-2xx ${bad:-?}" \
    "GET one record $(commas "$r_one") req/s" "goal >= 5,000/s $(verdict "$r_post" ">=" 5000)"
if [[ -n $REF_BIN ]]; then
    r_pref=$(rps post-ref)
    ovh=$(awk -v a="$r_post" -v b="$r_pref" 'BEGIN { printf "%.1f", b ? 100 * (b - a) / b : 0 }')
    bad_ref=$(awk -F'[ =]' '/^BENCH non2xx=/ { print $3 }' "$W/wrk-post-ref.txt")
    row "  audit chain's cost" "$CONN" "$(commas "$r_post") req/s with audit + bearer" \
        "ref, no audit: $(commas "$r_pref") req/s, non-2xx ${bad_ref:-?}" "overhead $ovh % (goal <= 15 %) $(verdict "$ovh" "<=" 15)"
    rounds=
    for ((k = 1; k <= ROUNDS; k++)); do rounds+="${rounds:+ / }$(commas "$(rps "post-$k")")"; done
    ref_rounds=
    for ((k = 1; k <= ROUNDS; k++)); do ref_rounds+="${ref_rounds:+ / }$(commas "$(rps "post-ref-$k")")"; done
    row "  (req/s round by round)" "$CONN" "$rounds" "ref $ref_rounds" ""
    row "  (server CPU per request)" "$CONN" "$(cpu post) us" "ref $(cpu post-ref) us" \
        "$(awk -v a="$(cpu post)" -v b="$(cpu post-ref)" 'BEGIN { printf "+%.0f %%", b ? 100 * (a - b) / b : 0 }')"
    row "  (latency)" "$CONN" "p50 $(pct post 50%) ms  p99 $(pct post 99%) ms" \
        "ref p50 $(pct post-ref 50%) ms  p99 $(pct post-ref 99%) ms" ""
else
    row "  audit chain's cost" "$CONN" "p50 $(pct post 50%) ms  p99 $(pct post 99%) ms" "$ref_note" ""
fi
row "  (rows, audit entries, WAL size)" "$CONN" "$(commas "$rows") rows, $(commas "$audits") audit entries" \
    "WAL at most $(mib "$((wal / 1024))") MiB beside a $(mib "$((db_bytes / 1024))") MiB db" ""

row "RSS idle, fresh database" "-" "$(mib "$idle_kib") MiB" "$(commas "$N_PEOPLE")-row db: $(mib "$idle_big_kib") MiB" \
    "< 20 MiB $(verdict "$(mib "$idle_kib")" "<" 20)"
row "RSS peak (VmHWM) after POST load" "$CONN" "$(mib "$peak_kib") MiB" \
    "after the GET loads: $(mib "$peak_big_kib") MiB" "< 64 MiB $(verdict "$(mib "$peak_kib")" "<" 64)"
row "RSS peak (VmHWM) with sign-ins too" "-" "$(mib "$login_kib") MiB" \
    "argon2id m=12 MiB t=3, on --hash-threads (cores-1, 1..4)" "< 64 MiB $(verdict "$(mib "$login_kib")" "<" 64)"

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
out "sign-in loops: wrk -t1 -c$LOGIN_CONN -s bench/login.lua (back to back) while GET one record runs at $MID connections"
out "audit chain's cost: the same post.lua on a fresh database each, ref (no sign-in, no audit) and bureau (bearer, audit) taking turns"
out "best of $ROUNDS: runs that are compared take turns $ROUNDS times and the best counts; server CPU per request = utime + stime over the run / requests"
out "load average before/after: $load0 / $(cut -d' ' -f1-3 /proc/loadavg)"
say "done; wrk outputs in $W$( ((keep)) || echo ' (removed now; set BENCH_DIR to keep them)')"
