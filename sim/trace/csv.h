/*
 * csv.h - packets.csv, states.csv and queues.csv: one row per packet
 * event, per state change and per change of a listener's queues, times in integer nanoseconds, a header row, columns in a
 * fixed order (README lists them).
 */
#ifndef SYNSIM_CSV_H
#define SYNSIM_CSV_H

#include <stdio.h>

#include "../core/sim.h"
#include "trace.h"

struct csvsink {
	FILE *pkts, *states;
	FILE *queues;		/* queues.csv: listeners' queue lengths */
	const struct sim *sim;
	uint64_t rows;		/* rows written to either file: event_no */
};

void csv_header(struct csvsink *c);
void csv_event(void *ctx, const struct trace_event *ev);

/* Write s as one CSV field, quoted when it needs to be. */
void csv_field(FILE *f, const char *s);

#endif
