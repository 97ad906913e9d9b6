/*
 * aggregate.c - aggregate.png, the ladder of a run too busy for arrows:
 * one row per direction between two hosts, time in bins along it, each
 * cell shaded by the packets that arrived in it (above) and by those
 * dropped, on the way or on arrival (below, red).  Addresses that are no host of the run
 * (spoofed sources) make one "(spoofed)" end.  Drawn when the ladder
 * could not show every packet (plot.c decides).  Called by plot.c.
 */
#define _POSIX_C_SOURCE 200809L
#include "plot_int.h"

#include <stdlib.h>
#include <string.h>

#include "../trace/csvread.h"

#define AGG_BINS 60
#define AGG_ROWS 24		/* directions shown, the busiest */
#define SPOOFED "(spoofed)"

struct dirn {
	char name[140];
	int *arr, *drop;
	int total;
	int first;		/* order of appearance */
};

static int
cmp_dirn(const void *a, const void *b)
{
	const struct dirn *x = a, *y = b;
	if (x->total != y->total)
		return x->total < y->total ? 1 : -1;
	return x->first - y->first;
}

static int
cmp_first(const void *a, const void *b)
{
	return ((const struct dirn *)a)->first - ((const struct dirn *)b)->first;
}

/* Whether name is a node of the run: it appears in "at". */
static bool
is_node(char **nodes, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (strcmp(nodes[i], name) == 0)
			return true;
	return false;
}

int
aggregate_plot(struct plot *p)
{
	struct csvtab t;
	if (plot_read_csv(p, "packets.csv", &t, false))
		return 2;
	int ct = csv_col(&t, "t_ns"), cat = csv_col(&t, "at");
	int cev = csv_col(&t, "event"), cf = csv_col(&t, "from");
	int cto = csv_col(&t, "to"), cl = csv_col(&t, "link");
	if (ct < 0 || cat < 0 || cev < 0 || cf < 0 || cto < 0 || cl < 0) {
		csv_tab_free(&t);
		plot_skip(p, "aggregate");
		return 0;
	}
	simtime from, to;
	plot_window(p, &from, &to);
	/* The nodes: every "at" that is not a link. */
	char **nodes = calloc((size_t)t.nrows + 1, sizeof *nodes);
	struct dirn *d = calloc((size_t)t.nrows + 1, sizeof *d);
	int nn = 0, nd = 0, rc = 0;
	if (nodes == NULL || d == NULL)
		goto oom;
	for (int r = 1; r < t.nrows; r++) {
		char **row = t.rows[r];
		if (strcmp(row[cat], row[cl]) != 0 && !is_node(nodes, nn, row[cat]))
			nodes[nn++] = row[cat];
	}
	/* Time from the first packet to the last in the window: a long
	 * TIME-WAIT after them would squeeze them into a corner. */
	simtime lo = to, hi = from;
	for (int r = 1; r < t.nrows; r++) {
		simtime tn = strtoll(t.rows[r][ct], NULL, 10);
		if (tn >= from && tn <= to) {
			lo = tn < lo ? tn : lo;
			hi = tn > hi ? tn : hi;
		}
	}
	from = lo;
	to = hi > lo ? hi : lo + 1;
	simtime span = to - from;
	for (int r = 1; r < t.nrows; r++) {
		char **row = t.rows[r];
		bool recv = strcmp(row[cev], "recv") == 0;
		bool drop = strcmp(row[cev], "drop") == 0;
		if (!recv && !drop)
			continue;
		simtime tn = strtoll(row[ct], NULL, 10);
		if (tn < from || tn > to)
			continue;
		char name[140];
		snprintf(name, sizeof name, "%.60s \xe2\x86\x92 %.60s",
		         is_node(nodes, nn, row[cf]) ? row[cf] : SPOOFED,
		         is_node(nodes, nn, row[cto]) ? row[cto] : SPOOFED);
		int k = 0;
		while (k < nd && strcmp(d[k].name, name) != 0)
			k++;
		if (k == nd) {
			d[k].arr = calloc(AGG_BINS, sizeof *d[k].arr);
			d[k].drop = calloc(AGG_BINS, sizeof *d[k].drop);
			if (d[k].arr == NULL || d[k].drop == NULL)
				goto oom;
			snprintf(d[k].name, sizeof d[k].name, "%s", name);
			d[k].first = nd++;
		}
		int b = (int)((tn - from) * AGG_BINS / (span + 1));
		if (recv)
			d[k].arr[b]++;
		else
			d[k].drop[b]++;
		d[k].total++;
	}
	qsort(d, (size_t)nd, sizeof *d, cmp_dirn);
	int shown = nd < AGG_ROWS ? nd : AGG_ROWS;
	qsort(d, (size_t)shown, sizeof *d, cmp_first);
	FILE *f = plot_stage_open(p, "aggregate.dat");
	if (f == NULL) {
		rc = 2;
		goto out;
	}
	double w = (double)span / AGG_BINS / 1e9;
	int maxc = 1, maxd = 1;
	fputs("# the aggregate ladder written by synsim plot (plots/"
	      "aggregate.gp)\n# block 0: row y name\n", f);
	for (int i = 0; i < shown; i++)
		fprintf(f, "row\t%d\t%s\n", i, d[i].name);
	if (shown == 0)
		fputs("none\t-1\t-\n", f);
	fputs("\n\n# block 1: cell y t_s width_s arrived dropped\n", f);
	for (int i = 0; i < shown; i++)
		for (int b = 0; b < AGG_BINS; b++) {
			if (d[i].arr[b] == 0 && d[i].drop[b] == 0)
				continue;
			fprintf(f, "cell\t%d\t%.9f\t%.9f\t%d\t%d\n", i,
			        (double)from / 1e9 + (b + 0.5) * w, w, d[i].arr[b],
			        d[i].drop[b]);
			maxc = d[i].arr[b] > maxc ? d[i].arr[b] : maxc;
			maxd = d[i].drop[b] > maxd ? d[i].drop[b] : maxd;
		}
	fputs("none\t-1\t-1e9\t0\t0\t0\n", f);
	if ((rc = plot_stage_close(p)))
		goto out;
	char vars[512];
	char bw[32];
	if (w >= 1)
		snprintf(bw, sizeof bw, "%.3g s", w);
	else
		snprintf(bw, sizeof bw, "%.3g ms", w * 1e3);
	snprintf(vars, sizeof vars, "nrows=%d; more=%d; xmin=%.9f; xmax=%.9f; "
	         "maxc=%d; maxd=%d; binw='%s'", shown, nd - shown,
	         (double)from / 1e9, (double)to / 1e9, maxc, maxd, bw);
	rc = plot_draw(p, "aggregate.gp", "aggregate", plot_staged_tmp(p), vars);
	goto out;
oom:
	fprintf(stderr, "synsim: out of memory\n");
	rc = 2;
out:
	for (int i = 0; d && i < nd; i++) {
		free(d[i].arr);
		free(d[i].drop);
	}
	free(d);
	free(nodes);
	csv_tab_free(&t);
	return rc;
}
