/*
 * l_net.c - sim.network{...} and the Net and Node handles: hosts, routers,
 * links, routes, and running the simulation.
 *
 *   local net = sim.network{ profile = "linux" }
 *   local c = net:host("client", { addr = "10.0.0.1", tcp = { syn_retries = 3 } })
 *   local r = net:router("r1")
 *   local l = net:link(c, r, { delay = "50ms", rate = "10Mbps" })
 *   net:run{ ["until"] = "30s" }
 */
#include <lauxlib.h>
#include <lua.h>

#include <stdio.h>
#include <string.h>

#include "../net/flood.h"
#include "lnet.h"
#include "runtime.h"

static char nodes_key, links_key;	/* registry: canonical userdata by id */

struct lnet {
	struct net *net;
	struct tcp_profile profile;	/* hosts start from this */
};

static struct lnet *
to_lnet(lua_State *L, int idx)
{
	return luaL_checkudata(L, idx, LNET_NET);
}

struct net *
lnet_checknet(lua_State *L, int idx)
{
	return to_lnet(L, idx)->net;
}

struct net *
lnet_get(lua_State *L)
{
	struct lrt *rt = lrt_get(L);
	if (rt->sim->net == NULL)
		luaL_error(L, "no network yet: call sim.network{} first");
	return rt->sim->net;
}

struct node *
lnet_checknode(lua_State *L, int idx)
{
	return *(struct node **)luaL_checkudata(L, idx, LNET_NODE);
}

struct node *
lnet_checkhost(lua_State *L, int idx)
{
	struct node *n = lnet_checknode(L, idx);
	if (n->kind != NODE_HOST)
		luaL_argerror(L, idx, lua_pushfstring(L, "'%s' is a router, not a "
		              "host", n->name));
	return n;
}

struct link *
lnet_checklink(lua_State *L, int idx)
{
	return *(struct link **)luaL_checkudata(L, idx, LNET_LINK);
}

static void
push_canonical(lua_State *L, void *key, int id, void *ptr, const char *tname)
{
	lua_rawgetp(L, LUA_REGISTRYINDEX, key);
	if (lua_rawgeti(L, -1, id + 1) == LUA_TNIL) {
		lua_pop(L, 1);
		void **ud = lua_newuserdatauv(L, sizeof ptr, 0);
		*ud = ptr;
		luaL_setmetatable(L, tname);
		lua_pushvalue(L, -1);
		lua_rawseti(L, -3, id + 1);
	}
	lua_remove(L, -2);
}

void
lnet_pushnode(lua_State *L, struct node *n)
{
	push_canonical(L, &nodes_key, n->id, n, LNET_NODE);
}

void
lnet_pushlink(lua_State *L, struct link *l)
{
	push_canonical(L, &links_key, l->id, l, LNET_LINK);
}

void
lnet_methods(lua_State *L, const char *tname)
{
	luaL_getmetatable(L, tname);
	lua_getfield(L, -1, "methods");
	lua_remove(L, -2);
}

/* ---- Net ------------------------------------------------------------------ */

static uint32_t
check_addr(lua_State *L, int idx, const char *what)
{
	uint32_t a;
	const char *s = luaL_checkstring(L, idx);
	if (pkt_addr_parse(s, &a) < 0)
		luaL_error(L, "%s: '%s' is not an IPv4 address", what, s);
	return a;
}

static void
check_name(lua_State *L, struct net *net, const char *name, const char *what)
{
	if (name[0] == '\0' || strlen(name) > 63 || strpbrk(name, " ,\t\n\""))
		luaL_error(L, "%s: name '%s' must be 1-63 characters without "
		           "spaces, commas or quotes", what, name);
	if (net_find_node(net, name))
		luaL_error(L, "%s: there is already a node named '%s'", what, name);
}

/* Apply tcp = { knob = value, ... } to a profile; values are checked
 * before anything is changed. */
