/*
 * bandit and rng: LinUCB replayed over linucb_contexts.csv must choose the
 * arms of linucb_expected.csv exactly (and match its scores to 1e-9); its
 * linear algebra must agree with an explicit inverse; Thompson sampling is
 * checked statistically over a fixed seed set (it has no replayable
 * vector); the rng against known answers and moments.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/csv.h"
#include "learn/bandit.h"
#include "learn/rng.h"
#include "refdir.h"

#define NARMS	8
#define D	6
#define NROUNDS	500

struct contexts {
	double	x[NROUNDS][NARMS][D];
	double	reward[NROUNDS][NARMS];
};

static void
need_cols(struct csv *c, int *col, const char **names, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		col[i] = csv_need(c, names[i]);
		if (col[i] < 0)
			fail_msg("%s", csv_error(c));
	}
}

static void
load_contexts(struct contexts *ctx)
{
	static const char *names[] = { "round", "arm", "x0", "x1", "x2",
	    "x3", "x4", "x5", "reward_if_chosen" };
	struct csv c;
	FILE *fp = ref_open("linucb_contexts.csv");
	int col[9], round, arm, i, n = 0, rc;

	assert_int_equal(csv_open_file(&c, fp), 0);
	need_cols(&c, col, names, 9);
	while ((rc = csv_next(&c)) == 1) {
		assert_int_equal(csv_int(&c, col[0], &round), 0);
		assert_int_equal(csv_int(&c, col[1], &arm), 0);
		/* The file lists every round's arms in order. */
		assert_int_equal(round, n / NARMS);
		assert_int_equal(arm, n % NARMS);
		for (i = 0; i < D; i++)
			assert_int_equal(csv_double(&c, col[2 + i],
			    &ctx->x[round][arm][i]), 0);
		assert_int_equal(csv_double(&c, col[8],
		    &ctx->reward[round][arm]), 0);
		n++;
	}
	assert_int_equal(rc, 0);
	assert_int_equal(n, NROUNDS * NARMS);
	csv_close(&c);
	fclose(fp);
}

static void
replay(double alpha_want)
{
	static const char *names[] = { "alpha", "round", "chosen_arm",
	    "reward", "cumulative_reward", "ucb_0", "ucb_1", "ucb_2", "ucb_3",
	    "ucb_4", "ucb_5", "ucb_6", "ucb_7" };
	struct contexts *ctx = malloc(sizeof(*ctx));
	struct learn_linucb l;
	struct csv c;
	FILE *fp;
	double alpha, ucb[NARMS], want, r, cum = 0.0, maxdiff = 0.0;
	int col[13], round, arm, i, n = 0, rc, chosen;

	assert_non_null(ctx);
	load_contexts(ctx);
	assert_int_equal(learn_linucb_init(&l, NARMS, D, alpha_want), 0);
	fp = ref_open("linucb_expected.csv");
	assert_int_equal(csv_open_file(&c, fp), 0);
	need_cols(&c, col, names, 13);
	while ((rc = csv_next(&c)) == 1) {
		assert_int_equal(csv_double(&c, col[0], &alpha), 0);
		if (alpha != alpha_want)
			continue;
		assert_int_equal(csv_int(&c, col[1], &round), 0);
		assert_int_equal(round, n);
		chosen = learn_linucb_choose(&l, &ctx->x[round][0][0], ucb);
		assert_int_equal(csv_int(&c, col[2], &arm), 0);
		if (chosen != arm)
			fail_msg("alpha %g round %d: chose %d, expected %d",
			    alpha, round, chosen, arm);
		for (i = 0; i < NARMS; i++) {
			assert_int_equal(csv_double(&c, col[5 + i], &want), 0);
			if (fabs(ucb[i] - want) > maxdiff)
				maxdiff = fabs(ucb[i] - want);
			if (fabs(ucb[i] - want) > 1e-9)
				fail_msg("alpha %g round %d ucb_%d: %.17g, "
				    "expected %.17g", alpha, round, i, ucb[i],
				    want);
		}
		r = ctx->reward[round][chosen];
		cum += r;
		assert_int_equal(csv_double(&c, col[3], &want), 0);
		assert_true(r == want);
		assert_int_equal(csv_double(&c, col[4], &want), 0);
		assert_true(cum == want);
		assert_int_equal(learn_linucb_update(&l, chosen,
		    ctx->x[round][chosen], r), 0);
		n++;
	}
	assert_int_equal(rc, 0);
	assert_int_equal(n, NROUNDS);
	print_message("alpha %g: %d rounds, cumulative reward %g, "
	    "max |ucb diff| %.3g\n", alpha_want, n, cum, maxdiff);
	csv_close(&c);
	fclose(fp);
	learn_linucb_free(&l);
	free(ctx);
}

