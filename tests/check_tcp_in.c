/*
 * check_tcp_in.c - segment arrival as a table: every (state, event) pair,
 * driven on a connection built directly in that state, against the next
 * state and the reply RFC 9293 3.10 prescribes, for the linux and the
 * rfc profile.
 *
 * The connection under test is the client's 10.0.0.1:5000 <->
 * 10.0.0.2:80 with ISS 1000 and IRS 5000; SYN-RECEIVED is the server's
 * passive side of the same 4-tuple.  Segments come from the peer.
 */
#include <stdio.h>
#include <string.h>

#include "helpers.h"
#include "tcp_state.h"
#include "tcp/tcp_int.h"
#include "tcp_fixture.h"

enum ev {
	EV_SYN,		/* a new SYN, seq 7000 (in the window) */
	EV_SYNACK,	/* SYN+ACK: seq IRS, ack ISS+1 */
	EV_ACK,		/* ACK of everything we sent, seq RCV.NXT */
	EV_FIN,		/* FIN+ACK at RCV.NXT, not acknowledging our FIN */
	EV_FINACK,	/* FIN+ACK at RCV.NXT acknowledging everything */
	EV_FIN_RETX,	/* FIN+ACK one below RCV.NXT: the peer's FIN again
			 * where we have it, else an old segment */
	EV_RST,		/* RST at exactly RCV.NXT */
	EV_RST_INWIN,	/* RST inside the window, not exact */
	EV_RSTACK,	/* RST+ACK at RCV.NXT acknowledging all we sent */
	EV_CLOSE,	/* user CLOSE (LISTEN: the listener closes) */
	EV_ABORT,	/* user ABORT (LISTEN: the listener closes) */
	EV_TIMEOUT,	/* let every timer run out */
	EV_N
};

static const char *const ev_names[EV_N] = {
	"SYN", "SYN+ACK", "ACK", "FIN", "FIN+ACK(all)", "FIN again", "RST exact",
	"RST in window", "RST+ACK", "close()", "abort()", "timeout",
};

#define CL TCP_CLOSED
#define LI TCP_LISTEN
#define SS TCP_SYN_SENT
#define SR TCP_SYN_RECEIVED
#define ES TCP_ESTABLISHED
#define CW TCP_CLOSE_WAIT
#define F1 TCP_FIN_WAIT_1
#define CG TCP_CLOSING
#define LA TCP_LAST_ACK
#define F2 TCP_FIN_WAIT_2
#define TW TCP_TIME_WAIT

#define S TH_SYN
#define A TH_ACK
#define SA (TH_SYN | TH_ACK)
#define FA (TH_FIN | TH_ACK)
#define R TH_RST
#define RA (TH_RST | TH_ACK)

/* What a cell expects: the state after the event, the first segment the
 * host sends (flags 0: none), how many ms after the event, and how many
 * segments it sends in all (within 250 ms, or until every timer has run
 * out for the timeout event). */
struct want {
	int next;
	uint8_t flags;
	uint32_t seq, ack;
	int ms, n;
};

struct cell {
	struct want linux, rfc;
	const char *rule;
};

#define AT(st, fl, s, a, ms, n) { st, fl, s, a, ms, n }
#define NONE(st) AT(st, 0, 0, 0, 0, 0)
#define SEND(st, fl, s, a) AT(st, fl, s, a, 0, 1)
#define BOTH(w, rule) { w, w, rule }
#define SPLIT(wl, wr, rule) { wl, wr, rule }

/*
 * Every (state, event) cell with the next state and the reply RFC 9293
 * 3.10 prescribes (with RFC 5961's challenge ACKs), for the linux and
 * rfc profiles; where they differ the rule names the knob.  Each event
 * is a segment shape defined in every state, so no cell is left out:
 * the CLOSED and LISTEN rows get the numbers of the ESTABLISHED
 * connection (a peer that still believes in a connection this host does
 * not have), and in SYN-SENT RCV.NXT is 0.  Where the RFC says a passive
 * SYN-RECEIVED "returns to LISTEN", the listener stays and the
 * connection record ends CLOSED.  In the LISTEN row the state is the
 * listener's, or that of the connection a SYN made.
 */
