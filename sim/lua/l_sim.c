/*
 * l_sim.c - the `sim` table: parameters, time, scheduling, logging,
 * metrics and expectations.  Network objects (sim.network) are added by
 * l_net.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <lauxlib.h>
#include <lua.h>

#include <stdlib.h>
#include <string.h>

#include "lnet.h"
#include "runtime.h"

static void
remember_param(lua_State *L, struct lrt *rt, const char *name)
{
	for (int i = 0; i < rt->nknown; i++)
		if (strcmp(rt->known[i], name) == 0)
			return;
	char **k = realloc(rt->known, sizeof *k * (size_t)(rt->nknown + 1));
	if (k == NULL)
		luaL_error(L, "out of memory");
	rt->known = k;
	if ((k[rt->nknown] = strdup(name)) == NULL)
		luaL_error(L, "out of memory");
	rt->nknown++;
}

static bool
parse_bool(const char *v, int *out)
{
	static const char *const yes[] = { "true", "1", "yes", "on", NULL };
	static const char *const no[] = { "false", "0", "no", "off", NULL };
	for (int i = 0; yes[i]; i++)
		if (strcmp(v, yes[i]) == 0)
			return *out = 1, true;
	for (int i = 0; no[i]; i++)
		if (strcmp(v, no[i]) == 0)
			return *out = 0, true;
	return false;
}

/* sim.param(name [, default]): the -D value, typed like the default. */
static int
l_param(lua_State *L)
{
	struct lrt *rt = lrt_get(L);
	const char *name = luaL_checkstring(L, 1);
	int dtype = lua_type(L, 2);
	remember_param(L, rt, name);
	struct lrt_param *p = NULL;
	for (int i = 0; i < rt->nparams; i++)
		if (strcmp(rt->params[i].name, name) == 0)
			p = &rt->params[i];
	if (p == NULL) {
		lua_settop(L, 2);
		return 1;
	}
	p->used = true;
	const char *v = p->value;
	switch (dtype) {
	case LUA_TNUMBER:
		if (lua_stringtonumber(L, v) == 0)
			return luaL_error(L, "-D %s=%s: expected a number", name, v);
		return 1;
	case LUA_TBOOLEAN: {
		int b;
		if (!parse_bool(v, &b))
			return luaL_error(L, "-D %s=%s: expected true or false", name, v);
		lua_pushboolean(L, b);
		return 1;
	}
	case LUA_TSTRING: {
		/* A default that reads as a duration makes the value one too. */
		char err[UNITS_ERRLEN];
		simtime t;
		if (units_parse_duration(lua_tostring(L, 2), &t, err) == 0 &&
		    units_parse_duration(v, &t, err) < 0)
			return luaL_error(L, "-D %s=%s: %s", name, v, err);
		lua_pushstring(L, v);
		return 1;
	}
	default:
		if (lua_stringtonumber(L, v) == 0)
			lua_pushstring(L, v);
		return 1;
	}
}

static int
l_now(lua_State *L)
{
	lua_pushinteger(L, (lua_Integer)sim_now(lrt_get(L)->sim));
	return 1;
}

static int
l_at(lua_State *L)
{
	simtime at = lrt_checktime(L, 1, "sim.at: time");
	return lrt_schedule(L, at);
}

static int
l_after(lua_State *L)
{
	struct lrt *rt = lrt_get(L);
	simtime d = lrt_checktime(L, 1, "sim.after: delay");
	simtime at = simtime_add(sim_now(rt->sim), d);
	if (at < 0)
		return luaL_error(L, "sim.after: delay too large");
	return lrt_schedule(L, at);
}

static const char *tolstring_stable(lua_State *L, int idx);

/* Concatenate the arguments as print() does, separated by spaces. */
static const char *
join_args(lua_State *L, int first)
{
	luaL_Buffer b;
	int n = lua_gettop(L);
	luaL_buffinit(L, &b);
	for (int i = first; i <= n; i++) {
		if (i > first)
			luaL_addchar(&b, ' ');
		tolstring_stable(L, i);
		luaL_addvalue(&b);
	}
	luaL_pushresult(&b);
	return lua_tostring(L, -1);
}

static int
l_log(lua_State *L)
{
	struct sim *sim = lrt_get(L)->sim;
	trace_log(&sim->trace, sim_now(sim), NULL, join_args(L, 1));
	return 0;
}

