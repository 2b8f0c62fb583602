/*
 * bench_fsrs: review throughput of learn_fsrs_review (short-term on and
 * off) and learn_sm2_review, replaying the reference review logs
 * (fsrs_reviews.csv, sm2_reviews.csv, read once into memory) many times on
 * one thread (so one core at a time); and, when node and ts-fsrs are there, the
 * same FSRS replay in ts-fsrs 5.4.2 (tests/bench/tsfsrs_replay.mjs) for
 * the ratio.
 *
 * Measured: wall-clock (clock_gettime(CLOCK_MONOTONIC)) of whole replays,
 * every card restarted as new at its first review, after one warm-up run;
 * RUNS runs of REPS replays each, best and median run reported.  The
 * thread's CPU time (CLOCK_THREAD_CPUTIME_ID) of the best run is printed
 * beside it: on a shared machine wall clock includes time the thread
 * waited for the core.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/csv.h"
#include "learn/fsrs.h"
#include "learn/sm2.h"
#include "../unit/refdir.h"

#define RUNS	7

struct log {
	size_t	 n;
	int	*first;		/* 1 at a card's first review */
	int64_t	*unix;
	int	*rating;
};

static double
now_s(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
load(const char *name, const char *timecol, const char *ratecol,
    struct log *l)
{
	struct csv c;
	FILE *fp = ref_open(name);
	int cc, ct = -1, cr;
	size_t cap = 0;
	int64_t card, prev = -1, t = 0;

	memset(l, 0, sizeof(*l));
	if (csv_open_file(&c, fp) == -1 || (cc = csv_need(&c, "card_id")) < 0 ||
	    (timecol && (ct = csv_need(&c, timecol)) < 0) ||
	    (cr = csv_need(&c, ratecol)) < 0)
		goto bad;
	while (csv_next(&c) == 1) {
		if (l->n == cap) {
			cap = cap ? 2 * cap : 4096;
			l->first = realloc(l->first, cap * sizeof(int));
			l->unix = realloc(l->unix, cap * sizeof(int64_t));
			l->rating = realloc(l->rating, cap * sizeof(int));
			if (!l->first || !l->unix || !l->rating)
				abort();
		}
		if (csv_int64(&c, cc, &card) == -1 ||
		    (ct >= 0 && csv_int64(&c, ct, &t) == -1) ||
		    csv_int(&c, cr, &l->rating[l->n]) == -1)
			goto bad;
		l->first[l->n] = card != prev;
		l->unix[l->n] = t;
		prev = card;
		l->n++;
	}
	if (*csv_error(&c) != '\0')
		goto bad;
	csv_close(&c);
	fclose(fp);
	return;
bad:
	fprintf(stderr, "bench_fsrs: %s: %s\n", name, csv_error(&c));
	exit(1);
}

/* One replay of the FSRS log; returns a checksum so nothing is elided. */
static double
replay_fsrs(const struct learn_fsrs_params *p, const struct log *l)
{
	struct learn_fsrs_card card;
	double sum = 0;
	size_t i;

	learn_fsrs_card_init(&card, 0);
	for (i = 0; i < l->n; i++) {
		if (l->first[i])
			learn_fsrs_card_init(&card, l->unix[i]);
		if (learn_fsrs_review(p, &card, l->unix[i], l->rating[i],
		    NULL) == -1)
			abort();
		sum += card.stability + (double)card.due;
	}
	return sum;
}

static double
replay_sm2(const struct log *l)
{
	struct learn_sm2_item it;
	double sum = 0;
	size_t i;

	learn_sm2_init(&it);
	for (i = 0; i < l->n; i++) {
		if (l->first[i])
			learn_sm2_init(&it);
		if (learn_sm2_review(&it, l->rating[i]) == -1)
			abort();
		sum += it.efactor + (double)it.interval;
	}
	return sum;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Times RUNS runs of reps replays; prints and returns the best rate. */
static double
measure(const char *what, const struct learn_fsrs_params *p,
    const struct log *l, int reps)
{
	double rate[RUNS], cpurate[RUNS], t0, c0, sum = 0, best = 0;
	int run, k, bi = 0;

	sum += p ? replay_fsrs(p, l) : replay_sm2(l);	/* warm-up */
	for (run = 0; run < RUNS; run++) {
		t0 = now_s(CLOCK_MONOTONIC);
		c0 = now_s(CLOCK_THREAD_CPUTIME_ID);
		for (k = 0; k < reps; k++)
			sum += p ? replay_fsrs(p, l) : replay_sm2(l);
		cpurate[run] = (double)l->n * reps /
		    (now_s(CLOCK_THREAD_CPUTIME_ID) - c0);
		rate[run] = (double)l->n * reps / (now_s(CLOCK_MONOTONIC) - t0);
		if (rate[run] > best) {
			best = rate[run];
			bi = run;
		}
	}
	printf("%-20s %6.2f M reviews/s best wall, %6.2f M/s CPU time of that "
	    "run, ", what, best / 1e6, cpurate[bi] / 1e6);
	qsort(rate, RUNS, sizeof(double), cmp_double);
	printf("%6.2f M/s median wall  (%d runs x %d replays x %zu reviews; "
	    "%.0f ns/review; checksum %.6g)\n", rate[RUNS / 2] / 1e6, RUNS,
	    reps, l->n, 1e9 / best, sum);
	return best;
}

/* Runs the ts-fsrs replay on node; its reviews/s for short-term on/off. */
static int
tsfsrs(double *on, double *off)
{
	const char *script = "tests/bench/tsfsrs_replay.mjs";
	const char *dir = getenv("ADEPT_REF_DIR");
	char cmd[2048], line[512];
	FILE *fp;
	int got = 0;

	snprintf(cmd, sizeof(cmd), "node %s %s/fsrs_reviews.csv 2>&1", script,
	    dir ? dir : "../shared/reference/algorithms");
	if ((fp = fopen(script, "r")) == NULL)
		return -1;
	fclose(fp);
	if ((fp = popen(cmd, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), fp) != NULL) {
		fputs("  node: ", stdout);
		fputs(line, stdout);
		got += sscanf(line, "short_term=on reviews_per_s=%lf", on);
		got += sscanf(line, "short_term=off reviews_per_s=%lf", off);
	}
	return pclose(fp) == 0 && got == 2 ? 0 : -1;
}

int
main(void)
{
	struct learn_fsrs_params on, off;
	struct log fl, sl;
	double c_on, c_off, js_on, js_off;

	load("fsrs_reviews.csv", "review_unix", "rating", &fl);
	load("sm2_reviews.csv", NULL, "grade", &sl);
	learn_fsrs_params_default(&on);
	learn_fsrs_params_default(&off);
	off.short_term = 0;
	if (learn_fsrs_params_prepare(&off) == -1)
		abort();

	printf("bench_fsrs: one thread; wall clock (CLOCK_MONOTONIC) and "
	    "thread CPU time; best and median of %d runs after a warm-up\n",
	    RUNS);
	c_on = measure("fsrs short-term on", &on, &fl, 2000);
	c_off = measure("fsrs short-term off", &off, &fl, 2000);
	(void)measure("sm2", NULL, &sl, 4000);
	printf("fsrs target >= 5 M reviews/s (wall clock): %s\n",
	    c_on >= 5e6 && c_off >= 5e6 ? "met" : "NOT met");

	fflush(stdout);
	if (tsfsrs(&js_on, &js_off) == 0)
		printf("C / ts-fsrs 5.4.2 on node, same replay: short-term on "
		    "%.1fx, off %.1fx (best wall-clock run each)\n",
		    c_on / js_on, c_off / js_off);
	else
		printf("ts-fsrs comparison skipped (node, ts-fsrs or "
		    "tests/bench/tsfsrs_replay.mjs unavailable)\n");
	return 0;
}
