/*
 * link.c - delivery of packets across point-to-point links: targeted
 * rules, outages, queueing, serialization, loss models, jitter,
 * duplication and reordering, and changes scheduled by the scenario.
 *
 * Each direction draws from its own named streams, one per purpose
 * ("link:client->server:loss", "...:jitter", ...), and each rule from its
 * own, so adding a rule or a link never changes another's draws.
 */
#define _POSIX_C_SOURCE 200809L
#include "link.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/utf8.h"

/* A change scheduled by the scenario (link:down, link:up, link:set). */
struct link_change {
	struct sim_event ev;
	struct link *link;
	enum { CHANGE_STATE, CHANGE_PARAMS } kind;
	bool up;
	int dir;
	uint32_t mask;
	struct link_params p;
	struct link_change *prev, *next;
};

void
link_params_default(struct link_params *p)
{
	*p = (struct link_params){ .delay = SIMTIME_MS, .mtu = 1500 };
}

void
link_params_apply(struct link_params *d, const struct link_params *s,
                  uint32_t mask)
{
	if (mask & LP_DELAY)
		d->delay = s->delay;
	if (mask & LP_RATE)
		d->rate = s->rate;
	if (mask & LP_QUEUE)
		d->queue_pkts = s->queue_pkts;
	if (mask & LP_QUEUE_BYTES)
		d->queue_bytes = s->queue_bytes;
	if (mask & LP_MTU)
		d->mtu = s->mtu;
	if (mask & LP_LOSS)
		d->loss = s->loss;
	if (mask & LP_JITTER) {
		d->jitter = s->jitter;
		d->jitter_dist = s->jitter_dist;
	}
	if (mask & LP_REORDER)
		d->reorder = s->reorder;
	if (mask & LP_DUP)
		d->dup = s->dup;
	if (mask & LP_HOLD)
		d->hold = s->hold;
	if (mask & LP_HOLD_BY)
		d->hold_by = s->hold_by;
}

static void
stream(struct link *l, int d, struct rng *r, const char *what)
{
	char name[320];
	/* A second link between the same nodes would repeat the first's
	 * direction names; it is told apart by its own name. */
	if (l->parallel)
		snprintf(name, sizeof name, "link:%s:%s->%s:%s", l->name,
		         l->node[d]->name, l->node[1 - d]->name, what);
	else
		snprintf(name, sizeof name, "link:%s->%s:%s", l->node[d]->name,
		         l->node[1 - d]->name, what);
	sim_stream(l->net->sim, r, name);
}

static bool
link_name_taken(const struct net *net, const char *name)
{
	for (int i = 0; i < net->nlinks; i++)
		if (strcmp(net->links[i]->name, name) == 0)
			return true;
	return false;
}

/* "a-b" for the first link between a and b; the second between them,
 * either way round, is "a-b#2" and so on, so that its captures, trace
 * lines and streams are its own.  Names of first links stay as they
 * always were, and with them every output of a scenario without
 * parallel links.  A name some other pair already made ("a-b" + "c"
 * and "a" + "b-c") gets a number too. */
static char *
link_name(const struct net *net, const struct node *a, const struct node *b,
          bool *parallel)
{
	int n = 1;
	for (int i = 0; i < net->nlinks; i++) {
		const struct link *o = net->links[i];
		if ((o->node[0] == a && o->node[1] == b) ||
		    (o->node[0] == b && o->node[1] == a))
			n++;
	}
	*parallel = n > 1;
	size_t len = strlen(a->name) + strlen(b->name) + 16;
	char *name = malloc(len);
	if (name == NULL)
		return NULL;
	for (;; n++) {
		if (n == 1)
			snprintf(name, len, "%s-%s", a->name, b->name);
		else
			snprintf(name, len, "%s-%s#%d", a->name, b->name, n);
		if (!link_name_taken(net, name))
			return name;
	}
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
	if ((l->name = link_name(net, a, b, &l->parallel)) == NULL) {
		free(l);
		return NULL;
	}
	l->net = net;
	l->id = net->nlinks;
	l->node[0] = a;
	l->node[1] = b;
	l->up = true;
	for (int d = 0; d < 2; d++) {
		struct link_dir *ld = &l->dir[d];
		ld->p = *p;
		stream(l, d, &ld->loss_rng, "loss");
		stream(l, d, &ld->jitter_rng, "jitter");
		stream(l, d, &ld->dup_rng, "dup");
		stream(l, d, &ld->hold_rng, "hold");
	}
	l->iface[0] = node_attach(a, l, 0);
	l->iface[1] = node_attach(b, l, 1);
	if (l->iface[0] < 0 || l->iface[1] < 0) {
		free(l->name);
		free(l);
		return NULL;
	}
	net->links[net->nlinks++] = l;
	net->started = false;	/* routes change */
	return l;
}

