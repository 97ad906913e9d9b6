/*
 * check_cli.c - the `synsim` command through the built binary: exit
 * codes and messages, the output files of a run, what a failed run
 * leaves behind, determinism, and the --until/--max-events/-D options
 * as recorded in summary.json.
 */
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"

/* The names in a folder, sorted, one per line ("" if empty); the string
 * lives until the next call. */
static const char *
listing(const char *path)
{
	static char *last;
	free(last);
	return last = dir_listing(path, "");
}

/* Ten ticks, 100 ms apart: one event each. */
static const char ticks_lua[] =
	"local n = sim.param('n', 10)\n"
	"local name = sim.param('name', 'x')\n"
	"for i = 0, n - 1 do\n"
	"  sim.at(i * 100000000, function() sim.log('tick', i, name) end)\n"
	"end\n"
	"sim.metric('n', n)\n";

/* ---- exit codes --------------------------------------------------------- */

START_TEST(test_help)
{
	ck_assert_int_eq(SYNSIM("--help"), 0);
	ck_assert_msg(strncmp(syn_out, "usage: synsim run SCENARIO", 26) == 0,
	              "help starts with: %.40s", syn_out);
	assert_has(syn_out, "exit status: 0 ok, 1 an expectation failed, 2 usage "
	                "or scenario error");
	ck_assert_str_eq(syn_err, "");
	char *first = strdup(syn_out);
	ck_assert_int_eq(SYNSIM("-h"), 0);
	ck_assert_str_eq(syn_out, first);
	ck_assert_int_eq(SYNSIM("help"), 0);
	ck_assert_str_eq(syn_out, first);
	free(first);
}
END_TEST

START_TEST(test_version)
{
	ck_assert_int_eq(SYNSIM("--version"), 0);
	ck_assert_str_eq(syn_out, "synsim 0.1.0\n");
	ck_assert_str_eq(syn_err, "");
}
END_TEST

/* Usage errors: exit 2, one line naming the problem, a pointer to
 * --help, nothing on stdout. */
static const struct {
	const char *args[6];
	const char *msg;
} usage_errors[] = {
	{ { NULL }, "synsim: no command given\n" },
	{ { "frobnicate" }, "synsim: unknown command 'frobnicate'\n" },
	{ { "run" }, "synsim: run: which scenario? (synsim run FILE.lua)\n" },
	{ { "run", "x.lua", "--frob" }, "synsim: unknown option --frob\n" },
	{ { "run", "x.lua", "--seed", "abc" },
	  "synsim: --seed abc: expected a whole number\n" },
	{ { "run", "x.lua", "--seed", "-1" },
	  "synsim: --seed -1: expected a whole number\n" },
	{ { "run", "x.lua", "--seed", "18446744073709551616" },
	  "synsim: --seed 18446744073709551616: expected a whole number\n" },
	{ { "run", "x.lua", "--seed", "12x" },
	  "synsim: --seed 12x: expected a whole number\n" },
	{ { "run", "x.lua", "--until", "5parsecs" },
	  "synsim: --until: duration \"5parsecs\": unknown unit \"parsecs\" "
	  "(use ns, us, ms, s, min, h)\n" },
	{ { "run", "x.lua", "--until", "50" },
	  "synsim: --until: duration \"50\" needs a unit "
	  "(ns, us, ms, s, min, h)\n" },
	{ { "run", "x.lua", "--max-events", "0" },
	  "synsim: --max-events 0: expected a positive whole number\n" },
	{ { "run", "x.lua", "--max-events", "ten" },
	  "synsim: --max-events ten: expected a positive whole number\n" },
	{ { "run", "x.lua", "--seed" }, "synsim: --seed needs a value\n" },
	{ { "run", "x.lua", "--outputs", "csv,pcaps" },
	  "synsim: --outputs: unknown output 'pcaps' (known: trace, csv, pcap, "
	  "summary, connections, explain, all)\n" },
	{ { "run", "x.lua", "--outputs", "pcap", "--ladder" },
	  "synsim: --ladder draws from the CSV files: add csv to --outputs\n" },
	{ { "run", "x.lua", "-D" }, "synsim: -D needs a value\n" },
	{ { "run", "x.lua", "--out", "--quiet" },
	  "synsim: --out needs a value (got the option --quiet)\n" },
	{ { "run", "x.lua", "--seed", "--out", "o" },
	  "synsim: --seed needs a value (got the option --out)\n" },
	{ { "run", "x.lua", "y.lua" },
	  "synsim: one scenario at a time (also got y.lua)\n" },
};

START_TEST(test_usage_errors)
{
	const char *const *a = usage_errors[_i].args;
	int st = SYNSIM(a[0], a[1], a[2], a[3], a[4], a[5]);
	ck_assert_int_eq(st, 2);
	char want[512];
	snprintf(want, sizeof want, "%s(synsim --help shows the usage)\n",
	         usage_errors[_i].msg);
	ck_assert_str_eq(syn_err, want);
	ck_assert_str_eq(syn_out, "");
}
END_TEST

START_TEST(test_missing_scenario)
{
	use_dir("cli_missing");
	ck_assert_int_eq(SYNSIM("run", in_dir("nope.lua"), "--out", in_dir("o")),
	                 2);
	assert_has(syn_err, "cannot open ");
	assert_has(syn_err, "nope.lua");
	/* Not even the folder: outputs are staged beside it. */
	ck_assert_int_ne(access(in_dir("o"), F_OK), 0);
	ck_assert_str_eq(listing(syn_dir), "");
	mkdir(in_dir("o"), 0777);

	/* A folder, or a pipe that could be read only once, is refused
	 * before anything is written. */
	char want[1400];
	ck_assert_int_eq(SYNSIM("run", syn_dir, "--out", in_dir("o")), 2);
	snprintf(want, sizeof want, "synsim: %s: a folder, not a scenario "
	         "file\n", syn_dir);
	ck_assert_str_eq(syn_err, want);
	ck_assert_int_eq(SYNSIM("run", "/dev/null", "--out", in_dir("o")), 2);
	ck_assert_str_eq(syn_err, "synsim: /dev/null: not a regular file, not "
	                 "a scenario file\n");
	ck_assert_str_eq(listing(in_dir("o")), "");
}
END_TEST

