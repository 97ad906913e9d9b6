/*
 * table.c - sweep results in memory and as runs.csv, conns.csv and
 * summary.csv (see table.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "table.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"
#include "../core/outfile.h"
#include "../trace/csv.h"
#include "../trace/csvread.h"

int
table_init(struct sw_table *t, const struct sw_grid *g, int reps)
{
	*t = (struct sw_table){ .g = g, .reps = reps, .nruns = g->npoints * reps };
	t->runs = calloc((size_t)t->nruns, sizeof *t->runs);
	return t->runs ? 0 : -1;
}

void
table_run_clear(struct sw_run *r)
{
	for (int i = 0; i < r->nm; i++)
		free(r->m[i].name);
	free(r->m);
	for (int i = 0; i < r->nc; i++) {
		free(r->c[i].host);
		free(r->c[i].outcome);
	}
	free(r->c);
	free(r->error);
	*r = (struct sw_run){ 0 };
}

void
table_free(struct sw_table *t)
{
	for (long r = 0; r < t->nruns; r++)
		table_run_clear(&t->runs[r]);
	free(t->runs);
	*t = (struct sw_table){ 0 };
}

int
table_run_metric(struct sw_run *r, const char *name, double v)
{
	for (int i = 0; i < r->nm; i++)
		if (strcmp(r->m[i].name, name) == 0) {
			r->m[i].v = v;
			return 0;
		}
	struct sw_metric *m = realloc(r->m, sizeof *m * (size_t)(r->nm + 1));
	if (m == NULL)
		return -1;
	r->m = m;
	if ((m[r->nm].name = strdup(name)) == NULL)
		return -1;
	m[r->nm++].v = v;
	return 0;
}

static const struct sw_metric *
find_metric(const struct sw_run *r, const char *name)
{
	for (int i = 0; i < r->nm; i++)
		if (strcmp(r->m[i].name, name) == 0)
			return &r->m[i];
	return NULL;
}

static bool
in_names(const char **names, const char *name)
{
	for (; *names; names++)
		if (strcmp(*names, name) == 0)
			return true;
	return false;
}

bool
table_names_cover(const char **names, const struct sw_run *r)
{
	for (int i = 0; i < r->nm; i++)
		if (!in_names(names, r->m[i].name))
			return false;
	return true;
}

const char **
table_names(const struct sw_table *t, const bool *in)
{
	int n = 0, cap = 8;
	const char **v = malloc(sizeof *v * (size_t)cap);
	if (v == NULL)
		return NULL;
	v[0] = NULL;
	for (long r = 0; r < t->nruns; r++) {
		const struct sw_run *run = &t->runs[r];
		if (!(in ? in[r] : run->done))
			continue;
		for (int i = 0; i < run->nm; i++) {
			if (in_names(v, run->m[i].name))
				continue;
			if (n + 2 > cap) {
				cap *= 2;
				const char **nv = realloc(v, sizeof *v * (size_t)cap);
				if (nv == NULL) {
					free(v);
					return NULL;
				}
				v = nv;
			}
			v[n++] = run->m[i].name;
			v[n] = NULL;
		}
	}
	return v;
}

/* ---- rows as text ---------------------------------------------------- */

static void
put_double(FILE *f, double v)
{
	char buf[40];
	if (isnan(v))
		return;		/* empty: no value */
	grid_format_double(v, buf, sizeof buf);
	fputs(buf, f);
}

/* The columns every row starts with: run, point, rep, each axis. */
static void
put_lead(FILE *f, const struct sw_table *t, long r)
{
	long p = r / t->reps;
	fprintf(f, "%ld,%ld,%ld", r, p, r % t->reps);
	for (int a = 0; a < t->g->nax; a++) {
		fputc(',', f);
		csv_field(f, grid_value(t->g, p, a));
	}
}

static void
put_lead_header(FILE *f, const struct sw_table *t)
{
	fputs("run,point,rep", f);
	for (int a = 0; a < t->g->nax; a++) {
		fputc(',', f);
		csv_field(f, t->g->ax[a].name);
	}
}

