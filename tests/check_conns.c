/*
 * check_conns.c - the per-connection records (sim/trace/conns.c): asked
 * for with --outputs connections they are in summary.json, exactly as
 * in a default run, and in connections.csv; with --outputs summary
 * alone summary.json counts connections by outcome instead.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

#define STORM SOURCE_DIR "/tests/bench/storm.lua"

/* Three connections from two clients, no loss (seed 1). */
static int
storm3(const char *out, const char *outputs)
{
	if (outputs)
		return SYNSIM("run", STORM, "--quiet", "--out", in_dir(out), "-D",
		              "conns=3", "-D", "hosts=2", "--outputs", outputs);
	return SYNSIM("run", STORM, "--quiet", "--out", in_dir(out), "-D",
	              "conns=3", "-D", "hosts=2");
}

START_TEST(test_csv_records)
{
	use_dir("conns_csv");
	ck_assert_int_eq(storm3("o", "connections"), 0);
	char *csv = read_file(in_dir("o/connections.csv"), NULL);
	/* The clients close after TIME-WAIT on their hosts' timer wheels
	 * (seed 1): h1's jiffies read 156 mod 512 at time 0, tick phase
	 * 1.531820 ms: at 200.342 and 202.342 ms its counter reads 206, +
	 * 15000 = 15206, level 3, bucket 15360, 15204 ticks on,
	 * 60814.468180 ms for both; h2 (497, 3.478392 ms) at 201.342 ms
	 * reads 548, + 15000 = 15548, bucket 15872: 61496.521608 ms. */
	ck_assert_str_eq(csv,
	  "host,conn,local,remote,passive,state,outcome,opened_ns,"
	  "established_ns,handshake_ns,closed_ns,retransmits,bytes_sent,"
	  "bytes_acked,bytes_received,mss,sack,timestamps\n"
	  "server,1,10.0.0.1:80,10.0.0.2:53688,1,CLOSED,closed,50048000,"
	  "150137600,100089600,250384000,0,0,0,100,1448,1,1\n"
	  "server,2,10.0.0.1:80,10.0.0.3:50741,1,CLOSED,closed,51048000,"
	  "151137600,100089600,251384000,0,0,0,100,1448,1,1\n"
	  "server,3,10.0.0.1:80,10.0.0.2:53689,1,CLOSED,closed,52048000,"
	  "152137600,100089600,252384000,0,0,0,100,1448,1,1\n"
	  "h1,1,10.0.0.2:53688,10.0.0.1:80,0,CLOSED,closed,0,100096000,"
	  "100096000,60814468180,0,100,100,0,1448,1,1\n"
	  "h1,2,10.0.0.2:53689,10.0.0.1:80,0,CLOSED,closed,2000000,102096000,"
	  "100096000,60814468180,0,100,100,0,1448,1,1\n"
	  "h2,1,10.0.0.3:50741,10.0.0.1:80,0,CLOSED,closed,1000000,101096000,"
	  "100096000,61496521608,0,100,100,0,1448,1,1\n");
	free(csv);
}
END_TEST

/* summary,connections writes the summary.json of a default run, byte for
 * byte; summary alone leaves the records out and counts outcomes. */
