/*
 * states.c - states.png's data: a bar per connection and state on the
 * time axis plot.c built from every row shown.  Called by plot.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>

#include "../tcp/tcp.h"
#include "plot_int.h"
#include "textbox.h"

#define LABEL_PT 9.0		/* the brief states' names (plots/states.gp) */

/*
 * states.dat, five blocks:
 *   0 row   y name                       (y 0 is the top row)
 *   1 tick  x label
 *   2 band  x0 x1 label
 *   3 bar   y x0 x1 state t0_ms t1_ms label   (state: enum tcp_state + 1)
 *   4 brief x y label   (the names of brief bars side by side from x,
 *                        to be written above y, the top of their row's
 *                        bars; with few rows only)
 * A connection's last state lasts to the end of the window unless it is
 * CLOSED, which draws nothing.
 *
 * Every state a connection passes through shows, even one it left in the
 * same nanosecond (ESTABLISHED on the way to FIN-WAIT-1 when the FIN
 * goes out at once): a bar narrower than MIN_BAR_PX is drawn that wide,
 * after the others so that it stays on top, side by side with the brief
 * ones before it at the same place, and named above the row.  It covers
 * a few pixels of the next bar: time is exact to that much.
 */
#define STATES_W 900.0		/* states.png's plot area, pixels */
#define MIN_BAR_PX 6.0
#define BRIEF_ROWS 10		/* rows that leave room for brief names */

struct sbar {
	int row, state;
	double x0, x1;
	simtime t0, t1;
	bool brief;
};

int
states_write(struct plot *p, char *present, size_t plen)
{
	const struct tmap *m = &p->map;
	double span = plot_tmap_y(m, p->to) - plot_tmap_y(m, p->from);
	double minw = span * MIN_BAR_PX / STATES_W;
	int nrows = p->rows.n < MAX_ROWS ? p->rows.n : MAX_ROWS;
	struct sbar *bar = malloc(sizeof *bar * (size_t)(p->ntchg + 1));
	double *edge = malloc(sizeof *edge * (size_t)(nrows + 1));
	if (bar == NULL || edge == NULL) {
		free(bar);
		free(edge);
		return plot_fail("out of memory");
	}
	for (int r = 0; r < nrows; r++)
		edge[r] = -1e300;
	bool seen[TCP_NSTATES] = { false };
	int nbar = 0;
	for (int i = 0; i < p->ntchg; i++) {
		const struct change *c = &p->tchg[i];
		if (c->row >= nrows || c->to == TCP_CLOSED)
			continue;
		simtime end = p->to;
		for (int j = i + 1; j < p->ntchg; j++)
			if (p->tchg[j].row == c->row) {
				end = p->tchg[j].t;
				break;
			}
		simtime a = c->t > p->from ? c->t : p->from;
		simtime b = end < p->to ? end : p->to;
		if (a > b)
			continue;	/* outside the window */
		struct sbar *s = &bar[nbar++];
		*s = (struct sbar){ .row = c->row, .state = c->to, .t0 = c->t,
		                    .t1 = end, .x0 = plot_tmap_y(m, a),
		                    .x1 = plot_tmap_y(m, b) };
		if (s->x1 - s->x0 < minw) {
			s->brief = true;
			if (s->x0 < edge[c->row])
				s->x0 = edge[c->row];	/* beside the one before */
			s->x1 = edge[c->row] = s->x0 + minw;
		}
		seen[c->to] = true;
	}
	free(edge);

	FILE *f = plot_stage_open(p, "states.dat");
	if (f == NULL) {
		free(bar);
		return 2;
	}
	plot_write_frame(f, "state timeline (plots/states.gp)", "row", &p->rows,
	            nrows, 'x', p, 0.07, 0.09);
	fputs("\n\n# block 3: bar y x0 x1 state t0_ms t1_ms label\n", f);
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < nbar; i++) {
			const struct sbar *s = &bar[i];
			if (s->brief != (pass == 1))
				continue;
			const char *name = tcp_state_name(s->state);
			/* Name the bar when the name fits: about 150 characters
			 * across the plot at its font size. */
			bool fits = (s->x1 - s->x0) / span * 150 >=
			            (double)strlen(name) + 1;
			char t0[48], t1[48];
			plot_fmt_ms(s->t0, t0, sizeof t0);
			plot_fmt_ms(s->t1, t1, sizeof t1);
			fprintf(f, "bar\t%d\t%.6f\t%.6f\t%d\t%s\t%s\t%s\n", s->row,
			        s->x0, s->x1, s->state + 1, t0, t1, fits ? name : " ");
		}
	if (nbar == 0)
		fputs("none\t-1e9\t-1e9\t-1e9\t1\t-\t-\t-\n", f);

	/* The brief bars side by side in a row make one name, "ESTABLISHED
	 * → CLOSE-WAIT", left out where it would run into the one before
	 * it in the row. */
	fputs("\n\n# block 4: brief x y label\n", f);
	int written = 0;
	bool *named = calloc((size_t)nbar + 1, sizeof *named);
	double *lab_end = malloc(sizeof *lab_end * (size_t)(nrows + 1));
	if (named == NULL || lab_end == NULL) {
		free(named);
		free(lab_end);
		free(bar);
		return plot_fail("out of memory");
	}
	for (int r = 0; r < nrows; r++)
		lab_end[r] = -1e300;
	for (int i = 0; i < nbar && nrows <= BRIEF_ROWS; i++) {
		if (!bar[i].brief || named[i])
			continue;
		char text[LABEL_MAX * 3];
		int row = bar[i].row, k = i;
		int n = snprintf(text, sizeof text, "%s",
		                 tcp_state_name(bar[i].state));
		for (int j = i + 1; j < nbar; j++) {
			if (bar[j].row != row)
				continue;
			if (!bar[j].brief || bar[j].x0 != bar[k].x1)
				break;
			if (n > 0 && (size_t)n < sizeof text)
				n += snprintf(text + n, sizeof text - (size_t)n,
				              ARROW "%s", tcp_state_name(bar[j].state));
			named[j] = true;
			k = j;
		}
		if (bar[i].x0 < lab_end[row])
			continue;
		lab_end[row] = bar[i].x0 + (textbox_width(text, LABEL_PT) + 6) /
		               STATES_W * span;
		fprintf(f, "brief\t%.6f\t%.6f\t%s\n", bar[i].x0, row - 0.3, text);
		written++;
	}
	if (written == 0)
		fputs("none\t-1e9\t-1e9\t-\n", f);
	free(named);
	free(lab_end);

	size_t n = 0;
	present[0] = '\0';
	for (int st = 0; st < TCP_NSTATES && n < plen; st++)
		if (seen[st])
			n += (size_t)snprintf(present + n, plen - n, "%s%d",
			                      n ? " " : "", st + 1);
	free(bar);
	return plot_stage_close(p);
}
