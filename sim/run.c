/*
 * run.c - a scenario run from start to output files.
 *
 * Sinks are subscribed before the scenario runs; every output goes through
 * an outfile, committed only when the run did not fail with an error, so
 * DIR never holds a half-written file.
 */
#define _POSIX_C_SOURCE 200809L
#include "run.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/outfile.h"
#include "core/stage.h"
#include "core/sim.h"
#include "lua/runtime.h"
#include "net/net.h"
#include "core/rng.h"
#include "pkt/pktwrite.h"
#include "trace/csv.h"
#include "trace/explain.h"
#include "trace/fingerprint.h"
#include "trace/narrate.h"
#include "trace/pcap.h"
#include "view/plot.h"
#include "trace/conns.h"
#include "trace/summary.h"
#include "view/html.h"

#ifndef SYNSIM_VERSION
#define SYNSIM_VERSION "0.0.0"
#endif

enum { OUT_TRACE, OUT_PACKETS, OUT_STATES, OUT_PCAP, OUT_PCAPNG,
       OUT_SUMMARY, OUT_QUEUES, OUT_CONNS, OUT_EXPLAIN, OUT_N };
static const char *const out_names[OUT_N + 1] = {
	"trace.txt", "packets.csv", "states.csv", "trace.pcap", "trace.pcapng",
	"summary.json", "queues.csv", "connections.csv", "explain.csv", NULL,
};

/* Which output group each file belongs to. */
static const unsigned out_group[OUT_N] = {
	RUN_OUT_TRACE, RUN_OUT_CSV, RUN_OUT_CSV, RUN_OUT_PCAP, RUN_OUT_PCAP,
	RUN_OUT_SUMMARY, RUN_OUT_CSV, RUN_OUT_CONNS_CSV, RUN_OUT_EXPLAIN,
};

int
run_parse_outputs(const char *list, unsigned *out, char *err, size_t len)
{
	static const struct {
		const char *name;
		unsigned bit;
	} groups[] = {
		{ "trace", RUN_OUT_TRACE }, { "csv", RUN_OUT_CSV },
		{ "pcap", RUN_OUT_PCAP }, { "summary", RUN_OUT_SUMMARY },
		/* A record per connection: in summary.json (which all
		 * keeps) and in connections.csv (which all leaves out, so
		 * the default set of files stays as it was). */
		{ "connections", RUN_OUT_CONNS | RUN_OUT_CONNS_CSV },
		{ "explain", RUN_OUT_EXPLAIN }, { "all", RUN_OUT_ALL },
	};
	unsigned set = 0;
	const char *p = list;
	for (;;) {
		size_t n = strcspn(p, ",");
		size_t i;
		for (i = 0; i < sizeof groups / sizeof groups[0]; i++)
			if (strlen(groups[i].name) == n &&
			    strncmp(groups[i].name, p, n) == 0)
				break;
		if (i == sizeof groups / sizeof groups[0]) {
			snprintf(err, len, "unknown output '%.*s' (known: trace, csv, "
			         "pcap, summary, connections, explain, all)", (int)n, p);
			return -1;
		}
		set |= groups[i].bit;
		if (p[n] == '\0')
			break;
		p += n + 1;
	}
	*out = set;
	return 0;
}

static void
discard_all(struct outfile *out)
{
	for (int i = 0; i < OUT_N; i++)
		outfile_discard(&out[i]);
}

/* "link-NAME.pcap" or "host-NAME.pcap": a per-link or per-host
 * capture's name. */
static bool
link_capture_name(const char *name)
{
	size_t n = strlen(name);
	return n > strlen("link-.pcap") && (strncmp(name, "link-", 5) == 0 ||
	                                    strncmp(name, "host-", 5) == 0) &&
	       strcmp(name + n - 5, ".pcap") == 0;
}

static void
free_names(char **names)
{
	for (char **p = names; p && *p; p++)
		free(*p);
	free(names);
}

/* The per-link captures this run is about to commit: their file names
 * (malloc'd, NULL-terminated), or NULL when out of memory. */
