/*
 * feed: the card score puts due reviews first, then lessons ready to learn
 * (prerequisites met, below target; larger gaps first), then the next
 * lessons without a target, then refreshers; lessons with unmet
 * prerequisites are left out unless reviews are due; level and popularity
 * only order cards within one reason; ties keep the input order; the cap
 * keeps the best; each card's sentence names its reason.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "learn/feed.h"

static struct learn_feed_item
item(int64_t lesson, int due, int met, int completed, int gap, int target,
    int level, long completions)
{
	struct learn_feed_item it;

	memset(&it, 0, sizeof(it));
	it.lesson = lesson;
	it.due = due;
	it.prereqs_met = met;
	it.completed = completed;
	it.gap = gap;
	it.has_target = target;
	it.course_level = level;
	it.completions = completions;
	return it;
}

static void
test_reasons_order(void **state)
{
	struct learn_feed_item it[6];
	size_t order[6], n;

	(void)state;
	it[0] = item(10, 0, 1, 1, 0, 1, 1, 1000);	/* refresher */
	it[1] = item(11, 0, 1, 0, 0, 0, 1, 0);		/* next */
	it[2] = item(12, 0, 0, 0, 5, 1, 1, 5000);	/* locked */
	it[3] = item(13, 0, 1, 0, 2, 1, 1, 0);		/* ready, gap 2 */
	it[4] = item(14, 2, 0, 1, 0, 1, 3, 0);		/* due (locked!) */
	it[5] = item(15, 0, 1, 0, 6, 1, 3, 0);		/* ready, gap 6 */
	n = learn_feed_rank(it, 6, 1, order, 6);
	assert_int_equal(n, 5);
	assert_int_equal(it[order[0]].lesson, 14);
	assert_int_equal(it[order[0]].why, LEARN_FEED_DUE);
	assert_int_equal(it[order[1]].lesson, 15);
	assert_int_equal(it[order[2]].lesson, 13);
	assert_int_equal(it[order[2]].why, LEARN_FEED_READY);
	assert_int_equal(it[order[3]].lesson, 11);
	assert_int_equal(it[order[3]].why, LEARN_FEED_NEXT);
	assert_int_equal(it[order[4]].lesson, 10);
	assert_int_equal(it[order[4]].why, LEARN_FEED_REFRESH);
	assert_int_equal(it[2].why, LEARN_FEED_LOCKED);
	/* A lesson at target on every skill is a refresher, not ready. */
	it[0] = item(1, 0, 1, 0, 0, 1, 0, 0);
	learn_feed_score(&it[0], 0);
	assert_int_equal(it[0].why, LEARN_FEED_REFRESH);
	it[0] = item(1, 0, 1, 0, -3, 1, 0, 0);
	learn_feed_score(&it[0], 0);
	assert_int_equal(it[0].why, LEARN_FEED_REFRESH);
}

static void
test_due_count_and_cap(void **state)
{
	struct learn_feed_item a, b, c;

	(void)state;
	a = item(1, 1, 1, 0, 0, 0, 0, 0);
	b = item(2, 3, 1, 0, 0, 0, 0, 0);
	c = item(3, 40, 1, 0, 0, 0, 0, 0);
	learn_feed_score(&a, 0);
	learn_feed_score(&b, 0);
	learn_feed_score(&c, 0);
	assert_true(b.score > a.score);
	assert_true(c.score > b.score);
	/* Capped at 10 due cards: 1000 + 500. */
	assert_true(c.score == 1500.0);
	/* Even the biggest ready gap stays below one due review. */
	b = item(2, 0, 1, 0, 99, 1, 1, 1000000);
	learn_feed_score(&b, 1);
	assert_true(b.score < a.score);
}

static void
test_level_and_popularity(void **state)
{
	struct learn_feed_item it[4];
	size_t order[4], n;

	(void)state;
	/* Same reason and gap: level fit then popularity decide. */
	it[0] = item(1, 0, 1, 0, 2, 1, 3, 0);		/* two above: +0 */
	it[1] = item(2, 0, 1, 0, 2, 1, 2, 0);		/* one above: +30 */
	it[2] = item(3, 0, 1, 0, 2, 1, 1, 0);		/* same: +60 */
	it[3] = item(4, 0, 1, 0, 2, 1, 3, 99);		/* +0, popular +20 */
	n = learn_feed_rank(it, 4, 1, order, 4);
	assert_int_equal(n, 4);
	assert_int_equal(it[order[0]].lesson, 3);
	assert_int_equal(it[order[1]].lesson, 2);
	assert_int_equal(it[order[2]].lesson, 4);
	assert_int_equal(it[order[3]].lesson, 1);
	assert_true(it[3].score - it[0].score > 19.99 &&
	    it[3].score - it[0].score < 20.01);
	/* Popularity is capped at +40. */
	it[0] = item(1, 0, 1, 0, 0, 0, 0, 1000000000L);
	learn_feed_score(&it[0], 0);
	assert_true(it[0].score == 340.0);
	/* Unknown learner level: no level part. */
	it[0] = item(1, 0, 1, 0, 0, 0, 1, 0);
	learn_feed_score(&it[0], 0);
	assert_true(it[0].score == 300.0);
}

static void
test_ties_and_cap(void **state)
{
	struct learn_feed_item it[5];
	size_t order[2], n, i;

	(void)state;
	for (i = 0; i < 5; i++)
		it[i] = item((int64_t)i + 1, 0, 1, 0, 0, 0, 0, 0);
	it[3].due = 1;
	n = learn_feed_rank(it, 5, 0, order, 2);
	assert_int_equal(n, 2);
	assert_int_equal(it[order[0]].lesson, 4);
	/* Equal scores keep the input (course) order. */
	assert_int_equal(it[order[1]].lesson, 1);
	assert_int_equal(learn_feed_rank(it, 0, 0, order, 2), 0);
	assert_int_equal(learn_feed_rank(it, 5, 0, order, 0), 0);
}

static void
test_reason_sentences(void **state)
{
	struct learn_feed_item it;
	char buf[256];

	(void)state;
	it = item(1, 1, 1, 0, 0, 0, 1, 0);
	learn_feed_score(&it, 1);
	assert_string_equal(learn_feed_reason(&it, 1, buf, sizeof(buf)),
	    "1 review is due on this lesson's skills: answer before you "
	    "forget. It is at your level.");
	it = item(1, 0, 1, 0, 3, 1, 2, 0);
	learn_feed_score(&it, 1);
	assert_string_equal(learn_feed_reason(&it, 1, buf, sizeof(buf)),
	    "Ready to learn next: its prerequisites are done and you are 3 "
	    "levels below your target. It is one step above your level, a "
	    "good stretch.");
	it = item(1, 0, 1, 1, 0, 0, 0, 0);
	learn_feed_score(&it, 0);
	assert_string_equal(learn_feed_reason(&it, 0, buf, sizeof(buf)),
	    "A refresher: you have completed this lesson.");
	assert_string_equal(learn_feed_why_name(it.why), "refresh");
	/* Truncated, still terminated. */
	learn_feed_reason(&it, 0, buf, 5);
	assert_string_equal(buf, "A re");
	assert_int_equal(learn_feed_level(0), 0);
	assert_int_equal(learn_feed_level(3.9), 1);
	assert_int_equal(learn_feed_level(4), 2);
	assert_int_equal(learn_feed_level(7), 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reasons_order),
		cmocka_unit_test(test_due_count_and_cap),
		cmocka_unit_test(test_level_and_popularity),
		cmocka_unit_test(test_ties_and_cap),
		cmocka_unit_test(test_reason_sentences),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
