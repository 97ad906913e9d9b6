/*
 * tseq.c - tseq.png, the time-sequence graph of one connection (as
 * tcptrace draws it): for each direction that carried data, every data
 * segment sent as a bar from its first to its last sequence number at
 * the time it left, retransmissions in their own colour, segments lost on
 * the way crossed out, and the acknowledgments as they reached the sender
 * as a step line.  The gap between the bars and the ACK line is the data
 * in flight; a flat ACK line under new bars is loss being recovered.
 *
 * packets.csv has no ports: the connection's packets are those between
 * its two hosts in its sequence spaces (plot.c finds the initial
 * sequence numbers).  Numbers are relative, as Wireshark shows them.
 * Called by plot.c for the connection it focuses on.
 */
#define _POSIX_C_SOURCE 200809L
#include "plot_int.h"

#include <stdlib.h>
#include <string.h>

#include "../trace/csvread.h"

/* b is in the sequence space that starts at isn. */
static bool
in_space(uint32_t isn, uint32_t b)
{
	return (uint32_t)(b - isn) < (1u << 30);
}

/* The direction (0: a to b, 1: b to a) of a packet from -> to with seq,
 * or -1 when it is not the connection's. */
static int
direction(const struct view_conn *c, const char *from, const char *to,
          uint32_t seq)
{
	if (strcmp(from, c->a) == 0 && strcmp(to, c->b) == 0)
		return !c->has_a || in_space(c->isn_a, seq) ? 0 : -1;
	if (strcmp(from, c->b) == 0 && strcmp(to, c->a) == 0)
		return !c->has_b || in_space(c->isn_b, seq) ? 1 : -1;
	return -1;
}

#define TSEQ_MIN 4		/* data segments to draw a graph for */

enum { T, ID, AT, EV, FROM, TO, FLAGS, SEQ, RSEQ, RACK, LEN, RETX, NCOL };

