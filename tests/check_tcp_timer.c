/*
 * check_tcp_timer.c - when TCP timers expire (tcp_timer.c): the Linux
 * timer wheel's rounding, pinned against expiries worked out by hand from
 * kernel/time/timer.c's rules, a property check over many timeouts, and
 * the linux-6.18 profile's timers and windows on the wire.
 */
#include <stdio.h>
#include <string.h>

#include "helpers.h"
#include "tcp/tcp_int.h"
#include "tcp_fixture.h"

#define US SIMTIME_US
#define MS SIMTIME_MS
#define S SIMTIME_S

/* ---- the rounding rule, by hand ------------------------------------------ */

/*
 * HZ=250: a jiffy is 4 ms.  Level 0 takes timeouts under 63 jiffies with
 * a granule of 1, level 1 under 504 with 8, level 2 under 4032 with 64,
 * level 3 under 32256 with 512.  The bucket is (expires >> 3k) + 1,
 * shifted back: the timer runs at that jiffy's tick.
 */
START_TEST(test_levels_by_hand)
{
	/* 40 ms = 10 jiffies, level 0: expires 10, bucket 11 = 44 ms. */
	ck_assert_int_eq(tcp_wheel_expiry(250, 0, 0, 0, 40 * MS), 44 * MS);
	/* 1 s = 250 jiffies, level 1: (250 >> 3) + 1 = 32, 32 << 3 = 256
	 * jiffies = 1.024 s. */
	ck_assert_int_eq(tcp_wheel_expiry(250, 0, 0, 0, 1 * S), 1024 * MS);
	/* The same timeout on a counter that read 5 at time 0: expires
	 * 255, bucket 256, which is 251 jiffies from time 0: 1.004 s. */
	ck_assert_int_eq(tcp_wheel_expiry(250, 5, 0, 0, 1 * S), 1004 * MS);
	/* 3 s = 750 jiffies, level 2: (750 >> 6) + 1 = 12, 12 << 6 = 768
	 * jiffies = 3.072 s. */
	ck_assert_int_eq(tcp_wheel_expiry(250, 0, 0, 0, 3 * S), 3072 * MS);
	/* TIME-WAIT's 60 s = 15000 jiffies, level 3: (15000 >> 9) + 1 =
	 * 30, 30 << 9 = 15360 jiffies = 61.44 s. */
	ck_assert_int_eq(tcp_wheel_expiry(250, 0, 0, 0, 60 * S), 61440 * MS);
}
END_TEST

START_TEST(test_level_boundary)
{
	/* 62 jiffies is the last of level 0: bucket 63 = 252 ms; 63
	 * jiffies goes to level 1: (63 >> 3) + 1 = 8, 64 jiffies. */
	ck_assert_int_eq(tcp_wheel_expiry(250, 0, 0, 0, 248 * MS), 252 * MS);
	ck_assert_int_eq(tcp_wheel_expiry(250, 0, 0, 0, 252 * MS), 256 * MS);
	/* 503 jiffies is still level 1: (503 >> 3) + 1 = 63, 504 jiffies;
	 * 504 is level 2: (504 >> 6) + 1 = 8, 512 jiffies. */
	ck_assert_int_eq(tcp_wheel_expiry(250, 0, 0, 0, 2012 * MS), 2016 * MS);
	ck_assert_int_eq(tcp_wheel_expiry(250, 0, 0, 0, 2016 * MS), 2048 * MS);
}
END_TEST

START_TEST(test_timeout_rounds_up_to_a_jiffy)
{
	/* 200.001 ms is 51 jiffies (usecs_to_jiffies rounds up): bucket
	 * 52 = 208 ms; exactly 200 ms is 50 jiffies: bucket 51. */
	ck_assert_int_eq(tcp_wheel_expiry(250, 0, 0, 0, 200 * MS + US),
	                 208 * MS);
	ck_assert_int_eq(tcp_wheel_expiry(250, 0, 0, 0, 200 * MS), 204 * MS);
	/* A zero timeout still waits for the next tick. */
	ck_assert_int_eq(tcp_wheel_expiry(250, 0, 0, 0, 0), 4 * MS);
}
END_TEST

