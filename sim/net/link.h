/*
 * link.h - point-to-point duplex links; each direction has its own
 * parameters, queue and random streams.
 *
 * A packet sent on a direction waits in a drop-tail queue while the
 * transmitter is busy, takes bits/rate to serialize, then propagation
 * delay to arrive.  The packet's embedded event fires twice: at the end of
 * serialization (it leaves the queue) and at arrival (node_input).
 */
#ifndef SYNSIM_LINK_H
#define SYNSIM_LINK_H

#include <stdbool.h>
#include <stdint.h>

#include "../core/rng.h"
#include "net.h"

/* Parameters of one direction.  Zero means "no limit" for rate and the
 * queue limits. */
struct link_params {
	simtime delay;		/* propagation delay */
	uint64_t rate;		/* bits per second; 0: no serialization */
	uint32_t queue_pkts;	/* drop-tail limit in packets; 0: none */
	uint64_t queue_bytes;	/* drop-tail limit in bytes; 0: none */
	uint32_t mtu;		/* largest IPv4 packet; 0: none */
	double loss;		/* Bernoulli loss probability */
};

struct link_dir {
	struct link_params p;
	simtime busy_until;	/* transmitter free from this time */
	uint32_t qlen;		/* packets queued or being serialized */
	uint64_t qbytes;
	struct rng loss_rng;
	uint64_t sent, delivered, dropped;
};

struct link {
	struct net *net;
	int id;			/* creation order, from 0 */
	char *name;		/* "client-server" */
	struct node *node[2];	/* a, b */
	int iface[2];		/* interface number at each node */
	struct link_dir dir[2];	/* 0: a->b, 1: b->a */
	bool up;
};

/* Defaults: 1 ms delay, no rate limit, no queue limit, MTU 1500. */
void link_params_default(struct link_params *p);

/* A new link between a and b with the same parameters both ways. */
struct link *link_new(struct net *net, struct node *a, struct node *b,
                      const struct link_params *p);
void link_free(struct link *l);

/* Send p from end dir's node (dir 0: from a).  Consumes p. */
void link_send(struct link *l, int dir, struct pkt *p);

/* The direction whose sender is n, or -1 if n is not on l. */
int link_dir_from(const struct link *l, const struct node *n);

#endif