/* ---- outputs ------------------------------------------------------------ */

/* --outputs writes only the groups asked for; the others' files never
 * appear, and what is written is the same as in a full run. */
START_TEST(test_output_groups)
{
	use_dir("cli_groups");
	write_file(in_dir("ticks.lua"), ticks_lua);
	ck_assert_int_eq(SYNSIM("run", in_dir("ticks.lua"), "--quiet", "--out",
	                        in_dir("all")), 0);
	ck_assert_int_eq(SYNSIM("run", in_dir("ticks.lua"), "--quiet", "--out",
	                        in_dir("csv"), "--outputs", "csv"), 0);
	ck_assert_str_eq(listing(in_dir("csv")), "packets.csv\nqueues.csv\nstates.csv\n");
	ck_assert_int_eq(SYNSIM("run", in_dir("ticks.lua"), "--quiet", "--out",
	                        in_dir("ex"), "--outputs", "explain"), 0);
	ck_assert_str_eq(listing(in_dir("ex")), "explain.csv\n");
	ck_assert_int_eq(SYNSIM("run", in_dir("ticks.lua"), "--quiet", "--out",
	                        in_dir("ts"), "--outputs",
	                        "summary,trace,connections"), 0);
	ck_assert_str_eq(listing(in_dir("ts")),
	                 "connections.csv\nsummary.json\ntrace.txt\n");
	ck_assert_int_eq(SYNSIM("run", in_dir("ticks.lua"), "--quiet", "--out",
	                        in_dir("pcap"), "--outputs", "pcap"), 0);
	ck_assert_str_eq(listing(in_dir("pcap")), "trace.pcap\ntrace.pcapng\n");
	static const char *const same[] = { "ts/summary.json", "ts/trace.txt",
	                                    "csv/packets.csv", "csv/states.csv",
	                                    "ex/explain.csv" };
	for (int i = 0; i < 5; i++) {
		char full[1200];
		snprintf(full, sizeof full, "all/%s", strchr(same[i], '/') + 1);
		char *a = read_file(in_dir(full), NULL), *b = read_file(in_dir(same[i]), NULL);
		ck_assert_ptr_nonnull(a);
		ck_assert_ptr_nonnull(b);
		ck_assert_msg(strcmp(a, b) == 0, "%s differs from the full run", same[i]);
		free(a);
		free(b);
	}
}
END_TEST

START_TEST(test_outputs)
{
	use_dir("cli_outputs");
	write_file(in_dir("ticks.lua"), ticks_lua);
	const char *o = in_dir("a/b/out");	/* parents are created */
	ck_assert_int_eq(SYNSIM("run", in_dir("ticks.lua"), "--out", o, "-D",
	                        "n=3", "-Dname=y", "--seed", "7"), 0);
	ck_assert_str_eq(listing(o), "explain.csv\npackets.csv\nqueues.csv\nstates.csv\nsummary.json\ntrace.pcap\ntrace.pcapng\ntrace.txt\n");

	char *trace = read_file(in_dir("a/b/out/trace.txt"), NULL);
	/* A reproduce line first, the events, the fingerprint last. */
	char head[1024];
	snprintf(head, sizeof head, "# synsim run %s --seed 7 -D n=3 -D name=y  "
	         "(synsim 0.1.0, scenario fnv1a64 ", in_dir("ticks.lua"));
	ck_assert_msg(strncmp(trace, head, strlen(head)) == 0, "%s", trace);
	const char *body = strchr(trace, '\n') + 1;
	const char *foot = strstr(body, "# fingerprint ");
	ck_assert_ptr_nonnull(foot);
	ck_assert_int_eq(strncmp(body, "   0.000000s  scenario metric n = 3\n"
	                         "   0.000000s  scenario tick 0 y\n"
	                         "   0.100000s  scenario tick 1 y\n"
	                         "   0.200000s  scenario tick 2 y\n",
	                         (size_t)(foot - body)), 0);
	ck_assert_ptr_nonnull(strstr(foot, " (4 trace events)\n"));
	ck_assert_str_eq(syn_out, trace);		/* narrated on stdout too */
	ck_assert_str_eq(syn_err, "");
	free(trace);

	char *sum = read_file(in_dir("a/b/out/summary.json"), NULL);
	char want[4096];
	snprintf(want, sizeof want,
	         "{\n"
	         "  \"synsim\": \"0.1.0\",\n"
	         "  \"scenario\": \"%s/ticks.lua\",\n"
	         "  \"seed\": 7,\n"
	         "  \"params\": {\"n\": \"3\", \"name\": \"y\"},\n"
	         "  \"reproduce\": \"synsim run %s/ticks.lua --seed 7 -D n=3 "
	         "-D name=y\",\n", syn_dir, syn_dir);
	ck_assert_msg(strncmp(sum, want, strlen(want)) == 0, "%s", sum);
	ck_assert_ptr_nonnull(strstr(sum, "  \"status\": 0,\n"
	                             "  \"expectations_failed\": 0,\n"
	                             "  \"end_ns\": 200000000,\n"
	                             "  \"events\": 3,\n"
	                             "  \"trace_events\": 4,\n"
	                             "  \"metrics\": {\n"
	                             "    \"n\": 3\n"
	                             "  },\n"
	                             "  \"connections\": [],\n"
	                             "  \"listeners\": []\n"
	                             "}\n"));
	free(sum);

	/* --quiet: the same files, nothing on stdout. */
	ck_assert_int_eq(SYNSIM("run", in_dir("ticks.lua"), "--out",
	                        in_dir("q"), "--quiet"), 0);
	ck_assert_str_eq(syn_out, "");
	ck_assert_str_eq(listing(in_dir("q")), "explain.csv\npackets.csv\nqueues.csv\nstates.csv\nsummary.json\ntrace.pcap\ntrace.pcapng\ntrace.txt\n");
}
END_TEST

START_TEST(test_default_outdir)
{
	use_dir("cli_default_out");
	write_file(in_dir("ticks.lua"), ticks_lua);
	ck_assert_int_eq(chdir(syn_dir), 0);
	ck_assert_int_eq(SYNSIM("run", "ticks.lua", "-q"), 0);
	ck_assert_str_eq(listing(in_dir("out/ticks")),
	                 "explain.csv\npackets.csv\nqueues.csv\nstates.csv\nsummary.json\ntrace.pcap\ntrace.pcapng\ntrace.txt\n");
}
END_TEST

