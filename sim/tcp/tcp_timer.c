/*
 * tcp_timer.c - when a TCP timer of a host expires.
 *
 * In the rfc profile a timer fires on the nanosecond it was set for.  A
 * Linux kernel keeps its TCP timers (retransmission, delayed ACK,
 * TIME-WAIT, FIN-WAIT-2, the SYN-ACK timer of a request sock) in its
 * timer wheel (kernel/time/timer.c), counted in jiffies, and the wheel
 * never fires a timer early but may fire it late by up to one granule of
 * the level it lands in: 1 jiffy for timers under 63 jiffies, 8 up to
 * 504, 64 up to 4032, 8^k at level k.  At HZ=250 (4 ms a jiffy) that is
 * up to 32 ms late for timeouts of 0.25 to 2 s and 256 ms for 2 to 16 s.
 * Two events that would tie on the nanosecond (a SYN-ACK timer and a
 * retransmitted SYN arriving) then fall the way they fall on Linux.
 *
 * Each host is a kernel of its own: the jiffies counter at time 0 and the
 * phase of its ticks come from the host's own named stream, so the same
 * seed gives the same rounding, and adding a host changes no other's.
 *
 * Called by tcp_arm_timer (tcp_out.c).
 */
#include <stdio.h>

#include "tcp_int.h"

/* The wheel's geometry (kernel/time/timer.c): 64 buckets a level, each
 * level 8 times coarser than the one below. */
enum { LVL_CLK_SHIFT = 3, LVL_BITS = 6 };
#define LVL_SIZE (1ull << LVL_BITS)
#define LVL_SHIFT(n) ((n) * LVL_CLK_SHIFT)
/* The first delta (in jiffies) that no longer fits level n - 1. */
#define LVL_START(n) ((LVL_SIZE - 1) << (((n) - 1) * LVL_CLK_SHIFT))

simtime
tcp_jiffy_ns(int hz)
{
	/* TICK_NSEC: a tick's length rounded to the nanosecond. */
	return (SIMTIME_S + hz / 2) / hz;
}

/*
 * The time a timer set at `now` for `after` fires on a wheel of `hz`
 * whose jiffies counter read j0 at time -phase (0 <= phase < a jiffy).
 *
 * As the kernel does it: the timeout becomes whole jiffies rounded up
 * (msecs_to_jiffies, usecs_to_jiffies); expires = jiffies + timeout;
 * calc_wheel_index picks the level from expires - clk (clk = jiffies
 * when the timer is added: forward_timer_base) and calc_index rounds
 * expires up to the level's granule, plus one ("the timer wheel has to
 * guarantee that a timer does not fire early"); the bucket runs at the
 * tick where jiffies reaches that value.  Beyond the last level the
 * timeout is capped (WHEEL_TIMEOUT_MAX), as the kernel caps it.
 *
 * Left out: while the kernel runs expired timers its clk is one ahead
 * of jiffies, so a timer re-armed from a timer's handler can land one
 * level lower at a level's edge; and a timer set while the CPU idles
 * with a stale clk.  Both move an expiry by at most a granule.
 */
simtime
tcp_wheel_expiry(int hz, uint64_t j0, simtime phase, simtime now,
                 simtime after)
{
	simtime jiffy = tcp_jiffy_ns(hz);
	uint64_t jnow = j0 + (uint64_t)((now + phase) / jiffy);
	/* Whole jiffies rounded up, as msecs_to_jiffies computes them
	 * (exact for any HZ, where TICK_NSEC is rounded). */
	uint64_t delta = (uint64_t)(after / SIMTIME_S) * (uint64_t)hz +
	                 (uint64_t)((after % SIMTIME_S * hz + SIMTIME_S - 1) /
	                            SIMTIME_S);
	/* LVL_DEPTH: 9 levels above HZ=100, 8 at 100. */
	int depth = hz > 100 ? 9 : 8;
	if (delta >= LVL_START(depth))
		delta = LVL_START(depth) - (1ull << LVL_SHIFT(depth - 1));
	int lvl = 0;
	while (lvl < depth - 1 && delta >= LVL_START(lvl + 1))
		lvl++;
	uint64_t expires = jnow + delta;
	uint64_t bucket = ((expires >> LVL_SHIFT(lvl)) + 1) << LVL_SHIFT(lvl);
	return (simtime)(bucket - j0) * jiffy - phase;
}

void
tcp_wheel_init(struct tcp_host *h)
{
	/* A stream of its own: the tcp stream's draws stay as they were. */
	char name[128];
	struct rng r;
	snprintf(name, sizeof name, "host:%s:jiffies", h->node->name);
	sim_stream(h->sim, &r, name);
	h->jiffies0 = rng_next(&r);
	h->tick_phase = (simtime)rng_next(&r);
}

simtime
tcp_timer_expiry(const struct tcp_host *h, simtime after)
{
	simtime now = sim_now(h->sim);
	/* The phase is drawn once; the tick length follows the knob. */
	simtime phase = (simtime)((uint64_t)h->tick_phase %
	                          (uint64_t)tcp_jiffy_ns(h->prof.hz));
	return tcp_wheel_expiry(h->prof.hz, h->jiffies0, phase, now, after);
}
