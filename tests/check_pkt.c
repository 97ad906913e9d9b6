/*
 * check_pkt.c - the packetdrill-script runner (pkt/pktrun.c): the
 * project's handshake and teardown scripts in tests/pkt/ on both Linux
 * profiles, what a wrong script reports, timing against the tolerance,
 * blocking calls, and `synsim pkt` through the binary: exit codes, the
 * trace files and the ladder drawn from them.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "helpers.h"
#include "pkt/pktrun.h"
#include "run.h"

#define MS SIMTIME_MS

static struct pktscript scr;
static struct pkr_result res;

static void
teardown(void)
{
	pks_free(&scr);
	synsim_reset();
}

/* Run script text on profile; returns the status, the result in res. */
static int
run_text(const char *text, const char *profile, simtime tolerance)
{
	char err[512];
	pks_free(&scr);
	ck_assert_msg(pks_parse(&scr, "t.pkt", text, err, sizeof err) == 0,
	              "%s", err);
	struct pkr_opts o = { .profile = profile, .tolerance = tolerance,
	                      .seed = 1 };
	return pkr_run(&scr, &o, &res);
}

static int
run_file(const char *path, const char *profile)
{
	char err[512];
	pks_free(&scr);
	ck_assert_msg(pks_parse_file(&scr, path, err, sizeof err) == 0, "%s",
	              err);
	struct pkr_opts o = { .profile = profile, .tolerance = -1, .seed = 1 };
	return pkr_run(&scr, &o, &res);
}

/* ==== the handshake and teardown suite ==================================== */

static const char *const scripts[] = {
	"passive-open", "active-open", "close-host-first", "close-peer-first",
	"close-simultaneous", "syn-sent-close", "rst-syn-sent",
	"rst-syn-sent-bad-ack", "rst-syn-received", "rst-established",
	"rst-listen", "rst-fin-wait-1", "rst-fin-wait-2", "rst-closing",
	"rst-close-wait", "rst-last-ack",
	"rst-time-wait", "rst-time-wait-rfc1337", "half-close",
	"time-wait-reply", "refused-port", "syn-retries",
};
#define NSCRIPTS ((int)(sizeof scripts / sizeof scripts[0]))
static const char *const profiles[] = { "linux", "linux-6.18" };

START_TEST(test_suite_script)
{
	const char *name = scripts[_i % NSCRIPTS];
	const char *prof = profiles[_i / NSCRIPTS];
	char path[512];
	snprintf(path, sizeof path, "%s/tests/pkt/%s.pkt", SOURCE_DIR, name);
	int st = run_file(path, prof);
	ck_assert_msg(st == PKR_PASS, "%s on %s: %s", name, prof, res.msg);
	/* every event ran */
	ck_assert_int_eq(res.events, scr.nev);
	ck_assert_int_eq(res.line, 0);
}
END_TEST

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Every script in tests/pkt/ is in the list above: none is left out of
 * the run. */
START_TEST(test_every_script_listed)
{
	/* sorted as file names, ".pkt" and all, as dir_listing sorts */
	char names[NSCRIPTS][64];
	const char *sorted[NSCRIPTS];
	for (int i = 0; i < NSCRIPTS; i++) {
		snprintf(names[i], sizeof names[i], "%s.pkt\n", scripts[i]);
		sorted[i] = names[i];
	}
	qsort(sorted, NSCRIPTS, sizeof sorted[0], cmp_str);
	char want[2048] = "";
	for (int i = 0; i < NSCRIPTS; i++)
		strcat(want, sorted[i]);
	char *have = dir_listing(SOURCE_DIR "/tests/pkt", ".pkt");
	ck_assert_str_eq(have, want);
	free(have);
}
END_TEST

/* ==== what a failure says ============================================== */

START_TEST(test_wrong_expectation)
{
	int st = run_file(SOURCE_DIR "/tests/pkt/negative/wrong-ack.pkt",
	                  "linux");
	ck_assert_int_eq(st, PKR_FAIL);
	ck_assert_int_eq(res.line, 17);
	ck_assert_str_eq(res.msg,
	    SOURCE_DIR "/tests/pkt/negative/wrong-ack.pkt:17: the host's "
	    "segment: ack differs\n"
	    "  expected: 0.300000 > . 2:2(0) ack 3\n"
	    "  actual:   0.300000 > . 2:2(0) ack 2 win 64240");
}
END_TEST

START_TEST(test_python_skips)
{
	int st = run_file(SOURCE_DIR "/tests/pkt/negative/python.pkt", "linux");
	ck_assert_int_eq(st, PKR_SKIP);
	ck_assert_int_eq(res.line, 7);
	ck_assert_str_eq(res.msg, SOURCE_DIR "/tests/pkt/negative/python.pkt:7: "
	                 "Python block %{ }% (synsim runs no Python)");
	/* nothing ran */
	ck_assert_int_eq(res.events, 0);
}
END_TEST

static const char listen_syn[] =
	"`sysctl -q net.ipv4.tcp_timestamps=0`\n"
	"0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
	"+0 bind(3, ..., ...) = 0\n"
	"+0 listen(3, 1) = 0\n"
	"+0 < S 0:0(0) win 65535 <mss 1460>\n";

START_TEST(test_unexpected_segment)
{
	/* The script forgets the SYN-ACK: the ACK's line is where the
	 * host's segment is noticed. */
	char text[1024];
	snprintf(text, sizeof text, "%s+.1 < . 1:1(0) ack 1 win 65535\n",
	         listen_syn);
	ck_assert_int_eq(run_text(text, "linux", -1), PKR_FAIL);
	ck_assert_int_eq(res.line, 6);
	ck_assert_str_eq(res.msg, "t.pkt:6: the host sent a segment the script "
	                 "does not expect before this line\n"
	                 "  actual:   0.000000 > S. 0:0(0) ack 1 win 64240 "
	                 "<mss 1460>");
}
END_TEST

