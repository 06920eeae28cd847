-- GET /api/v1/materials?limit=20: my materials, newest first, each with
-- its counts of chunks and assets and its latest job, as a random one of
-- the 5,000 learners with materials (bench/data/80_materials.sql).
local bench = dofile(os.getenv("BENCH_WRK") .. "/common.lua")
local rows

bench.init = function()
	rows = bench.lines("mat_learners.txt")
end

request = function()
	return wrk.format("GET", "/api/v1/materials?limit=20",
		bench.auth(tonumber(bench.pick(rows)[1])))
end
