/*
 * check_utf8.c - UTF-8 validity (RFC 3629's table of well-formed
 * sequences) and cutting text without splitting a character.
 */
#include <string.h>

#include "core/utf8.h"
#include "helpers.h"

START_TEST(test_char_len)
{
	static const struct { const char *s; int len; } cases[] = {
		{ "a", 1 }, { "\x7f", 1 },
		{ "\xc3\xa9", 2 }, { "\xdf\xbf", 2 },
		{ "\xe2\x86\x92", 3 }, { "\xef\xbf\xbd", 3 },
		{ "\xf0\x9f\x98\x80", 4 }, { "\xf4\x8f\xbf\xbf", 4 },
		/* not characters */
		{ "\x80", 0 }, { "\xbf", 0 },			/* continuation */
		{ "\xc0\xaf", 0 }, { "\xc1\xbf", 0 },		/* overlong */
		{ "\xe0\x9f\xbf", 0 }, { "\xf0\x8f\xbf\xbf", 0 },
		{ "\xed\xa0\x80", 0 },				/* surrogate */
		{ "\xf4\x90\x80\x80", 0 }, { "\xf5\x80\x80\x80", 0 },
		{ "\xff", 0 }, { "\xc3", 0 }, { "\xe2\x86", 0 },	/* cut */
		{ "\xc3\x41", 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		ck_assert_msg(utf8_char_len(cases[i].s) == cases[i].len,
		              "case %zu: %d, want %d", i,
		              utf8_char_len(cases[i].s), cases[i].len);
}
END_TEST

START_TEST(test_prefix)
{
	/* "é→é": 2 + 3 + 2 bytes */
	const char *s = "\xc3\xa9\xe2\x86\x92\xc3\xa9";
	ck_assert_uint_eq(utf8_prefix(s, 100), 7);
	ck_assert_uint_eq(utf8_prefix(s, 7), 7);
	ck_assert_uint_eq(utf8_prefix(s, 6), 5);
	ck_assert_uint_eq(utf8_prefix(s, 5), 5);
	ck_assert_uint_eq(utf8_prefix(s, 4), 2);
	ck_assert_uint_eq(utf8_prefix(s, 3), 2);
	ck_assert_uint_eq(utf8_prefix(s, 1), 0);
	ck_assert_uint_eq(utf8_prefix("abc", 2), 2);
	ck_assert_uint_eq(utf8_prefix("", 2), 0);
}
END_TEST

static Suite *
utf8_suite(void)
{
	Suite *s = suite_create("utf8");
	TCase *tc = tcase_create("utf8");
	tcase_add_test(tc, test_char_len);
	tcase_add_test(tc, test_prefix);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(utf8_suite());
}
