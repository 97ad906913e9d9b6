/*
 * flood.h - a SYN flood: a node that sends bare SYNs at a steady rate from
 * spoofed source addresses, the way an attacker fills a listener's queue
 * of half-open connections.  No TCP stack is involved: the SYN-ACKs go to
 * addresses nobody has and are dropped on the way.
 */
#ifndef SYNSIM_FLOOD_H
#define SYNSIM_FLOOD_H

#include "../core/rng.h"
#include "net.h"

struct flood {
	struct sim_event ev;
	struct node *from;
	uint32_t dst;
	uint16_t dport;
	simtime interval;	/* between SYNs */
	simtime stop;		/* last SYN no later than this */
	bool spoof;		/* random sources in 198.18.0.0/15 */
	struct rng rng;
	uint64_t sent;
	struct flood *next;	/* the network's list */
};

/* Start a flood at time start; the network owns and frees it. */
struct flood *flood_start(struct node *from, uint32_t dst, uint16_t dport,
                          simtime start, simtime stop, simtime interval,
                          bool spoof);
/* Cancel the pending events of every flood and free them (net_free). */
void flood_free_all(struct net *net);

#endif
