-- half-close.lua: shutdown() closes one direction only; data still flows the other way after the EOF.
--
-- Teaches: a TCP connection is two byte streams, and a FIN ends one of
-- them. The client sends its request (100 bytes) and calls shutdown():
-- its FIN says "no more from me" (FIN-WAIT-1, then FIN-WAIT-2 on the
-- ACK), yet it keeps reading. The server's read returns 0 (EOF) at
-- 50 ms, but its own direction is still open: it answers with 5000
-- bytes and only then closes. The client receives all of them while in
-- FIN-WAIT-2, then the server's FIN (its own EOF: recv() returns 0 in
-- FIN-WAIT-2 too), and goes to TIME-WAIT. This is how `ssh host cmd <
-- file` and HTTP/1.0 request bodies end.
--
-- Look for: "the application calls shutdown()", the server's "reads the
-- end of the stream" before it sends its 5000 bytes, and the client's
-- "the application gets ... bytes" lines after its own FIN.
--
-- Try: -D reply=100000
--   => client_received=100000 client_eof_in_fin_wait=1
--   a long answer after the EOF, all of it in FIN-WAIT-2.
-- Try: -D reply=0
--   => client_received=0 client_eof_in_fin_wait=1
-- Try: -D close=true
--   => client_received=0 client_reset=1
--   close() instead of shutdown(): the client no longer reads, and the
--   linux profile answers the server's data with RST (RFC 1122 4.2.2.13).

local reply = sim.param("reply", 5000)
local use_close = sim.param("close", false)

local net    = sim.network{ profile = "linux" }
local client = net:host "client"
local server = net:host "server"
net:link(client, server, { delay = "25ms", rate = "10Mbps" })

local server_eof_at
server:listen(80, { close = "never", on_eof = function(c)
  server_eof_at = sim.now()
  if reply > 0 then c:send(reply) end
  c:close()
end })

local received, eof_state = 0
local conn = client:connect(server, 80, {
  on_connect = function(c)
    c:send(100)
    if use_close then c:close() else c:shutdown() end
  end,
  on_data = function(c, n) received = received + n end,
  -- told after the FIN was processed: FIN-WAIT-2 has become TIME-WAIT
  on_eof = function(c) eof_state = c.state end,
})

net:run()

sim.metric("client_received", received)
sim.metric("client_reset", conn.error == "ECONNRESET" and 1 or 0)
if eof_state then
  sim.metric("client_eof_in_fin_wait", eof_state == "TIME-WAIT" and 1 or 0)
end
sim.expect(server:conn(1).bytes_received == 100, "the request arrived")
sim.expect(server_eof_at ~= nil, "the server read the EOF")
if not use_close then
  sim.expect(received == reply, "the whole answer arrived after the client's FIN")
  sim.expect(conn.error == nil and conn.state == "CLOSED")
end
