/*
 * worker.c - running sweep runs in a long-lived process (see worker.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "worker.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/sim.h"
#include "../lua/runtime.h"
#include "../net/net.h"
#include "../run.h"
#include "../tcp/tcp.h"
#include "../trace/summary.h"

/* ---- collecting a run ------------------------------------------------- */

struct collect {
	struct sw_run *r;
	int oom;
};

static void
collect_event(void *ctx, const struct trace_event *ev)
{
	struct collect *c = ctx;
	if (ev->kind == TR_METRIC &&
	    table_run_metric(c->r, ev->u.metric.name, ev->u.metric.value) < 0)
		c->oom = 1;
}

/* The end of the run: its counts, and every connection a host opened
 * with connect(), hosts and connections in creation order. */
static void
collect_end(void *ctx, const struct sim *sim, uint64_t fingerprint,
            uint64_t trace_events)
{
	struct collect *c = ctx;
	struct sw_run *r = c->r;
	(void)trace_events;
	r->events = sim->sched.fired;
	r->end_ns = sim_now(sim);
	r->fingerprint = fingerprint;
	const struct net *net = sim->net;
	for (int i = 0; net && i < net->nnodes; i++) {
		const struct node *nd = net->nodes[i];
		for (int k = 1; nd->tcp && k <= tcp_host_nconns(nd->tcp); k++) {
			struct tcp_conn_info in;
			tcp_conn_info(tcp_host_conn(nd->tcp, k), &in);
			if (in.passive)
				continue;
			struct sw_conn *v = realloc(r->c, sizeof *v * (size_t)(r->nc + 1));
			if (v == NULL) {
				c->oom = 1;
				return;
			}
			r->c = v;
			v[r->nc++] = (struct sw_conn){
				.host = strdup(nd->name),
				.conn = in.id,
				.outcome = strdup(summary_conn_outcome(&in)),
				.handshake_ms = in.t_established < 0 ? NAN :
				    (double)(in.t_established - in.t_open) / 1e6,
				.retransmits = in.retransmits,
			};
			if (v[r->nc - 1].host == NULL || v[r->nc - 1].outcome == NULL)
				c->oom = 1;
		}
	}
}

/*
 * What the run wrote to stderr, as one line: its messages ("s.lua:7:
 * expectation failed: ...") joined with "; ", without the tracebacks,
 * whose frames say nothing the first line does not.  NULL when there
 * was nothing.  The file is emptied for the next run.
 */
char *
worker_take_stderr(int fd)
{
	fflush(stderr);
	off_t n = lseek(fd, 0, SEEK_END);
	char *text = n > 0 ? malloc((size_t)n + 1) : NULL;
	char *msg = text ? malloc((size_t)n + 1) : NULL;
	size_t got = 0, m = 0;
	while (msg && got < (size_t)n) {
		ssize_t k = pread(fd, text + got, (size_t)n - got, (off_t)got);
		if (k <= 0)
			break;
		got += (size_t)k;
	}
	if (ftruncate(fd, 0) < 0 || lseek(fd, 0, SEEK_SET) < 0)
		abort();	/* stderr is ours: cannot happen */
	if (msg == NULL) {
		free(text);
		return NULL;
	}
	text[got] = '\0';
	bool in_tb = false;
	for (char *line = text; *line;) {
		char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		if (len == strlen("stack traceback:") &&
		    strncmp(line, "stack traceback:", len) == 0)
			in_tb = true;
		else if (line[0] != '\t')
			in_tb = false;
		if (!in_tb && len > 0) {
			if (m > 0) {
				memcpy(msg + m, "; ", 2);	/* "\n" was one byte */
				m += 2;
			}
			memcpy(msg + m, line, len);
			m += len;
		}
		line += len + (end != NULL);
	}
	free(text);
	msg[m] = '\0';
	if (m == 0) {
		free(msg);
		return NULL;
	}
	return msg;
}

int
worker_run(const struct sw_spec *s, long run, int errfd, struct sw_run *out)
{
	table_run_clear(out);
	long p = run / s->reps;
	int rep = (int)(run % s->reps);
	int np = s->ndefs + s->g->nax;
	char **params = calloc((size_t)np + 1, sizeof *params);
	if (params == NULL)
		return -1;
	int rc = 0;
	for (int i = 0; i < s->ndefs; i++)
		params[i] = s->defs[i];
	for (int a = 0; a < s->g->nax; a++) {
		const char *name = s->g->ax[a].name, *v = grid_value(s->g, p, a);
		size_t n = strlen(name) + strlen(v) + 2;
		if ((params[s->ndefs + a] = malloc(n)) == NULL)
			rc = -1;
		else
			snprintf(params[s->ndefs + a], n, "%s=%s", name, v);
	}
	struct collect c = { .r = out };
	struct run_hook hook = { .mask = TRACE_MASK(TR_METRIC),
	                         .event = collect_event, .end = collect_end,
	                         .ctx = &c };
	out->seed = grid_seed(s->g, p, rep, s->seed);
	if (rc == 0) {
		struct run_opts o = { .scenario = s->scenario, .params = params,
		                      .nparams = np, .seed = out->seed,
		                      .until = s->until,
		                      .max_events = s->max_events, .quiet = true,
		                      .hook = &hook };
		out->status = run_scenario(&o);
	}
	out->error = worker_take_stderr(errfd);
	if (c.oom)
		rc = -1;
	out->done = true;
	for (int a = 0; a < s->g->nax; a++)
		free(params[s->ndefs + a]);
	free(params);
	return rc;
}

/* ---- the record on the pipe -------------------------------------------- */

struct wbuf {
	char *p;
	size_t n, cap;
	int oom;
};

