/*
 * tcp_in.c - segment arrival: RFC 9293 3.10.7, "SEGMENT ARRIVES", with the
 * RFC 5961 hardening RFC 9293 adopts, step by step in the RFC's order.
 * Each decision names its rule, so the trace can say why: the arrival
 * itself is traced here (arrived), with the rule that decides what
 * happens to the segment, once that is known and before any of it is
 * done, so the receive comes before what it causes.
 */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "tcp_int.h"

/* A segment, seen through the connection it arrived on. */
struct seg {
	const struct pkt *p;
	uint32_t seq, ack, len;	/* len: sequence space (data + SYN + FIN) */
	uint8_t flags;
};

static void
seg_init(struct seg *s, const struct pkt *p)
{
	s->p = p;
	s->seq = p->seq;
	s->ack = p->ack;
	s->len = pkt_seg_len(p);
	s->flags = p->flags;
}

/* ---- options on SYN and SYN-ACK --------------------------------------------- */

void
tcp_process_options(struct tcp_conn *c, const struct pkt *p)
{
	const struct tcp_profile *pr = &c->host->prof;
	const struct tcp_opts *o = &p->opt;
	/* RFC 9293 3.7.1: without the option, assume 536. */
	c->peer_mss = (o->present & OPT_MSS) ? o->mss : 536;
	/* RFC 7323 2.2, 2.3: scaling only if both sides sent the option;
	 * a shift over 14 is used as 14. */
	if (pr->opt_wscale && (o->present & OPT_WSCALE)) {
		c->snd_wscale = o->wscale > 14 ? 14 : o->wscale;
		c->rcv_wscale = pr->wscale;
	} else {
		c->snd_wscale = c->rcv_wscale = -1;
	}
	c->sack_ok = pr->opt_sack && (o->present & OPT_SACKOK);
	/* RFC 7323 3.2: timestamps only if both sides sent them. */
	c->ts_ok = pr->opt_ts && (o->present & OPT_TS);
	if (c->ts_ok) {
		c->ts_recent = o->tsval;
		c->ts_recent_at = sim_now(c->host->sim);
	}
	/* A passive open learns here whether timestamps take room in
	 * its segments, which its first window depends on. */
	if (c->state != TCP_SYN_SENT)
		c->rcv_wnd = tcp_initial_window(c->host, c->raddr, c->ts_ok);
	uint16_t local = tcp_local_mss(c);
	uint16_t mss = c->peer_mss < local ? c->peer_mss : local;
	/* Linux counts the timestamp option (12 bytes aligned) against the
	 * MSS, so 1460 carries 1448 bytes of data. */
	if (c->ts_ok)
		mss -= 12;
	c->eff_mss = mss;
}

static void
take_window(struct tcp_conn *c, const struct seg *s)
{
	uint32_t w = s->p->wnd;
	/* RFC 7323 2.2: the window of a SYN segment is never scaled. */
	if (!(s->flags & TH_SYN) && c->snd_wscale > 0)
		w <<= c->snd_wscale;
	c->snd_wnd = w;
	c->snd_wl1 = s->seq;
	c->snd_wl2 = s->ack;
	if (w > c->max_snd_wnd)
		c->max_snd_wnd = w;
}

/* RTT from the timestamp echo (RFC 7323 4.1), in whole milliseconds. */
static void
ts_rtt(struct tcp_conn *c, const struct pkt *p)
{
	if (!c->ts_ok || !(p->opt.present & OPT_TS) || p->opt.tsecr == 0)
		return;
	uint32_t ms = tcp_ts_now(c) - p->opt.tsecr;
	if ((int32_t)ms < 0)
		return;
	tcp_rtt_sample(c, (simtime)(ms ? ms : 1) * SIMTIME_MS);
}

/*
 * Trace the arrival of the segment tcp_input is taking, with the rule
 * that decides its fate, unless done already: the first decision about a
 * segment names it (a TIME-WAIT connection giving its ports to a new SYN
 * names that; the LISTEN rule that then takes the SYN is told by the
 * state change it makes).  Every path through tcp_input calls it before
 * its first action, so that the receive is the first event it causes.
 */
static void
arrived(struct tcp_host *h, const char *rule)
{
	const struct pkt *p = h->arriving;
	if (p == NULL)
		return;
	h->arriving = NULL;
	net_trace_recv(h->net, h->node->name, p, rule);
}

/* "RFC 9293 3.10.7.4, ESTABLISHED, <what>" into buf. */
static const char *
rule_in(const struct tcp_conn *c, const char *what, char *buf, size_t len)
{
	snprintf(buf, len, "RFC 9293 3.10.7.4, %s, %s", tcp_state_name(c->state),
	         what);
	return buf;
}

/* A segment TCP takes no action on: a drop at the host in the trace,
 * with the rule that says so, so that every arrival has its decision. */
static void
ignore(struct tcp_host *h, const struct pkt *p, const char *why)
{
	net_trace_pkt(h->net, PKT_DROP, h->node->name, p, why, 0);
}

/* ---- CLOSED and LISTEN -------------------------------------------------------- */

static void synchronized_input(struct tcp_conn *c, const struct seg *s);

/*
 * RFC 4987 3.6; linux: cookie_v4_check.  An ACK that returns a valid SYN
 * cookie opens the connection its SYN-ACK described, in SYN-RECEIVED, and
 * is then taken as any segment there (it may carry data or a FIN).
 * False if it returns no cookie: the caller answers as RFC 9293 says.
 */
