/*
 * quiz: quizzes for instructors (/teach/quizzes, /api/v1/assessments):
 * create one (fixed questions or a random draw by skill and difficulty,
 * attached to a lesson or module, pass mark, attempts allowed, time limit,
 * one page per question or per quiz), add and remove questions, and the
 * item analytics over its submitted attempts.
 *
 * Design decision: analytics are computed in SQL from the responses at
 * view time (counts, corr() for the point-biserial), per question version,
 * so a fixed question's old version keeps its own figures.  Ownership is
 * in the SQL: another instructor's quiz is not found (404).
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "db/db.h"
#include "http/view.h"
#include "pages/pages.h"

static const char *const mode_names[] = { "fixed", "random", NULL };
static const char *const per_page_names[] = { "question", "quiz", NULL };

const struct http_field page_quiz_fields[F_QZ__MAX] = {
	[F_QZ_TITLE] = { "title", HTTP_FT_STRING, 1, 200, 0, 0, NULL, 1,
	    "Title" },
	[F_QZ_MODE] = { "mode", HTTP_FT_ENUM, 0, 0, 0, 0, mode_names, 0,
	    "Questions" },
	[F_QZ_LESSON] = { "lesson_id", HTTP_FT_INT, 0, 0, 1, LLONG_MAX, NULL,
	    0, "Lesson" },
	[F_QZ_MODULE] = { "module_id", HTTP_FT_INT, 0, 0, 1, LLONG_MAX, NULL,
	    0, "Module" },
	[F_QZ_SKILL] = { "skill_id", HTTP_FT_INT, 0, 0, 1, LLONG_MAX, NULL,
	    0, "Skill" },
	[F_QZ_MIN] = { "draw_min", HTTP_FT_INT, 0, 0, 1, 10, NULL, 0,
	    "Lowest difficulty" },
	[F_QZ_MAX] = { "draw_max", HTTP_FT_INT, 0, 0, 1, 10, NULL, 0,
	    "Highest difficulty" },
	[F_QZ_COUNT] = { "draw_count", HTTP_FT_INT, 0, 0, 1, 100, NULL, 0,
	    "Questions drawn" },
	[F_QZ_PASS] = { "pass_mark", HTTP_FT_INT, 0, 0, 0, 100, NULL, 0,
	    "Pass mark" },
	[F_QZ_ATTEMPTS] = { "attempts_allowed", HTTP_FT_INT, 0, 0, 0, 1000,
	    NULL, 0, "Attempts allowed" },
	[F_QZ_MINUTES] = { "time_limit_minutes", HTTP_FT_DOUBLE, 0, 0, 0,
	    1440, NULL, 0, "Time limit" },
	[F_QZ_PER_PAGE] = { "per_page", HTTP_FT_ENUM, 0, 0, 0, 0,
	    per_page_names, 0, "Layout" },
	[F_QZ_QUESTION] = { "question_id", HTTP_FT_INT, 0, 0, 1, LLONG_MAX,
	    NULL, 0, "Question" },
	[F_QZ_REMOVE] = { "remove_id", HTTP_FT_INT, 0, 0, 1, LLONG_MAX, NULL,
	    0, "Question" },
};

static const char *
admin_arg(const struct req *r)
{
	return r->user.role == ROLE_ADMIN ? "true" : "false";
}

static void
html(struct buf *b, const char *s)
{
	buf_put_html(b, s != NULL ? s : "", s != NULL ? strlen(s) : 0);
}

static const char *
opt_i64(struct req *r, int f)
{
	return r->form.present[f] ? db_i64s(r->a, r->form.i64[f]) : NULL;
}

/*
 * Creates a quiz from the validated form: 0 with *id, or 400 with *msg,
 * or a 5xx.
 */
