/*
 * bench_sched.c - scheduler hold model: with N events pending, repeatedly
 * pop the earliest and schedule it again at now + a random delay, so the
 * queue size stays N.  Prints events per second for N = 1e3, 1e5, 1e6.
 * Run by hand (build/bench_sched; build/bench_sched4 is the 4-ary build
 * for comparison); it is not a test.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "core/rng.h"
#include "core/sched.h"

#ifndef SCHED_ARITY
#define SCHED_ARITY 2
#endif

static void
nop(struct sched *s, struct sim_event *ev)
{
	(void)s;
	(void)ev;
}

static double
seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void
hold(uint32_t n, uint64_t ops)
{
	struct sched s;
	struct rng r;
	struct sim_event *evs = calloc(n, sizeof *evs);
	sched_init(&s);
	rng_stream(&r, 1, "bench");
	for (uint32_t i = 0; i < n; i++) {
		sched_event_init(&evs[i], nop);
		sched_at(&s, &evs[i], (simtime)rng_below(&r, 1000000));
	}
	double t0 = seconds();
	for (uint64_t i = 0; i < ops; i++) {
		struct sim_event *ev = sched_pop(&s);
		s.now = ev->at;
		sched_at(&s, ev, s.now + (simtime)rng_below(&r, 1000000));
	}
	double dt = seconds() - t0;
	printf("%d-ary heap  pending %8u  %6.2f M events/s\n", SCHED_ARITY, n,
	       (double)ops / dt / 1e6);
	sched_free(&s);
	free(evs);
}

int
main(void)
{
	hold(1000, 20000000);
	hold(100000, 10000000);
	hold(1000000, 5000000);
	return 0;
}
