/*
 * ladderplot.c - ladder.png's data: where each arrow, cross, state name,
 * timer bracket and outage goes on the page plots/ladder.gp draws, and
 * every label placed where it covers no other label and no mark.  Called
 * by plot.c, which has read the run (plot_int.h).
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../tcp/tcp.h"
#include "plot_int.h"
#include "textbox.h"

/*
 * Label placement.  plots/ladder.gp fixes its margins, so the plot area
 * is exactly PAGE_W x PAGE_H pixels from (PAGE_X0, PAGE_Y0) of the
 * 1200x800 page, and textbox.c gives each label's size in it.  What a
 * label must not cover is claimed first: every cross, arrow head, arrow
 * start and state dot.  Then each label, in time order, takes the first
 * free place of a few near what it names; failing all, a shorter form of
 * it (the flags alone); failing that, none: the SVG's tooltip still has
 * it, and the picture says how many were left out.  ladder.dat records
 * the page (a "# page" line) so a test can check every box from the data.
 */
#define PAGE_X0 84.0		/* lmargin at screen 0.07 */
#define PAGE_Y0 104.0		/* tmargin at screen 0.87 */
#define PAGE_W 1098.0		/* to rmargin at screen 0.985 */
#define PAGE_H 636.0		/* to bmargin at screen 0.075 */
#define LABEL_PT 9.0		/* packet and band labels */
#define STATE_PT 10.0		/* state labels */
#define LINE_H 18.0		/* a label's box, 9 pt */
#define CROSS_PX 26.0		/* a lost packet's cross (pt 2 ps 2.5) */
#define HEAD_PX 16.0		/* an arrow's head, around its tip */
#define FOOT_PX 6.0		/* where an arrow leaves its axis */
#define DOT_PX 8.0		/* a state change's dot */
#define DUP_PX 7.0		/* between packets sent together */
#define MAX_DUPS 3		/* at most this many rows below the first */

struct box {
	double x0, x1, y0, y1;	/* pixels */
};

struct layout {
	struct box *b;
	int n, cap;
	double xlo, xhi, ylo, yhi;	/* the plot's ranges */
	int omitted;		/* labels with no free place */
};

static double
px_x(const struct layout *l, double x)
{
	return (x - l->xlo) / (l->xhi - l->xlo) * PAGE_W;
}

static double
px_y(const struct layout *l, double y)
{
	return (y - l->ylo) / (l->yhi - l->ylo) * PAGE_H;
}

/* The box of text at (x, y) in pt points: centred (align 0), right of x
 * (1) or left of it (-1). */
static struct box
text_box(const struct layout *l, double x, double y, const char *text,
         int align, double pt)
{
	double w = textbox_box_w(text, pt), px = px_x(l, x);
	double h = textbox_box_h(pt);
	double left = align == 0 ? px - w / 2 : align > 0 ? px : px - w;
	double py = px_y(l, y);
	return (struct box){ left, left + w, py - h / 2, py + h / 2 };
}

/* A square of side px pixels around (x, y). */
static struct box
mark_box(const struct layout *l, double x, double y, double px)
{
	double cx = px_x(l, x), cy = px_y(l, y);
	return (struct box){ cx - px / 2, cx + px / 2, cy - px / 2, cy + px / 2 };
}

