/*
 * check_lua.c - the scenario runtime through lrt_open/lrt_run: the
 * sandbox, seeded math.random, typed parameters, sim.at/sim.now/sim.run,
 * expectations, and how every kind of scenario error is reported.
 *
 * Each test writes small scenarios into its own folder under the build
 * tree and runs them in-process, the way run.c does, with a trace sink
 * recording sim.log/print/metric lines and stderr captured to a file.
 */
#define _POSIX_C_SOURCE 200809L
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/outfile.h"
#include "core/sim.h"
#include "helpers.h"
#include "lua/runtime.h"
#include "net/net.h"

/* ---- fixture ------------------------------------------------------------ */

struct result {
	int status;
	int expect_failed;
	simtime end;
	char err[16384];	/* everything written to stderr */
	char log[16384];	/* "<t_ns> <text>" per log line, metrics too */
	size_t nlog;
};

static struct result res;
/* Write dir/name; returns the path (static: one at a time). */
static const char *
put(const char *name, const char *text)
{
	static char path[1600];	/* syn_dir and a name */
	snprintf(path, sizeof path, "%s/%s", syn_dir, name);
	write_file(path, text);
	return path;
}

static const char *
path_of(const char *name)
{
	static char path[1600];	/* syn_dir and a name */
	snprintf(path, sizeof path, "%s/%s", syn_dir, name);
	return path;
}

static void
capture(void *ctx, const struct trace_event *ev)
{
	struct result *r = ctx;
	size_t room = sizeof r->log - r->nlog;
	int n = 0;
	if (ev->kind == TR_LOG)
		n = snprintf(r->log + r->nlog, room, "%" PRId64 " %s\n", ev->t,
		             ev->u.log.text);
	else if (ev->kind == TR_METRIC)
		n = snprintf(r->log + r->nlog, room, "%" PRId64 " metric %s=%.17g\n",
		             ev->t, ev->u.metric.name, ev->u.metric.value);
	if (n > 0 && (size_t)n < room)
		r->nlog += (size_t)n;
}

/* Run the scenario at dir/name with the seed and the "name=value"
 * parameters (NULL-terminated), as run_scenario() does, into res. */
static int
run(const char *name, uint64_t seed, ...)
{
	char *params[16];
	int nparams = 0;
	va_list ap;
	va_start(ap, seed);
	for (char *p; (p = va_arg(ap, char *)) != NULL && nparams < 16;)
		params[nparams++] = p;
	va_end(ap);

	memset(&res, 0, sizeof res);
	/* Kept in the test's folder: if a sanitizer kills the test while
	 * stderr points here, its report is in this file. */
	char errpath[1200];
	snprintf(errpath, sizeof errpath, "%s/stderr.txt", syn_dir);
	int fd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ck_assert_int_ge(fd, 0);
	fflush(stderr);
	int saved = dup(2);
	dup2(fd, 2);

	struct sim sim;
	struct lrt rt;
	sim_init(&sim, seed);
	trace_subscribe(&sim.trace, TRACE_ALL, capture, &res);
	if (lrt_open(&rt, &sim, path_of(name), params, nparams) < 0) {
		res.status = RUN_ERROR;
	} else {
		res.status = lrt_run(&rt);
		res.expect_failed = rt.expect_failed;
	}
	lrt_close(&rt);
	res.end = sim_now(&sim);
	net_free(sim.net);
	sim_free(&sim);

	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	close(fd);
	char *err = read_file(errpath, NULL);
	ck_assert_ptr_nonnull(err);
	snprintf(res.err, sizeof res.err, "%s", err);
	free(err);
	return res.status;
}

/* stderr must contain "<dir>/<file>:<rest>" (rest starts after the colon). */
static void
assert_err_at(const char *file, const char *rest)
{
	char want[4096];
	snprintf(want, sizeof want, "%s/%s:%s", syn_dir, file, rest);
	ck_assert_msg(strstr(res.err, want) != NULL,
	              "stderr lacks \"%s\"; it was:\n%s", want, res.err);
}

static void
assert_err_has(const char *text)
{
	ck_assert_msg(strstr(res.err, text) != NULL,
	              "stderr lacks \"%s\"; it was:\n%s", text, res.err);
}

static void
assert_log(const char *want)
{
	ck_assert_str_eq(res.log, want);
}

/* ---- sandbox ------------------------------------------------------------ */

START_TEST(test_os_execute_refused)
{
	use_dir("lua_os_execute");
	put("s.lua", "sim.log('before')\n"
	             "os.execute('touch " TEST_TMP "/lua_os_execute/ran')\n"
	             "sim.log('after')\n");
	ck_assert_int_eq(run("s.lua", 1, NULL), RUN_ERROR);
	assert_err_at("s.lua", "2: 'os.execute' is not available: scenarios "
	              "run in a sandbox");
	ck_assert_int_ne(access(path_of("ran"), F_OK), 0);
	assert_log("0 before\n");
}
END_TEST

