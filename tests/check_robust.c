/*
 * check_robust.c - hostile scenarios and folders through the built
 * binary: each ends within seconds with exit 2, a "file:line:" message
 * naming the limit and the option that raises it, and nothing in --out.
 * Also the runs that must keep working: a host added after the routes
 * were computed, outputs on a full disk, names that would leave --out.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"

static const char *
listing(const char *path)
{
	static char *last;
	free(last);
	return last = dir_listing(path, "");
}

/* Write body as s.lua in a fresh folder named name. */
static void
prep(const char *name, const char *body)
{
	use_dir(name);
	write_file(in_dir("s.lua"), body);
}

/* Run s.lua of the current folder into out/, with extra arguments. */
#define RUN(...) \
	SYNSIM("run", in_dir("s.lua"), "--quiet", "--out", in_dir("out"), \
	       __VA_ARGS__)

/* Exit 2, stderr starting with "<folder>/s.lua:<line>: <msg>", and no
 * output folder (nor a staging folder beside it). */
static void
expect_refused(int rc, const char *line_msg)
{
	char want[2048];
	snprintf(want, sizeof want, "%s:%s", in_dir("s.lua"), line_msg);
	ck_assert_msg(rc == 2, "exit %d, wanted 2: %s", rc, syn_err);
	ck_assert_msg(strncmp(syn_err, want, strlen(want)) == 0,
	              "stderr does not start with\n%s\nit is\n%s", want, syn_err);
	ck_assert_msg(access(in_dir("out"), F_OK) != 0, "out/ was created");
	ck_assert_str_eq(listing(syn_dir), "s.lua\n");
}

static const char two_hosts[] =
	"local net = sim.network{}\n"
	"local a = net:host 'a'\n"
	"local b = net:host 'b'\n"
	"net:link(a, b, { delay = '10ms' })\n"
	"b:listen(80)\n";

/* ---- crashes ------------------------------------------------------------ */

/* Routes are computed on the first connect; a host added after that used
 * to index a table built for fewer nodes (a segfault). */
START_TEST(test_node_added_after_connect)
{
	char s[1024];
	snprintf(s, sizeof s, "%s"
	         "local c1 = a:connect(b, 80)\n"
	         "local z = net:host 'z'\n"
	         "local lost = z:connect(b, 80)\n"
	         "local y = net:host 'y'\n"
	         "net:link(y, b, { delay = '10ms' })\n"
	         "local c3 = y:connect(b, 80)\n"
	         "net:run{ ['until'] = '1s' }\n"
	         "sim.expect(c1.state == 'ESTABLISHED', c1.state)\n"
	         "sim.expect(lost.state == 'CLOSED', lost.state)\n"
	         "sim.expect(lost.error == 'ENETUNREACH', lost.error)\n"
	         "sim.expect(c3.state == 'ESTABLISHED', c3.state)\n", two_hosts);
	prep("rb_late_node", s);
	ck_assert_int_eq(RUN(NULL), 0);
	ck_assert_str_eq(syn_err, "");
	/* z has no route: its connect fails at once (ENETUNREACH, as
	 * Linux's ip_route_connect), and it sends nothing. */
	char *csv = read_file(in_dir("out/packets.csv"), NULL);
	ck_assert_ptr_null(strstr(csv, ",z,b,"));
	free(csv);
}
END_TEST

/* send("") has nothing to copy: it used to hand memcpy a NULL buffer. */
START_TEST(test_send_empty)
{
	char s[1024];
	snprintf(s, sizeof s, "%s"
	         "local c = a:connect(b, 80, { send = '', on_connect = "
	         "function(conn) conn:send('') conn:send('hi') end })\n"
	         "net:run{ ['until'] = '1s' }\n"
	         "sim.expect(c.state == 'ESTABLISHED', c.state)\n", two_hosts);
	prep("rb_send_empty", s);
	ck_assert_int_eq(RUN(NULL), 0);
	ck_assert_str_eq(syn_err, "");
	char *csv = read_file(in_dir("out/packets.csv"), NULL);
	assert_has(csv, ",a,a-b,b,a,b,send,PSH+ACK,");
	free(csv);
}
END_TEST