static void
test_linucb_replay_alpha_025(void **state)
{
	replay(0.25);
}

static void
test_linucb_replay_alpha_1(void **state)
{
	replay(1.0);
}

/* Ties (e.g. identical fresh arms) go to the lowest index. */
static void
test_linucb_ties_lowest_index(void **state)
{
	struct learn_linucb l;
	double x[4][2] = { { 1, 0 }, { 1, 0.5 }, { 0, 0.5 }, { 1, 0.5 } };
	double ucb[4];

	assert_int_equal(learn_linucb_init(&l, 4, 2, 1.0), 0);
	assert_int_equal(learn_linucb_choose(&l, &x[0][0], ucb), 1);
	assert_true(ucb[1] == ucb[3]);
	/* A pull shrinks arm 1's width: now arm 3 wins, same context. */
	assert_int_equal(learn_linucb_update(&l, 1, x[1], 0.0), 0);
	assert_int_equal(learn_linucb_choose(&l, &x[0][0], NULL), 3);
	memset(x, 0, sizeof(x));
	assert_int_equal(learn_linucb_choose(&l, &x[0][0], ucb), 0);
	learn_linucb_free(&l);
}

/* Inverts a d x d matrix by Gauss-Jordan with partial pivoting. */
static void
invert(int d, double *a, double *inv)
{
	int i, j, k, p;
	double t;

	for (i = 0; i < d; i++)
		for (j = 0; j < d; j++)
			inv[i * d + j] = i == j;
	for (k = 0; k < d; k++) {
		p = k;
		for (i = k + 1; i < d; i++)
			if (fabs(a[i * d + k]) > fabs(a[p * d + k]))
				p = i;
		for (j = 0; j < d; j++) {
			t = a[k * d + j]; a[k * d + j] = a[p * d + j];
			a[p * d + j] = t;
			t = inv[k * d + j]; inv[k * d + j] = inv[p * d + j];
			inv[p * d + j] = t;
		}
		t = a[k * d + k];
		for (j = 0; j < d; j++) {
			a[k * d + j] /= t;
			inv[k * d + j] /= t;
		}
		for (i = 0; i < d; i++) {
			if (i == k)
				continue;
			t = a[i * d + k];
			for (j = 0; j < d; j++) {
				a[i * d + j] -= t * a[k * d + j];
				inv[i * d + j] -= t * inv[k * d + j];
			}
		}
	}
}

/* The Cholesky-updated scores equal theta^T x + alpha sqrt(x^T A^-1 x)
 * computed from A and b kept explicitly, over many random updates. */
static void
test_linucb_matches_explicit_inverse(void **state)
{
	enum { DIM = 5, PULLS = 2000 };
	struct learn_linucb l;
	struct learn_rng rng;
	double A[DIM * DIM], Ac[DIM * DIM], inv[DIM * DIM], b[DIM] = { 0 };
	double x[DIM], th[DIM], q, mean, p, r, worst = 0.0;
	int i, j, n;

	learn_rng_seed(&rng, 7);
	assert_int_equal(learn_linucb_init(&l, 1, DIM, 0.7), 0);
	for (i = 0; i < DIM * DIM; i++)
		A[i] = i % (DIM + 1) == 0;
	for (n = 0; n < PULLS; n++) {
		for (i = 0; i < DIM; i++)
			x[i] = 4.0 * learn_rng_uniform(&rng) - 2.0;
		r = learn_rng_normal(&rng);
		assert_int_equal(learn_linucb_update(&l, 0, x, r), 0);
		for (i = 0; i < DIM; i++) {
			b[i] += r * x[i];
			for (j = 0; j < DIM; j++)
				A[i * DIM + j] += x[i] * x[j];
		}
		if (n % 97 != 0 && n != PULLS - 1)
			continue;
		for (i = 0; i < DIM; i++)
			x[i] = 2.0 * learn_rng_uniform(&rng) - 1.0;
		memcpy(Ac, A, sizeof(A));
		invert(DIM, Ac, inv);
		q = mean = 0.0;
		for (i = 0; i < DIM; i++) {
			th[i] = 0.0;
			for (j = 0; j < DIM; j++) {
				th[i] += inv[i * DIM + j] * b[j];
				q += x[i] * inv[i * DIM + j] * x[j];
			}
			mean += th[i] * x[i];
		}
		p = mean + 0.7 * sqrt(q);
		if (fabs(p - learn_linucb_ucb(&l, 0, x)) > worst)
			worst = fabs(p - learn_linucb_ucb(&l, 0, x));
	}
	print_message("max |ucb - explicit| %.3g\n", worst);
	assert_true(worst < 1e-10);
	learn_linucb_free(&l);
}

