/*
 * check_link.c - links and routes with no TCP on top: packets are put on
 * the wire by the test at chosen times and every trace event is recorded,
 * so timing, drops and their reasons can be asserted exactly.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "net/link.h"
#include "net/net.h"

#define MS SIMTIME_MS
#define US SIMTIME_US
#define MAXEV 300000

struct rec {
	simtime t;
	enum trace_pkt_op op;
	uint64_t id;
	uint64_t dup_of;
	char where[24];
	char reason[120];
	int rule;
	uint8_t ttl;
};

static struct sim sim;
static struct net *net;
static struct node *a, *b;
static struct link *ab;
static struct rec *recs;
static int nrec;
static struct pkt last_icmp;	/* the last ICMP packet traced */

static void
record(void *ctx, const struct trace_event *ev)
{
	(void)ctx;
	if (ev->kind != TR_PKT || nrec == MAXEV)
		return;
	struct rec *r = &recs[nrec++];
	r->t = ev->t;
	r->op = ev->u.pkt.op;
	r->id = ev->u.pkt.pkt->id;
	r->dup_of = ev->u.pkt.pkt->dup_of;
	r->ttl = ev->u.pkt.pkt->ttl;
	r->rule = ev->u.pkt.rule;
	if (ev->u.pkt.pkt->icmp)
		last_icmp = *ev->u.pkt.pkt;
	snprintf(r->where, sizeof r->where, "%s", ev->node ? ev->node : "");
	snprintf(r->reason, sizeof r->reason, "%s",
	         ev->u.pkt.reason ? ev->u.pkt.reason : "");
}

static void
world(uint64_t seed, const struct link_params *p)
{
	sim_init(&sim, seed);
	net = net_new(&sim);
	sim.net = net;
	a = net_add_node(net, "a", NODE_HOST);
	b = net_add_node(net, "b", NODE_HOST);
	ab = link_new(net, a, b, p);
	recs = calloc(MAXEV, sizeof *recs);
	nrec = 0;
	trace_subscribe(&sim.trace, TRACE_MASK(TR_PKT), record, NULL);
}

static void
teardown(void)
{
	ck_assert_uint_eq(net->pkts_in_use, 0);
	net_free(net);
	sim_free(&sim);
	free(recs);
}

/* A packet of `len` payload bytes (IPv4 size len + 40) from n to dst. */
static void
send_from(struct node *n, struct node *dst, uint32_t len, uint8_t flags)
{
	struct pkt *p = net_pkt_alloc(net);
	p->src = n->addr;
	p->dst = dst->addr;
	p->sport = 1000;
	p->dport = 80;
	p->len = len;
	p->flags = flags;
	node_output(n, p);
}

/* Send from a at each time in ts (ns), running the clock between. */
static void
send_at(const simtime *ts, int n, uint32_t len, uint8_t flags)
{
	for (int i = 0; i < n; i++) {
		sched_run(&sim.sched, ts[i], 0);
		if (sim.sched.now < ts[i])
			sim.sched.now = ts[i];
		send_from(a, b, len, flags);
	}
}

static int
count(enum trace_pkt_op op, const char *reason)
{
	int n = 0;
	for (int i = 0; i < nrec; i++)
		if (recs[i].op == op && (!reason || strcmp(recs[i].reason, reason) == 0))
			n++;
	return n;
}

/* Time of the kth (0-based) event op, or -1. */
static simtime
time_of(enum trace_pkt_op op, int k)
{
	for (int i = 0; i < nrec; i++)
		if (recs[i].op == op && k-- == 0)
			return recs[i].t;
	return -1;
}

/* ---- timing -------------------------------------------------------------- */

START_TEST(test_serialization_and_propagation)
{
	struct link_params p;
	link_params_default(&p);
	p.delay = 50 * MS;
	p.rate = 10000000;
	world(1, &p);
	/* 1460 + 40 = 1500 B: 12000 bits at 10 Mb/s = 1.2 ms each. */
	send_from(a, b, 1460, TH_ACK);
	send_from(a, b, 1460, TH_ACK);
	sched_run(&sim.sched, SIMTIME_MAX, 0);
	ck_assert_int_eq(time_of(PKT_RECV, 0), 51200 * US);
	ck_assert_int_eq(time_of(PKT_RECV, 1), 52400 * US);
	teardown();
}
END_TEST

START_TEST(test_queue_overflow)
{
	struct link_params p;
	link_params_default(&p);
	p.rate = 1000000;
	p.queue_pkts = 3;
	world(1, &p);
	for (int i = 0; i < 5; i++)
		send_from(a, b, 1460, TH_ACK);
	sched_run(&sim.sched, SIMTIME_MAX, 0);
	/* One in service plus two waiting fill the queue of 3: the 4th and
	 * 5th are dropped on arrival at the queue. */
	ck_assert_int_eq(count(PKT_DROP, "queue"), 2);
	ck_assert_int_eq(count(PKT_RECV, NULL), 3);
	int k = 0;
	for (int i = 0; i < nrec; i++)
		if (recs[i].op == PKT_DROP)
			ck_assert_uint_eq(recs[i].id, 4 + k++);
	teardown();
}
END_TEST

START_TEST(test_queue_bytes)
{
	struct link_params p;
	link_params_default(&p);
	p.rate = 1000000;
	p.queue_bytes = 3500;
	world(1, &p);
	for (int i = 0; i < 3; i++)
		send_from(a, b, 1460, TH_ACK);
	send_from(a, b, 0, TH_ACK);
	sched_run(&sim.sched, SIMTIME_MAX, 0);
	/* 1500 + 1500 fit, a third 1500 would make 4500; the 40-byte ACK
	 * still fits (3040). */
	ck_assert_int_eq(count(PKT_DROP, "queue"), 1);
	ck_assert_int_eq(count(PKT_RECV, NULL), 3);
	teardown();
}
END_TEST

/* No rate, no queue: five packets sent in the same instant on a link
 * with queue limits of 2 packets and 100 bytes all arrive, 1 ms later. */
START_TEST(test_no_rate_no_queue)
{
	struct link_params p;
	link_params_default(&p);
	p.queue_pkts = 2;
	p.queue_bytes = 100;
	world(1, &p);
	for (int i = 0; i < 5; i++)
		send_from(a, b, 0, TH_ACK);
	ck_assert_uint_eq(ab->dir[0].qlen, 0);
	sched_run(&sim.sched, SIMTIME_MAX, 0);
	ck_assert_int_eq(count(PKT_DROP, NULL), 0);
	ck_assert_int_eq(count(PKT_RECV, NULL), 5);
	ck_assert_int_eq(time_of(PKT_RECV, 4), 1 * MS);
	teardown();
}
END_TEST

START_TEST(test_mtu)
{
	struct link_params p;
	link_params_default(&p);
	p.mtu = 576;
	world(1, &p);
	send_from(a, b, 536, TH_ACK);
	send_from(a, b, 537, TH_ACK);
	sched_run(&sim.sched, SIMTIME_MAX, 0);
	ck_assert_int_eq(count(PKT_DROP, "mtu"), 1);
	ck_assert_int_eq(count(PKT_RECV, NULL), 1);
	teardown();
}
END_TEST

