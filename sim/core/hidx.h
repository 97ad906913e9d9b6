/*
 * hidx.h - a hash index over a caller's array: finds the element with a
 * given key in O(1) where a scan would make building a large world
 * quadratic (70,000 hosts by name, 100,000 metrics).
 *
 * The index holds element numbers only; the caller owns the elements
 * and says how to hash and compare them.  Linear probing, grown at half
 * full; removal shifts back the entries after it, so no tombstones.
 * Nothing here is iterated, so its order never reaches an output.
 */
#ifndef SYNSIM_HIDX_H
#define SYNSIM_HIDX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hidx {
	int *slot;		/* element number + 1; 0: empty */
	size_t cap;		/* a power of two, or 0 */
	size_t n;
	/* The hash of element i, and whether element i has key. */
	uint64_t (*hash)(const void *ctx, int i);
	bool (*eq)(const void *ctx, int i, const void *key);
	const void *ctx;
};

/* The element with key (whose hash is h), or -1. */
int hidx_find(const struct hidx *x, uint64_t h, const void *key);
/* Index element i (hashed by x->hash); 0 or -1 when out of memory. */
int hidx_add(struct hidx *x, int i);
/* Forget element i (hashed as it was indexed). */
void hidx_remove(struct hidx *x, int i);
void hidx_free(struct hidx *x);

/* FNV-1a 64 of a string, then mixed: a hash for names. */
uint64_t hidx_str(const char *s);
/* A 64-bit mix of an integer key. */
uint64_t hidx_u64(uint64_t v);

#endif
