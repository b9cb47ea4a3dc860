#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench/fleet.sh - the official vehicles module's figures (issue 6), printed beside their goals;
# nothing is asserted. With 200 vehicles, 100 drivers and 100,000 past trips (SQLite):
#   - proposing vehicles and drivers for a request (GET /api/v1/trip_requests/{id}/candidates):
#     p50/p99 at 1 connection (what one dispatcher waits);
#   - the busiest vehicle's figures by month (GET /api/v1/vehicles/{id}/figures), the same way;
#   - the monthly cost report (GET /api/v1/fleet/costs?month=… for last month), JSON and XLSX.
#
# Environment: BUREAU (default build/bureau), BENCH_DIR (keep and reuse the database),
# BENCH_DURATION (10s for each latency load), BENCH_TRIPS (100000).
set -euo pipefail

source "$(dirname "$0")/lib.sh"
DUR=${BENCH_DURATION:-10s}
N=${BENCH_TRIPS:-100000}

bench_start wrk sqlite3 curl
DB=$W/fleet-$N.db

# ---- the data: the demo district, grown to 200 vehicles, 100 drivers and N trips ----
if [[ ! -s $DB ]]; then
    say "making 200 vehicles, 100 drivers and $N trips in $DB …"
    rm -f "$DB" "$DB"-*
    "$BUREAU" init --db "$DB" --demo >/dev/null 2>&1 || die "bureau init failed"
    now=$(date +%s)
    t0=$((now - 365 * 86400))
    step=$((365 * 86400 / N))
    ((step > 0)) || step=1
    sqlite3 "$DB" <<SQL >/dev/null
PRAGMA journal_mode = WAL;
DELETE FROM vehicle_costs; DELETE FROM fleet_reminders; DELETE FROM renewal_plan_items;
DELETE FROM vehicle_disposals; DELETE FROM trips; DELETE FROM trip_requests;
-- 200 vehicles: the demo's and more of the same makes
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200 - (SELECT COUNT(*) FROM vehicles))
INSERT INTO vehicles (tenant_id, version, created_at, updated_at, plate, class, brand, model, seats,
  displacement_l, energy, automatic, price_fen, registered_on, odometer_km, status)
SELECT 1, 1, $now, $now, '粤B·D' || (60000 + i), CASE i % 5 WHEN 0 THEN 'law_enforcement' ELSE 'other' END,
  '比亚迪', '秦PLUS EV', CASE WHEN i % 20 = 0 THEN 15 ELSE 5 END, NULL, 'electric', 1, 13980000,
  date($now - (i % 10) * 31536000, 'unixepoch'), 20000 + i * 500, 'available' FROM n;
UPDATE vehicles SET status = 'available';
-- 100 drivers: the demo's and more people of the fleet section and elsewhere
INSERT INTO drivers (tenant_id, version, created_at, updated_at, person_id, name, licence_class,
  licence_until, active)
SELECT 1, 1, $now, $now, p.id, p.name, CASE WHEN p.id % 7 = 0 THEN 'B1' ELSE 'C1' END,
  date($now + 3 * 31536000, 'unixepoch'), 1 FROM people p
WHERE p.id NOT IN (SELECT person_id FROM drivers) ORDER BY p.id
LIMIT (SELECT MAX(0, 100 - COUNT(*)) FROM drivers);
-- N completed requests and their closed trips over the last year: each vehicle out every
-- 200 trips, each driver every 100, two hours each (no overlaps)
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $N - 1),
v AS (SELECT id, ROW_NUMBER() OVER (ORDER BY id) - 1 AS k FROM vehicles),
d AS (SELECT id, ROW_NUMBER() OVER (ORDER BY id) - 1 AS k FROM drivers)
INSERT INTO trip_requests (tenant_id, version, created_at, updated_at, created_by, purpose, origin,
  destination, start_at, end_at, seats_needed, requester_id, department_id, status, approver_id,
  approved_at, vehicle_id, driver_id, dispatcher_id, dispatched_at, closed_at)
