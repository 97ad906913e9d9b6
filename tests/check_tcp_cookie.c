/*
 * check_tcp_cookie.c - SYN cookies (tcp_cookie.c) taken apart: what a
 * cookie keeps, how long it is good for, what breaks it, and the options
 * carried in the timestamp.  The handshakes that use them are in
 * check_tcp.c.
 */
#include <string.h>

#include "helpers.h"
#include "tcp/tcp_int.h"
#include "tcp_fixture.h"

#define MS SIMTIME_MS
#define S SIMTIME_S

static struct tcp_host *
server(void)
{
	return fx->server->tcp;
}

/* The client's SYN to the server's port 80, seq 7000. */
static struct pkt
syn(uint16_t mss)
{
	struct pkt p = {
		.src = fx->client->addr, .dst = fx->server->addr,
		.sport = 5000, .dport = 80, .seq = 7000, .flags = TH_SYN,
	};
	if (mss) {
		p.opt.present = OPT_MSS;
		p.opt.mss = mss;
	}
	return p;
}

/* The client's ACK of a SYN-ACK whose ISN was cookie. */
static struct pkt
ack_of(uint32_t cookie)
{
	struct pkt p = syn(0);
	p.flags = TH_ACK;
	p.seq = 7001;
	p.ack = cookie + 1;
	return p;
}

