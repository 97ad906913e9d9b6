/*
 * trace.h - the trace bus: every observable thing that happens in a run.
 *
 * Producers (tcp/, net/, the Lua runtime) fill a struct trace_event and
 * call trace_emit(); sinks (narration, CSV, pcap, summary, Lua hooks)
 * subscribe to the kinds they want.  A producer asks trace_wants() first,
 * so a kind nobody subscribed to costs one test of a bit mask.
 *
 * Events point into the producer's objects; a sink that keeps anything
 * beyond the call must copy it.
 */
#ifndef SYNSIM_TRACE_H
#define SYNSIM_TRACE_H

#include <stdbool.h>
#include <stdint.h>

#include "../core/simtime.h"

struct pkt;
struct link;
struct tcp_conn;

enum trace_kind {
	TR_LOG,			/* scenario text (sim.log, print) */
	TR_METRIC,		/* sim.metric(name, value) */
	TR_PKT,			/* a packet was sent, received, dropped, ... */
	TR_STATE,		/* a connection changed state */
	TR_TIMER,		/* a connection timer was set, fired, cancelled */
	TR_APP,			/* an application call or its result */
	TR_QUEUE,		/* a listener's queue lengths changed */
	TR_NKINDS
};

enum trace_pkt_op {
	PKT_SEND,		/* a host put it on the wire */
	PKT_RECV,		/* a host received it */
	PKT_DROP,		/* lost: reason says why */
	PKT_DUP,		/* a link duplicated it */
	PKT_FORWARD,		/* a router passed it on */
};

enum trace_timer_op { TIMER_SET, TIMER_FIRE, TIMER_CANCEL };

struct trace_event {
	enum trace_kind kind;
	simtime t;
	const char *node;	/* host or link name; NULL for the scenario */
	union {
		struct {
			const char *text;
		} log;
		struct {
			const char *name;
			double value;
		} metric;
		struct {
			enum trace_pkt_op op;
			const struct pkt *pkt;
			const struct link *link;	/* NULL at a host */
			const char *reason;	/* drop reason, or why it was sent */
			int rule;	/* 1-based drop rule, 0 if none */
			/* PKT_RECV at a TCP host: the rule its arrival
			 * processing applied ("RFC 9293 3.10.7.4,
			 * ESTABLISHED, seventh check: ..."); else NULL */
			const char *decision;
			/* seq and ack relative to each direction's ISN, as
			 * Wireshark shows them; the *_ok flag is false (and
			 * the number absolute) before that ISN was seen */
			uint32_t rel_seq, rel_ack;
			bool rel_seq_ok, rel_ack_ok;
		} pkt;
		struct {
			const struct tcp_conn *conn;
			int from, to;	/* enum tcp_state */
			const char *cause;	/* plain words */
			const char *rule;	/* RFC section or profile note */
		} state;
		struct {
			const struct tcp_conn *conn;
			enum trace_timer_op op;
			const char *name;	/* "RTO", "TIME-WAIT", ... */
			simtime at;
		} timer;
		/* A call the application made ("connect", "close",
		 * "shutdown", "abort") or a result TCP gave it: "connected"
		 * (value: the handshake, ns), "accepted", "data" (value:
		 * bytes), "eof", "error" (detail: its name), "closed"
		 * (detail: the error, or NULL). */
		struct {
			const struct tcp_conn *conn;
			const char *call;
			const char *detail;
			int64_t value;
		} app;
		/* A listener's SYN queue (half-open requests) and accept
		 * queue (completed, not yet accepted) after a change; what:
		 * "syn", "synack-done", "established", "accept", "drop", ... */
		struct {
			int port;
			int synq, acceptq, backlog;
			const char *what;
		} queue;
	} u;
};

typedef void trace_fn(void *ctx, const struct trace_event *ev);

#define TRACE_MAX_SUBS 16

struct trace {
	struct {
		trace_fn *fn;
		void *ctx;
		uint32_t mask;
	} subs[TRACE_MAX_SUBS];
	int nsubs;
	uint32_t mask;		/* union of the subscribers' masks */
	bool no_rel;		/* no subscriber reads relative sequence
				 * numbers (a run that writes only
				 * summary.json): packet events leave them
				 * out (rel_*_ok false) */
	bool rules;		/* a subscriber reads the rule that decided
				 * each arrival (--explain, Lua hooks): the
				 * ones that cost formatting are made only
				 * then */
};

#define TRACE_MASK(k) (1u << (k))
#define TRACE_ALL ((1u << TR_NKINDS) - 1)

void trace_init(struct trace *t);
/* Subscribe fn to the kinds in mask; returns 0, or -1 when full. */
int trace_subscribe(struct trace *t, uint32_t mask, trace_fn *fn, void *ctx);
/* Remove the subscription of (fn, ctx); the others keep their order. */
void trace_unsubscribe(struct trace *t, trace_fn *fn, void *ctx);

static inline bool
trace_wants(const struct trace *t, enum trace_kind k)
{
	return (t->mask & TRACE_MASK(k)) != 0;
}

void trace_emit(const struct trace *t, const struct trace_event *ev);
/* A line of text in the narration at time now, said by node (NULL: the
 * scenario). */
void trace_log(const struct trace *t, simtime now, const char *node,
               const char *text);

#endif