/* Hosts and links as keys: pairs() visits them in the order the scenario
 * made them, the same in every run (and whatever their addresses). */
START_TEST(test_pairs_over_objects)
{
	prep("rb_pairs",
	     "local net = sim.network{}\n"
	     "local hs = {}\n"
	     "for i = 1, 40 do hs[i] = net:host('h' .. i) end\n"
	     "local l = net:link(hs[2], hs[1])\n"
	     "local seen = {}\n"
	     "for i = 40, 1, -1 do seen[hs[i]] = i end\n"
	     "seen[l] = 'link'\n"
	     "seen.name = 'str'\n"
	     "local order = {}\n"
	     "for k, v in pairs(seen) do order[#order + 1] = tostring(v) end\n"
	     "sim.log(table.concat(order, ','))\n");
	ck_assert_int_eq(RUN(NULL), 0);
	char *t = read_file(in_dir("out/trace.txt"), NULL);
	assert_has(t, "scenario str,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,"
	           "18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,"
	           "38,39,40,link\n");
	free(t);
}
END_TEST

/* ---- runaway ------------------------------------------------------------ */

START_TEST(test_spin_stopped)
{
	prep("rb_spin", "sim.log('x')\nwhile true do end\n");
	expect_refused(RUN(NULL), "2: instruction budget of 150000000 exceeded "
	               "(an endless loop?); raise it with --max-instructions\n");
}
END_TEST

/* Short callbacks, each far below the budget, add up: the budget is the
 * whole run's, not each call's. */
START_TEST(test_budget_counts_whole_run)
{
	prep("rb_budget",
	     "local function f() for i = 1, 20000 do end; sim.after('1ms', f) end\n"
	     "sim.at(0, f)\n"
	     "sim.run{ ['until'] = '10s' }\n");
	expect_refused(RUN("--max-instructions", "20000000"), "1: instruction "
	               "budget of 20000000 exceeded (an endless loop?); raise it "
	               "with --max-instructions\n");
	ck_assert_int_eq(RUN("--max-instructions", "none"), 0);
}
END_TEST

START_TEST(test_pcall_cannot_catch_limits)
{
	prep("rb_pcall",
	     "local ok = pcall(function() while true do end end)\n"
	     "sim.log('went on', ok)\n");
	expect_refused(RUN(NULL), "1: instruction budget of 150000000 exceeded");
	prep("rb_pcall2",
	     "local ok = xpcall(function() local t = {} for i = 1, 1e9 do "
	     "t[i] = i end end, function(m) return m end)\n"
	     "sim.log('went on', ok)\n");
	expect_refused(RUN("--max-memory", "32MiB"), "1: memory limit of 32 MiB "
	               "exceeded; raise it with --max-memory\n");
	/* Ordinary errors are still caught, with pcall's results. */
	prep("rb_pcall3",
	     "local ok, e = pcall(error, 'x', 0)\n"
	     "local ok2, a, b = pcall(function(p, q) return p + q, 7 end, 1, 2)\n"
	     "local ok3, h = xpcall(error, function(m) return 'h:' .. m end, 'y', 0)\n"
	     "sim.expect(ok == false and e == 'x')\n"
	     "sim.expect(ok2 == true and a == 3 and b == 7)\n"
	     "sim.expect(ok3 == false and h == 'h:y', h)\n");
	ck_assert_int_eq(RUN(NULL), 0);
	ck_assert_str_eq(syn_err, "");
}
END_TEST

START_TEST(test_memory_cap)
{
	prep("rb_mem_table", "local t = {}\nfor i = 1, 1e9 do t[i] = i end\n");
	expect_refused(RUN("--max-memory", "64MiB"), "2: memory limit of 64 MiB "
	               "exceeded; raise it with --max-memory\n");
	prep("rb_mem_string", "local s = 'x'\nfor i = 1, 40 do s = s .. s end\n");
	expect_refused(RUN(NULL), "2: memory limit of 1024 MiB exceeded; raise "
	               "it with --max-memory\n");
}
END_TEST

