/*
 * check_tcp.c - the TCP state machine end to end over a 50 ms link (one
 * way): exact times of every segment, the state sequence of each side, and
 * the errors the application sees.  Times in the packet lines are the
 * send times in ms ("1050:SYN+ACK" = sent at 1.050 s).
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

static const struct fx_app *
app_event(const char *node, const char *what)
{
	for (int i = 0; i < fx->napps; i++)
		if (strcmp(fx->apps[i].node, node) == 0 &&
		    strcmp(fx->apps[i].what, what) == 0)
			return &fx->apps[i];
	return NULL;
}

/* ==== handshake, data, close ============================================== */

START_TEST(test_clean_handshake_data_close)
{
	fx->client_send = 100;
	fx->client_close = true;
	struct tcp_conn *c = fx_connect(1000);
	fx_run(100 * S);
	ck_assert_str_eq(fx_pkt_line(PKT_SEND, "client"),
	                 "0:SYN 100:ACK 100:PSH+ACK/100 100:FIN+ACK 200:ACK");
	/* Data ACKed at once (quick ACK); the ACK of the client's FIN rides
	 * on the server's own FIN, as Linux does when the app closes at once. */
	ck_assert_str_eq(fx_pkt_line(PKT_SEND, "server"),
	                 "50:SYN+ACK 150:ACK 150:FIN+ACK");
	ck_assert_str_eq(fx_state_path("client", 1),
	                 "CLOSED>SYN-SENT>ESTABLISHED>FIN-WAIT-1>FIN-WAIT-2>"
	                 "TIME-WAIT>CLOSED");
	ck_assert_str_eq(fx_state_path("server", 1),
	                 "LISTEN>SYN-RECEIVED>ESTABLISHED>CLOSE-WAIT>LAST-ACK>CLOSED");
	ck_assert_str_eq(fx_state_cause("client", 1, TCP_FIN_WAIT_1),
	                 "application closed");
	ck_assert_int_eq(fx_state_time("client", 1, TCP_ESTABLISHED), 100 * MS);
	ck_assert_int_eq(fx_state_time("server", 1, TCP_ESTABLISHED), 150 * MS);
	ck_assert_int_eq(fx_state_time("client", 1, TCP_TIME_WAIT), 200 * MS);
	ck_assert_int_eq(fx_state_time("server", 1, TCP_CLOSED), 250 * MS);
	/* TIME-WAIT lasts 60 s in the linux profile, on the client's timer
	 * wheel (tcp_fixture.h): set at 200 ms, when its counter reads 276,
	 * for 15000 jiffies: level 3, expires 15276, bucket 15360, the tick
	 * at 4 * (15360 - 226) - 3.207127 ms = 60532.792873 ms. */
	ck_assert_int_eq(fx_state_time("client", 1, TCP_CLOSED), 60532792873);
	ck_assert_int_eq(fx_state_time("client", 1, TCP_CLOSED),
	                 fx_wheel(fx->client, 200 * MS, 60 * S));

	/* Sequence numbers: 100 bytes at 1001 are acknowledged with 1101;
	 * the FIN at 1101 with 1102. */
	int i = fx_find_pkt(PKT_SEND, "client", 2);
	ck_assert_uint_eq(fx->pkts[i].seq, 1001);
	ck_assert_uint_eq(fx->pkts[i].len, 100);
	i = fx_find_pkt(PKT_SEND, "server", 1);
	ck_assert_uint_eq(fx->pkts[i].ack, 1101);
	i = fx_find_pkt(PKT_SEND, "server", 2);
	ck_assert_uint_eq(fx->pkts[i].ack, 1102);
	struct tcp_conn_info in;
	tcp_conn_info(c, &in);
	ck_assert_int_eq(in.t_established - in.t_open, 100 * MS);
	ck_assert_int_eq(in.retransmits, 0);
	ck_assert_uint_eq(in.bytes_acked, 100);
	ck_assert_int_eq(in.error, 0);
	/* Negotiated: MSS 1460 less 12 for timestamps, scale 7, SACK, TS. */
	ck_assert_int_eq(in.mss, 1448);
	ck_assert_int_eq(in.snd_wscale, 7);
	ck_assert(in.sack && in.ts);
	struct tcp_conn *sc = tcp_host_conn(fx->server->tcp, 1);
	tcp_conn_info(sc, &in);
	ck_assert_uint_eq(in.bytes_received, 100);
	ck_assert_uint_eq(in.irs, 1000);
	const struct fx_app *a = app_event("server", "data");
	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(a->n, 100);
	ck_assert_int_eq(a->t, 150 * MS);
}
END_TEST

START_TEST(test_rfc_profile_acks_fin_at_once)
{
	fx->client_close = true;
	fx_connect(0);
	fx_run(300 * S);
	/* rfc: the FIN is acknowledged at once, then the server's FIN. */
	ck_assert_str_eq(fx_pkt_line(PKT_SEND, "server"), "50:SYN+ACK 150:ACK 150:FIN+ACK");
	ck_assert_str_eq(fx_pkt_line(PKT_SEND, "client"), "0:SYN 100:ACK 100:FIN+ACK 200:ACK");
	/* TIME-WAIT is 2*MSL = 240 s. */
	ck_assert_int_eq(fx_state_time("client", 1, TCP_CLOSED), 240200 * MS);
	struct tcp_conn_info in;
	tcp_conn_info(tcp_host_conn(fx->client->tcp, 1), &in);
	ck_assert_int_eq(in.mss, 1460);
	ck_assert_int_eq(in.snd_wscale, -1);
	ck_assert(!in.sack && !in.ts);
}
END_TEST

START_TEST(test_linux_fin_ack_delayed_without_app_close)
{
	fx->client_close = true;
	fx->server_close_on_eof = false;
	fx_connect(0);
	fx_run(1 * S);
	/* No close from the server app: its ACK of the FIN waits 40 ms, on
	 * the server's wheel: set at 150 ms (counter 522) for 10 jiffies,
	 * level 0: expires 532, bucket 533, 49 ticks on: 193.807652 ms. */
	ck_assert_str_eq(fx_pkt_line(PKT_SEND, "server"), "50:SYN+ACK 193.807:ACK");
	ck_assert_int_eq(fx->pkts[fx_find_pkt(PKT_SEND, "server", 1)].t,
	                 193807652);
	ck_assert_str_eq(fx_state_path("client", 1),
	                 "CLOSED>SYN-SENT>ESTABLISHED>FIN-WAIT-1>FIN-WAIT-2");
	ck_assert_str_eq(fx_state_path("server", 1),
	                 "LISTEN>SYN-RECEIVED>ESTABLISHED>CLOSE-WAIT");
}
END_TEST

/* ==== losses in the handshake =============================================== */

START_TEST(test_first_syn_lost)
{
	fx_drop(fx->client, TH_SYN, 1);
	struct tcp_conn *c = fx_connect(0);
	fx_run(10 * S);
	/* The 1 s SYN timer on the client's wheel (tcp_fixture.h): counter
	 * 226 + 250 jiffies = 476, level 1 (granule 8): bucket 480, 254
	 * ticks on, at 1012.792873 ms; a round trip later it is open. */
	ck_assert_str_eq(fx_pkt_line(PKT_SEND, "client"), "0:SYN 1012.792:SYN 1112.792:ACK");
	ck_assert_str_eq(fx_pkt_line(PKT_SEND, "server"), "1062.792:SYN+ACK");
	ck_assert_int_eq(fx->pkts[fx_find_pkt(PKT_SEND, "client", 1)].t,
	                 1012792873);
	ck_assert_int_eq(fx_state_time("client", 1, TCP_ESTABLISHED),
	                 1012792873 + 100 * MS);
	struct tcp_conn_info in;
	tcp_conn_info(c, &in);
	ck_assert_int_eq(in.t_established - in.t_open, 1012792873 + 100 * MS);
	ck_assert_int_eq(in.retransmits, 1);
	/* The timestamp echo still gives an RTT sample: 100 ms. */
	ck_assert_int_eq(in.srtt, 100 * MS);
}
END_TEST

START_TEST(test_first_synack_lost)
{
	fx_drop(fx->server, TH_SYN | TH_ACK, 1);
	fx_connect(0);
	fx_run(10 * S);
	/* Both sides time out 1 s after their first try, on their own
	 * wheels (tcp_fixture.h): the client's SYN timer at 1012.792873 ms
	 * (counter 226 + 250 = 476, bucket 480); the server's SYN-ACK timer,
	 * set at 50 ms (counter 497 + 250 = 747, bucket 752), would fire at
	 * 1069.807652 ms.  On the nanosecond both would be due at 1.05 s,
	 * the arrival of the repeated SYN; on the wheel the SYN arrives
	 * first, at 1062.792873 ms, is answered (tcp_check_req), and the
	 * answer restarts the server's timer: one SYN-ACK, not two
	 * (check_tcp_timer has the tie on each profile). */
	ck_assert_str_eq(fx_pkt_line(PKT_SEND, "client"), "0:SYN 1012.792:SYN 1112.792:ACK");
	ck_assert_str_eq(fx_pkt_line(PKT_SEND, "server"), "50:SYN+ACK 1062.792:SYN+ACK");
	ck_assert_str_eq(fx->pkts[fx_find_pkt(PKT_SEND, "server", 1)].reason,
	                 "retransmitted SYN received: SYN-ACK again (linux: "
	                 "tcp_check_req)");
	ck_assert_int_eq(fx_state_time("client", 1, TCP_ESTABLISHED), 1112792873);
	ck_assert_int_eq(fx_state_time("server", 1, TCP_ESTABLISHED), 1162792873);
	ck_assert_int_eq(fx_count(PKT_DROP, "client", TH_SYN | TH_ACK), 0);
}
END_TEST

START_TEST(test_final_ack_lost_no_data)
{
	fx_drop(fx->client, TH_ACK, 1);
	fx_connect(0);
	fx_run(10 * S);
	/* The server retransmits its SYN-ACK 1 s after 50 ms, on its wheel:
	 * counter 497 + 250 = 747, bucket 752, at 1069.807652 ms; the
	 * client, already ESTABLISHED, answers with an ACK that completes
	 * the server's side. */
	ck_assert_str_eq(fx_pkt_line(PKT_SEND, "server"), "50:SYN+ACK 1069.807:SYN+ACK");
	ck_assert_str_eq(fx_pkt_line(PKT_SEND, "client"), "0:SYN 100:ACK 1119.807:ACK");
	ck_assert_int_eq(fx->pkts[fx_find_pkt(PKT_SEND, "server", 1)].t,
	                 fx_wheel(fx->server, 50 * MS, 1 * S));
	ck_assert_int_eq(fx_state_time("client", 1, TCP_ESTABLISHED), 100 * MS);
	ck_assert_int_eq(fx_state_time("server", 1, TCP_ESTABLISHED), 1169807652);
}
END_TEST