static char **
link_captures(const struct pcapsink *pcap)
{
	char **v = calloc((size_t)pcap->nlinks + 1, sizeof *v);
	int n = 0;
	for (int i = 0; v && i < pcap->nlinks; i++) {
		const char *path = pcap->links[i].path;
		if (pcap->links[i].f == NULL || path == NULL)
			continue;
		const char *base = strrchr(path, '/');
		if ((v[n++] = strdup(base ? base + 1 : path)) == NULL) {
			free_names(v);
			return NULL;
		}
	}
	return v;
}

static bool
listed(char *const *names, const char *name)
{
	for (; names && *names; names++)
		if (strcmp(*names, name) == 0)
			return true;
	return false;
}

/*
 * After a run has committed its files, remove those an earlier run left
 * in DIR that this one did not write: outputs it was not asked for, the
 * captures of links it does not have (or that carried nothing), the
 * scripts of --pkt for other hosts or none, and the plots, which were drawn from the earlier run's files.  Otherwise plot
 * and diff would read a mix of two runs.  Only names synsim itself gives
 * its files are touched.  0, or -1 after a message.
 */
static int
remove_stale(const char *dir, unsigned want, char *const *links,
             const char *script)
{
	/* Listed first, removed after: readdir need not see a folder that
	 * changes under it. */
	char **names = outfile_list_dir(dir);
	if (names == NULL) {
		fprintf(stderr, "synsim: cannot read %s: %s\n", dir, strerror(errno));
		return -1;
	}
	int rc = 0;
	for (char **p = names; *p && rc == 0; p++) {
		const char *name = *p;
		size_t len = strlen(name);
		bool old = plot_output_name(name) || view_output_name(name) ||
		           (link_capture_name(name) && !listed(links, name)) ||
		           (len > 4 && strcmp(name + len - 4, ".pkt") == 0 &&
		            (script == NULL || strcmp(name, script) != 0));
		for (int i = 0; i < OUT_N && !old; i++)
			old = strcmp(name, out_names[i]) == 0 && !(want & out_group[i]);
		if (!old)
			continue;
		char path[4200];
		snprintf(path, sizeof path, "%s/%s", dir, name);
		if (unlink(path) < 0 && errno != ENOENT) {
			fprintf(stderr, "synsim: cannot remove %s (from an earlier "
			        "run): %s\n", path, strerror(errno));
			rc = -1;
		}
	}
	outfile_free_names(names);
	return rc;
}

/* FNV-1a 64 of the scenario file, 0 if unreadable. */
static uint64_t
file_hash(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return 0;
	uint64_t h = 0xcbf29ce484222325u;
	int c;
	while ((c = getc(f)) != EOF) {
		h ^= (unsigned char)c;
		h *= 0x100000001b3u;
	}
	fclose(f);
	return h;
}

/* s as one shell word at buf + n (of len): as it is when every byte is
 * one a shell leaves alone, else in single quotes, an embedded ' written
 * '\''.  Returns the new length, which may pass len (truncated). */
static size_t
shell_word(char *buf, size_t n, size_t len, const char *s)
{
	static const char plain[] = "abcdefghijklmnopqrstuvwxyz"
	                            "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	                            "_@%+=:,./-";
	if (*s && s[strspn(s, plain)] == '\0')
		return n + (size_t)snprintf(buf + n, n < len ? len - n : 0, "%s", s);
	size_t k = n;
	if (k < len)
		buf[k] = '\'';
	k++;
	for (; *s; s++) {
		const char *piece = *s == '\'' ? "'\\''" : NULL;
		size_t m = piece ? strlen(piece) : 1;
		for (size_t i = 0; i < m; i++, k++)
			if (k < len)
				buf[k] = piece ? piece[i] : *s;
	}
	if (k < len)
		buf[k] = '\'';
	k++;
	if (len > 0)
		buf[k < len ? k : len - 1] = '\0';
	return k;
}

/* "synsim run SCENARIO --seed N -D a=b ...", each word quoted for a
 * POSIX shell where it needs to be ("-D 'delay=50 ms'"), so the line
 * can be pasted as it is. */
