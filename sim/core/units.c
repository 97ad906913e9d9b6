/*
 * units.c - exact parsing and printing of durations, rates and sizes.
 *
 * A quantity is digits, an optional fraction of at most nine digits, and a
 * unit ("1.5s", "64KiB").  The value is computed in 128-bit integers and
 * must come out a whole number of the base unit (ns, bit/s, byte), so
 * "0.5ns" is an error rather than a silent rounding.
 */
#include "simtime.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

__extension__ typedef unsigned __int128 u128;

struct unit {
	const char *name;
	uint64_t mult;
};

static const struct unit duration_units[] = {
	{ "ns", 1 },
	{ "us", 1000 },
	{ "\xc2\xb5s", 1000 },		/* µs */
	{ "ms", 1000000 },
	{ "s", 1000000000 },
	{ "min", 60000000000 },
	{ "h", 3600000000000 },
	{ NULL, 0 },
};

static const struct unit rate_units[] = {
	{ "bps", 1 },
	{ "kbps", 1000 },
	{ "Kbps", 1000 },
	{ "Mbps", 1000000 },
	{ "Gbps", 1000000000 },
	{ "Tbps", 1000000000000 },
	{ NULL, 0 },
};

static const struct unit size_units[] = {
	{ "B", 1 },
	{ "KB", 1000 },
	{ "kB", 1000 },
	{ "KiB", 1024 },
	{ "MB", 1000000 },
	{ "MiB", 1048576 },
	{ "GB", 1000000000 },
	{ "GiB", 1073741824 },
	{ NULL, 0 },
};

/*
 * Parse text against a unit table.  bare_mult is the multiplier for a
 * number with no unit, or 0 when a unit is required.  limit is the largest
 * value accepted.
 */
static int
parse_quantity(const char *text, const char *what, const struct unit *units,
               const char *unit_list, uint64_t bare_mult, uint64_t limit,
               uint64_t *out, char *err)
{
	const char *p = text;
	u128 whole = 0, frac = 0, scale = 1;
	int ndigits = 0, nfrac = 0;

	if (text == NULL || *text == '\0') {
		snprintf(err, UNITS_ERRLEN, "empty %s", what);
		return -1;
	}
	while (*p == ' ')
		p++;
	if (*p == '-') {
		snprintf(err, UNITS_ERRLEN, "%s \"%s\" is negative", what, text);
		return -1;
	}
	if (*p == '+')
		p++;
	for (; isdigit((unsigned char)*p); p++, ndigits++) {
		whole = whole * 10 + (unsigned)(*p - '0');
		if (whole > UINT64_MAX)
			goto overflow;
	}
	if (*p == '.') {
		for (p++; isdigit((unsigned char)*p); p++, nfrac++) {
			if (nfrac == 9) {
				snprintf(err, UNITS_ERRLEN,
				         "%s \"%s\" has more than 9 decimals", what, text);
				return -1;
			}
			frac = frac * 10 + (unsigned)(*p - '0');
			scale *= 10;
		}
	}
	if (ndigits + nfrac == 0) {
		snprintf(err, UNITS_ERRLEN, "%s \"%s\" does not start with a number",
		         what, text);
		return -1;
	}
	while (*p == ' ')
		p++;

	uint64_t mult = 0;
	if (*p == '\0') {
		if (bare_mult == 0) {
			snprintf(err, UNITS_ERRLEN, "%s \"%s\" needs a unit (%s)",
			         what, text, unit_list);
			return -1;
		}
		mult = bare_mult;
	} else {
		for (const struct unit *u = units; u->name; u++)
			if (strcmp(p, u->name) == 0)
				mult = u->mult;
		if (mult == 0) {
			snprintf(err, UNITS_ERRLEN,
			         "%s \"%s\": unknown unit \"%s\" (use %s)",
			         what, text, p, unit_list);
			return -1;
		}
	}

	u128 value = whole * mult;
	u128 fpart = frac * mult;
	if (fpart % scale != 0) {
		snprintf(err, UNITS_ERRLEN,
		         "%s \"%s\" is not a whole number of %s", what, text,
		         units[0].name);
		return -1;
	}
	value += fpart / scale;
	if (value > limit)
		goto overflow;
	*out = (uint64_t)value;
	return 0;

overflow:
	snprintf(err, UNITS_ERRLEN, "%s \"%s\" is too large", what, text);
	return -1;
}

