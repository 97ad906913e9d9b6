/*
 * tcp_profile.c - the named host profiles and the knob table that lets a
 * scenario read and override any field by name.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "tcp.h"

const char *const tcp_profile_names[] = { "linux", "linux-6.18", "rfc", NULL };
const char *const tcp_isn_names[] = { "hash", "clock", "random", "zero", NULL };

/*
 * Linux defaults (net/ipv4 sysctls and include/net/tcp.h): TCP_TIMEOUT_INIT
 * 1 s, TCP_RTO_MIN 200 ms, TCP_RTO_MAX 120 s, tcp_syn_retries 6 (a connect
 * to a silent peer fails after 1+2+4+8+16+32+64 = 127 s),
 * tcp_synack_retries 5 (fewer, down to 2, for requests that have
 * already timed out while the listen queue is over half full:
 * reqsk_timer_handler), tcp_syncookies 1 (cookies once the listen
 * queue is full), tcp_retries2 15, TCP_TIMEWAIT_LEN 60 s,
 * tcp_fin_timeout 60 s, TCP_DELACK_MIN 40 ms, up to 16 quick ACKs, an
 * ACK as soon as more than rcv_mss bytes wait (__tcp_ack_snd_check),
 * MSS 1460 with window scale 7, SACK and timestamps offered, the SYN
 * window 64240, tcp_rfc1337 0, tcp_challenge_ack_limit 1000, data
 * after close() reset (tcp_rcv_state_process, TCPAbortOnData),
 * a SYN or any RST in the window of a request sock resets it
 * (tcp_check_req), an ACK of unsent data dropped in ESTABLISHED
 * (tcp_ack, TCP_ACK_UNSENT_DATA),
 * tcp_invalid_ratelimit 500 ms (one ACK per connection and half second
 * for out-of-window segments, challenges and repeated SYNs), a tail
 * loss probe 2*SRTT after the last send plus TCP_RTO_MIN with one
 * packet out, else plus TCP_TIMEOUT_MIN_US 2 ms (tcp_schedule_loss_probe),
 * somaxconn 4096 (listen backlogs capped there), ISN from a keyed hash
 * plus a clock (secure_tcp_seq), losses found by RACK with SACK
 * (tcp_recovery 1: tcp_rack_detect_loss), NewReno without.
 * Every TCP timer (retransmission, SYN-ACK of a request sock, delayed
 * ACK, probe, TIME-WAIT, FIN-WAIT-2) is a timer_list on the kernel's
 * timer wheel: sk_reset_timer -> mod_timer -> __mod_timer, whose
 * calc_wheel_index/calc_index round the expiry up to the granule of the
 * wheel level it lands in, counted in jiffies of CONFIG_HZ (250 is
 * Kconfig's default), so timers fire on a tick, never early, late by up
 * to a granule (tcp_timer.c).
 */
static const struct tcp_profile linux_profile = {
	.name = "linux",
	.rto_initial = 1000 * SIMTIME_MS,
	.rto_min = 200 * SIMTIME_MS,
	.rto_max = 120 * SIMTIME_S,
	.rto_var_min = 200 * SIMTIME_MS,
	.syn_retries = 6,
	.syn_linear_timeouts = 0,
	.synack_retries = 5,
	.synack_prune = true,
	.syncookies = 1,
	.backlog_plus_one = true,
	.somaxconn = 4096,
	.data_retries = 15,
	.msl = 30 * SIMTIME_S,
	.time_wait = 60 * SIMTIME_S,
	.fin_wait_2_timeout = 60 * SIMTIME_S,
	.delack = 40 * SIMTIME_MS,
	.quickacks = 16,
	.ack_by_bytes = true,
	.fin_ack_delayed = true,
	.tlp = true,
	.rack = true,
	.tlp_delack_max = 200 * SIMTIME_MS,	/* tcp_rto_min_us */
	.tlp_slack = 2 * SIMTIME_MS,
	.mss = 1460,
	.rcv_wnd = 64240,
	.wscale = 7,
	.timer_wheel = true,
	.hz = 250,
	.opt_wscale = true,
	.opt_sack = true,
	.opt_ts = true,
	.rfc1337 = false,
	.time_wait_restart = true,
	.abort_on_data = true,
	.abort_rst_ack = true,
	.embryonic_rst = true,
	.icmp_hard_syn_sent = true,
	.unsent_ack_silent = true,
	.challenge_ack_limit = 1000,
	.invalid_ratelimit = 500 * SIMTIME_MS,
	.isn = TCP_ISN_HASH,
	.backlog = 4096,
	.connect_timeout = 0,
};

