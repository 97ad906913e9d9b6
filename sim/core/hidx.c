/*
 * hidx.c - hash index over a caller's array (hidx.h).
 */
#include "hidx.h"

#include <stdlib.h>

uint64_t
hidx_u64(uint64_t v)
{
	/* splitmix64's finalizer */
	v ^= v >> 30;
	v *= 0xbf58476d1ce4e5b9u;
	v ^= v >> 27;
	v *= 0x94d049bb133111ebu;
	return v ^ (v >> 31);
}

uint64_t
hidx_str(const char *s)
{
	uint64_t h = 0xcbf29ce484222325u;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3u;
	}
	return hidx_u64(h);
}

int
hidx_find(const struct hidx *x, uint64_t h, const void *key)
{
	if (x->cap == 0)
		return -1;
	size_t mask = x->cap - 1;
	for (size_t k = h & mask; x->slot[k]; k = (k + 1) & mask)
		if (x->eq(x->ctx, x->slot[k] - 1, key))
			return x->slot[k] - 1;
	return -1;
}

static void
put(struct hidx *x, int i)
{
	size_t mask = x->cap - 1;
	size_t k = x->hash(x->ctx, i) & mask;
	while (x->slot[k])
		k = (k + 1) & mask;
	x->slot[k] = i + 1;
}

int
hidx_add(struct hidx *x, int i)
{
	if (2 * (x->n + 1) > x->cap) {
		size_t cap = x->cap ? 2 * x->cap : 64;
		int *old = x->slot;
		size_t ocap = x->cap;
		if ((x->slot = calloc(cap, sizeof *x->slot)) == NULL) {
			x->slot = old;
			return -1;
		}
		x->cap = cap;
		for (size_t k = 0; k < ocap; k++)
			if (old[k])
				put(x, old[k] - 1);
		free(old);
	}
	put(x, i);
	x->n++;
	return 0;
}

void
hidx_remove(struct hidx *x, int i)
{
	if (x->cap == 0)
		return;
	size_t mask = x->cap - 1;
	size_t k = x->hash(x->ctx, i) & mask;
	while (x->slot[k] && x->slot[k] != i + 1)
		k = (k + 1) & mask;
	if (x->slot[k] == 0)
		return;
	x->slot[k] = 0;
	x->n--;
	/* Shift back what follows in the run, so probes still find it
	 * (Knuth 6.4, Algorithm R). */
	for (size_t j = (k + 1) & mask; x->slot[j]; j = (j + 1) & mask) {
		size_t home = x->hash(x->ctx, x->slot[j] - 1) & mask;
		bool between = k <= j ? (k < home && home <= j) :
		                        (k < home || home <= j);
		if (!between) {
			x->slot[k] = x->slot[j];
			x->slot[j] = 0;
			k = j;
		}
	}
}

void
hidx_free(struct hidx *x)
{
	free(x->slot);
	x->slot = NULL;
	x->cap = x->n = 0;
}
