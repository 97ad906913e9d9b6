/*
 * worker.h - the processes that run a sweep's scenarios.
 *
 * A worker is forked once and runs many scenarios in its own process,
 * each from a clean world and a clean Lua state (run_scenario with no
 * output folder), so no process is started per run.  The parent sends
 * run numbers down a pipe; the worker answers each with one framed
 * record: status, what went to stderr (the error), scheduler events,
 * end time, fingerprint, the metrics and the connections opened.
 * Which worker ran a run changes nothing in its record.
 */
#ifndef SYNSIM_SWEEP_WORKER_H
#define SYNSIM_SWEEP_WORKER_H

#include <stddef.h>
#include <stdint.h>

#include "table.h"
#include "../core/simtime.h"

/* What every run of a sweep shares. */
struct sw_spec {
	const char *scenario;
	const struct sw_grid *g;
	char **defs;		/* -D name=value */
	int ndefs;
	int reps;
	uint64_t seed;		/* --seed: the base of every run's seed */
	simtime until;		/* as synsim run's --until, --max-events */
	uint64_t max_events;
};

/* Run one run of the sweep in this process into *out (cleared first);
 * 0, or -1 when out of memory.  stderr must be a file this call may
 * read back and truncate: errfd. */
int worker_run(const struct sw_spec *s, long run, int errfd,
               struct sw_run *out);

/* What went to the file at fd (stderr) since it was last emptied, as
 * one line: the messages joined with "; ", tracebacks left out; NULL
 * for nothing.  Empties the file. */
char *worker_take_stderr(int fd);

/* The worker's loop: read run numbers (int64, native order) from in,
 * answer each on out; returns when in is closed. */
void worker_loop(const struct sw_spec *s, int in, int out);

/* A record the worker sent: the frame is a uint32 length and that many
 * bytes.  Decode buf[0..len) into *run and *out; 0, or -1 if malformed. */
int worker_decode(const char *buf, size_t len, long *run, struct sw_run *out);

#endif
