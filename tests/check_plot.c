/*
 * check_plot.c - `synsim plot` through the built binary and the real
 * gnuplot: the pictures' formats and sizes, the exact rows of the ladder
 * data for lost-synack, errors (missing input, missing gnuplot, a gnuplot
 * warning, damaged CSV files, windows outside the run), that a failing
 * plot leaves the folder as it was, and byte-identical pictures from the
 * same run.  gnuplot must
 * be installed (Debian: gnuplot-nox); without it these tests fail.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/outfile.h"
#include "helpers.h"

static bool
exists(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0;
}

/* The run folder holds no temporary file (".NAME.tmp"). */
static void
assert_no_temporaries(void)
{
	char *tmps = dir_listing(in_dir("run"), ".tmp");
	ck_assert_str_eq(tmps, "");
	free(tmps);
}

/*
 * The runs these tests draw have their TCP timers on the nanosecond
 * (-K timer_wheel=false, NOWHEEL): the rows they pin are the drawing's
 * rules applied to a run, and the run's round times keep them readable.
 * The same pictures of the default runs, timer wheel and all, are
 * docs/'s (check_docs) and check_axis's.
 */
#define NOWHEEL "-K", "timer_wheel=false"

/* lost-synack run into dir/run; returns that folder. */
static const char *
lost_synack(const char *name)
{
	static char run[1200];
	snprintf(syn_dir, sizeof syn_dir, "%s", test_dir(name));
	snprintf(run, sizeof run, "%s", in_dir("run"));
	ck_assert_int_eq(SYNSIM("run", SOURCE_DIR "/scenarios/lost-synack.lua",
	                        "--out", run, "-q", NOWHEEL), 0);
	return run;
}

/* A PNG's size from its IHDR chunk (bytes 16-23, big-endian). */
static void
assert_png(const char *path, uint32_t w, uint32_t h)
{
	size_t len;
	unsigned char *b = (unsigned char *)read_file(path, &len);
	ck_assert_msg(b != NULL, "no %s", path);
	ck_assert_uint_ge(len, 24);
	ck_assert_mem_eq(b, "\x89PNG\r\n\x1a\n", 8);
	ck_assert_mem_eq(b + 12, "IHDR", 4);
	uint32_t pw = (uint32_t)b[16] << 24 | (uint32_t)b[17] << 16 |
	              (uint32_t)b[18] << 8 | b[19];
	uint32_t ph = (uint32_t)b[20] << 24 | (uint32_t)b[21] << 16 |
	              (uint32_t)b[22] << 8 | b[23];
	ck_assert_uint_eq(pw, w);
	ck_assert_uint_eq(ph, h);
	free(b);
}

/* ---- pictures ------------------------------------------------------------- */

START_TEST(test_png)
{
	const char *run = lost_synack("plot_png");
	ck_assert_int_eq(SYNSIM("plot", run), 0);
	ck_assert_str_eq(syn_err, "");	/* gnuplot said nothing */
	char want[4096];
	snprintf(want, sizeof want, "%s/ladder.png\n%s/states.png\n"
	         "queues.png skipped: server's queues never held more than one "
	         "connection\n"
	         "tseq.png skipped: client #1 carried 1 data segment in the "
	         "window (4 needed)\n"
	         "handshake.png skipped: 1 connection with a handshake time "
	         "(2 needed)\n", run, run);
	ck_assert_str_eq(syn_out, want);
	assert_png(in_dir("run/ladder.png"), 1200, 800);
	assert_png(in_dir("run/states.png"), 1200, 800);
	ck_assert(!exists(in_dir("run/handshake.png")));
	assert_no_temporaries();
}
END_TEST

/* In the C locale (a minimal environment, as on a fresh machine) gnuplot
 * still draws without a warning. */
START_TEST(test_c_locale)
{
	const char *run = lost_synack("plot_c_locale");
	setenv("LC_ALL", "C", 1);
	unsetenv("LANG");
	unsetenv("LC_CTYPE");
	ck_assert_int_eq(SYNSIM("plot", run), 0);
	ck_assert_str_eq(syn_err, "");
	assert_png(in_dir("run/ladder.png"), 1200, 800);
}
END_TEST

START_TEST(test_svg)
{
	const char *run = lost_synack("plot_svg");
	ck_assert_int_eq(SYNSIM("plot", run, "--format", "svg"), 0);
	ck_assert_str_eq(syn_err, "");
	const char *names[] = { "run/ladder.svg", "run/states.svg" };
	for (int i = 0; i < 2; i++) {
		char *svg = read_file(in_dir(names[i]), NULL);
		ck_assert_ptr_nonnull(svg);
		ck_assert_msg(strncmp(svg, "<?xml", 5) == 0, "%.40s", svg);
		ck_assert_ptr_nonnull(strstr(svg, "\n width=\"1200\" height=\"800\"\n"));
		/* the ladder: every packet's fields on hover, 12 hops */
		int tips = 0;
		for (const char *q = svg; (q = strstr(q, "showHypertext(evt,'"));
		     q++)
			tips++;
		ck_assert_int_eq(tips, i == 0 ? 12 : 0);
		if (i == 0)
			ck_assert_ptr_nonnull(strstr(svg, "showHypertext(evt,'server "
			                     "> client SYN+ACK seq 0 ("));
		free(svg);
	}
	ck_assert(!exists(in_dir("run/ladder.png")));
}
END_TEST

/* Same run, same options: the same bytes. */
START_TEST(test_same_bytes)
{
	const char *run = lost_synack("plot_bytes");
	const char *files[] = { "run/ladder.png", "run/states.png",
	                        "run/ladder.dat", "run/states.dat" };
	char *first[4];
	size_t len[4];
	ck_assert_int_eq(SYNSIM("plot", run), 0);
	for (int i = 0; i < 4; i++)
		first[i] = read_file(in_dir(files[i]), &len[i]);
	ck_assert_int_eq(SYNSIM("plot", run), 0);
	for (int i = 0; i < 4; i++) {
		size_t n;
		char *again = read_file(in_dir(files[i]), &n);
		ck_assert_ptr_nonnull(again);
		ck_assert_uint_eq(n, len[i]);
		ck_assert_msg(memcmp(first[i], again, n) == 0, "%s differs",
		              files[i]);
		free(again);
		free(first[i]);
	}
}
END_TEST

/* ---- the ladder's data ------------------------------------------------------ */

