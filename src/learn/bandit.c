/*
 * bandit: see bandit.h.  LinUCB works on the Cholesky factor of each arm's
 * A; the rank-one update is the classic Givens-like one (Golub & Van Loan
 * §6.5.4 form), which keeps L's diagonal positive since A only grows.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "learn/bandit.h"

int
learn_linucb_init(struct learn_linucb *l, int narms, int d, double alpha)
{
	size_t dd, i;
	int a;

	memset(l, 0, sizeof(*l));
	if (narms < 1 || d < 1 || d > LEARN_LINUCB_MAXD || !(alpha >= 0.0) ||
	    !isfinite(alpha))
		return -1;
	dd = (size_t)d * (size_t)d;
	l->chol = calloc((size_t)narms * dd, sizeof(double));
	l->b = calloc((size_t)narms * (size_t)d, sizeof(double));
	l->theta = calloc((size_t)narms * (size_t)d, sizeof(double));
	l->pulls = calloc((size_t)narms, sizeof(long));
	if (l->chol == NULL || l->b == NULL || l->theta == NULL ||
	    l->pulls == NULL) {
		learn_linucb_free(l);
		return -1;
	}
	for (a = 0; a < narms; a++)
		for (i = 0; i < (size_t)d; i++)
			l->chol[(size_t)a * dd + i * (size_t)d + i] = 1.0;
	l->narms = narms;
	l->d = d;
	l->alpha = alpha;
	return 0;
}

void
learn_linucb_free(struct learn_linucb *l)
{
	free(l->chol);
	free(l->b);
	free(l->theta);
	free(l->pulls);
	memset(l, 0, sizeof(*l));
}

static const double *
arm_chol(const struct learn_linucb *l, int arm)
{
	return l->chol + (size_t)arm * (size_t)l->d * (size_t)l->d;
}

/* Solves L z = x (forward substitution); z may alias x. */
static void
forward(const double *L, int d, const double *x, double *z)
{
	int i, j;
	double s;

	for (i = 0; i < d; i++) {
		s = x[i];
		for (j = 0; j < i; j++)
			s -= L[i * d + j] * z[j];
		z[i] = s / L[i * d + i];
	}
}

/* Solves L^T y = z (back substitution); y may alias z. */
static void
backward(const double *L, int d, const double *z, double *y)
{
	int i, j;
	double s;

	for (i = d - 1; i >= 0; i--) {
		s = z[i];
		for (j = i + 1; j < d; j++)
			s -= L[j * d + i] * y[j];
		y[i] = s / L[i * d + i];
	}
}

double
learn_linucb_ucb(const struct learn_linucb *l, int arm, const double *x)
{
	double z[LEARN_LINUCB_MAXD];
	const double *th = l->theta + (size_t)arm * (size_t)l->d;
	double mean = 0.0, var = 0.0;
	int i;

	forward(arm_chol(l, arm), l->d, x, z);
	for (i = 0; i < l->d; i++) {
		mean += th[i] * x[i];
		var += z[i] * z[i];
	}
	return mean + l->alpha * sqrt(var);
}

int
learn_linucb_choose(const struct learn_linucb *l, const double *x,
    double *ucb)
{
	double p, best = 0.0;
	int a, arg = 0;

	for (a = 0; a < l->narms; a++) {
		p = learn_linucb_ucb(l, a, x + (size_t)a * (size_t)l->d);
		if (ucb != NULL)
			ucb[a] = p;
		if (a == 0 || p > best) {
			best = p;
			arg = a;
		}
	}
	return arg;
}

int
learn_linucb_update(struct learn_linucb *l, int arm, const double *x,
    double r)
{
	double w[LEARN_LINUCB_MAXD];
	double *L, *b, *th, lkk, rad, c, s;
	int d = l->d, i, k;

	if (arm < 0 || arm >= l->narms || !isfinite(r))
		return -1;
	for (i = 0; i < d; i++)
		if (!isfinite(x[i]))
			return -1;
	L = l->chol + (size_t)arm * (size_t)d * (size_t)d;
	b = l->b + (size_t)arm * (size_t)d;
	th = l->theta + (size_t)arm * (size_t)d;
	memcpy(w, x, (size_t)d * sizeof(double));
	/* L L^T + w w^T = L' L'^T, one column at a time. */
	for (k = 0; k < d; k++) {
		lkk = L[k * d + k];
		rad = hypot(lkk, w[k]);
		c = rad / lkk;
		s = w[k] / lkk;
		L[k * d + k] = rad;
		for (i = k + 1; i < d; i++) {
			L[i * d + k] = (L[i * d + k] + s * w[i]) / c;
			w[i] = c * w[i] - s * L[i * d + k];
		}
	}
	for (i = 0; i < d; i++)
		b[i] += r * x[i];
	forward(L, d, b, th);
	backward(L, d, th, th);
	l->pulls[arm]++;
	return 0;
}

int
learn_thompson_init(struct learn_thompson *t, int narms, double prior_a,
    double prior_b)
{
	int i;

	memset(t, 0, sizeof(*t));
	if (narms < 1 || !(prior_a > 0.0) || !(prior_b > 0.0) ||
	    !isfinite(prior_a) || !isfinite(prior_b))
		return -1;
	t->a = malloc((size_t)narms * sizeof(double));
	t->b = malloc((size_t)narms * sizeof(double));
	if (t->a == NULL || t->b == NULL) {
		learn_thompson_free(t);
		return -1;
	}
	for (i = 0; i < narms; i++) {
		t->a[i] = prior_a;
		t->b[i] = prior_b;
	}
	t->narms = narms;
	return 0;
}

void
learn_thompson_free(struct learn_thompson *t)
{
	free(t->a);
	free(t->b);
	memset(t, 0, sizeof(*t));
}

int
learn_thompson_choose(const struct learn_thompson *t, struct learn_rng *rng)
{
	double p, best = 0.0;
	int i, arg = 0;

	for (i = 0; i < t->narms; i++) {
		p = learn_rng_beta(rng, t->a[i], t->b[i]);
		if (i == 0 || p > best) {
			best = p;
			arg = i;
		}
	}
	return arg;
}

int
learn_thompson_update(struct learn_thompson *t, int arm, double r)
{
	if (arm < 0 || arm >= t->narms || !(r >= 0.0 && r <= 1.0))
		return -1;
	t->a[arm] += r;
	t->b[arm] += 1.0 - r;
	return 0;
}

double
learn_thompson_mean(const struct learn_thompson *t, int arm)
{
	return t->a[arm] / (t->a[arm] + t->b[arm]);
}
