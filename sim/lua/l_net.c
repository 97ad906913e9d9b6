/*
 * l_net.c - sim.network{...} and the Net and Node handles: hosts, routers,
 * links, routes, star and dumbbell topologies, and running the
 * simulation.
 *
 *   local net = sim.network{ profile = "linux" }
 *   local c = net:host("client", { addr = "10.0.0.1", tcp = { syn_retries = 3 } })
 *   local r = net:router("r1")
 *   local l = net:link(c, r, { delay = "50ms", rate = "10Mbps" })
 *   local s = net:star{ center = "hub", hosts = { "a", "b" } }
 *   local d = net:dumbbell{ left = 4, right = 4, bottleneck = { rate = "1Mbps" } }
 *   net:run{ ["until"] = "30s" }
 */
#include <lauxlib.h>
#include <lua.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/names.h"
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
		void **ud = lsim_new_object(L, sizeof ptr, tname);
		*ud = ptr;
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
	char label[96];
	snprintf(label, sizeof label, "%s: addr", what);
	const char *s = lrt_checkstr(L, idx, label, "an IPv4 address such as "
	                             "\"10.0.0.5\"");
	if (pkt_addr_parse(s, &a) < 0)
		luaL_error(L, "%s: '%s' is not an IPv4 address", what, s);
	return a;
}

static void
check_name(lua_State *L, struct net *net, int idx, const char *what)
{
	size_t len;
	const char *name = lua_tolstring(L, idx, &len);
	/* Outputs name an address by its node when there is one, so a name
	 * that reads as an address ("10.0.0.1", "7") would be ambiguous. */
	if (len > 0 && strspn(name, "0123456789.") == len)
		luaL_error(L, "%s: name '%s' looks like an address; give the node "
		           "a name with a letter in it", what, name);
	const char *why = name_problem(name, len);
	if (why)
		luaL_error(L, "%s: name \"%s\" %s", what,
		           lrt_printable(L, name, len), why);
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
	if (!lua_istable(L, idx)) {
		char label[96];
		snprintf(label, sizeof label, "%s", what);
		lrt_badvalue(L, idx, label, "a table of knobs such as "
		             "{ syn_retries = 3 }");
	}
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
			v = lrt_checkint(L, -1, label, INT64_MIN, INT64_MAX,
			                 "a whole number");
			break;
		case KNOB_BOOL:
			v = lrt_checkbool(L, -1, label);
			break;
		case KNOB_ISN: {
			const char *s = lrt_checkstr(L, -1, label, "hash, clock, "
			                             "random or zero");
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
	/* RFC 6298 2.4/2.5: the RTO is clamped to [rto_min, rto_max]; a
	 * floor above the ceiling is no clamp at all. */
	if (q.rto_min > q.rto_max) {
		char lo[32], hi[32];
		simtime_format_short(q.rto_min, lo, sizeof lo);
		simtime_format_short(q.rto_max, hi, sizeof hi);
		luaL_error(L, "%s: rto_min (%s) is above rto_max (%s)", what, lo,
		           hi);
	}
	*p = q;
}

/*
 * The -K knobs for host name, on top of what the scenario set: each value
 * goes through apply_knobs as if the scenario had written it (a whole
 * number as a number, true/false as booleans, anything else as text:
 * "3s", "hash"), so it is checked the same way.
 */
static void
apply_cli_knobs(lua_State *L, struct lrt *rt, const char *name,
                struct tcp_profile *p)
{
	for (int i = 0; i < rt->nknobs; i++) {
		struct lrt_knob *k = &rt->knobs[i];
		if (k->host && strcmp(k->host, name) != 0)
			continue;
		k->used = true;
		lua_createtable(L, 0, 1);
		if (strcmp(k->value, "true") == 0 || strcmp(k->value, "false") == 0)
			lua_pushboolean(L, k->value[0] == 't');
		else if (lua_stringtonumber(L, k->value) == 0)
			lua_pushstring(L, k->value);
		lua_setfield(L, -2, k->name);
		char what[160];
		snprintf(what, sizeof what, "-K %s", k->host ? k->host : "(every host)");
		apply_knobs(L, -1, p, what);
		lua_pop(L, 1);
	}
}

static void
read_profile(lua_State *L, int idx, struct tcp_profile *p, const char *what)
{
	const char *name = lrt_checkstr(L, idx, what, "a profile name such as "
	                                "\"linux\"");
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
	static const char *const keys[] = { "profile", "tcp", "keep_closed",
	                                    NULL };
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
		if (lua_getfield(L, 1, "keep_closed") != LUA_TNIL)
			rt->forget_closed = !lrt_checkbool(L, -1,
			                                   "sim.network: keep_closed");
		lua_pop(L, 3);
	}
	struct lnet *ln = lsim_new_object(L, sizeof *ln, LNET_NET);
	ln->net = net_new(rt->sim);
	if (ln->net == NULL)
		return luaL_error(L, "out of memory");
	ln->profile = prof;
	ln->net->max_pkts = rt->max_packets;
	rt->sim->net = ln->net;
	return 1;
}

