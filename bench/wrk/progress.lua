-- POST /api/v1/lessons/{id}/progress: a random learner's progress in a
-- random lesson (a write: the progress row, the enrollment, maybe a new
-- enrollment).
local bench = dofile(os.getenv("BENCH_WRK") .. "/common.lua")
local lessons

bench.init = function()
	lessons = bench.lines("lessons.txt")
end

request = function()
	return wrk.format("POST", "/api/v1/lessons/" .. bench.pick(lessons)[1]
		.. "/progress", bench.json_headers(math.random(90000)),
		string.format('{"progress_percent": %d, "last_position": {"seconds": %d}}',
			math.random(1, 99), math.random(0, 900)))
end
