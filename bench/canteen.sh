#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench/canteen.sh - the canteens module's figures, printed beside their goals; nothing is
# asserted. On the demo district (SQLite: 12 canteens, a card for every person):
#   - a card reader's spends through the API at 64 connections (POST /api/v1/meal_transactions
#     with a device token, each its own idempotency key: the account locked, the key looked up,
#     the balance checked, the entry written and audited), requests per second;
#   - a card found by its number (GET /api/v1/meal_accounts/lookup?card=), p50/p99 at 1 connection;
#   - an offline reader's batch of 10,000 entries (POST /api/v1/meal_transactions/batch: one
#     transaction, exactly once per reader and sequence number), its time;
#   - last month's reconciliation for the 12 canteens (GET /api/v1/canteen/reconciliation?month=)
#     at a city's volume: the demo's spends of that month three times over (~85,000 entries).
#
# Environment: BUREAU (default build/bureau), BENCH_DIR (keep and reuse the database),
# BENCH_DURATION (10s for the spends).
set -euo pipefail

source "$(dirname "$0")/lib.sh"
DUR=${BENCH_DURATION:-10s}

bench_start wrk sqlite3 curl node
DB=$W/canteen.db
now=$(date +%s)
prev=$(date -u -d "$(date -u -d "@$((now + 28800))" +%Y-%m-01) -1 day" +%Y-%m) # last month, in +08:00

if [[ ! -s $DB ]]; then
    say "making the demo district in $DB …"
    rm -f "$DB" "$DB"-*
    "$BUREAU" init --db "$DB" --demo >/dev/null 2>&1 || die "bureau init failed"
    # every card topped up by 1,000.00 yuan, as entries of the ledger (cash → card)
    sqlite3 "$DB" <<SQL >/dev/null
PRAGMA journal_mode = WAL;
INSERT INTO meal_transactions (tenant_id, version, created_at, updated_at, kind, account_id,
  person_id, department_id, debit_account_id, credit_account_id, amount_fen, delta_fen,
  balance_fen, business_day, at, method, offline, idem_key)
SELECT 1, 1, $now, $now, 'topup', a.id, a.person_id, a.department_id,
  (SELECT id FROM meal_accounts WHERE tenant_id = 1 AND kind = 'cash'), a.id, 100000, 100000,
  a.balance_fen + 100000, date($now, 'unixepoch'), $now, 'cash', 0, 'bench-topup-' || a.id
FROM meal_accounts a WHERE a.tenant_id = 1 AND a.kind = 'person' AND a.status = 'active';
UPDATE meal_accounts SET balance_fen = balance_fen + 100000 WHERE tenant_id = 1 AND kind = 'person'
  AND status = 'active';
SQL
    # last month at a city's volume (1,000,000 meals a year: ~85,000 a month): the demo's spends
    # of that month twice more, as more diners would have made them (the cards' cached balances
    # follow; the copies' "balance after" figures are the originals')
    sqlite3 "$DB" <<SQL >/dev/null
INSERT INTO meal_transactions (tenant_id, version, created_at, updated_at, kind, account_id,
  person_id, department_id, debit_account_id, credit_account_id, amount_fen, delta_fen,
  balance_fen, canteen_id, meal, business_day, at, method, reader_id, offline, idem_key)
SELECT t.tenant_id, 1, t.created_at, t.updated_at, t.kind, t.account_id, t.person_id,
  t.department_id, t.debit_account_id, t.credit_account_id, t.amount_fen, t.delta_fen,
  t.balance_fen, t.canteen_id, t.meal, t.business_day, t.at + k.n, t.method, t.reader_id, 0,
  t.idem_key || '-city' || k.n
FROM meal_transactions t, (SELECT 1 AS n UNION ALL SELECT 2) k
WHERE t.tenant_id = 1 AND t.kind = 'spend' AND t.business_day LIKE '$prev-%';
UPDATE meal_accounts SET balance_fen = balance_fen + COALESCE((SELECT SUM(t.delta_fen)
  FROM meal_transactions t WHERE t.tenant_id = 1 AND t.account_id = meal_accounts.id
  AND t.business_day LIKE '$prev-%' AND t.idem_key LIKE '%-city_'), 0)