START_TEST(test_phase_and_now)
{
	/* Ticks at 3, 7, 11 ... ms (phase 1 ms).  At 2.5 ms jiffies is 0
	 * (the tick at -1 ms); 40 ms = 10 jiffies, bucket 11, whose tick
	 * is at 11 * 4 - 1 = 43 ms. */
	ck_assert_int_eq(tcp_wheel_expiry(250, 0, 1 * MS, 2500 * US, 40 * MS),
	                 43 * MS);
	/* At 3.5 ms jiffies is 1: bucket 12, at 47 ms. */
	ck_assert_int_eq(tcp_wheel_expiry(250, 0, 1 * MS, 3500 * US, 40 * MS),
	                 47 * MS);
}
END_TEST

START_TEST(test_other_hz)
{
	/* HZ=1000: 1 s = 1000 jiffies, level 2: (1000 >> 6) + 1 = 16,
	 * 1024 jiffies = 1.024 s. */
	ck_assert_int_eq(tcp_wheel_expiry(1000, 0, 0, 0, 1 * S), 1024 * MS);
	/* HZ=100: 1 s = 100 jiffies, level 1: (100 >> 3) + 1 = 13, 104
	 * jiffies of 10 ms = 1.04 s. */
	ck_assert_int_eq(tcp_wheel_expiry(100, 0, 0, 0, 1 * S), 1040 * MS);
	/* HZ=300: msecs_to_jiffies(1000) is exactly 300 jiffies, level 1:
	 * (300 >> 3) + 1 = 38, 304 jiffies of TICK_NSEC 3333333 ns. */
	ck_assert_int_eq(tcp_jiffy_ns(300), 3333333);
	ck_assert_int_eq(tcp_wheel_expiry(300, 0, 0, 0, 1 * S), 304 * 3333333);
}
END_TEST

/* Past the last level the kernel caps the timeout (WHEEL_TIMEOUT_MAX =
 * LVL_START(depth) - LVL_GRAN(depth - 1)): at HZ=250 (9 levels)
 * 63 << 24 minus 1 << 24 = 62 << 24 jiffies, a level-8 bucket of
 * ((62 << 24) >> 24) + 1 = 63 granules of 2^24 jiffies. */
START_TEST(test_cap)
{
	simtime j = tcp_jiffy_ns(250);
	ck_assert_int_eq(tcp_wheel_expiry(250, 0, 0, 0, 1000LL * 86400 * S),
	                 (63LL << 24) * j);
	/* At HZ=100 (8 levels): 62 << 21 jiffies, bucket 63 << 21. */
	ck_assert_int_eq(tcp_wheel_expiry(100, 0, 0, 0, 1000LL * 86400 * S),
	                 (63LL << 21) * tcp_jiffy_ns(100));
}
END_TEST

/* The first delta (jiffies) of each level, written out. */
static const uint64_t level_start[] = {
	0, 63, 504, 4032, 32256, 258048, 2064384, 16515072, 132120576,
};

/*
 * Over many (now, timeout, counter, phase) a timer is never early, and
 * late by less than its level's granule plus a jiffy: the tick before
 * `now` can be up to a jiffy back, and the bucket is the next multiple
 * of the granule after expires.
 */
START_TEST(test_never_early_at_most_a_granule_late)
{
	static const int hzs[] = { 100, 250, 300, 1000 };
	uint64_t x = 0x9e3779b97f4a7c15u + (uint64_t)_i;
	for (int n = 0; n < 20000; n++) {
		int hz = hzs[n % 4];
		simtime jiffy = tcp_jiffy_ns(hz);
		simtime now = (simtime)(rng_splitmix64(&x) % (1000 * S));
		simtime after = (simtime)(rng_splitmix64(&x) % (100 * S));
		uint64_t j0 = rng_splitmix64(&x);
		simtime phase = (simtime)(rng_splitmix64(&x) % (uint64_t)jiffy);
		simtime at = tcp_wheel_expiry(hz, j0, phase, now, after);
		uint64_t delta = (uint64_t)(after / S * hz +
		                            (after % S * hz + S - 1) / S);
		int lvl = 0;
		while (lvl < (hz > 100 ? 8 : 7) && delta >= level_start[lvl + 1])
			lvl++;
		simtime granule = jiffy << (3 * lvl);
		ck_assert_msg(at >= now + after, "early: hz %d now %lld after "
		              "%lld at %lld", hz, (long long)now,
		              (long long)after, (long long)at);
		ck_assert_msg(at < now + after + granule + jiffy, "late: hz %d "
		              "now %lld after %lld at %lld", hz, (long long)now,
		              (long long)after, (long long)at);
		/* and it fires on one of the host's ticks */
		ck_assert_int_eq((at + phase) % jiffy, 0);
	}
}
END_TEST