void
link_free(struct link *l)
{
	while (l->changes) {
		struct link_change *c = l->changes;
		l->changes = c->next;
		sched_cancel(&l->net->sim->sched, &c->ev);
		free(c);
	}
	free(l->rules);
	free(l->name);
	free(l);
}

int
link_dir_from(const struct link *l, const struct node *n)
{
	return l->node[0] == n ? 0 : l->node[1] == n ? 1 : -1;
}

/* ---- rules -------------------------------------------------------------- */

static const char *
ordinal_suffix(uint64_t n)
{
	if (n % 100 >= 11 && n % 100 <= 13)
		return "th";
	switch (n % 10) {
	case 1: return "st";
	case 2: return "nd";
	case 3: return "rd";
	default: return "th";
	}
}

/* "rule #1: 1st SYN+ACK from server", "rule #2: first 3 FIN",
 * "rule #3: every packet of client:49152-server:80", ... */
static void
describe(struct link *l, struct link_rule *r, int num)
{
	uint64_t nth = r->nth ? r->nth : r->first == 1 ? 1 : 0;
	/* "1st SYN", "every packet", but "first 3 SYNs", "30% of packets" */
	const char *pl = !nth && (r->first > 1 || r->prob < 1) ? "s" : "";
	char what[48];
	char f[32];
	snprintf(what, sizeof what, "packet%s", pl);
	if (r->flags_exact)
		snprintf(what, sizeof what, "%s%s",
		         pkt_flags_str(r->flags_eq, f, sizeof f), pl);
	else if (r->flags_has)
		snprintf(what, sizeof what, "packet%s with %s", pl,
		         pkt_flags_str(r->flags_has, f, sizeof f));
	char sel[48];
	if (nth)
		snprintf(sel, sizeof sel, "%llu%s ", (unsigned long long)nth,
		         ordinal_suffix(nth));
	else if (r->first)
		snprintf(sel, sizeof sel, "first %llu ", (unsigned long long)r->first);
	else if (r->prob < 1)
		snprintf(sel, sizeof sel, "%g%% of ", r->prob * 100);
	else
		snprintf(sel, sizeof sel, "every ");
	/* Names are at most 63 bytes; 40 keep the line readable and bound
	 * it (desc holds every part at its longest), cut between
	 * characters. */
	char conn[128] = "";
	if (r->has_conn) {
		char e[2][48];
		for (int i = 0; i < 2; i++) {
			uint32_t addr = r->conn_addr[i];
			const struct node *n = net_find_addr(l->net, addr);
			if (n)
				snprintf(e[i], sizeof e[i], "%.*s",
				         (int)utf8_prefix(n->name, 40), n->name);
			else
				pkt_addr_str(addr, e[i], sizeof e[i]);
		}
		snprintf(conn, sizeof conn, " of %s:%u-%s:%u",
		         e[0], (unsigned)r->conn_port[0],
		         e[1], (unsigned)r->conn_port[1]);
	}
	char from[80] = "";
	if (r->dir >= 0)
		snprintf(from, sizeof from, " from %s", l->node[r->dir]->name);
	const char *act = r->action == RULE_DROP ? "" :
	                  r->action == RULE_DUP ? " (duplicate)" : " (delay)";
	snprintf(r->desc, sizeof r->desc, "rule #%d: %s%s%s%s%s", num, sel,
	         what, conn, from, act);
}

int
link_add_rule(struct link *l, const struct link_rule *r)
{
	struct link_rule *v = realloc(l->rules, sizeof *v * (size_t)(l->nrules + 1));
	if (v == NULL)
		return -1;
	l->rules = v;
	struct link_rule *n = &v[l->nrules];
	*n = *r;
	n->matched = n->applied = 0;
	int num = ++l->nrules;
	char name[256];
	snprintf(name, sizeof name, "link:%s:rule:%d", l->name, num);
	sim_stream(l->net->sim, &n->rng, name);
	describe(l, n, num);
	return num;
}

/* p belongs to the rule's connection: its 4-tuple, either way round. */
static bool
conn_matches(const struct link_rule *r, const struct pkt *p)
{
	for (int i = 0, j = 1; i < 2; i++, j--)
		if (p->src == r->conn_addr[i] && p->sport == r->conn_port[i] &&
		    p->dst == r->conn_addr[j] && p->dport == r->conn_port[j])
			return true;
	return false;
}