static int
l_metric(lua_State *L)
{
	struct sim *sim = lrt_get(L)->sim;
	const char *name = luaL_checkstring(L, 1);
	double v = luaL_checknumber(L, 2);
	for (const char *p = name; *p; p++)
		if (!(*p == '_' || *p == '.' || *p == '-' ||
		      (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
		      (*p >= 'A' && *p <= 'Z')))
			return luaL_error(L, "sim.metric: name '%s' may use only "
			                  "letters, digits, '_', '.', '-'", name);
	struct trace_event ev = { .kind = TR_METRIC, .t = sim_now(sim) };
	ev.u.metric.name = name;
	ev.u.metric.value = v;
	trace_emit(&sim->trace, &ev);
	return 0;
}

/* sim.expect(cond [, msg]): a false cond is reported with its line and
 * makes the run exit 1; the run goes on. */
static int
l_expect(lua_State *L)
{
	struct lrt *rt = lrt_get(L);
	luaL_checkany(L, 1);
	if (lua_toboolean(L, 1))
		return 0;
	const char *msg = lua_gettop(L) >= 2 && !lua_isnil(L, 2) ?
	                  join_args(L, 2) : "(no message)";
	const char *where = lrt_where(L);
	const char *line = lua_pushfstring(L, "%sexpectation failed: %s", where,
	                                   msg);
	fprintf(stderr, "%s\n", line);
	rt->expect_failed++;
	if (rt->status < RUN_EXPECT_FAILED)
		rt->status = RUN_EXPECT_FAILED;
	trace_log(&rt->sim->trace, sim_now(rt->sim), NULL, line);
	return 0;
}

/* sim.run{until = T}: run the scheduler from the scenario, then go on. */
static int
l_run(lua_State *L)
{
	struct lrt *rt = lrt_get(L);
	simtime until = SIMTIME_MAX;
	if (!lua_isnoneornil(L, 1)) {
		/* until is a Lua keyword: {until = T} does not parse, so until_
		 * is accepted as well, as net:run does. */
		static const char *const keys[] = { "until", "until_", NULL };
		luaL_checktype(L, 1, LUA_TTABLE);
		lrt_checkkeys(L, 1, "sim.run", keys);
		if (lua_getfield(L, 1, "until") != LUA_TNIL ||
		    (lua_pop(L, 1), lua_getfield(L, 1, "until_")) != LUA_TNIL)
			until = lrt_checktime(L, -1, "sim.run: until");
		lua_pop(L, 1);
	}
	lrt_run_sched(rt, L, until);
	return 0;
}

/* ---- deterministic iteration ---------------------------------------------
 * Lua's string hashes are seeded from the clock and from addresses, so
 * next() and pairs() visit keys in an order that changes run to run.  The
 * sandbox's pairs() and sim.sorted() visit numbers (ascending), then
 * strings (byte order), then booleans; other keys (tables, functions)
 * come last in next() order, which no output should depend on. */

struct skey {
	int rank;		/* 0 number, 1 string, 2 boolean, 3 other */
	bool isint;
	lua_Integer i;
	lua_Number n;
	const char *s;
	size_t len;
	int pos;		/* next() order, for rank 3 */
};

static int
skey_cmp(const void *pa, const void *pb)
{
	const struct skey *a = pa, *b = pb;
	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	switch (a->rank) {
	case 0:
		if (a->isint && b->isint)
			return a->i < b->i ? -1 : a->i > b->i;
		return a->n < b->n ? -1 : a->n > b->n;
	case 1: {
		int c = memcmp(a->s, b->s, a->len < b->len ? a->len : b->len);
		if (c)
			return c;
		return a->len < b->len ? -1 : a->len > b->len;
	}
	case 2:
		return a->i < b->i ? -1 : a->i > b->i;
	default:
		return a->pos < b->pos ? -1 : a->pos > b->pos;
	}
}

static int
sorted_next(lua_State *L)
{
	lua_Integer i = lua_tointeger(L, lua_upvalueindex(2)) + 1;
	lua_pushinteger(L, i);
	lua_replace(L, lua_upvalueindex(2));
	if (lua_rawgeti(L, lua_upvalueindex(1), i) == LUA_TNIL)
		return 1;
	lua_pushvalue(L, -1);
	lua_gettable(L, 1);
	return 2;
}

/* Push the generic-for triple iterating table 1 in the order above;
 * strict: keys other than numbers and strings are an error. */
static int
push_sorted(lua_State *L, bool strict, const char *what)
{
	lua_settop(L, 1);
	lua_newtable(L);	/* 2: the keys, in next() order, then sorted */
	int n = 0;
	lua_pushnil(L);
	while (lua_next(L, 1)) {
		lua_pop(L, 1);
		int t = lua_type(L, -1);
		if (strict && t != LUA_TNUMBER && t != LUA_TSTRING)
			return luaL_error(L, "%s: keys must be numbers or strings "
			                  "(got a %s key)", what, luaL_typename(L, -1));
		lua_pushvalue(L, -1);
		lua_rawseti(L, 2, ++n);
	}
	struct skey *k = lua_newuserdatauv(L, sizeof *k * (size_t)(n ? n : 1), 0);
	for (int i = 0; i < n; i++) {
		lua_rawgeti(L, 2, i + 1);
		struct skey *e = &k[i];
		*e = (struct skey){ .rank = 3, .pos = i };
		switch (lua_type(L, -1)) {
		case LUA_TNUMBER:
			e->rank = 0;
			e->isint = lua_isinteger(L, -1);
			e->i = lua_tointeger(L, -1);
			e->n = lua_tonumber(L, -1);
			break;
		case LUA_TSTRING:
			e->rank = 1;
			e->s = lua_tolstring(L, -1, &e->len);	/* kept by table 2 */
			break;
		case LUA_TBOOLEAN:
			e->rank = 2;
			e->i = lua_toboolean(L, -1);
			break;
		}
		lua_pop(L, 1);
	}
	qsort(k, (size_t)n, sizeof *k, skey_cmp);
	lua_newtable(L);	/* the keys in sorted order */
	for (int i = 0; i < n; i++) {
		lua_rawgeti(L, 2, k[i].pos + 1);
		lua_rawseti(L, -2, i + 1);
	}
	lua_pushinteger(L, 0);
	lua_pushcclosure(L, sorted_next, 2);
	lua_pushvalue(L, 1);
	lua_pushnil(L);
	return 3;
}

/* sim.sorted(t): keys must be numbers or strings. */
static int
l_sorted(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	return push_sorted(L, true, "sim.sorted");
}

/* The sandbox's pairs(): a __pairs metamethod as usual, else sorted. */
static int
l_pairs(lua_State *L)
{
	luaL_checkany(L, 1);
	if (luaL_getmetafield(L, 1, "__pairs") != LUA_TNIL) {
		lua_pushvalue(L, 1);
		lua_call(L, 1, 3);
		return 3;
	}
	luaL_checktype(L, 1, LUA_TTABLE);
	return push_sorted(L, false, "pairs");
}

/* tostring() without addresses: a table or function prints as its type,
 * so no run-to-run address reaches an output. */
static const char *
tolstring_stable(lua_State *L, int idx)
{
	idx = lua_absindex(L, idx);
	if (luaL_getmetafield(L, idx, "__tostring") != LUA_TNIL ||
	    luaL_getmetafield(L, idx, "__name") != LUA_TNIL) {
		lua_pop(L, 1);
		return luaL_tolstring(L, idx, NULL);
	}
	switch (lua_type(L, idx)) {
	case LUA_TTABLE:
	case LUA_TFUNCTION:
	case LUA_TUSERDATA:
	case LUA_TLIGHTUSERDATA:
	case LUA_TTHREAD:
		return lua_pushstring(L, luaL_typename(L, idx));
	default:
		return luaL_tolstring(L, idx, NULL);
	}
}

static int
l_tostring(lua_State *L)
{
	luaL_checkany(L, 1);
	tolstring_stable(L, 1);
	return 1;
}

static const luaL_Reg simlib[] = {
	{ "param", l_param },
	{ "now", l_now },
	{ "at", l_at },
	{ "after", l_after },
	{ "log", l_log },
	{ "metric", l_metric },
	{ "expect", l_expect },
	{ "run", l_run },
	{ "sorted", l_sorted },
	{ "network", lnet_network },
	{ NULL, NULL },
};

/* Replace base functions whose results would differ run to run. */
void
lsim_stable_base(lua_State *L)
{
	lua_pushcfunction(L, l_pairs);
	lua_setglobal(L, "pairs");
	lua_pushcfunction(L, l_tostring);
	lua_setglobal(L, "tostring");
}

int
luaopen_sim(lua_State *L)
{
	lnet_open(L);
	luaL_newlib(L, simlib);
	struct lrt *rt = lrt_get(L);
	lua_pushinteger(L, (lua_Integer)rt->sim->seed);
	lua_setfield(L, -2, "seed");
	return 1;
}
