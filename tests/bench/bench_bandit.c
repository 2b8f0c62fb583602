/*
 * bench_bandit: LinUCB decisions per second (score every arm, pick, update
 * the chosen one) and Thompson-sampling Beta draws per second.  Each figure
 * is the median of REPS timed repetitions of a fixed loop, wall-clock via
 * clock_gettime(CLOCK_MONOTONIC), one thread on one core; contexts and
 * rewards come from a seeded learn_rng and are generated before timing.
 * Each line also gives the rate per second of this thread's CPU time
 * (CLOCK_THREAD_CPUTIME_ID), which a loaded machine disturbs less.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "learn/bandit.h"
#include "learn/rng.h"

#define REPS	7
#define NCTX	1024	/* distinct pre-drawn rounds, cycled */

static volatile double sink;

struct stamp {
	double	wall, cpu;
};

static struct stamp
now(void)
{
	struct timespec w, c;
	struct stamp s;

	clock_gettime(CLOCK_MONOTONIC, &w);
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c);
	s.wall = (double)w.tv_sec + (double)w.tv_nsec * 1e-9;
	s.cpu = (double)c.tv_sec + (double)c.tv_nsec * 1e-9;
	return s;
}

/* Median wall-clock and CPU-time rates of the REPS runs. */
struct rate {
	double	wall, cpu;
};

static double	cpu_rate[REPS];

static void
record(double *wall_rate, int rep, long n, struct stamp t0)
{
	struct stamp t1 = now();

	wall_rate[rep] = (double)n / (t1.wall - t0.wall);
	cpu_rate[rep] = (double)n / (t1.cpu - t0.cpu);
}