START_TEST(test_wrong_flags_and_options)
{
	char text[1024];
	snprintf(text, sizeof text, "%s+0 > S 0:0(0) <...>\n", listen_syn);
	ck_assert_int_eq(run_text(text, "linux", -1), PKR_FAIL);
	assert_has(res.msg, "t.pkt:6: the host's segment: flags differ\n");
	snprintf(text, sizeof text, "%s+0 > S. 0:0(0) ack 1 <mss 1400>\n",
	         listen_syn);
	ck_assert_int_eq(run_text(text, "linux", -1), PKR_FAIL);
	ck_assert_str_eq(res.msg, "t.pkt:6: the host's segment: mss differs\n"
	                 "  expected: 0.000000 > S. 0:0(0) ack 1 <mss 1400>\n"
	                 "  actual:   0.000000 > S. 0:0(0) ack 1 win 64240 "
	                 "<mss 1460>");
	snprintf(text, sizeof text, "%s+0 > S. 0:0(0) ack 1 <mss 1460,sackOK>\n",
	         listen_syn);
	ck_assert_int_eq(run_text(text, "linux", -1), PKR_FAIL);
	assert_has(res.msg, "the host's segment: options differ\n");
	snprintf(text, sizeof text, "%s+0 > S. 0:0(0) ack 1 win 64239 <...>\n",
	         listen_syn);
	ck_assert_int_eq(run_text(text, "linux", -1), PKR_FAIL);
	assert_has(res.msg, "the host's segment: window differs\n");
	snprintf(text, sizeof text, "%s+0 > S. 1:1(0) ack 1 <...>\n", listen_syn);
	ck_assert_int_eq(run_text(text, "linux", -1), PKR_PASS);
	/* The host's ISN is what its first SYN says it is: a script
	 * numbering it 1 still matches; the next segment is then 2. */
	snprintf(text, sizeof text, "%s+0 > . 0:0(0) ack 1\n", listen_syn);
	ck_assert_int_eq(run_text(text, "linux", -1), PKR_FAIL);
	assert_has(res.msg, "the host's segment: flags differ\n");
	/* nop and eol are layout: not compared */
	snprintf(text, sizeof text, "%s+0 > S. 0:0(0) ack 1 win 64240 "
	         "<nop,mss 1460,eol>\n", listen_syn);
	ck_assert_int_eq(run_text(text, "linux", -1), PKR_PASS);
}
END_TEST

/* ==== time and tolerance =================================================== */

/* The SYN of a connect() goes at 0, its first retransmission 1 s later
 * on the host's timer wheel: with seed 1 the host's jiffies read 176 mod
 * 512 at time 0 and its ticks fall at 1.901978 ms + 4k ms, so 176 + 250
 * = 426, level 1, bucket 432, 256 ticks on: 1.021901978 s; the next, 2 s
 * after it (432 + 500 = 932, bucket 936), at 3.037901978 s. */
static const char syn_retx[] =
	"0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
	"+0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0\n"
	"+0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)\n"
	"+0 > S 0:0(0) <...>\n";

START_TEST(test_tolerance)
{
	char text[1024];
	/* 4 ms either side of 1.021901978 s */
	snprintf(text, sizeof text, "%s1.025 > S 0:0(0) <...>\n", syn_retx);
	ck_assert_int_eq(run_text(text, "linux", -1), PKR_PASS);
	snprintf(text, sizeof text, "%s+1.018 > S 0:0(0) <...>\n", syn_retx);
	ck_assert_int_eq(run_text(text, "linux", -1), PKR_PASS);
	snprintf(text, sizeof text, "%s1.027 > S 0:0(0) <...>\n", syn_retx);
	ck_assert_int_eq(run_text(text, "linux", -1), PKR_FAIL);
	ck_assert_int_eq(res.line, 5);
	ck_assert_str_eq(res.msg, "t.pkt:5: the host's segment came early "
	                 "(tolerance 4000 us)\n"
	                 "  expected: 1.027000 > S 0:0(0) <...>\n"
	                 "  actual:   1.021901978 > S 0:0(0) win 64240 <mss 1460,"
	                 "sackOK,TS val 1109819867 ecr 0,nop,wscale 7>");
	snprintf(text, sizeof text, "%s1.017 > S 0:0(0) <...>\n", syn_retx);
	ck_assert_int_eq(run_text(text, "linux", -1), PKR_FAIL);
	ck_assert_str_eq(res.msg, "t.pkt:5: the host sent nothing by "
	                 "1.021000s\n  expected: 1.017000 > S 0:0(0) <...>");
	/* A wider tolerance, from the options or the script. */
	snprintf(text, sizeof text, "%s1.027 > S 0:0(0) <...>\n", syn_retx);
	ck_assert_int_eq(run_text(text, "linux", 10 * MS), PKR_PASS);
	snprintf(text, sizeof text, "--tolerance_usecs=6000\n%s"
	         "1.027 > S 0:0(0) <...>\n", syn_retx);
	ck_assert_int_eq(run_text(text, "linux", -1), PKR_PASS);
	/* A range and "*" */
	snprintf(text, sizeof text, "%s+0.5...1.5 > S 0:0(0) <...>\n", syn_retx);
	ck_assert_int_eq(run_text(text, "linux", -1), PKR_PASS);
	snprintf(text, sizeof text, "%s+0.1...0.9 > S 0:0(0) <...>\n", syn_retx);
	ck_assert_int_eq(run_text(text, "linux", -1), PKR_FAIL);
	assert_has(res.msg, "nothing by 0.904000s\n  expected: 0.100000..."
	           "0.900000 > S");
	snprintf(text, sizeof text, "%s* > S 0:0(0) <...>\n* > S 0:0(0) <...>\n"
	         "+0 close(3) = 0\n", syn_retx);
	ck_assert_int_eq(run_text(text, "linux", -1), PKR_PASS);
	/* A relative time counts from when the last segment went: the
	 * retransmission after 2 s more is 2.016 s after the first one. */
	snprintf(text, sizeof text, "%s+1.022 > S 0:0(0) <...>\n"
	         "+2.016 > S 0:0(0) <...>\n", syn_retx);
	ck_assert_int_eq(run_text(text, "linux", -1), PKR_PASS);
}
END_TEST