int
tseq_plot(struct plot *p, const struct view_conn *c)
{
	static const char *const want[NCOL] = {
		"t_ns", "pkt_id", "at", "event", "from", "to", "flags", "seq",
		"rel_seq", "rel_ack", "len", "retx",
	};
	struct csvtab t;
	if (plot_read_csv(p, "packets.csv", &t, false))
		return 2;
	int col[NCOL];
	for (int i = 0; i < NCOL; i++)
		if ((col[i] = csv_col(&t, want[i])) < 0) {
			csv_tab_free(&t);
			plot_skip(p, "tseq");
			plot_say(p, "tseq.%s skipped: packets.csv has no column %s\n",
			         plot_ext(p), want[i]);
			return 0;
		}
	simtime from, to;
	plot_window(p, &from, &to);
	/* Which packets were lost: a drop row for their id. */
	long maxid = 0;
	for (int r = 1; r < t.nrows; r++) {
		long id = strtol(t.rows[r][col[ID]], NULL, 10);
		maxid = id > maxid ? id : maxid;
	}
	bool *lost = calloc((size_t)maxid + 2, sizeof *lost);
	if (lost == NULL) {
		csv_tab_free(&t);
		fprintf(stderr, "synsim: out of memory\n");
		return 2;
	}
	for (int r = 1; r < t.nrows; r++)
		if (strcmp(t.rows[r][col[EV]], "drop") == 0) {
			long id = strtol(t.rows[r][col[ID]], NULL, 10);
			if (id >= 0 && id <= maxid)
				lost[id] = true;
		}
	int data[2] = { 0, 0 };
	for (int r = 1; r < t.nrows; r++) {
		char **row = t.rows[r];
		simtime tn = strtoll(row[col[T]], NULL, 10);
		if (strcmp(row[col[EV]], "send") != 0 ||
		    atol(row[col[LEN]]) == 0 || tn < from || tn > to)
			continue;
		int d = direction(c, row[col[FROM]], row[col[TO]],
		                  (uint32_t)strtoul(row[col[SEQ]], NULL, 10));
		if (d >= 0)
			data[d]++;
	}
	/* A graph of one or two segments teaches nothing the ladder
	 * does not show. */
	if (data[0] + data[1] < TSEQ_MIN) {
		free(lost);
		csv_tab_free(&t);
		plot_skip(p, "tseq");
		plot_say(p, "tseq.%s skipped: %s carried %d data segment%s in the "
		         "window (%d needed)\n", plot_ext(p), c->name,
		         data[0] + data[1], data[0] + data[1] == 1 ? "" : "s",
		         TSEQ_MIN);
		return 0;
	}
	FILE *f = plot_stage_open(p, "tseq.dat");
	if (f == NULL) {
		free(lost);
		csv_tab_free(&t);
		return 2;
	}
	fprintf(f, "# time-sequence graph of %s written by synsim plot "
	        "(plots/tseq.gp)\n", c->name);
	/* Blocks 0 and 1: a to b; 2 and 3: b to a. */
	for (int d = 0; d < 2; d++) {
		const char *snd = d == 0 ? c->a : c->b;
		fprintf(f, "%s# block %d: seg t_s seq_from seq_to retx lost "
		        "(%s sends)\n", d ? "\n\n" : "", 2 * d, snd);
		int n = 0;
		for (int r = 1; r < t.nrows; r++) {
			char **row = t.rows[r];
			simtime tn = strtoll(row[col[T]], NULL, 10);
			long len = atol(row[col[LEN]]);
			if (strcmp(row[col[EV]], "send") != 0 || len == 0 ||
			    tn < from || tn > to ||
			    direction(c, row[col[FROM]], row[col[TO]],
			              (uint32_t)strtoul(row[col[SEQ]], NULL, 10)) != d)
				continue;
			long s0 = atol(row[col[RSEQ]]);
			long id = strtol(row[col[ID]], NULL, 10);
			fprintf(f, "seg\t%.9f\t%ld\t%ld\t%s\t%d\n", (double)tn / 1e9, s0,
			        s0 + len, row[col[RETX]],
			        id >= 0 && id <= maxid && lost[id]);
			n++;
		}
		if (n == 0)
			fputs("none\t-1e9\t0\t0\t0\t0\n", f);
		fprintf(f, "\n\n# block %d: ack t_s ack (what reached %s)\n",
		        2 * d + 1, snd);
		n = 0;
		for (int r = 1; r < t.nrows; r++) {
			char **row = t.rows[r];
			simtime tn = strtoll(row[col[T]], NULL, 10);
			if (strcmp(row[col[EV]], "recv") != 0 ||
			    strcmp(row[col[AT]], snd) != 0 || !row[col[RACK]][0] ||
			    tn < from || tn > to ||
			    direction(c, row[col[FROM]], row[col[TO]],
			              (uint32_t)strtoul(row[col[SEQ]], NULL, 10)) !=
			    1 - d)
				continue;
			fprintf(f, "ack\t%.9f\t%s\n", (double)tn / 1e9, row[col[RACK]]);
			n++;
		}
		if (n == 0)
			fputs("none\t-1e9\t0\n", f);
	}
	free(lost);
	csv_tab_free(&t);
	int rc = plot_stage_close(p);
	if (rc)
		return rc;
	char vars[1024], qa[300], qb[300], qn[300];
	const char *src[] = { c->a, c->b, c->name };
	char *dst[] = { qa, qb, qn };
	for (int i = 0; i < 3; i++) {
		size_t k = 0;
		for (const char *s = src[i]; *s && k + 3 < 300; s++) {
			if (*s == '\'')
				dst[i][k++] = '\'';
			dst[i][k++] = *s;
		}
		dst[i][k] = '\0';
	}
	snprintf(vars, sizeof vars, "a='%s'; b='%s'; conn='%s'; data_ab=%d; "
	         "data_ba=%d", qa, qb, qn, data[0], data[1]);
	return plot_draw(p, "tseq.gp", "tseq", plot_staged_tmp(p), vars);
}
