/*
 * check_l_trace.c - trace hooks for scenarios (sim/lua/l_trace.c):
 * net:on(kind, fn).  Each scenario pins what its hooks saw with
 * sim.expect, so exit 0 and an empty stderr mean every check held.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

/* A 50 ms link without rate limit: every one-way trip takes exactly
 * 50 ms.  The server's first SYN+ACK is lost. */
/* The timers on the nanosecond (the knob timer_wheel off): these tests
 * are about the scenario API and name events by their exact times; when
 * Linux's timer wheel fires each timer is pinned in check_tcp and
 * check_tcp_timer. */
static const char *prelude =
	"local net = sim.network{ profile = 'linux', tcp = { timer_wheel = false } }\n"
	"local client = net:host 'client'\n"
	"local server = net:host 'server'\n"
	"local link = net:link(client, server, { delay = '50ms' })\n"
	"link:drop{ from = server, flags = 'SYN+ACK', nth = 1 }\n"
	"server:listen(80)\n";

#define run_lua(name, body, out, err) \
	lua_run(name, prelude, body, NULL, out, err)
#define expect_ok(name, body) lua_expect_ok(name, prelude, body, NULL)

START_TEST(test_drop_event_fields)
{
	expect_ok("drop_fields",
	          "local seen = {}\n"
	          "net:on('drop', function(ev) seen[#seen + 1] = ev end)\n"
	          "client:connect(server, 80)\n"
	          "net:run{ ['until'] = '5s' }\n"
	          "sim.expect(#seen == 1, 'one drop')\n"
	          "local ev = seen[1]\n"
	          "sim.expect(ev.kind == 'drop', ev.kind)\n"
	          "sim.expect(ev.t == 50000000, 'dropped at 50 ms')\n"
	          "sim.expect(ev.flags == 'SYN+ACK', ev.flags)\n"
	          "sim.expect(ev.from == 'server' and ev.to == 'client', 'direction')\n"
	          "sim.expect(ev.src == '10.0.0.2' and ev.dst == '10.0.0.1', ev.src)\n"
	          "sim.expect(ev.sport == 80, 'sport')\n"
	          "sim.expect(ev.link == 'client-server', ev.link)\n"
	          "sim.expect(ev.rel_seq == 0 and ev.rel_ack == 1, 'relative numbers')\n"
	          "sim.expect(ev.rule == 1, 'rule number')\n"
	          "sim.expect(ev.reason == 'rule #1: 1st SYN+ACK from server', ev.reason)\n"
	          "sim.expect(ev.len == 0 and ev.id == 2, 'len and id')\n");
}
END_TEST

/* A receive at a host carries the rule TCP applied to it; other packet
 * events have none. */
START_TEST(test_recv_decision)
{
	expect_ok("recv_decision",
	          "local seen = {}\n"
	          "net:on('packet', function(ev)\n"
	          "  sim.expect((ev.kind == 'recv') == (ev.decision ~= nil),\n"
	          "             ev.kind .. ' ' .. tostring(ev.decision))\n"
	          "  if ev.kind == 'recv' then seen[#seen + 1] = ev.decision end\n"
	          "end)\n"
	          "client:connect(server, 80)\n"
	          "net:run{ ['until'] = '5s' }\n"
	          "sim.expect(seen[1] == 'RFC 9293 3.10.7.2, LISTEN, third check: '\n"
	          "           .. 'SYN, a new connection', seen[1])\n"
	          "sim.expect(seen[3] == 'RFC 9293 3.10.7.3, SYN-SENT, fourth '\n"
	          "           .. 'check: SYN acknowledging our SYN', seen[3])\n");
}
END_TEST

/* Every packet kind and the catch-all "packet": counts over the lost
 * SYN+ACK run.  Sends: SYN, SYN+ACK (lost), SYN (1 s), SYN+ACK (RTO at
 * 1.05 s), SYN+ACK (answer to the retransmitted SYN), ACK, and the ACK
 * that answers the second, now old, SYN+ACK = 7; received: SYN, SYN,
 * SYN+ACK, SYN+ACK, ACK, ACK = 6. */
