/*
 * ladder.c - the sequence diagram of a finished run in plain text, for a
 * terminal or a class: one column per end host, time going down, one line
 * per event.  Called by `synsim ladder`, `synsim run --ladder` and, for
 * its event stream and narrow drawings, by diff.c.
 *
 * A packet takes two lines, since it leaves and arrives at different
 * times: at its send time an arrow leaves the sender and stops half-way;
 * at its arrival time the second half reaches the receiver's column.
 * When the two lines follow each other they read as one slanted arrow;
 * when other events come between, the repeated label pairs them up.
 * A packet dropped on its way is drawn to the middle and ends in ✕ with
 * the reason; one a host discards on arrival ends in ✕ at that host.
 * Routers have no column: their forwarding rows are not drawn.
 */
#define _POSIX_C_SOURCE 200809L
#include "ladder.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../core/simtime.h"
#include "../tcp/tcp.h"
#include "../view/jsoncheck.h"
#include "hostsel.h"

#define TIME_W 12		/* "   0.050048s" */
#define GAP 2
#define MARGIN 6		/* half a state name beside the outer columns */
#define MAX_WIDTH 400
#define CELL 4			/* bytes of the widest glyph */
#define MIN_NOTE 10		/* cells a cut note needs to be worth showing */
#define OTHERS "(others)"	/* addresses that are no host of the run */

/* ---------------------------------------------------------------- */
/* Loading and merging                                              */
/* ---------------------------------------------------------------- */

static int
need_col(const struct csvtab *t, const char *name, const char *path, int *col,
         char *err, size_t errlen)
{
	*col = csv_col(t, name);
	if (*col >= 0)
		return 0;
	snprintf(err, errlen, "%s: no column '%s' (not written by synsim?)",
	         path, name);
	return -1;
}

static int
parse_times(const struct csvtab *t, int col, int64_t **out, const char *path,
            char *err, size_t errlen)
{
	int n = t->nrows > 1 ? t->nrows - 1 : 0;
	int64_t *v = malloc(sizeof *v * (size_t)(n ? n : 1));
	if (v == NULL) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		const char *s = t->rows[i + 1][col];
		char *end;
		errno = 0;
		long long x = strtoll(s, &end, 10);
		if (*s == '\0' || *end || errno || x < 0 ||
		    (i > 0 && x < v[i - 1])) {
			snprintf(err, errlen, "%s: line %d: bad or out-of-order "
			         "t_ns '%s'", path, i + 2, s);
			free(v);
			return -1;
		}
		v[i] = x;
	}
	*out = v;
	return 0;
}

/* Every value of column col (if the file has it; name for messages) is
 * a whole number, or one of TCP's state names with states set. */
static int
check_column(const struct csvtab *t, const char *name, bool states,
             const char *path, char *err, size_t errlen)
{
	int col = csv_col(t, name);
	for (int r = 1; col >= 0 && r < t->nrows; r++) {
		const char *s = t->rows[r][col];
		bool ok = false;
		if (states) {
			for (int k = 0; k < TCP_NSTATES && !ok; k++)
				ok = strcmp(s, tcp_state_name(k)) == 0;
		} else {
			char *end;
			errno = 0;
			unsigned long long v = strtoull(s, &end, 10);
			ok = *s >= '0' && *s <= '9' && *end == '\0' && errno == 0 &&
			     v <= INT64_MAX;
		}
		if (!ok) {
			snprintf(err, errlen, "%s row %d: bad %s '%.40s'", path, r,
			         name, s);
			return -1;
		}
	}
	return 0;
}

/* Where state row j goes: before packet row index pos (0-based data
 * rows), by the rule in ladder.h. */
static int
state_pos(const struct ladder_run *r, const int64_t *pt, int np, int64_t t,
          const char *host)
{
	int lo = 0, hi = np;
	while (lo < hi) {	/* first packet row with time >= t */
		int m = lo + (hi - lo) / 2;
		if (pt[m] < t)
			lo = m + 1;
		else
			hi = m;
	}
	int end = lo;
	while (end < np && pt[end] == t)
		end++;
	int last_recv = -1, first_send = -1;
	for (int i = lo; i < end; i++) {
		char **row = r->pkts.rows[i + 1];
		if (strcmp(row[r->pc.at], host) != 0)
			continue;
		if (strcmp(row[r->pc.event], "recv") == 0)
			last_recv = i;
		else if (first_send < 0 && strcmp(row[r->pc.event], "send") == 0)
			first_send = i;
	}
	if (last_recv >= 0)
		return last_recv + 1;
	if (first_send >= 0)
		return first_send;
	return end;
}

