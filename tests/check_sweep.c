/*
 * check_sweep.c - parameter sweeps: the statistics against values worked
 * out by hand, the grid and its seeds, and `synsim sweep` / `merge`
 * through the built binary: the same bytes for any -j, a failing run
 * kept as a row, a sweep killed and resumed, shards merged by hand and
 * through GNU parallel.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"
#include "sweep/grid.h"
#include "sweep/stats.h"

/* ---- statistics ------------------------------------------------------ */

/* 2 4 4 4 5 5 7 9: mean 5, squared deviations 32, sample variance 32/7.
 * Type 7 quantiles (h = (n-1) q on the sorted values, 0-based):
 * p50 h = 3.5 -> 4 + 0.5 (5 - 4) = 4.5; p95 h = 6.65 -> 7 + 0.65 (9 - 7)
 * = 8.3; p99 h = 6.93 -> 7 + 0.93 * 2 = 8.86.  CI: t(0.975, 7) =
 * 2.364624, half-width 2.364624 sqrt(32/7) / sqrt(8) = 1.787488. */
START_TEST(test_stats_by_hand)
{
	const double v[] = { 5, 9, 4, 2, 4, 7, 4, 5 };	/* any order */
	struct stats s;
	ck_assert_int_eq(stats_compute(v, 8, &s), 0);
	ck_assert_int_eq(s.n, 8);
	ck_assert_double_eq_tol(s.mean, 5, 1e-12);
	ck_assert_double_eq_tol(s.sd, sqrt(32.0 / 7), 1e-12);
	ck_assert_double_eq(s.min, 2);
	ck_assert_double_eq(s.max, 9);
	ck_assert_double_eq_tol(s.p50, 4.5, 1e-12);
	ck_assert_double_eq_tol(s.p95, 8.3, 1e-12);
	ck_assert_double_eq_tol(s.p99, 8.86, 1e-12);
	ck_assert_double_eq_tol(s.ci_lo, 5 - 1.787488, 1e-6);
	ck_assert_double_eq_tol(s.ci_hi, 5 + 1.787488, 1e-6);
}
END_TEST

/* Three handshakes, 100.096, 1100.096 and 2100.096 ms: mean 1100.096,
 * deviations -1000, 0, 1000, sd sqrt(2e6 / 2) = 1000; t(0.975, 2) =
 * 4.302653, half-width 4302.653 / sqrt(3) = 2484.137868. */
START_TEST(test_stats_small_n)
{
	const double v[] = { 1100.096, 2100.096, 100.096 };
	struct stats s;
	ck_assert_int_eq(stats_compute(v, 3, &s), 0);
	ck_assert_double_eq_tol(s.mean, 1100.096, 1e-9);
	ck_assert_double_eq_tol(s.sd, 1000, 1e-9);
	ck_assert_double_eq_tol(s.p50, 1100.096, 1e-9);
	ck_assert_double_eq_tol(s.ci_hi - s.mean, 2484.137868, 1e-6);
	/* One value: no spread, no interval; none: nothing at all. */
	ck_assert_int_eq(stats_compute(v, 1, &s), 0);
	ck_assert_double_eq(s.mean, 1100.096);
	ck_assert_double_eq(s.p99, 1100.096);
	ck_assert(isnan(s.sd) && isnan(s.ci_lo) && isnan(s.ci_hi));
	ck_assert_int_eq(stats_compute(v, 0, &s), 0);
	ck_assert(s.n == 0 && isnan(s.mean) && isnan(s.min));
}
END_TEST

/* Equal values have exactly that mean and no spread, however many. */
START_TEST(test_stats_constant)
{
	static double v[10000];
	for (int i = 0; i < 10000; i++)
		v[i] = 1100.096;
	struct stats s;
	ck_assert_int_eq(stats_compute(v, 10000, &s), 0);
	ck_assert_double_eq(s.mean, 1100.096);
	ck_assert_double_eq(s.sd, 0);
	ck_assert_double_eq(s.ci_lo, 1100.096);
}
END_TEST

/* The table's first entries and the expansion beyond it, against
 * published values of t(0.975, df). */
START_TEST(test_t_quantiles)
{
	ck_assert_double_eq_tol(stats_t975(1), 12.706205, 1e-6);
	ck_assert_double_eq_tol(stats_t975(9), 2.262157, 1e-6);
	ck_assert_double_eq_tol(stats_t975(30), 2.042272, 1e-6);
	ck_assert_double_eq_tol(stats_t975(31), 2.039513, 2e-6);
	ck_assert_double_eq_tol(stats_t975(60), 2.000298, 1e-6);
	ck_assert_double_eq_tol(stats_t975(120), 1.979930, 1e-6);
	ck_assert_double_eq_tol(stats_t975(100000), 1.959988, 1e-6);
}
END_TEST

/* ---- the grid ---------------------------------------------------------- */

START_TEST(test_grid_values)
{
	struct sw_grid g = { 0 };
	char err[300];
	ck_assert_int_eq(grid_add_axis(&g, "loss=0:0.3:0.05", err, sizeof err), 0);
	ck_assert_int_eq(g.ax[0].nvals, 7);
	const char *want[] = { "0", "0.05", "0.1", "0.15", "0.2", "0.25", "0.3" };
	for (int i = 0; i < 7; i++)
		ck_assert_str_eq(g.ax[0].vals[i], want[i]);
	/* Numbers in one spelling, strings as written. */
	ck_assert_int_eq(grid_add_axis(&g, "d=0.10,1e1,50ms,-0", err, sizeof err), 0);
	ck_assert_str_eq(g.ax[1].vals[0], "0.1");
	ck_assert_str_eq(g.ax[1].vals[1], "10");
	ck_assert_str_eq(g.ax[1].vals[2], "50ms");
	ck_assert_str_eq(g.ax[1].vals[3], "0");
	char buf[40];
	const double num[] = { 100, 1e20, 1234567, 0.00012, 1e-7, 1100.096 };
	const char *txt[] = { "100", "1e+20", "1234567", "0.00012", "1e-07",
	                      "1100.096" };
	for (int i = 0; i < 6; i++) {
		grid_format_double(num[i], buf, sizeof buf);
		ck_assert_str_eq(buf, txt[i]);
	}
	ck_assert_int_eq(g.npoints, 28);
	/* The first axis varies slowest. */
	ck_assert_str_eq(grid_value(&g, 5, 0), "0.05");
	ck_assert_str_eq(grid_value(&g, 5, 1), "10");
	ck_assert_int_eq(grid_add_axis(&g, "x=1,2,1", err, sizeof err), -1);
	assert_has(err, "the value 1 is given twice");
	ck_assert_int_eq(grid_add_axis(&g, "x=0:1:0", err, sizeof err), -1);
	assert_has(err, "step above 0");
	ck_assert_int_eq(grid_add_axis(&g, "loss=1", err, sizeof err), -1);
	assert_has(err, "given twice");
	grid_free(&g);
}
END_TEST