START_TEST(test_packet_kinds_counted)
{
	expect_ok("pkt_kinds",
	          "local n = { send = 0, recv = 0, drop = 0, packet = 0 }\n"
	          "for _, k in ipairs{ 'send', 'recv', 'drop', 'packet' } do\n"
	          "  net:on(k, function(ev)\n"
	          "    sim.expect(k == 'packet' or ev.kind == k, 'kind ' .. k)\n"
	          "    n[k] = n[k] + 1 end)\n"
	          "end\n"
	          "client:connect(server, 80)\n"
	          "net:run{ ['until'] = '5s' }\n"
	          "sim.expect(n.send == 7, 'sends ' .. n.send)\n"
	          "sim.expect(n.recv == 6, 'recvs ' .. n.recv)\n"
	          "sim.expect(n.drop == 1, 'drops ' .. n.drop)\n"
	          "sim.expect(n.packet == 14, 'packets ' .. n.packet)\n");
}
END_TEST

START_TEST(test_state_events_in_order)
{
	expect_ok("states",
	          "local s = {}\n"
	          "net:on('state', function(ev)\n"
	          "  s[#s + 1] = string.format('%d %s#%d %s>%s', ev.t, ev.host,\n"
	          "    ev.conn, ev.from, ev.to) end)\n"
	          "client:connect(server, 80)\n"
	          "net:run{ ['until'] = '5s' }\n"
	          "local want = table.concat({\n"
	          "  '0 client#1 CLOSED>SYN-SENT',\n"
	          "  '50000000 server#1 LISTEN>SYN-RECEIVED',\n"
	          "  '1100000000 client#1 SYN-SENT>ESTABLISHED',\n"
	          "  '1150000000 server#1 SYN-RECEIVED>ESTABLISHED' }, ',')\n"
	          "sim.expect(table.concat(s, ',') == want, table.concat(s, ','))\n");
}
END_TEST

START_TEST(test_timer_and_app_events)
{
	/* The timers that fire: the client's SYN RTO at 1 s, the server's
	 * SYN-ACK RTO 1 s after its SYN+ACK at 50 ms. */
	expect_ok("timers",
	          "local fired, calls = {}, {}\n"
	          "net:on('timer', function(ev)\n"
	          "  if ev.op == 'fire' then fired[#fired + 1] = ev.host .. ':' .. ev.name .. '@' .. ev.t end\n"
	          "end)\n"
	          "net:on('app', function(ev) calls[#calls + 1] = ev.host .. ':' .. ev.call end)\n"
	          "client:connect(server, 80)\n"
	          "net:run{ ['until'] = '5s' }\n"
	          "local f = table.concat(fired, ',')\n"
	          "sim.expect(f == 'client:SYN-RTO@1000000000,server:SYN-ACK-RTO@1050000000', f)\n"
	          "local want = 'client:connect,client:connected,server:accepted'\n"
	          "sim.expect(table.concat(calls, ',') == want, table.concat(calls, ','))\n");
}
END_TEST

/* What TCP tells the application, as app events: the open with its
 * handshake time, the accept, each delivery with its bytes, the close
 * (with the error when there is one), in that order and before what the
 * application does about them. */
START_TEST(test_app_results)
{
	expect_ok("app_results",
	          "local seen = {}\n"
	          "net:on('app', function(ev)\n"
	          "  local s = ev.t .. ' ' .. ev.host .. '#' .. ev.conn .. ' ' .. ev.call\n"
	          "  if ev.handshake then s = s .. ' handshake=' .. ev.handshake end\n"
	          "  if ev.bytes then s = s .. ' bytes=' .. ev.bytes end\n"
	          "  if ev.detail then s = s .. ' ' .. ev.detail end\n"
	          "  seen[#seen + 1] = s\n"
	          "end)\n"
	          "client:connect(server, 80, { send = 100, close = 'after_send' })\n"
	          "client:connect(server, 81)\n"
	          "net:run{ ['until'] = '100s' }\n"
	          "local want = table.concat({\n"
	          "  '0 client#1 connect',\n"
	          "  '0 client#2 connect',\n"
	          "  '100000000 client#2 error ECONNREFUSED',\n"
	          "  '100000000 client#2 closed ECONNREFUSED',\n"
	          "  '1100000000 client#1 connected handshake=1100000000',\n"
	          "  '1100000000 client#1 close',\n"
	          "  '1150000000 server#1 accepted',\n"
	          "  '1150000000 server#1 data bytes=100',\n"
	          "  '1150000000 server#1 eof',\n"
	          "  '1150000000 server#1 close',\n"
	          "  '1250000000 server#1 closed',\n"
	          "  '61200000000 client#1 closed' }, '; ')\n"
	          "local got = table.concat(seen, '; ')\n"
	          "sim.expect(got == want, got)\n");
}
END_TEST

