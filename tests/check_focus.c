/*
 * check_focus.c - what `synsim plot` draws of a run with more than a
 * ladder holds: the active opens' connections (the client among a SYN
 * flood), with a note saying what was left out; --conn HOST#N for one
 * connection, both sides; --all for everything; and a state timeline
 * that shows the client of interest first.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

/* One field of the rows of path starting with kind, a line each. */
static char *
names_of(const char *path, const char *kind, int field)
{
	return dat_rows(path, kind, &field, 1);
}

/* syn-flood without options: the client's connection and the server's
 * side of it (the one that got in at 33 s); the attacker's column goes
 * with its spoofed SYNs, and the note says so.  170 connections: on the
 * server's timer wheel the SYN-ACK timers of requests that came within
 * a few ms fire on one tick, so the pruning (reqsk_timer_handler, one
 * request after another) frees many slots before the next spoofed SYN
 * arrives, where on the nanosecond each freed slot is refilled at once
 * and the next request counts it young: 33 more requests get in. */
START_TEST(test_flood_focus)
{
	const char *run = run_scenario_into("focus_flood", "syn-flood.lua");
	ck_assert_int_eq(SYNSIM("plot", run), 0);
	ck_assert_str_eq(syn_err, "");
	assert_has(syn_out, "focus: 1 of 170 connections (client #1); 9484 "
	           "packet hops of the others and of no connection left out: "
	           "--conn HOST#N picks one, --all draws all\n");
	char *s = names_of(in_dir("run/ladder.dat"), "host", 3);
	ck_assert_str_eq(s, "client\nr\nserver\n");
	free(s);
	/* The client's six SYNs, the first five dropped at the full queue */
	s = names_of(in_dir("run/ladder.dat"), "dropped", 11);
	ck_assert_str_eq(s, "SYN 0 dropped: listen queue full\n"
	                 "SYN 0 dropped: listen queue full\n"
	                 "SYN 0 dropped: listen queue full\n"
	                 "SYN 0 dropped: listen queue full\n"
	                 "SYN 0 dropped: listen queue full\n");
	free(s);
	/* The timeline: the client and its server side first, then the
	 * flood's half-open connections, as many as fit. */
	s = names_of(in_dir("run/states.dat"), "row", 3);
	ck_assert_msg(strncmp(s, "client #1\nserver #170\nserver #1\n", 32) == 0,
	              "%s", s);
	free(s);
}
END_TEST

/* --conn names one connection by either side; both sides are drawn,
 * and the timeline has those two rows only. */
START_TEST(test_conn)
{
	const char *run = run_scenario_into("focus_conn", "syn-flood.lua");
	ck_assert_int_eq(SYNSIM("plot", run, "--conn", "server#170"), 0);
	assert_has(syn_out, "focus: connection client #1 alone (--conn)\n");
	char *s = names_of(in_dir("run/states.dat"), "row", 3);
	ck_assert_str_eq(s, "client #1\nserver #170\n");
	free(s);
	s = names_of(in_dir("run/ladder.dat"), "host", 3);
	ck_assert_str_eq(s, "client\nr\nserver\n");
	free(s);
	/* a flood's half-open connection: the spoofed SYN that made it,
	 * from the attacker's column; its SYN-ACKs to an address nobody
	 * has, dropped at the server with no route */
	ck_assert_int_eq(SYNSIM("plot", run, "--conn", "server #1"), 0);
	s = names_of(in_dir("run/states.dat"), "row", 3);
	ck_assert_str_eq(s, "server #1\n");
	free(s);
	s = names_of(in_dir("run/ladder.dat"), "host", 3);
	ck_assert_str_eq(s, "attacker\nr\nserver\n");
	free(s);
	s = names_of(in_dir("run/ladder.dat"), "arrow", 11);
	ck_assert_str_eq(s, "SYN 0\nSYN 0\n");
	free(s);
	s = names_of(in_dir("run/ladder.dat"), "dropped", 9);
	/* 1 s and 2 s on the server's wheel (tests/tcp_fixture.h: its
	 * counter 489 at 20.00704 ms, + 250 -> bucket 744; + 500 -> 1248) */
	ck_assert_str_eq(s, "20.00704\n1037.807652\n3053.807652\n");
	free(s);
}
END_TEST

