/*
 * fingerprint.c - a hash over the canonical fields of each event: no
 * pointers, no padding, integers in a fixed byte order.  Every field
 * packets.csv and states.csv show goes in (options, TTL, the duplicate's
 * original, the hop, the rule text, the peer, the retransmission mark),
 * so two runs whose files differ never share a fingerprint.
 */
#include "fingerprint.h"

#include <stdbool.h>
#include <string.h>

#include "../net/link.h"
#include "../net/net.h"
#include "../net/pkt.h"
#include "../tcp/tcp.h"

#define FNV_PRIME 0x100000001b3u

/*
 * One 64-bit word into the hash: FNV-1a's xor and multiply on a whole
 * word, then a shift-xor so that high bits reach the low ones.  Both
 * steps are bijections of the hash for a given word, so runs that differ
 * in one word never meet again.  A byte at a time (plain FNV-1a) cost a
 * quarter of a whole run's instructions; this is eight times fewer
 * multiplications.
 */
static inline void
mix_u64(struct fingerprint *f, uint64_t v)
{
	uint64_t h = (f->hash ^ v) * FNV_PRIME;
	f->hash = h ^ (h >> 29);
}

/* Bytes in words of eight, little-endian whatever the machine, the last
 * padded with zeros; then the length, so "ab" and "ab\0" differ. */
static void
mix(struct fingerprint *f, const void *data, size_t n)
{
	const unsigned char *p = data;
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, p + i, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
		w = __builtin_bswap64(w);
#endif
		mix_u64(f, w);
	}
	if (i < n) {
		uint64_t w = 0;
		for (size_t k = n; k > i; k--)
			w = w << 8 | p[k - 1];
		mix_u64(f, w);
	}
	mix_u64(f, (uint64_t)n);
}

/* NULL and "" are the same: the CSV files write both as an empty field. */
static void
mix_str(struct fingerprint *f, const char *s)
{
	mix(f, s ? s : "", s ? strlen(s) : 0);
}

void
fingerprint_init(struct fingerprint *f)
{
	*f = (struct fingerprint){ .hash = 0xcbf29ce484222325u };
}

/* The digest of a name not in the cache yet (or pushed out): its bytes
 * hashed the way mix_str hashes them, kept at slot k. */
static __attribute__((noinline)) uint64_t
name_digest(struct fingerprint *f, unsigned k, const char *name)
{
	struct fingerprint d;	/* only its hash is used */
	d.hash = 0xcbf29ce484222325u;
	mix_str(&d, name);
	f->names[k].name = name;
	f->names[k].digest = d.hash;
	return d.hash;
}

/* A node's or link's name into the lean hash: a 64-bit digest of its
 * bytes as one word.  Three a packet event: the cached case is inline. */
static inline void
mix_name(struct fingerprint *f, const char *name)
{
	if (name == NULL) {
		mix_str(f, NULL);
		return;
	}
	unsigned k = (unsigned)(((uintptr_t)name >> 3) % FINGERPRINT_NAMES);
	mix_u64(f, f->names[k].name == name ? f->names[k].digest
	                                     : name_digest(f, k, name));
}

/* What every event starts with; then a log line's text or a metric
 * (true), or nothing yet for the other kinds (false).  lean: the node's
 * name as its digest. */
static bool
mix_common(struct fingerprint *f, const struct trace_event *ev, bool lean)
{
	f->events++;
	mix_u64(f, (uint64_t)ev->kind);
	mix_u64(f, (uint64_t)ev->t);
	if (lean)
		mix_name(f, ev->node);
	else
		mix_str(f, ev->node);
	if (ev->kind == TR_LOG) {
		mix_str(f, ev->u.log.text);
		return true;
	}
	if (ev->kind == TR_METRIC) {
		uint64_t bits;
		memcpy(&bits, &ev->u.metric.value, sizeof bits);
		mix_str(f, ev->u.metric.name);
		mix_u64(f, bits);
		return true;
	}
	return false;
}

/* A packet's number and its IPv4 and TCP header fields. */
static void
mix_header(struct fingerprint *f, const struct pkt *p)
{
	mix_u64(f, p->id);
	mix_u64(f, (uint64_t)p->src << 32 | p->dst);
	mix_u64(f, (uint64_t)p->sport << 16 | p->dport);
	mix_u64(f, (uint64_t)p->seq << 32 | p->ack);
	mix_u64(f, (uint64_t)p->flags << 48 | (uint64_t)p->wnd << 32 | p->len);
	/* An ICMP message: its type and code and what it quotes (only
	 * then, so that a run without ICMP keeps its fingerprint). */
	if (p->icmp) {
		const struct pkt_quote *q = &p->quote;
		mix_u64(f, (uint64_t)p->icmp_type << 8 | p->icmp_code);
		mix_u64(f, (uint64_t)q->src << 32 | q->dst);
		mix_u64(f, (uint64_t)q->sport << 16 | q->dport);
		mix_u64(f, q->seq);
	}
}

