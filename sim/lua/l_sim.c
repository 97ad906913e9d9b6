/*
 * l_sim.c - the `sim` table: parameters, time, scheduling, logging,
 * metrics and expectations.  Network objects (sim.network) are added by
 * l_net.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <lauxlib.h>
#include <lua.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lnet.h"
#include "../core/names.h"
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
	const char *name = lrt_checkstr(L, 1, "sim.param: name",
	                                "a name such as \"seed\"");
	int dtype = lua_type(L, 2);
	/* Unknown -D names are found when the simulation starts: a name
	 * read later could not be told from a misspelt one. */
	if (rt->ran)
		return luaL_error(L, "sim.param('%s'): parameters are read before "
		                  "the simulation runs (at the top of the scenario)",
		                  name);
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
	size_t len;
	const char *name = lrt_checkstr(L, 1, "sim.metric: name",
	                                "a name such as \"handshake_ms\"");
	lua_tolstring(L, 1, &len);
	double v = luaL_checknumber(L, 2);
	for (const char *p = name; *p; p++)
		if (!(*p == '_' || *p == '.' || *p == '-' ||
		      (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
		      (*p >= 'A' && *p <= 'Z')))
			return luaL_error(L, "sim.metric: name '%s' may use only "
			                  "letters, digits, '_', '.', '-'", name);
	const char *why = name_problem(name, len);
	if (why)
		return luaL_error(L, "sim.metric: name \"%s\" %s",
		                  lrt_printable(L, name, len), why);
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
 * strings (byte order), then booleans, then synsim's objects (hosts,
 * links, connections...) in the order the scenario first saw them.
 * Tables, functions and other values as keys have nothing but their
 * address to order them by, which differs run to run: pairs() over them
 * is an error. */

/* A new object of synsim's: a userdata of size bytes, zeroed, with the
 * metatable tname and, as its one user value, its serial: the order the
 * scenario made it in. */
void *
lsim_new_object(lua_State *L, size_t size, const char *tname)
{
	void *ud = lua_newuserdatauv(L, size, 1);
	memset(ud, 0, size);
	luaL_setmetatable(L, tname);
	lua_pushinteger(L, ++lrt_get(L)->objects);
	lua_setiuservalue(L, -2, 1);
	return ud;
}

/* The serial of the object at idx, or 0 when it is none of synsim's. */
static lua_Integer
serial_of(lua_State *L, int idx)
{
	if (lua_type(L, idx) != LUA_TUSERDATA)
		return 0;
	lua_getiuservalue(L, idx, 1);	/* nil (LUA_TNONE) if it has none */
	lua_Integer n = lua_tointeger(L, -1);
	lua_pop(L, 1);
	return n;
}

