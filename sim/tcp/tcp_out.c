/*
 * tcp_out.c - segments out: building them, deciding what the window and
 * the send buffer allow, acknowledgements (immediate, delayed, challenge),
 * retransmission with the RFC 6298 estimator, the tail loss probe of
 * RFC 8985, and the connection timers.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tcp_int.h"

static void rtx_fire(struct sched *s, struct sim_event *ev);
static void delack_fire(struct sched *s, struct sim_event *ev);
static void life_fire(struct sched *s, struct sim_event *ev);

/* ---- timers ------------------------------------------------------------------ */

static void
trace_timer(struct tcp_conn *c, enum trace_timer_op op, const char *name,
            simtime at)
{
	struct sim *sim = c->host->sim;
	if (!trace_wants(&sim->trace, TR_TIMER))
		return;
	struct trace_event ev = { .kind = TR_TIMER, .t = sim_now(sim),
	                          .node = c->host->node->name };
	ev.u.timer.conn = c;
	ev.u.timer.op = op;
	ev.u.timer.name = name;
	ev.u.timer.at = at;
	trace_emit(&sim->trace, &ev);
}

void
tcp_timers_init(struct tcp_conn *c)
{
	sched_event_init(&c->rtx, rtx_fire);
	sched_event_init(&c->delack, delack_fire);
	sched_event_init(&c->life, life_fire);
}

/*
 * TIME-WAIT timers all have one length, so they expire in the order they
 * were set: a FIFO per host, with one scheduler event at the earliest,
 * instead of one heap entry per connection (a storm keeps tens of
 * thousands in TIME-WAIT).  Each still takes the time and sequence number
 * the scheduler would have given it (sched_take_seq), and the host's
 * event carries the head's, so every event fires in the same order as
 * with a heap entry each.  A timer that would not go last (the length
 * was changed) goes to the scheduler as before.
 */
static void
tw_unlink(struct tcp_conn *c)
{
	struct tcp_host *h = c->host;
	struct sched *s = &h->sim->sched;
	bool head = h->tw_head == c;
	if (c->tw_prev)
		c->tw_prev->tw_next = c->tw_next;
	else
		h->tw_head = c->tw_next;
	if (c->tw_next)
		c->tw_next->tw_prev = c->tw_prev;
	else
		h->tw_tail = c->tw_prev;
	c->tw_prev = c->tw_next = NULL;
	c->life.slot = SCHED_IDLE;
	if (!head)
		return;
	if (h->tw_head)
		sched_at_seq(s, &h->tw_ev, h->tw_head->life.at,
		             h->tw_head->life.seq);
	else
		sched_cancel(s, &h->tw_ev);
}

static void
tw_set(struct tcp_conn *c, simtime at)
{
	struct tcp_host *h = c->host;
	struct sched *s = &h->sim->sched;
	if (c->life.slot == TCP_TW_QUEUED)
		tw_unlink(c);
	else
		sched_cancel(s, &c->life);
	uint64_t seq = sched_take_seq(s);
	struct tcp_conn *t = h->tw_tail;
	if (at < s->now || (t && at < t->life.at)) {
		sched_at_seq(s, &c->life, at, seq);
		return;
	}
	c->life.at = at;
	c->life.seq = seq;
	c->life.slot = TCP_TW_QUEUED;
	c->tw_prev = t;
	if (t) {
		t->tw_next = c;
	} else {
		h->tw_head = c;
		sched_at_seq(s, &h->tw_ev, at, seq);
	}
	h->tw_tail = c;
}

void
tcp_tw_fire(struct sched *s, struct sim_event *ev)
{
	struct tcp_host *h = container_of(ev, struct tcp_host, tw_ev);
	struct tcp_conn *c = h->tw_head;
	tw_unlink(c);
	c->life.fire(s, &c->life);
}

void
tcp_arm_timer(struct tcp_conn *c, struct sim_event *ev, const char *name,
              simtime after)
{
	struct sched *s = &c->host->sim->sched;
	/* The connect timeout is the application's (a poll() timeout),
	 * not one of the kernel's TCP timers. */
	if (ev == &c->life && c->life_kind == LIFE_TW)
		tw_set(c, c->host->prof.timer_wheel ?
		       tcp_timer_expiry(c->host, after) :
		       simtime_add(s->now, after));
	else if ((ev == &c->life && c->life_kind == LIFE_CONNECT) ||
	         !c->host->prof.timer_wheel)
		sched_after(s, ev, after);
	else
		sched_at(s, ev, tcp_timer_expiry(c->host, after));
	trace_timer(c, TIMER_SET, name, ev->at);
}

static const char *const life_names[] = {
	[LIFE_NONE] = "", [LIFE_CONNECT] = "connect-timeout",
	[LIFE_FW2] = "FIN-WAIT-2", [LIFE_TW] = "TIME-WAIT",
};

void
tcp_arm_life(struct tcp_conn *c, enum tcp_life kind, simtime after)
{
	/* One at a time (struct tcp_conn): each stops the one before. */
	assert(c->life_kind == kind || !sched_pending(&c->life));
	c->life_kind = (uint8_t)kind;
	tcp_arm_timer(c, &c->life, life_names[kind], after);
}

