-- accept-queue.lua: a slow server's accept queue overflows; the clients believe they are connected.
--
-- Teaches: listen(fd, backlog) bounds two queues. Half-open requests
-- wait in the SYN queue; completed connections wait in the accept queue
-- until the application calls accept(). This server takes 200 ms per
-- connection (accept = 5 per second) and 12 clients arrive 10 ms apart.
-- Linux holds backlog + 1 = 3 completed connections (sk_acceptq_is_full:
-- full when more than the backlog wait). When the final ACK of a
-- handshake finds the queue full, Linux drops it (tcp_check_req ->
-- listen_overflow; netstat's ListenOverflows): the client, which got the
-- SYN-ACK, is ESTABLISHED and sends its request, but the server drops
-- that too; its SYN-ACK timer (1, 2, 4 s ...) and the client's data
-- retransmissions are the retries. When the queue is full, new SYNs are
-- dropped as well, and those clients back off in SYN-SENT.
--
-- Look for: "accept queue full: final ACK dropped" and "SYN dropped";
-- queues.csv for the two queue lengths over time (syn_queue,
-- accept_queue); the clients' "connected" long before the server's
-- "accepts".
--
-- Try: -D backlog=2
--   => accept_overflows=21 served=12 last_accept_ms=3359
--   the default: the last clients wait for the server's SYN-ACK timer
--   (on Linux's timer wheel, a little after 1 + 2 s).
-- Try: -D backlog=16
--   => accept_overflows=0 served=12 last_accept_ms=2230
--   a queue deep enough: nobody waits on a timer, only on the server.
-- Try: -D abort_on_overflow=true
--   => reset_clients=4 served=8 accept_overflows=10
--   net.ipv4.tcp_abort_on_overflow = 1: the overflowing clients get a
--   RST at once (ECONNRESET) instead of waiting.
-- Try: -D rate=100
--   => accept_overflows=0 served=12 last_accept_ms=140
--   a server that keeps up.
-- Try: -K server.backlog_plus_one=false
--   => served=11 reset_clients=1 accept_overflows=24 last_accept_ms=3359
--   a queue of exactly the backlog, as the rfc profile keeps it. One
--   client (c8) is let in by a SYN cookie while both queues are full:
--   its ACK and its data find the accept queue full and are dropped, and
--   its FIN, whose sequence number no longer carries the cookie, meets
--   the listener and is answered with RST, as Linux's cookie_v4_check
--   leaves it.

local backlog = sim.param("backlog", 2)
local rate    = sim.param("rate", 5)
local abort   = sim.param("abort_on_overflow", false)
local n       = sim.param("clients", 12)

local net    = sim.network{ profile = "linux" }
local server = net:host("server", { tcp = { abort_on_overflow = abort } })
local r      = net:router "r"
net:link(server, r, { delay = "5ms" })

local accepted_at = {}
local l = server:listen(80, { backlog = backlog, accept = rate,
  on_accept = function(c) accepted_at[#accepted_at + 1] = sim.now() end })

local conns = {}
for i = 1, n do
  local h = net:host("c" .. i)
  net:link(h, r, { delay = "5ms" })
  conns[i] = h:connect(server, 80, { at = (i - 1) * 10 .. "ms", send = 100,
                                     close = "after_send" })
end

net:run{ ["until"] = "120s" }

local reset = 0
for i = 1, n do
  if conns[i].error == "ECONNRESET" then reset = reset + 1 end
end
sim.metric("accept_overflows", l.accept_overflows)
sim.metric("served", #accepted_at)
sim.metric("reset_clients", reset)
sim.metric("last_accept_ms", (accepted_at[#accepted_at] or 0) // 1000000)
sim.expect(#accepted_at + reset == n, "every client was served or reset")
