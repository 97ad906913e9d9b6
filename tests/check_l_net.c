/*
 * check_l_net.c - the network API of scenarios (sim/lua/l_net.c), here the
 * topology helpers net:star and net:dumbbell: the nodes, names, addresses
 * and links they make, that connections across them take the expected
 * path, routes pinned with net:route, and that bad arguments are errors
 * at the scenario's line that leave the network untouched.  Each
 * scenario states its expectations with sim.expect, so a run that exits
 * 0 with nothing on stderr met them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

/* The timers on the nanosecond (the knob timer_wheel off): these tests
 * are about the scenario API and name events by their exact times; when
 * Linux's timer wheel fires each timer is pinned in check_tcp and
 * check_tcp_timer. */
static const char *prelude =
	"local net = sim.network{ profile = 'linux', tcp = { timer_wheel = false } }\n";

#define run_lua(name, body, err) lua_run(name, prelude, body, NULL, NULL, err)
#define expect_ok(name, body) lua_expect_ok(name, prelude, body, NULL)
#define expect_error(name, body, line, msg) \
	lua_expect_error(name, prelude, body, line, msg)

/* ---- star -------------------------------------------------------------------- */

START_TEST(test_star_by_names)
{
	expect_ok("star_names",
		"local s = net:star{ center = 'r', hosts = { 'a', 'b', 'c' },\n"
		"                    link = { delay = '10ms' } }\n"
		"sim.expect(tostring(net) == 'network(4 nodes, 3 links)', tostring(net))\n"
		"sim.expect(s.center == net:node 'r' and s.center.kind == 'router')\n"
		"sim.expect(#s.hosts == 3 and #s.links == 3)\n"
		"local want = { 'a', 'b', 'c' }\n"
		"for i, h in ipairs(s.hosts) do\n"
		"  sim.expect(h == net:node(want[i]) and h.kind == 'host', i)\n"
		"  sim.expect(h.addr == '10.0.0.' .. i, h.addr)\n"
		"  sim.expect(s.links[i].name == want[i] .. '-r', s.links[i].name)\n"
		"  sim.expect(s.links[i].a == h and s.links[i].b == s.center)\n"
		"end\n"
		"sim.expect(s.center.addr == '10.0.0.4', s.center.addr)\n"
		/* a -> c crosses the center: two hops of 10 ms each way. */
		"s.hosts[3]:listen(80)\n"
		"local c = s.hosts[1]:connect(s.hosts[3], 80)\n"
		"net:run{ ['until'] = '1s' }\n"
		"sim.expect(c.handshake_time == 40000000, c.handshake_time)\n"
		"local la, lb, lc = s.links[1], s.links[2], s.links[3]\n"
		"sim.expect(la:stats(s.hosts[1]).sent == 2, la:stats(s.hosts[1]).sent)\n"
		"sim.expect(lc:stats(s.center).sent == 2, lc:stats(s.center).sent)\n"
		"sim.expect(lc:stats(s.hosts[3]).sent == 1 and la:stats(s.center).sent == 1)\n"
		"sim.expect(lb:stats(s.hosts[2]).sent == 0 and lb:stats(s.center).sent == 0)\n");
}
END_TEST

START_TEST(test_star_by_count_and_nodes)
{
	expect_ok("star_count",
		"local s = net:star{ center = 'hub', hosts = 3 }\n"
		"sim.expect(s.hosts[1].name == 'h1' and s.hosts[3].name == 'h3')\n"
		"sim.expect(s.links[2].name == 'h2-hub', s.links[2].name)\n"
		/* A host as the center, and existing nodes as spokes. */
		"local srv = net:host 'srv'\n"
		"local x = net:host('x', { addr = '192.168.1.7' })\n"
		"local t = net:star{ center = srv, hosts = { x, 'y' },\n"
		"                    host = { profile = 'rfc' } }\n"
		"sim.expect(t.center == srv and t.hosts[1] == x, 'existing nodes')\n"
		"sim.expect(t.hosts[2].name == 'y' and t.hosts[2].addr == '10.0.0.7',\n"
		"           t.hosts[2].addr)\n"
		"sim.expect(tostring(net) == 'network(7 nodes, 5 links)', tostring(net))\n"
		/* y got the rfc profile (no timestamps); x kept linux. */
		"srv:listen(80)\n"
		"local cy = t.hosts[2]:connect(srv, 80)\n"
		"local cx = x:connect(srv, 80)\n"
		"net:run{ ['until'] = '1s' }\n"
		"sim.expect(cy.handshake_time == 2000000 and not cy.timestamps)\n"
		"sim.expect(cx.handshake_time == 2000000 and cx.timestamps)\n");
}
END_TEST

