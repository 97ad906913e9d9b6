/*
 * l_trace.c - trace hooks for scenarios: net:on(kind, fn) subscribes a Lua
 * function to the trace bus.
 *
 *   net:on("drop", function(ev) print(ev.flags, ev.reason) end)
 *   net:on("state", function(ev) ... ev.from, ev.to, ev.cause ... end)
 *
 * Kinds: "send", "recv", "drop", "dup", "forward", "packet" (any of the
 * five), "state", "timer", "app", "queue" (a listener's queue lengths).
 *
 * An event is copied into a Lua table when it happens, but the hooks run
 * a moment later, from a scheduler event at the same simulated time: the
 * TCP code that emitted it must finish its segment or timer first.  A hook
 * is then free to call anything (conn:close(), link:set{...}) without
 * re-entering the state machine halfway through a rule.  The alternative,
 * calling hooks synchronously and forbidding world-changing calls inside
 * them, would need a guard in every binding.
 */
#include <lauxlib.h>
#include <lua.h>

#include <stdlib.h>
#include <string.h>

#include "../net/net.h"
#include "lnet.h"
#include "runtime.h"

enum hook_kind {
	HK_SEND, HK_RECV, HK_DROP, HK_DUP, HK_FORWARD, HK_PACKET, HK_STATE,
	HK_TIMER, HK_APP, HK_QUEUE, HK_N
};
static const char *const hook_names[HK_N] = {
	"send", "recv", "drop", "dup", "forward", "packet", "state", "timer",
	"app", "queue",
};
/* enum trace_pkt_op -> hook kind */
static const enum hook_kind pkt_kinds[] = {
	[PKT_SEND] = HK_SEND, [PKT_RECV] = HK_RECV, [PKT_DROP] = HK_DROP,
	[PKT_DUP] = HK_DUP, [PKT_FORWARD] = HK_FORWARD,
};
static const char *const timer_ops[] = {
	[TIMER_SET] = "set", [TIMER_FIRE] = "fire", [TIMER_CANCEL] = "cancel",
};

struct lhooks {
	struct sim_event flush;	/* delivers the pending events */
	struct lrt *rt;
	struct hook {
		enum hook_kind kind;
		int ref;	/* the function, in the registry */
	} *hooks;
	int nhooks, cap;
	uint32_t want;		/* bit per hook kind some hook takes */
	int pending_ref;	/* registry: kind, ev, kind, ev, ... */
	int npending;		/* events in it */
};

#define PKT_KINDS_MASK (TRACE_MASK(TR_PKT) | TRACE_MASK(TR_STATE) | \
                        TRACE_MASK(TR_TIMER) | TRACE_MASK(TR_APP) | \
                        TRACE_MASK(TR_QUEUE))

static bool
hook_matches(enum hook_kind want, enum hook_kind got)
{
	return want == got || (want == HK_PACKET && got <= HK_FORWARD);
}

static void
setstr(lua_State *L, const char *k, const char *v)
{
	if (v == NULL)
		return;
	lua_pushstring(L, v);
	lua_setfield(L, -2, k);
}

static void
setint(lua_State *L, const char *k, lua_Integer v)
{
	lua_pushinteger(L, v);
	lua_setfield(L, -2, k);
}

static const char *
node_name(const struct sim *sim, uint32_t addr, char *buf, size_t len)
{
	const struct node *n = sim->net ? net_find_addr(sim->net, addr) : NULL;
	return n ? n->name : pkt_addr_str(addr, buf, len);
}