static char *
mem_done(FILE *f, char **buf)
{
	if (fclose(f) != 0) {
		free(*buf);
		return NULL;
	}
	return *buf;
}

char *
table_runs_header(const struct sw_table *t, const char **names, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	if (f == NULL)
		return NULL;
	put_lead_header(f, t);
	fputs(",seed,status,error,events,end_ns,fingerprint", f);
	for (; *names; names++) {
		fputc(',', f);
		csv_field(f, *names);
	}
	fputc('\n', f);
	return mem_done(f, &buf);
}

char *
table_runs_row(const struct sw_table *t, long r, const char **names,
               size_t *len)
{
	const struct sw_run *run = &t->runs[r];
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	if (f == NULL)
		return NULL;
	put_lead(f, t, r);
	fprintf(f, ",%" PRIu64 ",%d,", run->seed, run->status);
	csv_field(f, run->error ? run->error : "");
	fprintf(f, ",%" PRIu64 ",%" PRId64 ",%016" PRIx64, run->events,
	        run->end_ns, run->fingerprint);
	for (; *names; names++) {
		fputc(',', f);
		const struct sw_metric *m = find_metric(run, *names);
		if (m)
			put_double(f, m->v);
	}
	fputc('\n', f);
	return mem_done(f, &buf);
}

char *
table_conns_header(const struct sw_table *t, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	if (f == NULL)
		return NULL;
	put_lead_header(f, t);
	fputs(",host,conn,outcome,handshake_ms,retransmits\n", f);
	return mem_done(f, &buf);
}

char *
table_conns_rows(const struct sw_table *t, long r, size_t *len)
{
	const struct sw_run *run = &t->runs[r];
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	if (f == NULL)
		return NULL;
	for (int i = 0; i < run->nc; i++) {
		const struct sw_conn *c = &run->c[i];
		put_lead(f, t, r);
		fputc(',', f);
		csv_field(f, c->host);
		fprintf(f, ",%d,", c->conn);
		csv_field(f, c->outcome);
		fputc(',', f);
		put_double(f, c->handshake_ms);
		fprintf(f, ",%d\n", c->retransmits);
	}
	return mem_done(f, &buf);
}

/* ---- whole files ----------------------------------------------------- */

/* text (of *len bytes, set by the call that made it) to f, freed. */
static int
put_text(FILE *f, char *text, const size_t *len)
{
	if (text == NULL)
		return -1;
	fwrite(text, 1, *len, f);
	free(text);
	return 0;
}

static int
commit(struct outfile *o, const char *dir, const char *name, int rc)
{
	if (rc == 0 && outfile_commit(o) == 0)
		return 0;
	outfile_discard(o);
	fprintf(stderr, "synsim: cannot write %s/%s\n", dir, name);
	return -1;
}

int
table_write_runs(const struct sw_table *t, const char *dir, const bool *in)
{
	struct outfile o = { 0 };
	if (outfile_open(&o, dir, "runs.csv") == NULL)
		return commit(&o, dir, "runs.csv", -1);
	const char **names = table_names(t, in);
	size_t len;
	int rc = names ? put_text(o.f, table_runs_header(t, names, &len), &len)
	               : -1;
	for (long r = 0; rc == 0 && r < t->nruns; r++)
		if (in ? in[r] : t->runs[r].done)
			rc = put_text(o.f, table_runs_row(t, r, names, &len), &len);
	free(names);
	return commit(&o, dir, "runs.csv", rc);
}

int
table_write_conns(const struct sw_table *t, const char *dir, const bool *in)
{
	struct outfile o = { 0 };
	if (outfile_open(&o, dir, "conns.csv") == NULL)
		return commit(&o, dir, "conns.csv", -1);
	size_t len;
	int rc = put_text(o.f, table_conns_header(t, &len), &len);
	for (long r = 0; rc == 0 && r < t->nruns; r++)
		if (in ? in[r] : t->runs[r].done)
			rc = put_text(o.f, table_conns_rows(t, r, &len), &len);
	return commit(&o, dir, "conns.csv", rc);
}

