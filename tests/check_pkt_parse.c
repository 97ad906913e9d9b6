/*
 * check_pkt_parse.c - the packetdrill script reader (pkt/pktscript.c):
 * exact events for each kind of line, the error message for each kind
 * of malformed line, and the reason for each kind of script synsim
 * skips.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "pkt/pktscript.h"

#define MS SIMTIME_MS
#define S SIMTIME_S

static struct pktscript scr;
static char err[512];

static void
parse_ok(const char *text)
{
	int rc = pks_parse(&scr, "s.pkt", text, err, sizeof err);
	ck_assert_msg(rc == 0, "parse failed: %s", err);
}

static void
teardown(void)
{
	pks_free(&scr);
}

/* ==== events ============================================================ */

START_TEST(test_times)
{
	parse_ok("0 close(3) = 0\n"
	         "+0.25 close(3) = 0\n"
	         "1.5 close(3) = 0\n"
	         "+.1...0.3 close(3) = 0\n"
	         "2...2.000000001 close(3) = 0\n"
	         "* close(3) = 0\n"
	         "+0.123456789 close(3) = 0\n");
	ck_assert_int_eq(scr.nev, 7);
	const struct pks_time *t = &scr.ev[0].time;
	ck_assert(t->kind == PKS_ABS && t->t == 0 && t->end == 0 && !t->range);
	t = &scr.ev[1].time;
	ck_assert(t->kind == PKS_REL && t->t == 250 * MS && !t->range);
	t = &scr.ev[2].time;
	ck_assert(t->kind == PKS_ABS && t->t == 1500 * MS);
	t = &scr.ev[3].time;
	ck_assert(t->kind == PKS_REL && t->range);
	ck_assert_int_eq(t->t, 100 * MS);
	ck_assert_int_eq(t->end, 300 * MS);
	t = &scr.ev[4].time;
	ck_assert(t->kind == PKS_ABS && t->range);
	ck_assert_int_eq(t->end, 2 * S + 1);
	ck_assert(scr.ev[5].time.kind == PKS_ANY);
	ck_assert_int_eq(scr.ev[6].time.t, 123456789);
	ck_assert_int_eq(scr.ev[6].line, 7);
	ck_assert_int_eq(scr.tolerance, -1);
	ck_assert_str_eq(scr.skip, "");
}
END_TEST

START_TEST(test_segments)
{
	parse_ok("// a comment line\n"
	         "0 < S 0:0(0) win 32792 <mss 1000,sackOK,nop,nop,nop,wscale 7>\n"
	         "+0 > S. 0:0(0) ack 1 <...>   // trailing comment\n"
	         "+.1 < P. 1:1001(1000) ack 1 win 257 <nop,nop,TS val 7 ecr 9>\n"
	         "/* a block\n   comment */ +0 > F. 4294967295:0(1) ack 2\n"
	         "+0 < R 5:5(0)\n"
	         "+0 > . 1:1(0) ack 1001\n");
	ck_assert_int_eq(scr.nev, 6);
	const struct pks_event *e = &scr.ev[0];
	ck_assert(e->kind == PKS_IN && e->line == 2);
	ck_assert_str_eq(e->text, "< S 0:0(0) win 32792 <mss 1000,sackOK,nop,nop,"
	                 "nop,wscale 7>");
	const struct pks_seg *g = &e->u.seg;
	ck_assert_uint_eq(g->flags, TH_SYN);
	ck_assert(!g->has_ack && g->has_win && g->has_opts && !g->opts_any);
	ck_assert_uint_eq(g->win, 32792);
	ck_assert_uint_eq(g->opt.present, OPT_MSS | OPT_SACKOK | OPT_WSCALE);
	ck_assert_uint_eq(g->opt.mss, 1000);
	ck_assert_uint_eq(g->opt.wscale, 7);

	g = &scr.ev[1].u.seg;
	ck_assert(scr.ev[1].kind == PKS_OUT);
	ck_assert_str_eq(scr.ev[1].text, "> S. 0:0(0) ack 1 <...>");
	ck_assert_uint_eq(g->flags, TH_SYN | TH_ACK);
	ck_assert(g->has_ack && g->ack == 1 && !g->has_win && g->opts_any);

	g = &scr.ev[2].u.seg;
	ck_assert_uint_eq(g->flags, TH_PSH | TH_ACK);
	ck_assert_uint_eq(g->seq, 1);
	ck_assert_uint_eq(g->end, 1001);
	ck_assert_uint_eq(g->len, 1000);
	ck_assert_uint_eq(g->opt.present, OPT_TS);
	ck_assert_uint_eq(g->opt.tsval, 7);
	ck_assert_uint_eq(g->opt.tsecr, 9);

	/* The range wraps; the line is where the statement starts. */
	e = &scr.ev[3];
	ck_assert_int_eq(e->line, 6);
	ck_assert_uint_eq(e->u.seg.flags, TH_FIN | TH_ACK);
	ck_assert_uint_eq(e->u.seg.seq, 4294967295u);
	ck_assert_uint_eq(e->u.seg.len, 1);
	ck_assert(!e->u.seg.has_opts);

	ck_assert_uint_eq(scr.ev[4].u.seg.flags, TH_RST);
	ck_assert(!scr.ev[4].u.seg.has_win);
	ck_assert_uint_eq(scr.ev[5].u.seg.flags, TH_ACK);
}
END_TEST

