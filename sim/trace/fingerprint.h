/*
 * fingerprint.h - a run's fingerprint: a 64-bit hash (FNV-1a's step on
 * whole words) over every trace event, field by field.  Two runs with the same fingerprint did the
 * same things at the same times; `synsim diff` finds where two differ.
 */
#ifndef SYNSIM_FINGERPRINT_H
#define SYNSIM_FINGERPRINT_H

#include <stdint.h>

#include "trace.h"

struct fingerprint {
	uint64_t hash;
	uint64_t events;
};

void fingerprint_init(struct fingerprint *f);
void fingerprint_event(void *ctx, const struct trace_event *ev);

#endif
