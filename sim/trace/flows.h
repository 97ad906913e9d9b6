/*
 * flows.h - relative sequence numbers, as Wireshark shows them: each
 * direction of a connection counts from the sequence number of the first
 * SYN seen in it.  Shared by the sinks that print sequence numbers.
 */
#ifndef SYNSIM_FLOWS_H
#define SYNSIM_FLOWS_H

#include <stdbool.h>
#include <stdint.h>

#include "../net/pkt.h"

/* 16 bytes a slot and a bit in a map for "in use": a storm of a million
 * connections has two million directions here. */
struct flows {
	struct flow {
		uint32_t src, dst;
		uint16_t sport, dport;
		uint32_t isn;
	} *slots;
	uint64_t *inuse;	/* bit i: slot i holds a direction */
	uint32_t size, used;
};

/* Note p's SYN (if any) as the base of its direction. */
void flows_see(struct flows *f, const struct pkt *p);
/* Note isn as the base of the direction src:sport -> dst:dport. */
void flows_set(struct flows *f, uint32_t src, uint16_t sport, uint32_t dst,
               uint16_t dport, uint32_t isn);
/* Relative seq and ack of p; false for either when its base is unknown
 * (the absolute number is then stored). */
void flows_rel(const struct flows *f, const struct pkt *p, uint32_t *seq,
               uint32_t *ack, bool *seq_ok, bool *ack_ok);
void flows_free(struct flows *f);

#endif
