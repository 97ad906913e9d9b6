/*
 * l_tcp.c - the socket API of scenarios: listen, connect and connection
 * objects, shaped like the BSD calls.
 *
 *   server:listen(80, { backlog = 128, on_accept = function(conn) end })
 *   local conn = client:connect(server, 80, { at = "0s", timeout = "5s",
 *       send = 100, close = "after_send",
 *       on_connect = function(conn) end, on_error = function(conn, err) end })
 *   conn:send(100) / conn:send("GET /") / conn:shutdown() / conn:close()
 *   conn:abort()
 *   conn.state, conn.handshake_time (ns), conn.retransmits, conn.mss, ...
 *
 * A Conn userdata is the Lua side of one connection: its callbacks and
 * what to do when it opens.  It exists from the connect() call, before the
 * SYN if `at` lies ahead, and stays readable after the connection closed.
 *
 * A million connections must not cost a million Lua objects:
 *   - an accepted connection whose listener has no callbacks gets its
 *     Conn only when the scenario asks for it (host:conn(n)); until then
 *     its tag names the listener, whose send and close settings apply;
 *   - an upcall without a callback touches no Lua object at all;
 *   - once a connection is closed its Conn is held weakly: kept while the
 *     scenario holds it, otherwise collected (a later host:conn(n) makes
 *     a new one, reading the same record), and the connection told it is
 *     no longer held (tcp_conn_release), so tcp/ may shrink it;
 *   - so is the Conn of a connection the application closed, from then
 *     on, when it has no callback and nothing scheduled (let_go_if_done):
 *     a connection in TIME-WAIT costs no Lua object.
 */
#include <lauxlib.h>
#include <lua.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/error.h"
#include "lnet.h"
#include "runtime.h"

/* Every Conn is in one registry table with weak values, at its own slot
 * (lconn.slot, an index reused once its Conn is collected, so that the
 * table stays an array), and while it has something to do also in the
 * registry itself (lconn.ref), which holds it.  Letting go of a Conn
 * and taking it back, a million times in a storm, is then a reference
 * dropped or taken, not a move between two hash tables. */
static char conns_key;		/* registry: every Conn by slot, weak */

enum { CB_CONNECT, CB_ACCEPT, CB_DATA, CB_EOF, CB_CLOSE, CB_ERROR, CB_N };
static const char *const cb_names[CB_N] = {
	"on_connect", "on_accept", "on_data", "on_eof", "on_close", "on_error",
};

/* What the application does by itself. */
enum close_policy {
	CLOSE_NEVER,		/* only when the scenario calls close() */
	CLOSE_AFTER_SEND,	/* write(); close(): FIN right after the data */
	CLOSE_ON_EOF,		/* close when the peer's FIN arrives */
	CLOSE_AT,		/* close a given time after the handshake */
};

struct lconn {
	struct tcp_conn *c;	/* NULL until the SYN goes out */
	struct node *host;
	int cb[CB_N];		/* registry refs, LUA_NOREF when unset */
	uint64_t send_n;	/* bytes to send when established */
	int send_ref;		/* or a string to send (registry ref) */
	enum close_policy close;
	simtime close_after;
	int start_err;		/* error of a delayed connect() */
	/* a delayed connect */
	struct sim_event start;
	struct lrt *rt;
	uint32_t raddr;
	uint16_t rport;
	struct tcp_connect_opts opts;
	struct sim_event closer;	/* CLOSE_AT */
	int slot;		/* its index in conns_key's table */
	int ref;		/* the registry's hold on it, or LUA_NOREF */
};

/* How the application takes connections off its accept queue. */
enum accept_mode {
	ACCEPT_AUTO,		/* at once, as each handshake completes */
	ACCEPT_MANUAL,		/* when the scenario calls listener:accept() */
	ACCEPT_RATE,		/* one, then busy `interval` before the next */
};

struct llisten {
	struct tcp_listener *l;
	struct node *host;
	enum accept_mode mode;
	simtime interval;	/* ACCEPT_RATE: time per connection */
	struct sim_event next;	/* ACCEPT_RATE: the server is free again */
	bool busy;
	struct lrt *rt;
	int cb[CB_N];		/* defaults for accepted connections */
	uint64_t send_n;
	int send_ref;
	enum close_policy close;
	simtime close_after;
};

#define LTCP_LISTENER "synsim.Listener"

static void push_lconn(lua_State *L, struct lconn *lc);
static void hold_weakly(lua_State *L, struct lconn *lc);
static void let_go_if_done(lua_State *L, struct lconn *lc);
static void follow_listener(lua_State *L, struct lconn *lc,
                            const struct llisten *ll);

/* A connection's tag: its Conn, or (low bit set) the listener whose
 * settings it follows while it has no Conn, or 0. */
static struct lconn *
tag_conn(const struct tcp_conn *c)
{
	intptr_t t = tcp_conn_tag(c);
	return (t & 1) ? NULL : (struct lconn *)t;
}

static struct llisten *
tag_listener(const struct tcp_conn *c)
{
	intptr_t t = tcp_conn_tag(c);
	return (t & 1) ? (struct llisten *)(t & ~(intptr_t)1) : NULL;
}

static struct lconn *
checkconn(lua_State *L, int idx)
{
	return luaL_checkudata(L, idx, LNET_CONN);
}