/* ---- the linux-6.18 profile ------------------------------------------------ */

static simtime
phase_of(const struct tcp_host *h)
{
	return (simtime)((uint64_t)h->tick_phase % (uint64_t)tcp_jiffy_ns(250));
}

/* The client's SYN to a silent server: each retransmission goes on the
 * wheel's rounding of the nominal timeout (1 s four times, then 2, 4 ...
 * as syn_linear_timeouts says), counted from the one before. */
START_TEST(test_syn_retransmissions_on_the_wheel)
{
	fx_drop(fx->server, TH_SYN | TH_ACK, 0);
	struct tcp_host *h = fx->client->tcp;
	fx_connect(0);
	fx_run(300 * S);
	static const int rto_s[] = { 1, 1, 1, 1, 1, 2, 4, 8, 16, 32 };
	simtime prev = 0;
	for (int k = 1; k <= 10; k++) {
		int i = fx_find_pkt(PKT_SEND, "client", k);
		ck_assert_int_ge(i, 0);
		simtime want = tcp_wheel_expiry(250, h->jiffies0, phase_of(h),
		                                prev, rto_s[k - 1] * S);
		ck_assert_int_eq(fx->pkts[i].t, want);
		/* never early, late by less than a granule and a jiffy */
		ck_assert_int_ge(fx->pkts[i].t - prev, rto_s[k - 1] * S);
		ck_assert_int_lt(fx->pkts[i].t - prev,
		                 rto_s[k - 1] * S + (rto_s[k - 1] <= 1 ? 36 :
		                 rto_s[k - 1] <= 16 ? 260 : 2052) * MS);
		/* and still the timeout asked for in the narration */
		char why[64];
		snprintf(why, sizeof why, "(RTO %ds expired, attempt %d of 11)",
		         rto_s[k - 1], k + 1);
		ck_assert_ptr_nonnull(strstr(fx->pkts[i].reason, why));
		prev = fx->pkts[i].t;
	}
	ck_assert_int_eq(fx_find_pkt(PKT_SEND, "client", 11), -1);
	/* The figures README gives for seed 1 (the fixture's), whose
	 * client has the same stream as a scenario's host "client". */
	ck_assert_int_eq(fx->pkts[fx_find_pkt(PKT_SEND, "client", 1)].t,
	                 1012792873);
	ck_assert_int_eq(fx->pkts[fx_find_pkt(PKT_SEND, "client", 2)].t,
	                 2036792873);
	ck_assert_int_eq(fx->pkts[fx_find_pkt(PKT_SEND, "client", 3)].t,
	                 3060792873);
	ck_assert_int_eq(fx->pkts[fx_find_pkt(PKT_SEND, "client", 10)].t,
	                 68724792873);
	ck_assert_int_eq(fx_state_time("client", 1, TCP_CLOSED), 134260792873);
}
END_TEST

/* The knob off: the same profile fires on the nanosecond. */
START_TEST(test_wheel_off)
{
	const struct tcp_knob *k = tcp_knob_find("timer_wheel");
	ck_assert_ptr_nonnull(k);
	ck_assert_int_eq(tcp_knob_set(tcp_host_profile(fx->client->tcp), k, 0), 0);
	fx_drop(fx->server, TH_SYN | TH_ACK, 1);
	fx_connect(0);
	fx_run(10 * S);
	ck_assert_str_eq(fx_pkt_line(PKT_SEND, "client"),
	                 "0:SYN 1000:SYN 1100:ACK");
}
END_TEST

/* Windows as Linux 6.18 sends them: scale 10; 65536 rounded down to
 * whole segments, 44 x 1460 = 64240 in the SYN and 45 x 1448 = 65160 in
 * the SYN-ACK (timestamps take 12 bytes); after the handshake the field
 * is rounded up to a unit of 1024: 64240 -> 63, 65160 -> 64. */
