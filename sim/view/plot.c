/*
 * plot.c - `synsim plot DIR`: pictures of a finished run.
 *
 * Reads the run's packets.csv and states.csv (and the scenario's name from
 * summary.json): the hops, the connections and which packets are whose,
 * the focus, the time axis.  The pictures' own files reduce that to small
 * tab-separated data files in DIR, each drawn by gnuplot with its script
 * in plots/: ladderplot.c (ladder.dat), states.c, handshake.c, queues.c,
 * tseq.c, aggregate.c, sharing plot_int.h.  All the arithmetic is in C; a
 * script only places what its data file says, so the pictures are as
 * deterministic as the data.  Called by main.c.
 *
 * The time axis.  A run mixes 50 ms hops with a 1 s RTO and a 60 s
 * TIME-WAIT; drawn to scale, the packets would crowd into a few pixels.
 * Idle stretches much longer than a typical hop are therefore cut out of
 * the axis and drawn as a shaded band that says how long they were; time
 * is to scale everywhere else, and the tick labels give real times.
 *
 * All or nothing.  Every data file and picture is written under a
 * temporary name first; only when gnuplot has drawn them all are they
 * renamed into place.  A plot that fails leaves the folder as it was,
 * never a new ladder beside the state timeline of an earlier plot.
 */
#define _POSIX_C_SOURCE 200809L
#include "plot.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../core/error.h"
#include "../core/outfile.h"
#include "../core/simtime.h"
#include "../tcp/tcp.h"
#include "../trace/csvread.h"
#include "../trace/hostsel.h"
#include "plot_int.h"
#include "textbox.h"
#include "jsoncheck.h"

#ifndef SYNSIM_PLOTS_DIR
#define SYNSIM_PLOTS_DIR "plots"
#endif


int
plot_fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("synsim: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	return 2;
}

/* Make room for one more element of size sz in *v (count n, capacity cap). */
int
plot_grow(void *vp, int n, int *cap, size_t sz)
{
	void **v = vp;
	if (n < *cap)
		return 0;
	int c = *cap ? 2 * *cap : 16;
	void *nv = realloc(*v, sz * (size_t)c);
	if (nv == NULL)
		return -1;
	*v = nv;
	*cap = c;
	return 0;
}

/* Index of name, added at the end if new; -1 when out of memory. */
static int
names_index(struct names *s, const char *name)
{
	for (int i = 0; i < s->n; i++)
		if (strcmp(s->v[i], name) == 0)
			return i;
	char *copy = strdup(name);
	if (copy == NULL || plot_grow(&s->v, s->n, &s->cap, sizeof *s->v) < 0) {
		free(copy);
		return -1;
	}
	s->v[s->n] = copy;
	return s->n++;
}

static void
names_free(struct names *s)
{
	for (int i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
}

/* Note that column col's node did what bit says; -1 when out of memory. */
static int
mark(struct plot *p, int col, unsigned char bit)
{
	if (col >= p->nrole) {
		int n = p->cols.cap > col ? p->cols.cap : col + 1;
		unsigned char *v = realloc(p->role, (size_t)n);
		if (v == NULL)
			return -1;
		memset(v + p->nrole, 0, (size_t)(n - p->nrole));
		p->role = v;
		p->nrole = n;
	}
	p->role[col] |= bit;
	return 0;
}

int
plot_cmp_simtime(const void *a, const void *b)
{
	simtime x = *(const simtime *)a, y = *(const simtime *)b;
	return (x > y) - (x < y);
}

/* 1, 2 or 5 times a power of ten, at least raw (ns). */
simtime
plot_nice_step(simtime raw)
{
	simtime p = 1;
	while (p <= raw / 10)
		p *= 10;
	if (raw <= p)
		return p;
	if (raw <= 2 * p)
		return 2 * p;
	if (raw <= 5 * p)
		return 5 * p;
	return 10 * p;
}

/* "1.500" -> "1.5", "2.000" -> "2": the zeros after a decimal point off
 * the end, then the point if nothing is left after it. */
static void
trim_decimals(char *s)
{
	if (strchr(s, '.') == NULL)
		return;
	char *e = s + strlen(s) - 1;
	while (*e == '0')
		*e-- = '\0';
	if (*e == '.')
		*e = '\0';
}

/* "1100.096": milliseconds, exact, without trailing zeros. */
void
plot_fmt_ms(simtime t, char *buf, size_t len)
{
	const char *sign = t < 0 ? "-" : "";
	uint64_t u = t < 0 ? (uint64_t)0 - (uint64_t)t : (uint64_t)t;
	snprintf(buf, len, "%s%" PRIu64 ".%06" PRIu64, sign, u / 1000000,
	         u % 1000000);
	trim_decimals(buf);
}

double
plot_to_ms(simtime t)
{
	return (double)t / 1e6;
}

/* "900 ms", "59.9 s", "40 us": d to three significant digits, for a
 * reader who wants the size of a wait, not its last nanosecond. */
void
plot_fmt_about(simtime d, char *buf, size_t len)
{
	static const struct { const char *name; simtime mult; } units[] = {
		{ "s", SIMTIME_S }, { "ms", SIMTIME_MS }, { "us", 1000 }, { "ns", 1 },
	};
	size_t i = 0;
	while (i + 1 < sizeof units / sizeof units[0] && d < units[i].mult)
		i++;
	double v = (double)d / (double)units[i].mult;
	/* 999.7 ms is "1 s", not "1000 ms" */
	if (i > 0 && v >= 999.5) {
		i--;
		v = (double)d / (double)units[i].mult;
	}
	int dec = v >= 99.95 ? 0 : v >= 9.995 ? 1 : 2;
	snprintf(buf, len, "%.*f", dec, v);
	trim_decimals(buf);
	size_t n = strlen(buf);
	snprintf(buf + n, len - n, " %s", units[i].name);
}

/* Tick label: t in the axis's unit (ns per unit), to the precision of
 * quantum ns, without trailing zeros: "1.05" for a 50 ms step in s. */
static void
fmt_tick(simtime t, simtime unit, simtime quantum, char *buf, size_t len)
{
	simtime q = unit;
	while (q > quantum && q % 10 == 0)
		q /= 10;
	simtime r = (t + q / 2) / q * q;	/* rounded to q */
	/* All nine decimals of a second, then the zeros off the end. */
	snprintf(buf, len, "%" PRId64 ".%09" PRId64, r / unit,
	         r % unit * (SIMTIME_S / unit));
	trim_decimals(buf);
}

/* ---- reading the run --------------------------------------------------------- */

static int
read_table(const struct plot *p, const char *name, struct csvtab *t)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", p->dir, name);
	if (csv_read(path, t) < 0) {
		char msg[4400];
		return plot_fail("%s", csv_error(path, t, msg, sizeof msg));
	}
	if (t->nrows == 0) {
		csv_tab_free(t);
		return plot_fail("%s is empty (no header row)", path);
	}
	return 0;
}

/* Column indexes of the names (NULL-terminated) into idx. */
static int
columns(const struct plot *p, const char *file, const struct csvtab *t,
        const char *const *names, int *idx)
{
	for (int i = 0; names[i]; i++)
		if ((idx[i] = csv_col(t, names[i])) < 0)
			return plot_fail("%s/%s: no column '%s' (not written by synsim "
			            "run?)", p->dir, file, names[i]);
	return 0;
}

/* A count or time in [0, max]; why says where max comes from. */
static int
parse_int(const struct plot *p, const char *file, int row, const char *what,
          const char *s, int64_t max, const char *why, int64_t *out)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if ((errno && errno != ERANGE) || end == s || *end || v < 0)
		return plot_fail("%s/%s row %d: bad %s '%s'", p->dir, file, row, what, s);
	if (errno == ERANGE || v > max)
		return plot_fail("%s/%s row %d: %s %s out of range (at most %" PRId64
		            "%s)", p->dir, file, row, what, s, max, why);
	*out = v;
	return 0;
}

/* "SYN+ACK 0/1", "PSH+ACK 1/1 len 100": flags, relative seq/ack. */
static void
packet_label(char *buf, size_t len, char **r, const int *c)
{
	enum { FLAGS, SEQ, RSEQ, RACK, LEN };
	const char *seq = r[c[RSEQ]][0] ? r[c[RSEQ]] : r[c[SEQ]];
	int n = snprintf(buf, len, "%s %s", r[c[FLAGS]], seq);
	if (r[c[RACK]][0] && n > 0 && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, "/%s", r[c[RACK]]);
	if (strcmp(r[c[LEN]], "0") != 0 && n > 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, " len %s", r[c[LEN]]);
}

static int
add_hop(struct plot *p, const struct pending *from, int x1, simtime t1,
        int kind, const char *suffix)
{
	if (plot_grow(&p->hops, p->nhops, &p->hcap, sizeof *p->hops) < 0)
		return plot_fail("out of memory");
	struct hop *h = &p->hops[p->nhops++];
	*h = (struct hop){ .x0 = from->col, .x1 = x1, .t0 = from->t, .t1 = t1,
	                   .kind = kind, .retx = from->retx, .id = from->id,
	                   .rto = from->rto, .first = from->first,
	                   .conn = -1 };
	snprintf(h->label, sizeof h->label, "%s%s", from->label, suffix);
	char a[48], b[48];
	plot_fmt_ms(h->t0, a, sizeof a);
	plot_fmt_ms(h->t1, b, sizeof b);
	snprintf(h->tip, sizeof h->tip, "%s%s | %s ms to %s ms", from->tip,
	         suffix, a, b);
	return 0;
}

/* Keep a tooltip's text whole through gnuplot and the SVG's script:
 * no tab or newline (gnuplot's separators), no quote (the script's
 * string), no markup. */
static void
flatten(char *s)
{
	for (; *s; s++)
		if (*s == '\t' || *s == '\n' || *s == '\r')
			*s = ' ';
		else if (*s == '\'' || *s == '"')
			*s = '`';
		else if (*s == '<' || *s == '&')	/* '>' is fine in XML */
			*s = *s == '<' ? '(' : '+';
}

/* A packet's ends and numbers into id, and every field of its row into
 * tip ("client > server SYN seq 0 (2418110827) win 64240 ttl 64 ...").
 * c: from, to, flags, seq, rel_seq, rel_ack, len, wnd (-1 if absent),
 * ack (-1), ttl (-1), options (-1), reason, retx (-1). */
enum { PC_FROM, PC_TO, PC_FLAGS, PC_SEQ, PC_RSEQ, PC_RACK, PC_LEN, PC_WND,
       PC_ACK, PC_TTL, PC_OPT, PC_REASON, PC_N };
