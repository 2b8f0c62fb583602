/*
 * irt_fit: see irt_fit.h.
 *
 * The CML information matrix needs, for every pair of items (i, j) and every
 * raw score r, gamma_{r-2} of the item set without i and j.  Deleting items
 * by subtraction is unstable when difficulties are close; recomputing from
 * scratch costs O(m^4).  Instead, every quantity is a sum of products of
 * non-negative prefix and suffix symmetric functions, and the sum over r is
 * folded into the suffix side (V below), which makes the whole Hessian
 * O(m^3) per missing-data group with no cancellation, and less when a
 * group holds few distinct raw scores.  The functions are kept in plain
 * doubles (difficulties stay centred), which is safe up to some 500 items
 * answered per person; beyond that gamma can overflow and the fit reports
 * LEARN_IRTFIT_ENOCONV.
 *
 * MML runs on the distinct response patterns; EM is accelerated by
 * SQUAREM with a monotonicity guard (see learn_irtfit_mml).
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "learn/irt_fit.h"

#define CML_MAXIT	100
#define CML_TOL		1e-10

struct group {
	size_t	 m;		/* items answered in this missing pattern */
	size_t	*item;		/* their indices, ascending */
	double	*nr;		/* m + 1 counts of persons by raw score */
};

struct learn_irtfit_data {
	size_t		 n, k, np;
	signed char	*pat;		/* np distinct patterns, k each */
	double		*freq;		/* persons per pattern */
	double		*ncor;		/* correct answers per item */
	double		*nval;		/* answers per item */
	size_t		 ng, maxm;
	struct group	*grp;
	size_t		*gitem;
	double		*gnr;
	size_t		 cml_bad;	/* SIZE_MAX, or an item failing
					   Fischer's condition */
	/* CML work */
	double		*F, *B, *G, *P, *Fi, *eps;
	size_t		*rs;
	double		*grad, *info, *mat, *delta, *bnew, *col;
	/* MML work */
	double		*lp1, *lp0, *nq, *rq, *post, *ll, *z, *logw;
	double		*par;		/* sl, dd, gc: k each */
	double		*sl, *dd, *gc;
	double		*sq;		/* SQUAREM: three copies of par */
};

const char *
learn_irtfit_strerror(int status)
{
	switch (status) {
	case LEARN_IRTFIT_OK:
		return "ok";
	case LEARN_IRTFIT_EINVAL:
		return "invalid argument";
	case LEARN_IRTFIT_ENOMEM:
		return "out of memory";
	case LEARN_IRTFIT_EEMPTY:
		return "item has no responses";
	case LEARN_IRTFIT_ECONST:
		return "item has all-same responses";
	case LEARN_IRTFIT_EUNBOUNDED:
		return "CML estimates do not exist (item answered alike by "
		    "all persons with a non-extreme score)";
	case LEARN_IRTFIT_ENOCONV:
		return "no convergence";
	}
	return "unknown status";
}

/* ---- sorting ------------------------------------------------------------ */

struct rows {
	const signed char	*x;
	size_t			 k;
};

static int
cmp_row(const void *ctx, size_t a, size_t b)
{
	const struct rows *r = ctx;

	return memcmp(r->x + a * r->k, r->x + b * r->k, r->k);
}

static int
cmp_mask(const void *ctx, size_t a, size_t b)
{
	const struct rows *r = ctx;
	const signed char *p = r->x + a * r->k, *q = r->x + b * r->k;
	size_t i;
	int ma, mb;

	for (i = 0; i < r->k; i++) {
		ma = p[i] != LEARN_IRTFIT_NA;
		mb = q[i] != LEARN_IRTFIT_NA;
		if (ma != mb)
			return ma - mb;
	}
	return 0;
}

/* Stable bottom-up merge sort of indices v[0..n) with scratch tmp. */
static void
msort(size_t *v, size_t *tmp, size_t n,
    int (*cmp)(const void *, size_t, size_t), const void *ctx)
{
	size_t w, lo, mid, hi, a, b, o;

	for (w = 1; w < n; w *= 2) {
		for (lo = 0; lo < n; lo += 2 * w) {
			mid = lo + w < n ? lo + w : n;
			hi = lo + 2 * w < n ? lo + 2 * w : n;
			a = lo;
			b = mid;
			o = lo;
			while (a < mid && b < hi)
				tmp[o++] = cmp(ctx, v[b], v[a]) < 0 ?
				    v[b++] : v[a++];
			while (a < mid)
				tmp[o++] = v[a++];
			while (b < hi)
				tmp[o++] = v[b++];
		}
		memcpy(v, tmp, n * sizeof(*v));
	}
}

/* ---- data --------------------------------------------------------------- */

void
learn_irtfit_data_free(struct learn_irtfit_data *d)
{
	if (d == NULL)
		return;
	free(d->pat);
	free(d->freq);
	free(d->ncor);
	free(d->nval);
	free(d->grp);
	free(d->gitem);
	free(d->gnr);
	free(d->F);
	free(d->B);
	free(d->G);
	free(d->P);
	free(d->Fi);
	free(d->eps);
	free(d->rs);
	free(d->grad);
	free(d->info);
	free(d->mat);
	free(d->delta);
	free(d->bnew);
	free(d->col);
	free(d->lp1);
	free(d->lp0);
	free(d->nq);
	free(d->rq);
	free(d->post);
	free(d->ll);
	free(d->z);
	free(d->logw);
	free(d->par);
	free(d->sq);
	free(d);
}

size_t
learn_irtfit_npatterns(const struct learn_irtfit_data *d)
{
	return d->np;
}

