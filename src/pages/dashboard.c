/*
 * dashboard: the signed-in learner's home (/dashboard) and its JSON twins
 * (GET /api/v1/dashboard: who and which courses; GET /api/v1/ai/dashboard:
 * the analytics in the shape of seed document 001).  It says what to do
 * next and why (the recommendations), how the last 30 days went, and
 * draws the score trend, mastery against the goal, a year of activity and
 * the review forecast as inline SVG with text alternatives.
 *
 * Design decisions.  Every number comes from per-learner rollups written
 * beside each action (sessions, learner_daily, lesson_progress, attempts,
 * learner_skill_state; see activity.c), each read through the user's index,
 * and the analytics themselves are liblearn's (learn_an_report), so a
 * dashboard's cost does not grow with the event log.  What a dashboard
 * shows, recommendations included, is kept in one dashboard_cache row per
 * learner: a dashboard that finds it current runs one statement and writes
 * nothing.  The row is current for 60 s of the same UTC day and while the
 * learner's learner_rec_state.gen is the one it was computed after (every
 * action that marks the recommendations stale, and every refresh of them,
 * advances it; migration 026), so the learner's own answers, lessons,
 * reviews and recommendation actions show on the next dashboard; what
 * others change (a course renamed) shows within a minute.  Each worker
 * keeps a copy of the rows it read last: the statement every dashboard
 * runs returns the row's version, and only a worker that does not hold
 * that version reads the row's ~33 KB of parts (see "memo" below).  Times
 * are UTC (the site does not know learners' time zones yet).
 */
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/log.h"
#include "db/db.h"
#include "http/view.h"
#include "learn/analytics.h"
#include "pages/adaptive.h"
#include "pages/charts.h"
#include "pages/pages.h"

#define CAL_DAYS	371
#define FORECAST_DAYS	14

static const char *
role_label(enum role r)
{
	switch (r) {
	case ROLE_ADMIN: return "Admin";
	case ROLE_INSTRUCTOR: return "Instructor";
	default: return "Learner";
	}
}

static int
load_courses(struct req *r)
{
	const char *p[1];

	p[0] = db_i64s(r->a, r->user.id);
	return db_exec(r->db, STMT_DASHBOARD_COURSES, 1, p);
}

/* ---- analytics -------------------------------------------------------- */

struct dskill {
	int64_t		 id;
	const char	*name;
	double		 mastery, level;
	int		 target;
};

struct dash {
	struct learn_an_report	 rep;
	struct learn_an_params	 ap;
	char			 message[768];
	struct chart_point	*pts;
	size_t			 npts;
	struct dskill		*skills;
	size_t			 nskills;
	long			 ago[CAL_DAYS];
	long			 forecast[FORECAST_DAYS + 1];
	double			 path_done, path_total;
	int64_t			 deadline;
};

static const char *
skill_name(void *arg, int kind, int64_t id)
{
	const struct dash *d = arg;
	size_t i;

	if (kind != LEARN_NAME_SKILL)
		return NULL;
	for (i = 0; i < d->nskills; i++)
		if (d->skills[i].id == id)
			return d->skills[i].name;
	return NULL;
}

static const char *
name_of_skill(const struct dash *d, int64_t id)
{
	const char *s = skill_name((void *)d, LEARN_NAME_SKILL, id);

	return s != NULL ? s : "a skill";
}

