/*
 * pktrun.h - run a packetdrill script against a synsim host.
 *
 * The world is two nodes on a link without delay: "host", a TCP host of
 * the chosen profile (192.168.0.1, as packetdrill's local address), and
 * "peer" (192.0.2.1), which runs no TCP: the script speaks for it.  `<`
 * segments are put on the wire by the peer at their time, `>` segments
 * must come from the host within the tolerance, system calls drive the
 * host's socket API (tcp.h) at their time.  Ports are packetdrill's: a
 * listening socket is on 8080 and the peer connects from 40000; an
 * active open goes to the peer's 8080 from the host's ephemeral port.
 *
 * Sequence numbers: the peer's are as the script writes them, the
 * host's relative to its ISN, learned from the first SYN it sends (the
 * script's number for that SYN, usually 0, is the ISN).  An echoed
 * timestamp in a `<` segment is moved by the offset between the host's
 * real and the script's TS val, learned the same way.
 */
#ifndef SYNSIM_PKTRUN_H
#define SYNSIM_PKTRUN_H

#include <stdint.h>
#include <stdio.h>

#include "../core/simtime.h"
#include "pktscript.h"

/* Exit statuses of `synsim pkt`.  A skipped script exits 77, the code
 * automake and CTest (SKIP_RETURN_CODE) use for "not run". */
enum { PKR_PASS = 0, PKR_FAIL = 1, PKR_ERROR = 2, PKR_SKIP = 77 };

/* packetdrill's default tolerance_usecs. */
#define PKR_TOLERANCE (4 * SIMTIME_MS)

struct pkr_opts {
	const char *profile;	/* "linux" when NULL */
	simtime tolerance;	/* -1: the script's, else PKR_TOLERANCE */
	uint64_t seed;
	const char *outdir;	/* trace files go here; NULL: none */
	FILE *echo;		/* the narration as it runs, or NULL */
	const char *command;	/* the command line, for trace.txt */
	const char *host;	/* the host's node name; "host" when NULL.
				 * With the seed it picks the host's random
				 * stream (ISN key, ports, timer-wheel phase):
				 * a script written by synsim run --pkt
				 * replays exactly under its scenario's host
				 * name and seed. */
};

struct pkr_result {
	int status;		/* PKR_* */
	int line;		/* script line of the failure or skip; 0 */
	char msg[1536];		/* "file:line: what" and, for a segment,
				 * "expected:" and "actual:" lines */
	int events;		/* script events run */
};

/* Run s; fills r and returns r->status. */
int pkr_run(const struct pktscript *s, const struct pkr_opts *o,
            struct pkr_result *r);

/* synsim pkt SCRIPT [--profile P] [--out DIR] [--tolerance_usecs N]
 * [--seed N] [--host NAME] [-v]: returns the exit status. */
int pkr_main(int argc, char **argv);

#endif
