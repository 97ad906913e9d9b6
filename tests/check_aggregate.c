/*
 * check_aggregate.c - aggregate.png, the ladder of a run too busy for
 * arrows: per direction between hosts (spoofed sources as one end),
 * packets arrived and dropped per time bin.  Drawn when the ladder left
 * packets out; its counts add up to packets.csv's.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

START_TEST(test_flood)
{
	const char *run = run_scenario_into("agg_flood", "syn-flood.lua");
	ck_assert_int_eq(SYNSIM("plot", run), 0);
	assert_has(syn_out, "/aggregate.png\n");
	char *dat = read_file(in_dir("run/aggregate.dat"), NULL);
	ck_assert_ptr_nonnull(dat);
	assert_has(dat, "row\t0\t(spoofed) \xe2\x86\x92 server\n"
	           "row\t1\tserver \xe2\x86\x92 (spoofed)\n"
	           "row\t2\tclient \xe2\x86\x92 server\n"
	           "row\t3\tserver \xe2\x86\x92 client\n");
	/* the client's row: its 6 SYNs, 5 of them dropped at the full
	 * queue on arrival, then its ACK, data, FIN and last ACK: the 10
	 * rows "recv" from client to server in packets.csv */
	int arr = 0, drops = 0;
	char *save = NULL;
	for (char *line = strtok_r(dat, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		int y, a, d;
		double t, w;
		if (sscanf(line, "cell\t%d\t%lf\t%lf\t%d\t%d", &y, &t, &w, &a,
		           &d) == 5 && y == 2) {
			arr += a;
			drops += d;
		}
	}
	free(dat);
	ck_assert_int_eq(drops, 5);
	ck_assert_int_eq(arr, 10);
	/* drawn again: the same bytes, every picture and data file */
	static const char *const files[] = {
		"run/aggregate.png", "run/aggregate.dat", "run/queues.png",
		"run/queues.dat", "run/ladder.png", "run/ladder.dat",
		"run/states.png",
	};
	enum { NF = sizeof files / sizeof files[0] };
	char *first[NF];
	size_t len[NF];
	for (int i = 0; i < NF; i++)
		first[i] = read_file(in_dir(files[i]), &len[i]);
	ck_assert_int_eq(SYNSIM("plot", run), 0);
	for (int i = 0; i < NF; i++) {
		size_t n;
		char *again = read_file(in_dir(files[i]), &n);
		ck_assert_msg(first[i] && again && n == len[i] &&
		              memcmp(first[i], again, n) == 0, "%s differs",
		              files[i]);
		free(first[i]);
		free(again);
	}
}
END_TEST

/* A run the ladder shows whole has no aggregate; one drawn before goes. */
START_TEST(test_not_needed)
{
	const char *run = run_scenario_into("agg_none", "syn-flood.lua");
	ck_assert_int_eq(SYNSIM("plot", run), 0);
	ck_assert_int_eq(SYNSIM("plot", run, "--conn", "client#1"), 0);
	ck_assert_ptr_null(strstr(syn_out, "aggregate.png"));
	char *l = dir_listing(run, ".png");
	ck_assert_ptr_null(strstr(l, "aggregate.png"));
	free(l);
}
END_TEST

static Suite *
aggregate_suite(void)
{
	Suite *s = suite_create("aggregate");
	TCase *tc = tcase_create("aggregate");
	tcase_add_checked_fixture(tc, NULL, synsim_reset);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_flood);
	tcase_add_test(tc, test_not_needed);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(aggregate_suite());
}
