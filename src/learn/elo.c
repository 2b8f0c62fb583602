/*
 * elo: see elo.h.  The logistic is written so that exp never overflows:
 * for a very negative theta - d, P = e^x / (1 + e^x).
 */
#include <math.h>

#include "learn/elo.h"

double
learn_elo_p(double theta, double d)
{
	double x = theta - d, e;

	if (x >= 0)
		return 1 / (1 + exp(-x));
	e = exp(x);
	return e / (1 + e);
}

double
learn_elo_k(const struct learn_elo_k *k, unsigned long n)
{
	return k->a / (1 + k->b * (double)n);
}

double
learn_elo_update(struct learn_elo_rating *l, struct learn_elo_rating *it,
    double outcome, const struct learn_elo_k *kl, const struct learn_elo_k *ki)
{
	double p = learn_elo_p(l->value, it->value);

	l->value += learn_elo_k(kl, l->n) * (outcome - p);
	it->value -= learn_elo_k(ki, it->n) * (outcome - p);
	l->n++;
	it->n++;
	return p;
}

double
learn_elo_update_learner(struct learn_elo_rating *l, double d, double outcome,
    const struct learn_elo_k *kl)
{
	double p = learn_elo_p(l->value, d);

	l->value += learn_elo_k(kl, l->n) * (outcome - p);
	l->n++;
	return p;
}