static void
apply_knobs(lua_State *L, int idx, struct tcp_profile *p, const char *what)
{
	struct tcp_profile q = *p;
	idx = lua_absindex(L, idx);
	luaL_checktype(L, idx, LUA_TTABLE);
	const char *names[64];
	int n = 0;
	for (const struct tcp_knob *k = tcp_knobs; k->name && n < 63; k++)
		names[n++] = k->name;
	names[n] = NULL;
	lrt_checkkeys(L, idx, what, names);
	for (const struct tcp_knob *k = tcp_knobs; k->name; k++) {
		if (lua_getfield(L, idx, k->name) == LUA_TNIL) {
			lua_pop(L, 1);
			continue;
		}
		char label[96];
		snprintf(label, sizeof label, "%s: %s", what, k->name);
		int64_t v = 0;
		switch (k->kind) {
		case KNOB_TIME:
			v = lrt_checktime(L, -1, label);
			break;
		case KNOB_INT:
			if (!lua_isinteger(L, -1))
				luaL_error(L, "%s: expected a whole number (got %s)", label,
				           luaL_tolstring(L, -1, NULL));
			v = lua_tointeger(L, -1);
			break;
		case KNOB_BOOL:
			if (!lua_isboolean(L, -1))
				luaL_error(L, "%s: expected true or false (got %s)", label,
				           luaL_tolstring(L, -1, NULL));
			v = lua_toboolean(L, -1);
			break;
		case KNOB_ISN: {
			const char *s = luaL_checkstring(L, -1);
			v = -1;
			for (int i = 0; tcp_isn_names[i]; i++)
				if (strcmp(s, tcp_isn_names[i]) == 0)
					v = i;
			if (v < 0)
				luaL_error(L, "%s: unknown policy '%s' (hash, clock, "
				           "random, zero)", label, s);
			break;
		}
		}
		if (tcp_knob_set(&q, k, v) < 0)
			luaL_error(L, "%s: %s is out of range [%I, %I]", label,
			           luaL_tolstring(L, -1, NULL), (lua_Integer)k->min,
			           (lua_Integer)k->max);
		lua_pop(L, 1);
	}
	*p = q;
}

static void
read_profile(lua_State *L, int idx, struct tcp_profile *p, const char *what)
{
	const char *name = luaL_checkstring(L, idx);
	if (tcp_profile_get(name, p) < 0) {
		luaL_Buffer b;
		luaL_buffinit(L, &b);
		for (int i = 0; tcp_profile_names[i]; i++) {
			luaL_addstring(&b, i ? ", " : "");
			luaL_addstring(&b, tcp_profile_names[i]);
		}
		luaL_pushresult(&b);
		luaL_error(L, "%s: unknown profile '%s' (known: %s)", what, name,
		           lua_tostring(L, -1));
	}
}

int
lnet_network(lua_State *L)
{
	static const char *const keys[] = { "profile", "tcp", NULL };
	struct lrt *rt = lrt_get(L);
	if (rt->sim->net)
		return luaL_error(L, "sim.network: a scenario has one network");
	struct tcp_profile prof;
	tcp_profile_get("linux", &prof);
	if (!lua_isnoneornil(L, 1)) {
		luaL_checktype(L, 1, LUA_TTABLE);
		lrt_checkkeys(L, 1, "sim.network", keys);
		if (lua_getfield(L, 1, "profile") != LUA_TNIL)
			read_profile(L, -1, &prof, "sim.network: profile");
		if (lua_getfield(L, 1, "tcp") != LUA_TNIL)
			apply_knobs(L, -1, &prof, "sim.network: tcp");
		lua_pop(L, 2);
	}
	struct lnet *ln = lua_newuserdatauv(L, sizeof *ln, 0);
	ln->net = net_new(rt->sim);
	if (ln->net == NULL)
		return luaL_error(L, "out of memory");
	ln->profile = prof;
	rt->sim->net = ln->net;
	luaL_setmetatable(L, LNET_NET);
	return 1;
}

