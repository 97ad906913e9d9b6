/*
 * tcp.c - TCP hosts: connection records, the demultiplexing table,
 * listeners, ports and ISNs, state changes, and the user calls of
 * RFC 9293 3.10.1-3.10.6 (OPEN, SEND, CLOSE, ABORT).
 */
#define _POSIX_C_SOURCE 200809L
#include <assert.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tcp_int.h"

static const char *const state_names[TCP_NSTATES] = {
	[TCP_CLOSED] = "CLOSED",
	[TCP_LISTEN] = "LISTEN",
	[TCP_SYN_SENT] = "SYN-SENT",
	[TCP_SYN_RECEIVED] = "SYN-RECEIVED",
	[TCP_ESTABLISHED] = "ESTABLISHED",
	[TCP_CLOSE_WAIT] = "CLOSE-WAIT",
	[TCP_FIN_WAIT_1] = "FIN-WAIT-1",
	[TCP_CLOSING] = "CLOSING",
	[TCP_LAST_ACK] = "LAST-ACK",
	[TCP_FIN_WAIT_2] = "FIN-WAIT-2",
	[TCP_TIME_WAIT] = "TIME-WAIT",
};
_Static_assert(sizeof state_names / sizeof state_names[0] == TCP_NSTATES,
               "a name for every state");

/* Linux's default ip_local_port_range. */
#define EPHEMERAL_LO 32768
#define EPHEMERAL_HI 60999

const char *
tcp_state_name(int s)
{
	return s >= 0 && s < TCP_NSTATES ? state_names[s] : "?";
}

/* ---- hosts ---------------------------------------------------------------- */

struct tcp_host *
tcp_host_new(struct node *n, const struct tcp_profile *p)
{
	struct tcp_host *h = calloc(1, sizeof *h);
	if (h == NULL)
		return NULL;
	h->node = n;
	h->net = n->net;
	h->sim = n->net->sim;
	h->prof = *p;
	char name[128];
	snprintf(name, sizeof name, "host:%s:tcp", n->name);
	sim_stream(h->sim, &h->rng, name);
	h->isn_key[0] = rng_next(&h->rng);
	h->isn_key[1] = rng_next(&h->rng);
	/* Derived, not drawn: the stream's later draws stay as they were. */
	uint64_t k = h->isn_key[0] ^ 0x636f6f6b6965u;
	h->cookie_key[0] = rng_splitmix64(&k);
	h->cookie_key[1] = rng_splitmix64(&k);
	h->next_port = (uint16_t)(EPHEMERAL_LO +
	                          rng_below(&h->rng, EPHEMERAL_HI - EPHEMERAL_LO + 1));
	h->chack_second = -1;
	sched_event_init(&h->tw_ev, tcp_tw_fire);
	tcp_wheel_init(h);
	return h;
}

/* A whole connection's memory: its buffers, its held data and SACK
 * record, itself (its timers stopped, its entry by id dealt with). */
static void
conn_free(struct tcp_conn *c)
{
	free(c->sbuf);
	tcp_held_free(c);
	tcp_sack_release(c);
	free(c);
}

void
tcp_host_free(struct tcp_host *h)
{
	for (int i = 0; i < h->nconns; i++) {
		struct tcp_conn *c = tcp_host_conn(h, i + 1);
		if (c && !c->shrunk) {
			tcp_timers_stop(c);
			conn_free(c);
		}
	}
	while (h->slabs) {
		struct tcp_rec_slab *s = h->slabs;
		h->slabs = s->next;
		free(s);
	}
	for (int i = 0; i < h->nlisteners; i++) {
		free(h->listeners[i]->acceptq);
		free(h->listeners[i]);
	}
	tcp_sack_pool_free(h);
	for (int i = 0; i < h->cappages; i++)
		free(h->pages[i]);
	free(h->pages);
	free(h->listeners);
	free(h->table);
	free(h);
}

void
tcp_host_set_app(struct tcp_host *h, const struct tcp_app *app, void *ctx)
{
	h->app = *app;
	h->app_ctx = ctx;
}

struct tcp_profile *
tcp_host_profile(struct tcp_host *h)
{
	return &h->prof;
}

struct node *
tcp_host_node(const struct tcp_host *h)
{
	return h->node;
}

struct tcp_conn *
tcp_host_conn(const struct tcp_host *h, int n)
{
	if (n < 1 || n > h->nconns)
		return NULL;
	const struct tcp_conn_page *p = h->pages[(n - 1) / TCP_CONN_PAGE];
	return p ? p->c[(n - 1) % TCP_CONN_PAGE] : NULL;
}

/* Set the entry of connection id (its page made if need be); false if
 * memory ran out. */