static int
packet_id(struct plot *p, char **r, const int *c, struct pktid *id,
          char *tip, size_t tlen)
{
	int src = names_index(&p->ends, r[c[PC_FROM]]);
	int dst = names_index(&p->ends, r[c[PC_TO]]);
	if (src < 0 || dst < 0)
		return -1;
	const char *fl = r[c[PC_FLAGS]];
	*id = (struct pktid){ .src = src, .dst = dst,
	                      .seq = (uint32_t)strtoul(r[c[PC_SEQ]], NULL, 10) };
	if (c[PC_ACK] >= 0 && r[c[PC_ACK]][0]) {
		id->ack = (uint32_t)strtoul(r[c[PC_ACK]], NULL, 10);
		id->fl |= PF_ACK;
	}
	if (strstr(fl, "SYN"))
		id->fl |= PF_SYN;
	if (strstr(fl, "RST"))
		id->fl |= PF_RST;
	int n = snprintf(tip, tlen, "%s > %s %s seq %s (%s)", r[c[PC_FROM]],
	                 r[c[PC_TO]], fl,
	                 r[c[PC_RSEQ]][0] ? r[c[PC_RSEQ]] : "-", r[c[PC_SEQ]]);
	if ((id->fl & PF_ACK) && n > 0 && (size_t)n < tlen)
		n += snprintf(tip + n, tlen - (size_t)n, " ack %s (%s)",
		              r[c[PC_RACK]][0] ? r[c[PC_RACK]] : "-", r[c[PC_ACK]]);
	if (n > 0 && (size_t)n < tlen)
		n += snprintf(tip + n, tlen - (size_t)n, " len %s", r[c[PC_LEN]]);
	static const char *const more[] = { "win", "ttl", "opts", "why" };
	const int mc[] = { c[PC_WND], c[PC_TTL], c[PC_OPT], c[PC_REASON] };
	for (int k = 0; k < 4; k++)
		if (mc[k] >= 0 && r[mc[k]][0] && n > 0 && (size_t)n < tlen)
			n += snprintf(tip + n, tlen - (size_t)n, " %s %s", more[k],
			              r[mc[k]]);
	flatten(tip);
	return 0;
}

/* The words after a packet a link dropped, into buf: the narration's
 * reason, short.  "lost" is kept for chance (the loss models) and
 * outages; what the scenario or the queue did is "dropped", a rule by
 * its number. */
static const char *
link_drop_words(const char *reason, char *buf, size_t len)
{
	int n;
	const char *w = " lost";
	if (sscanf(reason, "rule #%d", &n) == 1 && n > 0) {
		snprintf(buf, len, " dropped by rule #%d", n);
		return buf;
	}
	if (strcmp(reason, "queue") == 0)
		w = " dropped (queue full)";
	else if (strcmp(reason, "mtu") == 0)
		w = " dropped (over MTU)";
	else if (strcmp(reason, "link-down") == 0)
		w = " lost (link down)";
	snprintf(buf, len, "%s", w);
	return buf;
}

/* A link's outage as its drops show it: packets lost "link-down" from
 * the first to the last (a gap of OUTAGE_GAP without one ends it). */
#define OUTAGE_GAP ((simtime)1000000000)
static int
note_outage(struct plot *p, const char *link, int a, int b, simtime t)
{
	for (int i = p->nout - 1; i >= 0; i--) {
		struct outage *o = &p->out[i];
		if (strcmp(o->link, link) == 0 && t - o->t1 <= OUTAGE_GAP) {
			o->t1 = t;
			return 0;
		}
	}
	if (plot_grow(&p->out, p->nout, &p->ocap, sizeof *p->out) < 0)
		return plot_fail("out of memory");
	struct outage *o = &p->out[p->nout++];
	*o = (struct outage){ .a = a, .b = b, .t0 = t, .t1 = t };
	snprintf(o->link, sizeof o->link, "%s", link);
	return 0;
}

/*
 * packets.csv, one row per thing that happened to a packet, becomes one
 * hop per link crossed: a send (or a router's forward) opens a hop, the
 * receiver's recv (or the next router's forward) closes it, and a drop
 * closes it lost.  A link drops a packet as it enters (rule, queue, loss
 * draw), so `at` then names the link rather than a node.
 */
static int
read_packets(struct plot *p)
{
	static const char *const want[] = {
		"t_ns", "pkt_id", "at", "link", "hop_to", "event", "flags", "seq",
		"rel_seq", "rel_ack", "len", "reason", "dup_of", "from", "to", NULL
	};
	enum { T, ID, AT, LINK, HOPTO, EVENT, FLAGS, SEQ, RSEQ, RACK, LEN,
	       REASON, DUPOF, FROM, TO };
	struct csvtab t;
	int c[15], rc;
	if ((rc = read_table(p, "packets.csv", &t)) != 0)
		return rc;
	if ((rc = columns(p, "packets.csv", &t, want, c)) != 0) {
		csv_tab_free(&t);
		return rc;
	}
	/* TCP's own mark; files from older versions have none, and their
	 * retransmissions are drawn as plain packets rather than guessed
	 * from the reason's words. */
	int retx = csv_col(&t, "retx");
	const int lc[] = { c[FLAGS], c[SEQ], c[RSEQ], c[RACK], c[LEN] };
	const int pc[PC_N] = {
		[PC_FROM] = c[FROM], [PC_TO] = c[TO], [PC_FLAGS] = c[FLAGS],
		[PC_SEQ] = c[SEQ], [PC_RSEQ] = c[RSEQ], [PC_RACK] = c[RACK],
		[PC_LEN] = c[LEN], [PC_WND] = csv_col(&t, "wnd"),
		[PC_ACK] = csv_col(&t, "ack"), [PC_TTL] = csv_col(&t, "ttl"),
		[PC_OPT] = csv_col(&t, "options"), [PC_REASON] = c[REASON],
	};
	struct pending *pend = NULL;
	int npend = 0;
	/* A run numbers its packets 1, 2, ... and each has a row, so an id
	 * is at most the number of rows: pend, indexed by id, is never
	 * larger than the file. */
	const int64_t maxid = t.nrows - 1;
	const char *const rows_why = ": the number of rows";
	rc = 0;
	for (int r = 1; r < t.nrows && rc == 0; r++) {
		char **row = t.rows[r];
		int64_t tn = 0, id = 0, dup = 0;
		if ((rc = parse_int(p, "packets.csv", r, "t_ns", row[c[T]],
		                    TIME_LIMIT, " ns, about 31 years", &tn)) ||
		    (rc = parse_int(p, "packets.csv", r, "pkt_id", row[c[ID]], maxid,
		                    rows_why, &id)))
			break;
		if (row[c[DUPOF]][0] &&
		    (rc = parse_int(p, "packets.csv", r, "dup_of", row[c[DUPOF]],
		                    maxid, rows_why, &dup)))
			break;
		const char *ev = row[c[EVENT]], *at = row[c[AT]];
		bool at_node = strcmp(at, row[c[LINK]]) != 0;
		/* Only a link's own drop or duplicate names the link in `at`;
		 * a hop starts and ends at nodes, which have columns. */
		if (*at == '\0') {
			rc = plot_fail("%s/packets.csv row %d: empty 'at'", p->dir, r);
			break;
		}
		if (!at_node && (strcmp(ev, "send") == 0 ||
		                 strcmp(ev, "forward") == 0 ||
		                 strcmp(ev, "recv") == 0)) {
			rc = plot_fail("%s/packets.csv row %d: %s at link '%s' (a %s "
			          "happens at a node)", p->dir, r, ev, at, ev);
			break;
		}
		hostsel_note(&p->hosts, at);
		if (!hostsel_packet(&p->hosts, row[c[FROM]], row[c[TO]]))
			continue;
		if (id >= npend) {
			int n = (int)id + 1 > 2 * npend ? (int)id + 1 : 2 * npend;
			struct pending *v = realloc(pend, sizeof *v * (size_t)n);
			if (v == NULL) {
				rc = plot_fail("out of memory");
				break;
			}
			memset(v + npend, 0, sizeof *v * (size_t)(n - npend));
			pend = v;
			npend = n;
		}
		int here = at_node ? names_index(&p->cols, row[c[AT]]) : -1;
		int to = row[c[HOPTO]][0] ? names_index(&p->cols, row[c[HOPTO]]) : -1;
		if ((at_node && here < 0) || (row[c[HOPTO]][0] && to < 0)) {
			rc = plot_fail("out of memory");
			break;
		}
		struct pending *pk = &pend[id];
		if (strcmp(ev, "send") == 0) {
			if (strcmp(row[c[FLAGS]], "SYN") == 0 &&
			    mark(p, here, COL_SYNS) < 0) {
				rc = plot_fail("out of memory");
				break;
			}
			*pk = (struct pending){ .live = true, .col = here, .to = to,
			                        .t = tn };
			pk->retx = retx >= 0 && strcmp(row[retx], "1") == 0;
			pk->rto = pk->retx && strstr(row[c[REASON]], "RTO") != NULL;
			pk->first = true;
			packet_label(pk->label, sizeof pk->label, row, lc);
			if (packet_id(p, row, pc, &pk->id, pk->tip,
			              sizeof pk->tip) < 0) {
				rc = plot_fail("out of memory");
				break;
			}
		} else if (strcmp(ev, "forward") == 0) {
			if (mark(p, here, COL_FORWARDS) < 0) {
				rc = plot_fail("out of memory");
				break;
			}
			if (pk->live)
				rc = add_hop(p, pk, here, tn, HOP_ARROW, "");
			if (pk->label[0] == '\0') {
				packet_label(pk->label, sizeof pk->label, row, lc);
				if (packet_id(p, row, pc, &pk->id, pk->tip,
				              sizeof pk->tip) < 0) {
					rc = plot_fail("out of memory");
					break;
				}
			}
			pk->live = true;
			pk->first = false;
			pk->col = here;
			pk->to = to;
			pk->t = tn;
		} else if (strcmp(ev, "recv") == 0) {
			if (pk->live)
				rc = add_hop(p, pk, here, tn, HOP_ARROW, "");
			pk->live = false;
		} else if (strcmp(ev, "drop") == 0 && !at_node) {
			if (strcmp(row[c[REASON]], "link-down") == 0 && pk->live &&
			    (rc = note_outage(p, row[c[LINK]], pk->col,
			                      pk->to >= 0 ? pk->to : to, tn)))
				break;
			if (pk->live) {
				int x1 = pk->to >= 0 ? pk->to : to;
				char words[40];
				rc = add_hop(p, pk, x1 >= 0 ? x1 : pk->col, tn, HOP_LOST,
				             link_drop_words(row[c[REASON]], words,
				                             sizeof words));
			}
			pk->live = false;
		} else if (strcmp(ev, "drop") == 0) {
			/* At a node: on arrival (TTL, not for us, after a recv
			 * the listen queue was full) or before leaving (no
			 * route). */
			struct pending here_pk = { .col = here, .t = tn };
			const struct pending *src = pk->live ? pk : &here_pk;
			if (!pk->live &&
			    (packet_label(here_pk.label, sizeof here_pk.label, row,
			                  lc),
			     packet_id(p, row, pc, &here_pk.id, here_pk.tip,
			               sizeof here_pk.tip) < 0)) {
				rc = plot_fail("out of memory");
				break;
			}
			char suffix[LABEL_MAX];
			snprintf(suffix, sizeof suffix, " dropped: %s", row[c[REASON]]);
			rc = add_hop(p, src, here, tn, HOP_DROPPED, suffix);
			pk->live = false;
		} else if (strcmp(ev, "dup") == 0 && dup > 0 && dup < npend &&
		           pend[dup].live) {
			*pk = pend[dup];
			size_t n = strlen(pk->label);
			snprintf(pk->label + n, sizeof pk->label - n, " (dup)");
		}
	}
	free(pend);
	csv_tab_free(&t);
	return rc;
}

