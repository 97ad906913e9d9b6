/*
 * runtime.c - the sandboxed Lua state of one run.
 *
 * The scenario may use base, string, table, math and utf8.  Files are
 * reachable only through dofile/require inside the scenario's own folder,
 * as text.  os and io exist only to say they are not available.
 * math.random is reseeded from the run seed, and math.randomseed needs an
 * explicit seed, so nothing in Lua reads the clock.
 *
 * Every call into Lua (the main chunk, each sim.at callback, each socket
 * callback) goes through lrt_call(): a protected call with a traceback
 * handler and an instruction budget, so a runaway loop is reported at its
 * line instead of hanging the run.
 */
#define _XOPEN_SOURCE 700	/* realpath */
#include "runtime.h"

#include <lauxlib.h>
#include <lualib.h>

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "../core/outfile.h"
#include "../core/simtime.h"
#include "../core/utf8.h"
#include "../net/net.h"
#include "../tcp/tcp.h"

static char abort_key;		/* error value: already reported, unwind */
static char loaded_key;		/* registry: require's cache */
static char srcs_key;		/* registry: {short1, full1, short2, ...} */

#define HOOK_STEP (1 << 20)	/* instructions between budget checks */

struct lrt_timer {
	struct sim_event ev;
	struct lrt *rt;
	int ref;
	struct lrt_timer *prev, *next;
};

/* The state's extra space holds its struct lrt (coroutines start with a
 * copy of it): read on nearly every call from Lua, so no table lookup. */
struct lrt *
lrt_get(lua_State *L)
{
	struct lrt *rt;
	memcpy(&rt, lua_getextraspace(L), sizeof rt);
	return rt;
}

/* ---- file names in messages --------------------------------------------
 *
 * Lua shortens a chunk name longer than LUA_IDSIZE to "..." and its tail,
 * so a scenario in a deep folder would be reported as "...s/x.lua:3:".
 * Each file is noted before it is loaded, with the short form Lua will
 * use for it, and every message is given its full name back.  Two files
 * with the same short form are left short: naming the wrong one would be
 * worse. */

static void
note_source(lua_State *L, const char *path)
{
	lua_pushfstring(L, "@%s", path);
	int st = luaL_loadbufferx(L, "", 0, lua_tostring(L, -1), "t");
	lua_remove(L, -2);
	if (st != LUA_OK) {
		lua_pop(L, 1);
		return;
	}
	lua_Debug ar;
	lua_getinfo(L, ">S", &ar);	/* pops the empty chunk */
	if (strcmp(ar.short_src, path) == 0)
		return;
	lua_rawgetp(L, LUA_REGISTRYINDEX, &srcs_key);
	lua_Integer n = (lua_Integer)luaL_len(L, -1);
	for (lua_Integer i = 1; i < n; i += 2) {
		lua_rawgeti(L, -1, i);
		int same_short = strcmp(lua_tostring(L, -1), ar.short_src) == 0;
		lua_rawgeti(L, -2, i + 1);
		int same_full = strcmp(lua_tostring(L, -1), path) == 0;
		lua_pop(L, 2);
		if (same_short) {
			if (!same_full) {	/* ambiguous: keep it short */
				lua_pushstring(L, ar.short_src);
				lua_rawseti(L, -2, i + 1);
			}
			lua_pop(L, 1);
			return;
		}
	}
	lua_pushstring(L, ar.short_src);
	lua_rawseti(L, -2, n + 1);
	lua_pushstring(L, path);
	lua_rawseti(L, -2, n + 2);
	lua_pop(L, 1);
}

/* Push msg with every shortened file name written out in full. */
static const char *
push_expanded(lua_State *L, const char *msg)
{
	lua_pushstring(L, msg);
	lua_rawgetp(L, LUA_REGISTRYINDEX, &srcs_key);
	lua_Integer n = (lua_Integer)luaL_len(L, -1);
	for (lua_Integer i = 1; i < n; i += 2) {
		lua_rawgeti(L, -1, i);
		lua_rawgeti(L, -2, i + 1);
		luaL_gsub(L, lua_tostring(L, -4), lua_tostring(L, -2),
		          lua_tostring(L, -1));
		lua_replace(L, -5);
		lua_pop(L, 2);
	}
	lua_pop(L, 1);
	return lua_tostring(L, -1);
}

const char *
lrt_where(lua_State *L)
{
	luaL_where(L, 1);
	const char *s = push_expanded(L, lua_tostring(L, -1));
	lua_remove(L, -2);
	return s;
}

/* ---- calling Lua -------------------------------------------------------- */

/* ---- naming the functions in messages -----------------------------------
 *
 * Lua names the function of "bad argument #2 to 'X'" from how it was
 * reached: through a local it is that local's name, through a table
 * field of a table it cannot name it is '?', and when a C function
 * calls another (the sandbox's wrappers do) there is no line at all.
 * Every function the scenario can reach is noted here by its own name
 * ("string.format", "node:connect"), and msghandler puts that name and
 * the scenario's line into the message. */

static char names_key;		/* registry: function -> its name */

static void
name_functions(lua_State *L, int tbl, const char *prefix, const char *sep)
{
	tbl = lua_absindex(L, tbl);
	lua_rawgetp(L, LUA_REGISTRYINDEX, &names_key);
	lua_pushnil(L);
	while (lua_next(L, tbl)) {
		if (lua_type(L, -2) == LUA_TSTRING &&
		    lua_type(L, -1) == LUA_TFUNCTION) {
			if (*prefix)
				lua_pushfstring(L, "%s%s%s", prefix, sep,
				                lua_tostring(L, -2));
			else
				lua_pushvalue(L, -2);
			lua_rawset(L, -4);	/* names[fn] = name */
		} else {
			lua_pop(L, 1);
		}
	}
	lua_pop(L, 1);
}

static int
locked_metatable(lua_State *L)
{
	return luaL_error(L, "the metatable of a %s cannot be changed",
	                  lua_tostring(L, lua_upvalueindex(1)));
}