/* Index of the first packet row whose event_no exceeds that of states
 * row j: both files number their rows from one counter, so this is
 * where the state change happened among the packets. */
static int
state_pos_exact(const struct ladder_run *r, int pcol, int scol, int j)
{
	long long want = atoll(r->states.rows[j + 1][scol]);
	int lo = 0, hi = r->pkts.nrows - 1;
	while (lo < hi) {
		int m = lo + (hi - lo) / 2;
		if (atoll(r->pkts.rows[m + 1][pcol]) < want)
			lo = m + 1;
		else
			hi = m;
	}
	return lo;
}

static int
merge(struct ladder_run *r, const int64_t *pt, const int64_t *st)
{
	int np = r->pkts.nrows - 1, ns = r->states.nrows - 1;
	int *pos = malloc(sizeof *pos * (size_t)(ns ? ns : 1));
	r->ev = malloc(sizeof *r->ev * (size_t)(np + ns ? np + ns : 1));
	if (pos == NULL || r->ev == NULL) {
		free(pos);
		return -1;
	}
	/* Files from this version carry event_no and merge exactly; older
	 * or hand-made ones fall back to the rule in ladder.h. */
	int pcol = csv_col(&r->pkts, "event_no");
	int scol = csv_col(&r->states, "event_no");
	for (int j = 0, prev = 0; j < ns; j++) {
		const char *host = r->states.rows[j + 1][r->sc.host];
		int p = pcol >= 0 && scol >= 0 ? state_pos_exact(r, pcol, scol, j)
		        : state_pos(r, pt, np, st[j], host);
		pos[j] = prev = p < prev ? prev : p;
	}
	int j = 0;
	for (int i = 0; i <= np; i++) {
		for (; j < ns && pos[j] <= i; j++)
			r->ev[r->nev++] = (struct ladder_event){ LADDER_STATE,
			                                         j + 1, st[j] };
		if (i < np)
			r->ev[r->nev++] = (struct ladder_event){ LADDER_PKT,
			                                         i + 1, pt[i] };
	}
	free(pos);
	return 0;
}

