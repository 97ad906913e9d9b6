/*
 * check_diff.c - `synsim diff`: identical runs, the same seed with a drop
 * rule switched off, different seeds, a run that stops early, and the
 * errors (missing folder, missing file, usage), through the binary.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/outfile.h"
#include "helpers.h"

static int
count_lines(const char *s)
{
	int n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* The first SYN-ACK is lost only while -D drop is true (the default). */
static const char drop_lua[] =
	"local net    = sim.network{ profile = 'linux' }\n"
	"local client = net:host 'client'\n"
	"local server = net:host 'server'\n"
	"local link   = net:link(client, server, { delay = '50ms', "
	"rate = '10Mbps' })\n"
	"if sim.param('drop', true) then\n"
	"  link:drop{ from = server, flags = 'SYN+ACK', first = 1 }\n"
	"end\n"
	"server:listen(80, { close = 'on_eof' })\n"
	"client:connect(server, 80, { send = 100, close = 'after_send' })\n"
	"net:run{ ['until'] = '120s' }\n";

/* Runs of drop.lua: a and a2 alike, b without the rule, c seed 2. */
static void
runs(const char *name)
{
	snprintf(syn_dir, sizeof syn_dir, "%s", test_dir(name));
	write_file(in_dir("drop.lua"), drop_lua);
	const char *lua = in_dir("drop.lua");
	ck_assert_int_eq(SYNSIM("run", lua, "--out", in_dir("a"), "-q"), 0);
	ck_assert_int_eq(SYNSIM("run", lua, "--out", in_dir("a2"), "-q"), 0);
	ck_assert_int_eq(SYNSIM("run", lua, "--out", in_dir("b"), "-q",
	                        "-D", "drop=false"), 0);
	ck_assert_int_eq(SYNSIM("run", lua, "--out", in_dir("c"), "-q",
	                        "--seed", "2"), 0);
	setenv("LC_ALL", "C.UTF-8", 1);
}

START_TEST(test_identical)
{
	runs("diff_identical");
	ck_assert_int_eq(SYNSIM("diff", in_dir("a"), in_dir("a2")), 0);
	assert_has(syn_out, "run parameters: the same\n");
	assert_has(syn_out, "the runs are identical: 31 events (packets.csv and "
	                "states.csv)\n");
	ck_assert_str_eq(syn_err, "");
	ck_assert_int_eq(count_lines(syn_out), 4);
}
END_TEST

/* Same seed, the drop rule removed: the first difference is the drop. */
START_TEST(test_drop_removed)
{
	runs("diff_drop");
	ck_assert_int_eq(SYNSIM("diff", in_dir("a"), in_dir("b")), 1);
	ck_assert_str_eq(syn_err, "");
	assert_has(syn_out, "run parameters differ:\n  -D drop: (default) | false\n"
	                "the runs differ from event 6 of 31 | 27\n"
	                "event 6 at 0.050048s: A: drop SYN+ACK 0 ack 1 "
	                "server→client at client-server (rule #1: 1st SYN+ACK "
	                "from server) | B: recv SYN+ACK 0 ack 1 server→client at "
	                "client\n"
	                "  field      A                                 B\n"
	                "  t_ns       50048000                          "
	                "100096000\n"
	                "  at         client-server                     client\n"
	                "  event      drop                              recv\n"
	                "  reason     rule #1: 1st SYN+ACK from server  (empty)\n"
	                "  rule       1                                 (empty)\n"
	                "\n");
	/* The ladders side by side: shared past on the same rows, each
	 * side's first differing line marked. */
	assert_has(syn_out,
"     0.050048s        │        (SYN received)  SYN-RECEIVED  │"
"      0.050048s        │        (SYN received)  SYN-RECEIVED\n"
"▶    0.050048s        │ rule #1: 1st… ✕─SYN+ACK 0 a…─┤       │"
"      0.050048s        │           ──SYN+ACK 0 ack 1──┤\n"
"     1.012792s        ├─────SYN 0───── retransmissi… │       │"
" ▶    0.100096s        │◀─SYN+ACK 0 ack 1──           │\n");
	/* 13 lines of report, 2 headings, the 4 rows before the last shared
	 * event (the window allows 10), it and 20 after it. */
	ck_assert_int_eq(count_lines(syn_out), 13 + 2 + 4 + 21);

	/* ASCII, asked for or by locale. */
	ck_assert_int_eq(SYNSIM("diff", in_dir("a"), in_dir("b"), "--ascii"), 1);
	assert_has(syn_out, "event 6 at 0.050048s: A: drop SYN+ACK 0 ack 1 "
	                "server->client at client-server (rule #1: 1st SYN+ACK "
	                "from server) | B: recv SYN+ACK 0 ack 1 server->client "
	                "at client\n");
	char *ascii = strdup(syn_out);
	setenv("LC_ALL", "C", 1);
	ck_assert_int_eq(SYNSIM("diff", in_dir("a"), in_dir("b")), 1);
	ck_assert_str_eq(syn_out, ascii);
	free(ascii);
}
END_TEST

