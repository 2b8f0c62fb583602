/*
 * genproj: generation projects and the review of what they generated
 * (issue 8): an instructor asks for objectives, a lesson draft and quiz
 * items for a course or a module (a "generate" job runs it:
 * src/jobs/generate.c), sees every item with the passages it came from
 * and the result of every quality check, edits (the checks run again),
 * approves or rejects it with a note.  Approving a quiz item writes a bank
 * question owned by the course's author; approving a lesson draft writes a
 * lesson.  Approved questions that later perform badly are listed to
 * review again.  Learners read a module's approved drafts adapted to their
 * profile (learn/personalise.h), cached per (module, profile).
 *
 * The design decision: nothing generated is visible to learners but what
 * an approval wrote, and an approval is one transaction -- the item
 * locked, its status checked, the question or lesson written, the review
 * recorded, the audit row -- so an item is approved once and becomes
 * exactly one question or lesson.  An item failing a check is approved
 * only after an edit makes it pass, or with the override flag, which the
 * review note records.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/markdown.h"
#include "base/qbank.h"
#include "db/db.h"
#include "http/view.h"
#include "jobs/generate.h"
#include "jobs/jobs.h"
#include "learn/personalise.h"
#include "pages/pages.h"
#include "pages/teach.h"

const char *const page_genproj_levels[] = { "beginner", "intermediate",
    "advanced", NULL };
const char *const page_genproj_backends[] = { "offline", "llm", NULL };

const struct http_field page_genproj_fields[F_GEN__MAX] = {
	[F_GEN_MODULE] = { "module", HTTP_FT_INT, 0, 0, 1, LLONG_MAX, NULL, 0,
	    "Module" },
	[F_GEN_OBJECTIVES] = { "objectives", HTTP_FT_BOOL, 0, 0, 0, 0, NULL,
	    0, "Learning objectives" },
	[F_GEN_LESSON] = { "lesson", HTTP_FT_BOOL, 0, 0, 0, 0, NULL, 0,
	    "Lesson draft" },
	[F_GEN_ITEMS] = { "items", HTTP_FT_INT, 0, 0, 0, 50, NULL, 0,
	    "Quiz items" },
	[F_GEN_LEVEL] = { "level", HTTP_FT_ENUM, 0, 0, 0, 0,
	    page_genproj_levels, 0, "Level" },
	[F_GEN_BACKEND] = { "backend", HTTP_FT_ENUM, 0, 0, 0, 0,
	    page_genproj_backends, 0, "Generator" },
};

#define OPT(n) [F_GE_OPTION1 + n - 1] = { "option_" #n, HTTP_FT_STRING, 0, \
	    QB_MAXOPTTEXT, 0, 0, NULL, 0, "Option " #n }
const struct http_field page_genitem_edit_fields[F_GE__MAX] = {
	[F_GE_QUESTION] = { "question", HTTP_FT_TEXT, 0, QB_MAXTEXT, 0, 0,
	    NULL, 0, "Question" },
	[F_GE_STEM] = { "stem", HTTP_FT_TEXT, 0, QB_MAXTEXT, 0, 0, NULL, 0,
	    "Statement" },
	OPT(1), OPT(2), OPT(3), OPT(4),
	[F_GE_ANSWER] = { "answer", HTTP_FT_STRING, 0, QB_MAXOPTTEXT, 0, 0,
	    NULL, 0, "Answer" },
	[F_GE_EXPLANATION] = { "explanation", HTTP_FT_TEXT, 0, QB_MAXTEXT, 0,
	    0, NULL, 0, "Explanation" },
	[F_GE_TITLE] = { "title", HTTP_FT_STRING, 0, 200, 0, 0, NULL, 0,
	    "Title" },
	[F_GE_MARKDOWN] = { "markdown", HTTP_FT_TEXT, 0, 200000, 0, 0, NULL,
	    0, "Lesson text" },
};
#undef OPT

const struct http_field page_genitem_approve_fields[F_GA__MAX] = {
	[F_GA_OVERRIDE] = { "override", HTTP_FT_BOOL, 0, 0, 0, 0, NULL, 0,
	    "Approve despite failing checks" },
	[F_GA_NOTE] = { "note", HTTP_FT_TEXT, 0, 2000, 0, 0, NULL, 0,
	    "Note" },
	[F_GA_MODULE] = { "module", HTTP_FT_INT, 0, 0, 1, LLONG_MAX, NULL, 0,
	    "Module" },
};

const struct http_field page_genitem_reject_fields[F_GR__MAX] = {
	[F_GR_NOTE] = { "note", HTTP_FT_TEXT, 1, 2000, 0, 0, NULL, 1,
	    "Note" },
};

/* Columns of genproj_project_list. */
enum { PL_ID, PL_MODULE, PL_INPUTS, PL_BACKEND, PL_FALLBACK, PL_STATUS,
    PL_REASON, PL_CREATED, PL_FINISHED, PL_ITEMS, PL_PASSED, PL_PENDING,
    PL_APPROVED, PL_REJECTED, PL_MODULE_ID };
/* Columns of genproj_project_get. */
enum { PG_ID, PG_COURSE, PG_COURSE_TITLE, PG_MODULE_ID, PG_MODULE,
    PG_INPUTS, PG_BACKEND, PG_FALLBACK, PG_STATUS, PG_REASON, PG_CREATED,
    PG_FINISHED, PG_BY };
/* Columns of genproj_item_list and genproj_item_get. */
enum { IT_ID, IT_KIND, IT_CONTENT, IT_SOURCES, IT_CHECKS, IT_PASSED,
    IT_STATUS, IT_NOTE, IT_REVIEWER, IT_REVIEWED, IT_QUESTION, IT_LESSON,
    IT_PROJECT };
/* Columns of genproj_item_lock. */
enum { LK_ID, LK_KIND, LK_CONTENT, LK_SOURCES, LK_STATUS, LK_PROJECT,
    LK_COURSE, LK_AUTHOR, LK_LEVEL, LK_MODULE, LK_CHECKS, LK_PASSED };

static const char *
kind_label(const char *k)
{
	if (strcmp(k, "single") == 0)
		return "Single choice";
	if (strcmp(k, "truefalse") == 0)
		return "True or false";
	if (strcmp(k, "cloze") == 0)
		return "Fill in the blank";
	if (strcmp(k, "objective") == 0)
		return "Learning objective";
	if (strcmp(k, "lesson") == 0)
		return "Lesson draft";
	if (strcmp(k, "microlesson") == 0)
		return "Narrated micro-lesson";
	return k;
}

static int
is_quiz(const char *k)
{
	return strcmp(k, "single") == 0 || strcmp(k, "truefalse") == 0 ||
	    strcmp(k, "cloze") == 0;
}

/* s as a JSON string literal, quotes included. */
static const char *
jq(struct arena *a, const char *s)
{
	struct buf b;
	const char *out;

	buf_init(&b);
	buf_putc(&b, '"');
	buf_put_json(&b, s, strlen(s));
	buf_putc(&b, '"');
	out = arena_strdup(a, b.p);
	buf_free(&b);
	return out;
}

static void
audit(struct req *r, const char *action, const char *object,
    const char *detail)
{
	const char *p[4];

	p[0] = db_i64s(r->a, r->user.id);
	p[1] = action;
	p[2] = object;
	p[3] = detail;
	(void)db_exec(r->db, STMT_AUDIT_INSERT, 4, p);
}

/* ---- asking for a project ------------------------------------------- */

/*
 * Creates a project for course id from the validated form and enqueues
 * its job, in one transaction.  0 with *pid, 400 with *msg, 404, or a
 * 5xx status.
 */