static bool
rule_matches(const struct link_rule *r, int dir, const struct pkt *p,
             simtime now)
{
	if (r->dir >= 0 && r->dir != dir)
		return false;
	if (r->flags_exact && p->flags != r->flags_eq)
		return false;
	if ((p->flags & r->flags_has) != r->flags_has)
		return false;
	if (r->payload >= 0 && (p->len > 0) != (r->payload > 0))
		return false;
	if (r->sport && p->sport != r->sport)
		return false;
	if (r->dport && p->dport != r->dport)
		return false;
	if (r->has_seq && p->seq != r->seq)
		return false;
	if (r->has_conn && !conn_matches(r, p))
		return false;
	return now >= r->after && now < r->before;
}

/* Count p against every rule; the first that selects it decides. */
static struct link_rule *
apply_rules(struct link *l, int dir, const struct pkt *p, int *num)
{
	simtime now = l->net->sim->sched.now;
	struct link_rule *hit = NULL;
	for (int i = 0; i < l->nrules; i++) {
		struct link_rule *r = &l->rules[i];
		if (!rule_matches(r, dir, p, now))
			continue;
		r->matched++;
		bool sel = r->nth ? r->matched == r->nth :
		           r->first ? r->matched <= r->first : true;
		/* The draw is made for every match, selected or not, so the
		 * stream's use does not depend on other rules. */
		if (r->prob < 1 && !rng_bernoulli(&r->rng, r->prob))
			sel = false;
		if (sel && hit == NULL) {
			hit = r;
			*num = i + 1;
		}
	}
	if (hit)
		hit->applied++;
	return hit;
}

/* ---- loss, jitter ----------------------------------------------------------- */

static bool
lost(struct link_dir *d)
{
	const struct loss_params *m = &d->p.loss;
	switch (m->model) {
	case LOSS_BERNOULLI:
		return rng_bernoulli(&d->loss_rng, m->p);
	case LOSS_GILBERT: {
		/* The state moves first, then the packet meets it. */
		if (d->ge_bad) {
			if (rng_bernoulli(&d->loss_rng, m->p_bg))
				d->ge_bad = false;
		} else if (rng_bernoulli(&d->loss_rng, m->p_gb)) {
			d->ge_bad = true;
		}
		return rng_bernoulli(&d->loss_rng, d->ge_bad ? m->loss_bad
		                                             : m->loss_good);
	}
	case LOSS_NTH:
		return m->nth && ++d->loss_count % m->nth == 0;
	case LOSS_NONE:
	default:
		return false;
	}
}

static simtime
jitter(struct link_dir *d)
{
	if (d->p.jitter <= 0)
		return 0;
	if (d->p.jitter_dist == JITTER_UNIFORM)
		return rng_range(&d->jitter_rng, 0, d->p.jitter);
	/* Normal with the given deviation around zero, clipped at zero;
	 * drawn in integers, since it decides when the packet arrives. */
	simtime x = rng_normal_scaled(&d->jitter_rng, d->p.jitter);
	return x > 0 ? x : 0;
}

/* ---- moving packets ---------------------------------------------------------- */

static void
drop(struct link *l, struct link_dir *d, struct pkt *p, const char *reason,
     int rule)
{
	d->dropped++;
	net_trace_pkt(l->net, PKT_DROP, l->name, p, reason, rule);
	net_pkt_free(l->net, p);
}

static void
arrive(struct sched *s, struct sim_event *ev)
{
	(void)s;
	struct pkt *p = container_of(ev, struct pkt, ev);
	struct link *l = p->link;
	/* The link went down while the packet was on it: lost with the
	 * signal, even if the link is up again by now. */
	if (p->link_downs != l->downs) {
		drop(l, &l->dir[p->dir], p, "link-down", 0);
		return;
	}
	l->dir[p->dir].delivered++;
	node_input(l->node[1 - p->dir], p);
}

/* Serialization is over: the packet leaves the queue and propagates,
 * for the delay, any extra from a rule or a hold, and the jitter. */
static void
transmitted(struct sched *s, struct sim_event *ev)
{
	struct pkt *p = container_of(ev, struct pkt, ev);
	struct link_dir *d = &p->link->dir[p->dir];
	/* Serialization ends in queue order (done times never decrease,
	 * and equal times fire in the order they were set), so a queued
	 * packet is at the head when its time comes; one that never
	 * queued (no rate, an idle link) is never there. */
	if (d->qhead == p) {
		d->qhead = p->next;
		if (d->qhead == NULL)
			d->qtail = NULL;
		p->next = NULL;
		d->qlen--;
		d->qbytes -= pkt_wire_len(p);
	}
	simtime at = s->now + d->p.delay + p->extra_delay + jitter(d);
	if (!d->p.reorder && at < d->last_arrival)
		at = d->last_arrival;	/* FIFO: no overtaking */
	if (at > d->last_arrival)
		d->last_arrival = at;
	ev->fire = arrive;
	sched_at(s, ev, at);
}