void
tcp_stop_life(struct tcp_conn *c, enum tcp_life kind)
{
	if (c->life_kind == kind)
		tcp_stop_timer(c, &c->life, life_names[kind]);
}

void
tcp_stop_timer(struct tcp_conn *c, struct sim_event *ev, const char *name)
{
	if (!sched_pending(ev))
		return;
	if (ev->slot == TCP_TW_QUEUED)
		tw_unlink(c);
	else
		sched_cancel(&c->host->sim->sched, ev);
	trace_timer(c, TIMER_CANCEL, name, ev->at);
}

static const char *const rtx_names[] = {
	[RTX_NONE] = "RTO", [RTX_SYN] = "SYN-RTO", [RTX_SYNACK] = "SYN-ACK-RTO",
	[RTX_DATA] = "RTO", [RTX_TLP] = "PTO", [RTX_REO] = "RACK-reorder",
};

void
tcp_arm_rtx(struct tcp_conn *c, enum rtx_kind kind, simtime after)
{
	c->rtx_kind = (uint8_t)kind;
	c->rtx_timeout = after;
	tcp_arm_timer(c, &c->rtx, rtx_names[kind], after);
}

void
tcp_cancel_rtx(struct tcp_conn *c)
{
	tcp_stop_timer(c, &c->rtx, rtx_names[c->rtx_kind]);
	c->rtx_kind = RTX_NONE;
}

void
tcp_timers_stop(struct tcp_conn *c)
{
	tcp_cancel_rtx(c);
	tcp_stop_timer(c, &c->delack, "delayed-ACK");
	tcp_stop_life(c, (enum tcp_life)c->life_kind);
}

/* ---- building segments ------------------------------------------------------- */

uint32_t
tcp_ts_now(const struct tcp_conn *c)
{
	/* A millisecond clock plus an offset per address pair (Linux's
	 * secure_tcp_ts_off; the rfc profile sends no timestamps). */
	return c->ts_offset + (uint32_t)(sim_now(c->host->sim) / SIMTIME_MS);
}

/* The window we offer once scaling is in force.  RFC 7323 2.3 shifts
 * it right, dropping what is below a unit; linux profiles (wnd_align)
 * round it up to a whole unit first, as __tcp_select_window does ("so
 * that it won't get scaled away"), and accept what they offered. */
uint32_t
tcp_rcv_window(const struct tcp_conn *c)
{
	uint32_t w = c->rcv_wnd;
	if (c->rcv_wscale > 0 && c->host->prof.wnd_align) {
		uint32_t unit = 1u << c->rcv_wscale;
		w = (w + unit - 1) & ~(unit - 1);
	}
	return w;
}

/* The initial receive window towards raddr: rcv_wnd, or with
 * wnd_round_mss that space rounded down to whole segments of the MSS
 * the connection will use, less the timestamp option when it is in use
 * (tcp_select_initial_window; tcp_openreq_init_rwin takes the 12 bytes
 * off for a SYN-ACK with timestamps, an active open never does). */
uint32_t
tcp_initial_window(const struct tcp_host *h, uint32_t raddr, bool ts)
{
	uint32_t w = h->prof.rcv_wnd;
	if (h->prof.wnd_round_mss) {
		uint32_t mss = tcp_mss_towards(h, raddr) - (ts ? 12u : 0u);
		if (w > mss)
			w -= w % mss;
	}
	return w;
}

static uint16_t
window_field(const struct tcp_conn *c, bool syn)
{
	/* RFC 7323 2.2: the window in a SYN is never scaled. */
	uint32_t w = syn ? c->rcv_wnd : tcp_rcv_window(c);
	if (!syn && c->rcv_wscale > 0)
		w >>= c->rcv_wscale;
	return w > 65535 ? 65535 : (uint16_t)w;
}

/* Linux derives the MSS it offers (advmss) and the largest it sends from
 * the route's MTU less 40 bytes of IPv4 and TCP headers (tcp_mss_to_mtu
 * and friends); RFC 9293 3.7.1 asks for the same ("the MSS ... MUST NOT
 * be larger than the MTU of the interface minus 40").  The profile's mss
 * is the ceiling, like a TCP_MAXSEG setting. */
uint16_t
tcp_mss_towards(const struct tcp_host *h, uint32_t raddr)
{
	uint16_t mss = h->prof.mss;
	uint32_t mtu = node_mtu_to(h->node, raddr);
	if (mtu > 40 && mtu - 40 < mss)
		mss = (uint16_t)(mtu - 40);
	return mss;
}

uint16_t
tcp_local_mss(const struct tcp_conn *c)
{
	return tcp_mss_towards(c->host, c->raddr);
}

