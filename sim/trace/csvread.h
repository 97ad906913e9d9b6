/*
 * csvread.h - reading the CSV files synsim writes (RFC 4180 quoting), for
 * the commands that work on a finished run: plot, diff, ladder.
 */
#ifndef SYNSIM_CSVREAD_H
#define SYNSIM_CSVREAD_H

#include <stddef.h>

struct csvtab {
	char *text;		/* the file, fields cut in place */
	char ***rows;		/* rows[r][c]; row 0 is the header */
	int nrows, ncols;
	/* After a failed read with errno EINVAL: the row (0: the header)
	 * and what is wrong with it. */
	int bad_row;
	const char *bad;
};

/* Read path; 0, or -1 with errno set (EINVAL: the file is no CSV of
 * this shape, and bad_row and bad say where and why). */
int csv_read(const char *path, struct csvtab *t);
/* "cannot read PATH: why" or "PATH row N: what is wrong", for the
 * failure of csv_read(path, t) just now. */
const char *csv_error(const char *path, const struct csvtab *t, char *buf,
                      size_t len);
/* The whole file at path, NUL-terminated (*len bytes before the NUL;
 * it may hold NULs of its own), malloc'd; NULL with errno set. */
char *csv_slurp(const char *path, size_t *len);
/* Column index of name in the header, or -1. */
int csv_col(const struct csvtab *t, const char *name);
void csv_tab_free(struct csvtab *t);

#endif
