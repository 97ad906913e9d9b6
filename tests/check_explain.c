/*
 * check_explain.c - explain.csv: the rule of every arrival and every
 * timer, numbered into the order of packets.csv and states.csv.  Exact
 * rows of lost-synack; its own output group.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "helpers.h"

static char *
explain_of(const char *name, const char *outputs)
{
	use_dir(name);
	int rc = outputs ?
	         SYNSIM("run", SOURCE_DIR "/scenarios/lost-synack.lua", "--out",
	                in_dir("run"), "-q", "--outputs", outputs) :
	         SYNSIM("run", SOURCE_DIR "/scenarios/lost-synack.lua", "--out",
	                in_dir("run"), "-q");
	ck_assert_msg(rc == 0, "%s", syn_err);
	return read_file(in_dir("run/explain.csv"), NULL);
}

/* Lines of text, the header not counted. */
static int
rows(const char *text)
{
	int n = -1;
	for (const char *p = text; (p = strchr(p, '\n')) != NULL; p++)
		n++;
	return n;
}

START_TEST(test_lost_synack_rows)
{
	char *t = explain_of("explain_rows", NULL);
	ck_assert_ptr_nonnull(t);
	/* The header, the client's first SYN timer (set after its SYN,
	 * event 2), the arrival of that SYN at the server (event 3).  The
	 * deadline is where each host's timer wheel puts the timeout
	 * (tests/tcp_fixture.h has the wheels of seed 1): the client's 1 s
	 * from 0 at 1012792873, then 2 s at 3028792873; the server's 1 s
	 * from 50.048 ms at 1069807652. */
	const char *head =
		"t_ns,host,conn,event,timer,deadline_ns,rto_ns,rule,event_no\n"
		"0,client,1,timer-set,SYN-RTO,1012792873,1000000000,,2\n"
		"50048000,server,,arrival,,,,\"RFC 9293 3.10.7.2, LISTEN, third "
		"check: SYN, a new connection\",3\n"
		"50048000,server,1,timer-set,SYN-ACK-RTO,1069807652,1000000000,,6\n"
		"1012792873,client,1,timer-fire,SYN-RTO,1012792873,1000000000,,6\n"
		"1012792873,client,1,timer-set,SYN-RTO,3028792873,1000000000,,7\n";
	ck_assert_msg(strncmp(t, head, strlen(head)) == 0, "got:\n%s", t);
	/* The repeated SYN reaches the server before its timer fires: it is
	 * answered, and the timer set again (server's counter 750 at
	 * 1062.840873 ms, + 250 = 1000, bucket 1008: 2093807652). */
	assert_has(t, "1062840873,server,,arrival,,,,\"linux: tcp_check_req: "
	              "the SYN again, answered with the SYN-ACK again\",8\n"
	              "1062840873,server,1,timer-set,SYN-ACK-RTO,2093807652,"
	              "1000000000,,9\n");
	ck_assert_ptr_null(strstr(t, "timer-fire,SYN-ACK-RTO"));
	/* The last row: TIME-WAIT ends, 60 s after it began at 1213135273,
	 * on the client's wheel: counter 530 + 15000, bucket 15872. */
	assert_has(t, "62580792873,client,1,timer-fire,TIME-WAIT,62580792873,"
	              "3768921875,,30\n");
	/* One arrival row per recv row of packets.csv at a TCP host. */
	char *p = read_file(in_dir("run/packets.csv"), NULL);
	int recv = 0, arrival = 0;
	for (const char *q = p; (q = strstr(q, ",recv,")) != NULL; q++)
		recv++;
	for (const char *q = t; (q = strstr(q, ",arrival,")) != NULL; q++)
		arrival++;
	ck_assert_int_eq(recv, 9);
	ck_assert_int_eq(arrival, recv);
	/* 28: the probe timer is set again when data follows the
	 * handshake's ACK (RFC 8985 7.2) */
	ck_assert_int_eq(rows(t), 28);
	free(p);
	free(t);
}
END_TEST

/* Its own output group: written alone it is the same file (it numbers
 * events itself), and a run without it removes an older one. */
START_TEST(test_own_group)
{
	char *all = explain_of("explain_group", NULL);
	ck_assert_ptr_nonnull(all);
	char *alone = explain_of("explain_group", "explain");
	ck_assert_ptr_nonnull(alone);
	ck_assert_str_eq(alone, all);
	free(alone);
	free(all);
	ck_assert_int_eq(SYNSIM("run", SOURCE_DIR "/scenarios/lost-synack.lua",
	                        "--out", in_dir("run"), "-q", "--outputs",
	                        "summary,csv"), 0);
	struct stat sb;
	ck_assert_int_ne(stat(in_dir("run/explain.csv"), &sb), 0);
}
END_TEST

static Suite *
explain_suite(void)
{
	Suite *s = suite_create("explain");
	TCase *tc = tcase_create("rows");
	tcase_add_checked_fixture(tc, NULL, synsim_reset);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_lost_synack_rows);
	tcase_add_test(tc, test_own_group);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(explain_suite());
}