static bool
boxes_meet(struct box a, struct box b)
{
	return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

/* b overlaps a claimed box, or leaves the plot area. */
static bool
overlaps(const struct layout *l, struct box b)
{
	if (b.x0 < 0 || b.x1 > PAGE_W || b.y0 < 0 || b.y1 > PAGE_H)
		return true;
	for (int i = 0; i < l->n; i++)
		if (boxes_meet(b, l->b[i]))
			return true;
	return false;
}

static void
claim(struct layout *l, struct box b)
{
	if (plot_grow(&l->b, l->n, &l->cap, sizeof *l->b) == 0)
		l->b[l->n++] = b;
}

/* The flags alone ("SYN+ACK" of "SYN+ACK 0/1 dropped by rule #1"): the
 * short form of a label with no room for all of it. */
static void
short_label(const char *label, char *buf, size_t len)
{
	snprintf(buf, len, "%.*s", (int)strcspn(label, " "), label);
}

/* A label along the segment (x0,y0)-(x1,y1): near its middle if free,
 * else further along it, else stacked above or below the middle; then
 * the same in its short form.  text becomes what was placed: all of it,
 * the short form, or "" (no room anywhere). */
static void
place_on(struct layout *l, double x0, double y0, double x1, double y1,
         char *text, size_t tlen, double *lx, double *ly)
{
	static const double along[] = { 0.5, 0.38, 0.62, 0.26, 0.74, 0.16, 0.84 };
	static const int stack[] = { 1, -1 };	/* further reads as another's */
	size_t na = sizeof along / sizeof along[0];
	size_t ns = sizeof stack / sizeof stack[0];
	double dy = LINE_H / PAGE_H * (l->yhi - l->ylo);
	for (int form = 0; form < 2; form++) {
		if (form == 1) {
			char s[LABEL_MAX];
			short_label(text, s, sizeof s);
			if (strcmp(s, text) == 0)
				break;
			snprintf(text, tlen, "%s", s);
		}
		for (size_t c = 0; c < na + ns; c++) {
			double f = c < na ? along[c] : 0.5;
			*lx = x0 + (x1 - x0) * f;
			*ly = y0 + (y1 - y0) * f + (c < na ? 0 : stack[c - na] * dy);
			struct box b = text_box(l, *lx, *ly, text, 0, LABEL_PT);
			if (!overlaps(l, b)) {
				claim(l, b);
				return;
			}
		}
	}
	text[0] = '\0';
	l->omitted++;
}

/* A label beside a point: right of it, left of it, then a row below or
 * above either way; else nothing (text becomes ""). */
static void
place_beside(struct layout *l, double x, double y, double gap_px, char *text,
             double *lx, double *ly, int *align, int first)
{
	static const int rows[] = { 0, 1, -1, 2, -2 };
	double dx = gap_px / PAGE_W * (l->xhi - l->xlo);
	double dy = LINE_H / PAGE_H * (l->yhi - l->ylo);
	for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++)
		for (int side = first; side == first || side == -first;
		     side = side == first ? -first : 2) {
			*lx = x + side * dx;
			*ly = y + rows[r] * dy;
			*align = side;
			struct box b = text_box(l, *lx, *ly, text, side, LABEL_PT);
			if (!overlaps(l, b)) {
				claim(l, b);
				return;
			}
		}
	text[0] = '\0';
	l->omitted++;
}

/* A state label on the ladder: one per change, or a chain
 * ("ESTABLISHED → FIN-WAIT-1") for a connection's changes too close
 * together to write apart. */
struct slabel {
	int row, col, side;
	int head;		/* bytes of the "#2 " before the states */
	double y, ly, last_y;
	simtime t;
	char text[LABEL_MAX * 3];
};

#define ELLIPSIS "\xe2\x80\xa6"	/* "…" */

/* Where the last k states of a chain begin (body itself if it has no
 * more than k). */
static char *
last_states(char *body, int k)
{
	size_t al = strlen(ARROW);
	for (char *q = body + strlen(body); q > body;) {
		q--;
		if (strncmp(q, ARROW, al) == 0 && --k == 0)
			return q + al;
	}
	return body;
}

/*
 * Shorten a chain "#2 A → B → C → D" to its last states, "#2 … → C → D":
 * at most MAX_CHAIN of them, and fewer while the text is wider than room
 * pixels.  The last state always stays: it is where the connection is.
 */
static void
shorten_chain(struct slabel *s, double room)
{
	static const char more[] = ELLIPSIS ARROW;
	char *body = s->text + s->head;
	bool cut = strncmp(body, more, strlen(more)) == 0;
	char *states = cut ? body + strlen(more) : body;
	int n = 1;
	for (char *q = states; (q = strstr(q, ARROW)) != NULL; q += strlen(ARROW))
		n++;
	int keep = n < MAX_CHAIN ? n : MAX_CHAIN;
	for (; keep > 1; keep--) {
		char t[sizeof s->text * 2 + 8];
		snprintf(t, sizeof t, "%.*s%s%s", s->head, s->text,
		         keep < n || cut ? more : "", last_states(states, keep));
		if (textbox_width(t, STATE_PT) <= room)
			break;
	}
	if (keep == n)
		return;
	char tail[sizeof s->text];
	snprintf(tail, sizeof tail, "%s", last_states(states, keep));
	snprintf(body, sizeof s->text - (size_t)s->head, "%s%s", more, tail);
}

