/*
 * sim.h - one simulated world: its clock and queue, its seed, its trace
 * bus.  Everything reaches time, randomness and tracing through the
 * struct sim it is given, never through globals, so several worlds can
 * live in one process (the sweep runner needs that).
 */
#ifndef SYNSIM_SIM_H
#define SYNSIM_SIM_H

#include "rng.h"
#include "sched.h"
#include "../trace/trace.h"

struct net;

struct sim {
	struct sched sched;	/* first: container_of(sched) finds the sim */
	uint64_t seed;
	struct trace trace;
	struct net *net;	/* the network, once a scenario built one */
	bool closed_unread;	/* no output reads the records of closed
				 * connections (run.c): a scenario may let
				 * them go (sim.network's keep_closed) */
};

void sim_init(struct sim *s, uint64_t seed);
void sim_free(struct sim *s);

static inline struct sim *
sim_of(struct sched *s)
{
	return container_of(s, struct sim, sched);
}

static inline simtime
sim_now(const struct sim *s)
{
	return s->sched.now;
}

/* The stream named name under this world's seed. */
static inline void
sim_stream(const struct sim *s, struct rng *r, const char *name)
{
	rng_stream(r, s->seed, name);
}

#endif