static int
create(struct req *r, int64_t id, int64_t *pid, const char **msg)
{
	const struct http_form *f = &r->form;
	struct teach_course c;
	json_t *in, *kinds;
	const char *p[5], *inputs, *level;
	char *s;
	int64_t module = f->present[F_GEN_MODULE] ? f->i64[F_GEN_MODULE] : 0;
	int n, st;

	if ((st = teach_course_load(r, id, &c)) != 0)
		return st;
	if (f->nerr > 0) {
		*msg = http_form_error(&r->form);
		return 400;
	}
	if (!f->i64[F_GEN_OBJECTIVES] && !f->i64[F_GEN_LESSON] &&
	    f->i64[F_GEN_ITEMS] <= 0) {
		*msg = "Choose what to generate: objectives, a lesson draft or "
		    "quiz items (1 to 50).";
		return 400;
	}
	if (module > 0) {
		p[0] = db_i64s(r->a, module);
		p[1] = db_i64s(r->a, id);
		if ((n = db_exec(r->db, STMT_GENPROJ_MODULE_OF_COURSE, 2,
		    p)) < 0)
			return page_db_status(n);
		if (n == 0) {
			*msg = "That module is not part of this course.";
			return 400;
		}
	}
	level = f->i64[F_GEN_LEVEL] >= 0 ?
	    page_genproj_levels[f->i64[F_GEN_LEVEL]] : c.level;
	in = json_object();
	kinds = json_array();
	if (f->i64[F_GEN_OBJECTIVES])
		json_array_append_new(kinds, json_string("objectives"));
	if (f->i64[F_GEN_LESSON])
		json_array_append_new(kinds, json_string("lesson"));
	if (f->i64[F_GEN_ITEMS] > 0)
		json_array_append_new(kinds, json_string("quiz"));
	json_object_set_new(in, "kinds", kinds);
	json_object_set_new(in, "items", json_integer(f->i64[F_GEN_ITEMS] > 0 ?
	    f->i64[F_GEN_ITEMS] : 0));
	json_object_set_new(in, "level", json_string(level));
	json_object_set_new(in, "backend", json_string(
	    f->i64[F_GEN_BACKEND] > 0 ? "llm" : "offline"));
	s = json_dumps(in, JSON_COMPACT);
	json_decref(in);
	inputs = arena_strdup(r->a, s != NULL ? s : "{}");
	free(s);
	if (db_begin(r->db) != 0)
		return 503;
	p[0] = db_i64s(r->a, id);
	p[1] = module > 0 ? db_i64s(r->a, module) : NULL;
	p[2] = db_i64s(r->a, r->user.id);
	p[3] = inputs;
	p[4] = "offline";
	if ((n = db_exec(r->db, STMT_GENPROJ_PROJECT_INSERT, 5, p)) != 1)
		goto fail;
	*pid = db_i64(r->db, 0, 0);
	if ((n = (int)jobs_enqueue(r->db, r->a, JOB_GENERATE, arena_printf(
	    r->a, "{\"project\": %lld}", (long long)*pid), 0, arena_printf(
	    r->a, "project:%lld", (long long)*pid))) < 0)
		goto fail;
	audit(r, "genproj.create", arena_printf(r->a, "course:%lld",
	    (long long)id), arena_printf(r->a, "{\"project\": %lld, "
	    "\"inputs\": %s}", (long long)*pid, inputs));
	if ((n = db_commit(r->db)) != 0)
		goto fail;
	return 0;
fail:
	db_rollback(r->db);
	return page_db_status(n < 0 ? n : DB_HARD);
}

/* ---- the projects of a course --------------------------------------- */

/* A short text of a project's inputs: "8 quiz items, objectives, lesson
 * draft; level beginner". */
static const char *
inputs_label(struct arena *a, const char *text)
{
	json_t *o = json_loads(text, 0, NULL), *v;
	struct buf b;
	const char *out, *s;
	size_t i;

	if (o == NULL)
		return "";
	buf_init(&b);
	json_array_foreach(json_object_get(o, "kinds"), i, v) {
		s = json_string_value(v);
		if (s == NULL)
			continue;
		if (b.len)
			buf_puts(&b, ", ");
		if (strcmp(s, "quiz") == 0)
			buf_printf(&b, "%lld quiz items", (long long)
			    json_integer_value(json_object_get(o, "items")));
		else if (strcmp(s, "lesson") == 0)
			buf_puts(&b, "a lesson draft");
		else if (strcmp(s, "microlesson") == 0) {
			const char *pr = json_string_value(json_object_get(o,
			    "prompt"));

			if (pr != NULL)
				buf_printf(&b, "a narrated micro-lesson on "
				    "\"%s\"", pr);
			else
				buf_printf(&b, "a narrated micro-lesson of "
				    "lesson %lld", (long long)json_integer_value(
				    json_object_get(o, "lesson")));
		} else
			buf_puts(&b, "learning objectives");
	}
	if ((s = json_string_value(json_object_get(o, "level"))) != NULL)
		buf_printf(&b, "; level %s", s);
	out = arena_strdup(a, b.p != NULL ? b.p : "");
	buf_free(&b);
	json_decref(o);
	return out;
}

/* The review-again list for course (genproj_review_again) into r->db. */
static int
review_again(struct req *r, int64_t course)
{
	const char *p[1];

	p[0] = db_i64s(r->a, course);
	return db_exec(r->db, STMT_GENPROJ_REVIEW_AGAIN, 1, p);
}

static const char *
again_why(struct req *r, int i)
{
	long n = (long)db_i64(r->db, i, 4), ok = (long)db_i64(r->db, i, 5);
	double pc = n > 0 ? (double)ok / n : 0;

	if (!db_isnull(r->db, i, 6) && db_dbl(r->db, i, 6) < 0)
		return arena_printf(r->a, "negative point-biserial (%.2f)",
		    db_dbl(r->db, i, 6));
	return arena_printf(r->a, "%ld of %ld answers correct (%.0f %%): %s",
	    ok, n, 100 * pc, pc < 0.1 ? "almost nobody gets it right" :
	    "almost everybody gets it right");
}

static int
module_options(struct req *r, int64_t course, int64_t selected,
    struct buf *out)
{
	const char *p[1];
	int n, i;

	p[0] = db_i64s(r->a, course);
	if ((n = db_exec(r->db, STMT_TEACH_MODULE_LIST, 1, p)) < 0)
		return n;
	for (i = 0; i < n; i++) {
		int64_t id = db_i64(r->db, i, 0);

		buf_printf(out, "<option value=\"%lld\"%s>", (long long)id,
		    id == selected ? " selected" : "");
		buf_put_html(out, db_str(r->db, i, 2),
		    strlen(db_str(r->db, i, 2)));
		buf_puts(out, "</option>\n");
	}
	return 0;
}

