/*
 * sweep.c - `synsim sweep`: a grid of parameter points times
 * replications, run by worker processes on every core, into runs.csv,
 * conns.csv and summary.csv; --resume, shards and --emit-jobs for GNU
 * parallel or a Slurm job array.
 *
 * The parent never runs a scenario.  It hands run numbers to workers
 * (pool.c, worker.c), takes their records back in whatever order they
 * finish, and writes rows in run order: runs.csv grows by whole rows, each in
 * one write(2), so a sweep stopped at any moment (Ctrl-C, SIGKILL, a
 * crash) leaves a file of whole rows that --resume reads back.  At the
 * end the files are written once more in their canonical form (table.h)
 * through a temporary and rename, which is what makes them the same
 * bytes for any -j, after a resume, and after a merge of shards.
 */
#define _POSIX_C_SOURCE 200809L
#include "sweep.h"
#include "sweep_int.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "pool.h"
#include "worker.h"
#include "../core/error.h"
#include "../core/outfile.h"

/* ---- arguments --------------------------------------------------------- */

/* Names the files use for their own columns: an axis may not take one. */
static const char *const reserved[] = {
	TABLE_FIXED_COLS, "host", "conn", "outcome", "handshake_ms",
	"retransmits", "metric", "n", "mean", "stddev", "min", "p50", "p95",
	"p99", "max", "ci95_lo", "ci95_hi", NULL
};

void
sweep_free(struct sweep *sw)
{
	grid_free(&sw->grid);
	for (int i = 0; i < sw->ndefs; i++)
		free(sw->defs[i]);
	free(sw->defs);
	free(sw->scenario);
	*sw = (struct sweep){ 0 };
}

static int
parse_count(const char *opt, const char *s, long max, long *out)
{
	char *end;
	errno = 0;
	long v = (*s >= '0' && *s <= '9') ? strtol(s, &end, 10) : -1;
	if (v < 1 || v > max || errno || *end) {
		char what[200];
		snprintf(what, sizeof what, "%s %.60s: expected a whole number from "
		         "1 to %ld", opt, s, max);
		return sim_usage_error("%s", what);
	}
	*out = v;
	return 0;
}

static int
add_def(struct sweep *sw, const char *def)
{
	const char *eq = strchr(def, '=');
	if (eq == NULL || eq == def)
		return sim_usage_error("-D %s: expected name=value", def);
	char **v = realloc(sw->defs, sizeof *v * (size_t)(sw->ndefs + 1));
	if (v == NULL)
		return sim_usage_error("%s", "out of memory");
	sw->defs = v;
	if ((v[sw->ndefs] = strdup(def)) == NULL)
		return sim_usage_error("%s", "out of memory");
	sw->ndefs++;
	return 0;
}

/*
 * The arguments of a sweep, from the command line or from a folder's
 * sweep.args (in_file: the options that belong to one invocation, -j,
 * --out, --resume, --emit-jobs, are not there).  0, or the exit status
 * of a usage error (reported).
 */