/* ---- dumbbell ---------------------------------------------------------------- */

START_TEST(test_dumbbell_default_names)
{
	expect_ok("dumbbell_names",
		"local d = net:dumbbell{ left = 2, right = 3 }\n"
		"sim.expect(tostring(net) == 'network(7 nodes, 6 links)', tostring(net))\n"
		"local names = {}\n"
		"for _, k in ipairs{ 'left', 'right', 'routers' } do\n"
		"  for _, n in ipairs(d[k]) do names[#names + 1] = n.name .. '=' .. n.addr end\n"
		"end\n"
		"local got = table.concat(names, ' ')\n"
		"sim.expect(got == 'left1=10.0.0.1 left2=10.0.0.2 right1=10.0.0.3 '\n"
		"  .. 'right2=10.0.0.4 right3=10.0.0.5 rleft=10.0.0.6 rright=10.0.0.7', got)\n"
		"sim.expect(d.routers[1].kind == 'router' and d.left[1].kind == 'host')\n"
		"sim.expect(d.bottleneck.name == 'rleft-rright', d.bottleneck.name)\n"
		"sim.expect(#d.left_links == 2 and #d.right_links == 3)\n"
		"sim.expect(d.left_links[2].name == 'left2-rleft', d.left_links[2].name)\n"
		"sim.expect(d.right_links[3].name == 'right3-rright', d.right_links[3].name)\n");
}
END_TEST

START_TEST(test_dumbbell_connection_crosses_bottleneck)
{
	/* No rates: the handshake is exactly 2 x (1 + 10 + 1) ms. */
	expect_ok("dumbbell_path",
		"local d = net:dumbbell{ left = 2, right = 2,\n"
		"  access = { delay = '1ms' }, bottleneck = { delay = '10ms' } }\n"
		"local rl, rr = d.routers[1], d.routers[2]\n"
		"d.right[2]:listen(80)\n"
		"local c = d.left[1]:connect(d.right[2], 80, { send = 3000, close = 'after_send' })\n"
		"net:run()\n"
		"sim.expect(c.handshake_time == 24000000, c.handshake_time)\n"
		"sim.expect(d.right[2]:conn(1).bytes_received == 3000)\n"
		"local up = d.left_links[1]:stats(d.left[1]).sent\n"
		"local down = d.right_links[2]:stats(d.right[2]).sent\n"
		"sim.expect(up > 0 and down > 0)\n"
		"sim.expect(d.bottleneck:stats(rl).sent == up, 'left to right')\n"
		"sim.expect(d.bottleneck:stats(rr).sent == down, 'right to left')\n"
		"sim.expect(d.right_links[2]:stats(rr).sent == up)\n"
		"sim.expect(d.left_links[1]:stats(rl).sent == down)\n"
		"sim.expect(d.left_links[2]:stats(rl).sent == 0, 'left2 saw nothing')\n"
		"sim.expect(d.right_links[1]:stats(rr).sent == 0, 'right1 saw nothing')\n");
}
END_TEST

