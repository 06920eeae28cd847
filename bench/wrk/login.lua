-- POST /api/v1/auth/login with the username and password of a random
-- account (bcrypt at the server's cost; a new session each time).
local bench = dofile(os.getenv("BENCH_WRK") .. "/common.lua")
local users

bench.init = function()
	users = bench.lines("logins.txt")
end

request = function()
	local u = bench.pick(users)
	return wrk.format("POST", "/api/v1/auth/login",
		{["Content-Type"] = "application/json"},
		'{"login": "' .. u[1] .. '", "password": "password123"}')
end
