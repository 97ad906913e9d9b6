/*
 * pktrun.c - the packetdrill-script runner (pktrun.h): a scripted peer,
 * a host under test, and the script's system calls on its sockets.
 *
 * Events run in script order.  A `<` segment, a call or a sysctl runs at
 * its time; a `>` segment waits for the host's next segment until its
 * time plus the tolerance.  Every segment the host sends before the
 * script's last event must be one a `>` line expects: a segment sent
 * while the script expects none is a failure at once.  (packetdrill
 * notices a stray segment only when it next waits for one; being
 * stricter lets a script say "nothing is sent here".)
 *
 * A relative time counts from the previous event as it happened: a `>`
 * segment from when the host sent it.  A call that would block (accept
 * with none ready, a blocking connect, a read with nothing to read)
 * waits while the script goes on, as packetdrill's threads do; it must
 * return within its time range ("0...0.1 connect(...)"), or within the
 * tolerance of its start without one.
 *
 * Options of a `>` segment are compared by kind and value: the layout
 * (nop, eol) is not modelled, and the host's own TS val is not checked
 * (its clock is the host's), its TS ecr is.
 */
#define _POSIX_C_SOURCE 200809L
#include "pktrun.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/error.h"
#include "../core/outfile.h"
#include "../core/sim.h"
#include "../net/link.h"
#include "../net/net.h"
#include "../tcp/tcp.h"
#include "../trace/csv.h"
#include "../trace/narrate.h"
#include "../trace/pcap.h"
#include "../view/html.h"
#include "../view/plot.h"

#define LOCAL_ADDR 0xc0a80001u	/* 192.168.0.1 */
#define REMOTE_ADDR 0xc0000201u	/* 192.0.2.1 */
#define SERVER_PORT 8080	/* packetdrill's listening port */
#define REMOTE_PORT 40000	/* the peer's port towards a listener */
#define MAX_FDS 64
#define MAX_QUEUE 256
#define MAX_EVENTS 50000000u	/* a runaway run stops here */
#define WAIT_ANY (3600 * SIMTIME_S)	/* how long "*" waits */

/* A connection as its socket sees it. */
struct pconn {
	struct tcp_conn *c;
	int fd;			/* 0 until accepted or connected by a call */
	uint64_t unread;	/* bytes arrived, not yet read */
	bool ready;		/* ESTABLISHED, waiting in accept's queue */
	uint64_t ready_no;	/* order it became ready in */
	bool connected, eof, closed;
	int err;		/* SO_ERROR: reported once, then 0 */
};

struct psock {
	bool used, nonblock, linger0;
	struct tcp_listener *l;
	int conn;		/* index + 1 into conns, or 0 */
};

struct captured {
	simtime t;
	struct pkt p;		/* a copy; no payload */
};

struct runner {
	struct sim sim;
	struct net *net;
	struct node *host, *peer;
	struct tcp_host *th;
	const struct pktscript *s;
	simtime tol;
	struct psock socks[MAX_FDS];
	struct pconn *conns;
	int nconns, capconns;
	uint64_t ready_seq;
	struct captured q[MAX_QUEUE];
	int qhead, qn;
	bool q_overflow;
	/* the host's ISN and TS clock as the script numbers them */
	uint32_t local_iss;
	bool iss_known;
	uint32_t ts_off;
	bool ts_known;
	uint16_t lport, rport;
	/* a call blocked while the script goes on */
	const struct pks_event *pend;
	simtime pend_end;	/* when it must have returned */
	struct pkr_result *r;
	bool done;		/* failed or skipped: stop */
};

/* ---- results ------------------------------------------------------------ */

static void
fail(struct runner *r, int status, int line, const char *fmt, ...)
{
	if (r->done)
		return;
	r->done = true;
	r->r->status = status;
	r->r->line = line;
	int n = line ? snprintf(r->r->msg, sizeof r->r->msg, "%s:%d: ",
	                        r->s->path, line) :
	        snprintf(r->r->msg, sizeof r->r->msg, "%s: ", r->s->path);
	va_list ap;
	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < sizeof r->r->msg)
		vsnprintf(r->r->msg + n, sizeof r->r->msg - (size_t)n, fmt, ap);
	va_end(ap);
	sched_stop(&r->sim.sched);
}

/* A segment the host sent, as a script line: "0.100000 > S. 0:0(0) ...". */
static void
fmt_actual(const struct runner *r, const struct captured *c, char *buf,
           size_t len)
{
	char t[32], seg[256];
	pks_time_str(c->t, t, sizeof t);
	/* A SYN before any the script matched: its own ISN. */
	uint32_t base = (c->p.flags & TH_SYN) && !r->iss_known ? c->p.seq :
	                r->local_iss;
	pks_seg_str(&c->p, base, 0, seg, sizeof seg);
	snprintf(buf, len, "%s > %s", t, seg);
}

/* ---- the host's segments ------------------------------------------------ */

