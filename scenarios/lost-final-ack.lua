-- lost-final-ack.lua: the third packet of the handshake, the client's ACK, is lost.
--
-- Teaches: the handshake looks finished from one side only. The client is
-- ESTABLISHED as soon as the SYN-ACK arrives (100 ms); the server stays in
-- SYN-RECEIVED, its connection still half-open and not yet handed to
-- accept(). What happens next depends on the client:
--   data = false (the default): the client has nothing to say. Only the
--     server's SYN-ACK timer can repair the loss: it fires 1 s after the
--     SYN-ACK went out, on the next 32 ms boundary of Linux's timer wheel
--     (1.069808 s with this seed), the client answers the repeated
--     SYN-ACK with an ACK, and the server reaches ESTABLISHED at
--     1.169897 s, more than a second after the client did.
--   data = true: the client sends 100 bytes right after the lost ACK.
--     Every segment after the SYN carries an ACK, so the data segment
--     completes the handshake on arrival (150 ms): no retransmission, no
--     delay. This is why a lost third ACK rarely costs anything in
--     practice: the client usually speaks first.
--
-- Look for: "the application is connected" on the client at 100 ms and
-- "the application accepts" on the server only when it is ESTABLISHED.
--
-- Try: -D data=true
--   => server_established_ms=150.2176 server_synack_retransmits=0
-- Try: -D profile=rfc
--   => server_established_ms=1150.1024 server_synack_retransmits=1
--   the rfc profile's timer fires on the nanosecond, at 1.050035 s.
-- Try: -D delay=10ms
--   => client_established_ms=20.096 server_established_ms=1057.897252

local data    = sim.param("data", false)
local delay   = sim.param("delay", "50ms")
local profile = sim.param("profile", "linux")

local net    = sim.network{ profile = profile }
local client = net:host "client"
local server = net:host "server"
local link   = net:link(client, server, { delay = delay, rate = "10Mbps" })

-- The accident: the first segment from the client with only ACK set and
-- no payload, which is the handshake's third packet.
local rule = link:drop{ from = client, flags = "ACK", payload = false, nth = 1 }

local accepted_at
server:listen(80, { close = "on_eof", on_accept = function() accepted_at = sim.now() end })
local conn
if data then
  conn = client:connect(server, 80, { send = 100, close = "after_send" })
else
  -- Nothing to send: close 2 s after the handshake, long after the repair.
  conn = client:connect(server, 80, { close = "2s" })
end

net:run()

local s = server:conn(1)
sim.metric("client_established_ms", conn.established_at / 1e6)
sim.metric("server_established_ms", s.established_at / 1e6)
sim.metric("server_synack_retransmits", s.retransmits)
sim.metric("client_retransmits", conn.retransmits)

sim.expect(link:rule(rule).applied == 1, "exactly one bare ACK was dropped")
sim.expect(conn.retransmits == 0, "the client never retransmits: it thinks all is well")
sim.expect(accepted_at == s.established_at, "accept() hands over the connection only once ESTABLISHED")
sim.expect(conn.state == "CLOSED" and s.state == "CLOSED", "both ends closed in the end")
if data then
  sim.expect(s.retransmits == 0, "the data segment's ACK completed the handshake")
  sim.expect(s.bytes_received == 100, "the data arrived")
else
  sim.expect(s.retransmits == 1, "the server retransmitted its SYN-ACK once")
end
if profile == "linux" and delay == "50ms" then
  -- SYN and SYN-ACK take 50 ms + 48 us each.
  sim.expect(conn.established_at == 100096000, "client ESTABLISHED at " .. conn.established_at)
  if data then
    -- The dropped ACK never reached the wire; the 100-byte segment (152
    -- bytes with headers) takes 121.6 us to serialize, then 50 ms.
    sim.expect(s.established_at == 150217600, "server ESTABLISHED at " .. s.established_at)
  else
    -- The SYN-ACK timer on the server's wheel (seed 1: jiffies 484 mod
    -- 512 at time 0, ticks at 1.807652 ms + 4k ms): set at 50.048 ms,
    -- when jiffies reads 497, for 250 jiffies: expires 747, rounded up
    -- past the 8-jiffy granule to 752, 268 ticks on: 1.069807652 s.
    -- Back to the server as an ACK 100 ms plus two serializations later.
    sim.expect(s.established_at == 1169897252, "server ESTABLISHED at " .. s.established_at)
  end
end
