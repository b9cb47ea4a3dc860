#!/usr/bin/env bash
# bench/servicedesk.sh - the service desk's figures (issue 4), printed beside their goals; nothing
# is asserted. With 1,000,000 requests stored (SQLite):
#   - the dispatcher board's queries: p50/p99 at 4 connections (what one dispatcher waits);
#   - the monthly SLA and satisfaction report (GET /api/v1/servicedesk/report for a month);
#   - filing a request with one 2 MB photo (upload + create, sequential, as a staff member would).
#
# Environment: BUREAU (default build/bureau), BENCH_DIR (keep and reuse the 1M-row database),
# BENCH_DURATION (10s per board query), BENCH_REQUESTS (1000000), BENCH_FILINGS (30).
set -euo pipefail

source "$(dirname "$0")/lib.sh"
DUR=${BENCH_DURATION:-10s}
N=${BENCH_REQUESTS:-1000000}
FILINGS=${BENCH_FILINGS:-30}

bench_start wrk sqlite3 curl node
DB=$W/servicedesk-$N.db

# ---- the data: the demo district, then N requests over the last year ----
if [[ ! -s $DB ]]; then
    say "making $N requests in $DB …"
    rm -f "$DB" "$DB"-*
    "$BUREAU" init --db "$DB" --demo >/dev/null 2>&1 || die "bureau init failed"
    now=$(date +%s)
    t0=$((now - 365 * 86400))
    step=$((365 * 86400 / N))
    ((step > 0)) || step=1
    sqlite3 "$DB" <<SQL >/dev/null
PRAGMA journal_mode = WAL;
DELETE FROM service_events; DELETE FROM work_orders; DELETE FROM service_requests;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $N),
u AS (SELECT id, ROW_NUMBER() OVER (ORDER BY id) - 1 AS k FROM users WHERE person_id IS NOT NULL),
nu AS (SELECT COUNT(*) AS c FROM u)
INSERT INTO service_requests (tenant_id, version, created_at, updated_at, created_by, title,
  type_id, urgency, description, building, room, requester_id, department_id, status, team_id,
  respond_due_at, resolve_due_at, responded_at, resolved_at, closed_at, close_reason,
  respond_breached, resolve_breached, reopen_count, score, rated_at)
SELECT 1, 1, c, c, uid, '报修 ' || i, 1 + i % 12,
  CASE i % 10 WHEN 0 THEN 'urgent' WHEN 1 THEN 'high' WHEN 2 THEN 'low' ELSE 'normal' END,
  '压测数据', '区机关办公大楼', (i % 12 + 1) || '0' || (i % 9 + 1), uid, NULL,
  st, 1 + i % 6, c + 14400, c + 259200,
  CASE WHEN st IN ('submitted', 'assigned') THEN NULL ELSE c + (i % 300) * 60 END,
  CASE WHEN st IN ('resolved', 'closed') THEN c + (i % 5000) * 60 END,
  CASE WHEN st = 'closed' THEN c + 400000 END, CASE WHEN st = 'closed' THEN 'confirmed' END,
  (i % 300) * 60 > 14400, (i % 5000) * 60 > 259200, 0,
  CASE WHEN st = 'closed' AND i % 4 <> 0 THEN 2 + i % 4 END,
  CASE WHEN st = 'closed' AND i % 4 <> 0 THEN c + 400000 END
FROM (SELECT i, $t0 + i * $step AS c,
        (SELECT id FROM u WHERE k = i % (SELECT c FROM nu)) AS uid,
        CASE WHEN i > $N * 98 / 100 THEN
          CASE i % 5 WHEN 0 THEN 'submitted' WHEN 1 THEN 'assigned' WHEN 2 THEN 'in_progress'
                     WHEN 3 THEN 'waiting' ELSE 'resolved' END
        ELSE 'closed' END AS st FROM n);
ANALYZE;
SQL
fi

# ---- a server, a staff member's session and an admin token ----
port=$((20000 + RANDOM % 12000))
"$BUREAU" serve --db "$DB" --listen "127.0.0.1:$port" --threads 2 --quiet >"$W/server.log" 2>&1 &
SRV=$!
BASE=http://127.0.0.1:$port
for _ in $(seq 200); do curl -sf "$BASE/api/health" >/dev/null && break; sleep 0.05; done
csrf() { sed -n 's/^{"csrf":"\([^"]*\)".*/\1/p'; }
login() { # user password → cookie jar $W/$1.jar, CSRF printed
    curl -s -c "$W/$1.jar" -H 'Content-Type: application/json' \
        -d "{\"username\":\"$1\",\"password\":\"$2\"}" "$BASE/api/v1/session" | csrf
}
ADMIN_CSRF=$(login admin "$PW")
STAFF_CSRF=$(login staff Bureau-demo-2026)
[[ -n $ADMIN_CSRF && -n $STAFF_CSRF ]] || die "sign-in failed"
role=$(curl -s -b "$W/admin.jar" "$BASE/api/v1/roles?code=property_manager" | grep -o '"id":[0-9]*' | head -1 | cut -d: -f2)
TOKEN=$(curl -s -b "$W/admin.jar" -H "X-CSRF-Token: $ADMIN_CSRF" -H 'Content-Type: application/json' \
    -d "{\"name\":\"bench dispatcher\",\"role_id\":$role}" "$BASE/api/v1/api_tokens" |
    sed -n 's/.*"token":"\(bur_[^"]*\)".*/\1/p')
