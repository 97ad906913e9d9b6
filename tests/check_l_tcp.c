/*
 * check_l_tcp.c - the socket API of scenarios (sim/lua/l_tcp.c): each
 * scenario below states its expectations with sim.expect, so a run that
 * exits 0 with nothing on stderr met them all; the error cases check the
 * exit status 2 and the message.
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
	"local net = sim.network{ profile = 'linux', tcp = { timer_wheel = false } }\n"
	"local client = net:host 'client'\n"
	"local server = net:host 'server'\n"
	"local link = net:link(client, server, { delay = '50ms' })\n";

#define run_lua(name, body, err) lua_run(name, prelude, body, NULL, NULL, err)
#define expect_ok(name, body) lua_expect_ok(name, prelude, body, NULL)
#define expect_error(name, body, line, msg) \
	lua_expect_error(name, prelude, body, line, msg)

START_TEST(test_connect_data_close_callbacks)
{
	expect_ok("callbacks",
		"local log = {}\n"
		"local function note(what) log[#log+1] = what .. '@' .. sim.now() // 1000000 end\n"
		"server:listen(80, { on_accept = function(c) note('accept') end,\n"
		"  on_data = function(c, n, data) note('data' .. n .. data) end,\n"
		"  on_eof = function(c) note('eof') end,\n"
		"  on_close = function(c, err) note('sclose') end })\n"
		"local conn = client:connect(server, 80, { send = 'hello', close = 'after_send',\n"
		"  on_connect = function(c) note('connect') end,\n"
		"  on_close = function(c, err) note('cclose') end })\n"
		"net:run()\n"
		"local got = table.concat(log, ' ')\n"
		"sim.expect(got == 'connect@100 accept@150 data5hello@150 eof@150 sclose@250 cclose@60200', got)\n"
		"sim.expect(conn.handshake_time == 100000000, conn.handshake_time)\n"
		"sim.expect(conn.state == 'CLOSED' and conn.error == nil)\n"
		"sim.expect(conn.mss == 1448 and conn.wscale == 7 and conn.sack and conn.timestamps)\n"
		"sim.expect(conn.bytes_acked == 5 and server:conn(1).bytes_received == 5)\n"
		"sim.expect(conn.remote == server.addr .. ':80', conn.remote)\n"
		"sim.expect(server:nconns() == 1 and server:conn(1).passive)\n");
}
END_TEST

/* A string is text, even one of digits: "100" is three bytes, not a
 * count; only a number counts bytes. */
START_TEST(test_send_digit_string_is_text)
{
	expect_ok("digits",
		"local got = {}\n"
		"local function note(c, n, data) got[#got+1] = c.rport .. '>' .. n .. ':' .. tostring(data) end\n"
		"server:listen(80, { on_data = note })\n"
		"server:listen(81, { on_data = note })\n"
		"client:connect(server, 80, { lport = 1000, send = '42', close = 'after_send' })\n"
		"client:connect(server, 81, { lport = 2000,\n"
		"  on_connect = function(c) c:send('100'); c:send(2); c:close() end })\n"
		"net:run()\n"
		"local s = table.concat(got, ' ')\n"
		"sim.expect(s == '1000>2:42 2000>3:100 2000>2:\\0\\0', s)\n");
}
END_TEST

START_TEST(test_delayed_connect_and_close_policy)
{
	expect_ok("delayed",
		"server:listen(80, { close = 'never' })\n"
		"local conn = client:connect(server, 80, { at = '2s', close = '500ms' })\n"
		"sim.expect(conn.state == 'CLOSED' and conn.handshake_time == nil)\n"
		"net:run{ ['until'] = '1s' }\n"
		"sim.expect(conn.state == 'CLOSED')\n"
		"net:run{ ['until'] = '2.2s' }\n"
		"sim.expect(conn.state == 'ESTABLISHED', conn.state)\n"
		"sim.expect(conn.opened_at == 2000000000)\n"
		"net:run{ ['until'] = '2.65s' }\n"
		"sim.expect(conn.state == 'FIN-WAIT-1', conn.state)\n"
		"net:run{ ['until'] = '2.8s' }\n"
		"sim.expect(conn.state == 'FIN-WAIT-2', conn.state)\n"
		"sim.expect(server:conn(1).state == 'CLOSE-WAIT', server:conn(1).state)\n");
}
END_TEST

START_TEST(test_refused_reports_error)
{
	expect_ok("refused",
		"local err\n"
		"local conn = client:connect(server, 81, { on_error = function(c, e) err = e end })\n"
		"net:run()\n"
		"sim.expect(err == 'ECONNREFUSED', err)\n"
		"sim.expect(conn.error == 'ECONNREFUSED' and conn.state == 'CLOSED')\n"
		"sim.expect(conn.closed_at == 100000000)\n");
}
END_TEST