/* The libraries and the methods of every object type, by name. */
static void
name_all(lua_State *L)
{
	static const char *const libs[] = { "string", "table", "math", "utf8",
	                                    "sim", NULL };
	static const struct { const char *tname, *prefix; } types[] = {
		{ "synsim.Net", "net" }, { "synsim.Node", "node" },
		{ "synsim.Link", "link" }, { "synsim.Conn", "conn" },
		{ "synsim.LinkDir", "dir" }, { "synsim.Listener", "listener" },
		{ NULL, NULL },
	};
	lua_pushglobaltable(L);
	name_functions(L, -1, "", "");
	lua_pop(L, 1);
	for (int i = 0; libs[i]; i++) {
		if (lua_getglobal(L, libs[i]) == LUA_TTABLE)
			name_functions(L, -1, libs[i], ".");
		lua_pop(L, 1);
	}
	for (int i = 0; types[i].tname; i++) {
		if (luaL_getmetatable(L, types[i].tname) != LUA_TTABLE) {
			lua_pop(L, 1);
			continue;
		}
		if (lua_getfield(L, -1, "methods") == LUA_TTABLE ||
		    (lua_pop(L, 1), lua_getfield(L, -1, "__index")) == LUA_TTABLE ||
		    (lua_iscfunction(L, -1) && lua_getupvalue(L, -1, 1) &&
		     (lua_remove(L, -2), lua_istable(L, -1))))
			name_functions(L, -1, types[i].prefix, ":");
		lua_pop(L, 1);
		/* Locked: a scenario that reached an object type's metatable
		 * could give every later object of it a finalizer.
		 * getmetatable() shows a stand-in that refuses changes. */
		lua_newtable(L);
		lua_createtable(L, 0, 1);
		lua_pushstring(L, types[i].prefix);
		lua_pushcclosure(L, locked_metatable, 1);
		lua_setfield(L, -2, "__newindex");
		lua_setmetatable(L, -2);
		lua_setfield(L, -2, "__metatable");
		lua_pop(L, 1);
	}
}

/* "file:line: " of the innermost Lua function with a line, or "". */
static void
push_lua_where(lua_State *L)
{
	lua_Debug ar;
	for (int level = 1; lua_getstack(L, level, &ar); level++) {
		lua_getinfo(L, "Sl", &ar);
		if (ar.currentline > 0) {
			lua_pushfstring(L, "%s:%d: ", ar.short_src, ar.currentline);
			return;
		}
	}
	lua_pushliteral(L, "");
}

/* Whether msg starts with a position, "name:123:". */
static bool
has_position(const char *msg)
{
	const char *colon = strchr(msg, ':');
	const char *nl = strchr(msg, '\n');
	while (colon && (nl == NULL || colon < nl)) {
		const char *p = colon + 1;
		if (*p >= '0' && *p <= '9') {
			while (*p >= '0' && *p <= '9')
				p++;
			if (*p == ':')
				return true;
		}
		colon = strchr(colon + 1, ':');
	}
	return false;
}

/* msg with the function at level 1 named by its own name and the
 * scenario's line in front when it has none. */
static const char *
push_qualified(lua_State *L, const char *msg)
{
	lua_Debug ar;
	const char *name = NULL;
	if (lua_getstack(L, 1, &ar) && lua_getinfo(L, "f", &ar)) {
		lua_rawgetp(L, LUA_REGISTRYINDEX, &names_key);
		lua_insert(L, -2);
		lua_rawget(L, -2);
		lua_remove(L, -2);
		name = lua_tostring(L, -1);	/* NULL when unknown */
	} else {
		lua_pushnil(L);
	}
	const char *bad = strstr(msg, "bad argument #");
	const char *to = bad ? strstr(bad, " to '") : NULL;
	const char *end = to ? strchr(to + 5, '\'') : NULL;
	if (name && end) {
		lua_pushfstring(L, "%s%s'", lua_pushlstring(L, msg,
		                (size_t)(to + 5 - msg)) , name);
		lua_remove(L, -2);
		lua_pushfstring(L, "%s%s", lua_tostring(L, -1), end + 1);
		lua_remove(L, -2);
		msg = lua_tostring(L, -1);
	} else {
		lua_pushstring(L, msg);
	}
	lua_remove(L, -2);	/* the name */
	if (!has_position(msg)) {
		push_lua_where(L);
		lua_insert(L, -2);
		lua_concat(L, 2);
	}
	return lua_tostring(L, -1);
}

static int
msghandler(lua_State *L)
{
	if (lua_touserdata(L, 1) == &abort_key)
		return 1;
	const char *msg = lua_tostring(L, 1);
	if (msg == NULL) {
		if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
			return 1;
		/* error() adds no position to a non-string value: name the
		 * Lua line that called it (level 1 is error itself). */
		luaL_where(L, 2);
		msg = lua_pushfstring(L, "%s(error object is a %s value)",
		                      lua_tostring(L, -1), luaL_typename(L, 1));
	} else {
		msg = push_qualified(L, msg);
	}
	luaL_traceback(L, L, msg, 1);
	return 1;
}

/* Raise the budget error at the Lua line running (level 1: the caller of
 * a C function, 0: the function the hook interrupted). */
static int
budget_error(lua_State *L, struct lrt *rt, int level)
{
	rt->fatal = true;
	luaL_where(L, level);
	lua_pushfstring(L, "instruction budget of %I exceeded (an endless "
	                "loop?); raise it with --max-instructions",
	                (lua_Integer)rt->max_insns);
	lua_concat(L, 2);
	return lua_error(L);
}

static void
budget_hook(lua_State *L, lua_Debug *ar)
{
	(void)ar;
	/* The count lives in the runtime, not in a static: two worlds may run
	 * in one process (the sweep runner). */
	struct lrt *rt = lrt_get(L);
	if (!rt->fatal) {
		rt->insns += (uint64_t)rt->hook_step;
		if (rt->insns <= rt->max_insns)
			return;
	}
	budget_error(L, rt, 0);
}

uint64_t
lrt_budget_left(lua_State *L)
{
	struct lrt *rt = lrt_get(L);
	return rt->fatal || rt->insns >= rt->max_insns ? 0 :
	       rt->max_insns - rt->insns;
}

void
lrt_charge(lua_State *L, uint64_t steps)
{
	struct lrt *rt = lrt_get(L);
	if (steps > lrt_budget_left(L))
		budget_error(L, rt, 1);
	rt->insns += steps;
}

/* Where the Lua code that asked for memory is, "file:line:", into
 * rt->mem_where: an allocation error calls no message handler, and the
 * stack is gone by the time it reaches lrt_call.  Reading the stack
 * allocates nothing. */
static void
note_mem_where(struct lrt *rt)
{
	lua_Debug ar;
	rt->mem_where[0] = '\0';
	for (int level = 0; lua_getstack(rt->L, level, &ar); level++) {
		if (!lua_getinfo(rt->L, "Sl", &ar) || ar.currentline <= 0)
			continue;
		snprintf(rt->mem_where, sizeof rt->mem_where, "%s:%d: ",
		         ar.short_src, ar.currentline);
		return;
	}
}

