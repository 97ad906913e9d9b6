/*
 * sched.h - the single-threaded discrete-event scheduler.
 *
 * Ordering law: events fire in increasing (at, seq) order, where seq is
 * taken from one counter at every schedule and never reset during a run.
 * Hence:
 *   1. events at the same instant fire in the order they were scheduled,
 *      so scheduling "now" means "after everything already due now";
 *   2. re-arming an event gives it a new seq: it counts as newly scheduled;
 *   3. an event fires at exactly its time, never before now (asserted).
 *
 * Events are intrusive: an owner embeds struct sim_event (a connection
 * embeds its timers, a packet in flight its delivery), so scheduling
 * allocates nothing.  The queue is an array d-ary heap of inline keys; each
 * event records its slot, so cancel and re-arm are O(log n) and leave no
 * dead entries behind.
 */
#ifndef SYNSIM_SCHED_H
#define SYNSIM_SCHED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "simtime.h"

#define SCHED_IDLE UINT32_MAX

struct sched;
struct sim_event;
typedef void sched_fn(struct sched *s, struct sim_event *ev);

struct sim_event {
	simtime at;
	uint64_t seq;		/* insertion sequence, the tie-break */
	uint32_t slot;		/* heap index, SCHED_IDLE when not queued */
	/* Bookkeeping that only reports on the run (the Lua hooks'
	 * delivery): not counted in `fired` or against max_events, so
	 * watching a run does not change where a limit cuts it. */
	bool uncounted;
	sched_fn *fire;
};

/* 16 bytes, four to a cache line: the tie-break seq stays in the event
 * and is read only when two times are equal. */
struct sched_entry {
	simtime at;
	struct sim_event *ev;
};

enum sched_stop {
	SCHED_EMPTY,		/* nothing left to do */
	SCHED_UNTIL,		/* next event lies past the time limit */
	SCHED_MAX_EVENTS,	/* event budget used up */
	SCHED_STOPPED,		/* sched_stop() was called */
	SCHED_INSTANT,		/* max_instant events at one instant */
};

struct sched {
	simtime now;
	uint64_t next_seq;
	uint64_t fired;		/* events fired so far, less uncounted ones */
	struct sched_entry *heap;
	uint32_t len, cap;
	bool stop;
	/* A bound on the events run at one simulated instant (0: none):
	 * time that stops advancing is a storm no --until can end. */
	uint64_t max_instant;
	uint64_t instant_n;	/* events run at instant_at so far */
	simtime instant_at;
};

#define container_of(ptr, type, member) \
	((type *)(void *)((char *)(ptr) - offsetof(type, member)))

void sched_init(struct sched *s);
void sched_free(struct sched *s);

/* Prepare an embedded event; it starts idle. */
static inline void
sched_event_init(struct sim_event *ev, sched_fn *fire)
{
	ev->at = 0;
	ev->seq = 0;
	ev->slot = SCHED_IDLE;
	ev->uncounted = false;
	ev->fire = fire;
}

static inline bool
sched_pending(const struct sim_event *ev)
{
	return ev->slot != SCHED_IDLE;
}

/* Schedule ev at absolute time at (>= now); re-arms it if already queued.
 * Returns 0, or -1 if at lies in the past or memory ran out. */
int sched_at(struct sched *s, struct sim_event *ev, simtime at);
/* The insertion sequence number sched_at would give an event now, taken
 * without scheduling anything: an owner that keeps timers of one length
 * in a queue of its own (TCP's TIME-WAIT, tcp_out.c) numbers each as the
 * scheduler would have, and schedules one event for the earliest with
 * sched_at_seq, so the order of everything stays as if each were here. */
uint64_t sched_take_seq(struct sched *s);
/* sched_at with the sequence number given (one sched_take_seq gave). */
int sched_at_seq(struct sched *s, struct sim_event *ev, simtime at,
                 uint64_t seq);
/* Schedule ev after delay (>= 0). */
int sched_after(struct sched *s, struct sim_event *ev, simtime delay);
/* Remove ev from the queue; a no-op for an idle event. */
void sched_cancel(struct sched *s, struct sim_event *ev);

/* Remove and return the earliest event without firing it, or NULL. */
struct sim_event *sched_pop(struct sched *s);
/* Time of the earliest event, or SIMTIME_MAX when empty. */
simtime sched_next_time(const struct sched *s);

/* Fire events until the queue empties, the next event lies past until,
 * max_events have fired in this call (0: no limit; uncounted events do
 * not count, and still fire at the head of the queue once the budget is
 * used up), or sched_stop().
 * On SCHED_UNTIL the clock moves on to until (if later than now) and the
 * later events stay queued, so a run can be continued; on SCHED_EMPTY it
 * stays at the last event: nothing happens after it. */
enum sched_stop sched_run(struct sched *s, simtime until, uint64_t max_events);
void sched_stop(struct sched *s);

#endif