/* ---- loss models ------------------------------------------------------------ */

static int
bernoulli_losses(uint64_t seed)
{
	struct link_params p;
	link_params_default(&p);
	p.loss.model = LOSS_BERNOULLI;
	p.loss.p = 0.02;
	world(seed, &p);
	for (int i = 0; i < 100000; i++) {
		send_from(a, b, 0, TH_ACK);
		sched_run(&sim.sched, SIMTIME_MAX, 0);
	}
	int n = count(PKT_DROP, "loss");
	teardown();
	return n;
}

START_TEST(test_bernoulli_rate_and_repeatability)
{
	int n1 = bernoulli_losses(7);
	/* Binomial(100000, 0.02): mean 2000, sd 44.3; +-5 sd. */
	ck_assert_msg(n1 >= 1779 && n1 <= 2221, "%d losses", n1);
	ck_assert_int_eq(bernoulli_losses(7), n1);
	ck_assert_int_ne(bernoulli_losses(8), n1);
}
END_TEST

START_TEST(test_gilbert_elliott)
{
	struct link_params p;
	link_params_default(&p);
	p.loss = (struct loss_params){ .model = LOSS_GILBERT, .p_gb = 0.01,
	                               .p_bg = 0.25, .loss_good = 0,
	                               .loss_bad = 1 };
	world(3, &p);
	int n = 200000, losses = 0, bursts = 0;
	bool prev = false;
	for (int i = 0; i < n; i++) {
		int before = nrec;
		send_from(a, b, 0, TH_ACK);
		sched_run(&sim.sched, SIMTIME_MAX, 0);
		bool lost = recs[before + 1].op == PKT_DROP;
		losses += lost;
		bursts += lost && !prev;
		prev = lost;
		nrec = 0;
	}
	/* Closed form: P(bad) = p / (p + r) = 0.01 / 0.26 = 0.03846, and with
	 * loss 1 in bad and 0 in good the mean burst is 1 / r = 4 packets. */
	double rate = (double)losses / n, burst = (double)losses / bursts;
	ck_assert_msg(fabs(rate - 0.03846) < 0.004, "loss rate %f", rate);
	ck_assert_msg(fabs(burst - 4.0) < 0.25, "mean burst %f", burst);
	teardown();
}
END_TEST

START_TEST(test_every_nth)
{
	struct link_params p;
	link_params_default(&p);
	p.loss = (struct loss_params){ .model = LOSS_NTH, .nth = 3 };
	world(1, &p);
	for (int i = 0; i < 9; i++)
		send_from(a, b, 0, TH_ACK);
	sched_run(&sim.sched, SIMTIME_MAX, 0);
	int k = 0;
	uint64_t ids[3];
	for (int i = 0; i < nrec; i++)
		if (recs[i].op == PKT_DROP)
			ids[k++] = recs[i].id;
	ck_assert_int_eq(k, 3);
	ck_assert_uint_eq(ids[0], 3);
	ck_assert_uint_eq(ids[1], 6);
	ck_assert_uint_eq(ids[2], 9);
	teardown();
}
END_TEST

/* ---- rules -------------------------------------------------------------------- */

static struct link_rule
rule(void)
{
	return (struct link_rule){ .dir = -1, .payload = -1, .prob = 1,
	                           .before = SIMTIME_MAX };
}

/* Which of packets 1..n (sent from a with the given flags) were dropped,
 * as a string of 0/1. */
static const char *
dropped_pattern(const uint8_t *flags, int n)
{
	static char s[64];
	for (int i = 0; i < n; i++) {
		sched_run(&sim.sched, i * 100 * MS, 0);
		sim.sched.now = i * 100 * MS;
		send_from(a, b, flags[i] & TH_PSH ? 10 : 0, flags[i] & ~TH_PSH);
	}
	sched_run(&sim.sched, SIMTIME_MAX, 0);
	for (int i = 0; i < n; i++)
		s[i] = '0';
	s[n] = '\0';
	for (int i = 0; i < nrec; i++)
		if (recs[i].op == PKT_DROP)
			s[recs[i].id - 1] = '1';
	return s;
}

START_TEST(test_rule_nth_first_every)
{
	struct link_params p;
	link_params_default(&p);
	world(1, &p);
	static const uint8_t f[] = { TH_SYN, TH_SYN | TH_ACK, TH_SYN, TH_SYN,
	                             TH_ACK, TH_SYN };
	struct link_rule r = rule();
	r.flags_exact = true;
	r.flags_eq = TH_SYN;
	r.nth = 2;
	ck_assert_int_eq(link_add_rule(ab, &r), 1);
	ck_assert_str_eq(ab->rules[0].desc, "rule #1: 2nd SYN");
	ck_assert_str_eq(dropped_pattern(f, 6), "001000");
	teardown();

	world(1, &p);
	r.nth = 0;
	r.first = 3;
	link_add_rule(ab, &r);
	ck_assert_str_eq(dropped_pattern(f, 6), "101100");
	ck_assert_str_eq(ab->rules[0].desc, "rule #1: first 3 SYNs");
	teardown();

	world(1, &p);
	r.first = 0;
	link_add_rule(ab, &r);
	ck_assert_str_eq(dropped_pattern(f, 6), "101101");
	teardown();
}
END_TEST

START_TEST(test_rule_flags_exact_vs_has)
{
	struct link_params p;
	link_params_default(&p);
	static const uint8_t f[] = { TH_SYN, TH_SYN | TH_ACK, TH_ACK,
	                             TH_FIN | TH_ACK, TH_FIN, TH_ACK | TH_PSH };
	world(1, &p);
	struct link_rule r = rule();
	r.flags_exact = true;
	r.flags_eq = TH_ACK;
	link_add_rule(ab, &r);
	/* Exactly ACK: the bare ACK and the data segment (its PSH here only
	 * marks payload in this test). */
	ck_assert_str_eq(dropped_pattern(f, 6), "001001");
	teardown();

	world(1, &p);
	r = rule();
	r.flags_has = TH_ACK;
	link_add_rule(ab, &r);
	ck_assert_str_eq(dropped_pattern(f, 6), "011101");
	teardown();

	world(1, &p);
	r = rule();
	r.flags_exact = true;
	r.flags_eq = TH_ACK;
	r.payload = 0;	/* ACK with no payload */
	link_add_rule(ab, &r);
	ck_assert_str_eq(dropped_pattern(f, 6), "001000");
	ck_assert_str_eq(ab->rules[0].desc, "rule #1: every ACK");
	teardown();
}
END_TEST

/* Six ACKs from a with these ports and sequence numbers, 100 ms apart. */
static const struct {
	uint16_t sport, dport;
	uint32_t seq;
} tuples[] = {
	{ 1000, 80, 1 }, { 2000, 80, 1 }, { 1000, 443, 1 },
	{ 1000, 80, 7 }, { 2000, 443, 7 }, { 80, 1000, 0 },
};
#define NTUPLES ((int)(sizeof tuples / sizeof tuples[0]))