/*
 * Every byte the Lua state holds goes through here, so a table-filling
 * loop or a string doubling itself stops at the cap instead of taking
 * the machine.  Past the cap the request fails (Lua raises "not enough
 * memory", after one emergency collection that may yet make room).
 * Once that error is seen (lrt_call, l_pcall) the run is over and
 * nothing more is refused, so that it can be reported and the state
 * closed.
 */
/*
 * A scenario that makes a connection a millisecond makes a few small
 * Lua objects for each (the Conn, an options table, a closure) and the
 * collector frees them later in another order: through malloc that is
 * a free-list walk over cold memory for each.  Blocks up to 256 bytes
 * come instead from per-size free lists (16-byte classes) cut from
 * 64 KiB slabs, which live as long as the state; Lua gives a block's
 * size back when it frees it, so no header is needed.
 */
#define LRT_SLAB (64 * 1024)

struct lrt_slab {
	struct lrt_slab *next;
	max_align_t data[];
};

static inline int
pool_class(size_t size)
{
	return size <= LRT_POOL_CLASSES * 16 ? (int)((size + 15) / 16) - 1 : -1;
}

static void *
pool_get(struct lrt *rt, int k)
{
	void *p = rt->pool_free[k];
	if (p) {
		memcpy(&rt->pool_free[k], p, sizeof p);
		return p;
	}
	size_t size = (size_t)(k + 1) * 16;
	if (rt->slabs == NULL || rt->slab_used + size > LRT_SLAB) {
		struct lrt_slab *s = malloc(sizeof *s + LRT_SLAB);
		if (s == NULL)
			return NULL;
		s->next = rt->slabs;
		rt->slabs = s;
		rt->slab_used = 0;
	}
	p = (char *)rt->slabs->data + rt->slab_used;
	rt->slab_used += size;
	return p;
}

static void
pool_put(struct lrt *rt, int k, void *p)
{
	memcpy(p, &rt->pool_free[k], sizeof p);
	rt->pool_free[k] = p;
}

static void
pool_free_all(struct lrt *rt)
{
	while (rt->slabs) {
		struct lrt_slab *s = rt->slabs;
		rt->slabs = s->next;
		free(s);
	}
	memset(rt->pool_free, 0, sizeof rt->pool_free);
}

/* Lua's allocator contract without the byte count: a block of osize
 * (ptr not NULL) becomes one of nsize, or is freed (nsize 0). */
static void *
pool_realloc(struct lrt *rt, void *ptr, size_t osize, size_t nsize)
{
	int ko = ptr ? pool_class(osize) : -1;
	if (nsize == 0) {
		if (ko >= 0)
			pool_put(rt, ko, ptr);
		else
			free(ptr);
		return NULL;
	}
	int kn = pool_class(nsize);
	if (ptr == NULL)
		return kn >= 0 ? pool_get(rt, kn) : malloc(nsize);
	if (ko == kn && ko >= 0)
		return ptr;
	if (ko < 0 && kn < 0)
		return realloc(ptr, nsize);
	void *p = kn >= 0 ? pool_get(rt, kn) : malloc(nsize);
	if (p == NULL)
		return NULL;
	memcpy(p, ptr, osize < nsize ? osize : nsize);
	if (ko >= 0)
		pool_put(rt, ko, ptr);
	else
		free(ptr);
	return p;
}

static void *
lrt_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	struct lrt *rt = ud;
	size_t old = ptr ? osize : 0;
	if (nsize == 0) {
		pool_realloc(rt, ptr, osize, 0);
		rt->mem -= old;
		return NULL;
	}
	if (!rt->mem_hit && nsize > old && (rt->mem > rt->max_mem ||
	                    nsize - old > rt->max_mem - rt->mem)) {
		if (rt->L)
			note_mem_where(rt);
		return NULL;
	}
	void *p = pool_realloc(rt, ptr, osize, nsize);
	if (p)
		rt->mem = rt->mem - old + nsize;
	return p;
}

void
lrt_set_limits(struct lrt *rt, uint64_t memory, uint64_t insns,
               uint64_t instant_events, uint64_t packets)
{
	rt->max_mem = memory ? (size_t)(memory < SIZE_MAX ? memory : SIZE_MAX)
	                     : (size_t)LRT_MAX_MEMORY;
	rt->max_insns = insns ? insns : LRT_MAX_INSNS;
	rt->max_instant = instant_events ? instant_events : LRT_MAX_INSTANT;
	rt->max_packets = packets ? packets : LRT_MAX_PACKETS;
	rt->sim->sched.max_instant = rt->max_instant;
	/* The hook counts in steps; a budget smaller than one is one step,
	 * so that it stops where it says. */
	rt->hook_step = rt->max_insns < HOOK_STEP ? (int)rt->max_insns :
	                HOOK_STEP;
	if (rt->L)
		lua_sethook(rt->L, budget_hook, LUA_MASKCOUNT, rt->hook_step);
	if (rt->sim->net)
		rt->sim->net->max_pkts = rt->max_packets;
}

/* pcall and xpcall as in Lua, except that a limit reached inside goes
 * on up: a scenario cannot catch its way past the budget or the cap. */
static int
l_pcall(lua_State *L)
{
	struct lrt *rt = lrt_get(L);
	bool x = lua_toboolean(L, lua_upvalueindex(1));
	luaL_checkany(L, 1);
	int first = 1;		/* where the results start */
	int st;
	if (x) {
		luaL_checktype(L, 2, LUA_TFUNCTION);
		lua_pushvalue(L, 1);	/* f h args f */
		lua_pushvalue(L, 2);	/* f h args f h */
		lua_replace(L, 1);	/* h h args f */
		lua_replace(L, 2);	/* h f args */
		first = 2;
		st = lua_pcall(L, lua_gettop(L) - 2, LUA_MULTRET, 1);
	} else {
		st = lua_pcall(L, lua_gettop(L) - 1, LUA_MULTRET, 0);
	}
	if (st == LUA_ERRMEM)
		rt->mem_hit = rt->fatal = true;
	if (st != LUA_OK && rt->fatal)
		return lua_error(L);
	lua_pushboolean(L, st == LUA_OK);
	lua_insert(L, first);
	return lua_gettop(L) - first + 1;
}

