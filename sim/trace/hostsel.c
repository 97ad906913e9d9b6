/*
 * hostsel.c - the host selection of plot and ladder.
 */
#define _POSIX_C_SOURCE 200809L
#include "hostsel.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/error.h"

int
hostsel_parse(struct hostsel *h, const char *arg)
{
	if (h->n > 0)
		return sim_usage_error("%s", "--hosts given twice");
	for (const char *s = arg;; s++) {
		const char *e = strchr(s, ',');
		size_t len = e ? (size_t)(e - s) : strlen(s);
		if (len == 0)
			return sim_usage_error("--hosts %.60s: expected host names "
			                       "separated by commas", arg);
		if (len > 127)
			return sim_usage_error("--hosts %.60s...: a host name has at "
			                       "most 127 bytes", s);
		for (int i = 0; i < h->n; i++)
			if (strlen(h->name[i]) == len && memcmp(h->name[i], s, len) == 0) {
				char name[128];
				snprintf(name, sizeof name, "%.*s", (int)len, s);
				return sim_usage_error("--hosts: %s named twice", name);
			}
		char **v = realloc(h->name, sizeof *v * (size_t)(h->n + 1));
		bool *seen = realloc(h->seen, sizeof *seen * (size_t)(h->n + 1));
		if (v)
			h->name = v;
		if (seen)
			h->seen = seen;
		char *copy = v && seen ? strndup(s, len) : NULL;
		if (copy == NULL) {
			fputs("synsim: out of memory\n", stderr);
			return 2;
		}
		h->name[h->n] = copy;
		h->seen[h->n++] = false;
		if (e == NULL)
			return 0;
		s = e;
	}
}

/* Whether name is selected; notes that the run has it. */
static bool
has(struct hostsel *h, const char *name)
{
	for (int i = 0; i < h->n; i++)
		if (strcmp(h->name[i], name) == 0) {
			h->seen[i] = true;
			return true;
		}
	return false;
}

bool
hostsel_packet(struct hostsel *h, const char *from, const char *to)
{
	if (h->n == 0)
		return true;
	bool f = has(h, from), t = has(h, to);
	return h->n == 1 ? f || t : f && t;
}

bool
hostsel_conn(struct hostsel *h, const char *host, const char *peer)
{
	if (h->n == 0)
		return true;
	if (!has(h, host))
		return false;
	return h->n == 1 || peer == NULL || *peer == '\0' || has(h, peer);
}

void
hostsel_note(struct hostsel *h, const char *name)
{
	(void)has(h, name);
}

int
hostsel_check(const struct hostsel *h)
{
	for (int i = 0; i < h->n; i++)
		if (!h->seen[i])
			return sim_usage_error("--hosts: this run has no node %s",
			                       h->name[i]);
	return 0;
}

void
hostsel_free(struct hostsel *h)
{
	for (int i = 0; i < h->n; i++)
		free(h->name[i]);
	free(h->name);
	free(h->seen);
	*h = (struct hostsel){ 0 };
}
