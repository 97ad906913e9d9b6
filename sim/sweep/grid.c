/*
 * grid.c - sweep axes, points and seeds (see grid.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "grid.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/rng.h"

bool
grid_is_number(const char *s, double *v)
{
	/* [-+]digits[.digits][e[-+]digits], or .digits: no hex, inf or nan,
	 * which strtod would take but a reader of the CSV might not. */
	const char *p = s;
	if (*p == '-' || *p == '+')
		p++;
	size_t digits = strspn(p, "0123456789");
	p += digits;
	if (*p == '.') {
		size_t frac = strspn(p + 1, "0123456789");
		digits += frac;
		p += 1 + frac;
	}
	if (digits == 0)
		return false;
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '-' || *p == '+')
			p++;
		size_t e = strspn(p, "0123456789");
		if (e == 0)
			return false;
		p += e;
	}
	if (*p != '\0')
		return false;
	double d = strtod(s, NULL);
	if (!isfinite(d))
		return false;
	*v = d == 0 ? 0 : d;	/* "-0" is 0 */
	return true;
}

void
grid_format_double(double v, char *buf, size_t len)
{
	int prec = 1;
	for (; prec < 17; prec++) {
		snprintf(buf, len, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	snprintf(buf, len, "%.*g", prec, v);
	/* %g writes 10 with one digit as 1e+01: a column of plain numbers
	 * reads better, so exponents only for the very large and small. */
	if (strchr(buf, 'e') && v != 0) {
		int e = (int)floor(log10(fabs(v)));
		if (e >= -5 && e < 17) {
			int dec = prec - 1 - e > 0 ? prec - 1 - e : 0;
			snprintf(buf, len, "%.*f", dec, v);
		}
	}
}

static char *
canonical(const char *s)
{
	double v;
	if (!grid_is_number(s, &v))
		return strdup(s);
	char buf[40];
	grid_format_double(v, buf, sizeof buf);
	return strdup(buf);
}

static int
push_value(struct sw_axis *a, char *v)
{
	if (v == NULL)
		return -1;
	char **nv = realloc(a->vals, sizeof *nv * (size_t)(a->nvals + 1));
	if (nv == NULL) {
		free(v);
		return -1;
	}
	a->vals = nv;
	a->vals[a->nvals++] = v;
	return 0;
}

/* Digits after the decimal point of a number without an exponent, or -1
 * when it has one. */
static int
decimals(const char *s)
{
	if (strpbrk(s, "eE"))
		return -1;
	const char *dot = strchr(s, '.');
	return dot ? (int)strlen(dot + 1) : 0;
}

/* "start:stop:step": counted in integers of the finest decimal place the
 * three are written with, so 0:0.3:0.05 reaches 0.3 exactly instead of
 * adding 0.05 six times in binary. */
static int
add_range(struct sw_axis *a, char *spec, char *err, size_t len)
{
	char *f[3];
	double v[3];
	int dmax = 0;
	f[0] = spec;
	for (int i = 1; i < 3; i++) {
		f[i] = strchr(f[i - 1], ':');
		if (f[i] == NULL || (i == 2 && strchr(f[i] + 1, ':'))) {
			snprintf(err, len, "-P %s=%s: a range is start:stop:step",
			         a->name, spec);
			return -1;
		}
		*f[i]++ = '\0';
	}
	for (int i = 0; i < 3; i++) {
		int d = decimals(f[i]);
		if (!grid_is_number(f[i], &v[i]) || d < 0 || d > 9) {
			snprintf(err, len, "-P %s: range bound '%s' is not a plain "
			         "decimal number (up to 9 decimals, no exponent)",
			         a->name, f[i]);
			return -1;
		}
		if (d > dmax)
			dmax = d;
	}
	double scale = pow(10, dmax);
	long long s0 = llround(v[0] * scale), s1 = llround(v[1] * scale),
	          st = llround(v[2] * scale);
	if (st <= 0 || s1 < s0) {
		snprintf(err, len, "-P %s: a range needs start <= stop and a step "
		         "above 0 (got %s:%s:%s)", a->name, f[0], f[1], f[2]);
		return -1;
	}
	if ((s1 - s0) / st >= 1000000) {
		snprintf(err, len, "-P %s: more than a million values", a->name);
		return -1;
	}
	for (long long k = s0; k <= s1; k += st) {
		char buf[64];
		if (dmax == 0)
			snprintf(buf, sizeof buf, "%lld", k);
		else
			snprintf(buf, sizeof buf, "%s%lld.%0*lld", k < 0 ? "-" : "",
			         llabs(k) / (long long)scale, dmax,
			         llabs(k) % (long long)scale);
		if (push_value(a, canonical(buf)) < 0) {
			snprintf(err, len, "out of memory");
			return -1;
		}
	}
	return 0;
}

int
grid_add_axis(struct sw_grid *g, const char *spec, char *err, size_t len)
{
	const char *eq = strchr(spec, '=');
	if (eq == NULL || eq == spec) {
		snprintf(err, len, "-P %s: expected name=v1,v2,... or "
		         "name=start:stop:step", spec);
		return -1;
	}
	struct sw_axis a = { .name = strndup(spec, (size_t)(eq - spec)) };
	char *vals = strdup(eq + 1);
	int rc = -1;
	if (a.name == NULL || vals == NULL) {
		snprintf(err, len, "out of memory");
		goto out;
	}
	if (g->nax == GRID_MAX_AXES) {
		snprintf(err, len, "-P %s: at most %d axes", a.name, GRID_MAX_AXES);
		goto out;
	}
	for (int i = 0; i < g->nax; i++)
		if (strcmp(g->ax[i].name, a.name) == 0) {
			snprintf(err, len, "-P %s: the axis is given twice", a.name);
			goto out;
		}
	if (*vals == '\0') {
		snprintf(err, len, "-P %s: no values", a.name);
		goto out;
	}
	if (strchr(vals, ':') && !strchr(vals, ',')) {
		if (add_range(&a, vals, err, len) < 0)
			goto out;
	} else {
		char *p = vals;
		for (;;) {
			size_t n = strcspn(p, ",");
			char save = p[n];
			p[n] = '\0';
			if (n == 0) {
				snprintf(err, len, "-P %s: an empty value", a.name);
				goto out;
			}
			if (push_value(&a, canonical(p)) < 0) {
				snprintf(err, len, "out of memory");
				goto out;
			}
			if (save == '\0')
				break;
			p += n + 1;
		}
	}
	for (int i = 0; i < a.nvals; i++)
		for (int k = 0; k < i; k++)
			if (strcmp(a.vals[i], a.vals[k]) == 0) {
				snprintf(err, len, "-P %s: the value %s is given twice",
				         a.name, a.vals[i]);
				goto out;
			}
	long np = (g->nax ? g->npoints : 1) * (long)a.nvals;
	if (np > GRID_MAX_RUNS) {
		snprintf(err, len, "-P %s: more than %ld points", a.name,
		         GRID_MAX_RUNS);
		goto out;
	}
	struct sw_axis *ax = realloc(g->ax, sizeof *ax * (size_t)(g->nax + 1));
	if (ax == NULL) {
		snprintf(err, len, "out of memory");
		goto out;
	}
	g->ax = ax;
	g->ax[g->nax++] = a;
	g->npoints = np;
	a = (struct sw_axis){ 0 };
	rc = 0;
out:
	for (int i = 0; i < a.nvals; i++)
		free(a.vals[i]);
	free(a.vals);
	free(a.name);
	free(vals);
	return rc;
}

void
grid_free(struct sw_grid *g)
{
	for (int i = 0; i < g->nax; i++) {
		for (int k = 0; k < g->ax[i].nvals; k++)
			free(g->ax[i].vals[k]);
		free(g->ax[i].vals);
		free(g->ax[i].name);
	}
	free(g->ax);
	*g = (struct sw_grid){ 0 };
}

const char *
grid_value(const struct sw_grid *g, long p, int a)
{
	long stride = 1;
	for (int i = g->nax - 1; i > a; i--)
		stride *= g->ax[i].nvals;
	return g->ax[a].vals[(p / stride) % g->ax[a].nvals];
}

/* FNV-1a 64 of s continued from h (rng_fnv1a64 starts afresh). */
static uint64_t
fnv_add(uint64_t h, const char *s)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3u;
	return h;
}

uint64_t
grid_seed(const struct sw_grid *g, long p, int rep, uint64_t base)
{
	/* FNV-1a over "name=value\n" of each axis in name order. */
	int order[GRID_MAX_AXES];
	for (int i = 0; i < g->nax; i++) {
		int k = i;
		for (; k > 0 && strcmp(g->ax[order[k - 1]].name, g->ax[i].name) > 0;
		     k--)
			order[k] = order[k - 1];
		order[k] = i;
	}
	uint64_t h = rng_fnv1a64("", 0);
	for (int i = 0; i < g->nax; i++) {
		h = fnv_add(h, g->ax[order[i]].name);
		h = fnv_add(h, "=");
		h = fnv_add(h, grid_value(g, p, order[i]));
		h = fnv_add(h, "\n");
	}
	uint64_t st = base ^ rng_splitmix64(&h);
	uint64_t x = rng_splitmix64(&st);
	st = x ^ ((uint64_t)rep * 0x9e3779b97f4a7c15u);
	return rng_splitmix64(&st) & ((UINT64_C(1) << 53) - 1);
}
