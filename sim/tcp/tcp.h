/*
 * tcp.h - TCP hosts and connections (RFC 9293), as the rest of synsim
 * sees them: the state machine's states, per-host profiles of knobs, the
 * socket-like user calls, and the callbacks an application receives.
 *
 * tcp/ knows nothing of Lua or of output formats: it reports to the
 * application through struct tcp_app and to everyone else through the
 * trace bus.
 */
#ifndef SYNSIM_TCP_H
#define SYNSIM_TCP_H

#include <stdbool.h>
#include <stdint.h>

#include "../core/error.h"
#include "../core/rng.h"
#include "../core/sched.h"
#include "../net/net.h"

/*
 * The order means something (BSD tcp_fsm.h): states from SYN-RECEIVED on
 * have received a SYN; from ESTABLISHED on are synchronized; the states
 * after ESTABLISHED that have received a FIN are CLOSE-WAIT, CLOSING,
 * LAST-ACK and TIME-WAIT.
 */
enum tcp_state {
	TCP_CLOSED,
	TCP_LISTEN,
	TCP_SYN_SENT,
	TCP_SYN_RECEIVED,
	TCP_ESTABLISHED,
	TCP_CLOSE_WAIT,
	TCP_FIN_WAIT_1,
	TCP_CLOSING,
	TCP_LAST_ACK,
	TCP_FIN_WAIT_2,
	TCP_TIME_WAIT,
	TCP_NSTATES
};

#define TCP_HAVE_RCVD_SYN(s) ((s) >= TCP_SYN_RECEIVED)
#define TCP_SYNCHRONIZED(s) ((s) >= TCP_ESTABLISHED)
#define TCP_HAVE_RCVD_FIN(s) ((s) == TCP_CLOSE_WAIT || (s) == TCP_CLOSING || \
                              (s) == TCP_LAST_ACK || (s) == TCP_TIME_WAIT)

/* "SYN-RECEIVED": RFC 9293 spelling. */
const char *tcp_state_name(int state);

enum tcp_isn_policy {
	TCP_ISN_HASH,		/* RFC 6528: 4 us clock + keyed hash of 4-tuple */
	TCP_ISN_CLOCK,		/* RFC 793: the 4 us clock alone */
	TCP_ISN_RANDOM,		/* a draw from the host's stream */
	TCP_ISN_ZERO,		/* 0, for teaching */
};

/*
 * A profile: every knob of host behaviour with a default taken from a real
 * stack or from the RFCs.  Each field is overridable per host by name
 * (tcp_profile_set).
 */
