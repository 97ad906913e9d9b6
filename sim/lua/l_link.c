/*
 * l_link.c - link options and the Link methods.
 *
 *   local l = net:link(a, b, { delay = "50ms", rate = "10Mbps", queue = 100,
 *                              mtu = 1500, loss = 0.01, jitter = "5ms",
 *                              dup = 0.001, ["b->a"] = { loss = 0.05 } })
 *   l:drop{ from = b, flags = "SYN+ACK", nth = 1 }      -- the 1st SYN-ACK
 *   l:drop{ has = "FIN", first = 2 }                     -- the first 2 FINs
 *   l:drop{ conn = c, from = b, nth = 1 }                -- c's next from b
 *   l:drop{ prob = 0.3, after = "1s", before = "3s" }    -- 30% loss, 1-3 s
 *   l:down("1s"); l:up("1.2s")                           -- an outage
 *   l:set("10s", { loss = 0.3 })                         -- a change
 *
 * Loss models: loss = p (Bernoulli), loss = { every = n },
 * loss = { gilbert = { p = P(good->bad), r = P(bad->good),
 *                      good = loss in good, bad = loss in bad } }.
 * Jitter: jitter = "5ms" (uniform 0-5 ms) or jitter = { normal = "5ms" }
 * (|deviation| 5 ms, clipped at 0); reorder = true lets packets overtake.
 * Holding back: hold = 0.01, hold_by = "20ms".
 */
#include <lauxlib.h>
#include <lua.h>

#include <stdio.h>
#include <string.h>

#include "lnet.h"
#include "runtime.h"

const char *const llink_keys[] = {
	"delay", "rate", "queue", "queue_bytes", "mtu", "loss", "jitter",
	"reorder", "dup", "hold", "hold_by", NULL,
};

/* A time a packet spends on a link (delay, jitter, holding back): at
 * most a million seconds, so that adding them to the clock cannot
 * overflow and a typo ("5e12") is caught. */
#define LINK_TIME_MAX (1000000 * SIMTIME_S)

static simtime
check_link_time(lua_State *L, int idx, const char *what)
{
	simtime t = lrt_checktime(L, idx, what);
	if (t > LINK_TIME_MAX)
		luaL_error(L, "%s: at most 1000000s (got %s)", what,
		           luaL_tolstring(L, idx, NULL));
	return t;
}

/* ---- values -------------------------------------------------------------- */

/* A table of options given by name, its keys among known (unless NULL:
 * the caller checks them).  lrt_checkkeys leaves list entries to its
 * caller, and { "50ms" } is a name forgotten, not an option; the lowest
 * such key is named, so the message does not depend on the order of the
 * table. */
static void
check_options(lua_State *L, int idx, const char *what,
              const char *const *known)
{
	idx = lua_absindex(L, idx);
	if (!lua_istable(L, idx))
		lrt_badvalue(L, idx, what, "a table of options");
	if (known)
		lrt_checkkeys(L, idx, what, known);
	lua_pushnil(L);		/* the lowest list key so far */
	int low = lua_gettop(L);
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		lua_pop(L, 1);
		if (lua_type(L, -1) == LUA_TNUMBER &&
		    (lua_isnil(L, low) || lua_compare(L, -1, low, LUA_OPLT))) {
			lua_pushvalue(L, -1);
			lua_replace(L, low);
		}
	}
	if (lua_isnil(L, low)) {
		lua_pop(L, 1);
		return;
	}
	lua_pushvalue(L, low);
	lua_gettable(L, idx);
	char label[200];
	snprintf(label, sizeof label, "%s: [%s]", what, lua_tostring(L, low));
	lrt_badvalue(L, -1, label, "options by name, as in delay = \"50ms\"");
}

static bool
field(lua_State *L, int idx, const char *name, const char *what, char *label,
      size_t len)
{
	/* A label cut short is still a label: nothing more to do. */
	if (snprintf(label, len, "%s: %s", what, name) >= (int)len)
		label[len - 1] = '\0';
	if (lua_getfield(L, idx, name) != LUA_TNIL)
		return true;
	lua_pop(L, 1);
	return false;
}