START_TEST(test_final_ack_lost_data_follows)
{
	fx_drop(fx->client, TH_ACK, 1);
	fx->client_send = 100;
	fx_connect(0);
	fx_run(10 * S);
	/* The data segment carries the ACK: the server is ESTABLISHED when
	 * it arrives and takes the data with it. */
	ck_assert_str_eq(fx_pkt_line(PKT_SEND, "client"), "0:SYN 100:ACK 100:PSH+ACK/100");
	ck_assert_str_eq(fx_pkt_line(PKT_SEND, "server"), "50:SYN+ACK 150:ACK");
	ck_assert_int_eq(fx_state_time("server", 1, TCP_ESTABLISHED), 150 * MS);
	const struct fx_app *a = app_event("server", "data");
	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(a->t, 150 * MS);
}
END_TEST

START_TEST(test_fin_lost_linux_tail_loss_probe)
{
	fx->client_close = true;
	fx_drop(fx->client, TH_FIN | TH_ACK, 1);
	fx_connect(0);
	fx_run(100 * S);
	/* SRTT 100 ms: PTO = min(2*SRTT + 200 ms, RTO 300 ms) = 300 ms after
	 * the FIN, on the client's wheel: at 100 ms its counter reads 251,
	 * + 75 jiffies = 326, level 1: bucket 328, the probe at 404.792873
	 * ms. */
	ck_assert_str_eq(fx_pkt_line(PKT_SEND, "client"),
	                 "0:SYN 100:ACK 100:FIN+ACK 404.792:FIN+ACK 504.792:ACK");
	ck_assert_str_eq(fx_pkt_line(PKT_SEND, "server"), "50:SYN+ACK 454.792:FIN+ACK");
	ck_assert_int_eq(fx_state_time("client", 1, TCP_TIME_WAIT), 504792873);
	ck_assert_int_eq(fx_state_time("server", 1, TCP_CLOSED), 554792873);
}
END_TEST

/* The world again with a longer one-way delay, on the same profile: a
 * round trip of 300 ms makes the handshake's RTO (SRTT + 4*RTTVAR =
 * 3*SRTT) long enough that it does not clamp the probe timeout, so the
 * formulas can be told apart. */
static void
refixture(simtime delay)
{
	const struct tcp_profile *p = tcp_host_profile(fx->client->tcp);
	char name[24];
	snprintf(name, sizeof name, "%s", p->name);
	bool wheel = p->timer_wheel;
	fx_teardown();
	fx_setup(name, delay);
	tcp_host_profile(fx->client->tcp)->timer_wheel = wheel;
	tcp_host_profile(fx->server->tcp)->timer_wheel = wheel;
}

/* Turn on the tail loss probe (and SACK, which it needs) on both hosts. */
static void
with_tlp(void)
{
	struct tcp_profile *p[] = { tcp_host_profile(fx->client->tcp),
	                            tcp_host_profile(fx->server->tcp) };
	for (int i = 0; i < 2; i++)
		p[i]->tlp = p[i]->opt_sack = true;
}

/* linux (tcp_schedule_loss_probe): one packet out, PTO = 2*SRTT +
 * TCP_RTO_MIN.  SRTT 300 ms, RTTVAR 150 ms, RTO 900 ms: PTO = 800 ms
 * after the FIN, so the probe goes at 1100 ms (the older max(2*SRTT,
 * 1.5*SRTT + 200 ms) would send it at 950). */
START_TEST(test_tlp_one_segment_linux)
{
	refixture(150 * MS);
	fx->client_close = true;
	fx_drop(fx->client, TH_FIN | TH_ACK, 1);
	fx_connect(0);
	fx_run(100 * S);
	ck_assert_str_eq(fx_pkt_line(PKT_SEND, "client"),
	                 "0:SYN 300:ACK 300:FIN+ACK 1100:FIN+ACK 1400:ACK");
	ck_assert_str_eq(fx_pkt_line(PKT_SEND, "server"),
	                 "150:SYN+ACK 1250:FIN+ACK");
	int i = fx_find_pkt(PKT_SEND, "client", 3);
	ck_assert_str_eq(fx->pkts[i].reason, "tail loss probe (PTO expired)");
	ck_assert_int_eq(fx->pkts[i].t, 1100 * MS);
}
END_TEST

/* linux: two segments out, PTO = 2*SRTT + TCP_TIMEOUT_MIN_US (2 ms):
 * the probe, the last segment again, goes at 300 + 602 ms. */
START_TEST(test_tlp_two_segments_linux)
{
	refixture(150 * MS);
	fx->client_send = 2 * 1448;
	fx_drop(fx->client, TH_ACK, 2);		/* the first data segment */
	fx_drop(fx->client, TH_PSH | TH_ACK, 1);	/* the second */
	fx_connect(0);
	fx_run(2 * S);
	/* The probe's duplicate ACK is back at 1202 ms.  Its SACK of the probe (RTT 300 ms, not below the minimum) tells
	 * RACK the first segment, sent 902 ms earlier, is lost. */
	ck_assert_str_eq(fx_pkt_line(PKT_SEND, "client"),
	                 "0:SYN 300:ACK 300:ACK/1448 300:PSH+ACK/1448 "
	                 "902:PSH+ACK/1448 1202:ACK/1448");
	int i = fx_find_pkt(PKT_SEND, "client", 4);
	ck_assert_uint_eq(fx->pkts[i].seq, 1449);
	ck_assert_str_eq(fx->pkts[i].reason, "tail loss probe (PTO expired)");
	i = fx_find_pkt(PKT_SEND, "client", 5);
	ck_assert_uint_eq(fx->pkts[i].seq, 1);
	ck_assert_str_eq(fx->pkts[i].reason, "retransmission (RACK: a segment "
	                 "sent later was delivered; RFC 8985 6.2)");
}
END_TEST

START_TEST(test_fin_lost_rfc_rto)
{
	fx->client_close = true;
	fx_drop(fx->client, TH_FIN | TH_ACK, 1);
	fx_connect(0);
	fx_run(300 * S);
	/* rfc: RTO = max(SRTT + 4*RTTVAR, 1 s) = 1 s after the FIN. */
	ck_assert_str_eq(fx_pkt_line(PKT_SEND, "client"),
	                 "0:SYN 100:ACK 100:FIN+ACK 1100:FIN+ACK 1200:ACK");
	ck_assert_int_eq(fx_state_time("client", 1, TCP_TIME_WAIT), 1200 * MS);
	struct tcp_conn_info in;
	tcp_conn_info(tcp_host_conn(fx->client->tcp, 1), &in);
	ck_assert_int_eq(in.retransmits, 1);
}
END_TEST

/* RFC 8985 7.2, with the probe turned on in rfc: PTO = 2*SRTT, plus
 * WCDelAckT for one segment out, nothing for more.  SRTT 300 ms, RTO
 * max(300 + 600 ms, 1 s) = 1 s: one segment (the FIN) is probed 800 ms
 * after it goes, two segments 600 ms after (Linux: 602). */
START_TEST(test_tlp_rfc_8985)
{
	refixture(150 * MS);
	with_tlp();
	fx->client_close = true;
	fx_drop(fx->client, TH_FIN | TH_ACK, 1);
	fx_connect(0);
	fx_run(3 * S);
	ck_assert_str_eq(fx_pkt_line(PKT_SEND, "client"),
	                 "0:SYN 300:ACK 300:FIN+ACK 1100:FIN+ACK 1400:ACK");
	ck_assert_str_eq(fx->pkts[fx_find_pkt(PKT_SEND, "client", 3)].reason,
	                 "tail loss probe (PTO expired)");

	refixture(150 * MS);
	with_tlp();
	fx->client_send = 2 * 1460;
	fx_drop(fx->client, TH_ACK, 2);
	fx_drop(fx->client, TH_PSH | TH_ACK, 1);
	fx_connect(0);
	fx_run(1250 * MS);	/* the probe's duplicate ACK is back */
	ck_assert_str_eq(fx_pkt_line(PKT_SEND, "client"),
	                 "0:SYN 300:ACK 300:ACK/1460 300:PSH+ACK/1460 "
	                 "900:PSH+ACK/1460");
	ck_assert_str_eq(fx->pkts[fx_find_pkt(PKT_SEND, "client", 4)].reason,
	                 "tail loss probe (PTO expired)");
}
END_TEST

START_TEST(test_syn_retries_exhausted_127s)
{
	/* A silent peer: a router answers nothing. */
	struct node *r = net_add_node(fx->net, "silent", NODE_ROUTER);
	struct link_params lp;
	link_params_default(&lp);
	lp.delay = 50 * MS;
	link_new(fx->net, fx->client, r, &lp);
	struct tcp_connect_opts o = { .isn_fixed = true };
	int err;
	struct tcp_conn *c = tcp_connect(fx->client->tcp, r->addr, 80, &o, &err);
	ck_assert_ptr_nonnull(c);
	fx_run(200 * S);
	/* 1+2+4+8+16+32+64 = 127 s on the nanosecond; on the client's
	 * wheel each timeout starts at the tick the last one fired on and
	 * ends past the next granule of its level (counter: 226 + 250 =
	 * 476 -> 480 (g 8); 480 + 500 -> 984 (g 8); 984 + 1000 -> 2048
	 * (g 64); 2048 + 2000 -> 4096; 4096 + 4000 -> 8128; 8128 + 8000 ->
	 * 16384 (g 512); 16384 + 16000 -> 32768: the tick of jiffy J at
	 * 4 (J - 226) - 3.207127 ms). */
	ck_assert_str_eq(fx_pkt_line(PKT_SEND, "client"),
	                 "0:SYN 1012.792:SYN 3028.792:SYN 7284.792:SYN 15476.792:SYN "
	                 "31604.792:SYN 64628.792:SYN");
	ck_assert_int_eq(fx_state_time("client", 1, TCP_CLOSED), 130164792873);
	simtime t = 0;
	for (int k = 0; k < 7; k++)
		t = fx_wheel(fx->client, t, (simtime)(1 << k) * S);
	ck_assert_int_eq(fx_state_time("client", 1, TCP_CLOSED), t);
	const struct fx_app *a = app_event("client", "closed");
	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(a->err, SIM_ETIMEDOUT);
	ck_assert_int_eq(a->t, 130164792873);
}
END_TEST

