/*
 * charts: small charts drawn on the server as inline SVG, so a dashboard
 * needs no JavaScript (issue 6).  Each chart is a <figure> whose SVG has
 * role="img" and a <title>/<desc>, followed by the same numbers as a table
 * (the text alternative), folded in a <details> element.
 *
 * Design decision: fixed view boxes with percentages computed here, and
 * colours from the stylesheet through classes (chart-bar, chart-line...),
 * so the charts scale with the page and follow its theme; every name that
 * reaches the markup goes through buf_put_html.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "pages/charts.h"

static void
html(struct buf *b, const char *s)
{
	buf_put_html(b, s != NULL ? s : "", s != NULL ? strlen(s) : 0);
}

static void
open_fig(struct buf *b, const char *id, const char *title,
    const char *desc, int w, int h)
{
	buf_printf(b, "<figure class=\"chart\" aria-labelledby=\"%s-cap\">\n"
	    "<svg viewBox=\"0 0 %d %d\" role=\"img\" aria-labelledby=\"%s-t "
	    "%s-d\" preserveAspectRatio=\"xMidYMid meet\"><title id=\"%s-t\">",
	    id, w, h, id, id, id);
	html(b, title);
	buf_printf(b, "</title><desc id=\"%s-d\">", id);
	html(b, desc);
	buf_puts(b, "</desc>\n");
}

/* The caption comes last: a <figure> allows it only first or last. */
static void
end_fig(struct buf *b, const char *id, const char *caption)
{
	buf_printf(b, "<figcaption id=\"%s-cap\">", id);
	html(b, caption);
	buf_puts(b, "</figcaption>\n</figure>\n");
}

static void
day_label(char *out, size_t n, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(out, n, "%d %b", &tm);
}

void
chart_trend(struct buf *b, const struct chart_point *p, size_t n,
    int64_t now, int days, double slope, const char *trend_text)
{
	const int W = 600, H = 220, L = 40, R = 10, T = 10, B = 30;
	int64_t t0 = now - (int64_t)days * 86400;
	char lab[32];
	size_t i;
	int y;

	open_fig(b, "trend", "Quiz scores", trend_text, W, H);
	for (y = 0; y <= 100; y += 25) {
		double py = T + (H - T - B) * (1 - y / 100.0);

		buf_printf(b, "<line class=\"chart-grid\" x1=\"%d\" y1=\"%.1f\" "
		    "x2=\"%d\" y2=\"%.1f\"/><text class=\"chart-axis\" x=\"%d\" "
		    "y=\"%.1f\" text-anchor=\"end\">%d%%</text>\n", L, py, W - R,
		    py, L - 4, py + 4, y);
	}
	day_label(lab, sizeof(lab), t0);
	buf_printf(b, "<text class=\"chart-axis\" x=\"%d\" y=\"%d\">%s</text>",
	    L, H - 8, lab);
	day_label(lab, sizeof(lab), now);
	buf_printf(b, "<text class=\"chart-axis\" x=\"%d\" y=\"%d\" "
	    "text-anchor=\"end\">%s</text>\n", W - R, H - 8, lab);
	if (n > 1) {
		buf_puts(b, "<polyline class=\"chart-line\" points=\"");
		for (i = 0; i < n; i++) {
			double x = L + (W - L - R) * (double)(p[i].t - t0) /
			    ((double)days * 86400);
			double yy = T + (H - T - B) * (1 - p[i].v / 100.0);

			buf_printf(b, "%.1f,%.1f ", x, yy);
		}
		buf_puts(b, "\"/>\n");
	}
	for (i = 0; i < n; i++) {
		double x = L + (W - L - R) * (double)(p[i].t - t0) /
		    ((double)days * 86400);
		double yy = T + (H - T - B) * (1 - p[i].v / 100.0);

		buf_printf(b, "<circle class=\"chart-dot\" cx=\"%.1f\" "
		    "cy=\"%.1f\" r=\"3\"/>", x, yy);
	}
	if (n >= 2 && isfinite(slope)) {
		/* The least-squares line through the mean point. */
		double mt = 0, mv = 0, x1, x2, y1, y2;

		for (i = 0; i < n; i++) {
			mt += (double)(p[i].t - t0) / 86400;
			mv += p[i].v;
		}
		mt /= (double)n;
		mv /= (double)n;
		y1 = mv - 100 * slope * mt;
		y2 = mv + 100 * slope * (days - mt);
		y1 = y1 < 0 ? 0 : y1 > 100 ? 100 : y1;
		y2 = y2 < 0 ? 0 : y2 > 100 ? 100 : y2;
		x1 = L;
		x2 = W - R;
		buf_printf(b, "\n<line class=\"chart-trend\" x1=\"%.1f\" "
		    "y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", x1,
		    T + (H - T - B) * (1 - y1 / 100), x2,
		    T + (H - T - B) * (1 - y2 / 100));
	}
	buf_puts(b, "</svg>\n");
	buf_puts(b, "<details><summary>Scores as a table</summary>\n<table>"
	    "<thead><tr><th scope=\"col\">Date</th><th scope=\"col\">Score"
	    "</th></tr></thead><tbody>\n");
	for (i = 0; i < n; i++) {
		day_label(lab, sizeof(lab), p[i].t);
		buf_printf(b, "<tr><td>%s</td><td>%.0f%%</td></tr>\n", lab,
		    p[i].v);
	}
	if (n == 0)
		buf_puts(b, "<tr><td colspan=\"2\">No quiz yet</td></tr>\n");
	buf_puts(b, "</tbody></table></details>\n");
	end_fig(b, "trend", trend_text);
}