/* Another seed: another ISN, so the first SYN already differs.  And
 * other phases of the hosts' timer wheels: with seed 2 the server's
 * SYN-ACK timer fires before the repeated SYN arrives, so it sends two
 * SYN-ACKs (35 events) where seed 1 sends one (31). */
START_TEST(test_other_seed)
{
	runs("diff_seed");
	ck_assert_int_eq(SYNSIM("diff", in_dir("a"), in_dir("c")), 1);
	assert_has(syn_out, "run parameters differ:\n  seed: 1 | 2\n"
	                "the runs differ from event 2 of 31 | 35\n"
	                "event 2 at 0.000000s: A: send SYN 0 client→server at "
	                "client | B: send SYN 0 client→server at client\n"
	                "  field      A                                         B\n"
	                "  seq        101460944                                 "
	                "2463410171\n"
	                "  options    mss=1460;wscale=7;sackOK;ts=3373505969/0  "
	                "mss=1460;wscale=7;sackOK;ts=4086172464/0\n\n");
	char want[1200];
	snprintf(want, sizeof want, "A: %s  (synsim run %s --seed 1)\n",
	         in_dir("a"), in_dir("drop.lua"));
	ck_assert_msg(strncmp(syn_out, want, strlen(want)) == 0, "%s", syn_out);
	snprintf(want, sizeof want, "B: %s  (synsim run %s --seed 2)\n",
	         in_dir("c"), in_dir("drop.lua"));
	assert_has(syn_out, want);
}
END_TEST

/* A third host that connects, or not, before the client. */
static const char other_lua[] =
	"local net    = sim.network{ profile = 'linux' }\n"
	"local client = net:host 'client'\n"
	"local server = net:host 'server'\n"
	"local other  = net:host 'other'\n"
	"net:link(client, server, { delay = '50ms' })\n"
	"net:link(other, server, { delay = '20ms' })\n"
	"server:listen(80, { close = 'on_eof' })\n"
	"if sim.param('other', true) then\n"
	"  other:connect(server, 80, { send = 10, close = 'after_send' })\n"
	"end\n"
	"client:connect(server, 80, { at = '10ms', send = 100,\n"
	"                             close = 'after_send' })\n"
	"net:run{ ['until'] = '120s' }\n";

/* --hosts client,server: the other host's connection changes packet ids,
 * event numbers and the server's connection numbers, not what passes
 * between these two; without --hosts the runs differ at once. */
START_TEST(test_hosts)
{
	snprintf(syn_dir, sizeof syn_dir, "%s", test_dir("diff_hosts"));
	write_file(in_dir("other.lua"), other_lua);
	const char *lua = in_dir("other.lua");
	ck_assert_int_eq(SYNSIM("run", lua, "--out", in_dir("a"), "-q"), 0);
	ck_assert_int_eq(SYNSIM("run", lua, "--out", in_dir("b"), "-q",
	                        "-D", "other=false"), 0);
	setenv("LC_ALL", "C.UTF-8", 1);
	ck_assert_int_eq(SYNSIM("diff", in_dir("a"), in_dir("b")), 1);
	assert_has(syn_out, "the runs differ from event 1 of ");
	ck_assert_int_eq(SYNSIM("diff", in_dir("a"), in_dir("b"), "--hosts",
	                        "client,server"), 0);
	assert_has(syn_out, "the runs are identical: 27 events (packets.csv and "
	                "states.csv)\n");
	/* A host in neither run is an error; in one of them is enough. */
	ck_assert_int_eq(SYNSIM("diff", in_dir("a"), in_dir("b"), "--hosts",
	                        "client,nobody"), 2);
	ck_assert_str_eq(syn_err, "synsim: --hosts: this run has no node nobody\n(synsim --help "
	                 "shows the usage)\n");
	ck_assert_int_eq(SYNSIM("diff", in_dir("a"), in_dir("b"), "--hosts",
	                        "other"), 1);
	assert_has(syn_out, "(no more events: the run has 0)");
}
END_TEST

static const char summary_json[] =
	"{\n  \"synsim\": \"0.1.0\",\n  \"scenario\": \"x.lua\",\n"
	"  \"seed\": 1,\n  \"params\": {\"n\": \"3\"},\n"
	"  \"reproduce\": \"synsim run x.lua --seed 1 -D n=3\",\n"
	"  \"scenario_fnv1a64\": \"0123456789abcdef\"\n}\n";

static void
handmade(const char *sub, const char *states)
{
	char path[1300];
	snprintf(path, sizeof path, "%s/%s", syn_dir, sub);
	ck_assert_int_eq(outfile_mkdirs(path), 0);
	snprintf(path, sizeof path, "%s/%s/packets.csv", syn_dir, sub);
	write_file(path, "t_ns,pkt_id,at,link,hop_to,from,to,event,flags,seq,"
	                 "ack,rel_seq,rel_ack,len,wnd,ttl,options,reason,rule,"
	                 "dup_of\n");
	snprintf(path, sizeof path, "%s/%s/states.csv", syn_dir, sub);
	char *s = malloc(strlen(states) + 64);
	strcat(strcpy(s, "t_ns,host,conn,from_state,to_state,cause,rule\n"),
	       states);
	write_file(path, s);
	free(s);
	snprintf(path, sizeof path, "%s/%s/summary.json", syn_dir, sub);
	write_file(path, summary_json);
}

