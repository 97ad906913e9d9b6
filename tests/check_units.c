/*
 * check_units.c - durations, rates and sizes read from text, times
 * printed, and serialization delays: exact values and exact errors.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/rng.h"
#include "core/simtime.h"
#include "helpers.h"

#define N_ELEMS(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* ---- durations ---------------------------------------------------------- */

static const struct {
	const char *text;
	simtime want;
} durations[] = {
	{ "50ms", 50000000 },
	{ "1.5s", 1500000000 },
	{ "250us", 250000 },
	{ "250\xc2\xb5s", 250000 },		/* µs, U+00B5 MICRO SIGN */
	{ "2min", 120000000000 },
	{ "1h", 3600000000000 },
	{ "0s", 0 },
	{ "0ns", 0 },
	{ "7ns", 7 },
	{ "1.000000001s", 1000000001 },	/* nine decimals: still exact */
	{ "+3ms", 3000000 },
	{ "0.5us", 500 },
	{ ".5s", 500000000 },
	{ "1.25min", 75000000000 },
	{ "9223372036854775807ns", INT64_MAX },	/* the largest simtime */
	{ "9223372036.854775807s", INT64_MAX },
};

START_TEST(test_duration_values)
{
	simtime t = -1;
	char err[UNITS_ERRLEN] = "";
	ck_assert_msg(units_parse_duration(durations[_i].text, &t, err) == 0,
	              "\"%s\": %s", durations[_i].text, err);
	ck_assert_msg(t == durations[_i].want, "\"%s\" gave %" PRId64
	              ", want %" PRId64, durations[_i].text, t,
	              durations[_i].want);
}
END_TEST

/* Every error quotes the text it refuses, so a user can find it. */
static const struct {
	const char *text, *msg;
} duration_errors[] = {
	{ "-5ms", "duration \"-5ms\" is negative" },
	{ "9999999999999999999s", "duration \"9999999999999999999s\" is too large" },
	{ "10000000000s", "duration \"10000000000s\" is too large" },
	{ "9223372036854775808ns", "duration \"9223372036854775808ns\" is too large" },
	{ "99999999999999999999999ns",	/* overflows even 64-bit digits */
	  "duration \"99999999999999999999999ns\" is too large" },
	{ "50", "duration \"50\" needs a unit (ns, us, ms, s, min, h)" },
	{ "5parsecs", "duration \"5parsecs\": unknown unit \"parsecs\" "
	              "(use ns, us, ms, s, min, h)" },
	{ "5 ms ", "duration \"5 ms \": unknown unit \"ms \" "
	           "(use ns, us, ms, s, min, h)" },
	{ "1.0000000001s", "duration \"1.0000000001s\" has more than 9 decimals" },
	{ "0.5ns", "duration \"0.5ns\" is not a whole number of ns" },
	{ "1.0000005us", "duration \"1.0000005us\" is not a whole number of ns" },
	{ "", "empty duration" },
	{ "ms", "duration \"ms\" does not start with a number" },
	{ ".s", "duration \".s\" does not start with a number" },
};

START_TEST(test_duration_errors)
{
	simtime t = 12345;
	char err[UNITS_ERRLEN] = "";
	ck_assert_int_eq(units_parse_duration(duration_errors[_i].text, &t, err),
	                 -1);
	ck_assert_str_eq(err, duration_errors[_i].msg);
	ck_assert_int_eq(t, 12345);	/* untouched on error */
}
END_TEST

START_TEST(test_duration_null)
{
	simtime t = 0;
	char err[UNITS_ERRLEN] = "";
	ck_assert_int_eq(units_parse_duration(NULL, &t, err), -1);
	ck_assert_str_eq(err, "empty duration");
}
END_TEST

/* ---- rates and sizes ---------------------------------------------------- */

static const struct {
	const char *text;
	uint64_t want;
} rates[] = {
	{ "10Mbps", 10000000 },
	{ "1Gbps", 1000000000 },
	{ "64kbps", 64000 },
	{ "64Kbps", 64000 },
	{ "1.5Mbps", 1500000 },
	{ "3bps", 3 },
	{ "2.5Tbps", 2500000000000 },
	{ "10 Mbps", 10000000 },
	{ "18446744073709551615bps", UINT64_MAX },
};

