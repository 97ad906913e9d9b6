/*
 * check_shrink.c - closed connections shrink to small records
 * (tcp_host_shrink_closed, tcp_conn_release in sim/tcp/tcp.c) and read
 * the same afterwards, in C and through the scenario API, whose Conn
 * objects of closed connections are held weakly (sim/lua/l_tcp.c); or
 * go altogether where nothing reads them (tcp_host_forget_closed,
 * sim.network's keep_closed).
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

/* After a `net`: 21 connections from a to b, one a millisecond, 100
 * bytes each, the first held by the scenario as `kept`; run to the end
 * and collect. */
#define TWENTY_ONE_CONNS \
	"local a, b = net:host 'a', net:host 'b'\n" \
	"net:link(a, b, { delay = '10ms' })\n" \
	"b:listen(80)\n" \
	"local kept = a:connect(b, 80, { send = 100, close = 'after_send' })\n" \
	"for i = 1, 20 do\n" \
	"  a:connect(b, 80, { at = i * 1000000, send = 100,\n" \
	"                     close = 'after_send' })\n" \
	"end\n" \
	"net:run()\n" \
	"collectgarbage(); collectgarbage()\n"

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
	  TWENTY_ONE_CONNS
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

/* A client's Conn that has done its work (sent, closed, no callback) is
 * held weakly from its close on: in TIME-WAIT, collected, the
 * connection reads the same through a new Conn; a callback set on a
 * Conn held weakly holds it again, and fires at the end of TIME-WAIT
 * though the scenario dropped the Conn. */
START_TEST(test_scenario_lets_go_of_done_conns)
{
	/* Timers on the nanosecond (the wheel's rounding is the timer
	 * suite's), so that the two ends of TIME-WAIT are 1 ms apart. */
	lua_expect_ok("letgo", "",
	  "local net = sim.network{ profile = 'linux',\n"
	  "                         tcp = { timer_wheel = false } }\n"
	  "local a, b = net:host 'a', net:host 'b'\n"
	  "net:link(a, b, { delay = '10ms' })\n"
	  "b:listen(80, { close = 'on_eof' })\n"
	  "a:connect(b, 80, { send = 100, close = 'after_send' })\n"
	  "local kept = a:connect(b, 80, { at = '1ms', send = 100,\n"
	  "                                close = 'after_send' })\n"
	  "local closed_at\n"
	  "sim.at('1s', function()\n"
	  "  collectgarbage(); collectgarbage()\n"
	  "  sim.expect(a:conn(1).state == 'TIME-WAIT' and\n"
	  "             a:conn(1).bytes_acked == 100, a:conn(1).state)\n"
	  "  sim.expect(kept == a:conn(2), 'a held Conn is the same object')\n"
	  "end)\n"
	  "sim.at('2s', function()\n"
	  "  kept.on_close = function(c) closed_at = sim.now() end\n"
	  "  kept = nil\n"
	  "end)\n"
	  "sim.at('3s', function() collectgarbage(); collectgarbage() end)\n"
	  "net:run()\n"
	  "sim.expect(closed_at == 60041000000, closed_at)\n"
	  "sim.expect(a:conn(1).closed_at == 60040000000, a:conn(1).closed_at)\n"
	  "sim.expect(a:conn(2).closed_at == 60041000000, a:conn(2).closed_at)\n",
	  NULL);
}
END_TEST

/* ---- forgetting closed connections ------------------------------------------ */

/* A host that forgets closed connections keeps their numbers and their
 * outcomes only: the server's first end (closed cleanly at 250 ms) and
 * its second (aborted by the application) go when the next segment
 * arrives; the client, which did not ask, keeps both ends. */
START_TEST(test_forgotten_connections_leave_their_outcomes)
{
	tcp_host_forget_closed(fx->server->tcp, true);
	fx_connect(1000);
	fx_run(1 * S);
	ck_assert_int_eq(tcp_conn_state(tcp_host_conn(fx->server->tcp, 1)),
	                 TCP_CLOSED);
	fx->client_close = false;
	fx_connect(5000);
	fx_run(2 * S);
	ck_assert_ptr_null(tcp_host_conn(fx->server->tcp, 1));
	struct tcp_conn *s2 = tcp_host_conn(fx->server->tcp, 2);
	ck_assert_int_eq(tcp_conn_state(s2), TCP_ESTABLISHED);
	ck_assert_int_eq(tcp_abort(s2), 0);
	fx_run(3 * S);
	fx_connect(9000);
	fx_run(4 * S);
	ck_assert_ptr_null(tcp_host_conn(fx->server->tcp, 2));
	ck_assert_int_eq(tcp_host_nconns(fx->server->tcp), 3);
	ck_assert_int_eq(tcp_conn_id(tcp_host_conn(fx->server->tcp, 3)), 3);
	const struct tcp_forgotten *f = tcp_host_forgotten(fx->server->tcp);
	ck_assert_uint_eq(f->closed, 1);
	ck_assert_uint_eq(f->never, 0);
	ck_assert_uint_eq(f->error[-SIM_ECONNABORTED], 1);
	uint64_t errors = 0;
	for (int e = 0; e < SIM_ENERRORS; e++)
		errors += f->error[e];
	ck_assert_uint_eq(errors, 1);
	ck_assert(tcp_host_conn(fx->client->tcp, 1) != NULL);
	ck_assert_int_eq(tcp_conn_state(tcp_host_conn(fx->client->tcp, 2)),
	                 TCP_CLOSED);
	ck_assert_uint_eq(tcp_host_forgotten(fx->client->tcp)->closed, 0);
}
END_TEST

