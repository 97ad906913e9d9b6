/*
 * net.h - the network: nodes (hosts and routers), their interfaces,
 * static routes, and the packet pool.
 *
 * A node's interfaces are the ends of the links attached to it, numbered
 * in attach order.  Each node has one IPv4 address (auto-assigned
 * 10.0.0.N in creation order, or set by the scenario); a packet is for a
 * node when its destination is that address.  Routes are computed when
 * the network starts: shortest path in hops, ties broken by the lower
 * interface number, so the result depends only on the order the scenario
 * built things in.  A scenario may pin a route instead.
 *
 * Packet path: tcp/ -> node_output() -> link_send() -> (delay, loss, ...)
 * -> node_input() -> tcp_input() at a host, or node_output() again at a
 * router after the TTL check.
 */
#ifndef SYNSIM_NET_H
#define SYNSIM_NET_H

#include <stdbool.h>
#include <stdint.h>

#include "../core/sim.h"
#include "../trace/flows.h"
#include "pkt.h"
#include "../core/hidx.h"

struct link;
struct tcp_host;
struct flood;

enum node_kind { NODE_HOST, NODE_ROUTER };

#define NODE_ICMP_PEERS 8

struct iface {
	struct link *link;
	int end;		/* 0: this node is the link's a end, 1: b */
};

struct node {
	struct net *net;
	int id;			/* creation order, from 0 */
	char *name;
	enum node_kind kind;
	uint32_t addr;
	struct iface *ifaces;
	int nifaces;
	int *route;		/* per destination node id: interface, or -1 */
	struct route_pin {
		int dst, iface;
	} *pins;		/* routes fixed by the scenario */
	int npins;
	struct tcp_host *tcp;	/* hosts only */
	uint64_t no_route;	/* packets dropped for want of a route */
	uint64_t icmp_sent;	/* ICMP errors this router sent */
	/* When the last ICMP error went to each recent destination: the
	 * rate limit (node_icmp_allow), at most NODE_ICMP_PEERS of them. */
	struct icmp_peer {
		uint32_t addr;
		simtime at;
	} icmp_peers[NODE_ICMP_PEERS];
	int nicmp_peers;
};

/* A router sends at most one ICMP error per destination per this time. */
#define NODE_ICMP_INTERVAL SIMTIME_S

struct net {
	struct sim *sim;
	struct node **nodes;
	int nnodes;
	struct hidx byname, byaddr;	/* nodes by name and by address */
	struct link **links;
	int nlinks;
	bool started;
	/* packet pool */
	struct pkt *free_pkts;
	struct pkt *all_pkts;
	uint64_t pkts_in_use;
	uint64_t max_pkts;	/* bound on pkts_in_use (0: none) */
	bool pkts_over;		/* it was passed: the scheduler is stopped */
	bool routes_over;	/* route tables past NET_ROUTES_MAX: stopped */
	uint64_t next_pkt_id;
	uint16_t next_ip_id;
	struct flows flows;	/* ISNs seen: relative numbers for traces */
	struct flood *floods;	/* SYN floods, newest first */
	uint64_t nfloods;
	/* A tap on packets leaving hosts, for test harnesses: returning a
	 * reason drops the packet with it. */
	const char *(*tap)(void *ctx, const struct pkt *p);
	void *tap_ctx;
};

/* Route tables take nodes^2 entries: at most this many bytes of them
 * (a network of more than 16,384 nodes that sends a packet is refused). */
#define NET_ROUTES_MAX ((uint64_t)1 << 30)

struct net *net_new(struct sim *sim);
/* Frees nodes, links and every pooled packet; packets still in flight are
 * cancelled first. */
void net_free(struct net *net);

/* A new node named name (unique; NULL if taken or out of memory). */
struct node *net_add_node(struct net *net, const char *name,
                          enum node_kind kind);
struct node *net_find_node(const struct net *net, const char *name);
struct node *net_find_addr(const struct net *net, uint32_t addr);
/* Give node an address; -1 if another node has it. */
int net_set_addr(struct net *net, struct node *n, uint32_t addr);
/* Record that link end `end` is attached to n; called by link_new. */
int node_attach(struct node *n, struct link *l, int end);
/* Send packets for dst out of interface iface of n (overrides routing). */
int node_pin_route(struct node *n, const struct node *dst, int iface);

/* Compute routes; called once before the first event runs (idempotent). */
int net_start(struct net *net);

/* Pool. A fresh packet is zeroed except for its id and a TTL of 64. */
struct pkt *net_pkt_alloc(struct net *net);
struct pkt *net_pkt_clone(struct net *net, const struct pkt *p);
void net_pkt_free(struct net *net, struct pkt *p);

/* A host sends (or a router forwards) p: route it onto a link.  Consumes
 * p.  why is narration for the send ("retransmission of ..."), or NULL. */
void node_output(struct node *n, struct pkt *p);
/* The MTU of the interface n sends on towards addr (what Linux derives
 * its MSS from), or 0 when there is no route. */
uint32_t node_mtu_to(struct node *n, uint32_t addr);
/* A route towards addr exists from n (a connect() can start). */
bool node_has_route(struct node *n, uint32_t addr);
/* A link delivers p to n.  Consumes p. */
void node_input(struct node *n, struct pkt *p);

/* Relative numbers are wanted from now on (a subscriber arrived in a run
 * that kept none): note the bases of every live connection's
 * directions, in node and connection order.  A packet of a connection
 * already closed then shows absolute numbers. */
void net_flows_rebuild(struct net *net);
/* Emit a packet trace event at node or link (both may be NULL). */
void net_trace_pkt(struct net *net, enum trace_pkt_op op, const char *where,
                   const struct pkt *p, const char *reason, int rule);
/* Emit the arrival of p at host where, with the rule TCP decided it by
 * (NULL: none).  TCP calls it, once it has decided and before it acts. */
void net_trace_recv(struct net *net, const char *where, const struct pkt *p,
                    const char *decision);

#endif
