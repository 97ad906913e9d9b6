-- silent-peer.lua: a peer that never answers: how long connect() tries before it gives up.
--
-- Teaches: a SYN into silence (a firewall that drops, a host that is
-- down behind a router) is retransmitted with exponential backoff until
-- the SYN retries run out, then connect() fails with ETIMEDOUT. Linux's
-- tcp_syn_retries is 6: SYNs at 0, 1, 3, 7, 15, 31, 63 s, and the last
-- wait of 64 s ends at 127 s. Newer kernels first retry at the initial
-- RTO a few times (tcp_syn_linear_timeouts 4): SYNs at 0, 1, 2, 3, 4,
-- 5, 7, 11, 19, 35, 67 s and failure at 131 s, each a little later on
-- the kernel's timer wheel, which linux-6.18 models (its last wait of
-- 64 s lands on a 2 s granule: failure at 134.26 s). The rfc profile
-- follows RFC 6298 with 7 retries and a 60 s cap on the RTO.
--
-- Look for: the "attempt N of 7" on each retransmission, and the gaps
-- doubling between them.
--
-- Try: -D profile=linux
--   => gave_up_s=127 syns_sent=7
-- Try: -D profile=linux-6.18
--   => gave_up_s=134.260792873 syns_sent=11
-- Try: -D profile=rfc
--   => gave_up_s=183 syns_sent=8
--   SYNs at 0, 1, 3, 7, 15, 31, 63, 123 s (the RTO capped at 60 s), and a
--   last 60 s wait.
-- Try: -K client.syn_retries=2
--   => gave_up_s=7 syns_sent=3

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