/* A run's seed names the point by its values: the axes' order on the
 * command line and the other values of an axis do not change it; the
 * rep and the base seed do. */
START_TEST(test_grid_seeds)
{
	struct sw_grid a = { 0 }, b = { 0 };
	char err[300];
	ck_assert_int_eq(grid_add_axis(&a, "loss=0,0.1", err, sizeof err), 0);
	ck_assert_int_eq(grid_add_axis(&a, "delay=10ms,50ms", err, sizeof err), 0);
	ck_assert_int_eq(grid_add_axis(&b, "delay=50ms,20ms,10ms", err, sizeof err), 0);
	ck_assert_int_eq(grid_add_axis(&b, "loss=0.10,0.2", err, sizeof err), 0);
	/* a: point 2 = (0.1, 10ms); b: point 4 = (10ms, 0.1) */
	ck_assert_str_eq(grid_value(&b, 4, 0), "10ms");
	ck_assert_str_eq(grid_value(&b, 4, 1), "0.1");
	ck_assert_uint_eq(grid_seed(&a, 2, 3, 7), grid_seed(&b, 4, 3, 7));
	ck_assert_uint_ne(grid_seed(&a, 2, 3, 7), grid_seed(&a, 2, 4, 7));
	ck_assert_uint_ne(grid_seed(&a, 2, 3, 7), grid_seed(&a, 2, 3, 8));
	ck_assert_uint_ne(grid_seed(&a, 2, 3, 7), grid_seed(&a, 3, 3, 7));
	ck_assert_uint_lt(grid_seed(&a, 1, 0, 1), UINT64_C(1) << 53);
	grid_free(&a);
	grid_free(&b);
}
END_TEST

/* ---- the command -------------------------------------------------------- */

/* Metrics from the parameters and the seeded math.random; x == fail
 * raises an error; `late` is recorded from x = 3 on only. */
static const char toy_lua[] =
	"local x = sim.param('x', 1)\n"
	"local y = sim.param('y', 'a')\n"
	"local fail = sim.param('fail', -1)\n"
	"if x == fail then error('x is ' .. x) end\n"
	"sim.metric('x2', x * 2)\n"
	"sim.metric('r', math.random(1000))\n"
	"if x >= 3 then sim.metric('late', x + 0.5) end\n"
	"sim.expect(y ~= 'bad', 'y is bad')\n";

static char *
slurp(const char *path)
{
	char *s = read_file(path, NULL);
	ck_assert_msg(s != NULL, "cannot read %s", path);
	return s;
}

static void
same_file(const char *a, const char *b)
{
	char *x = slurp(a), *y = slurp(b);
	ck_assert_msg(strcmp(x, y) == 0, "%s and %s differ:\n%s\n---\n%s", a, b,
	              x, y);
	free(x);
	free(y);
}

static void
same_sweep(const char *a, const char *b)
{
	const char *files[] = { "runs.csv", "conns.csv", "summary.csv" };
	for (int i = 0; i < 3; i++) {
		char pa[1300], pb[1300];
		snprintf(pa, sizeof pa, "%s/%s", a, files[i]);
		snprintf(pb, sizeof pb, "%s/%s", b, files[i]);
		same_file(pa, pb);
	}
}

START_TEST(test_sweep_files)
{
	use_dir("files");
	write_file(in_dir("toy.lua"), toy_lua);
	ck_assert_int_eq(SYNSIM("sweep", in_dir("toy.lua"), "-P", "x=1:4:1",
	                        "-P", "y=a,b", "--reps", "2", "--out",
	                        in_dir("s")), 0);
	/* Silent on stderr when it is no terminal. */
	ck_assert_str_eq(syn_err, "");
	char *runs = slurp(in_dir("s/runs.csv"));
	/* 4 x 2 points, 2 reps: 16 rows under the header, first axis
	 * slowest; numbers as numbers, `late` empty before x = 3. */
	ck_assert_msg(strncmp(runs, "run,point,rep,x,y,seed,status,error,events,"
	                      "end_ns,fingerprint,x2,r,late\n", 68) == 0,
	              "header: %.100s", runs);
	assert_has(runs, "\n0,0,0,1,a,");
	assert_has(runs, "\n3,1,1,1,b,");
	assert_has(runs, "\n15,7,1,4,b,");
	int lines = 0;
	for (char *p = runs; *p; p++)
		lines += *p == '\n';
	ck_assert_int_eq(lines, 17);
	/* run 0: x2 = 2, late empty; run 15: x2 = 8, late 4.5 */
	char *r0 = strstr(runs, "\n0,0,0,");
	char *end = strchr(r0 + 1, '\n');
	ck_assert_msg(end[-1] == ',', "run 0 ends with an empty late: %.*s",
	              (int)(end - r0), r0);
	ck_assert_msg(strstr(runs, ",8,") && strstr(runs, ",4.5\n"), "%s", runs);
	char *sum = slurp(in_dir("s/summary.csv"));
	assert_has(sum, "point,x,y,metric,n,mean,stddev,min,p50,p95,p99,max,"
	           "ci95_lo,ci95_hi\n");
	/* x2 is the same in both reps: sd 0, interval of width 0. */
	assert_has(sum, "\n0,1,a,x2,2,2,0,2,2,2,2,2,2,2\n");
	/* late: n = 0 where no run recorded it. */
	assert_has(sum, "\n0,1,a,late,0,,,,,,,,,\n");
	assert_has(sum, "\n7,4,b,late,2,4.5,0,");
	char *args = slurp(in_dir("s/sweep.args"));
	assert_has(args, "-P\nx=1,2,3,4\n-P\ny=a,b\n--reps\n2\n--seed\n1\n");
	free(args);
	free(sum);
	free(runs);
}
END_TEST

