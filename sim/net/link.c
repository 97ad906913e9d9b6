/*
 * link.c - delivery of packets across point-to-point links: queueing,
 * serialization, propagation, loss.
 */
#define _POSIX_C_SOURCE 200809L
#include "link.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
link_params_default(struct link_params *p)
{
	*p = (struct link_params){ .delay = SIMTIME_MS, .mtu = 1500 };
}

static void
dir_stream(struct link *l, int d, struct rng *r, const char *what)
{
	char name[256];
	snprintf(name, sizeof name, "link:%s->%s:%s", l->node[d]->name,
	         l->node[1 - d]->name, what);
	sim_stream(l->net->sim, r, name);
}

struct link *
link_new(struct net *net, struct node *a, struct node *b,
         const struct link_params *p)
{
	struct link **links = realloc(net->links,
	                              sizeof *links * (size_t)(net->nlinks + 1));
	if (links == NULL)
		return NULL;
	net->links = links;
	struct link *l = calloc(1, sizeof *l);
	if (l == NULL)
		return NULL;
	size_t n = strlen(a->name) + strlen(b->name) + 2;
	if ((l->name = malloc(n)) == NULL) {
		free(l);
		return NULL;
	}
	snprintf(l->name, n, "%s-%s", a->name, b->name);
	l->net = net;
	l->id = net->nlinks;
	l->node[0] = a;
	l->node[1] = b;
	l->up = true;
	for (int d = 0; d < 2; d++) {
		l->dir[d].p = *p;
		dir_stream(l, d, &l->dir[d].loss_rng, "loss");
	}
	l->iface[0] = node_attach(a, l, 0);
	l->iface[1] = node_attach(b, l, 1);
	if (l->iface[0] < 0 || l->iface[1] < 0) {
		free(l->name);
		free(l);
		return NULL;
	}
	net->links[net->nlinks++] = l;
	return l;
}

void
link_free(struct link *l)
{
	free(l->name);
	free(l);
}

int
link_dir_from(const struct link *l, const struct node *n)
{
	return l->node[0] == n ? 0 : l->node[1] == n ? 1 : -1;
}

static void
drop(struct link *l, struct link_dir *d, struct pkt *p, const char *reason)
{
	d->dropped++;
	net_trace_pkt(l->net, PKT_DROP, l->name, p, reason, 0);
	net_pkt_free(l->net, p);
}

static void
arrive(struct sched *s, struct sim_event *ev)
{
	(void)s;
	struct pkt *p = container_of(ev, struct pkt, ev);
	struct link *l = p->link;
	l->dir[p->dir].delivered++;
	node_input(l->node[1 - p->dir], p);
}

/* Serialization is over: the packet leaves the queue and propagates. */
static void
transmitted(struct sched *s, struct sim_event *ev)
{
	struct pkt *p = container_of(ev, struct pkt, ev);
	struct link_dir *d = &p->link->dir[p->dir];
	d->qlen--;
	d->qbytes -= pkt_wire_len(p);
	ev->fire = arrive;
	sched_after(s, ev, d->p.delay);
}

void
link_send(struct link *l, int dir, struct pkt *p)
{
	struct link_dir *d = &l->dir[dir];
	struct sched *s = &l->net->sim->sched;
	uint32_t size = pkt_wire_len(p);
	p->link = l;
	p->dir = dir;
	p->sent_at = s->now;
	d->sent++;
	const char *lost = NULL;
	if (!l->up)
		lost = "link-down";
	else if (d->p.mtu && size > d->p.mtu)
		lost = "mtu";
	else if ((d->p.queue_pkts && d->qlen >= d->p.queue_pkts) ||
	         (d->p.queue_bytes && d->qbytes + size > d->p.queue_bytes))
		lost = "queue";
	else if (rng_bernoulli(&d->loss_rng, d->p.loss))
		lost = "loss";
	if (lost) {
		drop(l, d, p, lost);
		return;
	}
	simtime start = d->busy_until > s->now ? d->busy_until : s->now;
	simtime done = start + (d->p.rate ? units_tx_time(size, d->p.rate) : 0);
	d->busy_until = done;
	d->qlen++;
	d->qbytes += size;
	sched_event_init(&p->ev, transmitted);
	sched_at(s, &p->ev, done);
}