START_TEST(test_calls)
{
	parse_ok("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
	         "+0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0\n"
	         "+0 setsockopt(3, SOL_SOCKET, SO_LINGER, {onoff=1, linger=0}, 8) = 0\n"
	         "+0 setsockopt(3, IPPROTO_TCP, TCP_NODELAY, [1], 4) = 0\n"
	         "+0 fcntl(3, F_GETFL) = 0x2 (flags O_RDWR)\n"
	         "+0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0\n"
	         "+0 listen(3, 128) = 0\n"
	         "+0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)\n"
	         "+0 send(4, ..., 1000, 0) = 1000\n"
	         "+0 recv(4, ..., 10, 0) = -1 EAGAIN\n"
	         "+0 shutdown(4, SHUT_WR) = 0\n"
	         "+0 getsockopt(3, SOL_SOCKET, SO_ERROR, [ECONNREFUSED], [4]) = 0\n"
	         "+0 write(4, ...,\n"
	         "         20) = 20\n"
	         "+0 close(4) = 0\n"
	         "+0 socket(..., SOCK_STREAM | SOCK_NONBLOCK, IPPROTO_TCP) = 5\n");
	ck_assert_int_eq(scr.nev, 15);
	const struct pks_call *k = &scr.ev[14].u.call;
	ck_assert(k->id == PKS_SOCKET && k->n == 1 && k->ret == 5);
	k = &scr.ev[0].u.call;
	ck_assert(scr.ev[0].kind == PKS_CALL && k->id == PKS_SOCKET);
	ck_assert_int_eq(k->ret, 3);
	ck_assert_int_eq(k->fd, -1);
	ck_assert_int_eq(k->n, 0);
	ck_assert_int_eq(scr.ev[1].u.call.opt, PKS_OPT_REUSEADDR);
	k = &scr.ev[2].u.call;
	ck_assert(k->opt == PKS_OPT_LINGER && k->n == 1 && k->linger == 0);
	ck_assert_int_eq(scr.ev[3].u.call.opt, PKS_OPT_NODELAY);
	k = &scr.ev[4].u.call;
	ck_assert(k->id == PKS_FCNTL && k->fcntl_get && k->ret == 2);
	k = &scr.ev[5].u.call;
	ck_assert(k->id == PKS_FCNTL && !k->fcntl_get && k->n == 1);
	k = &scr.ev[6].u.call;
	ck_assert(k->id == PKS_LISTEN && k->fd == 3 && k->n == 128);
	k = &scr.ev[7].u.call;
	ck_assert(k->id == PKS_CONNECT && k->ret == -1);
	ck_assert_str_eq(k->err, "EINPROGRESS");
	k = &scr.ev[8].u.call;
	ck_assert(k->id == PKS_WRITE && k->fd == 4 && k->n == 1000);
	ck_assert_str_eq(k->name, "send");
	k = &scr.ev[9].u.call;
	ck_assert(k->id == PKS_READ && k->n == 10 && k->ret == -1);
	ck_assert_str_eq(k->err, "EAGAIN");
	ck_assert_int_eq(scr.ev[10].u.call.n, 1);
	k = &scr.ev[11].u.call;
	ck_assert(k->id == PKS_GETSOCKOPT && k->opt == PKS_OPT_ERROR);
	ck_assert_str_eq(k->want_err, "ECONNREFUSED");
	/* A call's arguments may go on over lines. */
	k = &scr.ev[12].u.call;
	ck_assert(k->id == PKS_WRITE && k->n == 20 && k->ret == 20);
	ck_assert_int_eq(scr.ev[12].line, 13);
	ck_assert_int_eq(scr.ev[13].line, 15);
	ck_assert_str_eq(scr.ev[12].text, "write(4, ...,          20) = 20");
}
END_TEST

