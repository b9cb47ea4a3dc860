-- bench/login.lua - wrk script: sign-ins back to back (POST /api/v1/session), one loop per connection.
--   wrk -t1 -c4 -d14s -s bench/login.lua URL/api/v1/session -- USERNAME PASSWORD
-- bench/run.sh runs it beside a GET load to see whether argon2id hashing starves other requests.
-- Answers other than 200 are counted and printed as
--   BENCH non200=N
-- (a 429 would mean the sign-in limits kicked in and the load is not what it claims).

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  non200 = 0
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.body = string.format('{"username":"%s","password":"%s"}', args[1], args[2])
end

function response(status, headers, body)
  if status ~= 200 then
    non200 = non200 + 1
  end
end

function done(summary, latency, requests)
  local bad = 0
  for _, t in ipairs(threads) do
    bad = bad + t:get("non200")
  end
  io.write(string.format("BENCH non200=%d\n", bad))
end