int
sweep_parse(struct sweep *sw, int argc, char **argv, bool in_file)
{
	*sw = (struct sweep){ .reps = 1, .seed = 1, .until = SIMTIME_MAX };
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;
		char opt[3];
		/* -j8, -Dname=value, -Pname=...: the value attached. */
		if (a[0] == '-' && strchr("jDP", a[1]) && a[1] && a[2]) {
			snprintf(opt, sizeof opt, "%.2s", a);
			val = a + 2;
			a = opt;
			i--;	/* no separate value to step over */
		}
		bool takes = !strcmp(a, "-P") || !strcmp(a, "-D") ||
		             !strcmp(a, "--reps") || !strcmp(a, "--seed") ||
		             !strcmp(a, "-j") || !strcmp(a, "--out") ||
		             !strcmp(a, "--shard") || !strcmp(a, "--emit-jobs") ||
		             !strcmp(a, "--shards") || !strcmp(a, "--until") ||
		             !strcmp(a, "--max-events");
		bool local = !strcmp(a, "-j") || !strcmp(a, "--out") ||
		             !strcmp(a, "--resume") || !strcmp(a, "--emit-jobs") ||
		             !strcmp(a, "--shards");
		long n = 0;
		int rc = 0;
		if (in_file && local)
			return sim_usage_error("sweep.args: %s belongs on the command "
			                       "line", a);
		if (takes && (val == NULL || (strncmp(val, "--", 2) == 0))) {
			char what[200];
			snprintf(what, sizeof what, "%s needs a value%s%.60s%s", a,
			         val ? " (got the option " : "", val ? val : "",
			         val ? ")" : "");
			return sim_usage_error("%s", what);
		}
		if (takes)
			i++;
		/* sweep.args holds one argument a line. */
		if (takes && strchr(val, '\n'))
			return sim_usage_error("%s: a value may not hold a line "
			                       "break", a);
		if (!strcmp(a, "-P")) {
			char err[300];
			if (grid_add_axis(&sw->grid, val, err, sizeof err) < 0)
				return sim_usage_error("%s", err);
			const char *name = sw->grid.ax[sw->grid.nax - 1].name;
			for (int k = 0; reserved[k]; k++)
				if (!strcmp(name, reserved[k]))
					return sim_usage_error("-P %s: the files use this name "
					                       "for a column of their own; "
					                       "name the parameter otherwise "
					                       "(--seed sets the seed)", name);
		} else if (!strcmp(a, "-D")) {
			rc = add_def(sw, val);
		} else if (!strcmp(a, "--reps")) {
			rc = parse_count(a, val, 10000000, &n);
			sw->reps = (int)n;
		} else if (!strcmp(a, "--seed")) {
			char *end;
			errno = 0;
			unsigned long long s = strtoull(val, &end, 10);
			if (*val < '0' || *val > '9' || errno || *end)
				return sim_usage_error("--seed %s: expected a whole number",
				                       val);
			sw->seed = s;
		} else if (!strcmp(a, "--until")) {
			char err[UNITS_ERRLEN];
			if (units_parse_duration(val, &sw->until, err) < 0)
				return sim_usage_error("--until: %s", err);
		} else if (!strcmp(a, "--max-events")) {
			char *end;
			errno = 0;
			sw->max_events = strtoull(val, &end, 10);
			if (*val < '1' || *val > '9' || errno || *end)
				return sim_usage_error("--max-events %s: expected a "
				                       "positive whole number", val);
		} else if (!strcmp(a, "-j")) {
			rc = parse_count(a, val, 1024, &n);
			sw->jobs = (int)n;
		} else if (!strcmp(a, "--out")) {
			sw->out = val;
		} else if (!strcmp(a, "--shard")) {
			int k = 0;
			if (sscanf(val, "%d/%d%n", &sw->shard, &sw->nshards, &k) != 2 ||
			    val[k] != '\0' || sw->nshards < 1 || sw->nshards > 100000 ||
			    sw->shard < 1 || sw->shard > sw->nshards)
				return sim_usage_error("--shard %s: expected I/N, 1 <= I <= N",
				                       val);
		} else if (!strcmp(a, "--shards")) {
			rc = parse_count(a, val, 100000, &n);
			sw->emit_shards = (int)n;
		} else if (!strcmp(a, "--emit-jobs")) {
			sw->emit = val;
		} else if (!strcmp(a, "--resume")) {
			sw->resume = true;
		} else if (a[0] == '-' && a[1] != '\0') {
			return sim_usage_error("unknown option %s", a);
		} else if (sw->scenario == NULL) {
			if (strchr(a, '\n'))
				return sim_usage_error("%s", "the scenario's name may not "
				                       "hold a line break");
			if ((sw->scenario = strdup(a)) == NULL)
				return sim_usage_error("%s", "out of memory");
		} else {
			return sim_usage_error("one scenario at a time (also got %s)", a);
		}
		if (rc)
			return rc;
	}
	for (int i = 0; i < sw->ndefs; i++)
		for (int a = 0; a < sw->grid.nax; a++) {
			size_t n = strlen(sw->grid.ax[a].name);
			if (!strncmp(sw->defs[i], sw->grid.ax[a].name, n) &&
			    sw->defs[i][n] == '=')
				return sim_usage_error("%s is both a -P axis and a -D "
				                       "value", sw->grid.ax[a].name);
		}
	if ((double)sw->grid.npoints * sw->reps > GRID_MAX_RUNS)
		return sim_usage_error("%s", "more than 100 million runs");
	if (sw->grid.nax == 0)
		sw->grid.npoints = 1;
	return 0;
}