static int
dash_load(struct req *r, struct dash *d)
{
	struct learn_an_input in;
	struct learn_an_event *ev;
	struct learn_an_score *sc;
	struct learn_an_lesson *ls;
	struct learn_an_mastery *ms;
	struct learn_names ln;
	int64_t *done;
	const char *p[2];
	int n, i;

	memset(d, 0, sizeof(*d));
	memset(&in, 0, sizeof(in));
	learn_an_params_default(&d->ap);
	in.now = r->now;
	p[0] = db_i64s(r->a, r->user.id);
	if ((n = db_exec(r->db, STMT_DASHBOARD_SESSIONS, 1, p)) < 0)
		return n;
	ev = arena_calloc(r->a, (size_t)n + 1, sizeof(*ev));
	for (i = 0; i < n; i++) {
		ev[i].at = db_i64(r->db, i, 0);
		ev[i].secs = (int32_t)db_i64(r->db, i, 1);
	}
	in.events = ev;
	in.nevents = (size_t)n;
	/* Per-skill scores feed struggling topics and strengths; the
	 * overall scores feed the trend, the average and the chart. */
	if ((n = db_exec(r->db, STMT_DASHBOARD_SCORES, 1, p)) < 0)
		return n;
	d->pts = arena_calloc(r->a, (size_t)n + 1, sizeof(*d->pts));
	sc = arena_calloc(r->a, (size_t)n + 1, sizeof(*sc));
	for (i = 0; i < n; i++) {
		d->pts[i].v = db_dbl(r->db, i, 0);
		d->pts[i].t = db_i64(r->db, i, 1);
		sc[i].skill = 0;
		sc[i].score = d->pts[i].v / 100;
		sc[i].at = d->pts[i].t;
	}
	d->npts = (size_t)n;
	in.scores = sc;
	in.nscores = (size_t)n;
	if ((n = db_exec(r->db, STMT_DASHBOARD_LESSONS, 1, p)) < 0)
		return n;
	ls = arena_calloc(r->a, (size_t)n + 1, sizeof(*ls));
	for (i = 0; i < n; i++) {
		ls[i].lesson = db_i64(r->db, i, 0);
		ls[i].started = db_i64(r->db, i, 1);
		ls[i].completed = db_i64(r->db, i, 2);
	}
	in.lessons = ls;
	in.nlessons = (size_t)n;
	if ((n = db_exec(r->db, STMT_DASHBOARD_COURSES_DONE, 1, p)) < 0)
		return n;
	done = arena_calloc(r->a, (size_t)n + 1, sizeof(*done));
	for (i = 0; i < n; i++)
		done[i] = db_i64(r->db, i, 0);
	in.courses_done = done;
	in.ncourses_done = (size_t)n;
	if ((n = db_exec(r->db, STMT_DASHBOARD_SKILLS, 1, p)) < 0)
		return n;
	d->skills = arena_calloc(r->a, (size_t)n + 1, sizeof(*d->skills));
	ms = arena_calloc(r->a, (size_t)n + 1, sizeof(*ms));
	for (i = 0; i < n; i++) {
		d->skills[i].id = db_i64(r->db, i, 0);
		d->skills[i].name = arena_strdup(r->a, db_str(r->db, i, 1));
		d->skills[i].mastery = db_dbl(r->db, i, 2);
		d->skills[i].level = db_dbl(r->db, i, 3);
		d->skills[i].target = (int)db_i64(r->db, i, 4);
		ms[i].skill = d->skills[i].id;
		ms[i].p_known = d->skills[i].mastery;
	}
	d->nskills = (size_t)n;
	in.mastery = ms;
	in.nmastery = (size_t)n;
	if ((n = db_exec(r->db, STMT_DASHBOARD_DAILY, 1, p)) < 0)
		return n;
	for (i = 0; i < n; i++) {
		int64_t ago = db_i64(r->db, i, 0);

		if (ago >= 0 && ago < CAL_DAYS)
			d->ago[ago] = (long)db_i64(r->db, i, 1);
	}
	if ((n = db_exec(r->db, STMT_DASHBOARD_GOAL, 1, p)) < 0)
		return n;
	if (n > 0) {
		d->deadline = db_i64(r->db, 0, 0);
		in.goal_start = db_i64(r->db, 0, 1);
		d->path_done = db_dbl(r->db, 0, 2);
		d->path_total = db_dbl(r->db, 0, 3);
		in.goal_deadline = d->deadline;
		in.goal_progress = d->path_total > 0 ?
		    d->path_done / d->path_total : 0;
	}
	p[1] = db_i64s(r->a, FORECAST_DAYS - 1);
	if ((n = db_exec(r->db, STMT_SRS_FORECAST, 2, p)) < 0)
		return n;
	for (i = 0; i < n; i++) {
		int64_t day = db_i64(r->db, i, 0);

		if (day >= 0 && day < FORECAST_DAYS)
			d->forecast[day] = (long)db_i64(r->db, i, 1);
	}
	if (learn_an_report(&d->ap, &in, arena_calloc(r->a, in.nscores + 1,
	    sizeof(struct learn_an_skill)), &d->rep) == -1)
		return DB_HARD;
	ln.name = skill_name;
	ln.arg = d;
	learn_an_message(&d->rep, &ln, d->message, sizeof(d->message));
	return 0;
}

static const char *const direction_name[] = { "stable", "improving",
    "declining" };
static const char *const pace_name[] = { "unknown", "ahead", "on_track",
    "behind" };
static const char *const pace_label[] = { "no deadline set", "ahead",
    "on track", "behind" };

static void
html(struct buf *b, const char *s)
{
	buf_put_html(b, s != NULL ? s : "", s != NULL ? strlen(s) : 0);
}

/* The flags as phrases, into b as <li>s (html) or JSON strings. */
static const char *const strength_text[] = {
	"Strong quiz performance", "Excellent study discipline",
	"Scores improving",
};
static const char *const improve_text[] = {
	"Quiz scores below 60 %", "Finish more of the lessons you start",
	"Scores declining", "No study in the last 7 days",
};

static void
flags_list(struct buf *b, unsigned f, int strengths, int json)
{
	static const unsigned sf[] = { LEARN_AN_F_STRONG_SCORES,
	    LEARN_AN_F_DISCIPLINE, LEARN_AN_F_IMPROVING };
	static const unsigned imf[] = { LEARN_AN_F_LOW_SCORES,
	    LEARN_AN_F_LOW_COMPLETION, LEARN_AN_F_DECLINING,
	    LEARN_AN_F_INACTIVE };
	const unsigned *fl = strengths ? sf : imf;
	const char *const *tx = strengths ? strength_text : improve_text;
	size_t n = strengths ? 3 : 4, i;
	int first = 1;

	for (i = 0; i < n; i++) {
		if (!(f & fl[i]))
			continue;
		if (json) {
			buf_printf(b, "%s\"", first ? "" : ",");
			buf_put_json(b, tx[i], strlen(tx[i]));
			buf_putc(b, '"');
		} else {
			buf_puts(b, "<li>");
			html(b, tx[i]);
			buf_puts(b, "</li>\n");
		}
		first = 0;
	}
}