/* The Linux profiles' timers run on the timer wheel: late by up to a
 * granule (32 ms for a 1 s timer), never early, so a script needs a
 * range, as on a real kernel.  linux-6.18's first four SYN retries keep
 * the 1 s RTO (tcp_syn_linear_timeouts 4). */
START_TEST(test_wheel_needs_range)
{
	char text[1024];
	snprintf(text, sizeof text, "%s+1 > S 0:0(0) <...>\n", syn_retx);
	ck_assert_int_eq(run_text(text, "linux-6.18", -1), PKR_FAIL);
	ck_assert_str_eq(res.msg, "t.pkt:5: the host sent nothing by 1.004000s\n"
	                 "  expected: 1.000000 > S 0:0(0) <...>");
	snprintf(text, sizeof text, "%s+1...1.04 > S 0:0(0) <...>\n"
	         "+1...1.04 > S 0:0(0) <...>\n+1...1.04 > S 0:0(0) <...>\n",
	         syn_retx);
	ck_assert_int_eq(run_text(text, "linux-6.18", -1), PKR_PASS);
	/* Seed 1 puts the wheel's phase 21.901978 ms behind: each retry is
	 * that late after the one before. */
	snprintf(text, sizeof text, "%s1.021901978 > S 0:0(0) <...>\n"
	         "2.045901978 > S 0:0(0) <...>\n", syn_retx);
	ck_assert_int_eq(run_text(text, "linux-6.18", 0), PKR_PASS);
}
END_TEST

/* ==== system calls ======================================================= */

static const char accept_fmt[] =
	"`sysctl -q net.ipv4.tcp_timestamps=0`\n"
	"0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
	"+0 bind(3, ..., ...) = 0\n"
	"+0 listen(3, 1) = 0\n"
	"%s accept(3, ..., ...) = 4\n"
	"+0 < S 0:0(0) win 65535 <mss 1460>\n"
	"+0 > S. 0:0(0) ack 1 <mss 1460>\n"
	"+.1 < . 1:1(0) ack 1 win 65535\n"
	"%s";

START_TEST(test_blocking_accept)
{
	char text[1024];
	/* accept() blocks until the handshake completes at 0.1 s, while
	 * the script goes on. */
	snprintf(text, sizeof text, accept_fmt, "+0...0.1", "");
	ck_assert_int_eq(run_text(text, "linux", -1), PKR_PASS);
	/* Expected by 0.05 s, it returns at 0.1 s. */
	snprintf(text, sizeof text, accept_fmt, "0...0.05", "");
	ck_assert_int_eq(run_text(text, "linux", -1), PKR_FAIL);
	ck_assert_str_eq(res.msg, "t.pkt:5: accept() returned at 0.100000s, the "
	                 "script expects it by 0.050000s (tolerance 4000 us)");
	/* Without a range a blocking call must return at once. */
	snprintf(text, sizeof text, accept_fmt, "+0", "");
	ck_assert_int_eq(run_text(text, "linux", -1), PKR_FAIL);
	assert_has(res.msg, "t.pkt:5: accept() returned at 0.100000s, the "
	           "script expects it by 0.000000s");
	/* A blocking read with nothing to read never returns. */
	snprintf(text, sizeof text, accept_fmt, "+0...0.1",
	         "+.1 read(4, ..., 10) = -1 EAGAIN\n");
	ck_assert_int_eq(run_text(text, "linux", -1), PKR_FAIL);
	ck_assert_str_eq(res.msg, "t.pkt:9: read() never returned (blocked "
	                 "from the script's time for it to the end)");
	/* Two blocked at once: packetdrill's threads, not modelled. */
	snprintf(text, sizeof text, accept_fmt, "+0...0.1",
	         "+0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 5\n");
	char two[1200];
	snprintf(two, sizeof two, accept_fmt, "+0...0.1", "");
	char *at = strstr(two, "+0 < S");
	snprintf(text, sizeof text, "%.*s+0...1 read(3, ..., 1) = 0\n%s",
	         (int)(at - two), two, at);
	ck_assert_int_eq(run_text(text, "linux", -1), PKR_SKIP);
	ck_assert_str_eq(res.msg, "t.pkt:6: read() while accept() is blocked: "
	                 "synsim runs one blocking call at a time");
}
END_TEST

START_TEST(test_close_with_unread_data_resets)
{
	/* Linux's tcp_close: unread data means a reset (RFC 2525 2.17);
	 * so does SO_LINGER with a zero time. */
	char text[2048];
	snprintf(text, sizeof text, "%s"
	         "+0 > S. 0:0(0) ack 1 <mss 1460>\n"
	         "+.1 < . 1:1(0) ack 1 win 65535\n"
	         "+0 accept(3, ..., ...) = 4\n"
	         "+0 < P. 1:11(10) ack 1 win 65535\n"
	         "+0 > . 1:1(0) ack 11\n"
	         "+0 close(4) = 0\n"
	         "+0 > R. 1:1(0) ack 11\n", listen_syn);
	ck_assert_int_eq(run_text(text, "linux", -1), PKR_PASS);
	snprintf(text, sizeof text, "%s"
	         "+0 > S. 0:0(0) ack 1 <mss 1460>\n"
	         "+.1 < . 1:1(0) ack 1 win 65535\n"
	         "+0 accept(3, ..., ...) = 4\n"
	         "+0 setsockopt(4, SOL_SOCKET, SO_LINGER, {onoff=1, linger=0}, 8)"
	         " = 0\n"
	         "+0 close(4) = 0\n"
	         "+0 > R. 1:1(0) ack 1\n", listen_syn);
	ck_assert_int_eq(run_text(text, "linux", -1), PKR_PASS);
}
END_TEST

