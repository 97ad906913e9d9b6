/*
 * tcp_accept.c - a listener's accept queue: the connections whose
 * handshake has completed and that the application has not accepted yet.
 *
 * RFC 9293 leaves queueing to the implementation (3.10.1: "the local
 * socket ... may have ... a queue"); POSIX listen() bounds it by the
 * backlog.  The linux profile follows Linux:
 *
 *   - the queue is full when it holds more than the backlog
 *     (sk_acceptq_is_full: sk_ack_backlog > sk_max_ack_backlog), so it
 *     takes backlog + 1 connections; the rfc profile takes backlog;
 *   - a SYN for a listener whose accept queue is full is dropped
 *     (tcp_conn_request: sk_acceptq_is_full -> ListenOverflows, drop);
 *   - the final ACK of a handshake that finds the queue full is dropped
 *     too (tcp_check_req -> tcp_v4_syn_recv_sock -> exit_overflow ->
 *     listen_overflow), and the request stays half-open with
 *     inet_rsk(req)->acked set: its SYN-ACK timer keeps firing, each
 *     SYN-ACK draws a new ACK from the client, and the client's data
 *     retransmissions are further tries, until the application makes
 *     room or tcp_synack_retries runs out;
 *   - with net.ipv4.tcp_abort_on_overflow = 1 (knob abort_on_overflow)
 *     the request is reset instead (listen_overflow -> embryonic_reset).
 *
 * Called from tcp.c (a completed handshake, a closed listener) and
 * tcp_in.c (data and FIN for a connection not yet accepted).
 */
#include <stdlib.h>
#include <string.h>

#include "tcp_int.h"

void
tcp_trace_queue(const struct tcp_listener *l, const char *what)
{
	struct sim *sim = l->host->sim;
	if (!trace_wants(&sim->trace, TR_QUEUE))
		return;
	struct trace_event ev = { .kind = TR_QUEUE, .t = sim_now(sim),
	                          .node = l->host->node->name };
	ev.u.queue.port = l->port;
	ev.u.queue.synq = l->pending;
	ev.u.queue.acceptq = l->acceptq_len;
	ev.u.queue.backlog = l->backlog;
	ev.u.queue.what = what;
	trace_emit(&sim->trace, &ev);
}

bool
tcp_acceptq_full(const struct tcp_listener *l)
{
	/* linux: sk_acceptq_is_full, "len > backlog": backlog + 1 fit.
	 * rfc: the backlog is the limit, but never below one (POSIX lets
	 * a backlog of 0 mean an implementation's minimum). */
	if (l->host->prof.backlog_plus_one)
		return l->acceptq_len > l->backlog;
	return l->acceptq_len >= (l->backlog > 0 ? l->backlog : 1);
}

void
tcp_listener_set_manual(struct tcp_listener *l, bool manual)
{
	l->manual = manual;
}

int
tcp_listener_synq_len(const struct tcp_listener *l)
{
	return l->pending;
}

int
tcp_listener_acceptq_len(const struct tcp_listener *l)
{
	return l->acceptq_len;
}

uint64_t
tcp_listener_accept_overflows(const struct tcp_listener *l)
{
	return l->accept_overflows;
}

/* The application now has c: tell it, with what arrived meanwhile. */
static void
hand_over(struct tcp_listener *l, struct tcp_conn *c)
{
	struct tcp_host *h = c->host;
	/* Closed while it waited: nobody was told then. */
	bool died = c->state == TCP_CLOSED;
	c->accepted = true;
	l->accepted++;
	tcp_trace_result(c, "accepted", NULL, 0);
	if (h->app.accepted)
		h->app.accepted(h->app_ctx, l, c);
	/* What the application does in its callback comes first; then it
	 * reads what was waiting, unless it closed or aborted meanwhile
	 * (an abort there has told it of the end already). */
	struct tcp_held *hd = c->held;
	c->held = NULL;
	uint64_t n = hd ? hd->n : 0;
	bool eof = hd && hd->eof;
	if (c->app_closed || (!died && c->state == TCP_CLOSED)) {
		n = 0;
		eof = false;
	}
	if (n > 0) {
		tcp_trace_result(c, "data", NULL, (int64_t)n);
		if (h->app.data)
			h->app.data(h->app_ctx, c, (uint32_t)n, hd->data);
	}
	if (hd) {
		free(hd->data);
		free(hd);
	}
	if (eof) {
		tcp_trace_result(c, "eof", NULL, 0);
		if (h->app.eof)
			h->app.eof(h->app_ctx, c);
	}
	/* It died in the queue: accept() still returns it (Linux leaves a
	 * reset child in the queue), and the first call learns why. */
	if (died) {
		if (c->error)
			tcp_trace_app(c, "error", sim_strerror(c->error));
		tcp_trace_result(c, "closed", c->error ? sim_strerror(c->error)
		                 : NULL, 0);
		if (h->app.closed)
			h->app.closed(h->app_ctx, c, c->error);
	}
}