START_TEST(test_syn_linear_timeouts_618)
{
	struct node *r = net_add_node(fx->net, "silent", NODE_ROUTER);
	struct link_params lp;
	link_params_default(&lp);
	link_new(fx->net, fx->client, r, &lp);
	tcp_profile_get("linux-6.18", tcp_host_profile(fx->client->tcp));
	/* The retry schedule on the nanosecond; check_tcp_timer has it on
	 * the timer wheel. */
	tcp_host_profile(fx->client->tcp)->timer_wheel = false;
	fx->server_close_on_eof = false;
	struct tcp_connect_opts o = { .isn_fixed = true };
	int err;
	ck_assert_ptr_nonnull(tcp_connect(fx->client->tcp, r->addr, 80, &o, &err));
	fx_run(300 * S);
	/* Four linear retries at 1 s, then doubling; 10 retries in all. */
	ck_assert_str_eq(fx_pkt_line(PKT_SEND, "client"),
	                 "0:SYN 1000:SYN 2000:SYN 3000:SYN 4000:SYN 5000:SYN "
	                 "7000:SYN 11000:SYN 19000:SYN 35000:SYN 67000:SYN");
	ck_assert_int_eq(fx_state_time("client", 1, TCP_CLOSED), 131 * S);
}
END_TEST

START_TEST(test_synack_retries_exhausted)
{
	/* Every ACK from the client is lost: the server gives up at 63 s. */
	fx_drop(fx->client, TH_ACK, 0);
	fx_connect(0);
	fx_run(100 * S);
	/* On the server's wheel, from 50 ms (counter 497): 497 + 250 ->
	 * 752 (g 8); + 500 -> 1256; + 1000 -> 2304 (g 64); + 2000 -> 4352;
	 * + 4000 -> 8384; + 8000 -> 16896 (g 512): the tick of jiffy J at
	 * 4 (J - 484) - 2.192348 ms. */
	ck_assert_str_eq(fx_pkt_line(PKT_SEND, "server"),
	                 "50:SYN+ACK 1069.807:SYN+ACK 3085.807:SYN+ACK 7277.807:SYN+ACK "
	                 "15469.807:SYN+ACK 31597.807:SYN+ACK");
	ck_assert_int_eq(fx_state_time("server", 1, TCP_CLOSED), 65645807652);
	/* The app never saw the half-open connection. */
	ck_assert_ptr_null(app_event("server", "closed"));
}
END_TEST

START_TEST(test_connect_timeout)
{
	fx_drop(fx->client, TH_SYN, 1);
	fx_drop(fx->client, TH_SYN, 2);
	struct tcp_connect_opts o = { .isn_fixed = true, .timeout = 2500 * MS };
	int err;
	tcp_connect(fx->client->tcp, fx->server->addr, 80, &o, &err);
	fx_run(10 * S);
	ck_assert_int_eq(fx_state_time("client", 1, TCP_CLOSED), 2500 * MS);
	const struct fx_app *a = app_event("client", "closed");
	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(a->err, SIM_ETIMEDOUT);
}
END_TEST

/* ==== refusals, resets ===================================================== */

START_TEST(test_connect_closed_port_refused)
{
	struct tcp_connect_opts o = { .isn_fixed = true, .isn = 1000 };
	int err;
	tcp_connect(fx->client->tcp, fx->server->addr, 81, &o, &err);
	fx_run(10 * S);
	ck_assert_str_eq(fx_pkt_line(PKT_SEND, "server"), "50:RST+ACK");
	int i = fx_find_pkt(PKT_SEND, "server", 0);
	/* RFC 9293 3.10.7.1: <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>. */
	ck_assert_uint_eq(fx->pkts[i].seq, 0);
	ck_assert_uint_eq(fx->pkts[i].ack, 1001);
	ck_assert_str_eq(fx_state_path("client", 1), "CLOSED>SYN-SENT>CLOSED");
	const struct fx_app *a = app_event("client", "closed");
	ck_assert_int_eq(a->err, SIM_ECONNREFUSED);
	ck_assert_int_eq(a->t, 100 * MS);
}
END_TEST

START_TEST(test_abort_sends_rst)
{
	struct tcp_conn *c = fx_connect(1000);
	fx_run(1 * S);
	ck_assert_int_eq(tcp_abort(c), 0);
	fx_run(2 * S);
	ck_assert_str_eq(fx_pkt_line(PKT_SEND, "client"), "0:SYN 100:ACK 1000:RST+ACK");
	int i = fx_find_pkt(PKT_SEND, "client", 2);
	ck_assert_uint_eq(fx->pkts[i].seq, 1001);
	ck_assert_int_eq(fx_state_time("server", 1, TCP_CLOSED), 1050 * MS);
	const struct fx_app *a = app_event("server", "closed");
	ck_assert_int_eq(a->err, SIM_ECONNRESET);
	a = app_event("client", "closed");
	ck_assert_int_eq(a->err, SIM_ECONNABORTED);
	/* No RST answers a RST. */
	ck_assert_int_eq(fx_count(PKT_SEND, "server", TH_RST), 0);
	ck_assert_int_eq(fx_count(PKT_SEND, "server", TH_RST | TH_ACK), 0);
}
END_TEST

START_TEST(test_close_in_syn_sent_no_rst)
{
	struct tcp_conn *c = fx_connect(0);
	ck_assert_int_eq(tcp_close(c), 0);
	ck_assert_int_eq(tcp_conn_state(c), TCP_CLOSED);
	fx_run(1 * S);
	/* The SYN-ACK then finds no connection and is answered with a RST;
	 * the close itself sent nothing. */
	ck_assert_str_eq(fx_pkt_line(PKT_SEND, "client"), "0:SYN 100:RST");
}
END_TEST

/* ==== simultaneous open and close, half-close, TIME-WAIT =================== */

START_TEST(test_simultaneous_open)
{
	struct tcp_connect_opts a = { .lport = 5000, .isn_fixed = true, .isn = 100 };
	struct tcp_connect_opts b = { .lport = 6000, .isn_fixed = true, .isn = 300 };
	int err;
	struct tcp_conn *c1 = tcp_connect(fx->client->tcp, fx->server->addr, 6000,
	                                  &a, &err);
	struct tcp_conn *c2 = tcp_connect(fx->server->tcp, fx->client->addr, 5000,
	                                  &b, &err);
	ck_assert(c1 && c2);
	fx_run(1 * S);
	ck_assert_str_eq(fx_state_path("client", 1),
	                 "CLOSED>SYN-SENT>SYN-RECEIVED>ESTABLISHED");
	ck_assert_str_eq(fx_state_path("server", 1),
	                 "CLOSED>SYN-SENT>SYN-RECEIVED>ESTABLISHED");
	ck_assert_int_eq(fx_state_time("client", 1, TCP_ESTABLISHED), 100 * MS);
	ck_assert_int_eq(fx_state_time("server", 1, TCP_ESTABLISHED), 100 * MS);
	/* Each side ACKs the peer's SYN+ACK at once (RFC 9293 3.10.7.4,
	 * first check; Linux: tcp_data_queue); the ACKs cross and change
	 * nothing. */
	ck_assert_str_eq(fx_pkt_line(PKT_SEND, "client"), "0:SYN 50:SYN+ACK 100:ACK");
	ck_assert_str_eq(fx_pkt_line(PKT_SEND, "server"), "0:SYN 50:SYN+ACK 100:ACK");
	int i = fx_find_pkt(PKT_SEND, "client", 1);
	ck_assert_uint_eq(fx->pkts[i].seq, 100);
	ck_assert_uint_eq(fx->pkts[i].ack, 301);
	i = fx_find_pkt(PKT_SEND, "client", 2);
	ck_assert_uint_eq(fx->pkts[i].flags, TH_ACK);
	ck_assert_uint_eq(fx->pkts[i].seq, 101);
	ck_assert_uint_eq(fx->pkts[i].ack, 301);
}
END_TEST

/* Simultaneous open, the client's SYN+ACK lost: the client is
 * ESTABLISHED by the server's SYN+ACK at 100 ms and ACKs it at once, so
 * the server is ESTABLISHED one way later, at 150 ms, and neither side
 * retransmits. */
START_TEST(test_simultaneous_open_one_synack_lost)
{
	fx_drop(fx->client, TH_SYN | TH_ACK, 1);
	struct tcp_connect_opts a = { .lport = 5000, .isn_fixed = true, .isn = 100 };
	struct tcp_connect_opts b = { .lport = 6000, .isn_fixed = true, .isn = 300 };
	int err;
	struct tcp_conn *c1 = tcp_connect(fx->client->tcp, fx->server->addr, 6000,
	                                  &a, &err);
	struct tcp_conn *c2 = tcp_connect(fx->server->tcp, fx->client->addr, 5000,
	                                  &b, &err);
	ck_assert(c1 && c2);
	fx_run(10 * S);
	ck_assert_str_eq(fx_pkt_line(PKT_SEND, "client"), "0:SYN 50:SYN+ACK 100:ACK");
	ck_assert_str_eq(fx_pkt_line(PKT_SEND, "server"), "0:SYN 50:SYN+ACK");
	ck_assert_int_eq(fx_state_time("client", 1, TCP_ESTABLISHED), 100 * MS);
	ck_assert_int_eq(fx_state_time("server", 1, TCP_ESTABLISHED), 150 * MS);
	int i = fx_find_pkt(PKT_SEND, "client", 2);
	ck_assert_uint_eq(fx->pkts[i].seq, 101);
	ck_assert_uint_eq(fx->pkts[i].ack, 301);
	struct tcp_conn_info in;
	tcp_conn_info(c2, &in);
	ck_assert_int_eq(in.t_established - in.t_open, 150 * MS);
	ck_assert_int_eq(in.retransmits, 0);
	ck_assert_uint_eq(in.snd_una, 301);
}
END_TEST

/* Simultaneous open with every SYN-ACK lost: each side is a full socket
 * in SYN-RECEIVED, and Linux (tcp_write_timeout) gives it tcp_syn_retries
 * (6), not tcp_synack_retries (5): SYN-ACKs at 50 ms and 1, 3, 7, 15, 31,
 * 63 s later, then ETIMEDOUT 64 s after the last. */
START_TEST(test_simultaneous_open_synack_lost)
{
	fx_drop(fx->client, TH_SYN | TH_ACK, 0);
	fx_drop(fx->server, TH_SYN | TH_ACK, 0);
	struct tcp_connect_opts a = { .lport = 5000, .isn_fixed = true, .isn = 100 };
	struct tcp_connect_opts b = { .lport = 6000, .isn_fixed = true, .isn = 300 };
	int err;
	ck_assert_ptr_nonnull(tcp_connect(fx->client->tcp, fx->server->addr, 6000,
	                                  &a, &err));
	ck_assert_ptr_nonnull(tcp_connect(fx->server->tcp, fx->client->addr, 5000,
	                                  &b, &err));
	fx_run(200 * S);
	ck_assert_str_eq(fx_pkt_line(PKT_SEND, "client"),
	                 "0:SYN 50:SYN+ACK 1050:SYN+ACK 3050:SYN+ACK 7050:SYN+ACK "
	                 "15050:SYN+ACK 31050:SYN+ACK 63050:SYN+ACK");
	ck_assert_int_eq(fx_state_time("client", 1, TCP_CLOSED), 127050 * MS);
	const struct fx_app *e = app_event("client", "closed");
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(e->err, SIM_ETIMEDOUT);
}
END_TEST

