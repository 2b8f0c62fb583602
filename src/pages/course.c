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
 * The page and its twin read everything in one statement
 * (learning_course_page: the course, then its syllabus, prerequisites and
 * skills as rows told apart by their first column), one round trip.
 */
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "db/db.h"
#include "http/view.h"
#include "pages/adaptive.h"
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

/* learning_course_page's rows: the first column is the part, the second
 * orders rows within it, the data starts at column D. */
#define D	2

/*
 * Loads the course page of course id into r->db (learning_course_page)
 * and its course row into *c: the number of rows, 0 when the course does
 * not exist or the user may not see it, or a db_err.
 */
static int
course_page_load(struct req *r, int64_t id, struct course_info *c)
{
	int n;

	if ((n = exec_course(r, STMT_LEARNING_COURSE_PAGE, id)) <= 0)
		return n;
	read_course(r, D, c);
	return n;
}

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

static const char *
time_spent_label(struct arena *a, long seconds)
{
	if (seconds <= 0)
		return "";
	if (seconds < 60)
		return arena_printf(a, "%ld s spent", seconds);
	return arena_printf(a, "%s spent", page_minutes_label(a,
	    seconds / 60));
}

static const char *
lesson_status_label(const char *status)
{
	if (strcmp(status, "completed") == 0)
		return "Completed";
	if (strcmp(status, "started") == 0)
		return "In progress";
	return "Not started";
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

/* The quizzes attached to the course's modules (not to a lesson). */
struct modquiz {
	int64_t		 module, id;
	const char	*title;
};

/* Reads them from the page's 'z' rows into *q (arena): their count. */
static int
read_quizzes(struct req *r, struct db_part rows, struct modquiz **q)
{
	int n = rows.end - rows.first, i;

	*q = arena_calloc(r->a, n > 0 ? n : 1, sizeof(**q));
	for (i = 0; i < n; i++) {
		(*q)[i].module = db_i64(r->db, rows.first + i, D);
		(*q)[i].id = db_i64(r->db, rows.first + i, D + 1);
		(*q)[i].title = arena_strdup(r->a,
		    db_str(r->db, rows.first + i, D + 2));
	}
	return n;
}

/* The links to module mod's quizzes (raw HTML, "" when none). */
static const char *
module_quizzes(struct req *r, const struct modquiz *q, int nq, int64_t mod)
{
	struct buf b;
	const char *out;
	int i;

	buf_init(&b);
	buf_puts(&b, "");
	for (i = 0; i < nq; i++)
		if (q[i].module == mod)
			page_quiz_link(&b, q[i].id, q[i].title);
	out = arena_strdup(r->a, b.p);
	buf_free(&b);
	return out;
}

/*
 * Renders the syllabus rows in r->db, with each module's quizzes q[nq],
 * into *modules (HTML) and finds the
 * lesson to resume: the last one visited if still in the course, else the
 * first not completed, else the first.  0 or -1 (template error).
 */
static int
render_syllabus(struct req *r, const struct course_info *c,
    struct db_part rows, const struct modquiz *q, int nq, struct buf *modules,
    int64_t *resume, const char **resume_title)
{
	struct view *mv = view_new(r->a), *lv = view_new(r->a);
	struct buf lessons;
	int64_t mod = 0, lid, first = 0, todo = 0;
	const char *mtitle = NULL, *st, *first_t = NULL, *todo_t = NULL;
	int n = rows.end, i, npos = 0, rc = 0;

	*resume = 0;
	*resume_title = NULL;
	buf_init(&lessons);
	buf_puts(&lessons, "");
	for (i = rows.first; i <= n; i++) {
		if (i == n || db_i64(r->db, i, D) != mod) {
			if (mod != 0) {
				view_clear(mv);
				view_set_int(mv, "position", ++npos);
				view_set(mv, "title", mtitle);
				view_set_raw(mv, "lessons", lessons.p);
				view_set_raw(mv, "quizzes", module_quizzes(r,
				    q, nq, mod));
				if (tmpl_render_row(TMPL_ROW_LEARN_MODULE, mv,
				    modules) == -1) {
					rc = -1;
					break;
				}
				buf_reset(&lessons);
			}
			if (i == n)
				break;
			mod = db_i64(r->db, i, D);
			mtitle = arena_strdup(r->a, db_str(r->db, i, D + 1));
		}
		if (db_isnull(r->db, i, D + 2))
			continue;
		lid = db_i64(r->db, i, D + 2);
		st = db_str(r->db, i, D + 6);
		if (first == 0) {
			first = lid;
			first_t = arena_strdup(r->a, db_str(r->db, i, D + 3));
		}
		if (todo == 0 && strcmp(st, "completed") != 0) {
			todo = lid;
			todo_t = arena_strdup(r->a, db_str(r->db, i, D + 3));
		}
		if (lid == c->last_lesson) {
			*resume = lid;
			*resume_title = arena_strdup(r->a, db_str(r->db, i, D + 3));
		}
		view_clear(lv);
		view_set(lv, "url", arena_printf(r->a,
		    "/courses/%lld/lessons/%lld", (long long)c->id,
		    (long long)lid));
		view_set(lv, "title", db_str(r->db, i, D + 3));
		view_set(lv, "kind", db_str(r->db, i, D + 4));
		view_set(lv, "minutes", page_minutes_label(r->a,
		    (long)db_i64(r->db, i, D + 5)));
		view_set(lv, "status", lesson_status_label(st));
		view_set_bool(lv, "done", strcmp(st, "completed") == 0);
		view_set(lv, "time", time_spent_label(r->a,
		    (long)db_i64(r->db, i, D + 7)));
		if (tmpl_render_row(TMPL_ROW_LEARN_LESSON, lv, &lessons) ==
		    -1) {
			rc = -1;
			break;
		}
	}
	buf_free(&lessons);
	if (*resume == 0) {
		*resume = todo != 0 ? todo : first;
		*resume_title = todo != 0 ? todo_t : first_t;
	}
	return rc;
}

static int
render_skills(struct req *r, struct db_part rows, struct buf *out)
{
	struct view *v = view_new(r->a);
	int i;

	for (i = rows.first; i < rows.end; i++) {
		view_clear(v);
		view_set(v, "name", db_str(r->db, i, D + 1));
		view_set_int(v, "level", (long)db_i64(r->db, i, D + 2));
		if (tmpl_render_row(TMPL_ROW_LEARN_SKILL, v, out) == -1)
			return -1;
	}
	return 0;
}

static int
render_prereqs(struct req *r, struct db_part rows, struct buf *out)
{
	struct view *v = view_new(r->a);
	int i, met, skill;

	for (i = rows.first; i < rows.end; i++) {
		skill = strcmp(db_str(r->db, i, D), "skill") == 0;
		met = db_bool(r->db, i, D + 4);
		view_clear(v);
		if (skill)
			view_setf(v, "name", "Level %lld in %s",
			    (long long)db_i64(r->db, i, D + 3),
			    db_str(r->db, i, D + 2));
		else
			view_setf(v, "name", "The course \xe2\x80\x9c%s"
			    "\xe2\x80\x9d", db_str(r->db, i, D + 2));
		view_set_bool(v, "met", met);
		if (!met && db_i64(r->db, i, D + 6) > 0) {
			view_set(v, "take_url", arena_printf(r->a,
			    "/courses/%lld", (long long)db_i64(r->db, i, D + 6)));
			view_set(v, "take_title", db_str(r->db, i, D + 7));
		}
		if (!met && skill)
			view_set(v, "detail", db_isnull(r->db, i, D + 5) ?
			    "your level in this skill is not known yet" :
			    arena_printf(r->a, "your level is %s",
			    db_str(r->db, i, D + 5)));
		if (tmpl_render_row(TMPL_ROW_LEARN_PREREQ, v, out) == -1)
			return -1;
	}
	return 0;
}

static const char *
status_note(const struct course_info *c)
{
	if (strcmp(c->status, "draft") == 0)
		return "This course is a draft: only its author and admins "
		    "can see it.";
	if (strcmp(c->status, "review") == 0)
		return "This course is waiting for review: learners cannot "
		    "see it yet.";
	if (strcmp(c->status, "rejected") == 0)
		return "This course was not approved: learners cannot see "
		    "it.";
	return NULL;
}

int
page_course(struct req *r)
{
	struct view *v = view_new(r->a);
	struct course_info c;
	struct modquiz *q;
	struct buf html;
	const char *rt, *note;
	int64_t resume;
	int n, nq, enrolled;

	if ((n = course_page_load(r, r->pathid[0], &c)) < 0)
		return page_db_status(n);
	if (n == 0)
		return http_error(r, 404, "There is no such course, or it "
		    "is not published.");
	enrolled = page_course_enrolled(&c);
	nq = read_quizzes(r, db_part(r->db, n, 'z'), &q);
	buf_init(&html);
	buf_puts(&html, "");
	if (render_syllabus(r, &c, db_part(r->db, n, 'm'), q, nq, &html,
	    &resume, &rt) == -1)
		goto tmplerr;
	view_set_raw(v, "modules", html.p);
	buf_reset(&html);
	if (render_skills(r, db_part(r->db, n, 's'), &html) == -1)
		goto tmplerr;
	view_set_raw(v, "skills", html.p);
	buf_reset(&html);
	if (render_prereqs(r, db_part(r->db, n, 'p'), &html) == -1)
		goto tmplerr;
	view_set_raw(v, "prereqs", html.p);
	buf_free(&html);

	view_set(v, "title", c.title);
	view_set(v, "summary", c.summary);
	view_set(v, "level", page_level_label(c.level));
	view_set(v, "language", c.language);
	view_set(v, "hours", page_hours_label(r->a, c.hours));
	view_set(v, "instructor", c.instructor);
	view_set(v, "lesson_time", page_minutes_label(r->a, c.minutes));
	view_set_int(v, "nlessons", c.nlessons);
	view_set_int(v, "ndone", c.ndone);
	view_set_int(v, "percent", page_course_percent(&c));
	if ((note = status_note(&c)) != NULL)
		view_set(v, "status_note", note);
	view_set_bool(v, "signed_in", r->user.id != 0);
	view_set(v, "csrf", r->csrf);
	view_set_bool(v, "enrolled", enrolled);
	view_set_bool(v, "completed", strcmp(c.enrol, "completed") == 0);
	view_set_bool(v, "can_enrol", !enrolled && r->user.id != 0 &&
	    strcmp(c.status, "published") == 0);
	view_set(v, "login_url", arena_printf(r->a, "/login?next=/courses/"
	    "%lld", (long long)c.id));
	view_set(v, "enroll_action", arena_printf(r->a,
	    "/courses/%lld/enroll", (long long)c.id));
	view_set(v, "leave_action", arena_printf(r->a,
	    "/courses/%lld/leave", (long long)c.id));
	view_set(v, "tutor_url", arena_printf(r->a, "/courses/%lld/tutor",
	    (long long)c.id));
	if (resume != 0) {
		view_set(v, "resume_url", arena_printf(r->a,
		    "/courses/%lld/lessons/%lld", (long long)c.id,
		    (long long)resume));
		view_set(v, "resume_title", rt);
		view_set_bool(v, "resuming", c.last_lesson == resume);
	}
	if (http_param(r, "enrolled") != NULL && enrolled)
		r->flash = "You are enrolled. A confirmation is on its way "
		    "to your e-mail.";
	else if (http_param(r, "left") != NULL && !enrolled)
		r->flash = "You have left this course. Your progress is kept "
		    "if you enrol again.";
	else if (http_param(r, "completed") != NULL &&
	    strcmp(c.enrol, "completed") == 0)
		r->flash = "Congratulations: you have completed this course!";
	return http_page_nav(r, TMPL_COURSE, v, c.title, TMPL_NAV_CATALOG);
tmplerr:
	buf_free(&html);
	return 500;
}

/* ---- the JSON twin ---------------------------------------------------- */

/* "quizzes":[{id,title}...] of module mod, then the module's end. */
static void
json_module_end(struct req *r, const struct modquiz *q, int nq, int64_t mod)
{
	int i;

	buf_putc(r->body, ']');
	json_arr_begin(r, "quizzes");
	for (i = 0; i < nq; i++) {
		if (q[i].module != mod)
			continue;
		json_obj_begin(r, NULL);
		json_i64(r, "id", q[i].id);
		json_str(r, "title", q[i].title);
		json_obj_end(r);
	}
	json_arr_end(r);
	buf_putc(r->body, '}');
}

static void
json_syllabus(struct req *r, struct db_part rows, const struct modquiz *q,
    int nq)
{
	int i;
	int64_t mod = 0;

	json_raw(r, "modules", "[");
	for (i = rows.first; i < rows.end; i++) {
		if (db_i64(r->db, i, D) != mod) {
			if (mod != 0) {
				json_module_end(r, q, nq, mod);
				buf_putc(r->body, ',');
			}
			mod = db_i64(r->db, i, D);
			buf_putc(r->body, '{');
			json_i64(r, "id", mod);
			json_str(r, "title", db_str(r->db, i, D + 1));
			json_raw(r, "lessons", "[");
		}
		if (db_isnull(r->db, i, D + 2))
			continue;
		if (r->body->p[r->body->len - 1] == '}')
			buf_putc(r->body, ',');
		buf_putc(r->body, '{');
		json_i64(r, "id", db_i64(r->db, i, D + 2));
		json_str(r, "title", db_str(r->db, i, D + 3));
		json_str(r, "kind", db_str(r->db, i, D + 4));
		json_i64(r, "estimated_minutes", db_i64(r->db, i, D + 5));
		json_str(r, "status", *db_str(r->db, i, D + 6) != '\0' ?
		    db_str(r->db, i, D + 6) : "not_started");
		json_i64(r, "time_spent_seconds", db_i64(r->db, i, D + 7));
		buf_putc(r->body, '}');
	}
	if (mod != 0)
		json_module_end(r, q, nq, mod);
	buf_putc(r->body, ']');
}

int
page_api_course(struct req *r)
{
	struct course_info c;
	struct modquiz *q;
	struct db_part rows;
	int n, nq, i;

	if ((n = course_page_load(r, r->pathid[0], &c)) < 0)
		return http_error(r, page_db_status(n), "Try again shortly.");
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
	nq = read_quizzes(r, db_part(r->db, n, 'z'), &q);
	json_syllabus(r, db_part(r->db, n, 'm'), q, nq);
	rows = db_part(r->db, n, 's');
	json_raw(r, "skills", "[");
	for (i = rows.first; i < rows.end; i++) {
		buf_puts(r->body, i > rows.first ? ",{" : "{");
		json_i64(r, "id", db_i64(r->db, i, D));
		json_str(r, "name", db_str(r->db, i, D + 1));
		json_i64(r, "target_level", db_i64(r->db, i, D + 2));
		buf_putc(r->body, '}');
	}
	buf_putc(r->body, ']');
	rows = db_part(r->db, n, 'p');
	json_raw(r, "prerequisites", "[");
	for (i = rows.first; i < rows.end; i++) {
		buf_puts(r->body, i > rows.first ? ",{" : "{");
		json_str(r, "kind", db_str(r->db, i, D));
		json_i64(r, "id", db_i64(r->db, i, D + 1));
		json_str(r, "name", db_str(r->db, i, D + 2));
		if (strcmp(db_str(r->db, i, D), "skill") == 0) {
			json_i64(r, "min_level", db_i64(r->db, i, D + 3));
			if (db_isnull(r->db, i, D + 5))
				json_raw(r, "your_level", "null");
			else
				json_dbl(r, "your_level", db_dbl(r->db, i, D + 5));
		}
		json_bool(r, "met", db_bool(r->db, i, D + 4));
		if (db_i64(r->db, i, D + 6) > 0 && !db_bool(r->db, i, D + 4)) {
			json_i64(r, "take_course_id", db_i64(r->db, i, D + 6));
			json_str(r, "take_course_title", db_str(r->db, i, D + 7));
		}
		buf_putc(r->body, '}');
	}
	buf_putc(r->body, ']');
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
