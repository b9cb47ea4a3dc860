#!/usr/bin/env bash
# bench/names.sh - the 50-row page of people sorted by name (pinyin, ICU collation) on a
# BENCH_PEOPLE-row table (bench/people.sql), beside the same page sorted by staff number (code
# point order, no collation) and, when BENCH_REF_BIN names an older binary, the same pages on it.
# wrk, 4 connections (what one user waits: p50/p99), 2 threads. Nothing is asserted.
#
#   BUREAU          the binary (build/bureau); its bureau-collate.so beside it for the shell
#   BENCH_REF_BIN   a reference binary to compare (e.g. one built before the collation), optional
#   BENCH_PEOPLE    rows (200000); BENCH_DURATION each run (10s), BENCH_WARMUP before it (2s)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
BUREAU=${BUREAU:-$root/build/bureau}
[[ $BUREAU == /* ]] || BUREAU=$PWD/$BUREAU
REF=${BENCH_REF_BIN:-}
N=${BENCH_PEOPLE:-200000}
DUR=${BENCH_DURATION:-10s}
WARM=${BENCH_WARMUP:-2s}
PW=Bench-Secret-2026
export BUREAU_ADMIN_PASSWORD=$PW
die() { echo "names.sh: $*" >&2; exit 1; }
for c in wrk sqlite3 curl; do command -v $c >/dev/null || die "missing $c (scripts/deps.sh)"; done
[[ -x $BUREAU && -f ${BUREAU%/*}/bureau-collate.so ]] || die "build first: make"
EXT=${BUREAU%/*}/bureau-collate

W=$(mktemp -d "${TMPDIR:-/tmp}/bureau-names.XXXXXX")
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; rm -rf "$W"; }
trap cleanup EXIT

# db BINARY FILE: `init`, then 100 departments and N people, indexes rebuilt after the load
db() {
    "$1" init --db "$2" >>"$W/log" 2>&1 || die "init failed"
    local idx drop
    idx=$(sqlite3 -cmd ".load $EXT" "$2" "SELECT sql || ';' FROM sqlite_master WHERE type = 'index' AND tbl_name = 'people' AND sql IS NOT NULL")
    drop=$(sqlite3 "$2" "SELECT 'DROP INDEX ' || name || ';' FROM sqlite_master WHERE type = 'index' AND tbl_name = 'people' AND sql IS NOT NULL")
    { printf '.bail on\nPRAGMA journal_mode=OFF;\nPRAGMA synchronous=OFF;\nPRAGMA temp_store=MEMORY;\n'
      printf '.parameter set @n %d\nBEGIN;\n%s\n' "$N" "$drop"
      cat "$here/people.sql"
      printf '%s\nCOMMIT;\nANALYZE;\nPRAGMA journal_mode=WAL;\n' "$idx"
    } | sqlite3 -cmd ".load $EXT" "$2" >/dev/null || die "loading $2 failed"
}

# serve BINARY FILE: BASE, TOKEN (an API token of the admin role)
serve() {
    local port=$((20000 + RANDOM % 12000))
    "$1" serve --db "$2" --listen "127.0.0.1:$port" --threads 2 --quiet >>"$W/log" 2>&1 &
    pids+=($!)
    BASE=http://127.0.0.1:$port
    for ((i = 0; i < 400; i++)); do curl -sf -o /dev/null "$BASE/api/health" && break; sleep 0.025; done
    local hdr=$W/h body sid csrf role
    body=$(curl -s -D "$hdr" -H 'Content-Type: application/json' -d "{\"username\":\"admin\",\"password\":\"$PW\"}" "$BASE/api/v1/session")
    sid=$(tr -d '\r' <"$hdr" | sed -n 's/^[Ss]et-[Cc]ookie: bureau_session=\([^;]*\).*/\1/p' | head -n 1)
    csrf=$(sed -n 's/.*"csrf":"\([^"]*\)".*/\1/p' <<<"$body")
    role=$(curl -s -H "Cookie: bureau_session=$sid" "$BASE/api/v1/roles?code=admin" | sed -n 's/.*"items":\[{"id":\([0-9]*\).*/\1/p')
    TOKEN=$(curl -s -H "Cookie: bureau_session=$sid" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
        -d "{\"name\":\"bench\",\"role_id\":$role}" "$BASE/api/v1/api_tokens" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
    [[ -n $TOKEN ]] || die "no API token on $1"
}

# the server's CPU time in clock ticks (utime + stime)
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# load LABEL PATH TAG: req/s, p50, p99 of GET PATH, and the server's CPU per request (less
# sensitive than the rates to other work on the machine)
load() {
    wrk -t2 -c4 -d"$WARM" -H "Authorization: Bearer $TOKEN" "$BASE$2" >/dev/null
    local t0 t1 n rps p50 p99 bad cpu hz
    hz=$(getconf CLK_TCK)
    t0=$(ticks "${pids[-1]}")
    wrk -t2 -c4 -d"$DUR" --latency -H "Authorization: Bearer $TOKEN" "$BASE$2" >"$W/wrk"
    t1=$(ticks "${pids[-1]}")
    n=$(awk '/requests in/ { print $1 }' "$W/wrk")
    rps=$(awk '/^Requests\/sec/ { printf "%d", $2 }' "$W/wrk")
    p50=$(awk '$1 == "50%" { print $2 }' "$W/wrk")
    p99=$(awk '$1 == "99%" { print $2 }' "$W/wrk")
    bad=$(awk '/Non-2xx/ { print $NF }' "$W/wrk")
    cpu=$(awk -v t=$((t1 - t0)) -v n="$n" -v hz="$hz" 'BEGIN { printf "%.0f", t * 1e6 / hz / n }')
    printf '| %-9s | %-44s | %7s | %8s | %8s | %6s |%s\n' "$3" "$1" "$rps" "$p50" "$p99" "$cpu" \
        "${bad:+ $bad non-2xx!}"
}

run() {
    local bin=$1 tag=$2 d cur
    db "$bin" "$W/$tag.db"
    d=$(sqlite3 "$W/$tag.db" "SELECT id FROM departments WHERE code = 'BENCH-037'")
    serve "$bin" "$W/$tag.db"
    cur=$(curl -s -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/people?sort=name&limit=500" | sed -n 's/.*"next":"\([^"]*\)".*/\1/p')
    load "all, sort=name, first page" "/api/v1/people?sort=name&limit=50" "$tag"
    load "all, sort=name, after 500" "/api/v1/people?sort=name&limit=50&after=$cur" "$tag"
    load "a department, sort=name" "/api/v1/people?department_id=$d&sort=name&limit=50" "$tag"
    load "a department, sort=-name" "/api/v1/people?department_id=$d&sort=-name&limit=50" "$tag"
    load "all, sort=staff_no (no collation)" "/api/v1/people?sort=staff_no&limit=50" "$tag"
    if [[ $tag == bureau ]]; then # a tenant whose names go by strokes: no index of its own
        curl -sf -o /dev/null -X PATCH -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
            -d '{"name_order":"stroke"}' "$BASE/api/v1/tenants/1" || die "cannot set name_order"
        load "a department, sort=name, by strokes" "/api/v1/people?department_id=$d&sort=name&limit=50" "$tag"
        load "all, sort=name, by strokes" "/api/v1/people?sort=name&limit=50" "$tag"
    fi
    kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true
}

echo "people: $N; wrk -t2 -c4, $DUR after $WARM warm-up; server --threads 2"
echo "| binary    | page (50 rows)                               |   req/s |      p50 |      p99 | CPU µs/req |"
echo "|---|---|---|---|---|---|"
[[ -n $REF ]] && run "$REF" ref
run "$BUREAU" bureau