static double
prob_field(lua_State *L, int idx, const char *name, const char *what,
           double dflt)
{
	char label[160];
	double v = dflt;
	if (field(L, idx, name, what, label, sizeof label)) {
		v = lrt_checkprob(L, -1, label);
		lua_pop(L, 1);
	}
	return v;
}

static void
read_loss(lua_State *L, int idx, struct loss_params *m, const char *label)
{
	static const char *const keys[] = { "every", "gilbert", NULL };
	static const char *const gk[] = { "p", "r", "good", "bad", NULL };
	char sub[200];
	*m = (struct loss_params){ 0 };
	if (lua_type(L, idx) == LUA_TNUMBER) {
		m->p = lrt_checkprob(L, idx, label);
		m->model = m->p > 0 ? LOSS_BERNOULLI : LOSS_NONE;
		return;
	}
	if (lua_type(L, idx) != LUA_TTABLE)
		lrt_badvalue(L, idx, label, "a probability or a table");
	check_options(L, idx, label, keys);
	bool every = lua_getfield(L, idx, "every") != LUA_TNIL;
	bool gilbert = lua_getfield(L, idx, "gilbert") != LUA_TNIL;
	if (every && gilbert)
		luaL_error(L, "%s: give every or gilbert, not both", label);
	if (!every && !gilbert)
		luaL_error(L, "%s: give every = n or gilbert = { p =, r =, "
		           "good =, bad = }", label);
	if (every) {
		snprintf(sub, sizeof sub, "%s: every", label);
		m->model = LOSS_NTH;
		m->nth = (uint32_t)lrt_checkint(L, -2, sub, 1, UINT32_MAX,
		                             "a whole number from 1 to "
		                             "4294967295");
	} else {
		snprintf(sub, sizeof sub, "%s: gilbert", label);
		int g = lua_gettop(L);
		if (!lua_istable(L, g))
			lrt_badvalue(L, g, sub, "a table { p =, r =, good =, "
			          "bad = }");
		check_options(L, g, sub, gk);
		m->model = LOSS_GILBERT;
		m->p_gb = prob_field(L, g, "p", sub, 0);
		m->p_bg = prob_field(L, g, "r", sub, 1);
		m->loss_good = prob_field(L, g, "good", sub, 0);
		m->loss_bad = prob_field(L, g, "bad", sub, 1);
	}
	lua_pop(L, 2);
}