static const struct cell cells[TCP_NSTATES][EV_N] = {
	/* ---- CLOSED: 3.10.7.1, a RST for anything but a RST;
	 * 3.10.4, 3.10.5: CLOSE and ABORT are errors ---- */
	[CL][EV_SYN] = BOTH(SEND(CL, RA, 0, 7001),
	                    "3.10.7.1: no ACK: <SEQ=0><ACK=SEG.SEQ+SEG.LEN>"
	                    "<CTL=RST,ACK>"),
	[CL][EV_SYNACK] = BOTH(SEND(CL, R, 1001, 0),
	                       "3.10.7.1: ACK: <SEQ=SEG.ACK><CTL=RST>"),
	[CL][EV_ACK] = BOTH(SEND(CL, R, 1001, 0), "3.10.7.1"),
	[CL][EV_FIN] = BOTH(SEND(CL, R, 1001, 0), "3.10.7.1"),
	[CL][EV_FINACK] = BOTH(SEND(CL, R, 1001, 0), "3.10.7.1"),
	[CL][EV_FIN_RETX] = BOTH(SEND(CL, R, 1001, 0), "3.10.7.1"),
	[CL][EV_RST] = BOTH(NONE(CL), "3.10.7.1: a RST is discarded"),
	[CL][EV_RST_INWIN] = BOTH(NONE(CL), "3.10.7.1"),
	[CL][EV_RSTACK] = BOTH(NONE(CL), "3.10.7.1"),
	[CL][EV_CLOSE] = BOTH(NONE(CL), "3.10.4: connection does not exist"),
	[CL][EV_ABORT] = BOTH(NONE(CL), "3.10.5: connection does not exist"),
	[CL][EV_TIMEOUT] = BOTH(NONE(CL), "no timer runs"),

	/* ---- LISTEN: 3.10.7.2 ---- */
	[LI][EV_SYN] = BOTH(SEND(SR, SA, 0, 7001),
	                    "3.10.7.2 third: <SEQ=ISS><ACK=RCV.NXT>"
	                    "<CTL=SYN,ACK> (ISS 0: isn zero for the table)"),
	[LI][EV_SYNACK] = BOTH(SEND(LI, R, 1001, 0),
	                       "3.10.7.2 second: any ACK: <SEQ=SEG.ACK>"
	                       "<CTL=RST>"),
	[LI][EV_ACK] = BOTH(SEND(LI, R, 1001, 0), "3.10.7.2 second"),
	[LI][EV_FIN] = BOTH(SEND(LI, R, 1001, 0), "3.10.7.2 second"),
	[LI][EV_FINACK] = BOTH(SEND(LI, R, 1001, 0), "3.10.7.2 second"),
	[LI][EV_FIN_RETX] = BOTH(SEND(LI, R, 1001, 0), "3.10.7.2 second"),
	[LI][EV_RST] = BOTH(NONE(LI), "3.10.7.2 first: a RST is ignored"),
	[LI][EV_RST_INWIN] = BOTH(NONE(LI), "3.10.7.2 first"),
	[LI][EV_RSTACK] = BOTH(NONE(LI), "3.10.7.2 first"),
	[LI][EV_CLOSE] = BOTH(NONE(CL), "3.10.4 LISTEN: delete the TCB"),
	[LI][EV_ABORT] = BOTH(NONE(CL), "3.10.5 LISTEN: delete the TCB"),
	[LI][EV_TIMEOUT] = BOTH(NONE(LI), "no timer runs"),

	/* ---- SYN-SENT: 3.10.7.3 ---- */
	[SS][EV_SYN] = BOTH(SEND(SR, SA, 1000, 7001),
	                    "3.10.7.3 fourth: simultaneous open, "
	                    "<SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>"),
	[SS][EV_SYNACK] = BOTH(SEND(ES, A, 1001, 5001),
	                       "3.10.7.3 fourth: <SEQ=SND.NXT><ACK=RCV.NXT>"
	                       "<CTL=ACK>"),
	[SS][EV_ACK] = BOTH(NONE(SS), "3.10.7.3 fifth: neither SYN nor RST"),
	[SS][EV_FIN] = BOTH(SEND(SS, R, 1000, 0),
	                    "3.10.7.3 first: SEG.ACK =< ISS: <SEQ=SEG.ACK>"
	                    "<CTL=RST>"),
	[SS][EV_FINACK] = BOTH(NONE(SS), "3.10.7.3 fifth"),
	[SS][EV_FIN_RETX] = BOTH(NONE(SS), "3.10.7.3 fifth"),
	[SS][EV_RST] = BOTH(NONE(SS), "3.10.7.3 second: no ACK: drop"),
	[SS][EV_RST_INWIN] = BOTH(NONE(SS), "3.10.7.3 second: no ACK: drop"),
	[SS][EV_RSTACK] = BOTH(NONE(CL), "3.10.7.3 second: connection reset"),
	[SS][EV_CLOSE] = BOTH(NONE(CL), "3.10.4 SYN-SENT: delete the TCB"),
	[SS][EV_ABORT] = BOTH(NONE(CL), "3.10.5 SYN-SENT: delete the TCB"),
	[SS][EV_TIMEOUT] = SPLIT(AT(CL, S, 1000, 0, 1000, 6),
	                         AT(CL, S, 1000, 0, 1000, 7),
	                         "3.8.3 R2: syn_retries 6 / 7"),

	/* ---- SYN-RECEIVED (passive): 3.10.7.4 ---- */
	[SR][EV_SYN] = SPLIT(SEND(CL, RA, 0, 7001), NONE(CL),
	                     "3.10.7.4 fourth: passive: return to LISTEN; "
	                     "embryonic_rst: linux resets (tcp_check_req)"),
	[SR][EV_SYNACK] = BOTH(SEND(SR, A, 1001, 5001),
	                       "3.10.7.4 first: below the window: <SEQ=SND.NXT>"
	                       "<ACK=RCV.NXT><CTL=ACK>"),
	[SR][EV_ACK] = BOTH(NONE(ES), "3.10.7.4 fifth: SND.UNA < SEG.ACK =< "
	                    "SND.NXT: ESTABLISHED"),
	[SR][EV_FIN] = BOTH(SEND(SR, R, 1000, 0),
	                    "3.10.7.4 fifth: unacceptable ACK: <SEQ=SEG.ACK>"
	                    "<CTL=RST>"),
	[SR][EV_FINACK] = SPLIT(AT(CW, A, 1001, 5002, 40, 1),
	                        SEND(CW, A, 1001, 5002),
	                        "3.10.7.4 fifth, eighth: CLOSE-WAIT; "
	                        "fin_ack_delayed: linux waits delack"),
	[SR][EV_FIN_RETX] = BOTH(SEND(SR, A, 1001, 5001), "3.10.7.4 first"),
	[SR][EV_RST] = BOTH(NONE(CL), "3.10.7.4 second: passive: return to "
	                    "LISTEN"),
	[SR][EV_RST_INWIN] = SPLIT(NONE(CL), SEND(SR, A, 1001, 5001),
	                           "3.10.7.4 second: challenge ACK (RFC 5961 "
	                           "3.2); linux: tcp_check_req resets the "
	                           "request on any RST in the window"),
	[SR][EV_RSTACK] = BOTH(NONE(CL), "3.10.7.4 second"),
	[SR][EV_CLOSE] = BOTH(SEND(F1, FA, 1001, 5001),
	                      "3.10.4 SYN-RECEIVED: nothing to send: FIN"),
	[SR][EV_ABORT] = SPLIT(SEND(CL, RA, 1001, 5001), SEND(CL, R, 1001, 0),
	                       "3.10.5: <SEQ=SND.NXT><CTL=RST>; linux: with "
	                       "ACK (abort_rst_ack)"),
	[SR][EV_TIMEOUT] = SPLIT(AT(CL, SA, 1000, 5001, 1000, 5),
	                         AT(CL, SA, 1000, 5001, 1000, 7),
	                         "3.8.3 R2: synack_retries 5 / 7"),

	/* ---- ESTABLISHED: 3.10.7.4 ---- */
	[ES][EV_SYN] = BOTH(SEND(ES, A, 1001, 5001),
	                    "3.10.7.4 fourth: challenge ACK (RFC 5961 4.2)"),
	[ES][EV_SYNACK] = BOTH(SEND(ES, A, 1001, 5001), "3.10.7.4 first"),
	[ES][EV_ACK] = BOTH(NONE(ES), "3.10.7.4 fifth"),
	[ES][EV_FIN] = SPLIT(AT(CW, A, 1001, 5002, 40, 1),
	                     SEND(CW, A, 1001, 5002),
	                     "3.10.7.4 eighth: CLOSE-WAIT; fin_ack_delayed"),
	[ES][EV_FINACK] = SPLIT(AT(CW, A, 1001, 5002, 40, 1),
	                        SEND(CW, A, 1001, 5002),
	                        "3.10.7.4 eighth; fin_ack_delayed"),
	[ES][EV_FIN_RETX] = BOTH(SEND(ES, A, 1001, 5001), "3.10.7.4 first"),
	[ES][EV_RST] = BOTH(NONE(CL), "3.10.7.4 second: connection reset"),
	[ES][EV_RST_INWIN] = BOTH(SEND(ES, A, 1001, 5001),
	                          "3.10.7.4 second: challenge ACK (RFC 5961 "
	                          "3.2)"),
	[ES][EV_RSTACK] = BOTH(NONE(CL), "3.10.7.4 second"),
	[ES][EV_CLOSE] = BOTH(SEND(F1, FA, 1001, 5001), "3.10.4 ESTABLISHED"),
	[ES][EV_ABORT] = SPLIT(SEND(CL, RA, 1001, 5001), SEND(CL, R, 1001, 0),
	                       "3.10.5; linux: abort_rst_ack"),
	[ES][EV_TIMEOUT] = BOTH(NONE(ES), "nothing outstanding: no timer"),

	/* ---- CLOSE-WAIT ---- */
	[CW][EV_SYN] = BOTH(SEND(CW, A, 1001, 5002), "3.10.7.4 fourth"),
	[CW][EV_SYNACK] = BOTH(SEND(CW, A, 1001, 5002), "3.10.7.4 first"),
	[CW][EV_ACK] = BOTH(NONE(CW), "3.10.7.4 fifth"),
	/* A FIN at RCV.NXT after the FIN we took: no peer sends one.  It
	 * is acknowledged (3.10.7.4, eighth check) and RCV.NXT stays past
	 * the first FIN.  Linux is silent in CLOSE-WAIT, CLOSING and
	 * LAST-ACK (tcp_rcv_state_process ignores text there); the linux
	 * profile does not model that. */
	[CW][EV_FIN] = BOTH(SEND(CW, A, 1001, 5002),
	                    "3.10.7.4 eighth: CLOSE-WAIT: remain; the FIN "
	                    "is acknowledged"),
	[CW][EV_FINACK] = BOTH(SEND(CW, A, 1001, 5002), "3.10.7.4 eighth"),
	[CW][EV_FIN_RETX] = BOTH(SEND(CW, A, 1001, 5002), "3.10.7.4 first"),
	[CW][EV_RST] = BOTH(NONE(CL), "3.10.7.4 second"),
	[CW][EV_RST_INWIN] = BOTH(SEND(CW, A, 1001, 5002), "3.10.7.4 second"),
	[CW][EV_RSTACK] = BOTH(NONE(CL), "3.10.7.4 second"),
	[CW][EV_CLOSE] = BOTH(SEND(LA, FA, 1001, 5002), "3.10.4 CLOSE-WAIT"),
	[CW][EV_ABORT] = SPLIT(SEND(CL, RA, 1001, 5002), SEND(CL, R, 1001, 0),
	                       "3.10.5; linux: abort_rst_ack"),
	[CW][EV_TIMEOUT] = BOTH(NONE(CW), "nothing outstanding: no timer"),

	/* ---- FIN-WAIT-1: our FIN (1001) outstanding ---- */
	[F1][EV_SYN] = BOTH(SEND(F1, A, 1002, 5001), "3.10.7.4 fourth"),
	[F1][EV_SYNACK] = BOTH(SEND(F1, A, 1002, 5001), "3.10.7.4 first"),
	[F1][EV_ACK] = BOTH(NONE(F2), "3.10.7.4 fifth: FIN acknowledged"),
	[F1][EV_FIN] = BOTH(SEND(CG, A, 1002, 5002), "3.10.7.4 eighth"),
	[F1][EV_FINACK] = BOTH(SEND(TW, A, 1002, 5002), "3.10.7.4 eighth"),
	[F1][EV_FIN_RETX] = BOTH(SEND(F1, A, 1002, 5001), "3.10.7.4 first"),
	[F1][EV_RST] = BOTH(NONE(CL), "3.10.7.4 second"),
	[F1][EV_RST_INWIN] = BOTH(SEND(F1, A, 1002, 5001), "3.10.7.4 second"),
	[F1][EV_RSTACK] = BOTH(NONE(CL), "3.10.7.4 second"),
	[F1][EV_CLOSE] = BOTH(NONE(F1), "3.10.4 FIN-WAIT-1: no second FIN"),
	[F1][EV_ABORT] = SPLIT(SEND(CL, RA, 1002, 5001), SEND(CL, R, 1002, 0),
	                       "3.10.5; linux: abort_rst_ack"),
	[F1][EV_TIMEOUT] = SPLIT(AT(CL, FA, 1001, 5001, 1000, 15),
	                         AT(CL, FA, 1001, 5001, 1000, 8),
	                         "3.8.3 R2: data_retries 15 / 8"),

	/* ---- CLOSING ---- */
	[CG][EV_SYN] = BOTH(SEND(CG, A, 1002, 5002), "3.10.7.4 fourth"),
	[CG][EV_SYNACK] = BOTH(SEND(CG, A, 1002, 5002), "3.10.7.4 first"),
	[CG][EV_ACK] = BOTH(NONE(TW), "3.10.7.4 fifth: FIN acknowledged"),
	[CG][EV_FIN] = BOTH(SEND(CG, A, 1002, 5002), "3.10.7.4 eighth"),
	[CG][EV_FINACK] = SPLIT(NONE(TW), SEND(TW, A, 1002, 5002),
	                        "3.10.7.4 fifth, eighth: TIME-WAIT, the FIN "
	                        "acknowledged; time_wait_restart: linux "
	                        "consumes the segment in CLOSING"),
	[CG][EV_FIN_RETX] = BOTH(SEND(CG, A, 1002, 5002), "3.10.7.4 first"),
	[CG][EV_RST] = BOTH(NONE(CL), "3.10.7.4 second"),
	[CG][EV_RST_INWIN] = BOTH(SEND(CG, A, 1002, 5002), "3.10.7.4 second"),
	[CG][EV_RSTACK] = BOTH(NONE(CL), "3.10.7.4 second"),
	[CG][EV_CLOSE] = BOTH(NONE(CG), "3.10.4 CLOSING: connection closing"),
	[CG][EV_ABORT] = BOTH(NONE(CL), "3.10.5 CLOSING: no reset"),
	[CG][EV_TIMEOUT] = SPLIT(AT(CL, FA, 1001, 5002, 1000, 15),
	                         AT(CL, FA, 1001, 5002, 1000, 8),
	                         "3.8.3 R2: data_retries 15 / 8"),

	/* ---- LAST-ACK ---- */
	[LA][EV_SYN] = BOTH(SEND(LA, A, 1002, 5002), "3.10.7.4 fourth"),
	[LA][EV_SYNACK] = BOTH(SEND(LA, A, 1002, 5002), "3.10.7.4 first"),
	[LA][EV_ACK] = BOTH(NONE(CL), "3.10.7.4 fifth: FIN acknowledged"),
	[LA][EV_FIN] = BOTH(SEND(LA, A, 1002, 5002), "3.10.7.4 eighth"),
	[LA][EV_FINACK] = BOTH(NONE(CL), "3.10.7.4 fifth"),
	[LA][EV_FIN_RETX] = BOTH(SEND(LA, A, 1002, 5002), "3.10.7.4 first"),
	[LA][EV_RST] = BOTH(NONE(CL), "3.10.7.4 second"),
	[LA][EV_RST_INWIN] = BOTH(SEND(LA, A, 1002, 5002), "3.10.7.4 second"),
	[LA][EV_RSTACK] = BOTH(NONE(CL), "3.10.7.4 second"),
	[LA][EV_CLOSE] = BOTH(NONE(LA), "3.10.4 LAST-ACK: connection closing"),
	[LA][EV_ABORT] = BOTH(NONE(CL), "3.10.5 LAST-ACK: no reset"),
	[LA][EV_TIMEOUT] = SPLIT(AT(CL, FA, 1001, 5002, 1000, 15),
	                         AT(CL, FA, 1001, 5002, 1000, 8),
	                         "3.8.3 R2: data_retries 15 / 8"),

	/* ---- FIN-WAIT-2 ---- */
	[F2][EV_SYN] = BOTH(SEND(F2, A, 1002, 5001), "3.10.7.4 fourth"),
	[F2][EV_SYNACK] = BOTH(SEND(F2, A, 1002, 5001), "3.10.7.4 first"),
	[F2][EV_ACK] = BOTH(NONE(F2), "3.10.7.4 fifth"),
	[F2][EV_FIN] = BOTH(SEND(TW, A, 1002, 5002), "3.10.7.4 eighth"),
	[F2][EV_FINACK] = BOTH(SEND(TW, A, 1002, 5002), "3.10.7.4 eighth"),
	[F2][EV_FIN_RETX] = BOTH(SEND(F2, A, 1002, 5001), "3.10.7.4 first"),
	[F2][EV_RST] = BOTH(NONE(CL), "3.10.7.4 second"),
	[F2][EV_RST_INWIN] = BOTH(SEND(F2, A, 1002, 5001), "3.10.7.4 second"),
	[F2][EV_RSTACK] = BOTH(NONE(CL), "3.10.7.4 second"),
	[F2][EV_CLOSE] = BOTH(NONE(F2), "3.10.4 FIN-WAIT-2: no second FIN"),
	[F2][EV_ABORT] = SPLIT(SEND(CL, RA, 1002, 5001), SEND(CL, R, 1002, 0),
	                       "3.10.5; linux: abort_rst_ack"),
	[F2][EV_TIMEOUT] = BOTH(NONE(F2), "not orphaned: FIN-WAIT-2 waits"),

	/* ---- TIME-WAIT ---- */
	[TW][EV_SYN] = BOTH(SEND(TW, A, 1002, 5002),
	                    "3.10.7.4 fourth; linux: "
	                    "tcp_timewait_state_process ACKs a SYN with no "
	                    "listener"),
	[TW][EV_SYNACK] = BOTH(SEND(TW, A, 1002, 5002), "3.10.7.4 first"),
	[TW][EV_ACK] = BOTH(NONE(TW), "3.10.7.4 fifth"),
	[TW][EV_FIN] = BOTH(SEND(TW, A, 1002, 5002),
	                    "3.10.7.4 eighth: TIME-WAIT: acknowledge, "
	                    "restart 2 MSL"),
	[TW][EV_FINACK] = BOTH(SEND(TW, A, 1002, 5002), "3.10.7.4 eighth"),
	[TW][EV_FIN_RETX] = BOTH(SEND(TW, A, 1002, 5002),
	                         "3.10.7.4 eighth: TIME-WAIT: acknowledge the "
	                         "FIN, restart 2 MSL"),
	[TW][EV_RST] = BOTH(NONE(CL), "3.10.7.4 second (rfc1337 off in both)"),
	[TW][EV_RST_INWIN] = SPLIT(NONE(TW), SEND(TW, A, 1002, 5002),
	                           "3.10.7.4 second: challenge ACK; "
	                           "time_wait_restart: linux ignores it"),
	[TW][EV_RSTACK] = BOTH(NONE(CL), "3.10.7.4 second"),
	[TW][EV_CLOSE] = BOTH(NONE(TW), "3.10.4 TIME-WAIT: connection closing"),
	[TW][EV_ABORT] = BOTH(NONE(CL), "3.10.5 TIME-WAIT: no reset"),
	[TW][EV_TIMEOUT] = BOTH(NONE(CL), "3.10.8: time-wait timeout"),
};

