/*
 * link.h - point-to-point duplex links; each direction has its own
 * parameters, queue, loss model and random streams.
 *
 * A packet sent on a direction first meets the link's targeted rules (in
 * order), then the link state (down: lost), the MTU, the drop-tail queue
 * and the loss model.  A surviving packet waits while the transmitter is
 * busy, takes bits/rate to serialize, then propagation delay plus jitter
 * to arrive.  Its embedded event fires twice: at the end of serialization
 * (it leaves the queue) and at arrival (node_input).
 *
 * When the link goes down, the packets in its queues (the one being
 * serialized too) are lost at once and the transmitters are free; those
 * already propagating are lost when they would have arrived.
 *
 * Every loss is traced with its reason: "rule #1: 1st SYN+ACK from
 * server", "link-down", "mtu", "queue", "loss".
 */
#ifndef SYNSIM_LINK_H
#define SYNSIM_LINK_H

#include <stdbool.h>
#include <stdint.h>

#include "../core/rng.h"
#include "net.h"

enum loss_model {
	LOSS_NONE,
	LOSS_BERNOULLI,		/* each packet lost with probability p */
	LOSS_GILBERT,		/* Gilbert-Elliott: good and bad states */
	LOSS_NTH,		/* every nth packet, deterministically */
};

struct loss_params {
	enum loss_model model;
	double p;		/* Bernoulli */
	double p_gb, p_bg;	/* Gilbert: P(good->bad), P(bad->good) per packet */
	double loss_good, loss_bad;	/* Gilbert: loss in each state */
	uint32_t nth;		/* every nth */
};

enum jitter_dist { JITTER_UNIFORM, JITTER_NORMAL };

/* Parameters of one direction.  Zero means "none" for rate, queue limits,
 * MTU, jitter, duplication and hold. */
struct link_params {
	simtime delay;		/* propagation delay */
	uint64_t rate;		/* bits per second; 0: no serialization */
	uint32_t queue_pkts;	/* drop-tail limit in packets */
	uint64_t queue_bytes;	/* drop-tail limit in bytes */
	uint32_t mtu;		/* largest IPv4 packet */
	struct loss_params loss;
	simtime jitter;		/* uniform: up to this; normal: the deviation */
	enum jitter_dist jitter_dist;
	bool reorder;		/* may packets overtake (jitter, hold, rule
				 * delay)?  Without it a packet held back
				 * holds back all behind it. */
	double dup;		/* duplication probability */
	double hold;		/* probability of holding a packet back ... */
	simtime hold_by;	/* ... by this much */
};

enum rule_action { RULE_DROP, RULE_DELAY, RULE_DUP };

/* A targeted rule: which packets (filters), which of the matches
 * (selector), what to do.  Every rule counts every packet it matches,
 * whatever earlier rules did with it. */
struct link_rule {
	int dir;		/* -1: both directions */
	bool flags_exact;	/* flags == flags_eq */
	uint8_t flags_eq;
	uint8_t flags_has;	/* all of these set */
	int payload;		/* -1 any, 0 none, 1 some */
	uint16_t sport, dport;	/* 0: any */
	bool has_seq;
	uint32_t seq;
	/* One connection's packets, in either direction: its two ends as
	 * address and port. */
	bool has_conn;
	uint32_t conn_addr[2];
	uint16_t conn_port[2];
	simtime after, before;	/* the window [after, before) */
	/* selector: nth match, the first n, or every (with probability) */
	uint64_t nth, first;
	double prob;		/* 1: always */
	enum rule_action action;
	simtime delay;		/* RULE_DELAY */
	char desc[352];		/* "rule #1: 1st SYN+ACK from server" */
	/* state */
	uint64_t matched, applied;
	struct rng rng;
};

struct link_dir {
	struct link_params p;
	simtime busy_until;	/* transmitter free from this time */
	simtime last_arrival;	/* FIFO order when reordering is off */
	uint32_t qlen;		/* packets queued or being serialized */
	uint64_t qbytes;
	struct pkt *qhead, *qtail;	/* those packets, in order (by next) */
	bool ge_bad;		/* Gilbert-Elliott state */
	uint64_t loss_count;	/* packets seen by the nth model */
	struct rng loss_rng, jitter_rng, dup_rng, hold_rng;
	uint64_t sent, delivered, dropped, duplicated;
};

struct link_change;

struct link {
	struct net *net;
	int id;			/* creation order, from 0 */
	char *name;		/* "client-server", "client-server#2" */
	bool parallel;		/* not the first link between its nodes */
	struct node *node[2];	/* a, b */
	int iface[2];		/* interface number at each node */
	struct link_dir dir[2];	/* 0: a->b, 1: b->a */
	bool up;
	uint32_t downs;		/* times it went down: a packet on the link
				 * across an outage is lost */
	struct link_rule *rules;
	int nrules;
	struct link_change *changes;	/* scheduled, pending */
	struct link_change *last;	/* the last of them, or NULL */
	/* Each direction's parameters once every pending change has run,
	 * valid unless stale: link:set at the end of a long schedule is
	 * then O(1), not a walk of the schedule. */
	struct link_params final[2];
	bool final_stale;
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

/* Append a rule (its desc and counters are filled in); returns its
 * 1-based number or -1. */
int link_add_rule(struct link *l, const struct link_rule *r);

/* Which fields of struct link_params a change sets. */
enum {
	LP_DELAY = 1 << 0,
	LP_RATE = 1 << 1,
	LP_QUEUE = 1 << 2,
	LP_QUEUE_BYTES = 1 << 3,
	LP_MTU = 1 << 4,
	LP_LOSS = 1 << 5,
	LP_JITTER = 1 << 6,	/* jitter and its distribution: one key */
	LP_DUP = 1 << 7,
	LP_HOLD = 1 << 8,
	LP_REORDER = 1 << 9,
	LP_HOLD_BY = 1 << 10,
};

/* Copy the fields in mask from src to dst. */
void link_params_apply(struct link_params *dst, const struct link_params *src,
                       uint32_t mask);

/* Direction dir's parameters as they will be at time at, after the
 * changes scheduled up to then. */
void link_params_at(const struct link *l, int dir, simtime at,
                    struct link_params *p);

/* At time at, take the link down or up, or set the fields in mask of a
 * direction's parameters (dir -1: both).  A change for the current time
 * takes effect before these return.  0 or -1. */
int link_at_state(struct link *l, simtime at, bool up);
int link_at_params(struct link *l, simtime at, int dir,
                   const struct link_params *p, uint32_t mask);

#endif
