-- GET /api/v1/materials/{id}/assets: the 49 generated assets of one of a
-- learner's materials, each with its source, by chunk (the material page),
-- as a random one of the 5,000 learners with materials.
local bench = dofile(os.getenv("BENCH_WRK") .. "/common.lua")
local rows

bench.init = function()
	rows = bench.lines("mat_learners.txt")
end

request = function()
	local r = bench.pick(rows)
	return wrk.format("GET", "/api/v1/materials/" .. r[2] .. "/assets",
		bench.auth(tonumber(r[1])))
end
