/*
 * check_tw_reuse.c - TIME-WAIT's timers on the host's FIFO (tcp_out.c) and
 * the tw_reuse knob (Linux's net.ipv4.tcp_tw_reuse = 1,
 * tcp_twsk_unique; sim/tcp/tcp.c): a new outgoing connection takes the
 * 4-tuple of one in TIME-WAIT only with timestamps and more than a
 * second after the last one it recorded, and starts its sequence space
 * past the old one's.  Over a 50 ms link: the client's connection sends
 * 100 bytes and closes; the server's FIN+ACK, the last segment with a
 * timestamp, reaches it at 200 ms; it waits in TIME-WAIT until 60.2 s.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "helpers.h"
#include "tcp/tcp_int.h"
#include "tcp_fixture.h"

#define MS SIMTIME_MS
#define S SIMTIME_S

static void
setup(void)
{
	fx_setup("linux", 50 * MS);
	fx->client_send = 100;
	fx->client_close = true;
	fx->server_close_on_eof = true;
}

/* Connect from port 5000 with ISN isn (0: the profile's choice). */
static struct tcp_conn *
connect_from_5000(uint32_t isn, int *err)
{
	struct tcp_connect_opts o = { .lport = 5000, .isn_fixed = isn != 0,
	                              .isn = isn };
	return tcp_connect(fx->client->tcp, fx->server->addr, 80, &o, err);
}

/* Without the knob (the linux default) the 4-tuple stays taken for the
 * whole TIME-WAIT. */
START_TEST(test_off_port_taken_until_time_wait_ends)
{
	int err;
	ck_assert_ptr_nonnull(connect_from_5000(1000, &err));
	fx_run(30 * S);
	ck_assert_int_eq(tcp_conn_state(tcp_host_conn(fx->client->tcp, 1)),
	                 TCP_TIME_WAIT);
	ck_assert_ptr_null(connect_from_5000(0, &err));
	ck_assert_int_eq(err, SIM_EADDRINUSE);
	fx_run(61 * S);
	ck_assert_ptr_nonnull(connect_from_5000(0, &err));
	fx_run(62 * S);
	ck_assert_int_eq(fx_state_time("client", 2, TCP_ESTABLISHED),
	                 61100 * MS);
}
END_TEST

/* With it: refused up to a second after the last timestamp (200 ms),
 * taken a nanosecond later; the old connection closes then, and the new
 * one starts at the old SND.NXT (1000 + SYN + 100 + FIN = 1102) plus
 * 65535 + 2, and completes. */
START_TEST(test_on_reuses_after_a_second)
{
	int err;
	fx->client->tcp->prof.tw_reuse = true;
	ck_assert_ptr_nonnull(connect_from_5000(1000, &err));
	fx_run(1200 * MS);
	ck_assert_ptr_null(connect_from_5000(0, &err));
	ck_assert_int_eq(err, SIM_EADDRINUSE);
	fx_run(1200 * MS + 1);
	struct tcp_conn *c = connect_from_5000(0, &err);
	ck_assert_ptr_nonnull(c);
	struct tcp_conn_info in;
	tcp_conn_info(c, &in);
	ck_assert_uint_eq(in.iss, 1102 + 65535 + 2);
	ck_assert_int_eq(in.id, 2);
	ck_assert_int_eq(tcp_conn_state(tcp_host_conn(fx->client->tcp, 1)),
	                 TCP_CLOSED);
	ck_assert_int_eq(fx_state_time("client", 1, TCP_CLOSED), 1200 * MS + 1);
	ck_assert_str_eq(fx_state_cause("client", 1, TCP_CLOSED),
	                 "a new connection takes its ports (tw_reuse)");
	fx_run(3 * S);
	ck_assert_int_eq(fx_state_time("client", 2, TCP_ESTABLISHED),
	                 1300 * MS + 1);
	ck_assert_int_eq(fx_state_time("server", 2, TCP_CLOSED), 1450 * MS + 1);
}
END_TEST

/* Without timestamps nothing tells old duplicates from new segments:
 * no reuse, however long ago. */
START_TEST(test_on_needs_timestamps)
{
	int err;
	fx->client->tcp->prof.tw_reuse = true;
	fx->client->tcp->prof.opt_ts = false;
	ck_assert_ptr_nonnull(connect_from_5000(1000, &err));
	fx_run(30 * S);
	ck_assert_ptr_null(connect_from_5000(0, &err));
	ck_assert_int_eq(err, SIM_EADDRINUSE);
}
END_TEST