/*
 * RFC values: RFC 6298 (initial RTO 1 s, minimum 1 s, maximum at least
 * 60 s, G = 1 ms here), RFC 9293 3.8.3 (R2 for a SYN at least 3 min:
 * 7 retries give 255 s; R2 for data at least 100 s), 3.4.2 (MSL 2 min,
 * TIME-WAIT 2*MSL), RFC 1122 4.2.3.2 (delayed ACK under 0.5 s: 200 ms,
 * ACK at least every second full segment), RFC 5961 (challenge ACKs, no
 * limit given), RFC 6528 ISNs, fast retransmit and recovery (RFC 5681
 * 3.2, with RFC 6582's partial ACKs; RFC 6675 where SACK is turned on).
 * Only MSS is offered: the other options are optional extensions.
 */
static const struct tcp_profile rfc_profile = {
	.name = "rfc",
	.rto_initial = 1 * SIMTIME_S,
	.rto_min = 1 * SIMTIME_S,
	.rto_max = 60 * SIMTIME_S,
	.rto_var_min = 1 * SIMTIME_MS,
	.syn_retries = 7,
	.syn_linear_timeouts = 0,
	.synack_retries = 7,
	.synack_prune = false,
	.syncookies = 0,
	.backlog_plus_one = false,
	.somaxconn = 0,
	.data_retries = 8,
	.msl = 120 * SIMTIME_S,
	.time_wait = 240 * SIMTIME_S,
	.fin_wait_2_timeout = 0,
	.delack = 200 * SIMTIME_MS,
	.quickacks = 0,
	.ack_by_bytes = false,
	.fin_ack_delayed = false,
	.tlp = false,
	.rack = false,
	.tlp_delack_max = 200 * SIMTIME_MS,
	.tlp_slack = 0,
	.mss = 1460,
	.rcv_wnd = 65535,
	.wscale = 0,
	.hz = 250,
	.opt_wscale = false,
	.opt_sack = false,
	.opt_ts = false,
	.rfc1337 = false,
	.time_wait_restart = false,
	.abort_on_data = false,
	.abort_rst_ack = false,
	.embryonic_rst = false,
	.icmp_hard_syn_sent = false,
	.unsent_ack_silent = false,
	.challenge_ack_limit = 0,
	.invalid_ratelimit = 0,
	.isn = TCP_ISN_HASH,
	.backlog = 128,
	.connect_timeout = 0,
};

int
tcp_profile_get(const char *name, struct tcp_profile *p)
{
	if (strcmp(name, "linux") == 0) {
		*p = linux_profile;
	} else if (strcmp(name, "linux-6.18") == 0) {
		/* The defaults of a recent kernel.  The name stays because
		 * scenarios and tests name it; it is not the release that
		 * brought them.
		 * tcp_syn_linear_timeouts = 4, the sysctl's default in the
		 * kernels that have it: the first four SYN retransmissions
		 * keep the initial RTO, and they add to the retry count
		 * (tcp_write_timeout). */
		*p = linux_profile;
		snprintf(p->name, sizeof p->name, "linux-6.18");
		p->syn_linear_timeouts = 4;
		/* Since Linux 6.0 the host-wide challenge-ACK limit is off
		 * (tcp_challenge_ack_limit INT_MAX); the per-connection
		 * tcp_invalid_ratelimit remains. */
		p->challenge_ack_limit = 0;
		/* Receive buffers as tcp_rmem defaults to today (4096 131072
		 * 33554432): the initial window is half of tcp_rmem[1]
		 * (tcp_full_space with the default scaling ratio), 65536,
		 * rounded down to whole segments (tcp_select_initial_window):
		 * 64240 in a SYN (MSS 1460), 65160 in a SYN-ACK that
		 * carries timestamps (1448 a segment); the scale is set for
		 * tcp_rmem[2], 32 MiB = 2^25, so ilog2 - 15 = 10.  A scaled
		 * window is rounded up to a whole unit (__tcp_select_window:
		 * ALIGN to 1 << rcv_wscale), so 64240 goes out as 63, not
		 * 62.  Its timers tick on the wheel as linux's do. */
		p->rcv_wnd = 65536;
		p->wscale = 10;
		p->wnd_round_mss = true;
		p->wnd_align = true;
	} else if (strcmp(name, "rfc") == 0) {
		*p = rfc_profile;
	} else {
		return -1;
	}
	return 0;
}

#define FLD(f) offsetof(struct tcp_profile, f), sizeof(((struct tcp_profile *)0)->f)
#define KT(f, lo, hi) { #f, KNOB_TIME, FLD(f), lo, hi }
#define KI(f, lo, hi) { #f, KNOB_INT, FLD(f), lo, hi }
#define KB(f) { #f, KNOB_BOOL, FLD(f), 0, 1 }

