/*
 * irt: probability and information against irt_item_info_grid.csv (1e-12
 * rel), EAP on jscat's grid and exact MLE against irt_ability_patterns.csv
 * (1e-9 / 1e-6), CAT sessions against irt_cat_sessions_eap.csv (the
 * library picks every item itself; items exact, theta and se 1e-9) and
 * irt_cat_sessions_mle.csv (recorded items replayed: the pick at jscat's
 * recorded theta must be the recorded item, theta 1e-6 against the exact
 * MLE), then properties: P in [0, 1], information positive and below the
 * a^2/4 bound the selector prunes with, pruned selection equal to a brute
 * force argmax, randomesque exposure control, content balancing, stopping
 * rules, incremental EAP equal to the batch one.
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
#include "learn/irt.h"
#include "learn/rng.h"
#include "refdir.h"

#define MAXBANK		256
#define MAXPAT		64

struct bank {
	size_t			n;
	char			id[MAXBANK][16];
	struct learn_irt_item	item[MAXBANK];
};

static double
getd(struct csv *c, const char *col)
{
	double v;

	assert_int_equal(csv_double(c, csv_need(c, col), &v), 0);
	return v;
}

static void
load_bank(struct bank *bk)
{
	struct csv c;
	FILE *fp = ref_open("irt_cat_item_bank.csv");
	int r;

	memset(bk, 0, sizeof(*bk));
	assert_int_equal(csv_open_file(&c, fp), 0);
	while ((r = csv_next(&c)) == 1) {
		assert_true(bk->n < MAXBANK);
		snprintf(bk->id[bk->n], sizeof(bk->id[0]), "%s",
		    csv_str(&c, csv_need(&c, "item_id")));
		bk->item[bk->n].a = getd(&c, "a");
		bk->item[bk->n].b = getd(&c, "b");
		bk->item[bk->n].c = getd(&c, "c");
		bk->item[bk->n].d = getd(&c, "d");
		bk->n++;
	}
	assert_int_equal(r, 0);
	assert_int_equal(bk->n, 200);
	csv_close(&c);
	fclose(fp);
}

static size_t
find(const struct bank *bk, const char *id)
{
	size_t i;

	for (i = 0; i < bk->n; i++)
		if (strcmp(bk->id[i], id) == 0)
			return i;
	fail_msg("unknown item %s", id);
	return 0;
}

static double
rel(double x, double ref)
{
	return fabs(x - ref) / fmax(fabs(ref), 1e-300);
}

static void
test_item_info_grid(void **state)
{
	struct bank bk;
	struct csv c;
	FILE *fp = ref_open("irt_item_info_grid.csv");
	const struct learn_irt_item *it;
	double th, dp = 0, di = 0;
	int r, rows = 0;

	load_bank(&bk);
	assert_int_equal(csv_open_file(&c, fp), 0);
	while ((r = csv_next(&c)) == 1) {
		it = &bk.item[find(&bk, csv_str(&c, csv_need(&c, "item_id")))];
		th = getd(&c, "theta");
		dp = fmax(dp, rel(learn_irt_p(it, th), getd(&c, "p_correct")));
		di = fmax(di, rel(learn_irt_info(it, th),
		    getd(&c, "fisher_info")));
		rows++;
	}
	assert_int_equal(r, 0);
	csv_close(&c);
	fclose(fp);
	printf("info grid: %d rows, max rel dev P %.3g, info %.3g\n", rows,
	    dp, di);
	assert_int_equal(rows, 180);
	assert_true(dp <= 1e-12);
	assert_true(di <= 1e-12);
}

/* Splits space-separated ids / 0-1 answers of a pattern. */
static size_t
split_pattern(const struct bank *bk, char *ids, char *resp,
    struct learn_irt_item *it, unsigned char *u)
{
	char *p, *save = NULL;
	size_t n = 0, m = 0;

	for (p = strtok_r(ids, " ", &save); p; p = strtok_r(NULL, " ", &save)) {
		assert_true(n < MAXPAT);
		it[n++] = bk->item[find(bk, p)];
	}
	for (p = strtok_r(resp, " ", &save); p; p = strtok_r(NULL, " ", &save)) {
		assert_true(m < MAXPAT);
		assert_true(strcmp(p, "0") == 0 || strcmp(p, "1") == 0);
		u[m++] = (unsigned char)(p[0] - '0');
	}
	assert_int_equal(n, m);
	return n;
}

