-- bench/booking.lua - wrk script: POST /api/v1/bookings of one resource (open round the clock,
-- 5-minute slots, room for 1,000 at once), each request a slot of its own thread's sequence
-- over the next 300 days, so that nearly every booking is accepted and the figure is the
-- rate of real bookings (each one locks the resource's row and counts its places).
--   wrk -t2 -c64 -d10s -s bench/booking.lua URL -- RESOURCE FIRST_MIDNIGHT
-- Non-2xx answers are counted and printed as BENCH non2xx=N c409=N.

local threads = {}

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  res = args[1]
  t0 = tonumber(args[2])
  n = 0
  non2xx = 0
  c409 = 0
  wrk.method = "POST"
  wrk.path = "/api/v1/bookings"
  wrk.headers["Content-Type"] = "application/json"
end

local function iso(t)
  return os.date("!%Y-%m-%dT%H:%M:%SZ", t)
end

function request()
  n = n + 1
  -- thread tid walks its own slots: 288 a day, 300 days, then round again
  local k = (n * 7 + tid * 101) % (288 * 300)
  local s = t0 + k * 300
  return wrk.format(nil, nil, nil,
    '{"resource_id":' .. res .. ',"start_at":"' .. iso(s) .. '","end_at":"' .. iso(s + 300) .. '"}')
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    if status == 409 then
      c409 = c409 + 1
    end
  end
end

function done(summary, latency, requests)
  local bad, conflicts = 0, 0
  for _, t in ipairs(threads) do
    bad = bad + t:get("non2xx")
    conflicts = conflicts + t:get("c409")
  end
  io.write(string.format("BENCH non2xx=%d c409=%d\n", bad, conflicts))
end
