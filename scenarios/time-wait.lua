-- time-wait.lua: why the side that closes first waits, and what it waits for.
--
-- Teaches: TIME-WAIT lasts 2*MSL (60 s on Linux, 4 min in the rfc
-- profile) on the side that sent the first FIN. Two things happen in it:
--   1. The last ACK of the close is lost (port 80). The peer, in
--      LAST-ACK, sends its FIN again (Linux: a tail loss probe, due at
--      0.45 s and fired on the next tick of the server's timer wheel at
--      0.461808 s; rfc: the RTO, at 1.15 s); the side in TIME-WAIT is
--      still there to acknowledge it, and its wait starts over. On
--      Linux a 60 s wait lands on the timer wheel's level of 2.048 s
--      granules: restarted 0.31 s later it still ends on the same tick,
--      60.532793 s with this seed. Without
--      TIME-WAIT the FIN would meet a closed port and be answered with a
--      RST, and the peer would report an error.
--   2. The server closes first (port 81), so the server waits. The
--      client connects again from the same port 5 s later: its new SYN
--      carries a higher sequence number than anything of the old
--      connection (the ISN clock moved on), so the server lets it
--      replace the waiting connection at once (RFC 9293 3.6.1; Linux
--      does the same).
--
-- Look for: "FIN retransmitted: restart the 2 MSL timer" on the client,
-- and the server's TIME-WAIT → CLOSED at 5.05 s when the new SYN comes.
--
-- Try: -D profile=rfc
--   => a_closed_s=241.2 b1_server_closed_s=5.05
--   TIME-WAIT 240 s, restarted at 1.2 s by the FIN the RTO resent, on
--   the nanosecond.
-- Try: -D wheel=false
--   => a_closed_s=60.5 b1_server_closed_s=5.05
--   Linux's numbers on the nanosecond: the probe at 0.45 s, TIME-WAIT
--   restarted at 0.5 s.

local profile = sim.param("profile", "linux")
-- wheel = false: every host's timers on the nanosecond (the knob
-- timer_wheel); the rfc profile has them so anyway.
local wheel   = sim.param("wheel", true)

local net    = sim.network{ profile = profile, tcp = (not wheel) and { timer_wheel = false } or nil }
local client = net:host "client"
local server = net:host "server"
local link   = net:link(client, server, { delay = "50ms" })

-- 1. The client closes first; its last ACK (the ACK of the server's FIN)
--    is lost once.
link:drop{ from = client, flags = "ACK", payload = false, dport = 80, after = "150ms", nth = 1 }
server:listen(80, { close = "on_eof" })
local a = client:connect(server, 80, { lport = 40000, send = 100, close = "after_send" })

-- 2. The server closes first, 200 ms after the handshake; the client
--    reconnects from the same port at 5 s.
server:listen(81, { close = "200ms" })
local b1 = client:connect(server, 81, { lport = 40001, close = "on_eof" })
local b2 = client:connect(server, 81, { at = "5s", lport = 40001, close = "on_eof" })

net:run()

local s81 = {}
for i = 1, server:nconns() do
  local c = server:conn(i)
  if c.lport == 81 then s81[#s81 + 1] = c end
end

sim.metric("a_closed_s", a.closed_at / 1e9)
sim.metric("b1_server_closed_s", s81[1].closed_at / 1e9)
sim.expect(a.state == "CLOSED" and a.error == nil, "the first connection ended cleanly")
sim.expect(server:conn(1).error == nil, "the server saw no error either")
sim.expect(server:conn(1).retransmits == 1, "the server sent its FIN again")
sim.expect(#s81 == 2, "two connections on port 81")
-- The waiting server connection gives way to the new SYN at 5.05 s,
-- and the new connection opens one round trip after its SYN.
sim.expect(s81[1].closed_at == 5050000000, "TIME-WAIT ended early by the new SYN")
sim.expect(b2.established_at == 5100000000, "the second connection opened at once")
-- The client's wait restarted when it acknowledged the repeated FIN.
if profile == "rfc" then
  sim.expect(a.closed_at == 1200000000 + 240000000000, "TIME-WAIT ended at " .. a.closed_at)
elseif profile == "linux" and not wheel then
  sim.expect(a.closed_at == 500000000 + 60000000000, "TIME-WAIT ended at " .. a.closed_at)
elseif profile == "linux" then
  -- On the client's timer wheel (seed 1: jiffies 226 mod 512 at time 0,
  -- ticks at 0.792873 ms + 4k ms): set at 0.2 s (jiffies 276 mod 512)
  -- for 15000 jiffies, level 3 (512-jiffy granules): expires 15276,
  -- bucket 15360 (mod 512 arithmetic from jiffies 0 mod 512), 15134
  -- ticks on: 60.532792873 s. Restarted at 0.511807652 s (jiffies 354):
  -- expires 15354, the same bucket.
  sim.expect(a.closed_at == 60532792873, "TIME-WAIT ended at " .. a.closed_at)
end