struct pconn;
static struct pconn *conn_of(struct runner *r, const struct tcp_conn *c);
static void wake(struct runner *r);

static void
on_trace(void *ctx, const struct trace_event *ev)
{
	struct runner *r = ctx;
	/* The peer's FIN arrived: a read() sees the end of the stream.
	 * Watched on the state trace because TCP tells the application
	 * (eof) only in CLOSE-WAIT, not after a half-close of its own. */
	if (ev->kind == TR_STATE && TCP_HAVE_RCVD_FIN(ev->u.state.to)) {
		struct pconn *p = conn_of(r, ev->u.state.conn);
		if (p && !p->eof) {
			p->eof = true;
			wake(r);
		}
		return;
	}
	if (ev->kind != TR_PKT || ev->u.pkt.op != PKT_SEND ||
	    ev->node == NULL || strcmp(ev->node, r->host->name) != 0)
		return;
	if (r->qn == MAX_QUEUE) {
		r->q_overflow = true;
	} else {
		struct captured *c = &r->q[(r->qhead + r->qn++) % MAX_QUEUE];
		c->t = ev->t;
		c->p = *ev->u.pkt.pkt;
		c->p.data = NULL;
		c->p.next = c->p.all = NULL;
	}
	/* Back to the script: it decides what this segment means. */
	sched_stop(&r->sim.sched);
}

static struct captured *
q_peek(struct runner *r)
{
	return r->qn ? &r->q[r->qhead] : NULL;
}

static void
q_pop(struct runner *r)
{
	r->qhead = (r->qhead + 1) % MAX_QUEUE;
	r->qn--;
}

/* Run the world to time t (events at t included); stops early when the
 * host sends or the run is over.  The clock ends at t unless stopped. */
static void
run_to(struct runner *r, simtime t)
{
	if (r->qn || r->done)
		return;
	enum sched_stop st = sched_run(&r->sim.sched, t, MAX_EVENTS);
	if (st == SCHED_MAX_EVENTS) {
		fail(r, PKR_ERROR, 0, "%s", "the run did not settle (an event "
		     "loop?)");
		return;
	}
	if (st != SCHED_STOPPED && r->sim.sched.now < t)
		r->sim.sched.now = t;
}

/* Fail on a segment the script does not expect here. */
static bool
unexpected(struct runner *r, int line)
{
	struct captured *c = q_peek(r);
	if (c == NULL || r->done)
		return r->done;
	char act[400];
	fmt_actual(r, c, act, sizeof act);
	fail(r, PKR_FAIL, line, "the host sent a segment the script does not "
	     "expect before this line\n  actual:   %s", act);
	return true;
}

/* ---- sockets ------------------------------------------------------------ */

static struct pconn *
conn_of(struct runner *r, const struct tcp_conn *c)
{
	intptr_t tag = tcp_conn_tag(c);
	return tag > 0 && tag <= r->nconns ? &r->conns[tag - 1] : NULL;
}

static struct pconn *
conn_new(struct runner *r, struct tcp_conn *c)
{
	if (r->nconns == r->capconns) {
		int cap = r->capconns ? 2 * r->capconns : 8;
		struct pconn *v = realloc(r->conns, (size_t)cap * sizeof *v);
		if (v == NULL)
			return NULL;
		r->conns = v;
		r->capconns = cap;
	}
	struct pconn *p = &r->conns[r->nconns++];
	*p = (struct pconn){ .c = c };
	tcp_conn_set_tag(c, r->nconns);
	return p;
}

/* The connection of socket fd, or NULL (none, or no such socket). */
static struct pconn *
sock_conn(struct runner *r, int fd)
{
	if (fd < 0 || fd >= MAX_FDS || !r->socks[fd].conn)
		return NULL;
	return &r->conns[r->socks[fd].conn - 1];
}

static int
fd_new(struct runner *r)
{
	for (int fd = 3; fd < MAX_FDS; fd++)
		if (!r->socks[fd].used) {
			r->socks[fd] = (struct psock){ .used = true };
			return fd;
		}
	return -1;
}

/* What a call returned: a value, or -1 and an errno name. */
struct ret {
	int64_t v;
	const char *err;
	bool blocked;		/* it did not return yet */
};

static struct ret
ok(int64_t v)
{
	return (struct ret){ .v = v };
}

static struct ret
err(const char *name)
{
	return (struct ret){ .v = -1, .err = name };
}

static struct ret
sim_err(int e)
{
	return err(sim_strerror(e));
}

static const struct ret blocked = { .blocked = true };

/* The ready connection accepted first, or NULL. */
static struct pconn *
next_ready(struct runner *r)
{
	struct pconn *best = NULL;
	for (int i = 0; i < r->nconns; i++)
		if (r->conns[i].ready && r->conns[i].fd == 0 &&
		    (best == NULL || r->conns[i].ready_no < best->ready_no))
			best = &r->conns[i];
	return best;
}