[[ -n $TOKEN ]] || die "no API token"

printf '%-58s %10s %10s  %s\n' "service desk, $N requests (SQLite)" "p50" "p99" "goal"
# ---- the dispatcher board ----
board() { # name path
    cat >"$W/q.lua" <<LUA
wrk.headers["Authorization"] = "Bearer $TOKEN"
wrk.path = "$2"
LUA
    wrk -t2 -c4 -d2s -s "$W/q.lua" "$BASE" >/dev/null
    wrk -t2 -c4 -d"$DUR" --latency -s "$W/q.lua" "$BASE" >"$W/wrk-$1.txt"
    local p50 p99 bad
    p50=$(awk '$1 == "50%" { print $2 }' "$W/wrk-$1.txt")
    p99=$(awk '$1 == "99%" { print $2 }' "$W/wrk-$1.txt")
    bad=$(awk '/Non-2xx/ { print $5 }' "$W/wrk-$1.txt")
    printf '%-58s %10s %10s  %s\n' "board: $1" "$p50" "$p99" "p99 < 20 ms${bad:+ ($bad non-2xx!)}"
}
board "new requests, by resolve due" "/api/v1/service_requests?status=submitted&sort=resolve_due_at&limit=50"
board "a team's work in progress" "/api/v1/service_requests?status=in_progress&team_id=2&limit=50"
board "all open, by resolve due" "/api/v1/service_requests?status%5Bin%5D=submitted,assigned,in_progress,waiting&sort=resolve_due_at&limit=50"
board "late and in progress" "/api/v1/service_requests?status=in_progress&resolve_breached=true&limit=50"
board "newest first (default)" "/api/v1/service_requests?limit=50"

# ---- the monthly report ----
month_from=$(date -d "$(date +%Y-%m-01) -1 month" +%F)
month_to=$(date -d "$(date +%Y-%m-01) -1 day" +%F)
times=()
for _ in 1 2 3 4 5; do
    times+=("$(curl -s -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $TOKEN" \
        "$BASE/api/v1/servicedesk/report?from=$month_from&to=$month_to")")
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n)
printf '%-58s %9.0fms %9.0fms  %s\n' "monthly report $month_from…$month_to (5 runs)" \
    "$(sed -n 3p <<<"$sorted" | awk '{ print $1 * 1000 }')" "$(tail -1 <<<"$sorted" | awk '{ print $1 * 1000 }')" "< 500 ms"
rows=$(curl -s -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/servicedesk/report?from=$month_from&to=$month_to" |
    sed -n 's/.*"total":{"count":\([0-9]*\).*/\1/p')
say "  (the month holds $rows requests)"

# ---- filing with a 2 MB photo ----
printf '\xff\xd8\xff\xe0' >"$W/photo.jpg"
head -c $((2 * 1024 * 1024 - 4)) /dev/urandom >>"$W/photo.jpg"
type=$(curl -s -b "$W/staff.jar" "$BASE/api/v1/service_types?code=repair" | grep -o '"id":[0-9]*' | head -1 | cut -d: -f2)
sid=$(awk '$6 == "bureau_session" { print $7 }' "$W/staff.jar")
node "$here/file-photo.js" "$BASE" "bureau_session=$sid" "$STAFF_CSRF" "$type" "$W/photo.jpg" "$FILINGS" \
    >"$W/filings.txt" || die "filing failed"
sort -n "$W/filings.txt" >"$W/filings.sorted"
p50=$(awk -v n="$FILINGS" 'NR == int((n + 1) / 2) { printf "%.1f", $1 / 1000 }' "$W/filings.sorted")
p99=$(tail -1 "$W/filings.sorted" | awk '{ printf "%.1f", $1 / 1000 }')
printf '%-58s %8sms %8sms  %s\n' "file a request with one 2 MB photo ($FILINGS, upload + create)" "$p50" "$p99" "< 50 ms"
