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
	RUN_OUT_CONNS = 1 << 4,		/* the records in summary.json */
	RUN_OUT_EXPLAIN = 1 << 5,	/* explain.csv */
	RUN_OUT_ALL = (1 << 6) - 1,	/* the default */
	RUN_OUT_CONNS_CSV = 1 << 6,	/* connections.csv: only when the
					 * group connections is named */
};

/* Parse "trace,csv,pcap,summary,connections,explain" (any subset, or
 * "all"); 0 on success, -1 with the bad name in err. */
int run_parse_outputs(const char *list, unsigned *out, char *err, size_t len);

struct sim;
struct trace_event;

/* What a sweep's worker (sweep/) learns of a run without any file: the
 * world as soon as it exists (start, may be NULL; the scenario has not
 * built its network yet), the trace events of the kinds in mask as they
 * happen, then the world once the scenario is done (end: called before
 * it is freed, even when the run ended in an error; not when the
 * scenario never started). */
struct run_hook {
	void (*start)(void *ctx, struct sim *sim);
	uint32_t mask;
	void (*event)(void *ctx, const struct trace_event *ev);
	void (*end)(void *ctx, const struct sim *sim, uint64_t fingerprint,
	            uint64_t trace_events);
	void *ctx;
};

struct run_opts {
	const char *scenario;
	const char *outdir;	/* NULL: no output files */
	char **params;		/* "name=value" */
	int nparams;
	char **knobs;		/* -K "host.knob=value" or "knob=value" */
	int nknobs;
	char **answers;		/* --answer "id=value" */
	int nanswers;
	uint64_t seed;
	simtime until;		/* SIMTIME_MAX: no limit */
	uint64_t max_events;	/* 0: no limit */
	bool quiet;		/* no narration on stdout */
	bool verbose;		/* full tracebacks */
	bool explain;		/* narration names the rule behind decisions */
	bool absolute;		/* absolute sequence numbers in the narration */
	bool timers;		/* narrate timers set and cancelled too */
	unsigned outputs;	/* RUN_OUT_* to write; 0: all */
	const struct run_hook *hook;	/* NULL: none */
	/* Limits on what the scenario may take; 0: the default,
	 * UINT64_MAX: none (lua/runtime.h). */
	uint64_t max_memory;	/* bytes of Lua memory */
	uint64_t max_instructions;	/* Lua instructions, whole run */
	uint64_t max_instant_events;	/* events at one simulated instant */
	uint64_t max_packets;	/* packets in flight at once */
	const char *pkt_host;	/* write DIR/<host>.pkt (pkt/pktwrite.h) */
};

/* Returns the exit status: 0 ok, 1 an expectation failed, 2 an error. */
int run_scenario(const struct run_opts *o);

#endif
