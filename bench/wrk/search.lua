-- GET /api/v1/search?q=...: a word of the lessons' vocabulary (or a
-- misspelling) as a random learner.
local bench = dofile(os.getenv("BENCH_WRK") .. "/common.lua")
local terms

bench.init = function()
	terms = bench.lines("terms.txt")
end

request = function()
	return wrk.format("GET", "/api/v1/search?q=" .. bench.pick(terms)[1],
		bench.auth(math.random(90000)))
end