/* One summary row: the point, the metric, its statistics. */
static void
summary_row(FILE *f, const struct sw_table *t, long p, const char *metric,
            const double *v, int n, int *rc)
{
	struct stats s;
	if (stats_compute(v, n, &s) < 0) {
		*rc = -1;
		return;
	}
	fprintf(f, "%ld", p);
	for (int a = 0; a < t->g->nax; a++) {
		fputc(',', f);
		csv_field(f, grid_value(t->g, p, a));
	}
	fputc(',', f);
	csv_field(f, metric);
	fprintf(f, ",%d", s.n);
	double col[] = { s.mean, s.sd, s.min, s.p50, s.p95, s.p99, s.max,
	                 s.ci_lo, s.ci_hi };
	for (size_t i = 0; i < sizeof col / sizeof col[0]; i++) {
		/* Ten significant digits: the statistics are sums and
		 * roots, whose last binary digits say nothing. */
		if (isnan(col[i]))
			fputc(',', f);
		else
			fprintf(f, ",%.10g", col[i] == 0 ? 0 : col[i]);
	}
	fputc('\n', f);
}

bool
table_has_conns(const struct sw_table *t)
{
	for (long r = 0; r < t->nruns; r++)
		if (t->runs[r].done && t->runs[r].status != 2 && t->runs[r].nc > 0)
			return true;
	return false;
}

long
table_point_cap(const struct sw_table *t)
{
	long cap = t->reps;
	for (long p = 0; p < t->g->npoints; p++) {
		long n = 0;
		for (int i = 0; i < t->reps; i++)
			n += t->runs[p * t->reps + i].nc;
		if (n > cap)
			cap = n;
	}
	return cap;
}

int
table_point_values(const struct sw_table *t, long p, const char *metric,
                   double *v)
{
	const struct sw_run *runs = &t->runs[p * t->reps];
	bool hs = strcmp(metric, "conn.handshake_ms") == 0;
	bool conn = hs || strcmp(metric, "conn.connected") == 0;
	int n = 0;
	for (int i = 0; i < t->reps; i++) {
		/* Runs that ended in an error measured nothing; runs whose
		 * expectations failed still did. */
		if (!runs[i].done || runs[i].status == 2)
			continue;
		if (!conn) {
			const struct sw_metric *m = find_metric(&runs[i], metric);
			if (m)
				v[n++] = m->v;
			continue;
		}
		for (int c = 0; c < runs[i].nc; c++) {
			double ms = runs[i].c[c].handshake_ms;
			if (!hs)
				v[n++] = isnan(ms) ? 0 : 1;
			else if (!isnan(ms))
				v[n++] = ms;
		}
	}
	return n;
}

int
table_write_summary(const struct sw_table *t, const char *dir)
{
	struct outfile o = { 0 };
	if (outfile_open(&o, dir, "summary.csv") == NULL)
		return commit(&o, dir, "summary.csv", -1);
	FILE *f = o.f;
	const char **names = table_names(t, NULL);
	bool conns = table_has_conns(t);
	long cap = table_point_cap(t);
	double *v = malloc(sizeof *v * (size_t)(cap ? cap : 1));
	int rc = names && v ? 0 : -1;
	fputs("point", f);
	for (int a = 0; a < t->g->nax; a++) {
		fputc(',', f);
		csv_field(f, t->g->ax[a].name);
	}
	fputs(",metric,n,mean,stddev,min,p50,p95,p99,max,ci95_lo,ci95_hi\n", f);
	static const char *const per_conn[] = { "conn.handshake_ms",
	                                        "conn.connected", NULL };
	for (long p = 0; rc == 0 && p < t->g->npoints; p++) {
		for (int k = 0; names[k]; k++)
			summary_row(f, t, p, names[k], v,
			            table_point_values(t, p, names[k], v), &rc);
		for (int k = 0; conns && per_conn[k]; k++)
			summary_row(f, t, p, per_conn[k], v,
			            table_point_values(t, p, per_conn[k], v), &rc);
	}
	free(v);
	free(names);
	return commit(&o, dir, "summary.csv", rc);
}

