/*
 * narrate.h - the narration sink: one plain-words line per trace event,
 * written to trace.txt and, unless quiet, echoed to stdout.
 */
#ifndef SYNSIM_NARRATE_H
#define SYNSIM_NARRATE_H

#include <stdio.h>

#include "trace.h"

struct narrate {
	FILE *out;		/* trace.txt, or NULL */
	FILE *echo;		/* stdout, or NULL */
};

/* trace_fn: format ev and write it to both streams. */
void narrate_event(void *ctx, const struct trace_event *ev);

#endif
