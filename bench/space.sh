#!/usr/bin/env bash
# bench/space.sh - the office space figures (issue 5), printed beside their goals; nothing is
# asserted. 20 buildings of 10 floors, 3,000 rooms, 5,000 people with county ranks, 4,000 of
# them in offices (SQLite):
#   - the over-standard report (GET /api/v1/space/over_standard), whole tenant;
#   - the floor view's data (GET /api/v1/space/floors/{id}/view): 15 rooms, their occupants.
#
# Environment: BUREAU (default build/bureau), BENCH_RUNS (20 timed calls each).
set -euo pipefail

source "$(dirname "$0")/lib.sh"
RUNS=${BENCH_RUNS:-20}

BENCH_DIR= bench_start sqlite3 curl
DB=$W/space.db

"$BUREAU" init --db "$DB" >/dev/null 2>&1 || die "bureau init failed"
sqlite3 "$DB" <<'SQL' >/dev/null
PRAGMA journal_mode = WAL;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50)
INSERT INTO departments (tenant_id, version, created_at, updated_at, name, code, kind, sort_order, active)
SELECT 1, 1, 0, 0, '压测单位' || i, 'BD' || i, 'government', i, 1 FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000),
k AS (SELECT id, ROW_NUMBER() OVER (ORDER BY sort_order) - 1 AS p FROM ranks WHERE tenant_id = 1 AND level = 'county')
INSERT INTO people (tenant_id, version, created_at, updated_at, name, department_id, rank_id, union_member, contract_staff, active)
SELECT 1, 1, 0, 0, '人员' || i, (SELECT MIN(id) FROM departments WHERE code LIKE 'BD%') + (i % 50),
  (SELECT id FROM k WHERE p = CASE WHEN i % 100 = 0 THEN 0 WHEN i % 30 = 0 THEN 1 WHEN i % 10 = 0 THEN 2 WHEN i % 6 = 0 THEN 3 ELSE 4 END),
  1, 0, 1 FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20)
INSERT INTO buildings (tenant_id, version, created_at, updated_at, name, kind, sort_order)
SELECT 1, 1, 0, 0, '压测楼' || i, 'office', i FROM n;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 199)
INSERT INTO floors (tenant_id, version, created_at, updated_at, building_id, level, name)
SELECT 1, 1, 0, 0, (SELECT MIN(id) FROM buildings) + i / 10, i % 10 + 1, (i % 10 + 1) || 'F' FROM n;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 2999)
INSERT INTO rooms (tenant_id, version, created_at, updated_at, building_id, floor_id, number, area_m2, use_type, state, department_id)
SELECT 1, 1, 0, 0, (SELECT MIN(id) FROM buildings) + i / 150, (SELECT MIN(id) FROM floors) + i / 15,
  ((i / 15) % 10 + 1) || printf('%02d', i % 15 + 1), (12 + i % 25) * 100, 'office',
  CASE WHEN i < 2000 THEN 'in_use' ELSE 'vacant' END, (SELECT MIN(id) FROM departments WHERE code LIKE 'BD%') + (i % 50) FROM n;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 3999)
INSERT INTO room_assignments (tenant_id, version, created_at, updated_at, room_id, person_id, department_id, start_date)
SELECT 1, 1, 0, 0, (SELECT MIN(id) FROM rooms) + i % 2000, p.id, p.department_id, '2025-01-01'
FROM n JOIN people p ON p.id = (SELECT MIN(id) FROM people) + i;
COMMIT;
ANALYZE;
SQL

port=$((20000 + RANDOM % 12000))
"$BUREAU" serve --db "$DB" --listen "127.0.0.1:$port" --threads 2 --quiet >"$W/server.log" 2>&1 &
SRV=$!
BASE=http://127.0.0.1:$port
for _ in $(seq 200); do curl -sf "$BASE/api/health" >/dev/null && break; sleep 0.05; done
curl -s -c "$W/jar" -H 'Content-Type: application/json' \
    -d "{\"username\":\"admin\",\"password\":\"$PW\"}" "$BASE/api/v1/session" >/dev/null
floor=$(sqlite3 "$DB" 'SELECT MIN(id) + 42 FROM floors')

timed() { # label path goal-ms
    local t=()
    curl -s -b "$W/jar" -o /dev/null "$BASE$2" # warm
    for _ in $(seq "$RUNS"); do
        t+=("$(curl -s -b "$W/jar" -o /dev/null -w '%{time_total}' "$BASE$2")")
    done
    local s
    s=$(printf '%s\n' "${t[@]}" | sort -n)
    printf '%-58s %8.1fms %8.1fms  < %s ms\n' "$1" \
        "$(sed -n "$(((RUNS + 1) / 2))p" <<<"$s" | awk '{ print $1 * 1000 }')" \
        "$(tail -1 <<<"$s" | awk '{ print $1 * 1000 }')" "$3"
}
printf '%-58s %10s %10s  %s\n' "office space: 20 buildings, 3,000 rooms, 5,000 people" "p50" "max" "goal"
timed "over-standard report (whole tenant, $RUNS runs)" "/api/v1/space/over_standard" 100
timed "floor view: 15 rooms with occupants ($RUNS runs)" "/api/v1/space/floors/$floor/view" 20
over=$(curl -s -b "$W/jar" "$BASE/api/v1/space/over_standard" | grep -o '"totals":{[^}]*}')
say "  ($over)"