static void *
xcalloc(size_t n, size_t size, int *fail)
{
	void *p;

	if (n == 0)
		n = 1;
	if (n > SIZE_MAX / size || (p = calloc(n, size)) == NULL) {
		*fail = 1;
		return NULL;
	}
	return p;
}

/*
 * Fischer's condition for the existence of CML estimates: the directed
 * graph with an edge i -> j whenever some person answered i right and j
 * wrong must be strongly connected.  Returns SIZE_MAX, or an item that
 * all persons with a non-extreme score got right (or all got wrong), or
 * else one that cannot be reached from item 0 (or cannot reach it).
 */
static size_t
fischer(const struct learn_irtfit_data *d, unsigned char *adj, size_t *queue,
    unsigned char *seen, size_t *ones, size_t *zeros)
{
	size_t K = d->k, p, i, j, n1, n0, head, tail, dir;
	const signed char *x;

	memset(adj, 0, K * K);
	for (p = 0; p < d->np; p++) {
		x = d->pat + p * K;
		n1 = n0 = 0;
		for (i = 0; i < K; i++) {
			if (x[i] == 1)
				ones[n1++] = i;
			else if (x[i] == 0)
				zeros[n0++] = i;
		}
		for (i = 0; i < n1; i++)
			for (j = 0; j < n0; j++)
				adj[ones[i] * K + zeros[j]] = 1;
	}
	/* first an item no such person got right, or none got wrong */
	for (i = 0; i < K; i++) {
		for (n1 = n0 = 0, j = 0; j < K; j++) {
			n1 += adj[i * K + j];
			n0 += adj[j * K + i];
		}
		if (n1 == 0 || n0 == 0)
			return i;
	}
	for (dir = 0; dir < 2; dir++) {
		memset(seen, 0, K);
		seen[0] = 1;
		queue[0] = 0;
		head = 0;
		tail = 1;
		while (head < tail) {
			i = queue[head++];
			for (j = 0; j < K; j++) {
				if (seen[j] || !(dir == 0 ? adj[i * K + j] :
				    adj[j * K + i]))
					continue;
				seen[j] = 1;
				queue[tail++] = j;
			}
		}
		for (j = 0; j < K; j++)
			if (!seen[j])
				return j;
	}
	return SIZE_MAX;
}

