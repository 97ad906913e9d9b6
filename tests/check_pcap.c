/*
 * check_pcap.c - the capture files: headers and checksums as encoded, and
 * what tshark makes of a run (no warning or error of its expert system,
 * the handshake and the retransmissions recognised, the comments shown).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "net/pkt.h"
#include "trace/pcap.h"

static uint16_t
ones_sum(const unsigned char *b, size_t n, uint32_t acc)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		acc += (uint32_t)b[i] << 8 | b[i + 1];
	if (n & 1)
		acc += (uint32_t)b[n - 1] << 8;
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return (uint16_t)acc;
}

START_TEST(test_encode_syn)
{
	struct pkt p = { .src = 0x0a000001, .dst = 0x0a000002, .ip_id = 7,
	                 .ttl = 64, .sport = 40000, .dport = 80, .seq = 1000,
	                 .flags = TH_SYN, .wnd = 64240 };
	p.opt = (struct tcp_opts){ .present = OPT_MSS | OPT_WSCALE | OPT_SACKOK |
	                           OPT_TS, .mss = 1460, .wscale = 7,
	                           .tsval = 5, .tsecr = 0 };
	unsigned char b[128];
	size_t n = pcap_encode(&p, b, sizeof b);
	ck_assert_uint_eq(n, 60);	/* 20 IP + 20 TCP + 20 options */
	ck_assert_uint_eq(b[0], 0x45);
	ck_assert_uint_eq(b[2] << 8 | b[3], 60);
	ck_assert_uint_eq(b[9], 6);
	/* Header checksums verify: the sum over the header is 0xffff. */
	ck_assert_uint_eq(ones_sum(b, 20, 0), 0xffff);
	unsigned char pseudo[12] = { 10, 0, 0, 1, 10, 0, 0, 2, 0, 6, 0, 40 };
	ck_assert_uint_eq(ones_sum(b + 20, 40, ones_sum(pseudo, 12, 0)), 0xffff);
	/* Data offset 10 words, flags SYN, options as Linux lays them out. */
	ck_assert_uint_eq(b[32], 10 << 4);
	ck_assert_uint_eq(b[33], TH_SYN);
	static const unsigned char opts[20] = {
		2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 5, 0, 0, 0, 0, 1, 3, 3, 7,
	};
	ck_assert_mem_eq(b + 40, opts, 20);
	/* Too small a buffer is refused, not overrun. */
	ck_assert_uint_eq(pcap_encode(&p, b, 59), 0);
}
END_TEST

/* RFC 2018 3 beside timestamps, as Linux lays it out: NOP NOP TS, then
 * NOP NOP and kind 5, length 2 + 8n, n left/right edge pairs.  Three
 * blocks fill the 40 bytes. */
START_TEST(test_encode_sack_blocks)
{
	struct pkt p = { .src = 0x0a000001, .dst = 0x0a000002, .ttl = 64,
	                 .sport = 80, .dport = 40000, .seq = 1, .ack = 1001,
	                 .flags = TH_ACK, .wnd = 501 };
	p.opt = (struct tcp_opts){ .present = OPT_TS | OPT_SACK, .tsval = 9,
	                           .tsecr = 8, .nsack = 3,
	                           .sack = { { 1, 1001 }, { 3001, 4001 },
	                                     { 0x10000, 0x20000 } } };
	unsigned char b[128];
	ck_assert_uint_eq(pcap_encode(&p, b, sizeof b), 80);
	ck_assert_uint_eq(b[32], 15 << 4);	/* 60-byte TCP header */
	static const unsigned char opts[40] = {
		1, 1, 8, 10, 0, 0, 0, 9, 0, 0, 0, 8,
		1, 1, 5, 26,
		0, 0, 0, 1, 0, 0, 0x03, 0xe9,
		0, 0, 0x0b, 0xb9, 0, 0, 0x0f, 0xa1,
		0, 1, 0, 0, 0, 2, 0, 0,
	};
	ck_assert_mem_eq(b + 40, opts, 40);
	unsigned char pseudo[12] = { 10, 0, 0, 1, 10, 0, 0, 2, 0, 6, 0, 60 };
	ck_assert_uint_eq(ones_sum(b + 20, 60, ones_sum(pseudo, 12, 0)), 0xffff);
	/* without timestamps, four blocks: 4 + 32 bytes */
	p.opt = (struct tcp_opts){ .present = OPT_SACK, .nsack = 4 };
	ck_assert_uint_eq(pkt_opts_len(&p.opt), 36);
}
END_TEST