WHERE tenant_id = 1 AND kind = 'person';
ANALYZE;
SQL
fi
month_entries=$(sqlite3 "$DB" "SELECT COUNT(*) FROM meal_transactions WHERE tenant_id = 1 AND business_day LIKE '$prev-%'")
sqlite3 "$DB" "SELECT card_no FROM meal_accounts WHERE tenant_id = 1 AND kind = 'person' AND status = 'active' ORDER BY id" >"$W/cards.txt"
ncards=$(wc -l <"$W/cards.txt")

port=$((20000 + RANDOM % 12000))
"$BUREAU" serve --db "$DB" --listen "127.0.0.1:$port" --threads 4 --quiet >"$W/server.log" 2>&1 &
SRV=$!
BASE=http://127.0.0.1:$port
for _ in $(seq 200); do curl -sf "$BASE/api/health" >/dev/null && break; sleep 0.05; done
jar=$W/admin.jar
csrf=$(curl -s -c "$jar" -H 'Content-Type: application/json' \
    -d "{\"username\":\"admin\",\"password\":\"$PW\"}" "$BASE/api/v1/session" |
    sed -n 's/^{"csrf":"\([^"]*\)".*/\1/p')
[[ -n $csrf ]] || die "sign-in failed"
token_of() { # a reader's device token (POST /api/v1/meal_readers/{id}/token)
    curl -s -b "$jar" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' -d '{}' \
        "$BASE/api/v1/meal_readers/$1/token" | sed -n 's/.*"token":"\(bur_[^"]*\)".*/\1/p'
}
r1=$(sqlite3 "$DB" "SELECT id FROM meal_readers WHERE tenant_id = 1 ORDER BY id LIMIT 1")
r2=$(sqlite3 "$DB" "SELECT id FROM meal_readers WHERE tenant_id = 1 ORDER BY id LIMIT 1 OFFSET 1")
code2=$(sqlite3 "$DB" "SELECT code FROM meal_readers WHERE id = $r2")
T1=$(token_of "$r1")
T2=$(token_of "$r2")
[[ -n $T1 && -n $T2 ]] || die "no reader token"

printf '%-64s %14s  %s\n' "canteen: the demo district, $ncards cards (SQLite)" "figure" "goal"

# ---- spends at 64 connections ----
cat >"$W/s.lua" <<LUA
wrk.headers["Authorization"] = "Bearer $T1"
LUA
cat "$here/canteen_spend.lua" >>"$W/s.lua"
before=$(sqlite3 "$DB" "SELECT COUNT(*) FROM meal_transactions WHERE kind = 'spend'")
wrk -t2 -c64 -d2s -s "$W/s.lua" "$BASE" -- "$W/cards.txt" "w$now" >/dev/null
wrk -t2 -c64 -d"$DUR" --latency -s "$W/s.lua" "$BASE" -- "$W/cards.txt" "r$now" >"$W/wrk.txt"
rate=$(awk '/^Requests\/sec/ { printf "%.0f", $2 }' "$W/wrk.txt")
p99=$(awk '$1 == "99%" { print $2 }' "$W/wrk.txt")
bad=$(sed -n 's/^BENCH non2xx=\([0-9]*\).*/\1/p' "$W/wrk.txt")
made=$(($(sqlite3 "$DB" "SELECT COUNT(*) FROM meal_transactions WHERE kind = 'spend'") - before))
printf '%-64s %14s  %s\n' "spends through the API at 64 connections (p99 $p99)" "$rate/s" ">= 3,000/s${bad:+ ($bad non-2xx)}"
say "  ($made spends written)"

