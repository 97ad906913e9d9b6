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

#include "../core/simtime.h"

struct plot;

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
