/*
 * library.c - the scenario library on disk.  Each scenario's first line
 * is "-- NAME.lua: what it shows" (scenarios/LESSONS.md); `synsim list`
 * prints that, and `synsim run NAME` finds the file by its name.  Names
 * are listed sorted, so the listing does not depend on the directory's
 * order.
 */
#define _POSIX_C_SOURCE 200809L
#include "library.h"

#include "core/outfile.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef SYNSIM_SCENARIOS_DIR
#define SYNSIM_SCENARIOS_DIR "scenarios"
#endif

const char *
library_dir(void)
{
	const char *env = getenv("SYNSIM_SCENARIOS");
	return env && *env ? env : SYNSIM_SCENARIOS_DIR;
}

static int
is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int
library_find(const char *name, char *buf, size_t len)
{
	size_t n = strlen(name);
	const char *ext = n > 4 && strcmp(name + n - 4, ".lua") == 0 ? "" : ".lua";
	/* Library names only: no way out of the folder. */
	if (n == 0 || name[0] == '/' || strstr(name, ".."))
		return -1;
	if ((size_t)snprintf(buf, len, "%s/%s%s", library_dir(), name, ext) >= len)
		return -1;
	return is_file(buf) ? 0 : -1;
}

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The ".lua" names in dir, without the suffix, sorted; NULL-terminated,
 * or NULL. */
static char **
lua_names(const char *dir, int *count)
{
	char **v = outfile_list_dir(dir);
	int n = 0;
	for (char **p = v; p && *p; p++) {
		size_t l = strlen(*p);
		if (l > 4 && strcmp(*p + l - 4, ".lua") == 0) {
			(*p)[l - 4] = '\0';
			v[n++] = *p;
		} else {
			free(*p);
		}
	}
	if (v) {
		v[n] = NULL;
		/* "a" and "a-b" sort otherwise than "a.lua" and "a-b.lua" */
		qsort(v, (size_t)n, sizeof *v, cmp_name);
	}
	*count = n;
	return v;
}

/* What the scenario shows: its first line after "-- NAME.lua: ". */
static void
print_entry(FILE *out, const char *dir, const char *prefix, const char *name)
{
	char path[4096], line[512] = "";
	snprintf(path, sizeof path, "%s/%s.lua", dir, name);
	FILE *f = fopen(path, "r");
	if (f) {
		if (fgets(line, sizeof line, f) == NULL)
			line[0] = '\0';
		fclose(f);
	}
	line[strcspn(line, "\n")] = '\0';
	const char *what = strstr(line, ".lua: ");
	what = what ? what + 6 : "";
	char full[300];
	snprintf(full, sizeof full, "%s%s", prefix, name);
	fprintf(out, "%-30s %s\n", full, what);
}

int
library_list(FILE *out)
{
	const char *dir = library_dir();
	int n;
	char **names = lua_names(dir, &n);
	if (names == NULL) {
		fprintf(stderr, "synsim: cannot read the scenario library %s "
		        "(set SYNSIM_SCENARIOS)\n", dir);
		return 2;
	}
	for (int i = 0; i < n; i++)
		print_entry(out, dir, "", names[i]);
	char sub[4096];
	snprintf(sub, sizeof sub, "%s/exercises", dir);
	int m;
	char **ex = lua_names(sub, &m);
	for (int i = 0; ex && i < m; i++)
		print_entry(out, sub, "exercises/", ex[i]);
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
	for (int i = 0; ex && i < m; i++)
		free(ex[i]);
	free(ex);
	return 0;
}
