/*
 * sim.c - creation and teardown of a world.
 */
#include "sim.h"

void
sim_init(struct sim *s, uint64_t seed)
{
	sched_init(&s->sched);
	s->seed = seed;
	trace_init(&s->trace);
	s->net = NULL;
}

void
sim_free(struct sim *s)
{
	sched_free(&s->sched);
}