START_TEST(test_ladder_rows)
{
	const char *run = lost_synack("plot_rows");
	ck_assert_int_eq(SYNSIM("plot", run), 0);
	const char *dat = in_dir("run/ladder.dat");
	/* hop kind, retransmission, from and to columns, send and
	 * receive (drop) times in ms, label */
	const int hop[] = { 2, 4, 6, 9, 10, 11 };
	char *s = dat_rows(dat, "host", (const int[]){ 2, 3 }, 2);
	ck_assert_str_eq(s, "0\tclient\n1\tserver\n");
	free(s);
	s = dat_rows(dat, "lost", hop, 6);
	ck_assert_str_eq(s, "1\t0.5\t0\t50.048\t50.048\tSYN+ACK 0/1 dropped by rule #1\n");
	free(s);
	s = dat_rows(dat, "dropped", hop, 6);
	ck_assert_str_eq(s, "");
	free(s);
	s = dat_rows(dat, "arrow", hop, 6);
	ck_assert_str_eq(s,
		"0\t1\t0\t0\t50.048\tSYN 0\n"
		"0\t1\t1\t1000\t1050.048\tSYN 0\n"
		"1\t0\t1\t1050.048\t1100.096\tSYN+ACK 0/1\n"
		"1\t0\t1\t1050.048\t1100.144\tSYN+ACK 0/1\n"
		"0\t1\t0\t1100.096\t1150.1376\tACK 1/1\n"
		"0\t1\t0\t1100.096\t1150.2592\tPSH+ACK 1/1 len 100\n"
		"0\t1\t0\t1100.096\t1150.3008\tFIN+ACK 101/1\n"
		"0\t1\t0\t1100.144\t1150.3424\tACK 102/1\n"
		"1\t0\t0\t1150.2592\t1200.3008\tACK 1/101\n"
		"1\t0\t0\t1150.3008\t1200.3424\tFIN+ACK 1/102\n"
		"0\t1\t0\t1200.3424\t1250.384\tACK 102/2\n");
	free(s);
	/* One dot per state change; the labels chain changes too close to
	 * write apart. */
	s = dat_rows(dat, "mark", (const int[]){ 2, 7 }, 2);
	ck_assert_str_eq(s, "0\t0\n1\t50.048\n0\t1100.096\n0\t1100.096\n"
	                 "1\t1150.1376\n1\t1150.3008\n1\t1150.3008\n"
	                 "0\t1200.3424\n0\t1200.3424\n1\t1250.384\n"
	                 "0\t61200.3424\n");
	free(s);
	s = dat_rows(dat, "state", (const int[]){ 2, 7, 8 }, 3);
	ck_assert_str_eq(s,
		"0\t0\tSYN-SENT\n"
		"1\t50.048\tSYN-RECEIVED\n"
		"0\t1100.096\tESTABLISHED \xe2\x86\x92 FIN-WAIT-1\n"
		"1\t1150.1376\tESTABLISHED \xe2\x86\x92 CLOSE-WAIT \xe2\x86\x92 "
		"LAST-ACK\n"
		"0\t1200.3424\tFIN-WAIT-2 \xe2\x86\x92 TIME-WAIT\n"
		"1\t1250.384\tCLOSED\n"
		"0\t61200.3424\tCLOSED\n");
	free(s);
	/* The RTO wait and TIME-WAIT are cut out of the time axis, their
	 * lengths rounded to three digits (899.9104 ms, 59.9499584 s). */
	s = dat_rows(dat, "band", (const int[]){ 4 }, 1);
	ck_assert_str_eq(s, "900 ms idle (not to scale)\n"
	                 "59.9 s idle (not to scale)\n");
	free(s);
	/* The run reaches 61.2 s: ticks in seconds, every 50 ms to the
	 * step's precision; a stretch's start (61200.3424 ms) off the step
	 * to a tenth of it. */
	s = dat_rows(dat, "tick", (const int[]){ 3 }, 1);
	ck_assert_str_eq(s, "0\n0.05\n0.1\n1\n1.05\n1.1\n1.15\n1.2\n1.25\n"
	                 "61.2\n");
	free(s);
}
END_TEST

/* Every state a connection passes through has a bar of at least 6 pixels
 * (of 900; the span is 710.684763 units, so 4.737898: the bands cut
 * out grow with the logarithm of their length) and a name above
 * its row: the client's ESTABLISHED and FIN-WAIT-2 last no time at
 * all, the server's ESTABLISHED 0.16 ms and its CLOSE-WAIT none; brief
 * ones in a row stand side by side, drawn after the others. */
START_TEST(test_states_brief)
{
	const char *run = lost_synack("plot_states_brief");
	ck_assert_int_eq(SYNSIM("plot", run), 0);
	const char *dat = in_dir("run/states.dat");
	/* row, x0, x1, state + 1, t0 ms, t1 ms, label */
	char *s = dat_rows(dat, "bar", (const int[]){ 2, 3, 4, 5, 6, 7, 8 }, 7);
	ck_assert_str_eq(s,
		"0\t0.000000\t304.495568\t3\t0\t1100.096\tSYN-SENT\n"
		"1\t50.048000\t354.537168\t4\t50.048\t1150.1376\tSYN-RECEIVED\n"
		"0\t304.495568\t404.741968\t7\t1100.096\t1200.3424\tFIN-WAIT-1\n"
		"1\t354.700368\t454.783568\t9\t1150.3008\t1250.384\tLAST-ACK\n"
		"0\t404.741968\t710.684763\t11\t1200.3424\t61200.3424\tTIME-WAIT\n"
		"0\t304.495568\t309.233466\t5\t1100.096\t1100.096\t \n"
		"1\t354.537168\t359.275066\t5\t1150.1376\t1150.3008\t \n"
		"1\t359.275066\t364.012964\t6\t1150.3008\t1150.3008\t \n"
		"0\t404.741968\t409.479866\t10\t1200.3424\t1200.3424\t \n");
	free(s);
	s = dat_rows(dat, "brief", (const int[]){ 2, 3, 4 }, 3);
	ck_assert_str_eq(s,
		"304.495568\t-0.300000\tESTABLISHED\n"
		"354.537168\t0.700000\tESTABLISHED \xe2\x86\x92 CLOSE-WAIT\n"
		"404.741968\t-0.300000\tFIN-WAIT-2\n");
	free(s);
	assert_png(in_dir("run/states.png"), 1200, 800);
}
END_TEST

/* A retransmission is what TCP marked as one, in packets.csv and on the
 * ladder: the tail loss probe that repeats the server's FIN is, the
 * client's ACK of it (its reason "FIN retransmitted in TIME-WAIT") is
 * not. */