static const char *
trend_sentence(struct req *r, const struct learn_an_trend *t)
{
	if (!t->enough)
		return arena_printf(r->a, "Not enough quizzes in the last %d "
		    "days for a trend (%ld so far).", t->days, t->n);
	return arena_printf(r->a, "%s: %+.1f points over %d days (slope "
	    "%+.2f points a day, %ld quizzes).", t->direction ==
	    LEARN_AN_IMPROVING ? "Improving" : t->direction ==
	    LEARN_AN_DECLINING ? "Declining" : "Stable", 100 * t->change,
	    t->days, 100 * t->slope, t->n);
}

static const char *
study_recommendation(struct req *r, const struct learn_an_engagement *e)
{
	if (e->nweekdays == 0 || e->npeak_hours == 0)
		return "";
	if (e->nweekdays >= 2)
		return arena_printf(r->a, "You learn best on %s and %s around "
		    "%02d:00 (UTC).", learn_an_weekday_name(e->weekdays[0]),
		    learn_an_weekday_name(e->weekdays[1]), e->peak_hours[0]);
	return arena_printf(r->a, "You learn best on %s around %02d:00 (UTC).",
	    learn_an_weekday_name(e->weekdays[0]), e->peak_hours[0]);
}

/* ---- the computed part, cached ---------------------------------------- */

/* What a dashboard shows: computed by dash_compute, kept in
 * dashboard_cache (migrations 016, 026 and 038), in the order of
 * dashboard_cache_parts' columns. */
enum dpart_col { DO_MESSAGE, DO_COURSES, DO_ANALYTICS, DO_JSON, DO_RECS,
    DO_RECS_JSON, DO__MAX };

struct dash_out {
	const char	*s[DO__MAX];
	/*
	 * DO_MESSAGE: the personalised message; DO_COURSES: the course rows
	 * (row_course.html); DO_ANALYTICS: the summary and charts section;
	 * DO_JSON: the JSON twin's members, no braces; DO_RECS: the
	 * recommendations' <li>s; DO_RECS_JSON: their JSON members.
	 */
};

/* Where the session's CSRF token goes in a cached recommendation form:
 * a quote followed by '<' never occurs in escaped text nor in the markup
 * written here, so the slot cannot be confused with content. */
#define CSRF_SLOT	"\"<csrf>\""

static int
courses_html(struct req *r, struct buf *rows)
{
	struct view *row = view_new(r->a);
	int n, i;

	if ((n = load_courses(r)) < 0)
		return n;
	for (i = 0; i < n; i++) {
		view_clear(row);
		view_set(row, "url", arena_printf(r->a, "/courses/%lld",
		    (long long)db_i64(r->db, i, 0)));
		view_set(row, "title", db_str(r->db, i, 1));
		view_set_int(row, "progress", (long)db_i64(r->db, i, 2));
		view_set_bool(row, "completed",
		    strcmp(db_str(r->db, i, 3), "completed") == 0);
		if (db_i64(r->db, i, 4) != 0)
			view_set(row, "resume_url", arena_printf(r->a,
			    "/courses/%lld/lessons/%lld",
			    (long long)db_i64(r->db, i, 0),
			    (long long)db_i64(r->db, i, 4)));
		if (tmpl_render_row(TMPL_ROW_COURSE, row, rows) == -1)
			return DB_HARD;
	}
	return 0;
}