static void
test_ability_patterns(void **state)
{
	struct bank bk;
	struct learn_irt_grid g;
	struct learn_irt_item it[MAXPAT];
	unsigned char u[MAXPAT];
	char ids[1024], resp[256];
	struct csv c;
	FILE *fp = ref_open("irt_ability_patterns.csv");
	double eap, psd, mle, x, d_eap = 0, d_grid = 0, d_eapse = 0,
	    d_mle = 0, d_mlese = 0, d_jmle = 0, d_fine = 0, d_psd = 0;
	size_t n;
	int r, rows = 0, interior = 0, st;

	load_bank(&bk);
	assert_int_equal(learn_irt_grid_jscat(&g, -6, 6, 0.1, 0, 1), 0);
	assert_int_equal(g.n, 121);
	assert_true(g.theta[0] == -6 && g.theta[60] == 0 && g.theta[120] == 6);

	assert_int_equal(csv_open_file(&c, fp), 0);
	while ((r = csv_next(&c)) == 1) {
		snprintf(ids, sizeof(ids), "%s",
		    csv_str(&c, csv_need(&c, "item_ids")));
		snprintf(resp, sizeof(resp), "%s",
		    csv_str(&c, csv_need(&c, "responses")));
		n = split_pattern(&bk, ids, resp, it, u);
		assert_int_equal(n, (size_t)getd(&c, "n_items"));

		eap = learn_irt_eap(&g, it, u, n, &psd);
		d_eap = fmax(d_eap, fabs(eap - getd(&c, "jscat_eap_theta")));
		d_grid = fmax(d_grid,
		    fabs(eap - getd(&c, "ref_eap_jscat_grid")));
		d_fine = fmax(d_fine, fabs(eap - getd(&c, "ref_eap_theta")));
		d_psd = fmax(d_psd, fabs(psd - getd(&c, "ref_eap_psd")));
		d_eapse = fmax(d_eapse, fabs(learn_irt_se(it, n, eap) -
		    getd(&c, "jscat_eap_se")));

		st = learn_irt_mle(it, u, n, -6, 6, &mle);
		x = getd(&c, "ref_mle_theta");
		if (getd(&c, "ref_mle_unbounded") == 1) {
			assert_int_equal(st, LEARN_IRT_MLE_INTERIOR);
			interior++;
		} else
			assert_int_equal(st, LEARN_IRT_MLE_BOUND);
		/* at a bound ref is +-6 up to its golden-section search */
		d_mle = fmax(d_mle, fabs(mle - x));
		d_jmle = fmax(d_jmle, fabs(mle - getd(&c, "jscat_mle_theta")));
		/* jscat's SE at jscat's own estimate */
		d_mlese = fmax(d_mlese, rel(learn_irt_se(it, n,
		    getd(&c, "jscat_mle_theta")), getd(&c, "jscat_mle_se")));
		rows++;
	}
	assert_int_equal(r, 0);
	csv_close(&c);
	fclose(fp);
	printf("patterns: %d (%d interior MLE); max abs dev: EAP vs jscat %.3g, "
	    "vs ref jscat grid %.3g, EAP SE %.3g, MLE vs exact %.3g; "
	    "MLE SE rel %.3g; info only: MLE vs jscat Powell %.3g, EAP vs "
	    "fine integral %.3g, PSD vs fine %.3g\n", rows, interior, d_eap,
	    d_grid, d_eapse, d_mle, d_mlese, d_jmle, d_fine, d_psd);
	assert_true(rows >= 100);
	assert_true(d_eap <= 1e-9);
	assert_true(d_grid <= 1e-9);
	assert_true(d_eapse <= 1e-9);
	assert_true(d_mle <= 1e-6);
	assert_true(d_mlese <= 1e-9);
	assert_true(d_jmle <= 0.03);
	assert_true(d_fine <= 1e-5);
	assert_true(d_psd <= 1e-4);
}

/* Reads a session file into parallel arrays (file order). */
struct srow {
	int		session, step, resp;
	size_t		item;
	double		theta, se, ref;
	int		has_ref;
};

