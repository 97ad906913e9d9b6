/*
 * diff.c - the first difference between two finished runs, for
 * `synsim diff`.  Typical use: the same scenario and seed with one drop
 * rule switched off, to see the first moment the network behaves
 * otherwise.  Reads only the output files, so it also compares runs made
 * by different builds.
 */
#define _POSIX_C_SOURCE 200809L
#include "diff.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../core/simtime.h"
#include "../view/jsoncheck.h"
#include "csvread.h"
#include "hostsel.h"
#include "ladder.h"

/* ---------------------------------------------------------------- */
/* summary.json: the few top-level values that say how a run was made */
/* ---------------------------------------------------------------- */

struct runinfo {
	char *text;		/* summary.json */
	char scenario[512], fnv[32], seed[32], version[32], reproduce[1024];
	char *pk[64], *pv[64];	/* -D names and values, in the file's order */
	int np;
};

/* Read the JSON string at p (on its opening quote) into buf; returns the
 * position after the closing quote. */
static const char *
json_str(const char *p, char *buf, size_t len)
{
	size_t o = 0;
	if (*p == '"')
		p++;
	for (; *p && *p != '"'; p++) {
		if (*p == '\\' && p[1])
			p++;
		if (o + 1 < len)
			buf[o++] = *p;
	}
	if (len)
		buf[o] = '\0';
	return *p ? p + 1 : p;
}

/* The value of a top-level key ("  \"key\": value") as text, strings
 * without their quotes; "" when absent. */
static void
json_get(const char *text, const char *key, char *buf, size_t len)
{
	char pat[64];
	snprintf(pat, sizeof pat, "\n  \"%s\": ", key);
	const char *p = strstr(text, pat);
	buf[0] = '\0';
	if (p == NULL)
		return;
	p += strlen(pat);
	if (*p == '"') {
		json_str(p, buf, len);
		return;
	}
	size_t n = strcspn(p, ",\n");
	snprintf(buf, len, "%.*s", (int)n, p);
}

static int
runinfo_read(struct runinfo *ri, const char *dir, char *err, size_t errlen)
{
	*ri = (struct runinfo){ 0 };
	if (json_check_summary(dir, 1, err, errlen) < 0)
		return -1;
	char path[1100];
	snprintf(path, sizeof path, "%s/summary.json", dir);
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	size_t cap = 8192, n = 0;
	ri->text = malloc(cap);
	while (ri->text) {
		n += fread(ri->text + n, 1, cap - n - 1, f);
		if (n < cap - 1)
			break;
		char *t = realloc(ri->text, cap *= 2);
		if (t == NULL)
			free(ri->text);
		ri->text = t;
	}
	/* A short read is the end or an error (a folder reads as EISDIR). */
	int rerr = ferror(f) ? (errno ? errno : EIO) : 0;
	fclose(f);
	if (ri->text == NULL) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	if (rerr) {
		snprintf(err, errlen, "cannot read %s: %s", path, strerror(rerr));
		free(ri->text);
		ri->text = NULL;
		return -1;
	}
	ri->text[n] = '\0';
	json_get(ri->text, "scenario", ri->scenario, sizeof ri->scenario);
	json_get(ri->text, "scenario_fnv1a64", ri->fnv, sizeof ri->fnv);
	json_get(ri->text, "seed", ri->seed, sizeof ri->seed);
	json_get(ri->text, "synsim", ri->version, sizeof ri->version);
	json_get(ri->text, "reproduce", ri->reproduce, sizeof ri->reproduce);
	/* "params": {"name": "value", ...} on one line; cut it in place. */
	char *p = strstr(ri->text, "\n  \"params\": {");
	if (p) {
		p += strlen("\n  \"params\": {");
		while (*p == '"' && ri->np < 64) {
			char *k = p + 1, *q = k;
			while (*q && *q != '"')
				q += *q == '\\' && q[1] ? 2 : 1;
			if (*q == '\0')
				break;
			*q = '\0';
			p = q + 1 + strspn(q + 1, ": ");
			if (*p != '"')
				break;
			char *v = p + 1;
			for (q = v; *q && *q != '"';)
				q += *q == '\\' && q[1] ? 2 : 1;
			if (*q == '\0')
				break;
			*q = '\0';
			ri->pk[ri->np] = k;
			ri->pv[ri->np++] = v;
			p = q + 1 + strspn(q + 1, ", ");
		}
	}
	return 0;
}

static const char *
param_of(const struct runinfo *ri, const char *name)
{
	for (int i = 0; i < ri->np; i++)
		if (strcmp(ri->pk[i], name) == 0)
			return ri->pv[i];
	return NULL;
}

