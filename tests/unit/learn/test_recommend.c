/*
 * recommend: each rule fires on fixtures that should trigger it and stays
 * quiet on those that should not; struggle detection fires on exactly the
 * answer that completes a run (not on the ones before or after); idle
 * signals fire once across checks; the bandit follows the rules without
 * data and never deviates beyond its budget.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "learn/recommend.h"

#define DAY	INT64_C(86400)
#define T0	INT64_C(1700000000)

static const char *
name(void *arg, int kind, int64_t id)
{
	(void)arg;
	(void)id;
	if (kind == LEARN_NAME_SKILL)
		return "sql";
	if (kind == LEARN_NAME_QUIZ)
		return "Quiz 2";
	return NULL;
}

static const struct learn_names names = { name, NULL };

static void
test_next_lesson(void **state)
{
	static const int64_t need5[] = { 5 }, need9[] = { 9 };
	struct learn_rec_step s[] = {
		{ 1, 1, NULL, 0 },
		{ 2, 0, need9, 1 },	/* blocked: 9 not done */
		{ 3, 0, need5, 1 },	/* ready once 5 is done */
	};
	static const int64_t done[] = { 5 };
	struct learn_rec r;
	char buf[128];

	(void)state;
	assert_int_equal(learn_rec_next_lesson(s, 3, done, 1, &r), 1);
	assert_int_equal(r.kind, LEARN_REC_NEXT_LESSON);
	assert_int_equal(r.item, 3);
	assert_int_equal(r.reason, LEARN_REC_R_NEXT_SKIPS_BLOCKED);
	assert_int_equal(r.ref, 2);
	assert_int_equal(r.ref2, 9);
	/* Without 5 done nothing is ready. */
	assert_int_equal(learn_rec_next_lesson(s, 3, NULL, 0, &r), 0);
	/* Unblocked: the first unmet step, in sequence. */
	s[1].nprereq = 0;
	assert_int_equal(learn_rec_next_lesson(s, 3, NULL, 0, &r), 1);
	assert_int_equal(r.item, 2);
	assert_int_equal(r.reason, LEARN_REC_R_NEXT_IN_SEQUENCE);
	learn_rec_format(&r, NULL, buf, sizeof(buf));
	assert_string_equal(buf, "next in your path (2 of 3)");
	s[1].done = s[2].done = 1;
	assert_int_equal(learn_rec_next_lesson(s, 3, NULL, 0, &r), 0);
}

static void
test_revision(void **state)
{
	struct learn_rec_params p;
	/* skill 1 weak mastery; skill 2 fine mastery, poor recent scores;
	 * skill 3 fine both; skill 4 poor long ago but good recently. */
	static const struct learn_rec_mastery m[] = {
		{ 1, 0.30 }, { 2, 0.80 }, { 3, 0.90 }, { 4, 0.85 },
	};
	static const struct learn_rec_score s[] = {
		{ 2, 0.4, T0 + 1 }, { 2, 0.5, T0 + 2 }, { 3, 0.9, T0 + 3 },
		{ 4, 0.1, T0 }, { 4, 0.1, T0 + 1 }, { 4, 0.9, T0 + 10 },
		{ 4, 0.9, T0 + 11 }, { 4, 0.9, T0 + 12 }, { 4, 0.9, T0 + 13 },
		{ 4, 0.9, T0 + 14 },
	};
	struct learn_rec out[8];
	char buf[128];
	size_t n;

	(void)state;
	learn_rec_params_default(&p);
	n = learn_rec_revision(&p, m, 4, s, sizeof(s) / sizeof(s[0]), out, 8);
	assert_int_equal(n, 2);
	/* Skill 1 is 50 % below its threshold, skill 2 25 %. */
	assert_int_equal(out[0].item, 1);
	assert_int_equal(out[0].reason, LEARN_REC_R_LOW_MASTERY);
	assert_int_equal(out[1].item, 2);
	assert_int_equal(out[1].reason, LEARN_REC_R_LOW_SCORE);
	assert_int_equal(out[1].n, 2);
	assert_true(fabs(out[1].x - 0.45) < 1e-12);
	learn_rec_format(&out[1], &names, buf, sizeof(buf));
	assert_string_equal(buf, "review sql: 45 % on the last 2 quizzes");
	learn_rec_format(&out[0], &names, buf, sizeof(buf));
	assert_string_equal(buf, "review sql: mastery 30 % (below 60 %)");
	/* cap 1 keeps the weakest, still counts both. */
	assert_int_equal(learn_rec_revision(&p, m, 4, s, 10, out, 1), 2);
	assert_int_equal(out[0].item, 1);
}

