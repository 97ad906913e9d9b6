/*
 * check_bench.c - the benchmark scenarios of tests/bench/ run small, so
 * what `make bench` measures is known to do what it says: every
 * connection of a storm is made, accepted and closed, a SYN flood fills
 * the queue without cookies and is answered with cookies.  Counts only:
 * no time is measured here.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

/* Run a benchmark scenario with the -D values given into a fresh folder
 * named name; it must exit 0 (its sim.expect checks held).  Returns its
 * summary.json. */
static char *
bench_run(const char *name, const char *scenario, const char *d1,
          const char *d2, const char *d3)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/tests/bench/%s", SOURCE_DIR, scenario);
	use_dir(name);
	const char *out = in_dir("out");
	int rc = SYNSIM("run", path, "--quiet", "--outputs", "summary", "--out",
	                out, "-D", d1, "-D", d2, "-D", d3);
	ck_assert_msg(rc == 0, "%s: exit %d:\n%s", scenario, rc, syn_err);
	ck_assert_str_eq(syn_err, "");
	return read_file(in_dir("out/summary.json"), NULL);
}

/* 100 connections at 1 % loss, seed 1: all made, accepted and closed;
 * the losses cost the clients 7 retransmissions. */
START_TEST(test_storm_counts)
{
	char *s = bench_run("storm", "storm.lua", "conns=100", "loss=0.01",
	                    "count=true");
	assert_has(s, "\"connections\": 100,");
	assert_has(s, "\"accepted\": 100,");
	assert_has(s, "\"syn_dropped\": 0,");
	assert_has(s, "\"closed\": 100,");
	assert_has(s, "\"errors\": 0,");
	assert_has(s, "\"eagain\": 0,");
	assert_has(s, "\"client_retransmits\": 6");	/* SACK recovery: one fewer */
	assert_has(s, "\"expectations_failed\": 0,");
	free(s);
}
END_TEST

/* Without loss nothing is retransmitted, and the run ends when the last
 * connection (the 50th, started at 49 ms) leaves TIME-WAIT: it entered
 * it at 249.3424 ms, when the server's FIN arrived (two round trips of
 * two 50 ms hops after its SYN, plus serialization at 10 Mb/s), and its
 * 60 s run on the timer wheel of its host h2 (seed 1: jiffies 497 mod
 * 512 at time 0, the tick phase 3.478392 ms): at 249.3424 ms the
 * counter reads 560, + 15000 = 15560, level 3, bucket 15872, 15375
 * ticks on: 61496.521608 ms, the latest of the 50 buckets. */
START_TEST(test_storm_clean)
{
	char *s = bench_run("storm-clean", "storm.lua", "conns=50", "hosts=3",
	                    "count=true");
	assert_has(s, "\"connections\": 50,");
	assert_has(s, "\"accepted\": 50,");
	assert_has(s, "\"closed\": 50,");
	assert_has(s, "\"client_retransmits\": 0");
	assert_has(s, "\"end_ns\": 61496521608,");
	free(s);
}
END_TEST

/* 10 000 SYNs, 100 us apart: the linux queue holds backlog + 1 = 4097
 * requests; without cookies the other 5903 SYNs are dropped, with
 * cookies each of them is answered with one. */
START_TEST(test_flood_counts)
{
	char *s = bench_run("flood", "flood.lua", "syns=10000", "cookies=0",
	                    "interval=100000");
	assert_has(s, "\"syn_dropped\": 5903,");
	assert_has(s, "\"cookies_sent\": 0,");
	assert_has(s, "\"half_open\": 4097");
	free(s);
	s = bench_run("flood-cookies", "flood.lua", "syns=10000", "cookies=1",
	              "interval=100000");
	assert_has(s, "\"syn_dropped\": 0,");
	assert_has(s, "\"cookies_sent\": 5903,");
	assert_has(s, "\"half_open\": 4097");
	free(s);
}
END_TEST

/* One client, 28300 connects 1 ms apart: its 28232 ephemeral ports
 * (32768-60999) are all in use at 28.232 s, the first TIME-WAIT ends at
 * 60.2 s, so the last 68 connects fail with EAGAIN, as on Linux.  With
 * tw_reuse a port is taken back from TIME-WAIT a second after its last
 * timestamp, and none fails. */
START_TEST(test_storm_one_client_ports)
{
	char *s = bench_run("storm-ports", "storm.lua", "conns=28300", "hosts=1",
	                    "count=true");
	assert_has(s, "\"connections\": 28232,");
	assert_has(s, "\"eagain\": 68,");
	assert_has(s, "\"closed\": 28232,");
	free(s);
	char path[1024];
	snprintf(path, sizeof path, "%s/tests/bench/storm.lua", SOURCE_DIR);
	use_dir("storm-reuse");
	ck_assert_int_eq(SYNSIM("run", path, "--quiet", "--outputs", "summary",
	                        "--out", in_dir("out"), "-D", "conns=28300", "-D",
	                        "hosts=1", "-D", "count=true", "-D",
	                        "tw_reuse=true"), 0);
	s = read_file(in_dir("out/summary.json"), NULL);
	assert_has(s, "\"connections\": 28300,");
	assert_has(s, "\"eagain\": 0,");
	assert_has(s, "\"closed\": 28300,");
	free(s);
}
END_TEST

static Suite *
bench_suite(void)
{
	Suite *s = suite_create("bench");
	TCase *tc = tcase_create("scenarios");
	tcase_add_checked_fixture(tc, NULL, synsim_reset);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_storm_counts);
	tcase_add_test(tc, test_storm_clean);
	tcase_add_test(tc, test_flood_counts);
	tcase_add_test(tc, test_storm_one_client_ports);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(bench_suite());
}
