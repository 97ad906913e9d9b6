-- lost-syn.lua: the client's first SYN is lost on the way to the server.
--
-- Teaches: a lost SYN is noticed only by the client (the server never saw
-- anything), and only by its retransmission timer: in SYN-SENT the client
-- waits one initial RTO (1 s in both profiles: no RTT sample exists yet)
-- and sends the SYN again. On Linux that timer sits on the kernel's timer
-- wheel, which never fires early but fires on a tick: a 1 s timeout is
-- 250 jiffies of 4 ms, on the wheel's level whose buckets are 8 jiffies
-- (32 ms) wide, so it runs at the client's first 32 ms boundary past
-- 1 s: 1.012793 s with this seed (each host's ticks have their own
-- phase). The handshake then takes that plus one round trip: 2 x 50 ms,
-- plus 48 us each to serialize the SYN and the SYN-ACK (60 bytes at
-- 10 Mbps): 1.112889 s in all. The retransmitted SYN is the same
-- segment: same ISN, same options.
--
-- Look for: the "drops SYN" line at 0 s, then nothing at all until the
-- client's timer expires at 1.012793 s ("retransmission (RTO 1s expired,
-- attempt 2 of 7)"); the server's first line is at 1.062841 s.
--
-- Try: -D drops=2
--   => handshake_ms=3128.888873 client_retransmits=2 server_retransmits=0
--   the retransmission is lost too: the timer, doubled to 2 s (500
--   jiffies, still 32 ms buckets), fires at 3.028793 s.
-- Try: -D drops=7
--   => client_retransmits=6 syns_dropped=7 gave_up_ms=130164.792873 says="the application gets ETIMEDOUT"
--   every SYN is lost: after 6 retries (1+2+4+8+16+32 s, then 64 s more:
--   127 s on the nanosecond) connect() fails with ETIMEDOUT at 130.16 s:
--   the longer timeouts land on coarser levels of the wheel (256 ms
--   buckets for 4 to 16 s, 2.048 s for 32 and 64 s).
-- Try: -D drops=2 -K client.syn_retries=1
--   => client_retransmits=1 gave_up_ms=3028.792873
--   the same with a client that retries once only: it gives up at the
--   second timer's tick.
-- Try: -D drops=7 -K timer_wheel=false
--   => client_retransmits=6 gave_up_ms=127000
--   timers on the nanosecond, as the RFC's arithmetic: 127 s exactly.
-- Try: -D delay=200ms
--   => handshake_ms=1412.888873
-- Try: -D profile=rfc
--   => handshake_ms=1100.0704 client_retransmits=1
--   the same 1 s (RFC 6298 2.1) on the nanosecond: the rfc profile has
--   no timer wheel; the SYN is shorter (no options but the MSS), so it
--   is serialized sooner.

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
  -- The SYN timer on the client's wheel (seed 1: its jiffies read 226
  -- mod 512 at time 0, the next tick is at 0.792873 ms): 1 s = 250
  -- jiffies, expires 476, rounded up past the 8-jiffy granule: 480,
  -- 254 ticks on, at 1.012792873 s; then 50 ms + 48 us each way for the
  -- SYN and the SYN-ACK.
  sim.expect(conn.handshake_time == 1112888873,
    "handshake at exactly 1.112888873 s, got " .. conn.handshake_time)
  -- The server's side: the retransmitted SYN arrives at 1.062840873 s.
  sim.expect(s.opened_at == 1062840873, "server saw the first SYN at " .. s.opened_at)
end
