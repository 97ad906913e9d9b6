-- outage.lua: the link goes down for 200 ms in the middle of a connection.
--
-- Teaches: an outage is not a disconnect. TCP does not see the link; it
-- sees only that its segments stop being acknowledged. The client writes
-- 1000 bytes every 100 ms; the link is down from 1 s to 1.2 s, and every
-- packet sent into it meanwhile, or still on the wire when it went down,
-- is lost (reason "link-down"). Here two writes die, and so does the
-- server's ACK of the write before them, caught on its way back. The
-- writes after the outage arrive out of order: the server holds them and
-- answers each at once with a duplicate ACK carrying a SACK block (RFC
-- 2018). With the linux profile the first of those (back at 1.30 s) tells
-- RACK (RFC 8985) that the two segments sent before the one delivered
-- are lost: both go again at once, the hole closes at 1.35 s and the
-- server acknowledges everything it holds at once (RFC 5681 4.2). With
-- -D profile=rfc (no SACK) the third duplicate ACK brings a fast
-- retransmit at 1.60 s (RFC 5681 3.2) and its partial ACK the second
-- (RFC 6582): the hole closes at 1.75 s. Either way about a round trip
-- after the evidence arrives, long before the RTO.
--
-- Look for: "link-down" drops, the duplicate ACKs with their SACK blocks,
-- then the retransmissions that close the hole.
--
-- Try: -D outage=2s
--   => bytes_received=20000 lost_in_outage=23 recovered_ms=3178.392873
--   longer than the RTO: watch the timer back off (each expiry on a
--   tick of the client's timer wheel, up to a granule late).
-- Try: -D outage=10s
--   => bytes_received=20000 recovered_ms=11690.392873
--   the connection survives a 10 s outage: only the retries limit ends it.
-- Try: -D profile=rfc
--   => bytes_received=20000 recovered_ms=1752.6304
--   no SACK: the third duplicate ACK brings a fast retransmit.

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
  -- RACK at the first SACK: the two lost writes again, nothing else.
  sim.expect(conn.retransmits == 2, "RACK resent the 2 lost segments, got " .. conn.retransmits)
  sim.expect(recovered_at == 1352672000, "the hole closed at " .. recovered_at)
elseif profile == "rfc" and down_at == "1s" and outage == "200ms" and writes == 20 then
  -- The third duplicate ACK (1.60 s), then the partial ACK (1.70 s).
  sim.expect(conn.retransmits == 2, "fast retransmit and partial ACK, got " .. conn.retransmits)
  sim.expect(recovered_at == 1752630400, "the hole closed at " .. recovered_at)
end
