/*
 * adjust: each weekly rule fires on its side of the threshold and not on
 * the other, rules combine, the lightened plan is rounded and bounded as
 * documented, and a quiet week gets one KEEP with its reason.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "learn/adjust.h"

static struct learn_adjust_week
week(double avg, long nq, long planned, long completed)
{
	struct learn_adjust_week w;

	memset(&w, 0, sizeof(w));
	w.avg_score = avg;
	w.nquizzes = nq;
	w.planned = planned;
	w.completed = completed;
	w.hours_per_week = 10;
	w.difficulty = 2;
	return w;
}

static const char *
name(void *arg, int kind, int64_t id)
{
	(void)arg;
	(void)kind;
	return id == 7 ? "sql" : id == 8 ? "joins" : "other";
}

static const struct learn_names names = { name, NULL };

static void
test_revision(void **state)
{
	struct learn_adjust_params p;
	struct learn_adjust_skill sk[] = { { 9, 0.9 }, { 8, 0.55 },
	    { 7, 0.3 }, { 6, 0.59 }, { 5, 0.58 } };
	struct learn_adjust_week w = week(0.52, 4, 4, 3);
	struct learn_adjust_change c[8];
	char buf[160];

	(void)state;
	learn_adjust_params_default(&p);
	w.skills = sk;
	w.nskills = 5;
	/* The three weakest below 60 %, weakest first. */
	assert_int_equal(learn_adjust_weekly(&p, &w, c, 8), 3);
	assert_int_equal(c[0].kind, LEARN_ADJUST_ADD_REVISION);
	assert_int_equal(c[0].skill, 7);
	assert_int_equal(c[1].skill, 8);
	assert_int_equal(c[2].skill, 5);
	learn_adjust_format(&c[0], &names, buf, sizeof(buf));
	assert_string_equal(buf, "average 30 % on sql this week (below 60 %) "
	    "\xe2\x80\x94 adding revision of sql");
	/* No per-skill detail: one general revision. */
	w.nskills = 0;
	assert_int_equal(learn_adjust_weekly(&p, &w, c, 8), 1);
	assert_int_equal(c[0].kind, LEARN_ADJUST_ADD_REVISION);
	assert_int_equal(c[0].skill, 0);
	/* At 60 % exactly the rule is quiet. */
	w = week(0.6, 4, 4, 3);
	assert_int_equal(learn_adjust_weekly(&p, &w, c, 8), 1);
	assert_int_equal(c[0].kind, LEARN_ADJUST_KEEP);
	/* No quizzes: no score rule whatever avg_score holds. */
	w = week(NAN, 0, 4, 3);
	assert_int_equal(learn_adjust_weekly(&p, &w, c, 8), 1);
	assert_int_equal(c[0].kind, LEARN_ADJUST_KEEP);
}

static void
test_lighten(void **state)
{
	struct learn_adjust_params p;
	struct learn_adjust_week w = week(0.7, 3, 6, 2);
	struct learn_adjust_change c[4];
	char buf[160];

	(void)state;
	learn_adjust_params_default(&p);
	assert_int_equal(learn_adjust_weekly(&p, &w, c, 4), 1);
	assert_int_equal(c[0].kind, LEARN_ADJUST_REDUCE_LOAD);
	assert_true(c[0].hours_from == 10);
	assert_true(c[0].hours_to == 7.5);
	assert_int_equal(c[0].steps_from, 6);
	assert_int_equal(c[0].steps_to, 5);	/* ceil(4.5) */
	learn_adjust_format(&c[0], NULL, buf, sizeof(buf));
	assert_string_equal(buf, "2 of 6 planned steps done (33 %) \xe2\x80\x94"
	    " lightening your week from 10 h to 7.5 h and 6 to 5 steps");
	/* Half done is not below half. */
	w = week(0.7, 3, 6, 3);
	assert_int_equal(learn_adjust_weekly(&p, &w, c, 4), 1);
	assert_int_equal(c[0].kind, LEARN_ADJUST_KEEP);
	/* Never below min_hours, never a rise. */
	w = week(0.7, 3, 1, 0);
	w.hours_per_week = 1.2;
	assert_int_equal(learn_adjust_weekly(&p, &w, c, 4), 1);
	assert_true(c[0].hours_to == 1.0);
	assert_int_equal(c[0].steps_to, 1);
	w.hours_per_week = 0.5;
	assert_int_equal(learn_adjust_weekly(&p, &w, c, 4), 1);
	assert_true(c[0].hours_to == 0.5);
}

static void
test_advanced_and_combined(void **state)
{
	struct learn_adjust_params p;
	struct learn_adjust_week w = week(0.94, 5, 5, 5);
	struct learn_adjust_change c[4];
	char buf[160];

	(void)state;
	learn_adjust_params_default(&p);
	assert_int_equal(learn_adjust_weekly(&p, &w, c, 4), 1);
	assert_int_equal(c[0].kind, LEARN_ADJUST_ADD_ADVANCED);
	assert_int_equal(c[0].level_to, 3);
	learn_adjust_format(&c[0], NULL, buf, sizeof(buf));
	assert_string_equal(buf, "94 % average and 100 % of planned steps done"
	    " \xe2\x80\x94 adding advanced content (advanced)");
	/* Excellent scores but only 3 of 5 done: not excellent. */
	w = week(0.94, 5, 5, 3);
	assert_int_equal(learn_adjust_weekly(&p, &w, c, 4), 1);
	assert_int_equal(c[0].kind, LEARN_ADJUST_KEEP);
	/* Poor scores and poor completion: both rules, in order. */
	w = week(0.4, 2, 8, 1);
	assert_int_equal(learn_adjust_weekly(&p, &w, c, 4), 2);
	assert_int_equal(c[0].kind, LEARN_ADJUST_ADD_REVISION);
	assert_int_equal(c[1].kind, LEARN_ADJUST_REDUCE_LOAD);
	/* Count beyond cap is still reported. */
	assert_int_equal(learn_adjust_weekly(&p, &w, c, 1), 2);
	/* Bad input. */
	w = week(0.4, 2, 3, 4);
	assert_int_equal(learn_adjust_weekly(&p, &w, c, 4), -1);
	w = week(NAN, 2, 3, 1);
	assert_int_equal(learn_adjust_weekly(&p, &w, c, 4), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_revision),
		cmocka_unit_test(test_lighten),
		cmocka_unit_test(test_advanced_and_combined),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