static bool
cookie_accept(struct tcp_host *h, struct tcp_listener *l, const struct pkt *p)
{
	uint16_t mss = tcp_cookie_check(h, p);
	if (mss == 0)
		return false;
	/* linux: the pair's offset only if the ACK echoes a timestamp. */
	uint32_t tsoff = (p->opt.present & OPT_TS) && p->opt.tsecr ?
	                 tcp_ts_offset(h, p->dst, p->src) : 0;
	struct pkt syn = { .opt = { .present = OPT_MSS, .mss = mss } };
	if (!tcp_cookie_options(h, p, tsoff, &syn.opt))
		return false;
	/* linux: cookie_v4_check -> tcp_get_cookie_sock -> syn_recv_sock
	 * fails on a full accept queue: the ACK is dropped (or reset with
	 * tcp_abort_on_overflow), and nothing was kept to retry with. */
	if (tcp_acceptq_full(l)) {
		l->accept_overflows++;
		if (h->prof.abort_on_overflow) {
			arrived(h, "RFC 4987 3.6; linux: cookie_v4_check: valid SYN "
			        "cookie, accept queue full, tcp_abort_on_overflow: "
			        "reset");
			tcp_send_reset_for(h, p, "accept queue full "
			                   "(tcp_abort_on_overflow)");
		} else {
			arrived(h, "RFC 4987 3.6; linux: cookie_v4_check: valid SYN "
			        "cookie, accept queue full (sk_acceptq_is_full): "
			        "dropped");
			ignore(h, p, "accept queue full: ACK dropped");
		}
		return true;
	}
	arrived(h, "RFC 4987 3.6; linux: cookie_v4_check: the ACK returns a "
	        "valid SYN cookie");
	struct tcp_conn *c = tcp_conn_new(h, p->dst, p->dport, p->src, p->sport);
	if (c == NULL)
		return true;
	c->passive = true;
	c->listener = l;
	l->pending++;
	l->cookies_accepted++;
	c->state = TCP_LISTEN;	/* the listener's state, for the trace */
	c->irs = p->seq - 1;
	c->rcv_nxt = p->seq;
	tcp_process_options(c, &syn);
	c->iss = p->ack - 1;
	c->snd_una = c->iss;
	c->snd_nxt = c->snd_max = c->iss + 1;
	c->sbuf_seq = c->iss + 1;
	c->ts_offset = c->ts_ok ? tsoff : 0;
	tcp_table_insert(c);
	tcp_set_state(c, TCP_SYN_RECEIVED, "ACK returned a valid SYN cookie",
	              "RFC 4987 3.6; linux: cookie_v4_check");
	struct seg s;
	seg_init(&s, p);
	synchronized_input(c, &s);
	return true;
}

static void
listen_input(struct tcp_host *h, struct tcp_listener *l, const struct pkt *p)
{
	/* RFC 9293 3.10.7.2, first: an incoming RST is ignored. */
	if (p->flags & TH_RST) {
		arrived(h, "RFC 9293 3.10.7.2, LISTEN, first check: RST, ignored");
		ignore(h, p, "RST for a listening port: ignored "
		       "(RFC 9293 3.10.7.2, first check)");
		return;
	}
	/* second: any acknowledgment is bad: <SEQ=SEG.ACK><CTL=RST>; unless
	 * it returns a SYN cookie sent in the last two minutes. */
	if (p->flags & TH_ACK) {
		if (!(p->flags & TH_SYN) && h->prof.syncookies > 0 &&
		    tcp_cookie_recent(l, sim_now(h->sim)) && cookie_accept(h, l, p))
			return;
		arrived(h, "RFC 9293 3.10.7.2, LISTEN, second check: ACK, "
		        "answered with RST");
		tcp_send_reset_for(h, p, "ACK for a listening port "
		                   "(RFC 9293 3.10.7.2, second check)");
		return;
	}
	if (!(p->flags & TH_SYN)) {
		arrived(h, "RFC 9293 3.10.7.2, LISTEN, fourth check: neither SYN, "
		        "ACK nor RST, dropped");
		ignore(h, p, "neither SYN, ACK nor RST for a listening port "
		       "(RFC 9293 3.10.7.2, fourth check)");
		return;
	}
	/* linux: tcp_conn_request answers with a cookie when the queue is
	 * full (tcp_syncookies 1) or always (2). */
	int cookies = h->prof.syncookies;
	/* linux (inet_csk_reqsk_queue_is_full, since 6.13 and in the stable
	 * kernels): the queue takes backlog + 1 requests. */
	bool full = l->pending >= l->backlog + (h->prof.backlog_plus_one ? 1 : 0);
	/* linux: tcp_conn_request then drops any SYN, cookie or not, while
	 * the accept queue is full (sk_acceptq_is_full: ListenOverflows,
	 * ListenDrops); the client's SYN retries try again. */
	if ((cookies > 0 || !full) && tcp_acceptq_full(l)) {
		arrived(h, "accept queue full: SYN dropped (RFC 9293 leaves the "
		        "queue to the implementation; linux: tcp_conn_request, "
		        "sk_acceptq_is_full)");
		l->accept_overflows++;
		net_trace_pkt(h->net, PKT_DROP, h->node->name, p,
		              "accept queue full", 0);
		return;
	}
	if (cookies == 2 || (cookies == 1 && full)) {
		arrived(h, cookies == 2 ?
		        "RFC 4987 3.6; linux: tcp_conn_request, syncookies 2: "
		        "SYN answered with a SYN cookie" :
		        "RFC 4987 3.6; linux: tcp_conn_request: listen queue full, "
		        "SYN answered with a SYN cookie");
		tcp_cookie_synack(h, l, p);
		return;
	}
	if (full) {
		/* Without cookies a full queue drops the SYN silently; the
		 * client retransmits. */
		arrived(h, "listen queue full: SYN dropped (RFC 9293 leaves the "
		        "queue to the implementation; linux: tcp_conn_request)");
		if (h->prof.syncookies == 0)
			tcp_flood_warning(h, l, "dropping request");
		l->syn_dropped++;
		net_trace_pkt(h->net, PKT_DROP, h->node->name, p,
		              "listen queue full", 0);
		return;
	}
	/* third: a SYN creates a connection in SYN-RECEIVED. */
	arrived(h, "RFC 9293 3.10.7.2, LISTEN, third check: SYN, a new "
	        "connection");
	struct tcp_conn *c = tcp_conn_new(h, p->dst, p->dport, p->src, p->sport);
	if (c == NULL)
		return;
	c->passive = true;
	c->listener = l;
	l->pending++;
	l->young++;
	c->synq_young = true;
	c->state = TCP_LISTEN;	/* the listener's state, for the trace */
	c->irs = p->seq;
	c->rcv_nxt = p->seq + 1;
	tcp_process_options(c, p);
	c->iss = tcp_choose_isn(c);
	c->snd_una = c->snd_nxt = c->snd_max = c->iss;
	c->sbuf_seq = c->iss + 1;
	c->ts_offset = c->ts_ok ? tcp_ts_offset(h, c->laddr, c->raddr) : 0;
	struct seg s;
	seg_init(&s, p);
	take_window(c, &s);
	tcp_table_insert(c);
	tcp_set_state(c, TCP_SYN_RECEIVED, "SYN received",
	              "RFC 9293 3.10.7.2, LISTEN state, third check");
	tcp_trace_queue(l, "SYN: a new half-open request");
	tcp_send_syn(c, NULL);
}

/* ---- SYN-SENT ----------------------------------------------------------------- */