static const char *
drop_all(void *ctx, const struct pkt *p)
{
	(void)ctx;
	(void)p;
	return "nothing answers";
}

/* The peer is this test, not a TCP: what the connection sends is
 * recorded and lost, and applications do nothing by themselves. */
static void
setup_profile(const char *profile)
{
	fx_setup(profile, 50 * SIMTIME_MS);
	fx->net->tap = drop_all;
	fx->server_close_on_eof = false;
}

/* The linux profile with its timers on the nanosecond (timer_wheel
 * off): this suite pins the rules of RFC 9293's segment arrival, which
 * segment each (state, event) sends and when a timer is (re)started,
 * in exact times; when the timer wheel then fires it is check_tcp's and
 * check_tcp_timer's business. */
static void
setup_linux_exact(void)
{
	setup_profile("linux");
	tcp_host_profile(fx->client->tcp)->timer_wheel = false;
	tcp_host_profile(fx->server->tcp)->timer_wheel = false;
}

static void
setup(void)
{
	setup_linux_exact();
}

/* The table runs once per profile; which one, the tcase's fixture says
 * (each test runs in a child of its own, so a static is safe). */
static bool table_rfc;

static void
setup_table_linux(void)
{
	table_rfc = false;
	setup_linux_exact();
	/* The ISS of a connection a SYN makes in LISTEN, made readable. */
	fx->server->tcp->prof.isn = TCP_ISN_ZERO;
}