/* Hooks run after the event that caused them, at the same simulated
 * time, so they may change the world: closing from a state hook. */
START_TEST(test_hook_may_act)
{
	expect_ok("act",
	          "local conn = client:connect(server, 80)\n"
	          "net:on('state', function(ev)\n"
	          "  if ev.host == 'client' and ev.to == 'ESTABLISHED' then\n"
	          "    sim.expect(sim.now() == ev.t, 'same time')\n"
	          "    conn:close()\n"
	          "  end\n"
	          "end)\n"
	          "net:run{ ['until'] = '5s' }\n"
	          "sim.expect(conn.state == 'TIME-WAIT', conn.state)\n");
}
END_TEST

START_TEST(test_same_bytes_twice)
{
	const char *body =
		"net:on('packet', function(ev) print(ev.t, ev.kind, ev.flags, ev.seq) end)\n"
		"client:connect(server, 80, { send = 3000, close = 'after_send' })\n"
		"net:run{ ['until'] = '5s' }\n";
	char *a = NULL, *b = NULL;
	ck_assert_int_eq(run_lua("twice_a", body, NULL, NULL), 0);
	ck_assert_int_eq(run_lua("twice_b", body, NULL, NULL), 0);
	a = read_file(TEST_TMP "/twice_a/out/trace.txt", NULL);
	b = read_file(TEST_TMP "/twice_b/out/trace.txt", NULL);
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert_ptr_nonnull(strstr(a, "0 send SYN "));
	/* The first line names the scenario's path, which differs. */
	ck_assert_str_eq(strchr(a, '\n'), strchr(b, '\n'));
	free(a);
	free(b);
}
END_TEST

START_TEST(test_errors)
{
	char *err = NULL;
	int rc = run_lua("badkind", "net:on('drops', print)\n", NULL, &err);
	ck_assert_int_eq(rc, 2);
	ck_assert_msg(strstr(err, "s.lua:7:") && strstr(err, "invalid option 'drops'"),
	              "%s", err);
	free(err);
	rc = run_lua("badfn", "net:on('drop', 5)\n", NULL, &err);
	ck_assert_int_eq(rc, 2);
	ck_assert_msg(strstr(err, "s.lua:7:") && strstr(err, "function expected"),
	              "%s", err);
	free(err);
	rc = run_lua("hookerr",
	             "net:on('send', function(ev) error('boom at ' .. ev.flags) end)\n"
	             "client:connect(server, 80)\n", NULL, &err);
	ck_assert_int_eq(rc, 2);
	ck_assert_msg(strstr(err, "s.lua:7: boom at SYN"), "%s", err);
	free(err);
}
END_TEST

/* summary.json's "events" and "fingerprint" fields of the run in dir. */
static void
events_and_fingerprint(const char *dir, char *buf, size_t len)
{
	char path[1200];
	snprintf(path, sizeof path, "%s/summary.json", dir);
	char *sum = read_file(path, NULL);
	ck_assert_ptr_nonnull(sum);
	const char *ev = strstr(sum, "\n  \"events\": ");
	const char *fp = strstr(sum, "\n  \"fingerprint\": ");
	ck_assert_msg(ev && fp, "%s", sum);
	snprintf(buf, len, "%.*s %.*s", (int)strcspn(ev + 1, ","), ev + 1,
	         (int)strcspn(fp + 1, ","), fp + 1);
	free(sum);
}

/* Hooks that only watch do not change the run: the same scheduler event
 * count and fingerprint as without them, and --max-events cuts at the
 * same event. */