static void
syn_options(const struct tcp_conn *c, struct tcp_opts *o, bool synack)
{
	const struct tcp_profile *p = &c->host->prof;
	o->present = OPT_MSS;
	o->mss = tcp_local_mss(c);
	/* RFC 7323 2.2, 3.2 and RFC 2018: a SYN-ACK carries window scale,
	 * timestamps and SACK-permitted only if the SYN offered them. */
	if (p->opt_wscale && (!synack || c->snd_wscale >= 0)) {
		o->present |= OPT_WSCALE;
		o->wscale = p->wscale;
	}
	if (p->opt_sack && (!synack || c->sack_ok))
		o->present |= OPT_SACKOK;
	if (p->opt_ts && (!synack || c->ts_ok)) {
		o->present |= OPT_TS;
		o->tsval = tcp_ts_now(c);
		o->tsecr = synack ? c->ts_recent : 0;
	}
}

void
tcp_send_flags(struct tcp_conn *c, uint8_t flags, uint32_t seq, uint32_t len,
               const char *why, bool retx)
{
	struct tcp_host *h = c->host;
	/* The scoreboard learns of data and FIN, also when the pool is
	 * spent (the segment is then as good as lost). */
	if (!(flags & (TH_SYN | TH_RST)) && (len || (flags & TH_FIN)))
		tcp_sack_sent(c, seq, seq + len + !!(flags & TH_FIN),
		              flags & (TH_PSH | TH_FIN));
	struct pkt *p = net_pkt_alloc(h->net);
	if (p == NULL)
		return;		/* as if lost: retransmission recovers */
	p->src = c->laddr;
	p->dst = c->raddr;
	p->sport = c->lport;
	p->dport = c->rport;
	p->seq = seq;
	p->flags = flags;
	p->len = len;
	p->why = why;
	p->retx = retx;
	if (flags & TH_ACK)
		p->ack = c->last_ack_sent = c->rcv_nxt;
	bool syn = flags & TH_SYN;
	p->wnd = (flags & TH_RST) ? 0 : window_field(c, syn);
	if (syn)
		syn_options(c, &p->opt, flags & TH_ACK);
	else if (c->ts_ok && !(flags & TH_RST)) {
		p->opt.present = OPT_TS;
		p->opt.tsval = tcp_ts_now(c);
		p->opt.tsecr = c->ts_recent;
	}
	/* RFC 2018 4: SACK blocks ride on every ACK once negotiated */
	if (!syn && (flags & TH_ACK) && !(flags & TH_RST))
		tcp_sack_options(c, &p->opt);
	if (len && c->sbuf) {
		uint32_t off = seq - c->sbuf_seq;
		p->data = malloc(len);
		if (p->data)
			memcpy(p->data, c->sbuf + off, len);
	}
	/* Any segment with ACK acknowledges all we received. */
	if (flags & TH_ACK) {
		c->ack_pending = 0;
		tcp_stop_timer(c, &c->delack, "delayed-ACK");
	}
	node_output(h->node, p);
}

void
tcp_send_ack(struct tcp_conn *c, const char *why)
{
	tcp_send_flags(c, TH_ACK, c->snd_nxt, 0, why, false);
}

void
tcp_send_syn(struct tcp_conn *c, const char *why)
{
	/* Once the peer's SYN is in, our SYN carries its ACK, also after a
	 * close in SYN-RECEIVED moved us on to FIN-WAIT-1 (BSD's
	 * TCPS_HAVERCVDSYN). */
	bool synack = TCP_HAVE_RCVD_SYN(c->state);
	tcp_send_flags(c, synack ? TH_SYN | TH_ACK : TH_SYN, c->iss, 0, why,
	               why != NULL);
	if (SEQ_LT(c->snd_nxt, c->iss + 1))
		c->snd_nxt = c->snd_max = c->iss + 1;
	/* Time the SYN unless it is a retransmission (Karn). */
	if (why == NULL) {
		c->rtt_timing = true;
		c->rtt_seq = c->iss;
		c->rtt_start = sim_now(c->host->sim);
	}
	tcp_arm_rtx(c, synack ? RTX_SYNACK : RTX_SYN, tcp_syn_rto(c));
}

simtime
tcp_syn_rto(const struct tcp_conn *c)
{
	/* Initial RTO doubling per retry; tcp_syn_linear_timeouts keeps the
	 * first N retries at the initial RTO (linux: in SYN-SENT only). */
	int shift = c->backoff;
	if (c->state == TCP_SYN_SENT)
		shift -= c->host->prof.syn_linear_timeouts;
	if (shift < 0)
		shift = 0;
	simtime rto = c->host->prof.rto_initial;
	for (int i = 0; i < shift && rto < c->host->prof.rto_max; i++)
		rto *= 2;
	return rto > c->host->prof.rto_max ? c->host->prof.rto_max : rto;
}

struct pkt *
tcp_reply_pkt(struct tcp_host *h, const struct pkt *in)
{
	struct pkt *p = net_pkt_alloc(h->net);
	if (p == NULL)
		return NULL;
	p->src = in->dst;
	p->dst = in->src;
	p->sport = in->dport;
	p->dport = in->sport;
	return p;
}

