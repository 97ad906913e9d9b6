/*
 * tcp_sack.c - data out of order and loss recovery, both ends.
 *
 * Receiver (called from tcp_in.c's seventh check and tcp_out.c's segment
 * builder): the out-of-order queue, the SACK blocks of RFC 2018 and the
 * D-SACK of RFC 2883.
 *
 * Sender (called from tcp_in.c's fifth check, tcp_out.c's output and
 * timers): a record per segment sent (the scoreboard), the duplicate-ACK
 * count and what the profile does with them:
 *   rack, with SACK:    RACK-TLP, RFC 8985 (linux: tcp_rack_detect_loss);
 *   no rack, with SACK: RFC 6675 loss recovery (IsLost, NextSeg rule 1);
 *   without SACK:       RFC 5681 3.2 fast retransmit at the third
 *                       duplicate ACK and RFC 6582 (NewReno) partial
 *                       ACKs, as Linux's tcp_is_reno path does too.
 * There is no congestion window: what is deemed lost is sent again at
 * once, each segment once per episode (README: "Loss recovery").
 */
#include <stdlib.h>
#include <string.h>

#include "tcp_int.h"

/* RFC 5681 3.2, RFC 6675 2 DupThresh; Linux's tcp_reordering. */
#define DUPTHRESH 3

/* ---- the record, out of line ------------------------------------------------------
 * A connection gets its struct tcp_sack at the first write (a segment
 * sent or held, an ACK taken) and gives it back when it closes, so a
 * connection that never needs it, and every closed one, is 128 bytes
 * smaller.  Until then it reads as all zeros, as a new one starts. */

static const struct tcp_sack sack_none;

const struct tcp_sack *
tcp_sk(const struct tcp_conn *c)
{
	return c->sk ? c->sk : &sack_none;
}

/* Records given back wait on the host's list, chained through ooo (a
 * free record holds nothing), for the next connection that needs one:
 * a storm takes and gives back one per connection. */
struct tcp_sack *
tcp_sk_mut(struct tcp_conn *c)
{
	if (c->sk != NULL)
		return c->sk;
	struct tcp_host *h = c->host;
	struct tcp_sack *k = h->spare_sk;
	if (k != NULL) {
		h->spare_sk = (struct tcp_sack *)k->ooo;
		*k = sack_none;
	} else {
		k = calloc(1, sizeof *k);
	}
	c->sk = k;
	return k;
}

void
tcp_sack_pool_free(struct tcp_host *h)
{
	while (h->spare_sk) {
		struct tcp_sack *k = h->spare_sk;
		h->spare_sk = (struct tcp_sack *)k->ooo;
		free(k);
	}
}

/* ---- receiver: the out-of-order queue ------------------------------------------ */

static struct tcp_ooo *
ooo_new(uint32_t seq, uint32_t end, bool fin, const unsigned char *data)
{
	struct tcp_ooo *o = malloc(sizeof *o);
	if (o == NULL)
		return NULL;
	o->seq = seq;
	o->end = end;
	o->fin = fin;
	o->next = NULL;
	o->data = NULL;
	uint32_t n = end - seq - (fin ? 1 : 0);
	if (data && n) {
		o->data = malloc(n);
		if (o->data == NULL) {
			free(o);
			return NULL;
		}
		memcpy(o->data, data, n);
	}
	return o;
}

void
tcp_ooo_free(struct tcp_ooo *o)
{
	if (o == NULL)
		return;
	free(o->data);
	free(o);
}

/*
 * RFC 2883 4: a segment that repeats data already received is reported
 * in the first block of the next ACK.  linux (tcp_dsack_set,
 * tcp_dsack_extend): one range; a second overlapping one extends it.
 */
void
tcp_dsack_note(struct tcp_conn *c, uint32_t left, uint32_t right)
{
	if (!c->sack_ok || !SEQ_LT(left, right))
		return;
	struct tcp_sack *k = tcp_sk_mut(c);
	if (k == NULL)
		return;
	if (!k->dsack_due) {
		k->dsack[0] = left;
		k->dsack[1] = right;
		k->dsack_due = true;
	} else if (SEQ_LEQ(left, k->dsack[1]) && SEQ_LEQ(k->dsack[0], right)) {
		if (SEQ_LT(left, k->dsack[0]))
			k->dsack[0] = left;
		if (SEQ_GT(right, k->dsack[1]))
			k->dsack[1] = right;
	}
}