struct tcp_profile {
	char name[24];
	simtime rto_initial;	/* RFC 6298 2.1 */
	simtime rto_min, rto_max;
	simtime rto_var_min;	/* floor of the 4*RTTVAR term (G or Linux's 200 ms) */
	int syn_retries;	/* SYN retransmissions before ETIMEDOUT */
	int syn_linear_timeouts;	/* first N SYN retries keep rto_initial */
	int synack_retries;	/* SYN-ACK retransmissions before the
	                         * half-open connection is dropped */
	bool backlog_plus_one;	/* the listen queue holds backlog + 1 */
	int somaxconn;		/* listen() backlogs are capped at this;
				 * 0: no cap */
	int syncookies;		/* 0 never, 1 when the listen queue is full,
				 * 2 always (tcp_syncookies) */
	bool synack_prune;	/* fewer SYN-ACK retries for old requests
				 * while the listen queue is over half full */
	int data_retries;	/* data/FIN retransmissions before ETIMEDOUT */
	simtime msl;		/* maximum segment lifetime; setting it as a
				 * knob sets time_wait to 2*MSL */
	simtime time_wait;	/* TIME-WAIT length (2*MSL in rfc) */
	simtime fin_wait_2_timeout;	/* orphaned FIN-WAIT-2 limit; 0: none */
	simtime delack;		/* delayed-ACK time; 0: ACK every segment */
	int quickacks;		/* segments ACKed at once after the handshake */
	bool ack_by_bytes;	/* ACK once more than a segment's worth of
				 * bytes is unacknowledged (Linux), not
				 * every second segment (RFC 1122) */
	bool fin_ack_delayed;	/* ACK of a FIN waits for delack (may ride
	                         * on our own FIN) */
	bool tlp;		/* tail loss probe, RFC 8985 */
	bool rack;		/* with SACK, RACK finds losses (RFC 8985 6),
				 * else RFC 6675; SACKed data survives a
				 * timeout */
	simtime tlp_delack_max;	/* WCDelAckT of RFC 8985 7.2: added to the
				 * probe timeout for one segment out */
	simtime tlp_slack;	/* added for more than one (Linux's
				 * TCP_TIMEOUT_MIN_US; RFC 8985: none) */
	uint16_t mss;		/* MSS we offer */
	uint32_t rcv_wnd;	/* receive window in bytes */
	uint8_t wscale;		/* shift we offer */
	bool wnd_round_mss;	/* the initial window is rcv_wnd rounded down
				 * to whole segments of the MSS in use, as
				 * Linux's tcp_select_initial_window */
	bool wnd_align;		/* a scaled window field is rounded up to a
				 * whole scale unit, as Linux's
				 * __tcp_select_window (else truncated) */
	bool timer_wheel;	/* timers expire on a Linux timer wheel tick
				 * (tcp_timer.c), not on the nanosecond */
	int hz;			/* the wheel's ticks per second (CONFIG_HZ) */
	bool opt_wscale, opt_sack, opt_ts;	/* options we offer */
	bool rfc1337;		/* ignore RST in TIME-WAIT */
	bool tw_reuse;		/* a new outgoing connection may take the
				 * 4-tuple of one in TIME-WAIT (Linux's
				 * tcp_tw_reuse = 1) */
	bool time_wait_restart;	/* TIME-WAIT as Linux keeps it: any segment
				 * with ACK restarts the timer, inexact RSTs
				 * are ignored without a challenge */
	bool abort_on_data;	/* data after close() is answered with RST
				 * (RFC 1122 4.2.2.13) */
	bool abort_on_overflow;	/* a full accept queue answers the final
				 * ACK with RST instead of dropping it
				 * (Linux's tcp_abort_on_overflow, 0 by
				 * default) */
	bool abort_rst_ack;	/* abort()'s reset carries an ACK, as Linux's
				 * tcp_send_active_reset (RFC 9293 3.10.5
				 * shows a bare RST) */
	bool embryonic_rst;	/* passive SYN-RECEIVED as a Linux request
				 * sock: a new SYN gets RST, any RST in the
				 * window resets (else a SYN goes back to
				 * LISTEN in silence, an inexact RST gets a
				 * challenge ACK) */
	bool icmp_hard_syn_sent;	/* an ICMP host unreachable about our
					 * SYN aborts the connect (Linux's
					 * tcp_v4_err); else it is a soft
					 * error (RFC 1122 4.2.3.9) */
	bool unsent_ack_silent;	/* in ESTABLISHED an ACK of data never sent
				 * is dropped without an answer */
	int challenge_ack_limit;	/* per second per host; 0: no limit */
	simtime invalid_ratelimit;	/* per connection: at most one ACK for
					 * out-of-window segments per this time */
	enum tcp_isn_policy isn;
	int backlog;		/* default accept-queue limit */
	simtime connect_timeout;	/* default app connect timeout; 0: none */
};

/* Fill p with the named profile ("linux", "linux-6.18", "rfc"); -1 if
 * unknown. */
int tcp_profile_get(const char *name, struct tcp_profile *p);
/* The profile names, NULL-terminated. */
extern const char *const tcp_profile_names[];

/* Knob access by name for scenarios; kinds say how to read the value. */
enum tcp_knob_kind { KNOB_TIME, KNOB_INT, KNOB_BOOL, KNOB_ISN };
struct tcp_knob {
	const char *name;
	enum tcp_knob_kind kind;
	size_t offset, size;	/* where the field is, and its width */
	int64_t min, max;	/* for KNOB_INT and KNOB_TIME */
};
extern const struct tcp_knob tcp_knobs[];	/* NULL-name terminated */
const struct tcp_knob *tcp_knob_find(const char *name);
/* Set knob k of p from an integer (times in ns, bools 0/1, ISN policy
 * index); -1 if out of range.  msl sets time_wait to 2*msl as well. */