static void
syn_sent_input(struct tcp_conn *c, const struct seg *s)
{
	bool ack_ok = false;
	/* RFC 9293 3.10.7.3, first: check the ACK. */
	if (s->flags & TH_ACK) {
		if (SEQ_LEQ(s->ack, c->iss) || SEQ_GT(s->ack, c->snd_max)) {
			arrived(c->host, s->flags & TH_RST ?
			        "RFC 9293 3.10.7.3, SYN-SENT, first check: RST with "
			        "an unacceptable ACK, ignored" :
			        "RFC 9293 3.10.7.3, SYN-SENT, first check: "
			        "unacceptable ACK, answered with RST");
			if (!(s->flags & TH_RST))
				tcp_send_reset_for(c->host, s->p, "unacceptable ACK in "
				                   "SYN-SENT (RFC 9293 3.10.7.3, first check)");
			else
				ignore(c->host, s->p, "RST with an unacceptable ACK in "
				       "SYN-SENT: ignored (RFC 9293 3.10.7.3, first check)");
			return;
		}
		ack_ok = SEQ_LT(c->snd_una, s->ack) && SEQ_LEQ(s->ack, c->snd_max);
	}
	/* second: a RST counts only if it acknowledges our SYN (RFC 5961 3.2). */
	if (s->flags & TH_RST) {
		arrived(c->host, ack_ok ?
		        "RFC 9293 3.10.7.3, SYN-SENT, second check: RST "
		        "acknowledging our SYN, connection refused" :
		        "RFC 9293 3.10.7.3, SYN-SENT, second check: RST without "
		        "an ACK of our SYN, ignored");
		if (ack_ok)
			tcp_drop(c, SIM_ECONNREFUSED, "RST received: connection refused",
			         "RFC 9293 3.10.7.3, SYN-SENT, second check");
		else
			ignore(c->host, s->p, "RST that does not acknowledge our SYN: "
			       "ignored (RFC 9293 3.10.7.3, second check)");
		return;
	}
	/* fourth: the SYN. */
	if (!(s->flags & TH_SYN)) {
		arrived(c->host, "RFC 9293 3.10.7.3, SYN-SENT, fifth check: "
		        "neither SYN nor RST, dropped");
		ignore(c->host, s->p, "neither SYN nor RST in SYN-SENT "
		       "(RFC 9293 3.10.7.3, fifth check)");
		return;
	}
	arrived(c->host, ack_ok ?
	        "RFC 9293 3.10.7.3, SYN-SENT, fourth check: SYN acknowledging "
	        "our SYN" :
	        "RFC 9293 3.10.7.3, SYN-SENT, fourth check: SYN without ACK, "
	        "simultaneous open");
	c->irs = s->seq;
	c->rcv_nxt = s->seq + 1;
	tcp_process_options(c, s->p);
	if (ack_ok) {
		ts_rtt(c, s->p);
		tcp_ack_advance(c, s->ack);
	}
	if (SEQ_GT(c->snd_una, c->iss)) {
		take_window(c, s);
		tcp_enter_established(c, "SYN+ACK received",
		                      "RFC 9293 3.10.7.3, SYN-SENT, fourth check");
		/* The ACK goes out before the application hears of it, so its
		 * first data follows the ACK, as on Linux. */
		tcp_send_ack(c, NULL);
		tcp_tell_established(c);
		if (c->state != TCP_CLOSED)
			tcp_output(c);
		return;
	}
	/* Simultaneous open: our SYN crossed theirs. */
	take_window(c, s);
	tcp_set_state(c, TCP_SYN_RECEIVED, "SYN received in SYN-SENT "
	              "(simultaneous open)",
	              "RFC 9293 3.10.7.3, SYN-SENT, fourth check");
	tcp_send_syn(c, NULL);
}

/* ---- the synchronized states and SYN-RECEIVED ---------------------------------- */

/* RFC 9293 3.10.7.4, first check: the four cases of acceptability. */
static bool
acceptable(const struct tcp_conn *c, const struct seg *s)
{
	uint32_t wnd = tcp_rcv_window(c);
	if (s->len == 0) {
		if (wnd == 0)
			return s->seq == c->rcv_nxt;
		return SEQ_LEQ(c->rcv_nxt, s->seq) && SEQ_LT(s->seq, c->rcv_nxt + wnd);
	}
	if (wnd == 0)
		return false;
	uint32_t last = s->seq + s->len - 1;
	return (SEQ_LEQ(c->rcv_nxt, s->seq) && SEQ_LT(s->seq, c->rcv_nxt + wnd)) ||
	       (SEQ_LEQ(c->rcv_nxt, last) && SEQ_LT(last, c->rcv_nxt + wnd));
}

static bool
our_fin_acked(const struct tcp_conn *c)
{
	return c->fin_queued && SEQ_GT(c->snd_una, c->fin_seq);
}

static void
reset_received(struct tcp_conn *c, const struct pkt *p)
{
	switch (c->state) {
	case TCP_SYN_RECEIVED:
		if (c->passive)
			tcp_drop(c, SIM_ECONNREFUSED, "RST received; the listener goes on",
			         "RFC 9293 3.10.7.4, SYN-RECEIVED, second check: "
			         "return to LISTEN");
		else
			tcp_drop(c, SIM_ECONNREFUSED, "RST received: connection refused",
			         "RFC 9293 3.10.7.4, SYN-RECEIVED, second check");
		return;
	case TCP_ESTABLISHED:
	case TCP_FIN_WAIT_1:
	case TCP_FIN_WAIT_2:
	case TCP_CLOSE_WAIT:
		tcp_drop(c, SIM_ECONNRESET, "RST received: connection reset",
		         "RFC 9293 3.10.7.4, second check");
		return;
	case TCP_TIME_WAIT:
		if (c->host->prof.rfc1337) {
			ignore(c->host, p, "RST in TIME-WAIT: ignored (RFC 1337)");
			return;
		}
		/* fall through */
	case TCP_CLOSING:
	case TCP_LAST_ACK:
		tcp_drop(c, 0, "RST received", "RFC 9293 3.10.7.4, second check");
		return;
	default:
		return;
	}
}

/* Fifth check for SYN-RECEIVED: the ACK of our SYN completes the open.
 * ack_now: the segment also carried the peer's SYN again, which is
 * acknowledged before the application hears of the open. */
static bool
syn_received_ack(struct tcp_conn *c, const struct seg *s, bool ack_now)
{
	if (!(SEQ_LT(c->snd_una, s->ack) && SEQ_LEQ(s->ack, c->snd_max))) {
		tcp_send_reset_for(c->host, s->p, "unacceptable ACK in SYN-RECEIVED "
		                   "(RFC 9293 3.10.7.4, fifth check)");
		return false;
	}
	take_window(c, s);
	ts_rtt(c, s->p);
	tcp_ack_advance(c, s->ack);
	tcp_enter_established(c, "ACK of our SYN received",
	                      "RFC 9293 3.10.7.4, SYN-RECEIVED, fifth check");
	if (ack_now)
		tcp_send_ack(c, NULL);
	tcp_tell_established(c);
	if (c->state != TCP_ESTABLISHED)
		return false;	/* the application acted on it */
	if (c->fin_queued)
		tcp_set_state(c, TCP_FIN_WAIT_1, c->app_closed ?
		              "close() was waiting for ESTABLISHED" :
		              "shutdown() was waiting for ESTABLISHED",
		              "RFC 9293 3.10.4");
	return true;
}