/* The maximal run of queued data holding seq, into [*l, *r). */
static bool
ooo_run(const struct tcp_conn *c, uint32_t seq, uint32_t *l, uint32_t *r)
{
	const struct tcp_ooo *o = tcp_sk(c)->ooo;
	while (o) {
		uint32_t left = o->seq, right = o->end;
		while (o->next && o->next->seq == right) {
			o = o->next;
			right = o->end;
		}
		if (SEQ_LEQ(left, seq) && SEQ_LT(seq, right)) {
			*l = left;
			*r = right;
			return true;
		}
		o = o->next;
	}
	return false;
}

/*
 * RFC 2018 4: the first block holds the segment that triggered the ACK;
 * the others repeat the most recently reported ones.  linux
 * (tcp_sack_new_ofo_skb): the run the new segment joined goes first,
 * the blocks it swallowed go, and at most 4 are kept.
 */
static void
blocks_update(struct tcp_conn *c, uint32_t seq)
{
	struct tcp_sack *k = tcp_sk_mut(c);
	uint32_t l, r;
	if (k == NULL || !ooo_run(c, seq, &l, &r))
		return;
	int n = 0;
	uint32_t keep[PKT_SACK_MAX][2];
	for (int i = 0; i < k->nblk; i++) {
		if (SEQ_LEQ(k->blk[i][0], r) && SEQ_LEQ(l, k->blk[i][1]))
			continue;	/* inside the run now */
		if (n < PKT_SACK_MAX - 1) {
			keep[n][0] = k->blk[i][0];
			keep[n][1] = k->blk[i][1];
			n++;
		}
	}
	k->blk[0][0] = l;
	k->blk[0][1] = r;
	memcpy(k->blk[1], keep, sizeof keep[0] * (size_t)n);
	k->nblk = n + 1;
}

void
tcp_ooo_add(struct tcp_conn *c, uint32_t seq, uint32_t end, bool fin,
            const unsigned char *data)
{
	uint32_t s = seq;
	struct tcp_sack *k = tcp_sk_mut(c);
	if (k == NULL)
		return;		/* as if lost: the sender repeats it */
	struct tcp_ooo **pp = &k->ooo;
	while (SEQ_LT(s, end)) {
		struct tcp_ooo *o = *pp;
		if (o && SEQ_LEQ(o->end, s)) {
			pp = &o->next;
			continue;
		}
		if (o && SEQ_LEQ(o->seq, s)) {
			/* held already: RFC 2883 4, a duplicate */
			uint32_t e = SEQ_LT(o->end, end) ? o->end : end;
			tcp_dsack_note(c, s, e);
			s = e;
			pp = &o->next;
			continue;
		}
		uint32_t e = o && SEQ_LT(o->seq, end) ? o->seq : end;
		struct tcp_ooo *n = ooo_new(s, e, fin && e == end,
		                            data ? data + (s - seq) : NULL);
		if (n == NULL)
			return;		/* as if lost: the sender repeats it */
		n->next = o;
		*pp = n;
		pp = &n->next;
		s = e;
	}
	blocks_update(c, seq);
}

struct tcp_ooo *
tcp_ooo_take(struct tcp_conn *c)
{
	struct tcp_ooo *o = c->sk ? c->sk->ooo : NULL;
	if (o == NULL || SEQ_GT(o->seq, c->rcv_nxt))
		return NULL;
	c->sk->ooo = o->next;
	o->next = NULL;
	return o;
}

/* linux (tcp_sack_remove): blocks the cumulative ACK has reached go. */
static void
blocks_prune(struct tcp_conn *c)
{
	struct tcp_sack *k = c->sk;
	int n = 0;
	for (int i = 0; i < k->nblk; i++) {
		if (SEQ_LEQ(k->blk[i][0], c->rcv_nxt))
			continue;
		k->blk[n][0] = k->blk[i][0];
		k->blk[n][1] = k->blk[i][1];
		n++;
	}
	k->nblk = n;
}

