/*
 * bm25: scores on a three-passage corpus computed by hand from the
 * formula in bm25.h (k1 1.2, b 0.75, idf ln(1 + (N - df + 0.5)/(df + 0.5))),
 * ranking and ties, stop words and plurals folded, term statistics.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "learn/bm25.h"

static struct learn_passage ps[3];
static const char *txt[3] = { "cat sat mat", "cat cat dog", "the dog and a bird" };

static struct learn_bm25 *
corpus(void)
{
	int i;

	for (i = 0; i < 3; i++) {
		memset(&ps[i], 0, sizeof(ps[i]));
		ps[i].text = txt[i];
		ps[i].len = strlen(txt[i]);
	}
	return learn_bm25_build(ps, 3);
}

static void
test_hand_computed(void **state)
{
	struct learn_bm25 *x = corpus();
	struct learn_hit h[3];

	assert_non_null(x);
	/* "the", "and", "a" are stop words: p2 has dl 2, avgdl 8/3 */
	assert_int_equal(learn_bm25_dl(x, 2), 2);
	assert_true(fabs(learn_bm25_avgdl(x) - 8.0 / 3) < 1e-12);
	assert_true(fabs(learn_bm25_score(x, "cat", 3, 0) -
	    0.44713858782297017) < 1e-12);
	assert_true(fabs(learn_bm25_score(x, "cat", 3, 1) -
	    0.6243067075264112) < 1e-12);
	assert_true(fabs(learn_bm25_score(x, "cats and dogs", 13, 1) -
	    1.0714452953493814) < 1e-12);
	assert_true(fabs(learn_bm25_score(x, "dog", 3, 2) -
	    0.523548346501579) < 1e-12);
	assert_true(learn_bm25_score(x, "cat", 3, 2) == 0);
	assert_int_equal(learn_bm25_search(x, "cat", 3, 3, h), 2);
	assert_int_equal(h[0].passage, 1);
	assert_int_equal(h[1].passage, 0);
	assert_int_equal(learn_bm25_search(x, "CATS DOG", 8, 1, h), 1);
	assert_int_equal(h[0].passage, 1);
	assert_int_equal(learn_bm25_search(x, "the and", 7, 3, h), 0);
	assert_int_equal(learn_bm25_search(x, "zebra", 5, 3, h), 0);
	learn_bm25_free(x);
}

static void
test_term_stats(void **state)
{
	struct learn_bm25 *x = corpus();
	long cat = learn_bm25_term(x, "cat", 3);

	assert_true(cat >= 0);
	assert_int_equal(learn_bm25_df(x, cat), 2);
	assert_int_equal(learn_bm25_cf(x, cat), 3);
	assert_int_equal(learn_bm25_tf(x, cat, 1), 2);
	assert_int_equal(learn_bm25_tf(x, cat, 2), 0);
	assert_int_equal(learn_bm25_term(x, "the", 3), -1);
	assert_true(fabs(learn_bm25_idf(x, cat) - log(1.6)) < 1e-15);
	learn_bm25_free(x);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hand_computed),
		cmocka_unit_test(test_term_stats),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
