-- dumbbell.lua: N clients and N servers share one bottleneck link.
--
-- Teaches: the classic shared-bottleneck topology. Each client has its own
-- fast access link to the left router, each server its own to the right
-- router, and every connection crosses the one slow link between the
-- routers. All clients start at once and send `bytes` each: alone, a
-- transfer would take a round trip plus bytes / 10 Mbps; together they
-- queue at the left router, and the bottleneck's queue (`queue` packets)
-- overflows. This model has no congestion control, so each sender pushes
-- a whole window at once; the drops (reason "queue") are repaired by
-- retransmission and every byte still arrives, later.
--
-- Look for: drops with reason "queue" at the left router, and
-- slowest_ms growing with n.
--
-- Try: -D n=1
--   => bottleneck_dropped=0 retransmits=0 slowest_ms=167.06144
--   no sharing, no drops.
-- Try: -D queue=1000
--   => bottleneck_dropped=0 retransmits=0 slowest_ms=216.99264
--   a queue that holds every window: no drops, only delay.
-- Try: -D n=8
--   => clients=8 bytes_received=160000 bottleneck_dropped=131 slowest_ms=799.47278

local n     = sim.param("n", 4)
local bytes = sim.param("bytes", 20000)
local queue = sim.param("queue", 20)

local net = sim.network{ profile = "linux" }
local clients, servers = {}, {}
for i = 1, n do
  clients[i] = "c" .. i
  servers[i] = "s" .. i
end
local d = net:dumbbell{
  left = clients, right = servers,
  access = { delay = "5ms", rate = "100Mbps" },
  bottleneck = { delay = "20ms", rate = "10Mbps", queue = queue },
}
local rl, rr = d.routers[1], d.routers[2]

local conns = {}
for i = 1, n do
  d.right[i]:listen(80, { close = "on_eof" })
  conns[i] = d.left[i]:connect(d.right[i], 80, { send = bytes, close = "after_send" })
end

net:run()

local done_max, received, retrans = 0, 0, 0
for i = 1, n do
  local s = d.right[i]:conn(1)
  received = received + s.bytes_received
  retrans = retrans + conns[i].retransmits
  -- From connect() to the server's CLOSED (the last ACK of the close).
  local done = s.closed_at - conns[i].opened_at
  if done > done_max then done_max = done end
end
local neck = d.bottleneck:stats(rl)
sim.metric("clients", n)
sim.metric("bytes_received", received)
sim.metric("retransmits", retrans)
sim.metric("bottleneck_sent", neck.sent)
sim.metric("bottleneck_dropped", neck.dropped)
sim.metric("slowest_ms", done_max / 1e6)

sim.expect(received == n * bytes, "every byte crossed the bottleneck")
local from_clients = 0
for i = 1, n do
  sim.expect(conns[i].state == "CLOSED" and conns[i].error == nil,
    "connection " .. i .. " closed cleanly")
  local up = d.left_links[i]:stats(d.left[i])
  sim.expect(up.sent == up.delivered and up.dropped == 0,
    "the access link of c" .. i .. " lost nothing")
  from_clients = from_clients + up.sent
end
-- Every packet from a client went on over the bottleneck (the routers
-- know no other way), and only those did.
sim.expect(neck.sent == from_clients, "bottleneck carried " .. neck.sent .. " of " .. from_clients)
sim.expect(neck.sent == neck.delivered + neck.dropped, "the bottleneck lost only what it dropped")
if queue >= 1000 then
  sim.expect(neck.dropped == 0 and retrans == 0, "a large enough queue drops nothing")
end
if n == 4 and bytes == 20000 and queue == 20 then
  -- Nothing here is random: the drop-tail queue decides, the same way
  -- every run.
  -- SACK and RACK: each segment the queue dropped is sent again once.
  sim.expect(neck.dropped == 39 and retrans == 39,
    "dropped " .. neck.dropped .. ", retransmitted " .. retrans)
  sim.expect(done_max == 447793082, "slowest transfer " .. done_max)
elseif n == 1 and bytes == 20000 then
  -- Alone: 18 packets, no queue overflow, no retransmission.
  sim.expect(neck.sent == 18 and neck.dropped == 0 and retrans == 0)
end
