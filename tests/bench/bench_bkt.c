/*
 * bench_bkt: BKT filter throughput, EM fit time and Elo update throughput
 * on one core, wall-clock by clock_gettime(CLOCK_MONOTONIC).
 *
 * Data: bkt_synthetic.csv from $ADEPT_REF_DIR (default
 * ../shared/reference/algorithms, relative to the repository root), grouped
 * by skill, user and opportunity.  The folder holds about half of the
 * 49,671-row set, so the fit is also timed on that half stacked twice
 * (every sequence repeated as a new user: ~50k rows; same maximum, same
 * EM path, twice the work per step).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/csv.h"
#include "learn/bkt.h"
#include "learn/elo.h"

#define MAXSKILL	16

struct row {
	int	skill, user, opp;
	size_t	idx;
};

struct data {
	size_t			 n;
	int			 nskill;
	char			 name[MAXSKILL][32];
	struct row		*row;
	unsigned char		*correct;		/* grouped */
	size_t			*start[MAXSKILL];
	struct learn_bkt_seqs	 seqs[MAXSKILL];
};

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

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

static void
die(const char *what, const char *msg)
{
	fprintf(stderr, "bench_bkt: %s: %s\n", what, msg);
	exit(1);
}

/* Loads path; with copies = 2 every sequence appears twice. */
static void
load(struct data *d, const char *path, int copies)
{
	struct csv c;
	FILE *fp;
	size_t cap = 1 << 16, i, s0, k;
	int r, cs, cu, co, cc, sk, maxuser = 0;
	unsigned char *cf;

	memset(d, 0, sizeof(*d));
	if ((fp = fopen(path, "r")) == NULL)
		die(path, "cannot open");
	if (csv_open_file(&c, fp) == -1)
		die(path, csv_error(&c));
	if ((cs = csv_need(&c, "skill_name")) < 0 ||
	    (cu = csv_need(&c, "user_id")) < 0 ||
	    (co = csv_need(&c, "opportunity")) < 0 ||
	    (cc = csv_need(&c, "correct")) < 0)
		die(path, csv_error(&c));
	d->row = malloc(cap * sizeof(*d->row));
	cf = malloc(cap);
	while ((r = csv_next(&c)) == 1) {
		if (d->n == cap) {
			cap *= 2;
			d->row = realloc(d->row, cap * sizeof(*d->row));
			cf = realloc(cf, cap);
		}
		for (sk = 0; sk < d->nskill; sk++)
			if (strcmp(csv_str(&c, cs), d->name[sk]) == 0)
				break;
		if (sk == d->nskill) {
			if (sk == MAXSKILL)
				die(path, "too many skills");
			snprintf(d->name[sk], sizeof(d->name[sk]), "%s",
			    csv_str(&c, cs));
			d->nskill++;
		}
		d->row[d->n].skill = sk;
		if (csv_int(&c, cu, &d->row[d->n].user) == -1 ||
		    csv_int(&c, co, &d->row[d->n].opp) == -1)
			die(path, csv_error(&c));
		if (d->row[d->n].user > maxuser)
			maxuser = d->row[d->n].user;
		cf[d->n] = csv_str(&c, cc)[0] == '1';
		d->row[d->n].idx = d->n;
		d->n++;
	}
	if (r != 0)
		die(path, csv_error(&c));
	csv_close(&c);
	fclose(fp);
	if (copies == 2) {
		d->row = realloc(d->row, 2 * d->n * sizeof(*d->row));
		cf = realloc(cf, 2 * d->n);
		for (i = 0; i < d->n; i++) {
			d->row[d->n + i] = d->row[i];
			d->row[d->n + i].user += maxuser + 1;
			d->row[d->n + i].idx = d->n + i;
			cf[d->n + i] = cf[i];
		}
		d->n *= 2;
	}
	qsort(d->row, d->n, sizeof(*d->row), cmp_row);
	d->correct = malloc(d->n);
	for (i = 0; i < d->n; i++)
		d->correct[i] = cf[d->row[i].idx];
	free(cf);
	for (i = 0, sk = 0; sk < d->nskill; sk++) {
		s0 = i;
		d->start[sk] = malloc((d->n + 1) * sizeof(size_t));
		for (k = 0; i < d->n && d->row[i].skill == sk; i++)
			if (i == s0 || d->row[i].user != d->row[i - 1].user)
				d->start[sk][k++] = i - s0;
		d->start[sk][k] = i - s0;
		d->seqs[sk].correct = d->correct + s0;
		d->seqs[sk].start = d->start[sk];
		d->seqs[sk].nseq = k;
	}
}

