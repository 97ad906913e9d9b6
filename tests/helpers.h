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

/* The whole file as a malloc'd string (NUL-terminated); *len if wanted. */
char *read_file(const char *path, size_t *len);
/* Write text to path (fails the test on error). */
void write_file(const char *path, const char *text);

#endif