static struct node *
add_node(lua_State *L, enum node_kind kind, const char *what)
{
	static const char *const host_keys[] = { "addr", "profile", "tcp", NULL };
	static const char *const router_keys[] = { "addr", NULL };
	struct lnet *ln = to_lnet(L, 1);
	const char *name = luaL_checkstring(L, 2);
	uint32_t addr = 0;
	bool has_addr = false;
	struct tcp_profile prof = ln->profile;

	check_name(L, ln->net, name, what);
	if (!lua_isnoneornil(L, 3)) {
		luaL_checktype(L, 3, LUA_TTABLE);
		lrt_checkkeys(L, 3, what, kind == NODE_HOST ? host_keys : router_keys);
		if (lua_getfield(L, 3, "addr") != LUA_TNIL) {
			addr = check_addr(L, -1, what);
			has_addr = true;
			if (net_find_addr(ln->net, addr))
				luaL_error(L, "%s: address %s is already taken", what,
				           lua_tostring(L, -1));
		}
		lua_pop(L, 1);
		if (kind == NODE_HOST) {
			if (lua_getfield(L, 3, "profile") != LUA_TNIL)
				read_profile(L, -1, &prof, what);
			if (lua_getfield(L, 3, "tcp") != LUA_TNIL)
				apply_knobs(L, -1, &prof, what);
			lua_pop(L, 2);
		}
	}
	struct node *n = net_add_node(ln->net, name, kind);
	if (n == NULL)
		luaL_error(L, "out of memory");
	if (has_addr)
		net_set_addr(ln->net, n, addr);
	if (kind == NODE_HOST) {
		if ((n->tcp = tcp_host_new(n, &prof)) == NULL)
			luaL_error(L, "out of memory");
		ltcp_attach(L, n);
	}
	lnet_pushnode(L, n);
	return n;
}

static int
net_host(lua_State *L)
{
	add_node(L, NODE_HOST, "net:host");
	return 1;
}

static int
net_router(lua_State *L)
{
	add_node(L, NODE_ROUTER, "net:router");
	return 1;
}

static int
net_link(lua_State *L)
{
	struct lnet *ln = to_lnet(L, 1);
	struct node *a = lnet_checknode(L, 2);
	struct node *b = lnet_checknode(L, 3);
	if (a == b)
		return luaL_error(L, "net:link: both ends are '%s'", a->name);
	struct link_params p;
	link_params_default(&p);
	int opts = lua_isnoneornil(L, 4) ? 0 : 4;
	if (opts) {
		const char *known[32];
		char ab[140], ba[140];
		int n = 0;
		snprintf(ab, sizeof ab, "%s->%s", a->name, b->name);
		snprintf(ba, sizeof ba, "%s->%s", b->name, a->name);
		for (int i = 0; llink_keys[i] && n < 29; i++)
			known[n++] = llink_keys[i];
		known[n++] = ab;
		known[n++] = ba;
		known[n] = NULL;
		luaL_checktype(L, opts, LUA_TTABLE);
		lrt_checkkeys(L, opts, "net:link", known);
		llink_params(L, opts, &p, "net:link", true, NULL);
	}
	/* Per-direction overrides, { ["a->b"] = {...} }, read before the link
	 * exists so that an error leaves nothing half-built. */
	struct link_params dir[2] = { p, p };
	struct node *ends[2] = { a, b };
	for (int d = 0; opts && d < 2; d++) {
		char key[140];
		snprintf(key, sizeof key, "%s->%s", ends[d]->name, ends[1 - d]->name);
		if (lua_getfield(L, opts, key) != LUA_TNIL)
			llink_params(L, -1, &dir[d], key, false, NULL);
		lua_pop(L, 1);
	}
	struct link *l = link_new(ln->net, a, b, &p);
	if (l == NULL)
		return luaL_error(L, "out of memory");
	l->dir[0].p = dir[0];
	l->dir[1].p = dir[1];
	ln->net->started = false;	/* routes change */
	lnet_pushlink(L, l);
	return 1;
}