/* Which of the packets of tuples[] a single rule r dropped, as 0/1. */
static const char *
tuple_pattern(const struct link_rule *r)
{
	static char s[NTUPLES + 1];
	struct link_params p;
	link_params_default(&p);
	world(1, &p);
	ck_assert_int_eq(link_add_rule(ab, r), 1);
	for (int i = 0; i < NTUPLES; i++) {
		sched_run(&sim.sched, i * 100 * MS, 0);
		sim.sched.now = i * 100 * MS;
		struct pkt *q = net_pkt_alloc(net);
		q->src = a->addr;
		q->dst = b->addr;
		q->sport = tuples[i].sport;
		q->dport = tuples[i].dport;
		q->seq = tuples[i].seq;
		q->flags = TH_ACK;
		node_output(a, q);
	}
	sched_run(&sim.sched, SIMTIME_MAX, 0);
	for (int i = 0; i < NTUPLES; i++)
		s[i] = '0';
	s[NTUPLES] = '\0';
	for (int i = 0; i < nrec; i++)
		if (recs[i].op == PKT_DROP)
			s[recs[i].id - 1] = '1';
	ck_assert_uint_eq(ab->rules[0].matched, ab->rules[0].applied);
	teardown();
	return s;
}

START_TEST(test_rule_ports_and_seq)
{
	struct link_rule r = rule();
	r.sport = 1000;
	ck_assert_str_eq(tuple_pattern(&r), "101100");
	r.sport = 80;	/* a source port, not the destination port 80 */
	ck_assert_str_eq(tuple_pattern(&r), "000001");
	r = rule();
	r.dport = 80;
	ck_assert_str_eq(tuple_pattern(&r), "110100");
	r.dport = 1000;
	ck_assert_str_eq(tuple_pattern(&r), "000001");
	r = rule();
	r.has_seq = true;
	r.seq = 7;
	ck_assert_str_eq(tuple_pattern(&r), "000110");
	r.seq = 0;	/* seq = 0 is a filter, not "any" */
	ck_assert_str_eq(tuple_pattern(&r), "000001");
	/* All three together: only the packet that has every one. */
	r.seq = 7;
	r.sport = 1000;
	r.dport = 80;
	ck_assert_str_eq(tuple_pattern(&r), "000100");
}
END_TEST

START_TEST(test_rule_window_and_direction)
{
	struct link_params p;
	link_params_default(&p);
	static const uint8_t f[] = { TH_ACK, TH_ACK, TH_ACK, TH_ACK, TH_ACK,
	                             TH_ACK };
	world(1, &p);
	struct link_rule r = rule();
	r.after = 150 * MS;	/* packets at 0, 100, ..., 500 ms */
	r.before = 400 * MS;
	link_add_rule(ab, &r);
	ck_assert_str_eq(dropped_pattern(f, 6), "001100");
	teardown();

	world(1, &p);
	r = rule();
	r.dir = 1;	/* from b only */
	link_add_rule(ab, &r);
	ck_assert_str_eq(dropped_pattern(f, 6), "000000");
	send_from(b, a, 0, TH_ACK);
	sched_run(&sim.sched, SIMTIME_MAX, 0);
	ck_assert_int_eq(count(PKT_DROP, NULL), 1);
	ck_assert_str_eq(recs[nrec - 1].reason, "rule #1: every packet from b");
	ck_assert_int_eq(recs[nrec - 1].rule, 1);
	teardown();
}
END_TEST

START_TEST(test_rule_counts_every_match)
{
	/* Rule 2 counts the SYN that rule 1 dropped: "the 2nd SYN" is the 2nd
	 * SYN on the link, whatever happened to the 1st. */
	struct link_params p;
	link_params_default(&p);
	world(1, &p);
	static const uint8_t f[] = { TH_SYN, TH_SYN, TH_SYN };
	struct link_rule r = rule();
	r.flags_exact = true;
	r.flags_eq = TH_SYN;
	r.nth = 1;
	link_add_rule(ab, &r);
	r.nth = 2;
	link_add_rule(ab, &r);
	ck_assert_str_eq(dropped_pattern(f, 3), "110");
	ck_assert_uint_eq(ab->rules[1].matched, 3);
	ck_assert_uint_eq(ab->rules[1].applied, 1);
	teardown();
}
END_TEST

START_TEST(test_rule_delay_and_dup)
{
	struct link_params p;
	link_params_default(&p);
	p.delay = 10 * MS;
	world(1, &p);
	struct link_rule r = rule();
	r.nth = 1;
	r.action = RULE_DELAY;
	r.delay = 25 * MS;
	link_add_rule(ab, &r);
	r.nth = 2;
	r.action = RULE_DUP;
	link_add_rule(ab, &r);
	send_from(a, b, 0, TH_ACK);
	send_from(a, b, 0, TH_ACK);
	sched_run(&sim.sched, SIMTIME_MAX, 0);
	/* The first is held 25 ms but FIFO keeps order: the second waits
	 * behind it, and so does its duplicate. */
	ck_assert_int_eq(count(PKT_DUP, NULL), 1);
	ck_assert_int_eq(count(PKT_RECV, NULL), 3);
	ck_assert_int_eq(time_of(PKT_RECV, 0), 35 * MS);
	ck_assert_int_eq(time_of(PKT_RECV, 1), 35 * MS);
	teardown();

	/* With reordering allowed the second overtakes the first. */
	p.reorder = true;
	world(1, &p);
	r.nth = 1;
	r.action = RULE_DELAY;
	link_add_rule(ab, &r);
	send_from(a, b, 0, TH_ACK);
	send_from(a, b, 0, TH_ACK);
	sched_run(&sim.sched, SIMTIME_MAX, 0);
	ck_assert_int_eq(time_of(PKT_RECV, 0), 10 * MS);
	ck_assert_int_eq(time_of(PKT_RECV, 1), 35 * MS);
	int first = -1;
	for (int i = 0; i < nrec; i++)
		if (recs[i].op == PKT_RECV && first < 0)
			first = (int)recs[i].id;
	ck_assert_int_eq(first, 2);
	teardown();
}
END_TEST

/* ---- holding back, duplication -------------------------------------------------- */

/* hold = 1: every packet is held back by hold_by after its serialization,
 * on top of the delay; the transmitter is not held.  1 Mb/s, 10 ms:
 * 1500 B take 12 ms, 40 B take 0.32 ms. */
