/*
 * table.h - the results of a sweep in memory, one record per run in run
 * order, and the three files made from them:
 *
 *   runs.csv     one row per run: run, point, rep, each axis, seed,
 *                status, error, events, end_ns, fingerprint, then each
 *                sim.metric (columns in order of first appearance in run
 *                order; empty where a run did not record it)
 *   conns.csv    one row per connection a run opened actively (connect()):
 *                run, point, rep, each axis, host, conn, outcome,
 *                handshake_ms, retransmits
 *   summary.csv  per point and metric: n, mean, stddev, min, p50, p95,
 *                p99, max, ci95_lo, ci95_hi (stats.h); the per-connection
 *                metrics conn.handshake_ms and conn.connected (1 or 0)
 *                pool every connection of the point's runs
 *
 * Every file is a function of the records alone, whatever order the
 * runs finished in: this is what makes -j 1 and -j 8, and a merge of
 * shards, write the same bytes.
 */
#ifndef SYNSIM_SWEEP_TABLE_H
#define SYNSIM_SWEEP_TABLE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "grid.h"

struct sw_metric {
	char *name;
	double v;
};

struct sw_conn {
	char *host;
	int conn;		/* the host's connection number */
	char *outcome;		/* as summary.json says it */
	double handshake_ms;	/* NaN: never established */
	int retransmits;
};

struct sw_run {
	bool done;
	int status;		/* RUN_OK, RUN_EXPECT_FAILED, RUN_ERROR */
	uint64_t seed, events, fingerprint;
	int64_t end_ns;
	char *error;		/* NULL: none */
	struct sw_metric *m;	/* in the order the run recorded them */
	int nm;
	struct sw_conn *c;
	int nc;
};

struct sw_table {
	const struct sw_grid *g;
	int reps;
	long nruns;		/* npoints * reps */
	struct sw_run *runs;
};

#define TABLE_FIXED_COLS "run", "point", "rep", "seed", "status", "error", \
	"events", "end_ns", "fingerprint"

/* Room for every run of grid g with reps replications; 0 or -1. */
int table_init(struct sw_table *t, const struct sw_grid *g, int reps);
void table_free(struct sw_table *t);
void table_run_clear(struct sw_run *r);

/* Record a metric (a second value of a name replaces the first, in its
 * place, as summary.json does); 0 or -1. */
int table_run_metric(struct sw_run *r, const char *name, double v);

/* The metric columns of runs.csv for the runs marked in `in` (NULL:
 * every run that is done), in order of first appearance in run order:
 * a malloc'd NULL-terminated array of borrowed names. */
const char **table_names(const struct sw_table *t, const bool *in);
/* Is every metric of run r in names? */
bool table_names_cover(const char **names, const struct sw_run *r);

/* The header of runs.csv / one row of it / the rows of conns.csv of one
 * run, as malloc'd text (*len bytes), so that each reaches the file in
 * one write: a file cut short by a kill holds whole rows. */
char *table_runs_header(const struct sw_table *t, const char **names,
                        size_t *len);
char *table_runs_row(const struct sw_table *t, long r, const char **names,
                     size_t *len);
char *table_conns_header(const struct sw_table *t, size_t *len);
char *table_conns_rows(const struct sw_table *t, long r, size_t *len);

/* Write DIR/runs.csv, DIR/conns.csv (rows of the runs in `in`, NULL for
 * all done ones, in run order) or DIR/summary.csv whole, through a
 * temporary renamed into place.  0, or -1 after a message on stderr. */
int table_write_runs(const struct sw_table *t, const char *dir,
                     const bool *in);
int table_write_conns(const struct sw_table *t, const char *dir,
                      const bool *in);
int table_write_summary(const struct sw_table *t, const char *dir);

/* The values of metric at point p, in run order, into v (room for
 * table_point_cap): a sim.metric from each run that recorded it, or
 * for "conn.handshake_ms" / "conn.connected" one per connection; runs
 * that ended in an error are left out.  Returns how many. */
int table_point_values(const struct sw_table *t, long p, const char *metric,
                       double *v);
long table_point_cap(const struct sw_table *t);
/* Some run that did not fail opened a connection: the per-connection
 * metrics exist. */
bool table_has_conns(const struct sw_table *t);

/* Read DIR/runs.csv and DIR/conns.csv back into t (which holds the
 * grid), marking the runs found done.  A run already done in t is an
 * error (merge: a run in two folders).  0, or -1 with what is wrong in
 * err. */
int table_load(struct sw_table *t, const char *dir, char *err, size_t len);

#endif