static size_t
load_sessions(const struct bank *bk, const char *file, struct srow **out)
{
	struct csv c;
	FILE *fp = ref_open(file);
	struct srow *s = NULL;
	size_t n = 0, cap = 0;
	int r, cr;

	assert_int_equal(csv_open_file(&c, fp), 0);
	cr = csv_need(&c, "ref_theta_after");
	while ((r = csv_next(&c)) == 1) {
		if (n == cap) {
			cap = cap ? 2 * cap : 1024;
			s = realloc(s, cap * sizeof(*s));
			assert_non_null(s);
		}
		s[n].session = (int)getd(&c, "session_id");
		s[n].step = (int)getd(&c, "step");
		s[n].item = find(bk, csv_str(&c, csv_need(&c, "item_id")));
		s[n].resp = (int)getd(&c, "response");
		s[n].theta = getd(&c, "theta_after");
		s[n].se = getd(&c, "se_after");
		s[n].has_ref = !csv_is_na(&c, cr);
		s[n].ref = s[n].has_ref ? getd(&c, "ref_theta_after") : NAN;
		n++;
	}
	assert_int_equal(r, 0);
	csv_close(&c);
	fclose(fp);
	*out = s;
	return n;
}

static void
test_cat_sessions_eap(void **state)
{
	struct bank bk;
	struct learn_irt_bank *b;
	struct learn_irt_cat *cat = NULL;
	struct srow *s;
	size_t n, i, sessions = 0;
	double dth = 0, dse = 0, dref = 0;
	long pick;

	load_bank(&bk);
	n = load_sessions(&bk, "irt_cat_sessions_eap.csv", &s);
	assert_non_null(b = learn_irt_bank_new(bk.item, bk.n, NULL, 0));
	for (i = 0; i < n; i++) {
		if (s[i].step == 1) {
			learn_irt_cat_free(cat);
			assert_non_null(cat = learn_irt_cat_new(b,
			    LEARN_IRT_EAP));
			sessions++;
		}
		assert_int_equal(cat->n + 1, s[i].step);
		pick = learn_irt_cat_next(cat, NULL);
		if (pick != (long)s[i].item)
			fail_msg("session %d step %d: picked %s, jscat %s",
			    s[i].session, s[i].step, bk.id[pick],
			    bk.id[s[i].item]);
		assert_int_equal(learn_irt_cat_answer(cat, (size_t)pick,
		    s[i].resp), 0);
		dth = fmax(dth, fabs(cat->theta - s[i].theta));
		dse = fmax(dse, fabs(cat->se - s[i].se));
		dref = fmax(dref, fabs(cat->theta - s[i].ref));
	}
	learn_irt_cat_free(cat);
	learn_irt_bank_free(b);
	free(s);
	printf("CAT EAP: %zu sessions, %zu steps, all items as jscat; max abs "
	    "dev theta %.3g (vs ref %.3g), se %.3g\n", sessions, n, dth, dref,
	    dse);
	assert_true(n >= 1000);
	assert_true(dth <= 1e-9 && dref <= 1e-9 && dse <= 1e-9);
}