static int
create(struct req *r, int64_t *id, const char **msg)
{
	const struct http_form *f = &r->form;
	const char *p[13];
	int n, lo, hi;

	*msg = NULL;
	if (f->nerr > 0) {
		*msg = http_form_error(f);
		return 400;
	}
	lo = f->present[F_QZ_MIN] ? (int)f->i64[F_QZ_MIN] : 1;
	hi = f->present[F_QZ_MAX] ? (int)f->i64[F_QZ_MAX] : 10;
	if (lo > hi) {
		*msg = "The lowest difficulty is above the highest.";
		return 400;
	}
	p[1] = db_i64s(r->a, r->user.id);
	p[2] = admin_arg(r);
	if (f->present[F_QZ_LESSON]) {
		p[0] = db_i64s(r->a, f->i64[F_QZ_LESSON]);
		if ((n = db_exec(r->db, STMT_QUIZ_LESSON_OK, 3, p)) < 0)
			return page_db_status(n);
		if (n == 0) {
			*msg = "No such lesson in your courses.";
			return 400;
		}
	}
	if (f->present[F_QZ_MODULE]) {
		p[0] = db_i64s(r->a, f->i64[F_QZ_MODULE]);
		if ((n = db_exec(r->db, STMT_QUIZ_MODULE_OK, 3, p)) < 0)
			return page_db_status(n);
		if (n == 0) {
			*msg = "No such module in your courses.";
			return 400;
		}
	}
	p[0] = db_i64s(r->a, r->user.id);
	p[1] = f->str[F_QZ_TITLE];
	p[2] = opt_i64(r, F_QZ_LESSON);
	p[3] = opt_i64(r, F_QZ_MODULE);
	p[4] = mode_names[f->i64[F_QZ_MODE] > 0 ? f->i64[F_QZ_MODE] : 0];
	p[5] = opt_i64(r, F_QZ_SKILL);
	p[6] = db_i64s(r->a, lo);
	p[7] = db_i64s(r->a, hi);
	p[8] = db_i64s(r->a, f->present[F_QZ_COUNT] ? f->i64[F_QZ_COUNT] : 5);
	p[9] = db_i64s(r->a, f->present[F_QZ_PASS] ? f->i64[F_QZ_PASS] : 60);
	p[10] = db_i64s(r->a, f->present[F_QZ_ATTEMPTS] ?
	    f->i64[F_QZ_ATTEMPTS] : 0);
	p[11] = db_i64s(r->a, f->present[F_QZ_MINUTES] ?
	    (int64_t)llround(f->dbl[F_QZ_MINUTES] * 60) : 0);
	p[12] = per_page_names[f->i64[F_QZ_PER_PAGE] > 0 ?
	    f->i64[F_QZ_PER_PAGE] : 0];
	n = db_exec(r->db, STMT_QUIZ_INSERT, 13, p);
	if (n < 0) {
		if (n == DB_HARD) {
			*msg = "No such skill.";
			return 400;
		}
		return page_db_status(n);
	}
	*id = db_i64(r->db, 0, 0);
	return 0;
}

static int
list_page(struct req *r, const char *error, int status)
{
	struct view *v = view_new(r->a);
	struct buf rows;
	const char *p[2];
	int n, i, st;

	p[0] = db_i64s(r->a, r->user.id);
	p[1] = admin_arg(r);
	if ((n = db_exec(r->db, STMT_QUIZ_LIST, 2, p)) < 0)
		return page_db_status(n);
	buf_init(&rows);
	for (i = 0; i < n; i++) {
		buf_printf(&rows, "<tr><td><a href=\"/teach/quizzes/%lld\">",
		    (long long)db_i64(r->db, i, 0));
		html(&rows, db_str(r->db, i, 1));
		buf_printf(&rows, "</a></td><td>%s</td><td>%lld%%</td>"
		    "<td>%lld</td><td>%lld</td></tr>\n",
		    strcmp(db_str(r->db, i, 2), "random") == 0 ?
		    "Random draw" : "Fixed",
		    (long long)db_i64(r->db, i, 3),
		    (long long)db_i64(r->db, i, 7),
		    (long long)db_i64(r->db, i, 8));
	}
	view_set(v, "csrf", r->csrf);
	view_set_int(v, "count", n);
	view_set_raw(v, "rows", rows.p != NULL ? rows.p : "");
	view_set(v, "error", error);
	if (error != NULL)
		view_set(v, "title", r->form.str[F_QZ_TITLE]);
	st = http_page_nav(r, TMPL_QUIZ_LIST, v, "Quizzes", TMPL_NAV_TEACH);
	buf_free(&rows);
	return st == 200 ? status : st;
}

int
page_quiz_list(struct req *r)
{
	int64_t id;
	const char *msg;
	int st;

	if (strcmp(r->method, "POST") != 0)
		return list_page(r, NULL, 200);
	if ((st = create(r, &id, &msg)) != 0)
		return msg != NULL ? list_page(r, msg, st) : st;
	return http_redirect(r, arena_printf(r->a, "/teach/quizzes/%lld",
	    (long long)id));
}

