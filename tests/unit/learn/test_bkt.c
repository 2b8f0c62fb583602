/*
 * bkt: the filter against bkt_expected_posteriors.csv (1e-12, the README's
 * tolerance), the EM step against a textbook alpha-beta Baum-Welch step,
 * EM against the likelihood it maximises (never decreasing,
 * same maximum from several starts, a local maximum, at least as likely as
 * the true parameters, close to the truth) and, when the reference folder
 * holds it, against bkt_em_reference_fit.csv (1e-5); AUC on small cases
 * and against a brute-force pair count.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/csv.h"
#include "learn/bkt.h"
#include "refdir.h"

#define MAXSKILL	16

struct row {
	int	skill, user, opp;
	size_t	idx;		/* row in the file */
};

struct data {
	size_t			 n;
	int			 nskill;
	char			 name[MAXSKILL][32];
	struct learn_bkt_params	 truth[MAXSKILL];
	struct row		*row;		/* grouped: skill, user, opp */
	unsigned char		*correct;	/* grouped */
	double			*expect;	/* file order, 4 per row, or NULL */
	size_t			*start[MAXSKILL];
	struct learn_bkt_seqs	 seqs[MAXSKILL];
};

static int
cmp_row(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	if (x->skill != y->skill)
		return x->skill - y->skill;
	if (x->user != y->user)
		return x->user - y->user;
	return x->opp - y->opp;
}

static double
getd(struct csv *c, const char *col)
{
	double v;

	assert_int_equal(csv_double(c, csv_need(c, col), &v), 0);
	return v;
}

/* Reads the true parameters, then the observations of file (grouped). */
static void
load(struct data *d, const char *file)
{
	static const char *ecol[4] = { "p_known_before", "p_correct_pred",
	    "p_known_posterior", "p_known_next" };
	struct csv c;
	FILE *fp;
	size_t cap = 1024, i, s0, k;
	int r, sk, cs, cu, co, cc, ce[4], j, v;
	unsigned char *cfile;

	memset(d, 0, sizeof(*d));
	fp = ref_open("bkt_true_params.csv");
	assert_int_equal(csv_open_file(&c, fp), 0);
	while ((r = csv_next(&c)) == 1) {
		if (strcmp(csv_str(&c, csv_need(&c, "skill_name")), "ALL") == 0)
			continue;
		assert_true(d->nskill < MAXSKILL);
		snprintf(d->name[d->nskill], sizeof(d->name[0]), "%s",
		    csv_str(&c, csv_need(&c, "skill_name")));
		d->truth[d->nskill].prior = getd(&c, "prior");
		d->truth[d->nskill].learn = getd(&c, "learn");
		d->truth[d->nskill].guess = getd(&c, "guess");
		d->truth[d->nskill].slip = getd(&c, "slip");
		d->nskill++;
	}
	assert_int_equal(r, 0);
	csv_close(&c);
	fclose(fp);

	fp = ref_open(file);
	assert_int_equal(csv_open_file(&c, fp), 0);
	cs = csv_need(&c, "skill_name");
	cu = csv_need(&c, "user_id");
	co = csv_need(&c, "opportunity");
	cc = csv_need(&c, "correct");
	assert_true(cs >= 0 && cu >= 0 && co >= 0 && cc >= 0);
	for (j = 0; j < 4; j++)
		ce[j] = csv_col(&c, ecol[j]);
	d->row = malloc(cap * sizeof(*d->row));
	cfile = malloc(cap);
	if (ce[0] >= 0)
		d->expect = malloc(cap * 4 * sizeof(double));
	while ((r = csv_next(&c)) == 1) {
		if (d->n == cap) {
			cap *= 2;
			d->row = realloc(d->row, cap * sizeof(*d->row));
			cfile = realloc(cfile, cap);
			if (d->expect != NULL)
				d->expect = realloc(d->expect,
				    cap * 4 * sizeof(double));
		}
		for (sk = 0; sk < d->nskill; sk++)
			if (strcmp(csv_str(&c, cs), d->name[sk]) == 0)
				break;
		assert_true(sk < d->nskill);
		d->row[d->n].skill = sk;
		assert_int_equal(csv_int(&c, cu, &d->row[d->n].user), 0);
		assert_int_equal(csv_int(&c, co, &d->row[d->n].opp), 0);
		assert_int_equal(csv_int(&c, cc, &v), 0);
		assert_true(v == 0 || v == 1);
		cfile[d->n] = (unsigned char)v;
		d->row[d->n].idx = d->n;
		if (d->expect != NULL)
			for (j = 0; j < 4; j++)
				assert_int_equal(csv_double(&c, ce[j],
				    &d->expect[4 * d->n + j]), 0);
		d->n++;
	}
	assert_int_equal(r, 0);
	csv_close(&c);
	fclose(fp);
	assert_true(d->n > 0);

	qsort(d->row, d->n, sizeof(*d->row), cmp_row);
	d->correct = malloc(d->n);
	for (i = 0; i < d->n; i++)
		d->correct[i] = cfile[d->row[i].idx];
	free(cfile);
	/* Per skill: offsets of each (user) sequence relative to the skill. */
	for (i = 0, sk = 0; sk < d->nskill; sk++) {
		s0 = i;
		d->start[sk] = malloc((d->n + 1) * sizeof(size_t));
		k = 0;
		for (; i < d->n && d->row[i].skill == sk; i++)
			if (i == s0 || d->row[i].user != d->row[i - 1].user)
				d->start[sk][k++] = i - s0;
		d->start[sk][k] = i - s0;
		d->seqs[sk].correct = d->correct + s0;
		d->seqs[sk].start = d->start[sk];
		d->seqs[sk].nseq = k;
	}
	assert_int_equal(i, d->n);
}

