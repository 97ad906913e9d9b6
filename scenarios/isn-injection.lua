-- isn-injection.lua: why initial sequence numbers are random: a blind attacker forges a RST and data.
--
-- Teaches: a TCP segment is accepted on its 4-tuple and its sequence
-- number alone; nothing proves who sent it. An attacker who cannot see
-- the traffic but knows the addresses and ports (the server's port is
-- well known, the client's here fixed at 40000) only has to guess the
-- sequence numbers. With isn = "zero" (a teaching setting; old stacks
-- used a clock, almost as bad) they are 1 plus the bytes sent so far, so
-- the guess is right: at 1 s the attacker, posing as the client, slips 9
-- bytes of its own into the server's stream, and at 2 s it resets the
-- connection. With the RFC 6528 hash (the default) the guess lands
-- outside the window: the data is answered with an ACK and dropped, and
-- the RST, in RFC 5961 fashion, is ignored or challenged, never obeyed.
--
-- Look for: "attacker" sending with the client's address; on the server
-- "the application gets 9 bytes" (the forged ones) and "RST received:
-- connection reset" with zero ISNs; "outside the window" or a challenge
-- ACK with hashed ones.
--
-- Try: -D isn=zero
--   => injected_bytes=9 server_reset=1 client_reset=1
--   the server took the forged bytes as the client's, then obeyed the
--   forged RST; the client learns only when it writes again, at 3 s: the
--   server, which no longer knows the connection, answers with a RST.
-- Try: -D isn=hash
--   => injected_bytes=0 server_reset=0 client_reset=0
-- Try: -D isn=clock
--   => injected_bytes=9 server_reset=1
--   RFC 793's 4 us clock is no better: the client opened at 0 s, when the
--   clock read 0, and an attacker who knows the time knows the ISN.

local isn = sim.param("isn", "zero")

local net      = sim.network{ profile = "linux", tcp = { isn = isn } }
local client   = net:host "client"
local server   = net:host "server"
local attacker = net:host "attacker"
local r        = net:router "r"
for _, h in ipairs{ client, server, attacker } do
  net:link(h, r, { delay = "10ms" })
end

local got = 0
server:listen(80, { close = "never", on_data = function(c, n, text)
  if text == "EVIL DATA" then got = got + n end
end })
local conn = client:connect(server, 80, { lport = 40000, send = "GET /" })

-- The attacker's guess: the client's next byte and the server's next
-- byte, as if both ISNs were 0 (1 for the SYN, plus the 5 bytes sent).
sim.at("1s", function()
  attacker:inject{ src = client, to = server, sport = 40000, dport = 80,
                   flags = "PSH+ACK", seq = 6, ack = 1, data = "EVIL DATA" }
end)
sim.at("2s", function()
  attacker:inject{ src = client, to = server, sport = 40000, dport = 80,
                   flags = "RST", seq = 15 }
end)
-- The client writes again at 3 s.
sim.at("3s", function()
  if conn.state == "ESTABLISHED" then conn:send("more") end
end)

net:run{ ["until"] = "10s" }

local s = server:conn(1)
sim.metric("injected_bytes", got)
sim.metric("server_reset", s.error == "ECONNRESET" and 1 or 0)
sim.metric("client_reset", conn.error == "ECONNRESET" and 1 or 0)
if isn == "zero" or isn == "clock" then
  sim.expect(got == 9 and s.error == "ECONNRESET", "the blind attack worked")
else
  sim.expect(got == 0 and s.error == nil, "the blind attack failed")
end
