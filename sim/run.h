/*
 * run.h - one run of one scenario: build the world, run it, write the
 * output files.  The `synsim run` command is a thin layer over this.
 */
#ifndef SYNSIM_RUN_H
#define SYNSIM_RUN_H

#include <stdbool.h>
#include <stdint.h>

#include "core/simtime.h"

/* Output groups a run writes (run_opts.outputs); the others' sinks are
 * not subscribed at all. */
enum {
	RUN_OUT_TRACE = 1 << 0,		/* trace.txt */
	RUN_OUT_CSV = 1 << 1,		/* packets.csv, states.csv */
	RUN_OUT_PCAP = 1 << 2,		/* trace.pcap, trace.pcapng, link-*.pcap */
	RUN_OUT_SUMMARY = 1 << 3,	/* summary.json */
	RUN_OUT_ALL = (1 << 4) - 1,
};

/* Parse "trace,csv,pcap,summary" (any subset, or "all"); 0 on success,
 * -1 with the bad name in err. */
int run_parse_outputs(const char *list, unsigned *out, char *err, size_t len);

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
	unsigned outputs;	/* RUN_OUT_* to write; 0: all */
	const char *pkt_host;	/* write DIR/<host>.pkt (pkt/pktwrite.h) */
};

/* Returns the exit status: 0 ok, 1 an expectation failed, 2 an error. */
int run_scenario(const struct run_opts *o);

#endif