START_TEST(test_jobs_same_bytes)
{
	use_dir("jobs");
	const char *scen = SOURCE_DIR "/scenarios/lost-synack.lua";
	ck_assert_int_eq(SYNSIM("sweep", scen, "-P", "delay=10ms,50ms", "-P",
	                        "drops=0,1,2", "--reps", "5", "-j", "1", "--out",
	                        in_dir("j1")), 0);
	ck_assert_int_eq(SYNSIM("sweep", scen, "-P", "delay=10ms,50ms", "-P",
	                        "drops=0,1,2", "--reps", "5", "-j8", "--out",
	                        in_dir("j8")), 0);
	same_sweep(in_dir("j1"), in_dir("j8"));
	/* The built-in per-connection metrics, pooled per point: the
	 * client's handshake and whether it connected.  Each run's hosts
	 * draw their timer wheels from its own seed, so one lost SYN-ACK
	 * costs 1 s and a part of a granule that differs run to run: the
	 * five handshakes lie between 1100.096 ms and 32 ms and a tick
	 * more (min 1100.690748, max 1122.767144). */
	char *sum = slurp(in_dir("j8/summary.csv"));
	assert_has(sum, "\n4,50ms,1,conn.handshake_ms,5,1110.758654,8.220808917,"
	           "1100.690748,1108.362122,1121.026068,1122.418929,1122.767144,");
	assert_has(sum, "\n4,50ms,1,conn.connected,5,1,0,");
	free(sum);
	char *conns = slurp(in_dir("j8/conns.csv"));
	assert_has(conns, "run,point,rep,delay,drops,host,conn,outcome,"
	           "handshake_ms,retransmits\n0,0,0,10ms,0,client,1,closed,"
	           "20.096,0\n");
	free(conns);
	/* A row's seed and values repeat the run alone: the same
	 * fingerprint in its summary.json.  Row 1: delay 10ms, drops 0. */
	char *rows = slurp(in_dir("j1/runs.csv"));
	char *r1 = strstr(rows, "\n1,0,1,10ms,0,");
	ck_assert_ptr_nonnull(r1);
	char seed[32], fp[17];
	ck_assert_int_eq(sscanf(r1, "\n1,0,1,10ms,0,%31[0-9],0,,%*d,%*d,%16[0-9a-f]",
	                        seed, fp), 2);
	free(rows);
	ck_assert_int_eq(SYNSIM("run", scen, "--seed", seed, "-D", "delay=10ms",
	                        "-D", "drops=0", "--quiet", "--out",
	                        in_dir("one")), 0);
	char *js = slurp(in_dir("one/summary.json"));
	char want[64];
	snprintf(want, sizeof want, "\"fingerprint\": \"%s\"", fp);
	assert_has(js, want);
	free(js);
	/* Another base seed: other seeds, the same deterministic times. */
	ck_assert_int_eq(SYNSIM("sweep", scen, "-P", "delay=10ms", "--seed", "2",
	                        "--out", in_dir("s2")), 0);
	char *a = slurp(in_dir("j1/runs.csv")), *b = slurp(in_dir("s2/runs.csv"));
	ck_assert_msg(strncmp(strchr(a, '\n'), strchr(b, '\n'), 30) != 0,
	              "seed 2 gave run 0 the seed of seed 1");
	free(a);
	free(b);
}
END_TEST

START_TEST(test_failing_run_kept)
{
	use_dir("fail");
	write_file(in_dir("toy.lua"), toy_lua);
	ck_assert_int_eq(SYNSIM("sweep", in_dir("toy.lua"), "-P", "x=1,2,3",
	                        "-P", "y=a,bad", "-D", "fail=2", "--out",
	                        in_dir("s"), "-j", "2"), 1);
	char *runs = slurp(in_dir("s/runs.csv"));
	char want[1400];
	/* x = 2: the error, its line, status 2, no metrics. */
	snprintf(want, sizeof want, ",2,%s:4: x is 2,", in_dir("toy.lua"));
	assert_has(runs, want);
	/* y = bad: the run finished, its expectation failed: status 1. */
	snprintf(want, sizeof want, ",1,%s:8: expectation failed: y is bad,",
	         in_dir("toy.lua"));
	assert_has(runs, want);
	/* Every run has its row, the others ok. */
	int lines = 0, ok = 0;
	for (char *p = strchr(runs, '\n'); p && p[1]; p = strchr(p + 1, '\n')) {
		lines++;
		ok += strstr(p, ",0,,") != NULL && strstr(p, ",0,,") < strchr(p + 1, '\n');
	}
	ck_assert_int_eq(lines, 6);
	ck_assert_int_eq(ok, 2);
	/* The summary leaves the failed runs out, keeps the others. */
	char *sum = slurp(in_dir("s/summary.csv"));
	assert_has(sum, "\n2,2,a,x2,0,");
	assert_has(sum, "\n3,2,bad,x2,0,");
	assert_has(sum, "\n1,1,bad,x2,1,2,");
	assert_has(syn_err, "x is 2");
	free(sum);
	free(runs);
}
END_TEST

/* A scenario that never ends on its own: --until and --max-events end
 * every run as they end `synsim run`, and sweep.args keeps them. */
START_TEST(test_limits)
{
	use_dir("limits");
	write_file(in_dir("loop.lua"),
	           "local function tick() sim.after('1s', tick) end\n"
	           "sim.after('1s', tick)\n");
	ck_assert_int_eq(SYNSIM("sweep", in_dir("loop.lua"), "--reps", "2",
	                        "--until", "10s", "--out", in_dir("u")), 0);
	char *runs = slurp(in_dir("u/runs.csv"));
	/* ticks at 1..10 s: 10 events, the run ends at 10 s */
	assert_has(runs, ",0,,10,10000000000,");
	free(runs);
	char *args = slurp(in_dir("u/sweep.args"));
	assert_has(args, "--until\n10s\n");
	free(args);
	ck_assert_int_eq(SYNSIM("sweep", in_dir("loop.lua"), "--max-events", "7",
	                        "--out", in_dir("m")), 0);
	runs = slurp(in_dir("m/runs.csv"));
	assert_has(runs, "stopped after --max-events 7 events,7,7000000000,");
	free(runs);
}
END_TEST

/* ---- stopped and resumed --------------------------------------------------- */

/* Every line of a CSV file ends in a newline and has the header's
 * number of commas (the test's fields have none inside quotes). */
static int
whole_rows(const char *path)
{
	char *s = slurp(path);
	int commas = -1, rows = 0, n = 0;
	for (char *p = s; *p; p++) {
		if (*p == ',')
			n++;
		if (*p != '\n')
			continue;
		if (commas < 0)
			commas = n;
		else
			ck_assert_int_eq(n, commas);
		rows++;
		n = 0;
	}
	ck_assert_msg(s[0] == '\0' || s[strlen(s) - 1] == '\n',
	              "%s ends in half a row", path);
	free(s);
	return rows - 1;
}