START_TEST(test_failed_run_leaves_nothing)
{
	use_dir("cli_failed");
	/* Output is produced before the error: it must not survive. */
	write_file(in_dir("bad.lua"), "sim.log('some output')\n"
	                              "sim.metric('m', 1)\n"
	                              "sim.at('1s', function() error('late') end)\n");
	ck_assert_int_eq(SYNSIM("run", in_dir("bad.lua"), "--out", in_dir("o")),
	                 2);
	assert_has(syn_err, "bad.lua:3: late");
	/* No folder, no staging folder beside it, no .tmp. */
	ck_assert_int_ne(access(in_dir("o"), F_OK), 0);
	ck_assert_str_eq(listing(syn_dir), "bad.lua\n");

	/* An unknown -D is an error too, caught before the run. */
	write_file(in_dir("ticks.lua"), ticks_lua);
	ck_assert_int_eq(SYNSIM("run", in_dir("ticks.lua"), "--out",
	                        in_dir("p"), "-D", "nn=3"), 2);
	assert_has(syn_err, "ticks.lua: unknown parameter -D nn (known: n, name)");
	ck_assert_int_ne(access(in_dir("p"), F_OK), 0);
}
END_TEST

/* A scenario that fails after its whole run (a check reading a
 * connection that never came) keeps the run's outputs, says so at the
 * end of the narration, and still exits 2 with its message. */
START_TEST(test_failure_after_run_keeps_outputs)
{
	use_dir("cli_after_run");
	write_file(in_dir("late.lua"),
	           "local net = sim.network{}\n"
	           "local a, b = net:host 'a', net:host 'b'\n"
	           "net:link(a, b, { delay = '10ms' })\n"
	           "a:connect(b, 80)\n"
	           "net:run()\n"
	           "local c = b:conn(1)\n");
	ck_assert_int_eq(SYNSIM("run", in_dir("late.lua"), "--quiet", "--out",
	                        in_dir("o")), 2);
	assert_has(syn_err, "late.lua:6: b has no connection #1 (it has 0)");
	ck_assert_str_eq(listing(in_dir("o")), "explain.csv\nhost-a.pcap\n"
	                 "host-b.pcap\nlink-a-b.pcap\npackets.csv\n"
	                 "queues.csv\nstates.csv\nsummary.json\ntrace.pcap\ntrace.pcapng\n"
	                 "trace.txt\n");
	char *t = read_file(in_dir("o/trace.txt"), NULL);
	assert_has(t, "a        #1 the application learns the connection is "
	           "closed (ECONNREFUSED)\n# the scenario failed after its run");
	free(t);
	char *sum = read_file(in_dir("o/summary.json"), NULL);
	assert_has(sum, "\"status\": 2,");
	free(sum);
}
END_TEST

/* -K host.knob=value sets a knob over the scenario's own, -K knob=value
 * every host's; names, hosts and values are checked as -D and Lua check
 * them. */
START_TEST(test_knobs_from_command_line)
{
	use_dir("cli_knobs");
	write_file(in_dir("k.lua"),
	           /* a's timers on the nanosecond (timer_wheel off), so the
	            * give-up times are the backoff's plain sums */
	           "local net = sim.network{}\n"
	           "local a = net:host('a', { tcp = { syn_retries = 6, "
	           "timer_wheel = false } })\n"
	           "local b = net:host 'b'\n"
	           "net:link(a, b, { delay = '10ms' }):drop{ from = a, flags = 'SYN' }\n"
	           "local c = a:connect(b, 80)\n"
	           "net:run()\n"
	           "sim.metric('closed_ms', c.closed_at // 1000000)\n");
	ck_assert_int_eq(SYNSIM("run", in_dir("k.lua"), "--quiet", "--out",
	                        in_dir("o"), "-K", "a.syn_retries=2"), 0);
	char *sum = read_file(in_dir("o/summary.json"), NULL);
	assert_has(sum, "\"closed_ms\": 7000");	/* 1 + 2 + 4 s */
	free(sum);
	ck_assert_int_eq(SYNSIM("run", in_dir("k.lua"), "--quiet", "--out",
	                        in_dir("o"), "-K", "a.syn_retries=1",
	                        "-Krto_initial=2s"), 0);
	sum = read_file(in_dir("o/summary.json"), NULL);
	assert_has(sum, "\"closed_ms\": 6000");	/* 2 + 4 s */
	free(sum);
	ck_assert_int_eq(SYNSIM("run", in_dir("k.lua"), "--quiet", "--out",
	                        in_dir("p"), "-K", "x.syn_retries=2"), 2);
	assert_has(syn_err, "k.lua: -K x.syn_retries: the scenario has no host "
	           "named 'x'");
	/* A failed run makes nothing, not even the folder. */
	ck_assert_int_ne(access(in_dir("p"), F_OK), 0);
	ck_assert_int_eq(SYNSIM("run", in_dir("k.lua"), "--quiet", "--out",
	                        in_dir("p"), "-K", "a.syn_retry=2"), 2);
	assert_has(syn_err, "synsim: -K a.syn_retry=2: unknown knob 'syn_retry' "
	           "(known: abort_on_data,");
	ck_assert_int_eq(SYNSIM("run", in_dir("k.lua"), "--quiet", "--out",
	                        in_dir("p"), "-K", "a.syn_retries=many"), 2);
	assert_has(syn_err, "k.lua:2: -K a: syn_retries: expected a whole number "
	           "(got \"many\")");
	ck_assert_int_eq(SYNSIM("run", in_dir("k.lua"), "--quiet", "--out",
	                        in_dir("p"), "-K", "a.syn_retries"), 2);
	assert_has(syn_err, "-K a.syn_retries: expected host.knob=value");
	ck_assert_int_eq(SYNSIM("run", in_dir("k.lua"), "--quiet", "--out",
	                        in_dir("p"), "-K", "a.isn=zero", "-K",
	                        "a.isn=hash"), 2);
	assert_has(syn_err, "-K a.isn given twice");
	/* A failed run makes nothing, not even the folder. */
	ck_assert_int_ne(access(in_dir("p"), F_OK), 0);
}
END_TEST

