/*
 * helpers.c - test utilities shared by the suites.
 */
#define _POSIX_C_SOURCE 200809L
#include "helpers.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/outfile.h"

int
run_suite(Suite *s)
{
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

const char *
test_dir(const char *name)
{
	static char path[1024];
	char cmd[1100];
	snprintf(path, sizeof path, "%s/%s", TEST_TMP, name);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
	ck_assert_int_eq(system(cmd), 0);
	ck_assert_int_eq(outfile_mkdirs(path), 0);
	return path;
}

char *syn_out, *syn_err;
char syn_dir[1024];

void
synsim_reset(void)
{
	free(syn_out);
	free(syn_err);
	syn_out = syn_err = NULL;
}

void
use_dir(const char *name)
{
	snprintf(syn_dir, sizeof syn_dir, "%s", test_dir(name));
}

const char *
in_dir(const char *name)
{
	static char paths[8][1200];
	static int next;
	char *p = paths[next++ % 8];
	snprintf(p, sizeof paths[0], "%s/%s", syn_dir, name);
	return p;
}

char *
read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	for (;;) {
		n += fread(buf + n, 1, cap - n - 1, f);
		if (n < cap - 1)
			break;
		cap *= 2;
		buf = realloc(buf, cap);
	}
	fclose(f);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	ck_assert_msg(f != NULL, "cannot write %s", path);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

int
run_synsim(char **out, char **err, const char *arg, ...)
{
	char *argv[64];
	int argc = 0;
	argv[argc++] = (char *)SYNSIM_BIN;
	va_list ap;
	va_start(ap, arg);
	for (const char *a = arg; a && argc < 63; a = va_arg(ap, const char *))
		argv[argc++] = (char *)a;
	va_end(ap);
	argv[argc] = NULL;

	char outp[] = "/tmp/synsim-out-XXXXXX", errp[] = "/tmp/synsim-err-XXXXXX";
	int fo = mkstemp(outp), fe = mkstemp(errp);
	ck_assert(fo >= 0 && fe >= 0);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(fo, 1);
		dup2(fe, 2);
		execv(argv[0], argv);
		_exit(127);
	}
	int st;
	waitpid(pid, &st, 0);
	close(fo);
	close(fe);
	if (out)
		*out = read_file(outp, NULL);
	if (err)
		*err = read_file(errp, NULL);
	unlink(outp);
	unlink(errp);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int
lua_run(const char *name, const char *prelude, const char *body,
        const char *param, char **out, char **err)
{
	char path[1100], outdir[1100];
	const char *dir = test_dir(name);
	snprintf(path, sizeof path, "%s/s.lua", dir);
	snprintf(outdir, sizeof outdir, "%s/out", dir);
	size_t n = strlen(prelude) + strlen(body) + 1;
	char *text = malloc(n);
	ck_assert_ptr_nonnull(text);
	snprintf(text, n, "%s%s", prelude, body);
	write_file(path, text);
	free(text);
	if (param)
		return run_synsim(out, err, "run", path, "--quiet", "--out", outdir,
		                  "-D", param, NULL);
	return run_synsim(out, err, "run", path, "--quiet", "--out", outdir, NULL);
}

void
lua_expect_ok(const char *name, const char *prelude, const char *body,
              const char *param)
{
	char *err = NULL;
	int rc = lua_run(name, prelude, body, param, NULL, &err);
	ck_assert_msg(rc == 0, "%s: exit %d: %s", name, rc, err);
	ck_assert_str_eq(err, "");
	free(err);
}

void
lua_expect_error(const char *name, const char *prelude, const char *body,
                 const char *line, const char *msg)
{
	char *err = NULL;
	int rc = lua_run(name, prelude, body, NULL, NULL, &err);
	ck_assert_msg(rc == 2, "%s: exit %d, wanted 2: %s", name, rc, err);
	ck_assert_msg(strstr(err, line) != NULL, "%s: no '%s' in: %s", name,
	              line, err);
	ck_assert_msg(strstr(err, msg) != NULL, "%s: no '%s' in: %s", name, msg,
	              err);
	free(err);
}

char *
dir_listing(const char *path, const char *suffix)
{
	struct dirent **names;
	int n = scandir(path, &names, NULL, alphasort);
	ck_assert_msg(n >= 0, "cannot list %s", path);
	size_t len = 1, slen = strlen(suffix);
	for (int i = 0; i < n; i++)
		len += strlen(names[i]->d_name) + 1;
	char *buf = malloc(len);
	ck_assert_ptr_nonnull(buf);
	buf[0] = '\0';
	for (int i = 0; i < n; i++) {
		const char *d = names[i]->d_name;
		size_t dl = strlen(d);
		if (strcmp(d, ".") && strcmp(d, "..") && dl >= slen &&
		    strcmp(d + dl - slen, suffix) == 0) {
			strcat(buf, d);
			strcat(buf, "\n");
		}
		free(names[i]);
	}
	free(names);
	return buf;
}

void
assert_has(const char *text, const char *want)
{
	ck_assert_msg(text && strstr(text, want), "expected \"%s\" in:\n%s", want,
	              text ? text : "(null)");
}

char *
read_golden(const char *name)
{
	char path[1200];
	snprintf(path, sizeof path, "%s/tests/golden/%s", SOURCE_DIR, name);
	char *text = read_file(path, NULL);
	ck_assert_msg(text != NULL, "cannot read %s", path);
	return text;
}

const char *
run_scenario_into(const char *name, const char *scenario)
{
	static char run[1200];	/* in_dir's buffers rotate */
	snprintf(syn_dir, sizeof syn_dir, "%s", test_dir(name));
	snprintf(run, sizeof run, "%s", in_dir("run"));
	char path[1200];
	snprintf(path, sizeof path, "%s/scenarios/%s", SOURCE_DIR, scenario);
	ck_assert_int_eq(SYNSIM("run", path, "--out", run, "-q"), 0);
	return run;
}

/* The rows of a plot's .dat file whose first field is kind, reduced to
 * the named fields (1-based, tab-joined), one per line. */
char *
dat_rows(const char *path, const char *kind, const int *fields, int nf)
{
	char *text = read_file(path, NULL);
	ck_assert_msg(text != NULL, "no %s", path);
	size_t cap = strlen(text) + 1;
	char *res = calloc(1, cap);
	size_t klen = strlen(kind);
	char *save = NULL;
	for (char *line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, kind, klen) != 0 || line[klen] != '\t')
			continue;
		char *f[16];
		int n = 0;
		for (char *s = line; n < 16;) {
			f[n++] = s;
			char *tab = strchr(s, '\t');
			if (tab == NULL)
				break;
			*tab = '\0';
			s = tab + 1;
		}
		for (int i = 0; i < nf; i++) {
			ck_assert_int_le(fields[i], n);
			strcat(res, f[fields[i] - 1]);
			strcat(res, i + 1 < nf ? "\t" : "\n");
		}
	}
	free(text);
	return res;
}