START_TEST(test_call_results)
{
	static const char text[] =
		"0 close(7) = -1 EBADF (Bad file descriptor)\n"
		"+0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
		"+0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 4\n"
		"+0 write(3, ..., 10) = -1 ENOTCONN\n"
		"+0 fcntl(4, F_GETFL) = 0x2\n"
		"+0 fcntl(4, F_SETFL, O_RDWR|O_NONBLOCK) = 0\n"
		"+0 fcntl(4, F_GETFL) = 0x802\n"
		"+0 listen(4, 5) = 0\n"
		"+0 accept(4, ..., ...) = -1 EAGAIN\n"
		"+0 close(3) = 0\n"
		"+0 close(4) = 0\n"
		"+0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
		"+0 socket(..., SOCK_STREAM|SOCK_NONBLOCK, IPPROTO_TCP) = 4\n"
		"+0 fcntl(4, F_GETFL) = 0x802\n"
		"+0 connect(4, ..., ...) = -1 EINPROGRESS\n"
		"+0 > S 0:0(0) <...>\n";
	ck_assert_int_eq(run_text(text, "linux", -1), PKR_PASS);
	static const char wrong[] =
		"0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 4\n";
	ck_assert_int_eq(run_text(wrong, "linux", -1), PKR_FAIL);
	ck_assert_str_eq(res.msg, "t.pkt:1: socket() returned 3, the script "
	                 "expects 4\n  expected: socket(..., SOCK_STREAM, "
	                 "IPPROTO_TCP) = 4");
}
END_TEST

START_TEST(test_sysctl_out_of_range_skips)
{
	ck_assert_int_eq(run_text("`sysctl -q net.ipv4.tcp_syn_retries=1000`\n"
	                          "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n",
	                          "linux", -1), PKR_SKIP);
	ck_assert_str_eq(res.msg, "t.pkt:1: sysctl net.ipv4.tcp_syn_retries=1000: "
	                 "value out of the range of synsim's knob syn_retries");
}
END_TEST

/* ==== mangled scripts ====================================================== */

/* Scripts of the suite with a few bytes changed, cut or inserted (a
 * fixed xorshift stream): each either fails to parse with "file:line:
 * what", or runs to one of the four outcomes, with "file:line: what"
 * for all but a pass.  Under the sanitizers this is also a memory check
 * of both the reader and the runner on what they were not written for. */
START_TEST(test_mangled_scripts)
{
	static const char alphabet[] = " <>.:()[]{}`%+*0123456789SFRPabc,=\n-";
	uint64_t x = 88172645463325252u;
	int outcomes[4] = { 0 };
	for (int f = 0; f < NSCRIPTS; f++) {
		char path[512];
		snprintf(path, sizeof path, "%s/tests/pkt/%s.pkt", SOURCE_DIR,
		         scripts[f]);
		char *base = read_file(path, NULL);
		ck_assert_ptr_nonnull(base);
		size_t n = strlen(base);
		char *buf = malloc(n + 16);
		for (int it = 0; it < 100; it++) {
			memcpy(buf, base, n + 1);
			size_t m = n;
			for (int k = 0; k < 3 && m > 0; k++) {
				x ^= x << 13, x ^= x >> 7, x ^= x << 17;
				size_t pos = (size_t)(x >> 8) % m;
				switch (x % 4) {
				case 0:
					buf[pos] = alphabet[(x >> 40) % (sizeof alphabet - 1)];
					break;
				case 1:
					buf[m = pos] = '\0';
					break;
				case 2:
					memmove(buf + pos, buf + pos + 1, m-- - pos);
					break;
				default:
					memmove(buf + pos + 1, buf + pos, ++m - pos);
					buf[pos] = "0123456789.+ "[(x >> 40) % 13];
					break;
				}
			}
			char err[512];
			pks_free(&scr);
			if (pks_parse(&scr, "t.pkt", buf, err, sizeof err) < 0) {
				int line;
				REQUIRE(sscanf(err, "t.pkt:%d: ", &line) == 1 && line >= 1,
				        "error without its line: %s", err);
				continue;
			}
			struct pkr_opts o = { .profile = "linux", .tolerance = -1,
			                      .seed = 1 };
			int st = pkr_run(&scr, &o, &res);
			REQUIRE(st == PKR_PASS || st == PKR_FAIL || st == PKR_SKIP ||
			        st == PKR_ERROR, "status %d", st);
			REQUIRE(st == PKR_PASS || strncmp(res.msg, "t.pkt:", 6) == 0,
			        "message without the script: %s", res.msg);
			outcomes[st == PKR_SKIP ? 3 : st]++;
		}
		free(buf);
		free(base);
	}
	/* the stream reaches every outcome but a runner error */
	ck_assert_int_gt(outcomes[PKR_PASS], 0);
	ck_assert_int_gt(outcomes[PKR_FAIL], 0);
	ck_assert_int_gt(outcomes[3], 0);
}
END_TEST

/* ==== synsim pkt ======================================================== */

