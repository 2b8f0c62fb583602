/*
 * course: a course as a learner sees it (GET /courses/{id}, JSON twin GET
 * /api/v1/courses/{id}): syllabus with the learner's progress per lesson,
 * skills taught, prerequisites with the learner's status for each,
 * instructor, estimated time; and enrolment (POST /courses/{id}/enroll,
 * /courses/{id}/leave, POST /api/v1/learning/enrollments, GET the list).
 *
 * The design decision: visibility is one SQL condition (published, or the
 * viewer is the author or an admin) in every statement that loads a
 * course, so a draft or a course under review is "not found" for everyone
 * else by construction, in the page, its JSON twin and every POST.
 * Enrolment is an upsert that returns a row only when something changed,
 * which makes enrolling twice idempotent and tells the handler when to
 * record the event and queue the confirmation mail (one transaction).
 * The page and its twin take what every visitor sees alike (the course's
 * facts, syllabus, skills) from this thread's kept copy and what is the
 * visitor's own (enrolment, progress, prerequisites) from one statement
 * per request, which also says whether the copy is current
 * (course_shared.c).
 */
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "db/db.h"
#include "http/view.h"
#include "pages/adaptive.h"
#include "pages/course_shared.h"
#include "pages/pages.h"

static const char *
is_admin(const struct req *r)
{
	return r->user.role == ROLE_ADMIN ? "true" : "false";
}

/* Reads course_view's columns (migration 032) from row 0, column c0 on. */
static void
read_course(struct req *r, int c0, struct course_info *out)
{
	out->id = db_i64(r->db, 0, c0);
	out->title = arena_strdup(r->a, db_str(r->db, 0, c0 + 1));
	out->summary = arena_strdup(r->a, db_str(r->db, 0, c0 + 2));
	out->level = arena_strdup(r->a, db_str(r->db, 0, c0 + 3));
	out->language = arena_strdup(r->a, db_str(r->db, 0, c0 + 4));
	out->hours = arena_strdup(r->a, db_str(r->db, 0, c0 + 5));
	out->status = arena_strdup(r->a, db_str(r->db, 0, c0 + 6));
	out->instructor = arena_strdup(r->a, db_str(r->db, 0, c0 + 7));
	out->author = db_i64(r->db, 0, c0 + 8);
	out->enrol = arena_strdup(r->a, db_str(r->db, 0, c0 + 9));
	out->last_lesson = db_i64(r->db, 0, c0 + 10);
	out->nlessons = (long)db_i64(r->db, 0, c0 + 11);
	out->ndone = (long)db_i64(r->db, 0, c0 + 12);
	out->minutes = (long)db_i64(r->db, 0, c0 + 13);
}

/* Runs statement s with (course id, user, admin); n rows or a db_err. */
static int
exec_course(struct req *r, enum stmt s, int64_t id)
{
	const char *p[3];

	p[0] = db_i64s(r->a, id);
	p[1] = db_i64s(r->a, r->user.id);
	p[2] = is_admin(r);
	return db_exec(r->db, s, 3, p);
}

int
page_course_load(struct req *r, int64_t id, struct course_info *out)
{
	int n;

	if ((n = exec_course(r, STMT_LEARNING_COURSE_GET, id)) <= 0)
		return n;
	read_course(r, 0, out);
	return 1;
}

/* learning_course_mine's rows: the first column is the part, the second
 * orders rows within it, the data starts at column D. */
#define D	2

int
page_course_percent(const struct course_info *c)
{
	return c->nlessons > 0 ? (int)(100 * c->ndone / c->nlessons) : 0;
}

int
page_course_enrolled(const struct course_info *c)
{
	return strcmp(c->enrol, "active") == 0 ||
	    strcmp(c->enrol, "completed") == 0;
}

const char *
page_minutes_label(struct arena *a, long minutes)
{
	if (minutes < 60)
		return arena_printf(a, "%ld min", minutes);
	if (minutes % 60 == 0)
		return arena_printf(a, "%ld h", minutes / 60);
	return arena_printf(a, "%ld h %ld min", minutes / 60, minutes % 60);
}

/*
 * Records an event for the user and, when subject is not NULL, queues a
 * mail.  Inside the caller's transaction; 0 or a db_err.
 */