static bool
conn_slot_set(struct tcp_host *h, int id, struct tcp_conn *c)
{
	int pg = (id - 1) / TCP_CONN_PAGE;
	if (pg >= h->cappages) {
		int cap = h->cappages ? 2 * h->cappages : 4;
		struct tcp_conn_page **v = realloc(h->pages, sizeof *v * (size_t)cap);
		if (v == NULL)
			return false;
		memset(v + h->cappages, 0, sizeof *v * (size_t)(cap - h->cappages));
		h->pages = v;
		h->cappages = cap;
	}
	struct tcp_conn_page *p = h->pages[pg];
	if (p == NULL) {
		if (c == NULL)
			return true;
		if ((p = h->pages[pg] = calloc(1, sizeof *p)) == NULL)
			return false;
	}
	struct tcp_conn **e = &p->c[(id - 1) % TCP_CONN_PAGE];
	p->used += (c != NULL) - (*e != NULL);
	*e = c;
	if (p->used == 0) {
		free(p);
		h->pages[pg] = NULL;
	}
	return true;
}

int
tcp_host_nconns(const struct tcp_host *h)
{
	return h->nconns;
}

/* ---- the demultiplexing table ----------------------------------------------
 * Chained hash on the 4-tuple.  Only lookups use it, never iteration, so
 * its layout cannot leak into the order of anything. */

static void
table_grow(struct tcp_host *h)
{
	uint32_t size = h->table_size ? h->table_size * 2 : 256;
	struct tcp_conn **t = calloc(size, sizeof *t);
	if (t == NULL)
		return;		/* keep the old table; chains get longer */
	for (uint32_t i = 0; i < h->table_size; i++) {
		struct tcp_conn *c = h->table[i], *next;
		for (; c; c = next) {
			next = c->hnext;
			uint32_t b = pkt_tuple_hash(c->laddr, c->lport, c->raddr,
			                            c->rport) & (size - 1);
			c->hnext = t[b];
			t[b] = c;
		}
	}
	free(h->table);
	h->table = t;
	h->table_size = size;
}

void
tcp_table_insert(struct tcp_conn *c)
{
	struct tcp_host *h = c->host;
	if (c->in_table)
		return;
	if (h->table_used >= h->table_size)
		table_grow(h);
	if (h->table_size == 0)
		return;
	uint32_t b = pkt_tuple_hash(c->laddr, c->lport, c->raddr, c->rport) &
	             (h->table_size - 1);
	c->hnext = h->table[b];
	h->table[b] = c;
	h->table_used++;
	c->in_table = true;
}

void
tcp_table_remove(struct tcp_conn *c)
{
	struct tcp_host *h = c->host;
	if (!c->in_table)
		return;
	uint32_t b = pkt_tuple_hash(c->laddr, c->lport, c->raddr, c->rport) &
	             (h->table_size - 1);
	for (struct tcp_conn **pp = &h->table[b]; *pp; pp = &(*pp)->hnext)
		if (*pp == c) {
			*pp = c->hnext;
			break;
		}
	c->hnext = NULL;
	c->in_table = false;
	h->table_used--;
}

static struct tcp_conn *
table_find(struct tcp_host *h, uint32_t laddr, uint16_t lport, uint32_t raddr,
           uint16_t rport)
{
	if (h->table_size == 0)
		return NULL;
	uint32_t b = pkt_tuple_hash(laddr, lport, raddr, rport) &
	             (h->table_size - 1);
	for (struct tcp_conn *c = h->table[b]; c; c = c->hnext)
		if (c->laddr == laddr && c->lport == lport && c->raddr == raddr &&
		    c->rport == rport)
			return c;
	return NULL;
}

struct tcp_conn *
tcp_lookup(struct tcp_host *h, const struct pkt *p)
{
	return table_find(h, p->dst, p->dport, p->src, p->sport);
}

struct tcp_listener *
tcp_find_listener(struct tcp_host *h, uint16_t port)
{
	for (int i = 0; i < h->nlisteners; i++)
		if (h->listeners[i]->port == port && !h->listeners[i]->closed)
			return h->listeners[i];
	return NULL;
}

/* ---- connection records --------------------------------------------------- */

struct tcp_conn *
tcp_conn_new(struct tcp_host *h, uint32_t laddr, uint16_t lport,
             uint32_t raddr, uint16_t rport)
{
	struct tcp_conn *c = calloc(1, sizeof *c);
	if (c == NULL || !conn_slot_set(h, h->nconns + 1, c)) {
		free(c);
		return NULL;
	}
	c->host = h;
	c->id = h->nconns + 1;
	c->state = TCP_CLOSED;
	c->laddr = laddr;
	c->lport = lport;
	c->raddr = raddr;
	c->rport = rport;
	c->rcv_wnd = tcp_initial_window(h, raddr, false);
	c->snd_wscale = c->rcv_wscale = -1;
	c->peer_mss = 536;	/* RFC 9293 3.7.1: the default without the option */
	c->eff_mss = 536;
	c->rto = h->prof.rto_initial;
	c->t_open = sim_now(h->sim);
	c->t_established = c->t_closed = -1;
	c->last_oow = -1;
	c->ts_recent_at = -1;
	c->rcv_mss = 536;	/* Linux: TCP_MSS_DEFAULT until measured */
	tcp_timers_init(c);
	h->nconns++;
	return c;
}

