/*
 * sm2: the SM-2 spaced-repetition rule exactly as npm supermemo 2.0.23
 * computes it.
 *
 * Design: the package's semantics are kept even where they differ from
 * Wozniak's text (README 1.2): the E-Factor is updated on failures too, the
 * interval uses the E-Factor from before the update, and there is no cap.
 * The E-Factor expression is evaluated in the package's order so it drifts
 * by binary rounding exactly as the JavaScript does (build without FMA
 * contraction; -std=c11 implies -ffp-contract=off on GCC).  Intervals are
 * 64-bit and exact up to 2^53 days, past which a review is refused.
 */
#ifndef ADEPT_LEARN_SM2_H
#define ADEPT_LEARN_SM2_H

#include <stdint.h>

struct learn_sm2_item {
	int64_t	 interval;	/* days until the next review */
	int	 repetition;	/* successful reviews in a row */
	double	 efactor;	/* >= 1.3 */
};

/* A new item: interval 0, repetition 0, efactor 2.5. */
void	learn_sm2_init(struct learn_sm2_item *);

/* Applies a review graded 0..5 (>= 3 is a pass).  0, or -1 with the item
 * untouched on an unknown grade, an inconsistent item (negative interval
 * or repetition, efactor not finite or below 1.3) or an interval that
 * would pass 2^53 days. */
int	learn_sm2_review(struct learn_sm2_item *, int grade);

#endif
