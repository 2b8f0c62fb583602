/*
 * elo: Elo ratings for learners and items in the form Pelánek (2016) uses
 * for education: P(correct) = 1 / (1 + e^-(theta - d)), learner skill theta
 * against item difficulty d, both on the logit scale.
 *
 * Design decision: the update step K is not a constant but shrinks with the
 * number of answers a rating has seen, K(n) = a / (1 + b n) (Pelánek's
 * "uncertainty function"), separately for learners and items: a new rating
 * moves fast, a well-established one barely moves.  The caller keeps the
 * ratings (value and count) wherever it likes; nothing here holds state.
 */
#ifndef ADEPT_LEARN_ELO_H
#define ADEPT_LEARN_ELO_H

/* K(n) = a / (1 + b n).  a = 1, b = 0.05 (LEARN_ELO_K_DEFAULT) halve the
 * step after 20 answers and give 1/6 after 100; both are tunable. */
struct learn_elo_k {
	double	a;
	double	b;
};

#define LEARN_ELO_K_DEFAULT	{ 1.0, 0.05 }

struct learn_elo_rating {
	double		value;	/* theta for a learner, d for an item */
	unsigned long	n;	/* answers this rating has been updated by */
};

/* P(correct) for skill theta on an item of difficulty d. */
double	learn_elo_p(double theta, double d);

/* The step for a rating that has seen n answers. */
double	learn_elo_k(const struct learn_elo_k *, unsigned long n);

/*
 * One answer: outcome is 1 (correct), 0 (wrong) or partial credit in
 * between.  With P = learn_elo_p(learner, item), before the update:
 * learner += K_l(n_l) (outcome - P), item -= K_i(n_i) (outcome - P), and
 * both counts go up by one.  Returns P, the prediction the update used.
 */
double	learn_elo_update(struct learn_elo_rating *learner,
	    struct learn_elo_rating *item, double outcome,
	    const struct learn_elo_k *kl, const struct learn_elo_k *ki);

/* The same with the item's difficulty d held fixed (a calibrated item):
 * only the learner moves.  Returns P. */
double	learn_elo_update_learner(struct learn_elo_rating *learner, double d,
	    double outcome, const struct learn_elo_k *kl);

#endif