/* Connections are kept in pages of TCP_CONN_PAGE: once every
 * connection of a page is forgotten the page goes, and the numbers
 * stay: the 1101st connection is #1101 and reads as it should. */
START_TEST(test_forgotten_pages_go)
{
	struct tcp_host *c = fx->client->tcp, *s = fx->server->tcp;
	tcp_host_forget_closed(c, true);
	tcp_host_forget_closed(s, true);
	fx->client_send = 10;
	for (int i = 0; i < 1100; i++) {
		fx_connect(1000);
		fx_run(sim_now(&fx->sim) + 1 * MS);
	}
	fx_run(100 * S);
	ck_assert_int_eq(tcp_host_nconns(c), 1100);
	/* The client's ends closed out of TIME-WAIT by 61.1 s and go at
	 * the next segment's arrival, the server's last one too. */
	ck_assert_ptr_nonnull(c->pages[0]);
	ck_assert_int_eq(tcp_conn_state(tcp_host_conn(c, 1100)), TCP_CLOSED);
	struct tcp_conn *n = fx_connect(1000);
	ck_assert_int_eq(tcp_conn_id(n), 1101);
	fx_run(100 * S + 200 * MS);
	ck_assert_uint_eq(tcp_host_forgotten(c)->closed, 1100);
	ck_assert_uint_eq(tcp_host_forgotten(s)->closed, 1100);
	ck_assert_ptr_null(c->pages[0]);
	ck_assert_ptr_null(s->pages[0]);
	ck_assert_int_eq(c->pages[1]->used, 1);
	ck_assert_ptr_null(tcp_host_conn(c, 5));
	ck_assert_ptr_null(tcp_host_conn(c, 1100));
	ck_assert_ptr_eq(tcp_host_conn(c, 1101), n);
	ck_assert_int_eq(tcp_host_nconns(c), 1101);
	ck_assert_int_eq(tcp_conn_state(n), TCP_TIME_WAIT);
	fx_run(200 * S);	/* nothing left in flight */
}
END_TEST

/* The scenario of the forgetting tests: 21 connections from a to b, the
 * first held by the scenario; with keep_closed = false, host:conn of a
 * closed connection is an error the scenario catches and checks. */
static const char forget_scenario[] =
	"local keep = sim.param('keep', false)\n"
	"local net = sim.network{ profile = 'linux', keep_closed = keep }\n"
	TWENTY_ONE_CONNS
	"sim.expect(a:nconns() == 21 and b:nconns() == 21, 'numbers kept')\n"
	"sim.expect(kept.state == 'CLOSED' and kept.bytes_acked == 100,\n"
	"           'a held Conn reads its connection')\n"
	"local function refused(h, n, name)\n"
	"  local ok, err = pcall(h.conn, h, n)\n"
	"  sim.expect(not ok and err:find(name .. \"'s connection #\" .. n ..\n"
	"             ' is closed, and closed connections are not kept ' ..\n"
	"             \"%(sim.network's keep_closed = false%)\"), err)\n"
	"end\n"
	"if not keep then\n"
	"  refused(b, 2, 'b')\n"
	"  refused(a, 1, 'a')\n"
	"else\n"
	"  sim.expect(b:conn(2).bytes_received == 100, 'kept')\n"
	"end\n";

/* Run it into folder name with these outputs and -D keep=...; returns
 * summary.json. */
static char *
run_forget(const char *name, const char *outputs, const char *keep)
{
	char dir[1024], path[1200], outdir[1100], *err = NULL;
	snprintf(dir, sizeof dir, "%s", test_dir(name));
	snprintf(path, sizeof path, "%s/s.lua", dir);
	snprintf(outdir, sizeof outdir, "%s/out", dir);
	write_file(path, forget_scenario);
	int rc = run_synsim(NULL, &err, "run", path, "--quiet", "--out", outdir,
	                    "--outputs", outputs, "-D", keep, NULL);
	ck_assert_msg(rc == 0, "%s: exit %d: %s", name, rc, err);
	ck_assert_str_eq(err, "");
	free(err);
	snprintf(path, sizeof path, "%s/summary.json", outdir);
	return read_file(path, NULL);
}

/* The summary of a run that forgets closed connections is the one that
 * keeps them, fingerprint included; host:conn refuses a closed connection
 * whether this run kept it (per-connection records asked for) or not. */
START_TEST(test_scenario_forgets_closed_connections)
{
	char *f = run_forget("forget", "summary", "keep=false");
	char *k = run_forget("keep", "summary", "keep=true");
	assert_has(f, "\"expectations_failed\": 0,");
	assert_has(f, "\"connection_count\": 42,\n"
	           "  \"outcomes\": {\"closed\": 42},");
	/* The same but for the parameters and the scenario's hash. */
	const char *ff = strstr(f, "\"fingerprint\"");
	const char *kf = strstr(k, "\"fingerprint\"");
	ck_assert_ptr_nonnull(ff);
	ck_assert_ptr_nonnull(kf);
	ck_assert_str_eq(ff, kf);
	free(f);
	free(k);
	char *c = run_forget("forget_conns", "summary,connections", "keep=false");
	assert_has(c, "\"expectations_failed\": 0,");
	assert_has(c, "\"connections\": [");
	free(c);
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
	tcase_add_test(tc, test_forgotten_connections_leave_their_outcomes);
	tcase_add_test(tc, test_forgotten_pages_go);
	suite_add_tcase(s, tc);
	tc = tcase_create("lua");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_scenario_reads_closed_connections);
	tcase_add_test(tc, test_scenario_forgets_closed_connections);
	tcase_add_test(tc, test_scenario_lets_go_of_done_conns);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(shrink_suite());
}