static void
setup_table_rfc(void)
{
	table_rfc = true;
	setup_profile("rfc");
	fx->server->tcp->prof.isn = TCP_ISN_ZERO;
}

static void
teardown(void)
{
	fx_teardown();
}

/* A connection record put straight into state st.  CLOSED and LISTEN
 * get a record with ESTABLISHED's numbers that is not in the
 * demultiplexing table: it names the 4-tuple and the numbers a peer uses,
 * and segments for it find no connection (LISTEN's on the server's
 * listening port, CLOSED's on the client's port, where nothing listens). */
static struct tcp_conn *
conn_in_state(enum tcp_state st)
{
	return tcp_conn_in_state(fx->client, fx->server, fx->listener, st);
}

static void inject_len(struct tcp_conn *c, uint8_t flags, uint32_t seq,
                       uint32_t ack, uint32_t len);

static void
inject(struct tcp_conn *c, uint8_t flags, uint32_t seq, uint32_t ack)
{
	inject_len(c, flags, seq, ack, 0);
}

/* A segment of len bytes (zeros) from the peer. */
static void
inject_len(struct tcp_conn *c, uint8_t flags, uint32_t seq, uint32_t ack,
           uint32_t len)
{
	struct pkt *p = net_pkt_alloc(fx->net);
	p->len = len;
	p->src = c->raddr;
	p->dst = c->laddr;
	p->sport = c->rport;
	p->dport = c->lport;
	p->flags = flags;
	p->seq = seq;
	p->ack = ack;
	p->wnd = 65535;
	tcp_input(c->host, p);
	net_pkt_free(fx->net, p);
}

static void
drive(struct tcp_conn *c, enum ev e)
{
	switch (e) {
	case EV_SYN:
		inject(c, TH_SYN, 7000, 0);
		break;
	case EV_SYNACK:
		inject(c, TH_SYN | TH_ACK, 5000, 1001);
		break;
	case EV_ACK:
		inject(c, TH_ACK, c->rcv_nxt, c->snd_max);
		break;
	case EV_FIN:
		inject(c, TH_FIN | TH_ACK, c->rcv_nxt, c->snd_una);
		break;
	case EV_FINACK:
		inject(c, TH_FIN | TH_ACK, c->rcv_nxt, c->snd_max);
		break;
	case EV_FIN_RETX:
		inject(c, TH_FIN | TH_ACK, c->rcv_nxt - 1, c->snd_max);
		break;
	case EV_RST:
		inject(c, TH_RST, c->rcv_nxt, 0);
		break;
	case EV_RST_INWIN:
		inject(c, TH_RST, c->rcv_nxt + 100, 0);
		break;
	case EV_RSTACK:
		inject(c, TH_RST | TH_ACK, c->rcv_nxt, c->snd_max);
		break;
	case EV_CLOSE:
	case EV_ABORT:
		/* A listener has one call for both: RFC 9293 3.10.4 and
		 * 3.10.5 both delete a LISTEN TCB without a word. */
		if (c->state == TCP_LISTEN)
			tcp_listener_close(fx->listener);
		else if (e == EV_CLOSE)
			tcp_close(c);
		else
			tcp_abort(c);
		break;
	case EV_TIMEOUT:
		/* Every retransmission is lost.  Data retries at Linux's 15
		 * take 1207 s from a 1 s RTO. */
		fx_run(3000 * SIMTIME_S);
		break;
	case EV_N:
		break;
	}
}

/* The state a cell ends in: the record's, or for LISTEN the listener's
 * or that of the connection a SYN made for the 4-tuple. */
static int
cell_state(const struct tcp_conn *c, enum tcp_state st)
{
	if (st != TCP_LISTEN)
		return c->state;
	if (tcp_listener_closed(fx->listener))
		return TCP_CLOSED;
	struct tcp_conn *n = tcp_host_conn(fx->server->tcp, 2);
	return n ? (int)n->state : TCP_LISTEN;
}

START_TEST(test_transition)
{
	int st = _i / EV_N, e = _i % EV_N;
	const struct cell *cl = &cells[st][e];
	const struct want *w = table_rfc ? &cl->rfc : &cl->linux;
	const char *prof = table_rfc ? "rfc" : "linux";
	REQUIRE(cl->rule != NULL, "%s + %s: no cell in the table",
	        tcp_state_name(st), ev_names[e]);
	struct tcp_conn *c = conn_in_state((enum tcp_state)st);
	drive(c, (enum ev)e);
	if (e != EV_TIMEOUT)
		fx_run(250 * SIMTIME_MS);	/* delayed ACKs go out */
	int got = cell_state(c, (enum tcp_state)st);
	REQUIRE(got == w->next, "%s: %s + %s: expected %s, got %s (%s)", prof,
	        tcp_state_name(st), ev_names[e], tcp_state_name(w->next),
	        tcp_state_name(got), cl->rule);
	bool server = st == TCP_LISTEN || st == TCP_SYN_RECEIVED;
	int n = 0;
	for (int k = 0; k < fx->npkts; k++)
		n += fx->pkts[k].op == PKT_SEND;
	int i = fx_find_pkt(PKT_SEND, server ? "server" : "client", 0);
	const struct fx_pkt none = { .t = -1 };
	const struct fx_pkt *p = i >= 0 ? &fx->pkts[i] : &none;
	REQUIRE(n == w->n && p->flags == w->flags && p->seq == w->seq &&
	        p->ack == w->ack && (n == 0 || p->t == w->ms * SIMTIME_MS),
	        "%s: %s + %s: expected %d segments, the first flags 0x%x "
	        "seq %u ack %u at %d ms; got %d, 0x%x seq %u ack %u at %lld "
	        "ns (%s)", prof, tcp_state_name(st), ev_names[e], w->n,
	        w->flags, w->seq, w->ack, w->ms, n, p->flags, p->seq, p->ack,
	        (long long)p->t, cl->rule);
}
END_TEST