START_TEST(test_knob_override_per_host)
{
	/* Every SYN is dropped on the link.  Two retries: 1 s + 2 s + 4 s. */
	expect_ok("knobs",
		"local h = net:host('h', { tcp = { syn_retries = 2, rto_initial = '1s' } })\n"
		"net:link(h, server, { delay = '1ms' }):drop{ from = h, flags = 'SYN' }\n"
		"local err, at\n"
		"h:connect(server, 80, { on_error = function(c, e) err = e; at = sim.now() end })\n"
		"net:run()\n"
		"sim.expect(err == 'ETIMEDOUT' and at == 7000000000, err, at)\n");
}
END_TEST

/* The msl knob sets TIME-WAIT to 2*MSL, per host or network; a
 * time_wait in the same table wins.  The client closes first and enters
 * TIME-WAIT at 200 ms. */
START_TEST(test_msl_knob)
{
	expect_ok("msl",
		"server:listen(80)\n"
		"local n = 0\n"
		"local function tw_closed(tcp)\n"
		"  n = n + 1\n"
		"  local h = net:host('h' .. n, { tcp = tcp })\n"
		"  net:link(h, server, { delay = '50ms' })\n"
		"  return h:connect(server, 80, { send = 10, close = 'after_send' })\n"
		"end\n"
		"local a = tw_closed{ msl = '10s' }\n"
		"local b = tw_closed{ msl = '10s', time_wait = '5s' }\n"
		"local c = tw_closed{ time_wait = '5s', msl = '10s' }\n"
		"net:run()\n"
		"sim.expect(a.closed_at == 20200000000, a.closed_at)\n"
		"sim.expect(b.closed_at == 5200000000, b.closed_at)\n"
		"sim.expect(c.closed_at == 5200000000, c.closed_at)\n");
}
END_TEST

START_TEST(test_connect_timeout_option)
{
	expect_ok("timeout",
		"local err\n"
		"link:drop{ from = client, flags = 'SYN' }\n"
		"client:connect(server, 80, { timeout = '2.5s', on_error = function(c, e) err = e end })\n"
		"net:run()\n"
		"sim.expect(err == 'ETIMEDOUT', err)\n"
		"sim.expect(client:conn(1).closed_at == 2500000000)\n");
}
END_TEST

/* conn:shutdown() closes the write side only: the client's 10 bytes and
 * FIN go, the server answers its EOF with 3000 bytes and then closes.
 * The narration says shutdown(), not close(). */
START_TEST(test_shutdown_half_close)
{
	expect_ok("shutdown",
		"local calls, states = {}, {}\n"
		"net:on('app', function(ev)\n"
		"  if ev.node == 'client' then calls[#calls+1] = ev.call end end)\n"
		"net:on('state', function(ev)\n"
		"  if ev.node == 'client' then states[#states+1] = ev.to .. ': ' .. ev.cause end end)\n"
		"local got, got_at, eof_at, eof_state = 0\n"
		"server:listen(80, { close = 'never',\n"
		"  on_eof = function(c) c:send(3000); c:close() end })\n"
		"local conn = client:connect(server, 80, {\n"
		"  on_connect = function(c) c:send(10); c:shutdown() end,\n"
		"  on_data = function(c, n) got = got + n; got_at = sim.now() end,\n"
		"  on_eof = function(c) eof_at = sim.now(); eof_state = c.state end })\n"
		"net:run{ ['until'] = '1s' }\n"
		"sim.expect(got == 3000 and got_at == 200000000, got, got_at)\n"
		/* The server's FIN reaches the half-closed client in FIN-WAIT-2:
		 * its recv() returns 0 there, as on Linux. */
		"sim.expect(eof_at == 200000000 and eof_state == 'TIME-WAIT', eof_at, eof_state)\n"
		"sim.expect(server:conn(1).bytes_received == 10)\n"
		"sim.expect(server:conn(1).state == 'CLOSED')\n"
		"sim.expect(conn.state == 'TIME-WAIT', conn.state)\n"
		"local want = 'connect connected shutdown data data data eof'\n"
		"sim.expect(table.concat(calls, ' ') == want, table.concat(calls, ' '))\n"
		"local s = table.concat(states, '; ')\n"
		"sim.expect(s == 'SYN-SENT: connect() called; ESTABLISHED: SYN+ACK received; '\n"
		"  .. 'FIN-WAIT-1: application shut down its sending side; '\n"
		"  .. 'FIN-WAIT-2: ACK of our FIN received; TIME-WAIT: FIN received', s)\n"
		"local ok, err = pcall(conn.send, conn, 1)\n"
		"sim.expect(not ok and err:find('send: write side already shut down (EPIPE)', 1, true), err)\n");
}
END_TEST

/* accept() hands over completed connections only: a half-open request
 * that times out (every ACK of the client lost) or is reset (the client
 * aborts before its ACK got through) is never told to the listening
 * application, neither as an app event nor as a callback. */