/* synsim list: one line per library scenario (name, what it shows),
 * exercises after; synsim run NAME finds one by name; a name that is
 * neither a file nor in the library says so. */
START_TEST(test_list_and_run_by_name)
{
	use_dir("cli_list");
	ck_assert_int_eq(SYNSIM("list"), 0);
	assert_has(syn_out, "lost-syn                       the client's first "
	           "SYN is lost on the way to the server.\n");
	assert_has(syn_out, "\nexercises/syn-backoff          predict when a "
	           "client retries its SYN into silence, and when it gives up.\n");
	/* sorted, exercises last */
	ck_assert_ptr_nonnull(strstr(syn_out, "abort-rst"));
	ck_assert(strstr(syn_out, "abort-rst") < strstr(syn_out, "accept-queue"));
	ck_assert(strstr(syn_out, "timers") < strstr(syn_out, "exercises/"));
	ck_assert_int_eq(SYNSIM("list", "x"), 2);
	assert_has(syn_err, "list takes no arguments (got x)");

	ck_assert_int_eq(SYNSIM("run", "lost-syn", "--quiet", "--out",
	                        in_dir("o")), 0);
	char *sum = read_file(in_dir("o/summary.json"), NULL);
	assert_has(sum, "/scenarios/lost-syn.lua\",");
	free(sum);
	ck_assert_int_eq(SYNSIM("run", "exercises/syn-backoff.lua", "--quiet",
	                        "--out", in_dir("e")), 0);
	ck_assert_int_eq(SYNSIM("run", "lost-sin", "--quiet", "--out",
	                        in_dir("p")), 2);
	assert_has(syn_err, "synsim: cannot open lost-sin");
}
END_TEST

/* sim.question and --answer: graded after the run, right or wrong with
 * the answer only then; a wrong answer exits 1; mistakes exit 2. */
START_TEST(test_questions_and_answers)
{
	use_dir("cli_answer");
	write_file(in_dir("q.lua"),
	           "local n = 0\n"
	           "sim.at('3s', function() n = n + 41 end)\n"
	           "sim.run()\n"
	           "sim.question{ id = 'n', text = 'What is n?', answer = function() return n + 1 end }\n"
	           "sim.question{ id = 'w', text = 'Which?', answer = function() return 'Left' end }\n"
	           "sim.question{ id = 'f', text = 'About?', tolerance = 0.5, answer = function() return 2.25 end }\n");
	ck_assert_int_eq(SYNSIM("run", in_dir("q.lua"), "--quiet", "--out",
	                        in_dir("o")), 0);
	ck_assert_str_eq(syn_out, "question n: What is n?\n"
	                 "  (predict it: --answer n=VALUE)\n"
	                 "question w: Which?\n"
	                 "  (predict it: --answer w=VALUE)\n"
	                 "question f: About?\n"
	                 "  (predict it: --answer f=VALUE)\n");
	ck_assert_int_eq(SYNSIM("run", in_dir("q.lua"), "--quiet", "--out",
	                        in_dir("o"), "--answer", "n=42", "--answer",
	                        "w=left", "--answer", "f=2"), 0);
	assert_has(syn_out, "question n: What is n?\n  your answer 42: right\n");
	assert_has(syn_out, "  your answer left: right\n");
	assert_has(syn_out, "  your answer 2: right\n");
	ck_assert_int_eq(SYNSIM("run", in_dir("q.lua"), "--quiet", "--out",
	                        in_dir("o"), "--answer", "n=41", "--answer",
	                        "f=1.5"), 1);
	assert_has(syn_out, "  your answer 41: wrong; the answer is 42\n");
	assert_has(syn_out, "  your answer 1.5: wrong; the answer is 2.25\n");
	/* mistakes */
	ck_assert_int_eq(SYNSIM("run", in_dir("q.lua"), "--quiet", "--out",
	                        in_dir("o"), "--answer", "m=1"), 2);
	assert_has(syn_err, "q.lua: --answer m: the scenario asks no question m");
	ck_assert_int_eq(SYNSIM("run", in_dir("q.lua"), "--quiet", "--out",
	                        in_dir("o"), "--answer", "n"), 2);
	assert_has(syn_err, "--answer n: expected id=value");
	write_file(in_dir("bad.lua"),
	           "sim.question{ id = 'a', text = 'A?', answer = 3 }\n");
	ck_assert_int_eq(SYNSIM("run", in_dir("bad.lua"), "--quiet",
	                        "--out", in_dir("x")), 2);
	assert_has(syn_err, "bad.lua:1: sim.question: answer: expected a function "
	           "that returns the answer after the run (got 3)");
	write_file(in_dir("twice.lua"),
	           "sim.question{ id = 'a', text = 'A?', answer = function() return 1 end }\n"
	           "sim.question{ id = 'a', text = 'B?', answer = function() return 1 end }\n");
	ck_assert_int_eq(SYNSIM("run", in_dir("twice.lua"), "--quiet",
	                        "--out", in_dir("x")), 2);
	assert_has(syn_err, "twice.lua:2: sim.question: id \"a\" is asked twice");
	write_file(in_dir("nil.lua"),
	           "sim.question{ id = 'a', text = 'A?', answer = function() end }\n");
	ck_assert_int_eq(SYNSIM("run", in_dir("nil.lua"), "--quiet",
	                        "--out", in_dir("x")), 2);
	assert_has(syn_err, "sim.question a: the answer function returned nil");
}
END_TEST

/* Re-running into a folder removes what an earlier run left there and
 * this one did not write, so plot and diff never mix two runs; files
 * synsim does not name stay, and a failed run removes nothing. */