static int
state_index(const char *name)
{
	for (int s = 0; s < TCP_NSTATES; s++)
		if (strcmp(tcp_state_name(s), name) == 0)
			return s;
	return -1;
}

static int
read_states(struct plot *p)
{
	static const char *const want[] = {
		"t_ns", "host", "conn", "from_state", "to_state", NULL
	};
	enum { T, HOST, CONN, FROM, TO };
	struct csvtab t;
	int c[5], rc;
	if ((rc = read_table(p, "states.csv", &t)) != 0)
		return rc;
	if ((rc = columns(p, "states.csv", &t, want, c)) != 0) {
		csv_tab_free(&t);
		return rc;
	}
	int peer = csv_col(&t, "peer");	/* -1 in files from older versions */
	int cause = csv_col(&t, "cause");
	for (int r = 1; r < t.nrows && rc == 0; r++) {
		char **row = t.rows[r];
		int64_t tn = 0;
		if ((rc = parse_int(p, "states.csv", r, "t_ns", row[c[T]],
		                    TIME_LIMIT, " ns, about 31 years", &tn)))
			break;
		int from = state_index(row[c[FROM]]), to = state_index(row[c[TO]]);
		if (from < 0 || to < 0) {
			rc = plot_fail("%s/states.csv row %d: unknown state '%s'", p->dir, r,
			          from < 0 ? row[c[FROM]] : row[c[TO]]);
			break;
		}
		if (row[c[HOST]][0] == '\0') {
			rc = plot_fail("%s/states.csv row %d: empty host", p->dir, r);
			break;
		}
		/* With --hosts, the connections between two of them (with one
		 * host, all of its own). */
		if (!hostsel_conn(&p->hosts, row[c[HOST]],
		                  peer >= 0 ? row[peer] : NULL))
			continue;
		char key[256];
		snprintf(key, sizeof key, "%s #%s", row[c[HOST]], row[c[CONN]]);
		int ri = names_index(&p->rows, key);
		int col = names_index(&p->cols, row[c[HOST]]);
		if (ri < 0 || col < 0 ||
		    (to == TCP_SYN_SENT && mark(p, col, COL_OPENS) < 0) ||
		    plot_grow(&p->chg, p->nchg, &p->ccap, sizeof *p->chg) < 0) {
			rc = plot_fail("out of memory");
			break;
		}
		p->chg[p->nchg++] = (struct change){
			.row = ri, .col = col, .t = tn, .from = from, .to = to,
			.timeout = cause >= 0 && strstr(row[cause], "timeout"),
		};
		if (ri >= p->nci) {
			if (plot_grow(&p->ci, p->nci, &p->cicap, sizeof *p->ci) < 0) {
				rc = plot_fail("out of memory");
				break;
			}
			const char *pr = peer >= 0 ? row[peer] : "";
			int h = names_index(&p->ends, row[c[HOST]]);
			int q = *pr ? names_index(&p->ends, pr) : -1;
			if (h < 0 || (*pr && q < 0)) {
				rc = plot_fail("out of memory");
				break;
			}
			p->ci[p->nci++] = (struct conninfo){ .host = h, .peer = q,
			                                     .col = col, .pair = ri };
		}
		/* How it opened: connect() (CLOSED -> SYN-SENT), or a SYN
		 * (or a cookie's ACK) at a listener. */
		struct conninfo *ci = &p->ci[ri];
		if (ci->open == OPEN_NONE && to == TCP_SYN_SENT) {
			ci->open = OPEN_ACTIVE;
			ci->open_t = tn;
		} else if (ci->open == OPEN_NONE && from == TCP_LISTEN) {
			ci->open = OPEN_PASSIVE;
			ci->open_t = tn;
		}
	}
	csv_tab_free(&t);
	return rc;
}

/* ---- the rules of --explain ----------------------------------------------------- */

/* One "receives" line of trace.txt written with --explain. */
struct rule_line {
	int64_t us;		/* its time, in microseconds as printed */
	char host[64], flags[32], seq[24];
	const char *rule;	/* into the file's text */
	bool used;
};

/*
 * The rule each arrival was decided by: from explain.csv, or for a run
 * without it, made with --explain: trace.txt then ends every "receives" line with it in
 * brackets.  packets.csv does not carry it, so a delivered hop is
 * matched to the first unused line of the same microsecond, host, flags
 * and relative seq, and its tooltip gets the rule.  Without --explain
 * (no such line) nothing changes.
 */
/* Append rule to the tooltip of the first arrow not yet given one that
 * reaches host at t (ns); true if there was one. */
static bool
give_rule(struct plot *p, bool *given, simtime t, const char *host,
          const char *rule)
{
	for (int i = 0; i < p->nhops; i++) {
		struct hop *h = &p->hops[i];
		if (given[i] || h->kind != HOP_ARROW || h->t1 != t || h->x1 < 0 ||
		    h->x1 >= p->cols.n || strcmp(p->cols.v[h->x1], host) != 0)
			continue;
		given[i] = true;
		size_t m = strlen(h->tip);
		snprintf(h->tip + m, sizeof h->tip - m, " | %s", rule);
		flatten(h->tip);
		return true;
	}
	return false;
}

/*
 * The rule of each arrival from explain.csv, which every run writes by
 * default: its arrival rows give the time to the nanosecond and the
 * host, in the order the arrivals happened, so the n-th arrival at a
 * host and instant is the n-th arrow that reaches it then.  1 when the
 * run has no explain.csv, 0 when the rules were taken, -1 on an error.
 */
static int
read_explain_csv(struct plot *p)
{
	struct csvtab t = { 0 };
	int rc = plot_read_csv(p, "explain.csv", &t, true);
	if (rc != 0)
		return rc;
	int ct = csv_col(&t, "t_ns"), ch = csv_col(&t, "host");
	int ce = csv_col(&t, "event"), cr = csv_col(&t, "rule");
	bool *given = calloc((size_t)p->nhops + 1, sizeof *given);
	if (ct < 0 || ch < 0 || ce < 0 || cr < 0 || given == NULL) {
		free(given);
		csv_tab_free(&t);
		return given ? 1 : plot_fail("out of memory");
	}
	for (int r = 1; r < t.nrows; r++) {
		char **row = t.rows[r];
		if (strcmp(row[ce], "arrival") != 0 || row[cr][0] == '\0')
			continue;
		give_rule(p, given, (simtime)strtoll(row[ct], NULL, 10), row[ch],
		          row[cr]);
	}
	free(given);
	csv_tab_free(&t);
	return 0;
}

static int
read_rules(struct plot *p)
{
	int rc = read_explain_csv(p);
	if (rc <= 0)
		return rc;
	char path[4200];
	snprintf(path, sizeof path, "%s/trace.txt", p->dir);
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return 0;
	struct rule_line *v = NULL;
	int n = 0, cap = 0;
	char line[2048];
	char **keep = NULL;
	int nkeep = 0, kcap = 0;
	while (fgets(line, sizeof line, f)) {
		long long sec, us;
		char host[64], flags[32], seq[24];
		int at = 0;
		if (sscanf(line, " %lld.%6llds %63s receives %31s seq %23s%n", &sec,
		           &us, host, flags, seq, &at) != 5)
			continue;
		char *open = strrchr(line, '[');
		char *close = strrchr(line, ']');
		if (open == NULL || close == NULL || close < open)
			continue;
		*close = '\0';
		char *rule = strdup(open + 1);
		if (rule == NULL || plot_grow(&v, n, &cap, sizeof *v) < 0 ||
		    plot_grow(&keep, nkeep, &kcap, sizeof *keep) < 0) {
			free(rule);
			break;
		}
		keep[nkeep++] = rule;
		struct rule_line *r = &v[n++];
		*r = (struct rule_line){ .us = sec * 1000000 + us, .rule = rule };
		snprintf(r->host, sizeof r->host, "%s", host);
		snprintf(r->flags, sizeof r->flags, "%s", flags);
		snprintf(r->seq, sizeof r->seq, "%s", seq);
	}
	fclose(f);
	for (int i = 0; i < p->nhops && n > 0; i++) {
		struct hop *h = &p->hops[i];
		if (h->kind != HOP_ARROW || h->x1 < 0 || h->x1 >= p->cols.n)
			continue;
		char flags[32] = "", seq[24] = "";
		sscanf(h->label, "%31s %23[^/ ]", flags, seq);
		for (int k = 0; k < n; k++) {
			struct rule_line *r = &v[k];
			if (r->used || r->us != h->t1 / 1000 ||
			    strcmp(r->host, p->cols.v[h->x1]) != 0 ||
			    strcmp(r->flags, flags) != 0 || strcmp(r->seq, seq) != 0)
				continue;
			r->used = true;
			size_t m = strlen(h->tip);
			snprintf(h->tip + m, sizeof h->tip - m, " | %s",
			         r->rule);
			flatten(h->tip);
			break;
		}
	}
	for (int i = 0; i < nkeep; i++)
		free(keep[i]);
	free(keep);
	free(v);
	return 0;
}

/* ---- connections and focus ------------------------------------------------------- */

/* b is in the sequence space that starts at isn (within 2^30 of it). */
static bool
in_space(uint32_t isn, uint32_t b)
{
	return (uint32_t)(b - isn) < (1u << 30);
}

/*
 * The initial sequence numbers of each connection, then each packet's
 * connection.  An active open's ISN is the SYN it sent as it went
 * SYN-SENT; a passive one's peer ISN is the SYN that arrived as it left
 * LISTEN, its own the SYN-ACK it sent back.  A packet belongs to the
 * connection whose ends it has and whose sequence space it is in (its
 * ack, when the sender's ISN is not known: a RST refusing a SYN).  The
 * two sides of one connection make one pair, named by the side that
 * appears first.
 */
