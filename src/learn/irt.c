/*
 * irt: see irt.h.  Everything that must match jscat to 1e-9 (the grid, the
 * EAP sums, the information formula, the argmax and its tie order) follows
 * jscat's arithmetic, with one exception: Q = 1 - P is built from the
 * logistic's complement 1/(1 + e^x) instead of by subtraction, which keeps
 * log Q and the information accurate far above b and moves jscat's values
 * only in the last digits.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "learn/irt.h"
#include "learn/rng.h"

#define MLE_SCAN_STEP	0.1
#define BOUND_SLACK	(1.0 + 1e-12)
#define CHUNK		64	/* scan[] items per chunk summary */

/* P and Q = 1 - P at theta, and sigma, 1 - sigma of the logistic part. */
static void
irf(const struct learn_irt_item *it, double theta, double *p, double *q,
    double *s, double *t)
{
	double x = it->a * (theta - it->b), e, sg, tg;

	if (x >= 0) {
		e = exp(-x);
		sg = 1 / (1 + e);
		tg = e / (1 + e);
	} else {
		e = exp(x);
		sg = e / (1 + e);
		tg = 1 / (1 + e);
	}
	*p = it->c + (it->d - it->c) * sg;
	*q = (1 - it->d) + (it->d - it->c) * tg;
	if (s != NULL) {
		*s = sg;
		*t = tg;
	}
}

/*
 * An item as the selector reads it: 64 bytes per item, laid out in scan
 * order, with I = k Q sigma^2 / P, k = (a (d - c) / (1 - c))^2, which
 * is jscat's a^2 (Q/P) ((P - c)/(1 - c))^2 with fewer divisions.
 */
struct learn_irt_scan {
	double	bound;		/* a^2/4, with slack for rounding */
	double	a, b, c;
	double	dc;		/* d - c */
	double	q0;		/* 1 - d */
	double	k;
	size_t	ix;		/* bank index */
};

/*
 * A run of CHUNK consecutive scan[] items.  With d = 1, I = a^2 (1 - c)
 * t sigma^2 / P <= a^2 sigma t <= a^2 e^(-a |theta - b|) (P >= sigma), so
 * for theta at distance D from [bmin, bmax] no item of the run beats
 * max over a in [amin, amax] of a^2 e^(-a D), reached at a = 2/D clamped.
 */
struct learn_irt_chunk {
	double	bmin, bmax, amin, amax;
	int	tail;		/* every d = 1, so the bound holds */
};

static double
chunk_bound(const struct learn_irt_chunk *ch, double theta)
{
	double dist, a;

	if (theta < ch->bmin)
		dist = ch->bmin - theta;
	else if (theta > ch->bmax)
		dist = theta - ch->bmax;
	else
		return INFINITY;
	if (!ch->tail)
		return INFINITY;
	a = 2 / dist;
	if (a < ch->amin)
		a = ch->amin;
	else if (a > ch->amax)
		a = ch->amax;
	return a * a * exp(-a * dist) * BOUND_SLACK;
}

static void
scan_fill(struct learn_irt_scan *s, const struct learn_irt_item *it)
{
	double kk = it->a * (it->d - it->c) / (1 - it->c);

	s->a = it->a;
	s->b = it->b;
	s->c = it->c;
	s->dc = it->d - it->c;
	s->q0 = 1 - it->d;
	s->k = kk * kk;
	/* I <= a^2/4 whenever 0 <= c < d <= 1 (see learn_irt_bank_new). */
	s->bound = it->a * it->a / 4 * BOUND_SLACK;
}

static inline double
scan_info(const struct learn_irt_scan *s, double theta)
{
	double x = s->a * (theta - s->b), e, r, sg, tg, p, q;

	if (x >= 0) {
		e = exp(-x);
		r = 1 / (1 + e);
		sg = r;
		tg = e * r;
	} else {
		e = exp(x);
		r = 1 / (1 + e);
		sg = e * r;
		tg = r;
	}
	p = s->c + s->dc * sg;
	q = s->q0 + s->dc * tg;
	/* p = 0 only when c = 0 and sigma underflows: the limit is 0 */
	return p > 0 ? s->k * q * (sg * sg) / p : 0;
}

double
learn_irt_p(const struct learn_irt_item *it, double theta)
{
	double p, q;

	irf(it, theta, &p, &q, NULL, NULL);
	return p;
}

double
learn_irt_info(const struct learn_irt_item *it, double theta)
{
	struct learn_irt_scan s;

	scan_fill(&s, it);
	return scan_info(&s, theta);
}