START_TEST(test_rate_values)
{
	uint64_t v = 0;
	char err[UNITS_ERRLEN] = "";
	ck_assert_msg(units_parse_rate(rates[_i].text, &v, err) == 0, "\"%s\": %s",
	              rates[_i].text, err);
	ck_assert_uint_eq(v, rates[_i].want);
}
END_TEST

static const struct {
	const char *text, *msg;
} rate_errors[] = {
	{ "10", "rate \"10\" needs a unit (bps, kbps, Mbps, Gbps, Tbps)" },
	{ "10MBps", "rate \"10MBps\": unknown unit \"MBps\" "
	            "(use bps, kbps, Mbps, Gbps, Tbps)" },
	{ "1.5bps", "rate \"1.5bps\" is not a whole number of bps" },
	{ "-1Mbps", "rate \"-1Mbps\" is negative" },
	{ "18446744073709551616bps", "rate \"18446744073709551616bps\" is too large" },
	{ "20000000000Gbps", "rate \"20000000000Gbps\" is too large" },
	{ "", "empty rate" },
};

START_TEST(test_rate_errors)
{
	uint64_t v = 7;
	char err[UNITS_ERRLEN] = "";
	ck_assert_int_eq(units_parse_rate(rate_errors[_i].text, &v, err), -1);
	ck_assert_str_eq(err, rate_errors[_i].msg);
	ck_assert_uint_eq(v, 7);
}
END_TEST

static const struct {
	const char *text;
	uint64_t want;
} sizes[] = {
	{ "1500B", 1500 },
	{ "64KiB", 65536 },
	{ "1500", 1500 },	/* a bare number is bytes */
	{ "1.5KiB", 1536 },
	{ "1KB", 1000 },
	{ "1kB", 1000 },
	{ "2MiB", 2097152 },
	{ "1.5MB", 1500000 },
	{ "1GiB", 1073741824 },
	{ "0", 0 },
};

START_TEST(test_size_values)
{
	uint64_t v = 0;
	char err[UNITS_ERRLEN] = "";
	ck_assert_msg(units_parse_size(sizes[_i].text, &v, err) == 0, "\"%s\": %s",
	              sizes[_i].text, err);
	ck_assert_uint_eq(v, sizes[_i].want);
}
END_TEST

static const struct {
	const char *text, *msg;
} size_errors[] = {
	{ "1.5B", "size \"1.5B\" is not a whole number of B" },
	{ "1.0001KiB", "size \"1.0001KiB\" is not a whole number of B" },
	{ "1.5", "size \"1.5\" is not a whole number of B" },
	{ "-1B", "size \"-1B\" is negative" },
	{ "3 bytes", "size \"3 bytes\": unknown unit \"bytes\" "
	             "(use B, KB, KiB, MB, MiB, GB, GiB)" },
	{ "KiB", "size \"KiB\" does not start with a number" },
	{ "", "empty size" },
};

START_TEST(test_size_errors)
{
	uint64_t v = 7;
	char err[UNITS_ERRLEN] = "";
	ck_assert_int_eq(units_parse_size(size_errors[_i].text, &v, err), -1);
	ck_assert_str_eq(err, size_errors[_i].msg);
	ck_assert_uint_eq(v, 7);
}
END_TEST

/* ---- printing ----------------------------------------------------------- */

static const struct {
	simtime t;
	const char *want;
} formatted[] = {
	{ 1100000000, "1.100000s" },
	{ 0, "0.000000s" },
	{ 1, "0.000000s" },		/* below a microsecond: truncated */
	{ 999999, "0.000999s" },
	{ 250000, "0.000250s" },
	{ 750000000, "0.750000s" },
	{ 120000000000, "120.000000s" },
	{ -1500000, "-0.001500s" },
	{ INT64_MAX, "9223372036.854775s" },
	{ INT64_MIN, "-9223372036.854775s" },
};

START_TEST(test_format)
{
	char buf[32];
	simtime_format(formatted[_i].t, buf, sizeof buf);
	ck_assert_str_eq(buf, formatted[_i].want);
}
END_TEST