START_TEST(test_retx_marked_by_tcp)
{
	snprintf(syn_dir, sizeof syn_dir, "%s", test_dir("plot_retx"));
	const char *run = in_dir("run");
	ck_assert_int_eq(SYNSIM("run", SOURCE_DIR "/scenarios/time-wait.lua",
	                        "--out", run, "-q", "-D", "wheel=false"), 0);
	char *csv = read_file(in_dir("run/packets.csv"), NULL);
	ck_assert_ptr_nonnull(csv);
	assert_has(csv, ",dup_of,event_no,retx\n");
	assert_has(csv, ",tail loss probe (PTO expired),,,42,1\n");
	assert_has(csv, ",FIN retransmitted in TIME-WAIT,,,48,0\n");
	free(csv);
	ck_assert_int_eq(SYNSIM("plot", run), 0);
	/* kind, retransmission, send time, label */
	const int hop[] = { 1, 6, 9, 11 };
	char *s = dat_rows(in_dir("run/ladder.dat"), "arrow", hop, 4);
	assert_has(s, "arrow\t1\t450\tFIN+ACK 1/102\n"
	              "arrow\t0\t450\tACK 2/2\n"
	              "arrow\t0\t500\tACK 102/2\n");
	ck_assert_msg(strstr(s, "arrow\t1\t") == strstr(s, "arrow\t1\t450\t"),
	              "one retransmission only:\n%s", s);
	free(s);
}
END_TEST

START_TEST(test_window)
{
	const char *run = lost_synack("plot_window");
	ck_assert_int_eq(SYNSIM("plot", run, "--from", "1s", "--to", "1100ms"), 0);
	ck_assert_str_eq(syn_err, "");
	const int hop[] = { 9, 10, 11 };
	char *s = dat_rows(in_dir("run/ladder.dat"), "arrow", hop, 3);
	/* Hops overlapping [1 s, 1.1 s]; the client's next sends leave
	 * 96 us after the window. */
	ck_assert_str_eq(s, "1000\t1050.048\tSYN 0\n"
	                 "1050.048\t1100.096\tSYN+ACK 0/1\n"
	                 "1050.048\t1100.144\tSYN+ACK 0/1\n");
	free(s);
	s = dat_rows(in_dir("run/ladder.dat"), "lost", hop, 3);
	ck_assert_str_eq(s, "");
	free(s);
	assert_png(in_dir("run/ladder.png"), 1200, 800);
}
END_TEST

/* Many connections through a router: per-hop arrows, the router as a
 * column, and the handshake histogram. */
static const char routed_lua[] =
	"local net = sim.network{ profile = 'linux' }\n"
	"local s = net:host 'server'\n"
	"local r = net:router 'r1'\n"
	"net:link(r, s, { delay = '10ms', rate = '100Mbps' })\n"
	"s:listen(80, { close = 'on_eof' })\n"
	"for i = 1, 3 do\n"
	"  local c = net:host('c' .. i)\n"
	"  net:link(c, r, { delay = tostring(5 * i) .. 'ms', rate = '10Mbps' })\n"
	"  c:connect(s, 80, { at = tostring(i * 30) .. 'ms', send = 100,\n"
	"                     close = 'after_send' })\n"
	"end\n";

START_TEST(test_routed_handshakes)
{
	snprintf(syn_dir, sizeof syn_dir, "%s", test_dir("plot_routed"));
	write_file(in_dir("routed.lua"), routed_lua);
	char run[1200];
	snprintf(run, sizeof run, "%s", in_dir("run"));
	ck_assert_int_eq(SYNSIM("run", in_dir("routed.lua"), "--out", run, "-q",
	                        NOWHEEL),
	                 0);
	ck_assert_int_eq(SYNSIM("plot", run), 0);
	ck_assert_str_eq(syn_err, "");
	char want[8192];
	/* (after the count of labels with no room: check_labels.c) */
	snprintf(want, sizeof want, "%s/ladder.png\n%s/states.png\n"
	         "%s/queues.png\ntseq.png skipped: c1 #1 carried 1 data segment "
	         "in the window (4 needed)\n%s/handshake.png\n", run, run, run,
	         run);
	assert_has(syn_out, want);
	assert_png(in_dir("run/handshake.png"), 1200, 800);
	char *s = dat_rows(in_dir("run/ladder.dat"), "host",
	                  (const int[]){ 3 }, 1);
	/* The clients, then the router, then the server (not in order of
	 * first appearance: c1 r1 server c2 c3). */
	ck_assert_str_eq(s, "c1\nc2\nc3\nr1\nserver\n");
	free(s);
	/* c1's SYN: two hops, c1 -> r1 -> server (columns 0, 3, 4). */
	s = dat_rows(in_dir("run/ladder.dat"), "arrow", (const int[]){ 2, 4, 11 }, 3);
	ck_assert_msg(strncmp(s, "0\t3\tSYN 0\n3\t4\tSYN 0\n", 18) == 0, "%s", s);
	free(s);
	/* Handshakes of 2 x (5 + 10) ms, 2 x (10 + 10), 2 x (15 + 10). */
	s = dat_rows(in_dir("run/handshake.dat"), "cdf", (const int[]){ 3 }, 1);
	ck_assert_str_eq(s, "0\n0.333333\n0.666667\n1.000000\n");
	free(s);
}
END_TEST

/* --hosts: only the packets between the hosts named and the state changes
 * of their connections with each other; routers on the way stay. */
