/*
 * pool.h - the worker processes of a sweep (sweep.c): started, handed
 * run numbers, their records taken into the table as they come back,
 * and a worker that dies replaced, the run it died under recorded as
 * crashed, the others it held handed out again.
 */
#ifndef SYNSIM_SWEEP_POOL_H
#define SYNSIM_SWEEP_POOL_H

#include "table.h"
#include "worker.h"

/* The error of a run whose worker died under it: no result of the
 * scenario (a bug, or a kill from outside: the OOM killer, a user), so
 * --resume runs it again. */
#define POOL_CRASHED "the run crashed"

struct pool_worker;

struct sw_pool {
	const struct sw_spec *spec;
	int nw;			/* workers */
	long *todo;		/* runs to hand out, a stack read from the end */
	long ntodo;
	long done, failed;	/* records taken so far; not status 0 */
	/* Called after records came in (and now and then): write what is
	 * ready, show progress; non-zero stops the pool. */
	int (*after)(void *ctx);
	void *ctx;
	struct pool_worker *w;	/* private */
};

/* Run every run of pl->todo into t; 0, or -1 after a message. */
int pool_run(struct sw_pool *pl, struct sw_table *t);

#endif