static void
test_review_due(void **state)
{
	struct learn_fsrs_params fp;
	struct learn_rec r;
	struct learn_rec_card c[] = {
		{ 1, 10.0, T0 },	/* 10 days later: R = 0.9 */
		{ 2, 10.0, T0 - 20 * DAY },
		{ 3, 2.0, T0 - 5 * DAY },
	};
	double r2, r3;
	char buf[128];

	(void)state;
	learn_fsrs_params_default(&fp);
	r2 = learn_fsrs_retrievability(&fp, 10.0, 30.0);
	r3 = learn_fsrs_retrievability(&fp, 2.0, 15.0);
	assert_int_equal(learn_rec_review(&fp, c, 3, T0 + 10 * DAY, 0.9, &r),
	    1);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.item, r2 < r3 ? 2 : 3);
	assert_true(r.x == (r2 < r3 ? r2 : r3));
	learn_rec_format(&r, NULL, buf, sizeof(buf));
	assert_non_null(strstr(buf, "2 reviews are due"));
	/* Just reviewed: nothing below retention. */
	assert_int_equal(learn_rec_review(&fp, c, 1, T0 + DAY, 0.9, &r), 0);
}

static void
test_difficulty(void **state)
{
	struct learn_rec_params p;
	struct learn_rec r;
	static const double up[] = { 0.2, 0.9, 0.95, 0.9, 0.9, 0.95 };
	static const double down[] = { 0.4, 0.5, 0.6, 0.5, 0.4 };
	static const double mid[] = { 0.7, 0.8, 0.75, 0.7, 0.8 };
	char buf[128];

	(void)state;
	learn_rec_params_default(&p);
	/* The last five of up average 0.92. */
	assert_int_equal(learn_rec_difficulty(&p, up, 6, 2, &r), 1);
	assert_int_equal(r.reason, LEARN_REC_R_LEVEL_UP);
	assert_int_equal(r.to, 3);
	learn_rec_format(&r, NULL, buf, sizeof(buf));
	assert_string_equal(buf, "92 % on the last five \xe2\x80\x94 moving "
	    "you to advanced");
	assert_int_equal(learn_rec_difficulty(&p, up, 6, 3, &r), 0);
	assert_int_equal(r.reason, LEARN_REC_R_LEVEL_AT_TOP);
	/* Including the 0.2 the mean is below 0.9: the window matters. */
	assert_int_equal(learn_rec_difficulty(&p, up, 5, 2, &r), 0);
	assert_int_equal(r.reason, LEARN_REC_R_LEVEL_KEEP);
	assert_int_equal(learn_rec_difficulty(&p, down, 5, 2, &r), 1);
	assert_int_equal(r.reason, LEARN_REC_R_LEVEL_DOWN);
	assert_int_equal(r.to, 1);
	assert_int_equal(learn_rec_difficulty(&p, down, 5, 1, &r), 0);
	assert_int_equal(r.reason, LEARN_REC_R_LEVEL_AT_BOTTOM);
	assert_int_equal(learn_rec_difficulty(&p, mid, 5, 2, &r), 0);
	assert_int_equal(r.reason, LEARN_REC_R_LEVEL_KEEP);
	assert_int_equal(learn_rec_difficulty(&p, up, 4, 2, &r), 0);
	assert_int_equal(r.reason, LEARN_REC_R_LEVEL_TOO_FEW);
}