SELECT 1, 1, s - 86400, s + 7200, 2, '压测出车', '区行政中心', '龙城街道', s, s + 7200, 1 + i % 4, 2,
  NULL, 'completed', 2, s - 80000, (SELECT id FROM v WHERE k = i % 200),
  (SELECT id FROM d WHERE k = i % 100), 2, s - 70000, s + 7200
FROM (SELECT i, $t0 + i * $step AS s FROM n);
INSERT INTO trips (tenant_id, version, created_at, updated_at, created_by, request_id, vehicle_id,
  driver_id, status, started_at, ended_at, start_km, end_km, distance_km, fuel_l, energy_kwh,
  tolls_fen, parking_fen)
SELECT 1, 1, start_at, end_at, 2, id, vehicle_id, driver_id, 'closed', start_at, end_at,
  10000 + id * 40, 10000 + id * 40 + 20 + id % 60, 20 + id % 60, NULL, (20 + id % 60) * 15,
  CASE WHEN id % 3 = 0 THEN 1500 END, NULL FROM trip_requests WHERE purpose = '压测出车';
-- their costs: tolls by the trip, charging by the month, servicing now and then
INSERT INTO vehicle_costs (tenant_id, version, created_at, updated_at, vehicle_id, kind, amount_fen,
  incurred_on, trip_id)
SELECT 1, 1, ended_at, ended_at, vehicle_id, 'tolls', tolls_fen,
  date(ended_at + 28800, 'unixepoch'), id FROM trips WHERE tolls_fen IS NOT NULL;
INSERT INTO vehicle_costs (tenant_id, version, created_at, updated_at, vehicle_id, kind, amount_fen,
  incurred_on)
SELECT 1, 1, MAX(ended_at), MAX(ended_at), vehicle_id, 'fuel', SUM(energy_kwh) * 120 / 100,
  date(MAX(ended_at) + 28800, 'unixepoch') FROM trips
GROUP BY vehicle_id, strftime('%Y-%m', ended_at + 28800, 'unixepoch');
INSERT INTO vehicle_costs (tenant_id, version, created_at, updated_at, vehicle_id, kind, amount_fen,
  incurred_on)
SELECT 1, 1, ended_at, ended_at, vehicle_id, 'maintenance', 80000, date(ended_at + 28800, 'unixepoch')
FROM trips WHERE id % 97 = 0;
-- the board ahead: a few hundred dispatched requests over the next weeks
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 299),
v AS (SELECT id, ROW_NUMBER() OVER (ORDER BY id) - 1 AS k FROM vehicles),
d AS (SELECT id, ROW_NUMBER() OVER (ORDER BY id) - 1 AS k FROM drivers)
INSERT INTO trip_requests (tenant_id, version, created_at, updated_at, created_by, purpose, origin,
  destination, start_at, end_at, seats_needed, requester_id, status, approver_id, vehicle_id,
  driver_id, dispatcher_id)
SELECT 1, 1, $now, $now, 2, '压测派车', '区行政中心', '坂田街道', $now + 86400 + i * 7200,
  $now + 86400 + i * 7200 + 5400, 2, 2, 'dispatched', 2, (SELECT id FROM v WHERE k = i % 200),
  (SELECT id FROM d WHERE k = i % 100), 2 FROM n;
-- the request to propose for: tomorrow morning, approved
INSERT INTO trip_requests (tenant_id, version, created_at, updated_at, created_by, purpose, origin,
  destination, start_at, end_at, seats_needed, requester_id, status, approver_id)
VALUES (1, 1, $now, $now, 2, '压测候选', '区行政中心', '深圳市民中心', $now + 86400 + 3600,
  $now + 86400 + 5 * 3600, 3, 2, 'approved', 2);
ANALYZE;
SQL
fi

# ---- a server and a fleet manager's API token ----
port=$((20000 + RANDOM % 12000))
"$BUREAU" serve --db "$DB" --listen "127.0.0.1:$port" --threads 2 --quiet >"$W/server.log" 2>&1 &
SRV=$!
BASE=http://127.0.0.1:$port
for _ in $(seq 200); do curl -sf "$BASE/api/health" >/dev/null && break; sleep 0.05; done
jar=$W/admin.jar
csrf=$(curl -s -c "$jar" -H 'Content-Type: application/json' \
    -d "{\"username\":\"admin\",\"password\":\"$PW\"}" "$BASE/api/v1/session" |
    sed -n 's/^{"csrf":"\([^"]*\)".*/\1/p')
