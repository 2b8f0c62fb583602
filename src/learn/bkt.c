/*
 * bkt: see bkt.h.  The E-step is a forward filter followed by a backward
 * smoother written in filtered probabilities only: because "known" is
 * absorbing, P(L_t = 1 | all) = P(L_{t+1} = 1 | all) * f_t / pred_{t+1}
 * (f_t the filtered, pred_{t+1} the predicted P(known)), and the expected
 * unknown -> known transitions are the difference of consecutive smoothed
 * probabilities.  This equals the scaled alpha-beta recursion of Baum-Welch
 * with one stored double per observation and one division per step.
 */
#include <math.h>
#include <stdlib.h>

#include "learn/bkt.h"

double
learn_bkt_predict(const struct learn_bkt_params *p, double p_known)
{
	return p_known * (1 - p->slip) + (1 - p_known) * p->guess;
}

double
learn_bkt_step(const struct learn_bkt_params *p, double before, int correct,
    struct learn_bkt_obs *o)
{
	double pc, post;

	pc = before * (1 - p->slip) + (1 - before) * p->guess;
	if (correct)
		post = before * (1 - p->slip) / pc;
	else
		post = before * p->slip / (1 - pc);
	if (post > 1)		/* 1 - pc can round below before * slip */
		post = 1;
	o->p_known_before = before;
	o->p_correct_pred = pc;
	o->p_known_posterior = post;
	o->p_known_next = post + (1 - post) * p->learn;
	return o->p_known_next;
}

void
learn_bkt_filter(const struct learn_bkt_params *p, const unsigned char *c,
    size_t n, struct learn_bkt_obs *out)
{
	double before = p->prior;
	size_t t;

	for (t = 0; t < n; t++)
		before = learn_bkt_step(p, before, c[t], &out[t]);
}

/*
 * Forward pass over one sequence: stores the filtered P(known) in f (if not
 * NULL) and multiplies the answers' predictive probabilities into *prod,
 * moving it into *ll before it can underflow.
 */
static void
forward(const struct learn_bkt_params *p, const unsigned char *c, size_t n,
    double *f, double *prod, double *ll)
{
	const double ek[2] = { p->slip, 1 - p->slip };
	const double eu[2] = { 1 - p->guess, p->guess };
	double pk = p->prior, num, den, post, pr = *prod;
	size_t t;

	for (t = 0; t < n; t++) {
		num = pk * ek[c[t]];
		den = num + (1 - pk) * eu[c[t]];
		post = num / den;
		pr *= den;
		if (f != NULL)
			f[t] = post;
		pk = post + (1 - post) * p->learn;
		if (pr < 1e-250) {
			*ll += log(pr);
			pr = 1;
		}
	}
	*prod = pr;
}

double
learn_bkt_loglik(const struct learn_bkt_params *p,
    const struct learn_bkt_seqs *d)
{
	double ll = 0, prod = 1;
	size_t s;

	for (s = 0; s < d->nseq; s++)
		forward(p, d->correct + d->start[s],
		    d->start[s + 1] - d->start[s], NULL, &prod, &ll);
	return ll + log(prod);
}

static double
clamp(double x, double lo, double hi)
{
	return x < lo ? lo : x > hi ? hi : x;
}

static void
bound(struct learn_bkt_params *p)
{
	p->prior = clamp(p->prior, LEARN_BKT_PMIN, 1 - LEARN_BKT_PMIN);
	p->learn = clamp(p->learn, LEARN_BKT_PMIN, 1 - LEARN_BKT_PMIN);
	p->guess = clamp(p->guess, LEARN_BKT_PMIN, LEARN_BKT_GS_MAX);
	p->slip = clamp(p->slip, LEARN_BKT_PMIN, LEARN_BKT_GS_MAX);
}

double
learn_bkt_em_step(const struct learn_bkt_seqs *d,
    const struct learn_bkt_params *in, struct learn_bkt_params *out,
    double *f)
{
	const unsigned char *c;
	double ll = 0, prod = 1, learn = in->learn;
	double k1, ft, pred, r;
	/* sums of gamma_t(1): first opportunities, all, all correct, t < T */
	double g_first = 0, g_all = 0, g_corr = 0, g_notlast = 0;
	double xi01 = 0;		/* sum of xi_t(0, 1) */
	double n_all = 0, n_corr = 0, n_notlast = 0, nonempty = 0;
	struct learn_bkt_params np = *in;
	size_t s, a, b, t;

	for (s = 0; s < d->nseq; s++) {
		a = d->start[s];
		b = d->start[s + 1];
		if (a == b)
			continue;
		c = d->correct;
		forward(in, c + a, b - a, f + a, &prod, &ll);
		nonempty++;
		n_all += (double)(b - a);
		n_notlast += (double)(b - a - 1);
		t = b - 1;
		k1 = f[t];
		g_all += k1;
		g_corr += c[t] ? k1 : 0;
		n_corr += c[t];
		while (t-- > a) {
			ft = f[t];
			pred = ft + (1 - ft) * learn;
			r = pred > 0 ? ft / pred : 0;
			xi01 += k1;
			k1 *= r;
			xi01 -= k1;
			g_all += k1;
			g_notlast += k1;
			g_corr += c[t] ? k1 : 0;
			n_corr += c[t];
		}
		g_first += k1;
	}
	ll += log(prod);
	if (nonempty > 0)
		np.prior = g_first / nonempty;
	if (n_notlast - g_notlast > 0)
		np.learn = xi01 / (n_notlast - g_notlast);
	if (n_all - g_all > 0)
		np.guess = (n_corr - g_corr) / (n_all - g_all);
	if (g_all > 0)
		np.slip = (g_all - g_corr) / g_all;
	bound(&np);
	*out = np;
	return ll;
}