/* Each line is a whole scenario: what it tries, and the refusal. */
static const struct {
	const char *code, *msg;
} refused[] = {
	{ "local f = io.open('/etc/passwd')",
	  "1: 'io.open' is not available" },
	{ "io.write('x')", "1: 'io.write' is not available" },
	{ "local t = os.time()", "1: 'os.time' is not available" },
	{ "local c = os.clock()", "1: 'os.clock' is not available" },
	{ "os.exit(0)", "1: 'os.exit' is not available" },
	{ "local f = loadfile('s.lua')", "1: 'loadfile' is not available" },
	{ "local f = load('return 1')", "1: 'load' is not available" },
	{ "debug.sethook()", "1: 'debug.sethook' is not available" },
	{ "package.loadlib('x', 'y')", "1: 'package.loadlib' is not available" },
	{ "require('../x')", "1: require: '../x' is outside the scenario folder" },
	{ "require('.x')", "1: require: '.x' is outside the scenario folder" },
	{ "require('/etc/x')", "1: require: '/etc/x' is outside the scenario folder" },
	{ "dofile('../x.lua')", "1: dofile: '../x.lua' is outside the scenario folder" },
	{ "dofile('/etc/passwd')",
	  "1: dofile: '/etc/passwd' is outside the scenario folder" },
	{ "dofile('sub/../../x.lua')",
	  "1: dofile: 'sub/../../x.lua' is outside the scenario folder" },
};

START_TEST(test_refused)
{
	use_dir("lua_refused");
	/* A file the escapes would reach if they worked. */
	char outside[1200];
	snprintf(outside, sizeof outside, "%s/../x.lua", syn_dir);
	write_file(outside, "sim.log('outside ran')\nreturn true\n");
	char code[512];
	snprintf(code, sizeof code, "%s\nsim.log('not reached')\n",
	         refused[_i].code);
	put("s.lua", code);
	ck_assert_int_eq(run("s.lua", 1, NULL), RUN_ERROR);
	assert_err_at("s.lua", refused[_i].msg);
	assert_log("");
}
END_TEST

/* A symbolic link in the folder is judged by where it leads. */
START_TEST(test_symlink_out_refused)
{
	use_dir("lua_symlink");
	char outside[1200], link[1300];
	snprintf(outside, sizeof outside, "%s/../secret.lua", syn_dir);
	write_file(outside, "sim.log('outside ran')\nreturn true\n");
	snprintf(link, sizeof link, "%s/out.lua", syn_dir);
	unlink(link);
	ck_assert_int_eq(symlink(outside, link), 0);
	put("in.lua", "return 'inside'\n");
	snprintf(link, sizeof link, "%s/alias.lua", syn_dir);
	unlink(link);
	ck_assert_int_eq(symlink("in.lua", link), 0);

	put("s.lua", "sim.log(dofile('alias.lua'))\n"
	             "sim.log(require('alias'))\n"
	             "dofile('out.lua')\n");
	ck_assert_int_eq(run("s.lua", 1, NULL), RUN_ERROR);
	assert_err_at("s.lua", "3: dofile: 'out.lua' leads outside the scenario "
	              "folder (a symbolic link)");
	assert_log("0 inside\n0 inside\n");
	put("r.lua", "require('out')\n");
	ck_assert_int_eq(run("r.lua", 1, NULL), RUN_ERROR);
	assert_err_at("r.lua", "1: require: 'out.lua' leads outside the "
	              "scenario folder (a symbolic link)");
}
END_TEST

START_TEST(test_dofile_and_require_inside)
{
	use_dir("lua_inside");
	put("helper.lua", "sim.log('helper loaded')\n"
	                  "return { twice = function(x) return 2 * x end }\n");
	put("values.lua", "return 1, 'two', 3\n");
	char sub[1200];
	snprintf(sub, sizeof sub, "%s/lib", syn_dir);
	ck_assert_int_eq(outfile_mkdirs(sub), 0);
	put("lib/mod.lua", "local name = ...\nreturn { name = name }\n");
	put("s.lua", "local h = require('helper')\n"
	             "local h2 = require('helper')\n"
	             "sim.log(h.twice(21), h == h2)\n"
	             "local a, b, c = dofile('values.lua')\n"
	             "sim.log(a, b, c)\n"
	             "sim.log(require('lib.mod').name)\n");
	ck_assert_int_eq(run("s.lua", 1, NULL), RUN_OK);
	/* Loaded once: require caches, and gets its module name. */
	assert_log("0 helper loaded\n"
	           "0 42 true\n"
	           "0 1 two 3\n"
	           "0 lib.mod\n");
	ck_assert_str_eq(res.err, "");
}
END_TEST