static void
test_linucb_bad_arguments(void **state)
{
	struct learn_linucb l;
	double x[2] = { 1, 2 }, bad[2] = { 1, NAN }, before, ucb0;

	assert_int_equal(learn_linucb_init(&l, 0, 2, 1.0), -1);
	assert_int_equal(learn_linucb_init(&l, 2, 0, 1.0), -1);
	assert_int_equal(learn_linucb_init(&l, 2, LEARN_LINUCB_MAXD + 1, 1.0),
	    -1);
	assert_int_equal(learn_linucb_init(&l, 2, 2, -0.1), -1);
	assert_int_equal(learn_linucb_init(&l, 2, 2, NAN), -1);
	assert_int_equal(learn_linucb_init(&l, 2, 2, 1.0), 0);
	before = learn_linucb_ucb(&l, 1, x);
	assert_int_equal(learn_linucb_update(&l, 2, x, 1.0), -1);
	assert_int_equal(learn_linucb_update(&l, -1, x, 1.0), -1);
	assert_int_equal(learn_linucb_update(&l, 1, bad, 1.0), -1);
	assert_int_equal(learn_linucb_update(&l, 1, x, INFINITY), -1);
	assert_true(learn_linucb_ucb(&l, 1, x) == before);
	ucb0 = learn_linucb_ucb(&l, 0, x);
	assert_int_equal(learn_linucb_update(&l, 1, x, 1.0), 0);
	assert_true(learn_linucb_ucb(&l, 1, x) != before);
	assert_true(learn_linucb_ucb(&l, 0, x) == ucb0);	/* disjoint */
	learn_linucb_free(&l);
}

/* ---- Thompson sampling ------------------------------------------------ */

#define TS_ARMS		6
#define TS_ROUNDS	3000
#define TS_LAST		500
#define TS_SEEDS	10

static const double ts_p[TS_ARMS] = { 0.30, 0.45, 0.50, 0.55, 0.60, 0.70 };

struct ts_run {
	double	regret;		/* sum of p* - p_chosen */
	double	last_best;	/* share of the last TS_LAST pulls on the best */
	double	best_mean;	/* posterior mean of the best arm at the end */
	double	reward;
};

/* One run: the policy's rng and the environment's rng are separate, so the
 * rewards an arm would give do not depend on the policy's draws. */
static void
ts_run(uint64_t seed, int uniform, struct ts_run *out)
{
	struct learn_thompson t;
	struct learn_rng pol, env;
	int n, arm, best = TS_ARMS - 1, onbest = 0;
	double r;

	learn_rng_seed(&pol, seed);
	learn_rng_seed(&env, seed ^ 0x5eed5eed5eedULL);
	assert_int_equal(learn_thompson_init(&t, TS_ARMS, 1.0, 1.0), 0);
	memset(out, 0, sizeof(*out));
	for (n = 0; n < TS_ROUNDS; n++) {
		arm = uniform ? (int)learn_rng_below(&pol, TS_ARMS) :
		    learn_thompson_choose(&t, &pol);
		r = learn_rng_uniform(&env) < ts_p[arm];
		assert_int_equal(learn_thompson_update(&t, arm, r), 0);
		out->regret += ts_p[best] - ts_p[arm];
		out->reward += r;
		if (n >= TS_ROUNDS - TS_LAST && arm == best)
			onbest++;
	}
	out->last_best = (double)onbest / TS_LAST;
	out->best_mean = learn_thompson_mean(&t, best);
	learn_thompson_free(&t);
}

