-- GET /api/v1/leaderboards: a board's top ten in the learner's
-- organization and the learner's own rank.  BENCH_BOARD is the query
-- string (default "period=weekly": this week by XP, every exam) and
-- BENCH_USERS the accounts that ask, "first-last" (default 1-90000: the
-- default organization; 90001-92500 is a 2,500-learner one).
local bench = dofile(os.getenv("BENCH_WRK") .. "/common.lua")
local path = "/api/v1/leaderboards?" .. (os.getenv("BENCH_BOARD") or "period=weekly")
local first, last = (os.getenv("BENCH_USERS") or "1-90000"):match("(%d+)-(%d+)")
first, last = tonumber(first), tonumber(last)

request = function()
	return wrk.format("GET", path, bench.auth(math.random(first, last)))
end