static void
analytics_html(struct req *r, const struct dash *d, struct buf *b)
{
	const struct learn_an_summary *s = &d->rep.summary;
	const struct learn_an_engagement *e = &d->rep.engagement;
	struct chart_skill *cs;
	struct buf li;
	const char *t;
	size_t k;

	buf_puts(b, "<section aria-labelledby=\"summary-title\">\n<h2 id="
	    "\"summary-title\">The last 30 days</h2>\n<ul class=\"stats\">\n");
	buf_printf(b, "<li><strong>%ld</strong> lessons completed</li>\n",
	    s->lessons_completed);
	if (s->nscores > 0)
		buf_printf(b, "<li><strong>%.0f %%</strong> average quiz "
		    "score</li>\n", 100 * s->avg_score);
	else
		buf_puts(b, "<li><strong>no quiz yet</strong> average quiz "
		    "score</li>\n");
	if (isfinite(s->completion_rate))
		buf_printf(b, "<li><strong>%.0f %%</strong> of started lessons "
		    "completed</li>\n", 100 * s->completion_rate);
	buf_printf(b, "<li><strong>%d</strong>-day streak (longest %d)</li>\n"
	    "<li><strong>%.1f</strong> hours of study</li>\n</ul>\n",
	    s->current_streak, s->longest_streak, s->study_hours);
	buf_puts(b, "<p>");
	html(b, trend_sentence(r, &d->rep.trend));
	buf_puts(b, "</p>\n<p>");
	t = d->rep.pace.kind == LEARN_AN_PACE_UNKNOWN ?
	    "Set a deadline in your goal to see your pace." :
	    arena_printf(r->a, "You are %s: %.0f %% of your path done with "
	    "%.0f %% of the time gone (%lld days left).",
	    pace_label[d->rep.pace.kind], 100 * d->rep.pace.progress,
	    100 * d->rep.pace.elapsed, (long long)d->rep.pace.days_left);
	html(b, t);
	buf_puts(b, "</p>\n");
	if (e->nsessions > 0) {
		buf_puts(b, "<p>");
		html(b, arena_printf(r->a, "%ld sessions in the last 30 days, "
		    "%.0f minutes on average. %s", e->nsessions,
		    e->avg_session_secs / 60, study_recommendation(r, e)));
		buf_puts(b, "</p>\n");
	}
	buf_init(&li);
	flags_list(&li, d->rep.strengths, 1, 0);
	if (li.len > 0)
		buf_printf(b, "<h3>Strengths</h3>\n<ul>\n%s</ul>\n", li.p);
	buf_reset(&li);
	flags_list(&li, d->rep.improve, 0, 0);
	for (k = 0; k < d->rep.nstruggling; k++) {
		buf_puts(&li, "<li>");
		html(&li, name_of_skill(d, d->rep.struggling[k].skill));
		buf_printf(&li, " (%.0f %%)</li>\n",
		    100 * d->rep.struggling[k].avg);
	}
	if (li.len > 0)
		buf_printf(b, "<h3>To improve</h3>\n<ul>\n%s</ul>\n", li.p);
	buf_free(&li);
	buf_puts(b, "</section>\n<section aria-labelledby=\"charts-title\" "
	    "class=\"charts\">\n<h2 id=\"charts-title\">Your progress in "
	    "pictures</h2>\n");
	chart_trend(b, d->pts, d->npts, r->now, 90, d->rep.trend.enough ?
	    d->rep.trend.slope : NAN, trend_sentence(r, &d->rep.trend));
	cs = arena_calloc(r->a, d->nskills + 1, sizeof(*cs));
	for (k = 0; k < d->nskills; k++) {
		cs[k].name = d->skills[k].name;
		cs[k].level = d->skills[k].level;
		cs[k].mastery = d->skills[k].mastery;
		cs[k].target = d->skills[k].target;
	}
	if (d->nskills > 0)
		chart_mastery(b, cs, d->nskills);
	chart_calendar(b, d->ago, CAL_DAYS, r->now);
	chart_forecast(b, d->forecast, FORECAST_DAYS, r->now);
	buf_puts(b, "</section>\n");
}

static void
json_num_or_null(struct req *r, const char *key, double x)
{
	if (isfinite(x))
		json_dbl(r, key, x);
	else
		json_raw(r, key, "null");
}

/* The JSON twin's members that do not depend on recommendations, written
 * to r->body after "{". */
static void
analytics_json(struct req *r, const struct dash *d)
{
	const struct learn_an_summary *s = &d->rep.summary;
	const struct learn_an_engagement *e = &d->rep.engagement;
	struct buf b;
	size_t k;
	int i;

	json_obj_begin(r, "performance_summary");
	json_i64(r, "days", d->ap.days);
	json_i64(r, "lessons_completed", s->lessons_completed);
	json_num_or_null(r, "avg_quiz_score", s->nscores > 0 ?
	    100 * s->avg_score : NAN);
	json_num_or_null(r, "completion_rate", s->completion_rate);
	json_i64(r, "current_streak", s->current_streak);
	json_i64(r, "longest_streak", s->longest_streak);
	json_dbl(r, "study_hours", s->study_hours);
	json_str(r, "performance_trend",
	    direction_name[d->rep.trend.direction]);
	json_obj_end(r);
	json_obj_begin(r, "trend");
	json_str(r, "direction", direction_name[d->rep.trend.direction]);
	json_dbl(r, "slope_per_day", d->rep.trend.slope);
	json_i64(r, "window_days", d->rep.trend.days);
	json_i64(r, "scores", d->rep.trend.n);
	json_bool(r, "enough_data", d->rep.trend.enough);
	json_obj_end(r);
	json_obj_begin(r, "engagement_patterns");
	json_arr_begin(r, "peak_hours");
	for (i = 0; i < e->npeak_hours; i++) {
		json_obj_begin(r, NULL);
		json_i64(r, "hour", e->peak_hours[i]);
		json_obj_end(r);
	}
	json_arr_end(r);
	buf_init(&b);
	buf_putc(&b, '[');
	for (i = 0; i < e->nweekdays; i++)
		buf_printf(&b, "%s\"%s\"", i ? "," : "",
		    learn_an_weekday_name(e->weekdays[i]));
	buf_putc(&b, ']');
	json_raw(r, "preferred_days", b.p);
	json_dbl(r, "avg_session_minutes", e->avg_session_secs / 60);
	json_i64(r, "sessions", e->nsessions);
	json_obj_end(r);
	json_obj_begin(r, "current_goals");
	json_num_or_null(r, "path_progress", d->path_total > 0 ?
	    d->path_done / d->path_total : NAN);
	json_dbl(r, "path_hours", d->path_total);
	json_i64(r, "deadline", d->deadline);
	json_obj_end(r);
	json_arr_begin(r, "struggling_topics");
	for (k = 0; k < d->rep.nstruggling; k++) {
		json_obj_begin(r, NULL);
		json_i64(r, "skill_id", d->rep.struggling[k].skill);
		json_str(r, "skill", name_of_skill(d,
		    d->rep.struggling[k].skill));
		json_dbl(r, "avg_score", 100 * d->rep.struggling[k].avg);
		json_str(r, "difficulty", "needs_help");
		json_obj_end(r);
	}
	json_arr_end(r);
	json_obj_begin(r, "ai_insights");
	json_str(r, "learning_pace", pace_name[d->rep.pace.kind]);
	json_str(r, "performance_trend",
	    direction_name[d->rep.trend.direction]);
	json_str(r, "personalized_message", d->message);
	buf_reset(&b);
	buf_putc(&b, '[');
	flags_list(&b, d->rep.strengths, 1, 1);
	buf_putc(&b, ']');
	json_raw(r, "strengths", b.p);
	buf_reset(&b);
	buf_putc(&b, '[');
	flags_list(&b, d->rep.improve, 0, 1);
	for (k = 0; k < d->rep.nstruggling; k++) {
		const char *nm = name_of_skill(d, d->rep.struggling[k].skill);

		buf_printf(&b, "%s\"", b.len > 1 ? "," : "");
		buf_put_json(&b, nm, strlen(nm));
		buf_putc(&b, '"');
	}
	buf_putc(&b, ']');
	json_raw(r, "areas_for_improvement", b.p);
	buf_free(&b);
	json_str(r, "study_recommendation", study_recommendation(r, e));
	json_obj_end(r);
	json_arr_begin(r, "review_forecast");
	for (i = 0; i < FORECAST_DAYS; i++) {
		json_obj_begin(r, NULL);
		json_i64(r, "day", i);
		json_i64(r, "due", d->forecast[i]);
		json_obj_end(r);
	}
	json_arr_end(r);
}