int tcp_knob_set(struct tcp_profile *p, const struct tcp_knob *k, int64_t v);
int64_t tcp_knob_get(const struct tcp_profile *p, const struct tcp_knob *k);
extern const char *const tcp_isn_names[];	/* by enum tcp_isn_policy */

struct tcp_conn;
struct tcp_listener;

/* What an application hears.  Any pointer may be NULL. */
struct tcp_app {
	/* An active open reached ESTABLISHED. */
	void (*connected)(void *ctx, struct tcp_conn *c);
	/* A listener's connection is ready to be accepted (ESTABLISHED). */
	void (*accepted)(void *ctx, struct tcp_listener *l, struct tcp_conn *c);
	/* In-order bytes arrived; data is NULL when the sender sent counts. */
	void (*data)(void *ctx, struct tcp_conn *c, uint32_t n,
	             const unsigned char *data);
	/* The peer's FIN arrived: no more data will come. */
	void (*eof)(void *ctx, struct tcp_conn *c);
	/* The connection is gone (CLOSED); err is 0 or SIM_E*. */
	void (*closed)(void *ctx, struct tcp_conn *c, int err);
	/* A listener that accepts by hand has a completed connection
	 * waiting in its accept queue. */
	void (*ready)(void *ctx, struct tcp_listener *l);
};

struct tcp_host;

/* Give node a TCP host with the given profile. */
struct tcp_host *tcp_host_new(struct node *n, const struct tcp_profile *p);
void tcp_host_free(struct tcp_host *h);
void tcp_host_set_app(struct tcp_host *h, const struct tcp_app *app, void *ctx);
struct tcp_profile *tcp_host_profile(struct tcp_host *h);
struct node *tcp_host_node(const struct tcp_host *h);

/* A segment for this host arrived (called by the network; p stays the
 * caller's). */
void tcp_input(struct tcp_host *h, const struct pkt *p);
/* An ICMP error for this host arrived (p->icmp; p stays the caller's). */
void tcp_icmp_input(struct tcp_host *h, const struct pkt *p);

/* Listening: at most one listener per port. */
struct tcp_listener *tcp_listen(struct tcp_host *h, uint16_t port,
                                int backlog, int *err);
void tcp_listener_close(struct tcp_listener *l);
uint16_t tcp_listener_port(const struct tcp_listener *l);
/* The open listener on port, or NULL. */
struct tcp_listener *tcp_host_listener(struct tcp_host *h, uint16_t port);
/* The host's listeners in the order they were made, closed ones too. */
int tcp_host_nlisteners(const struct tcp_host *h);
const struct tcp_listener *tcp_host_listener_at(const struct tcp_host *h,
                                                int i);
int tcp_listener_backlog(const struct tcp_listener *l);
bool tcp_listener_closed(const struct tcp_listener *l);
uint64_t tcp_listener_syn_dropped(const struct tcp_listener *l);
/* SYN-ACKs sent with a SYN cookie; ACKs that returned a valid one. */
uint64_t tcp_listener_cookies_sent(const struct tcp_listener *l);
uint64_t tcp_listener_cookies_accepted(const struct tcp_listener *l);
uint64_t tcp_listener_accepted(const struct tcp_listener *l);

/*
 * The accept queue (tcp_accept.c).  By default the application accepts
 * each connection the moment its handshake completes.  A listener set to
 * accept by hand keeps completed connections in its accept queue, bounded
 * by the backlog as Linux bounds it, until tcp_listener_accept() takes the
 * oldest; what arrives for them meanwhile is held for the application.
 */
void tcp_listener_set_manual(struct tcp_listener *l, bool manual);
/* The oldest completed connection (told to the application now, with
 * what it has received, and its end if it already closed), or NULL. */
struct tcp_conn *tcp_listener_accept(struct tcp_listener *l);
int tcp_listener_synq_len(const struct tcp_listener *l);
int tcp_listener_acceptq_len(const struct tcp_listener *l);
/* Handshakes completed into a full accept queue, and SYNs dropped for
 * one (Linux's ListenOverflows). */
