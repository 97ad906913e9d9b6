-- high-latency.lua: on a long link the handshake's round trip is what a short request costs.
--
-- Teaches: a new connection costs one round trip before the first byte
-- of the request can go (SYN, SYN-ACK; the request rides with the ACK),
-- and the answer one more. On a geostationary satellite hop (about
-- 280 ms each way, 560 ms round trip) a 100-byte request and a 1000-byte
-- answer take two round trips, 1.12 s, of which the handshake is half;
-- on a 5 ms LAN the same exchange takes 20 ms. Bandwidth does not help:
-- the link here is 50 Mbit/s, and the bytes take microseconds. Also: an
-- RTT above the initial RTO (1 s) makes the SYN time out before its
-- answer can come: a spurious retransmission (-D delay=600ms).
--
-- Look for: "the application is connected (handshake 560ms)" and the
-- answer arriving one more round trip later.
--
-- Try: -D delay=5ms
--   => handshake_ms=10 answer_ms=20 rtts=2
-- Try: -D delay=280ms
--   => handshake_ms=560 answer_ms=1120 rtts=2
-- Try: -D delay=600ms
--   => handshake_ms=1200 answer_ms=2400 syn_retransmits=1
--   the RTT (1.2 s) is longer than the initial RTO: the SYN is sent again
--   after 1 s (1.013 s, on a tick of the client's timer wheel) though
--   nothing was lost.

local delay = sim.param("delay", "280ms")

local net    = sim.network{ profile = "linux" }
local client = net:host "client"
local server = net:host "server"
net:link(client, server, { delay = delay, rate = "50Mbps" })

server:listen(80, { on_data = function(c, n) c:send(1000); c:close() end,
                    close = "never" })
local answered_at
local conn = client:connect(server, 80, { send = 100,
  on_data = function(c, n) answered_at = answered_at or sim.now() end,
  close = "on_eof" })

net:run()

sim.metric("handshake_ms", conn.handshake_time // 1000000)
sim.metric("answer_ms", answered_at // 1000000)
sim.metric("rtts", (answered_at + conn.handshake_time // 2) // conn.handshake_time)
sim.metric("syn_retransmits", conn.retransmits)