START_TEST(test_windows)
{
	fx->client_send = 100;
	fx_connect(0);
	fx_run(5 * S);
	int syn = fx_find_pkt(PKT_SEND, "client", 0);
	int synack = fx_find_pkt(PKT_SEND, "server", 0);
	int ack = fx_find_pkt(PKT_SEND, "client", 1);
	int sack = fx_find_pkt(PKT_SEND, "server", 1);
	ck_assert_int_eq(fx->pkts[syn].flags, TH_SYN);
	ck_assert_int_eq(fx->pkts[syn].wnd, 64240);
	ck_assert_int_eq(fx->pkts[syn].wscale, 10);
	ck_assert_int_eq(fx->pkts[synack].flags, TH_SYN | TH_ACK);
	ck_assert_int_eq(fx->pkts[synack].wnd, 65160);
	ck_assert_int_eq(fx->pkts[synack].wscale, 10);
	ck_assert_int_eq(fx->pkts[ack].flags, TH_ACK);
	ck_assert_int_eq(fx->pkts[ack].wnd, 63);
	ck_assert_int_eq(fx->pkts[sack].flags & TH_SYN, 0);
	ck_assert_int_eq(fx->pkts[sack].wnd, 64);
}
END_TEST

/* Without timestamps the SYN-ACK's segments are 1460: 64240. */
START_TEST(test_window_without_timestamps)
{
	const struct tcp_knob *k = tcp_knob_find("opt_ts");
	ck_assert_int_eq(tcp_knob_set(tcp_host_profile(fx->client->tcp), k, 0), 0);
	fx_connect(0);
	fx_run(5 * S);
	int synack = fx_find_pkt(PKT_SEND, "server", 0);
	ck_assert_int_eq(fx->pkts[synack].wnd, 64240);
	/* the client's ACK: 64240 -> ALIGN 1024 = 64512 -> 63 */
	int ack = fx_find_pkt(PKT_SEND, "client", 1);
	ck_assert_int_ge(ack, 0);
	ck_assert_int_eq(fx->pkts[ack].flags, TH_ACK);
	ck_assert_int_eq(fx->pkts[ack].wnd, 63);
}
END_TEST

/* The linux profile keeps its windows (64240 both ways, truncated to
 * 501 at scale 7); its timers, as every Linux's, are on the wheel. */
START_TEST(test_linux_unchanged)
{
	struct tcp_profile p;
	ck_assert_int_eq(tcp_profile_get("linux", &p), 0);
	ck_assert(p.timer_wheel && !p.wnd_align && !p.wnd_round_mss);
	ck_assert_int_eq(p.hz, 250);
	ck_assert_int_eq(p.rcv_wnd, 64240);
	ck_assert_int_eq(p.wscale, 7);
	ck_assert_int_eq(tcp_profile_get("linux-6.18", &p), 0);
	ck_assert(p.timer_wheel && p.wnd_align && p.wnd_round_mss);
	ck_assert_int_eq(p.hz, 250);
	ck_assert_int_eq(p.wscale, 10);
	ck_assert_int_eq(tcp_profile_get("rfc", &p), 0);
	ck_assert(!p.timer_wheel && !p.wnd_align && !p.wnd_round_mss);
}
END_TEST

/* Each host draws its own jiffies and phase from its own stream: the
 * same seed gives the same, another seed something else, and the tcp
 * stream's draws (the port) do not move. */
START_TEST(test_wheel_from_the_seed)
{
	struct tcp_host *c = fx->client->tcp, *s = fx->server->tcp;
	ck_assert(c->jiffies0 != s->jiffies0);
	struct sim other;
	sim_init(&other, 1);
	struct rng r;
	sim_stream(&other, &r, "host:client:jiffies");
	ck_assert_uint_eq(rng_next(&r), c->jiffies0);
	sim_free(&other);
	sim_init(&other, 2);
	sim_stream(&other, &r, "host:client:jiffies");
	ck_assert(rng_next(&r) != c->jiffies0);
	sim_free(&other);
}
END_TEST

/* ---- ties: which of two events due at one instant goes first ------------ */

/*
 * The profile of loop run _i, and whether its server's timers are on
 * the wheel: linux and linux-6.18 as they come (on), rfc (off), and
 * linux with the knob timer_wheel off, to show that the order is the
 * wheel's doing, not the profile's.
 */
static const struct {
	const char *profile;
	bool wheel;
} tie_runs[] = {
	{ "linux", true },
	{ "linux-6.18", true },
	{ "rfc", false },
	{ "linux", false },
};

static void
tie_setup(int i)
{
	fx_setup(tie_runs[i].profile, 50 * MS);
	tcp_host_profile(fx->server->tcp)->timer_wheel = tie_runs[i].wheel;
}

