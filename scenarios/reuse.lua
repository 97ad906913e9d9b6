-- reuse.lua: ten requests over one kept-alive connection against one new connection per request.
--
-- Teaches: every new connection pays a handshake round trip, and the
-- side that closes first keeps each old one in TIME-WAIT for 60 s. The
-- client makes 10 requests in a row (100 bytes each, answered with 1000
-- bytes; the next one goes when the answer is in). With one connection
-- per request (HTTP/1.0) each request costs two round trips, handshake
-- and exchange: 20 round trips of 50 ms, 1 s, and 10 connections left in
-- TIME-WAIT. Kept alive (HTTP/1.1 keep-alive) the handshake is paid
-- once: 11 round trips, 550 ms, one TIME-WAIT.
--
-- Look for: ten "CLOSED → SYN-SENT" on the client against one; the
-- client's connections in TIME-WAIT when the last answer is in.
--
-- Try: -D reuse=true
--   => total_ms=550 connections=1 in_time_wait=1
-- Try: -D reuse=false
--   => total_ms=1000 connections=10 in_time_wait=10
-- Try: -D reuse=false -D requests=100
--   => total_ms=10000 connections=100 in_time_wait=100
--   each connection takes an ephemeral port for 60 s: a busy client
--   runs out of them (28232 on Linux) at a few hundred per second.

local reuse    = sim.param("reuse", false)
local requests = sim.param("requests", 10)

local net    = sim.network{ profile = "linux" }
local client = net:host "client"
local server = net:host "server"
net:link(client, server, { delay = "25ms" })

-- The server answers each 100-byte request with 1000 bytes. The client
-- closes each connection once its answer is in, so the TIME-WAITs are
-- the client's (a server that closed first would keep them itself).
server:listen(80, { close = "on_eof", on_data = function(c, n)
  for _ = 1, n // 100 do c:send(1000) end
end })

local done, finished_at = 0
local function request(c) c:send(100) end
local function answered(c, n, got)
  got.bytes = got.bytes + n
  if got.bytes < 1000 then return false end
  got.bytes = got.bytes - 1000
  done = done + 1
  if done == requests then finished_at = sim.now() end
  return true
end

if reuse then
  local got = { bytes = 0 }
  client:connect(server, 80, {
    on_connect = request,
    on_data = function(c, n)
      if answered(c, n, got) then
        if done < requests then request(c) else c:close() end
      end
    end })
else
  local function one()
    local got = { bytes = 0 }
    client:connect(server, 80, {
      on_connect = request,
      on_data = function(c, n)
        if answered(c, n, got) then
          c:close()
          if done < requests then one() end
        end
      end })
  end
  one()
end

net:run{ ["until"] = "30s" }

local tw = 0
for i = 1, client:nconns() do
  if client:conn(i).state == "TIME-WAIT" then tw = tw + 1 end
end
sim.metric("total_ms", finished_at // 1000000)
sim.metric("connections", client:nconns())
sim.metric("in_time_wait", tw)
sim.expect(done == requests, "every request was answered")