/* The recommendations as <li>s with a form each, a CSRF_SLOT in place of
 * the token (the cache serves every session of the learner). */
static void
recs_html(struct buf *b, const struct rec_row *recs, int n)
{
	int i, a;
	static const char *const label[] = { "Do it", "Not now",
	    "Dismiss" };

	for (i = 0; i < n; i++) {
		const struct rec_row *x = &recs[i];

		buf_printf(b, "<li class=\"rec rec-%s%s\"><p><strong>", x->kind,
		    x->rank == 0 ? " rec-featured" : "");
		html(b, x->title);
		buf_puts(b, "</strong><br><span class=\"why\">Why: ");
		html(b, x->reason);
		buf_puts(b, "</span></p>\n<form class=\"form inline\" "
		    "method=\"post\" action=\"");
		buf_printf(b, "/recommendations/%lld/action", (long long)x->id);
		buf_puts(b, "\"><input type=\"hidden\" name=\"csrf\" value="
		    CSRF_SLOT ">");
		for (a = 0; a < 3; a++) {
			buf_printf(b, "<button type=\"submit\" name=\"action\" "
			    "value=\"%s\"%s>%s<span class=\"visually-hidden\">"
			    ": ", page_rec_actions[a], a ?
			    " class=\"button-secondary\"" : "", label[a]);
			html(b, x->title);
			buf_puts(b, "</span></button> ");
		}
		buf_puts(b, "</form></li>\n");
	}
}

/* One of seed document 001's recommendation lists: the next lessons, or
 * (revision) the revision and review recommendations. */
static void
recs_json_list(struct req *r, const char *key, const struct rec_row *recs,
    int nrecs, int revision)
{
	int i;

	json_arr_begin(r, key);
	for (i = 0; i < nrecs; i++) {
		const char *k = recs[i].kind;

		if (revision ? strcmp(k, "revision") != 0 &&
		    strcmp(k, "review") != 0 : strcmp(k, "next_lesson") != 0)
			continue;
		json_obj_begin(r, NULL);
		json_i64(r, "recommendation_id", recs[i].id);
		if (revision)
			json_str(r, "kind", k);
		else
			json_i64(r, "lesson_id", recs[i].lesson);
		json_str(r, "title", recs[i].title);
		json_str(r, "reason", recs[i].reason);
		if (!revision)
			json_str(r, "url", recs[i].url);
		json_obj_end(r);
	}
	json_arr_end(r);
}

/* The JSON twin's members about recommendations, written to r->body
 * after "{". */
static void
recs_json(struct req *r, const struct rec_row *recs, int nrecs)
{
	recs_json_list(r, "recommended_next_lessons", recs, nrecs, 0);
	recs_json_list(r, "revision_recommendations", recs, nrecs, 1);
	rec_json(r, recs, nrecs);
}

/* r->body's JSON members (after json_begin's "{") into the arena; resets
 * r->body. */
static const char *
body_members(struct req *r)
{
	const char *m = arena_strndup(r->a, r->body->p + 1, r->body->len - 1);

	buf_reset(r->body);
	return m;
}

/* The page body (dashboard.html with the parts in place): the
 * recommendations, the only place with CSRF_SLOTs, are html[recs_at] to
 * html[recs_at + recs_len]. */
struct dash_body {
	char		*html;
	size_t		 len, recs_at, recs_len;
};

