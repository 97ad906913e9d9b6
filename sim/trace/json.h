/*
 * json.h - the little JSON writing synsim needs: escaped strings and
 * numbers that round-trip.
 */
#ifndef SYNSIM_JSON_H
#define SYNSIM_JSON_H

#include <stdio.h>

void json_string(FILE *f, const char *s);
/* The same with '<' written \u003c, for JSON inside an HTML page's
 * <script>: no string can end the element ("</script>"). */
void json_string_html(FILE *f, const char *s);
/* Shortest "%.17g"-style form that reads back as the same double; null
 * for NaN and infinities. */
void json_number(FILE *f, double v);
/* The same into buf (32 bytes are enough); returns buf. */
const char *json_number_str(double v, char *buf, size_t len);

#endif