/* A sweep started in the background (stdout and stderr to /dev/null),
 * to be stopped by the test; its pid. */
static pid_t
start_sweep(const char *const *argv)
{
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		freopen("/dev/null", "w", stdout);
		freopen("/dev/null", "w", stderr);
		execv(SYNSIM_BIN, (char *const *)argv);
		_exit(127);
	}
	return pid;
}

/* Wait (10 s at most) until the sweep of pid has more than rows rows in
 * path; with worker, until it has a worker too, whose pid is returned
 * (else 0). */
static pid_t
wait_for_rows(pid_t pid, const char *path, int rows, bool worker)
{
	char kids_path[64];
	pid_t kid = 0;
	snprintf(kids_path, sizeof kids_path, "/proc/%d/task/%d/children",
	         (int)pid, (int)pid);
	for (int i = 0; i < 2000; i++) {
		struct timespec ts = { 0, 5000000 };
		nanosleep(&ts, NULL);
		char *runs = read_file(path, NULL);
		int lines = 0;
		for (char *p = runs; p && *p; p++)
			lines += *p == '\n';
		free(runs);
		if (worker) {
			char *kids = read_file(kids_path, NULL);
			kid = kids ? atoi(kids) : 0;
			free(kids);
		}
		if (lines > rows && (!worker || kid > 0))
			break;
	}
	return kid;
}

/* Resume the stopped sweep in s with the folder alone: it runs the
 * `now` runs missing, and the files are those of the sweep of slow.lua
 * over axis with reps, run in one go into ref. */
static void
resume_like_fresh(const char *axis, const char *reps, int total, int now)
{
	ck_assert_int_eq(SYNSIM("sweep", "--resume", "--out", in_dir("s")), 0);
	char msg[100];
	snprintf(msg, sizeof msg, "%d runs (%d now)", total, now);
	assert_has(syn_out, msg);
	ck_assert_int_eq(SYNSIM("sweep", in_dir("slow.lua"), "-P", axis,
	                        "--reps", reps, "--out", in_dir("ref")), 0);
	same_sweep(in_dir("s"), in_dir("ref"));
}

/* Loop over the ways a sweep is stopped: SIGKILL (nothing runs after
 * it) and SIGINT, Ctrl-C, here to the parent alone (its workers see
 * their pipe close). */
static const int stop_signals[] = { SIGKILL, SIGINT };

START_TEST(test_resume_after_kill)
{
	int sig = stop_signals[_i];
	use_dir(sig == SIGKILL ? "kill" : "int");
	/* Each run spins a while, so the sweep is still going when the
	 * kill comes. */
	write_file(in_dir("slow.lua"),
	           "local x = sim.param('x', 1)\n"
	           "local s = 0\n"
	           "for i = 1, 200000 do s = s + i % 7 end\n"
	           "sim.metric('x', x)\n"
	           "sim.metric('r', math.random(100))\n");
	const char *argv[] = { SYNSIM_BIN, "sweep", in_dir("slow.lua"), "-P",
	                       "x=1:8:1", "--reps", "40", "-j", "2", "--out",
	                       in_dir("s"), NULL };
	pid_t pid = start_sweep(argv);
	/* Stop it once some rows are there. */
	wait_for_rows(pid, in_dir("s/runs.csv"), 20, false);
	kill(pid, sig);
	int st;
	waitpid(pid, &st, 0);
	ck_assert_msg(WIFSIGNALED(st) && WTERMSIG(st) == sig, "status %d", st);
	int rows = whole_rows(in_dir("s/runs.csv"));
	/* No temporary left behind: only the sweep's own files. */
	char *names = dir_listing(in_dir("s"), "");
	ck_assert_str_eq(names, "conns.csv\nruns.csv\nsweep.args\n");
	free(names);
	ck_assert_msg(rows > 0 && rows < 320, "%d rows after the kill", rows);
	resume_like_fresh("x=1:8:1", "40", 320, 320 - rows);
}
END_TEST

/* A worker killed under a run (the OOM killer, say): that run is a row
 * saying so, the others go on in a new worker, the exit status is 1;
 * --resume runs the killed one again, and the files are those of a
 * sweep nothing happened to. */
START_TEST(test_worker_killed)
{
	use_dir("crash");
	write_file(in_dir("slow.lua"),
	           "local x = sim.param('x', 1)\n"
	           "local s = 0\n"
	           "for i = 1, 200000 do s = s + i % 7 end\n"
	           "sim.metric('x', x)\n");
	const char *argv[] = { SYNSIM_BIN, "sweep", in_dir("slow.lua"), "-P",
	                       "x=1:4:1", "--reps", "25", "-j", "1", "--out",
	                       in_dir("s"), NULL };
	pid_t pid = start_sweep(argv);
	/* The worker, once a few rows are written. */
	pid_t worker = wait_for_rows(pid, in_dir("s/runs.csv"), 5, true);
	ck_assert_int_gt(worker, 0);
	kill(worker, SIGKILL);
	int st;
	waitpid(pid, &st, 0);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 1, "exit %d", st);
	ck_assert_int_eq(whole_rows(in_dir("s/runs.csv")), 100);
	char *runs = slurp(in_dir("s/runs.csv"));
	char *hit = strstr(runs, ",2,the run crashed (signal 9: Killed),");
	ck_assert_msg(hit != NULL, "%s", runs);
	ck_assert_ptr_null(strstr(hit + 20, "the run crashed"));
	free(runs);
	resume_like_fresh("x=1:4:1", "25", 100, 1);
}
END_TEST

/* A runs.csv cut by hand to its first rows, and a conns.csv with rows
 * of a run whose own row never made it: resume runs exactly the rest. */
