/*
 * check_fingerprint.c - the run fingerprint (sim/trace/fingerprint.c):
 * every field packets.csv shows moves it, so two runs whose files differ
 * never share one.  Packet events are built by hand: one field changed
 * at a time against a base event.
 */
#include <stdint.h>
#include <string.h>

#include "helpers.h"
#include "net/pkt.h"
#include "trace/fingerprint.h"

static struct pkt base_pkt;
static struct trace_event base_ev;

static void
setup(void)
{
	base_pkt = (struct pkt){
		.id = 7, .src = 0x0a000001, .dst = 0x0a000002, .ip_id = 3,
		.ttl = 64, .sport = 40000, .dport = 80, .seq = 1000, .ack = 2000,
		.flags = TH_SYN | TH_ACK, .wnd = 64240, .len = 0,
		.opt = { .present = OPT_MSS | OPT_WSCALE | OPT_SACKOK | OPT_TS,
		         .mss = 1460, .wscale = 7, .tsval = 11, .tsecr = 22 },
	};
	base_ev = (struct trace_event){ .kind = TR_PKT, .t = 50000000,
	                                .node = "server" };
	base_ev.u.pkt.op = PKT_SEND;
	base_ev.u.pkt.pkt = &base_pkt;
	base_ev.u.pkt.rel_seq = 0;
	base_ev.u.pkt.rel_ack = 1;
	base_ev.u.pkt.rel_seq_ok = base_ev.u.pkt.rel_ack_ok = true;
}

static uint64_t
hash_of(const struct trace_event *ev)
{
	struct fingerprint f;
	fingerprint_init(&f);
	fingerprint_event(&f, ev);
	ck_assert_uint_eq(f.events, 1);
	return f.hash;
}

