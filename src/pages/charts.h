/*
 * charts: inline SVG charts with text alternatives (charts.c).  Each
 * appends one <figure> to b.
 */
#ifndef ADEPT_PAGES_CHARTS_H
#define ADEPT_PAGES_CHARTS_H

#include <stddef.h>
#include <stdint.h>

struct buf;

struct chart_point {
	int64_t		 t;	/* Unix seconds */
	double		 v;	/* percent */
};

struct chart_skill {
	const char	*name;
	double		 level;		/* 0..10 */
	double		 mastery;	/* 0..1 */
	int		 target;	/* 0 = none */
};

/* Scores p[0..n) (ascending t) over the days up to now, with the trend
 * line (slope in fraction per day; NaN = none) and its sentence. */
void	chart_trend(struct buf *b, const struct chart_point *p, size_t n,
	    int64_t now, int days, double slope, const char *trend_text);
/* Level bars per skill with the goal's target marks. */
void	chart_mastery(struct buf *b, const struct chart_skill *s, size_t n);
/* A year calendar: ago[d] = actions d days ago, d < ndays. */
void	chart_calendar(struct buf *b, const long *ago, size_t ndays,
	    int64_t now);
/* Due reviews per day: count[d], day 0 = today (with overdue). */
void	chart_forecast(struct buf *b, const long *count, size_t ndays,
	    int64_t now);

#endif
