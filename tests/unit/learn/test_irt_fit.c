/*
 * irt_fit: Rasch CML against psychotools (difficulties 1e-4 abs, SEs 1e-3
 * rel, log-likelihood at least psychotools' - 1e-6) and eRm, person ML
 * against eRm's person parameters and psychotools' score table (1e-4),
 * Rasch MML against lme4 (difficulties and sigma 5e-3), 2PL against
 * psych::irt.fa (correlations 0.9 / 0.95), 3PL recovery of the simulated
 * parameters (RMSE a 0.2, b 0.15, c 0.06) -- the tolerances of the
 * reference README, section 2.  Properties: EM objective never decreases,
 * the MML estimates are a local maximum of the marginal likelihood, SEs
 * positive, sum zero, CML with missing responses is a stationary point
 * of an independently computed likelihood whose finite-difference Hessian
 * gives the same SEs, bad input is refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/csv.h"
#include "learn/irt_fit.h"
#include "refdir.h"

#define MAXITEM	64

struct resp {
	size_t		 n, k;
	char		 item[MAXITEM][64];
	signed char	*x;
};

static void
load_resp(const char *name, struct resp *r)
{
	struct csv c;
	FILE *fp = ref_open(name);
	size_t cap = 0, i;
	int rc;

	memset(r, 0, sizeof(*r));
	assert_int_equal(csv_open_file(&c, fp), 0);
	assert_true(c.nhdr - 1 <= MAXITEM);
	r->k = (size_t)c.nhdr - 1;
	for (i = 0; i < r->k; i++)
		snprintf(r->item[i], sizeof(r->item[i]), "%s", c.hdr[i + 1]);
	while ((rc = csv_next(&c)) == 1) {
		if (r->n == cap) {
			cap = cap ? 2 * cap : 256;
			r->x = realloc(r->x, cap * r->k);
			assert_non_null(r->x);
		}
		for (i = 0; i < r->k; i++) {
			const char *s = csv_str(&c, (int)i + 1);

			if (strcmp(s, "NA") == 0)
				r->x[r->n * r->k + i] = LEARN_IRTFIT_NA;
			else {
				assert_true(strcmp(s, "0") == 0 ||
				    strcmp(s, "1") == 0);
				r->x[r->n * r->k + i] = (signed char)(*s - '0');
			}
		}
		r->n++;
	}
	assert_int_equal(rc, 0);
	csv_close(&c);
	fclose(fp);
}

static size_t
item_index(const struct resp *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->k; i++)
		if (strcmp(r->item[i], name) == 0)
			return i;
	fail_msg("item %s not in the response file", name);
	return 0;
}

static double
getd(struct csv *c, const char *col)
{
	double v;

	assert_int_equal(csv_double(c, csv_need(c, col), &v), 0);
	return v;
}

/* Reference item values: ref[item index] from column col of file. */
static void
load_items(const char *file, const struct resp *r, const char *col,
    double *ref)
{
	struct csv c;
	FILE *fp = ref_open(file);
	size_t seen = 0;
	int rc;

	assert_int_equal(csv_open_file(&c, fp), 0);
	while ((rc = csv_next(&c)) == 1) {
		ref[item_index(r, csv_str(&c, csv_need(&c, "item")))] =
		    getd(&c, col);
		seen++;
	}
	assert_int_equal(rc, 0);
	assert_int_equal(seen, r->k);
	csv_close(&c);
	fclose(fp);
}

static struct learn_irtfit_data *
make_data(const struct resp *r)
{
	struct learn_irtfit_data *d;
	size_t bad;

	assert_int_equal(learn_irtfit_data_new(&d, r->x, r->n, r->k, &bad),
	    LEARN_IRTFIT_OK);
	return d;
}

/* ---- Rasch CML ---------------------------------------------------------- */