static void enqueue(struct link *l, int dir, struct pkt *p);

void
link_send(struct link *l, int dir, struct pkt *p)
{
	struct link_dir *d = &l->dir[dir];
	p->link = l;
	p->dir = dir;
	p->sent_at = l->net->sim->sched.now;
	p->extra_delay = 0;
	d->sent++;

	int num = 0;
	struct link_rule *r = l->nrules ? apply_rules(l, dir, p, &num) : NULL;
	if (r && r->action == RULE_DROP) {
		drop(l, d, p, r->desc, num);
		return;
	}
	if (r && r->action == RULE_DELAY)
		p->extra_delay = r->delay;
	if (r && r->action == RULE_DUP) {
		struct pkt *c = net_pkt_clone(l->net, p);
		if (c) {
			d->duplicated++;
			c->link = l;
			c->dir = dir;
			net_trace_pkt(l->net, PKT_DUP, l->name, c, r->desc, num);
			enqueue(l, dir, p);
			enqueue(l, dir, c);
			return;
		}
	}
	if (d->p.dup > 0 && rng_bernoulli(&d->dup_rng, d->p.dup)) {
		struct pkt *c = net_pkt_clone(l->net, p);
		if (c) {
			d->duplicated++;
			c->link = l;
			c->dir = dir;
			c->extra_delay = p->extra_delay;
			net_trace_pkt(l->net, PKT_DUP, l->name, c, "dup", 0);
			enqueue(l, dir, p);
			enqueue(l, dir, c);
			return;
		}
	}
	enqueue(l, dir, p);
}

static void
enqueue(struct link *l, int dir, struct pkt *p)
{
	struct link_dir *d = &l->dir[dir];
	struct sched *s = &l->net->sim->sched;
	uint32_t size = pkt_wire_len(p);
	/* With no rate a packet takes no time to send, so there is no
	 * queue: one that finds the transmitter idle leaves at once and
	 * never counts against the limits, even beside others sent in the
	 * same instant.  A backlog left by an earlier rate is still a
	 * queue.  (Refusing queue without rate instead would break a
	 * scenario that sets the rate later.) */
	bool queues = d->p.rate > 0 || d->busy_until > s->now;
	const char *why = NULL;
	if (!l->up)
		why = "link-down";
	else if (d->p.mtu && size > d->p.mtu)
		why = "mtu";
	else if (queues &&
	         ((d->p.queue_pkts && d->qlen >= d->p.queue_pkts) ||
	          (d->p.queue_bytes && d->qbytes + size > d->p.queue_bytes)))
		why = "queue";
	else if (lost(d))
		why = "loss";
	if (why) {
		drop(l, d, p, why, 0);
		return;
	}
	p->link_downs = l->downs;
	if (d->p.hold > 0 && rng_bernoulli(&d->hold_rng, d->p.hold))
		p->extra_delay += d->p.hold_by;
	simtime done = s->now;
	if (queues) {
		simtime start = d->busy_until > s->now ? d->busy_until : s->now;
		done = start + (d->p.rate ? units_tx_time(size, d->p.rate) : 0);
		d->busy_until = done;
		d->qlen++;
		d->qbytes += size;
		p->next = NULL;
		if (d->qtail)
			d->qtail->next = p;
		else
			d->qhead = p;
		d->qtail = p;
	}
	sched_event_init(&p->ev, transmitted);
	sched_at(s, &p->ev, done);
}

/* ---- scheduled changes --------------------------------------------------------- */

/* The queue of d dies with the link: what waits and what is being
 * serialized are lost now, not when their serialization would have
 * ended, so the transmitter is free the moment the link is back.  The
 * queue is taken off the direction before the drops are traced, so
 * nothing reached from a drop can see it half emptied. */
static void
flush(struct link *l, struct link_dir *d)
{
	struct sched *s = &l->net->sim->sched;
	struct pkt *p = d->qhead;
	d->qhead = d->qtail = NULL;
	d->qlen = 0;
	d->qbytes = 0;
	if (d->busy_until > s->now)
		d->busy_until = s->now;
	while (p) {
		struct pkt *next = p->next;
		p->next = NULL;
		sched_cancel(s, &p->ev);
		drop(l, d, p, "link-down", 0);
		p = next;
	}
}