/*
 * Try call k on its socket now: its result, or blocked.  Called when the
 * script reaches the call and again, while it is blocked, each time the
 * host tells the application something.
 */
static struct ret
try_call(struct runner *r, const struct pks_call *k, bool first)
{
	struct psock *so = k->fd >= 0 && k->fd < MAX_FDS ? &r->socks[k->fd] : NULL;
	if (k->id == PKS_SOCKET) {
		int fd = fd_new(r);
		if (fd < 0)
			return err("EMFILE");
		r->socks[fd].nonblock = k->n != 0;
		return ok(fd);
	}
	if (so == NULL || !so->used)
		return err("EBADF");
	struct pconn *pc = sock_conn(r, k->fd);
	int e;
	switch (k->id) {
	case PKS_BIND:
	case PKS_SOCKET:
		return ok(0);
	case PKS_LISTEN:
		if (so->l)
			return ok(0);
		if (pc)
			return err("EINVAL");
		so->l = tcp_listen(r->th, SERVER_PORT, (int)k->n, &e);
		if (so->l == NULL)
			return sim_err(e);
		r->lport = SERVER_PORT;
		r->rport = REMOTE_PORT;
		return ok(0);
	case PKS_ACCEPT: {
		if (so->l == NULL)
			return err("EINVAL");
		struct pconn *c = next_ready(r);
		if (c == NULL)
			return so->nonblock ? err("EAGAIN") : blocked;
		int fd = fd_new(r);
		if (fd < 0)
			return err("EMFILE");
		c->fd = fd;
		r->socks[fd].conn = (int)(c - r->conns) + 1;
		return ok(fd);
	}
	case PKS_CONNECT:
		if (first) {
			if (so->l)
				return err("EINVAL");
			if (pc)
				return err(pc->connected ? "EISCONN" : "EALREADY");
			struct tcp_connect_opts o = { 0 };
			struct tcp_conn *c = tcp_connect(r->th, REMOTE_ADDR,
			                                 SERVER_PORT, &o, &e);
			if (c == NULL)
				return sim_err(e);
			if ((pc = conn_new(r, c)) == NULL)
				return err("ENOMEM");
			pc->fd = k->fd;
			so->conn = r->nconns;
			struct tcp_conn_info in;
			tcp_conn_info(c, &in);
			r->lport = in.lport;
			r->rport = SERVER_PORT;
			if (so->nonblock)
				return err("EINPROGRESS");
		}
		if (pc->connected)
			return ok(0);
		if (pc->closed) {
			int x = pc->err;
			pc->err = 0;
			return sim_err(x ? x : SIM_ECONNREFUSED);
		}
		return blocked;
	case PKS_WRITE:
		if (pc == NULL)
			return err("ENOTCONN");
		if (pc->err) {
			int x = pc->err;
			pc->err = 0;
			return sim_err(x);
		}
		if (pc->closed)
			return err("EPIPE");
		/* Linux waits for the handshake before it sends
		 * (sk_stream_wait_connect); non-blocking, EAGAIN. */
		if (!pc->connected && tcp_conn_state(pc->c) < TCP_ESTABLISHED)
			return so->nonblock ? err("EAGAIN") : blocked;
		if ((e = tcp_send(pc->c, (uint64_t)k->n, NULL)) != 0)
			return sim_err(e);
		return ok(k->n);
	case PKS_READ:
		if (pc == NULL)
			return err("ENOTCONN");
		if (pc->unread) {
			uint64_t n = pc->unread < (uint64_t)k->n ? pc->unread :
			             (uint64_t)k->n;
			pc->unread -= n;
			return ok((int64_t)n);
		}
		if (pc->err) {
			int x = pc->err;
			pc->err = 0;
			return sim_err(x);
		}
		if (pc->eof || pc->closed)
			return ok(0);
		return so->nonblock ? err("EAGAIN") : blocked;
	case PKS_SHUTDOWN:
		if (pc == NULL || pc->closed)
			return err("ENOTCONN");
		/* SHUT_RD sends nothing, in Linux as in RFC 9293. */
		if (k->n != 0 && (e = tcp_shutdown(pc->c)) != 0)
			return sim_err(e);
		return ok(0);
	case PKS_CLOSE:
		if (so->l)
			tcp_listener_close(so->l);
		if (pc && !pc->closed) {
			/* Linux's tcp_close: unread data, or SO_LINGER with
			 * a zero time, resets the connection (RFC 2525
			 * 2.17) instead of closing it. */
			if (so->linger0 || pc->unread)
				tcp_abort(pc->c);
			else
				tcp_close(pc->c);
		}
		if (pc)
			pc->fd = -1;
		*so = (struct psock){ 0 };
		return ok(0);
	case PKS_SETSOCKOPT:
		if (k->opt == PKS_OPT_LINGER)
			so->linger0 = k->n != 0 && k->linger == 0;
		return ok(0);
	case PKS_GETSOCKOPT:
		return ok(0);	/* SO_ERROR: checked by the caller */
	case PKS_FCNTL:
		if (k->fcntl_get)
			return ok(02 | (so->nonblock ? 04000 : 0));	/* O_RDWR,
			                                               O_NONBLOCK */
		so->nonblock = k->n != 0;
		return ok(0);
	case PKS_NCALLS:
		break;
	}
	return err("ENOSYS");
}

