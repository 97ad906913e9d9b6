-- lost-synack.lua: the server's first SYN-ACK is lost. Who notices first?
--
-- Teaches: both ends keep a retransmission timer during the handshake.
-- The client, in SYN-SENT, retransmits its SYN when its 1 s timer expires;
-- the server, in SYN-RECEIVED, retransmits its SYN-ACK when its own 1 s
-- timer (started 50 ms later, when it sent the lost SYN-ACK) expires, and
-- it also answers the client's repeated SYN with the SYN-ACK again. The
-- handshake completes at 1.1 s instead of 100 ms: one lost packet costs a
-- whole initial RTO (Linux: 1 s; RFC 6298: 1 s).
--
-- Look for: at 1.05 s the server sends two SYN-ACKs in the same
-- nanosecond: one answers the client's repeated SYN (Linux's
-- tcp_check_req), the other is its own timer's. So -D drops=2 loses the
-- first of them and the second gets through: the handshake still ends at
-- 1.1 s. To lose a whole round, lose every SYN-ACK sent before a time:
-- -D window=1.1s loses both of 1.05 s, and the next round (client at 3 s,
-- server at 3.05 s) gets through.
--
-- Try: -D drops=2
--   => handshake_ms=1100.096 client_retransmits=1 server_retransmits=2 synacks_lost=2
--   two SYN-ACKs lost, yet the same 1.1 s: the second went with the first
--   of 1.05 s.
-- Try: -D window=1.1s
--   => handshake_ms=3100.096 client_retransmits=2 server_retransmits=4 synacks_lost=3
--   two rounds lost (three SYN-ACKs): the client's timer has doubled to
--   2 s; at 3.05 s the server again sends two SYN-ACKs.
-- Try: -D drops=0
--   => handshake_ms=100.096 client_retransmits=0 server_retransmits=0
--   the same run without the accident (compare: synsim diff).
-- Try: -D profile=rfc
--   => handshake_ms=1100.0704 client_retransmits=1 server_retransmits=2
-- Try: -D delay=200ms
--   => handshake_ms=1400.096

local delay   = sim.param("delay", "50ms")
local profile = sim.param("profile", "linux")
local drops   = sim.param("drops", 1)
local window  = sim.param("window", "0s")

local net    = sim.network{ profile = profile }
local client = net:host "client"
local server = net:host "server"
local link   = net:link(client, server, { delay = delay, rate = "10Mbps" })

-- The accident: lose the first `drops` SYN-ACKs from the server (none
-- with -D drops=0: the same run without the accident, to compare).
local rule
if window ~= "0s" then
  rule = link:drop{ from = server, flags = "SYN+ACK", before = window }
elseif drops > 0 then
  rule = link:drop{ from = server, flags = "SYN+ACK", first = drops }
end

server:listen(80, { close = "on_eof" })
local conn = client:connect(server, 80, { send = 100, close = "after_send" })

net:run{ ["until"] = "120s" }

sim.metric("handshake_ms", conn.handshake_time / 1e6)
sim.metric("client_retransmits", conn.retransmits)
sim.metric("server_retransmits", server:conn(1).retransmits)
if rule then sim.metric("synacks_lost", link:rule(rule).applied) end
sim.expect(conn.handshake_time ~= nil, "the handshake completed")
sim.expect(server:conn(1).bytes_received == 100, "the data arrived")
