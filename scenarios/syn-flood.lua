-- syn-flood.lua: an attacker fills the server's queue of half-open
-- connections; a legitimate client arrives in the middle of it.
--
-- Teaches: a SYN creates a connection in SYN-RECEIVED that lives until the
-- handshake completes or its SYN-ACK retries run out. The attacker's SYNs
-- come from spoofed addresses, so their SYN-ACKs go nowhere and those
-- half-open connections only expire. Once `backlog` of them are pending,
-- new SYNs are dropped, the client's among them: it retransmits at 1, 3,
-- 7, 15, 31 s after its first SYN (a little later on Linux's timer wheel:
-- 1.03, 3.04, 7.08, 15.27, 31.40 s with this seed) and gets in only if a
-- slot is free then.
-- Linux defends itself a little: while the queue is over half full, a
-- request whose SYN-ACK already timed out gets fewer retries (down to 2),
-- so the oldest go after 1+2+4 = 7 s instead of 1+2+4+8+16+32 = 63 s
-- (each a little later on the timer wheel, which also fires the SYN-ACK
-- timers of requests that arrived within a few milliseconds on one tick);
-- but the flood refills each freed slot within milliseconds.
--
-- The real defence is SYN cookies (RFC 4987 3.6), on by default in Linux
-- (tcp_syncookies 1): with the queue full, the server answers every SYN
-- with a SYN-ACK whose sequence number encodes the connection and keeps
-- nothing; the ACK that brings it back opens the connection. This
-- scenario turns them off to show the attack; -D syncookies=1 shows the
-- client getting in at once, in one round trip.
--
-- Look for: "possible SYN flooding on port 80: dropping request" (Linux's
-- own warning), the client's "drops SYN ... listen queue full" lines at 2,
-- 3.03, 5.04, 9.08 and 17.27 s, and in queues.csv the SYN queue pinned at
-- 65.
--
-- Try: -D syncookies=1
--   => syn_dropped=0 client_syn_retransmits=0 handshake_ms=40.02144
--   cookies: the client gets in with its first SYN, in one round trip.
-- Try: -D prune=false
--   => client_syn_retransmits=6 handshake_ms=64716.812073
--   every half-open entry lives its full 63 s (and the wheel's delays):
--   the client's SYN of 33.4 s still finds the queue full, its last one,
--   at 66.68 s, gets in.
-- Try: -D backlog=1024
--   => syn_dropped=0 client_syn_retransmits=0 handshake_ms=40.02144
--   a queue bigger than the flood can fill while pruning frees it: 100
--   SYNs a second, each gone after 7 s, never reach 1025.
-- Try: -D rate=20
--   => client_syn_retransmits=0 handshake_ms=40.02144 syn_dropped=408
--   a slower flood fills the queue only at 3.25 s: the client, at 2 s,
--   is in before it (later SYNs are dropped all the same).
-- Try: -D flood_for=5s
--   => client_syn_retransmits=3 handshake_ms=7116.812073
--   a short flood: the SYN at 9.08 s finds the queue pruned.
--
-- See it: `synsim plot out/syn-flood` draws the client's side among the
-- flood (ladder.png), the server's SYN queue filling and the SYNs it drops
-- (queues.png), the packets per second of every side (aggregate.png);
-- `--all` the whole flood as arrows.

local backlog   = sim.param("backlog", 64)
local rate      = sim.param("rate", 100)        -- spoofed SYNs per second
local flood_for = sim.param("flood_for", "30s")
local prune     = sim.param("prune", true)      -- the linux synack_prune knob
local cookies   = sim.param("syncookies", 0)    -- linux's default is 1

local net      = sim.network{ profile = "linux" }
local client   = net:host "client"
local attacker = net:host "attacker"
local server   = net:host("server", { tcp = { synack_prune = prune, syncookies = cookies } })
local router   = net:router "r"
for _, h in ipairs{ client, attacker, server } do
  net:link(h, router, { delay = "10ms", rate = "100Mbps" })
end

local listener = server:listen(80, { backlog = backlog })
attacker:flood{ to = server, port = 80, rate = rate, start = "0s", stop = flood_for }
local conn = client:connect(server, 80, { at = "2s", send = 100, close = "after_send" })

net:run{ ["until"] = "200s" }

sim.metric("syn_dropped", listener.syn_dropped)
sim.metric("cookies_sent", listener.cookies_sent)
sim.metric("client_syn_retransmits", conn.retransmits)
if conn.handshake_time then
  sim.metric("handshake_ms", conn.handshake_time / 1e6)
end
sim.log(string.format("client: %s after %d retransmissions; listener dropped %d SYNs",
  conn.handshake_time and "connected" or ("failed: " .. tostring(conn.error)),
  conn.retransmits, listener.syn_dropped))

if cookies ~= 0 then
  -- Nothing is dropped: every SYN past the queue gets a cookie, and the
  -- client's ACK (its only valid one) opens its connection at once.
  sim.expect(listener.syn_dropped == 0, "no SYN dropped with cookies")
  sim.expect(listener.cookies_sent > 0, "cookies were sent")
  sim.expect(listener.cookies_accepted == 1, "one cookie came back, the client's")
  sim.expect(conn.retransmits == 0, "the client's first SYN got in")
  sim.expect(conn.handshake_time == 40021440, "one round trip: " .. tostring(conn.handshake_time))
end
if cookies == 0 and backlog == 64 and rate == 100 and flood_for == "30s" then
  if prune then
    -- 65 spoofed SYNs fill the queue (Linux holds backlog + 1) by
    -- 0.66 s. From about 7 s the oldest entries are pruned after two
    -- SYN-ACK retries, but each freed slot
    -- is taken by the next spoofed SYN: the client's SYNs at 2 s and at
    -- the ticks of its timer wheel after 1, 2, 4, 8 s more (seed 1:
    -- 3.028792873, 5.044792873, 9.076792873, 17.268792873 s; the rule
    -- as in lost-syn) find the queue full. The flood stops at 30 s, the
    -- slots freed after it stay free, and the SYN 16 s on, at
    -- 33.396792873 s, gets in one round trip later: 20 ms each way and
    -- the serializations, 40.0192 ms.
    sim.expect(conn.retransmits == 5, "the client's 6th SYN got in, after " .. conn.retransmits)
    sim.expect(conn.handshake_time == 31436812073, "handshake after " .. tostring(conn.handshake_time))
  else
    -- Without pruning the first half-open entry expires some 63 s (and
    -- the wheel's delays) after its SYN; every client SYN up to the one
    -- at 33.4 s is dropped and the last one, 32 s later on the client's
    -- wheel at 66.676792873 s, gets in.
    sim.expect(conn.retransmits == 6, "the client's 7th SYN got in, after " .. conn.retransmits)
    sim.expect(conn.handshake_time == 64716812073, "handshake after " .. tostring(conn.handshake_time))
  end
  sim.expect(conn.state == "CLOSED", "the client's connection ended normally")
end