/* Compare a call's result with the script's; fail on a difference. */
static void
check_ret(struct runner *r, const struct pks_event *e, struct ret got)
{
	const struct pks_call *k = &e->u.call;
	bool same = got.v == k->ret &&
	            (got.v != -1 || strcmp(got.err ? got.err : "", k->err) == 0);
	if (same)
		return;
	char a[64], w[64];
	snprintf(a, sizeof a, "%" PRId64 "%s%s", got.v, got.err ? " " : "",
	         got.err ? got.err : "");
	snprintf(w, sizeof w, "%" PRId64 "%s%s", k->ret, k->err[0] ? " " : "",
	         k->err);
	fail(r, PKR_FAIL, e->line, "%s() returned %s, the script expects %s\n"
	     "  expected: %s", k->name, a, w, e->text);
}

/* A blocked call returned at t: its result and its time. */
static void
pend_done(struct runner *r, struct ret got)
{
	const struct pks_event *e = r->pend;
	r->pend = NULL;
	simtime now = sim_now(&r->sim);
	if (now > r->pend_end + r->tol) {
		char t[32], by[32];
		pks_time_str(now, t, sizeof t);
		pks_time_str(r->pend_end, by, sizeof by);
		fail(r, PKR_FAIL, e->line, "%s() returned at %ss, the script "
		     "expects it by %ss (tolerance %" PRId64 " us)", e->u.call.name,
		     t, by, r->tol / SIMTIME_US);
		return;
	}
	check_ret(r, e, got);
}

/* The host told the application something: a blocked call may return. */
static void
wake(struct runner *r)
{
	if (r->pend == NULL || r->done)
		return;
	struct ret got = try_call(r, &r->pend->u.call, false);
	if (!got.blocked)
		pend_done(r, got);
}

static void
app_connected(void *ctx, struct tcp_conn *c)
{
	struct runner *r = ctx;
	struct pconn *p = conn_of(r, c);
	if (p)
		p->connected = true;
	wake(r);
}

static void
app_accepted(void *ctx, struct tcp_listener *l, struct tcp_conn *c)
{
	struct runner *r = ctx;
	(void)l;
	struct pconn *p = conn_of(r, c);
	if (p == NULL && (p = conn_new(r, c)) == NULL) {
		fail(r, PKR_ERROR, 0, "%s", "out of memory");
		return;
	}
	p->connected = p->ready = true;
	p->ready_no = ++r->ready_seq;
	wake(r);
}

static void
app_data(void *ctx, struct tcp_conn *c, uint32_t n, const unsigned char *d)
{
	struct runner *r = ctx;
	(void)d;
	struct pconn *p = conn_of(r, c);
	if (p)
		p->unread += n;
	wake(r);
}

static void
app_eof(void *ctx, struct tcp_conn *c)
{
	struct runner *r = ctx;
	struct pconn *p = conn_of(r, c);
	if (p)
		p->eof = true;
	wake(r);
}

static void
app_closed(void *ctx, struct tcp_conn *c, int e)
{
	struct runner *r = ctx;
	struct pconn *p = conn_of(r, c);
	if (p) {
		p->closed = true;
		p->err = e;
		p->ready = false;
	}
	wake(r);
}

static const struct tcp_app app_ops = {
	.connected = app_connected,
	.accepted = app_accepted,
	.data = app_data,
	.eof = app_eof,
	.closed = app_closed,
};

/* ---- script events ------------------------------------------------------ */

static void
do_call(struct runner *r, const struct pks_event *e, simtime end)
{
	const struct pks_call *k = &e->u.call;
	if (r->pend) {
		fail(r, PKR_SKIP, e->line, "%s() while %s() is blocked: synsim "
		     "runs one blocking call at a time", k->name,
		     r->pend->u.call.name);
		return;
	}
	struct ret got = try_call(r, k, true);
	if (got.blocked) {
		r->pend = e;
		r->pend_end = end;
		return;
	}
	if (k->id == PKS_GETSOCKOPT && k->opt == PKS_OPT_ERROR && got.v == 0 &&
	    !r->done) {
		struct pconn *pc = sock_conn(r, k->fd);
		int x = pc ? pc->err : 0;
		const char *have = x ? sim_strerror(x) : "0";
		if (strcmp(have, k->want_err) != 0) {
			fail(r, PKR_FAIL, e->line, "SO_ERROR is %s, the script "
			     "expects %s\n  expected: %s", have, k->want_err, e->text);
			return;
		}
		if (pc)
			pc->err = 0;
	}
	check_ret(r, e, got);
}