void
fingerprint_event(void *ctx, const struct trace_event *ev)
{
	struct fingerprint *f = ctx;
	/* Queue lengths follow from the state and app events already
	 * hashed: counting them would only renumber every fingerprint. */
	if (ev->kind == TR_QUEUE)
		return;
	if (mix_common(f, ev, false))
		return;
	switch (ev->kind) {
	case TR_PKT: {
		const struct pkt *p = ev->u.pkt.pkt;
		mix_u64(f, (uint64_t)ev->u.pkt.op);
		mix_header(f, p);
		mix_str(f, ev->u.pkt.reason);
		mix_u64(f, (uint64_t)ev->u.pkt.rule);
		/* the hop: link and the node it leads to */
		mix_str(f, p->link ? p->link->name : NULL);
		mix_str(f, p->link ? p->link->node[1 - p->dir]->name : NULL);
		mix_u64(f, (uint64_t)p->ttl << 8 | (uint64_t)p->retx);
		mix_u64(f, p->dup_of);
		/* options, only those present, as packets.csv writes them */
		const struct tcp_opts *o = &p->opt;
		mix_u64(f, (uint64_t)o->present);
		mix_u64(f, (uint64_t)((o->present & OPT_MSS) ? o->mss : 0) << 8 |
		           ((o->present & OPT_WSCALE) ? o->wscale : 0));
		mix_u64(f, (o->present & OPT_TS) ?
		           (uint64_t)o->tsval << 32 | o->tsecr : 0);
		if (o->present & OPT_SACK)
			for (int i = 0; i < o->nsack; i++)
				mix_u64(f, (uint64_t)o->sack[i][0] << 32 | o->sack[i][1]);
		/* relative numbers, or a mark that there are none */
		mix_u64(f, ev->u.pkt.rel_seq_ok ?
		           (uint64_t)1 << 32 | ev->u.pkt.rel_seq : 0);
		mix_u64(f, ev->u.pkt.rel_ack_ok ?
		           (uint64_t)1 << 32 | ev->u.pkt.rel_ack : 0);
		break;
	}
	case TR_STATE:
		mix_u64(f, (uint64_t)tcp_conn_id(ev->u.state.conn));
		mix_u64(f, (uint64_t)ev->u.state.from << 8 | (uint64_t)ev->u.state.to);
		mix_str(f, ev->u.state.cause);
		mix_str(f, ev->u.state.rule);
		mix_u64(f, tcp_conn_raddr(ev->u.state.conn));	/* the peer */
		break;
	case TR_TIMER:
		mix_u64(f, (uint64_t)tcp_conn_id(ev->u.timer.conn));
		mix_u64(f, (uint64_t)ev->u.timer.op);
		mix_str(f, ev->u.timer.name);
		mix_u64(f, (uint64_t)ev->u.timer.at);
		break;
	case TR_APP:
		mix_u64(f, (uint64_t)tcp_conn_id(ev->u.app.conn));
		mix_str(f, ev->u.app.call);
		mix_str(f, ev->u.app.detail);
		mix_u64(f, (uint64_t)ev->u.app.value);
		break;
	default:
		break;
	}
}

/*
 * The lean fingerprint, for a run that writes nothing but summary.json
 * (no narration, CSV or capture to describe events in words): a hash of
 * the behaviour rather than of its description, at a fraction of the
 * cost.  In: every packet event (send, receive, drop, copy, forward) with
 * its time, node, link and hop, every header field, option, TTL, the
 * retransmission mark, the copy's original and the drop rule's number,
 * and a drop's reason (loss, queue, link-down, ... are different fates);
 * every state change with its time, host, connection, states, cause and
 * peer; scenario text and metrics.  Out: the words of a send's reason
 * and of a state change's rule (--explain), the relative sequence
 * numbers (they follow from the absolute ones), and timer and
 * application events, which nothing subscribes to then, so TCP does not
 * produce them: their effects are the packets and state changes above.
 * Node and link names go in as a 64-bit digest of their bytes.
 */
void
fingerprint_lean_event(void *ctx, const struct trace_event *ev)
{
	struct fingerprint *f = ctx;
	if (mix_common(f, ev, true))
		return;
	switch (ev->kind) {
	case TR_PKT: {
		const struct pkt *p = ev->u.pkt.pkt;
		const struct tcp_opts *o = &p->opt;
		mix_u64(f, (uint64_t)ev->u.pkt.op << 32 | (uint32_t)ev->u.pkt.rule);
		mix_header(f, p);
		if (ev->u.pkt.op == PKT_DROP)
			mix_str(f, ev->u.pkt.reason);
		mix_name(f, p->link ? p->link->name : NULL);
		mix_name(f, p->link ? p->link->node[1 - p->dir]->name : NULL);
		mix_u64(f, (uint64_t)p->ttl << 8 | (uint64_t)p->retx);
		mix_u64(f, p->dup_of);
		mix_u64(f, (uint64_t)o->present << 32 |
		           (uint64_t)((o->present & OPT_MSS) ? o->mss : 0) << 8 |
		           ((o->present & OPT_WSCALE) ? o->wscale : 0));
		mix_u64(f, (o->present & OPT_TS) ?
		           (uint64_t)o->tsval << 32 | o->tsecr : 0);
		break;
	}
	case TR_STATE: {
		const struct tcp_conn *c = ev->u.state.conn;
		mix_u64(f, (uint64_t)tcp_conn_id(c) << 16 |
		           (uint64_t)ev->u.state.from << 8 | (uint64_t)ev->u.state.to);
		mix_str(f, ev->u.state.cause);
		mix_u64(f, tcp_conn_raddr(c));
		break;
	}
	default:
		break;
	}
}