static void
push_pkt(lua_State *L, struct lhooks *h, const struct trace_event *ev)
{
	const struct pkt *p = ev->u.pkt.pkt;
	const struct sim *sim = h->rt->sim;
	char a[16], b[16], fl[40];

	setint(L, "id", (lua_Integer)p->id);
	if (ev->u.pkt.link)
		setstr(L, "link", ev->u.pkt.link->name);
	setstr(L, "from", node_name(sim, p->src, a, sizeof a));
	setstr(L, "to", node_name(sim, p->dst, b, sizeof b));
	setstr(L, "src", pkt_addr_str(p->src, a, sizeof a));
	setstr(L, "dst", pkt_addr_str(p->dst, b, sizeof b));
	setint(L, "sport", p->sport);
	setint(L, "dport", p->dport);
	setstr(L, "flags", pkt_kind_str(p, fl, sizeof fl));
	setint(L, "seq", p->seq);
	if (p->flags & TH_ACK)
		setint(L, "ack", p->ack);
	if (ev->u.pkt.rel_seq_ok)
		setint(L, "rel_seq", ev->u.pkt.rel_seq);
	if (ev->u.pkt.rel_ack_ok && (p->flags & TH_ACK))
		setint(L, "rel_ack", ev->u.pkt.rel_ack);
	if (p->opt.present & OPT_MSS)
		setint(L, "mss", p->opt.mss);
	if (p->opt.present & OPT_WSCALE)
		setint(L, "wscale", p->opt.wscale);
	if (p->opt.present & OPT_TS) {
		setint(L, "tsval", p->opt.tsval);
		setint(L, "tsecr", p->opt.tsecr);
	}
	setint(L, "len", p->len);
	setint(L, "wnd", p->wnd);
	setint(L, "ttl", p->ttl);
	setstr(L, "reason", ev->u.pkt.reason);
	setstr(L, "decision", ev->u.pkt.decision);
	if (ev->u.pkt.rule)
		setint(L, "rule", ev->u.pkt.rule);
	if (p->dup_of)
		setint(L, "dup_of", (lua_Integer)p->dup_of);
	lua_pushboolean(L, p->retx);
	lua_setfield(L, -2, "retx");
}

/* The trace bus calls this for every event of a kind some hook may want:
 * copy it and make sure a flush is scheduled. */
static void
hooks_event(void *ctx, const struct trace_event *ev)
{
	struct lhooks *h = ctx;
	lua_State *L = h->rt->L;
	enum hook_kind kind;

	switch (ev->kind) {
	case TR_PKT:
		kind = pkt_kinds[ev->u.pkt.op];
		break;
	case TR_STATE:
		kind = HK_STATE;
		break;
	case TR_TIMER:
		kind = HK_TIMER;
		break;
	case TR_APP:
		kind = HK_APP;
		break;
	case TR_QUEUE:
		kind = HK_QUEUE;
		break;
	default:
		return;
	}
	if (!(h->want & 1u << kind) || !lua_checkstack(L, 4))
		return;
	lua_rawgeti(L, LUA_REGISTRYINDEX, h->pending_ref);
	lua_pushinteger(L, kind);
	lua_rawseti(L, -2, 2 * ++h->npending - 1);
	lua_createtable(L, 0, 16);
	setstr(L, "kind", hook_names[kind]);
	setint(L, "t", ev->t);
	setstr(L, "node", ev->node);
	switch (ev->kind) {
	case TR_PKT:
		push_pkt(L, h, ev);
		break;
	case TR_STATE:
		setstr(L, "host", ev->node);
		setint(L, "conn", tcp_conn_id(ev->u.state.conn));
		setstr(L, "from", tcp_state_name(ev->u.state.from));
		setstr(L, "to", tcp_state_name(ev->u.state.to));
		setstr(L, "cause", ev->u.state.cause);
		setstr(L, "rule", ev->u.state.rule);
		break;
	case TR_TIMER:
		setstr(L, "host", ev->node);
		setint(L, "conn", tcp_conn_id(ev->u.timer.conn));
		setstr(L, "op", timer_ops[ev->u.timer.op]);
		setstr(L, "name", ev->u.timer.name);
		setint(L, "at", ev->u.timer.at);
		break;
	case TR_QUEUE:
		setstr(L, "host", ev->node);
		setint(L, "port", ev->u.queue.port);
		setint(L, "syn_queue", ev->u.queue.synq);
		setint(L, "accept_queue", ev->u.queue.acceptq);
		setint(L, "backlog", ev->u.queue.backlog);
		setstr(L, "event", ev->u.queue.what);
		break;
	default:
		setstr(L, "host", ev->node);
		if (ev->u.app.conn)
			setint(L, "conn", tcp_conn_id(ev->u.app.conn));
		setstr(L, "call", ev->u.app.call);
		setstr(L, "detail", ev->u.app.detail);
		if (strcmp(ev->u.app.call, "connected") == 0)
			setint(L, "handshake", ev->u.app.value);
		else if (strcmp(ev->u.app.call, "data") == 0)
			setint(L, "bytes", ev->u.app.value);
		break;
	}
	lua_rawseti(L, -2, 2 * h->npending);
	lua_pop(L, 1);
	if (!sched_pending(&h->flush))
		sched_at(&h->rt->sim->sched, &h->flush, ev->t);
}

