/*
 * stats.c - summary statistics for sweep points (see stats.h).
 */
#include "stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* t(0.975, df) for df = 1..30, to six decimals (any table of Student's
 * t; e.g. NIST/SEMATECH e-Handbook 1.3.6.7.2). */
static const double t975_table[30] = {
	12.706205, 4.302653, 3.182446, 2.776445, 2.570582,
	2.446912, 2.364624, 2.306004, 2.262157, 2.228139,
	2.200985, 2.178813, 2.160369, 2.144787, 2.131450,
	2.119905, 2.109816, 2.100922, 2.093024, 2.085963,
	2.079614, 2.073873, 2.068658, 2.063899, 2.059539,
	2.055529, 2.051831, 2.048407, 2.045230, 2.042272,
};

double
stats_t975(int df)
{
	if (df < 1)
		return NAN;
	if (df <= 30)
		return t975_table[df - 1];
	/* Beyond the table, the Cornish-Fisher expansion of t in powers of
	 * 1/df around the normal quantile (Abramowitz and Stegun 26.7.5):
	 * already within 1e-6 of the exact value at df = 31. */
	double z = 1.959963984540054, v = df;
	double z3 = z * z * z, z5 = z3 * z * z, z7 = z5 * z * z;
	return z + (z3 + z) / (4 * v) +
	       (5 * z5 + 16 * z3 + 3 * z) / (96 * v * v) +
	       (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * v * v * v);
}

double
stats_quantile(const double *sorted, int n, double q)
{
	double h = (n - 1) * q;
	int lo = (int)floor(h);
	if (lo >= n - 1)
		return sorted[n - 1];
	return sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int
stats_compute(const double *v, int n, struct stats *s)
{
	*s = (struct stats){ .n = n, .mean = NAN, .sd = NAN, .min = NAN,
	                     .p50 = NAN, .p95 = NAN, .p99 = NAN, .max = NAN,
	                     .ci_lo = NAN, .ci_hi = NAN };
	if (n <= 0)
		return 0;
	double *w = malloc(sizeof *w * (size_t)n);
	if (w == NULL)
		return -1;
	memcpy(w, v, sizeof *w * (size_t)n);
	qsort(w, (size_t)n, sizeof *w, cmp_double);
	/* Two passes, in the order given: the mean, then the squared
	 * deviations from it (no cancellation as in sum(x^2) - n mean^2). */
	double sum = 0;
	for (int i = 0; i < n; i++)
		sum += v[i];
	s->mean = sum / n;
	/* The corrected two-pass mean: the rounding error of the first sum
	 * comes back in the mean of the deviations (so n equal values have
	 * exactly that mean, and a standard deviation of 0). */
	double dev = 0;
	for (int i = 0; i < n; i++)
		dev += v[i] - s->mean;
	s->mean += dev / n;
	s->min = w[0];
	s->max = w[n - 1];
	s->p50 = stats_quantile(w, n, 0.50);
	s->p95 = stats_quantile(w, n, 0.95);
	s->p99 = stats_quantile(w, n, 0.99);
	if (n >= 2) {
		double ss = 0;
		for (int i = 0; i < n; i++)
			ss += (v[i] - s->mean) * (v[i] - s->mean);
		s->sd = sqrt(ss / (n - 1));
		double half = stats_t975(n - 1) * s->sd / sqrt((double)n);
		s->ci_lo = s->mean - half;
		s->ci_hi = s->mean + half;
	}
	free(w);
	return 0;
}
