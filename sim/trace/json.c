/*
 * json.c - JSON string escaping and number printing.
 */
#include "json.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>

#include "../core/utf8.h"

static void
string_to(FILE *f, const char *s, bool html)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"': fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\n': fputs("\\n", f); break;
		case '\t': fputs("\\t", f); break;
		case '\r': fputs("\\r", f); break;
		default:
			if (*p < 0x20 || (html && *p == '<')) {
				fprintf(f, "\\u%04x", *p);
			} else if (*p >= 0x80) {
				/* JSON is Unicode: bytes that are no UTF-8 (a
				 * host named in Latin-1) become U+FFFD. */
				int n = utf8_char_len((const char *)p);
				if (n == 0)
					fputs("\\ufffd", f);
				else
					fwrite(p, 1, (size_t)n, f);
				p += n ? n - 1 : 0;
			} else {
				fputc(*p, f);
			}
		}
	}
	fputc('"', f);
}

void
json_string(FILE *f, const char *s)
{
	string_to(f, s, false);
}

void
json_string_html(FILE *f, const char *s)
{
	string_to(f, s, true);
}

const char *
json_number_str(double v, char *buf, size_t len)
{
	if (!isfinite(v)) {
		snprintf(buf, len, "null");
		return buf;
	}
	if (v == (double)(long long)v && fabs(v) < 9007199254740992.0) {
		snprintf(buf, len, "%lld", (long long)v);
		return buf;
	}
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(buf, len, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	return buf;
}

void
json_number(FILE *f, double v)
{
	char buf[32];
	fputs(json_number_str(v, buf, sizeof buf), f);
}