int
page_learning_event(struct req *r, const char *kind, int64_t course,
    int64_t lesson, const char *subject, const char *body)
{
	const char *p[5];
	int n;

	p[0] = db_i64s(r->a, r->user.id);
	p[1] = kind;
	p[2] = course > 0 ? db_i64s(r->a, course) : NULL;
	p[3] = lesson > 0 ? db_i64s(r->a, lesson) : NULL;
	p[4] = NULL;
	if ((n = db_exec(r->db, STMT_LEARNING_EVENT_INSERT, 5, p)) < 0)
		return n;
	if (subject == NULL)
		return 0;
	p[1] = kind;
	p[2] = subject;
	p[3] = body;
	if ((n = db_exec(r->db, STMT_LEARNING_OUTBOX_INSERT, 4, p)) < 0)
		return n;
	return 0;
}

/* ---- the course page -------------------------------------------------- */

static int
render_prereqs(struct req *r, const struct course_shared *s,
    const struct course_standing *st, struct buf *out)
{
	struct view *v = view_new(r->a);
	const struct course_prereq *q;
	int i;

	for (i = 0, q = s->prereqs; i < s->nprereqs; i++, q++) {
		view_clear(v);
		if (q->skill)
			view_setf(v, "name", "Level %ld in %s", q->level,
			    q->name);
		else
			view_setf(v, "name", "The course \xe2\x80\x9c%s"
			    "\xe2\x80\x9d", q->name);
		view_set_bool(v, "met", st[i].met);
		if (!st[i].met && q->take > 0) {
			view_set(v, "take_url", arena_printf(r->a,
			    "/courses/%lld", (long long)q->take));
			view_set(v, "take_title", q->take_title);
		}
		if (!st[i].met && q->skill)
			view_set(v, "detail", st[i].level == NULL ?
			    "your level in this skill is not known yet" :
			    arena_printf(r->a, "your level is %s",
			    st[i].level));
		if (tmpl_render_row(TMPL_ROW_LEARN_PREREQ, v, out) == -1)
			return -1;
	}
	return 0;
}

/*
 * Loads the course page of course id: the kept shared part into *s, the
 * course as the user sees it into *c, their progress per lesson into *pg
 * and their standing against each prerequisite into *st.  Returns 1, 0
 * when the course does not exist or the user may not see it, a db_err or
 * COURSE_TMPL_ERROR.
 */
static int
course_page_load(struct req *r, int64_t id, const struct course_shared **s,
    struct course_info *c, struct course_progress **pg,
    struct course_standing **st)
{
	int n, i;

	if ((n = page_course_shared_load(r, id, s)) <= 0)
		return n;
	memset(c, 0, sizeof(*c));
	c->id = id;
	c->title = (*s)->title;
	c->summary = (*s)->summary;
	c->level = (*s)->level;
	c->language = (*s)->language;
	c->hours = (*s)->hours;
	c->status = (*s)->status;
	c->instructor = (*s)->instructor;
	c->enrol = arena_strdup(r->a, db_str(r->db, 0, D + 2));
	c->last_lesson = db_i64(r->db, 0, D + 3);
	c->nlessons = (*s)->nlessons;
	c->minutes = (*s)->minutes;
	*pg = page_course_progress(r, n, *s);
	*st = page_course_standing(r, n, *s);
	for (i = 0; i < (*s)->nlessons; i++)
		if (strcmp((*pg)[i].status, "completed") == 0)
			c->ndone++;
	return 1;
}

/* What course_page_load's failure n answers. */
static int
load_status(int n)
{
	return n == COURSE_TMPL_ERROR ? 500 : page_db_status(n);
}

/* The lesson to resume (an index of s->lessons): the last one visited if
 * still in the course, else the first not completed, else the first; -1
 * when there is no lesson. */
static int
resume_lesson(const struct course_shared *s, const struct course_progress *pg,
    int64_t last)
{
	int i, todo = -1;

	for (i = 0; i < s->nlessons; i++) {
		if (s->lessons[i].id == last)
			return i;
		if (todo == -1 && strcmp(pg[i].status, "completed") != 0)
			todo = i;
	}
	return todo != -1 ? todo : s->nlessons > 0 ? 0 : -1;
}

/* Renders course_enrolment.html for c (resume: an index of s->lessons or
 * -1) into out: 0 or -1. */
