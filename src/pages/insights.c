/*
 * insights: an instructor's view of one course's learners
 * (/teach/courses/{id}/insights and its JSON twin): the funnel (enrolled,
 * started, half way, completed), the learners at risk with the facts that
 * put them there, and the skills where the cohort struggles.
 *
 * Design decision: "at risk" is never an opaque score.  A learner is at
 * risk when at least one named factor holds (inactive for a week or more,
 * behind: enrolled two weeks and under a quarter done, a quiz average
 * below 60 %, two or more failed attempts, an open struggle signal), and
 * the page lists exactly those factors with their numbers.
 */
#include <math.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "db/db.h"
#include "http/view.h"
#include "pages/pages.h"

#define INACTIVE_DAYS	7
#define BEHIND_DAYS	14
#define BEHIND_SHARE	0.25
#define LOW_SCORE	60.0
#define FAILED_MAX	2
#define STRUGGLE_BELOW	0.6

struct learner {
	int64_t		 id;
	const char	*name;
	long		 days, done, total, idle, failed, struggles;
	double		 avg;		/* NaN = no quiz */
	const char	*factors[5];
	int		 nfactors;
};

struct insights {
	int64_t		 course;
	const char	*title;
	long		 funnel[4], lessons;
	struct learner	*l;
	int		 nl, nrisk;
	struct {
		int64_t		 id;
		const char	*name;
		double		 mastery, level;
		long		 n;
		int		 target;
	} *sk;
	int		 nsk;
};

static void
factors(struct req *r, struct learner *x)
{
	x->nfactors = 0;
	if (x->idle >= INACTIVE_DAYS)
		x->factors[x->nfactors++] = arena_printf(r->a, "inactive for "
		    "%ld days", x->idle);
	if (x->days >= BEHIND_DAYS && x->total > 0 &&
	    (double)x->done < BEHIND_SHARE * (double)x->total)
		x->factors[x->nfactors++] = arena_printf(r->a, "behind: %ld of "
		    "%ld lessons after %ld days", x->done, x->total, x->days);
	if (isfinite(x->avg) && x->avg < LOW_SCORE)
		x->factors[x->nfactors++] = arena_printf(r->a, "quiz average "
		    "%.0f %%", x->avg);
	if (x->failed >= FAILED_MAX)
		x->factors[x->nfactors++] = arena_printf(r->a, "%ld failed "
		    "attempts", x->failed);
	if (x->struggles > 0)
		x->factors[x->nfactors++] = arena_printf(r->a, "%ld open "
		    "struggle signal%s", x->struggles, x->struggles == 1 ?
		    "" : "s");
}

/* 200, 404 or a 5xx. */
static int
load(struct req *r, int64_t course, struct insights *in)
{
	const char *p[3];
	int n, i;

	memset(in, 0, sizeof(*in));
	p[0] = db_i64s(r->a, course);
	p[1] = db_i64s(r->a, r->user.id);
	p[2] = r->user.role == ROLE_ADMIN ? "true" : "false";
	if ((n = db_exec(r->db, STMT_INSIGHTS_COURSE, 3, p)) < 0)
		return page_db_status(n);
	if (n == 0)
		return 404;
	in->course = course;
	in->title = arena_strdup(r->a, db_str(r->db, 0, 1));
	if ((n = db_exec(r->db, STMT_INSIGHTS_FUNNEL, 1, p)) < 0)
		return page_db_status(n);
	for (i = 0; i < 4; i++)
		in->funnel[i] = (long)db_i64(r->db, 0, i);
	in->lessons = (long)db_i64(r->db, 0, 4);
	if ((n = db_exec(r->db, STMT_INSIGHTS_LEARNERS, 1, p)) < 0)
		return page_db_status(n);
	in->l = arena_calloc(r->a, (size_t)n + 1, sizeof(*in->l));
	for (i = 0; i < n; i++) {
		struct learner *x = &in->l[i];

		x->id = db_i64(r->db, i, 0);
		x->name = arena_strdup(r->a, db_str(r->db, i, 1));
		x->days = (long)db_i64(r->db, i, 2);
		x->done = (long)db_i64(r->db, i, 3);
		x->total = (long)db_i64(r->db, i, 4);
		x->idle = (long)db_i64(r->db, i, 5);
		x->avg = db_isnull(r->db, i, 6) ? NAN : db_dbl(r->db, i, 6);
		x->failed = (long)db_i64(r->db, i, 7);
		x->struggles = (long)db_i64(r->db, i, 8);
		factors(r, x);
		in->nrisk += x->nfactors > 0;
	}
	in->nl = n;
	if ((n = db_exec(r->db, STMT_INSIGHTS_SKILLS, 1, p)) < 0)
		return page_db_status(n);
	in->sk = arena_calloc(r->a, (size_t)n + 1, sizeof(*in->sk));
	for (i = 0; i < n; i++) {
		in->sk[i].id = db_i64(r->db, i, 0);
		in->sk[i].name = arena_strdup(r->a, db_str(r->db, i, 1));
		in->sk[i].mastery = db_dbl(r->db, i, 2);
		in->sk[i].n = (long)db_i64(r->db, i, 3);
		in->sk[i].level = db_dbl(r->db, i, 4);
		in->sk[i].target = (int)db_i64(r->db, i, 5);
	}
	in->nsk = n;
	return 200;
}

static void
html(struct buf *b, const char *s)
{
	buf_put_html(b, s != NULL ? s : "", s != NULL ? strlen(s) : 0);
}

