/*
 * check_sched.c - the scheduler's ordering law (sched.h), cancel and
 * re-arm, the stop conditions of sched_run, and a differential test
 * against a naive sorted-array reference.
 */
#include <stdbool.h>
#include <string.h>

#include "core/rng.h"
#include "core/sched.h"
#include "helpers.h"

/* ---- fixture: numbered events that log their firing --------------------- */

#define NEV 64
#define LOGMAX 100000

struct tev {
	struct sim_event ev;
	int id;
	void (*then)(struct sched *s, struct tev *t);	/* run after logging */
};

static struct sched s;
static struct tev evs[NEV];
static int fired_log[LOGMAX];
static simtime fired_at[LOGMAX];
static int nfired;

static void
record(struct sched *sc, struct sim_event *ev)
{
	struct tev *t = container_of(ev, struct tev, ev);
	REQUIRE(nfired < LOGMAX, "log full");
	REQUIRE(ev->at == sc->now, "event %d fired at %lld, due at %lld", t->id,
	        (long long)sc->now, (long long)ev->at);
	fired_at[nfired] = sc->now;
	fired_log[nfired++] = t->id;
	if (t->then)
		t->then(sc, t);
}

static void
setup(void)
{
	sched_init(&s);
	for (int i = 0; i < NEV; i++) {
		sched_event_init(&evs[i].ev, record);
		evs[i].id = i;
		evs[i].then = NULL;
	}
	nfired = 0;
}

static void
teardown(void)
{
	sched_free(&s);
}

static void
at(int i, simtime t)
{
	ck_assert_int_eq(sched_at(&s, &evs[i].ev, t), 0);
}

/* Pop everything left; the ids in order go to out, their count returned. */
static int
drain(int *out)
{
	int n = 0;
	struct sim_event *ev;
	while ((ev = sched_pop(&s)) != NULL) {
		ck_assert(!sched_pending(ev));
		out[n++] = container_of(ev, struct tev, ev)->id;
	}
	ck_assert_uint_eq(s.len, 0);
	return n;
}

static void
assert_ids(const int *got, int n, const int *want, int nwant)
{
	ck_assert_int_eq(n, nwant);
	for (int i = 0; i < n; i++)
		ck_assert_msg(got[i] == want[i], "position %d: got id %d, want %d",
		              i, got[i], want[i]);
}

/* ---- ordering ----------------------------------------------------------- */

START_TEST(test_ties_pop_in_insertion_order)
{
	/* Scheduled out of id order on purpose: order is by schedule call. */
	static const int order[] = { 5, 2, 9, 0, 7, 1, 8, 3, 6, 4 };
	for (int i = 0; i < 10; i++)
		at(order[i], 100);
	int got[NEV];
	int n = drain(got);
	assert_ids(got, n, order, 10);
}
END_TEST

START_TEST(test_time_before_insertion_order)
{
	at(0, 300);
	at(1, 100);
	at(2, 200);
	at(3, 100);
	at(4, 0);
	static const int want[] = { 4, 1, 3, 2, 0 };
	int got[NEV];
	int n = drain(got);
	assert_ids(got, n, want, 5);
	ck_assert_int_eq(sched_next_time(&s), SIMTIME_MAX);
}
END_TEST

static void
schedule_10_now(struct sched *sc, struct tev *t)
{
	(void)t;
	ck_assert_int_eq(sched_at(sc, &evs[10].ev, sc->now), 0);
}

static void
schedule_11_after_0(struct sched *sc, struct tev *t)
{
	(void)t;
	ck_assert_int_eq(sched_after(sc, &evs[11].ev, 0), 0);
}