/* Create a node whose name the caller has checked; hosts get a TCP stack
 * with profile prof. */
static struct node *
make_node(lua_State *L, struct lnet *ln, const char *name, enum node_kind kind,
          const struct tcp_profile *prof)
{
	struct tcp_profile q = *prof;
	if (kind == NODE_HOST)
		apply_cli_knobs(L, lrt_get(L), name, &q);
	struct node *n = net_add_node(ln->net, name, kind);
	if (n == NULL)
		luaL_error(L, "out of memory");
	if (kind == NODE_HOST) {
		if ((n->tcp = tcp_host_new(n, &q)) == NULL)
			luaL_error(L, "out of memory");
		ltcp_attach(L, n);
	}
	return n;
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

	check_name(L, ln->net, 2, what);
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

	struct node *n = make_node(L, ln, name, kind, &prof);
	if (has_addr)
		net_set_addr(ln->net, n, addr);
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

static struct link *
make_link(lua_State *L, struct lnet *ln, struct node *a, struct node *b,
          const struct link_params *p)
{
	struct link *l = link_new(ln->net, a, b, p);
	if (l == NULL)
		luaL_error(L, "out of memory");
	ln->net->started = false;	/* routes change */
	return l;
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
	for (int d = 0; d < 2; d++) {
		char key[140], label[160];
		snprintf(key, sizeof key, "%s->%s", ends[d]->name, ends[1 - d]->name);
		snprintf(label, sizeof label, "net:link: %s", key);
		bool own = opts && lua_getfield(L, opts, key) != LUA_TNIL;
		if (own)
			llink_params(L, -1, &dir[d], label, false, NULL);
		if (opts)
			lua_pop(L, 1);
		llink_check_params(L, &dir[d], own ? label : "net:link");
	}
	struct link *l = make_link(L, ln, a, b, &p);
	l->dir[0].p = dir[0];
	l->dir[1].p = dir[1];
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

/* ---- topologies ------------------------------------------------------------ */

/* net:star and net:dumbbell build many nodes and links in one call.  All
 * arguments are read and checked before anything is created, so an error
 * leaves the network as it was.  Nodes are then created in list order (the
 * automatic addresses follow it) and the links after them. */

#define TOPO_MAX 1024	/* nodes per list; far more than a scenario needs */

/* A node of a topology: one that exists, or a name to create. */
struct topo_node {
	struct node *node;	/* NULL until created */
	const char *name;	/* kept alive by the anchor table */
	enum node_kind kind;
};

struct topo {
	struct topo_node *v;	/* a userdata, so an error cannot leak it */
	int n;
	int anchor;		/* stack index of a table holding the names */
};

static void
topo_init(lua_State *L, struct topo *t, int cap)
{
	t->v = lua_newuserdatauv(L, sizeof *t->v * (size_t)cap, 0);
	t->n = 0;
	lua_newtable(L);
	t->anchor = lua_gettop(L);
}

/* The number of nodes the value at idx stands for: a count, or the length
 * of a list. */
static int
topo_count(lua_State *L, int idx, const char *what)
{
	lua_Integer n = 0;
	if (lua_isinteger(L, idx))
		n = lua_tointeger(L, idx);
	else if (lua_istable(L, idx))
		n = luaL_len(L, idx);
	else
		luaL_error(L, "%s: expected a count or a list of names and nodes "
		           "(got %s)", what, luaL_typename(L, idx));
	if (n < 1 || n > TOPO_MAX)
		luaL_error(L, "%s: needs 1 to %d nodes (got %I)", what, TOPO_MAX, n);
	return (int)n;
}

/* Pop a name (a node of the given kind to create) or a node (used as it
 * is) into the next slot of t. */
static void
topo_entry(lua_State *L, struct lnet *ln, struct topo *t, const char *label,
           enum node_kind kind)
{
	struct topo_node *e = &t->v[t->n++];
	*e = (struct topo_node){ .kind = kind };
	if (lua_type(L, -1) == LUA_TSTRING) {
		e->name = lua_tostring(L, -1);
		check_name(L, ln->net, -1, label);
		lua_rawseti(L, t->anchor, t->n);
	} else if (luaL_testudata(L, -1, LNET_NODE)) {
		e->node = *(struct node **)lua_touserdata(L, -1);
		lua_pop(L, 1);
	} else {
		luaL_error(L, "%s: expected a name or a node (got %s)", label,
		           luaL_typename(L, -1));
	}
}

/* The count or list at idx into t; a count n stands for the names
 * prefix1 .. prefixn. */
static void
topo_list(lua_State *L, struct lnet *ln, struct topo *t, int idx, int count,
          const char *what, const char *prefix, enum node_kind kind)
{
	char label[96];
	for (int i = 1; i <= count; i++) {
		if (lua_isinteger(L, idx))
			lua_pushfstring(L, "%s%d", prefix, i);
		else
			lua_geti(L, idx, i);
		snprintf(label, sizeof label, "%s[%d]", what, i);
		topo_entry(L, ln, t, label, kind);
	}
}

static void
topo_check_unique(lua_State *L, const struct topo *t, const char *what)
{
	/* Quadratic, but lists are short and this runs once per call. */
	for (int i = 1; i < t->n; i++) {
		const struct topo_node *a = &t->v[i];
		for (int j = 0; j < i; j++) {
			const struct topo_node *b = &t->v[j];
			bool same = a->name ? b->name && strcmp(a->name, b->name) == 0
			            : a->node == b->node;
			if (same)
				luaL_error(L, "%s: '%s' is listed twice", what,
				           a->name ? a->name : a->node->name);
		}
	}
}

static void
topo_create(lua_State *L, struct lnet *ln, struct topo *t,
            const struct tcp_profile *prof)
{
	for (int i = 0; i < t->n; i++)
		if (t->v[i].node == NULL)
			t->v[i].node = make_node(L, ln, t->v[i].name, t->v[i].kind, prof);
}

/* opts.key: link options, or the defaults. */
static void
topo_link_opts(lua_State *L, int opts, const char *key, const char *what,
               struct link_params *p)
{
	char label[64];
	snprintf(label, sizeof label, "%s: %s", what, key);
	link_params_default(p);
	if (lua_getfield(L, opts, key) != LUA_TNIL) {
		if (!lua_istable(L, -1))
			luaL_error(L, "%s: expected a table of link options (got %s)",
			           label, luaL_typename(L, -1));
		llink_params(L, -1, p, label, false, NULL);
		llink_check_params(L, p, label);
	}
	lua_pop(L, 1);
}

/* opts.host = { profile =, tcp = }: the stack of the hosts created. */
static void
topo_host_opts(lua_State *L, struct lnet *ln, int opts, const char *what,
               struct tcp_profile *prof)
{
	static const char *const keys[] = { "profile", "tcp", NULL };
	char label[64];
	snprintf(label, sizeof label, "%s: host", what);
	*prof = ln->profile;
	if (lua_getfield(L, opts, "host") != LUA_TNIL) {
		int h = lua_gettop(L);
		if (!lua_istable(L, h))
			luaL_error(L, "%s: expected a table (got %s)", label,
			           luaL_typename(L, h));
		lrt_checkkeys(L, h, label, keys);
		if (lua_getfield(L, h, "profile") != LUA_TNIL)
			read_profile(L, -1, prof, label);
		if (lua_getfield(L, h, "tcp") != LUA_TNIL)
			apply_knobs(L, -1, prof, label);
		lua_pop(L, 2);
	}
	lua_pop(L, 1);
}

/* Push opts[key], which must be present. */
static int
topo_required(lua_State *L, int opts, const char *key, const char *what,
              const char *means)
{
	if (lua_getfield(L, opts, key) == LUA_TNIL)
		luaL_error(L, "%s: '%s' (%s) is required", what, key, means);
	return lua_gettop(L);
}

/* An array of the nodes t->v[from .. from+n-1]. */
static void
push_nodes(lua_State *L, const struct topo *t, int from, int n)
{
	lua_createtable(L, n, 0);
	for (int i = 0; i < n; i++) {
		lnet_pushnode(L, t->v[from + i].node);
		lua_rawseti(L, -2, i + 1);
	}
}

/* Link each of t->v[from .. from+n-1] to hub; push the array of links. */
static void
push_spokes(lua_State *L, struct lnet *ln, const struct topo *t, int from,
            int n, struct node *hub, const struct link_params *p)
{
	lua_createtable(L, n, 0);
	for (int i = 0; i < n; i++) {
		lnet_pushlink(L, make_link(L, ln, t->v[from + i].node, hub, p));
		lua_rawseti(L, -2, i + 1);
	}
}

/* net:star{ center = name | node, hosts = n | { name | node, ... },
 *           link = { link options }, host = { profile =, tcp = } }
 * -> { center = node, hosts = { nodes }, links = { links } }
 * A center given by name is a new router; hosts given by name are new
 * hosts (a count n names them h1 .. hn).  links[i] joins hosts[i] (its a
 * end) to the center. */
static int
net_star(lua_State *L)
{
	static const char *const keys[] = { "center", "hosts", "link", "host",
	                                    NULL };
	struct lnet *ln = to_lnet(L, 1);
	luaL_checktype(L, 2, LUA_TTABLE);
	lrt_checkkeys(L, 2, "net:star", keys);
	struct link_params lp;
	struct tcp_profile prof;
	topo_link_opts(L, 2, "link", "net:star", &lp);
	topo_host_opts(L, ln, 2, "net:star", &prof);
	int hosts = topo_required(L, 2, "hosts", "net:star",
	                          "a count or a list of names and nodes");
	int nh = topo_count(L, hosts, "net:star: hosts");
	int center = topo_required(L, 2, "center", "net:star", "a name or a node");

	struct topo t;
	topo_init(L, &t, nh + 1);
	topo_list(L, ln, &t, hosts, nh, "net:star: hosts", "h", NODE_HOST);
	lua_pushvalue(L, center);
	topo_entry(L, ln, &t, "net:star: center", NODE_ROUTER);
	topo_check_unique(L, &t, "net:star");

	topo_create(L, ln, &t, &prof);
	struct node *hub = t.v[nh].node;
	lua_createtable(L, 0, 3);
	lnet_pushnode(L, hub);
	lua_setfield(L, -2, "center");
	push_nodes(L, &t, 0, nh);
	lua_setfield(L, -2, "hosts");
	push_spokes(L, ln, &t, 0, nh, hub, &lp);
	lua_setfield(L, -2, "links");
	return 1;
}

/* net:dumbbell{ left = n | { name | node, ... }, right = (the same),
 *               routers = { name | node, name | node },
 *               access = { link options }, bottleneck = { link options },
 *               host = { profile =, tcp = } }
 * -> { left = { nodes }, right = { nodes }, routers = { rl, rr },
 *      bottleneck = link, left_links = { links }, right_links = { links } }
 * Left hosts hang off the router rl, right hosts off rr, and the
 * bottleneck joins rl (its a end) to rr.  Counts name the hosts left1 ..
 * leftN and right1 .. rightN; the routers default to rleft and rright. */
static int
net_dumbbell(lua_State *L)
{
	static const char *const keys[] = { "left", "right", "routers", "access",
	                                    "bottleneck", "host", NULL };
	struct lnet *ln = to_lnet(L, 1);
	luaL_checktype(L, 2, LUA_TTABLE);
	lrt_checkkeys(L, 2, "net:dumbbell", keys);
	struct link_params access, neck;
	struct tcp_profile prof;
	topo_link_opts(L, 2, "access", "net:dumbbell", &access);
	topo_link_opts(L, 2, "bottleneck", "net:dumbbell", &neck);
	topo_host_opts(L, ln, 2, "net:dumbbell", &prof);
	const char *means = "a count or a list of names and nodes";
	int left = topo_required(L, 2, "left", "net:dumbbell", means);
	int nl = topo_count(L, left, "net:dumbbell: left");
	int right = topo_required(L, 2, "right", "net:dumbbell", means);
	int nr = topo_count(L, right, "net:dumbbell: right");
	int routers = 0;
	if (lua_getfield(L, 2, "routers") != LUA_TNIL) {
		routers = lua_gettop(L);
		if (!lua_istable(L, routers) || luaL_len(L, routers) != 2)
			luaL_error(L, "net:dumbbell: routers: expected a list of two "
			           "names or nodes");
	}

	struct topo t;
	topo_init(L, &t, nl + nr + 2);
	topo_list(L, ln, &t, left, nl, "net:dumbbell: left", "left", NODE_HOST);
	topo_list(L, ln, &t, right, nr, "net:dumbbell: right", "right",
	          NODE_HOST);
	if (routers) {
		topo_list(L, ln, &t, routers, 2, "net:dumbbell: routers", "",
		          NODE_ROUTER);
	} else {
		lua_pushliteral(L, "rleft");
		topo_entry(L, ln, &t, "net:dumbbell: routers[1]", NODE_ROUTER);
		lua_pushliteral(L, "rright");
		topo_entry(L, ln, &t, "net:dumbbell: routers[2]", NODE_ROUTER);
	}
	topo_check_unique(L, &t, "net:dumbbell");

	topo_create(L, ln, &t, &prof);
	struct node *rl = t.v[nl + nr].node, *rr = t.v[nl + nr + 1].node;
	lua_createtable(L, 0, 6);
	push_nodes(L, &t, 0, nl);
	lua_setfield(L, -2, "left");
	push_nodes(L, &t, nl, nr);
	lua_setfield(L, -2, "right");
	push_nodes(L, &t, nl + nr, 2);
	lua_setfield(L, -2, "routers");
	push_spokes(L, ln, &t, 0, nl, rl, &access);
	lua_setfield(L, -2, "left_links");
	lnet_pushlink(L, make_link(L, ln, rl, rr, &neck));
	lua_setfield(L, -2, "bottleneck");
	push_spokes(L, ln, &t, nl, nr, rr, &access);
	lua_setfield(L, -2, "right_links");
	return 1;
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
	struct node **to = luaL_testudata(L, -1, LNET_NODE);
	if (to == NULL)
		lrt_badvalue(L, -1, "flood: to", "a node");
	uint32_t dst = (*to)->addr;
	lua_Integer port = 80;
	if (lua_getfield(L, 2, "port") != LUA_TNIL)
		port = lrt_checkint(L, -1, "flood: port", 1, 65535,
		                    "a port number 1-65535");
	simtime interval = 0;
	if (lua_getfield(L, 2, "rate") != LUA_TNIL) {
		if (lua_type(L, -1) != LUA_TNUMBER)
			lrt_badvalue(L, -1, "flood: rate", "SYNs per second, a "
			             "number above 0 and at most 1e9");
		lua_Number r = lua_tonumber(L, -1);
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
	if (stop < start) {
		char a[32], b[32];
		simtime_format_short(stop, a, sizeof a);
		simtime_format_short(start, b, sizeof b);
		return luaL_error(L, "flood: stop (%s) is before start (%s): the "
		                  "flood would send nothing", a, b);
	}
	bool spoof = true;
	if (lua_getfield(L, 2, "spoof") != LUA_TNIL)
		spoof = lua_toboolean(L, -1);
	if (flood_start(n, dst, (uint16_t)port, start, stop, interval, spoof) == NULL)
		return luaL_error(L, "out of memory");
	return 0;
}

/*
 * node:inject{ src =, to =, sport =, dport =, flags =, seq =, ack =,
 *              len =, data = }: one TCP segment made by hand, sent now from
 * this node with any source address: a blind attacker's forged RST or
 * data, or an old duplicate.  No TCP stack is involved (as for flood).
 */
static int
node_inject(lua_State *L)
{
	static const char *const keys[] = {
		"src", "to", "sport", "dport", "flags", "seq", "ack", "len", "data",
		"wnd", NULL,
	};
	struct node *n = lnet_checknode(L, 1);
	luaL_checktype(L, 2, LUA_TTABLE);
	lrt_checkkeys(L, 2, "inject", keys);
	uint32_t src = n->addr, dst;
	if (lua_getfield(L, 2, "src") != LUA_TNIL)
		src = lnet_checknode(L, -1)->addr;
	if (lua_getfield(L, 2, "to") == LUA_TNIL)
		return luaL_error(L, "inject: 'to' (the host it is for) is required");
	dst = lnet_checknode(L, -1)->addr;
	lua_Integer ports[2];
	static const char *const pk[2] = { "sport", "dport" };
	for (int i = 0; i < 2; i++) {
		lua_getfield(L, 2, pk[i]);
		char what[32];
		snprintf(what, sizeof what, "inject: %s", pk[i]);
		ports[i] = lrt_checkint(L, -1, what, 1, 65535, "a port from 1 to 65535");
	}
	uint8_t flags = 0;
	lua_getfield(L, 2, "flags");
	const char *f = lrt_checkstr(L, -1, "inject: flags", "flags such as \"RST\"");
	if (pkt_flags_parse(f, &flags) < 0)
		return luaL_error(L, "inject: unknown flags '%s' (use SYN, ACK, FIN, "
		                  "RST, PSH, URG joined by '+')", f);
	lua_Integer seq = 0, ack = 0, len = 0, wnd = 64240;
	if (lua_getfield(L, 2, "seq") != LUA_TNIL)
		seq = lrt_checkint(L, -1, "inject: seq", 0, UINT32_MAX,
		                   "a whole number from 0 to 4294967295");
	if (lua_getfield(L, 2, "ack") != LUA_TNIL)
		ack = lrt_checkint(L, -1, "inject: ack", 0, UINT32_MAX,
		                   "a whole number from 0 to 4294967295");
	if (lua_getfield(L, 2, "wnd") != LUA_TNIL)
		wnd = lrt_checkint(L, -1, "inject: wnd", 0, 65535,
		                   "a whole number from 0 to 65535");
	size_t dlen = 0;
	const char *data = NULL;
	if (lua_getfield(L, 2, "data") != LUA_TNIL)
		data = lrt_checkstr(L, -1, "inject: data", "text"), dlen = strlen(data);
	if (lua_getfield(L, 2, "len") != LUA_TNIL) {
		if (data)
			return luaL_error(L, "inject: give len or data, not both");
		len = lrt_checkint(L, -1, "inject: len", 0, 65000,
		                   "a whole number from 0 to 65000");
	}
	struct pkt *p = net_pkt_alloc(n->net);
	if (p == NULL)
		return luaL_error(L, "out of memory");
	p->src = src;
	p->dst = dst;
	p->sport = (uint16_t)ports[0];
	p->dport = (uint16_t)ports[1];
	p->flags = flags;
	p->seq = (uint32_t)seq;
	p->ack = (uint32_t)ack;
	p->wnd = (uint16_t)wnd;
	p->why = "injected by the scenario";
	if (data) {
		p->len = (uint32_t)dlen;
		if ((p->data = malloc(dlen)) == NULL) {
			net_pkt_free(n->net, p);
			return luaL_error(L, "out of memory");
		}
		memcpy(p->data, data, dlen);
	} else {
		p->len = (uint32_t)len;
	}
	node_output(n, p);
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
		{ "star", net_star },
		{ "dumbbell", net_dumbbell },
		{ "run", net_run },
		{ NULL, NULL },
	};
	static const luaL_Reg no_methods[] = { { NULL, NULL } };
	static const luaL_Reg node_methods[] = {
		{ "flood", node_flood },
		{ "inject", node_inject },
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