static void
test_thompson_converges_on_best_arm(void **state)
{
	struct ts_run run, uni;
	double share = 0.0, regret = 0.0, uregret = 0.0, worst = 1.0;
	uint64_t s;

	for (s = 1; s <= TS_SEEDS; s++) {
		ts_run(s, 0, &run);
		ts_run(s, 1, &uni);
		share += run.last_best / TS_SEEDS;
		regret += run.regret / TS_SEEDS;
		uregret += uni.regret / TS_SEEDS;
		if (run.last_best < worst)
			worst = run.last_best;
		/* Posterior mean of a much-pulled arm: sd ~ 0.01. */
		assert_true(fabs(run.best_mean - ts_p[TS_ARMS - 1]) < 0.05);
	}
	print_message("Thompson over %d seeds, %d rounds: %.3f of the last %d "
	    "pulls on the best arm (worst seed %.3f); mean regret %.1f vs "
	    "uniform %.1f\n", TS_SEEDS, TS_ROUNDS, share, TS_LAST, worst,
	    regret, uregret);
	assert_true(share >= 0.90);
	assert_true(worst >= 0.75);
	/* Uniform's expected regret is TS_ROUNDS * (0.7 - 0.5167) = 550. */
	assert_true(fabs(uregret - 550.0) < 30.0);
	assert_true(regret < 0.2 * uregret);
}

static void
test_thompson_update_and_bad_arguments(void **state)
{
	struct learn_thompson t;
	struct learn_rng rng;

	assert_int_equal(learn_thompson_init(&t, 0, 1, 1), -1);
	assert_int_equal(learn_thompson_init(&t, 2, 0, 1), -1);
	assert_int_equal(learn_thompson_init(&t, 2, 1, NAN), -1);
	assert_int_equal(learn_thompson_init(&t, 2, 2.0, 3.0), 0);
	assert_true(learn_thompson_mean(&t, 0) == 0.4);
	assert_int_equal(learn_thompson_update(&t, 0, 1.0), 0);
	assert_int_equal(learn_thompson_update(&t, 0, 0.5), 0);
	assert_true(t.a[0] == 3.5 && t.b[0] == 3.5);
	assert_int_equal(learn_thompson_update(&t, 2, 1.0), -1);
	assert_int_equal(learn_thompson_update(&t, 1, 1.5), -1);
	assert_int_equal(learn_thompson_update(&t, 1, NAN), -1);
	assert_true(t.a[1] == 2.0 && t.b[1] == 3.0);
	/* A posterior with overwhelming evidence is chosen every time. */
	t.a[1] = 1e6;
	learn_rng_seed(&rng, 3);
	assert_int_equal(learn_thompson_choose(&t, &rng), 1);
	learn_thompson_free(&t);
}

/* ---- rng -------------------------------------------------------------- */

static void
test_rng_known_answers(void **state)
{
	/* splitmix64(0) starts 0xe220a8397b1dcdaf (Vigna's splitmix64.c);
	 * xoshiro256** outputs from an independent Python port. */
	static const uint64_t want0[] = { 0x99ec5f36cb75f2b4ULL,
	    0xbf6e1f784956452aULL, 0x1a5f849d4933e6e0ULL,
	    0x6aa594f1262d2d2cULL };
	static const uint64_t want42[] = { 0x15780b2e0c2ec716ULL,
	    0x6104d9866d113a7eULL, 0xae17533239e499a1ULL,
	    0xecb8ad4703b360a1ULL };
	struct learn_rng r, r2;
	int i;

	learn_rng_seed(&r, 0);
	assert_true(r.s[0] == 0xe220a8397b1dcdafULL);
	for (i = 0; i < 4; i++)
		assert_true(learn_rng_u64(&r) == want0[i]);
	learn_rng_seed(&r, 42);
	for (i = 0; i < 4; i++)
		assert_true(learn_rng_u64(&r) == want42[i]);
	learn_rng_seed(&r, 99);
	learn_rng_seed(&r2, 99);
	for (i = 0; i < 1000; i++)
		assert_true(learn_rng_beta(&r, 0.5, 2.0) ==
		    learn_rng_beta(&r2, 0.5, 2.0));
}

/* Sample mean and variance of n draws of f. */
#define MOMENTS(n, expr, mean, var) do {				\
	double s_ = 0.0, ss_ = 0.0, v_;					\
	long i_;							\
	for (i_ = 0; i_ < (n); i_++) {					\
		v_ = (expr);						\
		s_ += v_;						\
		ss_ += v_ * v_;						\
	}								\
	(mean) = s_ / (n);						\
	(var) = ss_ / (n) - (mean) * (mean);				\
} while (0)