/*
 * RFC 6528: ISN = M + F(localip, localport, remoteip, remoteport, key),
 * M the 4 microsecond clock.  F here is a 64-bit mix keyed by the host's
 * secret (drawn from its stream), not a cryptographic hash: nobody attacks
 * a simulation, and the result is reproducible.
 */
uint32_t
tcp_choose_isn(struct tcp_conn *c)
{
	struct tcp_host *h = c->host;
	uint32_t clock = (uint32_t)(sim_now(h->sim) / (4 * SIMTIME_US));
	switch (h->prof.isn) {
	case TCP_ISN_ZERO:
		return 0;
	case TCP_ISN_CLOCK:
		return clock;
	case TCP_ISN_RANDOM:
		return (uint32_t)rng_next(&h->rng);
	case TCP_ISN_HASH:
	default: {
		uint64_t x = h->isn_key[0] ^ ((uint64_t)c->laddr << 32 | c->raddr);
		uint64_t y = h->isn_key[1] ^ ((uint64_t)c->lport << 16 | c->rport);
		uint64_t f = rng_splitmix64(&x) ^ rng_splitmix64(&y);
		return clock + (uint32_t)f;
	}
	}
}

/* Linux's secure_tcp_ts_off: the timestamp clock's offset is a keyed
 * hash of the address pair, the same for every connection between two
 * hosts (so a SYN cookie's timestamp can be read back without state, and
 * one connection never changes another's numbers). */
uint32_t
tcp_ts_offset(const struct tcp_host *h, uint32_t laddr, uint32_t raddr)
{
	uint64_t x = h->cookie_key[1] ^ ((uint64_t)laddr << 32 | raddr);
	return (uint32_t)rng_splitmix64(&x);
}

/*
 * linux profile, tw_reuse (net.ipv4.tcp_tw_reuse = 1): a new outgoing
 * connection may take the 4-tuple of one in TIME-WAIT that saw
 * timestamps, once more than a second has passed since the last one it
 * recorded (tcp_twsk_unique; the second is tcp_tw_reuse_delay's default,
 * 1000 ms).  The timestamps keep old duplicates out (RFC 7323 5.8,
 * PAWS), which TIME-WAIT would otherwise be there for.  Linux's default,
 * 2, allows it on loopback only, which a simulated network has not.
 */
static bool
tw_reusable(const struct tcp_host *h, const struct tcp_conn *c)
{
	return h->prof.tw_reuse && c->state == TCP_TIME_WAIT && c->ts_ok &&
	       c->ts_recent_at >= 0 &&
	       sim_now(h->sim) > c->ts_recent_at + SIMTIME_S;
}

static int
choose_port(struct tcp_host *h, uint32_t laddr, uint32_t raddr, uint16_t rport,
            uint16_t *out)
{
	/* Every port was taken towards this peer when we last looked, and no
	 * connection has left the table since: fail at once instead of
	 * scanning the whole range again for each of many connects.  (Not
	 * with tw_reuse: time alone makes a port free again.) */
	if (!h->prof.tw_reuse && h->full_used > 0 && h->full_raddr == raddr &&
	    h->full_rport == rport && h->table_used >= h->full_used)
		return SIM_EAGAIN;
	/* Sequential from a random start, skipping ports whose 4-tuple is
	 * taken (Linux picks from a hashed offset; the effect is the same). */
	for (int i = 0; i <= EPHEMERAL_HI - EPHEMERAL_LO; i++) {
		uint16_t port = h->next_port;
		h->next_port = port == EPHEMERAL_HI ? EPHEMERAL_LO : port + 1;
		struct tcp_conn *o = table_find(h, laddr, port, raddr, rport);
		if ((o == NULL || tw_reusable(h, o)) &&
		    !tcp_find_listener(h, port)) {
			*out = port;
			return 0;
		}
	}
	h->full_raddr = raddr;
	h->full_rport = rport;
	h->full_used = h->table_used;
	return SIM_EAGAIN;
}

/* ---- trace ------------------------------------------------------------------ */

void
tcp_set_state(struct tcp_conn *c, enum tcp_state to, const char *cause,
              const char *rule)
{
	struct sim *sim = c->host->sim;
	enum tcp_state from = c->state;
	c->state = to;
	if (!trace_wants(&sim->trace, TR_STATE))
		return;
	struct trace_event ev = { .kind = TR_STATE, .t = sim_now(sim),
	                          .node = c->host->node->name };
	ev.u.state.conn = c;
	ev.u.state.from = (int)from;
	ev.u.state.to = (int)to;
	ev.u.state.cause = cause;
	ev.u.state.rule = rule;
	trace_emit(&sim->trace, &ev);
}

void
tcp_trace_result(struct tcp_conn *c, const char *what, const char *detail,
                 int64_t value)
{
	struct sim *sim = c->host->sim;
	if (!trace_wants(&sim->trace, TR_APP))
		return;
	struct trace_event ev = { .kind = TR_APP, .t = sim_now(sim),
	                          .node = c->host->node->name };
	ev.u.app.conn = c;
	ev.u.app.call = what;
	ev.u.app.detail = detail;
	ev.u.app.value = value;
	trace_emit(&sim->trace, &ev);
}