uint64_t tcp_listener_accept_overflows(const struct tcp_listener *l);

struct tcp_connect_opts {
	uint16_t lport;		/* 0: ephemeral */
	simtime timeout;	/* app's connect timeout; 0: none */
	bool isn_fixed;		/* use isn instead of the profile's policy */
	uint32_t isn;
};

/* Active open now: sends the SYN.  Returns the connection (in SYN-SENT)
 * or NULL with *err set. */
struct tcp_conn *tcp_connect(struct tcp_host *h, uint32_t raddr,
                             uint16_t rport,
                             const struct tcp_connect_opts *o, int *err);

/* User calls (RFC 9293 3.10.2-3.10.5); 0 or a SIM_E* code. */
int tcp_send(struct tcp_conn *c, uint64_t n, const unsigned char *data);
int tcp_shutdown(struct tcp_conn *c);	/* no more sends: FIN after data */
int tcp_close(struct tcp_conn *c);	/* shutdown, and the app is done */
int tcp_abort(struct tcp_conn *c);	/* RST */

/* Read-only view of a connection. */
struct tcp_conn_info {
	int id;			/* per host, from 1, in creation order */
	enum tcp_state state;
	uint32_t laddr, raddr;
	uint16_t lport, rport;
	bool passive;
	uint32_t iss, irs;
	uint32_t snd_una, snd_nxt, rcv_nxt;
	uint16_t mss;		/* effective send MSS */
	uint16_t peer_mss;
	int snd_wscale, rcv_wscale;	/* -1 when not negotiated */
	bool sack, ts;		/* negotiated */
	simtime t_open;		/* connect() call or SYN arrival */
	simtime t_established;	/* -1 until then */
	simtime t_closed;	/* -1 until then */
	int retransmits;	/* segments retransmitted */
	int error;		/* 0 or SIM_E* once closed with an error */
	uint64_t bytes_sent, bytes_acked, bytes_received;
	simtime srtt, rttvar, rto;
};
void tcp_conn_info(const struct tcp_conn *c, struct tcp_conn_info *out);
struct tcp_host *tcp_conn_host(const struct tcp_conn *c);
int tcp_conn_id(const struct tcp_conn *c);
/* The peer's address (a shrunk record's too). */
uint32_t tcp_conn_raddr(const struct tcp_conn *c);
enum tcp_state tcp_conn_state(const struct tcp_conn *c);

/* Connections of a host, in creation order (those known to the app and
 * those still live); n from 1.  NULL for a forgotten one
 * (tcp_host_forget_closed). */
struct tcp_conn *tcp_host_conn(const struct tcp_host *h, int n);
int tcp_host_nconns(const struct tcp_host *h);

/* The app's per-connection tag (e.g. a Lua reference); 0 by default. */
void tcp_conn_set_tag(struct tcp_conn *c, intptr_t tag);
intptr_t tcp_conn_tag(const struct tcp_conn *c);

/* Let closed connections shrink to a small record once released: the
 * application promises to hold no pointer to a closed connection whose
 * tag is 0 past tcp_conn_release (or past its closed() callback), and to
 * read connections again only through tcp_host_conn.  Off by default. */
void tcp_host_shrink_closed(struct tcp_host *h, bool on);
/* The application no longer holds c (its tag is 0): once closed it may
 * shrink, and c is then no longer valid. */
void tcp_conn_release(struct tcp_conn *c);

/* Let closed connections, once released, go altogether instead of
 * shrinking (for runs where nothing reads them after they close): their
 * numbers stay taken (tcp_host_nconns counts them), tcp_host_conn
 * returns NULL for them, and only their outcomes are kept.  Off by
 * default; implies shrinking. */
void tcp_host_forget_closed(struct tcp_host *h, bool on);
/* The outcomes of the forgotten connections: closed after being
 * established, closed without ever being, and by error (-SIM_E*). */
struct tcp_forgotten {
	uint64_t closed, never;
	uint64_t error[SIM_ENERRORS];
};
const struct tcp_forgotten *tcp_host_forgotten(const struct tcp_host *h);

#endif