/* Sorted by name: error messages list them in this order, and a table
 * of knobs is applied in it, so a time_wait given beside msl is set
 * after msl's 2*MSL and wins. */
const struct tcp_knob tcp_knobs[] = {
	KB(abort_on_data),
	KB(abort_on_overflow),
	KB(abort_rst_ack),
	KB(ack_by_bytes),
	KI(backlog, 0, 1 << 20),
	KB(backlog_plus_one),
	KI(challenge_ack_limit, 0, 1 << 30),
	KT(connect_timeout, 0, INT64_MAX),
	KI(data_retries, 0, 255),
	KT(delack, 0, 10 * SIMTIME_S),
	KB(embryonic_rst),
	KB(fin_ack_delayed),
	KT(fin_wait_2_timeout, 0, INT64_MAX),
	KI(hz, 100, 1000),
	KB(icmp_hard_syn_sent),
	KT(invalid_ratelimit, 0, 3600 * SIMTIME_S),
	{ "isn", KNOB_ISN, FLD(isn), 0, 3 },
	KT(msl, 0, INT64_MAX / 2),
	KI(mss, 88, 65495),
	KB(opt_sack),
	KB(opt_ts),
	KB(opt_wscale),
	KI(quickacks, 0, 1 << 20),
	KB(rack),
	KI(rcv_wnd, 1, 1 << 30),
	KB(rfc1337),
	KT(rto_initial, SIMTIME_MS, 3600 * SIMTIME_S),
	KT(rto_max, SIMTIME_MS, 3600 * SIMTIME_S),
	KT(rto_min, SIMTIME_US, 3600 * SIMTIME_S),
	KT(rto_var_min, 0, 3600 * SIMTIME_S),
	KI(somaxconn, 0, 1 << 20),
	KI(syn_linear_timeouts, 0, 255),
	KI(syn_retries, 0, 255),
	KB(synack_prune),
	KI(synack_retries, 0, 255),
	KI(syncookies, 0, 2),
	KT(time_wait, 0, INT64_MAX),
	KB(time_wait_restart),
	KB(timer_wheel),
	KB(tlp),
	KT(tlp_delack_max, 0, 10 * SIMTIME_S),
	KT(tlp_slack, 0, 10 * SIMTIME_S),
	KB(tw_reuse),
	KB(unsent_ack_silent),
	KB(wnd_align),
	KB(wnd_round_mss),
	KI(wscale, 0, 14),
	{ NULL, 0, 0, 0, 0, 0 },
};

const struct tcp_knob *
tcp_knob_find(const char *name)
{
	for (const struct tcp_knob *k = tcp_knobs; k->name; k++)
		if (strcmp(k->name, name) == 0)
			return k;
	return NULL;
}

int
tcp_knob_set(struct tcp_profile *p, const struct tcp_knob *k, int64_t v)
{
	if (v < k->min || v > k->max)
		return -1;
	char *f = (char *)p + k->offset;
	switch (k->kind) {
	case KNOB_BOOL:
		*(bool *)f = v != 0;
		return 0;
	case KNOB_ISN:
		*(enum tcp_isn_policy *)f = (enum tcp_isn_policy)v;
		return 0;
	case KNOB_TIME:
		*(simtime *)f = v;
		/* RFC 9293 3.4.2: TIME-WAIT lasts 2*MSL.  The field alone
		 * would be read by nothing: TIME-WAIT follows time_wait,
		 * which Linux fixes at 60 s (TCP_TIMEWAIT_LEN) whatever MSL
		 * is taken to be. */
		if (k->offset == offsetof(struct tcp_profile, msl))
			p->time_wait = 2 * v;
		return 0;
	case KNOB_INT:
		switch (k->size) {
		case 1: *(uint8_t *)f = (uint8_t)v; return 0;
		case 2: *(uint16_t *)f = (uint16_t)v; return 0;
		case 4: memcpy(f, &(int32_t){ (int32_t)v }, 4); return 0;
		}
		break;
	}
	return -1;
}

int64_t
tcp_knob_get(const struct tcp_profile *p, const struct tcp_knob *k)
{
	const char *f = (const char *)p + k->offset;
	switch (k->kind) {
	case KNOB_BOOL:
		return *(const bool *)f;
	case KNOB_ISN:
		return *(const enum tcp_isn_policy *)f;
	case KNOB_TIME:
		return *(const simtime *)f;
	case KNOB_INT:
		switch (k->size) {
		case 1: return *(const uint8_t *)f;
		case 2: return *(const uint16_t *)f;
		case 4: {
			int32_t v;
			memcpy(&v, f, 4);
			return v;
		}
		}
	}
	return 0;
}
