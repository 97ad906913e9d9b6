/*
 * pcap.c - capture files.  Every field is written byte by byte in a fixed
 * order (network order in the packets, little-endian in the file
 * headers), so no struct padding or host byte order reaches a file.
 */
#include "pcap.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../core/names.h"
#include "../core/outfile.h"
#include "../core/utf8.h"
#include "../net/link.h"
#include "../net/pkt.h"
#include "../tcp/tcp.h"

#define LINKTYPE_RAW 101
#define SNAPLEN 65535

struct pcap_rec {
	simtime t;
	const struct link *link;	/* the one it was sent on, or NULL */
	uint32_t len;
	unsigned char *bytes;
	char *comment;
	int in_flight;		/* the packet and its duplicates not yet
				 * received or dropped */
	simtime done;		/* when the last of them was */
};

/* ---- encoding ------------------------------------------------------------- */

static void
put16(unsigned char *b, uint16_t v)
{
	b[0] = (unsigned char)(v >> 8);
	b[1] = (unsigned char)v;
}

static void
put32(unsigned char *b, uint32_t v)
{
	b[0] = (unsigned char)(v >> 24);
	b[1] = (unsigned char)(v >> 16);
	b[2] = (unsigned char)(v >> 8);
	b[3] = (unsigned char)v;
}

/* RFC 1071: ones' complement sum of 16-bit words. */
static uint32_t
sum16(const unsigned char *b, size_t n, uint32_t acc)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		acc += (uint32_t)b[i] << 8 | b[i + 1];
	if (n & 1)
		acc += (uint32_t)b[n - 1] << 8;
	return acc;
}

static uint16_t
fold(uint32_t acc)
{
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return (uint16_t)~acc;
}

/* Options in Linux's layout: MSS, SACK-permitted + timestamps (or NOPs
 * in place of a missing one), NOP + window scale, NOP NOP + SACK blocks. */
static size_t
encode_options(const struct tcp_opts *o, unsigned char *b)
{
	size_t n = 0;
	if (o->present & OPT_MSS) {
		b[n++] = 2;
		b[n++] = 4;
		put16(b + n, o->mss);
		n += 2;
	}
	if (o->present & OPT_TS) {
		if (o->present & OPT_SACKOK) {
			b[n++] = 4;
			b[n++] = 2;
		} else {
			b[n++] = 1;
			b[n++] = 1;
		}
		b[n++] = 8;
		b[n++] = 10;
		put32(b + n, o->tsval);
		put32(b + n + 4, o->tsecr);
		n += 8;
	} else if (o->present & OPT_SACKOK) {
		b[n++] = 1;
		b[n++] = 1;
		b[n++] = 4;
		b[n++] = 2;
	}
	if (o->present & OPT_WSCALE) {
		b[n++] = 1;
		b[n++] = 3;
		b[n++] = 3;
		b[n++] = o->wscale;
	}
	/* RFC 2018 3: kind 5, length 2 + 8n, then each block's left and
	 * right edge; Linux puts two NOPs before it. */
	if ((o->present & OPT_SACK) && o->nsack) {
		b[n++] = 1;
		b[n++] = 1;
		b[n++] = 5;
		b[n++] = (unsigned char)(2 + 8 * o->nsack);
		for (int i = 0; i < o->nsack; i++) {
			put32(b + n, o->sack[i][0]);
			put32(b + n + 4, o->sack[i][1]);
			n += 8;
		}
	}
	return n;
}

/* An IPv4 header (RFC 791) with its checksum; DF set as Linux does for
 * TCP (ICMP errors go without it, as Linux's icmp_send). */
static void
encode_ip(unsigned char *ip, uint16_t total, uint16_t id, uint8_t ttl,
          uint8_t proto, uint32_t src, uint32_t dst)
{
	ip[0] = 0x45;
	put16(ip + 2, total);
	put16(ip + 4, id);
	put16(ip + 6, proto == 6 ? 0x4000 : 0);
	ip[8] = ttl;
	ip[9] = proto;
	put32(ip + 12, src);
	put32(ip + 16, dst);
	put16(ip + 10, fold(sum16(ip, 20, 0)));
}

/* ICMP error (RFC 792): type, code, checksum, 4 unused bytes, then the
 * quoted IPv4 header and the first 8 bytes of TCP. */