static int
net_node(lua_State *L)
{
	struct lnet *ln = to_lnet(L, 1);
	struct node *n = net_find_node(ln->net, luaL_checkstring(L, 2));
	if (n == NULL)
		return luaL_error(L, "net:node: no node named '%s'",
		                  lua_tostring(L, 2));
	lnet_pushnode(L, n);
	return 1;
}

/* net:route(from, to, via): packets from `from` for `to` leave through the
 * link `via`. */
static int
net_route(lua_State *L)
{
	to_lnet(L, 1);
	struct node *from = lnet_checknode(L, 2);
	struct node *to = lnet_checknode(L, 3);
	struct link *via = lnet_checklink(L, 4);
	int end = link_dir_from(via, from);
	if (end < 0)
		return luaL_error(L, "net:route: link %s does not touch %s",
		                  via->name, from->name);
	if (node_pin_route(from, to, via->iface[end]) < 0)
		return luaL_error(L, "out of memory");
	from->net->started = false;
	return 0;
}

static int
net_run(lua_State *L)
{
	to_lnet(L, 1);
	simtime until = SIMTIME_MAX;
	if (!lua_isnoneornil(L, 2)) {
		static const char *const keys[] = { "until", "until_", NULL };
		luaL_checktype(L, 2, LUA_TTABLE);
		lrt_checkkeys(L, 2, "net:run", keys);
		if (lua_getfield(L, 2, "until") != LUA_TNIL ||
		    (lua_pop(L, 1), lua_getfield(L, 2, "until_")) != LUA_TNIL)
			until = lrt_checktime(L, -1, "net:run: until");
		lua_pop(L, 1);
	}
	lrt_run_sched(lrt_get(L), L, until);
	return 0;
}

/* node:flood{ to =, port =, rate = | interval =, start =, stop =,
 * spoof = } - spoofed SYNs at a steady rate. */
static int
node_flood(lua_State *L)
{
	static const char *const keys[] = {
		"to", "port", "rate", "interval", "start", "stop", "spoof", NULL,
	};
	struct node *n = lnet_checknode(L, 1);
	struct lrt *rt = lrt_get(L);
	luaL_checktype(L, 2, LUA_TTABLE);
	lrt_checkkeys(L, 2, "flood", keys);
	if (lua_getfield(L, 2, "to") == LUA_TNIL)
		return luaL_error(L, "flood: 'to' (the target host) is required");
	uint32_t dst = lnet_checknode(L, -1)->addr;
	lua_Integer port = 80;
	if (lua_getfield(L, 2, "port") != LUA_TNIL) {
		port = luaL_checkinteger(L, -1);
		if (port < 1 || port > 65535)
			return luaL_error(L, "flood: port must be 1-65535");
	}
	simtime interval = 0;
	if (lua_getfield(L, 2, "rate") != LUA_TNIL) {
		lua_Number r = luaL_checknumber(L, -1);
		if (!(r > 0 && r <= 1e9))
			return luaL_error(L, "flood: rate must be between 0 and 1e9 "
			                  "SYNs per second (got %s)", lua_tostring(L, -1));
		/* SYNs per second to a whole interval in ns, rounded. */
		interval = (simtime)(1e9 / r + 0.5);
	}
	if (lua_getfield(L, 2, "interval") != LUA_TNIL)
		interval = lrt_checktime(L, -1, "flood: interval");
	if (interval <= 0)
		return luaL_error(L, "flood: give rate (SYNs per second) or interval");
	simtime start = sim_now(rt->sim), stop = SIMTIME_MAX;
	if (lua_getfield(L, 2, "start") != LUA_TNIL)
		start = lrt_checktime(L, -1, "flood: start");
	if (lua_getfield(L, 2, "stop") != LUA_TNIL)
		stop = lrt_checktime(L, -1, "flood: stop");
	if (start < sim_now(rt->sim))
		return luaL_error(L, "flood: start lies in the past");
	bool spoof = true;
	if (lua_getfield(L, 2, "spoof") != LUA_TNIL)
		spoof = lua_toboolean(L, -1);
	if (flood_start(n, dst, (uint16_t)port, start, stop, interval, spoof) == NULL)
		return luaL_error(L, "out of memory");
	return 0;
}

