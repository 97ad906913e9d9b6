/*
 * rng.c - xoshiro256** (Blackman and Vigna) seeded through splitmix64.
 *
 * Draws are turned into decisions with integer-exact steps: bounded
 * integers by Lemire's multiply-and-reject, probabilities by comparing 53
 * random bits against p scaled to 2^53.
 */
#include "rng.h"

#include <math.h>
#include <string.h>

__extension__ typedef unsigned __int128 u128;

static inline uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t
rng_splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

uint64_t
rng_fnv1a64(const void *data, uint64_t len)
{
	const unsigned char *p = data;
	uint64_t h = 0xcbf29ce484222325u;
	for (uint64_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3u;
	}
	return h;
}

void
rng_stream(struct rng *r, uint64_t seed, const char *name)
{
	uint64_t x = seed ^ rng_fnv1a64(name, strlen(name));
	/* Mix once more so that seeds differing in few bits diverge fully. */
	x = rng_splitmix64(&x);
	for (int i = 0; i < 4; i++)
		r->s[i] = rng_splitmix64(&x);
	/* The all-zero state is the one fixed point; splitmix64 cannot yield
	 * four zeros in a row, but say so. */
	if ((r->s[0] | r->s[1] | r->s[2] | r->s[3]) == 0)
		r->s[0] = 1;
}

void
rng_set_state(struct rng *r, const uint64_t state[4])
{
	memcpy(r->s, state, sizeof r->s);
}

uint64_t
rng_next(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

uint64_t
rng_below(struct rng *r, uint64_t n)
{
	u128 m = (u128)rng_next(r) * n;
	uint64_t low = (uint64_t)m;
	if (low < n) {
		uint64_t threshold = (0 - n) % n;
		while (low < threshold) {
			m = (u128)rng_next(r) * n;
			low = (uint64_t)m;
		}
	}
	return (uint64_t)(m >> 64);
}

int64_t
rng_range(struct rng *r, int64_t lo, int64_t hi)
{
	uint64_t span = (uint64_t)hi - (uint64_t)lo;
	if (span == UINT64_MAX)
		return (int64_t)rng_next(r);
	return (int64_t)((uint64_t)lo + rng_below(r, span + 1));
}

double
rng_double(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

bool
rng_bernoulli(struct rng *r, double p)
{
	if (!(p > 0))
		return false;
	if (p >= 1)
		return true;
	/* p * 2^53 is exact for any double in (0,1); compare integers. */
	uint64_t threshold = (uint64_t)ldexp(p, 53);
	return (rng_next(r) >> 11) < threshold;
}

double
rng_exponential(struct rng *r, double mean)
{
	/* 1 - u lies in (0, 1], so the log is finite. */
	return -mean * log(1.0 - rng_double(r));
}

int64_t
rng_normal_scaled(struct rng *r, int64_t sd)
{
	/* Twelve 32-bit uniforms, two per draw: their sum u lies in
	 * [0, 12 * 2^32), and sd * (u / 2^32 - 6) is the deviate
	 * (Irwin-Hall; kurtosis 2.9 against the normal's 3). */
	u128 u = 0;
	for (int i = 0; i < 6; i++) {
		uint64_t v = rng_next(r);
		u += (v >> 32) + (v & 0xffffffffu);
	}
	if (sd <= 0)
		return 0;
	/* Rounded to nearest, halves up, with everything non-negative. */
	u128 scaled = (u * (uint64_t)sd + ((u128)1 << 31)) >> 32;
	u128 six = (u128)6 * (uint64_t)sd;
	if (scaled >= six) {
		u128 d = scaled - six;
		return d > INT64_MAX ? INT64_MAX : (int64_t)d;
	}
	u128 d = six - scaled;
	return d > INT64_MAX ? -INT64_MAX : -(int64_t)d;
}
