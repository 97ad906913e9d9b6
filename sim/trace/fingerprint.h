/*
 * fingerprint.h - a run's fingerprint: a 64-bit hash (FNV-1a's step on
 * whole words) over every trace event, field by field.  Two runs with the same fingerprint did the
 * same things at the same times; `synsim diff` finds where two differ.
 */
#ifndef SYNSIM_FINGERPRINT_H
#define SYNSIM_FINGERPRINT_H

#include <stdint.h>

#include "trace.h"

#define FINGERPRINT_NAMES 64

struct fingerprint {
	uint64_t hash;
	uint64_t events;
	/* The lean fingerprint's digests of node and link names, found by
	 * the name's address: those names live as long as the run, and a
	 * digest depends on the bytes alone, so the cache cannot change a
	 * hash, only spare hashing the same names again and again. */
	struct {
		const char *name;
		uint64_t digest;
	} names[FINGERPRINT_NAMES];
};

void fingerprint_init(struct fingerprint *f);
void fingerprint_event(void *ctx, const struct trace_event *ev);
/* The lean fingerprint of a run that writes only summary.json: the
 * kinds in FINGERPRINT_LEAN_MASK, without the words that describe them
 * (fingerprint.c says exactly what goes in). */
void fingerprint_lean_event(void *ctx, const struct trace_event *ev);
#define FINGERPRINT_LEAN_MASK \
	(TRACE_MASK(TR_LOG) | TRACE_MASK(TR_METRIC) | TRACE_MASK(TR_PKT) | \
	 TRACE_MASK(TR_STATE))

#endif
