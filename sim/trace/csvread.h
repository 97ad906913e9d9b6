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
};

/* Read path; 0, or -1 with errno set (or EINVAL for a ragged file). */
int csv_read(const char *path, struct csvtab *t);
/* Column index of name in the header, or -1. */
int csv_col(const struct csvtab *t, const char *name);
void csv_tab_free(struct csvtab *t);

#endif
