-- bench/canteen_spend.lua - wrk script: a card reader's spends, POST /api/v1/meal_transactions,
-- each with an Idempotency-Key of its own (RUNTAG-thread-counter) on a card of the list file.
--   wrk -t2 -c64 -d10s -s bench/canteen_spend.lua URL -- CARDS_FILE RUNTAG
-- Non-2xx answers are counted and printed as "BENCH non2xx=N c409=N".
local threads = {}

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  cards = {}
  for line in io.lines(args[1]) do cards[#cards + 1] = line end
  run = args[2] or tostring(os.time())
  n = 0
  non2xx = 0
  c409 = 0
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  n = n + 1
  local card = cards[((n * 7919 + tid * 104729) % #cards) + 1]
  wrk.headers["Idempotency-Key"] = string.format("b%s-%d-%d", run, tid, n)
  return wrk.format(nil, "/api/v1/meal_transactions", nil,
    '{"kind":"spend","card_no":"' .. card .. '","amount_fen":1}')
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    if status == 409 then c409 = c409 + 1 end
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