START_TEST(test_rerun_removes_stale)
{
	use_dir("cli_stale");
	write_file(in_dir("ticks.lua"), ticks_lua);
	write_file(in_dir("bad.lua"), "error('no')\n");
	char o[1200];	/* in_dir's buffers rotate */
	snprintf(o, sizeof o, "%s", in_dir("o"));
	ck_assert_int_eq(SYNSIM("run", SOURCE_DIR "/scenarios/lost-synack.lua",
	                        "--out", o, "-q"), 0);
	ck_assert_str_eq(listing(o), "explain.csv\nhost-client.pcap\nhost-server.pcap\n"
	                 "link-client-server.pcap\npackets.csv\n"
	                 "queues.csv\nstates.csv\nsummary.json\ntrace.pcap\ntrace.pcapng\n"
	                 "trace.txt\n");
	static const char *const planted[] = {
		"ladder.png", "ladder.dat", "states.svg", "handshake.dat",
		"link-old-r.pcap", "host-old.pcap", "view.html",
		/* not synsim's names */
		"notes.txt", "ladder.jpg", "link-x.txt", "mytrace.txt", ".keep",
	};
	for (size_t i = 0; i < sizeof planted / sizeof planted[0]; i++) {
		char path[1200];
		snprintf(path, sizeof path, "o/%s", planted[i]);
		write_file(in_dir(path), "old\n");
	}

	/* A failed run leaves the folder as it was. */
	ck_assert_int_eq(SYNSIM("run", in_dir("bad.lua"), "--out", o, "-q"), 2);
	char want[1024];
	snprintf(want, sizeof want, ".keep\nexplain.csv\nhandshake.dat\nhost-client.pcap\n"
	         "host-old.pcap\nhost-server.pcap\nladder.dat\n"
	         "ladder.jpg\nladder.png\nlink-client-server.pcap\n"
	         "link-old-r.pcap\nlink-x.txt\nmytrace.txt\nnotes.txt\n"
	         "packets.csv\nqueues.csv\nstates.csv\nstates.svg\nsummary.json\n"
	         "trace.pcap\ntrace.pcapng\ntrace.txt\nview.html\n");
	ck_assert_str_eq(listing(o), want);

	/* The same run again: its own captures stay, the rest goes. */
	ck_assert_int_eq(SYNSIM("run", SOURCE_DIR "/scenarios/lost-synack.lua",
	                        "--out", o, "-q"), 0);
	snprintf(want, sizeof want, ".keep\nexplain.csv\nhost-client.pcap\n"
	         "host-server.pcap\nladder.jpg\n"
	         "link-client-server.pcap\nlink-x.txt\nmytrace.txt\n"
	         "notes.txt\npackets.csv\nqueues.csv\nstates.csv\nsummary.json\n"
	         "trace.pcap\ntrace.pcapng\ntrace.txt\n");
	ck_assert_str_eq(listing(o), want);

	/* A run with no links, writing only the CSV files: every other
	 * output of the earlier run goes. */
	ck_assert_int_eq(SYNSIM("run", in_dir("ticks.lua"), "--out", o, "-q",
	                        "--outputs", "csv"), 0);
	snprintf(want, sizeof want, ".keep\nladder.jpg\nlink-x.txt\nmytrace.txt\n"
	         "notes.txt\npackets.csv\nqueues.csv\nstates.csv\n");
	ck_assert_str_eq(listing(o), want);
}
END_TEST

/* A run stopped by a signal removes its temporaries and dies of the
 * signal: the output folder is as before (here empty). */
START_TEST(test_signal_leaves_nothing)
{
	use_dir("cli_signal");
	write_file(in_dir("long.lua"),
	           "local function tick() sim.log('tick'); sim.after('1ms', tick) end\n"
	           "sim.at(0, tick)\n");
	char script[1200], out[1200];
	snprintf(script, sizeof script, "%s", in_dir("long.lua"));
	snprintf(out, sizeof out, "%s", in_dir("o"));
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		dup2(null, 1);
		dup2(null, 2);
		execl(SYNSIM_BIN, SYNSIM_BIN, "run", script, "--quiet", "--out", out,
		      "--until", "100000s", (char *)NULL);
		_exit(127);
	}
	/* Wait until the run has its files open (in the staging folder
	 * beside o), then stop it. */
	const struct timespec tick = { 0, 10 * 1000 * 1000 };
	char tmp[64];
	snprintf(tmp, sizeof tmp, ".o.synsim-%ld/.trace.txt.tmp", (long)pid);
	for (int i = 0; i < 500; i++) {
		struct stat st;
		if (stat(in_dir(tmp), &st) == 0)
			break;
		nanosleep(&tick, NULL);
	}
	nanosleep(&tick, NULL);
	kill(pid, SIGTERM);
	int st;
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
	ck_assert_str_eq(listing(syn_dir), "long.lua\n");
}
END_TEST

START_TEST(test_expectation_failed_still_writes)
{
	use_dir("cli_expect");
	write_file(in_dir("e.lua"), "sim.expect(false, 'wrong')\n"
	                            "sim.expect(false, 'again')\n");
	ck_assert_int_eq(SYNSIM("run", in_dir("e.lua"), "--out", in_dir("o")), 1);
	assert_has(syn_err, "e.lua:1: expectation failed: wrong\n");
	ck_assert_str_eq(listing(in_dir("o")), "explain.csv\npackets.csv\nqueues.csv\nstates.csv\nsummary.json\ntrace.pcap\ntrace.pcapng\ntrace.txt\n");
	char *sum = read_file(in_dir("o/summary.json"), NULL);
	assert_has(sum, "\n  \"status\": 1,\n  \"expectations_failed\": 2,\n");
	free(sum);
}
END_TEST

/* summary.json lists the listeners and what their queues did; a
 * backlog above somaxconn (linux: 4096) is cut to it. */
START_TEST(test_summary_listeners)
{
	use_dir("cli_listeners");
	write_file(in_dir("l.lua"),
	           "local net = sim.network{ profile = 'linux' }\n"
	           "local c = net:host 'client'\n"
	           "local s = net:host 'server'\n"
	           "net:link(c, s, { delay = '10ms' })\n"
	           "s:listen(80, { backlog = 7 })\n"
	           "s:listen(81, { backlog = 100000 }):close()\n"
	           "c:connect(s, 80, { close = 'after_send' })\n"
	           "net:run{ ['until'] = '5s' }\n");
	ck_assert_int_eq(SYNSIM("run", in_dir("l.lua"), "--out", in_dir("o"),
	                        "-q"), 0);
	char *sum = read_file(in_dir("o/summary.json"), NULL);
	assert_has(sum, "\n  \"listeners\": [\n"
	           "    {\"host\": \"server\", \"port\": 80, \"backlog\": 7, "
	           "\"closed\": false, \"accepted\": 1, \"syn_dropped\": 0, "
	           "\"cookies_sent\": 0, \"cookies_accepted\": 0, "
	           "\"accept_overflows\": 0},\n"
	           "    {\"host\": \"server\", \"port\": 81, \"backlog\": 4096, "
	           "\"closed\": true, \"accepted\": 0, \"syn_dropped\": 0, "
	           "\"cookies_sent\": 0, \"cookies_accepted\": 0, "
	           "\"accept_overflows\": 0}\n  ]\n}\n");
	free(sum);
}
END_TEST