void
llink_params(lua_State *L, int idx, struct link_params *p, const char *what,
             bool dirkeys, uint32_t *maskp)
{
	struct link_params q = *p;
	uint32_t mask = 0;
	char label[160];
	idx = lua_absindex(L, idx);
	check_options(L, idx, what, dirkeys ? NULL : llink_keys);
	if (field(L, idx, "delay", what, label, sizeof label)) {
		q.delay = check_link_time(L, -1, label);
		mask |= LP_DELAY;
		lua_pop(L, 1);
	}
	if (field(L, idx, "rate", what, label, sizeof label)) {
		q.rate = lrt_checkrate(L, -1, label);
		mask |= LP_RATE;
		lua_pop(L, 1);
	}
	if (field(L, idx, "queue", what, label, sizeof label)) {
		q.queue_pkts = (uint32_t)lrt_checkint(L, -1, label, 1, UINT32_MAX,
		                                   "a whole number of packets "
		                                   "from 1 to 4294967295");
		mask |= LP_QUEUE;
		lua_pop(L, 1);
	}
	if (field(L, idx, "queue_bytes", what, label, sizeof label)) {
		q.queue_bytes = lrt_checksize(L, -1, label);
		if (q.queue_bytes == 0)
			luaL_error(L, "%s: must be at least 1 byte", label);
		mask |= LP_QUEUE_BYTES;
		lua_pop(L, 1);
	}
	if (field(L, idx, "mtu", what, label, sizeof label)) {
		uint64_t m = lrt_checksize(L, -1, label);
		if (m < 68 || m > 65535)
			luaL_error(L, "%s: MTU must be between 68 and 65535 bytes "
			           "(got %I)", label, (lua_Integer)m);
		q.mtu = (uint32_t)m;
		mask |= LP_MTU;
		lua_pop(L, 1);
	}
	if (field(L, idx, "loss", what, label, sizeof label)) {
		read_loss(L, lua_gettop(L), &q.loss, label);
		mask |= LP_LOSS;
		lua_pop(L, 1);
	}
	if (field(L, idx, "jitter", what, label, sizeof label)) {
		if (lua_type(L, -1) == LUA_TTABLE) {
			static const char *const jk[] = { "uniform", "normal", NULL };
			int j = lua_gettop(L);
			check_options(L, j, label, jk);
			bool uniform = lua_getfield(L, j, "uniform") != LUA_TNIL;
			bool normal = lua_getfield(L, j, "normal") != LUA_TNIL;
			if (uniform && normal)
				luaL_error(L, "%s: give uniform or normal, not "
				           "both", label);
			if (!uniform && !normal)
				luaL_error(L, "%s: give uniform = T or normal = T", label);
			q.jitter = check_link_time(L, uniform ? -2 : -1, label);
			q.jitter_dist = uniform ? JITTER_UNIFORM : JITTER_NORMAL;
			lua_pop(L, 2);
		} else {
			q.jitter = check_link_time(L, -1, label);
			q.jitter_dist = JITTER_UNIFORM;
		}
		mask |= LP_JITTER;
		lua_pop(L, 1);
	}
	if (field(L, idx, "reorder", what, label, sizeof label)) {
		q.reorder = lrt_checkbool(L, -1, label);
		mask |= LP_REORDER;
		lua_pop(L, 1);
	}
	if (field(L, idx, "dup", what, label, sizeof label)) {
		q.dup = lrt_checkprob(L, -1, label);
		mask |= LP_DUP;
		lua_pop(L, 1);
	}
	if (field(L, idx, "hold", what, label, sizeof label)) {
		q.hold = lrt_checkprob(L, -1, label);
		mask |= LP_HOLD;
		lua_pop(L, 1);
	}
	if (field(L, idx, "hold_by", what, label, sizeof label)) {
		q.hold_by = check_link_time(L, -1, label);
		mask |= LP_HOLD_BY;
		lua_pop(L, 1);
	}
	*p = q;
	if (maskp)
		*maskp = mask;
}

void
llink_check_params(lua_State *L, const struct link_params *p,
                   const char *what)
{
	/* hold without hold_by holds nothing back: hold_by forgotten. */
	if (p->hold > 0 && p->hold_by == 0) {
		char v[32];
		snprintf(v, sizeof v, "%g", p->hold);
		luaL_error(L, "%s: hold = %s needs hold_by, how long a packet "
		           "is held back", what, v);
	}
}

/* ---- methods ---------------------------------------------------------------- */

static int
dir_of(lua_State *L, struct link *l, int idx, const char *what)
{
	struct node **u = luaL_testudata(L, idx, LNET_NODE);
	if (u == NULL)
		lrt_badvalue(L, idx, what, "a node");
	struct node *n = *u;
	int d = link_dir_from(l, n);
	if (d < 0)
		luaL_error(L, "%s: %s is not an end of link %s", what, n->name,
		           l->name);
	return d;
}

static uint8_t
check_flags(lua_State *L, int idx, const char *what)
{
	uint8_t f;
	const char *s = lrt_checkstr(L, idx, what, "flags such as \"SYN+ACK\"");
	if (pkt_flags_parse(s, &f) < 0)
		luaL_error(L, "%s: unknown flags '%s' (use SYN, ACK, FIN, RST, PSH, "
		           "URG joined by '+', e.g. \"SYN+ACK\")", what, s);
	return f;
}

/* One end of a connection as its Lua object shows it: the port (lport or
 * rport) and the address of conn.local or conn.remote ("10.0.0.1:80").
 * The Conn type belongs to l_tcp.c; its fields are its interface. */