static void
reproduce_line(const struct run_opts *o, char *buf, size_t len)
{
	size_t n = (size_t)snprintf(buf, len, "synsim run ");
	n = shell_word(buf, n, len, o->scenario);
	if (n < len)
		n += (size_t)snprintf(buf + n, len - n, " --seed %llu",
		                      (unsigned long long)o->seed);
	for (int i = 0; i < o->nparams && n < len; i++) {
		n += (size_t)snprintf(buf + n, len - n, " -D ");
		n = shell_word(buf, n, len, o->params[i]);
	}
	if (o->until != SIMTIME_MAX && n < len) {
		char t[32];
		simtime_format_short(o->until, t, sizeof t);
		n += (size_t)snprintf(buf + n, len - n, " --until %s", t);
	}
	if (o->max_events && n < len)
		n += (size_t)snprintf(buf + n, len - n, " --max-events %llu",
		                      (unsigned long long)o->max_events);
	/* The limits a run was given are part of how to get it again: one
	 * that needed more than the default fails without them. */
	const struct { const char *opt; uint64_t v; } lim[] = {
		{ "--max-memory", o->max_memory },
		{ "--max-instructions", o->max_instructions },
		{ "--max-instant-events", o->max_instant_events },
		{ "--max-packets", o->max_packets },
	};
	for (size_t i = 0; i < sizeof lim / sizeof lim[0]; i++) {
		if (lim[i].v == 0 || n >= len)
			continue;
		if (lim[i].v == UINT64_MAX)
			n += (size_t)snprintf(buf + n, len - n, " %s none", lim[i].opt);
		else
			n += (size_t)snprintf(buf + n, len - n, " %s %llu", lim[i].opt,
			                      (unsigned long long)lim[i].v);
	}
}

/* DIR/<host>.pkt: the host's first connection as a packetdrill script
 * (--pkt HOST), written to be committed with the other outputs; 0 or -1
 * after a message. */
static int
run_write_pkt(struct pktwriter *w, struct outfile *of, const char *dir,
              const char *repro, uint64_t seed)
{
	char name[300];
	snprintf(name, sizeof name, "%s.pkt", w->host);
	if (w->conn == NULL) {
		fprintf(stderr, "synsim: --pkt %s: no connection of a host named "
		        "%s in this run\n", w->host, w->host);
		return -1;
	}
	if (outfile_open(of, dir, name) == NULL ||
	    pkw_write(w, of->f, repro, seed) < 0) {
		fprintf(stderr, "synsim: cannot write %s/%s\n", dir, name);
		return -1;
	}
	return 0;
}

