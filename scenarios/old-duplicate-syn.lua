-- old-duplicate-syn.lua: a SYN from an old connection arrives late, while the same ports open again.
--
-- Teaches: why the three-way handshake needs its third step (RFC 9293
-- 3.5, Figure 8). A first connection from port 5000 (ISN 1000) opens,
-- is used and reset. A copy of its SYN, held somewhere in the network,
-- arrives at the server at 3 s, just as the client opens a new
-- connection from the same port with a new ISN (900000). The server
-- cannot tell the old SYN from a new one and answers it with a SYN-ACK
-- acknowledging 1001. The client, in SYN-SENT, sees an ACK of a sequence
-- number it never sent, and answers with a RST (RFC 9293 3.10.7.3); the
-- server drops the half-open connection the old SYN made and goes on
-- listening. The new SYN, which arrived while that connection held the
-- 4-tuple, was lost on it; the client's retransmission (its 1 s timer,
-- fired on a tick of Linux's timer wheel at 4.020793 s) opens the new
-- connection at 4.03 s. A two-way handshake would have taken the old SYN
-- for the new connection, and its data for new data.
--
-- Look for: the server's SYN+ACK acknowledging the old ISN at 3 s, the
-- client's RST "unacceptable ACK in SYN-SENT", the server's "RST
-- received; the listener goes on".
--
-- Try: --absolute
--   => old_syn_refused=1 says="ack 1001 win 64240 <mss 1460> to client:5000"
--   the narration counts sequence numbers from each connection's ISN;
--   --absolute shows the old SYN's 1000 as it is.
-- Try: -D old=false
--   => second_ms=3010 old_syn_refused=0 first_ok=1
--   no old duplicate: the new connection opens in one round trip.
-- Try: -D old=true
--   => second_ms=4030 old_syn_refused=1 first_ok=1
--   the old SYN costs the new connection one RTO (and the wheel's 21 ms).

local old = sim.param("old", true)

local net    = sim.network{ profile = "linux" }
local client = net:host "client"
local server = net:host "server"
local slow   = net:router "slowpath"
net:link(client, server, { delay = "5ms" })
net:link(slow, server, { delay = "5ms" })

server:listen(80, { close = "never" })
local first = client:connect(server, 80, { lport = 5000, isn = 1000, send = 100 })
sim.at("2s", function() first:abort() end)
local second = client:connect(server, 80, { lport = 5000, isn = 900000, at = "3s" })
-- The old duplicate: the first connection's SYN, seq 1000, from the
-- client's address, arriving at 3 s.
if old then
  sim.at("2.995s", function()
    slow:inject{ src = client, to = server, sport = 5000, dport = 80,
                 flags = "SYN", seq = 1000 }
  end)
end

net:run{ ["until"] = "10s" }

local refused = 0
for i = 1, server:nconns() do
  local c = server:conn(i)
  if c.irs == 1000 and c.error == "ECONNREFUSED" then refused = 1 end
end
sim.metric("first_ok", first.established_at and 1 or 0)
sim.metric("second_ms", (second.established_at or 0) // 1000000)
sim.metric("old_syn_refused", refused)
sim.expect(second.state == "ESTABLISHED", "the new connection opened")
