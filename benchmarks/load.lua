-- wrk script: each request picks one of the signed-in users' sessions and one page of the mix.
-- BENCH_SESSIONS and BENCH_PATHS are files with one value per line.
local function lines(path)
  local out = {}
  for line in io.lines(path) do if #line > 0 then out[#out + 1] = line end end
  return out
end

local sessions = lines(os.getenv("BENCH_SESSIONS"))
local paths = lines(os.getenv("BENCH_PATHS"))
local counter = 0

request = function()
  counter = counter + 1
  local path = paths[(counter % #paths) + 1]
  local session = sessions[math.random(#sessions)]
  -- Production settings redirect plain HTTP; the header says a TLS proxy sits in front, as it would.
  return wrk.format("GET", path, {["Cookie"] = "sessionid=" .. session, ["X-Forwarded-Proto"] = "https"})
end

done = function(summary, latency, requests)
  local errors = summary.errors
  io.stderr:write(string.format(
    '{"requests": %d, "seconds": %f, "p50_ms": %f, "p95_ms": %f, "p99_ms": %f, "errors": %d, "non_2xx": %d}\n',
    summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    errors.connect + errors.read + errors.write + errors.timeout, errors.status))
end