static int
projects_page(struct req *r, const struct teach_course *c, const char *error,
    int status)
{
	struct view *v = view_new(r->a), *row = view_new(r->a);
	struct buf rows, again, mods;
	const char *p[1];
	int n, i;

	p[0] = db_i64s(r->a, c->id);
	if ((n = db_exec(r->db, STMT_GENPROJ_PROJECT_LIST, 1, p)) < 0)
		return page_db_status(n);
	buf_init(&rows);
	for (i = 0; i < n; i++) {
		view_clear(row);
		view_set_int(row, "id", (long)db_i64(r->db, i, PL_ID));
		view_set(row, "module", db_str(r->db, i, PL_MODULE));
		view_set(row, "inputs", inputs_label(r->a, db_str(r->db, i,
		    PL_INPUTS)));
		view_set(row, "backend", db_str(r->db, i, PL_BACKEND));
		view_set(row, "fallback", db_str(r->db, i, PL_FALLBACK));
		view_set(row, "status", db_str(r->db, i, PL_STATUS));
		view_set(row, "reason", db_str(r->db, i, PL_REASON));
		view_set(row, "created", db_str(r->db, i, PL_CREATED));
		view_set_int(row, "items", (long)db_i64(r->db, i, PL_ITEMS));
		view_set_int(row, "passed", (long)db_i64(r->db, i, PL_PASSED));
		view_set_int(row, "pending", (long)db_i64(r->db, i,
		    PL_PENDING));
		view_set_int(row, "approved", (long)db_i64(r->db, i,
		    PL_APPROVED));
		view_set_int(row, "rejected", (long)db_i64(r->db, i,
		    PL_REJECTED));
		if (tmpl_render_row(TMPL_ROW_GENPROJ, row, &rows) == -1) {
			buf_free(&rows);
			return 500;
		}
	}
	buf_init(&again);
	if ((n = review_again(r, c->id)) < 0) {
		buf_free(&rows);
		return page_db_status(n);
	}
	for (i = 0; i < n; i++) {
		const char *stem = db_str(r->db, i, 3);

		buf_printf(&again, "<li><a href=\"/teach/bank/%lld\">Question "
		    "%lld</a> (from <a href=\"/teach/projects/%lld#item-%lld\">"
		    "generated item %lld</a>): ", (long long)db_i64(r->db, i, 1),
		    (long long)db_i64(r->db, i, 1),
		    (long long)db_i64(r->db, i, 7),
		    (long long)db_i64(r->db, i, 0),
		    (long long)db_i64(r->db, i, 0));
		buf_put_html(&again, stem, strlen(stem));
		buf_puts(&again, " <strong>");
		buf_put_html(&again, again_why(r, i), strlen(again_why(r, i)));
		buf_puts(&again, "</strong></li>\n");
	}
	buf_init(&mods);
	if ((n = module_options(r, c->id, 0, &mods)) < 0) {
		buf_free(&rows);
		buf_free(&again);
		return page_db_status(n);
	}
	view_set_int(v, "id", (long)c->id);
	view_set(v, "course_title", c->title);
	view_set(v, "level", c->level);
	view_set(v, "csrf", r->csrf);
	view_set_raw(v, "rows", rows.p);
	view_set_raw(v, "again", again.p);
	view_set_raw(v, "module_options", mods.p);
	if (error != NULL)
		view_set(v, "error", error);
	buf_free(&rows);
	buf_free(&again);
	buf_free(&mods);
	r->status = status;
	return http_page_nav(r, TMPL_TEACH_PROJECTS, v, arena_printf(r->a,
	    "Generation projects: %s", c->title), TMPL_NAV_TEACH);
}

int
page_genproj_list(struct req *r)
{
	struct teach_course c;
	int st;

	if ((st = teach_course_load(r, r->pathid[0], &c)) != 0)
		return st;
	return projects_page(r, &c, NULL, 200);
}

int
page_genproj_generate(struct req *r)
{
	struct teach_course c;
	const char *msg = NULL;
	int64_t pid = 0;
	int st;

	st = create(r, r->pathid[0], &pid, &msg);
	if (st == 400 && teach_course_load(r, r->pathid[0], &c) == 0)
		return projects_page(r, &c, msg, 400);
	if (st != 0)
		return st;
	return http_redirect(r, arena_printf(r->a, "/teach/projects/%lld",
	    (long long)pid));
}

int
page_api_genproj_generate(struct req *r)
{
	const char *msg = NULL;
	int64_t pid = 0;
	int st;

	st = create(r, r->pathid[0], &pid, &msg);
	if (st == 400)
		return http_error(r, 400, msg);
	if (st == 404)
		return http_error(r, 404, "No such course.");
	if (st != 0)
		return http_error(r, st, "Try again shortly.");
	json_begin(r);
	json_i64(r, "id", pid);
	json_str(r, "status", "queued");
	json_str(r, "url", arena_printf(r->a, "/api/v1/projects/%lld",
	    (long long)pid));
	json_end(r);
	return http_json(r, 202);
}

int
page_api_genproj_list(struct req *r)
{
	struct teach_course c;
	const char *p[1];
	int n, i, st;

	if ((st = teach_course_load(r, r->pathid[0], &c)) != 0)
		return http_error(r, st, st == 404 ? "No such course." :
		    "Try again shortly.");
	p[0] = db_i64s(r->a, c.id);
	if ((n = db_exec(r->db, STMT_GENPROJ_PROJECT_LIST, 1, p)) < 0)
		return http_error(r, page_db_status(n), "Try again shortly.");
	json_begin(r);
	json_i64(r, "course_id", c.id);
	json_arr_begin(r, "projects");
	for (i = 0; i < n; i++) {
		json_obj_begin(r, NULL);
		json_i64(r, "id", db_i64(r->db, i, PL_ID));
		if (db_i64(r->db, i, PL_MODULE_ID) > 0)
			json_i64(r, "module_id", db_i64(r->db, i,
			    PL_MODULE_ID));
		else
			json_raw(r, "module_id", "null");
		json_raw(r, "inputs", db_str(r->db, i, PL_INPUTS));
		json_str(r, "backend", db_str(r->db, i, PL_BACKEND));
		json_str(r, "fallback_reason", db_str(r->db, i, PL_FALLBACK));
		json_str(r, "status", db_str(r->db, i, PL_STATUS));
		json_str(r, "reason", db_str(r->db, i, PL_REASON));
		json_str(r, "created_at", db_str(r->db, i, PL_CREATED));
		json_obj_begin(r, "counts");
		json_i64(r, "items", db_i64(r->db, i, PL_ITEMS));
		json_i64(r, "passed", db_i64(r->db, i, PL_PASSED));
		json_i64(r, "pending", db_i64(r->db, i, PL_PENDING));
		json_i64(r, "approved", db_i64(r->db, i, PL_APPROVED));
		json_i64(r, "rejected", db_i64(r->db, i, PL_REJECTED));
		json_obj_end(r);
		json_obj_end(r);
	}
	json_arr_end(r);
	if ((n = review_again(r, c.id)) < 0)
		return http_error(r, page_db_status(n), "Try again shortly.");
	json_arr_begin(r, "review_again");
	for (i = 0; i < n; i++) {
		json_obj_begin(r, NULL);
		json_i64(r, "item_id", db_i64(r->db, i, 0));
		json_i64(r, "question_id", db_i64(r->db, i, 1));
		json_i64(r, "project_id", db_i64(r->db, i, 7));
		json_i64(r, "attempts", db_i64(r->db, i, 4));
		json_i64(r, "correct", db_i64(r->db, i, 5));
		if (db_isnull(r->db, i, 6))
			json_raw(r, "point_biserial", "null");
		else
			json_dbl(r, "point_biserial", db_dbl(r->db, i, 6));
		json_str(r, "reason", again_why(r, i));
		json_obj_end(r);
	}
	json_arr_end(r);
	json_end(r);
	return http_json(r, 200);
}

/* ---- one project ----------------------------------------------------- */

struct project {
	int64_t		 id, course, module;
	const char	*course_title, *module_title, *inputs, *backend;
	const char	*fallback, *status, *reason, *created, *finished, *by;
};

/* 0, 404 or a 5xx status. */
static int
project_load(struct req *r, int64_t id, struct project *pj)
{
	const char *p[3];
	int n;

	p[0] = db_i64s(r->a, id);
	p[1] = db_i64s(r->a, r->user.id);
	p[2] = teach_admin_arg(r);
	if ((n = db_exec(r->db, STMT_GENPROJ_PROJECT_GET, 3, p)) < 0)
		return page_db_status(n);
	if (n == 0)
		return 404;
#define S(c) arena_strdup(r->a, db_str(r->db, 0, c))
	pj->id = db_i64(r->db, 0, PG_ID);
	pj->course = db_i64(r->db, 0, PG_COURSE);
	pj->module = db_i64(r->db, 0, PG_MODULE_ID);
	pj->course_title = S(PG_COURSE_TITLE);
	pj->module_title = S(PG_MODULE);
	pj->inputs = S(PG_INPUTS);
	pj->backend = S(PG_BACKEND);
	pj->fallback = S(PG_FALLBACK);
	pj->status = S(PG_STATUS);
	pj->reason = S(PG_REASON);
	pj->created = S(PG_CREATED);
	pj->finished = S(PG_FINISHED);
	pj->by = S(PG_BY);
#undef S
	return 0;
}

/* One row of genproj_item_list/get, copied out of the result. */
struct item {
	int64_t		 id, question, lesson, project;
	const char	*kind, *content, *sources, *checks, *status, *note;
	const char	*reviewer, *reviewed;
	int		 passed;
};

