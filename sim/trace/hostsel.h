/*
 * hostsel.h - `--hosts A,B,...` for the commands that draw a finished run
 * (plot, ladder): the packets between two of the hosts named and the
 * connections between them; with one host named, its packets either way
 * and all its connections.  Routers are not named: the packets' ends are.
 */
#ifndef SYNSIM_HOSTSEL_H
#define SYNSIM_HOSTSEL_H

#include <stdbool.h>

struct hostsel {
	char **name;
	bool *seen;		/* the run has it (a packet's end, a host) */
	int n;			/* 0: no selection, everything is wanted */
};

/* Parse "client,server" into h (which must be empty); 0, or the exit
 * status of a usage error already printed (2). */
int hostsel_parse(struct hostsel *h, const char *arg);
/* A packet from one end to the other is wanted. */
bool hostsel_packet(struct hostsel *h, const char *from, const char *to);
/* A connection of host with peer (NULL or "": not known) is wanted. */
bool hostsel_conn(struct hostsel *h, const char *host, const char *peer);
/* Note that the run has node name (a packet passed it), selected or
 * not: a host whose packets all carry spoofed addresses, or a router,
 * is in the run even if no packet has it as an end. */
void hostsel_note(struct hostsel *h, const char *name);
/* 0 if the run had every host named, else a usage error's status (2). */
int hostsel_check(const struct hostsel *h);
void hostsel_free(struct hostsel *h);

#endif