START_TEST(test_half_open_death_unheard)
{
	expect_ok("half_open",
		"local told = {}\n"
		"net:on('app', function(ev)\n"
		"  if ev.node == 'server' then told[#told+1] = ev.call end end)\n"
		"local cb = 0\n"
		"server:listen(80, { on_accept = function() cb = cb + 1 end,\n"
		"  on_error = function() cb = cb + 1 end, on_close = function() cb = cb + 1 end })\n"
		"link:drop{ from = client, flags = 'ACK' }\n"
		"client:connect(server, 80, { lport = 1000 })\n"
		"client:connect(server, 80, { lport = 2000, on_connect = function(c) c:abort() end })\n"
		"net:run()\n"
		"sim.expect(server:conn(1).state == 'CLOSED' and server:conn(1).error == 'ETIMEDOUT')\n"
		"sim.expect(server:conn(2).state == 'CLOSED' and server:conn(2).error == 'ECONNREFUSED')\n"
		"sim.expect(#told == 0, table.concat(told, ' '))\n"
		"sim.expect(cb == 0, cb)\n");
}
END_TEST

/* No route to the destination: connect() fails at once with ENETUNREACH
 * and sends nothing (Linux: ip_route_connect in tcp_v4_connect). */
START_TEST(test_connect_no_route_enetunreach)
{
	expect_ok("no_route",
		"local err, at\n"
		"local sent = 0\n"
		"net:on('packet', function(ev) sent = sent + 1 end)\n"
		"local c = client:connect('10.0.0.99', 80, { at = '1s', on_error = function(c, e) err = e; at = sim.now() end })\n"
		"net:run()\n"
		"sim.expect(err == 'ENETUNREACH' and at == 1000000000, err, at)\n"
		"sim.expect(c.error == 'ENETUNREACH' and sent == 0, c.error, sent)\n");
}
END_TEST

/* client - r, 10 ms; "far" is on no link, and client's route to it is
 * pinned towards r, which has none: r answers every SYN with ICMP host
 * unreachable (RFC 1812 5.2.7.1), 20 ms after it was sent. */
#define ICMP_WORLD(opts) \
	"local net = sim.network{ " opts " }\n" \
	"local client = net:host 'client'\n" \
	"local r = net:router 'r'\n" \
	"local far = net:host 'far'\n" \
	"local l = net:link(client, r, { delay = '10ms' })\n" \
	"net:route(client, far, l)\n" \
	"local icmp = {}\n" \
	"net:on('recv', function(ev) if ev.flags == 'ICMP' then\n" \
	"  icmp[#icmp + 1] = ev.t // 1000000 end end)\n" \
	"local err, at\n" \
	"local c = client:connect(far, 80, { on_error = function(c, e)\n" \
	"  err = e; at = sim.now() end })\n" \
	"net:run()\n" \
	"local got = table.concat(icmp, ' ')\n"

/* linux: tcp_v4_err aborts the connect at once, one round trip to r. */
START_TEST(test_icmp_unreachable_linux_aborts)
{
	lua_expect_ok("icmp_linux", ICMP_WORLD("profile = 'linux'"),
		"sim.expect(err == 'EHOSTUNREACH' and at == 20000000, err, at)\n"
		"sim.expect(c.state == 'CLOSED' and c.error == 'EHOSTUNREACH', c.state)\n"
		"sim.expect(c.retransmits == 0 and got == '20', c.retransmits, got)\n",
		NULL);
}
END_TEST

/* rfc: a soft error (RFC 1122 4.2.3.9): all 8 SYNs go out and each gets
 * its ICMP (a second or more apart: none held back); the give-up is at
 * the usual 183 s, with EHOSTUNREACH instead of ETIMEDOUT. */
START_TEST(test_icmp_unreachable_rfc_soft)
{
	lua_expect_ok("icmp_rfc", ICMP_WORLD("profile = 'rfc'"),
		"sim.expect(err == 'EHOSTUNREACH' and at == 183000000000, err, at)\n"
		"sim.expect(c.retransmits == 7, c.retransmits)\n"
		"sim.expect(got == '20 1020 3020 7020 15020 31020 63020 123020', got)\n",
		NULL);
}
END_TEST

/* linux with icmp_hard_syn_sent off: the 127 s of SYN retries, then the
 * soft error (tcp_write_err reports sk_err_soft). */
START_TEST(test_icmp_unreachable_soft_knob)
{
	/* timers on the nanosecond: the retries' plain sums */
	lua_expect_ok("icmp_knob", ICMP_WORLD("profile = 'linux', "
	              "tcp = { icmp_hard_syn_sent = false, timer_wheel = false }"),
		"sim.expect(err == 'EHOSTUNREACH' and at == 127000000000, err, at)\n"
		"sim.expect(c.retransmits == 6, c.retransmits)\n"
		"sim.expect(got == '20 1020 3020 7020 15020 31020 63020', got)\n",
		NULL);
}
END_TEST

/* connect() takes a host's name as well as the host or its address; an
 * unknown name says what to pass. */
START_TEST(test_connect_by_name)
{
	expect_ok("by_name",
		"server:listen(80)\n"
		"local c = client:connect('server', 80)\n"
		"net:run{ ['until'] = '1s' }\n"
		"sim.expect(c.state == 'ESTABLISHED' and c.remote == server.addr .. ':80', c.state)\n");
	expect_error("by_bad_name", "client:connect('sever', 80)\n", "s.lua:5:",
	             "connect: 'sever' is neither a host of this network nor an "
	             "IPv4 address (pass the host, e.g. connect(server, 80))");
}
END_TEST