static void
item_row(struct req *r, int i, struct item *it)
{
#define S(c) arena_strdup(r->a, db_str(r->db, i, c))
	it->id = db_i64(r->db, i, IT_ID);
	it->kind = S(IT_KIND);
	it->content = S(IT_CONTENT);
	it->sources = S(IT_SOURCES);
	it->checks = S(IT_CHECKS);
	it->passed = db_bool(r->db, i, IT_PASSED);
	it->status = S(IT_STATUS);
	it->note = S(IT_NOTE);
	it->reviewer = S(IT_REVIEWER);
	it->reviewed = S(IT_REVIEWED);
	it->question = db_i64(r->db, i, IT_QUESTION);
	it->lesson = db_i64(r->db, i, IT_LESSON);
	it->project = db_i64(r->db, i, IT_PROJECT);
#undef S
}

/* "{1,2}" -> JSON "[1,2]". */
static const char *
sources_json(struct arena *a, const char *arr)
{
	char *s = arena_strdup(a, arr);
	size_t n = strlen(s);

	if (n >= 2 && s[0] == '{' && s[n - 1] == '}') {
		s[0] = '[';
		s[n - 1] = ']';
	}
	return s;
}

/* The passages all items of project pid cite (id, heading, body; of the
 * project's course only), in r->db after. */
static int
passages_load(struct req *r, int64_t pid, const struct item *v, int n,
    json_t **map)
{
	struct buf b;
	const char *p[2];
	int i, k;

	buf_init(&b);
	buf_putc(&b, '{');
	for (i = 0; i < n; i++) {
		const char *s = v[i].sources + 1;
		size_t l = strlen(s);

		if (l > 1) {
			if (b.len > 1)
				buf_putc(&b, ',');
			buf_put(&b, s, l - 1);
		}
	}
	buf_putc(&b, '}');
	p[0] = arena_strdup(r->a, b.p);
	p[1] = db_i64s(r->a, pid);
	buf_free(&b);
	if ((k = db_exec(r->db, STMT_GENPROJ_PASSAGES_BY_IDS, 2, p)) < 0)
		return k;
	*map = json_object();
	for (i = 0; i < k; i++) {
		json_t *o = json_object();

		json_object_set_new(o, "heading", json_string(db_str(r->db, i,
		    1)));
		json_object_set_new(o, "body", json_string(db_str(r->db, i, 2)));
		json_object_set_new(*map, db_str(r->db, i, 0), o);
	}
	return 0;
}

static const char *
content_str(json_t *c, const char *k)
{
	const char *s = json_string_value(json_object_get(c, k));

	return s != NULL ? s : "";
}

/* The item's checks as an HTML list, failing ones with their reason. */
static const char *
checks_html(struct arena *a, const char *checks)
{
	json_t *o = json_loads(checks, 0, NULL), *v;
	const char *k, *s;
	struct buf b;
	const char *out;

	buf_init(&b);
	buf_puts(&b, "<ul class=\"checks\">\n");
	json_object_foreach(o, k, v) {
		s = json_string_value(v);
		if (s == NULL)
			continue;
		if (strcmp(s, "ok") == 0) {
			buf_puts(&b, "<li class=\"check-ok\">");
			buf_put_html(&b, k, strlen(k));
			buf_puts(&b, ": passed</li>\n");
		} else {
			buf_puts(&b, "<li class=\"check-fail\"><strong>");
			buf_put_html(&b, k, strlen(k));
			buf_puts(&b, ": failed</strong> — ");
			buf_put_html(&b, s, strlen(s));
			buf_puts(&b, "</li>\n");
		}
	}
	buf_puts(&b, "</ul>\n");
	json_decref(o);
	out = arena_strdup(a, b.p);
	buf_free(&b);
	return out;
}

/* The sources quoted: each passage's heading and text. */
static const char *
sources_html(struct arena *a, const char *sources, json_t *map)
{
	json_t *ids = json_loads(sources_json(a, sources), 0, NULL), *v, *p;
	struct buf b;
	const char *out, *h, *body;
	size_t i;

	buf_init(&b);
	json_array_foreach(ids, i, v) {
		char key[32];

		snprintf(key, sizeof(key), "%lld", (long long)
		    json_integer_value(v));
		if ((p = json_object_get(map, key)) == NULL)
			continue;
		h = json_string_value(json_object_get(p, "heading"));
		body = json_string_value(json_object_get(p, "body"));
		buf_printf(&b, "<figure class=\"source\" id=\"source-%s\">"
		    "<blockquote>", key);
		buf_put_html(&b, body, strlen(body));
		buf_printf(&b, "</blockquote><figcaption>Passage p%s", key);
		if (h != NULL && *h) {
			buf_puts(&b, ": ");
			buf_put_html(&b, h, strlen(h));
		}
		buf_puts(&b, "</figcaption></figure>\n");
	}
	json_decref(ids);
	out = arena_strdup(a, b.p != NULL ? b.p : "");
	buf_free(&b);
	return out;
}

static const char *
status_label(const char *s)
{
	if (strcmp(s, "approved") == 0)
		return "Approved";
	if (strcmp(s, "rejected") == 0)
		return "Rejected";
	return "Waiting for review";
}

/* m:ss of t seconds. */
static const char *
clock_text(struct arena *a, double t)
{
	long s = (long)(t + 0.5);

	return arena_printf(a, "%ld:%02ld", s / 60, s % 60);
}

/* A micro-lesson's player (the video with its captions track, the
 * thumbnail as poster: plain HTML, works without JavaScript) and its
 * script slide by slide. */
static void
micro_view(struct req *r, struct view *v, json_t *c)
{
	json_t *sl, *b;
	struct buf h;
	size_t i, k;

	view_set_int(v, "video_id", (long)json_integer_value(json_object_get(c,
	    "video")));
	view_set_int(v, "captions_id", (long)json_integer_value(
	    json_object_get(c, "captions")));
	view_set_int(v, "thumb_id", (long)json_integer_value(json_object_get(c,
	    "thumbnail")));
	view_set(v, "duration", clock_text(r->a, json_real_value(
	    json_object_get(c, "duration"))));
	view_set_int(v, "words", (long)json_integer_value(json_object_get(c,
	    "words")));
	buf_init(&h);
	json_array_foreach(json_object_get(c, "slides"), i, sl) {
		const char *t = content_str(sl, "title");
		const char *n = content_str(sl, "narration");

		buf_printf(&h, "<li><h5>");
		buf_put_html(&h, t, strlen(t));
		buf_printf(&h, " <small>(%s)</small></h5>\n<ul>",
		    clock_text(r->a, json_real_value(json_object_get(sl,
		    "seconds"))));
		json_array_foreach(json_object_get(sl, "bullets"), k, b) {
			const char *x = json_string_value(b);

			if (x == NULL)
				continue;
			buf_puts(&h, "<li>");
			buf_put_html(&h, x, strlen(x));
			buf_puts(&h, "</li>");
		}
		buf_puts(&h, "</ul>\n<p class=\"narration\">");
		buf_put_html(&h, n, strlen(n));
		buf_puts(&h, "</p></li>\n");
	}
	view_set_raw(v, "slides", h.p != NULL ? h.p : "");
	buf_free(&h);
}

