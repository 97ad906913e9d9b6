/*
 * check_axis.c - the time axis of `synsim plot`: --scale cut (idle
 * stretches cut out, their bands growing with their length), linear
 * (to scale) and log; tick labels at both edges of every band and at
 * the window's ends, so a stretch's first and last instants are read
 * off the axis.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

/* Linear: no band; the client's CLOSED at 62.580792873 s (TIME-WAIT on
 * its timer wheel, tests/golden/lost-synack.trace.txt) is drawn at
 * 62580.792873 ms, and the last tick names it to a tenth of a second. */
START_TEST(test_linear)
{
	const char *run = run_scenario_into("axis_linear", "lost-synack.lua");
	ck_assert_int_eq(SYNSIM("plot", run, "--scale", "linear"), 0);
	const char *dat = in_dir("run/ladder.dat");
	char *s = dat_rows(dat, "band", (const int[]){ 2, 3 }, 2);
	ck_assert_str_eq(s, "");
	free(s);
	s = dat_rows(dat, "mark", (const int[]){ 3, 7 }, 2);
	assert_has(s, "62580.792873\t62580.792873\n");
	free(s);
	s = dat_rows(dat, "tick", (const int[]){ 2, 3 }, 2);
	ck_assert_str_eq(s, "0.000000\t0\n10000.000000\t10\n20000.000000\t20\n"
	                 "30000.000000\t30\n40000.000000\t40\n"
	                 "50000.000000\t50\n60000.000000\t60\n"
	                 "62580.792873\t62.6\n");
	free(s);
}
END_TEST

/* Log: y = h log2(1 + t / h) for the typical hop h (50.048 ms here):
 * the SYN+ACK that gets through at 1112.888873 ms, and ticks at 1, 2, 5
 * times the powers of ten. */
START_TEST(test_log)
{
	const char *run = run_scenario_into("axis_log", "lost-synack.lua");
	ck_assert_int_eq(SYNSIM("plot", run, "--scale", "log"), 0);
	const char *dat = in_dir("run/ladder.dat");
	char *s = dat_rows(dat, "mark", (const int[]){ 3, 7 }, 2);
	char want[64];
	snprintf(want, sizeof want, "%.6f\t1112.888873\n",
	         50.048 * log2(1 + 1112.888873 / 50.048));
	assert_has(s, want);
	free(s);
	s = dat_rows(dat, "tick", (const int[]){ 3, 3 }, 2);
	assert_has(s, "0\t0\n0.01\t0.01\n0.05\t0.05\n0.1\t0.1\n0.2\t0.2\n0.5\t"
	           "0.5\n1\t1\n2\t2\n5\t5\n10\t10\n20\t20\n50\t50\n62.6\t62.6\n");
	free(s);
}
END_TEST

/* Cut (the default): a tick at each edge of both bands (0.1 and
 * 1.013 s, the client's SYN timer on its wheel; 1.263 and 62.581 s);
 * the 61.3 s band stands taller than the 913 ms one, by half a hop per
 * doubling.  Odd instants get three decimals. */
START_TEST(test_cut_edges)
{
	const char *run = run_scenario_into("axis_cut", "lost-synack.lua");
	ck_assert_int_eq(SYNSIM("plot", run), 0);
	const char *dat = in_dir("run/ladder.dat");
	char *s = dat_rows(dat, "tick", (const int[]){ 3, 3 }, 2);
	assert_has(s, "0.1\t0.1\n1.013\t1.013\n");
	assert_has(s, "1.263\t1.263\n62.581\t62.581\n");
	free(s);
	s = dat_rows(dat, "band", (const int[]){ 2, 3 }, 2);
	double a0, a1, b0, b1;
	ck_assert_int_eq(sscanf(s, "%lf\t%lf\n%lf\t%lf", &a0, &a1, &b0, &b1), 4);
	free(s);
	double d = 50.048;	/* the typical hop, ms */
	ck_assert_double_eq_tol(a1 - a0, d * (1 + log2((1012.792873 - 100.048) /
	                                               (4 * d)) / 2), 0.01);
	ck_assert_double_eq_tol(b1 - b0,
	                        d * (1 + log2((62580.792873 - 1263.176873) /
	                                      (4 * d)) / 2), 0.01);
}
END_TEST

START_TEST(test_bad_scale)
{
	const char *run = run_scenario_into("axis_bad", "lost-synack.lua");
	ck_assert_int_eq(SYNSIM("plot", run, "--scale", "sqrt"), 2);
	assert_has(syn_err, "synsim: --scale sqrt: expected cut, linear or log\n");
}
END_TEST

static Suite *
axis_suite(void)
{
	Suite *s = suite_create("axis");
	TCase *tc = tcase_create("axis");
	tcase_add_checked_fixture(tc, NULL, synsim_reset);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_linear);
	tcase_add_test(tc, test_log);
	tcase_add_test(tc, test_cut_edges);
	tcase_add_test(tc, test_bad_scale);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(axis_suite());
}
