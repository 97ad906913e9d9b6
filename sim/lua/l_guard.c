/*
 * l_guard.c - the string and table functions whose loops run in C, out
 * of sight of the instruction budget's count hook, each counted against
 * the budget before it starts.
 *
 * A pattern is judged before it runs: Lua's matcher backtracks, so
 * "a*a*a*...b" on a string of a's takes time to the power of its
 * repetitions.  The worst case is estimated from the pattern's shape and
 * the subject's length; a pattern whose worst case does not fit in what
 * is left of the budget is refused with its cost, never started.  The
 * loops of string.rep and table.insert/remove/move/concat are as long as
 * their arguments (or a __len) say: that length is charged first.
 *
 * Called by open_sandbox (runtime.c) once the libraries are open.
 */
#include <lauxlib.h>
#include <lua.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "runtime.h"

/* Saturating product: costs only need to be compared with the budget. */
static uint64_t
mul_sat(uint64_t a, uint64_t b)
{
	if (a != 0 && b > UINT64_MAX / a)
		return UINT64_MAX;
	return a * b;
}

/* Skip one single-character class at p (".", "x", "%a", "[...]"); the
 * pattern's end if it is malformed, which the matcher then reports. */
static const char *
class_end(const char *p, const char *end)
{
	if (*p == '%')
		return p + 2 <= end ? p + 2 : end;
	if (*p != '[')
		return p + 1;
	p++;
	if (p < end && *p == '^')
		p++;
	do {	/* the first ']' belongs to the set */
		if (p >= end)
			return end;
		if (*p++ == '%' && p < end)
			p++;
	} while (p < end && *p != ']');
	return p < end ? p + 1 : end;
}

/*
 * Worst-case steps of matching pattern p against a subject of n bytes:
 * each start tried (one when anchored), times n + 1 for every item that
 * repeats (*, +, -) or scans (%b), times 2 for every optional one (?).
 * The shape of Lua's matcher (lstrlib.c, match()) bounds it so.
 */
static uint64_t
pattern_cost(const char *p, size_t plen, size_t n)
{
	const char *end = p + plen;
	uint64_t cost = 1;
	if (p < end && *p == '^')
		p++;
	else
		cost = n + 1;
	while (p < end) {
		if (*p == '(' || *p == ')' || (*p == '$' && p + 1 == end)) {
			p++;
			continue;
		}
		if (*p == '%' && p + 1 < end && p[1] == 'b') {
			p = p + 4 <= end ? p + 4 : end;
			cost = mul_sat(cost, n + 1);
			continue;
		}
		if (*p == '%' && p + 1 < end && p[1] == 'f') {
			p += 2;
			if (p < end)
				p = class_end(p, end);
			continue;
		}
		if (*p == '%' && p + 1 < end && p[1] >= '0' && p[1] <= '9') {
			p += 2;	/* a back reference compares up to n bytes */
			cost = mul_sat(cost, n + 1);
			continue;
		}
		p = class_end(p, end);
		if (p < end && (*p == '*' || *p == '+' || *p == '-')) {
			cost = mul_sat(cost, n + 1);
			p++;
		} else if (p < end && *p == '?') {
			cost = mul_sat(cost, 2);
			p++;
		}
	}
	return cost;
}

/* The original function is upvalue 1, its name upvalue 2. */
static int
call_original(lua_State *L)
{
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
	return lua_gettop(L);
}

/* string.find, match, gmatch, gsub: s, pattern, ... */
static int
guard_pattern(lua_State *L)
{
	const char *fn = lua_tostring(L, lua_upvalueindex(2));
	size_t n, plen;
	luaL_checklstring(L, 1, &n);
	const char *p = luaL_checklstring(L, 2, &plen);
	bool plain = strcmp(fn, "string.find") == 0 && lua_toboolean(L, 4);
	uint64_t cost = plain ? n + 1 : pattern_cost(p, plen, n);
	if (cost > lrt_budget_left(L)) {
		char shown[48];
		snprintf(shown, sizeof shown, "%.*s%s", plen > 40 ? 40 : (int)plen,
		         p, plen > 40 ? "..." : "");
		if (cost == UINT64_MAX)
			return luaL_error(L, "%s: pattern \"%s\" could backtrack "
			                  "beyond 1.8e19 steps on a subject of %I "
			                  "bytes: refused (fewer repetitions such as "
			                  "* + - in it, or a shorter subject)", fn,
			                  shown, (lua_Integer)n);
		return luaL_error(L, "%s: pattern \"%s\" could backtrack %I steps "
		                  "on a subject of %I bytes, more than the "
		                  "instruction budget has left: refused (fewer "
		                  "repetitions such as * + - in it, a shorter "
		                  "subject, or --max-instructions)", fn, shown,
		                  (lua_Integer)cost, (lua_Integer)n);
	}
	lrt_charge(L, n + 1);
	return call_original(L);
}

/* string.rep(s, n [, sep]): n rounds even when s and sep are empty. */
static int
guard_rep(lua_State *L)
{
	lua_Integer n = luaL_checkinteger(L, 2);
	if (n > 0)
		lrt_charge(L, (uint64_t)n);
	return call_original(L);
}

/* The length Lua's own function will use: #t, through __len. */
static uint64_t
len_of(lua_State *L, int idx)
{
	lua_Integer n = luaL_len(L, idx);
	return n > 0 ? (uint64_t)n : 0;
}

/* table.insert(t, [pos,] v) and table.remove(t [, pos]) shift the
 * elements after pos: up to #t steps. */
static int
guard_shift(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	lrt_charge(L, len_of(L, 1) + 1);
	return call_original(L);
}

/* table.move(a1, f, e, t [, a2]): e - f + 1 steps. */
static int
guard_move(lua_State *L)
{
	lua_Integer f = luaL_checkinteger(L, 2);
	lua_Integer e = luaL_checkinteger(L, 3);
	if (e >= f)
		lrt_charge(L, (uint64_t)e - (uint64_t)f + 1);
	return call_original(L);
}

/* table.concat(t [, sep [, i [, j]]]): j - i + 1 steps. */
static int
guard_concat(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	lua_Integer i = luaL_optinteger(L, 3, 1);
	lua_Integer j = lua_isnoneornil(L, 4) ? (lua_Integer)len_of(L, 1) :
	                luaL_checkinteger(L, 4);
	if (j >= i)
		lrt_charge(L, (uint64_t)j - (uint64_t)i + 1);
	return call_original(L);
}

static void
wrap(lua_State *L, const char *lib, const char *name, lua_CFunction fn)
{
	lua_getglobal(L, lib);
	lua_getfield(L, -1, name);
	lua_pushfstring(L, "%s.%s", lib, name);
	lua_pushcclosure(L, fn, 2);
	lua_setfield(L, -2, name);
	lua_pop(L, 1);
}

void
lguard_open(lua_State *L)
{
	static const char *const patterns[] = { "find", "match", "gmatch",
	                                        "gsub", NULL };
	for (int i = 0; patterns[i]; i++)
		wrap(L, "string", patterns[i], guard_pattern);
	wrap(L, "string", "rep", guard_rep);
	wrap(L, "table", "insert", guard_shift);
	wrap(L, "table", "remove", guard_shift);
	wrap(L, "table", "move", guard_move);
	wrap(L, "table", "concat", guard_concat);
}
