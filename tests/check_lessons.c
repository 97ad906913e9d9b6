/*
 * check_lessons.c - every promise a lesson's header makes is kept.
 *
 * Each scenario in scenarios/ and scenarios/exercises/ opens with a
 * header (scenarios/LESSONS.md describes it): a first line "-- NAME.lua:
 * what it shows", a "Teaches:" and a "Look for:" paragraph, and "Try:"
 * lines, each followed by a "=>" line with the outcome it promises:
 *
 *   -- Try: -D drops=2
 *   --   => client_retransmits=2 handshake_ms=3100.096 says="ETIMEDOUT"
 *
 * Here every Try line runs (synsim run FILE ARGS) and its outcome is
 * checked: NAME=VALUE is the metric NAME in summary.json written exactly
 * as VALUE, exit=N the exit status (0 unless said), says="TEXT" a piece of
 * the narration (trace.txt), answers="TEXT" a piece of what synsim
 * printed (the grading of --answer).  The scenario's own sim.expect
 * checks run too, under the Try line's parameters.
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

#define MAX_FILES 128
static char *files[MAX_FILES];	/* paths relative to SOURCE_DIR */
static int nfiles;

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The .lua files of SOURCE_DIR/rel, sorted, added to files[]. */
static void
add_folder(const char *rel)
{
	char dir[1024];
	snprintf(dir, sizeof dir, "%s/%s", SOURCE_DIR, rel);
	DIR *d = opendir(dir);
	if (d == NULL)
		return;
	int first = nfiles;
	struct dirent *e;
	while ((e = readdir(d)) != NULL && nfiles < MAX_FILES) {
		size_t l = strlen(e->d_name);
		if (l <= 4 || strcmp(e->d_name + l - 4, ".lua") != 0)
			continue;
		char *p = malloc(strlen(rel) + l + 2);
		sprintf(p, "%s/%s", rel, e->d_name);
		files[nfiles++] = p;
	}
	closedir(d);
	qsort(files + first, (size_t)(nfiles - first), sizeof *files, cmp_str);
}

/* The header: the leading comment lines, "-- " taken off. */
static int
header_lines(const char *text, char lines[][512], int max)
{
	int n = 0;
	const char *p = text;
	while (*p && n < max && strncmp(p, "--", 2) == 0) {
		const char *end = strchr(p, '\n');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		const char *s = p + 2;
		if (*s == ' ')
			s++;
		size_t l = len - (size_t)(s - p);
		if (l >= 512)
			l = 511;
		memcpy(lines[n], s, l);
		lines[n][l] = '\0';
		n++;
		p = end ? end + 1 : p + len;
	}
	return n;
}

/* Split s on spaces into argv (in place); returns the count. */
static int
split_args(char *s, char **argv, int max)
{
	int n = 0;
	for (char *t = strtok(s, " "); t && n < max; t = strtok(NULL, " "))
		argv[n++] = t;
	return n;
}

/* The metric name's text in summary.json, into buf; false if absent. */
static bool
metric_text(const char *sum, const char *name, char *buf, size_t len)
{
	const char *m = strstr(sum, "\"metrics\": {");
	if (m == NULL)
		return false;
	char key[600];
	snprintf(key, sizeof key, "\"%s\": ", name);
	const char *k = strstr(m, key);
	const char *end = strchr(m, '}');
	if (k == NULL || (end && k > end))
		return false;
	k += strlen(key);
	size_t n = strcspn(k, ",}\n");
	if (n >= len)
		n = len - 1;
	memcpy(buf, k, n);
	buf[n] = '\0';
	return true;
}