/* setmetatable as in Lua, refusing __gc: a finalizer runs whenever the
 * collector gets to it, with the debug hooks (the budget) off and its
 * errors turned into warnings, so a scenario could loop there forever or
 * fail without anyone hearing of it. */
static int
l_setmetatable(lua_State *L)
{
	if (lua_type(L, 2) == LUA_TTABLE &&
	    lua_getfield(L, 2, "__gc") != LUA_TNIL)
		return luaL_error(L, "setmetatable: __gc (a finalizer) is not "
		                  "available in scenarios: it would run at a time "
		                  "the garbage collector picks, outside the "
		                  "instruction budget");
	lua_settop(L, 2);
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, 2, 1);
	return 1;
}

static void
report(struct lrt *rt, const char *msg)
{
	if (!rt->verbose) {
		/* First line plus the scenario frames of the traceback. */
		const char *tb = strstr(msg, "\nstack traceback:");
		if (tb) {
			fprintf(stderr, "%.*s\nstack traceback:\n", (int)(tb - msg), msg);
			const char *line = strchr(tb + 1, '\n');
			while (line && *line) {
				const char *end = strchr(line + 1, '\n');
				int n = end ? (int)(end - line - 1) : (int)strlen(line + 1);
				/* Frames are "\t<where>: in ..."; C ones say
				 * where they are as "[C]". */
				if (n > 0 && strncmp(line + 1, "\t[C]:", 5) != 0)
					fprintf(stderr, "%.*s\n", n, line + 1);
				line = end;
			}
			return;
		}
	}
	fprintf(stderr, "%s\n", msg);
}

int
lrt_call(struct lrt *rt, int nargs)
{
	return lrt_callr(rt, nargs, 0);
}