static void
item_view(struct req *r, struct view *v, const struct item *it, json_t *map,
    const char *modopts)
{
	json_t *c = json_loads(it->content, 0, NULL), *o;
	struct buf b;
	size_t i;
	const char *md;

	view_set_int(v, "id", (long)it->id);
	view_set(v, "kind", it->kind);
	view_set(v, "kind_label", kind_label(it->kind));
	view_set(v, "status", it->status);
	view_set(v, "status_label", status_label(it->status));
	view_set_bool(v, "pending", strcmp(it->status, "pending") == 0);
	view_set_bool(v, "passed", it->passed);
	view_set_bool(v, "quiz", is_quiz(it->kind));
	view_set_raw(v, "checks", checks_html(r->a, it->checks));
	view_set_raw(v, "sources", sources_html(r->a, it->sources, map));
	view_set(v, "note", it->note);
	view_set(v, "reviewer", it->reviewer);
	view_set(v, "reviewed", it->reviewed);
	if (it->question > 0)
		view_set_int(v, "question_id", (long)it->question);
	if (it->lesson > 0)
		view_set_int(v, "lesson_id", (long)it->lesson);
	view_set(v, "csrf", r->csrf);
	view_set(v, "question", content_str(c, is_quiz(it->kind) ? "question" :
	    "objective"));
	view_set(v, "stem", content_str(c, "stem"));
	view_set(v, "answer", content_str(c, "answer"));
	view_set(v, "explanation", content_str(c, "explanation"));
	view_set(v, "bloom", content_str(c, "bloom"));
	view_set(v, "title", content_str(c, "title"));
	md = content_str(c, "markdown");
	view_set(v, "markdown", md);
	if (*md)
		view_set_raw(v, "preview", markdown_html(r->a, md,
		    strlen(md)));
	buf_init(&b);
	json_array_foreach(json_object_get(c, "options"), i, o) {
		const char *s = json_string_value(o);

		if (s == NULL || i >= 4)
			continue;
		view_set(v, arena_printf(r->a, "option_%zu", i + 1), s);
		buf_puts(&b, "<li>");
		buf_put_html(&b, s, strlen(s));
		if (strcmp(s, content_str(c, "answer")) == 0)
			buf_puts(&b, " <strong>(the answer)</strong>");
		buf_puts(&b, "</li>\n");
	}
	view_set_raw(v, "options", b.p);
	buf_free(&b);
	view_set_bool(v, "single", strcmp(it->kind, "single") == 0);
	view_set_bool(v, "lesson", strcmp(it->kind, "lesson") == 0);
	view_set_bool(v, "micro", strcmp(it->kind, "microlesson") == 0);
	view_set_bool(v, "to_module", strcmp(it->kind, "lesson") == 0 ||
	    strcmp(it->kind, "microlesson") == 0);
	if (strcmp(it->kind, "microlesson") == 0)
		micro_view(r, v, c);
	view_set_raw(v, "module_options", modopts);
	json_decref(c);
}

static int
project_page(struct req *r, const struct project *pj, const char *error,
    int status)
{
	struct view *v = view_new(r->a), *row = view_new(r->a);
	struct item *items;
	struct buf rows, mods;
	json_t *map = NULL;
	const char *p[1];
	int n, i, nfail = 0;

	p[0] = db_i64s(r->a, pj->id);
	if ((n = db_exec(r->db, STMT_GENPROJ_ITEM_LIST, 1, p)) < 0)
		return page_db_status(n);
	items = arena_calloc(r->a, n + 1, sizeof(*items));
	for (i = 0; i < n; i++) {
		item_row(r, i, &items[i]);
		nfail += !items[i].passed;
	}
	if ((i = passages_load(r, pj->id, items, n, &map)) < 0)
		return page_db_status(i);
	buf_init(&mods);
	if ((i = module_options(r, pj->course, pj->module, &mods)) < 0) {
		json_decref(map);
		buf_free(&mods);
		return page_db_status(i);
	}
	buf_init(&rows);
	for (i = 0; i < n; i++) {
		view_clear(row);
		item_view(r, row, &items[i], map, mods.p != NULL ? mods.p : "");
		if (tmpl_render_row(TMPL_ROW_GENITEM, row, &rows) == -1) {
			buf_free(&rows);
			buf_free(&mods);
			json_decref(map);
			return 500;
		}
	}
	json_decref(map);
	buf_free(&mods);
	view_set_int(v, "id", (long)pj->id);
	view_set_int(v, "course_id", (long)pj->course);
	view_set(v, "course_title", pj->course_title);
	view_set(v, "module", pj->module_title);
	view_set(v, "inputs", inputs_label(r->a, pj->inputs));
	view_set(v, "backend", pj->backend);
	view_set(v, "fallback", pj->fallback);
	view_set(v, "status", pj->status);
	view_set(v, "reason", pj->reason);
	view_set(v, "created", pj->created);
	view_set(v, "finished", pj->finished);
	view_set(v, "by", pj->by);
	view_set_int(v, "count", n);
	view_set_int(v, "failing", nfail);
	view_set_bool(v, "running", strcmp(pj->status, "queued") == 0 ||
	    strcmp(pj->status, "running") == 0);
	view_set_raw(v, "rows", rows.p);
	buf_free(&rows);
	if (error != NULL)
		view_set(v, "error", error);
	if (http_param(r, "done") != NULL && status == 200)
		r->flash = "Saved, and recorded in the audit log.";
	r->status = status;
	return http_page_nav(r, TMPL_TEACH_PROJECT, v, arena_printf(r->a,
	    "Generation project %lld", (long long)pj->id), TMPL_NAV_TEACH);
}

int
page_genproj_project(struct req *r)
{
	struct project pj;
	int st;

	if ((st = project_load(r, r->pathid[0], &pj)) != 0)
		return st;
	return project_page(r, &pj, NULL, 200);
}

static void
item_json(struct req *r, const char *key, const struct item *it)
{
	json_obj_begin(r, key);
	json_i64(r, "id", it->id);
	json_i64(r, "project_id", it->project);
	json_str(r, "kind", it->kind);
	json_raw(r, "content", it->content);
	json_raw(r, "sources", sources_json(r->a, it->sources));
	json_raw(r, "checks", it->checks);
	json_bool(r, "passed", it->passed);
	json_str(r, "status", it->status);
	json_str(r, "review_note", it->note);
	if (*it->reviewed) {
		json_str(r, "reviewed_by", it->reviewer);
		json_str(r, "reviewed_at", it->reviewed);
	}
	if (it->question > 0)
		json_i64(r, "question_id", it->question);
	else
		json_raw(r, "question_id", "null");
	if (it->lesson > 0)
		json_i64(r, "lesson_id", it->lesson);
	else
		json_raw(r, "lesson_id", "null");
	json_obj_end(r);
}

int
page_api_genproj_project(struct req *r)
{
	struct project pj;
	struct item it;
	const char *p[1];
	int n, i, st;

	if ((st = project_load(r, r->pathid[0], &pj)) != 0)
		return http_error(r, st, st == 404 ? "No such project." :
		    "Try again shortly.");
	p[0] = db_i64s(r->a, pj.id);
	if ((n = db_exec(r->db, STMT_GENPROJ_ITEM_LIST, 1, p)) < 0)
		return http_error(r, page_db_status(n), "Try again shortly.");
	json_begin(r);
	json_i64(r, "id", pj.id);
	json_i64(r, "course_id", pj.course);
	if (pj.module > 0)
		json_i64(r, "module_id", pj.module);
	else
		json_raw(r, "module_id", "null");
	json_raw(r, "inputs", pj.inputs);
	json_str(r, "backend", pj.backend);
	json_str(r, "fallback_reason", pj.fallback);
	json_str(r, "status", pj.status);
	json_str(r, "reason", pj.reason);
	json_str(r, "created_at", pj.created);
	if (*pj.finished)
		json_str(r, "finished_at", pj.finished);
	else
		json_raw(r, "finished_at", "null");
	json_arr_begin(r, "items");
	for (i = 0; i < n; i++) {
		item_row(r, i, &it);
		item_json(r, NULL, &it);
	}
	json_arr_end(r);
	json_end(r);
	return http_json(r, 200);
}

/* 0 with *it, 404, or a 5xx status. */
static int
item_load(struct req *r, int64_t id, struct item *it)
{
	const char *p[3];
	int n;

	p[0] = db_i64s(r->a, id);
	p[1] = db_i64s(r->a, r->user.id);
	p[2] = teach_admin_arg(r);
	if ((n = db_exec(r->db, STMT_GENPROJ_ITEM_GET, 3, p)) < 0)
		return page_db_status(n);
	if (n == 0)
		return 404;
	item_row(r, 0, it);
	return 0;
}

int
page_api_genitem(struct req *r)
{
	struct item it;
	int st;

	if ((st = item_load(r, r->pathid[0], &it)) != 0)
		return http_error(r, st, st == 404 ? "No such item." :
		    "Try again shortly.");
	json_begin(r);
	item_json(r, "item", &it);
	json_end(r);
	return http_json(r, 200);
}

/* ---- review actions -------------------------------------------------- */