START_TEST(test_hosts)
{
	snprintf(syn_dir, sizeof syn_dir, "%s", test_dir("plot_hosts"));
	write_file(in_dir("routed.lua"), routed_lua);
	char run[1200];
	snprintf(run, sizeof run, "%s", in_dir("run"));
	ck_assert_int_eq(SYNSIM("run", in_dir("routed.lua"), "--out", run, "-q",
	                        NOWHEEL),
	                 0);
	/* A plot of the whole run first: its handshake picture must not
	 * stay beside the pictures of the selection, which skip it. */
	ck_assert_int_eq(SYNSIM("plot", run), 0);
	ck_assert(exists(in_dir("run/handshake.png")));
	ck_assert_int_eq(SYNSIM("plot", run, "--hosts", "c2,server"), 0);
	ck_assert(!exists(in_dir("run/handshake.png")));
	ck_assert(!exists(in_dir("run/handshake.dat")));
	char want[4096];
	snprintf(want, sizeof want, "%s/ladder.png\n%s/states.png\n"
	         "%s/queues.png\n"
	         "tseq.png skipped: c2 #1 carried 1 data segment in the window "
	         "(4 needed)\n"
	         "handshake.png skipped: 1 connection with a handshake time "
	         "(2 needed)\n", run, run, run);
	ck_assert_str_eq(syn_out, want);
	const char *dat = in_dir("run/ladder.dat");
	char *s = dat_rows(dat, "host", (const int[]){ 3 }, 1);
	ck_assert_str_eq(s, "c2\nr1\nserver\n");
	free(s);
	/* c2's SYN at 60 ms, 10 ms and a 40 us serialization to r1, 10 ms
	 * more to the server; the handshake and close, nothing of c1, c3. */
	s = dat_rows(dat, "arrow", (const int[]){ 2, 4, 9, 10, 11 }, 5);
	ck_assert_str_eq(s,
		"0\t1\t60\t70.048\tSYN 0\n"
		"1\t2\t70.048\t80.0528\tSYN 0\n"
		"2\t1\t80.0528\t90.0576\tSYN+ACK 0/1\n"
		"1\t0\t90.0576\t100.1056\tSYN+ACK 0/1\n"
		"0\t1\t100.1056\t110.1472\tACK 1/1\n"
		"0\t1\t100.1056\t110.2688\tPSH+ACK 1/1 len 100\n"
		"0\t1\t100.1056\t110.3104\tFIN+ACK 101/1\n"
		"1\t2\t110.1472\t120.15136\tACK 1/1\n"
		"1\t2\t110.2688\t120.28096\tPSH+ACK 1/1 len 100\n"
		"1\t2\t110.3104\t120.31456\tFIN+ACK 101/1\n"
		"2\t1\t120.28096\t130.28512\tACK 1/101\n"
		"2\t1\t120.31456\t130.31872\tFIN+ACK 1/102\n"
		"1\t0\t130.28512\t140.32672\tACK 1/101\n"
		"1\t0\t130.31872\t140.36832\tFIN+ACK 1/102\n"
		"0\t1\t140.36832\t150.40992\tACK 102/2\n"
		"1\t2\t150.40992\t160.41408\tACK 102/2\n");
	free(s);
	/* The two margins together take at most 35% of the page: the
	 * client's 24 characters and the server's 35 need more, so both
	 * keep the default 0.9 and the server's chain is cut to the states
	 * that fit, the last ones. */
	s = dat_rows(dat, "# xrange", (const int[]){ 2, 3 }, 2);
	ck_assert_str_eq(s, "-0.9000\t2.9000\n");
	free(s);
	/* The state changes of c2's connection and the server's with it. */
	s = dat_rows(dat, "state", (const int[]){ 2, 7, 8 }, 3);
	ck_assert_str_eq(s,
		"0\t60\tSYN-SENT\n"
		"2\t80.0528\tSYN-RECEIVED\n"
		"0\t100.1056\tESTABLISHED \xe2\x86\x92 FIN-WAIT-1\n"
		"2\t120.15136\t\xe2\x80\xa6 \xe2\x86\x92 CLOSE-WAIT \xe2\x86\x92 "
		"LAST-ACK\n"
		"0\t140.36832\tFIN-WAIT-2 \xe2\x86\x92 TIME-WAIT\n"
		"2\t160.41408\tCLOSED\n"
		"0\t60140.36832\tCLOSED\n");
	free(s);

	/* One host: the packets to or from it, and its states. */
	ck_assert_int_eq(SYNSIM("plot", run, "--hosts", "c1"), 0);
	s = dat_rows(dat, "host", (const int[]){ 3 }, 1);
	ck_assert_str_eq(s, "c1\nr1\nserver\n");
	free(s);
	s = dat_rows(dat, "state", (const int[]){ 2 }, 1);
	for (char *c = s; *c; c++)
		ck_assert(*c == '0' || *c == '\n');	/* c1's alone */
	free(s);

	/* A router is in the run, but no packet's end: nothing to draw. */
	ck_assert_int_eq(SYNSIM("plot", run, "--hosts", "r1"), 0);
	assert_has(syn_out, "ladder.png skipped: no packets and no states\n"
	           "states.png skipped: no state changes in states.csv of the "
	           "hosts chosen\n");

	/* A host the run does not have is named. */
	ck_assert_int_eq(SYNSIM("plot", run, "--hosts", "c2,nobody"), 2);
	ck_assert_str_eq(syn_err, "synsim: --hosts: this run has no node nobody\n(synsim --help "
	                 "shows the usage)\n");
}
END_TEST

/* The ladder's columns read along the path: clients, the routers from
 * the clients' side, the servers.  In order of first appearance rleft
 * came between c1 and c2, rright after c4, and the losses at the
 * bottleneck queue were drawn across the axes of c2..c4. */
START_TEST(test_dumbbell_columns)
{
	snprintf(syn_dir, sizeof syn_dir, "%s", test_dir("plot_dumbbell"));
	char run[1200];
	snprintf(run, sizeof run, "%s", in_dir("run"));
	ck_assert_int_eq(SYNSIM("run", SOURCE_DIR "/scenarios/dumbbell.lua",
	                        "--out", run, "-q"), 0);
	ck_assert_int_eq(SYNSIM("plot", run, "--all"), 0);
	ck_assert_str_eq(syn_err, "");
	const char *dat = in_dir("run/ladder.dat");
	char *s = dat_rows(dat, "host", (const int[]){ 2, 3 }, 2);
	ck_assert_str_eq(s, "0\tc1\n1\tc2\n2\tc3\n3\tc4\n4\trleft\n"
	                 "5\trright\n6\ts1\n7\ts2\n8\ts3\n9\ts4\n");
	free(s);
	/* All 39 losses are at rleft's queue onto the bottleneck: each
	 * stops half-way from rleft's axis to rright's. */
	s = dat_rows(dat, "lost", (const int[]){ 2, 4 }, 2);
	size_t n = 0;
	for (char *line = strtok(s, "\n"); line; line = strtok(NULL, "\n"), n++)
		ck_assert_str_eq(line, "4\t4.5");
	ck_assert_uint_eq(n, 39);
	free(s);
}
END_TEST

/* Three routers in a row, made in no particular order: the columns
 * follow the path, and a SYN lost between r1 and r2 stops between their
 * axes. */
