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
		luaL_tolstring(L, i, NULL);
		luaL_addvalue(&b);
	}
	luaL_pushresult(&b);
	return lua_tostring(L, -1);
}

static int
l_log(lua_State *L)
{
	struct sim *sim = lrt_get(L)->sim;
	const char *text = join_args(L, 1);
	if (trace_wants(&sim->trace, TR_LOG)) {
		struct trace_event ev = { .kind = TR_LOG, .t = sim_now(sim) };
		ev.u.log.text = text;
		trace_emit(&sim->trace, &ev);
	}
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
	char where[256];
	lrt_where(L, where, sizeof where);
	const char *msg = lua_gettop(L) >= 2 ? join_args(L, 2) : "(no message)";
	const char *line = lua_pushfstring(L, "%sexpectation failed: %s", where,
	                                   msg);
	fprintf(stderr, "%s\n", line);
	rt->expect_failed++;
	if (rt->status < RUN_EXPECT_FAILED)
		rt->status = RUN_EXPECT_FAILED;
	if (trace_wants(&rt->sim->trace, TR_LOG)) {
		struct trace_event ev = { .kind = TR_LOG, .t = sim_now(rt->sim) };
		ev.u.log.text = line;
		trace_emit(&rt->sim->trace, &ev);
	}
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

/* sim.sorted(t): iterate t's keys in sorted order (numbers before
 * strings), so scenario output never depends on hash order. */
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

static int
l_sorted(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	lua_settop(L, 1);
	lua_newtable(L);
	lua_Integer n = 0;
	lua_pushnil(L);
	while (lua_next(L, 1)) {
		lua_pop(L, 1);
		int t = lua_type(L, -1);
		if (t != LUA_TNUMBER && t != LUA_TSTRING)
			return luaL_error(L, "sim.sorted: keys must be numbers or "
			                  "strings (got a %s key)", luaL_typename(L, -1));
		lua_pushvalue(L, -1);
		lua_rawseti(L, 2, ++n);
	}
	/* Insertion sort via Lua comparisons: n is small in scenarios, and
	 * a stable, pivot-free sort keeps the order fixed. */
	for (lua_Integer i = 2; i <= n; i++) {
		for (lua_Integer j = i; j > 1; j--) {
			lua_rawgeti(L, 2, j - 1);
			lua_rawgeti(L, 2, j);
			int ta = lua_type(L, -2), tb = lua_type(L, -1);
			bool swap = (ta == LUA_TSTRING && tb == LUA_TNUMBER) ||
			            (ta == tb && lua_compare(L, -1, -2, LUA_OPLT));
			if (!swap) {
				lua_pop(L, 2);
				break;
			}
			lua_rawseti(L, 2, j - 1);
			lua_rawseti(L, 2, j);
		}
	}
	lua_pushvalue(L, 1);
	lua_pushvalue(L, 2);
	lua_pushinteger(L, 0);
	lua_pushcclosure(L, sorted_next, 2);
	lua_insert(L, -2);
	lua_pushnil(L);
	return 3;
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