static struct lconn *
new_lconn(lua_State *L, struct node *host)
{
	struct lconn *lc = lsim_new_object(L, sizeof *lc, LNET_CONN);
	lc->host = host;
	lc->rt = lrt_get(L);
	for (int i = 0; i < CB_N; i++)
		lc->cb[i] = LUA_NOREF;
	lc->send_ref = LUA_NOREF;
	sched_event_init(&lc->start, NULL);
	sched_event_init(&lc->closer, NULL);
	struct lrt *rt = lc->rt;
	lc->slot = rt->nconn_free ? rt->conn_free[--rt->nconn_free]
	                          : ++rt->conn_next;
	lua_rawgetp(L, LUA_REGISTRYINDEX, &conns_key);
	lua_pushvalue(L, -2);
	lua_rawseti(L, -2, lc->slot);
	lua_pop(L, 1);
	lua_pushvalue(L, -1);
	lc->ref = luaL_ref(L, LUA_REGISTRYINDEX);
	return lc;
}

/* Push the Conn of a connection, making one for a connection the scenario
 * has not seen yet (an accepted one). */
static struct lconn *
push_conn(lua_State *L, struct tcp_conn *c)
{
	struct lconn *lc = tag_conn(c);
	if (lc) {
		push_lconn(L, lc);
		if (!lua_isnil(L, -1))
			return lc;
		/* Collected, its finalizer not run yet: a new one. */
		lua_pop(L, 1);
	}
	struct llisten *ll = tag_listener(c);
	lc = new_lconn(L, tcp_host_node(tcp_conn_host(c)));
	lc->c = c;
	if (ll)
		follow_listener(L, lc, ll);
	tcp_conn_set_tag(c, (intptr_t)lc);
	if (tcp_conn_state(c) == TCP_CLOSED)
		hold_weakly(L, lc);
	return lc;
}

/* Push lc's Conn, or nil once it is collected (its finalizer not run
 * yet: a weak table lets go of a value before its finalizer runs). */
static void
push_lconn(lua_State *L, struct lconn *lc)
{
	lua_rawgetp(L, LUA_REGISTRYINDEX, &conns_key);
	lua_rawgeti(L, -1, lc->slot);
	lua_remove(L, -2);
}

/* A closed connection's Conn lives on only while the scenario holds it. */
static void
hold_weakly(lua_State *L, struct lconn *lc)
{
	luaL_unref(L, LUA_REGISTRYINDEX, lc->ref);
	lc->ref = LUA_NOREF;
}

/* The reverse, for a Conn that has something to do again. */
static void
hold_strongly(lua_State *L, struct lconn *lc)
{
	if (lc->ref != LUA_NOREF)
		return;
	push_lconn(L, lc);
	if (lua_isnil(L, -1))
		lua_pop(L, 1);
	else
		lc->ref = luaL_ref(L, LUA_REGISTRYINDEX);
}

/*
 * A Conn whose connection the application has just closed, with no
 * callback and nothing scheduled, has nothing left to do: tcp/ tells it
 * nothing more that it would act on (no data or end of stream after
 * close, no callback at the end), and a Conn made anew by host:conn(n)
 * would read the same.  So it too lives on only while the scenario
 * holds it, and a connection in TIME-WAIT costs no Lua object (a storm
 * keeps tens of thousands there).  Setting a callback holds it again.
 */
static void
let_go_if_done(lua_State *L, struct lconn *lc)
{
	if (lc == NULL || lc->c == NULL || tcp_conn_state(lc->c) == TCP_CLOSED ||
	    sched_pending(&lc->start) || sched_pending(&lc->closer))
		return;
	for (int i = 0; i < CB_N; i++)
		if (lc->cb[i] != LUA_NOREF)
			return;
	hold_weakly(L, lc);
}

/* ---- callbacks from tcp/ ------------------------------------------------------- */

static void
call_cb(struct lrt *rt, struct lconn *lc, int which, int nargs)
{
	lua_State *L = rt->L;
	if (lc->cb[which] == LUA_NOREF) {
		lua_pop(L, nargs);
		return;
	}
	lua_rawgeti(L, LUA_REGISTRYINDEX, lc->cb[which]);
	lua_insert(L, -nargs - 1);
	lrt_call(rt, nargs);
}

static void
closer_fire(struct sched *s, struct sim_event *ev)
{
	(void)s;
	struct lconn *lc = container_of(ev, struct lconn, closer);
	if (lc->c && tcp_conn_state(lc->c) != TCP_CLOSED) {
		tcp_close(lc->c);
		let_go_if_done(lc->rt->L, lc);
	}
}

/* What the application sends once open, and close() after it. */
static void
app_send(lua_State *L, struct tcp_conn *c, int send_ref, uint64_t send_n,
         enum close_policy close)
{
	if (send_ref != LUA_NOREF) {
		lua_rawgeti(L, LUA_REGISTRYINDEX, send_ref);
		size_t n;
		const char *s = lua_tolstring(L, -1, &n);
		tcp_send(c, n, (const unsigned char *)s);
		lua_pop(L, 1);
	} else if (send_n) {
		tcp_send(c, send_n, NULL);
	}
	if (close == CLOSE_AFTER_SEND)
		tcp_close(c);
}

/* The application's own moves once the connection is open. */
static void
app_open(struct lrt *rt, struct lconn *lc)
{
	app_send(rt->L, lc->c, lc->send_ref, lc->send_n, lc->close);
	if (lc->close == CLOSE_AT) {
		lc->closer.fire = closer_fire;
		sched_after(&rt->sim->sched, &lc->closer, lc->close_after);
	} else if (lc->close == CLOSE_AFTER_SEND) {
		let_go_if_done(rt->L, lc);
	}
}

