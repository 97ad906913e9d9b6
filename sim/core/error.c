/*
 * error.c - names and descriptions of synsim's error codes.
 */
#include "error.h"

#include <stdio.h>

static const struct {
	const char *name, *desc;
} errors[SIM_ENERRORS] = {
	[0] = { "OK", "success" },
	[-SIM_EINVAL] = { "EINVAL", "invalid argument" },
	[-SIM_ENOMEM] = { "ENOMEM", "out of memory" },
	[-SIM_ETIMEDOUT] = { "ETIMEDOUT", "connection timed out" },
	[-SIM_ECONNREFUSED] = { "ECONNREFUSED", "connection refused" },
	[-SIM_ECONNRESET] = { "ECONNRESET", "connection reset by peer" },
	[-SIM_ECONNABORTED] = { "ECONNABORTED", "connection aborted" },
	[-SIM_EADDRINUSE] = { "EADDRINUSE", "address already in use" },
	[-SIM_ENOTCONN] = { "ENOTCONN", "not connected" },
	[-SIM_EISCONN] = { "EISCONN", "already connected" },
	[-SIM_EPIPE] = { "EPIPE", "write side already shut down" },
	[-SIM_ENETUNREACH] = { "ENETUNREACH", "network is unreachable" },
	[-SIM_EHOSTUNREACH] = { "EHOSTUNREACH", "no route to host" },
	[-SIM_EAGAIN] = { "EAGAIN", "resource temporarily unavailable" },
};

const char *
sim_strerror(int err)
{
	if (err > 0 || err <= -SIM_ENERRORS)
		return "EUNKNOWN";
	return errors[-err].name;
}

const char *
sim_errdesc(int err)
{
	if (err > 0 || err <= -SIM_ENERRORS)
		return "unknown error";
	return errors[-err].desc;
}

int
sim_usage_error(const char *fmt, const char *arg)
{
	fputs("synsim: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\n(synsim --help shows the usage)\n", stderr);
	return 2;
}