static void
change_apply(struct link *l, const struct link_change *c)
{
	if (c->kind == CHANGE_STATE) {
		bool going_down = l->up && !c->up;
		l->up = c->up;
		if (going_down) {
			l->downs++;
			flush(l, &l->dir[0]);
			flush(l, &l->dir[1]);
		}
		return;
	}
	for (int d = 0; d < 2; d++)
		if (c->dir < 0 || c->dir == d)
			link_params_apply(&l->dir[d].p, &c->p, c->mask);
}

static void
change_fire(struct sched *s, struct sim_event *ev)
{
	(void)s;
	struct link_change *c = container_of(ev, struct link_change, ev);
	struct link *l = c->link;
	change_apply(l, c);
	if (c->prev)
		c->prev->next = c->next;
	else
		l->changes = c->next;
	if (c->next)
		c->next->prev = c->prev;
	else
		l->last = c->prev;
	free(c);
}

static struct link_change *
new_change(struct link *l, simtime at)
{
	struct link_change *c = calloc(1, sizeof *c);
	if (c == NULL)
		return NULL;
	c->link = l;
	sched_event_init(&c->ev, change_fire);
	if (sched_at(&l->net->sim->sched, &c->ev, at) < 0) {
		free(c);
		return NULL;
	}
	/* Kept in the order they will fire, (time, sequence): after every
	 * change due at or before at, since c's sequence is the newest.
	 * Looked for from the end, where a schedule written in time order
	 * adds each change. */
	struct link_change *prev = l->last;
	while (prev && prev->ev.at > at)
		prev = prev->prev;
	if (prev != l->last)
		l->final_stale = true;	/* not the last: recomputed when read */
	c->prev = prev;
	c->next = prev ? prev->next : l->changes;
	if (c->next)
		c->next->prev = c;
	else
		l->last = c;
	if (prev)
		prev->next = c;
	else
		l->changes = c;
	return c;
}

/* The pending changes are kept in the order they run (new_change), so
 * those due by at apply in one pass. */
void
link_params_at(const struct link *l, int dir, simtime at,
               struct link_params *p)
{
	if (!l->final_stale && (l->last == NULL || l->last->ev.at <= at)) {
		*p = l->last ? l->final[dir] : l->dir[dir].p;
		return;
	}
	*p = l->dir[dir].p;
	const struct link_change *c;
	for (c = l->changes; c && c->ev.at <= at; c = c->next)
		if (c->kind == CHANGE_PARAMS && (c->dir < 0 || c->dir == dir))
			link_params_apply(p, &c->p, c->mask);
}

/* Bring final[] up to date after a change was added (c) or applied at
 * once (c NULL): the cheap way when c went at the end. */
static void
final_update(struct link *l, const struct link_change *c)
{
	if (l->final_stale || c == NULL || c != l->last) {
		l->final_stale = true;
		for (int d = 0; d < 2; d++) {
			struct link_params p = l->dir[d].p;
			for (const struct link_change *e = l->changes; e; e = e->next)
				if (e->kind == CHANGE_PARAMS &&
				    (e->dir < 0 || e->dir == d))
					link_params_apply(&p, &e->p, e->mask);
			l->final[d] = p;
		}
		l->final_stale = false;
		return;
	}
	for (int d = 0; d < 2; d++) {
		if (c->prev == NULL)
			l->final[d] = l->dir[d].p;
		if (c->kind == CHANGE_PARAMS && (c->dir < 0 || c->dir == d))
			link_params_apply(&l->final[d], &c->p, c->mask);
	}
}

/* A change for the current time takes effect at once: a scenario that
 * takes a link down at 0 s and then connects expects the SYN lost, and a
 * queued event would run only after that SYN went out. */
static int
link_at(struct link *l, simtime at, const struct link_change *what)
{
	if (at == sim_now(l->net->sim)) {
		change_apply(l, what);
		l->final_stale = true;
		return 0;
	}
	struct link_change *c = new_change(l, at);
	if (c == NULL)
		return -1;
	c->kind = what->kind;
	c->up = what->up;
	c->dir = what->dir;
	c->p = what->p;
	c->mask = what->mask;
	final_update(l, c);
	return 0;
}

int
link_at_state(struct link *l, simtime at, bool up)
{
	struct link_change c = { .kind = CHANGE_STATE, .up = up };
	return link_at(l, at, &c);
}

int
link_at_params(struct link *l, simtime at, int dir, const struct link_params *p,
               uint32_t mask)
{
	struct link_change c = { .kind = CHANGE_PARAMS, .dir = dir, .p = *p,
	                         .mask = mask };
	return link_at(l, at, &c);
}