/* Fifth check for the synchronized states.  Returns false when the
 * segment is finished with. */
static bool
ack_received(struct tcp_conn *c, const struct seg *s)
{
	/* linux profile: tcp_rcv_established drops an ACK of data never
	 * sent without a word; the other states challenge it. */
	if (SEQ_GT(s->ack, c->snd_max) && c->state == TCP_ESTABLISHED &&
	    c->host->prof.unsent_ack_silent) {
		ignore(c->host, s->p, "ACK of data never sent: dropped "
		       "(linux: tcp_ack)");
		return false;
	}
	/* RFC 5961 5.2: acceptable if SND.UNA - MAX.SND.WND <= SEG.ACK <=
	 * SND.NXT; otherwise answer with an ACK and drop. */
	if (SEQ_GT(s->ack, c->snd_max) ||
	    SEQ_LT(s->ack, c->snd_una - c->max_snd_wnd)) {
		tcp_challenge_ack(c, s->p, "ACK outside the window (RFC 5961 5.2)");
		return false;
	}
	/* The scoreboard: SACK blocks, duplicate ACKs (tcp_sack.c). */
	tcp_sack_ack_pre(c, s->p);
	if (SEQ_LT(c->snd_una, s->ack)) {
		ts_rtt(c, s->p);
		/* Our SYN is still unacknowledged here only after a close
		 * in SYN-RECEIVED (RFC 9293 3.10.4). */
		if (c->snd_una == c->iss)
			tcp_syn_acked_after_close(c);
		tcp_ack_advance(c, s->ack);
	}
	/* RFC 9293 3.10.7.4: update the window from the newest segment. */
	if (SEQ_LT(c->snd_wl1, s->seq) ||
	    (c->snd_wl1 == s->seq && SEQ_LEQ(c->snd_wl2, s->ack)))
		take_window(c, s);
	/* Loss recovery as the profile says (tcp_sack.c). */
	tcp_sack_ack_post(c);

	switch (c->state) {
	case TCP_FIN_WAIT_1:
		if (our_fin_acked(c)) {
			tcp_set_state(c, TCP_FIN_WAIT_2, "ACK of our FIN received",
			              "RFC 9293 3.10.7.4, FIN-WAIT-1, fifth check");
			/* linux profile: an orphan waits tcp_fin_timeout at most. */
			if (c->app_closed && c->host->prof.fin_wait_2_timeout > 0)
				tcp_arm_life(c, LIFE_FW2,
				             c->host->prof.fin_wait_2_timeout);
		}
		break;
	case TCP_CLOSING:
		if (our_fin_acked(c))
			tcp_enter_time_wait(c, "ACK of our FIN received",
			                    "RFC 9293 3.10.7.4, CLOSING, fifth check");
		break;
	case TCP_LAST_ACK:
		if (our_fin_acked(c)) {
			tcp_drop(c, 0, "ACK of our FIN received",
			         "RFC 9293 3.10.7.4, LAST-ACK, fifth check");
			return false;
		}
		break;
	default:
		break;
	}
	return true;
}

/* Take n in-order bytes, acknowledge them (unless a FIN in the same
 * segment will), then hand them to the application. */
static void
deliver(struct tcp_conn *c, const unsigned char *data, uint32_t n, bool fin)
{
	c->rcv_nxt += n;
	c->bytes_received += n;
	/* Linux's tcp_measure_rcv_mss: the largest segment seen, up to what
	 * we would accept. */
	if (n > c->rcv_mss)
		c->rcv_mss = n < c->eff_mss ? n : c->eff_mss;
	if (!fin)
		tcp_ack_received_data(c, false);
	tcp_app_data(c, n, data);
}

/* States whose seventh check takes text (RFC 9293 3.10.7.4). */
static bool
state_takes_text(const struct tcp_conn *c)
{
	return c->state == TCP_ESTABLISHED || c->state == TCP_FIN_WAIT_1 ||
	       c->state == TCP_FIN_WAIT_2;
}

/*
 * RFC 9293 3.10.7.4, seventh check: segments held beyond RCV.NXT are
 * processed once RCV.NXT reaches them.  The caller has just delivered
 * text that filled (part of) the gap before them; the ACK goes at once
 * (RFC 5681 4.2), after all that has become contiguous is taken.
 * Returns true if a held FIN is now in order.
 */
static bool
take_held(struct tcp_conn *c)
{
	bool fin = false;
	struct tcp_ooo *o;
	while (!fin && (o = tcp_ooo_take(c)) != NULL) {
		uint32_t bytes = o->end - o->seq - (o->fin ? 1 : 0);
		uint32_t skip = SEQ_LT(o->seq, c->rcv_nxt) ? c->rcv_nxt - o->seq : 0;
		/* linux (tcp_ofo_queue): a held piece the new segment
		 * already covered is a duplicate (RFC 2883) */
		tcp_dsack_note(c, o->seq, o->seq + (skip < bytes ? skip : bytes));
		fin = o->fin;	/* all before it is in now */
		if (bytes > skip)
			deliver(c, o->data ? o->data + skip : NULL, bytes - skip, true);
		tcp_ooo_free(o);
		if (!state_takes_text(c))
			return false;	/* the application reset it */
	}
	struct tcp_sack *k = tcp_sk_mut(c);
	if (k)
		k->ack_now = true;
	if (!fin)
		tcp_ack_received_data(c, false);
	return fin;
}

static void
fin_received(struct tcp_conn *c)
{
	enum tcp_state from = c->state;
	c->rcv_nxt++;
	switch (c->state) {
	case TCP_SYN_RECEIVED:
	case TCP_ESTABLISHED:
		tcp_set_state(c, TCP_CLOSE_WAIT, "FIN received",
		              "RFC 9293 3.10.7.4, eighth check");
		break;
	case TCP_FIN_WAIT_1:
		/* Our FIN is not yet acknowledged (else we would be in
		 * FIN-WAIT-2): simultaneous close. */
		tcp_set_state(c, TCP_CLOSING, "FIN received before the ACK of ours "
		              "(simultaneous close)", "RFC 9293 3.10.7.4, eighth check");
		break;
	case TCP_FIN_WAIT_2:
		tcp_enter_time_wait(c, "FIN received",
		                    "RFC 9293 3.10.7.4, FIN-WAIT-2, eighth check");
		break;
	case TCP_TIME_WAIT:
		tcp_enter_time_wait(c, "FIN retransmitted: restart the 2 MSL timer",
		                    "RFC 9293 3.10.7.4, TIME-WAIT, eighth check");
		break;
	default:
		break;
	}
	tcp_ack_received_data(c, true);
	/* The end of the stream reaches an application that still reads:
	 * on the way to CLOSE-WAIT, and after a shutdown() in FIN-WAIT-1 or
	 * FIN-WAIT-2 (half-close, RFC 9293 3.6: Linux's recv() returns 0
	 * there too).  After close() nobody reads any more. */
	bool reading = from == TCP_SYN_RECEIVED || from == TCP_ESTABLISHED ||
	               ((from == TCP_FIN_WAIT_1 || from == TCP_FIN_WAIT_2) &&
	                !c->app_closed);
	if (reading && c->state != TCP_CLOSED)
		tcp_app_eof(c);
}

