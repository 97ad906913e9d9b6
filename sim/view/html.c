/*
 * html.c - `synsim view DIR` (html.h).
 *
 * The page is sim/view/page.html with page.css and page.js put in its
 * <style> and <script> (all three compiled in by cmake/embed.cmake), and
 * the run as one JSON object in a <script type="application/json">:
 *
 *   packets, states, explain   {"cols": [...], "rows": [[...], ...]},
 *                              every field the CSV file's text
 *   summary                    summary.json's text, as a string
 *   pcap                       per record of trace.pcapng, in file order
 *                              (the order packets were sent):
 *                              [src, sport, dst, dport, comment]
 *
 * packets.csv and states.csv are required; the others make the page
 * richer (ports tell connections apart, explain.csv gives each arrival
 * its rule and the timers) and are null when the run did not write them.
 * All drawing is left to the script: the page holds the data, not a
 * picture of it.
 */
#define _POSIX_C_SOURCE 200809L
#include "html.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/error.h"
#include "../core/outfile.h"
#include "../trace/csvread.h"
#include "../trace/json.h"

extern const unsigned char view_page_html[], view_page_css[], view_page_js[];

#define VIEW_FILE "view.html"

bool
view_output_name(const char *name)
{
	return strcmp(name, VIEW_FILE) == 0;
}

/* ---- the run's files as JSON ------------------------------------------------ */

/* A CSV file as {"cols": [...], "rows": [...]}; null when it is absent
 * and not required.  0, or -1 with err set. */
static int
put_csv(FILE *f, const char *dir, const char *name, bool required, char *err,
        size_t errlen)
{
	char path[4200];
	struct csvtab t;
	snprintf(path, sizeof path, "%s/%s", dir, name);
	if (csv_read(path, &t) < 0) {
		if (errno == ENOENT && !required) {
			fputs("null", f);
			return 0;
		}
		csv_error(path, &t, err, errlen);
		return -1;
	}
	if (t.nrows == 0) {
		snprintf(err, errlen, "%s: empty (not a file synsim wrote?)", path);
		csv_tab_free(&t);
		return -1;
	}
	fputs("{\"cols\":[", f);
	for (int c = 0; c < t.ncols; c++) {
		if (c)
			fputc(',', f);
		json_string_html(f, t.rows[0][c]);
	}
	fputs("],\n\"rows\":[", f);
	for (int r = 1; r < t.nrows; r++) {
		fputs(r > 1 ? ",\n[" : "\n[", f);
		for (int c = 0; c < t.ncols; c++) {
			if (c)
				fputc(',', f);
			json_string_html(f, t.rows[r][c]);
		}
		fputc(']', f);
	}
	fputs("]}", f);
	csv_tab_free(&t);
	return 0;
}

/* summary.json's text as a JSON string (the page parses it apart, so a
 * damaged file costs the header, not the page); null when absent. */