START_TEST(test_schedule_now_runs_after_due)
{
	/* 0 and 1 are due at 50; 0 schedules 10 "now" and 1 schedules 11
	 * "after 0": both run after everything that was already due. */
	evs[0].then = schedule_10_now;
	evs[1].then = schedule_11_after_0;
	at(0, 50);
	at(1, 50);
	at(2, 50);
	at(3, 60);
	ck_assert_int_eq(sched_run(&s, SIMTIME_MAX, 0), SCHED_EMPTY);
	static const int want[] = { 0, 1, 2, 10, 11, 3 };
	assert_ids(fired_log, nfired, want, 6);
	ck_assert_int_eq(fired_at[4], 50);
	ck_assert_int_eq(s.now, 60);
	ck_assert_uint_eq(s.fired, 6);
}
END_TEST

/* ---- cancel ------------------------------------------------------------- */

/* Ten events at increasing times sit in slot order (no sift moves them),
 * so slot i holds event i. */
static void
ten_in_slot_order(void)
{
	for (int i = 0; i < 10; i++)
		at(i, 10 * (i + 1));
	for (int i = 0; i < 10; i++)
		ck_assert_uint_eq(evs[i].ev.slot, (uint32_t)i);
}

START_TEST(test_cancel_root)
{
	ten_in_slot_order();
	sched_cancel(&s, &evs[0].ev);
	ck_assert(!sched_pending(&evs[0].ev));
	ck_assert_uint_eq(s.len, 9);
	ck_assert_int_eq(sched_next_time(&s), 20);
	static const int want[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
	int got[NEV];
	int n = drain(got);
	assert_ids(got, n, want, 9);
}
END_TEST

START_TEST(test_cancel_middle)
{
	ten_in_slot_order();
	sched_cancel(&s, &evs[4].ev);
	sched_cancel(&s, &evs[2].ev);
	ck_assert(!sched_pending(&evs[4].ev) && !sched_pending(&evs[2].ev));
	ck_assert_uint_eq(s.len, 8);
	static const int want[] = { 0, 1, 3, 5, 6, 7, 8, 9 };
	int got[NEV];
	int n = drain(got);
	assert_ids(got, n, want, 8);
}
END_TEST

START_TEST(test_cancel_last_slot)
{
	ten_in_slot_order();
	sched_cancel(&s, &evs[9].ev);
	ck_assert(!sched_pending(&evs[9].ev));
	ck_assert_uint_eq(s.len, 9);
	static const int want[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8 };
	int got[NEV];
	int n = drain(got);
	assert_ids(got, n, want, 9);
}
END_TEST

/* Removing a slot moves the last entry into it; when that entry is
 * earlier than the slot's parent it must move up, not down.  The layouts
 * below (event i in slot i) are for the binary heap the simulator uses
 * and for the 4-ary one it can be built with (the sched4 suite). */
#ifndef SCHED_ARITY
#define SCHED_ARITY 2
#endif
START_TEST(test_cancel_moves_last_up)
{
#if SCHED_ARITY == 2
	/* Event 12 (t=16, under slot 5) replaces event 4 (t=102, under
	 * slot 1 holding t=100). */
	static const simtime t[] = {
		0,
		100, 2,
		101, 102, 3, 4,
		200, 201, 202, 203, 204, 16,
	};
	enum { N = 13, CANCEL = 4 };
	static const int want[] = { 0, 2, 5, 6, 12, 1, 3, 7, 8, 9, 10, 11 };
#elif SCHED_ARITY == 4
	/* Event 20 (t=16, under slot 4) replaces event 6 (t=102, under
	 * slot 1 holding t=100). */
	static const simtime t[] = {
		0,
		100, 2, 3, 4,
		101, 102, 103, 104,	/* under 100 */
		200, 201, 202, 203, 204, 205, 206, 207, 208, 209, 210,
		16,
	};
	enum { N = 21, CANCEL = 6 };
	static const int want[] = {
		0, 2, 3, 4, 20, 1, 5, 7, 8,
		9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
	};
#else
#error "no layout for this SCHED_ARITY"
#endif
	for (int i = 0; i < N; i++)
		at(i, t[i]);
	for (int i = 0; i < N; i++)
		ck_assert_uint_eq(evs[i].ev.slot, (unsigned)i);
	/* Left where it lands, it would hide below 100 until the late
	 * events after it were gone. */
	sched_cancel(&s, &evs[CANCEL].ev);
	int got[NEV];
	int n = drain(got);
	assert_ids(got, n, want, N - 1);
}
END_TEST

START_TEST(test_cancel_fired_and_cancelled_are_noops)
{
	at(0, 10);
	at(1, 20);
	at(2, 30);
	struct sim_event *ev = sched_pop(&s);
	ck_assert_ptr_eq(ev, &evs[0].ev);
	ck_assert(!sched_pending(ev));
	sched_cancel(&s, ev);			/* already fired */
	ck_assert_uint_eq(s.len, 2);
	sched_cancel(&s, &evs[1].ev);
	sched_cancel(&s, &evs[1].ev);		/* already cancelled */
	sched_cancel(&s, &evs[5].ev);		/* never scheduled */
	ck_assert_uint_eq(s.len, 1);
	ck_assert_ptr_eq(s.heap[0].ev, &evs[2].ev);
	ck_assert_uint_eq(evs[2].ev.slot, 0);
}
END_TEST

/* ---- re-arm ------------------------------------------------------------- */

START_TEST(test_rearm_same_time_gets_new_seq)
{
	at(0, 100);
	at(1, 100);
	uint64_t seq0 = evs[0].ev.seq;
	at(0, 100);				/* re-arm: now counts as newest */
	ck_assert_uint_eq(s.len, 2);
	ck_assert_uint_gt(evs[0].ev.seq, seq0);
	ck_assert_uint_eq(s.next_seq, 3);
	static const int want[] = { 1, 0 };
	int got[NEV];
	int n = drain(got);
	assert_ids(got, n, want, 2);
}
END_TEST

/* A taken sequence number holds an event's place: scheduled later with
 * it, the event fires where it would have fired had it been scheduled
 * when the number was taken, ties included. */
START_TEST(test_taken_seq_keeps_the_place)
{
	at(0, 100);
	uint64_t q1 = sched_take_seq(&s);	/* for event 1, at 100 */
	at(2, 100);
	uint64_t q3 = sched_take_seq(&s);	/* for event 3, at 50 */
	at(4, 50);
	ck_assert_uint_eq(s.next_seq, 5);
	ck_assert_int_eq(sched_at_seq(&s, &evs[3].ev, 50, q3), 0);
	ck_assert_int_eq(sched_at_seq(&s, &evs[1].ev, 100, q1), 0);
	ck_assert_uint_eq(evs[1].ev.seq, q1);
	ck_assert_uint_eq(s.next_seq, 5);	/* nothing more taken */
	static const int want[] = { 3, 4, 0, 1, 2 };
	int got[NEV];
	int n = drain(got);
	assert_ids(got, n, want, 5);
}
END_TEST

START_TEST(test_rearm_moves_event)
{
	ten_in_slot_order();
	at(7, 5);				/* earlier than everything */
	at(0, 1000);				/* later than everything */
	at(3, 35);				/* between 3's old time and 4's */
	ck_assert_uint_eq(s.len, 10);
	ck_assert_int_eq(evs[7].ev.at, 5);
	static const int want[] = { 7, 1, 2, 3, 4, 5, 6, 8, 9, 0 };
	int got[NEV];
	int n = drain(got);
	assert_ids(got, n, want, 10);
}
END_TEST

START_TEST(test_schedule_in_past_fails)
{
	at(0, 100);
	ck_assert_int_eq(sched_run(&s, SIMTIME_MAX, 0), SCHED_EMPTY);
	ck_assert_int_eq(s.now, 100);
	/* An idle event stays idle. */
	ck_assert_int_eq(sched_at(&s, &evs[1].ev, 99), -1);
	ck_assert(!sched_pending(&evs[1].ev));
	ck_assert_int_eq(sched_at(&s, &evs[1].ev, -1), -1);
	/* A pending event keeps its old time. */
	at(2, 150);
	ck_assert_int_eq(sched_at(&s, &evs[2].ev, 50), -1);
	ck_assert(sched_pending(&evs[2].ev));
	ck_assert_int_eq(evs[2].ev.at, 150);
	ck_assert_uint_eq(s.len, 1);
	/* Now itself is fine; negative and overflowing delays are not. */
	ck_assert_int_eq(sched_at(&s, &evs[3].ev, 100), 0);
	ck_assert_int_eq(sched_after(&s, &evs[4].ev, -1), -1);
	ck_assert_int_eq(sched_after(&s, &evs[4].ev, SIMTIME_MAX), -1);
	ck_assert(!sched_pending(&evs[4].ev));
	ck_assert_int_eq(sched_after(&s, &evs[4].ev, 25), 0);
	ck_assert_int_eq(evs[4].ev.at, 125);
	ck_assert_uint_eq(s.len, 3);
}
END_TEST

/* ---- sched_run ---------------------------------------------------------- */

START_TEST(test_run_empty)
{
	ck_assert_int_eq(sched_run(&s, SIMTIME_MAX, 0), SCHED_EMPTY);
	ck_assert_int_eq(s.now, 0);
	at(0, 40);
	at(1, 70);
	ck_assert_int_eq(sched_run(&s, 1000, 0), SCHED_EMPTY);
	/* Empty: the clock stays at the last event, not at the limit. */
	ck_assert_int_eq(s.now, 70);
	ck_assert_int_eq(nfired, 2);
	ck_assert_uint_eq(s.fired, 2);
}
END_TEST

START_TEST(test_run_until)
{
	at(0, 10);
	at(1, 50);
	at(2, 51);
	ck_assert_int_eq(sched_run(&s, 50, 0), SCHED_UNTIL);
	/* An event exactly at the limit runs; the one after stays queued. */
	ck_assert_int_eq(nfired, 2);
	ck_assert_int_eq(s.now, 50);
	ck_assert(sched_pending(&evs[2].ev));
	ck_assert_int_eq(sched_next_time(&s), 51);

	ck_assert_int_eq(sched_run(&s, 51 - 1, 0), SCHED_UNTIL);
	ck_assert_int_eq(nfired, 2);

	/* A limit between events moves the clock to the limit ... */
	at(3, 80);
	ck_assert_int_eq(sched_run(&s, 60, 0), SCHED_UNTIL);
	ck_assert_int_eq(s.now, 60);
	ck_assert_int_eq(nfired, 3);
	/* ... but an earlier limit never moves it back. */
	ck_assert_int_eq(sched_run(&s, 20, 0), SCHED_UNTIL);
	ck_assert_int_eq(s.now, 60);
	ck_assert_int_eq(nfired, 3);
	/* Continue: the run resumes where it stopped. */
	ck_assert_int_eq(sched_run(&s, SIMTIME_MAX, 0), SCHED_EMPTY);
	static const int want[] = { 0, 1, 2, 3 };
	assert_ids(fired_log, nfired, want, 4);
	ck_assert_int_eq(s.now, 80);
}
END_TEST

START_TEST(test_run_max_events)
{
	for (int i = 0; i < 5; i++)
		at(i, 10 * i);
	ck_assert_int_eq(sched_run(&s, SIMTIME_MAX, 3), SCHED_MAX_EVENTS);
	ck_assert_int_eq(nfired, 3);
	ck_assert_int_eq(s.now, 20);
	ck_assert_uint_eq(s.len, 2);
	/* The budget counts per call. */
	ck_assert_int_eq(sched_run(&s, SIMTIME_MAX, 1), SCHED_MAX_EVENTS);
	ck_assert_int_eq(nfired, 4);
	ck_assert_int_eq(sched_run(&s, SIMTIME_MAX, 1), SCHED_EMPTY);
	ck_assert_int_eq(nfired, 5);
	ck_assert_uint_eq(s.fired, 5);
}
END_TEST

/* Uncounted events fire in their place but are not counted: fired and
 * the budget see only the others, and one at the head still fires once
 * the budget is used up. */
START_TEST(test_run_uncounted)
{
	for (int i = 0; i < 5; i++)
		at(i, 10 * i);
	evs[1].ev.uncounted = true;
	at(5, 20);		/* after 2, at the same time */
	evs[5].ev.uncounted = true;
	/* 0, 1 (free), 2: the budget is used up, yet 5 at the head fires. */
	ck_assert_int_eq(sched_run(&s, SIMTIME_MAX, 2), SCHED_MAX_EVENTS);
	static const int want[] = { 0, 1, 2, 5 };
	assert_ids(fired_log, nfired, want, 4);
	ck_assert_uint_eq(s.fired, 2);
	ck_assert_int_eq(s.now, 20);
	ck_assert_uint_eq(s.len, 2);
	ck_assert_int_eq(sched_run(&s, SIMTIME_MAX, 0), SCHED_EMPTY);
	ck_assert_int_eq(nfired, 6);
	ck_assert_uint_eq(s.fired, 4);
}
END_TEST

static void
stop_here(struct sched *sc, struct tev *t)
{
	(void)t;
	sched_stop(sc);
}

START_TEST(test_run_stop_from_callback)
{
	evs[1].then = stop_here;
	at(0, 10);
	at(1, 20);
	at(2, 20);
	at(3, 30);
	ck_assert_int_eq(sched_run(&s, SIMTIME_MAX, 0), SCHED_STOPPED);
	ck_assert_int_eq(nfired, 2);
	ck_assert_int_eq(s.now, 20);
	ck_assert_uint_eq(s.len, 2);
	/* The stop applies to that run only. */
	ck_assert_int_eq(sched_run(&s, SIMTIME_MAX, 0), SCHED_EMPTY);
	static const int want[] = { 0, 1, 2, 3 };
	assert_ids(fired_log, nfired, want, 4);
}
END_TEST

START_TEST(test_free_leaves_events_idle)
{
	at(0, 10);
	at(1, 20);
	sched_free(&s);
	ck_assert(!sched_pending(&evs[0].ev));
	ck_assert(!sched_pending(&evs[1].ev));
	ck_assert_uint_eq(s.len, 0);
	ck_assert_ptr_null(s.heap);
	/* Usable again after sched_init; teardown frees it once more. */
	sched_init(&s);
	at(0, 5);
	ck_assert_uint_eq(s.len, 1);
}
END_TEST

START_TEST(test_heap_grows)
{
	/* Past the first allocation (64 entries) and back to empty. */
	static struct tev many[1000];
	for (int i = 0; i < 1000; i++) {
		sched_event_init(&many[i].ev, record);
		many[i].id = i;
		many[i].then = NULL;
		/* Reversed times: every insert sifts to the root. */
		ck_assert_int_eq(sched_at(&s, &many[i].ev, 1000 - i), 0);
	}
	ck_assert_uint_eq(s.len, 1000);
	ck_assert_uint_ge(s.cap, 1000);
	ck_assert_int_eq(sched_run(&s, SIMTIME_MAX, 0), SCHED_EMPTY);
	ck_assert_int_eq(nfired, 1000);
	for (int i = 0; i < 1000; i++)
		ck_assert_int_eq(fired_log[i], 999 - i);
}
END_TEST

/* ---- differential test against a naive reference ------------------------ */

/*
 * The reference keeps, per event, (pending, at, seq) and finds the
 * earliest by a linear scan: obviously right, and slow.  Random schedule,
 * re-arm, cancel and run operations are applied to both, with times drawn
 * from a small range so that ties are common.  Some events re-arm
 * themselves from their callback, as timers do.
 */
struct ref {
	bool pending;
	simtime at;
	uint64_t seq;
};

static struct ref ref[NEV];
static uint64_t ref_seq;
static simtime ref_now;
static int ref_log[LOGMAX], ref_nlog;
static int refires_real[NEV], refires_ref[NEV];
static int nchecked;		/* firings already compared */

/* The rule both sides apply when event i fires: a few events re-arm
 * themselves once or twice, some with delay 0 (after all that is due). */
static simtime
refire_delay(int i, int *count)
{
	if (i % 4 != 0 || *count >= 2)
		return -1;
	++*count;
	return i % 3;
}

static void
refire(struct sched *sc, struct tev *t)
{
	simtime d = refire_delay(t->id, &refires_real[t->id]);
	if (d >= 0)
		REQUIRE(sched_after(sc, &t->ev, d) == 0, "re-arm of %d", t->id);
}

static int
ref_min(void)
{
	int m = -1;
	for (int i = 0; i < NEV; i++)
		if (ref[i].pending &&
		    (m < 0 || ref[i].at < ref[m].at ||
		     (ref[i].at == ref[m].at && ref[i].seq < ref[m].seq)))
			m = i;
	return m;
}

static enum sched_stop
ref_run(simtime until, uint64_t max_events)
{
	uint64_t n = 0;
	for (;;) {
		int m = ref_min();
		if (m < 0)
			return SCHED_EMPTY;
		if (ref[m].at > until) {
			if (until > ref_now)
				ref_now = until;
			return SCHED_UNTIL;
		}
		if (max_events && n == max_events)
			return SCHED_MAX_EVENTS;
		ref[m].pending = false;
		ref_now = ref[m].at;
		ref_log[ref_nlog++] = m;
		n++;
		simtime d = refire_delay(m, &refires_ref[m]);
		if (d >= 0)
			ref[m] = (struct ref){ true, ref_now + d, ref_seq++ };
	}
}

static void
check_against_ref(int step)
{
	uint32_t npending = 0;
	for (int i = 0; i < NEV; i++) {
		const struct sim_event *ev = &evs[i].ev;
		REQUIRE(sched_pending(ev) == ref[i].pending,
		        "step %d: event %d pending %d, reference %d", step, i,
		        sched_pending(ev), ref[i].pending);
		if (!ref[i].pending)
			continue;
		npending++;
		/* The slot points back at the event: no stale entries. */
		REQUIRE(ev->slot < s.len && s.heap[ev->slot].ev == ev,
		        "step %d: event %d slot %u is stale", step, i, ev->slot);
		REQUIRE(s.heap[ev->slot].at == ref[i].at && ev->at == ref[i].at,
		        "step %d: event %d at %lld, reference %lld", step, i,
		        (long long)ev->at, (long long)ref[i].at);
		REQUIRE(ev->seq == ref[i].seq,
		        "step %d: event %d seq %llu, reference %llu", step, i,
		        (unsigned long long)ev->seq,
		        (unsigned long long)ref[i].seq);
	}
	REQUIRE(s.len == npending, "step %d: heap holds %u, %u pending", step,
	        s.len, npending);
	REQUIRE(s.next_seq == ref_seq, "step %d: next seq %llu, reference %llu",
	        step, (unsigned long long)s.next_seq,
	        (unsigned long long)ref_seq);
	REQUIRE(s.now == ref_now, "step %d: now %lld, reference %lld", step,
	        (long long)s.now, (long long)ref_now);
	int m = ref_min();
	REQUIRE(sched_next_time(&s) == (m < 0 ? SIMTIME_MAX : ref[m].at),
	        "step %d: wrong next time", step);
	REQUIRE(nfired == ref_nlog, "step %d: %d fired, reference %d", step,
	        nfired, ref_nlog);
	for (int i = nchecked; i < nfired; i++)
		REQUIRE(fired_log[i] == ref_log[i],
		        "step %d: firing %d was event %d, reference %d", step, i,
		        fired_log[i], ref_log[i]);
	nchecked = nfired;
}

START_TEST(test_differential)
{
	struct rng r;
	rng_stream(&r, (uint64_t)_i, "check_sched:differential");
	memset(ref, 0, sizeof ref);
	memset(refires_real, 0, sizeof refires_real);
	memset(refires_ref, 0, sizeof refires_ref);
	ref_seq = 0;
	ref_now = 0;
	ref_nlog = 0;
	nchecked = 0;
	for (int i = 0; i < NEV; i++)
		evs[i].then = refire;

	for (int step = 0; step < 3000 && nfired < LOGMAX - 2 * NEV; step++) {
		int i = (int)rng_below(&r, NEV);
		uint64_t op = rng_below(&r, 100);
		if (op < 40) {			/* schedule, or re-arm if pending */
			simtime t = s.now + (simtime)rng_below(&r, 16);
			REQUIRE(sched_at(&s, &evs[i].ev, t) == 0, "step %d", step);
			ref[i] = (struct ref){ true, t, ref_seq++ };
		} else if (op < 45) {		/* into the past: refused */
			if (s.now > 0) {
				simtime t = (simtime)rng_below(&r, (uint64_t)s.now);
				REQUIRE(sched_at(&s, &evs[i].ev, t) == -1,
				        "step %d: scheduled in the past", step);
			}
		} else if (op < 65) {		/* cancel, pending or not */
			sched_cancel(&s, &evs[i].ev);
			ref[i].pending = false;
		} else if (op < 85) {		/* fire one */
			enum sched_stop want = ref_run(SIMTIME_MAX, 1);
			REQUIRE(sched_run(&s, SIMTIME_MAX, 1) == want,
			        "step %d: wrong stop reason", step);
		} else {			/* run to a near limit */
			simtime until = s.now + (simtime)rng_below(&r, 8);
			enum sched_stop want = ref_run(until, 0);
			REQUIRE(sched_run(&s, until, 0) == want,
			        "step %d: wrong stop reason", step);
		}
		check_against_ref(step);
	}
	enum sched_stop want = ref_run(SIMTIME_MAX, 0);
	ck_assert_int_eq(sched_run(&s, SIMTIME_MAX, 0), want);
	ck_assert_int_eq(want, SCHED_EMPTY);
	check_against_ref(-1);
}
END_TEST

static Suite *
sched_suite(void)
{
	Suite *su = suite_create("sched");
	TCase *tc;

	tc = tcase_create("order");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_ties_pop_in_insertion_order);
	tcase_add_test(tc, test_time_before_insertion_order);
	tcase_add_test(tc, test_schedule_now_runs_after_due);
	suite_add_tcase(su, tc);

	tc = tcase_create("cancel");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_cancel_root);
	tcase_add_test(tc, test_cancel_middle);
	tcase_add_test(tc, test_cancel_last_slot);
	tcase_add_test(tc, test_cancel_moves_last_up);
	tcase_add_test(tc, test_cancel_fired_and_cancelled_are_noops);
	suite_add_tcase(su, tc);

	tc = tcase_create("rearm");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_rearm_same_time_gets_new_seq);
	tcase_add_test(tc, test_rearm_moves_event);
	tcase_add_test(tc, test_taken_seq_keeps_the_place);
	tcase_add_test(tc, test_schedule_in_past_fails);
	suite_add_tcase(su, tc);

	tc = tcase_create("run");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_run_empty);
	tcase_add_test(tc, test_run_until);
	tcase_add_test(tc, test_run_max_events);
	tcase_add_test(tc, test_run_uncounted);
	tcase_add_test(tc, test_run_stop_from_callback);
	tcase_add_test(tc, test_free_leaves_events_idle);
	tcase_add_test(tc, test_heap_grows);
	suite_add_tcase(su, tc);

	tc = tcase_create("differential");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_differential, 0, 32);
	suite_add_tcase(su, tc);
	return su;
}

int
main(void)
{
	return run_suite(sched_suite());
}
