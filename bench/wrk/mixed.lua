-- A learner's day in one run: each request is one of the operations of
-- the other scripts, drawn by weight (out of 10,000).  Mostly reading the
-- dashboard, course outlines and lessons, saving lesson progress and
-- answers; some catalogs, quizzes started and submitted, leaderboards and
-- searches; a few logins (sessions last two weeks).  Statuses and
-- latencies are counted by kind (common.lua).
local bench = dofile(os.getenv("BENCH_WRK") .. "/common.lua")

local mix = {
	{"dashboard", 2000}, {"course", 1200}, {"lesson", 1000},
	{"progress", 2200}, {"save", 2000}, {"catalog", 300}, {"start", 200},
	{"submit", 200}, {"leaderboard", 400}, {"search", 495}, {"login", 5},
}

local total, cumulative = 0, {}
for i, m in ipairs(mix) do
	bench.init, bench.ok, request = nil, nil, nil
	dofile(os.getenv("BENCH_WRK") .. "/" .. m[1] .. ".lua")
	bench.kinds[i] = {name = m[1], make = request, init = bench.init,
		ok = bench.ok or {[200] = true}}
	total = total + m[2]
	cumulative[i] = total
end
bench.init, bench.ok = nil, nil

request = function()
	local r = math.random(total)
	for i = 1, #cumulative do
		if r <= cumulative[i] then
			return bench.make(i)
		end
	end
end