/* Both ends of a simultaneous open, client port 5000 ISN 100, server
 * port 6000 ISN 300; the client's connect timeout is timeout (0: none). */
static struct tcp_conn *
simultaneous_open(simtime timeout)
{
	struct tcp_connect_opts a = { .lport = 5000, .isn_fixed = true, .isn = 100,
	                              .timeout = timeout };
	struct tcp_connect_opts b = { .lport = 6000, .isn_fixed = true, .isn = 300 };
	int err;
	struct tcp_conn *c = tcp_connect(fx->client->tcp, fx->server->addr, 6000,
	                                 &a, &err);
	ck_assert_ptr_nonnull(c);
	ck_assert_ptr_nonnull(tcp_connect(fx->server->tcp, fx->client->addr, 5000,
	                                  &b, &err));
	return c;
}

/* RFC 9293 3.10.4: close() in SYN-RECEIVED with nothing to send sends
 * the FIN and enters FIN-WAIT-1 (Linux's tcp_close does the same for a
 * simultaneous open).  Our SYN is still unacknowledged: when the timer
 * fires it goes again as a SYN+ACK, the FIN behind it, with the SYN's
 * backoff and retry limit (here tcp_syn_retries, 6), until ETIMEDOUT.
 * Nothing from the server arrives after its SYN. */
START_TEST(test_close_in_syn_received_retransmits)
{
	fx->server_close_on_eof = false;
	fx_drop(fx->server, TH_SYN | TH_ACK, 0);
	fx_drop(fx->server, TH_ACK, 0);
	struct tcp_conn *c = simultaneous_open(0);
	fx_run(200 * MS);
	ck_assert_int_eq(tcp_conn_state(c), TCP_SYN_RECEIVED);
	ck_assert_int_eq(tcp_close(c), 0);
	ck_assert_int_eq(tcp_conn_state(c), TCP_FIN_WAIT_1);
	fx_run(10 * S);
	ck_assert_str_eq(fx_pkt_line(PKT_SEND, "client"),
	                 "0:SYN 50:SYN+ACK 200:FIN+ACK 1050:SYN+ACK 1050:FIN+ACK "
	                 "3050:SYN+ACK 3050:FIN+ACK 7050:SYN+ACK 7050:FIN+ACK");
	int i = fx_find_pkt(PKT_SEND, "client", 3);
	ck_assert_uint_eq(fx->pkts[i].seq, 100);
	ck_assert_uint_eq(fx->pkts[i].ack, 301);
	i = fx_find_pkt(PKT_SEND, "client", 4);
	ck_assert_uint_eq(fx->pkts[i].seq, 101);
	fx_run(200 * S);
	ck_assert_int_eq(fx_count(PKT_SEND, "client", TH_SYN), 1);
	ck_assert_int_eq(fx_count(PKT_SEND, "client", TH_SYN | TH_ACK), 7);
	ck_assert_int_eq(fx_count(PKT_SEND, "client", TH_FIN | TH_ACK), 7);
	ck_assert_str_eq(fx_state_path("client", 1),
	                 "CLOSED>SYN-SENT>SYN-RECEIVED>FIN-WAIT-1>CLOSED");
	ck_assert_int_eq(fx_state_time("client", 1, TCP_CLOSED), 127050 * MS);
	const struct fx_app *e = app_event("client", "closed");
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(e->err, SIM_ETIMEDOUT);
}
END_TEST

/* The same close, answered: the server's first SYN+ACK is lost, so the
 * client is still in SYN-RECEIVED at 60 ms when it closes.  The server,
 * ESTABLISHED by the client's SYN+ACK at 100 ms, ACKs it at once and
 * takes the FIN at 110 ms; its ACK of our SYN at 150 ms ends the open
 * (the 2 s connect timer stops), the ACK of the FIN riding on its own
 * FIN moves us on.  The client never was ESTABLISHED. */
START_TEST(test_close_in_syn_received_completes)
{
	fx_drop(fx->server, TH_SYN | TH_ACK, 1);
	struct tcp_conn *c = simultaneous_open(2 * S);
	fx_run(60 * MS);
	ck_assert_int_eq(tcp_close(c), 0);
	fx_run(100 * S);
	ck_assert_str_eq(fx_pkt_line(PKT_SEND, "client"),
	                 "0:SYN 50:SYN+ACK 60:FIN+ACK 160:ACK");
	ck_assert_str_eq(fx_pkt_line(PKT_SEND, "server"),
	                 "0:SYN 50:SYN+ACK 100:ACK 110:FIN+ACK");
	int i = fx_find_pkt(PKT_SEND, "server", 2);
	ck_assert_uint_eq(fx->pkts[i].ack, 101);	/* our SYN */
	i = fx_find_pkt(PKT_SEND, "server", 3);
	ck_assert_uint_eq(fx->pkts[i].ack, 102);	/* and our FIN */
	ck_assert_str_eq(fx_state_path("client", 1),
	                 "CLOSED>SYN-SENT>SYN-RECEIVED>FIN-WAIT-1>FIN-WAIT-2>"
	                 "TIME-WAIT>CLOSED");
	ck_assert_int_eq(fx_state_time("client", 1, TCP_FIN_WAIT_1), 60 * MS);
	ck_assert_int_eq(fx_state_time("client", 1, TCP_TIME_WAIT), 160 * MS);
	ck_assert_int_eq(fx_state_time("client", 1, TCP_CLOSED), 60160 * MS);
	ck_assert_int_eq(fx_state_time("server", 1, TCP_CLOSED), 210 * MS);
	ck_assert_ptr_null(app_event("client", "connected"));
	const struct fx_app *e = app_event("client", "closed");
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(e->err, 0);
}
END_TEST

/* Linux's tcp_check_req: a retransmitted SYN in SYN-RECEIVED gets the
 * SYN-ACK again and restarts the SYN-ACK timer from then, with the
 * backoff so far.  The client's RTO is 1.5 s, so its second SYN arrives
 * at 1.55 s, after the server's first timeout: the next SYN-ACK is due
 * 2 s later, at 3.55 s, not at 3.05 s.  On the wheels (tcp_fixture.h):
 * the server's first timeout at 1069.807652 ms; the client's 1.5 s
 * (375 jiffies: 226 + 375 = 601, bucket 608) at 1524.792873 ms, so the
 * SYN arrives at 1574.792873 ms, when the server's counter reads 878:
 * + 500 = 1378, bucket 1384, at 3597.807652 ms, not 3085.807652. */
START_TEST(test_retransmitted_syn_restarts_synack_timer)
{
	tcp_host_profile(fx->client->tcp)->rto_initial = 1500 * MS;
	for (int n = 1; n <= 3; n++)
		fx_drop(fx->server, TH_SYN | TH_ACK, n);
	fx_connect(0);
	fx_run(10 * S);
	ck_assert_str_eq(fx_pkt_line(PKT_SEND, "server"),
	                 "50:SYN+ACK 1069.807:SYN+ACK 1574.792:SYN+ACK 3597.807:SYN+ACK");
	ck_assert_int_eq(fx_state_time("client", 1, TCP_ESTABLISHED), 3647807652);
}
END_TEST

START_TEST(test_simultaneous_close)
{
	struct tcp_conn *c = fx_connect(0);
	fx_run(1 * S);
	struct tcp_conn *s = tcp_host_conn(fx->server->tcp, 1);
	tcp_close(c);
	tcp_close(s);
	fx_run(2 * S);
	ck_assert_str_eq(fx_state_path("client", 1),
	                 "CLOSED>SYN-SENT>ESTABLISHED>FIN-WAIT-1>CLOSING>TIME-WAIT");
	ck_assert_str_eq(fx_state_path("server", 1),
	                 "LISTEN>SYN-RECEIVED>ESTABLISHED>FIN-WAIT-1>CLOSING>TIME-WAIT");
	ck_assert_int_eq(fx_state_time("client", 1, TCP_CLOSING), 1050 * MS);
	ck_assert_int_eq(fx_state_time("client", 1, TCP_TIME_WAIT), 1100 * MS);
	ck_assert_int_eq(fx_state_time("server", 1, TCP_TIME_WAIT), 1100 * MS);
	fx_run(100 * S);
	ck_assert_int_eq(fx_state_time("client", 1, TCP_CLOSED), 61100 * MS);
	ck_assert_int_eq(fx_state_time("server", 1, TCP_CLOSED), 61100 * MS);
}
END_TEST

START_TEST(test_half_close_data_flows_back)
{
	fx->server_close_on_eof = false;
	struct tcp_conn *c = fx_connect(0);
	fx_run(1 * S);
	ck_assert_int_eq(tcp_shutdown(c), 0);
	fx_run(2 * S);
	ck_assert_str_eq(fx_state_path("client", 1),
	                 "CLOSED>SYN-SENT>ESTABLISHED>FIN-WAIT-1>FIN-WAIT-2");
	/* shutdown() is not close(): the narration says which. */
	ck_assert_str_eq(fx_state_cause("client", 1, TCP_FIN_WAIT_1),
	                 "application shut down its sending side");
	/* The server goes on sending after the client's FIN. */
	struct tcp_conn *s = tcp_host_conn(fx->server->tcp, 1);
	ck_assert_int_eq(tcp_conn_state(s), TCP_CLOSE_WAIT);
	ck_assert_int_eq(tcp_send(s, 3000, NULL), 0);
	fx_run(3 * S);
	struct tcp_conn_info in;
	tcp_conn_info(c, &in);
	ck_assert_uint_eq(in.bytes_received, 3000);
	ck_assert_int_eq(tcp_conn_state(c), TCP_FIN_WAIT_2);
	/* The client may not send any more. */
	ck_assert_int_eq(tcp_send(c, 1, NULL), SIM_EPIPE);
	tcp_close(s);
	fx_run(4 * S);
	ck_assert_int_eq(tcp_conn_state(c), TCP_TIME_WAIT);
	ck_assert_int_eq(tcp_conn_state(s), TCP_CLOSED);
	/* 3000 bytes in MSS-sized segments of 1448: 1448, 1448, 104. */
	ck_assert_str_eq(fx_pkt_line(PKT_SEND, "server"),
	                 "50:SYN+ACK 1090:ACK 2000:ACK/1448 2000:ACK/1448 "
	                 "2000:PSH+ACK/104 3000:FIN+ACK");
}
END_TEST