START_TEST(test_three_hops_columns)
{
	snprintf(syn_dir, sizeof syn_dir, "%s", test_dir("plot_three_hops"));
	write_file(in_dir("s.lua"),
	           "local net = sim.network{ profile = 'linux' }\n"
	           "local r3 = net:router 'r3'\n"
	           "local s = net:host 'server'\n"
	           "local r2 = net:router 'r2'\n"
	           "local c = net:host 'client'\n"
	           "local r1 = net:router 'r1'\n"
	           "net:link(s, r3, { delay = '10ms' })\n"
	           "net:link(r3, r2, { delay = '10ms' })\n"
	           "local mid = net:link(r2, r1, { delay = '10ms' })\n"
	           "net:link(r1, c, { delay = '10ms' })\n"
	           "mid:drop{ from = r1, flags = 'SYN', nth = 1 }\n"
	           "s:listen(80, { close = 'on_eof' })\n"
	           "c:connect(s, 80, { send = 100, close = 'after_send' })\n");
	char run[1200];
	snprintf(run, sizeof run, "%s", in_dir("run"));
	ck_assert_int_eq(SYNSIM("run", in_dir("s.lua"), "--out", run, "-q"), 0);
	ck_assert_int_eq(SYNSIM("plot", run), 0);
	const char *dat = in_dir("run/ladder.dat");
	char *s = dat_rows(dat, "host", (const int[]){ 3 }, 1);
	ck_assert_str_eq(s, "client\nr1\nr2\nr3\nserver\n");
	free(s);
	/* from column, lost at, send time, label */
	s = dat_rows(dat, "lost", (const int[]){ 2, 4, 9, 11 }, 4);
	ck_assert_str_eq(s, "1\t1.5\t10\tSYN 0 dropped by rule #1\n");
	free(s);
}
END_TEST

/* A lost packet's label says what took it: a rule by its number, the
 * queue, an outage, or chance. */
START_TEST(test_drop_labels)
{
	snprintf(syn_dir, sizeof syn_dir, "%s", test_dir("plot_drop_labels"));
	write_file(in_dir("s.lua"),
	           "local net = sim.network{ profile = 'linux' }\n"
	           "local c, s = net:host 'client', net:host 'server'\n"
	           "local l = net:link(c, s, { delay = '10ms', rate = '1Mbps', "
	           "queue = 1, ['server->client'] = { loss = 1 } })\n"
	           "l:down('5ms')\n"
	           "l:up('500ms')\n"
	           "s:listen(80)\n"
	           "c:connect(s, 80)\n"
	           "c:connect(s, 80)\n");
	char run[1200];
	snprintf(run, sizeof run, "%s", in_dir("run"));
	ck_assert_int_eq(SYNSIM("run", in_dir("s.lua"), "--out", run, "-q",
	                        "--until", "1500ms", NOWHEEL), 0);
	ck_assert_int_eq(SYNSIM("plot", run), 0);
	/* send time, label: the second SYN finds the first in the queue,
	 * the first is on the wire when the link goes down; at 1 s both
	 * go again, the second again into a full queue, and the SYN+ACK
	 * that answers the first meets loss = 1 */
	char *t = dat_rows(in_dir("run/ladder.dat"), "lost",
	                  (const int[]){ 9, 11 }, 2);
	ck_assert_str_eq(t, "0\tSYN 0 dropped (queue full)\n"
	                 "0\tSYN 0 lost (link down)\n"
	                 "1000\tSYN 0 dropped (queue full)\n"
	                 "1010.48\tSYN+ACK 0/1 lost\n");
	free(t);
}
END_TEST

/* A flood's sender has no connection state but opens connections too: it
 * goes after the one client, whose axis its arrows would hide. */
START_TEST(test_flood_columns)
{
	snprintf(syn_dir, sizeof syn_dir, "%s", test_dir("plot_flood_cols"));
	char run[1200];
	snprintf(run, sizeof run, "%s", in_dir("run"));
	ck_assert_int_eq(SYNSIM("run", SOURCE_DIR "/scenarios/syn-flood.lua",
	                        "--out", run, "-q", "-D", "flood_for=1s"), 0);
	ck_assert_int_eq(SYNSIM("plot", run, "--all"), 0);
	char *s = dat_rows(in_dir("run/ladder.dat"), "host", (const int[]){ 3 }, 1);
	ck_assert_str_eq(s, "client\nattacker\nr\nserver\n");
	free(s);
}
END_TEST

/* An idle band's label goes where it covers no other: the client's SYNs
 * dropped at the server's right edge push the flood's band labels to the
 * left edge; the last band, whose short label fits beside the server's
 * CLOSED, keeps the right. */
START_TEST(test_band_labels_avoid_others)
{
	snprintf(syn_dir, sizeof syn_dir, "%s", test_dir("plot_bands"));
	char run[1200];
	snprintf(run, sizeof run, "%s", in_dir("run"));
	ck_assert_int_eq(SYNSIM("run", SOURCE_DIR "/scenarios/syn-flood.lua",
	                        "--out", run, "-q"), 0);
	ck_assert_int_eq(SYNSIM("plot", run, "--hosts", "client,server"), 0);
	char *s = dat_rows(in_dir("run/ladder.dat"), "bandlabel",
	                  (const int[]){ 4, 5 }, 2);
	/* Bands now grow with their length: the labels in their middles
	 * clear the drops at their edges, and keep the right.  The client's
	 * SYNs go on its timer wheel's ticks (2 s, then 3.028792873,
	 * 5.044792873, 9.076792873 ... as the syn-flood header says), so the
	 * stretches between their drops are a little over 1, 2, 4 ... s. */
	ck_assert_str_eq(s,
		"-1\t1.01 s idle (not to scale)\n"
		"-1\t2 s idle (not to scale)\n"
		"-1\t4.01 s idle (not to scale)\n"
		"-1\t8.17 s idle (not to scale)\n"
		"-1\t16.1 s idle (not to scale)\n"
		"-1\t61.9 s idle (not to scale)\n");
	free(s);
	/* lost-synack has room at the right for both of its bands. */
	const char *ls = lost_synack("plot_bands_ls");
	ck_assert_int_eq(SYNSIM("plot", ls), 0);
	s = dat_rows(in_dir("run/ladder.dat"), "bandlabel", (const int[]){ 4 }, 1);
	ck_assert_str_eq(s, "-1\n-1\n");
	free(s);
}
END_TEST

/* Seven columns and long chains of states: the margins together stay
 * within 35% of the page (they took it all, and the axis ran to
 * -26..32), and a chain shows its last states after "… → ". */
