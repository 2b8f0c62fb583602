/*
 * srs_load: the fuzz range's bounds, the balancer never leaving the range
 * and always picking a least-loaded day (checked against a brute force
 * over random loads), ties to the nearest day, the forecast by local day,
 * and the daily limit.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "learn/rng.h"
#include "learn/srs_load.h"

#define DAY	INT64_C(86400)

static void
test_range(void **state)
{
	int64_t lo, hi;

	(void)state;
	assert_int_equal(learn_srs_range(1, 100, 0.05, &lo, &hi), 0);
	assert_true(lo == 1 && hi == 1);
	assert_int_equal(learn_srs_range(2, 100, 0.05, &lo, &hi), 0);
	assert_true(lo == 1 && hi == 3);
	assert_int_equal(learn_srs_range(100, 1000, 0.05, &lo, &hi), 0);
	assert_true(lo == 95 && hi == 105);
	assert_int_equal(learn_srs_range(100, 102, 0.05, &lo, &hi), 0);
	assert_true(lo == 95 && hi == 102);
	assert_int_equal(learn_srs_range(0, 100, 0.05, &lo, &hi), -1);
	assert_int_equal(learn_srs_range(5, 100, -1, &lo, &hi), -1);
}

static void
test_balance_least_loaded(void **state)
{
	long load[200];
	struct learn_rng r;
	int64_t ivl, lo, hi, d, got, dist, gdist;
	int rep;
	size_t i;

	(void)state;
	learn_rng_seed(&r, 5);
	for (rep = 0; rep < 2000; rep++) {
		for (i = 0; i < 200; i++)
			load[i] = (long)learn_rng_below(&r, 4);
		ivl = 1 + (int64_t)learn_rng_below(&r, 180);
		got = learn_srs_balance(ivl, 36500, 0.05, load, 200);
		learn_srs_range(ivl, 36500, 0.05, &lo, &hi);
		assert_true(got >= lo && got <= hi);
		gdist = got > ivl ? got - ivl : ivl - got;
		for (d = lo; d <= hi; d++) {
			assert_true(load[got] <= load[d]);
			dist = d > ivl ? d - ivl : ivl - d;
			if (load[d] == load[got])
				assert_true(gdist < dist || (gdist == dist &&
				    got <= d));
		}
	}
	/* Equal loads: the ideal day; equal distance: the earlier. */
	memset(load, 0, sizeof(load));
	assert_int_equal(learn_srs_balance(40, 36500, 0.05, load, 200), 40);
	load[40] = 3;
	assert_int_equal(learn_srs_balance(40, 36500, 0.05, load, 200), 39);
	/* Days past the load array count as empty. */
	load[40] = 0;
	for (i = 0; i < 200; i++)
		load[i] = 9;
	assert_int_equal(learn_srs_balance(200, 36500, 0.05, load, 200), 200);
	assert_int_equal(learn_srs_balance(199, 36500, 0.05, load, 200), 200);
	assert_int_equal(learn_srs_balance(0, 36500, 0.05, load, 200), -1);
}

static void
test_forecast_and_limit(void **state)
{
	/* now is 23:30 UTC; at UTC+2 it is already 01:30 the next day. */
	int64_t now = 19000 * DAY + 23 * 3600 + 1800;
	int64_t due[] = { now - 5 * DAY, now + 3600, now + DAY, now + 40 * DAY };
	long c[7], deferred;

	(void)state;
	assert_int_equal(learn_srs_forecast(due, 4, now, 0, c, 7), 3);
	assert_int_equal(c[0], 1);	/* overdue on day 0 */
	assert_int_equal(c[1], 2);	/* 00:30 tomorrow UTC, and +1 d */
	/* In UTC+2 it is 01:30, so now + 1 h is still today. */
	assert_int_equal(learn_srs_forecast(due, 4, now, 7200, c, 7), 3);
	assert_int_equal(c[0], 2);
	assert_int_equal(c[1], 1);
	assert_int_equal(learn_srs_daily_take(30, 15, 20, &deferred), 5);
	assert_int_equal(deferred, 25);
	assert_int_equal(learn_srs_daily_take(30, 25, 20, &deferred), 0);
	assert_int_equal(learn_srs_daily_take(3, 0, 20, &deferred), 3);
	assert_int_equal(deferred, 0);
	assert_int_equal(learn_srs_daily_take(30, 5, 0, NULL), 30);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_range),
		cmocka_unit_test(test_balance_least_loaded),
		cmocka_unit_test(test_forecast_and_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
