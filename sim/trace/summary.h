/*
 * summary.h - the summary sink: collects scenario metrics during a run and
 * writes summary.json at its end.
 */
#ifndef SYNSIM_SUMMARY_H
#define SYNSIM_SUMMARY_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "../core/hidx.h"
#include "../core/sim.h"
#include "trace.h"

struct summary_metric {
	char *name;
	double value;
};

struct summary {
	struct summary_metric *metrics;
	int nmetrics, cap;
	int oom;		/* a metric could not be stored */
	struct hidx byname;	/* metrics by name (set up on the first) */
};

/* What the run was, for the header of summary.json. */
struct run_info {
	const char *version;
	const char *scenario;
	uint64_t seed;
	char **params;		/* "name=value", as given */
	int nparams;
	int status;		/* exit status */
	int expect_failed;
	simtime end;		/* simulated time at the end */
	uint64_t events;	/* scheduler events fired */
	const char *reproduce;	/* the command line that repeats the run */
	uint64_t scenario_hash;	/* FNV-1a 64 of the scenario file */
	uint64_t fingerprint;	/* FNV-1a 64 over the trace events */
	uint64_t trace_events;	/* how many went into it */
	const struct sim *sim;	/* for the connections, or NULL */
	bool connections;	/* a record per connection (else counts) */
	bool lean_fingerprint;	/* fingerprint_lean_event's, not the full */
};

void summary_event(void *ctx, const struct trace_event *ev);
void summary_write(const struct summary *s, FILE *f, const struct run_info *ri);
void summary_free(struct summary *s);

struct tcp_conn_info;
/* A connection's outcome as summary.json says it: the error's name
 * ("ETIMEDOUT"), else "never-established", "opening", "closed", "open". */
const char *summary_conn_outcome(const struct tcp_conn_info *in);

#endif