static struct learn_answer
ans(int64_t skill, int correct, long ms, long mean)
{
	struct learn_answer a;

	memset(&a, 0, sizeof(a));
	a.skill = skill;
	a.item = 100 + skill;
	a.correct = correct;
	a.response_ms = ms;
	a.item_mean_ms = mean;
	return a;
}

/* Feeds the answers one at a time, as the page does, and returns a bit
 * mask of the answers on which rule fired. */
static unsigned
fire_mask(const struct learn_answer *a, size_t n, int rule)
{
	struct learn_rec_params p;
	struct learn_struggle ev[LEARN_STRUGGLE__MAX];
	unsigned mask = 0;
	size_t k;
	int m, j;

	learn_rec_params_default(&p);
	for (k = 1; k <= n; k++) {
		m = learn_struggle_answers(&p, a, k, ev);
		for (j = 0; j < m; j++)
			if (ev[j].rule == rule)
				mask |= 1u << (k - 1);
	}
	return mask;
}

static void
test_struggle_wrong_run_once(void **state)
{
	/* Skill 1: wrong, (skill 2 right), wrong, wrong (the third in a row
	 * on skill 1: fires), wrong (still in the run: quiet), right, wrong,
	 * wrong, wrong (a new run: fires again). */
	struct learn_answer a[] = {
		ans(1, 0, 0, 0), ans(2, 1, 0, 0), ans(1, 0, 0, 0),
		ans(1, 0, 0, 0), ans(1, 0, 0, 0), ans(1, 1, 0, 0),
		ans(1, 0, 0, 0), ans(1, 0, 0, 0), ans(1, 0, 0, 0),
	};
	struct learn_rec_params p;
	struct learn_struggle ev[LEARN_STRUGGLE__MAX];
	char buf[128];

	(void)state;
	assert_int_equal(fire_mask(a, 9, LEARN_STRUGGLE_WRONG_RUN),
	    (1u << 3) | (1u << 8));
	learn_rec_params_default(&p);
	assert_int_equal(learn_struggle_answers(&p, a, 4, ev), 1);
	assert_int_equal(ev[0].n, 3);
	assert_int_equal(ev[0].skill, 1);
	learn_struggle_format(&ev[0], &names, buf, sizeof(buf));
	assert_string_equal(buf, "3 wrong answers in a row on sql");
	assert_int_equal(learn_struggle_answers(&p, a, 0, ev), 0);
}

static void
test_struggle_slow_run(void **state)
{
	/* Slow = more than twice the item mean; an unknown time breaks the
	 * run; the third slow in a row fires. */
	struct learn_answer a[] = {
		ans(1, 1, 5000, 2000), ans(1, 1, 5000, 2000),
		ans(1, 1, 5000, 0), ans(1, 1, 4100, 2000),
		ans(1, 1, 6000, 2000), ans(1, 1, 3900, 2000),
		ans(1, 1, 9000, 2000), ans(1, 1, 5000, 2000),
		ans(1, 1, 6000, 2000),
	};
	struct learn_rec_params p;
	struct learn_struggle ev[LEARN_STRUGGLE__MAX];

	(void)state;
	assert_int_equal(fire_mask(a, 9, LEARN_STRUGGLE_SLOW_RUN), 1u << 8);
	learn_rec_params_default(&p);
	assert_int_equal(learn_struggle_answers(&p, a, 9, ev), 1);
	assert_true(fabs(ev[0].x - (4.5 + 2.5 + 3.0) / 3) < 1e-12);
}

static void
test_struggle_attempts(void **state)
{
	struct learn_answer a[6];
	int i;

	(void)state;
	/* Attempts 1, 2 and 3 at quiz 7, two answers each: the first answer
	 * of attempt 3 fires. */
	for (i = 0; i < 6; i++) {
		a[i] = ans(1, 1, 0, 0);
		a[i].quiz = 7;
		a[i].attempt = 70 + i / 2;
		a[i].attempt_no = 1 + i / 2;
	}
	assert_int_equal(fire_mask(a, 6, LEARN_STRUGGLE_ATTEMPTS), 1u << 4);
	/* Passed before: no intervention. */
	for (i = 0; i < 6; i++)
		a[i].quiz_passed = 1;
	assert_int_equal(fire_mask(a, 6, LEARN_STRUGGLE_ATTEMPTS), 0);
}

