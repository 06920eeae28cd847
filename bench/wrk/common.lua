-- Shared by the wrk scripts of bench/: who is signed in, the data files
-- the driver exported, the counting of answers, the latency of each
-- request as the driver wants it measured, and the paced mode.
--
-- Session n (n = 1..100000, made by bench/data/10_users.sql) has the token
-- "bench-" followed by n in 37 digits.  Each script defines request() and
-- loads this file with
--   local bench = dofile(os.getenv("BENCH_WRK") .. "/common.lua")
-- (one table per Lua state: mixed.lua loads several scripts).  The driver
-- sets BENCH_WRK (this folder), BENCH_DATA (the exported files) and
-- BENCH_OUT (where done() writes its JSON); BENCH_RATE paces the run
-- (below); BENCH_OFFSET_<NAME> moves the writes that must not repeat
-- (submit, start) past the rows an earlier run used.
--
-- Every request carries an X-Request-Id, which ludus echoes: "<kind>.<t>",
-- the script's kind (its index in bench.kinds) and the microsecond t from
-- which its latency counts.  response() reads it back, so a mixed run
-- counts statuses and latencies by kind, and a paced run can count from
-- the time a request was due rather than when it was sent (below).
if _BENCH then
	return _BENCH
end
local bench = {}
_BENCH = bench

local ffi = require("ffi")
pcall(ffi.cdef, [[
	typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
	int clock_gettime(int clock, bench_timespec *ts);
]])
local ts = ffi.new("bench_timespec")

-- Microseconds on CLOCK_MONOTONIC (the same clock in every thread).
function bench.now_us()
	ffi.C.clock_gettime(1, ts)
	return tonumber(ts.tv_sec) * 1000000 + math.floor(tonumber(ts.tv_nsec) / 1000)
end

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

-- Where a write that must not repeat starts (BENCH_OFFSET_SUBMIT, ...).
function bench.offset(name)
	return tonumber(os.getenv("BENCH_OFFSET_" .. name:upper()) or "0")
end

-- ---- kinds: what request() makes, as the driver calls it -----------------

-- bench.kinds[i] = {name, make, ok}; a single-operation script has one, the
-- name of its file (set by the driver as BENCH_KIND), made of the global
-- request() it defines.  mixed.lua registers several with weights.
bench.kinds = {}

-- Latencies go into buckets 2 % wide (bucket b holds 1.02^b to 1.02^(b+1)
-- microseconds): percentiles to 2 %, in a table small enough to copy from
-- every thread at the end.
local LOG = math.log(1.02)
local function bucket(us)
	if us < 1 then
		us = 1
	end
	return math.floor(math.log(us) / LOG)
end

-- Per thread (each has its own Lua state): by kind, statuses, buckets,
-- requests made, the largest latency.  Flat tables ("<kind>:<status>",
-- "<kind>:<bucket>"): wrk copies tables out of a thread one level deep.
statuses, hist, sent, maxlat, sumlat = {}, {}, {}, {}, {}
paced = {late = 0, worst_late_us = 0}

local threads = {}
local counter = 0
local rate = tonumber(os.getenv("BENCH_RATE") or "")
local due = {}         -- paced: the due times claimed by delay(), in order
local due_head, due_tail = 1, 0
local interval, next_due