START_TEST(test_summary_records_only_when_asked)
{
	use_dir("conns_summary");
	ck_assert_int_eq(storm3("all", NULL), 0);
	ck_assert_int_eq(storm3("sc", "summary,connections"), 0);
	ck_assert_int_eq(storm3("s", "summary"), 0);
	char *all = read_file(in_dir("all/summary.json"), NULL);
	char *sc = read_file(in_dir("sc/summary.json"), NULL);
	char *s = read_file(in_dir("s/summary.json"), NULL);
	ck_assert_str_eq(sc, all);
	assert_has(all, "  \"connections\": [\n    {\"host\": \"server\", "
	           "\"conn\": 1, \"local\": \"10.0.0.1:80\", \"remote\": "
	           "\"10.0.0.2:53688\", \"passive\": true, \"state\": \"CLOSED\", "
	           "\"outcome\": \"closed\", \"opened_ns\": 50048000, "
	           "\"established_ns\": 150137600, \"handshake_ns\": 100089600, "
	           "\"closed_ns\": 250384000, \"retransmits\": 0, \"bytes_sent\": "
	           "0, \"bytes_acked\": 0, \"bytes_received\": 100, \"mss\": 1448, "
	           "\"sack\": true, \"timestamps\": true},\n");
	ck_assert_ptr_null(strstr(s, "\"connections\": ["));
	assert_has(s, "  },\n  \"connection_count\": 6,\n"
	           "  \"outcomes\": {\"closed\": 6},\n  \"listeners\": [");
	/* Everything before the records is the same but the fingerprint,
	 * which summary alone takes lean (check_fingerprint.c). */
	size_t head = (size_t)(strstr(all, "  \"fingerprint\": ") - all);
	ck_assert_int_eq(strncmp(s, all, head), 0);
	ck_assert_ptr_null(strstr(all, "fingerprint_kind"));
	const char *rest = strstr(s, "  \"fingerprint_kind\": \"lean\",\n"
	                          "  \"status\": 0,\n");
	ck_assert_ptr_nonnull(rest);
	rest = strchr(rest, '\n') + 1;
	const char *arest = strstr(all, "  \"status\": 0,\n");
	size_t body = (size_t)(strstr(all, "  \"trace_events\": ") - arest);
	ck_assert_int_eq(strncmp(rest, arest, body), 0);
	free(all);
	free(sc);
	free(s);
}
END_TEST

/* Outcomes other than closed are counted under their names, in a fixed
 * order: a connect to a closed port (refused), one that gives up after
 * 1 ms (its SYN-ACK, 20 ms later, is answered with RST, which refuses
 * the server's half of it too), and one whose SYN has just arrived when
 * the run stops (opening on both sides). */
START_TEST(test_outcome_counts)
{
	use_dir("conns_outcomes");
	write_file(in_dir("s.lua"),
	           "local net = sim.network{ profile = 'linux' }\n"
	           "local a, b = net:host 'a', net:host 'b'\n"
	           "net:link(a, b, { delay = '10ms' })\n"
	           "b:listen(80)\n"
	           "a:connect(b, 81)\n"
	           "a:connect(b, 80, { timeout = '1ms' })\n"
	           "a:connect(b, 80, { at = '1s' })\n"
	           "net:run{ ['until'] = '1.01s' }\n");
	ck_assert_int_eq(SYNSIM("run", in_dir("s.lua"), "--quiet", "--out",
	                        in_dir("o"), "--outputs", "summary"), 0);
	char *s = read_file(in_dir("o/summary.json"), NULL);
	assert_has(s, "\"connection_count\": 5,\n  \"outcomes\": "
	           "{\"opening\": 2, \"ETIMEDOUT\": 1, \"ECONNREFUSED\": 2},\n");
	free(s);
}
END_TEST

/* The lean fingerprint is a check of the run: the same for the same seed,
 * another for another seed. */
START_TEST(test_lean_fingerprint_repeats)
{
	use_dir("conns_lean");
	char *f[3];
	for (int i = 0; i < 3; i++) {
		char out[32];
		snprintf(out, sizeof out, "o%d", i);
		ck_assert_int_eq(SYNSIM("run", STORM, "--quiet", "--out", in_dir(out),
		                        "-D", "conns=50", "-D", "loss=0.05", "--seed",
		                        i == 2 ? "2" : "1", "--outputs", "summary"), 0);
		snprintf(out, sizeof out, "o%d/summary.json", i);
		char *sum = read_file(in_dir(out), NULL);
		f[i] = strndup(strstr(sum, "\"fingerprint\""), 40);
		free(sum);
	}
	ck_assert_str_eq(f[0], f[1]);
	ck_assert_str_ne(f[0], f[2]);
	for (int i = 0; i < 3; i++)
		free(f[i]);
}
END_TEST

static Suite *
conns_suite(void)
{
	Suite *s = suite_create("conns");
	TCase *tc = tcase_create("records");
	tcase_add_checked_fixture(tc, NULL, synsim_reset);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_csv_records);
	tcase_add_test(tc, test_summary_records_only_when_asked);
	tcase_add_test(tc, test_outcome_counts);
	tcase_add_test(tc, test_lean_fingerprint_repeats);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(conns_suite());
}
