/*
 * narrate.c - trace events in plain words, aligned on simulated time:
 *
 *     0.000000s  client   SYN-SENT (connect to 10.0.0.2:80)
 */
#include "narrate.h"

#include <stdarg.h>

static void
emit(struct narrate *n, simtime t, const char *node, const char *fmt, ...)
{
	char when[32];
	simtime_format(t, when, sizeof when);
	FILE *streams[2] = { n->out, n->echo };
	for (int i = 0; i < 2; i++) {
		if (streams[i] == NULL)
			continue;
		va_list ap;
		va_start(ap, fmt);
		fprintf(streams[i], "%12s  %-8s ", when, node ? node : "scenario");
		vfprintf(streams[i], fmt, ap);
		fputc('\n', streams[i]);
		va_end(ap);
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
	case TR_METRIC:
		emit(n, ev->t, ev->node, "metric %s = %.17g", ev->u.metric.name,
		     ev->u.metric.value);
		break;
	default:
		break;
	}
}
