-- The HTTP floor: GET /healthz, a fixed answer from ludus that touches
-- no database, made the same way as every other request (a Lua request()
-- and a counted response).
local bench = dofile(os.getenv("BENCH_WRK") .. "/common.lua")

request = function()
	return wrk.format("GET", "/healthz")
end
