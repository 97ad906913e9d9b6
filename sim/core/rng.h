/*
 * rng.h - named, independent random streams.
 *
 * Every consumer of randomness owns a stream derived from (run seed, name),
 * e.g. "link:client-server:loss" or "host:client:isn": the name is hashed
 * (FNV-1a 64), mixed with the seed, and expanded by splitmix64 into the
 * 256-bit state of a xoshiro256** generator.  Adding a host or a link
 * creates new names and leaves every other stream's draws unchanged.
 */
#ifndef SYNSIM_RNG_H
#define SYNSIM_RNG_H

#include <stdbool.h>
#include <stdint.h>

struct rng {
	uint64_t s[4];
};

uint64_t rng_splitmix64(uint64_t *state);
uint64_t rng_fnv1a64(const void *data, uint64_t len);

/* Stream for (seed, name). */
void rng_stream(struct rng *r, uint64_t seed, const char *name);
/* Set the raw xoshiro256** state (for known-answer tests). */
void rng_set_state(struct rng *r, const uint64_t state[4]);

uint64_t rng_next(struct rng *r);
/* Uniform in [0, n) without modulo bias; n > 0. */
uint64_t rng_below(struct rng *r, uint64_t n);
/* Uniform in [lo, hi], inclusive. */
int64_t rng_range(struct rng *r, int64_t lo, int64_t hi);
/* Uniform double in [0, 1) with 53 random bits. */
double rng_double(struct rng *r);
/* True with probability p (p <= 0: never, p >= 1: always). */
bool rng_bernoulli(struct rng *r, double p);
/* Exponential with the given mean. */
double rng_exponential(struct rng *r, double mean);
/* A normal deviate times sd (>= 0), rounded to a whole number, in integer
 * arithmetic alone: the sum of twelve uniforms less six, whose mean is 0
 * and variance 1 (within +-6 sd).  For times, where floating point and
 * libm's log and cos could round differently on another machine. */
int64_t rng_normal_scaled(struct rng *r, int64_t sd);

#endif