START_TEST(test_many_columns)
{
	snprintf(syn_dir, sizeof syn_dir, "%s", test_dir("plot_many"));
	char run[1200];
	snprintf(run, sizeof run, "%s", in_dir("run"));
	ck_assert_int_eq(SYNSIM("run", SOURCE_DIR "/scenarios/bursty-loss.lua",
	                        "--out", run, "-q"), 0);
	ck_assert_int_eq(SYNSIM("plot", run, "--all"), 0);
	ck_assert_str_eq(syn_err, "");
	const char *dat = in_dir("run/ladder.dat");
	char *s = dat_rows(dat, "host", (const int[]){ 3 }, 1);
	ck_assert_str_eq(s, "h1\nh2\nh3\nh4\nh5\nr\nserver\n");
	free(s);
	/* (0.12 + 0.35 * 6) / 0.65 = 3.415 columns of margin in all,
	 * shared in proportion to the text on either side */
	s = dat_rows(dat, "# xrange", (const int[]){ 2, 3 }, 2);
	ck_assert_str_eq(s, "-1.6958\t7.7195\n");
	free(s);
	s = dat_rows(dat, "state", (const int[]){ 2, 7, 8 }, 3);
	/* h1's first connection: its states up to TIME-WAIT (441 ms) crowd
	 * the top of the ladder, and one label shows the last of them */
	static const char first[] = "0\t0\t#1 \xe2\x80\xa6 \xe2\x86\x92 "
	                            "TIME-WAIT\n";
	ck_assert_msg(strncmp(s, first, strlen(first)) == 0, "%s", s);
	for (char *line = strtok(s, "\n"); line; line = strtok(NULL, "\n")) {
		int arrows = 0;
		for (char *q = line; (q = strstr(q, "\xe2\x86\x92")) != NULL; q++)
			arrows++;
		ck_assert_msg(arrows < 3, "more than three states: %s", line);
	}
	free(s);
	assert_png(in_dir("run/ladder.png"), 1200, 800);
}
END_TEST

/* Handshakes that all took the same time: bins of 1% of it and room
 * around the one bar, not one bar as wide as the plot. */
START_TEST(test_equal_handshakes)
{
	snprintf(syn_dir, sizeof syn_dir, "%s", test_dir("plot_equal"));
	char run[1200];
	snprintf(run, sizeof run, "%s", in_dir("run"));
	ck_assert_int_eq(outfile_mkdirs(run), 0);
	write_file(in_dir("run/packets.csv"),
	           "t_ns,pkt_id,at,link,hop_to,from,to,event,flags,seq,ack,"
	           "rel_seq,rel_ack,len,wnd,ttl,options,reason,rule,dup_of\n");
	write_file(in_dir("run/states.csv"),
	           "t_ns,host,conn,from_state,to_state,cause,rule\n"
	           "0,a,1,CLOSED,SYN-SENT,connect() called,\n"
	           "5000000,a,2,CLOSED,SYN-SENT,connect() called,\n"
	           "100000000,a,1,SYN-SENT,ESTABLISHED,SYN+ACK received,\n"
	           "105000000,a,2,SYN-SENT,ESTABLISHED,SYN+ACK received,\n");
	ck_assert_int_eq(SYNSIM("plot", run), 0);
	ck_assert_str_eq(syn_err, "");
	const char *dat = in_dir("run/handshake.dat");
	char *s = dat_rows(dat, "bin", (const int[]){ 2, 3, 4 }, 3);
	ck_assert_str_eq(s, "100.500000\t1.000000\t2\n");
	free(s);
	s = dat_rows(dat, "# xrange", (const int[]){ 2, 3 }, 2);
	ck_assert_str_eq(s, "95.000000\t106.000000\n");
	free(s);
}
END_TEST

/* More nodes than a ladder can show: it is skipped with a word, and the
 * other pictures are still drawn. */
START_TEST(test_too_many_nodes)
{
	snprintf(syn_dir, sizeof syn_dir, "%s", test_dir("plot_many_nodes"));
	char run[1200];
	snprintf(run, sizeof run, "%s", in_dir("run"));
	ck_assert_int_eq(outfile_mkdirs(run), 0);
	size_t cap = 64 * 1024, len = 0;
	char *csv = malloc(cap);
	len += (size_t)snprintf(csv + len, cap - len,
	                        "t_ns,pkt_id,at,link,hop_to,from,to,event,flags,"
	                        "seq,ack,rel_seq,rel_ack,len,wnd,ttl,options,"
	                        "reason,rule,dup_of\n");
	for (int i = 1; i <= 150; i++)
		len += (size_t)snprintf(csv + len, cap - len,
		        "%d,%d,a%d,l%d,b%d,a%d,b%d,send,SYN,1,,0,,0,1000,64,,,,\n"
		        "%d,%d,b%d,l%d,b%d,a%d,b%d,recv,SYN,1,,0,,0,1000,64,,,,\n",
		        i * 1000, i, i, i, i, i, i, i * 1000 + 500, i, i, i, i, i, i);
	write_file(in_dir("run/packets.csv"), csv);
	free(csv);
	write_file(in_dir("run/states.csv"),
	           "t_ns,host,conn,from_state,to_state,cause,rule\n"
	           "0,a1,1,CLOSED,SYN-SENT,connect() called,\n");
	ck_assert_int_eq(SYNSIM("plot", run), 0);
	char want[2600];
	snprintf(want, sizeof want, "ladder.png skipped: 300 nodes, more than a "
	         "ladder can show (256); --hosts picks some\n%s/states.png\n"
	         "queues.png skipped: no listener took a SYN\n"
	         "tseq.png skipped: no connection drawn carried data\n"
	         "handshake.png skipped: 0 connections with a handshake time "
	         "(2 needed)\n", run);
	ck_assert_str_eq(syn_out, want);
	ck_assert_str_eq(syn_err, "");
}
END_TEST

/* ---- errors ----------------------------------------------------------------- */

START_TEST(test_missing_packets)
{
	snprintf(syn_dir, sizeof syn_dir, "%s", test_dir("plot_missing"));
	ck_assert_int_eq(SYNSIM("plot", syn_dir), 2);
	char want[2048];
	snprintf(want, sizeof want, "synsim: cannot read %s/packets.csv: No such "
	         "file or directory\n", syn_dir);
	ck_assert_str_eq(syn_err, want);
	ck_assert_str_eq(syn_out, "");
	ck_assert(!exists(in_dir("ladder.png")));
	ck_assert(!exists(in_dir("ladder.dat")));
}
END_TEST

/* Replace the first old in the file by new; old NULL: empty the file. */
static void
edit_file(const char *path, const char *old, const char *new)
{
	char *text = read_file(path, NULL);
	ck_assert_ptr_nonnull(text);
	if (old == NULL) {
		write_file(path, "");
		free(text);
		return;
	}
	char *at = strstr(text, old);
	ck_assert_msg(at != NULL, "no \"%s\" in %s", old, path);
	size_t n = strlen(text) - strlen(old) + strlen(new) + 1;
	char *out = malloc(n);
	snprintf(out, n, "%.*s%s%s", (int)(at - text), text, new,
	         at + strlen(old));
	write_file(path, out);
	free(out);
	free(text);
}

/* The files a plot writes, as they are now (NULL for a missing one). */
#define NPLOTTED 4
static const char *const plotted[NPLOTTED] = {
	"run/ladder.png", "run/ladder.dat", "run/states.png", "run/states.dat"
};

