/*
 * stats.h - the statistics of a sweep point: count, mean, sample standard
 * deviation, quantiles and the 95 % confidence interval of the mean.
 * Pure functions of the values in the order given, so that the same
 * values give the same bytes in summary.csv on any machine.
 */
#ifndef SYNSIM_SWEEP_STATS_H
#define SYNSIM_SWEEP_STATS_H

struct stats {
	int n;
	double mean;
	double sd;		/* sample (n - 1); NaN when n < 2 */
	double min, p50, p95, p99, max;
	double ci_lo, ci_hi;	/* mean -+ t(0.975, n-1) sd / sqrt(n); NaN
				 * when n < 2 */
};

/* The statistics of v[0..n-1] (n >= 0; n == 0 leaves all but n NaN).
 * v is not changed.  0, or -1 when out of memory. */
int stats_compute(const double *v, int n, struct stats *s);

/* Quantile q in [0, 1] of sorted[0..n-1], n >= 1: linear interpolation
 * between the closest ranks, h = (n - 1) q (Hyndman and Fan's type 7,
 * the default of R and NumPy). */
double stats_quantile(const double *sorted, int n, double q);

/* The 0.975 quantile of Student's t with df >= 1 degrees of freedom. */
double stats_t975(int df);

#endif