/* The locked item an action works on. */
struct locked {
	int64_t		 id, project, course, author, module;
	const char	*kind, *content, *sources, *status, *level, *checks;
	int		 passed;
};

/* Inside a transaction: locks item id.  0, 404, or a db_err. */
static int
lock_item(struct req *r, int64_t id, struct locked *l)
{
	const char *p[3];
	int n;

	p[0] = db_i64s(r->a, id);
	p[1] = db_i64s(r->a, r->user.id);
	p[2] = teach_admin_arg(r);
	if ((n = db_exec(r->db, STMT_GENPROJ_ITEM_LOCK, 3, p)) < 0)
		return n;
	if (n == 0)
		return 404;
#define S(c) arena_strdup(r->a, db_str(r->db, 0, c))
	l->id = db_i64(r->db, 0, LK_ID);
	l->kind = S(LK_KIND);
	l->content = S(LK_CONTENT);
	l->sources = S(LK_SOURCES);
	l->status = S(LK_STATUS);
	l->project = db_i64(r->db, 0, LK_PROJECT);
	l->course = db_i64(r->db, 0, LK_COURSE);
	l->author = db_i64(r->db, 0, LK_AUTHOR);
	l->level = S(LK_LEVEL);
	l->module = db_i64(r->db, 0, LK_MODULE);
	l->checks = S(LK_CHECKS);
	l->passed = db_bool(r->db, 0, LK_PASSED);
#undef S
	return 0;
}

/* The names of the failing checks, "grounded, readability". */
static const char *
failing(struct arena *a, const char *checks)
{
	json_t *o = json_loads(checks, 0, NULL), *v;
	const char *k, *s;
	struct buf b;
	const char *out;

	buf_init(&b);
	json_object_foreach(o, k, v) {
		s = json_string_value(v);
		if (s != NULL && strcmp(s, "ok") != 0)
			buf_printf(&b, "%s%s (%s)", b.len ? "; " : "", k, s);
	}
	json_decref(o);
	out = arena_strdup(a, b.p != NULL ? b.p : "");
	buf_free(&b);
	return out;
}

/* The bank question a quiz item becomes. */
static const char *
to_question(struct req *r, const struct locked *l, json_t *c,
    struct qb_question *q)
{
	const char *ans = content_str(c, "answer");
	json_t *o;
	size_t i;
	int hits = 0;

	if (strcmp(l->kind, "single") == 0) {
		qb_init(q, QB_SINGLE);
		json_array_foreach(json_object_get(c, "options"), i, o) {
			const char *s = json_string_value(o);

			if (s == NULL || q->nopts == QB_MAXOPTS)
				continue;
			q->opts[q->nopts].text = arena_strdup(r->a, s);
			q->opts[q->nopts].feedback = "";
			hits += q->opts[q->nopts].correct = strcmp(s, ans) == 0;
			q->nopts++;
		}
		if (hits != 1)
			return "The answer must be exactly one of the options.";
	} else if (strcmp(l->kind, "truefalse") == 0) {
		qb_init(q, QB_TRUEFALSE);
		q->opts[0].text = "True";
		q->opts[1].text = "False";
		q->opts[0].feedback = q->opts[1].feedback = "";
		q->opts[0].correct = strcmp(ans, "True") == 0;
		q->opts[1].correct = strcmp(ans, "False") == 0;
		q->nopts = 2;
	} else {
		/* cloze: a short-answer question accepting the blank's word */
		qb_init(q, QB_SHORT);
		q->opts[0].text = arena_strdup(r->a, ans);
		q->opts[0].feedback = "";
		q->opts[0].correct = 1;
		q->nopts = 1;
	}
	q->stem = arena_strdup(r->a, content_str(c, "question"));
	q->explanation = arena_strdup(r->a, content_str(c, "explanation"));
	q->difficulty = 5;
	return NULL;
}

/* Writes the bank question for a quiz item (inside the transaction): 0
 * with *qid, 400 with *msg, or a db_err. */
static int
make_question(struct req *r, const struct locked *l, json_t *c,
    int64_t *qid, const char **msg)
{
	struct qb_question q;
	int64_t skills[QB_MAXSKILLS];
	const char *p[1];
	size_t ns = 0;
	int n, i;

	if ((*msg = to_question(r, l, c, &q)) != NULL)
		return 400;
	p[0] = db_i64s(r->a, l->course);
	if ((n = db_exec(r->db, STMT_TEACH_COURSE_SKILLS, 1, p)) < 0)
		return n;
	for (i = 0; i < n && ns < QB_MAXSKILLS; i++)
		skills[ns++] = db_i64(r->db, i, 0);
	n = page_bank_insert(r, &q, l->author, skills, ns, qid, msg);
	return n;
}

static int	write_lesson(struct req *, const struct locked *, int64_t,
		    const char *, const char *, const char *, long, int64_t *,
		    const char **);

/* The text lesson a lesson draft becomes (see write_lesson). */
static int
make_lesson(struct req *r, const struct locked *l, json_t *c,
    int64_t module, int64_t *lid, const char **msg)
{
	const char *md = content_str(c, "markdown");
	size_t words = 0;
	const char *s;

	for (s = md; *s; s++)
		words += (*s == ' ' || *s == '\n') && s[1] != ' ' &&
		    s[1] != '\n';
	return write_lesson(r, l, module, content_str(c, "title"), "text", md,
	    words / 200 + 1 > 600 ? 600 : (long)(words / 200 + 1), lid, msg);
}

/* The video lesson a micro-lesson becomes: its transcript as the body,
 * the video, captions and thumbnail attached as its media. */
static int
make_video_lesson(struct req *r, const struct locked *l, json_t *c,
    int64_t module, int64_t *lid, const char **msg)
{
	double secs = json_real_value(json_object_get(c, "duration"));
	const char *keys[] = { "video", "captions", "thumbnail" }, *p[2];
	struct buf md;
	json_t *sl;
	size_t i;
	int n;

	buf_init(&md);
	buf_printf(&md, "*A narrated micro-lesson, %s.  Transcript:*\n\n",
	    clock_text(r->a, secs));
	json_array_foreach(json_object_get(c, "slides"), i, sl)
		buf_printf(&md, "## %s\n\n%s\n\n", content_str(sl, "title"),
		    content_str(sl, "narration"));
	n = write_lesson(r, l, module, content_str(c, "title"), "video",
	    arena_strdup(r->a, md.p), (long)(secs + 59) / 60 > 0 ?
	    (long)(secs + 59) / 60 : 1, lid, msg);
	buf_free(&md);
	if (n != 0)
		return n;
	p[0] = db_i64s(r->a, *lid);
	for (i = 0; i < 3; i++) {
		json_int_t id = json_integer_value(json_object_get(c, keys[i]));

		if (id <= 0)
			continue;
		p[1] = db_i64s(r->a, id);
		if ((n = db_exec(r->db, STMT_MEDIA_ATTACH, 2, p)) < 0)
			return n;
	}
	return 0;
}

/* Writes a lesson of kind with body md into module (0: the project's,
 * else a module "Generated", made if missing).  0 with *lid, 400 with
 * *msg, or a db_err. */
static int
write_lesson(struct req *r, const struct locked *l, int64_t module,
    const char *title, const char *kind, const char *md, long minutes,
    int64_t *lid, const char **msg)
{
	const char *p[5];
	int n;

	if (module <= 0)
		module = l->module;
	if (module > 0) {
		p[0] = db_i64s(r->a, module);
		p[1] = db_i64s(r->a, l->course);
		if ((n = db_exec(r->db, STMT_GENPROJ_MODULE_OF_COURSE, 2,
		    p)) < 0)
			return n;
		if (n == 0) {
			*msg = "That module is not part of this course.";
			return 400;
		}
	} else {
		p[0] = db_i64s(r->a, l->course);
		p[1] = "Generated";
		if ((n = db_exec(r->db, STMT_GENPROJ_MODULE_FIND, 2, p)) < 0)
			return n;
		if (n == 0 && (n = db_exec(r->db, STMT_TEACH_MODULE_INSERT, 2,
		    p)) < 0)
			return n;
		module = db_i64(r->db, 0, 0);
	}
	p[0] = db_i64s(r->a, module);
	p[1] = *title ? arena_strndup(r->a, title, 200) : "Generated lesson";
	p[2] = kind;
	p[3] = md;
	p[4] = db_i64s(r->a, minutes);
	if ((n = db_exec(r->db, STMT_TEACH_LESSON_INSERT, 5, p)) < 0)
		return n;
	*lid = db_i64(r->db, 0, 0);
	return 0;
}

