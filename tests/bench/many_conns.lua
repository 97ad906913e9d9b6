-- many_conns.lua: a whole-run benchmark (run by hand, not a test).
-- `conns` clients each open a connection through one router, send
-- `bytes` and close; the run is dominated by TCP, links and tracing.
--
-- Run: time ./build/synsim run tests/bench/many_conns.lua --quiet \
--          --out /tmp/bench [--outputs summary] [-D conns=N]

local conns = sim.param("conns", 2000)
local bytes = sim.param("bytes", 10000)

local net = sim.network{ profile = "linux" }
local server = net:host "server"
local r = net:router "r"
net:link(server, r, { delay = "1ms", rate = "1Gbps" })
server:listen(80, { backlog = 65535 })
local hosts = {}
for i = 1, 50 do
  hosts[i] = net:host("c" .. i)
  net:link(hosts[i], r, { delay = "5ms", rate = "100Mbps" })
end
for i = 1, conns do
  local h = hosts[(i - 1) % #hosts + 1]
  h:connect(server, 80, { at = (i * 1000000) .. "ns", send = bytes, close = "after_send" })
end
net:run()
sim.metric("connections", conns)