int
learn_irtfit_data_new(struct learn_irtfit_data **out, const signed char *x,
    size_t n, size_t k, size_t *bad)
{
	struct learn_irtfit_data *d = NULL;
	struct rows rows;
	size_t *idx = NULL, *tmp = NULL, *queue = NULL, *ones = NULL;
	size_t *zeros = NULL;
	unsigned char *adj = NULL, *seen = NULL;
	size_t i, j, p, g, m, r, start, nitem, nnr, S, Q;
	const signed char *row;
	int fail = 0, status = LEARN_IRTFIT_OK;

	*out = NULL;
	if (bad != NULL)
		*bad = 0;
	if (x == NULL || n == 0 || k == 0 || n > SIZE_MAX / k)
		return LEARN_IRTFIT_EINVAL;
	for (i = 0; i < n * k; i++)
		if (x[i] != 0 && x[i] != 1 && x[i] != LEARN_IRTFIT_NA) {
			if (bad != NULL)
				*bad = i;
			return LEARN_IRTFIT_EINVAL;
		}
	if ((d = calloc(1, sizeof(*d))) == NULL)
		return LEARN_IRTFIT_ENOMEM;
	d->n = n;
	d->k = k;
	d->ncor = xcalloc(k, sizeof(double), &fail);
	d->nval = xcalloc(k, sizeof(double), &fail);
	idx = xcalloc(n, sizeof(size_t), &fail);
	tmp = xcalloc(n, sizeof(size_t), &fail);
	if (fail)
		goto nomem;
	for (p = 0; p < n; p++)
		for (i = 0; i < k; i++)
			if (x[p * k + i] != LEARN_IRTFIT_NA) {
				d->nval[i]++;
				d->ncor[i] += x[p * k + i];
			}
	for (i = 0; i < k; i++) {
		if (d->nval[i] == 0 || d->ncor[i] == 0 ||
		    d->ncor[i] == d->nval[i]) {
			status = d->nval[i] == 0 ? LEARN_IRTFIT_EEMPTY :
			    LEARN_IRTFIT_ECONST;
			if (bad != NULL)
				*bad = i;
			goto err;
		}
	}

	/* Distinct patterns with their counts. */
	for (p = 0; p < n; p++)
		idx[p] = p;
	rows.x = x;
	rows.k = k;
	msort(idx, tmp, n, cmp_row, &rows);
	for (p = 0, d->np = 0; p < n; p++)
		if (p == 0 || cmp_row(&rows, idx[p - 1], idx[p]) != 0)
			d->np++;
	d->pat = xcalloc(d->np, k, &fail);
	d->freq = xcalloc(d->np, sizeof(double), &fail);
	if (fail)
		goto nomem;
	for (p = 0, j = 0; p < n; p++) {
		if (p > 0 && cmp_row(&rows, idx[p - 1], idx[p]) == 0) {
			d->freq[j - 1]++;
			continue;
		}
		memcpy(d->pat + j * k, x + idx[p] * k, k);
		d->freq[j++] = 1;
	}

	/* CML statistics per missing-data pattern. */
	for (p = 0; p < d->np; p++)
		idx[p] = p;
	rows.x = d->pat;
	msort(idx, tmp, d->np, cmp_mask, &rows);
	d->ng = nitem = nnr = 0;
	for (p = 0; p < d->np; p = j) {
		for (j = p + 1; j < d->np &&
		    cmp_mask(&rows, idx[p], idx[j]) == 0; j++)
			;
		row = d->pat + idx[p] * k;
		for (i = 0, m = 0; i < k; i++)
			m += row[i] != LEARN_IRTFIT_NA;
		if (m == 0)
			continue;
		d->ng++;
		nitem += m;
		nnr += m + 1;
		if (m > d->maxm)
			d->maxm = m;
	}
	d->grp = xcalloc(d->ng, sizeof(struct group), &fail);
	d->gitem = xcalloc(nitem, sizeof(size_t), &fail);
	d->gnr = xcalloc(nnr, sizeof(double), &fail);
	if (fail)
		goto nomem;
	g = nitem = nnr = 0;
	for (p = 0; p < d->np; p = j) {
		for (j = p + 1; j < d->np &&
		    cmp_mask(&rows, idx[p], idx[j]) == 0; j++)
			;
		row = d->pat + idx[p] * k;
		for (i = 0, m = 0; i < k; i++)
			m += row[i] != LEARN_IRTFIT_NA;
		if (m == 0)
			continue;
		d->grp[g].m = m;
		d->grp[g].item = d->gitem + nitem;
		d->grp[g].nr = d->gnr + nnr;
		for (i = 0, m = 0; i < k; i++)
			if (row[i] != LEARN_IRTFIT_NA)
				d->grp[g].item[m++] = i;
		for (start = p; start < j; start++) {
			row = d->pat + idx[start] * k;
			for (i = 0, r = 0; i < k; i++)
				r += row[i] == 1;
			d->grp[g].nr[r] += d->freq[idx[start]];
		}
		nitem += m;
		nnr += m + 1;
		g++;
	}

	adj = xcalloc(k, k, &fail);
	seen = xcalloc(k, 1, &fail);
	queue = xcalloc(k, sizeof(size_t), &fail);
	ones = xcalloc(k, sizeof(size_t), &fail);
	zeros = xcalloc(k, sizeof(size_t), &fail);
	if (fail)
		goto nomem;
	d->cml_bad = fischer(d, adj, queue, seen, ones, zeros);

	S = d->maxm + 1;
	Q = LEARN_IRTFIT_MAXNODES;
	d->F = xcalloc(S * S, sizeof(double), &fail);
	d->B = xcalloc(S * S, sizeof(double), &fail);
	d->G = xcalloc(S * S, sizeof(double), &fail);
	d->P = xcalloc(S * S, sizeof(double), &fail);
	d->Fi = xcalloc(S + 1, sizeof(double), &fail);
	d->eps = xcalloc(S, sizeof(double), &fail);
	d->rs = xcalloc(S, sizeof(size_t), &fail);
	d->grad = xcalloc(k, sizeof(double), &fail);
	d->info = xcalloc(k * k, sizeof(double), &fail);
	d->mat = xcalloc(k * k, sizeof(double), &fail);
	d->delta = xcalloc(k, sizeof(double), &fail);
	d->bnew = xcalloc(k, sizeof(double), &fail);
	d->col = xcalloc(k, sizeof(double), &fail);
	d->lp1 = xcalloc(k * Q, sizeof(double), &fail);
	d->lp0 = xcalloc(k * Q, sizeof(double), &fail);
	d->nq = xcalloc(k * Q, sizeof(double), &fail);
	d->rq = xcalloc(k * Q, sizeof(double), &fail);
	d->post = xcalloc(Q, sizeof(double), &fail);
	d->ll = xcalloc(Q, sizeof(double), &fail);
	d->z = xcalloc(Q, sizeof(double), &fail);
	d->logw = xcalloc(Q, sizeof(double), &fail);
	d->par = xcalloc(3 * k, sizeof(double), &fail);
	d->sq = xcalloc(9 * k, sizeof(double), &fail);
	if (fail)
		goto nomem;
	d->sl = d->par;
	d->dd = d->par + k;
	d->gc = d->par + 2 * k;
	*out = d;
	d = NULL;
	goto err;
nomem:
	status = LEARN_IRTFIT_ENOMEM;
err:
	free(idx);
	free(tmp);
	free(adj);
	free(seen);
	free(queue);
	free(ones);
	free(zeros);
	learn_irtfit_data_free(d);
	return status;
}

/* ---- Rasch CML ---------------------------------------------------------- */

/*
 * The conditional log-likelihood at b; with want != 0 also its gradient
 * (d->grad) and the conditional information matrix (d->info, k x k).
 */