static int
assign_conns(struct plot *p)
{
	/* A SYN opens one connection: two opened in the same nanosecond
	 * (time-wait.lua's client) take the two SYNs in turn. */
	bool *sent = calloc((size_t)p->nhops + 1, sizeof *sent);
	bool *came = calloc((size_t)p->nhops + 1, sizeof *came);
	if (sent == NULL || came == NULL) {
		free(sent);
		free(came);
		return plot_fail("out of memory");
	}
	for (int r = 0; r < p->nci; r++) {
		struct conninfo *ci = &p->ci[r];
		int syn_at = -1;	/* the SYN a passive side came from */
		for (int i = 0; i < p->nhops && ci->open != OPEN_NONE; i++) {
			const struct hop *h = &p->hops[i];
			const struct pktid *id = &h->id;
			bool syn = (id->fl & (PF_SYN | PF_ACK)) == PF_SYN;
			bool synack = (id->fl & (PF_SYN | PF_ACK)) == (PF_SYN | PF_ACK);
			if (ci->open == OPEN_ACTIVE && !ci->has_isn && syn &&
			    !sent[i] && id->src == ci->host && id->dst == ci->peer &&
			    h->t0 == ci->open_t && h->x0 == ci->col) {
				ci->isn = id->seq;
				ci->has_isn = true;
				sent[i] = true;
			} else if (ci->open == OPEN_ACTIVE && ci->has_isn &&
			           !ci->has_peer_isn && synack &&
			           id->src == ci->peer && id->dst == ci->host &&
			           id->ack == ci->isn + 1) {
				ci->peer_isn = id->seq;
				ci->has_peer_isn = true;
			} else if (ci->open == OPEN_PASSIVE && syn && !came[i] &&
			           id->src == ci->peer && id->dst == ci->host &&
			           h->t1 <= ci->open_t && h->x1 == ci->col &&
			           (syn_at < 0 || h->t1 > p->hops[syn_at].t1)) {
				/* the last SYN to arrive before it opened */
				syn_at = i;
			}
		}
		if (syn_at >= 0) {
			came[syn_at] = true;
			ci->peer_isn = p->hops[syn_at].id.seq;
		}
		for (int i = 0; i < p->nhops && syn_at >= 0 && !ci->has_isn; i++) {
			const struct hop *h = &p->hops[i];
			const struct pktid *id = &h->id;
			if ((id->fl & (PF_SYN | PF_ACK)) == (PF_SYN | PF_ACK) &&
			    id->src == ci->host && id->dst == ci->peer &&
			    h->t0 >= ci->open_t && id->ack == ci->peer_isn + 1) {
				ci->isn = id->seq;
				ci->has_isn = ci->has_peer_isn = true;
			}
		}
	}
	free(sent);
	free(came);
	/* Pairs: a side whose peer's ISN is this one's and the other way. */
	for (int r = 0; r < p->nci; r++)
		for (int k = 0; k < r; k++) {
			const struct conninfo *a = &p->ci[k], *b = &p->ci[r];
			if (a->pair == k && a->host == b->peer && a->peer == b->host &&
			    a->has_isn && b->has_isn && a->has_peer_isn &&
			    b->has_peer_isn && a->isn == b->peer_isn &&
			    b->isn == a->peer_isn) {
				p->ci[r].pair = k;
				break;
			}
		}
	/* Of the connections whose space a packet is in, the one whose
	 * ISN is closest below its number: ISNs follow a clock (RFC 6528),
	 * so a later connection between the same hosts starts a little
	 * above an earlier one. */
	for (int i = 0; i < p->nhops; i++) {
		struct hop *h = &p->hops[i];
		const struct pktid *id = &h->id;
		uint32_t best = UINT32_MAX;
		for (int r = 0; r < p->nci; r++) {
			const struct conninfo *ci = &p->ci[r];
			uint32_t base, num;
			bool known;
			if (id->src == ci->host && id->dst == ci->peer) {
				known = ci->has_isn || (ci->has_peer_isn &&
				                        (id->fl & PF_ACK));
				base = ci->has_isn ? ci->isn : ci->peer_isn;
				num = ci->has_isn ? id->seq : id->ack;
			} else if (id->src == ci->peer && id->dst == ci->host) {
				known = ci->has_peer_isn || (ci->has_isn &&
				                             (id->fl & PF_ACK));
				base = ci->has_peer_isn ? ci->peer_isn : ci->isn;
				num = ci->has_peer_isn ? id->seq : id->ack - 1;
			} else {
				continue;
			}
			uint32_t dist = num - base;
			if (known && in_space(base, num) && dist < best) {
				best = dist;
				h->conn = ci->pair;
			}
		}
	}
	return 0;
}

/* Rows in a new order: order[i] is the old row now at i; rows not in it
 * go, with their changes. */
static int
reorder_rows(struct plot *p, const int *order, int n)
{
	int *newof = malloc(sizeof *newof * (size_t)(p->rows.n + 1));
	char **v = malloc(sizeof *v * (size_t)(p->rows.n + 1));
	struct conninfo *ci = malloc(sizeof *ci * (size_t)(p->nci + 1));
	if (!newof || !v || !ci) {
		free(newof);
		free(v);
		free(ci);
		return plot_fail("out of memory");
	}
	for (int r = 0; r < p->rows.n; r++)
		newof[r] = -1;
	for (int i = 0; i < n; i++) {
		newof[order[i]] = i;
		v[i] = p->rows.v[order[i]];
		ci[i] = p->ci[order[i]];
	}
	for (int r = 0; r < p->rows.n; r++)
		if (newof[r] < 0)
			free(p->rows.v[r]);
	for (int i = 0; i < n; i++)
		ci[i].pair = newof[ci[i].pair];	/* a pair keeps both sides */
	memcpy(p->rows.v, v, sizeof *v * (size_t)n);
	memcpy(p->ci, ci, sizeof *ci * (size_t)n);
	p->rows.n = p->nci = n;
	int k = 0;
	for (int i = 0; i < p->nchg; i++)
		if (newof[p->chg[i].row] >= 0) {
			p->chg[k] = p->chg[i];
			p->chg[k++].row = newof[p->chg[i].row];
		}
	p->nchg = k;
	for (int i = 0; i < p->nhops; i++)
		if (p->hops[i].conn >= 0)
			p->hops[i].conn = newof[p->hops[i].conn];
	free(newof);
	free(v);
	free(ci);
	return 0;
}

/* Keep the hops of focused connections only (all with no focus). */
static void
keep_focused_hops(struct plot *p)
{
	int k = 0;
	for (int i = 0; i < p->nhops; i++) {
		const struct hop *h = &p->hops[i];
		if (h->conn >= 0 && p->ci[h->conn].focus)
			p->hops[k++] = *h;
	}
	p->nhops = k;
}

/* "client #1": a row's name without the space, as --conn takes it. */
static bool
conn_matches(const char *row, const char *arg)
{
	const char *hash = strchr(arg, '#');
	const char *rh = strchr(row, '#');
	if (hash == NULL || rh == NULL)
		return false;
	size_t hn = (size_t)(hash - arg), rn = (size_t)(rh - row - 1);
	while (hn > 0 && arg[hn - 1] == ' ')
		hn--;
	return hn == rn && strncmp(arg, row, hn) == 0 &&
	       strcmp(hash + 1, rh + 1) == 0;
}

/* Only the columns the focused hops and changes use. */
static int
compact_columns(struct plot *p)
{
	int nc = p->cols.n;
	int *newof = malloc(sizeof *newof * (size_t)(nc + 1));
	if (newof == NULL)
		return plot_fail("out of memory");
	for (int i = 0; i < nc; i++)
		newof[i] = -1;
	for (int i = 0; i < p->nhops; i++) {
		if (p->hops[i].x0 >= 0)
			newof[p->hops[i].x0] = 0;
		if (p->hops[i].x1 >= 0)
			newof[p->hops[i].x1] = 0;
	}
	for (int i = 0; i < p->nchg; i++)
		newof[p->chg[i].col] = 0;
	int k = 0;
	for (int i = 0; i < nc; i++) {
		if (newof[i] < 0) {
			free(p->cols.v[i]);
			continue;
		}
		newof[i] = k;
		p->cols.v[k] = p->cols.v[i];
		if (i < p->nrole)
			p->role[k] = p->role[i];
		k++;
	}
	for (int i = k; i < p->nrole; i++)
		p->role[i] = 0;
	p->cols.n = k;
	for (int i = 0; i < p->nhops; i++) {
		struct hop *h = &p->hops[i];
		h->x0 = h->x0 >= 0 ? newof[h->x0] : -1;
		h->x1 = h->x1 >= 0 ? newof[h->x1] : -1;
	}
	for (int i = 0; i < p->nchg; i++)
		p->chg[i].col = newof[p->chg[i].col];
	for (int i = 0; i < p->nout; i++) {
		struct outage *o = &p->out[i];
		o->a = o->a >= 0 && o->a < nc ? newof[o->a] : -1;
		o->b = o->b >= 0 && o->b < nc ? newof[o->b] : -1;
	}
	for (int i = 0; i < p->nci; i++)
		p->ci[i].col = p->ci[i].col >= 0 && p->ci[i].col < nc ?
		               newof[p->ci[i].col] : -1;
	free(newof);
	return 0;
}

#define AUTO_HOPS 160		/* hops a focused ladder keeps, about */

/*
 * What the ladder draws.  --conn: that connection, both sides.  Else,
 * when the run has more than fits (hops past MAX_LABELLED, or rows past
 * MAX_ROWS), the active opens' connections, in the order they opened,
 * while their hops stay near AUTO_HOPS: the client among a flood of
 * spoofed SYNs, a few flows of a dumbbell.  The state timeline shows the
 * focused rows first; with --conn, them alone.
 */