void
tcp_trace_app(struct tcp_conn *c, const char *call, const char *detail)
{
	tcp_trace_result(c, call, detail, 0);
}

/* ---- life and death -------------------------------------------------------- */

/* A passive connection leaves its listener's queue of half-open ones. */
static void
leave_listen_queue(struct tcp_conn *c)
{
	struct tcp_listener *l = c->listener;
	c->listener = NULL;
	l->pending--;
	if (c->synq_young)
		l->young--;
	c->synq_young = false;
}

void
tcp_drop(struct tcp_conn *c, int err, const char *cause, const char *rule)
{
	struct tcp_host *h = c->host;
	if (c->state == TCP_CLOSED)
		return;
	/* A passive connection keeps its listener while it is on the queue
	 * of half-open ones: in SYN-RECEIVED, or after a close there until
	 * our SYN is acknowledged. */
	bool was_pending = c->listener != NULL;
	tcp_timers_stop(c);
	tcp_sack_release(c);
	tcp_table_remove(c);
	struct tcp_listener *l = c->listener;
	if (was_pending)
		leave_listen_queue(c);
	c->listener = NULL;
	c->error = err;
	c->t_closed = sim_now(h->sim);
	tcp_set_state(c, TCP_CLOSED, cause, rule);
	/* A passive connection the application never saw dies unheard:
	 * accept() hands over completed connections only (Linux: a request
	 * sock that times out or is reset is freed by inet_csk_reqsk_queue_drop
	 * and no socket call learns of it). */
	bool known = !c->passive || c->accepted;
	if (was_pending)
		tcp_trace_queue(l, "half-open request gone");
	if (known && err)
		tcp_trace_app(c, "error", sim_strerror(err));
	if (known)
		tcp_trace_result(c, "closed", err ? sim_strerror(err) : NULL, 0);
	if (known && h->app.closed)
		h->app.closed(h->app_ctx, c, err);
	if (c->tag == 0)
		tcp_conn_release(c);
}

/* Our SYN is acknowledged: the open is over, whatever state it ends in. */
static void
handshake_over(struct tcp_conn *c)
{
	tcp_stop_life(c, LIFE_CONNECT);
	/* RFC 6298 5.7: after a retransmitted SYN and no RTT sample, begin
	 * data transfer with an RTO of 3 s (Linux: TCP_TIMEOUT_FALLBACK),
	 * not with the handshake's backed-off one. */
	if (!c->rtt_valid && c->syn_retransmitted && c->rto < 3 * SIMTIME_S)
		c->rto = 3 * SIMTIME_S;
	c->retries = 0;
	c->backoff = 0;
}

void
tcp_enter_established(struct tcp_conn *c, const char *cause, const char *rule)
{
	struct tcp_host *h = c->host;
	c->t_established = sim_now(h->sim);
	c->quickacks = h->prof.quickacks;
	tcp_set_state(c, TCP_ESTABLISHED, cause, rule);
	handshake_over(c);
}

/*
 * Our SYN acknowledged in FIN-WAIT-1 or CLOSING: the application closed
 * in SYN-RECEIVED and the FIN went out at once (RFC 9293 3.10.4), so the
 * connection never passes through ESTABLISHED and the application,
 * which gave it up, hears nothing.  The open is over all the same: the
 * connect timer stops, and a passive connection is no longer half-open
 * and leaves its listener's queue (not as accepted: nobody accepts it).
 */
void
tcp_syn_acked_after_close(struct tcp_conn *c)
{
	handshake_over(c);
	struct tcp_listener *l = c->listener;
	if (l) {
		leave_listen_queue(c);
		tcp_trace_queue(l, "half-open request closed");
	}
}

void
tcp_tell_established(struct tcp_conn *c)
{
	struct tcp_host *h = c->host;
	if (c->passive) {
		struct tcp_listener *l = c->listener;
		if (l) {
			leave_listen_queue(c);
			tcp_accept_completed(l, c);
		}
		return;
	}
	/* Told before the callback runs: what the application does in
	 * it (send, close) comes after, in the trace too. */
	tcp_trace_result(c, "connected", NULL, c->t_established - c->t_open);
	if (h->app.connected)
		h->app.connected(h->app_ctx, c);
}

/* ---- user calls -------------------------------------------------------------- */