static int
state_labels(const struct plot *p, const struct layout *l,
             struct slabel **out)
{
	int nc = p->cols.n, n = 0, cap = 0;
	struct slabel *v = NULL;
	/* Name the connection only on hosts that have several. */
	int *conns_on = calloc((size_t)nc + 1, sizeof *conns_on);
	bool *row_seen = calloc((size_t)p->rows.n + 1, sizeof *row_seen);
	if (conns_on == NULL || row_seen == NULL)
		goto oom;
	for (int i = 0; i < p->nchg; i++)
		if (!row_seen[p->chg[i].row]) {
			row_seen[p->chg[i].row] = true;
			conns_on[p->chg[i].col]++;
		}
	for (int i = 0; i < p->nchg; i++) {
		const struct change *c = &p->chg[i];
		if (c->t < p->from || c->t > p->to)
			continue;
		double y = plot_tmap_y(&p->map, c->t);
		struct slabel *prev = NULL;
		for (int j = n - 1; j >= 0 && !prev; j--)
			if (v[j].row == c->row)
				prev = &v[j];
		if (prev && px_y(l, y) - px_y(l, prev->last_y) <
		            textbox_box_h(STATE_PT)) {
			size_t k = strlen(prev->text);
			snprintf(prev->text + k, sizeof prev->text - k, ARROW "%s",
			         tcp_state_name(c->to));
			shorten_chain(prev, 1e9);
			prev->last_y = y;
			continue;
		}
		if (n >= MAX_STATE_LABELS)
			break;
		if (plot_grow(&v, n, &cap, sizeof *v) < 0)
			goto oom;
		struct slabel *s = &v[n++];
		*s = (struct slabel){ .row = c->row, .col = c->col, .t = c->t,
		                      .side = c->col == 0 ? -1 : 1, .y = y,
		                      .ly = y, .last_y = y };
		int k = 0;
		if (conns_on[c->col] > 1)
			k = snprintf(s->text, sizeof s->text, "%s ",
			             strchr(p->rows.v[c->row], '#'));
		s->head = k;
		snprintf(s->text + k, sizeof s->text - (size_t)k, "%s",
		         tcp_state_name(c->to));
	}
	free(conns_on);
	free(row_seen);
	*out = v;
	return n;
oom:
	free(conns_on);
	free(row_seen);
	free(v);
	return -plot_fail("out of memory");
}

/*
 * Room beyond the outer axes for what is written there: the state labels
 * of the first column (on its left) and of the last (on its right), and
 * the drops at the last.  An axis unit is PAGE_W / span pixels, and the
 * span grows with the room, so the room is found by a few rounds.
 */
int
ladderplot_fit_margins(struct plot *p)
{
	int last = p->cols.n - 1;
	struct layout l = { .xlo = -0.9, .xhi = last + 0.9, .ylo = p->ylo,
	                    .yhi = p->yhi };
	struct slabel *sl = NULL;
	int n = state_labels(p, &l, &sl);
	if (n < 0)
		return -n;
	double left = 0, right = 0;	/* pixels of text */
	for (int i = 0; i < n; i++) {
		double w = textbox_box_w(sl[i].text, STATE_PT);
		if (sl[i].side < 0 && w > left)
			left = w;
		else if (sl[i].side > 0 && sl[i].col == last && w > right)
			right = w;
	}
	free(sl);
	for (int i = 0; i < p->nhops; i++) {
		const struct hop *h = &p->hops[i];
		double w = textbox_box_w(h->label, LABEL_PT) + CROSS_PX;
		if (h->x0 == last && h->x1 == last && plot_in_window(p, h->t0, h->t1) &&
		    w > right)
			right = w;
	}
	/* Both sides together at most MARGINS_MAX of the page, shared in
	 * proportion to their text; write_ladder shortens the labels to fit.
	 * (Half the page each let the two take it all: the rounds below
	 * then ran away, to -26..32 for 7 columns.) */
	if (left + right > MARGINS_MAX * PAGE_W) {
		double k = MARGINS_MAX * PAGE_W / (left + right);
		left *= k;
		right *= k;
	}
	double el = 0.9, er = 0.9;
	for (int k = 0; k < 12; k++) {
		double unit = PAGE_W / (last + el + er);
		double nl = 0.06 + left / unit, nr = 0.06 + right / unit;
		el = nl > 0.9 ? nl : 0.9;
		er = nr > 0.9 ? nr : 0.9;
	}
	p->xlo = -el;
	p->xhi = last + er;
	return 0;
}

/* Per-connection colours, dark enough for text on white: blue, green,
 * purple, brown, teal, magenta, slate, olive. */