/* An accepted connection takes its listener's callbacks and settings. */
static void
follow_listener(lua_State *L, struct lconn *lc, const struct llisten *ll)
{
	for (int i = 0; i < CB_N; i++)
		if (ll->cb[i] != LUA_NOREF && i != CB_ACCEPT) {
			lua_rawgeti(L, LUA_REGISTRYINDEX, ll->cb[i]);
			lc->cb[i] = luaL_ref(L, LUA_REGISTRYINDEX);
		}
	lc->send_n = ll->send_n;
	if (ll->send_ref != LUA_NOREF) {
		lua_rawgeti(L, LUA_REGISTRYINDEX, ll->send_ref);
		lc->send_ref = luaL_ref(L, LUA_REGISTRYINDEX);
	}
	lc->close = ll->close;
	lc->close_after = ll->close_after;
}

/* A listener whose connections need no Conn of their own until the
 * scenario asks: no callbacks and no timed close. */
static bool
listener_is_plain(const struct llisten *ll)
{
	for (int i = 0; i < CB_N; i++)
		if (ll->cb[i] != LUA_NOREF)
			return false;
	return ll->close != CLOSE_AT;
}

static void
on_connected(void *ctx, struct tcp_conn *c)
{
	struct lrt *rt = ctx;
	struct lconn *lc = tag_conn(c);
	if (lc == NULL || lc->cb[CB_CONNECT] != LUA_NOREF) {
		lc = push_conn(rt->L, c);
		call_cb(rt, lc, CB_CONNECT, 1);
		lc = tag_conn(c);
	}
	if (lc && tcp_conn_state(c) == TCP_ESTABLISHED)
		app_open(rt, lc);
}

static void
on_accepted(void *ctx, struct tcp_listener *l, struct tcp_conn *c)
{
	struct lrt *rt = ctx;
	lua_State *L = rt->L;
	(void)l;
	/* The listener's userdata is found through the registry. */
	lua_rawgetp(L, LUA_REGISTRYINDEX, l);
	struct llisten *ll = lua_touserdata(L, -1);
	lua_pop(L, 1);
	if (ll && tcp_conn_tag(c) == 0 && listener_is_plain(ll)) {
		tcp_conn_set_tag(c, (intptr_t)ll | 1);
		if (tcp_conn_state(c) == TCP_ESTABLISHED)
			app_send(L, c, ll->send_ref, ll->send_n, ll->close);
		return;
	}
	struct lconn *lc = push_conn(L, c);
	if (ll) {
		follow_listener(L, lc, ll);
		if (ll->cb[CB_ACCEPT] != LUA_NOREF) {
			lua_rawgeti(L, LUA_REGISTRYINDEX, ll->cb[CB_ACCEPT]);
			lua_insert(L, -2);
			lrt_call(rt, 1);
		} else {
			lua_pop(L, 1);
		}
	} else {
		lua_pop(L, 1);
	}
	if (tcp_conn_state(c) == TCP_ESTABLISHED)
		app_open(rt, lc);
}

static void
on_data(void *ctx, struct tcp_conn *c, uint32_t n, const unsigned char *data)
{
	struct lrt *rt = ctx;
	struct lconn *lc = tag_conn(c);
	if (lc == NULL || lc->cb[CB_DATA] == LUA_NOREF)
		return;
	push_conn(rt->L, c);
	lua_pushinteger(rt->L, n);
	if (data)
		lua_pushlstring(rt->L, (const char *)data, n);
	else
		lua_pushnil(rt->L);
	call_cb(rt, lc, CB_DATA, 3);
}

static void
on_eof(void *ctx, struct tcp_conn *c)
{
	struct lrt *rt = ctx;
	struct lconn *lc = tag_conn(c);
	if (lc && lc->cb[CB_EOF] != LUA_NOREF) {
		push_conn(rt->L, c);
		call_cb(rt, lc, CB_EOF, 1);
		lc = tag_conn(c);	/* the callback may have made it anew */
	}
	const struct llisten *ll = tag_listener(c);
	enum close_policy close = lc ? lc->close : ll ? ll->close : CLOSE_NEVER;
	if (close == CLOSE_ON_EOF && tcp_conn_state(c) == TCP_CLOSE_WAIT) {
		tcp_close(c);
		let_go_if_done(rt->L, lc);
	}
}

static void
on_closed(void *ctx, struct tcp_conn *c, int err)
{
	struct lrt *rt = ctx;
	lua_State *L = rt->L;
	struct lconn *lc = tag_conn(c);
	if (lc == NULL) {
		/* Nothing of the listener's is needed any more. */
		tcp_conn_set_tag(c, 0);
		return;
	}
	sched_cancel(&rt->sim->sched, &lc->closer);
	if ((err && lc->cb[CB_ERROR] != LUA_NOREF) ||
	    lc->cb[CB_CLOSE] != LUA_NOREF) {
		lc = push_conn(L, c);
		if (err) {
			lua_pushvalue(L, -1);
			lua_pushstring(L, sim_strerror(err));
			call_cb(rt, lc, CB_ERROR, 2);
		}
		if (err)
			lua_pushstring(L, sim_strerror(err));
		else
			lua_pushnil(L);
		call_cb(rt, lc, CB_CLOSE, 2);
	}
	/* The callbacks may have made a new Conn; it is the one to let go. */
	if ((lc = tag_conn(c)) != NULL)
		hold_weakly(L, lc);
}

/* ACCEPT_RATE: a server that handles one connection at a time, each
 * taking `interval`, and calls accept() again when it is done. */
static void
rate_accept(struct llisten *ll)
{
	if (tcp_listener_accept(ll->l) == NULL) {
		ll->busy = false;
		return;
	}
	ll->busy = true;
	sched_after(&ll->rt->sim->sched, &ll->next, ll->interval);
}

static void
rate_fire(struct sched *s, struct sim_event *ev)
{
	(void)s;
	rate_accept(container_of(ev, struct llisten, next));
}