START_TEST(test_dumbbell_lists_routers_and_options)
{
	expect_ok("dumbbell_lists",
		"local s9 = net:host 's9'\n"
		"local d = net:dumbbell{ left = { 'c1', 'c2' }, right = { s9, 's2' },\n"
		"  routers = { 'ra', 'rb' }, host = { tcp = { syn_retries = 1 } },\n"
		"  access = { delay = '2ms', rate = '1Gbps' },\n"
		"  bottleneck = { delay = '30ms', rate = '1Mbps', queue = 5 } }\n"
		"sim.expect(d.right[1] == s9 and d.right[2].name == 's2')\n"
		"sim.expect(d.routers[1].name == 'ra' and d.routers[2].name == 'rb')\n"
		"sim.expect(d.bottleneck.name == 'ra-rb' and d.right_links[1].name == 's9-rb')\n"
		"sim.expect(d.left[1].addr == '10.0.0.2' and d.routers[2].addr == '10.0.0.6')\n"
		/* syn_retries = 1 reached the new hosts: SYN at 0 and 1 s,
		 * then ETIMEDOUT at 3 s. */
		"local err, at\n"
		"d.left_links[1]:drop{ from = d.left[1], flags = 'SYN' }\n"
		"d.left[1]:connect(s9, 80, { on_error = function(c, e) err = e; at = sim.now() end })\n"
		"net:run()\n"
		"sim.expect(err == 'ETIMEDOUT' and at == 3000000000, err, at)\n");
}
END_TEST

/* ---- routes ------------------------------------------------------------------- */

/* Two paths from a to b, 10 ms a hop: a-r1-b (two hops, the shortest)
 * and a-r2-r3-b (three).  net:route pins a's packets for b to the longer
 * one; b's answers still take the shorter.  The handshake is then
 * 30 + 20 ms instead of 20 + 20, a's SYN and ACK cross r2 and r3 and
 * nothing of a's touches a-r1. */
START_TEST(test_route_pins_longer_path)
{
	expect_ok("route_pin",
		"local a, b = net:host 'a', net:host 'b'\n"
		"local r1, r2, r3 = net:router 'r1', net:router 'r2', net:router 'r3'\n"
		"local o = { delay = '10ms' }\n"
		"local ar1, r1b = net:link(a, r1, o), net:link(r1, b, o)\n"
		"local ar2, r2r3, r3b = net:link(a, r2, o), net:link(r2, r3, o), net:link(r3, b, o)\n"
		"net:route(a, b, ar2)\n"
		"local fwd = {}\n"
		"net:on('forward', function(ev)\n"
		"  fwd[#fwd + 1] = ev.t .. ' ' .. ev.node .. ' ' .. ev.flags\n"
		"end)\n"
		"b:listen(80)\n"
		"local c = a:connect(b, 80)\n"
		"net:run{ ['until'] = '1s' }\n"
		"sim.expect(c.handshake_time == 50000000, c.handshake_time)\n"
		"local got = table.concat(fwd, ',')\n"
		"sim.expect(got == '10000000 r2 SYN,20000000 r3 SYN,40000000 r1 SYN+ACK,'\n"
		"  .. '60000000 r2 ACK,70000000 r3 ACK', got)\n"
		"sim.expect(ar2:stats(a).sent == 2 and r2r3:stats(r2).sent == 2)\n"
		"sim.expect(r3b:stats(r3).sent == 2, r3b:stats(r3).sent)\n"
		"sim.expect(ar1:stats(a).sent == 0, ar1:stats(a).sent)\n"
		"sim.expect(r1b:stats(b).sent == 1 and ar1:stats(r1).sent == 1)\n"
		"sim.expect(r3b:stats(b).sent == 0 and ar2:stats(r2).sent == 0)\n");
}
END_TEST

/* A pin made at a router, after the network has run once: later packets
 * through r1 for b leave by r1-r2 (r1-r2-b) instead of r1-b.  Routes are
 * recomputed with the pin when the next packet goes out. */