static void
put(struct wbuf *b, const void *v, size_t n)
{
	if (n == 0)
		return;
	if (b->n + n > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->n + n)
			cap *= 2;
		char *p = realloc(b->p, cap);
		if (p == NULL) {
			b->oom = 1;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->n, v, n);
	b->n += n;
}

static void
put_str(struct wbuf *b, const char *s)
{
	uint32_t n = s ? (uint32_t)strlen(s) : 0;
	put(b, &n, sizeof n);
	put(b, s, n);
}

static void
encode(struct wbuf *b, long run, const struct sw_run *r)
{
	int64_t rn = run;
	int32_t st = r->status, nm = r->nm, nc = r->nc;
	b->n = sizeof(uint32_t);	/* the length, set at the end */
	put(b, &rn, sizeof rn);
	put(b, &st, sizeof st);
	put(b, &r->events, sizeof r->events);
	put(b, &r->end_ns, sizeof r->end_ns);
	put(b, &r->fingerprint, sizeof r->fingerprint);
	put(b, &r->seed, sizeof r->seed);
	put_str(b, r->error);
	put(b, &nm, sizeof nm);
	for (int i = 0; i < r->nm; i++) {
		put_str(b, r->m[i].name);
		put(b, &r->m[i].v, sizeof r->m[i].v);
	}
	put(b, &nc, sizeof nc);
	for (int i = 0; i < r->nc; i++) {
		int32_t conn = r->c[i].conn, retx = r->c[i].retransmits;
		put_str(b, r->c[i].host);
		put(b, &conn, sizeof conn);
		put_str(b, r->c[i].outcome);
		put(b, &r->c[i].handshake_ms, sizeof r->c[i].handshake_ms);
		put(b, &retx, sizeof retx);
	}
	if (!b->oom) {
		uint32_t len = (uint32_t)(b->n - sizeof len);
		memcpy(b->p, &len, sizeof len);
	}
}

struct rbuf {
	const char *p;
	size_t n, at;
	int bad;
};

static void
get(struct rbuf *b, void *v, size_t n)
{
	if (b->bad || b->n - b->at < n) {
		b->bad = 1;
		memset(v, 0, n);
		return;
	}
	memcpy(v, b->p + b->at, n);
	b->at += n;
}

/* A string of the record, malloc'd; NULL for an empty one when
 * empty_null, else "". */
static char *
get_str(struct rbuf *b, bool empty_null)
{
	uint32_t n;
	get(b, &n, sizeof n);
	if (b->bad || b->n - b->at < n) {
		b->bad = 1;
		return NULL;
	}
	if (n == 0 && empty_null)
		return NULL;
	char *s = strndup(b->p + b->at, n);
	if (s == NULL)
		b->bad = 1;
	b->at += n;
	return s;
}

int
worker_decode(const char *buf, size_t len, long *run, struct sw_run *out)
{
	struct rbuf b = { .p = buf, .n = len };
	int64_t rn;
	int32_t st, nm, nc;
	table_run_clear(out);
	get(&b, &rn, sizeof rn);
	get(&b, &st, sizeof st);
	get(&b, &out->events, sizeof out->events);
	get(&b, &out->end_ns, sizeof out->end_ns);
	get(&b, &out->fingerprint, sizeof out->fingerprint);
	get(&b, &out->seed, sizeof out->seed);
	out->error = get_str(&b, true);
	get(&b, &nm, sizeof nm);
	for (int i = 0; !b.bad && i < nm; i++) {
		char *name = get_str(&b, false);
		double v;
		get(&b, &v, sizeof v);
		if (!b.bad && table_run_metric(out, name, v) < 0)
			b.bad = 1;
		free(name);
	}
	get(&b, &nc, sizeof nc);
	if (!b.bad && nc > 0 &&
	    (out->c = calloc((size_t)nc, sizeof *out->c)) == NULL)
		b.bad = 1;
	for (int i = 0; !b.bad && i < nc; i++) {
		struct sw_conn *c = &out->c[i];
		int32_t conn, retx;
		out->nc = i + 1;
		c->host = get_str(&b, false);
		get(&b, &conn, sizeof conn);
		c->outcome = get_str(&b, false);
		get(&b, &c->handshake_ms, sizeof c->handshake_ms);
		get(&b, &retx, sizeof retx);
		c->conn = conn;
		c->retransmits = retx;
	}
	*run = (long)rn;
	out->status = st;
	out->done = true;
	if (b.bad || b.at != b.n) {
		table_run_clear(out);
		return -1;
	}
	return 0;
}

/* ---- the loop ---------------------------------------------------------- */

static int
write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t k = write(fd, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

void
worker_loop(const struct sw_spec *s, int in, int out)
{
	/* stderr goes to a file of our own, read back after each run: the
	 * run's error message becomes its row's. */
	FILE *tmp = tmpfile();
	if (tmp == NULL || dup2(fileno(tmp), STDERR_FILENO) < 0)
		return;
	fclose(tmp);
	int errfd = STDERR_FILENO;
	struct sw_run r = { 0 };
	struct wbuf b = { 0 };
	for (;;) {
		int64_t run;
		size_t got = 0;
		while (got < sizeof run) {
			ssize_t k = read(in, (char *)&run + got, sizeof run - got);
			if (k < 0 && errno == EINTR)
				continue;
			if (k <= 0)
				goto out;
			got += (size_t)k;
		}
		b.oom = 0;
		if (worker_run(s, (long)run, errfd, &r) < 0)
			b.oom = 1;
		encode(&b, (long)run, &r);
		/* Out of memory: no record; the parent reports the run as
		 * one whose worker died. */
		if (b.oom || write_all(out, b.p, b.n) < 0)
			break;
	}
out:
	table_run_clear(&r);
	free(b.p);
}