static double
maxdiff(const struct learn_bkt_params *x, const struct learn_bkt_params *y)
{
	double m = fabs(x->prior - y->prior);

	m = fmax(m, fabs(x->learn - y->learn));
	m = fmax(m, fabs(x->guess - y->guess));
	return fmax(m, fabs(x->slip - y->slip));
}

static void
to_vec(const struct learn_bkt_params *p, double v[4])
{
	v[0] = p->prior;
	v[1] = p->learn;
	v[2] = p->guess;
	v[3] = p->slip;
}

int
learn_bkt_fit(const struct learn_bkt_seqs *d, struct learn_bkt_params *p,
    double tol, int max_iter, double *work, struct learn_bkt_fit_info *info)
{
	struct learn_bkt_params x0 = *p, x1, x2, xp, xn;
	double r[4], v[4], rr, vv, al, lp, a0[4], a1[4], a2[4];
	int it = 0, i;

	info->converged = 0;
	bound(&x0);
	if (d->nseq == 0 || d->start[d->nseq] == 0) {
		info->iterations = 0;
		info->loglik = 0;
		*p = x0;
		return -1;
	}
	while (it < max_iter) {
		learn_bkt_em_step(d, &x0, &x1, work);
		it++;
		if (maxdiff(&x1, &x0) < tol) {
			x0 = x1;
			info->converged = 1;
			break;
		}
		if (it >= max_iter) {
			x0 = x1;
			break;
		}
		learn_bkt_em_step(d, &x1, &x2, work);
		it++;
		if (maxdiff(&x2, &x1) < tol) {
			x0 = x2;
			info->converged = 1;
			break;
		}
		if (it >= max_iter) {
			x0 = x2;
			break;
		}
		/* SQUAREM, scheme S3: x0 - 2 al r + al^2 v with al <= -1. */
		to_vec(&x0, a0);
		to_vec(&x1, a1);
		to_vec(&x2, a2);
		rr = vv = 0;
		for (i = 0; i < 4; i++) {
			r[i] = a1[i] - a0[i];
			v[i] = a2[i] - 2 * a1[i] + a0[i];
			rr += r[i] * r[i];
			vv += v[i] * v[i];
		}
		al = vv > 0 ? -sqrt(rr / vv) : -1;
		if (al > -1)
			al = -1;
		xp.prior = a0[0] - 2 * al * r[0] + al * al * v[0];
		xp.learn = a0[1] - 2 * al * r[1] + al * al * v[1];
		xp.guess = a0[2] - 2 * al * r[2] + al * al * v[2];
		xp.slip = a0[3] - 2 * al * r[3] + al * al * v[3];
		bound(&xp);
		lp = learn_bkt_em_step(d, &xp, &xn, work);
		it++;
		/* Keep the extrapolation only if it is no less likely than the
		 * point plain EM reached, so every iterate gains. */
		x0 = lp >= learn_bkt_loglik(&x2, d) ? xn : x2;
	}
	*p = x0;
	info->iterations = it;
	info->loglik = learn_bkt_loglik(p, d);
	return info->converged ? 0 : -1;
}

static int
cmp_scored(const void *a, const void *b)
{
	double x = ((const struct learn_bkt_scored *)a)->score;
	double y = ((const struct learn_bkt_scored *)b)->score;

	return (x > y) - (x < y);
}

double
learn_bkt_auc(const double *score, const unsigned char *label, size_t n,
    struct learn_bkt_scored *w)
{
	double npos = 0, nneg = 0, neg_below = 0, sum = 0, gp, gn;
	size_t i, j;

	for (i = 0; i < n; i++) {
		w[i].score = score[i];
		w[i].label = label[i] != 0;
	}
	qsort(w, n, sizeof(*w), cmp_scored);
	for (i = 0; i < n; i = j) {
		gp = gn = 0;
		for (j = i; j < n && w[j].score == w[i].score; j++) {
			if (w[j].label)
				gp++;
			else
				gn++;
		}
		sum += gp * neg_below + 0.5 * gp * gn;
		neg_below += gn;
		npos += gp;
		nneg += gn;
	}
	if (npos == 0 || nneg == 0)
		return NAN;
	return sum / (npos * nneg);
}