static void
do_sysctl(struct runner *r, const struct pks_event *e)
{
	const struct pks_sysctl *y = &e->u.sysctl;
	if (y->knob[0] == '\0')
		return;
	const struct tcp_knob *k = tcp_knob_find(y->knob);
	if (k == NULL || tcp_knob_set(tcp_host_profile(r->th), k, y->value) < 0)
		fail(r, PKR_SKIP, e->line, "sysctl %s: value out of the range "
		     "of synsim's knob %s", e->text, y->knob);
}

static void
do_inject(struct runner *r, const struct pks_event *e)
{
	const struct pks_seg *g = &e->u.seg;
	struct pkt *p = net_pkt_alloc(r->net);
	if (p == NULL) {
		fail(r, PKR_ERROR, e->line, "%s", "out of memory");
		return;
	}
	p->src = REMOTE_ADDR;
	p->dst = LOCAL_ADDR;
	p->sport = r->rport;
	p->dport = r->lport;
	p->flags = g->flags;
	p->seq = g->seq;
	p->ack = g->has_ack ? g->ack + r->local_iss : 0;
	p->wnd = g->has_win ? (uint16_t)g->win : 65535;
	p->len = g->len;
	p->opt = g->opt;
#ifdef PKT_SACK_MAX
	/* SACK blocks name the host's data: relative to its ISN. */
	for (int i = 0; i < p->opt.nsack && i < PKT_SACK_MAX; i++) {
		p->opt.sack[i][0] += r->local_iss;
		p->opt.sack[i][1] += r->local_iss;
	}
#endif
	/* The script echoes the host's timestamps on its own clock. */
	if ((p->opt.present & OPT_TS) && p->opt.tsecr && r->ts_known)
		p->opt.tsecr += r->ts_off;
	node_output(r->peer, p);
}

/* Compare the host's segment c with the script's e; 0 or fail. */
/* "0.100000s" or "0.100000s...0.200000s": when e was expected. */
static void
fmt_window(simtime lo, simtime hi, char *buf, size_t len)
{
	char a[32], b[32];
	pks_time_str(lo, a, sizeof a);
	if (hi == lo) {
		snprintf(buf, len, "%s", a);
		return;
	}
	if (hi == SIMTIME_MAX)
		snprintf(b, sizeof b, "*");
	else
		pks_time_str(hi, b, sizeof b);
	snprintf(buf, len, "%s...%s", a, b);
}

static void
match_seg(struct runner *r, const struct pks_event *e, const struct captured *c,
          const char *when)
{
	const struct pks_seg *g = &e->u.seg;
	const struct pkt *p = &c->p;
	/* The ISN and TS clock of the host, as the script numbers them,
	 * come from its SYN. */
	if ((p->flags & TH_SYN) && (g->flags & TH_SYN)) {
		r->local_iss = p->seq - g->seq;
		r->iss_known = true;
	}
	if ((p->opt.present & OPT_TS) && (g->opt.present & OPT_TS) &&
	    !r->ts_known) {
		r->ts_off = p->opt.tsval - g->opt.tsval;
		r->ts_known = true;
	}
	const char *what = NULL;
	char w[96];
	uint32_t s = p->seq - r->local_iss;
	if (p->flags != g->flags)
		what = "flags";
	else if (s != g->seq || p->len != g->len)
		what = "sequence numbers";
	else if (g->has_ack && p->ack != g->ack)
		what = "ack";
	else if (g->has_win && p->wnd != g->win)
		what = "window";
	else if (!g->opts_any) {
		/* Every kind the host sent must be one the script names: an
		 * option a script cannot spell never passes unseen. */
		const struct tcp_opts *a = &p->opt, *x = &g->opt;
		uint8_t kinds = a->present;
		if (kinds != x->present)
			what = "options";
		else if ((kinds & OPT_MSS) && a->mss != x->mss)
			what = "mss";
		else if ((kinds & OPT_WSCALE) && a->wscale != x->wscale)
			what = "wscale";
		else if ((kinds & OPT_TS) && a->tsecr != x->tsecr)
			what = "TS ecr";
#ifdef PKT_SACK_MAX
		else if ((kinds & OPT_SACK) &&
		         (a->nsack != x->nsack ||
		          memcmp(a->sack, x->sack, a->nsack * sizeof a->sack[0])))
			what = "SACK blocks";
#endif
	}
	if (what == NULL)
		return;
	char act[400];
	fmt_actual(r, c, act, sizeof act);
	snprintf(w, sizeof w, "%s differ%s", what,
	         strcmp(what, "flags") == 0 || strcmp(what, "options") == 0 ||
	         strcmp(what, "sequence numbers") == 0 ||
	         strcmp(what, "SACK blocks") == 0 ? "" : "s");
	fail(r, PKR_FAIL, e->line, "the host's segment: %s\n  expected: %s %s\n"
	     "  actual:   %s", w, when, e->text, act);
}

/* Wait for the host's next segment and match it with e; returns when
 * it was sent. */