/* The folder of a plotted run: its listing and the plot's files. */
struct snapshot {
	char *listing;
	char *text[NPLOTTED];
	size_t len[NPLOTTED];
};

static void
snapshot_take(struct snapshot *sn, const char *run)
{
	sn->listing = dir_listing(run, "");
	for (int i = 0; i < NPLOTTED; i++)
		sn->text[i] = read_file(in_dir(plotted[i]), &sn->len[i]);
}

/* The folder is still as in the snapshot; frees it. */
static void
assert_unchanged(struct snapshot *sn, const char *run)
{
	char *now = dir_listing(run, "");
	ck_assert_str_eq(now, sn->listing);
	free(now);
	free(sn->listing);
	for (int i = 0; i < NPLOTTED; i++) {
		size_t n = 0;
		char *file = read_file(in_dir(plotted[i]), &n);
		ck_assert_msg((file == NULL) == (sn->text[i] == NULL), "%s %s",
		              plotted[i], file ? "appeared" : "went");
		ck_assert_msg(file == NULL || (n == sn->len[i] &&
		              memcmp(file, sn->text[i], n) == 0), "%s changed",
		              plotted[i]);
		free(file);
		free(sn->text[i]);
	}
}

/* ---- damaged runs ------------------------------------------------------------ */

/* lost-synack has 24 packet rows; row 1 is the client's first SYN. */
static const struct {
	const char *file, *old, *new, *msg;
} bad_rows[] = {
	/* A send at the link: no column (was an out-of-bounds read). */
	{ "packets.csv", "\n0,1,client,", "\n0,1,client-server,",
	  "packets.csv row 1: send at link 'client-server' (a send happens at "
	  "a node)" },
	{ "packets.csv", "\n0,1,client,", "\n0,1,,",
	  "packets.csv row 1: empty 'at'" },
	/* Ids size an array: no larger than the file. */
	{ "packets.csv", "\n0,1,client,", "\n0,100000000,client,",
	  "packets.csv row 1: pkt_id 100000000 out of range (at most 24: the "
	  "number of rows)" },
	{ "packets.csv", "/0,,,,2,0\n", "/0,,,25,2,0\n",
	  "packets.csv row 1: dup_of 25 out of range (at most 24: the number "
	  "of rows)" },
	/* Times the axis arithmetic cannot take (was a hang). */
	{ "packets.csv", "\n0,1,client,", "\n9223372036854775807,1,client,",
	  "packets.csv row 1: t_ns 9223372036854775807 out of range (at most "
	  "1000000000000000000 ns, about 31 years)" },
	{ "packets.csv", "\n0,1,client,", "\n99999999999999999999,1,client,",
	  "packets.csv row 1: t_ns 99999999999999999999 out of range (at most "
	  "1000000000000000000 ns, about 31 years)" },
	{ "states.csv", "\n0,client,1,", "\n1000000000000000001,client,1,",
	  "states.csv row 1: t_ns 1000000000000000001 out of range (at most "
	  "1000000000000000000 ns, about 31 years)" },
	{ "states.csv", "\n0,client,1,", "\n0,,1,",
	  "states.csv row 1: empty host" },
	/* Empty files (the buffer was leaked). */
	{ "states.csv", NULL, NULL, "states.csv is empty (no header row)" },
	{ "packets.csv", NULL, NULL, "packets.csv is empty (no header row)" },
};

/* Each damage: exit 2, the file and row named, no file written. */
START_TEST(test_bad_rows)
{
	const char *run = lost_synack("plot_bad_rows");
	char path[1300], want[1500];
	snprintf(path, sizeof path, "%s/%s", run, bad_rows[_i].file);
	edit_file(path, bad_rows[_i].old, bad_rows[_i].new);
	struct snapshot sn;
	snapshot_take(&sn, run);
	ck_assert_int_eq(SYNSIM("plot", run), 2);
	snprintf(want, sizeof want, "synsim: %s/%s\n", run, bad_rows[_i].msg);
	ck_assert_str_eq(syn_err, want);
	ck_assert_str_eq(syn_out, "");
	assert_unchanged(&sn, run);
}
END_TEST

/* The latest time taken, in both files: drawn, no overflow (UBSan). */
START_TEST(test_latest_time)
{
	const char *run = lost_synack("plot_latest");
	char path[1300];
	snprintf(path, sizeof path, "%s/packets.csv", run);
	edit_file(path, "\n1250384000,12,", "\n1000000000000000000,12,");
	snprintf(path, sizeof path, "%s/states.csv", run);
	edit_file(path, "\n61200342400,client,", "\n1000000000000000000,client,");
	ck_assert_int_eq(SYNSIM("plot", run), 0);
	ck_assert_str_eq(syn_err, "");
	assert_png(in_dir("run/ladder.png"), 1200, 800);
	assert_png(in_dir("run/states.png"), 1200, 800);
}
END_TEST

/* ---- all or nothing ---------------------------------------------------------- */

/* A window with none of the run is refused before anything is drawn,
 * and the last plot's files stay as they were. */
START_TEST(test_window_outside)
{
	const char *run = lost_synack("plot_outside");
	ck_assert_int_eq(SYNSIM("plot", run), 0);
	struct snapshot sn;
	snapshot_take(&sn, run);
	static const char *const cases[][3] = {
		{ "--from", "1000h", "synsim: --from 1000h: after the run's last "
		  "event (at 61.2003424s); nothing to draw\n" },
		{ "--to", "0ns", "synsim: --to 0ns: not after the run's first "
		  "event (at 0s); nothing to draw\n" },
	};
	for (int i = 0; i < 2; i++) {
		ck_assert_int_eq(SYNSIM("plot", run, cases[i][0], cases[i][1]), 2);
		char want[512];
		snprintf(want, sizeof want, "%s(synsim --help shows the usage)\n",
		         cases[i][2]);
		ck_assert_str_eq(syn_err, want);
		ck_assert_str_eq(syn_out, "");
	}
	assert_unchanged(&sn, run);
	/* The last event itself still makes a window: the states drawn
	 * there have no bar, so the key is empty. */
	ck_assert_int_eq(SYNSIM("plot", run, "--from", "61.2003424s"), 0);
	ck_assert_str_eq(syn_err, "");
}
END_TEST

/* gnuplot failing on the second picture: the first one, drawn for a
 * new window, is not kept; every file is the last good plot's. */