struct tcp_listener *
tcp_listen(struct tcp_host *h, uint16_t port, int backlog, int *err)
{
	if (port == 0 || tcp_find_listener(h, port)) {
		*err = port ? SIM_EADDRINUSE : SIM_EINVAL;
		return NULL;
	}
	struct tcp_listener **v = realloc(h->listeners,
	                                  sizeof *v * (size_t)(h->nlisteners + 1));
	struct tcp_listener *l = calloc(1, sizeof *l);
	if (v)
		h->listeners = v;
	if (v == NULL || l == NULL) {
		free(l);
		*err = SIM_ENOMEM;
		return NULL;
	}
	l->host = h;
	l->port = port;
	l->backlog = backlog >= 0 ? backlog : h->prof.backlog;
	/* linux: __sys_listen caps the backlog at net.core.somaxconn. */
	if (h->prof.somaxconn > 0 && l->backlog > h->prof.somaxconn)
		l->backlog = h->prof.somaxconn;
	l->last_overflow = -1;
	h->listeners[h->nlisteners++] = l;
	return l;
}

uint16_t
tcp_listener_port(const struct tcp_listener *l)
{
	return l->port;
}

struct tcp_listener *
tcp_host_listener(struct tcp_host *h, uint16_t port)
{
	return tcp_find_listener(h, port);
}

uint64_t
tcp_listener_syn_dropped(const struct tcp_listener *l)
{
	return l->syn_dropped;
}

uint64_t
tcp_listener_accepted(const struct tcp_listener *l)
{
	return l->accepted;
}

int
tcp_host_nlisteners(const struct tcp_host *h)
{
	return h->nlisteners;
}

const struct tcp_listener *
tcp_host_listener_at(const struct tcp_host *h, int i)
{
	return h->listeners[i];
}

int
tcp_listener_backlog(const struct tcp_listener *l)
{
	return l->backlog;
}

bool
tcp_listener_closed(const struct tcp_listener *l)
{
	return l->closed;
}

uint64_t
tcp_listener_cookies_sent(const struct tcp_listener *l)
{
	return l->cookies_sent;
}

uint64_t
tcp_listener_cookies_accepted(const struct tcp_listener *l)
{
	return l->cookies_accepted;
}

/* Closing a listener resets the connections still on its queue, as
 * Linux's inet_csk_listen_stop does. */
void
tcp_listener_close(struct tcp_listener *l)
{
	struct tcp_host *h = l->host;
	if (l->closed)
		return;
	l->closed = true;
	for (int i = 0; i < h->nconns; i++) {
		struct tcp_conn *c = tcp_host_conn(h, i + 1);
		if (c && !c->shrunk && c->listener == l &&
		    c->state == TCP_SYN_RECEIVED) {
			tcp_send_flags(c, TH_RST | TH_ACK, c->snd_nxt, 0,
			               "listener closed", false);
			tcp_drop(c, SIM_ECONNABORTED, "listener closed",
			         "linux: inet_csk_listen_stop resets the queue");
		}
	}
	tcp_acceptq_reset(l);
}

struct tcp_conn *
tcp_connect(struct tcp_host *h, uint32_t raddr, uint16_t rport,
            const struct tcp_connect_opts *o, int *err)
{
	uint32_t laddr = h->node->addr;
	uint16_t lport = o->lport;
	if (rport == 0) {
		*err = SIM_EINVAL;
		return NULL;
	}
	/* linux: tcp_v4_connect -> ip_route_connect fails at once with
	 * ENETUNREACH when no route leads to the destination; no SYN is
	 * sent and no retry follows. */
	if (!node_has_route(h->node, raddr)) {
		*err = SIM_ENETUNREACH;
		return NULL;
	}
	if (lport == 0) {
		if ((*err = choose_port(h, laddr, raddr, rport, &lport)) != 0)
			return NULL;
	}
	struct tcp_conn *tw = table_find(h, laddr, lport, raddr, rport);
	if (tw && !tw_reusable(h, tw)) {
		*err = SIM_EADDRINUSE;
		return NULL;
	}
	/* tcp_twsk_unique: the new connection starts its sequence space
	 * past the old one's largest window (snd_nxt + 65535 + 2) and keeps
	 * its timestamp state. */
	uint32_t tw_iss = 0, tw_ts_recent = 0;
	simtime tw_ts_at = -1;
	if (tw) {
		tw_iss = tw->snd_nxt + 65535 + 2;
		if (tw_iss == 0)
			tw_iss = 1;
		tw_ts_recent = tw->ts_recent;
		tw_ts_at = tw->ts_recent_at;
		tcp_drop(tw, 0, "a new connection takes its ports (tw_reuse)",
		         "linux: tcp_twsk_unique, net.ipv4.tcp_tw_reuse = 1");
	}
	struct tcp_conn *c = tcp_conn_new(h, laddr, lport, raddr, rport);
	if (c == NULL) {
		*err = SIM_ENOMEM;
		return NULL;
	}
	/* RFC 9293 3.10.1, OPEN in CLOSED: select an ISS, send a SYN,
	 * SND.UNA = ISS, SND.NXT = ISS+1, enter SYN-SENT. */
	c->iss = o->isn_fixed ? o->isn : tw ? tw_iss : tcp_choose_isn(c);
	if (tw) {
		c->ts_recent = tw_ts_recent;
		c->ts_recent_at = tw_ts_at;
	}
	c->snd_una = c->iss;
	c->snd_nxt = c->snd_max = c->iss;
	c->sbuf_seq = c->iss + 1;
	c->ts_offset = h->prof.opt_ts ? tcp_ts_offset(h, c->laddr, c->raddr) : 0;
	tcp_table_insert(c);
	tcp_set_state(c, TCP_SYN_SENT, "connect() called",
	              "RFC 9293 3.10.1, OPEN call, CLOSED state");
	tcp_trace_app(c, "connect", NULL);
	simtime to = o->timeout ? o->timeout : h->prof.connect_timeout;
	if (to > 0)
		tcp_arm_life(c, LIFE_CONNECT, to);
	tcp_send_syn(c, NULL);
	*err = 0;
	return c;
}