START_TEST(test_hold_always)
{
	struct link_params p;
	link_params_default(&p);
	p.delay = 10 * MS;
	p.rate = 1000000;
	p.hold = 1;
	p.hold_by = 20 * MS;
	world(1, &p);
	send_from(a, b, 1460, TH_ACK);
	send_from(a, b, 1460, TH_ACK);
	simtime ts[] = { 100 * MS };
	send_at(ts, 1, 0, TH_ACK);
	sched_run(&sim.sched, SIMTIME_MAX, 0);
	ck_assert_int_eq(count(PKT_RECV, NULL), 3);
	ck_assert_int_eq(time_of(PKT_RECV, 0), 42 * MS);
	ck_assert_int_eq(time_of(PKT_RECV, 1), 54 * MS);
	ck_assert_int_eq(time_of(PKT_RECV, 2), 130320 * US);
	teardown();
}
END_TEST

/* The packet at 0 is held back 20 ms (hold = 1); from 5 ms nothing is
 * (hold = 0), so the packet at 5 ms would arrive at 15 ms, before the
 * held one at 30 ms.  Returns the receive times and the first id. */
static uint64_t
held_then_not(bool reorder, simtime *t0, simtime *t1)
{
	struct link_params p;
	link_params_default(&p);
	p.delay = 10 * MS;
	p.hold = 1;
	p.hold_by = 20 * MS;
	p.reorder = reorder;
	world(1, &p);
	struct link_params q = p;
	q.hold = 0;
	ck_assert_int_eq(link_at_params(ab, 5 * MS, -1, &q, LP_HOLD), 0);
	simtime ts[] = { 0, 5 * MS };
	send_at(ts, 2, 0, TH_ACK);
	sched_run(&sim.sched, SIMTIME_MAX, 0);
	ck_assert_int_eq(count(PKT_RECV, NULL), 2);
	*t0 = time_of(PKT_RECV, 0);
	*t1 = time_of(PKT_RECV, 1);
	uint64_t first = 0;
	for (int i = 0; i < nrec && first == 0; i++)
		if (recs[i].op == PKT_RECV)
			first = recs[i].id;
	teardown();
	return first;
}

START_TEST(test_hold_reorders_only_when_allowed)
{
	simtime t0, t1;
	/* Reordering allowed: the second overtakes the held first. */
	ck_assert_uint_eq(held_then_not(true, &t0, &t1), 2);
	ck_assert_int_eq(t0, 15 * MS);
	ck_assert_int_eq(t1, 30 * MS);
	/* FIFO: the second waits behind the held one. */
	ck_assert_uint_eq(held_then_not(false, &t0, &t1), 1);
	ck_assert_int_eq(t0, 30 * MS);
	ck_assert_int_eq(t1, 30 * MS);
}
END_TEST

/* 100000 packets one at a time with hold = 0.1, hold_by = 5 ms: each
 * takes exactly 1 ms or exactly 6 ms; returns how many took 6. */
static int
held_count(uint64_t seed)
{
	struct link_params p;
	link_params_default(&p);
	p.hold = 0.1;
	p.hold_by = 5 * MS;
	world(seed, &p);
	int held = 0;
	for (int i = 0; i < 100000; i++) {
		nrec = 0;
		simtime t = sim.sched.now;
		send_from(a, b, 0, TH_ACK);
		sched_run(&sim.sched, SIMTIME_MAX, 0);
		simtime took = time_of(PKT_RECV, 0) - t;
		REQUIRE(took == 1 * MS || took == 6 * MS, "packet %d took %lld ns",
		        i, (long long)took);
		held += took == 6 * MS;
	}
	teardown();
	return held;
}

START_TEST(test_hold_rate_and_repeatability)
{
	int n1 = held_count(7);
	/* Binomial(100000, 0.1): mean 10000, sd 94.9; +-5 sd. */
	ck_assert_msg(n1 >= 9526 && n1 <= 10474, "%d held", n1);
	ck_assert_int_eq(held_count(7), n1);
	ck_assert_int_ne(held_count(8), n1);
}
END_TEST

/* 100000 packets one at a time with dup = 0.05: each arrives, and so
 * does each duplicate, a new packet whose dup_of names the original.
 * Returns the number of duplicates. */
static int
dup_count(uint64_t seed)
{
	struct link_params p;
	link_params_default(&p);
	p.dup = 0.05;
	world(seed, &p);
	int dups = 0;
	for (int i = 0; i < 100000; i++) {
		nrec = 0;
		send_from(a, b, 0, TH_ACK);
		sched_run(&sim.sched, SIMTIME_MAX, 0);
		uint64_t orig = recs[0].id;	/* recs[0] is the send */
		int recv = 0, dup = 0;
		for (int k = 0; k < nrec; k++) {
			const struct rec *r = &recs[k];
			if (r->op == PKT_DUP) {
				REQUIRE(r->dup_of == orig && r->id != orig &&
				        strcmp(r->reason, "dup") == 0,
				        "packet %d: duplicate %llu of %llu (%s)", i,
				        (unsigned long long)r->id,
				        (unsigned long long)r->dup_of, r->reason);
				dup++;
			} else if (r->op == PKT_RECV) {
				REQUIRE(r->id == orig ? r->dup_of == 0 : r->dup_of == orig,
				        "packet %d: received %llu", i,
				        (unsigned long long)r->id);
				recv++;
			}
		}
		REQUIRE(dup <= 1 && recv == 1 + dup, "packet %d: %d dups, %d "
		        "received", i, dup, recv);
		dups += dup;
	}
	ck_assert_uint_eq(ab->dir[0].duplicated, (uint64_t)dups);
	ck_assert_uint_eq(ab->dir[0].delivered, 100000 + (uint64_t)dups);
	teardown();
	return dups;
}

START_TEST(test_dup_rate_and_repeatability)
{
	int n1 = dup_count(7);
	/* Binomial(100000, 0.05): mean 5000, sd 68.9; +-5 sd. */
	ck_assert_msg(n1 >= 4656 && n1 <= 5344, "%d duplicates", n1);
	ck_assert_int_eq(dup_count(7), n1);
	ck_assert_int_ne(dup_count(8), n1);
}
END_TEST

/* ---- link state ----------------------------------------------------------------- */

START_TEST(test_outage_loses_exactly_inside)
{
	struct link_params p;
	link_params_default(&p);
	world(1, &p);
	ck_assert_int_eq(link_at_state(ab, 1000 * MS, false), 0);
	ck_assert_int_eq(link_at_state(ab, 2000 * MS, true), 0);
	simtime ts[31];
	for (int i = 0; i <= 30; i++)
		ts[i] = i * 100 * MS;
	send_at(ts, 31, 0, TH_ACK);
	sched_run(&sim.sched, SIMTIME_MAX, 0);
	/* Sent at 1.0, 1.1, ... 1.9 s: ten lost; 2.0 s goes through. */
	ck_assert_int_eq(count(PKT_DROP, "link-down"), 10);
	ck_assert_int_eq(count(PKT_RECV, NULL), 21);
	for (int i = 0; i < nrec; i++)
		if (recs[i].op == PKT_DROP)
			ck_assert(recs[i].t >= 1000 * MS && recs[i].t < 2000 * MS);
	teardown();
}
END_TEST

/* A packet on the wire when the link goes down is lost with it, even if
 * the link is back before the packet would have arrived; it is dropped
 * at its arrival time.  200 ms delay, down from 1.0 to 1.1 s. */
