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
-- Try: -D profile=rfc, -D delay=200ms, drop the 2nd SYN-ACK too with
--      -D drops=2, or none with -D drops=0 and compare the two runs with
--      synsim diff.

local delay   = sim.param("delay", "50ms")
local profile = sim.param("profile", "linux")
local drops   = sim.param("drops", 1)

local net    = sim.network{ profile = profile }
local client = net:host "client"
local server = net:host "server"
local link   = net:link(client, server, { delay = delay, rate = "10Mbps" })

-- The accident: lose the first `drops` SYN-ACKs from the server (none
-- with -D drops=0: the same run without the accident, to compare).
if drops > 0 then
  link:drop{ from = server, flags = "SYN+ACK", first = drops }
end

server:listen(80, { close = "on_eof" })
local conn = client:connect(server, 80, { send = 100, close = "after_send" })

net:run{ ["until"] = "120s" }

sim.metric("handshake_ms", conn.handshake_time / 1e6)
sim.metric("client_retransmits", conn.retransmits)
sim.metric("server_retransmits", server:conn(1).retransmits)
sim.expect(conn.handshake_time ~= nil, "the handshake completed")
sim.expect(server:conn(1).bytes_received == 100, "the data arrived")
