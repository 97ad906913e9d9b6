-- refused-timeout-unreachable.lua: four ways a connect() fails, side by side.
--
-- Teaches: the error tells what the network said. Four clients try at
-- the same instant:
--   refused:     the server's host is up but nothing listens on port 81;
--                its TCP answers the SYN with a RST, and connect() fails
--                with ECONNREFUSED after one round trip (100 ms).
--   timed out:   a firewall drops the SYNs to port 80 in silence; the
--                client retries until its connect timeout (5 s here;
--                with none, the SYN retries: 127 s on the nanosecond,
--                about 131 s on Linux's timer wheel) and gets ETIMEDOUT.
--   unreachable: the client has no route to the address at all; Linux's
--                connect() fails at once with ENETUNREACH, and no packet
--                leaves (ip_route_connect in tcp_v4_connect).
--   hostunreach: the client's SYN goes out, but the router r has no route
--                on to "far"; r answers with an ICMP Destination
--                Unreachable (host unreachable, RFC 1812 5.2.7.1), and
--                Linux's connect() fails at once with EHOSTUNREACH, one
--                round trip to r (50 ms) after the SYN (tcp_v4_err). The
--                rfc profile takes it as a soft error (RFC 1122 4.2.3.9):
--                the SYN retries go on, and EHOSTUNREACH is the error
--                when they run out.
--
-- Look for: "RST" at 100 ms, the SYN retransmissions of the second
-- client, the third client's "connect() to 10.9.9.9:80 failed:
-- ENETUNREACH" at 0 s, and r's "sends ICMP host unreachable" at 25 ms
-- (an ICMP row in packets.csv, a real ICMP packet in trace.pcap).
--
-- Try: -D timeout=0s
--   => refused_ms=100 timed_out_ms=130951 unreachable_ms=0 hostunreach_ms=50
--   no connect timeout: the SYN retries end it, at 130.95 s: seven
--   timers (1 to 64 s), each fired on a tick of the client's timer
--   wheel, up to a granule late (32 ms to 2.048 s by the wheel's level).
-- Try: -D timeout=2s
--   => refused_ms=100 timed_out_ms=2000 unreachable_ms=0 says="ECONNREFUSED"
-- Try: -D timeout=0s -D profile=rfc
--   => hostunreach_ms=183000 timed_out_ms=183000 says="the application gets EHOSTUNREACH"
--   the rfc profile does not abort for ICMP: the SYN is retried for
--   183 s like the one dropped in silence, but the error says why.

local timeout = sim.param("timeout", "5s")

local net     = sim.network{ profile = sim.param("profile", "linux") }
local server  = net:host "server"
local r       = net:router "r"
net:link(server, r, { delay = "25ms" })
local hosts, links = {}, {}
for _, name in ipairs{ "refused", "timedout", "unreachable", "hostunreach" } do
  hosts[name] = net:host(name)
  links[name] = net:link(hosts[name], r, { delay = "25ms" })
end
-- The firewall: every SYN from "timedout" is dropped in silence.
links.timedout:drop{ from = hosts.timedout, flags = "SYN" }
server:listen(80)
-- "far" is a host no router can reach; "hostunreach" sends to it anyway,
-- by a route pinned towards r, and r has none to go on with.
local far = net:host("far", { addr = "10.9.9.10" })
net:route(hosts.hostunreach, far, links.hostunreach)

local failed_at = {}
local function opts(name, extra)
  local o = { on_error = function(c, err) failed_at[name] = sim.now() end }
  for k, v in pairs(extra or {}) do o[k] = v end
  return o
end
local a = hosts.refused:connect(server, 81, opts("refused"))
local b = hosts.timedout:connect(server, 80,
  opts("timedout", timeout ~= "0s" and { timeout = timeout } or nil))
local c = hosts.unreachable:connect("10.9.9.9", 80, opts("unreachable"))
local d = hosts.hostunreach:connect(far, 80, opts("hostunreach"))

net:run()

sim.metric("refused_ms", failed_at.refused // 1000000)
sim.metric("timed_out_ms", failed_at.timedout // 1000000)
sim.metric("unreachable_ms", failed_at.unreachable // 1000000)
sim.metric("hostunreach_ms", failed_at.hostunreach // 1000000)
sim.expect(a.error == "ECONNREFUSED", a.error)
sim.expect(b.error == "ETIMEDOUT", b.error)
sim.expect(c.error == "ENETUNREACH", c.error)
sim.expect(d.error == "EHOSTUNREACH", d.error)
