/*
 * sweep_int.h - what the sweep commands share (sweep.c, merge.c,
 * splot.c, explore.c): the parsed arguments of a sweep and its
 * sweep.args file.
 */
#ifndef SYNSIM_SWEEP_INT_H
#define SYNSIM_SWEEP_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "grid.h"
#include "../core/simtime.h"
#include "table.h"

struct sweep {
	char *scenario;
	struct sw_grid grid;
	char **defs;		/* -D name=value, as given */
	int ndefs;
	int reps;
	uint64_t seed;
	simtime until;		/* --until; SIMTIME_MAX: none */
	uint64_t max_events;	/* --max-events; 0: none */
	int shard, nshards;	/* --shard I/N; 0/0: every run */
	/* Options of one invocation, never in sweep.args: */
	int jobs;		/* -j; 0: every core */
	const char *out;
	bool resume;
	const char *emit;	/* --emit-jobs FILE */
	int emit_shards;	/* --shards */
};

int sweep_parse(struct sweep *sw, int argc, char **argv, bool in_file);
void sweep_free(struct sweep *sw);
char *sweep_args_text(const struct sweep *sw, bool with_shard);
int sweep_load_args(const char *dir, struct sweep *sw);
int sweep_write_args(const struct sweep *sw, const char *dir, bool with_shard);
/* The exit status of a finished sweep: 0, or 1 when a run failed or an
 * expectation did not hold; the first few said on stderr. */
int sweep_report(const struct sw_table *t);
void sweep_shell_quote(FILE *f, const char *s);

#endif
