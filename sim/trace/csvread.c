/*
 * csvread.c - a whole-file CSV reader: the text is read once and fields
 * are cut out of it in place.
 */
#define _POSIX_C_SOURCE 200809L
#include "csvread.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *
csv_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	int err = buf ? 0 : ENOMEM;
	while (buf) {
		n += fread(buf + n, 1, cap - n - 1, f);
		if (n < cap - 1)
			break;
		char *b = realloc(buf, cap *= 2);
		if (b == NULL) {
			free(buf);
			buf = NULL;
			err = ENOMEM;
		} else {
			buf = b;
		}
	}
	/* A short read is the end or an error (a folder reads as EISDIR):
	 * an error must not pass for an empty file. */
	if (buf && ferror(f)) {
		err = errno ? errno : EIO;
		free(buf);
		buf = NULL;
	}
	fclose(f);
	if (buf == NULL) {
		errno = err;
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* Fail the read at row r: t is emptied, errno is EINVAL. */
static int
bad_file(struct csvtab *t, int r, const char *why)
{
	csv_tab_free(t);
	t->bad_row = r;
	t->bad = why;
	errno = EINVAL;
	return -1;
}

int
csv_read(const char *path, struct csvtab *t)
{
	*t = (struct csvtab){ 0 };
	size_t len;
	if ((t->text = csv_slurp(path, &len)) == NULL)
		return -1;
	/* A NUL would end the text early and pass for the end of file. */
	size_t nul = strlen(t->text);
	if (nul < len) {
		int r = 0;
		for (size_t i = 0; i < nul; i++)
			r += t->text[i] == '\n';
		return bad_file(t, r, "a NUL byte (not a CSV text file?)");
	}
	/* Saved by an editor: the header's first name would not match. */
	if (len >= 3 && memcmp(t->text, "\xef\xbb\xbf", 3) == 0)
		return bad_file(t, 0, "starts with a UTF-8 byte-order mark (saved "
		                "by an editor?); synsim writes none: remove it");
	int rcap = 0;
	char *p = t->text;
	while (*p) {
		char **fields = NULL;
		int nf = 0, fcap = 0;
		for (;;) {
			if (nf == fcap) {
				fcap = fcap ? 2 * fcap : 16;
				char **v = realloc(fields, sizeof *v * (size_t)fcap);
				if (v == NULL)
					goto oom;
				fields = v;
			}
			char *out = p, *start = p;
			if (*p == '"') {
				p++;
				for (;;) {
					if (*p == '\0') {
						free(fields);
						return bad_file(t, t->nrows, "a quote is "
						                "not closed");
					}
					if (*p == '"' && p[1] == '"') {
						*out++ = '"';
						p += 2;
					} else if (*p == '"') {
						p++;
						break;
					} else {
						*out++ = *p++;
					}
				}
				if (*p && *p != ',' && *p != '\n' && *p != '\r') {
					free(fields);
					return bad_file(t, t->nrows, "text after a "
					                "closing quote");
				}
			} else {
				while (*p && *p != ',' && *p != '\n' && *p != '\r')
					out++, p++;
			}
			char end = *p;
			*out = '\0';
			fields[nf++] = start;
			if (end == ',') {
				p++;
				continue;
			}
			/* An unquoted field was cut in place: *p may now be
			 * the terminator, so step by what was there. */
			if (end == '\r')
				p++;
			if (end == '\n' || (end == '\r' && *p == '\n'))
				p++;
			break;
		}
		if (t->nrows == 0) {
			t->ncols = nf;
		} else if (nf != t->ncols) {
			free(fields);
			return bad_file(t, t->nrows, nf < t->ncols ?
			                "fewer fields than the header" :
			                "more fields than the header");
		}
		if (t->nrows == rcap) {
			rcap = rcap ? 2 * rcap : 64;
			char ***v = realloc(t->rows, sizeof *v * (size_t)rcap);
			if (v == NULL)
				goto oom;
			t->rows = v;
		}
		t->rows[t->nrows++] = fields;
		continue;
oom:
		free(fields);	/* the row being cut, not yet in t->rows */
		csv_tab_free(t);
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

const char *
csv_error(const char *path, const struct csvtab *t, char *buf, size_t len)
{
	if (errno == EINVAL && t->bad)
		snprintf(buf, len, "%s row %d: %s", path, t->bad_row, t->bad);
	else
		snprintf(buf, len, "cannot read %s: %s", path, strerror(errno));
	return buf;
}

int
csv_col(const struct csvtab *t, const char *name)
{
	for (int c = 0; t->nrows && c < t->ncols; c++)
		if (strcmp(t->rows[0][c], name) == 0)
			return c;
	return -1;
}

void
csv_tab_free(struct csvtab *t)
{
	for (int r = 0; r < t->nrows; r++)
		free(t->rows[r]);
	free(t->rows);
	free(t->text);
	*t = (struct csvtab){ 0 };
}