START_TEST(test_resume_runs_only_missing)
{
	use_dir("resume");
	const char *scen = SOURCE_DIR "/scenarios/lost-synack.lua";
	ck_assert_int_eq(SYNSIM("sweep", scen, "-P", "drops=0,1", "--reps", "3",
	                        "--out", in_dir("ref")), 0);
	ck_assert_int_eq(SYNSIM("sweep", scen, "-P", "drops=0,1", "--reps", "3",
	                        "--out", in_dir("s")), 0);
	/* Keep the header and runs 0-1 of runs.csv, runs 0-2 of conns.csv. */
	char *runs = slurp(in_dir("s/runs.csv")), *conns = slurp(in_dir("s/conns.csv"));
	char *p = runs;
	for (int i = 0; i < 3; i++)
		p = strchr(p, '\n') + 1;
	*p = '\0';
	write_file(in_dir("s/runs.csv"), runs);
	p = conns;
	for (int i = 0; i < 4; i++)
		p = strchr(p, '\n') + 1;
	*p = '\0';
	write_file(in_dir("s/conns.csv"), conns);
	unlink(in_dir("s/summary.csv"));
	free(runs);
	free(conns);
	/* Without --resume the folder is not overwritten. */
	ck_assert_int_eq(SYNSIM("sweep", scen, "-P", "drops=0,1", "--reps", "3",
	                        "--out", in_dir("s")), 2);
	assert_has(syn_err, "already holds a sweep: --resume");
	/* Another grid is refused. */
	ck_assert_int_eq(SYNSIM("sweep", scen, "-P", "drops=0,2", "--reps", "3",
	                        "--resume", "--out", in_dir("s")), 2);
	assert_has(syn_err, "holds another sweep");
	ck_assert_int_eq(SYNSIM("sweep", scen, "-P", "drops=0,1", "--reps", "3",
	                        "--resume", "--out", in_dir("s")), 0);
	assert_has(syn_out, "6 runs (4 now)");
	same_sweep(in_dir("s"), in_dir("ref"));
	/* Nothing left: nothing runs. */
	ck_assert_int_eq(SYNSIM("sweep", "--resume", "--out", in_dir("s")), 0);
	assert_has(syn_out, "6 runs (0 now)");
	same_sweep(in_dir("s"), in_dir("ref"));
}
END_TEST


/* On a terminal (script(1) gives the sweep one), stderr counts the runs;
 * elsewhere it says nothing (test_sweep_files). */
START_TEST(test_progress_on_terminal)
{
	use_dir("tty");
	write_file(in_dir("toy.lua"), toy_lua);
	char cmd[3000];
	snprintf(cmd, sizeof cmd, "script -qec \"'%s' sweep '%s' -P x=1:3:1 "
	         "--reps 4 --out '%s' 2>&1 >/dev/null\" /dev/null > '%s'",
	         SYNSIM_BIN, in_dir("toy.lua"), in_dir("s"), in_dir("tty.txt"));
	ck_assert_int_eq(system(cmd), 0);
	char *tty = slurp(in_dir("tty.txt"));
	assert_has(tty, "sweep: 12/12 runs, ");
	assert_has(tty, " runs/s");
	free(tty);
}
END_TEST

/* ---- shards --------------------------------------------------------------- */

START_TEST(test_merge_shards)
{
	use_dir("merge");
	write_file(in_dir("toy.lua"), toy_lua);
	ck_assert_int_eq(SYNSIM("sweep", in_dir("toy.lua"), "-P", "x=1:4:1",
	                        "--reps", "3", "--out", in_dir("one")), 0);
	const char *sh[3] = { "1/3", "2/3", "3/3" };
	char dirs[3][16];
	for (int i = 0; i < 3; i++) {
		snprintf(dirs[i], sizeof dirs[i], "sh%d", i + 1);
		ck_assert_int_eq(SYNSIM("sweep", in_dir("toy.lua"), "-P", "x=1:4:1",
		                        "--reps", "3", "--shard", sh[i], "--out",
		                        in_dir(dirs[i])), 0);
	}
	/* Two of three shards: refused, saying what is missing. */
	ck_assert_int_eq(SYNSIM("merge", in_dir("sh1"), in_dir("sh3"), "--out",
	                        in_dir("m")), 2);
	assert_has(syn_err, "4 missing, the first run 1 (of shard 2/3)");
	/* A shard given twice. */
	ck_assert_int_eq(SYNSIM("merge", in_dir("sh1"), in_dir("sh1"), "--out",
	                        in_dir("m")), 2);
	assert_has(syn_err, "is there twice");
	ck_assert_int_eq(SYNSIM("plot", in_dir("sh2")), 2);
	assert_has(syn_err, "is shard 2/3 of a sweep: synsim merge joins");
	ck_assert_int_eq(SYNSIM("merge", in_dir("sh3"), in_dir("sh1"),
	                        in_dir("sh2"), "--out", in_dir("m")), 0);
	same_sweep(in_dir("m"), in_dir("one"));
	same_file(in_dir("m/sweep.args"), in_dir("one/sweep.args"));
	/* Another sweep's shard. */
	ck_assert_int_eq(SYNSIM("sweep", in_dir("toy.lua"), "-P", "x=1:4:1",
	                        "--reps", "3", "--seed", "9", "--shard", "2/3",
	                        "--out", in_dir("other")), 0);
	ck_assert_int_eq(SYNSIM("merge", in_dir("sh1"), in_dir("other"),
	                        in_dir("sh3"), "--out", in_dir("m2")), 2);
	assert_has(syn_err, "a shard of another sweep");
}
END_TEST

/* The emitted jobs run by GNU parallel, then merged: the files of the
 * sweep on one machine. */
START_TEST(test_parallel_round_trip)
{
	use_dir("parallel");
	const char *scen = SOURCE_DIR "/scenarios/lost-synack.lua";
	ck_assert_int_eq(SYNSIM("sweep", scen, "-P", "delay=10ms,50ms", "-P",
	                        "drops=0,1", "--reps", "4", "--out",
	                        in_dir("one")), 0);
	ck_assert_int_eq(SYNSIM("sweep", scen, "-P", "delay=10ms,50ms", "-P",
	                        "drops=0,1", "--reps", "4", "--emit-jobs",
	                        in_dir("jobs.txt"), "--shards", "3", "--out",
	                        in_dir("sh")), 0);
	char *jobs = slurp(in_dir("jobs.txt"));
	int n = 0;
	for (char *p = jobs; *p; p++)
		n += *p == '\n';
	ck_assert_int_eq(n, 3);
	assert_has(jobs, "'--shard' '2/3' --out ");
	free(jobs);
	char cmd[3000];
	snprintf(cmd, sizeof cmd, "parallel --will-cite -j 2 < '%s' > '%s' 2>&1",
	         in_dir("jobs.txt"), in_dir("parallel.log"));
	ck_assert_msg(system(cmd) == 0, "parallel failed: %s",
	              read_file(in_dir("parallel.log"), NULL));
	ck_assert_int_eq(SYNSIM("merge", in_dir("sh/shard-1"), in_dir("sh/shard-2"),
	                        in_dir("sh/shard-3"), "--out", in_dir("merged")), 0);
	same_sweep(in_dir("merged"), in_dir("one"));
}
END_TEST