static const char *const conn_colour[] = {
	"#1f4e9c", "#2a7d3a", "#7b3294", "#8c510a", "#0e7c7c", "#b5179e",
	"#455a64", "#6b6b00",
};
#define NCOLOURS (int)(sizeof conn_colour / sizeof conn_colour[0])
#define NAVY "#000080"
#define ORANGE "#c85a00"
#define RED "#e00000"
#define GREY "#808080"

/* A hop as drawn. */
struct drawn {
	double x0, y0, x1, y1, lx, ly;
	const char *colour;
	char text[LABEL_MAX];
};

/* Colours for the connections drawn, in order of their first packet,
 * when there are several; their names and colours for the key. */
static void
pair_colours(struct plot *p, int *colour_of)
{
	for (int r = 0; r < p->nci; r++)
		colour_of[r] = -1;
	int n = 0;
	size_t nn = 0, nc = 0;
	p->pair_names[0] = p->pair_colours[0] = '\0';
	for (int i = 0; i < p->nhops; i++) {
		int c = p->hops[i].conn;
		if (c < 0 || colour_of[c] >= 0 || !plot_in_window(p, p->hops[i].t0,
		                                             p->hops[i].t1))
			continue;
		colour_of[c] = n % NCOLOURS;
		if (n < NCOLOURS && nn + 60 < sizeof p->pair_names) {
			/* "client #1" -> "client#1": one word for the key */
			const char *hash = strchr(p->rows.v[c], '#');
			char host[64];
			snprintf(host, sizeof host, "%.*s",
			         (int)(hash ? hash - p->rows.v[c] - 1 : 0),
			         p->rows.v[c]);
			nn += (size_t)snprintf(p->pair_names + nn,
			                       sizeof p->pair_names - nn, "%s%s%s",
			                       nn ? " " : "", host, hash ? hash : "");
			nc += (size_t)snprintf(p->pair_colours + nc,
			                       sizeof p->pair_colours - nc, "%s%s",
			                       nc ? " " : "", conn_colour[n]);
		}
		n++;
	}
	p->npairs = n;
}

#define MAX_BRACKETS 60
#define BRACKET_LANES 3

/* The timers the run shows, in the window: an RTO from a segment's
 * send to its retransmission (packets.csv marks those), TIME-WAIT from
 * entering it to CLOSED, a connect() given up (SYN-SENT to CLOSED). */
static int
find_brackets(const struct plot *p, struct bracket *b, int max)
{
	int n = 0;
	char d[48];
	for (int i = 0; i < p->nhops && n < max; i++) {
		const struct hop *h = &p->hops[i];
		if (!h->first || !h->rto || !plot_in_window(p, h->t0, h->t0))
			continue;
		const struct hop *prev = NULL;
		for (int j = 0; j < p->nhops; j++) {
			const struct hop *o = &p->hops[j];
			if (o->first && o->id.src == h->id.src &&
			    o->id.dst == h->id.dst && o->id.seq == h->id.seq &&
			    (o->id.fl & PF_SYN) == (h->id.fl & PF_SYN) &&
			    o->t0 < h->t0 && (prev == NULL || o->t0 > prev->t0))
				prev = o;
		}
		if (prev == NULL || !plot_in_window(p, prev->t0, prev->t0))
			continue;
		/* one bracket for segments sent again on the same timer */
		bool same = false;
		for (int k = 0; k < n && !same; k++)
			same = b[k].t0 == prev->t0 && b[k].t1 == h->t0 &&
			       b[k].col == h->x0;
		if (same)
			continue;
		plot_fmt_about(h->t0 - prev->t0, d, sizeof d);
		b[n] = (struct bracket){ .t0 = prev->t0, .t1 = h->t0, .col = h->x0 };
		snprintf(b[n++].label, sizeof b->label, "RTO %s", d);
	}
	for (int i = 0; i < p->nchg && n < max; i++) {
		const struct change *c = &p->chg[i];
		bool tw = c->to == TCP_TIME_WAIT;
		bool gaveup = c->from == TCP_SYN_SENT && c->to == TCP_CLOSED;
		if (!tw && !gaveup)
			continue;
		simtime t0 = c->t, t1 = p->to;
		if (tw) {
			for (int j = i + 1; j < p->nchg; j++)
				if (p->chg[j].row == c->row) {
					t1 = p->chg[j].t;
					break;
				}
		} else {
			t1 = c->t;
			for (int j = i - 1; j >= 0; j--)
				if (p->chg[j].row == c->row &&
				    p->chg[j].to == TCP_SYN_SENT) {
					t0 = p->chg[j].t;
					break;
				}
		}
		if (t1 <= t0 || !plot_in_window(p, t0, t1))
			continue;
		plot_fmt_about(t1 - t0, d, sizeof d);
		b[n] = (struct bracket){ .t0 = t0, .t1 = t1, .col = c->col };
		snprintf(b[n++].label, sizeof b->label, "%s %s",
		         tw ? "TIME-WAIT" : c->timeout ? "connect timeout" :
		         "connect gave up after", d);
	}
	return n;
}

