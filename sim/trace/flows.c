/*
 * flows.c - an open-addressing table from a direction's 4-tuple to its ISN.
 * Lookups only, never iteration: its layout cannot reach any output.
 */
#include "flows.h"

#include <stdlib.h>

static bool
inuse(const struct flows *f, uint32_t i)
{
	return (f->inuse[i / 64] >> (i % 64)) & 1;
}

/* The slot of a direction: its own, or the free one it would take. */
static struct flow *
find(const struct flows *f, uint32_t src, uint16_t sport, uint32_t dst,
     uint16_t dport)
{
	if (f->size == 0)
		return NULL;
	uint32_t i = pkt_tuple_hash(src, sport, dst, dport) & (f->size - 1);
	for (;;) {
		struct flow *e = &f->slots[i];
		if (!inuse(f, i))
			return e;
		if (e->src == src && e->dst == dst && e->sport == sport &&
		    e->dport == dport)
			return e;
		i = (i + 1) & (f->size - 1);
	}
}

static void
mark(struct flows *f, const struct flow *e)
{
	uint32_t i = (uint32_t)(e - f->slots);
	f->inuse[i / 64] |= (uint64_t)1 << (i % 64);
}

static void
grow(struct flows *f)
{
	struct flows n = { .size = f->size ? f->size * 2 : 64 };
	n.slots = malloc(n.size * sizeof *n.slots);
	n.inuse = calloc(n.size / 64, sizeof *n.inuse);
	if (n.slots == NULL || n.inuse == NULL) {
		free(n.slots);
		free(n.inuse);
		return;
	}
	for (uint32_t i = 0; i < f->size; i++)
		if (inuse(f, i)) {
			struct flow *e = find(&n, f->slots[i].src, f->slots[i].sport,
			                      f->slots[i].dst, f->slots[i].dport);
			*e = f->slots[i];
			mark(&n, e);
			n.used++;
		}
	free(f->slots);
	free(f->inuse);
	*f = n;
}

void
flows_set(struct flows *f, uint32_t src, uint16_t sport, uint32_t dst,
          uint16_t dport, uint32_t isn)
{
	if ((f->used + 1) * 2 > f->size)
		grow(f);
	struct flow *e = find(f, src, sport, dst, dport);
	if (e == NULL)
		return;
	/* A new connection on the same 4-tuple starts a new count. */
	if (!inuse(f, (uint32_t)(e - f->slots))) {
		mark(f, e);
		f->used++;
	}
	*e = (struct flow){ .src = src, .dst = dst, .sport = sport,
	                    .dport = dport, .isn = isn };
}

void
flows_see(struct flows *f, const struct pkt *p)
{
	if (p->flags & TH_SYN)
		flows_set(f, p->src, p->sport, p->dst, p->dport, p->seq);
}

void
flows_rel(const struct flows *f, const struct pkt *p, uint32_t *seq,
          uint32_t *ack, bool *seq_ok, bool *ack_ok)
{
	const struct flow *s = find(f, p->src, p->sport, p->dst, p->dport);
	const struct flow *r = find(f, p->dst, p->dport, p->src, p->sport);
	*seq_ok = s && inuse(f, (uint32_t)(s - f->slots));
	*ack_ok = r && inuse(f, (uint32_t)(r - f->slots));
	*seq = *seq_ok ? p->seq - s->isn : p->seq;
	*ack = *ack_ok ? p->ack - r->isn : p->ack;
}

void
flows_free(struct flows *f)
{
	free(f->slots);
	free(f->inuse);
	*f = (struct flows){ 0 };
}