static void
check_cml(const char *set)
{
	char f[128];
	struct resp r;
	struct learn_irtfit_data *d;
	struct learn_irtfit_cml res;
	double b[MAXITEM], se[MAXITEM], pb[MAXITEM], pse[MAXITEM];
	double eb[MAXITEM], sum = 0, db = 0, dse = 0, deb = 0, llref;
	size_t i;

	snprintf(f, sizeof(f), "irt_%s_responses.csv", set);
	load_resp(f, &r);
	snprintf(f, sizeof(f), "irt_%s_rasch_cml_items.csv", set);
	load_items(f, &r, "psychotools_difficulty", pb);
	load_items(f, &r, "psychotools_se", pse);
	load_items(f, &r, "erm_difficulty", eb);
	d = make_data(&r);
	assert_int_equal(learn_irtfit_rasch_cml(d, b, se, &res),
	    LEARN_IRTFIT_OK);
	for (i = 0; i < r.k; i++) {
		sum += b[i];
		db = fmax(db, fabs(b[i] - pb[i]));
		deb = fmax(deb, fabs(b[i] - eb[i]));
		assert_true(se[i] > 0);
		dse = fmax(dse, fabs(se[i] - pse[i]) / pse[i]);
	}
	llref = learn_irtfit_rasch_cml_loglik(d, pb);
	printf("  %s CML: %d Newton steps, loglik %.11f (at psychotools' "
	    "b: %.11f), max |b - psychotools| %.2e, max |b - eRm| %.2e, "
	    "max rel SE dev %.2e, sum b %.1e\n", set, res.iterations,
	    res.loglik, llref, db, deb, dse, sum);
	assert_true(fabs(sum) < 1e-10);
	assert_true(db <= 1e-4);
	assert_true(dse <= 1e-3);
	assert_true(res.loglik >= llref - 1e-6);
	learn_irtfit_data_free(d);
	free(r.x);
}

static void
test_cml_raschdat1(void **state)
{
	check_cml("raschdat1");
}

static void
test_cml_verbalaggression(void **state)
{
	check_cml("verbalaggression");
}

/* ---- person ML ---------------------------------------------------------- */

static void
check_persons(const char *set)
{
	char f[128];
	struct resp r;
	struct learn_irtfit_data *d;
	struct learn_irtfit_cml res;
	struct csv c;
	FILE *fp;
	double b[MAXITEM], eb[MAXITEM], th, se, th2, se2, dth = 0, dth2 = 0;
	double dse = 0, dst = 0;
	size_t row = 0, used = 0;
	int rc, interp, score;

	snprintf(f, sizeof(f), "irt_%s_responses.csv", set);
	load_resp(f, &r);
	snprintf(f, sizeof(f), "irt_%s_rasch_cml_items.csv", set);
	load_items(f, &r, "erm_difficulty", eb);
	d = make_data(&r);
	assert_int_equal(learn_irtfit_rasch_cml(d, b, NULL, &res),
	    LEARN_IRTFIT_OK);

	/* the persons file lists persons in the response file's order */
	snprintf(f, sizeof(f), "irt_%s_rasch_persons.csv", set);
	fp = ref_open(f);
	assert_int_equal(csv_open_file(&c, fp), 0);
	while ((rc = csv_next(&c)) == 1) {
		assert_true(row < r.n);
		assert_int_equal(csv_int(&c, csv_need(&c, "erm_interpolated"),
		    &interp), 0);
		if (interp) {
			assert_int_equal(learn_irtfit_rasch_theta(b,
			    r.x + row * r.k, r.k, &th, &se), -1);
			row++;
			continue;
		}
		assert_int_equal(learn_irtfit_rasch_theta(b, r.x + row * r.k,
		    r.k, &th, &se), 0);
		assert_int_equal(learn_irtfit_rasch_theta(eb, r.x + row * r.k,
		    r.k, &th2, &se2), 0);
		dth = fmax(dth, fabs(th - getd(&c, "erm_theta")));
		dth2 = fmax(dth2, fabs(th2 - getd(&c, "erm_theta")));
		dse = fmax(dse, fabs(se2 - getd(&c, "erm_theta_se")) /
		    getd(&c, "erm_theta_se"));
		row++;
		used++;
	}
	assert_int_equal(rc, 0);
	assert_int_equal(row, r.n);
	csv_close(&c);
	fclose(fp);

	snprintf(f, sizeof(f), "irt_%s_rasch_score_table.csv", set);
	fp = ref_open(f);
	assert_int_equal(csv_open_file(&c, fp), 0);
	while ((rc = csv_next(&c)) == 1) {
		assert_int_equal(csv_int(&c, csv_need(&c, "raw_score"),
		    &score), 0);
		assert_int_equal(learn_irtfit_rasch_theta_score(b, r.k, score,
		    &th, &se), 0);
		dst = fmax(dst, fabs(th - getd(&c, "psychotools_theta")));
	}
	assert_int_equal(rc, 0);
	csv_close(&c);
	fclose(fp);
	assert_int_equal(learn_irtfit_rasch_theta_score(b, r.k, 0, &th, &se),
	    -1);
	assert_true(isnan(th) && isnan(se));
	assert_int_equal(learn_irtfit_rasch_theta_score(b, r.k, (int)r.k,
	    &th, &se), -1);

	printf("  %s persons (%zu estimable): max |theta - eRm| %.2e with our "
	    "items, %.2e with eRm's items (SE rel %.2e); score table max "
	    "|theta - psychotools| %.2e\n", set, used, dth, dth2, dse, dst);
	assert_true(dth <= 1e-4);
	assert_true(dth2 <= 1e-4);
	assert_true(dse <= 1e-3);
	assert_true(dst <= 1e-4);
	learn_irtfit_data_free(d);
	free(r.x);
}

