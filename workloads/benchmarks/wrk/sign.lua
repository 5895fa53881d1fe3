-- wrk script: POST /api/v1/accounts/{id}/signatures with a different hash each time.
--   MPC_API_KEY=... wrk -t1 -c4 -d10s --latency -s workloads/benchmarks/wrk/sign.lua \
--       http://localhost:8083/api/v1/accounts/<account id>/signatures
-- wrk prints "Non-2xx or 3xx responses" when any request failed: a run with that line is void.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("MPC_API_KEY") or "")
local counter = 0
request = function()
  counter = counter + 1
  local body = string.format('{"hash":"%08x%056x"}', math.random(0, 0x7fffffff), counter)
  return wrk.format(nil, nil, nil, body)
end