/* ---- plot ------------------------------------------------------------------ */

/* The shipped loss sweep: its theory as derived by hand (q = 0.9^2 =
 * 0.81; 100 ms + sum_k q (1-q)^k (2^k - 1) s / (1 - 0.19^7) = 404.968
 * ms at 10 % loss; 1 - 0.51^7 = 0.991026 of connections at 30 %), and
 * its picture with the data drawn beside it. */
START_TEST(test_loss_sweep_plot)
{
	use_dir("plot");
	const char *scen = SOURCE_DIR "/scenarios/sweep-loss.lua";
	ck_assert_int_eq(SYNSIM("sweep", scen, "-P", "loss=0,0.1,0.3", "-P",
	                        "synack_retries=0,5", "--reps", "4", "--out",
	                        in_dir("s")), 0);
	char *sum = slurp(in_dir("s/summary.csv"));
	assert_has(sum, "\n2,0.1,0,conn.handshake_ms.theory,4,404.9684934,0,");
	assert_has(sum, "\n4,0.3,0,conn.connected.theory,4,0.9910258932,0,");
	/* No loss: one round trip, 100 ms, for every connection. */
	assert_has(sum, "\n0,0,0,conn.handshake_ms,4,100,0,100,100,100,100,100,"
	           "100,100\n");
	free(sum);
	ck_assert_int_eq(SYNSIM("plot", in_dir("s")), 0);
	ck_assert_str_eq(syn_err, "");
	char *dat = slurp(in_dir("s/sweep.dat"));
	/* The first panel is the metric with a theory; at loss 0 every
	 * column is 100 ms, at 10 % the theory column is 404.968... */
	assert_has(dat, "\n0 100 100 100 100 100 100\n");
	assert_has(dat, " 404.9684934\n");
	free(dat);
	char *cdf = slurp(in_dir("s/sweep-cdf.dat"));
	assert_has(cdf, "# value F\n100 0.25\n100 0.5\n100 0.75\n100 1\n");
	/* Two metric panels: room for the CDF of synack_retries=5 too,
	 * three more blocks after the three of synack_retries=0. */
	int blocks = 0;
	for (char *p = cdf; (p = strstr(p, "\n\n\n")) != NULL; p += 3)
		blocks++;
	ck_assert_int_eq(blocks, 6);
	free(cdf);
	size_t len = 0;
	char *png = read_file(in_dir("s/sweep.png"), &len);
	ck_assert_msg(png && len > 10000 && memcmp(png + 1, "PNG", 3) == 0,
	              "sweep.png is a picture");
	free(png);
	ck_assert_int_eq(SYNSIM("plot", in_dir("s"), "--format", "svg"), 0);
	char *svg = slurp(in_dir("s/sweep.svg"));
	assert_has(svg, "<svg");
	assert_has(svg, "theory, synack_retries=0");
	free(svg);
}
END_TEST


/* No axis at all, and an axis of names: drawn, gnuplot silent (a
 * constant metric or a single x would make it warn about empty ranges). */
START_TEST(test_plot_odd_shapes)
{
	use_dir("shapes");
	const char *scen = SOURCE_DIR "/scenarios/lost-synack.lua";
	ck_assert_int_eq(SYNSIM("sweep", scen, "--reps", "3", "--out",
	                        in_dir("one")), 0);
	ck_assert_int_eq(SYNSIM("plot", in_dir("one")), 0);
	ck_assert_str_eq(syn_err, "");
	ck_assert_int_eq(SYNSIM("sweep", scen, "-P", "profile=linux,rfc", "-P",
	                        "delay=10ms,200ms", "--out", in_dir("names")), 0);
	ck_assert_int_eq(SYNSIM("plot", in_dir("names"), "--format", "svg"), 0);
	ck_assert_str_eq(syn_err, "");
	char *svg = slurp(in_dir("names/sweep.svg"));
	assert_has(svg, "delay=200ms");
	assert_has(svg, ">rfc<");
	free(svg);
	ck_assert_int_eq(SYNSIM("plot", in_dir("names"), "--from", "1s"), 2);
	assert_has(syn_err, "not an option of plot on a sweep");
}
END_TEST

/* ---- explore ---------------------------------------------------------------- */

/*
 * The plain handshake (50 ms each way, 10 Mbps: a SYN or SYN-ACK takes
 * 48 us to send, so a round trip is 100.096 ms), its first three
 * segments lost in every way, worked out by hand:
 *   ...  nothing lost                              100.096 ms
 *   ..x  the ACK: the data segment carries it      100.096 ms
 *   x..  the SYN: again at 1 s                      1.100096 s
 *   .x.  the SYN-ACK: the SYN again at 1 s (3rd segment, delivered),
 *        answered; the server's own retransmission at 1.05 s too
 *                                                   1.100096 s
 *   .xx  the SYN-ACK and that SYN: the server's retransmission at
 *        1.05 s gets through                        1.100096 s
 *   xx.  the SYN twice: the third SYN at 3 s        3.100096 s
 *   x.x  the SYN, then the SYN-ACK answering the one at 1 s (received
 *        at 1.05 s): the server retransmits at 2.05 s
 *                                                   2.100096 s
 *   xxx  three SYNs: the fourth at 7 s              7.100096 s
 */
/* The handshake's timers on the hosts' timer wheels (seed 1, as
 * tests/tcp_fixture.h): the client's SYN again at 1.012792873, 3.028792873
 * and 7.284792873 s, each a round trip (100.096 ms) from ESTABLISHED; the
 * server's SYN-ACK timer at 1.069807652 s, or, restarted by the answer to
 * the repeated SYN at 1.062840873 s, at 2.093807652 s, each 50.048 ms
 * from the client.  So with the first SYN-ACK lost the repeated SYN wins
 * the race (.x.), and if it is lost too (.xx) the server's own timer
 * opens the connection at 1.119855652 s. */
START_TEST(test_explore_handshake)
{
	ck_assert_int_eq(SYNSIM("explore", SOURCE_DIR "/scenarios/handshake.lua",
	                        "--first", "3"), 0);
	const char *table =
		"the 8 ways to lose the first 3 segments of the first connection\n"
		"(in the order sent, both ways: x lost, . delivered, - never sent)\n"
		"\n"
		"established after 100.096ms: 2 patterns\n"
		"    ...\n"
		"    ..x  lost: 3 ACK\n"
		"established after 1.112888873s: 2 patterns\n"
		"    x..  lost: 1 SYN\n"
		"    .x.  lost: 2 SYN+ACK\n"
		"established after 3.128888873s: 1 pattern\n"
		"    xx.  lost: 1 SYN, 2 SYN\n"
		"established after 2.143855652s: 1 pattern\n"
		"    x.x  lost: 1 SYN, 3 SYN+ACK\n"
		"established after 1.119855652s: 1 pattern\n"
		"    .xx  lost: 2 SYN+ACK, 3 SYN\n"
		"established after 7.384888873s: 1 pattern\n"
		"    xxx  lost: 1 SYN, 2 SYN, 3 SYN\n";
	ck_assert_msg(strstr(syn_out, table) != NULL, "got:\n%s", syn_out);
	ck_assert_str_eq(syn_err, "");
}
END_TEST