static void
test_persons_raschdat1(void **state)
{
	check_persons("raschdat1");
}

static void
test_persons_verbalaggression(void **state)
{
	check_persons("verbalaggression");
}

/* Person ML with missing responses = ML on the answered items alone. */
static void
test_theta_missing(void **state)
{
	double b[12], th, se, th2, se2;
	signed char x[12] = { 1, 0, -1, 1, 1, -1, 0, 0, 1, -1, 1, 0 };
	double sub[12];
	size_t i, m = 0;
	int r = 0;

	for (i = 0; i < 12; i++)
		b[i] = -1.5 + 0.27 * i;
	for (i = 0; i < 12; i++)
		if (x[i] != LEARN_IRTFIT_NA) {
			sub[m++] = b[i];
			r += x[i];
		}
	assert_int_equal(learn_irtfit_rasch_theta(b, x, 12, &th, &se), 0);
	assert_int_equal(learn_irtfit_rasch_theta_score(sub, m, r, &th2,
	    &se2), 0);
	assert_true(fabs(th - th2) < 1e-12 && fabs(se - se2) < 1e-12);
	/* and it solves sum P = r */
	for (se2 = 0, i = 0; i < m; i++)
		se2 += 1 / (1 + exp(sub[i] - th));
	assert_true(fabs(se2 - r) < 1e-10);
	memset(x, LEARN_IRTFIT_NA, sizeof(x));
	assert_int_equal(learn_irtfit_rasch_theta(b, x, 12, &th, &se), -1);
}

/* ---- MML ---------------------------------------------------------------- */

/* sigma_theta of lme4's fit for set, read from the README's text. */
static double
readme_sigma(const char *set)
{
	FILE *fp = ref_open("README.md");
	static char buf[1 << 17];
	char key[64];
	size_t len;
	const char *p;
	double v;

	len = fread(buf, 1, sizeof(buf) - 1, fp);
	buf[len] = '\0';
	fclose(fp);
	p = strstr(buf, "Fitted σ_θ:");
	assert_non_null(p);
	snprintf(key, sizeof(key), "%s ", set);
	p = strstr(p, key);
	assert_non_null(p);
	assert_int_equal(sscanf(p + strlen(key), "%lf", &v), 1);
	return v;
}

static int
nondecreasing(const double *t, size_t n, double last)
{
	size_t i;

	for (i = 1; i < n; i++)
		if (t[i] < t[i - 1] - 1e-9 * fabs(t[i - 1]))
			return 0;
	return n == 0 || last >= t[n - 1] - 1e-9 * fabs(last);
}

