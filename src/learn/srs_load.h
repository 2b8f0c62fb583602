/*
 * srs_load: spreading spaced-review load over days.  FSRS gives each card
 * an ideal interval; scheduling every card exactly there makes lumpy days.
 * Like FSRS's load balancer, the due day may move within a small fuzz range
 * around the interval, here to the day with the fewest reviews already
 * scheduled.
 *
 * Design decision: deterministic, not random: the least loaded day in the
 * range wins, ties to the day nearest the ideal interval, then to the
 * earlier day (earlier reviews cost a little time; later ones cost recall).
 * Days are counted from the review day (day 0 = today, the learner's local
 * day); loads are the caller's per-day counts, e.g. from
 * learn_srs_forecast() over the learner's due cards.
 */
#ifndef ADEPT_LEARN_SRS_LOAD_H
#define ADEPT_LEARN_SRS_LOAD_H

#include <stddef.h>
#include <stdint.h>

#define LEARN_SRS_FUZZ	0.05	/* the default share of the interval */

/*
 * The range a due day may move within for interval ivl (days, >= 1):
 * delta = max(1, round(fuzz x ivl)) for ivl >= 2, and 0 for ivl <= 1 (a
 * one-day interval stays one day); lo = max(1, ivl - delta), hi =
 * min(max_ivl, ivl + delta), and lo <= ivl <= hi when ivl <= max_ivl.
 * 0, or -1 on ivl < 1, max_ivl < 1, or fuzz negative or not finite.
 */
int	learn_srs_range(int64_t ivl, int64_t max_ivl, double fuzz,
	    int64_t *lo, int64_t *hi);

/*
 * The interval to use: the day d in learn_srs_range() with the fewest
 * reviews load[d] (load[0..nload) counts per day from today; days at or
 * past nload count 0), ties to the nearest to ivl, then the earlier.
 * Returns it, or -1 on bad input as learn_srs_range (ivl is clipped to
 * max_ivl first).
 */
int64_t	learn_srs_balance(int64_t ivl, int64_t max_ivl, double fuzz,
	    const long *load, size_t nload);

/*
 * Due counts per local day: counts[d] (d = 0..ndays) is the number of
 * due[0..n) falling on the local day now's day + d; overdue cards (before
 * today) count on day 0, and those past the horizon are not counted.
 * Returns the number counted.
 */
size_t	learn_srs_forecast(const int64_t *due, size_t n, int64_t now,
	    int32_t tz_offset, long *counts, size_t ndays);

/*
 * The daily limit: how many more reviews may be shown today when due are
 * due, done were done already today and limit is the learner's daily
 * maximum (<= 0: no limit): min(due, max(0, limit - done)).  *deferred, if
 * not NULL, gets the rest of due that waits for tomorrow.
 */
long	learn_srs_daily_take(long due, long done, long limit, long *deferred);

#endif
