/*
 * check_tcp_accept.c - the accept queue (sim/tcp/tcp_accept.c) through
 * scenarios: listen{ accept = "manual" | rate }, listener:accept(), the
 * bound Linux puts on the queue (sk_acceptq_is_full: more than the
 * backlog), what a full queue does to a SYN and to the final ACK, the
 * tcp_abort_on_overflow knob, what waits for accept(), and queues.csv.
 *
 * Each scenario states its expectations with sim.expect: a run that
 * exits 0 with nothing on stderr met them all.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

/* One client host, one server, 10 ms apart.  The server's backlog is 2
 * and it accepts by hand.  Connection 1 opens at 0 and waits in the
 * queue from 30 ms; 2, 3 and 4 open at 100, 101 and 102 ms, all three
 * admitted to the SYN queue (the accept queue holds 1, not full).  Their
 * final ACKs arrive at 130, 131, 132 ms: 2 and 3 fill the queue to 3,
 * which is more than the backlog, so 4's ACK meets a full queue. */
static const char *prelude =
	"local net = sim.network{ profile = sim.param('profile', 'linux') }\n"
	"local server = net:host('server', { tcp = { abort_on_overflow = "
	"sim.param('abort', false) } })\n"
	"local client = net:host 'client'\n"
	"local link = net:link(client, server, { delay = '10ms' })\n"
	"local told = {}\n"
	"net:on('app', function(ev) if ev.node == 'server' then\n"
	"  told[#told+1] = ev.conn .. ev.call .. '@' .. ev.t // 1000000 end end)\n"
	"local drops = {}\n"
	"net:on('drop', function(ev) if ev.reason:find('accept queue', 1, true) then\n"
	"  drops[#drops+1] = (ev.t // 1000000) .. ':' .. ev.flags end end)\n";

#define expect_ok(name, body) lua_expect_ok(name, prelude, body, NULL)
#define expect_ok_p(name, body, p) lua_expect_ok(name, prelude, body, p)
#define expect_error(name, body, line, msg) \
	lua_expect_error(name, prelude, body, line, msg)

static const char *four =
	"local l = server:listen(80, { backlog = 2, accept = 'manual' })\n"
	"local cs = {}\n"
	"for i, at in ipairs{ 0, 100, 101, 102 } do\n"
	"  cs[i] = client:connect(server, 80, { at = at .. 'ms', send = 'hi' .. i })\n"
	"end\n";

/* linux: the final ACK is dropped with its data; the request stays
 * half-open and its SYN-ACK timer runs (1.112, 3.112, 7.112 s on the
 * nanosecond), each SYN-ACK drawing an ACK from the client; the client's
 * data retransmissions are tries too.  The application accepts one at
 * 4 s (and reads what waited: 3 bytes).  On the timer wheels (seed 1,
 * as tcp_fixture.h: the server's counter reads 484 at time 0, ticks at
 * 1.807652 ms + 4k ms; the client's 226, ticks at 0.792873 ms + 4k):
 * the SYN-ACK timer set at 112 ms (counter 512) + 250 -> bucket 768,
 * 1133.807652 ms; + 500 -> 1272, 3149.807652 ms; + 1000 -> 2304,
 * 7277.807652 ms.  The client's data RTO, 3.52 s after 3700.792873 ms
 * (counter 1152 + 880 -> 2048), goes at 7284.792873 ms and arrives at
 * 7294.792873 ms, before the ACK of the last SYN-ACK (7297.807652): it
 * finds room.  The ACKs of the first two SYN-ACKs arrive 20 ms after
 * them and are dropped: 1153 and 3169 ms. */
