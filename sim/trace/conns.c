/*
 * conns.c - the per-connection records of a finished run: the
 * "connections" array of summary.json and connections.csv (output group
 * `connections`), or, when they are not asked for, only the count of
 * connections by outcome.  Called by summary.c and run.c at the end of
 * a run.
 *
 * A million connections make a million records, so each is formatted
 * into one buffer by hand and written with one fwrite: fprintf spent
 * about 13 500 instructions a record parsing its format strings.
 */
#define _POSIX_C_SOURCE 200809L
#include "conns.h"

#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

#include "../core/error.h"
#include "../net/net.h"
#include "../tcp/tcp.h"
#include "json.h"
#include "summary.h"

/* A record under construction; large enough for any record (host
 * names are escaped once per host, up to CONNS_NAME bytes). */
#define CONNS_NAME 512
struct rec {
	char b[CONNS_NAME + 512];
	size_t n;
};

static void
put(struct rec *r, const char *s)
{
	size_t n = strlen(s);
	memcpy(r->b + r->n, s, n);
	r->n += n;
}

static void
put_u64(struct rec *r, uint64_t v)
{
	char d[20];
	int i = 0;
	do
		d[i++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	while (i > 0)
		r->b[r->n++] = d[--i];
}

static void
put_i64(struct rec *r, int64_t v)
{
	if (v < 0) {
		r->b[r->n++] = '-';
		put_u64(r, (uint64_t)0 - (uint64_t)v);
	} else {
		put_u64(r, (uint64_t)v);
	}
}

/* a.b.c.d:port */
static void
put_endpoint(struct rec *r, uint32_t addr, uint16_t port)
{
	for (int s = 24; s >= 0; s -= 8) {
		put_u64(r, (addr >> s) & 0xff);
		r->b[r->n++] = s ? '.' : ':';
	}
	put_u64(r, port);
}

/* A host's name as a JSON string or a CSV field, formatted once. */
static void
host_name(const char *name, bool csv, char *out, size_t len)
{
	FILE *f = fmemopen(out, len, "w");
	if (f == NULL) {
		snprintf(out, len, "\"?\"");
		return;
	}
	if (csv) {
		bool quote = strpbrk(name, ",\"\r\n") != NULL;
		fputs(quote ? "\"" : "", f);
		for (const char *p = name; *p; p++)
			fputs(*p == '"' ? "\"\"" : (char[2]){ *p, 0 }, f);
		fputs(quote ? "\"" : "", f);
	} else {
		json_string(f, name);
	}
	fclose(f);
	out[len - 1] = '\0';
}

typedef void (*row_fn)(struct rec *r, const char *host,
                       const struct tcp_conn_info *in);

static void
json_time(struct rec *r, const char *key, simtime t)
{
	put(r, ", \"");
	put(r, key);
	put(r, "\": ");
	if (t < 0)
		put(r, "null");
	else
		put_i64(r, t);
}

/* Byte for byte the record summary.json has always had. */
static void
json_row(struct rec *r, const char *host, const struct tcp_conn_info *in)
{
	put(r, "{\"host\": ");
	put(r, host);
	put(r, ", \"conn\": ");
	put_i64(r, in->id);
	put(r, ", \"local\": \"");
	put_endpoint(r, in->laddr, in->lport);
	put(r, "\", \"remote\": \"");
	put_endpoint(r, in->raddr, in->rport);
	put(r, "\", \"passive\": ");
	put(r, in->passive ? "true" : "false");
	put(r, ", \"state\": \"");
	put(r, tcp_state_name(in->state));
	put(r, "\", \"outcome\": \"");
	put(r, summary_conn_outcome(in));
	r->b[r->n++] = '"';
	json_time(r, "opened_ns", in->t_open);
	json_time(r, "established_ns", in->t_established);
	json_time(r, "handshake_ns", in->t_established < 0 ? -1
	          : in->t_established - in->t_open);
	json_time(r, "closed_ns", in->t_closed);
	put(r, ", \"retransmits\": ");
	put_i64(r, in->retransmits);
	put(r, ", \"bytes_sent\": ");
	put_u64(r, in->bytes_sent);
	put(r, ", \"bytes_acked\": ");
	put_u64(r, in->bytes_acked);
	put(r, ", \"bytes_received\": ");
	put_u64(r, in->bytes_received);
	put(r, ", \"mss\": ");
	put_u64(r, in->mss);
	put(r, ", \"sack\": ");
	put(r, in->sack ? "true" : "false");
	put(r, ", \"timestamps\": ");
	put(r, in->ts ? "true" : "false");
	put(r, "}");
}

static void
csv_time(struct rec *r, simtime t)
{
	r->b[r->n++] = ',';
	if (t >= 0)
		put_i64(r, t);
}

static void
csv_row(struct rec *r, const char *host, const struct tcp_conn_info *in)
{
	put(r, host);
	r->b[r->n++] = ',';
	put_i64(r, in->id);
	r->b[r->n++] = ',';
	put_endpoint(r, in->laddr, in->lport);
	r->b[r->n++] = ',';
	put_endpoint(r, in->raddr, in->rport);
	put(r, in->passive ? ",1," : ",0,");
	put(r, tcp_state_name(in->state));
	r->b[r->n++] = ',';
	put(r, summary_conn_outcome(in));
	csv_time(r, in->t_open);
	csv_time(r, in->t_established);
	csv_time(r, in->t_established < 0 ? -1 : in->t_established - in->t_open);
	csv_time(r, in->t_closed);
	r->b[r->n++] = ',';
	put_i64(r, in->retransmits);
	r->b[r->n++] = ',';
	put_u64(r, in->bytes_sent);
	r->b[r->n++] = ',';
	put_u64(r, in->bytes_acked);
	r->b[r->n++] = ',';
	put_u64(r, in->bytes_received);
	r->b[r->n++] = ',';
	put_u64(r, in->mss);
	put(r, in->sack ? ",1" : ",0");
	put(r, in->ts ? ",1\n" : ",0\n");
}

/* Every connection of every host, hosts and connections in creation
 * order; sep goes before each record but the first.  Returns how many. */
static int
each_conn(FILE *f, const struct sim *sim, bool csv, const char *first,
          const char *sep, row_fn row)
{
	int n = 0;
	const struct net *net = sim ? sim->net : NULL;
	struct rec r;
	char host[CONNS_NAME];
	for (int i = 0; net && i < net->nnodes; i++) {
		const struct node *nd = net->nodes[i];
		if (nd->tcp == NULL || tcp_host_nconns(nd->tcp) == 0)
			continue;
		host_name(nd->name, csv, host, sizeof host);
		for (int k = 1; k <= tcp_host_nconns(nd->tcp); k++) {
			struct tcp_conn_info in;
			tcp_conn_info(tcp_host_conn(nd->tcp, k), &in);
			r.n = 0;
			put(&r, n++ ? sep : first);
			row(&r, host, &in);
			fwrite(r.b, 1, r.n, f);
		}
	}
	return n;
}

void
conns_write_json(FILE *f, const struct sim *sim)
{
	fputs("  \"connections\": [", f);
	int n = each_conn(f, sim, false, "\n    ", ",\n    ", json_row);
	fputs(n ? "\n  ],\n" : "],\n", f);
}

void
conns_write_csv(FILE *f, const struct sim *sim)
{
	fputs("host,conn,local,remote,passive,state,outcome,opened_ns,"
	      "established_ns,handshake_ns,closed_ns,retransmits,bytes_sent,"
	      "bytes_acked,bytes_received,mss,sack,timestamps\n", f);
	each_conn(f, sim, true, "", "", csv_row);
}

/* The outcomes counted, in this order: the four without an error, then
 * the errors by code. */
enum { OC_CLOSED, OC_OPEN, OC_OPENING, OC_NEVER, OC_ERR0 };
#define OC_N (OC_ERR0 + SIM_ENERRORS)

void
conns_write_counts(FILE *f, const struct sim *sim)
{
	uint64_t count[OC_N] = { 0 }, total = 0;
	const struct net *net = sim ? sim->net : NULL;
	for (int i = 0; net && i < net->nnodes; i++) {
		const struct node *nd = net->nodes[i];
		if (nd->tcp == NULL)
			continue;
		const struct tcp_forgotten *fg = tcp_host_forgotten(nd->tcp);
		count[OC_CLOSED] += fg->closed;
		count[OC_NEVER] += fg->never;
		for (int e = 1; e < SIM_ENERRORS; e++)
			count[OC_ERR0 + e] += fg->error[e];
		for (int k = 1; k <= tcp_host_nconns(nd->tcp); k++) {
			const struct tcp_conn *c = tcp_host_conn(nd->tcp, k);
			total++;
			if (c == NULL)	/* forgotten: counted above */
				continue;
			struct tcp_conn_info in;
			tcp_conn_info(c, &in);
			int oc = in.error ? OC_ERR0 - in.error :
			         in.t_established < 0 ?
			         (in.state == TCP_CLOSED ? OC_NEVER : OC_OPENING) :
			         in.state == TCP_CLOSED ? OC_CLOSED : OC_OPEN;
			if (oc < OC_N)
				count[oc]++;
		}
	}
	static const char *const names[OC_ERR0] = {
		"closed", "open", "opening", "never-established",
	};
	fprintf(f, "  \"connection_count\": %" PRIu64 ",\n  \"outcomes\": {",
	        total);
	int n = 0;
	for (int oc = 0; oc < OC_N; oc++) {
		if (count[oc] == 0)
			continue;
		fprintf(f, "%s\"%s\": %" PRIu64, n++ ? ", " : "",
		        oc < OC_ERR0 ? names[oc] : sim_strerror(OC_ERR0 - oc),
		        count[oc]);
	}
	fputs("},\n", f);
}