static double
cml_eval(struct learn_irtfit_data *d, const double *b, int want)
{
	size_t K = d->k, S = d->maxm + 1, g, m, t, u, r, s, lo, hi, deg;
	size_t j, nrs, rlo, rhi, smax, *rs = d->rs;
	const size_t *it;
	const double *nr, *gam, *Ft, *Bt, *Vu;
	double *F = d->F, *B = d->B, *G = d->G, *P = d->P, *eps = d->eps;
	double *Fi = d->Fi, ll = 0, sum, v;

	for (t = 0; t < K; t++)
		ll -= d->ncor[t] * b[t];
	if (want) {
		memset(d->grad, 0, K * sizeof(double));
		memset(d->info, 0, K * K * sizeof(double));
	}
	for (g = 0; g < d->ng; g++) {
		m = d->grp[g].m;
		it = d->grp[g].item;
		nr = d->grp[g].nr;
		for (t = 0; t < m; t++)
			eps[t] = exp(-b[it[t]]);
		/* F[t] = symmetric functions of items 0..t-1 */
		F[0] = 1;
		for (t = 0; t < m; t++) {
			F[(t + 1) * S] = F[t * S];
			for (r = 1; r <= t; r++)
				F[(t + 1) * S + r] = F[t * S + r] +
				    eps[t] * F[t * S + r - 1];
			F[(t + 1) * S + t + 1] = eps[t] * F[t * S + t];
		}
		gam = F + m * S;
		for (r = 0; r <= m; r++)
			if (nr[r] > 0)
				ll -= nr[r] * log(gam[r]);
		if (!want)
			continue;

		/* B[t] = symmetric functions of items t..m-1 */
		B[m * S] = 1;
		for (t = m; t-- > 0;) {
			deg = m - t;
			B[t * S] = B[(t + 1) * S];
			for (r = 1; r < deg; r++)
				B[t * S + r] = B[(t + 1) * S + r] +
				    eps[t] * B[(t + 1) * S + r - 1];
			B[t * S + deg] = eps[t] * B[(t + 1) * S + deg - 1];
		}
		/*
		 * Only raw scores somebody has matter: with many missing
		 * patterns a group often holds one person, hence one score.
		 * rs[0..nrs) lists the scores 1..m present.
		 */
		for (nrs = 0, r = 1; r <= m; r++)
			if (nr[r] > 0)
				rs[nrs++] = r;
		/* G[t][r-1] = gamma_{r-1} without item t; P[r][t] = pi_rt */
		for (t = 0; t < m; t++) {
			Ft = F + t * S;
			Bt = B + (t + 1) * S;
			for (sum = 0, j = 0; j < nrs; j++) {
				r = rs[j];
				u = r - 1;
				lo = u > m - t - 1 ? u - (m - t - 1) : 0;
				hi = u < t ? u : t;
				for (v = 0, s = lo; s <= hi; s++)
					v += Ft[s] * Bt[u - s];
				P[r * S + t] = eps[t] * v / gam[r];
				sum += nr[r] * P[r * S + t];
			}
			d->grad[it[t]] += sum;
		}
		/* information: diag(pi) - pi pi' part */
		for (j = 0; j < nrs; j++) {
			r = rs[j];
			if (r == m)
				continue;
			for (t = 0; t < m; t++) {
				v = nr[r] * P[r * S + t];
				d->info[it[t] * K + it[t]] += v *
				    (1 - P[r * S + t]);
				for (u = t + 1; u < m; u++)
					d->info[it[t] * K + it[u]] -= v *
					    P[r * S + u];
			}
		}
		/*
		 * Pair part: sum_r n_r pi_rtu = eps_t eps_u sum_s Fi[s] V_u[s]
		 * with Fi the functions of items 0..u-1 but t and
		 * V_u[s] = sum_r w_r B[u+1][r-2-s], w_r = n_r / gamma_r for
		 * 2 <= r < m (V kept in G).  s runs over [smin, smax] only.
		 */
		rlo = m;
		rhi = 0;
		for (j = 0; j < nrs; j++) {
			r = rs[j];
			if (r < 2 || r >= m)
				continue;
			rlo = r < rlo ? r : rlo;
			rhi = r > rhi ? r : rhi;
		}
		if (rhi == 0)
			continue;
		smax = rhi - 2;
		for (u = 1; u < m; u++) {
			Bt = B + (u + 1) * S;
			for (s = 0; s < u && s <= smax; s++) {
				for (sum = 0, j = 0; j < nrs; j++) {
					r = rs[j];
					if (r < 2 || r >= m || r - 2 < s ||
					    r - 2 - s > m - u - 1)
						continue;
					sum += nr[r] / gam[r] * Bt[r - 2 - s];
				}
				G[u * S + s] = sum;
			}
		}
		for (t = 0; t + 1 < m; t++) {
			deg = t < smax ? t : smax;
			memcpy(Fi, F + t * S, (deg + 1) * sizeof(double));
			for (u = t + 1; u < m; u++) {
				Vu = G + u * S;
				lo = rlo - 2 > m - u - 1 ? rlo - 2 - (m - u - 1) :
				    0;
				for (sum = 0, s = lo; s <= deg; s++)
					sum += Fi[s] * Vu[s];
				d->info[it[t] * K + it[u]] += eps[t] * eps[u] *
				    sum;
				if (deg < smax) {
					Fi[deg + 1] = eps[u] * Fi[deg];
					deg++;
					s = deg - 1;
				} else
					s = deg;
				for (; s > 0; s--)
					Fi[s] += eps[u] * Fi[s - 1];
			}
		}
	}
	if (want) {
		for (t = 0; t < K; t++) {
			d->grad[t] -= d->ncor[t];
			for (u = t + 1; u < K; u++)
				d->info[u * K + t] = d->info[t * K + u];
		}
	}
	return ll;
}

double
learn_irtfit_rasch_cml_loglik(struct learn_irtfit_data *d, const double *b)
{
	return cml_eval(d, b, 0);
}

/* Cholesky factor of the k x k matrix a in place (lower); -1 if not PD. */
static int
cholesky(double *a, size_t k)
{
	size_t i, j, l;
	double s;

	for (j = 0; j < k; j++) {
		s = a[j * k + j];
		for (l = 0; l < j; l++)
			s -= a[j * k + l] * a[j * k + l];
		if (!(s > 0))
			return -1;
		a[j * k + j] = sqrt(s);
		for (i = j + 1; i < k; i++) {
			s = a[i * k + j];
			for (l = 0; l < j; l++)
				s -= a[i * k + l] * a[j * k + l];
			a[i * k + j] = s / a[j * k + j];
		}
	}
	return 0;
}

/* Solves L L' x = y in place given the factor from cholesky(). */
static void
chol_solve(const double *L, size_t k, double *y)
{
	size_t i, l;
	double s;

	for (i = 0; i < k; i++) {
		s = y[i];
		for (l = 0; l < i; l++)
			s -= L[i * k + l] * y[l];
		y[i] = s / L[i * k + i];
	}
	for (i = k; i-- > 0;) {
		s = y[i];
		for (l = i + 1; l < k; l++)
			s -= L[l * k + i] * y[l];
		y[i] = s / L[i * k + i];
	}
}