void
tcp_accept_completed(struct tcp_listener *l, struct tcp_conn *c)
{
	struct tcp_host *h = l->host;
	if (!l->manual) {
		tcp_trace_queue(l, "handshake completed, accepted at once");
		hand_over(l, c);
		return;
	}
	if (l->acceptq_len == l->acceptq_cap) {
		int cap = l->acceptq_cap ? 2 * l->acceptq_cap : 8;
		struct tcp_conn **v = realloc(l->acceptq, sizeof *v * (size_t)cap);
		if (v == NULL)
			return;	/* never accepted; the peer times out */
		l->acceptq = v;
		l->acceptq_cap = cap;
	}
	l->acceptq[l->acceptq_len++] = c;
	c->acceptq_of = l;
	tcp_trace_queue(l, "handshake completed, queued for accept()");
	if (h->app.ready)
		h->app.ready(h->app_ctx, l);
}

struct tcp_conn *
tcp_listener_accept(struct tcp_listener *l)
{
	if (l->acceptq_len == 0)
		return NULL;
	/* Oldest first.  A shift is O(queue) per accept; a ring would be
	 * O(1), and would matter only for queues of many thousands. */
	struct tcp_conn *c = l->acceptq[0];
	l->acceptq_len--;
	memmove(l->acceptq, l->acceptq + 1, sizeof *l->acceptq *
	        (size_t)l->acceptq_len);
	c->acceptq_of = NULL;
	tcp_trace_queue(l, "accept()");
	hand_over(l, c);
	return c;
}

/* The connection's record of what is held, made at the first use. */
static struct tcp_held *
held_of(struct tcp_conn *c)
{
	if (c->held == NULL)
		c->held = calloc(1, sizeof *c->held);
	return c->held;
}

void
tcp_held_free(struct tcp_conn *c)
{
	if (c->held) {
		free(c->held->data);
		free(c->held);
		c->held = NULL;
	}
}

void
tcp_app_data(struct tcp_conn *c, uint32_t n, const unsigned char *data)
{
	struct tcp_host *h = c->host;
	if (c->acceptq_of == NULL) {
		tcp_trace_result(c, "data", NULL, n);
		if (h->app.data)
			h->app.data(h->app_ctx, c, n, data);
		return;
	}
	/* Held in the receive buffer until accept(), as a child socket
	 * holds it (its ACK has gone already). */
	struct tcp_held *hd = held_of(c);
	if (hd == NULL)
		return;
	if (data != NULL || hd->data != NULL) {
		size_t need = (size_t)(hd->n + n);
		if (need > hd->cap) {
			size_t cap = hd->cap ? hd->cap : 256;
			while (cap < need)
				cap *= 2;
			unsigned char *b = realloc(hd->data, cap);
			if (b == NULL)
				return;
			if (hd->data == NULL)
				memset(b, 0, (size_t)hd->n);
			hd->data = b;
			hd->cap = cap;
		}
		if (data)
			memcpy(hd->data + hd->n, data, n);
		else
			memset(hd->data + hd->n, 0, n);
	}
	hd->n += n;
}

void
tcp_app_eof(struct tcp_conn *c)
{
	struct tcp_host *h = c->host;
	if (c->acceptq_of) {
		struct tcp_held *hd = held_of(c);
		if (hd)
			hd->eof = true;
		return;
	}
	tcp_trace_result(c, "eof", NULL, 0);
	if (h->app.eof)
		h->app.eof(h->app_ctx, c);
}

/* linux: inet_csk_listen_stop takes each child off the accept queue and
 * disconnects it (inet_child_forget -> tcp_disconnect): an active reset
 * for the connections that were never accepted. */
void
tcp_acceptq_reset(struct tcp_listener *l)
{
	int n = l->acceptq_len;
	l->acceptq_len = 0;
	for (int i = 0; i < n; i++) {
		struct tcp_conn *c = l->acceptq[i];
		c->acceptq_of = NULL;
		if (c->state != TCP_CLOSED) {
			tcp_send_flags(c, TH_RST | TH_ACK, c->snd_nxt, 0,
			               "listener closed", false);
			tcp_drop(c, SIM_ECONNABORTED, "listener closed before "
			         "accept()", "linux: inet_csk_listen_stop");
		}
	}
	free(l->acceptq);
	l->acceptq = NULL;
	l->acceptq_cap = 0;
	tcp_trace_queue(l, "listener closed");
}