/* Losing every SYN: the connect times out, and the scenario's code after
 * the run (which asks for the server's connection) fails; the outcome
 * says both.  The server gives up after one SYN-ACK retransmission: with
 * the ACK to each of its two SYN-ACKs lost, it forgets the connection
 * the client holds open, a half-open connection. */
START_TEST(test_explore_timeout_half_open)
{
	use_dir("explore");
	write_file(in_dir("s.lua"),
	           "local net = sim.network{ profile = 'linux' }\n"
	           "local c = net:host 'c'\n"
	           "local s = net:host('s', { tcp = { synack_retries = 1 } })\n"
	           "net:link(c, s, { delay = '10ms' })\n"
	           "s:listen(80)\n"
	           "c:connect(s, 80, {})\n"
	           "net:run()\n"
	           "sim.log(s:conn(1).state)\n");
	ck_assert_int_eq(SYNSIM("explore", in_dir("s.lua"), "--first", "7"), 0);
	char want[1400];
	snprintf(want, sizeof want, "timed out (ETIMEDOUT); then the scenario "
	         "failed: %s:8: ", in_dir("s.lua"));
	assert_has(syn_out, want);
	assert_has(syn_out, "    xxxxxxx  lost: 1 SYN, 2 SYN, 3 SYN, 4 SYN, "
	           "5 SYN, 6 SYN, 7 SYN\n");
	ck_assert_int_eq(SYNSIM("explore", in_dir("s.lua"), "--first", "5"), 0);
	assert_has(syn_out, "established after 20ms: ");
	/* ..xx-: the SYN-ACK repeated at 1.01 s lost too, the server
	 * gives up at 3.01 s; segment 5 is never sent, so ..xxx is the
	 * same run. */
	assert_has(syn_out, "established after 20ms; half-open left behind: "
	           "client in ESTABLISHED: 3 patterns\n"
	           "    ..xx-  lost: 3 ACK, 4 SYN+ACK\n"
	           "    ..x.x  lost: 3 ACK, 5 ACK\n"
	           "    (and 1 that differ only in segments never sent)\n");
	ck_assert_int_eq(SYNSIM("explore", in_dir("s.lua")), 2);
	assert_has(syn_err, "--first K");
	/* A scenario that fails without any loss: its error, no table. */
	write_file(in_dir("bad.lua"), "local x = = 1\n");
	ck_assert_int_eq(SYNSIM("explore", in_dir("bad.lua"), "--first", "2"), 2);
	char want2[1300];
	snprintf(want2, sizeof want2, "synsim: %s:1: unexpected symbol near '='",
	         in_dir("bad.lua"));
	assert_has(syn_err, want2);
	ck_assert_str_eq(syn_out, "");
}
END_TEST


/* ---- the shipped sweeps, as their Try lines and the README say ------------ */

static double
summary_mean(const char *sum, const char *row_start)
{
	const char *p = strstr(sum, row_start);
	ck_assert_msg(p != NULL, "no row %s", row_start);
	p += strlen(row_start);
	char *end;
	strtol(p, &end, 10);	/* n */
	return strtod(end + 1, NULL);
}

START_TEST(test_try_sweep_loss)
{
	use_dir("try-loss");
	ck_assert_int_eq(SYNSIM("sweep", SOURCE_DIR "/scenarios/sweep-loss.lua",
	                        "-P", "loss=0:0.3:0.05", "-P", "synack_retries=0,5",
	                        "--reps", "200", "--out", in_dir("out")), 0);
	char *sum = slurp(in_dir("out/summary.csv"));
	/* The closed form at 30 % loss (q = 0.49): 2775.79 ms. */
	assert_has(sum, "\n12,0.3,0,conn.handshake_ms.theory,200,2775.785751,");
	/* The handshake takes longer as loss grows, in the simulation as
	 * in the theory. */
	const char *rows[] = { "\n0,0,0,conn.handshake_ms,", "\n4,0.1,0,conn.handshake_ms,",
	                       "\n8,0.2,0,conn.handshake_ms,", "\n12,0.3,0,conn.handshake_ms," };
	double last = 0;
	for (int i = 0; i < 4; i++) {
		double m = summary_mean(sum, rows[i]);
		ck_assert_msg(m > last, "%s: mean %g after %g", rows[i], m, last);
		last = m;
	}
	ck_assert_double_eq(summary_mean(sum, rows[0]), 100);
	/* With the server's SYN-ACK retransmissions (Linux's default),
	 * sooner than without at 30 % loss. */
	ck_assert(summary_mean(sum, "\n13,0.3,5,conn.handshake_ms,") <
	          summary_mean(sum, rows[3]));
	free(sum);
	ck_assert_int_eq(SYNSIM("plot", in_dir("out")), 0);
	ck_assert_str_eq(syn_err, "");
	assert_has(syn_out, "sweep.png");
	/* The README's same sweep in 8 shards through GNU parallel. */
	ck_assert_int_eq(SYNSIM("sweep", SOURCE_DIR "/scenarios/sweep-loss.lua",
	                        "-P", "loss=0:0.3:0.05", "-P", "synack_retries=0,5",
	                        "--reps", "200", "--emit-jobs", in_dir("jobs.txt"),
	                        "--shards", "8", "--out", in_dir("shards")), 0);
	char cmd[3000];
	snprintf(cmd, sizeof cmd, "cd '%s' && parallel --will-cite < jobs.txt "
	         "> parallel.log 2>&1 && '%s' merge shards/shard-* --out merged "
	         "> merge.log 2>&1", syn_dir, SYNSIM_BIN);
	ck_assert_msg(system(cmd) == 0, "parallel or merge failed: %s",
	              read_file(in_dir("parallel.log"), NULL));
	same_sweep(in_dir("merged"), in_dir("out"));
}
END_TEST

