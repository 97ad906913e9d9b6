-- handshake.lua: a clean TCP connection from start to finish.
--
-- Teaches: the three-way handshake (SYN, SYN+ACK, ACK), 100 bytes of data
-- acknowledged by sequence number (100 bytes at seq 1 are acked with 101),
-- and the close: the client's FIN, the server's FIN carrying the ACK of the
-- client's (Linux delays that ACK, so it rides on the server's own FIN),
-- the last ACK, and TIME-WAIT on the side that closed first.
--
-- Try: synsim run scenarios/handshake.lua -D delay=10ms -D bytes=3000
--      synsim run scenarios/handshake.lua -D profile=rfc

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
sim.expect(conn.retransmits == 0, "nothing was lost, nothing retransmitted")
