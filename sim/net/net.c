/*
 * net.c - nodes, addresses, static routing, the packet pool, and the
 * hop from a node onto a link and back.
 */
#define _POSIX_C_SOURCE 200809L
#include "net.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "../tcp/tcp.h"
#include "flood.h"
#include "link.h"

#define AUTO_ADDR_BASE 0x0a000001u	/* 10.0.0.1 */

static uint64_t
node_name_hash(const void *ctx, int i)
{
	return hidx_str(((const struct net *)ctx)->nodes[i]->name);
}

static bool
node_name_eq(const void *ctx, int i, const void *key)
{
	return strcmp(((const struct net *)ctx)->nodes[i]->name, key) == 0;
}

static uint64_t
node_addr_hash(const void *ctx, int i)
{
	return hidx_u64(((const struct net *)ctx)->nodes[i]->addr);
}

static bool
node_addr_eq(const void *ctx, int i, const void *key)
{
	return ((const struct net *)ctx)->nodes[i]->addr ==
	       *(const uint32_t *)key;
}

struct net *
net_new(struct sim *sim)
{
	struct net *net = calloc(1, sizeof *net);
	if (net == NULL)
		return NULL;
	net->sim = sim;
	net->byname = (struct hidx){ .hash = node_name_hash, .eq = node_name_eq,
	                             .ctx = net };
	net->byaddr = (struct hidx){ .hash = node_addr_hash, .eq = node_addr_eq,
	                             .ctx = net };
	return net;
}

void
net_free(struct net *net)
{
	if (net == NULL)
		return;
	flows_free(&net->flows);
	flood_free_all(net);
	for (int i = 0; i < net->nnodes; i++) {
		struct node *n = net->nodes[i];
		if (n->tcp)
			tcp_host_free(n->tcp);
	}
	for (int i = 0; i < net->nlinks; i++)
		link_free(net->links[i]);
	for (int i = 0; i < net->nnodes; i++) {
		struct node *n = net->nodes[i];
		free(n->name);
		free(n->ifaces);
		free(n->route);
		free(n->pins);
		free(n);
	}
	/* Packets still in flight hold events in the scheduler: cancel. */
	while (net->all_pkts) {
		struct pkt *p = net->all_pkts;
		net->all_pkts = p->all;
		sched_cancel(&net->sim->sched, &p->ev);
		free(p->data);
		free(p);
	}
	hidx_free(&net->byname);
	hidx_free(&net->byaddr);
	free(net->nodes);
	free(net->links);
	free(net);
}

struct node *
net_find_node(const struct net *net, const char *name)
{
	int i = hidx_find(&net->byname, hidx_str(name), name);
	return i >= 0 ? net->nodes[i] : NULL;
}

/* Every packet asks this of its destination: a scan over the nodes was
 * a line of the profile of runs with many hosts. */
struct node *
net_find_addr(const struct net *net, uint32_t addr)
{
	int i = hidx_find(&net->byaddr, hidx_u64(addr), &addr);
	return i >= 0 ? net->nodes[i] : NULL;
}

int
net_set_addr(struct net *net, struct node *n, uint32_t addr)
{
	struct node *other = net_find_addr(net, addr);
	if (other && other != n)
		return -1;
	hidx_remove(&net->byaddr, n->id);
	n->addr = addr;
	return hidx_add(&net->byaddr, n->id);
}

struct node *
net_add_node(struct net *net, const char *name, enum node_kind kind)
{
	if (net_find_node(net, name))
		return NULL;
	struct node **nodes = realloc(net->nodes,
	                              sizeof *nodes * (size_t)(net->nnodes + 1));
	if (nodes == NULL)
		return NULL;
	net->nodes = nodes;
	struct node *n = calloc(1, sizeof *n);
	if (n == NULL || (n->name = strdup(name)) == NULL) {
		free(n);
		return NULL;
	}
	n->net = net;
	n->id = net->nnodes;
	n->kind = kind;
	/* First free address from 10.0.0.1 up, in creation order. */
	uint32_t a = AUTO_ADDR_BASE + (uint32_t)n->id;
	while (net_find_addr(net, a))
		a++;
	n->addr = a;
	net->nodes[net->nnodes++] = n;
	if (hidx_add(&net->byname, n->id) < 0 ||
	    hidx_add(&net->byaddr, n->id) < 0) {
		/* Undone whole: the node was never there. */
		hidx_remove(&net->byname, n->id);
		net->nnodes--;
		free(n->name);
		free(n);
		return NULL;
	}
	/* Routes are tables by node id: a node added after they were
	 * computed (a host created once the run started) needs new ones. */
	net->started = false;
	return n;
}