/* learn_struggle_possible never says 0 on an answer where
 * learn_struggle_answers fires: random histories of two skills and
 * several attempts at two quizzes, right or wrong, fast, slow or unknown
 * times, each prefix's latest answer checked both ways. */
static void
test_struggle_possible(void **state)
{
	struct learn_answer a[40];
	struct learn_rec_params p;
	struct learn_struggle ev[LEARN_STRUGGLE__MAX];
	struct learn_rng rng;
	long fired = 0, skipped = 0;
	int round, k, i, first;

	(void)state;
	learn_rec_params_default(&p);
	learn_rng_seed(&rng, 5);
	for (round = 0; round < 2000; round++) {
		for (k = 0; k < 40; k++) {
			long mean = learn_rng_below(&rng, 4) ? 2000 : 0;

			a[k] = ans(1 + (int64_t)learn_rng_below(&rng, 2),
			    learn_rng_below(&rng, 3) != 0,
			    (long)learn_rng_below(&rng, 6000), mean);
			a[k].quiz = (int64_t)learn_rng_below(&rng, 3);
			a[k].attempt = a[k].quiz ? 10 * a[k].quiz + k / 8 : 0;
			a[k].attempt_no = 1 + k / 8;
			a[k].quiz_passed = learn_rng_below(&rng, 4) == 0;
		}
		for (k = 1; k <= 40; k++) {
			for (i = 0, first = 1; i + 1 < k; i++)
				if (a[i].quiz == a[k - 1].quiz &&
				    a[i].attempt == a[k - 1].attempt)
					first = 0;
			if (learn_struggle_answers(&p, a, (size_t)k, ev) > 0) {
				fired++;
				assert_true(learn_struggle_possible(&p,
				    &a[k - 1], first));
			} else if (!learn_struggle_possible(&p, &a[k - 1],
			    first))
				skipped++;
		}
	}
	/* Both outcomes were exercised. */
	assert_true(fired > 100);
	assert_true(skipped > 100);
}

static void
test_struggle_idle(void **state)
{
	struct learn_rec_params p;
	struct learn_lesson_touch t[] = { { 40, T0 }, { 41, T0 + 5 * DAY } };
	struct learn_struggle ev[4];
	int64_t checks[] = { T0, T0 + 6 * DAY, T0 + 7 * DAY, T0 + 8 * DAY,
	    T0 + 13 * DAY };
	size_t n;
	int k, stalled40 = 0, inactive = 0;
	char buf[128];

	(void)state;
	learn_rec_params_default(&p);
	/* Checked daily-ish: each signal fires at exactly one check. */
	for (k = 1; k < 5; k++) {
		n = learn_struggle_idle(&p, t, 2, T0 + 1, checks[k - 1],
		    checks[k], ev, 4);
		while (n-- > 0) {
			if (ev[n].rule == LEARN_STRUGGLE_STALLED &&
			    ev[n].item == 40) {
				/* T0 + 7 days lies in (6, 7] days. */
				stalled40++;
				assert_int_equal(k, 2);
			}
			if (ev[n].rule == LEARN_STRUGGLE_STALLED &&
			    ev[n].item == 41)
				assert_int_equal(k, 4);
			if (ev[n].rule == LEARN_STRUGGLE_INACTIVE) {
				/* T0 + 1 s + 7 days lies in (7, 8]. */
				inactive++;
				assert_int_equal(k, 3);
				learn_struggle_format(&ev[n], NULL, buf,
				    sizeof(buf));
				assert_string_equal(buf,
				    "no activity for 7 days");
			}
		}
	}
	assert_int_equal(stalled40, 1);
	assert_int_equal(inactive, 1);
}

