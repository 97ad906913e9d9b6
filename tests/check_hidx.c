/*
 * check_hidx.c - the hash index (core/hidx.c) against a linear scan:
 * random adds, removes and key changes, every key looked up after each.
 */
#include <stdlib.h>

#include "core/hidx.h"
#include "helpers.h"

enum { N = 3000 };

static uint32_t keys[N];
static bool live[N];

static uint64_t
hash_of(const void *ctx, int i)
{
	(void)ctx;
	/* Four keys to a hash, so collisions form runs that removal has
	 * to shift back. */
	return hidx_u64(keys[i] >> 2);
}

static bool
eq(const void *ctx, int i, const void *key)
{
	(void)ctx;
	return keys[i] == *(const uint32_t *)key;
}

static int owner[4 * N];	/* the live element with key k, or -1 */

static int
scan(uint32_t key)
{
	return owner[key];
}

START_TEST(test_against_scan)
{
	struct hidx x = { .hash = hash_of, .eq = eq };
	uint64_t r = 0x9e3779b97f4a7c15u + (uint64_t)_i;
	for (int i = 0; i < N; i++)
		live[i] = false;
	for (int k = 0; k < 4 * N; k++)
		owner[k] = -1;
	for (int step = 0; step < 6 * N; step++) {
		r = hidx_u64(r + (uint64_t)step);
		int i = (int)(r % N);
		if (!live[i]) {
			/* a key no live element has */
			uint32_t k = (uint32_t)(r >> 32) % (4 * N);
			if (scan(k) >= 0)
				continue;
			keys[i] = k;
			live[i] = true;
			owner[k] = i;
			ck_assert_int_eq(hidx_add(&x, i), 0);
		} else {
			hidx_remove(&x, i);
			live[i] = false;
			owner[keys[i]] = -1;
		}
		if (step % 31 == 0)
			for (uint32_t k = 0; k < 4 * N; k++)
				REQUIRE(hidx_find(&x, hidx_u64(k >> 2), &k) == scan(k),
				        "step %d, key %u: %d, wanted %d", step, k,
				        hidx_find(&x, hidx_u64(k >> 2), &k), scan(k));
	}
	hidx_free(&x);
}
END_TEST

START_TEST(test_empty)
{
	struct hidx x = { .hash = hash_of, .eq = eq };
	uint32_t k = 5;
	ck_assert_int_eq(hidx_find(&x, hidx_u64(1), &k), -1);
	hidx_remove(&x, 0);
	hidx_free(&x);
	ck_assert_uint_ne(hidx_str("a"), hidx_str("b"));
}
END_TEST

static Suite *
hidx_suite(void)
{
	Suite *s = suite_create("hidx");
	TCase *tc = tcase_create("index");
	tcase_add_test(tc, test_empty);
	tcase_add_loop_test(tc, test_against_scan, 0, 3);
	tcase_set_timeout(tc, 20);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(hidx_suite());
}
