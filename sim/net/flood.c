/*
 * flood.c - spoofed SYNs at a fixed interval.
 *
 * Sources come from 198.18.0.0/15 (RFC 2544's benchmarking range, which no
 * scenario host uses) and random ports, drawn from the flood's own stream,
 * so a flood never disturbs any other component's randomness.
 */
#include "flood.h"

#include <stdio.h>
#include <stdlib.h>

#define SPOOF_BASE 0xc6120000u	/* 198.18.0.0 */
#define SPOOF_MASK 0x0001ffffu	/* /15 */

static void
flood_fire(struct sched *s, struct sim_event *ev)
{
	struct flood *f = container_of(ev, struct flood, ev);
	struct net *net = f->from->net;
	struct pkt *p = net_pkt_alloc(net);
	if (p) {
		uint64_t r = rng_next(&f->rng);
		p->src = f->spoof ? SPOOF_BASE | ((uint32_t)r & SPOOF_MASK)
		                  : f->from->addr;
		p->sport = (uint16_t)(1024 + (r >> 32) % 64512);
		p->dst = f->dst;
		p->dport = f->dport;
		p->seq = (uint32_t)rng_next(&f->rng);
		p->flags = TH_SYN;
		p->wnd = 64240;
		p->opt.present = OPT_MSS;
		p->opt.mss = 1460;
		p->why = "SYN flood";
		f->sent++;
		node_output(f->from, p);
	}
	simtime next = s->now + f->interval;
	if (next <= f->stop)
		sched_at(s, ev, next);
}

struct flood *
flood_start(struct node *from, uint32_t dst, uint16_t dport, simtime start,
            simtime stop, simtime interval, bool spoof)
{
	struct net *net = from->net;
	struct flood *f = calloc(1, sizeof *f);
	if (f == NULL)
		return NULL;
	f->from = from;
	f->dst = dst;
	f->dport = dport;
	f->interval = interval;
	f->stop = stop;
	f->spoof = spoof;
	char name[128];
	snprintf(name, sizeof name, "flood:%s:%llu", from->name,
	         (unsigned long long)net->nfloods);
	sim_stream(net->sim, &f->rng, name);
	sched_event_init(&f->ev, flood_fire);
	if (start <= stop && sched_at(&net->sim->sched, &f->ev, start) < 0) {
		free(f);
		return NULL;
	}
	f->next = net->floods;
	net->floods = f;
	net->nfloods++;
	return f;
}

void
flood_free_all(struct net *net)
{
	while (net->floods) {
		struct flood *f = net->floods;
		net->floods = f->next;
		sched_cancel(&net->sim->sched, &f->ev);
		free(f);
	}
}