START_TEST(test_sysctls)
{
	parse_ok("`sysctl -q net.ipv4.tcp_timestamps=0`\n"
	         "0 `sysctl -q net.ipv4.tcp_syn_retries=3\n"
	         "sysctl -w net/ipv4/tcp_fin_timeout=5; sysctl net.ipv4.tcp_ecn=0`\n"
	         "--tolerance_usecs=10000\n"
	         "+0 close(3) = 0\n");
	ck_assert_int_eq(scr.nev, 5);
	const struct pks_event *e = &scr.ev[0];
	ck_assert(e->kind == PKS_SYSCTL && e->time.kind == PKS_REL &&
	          e->time.t == 0);
	ck_assert_str_eq(e->u.sysctl.name, "net.ipv4.tcp_timestamps");
	ck_assert_str_eq(e->u.sysctl.knob, "opt_ts");
	ck_assert_int_eq(e->u.sysctl.value, 0);
	e = &scr.ev[1];
	ck_assert(e->time.kind == PKS_ABS && e->line == 2);
	ck_assert_str_eq(e->u.sysctl.knob, "syn_retries");
	ck_assert_int_eq(e->u.sysctl.value, 3);
	/* Seconds become the knob's nanoseconds; '/' reads as '.'. */
	e = &scr.ev[2];
	ck_assert_str_eq(e->u.sysctl.name, "net.ipv4.tcp_fin_timeout");
	ck_assert_str_eq(e->u.sysctl.knob, "fin_wait_2_timeout");
	ck_assert_int_eq(e->u.sysctl.value, 5 * S);
	ck_assert_str_eq(e->text, "net.ipv4.tcp_fin_timeout=5");
	/* tcp_ecn=0 asks for what synsim does anyway: no knob. */
	ck_assert_str_eq(scr.ev[3].u.sysctl.knob, "");
	ck_assert_int_eq(scr.tolerance, 10 * MS);
	ck_assert_int_eq(scr.ev[4].line, 5);
	ck_assert_str_eq(scr.skip, "");
}
END_TEST