/* RFC 9293 3.6.1 and Linux's tcp_timewait_state_process: a new SYN with a
 * sequence number above the old connection's may reopen the 4-tuple. */
static bool
time_wait_reuse(struct tcp_conn *c, const struct pkt *p)
{
	return c->state == TCP_TIME_WAIT &&
	       (p->flags & (TH_SYN | TH_ACK | TH_RST)) == TH_SYN &&
	       SEQ_GT(p->seq, c->rcv_nxt) &&
	       tcp_find_listener(c->host, c->lport) != NULL;
}

/*
 * The rule for an acceptable segment with ACK, past the first four
 * checks: what the fifth check does with its ACK and the seventh and
 * eighth with its text and FIN, worked out before any of it is done (the
 * arrival is traced first).  The ACK changes neither RCV.NXT nor whether
 * the state takes text, so the later checks can be read off now.
 */
static const char *
ack_path_rule(const struct tcp_conn *c, const struct seg *s, char *buf,
              size_t len)
{
	const struct pkt *p = s->p;
	const char *ack;
	if (c->state == TCP_SYN_RECEIVED) {
		if (!(SEQ_LT(c->snd_una, s->ack) && SEQ_LEQ(s->ack, c->snd_max)))
			return rule_in(c, "fifth check: unacceptable ACK, answered "
			               "with RST", buf, len);
		ack = "fifth check: ACK of our SYN";
	} else if (SEQ_GT(s->ack, c->snd_max) && c->state == TCP_ESTABLISHED &&
	           c->host->prof.unsent_ack_silent) {
		return "linux: tcp_ack: ACK of data never sent, dropped";
	} else if (SEQ_GT(s->ack, c->snd_max) ||
	           SEQ_LT(s->ack, c->snd_una - c->max_snd_wnd)) {
		return "RFC 5961 5.2: ACK outside the window, challenged";
	} else if (c->state == TCP_LAST_ACK && c->fin_queued &&
	           SEQ_GT(s->ack, c->fin_seq)) {
		/* the connection closes: nothing more is looked at */
		return rule_in(c, "fifth check: ACK of our FIN", buf, len);
	} else if (SEQ_LT(c->snd_una, s->ack)) {
		ack = !((p->opt.present & OPT_SACK) && c->sack_ok) ?
		      "fifth check: ACK advances SND.UNA" : c->host->prof.rack ?
		      "fifth check: ACK advances SND.UNA, with SACK blocks "
		      "(RFC 2018), losses by RACK (RFC 8985 6.2)" :
		      "fifth check: ACK advances SND.UNA, with SACK blocks "
		      "(RFC 2018), losses by RFC 6675 4 IsLost";
	} else if (c->snd_una != c->snd_max && p->len == 0 &&
	           !(s->flags & (TH_SYN | TH_FIN))) {
		ack = (p->opt.present & OPT_SACK) && c->sack_ok ?
		      (c->host->prof.rack ?
		       "fifth check: duplicate ACK (RFC 5681 2) with SACK blocks "
		       "(RFC 2018), losses by RACK (RFC 8985 6.2)" :
		       "fifth check: duplicate ACK (RFC 5681 2) with SACK blocks "
		       "(RFC 2018), losses by RFC 6675 4 IsLost") :
		      "fifth check: duplicate ACK (RFC 5681 2; fast retransmit at "
		      "the third, 3.2)";
	} else {
		ack = "fifth check: ACK of nothing new";
	}
	size_t n = strlen(rule_in(c, ack, buf, len));
	bool in_order = SEQ_LEQ(s->seq, c->rcv_nxt);
	uint32_t skip = SEQ_LT(s->seq, c->rcv_nxt) ? c->rcv_nxt - s->seq : 0;
	bool text = p->len > skip;
	bool takes_text = c->state == TCP_SYN_RECEIVED ||
	                  c->state == TCP_ESTABLISHED ||
	                  c->state == TCP_FIN_WAIT_1 || c->state == TCP_FIN_WAIT_2;
	bool reset = text && c->app_closed && c->host->prof.abort_on_data &&
	             (c->state == TCP_FIN_WAIT_1 || c->state == TCP_FIN_WAIT_2);
	const char *more = "", *fin = "";
	if (reset)
		more = "; RFC 1122 4.2.2.13, linux: tcp_rcv_state_process: data "
		       "after close(), reset";
	else if (!in_order && (p->len || (s->flags & TH_FIN)) && takes_text)
		more = c->sack_ok ?
		       "; seventh check: out of order, held; a duplicate ACK at "
		       "once (RFC 5681 4.2) with SACK blocks (RFC 2018 4)" :
		       "; seventh check: out of order, held; a duplicate ACK at "
		       "once (RFC 5681 4.2)";
	else if (!in_order && (p->len || (s->flags & TH_FIN)))
		more = "; seventh check: out of order after the peer's FIN, "
		       "answered with an ACK";
	else if (text && takes_text && tcp_sk(c)->ooo)
		more = "; seventh check: text in order, fills a gap before held "
		       "data: delivered with it, ACK at once (RFC 5681 4.2)";
	else if (text && takes_text)
		more = "; seventh check: text in order, delivered";
	else if (text)
		more = "; seventh check: text after the peer's FIN, ignored";
	if (in_order && !reset && (s->flags & TH_FIN))
		fin = TCP_HAVE_RCVD_FIN(c->state) ?
		      "; eighth check: FIN again, acknowledged" :
		      "; eighth check: FIN";
	snprintf(buf + n, len - n, "%s%s", more, fin);
	return buf;
}