START_TEST(test_outage_loses_packets_in_flight)
{
	struct link_params p;
	link_params_default(&p);
	p.delay = 200 * MS;
	world(1, &p);
	ck_assert_int_eq(link_at_state(ab, 1000 * MS, false), 0);
	ck_assert_int_eq(link_at_state(ab, 1100 * MS, true), 0);
	simtime ts[] = { 700 * MS, 850 * MS, 950 * MS, 1050 * MS, 1100 * MS };
	send_at(ts, 5, 0, TH_ACK);
	sched_run(&sim.sched, SIMTIME_MAX, 0);
	ck_assert_int_eq(count(PKT_RECV, NULL), 2);
	ck_assert_int_eq(count(PKT_DROP, "link-down"), 3);
	ck_assert_int_eq(time_of(PKT_RECV, 0), 900 * MS);
	ck_assert_int_eq(time_of(PKT_RECV, 1), 1300 * MS);
	/* In order of their drop: sent into the dead link at 1.05 s, then
	 * the two in flight at their would-be arrival, 1.05 and 1.15 s. */
	ck_assert_int_eq(time_of(PKT_DROP, 0), 1050 * MS);
	ck_assert_int_eq(time_of(PKT_DROP, 1), 1050 * MS);
	ck_assert_int_eq(time_of(PKT_DROP, 2), 1150 * MS);
	ck_assert_uint_eq(ab->dir[0].dropped, 3);
	ck_assert_uint_eq(ab->dir[0].delivered, 2);
	teardown();
}
END_TEST

/* Going down empties the queue at once.  1 Mb/s, 10 ms: the ACK (id 1,
 * 0.32 ms to send) is propagating at 5 ms and is lost at its would-be
 * arrival, 10.32 ms; the three 1500 B packets behind it (12 ms each) are
 * lost at 5 ms, the one being serialized too.  The transmitter is free
 * when the link is back at 8 ms: a packet at 20 ms arrives at 42 ms. */
START_TEST(test_outage_empties_the_queue)
{
	struct link_params p;
	link_params_default(&p);
	p.delay = 10 * MS;
	p.rate = 1000000;
	world(1, &p);
	ck_assert_int_eq(link_at_state(ab, 5 * MS, false), 0);
	ck_assert_int_eq(link_at_state(ab, 8 * MS, true), 0);
	send_from(a, b, 0, TH_ACK);
	for (int i = 0; i < 3; i++)
		send_from(a, b, 1460, TH_ACK);
	sched_run(&sim.sched, 6 * MS, 0);
	ck_assert_uint_eq(ab->dir[0].qlen, 0);
	ck_assert_uint_eq(ab->dir[0].qbytes, 0);
	ck_assert_int_eq(ab->dir[0].busy_until, 5 * MS);
	simtime ts[] = { 20 * MS };
	send_at(ts, 1, 1460, TH_ACK);
	sched_run(&sim.sched, SIMTIME_MAX, 0);
	static const struct { simtime t; uint64_t id; } want[] = {
		{ 5 * MS, 2 }, { 5 * MS, 3 }, { 5 * MS, 4 }, { 10320 * US, 1 },
	};
	int k = 0;
	for (int i = 0; i < nrec; i++) {
		if (recs[i].op != PKT_DROP)
			continue;
		ck_assert_int_lt(k, 4);
		ck_assert_int_eq(recs[i].t, want[k].t);
		ck_assert_uint_eq(recs[i].id, want[k].id);
		ck_assert_str_eq(recs[i].reason, "link-down");
		k++;
	}
	ck_assert_int_eq(k, 4);
	ck_assert_int_eq(count(PKT_RECV, NULL), 1);
	ck_assert_int_eq(time_of(PKT_RECV, 0), 42 * MS);
	ck_assert_uint_eq(ab->dir[0].dropped, 4);
	ck_assert_uint_eq(ab->dir[0].delivered, 1);
	teardown();
}
END_TEST

START_TEST(test_scheduled_change)
{
	struct link_params p;
	link_params_default(&p);
	world(1, &p);
	struct link_params q = p;
	q.delay = 40 * MS;
	ck_assert_int_eq(link_at_params(ab, 500 * MS, 0, &q, LP_DELAY), 0);
	simtime ts[2] = { 0, 600 * MS };
	send_at(ts, 2, 0, TH_ACK);
	send_from(b, a, 0, TH_ACK);
	sched_run(&sim.sched, SIMTIME_MAX, 0);
	ck_assert_int_eq(time_of(PKT_RECV, 0), 1 * MS);
	/* a->b now 40 ms; b->a untouched. */
	ck_assert_int_eq(time_of(PKT_RECV, 1), 601 * MS);
	ck_assert_int_eq(time_of(PKT_RECV, 2), 640 * MS);
	teardown();
}
END_TEST

/* What link_params_at answers, against the changes applied one by one in
 * (time, insertion) order: schedules in time order (kept at the end in
 * O(1)), out of order and at the current time (which go through the
 * walk).  Fields delay and rate carry the change's number, so a wrong
 * order shows. */
START_TEST(test_params_at_matches_schedule)
{
	struct link_params p;
	link_params_default(&p);
	world(1, &p);
	enum { N = 400 };
	struct { simtime at; int dir; uint32_t mask; simtime delay;
	         uint64_t rate; } ch[N];
	int order[N];
	uint64_t x = 88172645463325252u;
	for (int i = 0; i < N; i++) {
		x ^= x << 13; x ^= x >> 7; x ^= x << 17;
		/* mostly ascending, some earlier, some now */
		simtime at = (x % 7 == 0) ? 0 : (x % 5 == 0) ?
		             (simtime)(x % 1000) * MS : (simtime)(i + 1) * 3 * MS;
		ch[i].at = at;
		ch[i].dir = (int)(x >> 20) % 3 - 1;
		ch[i].mask = (x >> 30) % 3 == 0 ? LP_DELAY :
		             (x >> 30) % 3 == 1 ? LP_RATE : LP_DELAY | LP_RATE;
		ch[i].delay = (i + 1) * MS;
		ch[i].rate = (uint64_t)(i + 1) * 1000;
		struct link_params q = p;
		q.delay = ch[i].delay;
		q.rate = ch[i].rate;
		ck_assert_int_eq(link_at_params(ab, at, ch[i].dir, &q, ch[i].mask),
		                 0);
		/* order[]: the changes so far by time, ties by insertion */
		int j = i;
		while (j > 0 && ch[order[j - 1]].at > at) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = i;
		for (simtime t = 0; t < 1300 * MS; t += 97 * MS) {
			for (int d = 0; d < 2; d++) {
				struct link_params want = p, got;
				for (int k = 0; k <= i && ch[order[k]].at <= t; k++) {
					int c = order[k];
					if (ch[c].dir >= 0 && ch[c].dir != d)
						continue;
					if (ch[c].mask & LP_DELAY)
						want.delay = ch[c].delay;
					if (ch[c].mask & LP_RATE)
						want.rate = ch[c].rate;
				}
				link_params_at(ab, d, t, &got);
				REQUIRE(got.delay == want.delay && got.rate == want.rate,
				        "change %d, t %lld, dir %d: delay %lld rate %llu, "
				        "wanted %lld %llu", i, (long long)t, d,
				        (long long)got.delay,
				        (unsigned long long)got.rate,
				        (long long)want.delay,
				        (unsigned long long)want.rate);
			}
		}
	}
	teardown();
}
END_TEST