int
node_attach(struct node *n, struct link *l, int end)
{
	struct iface *f = realloc(n->ifaces, sizeof *f * (size_t)(n->nifaces + 1));
	if (f == NULL)
		return -1;
	n->ifaces = f;
	f[n->nifaces].link = l;
	f[n->nifaces].end = end;
	return n->nifaces++;
}

int
node_pin_route(struct node *n, const struct node *dst, int iface)
{
	if (iface < 0 || iface >= n->nifaces)
		return -1;
	for (int i = 0; i < n->npins; i++)
		if (n->pins[i].dst == dst->id) {
			n->pins[i].iface = iface;
			return 0;
		}
	struct route_pin *p = realloc(n->pins, sizeof *p * (size_t)(n->npins + 1));
	if (p == NULL)
		return -1;
	n->pins = p;
	p[n->npins].dst = dst->id;
	p[n->npins].iface = iface;
	n->npins++;
	return 0;
}

/*
 * Shortest paths in hops by breadth-first search from every destination
 * backwards over the (undirected) links, then for each node the lowest
 * numbered interface whose neighbour is one hop nearer and forwards (a
 * router, or the destination itself).  The search order alone would
 * break ties by the order the far nodes attached their links, which a
 * scenario cannot see at the node that sends.
 */
int
net_start(struct net *net)
{
	if (net->started)
		return 0;
	int nn = net->nnodes;
	/* A table per node of an interface per node: past the bound the
	 * run stops with an error rather than take the machine's memory
	 * (no node has a route meanwhile). */
	if ((uint64_t)nn * (uint64_t)nn * sizeof(int) > NET_ROUTES_MAX) {
		for (int i = 0; i < nn; i++) {
			free(net->nodes[i]->route);
			net->nodes[i]->route = NULL;
		}
		if (!net->routes_over) {
			net->routes_over = true;
			sched_stop(&net->sim->sched);
		}
		return -1;
	}
	int *dist = malloc(sizeof(int) * (size_t)(nn ? nn : 1));
	int *queue = malloc(sizeof(int) * (size_t)(nn ? nn : 1));
	if (dist == NULL || queue == NULL)
		goto oom;
	for (int i = 0; i < nn; i++) {
		struct node *n = net->nodes[i];
		free(n->route);
		if ((n->route = malloc(sizeof(int) * (size_t)nn)) == NULL)
			goto oom;
		for (int d = 0; d < nn; d++)
			n->route[d] = -1;
	}
	for (int d = 0; d < nn; d++) {
		for (int i = 0; i < nn; i++)
			dist[i] = -1;
		int head = 0, tail = 0;
		dist[d] = 0;
		queue[tail++] = d;
		while (head < tail) {
			struct node *v = net->nodes[queue[head++]];
			/* Routers forward; hosts are only endpoints. */
			if (v->id != d && v->kind != NODE_ROUTER)
				continue;
			for (int k = 0; k < v->nifaces; k++) {
				struct link *l = v->ifaces[k].link;
				struct node *u = l->node[1 - v->ifaces[k].end];
				if (dist[u->id] >= 0)
					continue;
				dist[u->id] = dist[v->id] + 1;
				queue[tail++] = u->id;
			}
		}
		for (int i = 0; i < nn; i++) {
			struct node *u = net->nodes[i];
			if (dist[i] <= 0)	/* the destination, or cut off */
				continue;
			for (int k = 0; k < u->nifaces; k++) {
				const struct iface *f = &u->ifaces[k];
				const struct node *v = f->link->node[1 - f->end];
				if (dist[v->id] == dist[i] - 1 &&
				    (v->id == d || v->kind == NODE_ROUTER)) {
					u->route[d] = k;
					break;
				}
			}
		}
	}
	for (int i = 0; i < nn; i++) {
		struct node *n = net->nodes[i];
		for (int k = 0; k < n->npins; k++)
			n->route[n->pins[k].dst] = n->pins[k].iface;
	}
	free(dist);
	free(queue);
	net->started = true;
	return 0;
oom:
	free(dist);
	free(queue);
	return -1;
}

struct pkt *
net_pkt_alloc(struct net *net)
{
	struct pkt *p = net->free_pkts;
	struct pkt *all;
	if (p) {
		net->free_pkts = p->next;
		all = p->all;
	} else {
		if ((p = malloc(sizeof *p)) == NULL)
			return NULL;
		all = net->all_pkts;
		net->all_pkts = p;
	}
	*p = (struct pkt){ 0 };
	p->all = all;
	p->ev.slot = SCHED_IDLE;
	p->id = ++net->next_pkt_id;
	p->ip_id = net->next_ip_id++;
	p->ttl = 64;
	/* Past the bound the packet is still given (no caller has to cope
	 * with a refusal mid-event); the run stops after this event. */
	if (++net->pkts_in_use > net->max_pkts && net->max_pkts &&
	    !net->pkts_over) {
		net->pkts_over = true;
		sched_stop(&net->sim->sched);
	}
	return p;
}

