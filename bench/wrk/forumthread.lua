-- Reading the big thread of course 1's forum (10,000 nested replies,
-- bench/data/77_forums.sql) as a random one of the 2,000 learners with
-- flashcards enrolled in course 1 (n % 10 = 0):
--   1 in 5  GET /api/v1/forum/threads/{id}: its first post (opening it);
--   3 in 5  GET .../replies?order=tree&after=K&limit=50: the 50 replies
--           that follow reply K (a random one) in the tree's order;
--   1 in 5  GET .../replies?order=time&after=K&limit=50: the 50 after
--           reply K by time.
-- Pages anywhere in the thread, so that its length shows if it costs.
local bench = dofile(os.getenv("BENCH_WRK") .. "/common.lua")
local learners, thread, seq

bench.init = function()
	learners = {}
	for _, row in ipairs(bench.lines("fc_learners.txt")) do
		if row[2] == "1" then
			learners[#learners + 1] = tonumber(row[1])
		end
	end
	local big = bench.lines("forum_big.txt")[1]
	thread, seq = big[1], tonumber(big[2])
end

request = function()
	local n = bench.pick(learners)
	local r = math.random(5)
	local path = "/api/v1/forum/threads/" .. thread
	if r > 1 then
		path = path .. "/replies?order=" .. (r == 5 and "time" or "tree") ..
			"&after=" .. math.random(seq) .. "&limit=50"
	end
	return wrk.format("GET", path, bench.auth(n))
end