static void
conn_end(lua_State *L, int idx, const char *port, const char *end,
         uint32_t *addr, uint16_t *portp)
{
	lua_getfield(L, idx, port);
	lua_Integer v = lua_tointeger(L, -1);
	if (v < 1 || v > 65535)
		luaL_error(L, "drop: conn: the connection has not started yet "
		           "(its ports are not chosen)");
	*portp = (uint16_t)v;
	lua_getfield(L, idx, end);
	char text[24];
	const char *s = lua_tostring(L, -1);
	size_t n = s ? strcspn(s, ":") : 0;
	if (n == 0 || n >= sizeof text)
		luaL_error(L, "drop: conn: no address for its %s end", end);
	memcpy(text, s, n);
	text[n] = '\0';
	if (pkt_addr_parse(text, addr) < 0)
		luaL_error(L, "drop: conn: no address for its %s end", end);
	lua_pop(L, 2);
}

/* conn = c: the packets of connection c in either direction. */
static void
read_conn(lua_State *L, int idx, struct link_rule *r)
{
	if (luaL_testudata(L, idx, LNET_CONN) == NULL)
		luaL_error(L, "drop: conn: expected a connection (got %s)",
		           luaL_typename(L, idx));
	conn_end(L, idx, "lport", "local", &r->conn_addr[0], &r->conn_port[0]);
	conn_end(L, idx, "rport", "remote", &r->conn_addr[1], &r->conn_port[1]);
	r->has_conn = true;
}

/* link:drop{ from =, flags = | has =, payload =, sport =, dport =, seq =,
 *            conn =, nth = | first = | prob =, after =, before =,
 *            action = "drop" | "delay" | "dup", by = } */
static int
link_drop(lua_State *L)
{
	static const char *const keys[] = {
		"from", "flags", "has", "payload", "sport", "dport", "seq",
		"conn", "nth", "first", "prob", "after", "before", "action",
		"by", NULL,
	};
	struct link *l = lnet_checklink(L, 1);
	check_options(L, 2, "drop", keys);
	struct link_rule r = { .dir = -1, .payload = -1, .before = SIMTIME_MAX,
	                       .prob = 1, .action = RULE_DROP };
	if (lua_getfield(L, 2, "from") != LUA_TNIL)
		r.dir = dir_of(L, l, -1, "drop: from");
	if (lua_getfield(L, 2, "flags") != LUA_TNIL) {
		r.flags_exact = true;
		r.flags_eq = check_flags(L, -1, "drop: flags");
	}
	if (lua_getfield(L, 2, "has") != LUA_TNIL)
		r.flags_has = check_flags(L, -1, "drop: has");
	if (lua_getfield(L, 2, "payload") != LUA_TNIL)
		r.payload = lrt_checkbool(L, -1, "drop: payload");
	lua_pop(L, 4);
	static const char *const ports[2] = { "drop: sport", "drop: dport" };
	for (int i = 0; i < 2; i++) {
		if (lua_getfield(L, 2, ports[i] + 6) != LUA_TNIL) {
			lua_Integer v = lrt_checkint(L, -1, ports[i], 1, 65535,
			                          "a port number from 1 to "
			                          "65535");
			if (i == 0)
				r.sport = (uint16_t)v;
			else
				r.dport = (uint16_t)v;
		}
		lua_pop(L, 1);
	}
	if (lua_getfield(L, 2, "seq") != LUA_TNIL) {
		lua_Integer v = lrt_checkint(L, -1, "drop: seq", 0, UINT32_MAX,
		                          "a sequence number from 0 to "
		                          "4294967295");
		r.has_seq = true;
		r.seq = (uint32_t)v;
	}
	lua_pop(L, 1);
	if (lua_getfield(L, 2, "conn") != LUA_TNIL)
		read_conn(L, lua_gettop(L), &r);
	lua_pop(L, 1);
	int nsel = 0;
	if (lua_getfield(L, 2, "nth") != LUA_TNIL) {
		r.nth = (uint64_t)lrt_checkint(L, -1, "drop: nth", 1,
		                            LUA_MAXINTEGER,
		                            "a whole number, at least 1");
		nsel++;
	}
	if (lua_getfield(L, 2, "first") != LUA_TNIL) {
		r.first = (uint64_t)lrt_checkint(L, -1, "drop: first", 1,
		                              LUA_MAXINTEGER,
		                              "a whole number, at least 1");
		nsel++;
	}
	if (nsel > 1)
		luaL_error(L, "drop: give nth or first, not both");
	if (lua_getfield(L, 2, "prob") != LUA_TNIL)
		r.prob = lrt_checkprob(L, -1, "drop: prob");
	if (lua_getfield(L, 2, "after") != LUA_TNIL)
		r.after = lrt_checktime(L, -1, "drop: after");
	if (lua_getfield(L, 2, "before") != LUA_TNIL)
		r.before = lrt_checktime(L, -1, "drop: before");
	if (r.before <= r.after)
		luaL_error(L, "drop: the window is empty (after >= before)");
	lua_pop(L, 5);
	if (lua_getfield(L, 2, "action") != LUA_TNIL) {
		const char *actions = "\"drop\", \"delay\" or \"dup\"";
		const char *a = lrt_checkstr(L, -1, "drop: action", actions);
		if (strcmp(a, "drop") == 0)
			r.action = RULE_DROP;
		else if (strcmp(a, "delay") == 0)
			r.action = RULE_DELAY;
		else if (strcmp(a, "dup") == 0 || strcmp(a, "duplicate") == 0)
			r.action = RULE_DUP;
		else
			lrt_badvalue(L, -1, "drop: action", actions);
	}
	if (lua_getfield(L, 2, "by") != LUA_TNIL) {
		if (r.action != RULE_DELAY)
			luaL_error(L, "drop: 'by' goes with action = \"delay\"");
		r.delay = check_link_time(L, -1, "drop: by");
	} else if (r.action == RULE_DELAY) {
		luaL_error(L, "drop: action \"delay\" needs by = T");
	}
	lua_pop(L, 2);
	int num = link_add_rule(l, &r);
	if (num < 0)
		return luaL_error(L, "out of memory");
	lua_pushinteger(L, num);
	return 1;
}

