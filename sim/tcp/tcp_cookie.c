/*
 * tcp_cookie.c - SYN cookies (RFC 4987 3.6): when the listen queue is
 * full, the SYN-ACK's sequence number carries what the listener would
 * have kept, and no state is kept; an ACK that returns a valid cookie
 * creates the connection.
 *
 * The layout is Linux's (net/ipv4/syncookies.c), so the numbers read
 * the same in a capture: ISN = H0(4-tuple) + client ISN + (count << 24)
 * + ((H1(4-tuple, count) + mss index) mod 2^24), count the minute, good
 * for two minutes; the MSS is one of 536, 1300, 1440, 1460.  When the
 * SYN carried timestamps, the low 6 bits of our TSval hold the client's
 * window scale (15: none) and SACK-permitted, so they survive too;
 * without timestamps they are lost, as on Linux.  H0 and H1 are a
 * 64-bit mix keyed by the host's secret, not a cryptographic hash.
 */
#include <stdio.h>

#include "tcp_int.h"

static const uint16_t msstab[] = { 536, 1300, 1440, 1460 };
#define NMSS (sizeof msstab / sizeof msstab[0])

#define COOKIEBITS 24
#define COOKIEMASK (((uint32_t)1 << COOKIEBITS) - 1)
#define COOKIE_PERIOD SIMTIME_MIN	/* TCP_SYNCOOKIE_PERIOD */
#define COOKIE_MAX_AGE 2		/* MAX_SYNCOOKIE_AGE, in periods */

#define TSBITS 6
#define TS_WSCALE_MASK 0xfu
#define TS_SACK (1u << 4)

static uint32_t
cookie_hash(const struct tcp_host *h, const struct pkt *p, uint32_t count,
            int which)
{
	/* src and dst as in the client's segments: SYN and ACK alike. */
	uint64_t x = h->cookie_key[which] ^ ((uint64_t)p->src << 32 | p->dst);
	uint64_t y = h->cookie_key[which] ^
	             ((uint64_t)p->sport << 48 | (uint64_t)p->dport << 32 | count);
	return (uint32_t)(rng_splitmix64(&x) ^ rng_splitmix64(&y));
}

static uint32_t
cookie_count(const struct tcp_host *h)
{
	return (uint32_t)(sim_now(h->sim) / COOKIE_PERIOD);
}

uint32_t
tcp_cookie_make(const struct tcp_host *h, const struct pkt *syn,
                uint16_t *mss)
{
	uint16_t want = (syn->opt.present & OPT_MSS) ? syn->opt.mss : 536;
	uint32_t i = NMSS - 1;
	while (i > 0 && want < msstab[i])
		i--;
	*mss = msstab[i];
	uint32_t count = cookie_count(h);
	return cookie_hash(h, syn, 0, 0) + syn->seq + (count << COOKIEBITS) +
	       ((cookie_hash(h, syn, count, 1) + i) & COOKIEMASK);
}

uint16_t
tcp_cookie_check(const struct tcp_host *h, const struct pkt *ack)
{
	uint32_t cookie = ack->ack - 1;
	uint32_t count = cookie_count(h);
	cookie -= cookie_hash(h, ack, 0, 0) + (ack->seq - 1);
	uint32_t age = (count - (cookie >> COOKIEBITS)) & (UINT32_MAX >> COOKIEBITS);
	if (age >= COOKIE_MAX_AGE)
		return 0;
	uint32_t i = (cookie - cookie_hash(h, ack, count - age, 1)) & COOKIEMASK;
	return i < NMSS ? msstab[i] : 0;
}

uint32_t
tcp_cookie_tsval(const struct tcp_host *h, const struct pkt *syn,
                 uint32_t offset)
{
	uint32_t options = (syn->opt.present & OPT_WSCALE) && h->prof.opt_wscale ?
	                   syn->opt.wscale & TS_WSCALE_MASK : TS_WSCALE_MASK;
	if ((syn->opt.present & OPT_SACKOK) && h->prof.opt_sack)
		options |= TS_SACK;
	uint32_t now = (uint32_t)(sim_now(h->sim) / SIMTIME_MS);
	uint32_t ts = (now >> TSBITS << TSBITS) | options;
	if (ts > now)
		ts -= 1u << TSBITS;
	return ts + offset;
}