void
tcp_send_reset_for(struct tcp_host *h, const struct pkt *in, const char *why)
{
	/* RFC 9293 3.10.7.1: never answer a RST; if the segment has an ACK,
	 * <SEQ=SEG.ACK><CTL=RST>; otherwise <SEQ=0><ACK=SEG.SEQ+SEG.LEN>
	 * <CTL=RST,ACK>. */
	if (in->flags & TH_RST)
		return;
	struct pkt *p = tcp_reply_pkt(h, in);
	if (p == NULL)
		return;
	if (in->flags & TH_ACK) {
		p->seq = in->ack;
		p->flags = TH_RST;
	} else {
		p->seq = 0;
		p->ack = in->seq + pkt_seg_len(in);
		p->flags = TH_RST | TH_ACK;
	}
	p->why = why;
	node_output(h->node, p);
}

/* ---- what to send ------------------------------------------------------------ */

static simtime
current_rto(const struct tcp_conn *c)
{
	simtime rto = c->rto;
	for (int i = 0; i < c->backoff && rto < c->host->prof.rto_max; i++)
		rto *= 2;
	return rto > c->host->prof.rto_max ? c->host->prof.rto_max : rto;
}

/*
 * RFC 8985 7.2, TLP_calc_PTO: with an SRTT, PTO = 2*SRTT, plus
 * TLP.max_ack_delay (WCDelAckT, tlp_delack_max) when FlightSize is one
 * segment; without one, 1 s; and no later than the RTO would expire.
 * linux profile (tcp_schedule_loss_probe): 2*SRTT plus
 * tcp_rto_min_us (200 ms) for one packet out, else plus
 * TCP_TIMEOUT_MIN_US (tlp_slack, 2 ms); then min with the RTO.  Older
 * kernels and the TLP draft took max(2*SRTT, 1.5*SRTT + 200 ms) for one
 * segment, which fires min(0.5*SRTT, 200 ms) earlier.
 * Either caller restarts the RTO now (new data, or new data
 * acknowledged: RFC 6298 5.1, 5.3), so "when the RTO would expire" is
 * one RTO from now.
 */
static simtime
probe_timeout(const struct tcp_conn *c, bool one_segment)
{
	const struct tcp_profile *p = &c->host->prof;
	simtime pto = 1 * SIMTIME_S;
	if (c->rtt_valid)
		pto = 2 * c->srtt +
		      (one_segment ? p->tlp_delack_max : p->tlp_slack);
	simtime rto = current_rto(c);
	return pto < rto ? pto : rto;
}

/* Arm the retransmission timer for outstanding data or FIN: a loss probe
 * first where the profile has one (Linux needs SACK for it, and sends
 * one only while no loss is suspected: tcp_schedule_loss_probe wants
 * TCP_CA_Open), else RTO. */
void
tcp_arm_data_timer(struct tcp_conn *c)
{
	const struct tcp_profile *p = &c->host->prof;
	if (p->tlp && c->sack_ok && !c->tlp_out && c->retries == 0 &&
	    tcp_sack_ca_open(c)) {
		/* linux: packets_out == 1, segments rather than bytes (data
		 * and a FIN behind it are two) */
		bool one = tcp_sk(c)->ntxs <= 1;
		tcp_arm_rtx(c, RTX_TLP, probe_timeout(c, one));
	} else {
		tcp_arm_rtx(c, RTX_DATA, current_rto(c));
	}
}

static const char *
retx_why(const struct tcp_conn *c)
{
	return c->host->why_conn == c ? c->host->why : "retransmission";
}

/* "retransmission (RTO 1s expired, attempt 2 of 7)" into the host's why
 * for c until explained_done: the first transmission was attempt 1, so
 * this one is retries + 2. */
static const char *
explain_timeout(struct tcp_conn *c, int limit)
{
	struct tcp_host *h = c->host;
	char rto[32];
	simtime_format_short(c->rtx_timeout, rto, sizeof rto);
	snprintf(h->why, sizeof h->why, "retransmission (RTO %s expired, "
	         "attempt %d of %d)", rto, c->retries + 2, limit + 1);
	h->why_conn = c;
	return h->why;
}

static void
explained_done(struct tcp_conn *c)
{
	c->host->why_conn = NULL;
}