static void
synchronized_input(struct tcp_conn *c, const struct seg *s)
{
	struct tcp_host *h = c->host;
	const struct pkt *p = s->p;
	char rule[240];

	/* Linux (tcp_check_req): a retransmission of the SYN that opened a
	 * SYN-RECEIVED connection is answered with the SYN-ACK again; an ACK
	 * alone would be dropped by the peer in SYN-SENT. */
	if (c->state == TCP_SYN_RECEIVED && (s->flags & (TH_SYN | TH_ACK | TH_RST))
	    == TH_SYN && s->seq == c->irs) {
		arrived(h, "linux: tcp_check_req: the SYN again, answered with "
		        "the SYN-ACK again");
		/* linux: tcp_check_req answers at most once per
		 * tcp_invalid_ratelimit. */
		if (tcp_oow_limited(c, p))
			return;
		c->retransmits++;
		/* Karn: the SYN-ACK went out twice; its ACK is no sample, and
		 * RFC 6298 5.7's 3 s RTO applies (Linux: req->num_retrans). */
		c->syn_retransmitted = true;
		c->rtt_timing = false;
		tcp_send_flags(c, TH_SYN | TH_ACK, c->iss, 0,
		               "retransmitted SYN received: SYN-ACK again "
		               "(linux: tcp_check_req)", true);
		/* ... and restarts the SYN-ACK timer from now, with the
		 * backoff so far (reqsk_timeout). */
		tcp_arm_rtx(c, RTX_SYNACK, tcp_syn_rto(c));
		return;
	}
	/* The ACK that completes a passive open finds the accept queue
	 * full.  linux: tcp_check_req -> syn_recv_sock -> exit_overflow ->
	 * listen_overflow: the segment is dropped, data and all, and the
	 * request stays half-open, marked acked, its SYN-ACK timer running
	 * (every SYN-ACK it sends brings an ACK back: another try); with
	 * tcp_abort_on_overflow it is reset (embryonic_reset). */
	if (c->state == TCP_SYN_RECEIVED && c->passive && c->listener &&
	    (s->flags & (TH_SYN | TH_ACK | TH_RST)) == TH_ACK &&
	    SEQ_LT(c->snd_una, s->ack) && SEQ_LEQ(s->ack, c->snd_max) &&
	    tcp_acceptq_full(c->listener)) {
		c->listener->accept_overflows++;
		if (h->prof.abort_on_overflow) {
			arrived(h, "linux: tcp_check_req: accept queue full "
			        "(sk_acceptq_is_full), tcp_abort_on_overflow: reset");
			tcp_send_reset_for(h, p, "accept queue full "
			                   "(tcp_abort_on_overflow)");
			tcp_drop(c, SIM_ECONNRESET, "accept queue full: reset "
			         "(tcp_abort_on_overflow)", "linux: tcp_check_req, "
			         "listen_overflow -> embryonic_reset");
			return;
		}
		arrived(h, "linux: tcp_check_req: accept queue full "
		        "(sk_acceptq_is_full): the final ACK is dropped, the "
		        "request stays half-open");
		ignore(h, p, "accept queue full: final ACK dropped "
		       "(linux: listen_overflow)");
		return;
	}
	/* Simultaneous open (RFC 9293 Figure 7): in a SYN-RECEIVED reached
	 * from SYN-SENT, the peer's SYN+ACK repeats the SYN we already took
	 * and acknowledges ours.  Its sequence number lies just below the
	 * window, so the first check would refuse it; Linux (tcp_validate_
	 * incoming) accepts it as the ACK that completes the open.  The SYN
	 * it repeats is acknowledged at once: RFC 9293's first check answers
	 * a segment below the window with an ACK, and Linux's tcp_data_queue
	 * sees a retransmission and ACKs it without delay.  Without that ACK
	 * a peer whose own SYN+ACK was lost stays in SYN-RECEIVED until its
	 * SYN+ACK timer fires. */
	if (c->state == TCP_SYN_RECEIVED && !c->passive &&
	    (s->flags & (TH_SYN | TH_ACK | TH_RST)) == (TH_SYN | TH_ACK) &&
	    s->seq == c->irs) {
		arrived(h, "RFC 9293 Figure 7; linux: tcp_validate_incoming: "
		        "SYN+ACK completes a simultaneous open");
		if (syn_received_ack(c, s, true))
			tcp_output(c);
		return;
	}
	/* linux profile: TIME-WAIT as tcp_timewait_state_process keeps it.
	 * Only the exact RST kills it (unless RFC 1337); any other RST is
	 * ignored, without RFC 5961's challenge.  Any segment with ACK
	 * restarts the 60 s wait; it is answered with an ACK (rate limited)
	 * unless it is the bare ACK the state expects. */
	if (c->state == TCP_TIME_WAIT && h->prof.time_wait_restart) {
		arrived(h, (s->flags & TH_RST) && s->seq == c->rcv_nxt ?
		        "linux: tcp_timewait_state_process: exact RST" :
		        s->flags & TH_RST ?
		        "linux: tcp_timewait_state_process: inexact RST, ignored" :
		        !(s->flags & TH_ACK) ?
		        "linux: tcp_timewait_state_process: segment without ACK, "
		        "answered with an ACK" :
		        "linux: tcp_timewait_state_process: segment with ACK, "
		        "TIME-WAIT restarted");
		if (s->flags & TH_RST) {
			if (s->seq == c->rcv_nxt)
				reset_received(c, p);
			else
				ignore(h, p, "inexact RST in TIME-WAIT: ignored "
				       "(linux: tcp_timewait_state_process)");
			return;
		}
		if (!(s->flags & TH_ACK)) {
			/* an old ACK-less SYN: answered, no restart */
			if (!tcp_oow_limited(c, p))
				tcp_send_ack(c, "segment in TIME-WAIT");
			return;
		}
		bool bare = s->seq == c->rcv_nxt && s->len == 0;
		if (!bare && !tcp_oow_limited(c, p))
			tcp_send_ack(c, (s->flags & TH_FIN) ?
			             "FIN retransmitted in TIME-WAIT" :
			             "segment in TIME-WAIT");
		tcp_enter_time_wait(c, "segment received",
		                    "linux: tcp_timewait_state_process");
		return;
	}
	/* TIME-WAIT: a retransmitted FIN is acknowledged and restarts the
	 * 2 MSL wait (RFC 9293 3.10.7.4; Linux does the same). */
	if (c->state == TCP_TIME_WAIT && (s->flags & TH_FIN) &&
	    !(s->flags & TH_RST) && s->seq + s->len == c->rcv_nxt) {
		arrived(h, "RFC 9293 3.10.7.4, TIME-WAIT, eighth check: the FIN "
		        "again, acknowledged and 2 MSL restarted");
		tcp_send_ack(c, "FIN retransmitted in TIME-WAIT");
		tcp_enter_time_wait(c, "FIN retransmitted",
		                    "RFC 9293 3.10.7.4, TIME-WAIT: restart 2 MSL");
		return;
	}

	/* first: sequence number */
	if (!acceptable(c, s)) {
		arrived(h, s->flags & TH_RST ?
		        rule_in(c, "first check: RST outside the window, ignored",
		                rule, sizeof rule) :
		        (s->flags & TH_SYN) && s->seq == c->irs ?
		        "RFC 5961 4.2: the SYN again, already acknowledged: "
		        "challenge ACK" :
		        s->flags & TH_SYN ?
		        "RFC 5961 4.2: SYN outside the window: challenge ACK" :
		        rule_in(c, "first check: unacceptable segment, answered "
		                "with an ACK", rule, sizeof rule));
		if (s->flags & TH_RST) {
			ignore(h, p, "RST outside the window: ignored "
			       "(RFC 9293 3.10.7.4, first check)");
			return;
		}
		if (s->flags & TH_SYN)
			tcp_challenge_ack(c, p, s->seq == c->irs ?
			                  "repeated SYN, already acknowledged "
			                  "(RFC 5961 4.2)" :
			                  "SYN outside the window (RFC 5961 4.2)");
		else if (!tcp_oow_limited(c, p)) {
			/* RFC 2883 4 (linux: tcp_send_dupack): a repeat of what
			 * arrived already is reported as a D-SACK; linux
			 * profile: an ACK may have been lost, so quick ACKs
			 * again (tcp_enter_quickack_mode) */
			if (s->len && SEQ_LT(s->seq, c->rcv_nxt)) {
				tcp_dsack_note(c, s->seq, SEQ_LT(s->seq + s->len,
				               c->rcv_nxt) ? s->seq + s->len : c->rcv_nxt);
				if (c->quickacks < h->prof.quickacks)
					c->quickacks = h->prof.quickacks;
			}
			tcp_send_ack(c, "unacceptable segment (RFC 9293 3.10.7.4, "
			             "first check)");
		}
		return;
	}
	/* RFC 7323 4.3 (and 3.4, A): TS.Recent takes the TSval of a segment
	 * that starts at or before Last.ACK.sent, so an ACK for several
	 * segments echoes the oldest it covers and the peer's RTT sample
	 * includes the time the ACK was delayed (Linux: rcv_wup). */
	if (c->ts_ok && (p->opt.present & OPT_TS) &&
	    SEQ_LEQ(s->seq, c->last_ack_sent) &&
	    (int32_t)(p->opt.tsval - c->ts_recent) >= 0) {
		c->ts_recent = p->opt.tsval;
		c->ts_recent_at = sim_now(c->host->sim);
	}
	/* second: RST (RFC 5961 3.2: exact match resets, else challenge) */
	if (s->flags & TH_RST) {
		arrived(h, s->seq == c->rcv_nxt ?
		        rule_in(c, "second check: RST, exactly in sequence", rule,
		                sizeof rule) :
		        "RFC 5961 3.2: RST in the window but not exact: "
		        "challenge ACK");
		if (s->seq == c->rcv_nxt)
			reset_received(c, p);
		else if (c->state == TCP_SYN_RECEIVED && c->passive &&
		         h->prof.embryonic_rst)
			/* linux profile: a request sock checks only that the
			 * RST is in the window (tcp_check_req, embryonic_reset),
			 * as RFC 793 did; RFC 9293 3.10.7.4 challenges it. */
			tcp_drop(c, SIM_ECONNREFUSED, "RST in the window; the "
			         "listener goes on",
			         "linux: tcp_check_req, embryonic reset");
		else
			tcp_challenge_ack(c, p, "RST in the window but not exact "
			                  "(RFC 5961 3.2)");
		return;
	}
	/* fourth: SYN */
	if (s->flags & TH_SYN) {
		arrived(h, c->state == TCP_SYN_RECEIVED && c->passive ?
		        "RFC 9293 3.10.7.4, SYN-RECEIVED, fourth check: a new "
		        "SYN, back to LISTEN" :
		        "RFC 5961 4.2: SYN in a synchronized state: challenge ACK");
		if (c->state == TCP_SYN_RECEIVED && c->passive) {
			/* RFC 9293 3.10.7.4, fourth check: a passive connection
			 * returns to LISTEN; linux profile: the request sock is
			 * reset as well (tcp_check_req, embryonic_reset). */
			if (h->prof.embryonic_rst)
				tcp_send_reset_for(h, p, "SYN in SYN-RECEIVED");
			tcp_drop(c, 0, "new SYN in SYN-RECEIVED",
			         "RFC 9293 3.10.7.4, fourth check: return to LISTEN");
			return;
		}
		tcp_challenge_ack(c, p, "SYN in a synchronized state (RFC 5961 4.2)");
		return;
	}
	/* fifth: ACK */
	bool rules = h->sim->trace.rules;
	if (!(s->flags & TH_ACK)) {
		arrived(h, rules ? rule_in(c, "fifth check: no ACK, dropped", rule,
		                           sizeof rule) : NULL);
		ignore(h, p, "segment without ACK: dropped "
		       "(RFC 9293 3.10.7.4, fifth check)");
		return;
	}
	arrived(h, rules ? ack_path_rule(c, s, rule, sizeof rule) : NULL);
	if (c->state == TCP_SYN_RECEIVED) {
		if (!syn_received_ack(c, s, false))
			return;
	} else if (!ack_received(c, s)) {
		return;
	}
	if (c->state == TCP_CLOSED)
		return;

	/* seventh: text; what arrives beyond RCV.NXT is held (tcp_sack.c) */
	uint32_t skip = SEQ_LT(s->seq, c->rcv_nxt) ? c->rcv_nxt - s->seq : 0;
	bool in_order = SEQ_LEQ(s->seq, c->rcv_nxt);
	uint32_t n = p->len > skip ? p->len - skip : 0;
	if (n > tcp_rcv_window(c))
		n = tcp_rcv_window(c);
	bool fin = (s->flags & TH_FIN) && in_order && n == p->len - skip &&
	           s->seq + s->len - 1 == c->rcv_nxt + n;
	/* RFC 1122 4.2.2.13: new data after close() SHOULD be answered with
	 * RST, to show it was lost; RFC 9293 3.10.7.4 keeps delivering it.
	 * linux profile: reset (tcp_rcv_state_process, TCPAbortOnData), for
	 * data out of order too. */
	if (n > 0 && c->app_closed && c->host->prof.abort_on_data &&
	    (c->state == TCP_FIN_WAIT_1 || c->state == TCP_FIN_WAIT_2)) {
		tcp_send_reset_for(c->host, p, "data after close(): reset");
		tcp_drop(c, SIM_ECONNRESET, "data arrived after close()",
		         "RFC 1122 4.2.2.13; linux: tcp_rcv_state_process");
		return;
	}
	if (!in_order && (p->len || (s->flags & TH_FIN))) {
		/* RFC 9293 3.10.7.4: held for later, within the window;
		 * RFC 5681 4.2: a duplicate ACK at once, with SACK blocks
		 * where negotiated (RFC 2018 4). */
		if (state_takes_text(c)) {
			uint32_t end = s->seq + p->len + !!(s->flags & TH_FIN);
			uint32_t wnd_end = c->rcv_nxt + tcp_rcv_window(c);
			bool f = (s->flags & TH_FIN) != 0;
			if (SEQ_GT(end, wnd_end)) {
				end = wnd_end;
				f = false;
			}
			tcp_ooo_add(c, s->seq, end, f, p->data);
		}
		tcp_send_ack(c, "out-of-order segment: duplicate ACK");
		tcp_output(c);
		return;
	}
	/* linux (tcp_data_queue): the part before RCV.NXT is a duplicate */
	if (skip && p->len)
		tcp_dsack_note(c, s->seq, c->rcv_nxt);
	bool gap = n > 0 && tcp_sk(c)->ooo != NULL && state_takes_text(c);
	if (n > 0) {
		switch (c->state) {
		case TCP_ESTABLISHED:
		case TCP_FIN_WAIT_1:
		case TCP_FIN_WAIT_2:
			deliver(c, p->data ? p->data + skip : NULL, n, fin || gap);
			if (c->state == TCP_CLOSED)
				return;
			break;
		default:
			break;	/* a FIN was received: ignore the text */
		}
	}
	if (gap && state_takes_text(c))
		fin = take_held(c);
	if (c->state == TCP_CLOSED)
		return;
	/* eighth: FIN */
	if (fin && !TCP_HAVE_RCVD_FIN(c->state)) {
		fin_received(c);
	} else if (fin && c->state == TCP_TIME_WAIT) {
		/* RFC 9293 3.10.7.4, eighth check: "send an acknowledgment
		 * for the FIN"; TIME-WAIT: "Restart the 2 MSL time-wait
		 * timeout".  Here in TIME-WAIT since before the segment only
		 * in rfc; in linux the ACK of our FIN just took CLOSING here,
		 * and tcp_rcv_state_process consumes that segment there. */
		if (!h->prof.time_wait_restart) {
			tcp_send_ack(c, "FIN received in TIME-WAIT");
			tcp_enter_time_wait(c, "FIN received", "RFC 9293 3.10.7.4, "
			                    "TIME-WAIT, eighth check: restart 2 MSL");
		}
	} else if (fin) {
		tcp_send_ack(c, "FIN received again");
	}
	if (c->state != TCP_CLOSED)
		tcp_output(c);
}