static void
on_ready(void *ctx, struct tcp_listener *l)
{
	struct lrt *rt = ctx;
	lua_rawgetp(rt->L, LUA_REGISTRYINDEX, l);
	struct llisten *ll = lua_touserdata(rt->L, -1);
	lua_pop(rt->L, 1);
	if (ll && ll->mode == ACCEPT_RATE && !ll->busy)
		rate_accept(ll);
}

static const struct tcp_app lua_app = {
	.connected = on_connected,
	.accepted = on_accepted,
	.data = on_data,
	.eof = on_eof,
	.closed = on_closed,
	.ready = on_ready,
};

void
ltcp_attach(lua_State *L, struct node *n)
{
	tcp_host_set_app(n->tcp, &lua_app, lrt_get(L));
	/* Conns reach connections only through their tags and
	 * tcp_host_conn, and let go of closed ones (conn_gc). */
	tcp_host_shrink_closed(n->tcp, true);
	/* keep_closed = false: the scenario reads no closed connection by
	 * number (host_conn refuses it), so one it holds no Conn for can
	 * go, unless an output reads it after the run. */
	struct lrt *rt = lrt_get(L);
	if (rt->forget_closed && rt->sim->closed_unread)
		tcp_host_forget_closed(n->tcp, true);
}

/* ---- options ------------------------------------------------------------------- */

/* The callbacks of table opts that have (bit i: cb_names[i]) says it
 * has, as lrt_checkkeys found them: a connect per millisecond looks up
 * only the names it gives. */
static void
read_callbacks(lua_State *L, int opts, int *cb, unsigned have)
{
	/* Checked in a fixed order, so that the first error named does not
	 * depend on the table's hash order. */
	for (int i = 0; i < CB_N; i++) {
		if (!(have & 1u << i))
			continue;
		lua_getfield(L, opts, cb_names[i]);
		if (!lua_isfunction(L, -1))
			luaL_error(L, "%s must be a function (got %s)", cb_names[i],
			           luaL_typename(L, -1));
		lua_pop(L, 1);
	}
	/* All checked: now take references. */
	for (int i = 0; i < CB_N; i++)
		if (have & 1u << i) {
			lua_getfield(L, opts, cb_names[i]);
			cb[i] = luaL_ref(L, LUA_REGISTRYINDEX);
		}
}

static void
read_app(lua_State *L, int opts, const char *what, uint64_t *send_n,
         bool *send_str, enum close_policy *close, simtime *close_after)
{
	*send_str = false;
	if (lua_getfield(L, opts, "send") != LUA_TNIL) {
		/* Any string is text, "100" too; only a number is a count
		 * (lua_isnumber would take a string of digits for one). */
		if (lua_type(L, -1) == LUA_TSTRING)
			*send_str = true;
		else if (lua_isinteger(L, -1) && lua_tointeger(L, -1) >= 0)
			*send_n = (uint64_t)lua_tointeger(L, -1);
		else {
			int v = lua_gettop(L);
			*send_n = lrt_checksize(L, v, lua_pushfstring(L, "%s: send",
			                                               what));
		}
	}
	lua_settop(L, opts);
	if (lua_getfield(L, opts, "close") != LUA_TNIL) {
		const char *s = luaL_checkstring(L, -1);
		if (strcmp(s, "never") == 0)
			*close = CLOSE_NEVER;
		else if (strcmp(s, "after_send") == 0)
			*close = CLOSE_AFTER_SEND;
		else if (strcmp(s, "on_eof") == 0)
			*close = CLOSE_ON_EOF;
		else {
			const char *label = lua_pushfstring(L, "%s: close (never, "
			                                    "after_send, on_eof or a "
			                                    "delay)", what);
			*close_after = lrt_checktime(L, -2, label);
			*close = CLOSE_AT;
		}
	}
	lua_settop(L, opts);
}

/* ---- host:listen ---------------------------------------------------------------- */