/* The sweep's arguments in canonical form, one per line: the scenario,
 * the axes with their values spelled out, -D as given, --reps, --seed,
 * and --shard when with_shard.  malloc'd. */
char *
sweep_args_text(const struct sweep *sw, bool with_shard)
{
	char *buf = NULL;
	size_t len;
	FILE *f = open_memstream(&buf, &len);
	if (f == NULL)
		return NULL;
	fprintf(f, "%s\n", sw->scenario);
	for (int a = 0; a < sw->grid.nax; a++) {
		fprintf(f, "-P\n%s=", sw->grid.ax[a].name);
		for (int k = 0; k < sw->grid.ax[a].nvals; k++)
			fprintf(f, "%s%s", k ? "," : "", sw->grid.ax[a].vals[k]);
		fputc('\n', f);
	}
	for (int i = 0; i < sw->ndefs; i++)
		fprintf(f, "-D\n%s\n", sw->defs[i]);
	fprintf(f, "--reps\n%d\n--seed\n%" PRIu64 "\n", sw->reps, sw->seed);
	if (sw->until != SIMTIME_MAX) {
		char t[32];
		simtime_format_short(sw->until, t, sizeof t);
		fprintf(f, "--until\n%s\n", t);
	}
	if (sw->max_events)
		fprintf(f, "--max-events\n%" PRIu64 "\n", sw->max_events);
	if (with_shard && sw->nshards)
		fprintf(f, "--shard\n%d/%d\n", sw->shard, sw->nshards);
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

bool
sweep_is_dir(const char *dir)
{
	char path[4200];
	struct stat st;
	snprintf(path, sizeof path, "%s/sweep.args", dir);
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Read DIR/sweep.args into sw; 0, or 2 after a message. */
int
sweep_load_args(const char *dir, struct sweep *sw)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/sweep.args", dir);
	FILE *f = fopen(path, "r");
	if (f == NULL) {
		fprintf(stderr, "synsim: %s is no sweep folder (cannot read %s: "
		        "%s)\n", dir, path, strerror(errno));
		return 2;
	}
	char **argv = NULL, *line = NULL;
	size_t cap = 0;
	int argc = 0, rc = 0;
	ssize_t n;
	while ((n = getline(&line, &cap, f)) > 0) {
		if (line[n - 1] == '\n')
			line[n - 1] = '\0';
		char **v = realloc(argv, sizeof *v * (size_t)(argc + 1));
		if (v == NULL || (v[argc] = strdup(line)) == NULL) {
			argv = v ? v : argv;
			rc = sim_usage_error("%s", "out of memory");
			break;
		}
		argv = v;
		argc++;
	}
	free(line);
	fclose(f);
	if (rc == 0) {
		rc = sweep_parse(sw, argc, argv, true);
		if (rc == 0 && sw->scenario == NULL)
			rc = sim_usage_error("%s: names no scenario", path);
		if (rc)
			fprintf(stderr, "synsim: (in %s)\n", path);
	}
	for (int i = 0; i < argc; i++)
		free(argv[i]);
	free(argv);
	return rc;
}

/* ---- progress ------------------------------------------------------------ */

static double
now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

struct progress {
	bool on;		/* stderr is a terminal */
	double start, last;
	long done, total;
	long failed;
};

static void
progress_show(struct progress *pr, const struct sw_pool *pl, bool final)
{
	pr->done = pl->done;
	pr->failed = pl->failed;
	if (!pr->on)
		return;
	double t = now_s();
	if (!final && t - pr->last < 0.1)
		return;
	pr->last = t;
	double rate = pr->done / (t - pr->start > 1e-3 ? t - pr->start : 1e-3);
	char eta[32] = "";
	if (!final && pr->done > 0) {
		long s = (long)((pr->total - pr->done) / rate + 0.5);
		snprintf(eta, sizeof eta, ", ETA %ld:%02ld", s / 60, s % 60);
	}
	char failed[32] = "";
	if (pr->failed)
		snprintf(failed, sizeof failed, ", %ld failed", pr->failed);
	fprintf(stderr, "\r\033[Ksweep: %ld/%ld runs, %.0f runs/s%s%s%s",
	        pr->done, pr->total, rate, eta, failed, final ? "\n" : "");
}

/* ---- the files as runs finish ---------------------------------------------- */

struct appender {
	struct sw_table *t;
	const struct sweep *sw;
	const char *dir;
	bool *in_file;		/* the run's row is in runs.csv */
	const char **names;	/* runs.csv's metric columns */
	long next;		/* first run not yet written or skipped */
	int runs_fd, conns_fd;
};

static bool
mine(const struct sweep *sw, long r)
{
	return sw->nshards == 0 || r % sw->nshards == sw->shard - 1;
}

static int
reopen(struct appender *ap)
{
	char path[4200];
	const char *name[2] = { "runs.csv", "conns.csv" };
	int *fd[2] = { &ap->runs_fd, &ap->conns_fd };
	for (int i = 0; i < 2; i++) {
		if (*fd[i] >= 0)
			close(*fd[i]);
		snprintf(path, sizeof path, "%s/%s", ap->dir, name[i]);
		*fd[i] = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
		if (*fd[i] < 0) {
			fprintf(stderr, "synsim: cannot append to %s: %s\n", path,
			        strerror(errno));
			return -1;
		}
	}
	return 0;
}

/* Both files whole from what is in memory, then open for appending. */
static int
rewrite(struct appender *ap)
{
	free(ap->names);
	ap->names = table_names(ap->t, ap->in_file);
	if (ap->names == NULL ||
	    table_write_conns(ap->t, ap->dir, ap->in_file) < 0 ||
	    table_write_runs(ap->t, ap->dir, ap->in_file) < 0)
		return -1;
	return reopen(ap);
}

/* text (of *len bytes, set by the call that made it) in one write. */
static int
append(int fd, char *text, const size_t *len)
{
	if (text == NULL)
		return -1;
	ssize_t k = *len ? write(fd, text, *len) : 0;
	free(text);
	return k == (ssize_t)*len ? 0 : -1;
}

/*
 * Write the rows of the runs that are done, in run order, up to the
 * first that is not.  A run's connections go first, then its row: a
 * kill between the two leaves rows in conns.csv that --resume drops.
 * A metric no column has yet makes runs.csv be written anew with it.
 */
static int
append_ready(struct appender *ap)
{
	struct sw_table *t = ap->t;
	for (; ap->next < t->nruns; ap->next++) {
		long r = ap->next;
		if (!mine(ap->sw, r) || ap->in_file[r])
			continue;
		if (!t->runs[r].done)
			break;
		size_t len;
		if (append(ap->conns_fd, table_conns_rows(t, r, &len), &len) < 0)
			goto fail;
		ap->in_file[r] = true;
		if (!table_names_cover(ap->names, &t->runs[r])) {
			if (rewrite(ap) < 0)
				return -1;
			continue;
		}
		if (append(ap->runs_fd, table_runs_row(t, r, ap->names, &len), &len) < 0)
			goto fail;
	}
	return 0;
fail:
	fprintf(stderr, "synsim: cannot write to %s: %s\n", ap->dir,
	        strerror(errno));
	return -1;
}

/* What the parent does whenever records came in. */
struct running {
	struct appender *ap;
	struct progress *pr;
	struct sw_pool *pl;
};

static int
after_records(void *ctx)
{
	struct running *r = ctx;
	progress_show(r->pr, r->pl, false);
	return append_ready(r->ap);
}

/* ---- emitting jobs ---------------------------------------------------------- */

/* s in single quotes for a POSIX shell, ' written '\''. */
void
sweep_shell_quote(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s; s++)
		if (*s == '\'')
			fputs("'\\''", f);
		else
			fputc(*s, f);
	fputc('\'', f);
}

