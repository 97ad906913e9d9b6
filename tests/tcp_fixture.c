/*
 * tcp_fixture.c - the recorded two-host world of tcp_fixture.h.
 */
#include "tcp_fixture.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tcp/tcp_int.h"

struct fx *fx;

static void
record(void *ctx, const struct trace_event *ev)
{
	(void)ctx;
	if (ev->kind == TR_PKT && fx->npkts < FX_MAX) {
		struct fx_pkt *r = &fx->pkts[fx->npkts++];
		const struct pkt *p = ev->u.pkt.pkt;
		r->t = ev->t;
		r->op = ev->u.pkt.op;
		snprintf(r->node, sizeof r->node, "%s", ev->node ? ev->node : "");
		r->flags = p->flags;
		r->seq = p->seq;
		r->ack = p->ack;
		r->len = p->len;
		r->wnd = p->wnd;
		r->wscale = (p->opt.present & OPT_WSCALE) ? p->opt.wscale : -1;
		r->sport = p->sport;
		r->dport = p->dport;
		r->id = p->id;
		snprintf(r->reason, sizeof r->reason, "%s",
		         ev->u.pkt.reason ? ev->u.pkt.reason : "");
		r->nsack = (p->opt.present & OPT_SACK) ? p->opt.nsack : 0;
		memcpy(r->sack, p->opt.sack, sizeof r->sack);
	} else if (ev->kind == TR_STATE && fx->nstates < FX_MAX) {
		struct fx_state *r = &fx->states[fx->nstates++];
		r->t = ev->t;
		snprintf(r->node, sizeof r->node, "%s", ev->node);
		r->conn = tcp_conn_id(ev->u.state.conn);
		r->from = ev->u.state.from;
		r->to = ev->u.state.to;
		snprintf(r->cause, sizeof r->cause, "%s",
		         ev->u.state.cause ? ev->u.state.cause : "");
	}
}

static void
app_event(struct tcp_conn *c, const char *what, int err, uint32_t n)
{
	if (fx->napps >= FX_MAX)
		return;
	struct fx_app *a = &fx->apps[fx->napps++];
	a->t = sim_now(&fx->sim);
	snprintf(a->node, sizeof a->node, "%s",
	         tcp_host_node(tcp_conn_host(c))->name);
	a->conn = tcp_conn_id(c);
	snprintf(a->what, sizeof a->what, "%s", what);
	a->err = err;
	a->n = n;
}

static void
on_connected(void *ctx, struct tcp_conn *c)
{
	(void)ctx;
	app_event(c, "connected", 0, 0);
	if (fx->client_send)
		tcp_send(c, fx->client_send, NULL);
	if (fx->client_close)
		tcp_close(c);
}

static void
on_accepted(void *ctx, struct tcp_listener *l, struct tcp_conn *c)
{
	(void)ctx;
	(void)l;
	app_event(c, "accepted", 0, 0);
	if (fx->echo_on_accept)
		tcp_send(c, fx->echo_on_accept, NULL);
}

static void
on_data(void *ctx, struct tcp_conn *c, uint32_t n, const unsigned char *d)
{
	(void)ctx;
	(void)d;
	app_event(c, "data", 0, n);
}

static void
on_eof(void *ctx, struct tcp_conn *c)
{
	(void)ctx;
	app_event(c, "eof", 0, 0);
	bool server = tcp_host_node(tcp_conn_host(c)) == fx->server;
	if (server ? fx->server_close_on_eof : fx->client_close_on_eof)
		tcp_close(c);
}

static void
on_closed(void *ctx, struct tcp_conn *c, int err)
{
	(void)ctx;
	app_event(c, "closed", err, 0);
}

static const struct tcp_app fx_app_ops = {
	.connected = on_connected,
	.accepted = on_accepted,
	.data = on_data,
	.eof = on_eof,
	.closed = on_closed,
};

/* Test drop rules, applied as packets leave their host. */
static const char *
tap(void *ctx, const struct pkt *p)
{
	(void)ctx;
	const char *drop = NULL;
	struct node *from = net_find_addr(fx->net, p->src);
	for (int i = 0; i < fx->ndrops; i++) {
		if (from != fx->drops[i].from || p->flags != fx->drops[i].flags)
			continue;
		fx->drops[i].seen++;
		if (fx->drops[i].nth == 0 || fx->drops[i].seen == fx->drops[i].nth)
			drop = "test drop";
	}
	return drop;
}

void
fx_setup(const char *profile, simtime delay)
{
	struct tcp_profile p;
	fx = calloc(1, sizeof *fx);
	ck_assert_ptr_nonnull(fx);
	sim_init(&fx->sim, 1);
	fx->net = net_new(&fx->sim);
	fx->sim.net = fx->net;
	ck_assert_int_eq(tcp_profile_get(profile, &p), 0);
	fx->client = net_add_node(fx->net, "client", NODE_HOST);
	fx->server = net_add_node(fx->net, "server", NODE_HOST);
	fx->client->tcp = tcp_host_new(fx->client, &p);
	fx->server->tcp = tcp_host_new(fx->server, &p);
	tcp_host_set_app(fx->client->tcp, &fx_app_ops, NULL);
	tcp_host_set_app(fx->server->tcp, &fx_app_ops, NULL);
	struct link_params lp;
	link_params_default(&lp);
	lp.delay = delay;
	fx->link = link_new(fx->net, fx->client, fx->server, &lp);
	trace_subscribe(&fx->sim.trace, TRACE_MASK(TR_PKT) | TRACE_MASK(TR_STATE),
	                record, NULL);
	fx->net->tap = tap;
	int err;
	fx->listener = tcp_listen(fx->server->tcp, 80, -1, &err);
	ck_assert_ptr_nonnull(fx->listener);
	fx->server_close_on_eof = true;
}