static int
render_enrolment(struct req *r, const struct course_shared *s,
    const struct course_info *c, int resume, struct buf *out)
{
	struct view *v = view_new(r->a);
	int enrolled = page_course_enrolled(c);

	view_set_int(v, "nlessons", c->nlessons);
	view_set_int(v, "ndone", c->ndone);
	view_set_int(v, "percent", page_course_percent(c));
	view_set_bool(v, "signed_in", r->user.id != 0);
	view_set(v, "csrf", r->csrf);
	view_set_bool(v, "enrolled", enrolled);
	view_set_bool(v, "completed", strcmp(c->enrol, "completed") == 0);
	view_set_bool(v, "can_enrol", !enrolled && r->user.id != 0 &&
	    strcmp(c->status, "published") == 0);
	view_set(v, "login_url", arena_printf(r->a, "/login?next=/courses/"
	    "%lld", (long long)c->id));
	view_set(v, "enroll_action", arena_printf(r->a,
	    "/courses/%lld/enroll", (long long)c->id));
	view_set(v, "leave_action", arena_printf(r->a,
	    "/courses/%lld/leave", (long long)c->id));
	view_set(v, "tutor_url", arena_printf(r->a, "/courses/%lld/tutor",
	    (long long)c->id));
	if (resume != -1) {
		view_set(v, "resume_url", arena_printf(r->a,
		    "/courses/%lld/lessons/%lld", (long long)c->id,
		    (long long)s->lessons[resume].id));
		view_set(v, "resume_title", s->lessons[resume].title);
		view_set_bool(v, "resuming", c->last_lesson ==
		    s->lessons[resume].id);
	}
	return tmpl_render_row(TMPL_COURSE_ENROLMENT, v, out);
}

/*
 * The page: the kept body (course.html, rendered when the copy was made)
 * with the visitor's enrolment section, prerequisite rows and syllabus
 * joined in at its three places.
 */
int
page_course(struct req *r)
{
	const struct course_shared *s;
	struct course_progress *pg;
	struct course_standing *st;
	struct course_info c;
	struct buf html;
	int n, enrolled, rc;

	if ((n = course_page_load(r, r->pathid[0], &s, &c, &pg, &st)) < 0)
		return load_status(n);
	if (n == 0)
		return http_error(r, 404, "There is no such course, or it "
		    "is not published.");
	buf_init(&html);
	buf_puts(&html, s->body[0]);
	rc = render_enrolment(r, s, &c, resume_lesson(s, pg, c.last_lesson),
	    &html);
	buf_puts(&html, s->body[1]);
	if (rc == 0)
		rc = render_prereqs(r, s, st, &html);
	buf_puts(&html, s->body[2]);
	if (rc == 0)
		rc = page_course_syllabus(r, s, pg, &html);
	buf_puts(&html, s->body[3]);
	if (rc == -1) {
		buf_free(&html);
		return 500;
	}
	enrolled = page_course_enrolled(&c);
	if (http_param(r, "enrolled") != NULL && enrolled)
		r->flash = "You are enrolled. A confirmation is on its way "
		    "to your e-mail.";
	else if (http_param(r, "left") != NULL && !enrolled)
		r->flash = "You have left this course. Your progress is kept "
		    "if you enrol again.";
	else if (http_param(r, "completed") != NULL &&
	    strcmp(c.enrol, "completed") == 0)
		r->flash = "Congratulations: you have completed this course!";
	rc = http_page_html(r, html.p, html.len, c.title,
	    TMPL_NAV_CATALOG);
	buf_free(&html);
	return rc;
}

/* ---- the JSON twin ---------------------------------------------------- */

static void
json_syllabus(struct req *r, const struct course_shared *s,
    const struct course_progress *pg)
{
	const struct course_lesson *l;
	int i, j;

	json_arr_begin(r, "modules");
	for (i = 0; i < s->nmodules; i++) {
		json_obj_begin(r, NULL);
		json_i64(r, "id", s->modules[i].id);
		json_str(r, "title", s->modules[i].title);
		json_arr_begin(r, "lessons");
		for (j = s->modules[i].first; j < s->modules[i].first +
		    s->modules[i].n; j++) {
			l = &s->lessons[j];
			json_obj_begin(r, NULL);
			json_i64(r, "id", l->id);
			json_str(r, "title", l->title);
			json_str(r, "kind", l->kind);
			json_i64(r, "estimated_minutes", l->minutes);
			json_str(r, "status", *pg[j].status != '\0' ?
			    pg[j].status : "not_started");
			json_i64(r, "time_spent_seconds", pg[j].seconds);
			json_obj_end(r);
		}
		json_arr_end(r);
		json_arr_begin(r, "quizzes");
		for (j = 0; j < s->nquizzes; j++) {
			if (s->quizzes[j].module != s->modules[i].id)
				continue;
			json_obj_begin(r, NULL);
			json_i64(r, "id", s->quizzes[j].id);
			json_str(r, "title", s->quizzes[j].title);
			json_obj_end(r);
		}
		json_arr_end(r);
		json_obj_end(r);
	}
	json_arr_end(r);
}