int
lrt_callr(struct lrt *rt, int nargs, int nresults)
{
	lua_State *L = rt->L;
	int base = lua_gettop(L) - nargs;
	lua_pushcfunction(L, msghandler);
	lua_insert(L, base);
	int st = lua_pcall(L, nargs, nresults, base);
	lua_remove(L, base);
	if (st == LUA_OK)
		return 0;
	if (st == LUA_ERRMEM)
		rt->mem_hit = rt->fatal = true;
	if (rt->mem_hit) {
		const char *where = rt->mem_where[0] ? push_expanded(L,
		                    rt->mem_where) : rt->script;
		fprintf(stderr, "%s%smemory limit of %zu MiB exceeded; raise it "
		        "with --max-memory\n", where, rt->mem_where[0] ? "" : ": ",
		        rt->max_mem >> 20);
		if (rt->mem_where[0])
			lua_pop(L, 1);
	} else if (lua_touserdata(L, -1) != &abort_key) {
		const char *msg = lua_tostring(L, -1);
		report(rt, push_expanded(L, msg ? msg : "error"));
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
	rt->status = RUN_ERROR;
	sched_stop(&rt->sim->sched);
	return -1;
}

/* ---- plain arguments ---------------------------------------------------- */

/* A value of the wrong kind or out of range: "what: expected E (got X)",
 * X as the scenario wrote it (a string in quotes, a number or a boolean
 * as such, anything else by its type, whose address would differ from
 * run to run). */
int
lrt_badvalue(lua_State *L, int idx, const char *what, const char *expect)
{
	switch (lua_type(L, idx)) {
	case LUA_TSTRING:
		return luaL_error(L, "%s: expected %s (got \"%s\")", what,
		                  expect, lua_tostring(L, idx));
	case LUA_TNUMBER:
		return luaL_error(L, "%s: expected %s (got %s)", what, expect,
		                  lua_tostring(L, idx));
	case LUA_TBOOLEAN:
		return luaL_error(L, "%s: expected %s (got %s)", what, expect,
		                  lua_toboolean(L, idx) ? "true" : "false");
	default:
		return luaL_error(L, "%s: expected %s (got %s)", what, expect,
		                  luaL_typename(L, idx));
	}
}

/* A whole number in [min, max]; expect says so in words. */
lua_Integer
lrt_checkint(lua_State *L, int idx, const char *what, lua_Integer min,
          lua_Integer max, const char *expect)
{
	int isint = 0;
	lua_Integer v = 0;
	if (lua_type(L, idx) == LUA_TNUMBER)
		v = lua_tointegerx(L, idx, &isint);
	if (!isint || v < min || v > max)
		lrt_badvalue(L, idx, what, expect);
	return v;
}

bool
lrt_checkbool(lua_State *L, int idx, const char *what)
{
	if (!lua_isboolean(L, idx))
		lrt_badvalue(L, idx, what, "true or false");
	return lua_toboolean(L, idx);
}

/* C reads a string up to its first NUL: "5ms\0junk" would pass as
 * "5ms", so a string holding one is refused. */
static void
check_nul(lua_State *L, int idx, const char *what)
{
	size_t len;
	const char *s = lua_tolstring(L, idx, &len);
	if (strlen(s) != len)
		luaL_error(L, "%s: \"%s\" holds a NUL byte", what,
		           lrt_printable(L, s, len));
}

/* Strings only: Lua would turn a number into one, and 2 is no flag. */
const char *
lrt_checkstr(lua_State *L, int idx, const char *what, const char *expect)
{
	if (lua_type(L, idx) != LUA_TSTRING)
		lrt_badvalue(L, idx, what, expect);
	check_nul(L, idx, what);
	return lua_tostring(L, idx);
}

const char *
lrt_printable(lua_State *L, const char *s, size_t len)
{
	luaL_Buffer b;
	luaL_buffinit(L, &b);
	for (size_t i = 0; i < len && i < 64;) {
		unsigned char c = (unsigned char)s[i];
		int n = c ? utf8_char_len(s + i) : 0;
		if (c < 0x20 || c == 0x7f || c == '\\' || n == 0 ||
		    i + (size_t)n > len) {
			char esc[8];
			snprintf(esc, sizeof esc, "\\x%02x", c);
			luaL_addstring(&b, esc);
			i++;
		} else {
			luaL_addlstring(&b, s + i, (size_t)n);
			i += (size_t)n;
		}
	}
	if (len > 64)
		luaL_addstring(&b, "...");
	luaL_pushresult(&b);
	return lua_tostring(L, -1);
}

/* ---- unit arguments ----------------------------------------------------- */

static uint64_t
check_integer_unit(lua_State *L, int idx, const char *what, const char *expect)
{
	lua_Integer v;
	int isint = 0;
	if (lua_type(L, idx) == LUA_TNUMBER) {
		v = lua_tointegerx(L, idx, &isint);
		if (!isint)
			return luaL_error(L, "%s: %s is not a whole number; "
			                  "write it with a unit (e.g. %s)", what,
			                  lua_tostring(L, idx), expect);
		if (v < 0)
			return luaL_error(L, "%s: negative value %I", what, v);
		return (uint64_t)v;
	}
	return (uint64_t)lrt_badvalue(L, idx, what, expect);
}

simtime
lrt_checktime(lua_State *L, int idx, const char *what)
{
	if (lua_type(L, idx) == LUA_TSTRING) {
		check_nul(L, idx, what);
		char err[UNITS_ERRLEN];
		simtime t;
		if (units_parse_duration(lua_tostring(L, idx), &t, err) < 0)
			luaL_error(L, "%s: %s", what, err);
		return t;
	}
	return (simtime)check_integer_unit(L, idx, what,
	                                   "a duration such as \"50ms\"");
}

uint64_t
lrt_checkrate(lua_State *L, int idx, const char *what)
{
	uint64_t v;
	if (lua_type(L, idx) == LUA_TSTRING) {
		check_nul(L, idx, what);
		char err[UNITS_ERRLEN];
		if (units_parse_rate(lua_tostring(L, idx), &v, err) < 0)
			luaL_error(L, "%s: %s", what, err);
	} else {
		v = check_integer_unit(L, idx, what, "a rate such as \"10Mbps\"");
	}
	if (v == 0)
		luaL_error(L, "%s: a rate must be above zero (got %s)", what,
		           luaL_tolstring(L, idx, NULL));
	return v;
}

uint64_t
lrt_checksize(lua_State *L, int idx, const char *what)
{
	if (lua_type(L, idx) == LUA_TSTRING) {
		check_nul(L, idx, what);
		char err[UNITS_ERRLEN];
		uint64_t v;
		if (units_parse_size(lua_tostring(L, idx), &v, err) < 0)
			luaL_error(L, "%s: %s", what, err);
		return v;
	}
	return check_integer_unit(L, idx, what, "a size such as \"1500B\"");
}

double
lrt_checkprob(lua_State *L, int idx, const char *what)
{
	if (lua_type(L, idx) != LUA_TNUMBER)
		lrt_badvalue(L, idx, what, "a probability between 0 and 1");
	double p = lua_tonumber(L, idx);
	if (!(p >= 0 && p <= 1))
		luaL_error(L, "%s: probability must be between 0 and 1 (got %s)",
		           what, lua_tostring(L, idx));
	return p;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

uint64_t
lrt_checkkeys(lua_State *L, int idx, const char *what,
              const char *const *known)
{
	idx = lua_absindex(L, idx);
	uint64_t present = 0;
	const char *bad[64];
	int nbad = 0;
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		lua_pop(L, 1);
		if (lua_type(L, -1) != LUA_TSTRING) {
			if (lua_type(L, -1) == LUA_TNUMBER)
				continue;	/* array part: checked by the caller */
			luaL_error(L, "%s: keys must be names (got a %s key)", what,
			           luaL_typename(L, -1));
		}
		const char *k = lua_tostring(L, -1);
		int i = 0;
		while (known[i] && strcmp(known[i], k) != 0)
			i++;
		if (known[i] && i < 64)
			present |= (uint64_t)1 << i;
		else if (!known[i] && nbad < 64)
			bad[nbad++] = k;	/* still referenced by the table */
	}
	if (nbad == 0)
		return present;
	qsort(bad, (size_t)nbad, sizeof bad[0], cmp_str);
	luaL_Buffer b;
	luaL_buffinit(L, &b);
	for (int i = 0; known[i]; i++) {
		if (i)
			luaL_addstring(&b, ", ");
		luaL_addstring(&b, known[i]);
	}
	luaL_pushresult(&b);
	return (uint64_t)luaL_error(L, "%s: unknown key '%s' (known: %s)", what,
	                            bad[0], lua_tostring(L, -1));
}

/* ---- sandbox ------------------------------------------------------------ */

static int
forbidden(lua_State *L)
{
	const char *lib = lua_tostring(L, lua_upvalueindex(1));
	const char *name = luaL_optstring(L, 2, "?");
	return luaL_error(L, "'%s.%s' is not available: scenarios run in a "
	                  "sandbox without files, processes or clocks "
	                  "(use sim.now() for time, sim.log() for output)",
	                  lib, name);
}

/* load and loadfile would accept bytecode or reach any file; say so
 * rather than fail with "attempt to call a nil value". */
static int
forbidden_global(lua_State *L)
{
	return luaL_error(L, "'%s' is not available: scenarios run in a sandbox "
	                  "(dofile and require read files of the scenario's "
	                  "folder)", lua_tostring(L, lua_upvalueindex(1)));
}

static void
forbid_global(lua_State *L, const char *name)
{
	lua_pushstring(L, name);
	lua_pushcclosure(L, forbidden_global, 1);
	lua_setglobal(L, name);
}

static void
forbid_library(lua_State *L, const char *lib)
{
	lua_newtable(L);
	lua_newtable(L);
	lua_pushstring(L, lib);
	lua_pushcclosure(L, forbidden, 1);
	lua_setfield(L, -2, "__index");
	lua_setmetatable(L, -2);
	lua_setglobal(L, lib);
}

/* Resolve name inside the scenario folder, refusing escapes. */
static const char *
scenario_path(lua_State *L, struct lrt *rt, const char *name, const char *fn)
{
	if (name[0] == '/' || strstr(name, "..") != NULL)
		luaL_error(L, "%s: '%s' is outside the scenario folder", fn, name);
	const char *path = lua_pushfstring(L, "%s/%s", rt->dir, name);
	/* A symbolic link may point out of the folder: judge where it ends.
	 * A file that does not exist is left to the loader to report. */
	char *real = realpath(path, NULL);
	if (real == NULL)
		return path;
	char *dir = realpath(rt->dir, NULL);
	size_t n = dir ? strlen(dir) : 0;
	bool inside = dir && strncmp(real, dir, n) == 0 &&
	              (real[n] == '/' || (n == 1 && dir[0] == '/'));
	free(real);
	free(dir);
	if (!inside)
		luaL_error(L, "%s: '%s' leads outside the scenario folder "
		           "(a symbolic link)", fn, name);
	return path;
}

static void
load_text(lua_State *L, const char *path, const char *fn)
{
	note_source(L, path);
	if (luaL_loadfilex(L, path, "t") == LUA_OK)
		return;
	const char *msg = lua_tostring(L, -1);
	/* Lua's "attempt to load a binary chunk" names no file. */
	if (strstr(msg, path) == NULL)
		luaL_error(L, "%s: %s: %s", fn, path, msg);
	luaL_error(L, "%s: %s", fn, msg);
}

static int
l_dofile(lua_State *L)
{
	struct lrt *rt = lrt_get(L);
	lua_settop(L, 1);	/* the result count below relies on it */
	const char *path = scenario_path(L, rt, luaL_checkstring(L, 1), "dofile");
	load_text(L, path, "dofile");
	lua_call(L, 0, LUA_MULTRET);
	return lua_gettop(L) - 2;
}

static int
l_require(lua_State *L)
{
	struct lrt *rt = lrt_get(L);
	const char *mod = luaL_checkstring(L, 1);
	lua_settop(L, 1);
	/* Judge the name as written: once dots become slashes, "../x" would
	 * be reported as "///x.lua". */
	if (mod[0] == '.' || mod[0] == '/' || strstr(mod, "..") != NULL)
		return luaL_error(L, "require: '%s' is outside the scenario folder",
		                  mod);
	lua_rawgetp(L, LUA_REGISTRYINDEX, &loaded_key);
	if (lua_getfield(L, -1, mod) != LUA_TNIL)
		return 1;
	lua_pop(L, 1);
	luaL_Buffer b;
	luaL_buffinit(L, &b);
	for (const char *p = mod; *p; p++)
		luaL_addchar(&b, *p == '.' ? '/' : *p);
	luaL_addstring(&b, ".lua");
	luaL_pushresult(&b);
	const char *path = scenario_path(L, rt, lua_tostring(L, -1), "require");
	load_text(L, path, "require");
	lua_pushstring(L, mod);
	lua_call(L, 1, 1);
	if (lua_isnil(L, -1)) {
		lua_pop(L, 1);
		lua_pushboolean(L, 1);
	}
	lua_pushvalue(L, -1);
	lua_setfield(L, -5, mod);	/* the cache table, below the two paths */
	return 1;
}

static int
l_randomseed(lua_State *L)
{
	luaL_checkinteger(L, 1);
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, lua_gettop(L) - 1, 0);
	return 0;
}