/* A 4-tuple in another state is never taken. */
START_TEST(test_on_only_time_wait)
{
	int err;
	fx->client->tcp->prof.tw_reuse = true;
	fx->client_close = false;
	ck_assert_ptr_nonnull(connect_from_5000(1000, &err));
	fx_run(30 * S);
	ck_assert_int_eq(tcp_conn_state(tcp_host_conn(fx->client->tcp, 1)),
	                 TCP_ESTABLISHED);
	ck_assert_ptr_null(connect_from_5000(0, &err));
	ck_assert_int_eq(err, SIM_EADDRINUSE);
}
END_TEST

/* Three connections 10 ms apart wait in TIME-WAIT on the client's FIFO,
 * one scheduler event for all; the first one's last ACK is lost, the
 * server repeats its FIN, which arrives at 500 ms and restarts the first
 * one's wait, moving it behind the others: they leave at 60.21 and
 * 60.22 s, it at 60.5 s. */
/* The FIFO's order needs distinct expiries: on the timer wheel the
 * three waits (set at 200, 210, 220 ms) and the restarted one (500 ms)
 * all land in one 2.048 s granule, on one tick, so here the client's
 * timers run on the nanosecond (timer_wheel off). */
START_TEST(test_fifo_order_with_restart)
{
	tcp_host_profile(fx->client->tcp)->timer_wheel = false;
	tcp_host_profile(fx->server->tcp)->timer_wheel = false;
	fx_drop(fx->client, TH_ACK, 4);
	struct tcp_conn *c[3];
	for (int i = 0; i < 3; i++) {
		int err;
		struct tcp_connect_opts o = { .lport = (uint16_t)(5000 + i),
		                              .isn_fixed = true, .isn = 1000 };
		fx_run((simtime)i * 10 * MS);
		c[i] = tcp_connect(fx->client->tcp, fx->server->addr, 80, &o, &err);
		ck_assert_ptr_nonnull(c[i]);
	}
	fx_run(300 * MS);
	struct tcp_host *h = fx->client->tcp;
	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(c[i]->state, TCP_TIME_WAIT);
		ck_assert_uint_eq(c[i]->life.slot, TCP_TW_QUEUED);
	}
	ck_assert_ptr_eq(h->tw_head, c[0]);
	ck_assert_ptr_eq(h->tw_tail, c[2]);
	ck_assert_int_eq(h->tw_ev.at, c[0]->life.at);
	fx_run(1 * S);
	ck_assert_str_eq(fx_pkt_line(PKT_SEND, "client"),
	                 "0:SYN 10:SYN 20:SYN 100:ACK 100:PSH+ACK/100 "
	                 "100:FIN+ACK 110:ACK 110:PSH+ACK/100 110:FIN+ACK "
	                 "120:ACK 120:PSH+ACK/100 120:FIN+ACK 200:ACK 210:ACK "
	                 "220:ACK 500:ACK");
	ck_assert_ptr_eq(h->tw_head, c[1]);
	ck_assert_ptr_eq(h->tw_tail, c[0]);
	ck_assert_int_eq(h->tw_ev.at, 60210 * MS);
	fx_run(100 * S);
	ck_assert_int_eq(fx_state_time("client", 2, TCP_CLOSED), 60210 * MS);
	ck_assert_int_eq(fx_state_time("client", 3, TCP_CLOSED), 60220 * MS);
	ck_assert_int_eq(fx_state_time("client", 1, TCP_CLOSED), 60500 * MS);
	ck_assert_ptr_null(h->tw_head);
	ck_assert(!sched_pending(&h->tw_ev));
}
END_TEST

static Suite *
tw_reuse_suite(void)
{
	Suite *s = suite_create("tw_reuse");
	TCase *tc = tcase_create("linux");
	tcase_add_checked_fixture(tc, setup, fx_teardown_checked);
	tcase_add_test(tc, test_off_port_taken_until_time_wait_ends);
	tcase_add_test(tc, test_on_reuses_after_a_second);
	tcase_add_test(tc, test_on_needs_timestamps);
	tcase_add_test(tc, test_on_only_time_wait);
	tcase_add_test(tc, test_fifo_order_with_restart);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(tw_reuse_suite());
}