/* d->mat = Cholesky factor of info + J / k (info's null space is 1). */
static int
cml_factor(struct learn_irtfit_data *d)
{
	size_t K = d->k, i;

	for (i = 0; i < K * K; i++)
		d->mat[i] = d->info[i] + 1.0 / K;
	return cholesky(d->mat, K);
}

static void
center(double *b, size_t k)
{
	size_t i;
	double s = 0;

	for (i = 0; i < k; i++)
		s += b[i];
	for (i = 0; i < k; i++)
		b[i] -= s / k;
}

int
learn_irtfit_rasch_cml(struct learn_irtfit_data *d, double *b, double *se,
    struct learn_irtfit_cml *res)
{
	size_t K = d->k, i, j;
	double ll, llnew, step, big;
	int iter, h;

	memset(res, 0, sizeof(*res));
	if (d->cml_bad != SIZE_MAX) {
		res->bad = d->cml_bad;
		return LEARN_IRTFIT_EUNBOUNDED;
	}
	for (i = 0; i < K; i++)
		b[i] = log((d->nval[i] - d->ncor[i]) / d->ncor[i]);
	center(b, K);
	ll = cml_eval(d, b, 1);
	for (iter = 0;; iter++) {
		if (cml_factor(d) != 0)
			return LEARN_IRTFIT_ENOCONV;
		memcpy(d->delta, d->grad, K * sizeof(double));
		chol_solve(d->mat, K, d->delta);
		for (big = 0, i = 0; i < K; i++)
			if (fabs(d->delta[i]) > big)
				big = fabs(d->delta[i]);
		if (big < CML_TOL) {
			for (i = 0; i < K; i++)
				b[i] += d->delta[i];
			center(b, K);
			break;
		}
		if (iter == CML_MAXIT) {
			res->iterations = iter;
			return LEARN_IRTFIT_ENOCONV;
		}
		/* a step of at most 2 logits, halved until ll does not drop */
		step = big > 2 ? 2 / big : 1;
		for (h = 0; h < 40; h++, step /= 2) {
			for (i = 0; i < K; i++)
				d->bnew[i] = b[i] + step * d->delta[i];
			center(d->bnew, K);
			llnew = cml_eval(d, d->bnew, 0);
			if (llnew >= ll - 1e-12 * fabs(ll))
				break;
		}
		memcpy(b, d->bnew, K * sizeof(double));
		ll = cml_eval(d, b, 1);
	}
	res->iterations = iter;
	res->loglik = cml_eval(d, b, 0);
	if (se != NULL) {
		/* Moore-Penrose inverse = (info + J/k)^-1 - J/k */
		for (j = 0; j < K; j++) {
			memset(d->col, 0, K * sizeof(double));
			d->col[j] = 1;
			chol_solve(d->mat, K, d->col);
			se[j] = d->col[j] - 1.0 / K > 0 ?
			    sqrt(d->col[j] - 1.0 / K) : NAN;
		}
	}
	return LEARN_IRTFIT_OK;
}

/* ---- Rasch person ML ---------------------------------------------------- */

/* Solves sum P_i(theta) = r over items with x[i] != NA (x may be NULL). */
static int
theta_ml(const double *b, const signed char *x, size_t k, double r,
    double *theta, double *se)
{
	size_t i, m = 0;
	double th, sp, si, p, dlt, mb = 0;
	int iter;

	for (i = 0; i < k; i++)
		if (x == NULL || x[i] != LEARN_IRTFIT_NA) {
			m++;
			mb += b[i];
		}
	if (m == 0 || !(r > 0) || !(r < (double)m)) {
		*theta = *se = NAN;
		return -1;
	}
	th = log(r / (m - r)) + mb / m;
	for (iter = 0; iter < 200; iter++) {
		sp = si = 0;
		for (i = 0; i < k; i++) {
			if (x != NULL && x[i] == LEARN_IRTFIT_NA)
				continue;
			p = 1 / (1 + exp(b[i] - th));
			sp += p;
			si += p * (1 - p);
		}
		dlt = (r - sp) / si;
		if (dlt > 1)
			dlt = 1;
		else if (dlt < -1)
			dlt = -1;
		th += dlt;
		if (fabs(dlt) < 1e-13)
			break;
	}
	for (si = 0, i = 0; i < k; i++) {
		if (x != NULL && x[i] == LEARN_IRTFIT_NA)
			continue;
		p = 1 / (1 + exp(b[i] - th));
		si += p * (1 - p);
	}
	*theta = th;
	*se = 1 / sqrt(si);
	return 0;
}

int
learn_irtfit_rasch_theta(const double *b, const signed char *x, size_t k,
    double *theta, double *se)
{
	size_t i;
	double r = 0;

	for (i = 0; i < k; i++)
		if (x[i] == 1)
			r++;
	return theta_ml(b, x, k, r, theta, se);
}

int
learn_irtfit_rasch_theta_score(const double *b, size_t k, int r,
    double *theta, double *se)
{
	return theta_ml(b, NULL, k, r, theta, se);
}

/* ---- marginal ML by EM -------------------------------------------------- */

void
learn_irtfit_opts_default(struct learn_irtfit_opts *o, int model)
{
	memset(o, 0, sizeof(*o));
	o->model = model;
	o->nodes = 61;
	o->zmax = 6;
	o->max_iter = 10000;
	o->tol = 1e-6;
	o->c_alpha = 5;
	o->c_beta = 17;
	o->a_logsd = model == LEARN_IRTFIT_3PL ? 0.5 : 0;
}