/*
 * The worker's copies of the rows it read last (one per learner slot,
 * MEMO_SLOTS per worker process, shared by its threads).  They are not a
 * cache of their own: every dashboard still runs dashboard_cache_get,
 * which decides whether the row is current as before and returns the
 * row's ver (migration 038: every write of the row takes a new one), and
 * a copy is used only when it is of that very ver, so it is exactly what
 * the row holds; only a worker without it reads the parts
 * (dashboard_cache_parts).  That spares PostgreSQL reading and sending
 * ~33 KB of text per dashboard and this worker receiving and copying it.
 * Beside the parts, a slot keeps the page body rendered from them
 * (dashboard.html, CSRF_SLOTs in place of tokens) for the name and role
 * it shows, so a dashboard whose row did not change renders only the
 * layout.  A slot costs the row's size twice, at most (MEMO_MAX bytes
 * each; larger rows are not kept): ~4 MB for 64 slots of this bench's
 * learner.
 */
#define MEMO_SLOTS	64
#define MEMO_MAX	(256 * 1024)

struct memo {
	int64_t		 uid;
	int64_t		 ver;		/* 0: empty (sequences start at 1) */
	size_t		 len;		/* of blk: the parts, each NUL-ended */
	char		*blk;
	char		*who;		/* NULL, or the page's "name\nrole" */
	struct dash_body page;		/* the body rendered for who */
};

static struct memo memo[MEMO_SLOTS];
static pthread_mutex_t memo_lock = PTHREAD_MUTEX_INITIALIZER;

static struct memo *
memo_slot(int64_t uid)
{
	return &memo[(uint64_t)uid % MEMO_SLOTS];
}

/* The learner's parts of version ver into o (in r's arena): 0, or -1 when
 * this worker does not hold them. */
static int
memo_parts(struct req *r, int64_t uid, int64_t ver, struct dash_out *o)
{
	struct memo *m = memo_slot(uid);
	char *c = NULL;
	int k;

	pthread_mutex_lock(&memo_lock);
	if (m->ver == ver && m->uid == uid) {
		c = arena_alloc(r->a, m->len);
		memcpy(c, m->blk, m->len);
	}
	pthread_mutex_unlock(&memo_lock);
	if (c == NULL)
		return -1;
	for (k = 0; k < DO__MAX; k++) {
		o->s[k] = c;
		c += strlen(c) + 1;
	}
	return 0;
}

/* Keeps a copy of o as the learner's row of version ver (dropping the
 * slot's page). */
static void
memo_put(int64_t uid, int64_t ver, const struct dash_out *o)
{
	struct memo *m = memo_slot(uid);
	struct memo old;
	size_t len[DO__MAX], total = 0, at = 0;
	char *blk;
	int k;

	for (k = 0; k < DO__MAX; k++)
		total += (len[k] = strlen(o->s[k])) + 1;
	if (ver <= 0 || total > MEMO_MAX || (blk = malloc(total)) == NULL)
		return;
	for (k = 0; k < DO__MAX; k++) {
		memcpy(blk + at, o->s[k], len[k] + 1);
		at += len[k] + 1;
	}
	pthread_mutex_lock(&memo_lock);
	old = *m;
	m->uid = uid;
	m->ver = ver;
	m->len = total;
	m->blk = blk;
	m->who = NULL;
	m->page.html = NULL;
	pthread_mutex_unlock(&memo_lock);
	free(old.blk);
	free(old.who);
	free(old.page.html);
}

static void	page_splice(struct req *, struct buf *,
		    const struct dash_body *);

/* The page body of the learner's version ver rendered for who, with the
 * session's CSRF tokens, appended to out: 0, or -1 when this worker does
 * not hold it. */
static int
memo_page(struct req *r, int64_t uid, int64_t ver, const char *who,
    struct buf *out)
{
	struct memo *m = memo_slot(uid);
	int rc = -1;

	pthread_mutex_lock(&memo_lock);
	if (m->ver == ver && m->uid == uid && m->who != NULL &&
	    strcmp(m->who, who) == 0) {
		page_splice(r, out, &m->page);
		rc = 0;
	}
	pthread_mutex_unlock(&memo_lock);
	return rc;
}

/* Keeps a copy of page as the body of the learner's version ver for who,
 * if the slot still holds that version's parts. */
static void
memo_page_put(int64_t uid, int64_t ver, const char *who,
    const struct dash_body *page)
{
	struct memo *m = memo_slot(uid);
	struct dash_body p = *page;
	char *w, *old_w = NULL, *old_p = NULL;

	if (ver <= 0 || p.len > MEMO_MAX || (w = strdup(who)) == NULL)
		return;
	if ((p.html = malloc(p.len + 1)) == NULL) {
		free(w);
		return;
	}
	memcpy(p.html, page->html, p.len + 1);
	pthread_mutex_lock(&memo_lock);
	if (m->ver == ver && m->uid == uid) {
		old_w = m->who;
		old_p = m->page.html;
		m->who = w;
		m->page = p;
		w = p.html = NULL;
	}
	pthread_mutex_unlock(&memo_lock);
	free(old_w);
	free(old_p);
	free(w);
	free(p.html);
}

/* Computes everything the dashboard shows and stores it: 0 or a db_err,
 * *ver the stored row's version (0 if not stored).  The recommendations
 * come first: rec_load reads the gen the row is stored under before
 * anything else is read.  Uses r->body as scratch for the JSON. */