/* summary.json stays valid UTF-8 JSON whatever bytes a name holds: a
 * byte that is no UTF-8 becomes U+FFFD. */
START_TEST(test_summary_latin1_name)
{
	use_dir("cli_latin1");
	/* A name in Latin-1 is refused where it is given (it would reach a
	 * file name); one in UTF-8 is written as it is. */
	write_file(in_dir("l.lua"),
	           "local net = sim.network{ profile = 'linux' }\n"
	           "local c = net:host 'caf\xe9'\n");
	ck_assert_int_eq(SYNSIM("run", in_dir("l.lua"), "--out", in_dir("o"),
	                        "-q"), 2);
	assert_has(syn_err, "l.lua:2: net:host: name \"caf\\xe9\" is not valid "
	           "UTF-8\n");
	write_file(in_dir("l.lua"),
	           "local net = sim.network{ profile = 'linux' }\n"
	           "local c = net:host 'cafe'\n"
	           "local s = net:host 's\xc3\xa9'\n"
	           "net:link(c, s, { delay = '10ms' })\n"
	           "s:listen(80)\n"
	           "c:connect(s, 80)\n"
	           "net:run{ ['until'] = '1s' }\n");
	ck_assert_int_eq(SYNSIM("run", in_dir("l.lua"), "--out", in_dir("o"),
	                        "-q"), 0);
	char *sum = read_file(in_dir("o/summary.json"), NULL);
	assert_has(sum, "{\"host\": \"cafe\", \"conn\": 1,");
	assert_has(sum, "{\"host\": \"s\xc3\xa9\", \"conn\": 1,");
	free(sum);
}
END_TEST

/* ---- determinism -------------------------------------------------------- */

static void
assert_same_file(const char *a, const char *b)
{
	size_t na, nb;
	char *x = read_file(a, &na), *y = read_file(b, &nb);
	ck_assert_ptr_nonnull(x);
	ck_assert_ptr_nonnull(y);
	ck_assert_msg(na == nb && memcmp(x, y, na) == 0, "%s and %s differ", a,
	              b);
	free(x);
	free(y);
}

START_TEST(test_same_seed_same_bytes)
{
	use_dir("cli_determinism");
	const char *scenario = SOURCE_DIR "/scenarios/timers.lua";
	ck_assert_int_eq(SYNSIM("run", scenario, "--out", in_dir("a"), "-q",
	                        "--seed", "42"), 0);
	ck_assert_int_eq(SYNSIM("run", scenario, "--out", in_dir("b"), "-q",
	                        "--seed", "42"), 0);
	assert_same_file(in_dir("a/trace.txt"), in_dir("b/trace.txt"));
	assert_same_file(in_dir("a/summary.json"), in_dir("b/summary.json"));
}
END_TEST

/* Seeded randomness and hash-ordered tables: same seed, same bytes;
 * another seed, other draws. */
START_TEST(test_random_scenario_determinism)
{
	use_dir("cli_random");
	write_file(in_dir("r.lua"),
	           "local t = {}\n"
	           "for i = 1, 50 do t['k' .. i] = math.random(1, 1000) end\n"
	           "for k, v in sim.sorted(t) do\n"
	           "  sim.at(v * 1000, function() sim.log(k, v) end)\n"
	           "end\n"
	           "sim.metric('first', t.k1)\n");
	const char *r = in_dir("r.lua");
	ck_assert_int_eq(SYNSIM("run", r, "--out", in_dir("a"), "-q"), 0);
	ck_assert_int_eq(SYNSIM("run", r, "--out", in_dir("b"), "-q"), 0);
	ck_assert_int_eq(SYNSIM("run", r, "--out", in_dir("c"), "-q", "--seed",
	                        "2"), 0);
	assert_same_file(in_dir("a/trace.txt"), in_dir("b/trace.txt"));
	assert_same_file(in_dir("a/summary.json"), in_dir("b/summary.json"));
	char *a = read_file(in_dir("a/trace.txt"), NULL);
	char *c = read_file(in_dir("c/trace.txt"), NULL);
	ck_assert_str_ne(a, c);
	free(a);
	free(c);
}
END_TEST

/* pairs(), next(), tostring(), string.format() and table.sort() are where
 * Lua itself would leak hash order, addresses and a clock-chosen pivot
 * into the output: runs must still agree, and pairs() visits numbers,
 * then strings, then booleans. */