/* ---- reading back ---------------------------------------------------- */

static int
parse_i64(const char *s, int64_t *v, int base)
{
	char *end;
	errno = 0;
	long long x = strtoll(s, &end, base);
	if (*s == '\0' || *end != '\0' || errno)
		return -1;
	*v = x;
	return 0;
}

static int
parse_u64(const char *s, uint64_t *v, int base)
{
	char *end;
	errno = 0;
	if (*s == '-' || *s == '\0')
		return -1;
	unsigned long long x = strtoull(s, &end, base);
	if (*end != '\0' || errno)
		return -1;
	*v = x;
	return 0;
}

/* Row i of file's run column: its run index, checked against the grid
 * (range, point, rep and every axis value), or -1 with err set. */
static long
row_run(const struct sw_table *t, const struct csvtab *tab, int i,
        const char *path, char *err, size_t len)
{
	int64_t r, p, rep;
	char **row = tab->rows[i];
	if (parse_i64(row[0], &r, 10) < 0 || r < 0 || r >= t->nruns ||
	    parse_i64(row[1], &p, 10) < 0 || p != r / t->reps ||
	    parse_i64(row[2], &rep, 10) < 0 || rep != r % t->reps) {
		snprintf(err, len, "%s row %d: run %s point %s rep %s is not a run "
		         "of this sweep", path, i, row[0], row[1], row[2]);
		return -1;
	}
	for (int a = 0; a < t->g->nax; a++)
		if (strcmp(row[3 + a], grid_value(t->g, p, a)) != 0) {
			snprintf(err, len, "%s row %d: %s is %s, but run %" PRId64
			         " of this sweep has %s", path, i, t->g->ax[a].name,
			         row[3 + a], r, grid_value(t->g, p, a));
			return -1;
		}
	return (long)r;
}

/* The header must start with run,point,rep, the axes, then want[]. */
static int
check_header(const struct sw_table *t, const struct csvtab *tab,
             const char *const *want, const char *path, char *err,
             size_t len)
{
	int c = 0;
	const char *lead[] = { "run", "point", "rep" };
	int nw = 0;
	while (want[nw])
		nw++;
	if (tab->ncols < 3 + t->g->nax + nw)
		goto bad;
	for (; c < 3; c++)
		if (strcmp(tab->rows[0][c], lead[c]) != 0)
			goto bad;
	for (int a = 0; a < t->g->nax; a++, c++)
		if (strcmp(tab->rows[0][c], t->g->ax[a].name) != 0)
			goto bad;
	for (int k = 0; k < nw; k++, c++)
		if (strcmp(tab->rows[0][c], want[k]) != 0)
			goto bad;
	return 0;
bad:
	snprintf(err, len, "%s: the header is not that of this sweep (column "
	         "%d: %s)", path, c + 1, c < tab->ncols ? tab->rows[0][c] : "none");
	return -1;
}

