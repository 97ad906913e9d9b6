/*
 * queues.c - queues.png, the SYN-flood lesson's picture: a listener's
 * queue of half-open connections over time, its accept queue when the
 * run recorded one, and per second the SYN cookies it sent and the SYNs
 * it dropped.  Drawn for the listener that took the most SYNs.
 *
 * From the run's own files: the SYN queue is the listener's connections
 * in SYN-RECEIVED (states.csv: +1 entering it from LISTEN, -1 leaving
 * it), cookies are its SYN-ACKs sent "SYN cookie: ...", drops its SYNs
 * dropped "listen queue full" (packets.csv).  A queues.csv beside them
 * (t_ns, host, syn_queue, accept_queue: the queues' lengths whenever they
 * change) is used instead for the queues when the run wrote one.
 * Called by plot.c.
 */
#define _POSIX_C_SOURCE 200809L
#include "plot_int.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "../trace/csvread.h"

struct step {
	simtime t;
	int n;
};

struct series {
	struct step *v;
	int n, cap;
};

static int
push(struct series *s, simtime t, int n)
{
	if (s->n == s->cap) {
		int c = s->cap ? 2 * s->cap : 64;
		struct step *v = realloc(s->v, sizeof *v * (size_t)c);
		if (v == NULL)
			return -1;
		s->v = v;
		s->cap = c;
	}
	s->v[s->n++] = (struct step){ t, n };
	return 0;
}

/* The host whose connections left LISTEN most often, into buf; false
 * when none did. */
static bool
busiest_listener(const struct csvtab *t, int host, int from, char *buf,
                 size_t len)
{
	int best = 0;
	buf[0] = '\0';
	for (int r = 1; r < t->nrows; r++) {
		if (strcmp(t->rows[r][from], "LISTEN") != 0)
			continue;
		const char *h = t->rows[r][host];
		int n = 0;
		bool counted = false;
		for (int k = 1; k < t->nrows && !counted; k++)
			if (strcmp(t->rows[k][from], "LISTEN") == 0 &&
			    strcmp(t->rows[k][host], h) == 0) {
				if (k < r)
					counted = true;	/* seen already */
				n++;
			}
		if (!counted && n > best) {
			best = n;
			snprintf(buf, len, "%s", h);
		}
	}
	return best > 0;
}

/* The SYN queue from states.csv: the listener's connections in
 * SYN-RECEIVED that came from LISTEN. */
static int
syn_queue(const struct csvtab *t, const char *l, struct series *q)
{
	int ct = csv_col(t, "t_ns"), ch = csv_col(t, "host");
	int cc = csv_col(t, "conn"), cf = csv_col(t, "from_state");
	int cto = csv_col(t, "to_state");
	if (ct < 0 || ch < 0 || cc < 0 || cf < 0 || cto < 0)
		return -1;
	int maxc = 0;
	for (int r = 1; r < t->nrows; r++) {
		int c = atoi(t->rows[r][cc]);
		maxc = c > maxc ? c : maxc;
	}
	bool *in = calloc((size_t)maxc + 2, sizeof *in);
	if (in == NULL)
		return -1;
	int n = 0;
	for (int r = 1; r < t->nrows; r++) {
		char **row = t->rows[r];
		if (strcmp(row[ch], l) != 0)
			continue;
		int c = atoi(row[cc]);
		if (c < 0 || c > maxc)
			continue;
		simtime tn = strtoll(row[ct], NULL, 10);
		if (strcmp(row[cf], "LISTEN") == 0 &&
		    strcmp(row[cto], "SYN-RECEIVED") == 0) {
			in[c] = true;
			n++;
		} else if (in[c] && strcmp(row[cf], "SYN-RECEIVED") == 0) {
			in[c] = false;
			n--;
		} else {
			continue;
		}
		if (push(q, tn, n) < 0) {
			free(in);
			return -1;
		}
	}
	free(in);
	return 0;
}