/* Both ends shut down at the same instant: each FIN arrives in
 * FIN-WAIT-1, and each application, still reading, gets its EOF there
 * (CLOSING), as Linux's recv() returns 0; an end that called close()
 * instead is told nothing. */
START_TEST(test_eof_in_fin_wait_1)
{
	expect_ok("eof_fw1",
		"local eofs = {}\n"
		"local function note(c) eofs[#eofs+1] = c.host.name .. ':' .. c.state .. '@' .. sim.now() // 1000000 end\n"
		"local a = client:connect(server, 6000, { lport = 5000, on_eof = note })\n"
		"local b = server:connect(client, 5000, { lport = 6000, on_eof = note })\n"
		"sim.at('1s', function() a:shutdown(); b:shutdown() end)\n"
		"net:run{ ['until'] = '2s' }\n"
		"local got = table.concat(eofs, ' ')\n"
		"sim.expect(got == 'server:CLOSING@1050 client:CLOSING@1050', got)\n");
	expect_ok("eof_closed",
		"local eofs = 0\n"
		"local a = client:connect(server, 6000, { lport = 5000, on_eof = function() eofs = eofs + 1 end })\n"
		"local b = server:connect(client, 5000, { lport = 6000, on_eof = function() eofs = eofs + 1 end })\n"
		"sim.at('1s', function() a:close(); b:shutdown() end)\n"
		"net:run{ ['until'] = '2s' }\n"
		"sim.expect(eofs == 1, 'only the end that still reads: ' .. eofs)\n");
}
END_TEST

START_TEST(test_abort_from_callback)
{
	expect_ok("abort",
		"local serr\n"
		"server:listen(80, { on_close = function(c, e) serr = e end })\n"
		"client:connect(server, 80, { on_connect = function(c) c:abort() end })\n"
		"net:run()\n"
		"sim.expect(serr == 'ECONNRESET', serr)\n"
		"sim.expect(client:conn(1).error == 'ECONNABORTED')\n");
}
END_TEST

START_TEST(test_failed_expectation_exits_1)
{
	char *err = NULL;
	int rc = run_lua("expectfail",
	                 "server:listen(80)\n"
	                 "local c = client:connect(server, 80)\n"
	                 "net:run{ ['until'] = '1s' }\n"
	                 "sim.expect(c.state == 'CLOSED', 'still ' .. c.state)\n",
	                 &err);
	ck_assert_int_eq(rc, 1);
	ck_assert_ptr_nonnull(strstr(err, "s.lua:8: expectation failed: still "
	                             "ESTABLISHED"));
	free(err);
}
END_TEST

START_TEST(test_syn_flood_fills_backlog)
{
	/* 5 spoofed SYNs 10 ms apart fill a backlog of 4 (Linux holds one
	 * more); without cookies the client's SYNs at 0.1, 1.1 and 3.1 s are
	 * dropped.  The queue is over half full and none of it young, so the
	 * oldest entry gets two SYN-ACK retries, not five, and goes at
	 * 7.05 s: the SYN sent at 7.1 s gets in. */
	static const char flood[] =
		"local att = net:host 'attacker'\n"
		"local srv = net:host('srv', { tcp = { syncookies = COOKIES } })\n"
		"net:link(att, srv, { delay = '50ms' })\n"
		"net:link(client, srv, { delay = '50ms' })\n"
		"local l = srv:listen(80, { backlog = 4 })\n"
		"att:flood{ to = srv, port = 80, interval = '10ms', stop = '40ms' }\n"
		"local c = client:connect(srv, 80, { at = '100ms' })\n"
		"net:run{ ['until'] = '100s' }\n";
	char body[2048];
	snprintf(body, sizeof body, "local COOKIES = 0\n%s"
		"sim.expect(l.syn_dropped == 3, 'dropped ' .. l.syn_dropped)\n"
		"sim.expect(l.cookies_sent == 0, l.cookies_sent)\n"
		"sim.expect(c.retransmits == 3, c.retransmits)\n"
		"sim.expect(c.established_at == 7200000000, c.established_at)\n",
		flood);
	expect_ok("flood", body);
	/* With cookies (linux's default) the client's first SYN gets one
	 * and its ACK, at 200 ms, is accepted. */
	snprintf(body, sizeof body, "local COOKIES = 1\n%s"
		"sim.expect(l.syn_dropped == 0, 'dropped ' .. l.syn_dropped)\n"
		"sim.expect(l.cookies_sent == 1, l.cookies_sent)\n"
		"sim.expect(l.cookies_accepted == 1, l.cookies_accepted)\n"
		"sim.expect(l.accepted == 1, l.accepted)\n"
		"sim.expect(c.retransmits == 0, c.retransmits)\n"
		"sim.expect(c.established_at == 200000000, c.established_at)\n"
		"sim.expect(srv:conn(6).established_at == 250000000,"
		" srv:conn(6).established_at)\n",
		flood);
	expect_ok("flood-cookies", body);
}
END_TEST

/* ---- errors at the scenario's line ------------------------------------------ */