/* Loads the quiz if the user may edit it: 0, 404 or a 5xx. */
static int
load(struct req *r, int64_t id, struct view *v)
{
	const char *p[3];
	int n;

	p[0] = db_i64s(r->a, id);
	p[1] = db_i64s(r->a, r->user.id);
	p[2] = admin_arg(r);
	if ((n = db_exec(r->db, STMT_QUIZ_GET, 3, p)) < 0)
		return page_db_status(n);
	if (n == 0)
		return 404;
	if (v != NULL) {
		view_set(v, "title", db_str(r->db, 0, 1));
		view_set_bool(v, "random", strcmp(db_str(r->db, 0, 2),
		    "random") == 0);
		view_set_int(v, "draw_skill", (long)db_i64(r->db, 0, 3));
		view_set_int(v, "draw_min", (long)db_i64(r->db, 0, 4));
		view_set_int(v, "draw_max", (long)db_i64(r->db, 0, 5));
		view_set_int(v, "draw_count", (long)db_i64(r->db, 0, 6));
		view_set_int(v, "pass_mark", (long)db_i64(r->db, 0, 7));
		view_set_int(v, "allowed", (long)db_i64(r->db, 0, 8));
		view_set_int(v, "minutes", (long)(db_i64(r->db, 0, 9) + 59) /
		    60);
		view_set(v, "per_page", db_str(r->db, 0, 10));
		view_set_int(v, "lesson_id", (long)db_i64(r->db, 0, 11));
		view_set_int(v, "module_id", (long)db_i64(r->db, 0, 12));
	}
	return 0;
}

/* Adds or removes a question: 0, or 400 with *msg, or a 5xx. */
static int
edit(struct req *r, int64_t id, const char **msg)
{
	const struct http_form *f = &r->form;
	const char *p[4];
	int n;

	*msg = NULL;
	if (f->nerr > 0 && (f->err[F_QZ_QUESTION] != NULL ||
	    f->err[F_QZ_REMOVE] != NULL)) {
		*msg = http_form_error(f);
		return 400;
	}
	p[0] = db_i64s(r->a, id);
	if (f->present[F_QZ_REMOVE]) {
		p[1] = db_i64s(r->a, f->i64[F_QZ_REMOVE]);
		if ((n = db_exec(r->db, STMT_QUIZ_QUESTION_REMOVE, 2, p)) < 0)
			return page_db_status(n);
		return 0;
	}
	if (!f->present[F_QZ_QUESTION]) {
		*msg = "Give the number of a question from your bank.";
		return 400;
	}
	p[1] = db_i64s(r->a, f->i64[F_QZ_QUESTION]);
	p[2] = db_i64s(r->a, r->user.id);
	p[3] = admin_arg(r);
	if ((n = db_exec(r->db, STMT_QUIZ_QUESTION_ADD, 4, p)) < 0)
		return page_db_status(n);
	if (n == 0) {
		*msg = "No such question in your bank (or it is already in "
		    "the quiz).";
		return 400;
	}
	return 0;
}

int
page_quiz_edit(struct req *r)
{
	struct view *v = view_new(r->a);
	struct buf rows;
	const char *p[1], *msg = NULL;
	int64_t id = r->pathid[0];
	int n, i, st, status = 200;

	if ((st = load(r, id, v)) != 0)
		return st == 404 ? http_error(r, 404, "No such quiz.") : st;
	if (strcmp(r->method, "POST") == 0) {
		if ((st = edit(r, id, &msg)) == 0)
			return http_redirect(r, arena_printf(r->a,
			    "/teach/quizzes/%lld", (long long)id));
		if (msg == NULL)
			return st;
		status = st;
	}
	p[0] = db_i64s(r->a, id);
	if ((n = db_exec(r->db, STMT_QUIZ_QUESTIONS, 1, p)) < 0)
		return page_db_status(n);
	buf_init(&rows);
	for (i = 0; i < n; i++) {
		long long qid = (long long)db_i64(r->db, i, 0);

		buf_printf(&rows, "<tr><td>%lld</td><td>", qid);
		html(&rows, db_str(r->db, i, 2)[0] != '\0' ?
		    db_str(r->db, i, 2) : db_str(r->db, i, 3));
		buf_printf(&rows, "</td><td>%s</td><td>%lld</td><td>"
		    "<form method=\"post\" action=\"/teach/quizzes/%lld\">"
		    "<input type=\"hidden\" name=\"csrf\" value=\"",
		    db_str(r->db, i, 1), (long long)db_i64(r->db, i, 4),
		    (long long)id);
		html(&rows, r->csrf);
		buf_printf(&rows, "\"><input type=\"hidden\" "
		    "name=\"remove_id\" value=\"%lld\"><button type=\"submit\">Remove question "
		    "%lld</button></form></td></tr>\n", qid, qid);
	}
	view_set(v, "csrf", r->csrf);
	view_set_int(v, "id", (long)id);
	view_set_int(v, "count", n);
	view_set_raw(v, "rows", rows.p != NULL ? rows.p : "");
	view_set(v, "error", msg);
	st = http_page_nav(r, TMPL_QUIZ_EDIT, v, "Quiz", TMPL_NAV_TEACH);
	buf_free(&rows);
	return st == 200 ? status : st;
}

