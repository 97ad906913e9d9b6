-- flood.lua: a SYN flood benchmark for `make bench` (run by hand, not a
-- test).
--
-- An attacker sends `syns` spoofed SYNs, one every `interval`, to a
-- server listening with the linux profile's backlog (4096); a SYN-ACK
-- to a spoofed address goes nowhere, so every request lives until its
-- retries run out. With -D cookies=0 the half-open queue fills and the
-- rest are dropped; with -D cookies=1 (Linux's tcp_syncookies 1) a full
-- queue answers with a SYN cookie and keeps nothing.
--
-- Run:  synsim run tests/bench/flood.lua --quiet --outputs summary \
--           -D syns=1000000 -D cookies=1

local syns     = sim.param("syns", 10000)
local cookies  = sim.param("cookies", 0)
local interval = sim.param("interval", 100000)   -- ns between SYNs

local net      = sim.network{ profile = "linux" }
local attacker = net:host "attacker"
local server   = net:host("server", { tcp = { syncookies = cookies } })
net:link(attacker, server, { delay = "10ms", rate = "100Mbps" })
local listener = server:listen(80)

-- The last SYN goes at (syns - 1) intervals: stop is inclusive.
attacker:flood{ to = server, port = 80, interval = interval, start = 0,
                stop = (syns - 1) * interval }
net:run()

sim.metric("syns", syns)
sim.metric("syn_dropped", listener.syn_dropped)
sim.metric("cookies_sent", listener.cookies_sent)
sim.metric("half_open", server:nconns())
