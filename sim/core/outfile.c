/*
 * outfile.c - write-to-temporary-then-rename output files.
 */
#define _POSIX_C_SOURCE 200809L
#include "outfile.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
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

/*
 * The temporaries now open, so that a run stopped by a signal can remove
 * them (outfile_catch_signals).  Signals are blocked while the list
 * changes; the handler itself only calls unlink(), which is
 * async-signal-safe.
 */
static char **open_tmps;
static size_t nopen, capopen;

static void
block(sigset_t *old)
{
	sigset_t all;
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, old);
}

static void
track(const char *tmp)
{
	sigset_t old;
	block(&old);
	if (nopen == capopen) {
		size_t cap = capopen ? 2 * capopen : 16;
		char **v = realloc(open_tmps, cap * sizeof *v);
		if (v) {
			open_tmps = v;
			capopen = cap;
		}
	}
	if (nopen < capopen)
		open_tmps[nopen++] = (char *)tmp;
	sigprocmask(SIG_SETMASK, &old, NULL);
}

static void
untrack(const char *tmp)
{
	sigset_t old;
	block(&old);
	for (size_t i = 0; i < nopen; i++)
		if (open_tmps[i] == tmp) {
			open_tmps[i] = open_tmps[--nopen];
			break;
		}
	if (nopen == 0) {
		free(open_tmps);
		open_tmps = NULL;
		capopen = 0;
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
}

/* Staging folders (stage.c), removed on a signal once emptied of their
 * temporaries; a run has one, the sweep runner may have a few. */
#define MAX_DIRS 8
static const char *volatile stage_dirs[MAX_DIRS];

void
outfile_track_dir(const char *dir)
{
	for (int i = 0; i < MAX_DIRS; i++)
		if (stage_dirs[i] == NULL) {
			stage_dirs[i] = dir;
			return;
		}
}

void
outfile_untrack_dir(const char *dir)
{
	for (int i = 0; i < MAX_DIRS; i++)
		if (stage_dirs[i] == dir)
			stage_dirs[i] = NULL;
}

void
outfile_cleanup(void)
{
	for (size_t i = 0; i < nopen; i++)
		unlink(open_tmps[i]);
	for (int i = 0; i < MAX_DIRS; i++)
		if (stage_dirs[i])
			rmdir(stage_dirs[i]);
}

static void
on_signal(int sig)
{
	outfile_cleanup();
	signal(sig, SIG_DFL);
	raise(sig);
}

void
outfile_catch_signals(void)
{
	/* SIGPIPE too: `synsim run x.lua | head` ends the run that way. */
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE };
	struct sigaction sa = { 0 };
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaction(sigs[i], &sa, NULL);
	/* Past a file size limit a write fails with EFBIG, which a run
	 * reports like a full disk, instead of killing it half-way. */
	signal(SIGXFSZ, SIG_IGN);
}

/* Name the temporary and the final file; 0, or -1 with errno set. */
static int
name(struct outfile *o, const char *dir, const char *file)
{
	*o = (struct outfile){ 0 };
	o->path = join(dir, "", file, "");
	o->tmp = join(dir, ".", file, ".tmp");
	if (o->path && o->tmp) {
		track(o->tmp);
		return 0;
	}
	free(o->path);
	free(o->tmp);
	*o = (struct outfile){ 0 };
	errno = ENOMEM;
	return -1;
}

static void
release(struct outfile *o)
{
	untrack(o->tmp);
	free(o->path);
	free(o->tmp);
	*o = (struct outfile){ 0 };
}

FILE *
outfile_open(struct outfile *o, const char *dir, const char *file)
{
	if (name(o, dir, file) < 0)
		return NULL;
	o->f = fopen(o->tmp, "wb");
	if (o->f == NULL) {
		int e = errno;
		release(o);
		errno = e;
	}
	return o->f;
}

int
outfile_reserve(struct outfile *o, const char *dir, const char *file)
{
	return name(o, dir, file);
}

int
outfile_close(struct outfile *o)
{
	if (o->f == NULL)
		return o->tmp ? 0 : -1;
	int bad = fflush(o->f) != 0 || ferror(o->f);
	bad |= fclose(o->f) != 0;
	o->f = NULL;
	if (bad) {
		int e = errno;
		unlink(o->tmp);
		release(o);
		errno = e;
		return -1;
	}
	return 0;
}

int
outfile_commit(struct outfile *o)
{
	if (outfile_close(o) < 0)
		return -1;
	if (rename(o->tmp, o->path) == 0) {
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
	if (o->tmp == NULL)
		return;
	if (o->f)
		fclose(o->f);
	unlink(o->tmp);
	release(o);
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **
outfile_list_dir(const char *path)
{
	DIR *d = opendir(path);
	if (d == NULL)
		return NULL;
	char **v = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (n + 1 >= cap) {
			cap = cap ? 2 * cap : 16;
			char **w = realloc(v, cap * sizeof *w);
			if (w == NULL)
				goto oom;
			v = w;
		}
		if ((v[n] = strdup(e->d_name)) == NULL)
			goto oom;
		v[++n] = NULL;
	}
	closedir(d);
	if (v == NULL)
		v = calloc(1, sizeof *v);
	else
		qsort(v, n, sizeof *v, cmp_names);
	return v;
oom:
	closedir(d);
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
	errno = ENOMEM;
	return NULL;
}

void
outfile_free_names(char **v)
{
	for (char **p = v; p && *p; p++)
		free(*p);
	free(v);
}
