/*
 * throttle: the back-off table of the default policy, the countdown from
 * the last failure, the cap, the address policy, and hostile inputs
 * (negative counts, clock stepped back, huge counts, extreme times).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "base/throttle.h"

static void
test_delay_table(void **state)
{
	static const int64_t want[] = {
		0, 0, 0, 0, 0,		/* 5 free attempts */
		1, 2, 4, 8, 16, 32, 64, 128, 256, 512,
		900, 900, 900,		/* capped at 15 min */
	};
	size_t i;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		assert_int_equal(throttle_delay(NULL, (int64_t)i), want[i]);
	assert_int_equal(throttle_delay(NULL, 1000000), 900);
	assert_int_equal(throttle_delay(NULL, INT64_MAX), 900);
	assert_int_equal(throttle_delay(NULL, -3), 0);
	assert_int_equal(throttle_delay(&throttle_account, 7), 4);
}

static void
test_wait_counts_down(void **state)
{
	const int64_t t = 1700000000;

	assert_int_equal(throttle_wait(NULL, 4, t, t), 0);
	assert_int_equal(throttle_wait(NULL, 7, t, t), 4);
	assert_int_equal(throttle_wait(NULL, 7, t, t + 1), 3);
	assert_int_equal(throttle_wait(NULL, 7, t, t + 3), 1);
	assert_int_equal(throttle_wait(NULL, 7, t, t + 4), 0);
	assert_int_equal(throttle_wait(NULL, 7, t, t + 100), 0);
	assert_int_equal(throttle_wait(NULL, 30, t, t + 899), 1);
	assert_int_equal(throttle_wait(NULL, 30, t, t + 900), 0);
}

static void
test_clock_stepped_back_waits_full_delay_only(void **state)
{
	const int64_t t = 1700000000;

	assert_int_equal(throttle_wait(NULL, 6, t + 5000, t), 2);
	assert_int_equal(throttle_wait(NULL, 40, t + 5000, t), 900);
}

static void
test_address_policy_is_looser(void **state)
{
	assert_int_equal(throttle_delay(&throttle_address, 99), 0);
	assert_int_equal(throttle_delay(&throttle_address, 100), 1);
	assert_int_equal(throttle_delay(&throttle_address, 103), 8);
	assert_int_equal(throttle_delay(&throttle_address, 199), 900);
}

static void
test_custom_policy_and_extremes(void **state)
{
	const struct throttle_policy p = { 0, 3, 100 };
	const struct throttle_policy off = { 5, 0, 100 };

	assert_int_equal(throttle_delay(&p, 0), 3);
	assert_int_equal(throttle_delay(&p, 1), 6);
	assert_int_equal(throttle_delay(&p, 5), 96);
	assert_int_equal(throttle_delay(&p, 6), 100);
	assert_int_equal(throttle_delay(&off, 50), 0);
	/* now - last overflows int64: that failure is infinitely old */
	assert_int_equal(throttle_wait(NULL, 9, INT64_MIN, INT64_MAX), 0);
	assert_int_equal(throttle_wait(NULL, 9, INT64_MAX, INT64_MIN), 16);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_delay_table),
		cmocka_unit_test(test_wait_counts_down),
		cmocka_unit_test(test_clock_stepped_back_waits_full_delay_only),
		cmocka_unit_test(test_address_policy_is_looser),
		cmocka_unit_test(test_custom_policy_and_extremes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
