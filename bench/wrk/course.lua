-- GET /api/v1/courses/{id}: a random course's outline with a random
-- learner's state in each lesson.
local bench = dofile(os.getenv("BENCH_WRK") .. "/common.lua")
local courses

bench.init = function()
	courses = bench.lines("courses.txt")
end

request = function()
	return wrk.format("GET", "/api/v1/courses/" .. bench.pick(courses)[1],
		bench.auth(math.random(90000)))
end