START_TEST(test_finalizers_refused)
{
	prep("rb_gc_loop",
	     "setmetatable({}, { __gc = function() while true do end end })\n");
	expect_refused(RUN(NULL), "1: setmetatable: __gc (a finalizer) is not "
	               "available in scenarios: it would run at a time the "
	               "garbage collector picks, outside the instruction budget\n");
	prep("rb_gc_error",
	     "local mt = {}\n"
	     "mt.__gc = function() error('boom') end\n"
	     "setmetatable({}, mt)\n"
	     "collectgarbage()\n");
	expect_refused(RUN(NULL), "3: setmetatable: __gc (a finalizer)");
}
END_TEST

START_TEST(test_pattern_refused)
{
	prep("rb_pattern",
	     "local s = string.rep('a', 30)\n"
	     "local ok = s:match('^(%d+)ms$') or s:find('a', 1, true)\n"
	     "sim.expect(('250ms'):match('^(%d+)ms$') == '250')\n"
	     "string.match(s, string.rep('a*', 30) .. 'b')\n");
	expect_refused(RUN(NULL), "4: string.match: pattern \"a*a*a*a*a*a*a*a*"
	               "a*a*a*a*a*a*a*a*a*a*a*a*...\" could backtrack beyond "
	               "1.8e19 steps on a subject of 30 bytes: refused (fewer "
	               "repetitions such as * + - in it, or a shorter subject)\n");
	prep("rb_pattern2",
	     "local s = string.rep('a', 2000)\n"
	     "local n = select(2, s:gsub('a-a-b', ''))\n");
	expect_refused(RUN(NULL), "2: string.gsub: pattern \"a-a-b\" could "
	               "backtrack 8012006001 steps on a subject of 2000 bytes, "
	               "more than the instruction budget has left: refused");
}
END_TEST

/* Loops in C that Lua's count hook cannot see are charged first. */
START_TEST(test_c_loops_charged)
{
	static const char *const bodies[] = {
		"local s = string.rep('', 1e15)\n",
		"local t = {}\ntable.move(t, 1, 1e12, 2)\n",
		"local t = setmetatable({}, { __len = function() return 1e12 end })\n"
		"table.insert(t, 1, 5)\n",
		"local t = setmetatable({}, { __len = function() return 1e12 end })\n"
		"table.remove(t, 1)\n",
		"local t = setmetatable({}, { __len = function() return 1e9 end })\n"
		"table.sort(t)\n",
		"local t = {}\nlocal s = table.concat(t, ',', 1, 1e12)\n",
	};
	for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
		char name[32], want[200];
		snprintf(name, sizeof name, "rb_cloop%zu", i);
		prep(name, bodies[i]);
		snprintf(want, sizeof want, "%d: instruction budget of 150000000 "
		         "exceeded", i == 0 ? 1 : 2);
		expect_refused(RUN(NULL), want);
	}
}
END_TEST

/* Route tables grow with the square of the nodes: a network too large
 * for them stops at the run with an error, not at the machine's memory. */
START_TEST(test_routes_bounded)
{
	prep("rb_routes",
	     "local net = sim.network{}\n"
	     "local hs = {}\n"
	     "for i = 1, 16385 do hs[i] = net:host('h' .. i) end\n"
	     "net:link(hs[1], hs[2])\n"
	     "hs[2]:listen(80)\n"
	     "hs[1]:connect(hs[2], 80)\n"
	     "net:run{ ['until'] = '1s' }\n");
	expect_refused(RUN(NULL), "7: routes for 16385 nodes would take more "
	               "than 1024 MiB (a table per node of a route per node); "
	               "build a smaller network\n");
}
END_TEST