static simtime
do_expect(struct runner *r, const struct pks_event *e, simtime lo, simtime hi)
{
	simtime deadline = hi == SIMTIME_MAX ? lo + WAIT_ANY : hi + r->tol;
	while (!r->done && r->qn == 0 && sim_now(&r->sim) < deadline)
		run_to(r, deadline);
	if (r->done)
		return 0;
	char when[80];
	fmt_window(lo, hi, when, sizeof when);
	struct captured *c = q_peek(r);
	if (c == NULL) {
		char by[32];
		pks_time_str(deadline, by, sizeof by);
		fail(r, PKR_FAIL, e->line, "the host sent nothing by %ss\n"
		     "  expected: %s %s", by, when, e->text);
		return 0;
	}
	if (c->t < lo - r->tol) {
		char act[400];
		fmt_actual(r, c, act, sizeof act);
		fail(r, PKR_FAIL, e->line, "the host's segment came early "
		     "(tolerance %" PRId64 " us)\n  expected: %s %s\n"
		     "  actual:   %s", r->tol / SIMTIME_US, when, e->text, act);
		return 0;
	}
	simtime t = c->t;
	match_seg(r, e, c, when);
	q_pop(r);
	return t;
}

/* When event e may happen: [*lo, *hi], from the previous event's time. */
static void
window(const struct pks_event *e, simtime base, simtime *lo, simtime *hi)
{
	const struct pks_time *t = &e->time;
	switch (t->kind) {
	case PKS_ANY:
		*lo = base;
		*hi = e->kind == PKS_OUT ? SIMTIME_MAX : base;
		return;
	case PKS_REL:
		*lo = base + t->t;
		*hi = base + t->end;
		return;
	case PKS_ABS:
		*lo = t->t;
		*hi = t->end;
		return;
	}
}

static void
run_events(struct runner *r)
{
	simtime base = 0;
	for (int i = 0; i < r->s->nev && !r->done; i++) {
		const struct pks_event *e = &r->s->ev[i];
		simtime lo = 0, hi = 0;
		window(e, base, &lo, &hi);
		r->r->events = i + 1;
		if (e->kind == PKS_OUT) {
			base = do_expect(r, e, lo, hi);
			continue;
		}
		/* A time before now (an absolute time behind a late segment)
		 * runs now. */
		simtime at = lo > sim_now(&r->sim) ? lo : sim_now(&r->sim);
		run_to(r, at);
		if (unexpected(r, e->line))
			return;
		if (e->kind == PKS_IN) {
			do_inject(r, e);
			run_to(r, at);	/* delivered now: the link has no delay */
		} else if (e->kind == PKS_CALL) {
			do_call(r, e, hi > at ? hi : at);
		} else {
			do_sysctl(r, e);
		}
		base = at;
	}
	if (r->done)
		return;
	/* A call still blocked may return within its range. */
	if (r->pend) {
		const struct pks_event *e = r->pend;
		simtime deadline = r->pend_end + r->tol;
		while (r->pend && !r->done && sim_now(&r->sim) < deadline &&
		       !unexpected(r, e->line))
			run_to(r, deadline);
		if (r->pend && !r->done)
			fail(r, PKR_FAIL, e->line, "%s() never returned (blocked "
			     "from the script's time for it to the end)",
			     e->u.call.name);
	}
	int last = r->s->nev ? r->s->ev[r->s->nev - 1].line : 0;
	if (!r->done)
		unexpected(r, last);
	if (!r->done && r->q_overflow)
		fail(r, PKR_ERROR, last, "%s", "too many segments at once");
}

/* ---- the world and its outputs ------------------------------------------ */

/*
 * After the files are in place, remove what a run of another kind left
 * in the folder, drawn from other traces: the pictures and data of
 * synsim plot, the page of synsim view, a scenario run's summary.json,
 * explain.csv, queues.csv, connections.csv and per-link and per-host
 * captures.  So
 * plot and diff never read a mix.  Scripts (.pkt) are left alone: the
 * one being run may be there.  0, or -1 with a message in res.
 */
static int
clear_others(const char *dir, struct pkr_result *res)
{
	/* listed first, removed after: readdir need not see a folder change */
	char **names = outfile_list_dir(dir);
	if (names == NULL)
		return 0;
	static const char *const run_only[] = {
		"summary.json", "explain.csv", "queues.csv", "connections.csv",
	};
	int rc = 0;
	for (char **p = names; *p && rc == 0; p++) {
		const char *name = *p;
		size_t len = strlen(name);
		bool other = plot_output_name(name) || view_output_name(name) ||
		             ((strncmp(name, "link-", 5) == 0 ||
		               strncmp(name, "host-", 5) == 0) && len > 10 &&
		              strcmp(name + len - 5, ".pcap") == 0);
		for (size_t k = 0; k < sizeof run_only / sizeof *run_only; k++)
			other = other || strcmp(name, run_only[k]) == 0;
		if (!other)
			continue;
		char path[4200];
		snprintf(path, sizeof path, "%s/%s", dir, name);
		if (unlink(path) < 0 && errno != ENOENT) {
			snprintf(res->msg, sizeof res->msg, "cannot remove %.1200s (from "
			         "an earlier run): %s", path, strerror(errno));
			rc = -1;
		}
	}
	outfile_free_names(names);
	return rc;
}