START_TEST(test_pairs_and_tostring_stable)
{
	use_dir("cli_pairs");
	write_file(in_dir("p.lua"),
	           "local t = { zeta = 1, alpha = 2, [3] = 'c', [1] = 'a', "
	           "beta = 3, [2.5] = 'x', [true] = 1 }\n"
	           "for i = 1, 40 do t['k' .. i] = i end\n"
	           "local keys = {}\n"
	           "for k in pairs(t) do keys[#keys + 1] = tostring(k) end\n"
	           "sim.log(table.concat(keys, ',', 1, 7))\n"
	           "sim.log(table.concat(keys, ','))\n"
	           "sim.log(tostring({}), {}, print)\n"
	           /* next() walks in the same order as pairs(), and may
	            * clear fields as it goes */
	           "local nk = {}\n"
	           "for k in next, t do nk[#nk + 1] = tostring(k); t.beta = nil end\n"
	           "sim.log('next ' .. table.concat(nk, ',', 1, 6))\n"
	           "sim.log('after k9', next(t, 'k9'))\n"
	           /* no addresses through string.format or a __name */
	           "local named = setmetatable({}, { __name = 'thing' })\n"
	           "sim.log(string.format('fmt %s %s %s', {}, print, named))\n"
	           "sim.log(tostring(named), pcall(string.format, '%p', t))\n"
	           /* table.sort keeps equal elements in their order */
	           "local r = {}\n"
	           "for i = 1, 300 do r[i] = { key = i % 3, id = i } end\n"
	           "table.sort(r, function(a, b) return a.key < b.key end)\n"
	           "sim.log('sorted', r[1].id, r[2].id, r[100].id, r[101].id, "
	           "r[300].id)\n");
	const char *p = in_dir("p.lua");
	for (int i = 0; i < 3; i++) {
		char o[8];
		snprintf(o, sizeof o, "%c", 'a' + i);
		ck_assert_int_eq(SYNSIM("run", p, "--out", in_dir(o), "-q"), 0);
	}
	assert_same_file(in_dir("a/trace.txt"), in_dir("b/trace.txt"));
	assert_same_file(in_dir("a/trace.txt"), in_dir("c/trace.txt"));
	char *t = read_file(in_dir("a/trace.txt"), NULL);
	assert_has(t, "1,2.5,3,alpha,beta,k1,k10\n");
	assert_has(t, "k9,zeta,true\n");
	assert_has(t, "table table function\n");
	assert_has(t, "next 1,2.5,3,alpha,k1,k10\n");
	assert_has(t, "after k9 zeta 1\n");
	assert_has(t, "fmt table function thing\n");
	assert_has(t, "thing false string.format: %p prints an address, "
	           "which differs from run to run\n");
	assert_has(t, "sorted 3 6 300 1 299\n");
	free(t);
}
END_TEST

/* Two runs whose packets differ only in an option (the MSS offered) have
 * different fingerprints: every field of packets.csv is hashed. */
START_TEST(test_fingerprint_sees_options)
{
	use_dir("cli_fp_options");
	write_file(in_dir("s.lua"),
	           "local net = sim.network{ profile = 'linux',\n"
	           "  tcp = { mss = sim.param('mss', 1460) } }\n"
	           "local client = net:host 'client'\n"
	           "local server = net:host 'server'\n"
	           "net:link(client, server, { delay = '50ms' })\n"
	           "server:listen(80, { close = 'on_eof' })\n"
	           "client:connect(server, 80, { send = 100, close = 'after_send' })\n");
	char *fp[2];
	const char *mss[2] = { "mss=1460", "mss=1400" };
	for (int i = 0; i < 2; i++) {
		char out[16];
		snprintf(out, sizeof out, "o%d", i);
		ck_assert_int_eq(SYNSIM("run", in_dir("s.lua"), "-q", "--out",
		                        in_dir(out), "-D", mss[i]), 0);
		snprintf(out, sizeof out, "o%d/trace.txt", i);
		char *trace = read_file(in_dir(out), NULL);
		char *foot = strstr(trace, "\n# fingerprint ");
		ck_assert_ptr_nonnull(foot);
		fp[i] = strdup(foot);
		free(trace);
	}
	ck_assert_msg(strcmp(fp[0], fp[1]) != 0, "both %s", fp[0]);
	free(fp[0]);
	free(fp[1]);
}
END_TEST

/* ---- limits ------------------------------------------------------------- */

/* The value of a whole-number field of summary.json. */
static long long
summary_field(const char *path, const char *key)
{
	char *s = read_file(path, NULL);
	ck_assert_ptr_nonnull(s);
	char pat[64];
	snprintf(pat, sizeof pat, "\"%s\": ", key);
	char *p = strstr(s, pat);
	ck_assert_msg(p != NULL, "no %s in %s", key, path);
	long long v = atoll(p + strlen(pat));
	free(s);
	return v;
}

START_TEST(test_until)
{
	use_dir("cli_until");
	write_file(in_dir("ticks.lua"), ticks_lua);
	ck_assert_int_eq(SYNSIM("run", in_dir("ticks.lua"), "--out", in_dir("o"),
	                        "-q", "--until", "250ms"), 0);
	/* Ticks at 0, 100 and 200 ms; the clock stops at the limit. */
	ck_assert_int_eq(summary_field(in_dir("o/summary.json"), "end_ns"),
	                 250000000);
	ck_assert_int_eq(summary_field(in_dir("o/summary.json"), "events"), 3);
	/* An event exactly at the limit still runs. */
	ck_assert_int_eq(SYNSIM("run", in_dir("ticks.lua"), "--out", in_dir("p"),
	                        "-q", "--until", "0.3s"), 0);
	ck_assert_int_eq(summary_field(in_dir("p/summary.json"), "events"), 4);
	ck_assert_int_eq(summary_field(in_dir("p/summary.json"), "end_ns"),
	                 300000000);
	/* A limit past the last event: the run ends with its last event. */
	ck_assert_int_eq(SYNSIM("run", in_dir("ticks.lua"), "--out", in_dir("q"),
	                        "-q", "--until", "1h"), 0);
	ck_assert_int_eq(summary_field(in_dir("q/summary.json"), "events"), 10);
	ck_assert_int_eq(summary_field(in_dir("q/summary.json"), "end_ns"),
	                 900000000);
}
END_TEST

START_TEST(test_max_events)
{
	use_dir("cli_max_events");
	write_file(in_dir("ticks.lua"), ticks_lua);
	ck_assert_int_eq(SYNSIM("run", in_dir("ticks.lua"), "--out", in_dir("o"),
	                        "-q", "--max-events", "4"), 0);
	ck_assert_int_eq(summary_field(in_dir("o/summary.json"), "events"), 4);
	ck_assert_int_eq(summary_field(in_dir("o/summary.json"), "end_ns"),
	                 300000000);
	char want[1400];
	snprintf(want, sizeof want, "%s/ticks.lua: stopped after --max-events 4 "
	         "events\n", syn_dir);
	ck_assert_str_eq(syn_err, want);

	/* The limit is for the whole run: a scenario that runs the scheduler
	 * twice gets no more events the second time, and the clock stays at
	 * the last event (not at either run's limit). */
	write_file(in_dir("twice.lua"),
	           "local n = 0\n"
	           "local function tick() n = n + 1; sim.after('1ms', tick) end\n"
	           "sim.at(0, tick)\n"
	           "sim.run{ ['until'] = '1s' }\n"
	           "sim.log('first', sim.now(), n)\n"
	           "sim.run{ ['until'] = '2s' }\n"
	           "sim.log('second', sim.now(), n)\n");
	ck_assert_int_eq(SYNSIM("run", in_dir("twice.lua"), "--out", in_dir("t"),
	                        "-q", "--max-events", "10"), 0);
	ck_assert_int_eq(summary_field(in_dir("t/summary.json"), "events"), 10);
	ck_assert_int_eq(summary_field(in_dir("t/summary.json"), "end_ns"),
	                 9000000);
	char *trace = read_file(in_dir("t/trace.txt"), NULL);
	assert_has(trace, "   0.009000s  scenario first 9000000 10\n"
	                  "   0.009000s  scenario second 9000000 10\n");
	free(trace);
}
END_TEST