/*
 * Shapes of one class drawn as one <path> with a sub-path each: *open
 * tracks whether the element is begun, so a class with no shape writes
 * nothing (an empty d is not valid everywhere).
 */
static void
path_begin(struct buf *b, int *open, const char *cls)
{
	if (!*open)
		buf_printf(b, "<path class=\"%s\" d=\"", cls);
	*open = 1;
}

static void
path_end(struct buf *b, int *open)
{
	if (*open)
		buf_puts(b, "\"/>\n");
	*open = 0;
}

/* Whether a skill is below its goal's target (drawn apart). */
static int
bar_short(const struct chart_skill *s)
{
	return s->target > 0 && s->level < s->target;
}

void
chart_mastery(struct buf *b, const struct chart_skill *s, size_t n)
{
	const int W = 600, rowh = 26, L = 170, R = 40;
	int H = (int)(n > 0 ? n : 1) * rowh + 24, gap, open = 0;
	size_t i;

	open_fig(b, "mastery", "Skill levels against your goal",
	    "Bars show your level from 1 to 10 in each skill; a mark shows "
	    "the goal's target level.", W, H);
	/* Names and levels in a group each: the text inherits the class. */
	buf_puts(b, "<g class=\"chart-label\" text-anchor=\"end\">\n");
	for (i = 0; i < n; i++) {
		buf_printf(b, "<text x=\"%d\" y=\"%d\">", L - 6,
		    20 + (int)i * rowh);
		html(b, s[i].name);
		buf_puts(b, "</text>\n");
	}
	buf_puts(b, "</g><g class=\"chart-axis\">\n");
	for (i = 0; i < n; i++)
		buf_printf(b, "<text x=\"%d\" y=\"%d\">%.1f</text>\n", W - R + 4,
		    20 + (int)i * rowh, s[i].level);
	buf_puts(b, "</g>\n");
	/* The tracks, the bars (those short of their target apart) and the
	 * target marks: one <path> each, a sub-path per skill. */
	for (i = 0; i < n; i++) {
		path_begin(b, &open, "chart-track");
		buf_printf(b, "M%d %dh%dv16h-%dz", L, 7 + (int)i * rowh,
		    W - L - R, W - L - R);
	}
	path_end(b, &open);
	for (gap = 0; gap <= 1; gap++) {
		for (i = 0; i < n; i++) {
			if (bar_short(&s[i]) != gap || !(s[i].level > 0))
				continue;
			path_begin(b, &open, gap ? "chart-bar chart-bar-gap" :
			    "chart-bar");
			buf_printf(b, "M%d %dh%.1fv16H%dz", L, 7 + (int)i * rowh,
			    (W - L - R) * (s[i].level / 10.0), L);
		}
		path_end(b, &open);
	}
	for (i = 0; i < n; i++) {
		if (s[i].target <= 0)
			continue;
		path_begin(b, &open, "chart-target");
		buf_printf(b, "M%.1f %dv22", L + (W - L - R) *
		    (s[i].target / 10.0), 4 + (int)i * rowh);
	}
	path_end(b, &open);
	buf_puts(b, "</svg>\n");
	buf_puts(b, "<details><summary>Levels as a table</summary>\n<table>"
	    "<thead><tr><th scope=\"col\">Skill</th><th scope=\"col\">Level"
	    "</th><th scope=\"col\">Mastery</th><th scope=\"col\">Target</th>"
	    "</tr></thead><tbody>\n");
	for (i = 0; i < n; i++) {
		buf_puts(b, "<tr><th scope=\"row\">");
		html(b, s[i].name);
		buf_printf(b, "</th><td>%.1f</td><td>%.0f%%</td><td>", s[i].level,
		    100 * s[i].mastery);
		if (s[i].target > 0)
			buf_printf(b, "%d", s[i].target);
		else
			buf_puts(b, "–");
		buf_puts(b, "</td></tr>\n");
	}
	buf_puts(b, "</tbody></table></details>\n");
	end_fig(b, "mastery", "Your level per skill, with the goal's "
	    "targets.");
}

