-- POST /api/v1/attempts/{id}/submit: each request submits an open, fully
-- answered attempt of its own (thread t takes rows t, t + threads, ... of
-- the 17,500 in submit.txt).  A second submit of the same attempt would be
-- a 409: if the rows run out, the errors say so.  A later run of the same
-- `make bench` starts past the rows the earlier ones used
-- (BENCH_OFFSET_SUBMIT).  BENCH_SUBMIT_ROWS names another file of the
-- same shape (history.txt, fresh.txt: the "submit with history" case,
-- one learner per thread).
local bench = dofile(os.getenv("BENCH_WRK") .. "/common.lua")
local rows, me, step, k, base = nil, 0, 1, 0, 0

bench.init = function(id)
	rows = bench.lines(os.getenv("BENCH_SUBMIT_ROWS") or "submit.txt")
	me, step = id, tonumber(os.getenv("BENCH_THREADS") or "2")
	base = bench.offset("submit")
end

request = function()
	local r = rows[1 + (base + me + step * k) % #rows]
	k = k + 1
	return wrk.format("POST", "/api/v1/attempts/" .. r[2] .. "/submit",
		bench.auth(tonumber(r[1])))
end