/* log(1 / (1 + exp(-eta))) without overflow. */
static double
log_sigmoid(double eta)
{
	return eta >= 0 ? -log1p(exp(-eta)) : eta - log1p(exp(eta));
}

/*
 * E-step: the marginal log-likelihood at the current parameters (d->sl,
 * d->dd, d->gc: P = gc + (1 - gc) / (1 + exp(-(sl z + dd)))), and in d->nq
 * and d->rq the expected number of answers and of right answers per item
 * and node.
 */
static double
estep(struct learn_irtfit_data *d, size_t Q)
{
	size_t K = d->k, i, p, q;
	const signed char *x;
	const double *t;
	double *nq, *rq, eta, l1, l0, mx, s, f, tot = 0;

	for (i = 0; i < K; i++) {
		for (q = 0; q < Q; q++) {
			eta = d->sl[i] * d->z[q] + d->dd[i];
			l1 = log_sigmoid(eta);
			l0 = l1 - eta;
			if (d->gc[i] > 0) {
				l1 = log(d->gc[i] + (1 - d->gc[i]) * exp(l1));
				l0 = log1p(-d->gc[i]) + l0;
			}
			d->lp1[i * Q + q] = l1;
			d->lp0[i * Q + q] = l0;
		}
	}
	memset(d->nq, 0, K * Q * sizeof(double));
	memset(d->rq, 0, K * Q * sizeof(double));
	for (p = 0; p < d->np; p++) {
		x = d->pat + p * K;
		memcpy(d->ll, d->logw, Q * sizeof(double));
		for (i = 0; i < K; i++) {
			if (x[i] == LEARN_IRTFIT_NA)
				continue;
			t = (x[i] == 1 ? d->lp1 : d->lp0) + i * Q;
			for (q = 0; q < Q; q++)
				d->ll[q] += t[q];
		}
		for (mx = d->ll[0], q = 1; q < Q; q++)
			if (d->ll[q] > mx)
				mx = d->ll[q];
		for (s = 0, q = 0; q < Q; q++)
			s += d->post[q] = exp(d->ll[q] - mx);
		tot += d->freq[p] * (mx + log(s));
		f = d->freq[p] / s;
		for (q = 0; q < Q; q++)
			d->post[q] *= f;
		for (i = 0; i < K; i++) {
			if (x[i] == LEARN_IRTFIT_NA)
				continue;
			nq = d->nq + i * Q;
			for (q = 0; q < Q; q++)
				nq[q] += d->post[q];
			if (x[i] != 1)
				continue;
			rq = d->rq + i * Q;
			for (q = 0; q < Q; q++)
				rq[q] += d->post[q];
		}
	}
	return tot;
}

/* sum_q r_q log P_q + (n_q - r_q) log(1 - P_q), P = sigmoid(a z + c). */
static double
logit_obj(const double *z, const double *n, const double *r, size_t Q,
    double a, double c)
{
	size_t q;
	double eta, l1, s = 0;

	for (q = 0; q < Q; q++) {
		eta = a * z[q] + c;
		l1 = log_sigmoid(eta);
		s += r[q] * l1 + (n[q] - r[q]) * (l1 - eta);
	}
	return s;
}

/* log of the lognormal(0, lsd) density of a, without constants. */
static double
log_prior_a(double a, double lsd)
{
	if (lsd <= 0)
		return 0;
	if (!(a > 0))
		return -INFINITY;
	return -log(a) * log(a) / (2 * lsd * lsd) - log(a);
}

/*
 * Maximises logit_obj + log_prior_a over (a, c), or over c alone when
 * fix_a, by Newton steps halved until the objective does not drop (the
 * likelihood part is concave; where the prior is not, its curvature is
 * left out of the step).
 */
static void
logit_fit(const double *z, const double *n, const double *r, size_t Q,
    double *a, double *c, int fix_a, double lsd)
{
	size_t q;
	double ga, gc, haa, hac, hcc, p, w, det, da, dc, f, fnew, st, la;
	int iter, h;

	f = logit_obj(z, n, r, Q, *a, *c) + log_prior_a(*a, lsd);
	for (iter = 0; iter < 100; iter++) {
		ga = gc = haa = hac = hcc = 0;
		for (q = 0; q < Q; q++) {
			p = 1 / (1 + exp(-(*a * z[q] + *c)));
			w = n[q] * p * (1 - p);
			ga += (r[q] - n[q] * p) * z[q];
			gc += r[q] - n[q] * p;
			haa += w * z[q] * z[q];
			hac += w * z[q];
			hcc += w;
		}
		if (lsd > 0 && !fix_a) {
			la = log(*a);
			ga -= la / (*a * lsd * lsd) + 1 / *a;
			w = (1 - la) / (*a * *a * lsd * lsd) - 1 / (*a * *a);
			if (w > 0)
				haa += w;
		}
		if (fix_a) {
			if (!(hcc > 0))
				return;
			da = 0;
			dc = gc / hcc;
		} else {
			det = haa * hcc - hac * hac;
			if (!(det > 0))
				return;
			da = (hcc * ga - hac * gc) / det;
			dc = (haa * gc - hac * ga) / det;
		}
		for (st = 1, h = 0; h < 40; h++, st /= 2) {
			fnew = logit_obj(z, n, r, Q, *a + st * da,
			    *c + st * dc) + log_prior_a(*a + st * da, lsd);
			if (fnew >= f)
				break;
		}
		if (h == 40)
			return;
		*a += st * da;
		*c += st * dc;
		f = fnew;
		if (fabs(st * da) < 1e-11 && fabs(st * dc) < 1e-11)
			return;
	}
}

