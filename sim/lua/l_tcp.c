/*
 * l_tcp.c - the socket API for scenarios (placeholder opener until the
 * bindings land).
 */
#include <lua.h>

#include "lnet.h"

void
ltcp_open(lua_State *L)
{
	(void)L;
}

void
ltcp_close(lua_State *L)
{
	(void)L;
}