/* ---- entry ----------------------------------------------------------------------- */

void
tcp_input(struct tcp_host *h, const struct pkt *p)
{
	/* No caller holds a connection here: closed ones may shrink. */
	if (h->grave)
		tcp_shrink_closed(h);
	h->arriving = p;
	struct tcp_conn *c = tcp_lookup(h, p);
	if (c && time_wait_reuse(c, p)) {
		arrived(h, "RFC 9293 3.6.1; linux: tcp_timewait_state_process: "
		        "a new SYN above the old sequence space takes the ports");
		tcp_drop(c, 0, "new SYN reuses the connection's ports",
		         "RFC 9293 3.6.1; linux: tcp_timewait_state_process");
		c = NULL;
	}
	struct tcp_listener *l;
	if (c) {
		struct seg s;
		seg_init(&s, p);
		if (c->state == TCP_SYN_SENT)
			syn_sent_input(c, &s);
		else
			synchronized_input(c, &s);
	} else if ((l = tcp_find_listener(h, p->dport)) != NULL) {
		listen_input(h, l, p);
	} else {
		/* RFC 9293 3.10.7.1: CLOSED */
		arrived(h, "RFC 9293 3.10.7.1, CLOSED: no connection, answered "
		        "with RST");
		tcp_send_reset_for(h, p, "no listener and no connection "
		                   "(RFC 9293 3.10.7.1)");
	}
	/* Every path above traces the arrival before acting; this only
	 * catches one that forgot (the receive then has no rule). */
	assert(h->arriving == NULL);
	arrived(h, NULL);
}