START_TEST(test_encode_data_odd_length)
{
	unsigned char data[3] = { 'a', 'b', 'c' };
	struct pkt p = { .src = 0x0a000001, .dst = 0x0a000002, .ttl = 64,
	                 .sport = 1, .dport = 2, .seq = 9, .ack = 10,
	                 .flags = TH_ACK | TH_PSH, .wnd = 100, .len = 3,
	                 .data = data };
	unsigned char b[128];
	ck_assert_uint_eq(pcap_encode(&p, b, sizeof b), 43);
	unsigned char pseudo[12] = { 10, 0, 0, 1, 10, 0, 0, 2, 0, 6, 0, 23 };
	ck_assert_uint_eq(ones_sum(b + 20, 23, ones_sum(pseudo, 12, 0)), 0xffff);
	ck_assert_mem_eq(b + 40, "abc", 3);
}
END_TEST

/* Run a shell command, return its stdout (malloc'd). */
static char *
sh(const char *cmd)
{
	FILE *f = popen(cmd, "r");
	ck_assert_ptr_nonnull(f);
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	while ((n += fread(buf + n, 1, cap - n - 1, f)) == cap - 1) {
		cap *= 2;
		buf = realloc(buf, cap);
	}
	buf[n] = '\0';
	pclose(f);
	return buf;
}

static const char *
run_scenario(const char *name)
{
	static char out[1024];
	char scen[1024];
	snprintf(out, sizeof out, "%s", test_dir(name));
	snprintf(scen, sizeof scen, "%s/scenarios/%s.lua", SOURCE_DIR, name);
	ck_assert_int_eq(run_synsim(NULL, NULL, "run", scen, "--quiet", "--out",
	                            out, NULL), 0);
	return out;
}

/* ---- pcapng records, written as fates become known ------------------------ */

static void
feed(struct pcapsink *s, simtime t, enum trace_pkt_op op, const char *node,
     const struct pkt *p)
{
	struct trace_event ev = { .kind = TR_PKT, .t = t, .node = node };
	ev.u.pkt.op = op;
	ev.u.pkt.pkt = p;
	pcap_event(s, &ev);
}

/* The comments of the packet blocks in f so far, one per line, or with
 * names, the names of its interfaces ("if <number> <name>"). */
static const char *
read_blocks(FILE *f, bool names)
{
	static char out[1024];
	out[0] = '\0';
	fflush(f);
	long end = ftell(f);
	unsigned char b[256];
	for (long at = 0; at < end;) {
		fseek(f, at, SEEK_SET);
		ck_assert_uint_eq(fread(b, 1, 8, f), 8);
		uint32_t type = b[0], len = (uint32_t)(b[4] | b[5] << 8 |
		                                       b[6] << 16 |
		                                       (uint32_t)b[7] << 24);
		ck_assert(len <= sizeof b && len % 4 == 0);
		ck_assert_uint_eq(fread(b + 8, 1, len - 8, f), len - 8);
		ck_assert_mem_eq(b + len - 4, b + 4, 4);	/* length twice */
		at += len;
		if (type == 1 && names) {	/* IDB: its if_name first */
			ck_assert_uint_eq(b[16] | b[17] << 8, 2);
			char line[80];
			snprintf(line, sizeof line, "if %.*s\n", b[18] | b[19] << 8,
			         (const char *)b + 20);
			strcat(out, line);
		}
		if (type != 6 || names)
			continue;
		uint32_t caplen = (uint32_t)(b[20] | b[21] << 8);
		size_t opt = 28 + ((caplen + 3) & ~3u);
		size_t clen = opt + 4 <= len - 4 ? (size_t)(b[opt + 2] | b[opt + 3] << 8)
		                                 : 0;
		strncat(out, (const char *)b + opt + 4, clen);
		strcat(out, "\n");
	}
	fseek(f, end, SEEK_SET);
	return out;
}

static const char *
blocks(FILE *f)
{
	return read_blocks(f, false);
}

