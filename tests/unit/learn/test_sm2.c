/*
 * sm2: replays sm2_reviews.csv and compares every row of sm2_expected.csv
 * (npm supermemo 2.0.23) exactly, E-Factor included (README section 2:
 * exact with the same operation order and no FMA); the E-Factor floor;
 * bad input.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/csv.h"
#include "learn/sm2.h"
#include "refdir.h"

static void
test_replay(void **state)
{
	struct learn_sm2_item it;
	struct csv in, ex;
	FILE *fin, *fex;
	int ic, ii, ig, ec, ei, eg, eiv, er, ee, grade, idx, want_rep;
	int64_t card, ecard, cur = -1, want_ivl, big = 0;
	double want_ef;
	long rows = 0, bad = 0;

	fin = ref_open("sm2_reviews.csv");
	fex = ref_open("sm2_expected.csv");
	assert_int_equal(csv_open_file(&in, fin), 0);
	assert_int_equal(csv_open_file(&ex, fex), 0);
	assert_true((ic = csv_need(&in, "card_id")) >= 0);
	assert_true((ii = csv_need(&in, "review_index")) >= 0);
	assert_true((ig = csv_need(&in, "grade")) >= 0);
	assert_true((ec = csv_need(&ex, "card_id")) >= 0);
	assert_true((ei = csv_need(&ex, "review_index")) >= 0);
	assert_true((eg = csv_need(&ex, "grade")) >= 0);
	assert_true((eiv = csv_need(&ex, "interval")) >= 0);
	assert_true((er = csv_need(&ex, "repetition")) >= 0);
	assert_true((ee = csv_need(&ex, "efactor")) >= 0);

	while (csv_next(&in) == 1) {
		assert_int_equal(csv_next(&ex), 1);
		assert_int_equal(csv_int64(&in, ic, &card), 0);
		assert_int_equal(csv_int(&in, ii, &idx), 0);
		assert_int_equal(csv_int(&in, ig, &grade), 0);
		assert_int_equal(csv_int64(&ex, ec, &ecard), 0);
		assert_int_equal(ecard, card);
		assert_string_equal(csv_str(&ex, ei), csv_str(&in, ii));
		assert_string_equal(csv_str(&ex, eg), csv_str(&in, ig));
		if (card != cur) {
			assert_int_equal(idx, 0);
			cur = card;
			learn_sm2_init(&it);
		}
		assert_int_equal(learn_sm2_review(&it, grade), 0);
		assert_int_equal(csv_int64(&ex, eiv, &want_ivl), 0);
		assert_int_equal(csv_int(&ex, er, &want_rep), 0);
		assert_int_equal(csv_double(&ex, ee, &want_ef), 0);
		if (it.interval != want_ivl || it.repetition != want_rep ||
		    it.efactor != want_ef) {
			if (bad++ < 10)
				fprintf(stderr, "sm2_expected.csv line %ld: "
				    "got %lld %d %.17g, want %lld %d %.17g\n",
				    ex.lineno, (long long)it.interval,
				    it.repetition, it.efactor,
				    (long long)want_ivl, want_rep, want_ef);
		}
		big += it.interval > INT32_MAX;
		rows++;
	}
	assert_string_equal(csv_error(&in), "");
	assert_int_equal(csv_next(&ex), 0);
	csv_close(&in);
	csv_close(&ex);
	fclose(fin);
	fclose(fex);
	printf("sm2: %ld rows, %lld intervals > 2^31-1, %ld mismatches\n",
	    rows, (long long)big, bad);
	assert_true(rows > 1000);
	assert_int_equal(bad, 0);
}

/* Wozniak's worked progression and the package's quirks: EF changes on a
 * failure, the interval uses the EF before the update, EF floors at 1.3. */
static void
test_rules(void **state)
{
	struct learn_sm2_item it;
	int i;

	learn_sm2_init(&it);
	assert_int_equal(learn_sm2_review(&it, 5), 0);
	assert_int_equal(it.interval, 1);
	assert_true(it.efactor == 2.5 + 0.1);
	assert_int_equal(learn_sm2_review(&it, 5), 0);
	assert_int_equal(it.interval, 6);
	assert_int_equal(learn_sm2_review(&it, 4), 0);
	assert_int_equal(it.interval, 16);	/* round(6 * 2.7) */
	assert_int_equal(it.repetition, 3);
	assert_int_equal(learn_sm2_review(&it, 2), 0);
	assert_int_equal(it.interval, 1);
	assert_int_equal(it.repetition, 0);
	assert_true(it.efactor < 2.7);
	for (i = 0; i < 20; i++)
		assert_int_equal(learn_sm2_review(&it, 0), 0);
	assert_true(it.efactor == 1.3);
}

static void
test_bad_input(void **state)
{
	struct learn_sm2_item it, saved;

	learn_sm2_init(&it);
	saved = it;
	assert_int_equal(learn_sm2_review(&it, -1), -1);
	assert_int_equal(learn_sm2_review(&it, 6), -1);
	assert_memory_equal(&it, &saved, sizeof(it));
	it.efactor = 1.0;
	assert_int_equal(learn_sm2_review(&it, 3), -1);
	learn_sm2_init(&it);
	it.interval = -5;
	assert_int_equal(learn_sm2_review(&it, 3), -1);
	/* An interval past 2^53 days is refused, not rounded. */
	learn_sm2_init(&it);
	it.repetition = 5;
	it.interval = INT64_C(4000000000000000);
	it.efactor = 2.5;
	assert_int_equal(learn_sm2_review(&it, 5), -1);
	assert_int_equal(it.interval, INT64_C(4000000000000000));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_replay),
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_bad_input),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