static int
host_listen(lua_State *L)
{
	/* keys[2..6]: cb_names[1..5], in that order (read_callbacks) */
	static const char *const keys[] = {
		"backlog", "accept", "on_accept", "on_data", "on_eof", "on_close",
		"on_error", "send", "close", NULL,
	};
	struct node *n = lnet_checkhost(L, 1);
	enum accept_mode mode = ACCEPT_AUTO;
	simtime interval = 0;
	lua_Integer port = lrt_checkint(L, 2, "listen: port", 1, 65535,
	                                "a port from 1 to 65535");
	lua_Integer backlog = -1;
	uint64_t send_n = 0;
	bool send_str = false;
	enum close_policy close = CLOSE_ON_EOF;
	simtime close_after = 0;
	int opts = lua_isnoneornil(L, 3) ? 0 : 3;
	uint64_t has = 0;	/* which of keys[] the table has */
	if (opts) {
		luaL_checktype(L, 3, LUA_TTABLE);
		has = lrt_checkkeys(L, 3, "listen", keys);
		if (lua_getfield(L, 3, "backlog") != LUA_TNIL) {
			backlog = lrt_checkint(L, -1, "listen: backlog", 0, 1 << 20,
			                       "a whole number from 0 to 1048576");
		}
		lua_pop(L, 1);
		/* accept = "auto" | "manual" | connections per second (a
		 * number) | the time each connection takes ("250ms"). */
		int t = lua_getfield(L, 3, "accept");
		if (t == LUA_TSTRING && strcmp(lua_tostring(L, -1), "auto") == 0)
			mode = ACCEPT_AUTO;
		else if (t == LUA_TSTRING &&
		         strcmp(lua_tostring(L, -1), "manual") == 0)
			mode = ACCEPT_MANUAL;
		else if (t == LUA_TNUMBER) {
			lua_Number r = lua_tonumber(L, -1);
			if (!(r > 0 && r <= 1e9))
				return luaL_error(L, "listen: accept: a rate must be "
				                  "connections per second above 0 "
				                  "(got %s)", lua_tostring(L, -1));
			mode = ACCEPT_RATE;
			/* rounded once to whole nanoseconds, as flood{ rate } */
			interval = (simtime)llround(1e9 / r);
		} else if (t != LUA_TNIL) {
			interval = lrt_checktime(L, -1, "listen: accept (\"auto\", "
			                         "\"manual\", connections per second, "
			                         "or the time each takes)");
			if (interval <= 0)
				return luaL_error(L, "listen: accept: the time per "
				                  "connection must be above 0");
			mode = ACCEPT_RATE;
		}
		lua_pop(L, 1);
		read_app(L, 3, "listen", &send_n, &send_str, &close, &close_after);
	}
	struct llisten *ll = lsim_new_object(L, sizeof *ll, LTCP_LISTENER);
	for (int i = 0; i < CB_N; i++)
		ll->cb[i] = LUA_NOREF;
	ll->send_ref = LUA_NOREF;
	if (opts) {
		read_callbacks(L, 3, ll->cb, (unsigned)(has >> 2 & 0x1f) << 1);
		if (send_str) {
			lua_getfield(L, 3, "send");
			ll->send_ref = luaL_ref(L, LUA_REGISTRYINDEX);
		}
	}
	int err;
	ll->l = tcp_listen(n->tcp, (uint16_t)port, (int)backlog, &err);
	if (ll->l == NULL)
		return luaL_error(L, "listen: %s port %d: %s", n->name, (int)port,
		                  sim_errdesc(err));
	ll->host = n;
	ll->mode = mode;
	ll->interval = interval;
	ll->rt = lrt_get(L);
	sched_event_init(&ll->next, rate_fire);
	tcp_listener_set_manual(ll->l, mode != ACCEPT_AUTO);
	ll->send_n = send_n;
	ll->close = close;
	ll->close_after = close_after;
	lua_pushvalue(L, -1);
	lua_rawsetp(L, LUA_REGISTRYINDEX, ll->l);
	return 1;
}

static int
listener_close(lua_State *L)
{
	struct llisten *ll = luaL_checkudata(L, 1, LTCP_LISTENER);
	tcp_listener_close(ll->l);
	return 0;
}

/* listener:accept(): the oldest connection of the accept queue (its
 * on_accept runs first), or nil when none waits. */
static int
listener_accept(lua_State *L)
{
	struct llisten *ll = luaL_checkudata(L, 1, LTCP_LISTENER);
	if (ll->mode == ACCEPT_AUTO)
		return luaL_error(L, "accept: this listener accepts by itself "
		                  "(listen{ accept = \"manual\" } to call it)");
	struct tcp_conn *c = tcp_listener_accept(ll->l);
	if (c == NULL)
		lua_pushnil(L);
	else
		push_conn(L, c);
	return 1;
}

static int
listener_gc(lua_State *L)
{
	struct llisten *ll = luaL_checkudata(L, 1, LTCP_LISTENER);
	if (ll->rt && ll->rt->sim)
		sched_cancel(&ll->rt->sim->sched, &ll->next);
	return 0;
}

static int
listener_index(lua_State *L)
{
	struct llisten *ll = luaL_checkudata(L, 1, LTCP_LISTENER);
	const char *k = luaL_checkstring(L, 2);
	if (lua_getfield(L, lua_upvalueindex(1), k) != LUA_TNIL)
		return 1;	/* a method */
	lua_pop(L, 1);
	if (strcmp(k, "backlog") == 0)
		lua_pushinteger(L, tcp_listener_backlog(ll->l));
	else if (strcmp(k, "syn_queue") == 0)
		lua_pushinteger(L, tcp_listener_synq_len(ll->l));
	else if (strcmp(k, "accept_queue") == 0)
		lua_pushinteger(L, tcp_listener_acceptq_len(ll->l));
	else if (strcmp(k, "accept_overflows") == 0)
		lua_pushinteger(L, (lua_Integer)tcp_listener_accept_overflows(ll->l));
	else if (strcmp(k, "port") == 0)
		lua_pushinteger(L, tcp_listener_port(ll->l));
	else if (strcmp(k, "syn_dropped") == 0)
		lua_pushinteger(L, (lua_Integer)tcp_listener_syn_dropped(ll->l));
	else if (strcmp(k, "accepted") == 0)
		lua_pushinteger(L, (lua_Integer)tcp_listener_accepted(ll->l));
	else if (strcmp(k, "cookies_sent") == 0)
		lua_pushinteger(L, (lua_Integer)tcp_listener_cookies_sent(ll->l));
	else if (strcmp(k, "cookies_accepted") == 0)
		lua_pushinteger(L, (lua_Integer)tcp_listener_cookies_accepted(ll->l));
	else
		return luaL_error(L, "listener has no field or method '%s'", k);
	return 1;
}

/* ---- host:connect ----------------------------------------------------------------- */

static void
start_connect(struct lrt *rt, struct lconn *lc)
{
	lua_State *L = rt->L;
	int err;
	struct tcp_conn *c = tcp_connect(lc->host->tcp, lc->raddr, lc->rport,
	                                 &lc->opts, &err);
	if (c == NULL) {
		lc->start_err = err;
		/* No connection record exists to trace this: say it in the
		 * narration, so a failure without on_error is not silent. */
		char addr[16], text[96];
		snprintf(text, sizeof text, "connect() to %s:%u failed: %s",
		         pkt_addr_str(lc->raddr, addr, sizeof addr),
		         (unsigned)lc->rport, sim_strerror(err));
		trace_log(&rt->sim->trace, sim_now(rt->sim), lc->host->name, text);
		push_lconn(L, lc);
		lua_pushvalue(L, -1);
		lua_pushstring(L, sim_strerror(err));
		call_cb(rt, lc, CB_ERROR, 2);
		lua_pushstring(L, sim_strerror(err));
		call_cb(rt, lc, CB_CLOSE, 2);
		return;
	}
	lc->c = c;
	tcp_conn_set_tag(c, (intptr_t)lc);
}