/* The time at idx for a change: now, or later. */
static simtime
change_time(lua_State *L, int idx, const char *what)
{
	simtime now = sim_now(lrt_get(L)->sim);
	simtime at = lrt_checktime(L, idx, what);
	if (at < now)
		luaL_error(L, "%s: time lies in the past", what);
	return at;
}

static int
link_state(lua_State *L, bool up)
{
	struct link *l = lnet_checklink(L, 1);
	simtime at = lua_isnoneornil(L, 2) ? sim_now(lrt_get(L)->sim)
	             : change_time(L, 2, up ? "link:up" : "link:down");
	if (link_at_state(l, at, up) < 0)
		return luaL_error(L, "out of memory");
	return 0;
}

static int link_down(lua_State *L) { return link_state(L, false); }
static int link_up(lua_State *L) { return link_state(L, true); }

/* link:set(t, { ... }) or link:set(t, { ["a->b"] = { ... } }) */
static int
link_set(lua_State *L)
{
	struct link *l = lnet_checklink(L, 1);
	simtime at = change_time(L, 2, "link:set");
	const char *known[32];
	char ab[140], ba[140], label[2][160];
	int n = 0;
	snprintf(ab, sizeof ab, "%s->%s", l->node[0]->name, l->node[1]->name);
	snprintf(ba, sizeof ba, "%s->%s", l->node[1]->name, l->node[0]->name);
	for (int i = 0; llink_keys[i] && n < 29; i++)
		known[n++] = llink_keys[i];
	known[n++] = ab;
	known[n++] = ba;
	known[n] = NULL;
	check_options(L, 3, "link:set", known);
	/* A change carries only the keys given (its mask), so the values
	 * the common table is read over never reach either direction. */
	struct link_params both, dirp[2] = { l->dir[0].p, l->dir[1].p };
	uint32_t mask, dmask[2] = { 0, 0 };
	link_params_default(&both);
	llink_params(L, 3, &both, "link:set", true, &mask);
	const char *dk[2] = { ab, ba };
	for (int d = 0; d < 2; d++) {
		snprintf(label[d], sizeof label[d], "link:set: %s", dk[d]);
		if (lua_getfield(L, 3, dk[d]) != LUA_TNIL)
			llink_params(L, -1, &dirp[d], label[d], false,
			             &dmask[d]);
		lua_pop(L, 1);
	}
	if (!mask && !dmask[0] && !dmask[1])
		return luaL_error(L, "link:set: nothing to change (give options "
		                  "such as loss = 0.1)");
	/* Each direction as it will be after this change: the link now,
	 * the changes scheduled up to then, this one. */
	for (int d = 0; d < 2; d++) {
		struct link_params after;
		link_params_at(l, d, at, &after);
		link_params_apply(&after, &both, mask);
		link_params_apply(&after, &dirp[d], dmask[d]);
		llink_check_params(L, &after, dmask[d] ? label[d] : "link:set");
	}
	if ((mask && link_at_params(l, at, -1, &both, mask) < 0) ||
	    (dmask[0] && link_at_params(l, at, 0, &dirp[0], dmask[0]) < 0) ||
	    (dmask[1] && link_at_params(l, at, 1, &dirp[1], dmask[1]) < 0))
		return luaL_error(L, "out of memory");
	return 0;
}