/* Rasch M-step: common slope sigma (d->sl) and intercepts, alternately. */
static void
mstep_rasch(struct learn_irtfit_data *d, size_t Q)
{
	size_t K = d->k, i, q;
	double sig = d->sl[0], old, g, h, p, w, f, fnew, ds, st;
	int round, hv;

	for (round = 0; round < 50; round++) {
		old = sig;
		for (i = 0; i < K; i++)
			logit_fit(d->z, d->nq + i * Q, d->rq + i * Q, Q,
			    &sig, &d->dd[i], 1, 0);
		g = h = f = 0;
		for (i = 0; i < K; i++) {
			f += logit_obj(d->z, d->nq + i * Q, d->rq + i * Q, Q,
			    sig, d->dd[i]);
			for (q = 0; q < Q; q++) {
				p = 1 / (1 + exp(-(sig * d->z[q] + d->dd[i])));
				w = d->nq[i * Q + q];
				g += (d->rq[i * Q + q] - w * p) * d->z[q];
				h += w * p * (1 - p) * d->z[q] * d->z[q];
			}
		}
		if (!(h > 0))
			break;
		ds = g / h;
		for (st = 1, hv = 0; hv < 40; hv++, st /= 2) {
			for (fnew = 0, i = 0; i < K; i++)
				fnew += logit_obj(d->z, d->nq + i * Q,
				    d->rq + i * Q, Q, sig + st * ds, d->dd[i]);
			if (fnew >= f)
				break;
		}
		if (hv < 40)
			sig += st * ds;
		if (fabs(sig - old) < 1e-11)
			break;
	}
	for (i = 0; i < K; i++)
		d->sl[i] = sig;
}

/*
 * 3PL M-step for item i: with "knew it" as missing data, a right answer at
 * node q was known with probability P*_q / P_q; c then has a closed-form
 * Beta-posterior mode and (a, d) a logistic fit to the known counts.
 */
static void
mstep_3pl(struct learn_irtfit_data *d, size_t Q, size_t i, double al,
    double be, double lsd)
{
	const double *n = d->nq + i * Q, *r = d->rq + i * Q;
	double *kq = d->post, ps, pp, nk = 0, gk = 0, c = d->gc[i];
	size_t q;

	for (q = 0; q < Q; q++) {
		ps = 1 / (1 + exp(-(d->sl[i] * d->z[q] + d->dd[i])));
		pp = c + (1 - c) * ps;
		kq[q] = pp > 0 ? r[q] * ps / pp : 0;
		gk += r[q] - kq[q];
		nk += n[q] - kq[q];
	}
	d->gc[i] = (gk + al - 1) / (nk + al + be - 2);
	logit_fit(d->z, n, kq, Q, &d->sl[i], &d->dd[i], 0, lsd);
}

/* The log prior of the current parameters (0 for an unpenalised fit). */
static double
log_prior(const struct learn_irtfit_data *d,
    const struct learn_irtfit_opts *o)
{
	size_t i;
	double s = 0;

	if (o->model == LEARN_IRTFIT_RASCH)
		return 0;
	for (i = 0; i < d->k; i++) {
		s += log_prior_a(d->sl[i], o->a_logsd);
		if (o->model == LEARN_IRTFIT_3PL)
			s += (o->c_alpha - 1) * log(d->gc[i]) +
			    (o->c_beta - 1) * log1p(-d->gc[i]);
	}
	return s;
}

/* Equally spaced nodes on [-zmax, zmax] with normalised N(0, 1) weights. */
static void
make_grid(struct learn_irtfit_data *d, size_t Q, double zmax)
{
	size_t q;
	double s;

	for (s = 0, q = 0; q < Q; q++) {
		d->z[q] = -zmax + 2 * zmax * q / (Q - 1);
		s += exp(-d->z[q] * d->z[q] / 2);
	}
	for (q = 0; q < Q; q++)
		d->logw[q] = -d->z[q] * d->z[q] / 2 - log(s);
}

/* One M-step from the counts of the last E-step. */
static void
mstep(struct learn_irtfit_data *d, const struct learn_irtfit_opts *o,
    size_t Q)
{
	size_t i;

	if (o->model == LEARN_IRTFIT_RASCH) {
		mstep_rasch(d, Q);
		return;
	}
	for (i = 0; i < d->k; i++) {
		if (o->model == LEARN_IRTFIT_3PL)
			mstep_3pl(d, Q, i, o->c_alpha, o->c_beta, o->a_logsd);
		else
			logit_fit(d->z, d->nq + i * Q, d->rq + i * Q, Q,
			    &d->sl[i], &d->dd[i], 0, o->a_logsd);
	}
}

/* The E-step; returns the objective at the current parameters. */
static double
objective(struct learn_irtfit_data *d, const struct learn_irtfit_opts *o,
    size_t Q)
{
	return estep(d, Q) + log_prior(d, o);
}

/* Whether the current parameters are inside the model's space. */
static int
in_space(const struct learn_irtfit_data *d, const struct learn_irtfit_opts *o)
{
	size_t i;

	for (i = 0; i < 3 * d->k; i++)
		if (!isfinite(d->par[i]))
			return 0;
	for (i = 0; i < d->k; i++) {
		if ((o->model == LEARN_IRTFIT_RASCH || o->a_logsd > 0) &&
		    !(d->sl[i] > 0))
			return 0;
		if (o->model == LEARN_IRTFIT_3PL &&
		    !(d->gc[i] > 0 && d->gc[i] < 1))
			return 0;
	}
	return 1;
}

static double
maxdiff(const double *x, const double *y, size_t n)
{
	size_t i;
	double m = 0;

	for (i = 0; i < n; i++)
		m = fmax(m, fabs(x[i] - y[i]));
	return m;
}

