/*
 * stage.c - the staging folder of a run's outputs (see stage.h).
 *
 * The alternative, committing each file as it is finished, lets a run
 * that fails half-way (a full disk at the fourth file) leave three new
 * files beside the earlier run's others: outputs of two runs that plot
 * and diff would read as one.
 */
#define _POSIX_C_SOURCE 200809L
#include "stage.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outfile.h"

/* Remove folder path and the files in it (it holds no folders). */
static void
remove_tree(const char *path)
{
	char **names = outfile_list_dir(path);
	for (char **p = names; p && *p; p++) {
		size_t n = strlen(path) + strlen(*p) + 2;
		char *f = malloc(n);
		if (f) {
			snprintf(f, n, "%s/%s", path, *p);
			unlink(f);
			free(f);
		}
	}
	outfile_free_names(names);
	rmdir(path);
}

int
stage_open(struct stage *s, const char *dir)
{
	*s = (struct stage){ 0 };
	size_t len = strlen(dir);
	if (len == 0) {
		errno = EINVAL;
		return -1;
	}
	while (len > 1 && dir[len - 1] == '/')
		len--;
	if ((s->dir = strndup(dir, len)) == NULL)
		return -1;
	const char *slash = strrchr(s->dir, '/');
	const char *base = slash ? slash + 1 : s->dir;
	size_t plen = slash ? (size_t)(slash - s->dir) : 0;
	struct stat st, pst;
	s->existed = stat(s->dir, &st) == 0;
	if (s->existed && !S_ISDIR(st.st_mode)) {
		stage_free(s);
		errno = ENOTDIR;
		return -1;
	}
	char parent[4096];
	snprintf(parent, sizeof parent, "%.*s", slash ? (int)(plen ? plen : 1) :
	         1, slash ? s->dir : ".");
	/* Beside dir, unless dir is a mount point or has no name of its
	 * own ("/", "."): then inside it, the one place on its file system. */
	bool inside = strcmp(base, ".") == 0 || strcmp(base, "..") == 0 ||
	              *base == '\0' || (s->existed &&
	              (stat(parent, &pst) != 0 || pst.st_dev != st.st_dev));
	size_t n = len + 64;
	if ((s->tmp = malloc(n)) == NULL) {
		stage_free(s);
		return -1;
	}
	if (inside)
		snprintf(s->tmp, n, "%s/.synsim-stage-%ld", s->dir, (long)getpid());
	else
		snprintf(s->tmp, n, "%.*s%s.%s.synsim-%ld", (int)plen, s->dir,
		         slash ? "/" : "", base, (long)getpid());
	if ((inside ? outfile_mkdirs(s->dir) : (plen ? outfile_mkdirs(parent) :
	     0)) < 0) {
		int e = errno;
		stage_free(s);
		errno = e;
		return -1;
	}
	/* One left by a run of the same process id that was killed. */
	remove_tree(s->tmp);
	if (mkdir(s->tmp, 0777) < 0) {
		int e = errno;
		stage_free(s);
		errno = e;
		return -1;
	}
	outfile_track_dir(s->tmp);
	return 0;
}

int
stage_commit(struct stage *s)
{
	if (s->tmp == NULL)
		return -1;
	/* A new folder is the staging folder renamed: one step. */
	if (stat(s->dir, &(struct stat){ 0 }) != 0 && errno == ENOENT &&
	    rename(s->tmp, s->dir) == 0) {
		outfile_untrack_dir(s->tmp);
		free(s->tmp);
		s->tmp = NULL;
		return 0;
	}
	if (outfile_mkdirs(s->dir) < 0) {
		fprintf(stderr, "synsim: cannot create %s: %s\n", s->dir,
		        strerror(errno));
		return -1;
	}
	char **names = outfile_list_dir(s->tmp);
	if (names == NULL) {
		fprintf(stderr, "synsim: cannot read %s: %s\n", s->tmp,
		        strerror(errno));
		return -1;
	}
	int rc = 0;
	for (char **p = names; *p && rc == 0; p++) {
		size_t n = strlen(s->dir) + strlen(s->tmp) + strlen(*p) + 2;
		char *from = malloc(n), *to = malloc(n);
		if (from && to) {
			snprintf(from, n, "%s/%s", s->tmp, *p);
			snprintf(to, n, "%s/%s", s->dir, *p);
			if (rename(from, to) < 0) {
				fprintf(stderr, "synsim: cannot move %s into %s: %s\n",
				        from, s->dir, strerror(errno));
				rc = -1;
			} else {
				s->moved_some = true;
			}
		} else {
			fputs("synsim: out of memory\n", stderr);
			rc = -1;
		}
		free(from);
		free(to);
	}
	outfile_free_names(names);
	if (rc < 0) {
		/* Renames within one file system fail only in odd cases
		 * (a folder that cannot grow); say what is left. */
		if (s->moved_some)
			fprintf(stderr, "synsim: %s now holds some files of this "
			        "run beside the earlier run's: run again\n",
			        s->dir);
		return rc;
	}
	rmdir(s->tmp);
	outfile_untrack_dir(s->tmp);
	free(s->tmp);
	s->tmp = NULL;
	return 0;
}

void
stage_abort(struct stage *s)
{
	if (s->tmp == NULL)
		return;
	remove_tree(s->tmp);
	outfile_untrack_dir(s->tmp);
	free(s->tmp);
	s->tmp = NULL;
}

void
stage_free(struct stage *s)
{
	stage_abort(s);
	free(s->dir);
	*s = (struct stage){ 0 };
}

bool
stage_dir_has(const char *dir, const char *const *names)
{
	char **v = outfile_list_dir(dir);
	bool has = false;
	for (char **p = v; p && *p && !has; p++)
		for (int i = 0; names[i] && !has; i++)
			has = strcmp(*p, names[i]) == 0;
	outfile_free_names(v);
	return has;
}