static size_t
encode_icmp(const struct pkt *p, unsigned char *b, size_t total)
{
	const struct pkt_quote *q = &p->quote;
	encode_ip(b, (uint16_t)total, p->ip_id, p->ttl, 1, p->src, p->dst);
	unsigned char *icmp = b + 20;
	icmp[0] = p->icmp_type;
	icmp[1] = p->icmp_code;
	encode_ip(icmp + 8, q->ip_len, q->ip_id, q->ttl, 6, q->src, q->dst);
	put16(icmp + 28, q->sport);
	put16(icmp + 30, q->dport);
	put32(icmp + 32, q->seq);
	put16(icmp + 2, fold(sum16(icmp, 8 + PKT_ICMP_QUOTE, 0)));
	return total;
}

size_t
pcap_encode(const struct pkt *p, unsigned char *b, size_t len)
{
	size_t total = pkt_wire_len(p);
	if (total > len)
		return 0;
	memset(b, 0, total);
	if (p->icmp)
		return encode_icmp(p, b, total);
	unsigned char *ip = b, *tcp = b + 20;
	size_t olen = encode_options(&p->opt, tcp + 20);
	size_t thl = 20 + olen;
	encode_ip(ip, (uint16_t)total, p->ip_id, p->ttl, 6, p->src, p->dst);
	/* TCP (RFC 9293 3.1) */
	put16(tcp, p->sport);
	put16(tcp + 2, p->dport);
	put32(tcp + 4, p->seq);
	put32(tcp + 8, (p->flags & TH_ACK) ? p->ack : 0);
	tcp[12] = (unsigned char)((thl / 4) << 4);
	tcp[13] = p->flags;
	put16(tcp + 14, p->wnd);
	if (p->len && p->data)
		memcpy(tcp + thl, p->data, p->len);
	/* Checksum over the pseudo-header, the header and the data. */
	unsigned char pseudo[12];
	put32(pseudo, p->src);
	put32(pseudo + 4, p->dst);
	pseudo[8] = 0;
	pseudo[9] = 6;
	put16(pseudo + 10, (uint16_t)(thl + p->len));
	uint32_t acc = sum16(pseudo, 12, 0);
	acc = sum16(tcp, thl + p->len, acc);
	put16(tcp + 16, fold(acc));
	return total;
}

/* ---- classic pcap ----------------------------------------------------------- */

static void
le16(FILE *f, uint16_t v)
{
	fputc(v & 0xff, f);
	fputc(v >> 8, f);
}

static void
le32(FILE *f, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		fputc((v >> (8 * i)) & 0xff, f);
}

void
pcap_write_header(FILE *f)
{
	le32(f, 0xa1b23c4d);	/* nanosecond timestamps */
	le16(f, 2);
	le16(f, 4);
	le32(f, 0);
	le32(f, 0);
	le32(f, SNAPLEN);
	le32(f, LINKTYPE_RAW);
}

static void
write_record(FILE *f, simtime t, const unsigned char *b, uint32_t n)
{
	le32(f, (uint32_t)(t / SIMTIME_S));
	le32(f, (uint32_t)(t % SIMTIME_S));
	le32(f, n);
	le32(f, n);
	fwrite(b, 1, n, f);
}

/* ---- keeping records for pcapng ---------------------------------------------
 *
 * A packet's record waits until its fate is known: received or dropped,
 * with every duplicate, and the instant of the last of those is over
 * (the state changes its arrival causes come at that same instant).
 * Records are written in the order the packets were sent, so one packet
 * long on the wire holds back those sent after it; memory is bounded by
 * what is in flight, not by the length of the run.
 */

static struct pcap_rec *
rec_at(struct pcapsink *s, uint64_t seq)
{
	return &s->recs[seq - s->base];
}

static struct pcap_rec *
rec_for(struct pcapsink *s, uint64_t id)
{
	if (id == 0 || id > s->ids || s->by_id[id - 1] == 0)
		return NULL;
	uint64_t seq = s->by_id[id - 1] - 1;
	return seq < s->head ? NULL : rec_at(s, seq);
}