static int
sbuf_append(struct tcp_conn *c, uint64_t n, const unsigned char *data)
{
	if (n == 0)	/* send(""): nothing to keep, and no buffer yet */
		return 0;
	if (data == NULL && c->sbuf == NULL) {
		c->sbuf_len += n;
		return 0;
	}
	/* Content is kept once any was given; counted bytes become zeros. */
	size_t need = (size_t)(c->sbuf_len + n);
	if (need > c->sbuf_cap) {
		size_t cap = c->sbuf_cap ? c->sbuf_cap : 256;
		while (cap < need)
			cap *= 2;
		unsigned char *b = realloc(c->sbuf, cap);
		if (b == NULL)
			return SIM_ENOMEM;
		if (c->sbuf == NULL)
			memset(b, 0, (size_t)c->sbuf_len);
		c->sbuf = b;
		c->sbuf_cap = cap;
	}
	if (data)
		memcpy(c->sbuf + c->sbuf_len, data, (size_t)n);
	else
		memset(c->sbuf + c->sbuf_len, 0, (size_t)n);
	c->sbuf_len += n;
	return 0;
}

int
tcp_send(struct tcp_conn *c, uint64_t n, const unsigned char *data)
{
	switch (c->state) {
	case TCP_CLOSED:
	case TCP_LISTEN:
		return SIM_ENOTCONN;
	case TCP_SYN_SENT:
	case TCP_SYN_RECEIVED:
	case TCP_ESTABLISHED:
	case TCP_CLOSE_WAIT:
		break;
	default:
		return SIM_EPIPE;
	}
	if (c->fin_queued)
		return SIM_EPIPE;
	int err = sbuf_append(c, n, data);
	if (err)
		return err;
	/* RFC 9293 3.10.2: in SYN-SENT and SYN-RECEIVED, queue the data for
	 * transmission after entering ESTABLISHED. */
	if (TCP_SYNCHRONIZED(c->state))
		tcp_output(c);
	return 0;
}

/*
 * RFC 9293 3.10.4 CLOSE / shutdown(SHUT_WR): queue a FIN after the data.
 * In SYN-SENT the connection just goes away, without a RST (as Linux,
 * whose tcp_close_state takes SYN-SENT to CLOSE for both calls).
 * closing: close() rather than shutdown(), for the narration.
 */
static int
shut_wr(struct tcp_conn *c, bool closing)
{
	switch (c->state) {
	case TCP_CLOSED:
	case TCP_LISTEN:
		return SIM_ENOTCONN;
	case TCP_SYN_SENT:
		tcp_drop(c, 0, closing ? "closed before the handshake completed" :
		         "shut down before the handshake completed",
		         "RFC 9293 3.10.4, SYN-SENT: delete the TCB (no RST, as Linux)");
		return 0;
	case TCP_SYN_RECEIVED:
	case TCP_ESTABLISHED:
	case TCP_CLOSE_WAIT:
		break;
	default:
		return c->fin_queued ? 0 : SIM_ENOTCONN;
	}
	if (c->fin_queued)
		return 0;
	c->fin_queued = true;
	c->fin_seq = c->sbuf_seq + (uint32_t)c->sbuf_len;
	const char *cause = closing ? "application closed" :
	                    "application shut down its sending side";
	/* RFC 9293 3.10.4: SYN-RECEIVED with nothing to send sends the FIN
	 * now; otherwise it waits for ESTABLISHED.  ESTABLISHED goes to
	 * FIN-WAIT-1, CLOSE-WAIT to LAST-ACK, as the FIN is queued. */
	if (c->state == TCP_SYN_RECEIVED) {
		if (c->sbuf_len == 0) {
			tcp_set_state(c, TCP_FIN_WAIT_1, closing ?
			              "application closed before the handshake "
			              "completed" : "application shut down its sending "
			              "side before the handshake completed",
			              "RFC 9293 3.10.4, SYN-RECEIVED state");
			tcp_output(c);
		}
		return 0;
	}
	if (c->state == TCP_ESTABLISHED)
		tcp_set_state(c, TCP_FIN_WAIT_1, cause,
		              "RFC 9293 3.10.4, ESTABLISHED state");
	else
		tcp_set_state(c, TCP_LAST_ACK, cause,
		              "RFC 9293 3.10.4, CLOSE-WAIT state");
	tcp_output(c);
	return 0;
}

