/*
 * check_narrate.c - the narration (sim/trace/narrate.c) and the CSV files
 * written beside it (sim/trace/csv.c, read back with sim/trace/csvread.c).
 *
 * Golden files: tests/golden/<scenario>.trace.txt hold trace.txt of the
 * shipped scenario at seed 1 minus its first line, which names the path
 * the scenario was given.  A change to the narration must change them,
 * on purpose.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "trace/csvread.h"
#include "net/pkt.h"
#include "trace/narrate.h"

/* Run scenarios/<name>.lua into a fresh folder; returns that folder. */
static const char *
run_scenario_k(const char *name, const char *extra, const char *knob)
{
	static char out[1100];
	char dir[1024], path[1024];
	snprintf(dir, sizeof dir, "%s", test_dir(name));
	snprintf(path, sizeof path, "%s/scenarios/%s.lua", SOURCE_DIR, name);
	snprintf(out, sizeof out, "%s/out", dir);
	char *err = NULL;
	int rc = knob ? run_synsim(NULL, &err, "run", path, "--quiet", "--out",
	                           out, extra, "-K", knob, NULL) :
	         run_synsim(NULL, &err, "run", path, "--quiet", "--out", out,
	                    extra, NULL);
	ck_assert_msg(rc == 0, "%s: exit %d: %s", name, rc, err);
	free(err);
	return out;
}

static const char *
run_scenario(const char *name, const char *extra)
{
	return run_scenario_k(name, extra, NULL);
}

static char *
read_out(const char *dir, const char *file)
{
	char path[1200];
	snprintf(path, sizeof path, "%s/%s", dir, file);
	char *text = read_file(path, NULL);
	ck_assert_msg(text != NULL, "cannot read %s", path);
	return text;
}

static void
check_golden(const char *name)
{
	const char *dir = run_scenario(name, NULL);
	char *got = read_out(dir, "trace.txt");
	char gname[256];
	snprintf(gname, sizeof gname, "%s.trace.txt", name);
	char *want = read_golden(gname);
	const char *body = strchr(got, '\n');
	ck_assert_ptr_nonnull(body);
	ck_assert_msg(strncmp(got, "# synsim run ", 13) == 0, "header: %.60s", got);
	ck_assert_str_eq(body + 1, want);
	free(got);
	free(want);
}

/* SACK blocks in the ACK's numbering; a first block below the ACK, or
 * inside the second, is a D-SACK (RFC 2883 4). */
START_TEST(test_sack_blocks_narrated)
{
	struct pkt p = { .flags = TH_ACK, .seq = 5001, .ack = 1001, .wnd = 501,
	                 .opt = { .present = OPT_TS | OPT_SACK, .nsack = 2,
	                          .sack = { { 1101, 1102 }, { 1101, 1102 } } } };
	struct trace_event ev = { .kind = TR_PKT };
	ev.u.pkt.op = PKT_SEND;
	ev.u.pkt.pkt = &p;
	ev.u.pkt.rel_seq = 1;
	ev.u.pkt.rel_ack = 1;
	char buf[320];
	narrate_pkt(&ev, false, buf, sizeof buf);
	ck_assert_str_eq(buf, "ACK seq 1 ack 1 win 501 <dsack 101:102, sack "
	                 "101:102>");
	p.opt.sack[0][0] = 1201;
	p.opt.sack[0][1] = 1301;
	narrate_pkt(&ev, false, buf, sizeof buf);
	ck_assert_str_eq(buf, "ACK seq 1 ack 1 win 501 <sack 201:301, 101:102>");
	narrate_pkt(&ev, true, buf, sizeof buf);
	ck_assert_str_eq(buf, "ACK seq 5001 ack 1001 win 501 <sack 1201:1301, "
	                 "1101:1102>");
	p.ack = 1101;	/* a repeat of 1:101, after the ACK of it */
	ev.u.pkt.rel_ack = 101;
	p.opt.nsack = 1;
	p.opt.sack[0][0] = 1001;
	p.opt.sack[0][1] = 1101;
	narrate_pkt(&ev, false, buf, sizeof buf);
	ck_assert_str_eq(buf, "ACK seq 1 ack 101 win 501 <dsack 1:101>");
}
END_TEST