START_TEST(test_time_wait_reacks_retransmitted_fin)
{
	fx->client_close = true;
	/* The client's last ACK is lost: the server retransmits its FIN and
	 * the client, in TIME-WAIT, acknowledges it again and restarts 2MSL. */
	fx_drop(fx->client, TH_ACK, 2);
	fx_connect(0);
	fx_run(100 * S);
	/* The server's probe, 300 ms after 150 ms on its wheel (counter 522
	 * + 75 = 597, bucket 600), at 461.807652 ms. */
	ck_assert_str_eq(fx_pkt_line(PKT_SEND, "client"),
	                 "0:SYN 100:ACK 100:FIN+ACK 200:ACK 511.807:ACK");
	ck_assert_str_eq(fx_pkt_line(PKT_SEND, "server"), "50:SYN+ACK 150:FIN+ACK 461.807:FIN+ACK");
	ck_assert_int_eq(fx_state_time("server", 1, TCP_CLOSED), 561807652);
	/* TIME-WAIT restarted at 511.807652 ms, when the client's counter
	 * reads 354: + 15000 = 15354, level 3, bucket 15360: the same tick
	 * as the first wait's (276 + 15000 = 15276), 60532.792873 ms.  A
	 * restart within one granule of 512 jiffies moves nothing. */
	ck_assert_int_eq(fx_state_time("client", 1, TCP_CLOSED), 60532792873);
	ck_assert_int_eq(fx_wheel(fx->client, 200 * MS, 60 * S), 60532792873);
}
END_TEST

/* linux profile: an orphan (closed, not just shut down) in FIN-WAIT-2
 * lives tcp_fin_timeout, 60 s, from the ACK of its FIN; the peer's FIN
 * sent later finds no connection and is answered with RST.  On the
 * wheels (tcp_fixture.h): the server's delayed ACK of the FIN, 40 ms
 * after 150 ms (counter 522 + 10 = 532, bucket 533), goes at
 * 193.807652 ms and arrives at 243.807652 ms, when the client's counter
 * reads 287: + 15000 = 15287, level 3, bucket 15360, 60532.792873 ms. */
START_TEST(test_fin_wait_2_orphan_timeout)
{
	fx->client_close = true;
	fx->server_close_on_eof = false;
	fx_connect(0);
	fx_run(50 * S);
	ck_assert_int_eq(fx_state_time("client", 1, TCP_FIN_WAIT_2), 243807652);
	ck_assert_int_eq(tcp_conn_state(tcp_host_conn(fx->client->tcp, 1)),
	                 TCP_FIN_WAIT_2);
	fx_run(100 * S);
	ck_assert_str_eq(fx_state_path("client", 1),
	                 "CLOSED>SYN-SENT>ESTABLISHED>FIN-WAIT-1>FIN-WAIT-2>CLOSED");
	ck_assert_int_eq(fx_state_time("client", 1, TCP_CLOSED), 60532792873);
	ck_assert_int_eq(fx_state_time("client", 1, TCP_CLOSED),
	                 fx_wheel(fx->client, 243807652, 60 * S));
	const struct fx_app *a = app_event("client", "closed");
	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(a->err, 0);
	ck_assert_int_eq(a->t, 60532792873);
	tcp_close(tcp_host_conn(fx->server->tcp, 1));
	fx_run(101 * S);
	ck_assert_str_eq(fx_pkt_line(PKT_SEND, "client"),
	                 "0:SYN 100:ACK 100:FIN+ACK 100050:RST");
	ck_assert_int_eq(fx_state_time("server", 1, TCP_CLOSED), 100100 * MS);
}
END_TEST

/* rfc profile: FIN-WAIT-2 is unbounded (RFC 9293 has no such timer). */
START_TEST(test_fin_wait_2_unbounded_rfc)
{
	fx->client_close = true;
	fx->server_close_on_eof = false;
	fx_connect(0);
	fx_run(1000 * S);
	ck_assert_int_eq(tcp_conn_state(tcp_host_conn(fx->client->tcp, 1)),
	                 TCP_FIN_WAIT_2);
	ck_assert_int_eq(fx_state_time("client", 1, TCP_FIN_WAIT_2), 200 * MS);
}
END_TEST

/* rfc profile: the client's last ACK is lost; the server's FIN comes
 * again after its 1 s RTO and the client, in TIME-WAIT, ACKs it and
 * restarts the 2 MSL wait (RFC 9293 3.10.7.4), so it ends 240 s after
 * the repeated FIN, not after the first. */
START_TEST(test_time_wait_rfc_retransmitted_fin)
{
	fx->client_close = true;
	fx_drop(fx->client, TH_ACK, 2);
	fx_connect(0);
	fx_run(300 * S);
	ck_assert_str_eq(fx_pkt_line(PKT_SEND, "client"),
	                 "0:SYN 100:ACK 100:FIN+ACK 200:ACK 1200:ACK");
	ck_assert_str_eq(fx_pkt_line(PKT_SEND, "server"),
	                 "50:SYN+ACK 150:ACK 150:FIN+ACK 1150:FIN+ACK");
	ck_assert_int_eq(fx_state_time("client", 1, TCP_TIME_WAIT), 200 * MS);
	ck_assert_int_eq(fx_state_time("server", 1, TCP_CLOSED), 1250 * MS);
	ck_assert_int_eq(fx_state_time("client", 1, TCP_CLOSED), 241200 * MS);
	/* The repeated FIN is acknowledged with the same number. */
	uint32_t fin = fx->pkts[fx_find_pkt(PKT_SEND, "server", 3)].seq;
	ck_assert_uint_eq(fx->pkts[fx_find_pkt(PKT_SEND, "client", 3)].ack, fin + 1);
	ck_assert_uint_eq(fx->pkts[fx_find_pkt(PKT_SEND, "client", 4)].ack, fin + 1);
}
END_TEST

/* ==== RFC 9293 Figure 8: recovery from an old duplicate SYN ================= */

START_TEST(test_old_duplicate_syn)
{
	/* The old SYN (seq 90) arrives first; the client's own SYN (ISS 100)
	 * is lost once, so it comes after the recovery, as in the figure. */
	fx_drop(fx->client, TH_SYN, 2);
	struct pkt *old = net_pkt_alloc(fx->net);
	old->src = fx->client->addr;
	old->dst = fx->server->addr;
	old->sport = 40000;
	old->dport = 80;
	old->seq = 90;
	old->flags = TH_SYN;
	old->wnd = 65535;
	node_output(fx->client, old);
	fx_run(10 * MS);
	struct tcp_connect_opts o = { .lport = 40000, .isn_fixed = true, .isn = 100 };
	int err;
	struct tcp_conn *c = tcp_connect(fx->client->tcp, fx->server->addr, 80, &o,
	                                 &err);
	ck_assert_ptr_nonnull(c);
	fx_run(10 * S);
	/* The server answers the old SYN; the client, in SYN-SENT, sees an
	 * ACK of 91 <= ISS and resets it (<SEQ=91><CTL=RST>); the server
	 * drops that half-open connection and keeps listening. */
	int i = fx_find_pkt(PKT_SEND, "server", 0);
	ck_assert_uint_eq(fx->pkts[i].ack, 91);
	ck_assert_str_eq(fx_pkt_line(PKT_SEND, "client"),
	                 "0:SYN 10:SYN 100:RST 1010:SYN 1110:ACK");
	i = fx_find_pkt(PKT_SEND, "client", 2);
	ck_assert_uint_eq(fx->pkts[i].seq, 91);
	ck_assert_str_eq(fx_state_path("server", 1), "LISTEN>SYN-RECEIVED>CLOSED");
	ck_assert_int_eq(fx_state_time("server", 1, TCP_CLOSED), 150 * MS);
	ck_assert_str_eq(fx_state_path("server", 2),
	                 "LISTEN>SYN-RECEIVED>ESTABLISHED");
	ck_assert_int_eq(fx_state_time("client", 1, TCP_ESTABLISHED), 1110 * MS);
	ck_assert_int_eq(tcp_conn_state(c), TCP_ESTABLISHED);
}
END_TEST

START_TEST(test_duplicate_syn_in_syn_received)
{
	/* A retransmitted SYN at a SYN-RECEIVED server gets the SYN-ACK. */
	fx_drop(fx->server, TH_SYN | TH_ACK, 1);
	fx_run(0);
	struct tcp_connect_opts o = { .isn_fixed = true, .isn = 7 };
	int err;
	tcp_connect(fx->client->tcp, fx->server->addr, 80, &o, &err);
	fx_run(5 * S);
	/* The first SYN-ACK lost; the repeated SYN (1012.792873 ms on the
	 * client's wheel) arrives at 1062.792873 ms, before the server's own
	 * timer (1069.807652 ms): it is answered and the timer restarts, so
	 * two SYN-ACKs in all (three on the nanosecond, where timer and SYN
	 * tie at 1.05 s). */
	ck_assert_int_eq(fx_count(PKT_SEND, "server", TH_SYN | TH_ACK), 2);
	ck_assert_str_eq(fx_pkt_line(PKT_SEND, "server"), "50:SYN+ACK 1062.792:SYN+ACK");
	ck_assert_int_eq(tcp_conn_state(tcp_host_conn(fx->server->tcp, 1)),
	                 TCP_ESTABLISHED);
	/* One connection on the server: the repeated SYN made no other. */
	ck_assert_int_eq(tcp_host_nconns(fx->server->tcp), 1);
}
END_TEST

START_TEST(test_syn_backlog_full_drops_syn)
{
	tcp_host_profile(fx->server->tcp)->syncookies = 0;
	tcp_listener_close(fx->listener);
	int err;
	ck_assert_ptr_nonnull(tcp_listen(fx->server->tcp, 81, 1, &err));
	/* The clients' final ACKs are lost so they stay half-open. */
	fx_drop(fx->client, TH_ACK, 0);
	struct tcp_connect_opts o = { .isn_fixed = true };
	for (int k = 0; k < 3; k++) {
		tcp_connect(fx->client->tcp, fx->server->addr, 81, &o, &err);
		fx_run((k + 1) * 10 * MS);
	}
	fx_run(500 * MS);
	/* Linux (inet_csk_reqsk_queue_is_full) holds backlog + 1: two
	 * SYN-ACKs, and the third SYN met a full queue. */
	ck_assert_str_eq(fx_pkt_line(PKT_SEND, "server"), "50:SYN+ACK 60:SYN+ACK");
	struct tcp_listener *l = tcp_host_listener(fx->server->tcp, 81);
	ck_assert_int_eq(tcp_listener_syn_dropped(l), 1);
	/* Without the extra place, as RFC hosts count, the second is. */
	tcp_host_profile(fx->server->tcp)->backlog_plus_one = false;
	tcp_connect(fx->client->tcp, fx->server->addr, 81, &o, &err);
	fx_run(600 * MS);
	ck_assert_int_eq(tcp_listener_syn_dropped(l), 2);
}
END_TEST

/* Six half-open connections on a queue of 8 (over half full): once none
 * is young, old requests get 2 SYN-ACK retries instead of 5, until the
 * queue is no longer over half full (linux reqsk_timer_handler). */