static void
check_try(const char *file, int ntry, const char *args, const char *expect)
{
	char argbuf[512], expbuf[512];
	snprintf(argbuf, sizeof argbuf, "%s", args);
	snprintf(expbuf, sizeof expbuf, "%s", expect);
	char *argv[40];
	int argc = 0;
	char path[1024], out[1200];
	snprintf(path, sizeof path, "%s/%s", SOURCE_DIR, file);
	snprintf(out, sizeof out, "%s", test_dir("try"));
	argv[argc++] = "run";
	argv[argc++] = path;
	argc += split_args(argbuf, argv + argc, 30);
	argv[argc++] = "--quiet";
	argv[argc++] = "--out";
	argv[argc++] = out;
	argv[argc] = NULL;
	char *so = NULL, *se = NULL;
	int rc;
	/* run_synsim takes a NULL-ended list: pass the array's entries. */
#define A(i) (i < argc ? argv[i] : NULL)
	rc = run_synsim(&so, &se, A(0), A(1), A(2), A(3), A(4), A(5), A(6), A(7),
	                A(8), A(9), A(10), A(11), A(12), A(13), A(14), A(15),
	                A(16), A(17), A(18), A(19), A(20), NULL);
#undef A
	ck_assert_msg(argc <= 20, "%s: Try %d has too many arguments", file, ntry);

	int want_exit = 0;
	char *summary = NULL, *trace = NULL;
	char fpath[1300];
	snprintf(fpath, sizeof fpath, "%s/summary.json", out);
	/* Tokens: NAME=VALUE, or says="..." / answers="..." (quoted). */
	char *p = expbuf;
	bool any = false;
	while (*p) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		char *eq = strchr(p, '=');
		ck_assert_msg(eq != NULL, "%s: Try %d: bad outcome '%s'", file, ntry, p);
		*eq = '\0';
		char *name = p, *val = eq + 1, *next;
		if (*val == '"') {
			val++;
			char *q = strchr(val, '"');
			ck_assert_msg(q != NULL, "%s: Try %d: unclosed quote", file, ntry);
			*q = '\0';
			next = q + 1;
		} else {
			next = val + strcspn(val, " ");
			if (*next)
				*next++ = '\0';
		}
		any = true;
		if (strcmp(name, "exit") == 0) {
			want_exit = atoi(val);
		} else if (strcmp(name, "says") == 0) {
			if (trace == NULL) {
				snprintf(fpath, sizeof fpath, "%s/trace.txt", out);
				trace = read_file(fpath, NULL);
			}
			ck_assert_msg(trace && strstr(trace, val), "%s: Try '%s': the "
			              "narration does not say \"%s\"", file, args, val);
		} else if (strcmp(name, "answers") == 0) {
			ck_assert_msg(so && strstr(so, val), "%s: Try '%s': synsim did "
			              "not print \"%s\" (it printed: %s)", file, args,
			              val, so ? so : "");
		} else {
			if (summary == NULL) {
				snprintf(fpath, sizeof fpath, "%s/summary.json", out);
				summary = read_file(fpath, NULL);
			}
			char got[64];
			ck_assert_msg(summary && metric_text(summary, name, got,
			                                     sizeof got),
			              "%s: Try '%s': no metric %s (stderr: %s)", file,
			              args, name, se ? se : "");
			ck_assert_msg(strcmp(got, val) == 0, "%s: Try '%s': %s is %s, "
			              "the header says %s", file, args, name, got, val);
		}
		p = next;
	}
	ck_assert_msg(any, "%s: Try %d promises nothing", file, ntry);
	ck_assert_msg(rc == want_exit, "%s: Try '%s': exit %d, wanted %d:\n%s",
	              file, args, rc, want_exit, se ? se : "");
	free(summary);
	free(trace);
	free(so);
	free(se);
}

START_TEST(test_lesson_header_and_tries)
{
	const char *file = files[_i];
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", SOURCE_DIR, file);
	char *text = read_file(path, NULL);
	ck_assert_ptr_nonnull(text);
	static char lines[200][512];
	int n = header_lines(text, lines, 200);
	/* "-- name.lua: what it shows" */
	const char *base = strrchr(file, '/') + 1;
	ck_assert_msg(n > 0 && strncmp(lines[0], base, strlen(base)) == 0 &&
	              lines[0][strlen(base)] == ':',
	              "%s: the first line must be \"-- %s: what it shows\"",
	              file, base);
	bool teaches = false, look = false;
	int tries = 0;
	for (int i = 0; i < n; i++) {
		teaches |= strncmp(lines[i], "Teaches:", 8) == 0;
		look |= strncmp(lines[i], "Look for:", 9) == 0;
		if (strncmp(lines[i], "Try:", 4) != 0)
			continue;
		tries++;
		ck_assert_msg(i + 1 < n, "%s: a Try line without an outcome", file);
		const char *e = lines[i + 1];
		while (*e == ' ')
			e++;
		ck_assert_msg(strncmp(e, "=> ", 3) == 0, "%s: \"%s\" must be "
		              "followed by a line \"=> outcome\"", file, lines[i]);
		const char *args = lines[i] + 4;
		while (*args == ' ')
			args++;
		check_try(file, tries, args, e + 3);
	}
	ck_assert_msg(teaches, "%s: no Teaches: paragraph", file);
	ck_assert_msg(look, "%s: no Look for: paragraph", file);
	ck_assert_msg(tries > 0, "%s: no Try: line", file);
	free(text);
}
END_TEST

