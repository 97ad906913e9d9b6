/*
 * sched.c - d-ary heap of (at, event) with positions kept in events.
 *
 * The heap stores each time inline so that sifting compares neighbouring
 * memory instead of chasing event pointers; the insertion sequence that
 * breaks ties lives in the event and is read only for equal times, which
 * keeps an entry at 16 bytes (24 with seq inline measured 2.0 against
 * 3.0 M events/s at 1e6 pending).  Arity 2 was chosen by the hold-model
 * benchmark in tests/bench/ (README has the figures: the binary heap
 * beats the 4-ary one at 1e3 and 1e5 pending events and they are even at
 * 1e6, where memory decides); define SCHED_ARITY to build another.
 */
#include "sched.h"

#include <assert.h>
#include <stdlib.h>

#ifndef SCHED_ARITY
#define SCHED_ARITY 2
#endif

static inline bool
before(const struct sched_entry *a, const struct sched_entry *b)
{
	return a->at < b->at || (a->at == b->at && a->ev->seq < b->ev->seq);
}

static inline void
place(struct sched *s, uint32_t i, struct sched_entry e)
{
	s->heap[i] = e;
	e.ev->slot = i;
}

static void
sift_up(struct sched *s, uint32_t i, struct sched_entry e)
{
	while (i > 0) {
		uint32_t parent = (i - 1) / SCHED_ARITY;
		if (!before(&e, &s->heap[parent]))
			break;
		place(s, i, s->heap[parent]);
		i = parent;
	}
	place(s, i, e);
}

static void
sift_down(struct sched *s, uint32_t i, struct sched_entry e)
{
	for (;;) {
		uint32_t first = i * SCHED_ARITY + 1;
		if (first >= s->len)
			break;
		uint32_t last = first + SCHED_ARITY;
		if (last > s->len)
			last = s->len;
		uint32_t best = first;
		for (uint32_t c = first + 1; c < last; c++)
			if (before(&s->heap[c], &s->heap[best]))
				best = c;
		if (!before(&s->heap[best], &e))
			break;
		place(s, i, s->heap[best]);
		i = best;
	}
	place(s, i, e);
}

/* Take slot i out of the heap: move the last entry into it and restore
 * order in whichever direction it is broken. */
static void
remove_at(struct sched *s, uint32_t i)
{
	s->heap[i].ev->slot = SCHED_IDLE;
	struct sched_entry last = s->heap[--s->len];
	if (i == s->len)
		return;
	if (i > 0 && before(&last, &s->heap[(i - 1) / SCHED_ARITY]))
		sift_up(s, i, last);
	else
		sift_down(s, i, last);
}

void
sched_init(struct sched *s)
{
	*s = (struct sched){ 0 };
}

void
sched_free(struct sched *s)
{
	for (uint32_t i = 0; i < s->len; i++)
		s->heap[i].ev->slot = SCHED_IDLE;
	free(s->heap);
	*s = (struct sched){ 0 };
}

uint64_t
sched_take_seq(struct sched *s)
{
	return s->next_seq++;
}

int
sched_at(struct sched *s, struct sim_event *ev, simtime at)
{
	return at < s->now ? -1 : sched_at_seq(s, ev, at, s->next_seq++);
}

int
sched_at_seq(struct sched *s, struct sim_event *ev, simtime at, uint64_t seq)
{
	if (at < s->now)
		return -1;
	if (sched_pending(ev))
		remove_at(s, ev->slot);
	if (s->len == s->cap) {
		uint32_t cap = s->cap ? s->cap * 2 : 64;
		struct sched_entry *h = realloc(s->heap, cap * sizeof *h);
		if (h == NULL)
			return -1;
		s->heap = h;
		s->cap = cap;
	}
	ev->at = at;
	ev->seq = seq;
	struct sched_entry e = { at, ev };
	sift_up(s, s->len++, e);
	return 0;
}

int
sched_after(struct sched *s, struct sim_event *ev, simtime delay)
{
	simtime at = delay < 0 ? -1 : simtime_add(s->now, delay);
	return at < 0 ? -1 : sched_at(s, ev, at);
}

void
sched_cancel(struct sched *s, struct sim_event *ev)
{
	if (sched_pending(ev)) {
		assert(ev->slot < s->len && s->heap[ev->slot].ev == ev);
		remove_at(s, ev->slot);
	}
}

struct sim_event *
sched_pop(struct sched *s)
{
	if (s->len == 0)
		return NULL;
	struct sim_event *ev = s->heap[0].ev;
	remove_at(s, 0);
	return ev;
}

simtime
sched_next_time(const struct sched *s)
{
	return s->len ? s->heap[0].at : SIMTIME_MAX;
}

void
sched_stop(struct sched *s)
{
	s->stop = true;
}

enum sched_stop
sched_run(struct sched *s, simtime until, uint64_t max_events)
{
	uint64_t n = 0;
	s->stop = false;
	for (;;) {
		if (s->stop)
			return SCHED_STOPPED;
		if (s->len == 0)
			return SCHED_EMPTY;
		if (s->heap[0].at > until) {
			/* Time has passed up to the limit, but never backwards: a
			 * second run with an earlier limit leaves now alone. */
			if (until > s->now)
				s->now = until;
			return SCHED_UNTIL;
		}
		if (max_events && n == max_events && !s->heap[0].ev->uncounted)
			return SCHED_MAX_EVENTS;
		if (s->heap[0].at != s->instant_at) {
			s->instant_at = s->heap[0].at;
			s->instant_n = 0;
		}
		if (s->max_instant && s->instant_n == s->max_instant)
			return SCHED_INSTANT;
		s->instant_n++;
		struct sim_event *ev = sched_pop(s);
		assert(ev->at >= s->now);
		s->now = ev->at;
		if (!ev->uncounted) {
			s->fired++;
			n++;
		}
		ev->fire(s, ev);
	}
}