START_TEST(test_cli_pass_writes_traces)
{
	use_dir("cli_pass");
	const char *out = in_dir("out");
	ck_assert_int_eq(SYNSIM("pkt", SOURCE_DIR "/tests/pkt/close-host-first.pkt",
	                        "--profile", "linux-6.18", "--out", out), 0);
	ck_assert_str_eq(syn_out, "PASS " SOURCE_DIR "/tests/pkt/close-host-"
	                 "first.pkt (linux-6.18, 14 events)\n");
	ck_assert_str_eq(syn_err, "");
	char *l = dir_listing(out, "");
	ck_assert_str_eq(l, "packets.csv\nstates.csv\ntrace.pcap\ntrace.pcapng\n"
	                 "trace.txt\n");
	free(l);
	char *states = read_file(in_dir("out/states.csv"), NULL);
	assert_has(states, ",host,1,FIN-WAIT-2,TIME-WAIT,");
	free(states);
	static const char *const files[] = { "packets.csv", "states.csv",
	                                     "trace.pcap", "trace.pcapng",
	                                     "trace.txt" };
	char *first[5];
	size_t len[5];
	for (int i = 0; i < 5; i++) {
		char p[64];
		snprintf(p, sizeof p, "out/%s", files[i]);
		first[i] = read_file(in_dir(p), &len[i]);
		ck_assert_ptr_nonnull(first[i]);
	}
	/* The ladder of the script's run: the host and the peer. */
	ck_assert_int_eq(SYNSIM("ladder", out, "--ascii"), 0);
	assert_has(syn_out, "host");
	assert_has(syn_out, "peer");
	assert_has(syn_out, "FIN-WAIT-1");
	/* Same script, same seed: the same files. */
	ck_assert_int_eq(SYNSIM("pkt", SOURCE_DIR "/tests/pkt/close-host-first.pkt",
	                        "--profile", "linux-6.18", "--out", out), 0);
	for (int i = 0; i < 5; i++) {
		char p[64];
		size_t n;
		snprintf(p, sizeof p, "out/%s", files[i]);
		char *again = read_file(in_dir(p), &n);
		ck_assert_msg(n == len[i] && memcmp(first[i], again, n) == 0,
		              "%s differs from run to run", files[i]);
		free(first[i]);
		free(again);
	}
}
END_TEST

START_TEST(test_cli_fail_skip_error)
{
	use_dir("cli_fail");
	/* A failing script still leaves its traces: the ladder shows
	 * where it parted from the script. */
	ck_assert_int_eq(SYNSIM("pkt", SOURCE_DIR "/tests/pkt/negative/"
	                        "wrong-ack.pkt", "--out", in_dir("out")), 1);
	ck_assert_str_eq(syn_out, "FAIL " SOURCE_DIR "/tests/pkt/negative/"
	                 "wrong-ack.pkt:17: the host's segment: ack differs\n"
	                 "  expected: 0.300000 > . 2:2(0) ack 3\n"
	                 "  actual:   0.300000 > . 2:2(0) ack 2 win 64240\n");
	char *l = dir_listing(in_dir("out"), ".csv");
	ck_assert_str_eq(l, "packets.csv\nstates.csv\n");
	free(l);
	ck_assert_int_eq(SYNSIM("pkt", SOURCE_DIR "/tests/pkt/negative/"
	                        "python.pkt", "--out", in_dir("skip")), 77);
	assert_has(syn_out, "SKIP ");
	assert_has(syn_out, "python.pkt:7: Python block");
	/* A skipped script writes nothing, not even its folder. */
	struct stat st;
	ck_assert_int_eq(stat(in_dir("skip"), &st), -1);
	write_file(in_dir("bad.pkt"), "0 close(3) = 0\n+0 < S 0:0(0) win 1x\n");
	ck_assert_int_eq(SYNSIM("pkt", in_dir("bad.pkt")), 2);
	char want[1200];
	snprintf(want, sizeof want, "synsim: %s:2: 'win' needs a number up to "
	         "65535\n", in_dir("bad.pkt"));
	ck_assert_str_eq(syn_err, want);
	ck_assert_int_eq(SYNSIM("pkt", in_dir("missing.pkt")), 2);
	assert_has(syn_err, "missing.pkt: No such file or directory");
	ck_assert_int_eq(SYNSIM("pkt", in_dir("bad.pkt"), "--profile", "bsd"), 2);
	assert_has(syn_err, "unknown profile 'bsd' (linux, linux-6.18, rfc)");
	ck_assert_int_eq(SYNSIM("pkt"), 2);
	assert_has(syn_err, "pkt: which script?");
	ck_assert_int_eq(SYNSIM("pkt", "--help"), 0);
	assert_has(syn_out, "77 skipped");
}
END_TEST

/* ==== synsim run --pkt ==================================================== */

/* Run scenario with -D profile=prof, writing host's script to dir;
 * returns run_scenario's status. */
static int
write_script(const char *dir, const char *scenario, const char *host,
             const char *prof, uint64_t seed)
{
	char param[64];
	snprintf(param, sizeof param, "profile=%s", prof);
	char *params[] = { param };
	struct run_opts o = { .scenario = scenario, .outdir = dir,
	                      .params = params, .nparams = 1, .seed = seed,
	                      .until = SIMTIME_MAX, .quiet = true,
	                      .pkt_host = host };
	return run_scenario(&o);
}

static const struct {
	const char *name, *hosts[2];
} rt_scenarios[] = {
	{ "handshake", { "client", "server" } },
	{ "lost-syn", { "client", "server" } },
	{ "lost-synack", { "client", "server" } },
	{ "lost-final-ack", { "client", "server" } },
	{ "outage", { "client", "server" } },
	{ "simultaneous", { "alice", "bob" } },
};
#define NRT ((int)(sizeof rt_scenarios / sizeof rt_scenarios[0]))
static const char *const rt_profiles[] = { "linux", "linux-6.18", "rfc" };

/* The script a run writes replays in synsim to a pass: every segment
 * of the host's at its time, every call's result. */
START_TEST(test_round_trip)
{
	const char *sc = rt_scenarios[_i % NRT].name;
	const char *host = rt_scenarios[_i % NRT].hosts[(_i / NRT) % 2];
	const char *prof = rt_profiles[_i / (2 * NRT)];
	char name[128], path[600], script[700];
	snprintf(name, sizeof name, "rt_%s_%s_%s", sc, host, prof);
	use_dir(name);
	snprintf(path, sizeof path, "%s/scenarios/%s.lua", SOURCE_DIR, sc);
	/* simultaneous.lua's own expectations pin times the linux-6.18
	 * timer wheel moves (exit 1); its outputs are written all the
	 * same. */
	ck_assert_int_ne(write_script(in_dir("out"), path, host, prof, 3), 2);
	snprintf(script, sizeof script, "%s/%s.pkt", in_dir("out"), host);
	char err[512];
	pks_free(&scr);
	ck_assert_msg(pks_parse_file(&scr, script, err, sizeof err) == 0, "%s",
	              err);
	ck_assert_str_eq(scr.skip, "");
	ck_assert_int_gt(scr.nev, 8);
	struct pkr_opts o = { .profile = prof, .tolerance = 0, .seed = 3,
	                      .host = host };
	/* Exactly: no tolerance at all, with the run's host and seed. */
	int st = pkr_run(&scr, &o, &res);
	ck_assert_msg(st == PKR_PASS, "%s %s %s: %s", sc, host, prof, res.msg);
	ck_assert_int_eq(res.events, scr.nev);
}
END_TEST

