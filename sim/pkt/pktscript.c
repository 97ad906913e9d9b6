/*
 * pktscript.c - the packetdrill script reader (pktscript.h).
 *
 * The text is read statement by statement: comments (line and block
 * comments, as in C) are dropped, a backquoted command and a call's
 * parentheses may span lines, everything else ends at the end of its
 * line.  Errors name the
 * line a statement starts on.  Parsing stops at the first thing synsim
 * cannot run (s->skip): what comes after it would not run either.
 */
#define _POSIX_C_SOURCE 200809L
#include "pktscript.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tcp/tcp.h"

struct pctx {
	struct pktscript *s;
	const char *name;
	const char *p;		/* cursor */
	int line;		/* line of the cursor */
	char *err;
	size_t errlen;
	int cap;
};

static int
perr(struct pctx *c, int line, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(c->err, c->errlen, "%s:%d: ", c->name, line);
	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < c->errlen)
		vsnprintf(c->err + n, c->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

/* Mark the script skipped (the first reason wins); returns 1 so that
 * parsing stops. */
static int
pskip(struct pctx *c, int line, const char *fmt, ...)
{
	if (c->s->skip[0] == '\0') {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(c->s->skip, sizeof c->s->skip, fmt, ap);
		va_end(ap);
		c->s->skip_line = line;
	}
	return 1;
}

/* ---- small readers ----------------------------------------------------- */

/* Whole decimal or 0x hex number, all of text; 0 or -1. */
static int
read_int(const char *text, int64_t *out)
{
	char *end;
	if (*text == '\0')
		return -1;
	errno = 0;
	long long v = strtoll(text, &end, 0);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

static int
read_u32(const char *text, uint32_t *out)
{
	int64_t v;
	if (!isdigit((unsigned char)*text) || read_int(text, &v) < 0 ||
	    v > UINT32_MAX)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

/* Seconds with up to nine decimals ("1", "0.25", ".1") into ns; 0 or -1. */
static int
read_secs(const char *text, simtime *out)
{
	simtime whole = 0, frac = 0, scale = SIMTIME_S;
	const char *p = text;
	if (*p == '\0' || (*p == '.' && !isdigit((unsigned char)p[1])))
		return -1;
	for (; isdigit((unsigned char)*p); p++) {
		if (whole > 1000000000)
			return -1;
		whole = whole * 10 + (*p - '0');
	}
	if (*p == '.') {
		for (p++; isdigit((unsigned char)*p); p++) {
			if (scale == 1)
				return -1;
			scale /= 10;
			frac += (*p - '0') * scale;
		}
	}
	if (*p != '\0')
		return -1;
	*out = whole * SIMTIME_S + frac;
	return 0;
}

static char *
trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

/* ---- times -------------------------------------------------------------- */

/* "0.1", "+0.1", "*", "0.1...0.2", "+0...0.1" */
static int
parse_time(struct pctx *c, int line, const char *tok, struct pks_time *t)
{
	*t = (struct pks_time){ .kind = PKS_ABS };
	if (strcmp(tok, "*") == 0) {
		t->kind = PKS_ANY;
		return 0;
	}
	const char *p = tok;
	if (*p == '+') {
		t->kind = PKS_REL;
		p++;
	}
	char a[64], b[64] = "";
	const char *dots = strstr(p, "...");
	if (strlen(p) >= sizeof a)
		return perr(c, line, "bad time '%s'", tok);
	if (dots) {
		snprintf(a, sizeof a, "%.*s", (int)(dots - p), p);
		snprintf(b, sizeof b, "%s", dots + 3);
	} else {
		snprintf(a, sizeof a, "%s", p);
	}
	if (read_secs(a, &t->t) < 0 || (dots && read_secs(b, &t->end) < 0))
		return perr(c, line, "bad time '%s' (seconds, as 0.1, +0.1, "
		            "0.1...0.2 or *)", tok);
	if (dots) {
		if (t->end < t->t)
			return perr(c, line, "time range '%s' ends before it starts",
			            tok);
		t->range = true;
	} else {
		t->end = t->t;
	}
	return 0;
}

/* ---- segments ----------------------------------------------------------- */

static int
parse_flags(struct pctx *c, int line, const char *tok, uint8_t *flags)
{
	static const char letters[] = "SFRP.EWU";
	static const uint8_t bits[] = { TH_SYN, TH_FIN, TH_RST, TH_PSH, TH_ACK,
	                                TH_ECE, TH_CWR, TH_URG };
	*flags = 0;
	for (const char *p = tok; *p; p++) {
		const char *k = strchr(letters, *p);
		if (k == NULL)
			return perr(c, line, "unknown TCP flag '%c' in '%s' (flags "
			            "are S F R P . E W U)", *p, tok);
		*flags |= bits[k - letters];
	}
	return 0;
}

/* One option of a "<...>" list into o; 0, -1 (error) or 1 (skip). */
static int
parse_option(struct pctx *c, int line, char *item, struct tcp_opts *o)
{
	char *w[6];
	int n = 0;
	for (char *t = strtok(item, " \t"); t && n < 6; t = strtok(NULL, " \t"))
		w[n++] = t;
	if (n == 0)
		return perr(c, line, "empty TCP option in a '<...>' list");
	uint32_t v, e;
	if (n == 1 && (strcmp(w[0], "nop") == 0 || strcmp(w[0], "eol") == 0))
		return 0;
	if (n == 1 && strcmp(w[0], "sackOK") == 0) {
		o->present |= OPT_SACKOK;
		return 0;
	}
	if (n == 2 && strcmp(w[0], "mss") == 0) {
		if (read_u32(w[1], &v) < 0 || v > 65535)
			return perr(c, line, "bad mss '%s'", w[1]);
		o->present |= OPT_MSS;
		o->mss = (uint16_t)v;
		return 0;
	}
	if (n == 2 && strcmp(w[0], "wscale") == 0) {
		if (read_u32(w[1], &v) < 0 || v > 255)
			return perr(c, line, "bad wscale '%s'", w[1]);
		o->present |= OPT_WSCALE;
		o->wscale = (uint8_t)v;
		return 0;
	}
	if (strcmp(w[0], "TS") == 0) {
		if (n != 5 || strcmp(w[1], "val") != 0 || strcmp(w[3], "ecr") != 0 ||
		    read_u32(w[2], &v) < 0 || read_u32(w[4], &e) < 0)
			return perr(c, line, "bad timestamp option (TS val N ecr N)");
		o->present |= OPT_TS;
		o->tsval = v;
		o->tsecr = e;
		return 0;
	}
	if (strcmp(w[0], "sack") == 0) {
#ifdef PKT_SACK_MAX
		/* SACK blocks (RFC 2018 3), where packets carry them:
		 * "sack 1001:2001 3001:4001" */
		if (n < 2 || n - 1 > PKT_SACK_MAX)
			return perr(c, line, "a sack option takes 1 to %d blocks",
			            PKT_SACK_MAX);
		for (int i = 1; i < n; i++) {
			unsigned long long l, r;
			char tail;
			if (sscanf(w[i], "%llu:%llu%c", &l, &r, &tail) != 2 ||
			    l > UINT32_MAX || r > UINT32_MAX)
				return perr(c, line, "bad SACK block '%s' (left:right)",
				            w[i]);
			o->sack[i - 1][0] = (uint32_t)l;
			o->sack[i - 1][1] = (uint32_t)r;
		}
		o->nsack = (uint8_t)(n - 1);
		o->present |= OPT_SACK;
		return 0;
#else
		return pskip(c, line, "SACK blocks in a segment are not modelled");
#endif
	}
	return pskip(c, line, "TCP option '%s' is not modelled", w[0]);
}

/* "<mss 1460,nop,wscale 7>" (the brackets stripped) */
static int
parse_options(struct pctx *c, int line, char *list, struct pks_seg *g)
{
	g->has_opts = true;
	if (strcmp(trim(list), "...") == 0) {
		g->opts_any = true;
		return 0;
	}
	char *save = NULL;
	for (char *it = strtok_r(list, ",", &save); it;
	     it = strtok_r(NULL, ",", &save)) {
		char buf[128];
		snprintf(buf, sizeof buf, "%s", it);
		int rc = parse_option(c, line, buf, &g->opt);
		if (rc)
			return rc;
	}
	return 0;
}

/* "S. 0:0(0) ack 1 win 65535 <...>" after the direction. */
static int
parse_segment(struct pctx *c, int line, char *text, struct pks_seg *g)
{
	char *opts = strchr(text, '<');
	if (opts) {
		char *close = strrchr(opts, '>');
		if (close == NULL || trim(close + 1)[0] != '\0')
			return perr(c, line, "TCP options must end the line, in "
			            "'<...>'");
		*close = '\0';
		*opts++ = '\0';
	}
	char *w[16];
	int n = 0;
	for (char *t = strtok(text, " \t"); t; t = strtok(NULL, " \t")) {
		if (n == 16)
			return perr(c, line, "%s", "too many words in a segment line");
		w[n++] = t;
	}
	if (n < 2)
		return perr(c, line, "%s", "a segment needs flags and a sequence "
		            "range, as 'S 0:0(0)'");
	if (w[0][0] == '[')
		return pskip(c, line, "IP header field %s is not modelled", w[0]);
	if (parse_flags(c, line, w[0], &g->flags) < 0)
		return -1;
	char tail;
	unsigned long long a, b, l;
	if (sscanf(w[1], "%llu:%llu(%llu)%c", &a, &b, &l, &tail) != 3 ||
	    a > UINT32_MAX || b > UINT32_MAX || l > UINT32_MAX)
		return perr(c, line, "bad sequence range '%s' (start:end(length))",
		            w[1]);
	if ((uint32_t)(b - a) != l)
		return perr(c, line, "sequence range '%s' holds %llu bytes, not "
		            "%llu", w[1], (unsigned long long)(uint32_t)(b - a), l);
	g->seq = (uint32_t)a;
	g->end = (uint32_t)b;
	g->len = (uint32_t)l;
	for (int i = 2; i < n; i++) {
		if (strcmp(w[i], "ack") == 0 || strcmp(w[i], "win") == 0) {
			bool ack = w[i][0] == 'a';
			uint32_t v;
			if (i + 1 >= n || read_u32(w[i + 1], &v) < 0 ||
			    (!ack && v > 65535))
				return perr(c, line, "'%s' needs a number%s", w[i],
				            ack ? "" : " up to 65535");
			if (ack) {
				g->has_ack = true;
				g->ack = v;
			} else {
				g->has_win = true;
				g->win = v;
			}
			i++;
		} else {
			return pskip(c, line, "segment field '%s' is not modelled",
			             w[i]);
		}
	}
	if (g->has_ack && !(g->flags & TH_ACK))
		return perr(c, line, "'ack %u' on a segment without the ACK flag "
		            "'.'", g->ack);
	if (opts)
		return parse_options(c, line, opts, g);
	return 0;
}

/* ---- system calls ------------------------------------------------------- */

static const char *const call_names[][2] = {
	{ "socket", NULL }, { "bind", NULL }, { "listen", NULL },
	{ "accept", NULL }, { "connect", NULL }, { "write", "send" },
	{ "read", "recv" }, { "shutdown", NULL }, { "close", NULL },
	{ "setsockopt", NULL }, { "getsockopt", NULL }, { "fcntl", NULL },
};
_Static_assert(sizeof call_names / sizeof call_names[0] == PKS_NCALLS,
               "a name per call");
/* Arguments each call takes. */
static const int call_nargs[PKS_NCALLS] = { 3, 3, 2, 3, 3, 3, 3, 2, 1, 5, 5,
                                            -1 };

/* Split "a, [b, c], {d}" at top-level commas (in place). */
static int
split_args(char *s, char **argv, int max)
{
	int n = 0, depth = 0;
	char *start = s;
	if (*trim(s) == '\0')
		return 0;
	for (char *p = s;; p++) {
		if (*p == '(' || *p == '[' || *p == '{')
			depth++;
		else if (*p == ')' || *p == ']' || *p == '}')
			depth--;
		if ((*p == ',' && depth == 0) || *p == '\0') {
			bool end = *p == '\0';
			*p = '\0';
			if (n == max)
				return -1;
			argv[n++] = trim(start);
			start = p + 1;
			if (end)
				break;
		}
	}
	return n;
}

static int
arg_fd(struct pctx *c, int line, const char *a, int *fd)
{
	int64_t v;
	if (read_int(a, &v) < 0 || v < 0 || v > 1 << 20)
		return perr(c, line, "bad file descriptor '%s'", a);
	*fd = (int)v;
	return 0;
}

static int
arg_num(struct pctx *c, int line, const char *what, const char *a, int64_t *v)
{
	if (read_int(a, v) < 0 || *v < 0)
		return perr(c, line, "bad %s '%s' (a whole number)", what, a);
	return 0;
}

/* The arguments of call k, read into k's fields; 0, -1 or 1 (skip). */
static int
parse_call_args(struct pctx *c, int line, struct pks_call *k, char **a, int n)
{
	int want = call_nargs[k->id];
	bool sendrecv = strcmp(k->name, "send") == 0 || strcmp(k->name, "recv") == 0;
	if (sendrecv)
		want = 4;
	if (k->id == PKS_FCNTL ? n < 2 || n > 3 : n != want)
		return perr(c, line, "%s() takes %d arguments, got %d", k->name,
		            k->id == PKS_FCNTL ? 3 : want, n);
	k->fd = -1;
	if (k->id != PKS_SOCKET && arg_fd(c, line, a[0], &k->fd) < 0)
		return -1;
	switch (k->id) {
	case PKS_SOCKET: {
		/* "SOCK_STREAM", or with "| SOCK_NONBLOCK" */
		char type[64];
		size_t m = 0;
		for (const char *p = a[1]; *p && m + 1 < sizeof type; p++)
			if (!isspace((unsigned char)*p))
				type[m++] = *p;
		type[m] = '\0';
		k->n = strcmp(type, "SOCK_STREAM|SOCK_NONBLOCK") == 0;
		if (!k->n && strcmp(type, "SOCK_STREAM") != 0)
			return pskip(c, line, "socket type %s is not modelled (TCP "
			             "only)", a[1]);
		if (strcmp(a[0], "AF_INET6") == 0)
			return pskip(c, line, "%s", "IPv6 is not modelled");
		return 0;
	}
	case PKS_LISTEN:
		return arg_num(c, line, "backlog", a[1], &k->n);
	case PKS_WRITE:
	case PKS_READ:
		if (sendrecv && strcmp(a[3], "0") != 0)
			return pskip(c, line, "%s() flags %s are not modelled",
			             k->name, a[3]);
		return arg_num(c, line, "length", a[2], &k->n);
	case PKS_SHUTDOWN: {
		static const char *const how[] = { "SHUT_RD", "SHUT_WR",
		                                   "SHUT_RDWR" };
		for (int i = 0; i < 3; i++)
			if (strcmp(a[1], how[i]) == 0) {
				k->n = i;
				return 0;
			}
		return perr(c, line, "shutdown() how '%s' (SHUT_RD, SHUT_WR or "
		            "SHUT_RDWR)", a[1]);
	}
	case PKS_SETSOCKOPT:
		if (strcmp(a[1], "SOL_SOCKET") == 0 &&
		    strcmp(a[2], "SO_REUSEADDR") == 0) {
			/* Every bind succeeds in synsim: nothing to allow. */
			k->opt = PKS_OPT_REUSEADDR;
			return 0;
		}
		if (strcmp(a[1], "SOL_SOCKET") == 0 &&
		    strcmp(a[2], "SO_LINGER") == 0) {
			long long on, t;
			char tail;
			if (sscanf(a[3], "{ onoff = %lld , linger = %lld }%c", &on, &t,
			           &tail) != 2 &&
			    sscanf(a[3], "{onoff=%lld, linger=%lld}%c", &on, &t,
			           &tail) != 2)
				return perr(c, line, "SO_LINGER value '%s' (as {onoff=1, "
				            "linger=0})", a[3]);
			if (on && t != 0)
				return pskip(c, line, "%s", "SO_LINGER with a time is not "
				             "modelled (only linger=0, close sends RST)");
			k->opt = PKS_OPT_LINGER;
			k->n = on;
			k->linger = t;
			return 0;
		}
		if (strcmp(a[1], "IPPROTO_TCP") == 0 &&
		    strcmp(a[2], "TCP_NODELAY") == 0) {
			/* synsim sends each write at once: it has no Nagle
			 * to turn off, and cannot turn one on. */
			if (strcmp(a[3], "[1]") != 0)
				return pskip(c, line, "TCP_NODELAY %s: synsim has no "
				             "Nagle algorithm", a[3]);
			k->opt = PKS_OPT_NODELAY;
			return 0;
		}
		return pskip(c, line, "socket option %s %s is not modelled", a[1],
		             a[2]);
	case PKS_GETSOCKOPT: {
		size_t m = strlen(a[3]);
		if (strcmp(a[1], "SOL_SOCKET") != 0 ||
		    strcmp(a[2], "SO_ERROR") != 0)
			return pskip(c, line, "socket option %s %s is not modelled",
			             a[1], a[2]);
		if (m < 3 || a[3][0] != '[' || a[3][m - 1] != ']' ||
		    m - 2 >= sizeof k->want_err)
			return perr(c, line, "SO_ERROR value '%s' (as [0] or "
			            "[ECONNREFUSED])", a[3]);
		snprintf(k->want_err, sizeof k->want_err, "%.*s", (int)(m - 2),
		         a[3] + 1);
		k->opt = PKS_OPT_ERROR;
		return 0;
	}
	case PKS_FCNTL:
		if (strcmp(a[1], "F_GETFL") == 0 && n == 2) {
			k->fcntl_get = true;
			return 0;
		}
		if (strcmp(a[1], "F_SETFL") == 0 && n == 3) {
			k->n = strstr(a[2], "O_NONBLOCK") != NULL;
			return 0;
		}
		return pskip(c, line, "fcntl() command %s is not modelled", a[1]);
	default:
		return 0;
	}
}

/* "close(4) = 0", "connect(3, ..., ...) = -1 EINPROGRESS (...)" */
static int
parse_call(struct pctx *c, int line, char *text, struct pks_call *k)
{
	char *open = strchr(text, '(');
	size_t nl = open ? (size_t)(open - text) : 0;
	if (open == NULL || nl == 0 || nl >= sizeof k->name)
		return perr(c, line, "expected a system call as name(args) = "
		            "result, got '%s'", text);
	snprintf(k->name, sizeof k->name, "%.*s", (int)nl, text);
	for (size_t i = 0; i < nl; i++)
		if (!isalnum((unsigned char)text[i]) && text[i] != '_')
			return perr(c, line, "expected a system call as name(args) = "
			            "result, got '%s'", text);
	int id = -1;
	for (int i = 0; i < PKS_NCALLS; i++)
		if (strcmp(k->name, call_names[i][0]) == 0 ||
		    (call_names[i][1] && strcmp(k->name, call_names[i][1]) == 0))
			id = i;
	/* the closing parenthesis of the call: balanced */
	int depth = 0;
	char *close = NULL;
	for (char *p = open; *p && !close; p++) {
		if (*p == '(')
			depth++;
		else if (*p == ')' && --depth == 0)
			close = p;
	}
	if (close == NULL)
		return perr(c, line, "%s( has no closing parenthesis", k->name);
	char *rest = trim(close + 1);
	if (*rest != '=')
		return perr(c, line, "%s(...) needs its result, as '= 0'", k->name);
	if (id < 0)
		return pskip(c, line, "system call %s() is not modelled", k->name);
	k->id = (enum pks_call_id)id;
	/* result: a number, an errno name, a parenthesised note */
	rest = trim(rest + 1);
	char num[32];
	size_t m = strcspn(rest, " \t");
	if (m == 0 || m >= sizeof num)
		return perr(c, line, "%s(...) = needs a number", k->name);
	snprintf(num, sizeof num, "%.*s", (int)m, rest);
	if (read_int(num, &k->ret) < 0)
		return perr(c, line, "bad result '%s' (a number)", num);
	rest = trim(rest + m);
	if (isupper((unsigned char)*rest)) {
		m = strcspn(rest, " \t(");
		if (m >= sizeof k->err)
			return perr(c, line, "bad errno name '%s'", rest);
		snprintf(k->err, sizeof k->err, "%.*s", (int)m, rest);
		rest = trim(rest + m);
	}
	if (*rest && *rest != '(')
		return perr(c, line, "unexpected '%s' after the result", rest);
	if (k->ret == -1 && k->err[0] == '\0')
		return perr(c, line, "%s(...) = -1 needs the errno name, as "
		            "'-1 ECONNREFUSED'", k->name);
	*close = '\0';
	char *argv[8];
	int n = split_args(open + 1, argv, 8);
	if (n < 0)
		return perr(c, line, "%s() has too many arguments", k->name);
	return parse_call_args(c, line, k, argv, n);
}

/* ---- shell commands: sysctls -------------------------------------------- */

/* The sysctls that name a knob (Linux's names, Documentation/networking/
 * ip-sysctl.rst), and the unit of their value. */
static const struct {
	const char *sysctl, *knob;
	simtime unit;		/* 0: a count or a boolean */
	bool boolean;
} sysctl_map[] = {
	{ "net.core.somaxconn", "somaxconn", 0, false },
	{ "net.ipv4.tcp_fin_timeout", "fin_wait_2_timeout", SIMTIME_S, false },
	{ "net.ipv4.tcp_retries2", "data_retries", 0, false },
	{ "net.ipv4.tcp_rfc1337", "rfc1337", 0, true },
	{ "net.ipv4.tcp_sack", "opt_sack", 0, true },
	{ "net.ipv4.tcp_syn_linear_timeouts", "syn_linear_timeouts", 0, false },
	{ "net.ipv4.tcp_syn_retries", "syn_retries", 0, false },
	{ "net.ipv4.tcp_synack_retries", "synack_retries", 0, false },
	{ "net.ipv4.tcp_syncookies", "syncookies", 0, false },
	{ "net.ipv4.tcp_timestamps", "opt_ts", 0, true },
	{ "net.ipv4.tcp_window_scaling", "opt_wscale", 0, true },
};

const char *
pks_sysctl_at(int i, const char **knob, simtime *unit)
{
	if (i < 0 || (size_t)i >= sizeof sysctl_map / sizeof sysctl_map[0])
		return NULL;
	*knob = sysctl_map[i].knob;
	*unit = sysctl_map[i].unit;
	return sysctl_map[i].sysctl;
}

/* Settings that ask for what synsim already does: accepted, no knob. */
static const char *const sysctl_as_is[] = {
	"net.ipv4.tcp_ecn=0", "net.ipv4.tcp_fastopen=0",
};

static int
add_event(struct pctx *c, int line, enum pks_kind kind,
          const struct pks_time *t, const char *text, struct pks_event **out)
{
	struct pktscript *s = c->s;
	if (s->nev == c->cap) {
		int cap = c->cap ? 2 * c->cap : 32;
		struct pks_event *v = realloc(s->ev, (size_t)cap * sizeof *v);
		if (v == NULL)
			return perr(c, line, "%s", "out of memory");
		s->ev = v;
		c->cap = cap;
	}
	struct pks_event *e = &s->ev[s->nev];
	*e = (struct pks_event){ .line = line, .kind = kind, .time = *t };
	if ((e->text = strdup(text)) == NULL)
		return perr(c, line, "%s", "out of memory");
	s->nev++;
	*out = e;
	return 0;
}

/* "name=value" of a sysctl command; 0, -1 or 1 (skip). */
static int
parse_sysctl(struct pctx *c, int line, const struct pks_time *t, char *set)
{
	char *eq = strchr(set, '=');
	if (eq == NULL)
		return pskip(c, line, "sysctl '%s' reads a value, sets none", set);
	*eq = '\0';
	char name[64];
	snprintf(name, sizeof name, "%s", set);
	for (char *p = name; *p; p++)
		if (*p == '/')
			*p = '.';
	const char *val = eq + 1;
	char whole[128];
	snprintf(whole, sizeof whole, "%s=%s", name, val);
	struct pks_event *e;
	for (size_t i = 0; i < sizeof sysctl_as_is / sizeof sysctl_as_is[0]; i++)
		if (strcmp(whole, sysctl_as_is[i]) == 0) {
			if (add_event(c, line, PKS_SYSCTL, t, whole, &e) < 0)
				return -1;
			snprintf(e->u.sysctl.name, sizeof e->u.sysctl.name, "%s", name);
			return 0;
		}
	for (size_t i = 0; i < sizeof sysctl_map / sizeof sysctl_map[0]; i++) {
		if (strcmp(name, sysctl_map[i].sysctl) != 0)
			continue;
		int64_t v;
		if (read_int(val, &v) < 0 || v < 0)
			return perr(c, line, "sysctl %s: bad value '%s'", name, val);
		if (sysctl_map[i].boolean && v > 1)
			return pskip(c, line, "sysctl %s=%s: only 0 and 1 are "
			             "modelled", name, val);
		if (tcp_knob_find(sysctl_map[i].knob) == NULL)
			return pskip(c, line, "sysctl %s has no synsim knob", name);
		if (sysctl_map[i].unit && v > INT64_MAX / sysctl_map[i].unit)
			return perr(c, line, "sysctl %s: value '%s' too large", name,
			            val);
		if (add_event(c, line, PKS_SYSCTL, t, whole, &e) < 0)
			return -1;
		snprintf(e->u.sysctl.name, sizeof e->u.sysctl.name, "%s", name);
		snprintf(e->u.sysctl.knob, sizeof e->u.sysctl.knob, "%s",
		         sysctl_map[i].knob);
		e->u.sysctl.value = sysctl_map[i].unit ? v * sysctl_map[i].unit : v;
		return 0;
	}
	return pskip(c, line, "sysctl %s has no synsim knob", name);
}

/* The text between backquotes: commands split at newlines, ';' and
 * '&&'; only sysctl settings run. */
static int
parse_shell(struct pctx *c, int line, const struct pks_time *t, char *text)
{
	char *save = NULL;
	for (char *cmd = strtok_r(text, "\n;&", &save); cmd;
	     cmd = strtok_r(NULL, "\n;&", &save)) {
		cmd = trim(cmd);
		if (*cmd == '\0')
			continue;
		char *w[16] = { 0 };
		int n = 0;
		char *s2 = NULL;
		for (char *x = strtok_r(cmd, " \t", &s2); x && n < 16;
		     x = strtok_r(NULL, " \t", &s2))
			w[n++] = x;
		if (strcmp(w[0], "sysctl") != 0)
			return pskip(c, line, "shell command '%s' is not run", w[0]);
		for (int i = 1; i < n; i++) {
			if (w[i][0] == '-') {
				if (strcmp(w[i], "-q") && strcmp(w[i], "-w") &&
				    strcmp(w[i], "-e"))
					return pskip(c, line, "sysctl option %s is not "
					             "modelled", w[i]);
				continue;
			}
			int rc = parse_sysctl(c, line, t, w[i]);
			if (rc)
				return rc;
		}
	}
	return 0;
}

/* ---- statements --------------------------------------------------------- */

/* Skip blanks, newlines and comments; -1 on an unterminated comment. */
static int
skip_space(struct pctx *c)
{
	for (;;) {
		const char *p = c->p;
		if (*p == '\n') {
			c->line++;
			c->p++;
		} else if (isspace((unsigned char)*p)) {
			c->p++;
		} else if (p[0] == '/' && p[1] == '/') {
			c->p += strcspn(p, "\n");
		} else if (p[0] == '/' && p[1] == '*') {
			const char *e = strstr(p + 2, "*/");
			if (e == NULL)
				return perr(c, c->line, "%s", "unterminated /* comment");
			for (; p < e; p++)
				c->line += *p == '\n';
			c->p = e + 2;
		} else {
			return 0;
		}
	}
}

/* The rest of the statement from the cursor: to the end of the line,
 * across lines while parentheses are open; comments dropped.  Malloc'd. */
static char *
take_statement(struct pctx *c)
{
	size_t cap = 128, n = 0;
	char *buf = malloc(cap);
	int depth = 0;
	while (buf) {
		const char *p = c->p;
		if (*p == '\0' || (*p == '\n' && depth <= 0))
			break;
		if (p[0] == '/' && (p[1] == '/' || p[1] == '*')) {
			if (p[1] == '/') {
				c->p += strcspn(p, "\n");
				continue;
			}
			const char *e = strstr(p + 2, "*/");
			for (const char *q = p; q < (e ? e : p + strlen(p)); q++)
				c->line += *q == '\n';
			c->p = e ? e + 2 : p + strlen(p);
			continue;
		}
		if (*p == '(')
			depth++;
		else if (*p == ')')
			depth--;
		else if (*p == '\n')
			c->line++;
		if (n + 2 > cap) {
			char *b = realloc(buf, cap *= 2);
			if (b == NULL) {
				free(buf);
				return NULL;
			}
			buf = b;
		}
		buf[n++] = *p == '\n' ? ' ' : *p;
		c->p++;
	}
	if (buf)
		buf[n] = '\0';
	return buf;
}

/* One statement starting at the cursor; 0, -1 or 1 (skip: stop). */
static int
statement(struct pctx *c)
{
	int line = c->line;
	const char *p = c->p;
	if (p[0] == '%' && p[1] == '{')
		return pskip(c, line, "%s", "Python block %{ }% (synsim runs no "
		             "Python)");
	if (p[0] == '-' && p[1] == '-') {
		char opt[96];
		size_t n = strcspn(p, " \t\n");
		snprintf(opt, sizeof opt, "%.*s", (int)(n < 90 ? n : 90), p);
		c->p += n;
		int64_t v;
		if (strncmp(opt, "--tolerance_usecs=", 18) == 0) {
			if (read_int(opt + 18, &v) < 0 || v < 0 ||
			    v > INT64_MAX / SIMTIME_US)
				return perr(c, line, "bad %s", opt);
			c->s->tolerance = v * SIMTIME_US;
			return 0;
		}
		return pskip(c, line, "option %s is not modelled", opt);
	}
	struct pks_time t = { .kind = PKS_REL };
	if (*p != '`') {
		char tok[64];
		size_t n = strcspn(p, " \t\n");
		if (n >= sizeof tok)
			return perr(c, line, "bad time '%.20s...'", p);
		snprintf(tok, sizeof tok, "%.*s", (int)n, p);
		if (parse_time(c, line, tok, &t) < 0)
			return -1;
		c->p += n;
		c->p += strspn(c->p, " \t");
		p = c->p;
	}
	if (*p == '`') {
		const char *e = strchr(p + 1, '`');
		if (e == NULL)
			return perr(c, line, "%s", "unterminated `command`");
		char *cmd = strndup(p + 1, (size_t)(e - p - 1));
		if (cmd == NULL)
			return perr(c, line, "%s", "out of memory");
		for (const char *q = p; q < e; q++)
			c->line += *q == '\n';
		c->p = e + 1;
		int rc = parse_shell(c, line, &t, cmd);
		free(cmd);
		return rc;
	}
	if (p[0] == '%' && p[1] == '{')
		return pskip(c, line, "%s", "Python block %{ }% (synsim runs no "
		             "Python)");
	char *text = take_statement(c);
	if (text == NULL)
		return perr(c, line, "%s", "out of memory");
	char *body = trim(text);
	int rc;
	struct pks_event *e;
	if (*body == '<' || *body == '>') {
		enum pks_kind k = *body == '<' ? PKS_IN : PKS_OUT;
		struct pks_seg g = { 0 };
		char *seg = strdup(body + 1);
		rc = seg ? parse_segment(c, line, seg, &g) :
		     perr(c, line, "%s", "out of memory");
		free(seg);
		if (rc == 0 && k == PKS_IN && g.opts_any)
			rc = perr(c, line, "%s", "'<...>' options are for segments the "
			          "host sends: the peer's must be spelled out");
		if (rc == 0 && (rc = add_event(c, line, k, &t, body, &e)) == 0)
			e->u.seg = g;
	} else if (*body == '\0') {
		rc = perr(c, line, "%s", "a time with nothing after it");
	} else if (!isalpha((unsigned char)*body)) {
		rc = perr(c, line, "expected '<', '>', a system call or a `command` "
		          "after the time, got '%s'", body);
	} else {
		struct pks_call k = { 0 };
		char *call = strdup(body);
		rc = call ? parse_call(c, line, call, &k) :
		     perr(c, line, "%s", "out of memory");
		free(call);
		if (rc == 0 && (rc = add_event(c, line, PKS_CALL, &t, body, &e)) == 0)
			e->u.call = k;
	}
	free(text);
	return rc;
}

int
pks_parse(struct pktscript *s, const char *name, const char *text, char *err,
          size_t errlen)
{
	*s = (struct pktscript){ .tolerance = -1 };
	struct pctx c = { .s = s, .name = name, .p = text, .line = 1,
	                  .err = err, .errlen = errlen };
	if ((s->path = strdup(name)) == NULL) {
		snprintf(err, errlen, "%s: out of memory", name);
		return -1;
	}
	for (;;) {
		if (skip_space(&c) < 0)
			return -1;
		if (*c.p == '\0')
			break;
		int rc = statement(&c);
		if (rc < 0)
			return -1;
		if (rc > 0)
			break;
	}
	if (s->nev == 0 && s->skip[0] == '\0')
		return perr(&c, c.line, "%s", "no events: an empty script tests "
		            "nothing");
	return 0;
}

int
pks_parse_file(struct pktscript *s, const char *path, char *err, size_t errlen)
{
	*s = (struct pktscript){ .tolerance = -1 };
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	while (buf) {
		size_t k = fread(buf + n, 1, cap - n - 1, f);
		n += k;
		if (k == 0)
			break;
		if (n + 1 == cap) {
			char *b = realloc(buf, cap *= 2);
			if (b == NULL)
				free(buf);
			buf = b;
		}
	}
	bool bad = ferror(f);
	fclose(f);
	if (buf == NULL || bad) {
		free(buf);
		snprintf(err, errlen, "%s: %s", path, bad ? "read error" :
		         "out of memory");
		return -1;
	}
	buf[n] = '\0';
	if (memchr(buf, '\0', n)) {
		free(buf);
		snprintf(err, errlen, "%s: a binary file, not a script", path);
		return -1;
	}
	int rc = pks_parse(s, path, buf, err, errlen);
	free(buf);
	return rc;
}

void
pks_free(struct pktscript *s)
{
	for (int i = 0; i < s->nev; i++)
		free(s->ev[i].text);
	free(s->ev);
	free(s->path);
	*s = (struct pktscript){ 0 };
}

const char *
pks_flags_str(uint8_t flags, char *buf, size_t len)
{
	static const char letters[] = "SFRPEWU";
	static const uint8_t bits[] = { TH_SYN, TH_FIN, TH_RST, TH_PSH, TH_ECE,
	                                TH_CWR, TH_URG };
	size_t n = 0;
	for (int i = 0; i < 7 && n + 2 < len; i++)
		if (flags & bits[i])
			buf[n++] = letters[i];
	if ((flags & TH_ACK) && n + 1 < len)
		buf[n++] = '.';
	if (len)
		buf[n < len ? n : len - 1] = '\0';
	return buf;
}

void
pks_time_str(simtime t, char *buf, size_t len)
{
	simtime ns = t % SIMTIME_S;
	if (ns % SIMTIME_US == 0)
		snprintf(buf, len, "%" PRId64 ".%06" PRId64, t / SIMTIME_S,
		         ns / SIMTIME_US);
	else
		snprintf(buf, len, "%" PRId64 ".%09" PRId64, t / SIMTIME_S, ns);
}

void
pks_seg_str(const struct pkt *p, uint32_t seq_base, uint32_t ack_base,
            char *buf, size_t len)
{
	char f[8], o[128];
	uint32_t s = p->seq - seq_base;
	int n = snprintf(buf, len, "%s %u:%u(%u)", pks_flags_str(p->flags, f,
	                 sizeof f), s, s + p->len, p->len);
	if ((p->flags & TH_ACK) && n >= 0 && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, " ack %u", p->ack - ack_base);
	if (n >= 0 && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, " win %u", p->wnd);
	pks_opts_str(&p->opt, ack_base, o, sizeof o);
	if (o[0] && n >= 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, " <%s>", o);
}

void
pks_opts_str(const struct tcp_opts *o, uint32_t sack_base, char *buf,
             size_t len)
{
	/* Linux's layout (tcp_options_write): MSS; SACK-permitted shares
	 * a word with the timestamps, else two NOPs pad it; the window
	 * scale after a NOP. */
	size_t n = 0;
	buf[0] = '\0';
#define ADD(...) (n += (size_t)snprintf(buf + n, n < len ? len - n : 0, __VA_ARGS__))
	if (o->present & OPT_MSS)
		ADD("%smss %u", n ? "," : "", o->mss);
	if (o->present & OPT_TS) {
		ADD("%s%s", n ? "," : "", (o->present & OPT_SACKOK) ? "sackOK" :
		    "nop,nop");
		ADD(",TS val %u ecr %u", o->tsval, o->tsecr);
	} else if (o->present & OPT_SACKOK) {
		ADD("%snop,nop,sackOK", n ? "," : "");
	}
	if (o->present & OPT_WSCALE)
		ADD("%snop,wscale %u", n ? "," : "", o->wscale);
#ifdef PKT_SACK_MAX
	if ((o->present & OPT_SACK) && o->nsack) {
		ADD("%snop,nop,sack", n ? "," : "");
		for (int i = 0; i < o->nsack && i < PKT_SACK_MAX; i++)
			ADD(" %u:%u", o->sack[i][0] - sack_base,
			    o->sack[i][1] - sack_base);
	}
#else
	(void)sack_base;
#endif
#undef ADD
}
