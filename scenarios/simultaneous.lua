-- simultaneous.lua: both ends open at once, and both close at once.
--
-- Teaches: the two rare paths of the state diagram (RFC 9293 Figures 7
-- and 13). Two hosts, no listener: each connects to the other's port
-- from the port the other connects to, at the same instant. Their SYNs
-- cross on the wire, each side goes SYN-SENT -> SYN-RECEIVED and sends a
-- SYN+ACK, and both become ESTABLISHED on the other's SYN+ACK, which
-- each acknowledges at once: one connection, six segments, no server. A
-- second later both close at the same instant: the FINs cross, each side
-- goes FIN-WAIT-1 -> CLOSING on the other's FIN, then TIME-WAIT on the
-- ACK of its own. Both ends wait 2*MSL: neither was the "passive" closer.
-- On Linux each wait runs on its own host's timer wheel, whose 60 s
-- level has granules of 2.048 s: both timers start at 1.2 s, yet alice
-- leaves TIME-WAIT at 62.66 s and bob at 62.78 s.
--
-- Look for: SYN-SENT → SYN-RECEIVED and FIN-WAIT-1 → CLOSING on both
-- hosts; synsim run simultaneous --ladder draws the crossing segments.
--
-- Try: -D delay=10ms
--   => alice_established_ms=20 bob_established_ms=20
-- Try: -D profile=rfc
--   => alice_established_ms=100 bob_established_ms=100 says="CLOSING"
--   the rfc profile's timers run on the nanosecond: both leave
--   TIME-WAIT at 241.2 s.

local delay   = sim.param("delay", "50ms")
local profile = sim.param("profile", "linux")

local net = sim.network{ profile = profile }
local a   = net:host "alice"
local b   = net:host "bob"
net:link(a, b, { delay = delay })

local ca = a:connect(b, 6000, { lport = 5000, close = "1s" })
local cb = b:connect(a, 5000, { lport = 6000, close = "1s" })

net:run()

-- Each SYN+ACK arrives one one-way delay after the SYNs crossed, so with
-- the default 50 ms both open at 100 ms; the FINs cross at 1.1 s, both
-- ends are in TIME-WAIT at 1.2 s and leave it 2*MSL later.
local wait = profile == "rfc" and 240000000000 or 60000000000
sim.metric("alice_established_ms", ca.established_at / 1e6)
sim.metric("bob_established_ms", cb.established_at / 1e6)
sim.expect(ca.established_at ~= nil and cb.established_at ~= nil, "both ends opened")
sim.expect(ca.established_at == cb.established_at, "at the same instant")
sim.expect(ca.state == "CLOSED" and cb.state == "CLOSED", "both closed")
sim.expect(ca.error == nil and cb.error == nil, "without an error")
sim.expect(ca.retransmits == 0 and cb.retransmits == 0, "nothing was lost")
if delay == "50ms" then
  sim.expect(ca.established_at == 100000000, "open at 100 ms")
  if profile == "rfc" then
    sim.expect(ca.closed_at == 1200000000 + wait and cb.closed_at == ca.closed_at,
               "both waited 2*MSL from 1.2 s")
  else
    -- The timer wheel: never early, late by less than the granule of
    -- the level 60 s lands in (512 jiffies of 4 ms) and a tick.
    for _, c in ipairs{ ca, cb } do
      sim.expect(c.closed_at > 1200000000 + wait and
                 c.closed_at < 1200000000 + wait + 2052000000,
                 "2*MSL from 1.2 s, on a tick of the wheel: " .. c.closed_at)
    end
  end
end