void
fx_teardown(void)
{
	net_free(fx->net);
	sim_free(&fx->sim);
	free(fx);
	fx = NULL;
}

void
fx_setup_linux(void)
{
	fx_setup("linux", 50 * SIMTIME_MS);
}

void
fx_setup_linux_618(void)
{
	fx_setup("linux-6.18", 50 * SIMTIME_MS);
}

/* linux with its TCP timers on the nanosecond (the knob timer_wheel
 * off): for tests of a rule's arithmetic (RFC 6298's RTO, the probe
 * timeout's formula, retry counts) that pin exact times; the wheel's
 * rounding of those times is tested beside them on the linux fixture. */
void
fx_setup_linux_exact(void)
{
	fx_setup("linux", 50 * SIMTIME_MS);
	tcp_host_profile(fx->client->tcp)->timer_wheel = false;
	tcp_host_profile(fx->server->tcp)->timer_wheel = false;
}

void
fx_setup_rfc(void)
{
	fx_setup("rfc", 50 * SIMTIME_MS);
}

void
fx_teardown_checked(void)
{
	ck_assert_uint_eq(fx->net->pkts_in_use, 0);
	fx_teardown();
}

simtime
fx_wheel(const struct node *n, simtime at, simtime after)
{
	const struct tcp_host *h = n->tcp;
	simtime jiffy = tcp_jiffy_ns(h->prof.hz);
	return tcp_wheel_expiry(h->prof.hz, h->jiffies0,
	                        (simtime)((uint64_t)h->tick_phase % (uint64_t)jiffy),
	                        at, after);
}

void
fx_drop(const struct node *from, uint8_t flags, int nth)
{
	fx->drops[fx->ndrops].from = from;
	fx->drops[fx->ndrops].flags = flags;
	fx->drops[fx->ndrops].nth = nth;
	fx->ndrops++;
}

struct tcp_conn *
fx_connect(uint32_t isn)
{
	struct tcp_connect_opts o = { .isn_fixed = true, .isn = isn };
	int err;
	struct tcp_conn *c = tcp_connect(fx->client->tcp, fx->server->addr, 80,
	                                 &o, &err);
	ck_assert_ptr_nonnull(c);
	return c;
}

void
fx_run(simtime until)
{
	sched_run(&fx->sim.sched, until, 1000000);
	if (fx->sim.sched.now < until)
		fx->sim.sched.now = until;	/* the clock reaches the limit */
}

int
fx_find_pkt(enum trace_pkt_op op, const char *node, int k)
{
	for (int i = 0; i < fx->npkts; i++)
		if (fx->pkts[i].op == op && strcmp(fx->pkts[i].node, node) == 0 &&
		    k-- == 0)
			return i;
	return -1;
}

int
fx_count(enum trace_pkt_op op, const char *node, uint8_t flags)
{
	int n = 0;
	for (int i = 0; i < fx->npkts; i++)
		if (fx->pkts[i].op == op && strcmp(fx->pkts[i].node, node) == 0 &&
		    fx->pkts[i].flags == flags)
			n++;
	return n;
}

simtime
fx_state_time(const char *node, int conn, int to)
{
	for (int i = 0; i < fx->nstates; i++)
		if (strcmp(fx->states[i].node, node) == 0 &&
		    fx->states[i].conn == conn && fx->states[i].to == to)
			return fx->states[i].t;
	return -1;
}

const char *
fx_state_cause(const char *node, int conn, int to)
{
	for (int i = 0; i < fx->nstates; i++)
		if (strcmp(fx->states[i].node, node) == 0 &&
		    fx->states[i].conn == conn && fx->states[i].to == to)
			return fx->states[i].cause;
	return NULL;
}

const char *
fx_state_path(const char *node, int conn)
{
	static char buf[512];
	size_t n = 0;
	bool first = true;
	buf[0] = '\0';
	for (int i = 0; i < fx->nstates; i++) {
		const struct fx_state *s = &fx->states[i];
		if (strcmp(s->node, node) != 0 || s->conn != conn)
			continue;
		if (first)
			n += (size_t)snprintf(buf + n, sizeof buf - n, "%s",
			                      tcp_state_name(s->from));
		first = false;
		n += (size_t)snprintf(buf + n, sizeof buf - n, ">%s",
		                      tcp_state_name(s->to));
	}
	return buf;
}

const char *
fx_pkt_line(enum trace_pkt_op op, const char *node)
{
	static char buf[2048];
	size_t n = 0;
	buf[0] = '\0';
	for (int i = 0; i < fx->npkts && n < sizeof buf - 64; i++) {
		const struct fx_pkt *p = &fx->pkts[i];
		if (p->op != op || (node && strcmp(p->node, node) != 0))
			continue;
		char f[40];
		pkt_flags_str(p->flags, f, sizeof f);
		simtime us = p->t / SIMTIME_US;
		if (us % 1000 == 0)
			n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%lld:%s",
			                      n ? " " : "", (long long)(us / 1000), f);
		else
			n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%lld.%03lld:%s",
			                      n ? " " : "", (long long)(us / 1000),
			                      (long long)(us % 1000), f);
		if (p->len)
			n += (size_t)snprintf(buf + n, sizeof buf - n, "/%u", p->len);
	}
	return buf;
}