double
learn_irt_test_info(const struct learn_irt_item *it, size_t n, double theta)
{
	double sum = 0;
	size_t i;

	for (i = 0; i < n; i++)
		sum += learn_irt_info(&it[i], theta);
	return sum;
}

double
learn_irt_se(const struct learn_irt_item *it, size_t n, double theta)
{
	double sum = learn_irt_test_info(it, n, theta);

	return sum > 0 ? 1 / sqrt(sum) : INFINITY;
}

double
learn_irt_loglik(const struct learn_irt_item *it, const unsigned char *resp,
    size_t n, double theta)
{
	double ll = 0, p, q;
	size_t i;

	for (i = 0; i < n; i++) {
		irf(&it[i], theta, &p, &q, NULL, NULL);
		ll += resp[i] ? log(p) : log(q);
	}
	return ll;
}

/* JavaScript's Math.round: halves go up. */
static double
js_round(double x)
{
	double r = floor(x);

	return x - r >= 0.5 ? r + 1 : r;
}

int
learn_irt_grid_jscat(struct learn_irt_grid *g, double min, double max,
    double step, double mean, double sd)
{
	double end = max + step, x = min, len;
	int i, n;

	if (!(step > 0) || !(sd > 0) || !isfinite(min) || !isfinite(end))
		return -1;
	/* lodash baseRange: length = ceil((end - start) / step) */
	len = ceil((end - min) / step);
	if (!(len >= 1) || len > LEARN_IRT_GRID_MAX)
		return -1;
	n = (int)len;
	for (i = 0; i < n; i++) {
		g->theta[i] = js_round(x * 1000000) / 1000000;
		g->w[i] = (1 / (sqrt(2 * M_PI) * sd)) *
		    exp(-pow(x - mean, 2) / (2 * pow(sd, 2)));
		x += step;
	}
	g->n = n;
	return 0;
}

/* Posterior mean (and SD) from per-node log-likelihoods.  Scaling by the
 * largest log-likelihood keeps long tests from underflowing; it cancels. */
static double
post_mean(const struct learn_irt_grid *g, const double *ll, double *psd)
{
	double m = -INFINITY, num = 0, den = 0, mean, v = 0, lw;
	int i;

	for (i = 0; i < g->n; i++)
		if (ll[i] > m)
			m = ll[i];
	if (!isfinite(m))
		return NAN;
	for (i = 0; i < g->n; i++) {
		lw = exp(ll[i] - m) * g->w[i];
		num += g->theta[i] * lw;
		den += lw;
	}
	mean = num / den;
	if (psd != NULL) {
		for (i = 0; i < g->n; i++) {
			lw = exp(ll[i] - m) * g->w[i];
			v += (g->theta[i] - mean) * (g->theta[i] - mean) * lw;
		}
		*psd = sqrt(v / den);
	}
	return mean;
}

double
learn_irt_eap(const struct learn_irt_grid *g, const struct learn_irt_item *it,
    const unsigned char *resp, size_t n, double *psd)
{
	double ll[LEARN_IRT_GRID_MAX];
	int k;

	for (k = 0; k < g->n; k++)
		ll[k] = learn_irt_loglik(it, resp, n, g->theta[k]);
	return post_mean(g, ll, psd);
}

/* First and second derivative of the log-likelihood at theta. */
static void
score(const struct learn_irt_item *it, const unsigned char *resp, size_t n,
    double theta, double *d1, double *d2)
{
	double p, q, s, t, dp, ddp, r, g1 = 0, g2 = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		irf(&it[i], theta, &p, &q, &s, &t);
		dp = (it[i].d - it[i].c) * it[i].a * s * t;
		ddp = dp * it[i].a * (t - s);
		/* P or Q is 0 only when sigma or 1 - sigma underflowed with
		 * c = 0 or d = 1: then use the limits of log sigma and
		 * log(1 - sigma) */
		if (resp[i] && p > 0) {
			r = dp / p;
			g1 += r;
			g2 += ddp / p - r * r;
		} else if (resp[i]) {
			g1 += it[i].a * t;
			g2 -= it[i].a * it[i].a * s * t;
		} else if (q > 0) {
			r = dp / q;
			g1 -= r;
			g2 += -ddp / q - r * r;
		} else {
			g1 -= it[i].a * s;
			g2 -= it[i].a * it[i].a * s * t;
		}
	}
	*d1 = g1;
	if (d2 != NULL)
		*d2 = g2;
}

