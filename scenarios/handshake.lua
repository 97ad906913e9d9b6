-- handshake.lua: a clean TCP connection from start to finish.
--
-- Teaches: the three-way handshake (SYN, SYN+ACK, ACK), 100 bytes of data
-- acknowledged by sequence number (100 bytes at seq 1 are acked with 101),
-- and the close: the client's FIN, the server's FIN carrying the ACK of the
-- client's (Linux delays that ACK, so it rides on the server's own FIN),
-- the last ACK, and TIME-WAIT on the side that closed first.
--
-- Look for: the options on the SYN (mss, sackOK, TS, wscale) and what the
-- SYN-ACK answers; "ack 101" after the 100 bytes; the client in TIME-WAIT
-- for 60 s at the end; --ladder draws it.
--
-- Try: -D delay=10ms -D bytes=3000
--   => handshake_ms=20.096 bytes_received=3000
--   3000 bytes go as three segments (MSS 1448).
-- Try: -D profile=rfc
--   => handshake_ms=100.0704 bytes_received=100
--   the rfc profile offers only the MSS option: shorter SYNs.
-- Try: -D delay=1s
--   => handshake_ms=2000.096 client_retransmits=1
--   a round trip of 2 s is longer than the initial RTO (1 s): the client
--   sends its SYN again after 1 s (1.013 s, on a tick of its timer
--   wheel) though nothing was lost (a spurious
--   retransmission); the first SYN's answer still completes the open.

local delay   = sim.param("delay", "50ms")
local bytes   = sim.param("bytes", 100)
local profile = sim.param("profile", "linux")

local net    = sim.network{ profile = profile }
local client = net:host "client"
local server = net:host "server"
net:link(client, server, { delay = delay, rate = "10Mbps" })

server:listen(80, { close = "on_eof" })
local conn = client:connect(server, 80, { send = bytes, close = "after_send" })

net:run()

local s = server:conn(1)
sim.metric("handshake_ms", conn.handshake_time / 1e6)
sim.metric("bytes_received", s.bytes_received)
sim.expect(s.bytes_received == bytes, "the server received every byte")
sim.expect(conn.state == "CLOSED", "the client went through TIME-WAIT to CLOSED")
sim.metric("client_retransmits", conn.retransmits)
if delay == "50ms" then
  sim.expect(conn.retransmits == 0, "nothing was lost, nothing retransmitted")
end
