/*
 * check_csv.c - packets.csv and states.csv as RFC 4180 files: every row
 * has the header's fields, and a field that holds commas (a packet's
 * SACK blocks) is quoted, so the project's own reader and any CSV tool
 * read them back whole.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "trace/csvread.h"

/* lossy-wifi (seed 1) holds segments out of order: at 66.301812 ms the
 * server's duplicate ACK carries two SACK blocks. */
START_TEST(test_sack_blocks_quoted)
{
	use_dir("csv_sack");
	ck_assert_int_eq(SYNSIM("run", SOURCE_DIR "/scenarios/lossy-wifi.lua",
	                        "--out", in_dir("run"), "-q"), 0);
	char *text = read_file(in_dir("run/packets.csv"), NULL);
	ck_assert_ptr_nonnull(text);
	assert_has(text, "\n66301812,97,server,client-server,client,server,"
	           "client,send,ACK,1858477456,101465289,1,4345,0,501,64,"
	           "\"ts=166042431/3373505994;sack=101526521-101527969,"
	           "101466737-101525185\",out-of-order segment: duplicate ACK,"
	           ",,176,0\n");
	free(text);
	struct csvtab t = { 0 };
	ck_assert_int_eq(csv_read(in_dir("run/packets.csv"), &t), 0);
	int opts = csv_col(&t, "options");
	ck_assert_int_ge(opts, 0);
	int two = 0;
	for (int r = 1; r < t.nrows; r++)
		if (strstr(t.rows[r][opts], ";sack=") &&
		    strchr(strstr(t.rows[r][opts], ";sack="), ','))
			two++;
	ck_assert_int_gt(two, 0);
	csv_tab_free(&t);
	/* and the commands that read the run take it */
	ck_assert_int_eq(SYNSIM("ladder", in_dir("run"), "--ascii"), 0);
	ck_assert_int_eq(SYNSIM("plot", in_dir("run")), 0);
}
END_TEST

static Suite *
csv_suite(void)
{
	Suite *s = suite_create("csv");
	TCase *tc = tcase_create("rows");
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, NULL, synsim_reset);
	tcase_add_test(tc, test_sack_blocks_quoted);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(csv_suite());
}