/*
 * The fit is a maximum of the marginal likelihood: moving any b (and any a
 * when free_a, and sigma) by +-h lowers it.  Returns 1 if so.
 */
static int
local_max(struct learn_irtfit_data *d, const struct learn_irtfit_opts *o,
    double *a, double *b, double *c, size_t k, double sigma, int free_a,
    double ll)
{
	double h = 1e-3, sv, l;
	size_t i;
	int sign;

	for (sign = -1; sign <= 1; sign += 2) {
		for (i = 0; i < k; i++) {
			sv = b[i];
			b[i] += sign * h;
			l = learn_irtfit_mml_loglik(d, o, a, b, c, sigma);
			b[i] = sv;
			if (!(l < ll))
				return 0;
			if (!free_a)
				continue;
			sv = a[i];
			a[i] += sign * h;
			l = learn_irtfit_mml_loglik(d, o, a, b, c, sigma);
			a[i] = sv;
			if (!(l < ll))
				return 0;
		}
		if (!free_a && !(learn_irtfit_mml_loglik(d, o, a, b, c,
		    sigma + sign * h) < ll))
			return 0;
	}
	return 1;
}

static void
check_mml_rasch(const char *set)
{
	char f[128];
	struct resp r;
	struct learn_irtfit_data *d;
	struct learn_irtfit_opts o;
	struct learn_irtfit_mml res;
	double a[MAXITEM], b[MAXITEM], c[MAXITEM], ref[MAXITEM];
	double trace[20000], db = 0, sig;
	size_t i;

	snprintf(f, sizeof(f), "irt_%s_responses.csv", set);
	load_resp(f, &r);
	snprintf(f, sizeof(f), "irt_%s_rasch_mml_lme4.csv", set);
	load_items(f, &r, "mml_difficulty", ref);
	sig = readme_sigma(set);
	d = make_data(&r);
	learn_irtfit_opts_default(&o, LEARN_IRTFIT_RASCH);
	o.trace = trace;
	o.trace_cap = sizeof(trace) / sizeof(trace[0]);
	assert_int_equal(learn_irtfit_mml(d, &o, a, b, c, &res),
	    LEARN_IRTFIT_OK);
	for (i = 0; i < r.k; i++) {
		assert_true(a[i] == 1 && c[i] == 0);
		db = fmax(db, fabs(b[i] - ref[i]));
	}
	printf("  %s Rasch MML (%d nodes): %d EM cycles, loglik %.8f, "
	    "max |b - lme4| %.2e, sigma %.6f vs lme4 %.5f\n", set, o.nodes,
	    res.iterations, res.loglik, db, res.sigma, sig);
	assert_true(db <= 5e-3);
	assert_true(fabs(res.sigma - sig) <= 5e-3);
	assert_true(nondecreasing(trace, res.ntrace, res.objective));
	assert_true(fabs(learn_irtfit_mml_loglik(d, &o, a, b, c, res.sigma) -
	    res.loglik) < 1e-9 * fabs(res.loglik));
	assert_true(local_max(d, &o, a, b, c, r.k, res.sigma, 0, res.loglik));
	learn_irtfit_data_free(d);
	free(r.x);
}

static void
test_mml_rasch_raschdat1(void **state)
{
	check_mml_rasch("raschdat1");
}

static void
test_mml_rasch_verbalaggression(void **state)
{
	check_mml_rasch("verbalaggression");
}

static double
corr(const double *x, const double *y, size_t n)
{
	double mx = 0, my = 0, sxx = 0, syy = 0, sxy = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		mx += x[i] / n;
		my += y[i] / n;
	}
	for (i = 0; i < n; i++) {
		sxx += (x[i] - mx) * (x[i] - mx);
		syy += (y[i] - my) * (y[i] - my);
		sxy += (x[i] - mx) * (y[i] - my);
	}
	return sxy / sqrt(sxx * syy);
}

