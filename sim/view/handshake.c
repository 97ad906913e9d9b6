/*
 * handshake.c - handshake.png's data: how long the active opens took,
 * as a histogram and a cumulative distribution.  Called by plot.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>

#include "../tcp/tcp.h"
#include "plot_int.h"

/*
 * Handshake times of the active opens: connect() (CLOSED -> SYN-SENT) to
 * ESTABLISHED.  handshake.dat, two blocks:
 *   0 bin  center_ms width_ms count
 *   1 cdf  ms fraction          (steps, from 0 to 1)
 * Returns the number of samples (negative: the exit status of an error).
 */
int
handshake_write(struct plot *p, char *stats, size_t slen)
{
	int nrows = p->rows.n, n = 0;
	simtime *opened = calloc((size_t)nrows + 1, sizeof *opened);
	simtime *s = calloc((size_t)nrows + 1, sizeof *s);
	bool *active = calloc((size_t)nrows + 1, sizeof *active);
	bool *done = calloc((size_t)nrows + 1, sizeof *done);
	int rc = 0;
	if (!opened || !s || !active || !done) {
		rc = -plot_fail("out of memory");
		goto out;
	}
	for (int i = 0; i < p->ntchg; i++) {
		const struct change *c = &p->tchg[i];
		if (c->from == TCP_CLOSED && c->to == TCP_SYN_SENT && !active[c->row]) {
			active[c->row] = true;
			opened[c->row] = c->t;
		} else if (c->to == TCP_ESTABLISHED && active[c->row] &&
		           !done[c->row]) {
			done[c->row] = true;
			s[n++] = c->t - opened[c->row];
		}
	}
	if (n < 2) {
		rc = n;
		goto out;
	}
	qsort(s, (size_t)n, sizeof *s, plot_cmp_simtime);
	simtime lo = s[0], hi = s[n - 1];
	/* About 15 bins over the spread; when every handshake took the same
	 * time, narrow bins (1% of it) and room around the one bar, so it
	 * reads as a spike at that time rather than a wall. */
	simtime w = plot_nice_step(hi > lo ? (hi - lo) / 15 : lo / 100);
	w = w > 1000 ? w : 1000;
	simtime room = hi > lo ? w : 5 * w;
	FILE *f = plot_stage_open(p, "handshake.dat");
	if (f == NULL) {
		rc = -2;
		goto out;
	}
	fputs("# handshake times written by synsim plot; see plots/handshake.gp\n"
	      "# block 0: bin center_ms width_ms count\n", f);
	int k = 0, maxcount = 0;
	simtime b = lo / w * w, xmin = b > room ? b - room : 0;
	for (; b <= hi; b += w) {
		int cnt = 0;
		while (k < n && s[k] < b + w)
			k++, cnt++;
		maxcount = cnt > maxcount ? cnt : maxcount;
		fprintf(f, "bin\t%.6f\t%.6f\t%d\n", plot_to_ms(b + w / 2), plot_to_ms(w), cnt);
	}
	fprintf(f, "# xrange\t%.6f\t%.6f\n", plot_to_ms(xmin), plot_to_ms(b + room));
	fputs("\n\n# block 1: cdf ms fraction\n", f);
	fprintf(f, "cdf\t%.6f\t0\n", plot_to_ms(s[0]));
	for (int i = 0; i < n; i++)
		if (i + 1 == n || s[i + 1] != s[i])
			fprintf(f, "cdf\t%.6f\t%.6f\n", plot_to_ms(s[i]),
			        (double)(i + 1) / n);
	char med[48], p95[48];
	plot_fmt_ms(s[(n - 1) / 2], med, sizeof med);
	plot_fmt_ms(s[(n * 95 + 99) / 100 - 1], p95, sizeof p95);
	snprintf(stats, slen, "stats='%d connections, median %s ms, p95 %s ms'; "
	         "maxcount=%d; xmin=%.6f; xmax=%.6f", n, med, p95, maxcount,
	         plot_to_ms(xmin), plot_to_ms(b + room));
	rc = plot_stage_close(p);
	rc = rc ? -rc : n;
out:
	free(opened);
	free(s);
	free(active);
	free(done);
	return rc;
}