static void
unload(struct data *d)
{
	int sk;

	for (sk = 0; sk < d->nskill; sk++)
		free(d->start[sk]);
	free(d->row);
	free(d->correct);
	free(d->expect);
}

/* A tiny PRNG (splitmix64) so the test needs no libc randomness. */
static uint64_t
next64(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double
unif(uint64_t *s)
{
	return (double)(next64(s) >> 11) * 0x1.0p-53;
}

static const struct learn_bkt_params start_fixed = { 0.5, 0.1, 0.2, 0.1 };

static double
pmaxdiff(const struct learn_bkt_params *x, const struct learn_bkt_params *y)
{
	return fmax(fmax(fabs(x->prior - y->prior), fabs(x->learn - y->learn)),
	    fmax(fabs(x->guess - y->guess), fabs(x->slip - y->slip)));
}

static void
check_obs(const struct learn_bkt_obs *o, const double *e, size_t line,
    double *worst)
{
	const double got[4] = { o->p_known_before, o->p_correct_pred,
	    o->p_known_posterior, o->p_known_next };
	int j;

	for (j = 0; j < 4; j++) {
		double err = fabs(got[j] - e[j]);
		if (!(err <= 1e-12))
			fail_msg("row %zu column %d: %.17g, expected %.17g",
			    line, j, got[j], e[j]);
		if (err > *worst)
			*worst = err;
	}
}

/* Every row of bkt_expected_posteriors.csv, sequence by sequence. */
static void
test_filter_matches_reference(void **state)
{
	struct data d;
	struct learn_bkt_obs *o;
	double worst = 0;
	size_t i, s, a;
	int sk;

	load(&d, "bkt_expected_posteriors.csv");
	assert_non_null(d.expect);
	o = malloc(d.n * sizeof(*o));
	for (a = 0, sk = 0; sk < d.nskill; sk++) {
		const struct learn_bkt_seqs *q = &d.seqs[sk];
		for (s = 0; s < q->nseq; s++)
			learn_bkt_filter(&d.truth[sk], q->correct + q->start[s],
			    q->start[s + 1] - q->start[s], o + a + q->start[s]);
		a += q->start[q->nseq];
	}
	assert_int_equal(a, d.n);
	for (i = 0; i < d.n; i++)
		check_obs(&o[i], &d.expect[4 * d.row[i].idx],
		    d.row[i].idx + 2, &worst);
	print_message("filter: %zu rows, max abs error %.3g\n", d.n, worst);
	free(o);
	unload(&d);
}

/* The same rows in file (global time) order, one step at a time, with the
 * caller keeping one P(known) per learner and skill. */
static void
test_step_in_time_order(void **state)
{
	struct data d;
	struct learn_bkt_obs o;
	double *known, worst = 0;
	size_t i, *pos, nuser = 0;
	struct row *r;

	load(&d, "bkt_expected_posteriors.csv");
	pos = malloc(d.n * sizeof(*pos));
	for (i = 0; i < d.n; i++) {
		pos[d.row[i].idx] = i;
		if ((size_t)d.row[i].user + 1 > nuser)
			nuser = (size_t)d.row[i].user + 1;
	}
	known = malloc(nuser * (size_t)d.nskill * sizeof(double));
	for (i = 0; i < nuser * (size_t)d.nskill; i++)
		known[i] = -1;
	for (i = 0; i < d.n; i++) {
		double *k;
		r = &d.row[pos[i]];
		k = &known[(size_t)r->user * (size_t)d.nskill + (size_t)r->skill];
		if (*k < 0)
			*k = d.truth[r->skill].prior;
		*k = learn_bkt_step(&d.truth[r->skill], *k,
		    d.correct[pos[i]], &o);
		check_obs(&o, &d.expect[4 * i], i + 2, &worst);
		assert_true(o.p_correct_pred ==
		    learn_bkt_predict(&d.truth[r->skill], o.p_known_before));
	}
	free(known);
	free(pos);
	unload(&d);
}

static void
test_probabilities_in_unit_interval(void **state)
{
	static const struct learn_bkt_params edge[] = {
		{ 1e-8, 1e-8, 1e-8, 1e-8 },
		{ 1 - 1e-8, 1 - 1e-8, 0.5, 0.5 },
		{ 0, 0, 0.3, 0.2 },
		{ 1, 1, 0.999, 0.999 },
		{ 0.5, 0.5, 1e-300, 1e-300 },
	};
	struct learn_bkt_params p;
	struct learn_bkt_obs o[64];
	unsigned char c[64];
	uint64_t seed = 7;
	int k, t, j;

	for (k = 0; k < 2000; k++) {
		if (k < 5)
			p = edge[k];
		else {
			p.prior = unif(&seed);
			p.learn = unif(&seed);
			p.guess = 1e-9 + unif(&seed) * (1 - 2e-9);
			p.slip = 1e-9 + unif(&seed) * (1 - 2e-9);
		}
		for (t = 0; t < 64; t++)
			c[t] = (next64(&seed) >> 63) != 0;
		learn_bkt_filter(&p, c, 64, o);
		for (t = 0; t < 64; t++) {
			const double v[4] = { o[t].p_known_before,
			    o[t].p_correct_pred, o[t].p_known_posterior,
			    o[t].p_known_next };
			for (j = 0; j < 4; j++)
				if (!(v[j] >= 0 && v[j] <= 1))
					fail_msg("case %d step %d value %d: "
					    "%.17g", k, t, j, v[j]);
		}
	}
}

/* Plain EM steps: the log-likelihood returned by each step is the one at
 * its input, and it never goes down. */
static void
test_em_loglik_never_decreases(void **state)
{
	struct data d;
	struct learn_bkt_params p, q;
	double *work, ll, prev;
	uint64_t seed = 11;
	int sk, st, it;

	load(&d, "bkt_synthetic.csv");
	work = malloc(d.n * sizeof(double));
	for (sk = 0; sk < d.nskill; sk++) {
		for (st = 0; st < 3; st++) {
			p = start_fixed;
			if (st > 0) {
				p.prior = 0.01 + 0.98 * unif(&seed);
				p.learn = 0.01 + 0.5 * unif(&seed);
				p.guess = 0.01 + 0.48 * unif(&seed);
				p.slip = 0.01 + 0.48 * unif(&seed);
			}
			prev = -INFINITY;
			for (it = 0; it < 200; it++) {
				ll = learn_bkt_em_step(&d.seqs[sk], &p, &q,
				    work);
				assert_true(fabs(ll - learn_bkt_loglik(&p,
				    &d.seqs[sk])) <= 1e-9 * fabs(ll));
				if (ll < prev - 1e-10 * fabs(prev))
					fail_msg("%s start %d: loglik fell "
					    "%.17g -> %.17g at step %d",
					    d.name[sk], st, prev, ll, it);
				prev = ll;
				p = q;
				assert_true(p.guess <= LEARN_BKT_GS_MAX &&
				    p.slip <= LEARN_BKT_GS_MAX);
			}
		}
	}
	free(work);
	unload(&d);
}

/*
 * Textbook Baum-Welch as the README states it (scaled alpha, beta, gamma,
 * xi with the full 2x2 transition matrix), independent of the library's
 * smoother: one EM step from p, returned in *out, log-likelihood returned.
 */
static double
textbook_step(const struct learn_bkt_seqs *d, const struct learn_bkt_params *p,
    struct learn_bkt_params *out, double (*al)[2], double (*be)[2],
    double *sc)
{
	const double A[2][2] = { { 1 - p->learn, p->learn }, { 0, 1 } };
	double e[2][2], ll = 0, a[2], g[2], z, xi01;
	double n_prior = 0, xn = 0, xd = 0, gn = 0, gd = 0, sn = 0, sd = 0;
	size_t s, t, T, b;
	const unsigned char *c;
	int i, j;

	e[0][0] = 1 - p->guess;		/* e[state][answer] */
	e[0][1] = p->guess;
	e[1][0] = p->slip;
	e[1][1] = 1 - p->slip;
	for (s = 0; s < d->nseq; s++) {
		c = d->correct + d->start[s];
		T = d->start[s + 1] - d->start[s];
		for (t = 0; t < T; t++) {
			for (j = 0; j < 2; j++) {
				if (t == 0)
					a[j] = (j ? p->prior : 1 - p->prior);
				else
					a[j] = al[t - 1][0] * A[0][j] +
					    al[t - 1][1] * A[1][j];
				a[j] *= e[j][c[t]];
			}
			sc[t] = a[0] + a[1];
			al[t][0] = a[0] / sc[t];
			al[t][1] = a[1] / sc[t];
			ll += log(sc[t]);
		}
		be[T - 1][0] = be[T - 1][1] = 1;
		for (b = T - 1; b-- > 0;)
			for (i = 0; i < 2; i++)
				be[b][i] = (A[i][0] * e[0][c[b + 1]] *
				    be[b + 1][0] + A[i][1] * e[1][c[b + 1]] *
				    be[b + 1][1]) / sc[b + 1];
		for (t = 0; t < T; t++) {
			g[0] = al[t][0] * be[t][0];
			g[1] = al[t][1] * be[t][1];
			z = g[0] + g[1];
			g[0] /= z;
			g[1] /= z;
			if (t == 0)
				n_prior += g[1];
			gd += g[0];
			gn += g[0] * c[t];
			sd += g[1];
			sn += g[1] * (1 - c[t]);
			if (t + 1 < T) {
				xi01 = al[t][0] * A[0][1] * e[1][c[t + 1]] *
				    be[t + 1][1] / sc[t + 1];
				xn += xi01;
				xd += g[0];
			}
		}
	}
	out->prior = n_prior / (double)d->nseq;
	out->learn = xn / xd;
	out->guess = gn / gd;
	out->slip = sn / sd;
	return ll;
}

/* learn_bkt_em_step equals textbook Baum-Welch, from the fixed start, the
 * truth and a point on the way. */
static void
test_em_step_is_baum_welch(void **state)
{
	struct data d;
	struct learn_bkt_params p, mine, book;
	double *work, (*al)[2], (*be)[2], *sc, llm, llb;
	int sk, k, it;

	load(&d, "bkt_synthetic.csv");
	work = malloc(d.n * sizeof(double));
	al = malloc(d.n * sizeof(*al));
	be = malloc(d.n * sizeof(*be));
	sc = malloc(d.n * sizeof(double));
	for (sk = 0; sk < d.nskill; sk++)
		for (k = 0; k < 3; k++) {
			p = k == 1 ? d.truth[sk] : start_fixed;
			for (it = 0; k == 2 && it < 5; it++)
				learn_bkt_em_step(&d.seqs[sk], &p, &p, work);
			llm = learn_bkt_em_step(&d.seqs[sk], &p, &mine, work);
			llb = textbook_step(&d.seqs[sk], &p, &book, al, be, sc);
			if (pmaxdiff(&mine, &book) > 1e-12 ||
			    fabs(llm - llb) > 1e-9)
				fail_msg("%s case %d: params differ by %.3g, "
				    "loglik by %.3g", d.name[sk], k,
				    pmaxdiff(&mine, &book), fabs(llm - llb));
		}
	free(sc);
	free(be);
	free(al);
	free(work);
	unload(&d);
}

/* The accelerated fit stopped after k = 1, 2, ... EM steps: the
 * log-likelihood of what it returns never goes down as k grows (beyond
 * rounding: at the maximum, successive values differ in the last bits). */
static void
test_fit_loglik_never_decreases(void **state)
{
	struct data d;
	struct learn_bkt_params p;
	struct learn_bkt_fit_info info;
	double *work, prev;
	int sk, k;

	load(&d, "bkt_synthetic.csv");
	work = malloc(d.n * sizeof(double));
	for (sk = 0; sk < d.nskill; sk++) {
		prev = -INFINITY;
		for (k = 1; k <= 60; k++) {
			p = start_fixed;
			learn_bkt_fit(&d.seqs[sk], &p, 1e-15, k, work, &info);
			assert_true(info.iterations <= k);
			if (info.loglik < prev - 1e-12 * fabs(prev))
				fail_msg("%s: loglik %.17g after %d steps, "
				    "%.17g before", d.name[sk], info.loglik, k,
				    prev);
			prev = info.loglik;
		}
	}
	free(work);
	unload(&d);
}

/*
 * Compares with bkt_em_reference_fit.csv when the reference folder has it
 * (the full data set); returns the number of skills compared.
 */
static int
compare_reference_fit(const struct data *d, const struct learn_bkt_params *fit,
    const double *ll)
{
	char path[1024];
	const char *dir = getenv("ADEPT_REF_DIR");
	struct csv c;
	struct learn_bkt_params ref;
	double rll;
	FILE *fp;
	int sk, r, n = 0;

	snprintf(path, sizeof(path), "%s/bkt_em_reference_fit.csv",
	    dir ? dir : "../shared/reference/algorithms");
	if ((fp = fopen(path, "r")) == NULL)
		return 0;
	assert_int_equal(csv_open_file(&c, fp), 0);
	while ((r = csv_next(&c)) == 1) {
		for (sk = 0; sk < d->nskill; sk++)
			if (strcmp(csv_str(&c, csv_need(&c, "skill_name")),
			    d->name[sk]) == 0)
				break;
		assert_true(sk < d->nskill);
		ref.prior = getd(&c, "prior");
		ref.learn = getd(&c, "learn");
		ref.guess = getd(&c, "guess");
		ref.slip = getd(&c, "slip");
		rll = getd(&c, "loglik");
		if (pmaxdiff(&fit[sk], &ref) > 1e-5)
			fail_msg("%s: fit differs from reference by %.3g",
			    d->name[sk], pmaxdiff(&fit[sk], &ref));
		assert_true(ll[sk] >= rll - 1e-6);
		n++;
	}
	assert_int_equal(r, 0);
	csv_close(&c);
	fclose(fp);
	return n;
}

/*
 * The fit is the maximum: five starts agree, no parameter can be moved by
 * 1e-4 either way without losing likelihood, the true parameters are no
 * more likely, plain EM run to 1e-11 lands on the same point, and the fit
 * is near the truth (README's recovery bounds, doubled because this folder
 * holds half of the data).
 */
static void
test_em_fit_is_mle(void **state)
{
	struct data d;
	struct learn_bkt_params fit[MAXSKILL], p, q;
	struct learn_bkt_fit_info info;
	double *work, llfit[MAXSKILL];
	uint64_t seed = 42;
	int sk, st, j, it, nref;

	load(&d, "bkt_synthetic.csv");
	work = malloc(d.n * sizeof(double));
	for (sk = 0; sk < d.nskill; sk++) {
		const struct learn_bkt_seqs *sq = &d.seqs[sk];
		for (st = 0; st < 5; st++) {
			p = start_fixed;
			if (st > 0) {
				p.prior = 0.05 + 0.9 * unif(&seed);
				p.learn = 0.01 + 0.4 * unif(&seed);
				p.guess = 0.01 + 0.45 * unif(&seed);
				p.slip = 0.01 + 0.45 * unif(&seed);
			}
			assert_int_equal(learn_bkt_fit(sq, &p, 1e-10, 100000,
			    work, &info), 0);
			assert_true(info.converged);
			assert_true(fabs(info.loglik - learn_bkt_loglik(&p,
			    sq)) < 1e-9);
			if (st == 0) {
				fit[sk] = p;
				llfit[sk] = info.loglik;
				print_message("%s: prior %.6f learn %.6f "
				    "guess %.6f slip %.6f loglik %.8f "
				    "(%d EM steps)\n", d.name[sk], p.prior,
				    p.learn, p.guess, p.slip, info.loglik,
				    info.iterations);
			} else if (pmaxdiff(&p, &fit[sk]) > 1e-7)
				fail_msg("%s start %d: %.3g from start 0",
				    d.name[sk], st, pmaxdiff(&p, &fit[sk]));
		}
		for (j = 0; j < 8; j++) {
			double *x[4] = { &p.prior, &p.learn, &p.guess, &p.slip };
			p = fit[sk];
			*x[j / 2] += j % 2 ? 1e-4 : -1e-4;
			assert_true(learn_bkt_loglik(&p, sq) < llfit[sk]);
		}
		assert_true(learn_bkt_loglik(&d.truth[sk], sq) <= llfit[sk]);
		p = start_fixed;
		for (it = 0; it < 200000; it++) {
			learn_bkt_em_step(sq, &p, &q, work);
			if (pmaxdiff(&p, &q) < 1e-11)
				break;
			p = q;
		}
		if (pmaxdiff(&q, &fit[sk]) > 1e-6)
			fail_msg("%s: plain EM (%d steps) is %.3g from the fit",
			    d.name[sk], it, pmaxdiff(&q, &fit[sk]));
		assert_true(fabs(fit[sk].prior - d.truth[sk].prior) <= 0.2);
		assert_true(fabs(fit[sk].learn - d.truth[sk].learn) <= 0.06);
		assert_true(fabs(fit[sk].guess - d.truth[sk].guess) <= 0.06);
		assert_true(fabs(fit[sk].slip - d.truth[sk].slip) <= 0.06);
	}
	nref = compare_reference_fit(&d, fit, llfit);
	print_message("bkt_em_reference_fit.csv: %d skills compared%s\n", nref,
	    nref == 0 ? " (file not in the reference folder)" : "");
	free(work);
	unload(&d);
}

/* In-sample AUC of the fit, pooled over skills, is within 0.005 of the
 * true parameters' AUC on the same rows. */
static void
test_fit_auc_near_oracle(void **state)
{
	struct data d;
	struct learn_bkt_params p;
	struct learn_bkt_fit_info info;
	struct learn_bkt_obs *o;
	struct learn_bkt_scored *w;
	double *work, *pf, *pt, auc_fit, auc_true;
	size_t a, s, i;
	int sk, pass;

	load(&d, "bkt_synthetic.csv");
	work = malloc(d.n * sizeof(double));
	o = malloc(d.n * sizeof(*o));
	pf = malloc(d.n * sizeof(double));
	pt = malloc(d.n * sizeof(double));
	w = malloc(d.n * sizeof(*w));
	for (pass = 0; pass < 2; pass++) {
		for (a = 0, sk = 0; sk < d.nskill; sk++) {
			const struct learn_bkt_seqs *q = &d.seqs[sk];
			p = d.truth[sk];
			if (pass == 0) {
				p = start_fixed;
				learn_bkt_fit(q, &p, 1e-9, 100000, work, &info);
			}
			for (s = 0; s < q->nseq; s++)
				learn_bkt_filter(&p, q->correct + q->start[s],
				    q->start[s + 1] - q->start[s],
				    o + a + q->start[s]);
			a += q->start[q->nseq];
		}
		for (i = 0; i < d.n; i++)
			(pass == 0 ? pf : pt)[i] = o[i].p_correct_pred;
	}
	auc_fit = learn_bkt_auc(pf, d.correct, d.n, w);
	auc_true = learn_bkt_auc(pt, d.correct, d.n, w);
	print_message("pooled AUC: fit %.5f, true parameters %.5f\n", auc_fit,
	    auc_true);
	assert_true(fabs(auc_fit - auc_true) <= 0.005);
	assert_true(auc_fit > 0.75 && auc_fit < 0.9);
	free(w);
	free(pt);
	free(pf);
	free(o);
	free(work);
	unload(&d);
}

static void
test_auc_small_cases(void **state)
{
	struct learn_bkt_scored w[400];
	const double s1[] = { 0.1, 0.4, 0.35, 0.8 };
	const unsigned char y1[] = { 0, 0, 1, 1 };
	const double s2[] = { 0.5, 0.5, 0.2, 0.9 };
	const unsigned char y2[] = { 1, 0, 0, 1 };
	const double s3[] = { 0.3, 0.3, 0.3 };
	const unsigned char y3[] = { 1, 0, 1 };
	const double s4[] = { 0.9, 0.8, 0.1 };
	const unsigned char y4[] = { 0, 0, 1 };
	const unsigned char y5[] = { 1, 1, 1 };
	double sc[400], num;
	unsigned char lab[400];
	uint64_t seed = 3;
	size_t i, j, np, nn;
	int k;

	assert_true(learn_bkt_auc(s1, y1, 4, w) == 0.75);
	assert_true(learn_bkt_auc(s2, y2, 4, w) == 0.875);
	assert_true(learn_bkt_auc(s3, y3, 3, w) == 0.5);
	assert_true(learn_bkt_auc(s4, y4, 3, w) == 0);
	assert_true(learn_bkt_auc(s4, y3, 3, w) == 0.5);
	assert_true(isnan(learn_bkt_auc(s4, y5, 3, w)));
	/* Many ties: against the O(n^2) pair count. */
	for (k = 0; k < 20; k++) {
		for (i = 0; i < 400; i++) {
			sc[i] = floor(unif(&seed) * 10) / 10;
			lab[i] = unif(&seed) < sc[i] * 0.8 + 0.1;
		}
		num = 0;
		np = nn = 0;
		for (i = 0; i < 400; i++) {
			if (!lab[i])
				continue;
			np++;
			for (j = 0; j < 400; j++)
				if (!lab[j])
					num += sc[i] > sc[j] ? 1 :
					    sc[i] == sc[j] ? 0.5 : 0;
		}
		for (i = 0; i < 400; i++)
			nn += !lab[i];
		assert_true(fabs(learn_bkt_auc(sc, lab, 400, w) -
		    num / ((double)np * (double)nn)) < 1e-12);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_filter_matches_reference),
		cmocka_unit_test(test_step_in_time_order),
		cmocka_unit_test(test_probabilities_in_unit_interval),
		cmocka_unit_test(test_em_step_is_baum_welch),
		cmocka_unit_test(test_em_loglik_never_decreases),
		cmocka_unit_test(test_fit_loglik_never_decreases),
		cmocka_unit_test(test_em_fit_is_mle),
		cmocka_unit_test(test_fit_auc_near_oracle),
		cmocka_unit_test(test_auc_small_cases),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