START_TEST(test_write_passive)
{
	use_dir("write_passive");
	ck_assert_int_eq(SYNSIM("run", SOURCE_DIR "/scenarios/handshake.lua",
	                        "--quiet", "--out", in_dir("out"), "--pkt",
	                        "server"), 0);
	char *t = read_file(in_dir("out/server.pkt"), NULL);
	ck_assert_ptr_nonnull(t);
	/* header, the listener, the handshake from the server's side */
	assert_has(t, "// The first connection of host server (profile linux):\n"
	           "// a passive open from 10.0.0.1:35655, port 80 here.\n"
	           "// Replay: synsim pkt FILE --profile linux --seed 1 --host "
	           "server\n\n"
	           "0.000000 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
	           "+0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0\n"
	           "+0 bind(3, ..., ...) = 0\n"
	           "+0 listen(3, 4096) = 0\n\n"
	           "0.050048 < S 0:0(0) win 64240 <mss 1460,sackOK,TS val ");
	assert_has(t, "\n0.050048 > S. 0:0(0) ack 1 win 64240 <mss 1460,"
	           "sackOK,TS val ");
	/* accept() once the third segment is in; the data's ACK goes
	 * before the read() that the delivery answers */
	assert_has(t, "\n0.150137600 accept(3, ..., ...) = 4\n"
	           "0.150259200 < P. 1:101(100) ack 1 win 501 <nop,nop,TS val ");
	assert_has(t, "\n0.150259200 > . 1:1(0) ack 101 win 501 ");
	assert_has(t, "\n0.150259200 read(4, ..., 100) = 100\n");
	assert_has(t, "\n0.150300800 read(4, ..., 1000) = 0\n"
	           "0.150300800 close(4) = 0\n"
	           "0.150300800 > F. 1:1(0) ack 102 win 501 ");
	free(t);
	/* the replay, through the command the header gives */
	ck_assert_int_eq(SYNSIM("pkt", in_dir("out/server.pkt"), "--profile",
	                        "linux", "--seed", "1", "--host", "server"), 0);
	assert_has(syn_out, "PASS ");
	/* Another run in the folder takes away the script it did not
	 * write, as it does its other outputs. */
	ck_assert_int_eq(SYNSIM("run", SOURCE_DIR "/scenarios/handshake.lua",
	                        "--quiet", "--out", in_dir("out"), "--pkt",
	                        "client"), 0);
	char *l = dir_listing(in_dir("out"), ".pkt");
	ck_assert_str_eq(l, "client.pkt\n");
	free(l);
	ck_assert_int_eq(SYNSIM("run", SOURCE_DIR "/scenarios/handshake.lua",
	                        "--quiet", "--out", in_dir("out")), 0);
	l = dir_listing(in_dir("out"), ".pkt");
	ck_assert_str_eq(l, "");
	free(l);
}
END_TEST

START_TEST(test_write_refused)
{
	/* An active open to a closed port: the RST+ACK, and ECONNREFUSED
	 * as SO_ERROR. */
	use_dir("write_refused");
	write_file(in_dir("s.lua"),
	    "local net = sim.network{ profile = 'linux' }\n"
	    "local c = net:host 'client'\n"
	    "local s = net:host 'server'\n"
	    "net:link(c, s, { delay = '10ms' })\n"
	    "c:connect(s, 81, {})\n"
	    "net:run{ ['until'] = '5s' }\n");
	ck_assert_int_eq(SYNSIM("run", in_dir("s.lua"), "--quiet", "--out",
	                        in_dir("out"), "--pkt", "client"), 0);
	char *t = read_file(in_dir("out/client.pkt"), NULL);
	ck_assert_ptr_nonnull(t);
	assert_has(t, "\n0.000000 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
	           "0.000000 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0\n"
	           "0.000000 connect(3, ..., ...) = -1 EINPROGRESS (Operation now "
	           "in progress)\n"
	           "0.000000 > S 0:0(0) win 64240 <mss 1460,sackOK,TS val ");
	assert_has(t, "\n0.020000 < R. 0:0(0) ack 1 win 0\n"
	           "0.020000 getsockopt(3, SOL_SOCKET, SO_ERROR, [ECONNREFUSED], "
	           "[4]) = 0\n");
	free(t);
	ck_assert_int_eq(SYNSIM("pkt", in_dir("out/client.pkt"), "--host",
	                        "client"), 0);
}
END_TEST

