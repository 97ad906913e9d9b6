/*
 * pktwrite.c - a host's first connection as a packetdrill script
 * (pktwrite.h).
 *
 * What the script says, and where it comes from:
 *  - `<` and `>` lines: the host's segment arrivals and sends on the
 *    connection's 4-tuple, at their times.  The host's sequence numbers
 *    are relative to its ISN, the peer's to the peer's (the peer's ISN
 *    is 0 in the script, as packetdrill scripts usually have it).
 *  - system calls: the application's, from its trace events: connect()
 *    (non-blocking, EINPROGRESS) for an active open, socket, bind and
 *    listen at 0 for a passive one, accept() when the connection is
 *    ready, read() of each delivery and of the end of the stream,
 *    shutdown(), close(), abort as SO_LINGER 0 and close(), an error as
 *    SO_ERROR.  An application's send is no trace event: a write() is
 *    put before the first segment of new data, up to the segment with
 *    PSH (a write's last), and before a close() or shutdown() for all
 *    the data that leaves after it.
 *  - sysctls: the host's knobs that differ from its profile and that
 *    Linux has a sysctl for (pktscript.c's table).
 */
#define _POSIX_C_SOURCE 200809L
#include "pktwrite.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "../tcp/tcp.h"
#include "pktscript.h"

enum pkw_kind { IT_IN, IT_OUT, IT_CALL };

struct pkw_item {
	simtime t;
	enum pkw_kind kind;
	struct pkt p;		/* IT_IN, IT_OUT: no payload */
	char call[96];		/* IT_CALL */
};

static struct pkw_item *
add(struct pktwriter *w, simtime t, enum pkw_kind kind)
{
	if (w->nitems == w->cap) {
		int cap = w->cap ? 2 * w->cap : 64;
		struct pkw_item *v = realloc(w->items, (size_t)cap * sizeof *v);
		if (v == NULL) {
			w->oom = true;
			return NULL;
		}
		w->items = v;
		w->cap = cap;
	}
	struct pkw_item *it = &w->items[w->nitems++];
	memset(it, 0, sizeof *it);
	it->t = t;
	it->kind = kind;
	return it;
}

static void
add_pkt(struct pktwriter *w, simtime t, enum pkw_kind kind,
        const struct pkt *p)
{
	struct pkw_item *it = add(w, t, kind);
	if (it) {
		it->p = *p;
		it->p.data = NULL;
		it->p.next = it->p.all = NULL;
	}
}

static void
add_call(struct pktwriter *w, simtime t, const char *text)
{
	struct pkw_item *it = add(w, t, IT_CALL);
	if (it)
		snprintf(it->call, sizeof it->call, "%s", text);
}

static bool
outbound(const struct pktwriter *w, const struct pkt *p)
{
	return p->src == w->laddr && p->sport == w->lport &&
	       p->dst == w->raddr && p->dport == w->rport;
}

static bool
inbound(const struct pktwriter *w, const struct pkt *p)
{
	return p->dst == w->laddr && p->dport == w->lport &&
	       p->src == w->raddr && p->sport == w->rport;
}

static int
conn_fd(const struct pktwriter *w)
{
	return w->passive ? 4 : 3;
}

/* The knobs of the host that differ from its profile, as sysctls. */
static void
note_sysctls(struct pktwriter *w, const struct tcp_profile *prof)
{
	struct tcp_profile base;
	snprintf(w->profile, sizeof w->profile, "%s", prof->name);
	if (tcp_profile_get(prof->name, &base) < 0)
		return;
	size_t n = 0;
	for (int i = 0;; i++) {
		simtime unit;
		const char *knob, *name = pks_sysctl_at(i, &knob, &unit);
		if (name == NULL)
			break;
		const struct tcp_knob *k = tcp_knob_find(knob);
		if (k == NULL)
			continue;
		int64_t v = tcp_knob_get(prof, k);
		if (v == tcp_knob_get(&base, k) || (unit && v % unit))
			continue;
		n += (size_t)snprintf(w->sysctls + n, n < sizeof w->sysctls ?
		                      sizeof w->sysctls - n : 0,
		                      "`sysctl -q %s=%" PRId64 "`\n", name,
		                      unit ? v / unit : v);
	}
}

/* The first connection of the host appears. */
static void
adopt(struct pktwriter *w, const struct tcp_conn *c, simtime t)
{
	struct tcp_conn_info in;
	tcp_conn_info(c, &in);
	w->conn = c;
	w->passive = in.passive;
	w->laddr = in.laddr;
	w->raddr = in.raddr;
	w->lport = in.lport;
	w->rport = in.rport;
	struct tcp_host *h = tcp_conn_host(c);
	note_sysctls(w, tcp_host_profile(h));
	if (w->passive) {
		struct tcp_listener *l = tcp_host_listener(h, in.lport);
		w->backlog = l ? tcp_listener_backlog(l) : 1;
		/* the SYN that made it, traced just before */
		if (w->have_last && inbound(w, &w->last))
			add_pkt(w, w->last_t, IT_IN, &w->last);
	} else {
		add_call(w, t, "socket(..., SOCK_STREAM, IPPROTO_TCP) = 3");
		add_call(w, t, "fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0");
		add_call(w, t, "connect(3, ..., ...) = -1 EINPROGRESS (Operation "
		         "now in progress)");
	}
}

