/*
 * explore.c - `synsim explore SCENARIO --first K`: every one of the 2^K
 * ways of losing the first K segments of the scenario's first
 * connection, run and grouped by what became of the connection.
 *
 * The first connection is the one of the first SYN a host sends from
 * its own address (a flood's spoofed SYNs are not one); its segments
 * are counted both ways in the order the hosts send them, so segment 3
 * is the third sent, whichever end sent it and whatever was lost
 * before.  Bit i of a pattern drops segment i + 1 as it leaves its
 * host (the network's tap: nothing of the path draws a random number
 * for it).  The runs share the seed, so the patterns are the only
 * difference between them.  They run one after the other in this
 * process: 2^12 handshakes take a second or two.
 */
#define _POSIX_C_SOURCE 200809L
#include "sweep.h"
#include "worker.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/error.h"
#include "../core/sim.h"
#include "../net/net.h"
#include "../net/pkt.h"
#include "../run.h"
#include "../tcp/tcp.h"

#define EXPLORE_MAX_K 16

struct explore {
	int k;
	unsigned pattern;
	struct sim *sim;
	bool tapped;		/* the tap is on the network */
	bool have;		/* the first connection's SYN went out */
	uint32_t caddr, saddr;	/* its client and server */
	uint16_t cport, sport;
	int nsent;		/* its segments sent so far */
	uint8_t flags[EXPLORE_MAX_K];	/* of the first K */
	char outcome[200];
};

static const char *
tap(void *ctx, const struct pkt *p)
{
	struct explore *x = ctx;
	if (!x->have) {
		const struct node *n = net_find_addr(x->sim->net, p->src);
		if ((p->flags & (TH_SYN | TH_ACK)) != TH_SYN || n == NULL ||
		    n->kind != NODE_HOST)
			return NULL;
		x->have = true;
		x->caddr = p->src;
		x->cport = p->sport;
		x->saddr = p->dst;
		x->sport = p->dport;
	}
	bool out = p->src == x->caddr && p->sport == x->cport &&
	           p->dst == x->saddr && p->dport == x->sport;
	bool back = p->src == x->saddr && p->sport == x->sport &&
	            p->dst == x->caddr && p->dport == x->cport;
	if (!out && !back)
		return NULL;
	int i = x->nsent++;
	if (i >= x->k)
		return NULL;
	x->flags[i] = p->flags;
	return (x->pattern >> i) & 1 ? "explore: dropped by the pattern" : NULL;
}

static void
on_start(void *ctx, struct sim *sim)
{
	((struct explore *)ctx)->sim = sim;
}

/* The first packet a host sends: the network exists, and its tap is
 * asked about that very packet just after this event. */
static void
on_event(void *ctx, const struct trace_event *ev)
{
	struct explore *x = ctx;
	if (x->tapped || ev->kind != TR_PKT || ev->u.pkt.op != PKT_SEND ||
	    x->sim->net == NULL)
		return;
	x->sim->net->tap = tap;
	x->sim->net->tap_ctx = x;
	x->tapped = true;
}

/* The end's connection for the first connection: the client's active
 * one, or the server's passive one (its latest). */
static bool
find_conn(const struct explore *x, uint32_t host, bool passive,
          struct tcp_conn_info *out)
{
	const struct node *n = net_find_addr(x->sim->net, host);
	bool found = false;
	for (int k = 1; n && n->tcp && k <= tcp_host_nconns(n->tcp); k++) {
		struct tcp_conn_info in;
		tcp_conn_info(tcp_host_conn(n->tcp, k), &in);
		uint16_t lp = passive ? x->sport : x->cport;
		uint16_t rp = passive ? x->cport : x->sport;
		uint32_t ra = passive ? x->caddr : x->saddr;
		if (in.passive == passive && in.lport == lp && in.rport == rp &&
		    in.raddr == ra) {
			*out = in;
			found = true;
		}
	}
	return found;
}

/* Holding state for a connection the other end has no more. */
static bool
open_state(enum tcp_state s)
{
	return s != TCP_CLOSED && s != TCP_LISTEN && s != TCP_TIME_WAIT;
}