/* Beyond the next state: what is sent in answer. */

static int
nsent(void)
{
	int n = 0;
	for (int i = 0; i < fx->npkts; i++)
		n += fx->pkts[i].op == PKT_SEND;
	return n;
}
/* The first segment sent: tcp_input traces the arrival before it. */
static const struct fx_pkt *
first_sent(void)
{
	for (int i = 0; i < fx->npkts; i++)
		if (fx->pkts[i].op == PKT_SEND)
			return &fx->pkts[i];
	ck_abort_msg("nothing sent");
	return NULL;
}

/* Why the first segment with these flags was dropped at node (what the
 * test's tap drops is traced there too, with its own reason). */
static const char *
drop_reason(const char *node, uint8_t flags)
{
	for (int i = 0; i < fx->npkts; i++)
		if (fx->pkts[i].op == PKT_DROP && fx->pkts[i].flags == flags &&
		    strcmp(fx->pkts[i].node, node) == 0)
			return fx->pkts[i].reason;
	return "(no drop)";
}

/* A router's ICMP host unreachable about a segment of c quoting seq (or
 * about another port when other_port). */
static void
inject_icmp(struct tcp_conn *c, uint32_t seq, bool other_port)
{
	struct pkt *p = net_pkt_alloc(fx->net);
	struct pkt about = { .src = c->laddr, .dst = c->raddr,
	                     .sport = (uint16_t)(c->lport + other_port),
	                     .dport = c->rport, .seq = seq, .flags = TH_SYN,
	                     .ttl = 64 };
	pkt_icmp_about(p, &about, ICMP_UNREACH, ICMP_UNREACH_HOST);
	p->src = c->raddr;
	tcp_icmp_input(c->host, p);
	net_pkt_free(fx->net, p);
}

/* The quote must name the connection and a sequence number in
 * SND.UNA..SND.NXT (linux: tcp_v4_err); then linux aborts the connect. */
START_TEST(test_icmp_quote_checked)
{
	struct tcp_conn *c = conn_in_state(TCP_SYN_SENT);
	ck_assert_uint_eq(c->snd_una, 1000);
	inject_icmp(c, 1002, false);
	ck_assert_int_eq(c->state, TCP_SYN_SENT);
	ck_assert_str_eq(drop_reason("client", 0), "ICMP error quoting a "
	                 "sequence number outside SND.UNA..SND.NXT: ignored "
	                 "(RFC 5927 4.1)");
	inject_icmp(c, 1000, true);
	ck_assert_int_eq(c->state, TCP_SYN_SENT);
	ck_assert_int_eq(fx_count(PKT_DROP, "client", 0), 2);
	inject_icmp(c, 1001, false);
	ck_assert_int_eq(c->state, TCP_CLOSED);
	ck_assert_int_eq(c->error, SIM_EHOSTUNREACH);
	ck_assert_str_eq(fx_state_cause("client", tcp_conn_id(c), TCP_CLOSED),
	                 "ICMP host unreachable");
}
END_TEST

/* A soft error (RFC 1122 4.2.3.9): an established connection, or a
 * connect without icmp_hard_syn_sent, goes on, the error kept for a
 * give-up; an ACK of new data clears it (linux: tcp_ack, sk_err_soft). */
START_TEST(test_icmp_soft_error)
{
	struct tcp_conn *c = conn_in_state(TCP_SYN_SENT);
	c->host->prof.icmp_hard_syn_sent = false;
	inject_icmp(c, 1000, false);
	ck_assert_int_eq(c->state, TCP_SYN_SENT);
	ck_assert_int_eq(c->soft_error, SIM_EHOSTUNREACH);
	ck_assert_int_eq(fx_count(PKT_DROP, "client", 0), 0);
}
END_TEST

START_TEST(test_icmp_soft_error_established)
{
	struct tcp_conn *e = conn_in_state(TCP_ESTABLISHED);
	ck_assert_int_eq(tcp_send(e, 100, NULL), 0);
	ck_assert_uint_eq(e->snd_una, 1001);
	inject_icmp(e, 1001, false);
	ck_assert_int_eq(e->state, TCP_ESTABLISHED);
	ck_assert_int_eq(e->soft_error, SIM_EHOSTUNREACH);
	inject(e, TH_ACK, 5001, 1101);
	ck_assert_int_eq(e->soft_error, 0);
}
END_TEST

START_TEST(test_inexact_rst_gets_challenge_ack)
{
	struct tcp_conn *c = conn_in_state(TCP_ESTABLISHED);
	drive(c, EV_RST_INWIN);
	ck_assert_int_eq(nsent(), 1);
	ck_assert_uint_eq(first_sent()->flags, TH_ACK);
	ck_assert_uint_eq(first_sent()->seq, 1001);
	ck_assert_uint_eq(first_sent()->ack, 5001);
}
END_TEST

START_TEST(test_challenge_acks_rate_limited)
{
	struct tcp_conn *c = conn_in_state(TCP_ESTABLISHED);
	c->host->prof.challenge_ack_limit = 3;
	c->host->prof.invalid_ratelimit = 0;	/* the host limit alone */
	for (int i = 0; i < 10; i++)
		drive(c, EV_SYN);
	ck_assert_int_eq(fx_count(PKT_SEND, "client", TH_ACK), 3);
	/* The SYNs left unanswered are traced as drops that say why. */
	ck_assert_int_eq(fx_count(PKT_DROP, "client", TH_SYN), 7);
	ck_assert_str_eq(drop_reason("client", TH_SYN), "3 challenge ACKs this "
	                 "second already: no answer (RFC 5961 7; linux: "
	                 "tcp_challenge_ack_limit)");
	/* A new second opens a new allowance. */
	fx_run(SIMTIME_S);
	drive(c, EV_SYN);
	ck_assert_int_eq(fx_count(PKT_SEND, "client", TH_ACK), 4);
	ck_assert_int_eq(c->state, TCP_ESTABLISHED);
}
END_TEST

/* linux: one ACK per connection and 500 ms for segments outside the
 * window (tcp_invalid_ratelimit), challenges included; segments with
 * data are always answered. */
START_TEST(test_out_of_window_acks_limited_per_connection)
{
	struct tcp_conn *c = conn_in_state(TCP_ESTABLISHED);
	for (int i = 0; i < 10; i++)
		drive(c, EV_SYN);
	ck_assert_int_eq(fx_count(PKT_SEND, "client", TH_ACK), 1);
	ck_assert_int_eq(fx_count(PKT_DROP, "client", TH_SYN), 9);
	ck_assert_str_eq(drop_reason("client", TH_SYN), "answered less than 500ms "
	                 "ago: no answer now (linux: tcp_invalid_ratelimit)");
	inject(c, TH_ACK, 4000, 1001);	/* old pure ACK: limited too */
	ck_assert_int_eq(fx_count(PKT_SEND, "client", TH_ACK), 1);
	inject_len(c, TH_ACK, 4000, 1001, 10);	/* old data: answered */
	ck_assert_int_eq(fx_count(PKT_SEND, "client", TH_ACK), 2);
	fx_run(499 * SIMTIME_MS);
	inject(c, TH_ACK, 4000, 1001);
	ck_assert_int_eq(fx_count(PKT_SEND, "client", TH_ACK), 2);
	fx_run(500 * SIMTIME_MS);
	inject(c, TH_ACK, 4000, 1001);
	ck_assert_int_eq(fx_count(PKT_SEND, "client", TH_ACK), 3);
	ck_assert_int_eq(c->state, TCP_ESTABLISHED);
}
END_TEST

