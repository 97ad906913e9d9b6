/*
 * splot.c - `synsim plot DIR` on a sweep folder: sweep.png (or .svg),
 * drawn by gnuplot with plots/sweep.gp from two data files this writes
 * beside it:
 *
 *   sweep.dat      per metric panel and series, one row per value of
 *                  the first axis: x, mean, 95 % CI, p50, p95 and the
 *                  theory (the metric NAME.theory, when the scenario
 *                  records one), "?" where there is nothing
 *   sweep-cdf.dat  per chosen point, the pooled values of one metric
 *                  (conn.handshake_ms when there are connections) and
 *                  their empirical CDF: the points of the first series,
 *                  then those of the last when there is room for a
 *                  second CDF panel
 *
 * A series is one combination of the values of the axes after the
 * first: one line per value of the second axis.  The statistics come
 * from the same function as summary.csv (table.c).
 */
#define _POSIX_C_SOURCE 200809L
#include "sweep.h"
#include "sweep_int.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "stats.h"
#include "../core/error.h"
#include "../core/outfile.h"
#include "../core/simtime.h"

#define MAX_PANELS 5		/* metric panels, besides the CDF */
#define MAX_CURVES 7		/* points in the CDF */

static bool
ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), m = strlen(tail);
	return n >= m && strcmp(s + n - m, tail) == 0;
}

/* The x of value v of the first axis: a number as it is, a duration in
 * ms, else its position (the axis is then labelled by name). */
static double
axis_x(const char *v, int i, int *kind)
{
	double x;
	simtime t;
	char err[UNITS_ERRLEN];
	if (*kind <= 1 && grid_is_number(v, &x)) {
		*kind = 1;
		return x;
	}
	if ((*kind == 0 || *kind == 2) && units_parse_duration(v, &t, err) == 0) {
		*kind = 2;
		return (double)t / 1e6;
	}
	*kind = 3;
	return i;
}

static void
put_num(FILE *f, double v)
{
	if (isnan(v))
		fputs(" ?", f);
	else
		fprintf(f, " %.10g", v);
}

/* A label for gnuplot's word(): no blanks, no quotes. */
static void
put_word(FILE *f, const char *s)
{
	for (; *s; s++)
		fputc(*s == ' ' || *s == '\'' || *s == '"' ? '_' : *s, f);
}

/* gnuplot -e VARS script, its output into tmp; 0, or 2 after a message
 * (gnuplot saying anything at all counts as failing: a warning means
 * the picture is not the one intended). */
static int
gnuplot(const char *vars, const char *script)
{
	int fd[2];
	if (pipe(fd) < 0)
		return 2;
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0)
		return 2;
	if (pid == 0) {
		dup2(fd[1], 1);
		dup2(fd[1], 2);
		close(fd[0]);
		close(fd[1]);
		setenv("LC_ALL", "C.UTF-8", 1);
		execlp("gnuplot", "gnuplot", "-e", vars, script, (char *)NULL);
		fprintf(stderr, "cannot run gnuplot: %s (Debian: apt-get install "
		        "gnuplot-nox)\n", strerror(errno));
		_exit(127);
	}
	close(fd[1]);
	char said[4096];
	size_t n = 0;
	ssize_t k;
	while ((k = read(fd[0], said + n, sizeof said - 1 - n)) > 0)
		n += (size_t)k;
	close(fd[0]);
	said[n] = '\0';
	int st;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0 && n == 0)
		return 0;
	fprintf(stderr, "synsim: gnuplot failed on %s:\n%s", script, said);
	return 2;
}

struct splot {
	struct sweep sw;
	struct sw_table t;
	const char *dir;
	const char *ext;
	const char *panel[MAX_PANELS];
	int npanels;
	const char **names;
	long nseries;		/* points per value of the first axis */
	int kind;		/* of the first axis: 1 number, 2 duration, 3 names */
	double *v;		/* room for one point's values */
	/* Per panel and series: it has values (1), a theory (2); gnuplot
	 * is given only those, since an empty block makes it warn. */
	unsigned char *has;
	bool ylog[MAX_PANELS];	/* values spread over decades */
	bool band[MAX_PANELS];	/* a percentile band says something: the
				 * values are not all 0 or 1 */
	double ylo[MAX_PANELS], yhi[MAX_PANELS];	/* of what is drawn */
	double xlo, xhi;
};

static const char *
theory_of(const struct splot *sp, const char *metric)
{
	char want[300];
	snprintf(want, sizeof want, "%s.theory", metric);
	for (int i = 0; sp->names[i]; i++)
		if (strcmp(sp->names[i], want) == 0)
			return sp->names[i];
	return NULL;
}