struct pkt *
net_pkt_clone(struct net *net, const struct pkt *p)
{
	struct pkt *c = net_pkt_alloc(net);
	if (c == NULL)
		return NULL;
	uint64_t id = c->id;
	struct pkt *all = c->all;
	*c = *p;
	c->ev.slot = SCHED_IDLE;
	c->id = id;
	c->dup_of = p->id;
	c->next = NULL;
	c->all = all;
	if (p->data) {
		c->data = malloc(p->len);
		if (c->data == NULL) {
			net_pkt_free(net, c);
			return NULL;
		}
		memcpy(c->data, p->data, p->len);
	}
	return c;
}

void
net_pkt_free(struct net *net, struct pkt *p)
{
	assert(!sched_pending(&p->ev));
	assert(net->pkts_in_use > 0);
	free(p->data);
	p->data = NULL;
	p->next = net->free_pkts;
	net->free_pkts = p;
	net->pkts_in_use--;
}

static void
trace_pkt(struct net *net, enum trace_pkt_op op, const char *where,
          const struct pkt *p, const char *reason, int rule,
          const char *decision)
{
	struct trace *t = &net->sim->trace;
	/* Every SYN sent sets its direction's base while anything reads
	 * relative numbers; a run where nothing does keeps no table (a
	 * storm of a million connections would hold two million
	 * directions), and one that starts reading later rebuilds it from
	 * the live connections (net_flows_rebuild). */
	if (op == PKT_SEND && !t->no_rel)
		flows_see(&net->flows, p);
	if (!trace_wants(t, TR_PKT))
		return;
	struct trace_event ev = { .kind = TR_PKT, .t = sim_now(net->sim),
	                          .node = where };
	ev.u.pkt.op = op;
	ev.u.pkt.pkt = p;
	ev.u.pkt.link = p->link;
	ev.u.pkt.reason = reason;
	ev.u.pkt.rule = rule;
	ev.u.pkt.decision = decision;
	if (!t->no_rel)
		flows_rel(&net->flows, p, &ev.u.pkt.rel_seq, &ev.u.pkt.rel_ack,
		          &ev.u.pkt.rel_seq_ok, &ev.u.pkt.rel_ack_ok);
	trace_emit(t, &ev);
}

void
net_flows_rebuild(struct net *net)
{
	flows_free(&net->flows);
	for (int i = 0; i < net->nnodes; i++) {
		const struct node *nd = net->nodes[i];
		if (nd->tcp == NULL)
			continue;
		for (int k = 1; k <= tcp_host_nconns(nd->tcp); k++) {
			const struct tcp_conn *c = tcp_host_conn(nd->tcp, k);
			if (c == NULL || tcp_conn_state(c) == TCP_CLOSED)
				continue;
			struct tcp_conn_info in;
			tcp_conn_info(c, &in);
			flows_set(&net->flows, in.laddr, in.lport, in.raddr, in.rport,
			          in.iss);
			if (in.state != TCP_SYN_SENT)
				flows_set(&net->flows, in.raddr, in.rport, in.laddr,
				          in.lport, in.irs);
		}
	}
}

void
net_trace_pkt(struct net *net, enum trace_pkt_op op, const char *where,
              const struct pkt *p, const char *reason, int rule)
{
	trace_pkt(net, op, where, p, reason, rule, NULL);
}

void
net_trace_recv(struct net *net, const char *where, const struct pkt *p,
               const char *decision)
{
	trace_pkt(net, PKT_RECV, where, p, NULL, 0, decision);
}

/*
 * May router n send an ICMP error to addr now?  Linux bounds them per
 * destination with a token bucket (icmpv4_xrlim_allow: icmp_ratelimit
 * 1000 ms, a burst of 6) and per host (icmp_msgs_per_sec); synsim keeps
 * one rule of the same bound: at most one per destination per
 * NODE_ICMP_INTERVAL, remembering the NODE_ICMP_PEERS most recent
 * destinations (a forgotten one may have one again at once).
 */