static const struct {
	simtime t;
	const char *want;
} short_formatted[] = {
	{ 1100000000, "1.1s" },
	{ 50000000, "50ms" },
	{ 250000, "250us" },
	{ 7, "7ns" },
	{ 0, "0s" },
	{ 120000000000, "2min" },
	{ 60000000000, "1min" },
	{ 90000000000, "90s" },	/* not "1.5min" */
	{ 61500000000, "61.5s" },
	{ 3600000000000, "1h" },
	{ 7200000000000, "2h" },
	{ 5400000000000, "90min" },
	{ 1500, "1.5us" },
	{ 1234567, "1.234567ms" },
	{ 1000000001, "1.000000001s" },	/* not "1000000.001us" */
	{ 999, "999ns" },
	{ 1000, "1us" },
	{ -50000000, "-50ms" },
	{ INT64_MIN, "-9223372036.854775808s" },
};

START_TEST(test_format_short)
{
	char buf[32];
	simtime_format_short(short_formatted[_i].t, buf, sizeof buf);
	ck_assert_str_eq(buf, short_formatted[_i].want);
}
END_TEST

/* The short form is meant for messages a user may paste back into a
 * scenario: it must parse to the very same time. */
START_TEST(test_format_short_round_trip)
{
	struct rng r;
	rng_stream(&r, 7, "units:round-trip");
	for (int i = 0; i < 20000; i++) {
		simtime t;
		switch (i % 4) {
		case 0: t = (simtime)(rng_next(&r) >> 1); break;
		case 1: t = (simtime)rng_below(&r, 100000) * SIMTIME_MS; break;
		case 2: t = (simtime)rng_below(&r, 1000) * SIMTIME_US +
		            (simtime)rng_below(&r, 2); break;
		default: t = (simtime)rng_below(&r, 100) * SIMTIME_MIN +
		             (simtime)rng_below(&r, 2) * SIMTIME_S; break;
		}
		char buf[32], err[UNITS_ERRLEN] = "";
		simtime back = -1;
		simtime_format_short(t, buf, sizeof buf);
		REQUIRE(units_parse_duration(buf, &back, err) == 0,
		        "%" PRId64 " -> \"%s\": %s", t, buf, err);
		REQUIRE(back == t, "%" PRId64 " -> \"%s\" -> %" PRId64, t, buf,
		        back);
	}
}
END_TEST