/*
 * ladder.dat, six blocks (gnuplot `index`), each with at least one row
 * (a "none" row far out of range when there is nothing to draw: gnuplot
 * warns about an empty block and crashes drawing labels from one):
 *   0 host   x name
 *   1 tick   y label
 *   2 band   y0 y1 label
 *   3 arrow|lost|dropped  x0 y0 x1 y1 retx label_x label_y t0_ms t1_ms
 *                         label colour label_colour tip drawn
 *     (label: the packet's; drawn: what of it has room at label_x,y)
 *   4 mark|state  x y label_x label_y side t_ms label
 *                 (mark: a state change's dot; state: its label, left of
 *                 the axis for side -1)
 *   5 bandlabel  x y align label  (align -1: text left of x, 1: right
 *                 of it, 0: centred)
 *   6 bracket  x y0 y1 label_x label_y label   (a timer; label centred)
 *   7 outage   x0 x1 y0 y1 link   (a link's drops "link-down", first
 *                                  to last)
 * x is the column, y the drawn time axis (ms, with idle stretches cut).
 * A hop label is centred on its point, in a box; an empty one (" ") had
 * no free place.  Packets sent together between the same two nodes are
 * drawn DUP_PX apart, the later ones lower, so each shows.
 */
int
ladderplot_write(struct plot *p, int *ntotal)
{
	struct layout l = { .xlo = p->xlo, .xhi = p->xhi, .ylo = p->ylo,
	                    .yhi = p->yhi };
	struct slabel *sl = NULL;
	int nsl = state_labels(p, &l, &sl);
	if (nsl < 0)
		return -nsl;
	const struct tmap *m = &p->map;
	int nc = p->cols.n;
	struct drawn *d = calloc((size_t)p->nhops + 1, sizeof *d);
	int *colour_of = malloc(sizeof *colour_of * ((size_t)p->nci + 1));
	if (d == NULL || colour_of == NULL) {
		free(sl);
		free(d);
		free(colour_of);
		return plot_fail("out of memory");
	}
	pair_colours(p, colour_of);
	int shown = 0;
	for (int i = 0; i < p->nhops; i++)
		shown += plot_in_window(p, p->hops[i].t0, p->hops[i].t1);
	*ntotal = shown;
	bool labelled = shown <= MAX_LABELLED;

	/* Where each hop is drawn. */
	double row = DUP_PX / PAGE_H * (l.yhi - l.ylo);
	for (int i = 0; i < p->nhops; i++) {
		const struct hop *h = &p->hops[i];
		struct drawn *w = &d[i];
		if (!plot_in_window(p, h->t0, h->t1))
			continue;
		w->x0 = h->x0;
		w->x1 = h->x1;
		w->y0 = plot_tmap_y(m, h->t0);
		w->y1 = plot_tmap_y(m, h->t1);
		if (h->kind == HOP_LOST) {
			/* Lost on the wire: the cross halfway along the hop,
			 * at the drop time or, for a packet lost as it entered
			 * the link, where it would have been halfway across. */
			w->x1 = (w->x0 + w->x1) / 2;
			if (h->t1 <= h->t0)
				w->y1 = (w->y0 + plot_tmap_y(m, h->t0 + plot_lost_delay(p, h))) / 2;
		}
		/* Only a hop drawn within a row of one before, at both
		 * ends, would hide: a burst through a slower link fans out
		 * at its far end already. */
		int k = 0;
		double y0 = plot_tmap_y(m, h->t0), y1 = plot_tmap_y(m, h->t1);
		for (int j = 0; j < i; j++) {
			const struct hop *o = &p->hops[j];
			k += o->t0 == h->t0 && o->x0 == h->x0 && o->x1 == h->x1 &&
			     o->kind == h->kind && plot_in_window(p, o->t0, o->t1) &&
			     fabs(plot_tmap_y(m, o->t1) - y1) < row &&
			     fabs(plot_tmap_y(m, o->t0) - y0) < row;
		}
		k = k < MAX_DUPS ? k : MAX_DUPS;
		w->y0 += k * row;
		w->y1 += k * row;
		int pc = h->conn >= 0 ? colour_of[h->conn] : -1;
		w->colour = p->npairs > 1 ? (pc >= 0 ? conn_colour[pc] : GREY) :
		            h->retx ? ORANGE : NAVY;
		w->lx = w->ly = -1e9;
		snprintf(w->text, sizeof w->text, "%s", labelled ? h->label : "");
	}

	/* What no label may cover. */
	for (int i = 0; i < p->nhops; i++) {
		const struct hop *h = &p->hops[i];
		const struct drawn *w = &d[i];
		if (!plot_in_window(p, h->t0, h->t1))
			continue;
		if (h->kind != HOP_ARROW)
			claim(&l, mark_box(&l, w->x1, w->y1, CROSS_PX));
		else
			claim(&l, mark_box(&l, w->x1, w->y1, HEAD_PX));
		if (h->x0 != h->x1 || h->kind == HOP_ARROW)
			claim(&l, mark_box(&l, w->x0, w->y0, FOOT_PX));
	}
	for (int i = 0; i < p->nchg; i++)
		if (p->chg[i].t >= p->from && p->chg[i].t <= p->to)
			claim(&l, mark_box(&l, p->chg[i].col,
			                   plot_tmap_y(m, p->chg[i].t), DOT_PX));

	/* State labels: each next to its dot, or moved down past another
	 * label; a chain is cut to the room it has: the margin beside an
	 * outer column, else about the way to the next column. */
	double unit = PAGE_W / (l.xhi - l.xlo);
	/* the text starts clear of the arrow heads on the axis */
	double gap = (HEAD_PX / 2 + 3) / unit;
	double dy = LINE_H / PAGE_H * (l.yhi - l.ylo);
	for (int i = 0; i < nsl; i++) {
		struct slabel *s = &sl[i];
		double room = s->side < 0 ? s->col - gap - l.xlo :
		              s->col == nc - 1 ? l.xhi - s->col - gap : 0.9;
		shorten_chain(s, room * unit - 10);
		double x = s->col + gap * s->side;
		struct box b = text_box(&l, x, s->ly, s->text, s->side, STATE_PT);
		int k = 0;
		for (; k < 6 && overlaps(&l, b); k++) {
			s->ly += dy;
			b = text_box(&l, x, s->ly, s->text, s->side, STATE_PT);
		}
		if (overlaps(&l, b)) {
			s->text[0] = '\0';
			l.omitted++;
			continue;
		}
		claim(&l, b);
	}

	/* Timers: brackets beside their host's axis (outside the first
	 * column, right of the others), a few lanes deep, each labelled
	 * outward beside its middle. */
	struct bracket br[MAX_BRACKETS];
	double bx[MAX_BRACKETS], blx[MAX_BRACKETS], bly[MAX_BRACKETS];
	int nbr = find_brackets(p, br, MAX_BRACKETS);
	for (int i = 0; i < nbr; i++) {
		int side = br[i].col == 0 ? -1 : 1, lane = 0;
		double y0 = plot_tmap_y(m, br[i].t0), y1 = plot_tmap_y(m, br[i].t1);
		for (; lane < BRACKET_LANES; lane++) {
			double x = br[i].col + side * (5.0 + 7.0 * lane) / unit;
			bool free_lane = true;
			for (int j = 0; j < i; j++)
				if (fabs(bx[j] - x) < 1e-9 &&
				    plot_tmap_y(m, br[j].t0) <= y1 && y0 <= plot_tmap_y(m, br[j].t1))
					free_lane = false;
			if (free_lane)
				break;
		}
		bx[i] = lane < BRACKET_LANES ?
		        br[i].col + side * (5.0 + 7.0 * lane) / unit : -1e9;
		blx[i] = bly[i] = -1e9;
		if (bx[i] < -1e8)
			continue;
		int align;
		place_beside(&l, bx[i], (y0 + y1) / 2, 3, br[i].label, &blx[i],
		             &bly[i], &align, side);
		if (br[i].label[0])
			blx[i] += align * textbox_box_w(br[i].label, LABEL_PT) / 2 /
			          unit;
	}

	/* Packet labels, in time order. */
	for (int i = 0; i < p->nhops && labelled; i++) {
		const struct hop *h = &p->hops[i];
		struct drawn *w = &d[i];
		if (!plot_in_window(p, h->t0, h->t1))
			continue;
		if (h->x0 == h->x1) {	/* dropped where it was */
			int align;
			place_beside(&l, w->x1, w->y1, CROSS_PX / 2 + 2, w->text,
			             &w->lx, &w->ly, &align, 1);
			/* gnuplot centres it */
			if (w->text[0])
				w->lx += align * textbox_box_w(w->text, LABEL_PT) / 2 /
				         unit;
		} else if (h->kind == HOP_LOST) {
			/* Along its stub, else beside its cross, whole; only
			 * then the short form. */
			char whole[LABEL_MAX];
			snprintf(whole, sizeof whole, "%s", w->text);
			place_on(&l, w->x0, w->y0, w->x1, w->y1, w->text,
			         sizeof w->text, &w->lx, &w->ly);
			if (strcmp(whole, w->text) != 0) {
				bool got = w->text[0] != '\0';
				struct box kept = got ? l.b[--l.n] : (struct box){ 0 };
				double sx, sy;
				int align, before = l.omitted;
				place_beside(&l, w->x1, w->y1, CROSS_PX / 2 + 2, whole,
				             &sx, &sy, &align, 1);
				if (whole[0]) {
					l.omitted -= !got;
					snprintf(w->text, sizeof w->text, "%s", whole);
					w->lx = sx + align * textbox_box_w(whole, LABEL_PT) /
					        2 / unit;
					w->ly = sy;
				} else {
					l.omitted = before;
					if (got)
						claim(&l, kept);
				}
			}
		} else
			place_on(&l, w->x0, w->y0, w->x1, w->y1, w->text,
			         sizeof w->text, &w->lx, &w->ly);
	}

	FILE *f = plot_stage_open(p, "ladder.dat");
	if (f == NULL) {
		free(sl);
		free(d);
		free(colour_of);
		return 2;
	}
	plot_write_frame(f, "ladder diagram (plots/ladder.gp)", "host", &p->cols, nc,
	            'y', p, 0.025, LADDER_BAND_APART);
	/* For the reader and the tests: gnuplot gets the ranges on its
	 * command line; the plot area is fixed by plots/ladder.gp. */
	fprintf(f, "# xrange\t%.4f\t%.4f\n", p->xlo, p->xhi);
	fprintf(f, "# page\t%g\t%g\t%g\t%g\t%.6f\t%.6f\n", PAGE_X0, PAGE_Y0,
	        PAGE_W, PAGE_H, p->ylo, p->yhi);

	fputs("\n\n# block 3: kind x0 y0 x1 y1 retx label_x label_y t0_ms t1_ms "
	      "label colour label_colour tip drawn\n", f);
	static const char *const kinds[] = { "arrow", "lost", "dropped" };
	int written = 0;
	for (int i = 0; i < p->nhops; i++) {
		const struct hop *h = &p->hops[i];
		const struct drawn *w = &d[i];
		if (!plot_in_window(p, h->t0, h->t1))
			continue;
		char t0[48], t1[48];
		plot_fmt_ms(h->t0, t0, sizeof t0);
		plot_fmt_ms(h->t1, t1, sizeof t1);
		/* colours as numbers, which `lc rgb variable` takes */
		fprintf(f, "%s\t%g\t%.6f\t%g\t%.6f\t%d\t%.6f\t%.6f\t%s\t%s\t%s\t%ld"
		        "\t%ld\t%s\t%s\n", kinds[h->kind], w->x0, w->y0, w->x1,
		        w->y1, h->retx, w->lx, w->ly, t0, t1,
		        labelled ? h->label : " ",
		        strtol(w->colour + 1, NULL, 16),
		        strtol((h->kind == HOP_ARROW ? w->colour : RED) + 1, NULL, 16),
		        h->tip, w->text[0] ? w->text : " ");
		written++;
	}
	if (written == 0)
		fputs("none\t-1e9\t-1e9\t-1e9\t-1e9\t0\t-1e9\t-1e9\t-\t-\t-\t"
		      "128\t128\t-\t-\n", f);

	fputs("\n\n# block 4: kind x y label_x label_y side t_ms label\n", f);
	written = 0;
	for (int i = 0; i < p->nchg; i++) {
		const struct change *c = &p->chg[i];
		if (c->t < p->from || c->t > p->to)
			continue;
		char tm[48];
		plot_fmt_ms(c->t, tm, sizeof tm);
		fprintf(f, "mark\t%d\t%.6f\t-1e9\t-1e9\t0\t%s\t-\n", c->col,
		        plot_tmap_y(m, c->t), tm);
		written++;
	}
	for (int i = 0; i < nsl; i++) {
		const struct slabel *s = &sl[i];
		if (s->text[0] == '\0')
			continue;
		char tm[48];
		plot_fmt_ms(s->t, tm, sizeof tm);
		fprintf(f, "state\t%d\t%.6f\t%.6f\t%.6f\t%d\t%s\t%s\n", s->col, s->y,
		        s->col + gap * s->side, s->ly, s->side, tm, s->text);
	}
	if (written == 0)
		fputs("none\t-1e9\t-1e9\t-1e9\t-1e9\t0\t-\t-\n", f);

	/* Each band's label at the right edge, or where it covers no other
	 * label: the left edge, the middle; nowhere free, none. */
	fputs("\n\n# block 5: bandlabel x y align label\n", f);
	double last = -1e300;
	written = 0;
	double inset = 4.0 / unit;
	for (int i = 0; i + 1 < m->n; i++) {
		char lab[80];
		if (!m->cut[i] ||
		    *plot_band_label(p, i, LADDER_BAND_APART, &last, lab, sizeof lab) == ' ')
			continue;
		double y = (m->y[i] + m->y[i + 1]) / 2;
		const struct { double x; int align; } at[] = {
			{ l.xhi - inset, -1 }, { l.xlo + inset, 1 },
			{ (nc - 1) / 2.0, 0 },
		};
		int k = 0;
		while (k < 3 && overlaps(&l, text_box(&l, at[k].x, y, lab,
		                                      at[k].align, LABEL_PT)))
			k++;
		if (k == 3) {
			l.omitted++;
			continue;
		}
		claim(&l, text_box(&l, at[k].x, y, lab, at[k].align, LABEL_PT));
		fprintf(f, "bandlabel\t%.6f\t%.6f\t%d\t%s\n", at[k].x, y,
		        at[k].align, lab);
		written++;
	}
	if (written == 0)
		fputs("none\t-1e9\t-1e9\t0\t-\n", f);

	fputs("\n\n# block 6: bracket x y0 y1 label_x label_y label\n", f);
	written = 0;
	for (int i = 0; i < nbr; i++) {
		if (bx[i] < -1e8)
			continue;
		fprintf(f, "bracket\t%.6f\t%.6f\t%.6f\t%.6f\t%.6f\t%s\n", bx[i],
		        plot_tmap_y(m, br[i].t0), plot_tmap_y(m, br[i].t1), blx[i], bly[i],
		        br[i].label[0] ? br[i].label : " ");
		written++;
	}
	if (written == 0)
		fputs("none\t-1e9\t-1e9\t-1e9\t-1e9\t-1e9\t-\n", f);

	/* Outages: from a link's first drop "link-down" to its last,
	 * between its ends' axes, at least a few pixels tall. */
	fputs("\n\n# block 7: outage x0 x1 y0 y1 link\n", f);
	written = 0;
	double few = 4.0 / PAGE_H * (l.yhi - l.ylo);
	for (int i = 0; i < p->nout; i++) {
		const struct outage *o = &p->out[i];
		if (o->a < 0 || o->b < 0 || !plot_in_window(p, o->t0, o->t1))
			continue;
		double y0 = plot_tmap_y(m, o->t0), y1 = plot_tmap_y(m, o->t1);
		if (y1 - y0 < few)
			y1 = y0 + few;
		fprintf(f, "outage\t%d\t%d\t%.6f\t%.6f\t%s\n",
		        o->a < o->b ? o->a : o->b, o->a < o->b ? o->b : o->a, y0, y1,
		        o->link);
		written++;
	}
	if (written == 0)
		fputs("none\t-1e9\t-1e9\t-1e9\t-1e9\t-\n", f);
	if (l.omitted)
		plot_say(p, "ladder: %d label%s left out where %s would cover another "
		    "or a mark (the SVG shows every packet's fields on hover)\n",
		    l.omitted, l.omitted == 1 ? "" : "s",
		    l.omitted == 1 ? "it" : "they");
	p->omitted = l.omitted;
	free(sl);
	free(d);
	free(colour_of);
	free(l.b);
	return plot_stage_close(p);
}
