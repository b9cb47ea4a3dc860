#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench/booking.sh - the booking module's figures, printed beside their goals; nothing is
# asserted. On the demo district (SQLite) with a resource holding 100,000 bookings over the
# last year and the next months:
#   - a month of that resource's availability (GET /api/v1/resources/{id}/availability?from=&to=),
#     p50/p99 at 1 connection;
#   - bookings made at 64 connections (POST /api/v1/bookings, each locking the resource and
#     counting its places), requests per second and how many were refused;
#   - voucher redemption (POST /api/v1/vouchers/redeem with a signed code, each request a fresh
#     voucher: the code checked, the row locked, redeemed and audited), p50/p99 at 1 connection.
#   - a court's calendar feed (GET /ical/{secret}.ics) with a year of its bookings (15 a day from
#     90 days back, 5,475, some cancelled, 20 bookers), p50/p99 at 1 connection, written and
#     unchanged (If-None-Match: 304).
#
# Environment: BUREAU (default build/bureau), BENCH_DIR (keep and reuse the database),
# BENCH_DURATION (10s for each load), BENCH_BOOKINGS (100000), BENCH_VOUCHERS (30000).
set -euo pipefail

source "$(dirname "$0")/lib.sh"
DUR=${BENCH_DURATION:-10s}
N=${BENCH_BOOKINGS:-100000}

bench_start wrk sqlite3 curl
DB=$W/booking-$N.db
now=$(date +%s)
# the tenant's midnight (+08:00) of tomorrow, and of 300 days before it
mid=$(((now + 28800) / 86400 * 86400 - 28800 + 86400))

# ---- the data: the demo district, and a busy hall with N bookings ----
if [[ ! -s $DB ]]; then
    say "making a resource with $N bookings in $DB …"
    rm -f "$DB" "$DB"-*
    "$BUREAU" init --db "$DB" --demo >/dev/null 2>&1 || die "bureau init failed"
    sqlite3 "$DB" <<SQL >/dev/null
PRAGMA journal_mode = WAL;
INSERT INTO resources (tenant_id, version, created_at, updated_at, name, kind, capacity, slot_min,
  hours, closed_days, window_days, approval, quota_per_week, cancel_hours, active)
VALUES (1, 1, $now, $now, '压测健身房', 'gym', 20, 60, '1-7 00:00-24:00', 'open_always', 366, 0, 0, 0, 1),
       (1, 1, $now, $now, '压测预约', 'hall', 1000, 5, '1-7 00:00-24:00', 'open_always', 366, 0, 0, 0, 1);
-- N bookings of an hour, 274 a day from 300 days back: about 11 in each hour of the gym
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $N - 1)
INSERT INTO bookings (tenant_id, version, created_at, updated_at, created_by, resource_id, start_at,
  end_at, party_size, purpose, booker_id, status, check_in_code)
SELECT 1, 1, s - 86400, s - 86400, 2, (SELECT id FROM resources WHERE name = '压测健身房'), s, s + 3600,
  1, '压测', 2, CASE WHEN s < $now THEN 'checked_in' ELSE 'confirmed' END, 'BENCH' || i
FROM (SELECT i, $mid - 300 * 86400 + (i * 24 / 274) % (24 * 365) * 3600 AS s FROM n);
ANALYZE;
SQL
fi

# ---- a court with a year of bookings for its calendar feed ----
if [[ -z $(sqlite3 "$DB" "SELECT id FROM resources WHERE name = '压测网球场'") ]]; then
    sqlite3 "$DB" <<SQL >/dev/null
INSERT INTO resources (tenant_id, version, created_at, updated_at, name, kind, capacity, slot_min,
  hours, closed_days, window_days, approval, quota_per_week, cancel_hours, active, location)
VALUES (1, 1, $now, $now, '压测网球场', 'court', 1, 60, '1-7 07:00-22:00', 'open_always', 366, 0, 0, 0, 1,
        '机关大院东侧, 体育馆二楼');
-- 15 bookings a day (07:00 … 22:00) from 90 days back for 365 days; every tenth cancelled
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 15 * 365 - 1),
  u AS (SELECT id, ROW_NUMBER() OVER (ORDER BY id) - 1 AS k FROM users WHERE tenant_id = 1 LIMIT 20)
INSERT INTO bookings (tenant_id, version, created_at, updated_at, created_by, resource_id, start_at,
  end_at, party_size, purpose, booker_id, status, check_in_code)
SELECT 1, 1 + i % 3, s - 86400, s - 86400 + i % 3, u.id, (SELECT id FROM resources WHERE name = '压测网球场'),
  s, s + 3600, 2, '网球双打, 训练; 第' || (i % 15 + 1) || '场', u.id,
  CASE WHEN i % 10 = 0 THEN 'cancelled' WHEN s < $now THEN 'checked_in' ELSE 'confirmed' END, 'BENCHC' || i