static int
net_tostring(lua_State *L)
{
	struct lnet *ln = to_lnet(L, 1);
	lua_pushfstring(L, "network(%d nodes, %d links)", ln->net->nnodes,
	                ln->net->nlinks);
	return 1;
}

/* ---- Node ----------------------------------------------------------------- */

static int
node_index(lua_State *L)
{
	struct node *n = lnet_checknode(L, 1);
	const char *k = luaL_checkstring(L, 2);
	lua_getfield(L, lua_upvalueindex(1), k);
	if (!lua_isnil(L, -1))
		return 1;
	char buf[16];
	if (strcmp(k, "name") == 0)
		lua_pushstring(L, n->name);
	else if (strcmp(k, "addr") == 0)
		lua_pushstring(L, pkt_addr_str(n->addr, buf, sizeof buf));
	else if (strcmp(k, "id") == 0)
		lua_pushinteger(L, n->id + 1);
	else if (strcmp(k, "kind") == 0)
		lua_pushstring(L, n->kind == NODE_HOST ? "host" : "router");
	else
		return luaL_error(L, "%s has no field or method '%s'", n->name, k);
	return 1;
}

static int
node_tostring(lua_State *L)
{
	struct node *n = lnet_checknode(L, 1);
	lua_pushfstring(L, "%s(%s)", n->kind == NODE_HOST ? "host" : "router",
	                n->name);
	return 1;
}

static int
link_tostring(lua_State *L)
{
	lua_pushfstring(L, "link(%s)", lnet_checklink(L, 1)->name);
	return 1;
}

static void
new_type(lua_State *L, const char *tname, const luaL_Reg *methods,
         lua_CFunction index, lua_CFunction tostring)
{
	luaL_newmetatable(L, tname);
	lua_newtable(L);
	luaL_setfuncs(L, methods, 0);
	lua_pushvalue(L, -1);
	lua_setfield(L, -3, "methods");
	if (index) {
		lua_pushcclosure(L, index, 1);
	}
	lua_setfield(L, -2, "__index");
	lua_pushcfunction(L, tostring);
	lua_setfield(L, -2, "__tostring");
	lua_pop(L, 1);
}

static int
link_index(lua_State *L)
{
	struct link *l = lnet_checklink(L, 1);
	const char *k = luaL_checkstring(L, 2);
	lua_getfield(L, lua_upvalueindex(1), k);
	if (!lua_isnil(L, -1))
		return 1;
	if (strcmp(k, "name") == 0)
		lua_pushstring(L, l->name);
	else if (strcmp(k, "a") == 0)
		lnet_pushnode(L, l->node[0]);
	else if (strcmp(k, "b") == 0)
		lnet_pushnode(L, l->node[1]);
	else
		return luaL_error(L, "link %s has no field or method '%s'", l->name,
		                  k);
	return 1;
}

void
lnet_open(lua_State *L)
{
	static const luaL_Reg net_methods[] = {
		{ "host", net_host },
		{ "router", net_router },
		{ "link", net_link },
		{ "node", net_node },
		{ "route", net_route },
		{ "run", net_run },
		{ NULL, NULL },
	};
	static const luaL_Reg no_methods[] = { { NULL, NULL } };
	static const luaL_Reg node_methods[] = {
		{ "flood", node_flood },
		{ NULL, NULL },
	};
	new_type(L, LNET_NET, net_methods, NULL, net_tostring);
	new_type(L, LNET_NODE, node_methods, node_index, node_tostring);
	new_type(L, LNET_LINK, no_methods, link_index, link_tostring);
	lua_newtable(L);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &nodes_key);
	lua_newtable(L);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &links_key);
	llink_open(L);
	ltcp_open(L);
	ltrace_open(L);
}