static int
dash_compute(struct req *r, struct dash_out *o, int64_t *ver)
{
	struct dash d;
	struct rec_row *recs;
	struct buf rows, an;
	const char *p[8];
	int64_t gen;
	int n, nrecs;

	*ver = 0;
	if ((nrecs = rec_load(r, &recs, &gen)) < 0)
		return nrecs;
	buf_init(&rows);
	if ((n = courses_html(r, &rows)) < 0) {
		buf_free(&rows);
		return n;
	}
	if ((n = dash_load(r, &d)) < 0) {
		buf_free(&rows);
		return n;
	}
	buf_init(&an);
	analytics_html(r, &d, &an);
	json_begin(r);
	analytics_json(r, &d);
	o->s[DO_JSON] = body_members(r);
	json_begin(r);
	recs_json(r, recs, nrecs);
	o->s[DO_RECS_JSON] = body_members(r);
	o->s[DO_MESSAGE] = arena_strdup(r->a, d.message);
	o->s[DO_COURSES] = arena_strdup(r->a, rows.p != NULL ? rows.p : "");
	o->s[DO_ANALYTICS] = arena_strdup(r->a, an.p != NULL ? an.p : "");
	buf_reset(&rows);
	recs_html(&rows, recs, nrecs);
	o->s[DO_RECS] = arena_strdup(r->a, rows.p != NULL ? rows.p : "");
	buf_free(&rows);
	buf_free(&an);
	p[0] = db_i64s(r->a, r->user.id);
	p[1] = o->s[DO_MESSAGE];
	p[2] = o->s[DO_COURSES];
	p[3] = o->s[DO_ANALYTICS];
	p[4] = o->s[DO_JSON];
	p[5] = db_i64s(r->a, gen);
	p[6] = o->s[DO_RECS];
	p[7] = o->s[DO_RECS_JSON];
	/* A failed write only costs the next request a recomputation. */
	if ((n = db_exec(r->db, STMT_DASHBOARD_CACHE_PUT, 8, p)) < 0 &&
	    n != DB_CONFLICT)
		return n;
	if (n == 1) {
		*ver = db_i64(r->db, 0, 0);
		memo_put(r->user.id, *ver, o);
	}
	return 0;
}

/* The version of the learner's current cached row, 0 if none (then the
 * dashboard is computed): 0 or a db_err. */
static int
dash_current(struct req *r, int64_t *ver)
{
	const char *p[1];
	int n;

	p[0] = db_i64s(r->a, r->user.id);
	if ((n = db_exec(r->db, STMT_DASHBOARD_CACHE_GET, 1, p)) < 0)
		return n;
	*ver = n > 0 ? db_i64(r->db, 0, 0) : 0;
	return 0;
}

/* The parts of the learner's row of version *ver: this worker's copy, else
 * read from the row, else (no such row: none current, or rewritten since
 * dash_current) computed, *ver then the new row's.  0 or a db_err. */
static int
dash_parts(struct req *r, int64_t *ver, struct dash_out *o)
{
	const char *p[2];
	int n, k;

	if (*ver == 0)
		return dash_compute(r, o, ver);
	if (memo_parts(r, r->user.id, *ver, o) == 0)
		return 0;
	p[0] = db_i64s(r->a, r->user.id);
	p[1] = db_i64s(r->a, *ver);
	if ((n = db_exec(r->db, STMT_DASHBOARD_CACHE_PARTS, 2, p)) < 0)
		return n;
	if (n == 0)
		return dash_compute(r, o, ver);
	for (k = 0; k < DO__MAX; k++)
		o->s[k] = arena_strdup(r->a, db_str(r->db, 0, k));
	memo_put(r->user.id, *ver, o);
	return 0;
}

/* Everything the dashboard shows: one statement when the cached row is
 * current and this worker holds that version of it, two when it does not,
 * else computed (and stored).  0 or a db_err. */
static int
dash_get(struct req *r, struct dash_out *o)
{
	int64_t ver;
	int n;

	if ((n = dash_current(r, &ver)) < 0)
		return n;
	return dash_parts(r, &ver, o);
}

/* The cached recommendations (len bytes at s) into b with the session's
 * CSRF token in each slot. */
static void
recs_splice(struct req *r, struct buf *b, const char *s, size_t len)
{
	const char *q, *end = s + len;

	while ((q = memmem(s, (size_t)(end - s), CSRF_SLOT,
	    sizeof(CSRF_SLOT) - 1)) != NULL) {
		buf_put(b, s, (size_t)(q - s));
		buf_putc(b, '"');
		html(b, r->csrf);
		buf_putc(b, '"');
		s = q + sizeof(CSRF_SLOT) - 1;
	}
	buf_put(b, s, (size_t)(end - s));
}

/* The page body into out with the session's CSRF tokens. */
static void
page_splice(struct req *r, struct buf *out, const struct dash_body *p)
{
	buf_reserve(out, p->len + 1024);
	buf_put(out, p->html, p->recs_at);
	recs_splice(r, out, p->html + p->recs_at, p->recs_len);
	buf_put(out, p->html + p->recs_at + p->recs_len,
	    p->len - p->recs_at - p->recs_len);
}

/*
 * The cached parts (most of the page) do not go through CTPL, which
 * copies a value four times on its way out: the template gets a marker
 * for each, and dash_body puts the part in its place after the render.
 * The markers are HTML comments, and '<' never occurs in escaped text, so
 * nothing a user wrote can pass for one.  They are in the template's
 * order.
 */