static void
start_fire(struct sched *s, struct sim_event *ev)
{
	(void)s;
	struct lconn *lc = container_of(ev, struct lconn, start);
	start_connect(lc->rt, lc);
}

static int
host_connect(lua_State *L)
{
	/* keys[6..11]: cb_names, in that order (read_callbacks) */
	static const char *const keys[] = {
		"at", "timeout", "lport", "isn", "send", "close", "on_connect",
		"on_accept", "on_data", "on_eof", "on_close", "on_error", NULL,
	};
	struct lrt *rt = lrt_get(L);
	struct node *n = lnet_checkhost(L, 1);
	uint32_t raddr;
	if (lua_type(L, 2) == LUA_TSTRING) {
		/* An address, or the name of a host of this network. */
		const char *to = lua_tostring(L, 2);
		const struct node *byname = net_find_node(n->net, to);
		if (byname)
			raddr = byname->addr;
		else if (pkt_addr_parse(to, &raddr) < 0)
			return luaL_error(L, "connect: '%s' is neither a host of this "
			                  "network nor an IPv4 address (pass the host, "
			                  "e.g. connect(server, 80))", to);
	} else {
		raddr = lnet_checknode(L, 2)->addr;
	}
	lua_Integer port = lrt_checkint(L, 3, "connect: port", 1, 65535,
	                                "a port from 1 to 65535");
	simtime at = sim_now(rt->sim);
	struct tcp_connect_opts o = { 0 };
	uint64_t send_n = 0;
	bool send_str = false;
	enum close_policy close = CLOSE_NEVER;
	simtime close_after = 0;
	int opts = lua_isnoneornil(L, 4) ? 0 : 4;
	uint64_t has = 0;	/* which of keys[] the table has */
	if (opts) {
		luaL_checktype(L, opts, LUA_TTABLE);
		/* only the keys the table has are read */
		has = lrt_checkkeys(L, opts, "connect", keys);
		if (has & 1u << 0) {	/* at */
			lua_getfield(L, opts, "at");
			at = lrt_checktime(L, -1, "connect: at");
			if (at < sim_now(rt->sim))
				return luaL_error(L, "connect: at lies in the past");
		}
		if (has & 1u << 1) {	/* timeout */
			lua_getfield(L, opts, "timeout");
			o.timeout = lrt_checktime(L, -1, "connect: timeout");
		}
		if (has & 1u << 2) {	/* lport */
			lua_getfield(L, opts, "lport");
			lua_Integer lp = lrt_checkint(L, -1, "connect: lport", 1, 65535,
			                              "a port from 1 to 65535");
			o.lport = (uint16_t)lp;
		}
		if (has & 1u << 3) {	/* isn */
			lua_getfield(L, opts, "isn");
			lua_Integer isn = lrt_checkint(L, -1, "connect: isn", 0,
			                               UINT32_MAX, "a whole number from "
			                               "0 to 4294967295");
			o.isn_fixed = true;
			o.isn = (uint32_t)isn;
		}
		lua_settop(L, opts);
		read_app(L, opts, "connect", &send_n, &send_str, &close, &close_after);
		if (has & 1u << 7)	/* on_accept */
			return luaL_error(L, "connect: on_accept belongs to listen()");
	}
	struct lconn *lc = new_lconn(L, n);
	if (opts) {
		read_callbacks(L, opts, lc->cb, (unsigned)(has >> 6 & 0x3f));
		if (send_str) {
			lua_getfield(L, opts, "send");
			lc->send_ref = luaL_ref(L, LUA_REGISTRYINDEX);
		}
	}
	lc->raddr = raddr;
	lc->rport = (uint16_t)port;
	lc->opts = o;
	lc->send_n = send_n;
	lc->close = close;
	lc->close_after = close_after;
	int ud = lua_gettop(L);
	if (at > sim_now(rt->sim)) {
		lc->start.fire = start_fire;
		sched_at(&rt->sim->sched, &lc->start, at);
	} else {
		start_connect(rt, lc);
	}
	lua_pushvalue(L, ud);
	return 1;
}

/* ---- Conn ------------------------------------------------------------------------- */

static int
conn_send(lua_State *L)
{
	struct lconn *lc = checkconn(L, 1);
	if (lc->c == NULL)
		return luaL_error(L, "send: the connection has not started yet");
	int err;
	if (lua_type(L, 2) == LUA_TSTRING) {	/* text, even "100" */
		size_t n;
		const char *s = lua_tolstring(L, 2, &n);
		err = tcp_send(lc->c, n, (const unsigned char *)s);
	} else {
		err = tcp_send(lc->c, lrt_checksize(L, 2, "send"), NULL);
	}
	if (err)
		return luaL_error(L, "send: %s (%s)", sim_errdesc(err),
		                  sim_strerror(err));
	return 0;
}

static int
conn_call(lua_State *L, int (*fn)(struct tcp_conn *), const char *what)
{
	struct lconn *lc = checkconn(L, 1);
	if (lc->c == NULL) {
		/* Not started: cancel the pending connect. */
		sched_cancel(&lrt_get(L)->sim->sched, &lc->start);
		return 0;
	}
	int err = fn(lc->c);
	if (err && err != SIM_ENOTCONN)
		return luaL_error(L, "%s: %s (%s)", what, sim_errdesc(err),
		                  sim_strerror(err));
	return 0;
}