START_TEST(test_format_rate_and_size)
{
	static const struct {
		uint64_t v;
		const char *rate, *size;
	} cases[] = {
		{ 0, "0bps", "0B" },
		{ 1, "1bps", "1B" },
		{ 999, "999bps", "999B" },
		{ 1000, "1kbps", "1KB" },
		{ 1024, "1024bps", "1KiB" },
		{ 1460, "1460bps", "1460B" },
		{ 1500, "1.5kbps", "1.5KB" },
		{ 1536, "1536bps", "1536B" },
		{ 64000, "64kbps", "64KB" },
		{ 65536, "65536bps", "64KiB" },
		{ 1500000, "1.5Mbps", "1.5MB" },
		{ 10000000, "10Mbps", "10MB" },
		{ 1048576, "1048576bps", "1MiB" },
		{ 1000000000, "1Gbps", "1GB" },
		{ 1073741824, "1073741824bps", "1GiB" },
		{ 1572864, "1572864bps", "1.5MiB" },
		{ 2500000000000, "2.5Tbps", "2500GB" },
		{ 1000000001, "1000000001bps", "1000000001B" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char buf[64];
		units_format_rate(cases[i].v, buf, sizeof buf);
		ck_assert_str_eq(buf, cases[i].rate);
		units_format_size(cases[i].v, buf, sizeof buf);
		ck_assert_str_eq(buf, cases[i].size);
	}
}
END_TEST

START_TEST(test_format_rate_and_size_round_trip)
{
	struct rng r;
	rng_stream(&r, 8, "units:rate-size");
	for (int i = 0; i < 20000; i++) {
		uint64_t v;
		switch (i % 4) {
		case 0: v = rng_next(&r); break;
		case 1: v = rng_below(&r, 100000) * 1000; break;
		case 2: v = rng_below(&r, 4096) * 1024; break;
		default: v = rng_below(&r, 2000); break;
		}
		char buf[64], err[UNITS_ERRLEN] = "";
		uint64_t back = 1;
		units_format_rate(v, buf, sizeof buf);
		REQUIRE(units_parse_rate(buf, &back, err) == 0 && back == v,
		        "rate %" PRIu64 " -> \"%s\" -> %" PRIu64 " %s", v, buf,
		        back, err);
		units_format_size(v, buf, sizeof buf);
		REQUIRE(units_parse_size(buf, &back, err) == 0 && back == v,
		        "size %" PRIu64 " -> \"%s\" -> %" PRIu64 " %s", v, buf,
		        back, err);
	}
}
END_TEST

/* ---- serialization delay ------------------------------------------------ */

START_TEST(test_tx_time)
{
	/* 12000 bits at 10 Mbit/s: 1.2 ms, no rounding. */
	ck_assert_int_eq(units_tx_time(1500, 10000000), 1200000);
	ck_assert_int_eq(units_tx_time(65536, 1000000000), 524288);
	ck_assert_int_eq(units_tx_time(1, 8), SIMTIME_S);
	ck_assert_int_eq(units_tx_time(0, 10000000), 0);
	/* 8/3 s = 2666666666.67 ns: rounded up, never down. */
	ck_assert_int_eq(units_tx_time(1, 3), 2666666667);
	/* 40 bytes at 1 Gbit/s = 320 ns exactly; at 1 bit/s more it is
	 * 319.99999968 ns, which rounds up to 320 again. */
	ck_assert_int_eq(units_tx_time(40, 1000000000), 320);
	ck_assert_int_eq(units_tx_time(40, 1000000001), 320);
	/* Past int64 nanoseconds the delay saturates instead of wrapping. */
	ck_assert_int_eq(units_tx_time(UINT64_MAX, 1), SIMTIME_MAX);
	ck_assert_int_eq(units_tx_time(UINT64_MAX, UINT64_MAX), 8000000000);
}
END_TEST

START_TEST(test_simtime_add)
{
	ck_assert_int_eq(simtime_add(1, 2), 3);
	ck_assert_int_eq(simtime_add(SIMTIME_MAX - 5, 5), SIMTIME_MAX);
	ck_assert_int_eq(simtime_add(SIMTIME_MAX - 5, 6), -1);
	ck_assert_int_eq(simtime_add(1, SIMTIME_MAX), -1);
}
END_TEST

static Suite *
units_suite(void)
{
	Suite *s = suite_create("units");
	TCase *tc;

	tc = tcase_create("duration");
	tcase_add_loop_test(tc, test_duration_values, 0, N_ELEMS(durations));
	tcase_add_loop_test(tc, test_duration_errors, 0, N_ELEMS(duration_errors));
	tcase_add_test(tc, test_duration_null);
	suite_add_tcase(s, tc);

	tc = tcase_create("rate");
	tcase_add_loop_test(tc, test_rate_values, 0, N_ELEMS(rates));
	tcase_add_loop_test(tc, test_rate_errors, 0, N_ELEMS(rate_errors));
	suite_add_tcase(s, tc);

	tc = tcase_create("size");
	tcase_add_loop_test(tc, test_size_values, 0, N_ELEMS(sizes));
	tcase_add_loop_test(tc, test_size_errors, 0, N_ELEMS(size_errors));
	suite_add_tcase(s, tc);

	tc = tcase_create("format");
	tcase_add_loop_test(tc, test_format, 0, N_ELEMS(formatted));
	tcase_add_loop_test(tc, test_format_short, 0, N_ELEMS(short_formatted));
	tcase_add_test(tc, test_format_short_round_trip);
	tcase_add_test(tc, test_format_rate_and_size);
	tcase_add_test(tc, test_format_rate_and_size_round_trip);
	suite_add_tcase(s, tc);

	tc = tcase_create("arith");
	tcase_add_test(tc, test_tx_time);
	tcase_add_test(tc, test_simtime_add);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(units_suite());
}
