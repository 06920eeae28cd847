-- Shared by the wrk scripts of bench/: who is signed in, the data files
-- the driver exported, and the counting of answers.
--
-- Session n (n = 1..100000, made by bench/data/10_users.sql) has the token
-- "bench-" followed by n in 37 digits.  Each script defines request() and
-- loads this file with
--   local bench = dofile(os.getenv("BENCH_WRK") .. "/common.lua")
-- The driver sets BENCH_WRK (this folder), BENCH_DATA (the exported
-- files) and BENCH_OUT (where done() writes its JSON).
local bench = {}

function bench.token(n)
	return string.format("bench-%037d", n)
end

function bench.auth(n)
	return {["Authorization"] = "Bearer " .. bench.token(n)}
end

function bench.json_headers(n)
	local h = bench.auth(n)
	h["Content-Type"] = "application/json"
	return h
end

-- The lines of an exported file, each split on spaces.
function bench.lines(name)
	local rows = {}
	local f = assert(io.open(os.getenv("BENCH_DATA") .. "/" .. name, "r"))
	for line in f:lines() do
		local row = {}
		for field in line:gmatch("%S+") do
			row[#row + 1] = field
		end
		if #row > 0 then
			rows[#rows + 1] = row
		end
	end
	f:close()
	return rows
end

function bench.pick(rows)
	return rows[math.random(#rows)]
end

-- ---- wrk's hooks: threads, counting, the JSON summary ----

local threads = {}
local counter = 0

function setup(thread)
	thread:set("thread_id", counter)
	counter = counter + 1
	threads[#threads + 1] = thread
end

-- Per thread (each has its own Lua state).
statuses = {}
expected = {}

function init(args)
	math.randomseed(os.time() + (thread_id or 0) * 7919)
	if bench.init then
		bench.init(thread_id or 0, counter)
	end
end

function response(status, headers, body)
	statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
	local by_status, ok, bad, other = {}, 0, 0, 0
	local want = bench.ok or {[200] = true}
	for _, t in ipairs(threads) do
		local s = t:get("statuses")
		for code, n in pairs(s) do
			by_status[code] = (by_status[code] or 0) + n
		end
	end
	local parts = {}
	for code, n in pairs(by_status) do
		parts[#parts + 1] = string.format('"%d": %d', code, n)
		if want[code] then ok = ok + n else bad = bad + n end
	end
	local e = summary.errors
	local socket = e.connect + e.read + e.write + e.timeout
	local out = assert(io.open(os.getenv("BENCH_OUT"), "w"))
	out:write(string.format('{"requests": %d, "duration_us": %d, ' ..
		'"ok": %d, "errors": %d, "socket_errors": %d, "timeouts": %d, ' ..
		'"latency_us": {"mean": %.1f, "p50": %d, "p90": %d, "p99": %d, ' ..
		'"max": %d}, "statuses": {%s}}\n',
		summary.requests, summary.duration, ok, bad + socket, socket,
		e.timeout, latency.mean, latency:percentile(50),
		latency:percentile(90), latency:percentile(99), latency.max,
		table.concat(parts, ", ")))
	out:close()
end

return bench