static void
six_half_open(void)
{
	tcp_listener_close(fx->listener);
	int err;
	ck_assert_ptr_nonnull(tcp_listen(fx->server->tcp, 81, 8, &err));
	fx_drop(fx->client, TH_ACK, 0);	/* no handshake completes */
	struct tcp_connect_opts o = { .isn_fixed = true };
	for (int k = 0; k < 6; k++) {
		tcp_connect(fx->client->tcp, fx->server->addr, 81, &o, &err);
		fx_run((k + 1) * 10 * MS);
	}
	fx_run(100 * S);
}

START_TEST(test_synack_prune_under_pressure)
{
	six_half_open();
	/* Conns 1 and 2: SYN-ACKs at +0, +1, +3 s, pruned at +7 s. Then 4 of
	 * 8 are pending, no longer over half: the rest keep all 5 retries. */
	for (int k = 1; k <= 6; k++) {
		simtime syn_at = 50 * MS + (k - 1) * 10 * MS;
		simtime end = syn_at + (k <= 2 ? 7 : 63) * S;
		ck_assert_int_eq(fx_state_time("server", k, TCP_CLOSED), end);
	}
	ck_assert_int_eq(fx_count(PKT_SEND, "server", TH_SYN | TH_ACK),
	                 2 * 3 + 4 * 6);
	/* The application never saw them. */
	ck_assert_ptr_null(app_event("server", "closed"));
}
END_TEST

START_TEST(test_synack_prune_off)
{
	tcp_host_profile(fx->server->tcp)->synack_prune = false;
	six_half_open();
	for (int k = 1; k <= 6; k++)
		ck_assert_int_eq(fx_state_time("server", k, TCP_CLOSED),
		                 50 * MS + (k - 1) * 10 * MS + 63 * S);
	ck_assert_int_eq(fx_count(PKT_SEND, "server", TH_SYN | TH_ACK), 6 * 6);
}
END_TEST

/* A queue of backlog 0 holds one half-open connection (Linux counts
 * backlog + 1); the next SYN gets a SYN cookie instead of a place, and
 * its ACK opens the connection. */
START_TEST(test_syncookie_when_queue_full)
{
	tcp_listener_close(fx->listener);
	int err;
	struct tcp_listener *l = tcp_listen(fx->server->tcp, 81, 0, &err);
	ck_assert_ptr_nonnull(l);
	fx_drop(fx->client, TH_ACK, 1);	/* the first handshake stays open */
	struct tcp_connect_opts o = { .isn_fixed = true, .isn = 1000 };
	tcp_connect(fx->client->tcp, fx->server->addr, 81, &o, &err);
	fx_run(10 * MS);
	o.isn = 9000;
	tcp_connect(fx->client->tcp, fx->server->addr, 81, &o, &err);
	fx_run(500 * MS);
	ck_assert_str_eq(fx_pkt_line(PKT_SEND, "server"), "50:SYN+ACK 60:SYN+ACK");
	ck_assert_uint_eq(tcp_listener_cookies_sent(l), 1);
	ck_assert_uint_eq(tcp_listener_cookies_accepted(l), 1);
	ck_assert_uint_eq(tcp_listener_syn_dropped(l), 0);
	/* Nothing was kept for the second SYN: the server's connection 2 is
	 * made by the ACK, at 160 ms, and is established at once. */
	ck_assert_str_eq(fx_state_path("server", 2),
	                 "LISTEN>SYN-RECEIVED>ESTABLISHED");
	ck_assert_int_eq(fx_state_time("server", 2, TCP_SYN_RECEIVED), 160 * MS);
	ck_assert_int_eq(fx_state_time("server", 2, TCP_ESTABLISHED), 160 * MS);
	ck_assert_int_eq(fx_state_time("client", 2, TCP_ESTABLISHED), 110 * MS);
	/* The cookie is the server's ISN; the options came back through the
	 * timestamp: MSS 1460 (less 12 for timestamps), scale 7, SACK. */
	int i = fx_find_pkt(PKT_SEND, "server", 1);
	struct tcp_conn_info in;
	tcp_conn_info(tcp_host_conn(fx->server->tcp, 2), &in);
	ck_assert_uint_eq(in.iss, fx->pkts[i].seq);
	ck_assert_uint_eq(fx->pkts[i].ack, 9001);
	ck_assert_uint_eq(in.irs, 9000);
	ck_assert_int_eq(in.mss, 1448);
	ck_assert_int_eq(in.snd_wscale, 7);
	ck_assert(in.sack && in.ts);
	/* The half-open first connection still times out as before. */
	ck_assert_int_eq(tcp_conn_state(tcp_host_conn(fx->server->tcp, 1)),
	                 TCP_SYN_RECEIVED);
}
END_TEST

/* tcp_syncookies 2: every SYN gets a cookie.  A lost ACK is not noticed
 * by the server, which keeps nothing to resend; the client's data,
 * acknowledging the same SYN-ACK, opens the connection instead. */
START_TEST(test_syncookies_always)
{
	tcp_host_profile(fx->server->tcp)->syncookies = 2;
	fx_drop(fx->client, TH_ACK, 1);
	fx->client_send = 100;
	fx_connect(1000);
	fx_run(1 * S);
	ck_assert_str_eq(fx_pkt_line(PKT_SEND, "client"), "0:SYN 100:ACK 100:PSH+ACK/100");
	ck_assert_str_eq(fx_pkt_line(PKT_SEND, "server"), "50:SYN+ACK 150:ACK");
	ck_assert_str_eq(fx_state_path("server", 1),
	                 "LISTEN>SYN-RECEIVED>ESTABLISHED");
	ck_assert_int_eq(fx_state_time("server", 1, TCP_ESTABLISHED), 150 * MS);
	const struct fx_app *a = app_event("server", "data");
	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(a->n, 100);
}
END_TEST

/* Without timestamps a cookie cannot carry window scale or SACK: the
 * SYN-ACK offers neither, and the MSS is the table's 1300 for 1400. */
START_TEST(test_syncookie_without_timestamps)
{
	tcp_host_profile(fx->server->tcp)->syncookies = 2;
	tcp_host_profile(fx->client->tcp)->opt_ts = false;
	tcp_host_profile(fx->client->tcp)->mss = 1400;
	fx_connect(1000);
	fx_run(1 * S);
	int i = fx_find_pkt(PKT_SEND, "server", 0);
	ck_assert_uint_eq(fx->pkts[i].flags, TH_SYN | TH_ACK);
	struct tcp_conn_info in;
	tcp_conn_info(tcp_host_conn(fx->server->tcp, 1), &in);
	ck_assert_int_eq(tcp_conn_state(tcp_host_conn(fx->server->tcp, 1)),
	                 TCP_ESTABLISHED);
	ck_assert_int_eq(in.mss, 1300);
	ck_assert_int_eq(in.snd_wscale, -1);
	ck_assert(!in.sack && !in.ts);
	tcp_conn_info(tcp_host_conn(fx->client->tcp, 1), &in);
	ck_assert_int_eq(in.snd_wscale, -1);
	ck_assert(!in.sack);
}
END_TEST

/* A cookie is good for two minutes, and the listener looks for one only
 * while it sent some in the last two: data acknowledging a SYN-ACK of
 * 125 s ago is answered with RST, as RFC 9293 says for an ACK there. */
START_TEST(test_syncookie_expires)
{
	tcp_host_profile(fx->server->tcp)->syncookies = 2;
	fx_drop(fx->client, TH_ACK, 1);
	fx_connect(1000);
	fx_run(1 * S);
	/* The server never heard the ACK. */
	ck_assert_int_eq(tcp_host_nconns(fx->server->tcp), 0);
	fx_run(125 * S);
	tcp_send(tcp_host_conn(fx->client->tcp, 1), 10, NULL);
	fx_run(126 * S);
	ck_assert_str_eq(fx_pkt_line(PKT_SEND, "server"), "50:SYN+ACK 125050:RST");
	ck_assert_int_eq(tcp_host_nconns(fx->server->tcp), 0);
	ck_assert_int_eq(fx_state_time("client", 1, TCP_CLOSED), 125100 * MS);
}
END_TEST

/* ==== data ================================================================= */

START_TEST(test_data_segmented_by_mss)
{
	fx->client_send = 10000;
	fx_connect(0);
	fx_run(1 * S);
	/* 1448-byte segments (MSS 1460 less timestamps) and a 1312 tail;
	 * quick ACKs answer each one at once. */
	ck_assert_str_eq(fx_pkt_line(PKT_SEND, "client"),
	                 "0:SYN 100:ACK 100:ACK/1448 100:ACK/1448 100:ACK/1448 "
	                 "100:ACK/1448 100:ACK/1448 100:ACK/1448 100:PSH+ACK/1312");
	ck_assert_int_eq(fx_count(PKT_SEND, "server", TH_ACK), 7);
	struct tcp_conn_info in;
	tcp_conn_info(tcp_host_conn(fx->client->tcp, 1), &in);
	ck_assert_uint_eq(in.bytes_acked, 10000);
	ck_assert_uint_eq(in.snd_una, 10001);
}
END_TEST

/* The same on the client's timer wheel: each timeout starts at the tick
 * the one before fired on (the probe 300 ms after 100 ms: counter 251 +
 * 75, bucket 328, 404.792873 ms; then 300 ms to 724.792873, 600 ms to
 * 1332.792873 ...), and connect() learns of it at the last tick,
 * 1002.612792873 s, not at 1000.6 s. */
START_TEST(test_data_rto_on_the_wheel)
{
	fx->client_send = 100;
	fx_drop(fx->client, TH_PSH | TH_ACK, 0);
	fx_connect(0);
	fx_run(2000 * S);
	simtime t = fx_wheel(fx->client, 100 * MS, 300 * MS);
	int k = 0;
	for (int i = 0; i < fx->npkts; i++) {
		const struct fx_pkt *p = &fx->pkts[i];
		if (p->op != PKT_SEND || strcmp(p->node, "client") != 0 ||
		    p->flags != (TH_PSH | TH_ACK) || p->t == 100 * MS)
			continue;
		ck_assert_msg(p->t == t, "send %d at %lld, the wheel says %lld", k,
		              (long long)p->t, (long long)t);
		simtime rto = (300 * MS) << k;
		t = fx_wheel(fx->client, t, rto < 120 * S ? rto : 120 * S);
		k++;
	}
	ck_assert_int_eq(k, 16);
	/* the probe, after the SYN, the ACK and the lost data */
	ck_assert_int_eq(fx->pkts[fx_find_pkt(PKT_SEND, "client", 3)].t,
	                 404792873);
	const struct fx_app *a = app_event("client", "closed");
	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(a->err, SIM_ETIMEDOUT);
	ck_assert_int_eq(a->t, t);
	ck_assert_int_eq(a->t, 1002612792873);
}
END_TEST