# ---- a card found by its number, one connection ----
cat >"$W/l.lua" <<LUA
wrk.headers["Authorization"] = "Bearer $T1"
local cards, i = {}, 0
for line in io.lines("$W/cards.txt") do cards[#cards + 1] = line end
request = function()
  i = i + 1
  return wrk.format(nil, "/api/v1/meal_accounts/lookup?card=" .. cards[((i * 7919) % #cards) + 1])
end
LUA
wrk -t1 -c1 -d"$DUR" --latency -s "$W/l.lua" "$BASE" >"$W/wrk.txt"
p50=$(awk '$1 == "50%" { print $2 }' "$W/wrk.txt")
p99=$(awk '$1 == "99%" { print $2 }' "$W/wrk.txt")
bad=$(awk '/Non-2xx/ { print $5 }' "$W/wrk.txt")
printf '%-64s %14s  %s\n' "a card by its number (GET …/lookup?card=), 1 connection (p99 $p99)" "$p50" "< 5 ms${bad:+ ($bad non-2xx!)}"

# ---- an offline batch of 10,000 entries ----
node -e '
const fs = require("node:fs");
const cards = fs.readFileSync(process.argv[1], "utf8").trim().split("\n");
const now = Math.floor(Date.now() / 1000), sent = now - 300; // a reader five minutes behind
const base = now * 100000; // a kept database: each run's numbers are new
const entries = Array.from({ length: 10000 }, (_, i) => ({ seq: base + i, card: cards[(i * 7919) % cards.length],
  amount_fen: 1200, at: new Date((sent - 86400 + i * 8) * 1000).toISOString() }));
fs.writeFileSync(process.argv[2], JSON.stringify({ reader: process.argv[3], sent_at: new Date(sent * 1000).toISOString(), entries }));
' "$W/cards.txt" "$W/batch.json" "$code2"
t=$(curl -s -o "$W/batch.out" -w '%{time_total}' -H "Authorization: Bearer $T2" -H 'Content-Type: application/json' \
    --data-binary @"$W/batch.json" "$BASE/api/v1/meal_transactions/batch")
applied=$(grep -o '"applied":[0-9]*' "$W/batch.out" | head -1 | cut -d: -f2)
printf '%-64s %14s  %s\n' "an offline batch of 10,000 entries (applied ${applied:-?})" "$(awk -v t="$t" 'BEGIN { printf "%.0f ms", t * 1000 }')" "< 1 s"
t=$(curl -s -o "$W/batch.out" -w '%{time_total}' -H "Authorization: Bearer $T2" -H 'Content-Type: application/json' \
    --data-binary @"$W/batch.json" "$BASE/api/v1/meal_transactions/batch")
dup=$(grep -o '"duplicate":[0-9]*' "$W/batch.out" | head -1 | cut -d: -f2)
printf '%-64s %14s  %s\n' "the same batch again (duplicates: ${dup:-?})" "$(awk -v t="$t" 'BEGIN { printf "%.0f ms", t * 1000 }')" "< 1 s"

# ---- last month's reconciliation for the twelve canteens ----
month=$prev
st=$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" "$BASE/api/v1/canteen/reconciliation?month=$month")
if [[ $st == 200 ]]; then
    cat >"$W/q.lua" <<LUA
wrk.headers["Cookie"] = "bureau_session=$(awk '$6 == "bureau_session" { print $7 }' "$jar")"
wrk.path = "/api/v1/canteen/reconciliation?month=$month"
LUA
    wrk -t1 -c1 -d"$DUR" --latency -s "$W/q.lua" "$BASE" >"$W/wrk.txt"
    p50=$(awk '$1 == "50%" { print $2 }' "$W/wrk.txt")
    p99=$(awk '$1 == "99%" { print $2 }' "$W/wrk.txt")
    printf '%-64s %14s  %s\n' "$month's reconciliation, 12 canteens, $month_entries entries (p50; p99 $p99)" "$p50" "< 200 ms"
else
    printf '%-64s %14s  %s\n' "a month's reconciliation, 12 canteens" "no route ($st)" "< 200 ms"
fi