/*
 * The tie of the issue: the server's first SYN-ACK is lost; its SYN-ACK
 * timer, set when that SYN-ACK left at 50 ms, is due 1 s later, at
 * 1050 ms; the client's retransmitted SYN arrives at that very instant
 * (the client's own timers on the nanosecond, so its SYN leaves at
 * exactly 1000 ms).  On the nanosecond the two events are due at the same
 * instant and run in the order they were scheduled (sched.h): the timer,
 * set at 50 ms, before the arrival, scheduled at 1000 ms; the server
 * retransmits, then answers the SYN with a second SYN-ACK.  On Linux the
 * timer is on the wheel, which never fires early and so always after
 * 1050 ms: the SYN arrives first, is answered (tcp_check_req), and that
 * answer restarts the timer (mod_timer_pending) before it fires: one
 * SYN-ACK at 1050 ms.
 */
START_TEST(test_tie_synack_timer_and_repeated_syn)
{
	tie_setup(_i);
	tcp_host_profile(fx->client->tcp)->timer_wheel = false;
	fx_drop(fx->server, TH_SYN | TH_ACK, 1);
	fx_connect(0);
	fx_run(1100 * MS);
	struct tcp_conn *sc = tcp_host_conn(fx->server->tcp, 1);
	ck_assert_ptr_nonnull(sc);
	/* the repeated SYN left at 1000 ms: it arrives at 1050 ms */
	ck_assert_int_eq(fx->pkts[fx_find_pkt(PKT_SEND, "client", 1)].t, 1000 * MS);
	const char *timer = "retransmission (RTO 1s expired, attempt 2 of";
	const char *answer = "retransmitted SYN received: SYN-ACK again";
	int a = fx_find_pkt(PKT_SEND, "server", 1);
	int b = fx_find_pkt(PKT_SEND, "server", 2);
	ck_assert_int_ge(a, 0);
	ck_assert_int_eq(fx->pkts[a].t, 1050 * MS);
	if (tie_runs[_i].wheel) {
		/* Linux's order: the arrival, then (never) the timer. */
		ck_assert_str_eq(fx_pkt_line(PKT_SEND, "server"),
		                 "50:SYN+ACK 1050:SYN+ACK");
		ck_assert_ptr_nonnull(strstr(fx->pkts[a].reason, answer));
		ck_assert_int_eq(b, -1);
		/* the timer had been due on the server's tick after 1050 ms
		 * (tcp_fixture.h: counter 497 + 250 = 747, bucket 752,
		 * 1069.807652 ms), and now is 1 s after the answer */
		ck_assert_int_eq(fx_wheel(fx->server, 50 * MS, 1 * S), 1069807652);
		ck_assert(sched_pending(&sc->rtx));
		ck_assert_int_eq(sc->rtx.at, fx_wheel(fx->server, 1050 * MS, 1 * S));
		ck_assert_int_gt(sc->rtx.at, 2050 * MS);
	} else {
		/* The nanosecond order: the timer, then the arrival. */
		ck_assert_str_eq(fx_pkt_line(PKT_SEND, "server"),
		                 "50:SYN+ACK 1050:SYN+ACK 1050:SYN+ACK");
		ck_assert_ptr_nonnull(strstr(fx->pkts[a].reason, timer));
		ck_assert_ptr_nonnull(strstr(fx->pkts[b].reason, answer));
	}
	ck_assert_int_eq(fx_state_time("client", 1, TCP_ESTABLISHED), 1100 * MS);
	fx_teardown();
}
END_TEST

static struct sim_event close_ev;

static void
close_fire(struct sched *s, struct sim_event *ev)
{
	(void)s;
	(void)ev;
	ck_assert_int_eq(tcp_close(tcp_host_conn(fx->client->tcp, 1)), 0);
}

/*
 * The second tie of the issue: a probe timer and the application's
 * close() at the same instant.  The client sends 100 bytes at 100 ms and
 * they are lost; its tail loss probe is due at 400 ms on the nanosecond
 * (linux: min(2*SRTT + 200 ms, RTO 300 ms) = 300 ms; rfc with the probe
 * turned on, RFC 8985 7.2: 2*SRTT + WCDelAckT = 400 ms after 100 ms is
 * 500 ms).  The application, at 150 ms, asks for close() at exactly that
 * instant.  On the nanosecond the timer, scheduled first, runs first:
 * the probe resends the 100 bytes, then close() sends the FIN.  On the
 * wheel the probe fires on the client's next tick after the due time:
 * close() runs first, its FIN goes out, and the probe, re-armed for the
 * FIN as the new last segment (tcp_schedule_loss_probe), comes later.
 */