static void
test_cat_sessions_mle(void **state)
{
	struct bank bk;
	struct learn_irt_bank *b;
	struct learn_irt_cat *cat = NULL;
	struct srow *s;
	size_t n, i, nref = 0, own_same = 0;
	double dref = 0, dse = 0, jtheta = 0;
	long pick;

	load_bank(&bk);
	n = load_sessions(&bk, "irt_cat_sessions_mle.csv", &s);
	assert_non_null(b = learn_irt_bank_new(bk.item, bk.n, NULL, 0));
	for (i = 0; i < n; i++) {
		if (s[i].step == 1) {
			learn_irt_cat_free(cat);
			assert_non_null(cat = learn_irt_cat_new(b,
			    LEARN_IRT_MLE));
			jtheta = 0;
		}
		/* MFI over the remaining bank at jscat's own estimate */
		pick = learn_irt_select_item(b, cat->used, cat->count, cat->n,
		    jtheta, NULL);
		if (pick != (long)s[i].item)
			fail_msg("session %d step %d: picked %s, jscat %s",
			    s[i].session, s[i].step, bk.id[pick],
			    bk.id[s[i].item]);
		if (learn_irt_cat_next(cat, NULL) == pick)
			own_same++;
		assert_int_equal(learn_irt_cat_answer(cat, s[i].item,
		    s[i].resp), 0);
		if (s[i].has_ref) {
			assert_int_equal(cat->mle_status,
			    LEARN_IRT_MLE_INTERIOR);
			dref = fmax(dref, fabs(cat->theta - s[i].ref));
			nref++;
		} else
			assert_int_equal(cat->mle_status, LEARN_IRT_MLE_BOUND);
		jtheta = s[i].theta;
		dse = fmax(dse, rel(learn_irt_se(cat->item, cat->n, jtheta),
		    s[i].se));
	}
	learn_irt_cat_free(cat);
	learn_irt_bank_free(b);
	free(s);
	printf("CAT MLE (recorded items replayed): %zu steps, every pick at "
	    "jscat's theta = recorded item; theta vs exact MLE on %zu steps: "
	    "max abs dev %.3g; se at jscat's theta: max rel dev %.3g; info "
	    "only: pick at our own theta = recorded item on %zu of %zu\n", n,
	    nref, dref, dse, own_same, n);
	assert_true(n >= 500 && nref >= n / 2);
	assert_true(dref <= 1e-6);
	assert_true(dse <= 1e-9);
}

/* A random bank: a lognormal, b normal, c in [0, 0.3), d in (0.85, 1]. */
static struct learn_irt_item *
random_items(struct learn_rng *rng, size_t n, int with_d)
{
	struct learn_irt_item *it = malloc(n * sizeof(*it));
	size_t i;

	assert_non_null(it);
	for (i = 0; i < n; i++) {
		it[i].a = exp(0.4 * learn_rng_normal(rng));
		it[i].b = 1.5 * learn_rng_normal(rng);
		it[i].c = 0.3 * learn_rng_uniform(rng);
		it[i].d = with_d ? 1 - 0.15 * learn_rng_uniform(rng) : 1;
	}
	return it;
}

static void
test_p_and_info_properties(void **state)
{
	struct learn_rng rng;
	struct learn_irt_item *it;
	double th, p, v;
	size_t i;
	int k;

	learn_rng_seed(&rng, 11);
	it = random_items(&rng, 500, 1);
	for (i = 0; i < 500; i++) {
		if (i % 50 == 0)
			it[i].a = 3.5;	/* steep items far from b */
		for (k = 0; k <= 240; k++) {
			th = -6 + 0.05 * k;
			p = learn_irt_p(&it[i], th);
			v = learn_irt_info(&it[i], th);
			assert_true(p >= it[i].c && p <= it[i].d);
			assert_true(p >= 0 && p <= 1);
			assert_true(v > 0 && isfinite(v));
			assert_true(v <= it[i].a * it[i].a / 4);
		}
	}
	free(it);
}

/* Brute force: most informative unused item, ties by b then index. */
static long
brute_argmax(const struct learn_irt_item *it, size_t n,
    const unsigned char *used, double th)
{
	long best = -1;
	double bv = -1, v;
	size_t i;

	for (i = 0; i < n; i++) {
		if (used[i])
			continue;
		v = learn_irt_info(&it[i], th);
		if (best < 0 || v > bv || (v == bv && it[i].b < it[best].b)) {
			best = (long)i;
			bv = v;
		}
	}
	return best;
}