/* A day's shade: 0 for none, then 1..4 by its share of the busiest day. */
static int
cal_level(long n, long max)
{
	int lv;

	if (n <= 0)
		return 0;
	lv = 1 + (int)(3.0 * (double)(n - 1) / (double)max);
	return lv > 4 ? 4 : lv;
}

void
chart_calendar(struct buf *b, const long *ago, size_t ndays, int64_t now)
{
	const int cell = 11, L = 30, T = 16;
	time_t tt = (time_t)now;
	struct tm tm;
	long max = 0, total = 0, active = 0;
	size_t d;
	int wd, W, H = T + 7 * cell + 4, lv;

	gmtime_r(&tt, &tm);
	wd = tm.tm_wday;		/* today's row, 0 = Sunday */
	W = L + (int)((ndays + 6) / 7 + 1) * cell + 4;
	for (d = 0; d < ndays; d++) {
		if (ago[d] > max)
			max = ago[d];
		total += ago[d];
		active += ago[d] > 0;
	}
	open_fig(b, "calendar", "Activity over the last year",
	    "One square per day, darker for more activity.", W, H);
	buf_printf(b, "<text class=\"chart-axis\" x=\"0\" y=\"%d\">Mon"
	    "</text><text class=\"chart-axis\" x=\"0\" y=\"%d\">Fri</text>\n",
	    T + 2 * cell - 3, T + 6 * cell - 3);
	/* One <path> per level, a square sub-path per day: a fifth of the
	 * bytes of a <rect> per day, the same picture. */
	for (lv = 0; lv <= 4; lv++) {
		char cls[16];
		int open = 0;

		snprintf(cls, sizeof(cls), "cal-%d", lv);
		for (d = 0; d < ndays; d++) {
			/* Columns are weeks (Sunday first), the last one
			 * this week; rows are weekdays. */
			long wb = (long)d <= wd ? 0 : ((long)d - wd + 6) / 7;
			int ncol = (int)((ndays + 6) / 7) + 1;
			int col = ncol - 1 - (int)wb, row;

			if (cal_level(ago[d], max) != lv)
				continue;
			path_begin(b, &open, cls);
			row = (int)((((long)wd - (long)d) % 7 + 7) % 7);
			buf_printf(b, "M%d %dh%dv%dh-%dz", L + col * cell,
			    T + row * cell, cell - 2, cell - 2, cell - 2);
		}
		path_end(b, &open);
	}
	buf_puts(b, "</svg>\n");
	buf_printf(b, "<p class=\"chart-alt\">%ld active day%s in the last "
	    "year, %ld actions in all.</p>\n", active,
	    active == 1 ? "" : "s", total);
	end_fig(b, "calendar", "Darker squares: more lessons, answers and "
	    "reviews that day (UTC).");
}

void
chart_forecast(struct buf *b, const long *count, size_t ndays, int64_t now)
{
	const int W = 600, H = 160, L = 30, B = 24, T = 10;
	long max = 1;
	size_t d;
	double bw = (double)(W - L - 10) / (double)(ndays ? ndays : 1);
	char lab[32];

	for (d = 0; d < ndays; d++)
		if (count[d] > max)
			max = count[d];
	open_fig(b, "forecast", "Reviews due in the coming days",
	    "One bar per day: the number of review cards that fall due.", W,
	    H);
	buf_printf(b, "<text class=\"chart-axis\" x=\"%d\" y=\"%d\" "
	    "text-anchor=\"end\">%ld</text>\n", L - 4, T + 8, max);
	for (d = 0; d < ndays; d++) {
		double h = (H - T - B) * (double)count[d] / (double)max;

		buf_printf(b, "<rect class=\"chart-bar\" x=\"%.1f\" y=\"%.1f\" "
		    "width=\"%.1f\" height=\"%.1f\"/>", L + d * bw + 1,
		    H - B - h, bw - 2, h);
	}
	day_label(lab, sizeof(lab), now);
	buf_printf(b, "\n<text class=\"chart-axis\" x=\"%d\" y=\"%d\">%s"
	    "</text>", L, H - 6, lab);
	day_label(lab, sizeof(lab), now + (int64_t)(ndays - 1) * 86400);
	buf_printf(b, "<text class=\"chart-axis\" x=\"%d\" y=\"%d\" "
	    "text-anchor=\"end\">%s</text>\n", W - 10, H - 6, lab);
	buf_puts(b, "</svg>\n");
	buf_puts(b, "<details><summary>Forecast as a table</summary>\n<table>"
	    "<thead><tr><th scope=\"col\">Day</th><th scope=\"col\">Due</th>"
	    "</tr></thead><tbody>\n");
	for (d = 0; d < ndays; d++) {
		day_label(lab, sizeof(lab), now + (int64_t)d * 86400);
		buf_printf(b, "<tr><td>%s</td><td>%ld</td></tr>\n", lab,
		    count[d]);
	}
	buf_puts(b, "</tbody></table></details>\n");
	end_fig(b, "forecast", "Day 1 is today and includes overdue cards.");
}
