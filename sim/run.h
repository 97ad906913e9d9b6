/*
 * run.h - one run of one scenario: build the world, run it, write the
 * output files.  The `synsim run` command is a thin layer over this.
 */
#ifndef SYNSIM_RUN_H
#define SYNSIM_RUN_H

#include <stdbool.h>
#include <stdint.h>

#include "core/simtime.h"

struct run_opts {
	const char *scenario;
	const char *outdir;	/* NULL: no output files */
	char **params;		/* "name=value" */
	int nparams;
	uint64_t seed;
	simtime until;		/* SIMTIME_MAX: no limit */
	uint64_t max_events;	/* 0: no limit */
	bool quiet;		/* no narration on stdout */
	bool verbose;		/* full tracebacks */
	bool explain;		/* narration names the rule behind decisions */
	bool absolute;		/* absolute sequence numbers in the narration */
	bool timers;		/* narrate timers set and cancelled too */
};

/* Returns the exit status: 0 ok, 1 an expectation failed, 2 an error. */
int run_scenario(const struct run_opts *o);

#endif