START_TEST(test_route_pin_at_router_later)
{
	expect_ok("route_router",
		"local a, b = net:host 'a', net:host 'b'\n"
		"local r1, r2 = net:router 'r1', net:router 'r2'\n"
		"local o = { delay = '10ms' }\n"
		"local ar1, r1b = net:link(a, r1, o), net:link(r1, b, o)\n"
		"local r1r2, r2b = net:link(r1, r2, o), net:link(r2, b, o)\n"
		"b:listen(80)\n"
		"local c1 = a:connect(b, 80)\n"
		"net:run{ ['until'] = '1s' }\n"
		"sim.expect(c1.handshake_time == 40000000, c1.handshake_time)\n"
		"net:route(r1, b, r1r2)\n"
		"local c2 = a:connect(b, 80)\n"
		"net:run{ ['until'] = '2s' }\n"
		"sim.expect(c2.handshake_time == 50000000, c2.handshake_time)\n"
		"sim.expect(r1b:stats(r1).sent == 2, r1b:stats(r1).sent)\n"
		"sim.expect(r1r2:stats(r1).sent == 2 and r2b:stats(r2).sent == 2)\n");
}
END_TEST

START_TEST(test_route_errors)
{
	expect_error("route_touch",
	             "local a, b = net:host 'a', net:host 'b'\n"
	             "net:link(a, b)\n"
	             "net:route(a, b, net:link(net:host 'c', net:host 'd'))\n",
	             "s.lua:4:", "net:route: link c-d does not touch a");
	expect_error("route_via",
	             "local a, b = net:host 'a', net:host 'b'\n"
	             "net:route(a, b, 'a-b')\n",
	             "s.lua:3:", "bad argument #3 to 'net:route' (synsim.Link "
	             "expected, got string)");
	expect_error("route_to",
	             "local a, b = net:host 'a', net:host 'b'\n"
	             "net:route(a, 'b', net:link(a, b))\n",
	             "s.lua:3:", "bad argument #2 to 'net:route' (synsim.Node "
	             "expected, got string)");
}
END_TEST

/* ---- errors ------------------------------------------------------------------- */

START_TEST(test_errors_leave_network_untouched)
{
	/* Each failing call is caught; the network must be as before. */
	expect_ok("atomic",
		"net:host 'a'\n"
		"local bad = {\n"
		"  { 'star', { center = 'r', hosts = { 'x', 'a' } } },\n"
		"  { 'star', { center = 'r', hosts = { 'x', 'x' } } },\n"
		"  { 'star', { center = 'x', hosts = { 'x' } } },\n"
		"  { 'star', { center = 'r', hosts = { 'x' }, link = { delay = -1 } } },\n"
		"  { 'star', { center = 'r', hosts = { 'x' }, host = { tcp = { wscale = 99 } } } },\n"
		"  { 'dumbbell', { left = 2, right = { 'q', 'a' } } },\n"
		"  { 'dumbbell', { left = 1, right = 1, routers = { 'left1', 'z' } } },\n"
		"  { 'dumbbell', { left = 1, right = 1, bottleneck = { rate = 'fast' } } },\n"
		"}\n"
		"for i, b in ipairs(bad) do\n"
		"  local ok = pcall(net[b[1]], net, b[2])\n"
		"  sim.expect(not ok, 'call ' .. i .. ' failed')\n"
		"  sim.expect(tostring(net) == 'network(1 nodes, 0 links)', i, tostring(net))\n"
		"end\n");
}
END_TEST

