/*
 * explain.c - the explain.csv sink (explain.h).  It writes only what
 * packets.csv and states.csv do not carry, numbered as they number their
 * rows, so the three files merge into one order.
 */
#include "explain.h"

#include <inttypes.h>

#include "../tcp/tcp.h"
#include "csv.h"

void
explain_header(struct explainsink *e)
{
	fputs("t_ns,host,conn,event,timer,deadline_ns,rto_ns,rule,event_no\n",
	      e->f);
}

void
explain_event(void *ctx, const struct trace_event *ev)
{
	static const char *const ops[] = {
		[TIMER_SET] = "timer-set", [TIMER_FIRE] = "timer-fire",
		[TIMER_CANCEL] = "timer-cancel",
	};
	struct explainsink *e = ctx;
	FILE *f = e->f;
	if (ev->kind == TR_PKT || ev->kind == TR_STATE)
		e->events++;
	if (ev->kind == TR_PKT && ev->u.pkt.op == PKT_RECV &&
	    ev->u.pkt.decision) {
		fprintf(f, "%" PRId64 ",", ev->t);
		csv_field(f, ev->node);
		fputs(",,arrival,,,,", f);
		csv_field(f, ev->u.pkt.decision);
		fprintf(f, ",%" PRIu64 "\n", e->events);
	} else if (ev->kind == TR_TIMER) {
		struct tcp_conn_info in;
		tcp_conn_info(ev->u.timer.conn, &in);
		fprintf(f, "%" PRId64 ",", ev->t);
		csv_field(f, ev->node);
		fprintf(f, ",%d,%s,", in.id, ops[ev->u.timer.op]);
		csv_field(f, ev->u.timer.name);
		fprintf(f, ",%" PRId64 ",%" PRId64 ",,%" PRIu64 "\n",
		        ev->u.timer.at, in.rto, e->events);
	}
}