START_TEST(test_errors)
{
	expect_error("router", "local r = net:router 'r'\nr:connect(server, 80)\n",
	             "s.lua:6:", "'r' is a router, not a host");
	expect_error("port", "client:connect(server, 70000)\n", "s.lua:5:",
	             "connect: port: expected a port from 1 to 65535 (got 70000)");
	expect_error("portname", "client:connect(server, 'http')\n", "s.lua:5:",
	             "connect: port: expected a port from 1 to 65535 (got \"http\")");
	expect_error("lport", "client:connect(server, 80, { lport = 0 })\n",
	             "s.lua:5:", "connect: lport: expected a port from 1 to 65535 "
	             "(got 0)");
	expect_error("isn", "client:connect(server, 80, { isn = -1 })\n",
	             "s.lua:5:", "connect: isn: expected a whole number from 0 to "
	             "4294967295 (got -1)");
	expect_error("lport", "server:listen(0)\n", "s.lua:5:",
	             "listen: port: expected a port from 1 to 65535 (got 0)");
	expect_error("backlog", "server:listen(80, { backlog = 1.5 })\n",
	             "s.lua:5:", "listen: backlog: expected a whole number from 0 "
	             "to 1048576 (got 1.5)");
	expect_error("knobint", "net:host('h', { tcp = { syn_retries = {} } })\n",
	             "s.lua:5:", "net:host: syn_retries: expected a whole number "
	             "(got table)");
	expect_error("key", "client:connect(server, 80, { tiemout = '1s' })\n",
	             "s.lua:5:", "unknown key 'tiemout' (known: at, timeout,");
	expect_error("twice", "server:listen(80)\nserver:listen(80)\n", "s.lua:6:",
	             "address already in use");
	expect_error("notstarted",
	             "local c = client:connect(server, 80, { at = '1s' })\nc:send(10)\n",
	             "s.lua:6:", "has not started");
	expect_error("field", "local c = client:connect(server, 80)\nlocal x = c.colour\n",
	             "s.lua:6:", "no field or method 'colour'");
	expect_error("readonly", "local c = client:connect(server, 80)\nc.state = 'x'\n",
	             "s.lua:6:", "read-only");
	expect_error("nconn", "local c = client:conn(3)\n", "s.lua:5:",
	             "client has no connection #3");
	expect_error("knob", "net:host('h', { tcp = { syn_retires = 2 } })\n",
	             "s.lua:5:", "unknown key 'syn_retires'");
	expect_error("knobrange", "net:host('h', { tcp = { wscale = 15 } })\n",
	             "s.lua:5:", "wscale: 15 is out of range [0, 14]");
	expect_error("profile", "net:host('h', { profile = 'bsd' })\n", "s.lua:5:",
	             "unknown profile 'bsd' (known: linux, linux-6.18, rfc)");
	expect_error("send", "local c = client:connect(server, 80, { send = -5 })\n",
	             "s.lua:5:", "negative");
	expect_error("close", "local c = client:connect(server, 80, { close = 'soon' })\n",
	             "s.lua:5:", "close (never, after_send, on_eof or a delay)");
	expect_error("cb", "client:connect(server, 80, { on_connect = 5 })\n",
	             "s.lua:5:", "on_connect must be a function");
	expect_error("cberr",
	             "server:listen(80, { on_accept = function(c) local x = nil; x.y = 1 end })\n"
	             "client:connect(server, 80)\nnet:run()\n",
	             "s.lua:5:", "attempt to index a nil value");
	expect_error("samehost", "net:link(client, client)\n", "s.lua:5:",
	             "both ends are 'client'");
	expect_error("dupname", "net:host 'client'\n", "s.lua:5:",
	             "already a node named 'client'");
}
END_TEST

/* ==== RTT measurement and backoff (RFC 6298) ============================== */

/* Without timestamps every RTT sample comes from timing a segment sent
 * once (Karn); the profile comes from -D profile.  RFC 6298's arithmetic
 * on the nanosecond: linux's timer wheel is off here (timer_wheel). */
static const char *prelude_nots =
	"local net = sim.network{ profile = sim.param('profile', 'rfc'), "
	"tcp = { timer_wheel = false } }\n"
	"local client = net:host('client', { tcp = { opt_ts = false } })\n"
	"local server = net:host('server', { tcp = { opt_ts = false, rto_initial = '3s' } })\n"
	"local link = net:link(client, server, { delay = '50ms' })\n";

/* The first SYN-ACK is lost; the client's SYN at 1 s is answered with the
 * SYN-ACK again (the server's own timer is 3 s), and the ACK at 1.15 s
 * is no RTT sample: the server has none and starts with RFC 6298 5.7's
 * 3 s. */