[[ -n $csrf ]] || die "sign-in failed"
role=$(curl -s -b "$jar" "$BASE/api/v1/roles?code=fleet_manager" | grep -o '"id":[0-9]*' | head -1 | cut -d: -f2)
TOKEN=$(curl -s -b "$jar" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
    -d "{\"name\":\"bench fleet\",\"role_id\":$role}" "$BASE/api/v1/api_tokens" |
    sed -n 's/.*"token":"\(bur_[^"]*\)".*/\1/p')
[[ -n $TOKEN ]] || die "no API token"
rq=$(sqlite3 "$DB" "SELECT id FROM trip_requests WHERE purpose = '压测候选' ORDER BY id DESC LIMIT 1")
counts=$(sqlite3 "$DB" "SELECT (SELECT COUNT(*) FROM vehicles) || ' vehicles, ' || (SELECT COUNT(*) FROM drivers) || ' drivers, ' || (SELECT COUNT(*) FROM trips) || ' trips'")

printf '%-58s %10s %10s  %s\n' "fleet: $counts (SQLite)" "p50" "p99" "goal"
# ---- candidates, and one vehicle's figures: p50/p99 at 1 connection ----
latency() { # path label goal
    cat >"$W/q.lua" <<LUA
wrk.headers["Authorization"] = "Bearer $TOKEN"
wrk.path = "$1"
LUA
    wrk -t1 -c1 -d2s -s "$W/q.lua" "$BASE" >/dev/null
    wrk -t1 -c1 -d"$DUR" --latency -s "$W/q.lua" "$BASE" >"$W/wrk.txt"
    local p50 p99 bad
    p50=$(awk '$1 == "50%" { print $2 }' "$W/wrk.txt")
    p99=$(awk '$1 == "99%" { print $2 }' "$W/wrk.txt")
    bad=$(awk '/Non-2xx/ { print $5 }' "$W/wrk.txt")
    printf '%-58s %10s %10s  %s\n' "$2" "$p50" "$p99" "$3${bad:+ ($bad non-2xx!)}"
}
latency "/api/v1/trip_requests/$rq/candidates" "candidates for a request (1 connection)" "< 10 ms"
found=$(curl -s -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/trip_requests/$rq/candidates" |
    sed 's/"unavailable".*//' | grep -o '"plate"' | wc -l)
say "  ($found vehicles proposed, the others listed with their reason)"
busiest=$(sqlite3 "$DB" "SELECT vehicle_id FROM trips GROUP BY vehicle_id ORDER BY COUNT(*) DESC LIMIT 1")
latency "/api/v1/vehicles/$busiest/figures" "a vehicle's 12 months of figures (the busiest car)" "< 20 ms"

# ---- the monthly cost report ----
month=$(date -d "$(date +%Y-%m-01) -1 month" +%Y-%m)
report() { # path label
    local times=() sorted
    for _ in 1 2 3 4 5; do
        times+=("$(curl -s -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $TOKEN" "$BASE$1")")
    done
    sorted=$(printf '%s\n' "${times[@]}" | sort -n)
    printf '%-58s %9.0fms %9.0fms  %s\n' "$2" \
        "$(sed -n 3p <<<"$sorted" | awk '{ print $1 * 1000 }')" "$(tail -1 <<<"$sorted" | awk '{ print $1 * 1000 }')" "< 200 ms"
}
report "/api/v1/fleet/costs?month=$month" "monthly cost report $month (5 runs: median, max)"
report "/api/v1/fleet/costs.xlsx?month=$month" "the same as XLSX"
trips=$(curl -s -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/fleet/costs?month=$month" |
    grep -o '"total":{[^}]*"trips":[0-9]*' | grep -o '"trips":[0-9]*' | cut -d: -f2)
say "  (the month holds ${trips:-?} trips)"
