/*
 * plot.h - `synsim plot DIR`: pictures of a finished run, drawn by gnuplot
 * with the scripts in plots/.  Called by main.c.
 */
#ifndef SYNSIM_PLOT_H
#define SYNSIM_PLOT_H

/* The plot command's arguments (after the word "plot"); returns the exit
 * status: 0 ok, 2 a usage error, a missing input, or gnuplot failing. */
int plot_main(int argc, char **argv);

#endif
