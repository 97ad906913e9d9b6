/*
 * check_shrink.c - closed connections shrink to small records
 * (tcp_host_shrink_closed, tcp_conn_release in sim/tcp/tcp.c) and read
 * the same afterwards, in C and through the scenario API, whose Conn
 * objects of closed connections are held weakly (sim/lua/l_tcp.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "helpers.h"
#include "tcp/tcp_int.h"
#include "tcp_fixture.h"

#define MS SIMTIME_MS
#define S SIMTIME_S

static void
setup(void)
{
	fx_setup("linux", 50 * MS);
	tcp_host_shrink_closed(fx->client->tcp, true);
	tcp_host_shrink_closed(fx->server->tcp, true);
	fx->client_send = 100;
	fx->client_close = true;
	fx->server_close_on_eof = true;
}

/* The server's end closes at 250 ms (its FIN acknowledged); it shrinks
 * when the next segment reaches the server, a second connection's SYN at
 * 1.05 s, and reads as it did: every field of its view, its state and id,
 * and the user calls refuse it as they refuse any closed connection. */
START_TEST(test_closed_connection_shrinks_and_reads_the_same)
{
	fx_connect(1000);
	fx_run(1 * S);
	struct tcp_conn *c = tcp_host_conn(fx->server->tcp, 1);
	ck_assert_int_eq(tcp_conn_state(c), TCP_CLOSED);
	ck_assert(!c->shrunk);
	struct tcp_conn_info before;
	tcp_conn_info(c, &before);

	fx_connect(5000);
	fx_run(2 * S);
	struct tcp_conn *r = tcp_host_conn(fx->server->tcp, 1);
	ck_assert(r->shrunk);
	struct tcp_conn_info after;
	tcp_conn_info(r, &after);
	ck_assert_int_eq(after.id, 1);
	ck_assert_int_eq(after.state, TCP_CLOSED);
	ck_assert_uint_eq(after.laddr, before.laddr);
	ck_assert_uint_eq(after.raddr, before.raddr);
	ck_assert_uint_eq(after.lport, before.lport);
	ck_assert_uint_eq(after.rport, before.rport);
	ck_assert(after.passive && before.passive);
	ck_assert_uint_eq(after.iss, before.iss);
	ck_assert_uint_eq(after.irs, 1000);
	ck_assert_uint_eq(after.snd_una, before.snd_una);
	ck_assert_uint_eq(after.snd_nxt, before.snd_nxt);
	ck_assert_uint_eq(after.rcv_nxt, 1000 + 1 + 100 + 1);
	ck_assert_uint_eq(after.mss, before.mss);
	ck_assert_int_eq(after.snd_wscale, before.snd_wscale);
	ck_assert(after.sack == before.sack && after.ts == before.ts);
	ck_assert_int_eq(after.t_open, 50 * MS);
	ck_assert_int_eq(after.t_established, before.t_established);
	ck_assert_int_eq(after.t_closed, before.t_closed);
	ck_assert_int_eq(after.error, 0);
	ck_assert_uint_eq(after.bytes_received, 100);
	ck_assert_int_eq(after.srtt, before.srtt);
	ck_assert_int_eq(after.rto, before.rto);
	ck_assert_int_eq(tcp_conn_id(r), 1);
	ck_assert_int_eq(tcp_conn_state(r), TCP_CLOSED);
	ck_assert_ptr_eq(tcp_conn_host(r), fx->server->tcp);
	ck_assert_int_eq(tcp_send(r, 10, NULL), SIM_ENOTCONN);
	ck_assert_int_eq(tcp_close(r), SIM_ENOTCONN);
	ck_assert_int_eq(tcp_shutdown(r), SIM_ENOTCONN);
	ck_assert_int_eq(tcp_conn_tag(r), 0);
	tcp_conn_set_tag(r, 8);
	ck_assert_int_eq(tcp_conn_tag(r), 8);
	/* The client's end is in TIME-WAIT, alive: it keeps its record. */
	ck_assert(!tcp_host_conn(fx->client->tcp, 1)->shrunk);
}
END_TEST

