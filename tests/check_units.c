/*
 * check_units.c - durations, rates and sizes: exact values and errors.
 */
#include <string.h>

#include "core/simtime.h"
#include "helpers.h"

START_TEST(test_placeholder)
{
	simtime t;
	char err[UNITS_ERRLEN];
	ck_assert_int_eq(units_parse_duration("1.5s", &t, err), 0);
	ck_assert_int_eq(t, 1500000000);
}
END_TEST

static Suite *
units_suite(void)
{
	Suite *s = suite_create("units");
	TCase *tc = tcase_create("duration");
	tcase_add_test(tc, test_placeholder);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(units_suite());
}