FROM (SELECT i, $mid - 91 * 86400 + (i / 15) * 86400 + (7 + i % 15) * 3600 AS s FROM n)
JOIN u ON u.k = i % (SELECT COUNT(*) FROM u);
ANALYZE;
SQL
fi

# ---- a server and the service centre's API token ----
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
role=$(curl -s -b "$jar" "$BASE/api/v1/roles?code=property_manager" | grep -o '"id":[0-9]*' | head -1 | cut -d: -f2)
TOKEN=$(curl -s -b "$jar" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
    -d "{\"name\":\"bench booking\",\"role_id\":$role}" "$BASE/api/v1/api_tokens" |
    sed -n 's/.*"token":"\(bur_[^"]*\)".*/\1/p')
[[ -n $TOKEN ]] || die "no API token"
gym=$(sqlite3 "$DB" "SELECT id FROM resources WHERE name = '压测健身房'")
hall=$(sqlite3 "$DB" "SELECT id FROM resources WHERE name = '压测预约'")
n=$(sqlite3 "$DB" "SELECT COUNT(*) FROM bookings WHERE resource_id = $gym")
from=$(date -u -d "@$((mid + 28800 - 86400))" +%Y-%m-01)
to=$(date -d "$from +1 month -1 day" +%Y-%m-%d)
inmonth=$(sqlite3 "$DB" "SELECT COUNT(*) FROM bookings WHERE resource_id = $gym AND start_at >= strftime('%s', '$from') - 28800 AND start_at < strftime('%s', '$to') + 86400 - 28800")