/* Send data from snd_nxt as the window allows, then the FIN. */
void
tcp_output(struct tcp_conn *c)
{
	if (!TCP_SYNCHRONIZED(c->state) && c->state != TCP_SYN_RECEIVED)
		return;
	if (c->state == TCP_SYN_RECEIVED)
		return;		/* data and FIN wait for ESTABLISHED */
	uint32_t data_end = c->sbuf_seq + (uint32_t)c->sbuf_len;
	uint32_t wnd_end = c->snd_una + c->snd_wnd;
	bool sent = false;
	uint32_t max_before = c->snd_max;
	bool fin_allowed = c->state == TCP_FIN_WAIT_1 || c->state == TCP_LAST_ACK ||
	                   c->state == TCP_CLOSING;
	bool retransmitting = SEQ_LT(c->snd_nxt, c->snd_max);

	while (SEQ_LT(c->snd_nxt, data_end)) {
		/* Going back N skips what the peer SACKed. */
		uint32_t sacked_at = 0;
		bool clip = false;
		if (SEQ_LT(c->snd_nxt, c->snd_max)) {
			clip = tcp_sack_skip(c, &c->snd_nxt, &sacked_at);
			if (!SEQ_LT(c->snd_nxt, data_end))
				break;
		}
		uint32_t room = SEQ_LT(c->snd_nxt, wnd_end) ? wnd_end - c->snd_nxt : 0;
		/* The first retransmitted segment goes out even into a closed
		 * window; there is no persist timer yet. */
		if (room == 0 && !(retransmitting && c->snd_nxt == c->snd_una))
			break;
		uint32_t len = data_end - c->snd_nxt;
		if (len > c->eff_mss)
			len = c->eff_mss;
		if (room && len > room)
			len = room;
		if (clip && SEQ_GT(c->snd_nxt + len, sacked_at))
			len = sacked_at - c->snd_nxt;
		uint8_t flags = TH_ACK;
		/* The FIN rides on the last data segment when both are due
		 * (and the peer has not SACKed it). */
		if (c->fin_queued && fin_allowed && c->snd_nxt + len == c->fin_seq &&
		    !(clip && sacked_at == c->fin_seq))
			flags |= TH_FIN;
		if (c->snd_nxt + len == data_end)
			flags |= TH_PSH;
		bool rexmit = SEQ_LT(c->snd_nxt, c->snd_max);
		if (rexmit)
			c->retransmits++;
		else {
			c->bytes_sent += len;
			if (!c->rtt_timing) {
				c->rtt_timing = true;
				c->rtt_seq = c->snd_nxt;
				c->rtt_start = sim_now(c->host->sim);
			}
		}
		tcp_send_flags(c, flags, c->snd_nxt, len, rexmit ? retx_why(c) : NULL,
		               rexmit);
		if (!rexmit || SEQ_GT(c->snd_nxt + len, c->snd_max)) {
			c->last_seg_seq = c->snd_nxt;
			c->last_seg_len = len + !!(flags & TH_FIN);
		}
		c->snd_nxt += len + !!(flags & TH_FIN);
		if (SEQ_GT(c->snd_nxt, c->snd_max))
			c->snd_max = c->snd_nxt;
		sent = true;
		if (flags & TH_FIN)
			break;
	}
	if (c->fin_queued && fin_allowed && c->snd_nxt == c->fin_seq &&
	    SEQ_LT(c->snd_nxt, c->snd_max)) {
		uint32_t seq = c->snd_nxt, limit;
		tcp_sack_skip(c, &seq, &limit);
		if (seq != c->snd_nxt)
			c->snd_nxt = c->snd_max;	/* the FIN was SACKed */
	}
	if (c->fin_queued && fin_allowed && c->snd_nxt == c->fin_seq) {
		bool rexmit = SEQ_LT(c->snd_nxt, c->snd_max);
		if (rexmit)
			c->retransmits++;
		tcp_send_flags(c, TH_FIN | TH_ACK, c->snd_nxt, 0,
		               rexmit ? retx_why(c) : NULL, rexmit);
		c->last_seg_seq = c->snd_nxt;
		c->last_seg_len = 1;
		c->snd_nxt++;
		if (SEQ_GT(c->snd_nxt, c->snd_max))
			c->snd_max = c->snd_nxt;
		sent = true;
	}
	/* RFC 6298 5.1: the RTO starts if it is not running.  RFC 8985
	 * 7.2: a loss probe's timer restarts after new data goes out
	 * (linux: tcp_event_new_data_sent, tcp_schedule_loss_probe). */
	if (sent && (!sched_pending(&c->rtx) ||
	             (c->rtx_kind == RTX_TLP && SEQ_GT(c->snd_max, max_before))))
		tcp_arm_data_timer(c);
}

/* ---- acknowledgements --------------------------------------------------------- */

void
tcp_ack_received_data(struct tcp_conn *c, bool fin)
{
	const struct tcp_profile *p = &c->host->prof;
	c->ack_pending++;
	bool now = p->delack == 0;
	/* RFC 5681 4.2: a segment that fills all or part of a gap is
	 * acknowledged at once (linux: ICSK_ACK_NOW, and out-of-order data
	 * held in __tcp_ack_snd_check). */
	if (tcp_sk(c)->ack_now) {
		c->sk->ack_now = false;
		now = true;
	}
	if (fin) {
		/* linux profile: the ACK of a FIN that moves us to CLOSE-WAIT is
		 * delayed (pingpong mode), so it can ride on our own FIN if the
		 * application closes at once; RFC 9293 3.10.7.4 says "send an
		 * acknowledgment for the FIN" and leaves the timing open. */
		now = now || !p->fin_ack_delayed || c->state != TCP_CLOSE_WAIT;
	} else if (c->quickacks > 0) {
		c->quickacks--;
		now = true;
	} else if (p->ack_by_bytes) {
		/* linux profile (__tcp_ack_snd_check): ACK when more than one
		 * segment's worth of bytes is unacknowledged, so two full
		 * segments are ACKed at once but two small ones wait. */
		now = c->rcv_nxt - c->last_ack_sent > c->rcv_mss;
	} else if (c->ack_pending >= 2) {
		/* RFC 1122 4.2.3.2 / RFC 5681 4.2: ACK at least every second
		 * full-sized segment (here every second segment). */
		now = true;
	}
	if (now)
		tcp_send_ack(c, NULL);
	else if (!sched_pending(&c->delack))
		tcp_arm_timer(c, &c->delack, "delayed-ACK", p->delack);
}