/* linux: a SYN repeated three times at once in SYN-RECEIVED gets one
 * SYN-ACK (tcp_check_req); the rfc profile answers each. */
START_TEST(test_repeated_syn_answered_once)
{
	struct tcp_conn *c = conn_in_state(TCP_SYN_RECEIVED);
	for (int i = 0; i < 3; i++)
		inject(c, TH_SYN, 5000, 0);
	ck_assert_int_eq(fx_count(PKT_SEND, "server", TH_SYN | TH_ACK), 1);
	ck_assert_int_eq(fx_count(PKT_DROP, "server", TH_SYN), 2);
	c->host->prof.invalid_ratelimit = 0;
	for (int i = 0; i < 3; i++)
		inject(c, TH_SYN, 5000, 0);
	ck_assert_int_eq(fx_count(PKT_SEND, "server", TH_SYN | TH_ACK), 4);
}
END_TEST

/* RFC 9293 3.10.4: close() in SYN-RECEIVED with nothing to send sends
 * the FIN at once and enters FIN-WAIT-1.  Our SYN is still outstanding:
 * the SYN-ACK timer resends it with its ACK, the FIN behind it.  The
 * ACK of our SYN takes the connection off the listen queue; the ACK of
 * the FIN moves it on. */
START_TEST(test_close_in_syn_received)
{
	struct tcp_conn *c = conn_in_state(TCP_SYN_RECEIVED);
	ck_assert_int_eq(tcp_close(c), 0);
	ck_assert_int_eq(c->state, TCP_FIN_WAIT_1);
	fx_run(1 * SIMTIME_S);
	ck_assert_str_eq(fx_pkt_line(PKT_SEND, "server"),
	                 "0:FIN+ACK 1000:SYN+ACK 1000:FIN+ACK");
	int i = fx_find_pkt(PKT_SEND, "server", 1);
	ck_assert_uint_eq(fx->pkts[i].seq, 1000);
	ck_assert_uint_eq(fx->pkts[i].ack, 5001);
	i = fx_find_pkt(PKT_SEND, "server", 2);
	ck_assert_uint_eq(fx->pkts[i].seq, 1001);
	ck_assert_int_eq(fx->listener->pending, 1);
	inject(c, TH_ACK, 5001, 1001);
	ck_assert_int_eq(c->state, TCP_FIN_WAIT_1);
	ck_assert_int_eq(fx->listener->pending, 0);
	ck_assert_uint_eq(fx->listener->accepted, 0);
	inject(c, TH_ACK, 5001, 1002);
	ck_assert_int_eq(c->state, TCP_FIN_WAIT_2);
	/* A connection dropped before its SYN is acknowledged leaves the
	 * queue too. */
	c = conn_in_state(TCP_SYN_RECEIVED);
	tcp_close(c);
	ck_assert_int_eq(fx->listener->pending, 1);
	tcp_abort(c);
	ck_assert_int_eq(fx->listener->pending, 0);
}
END_TEST

/* A new SYN (in the window) in passive SYN-RECEIVED: back to LISTEN,
 * silently in rfc (RFC 9293 3.10.7.4, fourth check), with a RST in
 * linux (tcp_check_req's embryonic reset). */
START_TEST(test_new_syn_in_syn_received)
{
	struct tcp_conn *c = conn_in_state(TCP_SYN_RECEIVED);
	drive(c, EV_SYN);
	ck_assert_int_eq(c->state, TCP_CLOSED);
	ck_assert_int_eq(fx_count(PKT_SEND, "server", TH_RST | TH_ACK), 1);
	ck_assert_int_eq(fx->listener->pending, 0);

	c = conn_in_state(TCP_SYN_RECEIVED);
	c->host->prof.embryonic_rst = false;
	drive(c, EV_SYN);
	ck_assert_int_eq(c->state, TCP_CLOSED);
	ck_assert_int_eq(fx_count(PKT_SEND, "server", TH_RST | TH_ACK), 1);
	ck_assert_int_eq(fx->listener->pending, 0);
}
END_TEST

/* RFC 9293 3.10.7.4, second check, with RFC 5961 3.2: a RST in the window
 * but not exact gets a challenge ACK, in SYN-RECEIVED too.  linux: a
 * passive SYN-RECEIVED is a request sock, and tcp_check_req resets it
 * for any RST in the window, in silence (embryonic_rst). */
START_TEST(test_inexact_rst_in_syn_received)
{
	struct tcp_conn *c = conn_in_state(TCP_SYN_RECEIVED);
	drive(c, EV_RST_INWIN);
	ck_assert_int_eq(c->state, TCP_CLOSED);
	ck_assert_int_eq(nsent(), 0);
	ck_assert_int_eq(fx->listener->pending, 0);
	ck_assert_str_eq(fx_state_cause("server", c->id, TCP_CLOSED),
	                 "RST in the window; the listener goes on");
	/* Out of the window it is ignored, as everywhere. */
	c = conn_in_state(TCP_SYN_RECEIVED);
	inject(c, TH_RST, 5001 + 100000, 0);
	ck_assert_int_eq(c->state, TCP_SYN_RECEIVED);
	ck_assert_int_eq(nsent(), 0);

	c = conn_in_state(TCP_SYN_RECEIVED);
	c->host->prof.embryonic_rst = false;
	drive(c, EV_RST_INWIN);
	ck_assert_int_eq(c->state, TCP_SYN_RECEIVED);
	ck_assert_int_eq(nsent(), 1);
	int i = fx_find_pkt(PKT_SEND, "server", 0);
	ck_assert_uint_eq(fx->pkts[i].flags, TH_ACK);
	ck_assert_uint_eq(fx->pkts[i].seq, 1001);
	ck_assert_uint_eq(fx->pkts[i].ack, 5001);
}
END_TEST

/* A SYN-RECEIVED reached by a simultaneous open is a full socket in
 * Linux (tcp_validate_incoming): the inexact RST is challenged there
 * in both profiles. */
START_TEST(test_inexact_rst_in_active_syn_received)
{
	struct tcp_conn *c = conn_in_state(TCP_SYN_RECEIVED);
	c->passive = false;
	c->listener = NULL;
	fx->listener->pending--;
	drive(c, EV_RST_INWIN);
	ck_assert_int_eq(c->state, TCP_SYN_RECEIVED);
	ck_assert_int_eq(nsent(), 1);
	ck_assert_uint_eq(first_sent()->flags, TH_ACK);
	ck_assert_uint_eq(first_sent()->ack, 5001);
}
END_TEST

/* linux: in TIME-WAIT any segment with ACK restarts the 60 s timer
 * (tcp_timewait_state_process); the expected bare ACK gets no answer,
 * an old segment an ACK; an inexact RST is ignored without a challenge.
 * rfc: only a retransmitted FIN restarts it, and the inexact RST gets
 * RFC 5961's challenge. */
START_TEST(test_time_wait_linux)
{
	struct tcp_conn *c = conn_in_state(TCP_TIME_WAIT);
	fx_run(10 * SIMTIME_S);
	inject(c, TH_ACK, c->rcv_nxt, c->snd_max);	/* the bare ACK */
	ck_assert_int_eq(nsent(), 0);
	ck_assert_int_eq(c->life.at, 70 * SIMTIME_S);
	fx_run(20 * SIMTIME_S);
	inject(c, TH_ACK, 4000, c->snd_max);	/* old */
	ck_assert_int_eq(nsent(), 1);
	ck_assert_int_eq(c->life.at, 80 * SIMTIME_S);
	drive(c, EV_RST_INWIN);
	ck_assert_int_eq(nsent(), 1);
	ck_assert_int_eq(c->state, TCP_TIME_WAIT);
	drive(c, EV_RST);
	ck_assert_int_eq(c->state, TCP_CLOSED);
}
END_TEST