/* --all: every connection, with the attacker's column. */
START_TEST(test_all)
{
	const char *run = run_scenario_into("focus_all", "syn-flood.lua");
	ck_assert_int_eq(SYNSIM("plot", run, "--all"), 0);
	ck_assert_ptr_null(strstr(syn_out, "focus:"));
	char *s = names_of(in_dir("run/ladder.dat"), "host", 3);
	ck_assert_str_eq(s, "client\nattacker\nr\nserver\n");
	free(s);
}
END_TEST

/* time-wait: the client opens two connections in the same nanosecond
 * and a third at 5 s, whose ISN lies just above the second's; each is
 * told apart and drawn in its own colour (column 12). */
START_TEST(test_colours)
{
	snprintf(syn_dir, sizeof syn_dir, "%s", test_dir("focus_colours"));
	char run[1200];
	snprintf(run, sizeof run, "%s", in_dir("run"));
	ck_assert_int_eq(SYNSIM("run", SOURCE_DIR "/scenarios/time-wait.lua",
	                        "--out", run, "-q"), 0);
	ck_assert_int_eq(SYNSIM("plot", run), 0);
	char *c = names_of(in_dir("run/ladder.dat"), "arrow", 12);
	char *t = names_of(in_dir("run/ladder.dat"), "arrow", 9);
	/* the SYNs at 0 (two), and at 5 s */
	char *save = NULL, *save2 = NULL;
	char seen[3][16] = { "", "", "" };
	int n = 0;
	for (char *a = strtok_r(c, "\n", &save), *b = strtok_r(t, "\n", &save2);
	     a && b; a = strtok_r(NULL, "\n", &save),
	     b = strtok_r(NULL, "\n", &save2)) {
		int k = 0;
		while (k < n && strcmp(seen[k], a) != 0)
			k++;
		if (k == n) {
			ck_assert_int_lt(n, 3);
			snprintf(seen[n++], sizeof seen[0], "%s", a);
		}
		if (strcmp(b, "5000") == 0)	/* the third connection's SYN */
			ck_assert_int_eq(k, 2);
	}
	ck_assert_int_eq(n, 3);
	free(c);
	free(t);
}
END_TEST

static const struct {
	const char *args[3], *err;
} bad[] = {
	{ { "--conn", "client" }, "synsim: --conn client: expected HOST#N, as "
	  "states.csv names a connection (client#1)\n" },
	{ { "--conn", "client#9" }, "synsim: --conn client#9: this run has no "
	  "such connection (states.csv names them, as host#N)\n" },
	{ { "--conn", "client#1", "--all" }, "synsim: --conn draws one "
	  "connection: not with --all or --hosts\n" },
};

START_TEST(test_bad_conn)
{
	const char *run = run_scenario_into("focus_bad", "syn-flood.lua");
	const char *const *a = bad[_i].args;
	int rc = a[2] ? SYNSIM("plot", run, a[0], a[1], a[2]) :
	         SYNSIM("plot", run, a[0], a[1]);
	ck_assert_int_eq(rc, 2);
	assert_has(syn_err, bad[_i].err);
}
END_TEST

static Suite *
focus_suite(void)
{
	Suite *s = suite_create("focus");
	TCase *tc = tcase_create("focus");
	tcase_add_checked_fixture(tc, NULL, synsim_reset);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_flood_focus);
	tcase_add_test(tc, test_conn);
	tcase_add_test(tc, test_all);
	tcase_add_test(tc, test_colours);
	tcase_add_loop_test(tc, test_bad_conn, 0,
	                    (int)(sizeof bad / sizeof bad[0]));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(focus_suite());
}