/* An error outside any protected call (it cannot come from scenario code,
 * which always runs under lrt_call): say what it was and stop. */
static int
panic(lua_State *L)
{
	const char *msg = lua_tostring(L, -1);
	struct lrt *rt = lrt_get(L);
	if (rt && msg && strcmp(msg, "not enough memory") == 0)
		fprintf(stderr, "%s: memory limit of %zu bytes exceeded before "
		        "the scenario could run; raise it with --max-memory\n",
		        rt->script, rt->max_mem);
	else
		fprintf(stderr, "synsim: %s\n", msg ? msg : "error outside a call");
	outfile_cleanup();	/* the run's staging folder goes too */
	exit(RUN_ERROR);
}

static void
wrap_base(lua_State *L)
{
	lua_pushboolean(L, 0);
	lua_pushcclosure(L, l_pcall, 1);
	lua_setglobal(L, "pcall");
	lua_pushboolean(L, 1);
	lua_pushcclosure(L, l_pcall, 1);
	lua_setglobal(L, "xpcall");
	lua_getglobal(L, "setmetatable");
	lua_pushcclosure(L, l_setmetatable, 1);
	lua_setglobal(L, "setmetatable");
}

static void
open_sandbox(lua_State *L, uint64_t seed)
{
	static const luaL_Reg libs[] = {
		{ LUA_GNAME, luaopen_base },
		{ LUA_TABLIBNAME, luaopen_table },
		{ LUA_STRLIBNAME, luaopen_string },
		{ LUA_MATHLIBNAME, luaopen_math },
		{ LUA_UTF8LIBNAME, luaopen_utf8 },
		{ "sim", luaopen_sim },
		{ NULL, NULL },
	};
	for (const luaL_Reg *l = libs; l->func; l++) {
		luaL_requiref(L, l->name, l->func, 1);
		lua_pop(L, 1);
	}
	forbid_global(L, "loadfile");
	forbid_global(L, "load");
	lua_pushcfunction(L, l_dofile);
	lua_setglobal(L, "dofile");
	lua_newtable(L);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &loaded_key);
	lua_newtable(L);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &srcs_key);
	lua_pushcfunction(L, l_require);
	lua_setglobal(L, "require");
	forbid_library(L, "os");
	forbid_library(L, "io");
	forbid_library(L, "debug");
	forbid_library(L, "package");

	lua_newtable(L);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &names_key);
	name_all(L);	/* the originals, which the wrappers below call */
	lsim_stable_base(L);
	wrap_base(L);
	lguard_open(L);

	/* print goes to the trace, at simulated time. */
	lua_getglobal(L, "sim");
	lua_getfield(L, -1, "log");
	lua_setglobal(L, "print");
	lua_pop(L, 1);

	/* math.random from the run seed; math.randomseed() needs a seed. */
	struct rng r;
	rng_stream(&r, seed, "lua:math.random");
	lua_getglobal(L, "math");
	lua_getfield(L, -1, "randomseed");
	lua_pushvalue(L, -1);
	lua_pushinteger(L, (lua_Integer)rng_next(&r));
	lua_call(L, 1, 0);
	lua_pushcclosure(L, l_randomseed, 1);
	lua_setfield(L, -2, "randomseed");
	lua_pop(L, 1);
	name_all(L);	/* and the sandbox's own versions */
}

/* ---- parameters --------------------------------------------------------- */

/* Like an unused -D, a -K naming a host the scenario never made is a
 * mistake (a typo would otherwise change nothing in silence). */
static int
check_knobs(struct lrt *rt)
{
	for (int i = 0; i < rt->nknobs; i++) {
		const struct lrt_knob *k = &rt->knobs[i];
		if (k->used)
			continue;
		if (k->host)
			fprintf(stderr, "%s: -K %s.%s: the scenario has no host named "
			        "'%s'\n", rt->script, k->host, k->name, k->host);
		else
			fprintf(stderr, "%s: -K %s: the scenario has no host\n",
			        rt->script, k->name);
		return -1;
	}
	return 0;
}

/* Every -D must have been read by sim.param.  where: the "file:line:" of
 * the sim.run/net:run that starts the simulation, or NULL at the end of
 * the scenario's main chunk. */
