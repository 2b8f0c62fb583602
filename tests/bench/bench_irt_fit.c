/*
 * bench_irt_fit: Rasch CML on a simulated 1,000 x 50 matrix (complete, and
 * with 10% of responses missing at random, which makes nearly every person
 * his own missing-data group), and MML 2PL / 3PL fits of the 10,000-person
 * irt_sim3pl_responses.csv (read from $ADEPT_REF_DIR; skipped if absent).
 * Wall-clock via clock_gettime(CLOCK_MONOTONIC), one thread; each figure is
 * the median (and minimum) of several repetitions, each repetition
 * building the data object (pattern compression) and fitting; reading the
 * file is not timed.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/csv.h"
#include "learn/irt_fit.h"

/* splitmix64: a local, seeded generator so the matrix is reproducible. */
static uint64_t
next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double
unif(uint64_t *s)
{
	return (next(s) >> 11) * 0x1.0p-53;
}

static double
normal(uint64_t *s)
{
	double u = unif(s), v = unif(s);

	return sqrt(-2 * log(u > 0 ? u : 1e-300)) * cos(2 * M_PI * v);
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int
cmpd(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void
report(const char *what, double *t, int reps)
{
	qsort(t, reps, sizeof(double), cmpd);
	printf("%-58s median %8.3f ms  min %8.3f ms  (%d reps)\n", what,
	    t[reps / 2] * 1e3, t[0] * 1e3, reps);
}

static void
bench_cml(double namiss, const char *what)
{
	enum { N = 1000, K = 50, REPS = 21 };
	static signed char x[N * K];
	double b[K], se[K], theta, t[REPS], t0, maxerr = 0;
	uint64_t s = 20260101;
	struct learn_irtfit_data *d;
	struct learn_irtfit_cml res;
	size_t p, i, bad, np = 0;
	int r;

	for (p = 0; p < N; p++) {
		theta = normal(&s);
		for (i = 0; i < K; i++) {
			double bi = -2.5 + 5.0 * i / (K - 1);

			x[p * K + i] = unif(&s) < 1 / (1 + exp(bi - theta));
			if (unif(&s) < namiss)
				x[p * K + i] = LEARN_IRTFIT_NA;
		}
	}
	for (r = 0; r < REPS; r++) {
		t0 = now();
		if (learn_irtfit_data_new(&d, x, N, K, &bad) != LEARN_IRTFIT_OK ||
		    learn_irtfit_rasch_cml(d, b, se, &res) != LEARN_IRTFIT_OK) {
			printf("%s: fit failed\n", what);
			return;
		}
		t[r] = now() - t0;
		np = learn_irtfit_npatterns(d);
		learn_irtfit_data_free(d);
	}
	for (i = 0; i < K; i++) {
		double bi = -2.5 + 5.0 * i / (K - 1);

		maxerr = fmax(maxerr, fabs(b[i] - bi));
	}
	report(what, t, REPS);
	printf("    %zu patterns, %d Newton steps, max |b - true| %.3f\n", np,
	    res.iterations, maxerr);
}

static int
load_sim(signed char **xp, size_t *n, size_t *k)
{
	char path[1024];
	const char *dir = getenv("ADEPT_REF_DIR");
	struct csv c;
	FILE *fp;
	size_t cap = 0, j;
	int r;

	snprintf(path, sizeof(path), "%s/irt_sim3pl_responses.csv",
	    dir ? dir : "../shared/reference/algorithms");
	if ((fp = fopen(path, "r")) == NULL) {
		printf("MML: cannot open %s (set ADEPT_REF_DIR); skipped\n",
		    path);
		return -1;
	}
	*xp = NULL;
	*n = 0;
	if (csv_open_file(&c, fp) == -1)
		return -1;
	*k = (size_t)c.nhdr - 1;
	while ((r = csv_next(&c)) == 1) {
		if (*n == cap) {
			cap = cap ? 2 * cap : 1024;
			*xp = realloc(*xp, cap * *k);
		}
		for (j = 0; j < *k; j++)
			(*xp)[*n * *k + j] = (signed char)
			    (csv_str(&c, (int)j + 1)[0] - '0');
		(*n)++;
	}
	csv_close(&c);
	fclose(fp);
	return r;
}

static void
bench_mml(const signed char *x, size_t n, size_t k, int model,
    const char *what)
{
	enum { REPS = 5 };
	struct learn_irtfit_data *d;
	struct learn_irtfit_opts o;
	struct learn_irtfit_mml res;
	double a[64], b[64], c[64], t[REPS], t0;
	size_t bad, np = 0;
	int r;

	learn_irtfit_opts_default(&o, model);
	for (r = 0; r < REPS; r++) {
		t0 = now();
		if (learn_irtfit_data_new(&d, x, n, k, &bad) != LEARN_IRTFIT_OK ||
		    learn_irtfit_mml(d, &o, a, b, c, &res) != LEARN_IRTFIT_OK) {
			printf("%s: fit failed\n", what);
			return;
		}
		t[r] = now() - t0;
		np = learn_irtfit_npatterns(d);
		learn_irtfit_data_free(d);
	}
	report(what, t, REPS);
	printf("    %d M-steps (SQUAREM-accelerated EM, tol %g, %d nodes, "
	    "%zu distinct patterns)\n", res.iterations, o.tol, o.nodes, np);
}

int
main(void)
{
	signed char *x;
	size_t n, k;

	printf("bench_irt_fit: wall clock (CLOCK_MONOTONIC), one thread\n");
	bench_cml(0, "Rasch CML 1000 x 50, complete (data + fit + SEs)");
	bench_cml(0.1, "Rasch CML 1000 x 50, 10% NA (data + fit + SEs)");
	if (load_sim(&x, &n, &k) != 0 || k > 64)
		return 0;
	bench_mml(x, n, k, LEARN_IRTFIT_2PL, "MML 2PL, sim3pl 10000 x 10");
	bench_mml(x, n, k, LEARN_IRTFIT_3PL, "MML 3PL, sim3pl 10000 x 10");
	bench_mml(x, n, k, LEARN_IRTFIT_RASCH, "MML Rasch, sim3pl 10000 x 10");
	free(x);
	return 0;
}