START_TEST(test_data_retries_exhausted)
{
	fx->client_send = 100;
	fx_drop(fx->client, TH_PSH | TH_ACK, 0);
	fx_connect(0);
	fx_run(2000 * S);
	const struct fx_app *a = app_event("client", "closed");
	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(a->err, SIM_ETIMEDOUT);
	/* A loss probe at 300 ms, then 15 RTO retransmissions doubling from
	 * 300 ms up to the 120 s cap: the 16th timeout gives up. */
	ck_assert_int_eq(fx_count(PKT_SEND, "client", TH_PSH | TH_ACK), 17);
	ck_assert_int_eq(a->t, (100 + 300 + 300 + 600 + 1200 + 2400 + 4800 + 9600 +
	                        19200 + 38400 + 76800) * MS + 7 * 120 * S);
}
END_TEST

START_TEST(test_rfc_go_back_n)
{
	fx->client_send = 10000;
	fx_drop(fx->client, TH_ACK, 4);	/* the third data segment */
	fx_connect(0);
	fx_run(10 * S);
	/* MSS 1460: the rfc profile offers no timestamps.  The receiver holds
	 * the four segments after the hole and answers each with a duplicate
	 * ACK of 2921; at the third (200 ms) the hole is sent again (RFC 5681
	 * 3.2), and it fills it: nothing else goes twice. */
	ck_assert_str_eq(fx_pkt_line(PKT_SEND, "client"),
	                 "0:SYN 100:ACK 100:ACK/1460 100:ACK/1460 100:ACK/1460 "
	                 "100:ACK/1460 100:ACK/1460 100:ACK/1460 100:PSH+ACK/1240 "
	                 "200:ACK/1460");
	int i = fx_find_pkt(PKT_SEND, "client", 9);
	ck_assert_uint_eq(fx->pkts[i].seq, 2921);
	ck_assert_str_eq(fx->pkts[i].reason, "fast retransmit (3 duplicate ACKs; "
	                 "RFC 5681 3.2)");
	/* the ACK of 2921 after two segments, four duplicates, and the ACK
	 * of everything as soon as the hole fills */
	ck_assert_str_eq(fx_pkt_line(PKT_SEND, "server"),
	                 "50:SYN+ACK 150:ACK 150:ACK 150:ACK 150:ACK 150:ACK "
	                 "250:ACK");
	struct tcp_conn_info in;
	tcp_conn_info(tcp_host_conn(fx->client->tcp, 1), &in);
	ck_assert_int_eq(in.retransmits, 1);
	ck_assert_uint_eq(in.bytes_acked, 10000);
	tcp_conn_info(tcp_host_conn(fx->server->tcp, 1), &in);
	ck_assert_uint_eq(in.bytes_received, 10000);
}
END_TEST

START_TEST(test_rfc_delayed_ack_every_second_segment)
{
	fx->client_send = 3 * 1460;
	fx_connect(0);
	fx_run(1 * S);
	/* ACK after the second full segment, the third waits 200 ms. */
	ck_assert_str_eq(fx_pkt_line(PKT_SEND, "server"), "50:SYN+ACK 150:ACK 350:ACK");
}
END_TEST

/* ==== options and ISNs ======================================================== */

START_TEST(test_options_linux_client_rfc_server)
{
	tcp_profile_get("rfc", tcp_host_profile(fx->server->tcp));
	struct tcp_conn *c = fx_connect(0);
	fx_run(1 * S);
	struct tcp_conn_info in;
	tcp_conn_info(c, &in);
	/* RFC 7323: scaling and timestamps need both sides; the server
	 * offered only MSS. */
	ck_assert_int_eq(in.snd_wscale, -1);
	ck_assert_int_eq(in.rcv_wscale, -1);
	ck_assert(!in.sack && !in.ts);
	ck_assert_int_eq(in.mss, 1460);
	/* The SYN offered everything; the SYN-ACK answered with MSS alone. */
	int i = fx_find_pkt(PKT_SEND, "server", 0);
	ck_assert_uint_eq(fx->pkts[i].flags, TH_SYN | TH_ACK);
	tcp_conn_info(tcp_host_conn(fx->server->tcp, 1), &in);
	ck_assert(!in.sack && !in.ts);
	ck_assert_int_eq(in.peer_mss, 1460);
}
END_TEST

START_TEST(test_options_small_peer_mss)
{
	tcp_host_profile(fx->server->tcp)->mss = 536;
	fx->client_send = 2000;
	struct tcp_conn *c = fx_connect(0);
	fx_run(1 * S);
	struct tcp_conn_info in;
	tcp_conn_info(c, &in);
	ck_assert_int_eq(in.peer_mss, 536);
	ck_assert_int_eq(in.mss, 524);	/* less 12 for timestamps */
	ck_assert_str_eq(fx_pkt_line(PKT_SEND, "client"),
	                 "0:SYN 100:ACK 100:ACK/524 100:ACK/524 100:ACK/524 "
	                 "100:PSH+ACK/428");
	/* Window scaling: the server's window 64240 >> 7 = 501 on the wire. */
	int i = fx_find_pkt(PKT_SEND, "server", 1);
	ck_assert_uint_eq(fx->pkts[i].flags, TH_ACK);
	ck_assert_int_eq(in.snd_wscale, 7);
}
END_TEST

static uint32_t
isn_of(const char *policy, uint64_t seed, simtime at)
{
	struct sim sim;
	sim_init(&sim, seed);
	struct net *net = net_new(&sim);
	struct node *a = net_add_node(net, "a", NODE_HOST);
	struct node *b = net_add_node(net, "b", NODE_HOST);
	struct tcp_profile p;
	tcp_profile_get("linux", &p);
	for (int i = 0; tcp_isn_names[i]; i++)
		if (strcmp(tcp_isn_names[i], policy) == 0)
			p.isn = (enum tcp_isn_policy)i;
	a->tcp = tcp_host_new(a, &p);
	struct link_params lp;
	link_params_default(&lp);
	link_new(net, a, b, &lp);
	sim.sched.now = at;
	struct tcp_connect_opts o = { .lport = 40000 };
	int err;
	struct tcp_conn *c = tcp_connect(a->tcp, b->addr, 80, &o, &err);
	struct tcp_conn_info in;
	tcp_conn_info(c, &in);
	net_free(net);
	sim_free(&sim);
	return in.iss;
}

START_TEST(test_isn_policies)
{
	ck_assert_uint_eq(isn_of("zero", 1, 0), 0);
	/* RFC 793's clock: one tick per 4 us. */
	ck_assert_uint_eq(isn_of("clock", 1, SIMTIME_S), 250000);
	/* Keyed hash (RFC 6528): fixed by the seed, different across seeds,
	 * and advancing with the clock by exactly the ticks elapsed. */
	uint32_t h1 = isn_of("hash", 1, 0);
	ck_assert_uint_eq(isn_of("hash", 1, 0), h1);
	ck_assert_uint_ne(isn_of("hash", 2, 0), h1);
	ck_assert_uint_eq(isn_of("hash", 1, SIMTIME_S), h1 + 250000);
	uint32_t r1 = isn_of("random", 7, 0);
	ck_assert_uint_eq(isn_of("random", 7, 0), r1);
	ck_assert_uint_ne(isn_of("random", 8, 0), r1);
}
END_TEST

/* ==== the RTO estimator ========================================================= */

/* Every knob is in README's table of profiles, so none goes unexplained. */
START_TEST(test_knobs_documented)
{
	char *readme = read_file(SOURCE_DIR "/README.md", NULL);
	ck_assert_ptr_nonnull(readme);
	const char *table = strstr(readme, "### TCP profiles");
	ck_assert_ptr_nonnull(table);
	const char *end = strstr(table + 1, "\n## ");
	for (const struct tcp_knob *k = tcp_knobs; k->name; k++) {
		char want[64];
		snprintf(want, sizeof want, "`%s`", k->name);
		const char *at = strstr(table, want);
		ck_assert_msg(at != NULL && (end == NULL || at < end),
		              "knob %s is not in README's TCP profiles table", k->name);
	}
	free(readme);
}
END_TEST

/* The profiles' documented defaults (README "TCP profiles"). */
START_TEST(test_profile_defaults)
{
	struct tcp_profile p;
	ck_assert_int_eq(tcp_profile_get("linux", &p), 0);
	ck_assert_int_eq(p.rto_initial, 1 * S);
	ck_assert_int_eq(p.rto_min, 200 * MS);
	ck_assert_int_eq(p.syn_retries, 6);
	ck_assert_int_eq(p.synack_retries, 5);
	ck_assert_int_eq(p.time_wait, 60 * S);
	ck_assert_int_eq(p.delack, 40 * MS);
	ck_assert_int_eq(p.challenge_ack_limit, 1000);
	ck_assert_int_eq(p.invalid_ratelimit, 500 * MS);
	ck_assert(p.abort_on_data && p.abort_rst_ack && p.embryonic_rst &&
	          p.icmp_hard_syn_sent &&
	          p.ack_by_bytes &&
	          p.unsent_ack_silent &&
	          p.time_wait_restart && p.tlp && !p.rfc1337);
	ck_assert_int_eq(p.syn_linear_timeouts, 0);
	ck_assert_int_eq(tcp_profile_get("linux-6.18", &p), 0);
	ck_assert_int_eq(p.syn_linear_timeouts, 4);
	ck_assert_int_eq(p.challenge_ack_limit, 0);
	ck_assert_int_eq(p.invalid_ratelimit, 500 * MS);
	ck_assert_int_eq(tcp_profile_get("rfc", &p), 0);
	ck_assert_int_eq(p.rto_min, 1 * S);
	ck_assert_int_eq(p.time_wait, 240 * S);
	ck_assert_int_eq(p.challenge_ack_limit, 0);
	ck_assert_int_eq(p.invalid_ratelimit, 0);
	ck_assert(!p.abort_on_data && !p.abort_rst_ack && !p.embryonic_rst &&
	          !p.icmp_hard_syn_sent &&
	          !p.ack_by_bytes &&
	          !p.unsent_ack_silent &&
	          !p.time_wait_restart && !p.tlp);
	ck_assert_int_eq(tcp_profile_get("bsd", &p), -1);
}
END_TEST

/* RFC 9293 3.4.2: TIME-WAIT is 2*MSL, so the msl knob sets time_wait;
 * time_wait set after it (as in the same table: knobs go in name
 * order) wins. */
START_TEST(test_msl_knob_sets_time_wait)
{
	struct tcp_profile p;
	ck_assert_int_eq(tcp_profile_get("rfc", &p), 0);
	const struct tcp_knob *msl = tcp_knob_find("msl");
	const struct tcp_knob *tw = tcp_knob_find("time_wait");
	ck_assert_ptr_nonnull(msl);
	ck_assert(msl < tw);
	ck_assert_int_eq(tcp_knob_set(&p, msl, 10 * S), 0);
	ck_assert_int_eq(p.msl, 10 * S);
	ck_assert_int_eq(p.time_wait, 20 * S);
	ck_assert_int_eq(tcp_knob_set(&p, tw, 5 * S), 0);
	ck_assert_int_eq(p.time_wait, 5 * S);
	ck_assert_int_eq(tcp_knob_set(&p, msl, INT64_MAX), -1);
	ck_assert_int_eq(p.time_wait, 5 * S);
}
END_TEST