int
tcp_shutdown(struct tcp_conn *c)
{
	if (c->state != TCP_CLOSED)
		tcp_trace_app(c, "shutdown", NULL);
	return shut_wr(c, false);
}

int
tcp_close(struct tcp_conn *c)
{
	if (c->state == TCP_CLOSED)
		return SIM_ENOTCONN;
	c->app_closed = true;
	tcp_trace_app(c, "close", NULL);
	int err = shut_wr(c, true);
	/* linux profile: an orphaned connection in FIN-WAIT-2 lives at most
	 * tcp_fin_timeout (RFC 9293 leaves FIN-WAIT-2 unbounded). */
	if (c->state == TCP_FIN_WAIT_2 && c->host->prof.fin_wait_2_timeout > 0)
		tcp_arm_life(c, LIFE_FW2, c->host->prof.fin_wait_2_timeout);
	return err;
}

/* RFC 9293 3.10.5 ABORT. */
int
tcp_abort(struct tcp_conn *c)
{
	tcp_trace_app(c, "abort", NULL);
	switch (c->state) {
	case TCP_CLOSED:
		return SIM_ENOTCONN;
	case TCP_SYN_RECEIVED:
	case TCP_ESTABLISHED:
	case TCP_FIN_WAIT_1:
	case TCP_FIN_WAIT_2:
	case TCP_CLOSE_WAIT:
		/* <SEQ=SND.NXT><CTL=RST>; linux profile: with ACK, as
		 * tcp_send_active_reset sends it. */
		tcp_send_flags(c, c->host->prof.abort_rst_ack ? TH_RST | TH_ACK :
		               TH_RST, c->snd_nxt, 0, "abort() called", false);
		tcp_drop(c, SIM_ECONNABORTED, "aborted by the application",
		         "RFC 9293 3.10.5, ABORT call: send a reset");
		return 0;
	default:
		tcp_drop(c, SIM_ECONNABORTED, "aborted by the application",
		         "RFC 9293 3.10.5, ABORT call: no reset in this state");
		return 0;
	}
}

/* ---- views ---------------------------------------------------------------------- */

void
tcp_conn_info(const struct tcp_conn *c, struct tcp_conn_info *o)
{
	if (c->shrunk) {
		const struct tcp_conn_rec *r = (const struct tcp_conn_rec *)c;
		*o = (struct tcp_conn_info){
			.id = r->id, .state = r->state,
			.laddr = r->laddr, .raddr = r->raddr,
			.lport = r->lport, .rport = r->rport,
			.passive = r->passive, .iss = r->iss, .irs = r->irs,
			.snd_una = r->snd_una, .snd_nxt = r->snd_nxt,
			.rcv_nxt = r->rcv_nxt, .mss = r->mss,
			.peer_mss = r->peer_mss, .snd_wscale = r->snd_wscale,
			.rcv_wscale = r->rcv_wscale, .sack = r->sack, .ts = r->ts,
			.t_open = r->t_open, .t_established = r->t_established,
			.t_closed = r->t_closed, .retransmits = r->retransmits,
			.error = r->error, .bytes_sent = r->bytes_sent,
			.bytes_acked = r->bytes_acked,
			.bytes_received = r->bytes_received, .srtt = r->srtt,
			.rttvar = r->rttvar, .rto = r->rto,
		};
		return;
	}
	*o = (struct tcp_conn_info){
		.id = c->id,
		.state = c->state,
		.laddr = c->laddr,
		.raddr = c->raddr,
		.lport = c->lport,
		.rport = c->rport,
		.passive = c->passive,
		.iss = c->iss,
		.irs = c->irs,
		.snd_una = c->snd_una,
		.snd_nxt = c->snd_nxt,
		.rcv_nxt = c->rcv_nxt,
		.mss = c->eff_mss,
		.peer_mss = c->peer_mss,
		.snd_wscale = c->snd_wscale,
		.rcv_wscale = c->rcv_wscale,
		.sack = c->sack_ok,
		.ts = c->ts_ok,
		.t_open = c->t_open,
		.t_established = c->t_established,
		.t_closed = c->t_closed,
		.retransmits = c->retransmits,
		.error = c->error,
		.bytes_sent = c->bytes_sent,
		.bytes_acked = c->bytes_acked,
		.bytes_received = c->bytes_received,
		.srtt = c->rtt_valid ? c->srtt : -1,
		.rttvar = c->rtt_valid ? c->rttvar : -1,
		.rto = c->rto,
	};
}

struct tcp_host *
tcp_conn_host(const struct tcp_conn *c)
{
	return c->host;
}

int
tcp_conn_id(const struct tcp_conn *c)
{
	return c->id;
}

uint32_t
tcp_conn_raddr(const struct tcp_conn *c)
{
	return c->shrunk ? ((const struct tcp_conn_rec *)c)->raddr : c->raddr;
}

enum tcp_state
tcp_conn_state(const struct tcp_conn *c)
{
	return c->state;
}

