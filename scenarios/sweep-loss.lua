-- sweep-loss.lua: how long a handshake takes when packets are lost, and
-- the formula that predicts it. Made for `synsim sweep`.
--
-- Teaches: a lost SYN or SYN-ACK costs a whole retransmission timeout,
-- and the timeouts double (Linux: 1 s, then 2, 4, 8 ... so SYNs leave at
-- 0, 1, 3, 7, 15, 31, 63 s, each a little later on Linux's timer wheel,
-- by up to a granule of 32 ms to 2 s, depending on the run's seed). Every packet is lost with probability
-- `loss`, each direction on its own. With `synack_retries = 0` the server
-- never retransmits its SYN-ACK on a timer, so each of the client's
-- attempts is one SYN and the SYN-ACK answering it, and the expected
-- handshake time has a closed form (README, "Theory beside the
-- simulation"):
--
--   q = (1 - loss)^2                      one attempt gets through
--   E[T | connected] = R + sum_k q (1-q)^k (2^k - 1) s / (1 - (1-q)^(N+1))
--
-- with R the round trip and N = syn_retries. The scenario records it as
-- conn.handshake_ms.theory beside the simulated conn.handshake_ms (and
-- the chance to connect at all, 1 - (1-q)^(N+1), as
-- conn.connected.theory), and `synsim plot` draws the two together.
-- With the Linux default (-P synack_retries=5) the server's own
-- retransmissions also answer, and handshakes come sooner than the
-- formula says.
--
-- Look for: in the sweep's plot, the dashed theory line inside the
-- simulated mean's confidence interval at synack_retries 0, and the
-- Linux default below it.
--
-- Run: synsim sweep scenarios/sweep-loss.lua -P loss=0:0.3:0.05
--        -P synack_retries=0,5 --reps 200 --out out/sweep-loss
--      synsim plot out/sweep-loss
--
-- Try: -D loss=0.3
--   => conn.connected.theory=0.9910258932214899 conn.handshake_ms.theory=2775.7857512338583
--   one run at 30% loss, with the formula's values beside it: a
--   handshake then takes 2.8 s on average, and 1 in 110 never connects.

local loss           = sim.param("loss", 0.1)
local delay_ms       = sim.param("delay_ms", 50)
local synack_retries = sim.param("synack_retries", 0)
local syn_retries    = sim.param("syn_retries", 6)

local net    = sim.network{ profile = "linux" }
local client = net:host("client", { tcp = { syn_retries = syn_retries } })
local server = net:host("server", { tcp = { synack_retries = synack_retries } })
-- No rate: sending takes no time, so the round trip is exactly 2 delays.
net:link(client, server, { delay = math.tointeger(math.floor(delay_ms * 1e6 + 0.5)),
                           loss = loss })

server:listen(80)
local conn = client:connect(server, 80, { close = "never" })
net:run{ ["until"] = "200s" }

if synack_retries == 0 then
  local q, rto_s, n = (1 - loss) ^ 2, 1, syn_retries
  local sum, p_conn = 0, 0
  for k = 0, n do
    local pk = q * (1 - q) ^ k          -- attempt k is the first through
    sum = sum + pk * (2 ^ k - 1) * rto_s * 1000
    p_conn = p_conn + pk
  end
  sim.metric("conn.connected.theory", p_conn)
  if p_conn > 0 then
    sim.metric("conn.handshake_ms.theory", 2 * delay_ms + sum / p_conn)
  end
end