START_TEST(test_tie_probe_timer_and_close)
{
	fx_setup(tie_runs[_i].profile, 50 * MS);
	struct tcp_profile *cp = tcp_host_profile(fx->client->tcp);
	cp->timer_wheel = tie_runs[_i].wheel;
	bool rfc = strcmp(tie_runs[_i].profile, "rfc") == 0;
	if (rfc) {
		struct tcp_profile *sp = tcp_host_profile(fx->server->tcp);
		cp->tlp = cp->opt_sack = sp->tlp = sp->opt_sack = true;
	}
	simtime due = rfc ? 500 * MS : 400 * MS;
	fx->client_send = 100;
	fx_drop(fx->client, TH_PSH | TH_ACK, 1);
	fx_connect(0);
	fx_run(150 * MS);
	sched_event_init(&close_ev, close_fire);
	sched_at(&fx->sim.sched, &close_ev, due);
	fx_run(due + 50 * MS);
	int data = fx_find_pkt(PKT_SEND, "client", 2);
	int x = fx_find_pkt(PKT_SEND, "client", 3);
	int y = fx_find_pkt(PKT_SEND, "client", 4);
	ck_assert_int_eq(fx->pkts[data].t, 100 * MS);
	ck_assert_uint_eq(fx->pkts[data].len, 100);
	ck_assert_int_ge(x, 0);
	if (tie_runs[_i].wheel) {
		/* Linux's order: the FIN at the due time, the probe after. */
		ck_assert_int_eq(fx->pkts[x].t, due);
		ck_assert_uint_eq(fx->pkts[x].flags, TH_FIN | TH_ACK);
		ck_assert_int_eq(y, -1);	/* nothing else by due + 50 ms */
		/* On the nanosecond the probe was due at 400 ms; on the
		 * client's wheel (tcp_fixture.h) 300 ms after 100 ms is counter
		 * 251 + 75 = 326, bucket 328: 404.792873 ms, after close(). */
		ck_assert_int_eq(fx_wheel(fx->client, 100 * MS, 300 * MS),
		                 404792873);
	} else {
		/* The nanosecond order: the probe, then the FIN. */
		ck_assert_int_eq(fx->pkts[x].t, due);
		ck_assert_str_eq(fx->pkts[x].reason, "tail loss probe (PTO expired)");
		ck_assert_uint_eq(fx->pkts[x].len, 100);
		ck_assert_int_ge(y, 0);
		ck_assert_int_eq(fx->pkts[y].t, due);
		ck_assert_uint_eq(fx->pkts[y].flags & TH_FIN, TH_FIN);
	}
	fx_teardown();
}
END_TEST

static Suite *
timer_suite(void)
{
	Suite *s = suite_create("tcp_timer");
	TCase *tc = tcase_create("wheel");
	tcase_add_test(tc, test_levels_by_hand);
	tcase_add_test(tc, test_level_boundary);
	tcase_add_test(tc, test_timeout_rounds_up_to_a_jiffy);
	tcase_add_test(tc, test_phase_and_now);
	tcase_add_test(tc, test_other_hz);
	tcase_add_test(tc, test_cap);
	tcase_add_loop_test(tc, test_never_early_at_most_a_granule_late, 0, 4);
	suite_add_tcase(s, tc);
	tc = tcase_create("linux-6.18");
	tcase_add_checked_fixture(tc, fx_setup_linux_618, fx_teardown);
	tcase_add_test(tc, test_syn_retransmissions_on_the_wheel);
	tcase_add_test(tc, test_wheel_off);
	tcase_add_test(tc, test_windows);
	tcase_add_test(tc, test_window_without_timestamps);
	tcase_add_test(tc, test_linux_unchanged);
	tcase_add_test(tc, test_wheel_from_the_seed);
	suite_add_tcase(s, tc);
	/* Runs 0-3: linux, linux-6.18 (the wheel), rfc, linux without it. */
	tc = tcase_create("ties");
	tcase_add_loop_test(tc, test_tie_synack_timer_and_repeated_syn, 0, 4);
	tcase_add_loop_test(tc, test_tie_probe_timer_and_close, 0, 4);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(timer_suite());
}