static void
app_event(struct pktwriter *w, const struct trace_event *ev)
{
	const char *what = ev->u.app.call;
	char buf[96];
	int fd = conn_fd(w);
	if (strcmp(what, "connected") == 0) {
		snprintf(buf, sizeof buf, "getsockopt(%d, SOL_SOCKET, SO_ERROR, [0], "
		         "[4]) = 0", fd);
	} else if (strcmp(what, "accepted") == 0) {
		snprintf(buf, sizeof buf, "accept(3, ..., ...) = 4");
	} else if (strcmp(what, "data") == 0) {
		snprintf(buf, sizeof buf, "read(%d, ..., %" PRId64 ") = %" PRId64,
		         fd, ev->u.app.value, ev->u.app.value);
	} else if (strcmp(what, "eof") == 0) {
		snprintf(buf, sizeof buf, "read(%d, ..., 1000) = 0", fd);
	} else if (strcmp(what, "shutdown") == 0) {
		snprintf(buf, sizeof buf, "shutdown(%d, SHUT_WR) = 0", fd);
	} else if (strcmp(what, "close") == 0) {
		snprintf(buf, sizeof buf, "close(%d) = 0", fd);
		w->fd_closed = true;
	} else if (strcmp(what, "abort") == 0) {
		snprintf(buf, sizeof buf, "setsockopt(%d, SOL_SOCKET, SO_LINGER, "
		         "{onoff=1, linger=0}, 8) = 0", fd);
		add_call(w, ev->t, buf);
		snprintf(buf, sizeof buf, "close(%d) = 0", fd);
		w->fd_closed = true;
	} else if (strcmp(what, "error") == 0 && ev->u.app.detail &&
	           (strcmp(ev->u.app.detail, "ECONNREFUSED") == 0 ||
	            strcmp(ev->u.app.detail, "ECONNRESET") == 0 ||
	            strcmp(ev->u.app.detail, "ETIMEDOUT") == 0)) {
		snprintf(buf, sizeof buf, "getsockopt(%d, SOL_SOCKET, SO_ERROR, "
		         "[%s], [4]) = 0", fd, ev->u.app.detail);
	} else {
		return;
	}
	add_call(w, ev->t, buf);
}

void
pkw_event(void *ctx, const struct trace_event *ev)
{
	struct pktwriter *w = ctx;
	if (w->stopped || ev->node == NULL || strcmp(ev->node, w->host) != 0)
		return;
	switch (ev->kind) {
	case TR_PKT: {
		const struct pkt *p = ev->u.pkt.pkt;
		if (ev->u.pkt.op == PKT_RECV && w->conn == NULL) {
			w->have_last = true;
			w->last_t = ev->t;
			w->last = *p;
			w->last.data = NULL;
			w->last.next = w->last.all = NULL;
		} else if (ev->u.pkt.op == PKT_RECV && inbound(w, p)) {
			add_pkt(w, ev->t, IT_IN, p);
		} else if (ev->u.pkt.op == PKT_SEND && w->conn && outbound(w, p)) {
			add_pkt(w, ev->t, IT_OUT, p);
		}
		break;
	}
	case TR_STATE: {
		const struct tcp_conn *c = ev->u.state.conn;
		if (w->conn == NULL) {
			adopt(w, c, ev->t);
		} else if (c != w->conn) {
			struct tcp_conn_info in;
			tcp_conn_info(c, &in);
			if (in.laddr == w->laddr && in.lport == w->lport &&
			    in.raddr == w->raddr && in.rport == w->rport)
				w->stopped = true;
		}
		break;
	}
	case TR_APP:
		/* After close() the application hears nothing more. */
		if (ev->u.app.conn == w->conn && w->conn && !w->fd_closed)
			app_event(w, ev);
		break;
	default:
		break;
	}
}

static void
print_call(FILE *f, const struct pkw_item *it)
{
	char t[32];
	pks_time_str(it->t, t, sizeof t);
	fprintf(f, "%s %s\n", t, it->call);
}

