/*
 * tcp_int.h - private to tcp/: the host and connection records and the
 * functions the tcp files share.
 *
 *   tcp.c         hosts, connection records, demultiplexing, user calls
 *   tcp_in.c      segment arrival (RFC 9293 3.10.7)
 *   tcp_out.c     building and sending segments, retransmission, timers
 *   tcp_profile.c profiles and knobs
 *
 * Invariants of a connection (checked by tcp_check):
 *   1. snd_una <= snd_nxt <= snd_max (sequence space order);
 *   2. the data in the send buffer starts at sbuf_seq and runs
 *      sbuf_len bytes; sbuf_seq == iss + 1 plus the bytes acknowledged;
 *   3. a FIN, once queued, sits at fin_seq == sbuf_seq + sbuf_len;
 *   4. the connection is in the demultiplexing table iff its state is
 *      neither CLOSED nor the state before the first segment.
 */
#ifndef SYNSIM_TCP_INT_H
#define SYNSIM_TCP_INT_H

#include "../core/error.h"
#include "../core/sim.h"
#include "tcp.h"
#include "tcp_sack.h"

#define SEQ_LT(a, b) ((int32_t)((uint32_t)(a) - (uint32_t)(b)) < 0)
#define SEQ_LEQ(a, b) ((int32_t)((uint32_t)(a) - (uint32_t)(b)) <= 0)
#define SEQ_GT(a, b) SEQ_LT(b, a)
#define SEQ_GEQ(a, b) SEQ_LEQ(b, a)

/* What the retransmission timer is waiting for. */
enum rtx_kind { RTX_NONE, RTX_SYN, RTX_SYNACK, RTX_DATA, RTX_TLP, RTX_REO };
/* What the connection's life timer is for (struct tcp_conn, life). */
enum tcp_life { LIFE_NONE, LIFE_CONNECT, LIFE_FW2, LIFE_TW };

struct tcp_listener {
	struct tcp_host *host;
	uint16_t port;
	int backlog;
	int pending;		/* children not yet established */
	int young;		/* of those, the ones whose SYN-ACK timer has
				 * not fired yet */
	bool closed;
	uint64_t syn_dropped;	/* SYNs dropped for a full queue */
	uint64_t accepted;
	simtime last_overflow;	/* last SYN cookie sent, or -1 */
	bool flood_warned;	/* "possible SYN flooding" said */
	uint64_t cookies_sent, cookies_accepted;
	bool manual;		/* the application accepts by hand */
	struct tcp_conn **acceptq;	/* completed, not yet accepted,
					 * oldest first */
	int acceptq_len, acceptq_cap;
	uint64_t accept_overflows;	/* ListenOverflows */
};

/* What arrived for a connection waiting in an accept queue: bytes
 * (content only if some came with content) and the peer's FIN. */
struct tcp_held {
	uint64_t n;
	unsigned char *data;
	size_t cap;
	bool eof;
};

struct tcp_conn {
	/* These four first, in this order: a shrunk record (struct
	 * tcp_conn_rec) has them in the same places.  The rest is laid out
	 * to leave no holes (sizes and flags side by side), a connection
	 * being what a million of cost. */
	struct tcp_host *host;
	int id;
	enum tcp_state state;
	bool shrunk;		/* this is a struct tcp_conn_rec */
	bool in_grave;		/* on the host's list of closed connections
				 * to shrink (chained through hnext) */
	bool passive;		/* created by a listener */
	bool app_closed;	/* close(): no more app calls; orphan rules */
	bool in_table;		/* in the demultiplexing table */
	bool accepted;		/* passive: handed to the application */
	bool sack_ok, ts_ok;	/* negotiated options */
	uint32_t laddr, raddr;
	uint16_t lport, rport;
	uint16_t peer_mss, eff_mss;
	struct tcp_listener *listener;	/* passive, until established */
	struct tcp_listener *acceptq_of;	/* in that accept queue */
	/* passive, in the accept queue: what arrived for the application
	 * before it accepted; NULL until something did (tcp_accept.c) */
	struct tcp_held *held;
	struct tcp_conn *hnext;	/* hash chain */
	intptr_t tag;

	/* send sequence space (RFC 9293 3.3.1) */
	uint32_t iss, snd_una, snd_nxt, snd_max;
	uint32_t snd_wnd, snd_wl1, snd_wl2, max_snd_wnd;
	/* receive sequence space */
	uint32_t irs, rcv_nxt, rcv_wnd;
	uint32_t last_ack_sent;	/* Last.ACK.sent of RFC 7323 4.3 */

