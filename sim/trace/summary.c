/*
 * summary.c - metrics in the order the scenario recorded them, written as
 * JSON with a fixed key order so the file is byte-identical run to run.
 * A metric recorded twice keeps its last value and its first position.
 */
#define _POSIX_C_SOURCE 200809L
#include "summary.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "conns.h"
#include "json.h"
#include "../core/error.h"
#include "../net/net.h"
#include "../tcp/tcp.h"

static uint64_t
metric_hash(const void *ctx, int i)
{
	return hidx_str(((const struct summary *)ctx)->metrics[i].name);
}

static bool
metric_eq(const void *ctx, int i, const void *key)
{
	return strcmp(((const struct summary *)ctx)->metrics[i].name, key) == 0;
}

void
summary_event(void *ctx, const struct trace_event *ev)
{
	struct summary *s = ctx;
	if (ev->kind != TR_METRIC)
		return;
	if (s->byname.hash == NULL)
		s->byname = (struct hidx){ .hash = metric_hash, .eq = metric_eq,
		                           .ctx = s };
	int i = hidx_find(&s->byname, hidx_str(ev->u.metric.name),
	                  ev->u.metric.name);
	if (i >= 0) {
		s->metrics[i].value = ev->u.metric.value;
		return;
	}
	if (s->nmetrics == s->cap) {
		int cap = s->cap ? 2 * s->cap : 16;
		struct summary_metric *m = realloc(s->metrics, sizeof *m * (size_t)cap);
		if (m == NULL) {
			s->oom = 1;
			return;
		}
		s->metrics = m;
		s->cap = cap;
	}
	char *name = strdup(ev->u.metric.name);
	if (name == NULL) {
		s->oom = 1;
		return;
	}
	s->metrics[s->nmetrics].name = name;
	s->metrics[s->nmetrics].value = ev->u.metric.value;
	if (hidx_add(&s->byname, s->nmetrics) < 0) {
		free(name);
		s->oom = 1;
		return;
	}
	s->nmetrics++;
}

const char *
summary_conn_outcome(const struct tcp_conn_info *in)
{
	return in->error ? sim_strerror(in->error) :
	       in->t_established < 0 ?
	       (in->state == TCP_CLOSED ? "never-established" : "opening") :
	       in->state == TCP_CLOSED ? "closed" : "open";
}

/* Every listener of every host, in creation order, with what its queue
 * did: connections accepted, SYNs dropped, SYN cookies. */
static void
write_listeners(FILE *f, const struct sim *sim)
{
	fputs("  \"listeners\": [", f);
	int n = 0;
	const struct net *net = sim ? sim->net : NULL;
	for (int i = 0; net && i < net->nnodes; i++) {
		const struct node *nd = net->nodes[i];
		if (nd->tcp == NULL)
			continue;
		for (int k = 0; k < tcp_host_nlisteners(nd->tcp); k++) {
			const struct tcp_listener *l = tcp_host_listener_at(nd->tcp, k);
			fputs(n++ ? ",\n    {" : "\n    {", f);
			fputs("\"host\": ", f);
			json_string(f, nd->name);
			fprintf(f, ", \"port\": %u, \"backlog\": %d, \"closed\": %s, "
			        "\"accepted\": %" PRIu64 ", \"syn_dropped\": %" PRIu64
			        ", \"cookies_sent\": %" PRIu64 ", \"cookies_accepted\": %"
			        PRIu64 ", \"accept_overflows\": %" PRIu64 "}",
			        tcp_listener_port(l), tcp_listener_backlog(l),
			        tcp_listener_closed(l) ? "true" : "false",
			        tcp_listener_accepted(l), tcp_listener_syn_dropped(l),
			        tcp_listener_cookies_sent(l),
			        tcp_listener_cookies_accepted(l),
			        tcp_listener_accept_overflows(l));
		}
	}
	fputs(n ? "\n  ]\n" : "]\n", f);
}

void
summary_write(const struct summary *s, FILE *f, const struct run_info *ri)
{
	fputs("{\n  \"synsim\": ", f);
	json_string(f, ri->version);
	fputs(",\n  \"scenario\": ", f);
	json_string(f, ri->scenario);
	fprintf(f, ",\n  \"seed\": %" PRIu64 ",\n  \"params\": {", ri->seed);
	for (int i = 0; i < ri->nparams; i++) {
		const char *eq = strchr(ri->params[i], '=');
		char *name = strndup(ri->params[i], (size_t)(eq - ri->params[i]));
		fputs(i ? ", " : "", f);
		json_string(f, name ? name : "");
		fputs(": ", f);
		json_string(f, eq + 1);
		free(name);
	}
	fprintf(f, "},\n  \"reproduce\": ");
	json_string(f, ri->reproduce ? ri->reproduce : "");
	fprintf(f, ",\n  \"scenario_fnv1a64\": \"%016" PRIx64 "\",\n"
	        "  \"fingerprint\": \"%016" PRIx64 "\",\n",
	        ri->scenario_hash, ri->fingerprint);
	/* Comparable only with another lean one (fingerprint.c). */
	if (ri->lean_fingerprint)
		fputs("  \"fingerprint_kind\": \"lean\",\n", f);
	fprintf(f, "  \"status\": %d,\n  \"expectations_failed\": %d,\n",
	        ri->status, ri->expect_failed);
	fprintf(f, "  \"end_ns\": %" PRId64 ",\n  \"events\": %" PRIu64 ",\n"
	        "  \"trace_events\": %" PRIu64 ",\n",
	        ri->end, ri->events, ri->trace_events);
	fputs("  \"metrics\": {", f);
	for (int i = 0; i < s->nmetrics; i++) {
		fputs(i ? ",\n    " : "\n    ", f);
		json_string(f, s->metrics[i].name);
		fputs(": ", f);
		json_number(f, s->metrics[i].value);
	}
	fputs(s->nmetrics ? "\n  },\n" : "},\n", f);
	if (ri->connections)
		conns_write_json(f, ri->sim);
	else
		conns_write_counts(f, ri->sim);
	write_listeners(f, ri->sim);
	fputs("}\n", f);
}

void
summary_free(struct summary *s)
{
	for (int i = 0; i < s->nmetrics; i++)
		free(s->metrics[i].name);
	free(s->metrics);
	hidx_free(&s->byname);
	*s = (struct summary){ 0 };
}
