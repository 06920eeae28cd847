-- GET /api/v1/flashcards/decks/{id}/media/fig-K.png: a picture of a card
-- (8 to 64 KiB), as a random one of the 20,000 learners with flashcards
-- asks for one of the 100 of their course deck (bench/data/75_card_media.
-- sql).  Every request is a first one: no If-None-Match, so the bytes go
-- out each time (a browser asks again with the ETag after five minutes
-- and mostly gets a 304).
local bench = dofile(os.getenv("BENCH_WRK") .. "/common.lua")
local learners, decks

bench.init = function()
	learners = bench.lines("fc_learners.txt")
	decks = {}
	for _, row in ipairs(bench.lines("fc_decks.txt")) do
		decks[row[1]] = row[2]
	end
end

request = function()
	local l = bench.pick(learners)
	return wrk.format("GET", "/api/v1/flashcards/decks/" .. decks[l[2]] ..
		"/media/fig-" .. math.random(100) .. ".png",
		bench.auth(tonumber(l[1])))
end