bool
tcp_cookie_options(const struct tcp_host *h, const struct pkt *ack,
                   uint32_t offset, struct tcp_opts *o)
{
	/* Linux's cookie_timestamp_decode: without timestamps the options
	 * are gone (and a host that does not do timestamps does not read
	 * them: tcp_parse_options); with them, refuse what this host would
	 * not have offered.  offset is 0 when the ACK echoes no timestamp. */
	if (!(ack->opt.present & OPT_TS) || !h->prof.opt_ts)
		return true;
	uint32_t options = ack->opt.tsecr - offset;
	o->present |= OPT_TS;
	o->tsval = ack->opt.tsval;
	if (options & TS_SACK) {
		if (!h->prof.opt_sack)
			return false;
		o->present |= OPT_SACKOK;
	}
	if ((options & TS_WSCALE_MASK) == TS_WSCALE_MASK)
		return true;
	o->present |= OPT_WSCALE;
	o->wscale = (uint8_t)(options & TS_WSCALE_MASK);
	return h->prof.opt_wscale;
}

bool
tcp_cookie_recent(const struct tcp_listener *l, simtime now)
{
	/* tcp_synq_no_recent_overflow: cookies are looked for only while
	 * some were sent in the last two minutes. */
	return l->last_overflow >= 0 &&
	       now - l->last_overflow <= COOKIE_MAX_AGE * COOKIE_PERIOD;
}

void
tcp_flood_warning(struct tcp_host *h, struct tcp_listener *l, const char *what)
{
	/* Linux says so once per listener (tcp_syn_flood_action). */
	if (l->flood_warned)
		return;
	char line[96];
	snprintf(line, sizeof line, "possible SYN flooding on port %u: %s",
	         (unsigned)l->port, what);
	trace_log(&h->sim->trace, sim_now(h->sim), h->node->name, line);
	l->flood_warned = true;
}

void
tcp_cookie_synack(struct tcp_host *h, struct tcp_listener *l,
                  const struct pkt *syn)
{
	simtime now = sim_now(h->sim);
	if (h->prof.syncookies == 1)
		tcp_flood_warning(h, l, "sending cookies");
	/* tcp_synq_overflow: the stamp moves at most once a second. */
	if (l->last_overflow < 0 || now < l->last_overflow ||
	    now > l->last_overflow + SIMTIME_S)
		l->last_overflow = now;
	l->cookies_sent++;
	struct pkt *p = tcp_reply_pkt(h, syn);
	if (p == NULL)
		return;
	uint16_t mss;
	p->seq = tcp_cookie_make(h, syn, &mss);
	p->ack = syn->seq + 1;
	p->flags = TH_SYN | TH_ACK;
	/* RFC 7323 2.2: the window in a SYN is never scaled. */
	uint32_t w = tcp_initial_window(h, syn->src, h->prof.opt_ts &&
	                                (syn->opt.present & OPT_TS));
	p->wnd = w > 65535 ? 65535 : (uint16_t)w;
	p->why = h->prof.syncookies == 2 ?
	         "SYN cookie: syncookies 2, nothing is kept" :
	         "SYN cookie: the listen queue is full, nothing is kept";
	p->opt.present = OPT_MSS;
	p->opt.mss = tcp_mss_towards(h, syn->src);
	/* Linux (tcp_conn_request): a cookie can carry window scale and
	 * SACK only in the timestamp, so without timestamps neither is
	 * offered. */
	if (h->prof.opt_ts && (syn->opt.present & OPT_TS)) {
		if (h->prof.opt_wscale && (syn->opt.present & OPT_WSCALE)) {
			p->opt.present |= OPT_WSCALE;
			p->opt.wscale = h->prof.wscale;
		}
		if (h->prof.opt_sack && (syn->opt.present & OPT_SACKOK))
			p->opt.present |= OPT_SACKOK;
		p->opt.present |= OPT_TS;
		uint32_t off = tcp_ts_offset(h, syn->dst, syn->src);
		p->opt.tsval = tcp_cookie_tsval(h, syn, off);
		p->opt.tsecr = syn->opt.tsval;
	}
	node_output(h->node, p);
}
