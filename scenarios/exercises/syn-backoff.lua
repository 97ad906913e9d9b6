-- syn-backoff.lua: predict when a client retries its SYN into silence, and when it gives up.
--
-- Teaches: the SYN retransmission timer starts at the initial RTO (1 s)
-- and doubles after each timeout; connect() fails when tcp_syn_retries
-- (6 on Linux) retransmissions have gone unanswered and the last wait is
-- over. Work the times out on paper first, then check them. Linux runs
-- these timers on its timer wheel, which fires each one on a tick, never
-- early and up to a granule late (32 ms for 1 and 2 s, 256 ms for 4 to
-- 16 s, 2.048 s for 32 and 64 s): an answer within what those add up
-- to counts (0.08 s for the third SYN, 5 s for the give-up).
--
-- Look for: after grading, the client's "sends SYN ... retransmission"
-- lines in the narration (synsim run exercises/syn-backoff without
-- --quiet).
--
-- Questions: third_syn (the time, in seconds, of the client's third
-- SYN), gave_up (when connect() fails, in seconds), syns (SYNs sent in
-- all).
--
-- Try: --answer third_syn=3 --answer gave_up=127 --answer syns=7
--   => answers="your answer 3: right" answers="your answer 127: right"
-- Try: --answer gave_up=63
--   => exit=1 answers="your answer 63: wrong; the answer is 130.164792873"
-- Try: -K client.syn_retries=3 --answer gave_up=15
--   => answers="your answer 15: right"
--   with 3 retries: SYNs at 0, 1, 3, 7 s and a last wait of 8 s (on the
--   wheel 15.477 s).
-- Try: -K timer_wheel=false --answer third_syn=3.2 --answer gave_up=133
--   => exit=1 answers="your answer 3.2: wrong; the answer is 3" answers="your answer 133: wrong; the answer is 127"
--   the timers on the nanosecond: exactly the RFC's arithmetic.
-- Try:
--   => answers="(predict it: --answer third_syn=VALUE)"
--   without an answer, the questions alone: the answers stay hidden.

local net    = sim.network{ profile = "linux" }
local client = net:host "client"
local server = net:host "server"
local link   = net:link(client, server, { delay = "10ms" })
local rule   = link:drop{ from = client, flags = "SYN" }

local syn_times = {}
net:on("send", function(ev)
  if ev.node == "client" and ev.flags == "SYN" then
    syn_times[#syn_times + 1] = ev.t
  end
end)
local conn = client:connect(server, 80)

net:run()

sim.question{ id = "third_syn", text = "When does the client send its third SYN (s)?",
  answer = function() return syn_times[3] / 1e9 end, tolerance = 0.08 }
sim.question{ id = "gave_up", text = "When does connect() fail (s)?",
  answer = function() return conn.closed_at / 1e9 end, tolerance = 5 }
sim.question{ id = "syns", text = "How many SYNs does the client send in all?",
  answer = function() return link:rule(rule).applied end }