/* The panels: metrics with a theory first, then the others, in the
 * order of runs.csv and conn.handshake_ms, conn.connected last. */
static void
choose_panels(struct splot *sp, bool conns)
{
	static const char *const per_conn[] = { "conn.handshake_ms",
	                                        "conn.connected" };
	const char *all[256];
	int n = 0;
	for (int i = 0; sp->names[i] && n < 254; i++)
		if (!ends_with(sp->names[i], ".theory"))
			all[n++] = sp->names[i];
	for (int i = 0; conns && i < 2; i++)
		all[n++] = per_conn[i];
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < n && sp->npanels < MAX_PANELS; i++)
			if ((theory_of(sp, all[i]) != NULL) == (pass == 0))
				sp->panel[sp->npanels++] = all[i];
}

/* The statistics of panel m at point p, and its theory's mean. */
static int
point_stats(struct splot *sp, int m, long p, struct stats *st, double *th)
{
	const char *tn = theory_of(sp, sp->panel[m]);
	int n = table_point_values(&sp->t, p, sp->panel[m], sp->v);
	if (stats_compute(sp->v, n, st) < 0)
		return -1;
	*th = NAN;
	if (tn) {
		struct stats tt;
		n = table_point_values(&sp->t, p, tn, sp->v);
		if (stats_compute(sp->v, n, &tt) < 0)
			return -1;
		*th = tt.mean;
	}
	return 0;
}