static void
hooks_flush(struct sched *s, struct sim_event *fev)
{
	(void)s;
	struct lhooks *h = container_of(fev, struct lhooks, flush);
	lua_State *L = h->rt->L;
	int n = h->npending;

	/* Take the batch; events emitted by the hooks start a new one. */
	lua_rawgeti(L, LUA_REGISTRYINDEX, h->pending_ref);
	lua_newtable(L);
	lua_rawseti(L, LUA_REGISTRYINDEX, h->pending_ref);
	h->npending = 0;
	int batch = lua_gettop(L);
	int nhooks = h->nhooks;	/* hooks added now see later events */
	for (int e = 1; e <= n; e++) {
		lua_rawgeti(L, batch, 2 * e - 1);
		enum hook_kind kind = (enum hook_kind)lua_tointeger(L, -1);
		lua_pop(L, 1);
		lua_rawgeti(L, batch, 2 * e);
		for (int i = 0; i < nhooks; i++) {
			if (!hook_matches(h->hooks[i].kind, kind))
				continue;
			lua_rawgeti(L, LUA_REGISTRYINDEX, h->hooks[i].ref);
			lua_pushvalue(L, -2);
			if (lrt_call(h->rt, 1) < 0) {
				lua_settop(L, batch - 1);
				return;
			}
		}
		lua_pop(L, 1);
	}
	lua_settop(L, batch - 1);
}

/* The hook state, made by the first net:on. */
static struct lhooks *
hooks_get(lua_State *L)
{
	struct lrt *rt = lrt_get(L);
	if (rt->hooks)
		return rt->hooks;
	struct lhooks *h = calloc(1, sizeof *h);
	if (h == NULL)
		luaL_error(L, "out of memory");
	if (trace_subscribe(&rt->sim->trace, PKT_KINDS_MASK, hooks_event, h) < 0) {
		free(h);
		luaL_error(L, "too many trace subscribers");
	}
	h->rt = rt;
	sched_event_init(&h->flush, hooks_flush);
	/* Watching must not change the run: summary's events and where
	 * --max-events cuts are those of the run without hooks. */
	h->flush.uncounted = true;
	lua_newtable(L);
	h->pending_ref = luaL_ref(L, LUA_REGISTRYINDEX);
	rt->hooks = h;
	return h;
}

/* net:on(kind, fn) */
static int
net_on(lua_State *L)
{
	lnet_checknet(L, 1);
	int kind = luaL_checkoption(L, 2, NULL, hook_names);
	luaL_checktype(L, 3, LUA_TFUNCTION);
	struct lhooks *h = hooks_get(L);
	if (h->nhooks == h->cap) {
		int cap = h->cap ? 2 * h->cap : 4;
		struct hook *nh = realloc(h->hooks, (size_t)cap * sizeof *nh);
		if (nh == NULL)
			return luaL_error(L, "out of memory");
		h->hooks = nh;
		h->cap = cap;
	}
	lua_pushvalue(L, 3);
	h->hooks[h->nhooks].kind = (enum hook_kind)kind;
	h->hooks[h->nhooks].ref = luaL_ref(L, LUA_REGISTRYINDEX);
	h->nhooks++;
	for (int k = 0; k < HK_N; k++)
		if (hook_matches((enum hook_kind)kind, (enum hook_kind)k))
			h->want |= 1u << k;
	/* Hooks read relative numbers; only a recv hook reads
	 * ev.decision: TCP formats it only then. */
	struct sim *sim = lrt_get(L)->sim;
	if (sim->trace.no_rel) {
		sim->trace.no_rel = false;
		if (sim->net)
			net_flows_rebuild(sim->net);
	}
	if (h->want & (1u << HK_RECV))
		lrt_get(L)->sim->trace.rules = true;
	return 0;
}

void
ltrace_close(struct lrt *rt)
{
	struct lhooks *h = rt->hooks;
	if (h == NULL)
		return;
	sched_cancel(&rt->sim->sched, &h->flush);
	trace_unsubscribe(&rt->sim->trace, hooks_event, h);
	free(h->hooks);
	free(h);
	rt->hooks = NULL;
}

void
ltrace_open(lua_State *L)
{
	lnet_methods(L, LNET_NET);
	lua_pushcfunction(L, net_on);
	lua_setfield(L, -2, "on");
	lua_pop(L, 1);
}