static int
focus(struct plot *p)
{
	int n = p->nci;
	if (p->conn_arg == NULL &&
	    (p->all || p->hosts.n > 0 ||
	     (p->nhops <= MAX_LABELLED && n <= MAX_ROWS))) {
		for (int r = 0; r < n; r++)
			p->ci[r].focus = true;
		return 0;
	}
	int *hops = calloc((size_t)n + 1, sizeof *hops);
	int *order = malloc(sizeof *order * ((size_t)n + 1));
	if (hops == NULL || order == NULL) {
		free(hops);
		free(order);
		return plot_fail("out of memory");
	}
	int other = 0;
	for (int i = 0; i < p->nhops; i++)
		if (p->hops[i].conn >= 0)
			hops[p->hops[i].conn]++;
		else
			other++;
	int chosen = 0, kept = 0, pairs = 0, npairs = 0;
	if (p->conn_arg) {
		int r = 0;
		while (r < n && !conn_matches(p->rows.v[r], p->conn_arg))
			r++;
		if (r == n) {
			free(hops);
			free(order);
			return sim_usage_error("--conn %s: this run has no such "
			                       "connection (states.csv names them, "
			                       "as host#N)", p->conn_arg);
		}
		int pr = p->ci[r].pair;
		for (int k = 0; k < n; k++)
			p->ci[k].focus = p->ci[k].pair == pr;
		pairs = 1;
	} else {
		for (int r = 0; r < n; r++)
			if (p->ci[r].pair == r) {
				npairs++;
				if (p->ci[r].open == OPEN_ACTIVE ||
				    p->ci[p->ci[r].pair].open == OPEN_ACTIVE)
					order[chosen++] = r;
			}
		/* With no active open, the pairs as they appear. */
		if (chosen == 0)
			for (int r = 0; r < n; r++)
				if (p->ci[r].pair == r)
					order[chosen++] = r;
		for (int i = 0; i < chosen; i++) {
			int r = order[i];
			if (pairs > 0 && kept + hops[r] > AUTO_HOPS)
				break;
			kept += hops[r];
			pairs++;
			for (int k = 0; k < n; k++)
				if (p->ci[k].pair == r)
					p->ci[k].focus = true;
		}
	}
	/* Rows: the focused first; with --conn, them alone. */
	int m = 0;
	for (int r = 0; r < n; r++)
		if (p->ci[r].focus)
			order[m++] = r;
	int nfocus = m;
	for (int r = 0; r < n && !p->conn_arg; r++)
		if (!p->ci[r].focus)
			order[m++] = r;
	int left = 0;
	for (int r = 0; r < n; r++)
		if (p->ci[r].pair == r && !p->ci[r].focus)
			left += hops[r];
	left += other;
	if (npairs == 0)
		npairs = pairs;
	char names[300] = "";
	size_t nn = 0;
	for (int i = 0; i < nfocus && nn < 200; i++)
		if (p->ci[order[i]].pair == order[i])
			nn += (size_t)snprintf(names + nn, sizeof names - nn, "%s%s",
			                       nn ? ", " : "", p->rows.v[order[i]]);
	int w;
	if (p->conn_arg)
		w = snprintf(p->note, sizeof p->note,
		             "connection %s alone (--conn)", names);
	else if (left == 0 && pairs == npairs) {
		p->note[0] = '\0';	/* all of it: too much, but no focus */
		w = 0;
	}
	else
		w = snprintf(p->note, sizeof p->note,
		             "%d of %d connections (%s); %d packet hops of the %s "
		             "left out: --conn HOST#N picks one, --all draws all",
		             pairs, npairs, names, left,
		             other ? "others and of no connection" : "others");
	if (w >= (int)sizeof p->note)	/* a long list of names: cut, said */
		memcpy(p->note + sizeof p->note - 4, "...", 4);
	free(hops);
	int rc = reorder_rows(p, order, m);
	free(order);
	if (rc)
		return rc;
	keep_focused_hops(p);
	p->tchg = malloc(sizeof *p->tchg * (size_t)(p->nchg + 1));
	if (p->tchg == NULL)
		return plot_fail("out of memory");
	memcpy(p->tchg, p->chg, sizeof *p->chg * (size_t)p->nchg);
	p->ntchg = p->nchg;
	int k = 0;
	for (int i = 0; i < p->nchg; i++)
		if (p->ci[p->chg[i].row].focus)
			p->chg[k++] = p->chg[i];
	p->nchg = k;
	return compact_columns(p);
}

/* "lost-synack (seed 1)" from summary.json; else the folder's name. */
static void
read_title(struct plot *p)
{
	const char *base = strrchr(p->dir, '/');
	base = base && base[1] ? base + 1 : p->dir;
	snprintf(p->title, sizeof p->title, "%s", base);
	char path[4096], buf[4096];
	snprintf(path, sizeof path, "%s/summary.json", p->dir);
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	const char *s = strstr(buf, "\"scenario\": \"");
	const char *seed = strstr(buf, "\"seed\": ");
	const char *e = s ? strchr(s += strlen("\"scenario\": \""), '"') : NULL;
	if (e == NULL)
		return;
	const char *b = s;
	for (const char *q = s; q < e; q++)
		if (*q == '/')
			b = q + 1;
	int len = (int)(e - b);
	if (len > 4 && strncmp(e - 4, ".lua", 4) == 0)
		len -= 4;
	int digits = seed ? (int)strspn(seed += strlen("\"seed\": "),
	                                "0123456789") : 0;
	if (digits > 0 && digits < 21)
		snprintf(p->title, sizeof p->title, "%.*s (seed %.*s)", len, b,
		         digits, seed);
	else
		snprintf(p->title, sizeof p->title, "%.*s", len, b);
}

/* ---- the order of the columns ----------------------------------------------------- */

struct colkey {
	int group;		/* 0 client, 1 flood, 2 router, 3 other host */
	int dist;		/* a router's hops from the nearest opener */
	int first;		/* order of first appearance */
};

/* Group, then distance, then first appearance: a total order. */
static int
cmp_colkey(const void *a, const void *b)
{
	const struct colkey *x = a, *y = b;
	if (x->group != y->group)
		return x->group - y->group;
	if (x->dist != y->dist)
		return x->dist < y->dist ? -1 : 1;
	return x->first - y->first;
}

/*
 * Columns in the order a packet's path reads across: the nodes that open
 * connections on the left, then the routers by their hop distance from
 * the nearest of those (over the hops the packets took), then the other
 * hosts, the listeners.  A node that sends bare SYNs but has no
 * connection state (a flood) opens too, but goes after the clients, next
 * to the routers: its arrows then cross no client's axis, where they
 * would hide it.  Ties keep the order of first appearance.  That
 * order alone put a router wherever its first packet happened to fall:
 * in a dumbbell, rleft between c1 and c2, and a loss on the bottleneck
 * drawn across the axes of clients that had nothing to do with it.
 * Only for a ladder that will be drawn (at most MAX_COLS columns: the
 * distances take a matrix of them).
 */
static int
order_columns(struct plot *p)
{
	int nc = p->cols.n;
	if (nc < 2 || nc > MAX_COLS)
		return 0;
	unsigned char *adj = calloc((size_t)nc * (size_t)nc, 1);
	int *dist = malloc(sizeof *dist * (size_t)nc);
	int *queue = malloc(sizeof *queue * (size_t)nc);
	int *newof = malloc(sizeof *newof * (size_t)nc);
	struct colkey *key = malloc(sizeof *key * (size_t)nc);
	char **v = malloc(sizeof *v * (size_t)nc);
	int rc = 0;
	if (!adj || !dist || !queue || !newof || !key || !v) {
		rc = plot_fail("out of memory");
		goto out;
	}
	for (int i = 0; i < p->nhops; i++) {
		const struct hop *h = &p->hops[i];
		if (h->x0 >= 0 && h->x1 >= 0 && h->x0 != h->x1)
			adj[h->x0 * nc + h->x1] = adj[h->x1 * nc + h->x0] = 1;
	}
	/* Breadth first from every opener at once. */
	int head = 0, tail = 0;
	for (int i = 0; i < nc; i++) {
		bool opens = i < p->nrole &&
		             (p->role[i] & (COL_OPENS | COL_SYNS));
		dist[i] = opens ? 0 : -1;
		if (opens)
			queue[tail++] = i;
	}
	while (head < tail) {
		int a = queue[head++];
		for (int b = 0; b < nc; b++)
			if (adj[a * nc + b] && dist[b] < 0) {
				dist[b] = dist[a] + 1;
				queue[tail++] = b;
			}
	}
	for (int i = 0; i < nc; i++) {
		unsigned char r = i < p->nrole ? p->role[i] : 0;
		int group = r & COL_OPENS ? 0 : r & COL_SYNS ? 1 :
		            r & COL_FORWARDS ? 2 : 3;
		/* A router no opener reaches goes after those reached. */
		key[i] = (struct colkey){ group,
		                          group == 2 && dist[i] >= 0 ? dist[i] :
		                          group == 2 ? INT_MAX : 0, i };
	}
	qsort(key, (size_t)nc, sizeof *key, cmp_colkey);
	for (int i = 0; i < nc; i++) {
		newof[key[i].first] = i;
		v[i] = p->cols.v[key[i].first];
	}
	memcpy(p->cols.v, v, sizeof *v * (size_t)nc);
	for (int i = 0; i < p->nhops; i++) {
		struct hop *h = &p->hops[i];
		if (h->x0 >= 0)
			h->x0 = newof[h->x0];
		if (h->x1 >= 0)
			h->x1 = newof[h->x1];
	}
	for (int i = 0; i < p->nchg; i++)
		p->chg[i].col = newof[p->chg[i].col];
	for (int i = 0; i < p->nout; i++) {
		if (p->out[i].a >= 0)
			p->out[i].a = newof[p->out[i].a];
		if (p->out[i].b >= 0)
			p->out[i].b = newof[p->out[i].b];
	}
	/* The roles stay with their old indexes: nothing reads them after. */
	free(p->role);
	p->role = NULL;
	p->nrole = 0;
out:
	free(adj);
	free(dist);
	free(queue);
	free(newof);
	free(key);
	free(v);
	return rc;
}

/* ---- the time axis ------------------------------------------------------------- */

