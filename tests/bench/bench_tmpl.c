/*
 * bench_tmpl: full dashboard pages per second (layout head + dashboard
 * with 20 course rows rendered from row_course.html and joined + layout
 * foot), one core, templates lexed once beforehand.  Each page does what a
 * handler does: builds the row views and the page view in an arena reset
 * per page, renders rows, sets them raw, renders the page into a reused
 * buffer.  A second figure times the row partials alone.
 *
 * Run from the repository root (reads templates/).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/arena.h"
#include "base/buf.h"
#include "http/tmpl.h"
#include "http/view.h"

#define NROWS	20

static double
clk(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

#define now()	clk(CLOCK_MONOTONIC)
#define cpu()	clk(CLOCK_PROCESS_CPUTIME_ID)

static int
rows(struct arena *a, struct buf *acc)
{
	struct view *rv = view_new(a);
	int i;

	for (i = 0; i < NROWS; i++) {
		view_clear(rv);
		view_setf(rv, "url", "/courses/%d", 100 + i);
		view_setf(rv, "title", "Introduction to topic %d & friends", i);
		view_set_int(rv, "progress", (i * 37) % 101);
		if (tmpl_render_row(TMPL_ROW_COURSE, rv, acc) != 0)
			return -1;
	}
	return 0;
}

static int
page(struct arena *a, struct buf *acc, struct buf *out)
{
	struct tmpl_layout l = { 0 };
	struct view *v;

	buf_reset(acc);
	if (rows(a, acc) != 0)
		return -1;
	v = view_new(a);
	view_set(v, "name", "Ann O'Neil");
	view_set(v, "role", "Learner");
	view_set_raw(v, "courses", acc->p);
	l.title = "Dashboard";
	l.role = TMPL_ROLE_LEARNER;
	l.user_name = "Ann O'Neil";
	l.csrf = "0123456789abcdef0123456789abcdef";
	l.nav = TMPL_NAV_DASHBOARD;
	return tmpl_render_page(TMPL_DASHBOARD, v, &l, out);
}

int
main(int argc, char **argv)
{
	struct arena a;
	struct buf acc, out;
	double t0, c0, t, c;
	int i, n = argc > 1 ? atoi(argv[1]) : 20000;

	if (tmpl_init("templates") != 0)
		return 1;
	arena_init(&a, 0);
	buf_init(&acc);
	buf_init(&out);
	for (i = 0; i < 200; i++) {	/* warm-up */
		arena_reset(&a);
		buf_reset(&out);
		if (page(&a, &acc, &out) != 0)
			return 1;
	}
	t0 = now();
	c0 = cpu();
	for (i = 0; i < n; i++) {
		arena_reset(&a);
		buf_reset(&out);
		if (page(&a, &acc, &out) != 0)
			return 1;
	}
	t = now() - t0;
	c = cpu() - c0;
	printf("bench_tmpl: dashboard page (layout + %d rows, %zu bytes): "
	    "%d pages in %.3f s = %.0f pages/s, %.1f us/page (CPU time "
	    "%.1f us/page)\n", NROWS, out.len, n, t, n / t, t / n * 1e6,
	    c / n * 1e6);

	t0 = now();
	for (i = 0; i < n; i++) {
		arena_reset(&a);
		buf_reset(&acc);
		if (rows(&a, &acc) != 0)
			return 1;
	}
	t = now() - t0;
	printf("bench_tmpl: %d row partials alone: %.1f us per list, "
	    "%.2f us per row\n", NROWS, t / n * 1e6, t / n / NROWS * 1e6);
	printf("bench_tmpl: measured with clock_gettime(CLOCK_MONOTONIC), "
	    "wall clock (CPU time from CLOCK_PROCESS_CPUTIME_ID), one thread "
	    "on one core, %d repetitions after 200 warm-up pages; arena reset "
	    "and output buffer reused per page\n", n);
	buf_free(&acc);
	buf_free(&out);
	arena_free(&a);
	tmpl_free();
	return 0;
}
