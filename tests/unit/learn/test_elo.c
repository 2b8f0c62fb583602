/*
 * elo: the logistic's symmetry, mirror-image updates, the decaying step,
 * the prediction returned being the one used, and convergence to the
 * simulating abilities and difficulties (fixed seed, a PRNG local to the
 * test).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "learn/elo.h"

static const struct learn_elo_k kdef = LEARN_ELO_K_DEFAULT;

/* splitmix64 */
static uint64_t
next64(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double
unif(uint64_t *s)
{
	return ((double)(next64(s) >> 11) + 0.5) * 0x1.0p-53;
}

static double
gauss(uint64_t *s)
{
	return sqrt(-2 * log(unif(s))) * cos(6.283185307179586 * unif(s));
}

static void
test_probability_symmetry(void **state)
{
	double x, y;
	int i;

	assert_true(learn_elo_p(0, 0) == 0.5);
	assert_true(learn_elo_p(3.25, 3.25) == 0.5);
	assert_true(fabs(learn_elo_p(1, 0) - 1 / (1 + exp(-1.0))) < 1e-16);
	for (i = -200; i <= 200; i++) {
		x = i * 0.173;
		y = -i * 0.029;
		assert_true(fabs(learn_elo_p(x, y) + learn_elo_p(y, x) - 1) <
		    1e-15);
		/* only the difference matters */
		assert_true(fabs(learn_elo_p(x + 2.5, y + 2.5) -
		    learn_elo_p(x, y)) < 1e-14);
	}
	/* no overflow far out */
	assert_true(learn_elo_p(-1000, 0) >= 0 && learn_elo_p(-1000, 0) < 1e-300);
	assert_true(learn_elo_p(1000, 0) == 1);
	assert_true(learn_elo_p(0.5, 0) > learn_elo_p(0.4, 0));
}

static void
test_update_mirror_images(void **state)
{
	struct learn_elo_rating l1 = { 0, 0 }, i1 = { 0, 0 };
	struct learn_elo_rating l2 = { 0, 0 }, i2 = { 0, 0 };
	struct learn_elo_rating l3 = { 0.7, 4 }, i3 = { -0.2, 9 };
	struct learn_elo_rating l4 = { -0.2, 9 }, i4 = { 0.7, 4 };
	struct learn_elo_rating l5 = { -0.7, 4 }, i5 = { 0.2, 9 };
	double p;

	/* Equal K: what the learner gains the item loses. */
	p = learn_elo_update(&l1, &i1, 1, &kdef, &kdef);
	assert_true(p == 0.5);
	assert_true(l1.value == 0.5 && i1.value == -0.5);
	assert_true(l1.n == 1 && i1.n == 1);
	/* A wrong answer is the mirror image of a right one. */
	p = learn_elo_update(&l2, &i2, 0, &kdef, &kdef);
	assert_true(p == 0.5);
	assert_true(l2.value == -0.5 && i2.value == 0.5);
	/* Swapping learner and item (and the answer) swaps the results. */
	p = learn_elo_update(&l3, &i3, 1, &kdef, &kdef);
	assert_true(fabs(learn_elo_update(&l4, &i4, 0, &kdef, &kdef) -
	    (1 - p)) < 1e-15);
	assert_true(fabs(l4.value - i3.value) < 1e-15);
	assert_true(fabs(i4.value - l3.value) < 1e-15);
	assert_true(l4.n == 10 && i4.n == 5);
	/* Negating both ratings and the answer negates the results. */
	learn_elo_update(&l5, &i5, 0, &kdef, &kdef);
	assert_true(fabs(l5.value + l3.value) < 1e-15);
	assert_true(fabs(i5.value + i3.value) < 1e-15);
	/* Partial credit at the prediction moves nothing. */
	l1.value = 0.3;
	i1.value = -0.1;
	p = learn_elo_p(0.3, -0.1);
	assert_true(learn_elo_update(&l1, &i1, p, &kdef, &kdef) == p);
	assert_true(l1.value == 0.3 && i1.value == -0.1);
}

static void
test_k_decays(void **state)
{
	const struct learn_elo_k k = { 0.8, 0.05 };
	struct learn_elo_rating l = { 0, 0 };
	double prev = INFINITY, step, before;
	unsigned long n;

	assert_true(learn_elo_k(&k, 0) == 0.8);
	assert_true(fabs(learn_elo_k(&k, 20) - 0.4) < 1e-15);
	for (n = 0; n < 1000; n++) {
		assert_true(learn_elo_k(&k, n) < prev);
		assert_true(fabs(learn_elo_k(&k, n) - 0.8 / (1 + 0.05 *
		    (double)n)) < 1e-15);
		prev = learn_elo_k(&k, n);
	}
	/* The same surprise moves a learner less each time: against an item
	 * whose difficulty follows the learner, P stays 1/2. */
	prev = INFINITY;
	for (n = 0; n < 50; n++) {
		before = l.value;
		assert_true(learn_elo_update_learner(&l, before, 1, &k) == 0.5);
		step = l.value - before;
		assert_true(step > 0 && step < prev);
		assert_true(fabs(step - 0.5 * learn_elo_k(&k, n)) < 1e-15);
		prev = step;
	}
	assert_int_equal(l.n, 50);
}

#define NL	300
#define NI	60
#define NANS	60000

/*
 * Simulated learners and items (theta, d ~ N(0, 1)), answers drawn from
 * the model itself: the estimates end up ranked like the truth, close to
 * it once the free shift is removed, and predictions improve over time.
 */
static void
test_converges_on_simulated_data(void **state)
{
	struct learn_elo_rating l[NL], it[NI];
	double th[NL], d[NI], p, ptrue, y, ll1 = 0, ll2 = 0, shift = 0;
	double sxy, sxx, syy, mx, my, rl, ri, rmse_l = 0, rmse_i = 0;
	uint64_t seed = 20240917;
	int a, u, j;

	memset(l, 0, sizeof(l));
	memset(it, 0, sizeof(it));
	for (u = 0; u < NL; u++)
		th[u] = gauss(&seed);
	for (j = 0; j < NI; j++)
		d[j] = gauss(&seed);
	for (a = 0; a < NANS; a++) {
		u = (int)(next64(&seed) % NL);
		j = (int)(next64(&seed) % NI);
		ptrue = learn_elo_p(th[u], d[j]);
		y = unif(&seed) < ptrue;
		p = learn_elo_update(&l[u], &it[j], y, &kdef, &kdef);
		if (a < NANS / 10)
			ll1 += log(y ? p : 1 - p);
		else if (a >= NANS - NANS / 10)
			ll2 += log(y ? p : 1 - p);
	}
	/* Mean log-loss per answer, first tenth vs last tenth. */
	ll1 /= -(NANS / 10);
	ll2 /= -(NANS / 10);
	/* Correlation of estimated and true values. */
	mx = my = sxy = sxx = syy = 0;
	for (u = 0; u < NL; u++) {
		mx += l[u].value / NL;
		my += th[u] / NL;
	}
	for (u = 0; u < NL; u++) {
		sxy += (l[u].value - mx) * (th[u] - my);
		sxx += (l[u].value - mx) * (l[u].value - mx);
		syy += (th[u] - my) * (th[u] - my);
	}
	rl = sxy / sqrt(sxx * syy);
	mx = my = sxy = sxx = syy = 0;
	for (j = 0; j < NI; j++) {
		mx += it[j].value / NI;
		my += d[j] / NI;
	}
	for (j = 0; j < NI; j++) {
		sxy += (it[j].value - mx) * (d[j] - my);
		sxx += (it[j].value - mx) * (it[j].value - mx);
		syy += (d[j] - my) * (d[j] - my);
	}
	ri = sxy / sqrt(sxx * syy);
	/* Remove the free shift (only theta - d is identified) using items. */
	shift = mx - my;
	for (j = 0; j < NI; j++)
		rmse_i += pow(it[j].value - shift - d[j], 2) / NI;
	for (u = 0; u < NL; u++)
		rmse_l += pow(l[u].value - shift - th[u], 2) / NL;
	rmse_i = sqrt(rmse_i);
	rmse_l = sqrt(rmse_l);
	print_message("corr learners %.4f items %.4f; rmse learners %.4f "
	    "items %.4f; log-loss first tenth %.4f last tenth %.4f\n", rl, ri,
	    rmse_l, rmse_i, ll1, ll2);
	assert_true(ri > 0.97);
	assert_true(rl > 0.85);
	assert_true(rmse_i < 0.25);
	assert_true(rmse_l < 0.6);
	assert_true(ll2 < ll1 - 0.02);
	for (u = 0; u < NL; u++)
		assert_true(l[u].n > 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_probability_symmetry),
		cmocka_unit_test(test_update_mirror_images),
		cmocka_unit_test(test_k_decays),
		cmocka_unit_test(test_converges_on_simulated_data),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
