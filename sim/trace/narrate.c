/*
 * narrate.c - trace events in plain words, aligned on simulated time.
 * Every packet line says who did what with which segment, and why when
 * the producer said (a retransmission, the rule that dropped it); every
 * state line says what caused it and, with --explain, the rule of RFC 9293
 * or of the profile behind it, as does every segment a host receives.
 */
#include "narrate.h"

#include <stdarg.h>
#include <string.h>

#include "../core/error.h"
#include "../net/link.h"
#include "../net/net.h"
#include "../tcp/tcp.h"
#include "json.h"

static int
name_width(const struct sim *sim)
{
	int w = 8;
	const struct net *net = sim ? sim->net : NULL;
	if (net == NULL)
		return w;
	for (int i = 0; i < net->nnodes; i++)
		if ((int)strlen(net->nodes[i]->name) > w)
			w = (int)strlen(net->nodes[i]->name);
	for (int i = 0; i < net->nlinks; i++)
		if ((int)strlen(net->links[i]->name) > w)
			w = (int)strlen(net->links[i]->name);
	return w > 24 ? 24 : w;
}

static void
emit(struct narrate *n, simtime t, const char *node, const char *fmt, ...)
{
	char when[32];
	if (n->width == 0 && n->sim && n->sim->net)
		n->width = name_width(n->sim);
	simtime_format(t, when, sizeof when);
	FILE *streams[2] = { n->out, n->echo };
	for (int i = 0; i < 2; i++) {
		if (streams[i] == NULL)
			continue;
		va_list ap;
		va_start(ap, fmt);
		fprintf(streams[i], "%12s  %-*s ", when, n->width ? n->width : 8,
		        node ? node : "scenario");
		vfprintf(streams[i], fmt, ap);
		fputc('\n', streams[i]);
		va_end(ap);
	}
}

void
narrate_line(struct narrate *n, const char *text)
{
	if (n->out)
		fprintf(n->out, "%s\n", text);
	if (n->echo)
		fprintf(n->echo, "%s\n", text);
}

static size_t
add(char *buf, size_t len, size_t at, const char *fmt, ...)
{
	if (at >= len)
		return at;
	va_list ap;
	va_start(ap, fmt);
	int w = vsnprintf(buf + at, len - at, fmt, ap);
	va_end(ap);
	return w < 0 ? at : at + (size_t)w;
}

void
narrate_pkt(const struct trace_event *ev, bool absolute, char *buf, size_t len)
{
	const struct pkt *p = ev->u.pkt.pkt;
	char flags[40];
	if (p->icmp) {
		char a[16];
		const struct pkt_quote *q = &p->quote;
		snprintf(buf, len, "ICMP %s for %s to %s:%u",
		         p->icmp_type == ICMP_UNREACH &&
		         p->icmp_code == ICMP_UNREACH_HOST ? "host unreachable" :
		         "error", pkt_flags_str(q->flags, flags, sizeof flags),
		         pkt_addr_str(q->dst, a, sizeof a), q->dport);
		return;
	}
	uint32_t seq = absolute ? p->seq : ev->u.pkt.rel_seq;
	uint32_t ack = absolute ? p->ack : ev->u.pkt.rel_ack;
	size_t n = add(buf, len, 0, "%s seq %u", pkt_flags_str(p->flags, flags,
	                                                    sizeof flags), seq);
	if (p->len)
		n = add(buf, len, n, ":%u", seq + p->len);
	if (p->flags & TH_ACK)
		n = add(buf, len, n, " ack %u", ack);
	if (p->len)
		n = add(buf, len, n, " (%u bytes)", p->len);
	if (!(p->flags & TH_RST))
		n = add(buf, len, n, " win %u", p->wnd);
	const struct tcp_opts *o = &p->opt;
	if (o->present & (OPT_MSS | OPT_WSCALE | OPT_SACKOK)) {
		const char *sep = " <";
		if (o->present & OPT_MSS) {
			n = add(buf, len, n, "%smss %u", sep, o->mss);
			sep = ",";
		}
		if (o->present & OPT_SACKOK) {
			n = add(buf, len, n, "%ssackOK", sep);
			sep = ",";
		}
		if (o->present & OPT_TS) {
			n = add(buf, len, n, "%sTS", sep);
			sep = ",";
		}
		if (o->present & OPT_WSCALE)
			n = add(buf, len, n, "%swscale %u", sep, o->wscale);
		n = add(buf, len, n, ">");
	}
	if ((o->present & OPT_SACK) && o->nsack && (p->flags & TH_ACK)) {
		/* Edges in the numbering of the ack field.  RFC 2883 4: a
		 * first block below the ACK, or inside the second, reports a
		 * duplicate (D-SACK). */
		uint32_t base = absolute ? 0 : p->ack - ev->u.pkt.rel_ack;
		bool dsack = (int32_t)(o->sack[0][1] - p->ack) <= 0 ||
		             (o->nsack > 1 &&
		              (int32_t)(o->sack[0][0] - o->sack[1][0]) >= 0 &&
		              (int32_t)(o->sack[0][1] - o->sack[1][1]) <= 0);
		for (int i = 0; i < o->nsack; i++)
			n = add(buf, len, n, "%s%u:%u", i == 0 ?
			        (dsack ? " <dsack " : " <sack ") :
			        i == 1 && dsack ? ", sack " : ", ",
			        o->sack[i][0] - base, o->sack[i][1] - base);
		add(buf, len, n, ">");
	}
}

static const char *
node_name(const struct sim *sim, uint32_t addr, char *buf, size_t len)
{
	const struct node *nd = sim && sim->net ? net_find_addr(sim->net, addr) : NULL;
	if (nd)
		return nd->name;
	return pkt_addr_str(addr, buf, len);
}

