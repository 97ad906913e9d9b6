-- seq-numbers.lua: predict the sequence and acknowledgment numbers of a short exchange.
--
-- Teaches: a SYN and a FIN each take one sequence number; data takes one
-- per byte; an ACK names the next byte expected. The client (ISN 1000)
-- sends 300 bytes and shuts down its side; the server (ISN 0, the
-- teaching setting isn = "zero") answers 200 bytes and closes. Work out
-- the numbers, then check them.
--
-- Look for: the narration with --absolute shows the numbers as they are
-- on the wire.
--
-- Questions: synack_ack (the ack number of the server's SYN-ACK),
-- data_ack (the ack number that acknowledges the client's 300 bytes),
-- client_fin_seq (the sequence number of the client's FIN),
-- server_last_ack (the last ack number the server receives).
--
-- Try: --answer synack_ack=1001 --answer data_ack=1301 --answer client_fin_seq=1301 --answer server_last_ack=202
--   => answers="your answer 1001: right" answers="your answer 202: right"
-- Try: --answer data_ack=1300
--   => exit=1 answers="your answer 1300: wrong; the answer is 1301"

local net    = sim.network{ profile = "linux" }
local client = net:host "client"
local server = net:host("server", { tcp = { isn = "zero" } })
net:link(client, server, { delay = "10ms" })

server:listen(80, { close = "never", on_eof = function(c) c:send(200); c:close() end })
local conn = client:connect(server, 80, { isn = 1000,
  on_connect = function(c) c:send(300); c:shutdown() end })

local synack_ack, data_ack, fin_seq, last_ack
net:on("send", function(ev)
  if ev.node == "server" and ev.flags == "SYN+ACK" then synack_ack = ev.ack end
  if ev.node == "server" and ev.ack == 1301 and not data_ack then data_ack = ev.ack end
  if ev.node == "client" and ev.flags:find("FIN") then fin_seq = ev.seq end
end)
net:on("recv", function(ev)
  if ev.node == "server" then last_ack = ev.ack end
end)

net:run()

sim.question{ id = "synack_ack", text = "What ack number does the server's SYN-ACK carry?",
  answer = function() return synack_ack end }
sim.question{ id = "data_ack", text = "What ack number acknowledges the client's 300 bytes?",
  answer = function() return data_ack end }
sim.question{ id = "client_fin_seq", text = "What sequence number does the client's FIN carry?",
  answer = function() return fin_seq end }
sim.question{ id = "server_last_ack", text = "What is the last ack number the server receives?",
  answer = function() return last_ack end }