enum { O_TRACE, O_PACKETS, O_STATES, O_PCAP, O_PCAPNG, O_N };
static const char *const o_names[O_N] = {
	"trace.txt", "packets.csv", "states.csv", "trace.pcap", "trace.pcapng",
};

int
pkr_run(const struct pktscript *s, const struct pkr_opts *o,
        struct pkr_result *res)
{
	*res = (struct pkr_result){ .status = PKR_PASS };
	if (s->skip[0]) {
		res->status = PKR_SKIP;
		res->line = s->skip_line;
		snprintf(res->msg, sizeof res->msg, "%s:%d: %s", s->path,
		         s->skip_line, s->skip);
		return res->status;
	}
	struct tcp_profile prof;
	const char *pname = o->profile ? o->profile : "linux";
	if (tcp_profile_get(pname, &prof) < 0) {
		res->status = PKR_ERROR;
		snprintf(res->msg, sizeof res->msg, "unknown profile '%s'", pname);
		return res->status;
	}
	struct runner *r = calloc(1, sizeof *r);
	struct outfile out[O_N] = { 0 };
	struct narrate narr = { .echo = o->echo };
	struct csvsink csv = { 0 };
	struct pcapsink pcap = { 0 };
	if (r == NULL) {
		res->status = PKR_ERROR;
		snprintf(res->msg, sizeof res->msg, "out of memory");
		return res->status;
	}
	r->s = s;
	r->r = res;
	r->tol = o->tolerance >= 0 ? o->tolerance :
	         s->tolerance >= 0 ? s->tolerance : PKR_TOLERANCE;
	r->lport = SERVER_PORT;
	r->rport = REMOTE_PORT;
	sim_init(&r->sim, o->seed);
	narr.sim = csv.sim = &r->sim;
	if (o->outdir) {
		if (outfile_mkdirs(o->outdir) < 0) {
			fail(r, PKR_ERROR, 0, "cannot create %s: %s", o->outdir,
			     strerror(errno));
			goto done;
		}
		for (int i = 0; i < O_N; i++)
			if (outfile_open(&out[i], o->outdir, o_names[i]) == NULL) {
				fail(r, PKR_ERROR, 0, "cannot write %s/%s: %s", o->outdir,
				     o_names[i], strerror(errno));
				goto done;
			}
		narr.out = out[O_TRACE].f;
		csv.pkts = out[O_PACKETS].f;
		csv.states = out[O_STATES].f;
		csv_header(&csv);
		trace_subscribe(&r->sim.trace, TRACE_MASK(TR_PKT) |
		                TRACE_MASK(TR_STATE), csv_event, &csv);
		pcap.merged = out[O_PCAP].f;
		pcap_write_header(pcap.merged);
		pcap_start_ng(&pcap, out[O_PCAPNG].f, o->command);
		trace_subscribe(&r->sim.trace, TRACE_MASK(TR_PKT) |
		                TRACE_MASK(TR_STATE), pcap_event, &pcap);
	}
	if (narr.out || narr.echo) {
		char line[1200];
		snprintf(line, sizeof line, "# %s", o->command ? o->command :
		         s->path);
		narrate_line(&narr, line);
		trace_subscribe(&r->sim.trace, TRACE_ALL, narrate_event, &narr);
	}
	trace_subscribe(&r->sim.trace, TRACE_MASK(TR_PKT) | TRACE_MASK(TR_STATE),
	                on_trace, r);

	r->net = net_new(&r->sim);
	r->sim.net = r->net;
	const char *hname = o->host ? o->host : "host";
	r->host = r->net ? net_add_node(r->net, hname, NODE_HOST) : NULL;
	r->peer = r->host ? net_add_node(r->net, strcmp(hname, "peer") ?
	                                 "peer" : "remote", NODE_HOST) : NULL;
	struct link_params lp;
	link_params_default(&lp);
	lp.delay = 0;
	if (r->peer == NULL || net_set_addr(r->net, r->host, LOCAL_ADDR) < 0 ||
	    net_set_addr(r->net, r->peer, REMOTE_ADDR) < 0 ||
	    link_new(r->net, r->peer, r->host, &lp) == NULL ||
	    (r->host->tcp = r->th = tcp_host_new(r->host, &prof)) == NULL) {
		fail(r, PKR_ERROR, 0, "%s", "out of memory");
		goto done;
	}
	tcp_host_set_app(r->th, &app_ops, r);
	run_events(r);
done:
	if (o->outdir && (res->status == PKR_PASS || res->status == PKR_FAIL)) {
		pcap_finish_ng(&pcap);
		for (int i = 0; i < O_N; i++)
			if (outfile_commit(&out[i]) < 0 && res->status != PKR_ERROR) {
				res->status = PKR_ERROR;
				snprintf(res->msg, sizeof res->msg, "cannot write %s/%s",
				         o->outdir, o_names[i]);
			}
	}
	if (o->outdir && (res->status == PKR_PASS || res->status == PKR_FAIL) &&
	    clear_others(o->outdir, res) < 0)
		res->status = PKR_ERROR;
	for (int i = 0; i < O_N; i++)
		outfile_discard(&out[i]);
	pcap_free(&pcap);
	if (r->net)
		net_free(r->net);
	sim_free(&r->sim);
	free(r->conns);
	free(r);
	return res->status;
}

