/*
 * simtime.h - simulated time and the units synsim reads and prints.
 *
 * Time is a signed 64-bit count of nanoseconds (covers +-292 years), so
 * differences such as "deadline - now" need no casts.  No floating point
 * ever decides when something happens: durations, rates and sizes given
 * as text ("1.5s", "10Mbps", "64KiB") are parsed with exact integer
 * arithmetic, and times are printed from integer division.
 */
#ifndef SYNSIM_SIMTIME_H
#define SYNSIM_SIMTIME_H

#include <stddef.h>
#include <stdint.h>

typedef int64_t simtime;

#define SIMTIME_NS  ((simtime)1)
#define SIMTIME_US  ((simtime)1000)
#define SIMTIME_MS  ((simtime)1000000)
#define SIMTIME_S   ((simtime)1000000000)
#define SIMTIME_MIN (60 * SIMTIME_S)
#define SIMTIME_MAX INT64_MAX

/* Room for any message a parser below writes. */
#define UNITS_ERRLEN 160

/*
 * Each parser returns 0 and stores the value, or returns -1 and writes a
 * message quoting the bad text into err (UNITS_ERRLEN bytes).  A bare
 * number is accepted only where its unit is not ambiguous: a size in bytes.
 * Durations and rates need their unit.
 */
int units_parse_duration(const char *text, simtime *out, char *err);
int units_parse_rate(const char *text, uint64_t *bits_per_s, char *err);
int units_parse_size(const char *text, uint64_t *bytes, char *err);

/* "1.100000s": seconds with six decimals (microseconds); for narration. */
void simtime_format(simtime t, char *buf, size_t len);
/* "1.1s", "50ms", "250us", "7ns", "2min", "1h": exact, in the largest unit
 * with a whole part (h and min only when whole); for messages.  A time
 * >= 0 reads back through units_parse_duration as the same value. */
void simtime_format_short(simtime t, char *buf, size_t len);

/* "10Mbps", "1.5Mbps", "64kbps"; "64KiB", "1.5KB", "100B": exact, in the
 * unit that writes the value shortest (the larger one on a tie), and read
 * back through units_parse_rate / units_parse_size as the same value. */
void units_format_rate(uint64_t bits_per_s, char *buf, size_t len);
void units_format_size(uint64_t bytes, char *buf, size_t len);

/* Serialization delay of a packet: ceil(bytes * 8 s / rate), exactly. */
simtime units_tx_time(uint64_t bytes, uint64_t bits_per_s);

/* a + b, or -1 if that would overflow (both must be >= 0). */
static inline simtime
simtime_add(simtime a, simtime b)
{
	return (b > SIMTIME_MAX - a) ? -1 : a + b;
}

#endif
