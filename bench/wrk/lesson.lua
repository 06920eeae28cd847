-- GET /api/v1/lessons/{id}: a random lesson as a random learner (its body,
-- the learner's progress and bookmark); part of the mixed run.
local bench = dofile(os.getenv("BENCH_WRK") .. "/common.lua")
local lessons

bench.init = function()
	lessons = bench.lines("lessons.txt")
end

request = function()
	return wrk.format("GET", "/api/v1/lessons/" .. bench.pick(lessons)[1],
		bench.auth(math.random(90000)))
end