START_TEST(test_params_in_summary)
{
	use_dir("cli_params");
	write_file(in_dir("ticks.lua"), ticks_lua);
	/* Recorded as given, in command-line order, JSON-escaped. */
	ck_assert_int_eq(SYNSIM("run", in_dir("ticks.lua"), "--out", in_dir("o"),
	                        "-q", "-Dname=a \"b\"", "-D", "n=2"), 0);
	char *sum = read_file(in_dir("o/summary.json"), NULL);
	assert_has(sum, "\n  \"params\": {\"name\": \"a \\\"b\\\"\", \"n\": \"2\"},\n");
	free(sum);
	ck_assert_int_eq(summary_field(in_dir("o/summary.json"), "events"), 2);
	char *trace = read_file(in_dir("o/trace.txt"), NULL);
	assert_has(trace, "tick 1 a \"b\"\n");
	free(trace);
}
END_TEST

/* The words a POSIX shell makes of line, one per line (malloc'd). */
static char *
shell_words(const char *line)
{
	char cmd[4096];
	int n0 = snprintf(cmd, sizeof cmd, "set -- %s; printf '%%s\\n' \"$@\"",
	                  line);
	ck_assert_int_lt(n0, (int)sizeof cmd);
	FILE *p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	char *words = calloc(1, 4096);
	size_t n = fread(words, 1, 4095, p);
	words[n] = '\0';
	ck_assert_int_eq(pclose(p), 0);
	return words;
}

/* The reproduce line quotes what a shell would split or interpret, in
 * the narration and in summary.json, and a shell gives back the words
 * the run was started with. */
START_TEST(test_reproduce_quoted)
{
	use_dir("cli_quoted");
	ck_assert_int_eq(mkdir(in_dir("my runs"), 0777), 0);
	write_file(in_dir("my runs/ticks.lua"), ticks_lua);
	char scen[1200];
	snprintf(scen, sizeof scen, "%s", in_dir("my runs/ticks.lua"));
	ck_assert_int_eq(SYNSIM("run", scen, "--out", in_dir("o"), "-q",
	                        "-D", "name=it's $HOME", "-Dn=2",
	                        "--until", "1s"), 0);
	char line[2048];
	snprintf(line, sizeof line, "synsim run '%s' --seed 1 "
	         "-D 'name=it'\\''s $HOME' -D n=2 --until 1s", scen);
	char *trace = read_file(in_dir("o/trace.txt"), NULL);
	char head[2100];
	snprintf(head, sizeof head, "# %s  (synsim ", line);
	ck_assert_msg(strncmp(trace, head, strlen(head)) == 0, "%s", trace);
	free(trace);

	char *sum = read_file(in_dir("o/summary.json"), NULL);
	char want[2200];
	snprintf(want, sizeof want, "\n  \"reproduce\": \"synsim run '%s' "
	         "--seed 1 -D 'name=it'\\\\''s $HOME' -D n=2 --until 1s\",\n",
	         scen);
	assert_has(sum, want);
	free(sum);

	char *words = shell_words(line);
	snprintf(want, sizeof want, "synsim\nrun\n%s\n--seed\n1\n-D\n"
	         "name=it's $HOME\n-D\nn=2\n--until\n1s\n", scen);
	ck_assert_str_eq(words, want);
	free(words);
}
END_TEST

static Suite *
cli_suite(void)
{
	Suite *s = suite_create("cli");
	TCase *tc;

	tc = tcase_create("usage");
	tcase_add_checked_fixture(tc, NULL, synsim_reset);
	tcase_add_test(tc, test_help);
	tcase_add_test(tc, test_version);
	tcase_add_loop_test(tc, test_usage_errors, 0,
	                    (int)(sizeof usage_errors / sizeof usage_errors[0]));
	tcase_add_test(tc, test_missing_scenario);
	suite_add_tcase(s, tc);

	tc = tcase_create("outputs");
	tcase_add_checked_fixture(tc, NULL, synsim_reset);
	tcase_add_test(tc, test_outputs);
	tcase_add_test(tc, test_output_groups);
	tcase_add_test(tc, test_default_outdir);
	tcase_add_test(tc, test_failed_run_leaves_nothing);
	tcase_add_test(tc, test_expectation_failed_still_writes);
	tcase_add_test(tc, test_summary_listeners);
	tcase_add_test(tc, test_summary_latin1_name);
	tcase_add_test(tc, test_signal_leaves_nothing);
	tcase_add_test(tc, test_rerun_removes_stale);
	tcase_add_test(tc, test_failure_after_run_keeps_outputs);
	tcase_add_test(tc, test_knobs_from_command_line);
	tcase_add_test(tc, test_list_and_run_by_name);
	tcase_add_test(tc, test_questions_and_answers);
	suite_add_tcase(s, tc);

	tc = tcase_create("determinism");
	tcase_add_checked_fixture(tc, NULL, synsim_reset);
	tcase_add_test(tc, test_same_seed_same_bytes);
	tcase_add_test(tc, test_random_scenario_determinism);
	tcase_add_test(tc, test_pairs_and_tostring_stable);
	tcase_add_test(tc, test_fingerprint_sees_options);
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_add_checked_fixture(tc, NULL, synsim_reset);
	tcase_add_test(tc, test_until);
	tcase_add_test(tc, test_max_events);
	tcase_add_test(tc, test_params_in_summary);
	tcase_add_test(tc, test_reproduce_quoted);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(cli_suite());
}
