/*
 * srs_load: deterministic review-load spreading, the due-day forecast and
 * the daily limit; see srs_load.h.
 */
#include <math.h>

#include "learn/srs_load.h"

#define DAY	INT64_C(86400)

int
learn_srs_range(int64_t ivl, int64_t max_ivl, double fuzz, int64_t *lo,
    int64_t *hi)
{
	int64_t delta = 0;
	double d;

	if (ivl < 1 || max_ivl < 1 || !isfinite(fuzz) || fuzz < 0)
		return -1;
	if (ivl >= 2) {
		d = round(fuzz * (double)ivl);
		delta = d < 1.0 ? 1 : d > (double)ivl ? ivl : (int64_t)d;
	}
	*lo = ivl - delta < 1 ? 1 : ivl - delta;
	*hi = ivl > max_ivl - delta ? max_ivl : ivl + delta;
	if (*lo > *hi)
		*lo = *hi;
	return 0;
}

int64_t
learn_srs_balance(int64_t ivl, int64_t max_ivl, double fuzz,
    const long *load, size_t nload)
{
	int64_t lo, hi, d, best = -1, bdist = 0, dist;
	long bload = 0, l;

	if (ivl < 1 || max_ivl < 1)
		return -1;
	if (ivl > max_ivl)
		ivl = max_ivl;
	if (learn_srs_range(ivl, max_ivl, fuzz, &lo, &hi) == -1)
		return -1;
	for (d = lo; d <= hi; d++) {
		l = load != NULL && (uint64_t)d < (uint64_t)nload ?
		    load[d] : 0;
		dist = d > ivl ? d - ivl : ivl - d;
		/* Scanning upwards, a tie at equal distance keeps the
		 * earlier day. */
		if (best == -1 || l < bload || (l == bload && dist < bdist)) {
			best = d;
			bload = l;
			bdist = dist;
		}
	}
	return best;
}

static int64_t
local_day(int64_t t, int32_t tz)
{
	int64_t s = t + tz;

	return s >= 0 ? s / DAY : -((-s + DAY - 1) / DAY);
}

size_t
learn_srs_forecast(const int64_t *due, size_t n, int64_t now,
    int32_t tz_offset, long *counts, size_t ndays)
{
	int64_t today = local_day(now, tz_offset), d;
	size_t i, counted = 0;

	for (i = 0; i < ndays; i++)
		counts[i] = 0;
	for (i = 0; i < n; i++) {
		d = local_day(due[i], tz_offset) - today;
		if (d < 0)
			d = 0;
		if ((uint64_t)d < (uint64_t)ndays) {
			counts[d]++;
			counted++;
		}
	}
	return counted;
}

long
learn_srs_daily_take(long due, long done, long limit, long *deferred)
{
	long take, room;

	if (due < 0)
		due = 0;
	if (done < 0)
		done = 0;
	if (limit <= 0)
		take = due;
	else {
		room = limit > done ? limit - done : 0;
		take = due < room ? due : room;
	}
	if (deferred != NULL)
		*deferred = due - take;
	return take;
}