START_TEST(test_instant_storm)
{
	prep("rb_storm",
	     "local function f() sim.at(sim.now(), f) end\n"
	     "sim.at('1s', f)\n"
	     "sim.run{}\n");
	expect_refused(RUN("--max-instant-events", "1000"), "3: more than 1000 "
	               "events at the one instant 1.000000s (an event storm?); "
	               "raise the bound with --max-instant-events\n");
}
END_TEST

START_TEST(test_packets_in_flight)
{
	char s[1024];
	snprintf(s, sizeof s, "%s"
	         "a:flood{ to = b, interval = 1 }\n"
	         "net:run{}\n", two_hosts);
	prep("rb_flood", s);
	expect_refused(RUN("--max-packets", "5000"), "7: more than 5000 packets "
	               "in flight at once (a flood with no end?); raise the bound "
	               "with --max-packets\n");
}
END_TEST

/* ---- outputs all or nothing --------------------------------------------- */

/* A run that cannot write all its files (a file size limit stands in for
 * a full disk) leaves the earlier run's folder as it was. */
START_TEST(test_full_disk_keeps_earlier_run)
{
	char s[1024];
	snprintf(s, sizeof s, "%s"
	         "a:connect(b, 80, { send = sim.param('n', 100000), "
	         "close = 'after_send' })\n"
	         "net:run{ ['until'] = '10s' }\n", two_hosts);
	prep("rb_full", s);
	mkdir(in_dir("out"), 0777);
	write_file(in_dir("out/notes.txt"), "mine\n");
	ck_assert_int_eq(RUN(NULL), 0);
	const char *names = "explain.csv\nhost-a.pcap\nhost-b.pcap\n"
	                    "link-a-b.pcap\nnotes.txt\npackets.csv\nqueues.csv\n"
	                    "states.csv\nsummary.json\ntrace.pcap\ntrace.pcapng\n"
	                    "trace.txt\n";
	ck_assert_str_eq(listing(in_dir("out")), names);
	char *before = read_file(in_dir("out/summary.json"), NULL);
	char *pkts = read_file(in_dir("out/packets.csv"), NULL);
	struct rlimit rl = { 30000, 30000 };
	ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &rl), 0);
	ck_assert_int_eq(RUN("-D", "n=200000"), 2);
	assert_has(syn_err, "File too large");
	char want[1400];
	snprintf(want, sizeof want, "synsim: the run failed, so nothing of it "
	         "was written: %s still holds the earlier run's outputs\n",
	         in_dir("out"));
	assert_has(syn_err, want);
	ck_assert_str_eq(listing(in_dir("out")), names);
	char *after = read_file(in_dir("out/summary.json"), NULL);
	ck_assert_str_eq(before, after);
	char *pkts2 = read_file(in_dir("out/packets.csv"), NULL);
	ck_assert_str_eq(pkts, pkts2);
	ck_assert_str_eq(listing(syn_dir), "out\ns.lua\n");
	free(before);
	free(after);
	free(pkts);
	free(pkts2);
}
END_TEST

