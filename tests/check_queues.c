/*
 * check_queues.c - queues.png, the SYN flood's picture, from the run's
 * own files: the SYN queue is the listener's connections in
 * SYN-RECEIVED (states.csv), cookies and drops come from packets.csv;
 * a queues.csv, when a run has one, gives the queues instead.  Also
 * tseq.png, the time-sequence graph of the connection on the ladder.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

/* Over the rows of queues.dat: the longest SYN queue, and the sums of
 * rate x bin width of cookies and drops (their counts). */
static void
read_queues(const char *path, int *maxq, double *cookies, double *drops)
{
	char *text = read_file(path, NULL);
	ck_assert_msg(text != NULL, "no %s", path);
	*maxq = 0;
	*cookies = *drops = 0;
	char *save = NULL;
	for (char *line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		double t, w, c, d;
		int n;
		if (sscanf(line, "syn\t%lf\t%d", &t, &n) == 2 && n > *maxq)
			*maxq = n;
		if (sscanf(line, "bin\t%lf\t%lf\t%lf\t%lf", &t, &w, &c, &d) == 4) {
			*cookies += c * w;
			*drops += d * w;
		}
	}
	free(text);
}

/* Rows of a CSV file holding every one of the strings. */
static int
count_rows(const char *path, const char *a, const char *b)
{
	char *text = read_file(path, NULL);
	ck_assert_ptr_nonnull(text);
	int n = 0;
	char *save = NULL;
	for (char *line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		n += strstr(line, a) && strstr(line, b);
	free(text);
	return n;
}

/* syn-flood: 64 slots and one more before the first drop (the queue is
 * full when it holds more than backlog, as Linux's reqsk_queue_len >
 * sk_max_ack_backlog); every SYN the server dropped "listen queue full",
 * binned; no cookie without -D syncookies=1.  The counts follow the
 * pruning of the server's SYN-ACK timers, which its timer wheel fires in
 * batches (check_focus says how). */
START_TEST(test_flood)
{
	const char *run = run_scenario_into("queues_flood", "syn-flood.lua");
	ck_assert_int_eq(SYNSIM("plot", run), 0);
	assert_has(syn_out, "/queues.png\n");
	int maxq;
	double cookies, drops;
	read_queues(in_dir("run/queues.dat"), &maxq, &cookies, &drops);
	ck_assert_int_eq(maxq, 65);
	int want = count_rows(in_dir("run/packets.csv"), ",server,",
	                      ",drop,SYN,");
	ck_assert_int_eq(want, 2837);
	ck_assert_double_eq_tol(drops, want, 0.01);
	ck_assert_double_eq_tol(cookies, 0, 0.001);
}
END_TEST

/* With cookies the server answers each SYN past the full queue with a
 * cookie and drops none. */
START_TEST(test_cookies)
{
	snprintf(syn_dir, sizeof syn_dir, "%s", test_dir("queues_cookies"));
	char run[1200];	/* in_dir's buffers rotate */
	snprintf(run, sizeof run, "%s", in_dir("run"));
	ck_assert_int_eq(SYNSIM("run", SOURCE_DIR "/scenarios/syn-flood.lua",
	                        "--out", run, "-q", "-D", "syncookies=1"), 0);
	ck_assert_int_eq(SYNSIM("plot", run), 0);
	int maxq;
	double cookies, drops;
	read_queues(in_dir("run/queues.dat"), &maxq, &cookies, &drops);
	int want = count_rows(in_dir("run/packets.csv"), ",send,SYN+ACK,",
	                      "SYN cookie");
	ck_assert_int_eq(want, 2833);
	ck_assert_double_eq_tol(cookies, want, 0.01);
	ck_assert_double_eq_tol(drops, 0, 0.001);
}
END_TEST

/* A queues.csv beside the run's files gives the queues, accept queue
 * too. */
START_TEST(test_queues_csv)
{
	const char *run = run_scenario_into("queues_csv", "lost-synack.lua");
	write_file(in_dir("run/queues.csv"),
	           "t_ns,host,syn_queue,accept_queue\n"
	           "50048000,server,2,0\n"
	           "1150137600,server,0,1\n"
	           "1150200000,server,0,0\n");
	ck_assert_int_eq(SYNSIM("plot", run), 0);
	char *dat = read_file(in_dir("run/queues.dat"), NULL);
	ck_assert_ptr_nonnull(dat);
	assert_has(dat, "the queues from queues.csv\n");
	assert_has(dat, "syn\t0.050048000\t2\nsyn\t1.150137600\t0\n");
	assert_has(dat, "accept\t1.150137600\t1\naccept\t1.150200000\t0\n");
	free(dat);
}
END_TEST

/* No listener took a SYN (timers.lua sends nothing): no queues.png. */
START_TEST(test_no_listener)
{
	const char *run = run_scenario_into("queues_none", "simultaneous.lua");
	ck_assert_int_eq(SYNSIM("plot", run), 0);
	assert_has(syn_out, "queues.png skipped: no listener took a SYN\n");
}
END_TEST

/* tseq of outage.lua's transfer: the client's 30 data segments, first
 * sends and retransmissions, two of them lost to the outage; the server
 * sends no data, so one panel. */
START_TEST(test_tseq)
{
	const char *run = run_scenario_into("tseq", "outage.lua");
	ck_assert_int_eq(SYNSIM("plot", run), 0);
	assert_has(syn_out, "/tseq.png\n");
	char *dat = read_file(in_dir("run/tseq.dat"), NULL);
	ck_assert_ptr_nonnull(dat);
	int segs = 0, retx = 0, lost = 0;
	char *save = NULL;
	for (char *line = strtok_r(dat, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		double t;
		long s0, s1;
		int r, l;
		if (sscanf(line, "seg\t%lf\t%ld\t%ld\t%d\t%d", &t, &s0, &s1, &r,
		           &l) == 5) {
			segs++;
			retx += r;
			lost += l;
		}
	}
	free(dat);
	/* the client's sends with len > 0 in packets.csv: 20 writes and
	 * the 2 lost in the outage, resent once SACK shows them lost */
	ck_assert_int_eq(segs, 22);
	ck_assert_int_gt(retx, 0);
	ck_assert_int_eq(lost, 2);
}
END_TEST

static Suite *
queues_suite(void)
{
	Suite *s = suite_create("queues");
	TCase *tc = tcase_create("queues");
	tcase_add_checked_fixture(tc, NULL, synsim_reset);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_flood);
	tcase_add_test(tc, test_cookies);
	tcase_add_test(tc, test_queues_csv);
	tcase_add_test(tc, test_no_listener);
	tcase_add_test(tc, test_tseq);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(queues_suite());
}