/*
 * The SACK option of a segment with ACK: a D-SACK first when one is
 * due (RFC 2883 4, sent once), then the blocks, most recent first, as
 * many as fit beside the other options: 4 alone, 3 with timestamps
 * (RFC 2018 3; linux: tcp_established_options).
 */
void
tcp_sack_options(struct tcp_conn *c, struct tcp_opts *o)
{
	struct tcp_sack *k = c->sk;
	if (!c->sack_ok || k == NULL)
		return;		/* (none: no block, no D-SACK due) */
	blocks_prune(c);
	int max = (40 - ((o->present & OPT_TS) ? 12 : 0) - 4) / 8;
	int n = 0;
	if (k->dsack_due) {
		o->sack[n][0] = k->dsack[0];
		o->sack[n][1] = k->dsack[1];
		n++;
		k->dsack_due = false;
	}
	for (int i = 0; i < k->nblk && n < max; i++) {
		o->sack[n][0] = k->blk[i][0];
		o->sack[n][1] = k->blk[i][1];
		n++;
	}
	if (n) {
		o->present |= OPT_SACK;
		o->nsack = (uint8_t)n;
	}
}

/* ---- sender: the scoreboard ------------------------------------------------------ */

static bool
txs_reserve(struct tcp_sack *k, int extra)
{
	if (k->ntxs + extra <= k->captxs)
		return true;
	int cap = k->captxs ? k->captxs : 8;
	while (cap < k->ntxs + extra)
		cap *= 2;
	struct tcp_txseg *v = realloc(k->txs, sizeof *v * (size_t)cap);
	if (v == NULL)
		return false;
	k->txs = v;
	k->captxs = cap;
	return true;
}

/* Cut the record holding seq in two at seq, so that a SACK block or a
 * retransmission covers whole records. */
static void
txs_split(struct tcp_sack *k, uint32_t seq)
{
	for (int i = 0; i < k->ntxs; i++) {
		struct tcp_txseg *t = &k->txs[i];
		if (!(SEQ_LT(t->seq, seq) && SEQ_LT(seq, t->end)))
			continue;
		if (!txs_reserve(k, 1))
			return;
		t = &k->txs[i];
		memmove(t + 1, t, sizeof *t * (size_t)(k->ntxs - i));
		k->ntxs++;
		t[0].end = seq;
		t[0].flags &= (uint8_t)~(TH_FIN | TH_PSH);
		t[1].seq = seq;
		if (t[0].mark & TXS_SACKED)
			k->nsacked++;
		return;
	}
}

void
tcp_sack_sent(struct tcp_conn *c, uint32_t seq, uint32_t end, uint8_t flags)
{
	struct tcp_sack *k = tcp_sk_mut(c);
	if (k == NULL)
		return;
	simtime now = sim_now(c->host->sim);
	uint32_t top = k->ntxs ? k->txs[k->ntxs - 1].end : seq;
	k->xmits++;
	if (SEQ_LT(seq, top)) {
		/* sent before: a retransmission */
		uint32_t e = SEQ_LT(end, top) ? end : top;
		txs_split(k, seq);
		txs_split(k, e);
		for (int i = 0; i < k->ntxs; i++) {
			struct tcp_txseg *t = &k->txs[i];
			if (SEQ_LEQ(seq, t->seq) && SEQ_LEQ(t->end, e)) {
				t->xmit = now;
				t->xno = k->xmits;
				t->mark = (uint8_t)((t->mark & ~TXS_LOST) | TXS_RETRANS);
			}
		}
		seq = top;
	}
	if (!SEQ_LT(seq, end) || !txs_reserve(k, 1))
		return;
	k->txs[k->ntxs++] = (struct tcp_txseg){ .seq = seq, .end = end,
	                                        .xmit = now, .xno = k->xmits,
	                                        .flags = flags };
}

/* RFC 8985 6.1, RACK_sent_after: t1 was sent after t2.  The RFC breaks
 * ties in time by end sequence number, for clocks too coarse to tell
 * two sends apart; here sends in the same nanosecond keep their order
 * (a retransmission after new data in the same instant is later, as on
 * Linux's nanosecond clock). */