/*
 * One line per shard: cd to this folder (paths stay as given, so error
 * messages name the scenario as the single-machine sweep does), then
 * this binary with the sweep's arguments, --shard I/N and --out
 * OUT/shard-I.  The lines need only a shared file system.
 */
static int
emit_jobs(const struct sweep *sw)
{
	char exe[4096], cwd[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n < 0 || getcwd(cwd, sizeof cwd) == NULL) {
		fprintf(stderr, "synsim: cannot tell where synsim or this folder "
		        "is: %s\n", strerror(errno));
		return 2;
	}
	exe[n] = '\0';
	int shards = sw->emit_shards ? sw->emit_shards : 8;
	long nruns = sw->grid.npoints * sw->reps;
	if (shards > nruns)
		shards = (int)nruns;
	struct outfile o = { 0 };
	/* FILE's folder ("/" for "/jobs.txt", "." for "jobs.txt"). */
	const char *slash = strrchr(sw->emit, '/');
	size_t dlen = slash == NULL ? 0 : slash == sw->emit ? 1
	              : (size_t)(slash - sw->emit);
	char *dir = slash ? strndup(sw->emit, dlen) : strdup(".");
	if (dir == NULL || outfile_open(&o, dir, slash ? slash + 1 : sw->emit) == NULL) {
		fprintf(stderr, "synsim: cannot write %s: %s\n", sw->emit,
		        strerror(errno));
		free(dir);
		return 2;
	}
	int width = snprintf(NULL, 0, "%d", shards);
	for (int s = 1; s <= shards; s++) {
		fputs("cd ", o.f);
		sweep_shell_quote(o.f, cwd);
		fputs(" && ", o.f);
		sweep_shell_quote(o.f, exe);
		fputs(" sweep", o.f);
		struct sweep one = *sw;
		one.shard = s;
		one.nshards = shards;
		char *args = sweep_args_text(&one, true);
		for (char *p = args, *e; p && *p; p = e + 1) {
			e = strchr(p, '\n');
			*e = '\0';
			fputc(' ', o.f);
			sweep_shell_quote(o.f, p);
		}
		free(args);
		char out[4300];
		snprintf(out, sizeof out, "%s/shard-%0*d", sw->out, width, s);
		fputs(" --out ", o.f);
		sweep_shell_quote(o.f, out);
		fputc('\n', o.f);
	}
	int rc = outfile_commit(&o) < 0 ? 2 : 0;
	if (rc)
		fprintf(stderr, "synsim: cannot write %s\n", sw->emit);
	else
		printf("%s: %d jobs, %ld runs; merge with: synsim merge %s/shard-* "
		       "--out %s/merged\n", sw->emit, shards, nruns, sw->out, sw->out);
	free(dir);
	return rc;
}