/* A change sets the fields of its mask and no others: jitter set at
 * 1 ms survives reorder set at 2 ms (read over a copy with no jitter),
 * and hold_by at 3 ms leaves hold alone.  Direction b->a keeps its own
 * values throughout. */
START_TEST(test_change_sets_only_its_fields)
{
	struct link_params p;
	link_params_default(&p);
	world(1, &p);
	ab->dir[1].p.jitter = 7 * MS;
	ab->dir[1].p.hold = 0.5;
	ab->dir[1].p.hold_by = 9 * MS;
	struct link_params q = p;
	q.jitter = 5 * MS;
	q.jitter_dist = JITTER_NORMAL;
	q.hold = 1;
	ck_assert_int_eq(link_at_params(ab, 1 * MS, 0, &q, LP_JITTER | LP_HOLD), 0);
	struct link_params r = p;
	r.reorder = true;
	ck_assert_int_eq(link_at_params(ab, 2 * MS, -1, &r, LP_REORDER), 0);
	r.hold_by = 4 * MS;
	ck_assert_int_eq(link_at_params(ab, 3 * MS, 0, &r, LP_HOLD_BY), 0);
	sched_run(&sim.sched, SIMTIME_MAX, 0);
	const struct link_params *d0 = &ab->dir[0].p, *d1 = &ab->dir[1].p;
	ck_assert_int_eq(d0->jitter, 5 * MS);
	ck_assert_int_eq(d0->jitter_dist, JITTER_NORMAL);
	ck_assert(d0->reorder);
	ck_assert(d0->hold == 1);
	ck_assert_int_eq(d0->hold_by, 4 * MS);
	ck_assert_int_eq(d1->jitter, 7 * MS);
	ck_assert_int_eq(d1->jitter_dist, JITTER_UNIFORM);
	ck_assert(d1->reorder);
	ck_assert(d1->hold == 0.5);
	ck_assert_int_eq(d1->hold_by, 9 * MS);
	teardown();
}
END_TEST

/* ---- jitter --------------------------------------------------------------------- */

static int
overtakes(bool reorder)
{
	struct link_params p;
	link_params_default(&p);
	p.jitter = 10 * MS;
	p.reorder = reorder;
	world(5, &p);
	for (int i = 0; i < 1000; i++) {
		sched_run(&sim.sched, i * MS, 0);
		sim.sched.now = i * MS;
		send_from(a, b, 0, TH_ACK);
	}
	sched_run(&sim.sched, SIMTIME_MAX, 0);
	int n = 0;
	uint64_t last = 0;
	simtime lt = 0;
	for (int i = 0; i < nrec; i++) {
		if (recs[i].op != PKT_RECV)
			continue;
		ck_assert(recs[i].t >= lt);
		ck_assert(recs[i].t - (simtime)(recs[i].id - 1) * MS >= SIMTIME_MS);
		ck_assert(recs[i].t - (simtime)(recs[i].id - 1) * MS <= 11 * MS ||
		          !reorder);
		n += recs[i].id < last;
		if (recs[i].id > last)
			last = recs[i].id;
		lt = recs[i].t;
	}
	teardown();
	return n;
}

START_TEST(test_jitter_reordering)
{
	ck_assert_int_eq(overtakes(false), 0);
	ck_assert_int_gt(overtakes(true), 100);
}
END_TEST

/* The extra delay of each of n packets sent one at a time (arrival minus
 * send minus the 1 ms delay), into x[]. */
static void
jitter_sample(const struct link_params *p, simtime *x, int n)
{
	world(9, p);
	for (int i = 0; i < n; i++) {
		nrec = 0;
		simtime t = sim.sched.now;
		send_from(a, b, 0, TH_ACK);
		sched_run(&sim.sched, SIMTIME_MAX, 0);
		x[i] = time_of(PKT_RECV, 0) - t - p->delay;
	}
	teardown();
}

/* Normal jitter with deviation s, clipped at zero: half the packets get
 * no extra delay (x <= 0; rounding to whole ns moves only x in
 * (0, 0.5 ns), a 2e-10 chance), and the rest follow the half-normal
 * law, whose mean is s * sqrt(2/pi) and deviation s * sqrt(1 - 2/pi). */
START_TEST(test_jitter_normal_clipped_half_normal)
{
	enum { N = 100000 };
	static simtime x[N];
	struct link_params p;
	link_params_default(&p);
	p.jitter = 1 * MS;
	p.jitter_dist = JITTER_NORMAL;
	p.reorder = true;
	jitter_sample(&p, x, N);
	int zero = 0, pos = 0;
	double sum = 0;
	for (int i = 0; i < N; i++) {
		REQUIRE(x[i] >= 0, "packet %d: extra delay %lld", i, (long long)x[i]);
		if (x[i] == 0) {
			zero++;
		} else {
			pos++;
			sum += (double)x[i];
		}
	}
	/* Binomial(100000, 1/2): mean 50000, sd 158.1; +-5 sd. */
	ck_assert_msg(zero >= 49210 && zero <= 50790, "%d not delayed", zero);
	const double pi = 3.14159265358979323846, s = (double)p.jitter;
	double want = s * sqrt(2 / pi), tol = 5 * s * sqrt(1 - 2 / pi) / sqrt(pos);
	double mean = sum / pos;
	ck_assert_msg(fabs(mean - want) < tol, "mean %f, want %f +- %f", mean,
	              want, tol);
}
END_TEST

/* Uniform jitter J: every extra delay lies in [0, J], both ends are
 * reached at this sample size (1 ns steps of 10 us: each end has a
 * 1e-4 chance per packet), and the mean is J/2 within 5 standard
 * errors (deviation J / sqrt(12)). */
START_TEST(test_jitter_uniform_bounds)
{
	enum { N = 100000 };
	static simtime x[N];
	struct link_params p;
	link_params_default(&p);
	p.jitter = 10 * US;
	p.reorder = true;
	jitter_sample(&p, x, N);
	simtime lo = SIMTIME_MAX, hi = -1;
	double sum = 0;
	for (int i = 0; i < N; i++) {
		REQUIRE(x[i] >= 0 && x[i] <= p.jitter, "packet %d: extra delay %lld",
		        i, (long long)x[i]);
		lo = x[i] < lo ? x[i] : lo;
		hi = x[i] > hi ? x[i] : hi;
		sum += (double)x[i];
	}
	ck_assert_int_eq(lo, 0);
	ck_assert_int_eq(hi, p.jitter);
	double s = (double)p.jitter, mean = sum / N;
	double tol = 5 * s / sqrt(12) / sqrt(N);
	ck_assert_msg(fabs(mean - s / 2) < tol, "mean %f, want %f +- %f", mean,
	              s / 2, tol);
}
END_TEST