	/* negotiated options (with sack_ok, ts_ok, peer_mss, eff_mss) */
	int snd_wscale, rcv_wscale;	/* -1 until negotiated */
	uint32_t ts_recent, ts_offset;
	simtime ts_recent_at;	/* when ts_recent was last set (Linux's
				 * ts_recent_stamp); -1: never */

	/* send buffer: bytes from sbuf_seq, not yet acknowledged */
	uint32_t sbuf_seq;
	uint32_t fin_seq;
	uint64_t sbuf_len;
	unsigned char *sbuf;	/* content, or NULL when only counted */
	size_t sbuf_cap;
	bool fin_queued;	/* shutdown/close called */
	bool syn_data_pending;	/* data queued before ESTABLISHED */

	/* retransmission (RFC 6298) */
	bool rtt_valid;
	bool rtt_timing;	/* a segment is being timed */
	bool synq_young;	/* counted in listener->young */
	bool syn_retransmitted;
	bool tlp_out;		/* a loss probe is outstanding */
	uint8_t rtx_kind;	/* enum rtx_kind */
	struct sim_event rtx;
	simtime rtx_timeout;	/* the timeout it was last armed for (a
				 * wheel may fire it later) */
	int retries;		/* timeouts since the last progress: the
				 * retry limits count these */
	int backoff;		/* RTO doublings in force; only a new RTT
				 * sample clears them (Karn, RFC 6298 5.5) */
	simtime rto, srtt, rttvar;
	simtime rtt_start;
	uint32_t rtt_seq;
	uint32_t last_seg_seq, last_seg_len;	/* highest new segment */

	/* acknowledgements */
	int ack_pending;	/* segments received and not acknowledged */
	uint32_t rcv_mss;	/* the peer's segment size as seen (Linux's
				 * icsk_ack.rcv_mss estimate) */
	int quickacks;
	simtime last_oow;	/* last ACK for an out-of-window segment;
				 * -1: none yet */
	struct sim_event delack;

	/* The connection's one other timer, for what life_kind says: the
	 * application's connect timeout (stopped once our SYN is
	 * acknowledged), then the orphaned FIN-WAIT-2 limit or TIME-WAIT's
	 * 2*MSL (which stops the former).  Never two of them at once, so
	 * one embedded event serves the three.  TIME-WAIT's waits on the
	 * host's FIFO (slot TCP_TW_QUEUED) or, out of order, in the
	 * scheduler. */
	struct sim_event life;
	struct tcp_conn *tw_prev, *tw_next;	/* the host's FIFO */

	/* out-of-order queue, SACK, loss recovery (tcp_sack.c): NULL
	 * until first written, read through tcp_sk */
	struct tcp_sack *sk;

	/* record */
	int retransmits;
	int error;
	/* A soft error (an ICMP host unreachable, RFC 1122 4.2.3.9): the
	 * error reported if the retransmissions run out, as Linux's
	 * sk_err_soft (tcp_write_err); cleared by an ACK of new data. */
	int soft_error;
	uint8_t life_kind;	/* enum tcp_life: what life is for */
	simtime t_open, t_established, t_closed;
	uint64_t bytes_sent, bytes_acked, bytes_received;
};

struct tcp_host {
	struct node *node;
	struct net *net;
	struct sim *sim;
	struct tcp_profile prof;
	struct tcp_app app;
	void *app_ctx;
	/* Every connection by id - 1, in pages of TCP_CONN_PAGE: a page
	 * whose connections were all forgotten goes (tcp_host_forget_closed),
	 * so a run that keeps nothing of closed connections pays for the
	 * live ones only. */
	struct tcp_conn_page **pages;
	int nconns, cappages;
	struct tcp_conn **table;	/* demultiplexing hash, chained */
	uint32_t table_size, table_used;
	struct tcp_listener **listeners;
	int nlisteners;
	uint16_t next_port;
	uint32_t full_raddr, full_used;	/* ports ran out towards this peer */
	uint16_t full_rport;		/* with full_used connections */
	uint64_t isn_key[2];
	uint64_t cookie_key[2];	/* SYN cookie secrets, from isn_key */
	struct rng rng;		/* ports, ISNs (random policy), TS offsets */
	uint64_t jiffies0;	/* the timer wheel's jiffies at -tick_phase */
	simtime tick_phase;	/* (modulo a jiffy) how far time 0 is past
				 * a tick (tcp_timer.c) */
	simtime chack_second;	/* challenge-ACK rate limit window */
	int chack_count;
	const struct pkt *arriving;	/* in tcp_input, until its arrival
					 * is traced (tcp_in.c, arrived) */
	/* The narration of the retransmission under way, and its
	 * connection: one timer fires at a time, so one buffer a host
	 * serves them all instead of 128 bytes in every connection. */
	char why[128];
	const struct tcp_conn *why_conn;
	struct tcp_sack *spare_sk;	/* SACK records given back (tcp_sack.c) */
	/* TIME-WAIT timers in the order they expire, one scheduler event
	 * for the earliest (tcp_out.c) */
	struct sim_event tw_ev;
	struct tcp_conn *tw_head, *tw_tail;
	bool shrink_closed;	/* closed connections nobody holds become
				 * small records (tcp_conn_release) */
	bool forget_closed;	/* ... or nothing at all */
	struct tcp_forgotten forgotten;	/* the outcomes of those */
	struct tcp_rec_slab *slabs;	/* shrunk records, newest slab first */
	struct tcp_conn *grave;	/* released closed ones, to shrink at the
				 * next tcp_input, where no caller holds
				 * any connection */
};

