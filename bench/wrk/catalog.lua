-- GET /api/v1/courses (the catalog's first page) as a random learner.
local bench = dofile(os.getenv("BENCH_WRK") .. "/common.lua")

request = function()
	return wrk.format("GET", "/api/v1/courses", bench.auth(math.random(90000)))
end