static bool
node_icmp_allow(struct node *n, uint32_t addr)
{
	simtime now = sim_now(n->net->sim);
	int oldest = 0;
	for (int i = 0; i < n->nicmp_peers; i++) {
		struct icmp_peer *e = &n->icmp_peers[i];
		if (e->addr == addr) {
			if (now - e->at < NODE_ICMP_INTERVAL)
				return false;
			e->at = now;
			return true;
		}
		if (e->at < n->icmp_peers[oldest].at)
			oldest = i;
	}
	int i = n->nicmp_peers < NODE_ICMP_PEERS ? n->nicmp_peers++ : oldest;
	n->icmp_peers[i] = (struct icmp_peer){ .addr = addr, .at = now };
	return true;
}

/*
 * Router n has no route for p: answer its source with an ICMP
 * Destination Unreachable, code 1 (host unreachable), from n's address,
 * quoting p's IPv4 header and first 8 bytes of TCP (RFC 792; RFC 1812
 * 5.2.7.1).  Never about an ICMP message (RFC 1812 4.3.2.7).
 */
static void
node_icmp_unreach(struct node *n, const struct pkt *p)
{
	if (p->icmp || !node_icmp_allow(n, p->src))
		return;
	struct pkt *icmp = net_pkt_alloc(n->net);
	if (icmp == NULL)
		return;
	pkt_icmp_about(icmp, p, ICMP_UNREACH, ICMP_UNREACH_HOST);
	/* The quote is the header as it arrived, before this hop's TTL
	 * decrement (Linux routes, and fails, before ip_forward). */
	icmp->quote.ttl++;
	icmp->src = n->addr;
	icmp->why = "no route (RFC 1812 5.2.7.1)";
	n->icmp_sent++;
	node_output(n, icmp);
}

void
node_output(struct node *n, struct pkt *p)
{
	struct net *net = n->net;
	if (!net->started)
		net_start(net);
	struct node *dst = net_find_addr(net, p->dst);
	int k = dst && n->route ? n->route[dst->id] : -1;
	p->link = k >= 0 ? n->ifaces[k].link : NULL;
	p->dir = k >= 0 ? n->ifaces[k].end : 0;
	if (n->kind == NODE_HOST || (p->icmp && p->src == n->addr))
		net_trace_pkt(net, PKT_SEND, n->name, p, p->why, 0);
	else
		net_trace_pkt(net, PKT_FORWARD, n->name, p, NULL, 0);
	const char *tapped = n->kind == NODE_HOST && net->tap ?
	                     net->tap(net->tap_ctx, p) : NULL;
	if (tapped) {
		net_trace_pkt(net, PKT_DROP, n->name, p, tapped, 0);
		net_pkt_free(net, p);
		return;
	}
	if (k < 0) {
		n->no_route++;
		net_trace_pkt(net, PKT_DROP, n->name, p, "no-route", 0);
		if (n->kind == NODE_ROUTER)
			node_icmp_unreach(n, p);
		net_pkt_free(net, p);
		return;
	}
	link_send(p->link, p->dir, p);
}

bool
node_has_route(struct node *n, uint32_t addr)
{
	if (!n->net->started)
		net_start(n->net);
	const struct node *dst = net_find_addr(n->net, addr);
	return dst != NULL && (dst == n || (n->route && n->route[dst->id] >= 0));
}

uint32_t
node_mtu_to(struct node *n, uint32_t addr)
{
	if (!n->net->started)
		net_start(n->net);
	const struct node *dst = net_find_addr(n->net, addr);
	int k = dst && n->route ? n->route[dst->id] : -1;
	if (k < 0)
		return 0;
	const struct iface *i = &n->ifaces[k];
	return i->link->dir[i->end].p.mtu;
}

void
node_input(struct node *n, struct pkt *p)
{
	struct net *net = n->net;
	if (p->dst == n->addr) {
		/* TCP traces the arrival itself, with the rule it applies. */
		if (n->tcp && p->icmp)
			tcp_icmp_input(n->tcp, p);
		else if (n->tcp)
			tcp_input(n->tcp, p);
		else
			net_trace_pkt(net, PKT_RECV, n->name, p, NULL, 0);
		net_pkt_free(net, p);
		return;
	}
	if (n->kind != NODE_ROUTER) {
		net_trace_pkt(net, PKT_DROP, n->name, p, "not-for-host", 0);
		net_pkt_free(net, p);
		return;
	}
	/* RFC 791 3.2 / RFC 1812 5.3.1: decrement TTL; discard at zero. */
	if (p->ttl <= 1) {
		net_trace_pkt(net, PKT_DROP, n->name, p, "ttl", 0);
		net_pkt_free(net, p);
		return;
	}
	p->ttl--;
	p->why = NULL;
	node_output(n, p);
}
