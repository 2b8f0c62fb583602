/*
 * anomaly: see anomaly.h.  Every detector makes one pass to count and a
 * second one, only for the flagged, to gather evidence, so the scratch it
 * allocates is per learner or per item, never per learner and item except
 * in the similarity matrix (learners x items shorts).
 */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "learn/anomaly.h"

#define MAD_SD	1.4826	/* MAD to SD for a normal */
/* the same once cut at +/- LEARN_ANOMALY_TRIM SDs:
 * P(|Z| < 0.6396 | |Z| < 2) = 1/2 */
#define MAD_SD_TRIM	1.5635

void
learn_anomaly_params_default(struct learn_anomaly_params *p)
{
	memset(p, 0, sizeof(*p));
	p->fast_item_z = 3.0;
	p->fast_learner_z = 3.0;
	p->fast_min_item_n = 10;
	p->fast_min_learner_n = 8;
	p->fast_min_flagged = 3;
	p->fast_share = 0.1;
	p->fast_accuracy = 0.7;
	p->sim_z = 4.0;
	p->sim_min_shared = 4;
	p->sim_copy_rate = 0.8;
	p->burst_signup_window = 3600;
	p->burst_signup_max = 5;
	p->burst_attempt_window = 600;
	p->burst_attempt_max = 20;
	p->guess_rapid_frac = 0.1;
	p->guess_rapid_ms = 10000;
	p->guess_min_n = 8;
	p->guess_chance_z = 2.0;
	p->guess_rapid_share = 0.5;
	p->guess_pos_share = 0.8;
}

const char *
learn_anomaly_kind_name(enum learn_anomaly_kind k)
{
	static const char *const names[LEARN_ANOMALY__MAX] = {
		"fast_correct", "similarity", "burst", "guessing"
	};

	if ((int)k < 0 || k >= LEARN_ANOMALY__MAX)
		return NULL;
	return names[k];
}

static int
timed(double ms)
{
	return ms > 0 && isfinite(ms);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}


/* Median of sorted x[0 .. n-1], n >= 1. */
static double
sorted_median(const double *x, size_t n)
{
	if (n % 2)
		return x[n / 2];
	return (x[n / 2 - 1] + x[n / 2]) / 2;
}

/* Median of x[0 .. n-1], n >= 1; sorts x. */
static double
median(double *x, size_t n)
{
	qsort(x, n, sizeof(*x), cmp_double);
	return sorted_median(x, n);
}

/*
 * MAD of sorted x[0 .. n-1] about m, without scratch: the deviations are
 * two sorted runs going out from m, merged until the middle one(s).
 */
static double
sorted_mad(const double *x, size_t n, double m)
{
	size_t lo = 0, hi = n, want = n / 2, k;
	double d = 0, prev = 0;

	/* lo: the first element >= m; left run below it */
	while (lo < hi) {
		k = lo + (hi - lo) / 2;
		if (x[k] < m)
			lo = k + 1;
		else
			hi = k;
	}
	hi = lo;	/* right run x[hi ..], left run x[.. lo - 1] */
	for (k = 0; k <= want; k++) {
		prev = d;
		if (hi < n && (lo == 0 || x[hi] - m <= m - x[lo - 1]))
			d = x[hi++] - m;
		else
			d = m - x[--lo];
	}
	return n % 2 ? d : (prev + d) / 2;
}

/*
 * The robust fit of n finite log values in x (sorted in place): median
 * and MAD, then again over the values within LEARN_ANOMALY_TRIM sigmas of
 * that median, until the kept range stops moving (a few rounds), so that a
 * third of a learner's answers given from leaked keys neither drags the
 * centre nor widens the spread they are judged by.
 */
