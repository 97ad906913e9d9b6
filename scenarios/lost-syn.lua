-- lost-syn.lua: the client's first SYN is lost on the way to the server.
--
-- Teaches: a lost SYN is noticed only by the client (the server never saw
-- anything), and only by its retransmission timer: in SYN-SENT the client
-- waits one initial RTO (1 s in both profiles: no RTT sample exists yet)
-- and sends the SYN again. The handshake then takes one RTO plus one
-- round trip: 1 s + 2 x 50 ms, plus 48 us each to serialize the SYN and
-- the SYN-ACK (60 bytes at 10 Mbps): 1.100096 s in all. The retransmitted
-- SYN is the same segment: same ISN, same options.
--
-- Run:  synsim run scenarios/lost-syn.lua
-- Try:  -D drops=2 (the retransmission is lost too: the next SYN goes at
--       3 s, the timer having doubled), -D delay=200ms, -D profile=rfc

local delay   = sim.param("delay", "50ms")
local drops   = sim.param("drops", 1)
local profile = sim.param("profile", "linux")

local net    = sim.network{ profile = profile }
local client = net:host "client"
local server = net:host "server"
local link   = net:link(client, server, { delay = delay, rate = "10Mbps" })

-- The accident: the first `drops` SYNs from the client never arrive.
local rule = link:drop{ from = client, flags = "SYN", first = drops }

server:listen(80, { close = "on_eof" })
local conn = client:connect(server, 80, { send = 100, close = "after_send" })

net:run()

local s = server:conn(1)
sim.metric("handshake_ms", conn.handshake_time / 1e6)
sim.metric("client_retransmits", conn.retransmits)
sim.metric("server_retransmits", s.retransmits)
sim.metric("syns_dropped", link:rule(rule).applied)

sim.expect(link:rule(rule).applied == drops, "the rule dropped exactly the first SYNs")
sim.expect(conn.retransmits == drops, "one SYN retransmission per lost SYN")
sim.expect(s.retransmits == 0, "the server never knew: it retransmits nothing")
sim.expect(s.bytes_received == 100, "the data arrived")
sim.expect(conn.state == "CLOSED", "the client went through TIME-WAIT to CLOSED")
if profile == "linux" and delay == "50ms" and drops == 1 then
  -- SYN at 1 s, then 50 ms + 48 us each way for the SYN and the SYN-ACK.
  sim.expect(conn.handshake_time == 1100096000,
    "handshake at exactly 1.100096 s, got " .. conn.handshake_time)
  -- The server's side: the retransmitted SYN arrives at 1.050048 s.
  sim.expect(s.opened_at == 1050048000, "server saw the first SYN at " .. s.opened_at)
end
