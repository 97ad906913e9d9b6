/*
 * tcp_fixture.h - a two-host world for TCP tests: client and server on
 * one link with a fixed one-way delay, every trace event recorded so a
 * test can assert exact timelines.  Relative sequence numbers come from
 * fixed ISNs: the client's ISN is 1000 unless a test says otherwise.
 */
#ifndef SYNSIM_TCP_FIXTURE_H
#define SYNSIM_TCP_FIXTURE_H

#include <stdbool.h>

#include "core/sim.h"
#include "net/link.h"
#include "net/net.h"
#include "tcp/tcp.h"

#define FX_MAX 512

struct fx_pkt {
	simtime t;
	enum trace_pkt_op op;
	char node[16];
	uint8_t flags;
	uint32_t seq, ack, len;
	uint16_t wnd;		/* the window field as sent */
	int wscale;		/* the window scale offered, or -1 */
	uint16_t sport, dport;
	uint64_t id;
	char reason[128];	/* why it was dropped or sent, "" if none */
	int nsack;		/* SACK blocks carried (absolute edges) */
	uint32_t sack[PKT_SACK_MAX][2];
};

struct fx_state {
	simtime t;
	char node[16];
	int conn;
	int from, to;
	char cause[96];
};

struct fx_app {
	simtime t;
	char node[16];
	int conn;
	char what[16];		/* connected, accepted, data, eof, closed */
	int err;
	uint32_t n;
};

struct fx {
	struct sim sim;
	struct net *net;
	struct node *client, *server;
	struct link *link;
	struct tcp_listener *listener;
	struct fx_pkt pkts[FX_MAX];
	int npkts;
	struct fx_state states[FX_MAX];
	int nstates;
	struct fx_app apps[FX_MAX];
	int napps;
	/* drop rules for tests: drop the nth (1-based) packet sent by a
	 * node with exactly these flags */
	struct {
		const struct node *from;
		uint8_t flags;
		int nth, seen;
		bool any_len;	/* match regardless of payload */
	} drops[8];
	int ndrops;
	/* what the application does */
	bool server_close_on_eof;
	bool client_close_on_eof;
	uint64_t echo_on_accept;	/* server sends this many bytes */
	uint64_t client_send;	/* client sends this many bytes when connected */
	bool client_close;	/* ... and then closes */
};

extern struct fx *fx;

/* Build the world with the named profile on both hosts and a one-way
 * delay; the server listens on port 80. */
void fx_setup(const char *profile, simtime delay);
void fx_teardown(void);
/* Checked fixtures for a TCase: the world with that profile and 50 ms
 * each way; fx_teardown_checked also asserts no packet leaked. */
void fx_setup_linux(void);
void fx_setup_linux_618(void);
void fx_setup_rfc(void);
/* linux with timer_wheel off on both hosts: timers on the nanosecond. */
void fx_setup_linux_exact(void);
void fx_teardown_checked(void);
/* Drop the nth (0: every) packet sent by from whose flags equal flags;
 * every rule counts every matching packet. */
void fx_drop(const struct node *from, uint8_t flags, int nth);
/* Connect now (ISN fixed at isn) and return the client connection. */
struct tcp_conn *fx_connect(uint32_t isn);
void fx_run(simtime until);

/* When a timer of node's host set at `at` for `after` fires on its
 * wheel: the rule of check_tcp_timer.c with the host's own counter, so a
 * test can state an expiry as a relation. */
simtime fx_wheel(const struct node *n, simtime at, simtime after);

/* Index of the kth (0-based) packet event with op at node, or -1. */
int fx_find_pkt(enum trace_pkt_op op, const char *node, int k);
/* Number of packet events with op at node whose flags equal flags. */
int fx_count(enum trace_pkt_op op, const char *node, uint8_t flags);
/* Time of the first state change of (node, conn id) into state to, or -1. */
simtime fx_state_time(const char *node, int conn, int to);
/* The cause of the first state change of (node, conn id) into to, or
 * NULL. */
const char *fx_state_cause(const char *node, int conn, int to);
/* "CLOSED>SYN-SENT>ESTABLISHED>..." for (node, conn). */
const char *fx_state_path(const char *node, int conn);
/* "0:SYN 50:SYN+ACK ..." in ms, for packets with op at node. */
const char *fx_pkt_line(enum trace_pkt_op op, const char *node);

#endif