START_TEST(test_all_or_nothing)
{
	const char *run = lost_synack("plot_all_or_nothing");
	ck_assert_int_eq(SYNSIM("plot", run), 0);
	struct snapshot sn;
	snapshot_take(&sn, run);
	const char *plots = in_dir("plots");
	ck_assert_int_eq(mkdir(plots, 0777), 0);
	char *ladder = read_file(SOURCE_DIR "/plots/ladder.gp", NULL);
	ck_assert_ptr_nonnull(ladder);
	write_file(in_dir("plots/ladder.gp"), ladder);
	free(ladder);
	write_file(in_dir("plots/states.gp"), "this is not a plot\n");
	setenv("SYNSIM_PLOTS", plots, 1);
	ck_assert_int_eq(SYNSIM("plot", run, "--from", "1s"), 2);
	char want[2048];
	snprintf(want, sizeof want, "synsim: gnuplot failed drawing %s/states.png "
	         "with %s/states.gp (exit 1):\n", run, plots);
	ck_assert_msg(strncmp(syn_err, want, strlen(want)) == 0, "%s", syn_err);
	ck_assert_str_eq(syn_out, "");
	assert_unchanged(&sn, run);
}
END_TEST

static const struct {
	const char *args[6];
	const char *msg;
} usage_errors[] = {
	{ { "plot" }, "synsim: plot: which run folder? (synsim plot DIR)\n" },
	{ { "plot", "d", "--format", "gif" },
	  "synsim: --format gif: expected png or svg\n" },
	{ { "plot", "d", "--from" }, "synsim: --from needs a value\n" },
	{ { "plot", "d", "--to", "5" },
	  "synsim: --to: duration \"5\" needs a unit (ns, us, ms, s, min, h)\n" },
	{ { "plot", "d", "--from", "2s", "--to", "1s" },
	  "synsim: --from must be earlier than --to\n" },
	{ { "plot", "d", "e" }, "synsim: one run folder at a time (also got e)\n" },
	{ { "plot", "d", "--frob" }, "synsim: unknown option --frob\n" },
	{ { "plot", "d", "--hosts" }, "synsim: --hosts needs a value\n" },
	{ { "plot", "d", "--hosts", "a,,b" },
	  "synsim: --hosts a,,b: expected host names separated by commas\n" },
	{ { "plot", "d", "--hosts", "a,b,a" }, "synsim: --hosts: a named twice\n" },
	{ { "plot", "" }, "synsim: plot: an empty run folder name\n" },
	{ { "plot", "d", "--hosts", "a,"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" },
	  "synsim: --hosts xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	  "...: a host name has at most 127 bytes\n" },
	{ { "plot", "d", "--to", "2500000h" },
	  "synsim: --to 2500000h: too late (at most 10^18 ns, about 31 years)\n" },
};

START_TEST(test_usage_errors)
{
	const char *const *a = usage_errors[_i].args;
	ck_assert_int_eq(SYNSIM(a[0], a[1], a[2], a[3], a[4], a[5]), 2);
	char want[512];
	snprintf(want, sizeof want, "%s(synsim --help shows the usage)\n",
	         usage_errors[_i].msg);
	ck_assert_str_eq(syn_err, want);
	ck_assert_str_eq(syn_out, "");
}
END_TEST

START_TEST(test_no_gnuplot)
{
	const char *run = lost_synack("plot_nognuplot");
	setenv("PATH", "/nonexistent", 1);	/* this test's own process */
	ck_assert_int_eq(SYNSIM("plot", run), 2);
	ck_assert_str_eq(syn_err, "synsim: gnuplot not found on PATH: it draws the "
	                 "pictures (Debian: apt-get install gnuplot-nox)\n");
	ck_assert(!exists(in_dir("run/ladder.png")));
}
END_TEST

/* Anything gnuplot says is a failure, shown, and leaves no picture. */
START_TEST(test_gnuplot_warning_fails)
{
	const char *run = lost_synack("plot_warning");
	const char *plots = in_dir("plots");
	ck_assert_int_eq(mkdir(plots, 0777), 0);
	write_file(in_dir("plots/ladder.gp"),
	           "set terminal pngcairo size 100,100\n"
	           "set output out\n"
	           "plot '" TEST_TMP "/plot_warning/plots/empty' using 1:2\n");
	write_file(in_dir("plots/empty"), "");
	setenv("SYNSIM_PLOTS", plots, 1);
	ck_assert_int_eq(SYNSIM("plot", run), 2);
	assert_has(syn_err, "synsim: gnuplot failed drawing ");
	assert_has(syn_err, "/run/ladder.png with ");
	assert_has(syn_err, "warning: Skipping data file with no valid points");
	ck_assert(!exists(in_dir("run/ladder.png")));
	assert_no_temporaries();
}
END_TEST

static Suite *
plot_suite(void)
{
	Suite *s = suite_create("plot");
	TCase *tc;

	tc = tcase_create("pictures");
	tcase_add_checked_fixture(tc, NULL, synsim_reset);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_png);
	tcase_add_test(tc, test_svg);
	tcase_add_test(tc, test_c_locale);
	tcase_add_test(tc, test_same_bytes);
	suite_add_tcase(s, tc);

	tc = tcase_create("data");
	tcase_add_checked_fixture(tc, NULL, synsim_reset);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_ladder_rows);
	tcase_add_test(tc, test_retx_marked_by_tcp);
	tcase_add_test(tc, test_states_brief);
	tcase_add_test(tc, test_window);
	tcase_add_test(tc, test_routed_handshakes);
	tcase_add_test(tc, test_hosts);
	tcase_add_test(tc, test_band_labels_avoid_others);
	tcase_add_test(tc, test_many_columns);
	tcase_add_test(tc, test_dumbbell_columns);
	tcase_add_test(tc, test_three_hops_columns);
	tcase_add_test(tc, test_drop_labels);
	tcase_add_test(tc, test_flood_columns);
	tcase_add_test(tc, test_equal_handshakes);
	tcase_add_test(tc, test_too_many_nodes);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_checked_fixture(tc, NULL, synsim_reset);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_missing_packets);
	tcase_add_loop_test(tc, test_usage_errors, 0,
	                    (int)(sizeof usage_errors / sizeof usage_errors[0]));
	tcase_add_test(tc, test_no_gnuplot);
	tcase_add_test(tc, test_gnuplot_warning_fails);
	suite_add_tcase(s, tc);

	tc = tcase_create("damaged");
	tcase_add_checked_fixture(tc, NULL, synsim_reset);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_bad_rows, 0,
	                    (int)(sizeof bad_rows / sizeof bad_rows[0]));
	tcase_add_test(tc, test_latest_time);
	tcase_add_test(tc, test_window_outside);
	tcase_add_test(tc, test_all_or_nothing);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(plot_suite());
}
