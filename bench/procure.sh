#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench/procure.sh - the procurement module's figures, printed beside their goals; nothing is
# asserted. One section per part of the module, each between its markers.
#
# Environment: BUREAU (default build/bureau), BENCH_DIR (keep and reuse the database),
# BENCH_RUNS (20: runs of each figure); BUREAU_TEST_DB=pg with BUREAU_TEST_PG_DIR runs
# the committee's figures on PostgreSQL.
set -euo pipefail

source "$(dirname "$0")/lib.sh"
bench_start sqlite3 curl node
RUNS=${BENCH_RUNS:-20}

# --- the project's life: the demo year (SQLite), then its reports, median and p99 of RUNS
# sequential requests timed by curl ----
DB=$W/procure-life.db
rm -f "$DB" "$DB"-*
BUREAU_DEMO_VERBOSE=1 "$BUREAU" init --db "$DB" --demo >"$W/init.log" 2>&1 || die "bureau init failed"
demo=$(sed -n 's/.*msg="demo procure: \([0-9.]*\) s".*/\1/p' "$W/init.log")
all=$(sed -n 's/.*msg="demo data created in \([0-9.]*\) s".*/\1/p' "$W/init.log")
port=$((20000 + RANDOM % 12000))
"$BUREAU" serve --db "$DB" --listen "127.0.0.1:$port" --threads 2 --quiet >"$W/server.log" 2>&1 &
SRV=$!
BASE=http://127.0.0.1:$port
for _ in $(seq 200); do curl -sf "$BASE/api/health" >/dev/null && break; sleep 0.05; done
jar=$W/admin.jar
curl -s -c "$jar" -H 'Content-Type: application/json' \
    -d "{\"username\":\"admin\",\"password\":\"$PW\"}" "$BASE/api/v1/session" >/dev/null
times() {
    local url=$1 i
    curl -s -o /dev/null -b "$jar" "$url"
    for i in $(seq "$RUNS"); do
        curl -s -o /dev/null -b "$jar" -w '%{http_code} %{time_total}\n' "$url"
    done | awk '$1 != 200 { bad++ } { printf "%.1f\n", $2 * 1000 }
        END { if (bad) print "non-200: " bad > "/dev/stderr" }' | sort -n |
        awk '{ v[NR] = $1 } END { p = int(NR * 0.99 + 0.999); if (p > NR) p = NR; printf "%s %s\n", v[int((NR + 1) / 2)], v[p] }'
}
year=$(date +%Y)
closed=$(sqlite3 "$DB" "SELECT id FROM procurement_projects WHERE status = 'closed' ORDER BY id LIMIT 1")
tenant=$(sqlite3 "$DB" "SELECT code FROM tenants ORDER BY id LIMIT 1")
n=$(sqlite3 "$DB" "SELECT COUNT(*) FROM procurement_projects")
printf '%-62s %10s %10s  %s\n' "procurement, the project's life: $n projects, $RUNS runs" "median" "p99" "goal"
printf '%-62s %10s %10s  %s\n' "the module's demo (the whole district: $all s)" "$demo s" "" "the part adds < 0.3 s"
read -r p50 p99 < <(times "$BASE/api/v1/procure/savings?year=$year")
printf '%-62s %8s ms %7s ms  %s\n' "savings report of the year" "$p50" "$p99" "< 50 ms"
read -r p50 p99 < <(times "$BASE/api/v1/procure/savings.xlsx?year=$year")
printf '%-62s %8s ms %7s ms  %s\n' "savings report, XLSX" "$p50" "$p99" "< 100 ms"
read -r p50 p99 < <(times "$BASE/api/v1/procurement_projects/$closed/ocds")
printf '%-62s %8s ms %7s ms  %s\n' "OCDS release package of a closed project" "$p50" "$p99" "< 50 ms"
read -r p50 p99 < <(times "$BASE/open/procure/$tenant/ocds/$closed")
printf '%-62s %8s ms %7s ms  %s\n' "the same, public (no sign-in)" "$p50" "$p99" "< 50 ms"
read -r p50 p99 < <(times "$BASE/api/v1/summary/procure")
printf '%-62s %8s ms %7s ms  %s\n' "dashboard card" "$p50" "$p99" "< 50 ms"
kill "$SRV" 2>/dev/null; wait "$SRV" 2>/dev/null || true
SRV=
# --- end of the project's life ---

# --- the sealed bids ---
# The opening of 500 bids (POST /api/v1/procurement_projects/{id}/open with k = 2 shares: the
# shares checked against their hashes, the key rebuilt and checked, 500 sealed boxes of ~2 KB
# opened and parsed, each bid's row updated, the seal and the project moved, one transaction),
# on a fresh demo district (SQLite); the bids sealed beforehand by Node with libsodium-wrappers.
node "$here/procure_bids.mjs" "$BUREAU" "$W" "$PW"
# --- end of the sealed bids ---

# --- the committee ---
# A draw over a pool of 10,000 experts with 50 bidders' recusal, and the evaluation totals of
# 20 experts × 50 bids, each as the whole HTTP request.
echo "== procure: the committee (draw over 10,000 experts; evaluation of 20 × 50) =="
BUREAU_BIN=$BUREAU node "$here/procure_committee.mjs" "$RUNS"
# --- end of the committee ---