static void
unload(struct data *d)
{
	int sk;

	for (sk = 0; sk < d->nskill; sk++)
		free(d->start[sk]);
	free(d->row);
	free(d->correct);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static const struct learn_bkt_params start = { 0.5, 0.1, 0.2, 0.1 };

/* Fits every skill to tol reps times; prints median and min. */
static void
bench_fit(const struct data *d, double tol, int reps, const char *label)
{
	struct learn_bkt_params p;
	struct learn_bkt_fit_info info;
	double *work = malloc(d->n * sizeof(double)), *t, t0;
	int rep, sk, steps = 0, conv = 1;

	t = malloc((size_t)reps * sizeof(double));
	for (rep = 0; rep < reps; rep++) {
		t0 = now();
		steps = 0;
		for (sk = 0; sk < d->nskill; sk++) {
			p = start;
			if (learn_bkt_fit(&d->seqs[sk], &p, tol, 100000, work,
			    &info) != 0)
				conv = 0;
			steps += info.iterations;
		}
		t[rep] = now() - t0;
	}
	qsort(t, (size_t)reps, sizeof(double), cmp_double);
	printf("  EM fit, %s, %zu rows, %d skills, tol %g: median %.2f ms, "
	    "min %.2f ms over %d runs (%d EM steps per run%s)\n", label, d->n,
	    d->nskill, tol, 1e3 * t[reps / 2], 1e3 * t[0], reps, steps,
	    conv ? "" : ", NOT CONVERGED");
	free(t);
	free(work);
}

/* Plain EM (no extrapolation) to tol, once, for comparison. */
static void
bench_plain_em(const struct data *d, double tol)
{
	struct learn_bkt_params p, q;
	double *work = malloc(d->n * sizeof(double)), t0, t, dm;
	int sk, it, steps = 0;

	t0 = now();
	for (sk = 0; sk < d->nskill; sk++) {
		p = start;
		for (it = 0; it < 1000000; it++) {
			learn_bkt_em_step(&d->seqs[sk], &p, &q, work);
			steps++;
			dm = fmax(fmax(fabs(q.prior - p.prior),
			    fabs(q.learn - p.learn)), fmax(fabs(q.guess -
			    p.guess), fabs(q.slip - p.slip)));
			p = q;
			if (dm < tol)
				break;
		}
	}
	t = now() - t0;
	printf("  plain EM (learn_bkt_em_step loop, no SQUAREM), %zu rows, "
	    "tol %g: %.2f ms, one run (%d EM steps)\n", d->n, tol, 1e3 * t,
	    steps);
	free(work);
}

static uint64_t
next64(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

#define ELO_NL		10000
#define ELO_NI		1000
#define ELO_NANS	(1 << 20)

static void
bench_elo(void)
{
	static struct learn_elo_rating l[ELO_NL], it[ELO_NI];
	static uint32_t who[ELO_NANS];
	static uint16_t what[ELO_NANS];
	static unsigned char y[ELO_NANS];
	const struct learn_elo_k k = LEARN_ELO_K_DEFAULT;
	uint64_t seed = 1;
	double t0, t, best = INFINITY, sum = 0;
	int rep, reps = 20;
	size_t a;

	for (a = 0; a < ELO_NANS; a++) {
		who[a] = (uint32_t)(next64(&seed) % ELO_NL);
		what[a] = (uint16_t)(next64(&seed) % ELO_NI);
		y[a] = next64(&seed) >> 63;
	}
	for (rep = 0; rep < reps; rep++) {
		memset(l, 0, sizeof(l));
		memset(it, 0, sizeof(it));
		t0 = now();
		for (a = 0; a < ELO_NANS; a++)
			sum += learn_elo_update(&l[who[a]], &it[what[a]], y[a],
			    &k, &k);
		t = now() - t0;
		if (t < best)
			best = t;
	}
	printf("Elo (learn_elo_update, learner and item, K(n) = a/(1+bn)): "
	    "%d learners, %d items, %d pre-drawn answers, best of %d runs: "
	    "%.1f M updates/s (checksum %.3f)\n", ELO_NL, ELO_NI, ELO_NANS,
	    reps, ELO_NANS / best / 1e6, sum / reps);
}

int
main(void)
{
	char path[1024];
	const char *dir = getenv("ADEPT_REF_DIR");
	struct data d, d2;
	struct learn_bkt_params truth = { 0.2, 0.15, 0.2, 0.1 };
	struct learn_bkt_obs *o;
	double t0, t, best = INFINITY, total = 0, sum = 0;
	size_t s, a;
	int rep, reps = 200, sk;

	snprintf(path, sizeof(path), "%s/bkt_synthetic.csv",
	    dir ? dir : "../shared/reference/algorithms");
	load(&d, path, 1);
	load(&d2, path, 2);
	o = malloc(d.n * sizeof(*o));

	printf("bench_bkt: one core, wall-clock (CLOCK_MONOTONIC); data %s\n",
	    path);
	for (rep = 0; rep < reps; rep++) {
		t0 = now();
		for (a = 0, sk = 0; sk < d.nskill; sk++) {
			const struct learn_bkt_seqs *q = &d.seqs[sk];
			for (s = 0; s < q->nseq; s++)
				learn_bkt_filter(&truth, q->correct +
				    q->start[s], q->start[s + 1] - q->start[s],
				    o + a + q->start[s]);
			a += q->start[q->nseq];
		}
		t = now() - t0;
		total += t;
		if (t < best)
			best = t;
		sum += o[rep % d.n].p_known_next;
	}
	printf("BKT filter (learn_bkt_filter per sequence, 4 probabilities "
	    "stored per answer): %zu answers x %d runs: best %.1f M obs/s, "
	    "mean %.1f M obs/s (checksum %.3f)\n", d.n, reps,
	    d.n / best / 1e6, d.n * reps / total / 1e6, sum);

	best = INFINITY;
	for (rep = 0; rep < reps; rep++) {
		t0 = now();
		for (sk = 0; sk < d.nskill; sk++)
			sum += learn_bkt_loglik(&truth, &d.seqs[sk]);
		t = now() - t0;
		if (t < best)
			best = t;
	}
	printf("BKT log-likelihood (learn_bkt_loglik): best of %d runs "
	    "%.1f M obs/s\n", reps, d.n / best / 1e6);

	printf("BKT EM fit, all skills from (prior, learn, guess, slip) = "
	    "(0.5, 0.1, 0.2, 0.1), SQUAREM-accelerated EM:\n");
	bench_fit(&d, 1e-6, 21, "reference subset");
	bench_fit(&d2, 1e-6, 21, "subset stacked twice");
	bench_fit(&d2, 1e-9, 21, "subset stacked twice");
	bench_plain_em(&d2, 1e-6);
	bench_plain_em(&d2, 1e-9);
	bench_elo();
	free(o);
	unload(&d);
	unload(&d2);
	return 0;
}