static int
check_params(struct lrt *rt, const char *where)
{
	for (int i = 0; i < rt->nparams; i++) {
		if (rt->params[i].used)
			continue;
		char **names = malloc(sizeof *names * (size_t)(rt->nknown + 1));
		if (names == NULL)
			return -1;
		/* known is NULL when the scenario read no parameter, and
		 * memcpy/qsort must not see NULL even for zero elements. */
		if (rt->nknown > 0) {
			memcpy(names, rt->known, sizeof *names * (size_t)rt->nknown);
			qsort(names, (size_t)rt->nknown, sizeof *names, cmp_str);
		}
		if (where)
			fprintf(stderr, "%sunknown parameter -D %s (known: ", where,
			        rt->params[i].name);
		else
			fprintf(stderr, "%s: unknown parameter -D %s (known: ",
			        rt->script, rt->params[i].name);
		for (int k = 0; k < rt->nknown; k++)
			fprintf(stderr, "%s%s", k ? ", " : "", names[k]);
		fprintf(stderr, "%s%s)\n", rt->nknown ? "" : "none",
		        where ? "; the simulation starts here, so only "
		                "parameters read above this line count" : "");
		free(names);
		return -1;
	}
	return 0;
}

/* ---- scheduling Lua callbacks ------------------------------------------- */

static void
timer_fire(struct sched *s, struct sim_event *ev)
{
	(void)s;
	struct lrt_timer *t = container_of(ev, struct lrt_timer, ev);
	struct lrt *rt = t->rt;
	if (t->prev)
		t->prev->next = t->next;
	else
		rt->timers = t->next;
	if (t->next)
		t->next->prev = t->prev;
	lua_rawgeti(rt->L, LUA_REGISTRYINDEX, t->ref);
	luaL_unref(rt->L, LUA_REGISTRYINDEX, t->ref);
	/* Kept for the next sim.at: a periodic Lua timer (one that
	 * schedules itself again) allocates nothing after its first tick. */
	t->next = rt->spare;
	rt->spare = t;
	lrt_call(rt, 0);
}

/* sim.at(t, fn) and sim.after(d, fn). */
int
lrt_schedule(lua_State *L, simtime at)
{
	struct lrt *rt = lrt_get(L);
	luaL_checktype(L, 2, LUA_TFUNCTION);
	if (at < rt->sim->sched.now)
		return luaL_error(L, "cannot schedule at %I ns: now is %I ns",
		                  (lua_Integer)at,
		                  (lua_Integer)rt->sim->sched.now);
	struct lrt_timer *t = rt->spare;
	if (t)
		rt->spare = t->next;
	else if ((t = malloc(sizeof *t)) == NULL)
		return luaL_error(L, "out of memory");
	sched_event_init(&t->ev, timer_fire);
	if (sched_at(&rt->sim->sched, &t->ev, at) < 0) {
		free(t);
		return luaL_error(L, "out of memory");
	}
	lua_pushvalue(L, 2);
	t->ref = luaL_ref(L, LUA_REGISTRYINDEX);
	t->rt = rt;
	t->prev = NULL;
	t->next = rt->timers;
	if (rt->timers)
		rt->timers->prev = t;
	rt->timers = t;
	return 0;
}

/* --max-events counts over the whole run, however many times the
 * scenario runs the scheduler; once it is reached, the world stands still:
 * later runs do nothing and the clock stays where the last event was. */
static bool
cut(const struct lrt *rt)
{
	return rt->max_events && rt->sim->sched.fired >= rt->max_events;
}

/* where: "file:line: " of the net:run that runs the scheduler, or NULL
 * when it runs after the scenario's main chunk. */
static void
run_until(struct lrt *rt, simtime until, const char *where)
{
	if (until > rt->until)
		until = rt->until;
	rt->ran = true;
	if (cut(rt))
		return;
	uint64_t left = rt->max_events ? rt->max_events - rt->sim->sched.fired : 0;
	enum sched_stop why = SCHED_STOPPED;
	if (!(rt->sim->net && (rt->sim->net->pkts_over ||
	                       rt->sim->net->routes_over))) {
		rt->running = true;
		why = sched_run(&rt->sim->sched, until, left);
		rt->running = false;
	}
	if (why == SCHED_MAX_EVENTS)
		fprintf(stderr, "%s: stopped after --max-events %" PRIu64 " events\n",
		        rt->script, rt->max_events);
	const char *what = NULL;
	char buf[200];
	if (why == SCHED_INSTANT) {
		char t[40];
		simtime_format(rt->sim->sched.now, t, sizeof t);
		snprintf(buf, sizeof buf, "more than %" PRIu64 " events at the "
		         "one instant %s (an event storm?); raise the bound with "
		         "--max-instant-events", rt->max_instant, t);
		what = buf;
	} else if (rt->sim->net && rt->sim->net->routes_over) {
		snprintf(buf, sizeof buf, "routes for %d nodes would take more "
		         "than %llu MiB (a table per node of a route per node); "
		         "build a smaller network", rt->sim->net->nnodes,
		         (unsigned long long)(NET_ROUTES_MAX >> 20));
		what = buf;
	} else if (rt->sim->net && rt->sim->net->pkts_over) {
		snprintf(buf, sizeof buf, "more than %" PRIu64 " packets in "
		         "flight at once (a flood with no end?); raise the bound "
		         "with --max-packets", rt->max_packets);
		what = buf;
	}
	if (what) {
		fprintf(stderr, "%s%s\n", where ? where : rt->script, what);
		rt->status = RUN_ERROR;
	}
}

void
lrt_run_sched(struct lrt *rt, lua_State *L, simtime until)
{
	if (rt->running)
		luaL_error(L, "the simulation is already running "
		           "(run cannot be called from a callback)");
	if (check_params(rt, lrt_where(L)) < 0 || check_knobs(rt) < 0) {
		rt->status = RUN_ERROR;
		rt->run_failed = true;
		lua_pushlightuserdata(L, &abort_key);
		lua_error(L);
	}
	run_until(rt, until, lrt_where(L));
	/* The scenario asked for time to pass up to until: so it has, even
	 * if the queue ran dry earlier. */
	if (until < rt->until && rt->sim->sched.now < until &&
	    rt->status != RUN_ERROR && !cut(rt))
		rt->sim->sched.now = until;
	if (rt->status == RUN_ERROR) {
		rt->run_failed = true;
		lua_pushlightuserdata(L, &abort_key);
		lua_error(L);
	}
}

