/*
 * plot.h - `synsim plot DIR`: pictures of a finished run, drawn by gnuplot
 * with the scripts in plots/.  Called by main.c.
 */
#ifndef SYNSIM_PLOT_H
#define SYNSIM_PLOT_H

#include <stdbool.h>

/* The plot command's arguments (after the word "plot"); returns the exit
 * status: 0 ok, 2 a usage error, a missing input, or gnuplot failing. */
int plot_main(int argc, char **argv);
/* Whether name is a file synsim plot writes (ladder.png, states.dat, ...):
 * a new run into the folder removes these, drawn from an older run. */
bool plot_output_name(const char *name);

#endif
