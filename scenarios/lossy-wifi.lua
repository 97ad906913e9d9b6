-- lossy-wifi.lua: a transfer over a link that loses 2% of its packets at random and jitters, as busy Wi-Fi does.
--
-- Teaches: random loss costs far more than its share. The client sends
-- 200 KB over a 20 Mbit/s link with 10 ms of delay and up to 5 ms of
-- jitter; each packet is lost with probability `loss`, independently
-- (bursty-loss shows losses that come in bursts). Most losses are repaired by a
-- tail loss probe or an RTO, and every RTO stalls the transfer for at
-- least 200 ms (Linux's minimum) while the link idles; a lost SYN costs a
-- whole second. After an RTO this model (no SACK recovery, no congestion
-- control) resends everything from the hole on, go-back-N, so the
-- retransmitted segments far outnumber the lost ones. Same seed, same
-- losses: change --seed to draw others.
--
-- Look for: "loss" drops, "retransmission (RTO ..." lines, the gap in
-- time after each; done_ms against the lossless run.
--
-- Try: -D loss=0
--   => done_ms=129 retransmits=0 lost=0
--   the transfer alone: the handshake, 80 ms of bytes on the wire.
-- Try: -D loss=0.02
--   => done_ms=1478 retransmits=155 lost=15
--   2% of the packets lost: more than eleven times as long.
-- Try: -D loss=0.02 --seed 2
--   => done_ms=837 retransmits=92 lost=4
-- Try: -D loss=0.1
--   => done_ms=8119 retransmits=791 lost=186

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
