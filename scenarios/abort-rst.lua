-- abort-rst.lua: abort() ends a connection with a RST at once, and the data still unread is lost.
--
-- Teaches: close() is polite: queued data goes first, then a FIN, and
-- the peer reads everything and then EOF. abort() (SO_LINGER with a zero
-- timeout, or close() with unread data on Linux) is not: the connection
-- is dropped at once, a RST goes to the peer, and the peer's next call
-- fails with ECONNRESET. Here a busy server accepts by hand, at 2 s.
-- The client sends 3000 bytes at once; TCP acknowledges them (they sit
-- in the server's receive buffer), so the client believes them
-- delivered. At 1 s the client aborts. When the server's application
-- finally accepts, it reads the 3000 bytes that waited, and then learns
-- the connection was reset: the data was delivered to TCP, not to the
-- application, and nothing tells the client which.
--
-- Look for: the client's "RST+ACK" at 1 s, and at 2 s on the server
-- "the application accepts", "gets 3000 bytes" and "gets ECONNRESET".
--
-- Try: -D abort=false
--   => server_read=3000 server_error=0
--   close() instead: the FIN waits behind the data, no error.
-- Try: -D accept_at=0.5s
--   => server_read=3000 server_error=1
--   accepted before the abort: the application read the data earlier and
--   only the RST arrives later.

local abort = sim.param("abort", true)
local accept_at = sim.param("accept_at", "2s")

local net    = sim.network{ profile = "linux" }
local client = net:host "client"
local server = net:host "server"
net:link(client, server, { delay = "25ms", rate = "10Mbps" })

local read, err = 0
local l = server:listen(80, { accept = "manual", close = "never",
  on_data = function(c, n) read = read + n end,
  on_error = function(c, e) err = e end })
sim.at(accept_at, function() l:accept() end)

local conn = client:connect(server, 80, { send = 3000 })
sim.at("1s", function()
  if abort then conn:abort() else conn:close() end
end)

net:run{ ["until"] = "10s" }

sim.metric("client_acked", conn.bytes_acked)
sim.metric("server_read", read)
sim.metric("server_error", err == "ECONNRESET" and 1 or 0)
sim.expect(conn.bytes_acked == 3000, "TCP acknowledged every byte before the abort")
