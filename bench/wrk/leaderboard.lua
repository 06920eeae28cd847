-- GET /api/v1/leaderboards?period=weekly: this week's top ten by XP in the
-- learner's organization, and the learner's own rank.
local bench = dofile(os.getenv("BENCH_WRK") .. "/common.lua")

request = function()
	return wrk.format("GET", "/api/v1/leaderboards?period=weekly",
		bench.auth(math.random(90000)))
end