enum dpart { DP_RECS, DP_COURSES, DP_ANALYTICS, DP__MAX };
static const char *const dpart_var[DP__MAX] = { "recs", "courses",
    "analytics" };
static const char *const dpart_mark[DP__MAX] = { "<!--recs-->",
    "<!--courses-->", "<!--analytics-->" };
static const enum dpart_col dpart_col[DP__MAX] = { DO_RECS, DO_COURSES,
    DO_ANALYTICS };

/* The page body (dashboard.html) for o and the signed-in learner, with the
 * recommendations' CSRF_SLOTs, into b and *p (pointing into b): 0, or -1
 * (logged). */
static int
dash_body(struct req *r, const struct dash_out *o, struct buf *b,
    struct dash_body *p)
{
	struct view *v = view_new(r->a);
	struct buf t;
	const char *s, *q, *part;
	size_t k;
	int rc;

	view_set(v, "name", r->user.name);
	view_set(v, "role", role_label(r->user.role));
	view_set(v, "message", o->s[DO_MESSAGE]);
	for (k = 0; k < DP__MAX; k++)
		view_set_raw(v, dpart_var[k], o->s[dpart_col[k]][0] != '\0' ?
		    dpart_mark[k] : "");
	memset(p, 0, sizeof(*p));
	buf_init(&t);
	if ((rc = tmpl_render(TMPL_DASHBOARD, v, &t)) == 0) {
		s = t.p != NULL ? t.p : "";
		for (k = 0; k < DP__MAX; k++) {
			part = o->s[dpart_col[k]];
			if (part[0] == '\0' ||
			    (q = strstr(s, dpart_mark[k])) == NULL)
				continue;
			buf_put(b, s, (size_t)(q - s));
			if (k == DP_RECS) {
				p->recs_at = b->len;
				p->recs_len = strlen(part);
			}
			buf_puts(b, part);
			s = q + strlen(dpart_mark[k]);
		}
		buf_puts(b, s);
		p->html = b->p != NULL ? b->p : (char *)"";
		p->len = b->len;
	} else
		log_msg("%s: rendering the dashboard failed", r->id);
	buf_free(&t);
	return rc;
}

int
page_dashboard(struct req *r)
{
	struct dash_out o;
	struct dash_body body;
	struct buf b, page;
	const char *who;
	int64_t ver;
	int n, st;

	if ((n = dash_current(r, &ver)) < 0)
		return page_db_status(n);
	who = arena_printf(r->a, "%s\n%s", r->user.name,
	    role_label(r->user.role));
	buf_init(&b);
	buf_init(&page);
	if (ver == 0 || memo_page(r, r->user.id, ver, who, &page) == -1) {
		if ((n = dash_parts(r, &ver, &o)) < 0 ||
		    dash_body(r, &o, &b, &body) == -1) {
			buf_free(&b);
			return n < 0 ? page_db_status(n) : 500;
		}
		memo_page_put(r->user.id, ver, who, &body);
		page_splice(r, &page, &body);
	}
	if (http_param(r, "welcome") != NULL)
		r->flash = "Welcome to Adept! Your account is ready.";
	st = http_page_html(r, page.p != NULL ? page.p : "", page.len,
	    "Dashboard", TMPL_NAV_DASHBOARD);
	buf_free(&page);
	buf_free(&b);
	return st;
}

int
page_api_dashboard(struct req *r)
{
	int n, i;

	if ((n = load_courses(r)) < 0)
		return http_error(r, page_db_status(n), "Try again shortly.");
	json_begin(r);
	json_i64(r, "user_id", r->user.id);
	json_str(r, "full_name", r->user.name);
	json_str(r, "role", r->user.role_name);
	json_raw(r, "courses", "[");
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_putc(r->body, ',');
		buf_putc(r->body, '{');
		json_i64(r, "id", db_i64(r->db, i, 0));
		json_str(r, "title", db_str(r->db, i, 1));
		json_i64(r, "progress", db_i64(r->db, i, 2));
		json_str(r, "status", db_str(r->db, i, 3));
		if (db_i64(r->db, i, 4) != 0)
			json_i64(r, "last_lesson_id", db_i64(r->db, i, 4));
		else
			json_raw(r, "last_lesson_id", "null");
		buf_putc(r->body, '}');
	}
	buf_putc(r->body, ']');
	json_end(r);
	return http_json(r, 200);
}

int
page_api_ai_dashboard(struct req *r)
{
	struct dash_out o;
	int n;

	if ((n = dash_get(r, &o)) < 0)
		return http_error(r, page_db_status(n), "Try again shortly.");
	json_begin(r);
	buf_puts(r->body, o.s[DO_JSON]);
	buf_putc(r->body, ',');
	buf_puts(r->body, o.s[DO_RECS_JSON]);
	json_end(r);
	return http_json(r, 200);
}

int
page_api_me(struct req *r)
{
	json_begin(r);
	json_i64(r, "id", r->user.id);
	json_str(r, "email", r->user.email);
	json_str(r, "full_name", r->user.name);
	json_str(r, "role", r->user.role_name);
	json_end(r);
	return http_json(r, 200);
}