/* ---- synsim pkt ---------------------------------------------------------- */

static const char pkt_usage[] =
"usage: synsim pkt SCRIPT.pkt [--profile linux|linux-6.18|rfc] [--out DIR]\n"
"                  [--tolerance_usecs N] [--seed N] [--host NAME] [-v]\n"
"\n"
"Run a packetdrill script against a synsim host of the profile: the\n"
"script's '<' segments come from a scripted peer, its '>' segments must\n"
"come from the host within the tolerance (default 4000 us), its system\n"
"calls drive the host's sockets.  --out DIR writes the run's trace files\n"
"(synsim ladder DIR, synsim plot DIR); -v narrates the run.  --seed and\n"
"--host (the host's name, default host) choose its random stream: a\n"
"script from synsim run --pkt replays exactly with its run's values.\n"
"\n"
"exit status: 0 passed, 1 failed (the first mismatch is printed),\n"
"2 usage or script error, 77 skipped (the script needs what synsim does\n"
"not model; the reason is printed)\n";

static int
pkt_number(const char *opt, const char *val, uint64_t *out)
{
	char *end;
	if (val == NULL)
		return sim_usage_error("%s needs a value", opt);
	errno = 0;
	unsigned long long v = strtoull(val, &end, 10);
	if (*val < '0' || *val > '9' || errno || *end)
		return sim_usage_error("expected a whole number after %s", opt);
	*out = v;
	return 0;
}

int
pkr_main(int argc, char **argv)
{
	struct pkr_opts o = { .tolerance = -1, .seed = 1 };
	const char *path = NULL;
	bool verbose = false;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
		uint64_t v = 0;
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(pkt_usage, stdout);
			return 0;
		} else if (strcmp(a, "--profile") == 0 || strcmp(a, "--out") == 0 ||
		           strcmp(a, "--host") == 0) {
			if (val == NULL)
				return sim_usage_error("%s needs a value", a);
			*(a[2] == 'p' ? &o.profile : a[2] == 'o' ? &o.outdir :
			  &o.host) = argv[++i];
		} else if (strcmp(a, "--tolerance_usecs") == 0) {
			if (pkt_number(a, val, &v) || v > INT64_MAX / SIMTIME_US)
				return 2;
			o.tolerance = (simtime)v * SIMTIME_US;
			i++;
		} else if (strcmp(a, "--seed") == 0) {
			if (pkt_number(a, val, &o.seed))
				return 2;
			i++;
		} else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
			verbose = true;
		} else if (a[0] == '-' && a[1] != '\0') {
			return sim_usage_error("unknown option %s", a);
		} else if (path == NULL) {
			path = a;
		} else {
			return sim_usage_error("one script at a time (also got %s)", a);
		}
	}
	if (path == NULL)
		return sim_usage_error("%s", "pkt: which script? (synsim pkt "
		                       "FILE.pkt)");
	struct tcp_profile p;
	if (o.profile && tcp_profile_get(o.profile, &p) < 0)
		return sim_usage_error("unknown profile '%s' (linux, linux-6.18, "
		                       "rfc)", o.profile);
	char cmd[1200];
	snprintf(cmd, sizeof cmd, "synsim pkt %s --profile %s --seed %" PRIu64
	         "%s%s", path, o.profile ? o.profile : "linux", o.seed,
	         o.host ? " --host " : "", o.host ? o.host : "");
	o.command = cmd;
	o.echo = verbose ? stdout : NULL;
	struct pktscript s;
	char err[512];
	if (pks_parse_file(&s, path, err, sizeof err) < 0) {
		fprintf(stderr, "synsim: %s\n", err);
		pks_free(&s);
		return PKR_ERROR;
	}
	struct pkr_result res;
	int st = pkr_run(&s, &o, &res);
	switch (st) {
	case PKR_PASS:
		printf("PASS %s (%s, %d events)\n", path,
		       o.profile ? o.profile : "linux", res.events);
		break;
	case PKR_FAIL:
		printf("FAIL %s\n", res.msg);
		break;
	case PKR_SKIP:
		printf("SKIP %s\n", res.msg);
		break;
	default:
		fprintf(stderr, "synsim: %s\n", res.msg);
		break;
	}
	pks_free(&s);
	return st;
}