/* What differs in how the runs were made; returns the number of lines. */
static int
compare_params(const struct runinfo *a, const struct runinfo *b, FILE *out)
{
	int n = 0;
	const char *head = "run parameters differ:\n";
	if (strcmp(a->scenario, b->scenario) != 0) {
		fprintf(out, "%s  scenario: %s | %s\n", n++ ? "" : head,
		        a->scenario, b->scenario);
	}
	if (strcmp(a->fnv, b->fnv) != 0)
		fprintf(out, "%s  scenario file content: fnv1a64 %s | %s\n",
		        n++ ? "" : head, a->fnv, b->fnv);
	if (strcmp(a->seed, b->seed) != 0)
		fprintf(out, "%s  seed: %s | %s\n", n++ ? "" : head, a->seed,
		        b->seed);
	for (int i = 0; i < a->np; i++) {
		const char *v = param_of(b, a->pk[i]);
		if (v == NULL || strcmp(v, a->pv[i]) != 0)
			fprintf(out, "%s  -D %s: %s | %s\n", n++ ? "" : head,
			        a->pk[i], a->pv[i], v ? v : "(default)");
	}
	for (int i = 0; i < b->np; i++)
		if (param_of(a, b->pk[i]) == NULL)
			fprintf(out, "%s  -D %s: (default) | %s\n", n++ ? "" : head,
			        b->pk[i], b->pv[i]);
	if (strcmp(a->version, b->version) != 0)
		fprintf(out, "%s  synsim version: %s | %s\n", n++ ? "" : head,
		        a->version, b->version);
	if (n == 0)
		fputs("run parameters: the same\n", out);
	return n;
}

/* ---------------------------------------------------------------- */
/* Events                                                           */
/* ---------------------------------------------------------------- */

static const struct csvtab *
tab_of(const struct ladder_run *r, const struct ladder_event *e)
{
	return e->kind == LADDER_PKT ? &r->pkts : &r->states;
}

/* Fields that count over the whole run (packets, events, a host's
 * connections): when only some hosts are compared, the others' traffic
 * moves them without telling anything about these. */
static bool
run_counter(const char *name)
{
	static const char *const names[] = { "pkt_id", "dup_of", "event_no",
	                                     "conn", NULL };
	for (int i = 0; names[i]; i++)
		if (strcmp(name, names[i]) == 0)
			return true;
	return false;
}

/* The fields of event ia in A and ib in B that differ, as a table in
 * out (NULL: only count them).  Fields are matched by column name;
 * counters are left out when the runs were cut to some hosts. */
static int
field_diff(const struct ladder_run *a, int ia, const struct ladder_run *b,
           int ib, bool some_hosts, FILE *out)
{
	const struct ladder_event *ea = &a->ev[ia], *eb = &b->ev[ib];
	if (ea->kind != eb->kind) {
		if (out)
			fprintf(out, "  A is a %s, B a %s\n",
			        ea->kind == LADDER_PKT ? "packet event" :
			                                  "state change",
			        eb->kind == LADDER_PKT ? "packet event" :
			                                  "state change");
		return 1;
	}
	const struct csvtab *ta = tab_of(a, ea), *tb = tab_of(b, eb);
	int n = 0, w = 8;
	for (int c = 0; c < ta->ncols; c++) {
		int l = ladder_cells(ta->rows[ea->row][c]);
		w = l > w && l < 48 ? l : w;
	}
	for (int c = 0; c < ta->ncols; c++) {
		const char *name = ta->rows[0][c];
		if (some_hosts && run_counter(name))
			continue;
		int cb = csv_col(tb, name);
		const char *va = ta->rows[ea->row][c];
		const char *vb = cb >= 0 ? tb->rows[eb->row][cb] : "";
		if (strcmp(va, vb) == 0)
			continue;
		if (out) {
			if (n == 0)
				fprintf(out, "  %-10s %-*s  %s\n", "field", w, "A", "B");
			fprintf(out, "  %-10s %-*s  %s\n", name, w,
			        *va ? va : "(empty)", *vb ? vb : "(empty)");
		}
		n++;
	}
	for (int c = 0; c < tb->ncols; c++)
		if (csv_col(ta, tb->rows[0][c]) < 0 && tb->rows[eb->row][c][0]) {
			if (out)
				fprintf(out, "  %-10s %-*s  %s\n", tb->rows[0][c], w,
				        "(no such column)", tb->rows[eb->row][c]);
			n++;
		}
	return n;
}

/* The line of l that shows event i (or the first after it). */
static int
line_of(const struct ladder *l, int i)
{
	for (int k = 1; k < l->n; k++)
		if (l->line[k].first + l->line[k].count > i)
			return k;
	return l->n;
}

/* left padded to the ladder width, the separator, the right gutter and
 * right (the left gutter is the caller's). */
static void
side_line(FILE *out, const char *gutter, const char *left, const char *sep,
          const char *right)
{
	int pad = DIFF_LADDER_WIDTH - ladder_cells(left);
	fprintf(out, "%s%*s%s%s%s\n", left, pad > 0 ? pad : 0, "", sep, gutter,
	        right);
}