START_TEST(test_time_wait_rfc)
{
	struct tcp_conn *c = conn_in_state(TCP_TIME_WAIT);
	c->host->prof.time_wait_restart = false;
	c->host->prof.invalid_ratelimit = 0;
	fx_run(10 * SIMTIME_S);
	inject(c, TH_ACK, c->rcv_nxt, c->snd_max);
	inject(c, TH_ACK, 4000, c->snd_max);
	ck_assert_int_eq(nsent(), 1);	/* the old one is answered */
	ck_assert_int_eq(c->life.at, c->host->prof.time_wait);	/* no restart */
	drive(c, EV_RST_INWIN);
	ck_assert_int_eq(nsent(), 2);	/* challenge ACK */
	ck_assert_int_eq(c->state, TCP_TIME_WAIT);
}
END_TEST

/* RFC 9293 3.10.7.4, eighth check: a FIN is acknowledged, and in
 * TIME-WAIT restarts the 2 MSL wait, also one at RCV.NXT that is not
 * the FIN we have.  linux: such a segment is tcp_timewait_state_process's
 * (ACKed, restart); one that completes CLOSING is consumed there. */
START_TEST(test_time_wait_fin_at_rcv_nxt)
{
	struct tcp_conn *c = conn_in_state(TCP_TIME_WAIT);
	c->host->prof.time_wait_restart = false;
	fx_run(10 * SIMTIME_S);
	drive(c, EV_FINACK);
	ck_assert_int_eq(nsent(), 1);
	ck_assert_uint_eq(first_sent()->flags, TH_ACK);
	ck_assert_uint_eq(first_sent()->seq, 1002);
	ck_assert_uint_eq(first_sent()->ack, 5002);
	ck_assert_int_eq(c->life.at, 70 * SIMTIME_S);
	ck_assert_int_eq(c->state, TCP_TIME_WAIT);

	c = conn_in_state(TCP_CLOSING);
	drive(c, EV_FINACK);
	ck_assert_int_eq(c->state, TCP_TIME_WAIT);
	ck_assert_int_eq(nsent(), 2);	/* the rfc answer moves it on */
	ck_assert_uint_eq(fx->pkts[fx->npkts - 1].flags, TH_ACK);
	ck_assert_int_eq(c->life.at, 70 * SIMTIME_S);

	c->host->prof.time_wait_restart = true;
	fx_run(11 * SIMTIME_S);
	c = conn_in_state(TCP_CLOSING);
	drive(c, EV_FINACK);
	ck_assert_int_eq(c->state, TCP_TIME_WAIT);
	ck_assert_int_eq(nsent(), 2);
	ck_assert_int_eq(c->life.at, 71 * SIMTIME_S);
}
END_TEST

/* Every segment TCP discards is traced as a drop at the host, saying
 * why.  RFC 9293 3.10.7.3, first check: a RST whose ACK is
 * unacceptable in SYN-SENT is dropped, and not answered. */
START_TEST(test_syn_sent_rst_bad_ack_traced)
{
	struct tcp_conn *c = conn_in_state(TCP_SYN_SENT);
	inject(c, TH_RST | TH_ACK, 0, 5000);
	ck_assert_int_eq(c->state, TCP_SYN_SENT);
	ck_assert_int_eq(nsent(), 0);
	ck_assert_int_eq(fx_count(PKT_DROP, "client", TH_RST | TH_ACK), 1);
	ck_assert_str_eq(drop_reason("client", TH_RST | TH_ACK),
	                 "RST with an unacceptable ACK in SYN-SENT: ignored "
	                 "(RFC 9293 3.10.7.3, first check)");
}
END_TEST

/* RFC 9293 3.10.7.4, fifth check: "if the ACK bit is off, drop the
 * segment and return". */
START_TEST(test_segment_without_ack_traced)
{
	struct tcp_conn *c = conn_in_state(TCP_ESTABLISHED);
	inject(c, TH_FIN, 5001, 0);
	ck_assert_int_eq(c->state, TCP_ESTABLISHED);
	ck_assert_uint_eq(c->rcv_nxt, 5001);
	ck_assert_int_eq(nsent(), 0);
	ck_assert_int_eq(fx_count(PKT_DROP, "client", TH_FIN), 1);
	ck_assert_str_eq(drop_reason("client", TH_FIN), "segment without ACK: "
	                 "dropped (RFC 9293 3.10.7.4, fifth check)");
}
END_TEST

START_TEST(test_out_of_window_rst_ignored_silently)
{
	struct tcp_conn *c = conn_in_state(TCP_ESTABLISHED);
	inject(c, TH_RST, 5001 + 200000, 0);
	/* No answer; in the trace, a drop at the host that names the rule. */
	ck_assert_int_eq(nsent(), 0);
	ck_assert_int_eq(fx_count(PKT_DROP, "client", TH_RST), 1);
	ck_assert_int_eq(c->state, TCP_ESTABLISHED);
}
END_TEST

START_TEST(test_unacceptable_segment_gets_ack)
{
	struct tcp_conn *c = conn_in_state(TCP_ESTABLISHED);
	inject(c, TH_ACK, 4000, 1001);	/* old, below RCV.NXT */
	/* The arrival first, then what it causes. */
	ck_assert_int_eq(fx->pkts[0].op, PKT_RECV);
	ck_assert_int_eq(nsent(), 1);
	ck_assert_uint_eq(first_sent()->flags, TH_ACK);
	ck_assert_uint_eq(first_sent()->ack, 5001);
}
END_TEST

/* An ACK of data never sent: RFC 9293 (and RFC 5961 5.2) answers with an
 * ACK; Linux drops it in ESTABLISHED and challenges it elsewhere. */
START_TEST(test_ack_of_unsent_data_answered)
{
	struct tcp_conn *c = conn_in_state(TCP_ESTABLISHED);
	inject(c, TH_ACK, 5001, 9999);
	ck_assert_int_eq(nsent(), 0);
	ck_assert_int_eq(fx_count(PKT_DROP, "client", TH_ACK), 1);
	c->host->prof.unsent_ack_silent = false;
	inject(c, TH_ACK, 5001, 9999);
	ck_assert_int_eq(nsent(), 1);
	ck_assert_uint_eq(fx->pkts[fx->npkts - 1].flags, TH_ACK);
	ck_assert_uint_eq(c->snd_una, 1001);
}
END_TEST

START_TEST(test_ack_of_unsent_data_challenged_elsewhere)
{
	struct tcp_conn *c = conn_in_state(TCP_CLOSE_WAIT);
	inject(c, TH_ACK, 5002, 9999);
	ck_assert_int_eq(nsent(), 1);	/* challenged, as Linux does */
	ck_assert_uint_eq(first_sent()->flags, TH_ACK);
	ck_assert_int_eq(c->state, TCP_CLOSE_WAIT);
}
END_TEST

START_TEST(test_rfc1337_ignores_rst_in_time_wait)
{
	struct tcp_conn *c = conn_in_state(TCP_TIME_WAIT);
	c->host->prof.rfc1337 = true;
	drive(c, EV_RST);
	ck_assert_int_eq(c->state, TCP_TIME_WAIT);
}
END_TEST