START_TEST(test_full_queue_drops_final_ack)
{
	char body[4096];
	snprintf(body, sizeof body, "%s%s", four,
		"local got = {}\n"
		"sim.at('4s', function()\n"
		"  local c = l:accept()\n"
		"  sim.expect(c == server:conn(1), 'the oldest first')\n"
		"end)\n"
		"net:run{ ['until'] = '10s' }\n"
		"local s4 = server:conn(4)\n"
		"sim.expect(s4.established_at == 7294792873, s4.established_at)\n"
		"sim.expect(s4.retransmits == 3, s4.retransmits)\n"
		"sim.expect(cs[4].state == 'ESTABLISHED' and cs[4].established_at == 122000000)\n"
		"sim.expect(l.accept_queue == 3 and l.syn_queue == 0, l.accept_queue, l.syn_queue)\n"
		"sim.expect(l.accept_overflows == 9, l.accept_overflows)\n"
		"sim.expect(drops[1] == '132:ACK' and drops[2] == '132:PSH+ACK', drops[1], drops[2])\n"
		"sim.expect(drops[6] == '1153:ACK' and drops[8] == '3169:ACK' and #drops == 9,\n"
		"  drops[8], #drops)\n"
		/* Only the accepted connection is told, when it is accepted,
		 * with the bytes that waited for it. */
		"local t = table.concat(told, ' ')\n"
		"sim.expect(t == '1accepted@4000 1data@4000', t)\n");
	expect_ok("final_ack", body);
}
END_TEST

/* abort_on_overflow (net.ipv4.tcp_abort_on_overflow = 1): the final ACK
 * is answered with RST; the client, established, learns ECONNRESET; the
 * listening application hears nothing. */
START_TEST(test_abort_on_overflow)
{
	char body[4096];
	snprintf(body, sizeof body, "%s%s", four,
		"local rst\n"
		"net:on('send', function(ev) if ev.node == 'server' and ev.flags == 'RST' then\n"
		"  rst = rst or ev.t end end)\n"
		"net:run{ ['until'] = '10s' }\n"
		"sim.expect(rst == 132000000, rst)\n"
		"sim.expect(cs[4].error == 'ECONNRESET' and cs[4].closed_at == 142000000, cs[4].error)\n"
		"sim.expect(server:conn(4).state == 'CLOSED')\n"
		"sim.expect(l.accept_overflows == 1 and l.accept_queue == 3, l.accept_overflows)\n"
		"sim.expect(#told == 0, table.concat(told, ' '))\n");
	expect_ok_p("abort", body, "abort=true");
}
END_TEST

/* rfc: the queue holds exactly the backlog, so connection 3's ACK (131
 * ms) already overflows. */
START_TEST(test_rfc_holds_backlog)
{
	char body[4096];
	snprintf(body, sizeof body, "%s%s", four,
		"net:run{ ['until'] = '500ms' }\n"
		"sim.expect(drops[1] == '131:ACK', drops[1])\n"
		"sim.expect(server:conn(3).state == 'SYN-RECEIVED')\n"
		"sim.expect(l.accept_queue == 2, l.accept_queue)\n"
		/* and its SYN queue holds the backlog too (no backlog + 1, no
		 * cookies): 4's SYN found 2 and 3 half-open, and was dropped */
		"sim.expect(server:nconns() == 3 and l.syn_dropped == 1)\n");
	expect_ok_p("rfc", body, "profile=rfc");
}
END_TEST

/* A SYN for a listener whose accept queue is full is dropped, cookies
 * or not (tcp_conn_request); the client's SYN retries go on until the
 * application makes room at 4 s: the SYN of 7.2 s gets through. */
START_TEST(test_full_queue_drops_syn)
{
	expect_ok("syn",
		"local l = server:listen(80, { backlog = 1, accept = 'manual' })\n"
		"local cs = {}\n"
		"for i = 1, 3 do cs[i] = client:connect(server, 80, { at = (i - 1) * 100 .. 'ms' }) end\n"
		"sim.at('4s', function() l:accept() end)\n"
		"net:run{ ['until'] = '10s' }\n"
		"local d = table.concat(drops, ' ')\n"
		/* The third client's SYN timer on the client's wheel (see
		 * above), from 200 ms (counter 276): + 250 -> 528, 1204.792873
		 * ms; + 500 -> 1032, 3220.792873; + 1000 -> 2048, 7284.792873
		 * ms, after the accept at 4 s: in at 7304.792873 ms.  Each
		 * drop is seen 10 ms after the send. */
		"sim.expect(d == '210:SYN 1214:SYN 3230:SYN', d)\n"
		"sim.expect(cs[3].established_at == 7304792873, cs[3].established_at)\n"
		"sim.expect(l.accept_overflows == 3)\n");
}
END_TEST