START_TEST(test_karn_synack_again)
{
	static const char *const profiles[] = { "profile=rfc", "profile=linux" };
	for (int i = 0; i < 2; i++)
		lua_expect_ok(i ? "karn_synack_linux" : "karn_synack_rfc",
			prelude_nots,
			"link:drop{ from = server, flags = 'SYN+ACK', first = 1 }\n"
			"server:listen(80, { close = 'never' })\n"
			"client:connect(server, 80, { close = 'never' })\n"
			"net:run{ ['until'] = '2s' }\n"
			"local s = server:conn(1)\n"
			"sim.expect(s.established_at == 1150000000, 'at ' .. s.established_at)\n"
			"sim.expect(s.srtt == nil, 'no sample, got ' .. tostring(s.srtt))\n"
			"sim.expect(s.rto == 3000000000, 'rto ' .. s.rto)\n",
			profiles[i]);
}
END_TEST

/* The link is down from 0.5 to 2 s: the segment sent at 0.5 s goes again
 * at 1.5 s and 3.5 s and is acked at 3.8 s, which measures nothing
 * (Karn), so the RTO stays backed off at 4 s: the next segment, sent at
 * 4 s and lost, is retransmitted at 8 s, not 5 s (RFC 6298 5.5). */
START_TEST(test_backoff_kept_without_sample)
{
	lua_expect_ok("backoff", prelude_nots,
		"link:down('0.5s'); link:up('2s')\n"
		"link:drop{ from = client, payload = true, after = '4s', first = 1 }\n"
		"server:listen(80, { close = 'never' })\n"
		"local c = client:connect(server, 80, { close = 'never' })\n"
		"sim.at('0.5s', function() c:send(100) end)\n"
		"sim.at('4s', function() c:send(100) end)\n"
		"local rtx = {}\n"
		"net:on('send', function(ev)\n"
		"  if ev.from == 'client' and ev.len > 0 and ev.reason then rtx[#rtx + 1] = ev.t // 1000000 end\n"
		"end)\n"
		"net:run{ ['until'] = '9s' }\n"
		"local got = table.concat(rtx, ',')\n"
		"sim.expect(got == '1500,3500,8000', got)\n"
		"sim.expect(c.bytes_acked == 200, 'acked ' .. c.bytes_acked)\n",
		"profile=rfc");
}
END_TEST

/* linux without timestamps: a lost segment resent by a tail loss probe
 * gives no RTT sample when the probe is acked (Karn). */
START_TEST(test_karn_loss_probe)
{
	lua_expect_ok("karn_tlp", prelude_nots,
		"link:drop{ from = client, payload = true, first = 1 }\n"
		"server:listen(80, { close = 'never' })\n"
		"local c = client:connect(server, 80, { close = 'never' })\n"
		"local before\n"
		"sim.at('0.5s', function() before = c.srtt; c:send(100) end)\n"
		"net:run{ ['until'] = '3s' }\n"
		"sim.expect(before == 100000000, 'srtt ' .. tostring(before))\n"
		"sim.expect(c.retransmits == 1 and c.bytes_acked == 100, 'probe')\n"
		"sim.expect(c.srtt == 100000000, 'srtt after ' .. c.srtt)\n"
		"sim.expect(c.rto == 300000000, 'rto after ' .. c.rto)\n",
		"profile=linux");
}
END_TEST

/* The client sends a request and calls close(); the server answers with
 * 500 bytes.  linux: new data after close() is answered with RST (RFC
 * 1122 4.2.2.13); the RST carries the data segment's ACK (101), which the
 * server, past the client's FIN in LAST-ACK, takes as out of window; the
 * RST the closed port sends for its FIN (seq 102) ends it, with no error
 * for an application that has closed (RFC 9293 3.10.7.4, LAST-ACK, second
 * check).  rfc: the data
 * is delivered and the close completes normally. */
START_TEST(test_data_after_close)
{
	const char *body =
		"server:listen(80, { on_data = function(c, n) c:send(500) end, close = 'on_eof' })\n"
		"local c = client:connect(server, 80, { send = 100, close = 'after_send' })\n"
		"local rst = {}\n"
		"net:on('send', function(ev) if ev.flags == 'RST' then rst[#rst + 1] = ev.t .. ':' .. ev.rel_seq end end)\n"
		"net:run{ ['until'] = '200s' }\n"
		"local s = server:conn(1)\n";
	char text[2048];
	snprintf(text, sizeof text, "%s%s", body,
		"sim.expect(c.closed_at == 200000000 and c.error == 'ECONNRESET', tostring(c.error))\n"
		"sim.expect(c.bytes_received == 0, 'nothing delivered')\n"
		"sim.expect(table.concat(rst, ',') == '200000000:101,200000000:102', table.concat(rst, ','))\n"
		"sim.expect(s.state == 'CLOSED' and s.error == nil, tostring(s.error))\n"
		"sim.expect(s.closed_at == 250000000, 'server closed at ' .. s.closed_at)\n");
	lua_expect_ok("data_after_close_linux", prelude_nots, text, "profile=linux");
	snprintf(text, sizeof text, "%s%s", body,
		"sim.expect(c.error == nil and c.bytes_received == 500, tostring(c.error))\n"
		"sim.expect(#rst == 0, 'no reset')\n"
		"sim.expect(s.error == nil and s.state == 'CLOSED', s.state)\n");
	lua_expect_ok("data_after_close_rfc", prelude_nots, text, "profile=rfc");
}
END_TEST

