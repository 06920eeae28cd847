-- PUT /api/v1/attempts/{id}/answers/{question_id}: a single-choice answer
-- (a random label) to a random question of one of the 5,000 open attempts.
local bench = dofile(os.getenv("BENCH_WRK") .. "/common.lua")
local rows
local labels = {"A", "B", "C", "D"}

bench.init = function()
	rows = bench.lines("save.txt")
end

request = function()
	local r = bench.pick(rows)
	return wrk.format("PUT", "/api/v1/attempts/" .. r[2] .. "/answers/" .. r[3],
		bench.json_headers(tonumber(r[1])),
		'{"answer": {"choice": "' .. labels[math.random(4)]
			.. '"}, "time_spent_seconds": ' .. math.random(3, 60) .. '}')
end