static int
cmpd(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static struct rate
median(double *v, int n)
{
	struct rate r;

	qsort(v, (size_t)n, sizeof(double), cmpd);
	qsort(cpu_rate, (size_t)n, sizeof(double), cmpd);
	r.wall = v[n / 2];
	r.cpu = cpu_rate[n / 2];
	return r;
}

/* Median rate (operations/s) of REPS runs of n LinUCB rounds with narms
 * arms of d features; update = 0 times choose() alone. */
static struct rate
bench_linucb(int narms, int d, long n, int update, double alpha)
{
	struct learn_linucb l;
	struct learn_rng rng;
	double *x, *r, rate[REPS], acc = 0.0;
	struct stamp t;
	long i;
	int rep, arm, k;

	x = malloc((size_t)NCTX * (size_t)narms * (size_t)d * sizeof(double));
	r = malloc((size_t)NCTX * (size_t)narms * sizeof(double));
	if (x == NULL || r == NULL)
		abort();
	learn_rng_seed(&rng, 1);
	for (i = 0; i < (long)NCTX * narms * d; i++)
		x[i] = (i % d == 0) ? 1.0 : 2.0 * learn_rng_uniform(&rng) - 1.0;
	for (i = 0; i < (long)NCTX * narms; i++)
		r[i] = learn_rng_uniform(&rng) < 0.5;
	for (rep = 0; rep < REPS; rep++) {
		if (learn_linucb_init(&l, narms, d, alpha) == -1)
			abort();
		/* Warm the arms so scores are not all from A = I. */
		for (i = 0; i < 200; i++) {
			k = (int)(i % NCTX);
			arm = (int)(i % narms);
			learn_linucb_update(&l, arm, x + ((size_t)k * narms +
			    arm) * d, r[(size_t)k * narms + arm]);
		}
		t = now();
		for (i = 0; i < n; i++) {
			k = (int)(i % NCTX);
			arm = learn_linucb_choose(&l, x + (size_t)k * narms * d,
			    NULL);
			if (update)
				learn_linucb_update(&l, arm, x +
				    ((size_t)k * narms + arm) * d,
				    r[(size_t)k * narms + arm]);
			acc += arm;
		}
		record(rate, rep, n, t);
		learn_linucb_free(&l);
	}
	sink = acc;
	free(x);
	free(r);
	return median(rate, REPS);
}

/* Median rate of n Beta(a, b) draws. */
static struct rate
bench_beta(double a, double b, long n)
{
	struct learn_rng rng;
	double rate[REPS], acc = 0.0;
	struct stamp t;
	long i;
	int rep;

	learn_rng_seed(&rng, 2);
	for (rep = 0; rep < REPS; rep++) {
		t = now();
		for (i = 0; i < n; i++)
			acc += learn_rng_beta(&rng, a, b);
		record(rate, rep, n, t);
	}
	sink = acc;
	return median(rate, REPS);
}

/* Median rate of n Thompson rounds (choose + update) over narms arms with
 * success probabilities spread over [0.2, 0.8]. */
static struct rate
bench_thompson(int narms, long n)
{
	struct learn_thompson ts;
	struct learn_rng pol, env;
	double rate[REPS], acc = 0.0, p;
	struct stamp t;
	long i;
	int rep, arm;

	for (rep = 0; rep < REPS; rep++) {
		learn_rng_seed(&pol, 3);
		learn_rng_seed(&env, 4);
		if (learn_thompson_init(&ts, narms, 1.0, 1.0) == -1)
			abort();
		t = now();
		for (i = 0; i < n; i++) {
			arm = learn_thompson_choose(&ts, &pol);
			p = 0.2 + 0.6 * arm / (narms > 1 ? narms - 1 : 1);
			learn_thompson_update(&ts, arm,
			    learn_rng_uniform(&env) < p);
			acc += arm;
		}
		record(rate, rep, n, t);
		learn_thompson_free(&ts);
	}
	sink = acc;
	return median(rate, REPS);
}

int
main(void)
{
	static const int shapes[][2] = { { 8, 6 }, { 20, 10 }, { 50, 30 } };
	size_t s;
	struct rate r;
	long n;

	printf("bench_bandit: median of %d repetitions, wall-clock "
	    "CLOCK_MONOTONIC (and per thread-CPU second in brackets), one "
	    "thread; contexts pre-drawn (seeded), cycled over %d rounds\n",
	    REPS, NCTX);
	for (s = 0; s < sizeof(shapes) / sizeof(shapes[0]); s++) {
		int k = shapes[s][0], d = shapes[s][1];

		n = 4000000L / ((long)k * d * d / 16 + 1);
		r = bench_linucb(k, d, n, 1, 1.0);
		printf("linucb K=%-3d d=%-3d choose+update: %10.0f decisions/s "
		    "[cpu %10.0f] (%ld rounds/rep)\n", k, d, r.wall, r.cpu, n);
		r = bench_linucb(k, d, n, 0, 1.0);
		printf("linucb K=%-3d d=%-3d choose only:   %10.0f decisions/s "
		    "[cpu %10.0f] = %.0f arm scores/s\n", k, d, r.wall, r.cpu,
		    r.wall * k);
	}
	n = 2000000;
	r = bench_beta(30.0, 70.0, n);
	printf("beta(30, 70) draws:        %10.0f draws/s [cpu %10.0f] "
	    "(%ld draws/rep)\n", r.wall, r.cpu, n);
	r = bench_beta(1.0, 1.0, n);
	printf("beta(1, 1) draws:          %10.0f draws/s [cpu %10.0f]\n",
	    r.wall, r.cpu);
	r = bench_beta(0.5, 0.5, n);
	printf("beta(0.5, 0.5) draws:      %10.0f draws/s [cpu %10.0f] "
	    "(log-space path)\n", r.wall, r.cpu);
	n = 500000;
	r = bench_thompson(8, n);
	printf("thompson K=8 choose+update: %9.0f decisions/s [cpu %10.0f] "
	    "= %.0f beta draws/s (%ld rounds/rep)\n", r.wall, r.cpu,
	    r.wall * 8, n);
	return 0;
}