START_TEST(test_golden_handshake)
{
	check_golden("handshake");
}
END_TEST

START_TEST(test_golden_lost_synack)
{
	check_golden("lost-synack");
}
END_TEST

START_TEST(test_explain_names_rules)
{
	const char *dir = run_scenario("lost-synack", "--explain");
	char *t = read_out(dir, "trace.txt");
	ck_assert_ptr_nonnull(strstr(t,
		"   0.050048s  server        #1 LISTEN → SYN-RECEIVED (SYN received) "
		"[RFC 9293 3.10.7.2, LISTEN state, third check]\n"));
	ck_assert_ptr_nonnull(strstr(t,
		"   1.112888s  client        #1 SYN-SENT → ESTABLISHED (SYN+ACK "
		"received) [RFC 9293 3.10.7.3, SYN-SENT, fourth check]\n"));
	free(t);
}
END_TEST

/* With --explain each segment a host receives names the rule that
 * decides its fate, on its own line; without, the line is as before (the
 * goldens). */
START_TEST(test_explain_receives)
{
	const char *dir = run_scenario("lost-synack", "--explain");
	char *t = read_out(dir, "trace.txt");
	static const char *const want[] = {
		/* a SYN for a listener */
		"   0.050048s  server        receives SYN seq 0 win 64240 <mss 1460,"
		"sackOK,TS,wscale 7> from client:35655 [RFC 9293 3.10.7.2, LISTEN, "
		"third check: SYN, a new connection]\n",
		/* the client's SYN again, in SYN-RECEIVED (the client's timer
		 * on its wheel at 1.012792873 s, see tcp_fixture.h, then 50 ms
		 * and 48 us) */
		"   1.062840s  server        receives SYN seq 0 win 64240 <mss 1460,"
		"sackOK,TS,wscale 7> from client:35655 [linux: tcp_check_req: the "
		"SYN again, answered with the SYN-ACK again]\n",
		"   1.112888s  client        receives SYN+ACK seq 0 ack 1 win 64240 "
		"<mss 1460,sackOK,TS,wscale 7> from server:80 [RFC 9293 3.10.7.3, "
		"SYN-SENT, fourth check: SYN acknowledging our SYN]\n",
		"   1.162930s  server        receives ACK seq 1 ack 1 win 501 from "
		"client:35655 [RFC 9293 3.10.7.4, SYN-RECEIVED, fifth check: ACK of "
		"our SYN]\n",
		/* data in order */
		"   1.163052s  server        receives PSH+ACK seq 1:101 ack 1 "
		"(100 bytes) win 501 from client:35655 [RFC 9293 3.10.7.4, "
		"ESTABLISHED, fifth check: ACK of nothing new; seventh check: text "
		"in order, delivered]\n",
		"   1.163093s  server        receives FIN+ACK seq 101 ack 1 win 501 "
		"from client:35655 [RFC 9293 3.10.7.4, ESTABLISHED, fifth check: ACK "
		"of nothing new; eighth check: FIN]\n",
		/* an ACK that advances SND.UNA */
		"   1.213093s  client        receives ACK seq 1 ack 101 win 501 from "
		"server:80 [RFC 9293 3.10.7.4, FIN-WAIT-1, fifth check: ACK advances "
		"SND.UNA]\n",
		"   1.263176s  server        receives ACK seq 102 ack 2 win 501 from "
		"client:35655 [RFC 9293 3.10.7.4, LAST-ACK, fifth check: ACK of our "
		"FIN]\n",
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		ck_assert_msg(strstr(t, want[i]) != NULL, "no line %s", want[i]);
	free(t);

	/* With the timers on the nanosecond the server's SYN-ACK timer and
	 * the repeated SYN tie at 1.050048 s: two SYN+ACKs, and the second,
	 * after the handshake, draws a challenge ACK. */
	dir = run_scenario_k("lost-synack", "--explain", "timer_wheel=false");
	t = read_out(dir, "trace.txt");
	assert_has(t, "   1.100144s  client        receives SYN+ACK seq 0 ack 1 win 64240 "
	           "<mss 1460,sackOK,TS,wscale 7> from server:80 [RFC 5961 4.2: the "
	           "SYN again, already acknowledged: challenge ACK]\n");
	free(t);

	/* Out of order, after the outage: held, a duplicate ACK with SACK;
	 * its SACK tells RACK; the retransmission fills the gap. */
	dir = run_scenario("outage", "--explain");
	t = read_out(dir, "trace.txt");
	assert_has(t, "   1.250937s  server        receives PSH+ACK seq 11001:12001 "
	           "ack 1 (1000 bytes) win 501 from client:35655 [RFC 9293 "
	           "3.10.7.4, ESTABLISHED, fifth check: ACK of nothing new; "
	           "seventh check: out of order, held; a duplicate ACK at once "
	           "(RFC 5681 4.2) with SACK blocks (RFC 2018 4)]\n");
	assert_has(t, "   1.300988s  client        receives ACK seq 1 ack 9001 win "
	           "501 <sack 11001:12001> from server:80 [RFC 9293 3.10.7.4, "
	           "ESTABLISHED, fifth check: ACK advances SND.UNA, with SACK "
	           "blocks (RFC 2018), losses by RACK (RFC 8985 6.2)]\n");
	assert_has(t, "   1.351830s  server        receives PSH+ACK seq 9001:10001 "
	           "ack 1 (1000 bytes) win 501 from client:35655 [RFC 9293 "
	           "3.10.7.4, ESTABLISHED, fifth check: ACK of nothing new; "
	           "seventh check: text in order, fills a gap before held data: "
	           "delivered with it, ACK at once (RFC 5681 4.2)]\n");
	free(t);

	/* TIME-WAIT: a repeated FIN, and a new SYN taking the ports. */
	dir = run_scenario("time-wait", "--explain");
	t = read_out(dir, "trace.txt");
	/* the server's probe, on its wheel 300 ms after 150 ms: its counter
	 * 522 + 75 = 597, bucket 600, 461.807652 ms (tcp_fixture.h) */
	assert_has(t, "   0.511807s  client        receives FIN+ACK seq 1 ack 102 "
	           "win 501 from server:80 [linux: tcp_timewait_state_process: "
	           "segment with ACK, TIME-WAIT restarted]\n");
	assert_has(t, "   5.050000s  server        receives SYN seq 0 win 64240 "
	           "<mss 1460,sackOK,TS,wscale 7> from client:40001 [RFC 9293 "
	           "3.6.1; linux: tcp_timewait_state_process: a new SYN above the "
	           "old sequence space takes the ports]\n");
	/* Every segment a host received has its rule. */
	for (const char *p = t; (p = strstr(p, " receives ")) != NULL; p++) {
		const char *eol = strchr(p, '\n');
		ck_assert_msg(eol && eol[-1] == ']', "no rule: %.100s", p);
	}
	free(t);
}
END_TEST

/* What TCP tells the application, in words: a refused connect (the
 * error, then the close), and two bytes in two deliveries of one byte. */
START_TEST(test_app_results)
{
	lua_expect_ok("narrate_app",
	              "local net = sim.network{ profile = 'linux' }\n"
	              "local a = net:host 'a'\n"
	              "local b = net:host 'b'\n"
	              "net:link(a, b, { delay = '10ms' })\n"
	              "b:listen(80)\n",
	              "a:connect(b, 81)\n"
	              "local c = a:connect(b, 80, { at = '1s' })\n"
	              "sim.at('2s', function() c:send(1) end)\n"
	              "sim.at('3s', function() c:send(1) end)\n", NULL);
	char *t = read_out(TEST_TMP "/narrate_app/out", "trace.txt");
	assert_has(t, "   0.020000s  a        #1 the application gets ECONNREFUSED\n"
	           "   0.020000s  a        #1 the application learns the "
	           "connection is closed (ECONNREFUSED)\n");
	assert_has(t, "   1.020000s  a        #2 the application is connected "
	           "(handshake 20ms)\n");
	assert_has(t, "   1.030000s  b        #1 the application accepts the "
	           "connection from a:");
	assert_has(t, "   2.010000s  b        #1 the application gets 1 byte\n");
	assert_has(t, "   3.010000s  b        #1 the application gets 1 byte\n");
	free(t);
}
END_TEST

START_TEST(test_absolute_sequence_numbers)
{
	const char *dir = run_scenario("lost-synack", "--absolute");
	char *t = read_out(dir, "trace.txt");
	/* The client's ISN at seed 1, as packets.csv records it. */
	ck_assert_ptr_nonnull(strstr(t, "  client        sends SYN seq 101460944 win"));
	ck_assert_ptr_null(strstr(t, "sends SYN seq 0 "));
	free(t);
}
END_TEST

/* Timers: expiries with --explain, every set and cancel with --timers. */
START_TEST(test_timers)
{
	const char *dir = run_scenario("lost-synack", "--timers");
	char *t = read_out(dir, "trace.txt");
	ck_assert_ptr_nonnull(strstr(t,
		"   0.000000s  client        sends SYN seq 0 win 64240 <mss 1460,"
		"sackOK,TS,wscale 7> to server:80\n"
		"   0.000000s  client        #1 SYN-RTO timer set for 1.012792s\n"));
	/* The backoff: the retransmission re-arms for twice the time, on
	 * the client's wheel: 2 s after 1.012792873 s is its counter 480 +
	 * 500 = 980, bucket 984: 3.028792873 s (tcp_fixture.h). */
	ck_assert_ptr_nonnull(strstr(t,
		"   1.012792s  client        #1 SYN-RTO timer set for 3.028792s\n"));
	/* The server's timer, due at 1.069807652 s on its wheel, is set
	 * again by the answer to the repeated SYN before it fires. */
	ck_assert_ptr_nonnull(strstr(t,
		"   0.050048s  server        #1 SYN-ACK-RTO timer set for 1.069807s\n"));
	ck_assert_ptr_nonnull(strstr(t,
		"   1.062840s  server        #1 SYN-ACK-RTO timer set for 2.093807s\n"));
	ck_assert_ptr_null(strstr(t, "server        #1 SYN-ACK-RTO timer expired"));
	free(t);

	dir = run_scenario("lost-synack", "--explain");
	t = read_out(dir, "trace.txt");
	ck_assert_ptr_null(strstr(t, "timer set"));
	ck_assert_ptr_nonnull(strstr(t,
		"   1.012792s  client        #1 SYN-RTO timer expired\n"));
	/* TIME-WAIT from 1.213135 s: the client's counter 530 + 15000 =
	 * 15530, level 3, bucket 15872: 62.580792873 s. */
	ck_assert_ptr_nonnull(strstr(t,
		"  62.580792s  client        #1 TIME-WAIT timer expired\n"));
	free(t);
}
END_TEST

/* ---- CSV ------------------------------------------------------------------ */

static int
count_lines(const char *text, const char *needle)
{
	int n = 0;
	for (const char *p = text; (p = strstr(p, needle)) != NULL; p++)
		n++;
	return n;
}

START_TEST(test_packets_csv_matches_trace)
{
	const char *dir = run_scenario("lost-synack", NULL);
	char path[1200];
	snprintf(path, sizeof path, "%s/packets.csv", dir);
	struct csvtab t;
	ck_assert_int_eq(csv_read(path, &t), 0);
	static const char *const cols[] = {
		"t_ns", "pkt_id", "at", "link", "hop_to", "from", "to", "event",
		"flags", "seq", "ack", "rel_seq", "rel_ack", "len", "wnd", "ttl",
		"options", "reason", "rule", "dup_of", "event_no", "retx",
	};
	ck_assert_int_eq(t.ncols, (int)(sizeof cols / sizeof cols[0]));
	for (int i = 0; i < t.ncols; i++) {
		ck_assert_str_eq(t.rows[0][i], cols[i]);
		ck_assert_int_eq(csv_col(&t, cols[i]), i);
	}
	ck_assert_int_eq(csv_col(&t, "nope"), -1);

	char *trace = read_out(dir, "trace.txt");
	int ev = csv_col(&t, "event"), tn = csv_col(&t, "t_ns");
	int nsend = 0, nrecv = 0, ndrop = 0;
	long long last = -1;
	for (int r = 1; r < t.nrows; r++) {
		const char *e = t.rows[r][ev];
		nsend += strcmp(e, "send") == 0;
		nrecv += strcmp(e, "recv") == 0;
		ndrop += strcmp(e, "drop") == 0;
		long long at = atoll(t.rows[r][tn]);
		ck_assert_msg(at >= last, "row %d goes back in time", r);
		last = at;
	}
	/* Every packet line of the narration is a row, and back. */
	ck_assert_int_eq(nsend, count_lines(trace, "  sends "));
	ck_assert_int_eq(nrecv, count_lines(trace, "  receives "));
	ck_assert_int_eq(ndrop, count_lines(trace, " drops "));
	/* 5 handshake (the SYN twice, the SYN+ACK lost and the one that
	 * answers the repeated SYN, the ACK), 1 data, 4 close and ACKs */
	ck_assert_int_eq(nsend, 10);
	ck_assert_int_eq(ndrop, 1);

	/* The lost SYN+ACK, field by field. */
	int drop_row = 0;
	for (int r = 1; r < t.nrows; r++)
		if (strcmp(t.rows[r][ev], "drop") == 0)
			drop_row = r;
	char **d = t.rows[drop_row];
	ck_assert_str_eq(d[csv_col(&t, "t_ns")], "50048000");
	ck_assert_str_eq(d[csv_col(&t, "pkt_id")], "2");
	ck_assert_str_eq(d[csv_col(&t, "at")], "client-server");
	ck_assert_str_eq(d[csv_col(&t, "hop_to")], "client");
	ck_assert_str_eq(d[csv_col(&t, "from")], "server");
	ck_assert_str_eq(d[csv_col(&t, "to")], "client");
	ck_assert_str_eq(d[csv_col(&t, "flags")], "SYN+ACK");
	ck_assert_str_eq(d[csv_col(&t, "rel_seq")], "0");
	ck_assert_str_eq(d[csv_col(&t, "rel_ack")], "1");
	ck_assert_str_eq(d[csv_col(&t, "len")], "0");
	ck_assert_str_eq(d[csv_col(&t, "reason")],
	                 "rule #1: 1st SYN+ACK from server");
	ck_assert_str_eq(d[csv_col(&t, "rule")], "1");
	ck_assert_str_eq(d[csv_col(&t, "dup_of")], "");
	free(trace);
	csv_tab_free(&t);
}
END_TEST

START_TEST(test_states_csv_matches_trace)
{
	const char *dir = run_scenario("lost-synack", NULL);
	char path[1200];
	snprintf(path, sizeof path, "%s/states.csv", dir);
	struct csvtab t;
	ck_assert_int_eq(csv_read(path, &t), 0);
	ck_assert_int_eq(t.ncols, 9);
	ck_assert_str_eq(t.rows[0][0], "t_ns");
	ck_assert_str_eq(t.rows[0][6], "rule");
	ck_assert_str_eq(t.rows[0][7], "event_no");
	ck_assert_str_eq(t.rows[0][8], "peer");
	char *trace = read_out(dir, "trace.txt");
	ck_assert_int_eq(t.nrows - 1, count_lines(trace, " → "));
	/* Row 1: the client's connect; its rule holds a comma, so it is
	 * quoted in the file and whole here. */
	ck_assert_str_eq(t.rows[1][1], "client");
	ck_assert_str_eq(t.rows[1][3], "CLOSED");
	ck_assert_str_eq(t.rows[1][4], "SYN-SENT");
	ck_assert_str_eq(t.rows[1][6], "RFC 9293 3.10.1, OPEN call, CLOSED state");
	ck_assert_str_eq(t.rows[1][8], "server");
	/* The server's connection: its peer is the client. */
	ck_assert_str_eq(t.rows[2][1], "server");
	ck_assert_str_eq(t.rows[2][8], "client");
	/* Each state line of the narration, rebuilt from its row. */
	for (int r = 1; r < t.nrows; r++) {
		char line[256];
		snprintf(line, sizeof line, "#%s %s → %s (%s)", t.rows[r][2],
		         t.rows[r][3], t.rows[r][4], t.rows[r][5]);
		ck_assert_msg(strstr(trace, line) != NULL, "no '%s' in the trace",
		              line);
	}
	free(trace);
	csv_tab_free(&t);
}
END_TEST

/* The reader on hand-made input: quoting, embedded newlines, ragged rows. */
START_TEST(test_csvread_quoting)
{
	const char *dir = test_dir("csvread");
	char path[1100];
	snprintf(path, sizeof path, "%s/q.csv", dir);
	write_file(path, "a,b,c\n1,\"x,y\",\"say \"\"hi\"\"\"\n,,\"two\nlines\"\n");
	struct csvtab t;
	ck_assert_int_eq(csv_read(path, &t), 0);
	ck_assert_int_eq(t.nrows, 3);
	ck_assert_int_eq(t.ncols, 3);
	ck_assert_str_eq(t.rows[1][1], "x,y");
	ck_assert_str_eq(t.rows[1][2], "say \"hi\"");
	ck_assert_str_eq(t.rows[2][0], "");
	ck_assert_str_eq(t.rows[2][2], "two\nlines");
	csv_tab_free(&t);

	/* What is wrong, and in which row (0: the header). */
	static const struct { const char *text, *msg; } bad[] = {
		{ "a,b\n1,2,3\n", "row 1: more fields than the header" },
		{ "a,b\n1,2\n3\n", "row 2: fewer fields than the header" },
		{ "a,b\n1,\"2\n", "row 1: a quote is not closed" },
		{ "a,b\n1,\"2\"x\n", "row 1: text after a closing quote" },
		{ "a,b\n1,2\n3,4\n\0\n5,6\n",
		  "row 3: a NUL byte (not a CSV text file?)" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		size_t len = strlen(bad[i].text);
		if (i == 4)
			len += 6;	/* past the NUL */
		FILE *f = fopen(path, "wb");
		ck_assert_ptr_nonnull(f);
		fwrite(bad[i].text, 1, len, f);
		fclose(f);
		ck_assert_int_eq(csv_read(path, &t), -1);
		char msg[1400], want[1400];
		snprintf(want, sizeof want, "%s %s", path, bad[i].msg);
		ck_assert_str_eq(csv_error(path, &t, msg, sizeof msg), want);
	}
	snprintf(path, sizeof path, "%s/missing.csv", dir);
	ck_assert_int_eq(csv_read(path, &t), -1);
	char msg[1400], want[1400];
	snprintf(want, sizeof want, "cannot read %s: No such file or directory",
	         path);
	ck_assert_str_eq(csv_error(path, &t, msg, sizeof msg), want);
}
END_TEST

static Suite *
narrate_suite(void)
{
	Suite *s = suite_create("narrate");
	TCase *tc = tcase_create("narration");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_sack_blocks_narrated);
	tcase_add_test(tc, test_golden_handshake);
	tcase_add_test(tc, test_golden_lost_synack);
	tcase_add_test(tc, test_explain_names_rules);
	tcase_add_test(tc, test_explain_receives);
	tcase_add_test(tc, test_app_results);
	tcase_add_test(tc, test_absolute_sequence_numbers);
	tcase_add_test(tc, test_timers);
	suite_add_tcase(s, tc);
	tc = tcase_create("csv");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_packets_csv_matches_trace);
	tcase_add_test(tc, test_states_csv_matches_trace);
	tcase_add_test(tc, test_csvread_quoting);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(narrate_suite());
}