static void
on_end(void *ctx, const struct sim *sim, uint64_t fp, uint64_t events)
{
	struct explore *x = ctx;
	(void)sim;
	(void)fp;
	(void)events;
	struct tcp_conn_info c, s;
	if (!x->have || !find_conn(x, x->caddr, false, &c)) {
		snprintf(x->outcome, sizeof x->outcome, "no connection opened");
		return;
	}
	bool hs = find_conn(x, x->saddr, true, &s);
	char t[40], *o = x->outcome;
	size_t len = sizeof x->outcome, n = 0;
	if (c.t_established >= 0) {
		simtime_format_short(c.t_established - c.t_open, t, sizeof t);
		n = (size_t)snprintf(o, len, "established after %s", t);
		if (c.error)
			n += (size_t)snprintf(o + n, len - n, ", then %s",
			                      c.error == SIM_ECONNRESET ? "reset"
			                      : sim_strerror(c.error));
	} else if (c.error == SIM_ETIMEDOUT) {
		n = (size_t)snprintf(o, len, "timed out (%s)", sim_strerror(c.error));
	} else if (c.error == SIM_ECONNREFUSED) {
		n = (size_t)snprintf(o, len, "refused");
	} else if (c.error == SIM_ECONNRESET) {
		n = (size_t)snprintf(o, len, "reset");
	} else if (c.error) {
		n = (size_t)snprintf(o, len, "failed (%s)", sim_strerror(c.error));
	} else {
		n = (size_t)snprintf(o, len, "not established by the end (%s)",
		                     tcp_state_name(c.state));
	}
	/* One end still holds the connection, the other has none. */
	bool co = open_state(c.state), so = hs && open_state(s.state);
	if (co != so && n < len)
		snprintf(o + n, len - n, "; half-open left behind: %s in %s",
		         co ? "client" : "server",
		         tcp_state_name(co ? c.state : s.state));
}

struct row {
	unsigned pattern;
	char *outcome;
	int nsent;
	uint8_t flags[EXPLORE_MAX_K];
};

static int
cmp_row(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	return (x->pattern > y->pattern) - (x->pattern < y->pattern);
}

static void
print_pattern(const struct row *r, int k)
{
	char pat[EXPLORE_MAX_K + 1];
	for (int i = 0; i < k; i++)
		pat[i] = i >= r->nsent ? '-' : (r->pattern >> i) & 1 ? 'x' : '.';
	pat[k] = '\0';
	printf("    %s", pat);
	int shown = 0;
	for (int i = 0; i < k && i < r->nsent; i++) {
		if (!((r->pattern >> i) & 1))
			continue;
		char f[32];
		pkt_flags_str(r->flags[i], f, sizeof f);
		printf("%s%d %s", shown++ ? ", " : "  lost: ", i + 1, f);
	}
	putchar('\n');
}

/* The outcome table: outcomes in the order of their first pattern (the
 * one without loss first), each with its patterns. */
static void
print_table(struct row *rows, int n, int k)
{
	bool *done = calloc((size_t)n, sizeof *done);
	if (done == NULL)
		return;
	for (int i = 0; i < n; i++) {
		if (done[i])
			continue;
		int count = 0;
		for (int j = i; j < n; j++)
			count += strcmp(rows[j].outcome, rows[i].outcome) == 0;
		printf("%s: %d pattern%s\n", rows[i].outcome, count,
		       count == 1 ? "" : "s");
		/* A pattern that loses segments never sent is the same run
		 * as the one without those losses: counted, not listed. */
		int shown = 0, same = 0;
		for (int j = i; j < n; j++) {
			if (strcmp(rows[j].outcome, rows[i].outcome) != 0)
				continue;
			done[j] = true;
			if (rows[j].pattern >> rows[j].nsent)
				same++;
			else if (shown++ < 16)
				print_pattern(&rows[j], k);
		}
		if (shown > 16)
			printf("    ... and %d more\n", shown - 16);
		if (same)
			printf("    (and %d that differ only in segments never "
			       "sent)\n", same);
	}
	free(done);
}