static int
write_dat(struct splot *sp, struct outfile *o)
{
	const struct sw_grid *g = &sp->sw.grid;
	int nx = g->nax ? g->ax[0].nvals : 1;
	FILE *f = o->f;
	fputs("# synsim sweep: per panel and series (gnuplot index = panel * "
	      "series + series),\n# x mean ci95_lo ci95_hi p50 p95 theory\n", f);
	for (int m = 0; m < sp->npanels; m++) {
		/* A log scale when every value is above 0 and they spread
		 * over more than a factor 30 (handshakes of 100 ms to 60 s). */
		double lo = INFINITY, hi = 0;
		struct stats st;
		double th;
		sp->band[m] = false;
		for (long p = 0; p < g->npoints; p++) {
			int n = table_point_values(&sp->t, p, sp->panel[m], sp->v);
			for (int i = 0; i < n; i++)
				sp->band[m] |= sp->v[i] != 0 && sp->v[i] != 1;
			if (point_stats(sp, m, p, &st, &th) < 0)
				return -1;
			if (st.n > 0) {
				lo = fmin(lo, fmin(st.min, st.mean));
				hi = fmax(hi, fmax(st.p95, st.mean));
			}
		}
		sp->ylog[m] = lo > 0 && hi / lo > 30;
		double y0 = INFINITY, y1 = -INFINITY;
		for (long s = 0; s < sp->nseries; s++) {
			for (int i = 0; i < nx; i++) {
				long p = (long)i * sp->nseries + s;
				if (point_stats(sp, m, p, &st, &th) < 0)
					return -1;
				int kind = sp->kind;
				double x = g->nax ? axis_x(g->ax[0].vals[i], i, &kind) : 0;
				/* One run: no interval; its mean is the value.  On
				 * a log scale an interval reaching below 0 stops at
				 * the smallest value drawn. */
				double cl = isnan(st.ci_lo) ? st.mean : st.ci_lo;
				double ch = isnan(st.ci_hi) ? st.mean : st.ci_hi;
				if (sp->ylog[m] && cl < lo)
					cl = lo;
				fprintf(f, "%.10g", x);
				double col[] = { st.mean, cl, ch, st.p50, st.p95, th };
				for (int c = 0; c < 6; c++) {
					put_num(f, col[c]);
					if (!isnan(col[c]) && (c < 3 || c == 5 || sp->band[m])) {
						y0 = fmin(y0, col[c]);
						y1 = fmax(y1, col[c]);
					}
				}
				sp->xlo = fmin(sp->xlo, x);
				sp->xhi = fmax(sp->xhi, x);
				fputc('\n', f);
				sp->has[m * sp->nseries + s] |= (st.n > 0) |
				                                (!isnan(th) << 1);
			}
			fputs("\n\n", f);
		}
		/* The y range, with room at the top for the key: a share f
		 * of the height, about a line per entry; a constant metric
		 * gets a range around its value (gnuplot would warn about an
		 * empty one). */
		int entries = 0;
		for (long s = 0; s < sp->nseries; s++)
			entries += (sp->has[m * sp->nseries + s] & 1) +
			           ((sp->has[m * sp->nseries + s] & 2) >> 1);
		entries += sp->band[m];
		double frac = fmin(0.6, 0.065 * entries + 0.05);
		if (!(y0 <= y1))
			y0 = y1 = 0;
		if (sp->ylog[m]) {
			sp->ylo[m] = y0 / 1.5;
			sp->yhi[m] = y1 * pow(y1 / sp->ylo[m], frac / (1 - frac));
		} else {
			double span = y1 - y0 > 0 ? y1 - y0 : fmax(fabs(y1) * 0.1, 1);
			sp->ylo[m] = y0 - 0.05 * span;
			sp->yhi[m] = y1 + (y1 - sp->ylo[m]) * frac / (1 - frac);
		}
	}
	return 0;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* The points of one CDF panel: those of series s (a value of every
 * other axis), up to MAX_CURVES of them evenly spread over the first
 * axis, the first and the last among them; only those with values. */
struct cdfset {
	long series;
	long pts[MAX_CURVES];
	int n;
};

static void
cdf_points(const struct splot *sp, const char *metric, struct cdfset *c)
{
	const struct sw_grid *g = &sp->sw.grid;
	long nx = g->nax ? g->ax[0].nvals : 1;
	int n = nx < MAX_CURVES ? (int)nx : MAX_CURVES;
	c->n = 0;
	for (int i = 0; i < n; i++) {
		long x = n == 1 ? 0 : (long)((double)i * (nx - 1) / (n - 1) + 0.5);
		long p = x * sp->nseries + c->series;
		if (table_point_values(&sp->t, p, metric, sp->v) > 0)
			c->pts[c->n++] = p;
	}
}

static int
write_cdf(struct splot *sp, struct outfile *o, const char *metric,
          const struct cdfset *sets, int nsets, double *lo, double *hi)
{
	FILE *f = o->f;
	fprintf(f, "# synsim sweep: the pooled CDF of %s, one block per point\n"
	        "# value F\n", metric);
	*lo = INFINITY;
	*hi = -INFINITY;
	for (int c = 0; c < nsets; c++)
		for (int k = 0; k < sets[c].n; k++) {
			int n = table_point_values(&sp->t, sets[c].pts[k], metric, sp->v);
			qsort(sp->v, (size_t)n, sizeof *sp->v, cmp_double);
			for (int i = 0; i < n; i++) {
				fprintf(f, "%.10g %.10g\n", sp->v[i], (double)(i + 1) / n);
				*lo = fmin(*lo, sp->v[i]);
				*hi = fmax(*hi, sp->v[i]);
			}
			fputs("\n\n", f);
		}
	return 0;
}

/* The gnuplot variables: files, panels, series and axis labels. */
static char *
vars(struct splot *sp, const char *dat, const char *cdf, const char *out,
     const char *cdfm, const struct cdfset *sets, int nsets, bool cdflog,
     double cdflo, double cdfhi)
{
	const struct sw_grid *g = &sp->sw.grid;
	char *buf = NULL;
	size_t len;
	FILE *f = open_memstream(&buf, &len);
	if (f == NULL)
		return NULL;
	fprintf(f, "dat='%s'; cdf='%s'; out='%s'; np=%d; ns=%ld; nsets=%d; "
	        "cdflog=%d; cdflo=%.10g; cdfhi=%.10g; cdfmetric='", dat, cdf,
	        out, sp->npanels, sp->nseries, nsets, cdflog, cdflo, cdfhi);
	put_word(f, cdfm);
	fputs("'; metrics='", f);
	for (int m = 0; m < sp->npanels; m++) {
		fputs(m ? " " : "", f);
		put_word(f, sp->panel[m]);
	}
	fputs("'; theory='", f);
	for (int m = 0; m < sp->npanels; m++)
		fprintf(f, "%s%d", m ? " " : "", theory_of(sp, sp->panel[m]) != NULL);
	for (int m = 0; m < sp->npanels; m++)
		for (int bit = 1; bit <= 2; bit++) {
			fprintf(f, "'; %s%d='", bit == 1 ? "d" : "t", m + 1);
			int k = 0;
			for (long s = 0; s < sp->nseries; s++)
				if (sp->has[m * sp->nseries + s] & bit)
					fprintf(f, "%s%ld", k++ ? " " : "", s);
		}
	fputs("'; series='", f);
	for (long s = 0; s < sp->nseries; s++) {
		fputs(s ? " " : "", f);
		for (int a = 1; a < g->nax; a++) {
			fputs(a > 1 ? "," : "", f);
			put_word(f, g->ax[a].name);
			fputc('=', f);
			put_word(f, grid_value(g, s, a));
		}
		if (g->nax < 2)
			fputs("all", f);
	}
	/* Per CDF panel c: ncdfC curves, their titles (the first axis's
	 * values) and the series they belong to. */
	for (int c = 0; c < nsets; c++) {
		fprintf(f, "'; ncdf%d=%d; cdftitles%d='", c + 1, sets[c].n, c + 1);
		for (int k = 0; k < sets[c].n; k++) {
			fputs(k ? " " : "", f);
			if (g->nax == 0) {
				fputs("all", f);
				continue;
			}
			put_word(f, g->ax[0].name);
			fputc('=', f);
			put_word(f, grid_value(g, sets[c].pts[k], 0));
		}
		fprintf(f, "'; cdfof%d='", c + 1);
		for (int a = 1; a < g->nax; a++) {
			fputs(a > 1 ? ", " : "", f);
			put_word(f, g->ax[a].name);
			fputc('=', f);
			put_word(f, grid_value(g, sets[c].series, a));
		}
	}
	fputs("'; ylog='", f);
	for (int m = 0; m < sp->npanels; m++)
		fprintf(f, "%s%d", m ? " " : "", sp->ylog[m]);
	for (int m = 0; m < sp->npanels; m++)
		fprintf(f, "'; yr%d='[%.10g:%.10g]", m + 1, sp->ylo[m], sp->yhi[m]);
	/* Room either side; named values half a place; one value on the
	 * x axis: a range around it. */
	double xpad = sp->kind == 3 ? 0.5 : sp->xhi > sp->xlo ?
	              0.04 * (sp->xhi - sp->xlo) : 1;
	fprintf(f, "'; xr='[%.10g:%.10g]", sp->xlo - xpad, sp->xhi + xpad);
	fputs("'; band='", f);
	for (int m = 0; m < sp->npanels; m++)
		fprintf(f, "%s%d", m ? " " : "", sp->band[m]);
	fputs("'; xlabel='", f);
	if (g->nax)
		put_word(f, g->ax[0].name);
	fputs(sp->kind == 2 ? " (ms)'; " : "'; ", f);
	fputs("xtics='", f);
	if (sp->kind == 3 || g->nax == 0) {
		fputc('(', f);
		for (int i = 0; g->nax && i < g->ax[0].nvals; i++) {
			fprintf(f, "%s\"", i ? ", " : "");
			put_word(f, g->ax[0].vals[i]);
			fprintf(f, "\" %d", i);
		}
		fputc(')', f);
	}
	fputs("'", f);
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

static int
draw(struct splot *sp)
{
	const struct sw_grid *g = &sp->sw.grid;
	struct outfile dat = { 0 }, cdf = { 0 }, pic = { 0 };
	char name[32];
	int rc = 2;
	bool conns = table_has_conns(&sp->t);
	const char *cdfm = conns ? "conn.handshake_ms" :
	                   sp->npanels ? sp->panel[0] : NULL;
	/* The CDF of the first series; and of the last, when the layout
	 * (two panels a row) has a place free for it. */
	struct cdfset sets[2] = { { .series = 0 }, { .series = sp->nseries - 1 } };
	int nsets = sp->nseries > 1 && (sp->npanels + 1) % 2 == 1 ? 2 : 1;
	for (int c = 0; cdfm && c < nsets; c++)
		cdf_points(sp, cdfm, &sets[c]);
	if (nsets == 2 && sets[1].n == 0)
		nsets = 1;
	double lo = 0, hi = 0;
	char *v = NULL;
	const char *pdir = getenv("SYNSIM_PLOTS");
	char script[4200];
	snprintf(script, sizeof script, "%s/sweep.gp",
	         pdir && *pdir ? pdir : SYNSIM_PLOTS_DIR);
	if (access(script, R_OK) < 0) {
		fprintf(stderr, "synsim: cannot read %s: %s (set SYNSIM_PLOTS to "
		        "the plots/ folder)\n", script, strerror(errno));
		return 2;
	}
	if (cdfm == NULL || sets[0].n == 0) {
		fprintf(stderr, "synsim: %s: no metric to draw (no run recorded "
		        "one)\n", sp->dir);
		return 2;
	}
	sp->kind = 0;
	for (int i = 0; g->nax && i < g->ax[0].nvals; i++)
		axis_x(g->ax[0].vals[i], i, &sp->kind);
	snprintf(name, sizeof name, "sweep.%s", sp->ext);
	if (outfile_open(&dat, sp->dir, "sweep.dat") == NULL ||
	    outfile_open(&cdf, sp->dir, "sweep-cdf.dat") == NULL ||
	    outfile_reserve(&pic, sp->dir, name) < 0 ||
	    (sp->has = calloc((size_t)(sp->npanels * sp->nseries + 1), 1)) == NULL ||
	    (sp->xlo = INFINITY, sp->xhi = -INFINITY, false) ||
	    write_dat(sp, &dat) < 0 ||
	    write_cdf(sp, &cdf, cdfm, sets, nsets, &lo, &hi) < 0 ||
	    outfile_close(&dat) < 0 || outfile_close(&cdf) < 0) {
		fprintf(stderr, "synsim: cannot write in %s: %s\n", sp->dir,
		        strerror(errno));
		goto out;
	}
	/* Times spread over decades (100 ms to 63 s) read on a log scale. */
	bool cdflog = lo > 0 && hi / lo > 30;
	/* A little room either side, so a step at the edge shows. */
	double span = hi - lo > 0 ? hi - lo : fabs(hi) + 1;
	double clo = cdflog ? lo / 1.25 : lo - 0.04 * span;
	double chi = cdflog ? hi * 1.25 : hi + 0.04 * span;
	v = vars(sp, dat.tmp, cdf.tmp, pic.tmp, cdfm, sets, nsets, cdflog, clo,
	         chi);
	if (v == NULL || gnuplot(v, script) != 0)
		goto out;
	if (outfile_commit(&dat) < 0 || outfile_commit(&cdf) < 0 ||
	    rename(pic.tmp, pic.path) < 0) {
		fprintf(stderr, "synsim: cannot write in %s\n", sp->dir);
		goto out;
	}
	printf("%s\n", pic.path);
	rc = 0;
out:
	free(v);
	outfile_discard(&dat);
	outfile_discard(&cdf);
	if (rc != 0 && pic.tmp)
		unlink(pic.tmp);
	free(pic.tmp);
	free(pic.path);
	return rc;
}

int
sweep_plot_main(int argc, char **argv)
{
	struct splot sp = { .ext = "png" };
	int rc = 0;
	for (int i = 0; i < argc && rc == 0; i++) {
		if (strcmp(argv[i], "--format") == 0 && i + 1 < argc) {
			sp.ext = argv[++i];
			if (strcmp(sp.ext, "png") && strcmp(sp.ext, "svg"))
				rc = sim_usage_error("--format %s: png or svg", sp.ext);
		} else if (argv[i][0] == '-') {
			rc = sim_usage_error("%s: not an option of plot on a sweep "
			                     "(--format png|svg)", argv[i]);
		} else if (sp.dir == NULL) {
			sp.dir = argv[i];
		} else {
			rc = sim_usage_error("one folder at a time (also got %s)", argv[i]);
		}
	}
	if (rc)
		return rc;
	char err[600] = "";
	rc = 2;
	if (sweep_load_args(sp.dir, &sp.sw) != 0)
		return 2;
	if (sp.sw.nshards) {
		fprintf(stderr, "synsim: %s is shard %d/%d of a sweep: synsim merge "
		        "joins the shards, then plot draws the merged folder\n",
		        sp.dir, sp.sw.shard, sp.sw.nshards);
		sweep_free(&sp.sw);
		return 2;
	}
	if (table_init(&sp.t, &sp.sw.grid, sp.sw.reps) < 0)
		goto out;
	if (table_load(&sp.t, sp.dir, err, sizeof err) < 0) {
		fprintf(stderr, "synsim: %s\n", err);
		goto out;
	}
	sp.names = table_names(&sp.t, NULL);
	sp.v = malloc(sizeof *sp.v * (size_t)(table_point_cap(&sp.t) + 1));
	if (sp.names == NULL || sp.v == NULL)
		goto out;
	sp.nseries = sp.sw.grid.nax ? sp.sw.grid.npoints / sp.sw.grid.ax[0].nvals
	                            : 1;
	choose_panels(&sp, table_has_conns(&sp.t));
	rc = draw(&sp);
out:
	free(sp.v);
	free(sp.has);
	free(sp.names);
	table_free(&sp.t);
	sweep_free(&sp.sw);
	return rc;
}
