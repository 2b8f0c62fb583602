/*
 * microlesson: asking for a narrated micro-lesson (issue 8, micro) -- from
 * a lesson of the instructor's course ("Make a narrated micro-lesson" on
 * the lesson and on an approved lesson draft), or from a concept prompt on
 * the course's projects page.  Each request is a generation project of
 * one item, made by the "microlesson" job (src/jobs/microlesson.c) and
 * reviewed like every generated item (src/pages/genproj.c), whose
 * approval makes the video lesson.
 *
 * The design decision: asking writes the project, its job and the audit
 * row in one transaction, after the ownership check on the lesson or
 * course, so another instructor's id is a 404 and nothing is queued.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/arena.h"
#include "db/db.h"
#include "jobs/jobs.h"
#include "pages/pages.h"
#include "pages/teach.h"

const struct http_field page_microlesson_fields[F_ML__MAX] = {
	[F_ML_PROMPT] = { "prompt", HTTP_FT_STRING, 3, 200, 0, 0, NULL, 1,
	    "Concept" },
	[F_ML_MODULE] = { "module", HTTP_FT_INT, 0, 0, 1, LLONG_MAX, NULL, 0,
	    "Module" },
};

/*
 * A project for course with inputs (JSON), for module (0: none), and its
 * job, with the audit row.  0 with *pid, or a 5xx status.
 */
static int
create(struct req *r, int64_t course, int64_t module, const char *inputs,
    int64_t *pid)
{
	const char *p[5];
	int n;

	if (db_begin(r->db) != 0)
		return 503;
	p[0] = db_i64s(r->a, course);
	p[1] = module > 0 ? db_i64s(r->a, module) : NULL;
	p[2] = db_i64s(r->a, r->user.id);
	p[3] = inputs;
	p[4] = "offline";
	if ((n = db_exec(r->db, STMT_GENPROJ_PROJECT_INSERT, 5, p)) != 1)
		goto fail;
	*pid = db_i64(r->db, 0, 0);
	if ((n = (int)jobs_enqueue(r->db, r->a, JOB_MICROLESSON, arena_printf(
	    r->a, "{\"project\": %lld}", (long long)*pid), 0, arena_printf(
	    r->a, "microlesson:%lld", (long long)*pid))) < 0)
		goto fail;
	teach_audit(r, "microlesson.create", course, arena_printf(r->a,
	    "{\"project\": %lld, \"inputs\": %s}", (long long)*pid, inputs));
	if ((n = db_commit(r->db)) != 0)
		goto fail;
	return 0;
fail:
	db_rollback(r->db);
	return page_db_status(n < 0 ? n : DB_HARD);
}

static const char *
inputs_json(struct arena *a, int64_t lesson, const char *prompt)
{
	json_t *o = json_object(), *k = json_array();
	const char *out;
	char *s;

	json_array_append_new(k, json_string("microlesson"));
	json_object_set_new(o, "kinds", k);
	if (lesson > 0)
		json_object_set_new(o, "lesson", json_integer(lesson));
	else
		json_object_set_new(o, "prompt", json_string(prompt));
	s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	out = arena_strdup(a, s != NULL ? s : "{}");
	free(s);
	return out;
}

/* From lesson r->pathid[0]: 0 with *pid, 404, or a 5xx status. */
static int
from_lesson(struct req *r, int64_t *pid)
{
	struct teach_lesson l;
	int st;

	if ((st = teach_lesson_load(r, r->pathid[0], &l)) != 0)
		return st;
	return create(r, l.course_id, l.module_id, inputs_json(r->a, l.id,
	    NULL), pid);
}

/* From the prompt for course r->pathid[0]: 0 with *pid, 400 with *msg,
 * 404, or a 5xx status. */
static int
from_prompt(struct req *r, int64_t *pid, const char **msg)
{
	const struct http_form *f = &r->form;
	struct teach_course c;
	int64_t module = f->present[F_ML_MODULE] ? f->i64[F_ML_MODULE] : 0;
	const char *p[2];
	int n, st;

	if ((st = teach_course_load(r, r->pathid[0], &c)) != 0)
		return st;
	if (f->nerr > 0) {
		*msg = http_form_error(&r->form);
		return 400;
	}
	if (module > 0) {
		p[0] = db_i64s(r->a, module);
		p[1] = db_i64s(r->a, c.id);
		if ((n = db_exec(r->db, STMT_GENPROJ_MODULE_OF_COURSE, 2,
		    p)) < 0)
			return page_db_status(n);
		if (n == 0) {
			*msg = "That module is not part of this course.";
			return 400;
		}
	}
	return create(r, c.id, module, inputs_json(r->a, 0,
	    f->str[F_ML_PROMPT]), pid);
}

static int
html_done(struct req *r, int st, int64_t pid, const char *msg)
{
	if (st == 400)
		return http_error(r, 400, msg);
	if (st != 0)
		return st;
	return http_redirect(r, arena_printf(r->a, "/teach/projects/%lld",
	    (long long)pid));
}

static int
api_done(struct req *r, int st, int64_t pid, const char *msg)
{
	if (st == 400)
		return http_error(r, 400, msg);
	if (st == 404)
		return http_error(r, 404, "No such lesson or course, or it is "
		    "not yours.");
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
page_microlesson_from_lesson(struct req *r)
{
	int64_t pid = 0;
	int st = from_lesson(r, &pid);

	return html_done(r, st, pid, NULL);
}

int
page_api_microlesson_from_lesson(struct req *r)
{
	int64_t pid = 0;
	int st = from_lesson(r, &pid);

	return api_done(r, st, pid, NULL);
}

int
page_microlesson_from_prompt(struct req *r)
{
	const char *msg = NULL;
	int64_t pid = 0;
	int st = from_prompt(r, &pid, &msg);

	return html_done(r, st, pid, msg);
}

int
page_api_microlesson_from_prompt(struct req *r)
{
	const char *msg = NULL;
	int64_t pid = 0;
	int st = from_prompt(r, &pid, &msg);

	return api_done(r, st, pid, msg);
}