/* linux profile (tcp_oow_rate_limited, tcp_invalid_ratelimit): one ACK
 * per connection and period for segments outside the window, so two
 * stacks that disagree about the window cannot ACK each other forever.
 * A segment with data or FIN and no SYN is never limited; RFC 9293 has
 * no such rule (invalid_ratelimit 0). */
static bool
oow_limited(struct tcp_conn *c)
{
	simtime limit = c->host->prof.invalid_ratelimit, now = sim_now(c->host->sim);
	if (limit <= 0)
		return false;
	if (c->last_oow >= 0 && now - c->last_oow < limit)
		return true;
	c->last_oow = now;
	return false;
}

/* The segment p goes unanswered for the per-connection limit: its drop
 * says so, as every segment TCP discards does. */
static void
oow_drop(struct tcp_conn *c, const struct pkt *p)
{
	char limit[32], why[128];
	simtime_format_short(c->host->prof.invalid_ratelimit, limit, sizeof limit);
	snprintf(why, sizeof why, "answered less than %s ago: no answer now "
	         "(linux: tcp_invalid_ratelimit)", limit);
	net_trace_pkt(c->host->net, PKT_DROP, c->host->node->name, p, why, 0);
}

bool
tcp_oow_limited(struct tcp_conn *c, const struct pkt *p)
{
	/* Linux tests end_seq != seq, so a FIN counts as data here. */
	if (pkt_seg_len(p) > 0 && !(p->flags & TH_SYN))
		return false;
	if (!oow_limited(c))
		return false;
	oow_drop(c, p);
	return true;
}

/* RFC 5961 3.2, 4.2, 5.2: a challenge ACK, rate limited per connection
 * (linux: tcp_send_challenge_ack checks the socket's limit first), then
 * per host (RFC 5961 7). */
void
tcp_challenge_ack(struct tcp_conn *c, const struct pkt *p, const char *why)
{
	struct tcp_host *h = c->host;
	if (oow_limited(c)) {
		oow_drop(c, p);
		return;
	}
	int limit = h->prof.challenge_ack_limit;
	simtime second = sim_now(h->sim) / SIMTIME_S;
	if (second != h->chack_second) {
		h->chack_second = second;
		h->chack_count = 0;
	}
	if (limit > 0 && h->chack_count >= limit) {
		char text[128];
		snprintf(text, sizeof text, "%d challenge ACKs this second already: "
		         "no answer (RFC 5961 7; linux: tcp_challenge_ack_limit)",
		         limit);
		net_trace_pkt(h->net, PKT_DROP, h->node->name, p, text, 0);
		return;
	}
	h->chack_count++;
	tcp_send_ack(c, why);
}

/* ---- RTT and RTO (RFC 6298) --------------------------------------------------- */

static void
update_rto(struct tcp_conn *c)
{
	const struct tcp_profile *p = &c->host->prof;
	/* RTO = SRTT + max(G, 4*RTTVAR) (RFC 6298 2.3); Linux's floor for
	 * the variance term is TCP_RTO_MIN (200 ms). */
	simtime var = 4 * c->rttvar;
	if (var < p->rto_var_min)
		var = p->rto_var_min;
	simtime rto = c->srtt + var;
	if (rto < p->rto_min)
		rto = p->rto_min;
	if (rto > p->rto_max)
		rto = p->rto_max;
	c->rto = rto;
}

void
tcp_rtt_sample(struct tcp_conn *c, simtime r)
{
	if (r <= 0)
		r = 1;
	/* RACK's reordering window is a quarter of the smallest RTT
	 * (linux: tcp_min_rtt, a windowed minimum; here of the whole
	 * connection). */
	struct tcp_sack *k = tcp_sk_mut(c);
	if (k && (k->min_rtt == 0 || r < k->min_rtt))
		k->min_rtt = r;
	if (!c->rtt_valid) {
		/* RFC 6298 2.2 */
		c->srtt = r;
		c->rttvar = r / 2;
		c->rtt_valid = true;
	} else {
		/* RFC 6298 2.3, alpha = 1/8, beta = 1/4 */
		simtime d = c->srtt > r ? c->srtt - r : r - c->srtt;
		c->rttvar = (3 * c->rttvar + d) / 4;
		c->srtt = (7 * c->srtt + r) / 8;
	}
	update_rto(c);
	/* RFC 6298 5.5 and Karn's algorithm (RFC 6298 3): the backed-off RTO
	 * stays until a segment sent once is acknowledged and measured;
	 * Linux (tcp_ack_update_rtt) clears icsk_backoff only here too. */
	c->backoff = 0;
}

