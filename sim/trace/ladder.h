/*
 * ladder.h - a finished run as a sequence diagram in plain text, and the
 * run's event stream that `synsim ladder` and `synsim diff` share.
 *
 * The event stream is packets.csv and states.csv merged in the order the
 * events happened: both files number their rows from one counter
 * (event_no).  Files without that column (hand-made ones) are merged by
 * time, placing a state change of host H at time t after the last packet
 * H received at t, else before the first packet H sent at t, else after
 * every packet row of t, which reads as cause and effect ("SYN received
 * → SYN-RECEIVED → SYN+ACK sent").
 *
 *            client                                              server
 *   0.000000s   SYN-SENT  (connect() called)                        │
 *   0.000000s     ├───────SYN 0───────────────                      │
 *   0.050048s     │                          ───────SYN 0──────────▶│
 */
#ifndef SYNSIM_LADDER_H
#define SYNSIM_LADDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "csvread.h"

#define LADDER_WIDTH 80		/* columns of a line, time included */
#define LADDER_MIN_WIDTH 40

enum ladder_kind { LADDER_PKT, LADDER_STATE };

struct ladder_event {
	enum ladder_kind kind;
	int row;		/* row in packets.csv or states.csv (1 = first) */
	int64_t t;
};

/* Column indexes of the fields the ladder reads. */
struct ladder_pcols {
	int t, id, at, from, to, event, flags, seq, ack, rel_seq, rel_ack, len,
	    reason, dup_of;
};
struct ladder_scols {
	int t, host, conn, from_state, to_state, cause;
	int peer;		/* -1 in files from older versions */
};

struct ladder_run {
	struct csvtab pkts, states;
	struct ladder_pcols pc;
	struct ladder_scols sc;
	struct ladder_event *ev;	/* the merged stream */
	int nev;
};

/* Read DIR/packets.csv and DIR/states.csv and merge them.  0, or -1 with
 * a message quoting the path in err. */
int ladder_load(struct ladder_run *r, const char *dir, char *err,
                size_t errlen);
void ladder_run_free(struct ladder_run *r);

struct hostsel;
/* Keep only the events of the hosts selected (hostsel.h), noting which
 * of them the run has for hostsel_check. */
void ladder_select(struct ladder_run *r, struct hostsel *h);

struct ladder_opts {
	bool ascii;		/* '|', '-', '>' instead of box drawing */
	int width;		/* 0: LADDER_WIDTH; at least LADDER_MIN_WIDTH */
};

struct ladder_line {
	char *text;		/* UTF-8 (or ASCII), no newline */
	int first, count;	/* events drawn on it; header: -1, 0 */
};

struct ladder {
	struct ladder_line *line;
	int n;
};

/* Draw the run: a header line with the host names, then one line per
 * packet send, arrival, drop, duplication and state change.  0, or -1
 * when out of memory. */
int ladder_draw(const struct ladder_run *r, const struct ladder_opts *o,
                struct ladder *out);
void ladder_print(FILE *f, const struct ladder *l);
void ladder_free(struct ladder *l);

/* Columns a line takes on a terminal (all glyphs used are one wide). */
int ladder_cells(const char *s);

/* Event i in words, for diff: "drop SYN+ACK 0 ack 1 server→client on
 * client-server (rule #1: ...)", "client #1 SYN-SENT → ESTABLISHED (...)". */
void ladder_describe(const struct ladder_run *r, int i, bool ascii, char *buf,
                     size_t len);

#endif