static void
test_rng_uniform_and_normal_moments(void **state)
{
	enum { N = 1000000 };
	struct learn_rng r;
	double m, v, u, lo = 1.0, hi = 0.0;
	long counts[10] = { 0 }, i;

	learn_rng_seed(&r, 2024);
	/* mean sd = 0.29/1000; var sd ~ 0.075/1000: 5 sd bounds. */
	MOMENTS(N, learn_rng_uniform(&r), m, v);
	assert_true(fabs(m - 0.5) < 1.5e-3);
	assert_true(fabs(v - 1.0 / 12.0) < 4e-4);
	for (i = 0; i < N; i++) {
		u = learn_rng_uniform(&r);
		assert_true(u >= 0.0 && u < 1.0);
		lo = u < lo ? u : lo;
		hi = u > hi ? u : hi;
		counts[(int)(u * 10)]++;
	}
	assert_true(lo < 1e-5 && hi > 1.0 - 1e-5);
	for (i = 0; i < 10; i++)	/* sd 300 */
		assert_true(labs(counts[i] - N / 10) < 1500);
	MOMENTS(N, learn_rng_normal(&r), m, v);
	assert_true(fabs(m) < 5e-3);
	assert_true(fabs(v - 1.0) < 7.5e-3);
	for (i = 0; i < 10; i++)
		counts[i] = 0;
	for (i = 0; i < N; i++)
		counts[learn_rng_below(&r, 7)]++;
	for (i = 0; i < 7; i++)	/* sd ~350 */
		assert_true(labs(counts[i] - N / 7) < 1750);
	assert_true(learn_rng_below(&r, 0) == 0);
}

static void
test_rng_gamma_beta_moments(void **state)
{
	enum { N = 400000 };
	static const double shapes[] = { 0.2, 0.9, 1.0, 2.5, 30.0 };
	static const double ab[][2] = { { 1, 1 }, { 2, 5 }, { 0.5, 0.5 },
	    { 0.3, 4 }, { 50, 20 } };
	struct learn_rng r;
	double m, v, k, a, b, bm, bv, x;
	long i;
	size_t j;

	learn_rng_seed(&r, 77);
	for (j = 0; j < sizeof(shapes) / sizeof(shapes[0]); j++) {
		k = shapes[j];
		MOMENTS(N, learn_rng_gamma(&r, k), m, v);
		/* Gamma(k): mean k, var k; tolerances ~5 sd of the mean and
		 * a loose bound on the variance (heavy tail at small k). */
		assert_true(fabs(m - k) < 5.0 * sqrt(k / N));
		assert_true(fabs(v - k) < 0.05 * k);
	}
	for (j = 0; j < sizeof(ab) / sizeof(ab[0]); j++) {
		a = ab[j][0];
		b = ab[j][1];
		bm = a / (a + b);
		bv = a * b / ((a + b) * (a + b) * (a + b + 1));
		MOMENTS(N, learn_rng_beta(&r, a, b), m, v);
		assert_true(fabs(m - bm) < 5.0 * sqrt(bv / N));
		assert_true(fabs(v - bv) < 0.03 * bv);
	}
	/* Bounds, also for shapes whose gamma draws underflow. */
	for (i = 0; i < 100000; i++) {
		x = learn_rng_beta(&r, 0.01, 0.02);
		assert_true(x >= 0.0 && x <= 1.0);
		x = learn_rng_beta(&r, 1e-3, 1e4);
		assert_true(x >= 0.0 && x <= 1.0);
		x = learn_rng_gamma(&r, 0.01);
		assert_true(x >= 0.0 && isfinite(x));
	}
	assert_true(isnan(learn_rng_beta(&r, 0.0, 1.0)));
	assert_true(isnan(learn_rng_beta(&r, 1.0, INFINITY)));
	assert_true(isnan(learn_rng_gamma(&r, -1.0)));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_linucb_replay_alpha_025),
		cmocka_unit_test(test_linucb_replay_alpha_1),
		cmocka_unit_test(test_linucb_ties_lowest_index),
		cmocka_unit_test(test_linucb_matches_explicit_inverse),
		cmocka_unit_test(test_linucb_bad_arguments),
		cmocka_unit_test(test_thompson_converges_on_best_arm),
		cmocka_unit_test(test_thompson_update_and_bad_arguments),
		cmocka_unit_test(test_rng_known_answers),
		cmocka_unit_test(test_rng_uniform_and_normal_moments),
		cmocka_unit_test(test_rng_gamma_beta_moments),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