/* The MSS follows the MTU of the interface towards the peer (RFC 9293
 * 3.7.1; Linux advmss): 1000 - 40 = 960 offered, 948 carried with
 * timestamps, and 3000 bytes cross without a drop.  Only the first hops
 * count: a smaller MTU between two routers is a black hole (no path MTU
 * discovery here), every full segment dropped with reason mtu. */
START_TEST(test_mss_from_mtu)
{
	lua_expect_ok("mss_mtu", "",
		"local net = sim.network{ profile = 'linux' }\n"
		"local client = net:host 'client'\n"
		"local server = net:host 'server'\n"
		"local link = net:link(client, server, { delay = '50ms', mtu = 1000 })\n"
		"server:listen(80, { close = 'on_eof' })\n"
		"local mss = {}\n"
		"net:on('send', function(ev) if ev.flags:find('SYN') then mss[#mss + 1] = ev.flags end end)\n"
		"local c = client:connect(server, 80, { send = 3000, close = 'after_send' })\n"
		"net:run{ ['until'] = '5s' }\n"
		"sim.expect(c.peer_mss == 960 and c.mss == 948, c.peer_mss .. '/' .. c.mss)\n"
		"sim.expect(server:conn(1).bytes_received == 3000, 'delivered')\n"
		"sim.expect(link:stats(client).dropped == 0, 'no drop')\n"
		"sim.expect(c.retransmits == 0, 'no retransmission')\n",
		NULL);
	lua_expect_ok("mss_mtu_hole", "",
		"local net = sim.network{ profile = 'linux' }\n"
		"local client = net:host 'client'\n"
		"local server = net:host 'server'\n"
		"local r1, r2 = net:router 'r1', net:router 'r2'\n"
		"net:link(client, r1, { delay = '10ms' })\n"
		"net:link(r1, r2, { delay = '30ms', mtu = 1000 })\n"
		"net:link(r2, server, { delay = '10ms' })\n"
		"server:listen(80, { close = 'on_eof' })\n"
		"local c = client:connect(server, 80, { send = 3000, close = 'after_send' })\n"
		"local why = {}\n"
		"net:on('drop', function(ev) why[ev.reason] = (why[ev.reason] or 0) + 1 end)\n"
		"net:run{ ['until'] = '5s' }\n"
		"sim.expect(c.mss == 1448, 'mss ' .. c.mss)\n"
		"sim.expect(server:conn(1).bytes_received == 0, 'nothing delivered')\n"
		"sim.expect((why.mtu or 0) >= 2 and why.queue == nil, 'dropped for mtu')\n",
		NULL);
}
END_TEST

/* RFC 7323 4.3: an ACK for two segments echoes the TSval of the first
 * (TS.Recent moves only for a segment at or before Last.ACK.sent), so the
 * peer's RTT sample includes the delay of that ACK. */
START_TEST(test_ts_echo_oldest)
{
	lua_expect_ok("ts_echo", "",
		"local net = sim.network{ profile = 'linux' }\n"
		"local client = net:host('client', { tcp = { quickacks = 0 } })\n"
		"local server = net:host 'server'\n"
		"net:link(client, server, { delay = '50ms' })\n"
		"local sc\n"
		"server:listen(80, { on_accept = function(c) sc = c end, close = 'never' })\n"
		"local c = client:connect(server, 80, { close = 'never' })\n"
		"sim.at('0.5s', function() sc:send(100) end)\n"
		"sim.at('0.51s', function() sc:send(100) end)\n"
		"local data, acks = {}, {}\n"
		"net:on('send', function(ev)\n"
		"  if ev.from == 'server' and ev.len > 0 then data[#data + 1] = ev.tsval end\n"
		"  if ev.from == 'client' and ev.t > 500000000 then acks[#acks + 1] = ev end\n"
		"end)\n"
		"net:run{ ['until'] = '1s' }\n"
		"sim.expect(#data == 2 and data[2] - data[1] == 10, 'TSvals 10 ms apart')\n"
		"sim.expect(#acks == 1 and acks[1].rel_ack == 201, 'one ACK for both')\n"
		"sim.expect(acks[1].tsecr == data[1], 'echoes the first: ' .. acks[1].tsecr .. ' vs ' .. data[1])\n",
		NULL);
}
END_TEST

/* linux: an ACK goes at once when more than a segment's worth of bytes
 * waits (two full segments), but two 100-byte segments wait for the
 * 40 ms delayed-ACK timer; rfc ACKs every second segment at once,
 * whatever its size.  The delayed-ACK timer on the nanosecond
 * (timer_wheel off; check_tcp has it on the wheel). */
