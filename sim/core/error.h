/*
 * error.h - synsim's error codes: small negative integers, like errno
 * values but our own, so a connection's failure reads the same on any host.
 */
#ifndef SYNSIM_ERROR_H
#define SYNSIM_ERROR_H

enum sim_error {
	SIM_OK = 0,
	SIM_EINVAL = -1,	/* invalid argument */
	SIM_ENOMEM = -2,	/* out of memory */
	SIM_ETIMEDOUT = -3,	/* retransmissions exhausted */
	SIM_ECONNREFUSED = -4,	/* RST in answer to our SYN */
	SIM_ECONNRESET = -5,	/* peer reset a synchronized connection */
	SIM_ECONNABORTED = -6,	/* the local application aborted */
	SIM_EADDRINUSE = -7,	/* port or 4-tuple already taken */
	SIM_ENOTCONN = -8,	/* operation needs a connection */
	SIM_EISCONN = -9,	/* already connected */
	SIM_EPIPE = -10,	/* send after shutdown */
	SIM_ENETUNREACH = -11,	/* no route to the destination's network */
	SIM_EHOSTUNREACH = -12,	/* no route */
	SIM_EAGAIN = -13,	/* no free ephemeral port / queue full */
	SIM_ENERRORS = 14
};

/* "ETIMEDOUT", "ECONNREFUSED", ... (the name a scenario sees). */
const char *sim_strerror(int err);
/* "connection timed out", ... (for narration). */
const char *sim_errdesc(int err);

/* A command-line mistake: "synsim: <fmt with arg>" and a pointer to
 * --help on stderr; returns the exit status for it, 2. */
int sim_usage_error(const char *fmt, const char *arg);

#endif
