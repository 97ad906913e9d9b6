-- lost-synack-timing.lua: predict what one lost SYN-ACK costs, and how many SYN-ACKs the server sends.
--
-- Teaches: both ends time the handshake. The link has 40 ms of delay
-- each way; the server's first SYN-ACK is lost. Predict when the client
-- is connected, and how many SYN-ACKs the server sends in all (count
-- the lost one). Hint: on paper the client's repeated SYN arrives just
-- when the server's own SYN-ACK timer expires; but Linux runs its timers
-- on a timer wheel of 4 ms ticks, never early and up to a granule (here
-- 32 ms) late, and the two hosts' ticks are not in step. An answer
-- within 36 ms (a granule and a tick) of the time counts.
--
-- Look for: the one SYN-ACK that answers the repeated SYN ("retransmitted
-- SYN received"), which restarts the server's timer before it fires
-- (lost-synack tells the whole story); with -K timer_wheel=false the
-- tie, and two SYN-ACKs in one nanosecond.
--
-- Questions: connected_ms (when the client is ESTABLISHED, in ms),
-- synacks (SYN-ACKs the server sends).
--
-- Try: --answer connected_ms=1080 --answer synacks=2
--   => answers="your answer 1080: right" answers="your answer 2: right"
-- Try: --answer connected_ms=2080 --answer synacks=3
--   => exit=1 answers="your answer 2080: wrong; the answer is 1092" answers="your answer 3: wrong; the answer is 2"
-- Try: -K timer_wheel=false --answer connected_ms=1080 --answer synacks=3
--   => answers="your answer 1080: right" answers="your answer 3: right"
--   timers on the nanosecond: the server's timer and the repeated SYN
--   tie at 1.04 s, and the server sends a SYN-ACK for each.

local net    = sim.network{ profile = "linux" }
local client = net:host "client"
local server = net:host "server"
local link   = net:link(client, server, { delay = "40ms" })
link:drop{ from = server, flags = "SYN+ACK", nth = 1 }

local synacks = 0
net:on("send", function(ev)
  if ev.node == "server" and ev.flags == "SYN+ACK" then synacks = synacks + 1 end
end)
server:listen(80)
local conn = client:connect(server, 80)

net:run{ ["until"] = "10s" }

sim.question{ id = "connected_ms", text = "When is the client connected (ms)?",
  answer = function() return conn.established_at // 1000000 end,
  tolerance = 36 }
sim.question{ id = "synacks", text = "How many SYN-ACKs does the server send?",
  answer = function() return synacks end }