struct skey {
	int rank;		/* 0 number, 1 string, 2 boolean, 3 object */
	bool isint;
	lua_Integer i;
	lua_Number n;
	const char *s;
	size_t len;
	int pos;		/* place in next() order */
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
	default:	/* booleans; objects by serial */
		return a->i < b->i ? -1 : a->i > b->i;
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

/* Push a sequence of the keys of the table at idx, in the order above;
 * strict: keys other than numbers and strings are an error. */
static void
push_sorted_keys(lua_State *L, int idx, bool strict, const char *what)
{
	idx = lua_absindex(L, idx);
	lua_newtable(L);	/* the keys, in next() order */
	int ktab = lua_gettop(L);
	int n = 0;
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		lua_pop(L, 1);
		int t = lua_type(L, -1);
		if (strict && t != LUA_TNUMBER && t != LUA_TSTRING)
			luaL_error(L, "%s: keys must be numbers or strings "
			           "(got a %s key)", what, luaL_typename(L, -1));
		lua_pushvalue(L, -1);
		lua_rawseti(L, ktab, ++n);
	}
	lrt_charge(L, (uint64_t)n);	/* the sort below runs in C */
	struct skey *k = lua_newuserdatauv(L, sizeof *k * (size_t)(n ? n : 1), 0);
	for (int i = 0; i < n; i++) {
		lua_rawgeti(L, ktab, i + 1);
		struct skey *e = &k[i];
		*e = (struct skey){ .rank = 3, .pos = i };
		if (lua_type(L, -1) != LUA_TNUMBER &&
		    lua_type(L, -1) != LUA_TSTRING &&
		    lua_type(L, -1) != LUA_TBOOLEAN &&
		    (e->i = serial_of(L, -1)) == 0)
			luaL_error(L, "%s: a table keyed by a %s has no fixed "
			           "order (its address differs run to run); key "
			           "it by a name or a number, or keep a list",
			           what, luaL_typename(L, -1));
		switch (lua_type(L, -1)) {
		case LUA_TNUMBER:
			e->rank = 0;
			e->isint = lua_isinteger(L, -1);
			e->i = lua_tointeger(L, -1);
			e->n = lua_tonumber(L, -1);
			break;
		case LUA_TSTRING:
			e->rank = 1;
			e->s = lua_tolstring(L, -1, &e->len);	/* kept by ktab */
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
		lua_rawgeti(L, ktab, k[i].pos + 1);
		lua_rawseti(L, -2, i + 1);
	}
	lua_replace(L, ktab);
	lua_settop(L, ktab);
}

/* Push the generic-for triple iterating table 1 in the order above. */
static int
push_sorted(lua_State *L, bool strict, const char *what)
{
	lua_settop(L, 1);
	push_sorted_keys(L, 1, strict, what);
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

/* The sandbox's next(t, k): the key after k in the order above, so a
 * `for k, v in next, t` loop is as stable as pairs().  The sorted keys
 * of the table being walked are kept (weakly) with the position last
 * returned, so a whole walk sorts once; a call with any other key finds
 * it by a scan.  Keys whose value was cleared during the walk (which Lua
 * allows) are skipped. */
static const char walks_key = 'w';

static int
l_next(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	lua_settop(L, 2);
	if (lua_rawgetp(L, LUA_REGISTRYINDEX, &walks_key) == LUA_TNIL) {
		lua_pop(L, 1);
		lua_newtable(L);
		lua_newtable(L);
		lua_pushliteral(L, "k");
		lua_setfield(L, -2, "__mode");
		lua_setmetatable(L, -2);
		lua_pushvalue(L, -1);
		lua_rawsetp(L, LUA_REGISTRYINDEX, &walks_key);
	}
	int walks = lua_gettop(L);	/* table -> its sorted keys; [0] = pos */
	lua_Integer pos = -1;
	if (!lua_isnil(L, 2)) {
		lua_pushvalue(L, 1);
		if (lua_rawget(L, walks) == LUA_TTABLE) {
			lua_rawgeti(L, -1, 0);
			lua_Integer p = lua_tointeger(L, -1);
			lua_rawgeti(L, -2, p);
			if (lua_rawequal(L, -1, 2))
				pos = p;
			lua_pop(L, 2);
		}
		lua_pop(L, 1);
	}
	if (pos < 0) {
		push_sorted_keys(L, 1, false, "next");
		pos = 0;
		if (!lua_isnil(L, 2)) {
			lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
			for (pos = 1; pos <= n; pos++) {
				lua_rawgeti(L, -1, pos);
				int same = lua_rawequal(L, -1, 2);
				lua_pop(L, 1);
				if (same)
					break;
			}
			if (pos > n)
				return luaL_error(L, "invalid key to 'next'");
		}
		lua_pushvalue(L, 1);
		lua_pushvalue(L, -2);
		lua_rawset(L, walks);
	} else {
		lua_pushvalue(L, 1);
		lua_rawget(L, walks);
	}
	int keys = lua_gettop(L);
	for (;;) {
		pos++;
		if (lua_rawgeti(L, keys, pos) == LUA_TNIL) {
			lua_pushvalue(L, 1);	/* the walk is over */
			lua_pushnil(L);
			lua_rawset(L, walks);
			lua_pushnil(L);
			return 1;
		}
		lua_pushvalue(L, -1);
		if (lua_rawget(L, 1) != LUA_TNIL)
			break;
		lua_pop(L, 2);
	}
	lua_pushinteger(L, pos);
	lua_rawseti(L, keys, 0);
	return 2;
}

/* tostring() without addresses: a table or function prints as its type,
 * so no run-to-run address reaches an output. */
static const char *
tolstring_stable(lua_State *L, int idx)
{
	idx = lua_absindex(L, idx);
	if (luaL_getmetafield(L, idx, "__tostring") != LUA_TNIL) {
		lua_pop(L, 1);
		return luaL_tolstring(L, idx, NULL);
	}
	/* Lua would print "NAME: 0x...": the name alone. */
	int name = luaL_getmetafield(L, idx, "__name");
	if (name == LUA_TSTRING)
		return lua_tostring(L, -1);
	if (name != LUA_TNIL)
		lua_pop(L, 1);
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

/* string.format without addresses: %p is refused and %s prints tables,
 * functions and userdata as tostring() does here.  Upvalue 1 is Lua's
 * own string.format, which does the rest. */
static int
l_format(lua_State *L)
{
	size_t len;
	const char *f = luaL_checklstring(L, 1, &len);
	const char *end = f + len;
	int arg = 1;
	for (const char *p = f; p < end; p++) {
		if (*p != '%' || ++p >= end || *p == '%')
			continue;
		arg++;
		while (p < end && *p && strchr("-+ #0123456789.", *p))
			p++;
		if (p >= end)
			break;	/* Lua's own format reports it */
		if (*p == 'p')
			return luaL_error(L, "string.format: %%p prints an address, "
			                  "which differs from run to run");
		if (*p == 's' && arg <= lua_gettop(L) &&
		    lua_type(L, arg) != LUA_TSTRING && lua_type(L, arg) != LUA_TNUMBER) {
			tolstring_stable(L, arg);
			lua_replace(L, arg);
		}
	}
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
	return lua_gettop(L);
}

/* Is the value at a less than the one at b, by the comparator at 2? */
static bool
sort_less(lua_State *L, int a, int b)
{
	a = lua_absindex(L, a);
	b = lua_absindex(L, b);
	if (lua_isnil(L, 2))
		return lua_compare(L, a, b, LUA_OPLT);
	lua_pushvalue(L, 2);
	lua_pushvalue(L, a);
	lua_pushvalue(L, b);
	lua_call(L, 2, 1);
	bool lt = lua_toboolean(L, -1);
	lua_pop(L, 1);
	return lt;
}

/* table.sort(t [, lt]) as a stable merge sort.  Lua's own quicksort
 * picks a pivot from the clock on large arrays, so elements that compare
 * equal could come out in a different order each run; a stable sort
 * keeps them in the order they were in, the same every run. */
static int
l_sort(lua_State *L)
{
	lua_Integer n = luaL_len(L, 1);
	if (!lua_isnoneornil(L, 2))
		luaL_checktype(L, 2, LUA_TFUNCTION);
	lua_settop(L, 2);
	luaL_argcheck(L, n < INT32_MAX, 1, "array too big");
	/* About n log n steps in C, out of the count hook's sight. */
	uint64_t steps = n > 0 ? (uint64_t)n : 0;
	for (lua_Integer w = 1; w < n; w *= 2)
		steps += (uint64_t)n;
	lrt_charge(L, steps);
	lua_createtable(L, n > 1 ? (int)n : 0, 0);	/* 3: scratch */
	int src = 1, dst = 3;
	for (lua_Integer w = 1; w < n; w *= 2) {
		for (lua_Integer lo = 1; lo <= n; lo += 2 * w) {
			lua_Integer mid = lo + w <= n ? lo + w : n + 1;
			lua_Integer hi = lo + 2 * w <= n ? lo + 2 * w : n + 1;
			lua_Integer i = lo, j = mid, k = lo;
			while (i < mid && j < hi) {
				lua_geti(L, src, j);
				lua_geti(L, src, i);
				if (sort_less(L, -2, -1)) {	/* ties keep i first */
					lua_pop(L, 1);
					j++;
				} else {
					lua_remove(L, -2);
					i++;
				}
				lua_seti(L, dst, k++);
			}
			for (; i < mid; i++, k++) {
				lua_geti(L, src, i);
				lua_seti(L, dst, k);
			}
			for (; j < hi; j++, k++) {
				lua_geti(L, src, j);
				lua_seti(L, dst, k);
			}
		}
		int t = src;
		src = dst;
		dst = t;
	}
	if (src != 1)
		for (lua_Integer i = 1; i <= n; i++) {
			lua_geti(L, src, i);
			lua_seti(L, 1, i);
		}
	return 0;
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
	{ "question", lquestion_new },
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
	lua_pushcfunction(L, l_next);
	lua_setglobal(L, "next");
	lua_getglobal(L, "string");
	lua_getfield(L, -1, "format");
	lua_pushcclosure(L, l_format, 1);
	lua_setfield(L, -2, "format");
	lua_pop(L, 1);
	lua_getglobal(L, "table");
	lua_pushcfunction(L, l_sort);
	lua_setfield(L, -2, "sort");
	lua_pop(L, 1);
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
