/*
 * pcap.h - packet captures for Wireshark and tshark: real IPv4 and TCP
 * headers with correct checksums and options, timestamps from simulated
 * time in nanoseconds.
 *
 *   trace.pcap     every packet once, as its host sent it (merged view)
 *   trace.pcapng   the same, each packet with a comment saying what became
 *                  of it: dropped by which rule, which state changes its
 *                  arrival caused; one interface per link, named after
 *                  it, and the reproduce line as the section's comment
 *   <link>.pcap    per link: every packet that entered the link, at the
 *                  moment it entered (host sends and router forwards)
 *   host-<name>.pcap  per host: what tcpdump on it would capture, the
 *                  packets it sent (not one it had no route for) and
 *                  those it received, when they did
 */
#ifndef SYNSIM_PCAP_H
#define SYNSIM_PCAP_H

#include <stdint.h>
#include <stdio.h>

#include "../core/sim.h"
#include "trace.h"

/* The IPv4 packet of p (headers and payload) into buf; returns its
 * length (pkt_wire_len(p)), or 0 if buf is too small. */
size_t pcap_encode(const struct pkt *p, unsigned char *buf, size_t len);

struct pcap_rec;

struct outfile;

struct pcapsink {
	FILE *merged;		/* trace.pcap */
	const char *dir;	/* where per-link files go; NULL: none */
	struct outfile *links;	/* per link (2 x link id) and per host (2 x
				 * node id + 1), opened on first use */
	int nlinks;
	/* pcapng: a packet's record is kept until what happens to it (its
	 * drop, the states its arrival changed) is known, to be written as
	 * its comment.  Records are numbered in sending order: nrecs made,
	 * the first head written; record k is recs[k - base]. */
	FILE *ng;
	struct pcap_rec *recs;
	uint64_t nrecs, cap, head, base;
	uint64_t *by_id;	/* packet id -> record number + 1 */
	uint64_t ids;
	/* pcapng interfaces: one per link, named after it, described when
	 * its first packet is written (by link id: number + 1, 0 before),
	 * and one for packets that never got on a link (no route). */
	int *ifnum;
	int nifnum, nifs, noroute_if;
	uint64_t last_recv;	/* id of the packet being received, or 0 */
	simtime last_recv_t;	/* ... when and where (a node name, which */
	const char *last_recv_at;	/* lives as long as the run) */
	int oom;
};

void pcap_write_header(FILE *f);
void pcap_event(void *ctx, const struct trace_event *ev);
/* Start trace.pcapng in f, with comment (the reproduce line; NULL for
 * none) in its section header; records go to it as their packets' fates
 * are known, and pcap_finish_ng writes the rest (packets still in
 * flight).  The links must outlive the sink's last write. */
void pcap_start_ng(struct pcapsink *s, FILE *f, const char *comment);
void pcap_finish_ng(struct pcapsink *s);
/* Rename the per-link files into place (0), or -1 if one failed. */
int pcap_commit_links(struct pcapsink *s);
void pcap_free(struct pcapsink *s);

#endif