START_TEST(test_mss_kept_from_the_table)
{
	static const struct { uint16_t offered, kept; } cases[] = {
		{ 0, 536 }, { 536, 536 }, { 1299, 536 }, { 1300, 1300 },
		{ 1439, 1300 }, { 1440, 1440 }, { 1460, 1460 }, { 9000, 1460 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct pkt s = syn(cases[i].offered);
		uint16_t mss = 0;
		uint32_t cookie = tcp_cookie_make(server(), &s, &mss);
		ck_assert_uint_eq(mss, cases[i].kept);
		struct pkt a = ack_of(cookie);
		ck_assert_uint_eq(tcp_cookie_check(server(), &a), cases[i].kept);
	}
}
END_TEST

START_TEST(test_cookie_bound_to_segment)
{
	struct pkt s = syn(1460);
	uint16_t mss;
	uint32_t cookie = tcp_cookie_make(server(), &s, &mss);
	/* The same SYN gives the same cookie within the minute. */
	ck_assert_uint_eq(tcp_cookie_make(server(), &s, &mss), cookie);
	struct pkt a = ack_of(cookie);
	ck_assert_uint_eq(tcp_cookie_check(server(), &a), 1460);
	a.ack++;
	ck_assert_uint_eq(tcp_cookie_check(server(), &a), 0);
	/* The client's ISN is added in, so an ACK from another ISN fails;
	 * one a little off only moves the MSS index, as in Linux's layout. */
	a = ack_of(cookie);
	a.seq += 1000;
	ck_assert_uint_eq(tcp_cookie_check(server(), &a), 0);
	a = ack_of(cookie);
	a.seq++;
	ck_assert_uint_eq(tcp_cookie_check(server(), &a), 1440);
	a = ack_of(cookie);
	a.sport++;
	ck_assert_uint_eq(tcp_cookie_check(server(), &a), 0);
	a = ack_of(cookie);
	a.src++;
	ck_assert_uint_eq(tcp_cookie_check(server(), &a), 0);
	/* Another host's secret makes another cookie. */
	ck_assert_uint_ne(tcp_cookie_make(fx->client->tcp, &s, &mss), cookie);
}
END_TEST

START_TEST(test_cookie_good_for_two_minutes)
{
	fx_run(59 * S);			/* minute 0 */
	struct pkt s = syn(1460);
	uint16_t mss;
	struct pkt a = ack_of(tcp_cookie_make(server(), &s, &mss));
	fx_run(60 * S);			/* minute 1: one period old */
	ck_assert_uint_eq(tcp_cookie_check(server(), &a), 1460);
	fx_run(120 * S - 1);
	ck_assert_uint_eq(tcp_cookie_check(server(), &a), 1460);
	fx_run(120 * S);		/* minute 2: too old */
	ck_assert_uint_eq(tcp_cookie_check(server(), &a), 0);
	/* A new cookie now carries the new minute. */
	a = ack_of(tcp_cookie_make(server(), &s, &mss));
	ck_assert_uint_eq(tcp_cookie_check(server(), &a), 1460);
}
END_TEST

START_TEST(test_options_in_the_timestamp)
{
	fx_run(1000 * MS + 5 * MS);	/* 1005 ms: 1005 = 15 * 64 + 45 */
	uint32_t off = tcp_ts_offset(server(), fx->server->addr,
	                             fx->client->addr);
	struct pkt s = syn(1460);
	s.opt.present |= OPT_WSCALE | OPT_SACKOK | OPT_TS;
	s.opt.wscale = 7;
	s.opt.tsval = 4242;
	/* Low 6 bits: window scale 7 and SACK (16); the rest is the clock
	 * rounded down to 64 ms. */
	uint32_t tsval = tcp_cookie_tsval(server(), &s, off);
	ck_assert_uint_eq(tsval - off, 15 * 64 + 23);
	struct pkt a = ack_of(0);
	a.opt.present = OPT_TS;
	a.opt.tsval = 4300;
	a.opt.tsecr = tsval;
	struct tcp_opts o = { .present = OPT_MSS, .mss = 1460 };
	ck_assert(tcp_cookie_options(server(), &a, off, &o));
	ck_assert_uint_eq(o.present, OPT_MSS | OPT_TS | OPT_SACKOK | OPT_WSCALE);
	ck_assert_uint_eq(o.wscale, 7);
	ck_assert_uint_eq(o.tsval, 4300);

	/* A TSval above the clock steps back a period: at 1034 ms
	 * (16 * 64 + 10), 16 * 64 + 31 would be ahead of it. */
	fx_run(1034 * MS);
	s.opt.present &= (uint8_t)~OPT_WSCALE;	/* 15: no scaling */
	tsval = tcp_cookie_tsval(server(), &s, off);
	ck_assert_uint_eq(tsval - off, 15 * 64 + 31);
	a.opt.tsecr = tsval;
	o.present = OPT_MSS;
	ck_assert(tcp_cookie_options(server(), &a, off, &o));
	ck_assert_uint_eq(o.present, OPT_MSS | OPT_TS | OPT_SACKOK);

	/* Without timestamps nothing comes back. */
	a.opt.present = 0;
	o.present = OPT_MSS;
	ck_assert(tcp_cookie_options(server(), &a, off, &o));
	ck_assert_uint_eq(o.present, OPT_MSS);
	/* Options this host does not offer are refused ... */
	a.opt.present = OPT_TS;
	tcp_host_profile(server())->opt_sack = false;
	ck_assert(!tcp_cookie_options(server(), &a, off, &o));
	/* ... but a host without timestamps does not read them: the
	 * connection opens without options (tcp_parse_options). */
	tcp_host_profile(server())->opt_ts = false;
	o.present = OPT_MSS;
	ck_assert(tcp_cookie_options(server(), &a, off, &o));
	ck_assert_uint_eq(o.present, OPT_MSS);
}
END_TEST

START_TEST(test_recent_overflow)
{
	struct tcp_listener *l = fx->listener;
	ck_assert(!tcp_cookie_recent(l, 0));
	l->last_overflow = 5 * S;
	ck_assert(tcp_cookie_recent(l, 5 * S));
	ck_assert(tcp_cookie_recent(l, 125 * S));
	ck_assert(!tcp_cookie_recent(l, 125 * S + 1));
}
END_TEST

/* ---- at the listener ---------------------------------------------------- */

static char logged[512];

static void
on_log(void *ctx, const struct trace_event *ev)
{
	(void)ctx;
	strncat(logged, ev->u.log.text, sizeof logged - strlen(logged) - 2);
	strcat(logged, "\n");
}

/* The overflow stamp moves at most once a second (tcp_synq_overflow), and
 * Linux warns of the flood once per listener, only with syncookies 1. */
START_TEST(test_overflow_stamp_and_warning)
{
	logged[0] = '\0';
	trace_subscribe(&fx->sim.trace, TRACE_MASK(TR_LOG), on_log, NULL);
	struct tcp_listener *l = fx->listener;
	struct pkt s = syn(1460);
	tcp_cookie_synack(server(), l, &s);
	ck_assert_int_eq(l->last_overflow, 0);
	fx_run(1 * S);
	tcp_cookie_synack(server(), l, &s);
	ck_assert_int_eq(l->last_overflow, 0);
	fx_run(1 * S + 1);
	tcp_cookie_synack(server(), l, &s);
	ck_assert_int_eq(l->last_overflow, 1 * S + 1);
	ck_assert_uint_eq(l->cookies_sent, 3);
	ck_assert_str_eq(logged, "possible SYN flooding on port 80: sending "
	                 "cookies\n");

	/* syncookies 2 sends them without a word. */
	logged[0] = '\0';
	int err;
	struct tcp_listener *l2 = tcp_listen(server(), 81, -1, &err);
	tcp_host_profile(server())->syncookies = 2;
	s.dport = 81;
	tcp_cookie_synack(server(), l2, &s);
	ck_assert_str_eq(logged, "");

	/* Without cookies, a full queue drops the SYN, and says so once. */
	tcp_host_profile(server())->syncookies = 0;
	struct tcp_listener *l3 = tcp_listen(server(), 82, 0, &err);
	s.dport = 82;
	for (int i = 0; i < 3; i++) {
		s.sport = (uint16_t)(6000 + i);
		tcp_input(server(), &s);
	}
	ck_assert_uint_eq(l3->pending, 1);
	ck_assert_uint_eq(l3->syn_dropped, 2);
	ck_assert_str_eq(logged, "possible SYN flooding on port 82: dropping "
	                 "request\n");
}
END_TEST

/* A cookie connection takes the pair's timestamp offset only if the ACK
 * echoes a timestamp; with TSecr 0 its offset is 0, as on Linux. */
START_TEST(test_cookie_connection_ts_offset)
{
	tcp_host_profile(server())->syncookies = 2;
	struct pkt s = syn(1460);
	s.opt.present |= OPT_TS;
	s.opt.tsval = 4242;
	tcp_cookie_synack(server(), fx->listener, &s);
	uint16_t mss;
	struct pkt a = ack_of(tcp_cookie_make(server(), &s, &mss));
	a.opt.present = OPT_TS;
	a.opt.tsval = 4243;
	a.opt.tsecr = 0;
	tcp_input(server(), &a);
	struct tcp_conn *c = tcp_host_conn(server(), 1);
	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(tcp_conn_state(c), TCP_ESTABLISHED);
	ck_assert(c->ts_ok);
	ck_assert_uint_eq(c->ts_offset, 0);
	ck_assert_uint_eq(c->ts_recent, 4243);
	/* The same with an echo: the pair's offset. */
	s.sport = a.sport = 5001;
	tcp_cookie_synack(server(), fx->listener, &s);
	a.ack = tcp_cookie_make(server(), &s, &mss) + 1;
	a.opt.tsecr = tcp_cookie_tsval(server(), &s,
	                               tcp_ts_offset(server(), fx->server->addr,
	                                             fx->client->addr));
	tcp_input(server(), &a);
	c = tcp_host_conn(server(), 2);
	ck_assert_ptr_nonnull(c);
	ck_assert_uint_eq(c->ts_offset, tcp_ts_offset(server(), fx->server->addr,
	                                              fx->client->addr));
}
END_TEST

static Suite *
cookie_suite(void)
{
	Suite *s = suite_create("tcp_cookie");
	TCase *tc = tcase_create("cookie");
	tcase_add_checked_fixture(tc, fx_setup_linux, fx_teardown);
	tcase_add_test(tc, test_mss_kept_from_the_table);
	tcase_add_test(tc, test_cookie_bound_to_segment);
	tcase_add_test(tc, test_cookie_good_for_two_minutes);
	tcase_add_test(tc, test_options_in_the_timestamp);
	tcase_add_test(tc, test_recent_overflow);
	tcase_add_test(tc, test_overflow_stamp_and_warning);
	tcase_add_test(tc, test_cookie_connection_ts_offset);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(cookie_suite());
}