START_TEST(test_pcapng_written_as_fates_known)
{
	FILE *f = tmpfile();
	ck_assert_ptr_nonnull(f);
	struct pcapsink s = { 0 };
	pcap_start_ng(&s, f, NULL);
	struct pkt a = { .id = 1, .src = 1, .dst = 2, .ttl = 64, .flags = TH_SYN };
	struct pkt b = a, a2 = a, c = a;
	b.id = 2;
	a2.id = 3;
	a2.dup_of = 1;
	c.id = 4;
	feed(&s, 0, PKT_SEND, "h1", &a);
	feed(&s, 1, PKT_SEND, "h1", &b);
	feed(&s, 2, PKT_DUP, "l", &a2);
	feed(&s, 3, PKT_RECV, "h2", &b);
	/* b is done, but a, sent first, is not: nothing yet. */
	feed(&s, 4, PKT_RECV, "h2", &a);
	feed(&s, 5, PKT_SEND, "h1", &c);
	ck_assert_str_eq(blocks(f), "");	/* a's duplicate still flies */
	feed(&s, 6, PKT_DROP, "l", &a2);
	feed(&s, 6, PKT_DROP, "h2", &a);	/* ignored after arrival */
	ck_assert_str_eq(blocks(f), "");	/* its instant is not over */
	feed(&s, 7, PKT_RECV, "h2", &c);
	ck_assert_str_eq(blocks(f),
		"sent by h1; duplicated by l; received by h2; dropped at l: "
		"(its duplicate) lost; dropped at h2: lost\n"
		"sent by h1; received by h2\n");
	ck_assert_uint_eq(s.head, 2);
	/* The rest goes out at the end, in flight or not. */
	struct pkt d = a;
	d.id = 5;
	feed(&s, 8, PKT_SEND, "h1", &d);
	pcap_finish_ng(&s);
	ck_assert_str_eq(blocks(f),
		"sent by h1; duplicated by l; received by h2; dropped at l: "
		"(its duplicate) lost; dropped at h2: lost\n"
		"sent by h1; received by h2\n"
		"sent by h1; received by h2\n"
		"sent by h1\n");
	/* None of them got on a link: one interface for them all. */
	ck_assert_str_eq(read_blocks(f, true), "if no-route\n");
	pcap_free(&s);
	fclose(f);
}
END_TEST

/* A duplicate of a duplicate (two duplicating links in a row) still
 * tells on the original, and holds it back until it lands too. */
START_TEST(test_pcapng_duplicate_of_duplicate)
{
	FILE *f = tmpfile();
	ck_assert_ptr_nonnull(f);
	struct pcapsink s = { 0 };
	pcap_start_ng(&s, f, NULL);
	struct pkt a = { .id = 1, .src = 1, .dst = 2, .ttl = 64, .flags = TH_SYN };
	struct pkt a2 = a, a3 = a, b = a;
	a2.id = 2;
	a2.dup_of = 1;
	a3.id = 3;
	a3.dup_of = 2;
	b.id = 4;
	feed(&s, 0, PKT_SEND, "h1", &a);
	feed(&s, 1, PKT_DUP, "l1", &a2);
	feed(&s, 2, PKT_DUP, "l2", &a3);
	feed(&s, 3, PKT_RECV, "h2", &a);
	feed(&s, 4, PKT_RECV, "h2", &a2);
	feed(&s, 5, PKT_SEND, "h1", &b);
	ck_assert_str_eq(blocks(f), "");	/* a3 still on its way */
	feed(&s, 6, PKT_DROP, "l3", &a3);
	feed(&s, 7, PKT_RECV, "h2", &b);
	ck_assert_str_eq(blocks(f),
		"sent by h1; duplicated by l1; duplicated by l2; received by h2; "
		"received by h2; dropped at l3: (its duplicate) lost\n");
	pcap_finish_ng(&s);
	pcap_free(&s);
	fclose(f);
}
END_TEST

/* tshark reads file with valid checksums and finds nothing malformed;
 * warnings only where its sequence analysis is expected to give them
 * (a run that loses data has out-of-order segments). */