double
plot_tmap_y(const struct tmap *m, simtime t)
{
	if (m->n == 0)
		return plot_to_ms(t);
	if (t <= m->t[0])
		return m->y[0] - plot_to_ms(m->t[0] - t);
	if (t >= m->t[m->n - 1])
		return m->y[m->n - 1] + plot_to_ms(t - m->t[m->n - 1]);
	int lo = 0, hi = m->n - 1;	/* t[lo] <= t < t[hi] */
	while (hi - lo > 1) {
		int mid = (lo + hi) / 2;
		if (m->t[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	return m->y[lo] + (m->y[hi] - m->y[lo]) * (double)(t - m->t[lo]) /
	                  (double)(m->t[hi] - m->t[lo]);
}

struct gap {
	simtime len;
	int i;
};

/* Longest first, then earliest: a total order. */
static int
cmp_gap(const void *a, const void *b)
{
	const struct gap *x = a, *y = b;
	if (x->len != y->len)
		return x->len < y->len ? 1 : -1;
	return (x->i > y->i) - (x->i < y->i);
}

/* How long a lost packet's hop would have taken: the shortest delivered
 * hop between the same two columns, else a typical hop. */
simtime
plot_lost_delay(const struct plot *p, const struct hop *h)
{
	int nc = p->cols.n;
	if (h->x0 < 0 || h->x1 < 0 || h->x0 >= nc || h->x1 >= nc)
		return p->hop_delay;	/* read_packets makes none such */
	if (p->pair_delay == NULL)
		return p->hop_delay;
	simtime d = p->pair_delay[(size_t)h->x0 * (size_t)nc + (size_t)h->x1];
	return d ? d : p->hop_delay;
}

/* y of the log scale: elapsed time from the window's start, on a
 * logarithm whose unit is a typical hop, so the first hop keeps about
 * its size and every doubling after it takes the same room. */
static double
log_y(const struct plot *p, simtime t)
{
	double d = (double)p->hop_delay;
	return plot_to_ms(p->hop_delay) * log2(1.0 + (double)(t - p->from) / d);
}

#define LOG_KNOTS 400		/* extra knots that trace the log curve */

/*
 * The time axis of a picture, as a piecewise-linear map with a knot at
 * every instant something happens in [from, to] (hops, and the changes
 * chg), by --scale:
 *   cut     a stretch between knots longer than four typical hops is cut
 *           out (the MAX_BANDS longest of them) and drawn as a band whose
 *           height grows with the logarithm of its length: a 16 s wait
 *           stands taller than a 1 s one, each far shorter than to scale;
 *   linear  time to scale throughout;
 *   log     the logarithm of the time since the start (log_y).
 */
static int
build_map(const struct plot *p, struct tmap *map, const struct change *chg,
          int nchg)
{
	int cap = 2 + 2 * p->nhops + nchg + LOG_KNOTS, n = 0;
	simtime *t = malloc(sizeof *t * (size_t)cap);
	if (t == NULL)
		return plot_fail("out of memory");
	t[n++] = p->from;
	t[n++] = p->to;
	for (int i = 0; i < p->nhops; i++) {
		const struct hop *h = &p->hops[i];
		simtime t1 = h->t1;
		if (h->kind == HOP_LOST && t1 <= h->t0)
			t1 = h->t0 + plot_lost_delay(p, h);	/* where it would be */
		if (h->t0 >= p->from && h->t0 <= p->to)
			t[n++] = h->t0;
		if (t1 >= p->from && t1 <= p->to)
			t[n++] = t1;
	}
	for (int i = 0; i < nchg; i++)
		if (chg[i].t >= p->from && chg[i].t <= p->to)
			t[n++] = chg[i].t;
	if (p->scale == SCALE_LOG) {
		/* Knots evenly spaced on the log axis. */
		double top = log_y(p, p->to);
		for (int k = 1; k < LOG_KNOTS; k++) {
			double e = exp2(top * k / LOG_KNOTS / plot_to_ms(p->hop_delay));
			simtime x = p->from + (simtime)((e - 1.0) *
			                                (double)p->hop_delay);
			if (x > p->from && x < p->to)
				t[n++] = x;
		}
	}
	qsort(t, (size_t)n, sizeof *t, plot_cmp_simtime);
	int m = 0;
	for (int i = 0; i < n; i++)
		if (m == 0 || t[i] != t[m - 1])
			t[m++] = t[i];

	map->t = t;
	map->n = m;
	map->y = calloc((size_t)m, sizeof *map->y);
	map->cut = calloc((size_t)m, sizeof *map->cut);
	struct gap *cand = calloc((size_t)m, sizeof *cand);
	if (!map->y || !map->cut || !cand) {
		free(cand);
		return plot_fail("out of memory");
	}
	simtime d = p->hop_delay;
	if (p->scale == SCALE_LOG) {
		for (int i = 0; i < m; i++)
			map->y[i] = log_y(p, t[i]);
		free(cand);
		return 0;
	}
	int nc = 0;
	for (int i = 0; i + 1 < m && p->scale == SCALE_CUT; i++)
		if (t[i + 1] - t[i] > 4 * d)
			cand[nc++] = (struct gap){ t[i + 1] - t[i], i };
	qsort(cand, (size_t)nc, sizeof *cand, cmp_gap);
	for (int k = 0; k < nc && k < MAX_BANDS; k++)
		map->cut[cand[k].i] = true;
	for (int i = 0; i + 1 < m; i++) {
		/* one hop tall for the shortest cut, half a hop more per
		 * doubling */
		double tall = plot_to_ms(d) *
		              (1.0 + 0.5 * log2((double)(t[i + 1] - t[i]) /
		                                (4.0 * (double)d)));
		map->y[i + 1] = map->y[i] +
		                (map->cut[i] ? tall : plot_to_ms(t[i + 1] - t[i]));
	}
	free(cand);
	return 0;
}

/* The typical delivered hop (median), and the shortest per column pair. */
static int
hop_delays(struct plot *p)
{
	int nc = p->cols.n;
	simtime *d = malloc(sizeof *d * (size_t)(p->nhops + 1));
	/* Per pair of columns only where a ladder will be drawn. */
	if (nc <= MAX_COLS)
		p->pair_delay = calloc((size_t)nc * (size_t)nc + 1,
		                       sizeof *p->pair_delay);
	if (d == NULL || (nc <= MAX_COLS && p->pair_delay == NULL)) {
		free(d);
		return plot_fail("out of memory");
	}
	int n = 0;
	for (int i = 0; i < p->nhops; i++) {
		const struct hop *h = &p->hops[i];
		simtime dt = h->t1 - h->t0;
		if (h->kind != HOP_ARROW || dt <= 0 || h->x0 == h->x1 ||
		    h->x0 < 0 || h->x1 < 0 || h->x0 >= nc || h->x1 >= nc)
			continue;
		d[n++] = dt;
		if (p->pair_delay == NULL)
			continue;
		simtime *a = &p->pair_delay[(size_t)h->x0 * nc + (size_t)h->x1];
		simtime *b = &p->pair_delay[(size_t)h->x1 * nc + (size_t)h->x0];
		if (*a == 0 || dt < *a)
			*a = *b = dt;
	}
	qsort(d, (size_t)n, sizeof *d, plot_cmp_simtime);
	simtime span = p->to - p->from;
	p->hop_delay = n ? d[n / 2] : span > 40 ? span / 40 : 1000000;
	free(d);
	return 0;
}

struct tick {
	double y;
	char lab[32];
};

static int
cmp_tick(const void *a, const void *b)
{
	double x = ((const struct tick *)a)->y, y = ((const struct tick *)b)->y;
	return (x > y) - (x < y);
}

/* A tick at x unless one taken is closer than apart (of the axis,
 * span); quantum: the precision its label needs (ns). */
static void
tick_at(const struct plot *p, simtime x, simtime quantum, struct tick *placed,
        int *n, int cap, double apart, double span)
{
	double y = plot_tmap_y(&p->map, x);
	for (int i = 0; i < *n; i++)
		if (fabs(placed[i].y - y) < apart * span)
			return;
	if (*n >= cap)
		return;
	placed[*n].y = y;
	fmt_tick(x, p->unit, quantum, placed[*n].lab, sizeof placed[*n].lab);
	(*n)++;
}

/* The precision of an edge's tick: a tenth of the step, or three
 * significant digits of its time when that is finer (61.2, not 61). */
static simtime
edge_q(simtime x, simtime step)
{
	simtime q = 1;
	while (q <= x / 1000)
		q *= 10;
	return q < step / 10 ? q : step / 10;
}

/* Tick marks, at least apart (a fraction of the axis) from each other:
 * first the window's ends and both edges of every band cut out, so a
 * reader sees where each stretch of real time begins and ends (31.3 s,
 * not a 30 s tick before it); then multiples of one step inside the
 * uncut stretches, or on the log scale 1, 2 and 5 times the powers of
 * ten after the start.  Rows "tick <pos> <label>". */
static void
write_ticks(FILE *f, const struct plot *p, double apart)
{
	const struct tmap *m = &p->map;
	simtime len = 0;
	for (int i = 0; i + 1 < m->n; i++)
		if (!m->cut[i])
			len += m->t[i + 1] - m->t[i];
	simtime step = plot_nice_step(len / 12 > 1000 ? len / 12 : 1000);
	double span = plot_tmap_y(m, p->to) - plot_tmap_y(m, p->from);
	enum { CAP = 200 };
	struct tick placed[CAP];
	int n = 0;
	tick_at(p, p->from, edge_q(p->from, step), placed, &n, CAP, apart, span);
	for (int i = 0; i + 1 < m->n; i++)
		if (m->cut[i]) {
			tick_at(p, m->t[i], edge_q(m->t[i], step), placed, &n, CAP, apart, span);
			tick_at(p, m->t[i + 1], edge_q(m->t[i + 1], step), placed, &n, CAP, apart,
			        span);
		}
	tick_at(p, p->to, edge_q(p->to, step), placed, &n, CAP, apart, span);
	if (p->scale == SCALE_LOG) {
		for (simtime dec = 1000; dec <= p->to - p->from && dec <= TIME_LIMIT;
		     dec *= 10)
			for (int c = 1; c <= 5; c += c == 1 ? 1 : 3)
				if (p->from + c * dec <= p->to)
					tick_at(p, p->from + c * dec, dec / 10, placed, &n,
					        CAP, apart, span);
	}
	for (int i = 0; i < m->n && p->scale != SCALE_LOG;) {
		int j = i;
		while (j + 1 < m->n && !m->cut[j])
			j++;
		simtime a = m->t[i], b = m->t[j];
		for (simtime x = (a + step - 1) / step * step; x <= b; x += step)
			tick_at(p, x, step, placed, &n, CAP, apart, span);
		i = j + 1;
	}
	qsort(placed, (size_t)n, sizeof *placed, cmp_tick);
	for (int i = 0; i < n; i++)
		fprintf(f, "tick\t%.6f\t%s\n", placed[i].y, placed[i].lab);
}

static void write_bands(FILE *f, const struct plot *p, double apart);

/* The blocks every data file starts with: the named rows or columns
 * ("host" or "row" lines, the picture's name for them), then the time
 * ticks and the bands of cut-out time along axis ('x' or 'y'). */
void
plot_write_frame(FILE *f, const char *what, const char *tag,
            const struct names *names, int n, char axis, const struct plot *p,
            double tick_apart, double band_apart)
{
	fprintf(f, "# %s data written by synsim plot\n"
	        "# block 0: %s %c name\n", what, tag, axis == 'x' ? 'y' : 'x');
	for (int i = 0; i < n; i++)
		fprintf(f, "%s\t%d\t%s\n", tag, i, names->v[i]);
	fprintf(f, "\n\n# block 1: tick %c label\n", axis);
	write_ticks(f, p, tick_apart);
	fprintf(f, "\n\n# block 2: band %c0 %c1 label\n", axis, axis);
	write_bands(f, p, band_apart);
}

/* The label of cut stretch i of the map ("900 ms idle (not to scale)"),
 * or " " when a band closer before it than apart (of the axis) already
 * has one (last: where that one is). */
const char *
plot_band_label(const struct plot *p, int i, double apart, double *last, char *buf,
           size_t len)
{
	const struct tmap *m = &p->map;
	double span = plot_tmap_y(m, p->to) - plot_tmap_y(m, p->from);
	if (m->y[i] - *last < apart * span)
		return " ";
	*last = m->y[i];
	char d[48];
	plot_fmt_about(m->t[i + 1] - m->t[i], d, sizeof d);
	snprintf(buf, len, "%s idle (not to scale)", d);
	return buf;
}

/* Rows "band <from> <to> <label>" for the stretches cut out. */
static void
write_bands(FILE *f, const struct plot *p, double apart)
{
	const struct tmap *m = &p->map;
	double last = -1e300;
	int n = 0;
	char lab[80];
	for (int i = 0; i + 1 < m->n; i++) {
		if (!m->cut[i])
			continue;
		fprintf(f, "band\t%.6f\t%.6f\t%s\n", m->y[i], m->y[i + 1],
		        plot_band_label(p, i, apart, &last, lab, sizeof lab));
		n++;
	}
	if (n == 0)
		fputs("none\t-1e9\t-1e9\t-\n", f);
}

/* ---- data files ------------------------------------------------------------------- */

/* The next staged file: written under its temporary name and renamed,
 * with the rest, only when every picture has been drawn. */
static struct outfile *
stage(struct plot *p)
{
	/* plot_all stages at most six data files and six pictures */
	assert(p->nstaged < MAX_STAGED);
	return &p->staged[p->nstaged++];
}

/* Open the data file NAME in DIR; NULL after a message. */
static FILE *
stage_open(struct plot *p, const char *name)
{
	struct outfile *o = stage(p);
	FILE *f = outfile_open(o, p->dir, name);
	if (f == NULL) {
		plot_fail("cannot write %s/%s: %s", p->dir, name, strerror(errno));
		p->nstaged--;
	}
	return f;
}

/* Close the data file stage_open opened last; 0 or an exit status. */
static int
stage_close(struct plot *p)
{
	struct outfile *o = &p->staged[p->nstaged - 1];
	char path[4200];
	snprintf(path, sizeof path, "%s", o->path);
	if (outfile_close(o) < 0) {
		p->nstaged--;
		return plot_fail("cannot write %s: %s", path, strerror(errno));
	}
	return 0;
}

/* Rename every staged file into place; 0 or an exit status (what was
 * not renamed is left to stage_discard). */
static int
stage_commit(struct plot *p)
{
	for (int i = 0; i < p->nstaged; i++) {
		char path[4200];
		snprintf(path, sizeof path, "%s", p->staged[i].path);
		if (outfile_commit(&p->staged[i]) < 0)
			return plot_fail("cannot write %s: %s", path, strerror(errno));
	}
	p->nstaged = 0;
	/* A picture this plot skipped must not stay from an earlier one
	 * (of the whole run, say, next to these of --hosts). */
	for (int i = 0; i < p->nskipped; i++) {
		const char *ext[] = { p->ext, "dat" };
		for (int k = 0; k < 2; k++) {
			char path[4200];
			snprintf(path, sizeof path, "%s/%s.%s", p->dir, p->skipped[i],
			         ext[k]);
			if (unlink(path) < 0 && errno != ENOENT)
				return plot_fail("cannot remove %s: %s", path,
				            strerror(errno));
		}
	}
	return 0;
}

/* The picture name is not drawn this time (the caller says why). */
static void
skip(struct plot *p, const char *name)
{
	if (p->nskipped < MAX_PICTURES)
		p->skipped[p->nskipped++] = name;
}

/* Drop the file staged last (its temporary removed). */
static void
unstage(struct plot *p)
{
	outfile_discard(&p->staged[--p->nstaged]);
}

static void
stage_discard(struct plot *p)
{
	for (int i = 0; i < p->nstaged; i++)
		outfile_discard(&p->staged[i]);
	p->nstaged = 0;
}

/* A line for stdout, printed when the plot has succeeded. */
static void
say(struct plot *p, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(p->said + p->nsaid, sizeof p->said - p->nsaid, fmt, ap);
	va_end(ap);
	if (n > 0)
		p->nsaid += (size_t)n < sizeof p->said - p->nsaid ?
		            (size_t)n : sizeof p->said - p->nsaid - 1;
}

bool
plot_in_window(const struct plot *p, simtime a, simtime b)
{
	return b >= p->from && a <= p->to;
}

/* ---- gnuplot -------------------------------------------------------------------- */

/* gnuplot's executable on PATH into buf; 0, or -1 if there is none. */
static int
find_gnuplot(char *buf, size_t len)
{
	const char *path = getenv("PATH");
	if (path == NULL)
		return -1;
	while (*path) {
		size_t n = strcspn(path, ":");
		snprintf(buf, len, "%.*s/gnuplot", (int)n, n ? path : ".");
		if (access(buf, X_OK) == 0)
			return 0;
		path += n + (path[n] == ':');
	}
	return -1;
}

/* s in a single-quoted gnuplot string: ' doubled. */
static void
gp_quote(char *buf, size_t len, const char *s)
{
	size_t n = 0;
	for (; *s && n + 3 < len; s++) {
		if (*s == '\'')
			buf[n++] = '\'';
		buf[n++] = *s;
	}
	buf[n] = '\0';
}

/*
 * gnuplot -e "in=DATA; out=...; title=...; VARS" plots/SCRIPT, drawing
 * DIR/NAME.EXT under a temporary name, staged when gnuplot exits 0 and
 * said nothing: a warning (a missing font, an empty data block, a range
 * error) means the picture is not the one intended.
 */
static int
draw(struct plot *p, const char *script, const char *name, const char *data,
     const char *vars)
{
	const char *pdir = getenv("SYNSIM_PLOTS");
	pdir = pdir && pdir[0] ? pdir : SYNSIM_PLOTS_DIR;
	char gp[4096], sp[4096], file[256];
	snprintf(sp, sizeof sp, "%s/%s", pdir, script);
	if (access(sp, R_OK) < 0)
		return plot_fail("cannot read %s: %s (set SYNSIM_PLOTS to the plots/ "
		            "folder)", sp, strerror(errno));
	if (find_gnuplot(gp, sizeof gp) < 0)
		return plot_fail("gnuplot not found on PATH: it draws the pictures "
		            "(Debian: apt-get install gnuplot-nox)");
	/* gnuplot writes the picture under the staged file's temporary
	 * name; the scripts take the terminal from the ".png"/".svg" in it. */
	snprintf(file, sizeof file, "%s.%s", name, p->ext);
	struct outfile *o = stage(p);
	if (outfile_reserve(o, p->dir, file) < 0) {
		p->nstaged--;
		return plot_fail("out of memory");
	}
	const char *tmp = o->tmp, *final = o->path;

	char qin[4200], qout[4200], qtitle[420], e[16384];
	gp_quote(qin, sizeof qin, data);
	gp_quote(qout, sizeof qout, tmp);
	gp_quote(qtitle, sizeof qtitle, p->title);
	snprintf(e, sizeof e, "in='%s'; out='%s'; title='%s'; %s", qin, qout,
	         qtitle, vars);

	int fd[2];
	if (pipe(fd) < 0) {
		unstage(p);
		return plot_fail("cannot run gnuplot: %s", strerror(errno));
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		close(fd[0]);
		close(fd[1]);
		unstage(p);
		return plot_fail("cannot run gnuplot: %s", strerror(errno));
	}
	if (pid == 0) {
		int nul = open("/dev/null", O_RDONLY);
		if (nul >= 0)
			dup2(nul, 0);
		dup2(fd[1], 1);
		dup2(fd[1], 2);
		close(fd[0]);
		close(fd[1]);
		/* The scripts and labels are UTF-8 ("→" in state changes); in
		 * the C locale gnuplot warns on `set encoding utf8`, so it runs
		 * in C.UTF-8, which every Debian system has. */
		setenv("LC_ALL", "C.UTF-8", 1);
		char *argv[] = { gp, "-e", e, sp, NULL };
		execv(gp, argv);
		_exit(127);
	}
	close(fd[1]);
	char *said = NULL;
	size_t n = 0, cap = 0;
	for (;;) {
		if (n + 1024 > cap) {
			char *b = realloc(said, cap = cap ? 2 * cap : 4096);
			if (b == NULL)
				break;
			said = b;
		}
		ssize_t r = read(fd[0], said + n, cap - n - 1);
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	close(fd[0]);
	if (said)
		said[n] = '\0';
	int st;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	bool ok = WIFEXITED(st) && WEXITSTATUS(st) == 0 && n == 0;
	struct stat sb;
	ok = ok && stat(tmp, &sb) == 0 && sb.st_size > 0;
	if (!ok) {
		char how[48];
		if (WIFSIGNALED(st))
			snprintf(how, sizeof how, "killed by signal %d", WTERMSIG(st));
		else
			snprintf(how, sizeof how, "exit %d", WEXITSTATUS(st));
		fprintf(stderr, "synsim: gnuplot failed drawing %s with %s (%s):\n%s",
		        final, sp, how, said ? said : "");
		if (n && said[n - 1] != '\n')
			fputc('\n', stderr);
		free(said);
		unstage(p);
		return 2;
	}
	free(said);
	say(p, "%s\n", final);
	return 0;
}

/* tseq.png of the connection focused on (--conn), or of the first on
 * the ladder that carried data. */
static int
plot_tseq(struct plot *p)
{
	int pick = -1;
	for (int r = 0; r < p->nci && pick < 0; r++) {
		if (!p->ci[r].focus || p->ci[r].pair != r || p->ci[r].peer < 0)
			continue;
		for (int i = 0; i < p->nhops && pick < 0; i++)
			if (p->hops[i].conn == r && strstr(p->hops[i].label, " len "))
				pick = r;
	}
	if (pick < 0) {
		skip(p, "tseq");
		say(p, "tseq.%s skipped: no connection drawn carried data\n",
		    p->ext);
		return 0;
	}
	const struct conninfo *ci = &p->ci[pick];
	struct view_conn c = {
		.a = p->ends.v[ci->host], .b = p->ends.v[ci->peer],
		.isn_a = ci->isn, .isn_b = ci->peer_isn, .has_a = ci->has_isn,
		.has_b = ci->has_peer_isn, .name = p->rows.v[pick],
	};
	return tseq_plot(p, &c);
}

/* ---- for the other pictures (plot_int.h) ------------------------------------------- */

int
plot_read_csv(struct plot *p, const char *name, struct csvtab *t,
              bool optional)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/%s", plot_dir(p), name);
	if (optional && access(path, F_OK) != 0)
		return 1;
	if (csv_read(path, t) < 0) {
		char msg[4400];
		fprintf(stderr, "synsim: %s\n", csv_error(path, t, msg, sizeof msg));
		return -1;
	}
	return 0;
}

const char *
plot_dir(const struct plot *p)
{
	return p->dir;
}

const char *
plot_ext(const struct plot *p)
{
	return p->ext;
}

void
plot_window(const struct plot *p, simtime *from, simtime *to)
{
	*from = p->from;
	*to = p->to;
}

FILE *
plot_stage_open(struct plot *p, const char *name)
{
	return stage_open(p, name);
}

int
plot_stage_close(struct plot *p)
{
	return stage_close(p);
}

const char *
plot_staged_tmp(const struct plot *p)
{
	return p->staged[p->nstaged - 1].tmp;
}

int
plot_draw(struct plot *p, const char *script, const char *name,
          const char *data, const char *vars)
{
	return draw(p, script, name, data, vars);
}

void
plot_skip(struct plot *p, const char *name)
{
	skip(p, name);
}

void
plot_say(struct plot *p, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char line[1024];
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	say(p, "%s", line);
}

/* ---- the command ------------------------------------------------------------------ */

static int
parse_args(struct plot *p, int argc, char **argv)
{
	p->ext = "png";
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;
		bool takes = strcmp(a, "--format") == 0 || strcmp(a, "--from") == 0 ||
		             strcmp(a, "--to") == 0 || strcmp(a, "--hosts") == 0 ||
		             strcmp(a, "--conn") == 0 || strcmp(a, "--scale") == 0;
		static const char *const scales[] = { "cut", "linear", "log" };
		if (takes && val == NULL)
			return sim_usage_error("%s needs a value", a);
		if (strcmp(a, "--format") == 0) {
			if (strcmp(val, "png") && strcmp(val, "svg"))
				return sim_usage_error("--format %s: expected png or svg", val);
			p->ext = val;
			i++;
		} else if (strcmp(a, "--from") == 0 || strcmp(a, "--to") == 0) {
			char err[UNITS_ERRLEN];
			bool from = strcmp(a, "--from") == 0;
			simtime *t = from ? &p->from : &p->to;
			if (units_parse_duration(val, t, err) < 0) {
				fprintf(stderr, "synsim: %s: %s\n(synsim --help shows the "
				        "usage)\n", a, err);
				return 2;
			}
			if (*t > TIME_LIMIT) {
				fprintf(stderr, "synsim: %s %s: too late (at most 10^18 ns, "
				        "about 31 years)\n(synsim --help shows the "
				        "usage)\n", a, val);
				return 2;
			}
			*(from ? &p->has_from : &p->has_to) = true;
			*(from ? &p->from_arg : &p->to_arg) = val;
			i++;
		} else if (strcmp(a, "--conn") == 0) {
			if (strchr(val, '#') == NULL)
				return sim_usage_error("--conn %s: expected HOST#N, as "
				                       "states.csv names a connection "
				                       "(client#1)", val);
			p->conn_arg = val;
			i++;
		} else if (strcmp(a, "--scale") == 0) {
			int k = 0;
			while (k < 3 && strcmp(val, scales[k]) != 0)
				k++;
			if (k == 3)
				return sim_usage_error("--scale %s: expected cut, linear "
				                       "or log", val);
			p->scale = k;
			i++;
		} else if (strcmp(a, "--all") == 0) {
			p->all = true;
		} else if (strcmp(a, "--hosts") == 0) {
			int st = hostsel_parse(&p->hosts, val);
			if (st)
				return st;
			i++;
		} else if (a[0] == '-' && a[1] != '\0') {
			return sim_usage_error("unknown option %s", a);
		} else if (p->dir == NULL) {
			if (*a == '\0')
				return sim_usage_error("%s", "plot: an empty run "
				                       "folder name");
			p->dir = a;
		} else {
			return sim_usage_error("one run folder at a time (also got %s)", a);
		}
	}
	if (p->dir == NULL)
		return sim_usage_error("%s", "plot: which run folder? (synsim plot DIR)");
	if (p->conn_arg && (p->all || p->hosts.n))
		return sim_usage_error("%s", "--conn draws one connection: not "
		                       "with --all or --hosts");
	if (p->has_from && p->has_to && p->from >= p->to)
		return sim_usage_error("%s", "--from must be earlier than --to");
	return 0;
}

/* The window: what the options say, else first to last event.  One that
 * holds nothing of the run is a usage error, said here rather than as
 * gnuplot's complaint about an empty axis. */
static int
window(struct plot *p)
{
	simtime lo = SIMTIME_MAX, hi = 0;
	for (int i = 0; i < p->nhops; i++) {
		lo = p->hops[i].t0 < lo ? p->hops[i].t0 : lo;
		hi = p->hops[i].t1 > hi ? p->hops[i].t1 : hi;
	}
	for (int i = 0; i < p->ntchg; i++) {
		lo = p->tchg[i].t < lo ? p->tchg[i].t : lo;
		hi = p->tchg[i].t > hi ? p->tchg[i].t : hi;
	}
	if (lo > hi) {
		lo = hi = 0;	/* no events: nothing is drawn anyway */
	} else if ((p->has_from && p->from > hi) || (p->has_to && p->to <= lo)) {
		char ev[48], msg[300];
		bool late = p->has_from && p->from > hi;
		simtime_format_short(late ? hi : lo, ev, sizeof ev);
		snprintf(msg, sizeof msg, "%s %.60s: %s the run's %s event (at %s); "
		         "nothing to draw", late ? "--from" : "--to",
		         late ? p->from_arg : p->to_arg,
		         late ? "after" : "not after", late ? "last" : "first", ev);
		return sim_usage_error("%s", msg);
	}
	if (!p->has_from)
		p->from = p->has_to && p->to < lo ? 0 : lo;
	if (!p->has_to)
		p->to = hi > p->from ? hi : p->from + 1000000;
	return 0;
}

static void
plot_free(struct plot *p)
{
	names_free(&p->cols);
	free(p->role);
	names_free(&p->rows);
	hostsel_free(&p->hosts);
	free(p->hops);
	if (p->tchg != p->chg)
		free(p->tchg);
	free(p->chg);
	names_free(&p->ends);
	free(p->ci);
	free(p->out);
	free(p->map.t);
	free(p->map.y);
	free(p->map.cut);
	if (p->smap.t != p->map.t) {
		free(p->smap.t);
		free(p->smap.y);
		free(p->smap.cut);
	}
	free(p->pair_delay);
}

static int
plot_all(struct plot *p)
{
	int rc;
	char err[4400];
	if (json_check_summary(p->dir, 0, err, sizeof err) < 0)
		return plot_fail("%s", err);
	if ((rc = read_packets(p)) || (rc = read_states(p)) ||
	    (rc = hostsel_check(&p->hosts)))
		return rc;
	if ((rc = assign_conns(p)) || (rc = read_rules(p)))
		return rc;
	if ((rc = focus(p)) || (rc = order_columns(p)))
		return rc;
	if (p->tchg == NULL) {
		p->tchg = p->chg;
		p->ntchg = p->nchg;
	}
	if (p->note[0])
		say(p, "focus: %s\n", p->note);
	read_title(p);
	if ((rc = window(p)) || (rc = hop_delays(p)) ||
	    (rc = build_map(p, &p->map, p->chg, p->nchg)))
		return rc;
	/* The timeline's rows beyond the ladder's have their own times. */
	if (p->tchg == p->chg)
		p->smap = p->map;
	else if ((rc = build_map(p, &p->smap, p->tchg, p->ntchg)))
		return rc;
	p->unit = p->to >= 10 * SIMTIME_S ? SIMTIME_S : SIMTIME_MS;
	const char *unit = p->unit == SIMTIME_S ? "s" : "ms";

	const struct tmap *m = &p->map;
	double y0 = plot_tmap_y(m, p->from), y1 = plot_tmap_y(m, p->to);
	double pad = (y1 - y0) * 0.04;
	p->ylo = y0 - pad;
	p->yhi = y1 + pad;
	if ((rc = ladderplot_fit_margins(p)))
		return rc;
	char vars[4096], present[64], stats[256];
	int nshown = 0;
	if (p->cols.n == 0) {
		skip(p, "ladder");
		say(p, "ladder.%s skipped: no packets and no states\n", p->ext);
	} else if (p->cols.n > MAX_COLS) {
		skip(p, "ladder");
		say(p, "ladder.%s skipped: %d nodes, more than a ladder can show "
		    "(%d); --hosts picks some\n", p->ext, p->cols.n, MAX_COLS);
	} else {
		if ((rc = ladderplot_write(p, &nshown)))
			return rc;
		char qnote[1700];
		gp_quote(qnote, sizeof qnote, p->note);
		snprintf(vars, sizeof vars,
		         "ncols=%d; xlo=%g; xhi=%g; ymin=%.6f; ymax=%.6f; "
		         "labelled=%d; unit='%s'; note='%s'; npairs=%d; "
		         "pnames='%s'; pcolours='%s'; nout=%d", p->cols.n, p->xlo,
		         p->xhi, p->ylo, p->yhi, nshown <= MAX_LABELLED, unit, qnote,
		         p->npairs, p->pair_names, p->pair_colours, p->nout);
		/* The data file is the one just staged. */
		if ((rc = draw(p, "ladder.gp", "ladder",
		               p->staged[p->nstaged - 1].tmp, vars)))
			return rc;
	}
	if (p->rows.n == 0) {
		skip(p, "states");
		say(p, "states.%s skipped: no state changes in states.csv%s\n",
		    p->ext, p->hosts.n ? " of the hosts chosen" : "");
	} else {
		/* Drawn on its own axis: the ladder's, swapped out. */
		struct tmap lm = p->map;
		p->map = p->smap;
		rc = states_write(p, present, sizeof present);
		double s0 = plot_tmap_y(&p->map, p->from), s1 = plot_tmap_y(&p->map, p->to);
		double spad = (s1 - s0) * 0.04;
		p->map = lm;
		if (rc)
			return rc;
		snprintf(vars, sizeof vars,
		         "nrows=%d; xmin=%.6f; xmax=%.6f; present='%s'; "
		         "more=%d; unit='%s'; lead='%s'",
		         p->rows.n < MAX_ROWS ? p->rows.n : MAX_ROWS,
		         s0 - spad, s1 + spad, present,
		         p->rows.n > MAX_ROWS ? p->rows.n - MAX_ROWS : 0, unit,
		         p->note[0] ? "those on the ladder first" : "");
		if ((rc = draw(p, "states.gp", "states",
		               p->staged[p->nstaged - 1].tmp, vars)))
			return rc;
	}
	if ((rc = queues_plot(p)) || (rc = plot_tseq(p)))
		return rc;
	/* The aggregate when the ladder could not show every packet: a
	 * focus left some out, or too many for labels. */
	if (p->note[0] && !p->conn_arg) {
		if ((rc = aggregate_plot(p)))
			return rc;
	} else if (nshown > MAX_LABELLED) {
		if ((rc = aggregate_plot(p)))
			return rc;
	} else {
		skip(p, "aggregate");
	}
	int n = handshake_write(p, stats, sizeof stats);
	if (n < 0)
		return -n;
	if (n < 2) {
		skip(p, "handshake");
		say(p, "handshake.%s skipped: %d connection%s with a handshake "
		    "time (2 needed)\n", p->ext, n, n == 1 ? "" : "s");
		return 0;
	}
	return draw(p, "handshake.gp", "handshake",
	            p->staged[p->nstaged - 1].tmp, stats);
}

bool
plot_output_name(const char *name)
{
	static const char *const pictures[] = { "ladder", "states", "handshake",
		                                "queues", "tseq", "aggregate" };
	static const char *const exts[] = { "png", "svg", "dat" };
	for (size_t i = 0; i < sizeof pictures / sizeof pictures[0]; i++) {
		size_t n = strlen(pictures[i]);
		if (strncmp(name, pictures[i], n) != 0 || name[n] != '.')
			continue;
		for (size_t k = 0; k < sizeof exts / sizeof exts[0]; k++)
			if (strcmp(name + n + 1, exts[k]) == 0)
				return true;
	}
	return false;
}

int
plot_main(int argc, char **argv)
{
	struct plot p = { 0 };
	int rc = parse_args(&p, argc, argv);
	if (rc == 0)
		rc = plot_all(&p);
	if (rc == 0)
		rc = stage_commit(&p);
	stage_discard(&p);	/* after a failure: nothing new stays */
	if (rc == 0)
		fwrite(p.said, 1, p.nsaid, stdout);
	plot_free(&p);
	return rc;
}