/* New data acknowledged: trim the buffer, restart or stop the timer. */
void
tcp_ack_advance(struct tcp_conn *c, uint32_t ack)
{
	uint32_t acked = ack - c->snd_una;
	tcp_sack_acked(c, ack);
	/* Karn: time only segments sent once; the timed one is covered. */
	if (c->rtt_timing && SEQ_GT(ack, c->rtt_seq)) {
		c->rtt_timing = false;
		if (!c->ts_ok)
			tcp_rtt_sample(c, sim_now(c->host->sim) - c->rtt_start);
	}
	/* Bytes of data (not SYN or FIN) covered. */
	uint32_t data_from = SEQ_GT(c->snd_una, c->sbuf_seq) ? c->snd_una : c->sbuf_seq;
	uint32_t data_to = c->sbuf_seq + (uint32_t)c->sbuf_len;
	if (SEQ_LT(ack, data_to))
		data_to = ack;
	if (SEQ_GT(data_to, data_from)) {
		uint32_t n = data_to - data_from;
		if (c->sbuf)
			memmove(c->sbuf, c->sbuf + n, (size_t)(c->sbuf_len - n));
		c->sbuf_len -= n;
		c->sbuf_seq += n;
		c->bytes_acked += n;
	}
	(void)acked;
	c->snd_una = ack;
	if (SEQ_LT(c->snd_nxt, ack))
		c->snd_nxt = ack;
	c->retries = 0;
	c->tlp_out = false;
	c->soft_error = 0;	/* Linux: tcp_ack clears sk_err_soft */
	/* RFC 6298 5.2, 5.3: all acknowledged -> stop; else restart. */
	if (c->snd_una == c->snd_max)
		tcp_cancel_rtx(c);
	else
		tcp_arm_data_timer(c);
}

/* ---- timer expiry --------------------------------------------------------------- */

static void
retries_exhausted(struct tcp_conn *c, enum rtx_kind kind)
{
	static const char *const causes[] = {
		[RTX_SYN] = "SYN retransmissions exhausted",
		[RTX_SYNACK] = "SYN-ACK retransmissions exhausted",
		[RTX_DATA] = "retransmissions exhausted",
	};
	/* Linux (tcp_write_err) reports the soft error an ICMP left, if
	 * any, rather than ETIMEDOUT. */
	tcp_drop(c, c->soft_error ? c->soft_error : SIM_ETIMEDOUT, causes[kind],
	         "RFC 9293 3.8.3, R2 reached: close the connection");
}

/*
 * SYN-ACK retransmissions a half-open connection gets.  RFC 9293 leaves
 * the count open.  linux profile (reqsk_timer_handler): while the listen
 * queue is more than half full (of at least 8), requests whose SYN-ACK
 * has already timed out get fewer, down to 2, the fewer the smaller the
 * share of young ones (no timeout yet): one fewer for each halving of
 * that share below a half.  Under a SYN flood this frees the queue after
 * 1+2+4 s instead of 63 s.
 */
static int
synack_limit(const struct tcp_conn *c)
{
	const struct tcp_profile *p = &c->host->prof;
	const struct tcp_listener *l = c->listener;
	/* linux: a SYN-RECEIVED reached by a simultaneous open is a full
	 * socket, and tcp_write_timeout gives it tcp_syn_retries. */
	if (!c->passive)
		return p->syn_retries;
	int thresh = p->synack_retries;
	if (!p->synack_prune || l == NULL)
		return thresh;
	int64_t full = l->backlog > 8 ? l->backlog : 8;
	if (2 * (int64_t)l->pending <= full)
		return thresh;
	for (int64_t young = 2 * (int64_t)l->young; thresh > 2; young *= 2) {
		if (l->pending < young)
			break;
		thresh--;
	}
	return thresh;
}

static void
synack_pruned(struct tcp_conn *c, int limit)
{
	const struct tcp_listener *l = c->listener;
	char why[128];
	snprintf(why, sizeof why, "pruned after %d SYN-ACK "
	         "retransmissions: listen queue %d of %d, %d young",
	         limit, l->pending, l->backlog, l->young);
	tcp_drop(c, SIM_ETIMEDOUT, why, "linux: reqsk_timer_handler prunes "
	         "old requests while the listen queue is over half full");
}