static void
assert_clean_warns(const char *file, bool warns_ok)
{
	char cmd[2048];
	snprintf(cmd, sizeof cmd, "tshark -r '%s' -o ip.check_checksum:TRUE "
	         "-o tcp.check_checksum:TRUE -q -z expert 2>&1", file);
	char *r = sh(cmd);
	ck_assert_msg(strstr(r, "Chats (") != NULL, "tshark did not read %s:\n%s",
	              file, r);
	ck_assert_msg(strstr(r, "Errors (") == NULL &&
	              (warns_ok || strstr(r, "Warns (") == NULL) &&
	              strstr(r, "Malformed") == NULL,
	              "tshark complains about %s:\n%s", file, r);
	free(r);
}

static void
assert_clean(const char *file)
{
	assert_clean_warns(file, false);
}

START_TEST(test_tshark_lost_synack)
{
	const char *dir = run_scenario("lost-synack");
	char f[1200], cmd[2048];
	const char *files[] = { "trace.pcap", "trace.pcapng",
	                        "link-client-server.pcap" };
	for (int i = 0; i < 3; i++) {
		snprintf(f, sizeof f, "%s/%s", dir, files[i]);
		assert_clean(f);
	}
	snprintf(cmd, sizeof cmd, "tshark -r '%s/trace.pcap' -T fields "
	         "-e frame.number -e tcp.flags.str "
	         "-Y 'tcp.flags.syn == 1' 2>/dev/null", dir);
	char *r = sh(cmd);
	/* The SYN, the lost SYN-ACK, the SYN again and its answer (the
	 * server's own timer is set again by that answer before it fires,
	 * on its timer wheel: tests/golden/lost-synack.trace.txt). */
	ck_assert_str_eq(r, "1\t··········S·\n2\t·······A··S·\n3\t··········S·\n"
	                    "4\t·······A··S·\n");
	free(r);
	snprintf(cmd, sizeof cmd, "tshark -r '%s/trace.pcap' -T fields "
	         "-e frame.number -Y tcp.analysis.retransmission 2>/dev/null", dir);
	r = sh(cmd);
	ck_assert_str_eq(r, "3\n4\n");
	free(r);
	/* Each packet on the interface named after the link it was sent
	 * on; the section's comment is the reproduce line. */
	snprintf(cmd, sizeof cmd, "tshark -r '%s/trace.pcapng' -T fields "
	         "-e frame.interface_name 2>/dev/null | sort | uniq -c", dir);
	r = sh(cmd);
	ck_assert_str_eq(r, "     10 client-server\n");
	free(r);
	snprintf(cmd, sizeof cmd, "capinfos -k '%s/trace.pcapng' 2>&1 | "
	         "grep -c 'Capture comment: *synsim run .*lost-synack.lua "
	         "--seed 1$'", dir);
	r = sh(cmd);
	ck_assert_str_eq(r, "1\n");
	free(r);
	snprintf(cmd, sizeof cmd, "tshark -r '%s/trace.pcapng' -T fields "
	         "-e frame.comment -Y frame.number==2 2>/dev/null", dir);
	r = sh(cmd);
	ck_assert_str_eq(r, "sent by server; dropped at client-server: rule #1: "
	                    "1st SYN+ACK from server\n");
	free(r);
	/* A state change is told on the packet that caused it; the end of
	 * TIME-WAIT, 60 s after the last packet, is no packet's doing. */
	snprintf(cmd, sizeof cmd, "tshark -r '%s/trace.pcapng' -T fields "
	         "-e frame.comment -Y 'frame.number>=9' 2>/dev/null", dir);
	r = sh(cmd);
	ck_assert_str_eq(r, "sent by server; received by client; client #1 "
	                    "FIN-WAIT-1 → FIN-WAIT-2; client #1 FIN-WAIT-2 → "
	                    "TIME-WAIT\n"
	                    "sent by client; received by server; server #1 "
	                    "LAST-ACK → CLOSED\n");
	free(r);
	/* Relative sequence numbers agree with packets.csv: the data
	 * segment is seq 1, 100 bytes. */
	snprintf(cmd, sizeof cmd, "tshark -r '%s/trace.pcap' -T fields "
	         "-e tcp.seq -e tcp.len -Y 'tcp.len > 0' 2>/dev/null", dir);
	r = sh(cmd);
	ck_assert_str_eq(r, "1\t100\n");
	free(r);
}
END_TEST

