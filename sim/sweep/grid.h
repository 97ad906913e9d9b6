/*
 * grid.h - the points of a sweep: the Cartesian product of its -P axes,
 * the first axis varying slowest, and the seed of each run.
 *
 * A value that reads as a decimal number is kept in one canonical
 * spelling (the shortest that reads back as the same double: "0.10" and
 * "1e-1" are both "0.1"), so a number is written the same way in every
 * output and gives the same seed however it was typed.  Anything else
 * ("50ms", "rfc") is a string, kept as written.
 */
#ifndef SYNSIM_SWEEP_GRID_H
#define SYNSIM_SWEEP_GRID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sw_axis {
	char *name;
	char **vals;		/* canonical spellings */
	int nvals;
};

struct sw_grid {
	struct sw_axis *ax;
	int nax;
	long npoints;		/* product of the nvals; 1 with no axis */
};

#define GRID_MAX_RUNS 100000000L
#define GRID_MAX_AXES 16

/* Add the axis of "name=v1,v2,..." or "name=start:stop:step" (numbers;
 * stop included when the steps reach it exactly).  0, or -1 with what is
 * wrong in err. */
int grid_add_axis(struct sw_grid *g, const char *spec, char *err, size_t len);
void grid_free(struct sw_grid *g);

/* The value of axis a at point p. */
const char *grid_value(const struct sw_grid *g, long p, int a);

/* The seed of (base, the values of point p, rep): the point is named by
 * its values, axis by axis in name order, not by its index, so adding a
 * value to an axis or the axes' order on the command line leaves the
 * other points' seeds alone.  53 bits, exact in any tool that reads
 * numbers as doubles. */
uint64_t grid_seed(const struct sw_grid *g, long p, int rep, uint64_t base);

/* s is a decimal number as grid.h defines it; its value in *v. */
bool grid_is_number(const char *s, double *v);
/* The shortest "%.Ng" of v that reads back as v, into buf. */
void grid_format_double(double v, char *buf, size_t len);

#endif
