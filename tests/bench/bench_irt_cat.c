/*
 * bench_irt_cat: next-item selection over a 10,000-item bank and the EAP
 * update, on one core, wall-clock by clock_gettime(CLOCK_MONOTONIC) around
 * each single call; figures are medians (and 90th percentiles / maxima)
 * over all calls.
 *
 * Bank: 10,000 items from a seeded learn_rng (seed 2026): a third each
 * Rasch (a = 1), 2PL and 3PL (c ~ U(0.05, 0.25)); a ~ lognormal(0, 0.3),
 * b ~ N(0, 1.2^2); five content skills.  Sessions: 300 simulated learners,
 * theta ~ N(0, 1), answers drawn from the model, 30 items each, jscat's
 * set-up (EAP, start theta 0, maximum Fisher information).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "learn/irt.h"
#include "learn/rng.h"

#define NBANK		10000
#define NSESS		300
#define NSTEP		30
#define NSAMPLE		(NSESS * NSTEP)

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Prints median, p90 and max of n samples (seconds) in microseconds. */
static void
report(const char *what, double *t, size_t n)
{
	qsort(t, n, sizeof(*t), cmp_double);
	printf("  %-58s median %7.2f us  p90 %7.2f us  max %7.2f us  (%zu calls)\n",
	    what, t[n / 2] * 1e6, t[n * 9 / 10] * 1e6, t[n - 1] * 1e6, n);
}

static volatile long sink;

/* Every item's information at theta, no pruning: the scan's worst case. */
static long
full_scan(const struct learn_irt_item *it, size_t n, double theta)
{
	double best = -1, v;
	long bi = -1;
	size_t i;

	for (i = 0; i < n; i++) {
		v = learn_irt_info(&it[i], theta);
		if (v > best) {
			best = v;
			bi = (long)i;
		}
	}
	return bi;
}

static void
run_sessions(const struct learn_irt_bank *bank, enum learn_irt_method m,
    const struct learn_irt_select *opt, struct learn_rng *rng,
    double *tsel, double *tans)
{
	struct learn_irt_cat *cat;
	double th, t0, t1, t2;
	size_t s, k, ns = 0;
	long pick;

	for (s = 0; s < NSESS; s++) {
		if ((cat = learn_irt_cat_new(bank, m)) == NULL) {
			fprintf(stderr, "bench_irt_cat: out of memory\n");
			exit(1);
		}
		th = learn_rng_normal(rng);
		for (k = 0; k < NSTEP; k++) {
			t0 = now();
			pick = learn_irt_cat_next(cat, opt);
			t1 = now();
			learn_irt_cat_answer(cat, (size_t)pick,
			    learn_rng_uniform(rng) <
			    learn_irt_p(&bank->item[pick], th));
			t2 = now();
			tsel[ns] = t1 - t0;
			tans[ns++] = t2 - t1;
		}
		learn_irt_cat_free(cat);
	}
}

int
main(void)
{
	static const double target[5] = { 0.3, 0.25, 0.2, 0.15, 0.1 };
	struct learn_irt_item *it;
	struct learn_irt_bank *bank;
	struct learn_rng rng, draw;
	struct learn_irt_select opt;
	unsigned char *used;
	int *skill;
	double *tsel, *tans, *t, t0;
	size_t i, r;

	learn_rng_seed(&rng, 2026);
	learn_rng_seed(&draw, 7);
	it = malloc(NBANK * sizeof(*it));
	skill = malloc(NBANK * sizeof(*skill));
	used = calloc(NBANK, 1);
	tsel = malloc(NSAMPLE * sizeof(*tsel));
	tans = malloc(NSAMPLE * sizeof(*tans));
	t = malloc(NSAMPLE * sizeof(*t));
	if (!it || !skill || !used || !tsel || !tans || !t)
		return 1;
	for (i = 0; i < NBANK; i++) {
		it[i].a = i % 3 == 0 ? 1 : exp(0.3 * learn_rng_normal(&rng));
		it[i].b = 1.2 * learn_rng_normal(&rng);
		it[i].c = i % 3 == 2 ? 0.05 + 0.2 * learn_rng_uniform(&rng) : 0;
		it[i].d = 1;
		skill[i] = (int)(i % 5);
	}
	t0 = now();
	bank = learn_irt_bank_new(it, NBANK, skill, 5);
	if (bank == NULL)
		return 1;
	printf("bench_irt_cat: %d-item bank (built in %.2f ms, once), one core, "
	    "CLOCK_MONOTONIC around each call\n", NBANK, (now() - t0) * 1e3);

	printf("%d EAP sessions x %d items (jscat set-up):\n", NSESS, NSTEP);
	run_sessions(bank, LEARN_IRT_EAP, NULL, &rng, tsel, tans);
	report("next item, max Fisher information (pruned scan)", tsel,
	    NSAMPLE);
	report("EAP update (121-node grid log-lik + SE)", tans, NSAMPLE);

	opt.topk = 5;
	opt.rng = &draw;
	opt.target = target;
	run_sessions(bank, LEARN_IRT_EAP, &opt, &rng, tsel, tans);
	report("next item, randomesque top-5 + content balancing (5 skills)",
	    tsel, NSAMPLE);

	run_sessions(bank, LEARN_IRT_MLE, NULL, &rng, tsel, tans);
	report("next item in MLE sessions", tsel, NSAMPLE);
	report("MLE update (0.1 score scan + Newton, <= 30 items)", tans,
	    NSAMPLE);

	/* worst cases: theta far from every b, so nothing is pruned */
	for (r = 0; r < 2000; r++) {
		t0 = now();
		sink = learn_irt_select_item(bank, used, NULL, 0,
		    r % 2 ? 6.0 : -6.0, NULL);
		t[r] = now() - t0;
	}
	report("next item at theta = +-6", t, 2000);
	for (r = 0; r < 2000; r++) {
		t0 = now();
		sink = learn_irt_select_item(bank, used, NULL, 0,
		    -6 + 12 * (double)r / 2000, NULL);
		t[r] = now() - t0;
	}
	report("next item, theta swept over [-6, 6]", t, 2000);
	for (r = 0; r < 2000; r++) {
		t0 = now();
		sink = full_scan(it, NBANK, -6 + 12 * (double)r / 2000);
		t[r] = now() - t0;
	}
	report("reference: unpruned scan of all 10,000 items", t, 2000);

	learn_irt_bank_free(bank);
	free(it);
	free(skill);
	free(used);
	free(tsel);
	free(tans);
	free(t);
	return 0;
}