START_TEST(test_try_sweep_syn_flood)
{
	use_dir("try-flood");
	ck_assert_int_eq(SYNSIM("sweep", SOURCE_DIR "/scenarios/sweep-syn-flood.lua",
	                        "-P", "rate=0,5,10,15,20,30,50", "-P",
	                        "syncookies=0,1", "--reps", "5", "--out",
	                        in_dir("out")), 0);
	char *sum = slurp(in_dir("out/summary.csv"));
	/* No flood, or a slow one: every client in; with cookies every
	 * client in at any rate, in one round trip (2 x 2 hops of 10 ms
	 * plus sending). */
	assert_has(sum, "\n0,0,0,conn.connected,50,1,0,");
	assert_has(sum, "\n2,5,0,conn.connected,50,1,0,");
	assert_has(sum, "\n13,50,1,conn.connected,50,1,0,");
	assert_has(sum, "\n13,50,1,conn.handshake_ms,50,40.02144,0,");
	const char *rates[] = { "0", "5", "10", "15", "20", "30", "50" };
	for (int i = 0; i < 7; i++) {
		char row[64];
		snprintf(row, sizeof row, "\n%d,%s,1,conn.connected,", 2 * i + 1,
		         rates[i]);
		ck_assert_double_eq(summary_mean(sum, row), 1);
	}
	/* As the README says: 98, 72, 54, 24 and 8 % at 10, 15, 20, 30 and
	 * 50 per second, waiting 0.4, 1.5, 1.6, 3 and 7.2 s on average (the
	 * server's timer wheel prunes requests in batches: check_focus). */
	assert_has(sum, "\n4,10,0,conn.connected,50,0.98,");
	assert_has(sum, "\n6,15,0,conn.connected,50,0.72,");
	assert_has(sum, "\n8,20,0,conn.connected,50,0.54,");
	assert_has(sum, "\n10,30,0,conn.connected,50,0.24,");
	assert_has(sum, "\n12,50,0,conn.connected,50,0.08,");
	assert_has(sum, "\n4,10,0,conn.handshake_ms,49,437.1496451,");
	assert_has(sum, "\n6,15,0,conn.handshake_ms,36,1514.841167,");
	assert_has(sum, "\n8,20,0,conn.handshake_ms,27,1625.10256,");
	assert_has(sum, "\n10,30,0,conn.handshake_ms,12,3027.5169,");
	assert_has(sum, "\n12,50,0,conn.handshake_ms,4,7239.841322,");
	free(sum);
	ck_assert_int_eq(SYNSIM("plot", in_dir("out")), 0);
	ck_assert_str_eq(syn_err, "");
}
END_TEST

/* ---- usage --------------------------------------------------------------- */

START_TEST(test_usage_errors)
{
	use_dir("usage");
	write_file(in_dir("toy.lua"), toy_lua);
	ck_assert_int_eq(SYNSIM("sweep", in_dir("toy.lua"), "-P", "x=1"), 2);
	assert_has(syn_err, "--out DIR");
	ck_assert_int_eq(SYNSIM("sweep", in_dir("toy.lua"), "-P", "seed=1,2",
	                        "--out", in_dir("s")), 2);
	assert_has(syn_err, "-P seed: the files use this name");
	ck_assert_int_eq(SYNSIM("sweep", in_dir("toy.lua"), "-P", "x=1",
	                        "-D", "x=2", "--out", in_dir("s")), 2);
	assert_has(syn_err, "x is both a -P axis and a -D value");
	ck_assert_int_eq(SYNSIM("sweep", in_dir("toy.lua"), "-P", "x=1:2",
	                        "--out", in_dir("s")), 2);
	assert_has(syn_err, "a range is start:stop:step");
	ck_assert_int_eq(SYNSIM("sweep", in_dir("toy.lua"), "-D", "a=1\n2",
	                        "--out", in_dir("s")), 2);
	assert_has(syn_err, "-D: a value may not hold a line break");
	ck_assert_int_eq(SYNSIM("sweep", in_dir("toy.lua"), "--reps", "0",
	                        "--out", in_dir("s")), 2);
	assert_has(syn_err, "--reps 0: expected a whole number from 1");
	ck_assert_int_eq(SYNSIM("sweep", in_dir("missing.lua"), "--out", in_dir("s")), 2);
	assert_has(syn_err, "missing.lua: No such file or directory");
	ck_assert_int_eq(SYNSIM("merge", in_dir("nothing"), "--out", in_dir("m")), 2);
	assert_has(syn_err, "is no sweep folder");
	/* An unknown parameter is every run's error, said once per run. */
	ck_assert_int_eq(SYNSIM("sweep", in_dir("toy.lua"), "-P", "z=1,2",
	                        "--out", in_dir("s")), 1);
	assert_has(syn_err, "unknown");
}
END_TEST

static Suite *
sweep_suite(void)
{
	Suite *s = suite_create("sweep");
	TCase *tc = tcase_create("stats");
	tcase_add_test(tc, test_stats_by_hand);
	tcase_add_test(tc, test_stats_small_n);
	tcase_add_test(tc, test_stats_constant);
	tcase_add_test(tc, test_t_quantiles);
	suite_add_tcase(s, tc);

	tc = tcase_create("grid");
	tcase_add_test(tc, test_grid_values);
	tcase_add_test(tc, test_grid_seeds);
	suite_add_tcase(s, tc);

	tc = tcase_create("command");
	tcase_add_checked_fixture(tc, NULL, synsim_reset);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_sweep_files);
	tcase_add_test(tc, test_jobs_same_bytes);
	tcase_add_test(tc, test_failing_run_kept);
	tcase_add_test(tc, test_limits);
	tcase_add_loop_test(tc, test_resume_after_kill, 0, 2);
	tcase_add_test(tc, test_resume_runs_only_missing);
	tcase_add_test(tc, test_worker_killed);
	tcase_add_test(tc, test_merge_shards);
	tcase_add_test(tc, test_parallel_round_trip);
	tcase_add_test(tc, test_usage_errors);
	tcase_add_test(tc, test_progress_on_terminal);
	tcase_add_test(tc, test_loss_sweep_plot);
	tcase_add_test(tc, test_plot_odd_shapes);
	tcase_add_test(tc, test_explore_handshake);
	tcase_add_test(tc, test_explore_timeout_half_open);
	suite_add_tcase(s, tc);

	tc = tcase_create("shipped");
	tcase_add_checked_fixture(tc, NULL, synsim_reset);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_try_sweep_loss);
	tcase_add_test(tc, test_try_sweep_syn_flood);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(sweep_suite());
}