enum action { A_APPROVE, A_REJECT, A_EDIT };

/* The fields an edit sets, applied to content c. */
static void
apply_edit(struct req *r, const struct locked *l, json_t *c, json_t *changed)
{
	const struct http_form *f = &r->form;
	json_t *opts;
	int i, any = 0;

	(void)l;
#define SET(field, key) \
	if (f->present[field]) { \
		json_object_set_new(c, key, json_string(f->str[field])); \
		json_array_append_new(changed, json_string(key)); \
	}
	if (strcmp(l->kind, "objective") == 0) {
		SET(F_GE_QUESTION, "objective");
	} else if (strcmp(l->kind, "lesson") == 0) {
		SET(F_GE_TITLE, "title");
		SET(F_GE_MARKDOWN, "markdown");
	} else {
		SET(F_GE_QUESTION, "question");
		SET(F_GE_STEM, "stem");
		SET(F_GE_ANSWER, "answer");
		SET(F_GE_EXPLANATION, "explanation");
		for (i = 0; i < 4; i++)
			any |= f->present[F_GE_OPTION1 + i];
		if (any && strcmp(l->kind, "single") == 0) {
			opts = json_array();
			for (i = 0; i < 4; i++)
				if (f->present[F_GE_OPTION1 + i])
					json_array_append_new(opts, json_string(
					    f->str[F_GE_OPTION1 + i]));
			json_object_set_new(c, "options", opts);
			json_array_append_new(changed, json_string("options"));
		}
	}
#undef SET
}

/*
 * Runs action a on item id as the validated form says, in one
 * transaction with its audit row.  Returns 0, 404, 409 or 400 with *msg,
 * or a 5xx status.
 */
static int
act(struct req *r, int64_t id, enum action a, const char **msg,
    int64_t *project)
{
	const struct http_form *f = &r->form;
	struct locked l;
	json_t *c = NULL, *changed = NULL;
	const char *p[7], *note = "", *sources, *checks, *detail = "{}";
	const char *obj = arena_printf(r->a, "generated_item:%lld",
	    (long long)id);
	int64_t qid = 0, lid = 0;
	int n, passed, override = 0;

	if (f->nerr > 0) {
		*msg = http_form_error(&r->form);
		return 400;
	}
	if (db_begin(r->db) != 0)
		return 503;
	if ((n = lock_item(r, id, &l)) != 0) {
		db_rollback(r->db);
		return n == 404 ? 404 : page_db_status(n);
	}
	*project = l.project;
	if (strcmp(l.status, "pending") != 0) {
		db_rollback(r->db);
		*msg = arena_printf(r->a, "This item was already %s; a "
		    "review is taken once.", l.status);
		return 409;
	}
	if ((c = json_loads(l.content, 0, NULL)) == NULL) {
		db_rollback(r->db);
		return 500;
	}
	switch (a) {
	case A_EDIT:
		if (strcmp(l.kind, "microlesson") == 0) {
			db_rollback(r->db);
			json_decref(c);
			*msg = "A narrated micro-lesson is not edited: its video "
			    "is made from the script.  Edit the lesson it came "
			    "from and make another, or reject this one.";
			return 400;
		}
		changed = json_array();
		apply_edit(r, &l, c, changed);
		{
			char *s = json_dumps(c, JSON_COMPACT);

			p[1] = arena_strdup(r->a, s != NULL ? s : "{}");
			free(s);
		}
		if ((n = generate_recheck(r->db, r->a, l.project, l.id, l.kind,
		    p[1], l.level, &sources, &checks, &passed)) < 0)
			goto fail;
		p[0] = db_i64s(r->a, id);
		p[2] = sources;
		p[3] = checks;
		p[4] = passed ? "true" : "false";
		if ((n = db_exec(r->db, STMT_GENPROJ_ITEM_UPDATE, 5, p)) != 1)
			goto fail;
		{
			char *s = json_dumps(changed, JSON_COMPACT);

			detail = arena_printf(r->a, "{\"project\": %lld, "
			    "\"changed\": %s, \"before\": {\"passed\": %s}, "
			    "\"after\": {\"passed\": %s, \"checks\": %s}}",
			    (long long)l.project, s != NULL ? s : "[]",
			    l.passed ? "true" : "false",
			    passed ? "true" : "false", checks);
			free(s);
		}
		audit(r, "genitem.edit", obj, detail);
		break;
	case A_REJECT:
		note = f->str[F_GR_NOTE];
		p[0] = db_i64s(r->a, id);
		p[1] = "rejected";
		p[2] = note;
		p[3] = db_i64s(r->a, r->user.id);
		p[4] = "0";
		p[5] = "0";
		if ((n = db_exec(r->db, STMT_GENPROJ_ITEM_REVIEW, 6, p)) != 1)
			goto fail;
		audit(r, "genitem.reject", obj, arena_printf(r->a,
		    "{\"project\": %lld, \"kind\": \"%s\", \"note\": %s}",
		    (long long)l.project, l.kind, jq(r->a, note)));
		break;
	case A_APPROVE:
		override = f->i64[F_GA_OVERRIDE] == 1;
		note = f->str[F_GA_NOTE];
		if (!l.passed && !override) {
			db_rollback(r->db);
			json_decref(c);
			*msg = arena_printf(r->a, "This item fails its checks: "
			    "%s.  Edit it until they pass, or approve it with "
			    "the override (recorded in the review note).",
			    failing(r->a, l.checks));
			return 409;
		}
		if (!l.passed)
			note = arena_printf(r->a, "Approved with failing checks "
			    "overridden: %s.%s%s", failing(r->a, l.checks),
			    *note ? " " : "", note);
		if (is_quiz(l.kind))
			n = make_question(r, &l, c, &qid, msg);
		else if (strcmp(l.kind, "lesson") == 0)
			n = make_lesson(r, &l, c, f->present[F_GA_MODULE] ?
			    f->i64[F_GA_MODULE] : 0, &lid, msg);
		else if (strcmp(l.kind, "microlesson") == 0)
			n = make_video_lesson(r, &l, c, f->present[F_GA_MODULE] ?
			    f->i64[F_GA_MODULE] : 0, &lid, msg);
		else
			n = 0;
		if (n == 400) {
			db_rollback(r->db);
			json_decref(c);
			return 400;
		}
		if (n != 0)
			goto fail;
		p[0] = db_i64s(r->a, id);
		p[1] = "approved";
		p[2] = note;
		p[3] = db_i64s(r->a, r->user.id);
		p[4] = db_i64s(r->a, qid);
		p[5] = db_i64s(r->a, lid);
		if ((n = db_exec(r->db, STMT_GENPROJ_ITEM_REVIEW, 6, p)) != 1)
			goto fail;
		audit(r, "genitem.approve", obj, arena_printf(r->a,
		    "{\"project\": %lld, \"kind\": \"%s\", \"override\": %s, "
		    "\"note\": %s, \"question_id\": %lld, \"lesson_id\": "
		    "%lld}", (long long)l.project, l.kind, override && !l.passed
		    ? "true" : "false", jq(r->a, note), (long long)qid,
		    (long long)lid));
		break;
	}
	if ((n = db_commit(r->db)) != 0)
		goto fail;
	json_decref(c);
	json_decref(changed);
	return 0;
fail:
	db_rollback(r->db);
	json_decref(c);
	json_decref(changed);
	return page_db_status(n < 0 ? n : DB_HARD);
}