START_TEST(test_errors_name_the_line)
{
	expect_error("key", "net:star{ centre = 'r', hosts = 2 }\n", "s.lua:2:",
	             "net:star: unknown key 'centre' (known: center, hosts, link, "
	             "host)");
	expect_error("nohosts", "net:star{ center = 'r' }\n", "s.lua:2:",
	             "net:star: 'hosts' (a count or a list of names and nodes) "
	             "is required");
	expect_error("nocenter", "\nnet:star{ hosts = 2 }\n", "s.lua:3:",
	             "net:star: 'center' (a name or a node) is required");
	expect_error("zero", "net:star{ center = 'r', hosts = 0 }\n", "s.lua:2:",
	             "net:star: hosts: needs 1 to 1024 nodes (got 0)");
	expect_error("type", "net:star{ center = 'r', hosts = 'abc' }\n",
	             "s.lua:2:", "net:star: hosts: expected a count or a list of "
	             "names and nodes (got string)");
	expect_error("entry", "net:star{ center = 'r', hosts = { 'a', 7 } }\n",
	             "s.lua:2:", "net:star: hosts[2]: expected a name or a node "
	             "(got number)");
	expect_error("twice", "net:star{ center = 'r', hosts = { 'a', 'a' } }\n",
	             "s.lua:2:", "net:star: 'a' is listed twice");
	expect_error("taken", "net:host 'left2'\nnet:dumbbell{ left = 3, right = 1 }\n",
	             "s.lua:3:", "net:dumbbell: left[2]: there is already a node "
	             "named 'left2'");
	expect_error("addrname", "net:host '10.0.0.1'\n", "s.lua:2:",
	             "net:host: name '10.0.0.1' looks like an address; give the "
	             "node a name with a letter in it");
	expect_error("numname", "net:star{ center = 'r', hosts = { '7' } }\n",
	             "s.lua:2:", "net:star: hosts[1]: name '7' looks like an address");
	expect_error("badname", "net:star{ center = 'r', hosts = { 'a b' } }\n",
	             "s.lua:2:", "net:star: hosts[1]: name \"a b\" holds a space");
	expect_error("linkkey", "net:star{ center = 'r', hosts = 1, link = { dealy = '1ms' } }\n",
	             "s.lua:2:", "net:star: link: unknown key 'dealy'");
	expect_error("linktype", "net:star{ center = 'r', hosts = 1, link = '1ms' }\n",
	             "s.lua:2:", "net:star: link: expected a table of link "
	             "options (got string)");
	expect_error("hostkey", "net:star{ center = 'r', hosts = 1, host = { addr = '10.1.1.1' } }\n",
	             "s.lua:2:", "net:star: host: unknown key 'addr' (known: "
	             "profile, tcp)");
	expect_error("routers", "net:dumbbell{ left = 1, right = 1, routers = { 'r' } }\n",
	             "s.lua:2:", "net:dumbbell: routers: expected a list of two "
	             "names or nodes");
	expect_error("dkey", "net:dumbbell{ left = 1, right = 1, acces = {} }\n",
	             "s.lua:2:", "net:dumbbell: unknown key 'acces' (known: left, "
	             "right, routers, access, bottleneck, host)");
	expect_error("noright", "net:dumbbell{ left = 1 }\n", "s.lua:2:",
	             "net:dumbbell: 'right' (a count or a list of names and "
	             "nodes) is required");
	expect_error("many", "net:dumbbell{ left = 1025, right = 1 }\n", "s.lua:2:",
	             "net:dumbbell: left: needs 1 to 1024 nodes (got 1025)");
	expect_error("notable", "net:dumbbell(3)\n", "s.lua:2:",
	             "table expected, got number");
}
END_TEST

static Suite *
l_net_suite(void)
{
	Suite *s = suite_create("l_net");
	TCase *tc = tcase_create("topologies");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_star_by_names);
	tcase_add_test(tc, test_star_by_count_and_nodes);
	tcase_add_test(tc, test_dumbbell_default_names);
	tcase_add_test(tc, test_dumbbell_connection_crosses_bottleneck);
	tcase_add_test(tc, test_dumbbell_lists_routers_and_options);
	suite_add_tcase(s, tc);
	tc = tcase_create("routes");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_route_pins_longer_path);
	tcase_add_test(tc, test_route_pin_at_router_later);
	tcase_add_test(tc, test_route_errors);
	suite_add_tcase(s, tc);
	tc = tcase_create("errors");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_errors_leave_network_untouched);
	tcase_add_test(tc, test_errors_name_the_line);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(l_net_suite());
}
