/*
 * tcp_sack.h - private to tcp/: what a connection keeps for data that
 * arrives out of order and for loss recovery (tcp_sack.c).
 *
 * Receiver: the out-of-order queue (RFC 9293 3.10.7.4, seventh check:
 * segments beyond RCV.NXT are held), the SACK blocks it reports (RFC
 * 2018 4, most recent first) and a pending D-SACK (RFC 2883 4).
 *
 * Sender: one record per segment sent and not cumulatively acknowledged
 * (the scoreboard of RFC 6675 2 and the per-segment times RACK needs,
 * RFC 8985 5.2), the duplicate-ACK count, the recovery episode, and the
 * RACK state.
 *
 * Invariants (checked by tcp_sack_check in tests):
 *   1. the queue is sorted, its pieces disjoint, all beyond RCV.NXT;
 *   2. each SACK block beyond RCV.NXT is a maximal run of queued data
 *      (those RCV.NXT has passed go when the next ACK is built);
 *   3. the records are sorted, disjoint and contiguous, from SND.UNA
 *      (or a little before it, never) to SND.MAX;
 *   4. nsacked counts the records marked SACKED.
 */
#ifndef SYNSIM_TCP_SACK_H
#define SYNSIM_TCP_SACK_H

#include <stdbool.h>
#include <stdint.h>

#include "../core/simtime.h"
#include "../net/pkt.h"

/* A piece of data (and maybe the FIN) that arrived beyond RCV.NXT. */
struct tcp_ooo {
	uint32_t seq, end;	/* sequence space; end counts the FIN */
	bool fin;
	unsigned char *data;	/* the bytes, or NULL when only counted */
	struct tcp_ooo *next;
};

enum {
	TXS_SACKED = 0x01,	/* the peer reported it in a SACK block */
	TXS_LOST = 0x02,	/* deemed lost, not yet sent again */
	TXS_RETRANS = 0x04,	/* sent more than once */
};

/* A segment sent and not yet cumulatively acknowledged. */
struct tcp_txseg {
	uint32_t seq, end;	/* sequence space; end counts a FIN */
	simtime xmit;		/* its latest transmission */
	uint32_t xno;		/* ... and its place in the order of all
				 * transmissions, for ties in time */
	uint8_t mark;		/* TXS_* */
	uint8_t flags;		/* TH_PSH, TH_FIN as first sent */
};

struct tcp_sack {
	/* receiver */
	struct tcp_ooo *ooo;
	uint32_t blk[PKT_SACK_MAX][2];	/* most recent first */
	int nblk;
	uint32_t dsack[2];
	bool dsack_due;		/* goes out in the next segment with ACK */
	bool ack_now;		/* a hole filled: the next ACK goes at once */

	/* sender */
	struct tcp_txseg *txs;
	int ntxs, captxs;
	int nsacked;
	int dupacks;		/* RFC 5681 2 duplicate ACKs in a row */
	bool recovery;		/* in fast recovery / loss recovery */
	uint32_t recover;	/* RFC 6582 "recover", RFC 6675 RecoveryPoint */
	bool hold;		/* after a timeout: no fast recovery until
				 * recover is acknowledged */
	bool new_sack;		/* the ACK being taken SACKed new data */
	bool partial;		/* ... and was a partial ACK in recovery */
	simtime min_rtt;	/* 0: no sample yet */
	uint32_t xmits;		/* transmissions so far */
	bool rack_valid;
	simtime rack_xmit, rack_rtt;
	uint32_t rack_xno;
};

#endif