static void
test_select_equals_brute_force(void **state)
{
	struct learn_rng rng;
	struct learn_irt_item *it;
	struct learn_irt_bank *b;
	unsigned char used[3000];
	size_t n = 3000, i;
	double th;
	int rep;

	learn_rng_seed(&rng, 12);
	it = random_items(&rng, n, 0);
	/* a few exact ties: copies of item 0 with the same parameters */
	it[10] = it[0];
	it[20] = it[0];
	/* some 4PL items, whose runs cannot use the tail bound */
	for (i = 1; i < n; i += 97)
		it[i].d = 0.9;
	assert_non_null(b = learn_irt_bank_new(it, n, NULL, 0));
	for (rep = 0; rep < 600; rep++) {
		for (i = 0; i < n; i++)
			used[i] = learn_rng_uniform(&rng) < 0.3;
		/* theta anywhere, and often far out where runs are skipped */
		th = rep == 0 ? it[0].b : rep % 3 == 1 ?
		    (rep % 2 ? 6 : -6) * (0.7 + 0.3 * learn_rng_uniform(&rng)) :
		    -6 + 12 * learn_rng_uniform(&rng);
		if (rep == 0)
			used[0] = used[10] = used[20] = 0;
		assert_int_equal(learn_irt_select_item(b, used, NULL, 0, th,
		    NULL), brute_argmax(it, n, used, th));
	}
	memset(used, 1, n);
	assert_int_equal(learn_irt_select_item(b, used, NULL, 0, 0, NULL), -1);
	learn_irt_bank_free(b);
	/* items outside the model's range are refused */
	it[5].c = it[5].d;
	assert_null(learn_irt_bank_new(it, n, NULL, 0));
	it[5].c = 0;
	it[6].a = 0;
	assert_null(learn_irt_bank_new(it, n, NULL, 0));
	free(it);
}

static void
test_exposure_randomesque(void **state)
{
	struct learn_rng rng, draw;
	struct learn_irt_item *it;
	struct learn_irt_bank *b;
	struct learn_irt_select opt = { 5, NULL, NULL };
	unsigned char used[400], top[400];
	size_t n = 400, i, j, hits[400];
	long pick, best;
	double th = 0.3;
	int rep;

	learn_rng_seed(&rng, 13);
	learn_rng_seed(&draw, 14);
	opt.rng = &draw;
	it = random_items(&rng, n, 0);
	assert_non_null(b = learn_irt_bank_new(it, n, NULL, 0));

	/* the draws over a fixed pool: only the 5 best, each about 1/5 */
	memset(used, 0, n);
	for (i = 0; i < 50; i++)
		used[i * 7] = 1;
	memset(top, 0, n);
	memset(hits, 0, sizeof(hits));
	{
		unsigned char u2[400];

		memcpy(u2, used, n);
		for (j = 0; j < 5; j++) {
			best = brute_argmax(it, n, u2, th);
			top[best] = 1;
			u2[best] = 1;
		}
	}
	for (rep = 0; rep < 5000; rep++) {
		pick = learn_irt_select_item(b, used, NULL, 0, th, &opt);
		assert_true(pick >= 0 && !used[pick] && top[pick]);
		hits[pick]++;
	}
	for (i = 0; i < n; i++)
		if (top[i])
			assert_true(hits[i] > 850 && hits[i] < 1150);

	/* whole tests: never an administered item, until the bank is empty */
	for (rep = 0; rep < 3; rep++) {
		struct learn_irt_cat *cat = learn_irt_cat_new(b, LEARN_IRT_EAP);

		assert_non_null(cat);
		while ((pick = learn_irt_cat_next(cat, &opt)) >= 0) {
			assert_false(cat->used[pick]);
			assert_int_equal(learn_irt_cat_answer(cat,
			    (size_t)pick, learn_rng_uniform(&rng) <
			    learn_irt_p(&it[pick], 0.5)), 0);
		}
		assert_int_equal(cat->n, n);
		assert_int_equal(learn_irt_cat_stop(cat, 0, 0),
		    LEARN_IRT_STOP_EMPTY);
		learn_irt_cat_free(cat);
	}
	learn_irt_bank_free(b);
	free(it);
}