/*
 * A closed connection that neither the application nor anything in tcp/
 * holds any more, shrunk to what the views read (tcp_conn_info), packed:
 * 152 bytes in a slab of its host instead of struct tcp_conn's 600-odd
 * from malloc, which a million closed connections cannot afford.  Its
 * first fields are struct tcp_conn's, so the state, id, host and the user
 * calls (which all refuse a CLOSED connection) read it as a connection.
 */
struct tcp_conn_rec {
	struct tcp_host *host;
	int id;
	enum tcp_state state;	/* TCP_CLOSED */
	bool shrunk;		/* true */
	bool passive, sack, ts;
	int8_t snd_wscale, rcv_wscale;
	uint16_t lport, rport, mss, peer_mss;
	int32_t retransmits, error;
	uint32_t laddr, raddr, iss, irs, snd_una, snd_nxt, rcv_nxt;
	intptr_t tag;
	simtime t_open, t_established, t_closed, srtt, rttvar, rto;
	uint64_t bytes_sent, bytes_acked, bytes_received;
};

#define TCP_CONN_PAGE 1024
struct tcp_conn_page {
	int used;		/* entries not NULL */
	struct tcp_conn *c[TCP_CONN_PAGE];
};

/* Records come from slabs of this many, freed with the host. */
#define TCP_REC_SLAB 1024
struct tcp_rec_slab {
	struct tcp_rec_slab *next;
	int used;
	struct tcp_conn_rec recs[TCP_REC_SLAB];
};

/* life.slot of a connection whose TIME-WAIT timer is on the host's FIFO. */
#define TCP_TW_QUEUED (SCHED_IDLE - 1)
/* The host's TIME-WAIT event fires (tcp_out.c). */
void tcp_tw_fire(struct sched *s, struct sim_event *ev);

/* Shrink the closed connections released since the last call. */
void tcp_shrink_closed(struct tcp_host *h);

/* tcp_out.c: windows */
uint32_t tcp_rcv_window(const struct tcp_conn *c);
uint32_t tcp_initial_window(const struct tcp_host *h, uint32_t raddr, bool ts);

/* tcp_timer.c */
simtime tcp_jiffy_ns(int hz);
simtime tcp_wheel_expiry(int hz, uint64_t j0, simtime phase, simtime now,
                         simtime after);
void tcp_wheel_init(struct tcp_host *h);
/* When a TCP timer set now for `after` expires on this host's wheel. */
simtime tcp_timer_expiry(const struct tcp_host *h, simtime after);

/* tcp.c */
struct tcp_conn *tcp_conn_new(struct tcp_host *h, uint32_t laddr,
                              uint16_t lport, uint32_t raddr, uint16_t rport);
void tcp_table_insert(struct tcp_conn *c);
void tcp_table_remove(struct tcp_conn *c);
struct tcp_conn *tcp_lookup(struct tcp_host *h, const struct pkt *p);
struct tcp_listener *tcp_find_listener(struct tcp_host *h, uint16_t port);
uint32_t tcp_choose_isn(struct tcp_conn *c);
/* The timestamp offset of connections between two addresses. */
uint32_t tcp_ts_offset(const struct tcp_host *h, uint32_t laddr,
                       uint32_t raddr);
void tcp_set_state(struct tcp_conn *c, enum tcp_state to, const char *cause,
                   const char *rule);
/* Enter CLOSED: stop timers, leave the table, tell the app (err). */
void tcp_drop(struct tcp_conn *c, int err, const char *cause,
              const char *rule);
/* Enter ESTABLISHED (state, timers), then tell the application: two
 * calls, so the caller can send the handshake's ACK in between. */
