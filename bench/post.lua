-- bench/post.lua - wrk script: POST /api/v1/departments with a code unique to each request.
--   wrk -t2 -c64 -d10s -s bench/post.lua URL -- RUNTAG
-- The code is B<RUNTAG>-<thread>-<counter>, so runs with different tags never collide (a 409
-- on a duplicate code would spoil the figure). Non-2xx answers are counted and printed as
--   BENCH non2xx=N c409=N
-- for bench/run.sh to report beside the rate.

local threads = {}

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  run = args[1] or tostring(os.time())
  n = 0
  non2xx = 0
  c409 = 0
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  n = n + 1
  local code = string.format("B%s-%d-%d", run, tid, n)
  return wrk.format(nil, nil, nil,
    '{"name":"压测部门 ' .. code .. '","code":"' .. code .. '","kind":"government"}')
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
