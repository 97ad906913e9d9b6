/*
 * pktwrite.h - a run's connection as a packetdrill script, from one
 * host's view (synsim run --pkt HOST): the peer's segments as `<` lines
 * at the times they reached the host, the host's as `>` lines at the
 * times it sent them, and the application's calls and results as system
 * calls, so a synsim scenario can be replayed against a real kernel, or
 * against synsim again with `synsim pkt`.
 *
 * The connection is the host's first; the script follows its 4-tuple
 * (later segments on it too, as a reset after CLOSED) until another
 * connection of the host takes the same tuple.  A trace sink: run.c
 * subscribes it to TR_PKT, TR_STATE and TR_APP.
 */
#ifndef SYNSIM_PKTWRITE_H
#define SYNSIM_PKTWRITE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "../core/simtime.h"
#include "../net/pkt.h"
#include "../trace/trace.h"

struct pkw_item;

struct pktwriter {
	const char *host;	/* node name */
	const struct tcp_conn *conn;	/* its first connection, once seen */
	bool passive;
	uint32_t laddr, raddr;
	uint16_t lport, rport;
	int backlog;		/* of the listener of a passive open */
	char profile[24];	/* the host's profile and the knobs it */
	char sysctls[512];	/* changes that have a sysctl, as lines */
	struct pkw_item *items;
	int nitems, cap;
	/* the segment being received when the connection appeared: the
	 * SYN of a passive open is traced before its state change */
	bool have_last;
	simtime last_t;
	struct pkt last;
	bool fd_closed;		/* the application closed its socket */
	bool stopped;		/* another connection took the tuple */
	bool oom;
};

/* trace_fn */
void pkw_event(void *ctx, const struct trace_event *ev);
/* Write the script to f, origin (the reproduce line) and the run's seed
 * in its header; 0, or -1 when the host had no connection (nothing
 * written) or memory ran out. */
int pkw_write(const struct pktwriter *w, FILE *f, const char *origin,
              uint64_t seed);
void pkw_free(struct pktwriter *w);

#endif