void tcp_enter_established(struct tcp_conn *c, const char *cause,
                           const char *rule);
void tcp_tell_established(struct tcp_conn *c);
/* Our SYN acknowledged after a close in SYN-RECEIVED took us past
 * ESTABLISHED: stop the connect timer, leave the listen queue. */
void tcp_syn_acked_after_close(struct tcp_conn *c);
/* An application call, and what TCP tells the application (the trace's
 * app events, trace.h); value: the handshake for "connected", bytes for
 * "data". */
void tcp_trace_app(struct tcp_conn *c, const char *call, const char *detail);
void tcp_trace_result(struct tcp_conn *c, const char *what, const char *detail,
                      int64_t value);

/* tcp_accept.c: the accept queue */
/* A passive connection completed its handshake: accept it now, or queue
 * it for the application. */
void tcp_accept_completed(struct tcp_listener *l, struct tcp_conn *c);
/* Linux's sk_acceptq_is_full. */
bool tcp_acceptq_full(const struct tcp_listener *l);
/* The queue lengths changed: a queue event on the trace. */
void tcp_trace_queue(const struct tcp_listener *l, const char *what);
/* In-order bytes and the peer's FIN for the application: told now, or
 * held while the connection waits in an accept queue. */
void tcp_app_data(struct tcp_conn *c, uint32_t n, const unsigned char *data);
void tcp_app_eof(struct tcp_conn *c);
/* Free what was held (the connection goes). */
void tcp_held_free(struct tcp_conn *c);
/* A closed listener resets the connections in its accept queue. */
void tcp_acceptq_reset(struct tcp_listener *l);

/* tcp_cookie.c: SYN cookies (RFC 4987 3.6) */
/* The ISN of a cookie SYN-ACK for syn; *mss: the MSS it keeps. */
uint32_t tcp_cookie_make(const struct tcp_host *h, const struct pkt *syn,
                         uint16_t *mss);
/* The MSS kept in the cookie that ack returns, or 0 if it is not one. */
uint16_t tcp_cookie_check(const struct tcp_host *h, const struct pkt *ack);
/* TSval of a cookie SYN-ACK, carrying syn's window scale and SACK. */
uint32_t tcp_cookie_tsval(const struct tcp_host *h, const struct pkt *syn,
                          uint32_t offset);
/* Add to o the options a cookie ACK's timestamp echo brings back; false
 * if they are options this host would not have offered. */
bool tcp_cookie_options(const struct tcp_host *h, const struct pkt *ack,
                        uint32_t offset, struct tcp_opts *o);
/* A cookie was sent within the last two minutes. */
bool tcp_cookie_recent(const struct tcp_listener *l, simtime now);
/* "possible SYN flooding on port P: what", once per listener. */
void tcp_flood_warning(struct tcp_host *h, struct tcp_listener *l,
                       const char *what);
/* Answer syn with a cookie SYN-ACK, keeping nothing. */
void tcp_cookie_synack(struct tcp_host *h, struct tcp_listener *l,
                       const struct pkt *syn);

/* tcp_in.c */
void tcp_process_options(struct tcp_conn *c, const struct pkt *p);

/* tcp_out.c */
void tcp_timers_init(struct tcp_conn *c);
void tcp_timers_stop(struct tcp_conn *c);
/* Send one segment from c; retx: it repeats sequence space sent before
 * (the trace and packets.csv mark it). */
void tcp_send_flags(struct tcp_conn *c, uint8_t flags, uint32_t seq,
                    uint32_t len, const char *why, bool retx);
/* The SYN or SYN-ACK; why is NULL for the first, the timeout's words
 * for a retransmission. */
void tcp_send_syn(struct tcp_conn *c, const char *why);
/* The retransmission timeout of a SYN or SYN-ACK after c->backoff
 * timeouts. */
simtime tcp_syn_rto(const struct tcp_conn *c);
void tcp_send_ack(struct tcp_conn *c, const char *why);
/* A packet from the host that received in, back to its sender (addresses
 * and ports swapped, the rest zero); NULL if the pool is spent. */
struct pkt *tcp_reply_pkt(struct tcp_host *h, const struct pkt *in);
/* A reset for segment p that found no connection (RFC 9293 3.10.7.1). */
void tcp_send_reset_for(struct tcp_host *h, const struct pkt *p,
                        const char *why);
/* Send what the window and the buffer allow; force: at least an ACK. */
void tcp_output(struct tcp_conn *c);
/* Data arrived in order: ACK now or later, per profile. */
void tcp_ack_received_data(struct tcp_conn *c, bool fin);
/* Answer p with a challenge ACK, or trace p's drop when a rate limit
 * holds the ACK back. */
