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
-- Look for: the "drops SYN" line at 0 s, then nothing at all until the
-- client's timer expires at 1 s ("retransmission (RTO 1s expired, attempt
-- 2 of 7)"); the server's first line is at 1.05 s.
--
-- Try: -D drops=2
--   => handshake_ms=3100.096 client_retransmits=2 server_retransmits=0
--   the retransmission is lost too: the next SYN goes at 3 s, the timer
--   having doubled.
-- Try: -D drops=7
--   => client_retransmits=6 syns_dropped=7 gave_up_ms=127000 says="the application gets ETIMEDOUT"
--   every SYN is lost: after 6 retries (1+2+4+8+16+32 s, then 64 s more)
--   connect() fails with ETIMEDOUT at 127 s.
-- Try: -D drops=2 -K client.syn_retries=1
--   => client_retransmits=1 gave_up_ms=3000
--   the same with a client that retries once only: it gives up at 3 s.
-- Try: -D delay=200ms
--   => handshake_ms=1400.096
-- Try: -D profile=rfc
--   => handshake_ms=1100.0704 client_retransmits=1
--   the same 1 s (RFC 6298 2.1); the SYN is shorter (no options but the
--   MSS), so it is serialized sooner.

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

sim.metric("client_retransmits", conn.retransmits)
sim.metric("syns_dropped", link:rule(rule).applied)
sim.expect(conn.state == "CLOSED", "the client went through TIME-WAIT to CLOSED")
if conn.error then
  -- Every SYN was lost: connect() failed; the server never heard a thing.
  sim.expect(conn.error == "ETIMEDOUT", conn.error)
  sim.metric("gave_up_ms", conn.closed_at / 1e6)
  sim.expect(server:nconns() == 0, "no SYN reached the server")
  return
end

local s = server:conn(1)
sim.metric("handshake_ms", conn.handshake_time / 1e6)
sim.metric("server_retransmits", s.retransmits)
sim.expect(link:rule(rule).applied == drops, "the rule dropped exactly the first SYNs")
sim.expect(conn.retransmits == drops, "one SYN retransmission per lost SYN")
sim.expect(s.retransmits == 0, "the server never knew: it retransmits nothing")
sim.expect(s.bytes_received == 100, "the data arrived")
if profile == "linux" and delay == "50ms" and drops == 1 then
  -- SYN at 1 s, then 50 ms + 48 us each way for the SYN and the SYN-ACK.
  sim.expect(conn.handshake_time == 1100096000,
    "handshake at exactly 1.100096 s, got " .. conn.handshake_time)
  -- The server's side: the retransmitted SYN arrives at 1.050048 s.
  sim.expect(s.opened_at == 1050048000, "server saw the first SYN at " .. s.opened_at)
end