/* ---- routing -------------------------------------------------------------------- */

/* 64 packets one at a time from a to b on direction dir of l: bit i set
 * when the ith was lost. */
static uint64_t
losses(struct link *l, int dir)
{
	uint64_t mask = 0;
	for (int i = 0; i < 64; i++) {
		uint64_t before = l->dir[dir].dropped;
		struct pkt *p = net_pkt_alloc(net);
		p->src = a->addr;
		p->dst = b->addr;
		link_send(l, dir, p);
		sched_run(&sim.sched, SIMTIME_MAX, 0);
		if (l->dir[dir].dropped > before)
			mask |= 1ull << i;
	}
	return mask;
}

/* Equal paths: the sender's lower interface wins.  a - r1 - d and
 * a - r2 - d, with a's link to r1 made before its link to r2 but d's
 * link to r2 made first: a goes through r1, d through r2, whatever order
 * the search meets them in. */
START_TEST(test_route_ties_lower_interface)
{
	struct link_params p;
	link_params_default(&p);
	p.delay = 10 * MS;
	world(1, &p);
	struct node *r1 = net_add_node(net, "r1", NODE_ROUTER);
	struct node *r2 = net_add_node(net, "r2", NODE_ROUTER);
	struct node *d = net_add_node(net, "d", NODE_HOST);
	link_new(net, a, r1, &p);
	link_new(net, a, r2, &p);
	link_new(net, r2, d, &p);
	link_new(net, r1, d, &p);
	send_from(a, d, 0, TH_ACK);
	sched_run(&sim.sched, SIMTIME_MAX, 0);
	ck_assert_int_eq(count(PKT_FORWARD, NULL), 1);
	for (int i = 0; i < nrec; i++)
		if (recs[i].op == PKT_FORWARD)
			ck_assert_str_eq(recs[i].where, "r1");
	nrec = 0;
	send_from(d, a, 0, TH_ACK);
	sched_run(&sim.sched, SIMTIME_MAX, 0);
	ck_assert_int_eq(count(PKT_FORWARD, NULL), 1);
	for (int i = 0; i < nrec; i++)
		if (recs[i].op == PKT_FORWARD)
			ck_assert_str_eq(recs[i].where, "r2");
	/* A host one hop nearer does not forward: b, on a's interface 0
	 * and now linked to d, is no way there. */
	link_new(net, b, d, &p);
	net->started = false;
	nrec = 0;
	send_from(a, d, 0, TH_ACK);
	sched_run(&sim.sched, SIMTIME_MAX, 0);
	ck_assert_int_eq(count(PKT_RECV, NULL), 1);
	ck_assert_int_eq(count(PKT_DROP, NULL), 0);
	for (int i = 0; i < nrec; i++)
		if (recs[i].op == PKT_FORWARD)
			ck_assert_str_eq(recs[i].where, "r1");
	teardown();
}
END_TEST

/* Links between the same two nodes, either way round, have names and
 * streams of their own; the first keeps its name and its draws. */
START_TEST(test_parallel_links)
{
	struct link_params p;
	link_params_default(&p);
	p.loss.model = LOSS_BERNOULLI;
	p.loss.p = 0.5;
	world(3, &p);
	uint64_t alone = losses(ab, 0);
	teardown();
	world(3, &p);
	struct link *l2 = link_new(net, a, b, &p);
	struct link *l3 = link_new(net, b, a, &p);
	ck_assert_str_eq(ab->name, "a-b");
	ck_assert_str_eq(l2->name, "a-b#2");
	ck_assert_str_eq(l3->name, "b-a#3");
	uint64_t m1 = losses(ab, 0), m2 = losses(l2, 0), m3 = losses(l3, 1);
	ck_assert_uint_eq(m1, alone);
	ck_assert_uint_ne(m1, m2);
	ck_assert_uint_ne(m1, m3);
	ck_assert_uint_ne(m2, m3);
	teardown();
}
END_TEST

/* A name another pair of nodes made already gets a number: "x-y" + "z"
 * and "x" + "y-z" would both be "x-y-z". */
START_TEST(test_link_names_unique)
{
	struct link_params p;
	link_params_default(&p);
	world(1, &p);
	struct node *xy = net_add_node(net, "x-y", NODE_HOST);
	struct node *z = net_add_node(net, "z", NODE_HOST);
	struct node *x = net_add_node(net, "x", NODE_HOST);
	struct node *yz = net_add_node(net, "y-z", NODE_HOST);
	ck_assert_str_eq(link_new(net, xy, z, &p)->name, "x-y-z");
	ck_assert_str_eq(link_new(net, x, yz, &p)->name, "x-y-z#2");
	teardown();
}
END_TEST

START_TEST(test_three_hop_route_and_ttl)
{
	struct link_params p;
	link_params_default(&p);
	p.delay = 10 * MS;
	world(1, &p);
	/* a - r1 - r2 - c, plus the direct a-b link from world(). */
	struct node *r1 = net_add_node(net, "r1", NODE_ROUTER);
	struct node *r2 = net_add_node(net, "r2", NODE_ROUTER);
	struct node *c = net_add_node(net, "c", NODE_HOST);
	link_new(net, a, r1, &p);
	link_new(net, r1, r2, &p);
	link_new(net, r2, c, &p);
	send_from(a, c, 0, TH_ACK);
	sched_run(&sim.sched, SIMTIME_MAX, 0);
	ck_assert_int_eq(time_of(PKT_RECV, 0), 30 * MS);
	ck_assert_int_eq(count(PKT_FORWARD, NULL), 2);
	ck_assert_int_eq(recs[nrec - 1].ttl, 62);
	/* TTL 2: r1 makes it 1, r2 may not forward it. */
	nrec = 0;
	struct pkt *q = net_pkt_alloc(net);
	q->src = a->addr;
	q->dst = c->addr;
	q->ttl = 2;
	node_output(a, q);
	sched_run(&sim.sched, SIMTIME_MAX, 0);
	ck_assert_int_eq(count(PKT_DROP, "ttl"), 1);
	ck_assert_str_eq(recs[nrec - 1].where, "r2");
	/* Hosts do not forward: from b, c is unreachable. */
	nrec = 0;
	send_from(b, c, 0, TH_ACK);
	ck_assert_int_eq(count(PKT_DROP, "no-route"), 1);
	teardown();
}
END_TEST

/* A router with no route answers with ICMP host unreachable (RFC 1812
 * 5.2.7.1) quoting the packet, at most once per destination per second,
 * never about an ICMP message. */
