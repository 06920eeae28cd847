-- POST /api/v1/flashcards/cards/{id}/review: a random learner with
-- flashcards reviews a random card of their deck (a write: the log row,
-- the memory, the siblings buried, the day's study and XP).  Ratings as
-- learners give them: mostly Good, some Again, Hard and Easy.
local bench = dofile(os.getenv("BENCH_WRK") .. "/common.lua")
local learners, cards
local ratings = {1, 2, 3, 3, 3, 3, 3, 3, 4, 4}

bench.init = function()
	learners = bench.lines("fc_learners.txt")
	cards = {}
	for _, r in ipairs(bench.lines("fc_cards.txt")) do
		local deck = tonumber(r[1])
		cards[deck] = cards[deck] or {}
		table.insert(cards[deck], r[2])
	end
end

request = function()
	local l = bench.pick(learners)
	return wrk.format("POST", "/api/v1/flashcards/cards/"
		.. bench.pick(cards[tonumber(l[2])]) .. "/review",
		bench.json_headers(tonumber(l[1])),
		string.format('{"rating": %d, "duration_ms": %d}',
			ratings[math.random(#ratings)], math.random(2000, 15000)))
end