/* The queues from queues.csv, for listener l: 0, 1 if the file has no
 * such columns, -1 out of memory. */
static int
queues_file(const struct csvtab *t, const char *l, struct series *syn,
            struct series *acc)
{
	int ct = csv_col(t, "t_ns"), ch = csv_col(t, "host");
	int cs = csv_col(t, "syn_queue"), ca = csv_col(t, "accept_queue");
	if (ct < 0 || ch < 0 || cs < 0)
		return 1;
	for (int r = 1; r < t->nrows; r++) {
		char **row = t->rows[r];
		if (strcmp(row[ch], l) != 0)
			continue;
		simtime tn = strtoll(row[ct], NULL, 10);
		if (push(syn, tn, atoi(row[cs])) < 0 ||
		    (ca >= 0 && push(acc, tn, atoi(row[ca])) < 0))
			return -1;
	}
	return 0;
}

/* 1, 2 or 5 times a power of ten ns, at least raw. */
static simtime
nice(simtime raw)
{
	simtime p = 1;
	while (p * 10 <= raw)
		p *= 10;
	return raw <= p ? p : raw <= 2 * p ? 2 * p : raw <= 5 * p ? 5 * p :
	       10 * p;
}

static void
write_steps(FILE *f, const char *tag, const struct series *s, simtime end)
{
	for (int i = 0; i < s->n; i++)
		fprintf(f, "%s\t%.9f\t%d\n", tag, (double)s->v[i].t / 1e9,
		        s->v[i].n);
	if (s->n > 0)
		fprintf(f, "%s\t%.9f\t%d\n", tag, (double)end / 1e9,
		        s->v[s->n - 1].n);
	else
		fprintf(f, "none\t-1e9\t0\n");
}

