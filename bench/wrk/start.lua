-- POST /api/v1/assessments/{id}/attempts: a new attempt at a 10-question
-- quiz.  Every request is a pair (learner, quiz) never used before, so
-- that each one really starts an attempt (201) instead of resuming one
-- (200, counted apart): thread t's k-th request takes pair t + threads * k
-- of accounts 1..25000 and the 19 quizzes, past the pairs an earlier run
-- of the same `make bench` used (BENCH_OFFSET_START).
local bench = dofile(os.getenv("BENCH_WRK") .. "/common.lua")
local quizzes, me, step, k, base = nil, 0, 1, 0, 0
bench.ok = {[201] = true}

bench.init = function(id, nthreads)
	quizzes = bench.lines("quizzes.txt")
	me, step = id, tonumber(os.getenv("BENCH_THREADS") or "2")
	base = bench.offset("start")
end

request = function()
	local pair = base + me + step * k
	k = k + 1
	local n = 1 + pair % 25000
	local q = quizzes[1 + math.floor(pair / 25000) % #quizzes][1]
	return wrk.format("POST", "/api/v1/assessments/" .. q .. "/attempts",
		bench.auth(n))
end
