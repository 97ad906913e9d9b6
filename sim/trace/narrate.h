/*
 * narrate.h - the narration sink: one plain-words line per trace event,
 * written to trace.txt and, unless quiet, echoed to stdout.
 *
 *   0.050000s  server         LISTEN → SYN-RECEIVED (#1: SYN received)
 *   0.050000s  client-server  drops SYN+ACK server→client: rule #1: 1st SYN+ACK from server
 *   1.000000s  client         sends SYN seq 0 to server:80: retransmission (RTO 1s expired, attempt 2 of 7)
 */
#ifndef SYNSIM_NARRATE_H
#define SYNSIM_NARRATE_H

#include <stdbool.h>
#include <stdio.h>

#include "../core/sim.h"
#include "trace.h"

struct narrate {
	FILE *out;		/* trace.txt, or NULL */
	FILE *echo;		/* stdout, or NULL */
	const struct sim *sim;	/* for node names */
	bool explain;		/* name the rule behind each decision */
	bool absolute;		/* absolute sequence numbers */
	bool timers;		/* also timers set and cancelled */
	int width;		/* of the name column, once known */
};

/* trace_fn: format ev and write it to both streams. */
void narrate_event(void *ctx, const struct trace_event *ev);
/* Write a line as is (headers) to both streams. */
void narrate_line(struct narrate *n, const char *text);

/* "SYN+ACK seq 0 ack 1 win 65535 <mss 1460,sack,ts,wscale 7>" into buf
 * for packet event ev: seq and ack relative (where the event knows the
 * bases) unless absolute. */
void narrate_pkt(const struct trace_event *ev, bool absolute, char *buf,
                 size_t len);

#endif