START_TEST(test_time_wait_reused_by_new_syn)
{
	/* The server's side in TIME-WAIT; a new SYN above RCV.NXT for the
	 * listening port reopens the 4-tuple (RFC 9293 3.6.1, Linux). */
	struct tcp_conn *c = tcp_conn_new(fx->server->tcp, fx->server->addr, 80,
	                                  fx->client->addr, 5000);
	c->iss = 1000;
	c->irs = 5000;
	c->rcv_nxt = 5002;
	c->snd_una = c->snd_nxt = c->snd_max = 1002;
	c->state = TCP_TIME_WAIT;
	tcp_table_insert(c);
	inject(c, TH_SYN, 9000, 0);
	ck_assert_int_eq(c->state, TCP_CLOSED);
	struct tcp_conn *n = tcp_host_conn(fx->server->tcp, 2);
	ck_assert_ptr_nonnull(n);
	ck_assert_int_eq(n->state, TCP_SYN_RECEIVED);
	ck_assert_uint_eq(n->irs, 9000);
	/* An old SYN (below RCV.NXT) does not. */
	struct tcp_conn *d = tcp_conn_new(fx->server->tcp, fx->server->addr, 80,
	                                  fx->client->addr, 5001);
	d->rcv_nxt = 5002;
	d->snd_una = d->snd_nxt = d->snd_max = 1002;
	d->state = TCP_TIME_WAIT;
	tcp_table_insert(d);
	inject(d, TH_SYN, 4000, 0);
	ck_assert_int_eq(d->state, TCP_TIME_WAIT);
}
END_TEST

/* A segment from the client's port 6000 to a listening or a closed port
 * of the server; returns the number of connections the server has after. */
static int
to_server(uint16_t dport, uint8_t flags, uint32_t seq, uint32_t ack)
{
	struct pkt *p = net_pkt_alloc(fx->net);
	p->src = fx->client->addr;
	p->dst = fx->server->addr;
	p->sport = 6000;
	p->dport = dport;
	p->flags = flags;
	p->seq = seq;
	p->ack = ack;
	p->wnd = 65535;
	tcp_input(fx->server->tcp, p);
	net_pkt_free(fx->net, p);
	return tcp_host_nconns(fx->server->tcp);
}

/* LISTEN (RFC 9293 3.10.7.2) and CLOSED (3.10.7.1), which have no
 * connection record for the table above: what each kind of segment
 * creates and what it is answered with. */
START_TEST(test_listen_and_closed)
{
	/* LISTEN: first, a RST is ignored (traced as a drop); second, an
	 * ACK gets <SEQ=SEG.ACK><CTL=RST>; fourth, anything else without a
	 * SYN is dropped; third, a SYN makes a SYN-RECEIVED connection
	 * answered by <SEQ=ISS><ACK=SEG.SEQ+1><CTL=SYN,ACK>. */
	ck_assert_int_eq(to_server(80, TH_RST, 100, 0), 0);
	ck_assert_int_eq(nsent(), 0);
	ck_assert_int_eq(fx_count(PKT_DROP, "server", TH_RST), 1);
	ck_assert_int_eq(to_server(80, TH_ACK, 100, 555), 0);
	ck_assert_int_eq(nsent(), 1);
	ck_assert_uint_eq(fx->pkts[fx->npkts - 1].flags, TH_RST);
	ck_assert_uint_eq(fx->pkts[fx->npkts - 1].seq, 555);
	ck_assert_int_eq(to_server(80, TH_FIN, 100, 0), 0);
	ck_assert_int_eq(nsent(), 1);
	ck_assert_int_eq(to_server(80, TH_SYN, 100, 0), 1);
	struct tcp_conn *c = tcp_host_conn(fx->server->tcp, 1);
	ck_assert_int_eq(c->state, TCP_SYN_RECEIVED);
	ck_assert_int_eq(nsent(), 2);
	ck_assert_uint_eq(fx->pkts[fx->npkts - 1].flags, TH_SYN | TH_ACK);
	ck_assert_uint_eq(fx->pkts[fx->npkts - 1].ack, 101);

	/* CLOSED (no listener on 81): a RST is dropped; anything else is
	 * reset: with ACK <SEQ=SEG.ACK><CTL=RST>, without it
	 * <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>. */
	ck_assert_int_eq(to_server(81, TH_RST, 100, 0), 1);
	ck_assert_int_eq(nsent(), 2);
	ck_assert_int_eq(to_server(81, TH_SYN, 100, 0), 1);
	ck_assert_int_eq(nsent(), 3);
	ck_assert_uint_eq(fx->pkts[fx->npkts - 1].flags, TH_RST | TH_ACK);
	ck_assert_uint_eq(fx->pkts[fx->npkts - 1].seq, 0);
	ck_assert_uint_eq(fx->pkts[fx->npkts - 1].ack, 101);
	ck_assert_int_eq(to_server(81, TH_ACK, 100, 9), 1);
	ck_assert_uint_eq(fx->pkts[fx->npkts - 1].flags, TH_RST);
	ck_assert_uint_eq(fx->pkts[fx->npkts - 1].seq, 9);
}
END_TEST

START_TEST(test_segment_for_nobody_gets_rst)
{
	/* RFC 9293 3.10.7.1: with ACK, <SEQ=SEG.ACK><CTL=RST>. */
	struct pkt *p = net_pkt_alloc(fx->net);
	p->src = fx->server->addr;
	p->dst = fx->client->addr;
	p->sport = 80;
	p->dport = 4444;
	p->flags = TH_ACK;
	p->seq = 10;
	p->ack = 777;
	tcp_input(fx->client->tcp, p);
	/* A RST is never answered. */
	p->flags = TH_RST;
	tcp_input(fx->client->tcp, p);
	net_pkt_free(fx->net, p);
	ck_assert_int_eq(nsent(), 1);
	ck_assert_uint_eq(first_sent()->flags, TH_RST);
	ck_assert_uint_eq(first_sent()->seq, 777);
}
END_TEST

static Suite *
tcp_in_suite(void)
{
	Suite *s = suite_create("tcp_in");
	TCase *tc = tcase_create("table linux");
	tcase_add_checked_fixture(tc, setup_table_linux, teardown);
	tcase_add_loop_test(tc, test_transition, 0, TCP_NSTATES * EV_N);
	suite_add_tcase(s, tc);
	tc = tcase_create("table rfc");
	tcase_add_checked_fixture(tc, setup_table_rfc, teardown);
	tcase_add_loop_test(tc, test_transition, 0, TCP_NSTATES * EV_N);
	suite_add_tcase(s, tc);
	tc = tcase_create("answers");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_inexact_rst_gets_challenge_ack);
	tcase_add_test(tc, test_challenge_acks_rate_limited);
	tcase_add_test(tc, test_icmp_quote_checked);
	tcase_add_test(tc, test_icmp_soft_error);
	tcase_add_test(tc, test_icmp_soft_error_established);
	tcase_add_test(tc, test_out_of_window_acks_limited_per_connection);
	tcase_add_test(tc, test_repeated_syn_answered_once);
	tcase_add_test(tc, test_new_syn_in_syn_received);
	tcase_add_test(tc, test_close_in_syn_received);
	tcase_add_test(tc, test_time_wait_linux);
	tcase_add_test(tc, test_time_wait_rfc);
	tcase_add_test(tc, test_time_wait_fin_at_rcv_nxt);
	tcase_add_test(tc, test_inexact_rst_in_syn_received);
	tcase_add_test(tc, test_inexact_rst_in_active_syn_received);
	tcase_add_test(tc, test_out_of_window_rst_ignored_silently);
	tcase_add_test(tc, test_syn_sent_rst_bad_ack_traced);
	tcase_add_test(tc, test_segment_without_ack_traced);
	tcase_add_test(tc, test_unacceptable_segment_gets_ack);
	tcase_add_test(tc, test_ack_of_unsent_data_answered);
	tcase_add_test(tc, test_ack_of_unsent_data_challenged_elsewhere);
	tcase_add_test(tc, test_rfc1337_ignores_rst_in_time_wait);
	tcase_add_test(tc, test_time_wait_reused_by_new_syn);
	tcase_add_test(tc, test_segment_for_nobody_gets_rst);
	tcase_add_test(tc, test_listen_and_closed);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(tcp_in_suite());
}