static void
test_mml_2pl_psych(void **state)
{
	struct resp r;
	struct learn_irtfit_data *d;
	struct learn_irtfit_opts o;
	struct learn_irtfit_mml res;
	double a[MAXITEM], b[MAXITEM], c[MAXITEM], pa[MAXITEM], pb[MAXITEM];
	double trace[20000], ra, rb;

	load_resp("irt_raschdat1_responses.csv", &r);
	load_items("irt_raschdat1_2pl_psych_irtfa.csv", &r,
	    "a_logistic_D1_approx", pa);
	load_items("irt_raschdat1_2pl_psych_irtfa.csv", &r,
	    "b_normal_ogive", pb);
	d = make_data(&r);
	learn_irtfit_opts_default(&o, LEARN_IRTFIT_2PL);
	o.trace = trace;
	o.trace_cap = sizeof(trace) / sizeof(trace[0]);
	assert_int_equal(learn_irtfit_mml(d, &o, a, b, c, &res),
	    LEARN_IRTFIT_OK);
	ra = corr(a, pa, r.k);
	rb = corr(b, pb, r.k);
	printf("  raschdat1 2PL MML: %d EM cycles, loglik %.6f; correlation "
	    "with psych::irt.fa a %.4f, b %.4f\n", res.iterations, res.loglik,
	    ra, rb);
	assert_true(nondecreasing(trace, res.ntrace, res.objective));
	assert_true(fabs(learn_irtfit_mml_loglik(d, &o, a, b, c, 1) -
	    res.loglik) < 1e-9 * fabs(res.loglik));
	assert_true(local_max(d, &o, a, b, c, r.k, 1, 1, res.loglik));
	assert_true(ra >= 0.9);
	assert_true(rb >= 0.95);
	learn_irtfit_data_free(d);
	free(r.x);
}

static void
test_mml_3pl_recovery(void **state)
{
	struct resp r;
	struct learn_irtfit_data *d;
	struct learn_irtfit_opts o;
	struct learn_irtfit_mml res;
	double a[MAXITEM], b[MAXITEM], c[MAXITEM];
	double ta[MAXITEM], tb[MAXITEM], tc[MAXITEM], trace[20000];
	double ea = 0, eb = 0, ec = 0;
	size_t i;

	load_resp("irt_sim3pl_responses.csv", &r);
	load_items("irt_sim3pl_true_items.csv", &r, "a", ta);
	load_items("irt_sim3pl_true_items.csv", &r, "b", tb);
	load_items("irt_sim3pl_true_items.csv", &r, "c", tc);
	d = make_data(&r);
	learn_irtfit_opts_default(&o, LEARN_IRTFIT_3PL);
	o.trace = trace;
	o.trace_cap = sizeof(trace) / sizeof(trace[0]);
	assert_int_equal(learn_irtfit_mml(d, &o, a, b, c, &res),
	    LEARN_IRTFIT_OK);
	for (i = 0; i < r.k; i++) {
		ea += (a[i] - ta[i]) * (a[i] - ta[i]) / r.k;
		eb += (b[i] - tb[i]) * (b[i] - tb[i]) / r.k;
		ec += (c[i] - tc[i]) * (c[i] - tc[i]) / r.k;
	}
	printf("  sim3pl 3PL MML (Beta(%g,%g) prior on c): %d EM cycles, "
	    "%zu patterns; RMSE a %.4f, b %.4f, c %.4f\n", o.c_alpha,
	    o.c_beta, res.iterations, learn_irtfit_npatterns(d), sqrt(ea),
	    sqrt(eb), sqrt(ec));
	assert_true(nondecreasing(trace, res.ntrace, res.objective));
	assert_true(sqrt(ea) <= 0.2);
	assert_true(sqrt(eb) <= 0.15);
	assert_true(sqrt(ec) <= 0.06);
	learn_irtfit_data_free(d);
	free(r.x);
}

/* ---- missing responses -------------------------------------------------- */

/*
 * Conditional log-likelihood computed person by person, from scratch:
 * log P(x | r) = -sum x_i b_i - log gamma_r over the answered items.
 */