START_TEST(test_write_shutdown_abort)
{
	/* The server half-closes after sending; the client aborts at 1 s:
	 * shutdown(), SO_LINGER 0 and close(), the reset, and the
	 * server's ECONNRESET, and both replay. */
	use_dir("write_abort");
	write_file(in_dir("s.lua"),
	    "local net = sim.network{ profile = sim.param('profile', 'linux') }\n"
	    "local c = net:host 'client'\n"
	    "local s = net:host 'server'\n"
	    "net:link(c, s, { delay = '10ms' })\n"
	    "s:listen(80, { close = 'never', on_accept = function(conn)\n"
	    "  conn:send(300) conn:shutdown() end })\n"
	    "local conn = c:connect(s, 80, { send = 500, close = 'never' })\n"
	    "sim.at(1000000000, function() conn:abort() end)\n"
	    "net:run{ ['until'] = '5s' }\n");
	ck_assert_int_eq(SYNSIM("run", in_dir("s.lua"), "--quiet", "--out",
	                        in_dir("c"), "--pkt", "client"), 0);
	char *t = read_file(in_dir("c/client.pkt"), NULL);
	assert_has(t, "\n1.000000 setsockopt(3, SOL_SOCKET, SO_LINGER, "
	           "{onoff=1, linger=0}, 8) = 0\n1.000000 close(3) = 0\n"
	           "1.000000 > R. 501:501(0) ack 302 win 0\n");
	free(t);
	ck_assert_int_eq(SYNSIM("run", in_dir("s.lua"), "--quiet", "--out",
	                        in_dir("s"), "--pkt", "server"), 0);
	t = read_file(in_dir("s/server.pkt"), NULL);
	assert_has(t, "\n0.030000 write(4, ..., 300) = 300\n0.030000 > P. "
	           "1:301(300) ack 1 win 501 ");
	assert_has(t, "\n0.030000 shutdown(4, SHUT_WR) = 0\n0.030000 > F. "
	           "301:301(0) ack 1 win 501 ");
	assert_has(t, "\n1.010000 < R. 501:501(0) ack 302 win 0\n1.010000 "
	           "getsockopt(4, SOL_SOCKET, SO_ERROR, [ECONNRESET], [4]) = 0\n");
	free(t);
	ck_assert_int_eq(SYNSIM("pkt", in_dir("c/client.pkt"), "--host",
	                        "client"), 0);
	ck_assert_int_eq(SYNSIM("pkt", in_dir("s/server.pkt"), "--host",
	                        "server"), 0);
}
END_TEST

START_TEST(test_write_sysctls)
{
	/* The client's knobs that Linux has sysctls for are set in the
	 * script: without them its replay would send a timestamp and
	 * retry its SYN six times. */
	use_dir("write_sysctls");
	write_file(in_dir("s.lua"),
	    "local net = sim.network{ profile = 'linux' }\n"
	    "local c = net:host('client', { tcp = { syn_retries = 2,\n"
	    "                                      opt_ts = false } })\n"
	    "local s = net:host 'server'\n"
	    "local l = net:link(c, s, { delay = '10ms' })\n"
	    "l:drop{ from = c, flags = 'SYN', first = 10 }\n"
	    "s:listen(80)\n"
	    "c:connect(s, 80, {})\n"
	    "net:run{ ['until'] = '20s' }\n");
	ck_assert_int_eq(SYNSIM("run", in_dir("s.lua"), "--quiet", "--out",
	                        in_dir("out"), "--pkt", "client"), 0);
	char *t = read_file(in_dir("out/client.pkt"), NULL);
	assert_has(t, "\n\n`sysctl -q net.ipv4.tcp_syn_retries=2`\n"
	           "`sysctl -q net.ipv4.tcp_timestamps=0`\n\n"
	           "0.000000 socket(");
	/* The SYN timer on the client's wheel (seed 1; tests/tcp_fixture.h):
	 * 1 s from 0, 2 s and 4 s after each, on its ticks. */
	assert_has(t, "\n1.012792873 > S 0:0(0) win 64240 <mss 1460,nop,nop,sackOK,"
	           "nop,wscale 7>\n3.028792873 > S 0:0(0) win 64240 <mss 1460,nop,"
	           "nop,sackOK,nop,wscale 7>\n7.284792873 getsockopt(3, SOL_SOCKET, "
	           "SO_ERROR, [ETIMEDOUT], [4]) = 0\n");
	free(t);
	ck_assert_int_eq(SYNSIM("pkt", in_dir("out/client.pkt"), "--host",
	                        "client"), 0);
}
END_TEST

START_TEST(test_write_bulk)
{
	/* 200000 bytes in one send, then close: the window lets them out
	 * over many round trips, the FIN on the last.  One write() of it
	 * all (the PSH on the last segment ends it), before the close(). */
	use_dir("write_bulk");
	write_file(in_dir("s.lua"),
	    "local net = sim.network{ profile = sim.param('profile', 'linux') }\n"
	    "local c = net:host 'client'\n"
	    "local s = net:host 'server'\n"
	    "net:link(c, s, { delay = '10ms', rate = '10Mbps' })\n"
	    "s:listen(80, { close = 'on_eof' })\n"
	    "c:connect(s, 80, { send = 200000, close = 'after_send' })\n"
	    "net:run{ ['until'] = '30s' }\n");
	for (int i = 0; i < 3; i++) {
		char param[64];
		snprintf(param, sizeof param, "profile=%s", rt_profiles[i]);
		ck_assert_int_eq(SYNSIM("run", in_dir("s.lua"), "--quiet", "--out",
		                        in_dir("out"), "-D", param, "--pkt",
		                        "client"), 0);
		char *t = read_file(in_dir("out/client.pkt"), NULL);
		const char *wr = strstr(t, " write(");
		ck_assert_ptr_nonnull(wr);
		ck_assert_msg(strncmp(wr, " write(3, ..., 200000) = 200000\n", 32)
		              == 0, "%.40s", wr);
		ck_assert_ptr_null(strstr(wr + 1, " write("));
		ck_assert_ptr_nonnull(strstr(wr, " close(3) = 0\n"));
		free(t);
		ck_assert_int_eq(SYNSIM("pkt", in_dir("out/client.pkt"),
		                        "--profile", rt_profiles[i], "--host",
		                        "client"), 0);
	}
}
END_TEST