START_TEST(test_limit_options)
{
	prep("rb_opts", "sim.log('x')\n");
	ck_assert_int_eq(RUN("--max-memory", "0"), 2);
	assert_has(syn_err, "synsim: --max-memory 0: expected a size above "
	           "zero, or none\n");
	ck_assert_int_eq(RUN("--max-memory", "lots"), 2);
	assert_has(syn_err, "synsim: --max-memory lots: expected a size such as "
	           "512MiB, or none\n");
	ck_assert_int_eq(RUN("--max-packets", "-5"), 2);
	assert_has(syn_err, "synsim: --max-packets -5: expected a positive whole "
	           "number, or none\n");
	ck_assert_int_eq(RUN("--max-instant-events"), 2);
	assert_has(syn_err, "synsim: --max-instant-events needs a value\n");
	ck_assert_int_eq(RUN("--max-memory", "none", "--max-instructions", "none",
	                     "--max-instant-events", "10", "--max-packets",
	                     "none"), 0);
	/* The reproduce line carries them, so the run can be had again. */
	char *sum = read_file(in_dir("out/summary.json"), NULL);
	assert_has(sum, " --max-memory none --max-instructions none "
	           "--max-instant-events 10 --max-packets none\"");
	free(sum);
	ck_assert_int_eq(RUN("--max-memory", "64MiB"), 0);
	sum = read_file(in_dir("out/summary.json"), NULL);
	assert_has(sum, " --max-memory 67108864\"");
	free(sum);
	/* Too little for the sandbox itself: said so, and nothing left
	 * behind (the staging folder neither). */
	ck_assert_int_eq(SYNSIM("run", in_dir("s.lua"), "--quiet", "--out",
	                        in_dir("tiny"), "--max-memory", "100B"), 2);
	char want[1200];
	snprintf(want, sizeof want, "%s: memory limit of 100 bytes exceeded "
	         "before the scenario could run; raise it with --max-memory\n",
	         in_dir("s.lua"));
	ck_assert_str_eq(syn_err, want);
	ck_assert_int_ne(access(in_dir("tiny"), F_OK), 0);
	ck_assert_str_eq(listing(syn_dir), "out\ns.lua\n");
	ck_assert_int_eq(SYNSIM("run", in_dir("s.lua"), "--out", ""), 2);
	assert_has(syn_err, "synsim: --out: the folder name is empty\n");
}
END_TEST

/* The benchmark of README's "Hostile scenarios" runs as shown, small. */
START_TEST(test_scale_bench_runs)
{
	static const char *const what[] = { "what=hosts", "what=metrics",
	                                     "what=changes" };
	use_dir("rb_scale");
	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(SYNSIM("run", SOURCE_DIR "/tests/bench/scale.lua",
		                        "-q", "--out", in_dir("out"), "-D", what[i],
		                        "-D", "n=2000"), 0);
		ck_assert_str_eq(syn_err, "");
	}
	char *sum = read_file(in_dir("out/summary.json"), NULL);
	assert_has(sum, "\"events\": 2000,");
	free(sum);
	ck_assert_int_eq(SYNSIM("run", SOURCE_DIR "/tests/bench/scale.lua",
	                        "-q", "--out", in_dir("out"), "-D", "what=metrics",
	                        "-D", "n=2000"), 0);
	sum = read_file(in_dir("out/summary.json"), NULL);
	assert_has(sum, "\"m2000\": 2000");
	free(sum);
}
END_TEST

static Suite *
robust_suite(void)
{
	Suite *s = suite_create("robust");
	TCase *tc = tcase_create("crash");
	tcase_add_checked_fixture(tc, NULL, synsim_reset);
	tcase_add_test(tc, test_node_added_after_connect);
	tcase_add_test(tc, test_scale_bench_runs);
	tcase_add_test(tc, test_send_empty);
	tcase_add_test(tc, test_pairs_over_objects);
	suite_add_tcase(s, tc);

	tc = tcase_create("runaway");
	tcase_add_checked_fixture(tc, NULL, synsim_reset);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_spin_stopped);
	tcase_add_test(tc, test_budget_counts_whole_run);
	tcase_add_test(tc, test_pcall_cannot_catch_limits);
	tcase_add_test(tc, test_memory_cap);
	tcase_add_test(tc, test_finalizers_refused);
	tcase_add_test(tc, test_pattern_refused);
	tcase_add_test(tc, test_c_loops_charged);
	tcase_add_test(tc, test_instant_storm);
	tcase_add_test(tc, test_packets_in_flight);
	tcase_add_test(tc, test_routes_bounded);
	tcase_add_test(tc, test_limit_options);
	suite_add_tcase(s, tc);

	tc = tcase_create("outputs");
	tcase_add_checked_fixture(tc, NULL, synsim_reset);
	tcase_add_test(tc, test_full_disk_keeps_earlier_run);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(robust_suite());
}
