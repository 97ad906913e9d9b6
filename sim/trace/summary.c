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

static void
time_or_null(FILE *f, const char *key, simtime t)
{
	if (t < 0)
		fprintf(f, ", \"%s\": null", key);
	else
		fprintf(f, ", \"%s\": %" PRId64, key, t);
}

/* Every connection of every host, hosts and connections in creation
 * order: outcome, handshake time, retransmissions. */
static void
write_connections(FILE *f, const struct sim *sim)
{
	fputs("  \"connections\": [", f);
	int n = 0;
	const struct net *net = sim ? sim->net : NULL;
	for (int i = 0; net && i < net->nnodes; i++) {
		const struct node *nd = net->nodes[i];
		if (nd->tcp == NULL)
			continue;
		for (int k = 1; k <= tcp_host_nconns(nd->tcp); k++) {
			struct tcp_conn_info in;
			tcp_conn_info(tcp_host_conn(nd->tcp, k), &in);
			char la[16], ra[16];
			const char *outcome = in.error ? sim_strerror(in.error) :
			                      in.t_established < 0 ?
			                      (in.state == TCP_CLOSED ? "never-established"
			                                              : "opening") :
			                      in.state == TCP_CLOSED ? "closed" : "open";
			fputs(n++ ? ",\n    {" : "\n    {", f);
			fputs("\"host\": ", f);
			json_string(f, nd->name);
			fprintf(f, ", \"conn\": %d, \"local\": \"%s:%u\", "
			        "\"remote\": \"%s:%u\", \"passive\": %s, \"state\": \"%s\", "
			        "\"outcome\": \"%s\"", in.id,
			        pkt_addr_str(in.laddr, la, sizeof la), in.lport,
			        pkt_addr_str(in.raddr, ra, sizeof ra), in.rport,
			        in.passive ? "true" : "false", tcp_state_name(in.state),
			        outcome);
			time_or_null(f, "opened_ns", in.t_open);
			time_or_null(f, "established_ns", in.t_established);
			time_or_null(f, "handshake_ns", in.t_established < 0 ? -1
			             : in.t_established - in.t_open);
			time_or_null(f, "closed_ns", in.t_closed);
			fprintf(f, ", \"retransmits\": %d, \"bytes_sent\": %" PRIu64
			        ", \"bytes_acked\": %" PRIu64 ", \"bytes_received\": %"
			        PRIu64 ", \"mss\": %u, \"sack\": %s, \"timestamps\": %s}",
			        in.retransmits, in.bytes_sent, in.bytes_acked,
			        in.bytes_received, in.mss, in.sack ? "true" : "false",
			        in.ts ? "true" : "false");
		}
	}
	fputs(n ? "\n  ],\n" : "],\n", f);
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
			        PRIu64 "}", tcp_listener_port(l), tcp_listener_backlog(l),
			        tcp_listener_closed(l) ? "true" : "false",
			        tcp_listener_accepted(l), tcp_listener_syn_dropped(l),
			        tcp_listener_cookies_sent(l),
			        tcp_listener_cookies_accepted(l));
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
	write_connections(f, ri->sim);
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