static const char *const stage[4] = { "Enrolled", "Started",
    "Half way", "Completed" };

int
page_teach_insights(struct req *r)
{
	struct view *v = view_new(r->a);
	struct insights in;
	struct buf b;
	int st, i, k;

	if ((st = load(r, r->pathid[0], &in)) != 200)
		return http_error(r, st, st == 404 ? "No such course." :
		    "Try again shortly.");
	view_set(v, "title", in.title);
	view_set_int(v, "course_id", (long)in.course);
	buf_init(&b);
	buf_puts(&b, "<table class=\"funnel\"><thead><tr><th scope=\"col\">"
	    "Stage</th><th scope=\"col\">Learners</th><th scope=\"col\">Of "
	    "enrolled</th></tr></thead><tbody>\n");
	for (i = 0; i < 4; i++)
		buf_printf(&b, "<tr><th scope=\"row\">%s</th><td>%ld</td>"
		    "<td>%.0f %%</td></tr>\n", stage[i], in.funnel[i],
		    in.funnel[0] > 0 ? 100.0 * in.funnel[i] / in.funnel[0] :
		    0.0);
	buf_puts(&b, "</tbody></table>\n");
	view_set_raw(v, "funnel", b.p);
	buf_reset(&b);
	if (in.nrisk > 0) {
		buf_puts(&b, "<table><thead><tr><th scope=\"col\">Learner</th>"
		    "<th scope=\"col\">Progress</th><th scope=\"col\">Why at "
		    "risk</th></tr></thead><tbody>\n");
		for (i = 0; i < in.nl; i++) {
			const struct learner *x = &in.l[i];

			if (x->nfactors == 0)
				continue;
			buf_puts(&b, "<tr><th scope=\"row\">");
			html(&b, x->name);
			buf_printf(&b, "</th><td>%ld / %ld</td><td><ul>",
			    x->done, x->total);
			for (k = 0; k < x->nfactors; k++) {
				buf_puts(&b, "<li>");
				html(&b, x->factors[k]);
				buf_puts(&b, "</li>");
			}
			buf_puts(&b, "</ul></td></tr>\n");
		}
		buf_puts(&b, "</tbody></table>\n");
		view_set_raw(v, "at_risk", b.p);
	}
	buf_reset(&b);
	for (i = 0; i < in.nsk; i++) {
		if (in.sk[i].mastery >= STRUGGLE_BELOW)
			continue;
		buf_puts(&b, "<li>");
		html(&b, in.sk[i].name);
		buf_printf(&b, ": mean mastery %.0f %% over %ld learner%s "
		    "(level %.1f, target %d)</li>\n", 100 * in.sk[i].mastery,
		    in.sk[i].n, in.sk[i].n == 1 ? "" : "s", in.sk[i].level,
		    in.sk[i].target);
	}
	if (b.len > 0) {
		struct buf u;

		buf_init(&u);
		buf_printf(&u, "<ul>\n%s</ul>\n", b.p);
		view_set_raw(v, "struggle", u.p);
		buf_free(&u);
	}
	buf_free(&b);
	return http_page_nav(r, TMPL_TEACH_INSIGHTS, v, arena_printf(r->a,
	    "Insights: %s", in.title), TMPL_NAV_TEACH);
}

int
page_api_teach_insights(struct req *r)
{
	struct insights in;
	int st, i, k;

	if ((st = load(r, r->pathid[0], &in)) != 200)
		return http_error(r, st, st == 404 ? "No such course." :
		    "Try again shortly.");
	json_begin(r);
	json_i64(r, "course_id", in.course);
	json_str(r, "title", in.title);
	json_obj_begin(r, "funnel");
	json_i64(r, "enrolled", in.funnel[0]);
	json_i64(r, "started", in.funnel[1]);
	json_i64(r, "half", in.funnel[2]);
	json_i64(r, "completed", in.funnel[3]);
	json_obj_end(r);
	json_arr_begin(r, "at_risk");
	for (i = 0; i < in.nl; i++) {
		const struct learner *x = &in.l[i];

		if (x->nfactors == 0)
			continue;
		json_obj_begin(r, NULL);
		json_i64(r, "user_id", x->id);
		json_str(r, "name", x->name);
		json_i64(r, "lessons_done", x->done);
		json_i64(r, "lessons", x->total);
		json_i64(r, "days_inactive", x->idle);
		if (isfinite(x->avg))
			json_dbl(r, "quiz_average", x->avg);
		json_i64(r, "failed_attempts", x->failed);
		json_arr_begin(r, "factors");
		for (k = 0; k < x->nfactors; k++) {
			json_obj_begin(r, NULL);
			json_str(r, "text", x->factors[k]);
			json_obj_end(r);
		}
		json_arr_end(r);
		json_obj_end(r);
	}
	json_arr_end(r);
	json_arr_begin(r, "struggling_skills");
	for (i = 0; i < in.nsk; i++) {
		if (in.sk[i].mastery >= STRUGGLE_BELOW)
			continue;
		json_obj_begin(r, NULL);
		json_i64(r, "skill_id", in.sk[i].id);
		json_str(r, "name", in.sk[i].name);
		json_dbl(r, "mean_mastery", in.sk[i].mastery);
		json_i64(r, "learners", in.sk[i].n);
		json_obj_end(r);
	}
	json_arr_end(r);
	json_end(r);
	return http_json(r, 200);
}