static bool
sent_after(const struct tcp_txseg *t1, simtime t2, uint32_t xno2)
{
	return t1->xmit > t2 || (t1->xmit == t2 && (int32_t)(t1->xno - xno2) > 0);
}

/*
 * RFC 8985 6.2 step 2 (linux: tcp_rack_advance): a segment delivered
 * now.  Its RTT becomes RACK.rtt, unless it was retransmitted and the
 * RTT is below the minimum (the ACK may be for the first copy); the
 * newest segment delivered is RACK's reference.
 */
static void
rack_advance(struct tcp_conn *c, const struct tcp_txseg *t)
{
	struct tcp_sack *k = c->sk;	/* the caller's, never NULL */
	simtime rtt = sim_now(c->host->sim) - t->xmit;
	if ((t->mark & TXS_RETRANS) && rtt < k->min_rtt)
		return;
	k->rack_rtt = rtt;
	if (!k->rack_valid || sent_after(t, k->rack_xmit, k->rack_xno)) {
		k->rack_xmit = t->xmit;
		k->rack_xno = t->xno;
	}
	k->rack_valid = true;
}

/* RFC 2883 4: the first block reports a duplicate if it lies below the
 * cumulative ACK or inside the second block. */
static bool
is_dsack(const struct tcp_opts *o, uint32_t ack)
{
	if (SEQ_LEQ(o->sack[0][1], ack))
		return true;
	return o->nsack > 1 && SEQ_GEQ(o->sack[0][0], o->sack[1][0]) &&
	       SEQ_LEQ(o->sack[0][1], o->sack[1][1]);
}

static void
mark_sacked(struct tcp_conn *c, uint32_t l, uint32_t r)
{
	struct tcp_sack *k = c->sk;	/* the caller's, never NULL */
	if (SEQ_LT(l, c->snd_una))
		l = c->snd_una;
	if (SEQ_GT(r, c->snd_max))
		r = c->snd_max;
	if (!SEQ_LT(l, r))
		return;
	txs_split(k, l);
	txs_split(k, r);
	for (int i = 0; i < k->ntxs; i++) {
		struct tcp_txseg *t = &k->txs[i];
		if (SEQ_LEQ(l, t->seq) && SEQ_LEQ(t->end, r) &&
		    !(t->mark & TXS_SACKED)) {
			t->mark = (uint8_t)((t->mark & ~TXS_LOST) | TXS_SACKED);
			k->nsacked++;
			k->new_sack = true;
			rack_advance(c, t);
		}
	}
}

/* Records the cumulative ACK covers go. */
static void
txs_acked(struct tcp_sack *k, uint32_t ack)
{
	int i = 0;
	while (i < k->ntxs && SEQ_LEQ(k->txs[i].end, ack)) {
		if (k->txs[i].mark & TXS_SACKED)
			k->nsacked--;
		i++;
	}
	if (i == 0 && (k->ntxs == 0 || !SEQ_LT(k->txs[0].seq, ack)))
		return;
	if (i)
		memmove(k->txs, k->txs + i, sizeof *k->txs * (size_t)(k->ntxs - i));
	k->ntxs -= i;
	if (k->ntxs && SEQ_LT(k->txs[0].seq, ack))
		k->txs[0].seq = ack;
}

void
tcp_sack_acked(struct tcp_conn *c, uint32_t ack)
{
	if (c->sk)
		txs_acked(c->sk, ack);
}

/*
 * Before the fifth check acts on an ACK: what it tells the scoreboard.
 * Returns true for a duplicate ACK in RFC 5681 2's sense (nothing new
 * acknowledged while data is out, no data, no SYN or FIN, the same
 * window).
 */