int
ladder_load(struct ladder_run *r, const char *dir, char *err, size_t errlen)
{
	*r = (struct ladder_run){ 0 };
	size_t plen = strlen(dir) + 16;
	char *pp = malloc(plen), *sp = malloc(plen);
	int64_t *pt = NULL, *st = NULL;
	int rc = -1;
	if (pp == NULL || sp == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	struct stat sb;
	int bad = stat(dir, &sb) < 0 ? errno : S_ISDIR(sb.st_mode) ? 0 : ENOTDIR;
	if (bad) {
		snprintf(err, errlen, "cannot open run folder %s: %s", dir,
		         strerror(bad));
		goto out;
	}
	if (json_check_summary(dir, 0, err, errlen) < 0)
		goto out;
	snprintf(pp, plen, "%s/packets.csv", dir);
	snprintf(sp, plen, "%s/states.csv", dir);
	if (csv_read(pp, &r->pkts) < 0) {
		csv_error(pp, &r->pkts, err, errlen);
		goto out;
	}
	if (csv_read(sp, &r->states) < 0) {
		csv_error(sp, &r->states, err, errlen);
		goto out;
	}
	struct ladder_pcols *pc = &r->pc;
	struct ladder_scols *sc = &r->sc;
	const struct csvtab *P = &r->pkts, *S = &r->states;
	if (need_col(P, "t_ns", pp, &pc->t, err, errlen) ||
	    need_col(P, "pkt_id", pp, &pc->id, err, errlen) ||
	    need_col(P, "at", pp, &pc->at, err, errlen) ||
	    need_col(P, "from", pp, &pc->from, err, errlen) ||
	    need_col(P, "to", pp, &pc->to, err, errlen) ||
	    need_col(P, "event", pp, &pc->event, err, errlen) ||
	    need_col(P, "flags", pp, &pc->flags, err, errlen) ||
	    need_col(P, "seq", pp, &pc->seq, err, errlen) ||
	    need_col(P, "ack", pp, &pc->ack, err, errlen) ||
	    need_col(P, "rel_seq", pp, &pc->rel_seq, err, errlen) ||
	    need_col(P, "rel_ack", pp, &pc->rel_ack, err, errlen) ||
	    need_col(P, "len", pp, &pc->len, err, errlen) ||
	    need_col(P, "reason", pp, &pc->reason, err, errlen) ||
	    need_col(P, "dup_of", pp, &pc->dup_of, err, errlen) ||
	    need_col(S, "t_ns", sp, &sc->t, err, errlen) ||
	    need_col(S, "host", sp, &sc->host, err, errlen) ||
	    need_col(S, "conn", sp, &sc->conn, err, errlen) ||
	    need_col(S, "from_state", sp, &sc->from_state, err, errlen) ||
	    need_col(S, "to_state", sp, &sc->to_state, err, errlen) ||
	    need_col(S, "cause", sp, &sc->cause, err, errlen))
		goto out;
	sc->peer = csv_col(S, "peer");
	if (check_column(P, "pkt_id", false, pp, err, errlen) < 0 ||
	    check_column(P, "event_no", false, pp, err, errlen) < 0 ||
	    check_column(S, "event_no", false, sp, err, errlen) < 0 ||
	    check_column(S, "from_state", true, sp, err, errlen) < 0 ||
	    check_column(S, "to_state", true, sp, err, errlen) < 0)
		goto out;
	if (parse_times(P, pc->t, &pt, pp, err, errlen) < 0 ||
	    parse_times(S, sc->t, &st, sp, err, errlen) < 0)
		goto out;
	/* A state change has a host to draw it on: its column is found by
	 * name, and an empty name finds none. */
	for (int j = 1; j < S->nrows; j++)
		if (S->rows[j][sc->host][0] == '\0') {
			snprintf(err, errlen, "%s row %d: empty host", sp, j);
			goto out;
		}
	if (merge(r, pt, st) < 0) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	rc = 0;
out:
	if (rc < 0)
		ladder_run_free(r);
	free(pt);
	free(st);
	free(pp);
	free(sp);
	return rc;
}

void
ladder_run_free(struct ladder_run *r)
{
	csv_tab_free(&r->pkts);
	csv_tab_free(&r->states);
	free(r->ev);
	*r = (struct ladder_run){ 0 };
}

/* ---------------------------------------------------------------- */
/* Words                                                            */
/* ---------------------------------------------------------------- */

static const char *
pf(const struct ladder_run *r, const struct ladder_event *e, int col)
{
	return r->pkts.rows[e->row][col];
}

static const char *
sf(const struct ladder_run *r, const struct ladder_event *e, int col)
{
	return r->states.rows[e->row][col];
}

void
ladder_select(struct ladder_run *r, struct hostsel *h)
{
	int n = 0;
	for (int i = 0; i < r->nev; i++) {
		const struct ladder_event *e = &r->ev[i];
		if (e->kind == LADDER_PKT)
			hostsel_note(h, pf(r, e, r->pc.at));
		bool keep = e->kind == LADDER_PKT ?
		        hostsel_packet(h, pf(r, e, r->pc.from), pf(r, e, r->pc.to)) :
		        hostsel_conn(h, sf(r, e, r->sc.host),
		                     r->sc.peer >= 0 ? sf(r, e, r->sc.peer) : NULL);
		if (keep)
			r->ev[n++] = *e;
	}
	r->nev = n;
}

/* "SYN+ACK 0 ack 1", "PSH+ACK 1 ack 1 len 100": relative numbers when
 * the file has them, as the narration shows them. */
static void
pkt_label(const struct ladder_run *r, const struct ladder_event *e, char *buf,
          size_t len)
{
	const char *seq = pf(r, e, r->pc.rel_seq);
	const char *ack = pf(r, e, r->pc.rel_ack);
	const char *n = pf(r, e, r->pc.len);
	if (*seq == '\0')
		seq = pf(r, e, r->pc.seq);
	if (*ack == '\0')
		ack = pf(r, e, r->pc.ack);
	snprintf(buf, len, "%s%s%s%s%s%s%s", pf(r, e, r->pc.flags),
	         *seq ? " " : "", seq,
	         *ack ? " ack " : "", ack,
	         *n && strcmp(n, "0") ? " len " : "", strcmp(n, "0") ? n : "");
}

void
ladder_describe(const struct ladder_run *r, int i, bool ascii, char *buf,
                size_t len)
{
	const struct ladder_event *e = &r->ev[i];
	const char *arrow = ascii ? "->" : "→";
	if (e->kind == LADDER_STATE) {
		const char *cause = sf(r, e, r->sc.cause);
		snprintf(buf, len, "%s #%s %s %s %s%s%s%s", sf(r, e, r->sc.host),
		         sf(r, e, r->sc.conn), sf(r, e, r->sc.from_state), arrow,
		         sf(r, e, r->sc.to_state), *cause ? " (" : "", cause,
		         *cause ? ")" : "");
		return;
	}
	char label[128];
	const char *reason = pf(r, e, r->pc.reason);
	pkt_label(r, e, label, sizeof label);
	snprintf(buf, len, "%s %s %s%s%s at %s%s%s%s", pf(r, e, r->pc.event),
	         label, pf(r, e, r->pc.from), arrow, pf(r, e, r->pc.to),
	         pf(r, e, r->pc.at), *reason ? " (" : "", reason,
	         *reason ? ")" : "");
}

/* ---------------------------------------------------------------- */
/* Columns                                                          */
/* ---------------------------------------------------------------- */

struct idcol {
	uint64_t id;
	int col;
};

struct layout {
	const char **name;	/* host names, then OTHERS if needed */
	int *x;			/* bar position of each column */
	int n, others;		/* others: index of OTHERS, or -1 */
	int diag;		/* cells right of the time field */
	struct idcol *sender;	/* pkt_id -> column of its send, by id */
	int nsender;
	bool multi_conn;	/* some host has more than one connection */
};

/* A dotted address: what csv.c writes for an address no node owns. */
static bool
is_addr(const char *s)
{
	if (*s == '\0')
		return true;
	for (; *s; s++)
		if ((*s < '0' || *s > '9') && *s != '.')
			return false;
	return true;
}

static int
find_host(const struct layout *L, const char *name)
{
	for (int i = 0; i < L->n; i++)
		if (i != L->others && strcmp(L->name[i], name) == 0)
			return i;
	return -1;
}

/* A column for name unless it has one.  A packet's address that looks
 * dotted gets none (it goes to OTHERS); a states.csv host always does:
 * only hosts change state, and a host may be named "10" or "10.0.0.1". */
static int
add_host(struct layout *L, const char *name, bool host, int *cap)
{
	if ((!host && is_addr(name)) || find_host(L, name) >= 0)
		return 0;
	if (L->n == *cap) {
		*cap = *cap ? 2 * *cap : 8;
		const char **v = realloc(L->name, sizeof *v * (size_t)*cap);
		if (v == NULL)
			return -1;
		L->name = v;
	}
	L->name[L->n++] = name;
	return 0;
}

static int
by_id(const void *a, const void *b)
{
	const struct idcol *x = a, *y = b;
	return x->id < y->id ? -1 : x->id > y->id;
}

static uint64_t
id_of(const char *s)
{
	return strtoull(s, NULL, 10);
}

static int
sender_col(const struct layout *L, uint64_t id)
{
	struct idcol key = { id, 0 };
	const struct idcol *f = L->nsender ?
		bsearch(&key, L->sender, (size_t)L->nsender, sizeof key, by_id) :
		NULL;
	return f ? f->col : -1;
}

static int
name_col(const struct layout *L, const char *name)
{
	int c = find_host(L, name);
	return c >= 0 ? c : L->others;
}

static int
src_col(const struct ladder_run *r, const struct layout *L,
        const struct ladder_event *e)
{
	int c = sender_col(L, id_of(pf(r, e, r->pc.id)));
	if (c < 0 && *pf(r, e, r->pc.dup_of))
		c = sender_col(L, id_of(pf(r, e, r->pc.dup_of)));
	return c >= 0 ? c : name_col(L, pf(r, e, r->pc.from));
}

/* An address drawn in the OTHERS column: dotted and no host's name. */
static bool
is_other(const struct layout *L, const char *s)
{
	return is_addr(s) && find_host(L, s) < 0;
}

static int
layout_make(const struct ladder_run *r, int width, struct layout *L)
{
	*L = (struct layout){ .others = -1 };
	int cap = 0;
	for (int i = 0; i < r->nev; i++) {
		const struct ladder_event *e = &r->ev[i];
		if (e->kind == LADDER_STATE) {
			const char *h = sf(r, e, r->sc.host);
			if (add_host(L, h, true, &cap) < 0)
				return -1;
			if (strcmp(sf(r, e, r->sc.conn), "1") != 0)
				L->multi_conn = true;
			continue;
		}
		const char *ev = pf(r, e, r->pc.event);
		const char *from = pf(r, e, r->pc.from), *to = pf(r, e, r->pc.to);
		bool send = strcmp(ev, "send") == 0;
		if (!send && strcmp(ev, "recv") != 0)
			continue;
		/* A sender first, then the peer it addresses. */
		if (add_host(L, send ? pf(r, e, r->pc.at) : from, false, &cap) < 0 ||
		    add_host(L, send ? to : pf(r, e, r->pc.at), false, &cap) < 0)
			return -1;
	}
	/* Once every host has its column: a later state row may name a
	 * host an earlier packet's address looked like. */
	bool need_others = false;
	for (int i = 0; i < r->nev && !need_others; i++) {
		const struct ladder_event *e = &r->ev[i];
		need_others = e->kind == LADDER_PKT &&
		              (is_other(L, pf(r, e, r->pc.to)) ||
		               is_other(L, pf(r, e, r->pc.from)));
	}
	if (need_others) {
		/* add_host refuses addresses, so the catch-all goes by hand. */
		if (L->n == cap) {
			const char **v = realloc(L->name, sizeof *v * (size_t)(cap + 1));
			if (v == NULL)
				return -1;
			L->name = v;
		}
		L->others = L->n;
		L->name[L->n++] = OTHERS;
	}
	L->diag = width - TIME_W - GAP;
	L->x = malloc(sizeof *L->x * (size_t)(L->n ? L->n : 1));
	L->sender = malloc(sizeof *L->sender * (size_t)(r->nev ? r->nev : 1));
	if (L->x == NULL || L->sender == NULL)
		return -1;
	for (int i = 0; i < L->n; i++)
		L->x[i] = L->n == 1 ? MARGIN :
		          MARGIN + i * (L->diag - 1 - 2 * MARGIN) / (L->n - 1);
	for (int i = 0; i < r->nev; i++) {
		const struct ladder_event *e = &r->ev[i];
		if (e->kind == LADDER_PKT &&
		    strcmp(pf(r, e, r->pc.event), "send") == 0)
			L->sender[L->nsender++] = (struct idcol){
				id_of(pf(r, e, r->pc.id)),
				name_col(L, pf(r, e, r->pc.at)) };
	}
	/* Ids are unique per send; qsort on the id alone is deterministic. */
	if (L->nsender)
		qsort(L->sender, (size_t)L->nsender, sizeof *L->sender, by_id);
	return 0;
}

static void
layout_free(struct layout *L)
{
	free(L->name);
	free(L->x);
	free(L->sender);
}

/* ---------------------------------------------------------------- */
/* Drawing                                                          */
/* ---------------------------------------------------------------- */

struct glyphs {
	const char *bar, *h, *cross, *tail_r, *tail_l, *head_r, *head_l, *drop,
	    *dup, *ell;
};

static const struct glyphs utf8_glyphs = {
	"│", "─", "┼", "├", "┤", "▶", "◀", "✕", "+", "…",
};
static const struct glyphs ascii_glyphs = {
	"|", "-", "+", "|", "|", ">", "<", "X", "+", "...",
};

struct canvas {
	const struct layout *L;
	const struct glyphs *g;
	char cell[MAX_WIDTH][CELL + 1];
};

int
ladder_cells(const char *s)
{
	int n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

/* Bytes of the UTF-8 character at s (1 for anything malformed). */
static int
char_len(const char *s)
{
	unsigned char c = (unsigned char)*s;
	int n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
	for (int i = 1; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			return 1;
	return n;
}

static void
put(struct canvas *cv, int x, const char *glyph)
{
	if (x < 0 || x >= cv->L->diag)
		return;
	snprintf(cv->cell[x], sizeof cv->cell[x], "%s", glyph);
}

/* s, cut to at most max cells: "retransmission (RTO 1s e…". */
static void
fit(const struct canvas *cv, const char *s, int max, char *buf, size_t len)
{
	buf[0] = '\0';
	if (max <= 0)
		return;
	if (ladder_cells(s) <= max) {
		snprintf(buf, len, "%s", s);
		return;
	}
	int keep = max - ladder_cells(cv->g->ell);
	size_t o = 0;
	for (int c = 0; c < keep && *s; c++) {
		int n = char_len(s);
		if (o + (size_t)n + 1 >= len)
			break;
		memcpy(buf + o, s, (size_t)n);
		o += (size_t)n;
		s += n;
	}
	if (keep > 0)
		snprintf(buf + o, len - o, "%s", cv->g->ell);
	else
		buf[o] = '\0';
}

/* Write s one character per cell from x on. */
static void
text(struct canvas *cv, int x, const char *s)
{
	while (*s) {
		int n = char_len(s);
		char ch[CELL + 1];
		memcpy(ch, s, (size_t)n);
		ch[n] = '\0';
		put(cv, x++, ch);
		s += n;
	}
}

/* s fitted into cells [a, b], against a (left) or b (right). */
static void
text_in(struct canvas *cv, int a, int b, const char *s, bool right)
{
	char buf[512];
	int room = b - a + 1, w = ladder_cells(s);
	/* A note cut to a few letters says nothing: leave it out. */
	if (*s == '\0' || room < (w < MIN_NOTE ? w : MIN_NOTE))
		return;
	fit(cv, s, room, buf, sizeof buf);
	text(cv, right ? b - ladder_cells(buf) + 1 : a, buf);
}

/* s fitted into [a, b] and centred there. */
static void
text_mid(struct canvas *cv, int a, int b, const char *s)
{
	char buf[512];
	if (b < a)
		return;
	fit(cv, s, b - a + 1, buf, sizeof buf);
	text(cv, a + (b - a + 1 - ladder_cells(buf)) / 2, buf);
}

static bool
is_bar(const struct canvas *cv, int x)
{
	for (int i = 0; i < cv->L->n; i++)
		if (cv->L->x[i] == x)
			return true;
	return false;
}

/* A labelled horizontal line over cells [a, b] (either order). */
static void
arrow_body(struct canvas *cv, int a, int b, const char *label)
{
	int lo = a < b ? a : b, hi = a < b ? b : a;
	for (int x = lo; x <= hi; x++)
		put(cv, x, is_bar(cv, x) ? cv->g->cross : cv->g->h);
	text_mid(cv, lo + 1, hi - 1, label);
}

static void
blank(struct canvas *cv)
{
	for (int x = 0; x < cv->L->diag; x++)
		snprintf(cv->cell[x], sizeof cv->cell[x], " ");
	for (int i = 0; i < cv->L->n; i++)
		put(cv, cv->L->x[i], cv->g->bar);
}

static int
iabs(int v)
{
	return v < 0 ? -v : v;
}

/* Cells an arrow needs for its label: two of line either side. */
static int
need(const char *label)
{
	return ladder_cells(label) + 4;
}

/* The first half: from the sender's column to the middle (further when
 * the label needs it), the note in the space left before the receiver. */
static void
draw_leave(struct canvas *cv, int xs, int xd, const char *label,
           const char *note)
{
	int dir = xd > xs ? 1 : -1, span = iabs(xd - xs);
	int len = span / 2;
	if (len < need(label))
		len = need(label) < span - 2 ? need(label) : span - 2;
	int end = xs + dir * len;
	arrow_body(cv, xs + dir, end, label);
	put(cv, xs, dir > 0 ? cv->g->tail_r : cv->g->tail_l);
	if (dir > 0)
		text_in(cv, end + 2, xd - 2, note, false);
	else
		text_in(cv, xd + 2, end - 2, note, true);
}

/* The second half: from the middle to the receiver's column, ending in
 * mark (the arrow head, or ✕ for a packet the host discarded). */
static void
draw_arrive(struct canvas *cv, int xs, int xd, const char *label,
            const char *mark, const char *note)
{
	int dir = xd > xs ? 1 : -1, span = iabs(xd - xs);
	int len = span - span / 2;
	if (len < need(label))
		len = need(label) < span - 2 ? need(label) : span - 2;
	int start = xd - dir * len;
	arrow_body(cv, start, xd - 2 * dir, label);
	put(cv, xd - dir, mark);
	if (dir > 0)
		text_in(cv, xs + 2, start - 2, note, true);
	else
		text_in(cv, start + 2, xs - 2, note, false);
}

/* A mark in the middle (✕ drop, + duplicate) with the arrow coming to it
 * from the sender's column (whole) or from nearer (a stub). */
static void
draw_middle(struct canvas *cv, int xs, int xd, const char *label,
            const char *mark, const char *note, bool whole)
{
	int dir = xd > xs ? 1 : -1, span = iabs(xd - xs);
	int mid = xs + dir * (span / 2);
	int start = xs + dir;
	if (!whole && iabs(mid - xs) > need(label) + 1)
		start = mid - dir * need(label);
	if (iabs(mid - start) >= 1)
		arrow_body(cv, start, mid - dir, label);
	if (whole)
		put(cv, xs, dir > 0 ? cv->g->tail_r : cv->g->tail_l);
	put(cv, mid, mark);
	if (dir > 0)
		text_in(cv, mid + 2, xd - 2, note, false);
	else
		text_in(cv, xd + 2, mid - 2, note, true);
}

/* A packet whose two ends share a column (an address of "(others)" to
 * another, or a host to itself): words beside the column. */
static void
draw_self(struct canvas *cv, int x, const char *what)
{
	text_in(cv, x + 2, cv->L->diag - 1, what, false);
}

static void
draw_state(struct canvas *cv, const struct ladder_run *r,
           const struct ladder_event *e, int col)
{
	const struct layout *L = cv->L;
	char label[96], cause[160];
	if (col < 0)	/* ladder_load refuses a row that has no column */
		return;
	int x = L->x[col];
	if (L->multi_conn)
		snprintf(label, sizeof label, "#%s %s", sf(r, e, r->sc.conn),
		         sf(r, e, r->sc.to_state));
	else
		snprintf(label, sizeof label, "%s", sf(r, e, r->sc.to_state));
	int w = ladder_cells(label);
	int start = x - w / 2;
	if (start + w > L->diag)
		start = L->diag - w;
	if (start < 0)
		start = 0;
	text(cv, start, label);
	snprintf(cause, sizeof cause, "(%s)", sf(r, e, r->sc.cause));
	if (sf(r, e, r->sc.cause)[0] == '\0')
		return;
	if (col + 1 < L->n)
		text_in(cv, start + w + 2, L->x[col + 1] - 2, cause, false);
	else if (col > 0)
		text_in(cv, L->x[col - 1] + 2, start - 3, cause, true);
	else
		text_in(cv, start + w + 2, L->diag - 1, cause, false);
}

struct drawing {
	struct ladder *out;
	int cap;
};

static int
emit(struct drawing *d, const struct canvas *cv, const char *time, int first,
     int count)
{
	if (d->out->n == d->cap) {
		d->cap = d->cap ? 2 * d->cap : 64;
		struct ladder_line *v = realloc(d->out->line,
		                                sizeof *v * (size_t)d->cap);
		if (v == NULL)
			return -1;
		d->out->line = v;
	}
	size_t cap = TIME_W + GAP + (size_t)cv->L->diag * CELL + 1;
	char *s = malloc(cap);
	if (s == NULL)
		return -1;
	size_t o = (size_t)snprintf(s, cap, "%*s%*s", TIME_W, time, GAP, "");
	size_t keep = *time ? o : 0;
	for (int x = 0; x < cv->L->diag; x++) {
		size_t n = strlen(cv->cell[x]);
		memcpy(s + o, cv->cell[x], n);
		o += n;
		if (strcmp(cv->cell[x], " ") != 0)
			keep = o;
	}
	s[keep] = '\0';
	d->out->line[d->out->n++] = (struct ladder_line){ s, first, count };
	return 0;
}

static bool
same_pkt(const struct ladder_run *r, const struct ladder_event *a,
         const struct ladder_event *b)
{
	return a->kind == LADDER_PKT && b->kind == LADDER_PKT &&
	       strcmp(pf(r, a, r->pc.id), pf(r, b, r->pc.id)) == 0;
}

/* Draw event i (and i+1 when a send is dropped at once); returns how many
 * events the line took, 0 for an event with no line. */
static int
draw_event(struct canvas *cv, const struct ladder_run *r, int i)
{
	const struct layout *L = cv->L;
	const struct ladder_event *e = &r->ev[i];
	blank(cv);
	if (e->kind == LADDER_STATE) {
		draw_state(cv, r, e, name_col(L, sf(r, e, r->sc.host)));
		return 1;
	}
	const char *ev = pf(r, e, r->pc.event);
	const char *reason = pf(r, e, r->pc.reason);
	char label[128], note[192];
	pkt_label(r, e, label, sizeof label);
	int s = src_col(r, L, e), d = name_col(L, pf(r, e, r->pc.to));
	if (strcmp(ev, "forward") == 0 || s < 0 || d < 0)
		return 0;
	int xs = L->x[s], xd = L->x[d];
	if (xs == xd) {
		snprintf(note, sizeof note, "%s %s %s%s%s", ev, label,
		         pf(r, e, r->pc.to), *reason ? ": " : "", reason);
		draw_self(cv, xs, note);
		return 1;
	}
	if (strcmp(ev, "send") == 0) {
		const struct ladder_event *nx = i + 1 < r->nev ? &r->ev[i + 1] : NULL;
		if (nx && same_pkt(r, e, nx) && nx->t == e->t &&
		    strcmp(pf(r, nx, r->pc.event), "drop") == 0) {
			draw_middle(cv, xs, xd, label, cv->g->drop,
			            pf(r, nx, r->pc.reason), true);
			return 2;
		}
		draw_leave(cv, xs, xd, label, reason);
	} else if (strcmp(ev, "recv") == 0) {
		draw_arrive(cv, xs, xd, label,
		            xd > xs ? cv->g->head_r : cv->g->head_l, "");
	} else if (strcmp(ev, "drop") == 0) {
		if (strcmp(pf(r, e, r->pc.at), L->name[d]) == 0 && d != L->others)
			draw_arrive(cv, xs, xd, label, cv->g->drop, reason);
		else
			draw_middle(cv, xs, xd, label, cv->g->drop, reason, false);
	} else if (strcmp(ev, "dup") == 0) {
		if (*reason && strcmp(reason, "dup") != 0)
			snprintf(note, sizeof note, "duplicated: %s", reason);
		else
			snprintf(note, sizeof note, "duplicated");
		draw_middle(cv, xs, xd, label, cv->g->dup, note, false);
	} else {
		return 0;
	}
	return 1;
}

int
ladder_draw(const struct ladder_run *r, const struct ladder_opts *o,
            struct ladder *out)
{
	*out = (struct ladder){ 0 };
	int width = o->width ? o->width : LADDER_WIDTH;
	if (width < LADDER_MIN_WIDTH)
		width = LADDER_MIN_WIDTH;
	if (width > MAX_WIDTH)
		width = MAX_WIDTH;
	struct layout L;
	struct canvas *cv = malloc(sizeof *cv);
	struct drawing d = { out, 0 };
	int rc = -1;
	if (cv == NULL || layout_make(r, width, &L) < 0)
		goto out;
	cv->L = &L;
	cv->g = o->ascii ? &ascii_glyphs : &utf8_glyphs;

	/* Header: each name centred on its column, cut to the room there. */
	for (int x = 0; x < L.diag; x++)
		snprintf(cv->cell[x], sizeof cv->cell[x], " ");
	for (int c = 0; c < L.n; c++) {
		int room = L.diag;
		if (c > 0 && L.x[c] - L.x[c - 1] - 1 < room)
			room = L.x[c] - L.x[c - 1] - 1;
		if (c + 1 < L.n && L.x[c + 1] - L.x[c] - 1 < room)
			room = L.x[c + 1] - L.x[c] - 1;
		char name[128];
		fit(cv, L.name[c], room, name, sizeof name);
		int w = ladder_cells(name), start = L.x[c] - w / 2;
		if (start + w > L.diag)
			start = L.diag - w;
		text(cv, start < 0 ? 0 : start, name);
	}
	if (emit(&d, cv, "", -1, 0) < 0)
		goto out;

	for (int i = 0; i < r->nev;) {
		int n = draw_event(cv, r, i);
		if (n > 0) {
			char when[32];
			simtime_format(r->ev[i].t, when, sizeof when);
			if (emit(&d, cv, when, i, n) < 0)
				goto out;
		}
		i += n > 0 ? n : 1;
	}
	rc = 0;
out:
	if (cv)
		layout_free(&L);
	free(cv);
	if (rc < 0)
		ladder_free(out);
	return rc;
}

void
ladder_print(FILE *f, const struct ladder *l)
{
	for (int i = 0; i < l->n; i++) {
		fputs(l->line[i].text, f);
		fputc('\n', f);
	}
}

void
ladder_free(struct ladder *l)
{
	for (int i = 0; i < l->n; i++)
		free(l->line[i].text);
	free(l->line);
	*l = (struct ladder){ 0 };
}
