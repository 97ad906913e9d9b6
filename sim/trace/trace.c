/*
 * trace.c - delivery of trace events to subscribers, in subscription order.
 */
#include "trace.h"

void
trace_init(struct trace *t)
{
	*t = (struct trace){ 0 };
}

int
trace_subscribe(struct trace *t, uint32_t mask, trace_fn *fn, void *ctx)
{
	if (t->nsubs == TRACE_MAX_SUBS)
		return -1;
	t->subs[t->nsubs].fn = fn;
	t->subs[t->nsubs].ctx = ctx;
	t->subs[t->nsubs].mask = mask;
	t->nsubs++;
	t->mask |= mask;
	return 0;
}

void
trace_unsubscribe(struct trace *t, trace_fn *fn, void *ctx)
{
	int n = 0;
	t->mask = 0;
	for (int i = 0; i < t->nsubs; i++) {
		if (t->subs[i].fn == fn && t->subs[i].ctx == ctx)
			continue;
		t->subs[n++] = t->subs[i];
		t->mask |= t->subs[i].mask;
	}
	t->nsubs = n;
}

void
trace_emit(const struct trace *t, const struct trace_event *ev)
{
	uint32_t bit = TRACE_MASK(ev->kind);
	for (int i = 0; i < t->nsubs; i++)
		if (t->subs[i].mask & bit)
			t->subs[i].fn(t->subs[i].ctx, ev);
}

void
trace_log(const struct trace *t, simtime now, const char *node,
          const char *text)
{
	if (!trace_wants(t, TR_LOG))
		return;
	struct trace_event ev = { .kind = TR_LOG, .t = now, .node = node };
	ev.u.log.text = text;
	trace_emit(t, &ev);
}