#ifdef PKT_SACK_MAX
/* SACK blocks (RFC 2018 3), where packets carry them. */
START_TEST(test_sack_blocks)
{
	parse_ok("0 < . 1:1(0) ack 1001 win 257 <nop,nop,sack 2001:3001 "
	         "4001:5001>\n");
	const struct tcp_opts *o = &scr.ev[0].u.seg.opt;
	ck_assert_uint_eq(o->present, OPT_SACK);
	ck_assert_uint_eq(o->nsack, 2);
	ck_assert_uint_eq(o->sack[0][0], 2001);
	ck_assert_uint_eq(o->sack[0][1], 3001);
	ck_assert_uint_eq(o->sack[1][0], 4001);
	ck_assert_uint_eq(o->sack[1][1], 5001);
	pks_free(&scr);
	ck_assert_int_eq(pks_parse(&scr, "s.pkt", "0 < . 1:1(0) win 1 <sack>\n",
	                           err, sizeof err), -1);
	ck_assert_str_eq(err, "s.pkt:1: a sack option takes 1 to 4 blocks");
	pks_free(&scr);
	ck_assert_int_eq(pks_parse(&scr, "s.pkt", "0 < . 1:1(0) win 1 <sack "
	                           "1-2>\n", err, sizeof err), -1);
	ck_assert_str_eq(err, "s.pkt:1: bad SACK block '1-2' (left:right)");
	/* written as Linux lays them out, relative to a base */
	struct tcp_opts t = { .present = OPT_TS | OPT_SACK, .tsval = 1,
	                      .tsecr = 2, .nsack = 1,
	                      .sack = { { 1100, 1200 } } };
	char buf[128];
	pks_opts_str(&t, 100, buf, sizeof buf);
	ck_assert_str_eq(buf, "nop,nop,TS val 1 ecr 2,nop,nop,sack 1000:1100");
}
END_TEST
#endif

START_TEST(test_format)
{
	char buf[256];
	struct pkt p = { .flags = TH_SYN | TH_ACK, .seq = 1000, .ack = 501,
	                 .wnd = 65160 };
	p.opt = (struct tcp_opts){ .present = OPT_MSS | OPT_SACKOK | OPT_TS |
	                           OPT_WSCALE, .mss = 1460, .wscale = 10,
	                           .tsval = 77, .tsecr = 5 };
	pks_seg_str(&p, 1000, 500, buf, sizeof buf);
	ck_assert_str_eq(buf, "S. 0:0(0) ack 1 win 65160 <mss 1460,sackOK,TS "
	                 "val 77 ecr 5,nop,wscale 10>");
	/* Linux pads SACK-permitted without timestamps with two NOPs. */
	p.opt.present = OPT_MSS | OPT_SACKOK | OPT_WSCALE;
	pks_opts_str(&p.opt, 0, buf, sizeof buf);
	ck_assert_str_eq(buf, "mss 1460,nop,nop,sackOK,nop,wscale 10");
	p.opt.present = OPT_TS;
	pks_opts_str(&p.opt, 0, buf, sizeof buf);
	ck_assert_str_eq(buf, "nop,nop,TS val 77 ecr 5");
	struct pkt d = { .flags = TH_PSH | TH_ACK | TH_FIN, .seq = 11, .ack = 7,
	                 .len = 100, .wnd = 501 };
	pks_seg_str(&d, 10, 0, buf, sizeof buf);
	ck_assert_str_eq(buf, "FP. 1:101(100) ack 7 win 501");
	struct pkt r = { .flags = TH_RST, .seq = 5 };
	pks_seg_str(&r, 0, 0, buf, sizeof buf);
	ck_assert_str_eq(buf, "R 5:5(0) win 0");
}
END_TEST

/* ==== errors ============================================================ */