/* A test per field: changing it alone changes the fingerprint. */
#define FIELD_TEST(name, stmt)                                          \
	START_TEST(test_##name)                                         \
	{                                                               \
		struct pkt p = base_pkt;                                \
		struct trace_event ev = base_ev;                        \
		ev.u.pkt.pkt = &p;                                      \
		uint64_t before = hash_of(&ev);                         \
		stmt;                                                   \
		ck_assert_msg(hash_of(&ev) != before,                   \
		              "changing " #name " left the fingerprint"); \
	}                                                               \
	END_TEST

FIELD_TEST(ttl, p.ttl = 63)
FIELD_TEST(dup_of, p.dup_of = 5)
FIELD_TEST(mss, p.opt.mss = 1400)
FIELD_TEST(wscale, p.opt.wscale = 8)
FIELD_TEST(sack_permitted, p.opt.present &= (uint8_t)~OPT_SACKOK)
FIELD_TEST(tsval, p.opt.tsval = 12)
FIELD_TEST(tsecr, p.opt.tsecr = 23)
FIELD_TEST(retx, p.retx = true)
FIELD_TEST(sack_block, (p.opt.present |= OPT_SACK, p.opt.nsack = 1,
                       p.opt.sack[0][0] = 1, p.opt.sack[0][1] = 2))
FIELD_TEST(rel_seq, ev.u.pkt.rel_seq = 1)
FIELD_TEST(rel_ack_known, ev.u.pkt.rel_ack_ok = false)
FIELD_TEST(reason, ev.u.pkt.reason = "retransmission")
FIELD_TEST(rule, ev.u.pkt.rule = 1)
FIELD_TEST(at, ev.node = "client")
FIELD_TEST(time, ev.t++)
FIELD_TEST(wnd, p.wnd = 1)
FIELD_TEST(len, p.len = 1)

/* What packets.csv does not show leaves it alone: an option's value
 * when the option is absent, the IP id. */
START_TEST(test_hidden_fields)
{
	struct pkt p = base_pkt;
	struct trace_event ev = base_ev;
	ev.u.pkt.pkt = &p;
	p.opt.present = OPT_SACKOK;
	uint64_t before = hash_of(&ev);
	p.opt.mss = 1;
	p.opt.wscale = 1;
	p.opt.tsval = p.opt.tsecr = 1;
	p.ip_id = 99;
	ck_assert_uint_eq(hash_of(&ev), before);
}
END_TEST

/* ---- the lean fingerprint of summary-only runs ---------------------------- */

static uint64_t
lean_hash_of(const struct trace_event *ev)
{
	struct fingerprint f;
	fingerprint_init(&f);
	fingerprint_lean_event(&f, ev);
	ck_assert_uint_eq(f.events, 1);
	return f.hash;
}

/* Every wire field, the place, time, rule and fate move it. */
#define LEAN_TEST(name, stmt)                                           \
	START_TEST(test_lean_##name)                                    \
	{                                                               \
		struct pkt p = base_pkt;                                \
		struct trace_event ev = base_ev;                        \
		ev.u.pkt.pkt = &p;                                      \
		uint64_t before = lean_hash_of(&ev);                    \
		stmt;                                                   \
		ck_assert_msg(lean_hash_of(&ev) != before,              \
		              "changing " #name " left it");            \
	}                                                               \
	END_TEST

LEAN_TEST(ttl, p.ttl = 63)
LEAN_TEST(dup_of, p.dup_of = 5)
LEAN_TEST(mss, p.opt.mss = 1400)
LEAN_TEST(wscale, p.opt.wscale = 8)
LEAN_TEST(sack_permitted, p.opt.present &= (uint8_t)~OPT_SACKOK)
LEAN_TEST(tsval, p.opt.tsval = 12)
LEAN_TEST(tsecr, p.opt.tsecr = 23)
LEAN_TEST(retx, p.retx = true)
LEAN_TEST(rule, ev.u.pkt.rule = 1)
LEAN_TEST(op, ev.u.pkt.op = PKT_RECV)
LEAN_TEST(at, ev.node = "client")
LEAN_TEST(time, ev.t++)
LEAN_TEST(seq, p.seq++)
LEAN_TEST(ack, p.ack++)
LEAN_TEST(flags, p.flags = TH_SYN)
LEAN_TEST(ports, p.sport++)
LEAN_TEST(addr, p.src++)
LEAN_TEST(id, p.id++)
LEAN_TEST(wnd, p.wnd = 1)
LEAN_TEST(len, p.len = 1)
LEAN_TEST(drop_reason, (ev.u.pkt.op = PKT_DROP, ev.u.pkt.reason = "loss",
                        before = lean_hash_of(&ev), ev.u.pkt.reason = "queue"))

/* The words of a send and the relative numbers are left out: they follow
 * from what is hashed. */
START_TEST(test_lean_leaves_out_words)
{
	struct trace_event ev = base_ev;
	uint64_t before = lean_hash_of(&ev);
	ev.u.pkt.reason = "retransmission (RTO 1s expired, attempt 2 of 7)";
	ev.u.pkt.rel_seq = 5;
	ev.u.pkt.rel_ack_ok = false;
	ck_assert_uint_eq(lean_hash_of(&ev), before);
	/* ... and it is not the full fingerprint. */
	ck_assert_uint_ne(hash_of(&ev), lean_hash_of(&ev));
}
END_TEST

static Suite *
fingerprint_suite(void)
{
	Suite *s = suite_create("fingerprint");
	TCase *tc = tcase_create("packet fields");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_ttl);
	tcase_add_test(tc, test_dup_of);
	tcase_add_test(tc, test_mss);
	tcase_add_test(tc, test_wscale);
	tcase_add_test(tc, test_sack_permitted);
	tcase_add_test(tc, test_tsval);
	tcase_add_test(tc, test_tsecr);
	tcase_add_test(tc, test_retx);
	tcase_add_test(tc, test_sack_block);
	tcase_add_test(tc, test_rel_seq);
	tcase_add_test(tc, test_rel_ack_known);
	tcase_add_test(tc, test_reason);
	tcase_add_test(tc, test_rule);
	tcase_add_test(tc, test_at);
	tcase_add_test(tc, test_time);
	tcase_add_test(tc, test_wnd);
	tcase_add_test(tc, test_len);
	tcase_add_test(tc, test_hidden_fields);
	suite_add_tcase(s, tc);
	tc = tcase_create("lean");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_lean_ttl);
	tcase_add_test(tc, test_lean_dup_of);
	tcase_add_test(tc, test_lean_mss);
	tcase_add_test(tc, test_lean_wscale);
	tcase_add_test(tc, test_lean_sack_permitted);
	tcase_add_test(tc, test_lean_tsval);
	tcase_add_test(tc, test_lean_tsecr);
	tcase_add_test(tc, test_lean_retx);
	tcase_add_test(tc, test_lean_rule);
	tcase_add_test(tc, test_lean_op);
	tcase_add_test(tc, test_lean_at);
	tcase_add_test(tc, test_lean_time);
	tcase_add_test(tc, test_lean_seq);
	tcase_add_test(tc, test_lean_ack);
	tcase_add_test(tc, test_lean_flags);
	tcase_add_test(tc, test_lean_ports);
	tcase_add_test(tc, test_lean_addr);
	tcase_add_test(tc, test_lean_id);
	tcase_add_test(tc, test_lean_wnd);
	tcase_add_test(tc, test_lean_len);
	tcase_add_test(tc, test_lean_drop_reason);
	tcase_add_test(tc, test_lean_leaves_out_words);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(fingerprint_suite());
}