static void
test_content_balancing(void **state)
{
	static const double target[4] = { 0.5, 0.3, 0.2, 0 };
	struct learn_rng rng;
	struct learn_irt_item *it;
	struct learn_irt_bank *b;
	struct learn_irt_cat *cat;
	struct learn_irt_select opt = { 1, NULL, target };
	int skill[600], s, rep;
	size_t n = 600, i;
	long pick;
	double th;

	learn_rng_seed(&rng, 15);
	it = random_items(&rng, n, 0);
	for (i = 0; i < n; i++)
		skill[i] = (int)(i % 4);
	assert_non_null(b = learn_irt_bank_new(it, n, skill, 4));
	for (rep = 0; rep < 20; rep++) {
		th = learn_rng_normal(&rng);
		assert_non_null(cat = learn_irt_cat_new(b,
		    rep % 2 ? LEARN_IRT_MLE : LEARN_IRT_EAP));
		while (learn_irt_cat_stop(cat, 0, 40) == LEARN_IRT_GO) {
			pick = learn_irt_cat_next(cat, &opt);
			assert_true(pick >= 0 && !cat->used[pick]);
			assert_int_not_equal(skill[pick], 3);
			assert_int_equal(learn_irt_cat_answer(cat,
			    (size_t)pick, learn_rng_uniform(&rng) <
			    learn_irt_p(&it[pick], th)), 0);
			/* every prefix within one item of its target share */
			for (s = 0; s < 4; s++)
				assert_true(fabs((double)cat->count[s] -
				    target[s] * (double)cat->n) <= 1);
		}
		assert_int_equal(cat->n, 40);
		assert_int_equal(cat->count[0], 20);
		assert_int_equal(cat->count[1], 12);
		assert_int_equal(cat->count[2], 8);
		learn_irt_cat_free(cat);
	}
	/* a skill that runs out hands over to the others */
	for (i = 0; i < n; i++)
		skill[i] = i < 3 ? 0 : 1;
	learn_irt_bank_free(b);
	assert_non_null(b = learn_irt_bank_new(it, n, skill, 2));
	assert_non_null(cat = learn_irt_cat_new(b, LEARN_IRT_EAP));
	opt.target = (const double[2]){ 0.9, 0.1 };
	for (i = 0; i < 10; i++) {
		pick = learn_irt_cat_next(cat, &opt);
		assert_true(pick >= 0);
		if (i < 3)
			assert_int_equal(skill[pick], 0);
		assert_int_equal(learn_irt_cat_answer(cat, (size_t)pick,
		    (int)(i % 2)), 0);
	}
	assert_int_equal(cat->count[0], 3);
	learn_irt_cat_free(cat);
	learn_irt_bank_free(b);
	free(it);
}

static void
test_stopping_rules(void **state)
{
	struct learn_rng rng;
	struct learn_irt_item *it;
	struct learn_irt_bank *b;
	struct learn_irt_cat *cat;
	size_t n = 300;
	double prev;
	long pick;
	int rep, st;

	learn_rng_seed(&rng, 16);
	it = random_items(&rng, n, 0);
	assert_non_null(b = learn_irt_bank_new(it, n, NULL, 0));
	for (rep = 0; rep < 10; rep++) {
		assert_non_null(cat = learn_irt_cat_new(b, LEARN_IRT_EAP));
		assert_true(isinf(cat->se) && cat->theta == 0);
		assert_int_equal(learn_irt_cat_stop(cat, 0.3, 50),
		    LEARN_IRT_GO);
		prev = INFINITY;
		while ((st = learn_irt_cat_stop(cat, 0.3, 50)) ==
		    LEARN_IRT_GO) {
			assert_true(cat->se > 0.3);
			prev = cat->se;
			pick = learn_irt_cat_next(cat, NULL);
			assert_int_equal(learn_irt_cat_answer(cat,
			    (size_t)pick, learn_rng_uniform(&rng) < 0.5), 0);
		}
		if (st == LEARN_IRT_STOP_SE)
			assert_true(cat->se <= 0.3 && prev > 0.3);
		else {
			assert_int_equal(st, LEARN_IRT_STOP_MAX);
			assert_int_equal(cat->n, 50);
		}
		assert_true(cat->n <= 50);
		learn_irt_cat_free(cat);
	}
	/* max items alone: exactly that many */
	assert_non_null(cat = learn_irt_cat_new(b, LEARN_IRT_MLE));
	while (learn_irt_cat_stop(cat, 0, 7) == LEARN_IRT_GO)
		assert_int_equal(learn_irt_cat_answer(cat,
		    (size_t)learn_irt_cat_next(cat, NULL), (int)(cat->n % 2)),
		    0);
	assert_int_equal(cat->n, 7);
	assert_int_equal(learn_irt_cat_stop(cat, 0, 7), LEARN_IRT_STOP_MAX);
	/* bad answers are refused and change nothing */
	pick = learn_irt_cat_next(cat, NULL);
	assert_int_equal(learn_irt_cat_answer(cat, (size_t)pick, 2), -1);
	assert_int_equal(learn_irt_cat_answer(cat, cat->admin[0], 1), -1);
	assert_int_equal(learn_irt_cat_answer(cat, n, 1), -1);
	assert_int_equal(cat->n, 7);
	learn_irt_cat_free(cat);
	learn_irt_bank_free(b);
	free(it);
}