/* ---- life cycle --------------------------------------------------------- */

int
lrt_open(struct lrt *rt, struct sim *sim, const char *script, char **params,
         int nparams)
{
	*rt = (struct lrt){ 0 };
	rt->sim = sim;
	rt->until = SIMTIME_MAX;
	rt->script = strdup(script);
	const char *slash = strrchr(script, '/');
	rt->dir = slash ? strndup(script, (size_t)(slash - script)) : strdup(".");
	rt->params = calloc((size_t)nparams + 1, sizeof *rt->params);
	if (!rt->script || !rt->dir || !rt->params)
		return -1;
	for (int i = 0; i < nparams; i++) {
		const char *eq = strchr(params[i], '=');
		if (eq == NULL || eq == params[i]) {
			fprintf(stderr, "synsim: -D %s: expected name=value\n", params[i]);
			return -1;
		}
		for (int j = 0; j < rt->nparams; j++)
			if (strncmp(rt->params[j].name, params[i],
			            (size_t)(eq - params[i])) == 0 &&
			    rt->params[j].name[eq - params[i]] == '\0') {
				fprintf(stderr, "synsim: -D %.*s given twice\n",
				        (int)(eq - params[i]), params[i]);
				return -1;
			}
		rt->params[rt->nparams].name = strndup(params[i],
		                                       (size_t)(eq - params[i]));
		rt->params[rt->nparams].value = strdup(eq + 1);
		rt->nparams++;
	}
	lrt_set_limits(rt, 0, 0, 0, 0);
	rt->L = lua_newstate(lrt_alloc, rt);
	if (rt->L == NULL)
		return -1;
	lua_atpanic(rt->L, panic);
	memcpy(lua_getextraspace(rt->L), &rt, sizeof rt);
	open_sandbox(rt->L, sim->seed);
	lua_sethook(rt->L, budget_hook, LUA_MASKCOUNT, rt->hook_step);
	return 0;
}

void
lrt_close(struct lrt *rt)
{
	while (rt->timers) {
		struct lrt_timer *t = rt->timers;
		rt->timers = t->next;
		sched_cancel(&rt->sim->sched, &t->ev);
		free(t);
	}
	while (rt->spare) {
		struct lrt_timer *t = rt->spare;
		rt->spare = t->next;
		free(t);
	}
	ltrace_close(rt);
	if (rt->L)
		lua_close(rt->L);
	pool_free_all(rt);
	for (int i = 0; i < rt->nparams; i++) {
		free(rt->params[i].name);
		free(rt->params[i].value);
	}
	for (int i = 0; i < rt->nanswers; i++) {
		free(rt->answers[i].id);
		free(rt->answers[i].value);
	}
	free(rt->answers);
	for (int i = 0; i < rt->nknobs; i++) {
		free(rt->knobs[i].host);
		free(rt->knobs[i].name);
		free(rt->knobs[i].value);
	}
	free(rt->knobs);
	for (int i = 0; i < rt->nknown; i++)
		free(rt->known[i]);
	free(rt->known);
	free(rt->params);
	free(rt->conn_free);
	free(rt->script);
	free(rt->dir);
	*rt = (struct lrt){ 0 };
}

int
lrt_set_knobs(struct lrt *rt, char **knobs, int n)
{
	rt->knobs = calloc((size_t)n + 1, sizeof *rt->knobs);
	if (rt->knobs == NULL)
		return -1;
	for (int i = 0; i < n; i++) {
		const char *a = knobs[i], *eq = strchr(a, '=');
		if (eq == NULL || eq == a) {
			fprintf(stderr, "synsim: -K %s: expected host.knob=value or "
			        "knob=value\n", a);
			return -1;
		}
		const char *dot = memchr(a, '.', (size_t)(eq - a));
		struct lrt_knob *k = &rt->knobs[rt->nknobs++];
		k->host = dot ? strndup(a, (size_t)(dot - a)) : NULL;
		k->name = dot ? strndup(dot + 1, (size_t)(eq - dot - 1))
		              : strndup(a, (size_t)(eq - a));
		k->value = strdup(eq + 1);
		if (k->name == NULL || k->value == NULL || (dot && !k->host))
			return -1;
		if (tcp_knob_find(k->name) == NULL) {
			fprintf(stderr, "synsim: -K %s: unknown knob '%s' (known:", a,
			        k->name);
			for (const struct tcp_knob *t = tcp_knobs; t->name; t++)
				fprintf(stderr, "%s %s", t == tcp_knobs ? "" : ",",
				        t->name);
			fputs(")\n", stderr);
			return -1;
		}
		for (int j = 0; j + 1 < rt->nknobs; j++)
			if (strcmp(rt->knobs[j].name, k->name) == 0 &&
			    (rt->knobs[j].host == NULL) == (k->host == NULL) &&
			    (k->host == NULL || strcmp(rt->knobs[j].host, k->host) == 0)) {
				fprintf(stderr, "synsim: -K %.*s given twice\n",
				        (int)(eq - a), a);
				return -1;
			}
	}
	return 0;
}

int
lrt_run(struct lrt *rt)
{
	lua_State *L = rt->L;
	note_source(L, rt->script);
	if (luaL_loadfilex(L, rt->script, "t") != LUA_OK) {
		const char *msg = push_expanded(L, lua_tostring(L, -1));
		/* Syntax errors and "cannot open" name the file; a refused
		 * binary chunk does not. */
		if (strstr(msg, rt->script) == NULL)
			fprintf(stderr, "%s: ", rt->script);
		else if (strncmp(msg, "cannot open", 11) == 0)
			fputs("synsim: ", stderr);
		fprintf(stderr, "%s\n", msg);
		lua_pop(L, 2);
		return rt->status = RUN_ERROR;
	}
	if (lrt_call(rt, 0) < 0) {
		/* An error in the lines after net:run() (a check that reads a
		 * connection that never came): the run itself is whole, so
		 * its trace is worth keeping; the exit status still says the
		 * scenario failed. */
		rt->after_run_error = rt->ran && !rt->run_failed;
		return rt->status;
	}
	if (check_params(rt, NULL) < 0 || check_knobs(rt) < 0)
		return rt->status = RUN_ERROR;
	if (!rt->ran)
		run_until(rt, rt->until, NULL);
	/* The questions are answered by the finished run. */
	if (rt->status != RUN_ERROR)
		lquestion_grade(rt);
	return rt->status;
}
