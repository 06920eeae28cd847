-- GET /api/v1/flashcards/queue?limit=20: what a learner reviews next (due
-- learning cards, due review cards, then new ones under the daily limits,
-- each with the four ratings' intervals), as a random one of the 20,000
-- learners with flashcards (bench/data/70_flashcards.sql).
local bench = dofile(os.getenv("BENCH_WRK") .. "/common.lua")
local learners

bench.init = function()
	learners = bench.lines("fc_learners.txt")
end

request = function()
	return wrk.format("GET", "/api/v1/flashcards/queue?limit=20",
		bench.auth(tonumber(bench.pick(learners)[1])))
end
