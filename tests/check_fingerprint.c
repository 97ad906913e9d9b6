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
	return s;
}

int
main(void)
{
	return run_suite(fingerprint_suite());
}