bool
tcp_sack_ack_pre(struct tcp_conn *c, const struct pkt *p)
{
	uint32_t ack = p->ack;
	uint32_t w = p->wnd;
	if (c->snd_wscale > 0)
		w <<= c->snd_wscale;
	bool dup = ack == c->snd_una && c->snd_una != c->snd_max &&
	           p->len == 0 && !(p->flags & (TH_SYN | TH_FIN)) &&
	           w == c->snd_wnd;
	struct tcp_sack *k = tcp_sk_mut(c);
	if (k == NULL)
		return dup;
	k->new_sack = false;
	k->partial = false;
	for (int i = 0; i < k->ntxs && SEQ_LEQ(k->txs[i].end, ack); i++)
		if (!(k->txs[i].mark & TXS_SACKED) && SEQ_GT(ack, c->snd_una))
			rack_advance(c, &k->txs[i]);
	if (c->sack_ok && (p->opt.present & OPT_SACK))
		for (int i = is_dsack(&p->opt, ack) ? 1 : 0; i < p->opt.nsack; i++)
			mark_sacked(c, p->opt.sack[i][0], p->opt.sack[i][1]);
	if (SEQ_GT(ack, c->snd_una)) {
		k->dupacks = 0;
		if (k->hold && SEQ_GEQ(ack, k->recover))
			k->hold = false;
		if (k->recovery) {
			if (SEQ_GEQ(ack, k->recover))
				k->recovery = false;	/* RFC 6582 3.2 step 3, full ACK */
			else
				k->partial = true;
		}
		txs_acked(k, ack);
	} else if (dup && (!c->sack_ok || k->new_sack)) {
		/* RFC 6675 2: with SACK, only ACKs that SACK new data count */
		k->dupacks++;
	}
	return dup;
}

/* RFC 6675 4, IsLost: DupThresh SACKed segments above record i, or
 * more than (DupThresh - 1) * SMSS bytes SACKed above it. */
static bool
is_lost(const struct tcp_conn *c, int i)
{
	const struct tcp_sack *k = tcp_sk(c);
	int segs = 0;
	uint32_t bytes = 0;
	for (int j = i + 1; j < k->ntxs; j++)
		if (k->txs[j].mark & TXS_SACKED) {
			segs++;
			bytes += k->txs[j].end - k->txs[j].seq;
		}
	return segs >= DUPTHRESH || bytes > (DUPTHRESH - 1) * (uint32_t)c->eff_mss;
}

/*
 * RFC 8985 6.2 step 4: the reordering window.  linux
 * (tcp_rack_reo_wnd, no reordering seen): none in recovery or once
 * DupThresh segments are SACKed, else min_RTT/4, at most SRTT.
 */
static simtime
reo_wnd(const struct tcp_conn *c)
{
	const struct tcp_sack *k = tcp_sk(c);
	if (k->recovery || k->hold || k->nsacked >= DUPTHRESH)
		return 0;
	simtime w = k->min_rtt / 4;
	return c->rtt_valid && c->srtt < w ? c->srtt : w;
}

/*
 * RFC 8985 6.2 step 5, RACK_detect_loss (linux: tcp_rack_detect_loss):
 * a segment sent before the newest one delivered is lost once RACK.rtt
 * plus the reordering window has passed since it was sent.  Returns how
 * long until the next one would be (0: none waits).
 */
simtime
tcp_rack_detect(struct tcp_conn *c, int *lost)
{
	struct tcp_sack *k = c->sk;
	simtime now = sim_now(c->host->sim), wait = 0, w = reo_wnd(c);
	if (k == NULL || !k->rack_valid)
		return 0;
	for (int i = 0; i < k->ntxs; i++) {
		struct tcp_txseg *t = &k->txs[i];
		if (t->mark & (TXS_SACKED | TXS_LOST))
			continue;
		if (t->xmit > k->rack_xmit || (t->xmit == k->rack_xmit &&
		    (int32_t)(t->xno - k->rack_xno) >= 0))
			continue;	/* not sent before the reference */
		simtime remaining = t->xmit + k->rack_rtt + w - now;
		if (remaining <= 0) {
			t->mark |= TXS_LOST;
			(*lost)++;
		} else if (remaining > wait) {
			wait = remaining;
		}
	}
	return wait;
}