START_TEST(test_router_icmp_unreachable)
{
	struct link_params p;
	link_params_default(&p);
	p.delay = 10 * MS;
	world(1, &p);
	/* a - r1 - d; c is on no link, but a and d send to it via r1. */
	struct node *r1 = net_add_node(net, "r1", NODE_ROUTER);
	struct node *c = net_add_node(net, "c", NODE_HOST);
	struct node *d = net_add_node(net, "d", NODE_HOST);
	link_new(net, a, r1, &p);
	link_new(net, d, r1, &p);
	ck_assert_int_eq(node_pin_route(a, c, 1), 0);
	ck_assert_int_eq(node_pin_route(d, c, 0), 0);
	const char *why = "no route (RFC 1812 5.2.7.1)";
	struct pkt *q = net_pkt_alloc(net);
	q->src = a->addr;
	q->dst = c->addr;
	q->sport = 1000;
	q->dport = 80;
	q->seq = 12345;
	q->flags = TH_SYN;
	uint16_t ip_id = q->ip_id;
	node_output(a, q);
	sched_run(&sim.sched, SIMTIME_MAX, 0);
	/* a sends; r1 forwards, finds no route, drops, answers; a gets it
	 * one round trip later. */
	ck_assert_int_eq(nrec, 5);
	ck_assert_int_eq(recs[2].op, PKT_DROP);
	ck_assert_str_eq(recs[2].reason, "no-route");
	ck_assert_int_eq(recs[3].op, PKT_SEND);
	ck_assert_str_eq(recs[3].where, "r1");
	ck_assert_str_eq(recs[3].reason, why);
	ck_assert_int_eq(recs[3].t, 10 * MS);
	ck_assert_int_eq(recs[4].op, PKT_RECV);
	ck_assert_str_eq(recs[4].where, "a");
	ck_assert_int_eq(recs[4].t, 20 * MS);
	ck_assert(last_icmp.icmp);
	ck_assert_uint_eq(last_icmp.icmp_type, 3);
	ck_assert_uint_eq(last_icmp.icmp_code, 1);
	ck_assert_uint_eq(last_icmp.src, r1->addr);
	ck_assert_uint_eq(last_icmp.dst, a->addr);
	ck_assert_uint_eq(pkt_wire_len(&last_icmp), 56);
	ck_assert_uint_eq(pkt_seg_len(&last_icmp), 0);
	ck_assert_uint_eq(last_icmp.quote.src, a->addr);
	ck_assert_uint_eq(last_icmp.quote.dst, c->addr);
	ck_assert_uint_eq(last_icmp.quote.sport, 1000);
	ck_assert_uint_eq(last_icmp.quote.dport, 80);
	ck_assert_uint_eq(last_icmp.quote.seq, 12345);
	ck_assert_uint_eq(last_icmp.quote.ip_id, ip_id);
	ck_assert_uint_eq(last_icmp.quote.ip_len, 40);
	ck_assert_uint_eq(last_icmp.quote.ttl, 64);	/* as it arrived */
	ck_assert_uint_eq(last_icmp.quote.flags, TH_SYN);
	/* 0.5 s: a again (held back), d (another destination: answered);
	 * 1 s: a once more, a second after its first ICMP (answered). */
	nrec = 0;
	sim.sched.now = 500 * MS;
	send_from(a, c, 0, TH_SYN);
	send_from(d, c, 0, TH_SYN);
	sched_run(&sim.sched, SIMTIME_MAX, 0);
	sim.sched.now = 1000 * MS;
	send_from(a, c, 0, TH_SYN);
	sched_run(&sim.sched, SIMTIME_MAX, 0);
	ck_assert_int_eq(count(PKT_DROP, "no-route"), 3);
	ck_assert_int_eq(count(PKT_SEND, why), 2);
	ck_assert_int_eq(time_of(PKT_RECV, 0), 520 * MS);
	ck_assert_int_eq(time_of(PKT_RECV, 1), 1020 * MS);
	ck_assert_uint_eq(last_icmp.dst, a->addr);
	ck_assert_uint_eq(r1->icmp_sent, 3);
	/* An ICMP message with no route gets no ICMP (RFC 1812 4.3.2.7). */
	nrec = 0;
	sim.sched.now = 5 * SIMTIME_S;
	struct pkt *e = net_pkt_alloc(net);
	pkt_icmp_about(e, &last_icmp, ICMP_UNREACH, ICMP_UNREACH_HOST);
	e->src = a->addr;
	e->dst = c->addr;
	node_output(a, e);
	sched_run(&sim.sched, SIMTIME_MAX, 0);
	ck_assert_int_eq(count(PKT_DROP, "no-route"), 1);
	ck_assert_int_eq(count(PKT_SEND, why), 0);
	ck_assert_uint_eq(r1->icmp_sent, 3);
	teardown();
}
END_TEST

static Suite *
link_suite(void)
{
	Suite *s = suite_create("link");
	TCase *tc = tcase_create("timing");
	tcase_add_test(tc, test_serialization_and_propagation);
	tcase_add_test(tc, test_queue_overflow);
	tcase_add_test(tc, test_queue_bytes);
	tcase_add_test(tc, test_no_rate_no_queue);
	tcase_add_test(tc, test_mtu);
	suite_add_tcase(s, tc);
	tc = tcase_create("loss");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_bernoulli_rate_and_repeatability);
	tcase_add_test(tc, test_gilbert_elliott);
	tcase_add_test(tc, test_every_nth);
	suite_add_tcase(s, tc);
	tc = tcase_create("rules");
	tcase_add_test(tc, test_rule_nth_first_every);
	tcase_add_test(tc, test_rule_flags_exact_vs_has);
	tcase_add_test(tc, test_rule_ports_and_seq);
	tcase_add_test(tc, test_rule_window_and_direction);
	tcase_add_test(tc, test_rule_counts_every_match);
	tcase_add_test(tc, test_rule_delay_and_dup);
	suite_add_tcase(s, tc);
	tc = tcase_create("hold_dup");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_hold_always);
	tcase_add_test(tc, test_hold_reorders_only_when_allowed);
	tcase_add_test(tc, test_hold_rate_and_repeatability);
	tcase_add_test(tc, test_dup_rate_and_repeatability);
	suite_add_tcase(s, tc);
	tc = tcase_create("jitter");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_jitter_normal_clipped_half_normal);
	tcase_add_test(tc, test_jitter_uniform_bounds);
	suite_add_tcase(s, tc);
	tc = tcase_create("state");
	tcase_add_test(tc, test_outage_loses_exactly_inside);
	tcase_add_test(tc, test_outage_loses_packets_in_flight);
	tcase_add_test(tc, test_outage_empties_the_queue);
	tcase_add_test(tc, test_scheduled_change);
	tcase_add_test(tc, test_params_at_matches_schedule);
	tcase_add_test(tc, test_change_sets_only_its_fields);
	tcase_add_test(tc, test_jitter_reordering);
	tcase_add_test(tc, test_router_icmp_unreachable);
	tcase_add_test(tc, test_three_hop_route_and_ttl);
	tcase_add_test(tc, test_route_ties_lower_interface);
	tcase_add_test(tc, test_parallel_links);
	tcase_add_test(tc, test_link_names_unique);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(link_suite());
}