static double
brute_cml_loglik(const struct resp *r, const double *b)
{
	double g[MAXITEM + 1], ll = 0, e;
	size_t p, i, j, m, s;

	for (p = 0; p < r->n; p++) {
		const signed char *x = r->x + p * r->k;

		memset(g, 0, sizeof(g));
		g[0] = 1;
		m = s = 0;
		for (i = 0; i < r->k; i++) {
			if (x[i] == LEARN_IRTFIT_NA)
				continue;
			e = exp(-b[i]);
			for (j = ++m; j > 0; j--)
				g[j] += e * g[j - 1];
			if (x[i] == 1) {
				s++;
				ll -= b[i];
			}
		}
		ll -= log(g[s]);
	}
	return ll;
}

/*
 * Largest relative deviation of se from the sum-zero SEs of a central
 * finite-difference Hessian of brute_cml_loglik at b: information I = -H,
 * SE_i^2 = [(I + J/k)^-1]_ii - 1/k (Gauss-Jordan here, not the library's
 * Cholesky).
 */
static double
numeric_se_dev(const struct resp *r, const double *b, const double *se)
{
	static double m[MAXITEM][2 * MAXITEM];
	double bp[MAXITEM], h = 1e-3, f0, fpp, fpm, fmp, fmm, piv, x, dev = 0;
	size_t k = r->k, i, j, l;

	f0 = brute_cml_loglik(r, b);
	for (i = 0; i < k; i++)
		for (j = i; j < k; j++) {
			memcpy(bp, b, k * sizeof(double));
			if (i == j) {
				bp[i] = b[i] + h;
				fpp = brute_cml_loglik(r, bp);
				bp[i] = b[i] - h;
				fmm = brute_cml_loglik(r, bp);
				x = -(fpp - 2 * f0 + fmm) / (h * h);
			} else {
				bp[i] = b[i] + h; bp[j] = b[j] + h;
				fpp = brute_cml_loglik(r, bp);
				bp[j] = b[j] - h;
				fpm = brute_cml_loglik(r, bp);
				bp[i] = b[i] - h;
				fmm = brute_cml_loglik(r, bp);
				bp[j] = b[j] + h;
				fmp = brute_cml_loglik(r, bp);
				x = -(fpp - fpm - fmp + fmm) / (4 * h * h);
			}
			m[i][j] = m[j][i] = x + 1.0 / k;
		}
	for (i = 0; i < k; i++)
		for (j = 0; j < k; j++)
			m[i][k + j] = i == j;
	for (i = 0; i < k; i++) {
		piv = m[i][i];
		assert_true(piv > 0);
		for (j = 0; j < 2 * k; j++)
			m[i][j] /= piv;
		for (l = 0; l < k; l++) {
			if (l == i)
				continue;
			x = m[l][i];
			for (j = 0; j < 2 * k; j++)
				m[l][j] -= x * m[i][j];
		}
	}
	for (i = 0; i < k; i++)
		dev = fmax(dev, fabs(sqrt(m[i][k + i] - 1.0 / k) - se[i]) /
		    se[i]);
	return dev;
}

static void
test_cml_missing(void **state)
{
	struct resp r;
	struct learn_irtfit_data *d;
	struct learn_irtfit_cml res;
	double b[MAXITEM], se[MAXITEM], bp[MAXITEM], ll, llp, sum = 0, dse;
	size_t p, i, ngroupna = 0;
	int sign;

	/* raschdat1 with a booklet design plus scattered holes */
	load_resp("irt_raschdat1_responses.csv", &r);
	for (p = 0; p < r.n; p++)
		for (i = 0; i < r.k; i++) {
			if ((p < 40 && i >= 20) || (p >= 70 && i < 10) ||
			    (p * 7 + i * 3) % 23 == 0) {
				r.x[p * r.k + i] = LEARN_IRTFIT_NA;
				ngroupna++;
			}
		}
	d = make_data(&r);
	assert_int_equal(learn_irtfit_rasch_cml(d, b, se, &res),
	    LEARN_IRTFIT_OK);
	ll = brute_cml_loglik(&r, b);
	assert_true(fabs(ll - res.loglik) < 1e-9 * fabs(ll));
	/* a maximum: no coordinate move raises the likelihood */
	for (i = 0; i < r.k; i++) {
		sum += b[i];
		assert_true(se[i] > 0 && isfinite(se[i]));
		for (sign = -1; sign <= 1; sign += 2) {
			memcpy(bp, b, sizeof(bp));
			bp[i] += sign * 1e-4;
			llp = brute_cml_loglik(&r, bp);
			assert_true(llp <= ll + 1e-9);
		}
	}
	assert_true(fabs(sum) < 1e-10);
	dse = numeric_se_dev(&r, b, se);
	printf("  raschdat1 with %zu NA: CML loglik %.9f (brute force "
	    "%.9f), stationary; max rel SE dev from a finite-difference "
	    "Hessian %.2e\n", ngroupna, res.loglik, ll, dse);
	assert_true(dse < 1e-4);
	learn_irtfit_data_free(d);
	free(r.x);
}

