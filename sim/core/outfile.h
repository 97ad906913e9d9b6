/*
 * outfile.h - output files that appear whole or not at all.
 *
 * A file is written under a hidden temporary name in its directory and
 * renamed into place by outfile_commit(), so a run that fails half-way
 * never leaves a half-written file that looks complete.
 */
#ifndef SYNSIM_OUTFILE_H
#define SYNSIM_OUTFILE_H

#include <stdio.h>

struct outfile {
	FILE *f;
	char *path;		/* final name */
	char *tmp;		/* name while being written */
};

/* Create dir (and its parents) if needed; 0 or -1 with errno set. */
int outfile_mkdirs(const char *dir);
/* Open dir/name for writing; returns the stream or NULL (errno set). */
FILE *outfile_open(struct outfile *o, const char *dir, const char *name);
/* Name dir/name and its temporary without opening it, for a file another
 * program writes (the temporary's name is o->tmp); 0 or -1. */
int outfile_reserve(struct outfile *o, const char *dir, const char *name);
/* Flush and close now, to commit later; 0, or -1 (the temporary removed). */
int outfile_close(struct outfile *o);
/* Close if open and rename into place; 0, or -1 (the temporary removed). */
int outfile_commit(struct outfile *o);
/* Close and remove the temporary; a no-op on an outfile never opened. */
void outfile_discard(struct outfile *o);
/* On SIGINT, SIGTERM, SIGHUP or SIGPIPE remove every temporary still open, then
 * die of the signal as before: a stopped run leaves nothing behind. */
void outfile_catch_signals(void);
/* A folder to remove too on such a signal (once its temporaries are
 * gone), until untracked; dir must stay valid meanwhile. */
void outfile_track_dir(const char *dir);
/* What the signal handler does, for a process about to exit at once:
 * remove every temporary still open and every tracked folder. */
void outfile_cleanup(void);
void outfile_untrack_dir(const char *dir);

/* The names in folder path (without . and ..), sorted by strcmp,
 * malloc'd and NULL-terminated; NULL with errno set on failure.  Free
 * with outfile_free_names. */
char **outfile_list_dir(const char *path);
void outfile_free_names(char **names);

#endif