/* ---- item analytics --------------------------------------------------- */

struct item_stat {
	int64_t		 qid, vid;
	int		 version;
	long		 n, ok;
	double		 ms, pbis, a, b, c;
	int		 pbis_null, calibrated;
	const char	*stem, *kind;
};

static int
stats_load(struct req *r, int64_t id, struct item_stat **out)
{
	struct item_stat *s;
	const char *p[1];
	int n, i;

	p[0] = db_i64s(r->a, id);
	if ((n = db_exec(r->db, STMT_QUIZ_ITEM_STATS, 1, p)) < 0)
		return n;
	s = arena_calloc(r->a, n > 0 ? (size_t)n : 1, sizeof(*s));
	for (i = 0; i < n; i++) {
		s[i].qid = db_i64(r->db, i, 0);
		s[i].version = (int)db_i64(r->db, i, 1);
		s[i].vid = db_i64(r->db, i, 2);
		s[i].n = (long)db_i64(r->db, i, 3);
		s[i].ok = (long)db_i64(r->db, i, 4);
		s[i].ms = db_dbl(r->db, i, 5);
		s[i].pbis_null = db_isnull(r->db, i, 6);
		s[i].pbis = db_dbl(r->db, i, 6);
		s[i].a = db_dbl(r->db, i, 7);
		s[i].b = db_dbl(r->db, i, 8);
		s[i].c = db_dbl(r->db, i, 9);
		s[i].calibrated = db_bool(r->db, i, 10);
		s[i].stem = arena_strdup(r->a, db_str(r->db, i, 11));
		s[i].kind = arena_strdup(r->a, db_str(r->db, i, 12));
	}
	*out = s;
	return n;
}

/* Why an item misbehaves, or "" (negative discrimination, nearly everyone
 * right or wrong; judged from 5 responses up). */
static const char *
flag(const struct item_stat *s)
{
	double p = s->n ? (double)s->ok / s->n : 0;

	if (s->n < 5)
		return "";
	if (!s->pbis_null && s->pbis < 0)
		return "negative discrimination";
	if (p >= 0.95)
		return "almost everyone right";
	if (p <= 0.05)
		return "almost everyone wrong";
	return "";
}

int
page_quiz_items(struct req *r)
{
	struct view *v = view_new(r->a);
	struct item_stat *s;
	struct buf rows;
	int n, i, j, m, st;

	if ((st = load(r, r->pathid[0], v)) != 0)
		return st == 404 ? http_error(r, 404, "No such quiz.") : st;
	if ((n = stats_load(r, r->pathid[0], &s)) < 0)
		return page_db_status(n);
	buf_init(&rows);
	for (i = 0; i < n; i++) {
		const char *p[2];

		buf_printf(&rows, "<tr><th scope=\"row\">%lld (v%d)</th><td>",
		    (long long)s[i].qid, s[i].version);
		html(&rows, s[i].stem);
		buf_printf(&rows, "</td><td>%ld</td><td>%.0f%%</td><td>",
		    s[i].n, s[i].n ? 100.0 * s[i].ok / s[i].n : 0);
		if (s[i].pbis_null)
			buf_puts(&rows, "–");
		else
			buf_printf(&rows, "%.2f", s[i].pbis);
		buf_printf(&rows, "</td><td>a %.2f, b %.2f, c %.2f%s</td><td>",
		    s[i].a, s[i].b, s[i].c, s[i].calibrated ? "" :
		    " (from authored difficulty)");
		p[0] = db_i64s(r->a, s[i].vid);
		p[1] = db_i64s(r->a, r->pathid[0]);
		if ((m = db_exec(r->db, STMT_QUIZ_OPTION_RATES, 2, p)) < 0)
			m = 0;
		if (strcmp(s[i].kind, "numeric") != 0 &&
		    strcmp(s[i].kind, "short") != 0 &&
		    strcmp(s[i].kind, "ordering") != 0)
			for (j = 0; j < m; j++) {
				html(&rows, db_str(r->db, j, 1));
				buf_printf(&rows, "%s: %.0f%%<br>",
				    db_bool(r->db, j, 2) ? " (right)" : "",
				    s[i].n ? 100.0 * db_i64(r->db, j, 3) /
				    s[i].n : 0);
			}
		buf_puts(&rows, "</td><td>");
		html(&rows, flag(&s[i]));
		buf_puts(&rows, "</td></tr>\n");
	}
	view_set_int(v, "id", (long)r->pathid[0]);
	view_set_int(v, "count", n);
	view_set_raw(v, "rows", rows.p != NULL ? rows.p : "");
	st = http_page_nav(r, TMPL_QUIZ_ITEMS, v, "Item analysis",
	    TMPL_NAV_TEACH);
	buf_free(&rows);
	return st;
}

