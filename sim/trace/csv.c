/*
 * csv.c - the CSV sinks.  A researcher loads these in pandas or R with no
 * cleanup: RFC 4180 quoting, one header row, empty fields for "none".
 */
#include "csv.h"

#include <inttypes.h>
#include <string.h>

#include "../net/link.h"
#include "../net/net.h"
#include "../tcp/tcp.h"

static const char *const pkt_ops[] = {
	[PKT_SEND] = "send", [PKT_RECV] = "recv", [PKT_DROP] = "drop",
	[PKT_DUP] = "dup", [PKT_FORWARD] = "forward",
};

void
csv_field(FILE *f, const char *s)
{
	if (s == NULL)
		return;
	if (strpbrk(s, ",\"\n\r") == NULL) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

void
csv_header(struct csvsink *c)
{
	if (c->pkts)
		fputs("t_ns,pkt_id,at,link,hop_to,from,to,event,flags,seq,ack,"
		      "rel_seq,rel_ack,len,wnd,ttl,options,reason,rule,dup_of,"
		      "event_no,retx\n",
		      c->pkts);
	if (c->states)
		fputs("t_ns,host,conn,from_state,to_state,cause,rule,event_no,"
		      "peer\n",
		      c->states);
	if (c->queues)
		fputs("t_ns,host,port,syn_queue,accept_queue,backlog,event\n",
		      c->queues);
}

static const char *
name_of(const struct sim *sim, uint32_t addr, char *buf, size_t len)
{
	const struct node *n = sim->net ? net_find_addr(sim->net, addr) : NULL;
	return n ? n->name : pkt_addr_str(addr, buf, len);
}

/* "mss=1460;wscale=7;sackOK;ts=V/E;sack=L-R,L-R" into buf, the field
 * packets.csv quotes (its SACK blocks hold commas). */
static void
options(char *buf, size_t len, const struct tcp_opts *o)
{
	size_t n = 0;
	buf[0] = '\0';
#define PUT(...) \
	(n += (size_t)snprintf(buf + n, n < len ? len - n : 0, __VA_ARGS__))
	const char *sep = "";
	if (o->present & OPT_MSS) {
		PUT("mss=%u", o->mss);
		sep = ";";
	}
	if (o->present & OPT_WSCALE) {
		PUT("%swscale=%u", sep, o->wscale);
		sep = ";";
	}
	if (o->present & OPT_SACKOK) {
		PUT("%ssackOK", sep);
		sep = ";";
	}
	if (o->present & OPT_TS) {
		PUT("%sts=%" PRIu32 "/%" PRIu32, sep, o->tsval, o->tsecr);
		sep = ";";
	}
	/* sack=L-R,L-R: absolute edges, as on the wire */
	if ((o->present & OPT_SACK) && o->nsack) {
		PUT("%ssack=", sep);
		for (int i = 0; i < o->nsack; i++)
			PUT("%s%" PRIu32 "-%" PRIu32, i ? "," : "", o->sack[i][0],
			    o->sack[i][1]);
	}
#undef PUT
}

static void
packet_row(struct csvsink *c, const struct trace_event *ev)
{
	const struct pkt *p = ev->u.pkt.pkt;
	FILE *f = c->pkts;
	char a[16], b[16], flags[40];
	fprintf(f, "%" PRId64 ",%" PRIu64 ",", ev->t, p->id);
	csv_field(f, ev->node);
	fputc(',', f);
	csv_field(f, p->link ? p->link->name : "");
	fputc(',', f);
	csv_field(f, p->link ? p->link->node[1 - p->dir]->name : "");
	fputc(',', f);
	csv_field(f, name_of(c->sim, p->src, a, sizeof a));
	fputc(',', f);
	csv_field(f, name_of(c->sim, p->dst, b, sizeof b));
	fprintf(f, ",%s,%s,", pkt_ops[ev->u.pkt.op],
	        pkt_kind_str(p, flags, sizeof flags));
	if (!p->icmp)	/* ICMP has no sequence number */
		fprintf(f, "%" PRIu32, p->seq);
	fputc(',', f);
	if (p->flags & TH_ACK)
		fprintf(f, "%" PRIu32, p->ack);
	fputc(',', f);
	if (ev->u.pkt.rel_seq_ok)
		fprintf(f, "%" PRIu32, ev->u.pkt.rel_seq);
	fputc(',', f);
	if (ev->u.pkt.rel_ack_ok && (p->flags & TH_ACK))
		fprintf(f, "%" PRIu32, ev->u.pkt.rel_ack);
	fprintf(f, ",%" PRIu32 ",%u,%u,", p->len, p->wnd, p->ttl);
	char opts[256];
	options(opts, sizeof opts, &p->opt);
	csv_field(f, opts);
	fputc(',', f);
	csv_field(f, ev->u.pkt.reason);
	fputc(',', f);
	if (ev->u.pkt.rule)
		fprintf(f, "%d", ev->u.pkt.rule);
	fputc(',', f);
	if (p->dup_of)
		fprintf(f, "%" PRIu64, p->dup_of);
	fprintf(f, ",%" PRIu64 ",%d\n", ++c->rows, p->retx);
}

void
csv_event(void *ctx, const struct trace_event *ev)
{
	struct csvsink *c = ctx;
	if (ev->kind == TR_PKT && c->pkts) {
		packet_row(c, ev);
	} else if (ev->kind == TR_STATE && c->states) {
		FILE *f = c->states;
		fprintf(f, "%" PRId64 ",", ev->t);
		csv_field(f, ev->node);
		fprintf(f, ",%d,%s,%s,", tcp_conn_id(ev->u.state.conn),
		        tcp_state_name(ev->u.state.from),
		        tcp_state_name(ev->u.state.to));
		csv_field(f, ev->u.state.cause);
		fputc(',', f);
		csv_field(f, ev->u.state.rule);
		fprintf(f, ",%" PRIu64 ",", ++c->rows);
		struct tcp_conn_info in;
		char a[16];
		tcp_conn_info(ev->u.state.conn, &in);
		csv_field(f, name_of(c->sim, in.raddr, a, sizeof a));
		fputc('\n', f);
	} else if (ev->kind == TR_QUEUE && c->queues) {
		FILE *f = c->queues;
		fprintf(f, "%" PRId64 ",", ev->t);
		csv_field(f, ev->node);
		fprintf(f, ",%d,%d,%d,%d,", ev->u.queue.port, ev->u.queue.synq,
		        ev->u.queue.acceptq, ev->u.queue.backlog);
		csv_field(f, ev->u.queue.what);
		fputc('\n', f);
	}
}