/* The root of the score in (x0, x1], where score(x0) > 0 >= score(x1):
 * Newton steps, bisection whenever a step leaves the bracket or the
 * curvature is not negative. */
static double
refine(const struct learn_irt_item *it, const unsigned char *resp, size_t n,
    double x0, double x1)
{
	double x = 0.5 * (x0 + x1), xn, g1, g2;
	int iter;

	for (iter = 0; iter < 200; iter++) {
		score(it, resp, n, x, &g1, &g2);
		if (g1 == 0)
			break;
		if (g1 > 0)
			x0 = x;
		else
			x1 = x;
		xn = x - g1 / g2;
		if (!(g2 < 0) || !(xn > x0 && xn < x1))
			xn = 0.5 * (x0 + x1);
		if (fabs(xn - x) <= 1e-14 * (1 + fabs(x)) ||
		    x1 - x0 <= 1e-14 * (1 + fabs(x))) {
			x = xn;
			break;
		}
		x = xn;
	}
	return x;
}

enum learn_irt_mle_status
learn_irt_mle(const struct learn_irt_item *it, const unsigned char *resp,
    size_t n, double lo, double hi, double *theta)
{
	double best = -INFINITY, bx = lo, x0, x1, g0, g1, x, ll;
	enum learn_irt_mle_status st = LEARN_IRT_MLE_BOUND;
	size_t i, k, m;
	int mixed = 0;

	if (n == 0 || !(lo < hi))
		return LEARN_IRT_MLE_NONE;
	for (i = 1; i < n; i++)
		if ((resp[i] != 0) != (resp[0] != 0))
			mixed = 1;
	if (!mixed) {
		/* No finite maximum: the likelihood rises towards a bound. */
		*theta = resp[0] ? hi : lo;
		return LEARN_IRT_MLE_BOUND;
	}

	m = (size_t)ceil((hi - lo) / MLE_SCAN_STEP);
	x0 = lo;
	score(it, resp, n, x0, &g0, NULL);
	if (g0 <= 0) {
		best = learn_irt_loglik(it, resp, n, lo);
		bx = lo;
	}
	for (k = 1; k <= m; k++) {
		x1 = k == m ? hi : lo + (double)k * MLE_SCAN_STEP;
		score(it, resp, n, x1, &g1, NULL);
		if (g0 > 0 && g1 <= 0) {
			x = refine(it, resp, n, x0, x1);
			ll = learn_irt_loglik(it, resp, n, x);
			if (ll > best) {
				best = ll;
				bx = x;
				st = x > lo && x < hi ? LEARN_IRT_MLE_INTERIOR :
				    LEARN_IRT_MLE_BOUND;
			}
		}
		x0 = x1;
		g0 = g1;
	}
	if (g0 > 0) {
		ll = learn_irt_loglik(it, resp, n, hi);
		if (ll > best) {
			best = ll;
			bx = hi;
			st = LEARN_IRT_MLE_BOUND;
		}
	}
	*theta = bx;
	return st;
}

static int
by_bound_desc(const void *pa, const void *pb)
{
	const struct learn_irt_scan *a = pa, *b = pb;

	if (a->bound != b->bound)
		return a->bound > b->bound ? -1 : 1;
	return a->ix < b->ix ? -1 : a->ix > b->ix;
}

void
learn_irt_bank_free(struct learn_irt_bank *bk)
{
	if (bk == NULL)
		return;
	free(bk->item);
	free(bk->skill);
	free(bk->skill_total);
	free(bk->scan);
	free(bk->chunk);
	free(bk);
}

/*
 * Why a^2/4 bounds the information when 0 <= c < d <= 1: with sigma the
 * logistic, P - c = (d - c) sigma and P >= (d - c) sigma, so
 * I <= a^2 Q (d - c) sigma / (1 - c)^2, and y = (d - c) sigma in [0, 1 - c]
 * gives Q y = (1 - c - y) y <= (1 - c)^2 / 4.
 */
