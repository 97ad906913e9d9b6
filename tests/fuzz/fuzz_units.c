/*
 * fuzz_units.c - the unit parsers (durations, rates, sizes) on any text:
 * no crash, and what parses prints back to the same value.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/simtime.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	char err[UNITS_ERRLEN], buf[64];
	simtime t;
	uint64_t v;
	if (units_parse_duration(s, &t, err) == 0) {
		FUZZ_CHECK(t >= 0);
		simtime_format_short(t, buf, sizeof buf);
		simtime u;
		FUZZ_CHECK(units_parse_duration(buf, &u, err) == 0 && u == t);
	}
	(void)units_parse_rate(s, &v, err);
	(void)units_parse_size(s, &v, err);
	free(s);
	return 0;
}