/* accept = 10: a server that takes 100 ms per connection.  Four
 * handshakes complete at 30-33 ms; it accepts them at 30, 130, 230 and
 * 330 ms; "250ms" is the same with a time per connection. */
START_TEST(test_accept_rate)
{
	expect_ok("rate",
		"local at = {}\n"
		"local l = server:listen(80, { accept = 10, on_accept = function(c)\n"
		"  at[#at+1] = sim.now() // 1000000 end })\n"
		"local l2 = server:listen(81, { accept = '250ms', on_accept = function(c)\n"
		"  at[#at+1] = 'b' .. sim.now() // 1000000 end })\n"
		"for i = 0, 3 do client:connect(server, 80, { at = i .. 'ms' }) end\n"
		"for i = 0, 1 do client:connect(server, 81, { at = '1s' }) end\n"
		"net:run{ ['until'] = '3s' }\n"
		"local t = table.concat(at, ' ')\n"
		"sim.expect(t == '30 130 230 330 b1030 b1280', t)\n"
		"sim.expect(l.accepted == 4 and l.accept_queue == 0)\n");
}
END_TEST

/* Errors: accept() on a listener that accepts by itself, bad accept
 * values; accept() on an empty queue is nil. */
START_TEST(test_accept_errors)
{
	expect_ok("empty",
		"local l = server:listen(80, { accept = 'manual' })\n"
		"sim.expect(l:accept() == nil)\n"
		"sim.expect(l.backlog == 4096 and l.syn_queue == 0 and l.accept_queue == 0)\n");
	expect_error("auto", "server:listen(80):accept()\n", "s.lua:11:",
	             "accept: this listener accepts by itself (listen{ accept = "
	             "\"manual\" } to call it)");
	expect_error("bad", "server:listen(80, { accept = 'sometimes' })\n",
	             "s.lua:11:", "listen: accept (\"auto\", \"manual\", "
	             "connections per second, or the time each takes)");
	expect_error("zero", "server:listen(80, { accept = 0 })\n", "s.lua:11:",
	             "listen: accept: a rate must be connections per second "
	             "above 0 (got 0)");
}
END_TEST

/* A connection reset while it waits in the queue is still returned by
 * accept() (Linux leaves it there), and the application learns of the
 * reset then, not before.  Closing the listener resets the ones still
 * waiting (inet_csk_listen_stop). */
START_TEST(test_queued_reset_and_listener_close)
{
	expect_ok("queued",
		"local err\n"
		"local l = server:listen(80, { accept = 'manual', on_error = function(c, e)\n"
		"  err = e .. '@' .. sim.now() // 1000000 end })\n"
		"local a = client:connect(server, 80)\n"
		"local b = client:connect(server, 80, { lport = 2000 })\n"
		"sim.at('1s', function() a:abort() end)\n"
		"sim.at('2s', function() local c = l:accept(); sim.expect(c.state == 'CLOSED', c.state) end)\n"
		"sim.at('3s', function() l:close() end)\n"
		"net:run{ ['until'] = '4s' }\n"
		"local t = table.concat(told, ' ')\n"
		"sim.expect(t == '1accepted@2000 1error@2000 1closed@2000', t)\n"
		"sim.expect(err == 'ECONNRESET@2000', err)\n"
		"sim.expect(b.error == 'ECONNRESET' and b.closed_at == 3010000000, b.error, b.closed_at)\n"
		"sim.expect(server:conn(2).error == 'ECONNABORTED')\n");
}
END_TEST

