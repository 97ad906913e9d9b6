-- connect-timeout.lua: an application's 5 s connect timeout against SYN-ACKs lost round after round.
--
-- Teaches: TCP's own limit on a connect is the SYN retries (127 s on
-- Linux on the nanosecond, 130 s on its timer wheel); applications set a
-- shorter one (curl --connect-timeout, socket timeouts). Here the
-- server's SYN-ACKs are lost for a while: every SYN-ACK sent before
-- `window`. Both ends retry: the client its SYN (at 1.013 and 3.029 s:
-- the RTO doubles, and Linux's timer wheel rounds each expiry up to a
-- tick), which the server answers at once with a SYN-ACK and a fresh
-- SYN-ACK timer; and the server, when that timer runs out first, its
-- SYN-ACK (at 2.094 and 5.102 s). With every SYN-ACK before 1.1 s lost,
-- the server's own retry at 2.094 s gets through; before 3.1 s, the
-- next one is the server's at 5.102 s, which would arrive at 5.152 s:
-- the application's timeout fires first, at 5 s, and connect() fails
-- with ETIMEDOUT, the same errno as when the SYN retries run out; only
-- the cause says which timer it was. The application's timeout is not a
-- kernel timer: it runs on the nanosecond.
--
-- Look for: "connect timeout expired (the application's timer, not the
-- SYN retries)" at 5 s, and the RST the client sends: the server had
-- already answered, so it holds a half-open connection to be told.
--
-- Try: -D window=1.1s
--   => connected=1 handshake_ms=2143.807652 client_syn_retransmits=1
--   two SYN-ACKs lost: in with the server's own retry, at 2.14 s.
-- Try: -D window=3.1s
--   => connected=0 failed_at_ms=5000 says="#1 the application gets ETIMEDOUT"
-- Try: -D window=3.1s -D timeout=10s
--   => connected=1 handshake_ms=5151.807652 client_syn_retransmits=2
--   a longer timeout waits for the server's SYN-ACK of 5.102 s.
-- Try: -D window=0s
--   => connected=1 handshake_ms=100 client_syn_retransmits=0

local window  = sim.param("window", "3.1s")
local timeout = sim.param("timeout", "5s")

local net    = sim.network{ profile = "linux" }
local client = net:host "client"
local server = net:host "server"
local link   = net:link(client, server, { delay = "50ms" })
if window ~= "0s" then
  link:drop{ from = server, flags = "SYN+ACK", before = window }
end

server:listen(80)
local conn = client:connect(server, 80, { timeout = timeout })

net:run{ ["until"] = "30s" }

sim.metric("connected", conn.handshake_time and 1 or 0)
sim.metric("client_syn_retransmits", conn.retransmits)
if conn.handshake_time then
  sim.metric("handshake_ms", conn.handshake_time / 1e6)
else
  sim.metric("failed_at_ms", conn.closed_at / 1e6)
  sim.expect(conn.error == "ETIMEDOUT", conn.error)
  -- The server's half-open connection is reset by the client's RST,
  -- and its application never heard of it.
  sim.expect(server:conn(1).error == "ECONNREFUSED" or server:conn(1).state == "CLOSED")
end