static void
comment(struct pcapsink *s, uint64_t id, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
comment(struct pcapsink *s, uint64_t id, const char *fmt, ...)
{
	struct pcap_rec *r = rec_for(s, id);
	if (r == NULL)
		return;
	char add[256];
	va_list ap;
	va_start(ap, fmt);
	if (vsnprintf(add, sizeof add, fmt, ap) >= (int)sizeof add)
		add[utf8_prefix(add, sizeof add - 1)] = '\0';	/* whole chars */
	va_end(ap);
	size_t old = r->comment ? strlen(r->comment) : 0;
	char *c = realloc(r->comment, old + strlen(add) + 3);
	if (c == NULL)
		return;
	if (old)
		strcpy(c + old, "; ");
	strcpy(c + old + (old ? 2 : 0), add);
	r->comment = c;
}

/* The packet (or a duplicate of it) reached its end at t. */
static void
landed(struct pcapsink *s, uint64_t id, simtime t)
{
	struct pcap_rec *r = rec_for(s, id);
	if (r == NULL || r->in_flight == 0)
		return;		/* a segment TCP ignored after receiving it */
	if (--r->in_flight == 0)
		r->done = t;
}

/* Room in by_id for packet id. */
static int
ids_reach(struct pcapsink *s, uint64_t id)
{
	if (id <= s->ids)
		return 0;
	uint64_t ids = id + 1024;
	uint64_t *v = realloc(s->by_id, sizeof *v * ids);
	if (v == NULL) {
		s->oom = 1;
		return -1;
	}
	memset(v + s->ids, 0, sizeof *v * (ids - s->ids));
	s->by_id = v;
	s->ids = ids;
	return 0;
}

static void
keep(struct pcapsink *s, simtime t, const struct pkt *p, const unsigned char *b,
     uint32_t n)
{
	if (s->oom)
		return;
	/* Slide the live records down once the written ones outnumber them. */
	uint64_t gone = s->head - s->base, live = s->nrecs - s->head;
	if (gone >= 1024 && gone >= live) {
		memmove(s->recs, rec_at(s, s->head), sizeof *s->recs * live);
		s->base = s->head;
	}
	if (s->nrecs - s->base == s->cap) {
		uint64_t cap = s->cap ? 2 * s->cap : 256;
		struct pcap_rec *v = realloc(s->recs, sizeof *v * cap);
		if (v == NULL) {
			s->oom = 1;
			return;
		}
		s->recs = v;
		s->cap = cap;
	}
	if (ids_reach(s, p->id) < 0)
		return;
	struct pcap_rec *r = rec_at(s, s->nrecs);
	r->t = t;
	r->link = p->link;
	r->len = n;
	r->bytes = malloc(n);
	r->comment = NULL;
	r->in_flight = 1;
	r->done = 0;
	if (r->bytes == NULL) {
		s->oom = 1;
		return;
	}
	memcpy(r->bytes, b, n);
	s->by_id[p->id - 1] = ++s->nrecs;
}

static void write_epb(struct pcapsink *s, const struct pcap_rec *r);

/* Write the records, oldest first, whose fate was sealed before now. */
static void
flush(struct pcapsink *s, simtime now)
{
	while (s->head < s->nrecs) {
		struct pcap_rec *r = rec_at(s, s->head);
		if (r->in_flight > 0 || r->done >= now)
			break;
		if (s->ng)
			write_epb(s, r);
		free(r->bytes);
		free(r->comment);
		s->head++;
	}
}

/* The table v, indexed by link id (*n entries of size bytes), grown to
 * hold id with the new entries zeroed; NULL when out of memory (v is then
 * left as it was). */
static void *
grow_by_id(void *v, int *n, int id, size_t size)
{
	if (id < *n)
		return v;
	int m = id + 8;
	unsigned char *t = realloc(v, size * (size_t)m);
	if (t == NULL)
		return NULL;
	memset(t + size * (size_t)*n, 0, size * (size_t)(m - *n));
	*n = m;
	return t;
}

/* Capture file slot k, named name, opened the first time it is used.
 * The link captures take the even slots (2 x link id), the host
 * captures the odd ones (2 x node id + 1): one table, committed and
 * listed as one. */
static FILE *
capture_file(struct pcapsink *s, int k, const char *prefix, const char *what)
{
	if (s->dir == NULL)
		return NULL;
	struct outfile *links = grow_by_id(s->links, &s->nlinks, k,
	                                   sizeof *links);
	if (links == NULL)
		return NULL;
	s->links = links;
	struct outfile *o = &s->links[k];
	if (o->f == NULL && o->path == NULL) {
		char name[200];
		snprintf(name, sizeof name, "%s-%s.pcap", prefix, what);
		/* Names are checked where they are given (names.h); this
		 * keeps a file from leaving DIR whatever reaches here. */
		if (!name_file_safe(name))
			return NULL;
		if (outfile_open(o, s->dir, name))
			pcap_write_header(o->f);
	}
	return o->f;
}

/* The capture file of link l ("link-client-server.pcap"). */
static FILE *
link_file(struct pcapsink *s, const struct link *l)
{
	return capture_file(s, 2 * l->id, "link", l->name);
}

/* What tcpdump on host n would capture ("host-client.pcap"): the
 * packets it put on a link and those that reached it, not those lost on
 * the way nor one it had no route for. */
static FILE *
host_file(struct pcapsink *s, const struct node *n)
{
	if (n->kind != NODE_HOST)
		return NULL;
	return capture_file(s, 2 * n->id + 1, "host", n->name);
}

int
pcap_commit_links(struct pcapsink *s)
{
	int rc = 0;
	for (int i = 0; i < s->nlinks; i++)
		if (s->links[i].f && outfile_commit(&s->links[i]) < 0)
			rc = -1;
	return rc;
}

void
pcap_event(void *ctx, const struct trace_event *ev)
{
	struct pcapsink *s = ctx;
	if (ev->kind == TR_STATE) {
		/* Caused by the packet being received, if one is: the last
		 * one received, at this host and this instant (a timer's
		 * state change follows no packet). */
		if (s->last_recv && s->last_recv_t == ev->t && s->last_recv_at &&
		    ev->node && strcmp(s->last_recv_at, ev->node) == 0)
			comment(s, s->last_recv, "%s #%d %s → %s", ev->node,
			        tcp_conn_id(ev->u.state.conn),
			        tcp_state_name(ev->u.state.from),
			        tcp_state_name(ev->u.state.to));
		return;
	}
	if (ev->kind != TR_PKT)
		return;
	const struct pkt *p = ev->u.pkt.pkt;
	/* A duplicate (of a duplicate, ...) answers to its original's
	 * record: by_id maps its id there when it is made (PKT_DUP). */
	flush(s, ev->t);
	s->last_recv = 0;
	switch (ev->u.pkt.op) {
	case PKT_SEND:
	case PKT_FORWARD: {
		unsigned char buf[SNAPLEN];
		uint32_t n = (uint32_t)pcap_encode(p, buf, sizeof buf);
		if (n == 0)
			return;
		if (ev->u.pkt.op == PKT_SEND) {
			if (s->merged)
				write_record(s->merged, ev->t, buf, n);
			keep(s, ev->t, p, buf, n);
			comment(s, p->id, "sent by %s%s%s", ev->node,
			        ev->u.pkt.reason ? ": " : "",
			        ev->u.pkt.reason ? ev->u.pkt.reason : "");
		}
		FILE *lf = p->link ? link_file(s, p->link) : NULL;
		if (lf)
			write_record(lf, ev->t, buf, n);
		FILE *hf = p->link && ev->u.pkt.op == PKT_SEND ?
		           host_file(s, p->link->node[p->dir]) : NULL;
		if (hf)
			write_record(hf, ev->t, buf, n);
		break;
	}
	case PKT_DROP:
		comment(s, p->id, "dropped at %s: %s%s",
		        ev->node, p->dup_of ? "(its duplicate) " : "",
		        ev->u.pkt.reason ? ev->u.pkt.reason : "lost");
		landed(s, p->id, ev->t);
		break;
	case PKT_DUP: {
		struct pcap_rec *r = rec_for(s, p->dup_of);
		if (r == NULL || ids_reach(s, p->id) < 0)
			break;
		s->by_id[p->id - 1] = s->by_id[p->dup_of - 1];
		comment(s, p->id, "duplicated by %s", ev->node);
		r->in_flight++;
		break;
	}
	case PKT_RECV: {
		unsigned char buf[SNAPLEN];
		uint32_t n = p->link ? (uint32_t)pcap_encode(p, buf, sizeof buf) : 0;
		FILE *hf = n ? host_file(s, p->link->node[1 - p->dir]) : NULL;
		if (hf)
			write_record(hf, ev->t, buf, n);
		s->last_recv = p->id;
		s->last_recv_t = ev->t;
		s->last_recv_at = ev->node;
		comment(s, p->id, "received by %s", ev->node);
		landed(s, p->id, ev->t);
		break;
	}
	}
}

/* ---- pcapng ------------------------------------------------------------------- */

static void
pad4(FILE *f, size_t n)
{
	for (; n % 4; n++)
		fputc(0, f);
}

/* An option: code, length, value, padding to 4 bytes. */
static void
put_option(FILE *f, uint16_t code, const char *v, size_t n)
{
	le16(f, code);
	le16(f, (uint16_t)n);
	fwrite(v, 1, n, f);
	pad4(f, n);
}

static size_t
option_len(size_t n)
{
	return 4 + ((n + 3) & ~(size_t)3);
}

/* s as pcapng text (UTF-8, as the format requires): a byte that starts
 * no character becomes '?'; at most len - 1 bytes, whole characters. */
static void
utf8_text(const char *s, char *out, size_t len)
{
	size_t n = 0;
	while (*s) {
		int k = utf8_char_len(s);
		size_t w = k > 0 ? (size_t)k : 1;
		if (n + w >= len)
			break;
		if (k > 0)
			memcpy(out + n, s, w);
		else
			out[n] = '?';
		n += w;
		s += w;
	}
	out[n] = '\0';
}

void
pcap_start_ng(struct pcapsink *s, FILE *f, const char *comment)
{
	static const char app[] = "synsim";
	char text[4096];
	utf8_text(comment ? comment : "", text, sizeof text);
	size_t clen = strlen(text);
	s->ng = f;
	/* Section header block: the comment (shb_comment, code 1), the
	 * application (shb_userappl, code 4). */
	uint32_t shb_len = (uint32_t)(28 + (clen ? option_len(clen) : 0) +
	                              option_len(strlen(app)) + 4);
	le32(f, 0x0a0d0d0a);
	le32(f, shb_len);
	le32(f, 0x1a2b3c4d);
	le16(f, 1);
	le16(f, 0);
	le32(f, 0xffffffff);	/* section length unknown */
	le32(f, 0xffffffff);
	if (clen)
		put_option(f, 1, text, clen);
	put_option(f, 4, app, strlen(app));
	le32(f, 0);		/* opt_endofopt */
	le32(f, shb_len);
}

/* An interface description block named name, nanosecond resolution;
 * returns its number. */
static int
write_idb(struct pcapsink *s, const char *name)
{
	FILE *f = s->ng;
	char text[256];
	utf8_text(name, text, sizeof text);
	size_t nlen = strlen(text);
	uint32_t idb_len = (uint32_t)(20 + option_len(nlen) + 8 + 4);
	le32(f, 1);
	le32(f, idb_len);
	le16(f, LINKTYPE_RAW);
	le16(f, 0);
	le32(f, SNAPLEN);
	put_option(f, 2, text, nlen);	/* if_name */
	le16(f, 9);		/* if_tsresol */
	le16(f, 1);
	fputc(9, f);		/* 10^-9 */
	pad4(f, 1);
	le32(f, 0);		/* opt_endofopt */
	le32(f, idb_len);
	return s->nifs++;
}

/* The interface of a record's link, described the first time it is
 * needed: interfaces come in the order of the first packet on each.
 * -1 when out of memory. */
static int
interface_of(struct pcapsink *s, const struct link *l)
{
	if (l == NULL) {
		if (s->noroute_if == 0)
			s->noroute_if = write_idb(s, "no-route") + 1;
		return s->noroute_if - 1;
	}
	int *ifnum = grow_by_id(s->ifnum, &s->nifnum, l->id, sizeof *ifnum);
	if (ifnum == NULL)
		return -1;
	s->ifnum = ifnum;
	if (s->ifnum[l->id] == 0)
		s->ifnum[l->id] = write_idb(s, l->name) + 1;
	return s->ifnum[l->id] - 1;
}

/* An enhanced packet block, with the record's comment. */
static void
write_epb(struct pcapsink *s, const struct pcap_rec *r)
{
	int ifn = interface_of(s, r->link);
	if (ifn < 0) {
		s->oom = 1;
		return;
	}
	FILE *f = s->ng;
	size_t clen = r->comment ? utf8_prefix(r->comment, 65000) : 0;
	size_t dlen = (r->len + 3) & ~(size_t)3;
	size_t olen = clen ? option_len(clen) + 4 : 0;	/* + opt_endofopt */
	uint32_t blen = (uint32_t)(28 + dlen + olen + 4);
	uint64_t ts = (uint64_t)r->t;
	le32(f, 6);
	le32(f, blen);
	le32(f, (uint32_t)ifn);
	le32(f, (uint32_t)(ts >> 32));
	le32(f, (uint32_t)ts);
	le32(f, r->len);
	le32(f, r->len);
	fwrite(r->bytes, 1, r->len, f);
	pad4(f, r->len);
	if (clen) {
		put_option(f, 1, r->comment, clen);	/* opt_comment */
		le32(f, 0);
	}
	le32(f, blen);
}

void
pcap_finish_ng(struct pcapsink *s)
{
	/* Whatever is still on the wire goes out as it is. */
	for (uint64_t i = s->head; i < s->nrecs; i++)
		rec_at(s, i)->in_flight = 0;
	flush(s, SIMTIME_MAX);
}

void
pcap_free(struct pcapsink *s)
{
	for (uint64_t i = s->head; i < s->nrecs; i++) {
		free(rec_at(s, i)->bytes);
		free(rec_at(s, i)->comment);
	}
	free(s->recs);
	free(s->by_id);
	free(s->ifnum);
	for (int i = 0; i < s->nlinks; i++)
		outfile_discard(&s->links[i]);
	free(s->links);
	*s = (struct pcapsink){ 0 };
}