/* A router with no route answers ICMP host unreachable: a real ICMP
 * packet (IPv4 protocol 1, valid checksums outside and in the quote)
 * quoting the client's SYN, as tshark decodes it; an ICMP row in
 * packets.csv and a line in the narration. */
START_TEST(test_tshark_icmp_unreachable)
{
	const char *dir = run_scenario("refused-timeout-unreachable");
	char f[1200], cmd[2048];
	const char *files[] = { "trace.pcap", "trace.pcapng",
	                        "link-hostunreach-r.pcap" };
	for (int i = 0; i < 3; i++) {
		snprintf(f, sizeof f, "%s/%s", dir, files[i]);
		assert_clean_warns(f, true);	/* the refused client's RST */
	}
	snprintf(cmd, sizeof cmd, "tshark -r '%s/trace.pcap' "
	         "-o ip.check_checksum:TRUE -T fields -e frame.time_relative "
	         "-e ip.proto -e ip.src -e ip.dst -e ip.checksum.status "
	         "-e icmp.type -e icmp.code -e icmp.checksum.status -Y icmp "
	         "2>/dev/null", dir);
	char *r = sh(cmd);
	/* Outer header r -> hostunreach, then the quoted SYN's. */
	ck_assert_str_eq(r, "0.025000000\t1,6\t10.0.0.2,10.0.0.6\t"
	                    "10.0.0.6,10.9.9.10\t1,1\t3\t1\t1\n");
	free(r);
	/* The quoted ports and sequence number are those of the SYN (tshark
	 * gives a quoted segment's number as it is, in tcp.seq). */
	snprintf(cmd, sizeof cmd, "tshark -r '%s/trace.pcap' -T fields "
	         "-e tcp.srcport -e tcp.dstport -e tcp.seq_raw "
	         "-Y 'ip.src == 10.0.0.6 && tcp.flags.syn == 1' 2>/dev/null; "
	         "tshark -r '%s/trace.pcap' -T fields -e tcp.srcport "
	         "-e tcp.dstport -e tcp.seq -Y icmp 2>/dev/null", dir, dir);
	r = sh(cmd);
	char *nl = strchr(r, '\n');
	ck_assert_ptr_nonnull(nl);
	ck_assert_msg(strncmp(r, nl + 1, (size_t)(nl - r + 1)) == 0 &&
	              strlen(nl + 1) == (size_t)(nl - r + 1), "%s", r);
	free(r);
	snprintf(f, sizeof f, "%s/packets.csv", dir);
	char *csv = read_file(f, NULL);
	ck_assert_ptr_nonnull(csv);
	ck_assert_ptr_nonnull(strstr(csv, "\n25000000,4,r,hostunreach-r,"
	                             "hostunreach,r,hostunreach,send,ICMP,,,,,0,"
	                             "0,64,,no route (RFC 1812 5.2.7.1),,,"));
	ck_assert_ptr_nonnull(strstr(csv, "\n50000000,4,hostunreach,"
	                             "hostunreach-r,hostunreach,r,hostunreach,"
	                             "recv,ICMP,,,,,0,0,64,,,,,"));
	free(csv);
	snprintf(f, sizeof f, "%s/trace.txt", dir);
	char *txt = read_file(f, NULL);
	ck_assert_ptr_nonnull(txt);
	ck_assert_ptr_nonnull(strstr(txt, "   0.025000s  r             sends ICMP "
	                             "host unreachable for SYN to 10.9.9.10:80 "
	                             "to hostunreach: no route (RFC 1812 "
	                             "5.2.7.1)\n"));
	ck_assert_ptr_nonnull(strstr(txt, "   0.050000s  hostunreach   #1 SYN-SENT "
	                             "→ CLOSED (ICMP host unreachable)\n"));
	free(txt);
}
END_TEST

/* The outage: the SACK blocks of the server's duplicate ACKs, as tshark
 * decodes them (relative edges), and in packets.csv. */