int
queues_plot(struct plot *p)
{
	struct csvtab st, pk, qf;
	int rc = plot_read_csv(p, "states.csv", &st, false);
	if (rc)
		return 2;
	char l[256];
	int ch = csv_col(&st, "host"), cf = csv_col(&st, "from_state");
	if (ch < 0 || cf < 0 || !busiest_listener(&st, ch, cf, l, sizeof l)) {
		csv_tab_free(&st);
		plot_skip(p, "queues");
		plot_say(p, "queues.%s skipped: no listener took a SYN\n",
		         plot_ext(p));
		return 0;
	}
	struct series syn = { 0 }, acc = { 0 };
	bool from_file = false;
	rc = plot_read_csv(p, "queues.csv", &qf, true);
	if (rc < 0) {
		csv_tab_free(&st);
		return 2;
	}
	if (rc == 0) {
		int q = queues_file(&qf, l, &syn, &acc);
		csv_tab_free(&qf);
		if (q < 0)
			goto oom;
		from_file = q == 0;
	}
	if (!from_file && syn_queue(&st, l, &syn) < 0)
		goto oom;
	csv_tab_free(&st);
	if (plot_read_csv(p, "packets.csv", &pk, false)) {
		free(syn.v);
		free(acc.v);
		return 2;
	}
	int ct = csv_col(&pk, "t_ns"), cat = csv_col(&pk, "at");
	int cev = csv_col(&pk, "event"), cfl = csv_col(&pk, "flags");
	int crs = csv_col(&pk, "reason");
	simtime end = 0;
	for (int r = 1; r < pk.nrows && ct >= 0; r++) {
		simtime tn = strtoll(pk.rows[r][ct], NULL, 10);
		end = tn > end ? tn : end;
	}
	for (int i = 0; i < syn.n; i++)
		end = syn.v[i].t > end ? syn.v[i].t : end;
	/* About 60 bins over the run, a whole number of ms or s. */
	simtime bin = nice(end / 60 > 1000000 ? end / 60 : 1000000);
	int nb = (int)(end / bin) + 1;
	int *cookies = calloc((size_t)nb, sizeof *cookies);
	int *drops = calloc((size_t)nb, sizeof *drops);
	if (cookies == NULL || drops == NULL) {
		free(cookies);
		free(drops);
		csv_tab_free(&pk);
		goto oom;
	}
	int ncookies = 0, ndrops = 0;
	for (int r = 1; r < pk.nrows && ct >= 0 && cat >= 0 && cev >= 0 &&
	                cfl >= 0 && crs >= 0; r++) {
		char **row = pk.rows[r];
		if (strcmp(row[cat], l) != 0)
			continue;
		simtime tn = strtoll(row[ct], NULL, 10);
		int b = (int)(tn / bin);
		if (b < 0 || b >= nb)
			continue;
		if (strcmp(row[cev], "send") == 0 &&
		    strcmp(row[cfl], "SYN+ACK") == 0 &&
		    strncmp(row[crs], "SYN cookie", 10) == 0) {
			cookies[b]++;
			ncookies++;
		} else if (strcmp(row[cev], "drop") == 0 &&
		           strcmp(row[crs], "listen queue full") == 0) {
			drops[b]++;
			ndrops++;
		}
	}
	csv_tab_free(&pk);

	int maxq = 0;
	for (int i = 0; i < syn.n; i++)
		maxq = syn.v[i].n > maxq ? syn.v[i].n : maxq;
	for (int i = 0; i < acc.n; i++)
		maxq = acc.v[i].n > maxq ? acc.v[i].n : maxq;
	/* One connection at a time in the queue, nothing turned away:
	 * nothing to see that the ladder does not show. */
	if (maxq < 2 && ncookies == 0 && ndrops == 0) {
		free(cookies);
		free(drops);
		free(syn.v);
		free(acc.v);
		plot_skip(p, "queues");
		plot_say(p, "queues.%s skipped: %s's queues never held more than "
		         "one connection\n", plot_ext(p), l);
		return 0;
	}
	FILE *f = plot_stage_open(p, "queues.dat");
	if (f == NULL) {
		free(cookies);
		free(drops);
		free(syn.v);
		free(acc.v);
		return 2;
	}
	fprintf(f, "# queues of listener %s, written by synsim plot (plots/"
	        "queues.gp); the queues from %s\n# block 0: syn t_s length\n", l,
	        from_file ? "queues.csv" : "states.csv (connections in "
	        "SYN-RECEIVED)");
	write_steps(f, "syn", &syn, end);
	fputs("\n\n# block 1: accept t_s length\n", f);
	write_steps(f, "accept", &acc, end);
	fprintf(f, "\n\n# block 2: bin t_s width_s cookies_per_s drops_per_s\n");
	double bs = (double)bin / 1e9;
	for (int b = 0; b < nb; b++)
		fprintf(f, "bin\t%.9f\t%.9f\t%.3f\t%.3f\n", (b + 0.5) * bs, bs,
		        cookies[b] / bs, drops[b] / bs);
	free(cookies);
	free(drops);
	bool has_acc = acc.n > 0;
	free(syn.v);
	free(acc.v);
	if ((rc = plot_stage_close(p)))
		return rc;
	char vars[1024], ql[600];
	size_t k = 0;
	for (const char *s = l; *s && k + 3 < sizeof ql; s++) {
		if (*s == '\'')
			ql[k++] = '\'';
		ql[k++] = *s;
	}
	ql[k] = '\0';
	snprintf(vars, sizeof vars, "listener='%s'; xmax=%.9f; maxq=%d; "
	         "accept=%d; cookies=%d; drops=%d; binw='%s'; source='%s'", ql,
	         (double)end / 1e9, maxq, has_acc, ncookies, ndrops,
	         bin >= 1000000000 ? "s" : "ms",
	         from_file ? "queues.csv" : "SYN-RECEIVED in states.csv");
	return plot_draw(p, "queues.gp", "queues", plot_staged_tmp(p), vars);
oom:
	free(syn.v);
	free(acc.v);
	csv_tab_free(&st);
	fprintf(stderr, "synsim: out of memory\n");
	return 2;
}