int
pkw_write(const struct pktwriter *w, FILE *f, const char *origin,
          uint64_t seed)
{
	if (w->conn == NULL || w->oom)
		return -1;
	/* ISNs: of the first SYN each side sent (0 before one is seen) */
	uint32_t host_iss = 0, peer_iss = 0;
	bool host_syn = false, peer_syn = false;
	for (int i = 0; i < w->nitems; i++) {
		const struct pkw_item *it = &w->items[i];
		if (it->kind == IT_CALL || !(it->p.flags & TH_SYN))
			continue;
		if (it->kind == IT_OUT && !host_syn) {
			host_iss = it->p.seq;
			host_syn = true;
		} else if (it->kind == IT_IN && !peer_syn) {
			peer_iss = it->p.seq;
			peer_syn = true;
		}
	}
	char la[20], ra[20];
	pkt_addr_str(w->laddr, la, sizeof la);
	pkt_addr_str(w->raddr, ra, sizeof ra);
	fprintf(f, "// %s\n// The first connection of host %s (profile %s):\n"
	        "// %s %s:%u, port %u here.\n"
	        "// Replay: synsim pkt FILE --profile %s --seed %" PRIu64
	        " --host %s\n\n", origin, w->host, w->profile, w->passive ?
	        "a passive open from" : "an active open to", ra, w->rport,
	        w->lport, w->profile, seed, w->host);
	if (w->sysctls[0])
		fprintf(f, "%s\n", w->sysctls);
	if (w->passive)
		fprintf(f, "0.000000 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
		        "+0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0\n"
		        "+0 bind(3, ..., ...) = 0\n+0 listen(3, %d) = 0\n\n",
		        w->backlog);
	/*
	 * The application's answers to what TCP told it (a read of data, an
	 * accept, SO_ERROR) come in the trace in the middle of TCP's
	 * processing of a segment, before the ACK it sends; in a replay the
	 * call runs after the segment's processing is over.  So they wait
	 * behind the host's segments of the same instant, up to the next
	 * arrival, call of the application's own, or later time.
	 */
	const struct pkw_item *wait[64];
	int nwait = 0;
	uint32_t snd_max = host_iss + 1;
	for (int i = 0; i <= w->nitems; i++) {
		const struct pkw_item *it = i < w->nitems ? &w->items[i] : NULL;
		bool answer = it && it->kind == IT_CALL &&
		              (strncmp(it->call, "read(", 5) == 0 ||
		               strncmp(it->call, "accept(", 7) == 0 ||
		               strncmp(it->call, "getsockopt(", 11) == 0);
		const struct pkt *p = it ? &it->p : NULL;
		bool new_data = it && it->kind == IT_OUT && p->len &&
		                (int32_t)(p->seq + p->len - snd_max) > 0;
		bool passes = it && it->kind == IT_OUT && !new_data && nwait &&
		              it->t == wait[0]->t;
		if (nwait && (it == NULL || (!answer && !passes) || nwait == 64)) {
			for (int k = 0; k < nwait; k++)
				print_call(f, wait[k]);
			nwait = 0;
		}
		if (it == NULL)
			break;
		if (answer) {
			wait[nwait++] = it;
			continue;
		}
		if (it->kind == IT_CALL) {
			/* Data that leaves after close() or shutdown() was
			 * written before it. */
			bool ends = strncmp(it->call, "close(", 6) == 0 ||
			            strncmp(it->call, "shutdown(", 9) == 0;
			uint32_t last = snd_max;
			for (int j = i + 1; ends && j < w->nitems; j++) {
				const struct pkw_item *o = &w->items[j];
				uint32_t end = o->p.seq + o->p.len;
				if (o->kind == IT_OUT && o->p.len &&
				    (int32_t)(end - last) > 0)
					last = end;
			}
			if (last != snd_max) {
				char t[32];
				pks_time_str(it->t, t, sizeof t);
				fprintf(f, "%s write(%d, ..., %u) = %u\n", t, conn_fd(w),
				        last - snd_max, last - snd_max);
				snd_max = last;
			}
			print_call(f, it);
			continue;
		}
		char t[32], seg[256];
		pks_time_str(it->t, t, sizeof t);
		if (it->kind == IT_OUT) {
			/* New data: the write() that queued it, which
			 * reaches to the first segment with PSH, the mark
			 * TCP puts on a write's last one. */
			if (new_data) {
				uint32_t end = p->seq + p->len;
				for (int j = i; j < w->nitems; j++) {
					const struct pkw_item *o = &w->items[j];
					uint32_t e = o->p.seq + o->p.len;
					if (o->kind != IT_OUT || !o->p.len ||
					    (int32_t)(e - end) < 0)
						continue;
					end = e;
					if (o->p.flags & (TH_PSH | TH_FIN))
						break;
				}
				fprintf(f, "%s write(%d, ..., %u) = %u\n", t, conn_fd(w),
				        end - snd_max, end - snd_max);
				snd_max = end;
			}
			pks_seg_str(p, host_iss, peer_iss, seg, sizeof seg);
			fprintf(f, "%s > %s\n", t, seg);
		} else {
			pks_seg_str(p, peer_iss, host_iss, seg, sizeof seg);
			fprintf(f, "%s < %s\n", t, seg);
		}
	}
	return ferror(f) ? -1 : 0;
}

void
pkw_free(struct pktwriter *w)
{
	free(w->items);
	w->items = NULL;
	w->nitems = w->cap = 0;
}