/* Send every record marked lost again, each as it was first sent. */
static int
retransmit_lost(struct tcp_conn *c, const char *why)
{
	struct tcp_sack *k = c->sk;
	int n = 0;
	for (int i = 0; k && i < k->ntxs; i++) {
		struct tcp_txseg t = k->txs[i];
		if (!(t.mark & TXS_LOST))
			continue;
		bool fin = t.flags & TH_FIN;
		uint32_t len = t.end - t.seq - (fin ? 1 : 0);
		/* Karn: a retransmitted segment gives no RTT sample */
		if (c->rtt_timing && SEQ_LEQ(t.seq, c->rtt_seq) &&
		    SEQ_LT(c->rtt_seq, t.end))
			c->rtt_timing = false;
		c->retransmits++;
		tcp_send_flags(c, (uint8_t)(TH_ACK | t.flags), t.seq, len, why, true);
		k->txs[i].mark &= (uint8_t)~TXS_LOST;	/* if the pool was spent */
		n++;
	}
	return n;
}

static const char why_rack[] = "retransmission (RACK: a segment sent later "
                               "was delivered; RFC 8985 6.2)";
static const char why_fast[] = "fast retransmit (3 duplicate ACKs; "
                               "RFC 5681 3.2)";
static const char why_partial[] = "retransmission (partial ACK in fast "
                                  "recovery; RFC 6582 3.2)";
static const char why_6675[] = "retransmission (SACK loss recovery: "
                               "IsLost; RFC 6675 5)";

/* Enter recovery (RFC 6675 5 step 4, RFC 6582 3.2 step 2): the episode
 * ends once SND.UNA reaches what is out now. */
static void
enter_recovery(struct tcp_conn *c)
{
	struct tcp_sack *k = c->sk;	/* recover's, never NULL */
	if (k->recovery)
		return;
	k->recovery = true;
	k->recover = c->snd_max;
}

/* Mark and send what the profile's rule finds lost; arm the timer the
 * rule needs next. */
static void
recover(struct tcp_conn *c)
{
	struct tcp_sack *k = c->sk;
	const struct tcp_profile *pr = &c->host->prof;
	const char *why = NULL;
	simtime wait = 0;
	int lost = 0;
	if (k == NULL)
		return;		/* nothing sent: nothing to recover */
	if (c->snd_una == c->snd_max || k->ntxs == 0) {
		k->recovery = false;
		return;
	}
	if (c->sack_ok && pr->rack) {
		wait = tcp_rack_detect(c, &lost);
		why = why_rack;
	} else if (c->sack_ok) {
		bool enter = !k->recovery && !k->hold &&
		             (k->dupacks >= DUPTHRESH || is_lost(c, 0));
		if (enter || k->recovery) {
			/* NextSeg rule 1: holes IsLost finds, each once; on
			 * entry the first one in any case (RFC 6675 5 step 4.3) */
			for (int i = 0; i < k->ntxs; i++) {
				struct tcp_txseg *t = &k->txs[i];
				if (!(t->mark & (TXS_SACKED | TXS_RETRANS)) &&
				    ((enter && i == 0) || is_lost(c, i))) {
					t->mark |= TXS_LOST;
					lost++;
				}
			}
		}
		why = why_6675;
	} else if (!k->recovery && !k->hold && k->dupacks == DUPTHRESH) {
		k->txs[0].mark |= TXS_LOST;
		lost++;
		why = why_fast;
	} else if (k->recovery && k->partial) {
		k->txs[0].mark |= TXS_LOST;
		lost++;
		why = why_partial;
	}
	if (lost) {
		enter_recovery(c);
		retransmit_lost(c, why);
	}
	if (wait > 0) {
		/* linux (tcp_rack_mark_lost): the reordering timer, plus
		 * TCP_TIMEOUT_MIN, two jiffies */
		tcp_arm_rtx(c, RTX_REO, wait + 2 * tcp_jiffy_ns(pr->hz));
	} else if (lost || (c->rtx_kind == RTX_REO && sched_pending(&c->rtx))) {
		tcp_arm_data_timer(c);
	}
}

void
tcp_sack_ack_post(struct tcp_conn *c)
{
	if (!TCP_SYNCHRONIZED(c->state))
		return;
	recover(c);
}

void
tcp_sack_reo_fire(struct tcp_conn *c)
{
	recover(c);
	if (!sched_pending(&c->rtx) && c->snd_una != c->snd_max)
		tcp_arm_data_timer(c);
}