static void
rtx_fire(struct sched *s, struct sim_event *ev)
{
	(void)s;
	struct tcp_conn *c = container_of(ev, struct tcp_conn, rtx);
	const struct tcp_profile *p = &c->host->prof;
	enum rtx_kind kind = c->rtx_kind;

	trace_timer(c, TIMER_FIRE, rtx_names[kind], sim_now(c->host->sim));
	c->rtx_kind = RTX_NONE;
	switch (kind) {
	case RTX_SYN:
	case RTX_SYNACK: {
		int limit = kind == RTX_SYN ? p->syn_retries + p->syn_linear_timeouts
		                            : synack_limit(c);
		if (c->retries >= limit) {
			if (kind == RTX_SYNACK && limit < p->synack_retries)
				synack_pruned(c, limit);
			else
				retries_exhausted(c, kind);
			return;
		}
		if (c->synq_young) {	/* its first timeout: no longer young */
			c->listener->young--;
			c->synq_young = false;
		}
		c->retransmits++;
		c->syn_retransmitted = true;
		c->rtt_timing = false;
		const char *why = explain_timeout(c, limit);
		c->retries++;
		c->backoff++;
		tcp_send_syn(c, why);
		/* A close in SYN-RECEIVED sent the FIN behind the SYN+ACK (RFC
		 * 9293 3.10.4): it is as unacknowledged as the SYN, so it goes
		 * again behind it, go-back-N as for data. */
		if (kind == RTX_SYNACK && c->fin_queued &&
		    SEQ_GT(c->snd_max, c->fin_seq)) {
			c->snd_nxt = c->fin_seq;
			tcp_output(c);
		}
		explained_done(c);
		return;
	}
	case RTX_TLP: {
		/* RFC 8985 7.3: send one probe, the last segment again, and fall
		 * back to the RTO for what remains. */
		c->tlp_out = true;
		/* Karn: the probe repeats a segment, so its ACK is no sample
		 * (Linux marks the probe retransmitted). */
		c->rtt_timing = false;
		uint32_t seq = c->last_seg_seq, len = c->last_seg_len;
		bool fin = c->fin_queued && seq + len == c->fin_seq + 1;
		uint32_t data = fin ? len - 1 : len;
		c->retransmits++;
		tcp_send_flags(c, TH_ACK | (fin ? TH_FIN : 0) | (data ? TH_PSH : 0),
		               seq, data, "tail loss probe (PTO expired)", true);
		tcp_arm_rtx(c, RTX_DATA, current_rto(c));
		return;
	}
	case RTX_DATA:
		if (c->retries >= p->data_retries) {
			retries_exhausted(c, kind);
			return;
		}
		c->rtt_timing = false;
		/* Go back N: resend from the oldest unacknowledged byte. */
		tcp_sack_on_rto(c);
		c->snd_nxt = c->snd_una;
		explain_timeout(c, p->data_retries);
		c->retries++;
		c->backoff++;
		tcp_output(c);
		explained_done(c);
		if (!sched_pending(&c->rtx))
			tcp_arm_rtx(c, RTX_DATA, current_rto(c));
		return;
	case RTX_REO:
		tcp_sack_reo_fire(c);
		return;
	case RTX_NONE:
		return;
	}
}

static void
delack_fire(struct sched *s, struct sim_event *ev)
{
	(void)s;
	struct tcp_conn *c = container_of(ev, struct tcp_conn, delack);
	trace_timer(c, TIMER_FIRE, "delayed-ACK", sim_now(c->host->sim));
	if (c->ack_pending > 0 && c->state != TCP_CLOSED)
		tcp_send_ack(c, "delayed ACK timer expired");
}

void
tcp_enter_time_wait(struct tcp_conn *c, const char *cause, const char *rule)
{
	tcp_cancel_rtx(c);
	/* All we sent is acknowledged and nothing more will be: the
	 * scoreboard's memory goes now, not a minute later, and the SACK
	 * record with it.  TIME-WAIT reads none of what it kept across
	 * tcp_sack_free (recovery, duplicate ACKs, RACK, min RTT: no ACK
	 * here acknowledges anything new, and only pure ACKs go out); a
	 * duplicate's D-SACK makes a new one. */
	tcp_sack_release(c);
	tcp_stop_life(c, LIFE_FW2);
	if (c->state != TCP_TIME_WAIT)
		tcp_set_state(c, TCP_TIME_WAIT, cause, rule);
	tcp_arm_life(c, LIFE_TW, c->host->prof.time_wait);
}

static void
life_fire(struct sched *s, struct sim_event *ev)
{
	(void)s;
	struct tcp_conn *c = container_of(ev, struct tcp_conn, life);
	enum tcp_life kind = (enum tcp_life)c->life_kind;
	trace_timer(c, TIMER_FIRE, life_names[kind], sim_now(c->host->sim));
	switch (kind) {
	case LIFE_TW:
		tcp_drop(c, 0, "TIME-WAIT timer expired",
		         "RFC 9293 3.10.8, time-wait timeout: delete the TCB");
		return;
	case LIFE_FW2:
		tcp_drop(c, 0, "FIN-WAIT-2 timeout (orphaned connection)",
		         "linux profile: tcp_fin_timeout");
		return;
	case LIFE_CONNECT:
		break;
	case LIFE_NONE:
	default:
		assert(!"a life timer for nothing");
		return;
	}
	/* The peer knows of the connection once we have its SYN (the timer
	 * stops when our SYN is acknowledged, so this is SYN-RECEIVED, or
	 * FIN-WAIT-1 or CLOSING after a close there). */
	if (TCP_HAVE_RCVD_SYN(c->state))
		tcp_send_flags(c, TH_RST | TH_ACK, c->snd_nxt, 0,
		               "connect timeout expired", false);
	/* The errno is ETIMEDOUT, as every socket API reports a connect
	 * that timed out; the cause says it was the application's timer and
	 * not the SYN retries (Linux: tcp_syn_retries or TCP_USER_TIMEOUT
	 * both end in ETIMEDOUT). */
	tcp_drop(c, SIM_ETIMEDOUT, "connect timeout expired (the "
	         "application's timer, not the SYN retries)",
	         "application: connect timeout");
}