int
run_scenario(const struct run_opts *o)
{
	struct sim sim;
	struct lrt rt;
	struct outfile out[OUT_N] = { 0 };
	struct narrate narr = { .echo = o->quiet ? NULL : stdout, .sim = &sim,
	                        .explain = o->explain, .absolute = o->absolute,
	                        .timers = o->timers };
	struct summary sum = { 0 };
	struct csvsink csv = { .sim = &sim };
	struct explainsink expl = { 0 };
	struct pcapsink pcap = { 0 };
	struct fingerprint fp;
	struct stage stage = { 0 };
	struct pktwriter pkw = { .host = o->pkt_host };
	struct outfile pkw_out = { 0 };
	int status = RUN_ERROR;
	bool keep = false;	/* failed after a whole run: outputs kept */
	char repro[1024], line[1200];
	/* The file is read twice (its hash, then Lua): a pipe would give
	 * Lua nothing the second time and the run would do nothing. */
	struct stat st;
	if (stat(o->scenario, &st) == 0 && !S_ISREG(st.st_mode)) {
		fprintf(stderr, "synsim: %s: %s, not a scenario file\n", o->scenario,
		        S_ISDIR(st.st_mode) ? "a folder" : "not a regular file");
		return RUN_ERROR;
	}
	uint64_t shash = file_hash(o->scenario);

	fingerprint_init(&fp);
	reproduce_line(o, repro, sizeof repro);

	sim_init(&sim, o->seed);
	unsigned want = o->outdir ? (o->outputs ? o->outputs : RUN_OUT_ALL) : 0;
	if (o->outdir) {
		/* Written beside DIR, moved in when the whole run succeeded. */
		if (stage_open(&stage, o->outdir) < 0) {
			fprintf(stderr, "synsim: cannot create %s: %s\n", o->outdir,
			        strerror(errno));
			goto done;
		}
		for (int i = 0; i < OUT_N; i++)
			if ((want & out_group[i]) &&
			    outfile_open(&out[i], stage.tmp, out_names[i]) == NULL) {
				fprintf(stderr, "synsim: cannot write %s/%s: %s\n",
				        o->outdir, out_names[i], strerror(errno));
				goto done;
			}
	}
	/* Each sink is subscribed only when its output is wanted: the
	 * others cost nothing. */
	if (want & RUN_OUT_TRACE)
		narr.out = out[OUT_TRACE].f;
	if (want & RUN_OUT_CSV) {
		csv.pkts = out[OUT_PACKETS].f;
		csv.states = out[OUT_STATES].f;
		csv.queues = out[OUT_QUEUES].f;
		csv_header(&csv);
		trace_subscribe(&sim.trace, TRACE_MASK(TR_PKT) | TRACE_MASK(TR_STATE) |
		                TRACE_MASK(TR_QUEUE), csv_event, &csv);
	}
	if (want & RUN_OUT_EXPLAIN) {
		expl.f = out[OUT_EXPLAIN].f;
		explain_header(&expl);
		trace_subscribe(&sim.trace, TRACE_MASK(TR_PKT) |
		                TRACE_MASK(TR_STATE) | TRACE_MASK(TR_TIMER),
		                explain_event, &expl);
		sim.trace.rules = true;
	}
	if (want & RUN_OUT_PCAP) {
		pcap.merged = out[OUT_PCAP].f;
		pcap.dir = stage.tmp;
		pcap_write_header(pcap.merged);
		pcap_start_ng(&pcap, out[OUT_PCAPNG].f, repro);
		trace_subscribe(&sim.trace, TRACE_MASK(TR_PKT) | TRACE_MASK(TR_STATE),
		                pcap_event, &pcap);
	}
	snprintf(line, sizeof line, "# %s  (synsim %s, scenario fnv1a64 %016llx)",
	         repro, SYNSIM_VERSION, (unsigned long long)shash);
	narrate_line(&narr, line);
	if (narr.out || narr.echo) {
		trace_subscribe(&sim.trace, TRACE_ALL, narrate_event, &narr);
		sim.trace.rules |= o->explain;
	}
	if (want & RUN_OUT_SUMMARY)
		trace_subscribe(&sim.trace, TRACE_MASK(TR_METRIC), summary_event,
		                &sum);
	/* A run that writes only summary.json, without the per-connection
	 * records, takes the lean fingerprint (fingerprint.c): nobody reads
	 * the words or the relative numbers, and timer and application
	 * events are not made at all.  With the records, summary.json is the
	 * one a default run writes, full fingerprint included. */
	bool lean = !narr.out && !narr.echo &&
	            !(want & (RUN_OUT_CSV | RUN_OUT_PCAP | RUN_OUT_CONNS_CSV |
	                      RUN_OUT_EXPLAIN)) && !o->pkt_host && !o->hook;
	if (lean) {
		trace_subscribe(&sim.trace, FINGERPRINT_LEAN_MASK,
		                fingerprint_lean_event, &fp);
		sim.trace.no_rel = true;
		sim.closed_unread = !(want & RUN_OUT_CONNS);
	} else {
		trace_subscribe(&sim.trace, TRACE_ALL, fingerprint_event, &fp);
	}
	if (o->hook)
		trace_subscribe(&sim.trace, o->hook->mask, o->hook->event,
		                o->hook->ctx);
	if (o->hook && o->hook->start)
		o->hook->start(o->hook->ctx, &sim);
	if (o->pkt_host)
		trace_subscribe(&sim.trace, TRACE_MASK(TR_PKT) | TRACE_MASK(TR_STATE) |
		                TRACE_MASK(TR_APP), pkw_event, &pkw);

	if (lrt_open(&rt, &sim, o->scenario, o->params, o->nparams) < 0 ||
	    lrt_set_knobs(&rt, o->knobs, o->nknobs) < 0 ||
	    lrt_set_answers(&rt, o->answers, o->nanswers) < 0) {
		lrt_close(&rt);
		goto done;
	}
	lrt_set_limits(&rt, o->max_memory, o->max_instructions,
	               o->max_instant_events, o->max_packets);
	rt.until = o->until;
	rt.max_events = o->max_events;
	rt.verbose = o->verbose;
	status = lrt_run(&rt);
	int expect_failed = rt.expect_failed;
	keep = rt.after_run_error;
	lrt_close(&rt);
	if (o->hook)
		o->hook->end(o->hook->ctx, &sim, fp.hash, fp.events);
	if (status == RUN_ERROR && !keep)
		goto done;
	if (keep)
		narrate_line(&narr, "# the scenario failed after its run (see the "
		             "error above): the outputs of the run are kept");
	snprintf(line, sizeof line, "# fingerprint %016llx (%llu trace events)",
	         (unsigned long long)fp.hash, (unsigned long long)fp.events);
	narrate_line(&narr, line);
	if (!o->outdir)
		goto done;

	struct run_info ri = {
		.version = SYNSIM_VERSION,
		.scenario = o->scenario,
		.seed = o->seed,
		.params = o->params,
		.nparams = o->nparams,
		.status = status,
		.expect_failed = expect_failed,
		.end = sim_now(&sim),
		.events = sim.sched.fired,
		.reproduce = repro,
		.scenario_hash = shash,
		.fingerprint = fp.hash,
		.trace_events = fp.events,
		.sim = &sim,
		.connections = want & RUN_OUT_CONNS,
		.lean_fingerprint = lean,
	};
	if (want & RUN_OUT_SUMMARY)
		summary_write(&sum, out[OUT_SUMMARY].f, &ri);
	if (want & RUN_OUT_CONNS_CSV)
		conns_write_csv(out[OUT_CONNS].f, &sim);
	if (o->pkt_host &&
	    run_write_pkt(&pkw, &pkw_out, stage.tmp, repro, o->seed) < 0) {
		status = RUN_ERROR;
		goto done;
	}
	char **links = link_captures(&pcap);
	if (links == NULL) {
		fputs("synsim: out of memory\n", stderr);
		status = RUN_ERROR;
		keep = false;
		goto done;
	}
	/* A run that failed after it ran whole (keep) commits too, but
	 * only when every file of it was written. */
	bool written = true;
	if (want & RUN_OUT_PCAP) {
		pcap_finish_ng(&pcap);
		if (pcap_commit_links(&pcap) < 0) {
			fprintf(stderr, "synsim: cannot write the link captures in "
			        "%s: %s\n", o->outdir, strerror(errno));
			written = false;
		}
	}
	for (int i = 0; i < OUT_N; i++)
		if ((want & out_group[i]) && outfile_commit(&out[i]) < 0) {
			fprintf(stderr, "synsim: cannot write %s/%s: %s\n",
			        o->outdir, out_names[i], strerror(errno));
			written = false;
		}
	char script[300];
	snprintf(script, sizeof script, "%s.pkt", o->pkt_host ? o->pkt_host : "");
	if (o->pkt_host && outfile_commit(&pkw_out) < 0) {
		fprintf(stderr, "synsim: cannot write %s/%s\n", o->outdir, script);
		written = false;
	}
	if (!written) {
		status = RUN_ERROR;
		keep = false;
	}
	if ((status != RUN_ERROR || keep) && stage_commit(&stage) < 0) {
		status = RUN_ERROR;
		keep = false;
	}
	if ((status != RUN_ERROR || keep) &&
	    remove_stale(o->outdir, want, links, o->pkt_host ? script : NULL) < 0)
		status = RUN_ERROR;
	free_names(links);
done:
	/* The files are closed: the timers that freeing the connections
	 * cancels are no events of the run, and no sink may hear them. */
	trace_init(&sim.trace);
	discard_all(out);
	outfile_discard(&pkw_out);
	pkw_free(&pkw);
	if (stage.tmp && status == RUN_ERROR && !keep && !stage.moved_some &&
	    stage_dir_has(o->outdir, out_names))
		fprintf(stderr, "synsim: the run failed, so nothing of it was "
		        "written: %s still holds the earlier run's outputs\n",
		        o->outdir);
	stage_free(&stage);
	summary_free(&sum);
	pcap_free(&pcap);
	net_free(sim.net);
	sim_free(&sim);
	return status;
}
