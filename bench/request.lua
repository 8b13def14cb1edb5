-- wrk script: every request is the same, as the environment describes it. BENCH_METHOD (default GET), BENCH_DEPTH
-- (a Depth header), BENCH_BODY (a request body, sent as XML). No response() callback, so that wrk does not parse
-- bodies and the client takes as little of the two cores as it can; bench/speed.sh rejects a run with any non-2xx.
local method = os.getenv("BENCH_METHOD") or "GET"
local depth = os.getenv("BENCH_DEPTH")
local body = os.getenv("BENCH_BODY")

wrk.method = method
if depth then
  wrk.headers["Depth"] = depth
end
if body then
  wrk.body = body
  wrk.headers["Content-Type"] = "application/xml; charset=utf-8"
end