/* ---- the sweep ---------------------------------------------------------------- */

/* Write DIR/sweep.args (canonical, with the shard); 0 or -1. */
int
sweep_write_args(const struct sweep *sw, const char *dir, bool with_shard)
{
	struct outfile o = { 0 };
	char *text = sweep_args_text(sw, with_shard);
	if (text == NULL || outfile_open(&o, dir, "sweep.args") == NULL) {
		free(text);
		fprintf(stderr, "synsim: cannot write %s/sweep.args\n", dir);
		return -1;
	}
	fputs(text, o.f);
	free(text);
	if (outfile_commit(&o) < 0) {
		fprintf(stderr, "synsim: cannot write %s/sweep.args\n", dir);
		return -1;
	}
	return 0;
}

/* The exit status a finished table gives: 0, or 1 when a run failed or
 * an expectation did not hold; the first few failures said on stderr. */
int
sweep_report(const struct sw_table *t)
{
	long failed = 0, expect = 0;
	for (long r = 0; r < t->nruns; r++) {
		const struct sw_run *run = &t->runs[r];
		if (!run->done || run->status == 0)
			continue;
		if (run->status == 2)
			failed++;
		else
			expect++;
		if (failed + expect > 3)
			continue;
		fprintf(stderr, "synsim: run %ld (", r);
		for (int a = 0; a < t->g->nax; a++)
			fprintf(stderr, "%s=%s ", t->g->ax[a].name,
			        grid_value(t->g, r / t->reps, a));
		fprintf(stderr, "rep %ld, seed %" PRIu64 "): %s\n", r % t->reps,
		        run->seed, run->error ? run->error : "failed");
	}
	if (failed + expect > 3)
		fprintf(stderr, "synsim: ... and %ld more (runs.csv has every "
		        "message)\n", failed + expect - 3);
	return failed + expect ? 1 : 0;
}