static const struct {
	const char *text, *msg;
} bad[] = {
	{ "0 close(3) = 0\n1.2.3 close(3) = 0\n",
	  "s.pkt:2: bad time '1.2.3' (seconds, as 0.1, +0.1, 0.1...0.2 or *)" },
	{ "0.5...0.1 close(3) = 0\n",
	  "s.pkt:1: time range '0.5...0.1' ends before it starts" },
	{ "0 < SX 0:0(0) win 1\n",
	  "s.pkt:1: unknown TCP flag 'X' in 'SX' (flags are S F R P . E W U)" },
	{ "0 < S 0:10(5) win 1\n",
	  "s.pkt:1: sequence range '0:10(5)' holds 10 bytes, not 5" },
	{ "0 < S 0-0 win 1\n",
	  "s.pkt:1: bad sequence range '0-0' (start:end(length))" },
	{ "0 < S\n",
	  "s.pkt:1: a segment needs flags and a sequence range, as 'S 0:0(0)'" },
	{ "0 < S 0:0(0) ack 1\n",
	  "s.pkt:1: 'ack 1' on a segment without the ACK flag '.'" },
	{ "0 < S 0:0(0) win 70000\n",
	  "s.pkt:1: 'win' needs a number up to 65535" },
	{ "0 < S 0:0(0) win 1 <mss x>\n", "s.pkt:1: bad mss 'x'" },
	{ "0 < S 0:0(0) win 1 <TS val 1>\n",
	  "s.pkt:1: bad timestamp option (TS val N ecr N)" },
	{ "0 < S 0:0(0) <...>\n",
	  "s.pkt:1: '<...>' options are for segments the host sends: the "
	  "peer's must be spelled out" },
	{ "0 < S 0:0(0) <mss 1> win 5\n",
	  "s.pkt:1: TCP options must end the line, in '<...>'" },
	{ "0 close(3)\n", "s.pkt:1: close(...) needs its result, as '= 0'" },
	{ "0 close(3 = 0\n", "s.pkt:1: close( has no closing parenthesis" },
	{ "0 close(3) = -1\n",
	  "s.pkt:1: close(...) = -1 needs the errno name, as '-1 ECONNREFUSED'" },
	{ "0 close(3) = zero\n", "s.pkt:1: bad result 'zero' (a number)" },
	{ "0 close(3, 4) = 0\n", "s.pkt:1: close() takes 1 arguments, got 2" },
	{ "0 close(x) = 0\n", "s.pkt:1: bad file descriptor 'x'" },
	{ "0 listen(3, -1) = 0\n", "s.pkt:1: bad backlog '-1' (a whole number)" },
	{ "0 shutdown(3, SHUT_UP) = 0\n",
	  "s.pkt:1: shutdown() how 'SHUT_UP' (SHUT_RD, SHUT_WR or SHUT_RDWR)" },
	{ "0 close(3) = 0 junk\n", "s.pkt:1: unexpected 'junk' after the result" },
	{ "0 = 3\n", "s.pkt:1: expected '<', '>', a system call or a `command` "
	  "after the time, got '= 3'" },
	{ "0\n", "s.pkt:1: a time with nothing after it" },
	{ "0 `sysctl -q net.ipv4.tcp_syn_retries=2\n",
	  "s.pkt:1: unterminated `command`" },
	{ "`sysctl net.ipv4.tcp_syn_retries=two`\n",
	  "s.pkt:1: sysctl net.ipv4.tcp_syn_retries: bad value 'two'" },
	{ "--tolerance_usecs=x\n", "s.pkt:1: bad --tolerance_usecs=x" },
	{ "\n\n/* never closed\n", "s.pkt:3: unterminated /* comment" },
	{ "// only a comment\n\n", "s.pkt:3: no events: an empty script tests "
	  "nothing" },
};

START_TEST(test_errors)
{
	int rc = pks_parse(&scr, "s.pkt", bad[_i].text, err, sizeof err);
	ck_assert_msg(rc == -1, "accepted: %s", bad[_i].text);
	ck_assert_str_eq(err, bad[_i].msg);
	pks_free(&scr);
}
END_TEST

START_TEST(test_missing_file)
{
	ck_assert_int_eq(pks_parse_file(&scr, "/nonexistent/x.pkt", err,
	                                sizeof err), -1);
	ck_assert_str_eq(err, "/nonexistent/x.pkt: No such file or directory");
}
END_TEST

/* ==== skipped =========================================================== */