static void
fit_logs(double *x, size_t n, struct learn_anomaly_lognorm *out)
{
	double mu, s;
	size_t lo = 0, hi = n, nlo, nhi;
	int round;

	out->mu = 0;
	out->sigma = LEARN_ANOMALY_SIGMA_MIN;
	out->n = (int)n;
	if (n == 0)
		return;
	qsort(x, n, sizeof(*x), cmp_double);
	mu = sorted_median(x, n);
	s = MAD_SD * sorted_mad(x, n, mu);
	for (round = 0; round < 10; round++) {
		if (s < LEARN_ANOMALY_SIGMA_MIN)
			s = LEARN_ANOMALY_SIGMA_MIN;
		for (nlo = 0; nlo < n && x[nlo] < mu - LEARN_ANOMALY_TRIM * s;
		    nlo++)
			;
		for (nhi = n; nhi > nlo &&
		    x[nhi - 1] > mu + LEARN_ANOMALY_TRIM * s; nhi--)
			;
		if (nhi == nlo || (nlo == lo && nhi == hi))
			break;
		lo = nlo;
		hi = nhi;
		mu = sorted_median(x + lo, hi - lo);
		s = MAD_SD_TRIM * sorted_mad(x + lo, hi - lo, mu);
	}
	out->mu = mu;
	out->sigma = s > LEARN_ANOMALY_SIGMA_MIN ? s : LEARN_ANOMALY_SIGMA_MIN;
}

void
learn_anomaly_lognorm_fit(double *ms, size_t n,
    struct learn_anomaly_lognorm *out)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		if (timed(ms[i]))
			ms[k++] = log(ms[i]);
	fit_logs(ms, k, out);
}

static int
valid(const struct learn_anomaly_response *r, int nitems, int nlearners)
{
	return r->item >= 0 && r->item < nitems && r->learner >= 0 &&
	    r->learner < nlearners && r->option < LEARN_ANOMALY_OPTIONS_MAX;
}

/*
 * Groups one value per timed response by key (item or learner) into buf,
 * using off (nkeys + 1) as the bucket starts.  The value is log ms, less
 * the item's mu when items is not NULL and the learner's mu when learners
 * is not NULL.
 */
static void
bucket(const struct learn_anomaly_response *r, size_t n, int by_item,
    int nkeys, const struct learn_anomaly_item *items,
    const struct learn_anomaly_lognorm *learners, size_t *off, size_t *fill,
    double *buf)
{
	size_t i;
	int k;

	memset(off, 0, (size_t)(nkeys + 1) * sizeof(*off));
	for (i = 0; i < n; i++)
		if (timed(r[i].ms))
			off[(by_item ? r[i].item : r[i].learner) + 1]++;
	for (k = 0; k < nkeys; k++)
		off[k + 1] += off[k];
	memcpy(fill, off, (size_t)nkeys * sizeof(*fill));
	for (i = 0; i < n; i++) {
		if (!timed(r[i].ms))
			continue;
		k = by_item ? r[i].item : r[i].learner;
		buf[fill[k]++] = log(r[i].ms) -
		    (items != NULL ? items[r[i].item].t.mu : 0) -
		    (learners != NULL ? learners[r[i].learner].mu : 0);
	}
}

int
learn_anomaly_fit_times(const struct learn_anomaly_response *r, size_t n,
    struct learn_anomaly_item *items, int nitems,
    struct learn_anomaly_lognorm *learners, int nlearners)
{
	struct learn_anomaly_lognorm res;
	size_t *off = NULL, *fill = NULL, i, nk;
	double *buf = NULL;
	int k, rc = -1;

