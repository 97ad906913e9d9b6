/*
 * pktscript.h - packetdrill scripts, read into a list of events.
 *
 * A packetdrill script is a timeline seen from the host under test:
 *
 *   0   socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
 *   +0  bind(3, ..., ...) = 0
 *   +0  listen(3, 1) = 0
 *   +0  < S 0:0(0) win 32792 <mss 1000,sackOK,nop,nop,nop,wscale 7>
 *   +0  > S. 0:0(0) ack 1 <...>
 *   +.1 < . 1:1(0) ack 1 win 257
 *   `sysctl -q net.ipv4.tcp_timestamps=0`
 *
 * `<` lines are segments the scripted peer injects, `>` lines segments the
 * host must send, the rest system calls and shell commands.  The parser
 * checks the syntax (a malformed line is an error, `file:line: what is
 * wrong`) and decides what synsim cannot run: a Python block, a system
 * call or socket option it has no model of, a sysctl naming no knob it
 * has.  Such a script is not an error but is skipped, with the line and
 * the reason, so an unsupported script never passes by accident.
 *
 * Called by pktrun.c (synsim pkt) and its tests; knows nothing of the
 * simulator beyond the names of the TCP knobs sysctls map to.
 */
#ifndef SYNSIM_PKTSCRIPT_H
#define SYNSIM_PKTSCRIPT_H

#include <stdbool.h>
#include <stdint.h>

#include "../core/simtime.h"
#include "../net/pkt.h"

enum pks_time_kind {
	PKS_ABS,		/* "0.100": from the start of the script */
	PKS_REL,		/* "+0.100": after the previous event */
	PKS_ANY,		/* "*": whenever it happens */
};

struct pks_time {
	enum pks_time_kind kind;
	simtime t;		/* start */
	simtime end;		/* a range "t...end" (same base); else t */
	bool range;
};

enum pks_kind {
	PKS_IN,			/* "<": the peer sends it */
	PKS_OUT,		/* ">": the host must send it */
	PKS_CALL,		/* a system call */
	PKS_SYSCTL,		/* `sysctl name=value`, mapped to a knob */
};

/* A segment line: "S. 0:0(0) ack 1 win 65535 <mss 1460,nop,wscale 7>". */
struct pks_seg {
	uint8_t flags;		/* TH_* */
	uint32_t seq, end;	/* end - seq == len */
	uint32_t len;
	bool has_ack, has_win, has_opts;
	uint32_t ack;
	uint32_t win;		/* as on the wire (unscaled) */
	bool opts_any;		/* "<...>": any options */
	struct tcp_opts opt;	/* nop and eol are layout, not kept */
};

enum pks_call_id {
	PKS_SOCKET, PKS_BIND, PKS_LISTEN, PKS_ACCEPT, PKS_CONNECT,
	PKS_WRITE, PKS_READ, PKS_SHUTDOWN, PKS_CLOSE, PKS_SETSOCKOPT,
	PKS_GETSOCKOPT, PKS_FCNTL, PKS_NCALLS
};

/* What a call's arguments say, already read (the parser validated them). */
struct pks_call {
	enum pks_call_id id;
	char name[16];		/* as written: "write", "send", ... */
	int fd;			/* first argument; -1 for socket() */
	int64_t n;		/* socket SOCK_NONBLOCK (0/1), listen
				 * backlog, write/read length,
				 * shutdown how (0 RD, 1 WR, 2 RDWR),
				 * setsockopt value, fcntl O_NONBLOCK (0/1) */
	int opt;		/* socket option: PKS_OPT_* */
	int64_t linger;		/* SO_LINGER linger time */
	bool fcntl_get;		/* F_GETFL (else F_SETFL) */
	char want_err[24];	/* getsockopt SO_ERROR: "0" or an errno name */
	/* expected result */
	int64_t ret;
	char err[24];		/* errno name after -1, or "" */
};

enum { PKS_OPT_NONE, PKS_OPT_REUSEADDR, PKS_OPT_LINGER, PKS_OPT_NODELAY,
       PKS_OPT_ERROR };

struct pks_sysctl {
	char name[64];		/* "net.ipv4.tcp_syn_retries" */
	char knob[32];		/* "syn_retries", or "" for a value synsim
				 * already has (tcp_ecn=0) */
	int64_t value;		/* in the knob's unit (times in ns) */
};

struct pks_event {
	int line;		/* of the script, from 1 */
	enum pks_kind kind;
	struct pks_time time;
	char *text;		/* the line as written, trimmed */
	union {
		struct pks_seg seg;
		struct pks_call call;
		struct pks_sysctl sysctl;
	} u;
};

struct pktscript {
	char *path;
	struct pks_event *ev;
	int nev;
	simtime tolerance;	/* --tolerance_usecs in the script, else -1 */
	/* Set when the script cannot be run as it means: the first thing
	 * synsim has no model of. */
	int skip_line;
	char skip[256];
};

/* Read path into s.  0 on success (s->skip may be set), -1 on a syntax
 * error with "file:line: what is wrong" in err. */
int pks_parse_file(struct pktscript *s, const char *path, char *err,
                   size_t errlen);
/* The same from text in memory; name stands for the file in messages. */
int pks_parse(struct pktscript *s, const char *name, const char *text,
              char *err, size_t errlen);
void pks_free(struct pktscript *s);

/* The i-th sysctl that sets a knob ("net.ipv4.tcp_syn_retries"), the
 * knob's name and the unit of the sysctl's value in the knob (ns per
 * unit, 0 for a plain number); NULL past the last. */
const char *pks_sysctl_at(int i, const char **knob, simtime *unit);

/* "S.", "F.", "R", "." in packetdrill's letters; buf of 8 or more. */
const char *pks_flags_str(uint8_t flags, char *buf, size_t len);
/* Options as Linux lays them out (tcp_options_write), in packetdrill's
 * words: "mss 1460,sackOK,TS val 5 ecr 0,nop,wscale 7"; SACK blocks
 * (where packets carry them) less sack_base. */
void pks_opts_str(const struct tcp_opts *o, uint32_t sack_base, char *buf,
                  size_t len);

/* A time as a script writes it, exactly: "1.5" as "1.500000", to the
 * microsecond, or to the nanosecond when it has one ("1.021901978"). */
void pks_time_str(simtime t, char *buf, size_t len);

/* A segment in packetdrill's words: "S. 0:0(0) ack 1 win 65160 <mss
 * 1460,...>", its sequence numbers less seq_base and ack less ack_base. */
void pks_seg_str(const struct pkt *p, uint32_t seq_base, uint32_t ack_base,
                 char *buf, size_t len);

#endif