static int
conn_close(lua_State *L)
{
	int r = conn_call(L, tcp_close, "close");
	let_go_if_done(L, checkconn(L, 1));
	return r;
}

static int conn_shutdown(lua_State *L) { return conn_call(L, tcp_shutdown, "shutdown"); }
static int conn_abort(lua_State *L) { return conn_call(L, tcp_abort, "abort"); }

static void
push_time_or_nil(lua_State *L, simtime t)
{
	if (t < 0)
		lua_pushnil(L);
	else
		lua_pushinteger(L, (lua_Integer)t);
}

static int
conn_index(lua_State *L)
{
	struct lconn *lc = checkconn(L, 1);
	const char *k = luaL_checkstring(L, 2);
	lua_getfield(L, lua_upvalueindex(1), k);
	if (!lua_isnil(L, -1))
		return 1;
	lua_pop(L, 1);
	for (int i = 0; i < CB_N; i++)
		if (strcmp(k, cb_names[i]) == 0) {
			lua_rawgeti(L, LUA_REGISTRYINDEX, lc->cb[i]);
			return 1;
		}
	if (strcmp(k, "host") == 0) {
		lnet_pushnode(L, lc->host);
		return 1;
	}
	struct tcp_conn_info in;
	if (lc->c)
		tcp_conn_info(lc->c, &in);
	else
		memset(&in, 0, sizeof in), in.t_established = in.t_closed = -1,
		in.snd_wscale = in.rcv_wscale = -1, in.error = lc->start_err;
	char buf[32], addr[16];
	if (strcmp(k, "state") == 0)
		lua_pushstring(L, tcp_state_name(in.state));
	else if (strcmp(k, "handshake_time") == 0)
		push_time_or_nil(L, in.t_established < 0 ? -1
		                 : in.t_established - in.t_open);
	else if (strcmp(k, "established_at") == 0)
		push_time_or_nil(L, in.t_established);
	else if (strcmp(k, "opened_at") == 0)
		push_time_or_nil(L, lc->c ? in.t_open : -1);
	else if (strcmp(k, "closed_at") == 0)
		push_time_or_nil(L, in.t_closed);
	else if (strcmp(k, "retransmits") == 0)
		lua_pushinteger(L, in.retransmits);
	else if (strcmp(k, "error") == 0) {
		if (in.error)
			lua_pushstring(L, sim_strerror(in.error));
		else
			lua_pushnil(L);
	} else if (strcmp(k, "id") == 0)
		lua_pushinteger(L, in.id);
	else if (strcmp(k, "mss") == 0)
		lua_pushinteger(L, in.mss);
	else if (strcmp(k, "peer_mss") == 0)
		lua_pushinteger(L, in.peer_mss);
	else if (strcmp(k, "wscale") == 0 || strcmp(k, "rcv_wscale") == 0) {
		int v = k[0] == 'w' ? in.snd_wscale : in.rcv_wscale;
		if (v < 0)
			lua_pushnil(L);
		else
			lua_pushinteger(L, v);
	} else if (strcmp(k, "sack") == 0)
		lua_pushboolean(L, in.sack);
	else if (strcmp(k, "timestamps") == 0)
		lua_pushboolean(L, in.ts);
	else if (strcmp(k, "iss") == 0)
		lua_pushinteger(L, in.iss);
	else if (strcmp(k, "irs") == 0)
		lua_pushinteger(L, in.irs);
	else if (strcmp(k, "snd_una") == 0)
		lua_pushinteger(L, in.snd_una);
	else if (strcmp(k, "snd_nxt") == 0)
		lua_pushinteger(L, in.snd_nxt);
	else if (strcmp(k, "rcv_nxt") == 0)
		lua_pushinteger(L, in.rcv_nxt);
	else if (strcmp(k, "bytes_sent") == 0)
		lua_pushinteger(L, (lua_Integer)in.bytes_sent);
	else if (strcmp(k, "bytes_acked") == 0)
		lua_pushinteger(L, (lua_Integer)in.bytes_acked);
	else if (strcmp(k, "bytes_received") == 0)
		lua_pushinteger(L, (lua_Integer)in.bytes_received);
	else if (strcmp(k, "srtt") == 0)
		push_time_or_nil(L, lc->c ? in.srtt : -1);
	else if (strcmp(k, "rto") == 0)
		push_time_or_nil(L, lc->c ? in.rto : -1);
	else if (strcmp(k, "passive") == 0)
		lua_pushboolean(L, in.passive);
	else if (strcmp(k, "local") == 0 || strcmp(k, "remote") == 0) {
		bool loc = k[0] == 'l';
		pkt_addr_str(loc ? in.laddr : in.raddr, addr, sizeof addr);
		snprintf(buf, sizeof buf, "%s:%u", addr,
		         (unsigned)(loc ? in.lport : in.rport));
		lua_pushstring(L, buf);
	} else if (strcmp(k, "lport") == 0)
		lua_pushinteger(L, in.lport);
	else if (strcmp(k, "rport") == 0)
		lua_pushinteger(L, in.rport);
	else
		return luaL_error(L, "connection has no field or method '%s'", k);
	return 1;
}