/* A closed connection the application still tags is not shrunk, and
 * nothing shrinks on a host that did not ask for it. */
START_TEST(test_tagged_or_unasked_stay_whole)
{
	tcp_host_shrink_closed(fx->client->tcp, false);
	fx_connect(1000);
	fx_run(1 * S);
	tcp_conn_set_tag(tcp_host_conn(fx->server->tcp, 1), 4);
	fx_connect(5000);
	fx_run(70 * S);		/* both client ends leave TIME-WAIT */
	fx_connect(9000);
	fx_run(71 * S);
	ck_assert(!tcp_host_conn(fx->server->tcp, 1)->shrunk);
	ck_assert(tcp_host_conn(fx->server->tcp, 2)->shrunk);
	ck_assert_int_eq(tcp_conn_state(tcp_host_conn(fx->client->tcp, 1)),
	                 TCP_CLOSED);
	ck_assert(!tcp_host_conn(fx->client->tcp, 1)->shrunk);
}
END_TEST

/* Through the scenario API: the server's connections have no Conn until
 * asked for, closed ones are collected when not held, and every field
 * reads as before; a Conn held by the scenario stays the same object. */
/* The client's TIME-WAITs, entered at 40 and 60 ms, run on host a's
 * timer wheel (seed 1: its jiffies read 46 mod 512 at time 0, tick phase
 * 1.087067 ms): at 40 ms the counter reads 56, at 60 ms 61, + 15000,
 * level 3: both in bucket 15360, 15314 ticks on, 61254.912933 ms. */
START_TEST(test_scenario_reads_closed_connections)
{
	lua_expect_ok("lua", "",
	  "local net = sim.network{ profile = 'linux' }\n"
	  "local a, b = net:host 'a', net:host 'b'\n"
	  "net:link(a, b, { delay = '10ms' })\n"
	  "b:listen(80)\n"
	  "local kept = a:connect(b, 80, { send = 100, close = 'after_send' })\n"
	  "for i = 1, 20 do\n"
	  "  a:connect(b, 80, { at = i * 1000000, send = 100,\n"
	  "                     close = 'after_send' })\n"
	  "end\n"
	  "net:run()\n"
	  "collectgarbage(); collectgarbage()\n"
	  "local s1 = b:conn(1)\n"
	  "sim.expect(tostring(s1) == 'conn(b#1, CLOSED)', tostring(s1))\n"
	  "sim.expect(s1.passive and s1.bytes_received == 100, 'server 1')\n"
	  "sim.expect(s1['local'] == '10.0.0.2:80', s1['local'])\n"
	  "collectgarbage()\n"
	  "sim.expect(b:conn(1) == s1, 'held: the same object')\n"
	  "sim.expect(kept == a:conn(1), 'kept: the same object')\n"
	  "sim.expect(kept.closed_at == 61254912933, kept.closed_at)\n"
	  "local n = 0\n"
	  "for i = 1, b:nconns() do\n"
	  "  local c = b:conn(i)\n"
	  "  if c.state == 'CLOSED' and c.bytes_received == 100 and\n"
	  "     c.handshake_time == 20000000 then n = n + 1 end\n"
	  "end\n"
	  "sim.expect(n == 21, n)\n"
	  "sim.expect(a:conn(21).closed_at == 61254912933,\n"
	  "           a:conn(21).closed_at)\n", NULL);
}
END_TEST

static Suite *
shrink_suite(void)
{
	Suite *s = suite_create("shrink");
	TCase *tc = tcase_create("tcp");
	tcase_add_checked_fixture(tc, setup, fx_teardown_checked);
	tcase_add_test(tc, test_closed_connection_shrinks_and_reads_the_same);
	tcase_add_test(tc, test_tagged_or_unasked_stay_whole);
	suite_add_tcase(s, tc);
	tc = tcase_create("lua");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_scenario_reads_closed_connections);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(shrink_suite());
}