/* One run stops where the other goes on; parameters read the same. */
START_TEST(test_shorter_run)
{
	snprintf(syn_dir, sizeof syn_dir, "%s", test_dir("diff_shorter"));
	setenv("LC_ALL", "C", 1);
	handmade("short", "0,h,1,CLOSED,SYN-SENT,connect() called,\n");
	handmade("long", "0,h,1,CLOSED,SYN-SENT,connect() called,\n"
	                 "2000000000,h,1,SYN-SENT,CLOSED,timeout,\n");
	ck_assert_int_eq(SYNSIM("diff", in_dir("short"), in_dir("long")), 1);
	assert_has(syn_out, "run parameters: the same\n"
	                "the runs differ from event 2 of 1 | 2\n"
	                "event 2 at 2.000000s: A: (no more events: the run has "
	                "1) | B: h #1 SYN-SENT -> CLOSED (timeout)\n\n");
	ck_assert_int_eq(SYNSIM("diff", in_dir("long"), in_dir("short")), 1);
	assert_has(syn_out, "event 2 at 2.000000s: A: h #1 SYN-SENT -> CLOSED "
	                "(timeout) | B: (no more events: the run has 1)\n");
}
END_TEST

START_TEST(test_errors)
{
	snprintf(syn_dir, sizeof syn_dir, "%s", test_dir("diff_errors"));
	handmade("ok", "");
	char want[2600];

	ck_assert_int_eq(SYNSIM("diff", in_dir("ok"), in_dir("missing")), 2);
	snprintf(want, sizeof want, "synsim: diff: cannot open run folder %s: "
	         "No such file or directory\n", in_dir("missing"));
	ck_assert_str_eq(syn_err, want);
	ck_assert_str_eq(syn_out, "");

	write_file(in_dir("file"), "x");
	ck_assert_int_eq(SYNSIM("diff", in_dir("file"), in_dir("ok")), 2);
	snprintf(want, sizeof want, "synsim: diff: cannot open run folder %s: "
	         "Not a directory\n", in_dir("file"));
	ck_assert_str_eq(syn_err, want);

	/* A folder with the CSV files but no summary.json. */
	handmade("nosummary", "");
	char path[1200];
	snprintf(path, sizeof path, "%s/summary.json", in_dir("nosummary"));
	ck_assert_int_eq(remove(path), 0);
	ck_assert_int_eq(SYNSIM("diff", in_dir("ok"), in_dir("nosummary")), 2);
	snprintf(want, sizeof want, "synsim: diff: cannot read %s: No such "
	         "file or directory\n", path);
	ck_assert_str_eq(syn_err, want);
	ck_assert_str_eq(syn_out, "");
	/* A summary.json that is a folder cannot be read, and says so. */
	ck_assert_int_eq(mkdir(path, 0755), 0);
	ck_assert_int_eq(SYNSIM("diff", in_dir("ok"), in_dir("nosummary")), 2);
	snprintf(want, sizeof want, "synsim: diff: cannot read %s: Is a "
	         "directory\n", path);
	ck_assert_str_eq(syn_err, want);
	ck_assert_str_eq(syn_out, "");

	ck_assert_int_eq(SYNSIM("diff", in_dir("ok")), 2);
	ck_assert_str_eq(syn_err, "synsim: diff: which runs? (synsim diff DIR_A "
	                      "DIR_B)\n(synsim --help shows the usage)\n");
	ck_assert_int_eq(SYNSIM("diff", in_dir("ok"), in_dir("ok"),
	                        in_dir("ok")), 2);
	ck_assert_int_eq(SYNSIM("diff", in_dir("ok"), in_dir("ok"), "-x"), 2);
	ck_assert_str_eq(syn_err, "synsim: unknown option -x\n"
	                      "(synsim --help shows the usage)\n");
	/* And a folder compared with itself is identical. */
	ck_assert_int_eq(SYNSIM("diff", in_dir("ok"), in_dir("ok")), 0);
	assert_has(syn_out, "the runs are identical: 0 events");
}
END_TEST

static Suite *
diff_suite(void)
{
	Suite *s = suite_create("diff");
	TCase *tc = tcase_create("runs");
	tcase_add_checked_fixture(tc, NULL, synsim_reset);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_identical);
	tcase_add_test(tc, test_drop_removed);
	tcase_add_test(tc, test_other_seed);
	tcase_add_test(tc, test_shorter_run);
	tcase_add_test(tc, test_hosts);
	tcase_add_test(tc, test_errors);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(diff_suite());
}