static int
put_summary(FILE *f, const char *dir, char *err, size_t errlen)
{
	char path[4200];
	size_t len;
	snprintf(path, sizeof path, "%s/summary.json", dir);
	char *text = csv_slurp(path, &len);
	if (text == NULL) {
		if (errno == ENOENT) {
			fputs("null", f);
			return 0;
		}
		snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	json_string_html(f, text);
	free(text);
	return 0;
}

static uint32_t
get32(const unsigned char *b, bool le)
{
	return le ? (uint32_t)b[0] | (uint32_t)b[1] << 8 |
	            (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24 :
	            (uint32_t)b[3] | (uint32_t)b[2] << 8 |
	            (uint32_t)b[1] << 16 | (uint32_t)b[0] << 24;
}

static uint16_t
get16(const unsigned char *b, bool le)
{
	return le ? (uint16_t)(b[0] | b[1] << 8) : (uint16_t)(b[1] | b[0] << 8);
}

/* One enhanced packet block's body (b, n bytes): its addresses and ports
 * and its comment. */
static void
put_epb(FILE *f, const unsigned char *b, size_t n, bool le, bool first)
{
	char src[16] = "", dst[16] = "", comment[66000] = "";
	unsigned sport = 0, dport = 0;
	if (n < 20)
		return;
	uint32_t cap = get32(b + 12, le);
	const unsigned char *ip = b + 20;
	if (cap <= n - 20 && cap >= 20 && (ip[0] >> 4) == 4) {
		size_t ihl = (size_t)(ip[0] & 15) * 4;
		snprintf(src, sizeof src, "%u.%u.%u.%u", ip[12], ip[13], ip[14],
		         ip[15]);
		snprintf(dst, sizeof dst, "%u.%u.%u.%u", ip[16], ip[17], ip[18],
		         ip[19]);
		if (ihl >= 20 && ihl + 4 <= cap) {
			/* Ports are in network order whatever the file's. */
			sport = (unsigned)ip[ihl] << 8 | ip[ihl + 1];
			dport = (unsigned)ip[ihl + 2] << 8 | ip[ihl + 3];
		}
	}
	size_t o = 20 + (((size_t)cap + 3) & ~(size_t)3);
	while (cap <= n - 20 && o + 4 <= n) {
		uint16_t code = get16(b + o, le), len = get16(b + o + 2, le);
		if (code == 0 || o + 4 + len > n)
			break;
		if (code == 1) {	/* opt_comment */
			memcpy(comment, b + o + 4, len);
			comment[len] = '\0';
		}
		o += 4 + (((size_t)len + 3) & ~(size_t)3);
	}
	fprintf(f, "%s[", first ? "\n" : ",\n");
	json_string_html(f, src);
	fprintf(f, ",%u,", sport);
	json_string_html(f, dst);
	fprintf(f, ",%u,", dport);
	json_string_html(f, comment);
	fputc(']', f);
}

/* trace.pcapng's packet records; null when absent.  Only the block
 * structure is trusted: a record cut short ends the list. */
static int
put_pcap(FILE *f, const char *dir, char *err, size_t errlen)
{
	char path[4200];
	size_t len;
	snprintf(path, sizeof path, "%s/trace.pcapng", dir);
	unsigned char *b = (unsigned char *)csv_slurp(path, &len);
	if (b == NULL) {
		if (errno == ENOENT) {
			fputs("null", f);
			return 0;
		}
		snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	/* The section header's byte-order magic says how to read the rest. */
	if (len < 28 || get32(b, true) != 0x0A0D0D0A) {
		free(b);
		snprintf(err, errlen, "%s: not a pcapng file", path);
		return -1;
	}
	bool le = get32(b + 8, true) == 0x1A2B3C4D;
	fputc('[', f);
	bool first = true;
	for (size_t o = 0; o + 12 <= len;) {
		uint32_t type = get32(b + o, le), blen = get32(b + o + 4, le);
		if (blen < 12 || blen % 4 || blen > len - o)
			break;
		if (type == 6) {	/* enhanced packet block */
			put_epb(f, b + o + 8, blen - 12, le, first);
			first = false;
		}
		o += blen;
	}
	fputc(']', f);
	free(b);
	return 0;
}

/* ---- the page ---------------------------------------------------------------- */

/* The template up to the next marker ("@CSS@", "@JS@", "@DATA@"), which
 * is returned in *mark (NULL at the end); returns where the text after
 * the marker starts. */
static const char *
copy_to_marker(FILE *f, const char *p, const char **mark)
{
	static const char *const marks[] = { "@CSS@", "@JS@", "@DATA@" };
	const char *best = NULL;
	*mark = NULL;
	for (int i = 0; i < 3; i++) {
		const char *q = strstr(p, marks[i]);
		if (q && (best == NULL || q < best)) {
			best = q;
			*mark = marks[i];
		}
	}
	if (best == NULL) {
		fputs(p, f);
		return p + strlen(p);
	}
	fwrite(p, 1, (size_t)(best - p), f);
	return best + strlen(*mark);
}

static int
put_data(FILE *f, const char *dir, char *err, size_t errlen)
{
	fputs("{\"packets\":", f);
	if (put_csv(f, dir, "packets.csv", true, err, errlen) < 0)
		return -1;
	fputs(",\n\"states\":", f);
	if (put_csv(f, dir, "states.csv", true, err, errlen) < 0)
		return -1;
	fputs(",\n\"explain\":", f);
	if (put_csv(f, dir, "explain.csv", false, err, errlen) < 0)
		return -1;
	fputs(",\n\"summary\":", f);
	if (put_summary(f, dir, err, errlen) < 0)
		return -1;
	fputs(",\n\"pcap\":", f);
	if (put_pcap(f, dir, err, errlen) < 0)
		return -1;
	fputs("}", f);
	return 0;
}

int
view_write(const char *dir, char *err, size_t errlen)
{
	struct outfile out = { 0 };
	if (outfile_open(&out, dir, VIEW_FILE) == NULL) {
		snprintf(err, errlen, "cannot write %s/%s: %s", dir, VIEW_FILE,
		         strerror(errno));
		return -1;
	}
	const char *p = (const char *)view_page_html, *mark;
	while (*p) {
		p = copy_to_marker(out.f, p, &mark);
		if (mark == NULL)
			break;
		if (strcmp(mark, "@CSS@") == 0) {
			fputs((const char *)view_page_css, out.f);
		} else if (strcmp(mark, "@JS@") == 0) {
			fputs((const char *)view_page_js, out.f);
		} else if (put_data(out.f, dir, err, errlen) < 0) {
			outfile_discard(&out);
			return -1;
		}
	}
	if (outfile_commit(&out) < 0) {
		snprintf(err, errlen, "cannot write %s/%s: %s", dir, VIEW_FILE,
		         strerror(errno));
		return -1;
	}
	return 0;
}

int
view_main(int argc, char **argv)
{
	const char *dir = NULL;
	for (int i = 0; i < argc; i++) {
		if (argv[i][0] == '-' && argv[i][1] != '\0')
			return sim_usage_error("unknown option %s", argv[i]);
		if (dir)
			return sim_usage_error("view: one run at a time (also got "
			                       "%s)", argv[i]);
		dir = argv[i];
	}
	if (dir == NULL)
		return sim_usage_error("%s", "view: which run? (synsim view DIR)");
	char err[4400];
	if (view_write(dir, err, sizeof err) < 0) {
		fprintf(stderr, "synsim: %s\n", err);
		return 2;
	}
	printf("%s/%s\n", dir, VIEW_FILE);
	return 0;
}