int
sweep_main(int argc, char **argv)
{
	struct sweep sw, given;
	int rc = sweep_parse(&given, argc, argv, false);
	if (rc) {
		sweep_free(&given);
		return rc;
	}
	if (given.out == NULL) {
		sweep_free(&given);
		return sim_usage_error("%s", "sweep: where to? (--out DIR)");
	}
	/* --resume alone: the arguments are the folder's. */
	if (given.resume && given.scenario == NULL) {
		rc = sweep_load_args(given.out, &sw);
		if (rc) {
			sweep_free(&given);
			return rc;
		}
		sw.out = given.out;
		sw.jobs = given.jobs;
		sw.resume = true;
		sweep_free(&given);
	} else {
		sw = given;
	}
	if (sw.scenario == NULL) {
		sweep_free(&sw);
		return sim_usage_error("%s", "sweep: which scenario? (synsim sweep "
		                       "FILE.lua -P name=v1,v2 --out DIR)");
	}
	/* Every run would fail the same way: say it once. */
	struct stat st;
	int sr = stat(sw.scenario, &st);
	if (sr < 0 || !S_ISREG(st.st_mode)) {
		fprintf(stderr, "synsim: %s: %s\n", sw.scenario,
		        sr < 0 ? strerror(errno) : "not a scenario file");
		sweep_free(&sw);
		return 2;
	}
	if (sw.emit) {
		rc = emit_jobs(&sw);
		sweep_free(&sw);
		return rc;
	}
	struct sw_table t;
	struct appender ap = { .runs_fd = -1, .conns_fd = -1, .sw = &sw,
	                       .dir = sw.out };
	struct sw_pool pl = { 0 };
	struct progress pr = { .on = isatty(STDERR_FILENO), .start = now_s() };
	char runs_path[4200], err[600] = "";
	snprintf(runs_path, sizeof runs_path, "%s/runs.csv", sw.out);
	bool have = access(runs_path, F_OK) == 0;
	rc = 2;
	if (table_init(&t, &sw.grid, sw.reps) < 0) {
		fputs("synsim: out of memory\n", stderr);
		sweep_free(&sw);
		return 2;
	}
	ap.t = &t;
	if (have && !sw.resume) {
		fprintf(stderr, "synsim: %s already holds a sweep: --resume to "
		        "finish it, or another --out\n", sw.out);
		goto out;
	}
	if (sw.resume && have) {
		struct sweep old;
		if (sweep_load_args(sw.out, &old) != 0)
			goto out;
		char *a = sweep_args_text(&old, true), *b = sweep_args_text(&sw, true);
		bool same = a && b && strcmp(a, b) == 0;
		free(a);
		free(b);
		sweep_free(&old);
		if (!same) {
			fprintf(stderr, "synsim: %s holds another sweep (its sweep.args "
			        "differ from these arguments); --resume --out %s alone "
			        "finishes it\n", sw.out, sw.out);
			goto out;
		}
		if (table_load(&t, sw.out, err, sizeof err) < 0) {
			fprintf(stderr, "synsim: %s\n", err);
			goto out;
		}
		for (long r = 0; r < t.nruns; r++)
			if (t.runs[r].done && t.runs[r].status == 2 && t.runs[r].error &&
			    strncmp(t.runs[r].error, POOL_CRASHED,
			            strlen(POOL_CRASHED)) == 0)
				table_run_clear(&t.runs[r]);
	}
	if (outfile_mkdirs(sw.out) < 0) {
		fprintf(stderr, "synsim: cannot create %s: %s\n", sw.out,
		        strerror(errno));
		goto out;
	}
	ap.in_file = calloc((size_t)t.nruns, sizeof *ap.in_file);
	pl.todo = malloc(sizeof *pl.todo * (size_t)t.nruns);
	if (ap.in_file == NULL || pl.todo == NULL) {
		fputs("synsim: out of memory\n", stderr);
		goto out;
	}
	for (long r = t.nruns - 1; r >= 0; r--) {
		ap.in_file[r] = t.runs[r].done;
		if (mine(&sw, r) && !t.runs[r].done)
			pl.todo[pl.ntodo++] = r;
	}
	pr.total = pl.ntodo;
	if (sweep_write_args(&sw, sw.out, true) < 0 || rewrite(&ap) < 0)
		goto out;
	struct sw_spec spec = { .scenario = sw.scenario, .g = &sw.grid,
	                        .defs = sw.defs, .ndefs = sw.ndefs,
	                        .reps = sw.reps, .seed = sw.seed,
	                        .until = sw.until, .max_events = sw.max_events };
	pl.spec = &spec;
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	pl.nw = sw.jobs ? sw.jobs : cores > 0 ? (int)cores : 1;
	if (pl.nw > pl.ntodo)
		pl.nw = pl.ntodo > 0 ? (int)pl.ntodo : 0;
	/* A worker that dies must not take the parent with it. */
	signal(SIGPIPE, SIG_IGN);
	struct running running = { .ap = &ap, .pr = &pr, .pl = &pl };
	pl.after = after_records;
	pl.ctx = &running;
	if (pl.nw > 0 && pool_run(&pl, &t) < 0)
		goto out;
	progress_show(&pr, &pl, true);
	/* The canonical files: the same bytes for any -j or resume. */
	if (table_write_conns(&t, sw.out, NULL) < 0 ||
	    table_write_runs(&t, sw.out, NULL) < 0 ||
	    (sw.nshards == 0 && table_write_summary(&t, sw.out) < 0))
		goto out;
	rc = sweep_report(&t);
	long n = 0;
	for (long r = 0; r < t.nruns; r++)
		n += t.runs[r].done;
	printf("%s: %ld runs (%ld now) in runs.csv, conns.csv%s\n", sw.out, n,
	       pr.done, sw.nshards ? " (a shard: synsim merge joins them)"
	                           : ", summary.csv; synsim plot draws them");
out:
	if (ap.runs_fd >= 0)
		close(ap.runs_fd);
	if (ap.conns_fd >= 0)
		close(ap.conns_fd);
	free(ap.names);
	free(ap.in_file);
	free(pl.todo);
	table_free(&t);
	sweep_free(&sw);
	return rc;
}
