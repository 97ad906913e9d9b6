/*
 * l_link.c - link options and the Link methods.
 *
 *   net:link(a, b, { delay = "50ms", rate = "10Mbps", queue = 100,
 *                    mtu = 1500, loss = 0.01 })
 */
#include <lauxlib.h>
#include <lua.h>

#include <stdio.h>
#include <string.h>

#include "lnet.h"
#include "runtime.h"

const char *const llink_keys[] = {
	"delay", "rate", "queue", "queue_bytes", "mtu", "loss", NULL,
};

void
llink_params(lua_State *L, int idx, struct link_params *p, const char *what,
             bool dirkeys)
{
	struct link_params q = *p;
	char label[160];
	idx = lua_absindex(L, idx);
	luaL_checktype(L, idx, LUA_TTABLE);
	if (!dirkeys)
		lrt_checkkeys(L, idx, what, llink_keys);
#define FIELD(name) (snprintf(label, sizeof label, "%s: %s", what, name), \
                     lua_getfield(L, idx, name) != LUA_TNIL)
	if (FIELD("delay"))
		q.delay = lrt_checktime(L, -1, label);
	lua_pop(L, 1);
	if (FIELD("rate"))
		q.rate = lrt_checkrate(L, -1, label);
	lua_pop(L, 1);
	if (FIELD("queue")) {
		lua_Integer n = luaL_checkinteger(L, -1);
		if (n < 1 || n > UINT32_MAX)
			luaL_error(L, "%s: queue must be at least 1 packet (got %I)",
			           label, n);
		q.queue_pkts = (uint32_t)n;
	}
	lua_pop(L, 1);
	if (FIELD("queue_bytes"))
		q.queue_bytes = lrt_checksize(L, -1, label);
	lua_pop(L, 1);
	if (FIELD("mtu")) {
		uint64_t m = lrt_checksize(L, -1, label);
		if (m < 68 || m > 65535)
			luaL_error(L, "%s: MTU must be between 68 and 65535 bytes",
			           label);
		q.mtu = (uint32_t)m;
	}
	lua_pop(L, 1);
	if (FIELD("loss"))
		q.loss = lrt_checkprob(L, -1, label);
	lua_pop(L, 1);
#undef FIELD
	*p = q;
}

void
llink_open(lua_State *L)
{
	(void)L;
}