START_TEST(test_tshark_sack_blocks)
{
	const char *dir = run_scenario("outage");
	char f[1200], cmd[2048];
	snprintf(f, sizeof f, "%s/trace.pcap", dir);
	assert_clean_warns(f, true);
	char *r;
	snprintf(cmd, sizeof cmd, "tshark -r '%s' -T fields -e tcp.ack "
	         "-e tcp.options.sack_le -e tcp.options.sack_re "
	         "-Y tcp.options.sack 2>/dev/null", f);
	r = sh(cmd);
	ck_assert_str_eq(r, "9001\t11001\t12001\n9001\t11001\t13001\n"
	                    "10001\t11001\t13001\n");
	free(r);
	snprintf(cmd, sizeof cmd, "grep -c 'ts=[0-9]*/[0-9]*;sack=[0-9]*-[0-9]*,' "
	         "'%s/packets.csv'", dir);
	r = sh(cmd);
	ck_assert_str_eq(r, "6\n");	/* 3 ACKs, each sent and received */
	free(r);
}
END_TEST

START_TEST(test_tshark_handshake_stream)
{
	const char *dir = run_scenario("handshake");
	char f[1200], cmd[2048];
	snprintf(f, sizeof f, "%s/trace.pcap", dir);
	assert_clean(f);
	/* One stream, which tshark's conversation analysis finds complete:
	 * 31 = SYN (1) + SYN-ACK (2) + ACK (4) + data (8) + FIN (16). */
	snprintf(cmd, sizeof cmd, "tshark -2 -r '%s' -T fields -e tcp.stream "
	         "-e tcp.completeness -Y 'tcp.len > 0' 2>/dev/null", f);
	char *r = sh(cmd);
	ck_assert_str_eq(r, "0\t31\n");
	free(r);
}
END_TEST

/* What tcpdump on each host would have seen: the client never sees the
 * SYN-ACK lost on the link (its 9 packets: the trace's 10 less that
 * one), the server sees all 10, including the lost one it sent; in the
 * client's capture its SYN goes again at 1.012792873 s (its timer wheel,
 * tests/tcp_fixture.h) and the SYN-ACK that got through comes in at
 * 1.112888873 s. */
START_TEST(test_tshark_host_captures)
{
	const char *dir = run_scenario("lost-synack");
	char f[1200], cmd[2048];
	const char *hosts[] = { "client", "server" };
	const char *want[] = { "9\n", "10\n" };
	for (int i = 0; i < 2; i++) {
		snprintf(f, sizeof f, "%s/host-%s.pcap", dir, hosts[i]);
		assert_clean(f);
		snprintf(cmd, sizeof cmd, "tshark -r '%s' 2>/dev/null | wc -l", f);
		char *r = sh(cmd);
		ck_assert_str_eq(r, want[i]);
		free(r);
	}
	snprintf(cmd, sizeof cmd, "tshark -r '%s/host-client.pcap' -T fields "
	         "-e frame.time_epoch -e tcp.flags.str "
	         "-Y 'tcp.flags.syn == 1' 2>/dev/null", dir);
	char *r = sh(cmd);
	ck_assert_str_eq(r, "0.000000000\t··········S·\n"
	                    "1.012792873\t··········S·\n"
	                    "1.112888873\t·······A··S·\n");
	free(r);
	/* The server's: the SYN arriving, its SYN-ACK going out (and lost
	 * after it left), both at 50.048 ms. */
	snprintf(cmd, sizeof cmd, "tshark -r '%s/host-server.pcap' -T fields "
	         "-e frame.time_epoch -e ip.src -c 2 2>/dev/null", dir);
	r = sh(cmd);
	ck_assert_str_eq(r, "0.050048000\t10.0.0.1\n0.050048000\t10.0.0.2\n");
	free(r);
}
END_TEST

static Suite *
pcap_suite(void)
{
	Suite *s = suite_create("pcap");
	TCase *tc = tcase_create("encode");
	tcase_add_test(tc, test_encode_syn);
	tcase_add_test(tc, test_encode_data_odd_length);
	tcase_add_test(tc, test_encode_sack_blocks);
	tcase_add_test(tc, test_pcapng_written_as_fates_known);
	tcase_add_test(tc, test_pcapng_duplicate_of_duplicate);
	suite_add_tcase(s, tc);
	tc = tcase_create("tshark");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_tshark_lost_synack);
	tcase_add_test(tc, test_tshark_icmp_unreachable);
	tcase_add_test(tc, test_tshark_handshake_stream);
	tcase_add_test(tc, test_tshark_host_captures);
	tcase_add_test(tc, test_tshark_sack_blocks);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(pcap_suite());
}