/*
 * The retransmission timer expired: recovery by timeout follows
 * (go-back-N from SND.UNA).  RFC 6582 3.2 step 4 and RFC 6675 5.1: no
 * new fast recovery until what is out now is acknowledged.  The rfc
 * profile forgets what was SACKed (RFC 2018 8: the receiver may have
 * dropped it); linux keeps it and resends only the rest
 * (tcp_timeout_mark_lost skips SACKed segments).
 */
void
tcp_sack_on_rto(struct tcp_conn *c)
{
	struct tcp_sack *k = tcp_sk_mut(c);
	if (k == NULL)
		return;
	k->recovery = false;
	k->dupacks = 0;
	k->hold = true;
	k->recover = c->snd_max;
	bool keep = c->host->prof.rack;
	for (int i = 0; i < k->ntxs; i++) {
		k->txs[i].mark &= (uint8_t)~TXS_LOST;
		if (!keep)
			k->txs[i].mark &= (uint8_t)~TXS_SACKED;
	}
	if (!keep)
		k->nsacked = 0;
}

/* Go-back-N skips what the peer SACKed: *seq moves to the first byte
 * at or after it not SACKed; true with *limit where the next SACKed
 * record starts, if one does. */
bool
tcp_sack_skip(const struct tcp_conn *c, uint32_t *seq, uint32_t *limit)
{
	const struct tcp_sack *k = tcp_sk(c);
	for (int i = 0; i < k->ntxs; i++) {
		const struct tcp_txseg *t = &k->txs[i];
		if (SEQ_LEQ(t->end, *seq) || !(t->mark & TXS_SACKED))
			continue;
		if (SEQ_GT(t->seq, *seq)) {
			*limit = t->seq;
			return true;
		}
		*seq = t->end;
	}
	return false;
}

bool
tcp_sack_ca_open(const struct tcp_conn *c)
{
	const struct tcp_sack *k = tcp_sk(c);
	return !k->recovery && k->nsacked == 0 && k->dupacks == 0;
}

void
tcp_sack_free(struct tcp_conn *c)
{
	struct tcp_sack *k = c->sk;
	if (k == NULL)
		return;
	while (k->ooo) {
		struct tcp_ooo *o = k->ooo;
		k->ooo = o->next;
		tcp_ooo_free(o);
	}
	free(k->txs);
	k->txs = NULL;
	k->ntxs = k->captxs = k->nsacked = 0;
	k->nblk = 0;
	k->dsack_due = false;
}

void
tcp_sack_release(struct tcp_conn *c)
{
	struct tcp_sack *k = c->sk;
	if (k == NULL)
		return;
	tcp_sack_free(c);
	k->ooo = (struct tcp_ooo *)c->host->spare_sk;
	c->host->spare_sk = k;
	c->sk = NULL;
}

bool
tcp_sack_check(const struct tcp_conn *c)
{
	const struct tcp_sack *k = tcp_sk(c);
	for (const struct tcp_ooo *o = k->ooo; o; o = o->next) {
		if (!SEQ_LT(o->seq, o->end) || !SEQ_GT(o->seq, c->rcv_nxt))
			return false;
		if (o->next && SEQ_GT(o->end, o->next->seq))
			return false;
	}
	for (int i = 0; i < k->nblk; i++) {
		uint32_t l, r;
		if (SEQ_LEQ(k->blk[i][0], c->rcv_nxt))
			continue;	/* passed, dropped when next sent */
		if (!ooo_run(c, k->blk[i][0], &l, &r) || l != k->blk[i][0] ||
		    r != k->blk[i][1])
			return false;
	}
	int sacked = 0;
	for (int i = 0; i < k->ntxs; i++) {
		const struct tcp_txseg *t = &k->txs[i];
		if (!SEQ_LT(t->seq, t->end))
			return false;
		if (i && k->txs[i - 1].end != t->seq)
			return false;
		sacked += (t->mark & TXS_SACKED) != 0;
	}
	return sacked == k->nsacked &&
	       (k->ntxs == 0 || k->txs[k->ntxs - 1].end == c->snd_max);
}
