/*
 * flows.c - an open-addressing table from a direction's 4-tuple to its ISN.
 * Lookups only, never iteration: its layout cannot reach any output.
 */
#include "flows.h"

#include <stdlib.h>

static struct flow *
find(const struct flows *f, uint32_t src, uint16_t sport, uint32_t dst,
     uint16_t dport)
{
	if (f->size == 0)
		return NULL;
	uint32_t i = pkt_tuple_hash(src, sport, dst, dport) & (f->size - 1);
	for (;;) {
		struct flow *e = &f->slots[i];
		if (!e->used)
			return e;
		if (e->src == src && e->dst == dst && e->sport == sport &&
		    e->dport == dport)
			return e;
		i = (i + 1) & (f->size - 1);
	}
}

static void
grow(struct flows *f)
{
	struct flows n = { .size = f->size ? f->size * 2 : 64 };
	n.slots = calloc(n.size, sizeof *n.slots);
	if (n.slots == NULL)
		return;
	for (uint32_t i = 0; i < f->size; i++)
		if (f->slots[i].used) {
			struct flow *e = find(&n, f->slots[i].src, f->slots[i].sport,
			                      f->slots[i].dst, f->slots[i].dport);
			*e = f->slots[i];
			n.used++;
		}
	free(f->slots);
	*f = n;
}

void
flows_see(struct flows *f, const struct pkt *p)
{
	if (!(p->flags & TH_SYN))
		return;
	if ((f->used + 1) * 2 > f->size)
		grow(f);
	struct flow *e = find(f, p->src, p->sport, p->dst, p->dport);
	if (e == NULL)
		return;
	/* A new connection on the same 4-tuple starts a new count. */
	if (!e->used) {
		e->used = true;
		f->used++;
	}
	e->src = p->src;
	e->dst = p->dst;
	e->sport = p->sport;
	e->dport = p->dport;
	e->isn = p->seq;
}

void
flows_rel(const struct flows *f, const struct pkt *p, uint32_t *seq,
          uint32_t *ack, bool *seq_ok, bool *ack_ok)
{
	const struct flow *s = find(f, p->src, p->sport, p->dst, p->dport);
	const struct flow *r = find(f, p->dst, p->dport, p->src, p->sport);
	*seq_ok = s && s->used;
	*ack_ok = r && r->used;
	*seq = *seq_ok ? p->seq - s->isn : p->seq;
	*ack = *ack_ok ? p->ack - r->isn : p->ack;
}

void
flows_free(struct flows *f)
{
	free(f->slots);
	*f = (struct flows){ 0 };
}
