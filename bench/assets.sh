#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench/assets.sh - the fixed assets module's figures, printed beside their goals; nothing is
# asserted. On the demo district (SQLite) with its 20,000 assets and generated ones up to
# BENCH_ASSETS (100,000): the net book value report (GET /api/v1/assets/report?by=category,
# one scan folded in C), median and p99 of BENCH_RUNS sequential requests, timed by curl.
# Then bench/assets_scan.mjs (a stocktake's scan then confirm, one label after another) and
# bench/assets_pool.mjs (the pool's search over 10,000 pooled items, each query shape).
#
# Environment: BUREAU (default build/bureau), BENCH_DIR (keep and reuse the database),
# BENCH_ASSETS (100000), BENCH_RUNS (50), BENCH_SCANS (1000 labels), BENCH_POOL (200 requests a
# shape).
set -euo pipefail

source "$(dirname "$0")/lib.sh"
N=${BENCH_ASSETS:-100000}
RUNS=${BENCH_RUNS:-50}

bench_start sqlite3 curl
DB=$W/assets-$N.db

# ---- the data: the demo district, its register copied up to N assets ----
if [[ ! -s $DB ]]; then
    say "making a register of $N assets in $DB …"
    rm -f "$DB" "$DB"-*
    "$BUREAU" init --db "$DB" --demo >/dev/null 2>&1 || die "bureau init failed"
    sqlite3 "$DB" <<SQL >/dev/null
PRAGMA journal_mode = WAL;
-- copies of the demo's assets under new codes (BENCH-…), acquired over the same twelve years
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $N - (SELECT COUNT(*) FROM assets WHERE tenant_id = 1) - 1),
src AS (SELECT a.*, ROW_NUMBER() OVER (ORDER BY id) - 1 AS k, COUNT(*) OVER () AS total FROM assets a WHERE tenant_id = 1)
INSERT INTO assets (tenant_id, version, created_at, updated_at, created_by, code, name, class_id,
  category_id, model, original_value_fen, acquired_on, source, funding, useful_years,
  department_id, custodian_id, room_id, status, condition)
SELECT 1, 1, s.created_at, s.updated_at, s.created_by, printf('BENCH-%07d', n.i), s.name, s.class_id,
  s.category_id, s.model, s.original_value_fen + n.i % 97, s.acquired_on, s.source, s.funding,
  s.useful_years, s.department_id, s.custodian_id, s.room_id,
  CASE WHEN s.status = 'disposed' THEN 'idle' ELSE s.status END, s.condition
FROM n JOIN src s ON s.k = n.i % s.total;
ANALYZE;
SQL
fi
have=$(sqlite3 "$DB" "SELECT COUNT(*) FROM assets WHERE tenant_id = 1")

# ---- a server, signed in as the admin ----
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

# median and p99 (ms) of RUNS requests of a URL
times() {
    local url=$1 i
    curl -s -o /dev/null -b "$jar" "$url" # warm
    for i in $(seq "$RUNS"); do
        curl -s -o /dev/null -b "$jar" -w '%{http_code} %{time_total}\n' "$url"
    done | awk '$1 != 200 { bad++ } { printf "%.1f\n", $2 * 1000 }
        END { if (bad) print "non-200: " bad > "/dev/stderr" }' | sort -n |
        awk '{ v[NR] = $1 } END { p = int(NR * 0.99 + 0.999); if (p > NR) p = NR; printf "%s %s\n", v[int((NR + 1) / 2)], v[p] }'
}

printf '%-62s %10s %10s  %s\n' "assets: $have assets (SQLite), $RUNS runs" "median" "p99" "goal"
read -r p50 p99 < <(times "$BASE/api/v1/assets/report?by=category")
printf '%-62s %8s ms %7s ms  %s\n' "net book value report by category" "$p50" "$p99" "< 200 ms"
read -r p50 p99 < <(times "$BASE/api/v1/assets/report?by=department")
printf '%-62s %8s ms %7s ms  %s\n' "net book value report by department" "$p50" "$p99" "< 200 ms"
kill "$SRV" 2>/dev/null; wait "$SRV" 2>/dev/null || true

# ---- the stocktake's scan-to-confirmation round trip and the pool's search: their own scripts,
# each on a demo district of its own (goals: < 20 ms) ----
echo
BUREAU=$BUREAU node "$(dirname "$0")/assets_scan.mjs" "${BENCH_SCANS:-1000}"
echo
BUREAU_BIN=$BUREAU node "$(dirname "$0")/assets_pool.mjs" "${BENCH_POOL:-200}"
