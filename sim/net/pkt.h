/*
 * pkt.h - a packet: an IPv4 header's worth of addressing plus one TCP
 * segment, as the network and the trace sinks see it.
 *
 * Fields hold the values that go on the wire (sequence numbers absolute,
 * window unscaled), so the pcap sink can write real headers from them.
 * Packets come from a per-network pool (net_pkt_alloc) and embed the event
 * that moves them along a link: a packet in flight allocates nothing.
 */
#ifndef SYNSIM_PKT_H
#define SYNSIM_PKT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/sched.h"

/* TCP header flags, in their wire bit positions (RFC 9293 3.1). */
enum {
	TH_FIN = 0x01,
	TH_SYN = 0x02,
	TH_RST = 0x04,
	TH_PSH = 0x08,
	TH_ACK = 0x10,
	TH_URG = 0x20,
	TH_ECE = 0x40,
	TH_CWR = 0x80,
};

/* Which options a segment carries. */
enum {
	OPT_MSS = 0x01,
	OPT_WSCALE = 0x02,
	OPT_SACKOK = 0x04,
	OPT_TS = 0x08,
	OPT_SACK = 0x10,	/* SACK blocks, RFC 2018 3 */
};

/* ICMP Destination Unreachable and its code for a host (RFC 792). */
enum {
	ICMP_UNREACH = 3,
	ICMP_UNREACH_HOST = 1,
};
/* What an ICMP error quotes: IPv4 header and 8 bytes of TCP (RFC 792). */
#define PKT_ICMP_QUOTE 28

/* At most 4 SACK blocks fit in the 40 bytes of option space, 3 beside
 * timestamps (RFC 2018 3). */
#define PKT_SACK_MAX 4

struct tcp_opts {
	uint8_t present;	/* OPT_* bits */
	uint8_t wscale;		/* shift count, RFC 7323 2.2 */
	uint16_t mss;
	uint32_t tsval, tsecr;	/* RFC 7323 3.2 */
	uint8_t nsack;		/* SACK blocks, first the most recent (or a
				 * D-SACK, RFC 2883 4) */
	uint32_t sack[PKT_SACK_MAX][2];	/* left and right edge */
};

struct link;
struct node;

struct pkt {
	struct sim_event ev;	/* moves the packet along a link */
	uint64_t id;		/* creation order within the run, from 1 */
	uint64_t dup_of;	/* id of the packet this duplicates, or 0 */

	/* IPv4 */
	uint32_t src, dst;	/* addresses, host byte order */
	uint16_t ip_id;
	uint8_t ttl;

	/* TCP */
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;		/* TH_* */
	uint16_t wnd;		/* as on the wire (unscaled) */
	struct tcp_opts opt;
	uint32_t len;		/* payload bytes */
	unsigned char *data;	/* payload content, or NULL (zeros) */

	/* Where it is: set by the network while the packet moves. */
	struct link *link;	/* link it is on, or NULL */
	int dir;		/* direction on that link: 0 a->b, 1 b->a */
	uint32_t link_downs;	/* the link's downs when it got on */
	simtime sent_at;	/* when it entered the link */
	simtime extra_delay;	/* added by a delay rule or a hold */
	const char *why;	/* why the sender sent it ("retransmission ...") */
	/* The sender had sent this sequence space before: a timeout's
	 * retransmission, a loss probe, a SYN-ACK repeated for a repeated
	 * SYN.  Set by TCP, kept across hops and by a duplicate. */
	bool retx;

	/* ICMP (RFC 792): set, the packet is an ICMP error from a router
	 * about an earlier TCP segment, whose IPv4 header and first 8 bytes
	 * of TCP it quotes (RFC 1812 4.3.2.3); the TCP fields above are then
	 * zero and unused. */
	bool icmp;
	uint8_t icmp_type, icmp_code;	/* ICMP_UNREACH, ICMP_UNREACH_HOST */
	struct pkt_quote {
		uint32_t src, dst;
		uint16_t ip_id, ip_len;
		uint8_t ttl, flags;	/* flags: for narration only */
		uint16_t sport, dport;
		uint32_t seq;
	} quote;
	struct pkt *next;	/* queue or free list */
	struct pkt *all;	/* every packet the pool ever made */
};

/* Length of the TCP options on the wire, padded to 4 bytes. */
size_t pkt_opts_len(const struct tcp_opts *o);
/* Total IPv4 packet length: 20 + TCP header + options + payload, or
 * for ICMP 20 + 8 + the quote. */
uint32_t pkt_wire_len(const struct pkt *p);
/* Sequence space the segment occupies: payload + SYN + FIN. */
uint32_t pkt_seg_len(const struct pkt *p);

/* "SYN+ACK", "FIN+ACK", "ACK", "RST" (in that fixed order of flags). */
const char *pkt_flags_str(uint8_t flags, char *buf, size_t len);
/* The flags column of a packet: "ICMP" for an ICMP message, else its
 * TCP flags as pkt_flags_str. */
const char *pkt_kind_str(const struct pkt *p, char *buf, size_t len);
/* Make icmp (fresh from the pool) the ICMP error type/code about p. */
void pkt_icmp_about(struct pkt *icmp, const struct pkt *p, uint8_t type,
                    uint8_t code);
/* Parse "SYN+ACK" into flags; -1 on an unknown name. */
int pkt_flags_parse(const char *text, uint8_t *flags);

/* Hash of a 4-tuple, for tables that are only looked up, never walked
 * (so their layout cannot reach any output). */
static inline uint32_t
pkt_tuple_hash(uint32_t src, uint16_t sport, uint32_t dst, uint16_t dport)
{
	uint64_t x = ((uint64_t)src << 32 | dst) ^
	             ((uint64_t)sport << 16 | dport) * 0x9e3779b97f4a7c15u;
	x ^= x >> 31;
	x *= 0xbf58476d1ce4e5b9u;
	x ^= x >> 29;
	return (uint32_t)x;
}

/* "10.0.0.2" */
const char *pkt_addr_str(uint32_t addr, char *buf, size_t len);
/* Parse dotted quad; -1 if malformed. */
int pkt_addr_parse(const char *text, uint32_t *addr);

#endif
