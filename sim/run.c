/*
 * run.c - a scenario run from start to output files.
 *
 * Sinks are subscribed before the scenario runs; every output goes through
 * an outfile, committed only when the run did not fail with an error, so
 * DIR never holds a half-written file.
 */
#include "run.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/outfile.h"
#include "core/sim.h"
#include "lua/runtime.h"
#include "net/net.h"
#include "trace/narrate.h"
#include "trace/summary.h"

#ifndef SYNSIM_VERSION
#define SYNSIM_VERSION "0.0.0"
#endif

enum { OUT_TRACE, OUT_SUMMARY, OUT_N };
static const char *const out_names[OUT_N] = { "trace.txt", "summary.json" };

static void
discard_all(struct outfile *out)
{
	for (int i = 0; i < OUT_N; i++)
		outfile_discard(&out[i]);
}

int
run_scenario(const struct run_opts *o)
{
	struct sim sim;
	struct lrt rt;
	struct outfile out[OUT_N] = { 0 };
	struct narrate narr = { .echo = o->quiet ? NULL : stdout, .sim = &sim,
	                        .explain = o->explain, .absolute = o->absolute };
	struct summary sum = { 0 };
	int status = RUN_ERROR;

	sim_init(&sim, o->seed);
	if (o->outdir) {
		if (outfile_mkdirs(o->outdir) < 0) {
			fprintf(stderr, "synsim: cannot create %s: %s\n", o->outdir,
			        strerror(errno));
			goto done;
		}
		for (int i = 0; i < OUT_N; i++)
			if (outfile_open(&out[i], o->outdir, out_names[i]) == NULL) {
				fprintf(stderr, "synsim: cannot write %s/%s: %s\n",
				        o->outdir, out_names[i], strerror(errno));
				goto done;
			}
		narr.out = out[OUT_TRACE].f;
	}
	trace_subscribe(&sim.trace, TRACE_ALL, narrate_event, &narr);
	trace_subscribe(&sim.trace, TRACE_MASK(TR_METRIC), summary_event, &sum);

	if (lrt_open(&rt, &sim, o->scenario, o->params, o->nparams) < 0) {
		lrt_close(&rt);
		goto done;
	}
	rt.until = o->until;
	rt.max_events = o->max_events;
	rt.verbose = o->verbose;
	status = lrt_run(&rt);
	int expect_failed = rt.expect_failed;
	lrt_close(&rt);
	if (status == RUN_ERROR || !o->outdir)
		goto done;

	struct run_info ri = {
		.version = SYNSIM_VERSION,
		.scenario = o->scenario,
		.seed = o->seed,
		.params = o->params,
		.nparams = o->nparams,
		.status = status,
		.expect_failed = expect_failed,
		.end = sim_now(&sim),
		.events = sim.sched.fired,
	};
	summary_write(&sum, out[OUT_SUMMARY].f, &ri);
	for (int i = 0; i < OUT_N; i++)
		if (outfile_commit(&out[i]) < 0) {
			fprintf(stderr, "synsim: cannot write %s/%s\n", o->outdir,
			        out_names[i]);
			status = RUN_ERROR;
		}
done:
	discard_all(out);
	summary_free(&sum);
	narrate_free(&narr);
	net_free(sim.net);
	sim_free(&sim);
	return status;
}
