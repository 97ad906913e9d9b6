-- storm.lua: a handshake storm, the whole-run benchmark of `make bench`
-- (run by hand; CTest runs it only small, as the `storm` smoke test, and
-- asserts its counts, never its time).
--
-- `conns` connections from `hosts` client nodes, each client on its own
-- 10 Mb/s, 50 ms link to the server (a star around it), with `loss` on
-- every link both ways. Connection i (from 0) starts at i * `spacing`
-- from client i mod `hosts`, sends 100 bytes and closes; the server
-- closes when the client's FIN arrives. The run goes on until every
-- connection has closed, TIME-WAIT (60 s) included.
--
-- Run:  synsim run tests/bench/storm.lua --quiet --outputs summary \
--           -D conns=100000 -D loss=0.01
-- Try:  -D hosts=1 -D conns=28300 -D count=true (one client: its 28232
--       ports run out at 28.2 s, before the first TIME-WAIT ends, and
--       the last 68 connects fail with EAGAIN), the same with
--       -D tw_reuse=true (Linux's tcp_tw_reuse: a port is taken back a
--       second after its last timestamp, so none fails); -D count=true
--       counts outcomes (the default up to 1e4 connections)

local conns   = sim.param("conns", 1000)
local nhosts  = sim.param("hosts", 10)
local loss    = sim.param("loss", 0.0)
local spacing = sim.param("spacing", "1ms")
local count   = sim.param("count", conns <= 10000)
local reuse   = sim.param("tw_reuse", false)

-- Without counting, nothing reads a closed connection again: it is let
-- go (keep_closed = false) unless an output such as connections.csv
-- reads it after the run.
local net = sim.network{ profile = "linux", keep_closed = count }
local server = net:host "server"
local star = net:star{ center = server, hosts = nhosts,
                       link = { delay = "50ms", rate = "10Mbps", loss = loss },
                       host = { tcp = { tw_reuse = reuse } } }
local listener = server:listen(80, { backlog = 4096, close = "on_eof" })

-- One pending start at a time: connection i schedules connection i + 1,
-- spacing later (exact: integer nanoseconds added, never multiplied
-- through a float).
local clients = star.hosts
local eagain = 0
local function start(i)
  local h = clients[i % nhosts + 1]
  local c = h:connect(server, 80, { send = 100, close = "after_send" })
  -- A connect that cannot start (no free port) fails at once.
  if count and c.error == "EAGAIN" then eagain = eagain + 1 end
  if i + 1 < conns then
    sim.after(spacing, function() start(i + 1) end)
  end
end
if conns > 0 then
  sim.at(0, function() start(0) end)
end

net:run()

local made = 0
for _, h in ipairs(clients) do
  made = made + h:nconns()
end
sim.metric("connections", made)
sim.metric("accepted", listener.accepted)
sim.metric("syn_dropped", listener.syn_dropped)

if count then
  local closed, errors, retrans = 0, 0, 0
  for _, h in ipairs(clients) do
    for i = 1, h:nconns() do
      local c = h:conn(i)
      if c.state == "CLOSED" then closed = closed + 1 end
      if c.error then errors = errors + 1 end
      retrans = retrans + c.retransmits
    end
  end
  sim.metric("closed", closed)
  sim.metric("errors", errors)
  sim.metric("eagain", eagain)
  sim.metric("client_retransmits", retrans)
  sim.expect(closed == made, "every connection ends CLOSED")
  sim.expect(made + eagain == conns, "every connect() made a connection "
             .. "or failed for want of a port")
else
  sim.expect(made <= conns, "no more connections than connects")
end