static int
act_page(struct req *r, enum action a)
{
	struct project pj;
	const char *msg = NULL;
	int64_t project = 0;
	struct item it;
	int st;

	st = act(r, r->pathid[0], a, &msg, &project);
	if (st == 404)
		return 404;
	if (st == 400 || st == 409) {
		if (project == 0) {
			if (item_load(r, r->pathid[0], &it) != 0)
				return http_error(r, st, msg);
			project = it.project;
		}
		if (project_load(r, project, &pj) != 0)
			return http_error(r, st, msg);
		return project_page(r, &pj, msg, st);
	}
	if (st != 0)
		return st;
	return http_redirect(r, arena_printf(r->a,
	    "/teach/projects/%lld?done=1#item-%lld", (long long)project,
	    (long long)r->pathid[0]));
}

static int
act_api(struct req *r, enum action a)
{
	const char *msg = NULL;
	int64_t project = 0;
	struct item it;
	int st;

	st = act(r, r->pathid[0], a, &msg, &project);
	if (st == 404)
		return http_error(r, 404, "No such item.");
	if (st == 400 || st == 409)
		return http_error(r, st, msg != NULL ? msg : "Refused.");
	if (st != 0)
		return http_error(r, st, "Try again shortly.");
	if ((st = item_load(r, r->pathid[0], &it)) != 0)
		return http_error(r, st, "Try again shortly.");
	json_begin(r);
	item_json(r, "item", &it);
	json_end(r);
	return http_json(r, 200);
}

int
page_genitem_edit(struct req *r)
{
	return act_page(r, A_EDIT);
}

int
page_genitem_approve(struct req *r)
{
	return act_page(r, A_APPROVE);
}

int
page_genitem_reject(struct req *r)
{
	return act_page(r, A_REJECT);
}

int
page_api_genitem_edit(struct req *r)
{
	return act_api(r, A_EDIT);
}

int
page_api_genitem_approve(struct req *r)
{
	return act_api(r, A_APPROVE);
}

int
page_api_genitem_reject(struct req *r)
{
	return act_api(r, A_REJECT);
}

/* ---- the learner's personalised module view -------------------------- */

struct personal {
	const char	*module_title;
	const char	*profile;	/* the cache key */
	const char	*md;		/* the adapted Markdown */
	int		 cached;	/* served from personalised_cache */
	int		 nlessons;
};

/* The learner's profile for course c (level from skills vs the course,
 * pace and examples from their preferences). */
static int
profile_for(struct req *r, const struct course_info *c,
    struct learn_pers_profile *pf)
{
	const char *p[2], *s;
	json_t *prefs, *v;
	enum learn_pers_level l;
	enum learn_pers_pace pc;
	int n;

	pf->level = learn_pers_level_parse(c->level);
	if (pf->level == LEARN_PERS_LEVEL__MAX)
		pf->level = LEARN_PERS_INTERMEDIATE;
	pf->pace = LEARN_PERS_NORMAL;
	pf->examples = 1;
	p[0] = db_i64s(r->a, r->user.id);
	p[1] = db_i64s(r->a, c->id);
	if ((n = db_exec(r->db, STMT_GENPROJ_LEARNER_STANDING, 2, p)) != 1)
		return n < 0 ? n : DB_HARD;
	pf->level = learn_pers_level_for(pf->level, db_dbl(r->db, 0, 2),
	    (int)db_i64(r->db, 0, 3));
	if ((prefs = json_loads(db_str(r->db, 0, 0), 0, NULL)) != NULL) {
		s = json_string_value(json_object_get(prefs, "level"));
		if ((l = learn_pers_level_parse(s)) != LEARN_PERS_LEVEL__MAX)
			pf->level = l;
		s = json_string_value(json_object_get(prefs, "pace"));
		if ((pc = learn_pers_pace_parse(s)) != LEARN_PERS_PACE__MAX)
			pf->pace = pc;
		v = json_object_get(prefs, "examples");
		if (json_is_boolean(v))
			pf->examples = json_is_true(v);
		json_decref(prefs);
	}
	return 0;
}

/* 0 with *out, 403/404 (with *msg), or a 5xx status. */
static int
personal_load(struct req *r, struct personal *out, const char **msg)
{
	struct course_info c;
	struct learn_pers_profile pf;
	struct buf all;
	const char *p[4], *hash;
	char key[64], *md;
	size_t len;
	int n, i;

	memset(out, 0, sizeof(*out));
	if ((n = page_course_load(r, r->pathid[0], &c)) < 0)
		return page_db_status(n);
	if (n == 0) {
		*msg = "No such course.";
		return 404;
	}
	if (!page_course_enrolled(&c) && c.author != r->user.id &&
	    r->user.role != ROLE_ADMIN) {
		*msg = "Enrol in the course to read its lessons.";
		return 403;
	}
	p[0] = db_i64s(r->a, r->pathid[1]);
	p[1] = db_i64s(r->a, c.id);
	if ((n = db_exec(r->db, STMT_GENPROJ_MODULE_OF_COURSE, 2, p)) < 0)
		return page_db_status(n);
	if (n == 0) {
		*msg = "No such module in this course.";
		return 404;
	}
	if ((n = db_exec(r->db, STMT_GENPROJ_MODULE_TITLE, 1, p)) != 1)
		return page_db_status(n < 0 ? n : DB_HARD);
	out->module_title = arena_strdup(r->a, db_str(r->db, 0, 0));
	if ((n = profile_for(r, &c, &pf)) != 0)
		return page_db_status(n);
	learn_pers_key(&pf, key, sizeof(key));
	out->profile = arena_strdup(r->a, key);
	if ((n = db_exec(r->db, STMT_GENPROJ_MODULE_GENERATED, 1, p)) < 0)
		return page_db_status(n);
	out->nlessons = n;
	if (n == 0) {
		out->md = "";
		return 0;
	}
	hash = arena_strdup(r->a, db_str(r->db, 0, 3));
	buf_init(&all);
	for (i = 0; i < n; i++) {
		buf_puts(&all, db_str(r->db, i, 2));
		buf_puts(&all, "\n\n");
	}
	p[1] = out->profile;
	if ((n = db_exec(r->db, STMT_GENPROJ_CACHE_GET, 2, p)) < 0) {
		buf_free(&all);
		return page_db_status(n);
	}
	if (n == 1 && strcmp(db_str(r->db, 0, 1), hash) == 0) {
		out->md = arena_strdup(r->a, db_str(r->db, 0, 0));
		out->cached = 1;
		buf_free(&all);
		return 0;
	}
	md = learn_personalise(all.p, all.len, &pf, &len);
	buf_free(&all);
	if (md == NULL)
		return 500;
	out->md = arena_strdup(r->a, md);
	free(md);
	p[2] = out->md;
	p[3] = hash;
	(void)db_exec(r->db, STMT_GENPROJ_CACHE_PUT, 4, p);
	return 0;
}

int
page_module_generated(struct req *r)
{
	struct view *v = view_new(r->a);
	struct personal pd;
	const char *msg = NULL;
	int st;

	if ((st = personal_load(r, &pd, &msg)) != 0)
		return msg != NULL ? http_error(r, st, msg) : st;
	view_set_int(v, "course_id", (long)r->pathid[0]);
	view_set(v, "module_title", pd.module_title);
	view_set(v, "profile", pd.profile);
	view_set_int(v, "nlessons", pd.nlessons);
	if (*pd.md)
		view_set_raw(v, "body", markdown_html(r->a, pd.md,
		    strlen(pd.md)));
	http_header(r, "X-Adept-Cache", pd.cached ? "hit" : "miss");
	return http_page(r, TMPL_MODULE_GENERATED, v, pd.module_title);
}

int
page_api_module_generated(struct req *r)
{
	struct personal pd;
	const char *msg = NULL;
	int st;

	if ((st = personal_load(r, &pd, &msg)) != 0)
		return http_error(r, st, msg != NULL ? msg :
		    "Try again shortly.");
	json_begin(r);
	json_i64(r, "course_id", r->pathid[0]);
	json_i64(r, "module_id", r->pathid[1]);
	json_str(r, "module_title", pd.module_title);
	json_str(r, "profile", pd.profile);
	json_bool(r, "cached", pd.cached);
	json_i64(r, "lessons", pd.nlessons);
	json_str(r, "markdown", pd.md);
	json_end(r);
	return http_json(r, 200);
}
