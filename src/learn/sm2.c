/*
 * sm2: see sm2.h.  A line-by-line port of supermemo() from npm supermemo
 * 2.0.23; only the validation is ours.
 */
#include <math.h>

#include "learn/sm2.h"

#define MAX_EXACT	9007199254740992.0	/* 2^53 */

void
learn_sm2_init(struct learn_sm2_item *it)
{
	it->interval = 0;
	it->repetition = 0;
	it->efactor = 2.5;
}

/* JS Math.round: nearest integer, ties toward +infinity. */
static double
jsround(double x)
{
	double r;

	/* floor(x) without a libm call (baseline x86-64 has no roundsd):
	 * from 2^52 up every double is an integer. */
	if (!(fabs(x) < 4503599627370496.0))
		return x;
	r = (double)(int64_t)x;
	if (r > x)
		r -= 1;
	if (x - r >= 0.5)
		r += 1;
	return r;
}

int
learn_sm2_review(struct learn_sm2_item *it, int grade)
{
	int64_t interval;
	int repetition;
	double ef, next;

	if (grade < 0 || grade > 5 || it->interval < 0 ||
	    it->repetition < 0 || it->repetition == INT32_MAX ||
	    !isfinite(it->efactor) || it->efactor < 1.3)
		return -1;
	if (grade >= 3) {
		if (it->repetition == 0) {
			interval = 1;
			repetition = 1;
		} else if (it->repetition == 1) {
			interval = 6;
			repetition = 2;
		} else {
			next = jsround((double)it->interval * it->efactor);
			if (next > MAX_EXACT)
				return -1;
			interval = (int64_t)next;
			repetition = it->repetition + 1;
		}
	} else {
		interval = 1;
		repetition = 0;
	}
	ef = it->efactor + (0.1 - (5 - grade) * (0.08 + (5 - grade) * 0.02));
	if (ef < 1.3)
		ef = 1.3;
	it->interval = interval;
	it->repetition = repetition;
	it->efactor = ef;
	return 0;
}
