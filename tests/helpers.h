/*
 * helpers.h - shared by the test suites: a standard main, temporary
 * folders, running the synsim binary and reading files.
 */
#ifndef SYNSIM_TEST_HELPERS_H
#define SYNSIM_TEST_HELPERS_H

#include <check.h>
#include <stddef.h>

/* ck_assert with a message, minus its bookkeeping: check records every
 * passing ck_assert (a write to the parent per call), which dominates
 * loops of many thousand checks.  Use it there; ck_assert_* elsewhere. */
#define REQUIRE(cond, ...) \
	do { \
		if (!(cond)) \
			ck_abort_msg(__VA_ARGS__); \
	} while (0)

/* Run the suite and return the process exit status. */
int run_suite(Suite *s);

/* A fresh empty folder under the build tree, named after the test. */
const char *test_dir(const char *name);

/* Run synsim with the arguments (a NULL-terminated list), capturing
 * stdout and stderr into malloc'd strings (either may be NULL).  Returns
 * the exit status, or -1 if the program did not exit normally. */
int run_synsim(char **out, char **err, const char *arg, ...);

/* The output of the last SYNSIM() call of a test, freed by the next call
 * and by synsim_reset (the suites' teardown). */
extern char *syn_out, *syn_err;
void synsim_reset(void);
#define SYNSIM(...) \
	(synsim_reset(), run_synsim(&syn_out, &syn_err, __VA_ARGS__, NULL))

/* The current test's folder: use_dir makes a fresh one, in_dir names a
 * path in it (in one of eight rotating buffers: a call may need several). */
extern char syn_dir[1024];
void use_dir(const char *name);
const char *in_dir(const char *name);

/* Scenario text: prelude and body written to s.lua in a fresh folder
 * named name, run with --quiet --out <folder>/out and, unless NULL, -D
 * param.  Returns the exit status; stdout and stderr in *out and *err
 * when those are not NULL. */
int lua_run(const char *name, const char *prelude, const char *body,
            const char *param, char **out, char **err);
/* The same, which must exit 0 with nothing on stderr: every sim.expect
 * held. */
void lua_expect_ok(const char *name, const char *prelude, const char *body,
                   const char *param);
/* The same, which must exit 2 with line ("s.lua:7:") and msg on stderr. */
void lua_expect_error(const char *name, const char *prelude, const char *body,
                      const char *line, const char *msg);

/* The names in a folder ending in suffix (all names for ""), sorted, one
 * per line, without . and ..: a malloc'd string, "" for none. */
char *dir_listing(const char *path, const char *suffix);
/* The test folder `name` (as test_dir) with scenarios/SCENARIO run
 * quietly into its folder "run", asserted to succeed: that folder's
 * path, valid until the next call. */
const char *run_scenario_into(const char *name, const char *scenario);

/* tests/golden/NAME, which must exist, as a malloc'd string. */
char *read_golden(const char *name);

/* Fail unless text contains want. */
void assert_has(const char *text, const char *want);

/* The whole file as a malloc'd string (NUL-terminated); *len if wanted. */
char *read_file(const char *path, size_t *len);
/* Write text to path (fails the test on error). */
void write_file(const char *path, const char *text);

/* The rows of a plot's .dat file whose first field is kind, reduced to
 * the named fields (1-based, tab-joined), one per line; free it. */
char *dat_rows(const char *path, const char *kind, const int *fields, int nf);

#endif