/* link:stats(from): counters of the direction whose sender is from. */
static int
link_stats(lua_State *L)
{
	struct link *l = lnet_checklink(L, 1);
	int d = dir_of(L, l, 2, "link:stats");
	const struct link_dir *ld = &l->dir[d];
	lua_createtable(L, 0, 4);
	lua_pushinteger(L, (lua_Integer)ld->sent);
	lua_setfield(L, -2, "sent");
	lua_pushinteger(L, (lua_Integer)ld->delivered);
	lua_setfield(L, -2, "delivered");
	lua_pushinteger(L, (lua_Integer)ld->dropped);
	lua_setfield(L, -2, "dropped");
	lua_pushinteger(L, (lua_Integer)ld->duplicated);
	lua_setfield(L, -2, "duplicated");
	return 1;
}

/* link:rule(n): how often rule n matched and acted. */
static int
link_rule_stats(lua_State *L)
{
	struct link *l = lnet_checklink(L, 1);
	lua_Integer n = luaL_checkinteger(L, 2);
	if (n < 1 || n > l->nrules)
		return luaL_error(L, "link %s has no rule #%I", l->name, n);
	const struct link_rule *r = &l->rules[n - 1];
	lua_createtable(L, 0, 3);
	lua_pushinteger(L, (lua_Integer)r->matched);
	lua_setfield(L, -2, "matched");
	lua_pushinteger(L, (lua_Integer)r->applied);
	lua_setfield(L, -2, "applied");
	lua_pushstring(L, r->desc);
	lua_setfield(L, -2, "desc");
	return 1;
}

/* ---- one direction: link:dir(a, b) -------------------------------------------- */

#define LLINK_DIR "synsim.LinkDir"

struct ldir {
	struct link *l;
	int dir;		/* its sender is l->node[dir] */
};

static struct ldir *
checkdir(lua_State *L, int idx)
{
	return luaL_checkudata(L, idx, LLINK_DIR);
}

/* link:dir(a, b): the direction from a to b, with set, drop and stats
 * of its own (the same as link:set(t, { ["a->b"] = {...} }),
 * link:drop{ from = a, ... } and link:stats(a)). */
static int
link_dir(lua_State *L)
{
	struct link *l = lnet_checklink(L, 1);
	int d = dir_of(L, l, 2, "link:dir");
	if (dir_of(L, l, 3, "link:dir") != 1 - d)
		return luaL_error(L, "link:dir: give the two ends of link %s, "
		                  "sender first", l->name);
	struct ldir *ld = lsim_new_object(L, sizeof *ld, LLINK_DIR);
	ld->l = l;
	ld->dir = d;
	return 1;
}