START_TEST(test_write_errors)
{
	use_dir("write_errors");
	ck_assert_int_eq(SYNSIM("run", SOURCE_DIR "/scenarios/handshake.lua",
	                        "--quiet", "--out", in_dir("out"), "--pkt",
	                        "nobody"), 2);
	ck_assert_str_eq(syn_err, "synsim: --pkt nobody: no connection of a host "
	                 "named nobody in this run\n");
	/* a failed run commits nothing, not even the folder */
	ck_assert_int_ne(access(in_dir("out"), F_OK), 0);
	ck_assert_int_eq(SYNSIM("run", SOURCE_DIR "/scenarios/handshake.lua",
	                        "--pkt"), 2);
	assert_has(syn_err, "--pkt needs a value");
}
END_TEST

/* ==== README ============================================================== */

/* s with every SOURCE_DIR "/" taken out (malloc'd). */
static char *
relative(const char *s)
{
	char *r = strdup(s);
	const char *pre = SOURCE_DIR "/";
	size_t n = strlen(pre);
	for (char *p; (p = strstr(r, pre)) != NULL;)
		memmove(p, p + n, strlen(p + n) + 1);
	return r;
}

/* The commands README's "Packetdrill scripts" shows, run with the
 * outcome it states. */
START_TEST(test_readme_examples)
{
	char *readme = read_file(SOURCE_DIR "/README.md", NULL);
	ck_assert_ptr_nonnull(readme);
	assert_has(readme, "synsim pkt tests/pkt/close-host-first.pkt --profile "
	           "linux-6.18 --out out/pkt\n"
	           "# PASS tests/pkt/close-host-first.pkt (linux-6.18, 14 events)\n"
	           "synsim ladder out/pkt ");
	use_dir("readme");
	ck_assert_int_eq(SYNSIM("pkt", SOURCE_DIR "/tests/pkt/close-host-first.pkt",
	                        "--profile", "linux-6.18", "--out", in_dir("pkt")),
	                 0);
	char *r = relative(syn_out);
	ck_assert_str_eq(r, "PASS tests/pkt/close-host-first.pkt (linux-6.18, "
	                 "14 events)\n");
	free(r);
	ck_assert_int_eq(SYNSIM("ladder", in_dir("pkt")), 0);
	assert_has(syn_out, "TIME-WAIT");
	ck_assert_int_eq(SYNSIM("plot", in_dir("pkt")), 0);
	char *l = dir_listing(in_dir("pkt"), ".png");
	ck_assert_str_eq(l, "ladder.png\nstates.png\n");
	free(l);
	/* A script run into a scenario run's folder takes away what plot
	 * and diff would read from that run; the script stays. */
	ck_assert_int_eq(SYNSIM("run", SOURCE_DIR "/scenarios/handshake.lua",
	                        "--quiet", "--out", in_dir("mix"), "--pkt",
	                        "server"), 0);
	ck_assert_int_eq(SYNSIM("plot", in_dir("mix")), 0);
	ck_assert_int_eq(SYNSIM("pkt", in_dir("mix/server.pkt"), "--host",
	                        "server", "--out", in_dir("mix")), 0);
	l = dir_listing(in_dir("mix"), "");
	ck_assert_str_eq(l, "packets.csv\nserver.pkt\nstates.csv\ntrace.pcap\n"
	                 "trace.pcapng\ntrace.txt\n");
	free(l);

	ck_assert_int_eq(SYNSIM("pkt", SOURCE_DIR "/tests/pkt/negative/"
	                        "wrong-ack.pkt"), 1);
	r = relative(syn_out);
	char block[1024];
	snprintf(block, sizeof block, "```\n%s```\n", r);
	assert_has(readme, block);
	free(r);

	assert_has(readme, "synsim run scenarios/lost-synack.lua --quiet --out "
	           "out/ls --pkt client\n"
	           "synsim pkt out/ls/client.pkt --profile linux --seed 1 --host "
	           "client\n# PASS out/ls/client.pkt (linux, 15 events)\n");
	ck_assert_int_eq(SYNSIM("run", SOURCE_DIR "/scenarios/lost-synack.lua",
	                        "--quiet", "--out", in_dir("ls"), "--pkt",
	                        "client"), 0);
	ck_assert_int_eq(SYNSIM("pkt", in_dir("ls/client.pkt"), "--profile",
	                        "linux", "--seed", "1", "--host", "client"), 0);
	char want[1200];
	snprintf(want, sizeof want, "PASS %s (linux, 15 events)\n",
	         in_dir("ls/client.pkt"));
	ck_assert_str_eq(syn_out, want);
	free(readme);
}
END_TEST

static Suite *
pkt_suite(void)
{
	Suite *s = suite_create("pkt");
	TCase *tc = tcase_create("scripts");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_loop_test(tc, test_suite_script, 0, 2 * NSCRIPTS);
	tcase_add_test(tc, test_every_script_listed);
	suite_add_tcase(s, tc);
	tc = tcase_create("runner");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, test_wrong_expectation);
	tcase_add_test(tc, test_python_skips);
	tcase_add_test(tc, test_unexpected_segment);
	tcase_add_test(tc, test_wrong_flags_and_options);
	tcase_add_test(tc, test_tolerance);
	tcase_add_test(tc, test_wheel_needs_range);
	tcase_add_test(tc, test_blocking_accept);
	tcase_add_test(tc, test_close_with_unread_data_resets);
	tcase_add_test(tc, test_call_results);
	tcase_add_test(tc, test_sysctl_out_of_range_skips);
	tcase_add_test(tc, test_mangled_scripts);
	suite_add_tcase(s, tc);
	tc = tcase_create("cli");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_cli_pass_writes_traces);
	tcase_add_test(tc, test_cli_fail_skip_error);
	suite_add_tcase(s, tc);
	tc = tcase_create("write");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, test_round_trip, 0, 2 * NRT * 3);
	tcase_add_test(tc, test_write_passive);
	tcase_add_test(tc, test_write_refused);
	tcase_add_test(tc, test_write_shutdown_abort);
	tcase_add_test(tc, test_write_sysctls);
	tcase_add_test(tc, test_write_bulk);
	tcase_add_test(tc, test_write_errors);
	tcase_add_test(tc, test_readme_examples);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(pkt_suite());
}