int
sweep_explore_main(int argc, char **argv)
{
	const char *scenario = NULL;
	char **defs = calloc((size_t)argc + 1, sizeof *defs);
	int ndefs = 0, k = 0, rc = 0;
	uint64_t seed = 1;
	if (defs == NULL)
		return 2;
	for (int i = 0; i < argc && rc == 0; i++) {
		const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
		char *end;
		if ((!strcmp(a, "-D") || !strcmp(a, "--first") ||
		     !strcmp(a, "--seed")) && val == NULL) {
			rc = sim_usage_error("%s needs a value", a);
		} else if (!strcmp(a, "-D")) {
			defs[ndefs++] = argv[++i];
		} else if (!strncmp(a, "-D", 2)) {
			defs[ndefs++] = argv[i] + 2;
		} else if (!strcmp(a, "--first")) {
			long v = strtol(val, &end, 10);
			if (*val < '0' || *val > '9' || *end || v < 1 || v > EXPLORE_MAX_K)
				rc = sim_usage_error("--first %s: expected a whole number "
				                     "from 1 to 16", val);
			k = (int)v;
			i++;
		} else if (!strcmp(a, "--seed")) {
			errno = 0;
			seed = strtoull(val, &end, 10);
			if (*val < '0' || *val > '9' || *end || errno)
				rc = sim_usage_error("--seed %s: expected a whole number", val);
			i++;
		} else if (a[0] == '-' && a[1]) {
			rc = sim_usage_error("unknown option %s", a);
		} else if (scenario == NULL) {
			scenario = a;
		} else {
			rc = sim_usage_error("one scenario at a time (also got %s)", a);
		}
	}
	if (rc == 0 && (scenario == NULL || k == 0))
		rc = sim_usage_error("%s", "explore: which scenario, and how many "
		                     "segments? (synsim explore FILE.lua --first K)");
	if (rc) {
		free(defs);
		return rc;
	}
	int n = 1 << k;
	char *first_error = NULL;
	struct row *rows = calloc((size_t)n, sizeof *rows);
	/* The runs' messages (expectations that no longer hold once a
	 * segment is lost) go to a file of their own: only a scenario
	 * error is worth showing, in its row. */
	FILE *tmp = tmpfile();
	int saved = dup(STDERR_FILENO);
	if (rows == NULL || tmp == NULL || saved < 0 ||
	    dup2(fileno(tmp), STDERR_FILENO) < 0) {
		fprintf(stderr, "synsim: explore: %s\n", strerror(errno));
		free(rows);
		free(defs);
		if (tmp)
			fclose(tmp);
		if (saved >= 0)
			close(saved);
		return 2;
	}
	for (int p = 0; p < n; p++) {
		struct explore x = { .k = k, .pattern = (unsigned)p };
		struct run_hook hook = { .start = on_start,
		                         .mask = TRACE_MASK(TR_PKT),
		                         .event = on_event, .end = on_end,
		                         .ctx = &x };
		struct run_opts o = { .scenario = scenario, .params = defs,
		                      .nparams = ndefs, .seed = seed,
		                      .until = SIMTIME_MAX, .quiet = true,
		                      .hook = &hook };
		int st = run_scenario(&o);
		char *msg = worker_take_stderr(STDERR_FILENO);
		/* Without any loss the scenario must run: its error is the
		 * user's to fix, not an outcome. */
		if (p == 0 && st == 2) {
			first_error = msg ? msg : strdup("the scenario failed");
			msg = NULL;
			rc = 2;
			break;
		}
		/* A scenario may fail after its run when a loss leaves it
		 * something it did not expect ("server has no connection
		 * #1"): what became of the connection is known all the same. */
		if (st == 2 && x.outcome[0] == '\0')
			snprintf(x.outcome, sizeof x.outcome, "scenario error: %s",
			         msg ? msg : "?");
		else if (st == 2)
			snprintf(x.outcome + strlen(x.outcome),
			         sizeof x.outcome - strlen(x.outcome),
			         "; then the scenario failed: %s", msg ? msg : "?");
		free(msg);
		rows[p].pattern = (unsigned)p;
		rows[p].outcome = strdup(x.outcome);
		rows[p].nsent = x.nsent < k ? x.nsent : k;
		memcpy(rows[p].flags, x.flags, sizeof x.flags);
		if (rows[p].outcome == NULL)
			rc = 2;
	}
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	fclose(tmp);
	if (first_error) {
		fprintf(stderr, "synsim: %s\n", first_error);
		free(first_error);
	}
	if (rc == 0) {
		qsort(rows, (size_t)n, sizeof *rows, cmp_row);
		printf("%s: the %d ways to lose the first %d segments of the first "
		       "connection\n(in the order sent, both ways: x lost, . "
		       "delivered, - never sent)\n\n", scenario, n, k);
		print_table(rows, n, k);
	}
	for (int p = 0; p < n; p++)
		free(rows[p].outcome);
	free(rows);
	free(defs);
	return rc;
}