int
page_api_course(struct req *r)
{
	const struct course_shared *s;
	const struct course_prereq *q;
	struct course_progress *pg;
	struct course_standing *st;
	struct course_info c;
	int n, i;

	if ((n = course_page_load(r, r->pathid[0], &s, &c, &pg, &st)) < 0)
		return http_error(r, load_status(n), n == COURSE_TMPL_ERROR ?
		    "The page could not be built." : "Try again shortly.");
	if (n == 0)
		return http_error(r, 404, "There is no such course, or it "
		    "is not published.");
	json_begin(r);
	json_i64(r, "id", c.id);
	json_str(r, "title", c.title);
	json_str(r, "summary", c.summary);
	json_str(r, "level", c.level);
	json_str(r, "language", c.language);
	json_dbl(r, "estimated_hours", strtod(c.hours, NULL));
	json_str(r, "status", c.status);
	json_str(r, "instructor", c.instructor);
	json_i64(r, "lessons", c.nlessons);
	json_i64(r, "lesson_minutes", c.minutes);
	if (*c.enrol != '\0') {
		json_raw(r, "enrollment", "{");
		json_str(r, "status", c.enrol);
		json_i64(r, "percent_complete", page_course_percent(&c));
		json_i64(r, "lessons_completed", c.ndone);
		if (c.last_lesson != 0)
			json_i64(r, "last_lesson_id", c.last_lesson);
		else
			json_raw(r, "last_lesson_id", "null");
		buf_putc(r->body, '}');
	} else
		json_raw(r, "enrollment", "null");
	json_syllabus(r, s, pg);
	json_arr_begin(r, "skills");
	for (i = 0; i < s->nskills; i++) {
		json_obj_begin(r, NULL);
		json_i64(r, "id", s->skills[i].id);
		json_str(r, "name", s->skills[i].name);
		json_i64(r, "target_level", s->skills[i].level);
		json_obj_end(r);
	}
	json_arr_end(r);
	json_arr_begin(r, "prerequisites");
	for (i = 0, q = s->prereqs; i < s->nprereqs; i++, q++) {
		json_obj_begin(r, NULL);
		json_str(r, "kind", q->skill ? "skill" : "course");
		json_i64(r, "id", q->id);
		json_str(r, "name", q->name);
		if (q->skill) {
			json_i64(r, "min_level", q->level);
			if (st[i].level == NULL)
				json_raw(r, "your_level", "null");
			else
				json_dbl(r, "your_level", strtod(st[i].level,
				    NULL));
		}
		json_bool(r, "met", st[i].met);
		if (q->take > 0 && !st[i].met) {
			json_i64(r, "take_course_id", q->take);
			json_str(r, "take_course_title", q->take_title);
		}
		json_obj_end(r);
	}
	json_arr_end(r);
	json_end(r);
	return http_json(r, 200);
}

/* ---- enrolment -------------------------------------------------------- */

/*
 * Enrols the user in course id.  *changed = 1 when they were not enrolled
 * (then the event is recorded and the confirmation queued, atomically).
 * Returns 0, 404 (no such visible, published course), or a db_err.
 */
