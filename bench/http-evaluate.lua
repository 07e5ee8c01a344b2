-- wrk script for bench/http.sh: POST /api/evaluate with one entity (the body file named by
-- $HQ_BENCH_BODY: {"entity": …, "year": 2021, "explain": false}), and a one-line summary
-- that bench/http.sh parses. Runs in every wrk thread's own Lua state.
local path = os.getenv("HQ_BENCH_BODY") or "evaluate-body.json"
local f = assert(io.open(path, "rb"))
wrk.method = "POST"
wrk.path = "/api/evaluate"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"

function done(summary, latency, requests)
  local e = summary.errors
  local secs = summary.duration / 1e6
  io.write(string.format(
    "RESULT requests=%d errors=%d non2xx=%s seconds=%.2f rps=%.0f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f bytes=%d\n",
    summary.requests, e.connect + e.read + e.write + e.timeout, e.status, secs, summary.requests / secs,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, summary.bytes))
end