/* The Try lines of scenario name ("lost-syn", "exercises/x"), each
 * "\n"-ended, into buf. */
static void
try_lines(const char *name, char *buf, size_t len)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/scenarios/%s.lua", SOURCE_DIR, name);
	char *text = read_file(path, NULL);
	ck_assert_msg(text != NULL, "LESSONS.md names %s: no such scenario", name);
	static char lines[200][512];
	int n = header_lines(text, lines, 200);
	buf[0] = '\0';
	for (int i = 0; i < n; i++)
		if (strncmp(lines[i], "Try:", 4) == 0) {
			const char *a = lines[i] + 4;
			while (*a == ' ')
				a++;
			size_t k = strlen(buf);
			snprintf(buf + k, len - k, "%s\n", a);
		}
	free(text);
}

/* Every command in LESSONS.md, `synsim run NAME ARGS`, is one of NAME's
 * Try lines, so the test above runs it and checks what it shows; and
 * every scenario of the library but timers.lua has its place there. */
START_TEST(test_lessons_md_commands_are_tries)
{
	char *md = read_file(SOURCE_DIR "/scenarios/LESSONS.md", NULL);
	ck_assert_ptr_nonnull(md);
	int commands = 0;
	for (char *p = strstr(md, "`synsim run "); p; p = strstr(p + 1, "`synsim run ")) {
		char cmd[512];
		char *end = strchr(p + 1, '`');
		size_t n = (size_t)(end - p - 1);
		ck_assert(n < sizeof cmd);
		memcpy(cmd, p + 1, n);
		cmd[n] = '\0';
		char *name = cmd + strlen("synsim run ");
		char *args = strchr(name, ' ');
		if (args)
			*args++ = '\0';
		if (strcmp(name, "NAME") == 0)
			continue;	/* the form, not a command */
		char tries[8192], want[600];
		try_lines(name, tries, sizeof tries);
		snprintf(want, sizeof want, "%s\n", args ? args : "");
		bool found = strncmp(tries, want, strlen(want)) == 0;
		for (char *t = strchr(tries, '\n'); t && !found; t = strchr(t + 1, '\n'))
			found = strncmp(t + 1, want, strlen(want)) == 0;
		ck_assert_msg(found, "LESSONS.md: `synsim run %s %s` is not a Try "
		              "line of %s", name, args ? args : "", name);
		commands++;
	}
	ck_assert_int_gt(commands, 20);
	for (int i = 0; i < nfiles; i++) {
		const char *base = strstr(files[i], "scenarios/") + strlen("scenarios/");
		char key[300];
		snprintf(key, sizeof key, "synsim run %.*s", (int)(strlen(base) - 4),
		         base);
		if (strcmp(base, "timers.lua") == 0)
			continue;
		ck_assert_msg(strstr(md, key) != NULL, "LESSONS.md has no command "
		              "for %s", files[i]);
	}
	free(md);
}
END_TEST

static Suite *
lessons_suite(void)
{
	add_folder("scenarios");
	add_folder("scenarios/exercises");
	Suite *s = suite_create("lessons");
	TCase *tc = tcase_create("tries");
	tcase_set_timeout(tc, 600);
	tcase_add_loop_test(tc, test_lesson_header_and_tries, 0, nfiles);
	tcase_add_test(tc, test_lessons_md_commands_are_tries);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(lessons_suite());
}