struct learn_irt_bank *
learn_irt_bank_new(const struct learn_irt_item *it, size_t n,
    const int *skill, int nskill)
{
	struct learn_irt_bank *bk;
	size_t i;

	if (n == 0 || (skill != NULL && nskill <= 0))
		return NULL;
	if ((bk = calloc(1, sizeof(*bk))) == NULL)
		return NULL;
	bk->n = n;
	if ((bk->item = malloc(n * sizeof(*bk->item))) == NULL ||
	    (bk->scan = malloc(n * sizeof(*bk->scan))) == NULL)
		goto fail;
	for (i = 0; i < n; i++)
		if (!(it[i].a > 0 && isfinite(it[i].a) && isfinite(it[i].b) &&
		    it[i].c >= 0 && it[i].c < it[i].d && it[i].d <= 1))
			goto fail;
	memcpy(bk->item, it, n * sizeof(*it));
	if (skill != NULL) {
		bk->nskill = nskill;
		if ((bk->skill = malloc(n * sizeof(*bk->skill))) == NULL ||
		    (bk->skill_total = calloc((size_t)nskill,
		    sizeof(*bk->skill_total))) == NULL)
			goto fail;
		for (i = 0; i < n; i++) {
			if (skill[i] < 0 || skill[i] >= nskill)
				goto fail;
			bk->skill[i] = skill[i];
			bk->skill_total[skill[i]]++;
		}
	}
	for (i = 0; i < n; i++) {
		scan_fill(&bk->scan[i], &it[i]);
		bk->scan[i].ix = i;
	}
	qsort(bk->scan, n, sizeof(*bk->scan), by_bound_desc);
	if ((bk->chunk = malloc((n + CHUNK - 1) / CHUNK *
	    sizeof(*bk->chunk))) == NULL)
		goto fail;
	for (i = 0; i < n; i++) {
		struct learn_irt_chunk *ch = &bk->chunk[i / CHUNK];
		const struct learn_irt_item *x = &it[bk->scan[i].ix];

		if (i % CHUNK == 0) {
			ch->bmin = ch->bmax = x->b;
			ch->amin = ch->amax = x->a;
			ch->tail = 1;
		}
		ch->bmin = fmin(ch->bmin, x->b);
		ch->bmax = fmax(ch->bmax, x->b);
		ch->amin = fmin(ch->amin, x->a);
		ch->amax = fmax(ch->amax, x->a);
		if (x->d != 1)
			ch->tail = 0;
	}
	return bk;
fail:
	learn_irt_bank_free(bk);
	return NULL;
}

/* The skill furthest below its target share, or -1 for any. */
static int
pick_skill(const struct learn_irt_bank *bk, const size_t *count,
    size_t nadmin, const double *target)
{
	double gap, best = -INFINITY;
	int s, pick = -1;

	for (s = 0; s < bk->nskill; s++) {
		if (!(target[s] > 0) || count[s] >= bk->skill_total[s])
			continue;
		gap = target[s] * (double)(nadmin + 1) - (double)count[s];
		if (gap > best) {
			best = gap;
			pick = s;
		}
	}
	return pick;
}

/* Is item i with information v more wanted than item j with w?  jscat
 * stable-sorts a pool kept in order of difficulty by information. */
static int
better(const struct learn_irt_bank *bk, double v, size_t i, double w,
    size_t j)
{
	if (v != w)
		return v > w;
	if (bk->item[i].b != bk->item[j].b)
		return bk->item[i].b < bk->item[j].b;
	return i < j;
}

/* The k most informative unused items of skill `skill` (-1: any), best
 * first, into ix[]; returns how many were found. */
static int
top_items(const struct learn_irt_bank *bk, const unsigned char *used,
    int skill, double theta, int k, size_t *ix)
{
	double inf[LEARN_IRT_TOPK_MAX], v;
	size_t j, i;
	int m = 0, h;

	for (j = 0; j < bk->n; j++) {
		if (m == k && bk->scan[j].bound < inf[m - 1])
			break;
		if (m == k && j % CHUNK == 0 &&
		    chunk_bound(&bk->chunk[j / CHUNK], theta) < inf[m - 1]) {
			j += CHUNK - 1;
			continue;
		}
		i = bk->scan[j].ix;
		if (used[i] || (skill >= 0 && bk->skill[i] != skill))
			continue;
		v = scan_info(&bk->scan[j], theta);
		if (isnan(v))
			continue;
		if (m == k && !better(bk, v, i, inf[m - 1], ix[m - 1]))
			continue;
		h = m < k ? m++ : m - 1;
		while (h > 0 && better(bk, v, i, inf[h - 1], ix[h - 1])) {
			inf[h] = inf[h - 1];
			ix[h] = ix[h - 1];
			h--;
		}
		inf[h] = v;
		ix[h] = i;
	}
	return m;
}