/* An application that aborts in its on_accept reads nothing of what
 * waited, and hears of the end once (from its own abort). */
START_TEST(test_abort_in_on_accept)
{
	expect_ok("abort_accept",
		"local data, closes = 0, 0\n"
		"local l = server:listen(80, { accept = 'manual', close = 'never',\n"
		"  on_accept = function(c) c:abort() end,\n"
		"  on_data = function(c, n) data = data + n end,\n"
		"  on_close = function(c) closes = closes + 1 end })\n"
		"client:connect(server, 80, { send = 500 })\n"
		"sim.at('1s', function() l:accept() end)\n"
		"net:run{ ['until'] = '2s' }\n"
		"sim.expect(data == 0 and closes == 1, data, closes)\n"
		"local t = table.concat(told, ' ')\n"
		"sim.expect(t == '1accepted@1000 1abort@1000 1error@1000 1closed@1000', t)\n");
}
END_TEST

/* queues.csv: one row per change of a listener's queues. */
START_TEST(test_queues_csv)
{
	char body[4096];
	snprintf(body, sizeof body, "%s%s", four,
		"sim.at('4s', function() l:accept() end)\n"
		"net:run{ ['until'] = '8s' }\n");
	expect_ok("csv", body);
	char path[1200];
	snprintf(path, sizeof path, "%s/csv/out/queues.csv", TEST_TMP);
	char *csv = read_file(path, NULL);
	ck_assert_str_eq(csv,
		"t_ns,host,port,syn_queue,accept_queue,backlog,event\n"
		"10000000,server,80,1,0,2,SYN: a new half-open request\n"
		"30000000,server,80,0,1,2,\"handshake completed, queued for accept()\"\n"
		"110000000,server,80,1,1,2,SYN: a new half-open request\n"
		"111000000,server,80,2,1,2,SYN: a new half-open request\n"
		"112000000,server,80,3,1,2,SYN: a new half-open request\n"
		"130000000,server,80,2,2,2,\"handshake completed, queued for accept()\"\n"
		"131000000,server,80,1,3,2,\"handshake completed, queued for accept()\"\n"
		"4000000000,server,80,1,2,2,accept()\n"
		/* the client's data retransmission, see above */
		"7294792873,server,80,0,3,2,\"handshake completed, queued for accept()\"\n");
	free(csv);
}
END_TEST

/* net:on("queue"): the same changes as queues.csv, as Lua tables. */
START_TEST(test_queue_hook)
{
	char body[4096];
	snprintf(body, sizeof body, "%s%s", four,
		"local q = {}\n"
		"net:on('queue', function(ev)\n"
		"  q[#q+1] = string.format('%d:%s:%d/%d/%d:%s', ev.t // 1000000, ev.host,\n"
		"    ev.port, ev.syn_queue, ev.accept_queue, ev.event) end)\n"
		"net:run{ ['until'] = '200ms' }\n"
		"sim.expect(#q == 7, #q)\n"
		"sim.expect(q[1] == '10:server:80/1/0:SYN: a new half-open request', q[1])\n"
		"sim.expect(q[7] == '131:server:80/1/3:handshake completed, queued for accept()', q[7])\n");
	expect_ok("hook", body);
}
END_TEST

static Suite *
tcp_accept_suite(void)
{
	Suite *s = suite_create("tcp_accept");
	TCase *tc = tcase_create("queue");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_full_queue_drops_final_ack);
	tcase_add_test(tc, test_abort_on_overflow);
	tcase_add_test(tc, test_rfc_holds_backlog);
	tcase_add_test(tc, test_full_queue_drops_syn);
	tcase_add_test(tc, test_accept_rate);
	tcase_add_test(tc, test_accept_errors);
	tcase_add_test(tc, test_queued_reset_and_listener_close);
	tcase_add_test(tc, test_queues_csv);
	tcase_add_test(tc, test_queue_hook);
	tcase_add_test(tc, test_abort_in_on_accept);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(tcp_accept_suite());
}