static int
load_runs(struct sw_table *t, const char *dir, bool *fresh, char *err,
          size_t len)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/runs.csv", dir);
	struct csvtab tab;
	if (csv_read(path, &tab) < 0) {
		csv_error(path, &tab, err, len);
		return -1;
	}
	static const char *const want[] = { "seed", "status", "error", "events",
	                                    "end_ns", "fingerprint", NULL };
	int rc = check_header(t, &tab, want, path, err, len);
	int m0 = 3 + t->g->nax + 6;
	for (int i = 1; rc == 0 && i < tab.nrows; i++) {
		char **row = tab.rows[i];
		long r = row_run(t, &tab, i, path, err, len);
		if (r < 0) {
			rc = -1;
			break;
		}
		struct sw_run *run = &t->runs[r];
		if (run->done) {
			snprintf(err, len, "%s row %d: run %ld is there twice (or in "
			         "two of the folders)", path, i, r);
			rc = -1;
			break;
		}
		int64_t status;
		const char **f = (const char **)row + 3 + t->g->nax;
		if (parse_u64(f[0], &run->seed, 10) < 0 ||
		    parse_i64(f[1], &status, 10) < 0 || status < 0 || status > 2 ||
		    parse_u64(f[3], &run->events, 10) < 0 ||
		    parse_i64(f[4], &run->end_ns, 10) < 0 ||
		    parse_u64(f[5], &run->fingerprint, 16) < 0) {
			snprintf(err, len, "%s row %d: seed, status, events, end_ns or "
			         "fingerprint is not a number", path, i);
			rc = -1;
			break;
		}
		run->status = (int)status;
		if (*f[2] && (run->error = strdup(f[2])) == NULL)
			rc = -1;
		for (int c = m0; rc == 0 && c < tab.ncols; c++) {
			double v;
			if (*row[c] == '\0')
				continue;
			if (!grid_is_number(row[c], &v)) {
				snprintf(err, len, "%s row %d: %s is not a number (%s)",
				         path, i, tab.rows[0][c], row[c]);
				rc = -1;
			} else if (table_run_metric(run, tab.rows[0][c], v) < 0) {
				rc = -1;
			}
		}
		run->done = true;
		fresh[r] = true;
	}
	csv_tab_free(&tab);
	return rc;
}

static int
load_conns(struct sw_table *t, const char *dir, const bool *fresh, char *err,
           size_t len)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/conns.csv", dir);
	struct csvtab tab;
	if (csv_read(path, &tab) < 0) {
		if (errno == ENOENT)
			return 0;	/* stopped before it was made */
		csv_error(path, &tab, err, len);
		return -1;
	}
	static const char *const want[] = { "host", "conn", "outcome",
	                                    "handshake_ms", "retransmits", NULL };
	int rc = check_header(t, &tab, want, path, err, len);
	for (int i = 1; rc == 0 && i < tab.nrows; i++) {
		long r = row_run(t, &tab, i, path, err, len);
		if (r < 0) {
			rc = -1;
			break;
		}
		/* Rows of a run that did not reach runs.csv (a kill between
		 * the two writes) are left out: the run runs again. */
		if (!fresh[r])
			continue;
		struct sw_run *run = &t->runs[r];
		const char **f = (const char **)tab.rows[i] + 3 + t->g->nax;
		struct sw_conn c = { .handshake_ms = NAN };
		int64_t conn, retx;
		if (parse_i64(f[1], &conn, 10) < 0 ||
		    (*f[3] && !grid_is_number(f[3], &c.handshake_ms)) ||
		    parse_i64(f[4], &retx, 10) < 0) {
			snprintf(err, len, "%s row %d: conn, handshake_ms or "
			         "retransmits is not a number", path, i);
			rc = -1;
			break;
		}
		c.conn = (int)conn;
		c.retransmits = (int)retx;
		struct sw_conn *nc = realloc(run->c, sizeof *nc * (size_t)(run->nc + 1));
		if (nc == NULL) {
			rc = -1;
			break;
		}
		run->c = nc;
		c.host = strdup(f[0]);
		c.outcome = strdup(f[2]);
		nc[run->nc++] = c;
		if (c.host == NULL || c.outcome == NULL)
			rc = -1;
	}
	csv_tab_free(&tab);
	return rc;
}

int
table_load(struct sw_table *t, const char *dir, char *err, size_t len)
{
	bool *fresh = calloc((size_t)t->nruns, sizeof *fresh);
	if (fresh == NULL) {
		snprintf(err, len, "out of memory");
		return -1;
	}
	int rc = load_runs(t, dir, fresh, err, len);
	if (rc == 0)
		rc = load_conns(t, dir, fresh, err, len);
	free(fresh);
	if (rc < 0 && *err == '\0')
		snprintf(err, len, "out of memory reading %s", dir);
	return rc;
}