printf '%-62s %10s %10s  %s\n' "booking: a resource with $n bookings (SQLite)" "p50" "p99" "goal"
cat >"$W/q.lua" <<LUA
wrk.headers["Authorization"] = "Bearer $TOKEN"
wrk.path = "/api/v1/resources/$gym/availability?from=$from&to=$to"
LUA
wrk -t1 -c1 -d2s -s "$W/q.lua" "$BASE" >/dev/null
wrk -t1 -c1 -d"$DUR" --latency -s "$W/q.lua" "$BASE" >"$W/wrk.txt"
p50=$(awk '$1 == "50%" { print $2 }' "$W/wrk.txt")
p99=$(awk '$1 == "99%" { print $2 }' "$W/wrk.txt")
bad=$(awk '/Non-2xx/ { print $5 }' "$W/wrk.txt")
printf '%-62s %10s %10s  %s\n' "availability $from … $to, 1 connection" "$p50" "$p99" "< 10 ms${bad:+ ($bad non-2xx!)}"
slots=$(curl -s -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/resources/$gym/availability?from=$from&to=$to" | grep -o '"free"' | wc -l)
say "  ($inmonth bookings in the month folded into $slots slots)"

# ---- bookings at 64 connections ----
cat >"$W/b.lua" <<LUA
wrk.headers["Authorization"] = "Bearer $TOKEN"
LUA
cat "$here/booking.lua" >>"$W/b.lua"
before=$(sqlite3 "$DB" "SELECT COUNT(*) FROM bookings WHERE resource_id = $hall")
wrk -t2 -c64 -d"$DUR" -s "$W/b.lua" "$BASE" -- "$hall" "$mid" >"$W/wrk.txt"
rate=$(awk '/^Requests\/sec/ { printf "%.0f", $2 }' "$W/wrk.txt")
p99=$(wrk_p99=$(awk '/Latency/ { print $2 }' "$W/wrk.txt"); echo "$wrk_p99")
refused=$(sed -n 's/^BENCH non2xx=\([0-9]*\).*/\1/p' "$W/wrk.txt")
made=$(($(sqlite3 "$DB" "SELECT COUNT(*) FROM bookings WHERE resource_id = $hall") - before))
printf '%-62s %10s %10s  %s\n' "bookings at 64 connections (req/s, mean latency)" "$rate/s" "$p99" ">= 2,000/s"
say "  ($made bookings made, ${refused:-?} refused)"

# ---- voucher redemption: one scan after another, each a voucher of its own ----
NV=${BENCH_VOUCHERS:-30000}
month=$(date -u -d "@$((now + 28800))" +%Y-%m)
vfrom=$month-01
vto=$(date -d "$vfrom +1 month -1 day" +%Y-%m-%d)
sqlite3 "$DB" <<SQL >/dev/null
INSERT INTO voucher_batches (tenant_id, version, created_at, updated_at, service, label, month,
  valid_from, valid_to, per_person, status, issued_count)
VALUES (1, 1, $now, $now, 'haircut', '压测理发券', '$month', '$vfrom', '$vto', 31, 'issued', $NV);
-- up to 31 a person (a voucher's largest number), over as many people as it takes
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $NV - 1),
p(id, k) AS (SELECT id, ROW_NUMBER() OVER (ORDER BY id) - 1 FROM people WHERE tenant_id = 1)
INSERT INTO vouchers (tenant_id, version, created_at, updated_at, batch_id, person_id, service,
  seq, serial, status, valid_from, expires_on)
SELECT 1, 1, $now, $now, (SELECT MAX(id) FROM voucher_batches), p.id, 'haircut', i % 31 + 1,
  'BENCH-$now-' || i, 'issued', '$vfrom', '$vto' FROM n JOIN p ON p.k = i / 31;
SQL
# the codes, signed here with the tenant's key as a holder's wallet would show them
sqlite3 -separator ' ' "$DB" "SELECT id, serial FROM vouchers WHERE serial LIKE 'BENCH-$now-%' ORDER BY id" |
    KEY=$(sqlite3 "$DB" "SELECT secret FROM voucher_keys WHERE tenant_id = 1") node -e '
const crypto = require("node:crypto");
const lines = require("node:fs").readFileSync(0, "utf8").trim().split("\n");
process.stdout.write(lines.map((l) => { const [id, serial] = l.split(" ");
  const b = `BV1.1.${id}.${serial}`;
  return `${b}.${crypto.createHmac("sha256", process.env.KEY).update(b).digest("base64url")}`; }).join("\n") + "\n");
' >"$W/codes.txt"
cat >"$W/v.lua" <<LUA
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer $TOKEN"
wrk.headers["Content-Type"] = "application/json"
local codes, i = {}, 0
for line in io.lines("$W/codes.txt") do codes[#codes + 1] = line end
request = function()
  i = i + 1
  return wrk.format(nil, "/api/v1/vouchers/redeem", nil, '{"code":"' .. codes[((i - 1) % #codes) + 1] .. '"}')
end
LUA
before=$(sqlite3 "$DB" "SELECT COUNT(*) FROM vouchers WHERE serial LIKE 'BENCH-$now-%' AND status = 'redeemed'")
wrk -t1 -c1 -d"$DUR" --latency -s "$W/v.lua" "$BASE" >"$W/wrk.txt"
p50=$(awk '$1 == "50%" { print $2 }' "$W/wrk.txt")
p99=$(awk '$1 == "99%" { print $2 }' "$W/wrk.txt")
bad=$(awk '/Non-2xx/ { print $5 }' "$W/wrk.txt")
done_=$(($(sqlite3 "$DB" "SELECT COUNT(*) FROM vouchers WHERE serial LIKE 'BENCH-$now-%' AND status = 'redeemed'") - before))
printf '%-62s %10s %10s  %s\n' "voucher redemption (POST /api/v1/vouchers/redeem), 1 connection" "$p50" "$p99" "< 5 ms${bad:+ ($bad non-2xx!)}"
say "  ($done_ vouchers redeemed, each once; $NV ready)"

# ---- a court's calendar feed with a year of bookings ----
court=$(sqlite3 "$DB" "SELECT id FROM resources WHERE name = '压测网球场'")
path=$(curl -s -b "$jar" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
    -d "{\"kind\":\"resource\",\"resource_id\":$court}" "$BASE/api/v1/calendar_feeds" |
    sed -n 's/.*"path":"\(\/ical\/[^"]*\)".*/\1/p')
[[ -n $path ]] || die "no calendar feed"
events=$(curl -s "$BASE$path" | grep -c '^BEGIN:VEVENT')
bytes=$(curl -s "$BASE$path" | wc -c)
cat >"$W/f.lua" <<LUA
wrk.path = "$path"
LUA
wrk -t1 -c1 -d2s -s "$W/f.lua" "$BASE" >/dev/null
wrk -t1 -c1 -d"$DUR" --latency -s "$W/f.lua" "$BASE" >"$W/wrk.txt"
p50=$(awk '$1 == "50%" { print $2 }' "$W/wrk.txt")
p99=$(awk '$1 == "99%" { print $2 }' "$W/wrk.txt")
bad=$(awk '/Non-2xx/ { print $5 }' "$W/wrk.txt")
printf '%-62s %10s %10s  %s\n' "calendar feed of a court, $events events, 1 connection" "$p50" "$p99" "< 100 ms${bad:+ ($bad non-2xx!)}"
say "  ($bytes bytes)"
etag=$(curl -s -D - -o /dev/null "$BASE$path" | sed -n 's/^ETag: \(.*\)\r$/\1/p')
cat >>"$W/f.lua" <<LUA
wrk.headers["If-None-Match"] = '$etag'
LUA
wrk -t1 -c1 -d"$DUR" --latency -s "$W/f.lua" "$BASE" >"$W/wrk.txt"
p50=$(awk '$1 == "50%" { print $2 }' "$W/wrk.txt")
p99=$(awk '$1 == "99%" { print $2 }' "$W/wrk.txt")
printf '%-62s %10s %10s  %s\n' "the same feed unchanged (If-None-Match: 304), 1 connection" "$p50" "$p99" "< 20 ms"
