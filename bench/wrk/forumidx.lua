-- GET /api/v1/forum/categories/{id}/threads: a course forum's list of
-- threads (30 a page, pinned first, then by last activity), as a random
-- one of the 20,000 learners with flashcards (enrolled in course
-- 1 + n % 10, whose forum they read; bench/data/77_forums.sql gave each
-- of those forums 2,000 threads).  One time in five a later page: after
-- the thread that ends page 1 to 10 (?after=), as the list scrolls.
local bench = dofile(os.getenv("BENCH_WRK") .. "/common.lua")
local learners, categories, pages

bench.init = function()
	learners = bench.lines("fc_learners.txt")
	categories, pages = {}, {}
	for _, row in ipairs(bench.lines("forum_categories.txt")) do
		categories[row[1]] = row[2]
	end
	for _, row in ipairs(bench.lines("forum_pages.txt")) do
		pages[row[1]] = pages[row[1]] or {}
		table.insert(pages[row[1]], row[3])
	end
end

request = function()
	local l = bench.pick(learners)
	local path = "/api/v1/forum/categories/" .. categories[l[2]] .. "/threads"
	if math.random(5) == 1 then
		path = path .. "?after=" .. bench.pick(pages[l[2]])
	end
	return wrk.format("GET", path, bench.auth(tonumber(l[1])))
end