static int
dump_writer(lua_State *L, const void *p, size_t sz, void *ud)
{
	(void)L;
	return fwrite(p, 1, sz, ud) == sz ? 0 : 1;
}

/* Precompiled chunks are refused: they can break the VM's safety. */
START_TEST(test_bytecode_refused)
{
	use_dir("lua_bytecode");
	lua_State *L = luaL_newstate();
	ck_assert_int_eq(luaL_loadstring(L, "sim.log('bytecode ran')"), LUA_OK);
	FILE *f = fopen(path_of("bc.lua"), "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(lua_dump(L, dump_writer, f, 0), 0);
	fclose(f);
	lua_close(L);

	put("s.lua", "dofile('bc.lua')\n");
	ck_assert_int_eq(run("s.lua", 1, NULL), RUN_ERROR);
	char want[1400];
	snprintf(want, sizeof want, "1: dofile: %s/bc.lua: attempt to load a "
	         "binary chunk (mode is 't')", syn_dir);
	assert_err_at("s.lua", want);

	/* The scenario itself, too; the message names the file. */
	ck_assert_int_eq(run("bc.lua", 1, NULL), RUN_ERROR);
	assert_err_at("bc.lua", " attempt to load a binary chunk (mode is 't')");
	assert_log("");
}
END_TEST

START_TEST(test_print_goes_to_trace)
{
	use_dir("lua_print");
	put("s.lua", "print('a', 1, true, nil)\n"
	             "sim.at('1ms', function() print('later') end)\n");
	ck_assert_int_eq(run("s.lua", 1, NULL), RUN_OK);
	assert_log("0 a 1 true nil\n"
	           "1000000 later\n");
}
END_TEST

/* ---- math.random -------------------------------------------------------- */

static const char random_scenario[] =
	"local t = {}\n"
	"for i = 1, 5 do t[i] = math.random(1, 1000000) end\n"
	"sim.log(table.concat(t, ' '))\n"
	"sim.log(math.random() < 1)\n";

START_TEST(test_math_random_follows_seed)
{
	use_dir("lua_random");
	put("s.lua", random_scenario);
	char first[sizeof res.log], again[sizeof res.log];
	ck_assert_int_eq(run("s.lua", 1, NULL), RUN_OK);
	snprintf(first, sizeof first, "%s", res.log);
	ck_assert_int_eq(run("s.lua", 1, NULL), RUN_OK);
	snprintf(again, sizeof again, "%s", res.log);
	ck_assert_str_eq(first, again);
	ck_assert_int_eq(run("s.lua", 2, NULL), RUN_OK);
	ck_assert_str_ne(first, res.log);
}
END_TEST

START_TEST(test_randomseed)
{
	use_dir("lua_randomseed");
	put("bare.lua", "math.randomseed()\n");
	ck_assert_int_eq(run("bare.lua", 1, NULL), RUN_ERROR);
	assert_err_at("bare.lua", "1: bad argument #1 to 'math.randomseed' "
	              "(number expected, got no value)");

	/* With a seed it works, and overrides the run seed. */
	put("s.lua", "math.randomseed(42)\n"
	             "sim.log(math.random(1, 1000000), math.random(1, 1000000))\n");
	char first[sizeof res.log];
	ck_assert_int_eq(run("s.lua", 1, NULL), RUN_OK);
	snprintf(first, sizeof first, "%s", res.log);
	ck_assert_int_eq(run("s.lua", 2, NULL), RUN_OK);
	ck_assert_str_eq(first, res.log);
}
END_TEST

/* ---- sim.param ---------------------------------------------------------- */

static const char param_scenario[] =
	"local n = sim.param('n', 1)\n"
	"local flag = sim.param('flag', true)\n"
	"local d = sim.param('d', '50ms')\n"
	"local name = sim.param('name', 'client')\n"
	"local raw = sim.param('raw')\n"
	"sim.log(math.type(n), n)\n"
	"sim.log(type(flag), flag)\n"
	"sim.log(type(d), d)\n"
	"sim.log(type(name), name)\n"
	"sim.log(type(raw), raw)\n";

START_TEST(test_param_defaults)
{
	use_dir("lua_param_defaults");
	put("s.lua", param_scenario);
	ck_assert_int_eq(run("s.lua", 1, NULL), RUN_OK);
	assert_log("0 integer 1\n"
	           "0 boolean true\n"
	           "0 string 50ms\n"
	           "0 string client\n"
	           "0 nil nil\n");
}
END_TEST

START_TEST(test_param_typed)
{
	use_dir("lua_param_typed");
	put("s.lua", param_scenario);
	ck_assert_int_eq(run("s.lua", 1, "n=5", "flag=false", "d=20ms",
	                     "name=server", "raw=2.5", NULL), RUN_OK);
	assert_log("0 integer 5\n"
	           "0 boolean false\n"
	           "0 string 20ms\n"
	           "0 string server\n"
	           "0 number 2.5\n");
	ck_assert_str_eq(res.err, "");
}
END_TEST

START_TEST(test_param_bool_spellings)
{
	use_dir("lua_param_bool");
	put("s.lua", "sim.log(sim.param('flag', false))\n");
	static const char *const yes[] = { "flag=true", "flag=1", "flag=yes",
	                                   "flag=on" };
	static const char *const no[] = { "flag=false", "flag=0", "flag=no",
	                                  "flag=off" };
	for (int i = 0; i < 4; i++) {
		ck_assert_int_eq(run("s.lua", 1, yes[i], NULL), RUN_OK);
		assert_log("0 true\n");
		ck_assert_int_eq(run("s.lua", 1, no[i], NULL), RUN_OK);
		assert_log("0 false\n");
	}
}
END_TEST

/* A value that does not fit its default's type stops the run at the line
 * that reads it, quoting the value. */
static const struct {
	const char *param, *msg;
} bad_params[] = {
	{ "d=abc", "1: -D d=abc: duration \"abc\" does not start with a number" },
	{ "d=5parsecs", "1: -D d=5parsecs: duration \"5parsecs\": unknown unit "
	                "\"parsecs\"" },
	{ "n=abc", "2: -D n=abc: expected a number" },
	{ "flag=maybe", "3: -D flag=maybe: expected true or false" },
};

START_TEST(test_param_bad_value)
{
	use_dir("lua_param_bad");
	put("s.lua", "local d = sim.param('d', '50ms')\n"
	             "local n = sim.param('n', 1)\n"
	             "local flag = sim.param('flag', true)\n"
	             "sim.log('not reached')\n");
	ck_assert_int_eq(run("s.lua", 1, bad_params[_i].param, NULL), RUN_ERROR);
	assert_err_at("s.lua", bad_params[_i].msg);
	assert_log("");
}
END_TEST

START_TEST(test_param_unknown_name)
{
	use_dir("lua_param_unknown");
	/* Read out of order, and one twice: the list is sorted, no repeats. */
	put("s.lua", "sim.param('zeta', 1)\n"
	             "sim.param('alpha', 1)\n"
	             "sim.param('mid', 'x')\n"
	             "sim.param('alpha', 2)\n"
	             "sim.at('1s', function() sim.log('not reached') end)\n");
	ck_assert_int_eq(run("s.lua", 1, "alpha=3", "bogus=1", NULL), RUN_ERROR);
	char want[1400];
	snprintf(want, sizeof want, "%s/s.lua: unknown parameter -D bogus "
	         "(known: alpha, mid, zeta)\n", syn_dir);
	ck_assert_str_eq(res.err, want);
	assert_log("");		/* the run did not start */

	put("none.lua", "sim.log('no parameters')\n");
	ck_assert_int_eq(run("none.lua", 1, "x=1", NULL), RUN_ERROR);
	snprintf(want, sizeof want, "%s/none.lua: unknown parameter -D x "
	         "(known: none)\n", syn_dir);
	ck_assert_str_eq(res.err, want);

	/* Read once the simulation runs (after sim.run, or in a callback):
	 * an error at that line, not a misleading "unknown". */
	put("late.lua", "sim.run{ until_ = '1s' }\n"
	                "local tol = sim.param('tol', 5)\n");
	ck_assert_int_eq(run("late.lua", 1, "tol=7", NULL), RUN_ERROR);
	assert_err_at("late.lua", "1: unknown parameter -D tol (known: none; "
	              "the simulation starts here, so only parameters read "
	              "above this line count)\n");
	ck_assert_int_eq(run("late.lua", 1, NULL), RUN_ERROR);
	assert_err_at("late.lua", "2: sim.param('tol'): parameters are read "
	              "before the simulation runs (at the top of the scenario)");
	put("cb.lua", "sim.at('1s', function() sim.param('tol', 5) end)\n");
	ck_assert_int_eq(run("cb.lua", 1, NULL), RUN_ERROR);
	assert_err_at("cb.lua", "1: sim.param('tol'): parameters are read");
}
END_TEST

START_TEST(test_param_malformed)
{
	use_dir("lua_param_malformed");
	put("s.lua", "sim.log(sim.param('n', 1))\n");
	ck_assert_int_eq(run("s.lua", 1, "n", NULL), RUN_ERROR);
	ck_assert_str_eq(res.err, "synsim: -D n: expected name=value\n");
	ck_assert_int_eq(run("s.lua", 1, "=5", NULL), RUN_ERROR);
	ck_assert_str_eq(res.err, "synsim: -D =5: expected name=value\n");
	ck_assert_int_eq(run("s.lua", 1, "n=1", "n=2", NULL), RUN_ERROR);
	ck_assert_str_eq(res.err, "synsim: -D n given twice\n");
	/* An empty value is a value. */
	put("e.lua", "sim.log('[' .. sim.param('s', 'x') .. ']')\n");
	ck_assert_int_eq(run("e.lua", 1, "s=", NULL), RUN_OK);
	assert_log("0 []\n");
}
END_TEST

/* ---- time --------------------------------------------------------------- */

START_TEST(test_at_order_and_now)
{
	use_dir("lua_at_order");
	put("s.lua",
	    "local function say(what)\n"
	    "  return function() sim.log(what, sim.now()) end\n"
	    "end\n"
	    "sim.at('2s', say('two seconds'))\n"
	    "sim.at('1ms', say('first at 1ms'))\n"
	    "sim.at(500, say('500 ns given as a number'))\n"
	    "sim.at('1ms', say('second at 1ms'))\n"
	    "sim.at('1ms', function()\n"
	    "  sim.log('third at 1ms schedules', sim.now())\n"
	    "  sim.after(0, say('after 0: after all due at 1ms'))\n"
	    "  sim.after('1.5us', say('after 1.5us'))\n"
	    "end)\n"
	    "sim.at('1ms', say('fourth at 1ms'))\n"
	    "sim.log('setup at', sim.now())\n");
	ck_assert_int_eq(run("s.lua", 1, NULL), RUN_OK);
	assert_log("0 setup at 0\n"
	           "500 500 ns given as a number 500\n"
	           "1000000 first at 1ms 1000000\n"
	           "1000000 second at 1ms 1000000\n"
	           "1000000 third at 1ms schedules 1000000\n"
	           "1000000 fourth at 1ms 1000000\n"
	           "1000000 after 0: after all due at 1ms 1000000\n"
	           "1001500 after 1.5us 1001500\n"
	           "2000000000 two seconds 2000000000\n");
	ck_assert_int_eq(res.end, 2000000000);
}
END_TEST

START_TEST(test_at_in_the_past)
{
	use_dir("lua_at_past");
	put("s.lua", "sim.at('1s', function()\n"
	             "  sim.at('500ms', function() end)\n"
	             "end)\n"
	             "sim.at('2s', function() sim.log('not reached') end)\n");
	ck_assert_int_eq(run("s.lua", 1, NULL), RUN_ERROR);
	assert_err_at("s.lua", "2: cannot schedule at 500000000 ns: now is "
	              "1000000000 ns");
	assert_log("");
	ck_assert_int_eq(res.end, 1000000000);
}
END_TEST

static const struct {
	const char *code, *msg;
} bad_times[] = {
	{ "sim.at(-5, function() end)", "1: sim.at: time: negative value -5" },
	{ "sim.at(1.5, function() end)", "1: sim.at: time: 1.5 is not a whole "
	                                 "number; write it with a unit" },
	{ "sim.at('5parsecs', function() end)", "1: sim.at: time: duration "
	  "\"5parsecs\": unknown unit \"parsecs\" (use ns, us, ms, s, min, h)" },
	{ "sim.at('1s')", "1: bad argument #2 to 'sim.at' (function expected, "
	                  "got no value)" },
	{ "sim.after('-1s', function() end)", "1: sim.after: delay: duration "
	                                      "\"-1s\" is negative" },
	{ "sim.at({}, function() end)", "1: sim.at: time: expected a duration "
	                                "such as \"50ms\" (got table)" },
};

START_TEST(test_at_bad_time)
{
	use_dir("lua_at_bad");
	put("s.lua", bad_times[_i].code);
	ck_assert_int_eq(run("s.lua", 1, NULL), RUN_ERROR);
	assert_err_at("s.lua", bad_times[_i].msg);
}
END_TEST

START_TEST(test_run_until_then_continue)
{
	use_dir("lua_run_until");
	/* A later run with an earlier limit must not take time back, with
	 * events pending (3s) or without. */
	put("s.lua", "sim.at('3s', function() sim.log('at 3s') end)\n"
	             "sim.at('1s', function() sim.log('at 1s') end)\n"
	             "sim.run{ ['until'] = '2s' }\n"
	             "sim.log('paused at', sim.now())\n"
	             "sim.run{ until_ = '1s' }\n"
	             "sim.log('still at', sim.now())\n"
	             "sim.run()\n"
	             "sim.log('done at', sim.now())\n"
	             "sim.run{ ['until'] = '1s' }\n"
	             "sim.log('still at', sim.now())\n");
	ck_assert_int_eq(run("s.lua", 1, NULL), RUN_OK);
	assert_log("1000000000 at 1s\n"
	           "2000000000 paused at 2000000000\n"
	           "2000000000 still at 2000000000\n"
	           "3000000000 at 3s\n"
	           "3000000000 done at 3000000000\n"
	           "3000000000 still at 3000000000\n");
}
END_TEST

START_TEST(test_run_misuse)
{
	use_dir("lua_run_misuse");
	put("cb.lua", "sim.at('1s', function() sim.run() end)\n");
	ck_assert_int_eq(run("cb.lua", 1, NULL), RUN_ERROR);
	assert_err_at("cb.lua", "1: the simulation is already running "
	              "(run cannot be called from a callback)");
	put("key.lua", "sim.run{ untill = '1s' }\n");
	ck_assert_int_eq(run("key.lua", 1, NULL), RUN_ERROR);
	assert_err_at("key.lua", "1: sim.run: unknown key 'untill' "
	              "(known: until, until_)");
}
END_TEST

START_TEST(test_sorted)
{
	use_dir("lua_sorted");
	put("s.lua", "local t = { b = 1, a = 2, [3] = 'x', [1] = 'y', c = 3,"
	             " [-2] = 'z' }\n"
	             "local keys = {}\n"
	             "for k, v in sim.sorted(t) do keys[#keys + 1] = tostring(k) end\n"
	             "sim.log(table.concat(keys, ' '))\n");
	ck_assert_int_eq(run("s.lua", 1, NULL), RUN_OK);
	assert_log("0 -2 1 3 a b c\n");
}
END_TEST

START_TEST(test_metric)
{
	use_dir("lua_metric");
	put("s.lua", "sim.metric('handshake_ms', 150)\n"
	             "sim.at('1s', function() sim.metric('loss.rate-1', 0.25) end)\n");
	ck_assert_int_eq(run("s.lua", 1, NULL), RUN_OK);
	assert_log("0 metric handshake_ms=150\n"
	           "1000000000 metric loss.rate-1=0.25\n");
	put("bad.lua", "sim.metric('has space', 1)\n");
	ck_assert_int_eq(run("bad.lua", 1, NULL), RUN_ERROR);
	assert_err_at("bad.lua", "1: sim.metric: name 'has space' may use only "
	              "letters, digits, '_', '.', '-'");
}
END_TEST

/* ---- expectations and errors -------------------------------------------- */

START_TEST(test_expect)
{
	use_dir("lua_expect");
	put("s.lua", "sim.expect(true, 'fine')\n"
	             "sim.expect(1 + 1 == 3, 'arithmetic', 'is', 2)\n"
	             "sim.at('1s', function()\n"
	             "  sim.expect(false)\n"
	             "  sim.log('the run goes on')\n"
	             "end)\n");
	ck_assert_int_eq(run("s.lua", 1, NULL), RUN_EXPECT_FAILED);
	ck_assert_int_eq(res.expect_failed, 2);
	char want[2600];
	snprintf(want, sizeof want,
	         "%s/s.lua:2: expectation failed: arithmetic is 2\n"
	         "%s/s.lua:4: expectation failed: (no message)\n", syn_dir, syn_dir);
	ck_assert_str_eq(res.err, want);
	/* Failures are part of the trace too. */
	snprintf(want, sizeof want,
	         "0 %s/s.lua:2: expectation failed: arithmetic is 2\n"
	         "1000000000 %s/s.lua:4: expectation failed: (no message)\n"
	         "1000000000 the run goes on\n", syn_dir, syn_dir);
	assert_log(want);

	put("ok.lua", "sim.expect(true)\nsim.expect(0, 'zero is true in Lua')\n");
	ck_assert_int_eq(run("ok.lua", 1, NULL), RUN_OK);
	ck_assert_str_eq(res.err, "");

	/* An explicit nil message reads as no message. */
	put("nil.lua", "sim.expect(false, nil)\n");
	ck_assert_int_eq(run("nil.lua", 1, NULL), RUN_EXPECT_FAILED);
	snprintf(want, sizeof want, "%s/nil.lua:1: expectation failed: (no message)\n",
	         syn_dir);
	ck_assert_str_eq(res.err, want);
}
END_TEST

START_TEST(test_error_in_callback)
{
	use_dir("lua_error_cb");
	put("s.lua", "sim.expect(false, 'first')\n"
	             "sim.at('1s', function()\n"
	             "  error('boom')\n"
	             "end)\n"
	             "sim.at('2s', function() sim.log('not reached') end)\n");
	/* An error outranks the failed expectation. */
	ck_assert_int_eq(run("s.lua", 1, NULL), RUN_ERROR);
	assert_err_at("s.lua", "3: boom\nstack traceback:\n");
	/* The short traceback keeps the scenario's frames only. */
	ck_assert_ptr_null(strstr(res.err, "[C]"));
	ck_assert_ptr_null(strstr(res.log, "not reached"));
	ck_assert_int_eq(res.end, 1000000000);
}
END_TEST

START_TEST(test_error_object)
{
	use_dir("lua_error_obj");
	put("s.lua", "local x = 1\nerror({ code = 1 })\n");
	ck_assert_int_eq(run("s.lua", 1, NULL), RUN_ERROR);
	assert_err_at("s.lua", "2: (error object is a table value)");
	put("m.lua", "error(setmetatable({}, { __tostring = function()"
	             " return 'custom' end }))\n");
	ck_assert_int_eq(run("m.lua", 1, NULL), RUN_ERROR);
	ck_assert_str_eq(res.err, "custom\n");
}
END_TEST

START_TEST(test_syntax_error)
{
	use_dir("lua_syntax");
	put("s.lua", "sim.log('fine')\nlocal x = = 1\n");
	ck_assert_int_eq(run("s.lua", 1, NULL), RUN_ERROR);
	assert_err_at("s.lua", "2: unexpected symbol near '='");
	assert_log("");		/* nothing ran */
	/* In an included file, the included file's line. */
	put("inc.lua", "local x = \n");
	put("main.lua", "sim.log('x')\ndofile('inc.lua')\n");
	ck_assert_int_eq(run("main.lua", 1, NULL), RUN_ERROR);
	assert_err_at("main.lua", "2: dofile: ");
	assert_err_at("inc.lua", "2: unexpected symbol near <eof>");
}
END_TEST

START_TEST(test_missing_file)
{
	use_dir("lua_missing");
	ck_assert_int_eq(run("nope.lua", 1, NULL), RUN_ERROR);
	char want[1400];
	snprintf(want, sizeof want, "synsim: cannot open %s/nope.lua", syn_dir);
	assert_err_has(want);
	put("s.lua", "dofile('nope.lua')\n");
	ck_assert_int_eq(run("s.lua", 1, NULL), RUN_ERROR);
	assert_err_at("s.lua", "1: dofile: cannot open");
	put("r.lua", "require('nope')\n");
	ck_assert_int_eq(run("r.lua", 1, NULL), RUN_ERROR);
	assert_err_at("r.lua", "1: require: cannot open");
}
END_TEST

/* The default budget, 1.5e8 Lua instructions: about a second. */
START_TEST(test_endless_loop_stopped)
{
	use_dir("lua_endless");
	put("s.lua", "sim.log('start')\n"
	             "sim.at('1s', function()\n"
	             "  local n = 0\n"
	             "  while true do n = n + 1 end\n"
	             "end)\n"
	             "sim.at('2s', function() sim.log('not reached') end)\n");
	ck_assert_int_eq(run("s.lua", 1, NULL), RUN_ERROR);
	assert_err_at("s.lua", "4: instruction budget of 150000000 exceeded (an "
	              "endless loop?); raise it with --max-instructions");
	assert_log("0 start\n");
	ck_assert_int_eq(res.end, 1000000000);
}
END_TEST

/* Lua shortens a long file name to "..." and its tail; a scenario in a
 * deep folder is still named in full, in every kind of message. */
START_TEST(test_deep_folder_named_in_full)
{
	use_dir("lua_deep");
	static const char deep[] = "a-folder-name-long-enough-that-no-build-"
	                           "tree-keeps-the-path-under-sixty-characters";
	char sub[1400], full[8192], rel[200];
	snprintf(sub, sizeof sub, "%s/%s", syn_dir, deep);
	ck_assert_int_eq(outfile_mkdirs(sub), 0);
	char name[400];
#define IN_DEEP(file) (snprintf(name, sizeof name, "%s/%s", deep, file), name)

	put(IN_DEEP("rt.lua"), "local x\nreturn x.y\n");
	ck_assert_int_eq(run(name, 1, NULL), RUN_ERROR);
	snprintf(full, sizeof full, "%s:2: attempt to index a nil value "
	         "(local 'x')\nstack traceback:\n\t%s:2: in main chunk\n",
	         path_of(name), path_of(name));
	ck_assert_str_eq(res.err, full);

	put(IN_DEEP("syn.lua"), "local x = = 1\n");
	ck_assert_int_eq(run(name, 1, NULL), RUN_ERROR);
	snprintf(full, sizeof full, "%s:1: unexpected symbol near '='\n",
	         path_of(name));
	ck_assert_str_eq(res.err, full);

	put(IN_DEEP("ex.lua"), "sim.at('1s', function()\n"
	                       "  sim.expect(false, 'late')\nend)\n");
	ck_assert_int_eq(run(name, 1, NULL), RUN_EXPECT_FAILED);
	snprintf(full, sizeof full, "%s:2: expectation failed: late\n",
	         path_of(name));
	ck_assert_str_eq(res.err, full);

	/* An included file's frame is kept after the C frame of dofile. */
	put(IN_DEEP("lib.lua"), "\nerror('in lib')\n");
	put(IN_DEEP("main.lua"), "dofile('lib.lua')\n");
	ck_assert_int_eq(run(name, 1, NULL), RUN_ERROR);
	char lib[1200];
	memcpy(lib, path_of(IN_DEEP("lib.lua")), sizeof lib);
	snprintf(full, sizeof full, "%s:2: in lib\nstack traceback:\n"
	         "\t%s:2: in main chunk\n\t%s:1: in main chunk\n",
	         lib, lib, path_of(IN_DEEP("main.lua")));
	ck_assert_str_eq(res.err, full);
	ck_assert_ptr_null(strstr(res.err, "..."));

	/* Two files Lua would shorten alike stay short rather than have one
	 * named for the other. */
	static const char twin[] = "a-file-name-longer-than-the-tail-lua-"
	                           "keeps-of-a-long-path.lua";
	snprintf(sub, sizeof sub, "%s/%s/x", syn_dir, deep);
	ck_assert_int_eq(outfile_mkdirs(sub), 0);
	snprintf(sub, sizeof sub, "%s/%s/y", syn_dir, deep);
	ck_assert_int_eq(outfile_mkdirs(sub), 0);
	snprintf(rel, sizeof rel, "x/%s", twin);
	put(IN_DEEP(rel), "return 1\n");
	snprintf(rel, sizeof rel, "y/%s", twin);
	put(IN_DEEP(rel), "error('which one?')\n");
	snprintf(full, sizeof full, "dofile('x/%s')\ndofile('y/%s')\n", twin,
	         twin);
	put(IN_DEEP("twins.lua"), full);
	ck_assert_int_eq(run(name, 1, NULL), RUN_ERROR);
	snprintf(full, sizeof full, "/x/%s", twin);
	ck_assert_ptr_null(strstr(res.err, full));
	assert_err_has("-keeps-of-a-long-path.lua:1: which one?\n");
	ck_assert_ptr_eq(strstr(res.err, "..."), res.err);
#undef IN_DEEP
}
END_TEST

static Suite *
lua_suite(void)
{
	Suite *s = suite_create("lua");
	TCase *tc;

	tc = tcase_create("sandbox");
	tcase_add_test(tc, test_os_execute_refused);
	tcase_add_loop_test(tc, test_refused, 0,
	                    (int)(sizeof refused / sizeof refused[0]));
	tcase_add_test(tc, test_symlink_out_refused);
	tcase_add_test(tc, test_dofile_and_require_inside);
	tcase_add_test(tc, test_bytecode_refused);
	tcase_add_test(tc, test_print_goes_to_trace);
	suite_add_tcase(s, tc);

	tc = tcase_create("random");
	tcase_add_test(tc, test_math_random_follows_seed);
	tcase_add_test(tc, test_randomseed);
	suite_add_tcase(s, tc);

	tc = tcase_create("param");
	tcase_add_test(tc, test_param_defaults);
	tcase_add_test(tc, test_param_typed);
	tcase_add_test(tc, test_param_bool_spellings);
	tcase_add_loop_test(tc, test_param_bad_value, 0,
	                    (int)(sizeof bad_params / sizeof bad_params[0]));
	tcase_add_test(tc, test_param_unknown_name);
	tcase_add_test(tc, test_param_malformed);
	suite_add_tcase(s, tc);

	tc = tcase_create("time");
	tcase_add_test(tc, test_at_order_and_now);
	tcase_add_test(tc, test_at_in_the_past);
	tcase_add_loop_test(tc, test_at_bad_time, 0,
	                    (int)(sizeof bad_times / sizeof bad_times[0]));
	tcase_add_test(tc, test_run_until_then_continue);
	tcase_add_test(tc, test_run_misuse);
	tcase_add_test(tc, test_sorted);
	tcase_add_test(tc, test_metric);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_test(tc, test_expect);
	tcase_add_test(tc, test_error_in_callback);
	tcase_add_test(tc, test_error_object);
	tcase_add_test(tc, test_syntax_error);
	tcase_add_test(tc, test_missing_file);
	tcase_add_test(tc, test_deep_folder_named_in_full);
	suite_add_tcase(s, tc);

	tc = tcase_create("budget");
	tcase_set_timeout(tc, 120);	/* a hang guard, not a threshold */
	tcase_add_test(tc, test_endless_loop_stopped);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(lua_suite());
}