int
units_parse_duration(const char *text, simtime *out, char *err)
{
	uint64_t v;
	if (parse_quantity(text, "duration", duration_units,
	                   "ns, us, ms, s, min, h", 0, INT64_MAX, &v, err) < 0)
		return -1;
	*out = (simtime)v;
	return 0;
}

int
units_parse_rate(const char *text, uint64_t *bits_per_s, char *err)
{
	return parse_quantity(text, "rate", rate_units,
	                      "bps, kbps, Mbps, Gbps, Tbps", 0, UINT64_MAX,
	                      bits_per_s, err);
}

int
units_parse_size(const char *text, uint64_t *bytes, char *err)
{
	return parse_quantity(text, "size", size_units,
	                      "B, KB, KiB, MB, MiB, GB, GiB", 1, UINT64_MAX,
	                      bytes, err);
}

/* u in unit m, exactly: whole part and as many decimals as it needs. */
static int
format_in(uint64_t u, const struct unit *un, char *buf, size_t len)
{
	uint64_t whole = u / un->mult, rest = u % un->mult;
	if (rest == 0)
		return snprintf(buf, len, "%" PRIu64 "%s", whole, un->name);
	/* The parser reads at most nine decimals: a binary unit's fraction
	 * may need more (1/1024 needs ten), and then the unit is passed over. */
	int digits = 0;
	u128 scaled = rest;
	while (scaled % un->mult != 0 && digits < 9) {
		scaled *= 10;
		digits++;
	}
	if (scaled % un->mult != 0)
		return -1;
	uint64_t frac = (uint64_t)(scaled / un->mult);
	return snprintf(buf, len, "%" PRIu64 ".%0*" PRIu64 "%s", whole, digits,
	                frac, un->name);
}

/* The shortest exact spelling of u among the units (the larger on a tie;
 * a spelling variant, with the multiplier of the unit before it, is left
 * to the parser).  The first unit always spells it. */
static void
format_quantity(uint64_t u, const struct unit *units, char *buf, size_t len)
{
	char best[64] = "", cand[64];
	for (const struct unit *un = units; un->name; un++) {
		if (un != units && (un->mult > u || un->mult == un[-1].mult))
			continue;
		int n = format_in(u, un, cand, sizeof cand);
		if (n < 0 || n >= (int)sizeof cand)
			continue;
		if (best[0] == '\0' || strlen(cand) <= strlen(best))
			memcpy(best, cand, sizeof best);
	}
	snprintf(buf, len, "%s", best);
}

void
simtime_format(simtime t, char *buf, size_t len)
{
	const char *sign = "";
	uint64_t u = (uint64_t)t;
	if (t < 0) {
		sign = "-";
		u = 0 - u;
	}
	snprintf(buf, len, "%s%" PRIu64 ".%06" PRIu64 "s", sign,
	         u / 1000000000u, (u % 1000000000u) / 1000u);
}

void
simtime_format_short(simtime t, char *buf, size_t len)
{
	static const struct unit steps[] = {
		{ "h", 3600000000000 }, { "min", 60000000000 },
		{ "s", 1000000000 }, { "ms", 1000000 }, { "us", 1000 }, { "ns", 1 },
	};
	const char *sign = "";
	uint64_t u = (uint64_t)t;
	if (t < 0) {
		sign = "-";
		u = 0 - u;
	}
	if (u == 0) {
		snprintf(buf, len, "0s");
		return;
	}
	/* The largest unit with a whole part, and as many decimals as the
	 * value needs: exact, and 1.000000001s rather than 1000000.001us.
	 * Hours and minutes only when whole: "1.5min" reads worse than "90s". */
	size_t i = 0;
	while (u < steps[i].mult ||
	       (steps[i].mult >= 60000000000 && u % steps[i].mult != 0))
		i++;	/* stops at ns at the latest, since u >= 1 */
	size_t n = (size_t)snprintf(buf, len, "%s", sign);
	format_in(u, &steps[i], buf + n, len > n ? len - n : 0);
}

void
units_format_rate(uint64_t bits_per_s, char *buf, size_t len)
{
	format_quantity(bits_per_s, rate_units, buf, len);
}

void
units_format_size(uint64_t bytes, char *buf, size_t len)
{
	format_quantity(bytes, size_units, buf, len);
}

simtime
units_tx_time(uint64_t bytes, uint64_t bits_per_s)
{
	u128 bits = (u128)bytes * 8u * 1000000000u;
	u128 t = (bits + bits_per_s - 1) / bits_per_s;
	return t > INT64_MAX ? SIMTIME_MAX : (simtime)t;
}