/* ---- JSON ------------------------------------------------------------- */

int
page_api_quiz_create(struct req *r)
{
	int64_t id;
	const char *msg;
	int st;

	if ((st = create(r, &id, &msg)) != 0)
		return http_error(r, st, msg != NULL ? msg :
		    "Try again shortly.");
	json_begin(r);
	json_i64(r, "id", id);
	json_end(r);
	return http_json(r, 201);
}

int
page_api_quiz_question(struct req *r)
{
	const char *msg;
	int st;

	if ((st = load(r, r->pathid[0], NULL)) != 0)
		return http_error(r, st, st == 404 ? "No such quiz." :
		    "Try again shortly.");
	if ((st = edit(r, r->pathid[0], &msg)) != 0)
		return http_error(r, st, msg != NULL ? msg :
		    "Try again shortly.");
	json_begin(r);
	json_i64(r, "id", r->pathid[0]);
	json_bool(r, "ok", 1);
	json_end(r);
	return http_json(r, 200);
}

int
page_api_quiz_items(struct req *r)
{
	struct item_stat *s;
	int n, i, j, m, st;

	if ((st = load(r, r->pathid[0], NULL)) != 0)
		return http_error(r, st, st == 404 ? "No such quiz." :
		    "Try again shortly.");
	if ((n = stats_load(r, r->pathid[0], &s)) < 0)
		return http_error(r, page_db_status(n), "Try again shortly.");
	json_begin(r);
	json_arr_begin(r, "items");
	for (i = 0; i < n; i++) {
		const char *p[2];

		json_obj_begin(r, NULL);
		json_i64(r, "question_id", s[i].qid);
		json_i64(r, "version", s[i].version);
		json_i64(r, "attempts", s[i].n);
		json_i64(r, "correct", s[i].ok);
		json_dbl(r, "p_correct", s[i].n ? (double)s[i].ok / s[i].n :
		    0);
		if (!s[i].pbis_null)
			json_dbl(r, "point_biserial", s[i].pbis);
		json_dbl(r, "mean_response_ms", s[i].ms);
		json_obj_begin(r, "irt");
		json_dbl(r, "a", s[i].a);
		json_dbl(r, "b", s[i].b);
		json_dbl(r, "c", s[i].c);
		json_bool(r, "calibrated", s[i].calibrated);
		json_obj_end(r);
		json_str(r, "flag", flag(&s[i]));
		p[0] = db_i64s(r->a, s[i].vid);
		p[1] = db_i64s(r->a, r->pathid[0]);
		if ((m = db_exec(r->db, STMT_QUIZ_OPTION_RATES, 2, p)) < 0)
			m = 0;
		json_arr_begin(r, "options");
		for (j = 0; j < m; j++) {
			json_obj_begin(r, NULL);
			json_i64(r, "id", db_i64(r->db, j, 0));
			json_str(r, "text", db_str(r->db, j, 1));
			json_bool(r, "correct", db_bool(r->db, j, 2));
			json_i64(r, "chosen", db_i64(r->db, j, 3));
			json_dbl(r, "rate", s[i].n ? (double)db_i64(r->db, j,
			    3) / s[i].n : 0);
			json_obj_end(r);
		}
		json_arr_end(r);
		json_obj_end(r);
	}
	json_arr_end(r);
	json_end(r);
	return http_json(r, 200);
}