static void
trace_add(const struct learn_irtfit_opts *o, struct learn_irtfit_mml *res,
    double obj)
{
	if (o->trace != NULL && res->ntrace < o->trace_cap)
		o->trace[res->ntrace++] = obj;
}

int
learn_irtfit_mml(struct learn_irtfit_data *d,
    const struct learn_irtfit_opts *o, double *a, double *b, double *c,
    struct learn_irtfit_mml *res)
{
	size_t K = d->k, n3 = 3 * d->k, Q, i;
	double *t0 = d->sq, *t1 = d->sq + n3, *t2 = d->sq + 2 * n3;
	double p, c0, obj, obj2, rr, vv, al;
	int it, conv = 0, took;

	memset(res, 0, sizeof(*res));
	if (o->model < LEARN_IRTFIT_RASCH || o->model > LEARN_IRTFIT_3PL ||
	    o->nodes < 3 || o->nodes > LEARN_IRTFIT_MAXNODES ||
	    !(o->zmax > 0) || !(o->tol > 0) || o->max_iter < 1 ||
	    !(o->a_logsd >= 0) ||
	    (o->model == LEARN_IRTFIT_3PL &&
	    (!(o->c_alpha >= 1) || !(o->c_beta >= 1))))
		return LEARN_IRTFIT_EINVAL;
	Q = (size_t)o->nodes;
	make_grid(d, Q, o->zmax);
	c0 = 0;
	if (o->model == LEARN_IRTFIT_3PL)
		c0 = o->c_alpha + o->c_beta > 2 ?
		    (o->c_alpha - 1) / (o->c_alpha + o->c_beta - 2) : 0.2;
	for (i = 0; i < K; i++) {
		p = d->ncor[i] / d->nval[i];
		p = (p - c0) / (1 - c0);
		p = p < 0.05 ? 0.05 : p > 0.95 ? 0.95 : p;
		d->sl[i] = 1;
		d->dd[i] = log(p / (1 - p));
		d->gc[i] = c0;
	}

	/*
	 * EM accelerated by SQUAREM (Varadhan & Roland 2008, steplength S3):
	 * two EM steps, an extrapolation, one EM step from there, kept only
	 * if the objective is no lower than after the two plain steps.  So
	 * every accepted point is at least as good as the one before, and
	 * the fixed point is EM's.
	 */
	trace_add(o, res, objective(d, o, Q));
	for (it = 0; it < o->max_iter;) {
		memcpy(t0, d->par, n3 * sizeof(double));
		mstep(d, o, Q);
		it++;
		if (maxdiff(d->par, t0, n3) < o->tol) {
			conv = 1;
			break;
		}
		memcpy(t1, d->par, n3 * sizeof(double));
		trace_add(o, res, objective(d, o, Q));
		if (it == o->max_iter)
			break;
		mstep(d, o, Q);
		it++;
		if (maxdiff(d->par, t1, n3) < o->tol) {
			conv = 1;
			break;
		}
		memcpy(t2, d->par, n3 * sizeof(double));
		obj2 = objective(d, o, Q);
		for (rr = vv = 0, i = 0; i < n3; i++) {
			rr += (t1[i] - t0[i]) * (t1[i] - t0[i]);
			vv += (t2[i] - 2 * t1[i] + t0[i]) *
			    (t2[i] - 2 * t1[i] + t0[i]);
		}
		took = 0;
		al = vv > 0 ? -sqrt(rr / vv) : -1;
		if (al < -1 && it < o->max_iter) {
			for (i = 0; i < n3; i++)
				d->par[i] = t0[i] - 2 * al * (t1[i] - t0[i]) +
				    al * al * (t2[i] - 2 * t1[i] + t0[i]);
			if (in_space(d, o) && isfinite(objective(d, o, Q))) {
				mstep(d, o, Q);
				it++;
				if (in_space(d, o) &&
				    (obj = objective(d, o, Q)) >= obj2) {
					took = 1;
					trace_add(o, res, obj);
				}
			}
			if (!took) {
				memcpy(d->par, t2, n3 * sizeof(double));
				trace_add(o, res, objective(d, o, Q));
			}
		} else
			trace_add(o, res, obj2);
	}
	res->iterations = it;
	res->converged = conv;
	res->loglik = estep(d, Q);
	res->objective = res->loglik + log_prior(d, o);
	res->sigma = o->model == LEARN_IRTFIT_RASCH ? fabs(d->sl[0]) : 1;
	for (i = 0; i < K; i++) {
		if (o->model == LEARN_IRTFIT_RASCH) {
			a[i] = 1;
			b[i] = -d->dd[i];
		} else {
			a[i] = d->sl[i];
			b[i] = -d->dd[i] / d->sl[i];
		}
		c[i] = d->gc[i];
	}
	return conv ? LEARN_IRTFIT_OK : LEARN_IRTFIT_ENOCONV;
}

double
learn_irtfit_mml_loglik(struct learn_irtfit_data *d,
    const struct learn_irtfit_opts *o, const double *a, const double *b,
    const double *c, double sigma)
{
	size_t Q, i;

	if (o->nodes < 3 || o->nodes > LEARN_IRTFIT_MAXNODES ||
	    !(o->zmax > 0))
		return NAN;
	Q = (size_t)o->nodes;
	make_grid(d, Q, o->zmax);
	for (i = 0; i < d->k; i++) {
		/* a (theta - b) with theta = sigma z */
		d->sl[i] = a[i] * sigma;
		d->dd[i] = -a[i] * b[i];
		d->gc[i] = c[i];
	}
	return estep(d, Q);
}

