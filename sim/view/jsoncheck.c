/*
 * jsoncheck.c - a recursive-descent check of JSON syntax (RFC 8259),
 * nesting bounded so a hostile file cannot exhaust the stack.
 */
#define _POSIX_C_SOURCE 200809L
#include "jsoncheck.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 64

struct jp {
	const char *p, *end;
	const char *why;
	int depth;
};

static void
ws(struct jp *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' ||
	                         *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static int
fail(struct jp *j, const char *why)
{
	if (j->why == NULL)
		j->why = why;
	return -1;
}

static int value(struct jp *j);

static int
string(struct jp *j)
{
	j->p++;	/* the opening quote */
	while (j->p < j->end && *j->p != '"') {
		unsigned char c = (unsigned char)*j->p;
		if (c < 0x20)
			return fail(j, "a control character inside a string");
		if (c == '\\') {
			j->p++;
			if (j->p >= j->end)
				break;
			if (*j->p == 'u') {
				for (int i = 1; i <= 4; i++)
					if (j->p + i >= j->end ||
					    !strchr("0123456789abcdefABCDEF", j->p[i]) ||
					    j->p[i] == '\0')
						return fail(j, "a bad \\u escape");
				j->p += 4;
			} else if (!strchr("\"\\/bfnrt", *j->p) || *j->p == '\0') {
				return fail(j, "a bad escape in a string");
			}
		}
		j->p++;
	}
	if (j->p >= j->end)
		return fail(j, "a string is not closed");
	j->p++;
	return 0;
}

static int
digits(struct jp *j)
{
	const char *s = j->p;
	while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
		j->p++;
	return j->p > s ? 0 : fail(j, "a number without digits");
}

static int
number(struct jp *j)
{
	if (*j->p == '-')
		j->p++;
	if (j->p < j->end && *j->p == '0')
		j->p++;
	else if (digits(j) < 0)
		return -1;
	if (j->p < j->end && *j->p == '.') {
		j->p++;
		if (digits(j) < 0)
			return -1;
	}
	if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
		j->p++;
		if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
			j->p++;
		if (digits(j) < 0)
			return -1;
	}
	return 0;
}

static int
word(struct jp *j, const char *w)
{
	size_t n = strlen(w);
	if ((size_t)(j->end - j->p) < n || strncmp(j->p, w, n) != 0)
		return fail(j, "an unexpected character");
	j->p += n;
	return 0;
}

/* An object or an array: open at j->p. */
static int
compound(struct jp *j)
{
	char close = *j->p == '{' ? '}' : ']';
	if (++j->depth > MAX_DEPTH)
		return fail(j, "nested too deep");
	j->p++;
	ws(j);
	if (j->p < j->end && *j->p == close) {
		j->p++;
		j->depth--;
		return 0;
	}
	for (;;) {
		ws(j);
		if (close == '}') {
			if (j->p >= j->end || *j->p != '"')
				return fail(j, "a key that is not a string");
			if (string(j) < 0)
				return -1;
			ws(j);
			if (j->p >= j->end || *j->p != ':')
				return fail(j, "a ':' missing after a key");
			j->p++;
		}
		if (value(j) < 0)
			return -1;
		ws(j);
		if (j->p < j->end && *j->p == ',') {
			j->p++;
			continue;
		}
		if (j->p < j->end && *j->p == close) {
			j->p++;
			j->depth--;
			return 0;
		}
		return fail(j, close == '}' ? "a ',' or '}' missing" :
		                              "a ',' or ']' missing");
	}
}

static int
value(struct jp *j)
{
	ws(j);
	if (j->p >= j->end)
		return fail(j, "the text ends where a value was due");
	switch (*j->p) {
	case '{':
	case '[':
		return compound(j);
	case '"':
		return string(j);
	case 't':
		return word(j, "true");
	case 'f':
		return word(j, "false");
	case 'n':
		return word(j, "null");
	default:
		if (*j->p == '-' || (*j->p >= '0' && *j->p <= '9'))
			return number(j);
		return fail(j, "an unexpected character");
	}
}

int
json_check(const char *text, size_t len, char *err, size_t errlen)
{
	struct jp j = { .p = text, .end = text + len };
	ws(&j);
	int rc;
	if (j.p >= j.end || *j.p != '{')
		rc = fail(&j, "the text is not a JSON object");
	else
		rc = value(&j);
	if (rc == 0) {
		ws(&j);
		if (j.p < j.end)
			rc = fail(&j, "more text after the object");
	}
	if (rc == 0)
		return 0;
	int line = 1;
	for (const char *q = text; q < j.p && q < j.end; q++)
		line += *q == '\n';
	snprintf(err, errlen, "line %d: %s", line, j.why);
	return -1;
}

int
json_check_summary(const char *dir, int required, char *err, size_t errlen)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/summary.json", dir);
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		if (!required && errno == ENOENT)
			return 0;
		snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	size_t cap = 1 << 16, n = 0;
	char *text = malloc(cap);
	while (text) {
		n += fread(text + n, 1, cap - n - 1, f);
		if (n < cap - 1)
			break;
		char *t = realloc(text, cap *= 2);
		if (t == NULL)
			free(text);
		text = t;
	}
	/* A short read is the end or an error (a folder reads as EISDIR). */
	int rerr = ferror(f) ? (errno ? errno : EIO) : 0;
	fclose(f);
	if (text == NULL || rerr) {
		snprintf(err, errlen, "cannot read %s: %s", path,
		         text ? strerror(rerr) : "out of memory");
		free(text);
		return -1;
	}
	text[n] = '\0';
	char why[200];
	int rc = 0;
	if (strlen(text) != n) {
		snprintf(err, errlen, "%s: a NUL byte (not a summary synsim "
		         "wrote)", path);
		rc = -1;
	} else if (json_check(text, n, why, sizeof why) < 0) {
		snprintf(err, errlen, "%s %s (not a summary synsim wrote)", path,
		         why);
		rc = -1;
	} else if (strstr(text, "\n  \"synsim\": ") == NULL ||
	           strstr(text, "\n  \"seed\": ") == NULL) {
		snprintf(err, errlen, "%s: no \"synsim\" or \"seed\" key (not a "
		         "summary synsim wrote)", path);
		rc = -1;
	}
	free(text);
	return rc;
}