void tcp_challenge_ack(struct tcp_conn *c, const struct pkt *p,
                       const char *why);
/* Linux's tcp_oow_rate_limited: true when an ACK answering p (an
 * out-of-window or repeated segment) must not go out yet. */
bool tcp_oow_limited(struct tcp_conn *c, const struct pkt *p);
void tcp_rtt_sample(struct tcp_conn *c, simtime r);
void tcp_arm_rtx(struct tcp_conn *c, enum rtx_kind kind, simtime after);
void tcp_cancel_rtx(struct tcp_conn *c);
/* The peer acknowledged up to ack (snd_una < ack <= snd_max). */
void tcp_ack_advance(struct tcp_conn *c, uint32_t ack);
void tcp_arm_timer(struct tcp_conn *c, struct sim_event *ev, const char *name,
                   simtime after);
/* Arm the life timer for kind; stop it if it is armed for kind. */
void tcp_arm_life(struct tcp_conn *c, enum tcp_life kind, simtime after);
void tcp_stop_life(struct tcp_conn *c, enum tcp_life kind);
void tcp_stop_timer(struct tcp_conn *c, struct sim_event *ev,
                    const char *name);
void tcp_enter_time_wait(struct tcp_conn *c, const char *cause,
                         const char *rule);
uint32_t tcp_ts_now(const struct tcp_conn *c);
/* The MSS we offer: the profile's, lowered to fit the MTU of the
 * interface towards the peer. */
uint16_t tcp_local_mss(const struct tcp_conn *c);
/* The same for a host with no connection yet (a cookie SYN-ACK). */
uint16_t tcp_mss_towards(const struct tcp_host *h, uint32_t raddr);

/* tcp_sack.c: out-of-order queue and SACK blocks (receiver) */
/* Hold [seq, end) (a FIN at end - 1 if fin; data NULL or its bytes)
 * beyond RCV.NXT; the SACK blocks follow. */
void tcp_ooo_add(struct tcp_conn *c, uint32_t seq, uint32_t end, bool fin,
                 const unsigned char *data);
/* The first held piece if RCV.NXT has reached it, unlinked; NULL if
 * none.  Free it with tcp_ooo_free. */
struct tcp_ooo *tcp_ooo_take(struct tcp_conn *c);
void tcp_ooo_free(struct tcp_ooo *o);
/* A duplicate of [left, right) arrived: D-SACK it (RFC 2883). */
void tcp_dsack_note(struct tcp_conn *c, uint32_t left, uint32_t right);
/* Add the SACK option to o, a segment with ACK about to go. */
void tcp_sack_options(struct tcp_conn *c, struct tcp_opts *o);
/* tcp_sack.c: scoreboard and recovery (sender) */
/* [seq, end) was just sent (new, or again). */
void tcp_sack_sent(struct tcp_conn *c, uint32_t seq, uint32_t end,
                   uint8_t flags);
/* SND.UNA reaches ack: the records it covers go. */
void tcp_sack_acked(struct tcp_conn *c, uint32_t ack);
/* An acceptable ACK p, before and after the fifth check takes it. */
bool tcp_sack_ack_pre(struct tcp_conn *c, const struct pkt *p);
void tcp_sack_ack_post(struct tcp_conn *c);
simtime tcp_rack_detect(struct tcp_conn *c, int *lost);
void tcp_sack_reo_fire(struct tcp_conn *c);
void tcp_sack_on_rto(struct tcp_conn *c);
bool tcp_sack_skip(const struct tcp_conn *c, uint32_t *seq, uint32_t *limit);
/* No recovery under way, nothing SACKed, no duplicate ACKs: Linux's
 * TCP_CA_Open, where a loss probe may be armed. */
bool tcp_sack_ca_open(const struct tcp_conn *c);
void tcp_sack_free(struct tcp_conn *c);
/* ... and the record itself: the connection is closed. */
void tcp_sack_release(struct tcp_conn *c);
/* The record to read (all zeros until there is one), and to write
 * (made now; NULL if memory ran out). */
const struct tcp_sack *tcp_sk(const struct tcp_conn *c);
struct tcp_sack *tcp_sk_mut(struct tcp_conn *c);
/* Free the records given back (the host goes). */
void tcp_sack_pool_free(struct tcp_host *h);
bool tcp_sack_check(const struct tcp_conn *c);
/* tcp_out.c: the data timer, a loss probe or the RTO */
void tcp_arm_data_timer(struct tcp_conn *c);

#endif