static void
test_bandit(void **state)
{
	struct learn_rec_params p;
	struct learn_rec_bandit b;
	struct learn_rec c[2];
	struct learn_rng rng;
	long i, dev = 0, pick;
	int how;

	(void)state;
	learn_rec_params_default(&p);
	learn_rec_bandit_init(&b);
	learn_rng_seed(&rng, 1);
	memset(c, 0, sizeof(c));
	c[0].kind = LEARN_REC_NEXT_LESSON;
	c[0].score = 0.5;
	c[1].kind = LEARN_REC_REVISE_SKILL;
	c[1].score = 0.4;
	/* No data: the rule's first. */
	assert_int_equal(learn_rec_choose(&p, &b, c, 2, &rng, &how), 0);
	assert_int_equal(how, LEARN_REC_CHOSE_RULE);
	/* Revision pays off far better: the sampler wants it, the budget
	 * holds deviations to 10 %. */
	for (i = 0; i < 50; i++) {
		learn_rec_bandit_update(&b, LEARN_REC_REVISE_SKILL, 1.0);
		learn_rec_bandit_update(&b, LEARN_REC_NEXT_LESSON, 0.0);
	}
	learn_rec_bandit_init(&b);
	for (i = 0; i < 50; i++) {
		learn_rec_bandit_update(&b, LEARN_REC_REVISE_SKILL, 1.0);
		learn_rec_bandit_update(&b, LEARN_REC_NEXT_LESSON, 0.0);
	}
	for (i = 0; i < 1000; i++) {
		pick = learn_rec_choose(&p, &b, c, 2, &rng, &how);
		assert_true(pick == 0 || pick == 1);
		if (pick == 1) {
			dev++;
			assert_int_equal(how, LEARN_REC_CHOSE_EXPLORE);
		} else
			assert_true(how == LEARN_REC_CHOSE_BUDGET ||
			    how == LEARN_REC_CHOSE_AGREE);
		assert_true((double)b.deviations <= 0.1 *
		    (double)b.decisions + 1e-9);
	}
	/* The budget is the binding limit, and it is used. */
	assert_true(dev >= 95 && dev <= 100);
	assert_true(learn_rec_reward(0, 1) == 0);
	assert_true(learn_rec_reward(1, 0) == 0.5);
	assert_true(learn_rec_reward(1, 1) == 1);
	assert_int_equal(learn_rec_bandit_update(&b, LEARN_REC__MAX, 1), -1);
	assert_int_equal(learn_rec_bandit_update(&b, 0, 1.5), -1);
	assert_int_equal(learn_rec_choose(&p, &b, c, 0, &rng, &how), -1);
}

static void
test_rank(void **state)
{
	struct learn_rec r[3];

	(void)state;
	memset(r, 0, sizeof(r));
	r[0].kind = LEARN_REC_NEXT_LESSON;
	r[0].score = 0.5;
	r[1].kind = LEARN_REC_STRUGGLE;
	r[1].score = 0.9;
	r[2].kind = LEARN_REC_REVISE_SKILL;
	r[2].score = 0.5;
	learn_rec_rank(r, 3);
	assert_int_equal(r[0].kind, LEARN_REC_STRUGGLE);
	assert_int_equal(r[1].kind, LEARN_REC_NEXT_LESSON);
	assert_int_equal(r[2].kind, LEARN_REC_REVISE_SKILL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_next_lesson),
		cmocka_unit_test(test_revision),
		cmocka_unit_test(test_review_due),
		cmocka_unit_test(test_difficulty),
		cmocka_unit_test(test_struggle_wrong_run_once),
		cmocka_unit_test(test_struggle_slow_run),
		cmocka_unit_test(test_struggle_attempts),
		cmocka_unit_test(test_struggle_possible),
		cmocka_unit_test(test_struggle_idle),
		cmocka_unit_test(test_bandit),
		cmocka_unit_test(test_rank),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
