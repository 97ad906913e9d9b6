/*
 * lnet.h - Lua handles for the network: the Net, Node (host or router)
 * and Link userdata, shared by the bindings in l_net.c, l_link.c and
 * l_tcp.c.
 *
 * C owns the world; a userdata holds only a pointer.  Each node and link
 * has one canonical userdata (kept in a registry table by id), so the
 * same object always compares equal in Lua.
 */
#ifndef SYNSIM_LNET_H
#define SYNSIM_LNET_H

#include <lua.h>

#include "../net/link.h"
#include "../net/net.h"
#include "../tcp/tcp.h"

#define LNET_NET "synsim.Net"
#define LNET_NODE "synsim.Node"
#define LNET_LINK "synsim.Link"
#define LNET_CONN "synsim.Conn"

struct net *lnet_checknet(lua_State *L, int idx);
struct node *lnet_checknode(lua_State *L, int idx);
/* A node that is a host (has TCP); error naming arg otherwise. */
struct node *lnet_checkhost(lua_State *L, int idx);
struct link *lnet_checklink(lua_State *L, int idx);
/* The world's network; error if the scenario has not made one. */
struct net *lnet_get(lua_State *L);

void lnet_pushnode(lua_State *L, struct node *n);
void lnet_pushlink(lua_State *L, struct link *l);

/* Method tables (the __index of each metatable), for other binding files
 * to add methods to: pushes the table. */
void lnet_methods(lua_State *L, const char *tname);

/* Read link options from the table at idx into p; used by net:link and
 * link:set.  Keys are checked against llink_keys unless dirkeys (the
 * caller checks them, allowing "a->b" keys too). */
void llink_params(lua_State *L, int idx, struct link_params *p,
                  const char *what, bool dirkeys, uint32_t *mask);
extern const char *const llink_keys[];	/* NULL-terminated */
/* Error unless p, a direction's whole parameters, make sense together
 * (hold needs hold_by). */
void llink_check_params(lua_State *L, const struct link_params *p,
                        const char *what);
/* Register the Link methods (drop, down, up, set, ...). */
void llink_open(lua_State *L);
/* Register the host TCP methods (listen, connect, conn, ...) and the Conn
 * type. */
void ltcp_open(lua_State *L);
/* Route a new host's TCP events to the scenario's callbacks. */
void ltcp_attach(lua_State *L, struct node *n);
/* Add net:on, the trace hooks (l_trace.c). */
void ltrace_open(lua_State *L);
/* The network is being freed: drop references into it. */
void ltcp_close(lua_State *L);

/* Create the Net, Node and Link types (called by luaopen_sim). */
void lnet_open(lua_State *L);

/* sim.network: registered into the sim table by luaopen_sim. */
int lnet_network(lua_State *L);

#endif