/* ---- bad input ---------------------------------------------------------- */

static void
test_bad_input(void **state)
{
	struct learn_irtfit_data *d;
	struct learn_irtfit_cml res;
	struct learn_irtfit_opts o;
	struct learn_irtfit_mml mres;
	double b[3], a[3], c[3];
	size_t bad;
	signed char val[] = { 0, 1, 1, 1, 0, 2 };
	signed char empty[] = { 0, -1, 1, 1, -1, 0 };
	signed char cnst[] = { 0, 1, 1, 1, 1, 0 };
	/* persons with a non-extreme score all got item 0 right */
	signed char unb[] = { 1, 0, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1 };
	signed char ok[] = { 1, 0, 1, 0, 1, 0, 1, 1, 0, 0, 1, 1 };

	assert_int_equal(learn_irtfit_data_new(&d, val, 2, 3, &bad),
	    LEARN_IRTFIT_EINVAL);
	assert_null(d);
	assert_int_equal(bad, 5);
	assert_int_equal(learn_irtfit_data_new(&d, val, 0, 3, &bad),
	    LEARN_IRTFIT_EINVAL);
	assert_int_equal(learn_irtfit_data_new(&d, empty, 2, 3, &bad),
	    LEARN_IRTFIT_EEMPTY);
	assert_int_equal(bad, 1);
	assert_int_equal(learn_irtfit_data_new(&d, cnst, 2, 3, &bad),
	    LEARN_IRTFIT_ECONST);
	assert_int_equal(bad, 1);
	assert_int_equal(learn_irtfit_data_new(&d, unb, 4, 3, &bad),
	    LEARN_IRTFIT_OK);
	assert_int_equal(learn_irtfit_rasch_cml(d, b, NULL, &res),
	    LEARN_IRTFIT_EUNBOUNDED);
	learn_irtfit_data_free(d);
	assert_int_equal(learn_irtfit_data_new(&d, ok, 4, 3, &bad),
	    LEARN_IRTFIT_OK);
	assert_int_equal(learn_irtfit_rasch_cml(d, b, NULL, &res),
	    LEARN_IRTFIT_OK);
	learn_irtfit_opts_default(&o, LEARN_IRTFIT_2PL);
	o.nodes = LEARN_IRTFIT_MAXNODES + 1;
	assert_int_equal(learn_irtfit_mml(d, &o, a, b, c, &mres),
	    LEARN_IRTFIT_EINVAL);
	learn_irtfit_data_free(d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cml_raschdat1),
		cmocka_unit_test(test_cml_verbalaggression),
		cmocka_unit_test(test_cml_missing),
		cmocka_unit_test(test_persons_raschdat1),
		cmocka_unit_test(test_persons_verbalaggression),
		cmocka_unit_test(test_theta_missing),
		cmocka_unit_test(test_mml_rasch_raschdat1),
		cmocka_unit_test(test_mml_rasch_verbalaggression),
		cmocka_unit_test(test_mml_2pl_psych),
		cmocka_unit_test(test_mml_3pl_recovery),
		cmocka_unit_test(test_bad_input),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
