-- lost-synack.lua: the server's first SYN-ACK is lost. Who notices first?
--
-- Teaches: both ends keep a retransmission timer during the handshake.
-- The client, in SYN-SENT, retransmits its SYN when its 1 s timer expires;
-- the server, in SYN-RECEIVED, would retransmit its SYN-ACK when its own
-- 1 s timer (started 50 ms later, when it sent the lost SYN-ACK) expires,
-- and it also answers the client's repeated SYN with the SYN-ACK again
-- (Linux's tcp_check_req), which restarts that timer. Which comes first?
-- On the nanosecond the two would tie: the repeated SYN reaches the
-- server at 1.05 s, just when the server's timer ends. Linux runs its
-- timers on the kernel's timer wheel, on ticks of 4 ms (HZ=250), never
-- early and up to a granule late (32 ms for a 1 s timeout), and each
-- host's ticks have their own phase: the client's timer fires at
-- 1.012793 s, its SYN arrives at 1.062841 s, and the server's timer
-- would have fired at 1.069808 s. So the SYN wins: the server answers it
-- with one SYN-ACK and restarts its timer, and the handshake completes
-- at 1.112889 s instead of 100 ms: one lost packet costs a whole initial
-- RTO and a little of the wheel (Linux: 1 s; RFC 6298: 1 s).
--
-- Look for: at 1.062841 s the server's single SYN-ACK, "retransmitted SYN
-- received: SYN-ACK again", and its SYN-ACK-RTO timer set again (run
-- with --timers). With the timers on the nanosecond (-K
-- timer_wheel=false, or the rfc profile) the tie happens: at 1.05 s the
-- server's timer fires first (events at one instant run in the order
-- they were scheduled, and the timer was set at 50 ms, long before the
-- SYN's arrival) and then the SYN is answered too: two SYN-ACKs in the
-- same nanosecond. To lose a whole round, lose every SYN-ACK sent before
-- a time: -D window=2.1s loses the answer at 1.06 s and the server's own
-- timer's at 2.09 s, and the client's next SYN (3.03 s) gets through.
--
-- Try: -D drops=2
--   => handshake_ms=2143.855652 client_retransmits=1 server_retransmits=2 synacks_lost=2
--   two SYN-ACKs lost: the answer to the repeated SYN is lost too, and
--   the server's restarted timer sends the next at 2.093808 s.
-- Try: -K timer_wheel=false
--   => handshake_ms=1100.096 client_retransmits=1 server_retransmits=2 says="retransmission (RTO 1s expired, attempt 2 of 6)"
--   the nanosecond tie: the server's timer fires first at 1.050048 s,
--   then the repeated SYN gets its SYN-ACK: two in the same nanosecond.
-- Try: -K timer_wheel=false -D drops=2
--   => handshake_ms=1100.096 synacks_lost=2
--   so on the nanosecond a second loss costs nothing: the second SYN-ACK
--   of 1.05 s gets through.
-- Try: -D window=2.1s
--   => handshake_ms=3128.888873 client_retransmits=2 server_retransmits=3 synacks_lost=3
--   two rounds lost (three SYN-ACKs): the client's timer has doubled to
--   2 s; its SYN of 3.028793 s is answered.
-- Try: -D drops=0
--   => handshake_ms=100.096 client_retransmits=0 server_retransmits=0
--   the same run without the accident (compare: synsim diff).
-- Try: -D profile=rfc
--   => handshake_ms=1100.0704 client_retransmits=1 server_retransmits=2
--   the rfc profile's timers run on the nanosecond: the tie again.
-- Try: -D delay=200ms
--   => handshake_ms=1412.888873
--   the server's timer starts at 0.2 s and would fire at 1.229808 s; the
--   repeated SYN arrives at 1.212841 s and wins again.

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