START_TEST(test_watching_changes_nothing)
{
	static const char body[] =
		"local n = 0\n"
		"if sim.param('watch', 0) == 1 then\n"
		"  net:on('packet', function() n = n + 1 end)\n"
		"  net:on('state', function() n = n + 1 end)\n"
		"  net:on('timer', function() n = n + 1 end)\n"
		"end\n"
		"client:connect(server, 80, { send = 100, close = 'after_send' })\n";
	char scen[1300], dir[1200], want[200], got[200];
	snprintf(dir, sizeof dir, "%s", test_dir("watching"));
	snprintf(scen, sizeof scen, "%s/s.lua", dir);
	char *text = malloc(strlen(prelude) + sizeof body);
	strcpy(text, prelude);
	strcat(text, body);
	write_file(scen, text);
	free(text);
	static const char *const limits[] = { NULL, "1", "5", "12" };
	for (size_t i = 0; i < sizeof limits / sizeof limits[0]; i++) {
		char out[2][1400];
		for (int w = 0; w < 2; w++) {
			snprintf(out[w], sizeof out[w], "%s/o%zu-%d", dir, i, w);
			const char *d = w ? "watch=1" : "watch=0";
			int rc = limits[i] ?
			         SYNSIM("run", scen, "-q", "--out", out[w], "-D", d,
			                "--max-events", limits[i]) :
			         SYNSIM("run", scen, "-q", "--out", out[w], "-D", d);
			ck_assert_int_eq(rc, 0);
		}
		events_and_fingerprint(out[0], want, sizeof want);
		events_and_fingerprint(out[1], got, sizeof got);
		ck_assert_msg(strcmp(want, got) == 0, "--max-events %s: %s with "
		              "hooks, %s without", limits[i] ? limits[i] : "none",
		              got, want);
	}
}
END_TEST

/* A run that writes only summary.json keeps no relative-number table
 * until a hook asks for one: a hook subscribed after the handshake
 * still sees numbers counted from each direction's ISN. */
START_TEST(test_late_hook_relative_numbers)
{
	static const char body[] =
		"local seen = {}\n"
		"local c = client:connect(server, 80)\n"
		"sim.at('1500ms', function()\n"
		"  sim.expect(c.state == 'ESTABLISHED', c.state)\n"
		"  net:on('recv', function(ev) seen[#seen + 1] = ev end)\n"
		"  c:send(100)\n"
		"end)\n"
		"net:run{ ['until'] = '5s' }\n"
		"sim.expect(#seen == 2, #seen .. ' packets')\n"
		"local data, ack = seen[1], seen[2]\n"
		"sim.expect(data.to == 'server' and data.len == 100, 'data first')\n"
		"sim.expect(data.rel_seq == 1 and data.rel_ack == 1,\n"
		"           'data ' .. data.rel_seq .. ' ' .. data.rel_ack)\n"
		"sim.expect(ack.to == 'client' and ack.rel_seq == 1 and\n"
		"           ack.rel_ack == 101, 'ACK ' .. ack.rel_seq .. ' ' .. ack.rel_ack)\n";
	char scen[1300], out[1300];
	const char *dir = test_dir("late_hook");
	snprintf(scen, sizeof scen, "%s/s.lua", dir);
	snprintf(out, sizeof out, "%s/out", dir);
	char *text = malloc(strlen(prelude) + sizeof body);
	ck_assert_ptr_nonnull(text);
	strcpy(text, prelude);
	strcat(text, body);
	write_file(scen, text);
	free(text);
	char *err = NULL;
	int rc = run_synsim(NULL, &err, "run", scen, "--quiet", "--outputs",
	                    "summary", "--out", out, NULL);
	ck_assert_msg(rc == 0, "exit %d: %s", rc, err);
	ck_assert_str_eq(err, "");
	free(err);
}
END_TEST

static Suite *
l_trace_suite(void)
{
	Suite *s = suite_create("l_trace");
	TCase *tc = tcase_create("hooks");
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, NULL, synsim_reset);
	tcase_add_test(tc, test_drop_event_fields);
	tcase_add_test(tc, test_recv_decision);
	tcase_add_test(tc, test_app_results);
	tcase_add_test(tc, test_packet_kinds_counted);
	tcase_add_test(tc, test_state_events_in_order);
	tcase_add_test(tc, test_timer_and_app_events);
	tcase_add_test(tc, test_hook_may_act);
	tcase_add_test(tc, test_same_bytes_twice);
	tcase_add_test(tc, test_errors);
	tcase_add_test(tc, test_watching_changes_nothing);
	tcase_add_test(tc, test_late_hook_relative_numbers);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(l_trace_suite());
}