static int
dir_set(lua_State *L)
{
	struct ldir *ld = checkdir(L, 1);
	simtime at = change_time(L, 2, "dir:set");
	struct link_params p = ld->l->dir[ld->dir].p;
	uint32_t mask = 0;
	llink_params(L, 3, &p, "dir:set", false, &mask);
	if (!mask)
		return luaL_error(L, "dir:set: nothing to change (give options "
		                  "such as loss = 0.1)");
	struct link_params after;
	link_params_at(ld->l, ld->dir, at, &after);
	link_params_apply(&after, &p, mask);
	llink_check_params(L, &after, "dir:set");
	if (link_at_params(ld->l, at, ld->dir, &p, mask) < 0)
		return luaL_error(L, "out of memory");
	return 0;
}

static int
dir_drop(lua_State *L)
{
	struct ldir *ld = checkdir(L, 1);
	luaL_checktype(L, 2, LUA_TTABLE);
	if (lua_getfield(L, 2, "from") != LUA_TNIL)
		return luaL_error(L, "dir:drop: no 'from' here: the direction's "
		                  "sender is %s", ld->l->node[ld->dir]->name);
	lua_pop(L, 1);
	/* link:drop on a copy of the table with from = the sender. */
	lua_settop(L, 2);
	lua_newtable(L);
	lua_pushnil(L);
	while (lua_next(L, 2)) {
		lua_pushvalue(L, -2);
		lua_insert(L, -2);
		lua_settable(L, 3);
	}
	lnet_pushnode(L, ld->l->node[ld->dir]);
	lua_setfield(L, 3, "from");
	lnet_pushlink(L, ld->l);
	lua_replace(L, 1);
	lua_replace(L, 2);
	return link_drop(L);
}

static int
dir_stats(lua_State *L)
{
	struct ldir *ld = checkdir(L, 1);
	lua_settop(L, 0);
	lnet_pushlink(L, ld->l);
	lnet_pushnode(L, ld->l->node[ld->dir]);
	return link_stats(L);
}

static int
dir_index(lua_State *L)
{
	struct ldir *ld = checkdir(L, 1);
	const char *k = luaL_checkstring(L, 2);
	lua_getfield(L, lua_upvalueindex(1), k);
	if (!lua_isnil(L, -1))
		return 1;
	if (strcmp(k, "from") == 0)
		lnet_pushnode(L, ld->l->node[ld->dir]);
	else if (strcmp(k, "to") == 0)
		lnet_pushnode(L, ld->l->node[1 - ld->dir]);
	else if (strcmp(k, "link") == 0)
		lnet_pushlink(L, ld->l);
	else
		return luaL_error(L, "link direction has no field or method '%s'", k);
	return 1;
}

static int
dir_tostring(lua_State *L)
{
	struct ldir *ld = checkdir(L, 1);
	lua_pushfstring(L, "link(%s->%s)", ld->l->node[ld->dir]->name,
	                ld->l->node[1 - ld->dir]->name);
	return 1;
}

static void
open_dir(lua_State *L)
{
	static const luaL_Reg methods[] = {
		{ "set", dir_set },
		{ "drop", dir_drop },
		{ "stats", dir_stats },
		{ NULL, NULL },
	};
	luaL_newmetatable(L, LLINK_DIR);
	lua_newtable(L);
	luaL_setfuncs(L, methods, 0);
	lua_pushcclosure(L, dir_index, 1);
	lua_setfield(L, -2, "__index");
	lua_pushcfunction(L, dir_tostring);
	lua_setfield(L, -2, "__tostring");
	lua_pop(L, 1);
}

void
llink_open(lua_State *L)
{
	static const luaL_Reg methods[] = {
		{ "drop", link_drop },
		{ "down", link_down },
		{ "up", link_up },
		{ "set", link_set },
		{ "stats", link_stats },
		{ "dir", link_dir },
		{ "rule", link_rule_stats },
		{ NULL, NULL },
	};
	lnet_methods(L, LNET_LINK);
	luaL_setfuncs(L, methods, 0);
	lua_pop(L, 1);
	open_dir(L);
}
