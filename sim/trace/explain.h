/*
 * explain.h - explain.csv: what `--explain --timers` narrates, as rows a
 * program can read (the page of `synsim view` does): the rule each
 * arrival at a TCP host followed, and every connection timer set, fired
 * or cancelled, with the connection's RTO at that moment.
 *
 *   t_ns,host,conn,event,timer,deadline_ns,rto_ns,rule,event_no
 *
 * event is `arrival`, `timer-set`, `timer-fire` or `timer-cancel`.  An
 * arrival's event_no is the one of its `recv` row in packets.csv (conn
 * is empty: the rule may be a listener's); a timer's is the event_no of
 * the last packets.csv or states.csv row before it (0: none), so merging
 * by event_no puts it after the event that caused it.  The sink counts
 * packet and state events itself, as the CSV sink numbers its rows, so
 * it needs no other output.
 */
#ifndef SYNSIM_EXPLAIN_H
#define SYNSIM_EXPLAIN_H

#include <stdint.h>
#include <stdio.h>

#include "trace.h"

struct explainsink {
	FILE *f;
	uint64_t events;	/* packet and state events so far: event_no */
};

void explain_header(struct explainsink *e);
/* Subscribe to TR_PKT, TR_STATE and TR_TIMER; the trace's `rules` must
 * be on for arrivals to carry their rule. */
void explain_event(void *ctx, const struct trace_event *ev);

#endif