static const struct {
	const char *text;
	int line;
	const char *why;
} skips[] = {
	{ "0 close(3) = 0\n%{\nassert tcpi_rto == 1000000\n}%\n", 2,
	  "Python block %{ }% (synsim runs no Python)" },
	{ "0 close(3) = 0\n+0 %{ print(1) }%\n", 2,
	  "Python block %{ }% (synsim runs no Python)" },
	{ "0 writev(4, [{..., 10}], 1) = 10\n", 1,
	  "system call writev() is not modelled" },
	{ "0 socket(..., SOCK_DGRAM, IPPROTO_UDP) = 3\n", 1,
	  "socket type SOCK_DGRAM is not modelled (TCP only)" },
	{ "0 setsockopt(3, SOL_TCP, TCP_CONGESTION, \"cubic\", 5) = 0\n", 1,
	  "socket option SOL_TCP TCP_CONGESTION is not modelled" },
	{ "0 getsockopt(3, SOL_TCP, TCP_INFO, {}, [4]) = 0\n", 1,
	  "socket option SOL_TCP TCP_INFO is not modelled" },
	{ "0 send(4, ..., 10, MSG_ZEROCOPY) = 10\n", 1,
	  "send() flags MSG_ZEROCOPY are not modelled" },
	{ "0 close(3) = 0\n`sysctl -q net.ipv4.tcp_rmem=\"4096 131072 6291456\"`\n",
	  2, "sysctl net.ipv4.tcp_rmem has no synsim knob" },
	{ "`../common/defaults.sh`\n", 1,
	  "shell command '../common/defaults.sh' is not run" },
	{ "`sysctl net.ipv4.tcp_timestamps=2`\n", 1,
	  "sysctl net.ipv4.tcp_timestamps=2: only 0 and 1 are modelled" },
#ifndef PKT_SACK_MAX
	{ "0 < . 1:1(0) ack 1 win 5 <sack 1:2,nop,nop>\n", 1,
	  "SACK blocks in a segment are not modelled" },
#endif
	{ "0 < S 0:0(0) win 5 <mss 1460,FO abcd1234>\n", 1,
	  "TCP option 'FO' is not modelled" },
	{ "0 < [ect0] S 0:0(0) win 5\n", 1,
	  "IP header field [ect0] is not modelled" },
	{ "0 < S 0:0(0) win 5 urg 3\n", 1,
	  "segment field 'urg' is not modelled" },
	{ "--ip_version=ipv6\n", 1, "option --ip_version=ipv6 is not modelled" },
	{ "0 setsockopt(3, SOL_SOCKET, SO_LINGER, {onoff=1, linger=5}, 8) = 0\n",
	  1, "SO_LINGER with a time is not modelled (only linger=0, close sends "
	  "RST)" },
};

START_TEST(test_skips)
{
	parse_ok(skips[_i].text);
	ck_assert_str_eq(scr.skip, skips[_i].why);
	ck_assert_int_eq(scr.skip_line, skips[_i].line);
}
END_TEST

static Suite *
pkt_parse_suite(void)
{
	Suite *s = suite_create("pkt_parse");
	TCase *tc = tcase_create("events");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, test_times);
	tcase_add_test(tc, test_segments);
	tcase_add_test(tc, test_calls);
	tcase_add_test(tc, test_sysctls);
	tcase_add_test(tc, test_format);
#ifdef PKT_SACK_MAX
	tcase_add_test(tc, test_sack_blocks);
#endif
	suite_add_tcase(s, tc);
	tc = tcase_create("errors");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_loop_test(tc, test_errors, 0, sizeof bad / sizeof bad[0]);
	tcase_add_test(tc, test_missing_file);
	suite_add_tcase(s, tc);
	tc = tcase_create("skips");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_loop_test(tc, test_skips, 0, sizeof skips / sizeof skips[0]);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(pkt_parse_suite());
}
