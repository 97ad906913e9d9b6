-- lossy-wifi.lua: a transfer over a link that loses 2% of its packets at random and jitters, as busy Wi-Fi does.
--
-- Teaches: what random loss costs, and what repairs it. The client sends
-- 200 KB over a 20 Mbit/s link with 10 ms of delay and up to 5 ms of
-- jitter; each packet is lost with probability `loss`, independently
-- (bursty-loss shows losses that come in bursts). A segment lost in the
-- middle of the transfer is repaired within a round trip: the receiver
-- holds what arrives after the hole and says so in SACK blocks, and the
-- sender resends only what is missing (RACK, RFC 8985), or, without
-- SACK, at the third duplicate ACK (fast retransmit, RFC 5681). What is
-- left to the timers is costly: a lost tail waits for the probe, a lost
-- retransmission for an RTO of at least 200 ms (Linux's minimum) while
-- the link idles, and a lost SYN a whole second. This model has no
-- congestion control, so the loss does not slow the sender down. Same
-- seed, same losses: change --seed to draw others.
--
-- Look for: "loss" drops, the duplicate ACKs with their SACK blocks, the
-- "RACK" retransmissions right after; done_ms against the lossless run.
--
-- Try: -D loss=0
--   => done_ms=129 retransmits=0 lost=0
--   the transfer alone: the handshake, 80 ms of bytes on the wire.
-- Try: -D loss=0.02
--   => done_ms=185 retransmits=3 lost=6
--   2% of the packets lost: each hole repaired within a round trip.
-- Try: -D loss=0.02 --seed 2
--   => done_ms=155 retransmits=2 lost=3
-- Try: -D loss=0.1
--   => done_ms=1217 retransmits=19 lost=37
--   10%: retransmissions are lost too, and the RTO takes over.
-- Try: -D loss=0.1 -K client.opt_sack=false
--   => done_ms=1849 retransmits=102 lost=57
--   the same loss without SACK: one hole repaired per round trip, and
--   after an RTO everything from the hole on goes again.

local loss  = sim.param("loss", 0.02)
local bytes = sim.param("bytes", 200000)

local net    = sim.network{ profile = "linux" }
local client = net:host "client"
local server = net:host "server"
local link = net:link(client, server, { delay = "10ms", jitter = "5ms",
                                       rate = "20Mbps", loss = loss })

local done_at
server:listen(80, { close = "never", on_data = function(c)
  if c.bytes_received == bytes then done_at = sim.now() end
end })
local conn = client:connect(server, 80, { send = bytes, close = "after_send" })

net:run{ ["until"] = "300s" }

sim.metric("done_ms", (done_at or 0) // 1000000)
sim.metric("retransmits", conn.retransmits)
sim.metric("lost", link:stats(client).dropped + link:stats(server).dropped)
sim.expect(done_at ~= nil, "every byte arrived")
