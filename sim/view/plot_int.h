/*
 * plot_int.h - what the pictures of `synsim plot` share, private to
 * sim/view/: plot.c reads the run and draws the ladder, the state
 * timeline and the handshake times; queues.c and tseq.c draw theirs from
 * the same run through these.  Every file goes through plot.c's staging,
 * so a plot writes all of its pictures or none.
 */
#ifndef SYNSIM_PLOT_INT_H
#define SYNSIM_PLOT_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "../core/outfile.h"
#include "../core/simtime.h"
#include "../trace/csvread.h"
#include "../trace/hostsel.h"

/* ---- the run as plot.c reads it, for the pictures drawn from it ---------- */

#define LABEL_MAX 96
#define MAX_BANDS 20		/* idle stretches cut out of the axis, at most */
#define MAX_LABELLED 300	/* more packets than this: arrows only */
#define MAX_ROWS 40		/* connections on the state timeline */
#define MAX_COLS 256		/* nodes on a ladder: beyond, unreadable */
#define MAX_STATE_LABELS 80	/* state changes written on the ladder */
#define LADDER_BAND_APART 0.05	/* of the axis, between labelled bands */
#define MAX_CHAIN 3		/* states in one ladder label: the last ones */
#define MARGINS_MAX 0.35	/* both label margins together, of the page */
#define MAX_STAGED 12		/* six data files and six pictures */
#define MAX_PICTURES 6
/* Latest time read (about 31.7 years): the axis adds a window's length or
 * a tick step to a time, which must stay far from INT64_MAX. */
#define TIME_LIMIT ((simtime)1000000000000000000)

/* ---- small containers ------------------------------------------------------ */

/* What a column's node was seen doing, for order_columns. */
enum {
	COL_OPENS = 1,		/* a connection of it went SYN-SENT: a client */
	COL_SYNS = 2,		/* sent a bare SYN: a client, or a flood */
	COL_FORWARDS = 4,	/* forwarded a packet: a router */
};

/* Names in order of first appearance: ladder columns (until
 * order_columns sorts them), timeline rows. */
struct names {
	char **v;
	int n, cap;
};

/* A packet's own fields, which say whose connection it is. */
enum { PF_SYN = 1, PF_ACK = 2, PF_RST = 4 };
struct pktid {
	int src, dst;		/* its ends, in plot.ends */
	uint32_t seq, ack;
	unsigned char fl;	/* PF_* */
};

struct hop {
	int x0, x1;		/* columns */
	simtime t0, t1;
	enum { HOP_ARROW, HOP_LOST, HOP_DROPPED } kind;
	bool retx, rto, first;
	struct pktid id;
	int conn;		/* the connection's pair (a row), -1: none */
	char label[LABEL_MAX];
	char tip[LABEL_MAX * 5];	/* every field, for the SVG's hover */
};

/* A packet on its way: where its current hop started. */
struct pending {
	bool live, retx;
	bool rto;		/* sent again because its RTO expired */
	bool first;		/* its current hop starts at its sender */
	int col, to;
	simtime t;
	struct pktid id;
	char label[LABEL_MAX];
	char tip[LABEL_MAX * 3];
};

/* What a connection (a timeline row) is: its ends and initial sequence
 * numbers, which find its packets (packets.csv has no ports). */
struct conninfo {
	int host, peer;		/* in plot.ends; peer -1 if not known */
	int col;		/* the host's column */
	enum { OPEN_NONE, OPEN_ACTIVE, OPEN_PASSIVE } open;
	simtime open_t;
	uint32_t isn, peer_isn;
	bool has_isn, has_peer_isn;
	int pair;		/* the row of the pair's first side */
	bool focus;		/* drawn on the ladder */
};

struct change {
	int row, col;		/* timeline row (host #conn), ladder column */
	simtime t;
	int from, to;		/* enum tcp_state */
	bool timeout;		/* its cause names a timeout */
};

/* The piecewise-linear map from time to the drawn axis (ms units). */
struct tmap {
	simtime *t;
	double *y;
	bool *cut;		/* the stretch after knot i is cut out */
	int n;
};

struct outage {
	char link[64];
	int a, b;		/* its ends' columns */
	simtime t0, t1;		/* its first and last drop */
};

/* A timer as the run shows it: an RTO from a send to its retransmission,
 * TIME-WAIT, connect() giving up. */
struct bracket {
	simtime t0, t1;
	int col;
	char label[96];
};

struct plot {
	const char *dir;
	const char *ext;	/* "png" or "svg" */
	simtime from, to;
	bool has_from, has_to;
	const char *from_arg, *to_arg;	/* as given, for messages */
	struct hostsel hosts;	/* --hosts */
	char title[200];