static void
narrate_packet(struct narrate *n, const struct trace_event *ev)
{
	const struct pkt *p = ev->u.pkt.pkt;
	char d[320], a1[16], a2[16];
	narrate_pkt(ev, n->absolute, d, sizeof d);
	const char *src = node_name(n->sim, p->src, a1, sizeof a1);
	const char *dst = node_name(n->sim, p->dst, a2, sizeof a2);
	const char *why = ev->u.pkt.reason;
	char dport[8] = "", sport[8] = "";
	/* ICMP has no ports. */
	if (!p->icmp) {
		snprintf(dport, sizeof dport, ":%u", p->dport);
		snprintf(sport, sizeof sport, ":%u", p->sport);
	}
	switch (ev->u.pkt.op) {
	case PKT_SEND:
		emit(n, ev->t, ev->node, "sends %s to %s%s%s%s", d, dst, dport,
		     why ? ": " : "", why ? why : "");
		break;
	case PKT_RECV:
		if (n->explain && ev->u.pkt.decision)
			emit(n, ev->t, ev->node, "receives %s from %s%s [%s]", d, src,
			     sport, ev->u.pkt.decision);
		else
			emit(n, ev->t, ev->node, "receives %s from %s%s", d, src,
			     sport);
		break;
	case PKT_DROP:
		emit(n, ev->t, ev->node, "drops %s %s→%s: %s", d, src, dst,
		     why ? why : "lost");
		break;
	case PKT_DUP:
		emit(n, ev->t, ev->node, "duplicates %s %s→%s%s%s", d, src, dst,
		     why ? ": " : "", why ? why : "");
		break;
	case PKT_FORWARD:
		emit(n, ev->t, ev->node, "forwards %s %s→%s (ttl %u)", d, src, dst,
		     p->ttl);
		break;
	}
}

/* A call the application makes, or what TCP tells it. */
static void
narrate_app(struct narrate *n, const struct trace_event *ev)
{
	const char *call = ev->u.app.call, *detail = ev->u.app.detail;
	int id = tcp_conn_id(ev->u.app.conn);
	char buf[40], a[16];
	if (strcmp(call, "error") == 0) {
		emit(n, ev->t, ev->node, "#%d the application gets %s", id, detail);
	} else if (strcmp(call, "connected") == 0) {
		simtime_format_short(ev->u.app.value, buf, sizeof buf);
		emit(n, ev->t, ev->node, "#%d the application is connected "
		     "(handshake %s)", id, buf);
	} else if (strcmp(call, "accepted") == 0) {
		struct tcp_conn_info in;
		tcp_conn_info(ev->u.app.conn, &in);
		emit(n, ev->t, ev->node, "#%d the application accepts the "
		     "connection from %s:%u", id,
		     node_name(n->sim, in.raddr, a, sizeof a), in.rport);
	} else if (strcmp(call, "data") == 0) {
		emit(n, ev->t, ev->node, "#%d the application gets %lld byte%s", id,
		     (long long)ev->u.app.value, ev->u.app.value == 1 ? "" : "s");
	} else if (strcmp(call, "eof") == 0) {
		emit(n, ev->t, ev->node, "#%d the application reads the end of "
		     "the stream", id);
	} else if (strcmp(call, "closed") == 0) {
		emit(n, ev->t, ev->node, "#%d the application learns the "
		     "connection is closed%s%s%s", id, detail ? " (" : "",
		     detail ? detail : "", detail ? ")" : "");
	} else {
		emit(n, ev->t, ev->node, "#%d the application calls %s()%s%s", id,
		     call, detail ? " " : "", detail ? detail : "");
	}
}

void
narrate_event(void *ctx, const struct trace_event *ev)
{
	struct narrate *n = ctx;
	switch (ev->kind) {
	case TR_LOG:
		emit(n, ev->t, ev->node, "%s", ev->u.log.text);
		break;
	case TR_METRIC: {
		char num[32];
		emit(n, ev->t, ev->node, "metric %s = %s", ev->u.metric.name,
		     json_number_str(ev->u.metric.value, num, sizeof num));
		break;
	}
	case TR_PKT:
		narrate_packet(n, ev);
		break;
	case TR_STATE: {
		int id = tcp_conn_id(ev->u.state.conn);
		const char *rule = ev->u.state.rule;
		if (n->explain && rule)
			emit(n, ev->t, ev->node, "#%d %s → %s (%s) [%s]", id,
			     tcp_state_name(ev->u.state.from),
			     tcp_state_name(ev->u.state.to), ev->u.state.cause, rule);
		else
			emit(n, ev->t, ev->node, "#%d %s → %s (%s)", id,
			     tcp_state_name(ev->u.state.from),
			     tcp_state_name(ev->u.state.to), ev->u.state.cause);
		break;
	}
	case TR_TIMER: {
		static const char *const ops[] = { "set", "expired", "cancelled" };
		if (!n->timers && ev->u.timer.op != TIMER_FIRE)
			break;
		if (!n->explain && !n->timers)
			break;
		char at[32];
		simtime_format(ev->u.timer.at, at, sizeof at);
		emit(n, ev->t, ev->node, "#%d %s timer %s%s%s",
		     tcp_conn_id(ev->u.timer.conn), ev->u.timer.name,
		     ops[ev->u.timer.op], ev->u.timer.op == TIMER_SET ? " for " : "",
		     ev->u.timer.op == TIMER_SET ? at : "");
		break;
	}
	case TR_APP:
		narrate_app(n, ev);
		break;
	default:
		break;
	}
}