static void
side_by_side(const struct ladder *la, const struct ladder *lb, int ev,
             const char *dir_a, const char *dir_b, bool ascii, FILE *out)
{
	const char *sep = ascii ? " | " : " │ ";
	const char *mark = ascii ? "> " : "▶ ";
	/* Rows line up on the last event the runs share, so the common past
	 * reads across; the mark is on each side's first differing line. */
	int a0 = line_of(la, ev > 0 ? ev - 1 : 0);
	int b0 = line_of(lb, ev > 0 ? ev - 1 : 0);
	int am = line_of(la, ev), bm = line_of(lb, ev);
	char ta[1100], tb[1100];
	snprintf(ta, sizeof ta, "A: %s", dir_a);
	snprintf(tb, sizeof tb, "B: %s", dir_b);
	fputc('\n', out);
	fputs("  ", out);
	side_line(out, "  ", ta, sep, tb);
	fputs("  ", out);
	side_line(out, "  ", la->n ? la->line[0].text : "", sep,
	          lb->n ? lb->line[0].text : "");
	for (int k = -DIFF_BEFORE; k <= DIFF_AFTER; k++) {
		int ia = a0 + k, ib = b0 + k;
		const char *sa = ia >= 1 && ia < la->n ? la->line[ia].text : "";
		const char *sb = ib >= 1 && ib < lb->n ? lb->line[ib].text : "";
		if (*sa == '\0' && *sb == '\0')
			continue;
		fprintf(out, "%s", ia == am ? mark : "  ");
		side_line(out, ib == bm ? mark : "  ", sa, sep, sb);
	}
}

int
diff_runs(const char *dir_a, const char *dir_b, bool ascii,
          struct hostsel *hosts, FILE *out, FILE *err)
{
	const char *dirs[2] = { dir_a, dir_b };
	struct ladder_run run[2] = { 0 };
	struct runinfo info[2] = { 0 };
	struct ladder lad[2] = { 0 };
	char msg[1200];
	int rc = 2;
	for (int s = 0; s < 2; s++) {
		if (ladder_load(&run[s], dirs[s], msg, sizeof msg) < 0 ||
		    runinfo_read(&info[s], dirs[s], msg, sizeof msg) < 0) {
			fprintf(err, "synsim: diff: %s\n", msg);
			goto out;
		}
		if (hosts)
			ladder_select(&run[s], hosts);
	}
	/* A host named need only be in one of the runs. */
	if (hosts && hostsel_check(hosts))
		goto out;
	fprintf(out, "A: %s  (%s)\nB: %s  (%s)\n", dir_a, info[0].reproduce,
	        dir_b, info[1].reproduce);
	compare_params(&info[0], &info[1], out);

	const struct ladder_run *a = &run[0], *b = &run[1];
	int i = 0;
	bool some = hosts && hosts->n > 0;
	while (i < a->nev && i < b->nev && field_diff(a, i, b, i, some, NULL) == 0)
		i++;
	if (i == a->nev && i == b->nev) {
		fprintf(out, "the runs are identical: %d events (packets.csv and "
		        "states.csv)\n", a->nev);
		rc = 0;
		goto out;
	}

	char da[512], db[512], when[32];
	int64_t t = i < a->nev && i < b->nev ?
	            (a->ev[i].t < b->ev[i].t ? a->ev[i].t : b->ev[i].t) :
	            i < a->nev ? a->ev[i].t : b->ev[i].t;
	if (i < a->nev)
		ladder_describe(a, i, ascii, da, sizeof da);
	else
		snprintf(da, sizeof da, "(no more events: the run has %d)", a->nev);
	if (i < b->nev)
		ladder_describe(b, i, ascii, db, sizeof db);
	else
		snprintf(db, sizeof db, "(no more events: the run has %d)", b->nev);
	simtime_format(t, when, sizeof when);
	fprintf(out, "the runs differ from event %d of %d | %d\n", i + 1, a->nev,
	        b->nev);
	fprintf(out, "event %d at %s: A: %s | B: %s\n", i + 1, when, da, db);
	if (i < a->nev && i < b->nev)
		field_diff(a, i, b, i, some, out);

	struct ladder_opts o = { .ascii = ascii, .width = DIFF_LADDER_WIDTH };
	if (ladder_draw(a, &o, &lad[0]) < 0 || ladder_draw(b, &o, &lad[1]) < 0) {
		fputs("synsim: diff: out of memory\n", err);
		goto out;
	}
	side_by_side(&lad[0], &lad[1], i, dir_a, dir_b, ascii, out);
	rc = 1;
out:
	for (int s = 0; s < 2; s++) {
		ladder_run_free(&run[s]);
		ladder_free(&lad[s]);
		free(info[s].text);
	}
	return rc;
}
