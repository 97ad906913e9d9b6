/*
 * outfile.c - write-to-temporary-then-rename output files.
 */
#define _POSIX_C_SOURCE 200809L
#include "outfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int
outfile_mkdirs(const char *dir)
{
	char *p = strdup(dir);
	if (p == NULL)
		return -1;
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0777) < 0 && errno != EEXIST) {
			free(p);
			return -1;
		}
		*s = '/';
	}
	int rc = mkdir(p, 0777);
	free(p);
	return rc < 0 && errno != EEXIST ? -1 : 0;
}

static char *
join(const char *dir, const char *prefix, const char *name, const char *suffix)
{
	size_t n = strlen(dir) + strlen(prefix) + strlen(name) + strlen(suffix) + 2;
	char *s = malloc(n);
	if (s)
		snprintf(s, n, "%s/%s%s%s", dir, prefix, name, suffix);
	return s;
}

FILE *
outfile_open(struct outfile *o, const char *dir, const char *name)
{
	*o = (struct outfile){ 0 };
	o->path = join(dir, "", name, "");
	o->tmp = join(dir, ".", name, ".tmp");
	if (o->path && o->tmp)
		o->f = fopen(o->tmp, "wb");
	if (o->f == NULL) {
		int e = errno;
		free(o->path);
		free(o->tmp);
		*o = (struct outfile){ 0 };
		errno = e ? e : ENOMEM;
	}
	return o->f;
}

static void
release(struct outfile *o)
{
	free(o->path);
	free(o->tmp);
	*o = (struct outfile){ 0 };
}

int
outfile_commit(struct outfile *o)
{
	if (o->f == NULL)
		return -1;
	int bad = ferror(o->f);
	bad |= fclose(o->f) != 0;
	if (!bad && rename(o->tmp, o->path) == 0) {
		release(o);
		return 0;
	}
	unlink(o->tmp);
	release(o);
	return -1;
}

void
outfile_discard(struct outfile *o)
{
	if (o->f == NULL)
		return;
	fclose(o->f);
	unlink(o->tmp);
	release(o);
}