long
learn_irt_select_item(const struct learn_irt_bank *bk,
    const unsigned char *used, const size_t *count, size_t nadmin,
    double theta, const struct learn_irt_select *opt)
{
	size_t ix[LEARN_IRT_TOPK_MAX];
	int k = 1, skill = -1, m;

	if (opt != NULL && opt->topk > 1 && opt->rng != NULL)
		k = opt->topk < LEARN_IRT_TOPK_MAX ? opt->topk :
		    LEARN_IRT_TOPK_MAX;
	if (opt != NULL && opt->target != NULL && bk->skill != NULL &&
	    count != NULL)
		skill = pick_skill(bk, count, nadmin, opt->target);
	m = top_items(bk, used, skill, theta, k, ix);
	if (m == 0 && skill >= 0)
		m = top_items(bk, used, -1, theta, k, ix);
	if (m == 0)
		return -1;
	if (m == 1)
		return (long)ix[0];
	return (long)ix[learn_rng_below(opt->rng, (uint64_t)m)];
}

void
learn_irt_cat_free(struct learn_irt_cat *cat)
{
	if (cat == NULL)
		return;
	free(cat->admin);
	free(cat->item);
	free(cat->resp);
	free(cat->used);
	free(cat->count);
	free(cat);
}

struct learn_irt_cat *
learn_irt_cat_new(const struct learn_irt_bank *bk, enum learn_irt_method m)
{
	struct learn_irt_cat *cat;
	size_t n = bk->n;

	if ((cat = calloc(1, sizeof(*cat))) == NULL)
		return NULL;
	cat->bank = bk;
	cat->method = m;
	cat->lo = LEARN_IRT_THETA_MIN;
	cat->hi = LEARN_IRT_THETA_MAX;
	cat->theta = 0;
	cat->se = INFINITY;
	cat->mle_status = LEARN_IRT_MLE_NONE;
	if ((cat->admin = malloc(n * sizeof(*cat->admin))) == NULL ||
	    (cat->item = malloc(n * sizeof(*cat->item))) == NULL ||
	    (cat->resp = malloc(n)) == NULL ||
	    (cat->used = calloc(n, 1)) == NULL ||
	    (cat->count = calloc(bk->nskill > 0 ? (size_t)bk->nskill : 1,
	    sizeof(*cat->count))) == NULL ||
	    learn_irt_grid_jscat(&cat->grid, cat->lo, cat->hi, 0.1, 0, 1)
	    == -1) {
		learn_irt_cat_free(cat);
		return NULL;
	}
	return cat;
}

long
learn_irt_cat_next(const struct learn_irt_cat *cat,
    const struct learn_irt_select *opt)
{
	return learn_irt_select_item(cat->bank, cat->used, cat->count, cat->n,
	    cat->theta, opt);
}

int
learn_irt_cat_answer(struct learn_irt_cat *cat, size_t item, int resp)
{
	const struct learn_irt_item *it;
	double p, q, th;
	int k;

	if (item >= cat->bank->n || cat->used[item] || (resp != 0 && resp != 1))
		return -1;
	it = &cat->bank->item[item];
	cat->used[item] = 1;
	cat->admin[cat->n] = item;
	cat->item[cat->n] = *it;
	cat->resp[cat->n] = (unsigned char)resp;
	cat->n++;
	if (cat->bank->skill != NULL)
		cat->count[cat->bank->skill[item]]++;

	if (cat->method == LEARN_IRT_EAP) {
		for (k = 0; k < cat->grid.n; k++) {
			irf(it, cat->grid.theta[k], &p, &q, NULL, NULL);
			cat->ll[k] += resp ? log(p) : log(q);
		}
		th = post_mean(&cat->grid, cat->ll, NULL);
	} else {
		th = cat->theta;
		cat->mle_status = learn_irt_mle(cat->item, cat->resp, cat->n,
		    cat->lo, cat->hi, &th);
	}
	/* jscat clamps the estimate to its bounds. */
	if (th < cat->lo)
		th = cat->lo;
	else if (th > cat->hi)
		th = cat->hi;
	cat->theta = th;
	cat->se = learn_irt_se(cat->item, cat->n, th);
	return 0;
}

enum learn_irt_stop
learn_irt_cat_stop(const struct learn_irt_cat *cat, double se_max,
    size_t max_items)
{
	if (se_max > 0 && cat->se <= se_max)
		return LEARN_IRT_STOP_SE;
	if (max_items > 0 && cat->n >= max_items)
		return LEARN_IRT_STOP_MAX;
	if (cat->n >= cat->bank->n)
		return LEARN_IRT_STOP_EMPTY;
	return LEARN_IRT_GO;
}