void
tcp_conn_set_tag(struct tcp_conn *c, intptr_t tag)
{
	if (c->shrunk)
		((struct tcp_conn_rec *)c)->tag = tag;
	else
		c->tag = tag;
}

intptr_t
tcp_conn_tag(const struct tcp_conn *c)
{
	return c->shrunk ? ((const struct tcp_conn_rec *)c)->tag : c->tag;
}

/* ---- shrinking closed connections -------------------------------------------- */

_Static_assert(offsetof(struct tcp_conn, host) ==
               offsetof(struct tcp_conn_rec, host), "host");
_Static_assert(offsetof(struct tcp_conn, id) ==
               offsetof(struct tcp_conn_rec, id), "id");
_Static_assert(offsetof(struct tcp_conn, state) ==
               offsetof(struct tcp_conn_rec, state), "state");
_Static_assert(offsetof(struct tcp_conn, shrunk) ==
               offsetof(struct tcp_conn_rec, shrunk), "shrunk");

void
tcp_host_shrink_closed(struct tcp_host *h, bool on)
{
	h->shrink_closed = on;
}

void
tcp_host_forget_closed(struct tcp_host *h, bool on)
{
	h->forget_closed = on;
	if (on)
		h->shrink_closed = true;
}

const struct tcp_forgotten *
tcp_host_forgotten(const struct tcp_host *h)
{
	return &h->forgotten;
}

void
tcp_conn_release(struct tcp_conn *c)
{
	struct tcp_host *h = c->host;
	/* A connection still open is released again when it closes
	 * (tcp_drop, its tag being 0); its hnext is the table's now. */
	if (!h->shrink_closed || c->shrunk || c->in_grave ||
	    c->state != TCP_CLOSED)
		return;
	c->in_grave = true;
	c->hnext = h->grave;
	h->grave = c;
}

static bool
timers_idle(const struct tcp_conn *c)
{
	return !sched_pending(&c->rtx) && !sched_pending(&c->delack) &&
	       !sched_pending(&c->life);
}

static struct tcp_conn_rec *
new_rec(struct tcp_host *h)
{
	if (h->slabs == NULL || h->slabs->used == TCP_REC_SLAB) {
		struct tcp_rec_slab *s = malloc(sizeof *s);
		if (s == NULL)
			return NULL;
		s->next = h->slabs;
		s->used = 0;
		h->slabs = s;
	}
	return &h->slabs->recs[h->slabs->used++];
}

/* A connection nobody will read again goes, its outcome counted as the
 * summary counts it (conns_write_counts). */
static void
forget(struct tcp_host *h, struct tcp_conn *c)
{
	struct tcp_forgotten *f = &h->forgotten;
	if (c->error < 0 && -c->error < SIM_ENERRORS)
		f->error[-c->error]++;
	else if (c->t_established < 0)
		f->never++;
	else
		f->closed++;
	conn_slot_set(h, c->id, NULL);
	conn_free(c);
}

/* Only a connection out of the table, with no timer queued and no tag,
 * shrinks; the others leave the list (a release later puts them back). */
void
tcp_shrink_closed(struct tcp_host *h)
{
	struct tcp_conn *c = h->grave;
	h->grave = NULL;
	while (c != NULL) {
		struct tcp_conn *next = c->hnext;
		c->hnext = NULL;
		c->in_grave = false;
		if (c->state == TCP_CLOSED && c->tag == 0 && !c->in_table &&
		    c->acceptq_of == NULL && c->t_closed >= 0 && timers_idle(c)) {
			if (h->forget_closed) {
				forget(h, c);
				c = next;
				continue;
			}
			struct tcp_conn_rec *r = new_rec(h);
			if (r != NULL) {
				struct tcp_conn_info in;
				tcp_conn_info(c, &in);
				*r = (struct tcp_conn_rec){
					.host = h, .id = in.id, .state = TCP_CLOSED,
					.shrunk = true, .passive = in.passive,
					.sack = in.sack, .ts = in.ts,
					.snd_wscale = (int8_t)in.snd_wscale,
					.rcv_wscale = (int8_t)in.rcv_wscale,
					.lport = in.lport, .rport = in.rport,
					.mss = in.mss, .peer_mss = in.peer_mss,
					.retransmits = in.retransmits,
					.error = in.error, .laddr = in.laddr,
					.raddr = in.raddr, .iss = in.iss,
					.irs = in.irs, .snd_una = in.snd_una,
					.snd_nxt = in.snd_nxt, .rcv_nxt = in.rcv_nxt,
					.t_open = in.t_open,
					.t_established = in.t_established,
					.t_closed = in.t_closed, .srtt = in.srtt,
					.rttvar = in.rttvar, .rto = in.rto,
					.bytes_sent = in.bytes_sent,
					.bytes_acked = in.bytes_acked,
					.bytes_received = in.bytes_received,
				};
				conn_slot_set(h, c->id, (struct tcp_conn *)r);
				conn_free(c);
			}
		}
		c = next;
	}
}