/*
 * An ICMP error about a segment this host sent (RFC 1122 4.2.3.9).  The
 * quoted header names the connection (its source is us).  As Linux's
 * tcp_v4_err, one whose quoted sequence number is outside
 * SND.UNA..SND.NXT cannot be about a segment in flight and is ignored
 * (RFC 5927 4.1); synsim's snd_max is Linux's snd_nxt, the highest sent.
 */
void
tcp_icmp_input(struct tcp_host *h, const struct pkt *p)
{
	const struct pkt_quote *q = &p->quote;
	struct pkt key = { .src = q->dst, .sport = q->dport, .dst = q->src,
	                   .dport = q->sport };
	struct tcp_conn *c = tcp_lookup(h, &key);
	h->arriving = p;
	if (p->icmp_type != ICMP_UNREACH || c == NULL ||
	    c->state == TCP_CLOSED) {
		arrived(h, "RFC 1122 4.2.3.9: ICMP error for no connection: "
		        "ignored");
		ignore(h, p, "ICMP error for no connection: ignored");
		return;
	}
	if (SEQ_LT(q->seq, c->snd_una) || SEQ_GT(q->seq, c->snd_max)) {
		arrived(h, "RFC 5927 4.1; linux: tcp_v4_err: quoted sequence "
		        "number outside SND.UNA..SND.NXT, ignored");
		ignore(h, p, "ICMP error quoting a sequence number outside "
		       "SND.UNA..SND.NXT: ignored (RFC 5927 4.1)");
		return;
	}
	bool opening = c->state == TCP_SYN_SENT ||
	               c->state == TCP_SYN_RECEIVED;
	if (opening && h->prof.icmp_hard_syn_sent) {
		/* Linux aborts an opening connection at once: tcp_v4_err,
		 * TCP_SYN_SENT and TCP_SYN_RECV (simultaneous open) ->
		 * tcp_done_with_error(sk, EHOSTUNREACH); a request sock is
		 * dropped by tcp_req_err (abort for host unreachable). */
		arrived(h, "linux: tcp_v4_err: ICMP host unreachable while "
		        "opening aborts the connection (EHOSTUNREACH)");
		tcp_drop(c, SIM_EHOSTUNREACH, "ICMP host unreachable",
		         c->passive ? "linux: tcp_v4_err -> tcp_req_err: the "
		         "request is dropped" : "linux: tcp_v4_err, "
		         "SYN-SENT: tcp_done_with_error (EHOSTUNREACH)");
		return;
	}
	/* RFC 1122 4.2.3.9: host unreachable is a soft error, TCP MUST NOT
	 * abort for it; the retransmissions go on and, if they run out,
	 * report it instead of a timeout (Linux: sk_err_soft). */
	arrived(h, "RFC 1122 4.2.3.9: ICMP host unreachable is a soft error: "
	        "retransmissions go on, EHOSTUNREACH if they run out");
	c->soft_error = SIM_EHOSTUNREACH;
}
