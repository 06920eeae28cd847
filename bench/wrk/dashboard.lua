-- GET /api/v1/me/dashboard as a random learner of the default organization.
local bench = dofile(os.getenv("BENCH_WRK") .. "/common.lua")

request = function()
	return wrk.format("GET", "/api/v1/me/dashboard",
		bench.auth(math.random(90000)))
end