static void
test_incremental_eap_and_mle_edges(void **state)
{
	struct learn_rng rng;
	struct learn_irt_item *it;
	struct learn_irt_bank *b;
	struct learn_irt_cat *cat;
	struct learn_irt_grid g;
	unsigned char ones[5] = { 1, 1, 1, 1, 1 }, zeros[5] = { 0 };
	size_t n = 200, k;
	double th, eap;

	learn_rng_seed(&rng, 17);
	it = random_items(&rng, n, 1);
	assert_non_null(b = learn_irt_bank_new(it, n, NULL, 0));
	assert_non_null(cat = learn_irt_cat_new(b, LEARN_IRT_EAP));
	assert_int_equal(learn_irt_grid_jscat(&g, -6, 6, 0.1, 0, 1), 0);
	/* long tests do not underflow, and the O(grid) update is exact */
	for (k = 0; k < n; k++) {
		assert_int_equal(learn_irt_cat_answer(cat,
		    (size_t)learn_irt_cat_next(cat, NULL),
		    learn_rng_uniform(&rng) < 0.6), 0);
		eap = learn_irt_eap(&g, cat->item, cat->resp, cat->n, NULL);
		assert_true(isfinite(cat->theta));
		assert_true(fabs(cat->theta - eap) <= 1e-12);
		assert_true(fabs(cat->se - learn_irt_se(cat->item, cat->n,
		    cat->theta)) <= 1e-15);
	}
	learn_irt_cat_free(cat);
	learn_irt_bank_free(b);

	assert_int_equal(learn_irt_mle(it, ones, 5, -6, 6, &th),
	    LEARN_IRT_MLE_BOUND);
	assert_true(th == 6);
	assert_int_equal(learn_irt_mle(it, zeros, 5, -6, 6, &th),
	    LEARN_IRT_MLE_BOUND);
	assert_true(th == -6);
	assert_int_equal(learn_irt_mle(it, ones, 0, -6, 6, &th),
	    LEARN_IRT_MLE_NONE);
	/* absurdly steep items: P, 1 - P underflow, nothing turns NaN */
	{
		struct learn_irt_item st[2] = { { 300, -1, 0, 1 },
		    { 300, 1, 0, 1 } };
		unsigned char u[2] = { 1, 0 };

		assert_true(learn_irt_info(&st[0], 6) == 0);
		assert_true(learn_irt_info(&st[0], -6) == 0);
		assert_true(learn_irt_mle(st, u, 2, -6, 6, &th) ==
		    LEARN_IRT_MLE_INTERIOR);
		assert_true(th > -1 && th < 1);
		eap = learn_irt_eap(&g, st, u, 2, NULL);
		assert_true(eap > -1 && eap < 1);
		u[0] = 0;
		u[1] = 1;	/* contradictory: finite, in bounds */
		assert_true(learn_irt_mle(st, u, 2, -6, 6, &th) !=
		    LEARN_IRT_MLE_NONE);
		assert_true(th >= -6 && th <= 6);
	}
	/* no items: EAP is the prior mean */
	assert_true(fabs(learn_irt_eap(&g, it, ones, 0, NULL)) < 1e-12);
	assert_int_equal(learn_irt_grid_jscat(&g, -6, 6, 0, 0, 1), -1);
	assert_int_equal(learn_irt_grid_jscat(&g, -6, 6, 0.1, 0, 0), -1);
	assert_int_equal(learn_irt_grid_jscat(&g, -600, 600, 0.1, 0, 1), -1);
	free(it);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_item_info_grid),
		cmocka_unit_test(test_ability_patterns),
		cmocka_unit_test(test_cat_sessions_eap),
		cmocka_unit_test(test_cat_sessions_mle),
		cmocka_unit_test(test_p_and_info_properties),
		cmocka_unit_test(test_select_equals_brute_force),
		cmocka_unit_test(test_exposure_randomesque),
		cmocka_unit_test(test_content_balancing),
		cmocka_unit_test(test_stopping_rules),
		cmocka_unit_test(test_incremental_eap_and_mle_edges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