	struct names cols;
	unsigned char *role;	/* per column: COL_OPENS, ... */
	int nrole;
	struct hop *hops;
	int nhops, hcap;
	struct names rows;
	struct change *chg;	/* on the ladder (the focused rows') */
	int nchg, ccap;
	struct change *tchg;	/* on the timeline: chg, or every row's */
	int ntchg;
	struct names ends;	/* packets' and connections' ends */
	struct conninfo *ci;	/* per row */
	int nci, cicap;
	const char *conn_arg;	/* --conn HOST#N */
	bool all;		/* --all: no automatic focus */
	char note[800];		/* what the focus left out */
	int npairs;		/* connections drawn in colours */
	int omitted;		/* ladder labels with no free place */
	char pair_names[600], pair_colours[200];

	struct outage *out;
	int nout, ocap;
	struct tmap map;	/* the ladder's time axis */
	struct tmap smap;	/* the state timeline's: every row's changes */
	enum { SCALE_CUT, SCALE_LINEAR, SCALE_LOG } scale;
	simtime unit;		/* ns per unit of the tick labels: ms, or s
				 * for a window reaching 10 s */
	double xlo, xhi, ylo, yhi;	/* the ladder's plot ranges */
	simtime hop_delay;	/* a typical delivered hop, ns */
	simtime *pair_delay;	/* shortest delivered hop per column pair */

	struct outfile staged[MAX_STAGED];	/* closed, to commit together */
	int nstaged;
	const char *skipped[MAX_PICTURES];	/* pictures not drawn: an older plot's
				 * files of them go at the commit */
	int nskipped;
	char said[3 * 4400];	/* stdout, printed once all is renamed */
	size_t nsaid;
};

#define ARROW " \xe2\x86\x92 "	/* " → ", in chains of states */

/* Shared by the pictures (plot.c). */
int plot_fail(const char *fmt, ...);
int plot_grow(void *vp, int n, int *cap, size_t sz);
int plot_cmp_simtime(const void *a, const void *b);
simtime plot_nice_step(simtime raw);
void plot_fmt_ms(simtime t, char *buf, size_t len);
double plot_to_ms(simtime t);
void plot_fmt_about(simtime d, char *buf, size_t len);
double plot_tmap_y(const struct tmap *m, simtime t);
simtime plot_lost_delay(const struct plot *p, const struct hop *h);
void plot_write_frame(FILE *f, const char *what, const char *tag,
                      const struct names *names, int n, char axis,
                      const struct plot *p, double tick_apart,
                      double band_apart);
const char *plot_band_label(const struct plot *p, int i, double apart,
                            double *last, char *buf, size_t len);
bool plot_in_window(const struct plot *p, simtime a, simtime b);

/* ladderplot.c: the ladder.  Room beyond the outer axes for the labels
 * there (sets xlo, xhi); ladder.dat, staged (ntotal: the hops in the
 * window); 0 or an exit status. */
int ladderplot_fit_margins(struct plot *p);
int ladderplot_write(struct plot *p, int *ntotal);
/* states.c: states.dat, staged; present gets the states drawn (their
 * numbers + 1, for the key). */
int states_write(struct plot *p, char *present, size_t plen);
/* handshake.c: handshake.dat, staged; the number of handshakes (below
 * 2: nothing staged), or minus an exit status. */
int handshake_write(struct plot *p, char *stats, size_t slen);

/* One connection, as both its sides' names and initial sequence
 * numbers find its packets in packets.csv (which has no ports). */
struct view_conn {
	const char *a, *b;	/* the side that opened, and its peer */
	uint32_t isn_a, isn_b;
	bool has_a, has_b;
	const char *name;	/* "client #1" */
};

const char *plot_dir(const struct plot *p);
const char *plot_ext(const struct plot *p);
/* The window drawn, [from, to]. */
void plot_window(const struct plot *p, simtime *from, simtime *to);
/* A data file in the run's folder, under a temporary name until the
 * plot commits; NULL after a message. */
FILE *plot_stage_open(struct plot *p, const char *name);
/* Close it; 0 or an exit status. */
int plot_stage_close(struct plot *p);
/* The temporary name of the data file staged last, for gnuplot. */
const char *plot_staged_tmp(const struct plot *p);
/* Read NAME in the run's folder into t: 0; 1 when optional and it is
 * not there; -1 after a message saying what is wrong with it. */
int plot_read_csv(struct plot *p, const char *name, struct csvtab *t,
                  bool optional);
/* Draw NAME.EXT with plots/SCRIPT from data (gnuplot -e "in=...;
 * out=...; title=...; VARS"); 0 or an exit status. */
int plot_draw(struct plot *p, const char *script, const char *name,
              const char *data, const char *vars);
/* NAME is not drawn this time: an older one goes at the commit. */
void plot_skip(struct plot *p, const char *name);
/* A line for stdout once the plot has succeeded. */
void plot_say(struct plot *p, const char *fmt, ...);

/* queues.png: the listeners' queues; 0 or an exit status. */
int queues_plot(struct plot *p);
/* aggregate.png: per direction between hosts, packets per time bin;
 * 0 or an exit status. */
int aggregate_plot(struct plot *p);
/* tseq.png: sequence numbers against time, both directions of c; 0 or
 * an exit status. */
int tseq_plot(struct plot *p, const struct view_conn *c);

#endif
