/*
 * bandit: choosing among arms (exercises, hints, item formats) while
 * learning which pays off.  Disjoint LinUCB (Li et al. 2010) for arms with a
 * context vector, and Beta-Bernoulli Thompson sampling for context-free
 * arms with 0/1 (or [0,1]) rewards.
 *
 * Design: LinUCB keeps, per arm, the Cholesky factor L of
 * A = I + sum x x^T, updated by a stable rank-one update in O(d^2), plus
 * theta = A^-1 b re-solved after each update.  A score is then one
 * triangular solve (x^T A^-1 x = |L^-1 x|^2), with no explicit inverse whose
 * rounding errors would pile up over millions of pulls as with
 * Sherman-Morrison.  Randomness (Thompson) is the caller's struct learn_rng.
 * Memory is allocated by the _init functions and released by _free.
 */
#ifndef ADEPT_LEARN_BANDIT_H
#define ADEPT_LEARN_BANDIT_H

#include "learn/rng.h"

#define LEARN_LINUCB_MAXD	64	/* largest context dimension */

struct learn_linucb {
	int		 narms;
	int		 d;
	double		 alpha;		/* exploration weight */
	double		*chol;		/* narms blocks of d*d: lower L, A = L L^T */
	double		*b;		/* narms rows of d: sum r x */
	double		*theta;		/* narms rows of d: A^-1 b */
	long		*pulls;		/* updates per arm */
};

/* Sets up narms arms with A = I, b = 0.  Needs narms >= 1,
 * 1 <= d <= LEARN_LINUCB_MAXD, alpha >= 0 finite.  0, or -1 on bad
 * arguments or out of memory (nothing to free then). */
int	learn_linucb_init(struct learn_linucb *, int narms, int d,
	    double alpha);
void	learn_linucb_free(struct learn_linucb *);

/* p = theta^T x + alpha * sqrt(x^T A^-1 x) for one arm and its context x
 * (d finite values).  arm must be valid. */
double	learn_linucb_ucb(const struct learn_linucb *, int arm,
	    const double *x);

/* Picks the arm with the largest p; x holds narms contexts of d finite
 * values, arm-major.  Ties go to the lowest index.  If ucb is not NULL it receives
 * the narms scores.  Returns the arm (never fails). */
int	learn_linucb_choose(const struct learn_linucb *, const double *x,
	    double *ucb);

/* Records reward r for arm with context x: A += x x^T, b += r x.  0, or
 * -1 (state untouched) if arm is out of range or x or r is not finite. */
int	learn_linucb_update(struct learn_linucb *, int arm, const double *x,
	    double r);

struct learn_thompson {
	int		 narms;
	double		*a;		/* Beta posterior: prior a + successes */
	double		*b;		/* prior b + failures */
};

/* narms >= 1 arms with a Beta(prior_a, prior_b) prior each (both > 0 and
 * finite; Beta(1,1) is uniform).  0, or -1 on bad arguments or out of
 * memory (nothing to free then). */
int	learn_thompson_init(struct learn_thompson *, int narms,
	    double prior_a, double prior_b);
void	learn_thompson_free(struct learn_thompson *);

/* Draws one sample per arm from its posterior and returns the argmax
 * (ties to the lowest index); consumes the caller's rng. */
int	learn_thompson_choose(const struct learn_thompson *,
	    struct learn_rng *);

/* Adds reward r in [0, 1] to arm: a += r, b += 1 - r (a fractional reward
 * counts as a fractional success).  0, or -1 (untouched) if arm or r is
 * out of range. */
int	learn_thompson_update(struct learn_thompson *, int arm, double r);

/* Posterior mean a / (a + b) of arm. */
double	learn_thompson_mean(const struct learn_thompson *, int arm);

#endif
