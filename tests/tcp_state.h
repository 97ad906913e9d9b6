/*
 * tcp_state.h - a connection put straight into any state, for the tests
 * and the TCP fuzz target (which cannot use libcheck, so this stays
 * apart from tcp_fixture.c).
 */
#ifndef SYNSIM_TCP_STATE_H
#define SYNSIM_TCP_STATE_H

#include "net/net.h"
#include "tcp/tcp.h"

/* A connection record put straight into state st, client to server
 * (passive states on the server, under listener ls).  CLOSED and LISTEN
 * get a record with ESTABLISHED's numbers that is not in the
 * demultiplexing table: it names the 4-tuple and the numbers a peer uses,
 * and segments for it find no connection (LISTEN's on the server's
 * listening port, CLOSED's on the client's port, where nothing listens). */
struct tcp_conn *tcp_conn_in_state(struct node *client, struct node *server,
                                   struct tcp_listener *ls,
                                   enum tcp_state st);

#endif