static int
conn_newindex(lua_State *L)
{
	struct lconn *lc = checkconn(L, 1);
	const char *k = luaL_checkstring(L, 2);
	for (int i = 0; i < CB_N; i++)
		if (strcmp(k, cb_names[i]) == 0) {
			if (!lua_isnil(L, 3))
				luaL_checktype(L, 3, LUA_TFUNCTION);
			luaL_unref(L, LUA_REGISTRYINDEX, lc->cb[i]);
			lua_pushvalue(L, 3);
			lc->cb[i] = lua_isnil(L, 3) ? (lua_pop(L, 1), LUA_NOREF)
			                            : luaL_ref(L, LUA_REGISTRYINDEX);
			if (lc->cb[i] != LUA_NOREF && lc->c &&
			    tcp_conn_state(lc->c) != TCP_CLOSED)
				hold_strongly(L, lc);
			return 0;
		}
	return luaL_error(L, "connection field '%s' is read-only", k);
}

static int
conn_tostring(lua_State *L)
{
	struct lconn *lc = checkconn(L, 1);
	if (lc->c)
		lua_pushfstring(L, "conn(%s#%d, %s)", lc->host->name,
		                tcp_conn_id(lc->c), tcp_state_name(tcp_conn_state(lc->c)));
	else
		lua_pushfstring(L, "conn(%s, not started)", lc->host->name);
	return 1;
}

/* Lua is closing: the events embedded here must leave the queue. */
static int
conn_gc(lua_State *L)
{
	struct lconn *lc = checkconn(L, 1);
	struct lrt *rt = lrt_get(L);
	if (rt && rt->sim) {
		sched_cancel(&rt->sim->sched, &lc->start);
		sched_cancel(&rt->sim->sched, &lc->closer);
	}
	/* A Conn collected while its connection lives on would lose its
	 * callbacks: only closed ones are held weakly (hold_weakly). */
	if (lc->c && tag_conn(lc->c) == lc) {
		tcp_conn_set_tag(lc->c, 0);
		tcp_conn_release(lc->c);
	}
	for (int i = 0; i < CB_N; i++)
		luaL_unref(L, LUA_REGISTRYINDEX, lc->cb[i]);
	luaL_unref(L, LUA_REGISTRYINDEX, lc->send_ref);
	/* Its slot is free (the weak table let go of it already) for the
	 * next Conn; a Conn made before it had none to give. */
	if (rt && lc->slot > 0) {
		if (rt->nconn_free == rt->capconn_free) {
			int cap = rt->capconn_free ? rt->capconn_free * 2 : 64;
			int *f = realloc(rt->conn_free, (size_t)cap * sizeof *f);
			if (f == NULL)
				return 0;	/* the slot is never used again */
			rt->conn_free = f;
			rt->capconn_free = cap;
		}
		rt->conn_free[rt->nconn_free++] = lc->slot;
		lc->slot = 0;
	}
	return 0;
}

/* host:conn(n): the host's nth connection (creation order, from 1). */
static int
host_conn(lua_State *L)
{
	struct node *n = lnet_checkhost(L, 1);
	lua_Integer i = luaL_checkinteger(L, 2);
	struct tcp_conn *c = tcp_host_conn(n->tcp, (int)i);
	/* Refused whether or not this run kept the record, so that what a
	 * scenario can do does not depend on its outputs. */
	if (i >= 1 && i <= tcp_host_nconns(n->tcp) && lrt_get(L)->forget_closed &&
	    (c == NULL || tcp_conn_state(c) == TCP_CLOSED))
		return luaL_error(L, "%s's connection #%I is closed, and closed "
		                  "connections are not kept (sim.network's "
		                  "keep_closed = false)", n->name, i);
	if (c == NULL)
		return luaL_error(L, "%s has no connection #%I (it has %d)", n->name,
		                  i, tcp_host_nconns(n->tcp));
	push_conn(L, c);
	return 1;
}

static int
host_nconns(lua_State *L)
{
	struct node *n = lnet_checkhost(L, 1);
	lua_pushinteger(L, tcp_host_nconns(n->tcp));
	return 1;
}

void
ltcp_open(lua_State *L)
{
	static const luaL_Reg host_methods[] = {
		{ "listen", host_listen },
		{ "connect", host_connect },
		{ "conn", host_conn },
		{ "nconns", host_nconns },
		{ NULL, NULL },
	};
	static const luaL_Reg conn_methods[] = {
		{ "send", conn_send },
		{ "close", conn_close },
		{ "shutdown", conn_shutdown },
		{ "abort", conn_abort },
		{ NULL, NULL },
	};
	lnet_methods(L, LNET_NODE);
	luaL_setfuncs(L, host_methods, 0);
	lua_pop(L, 1);

	luaL_newmetatable(L, LNET_CONN);
	lua_newtable(L);
	luaL_setfuncs(L, conn_methods, 0);
	lua_pushcclosure(L, conn_index, 1);
	lua_setfield(L, -2, "__index");
	lua_pushcfunction(L, conn_newindex);
	lua_setfield(L, -2, "__newindex");
	lua_pushcfunction(L, conn_tostring);
	lua_setfield(L, -2, "__tostring");
	lua_pushcfunction(L, conn_gc);
	lua_setfield(L, -2, "__gc");
	lua_pop(L, 1);

	static const luaL_Reg listener_methods[] = {
		{ "accept", listener_accept },
		{ "close", listener_close },
		{ NULL, NULL },
	};
	luaL_newmetatable(L, LTCP_LISTENER);
	lua_newtable(L);
	luaL_setfuncs(L, listener_methods, 0);
	lua_pushcclosure(L, listener_index, 1);
	lua_setfield(L, -2, "__index");
	lua_pushcfunction(L, listener_gc);
	lua_setfield(L, -2, "__gc");
	lua_pop(L, 1);

	lua_newtable(L);
	lua_createtable(L, 0, 1);
	lua_pushliteral(L, "v");
	lua_setfield(L, -2, "__mode");
	lua_setmetatable(L, -2);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &conns_key);
}

void
ltcp_close(lua_State *L)
{
	(void)L;
}
