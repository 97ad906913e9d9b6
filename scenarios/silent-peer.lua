-- silent-peer.lua: a peer that never answers: how long connect() tries before it gives up.
--
-- Teaches: a SYN into silence (a firewall that drops, a host that is
-- down behind a router) is retransmitted with exponential backoff until
-- the SYN retries run out, then connect() fails with ETIMEDOUT. Linux's
-- tcp_syn_retries is 6: on the nanosecond SYNs at 0, 1, 3, 7, 15, 31,
-- 63 s, and the last wait of 64 s ends at 127 s. Linux's timers run on
-- the kernel's timer wheel, never early and up to a granule of the
-- wheel's level late: 32 ms for the 1 and 2 s waits, 256 ms for 4 to
-- 16 s, 2.048 s for 32 and 64 s; so the SYNs go at 0, 1.013, 3.029,
-- 7.285, 15.477, 31.605, 64.629 s and connect() fails at 130.16 s with
-- this seed. Newer kernels first retry at the initial RTO a few times
-- (tcp_syn_linear_timeouts 4): SYNs at 0, 1, 2, 3, 4, 5, 7, 11, 19, 35,
-- 67 s and failure at 131 s on the nanosecond, 134.26 s on the wheel.
-- The rfc profile follows RFC 6298 with 7 retries and a 60 s cap on the
-- RTO, on the nanosecond.
--
-- Look for: the "attempt N of 7" on each retransmission, and the gaps
-- doubling between them.
--
-- Try: -D profile=linux
--   => gave_up_s=130.164792873 syns_sent=7
-- Try: -D profile=linux -K timer_wheel=false
--   => gave_up_s=127 syns_sent=7
--   the same timers on the nanosecond: the RFC's arithmetic exactly.
-- Try: -D profile=linux-6.18
--   => gave_up_s=134.260792873 syns_sent=11
-- Try: -D profile=rfc
--   => gave_up_s=183 syns_sent=8
--   SYNs at 0, 1, 3, 7, 15, 31, 63, 123 s (the RTO capped at 60 s), and a
--   last 60 s wait.
-- Try: -K client.syn_retries=2
--   => gave_up_s=7.284792873 syns_sent=3
--   SYNs at 0, 1.013 and 3.029 s, and a last wait of 4 s (256 ms
--   granules) to 7.285 s.

local profile = sim.param("profile", "linux")

local net    = sim.network{ profile = profile }
local client = net:host "client"
local server = net:host "server"
local link   = net:link(client, server, { delay = "20ms" })
-- The silence: every SYN is lost on the way (a firewall that drops).
local rule = link:drop{ from = client, flags = "SYN" }

local conn = client:connect(server, 80)

net:run()

sim.metric("gave_up_s", conn.closed_at / 1e9)
sim.metric("syns_sent", link:rule(rule).applied)
sim.expect(conn.error == "ETIMEDOUT", conn.error)