static int
enroll(struct req *r, int64_t id, int *changed, struct course_info *c)
{
	const char *p[2];
	int n;

	*changed = 0;
	if ((n = page_course_load(r, id, c)) < 0)
		return n;
	if (n == 0 || strcmp(c->status, "published") != 0)
		return 404;
	if (page_course_enrolled(c))
		return 0;
	if (db_begin(r->db) == -1)
		return DB_RETRY;
	p[0] = db_i64s(r->a, r->user.id);
	p[1] = db_i64s(r->a, id);
	if ((n = db_exec(r->db, STMT_LEARNING_ENROLL, 2, p)) < 0)
		goto fail;
	if (n == 1) {
		n = page_learning_event(r, "course_enrolled", id, 0,
		    arena_printf(r->a, "You are enrolled in %s", c->title),
		    arena_printf(r->a, "Hello %s,\n\nYou are enrolled in "
		    "\xe2\x80\x9c%s\xe2\x80\x9d, taught by %s (about %s "
		    "hours).\n\nStart or resume it at /courses/%lld\n\n"
		    "Adept\n", r->user.name, c->title, c->instructor,
		    c->hours, (long long)id));
		if (n < 0)
			goto fail;
		*changed = 1;
		/* What to do next changed (issue 6). */
		if ((n = rec_mark_stale(r)) < 0)
			goto fail;
	}
	if ((n = db_commit(r->db)) < 0)
		goto fail;
	return 0;
fail:
	db_rollback(r->db);
	return n;
}

int
page_course_enroll(struct req *r)
{
	struct course_info c;
	int changed, n;

	n = enroll(r, r->pathid[0], &changed, &c);
	if (n == 404)
		return http_error(r, 404, "There is no such course, or it "
		    "is not open for enrolment.");
	if (n < 0)
		return page_db_status(n);
	return http_redirect(r, arena_printf(r->a, "/courses/%lld?enrolled=1",
	    (long long)r->pathid[0]));
}

int
page_course_leave(struct req *r)
{
	const char *p[2];
	int n;

	p[0] = db_i64s(r->a, r->user.id);
	p[1] = db_i64s(r->a, r->pathid[0]);
	if (db_begin(r->db) == -1)
		return 503;
	if ((n = db_exec(r->db, STMT_LEARNING_LEAVE, 2, p)) < 0)
		goto fail;
	if (n == 1 && ((n = page_learning_event(r, "course_left",
	    r->pathid[0], 0, NULL, NULL)) < 0 || (n = rec_mark_stale(r)) < 0))
		goto fail;
	if ((n = db_commit(r->db)) < 0)
		goto fail;
	return http_redirect(r, arena_printf(r->a, "/courses/%lld?left=1",
	    (long long)r->pathid[0]));
fail:
	db_rollback(r->db);
	return page_db_status(n);
}

int
page_api_enrollments(struct req *r)
{
	struct course_info c;
	int changed, n, i;

	if (strcmp(r->method, "POST") == 0) {
		if (r->form.nerr > 0)
			return http_error(r, 400, http_form_error(&r->form));
		n = enroll(r, r->form.i64[F_ENR_COURSE], &changed, &c);
		if (n == 404)
			return http_error(r, 404, "There is no such course, or "
			    "it is not open for enrolment.");
		if (n < 0)
			return http_error(r, page_db_status(n),
			    "Try again shortly.");
		json_begin(r);
		json_i64(r, "course_id", r->form.i64[F_ENR_COURSE]);
		json_str(r, "status", changed ? "active" : c.enrol);
		json_bool(r, "created", changed);
		json_end(r);
		return http_json(r, changed ? 201 : 200);
	}
	if ((n = page_enrollment_list(r)) < 0)
		return http_error(r, page_db_status(n), "Try again shortly.");
	json_begin(r);
	json_raw(r, "enrollments", "[");
	for (i = 0; i < n; i++) {
		buf_puts(r->body, i > 0 ? ",{" : "{");
		json_i64(r, "course_id", db_i64(r->db, i, 0));
		json_str(r, "title", db_str(r->db, i, 1));
		json_str(r, "status", db_str(r->db, i, 2));
		json_i64(r, "percent_complete", db_i64(r->db, i, 3));
		if (db_i64(r->db, i, 4) != 0)
			json_i64(r, "last_lesson_id", db_i64(r->db, i, 4));
		else
			json_raw(r, "last_lesson_id", "null");
		json_str(r, "enrolled_at", db_str(r->db, i, 5));
		json_str(r, "completed_at", *db_str(r->db, i, 6) != '\0' ?
		    db_str(r->db, i, 6) : NULL);
		buf_putc(r->body, '}');
	}
	buf_putc(r->body, ']');
	json_end(r);
	return http_json(r, 200);
}

int
page_enrollment_list(struct req *r)
{
	const char *p[1];

	p[0] = db_i64s(r->a, r->user.id);
	return db_exec(r->db, STMT_LEARNING_ENROLLMENT_LIST, 1, p);
}
