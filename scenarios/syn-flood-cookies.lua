-- syn-flood-cookies.lua: the same SYN flood against two servers, one with SYN cookies and one without.
--
-- Teaches: SYN cookies (RFC 4987 3.6) make the SYN queue's size stop
-- mattering. An attacker sends 200 spoofed SYNs a second to each of two
-- identical servers (backlog 64); only `cookies` has tcp_syncookies = 1,
-- Linux's default. At 2 s a client connects to each. Without cookies the
-- queue is full of half-open requests that will never complete, the
-- client's SYNs are dropped and it backs off (1, 3, 7, 15 s ... after
-- its first, each a little later on Linux's timer wheel) until the
-- flood ends. With cookies the server answers every SYN past the
-- full queue with a SYN-ACK whose ISN encodes the connection and keeps
-- nothing; the client's ACK brings the cookie back and opens the
-- connection: one round trip, as if there were no flood. (The cost: a
-- cookie keeps only 2 bits of MSS and, without timestamps, no window
-- scaling or SACK.)
--
-- Look for: "possible SYN flooding on port 80: sending cookies" on one
-- server and "dropping request" on the other; "valid SYN cookie" when
-- the client's ACK reaches the first.
--
-- Try: -D rate=200
--   => with_cookies_ms=40 without_cookies_ms=31436 without_retransmits=5
--   the default: one round trip against 31.4 s (the SYN 31 s after the
--   first, late by the wheel's granules, at 33.397 s).
-- Try: -D flood_for=10s
--   => with_cookies_ms=40 without_cookies_ms=15308 without_retransmits=4
-- Try: -D rate=20
--   => with_cookies_ms=40 without_cookies_ms=40
--   a flood too slow to fill the queue before the client comes.

local rate      = sim.param("rate", 200)
local flood_for = sim.param("flood_for", "30s")

local net      = sim.network{ profile = "linux" }
local attacker = net:host "attacker"
local client   = net:host "client"
local r        = net:router "r"
net:link(attacker, r, { delay = "10ms", rate = "100Mbps" })
net:link(client, r, { delay = "10ms", rate = "100Mbps" })

local servers, conns = {}, {}
for _, name in ipairs{ "cookies", "nocookies" } do
  local s = net:host(name, { tcp = { syncookies = name == "cookies" and 1 or 0 } })
  net:link(s, r, { delay = "10ms", rate = "100Mbps" })
  s:listen(80, { backlog = 64 })
  attacker:flood{ to = s, port = 80, rate = rate, stop = flood_for }
  conns[name] = client:connect(s, 80, { at = "2s", send = 100, close = "after_send" })
  servers[name] = s
end

net:run{ ["until"] = "120s" }

local function ms(c) return c.handshake_time and c.handshake_time // 1000000 or -1 end
sim.metric("with_cookies_ms", ms(conns.cookies))
sim.metric("without_cookies_ms", ms(conns.nocookies))
sim.metric("without_retransmits", conns.nocookies.retransmits)
sim.expect(conns.cookies.retransmits == 0, "with cookies the first SYN gets in")