START_TEST(test_delayed_ack_by_bytes)
{
	static const char *const body =
		"local net = sim.network{ profile = sim.param('profile', 'linux'), "
		"tcp = { timer_wheel = false } }\n"
		"local client = net:host('client', { tcp = { quickacks = 0 } })\n"
		"local server = net:host 'server'\n"
		"net:link(client, server, { delay = '50ms' })\n"
		"local sc\n"
		"server:listen(80, { on_accept = function(c) sc = c end, close = 'never' })\n"
		"client:connect(server, 80, { close = 'never' })\n"
		"sim.at('0.5s', function() sc:send(100); sc:send(100) end)\n"
		"sim.at('1s', function() sc:send(2896) end)\n"
		"local acks = {}\n"
		"net:on('send', function(ev)\n"
		"  if ev.from == 'client' and ev.t > 500000000 then acks[#acks + 1] = ev.t // 1000000 .. ':' .. ev.rel_ack end\n"
		"end)\n"
		"net:run{ ['until'] = '2s' }\n"
		"local got = table.concat(acks, ',')\n";
	char text[2048];
	snprintf(text, sizeof text, "%s%s", body,
		"sim.expect(got == '590:201,1050:3097', got)\n");
	lua_expect_ok("delack_bytes_linux", "", text, "profile=linux");
	snprintf(text, sizeof text, "%s%s", body,
		"sim.expect(got == '550:201,1050:3097', got)\n");
	lua_expect_ok("delack_bytes_rfc", "", text, "profile=rfc");
}
END_TEST

/* One host opens connections to one server port until the ephemeral
 * range (Linux's 32768-60999: 28232 ports) runs out: the rest fail at
 * once with EAGAIN, and each failure is narrated. */
START_TEST(test_ports_run_out)
{
	char *err = NULL;
	int rc = lua_run("ports", prelude,
		"server:listen(80, { backlog = 100000 })\n"
		"local fails = 0\n"
		"for i = 1, 28240 do\n"
		"  client:connect(server, 80, { on_error = function(_, e)\n"
		"    sim.expect(e == 'EAGAIN', e); fails = fails + 1 end })\n"
		"end\n"
		"sim.expect(fails == 8, 'failed ' .. fails)\n", NULL, NULL, &err);
	ck_assert_msg(rc == 0, "exit %d: %s", rc, err);
	free(err);
	char *trace = read_file(TEST_TMP "/ports/out/trace.txt", NULL);
	ck_assert_ptr_nonnull(trace);
	int n = 0;
	for (const char *t = trace; (t = strstr(t, "connect() to 10.0.0.2:80 failed: EAGAIN\n")); t++)
		n++;
	ck_assert_int_eq(n, 8);
	free(trace);
}
END_TEST

/* The teaching option isn = 0: the SYN carries sequence number 0 on the
 * wire, and the connection says so. */
START_TEST(test_fixed_isn)
{
	expect_ok("isn0",
		"server:listen(80)\n"
		"local syn\n"
		"net:on('send', function(ev) if ev.flags == 'SYN' then syn = ev end end)\n"
		"local c = client:connect(server, 80, { isn = 0 })\n"
		"net:run{ ['until'] = '1s' }\n"
		"sim.expect(c.iss == 0, 'iss ' .. c.iss)\n"
		"sim.expect(syn.seq == 0 and syn.rel_seq == 0, 'seq ' .. syn.seq)\n"
		"sim.expect(server:conn(1).irs == 0, 'irs')\n"
		"sim.expect(c.snd_nxt == 1, 'snd_nxt ' .. c.snd_nxt)\n");
}
END_TEST

static Suite *
l_tcp_suite(void)
{
	Suite *s = suite_create("l_tcp");
	TCase *tc = tcase_create("api");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_connect_data_close_callbacks);
	tcase_add_test(tc, test_send_digit_string_is_text);
	tcase_add_test(tc, test_delayed_connect_and_close_policy);
	tcase_add_test(tc, test_refused_reports_error);
	tcase_add_test(tc, test_knob_override_per_host);
	tcase_add_test(tc, test_connect_timeout_option);
	tcase_add_test(tc, test_msl_knob);
	tcase_add_test(tc, test_abort_from_callback);
	tcase_add_test(tc, test_half_open_death_unheard);
	tcase_add_test(tc, test_eof_in_fin_wait_1);
	tcase_add_test(tc, test_connect_no_route_enetunreach);
	tcase_add_test(tc, test_icmp_unreachable_linux_aborts);
	tcase_add_test(tc, test_icmp_unreachable_rfc_soft);
	tcase_add_test(tc, test_icmp_unreachable_soft_knob);
	tcase_add_test(tc, test_connect_by_name);
	tcase_add_test(tc, test_shutdown_half_close);
	tcase_add_test(tc, test_failed_expectation_exits_1);
	tcase_add_test(tc, test_syn_flood_fills_backlog);
	tcase_add_test(tc, test_errors);
	tcase_add_test(tc, test_ports_run_out);
	tcase_add_test(tc, test_fixed_isn);
	suite_add_tcase(s, tc);
	tc = tcase_create("rtt");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_karn_synack_again);
	tcase_add_test(tc, test_backoff_kept_without_sample);
	tcase_add_test(tc, test_karn_loss_probe);
	tcase_add_test(tc, test_data_after_close);
	tcase_add_test(tc, test_mss_from_mtu);
	tcase_add_test(tc, test_ts_echo_oldest);
	tcase_add_test(tc, test_delayed_ack_by_bytes);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(l_tcp_suite());
}