START_TEST(test_rto_linux_formula)
{
	struct tcp_conn *c = fx_connect(0);
	fx_run(1 * S);
	struct tcp_conn_info in;
	tcp_conn_info(c, &in);
	/* One sample of 100 ms: SRTT 100, RTTVAR 50, RTO = 100 + max(200,
	 * 200) = 300 ms. */
	ck_assert_int_eq(in.srtt, 100 * MS);
	ck_assert_int_eq(in.rttvar, 50 * MS);
	ck_assert_int_eq(in.rto, 300 * MS);
}
END_TEST

/* ==== what a connection costs ============================================ */

/* The records a million connections are made of (README, Speed: the
 * storm's memory); growing one is a decision, not an accident. */
START_TEST(test_record_sizes)
{
	ck_assert_uint_le(sizeof(struct tcp_conn), 456);
	ck_assert_uint_le(sizeof(struct tcp_conn_rec), 152);
	ck_assert_uint_le(sizeof(struct tcp_held), 32);
}
END_TEST

/* The SACK record and what an accept queue holds exist only while
 * used: a half-open request has neither, a client that sent only its
 * SYN has no scoreboard, the bytes and the FIN that reach a connection
 * waiting to be accepted are held until accept(), and a closed
 * connection keeps no SACK record. */
START_TEST(test_side_records_made_at_first_use)
{
	tcp_listener_set_manual(fx->listener, true);
	fx->client_send = 100;
	fx->client_close = true;
	fx->server_close_on_eof = true;
	struct tcp_conn *c = fx_connect(1000);
	fx_run(75 * MS);
	struct tcp_conn *s = tcp_host_conn(fx->server->tcp, 1);
	ck_assert_int_eq(tcp_conn_state(s), TCP_SYN_RECEIVED);
	ck_assert_ptr_null(s->sk);
	ck_assert_ptr_null(s->held);
	ck_assert_int_eq(tcp_conn_state(c), TCP_SYN_SENT);
	ck_assert_ptr_null(c->sk);
	fx_run(175 * MS);
	ck_assert_int_eq(tcp_listener_acceptq_len(fx->listener), 1);
	ck_assert_ptr_nonnull(s->held);
	ck_assert_uint_eq(s->held->n, 100);
	ck_assert(s->held->eof);
	ck_assert_ptr_nonnull(c->sk);
	ck_assert_ptr_eq(tcp_listener_accept(fx->listener), s);
	ck_assert_ptr_null(s->held);
	const struct fx_app *a = app_event("server", "data");
	ck_assert_ptr_nonnull(a);
	ck_assert_uint_eq(a->n, 100);
	ck_assert_int_eq(a->t, 175 * MS);
	ck_assert_ptr_nonnull(app_event("server", "eof"));
	fx_run(100 * S);
	ck_assert_int_eq(tcp_conn_state(s), TCP_CLOSED);
	ck_assert_int_eq(tcp_conn_state(c), TCP_CLOSED);
	ck_assert_ptr_null(s->sk);
	ck_assert_ptr_null(c->sk);
}
END_TEST

/* One embedded event serves the connect timeout, the orphaned
 * FIN-WAIT-2 limit and TIME-WAIT, each stopping the one before: armed
 * for 5 s at connect, idle once the SYN is acknowledged at 100 ms, then
 * FIN-WAIT-2's 60 s from the ACK of our FIN, then 2*MSL from the
 * peer's FIN, on the host's FIFO, and the connection closes then.
 * TIME-WAIT has given back the SACK record of its data. */
START_TEST(test_one_life_timer_at_a_time)
{
	tcp_host_profile(fx->client->tcp)->timer_wheel = false;
	fx->server_close_on_eof = false;
	struct tcp_connect_opts o = { .isn_fixed = true, .isn = 1000,
	                              .timeout = 5 * S };
	int err;
	struct tcp_conn *c = tcp_connect(fx->client->tcp, fx->server->addr, 80,
	                                 &o, &err);
	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(c->life_kind, LIFE_CONNECT);
	ck_assert(sched_pending(&c->life));
	ck_assert_int_eq(c->life.at, 5 * S);
	fx_run(150 * MS);
	ck_assert_int_eq(fx_state_time("client", 1, TCP_ESTABLISHED), 100 * MS);
	ck_assert(!sched_pending(&c->life));
	ck_assert_int_eq(tcp_close(c), 0);
	fx_run(1 * S);
	ck_assert_int_eq(tcp_conn_state(c), TCP_FIN_WAIT_2);
	simtime fw2 = fx_state_time("client", 1, TCP_FIN_WAIT_2);
	ck_assert_int_eq(c->life_kind, LIFE_FW2);
	ck_assert_int_eq(c->life.at, fw2 + c->host->prof.fin_wait_2_timeout);
	ck_assert_uint_ne(c->life.slot, TCP_TW_QUEUED);
	ck_assert_int_eq(tcp_close(tcp_host_conn(fx->server->tcp, 1)), 0);
	fx_run(2 * S);
	ck_assert_int_eq(tcp_conn_state(c), TCP_TIME_WAIT);
	simtime tw = fx_state_time("client", 1, TCP_TIME_WAIT);
	ck_assert_int_eq(tw, 1050 * MS);
	ck_assert_int_eq(c->life_kind, LIFE_TW);
	ck_assert_uint_eq(c->life.slot, TCP_TW_QUEUED);
	ck_assert_ptr_null(c->sk);	/* TIME-WAIT keeps no SACK record */
	ck_assert_int_eq(c->life.at, tw + c->host->prof.time_wait);
	fx_run(200 * S);
	ck_assert_int_eq(fx_state_time("client", 1, TCP_CLOSED),
	                 tw + c->host->prof.time_wait);
	ck_assert(!sched_pending(&c->life));
}
END_TEST

static Suite *
tcp_suite(void)
{
	Suite *s = suite_create("tcp");
	TCase *tc = tcase_create("linux");
	tcase_add_checked_fixture(tc, fx_setup_linux, fx_teardown_checked);
	tcase_add_test(tc, test_clean_handshake_data_close);
	tcase_add_test(tc, test_linux_fin_ack_delayed_without_app_close);
	tcase_add_test(tc, test_first_syn_lost);
	tcase_add_test(tc, test_first_synack_lost);
	tcase_add_test(tc, test_final_ack_lost_no_data);
	tcase_add_test(tc, test_final_ack_lost_data_follows);
	tcase_add_test(tc, test_fin_lost_linux_tail_loss_probe);
	tcase_add_test(tc, test_syn_retries_exhausted_127s);
	tcase_add_test(tc, test_syn_linear_timeouts_618);
	tcase_add_test(tc, test_synack_retries_exhausted);
	tcase_add_test(tc, test_syncookie_when_queue_full);
	tcase_add_test(tc, test_syncookies_always);
	tcase_add_test(tc, test_syncookie_without_timestamps);
	tcase_add_test(tc, test_syncookie_expires);
	tcase_add_test(tc, test_connect_timeout);
	tcase_add_test(tc, test_connect_closed_port_refused);
	tcase_add_test(tc, test_abort_sends_rst);
	tcase_add_test(tc, test_close_in_syn_sent_no_rst);
	tcase_add_test(tc, test_simultaneous_open);
	tcase_add_test(tc, test_simultaneous_open_one_synack_lost);
	tcase_add_test(tc, test_retransmitted_syn_restarts_synack_timer);
	tcase_add_test(tc, test_time_wait_reacks_retransmitted_fin);
	tcase_add_test(tc, test_fin_wait_2_orphan_timeout);
	tcase_add_test(tc, test_duplicate_syn_in_syn_received);
	tcase_add_test(tc, test_syn_backlog_full_drops_syn);
	tcase_add_test(tc, test_rto_linux_formula);
	tcase_add_test(tc, test_profile_defaults);
	tcase_add_test(tc, test_msl_knob_sets_time_wait);
	tcase_add_test(tc, test_knobs_documented);
	tcase_add_test(tc, test_data_segmented_by_mss);
	tcase_add_test(tc, test_options_linux_client_rfc_server);
	tcase_add_test(tc, test_options_small_peer_mss);
	tcase_add_test(tc, test_isn_policies);
	tcase_add_test(tc, test_data_rto_on_the_wheel);
	suite_add_tcase(s, tc);
	/* The same linux profile with its timers on the nanosecond
	 * (timer_wheel off): these pin the arithmetic of a rule (the probe
	 * timeout's formula, the SYN-ACK pruning, RTO backoff and retry
	 * counts, the order of retransmissions in simultaneous open and
	 * close) in exact times; the wheel only moves each expiry to a tick,
	 * which the "linux" case above checks in every timer's area. */
	tc = tcase_create("linux exact");
	tcase_add_checked_fixture(tc, fx_setup_linux_exact, fx_teardown_checked);
	tcase_add_test(tc, test_tlp_one_segment_linux);
	tcase_add_test(tc, test_tlp_two_segments_linux);
	tcase_add_test(tc, test_synack_prune_under_pressure);
	tcase_add_test(tc, test_synack_prune_off);
	tcase_add_test(tc, test_simultaneous_open_synack_lost);
	tcase_add_test(tc, test_close_in_syn_received_retransmits);
	tcase_add_test(tc, test_close_in_syn_received_completes);
	tcase_add_test(tc, test_simultaneous_close);
	tcase_add_test(tc, test_half_close_data_flows_back);
	tcase_add_test(tc, test_old_duplicate_syn);
	tcase_add_test(tc, test_data_retries_exhausted);
	tcase_add_test(tc, test_record_sizes);
	tcase_add_test(tc, test_side_records_made_at_first_use);
	tcase_add_test(tc, test_one_life_timer_at_a_time);
	suite_add_tcase(s, tc);
	tc = tcase_create("rfc");
	tcase_add_checked_fixture(tc, fx_setup_rfc, fx_teardown_checked);
	tcase_add_test(tc, test_rfc_profile_acks_fin_at_once);
	tcase_add_test(tc, test_fin_lost_rfc_rto);
	tcase_add_test(tc, test_tlp_rfc_8985);
	tcase_add_test(tc, test_rfc_go_back_n);
	tcase_add_test(tc, test_rfc_delayed_ack_every_second_segment);
	tcase_add_test(tc, test_fin_wait_2_unbounded_rfc);
	tcase_add_test(tc, test_time_wait_rfc_retransmitted_fin);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(tcp_suite());
}