	if (nitems < 0 || nlearners < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (!valid(&r[i], nitems, nlearners))
			return -1;
	nk = (size_t)(nitems > nlearners ? nitems : nlearners);
	off = malloc((nk + 1) * sizeof(*off));
	fill = malloc((nk + 1) * sizeof(*fill));
	buf = malloc((n + 1) * sizeof(*buf));
	if (off == NULL || fill == NULL || buf == NULL)
		goto out;
	bucket(r, n, 1, nitems, NULL, NULL, off, fill, buf);
	for (k = 0; k < nitems; k++)
		fit_logs(buf + off[k], off[k + 1] - off[k], &items[k].t);
	bucket(r, n, 0, nlearners, items, NULL, off, fill, buf);
	for (k = 0; k < nlearners; k++)
		fit_logs(buf + off[k], off[k + 1] - off[k], &learners[k]);
	bucket(r, n, 1, nitems, items, learners, off, fill, buf);
	for (k = 0; k < nitems; k++) {
		fit_logs(buf + off[k], off[k + 1] - off[k], &res);
		items[k].sigma_res = res.sigma;
	}
	rc = 0;
out:
	free(off);
	free(fill);
	free(buf);
	return rc;
}

int
learn_anomaly_fast_check(const struct learn_anomaly_response *r,
    const struct learn_anomaly_item *item,
    const struct learn_anomaly_lognorm *l,
    const struct learn_anomaly_params *p, struct learn_anomaly_fast_ev *ev)
{
	const struct learn_anomaly_lognorm *it = &item->t;
	struct learn_anomaly_fast_ev e;
	double x, sr;

	memset(&e, 0, sizeof(e));
	e.item = r->item;
	e.ms = r->ms;
	e.median_ms = exp(it->mu);
	if (ev != NULL)
		*ev = e;
	if (!timed(r->ms) || it->n < p->fast_min_item_n ||
	    l->n < p->fast_min_learner_n)
		return 0;
	x = log(r->ms);
	e.z_item = (x - it->mu) / it->sigma;
	sr = item->sigma_res > LEARN_ANOMALY_SIGMA_MIN ? item->sigma_res :
	    LEARN_ANOMALY_SIGMA_MIN;
	e.z_learner = (x - it->mu - l->mu) / sr;
	if (ev != NULL)
		*ev = e;
	return e.z_item <= -p->fast_item_z && e.z_learner <= -p->fast_learner_z;
}

/* Starts a flag of kind k on learner l. */
static void
flag_init(struct learn_anomaly_flag *f, enum learn_anomaly_kind k, int l)
{
	memset(f, 0, sizeof(*f));
	f->kind = k;
	f->learner[0] = l;
	f->learner[1] = -1;
}

int
learn_anomaly_fast_correct(const struct learn_anomaly_response *r, size_t n,
    const struct learn_anomaly_item *items, int nitems,
    const struct learn_anomaly_lognorm *learners, int nlearners,
    const struct learn_anomaly_params *p, struct learn_anomaly_flag *out,
    size_t nout)
{
	struct learn_anomaly_fast_ev e;
	struct learn_anomaly_flag *f;
	int *cnt, l, j, nflags = 0;
	size_t i;

	if (nitems < 0 || nlearners < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (!valid(&r[i], nitems, nlearners))
			return -1;
	/* per learner: timed correct, fast, fast and correct */
	if ((cnt = calloc((size_t)nlearners * 3 + 1, sizeof(*cnt))) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		l = r[i].learner;
		if (r[i].correct && timed(r[i].ms))
			cnt[3 * l]++;
		if (learn_anomaly_fast_check(&r[i], &items[r[i].item],
		    &learners[l], p, NULL)) {
			cnt[3 * l + 1]++;
			if (r[i].correct)
				cnt[3 * l + 2]++;
		}
	}
	for (l = 0; l < nlearners; l++) {
		int nc = cnt[3 * l], nf = cnt[3 * l + 1], nfc = cnt[3 * l + 2];

		if (nfc < p->fast_min_flagged || nfc == 0 ||
		    (double)nfc < p->fast_share * nc ||
		    (double)nfc < p->fast_accuracy * nf)
			continue;
		if ((size_t)nflags++ >= nout)
			continue;
		f = &out[nflags - 1];
		flag_init(f, LEARN_ANOMALY_FAST_CORRECT, l);
		f->score = (double)nfc / nc;
		f->u.fast.ncorrect = nc;
		f->u.fast.nfast = nf;
		f->u.fast.nflagged = nfc;
		/* the most extreme by z_item, kept sorted by insertion */
		for (i = 0; i < n; i++) {
			if (r[i].learner != l || !r[i].correct ||
			    !learn_anomaly_fast_check(&r[i],
			    &items[r[i].item], &learners[l], p, &e))
				continue;
			j = f->u.fast.nev;
			if (j == LEARN_ANOMALY_EV_MAX) {
				if (e.z_item >= f->u.fast.ev[j - 1].z_item)
					continue;
				j--;
			} else
				f->u.fast.nev++;
			for (; j > 0 && f->u.fast.ev[j - 1].z_item > e.z_item;
			    j--)
				f->u.fast.ev[j] = f->u.fast.ev[j - 1];
			f->u.fast.ev[j] = e;
		}
	}
	free(cnt);
	return nflags;
}

/* Rapid by Wise's normative threshold, when the item's fit is good. */
static int
rapid(const struct learn_anomaly_response *r,
    const struct learn_anomaly_item *it, const struct learn_anomaly_params *p)
{
	double lim = p->guess_rapid_ms;

	if (!timed(r->ms))
		return 0;
	if (it->t.n >= p->fast_min_item_n &&
	    p->guess_rapid_frac * exp(it->t.mu) < lim)
		lim = p->guess_rapid_frac * exp(it->t.mu);
	return r->ms < lim;
}

#define ANS_WRONG	0x100	/* similarity matrix: a wrong option */

int
learn_anomaly_similarity(const struct learn_anomaly_response *r, size_t n,
    const struct learn_anomaly_item *items, int nitems, int nlearners,
    const struct learn_anomaly_params *p, struct learn_anomaly_flag *out,
    size_t nout)
{
	struct learn_anomaly_flag f, *fo;
	struct learn_anomaly_sim_ev e;
	short *ans = NULL, *aa, *bb;
	int *cnt = NULL, *wcnt = NULL, *tot = NULL, *key = NULL;
	int a, b, i, o, j, nopt, nflags = -1;
	double cr, miss;
	size_t k, ni = (size_t)nitems;

	if (nitems < 0 || nlearners < 0)
		return -1;
	for (k = 0; k < n; k++)
		if (!valid(&r[k], nitems, nlearners))
			return -1;
	ans = malloc(((size_t)nlearners * ni + 1) * sizeof(*ans));
	cnt = calloc(ni * LEARN_ANOMALY_OPTIONS_MAX + 1, sizeof(*cnt));
	wcnt = calloc(ni * LEARN_ANOMALY_OPTIONS_MAX + 1, sizeof(*wcnt));
	tot = calloc(2 * ni + 1, sizeof(*tot));
	key = malloc((ni + 1) * sizeof(*key));
	if (ans == NULL || cnt == NULL || wcnt == NULL || tot == NULL ||
	    key == NULL)
		goto out;
	for (k = 0; k < (size_t)nlearners * ni; k++)
		ans[k] = -1;
	for (i = 0; i < nitems; i++)
		key[i] = -1;
	for (k = 0; k < n; k++) {
		if (r[k].option < 0 || (items != NULL &&
		    rapid(&r[k], &items[r[k].item], p)))
			continue;
		ans[(size_t)r[k].learner * ni + (size_t)r[k].item] =
		    (short)(r[k].option | (r[k].correct ? 0 : ANS_WRONG));
	}
	for (k = 0; k < (size_t)nlearners * ni; k++) {
		if (ans[k] < 0)
			continue;
		i = (int)(k % ni);
		o = ans[k] & 0xff;
		cnt[i * LEARN_ANOMALY_OPTIONS_MAX + o]++;
		tot[2 * i]++;
		if (ans[k] & ANS_WRONG) {
			wcnt[i * LEARN_ANOMALY_OPTIONS_MAX + o]++;
			tot[2 * i + 1]++;
		} else
			key[i] = o;
	}
	cr = p->sim_copy_rate;
	miss = log(1 - cr);
	nflags = 0;
	for (a = 0; a < nlearners; a++) {
		aa = ans + (size_t)a * ni;
		for (b = a + 1; b < nlearners; b++) {
			double var = 0;

			bb = ans + (size_t)b * ni;
			flag_init(&f, LEARN_ANOMALY_SIMILARITY, a);
			f.learner[1] = b;
			for (i = 0; i < nitems; i++) {
				const int *c, *w;
				double ex = 0, ex2 = 0, nn, nw, q, pw, m;
				int kw;

				if (aa[i] < 0 || bb[i] < 0)
					continue;
				f.u.sim.ncommon++;
				if (!(aa[i] & ANS_WRONG) ||
				    !(bb[i] & ANS_WRONG))
					continue;
				f.u.sim.nbothwrong++;
				c = cnt + i * LEARN_ANOMALY_OPTIONS_MAX;
				w = wcnt + i * LEARN_ANOMALY_OPTIONS_MAX;
				nopt = items != NULL ? items[i].noptions : 0;
				for (o = 0; o < LEARN_ANOMALY_OPTIONS_MAX; o++)
					if (c[o] > 0 && o >= nopt)
						nopt = o + 1;
				kw = nopt - (key[i] >= 0 ? 1 : 0);
				/* the pair left out of the shares */
				nn = tot[2 * i] - 2;
				nw = tot[2 * i + 1] - 2;
				e.item = i;
				e.option = -1;
				e.p = 1;
				for (o = 0, m = 0; o < nopt; o++) {
					int both = ((aa[i] & 0xff) == o) +
					    ((bb[i] & 0xff) == o);

					if (o == key[i])
						continue;
					q = (w[o] - both + 1) / (nw + kw);
					pw = log(cr / q + 1 - cr);
					m += q * q;
					ex += q * q * pw;
					ex2 += q * q * pw * pw;
					if (both == 2) {
						e.option = o;
						e.p = (c[o] - 2) / (nn > 0 ?
						    nn : 1);
						f.u.sim.weight += pw;
					}
				}
				ex += (1 - m) * miss;
				ex2 += (1 - m) * miss * miss;
				if (e.option < 0)
					f.u.sim.weight += miss;
				f.u.sim.expected += ex;
				var += ex2 - ex * ex;
				if (e.option < 0)
					continue;
				f.u.sim.nshared++;
				j = f.u.sim.nev;
				if (j == LEARN_ANOMALY_EV_MAX) {
					if (e.p >= f.u.sim.ev[j - 1].p)
						continue;
					j--;
				} else
					f.u.sim.nev++;
				for (; j > 0 && f.u.sim.ev[j - 1].p > e.p; j--)
					f.u.sim.ev[j] = f.u.sim.ev[j - 1];
				f.u.sim.ev[j] = e;
			}
			f.u.sim.sd = sqrt(var > 0 ? var : 0);
			if (f.u.sim.sd > 0)
				f.score = (f.u.sim.weight - f.u.sim.expected) /
				    f.u.sim.sd;
			else
				f.score = 0;
			if (f.score < p->sim_z ||
			    f.u.sim.nshared < p->sim_min_shared)
				continue;
			if ((size_t)nflags++ >= nout)
				continue;
			fo = &out[nflags - 1];
			*fo = f;
		}
	}
out:
	free(ans);
	free(cnt);
	free(wcnt);
	free(tot);
	free(key);
	return nflags;
}

static int
cmp_event(const void *a, const void *b)
{
	const struct learn_anomaly_event *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	if (c != 0)
		return c;
	return (x->t > y->t) - (x->t < y->t);
}

int
learn_anomaly_bursts(struct learn_anomaly_event *ev, size_t n,
    enum learn_anomaly_event_kind what, const struct learn_anomaly_params *p,
    struct learn_anomaly_flag *out, size_t nout)
{
	struct learn_anomaly_flag *f;
	size_t s, e, i, j, bi, bj;
	double window;
	int max, nflags = 0;

	switch (what) {
	case LEARN_ANOMALY_EVENT_SIGNUP:
		window = p->burst_signup_window;
		max = p->burst_signup_max;
		break;
	case LEARN_ANOMALY_EVENT_ATTEMPT:
		window = p->burst_attempt_window;
		max = p->burst_attempt_max;
		break;
	default:
		return -1;
	}
	for (i = 0; i < n; i++)
		if (ev[i].key == NULL || !isfinite(ev[i].t))
			return -1;
	qsort(ev, n, sizeof(*ev), cmp_event);
	for (s = 0; s < n; s = e) {
		for (e = s + 1; e < n && strcmp(ev[e].key, ev[s].key) == 0; e++)
			;
		/* two pointers: [i, j] is the window ending at event j */
		bi = bj = s;
		for (i = s, j = s; j < e; j++) {
			while (ev[j].t - ev[i].t > window)
				i++;
			if (j - i > bj - bi) {
				bi = i;
				bj = j;
			}
		}
		if ((double)(bj - bi + 1) <= (double)max)
			continue;
		if ((size_t)nflags++ >= nout)
			continue;
		f = &out[nflags - 1];
		flag_init(f, LEARN_ANOMALY_BURST, -1);
		f->u.burst.key = ev[s].key;
		f->u.burst.what = what;
		f->u.burst.count = (int)(bj - bi + 1);
		f->u.burst.max = max;
		f->u.burst.window = window;
		f->u.burst.first = ev[bi].t;
		f->u.burst.last = ev[bj].t;
		f->score = max > 0 ? (double)f->u.burst.count / max :
		    (double)f->u.burst.count;
	}
	return nflags;
}

/* Per-learner tallies for guessing. */
struct guess_tally {
	int	n;
	int	ncorrect;
	int	nanswered;
	int	ntimed;
	int	nrapid;
	double	chance;
	double	var;
	int	pos[LEARN_ANOMALY_OPTIONS_MAX];
};

int
learn_anomaly_guessing(const struct learn_anomaly_response *r, size_t n,
    const struct learn_anomaly_item *items, int nitems, int nlearners,
    const struct learn_anomaly_params *p, struct learn_anomaly_flag *out,
    size_t nout)
{
	struct guess_tally *g = NULL, *t;
	struct learn_anomaly_flag *f;
	double *buf = NULL, pc, rs, ps, z;
	size_t i, k;
	int l, o, best, nflags = -1;

	if (nitems < 0 || nlearners < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (!valid(&r[i], nitems, nlearners))
			return -1;
	g = calloc((size_t)nlearners + 1, sizeof(*g));
	buf = malloc((n + 1) * sizeof(*buf));
	if (g == NULL || buf == NULL)
		goto out;
	for (i = 0; i < n; i++) {
		t = &g[r[i].learner];
		o = items[r[i].item].noptions;
		pc = 1.0 / (o >= 2 ? o : 2);
		t->n++;
		t->ncorrect += r[i].correct != 0;
		t->chance += pc;
		t->var += pc * (1 - pc);
		if (r[i].option >= 0) {
			t->nanswered++;
			t->pos[r[i].option]++;
		}
		if (timed(r[i].ms)) {
			t->ntimed++;
			t->nrapid += rapid(&r[i], &items[r[i].item], p);
		}
	}
	nflags = 0;
	for (l = 0; l < nlearners; l++) {
		t = &g[l];
		if (t->n < p->guess_min_n || t->n == 0)
			continue;
		z = (t->ncorrect - t->chance) / sqrt(t->var);
		for (best = 0, o = 1; o < LEARN_ANOMALY_OPTIONS_MAX; o++)
			if (t->pos[o] > t->pos[best])
				best = o;
		rs = t->ntimed > 0 ? (double)t->nrapid / t->ntimed : 0;
		ps = t->nanswered > 0 ? (double)t->pos[best] / t->nanswered :
		    0;
		if (z >= p->guess_chance_z || (rs < p->guess_rapid_share &&
		    ps < p->guess_pos_share))
			continue;
		if ((size_t)nflags++ >= nout)
			continue;
		f = &out[nflags - 1];
		flag_init(f, LEARN_ANOMALY_GUESSING, l);
		f->score = rs > ps ? rs : ps;
		f->u.guess.n = t->n;
		f->u.guess.ncorrect = t->ncorrect;
		f->u.guess.chance = t->chance;
		f->u.guess.z = z;
		f->u.guess.ntimed = t->ntimed;
		f->u.guess.nrapid = t->nrapid;
		f->u.guess.position = best;
		f->u.guess.npos = t->pos[best];
		for (i = 0, k = 0; i < n; i++)
			if (r[i].learner == l && timed(r[i].ms))
				buf[k++] = r[i].ms;
		f->u.guess.median_ms = k > 0 ? median(buf, k) : 0;
	}
out:
	free(g);
	free(buf);
	return nflags;
}

/* snprintf into buf at *len, keeping the total needed in *len. */
static void
put(char *buf, size_t size, int *len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
put(char *buf, size_t size, int *len, const char *fmt, ...)
{
	va_list ap;
	int m;

	va_start(ap, fmt);
	if ((size_t)*len < size)
		m = vsnprintf(buf + *len, size - (size_t)*len, fmt, ap);
	else
		m = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (m > 0)
		*len += m;
}

static void
put_learner(char *buf, size_t size, int *len, const char *const *names,
    int l)
{
	if (names != NULL)
		put(buf, size, len, "%s", names[l]);
	else
		put(buf, size, len, "learner #%d", l);
}

static void
put_item(char *buf, size_t size, int *len, const char *const *names, int i)
{
	if (names != NULL)
		put(buf, size, len, "%s", names[i]);
	else
		put(buf, size, len, "item #%d", i);
}

static void
put_time(char *buf, size_t size, int *len, double t)
{
	struct tm tm;
	time_t s = (time_t)floor(t);
	char iso[32];

	if (gmtime_r(&s, &tm) == NULL ||
	    strftime(iso, sizeof(iso), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		put(buf, size, len, "%.0f", t);
	else
		put(buf, size, len, "%s", iso);
}

/* Position o as a letter when there are few, else as a number. */
static void
put_option(char *buf, size_t size, int *len, int o)
{
	if (o >= 0 && o < 26)
		put(buf, size, len, "%c", 'A' + o);
	else
		put(buf, size, len, "%d", o + 1);
}

int
learn_anomaly_format(const struct learn_anomaly_flag *f,
    const char *const *ln, const char *const *in, char *buf, size_t size)
{
	static const char *const what[LEARN_ANOMALY_EVENT__MAX] = {
		"sign-ups", "attempt starts"
	};
	int len = 0, j;

	if (size > 0)
		buf[0] = '\0';
	switch (f->kind) {
	case LEARN_ANOMALY_FAST_CORRECT:
		put_learner(buf, size, &len, ln, f->learner[0]);
		put(buf, size, &len, ": %d of %d timed correct answers were "
		    "implausibly fast for the item and for this learner "
		    "(%.0f%%; %d fast answers in all).", f->u.fast.nflagged,
		    f->u.fast.ncorrect, 100 * f->score, f->u.fast.nfast);
		for (j = 0; j < f->u.fast.nev; j++) {
			const struct learn_anomaly_fast_ev *e =
			    &f->u.fast.ev[j];

			put(buf, size, &len, j == 0 ? " " : "; ");
			put_item(buf, size, &len, in, e->item);
			put(buf, size, &len, ": %.0f ms against a median of "
			    "%.0f ms (z %.1f for the item, %.1f for the "
			    "learner)", e->ms, e->median_ms, e->z_item,
			    e->z_learner);
		}
		if (f->u.fast.nev > 0)
			put(buf, size, &len, ".");
		break;
	case LEARN_ANOMALY_SIMILARITY:
		put_learner(buf, size, &len, ln, f->learner[0]);
		put(buf, size, &len, " and ");
		put_learner(buf, size, &len, ln, f->learner[1]);
		put(buf, size, &len, ": %d identical wrong answers among the "
		    "%d items both got wrong (%d answered by both); evidence "
		    "%.1f against %.1f +/- %.1f by chance (z %.1f).",
		    f->u.sim.nshared, f->u.sim.nbothwrong, f->u.sim.ncommon,
		    f->u.sim.weight, f->u.sim.expected, f->u.sim.sd, f->score);
		for (j = 0; j < f->u.sim.nev; j++) {
			const struct learn_anomaly_sim_ev *e = &f->u.sim.ev[j];

			put(buf, size, &len, j == 0 ? " " : "; ");
			put_item(buf, size, &len, in, e->item);
			put(buf, size, &len, ": option ");
			put_option(buf, size, &len, e->option);
			put(buf, size, &len, ", chosen by %.1f%% of the other "
			    "takers", 100 * e->p);
		}
		if (f->u.sim.nev > 0)
			put(buf, size, &len, ".");
		break;
	case LEARN_ANOMALY_BURST:
		put(buf, size, &len, "%d %s from %s within %.0f s (more than "
		    "%d is a burst): first at ", f->u.burst.count,
		    (int)f->u.burst.what >= 0 &&
		    f->u.burst.what < LEARN_ANOMALY_EVENT__MAX ?
		    what[f->u.burst.what] : "events",
		    f->u.burst.key != NULL ? f->u.burst.key : "?",
		    f->u.burst.window, f->u.burst.max);
		put_time(buf, size, &len, f->u.burst.first);
		put(buf, size, &len, ", last at ");
		put_time(buf, size, &len, f->u.burst.last);
		put(buf, size, &len, ".");
		break;
	case LEARN_ANOMALY_GUESSING:
		put_learner(buf, size, &len, ln, f->learner[0]);
		put(buf, size, &len, ": %d of %d correct where guessing "
		    "gives %.1f (z %.1f); %d of %d timed answers rapid; "
		    "position ", f->u.guess.ncorrect, f->u.guess.n,
		    f->u.guess.chance, f->u.guess.z, f->u.guess.nrapid,
		    f->u.guess.ntimed);
		put_option(buf, size, &len, f->u.guess.position);
		put(buf, size, &len, " chosen %d times; median time %.0f ms.",
		    f->u.guess.npos, f->u.guess.median_ms);
		break;
	default:
		return -1;
	}
	return len;
}
