-- outage.lua: the link goes down for 200 ms in the middle of a connection.
--
-- Teaches: an outage is not a disconnect. TCP does not see the link; it
-- sees only that its segments stop being acknowledged. The client writes
-- 1000 bytes every 100 ms; the link is down from 1 s to 1.2 s, and every
-- packet sent into it meanwhile, or still on the wire when it went down,
-- is lost (reason "link-down"). Here two writes die, and so does the
-- server's ACK of the write before them, caught on its way back. The
-- writes after the outage arrive but cannot be delivered past the hole:
-- the server answers each with a duplicate ACK. With the linux profile a
-- tail loss probe resends the newest segment (1.2 s, and again at 1.58 s),
-- which does not fill the hole; each probe restarts the retransmission
-- timer, whose RTO has grown to 453 ms with the jumpy RTT samples. It
-- fires at 2.03 s and resends everything from the oldest lost byte in
-- full-sized segments. The hole closes at 2.08 s and the connection goes
-- on as if nothing had happened, only late.
--
-- Look for: "link-down" drops, the "tail loss probe" lines, then the
-- "retransmission (RTO ... expired" that closes the hole.
--
-- Try: -D outage=2s
--   => bytes_received=20000 lost_in_outage=28 recovered_ms=3354.97188
--   longer than the RTO: watch the timer back off.
-- Try: -D outage=10s
--   => bytes_received=20000 recovered_ms=20157.72064
--   the connection survives a 10 s outage: only the retries limit ends it.
-- Try: -D profile=rfc
--   => bytes_received=20000 recovered_ms=2353.3344
--   no probe, and an RTO floor of 1 s.

local down_at = sim.param("down_at", "1s")
local outage  = sim.param("outage", "200ms")
local writes  = sim.param("writes", 20)
local profile = sim.param("profile", "linux")

local net    = sim.network{ profile = profile }
local client = net:host "client"
local server = net:host "server"
local link   = net:link(client, server, { delay = "50ms", rate = "10Mbps" })

-- The accident: down at down_at, up again `outage` later.
local went_down, came_up
sim.at(down_at, function()
  went_down = sim.now()
  link:down()
  sim.log("the link goes down")
  sim.after(outage, function()
    came_up = sim.now()
    link:up()
    sim.log("the link is back")
  end)
end)

-- The application: `writes` writes of 1000 bytes, 100 ms apart, then close.
local written = 0
local function write(conn)
  conn:send(1000)
  written = written + 1
  if written < writes then
    sim.after("100ms", function() write(conn) end)
  else
    conn:close()
  end
end

-- When the server has all bytes of the writes lost in the outage.
local recovered_at
local function on_data(c)
  if not recovered_at and c.bytes_received >= 11000 then recovered_at = sim.now() end
end

server:listen(80, { close = "on_eof", on_data = on_data })
local conn = client:connect(server, 80, { on_connect = write })

net:run()

local s = server:conn(1)
local lost = link:stats(client).dropped + link:stats(server).dropped
sim.metric("lost_in_outage", lost)
sim.metric("client_retransmits", conn.retransmits)
sim.metric("bytes_received", s.bytes_received)
sim.metric("recovered_ms", recovered_at / 1e6)

sim.expect(lost > 0, "packets were lost in the outage")
sim.expect(conn.retransmits > 0, "the client retransmitted")
sim.expect(s.bytes_received == writes * 1000, "every byte arrived, in spite of the outage")
sim.expect(conn.error == nil and s.error == nil, "neither side saw an error")
sim.expect(conn.state == "CLOSED" and s.state == "CLOSED", "both ends closed normally")
if profile == "linux" and down_at == "1s" and outage == "200ms" and writes == 20 then
  sim.expect(went_down == 1000000000 and came_up == 1200000000, "outage from 1 s to 1.2 s")
  -- The writes at 1.000096 s and 1.100096 s die on the dead link, and
  -- the ACK the server sent at 0.950937 s dies on the wire.
  sim.expect(link:stats(client).dropped == 2, "client->server lost " .. link:stats(client).dropped)
  sim.expect(link:stats(server).dropped == 1, "server->client lost " .. link:stats(server).dropped)
  -- Two probes, then 11000 bytes from 9001 again as 7 x 1448 + 864.
  sim.expect(conn.retransmits == 10, "probes and RTO resent 10 segments, got " .. conn.retransmits)
  sim.expect(recovered_at == 2083270415, "the hole closed at " .. recovered_at)
end