function setup(thread)
	thread:set("thread_id", counter)
	counter = counter + 1
	threads[#threads + 1] = thread
end

function init(args)
	math.randomseed(os.time() + (thread_id or 0) * 7919)
	if #bench.kinds == 0 then
		-- one operation: its script's request(), through bench.request
		bench.kinds[1] = bench.single(request)
		request = bench.request
	end
	for i = 1, #bench.kinds do
		sent[i], maxlat[i], sumlat[i] = 0, 0, 0
		if bench.kinds[i].init then
			bench.kinds[i].init(thread_id or 0, counter)
		end
	end
	if rate then
		local nthreads = tonumber(os.getenv("BENCH_THREADS") or "2")
		interval = 1e6 * nthreads / rate
		next_due = bench.now_us() + 100000 + interval * (thread_id or 0) / nthreads
	end
end

-- The kind a single-operation script makes (bench.init and bench.ok as it
-- set them).
function bench.single(make)
	return {name = os.getenv("BENCH_KIND") or "op", make = make,
		ok = bench.ok or {[200] = true}, init = bench.init}
end

-- The request of kind i (mixed.lua's chooser calls it; single scripts go
-- through bench.request).
function bench.make(i)
	local s = bench.kinds[i].make()
	sent[i] = sent[i] + 1
	local t = bench.now_us()
	if rate and due_head <= due_tail then
		-- Paced: a request that left after its due time (its connection
		-- was still waiting for an earlier answer) counts from when it
		-- was due, as an open-loop client would have sent it.
		local d = due[due_head]
		due[due_head] = nil
		due_head = due_head + 1
		if d < t - 1000 then
			paced.late = paced.late + 1
			if t - d > paced.worst_late_us then
				paced.worst_late_us = t - d
			end
			t = d
		end
	end
	return (s:gsub("\r\n", "\r\nX-Request-Id: " .. i .. "." .. t .. "\r\n", 1))
end

function bench.request()
	return bench.make(1)
end

-- Paced (BENCH_RATE requests a second over all threads): each thread
-- hands out due times at a constant interval, one to each connection as
-- it becomes free; a connection waits for its due time, or goes at once
-- when it is already past.  wrk calls delay() before each request.
if rate then
	function delay()
		local now = bench.now_us()
		local d = next_due
		next_due = next_due + interval
		due_tail = due_tail + 1
		due[due_tail] = d
		if d <= now then
			return 0
		end
		return math.floor((d - now) / 1000)
	end
end

function response(status, headers, body)
	local id = headers["X-Request-Id"] or headers["x-request-id"]
	local i, t = nil, nil
	if id then
		local a, b = id:match("^(%d+)%.(%d+)$")
		i, t = tonumber(a), tonumber(b)
	end
	if not i or not sent[i] then
		i = 1
	end
	local key = i .. ":" .. status
	statuses[key] = (statuses[key] or 0) + 1
	if t then
		local us = bench.now_us() - t
		local b = i .. ":" .. bucket(us)
		hist[b] = (hist[b] or 0) + 1
		sumlat[i] = sumlat[i] + us
		if us > maxlat[i] then
			maxlat[i] = us
		end
	end
end

-- ---- the JSON summary ----

local function percentiles(h)
	local keys, total = {}, 0
	for b, n in pairs(h) do
		keys[#keys + 1] = b
		total = total + n
	end
	table.sort(keys)
	local function pct(p)
		if total == 0 then
			return 0
		end
		local want, seen = math.ceil(total * p / 100), 0
		for _, b in ipairs(keys) do
			seen = seen + h[b]
			if seen >= want then
				-- the bucket's middle
				return math.floor(1.02 ^ (b + 0.5))
			end
		end
		return 0
	end
	return total, pct
end

local function jstatuses(s)
	local parts = {}
	for code, n in pairs(s) do
		parts[#parts + 1] = string.format('"%d": %d', code, n)
	end
	return "{" .. table.concat(parts, ", ") .. "}"
end

function done(summary, latency, requests)
	local nk = #bench.kinds
	if nk == 0 then
		nk = 1
	end
	local k_stat, k_hist, k_sent, k_max, k_most, k_sum = {}, {}, {}, {}, {}, {}
	for i = 1, nk do
		k_stat[i], k_hist[i], k_sent[i], k_max[i], k_most[i], k_sum[i] =
			{}, {}, 0, 0, 0, 0
	end
	local late, worst = 0, 0
	for _, t in ipairs(threads) do
		local s, h, n, m, sum = t:get("statuses"), t:get("hist"),
			t:get("sent"), t:get("maxlat"), t:get("sumlat")
		for key, c in pairs(s) do
			local i, code = key:match("^(%d+):(%d+)$")
			i, code = tonumber(i), tonumber(code)
			k_stat[i][code] = (k_stat[i][code] or 0) + c
		end
		for key, c in pairs(h) do
			local i, b = key:match("^(%d+):(-?%d+)$")
			i, b = tonumber(i), tonumber(b)
			k_hist[i][b] = (k_hist[i][b] or 0) + c
		end
		for i = 1, nk do
			k_sent[i] = k_sent[i] + (n[i] or 0)
			k_most[i] = math.max(k_most[i], n[i] or 0)
			k_max[i] = math.max(k_max[i], m[i] or 0)
			k_sum[i] = k_sum[i] + (sum[i] or 0)
		end
		local p = t:get("paced")
		late = late + p.late
		worst = math.max(worst, p.worst_late_us)
	end
	-- the kinds, and their sum
	local all_stat, all_hist, all_max, all_sum = {}, {}, 0, 0
	local kinds, ok, bad = {}, 0, 0
	for i = 1, nk do
		local kind = bench.kinds[i] or bench.single(nil)
		local want = kind.ok or {[200] = true}
		local kok, kbad = 0, 0
		for code, n in pairs(k_stat[i]) do
			all_stat[code] = (all_stat[code] or 0) + n
			if want[code] then kok = kok + n else kbad = kbad + n end
		end
		for b, n in pairs(k_hist[i]) do
			all_hist[b] = (all_hist[b] or 0) + n
		end
		all_max = math.max(all_max, k_max[i])
		all_sum = all_sum + k_sum[i]
		ok, bad = ok + kok, bad + kbad
		local total, pct = percentiles(k_hist[i])
		kinds[#kinds + 1] = string.format('"%s": {"requests": %d, "sent": %d, ' ..
			'"used": %d, "ok": %d, "errors": %d, "latency_us": {"mean": %.1f, "p50": %d, ' ..
			'"p90": %d, "p99": %d, "p999": %d, "max": %d}, "statuses": %s}',
			kind.name, total, k_sent[i], k_most[i] * #threads, kok, kbad,
			total > 0 and k_sum[i] / total or 0, pct(50), pct(90), pct(99), pct(99.9), k_max[i],
			jstatuses(k_stat[i]))
	end
	local all_n, pct = percentiles(all_hist)
	local e = summary.errors
	local socket = e.connect + e.read + e.write + e.timeout
	local out = assert(io.open(os.getenv("BENCH_OUT"), "w"))
	-- latency_us: measured here, from the X-Request-Id's time (a paced
	-- run's late requests from their due time); wrk_latency_us: wrk's own
	-- histogram, from the time each request was written.
	out:write(string.format('{"requests": %d, "duration_us": %d, ' ..
		'"ok": %d, "errors": %d, "socket_errors": %d, "timeouts": %d, ' ..
		'"rate": %s, "late": %d, "worst_late_us": %d, ' ..
		'"latency_us": {"mean": %.1f, "p50": %d, "p90": %d, "p99": %d, "p999": %d, ' ..
		'"max": %d}, "wrk_latency_us": {"mean": %.1f, "p50": %d, "p90": %d, ' ..
		'"p99": %d, "max": %d}, "statuses": %s, "kinds": {%s}}\n',
		summary.requests, summary.duration, ok, bad + socket, socket,
		e.timeout, rate and string.format("%.1f", rate) or "null", late, worst,
		all_n > 0 and all_sum / all_n or 0, pct(50), pct(90), pct(99),
		pct(99.9), all_max, latency.mean, latency:percentile(50), latency:percentile(90),
		latency:percentile(99), latency.max, jstatuses(all_stat),
		table.concat(kinds, ", ")))
	out:close()
end

return bench
