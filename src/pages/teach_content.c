/*
 * teach_content: a course's modules and lessons: create, edit, reorder
 * (move up / down: plain POST forms, no JavaScript), delete, as pages
 * under /teach and as the JSON API under /api/v1/modules and
 * /api/v1/lessons.
 *
 * Design decision: every structural change runs in a transaction that
 * first locks the course row, so position swaps and "append at the end"
 * inserts of one course are serialised (positions are UNIQUE per parent)
 * while different courses proceed in parallel.  A swap parks one row at
 * a negative position (-id, unique) for the moment the two exchange.
 * A lesson moves only between modules of its own course: the target
 * module is loaded through the ownership check and compared, and the SQL
 * repeats the same-course condition.  Deleting a module or lesson of a
 * course learners can see (published, in review) needs confirm=1, checked
 * under the course lock; the GET of the delete address is the page that
 * says what goes with it and asks.
 */
#include <limits.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/markdown.h"
#include "db/db.h"
#include "http/view.h"
#include "pages/pages.h"
#include "pages/teach.h"

#define SKILLS_MAX	"1000"

const char *const page_kind_choices[] = {
	"text", "video", "exercise", NULL
};

const char *const page_direction_choices[] = { "up", "down", NULL };

static const char *const no_course = "There is no such course among yours.";
static const char *const no_module = "There is no such module among yours.";
static const char *const no_lesson = "There is no such lesson among yours.";
static const char *const unconfirmed = "Learners can see this course: "
    "confirm the delete (tick the box) to remove it and their progress "
    "in it.";

/* Locks course id (ownership checked).  0, 404 or 5xx; begins a
 * transaction that the caller ends. */
static int
lock_course(struct req *r, int64_t id)
{
	const char *p[3];
	int n;

	if ((n = db_begin(r->db)) < 0)
		return page_db_status(n);
	p[0] = db_i64s(r->a, id);
	p[1] = db_i64s(r->a, r->user.id);
	p[2] = teach_admin_arg(r);
	if ((n = db_exec(r->db, STMT_TEACH_COURSE_LOCK, 3, p)) <= 0) {
		db_rollback(r->db);
		return n == 0 ? 404 : page_db_status(n);
	}
	return 0;
}

/* Touches the course and commits.  0 or 5xx (rolled back). */
static int
finish(struct req *r, int64_t course)
{
	const char *p[1];
	int n;

	p[0] = db_i64s(r->a, course);
	if ((n = db_exec(r->db, STMT_TEACH_COURSE_TOUCH, 1, p)) < 0 ||
	    (n = db_commit(r->db)) < 0) {
		db_rollback(r->db);
		return page_db_status(n);
	}
	return 0;
}

/*
 * Swaps row id with its neighbour before (up) or after it in its parent.
 * neighbor/set: the module or lesson statements.  Inside a transaction.
 * Returns 0 (also when there is no neighbour: nothing to do) or a db_err.
 */
static int
swap(struct req *r, enum stmt neighbor, enum stmt set, int64_t id,
    const char *dir)
{
	const char *p[2];
	int64_t other, opos, mypos;
	int n;

	p[0] = db_i64s(r->a, id);
	p[1] = dir;
	if ((n = db_exec(r->db, neighbor, 2, p)) <= 0)
		return n;
	other = db_i64(r->db, 0, 0);
	opos = db_i64(r->db, 0, 1);
	mypos = db_i64(r->db, 0, 2);
	p[1] = db_i64s(r->a, -id);
	if ((n = db_exec(r->db, set, 2, p)) < 0)
		return n;
	p[0] = db_i64s(r->a, other);
	p[1] = db_i64s(r->a, mypos);
	if ((n = db_exec(r->db, set, 2, p)) < 0)
		return n;
	p[0] = db_i64s(r->a, id);
	p[1] = db_i64s(r->a, opos);
	return db_exec(r->db, set, 2, p);
}

/* ---- modules ----------------------------------------------------------- */

/* Adds a module titled title to course.  0 with *id, 404, 5xx. */
static int
module_create(struct req *r, int64_t course, const char *title, int64_t *id)
{
	const char *p[2];
	int n, st;

	if ((st = lock_course(r, course)) != 0)
		return st;
	p[0] = db_i64s(r->a, course);
	p[1] = title;
	if ((n = db_exec(r->db, STMT_TEACH_MODULE_INSERT, 2, p)) != 1) {
		db_rollback(r->db);
		return page_db_status(n < 0 ? n : DB_HARD);
	}
	*id = db_i64(r->db, 0, 0);
	return finish(r, course);
}

int
page_teach_module_new(struct req *r)
{
	struct teach_course c;
	int64_t id;
	int st;

	if ((st = teach_course_load(r, r->pathid[0], &c)) != 0)
		return st == 404 ? http_error(r, 404, no_course) : st;
	if (r->form.nerr > 0)
		return teach_course_page(r, &c, r->form.str[F_TM_TITLE],
		    r->form.err[F_TM_TITLE], 400);
	st = module_create(r, c.id, r->form.str[F_TM_TITLE], &id);
	if (st == 404)
		return http_error(r, 404, no_course);
	if (st != 0)
		return st;
	return http_redirect(r, arena_printf(r->a,
	    "/teach/courses/%lld?changed=1#module-%lld", (long long)c.id,
	    (long long)id));
}

static int
module_page(struct req *r, const struct teach_module *m, const char *title,
    const char *error, int status)
{
	struct view *v = view_new(r->a), *row = view_new(r->a);
	struct buf rows;
	const char *p[1];
	int n, k;

	p[0] = db_i64s(r->a, m->course_id);
	if ((n = db_exec(r->db, STMT_TEACH_LESSON_LIST, 1, p)) < 0)
		return page_db_status(n);
	buf_init(&rows);
	for (k = 0; k < n; k++) {
		if (db_i64(r->db, k, 1) != m->id)
			continue;
		view_clear(row);
		view_set(row, "csrf", r->csrf);
		view_set_int(row, "id", (long)db_i64(r->db, k, 0));
		view_set(row, "title", db_str(r->db, k, 3));
		view_set(row, "kind", db_str(r->db, k, 4));
		view_set_int(row, "minutes", (long)db_i64(r->db, k, 5));
		view_set_bool(row, "can_up", 0);
		view_set_bool(row, "can_down", 0);
		view_set_bool(row, "confirm_delete",
		    teach_delete_needs_confirm(m->course_status));
		if (tmpl_render_row(TMPL_ROW_TEACH_LESSON, row, &rows) == -1) {
			buf_free(&rows);
			return 500;
		}
	}
	view_set(v, "csrf", r->csrf);
	view_set_int(v, "id", (long)m->id);
	view_set_int(v, "course_id", (long)m->course_id);
	view_set(v, "course_title", m->course_title);
	view_set(v, "module_title", m->title);
	view_set(v, "title", title != NULL ? title : m->title);
	view_set(v, "title_error", error);
	view_set_raw(v, "lessons", rows.p ? rows.p : "");
	buf_free(&rows);
	if (status == 200 && http_param(r, "saved") != NULL)
		r->flash = "The module has been renamed.";
	r->status = status;
	return http_page_nav(r, TMPL_TEACH_MODULE, v, m->title,
	    TMPL_NAV_TEACH);
}

/* Renames module m.  0, 404, 5xx. */
static int
module_rename(struct req *r, const struct teach_module *m, const char *title)
{
	const char *p[2];
	int n, st;

	if ((st = lock_course(r, m->course_id)) != 0)
		return st;
	p[0] = db_i64s(r->a, m->id);
	p[1] = title;
	if ((n = db_exec(r->db, STMT_TEACH_MODULE_RENAME, 2, p)) < 0) {
		db_rollback(r->db);
		return page_db_status(n);
	}
	return finish(r, m->course_id);
}

int
page_teach_module(struct req *r)
{
	struct teach_module m;
	int st;

	if ((st = teach_module_load(r, r->pathid[0], &m)) != 0)
		return st == 404 ? http_error(r, 404, no_module) : st;
	if (strcmp(r->method, "GET") == 0)
		return module_page(r, &m, NULL, NULL, 200);
	if (r->form.nerr > 0)
		return module_page(r, &m, r->form.str[F_TM_TITLE],
		    r->form.err[F_TM_TITLE], 400);
	if ((st = module_rename(r, &m, r->form.str[F_TM_TITLE])) != 0)
		return st == 404 ? http_error(r, 404, no_module) : st;
	return http_redirect(r, arena_printf(r->a, "/teach/modules/%lld?saved=1",
	    (long long)m.id));
}

/*
 * Moves a module or lesson (row id of course course) one place up or down
 * by swapping positions with its neighbour, under the course lock.  The
 * statements say which table.  0 or a status.
 */
static int
row_move(struct req *r, int64_t course, int64_t id, enum stmt neighbor,
    enum stmt position_set, const char *dir)
{
	int n, st;

	if ((st = lock_course(r, course)) != 0)
		return st;
	if ((n = swap(r, neighbor, position_set, id, dir)) < 0) {
		db_rollback(r->db);
		return page_db_status(n);
	}
	return finish(r, course);
}

/* Deletes a module or lesson under the course lock: 0, 409 when the
 * course needs the delete confirmed and it is not, or a status. */
static int
row_delete(struct req *r, int64_t course, int64_t id, enum stmt del)
{
	const char *p[1];
	int n, st;

	if ((st = lock_course(r, course)) != 0)
		return st;
	if (r->form.i64[F_TD_CONFIRM] != 1 &&
	    teach_delete_needs_confirm(db_str(r->db, 0, 3))) {
		db_rollback(r->db);
		return 409;
	}
	p[0] = db_i64s(r->a, id);
	if ((n = db_exec(r->db, del, 1, p)) < 0) {
		db_rollback(r->db);
		return page_db_status(n);
	}
	return finish(r, course);
}

static int
module_move(struct req *r, const struct teach_module *m, const char *dir)
{
	return row_move(r, m->course_id, m->id, STMT_TEACH_MODULE_NEIGHBOR,
	    STMT_TEACH_MODULE_POSITION_SET, dir);
}

static int
module_delete(struct req *r, const struct teach_module *m)
{
	return row_delete(r, m->course_id, m->id, STMT_TEACH_MODULE_DELETE);
}

int
page_teach_module_move(struct req *r)
{
	struct teach_module m;
	int st;

	if ((st = teach_module_load(r, r->pathid[0], &m)) != 0)
		return st == 404 ? http_error(r, 404, no_module) : st;
	if (r->form.nerr > 0)
		return http_error(r, 400, http_form_error(&r->form));
	st = module_move(r, &m,
	    page_direction_choices[r->form.i64[F_MV_DIRECTION]]);
	if (st != 0)
		return st == 404 ? http_error(r, 404, no_module) : st;
	return http_redirect(r, arena_printf(r->a,
	    "/teach/courses/%lld?changed=1#module-%lld",
	    (long long)m.course_id, (long long)m.id));
}

/*
 * The confirmation page for deleting module or lesson id (stmt info: its
 * lesson count and how many learners have progress in it) of a course in
 * course_status; err says why a POST was refused.
 */
static int
confirm_page(struct req *r, const char *what, int64_t id, const char *title,
    const char *course_title, const char *course_status, int64_t back,
    enum stmt info, const char *err, int status)
{
	struct teach_delete d;
	const char *p[1];
	int64_t nles, nlearn;
	int n, module = strcmp(what, "module") == 0;

	p[0] = db_i64s(r->a, id);
	if ((n = db_exec(r->db, info, 1, p)) <= 0)
		return n == 0 ? 404 : page_db_status(n);
	nles = db_i64(r->db, 0, 0);
	nlearn = db_i64(r->db, 0, 1);
	d.title = title;
	d.facts = arena_printf(r->a, "A %s of \xe2\x80\x9c%s\xe2\x80\x9d "
	    "(%s).%s Learners with progress in it: %lld.", what, course_title,
	    teach_status_label(course_status), module ? arena_printf(r->a,
	    " Lessons in it: %lld.", (long long)nles) : "",
	    (long long)nlearn);
	d.consequence = module ? "Deleting removes the module, its lessons "
	    "and every learner's progress in them; quizzes attached to it "
	    "stay in your quiz list, detached." : "Deleting removes the "
	    "lesson and every learner's progress in it; quizzes attached to "
	    "it stay in your quiz list, detached.";
	d.confirm_label = arena_printf(r->a, "I understand that learners can "
	    "see this course and lose this %s and their progress in it",
	    what);
	d.button = module ? "Delete module" : "Delete lesson";
	d.action = arena_printf(r->a, "/teach/%ss/%lld/delete", what,
	    (long long)id);
	d.back = arena_printf(r->a, "/teach/courses/%lld#%s-%lld",
	    (long long)back, what, (long long)id);
	d.needs_confirm = teach_delete_needs_confirm(course_status);
	return teach_delete_page(r, &d, err, status);
}

static int
module_confirm(struct req *r, const struct teach_module *m, const char *err,
    int status)
{
	return confirm_page(r, "module", m->id, m->title, m->course_title,
	    m->course_status, m->course_id, STMT_TEACH_MODULE_DELETE_INFO, err,
	    status);
}

int
page_teach_module_delete(struct req *r)
{
	struct teach_module m;
	int st;

	if ((st = teach_module_load(r, r->pathid[0], &m)) != 0)
		return st == 404 ? http_error(r, 404, no_module) : st;
	if (strcmp(r->method, "GET") == 0)
		return module_confirm(r, &m, NULL, 200);
	if ((st = module_delete(r, &m)) == 409)
		return module_confirm(r, &m, unconfirmed, 400);
	if (st != 0)
		return st == 404 ? http_error(r, 404, no_module) : st;
	return http_redirect(r, arena_printf(r->a,
	    "/teach/courses/%lld?changed=1", (long long)m.course_id));
}

/* ---- lessons ----------------------------------------------------------- */

struct lesson_in {
	const char		*title, *kind, *body;
	int64_t			 minutes;
	int64_t			 module_id;	/* 0: stays where it is */
	struct teach_ids	 skills, prereqs;
	int			 has_skills, has_prereqs;
	const char		*e_skills, *e_prereqs, *e_module;
	int			 nerr;
};

/* Reads the lesson fields; cur fills what a partial update leaves out. */
static void
lesson_read(struct req *r, struct lesson_in *in,
    const struct teach_lesson *cur)
{
	const struct http_form *f = &r->form;

	memset(in, 0, sizeof(*in));
	in->title = f->present[F_TL_TITLE] || f->err[F_TL_TITLE] ||
	    cur == NULL ? f->str[F_TL_TITLE] : cur->title;
	if (f->i64[F_TL_KIND] >= 0)
		in->kind = page_kind_choices[f->i64[F_TL_KIND]];
	else
		in->kind = cur != NULL ? cur->kind : "text";
	in->body = f->present[F_TL_BODY] || http_param(r, "body") != NULL ||
	    cur == NULL ? f->str[F_TL_BODY] : cur->body;
	if (f->present[F_TL_MINUTES] && f->err[F_TL_MINUTES] == NULL)
		in->minutes = f->i64[F_TL_MINUTES];
	else
		in->minutes = cur != NULL ? cur->minutes : 10;
	if (f->present[F_TL_MODULE] && f->err[F_TL_MODULE] == NULL)
		in->module_id = f->i64[F_TL_MODULE];
	in->e_skills = teach_ids_read(r, "skill", NULL, "skills", "skill",
	    &in->skills, &in->has_skills);
	in->e_prereqs = teach_ids_read(r, "prereq", NULL, "prereqs",
	    "prerequisite lesson", &in->prereqs, &in->has_prereqs);
	in->nerr = (int)f->nerr + (in->e_skills != NULL) +
	    (in->e_prereqs != NULL);
}

/* Checks the skills exist, the prerequisites are lessons of course and
 * the target module is one of course's.  0 (errors in in) or 5xx. */
static int
lesson_refs_check(struct req *r, struct lesson_in *in, int64_t course,
    int64_t cur_module)
{
	struct teach_module m;
	const char *p[2];
	size_t i;
	int n, k, found, st;

	if (in->skills.n > 0 && in->e_skills == NULL) {
		p[0] = teach_id_array(r, in->skills.id, in->skills.n);
		if ((n = db_exec(r->db, STMT_SKILL_NAMES, 1, p)) < 0)
			return page_db_status(n);
		if ((size_t)n != in->skills.n) {
			in->e_skills = "Choose skills from the list.";
			in->nerr++;
		}
	}
	if (in->prereqs.n > 0 && in->e_prereqs == NULL) {
		p[0] = teach_id_array(r, in->prereqs.id, in->prereqs.n);
		p[1] = db_i64s(r->a, course);
		if ((n = db_exec(r->db, STMT_TEACH_LESSON_IN_COURSE, 2, p)) < 0)
			return page_db_status(n);
		for (i = 0; i < in->prereqs.n && in->e_prereqs == NULL; i++) {
			for (found = 0, k = 0; k < n && !found; k++)
				found = db_i64(r->db, k, 0) ==
				    in->prereqs.id[i];
			if (!found) {
				in->e_prereqs = arena_printf(r->a, "Lesson "
				    "#%lld is not a lesson of this course; "
				    "prerequisite lessons must be.",
				    (long long)in->prereqs.id[i]);
				in->nerr++;
			}
		}
	}
	if (in->module_id != 0 && in->module_id != cur_module) {
		st = teach_module_load(r, in->module_id, &m);
		if (st >= 500)
			return st;
		if (st != 0 || m.course_id != course) {
			in->e_module = "A lesson can only move to a module of "
			    "its own course.";
			in->nerr++;
		}
	}
	return 0;
}

/* Inside the transaction: the cycle check for lesson's prerequisites. */
static int
lesson_cycle_check(struct req *r, struct lesson_in *in, int64_t course,
    int64_t lesson)
{
	int64_t *from, *to, *cycle;
	const char *p[2];
	size_t m = 0, i, ncycle;
	int n, k, rc;

	/* Lesson prerequisites stay inside one course, whose row the caller
	 * holds locked: no site-wide lock needed. */
	p[0] = db_i64s(r->a, course);
	p[1] = db_i64s(r->a, lesson);
	if ((n = db_exec(r->db, STMT_TEACH_LESSON_PREREQ_EDGES, 2, p)) < 0)
		return page_db_status(n);
	from = arena_calloc(r->a, (size_t)n + in->prereqs.n + 1,
	    sizeof(*from));
	to = arena_calloc(r->a, (size_t)n + in->prereqs.n + 1, sizeof(*to));
	for (k = 0; k < n; k++) {
		from[m] = db_i64(r->db, k, 0);
		to[m++] = db_i64(r->db, k, 1);
	}
	for (i = 0; i < in->prereqs.n; i++) {
		from[m] = lesson;
		to[m++] = in->prereqs.id[i];
	}
	rc = teach_cycle_find(r, from, to, m, lesson, &cycle, &ncycle);
	if (rc == 0)
		return 0;
	if (rc < 0) {
		in->e_prereqs = "Too many prerequisites to check.";
		in->nerr++;
		return 409;
	}
	p[0] = teach_id_array(r, cycle, ncycle);
	p[1] = db_i64s(r->a, course);
	if ((n = db_exec(r->db, STMT_TEACH_LESSON_IN_COURSE, 2, p)) < 0)
		return page_db_status(n);
	in->e_prereqs = teach_cycle_text_rows(r, cycle, ncycle, n);
	in->nerr++;
	return 409;
}

static int
lesson_lists_write(struct req *r, const struct lesson_in *in, int64_t id)
{
	const char *p[2];
	size_t i;
	int n;

	p[0] = db_i64s(r->a, id);
	if (in->has_skills) {
		if ((n = db_exec(r->db, STMT_TEACH_LESSON_SKILLS_CLEAR, 1,
		    p)) < 0)
			return n;
		for (i = 0; i < in->skills.n; i++) {
			p[1] = db_i64s(r->a, in->skills.id[i]);
			if ((n = db_exec(r->db, STMT_TEACH_LESSON_SKILL_ADD, 2,
			    p)) < 0)
				return n;
		}
	}
	if (in->has_prereqs) {
		if ((n = db_exec(r->db, STMT_TEACH_LESSON_PREREQS_CLEAR, 1,
		    p)) < 0)
			return n;
		for (i = 0; i < in->prereqs.n; i++) {
			p[1] = db_i64s(r->a, in->prereqs.id[i]);
			if ((n = db_exec(r->db, STMT_TEACH_LESSON_PREREQ_ADD, 2,
			    p)) < 0)
				return n;
		}
	}
	return 0;
}

/*
 * Creates a lesson in module (when *id is 0) or updates lesson *id (whose
 * module is cur_module), in course.  Returns 0 with *id set, 400 (errors
 * in in), 404, 409 (cycle, in->e_prereqs) or 5xx.
 */
static int
lesson_save(struct req *r, struct lesson_in *in, int64_t course,
    int64_t module, int64_t *id)
{
	const char *p[6];
	int n, st;

	if (in->nerr > 0)
		return 400;
	if ((st = lesson_refs_check(r, in, course, module)) != 0)
		return st;
	if (in->nerr > 0)
		return 400;
	if ((st = lock_course(r, course)) != 0)
		return st;
	if (*id != 0 && in->has_prereqs &&
	    (st = lesson_cycle_check(r, in, course, *id)) != 0) {
		db_rollback(r->db);
		return st;
	}
	p[1] = in->title;
	p[2] = in->kind;
	p[3] = in->body;
	p[4] = db_i64s(r->a, in->minutes);
	if (*id == 0) {
		p[0] = db_i64s(r->a, module);
		n = db_exec(r->db, STMT_TEACH_LESSON_INSERT, 5, p);
		if (n == 1)
			*id = db_i64(r->db, 0, 0);
		else if (n == 0)
			n = DB_HARD;
	} else {
		p[0] = db_i64s(r->a, *id);
		n = db_exec(r->db, STMT_TEACH_LESSON_UPDATE, 5, p);
		if (n >= 0 && in->module_id != 0 && in->module_id != module) {
			p[1] = db_i64s(r->a, in->module_id);
			n = db_exec(r->db, STMT_TEACH_LESSON_MOVE_MODULE, 2, p);
			if (n == 0) {
				/* The SQL's own same-course check. */
				db_rollback(r->db);
				in->e_module = "A lesson can only move to a "
				    "module of its own course.";
				in->nerr++;
				return 400;
			}
		}
	}
	if (n >= 0)
		n = lesson_lists_write(r, in, *id);
	if (n < 0) {
		db_rollback(r->db);
		return page_db_status(n);
	}
	return finish(r, course);
}

/* Options for a select of every skill, those in sel selected. */
static int
skill_options(struct req *r, struct buf *out, const struct teach_ids *sel)
{
	size_t i;
	int n, k, on;

	if ((n = db_exec(r->db, STMT_SKILL_LIST, 1,
	    (const char *[]){ SKILLS_MAX })) < 0)
		return page_db_status(n);
	for (k = 0; k < n; k++) {
		int64_t id = db_i64(r->db, k, 0);

		for (on = 0, i = 0; i < sel->n; i++)
			on |= sel->id[i] == id;
		if (teach_option(r, out, id, db_str(r->db, k, 1), on) == -1)
			return 500;
	}
	return 0;
}

/* Checkboxes for the course's other lessons; the modules' options. */
static int
course_choices(struct req *r, struct buf *prereqs, struct buf *modules,
    int64_t course, int64_t self, int64_t cur_module,
    const struct teach_ids *sel)
{
	struct view *row = view_new(r->a);
	const char *p[1];
	size_t i;
	int n, k, on;

	p[0] = db_i64s(r->a, course);
	if ((n = db_exec(r->db, STMT_TEACH_LESSON_LIST, 1, p)) < 0)
		return page_db_status(n);
	for (k = 0; k < n; k++) {
		int64_t id = db_i64(r->db, k, 0);

		if (id == self)
			continue;
		for (on = 0, i = 0; i < sel->n; i++)
			on |= sel->id[i] == id;
		view_clear(row);
		view_set_int(row, "value", (long)id);
		view_set(row, "label", db_str(r->db, k, 3));
		view_set_bool(row, "checked", on);
		if (tmpl_render_row(TMPL_ROW_TEACH_CHECK, row, prereqs) == -1)
			return 500;
	}
	if ((n = db_exec(r->db, STMT_TEACH_MODULE_LIST, 1, p)) < 0)
		return page_db_status(n);
	for (k = 0; k < n; k++)
		if (teach_option(r, modules, db_i64(r->db, k, 0),
		    db_str(r->db, k, 2), db_i64(r->db, k, 0) ==
		    cur_module) == -1)
			return 500;
	return 0;
}

/* Loads a lesson's lists into in (the edit form's starting values). */
static int
lesson_lists_load(struct req *r, int64_t id, struct lesson_in *in)
{
	static const enum stmt q[2] = { STMT_TEACH_LESSON_SKILLS,
	    STMT_TEACH_LESSON_PREREQS };
	struct teach_ids *l[2] = { &in->skills, &in->prereqs };
	const char *p[1];
	int j, k, n;

	p[0] = db_i64s(r->a, id);
	for (j = 0; j < 2; j++) {
		if ((n = db_exec(r->db, q[j], 1, p)) < 0)
			return page_db_status(n);
		l[j]->n = (size_t)n;
		l[j]->id = arena_calloc(r->a, (size_t)n + 1, sizeof(int64_t));
		l[j]->level = arena_calloc(r->a, (size_t)n + 1, sizeof(int));
		for (k = 0; k < n; k++)
			l[j]->id[k] = db_i64(r->db, k, 0);
	}
	return 0;
}

/*
 * The lesson form page: new (l NULL, in module m) or edit.  in: values to
 * show; preview: show the body rendered.
 */
static int
lesson_page(struct req *r, const struct teach_module *m,
    const struct teach_lesson *l, const struct lesson_in *in, int preview,
    const char *form_error, int status)
{
	const struct http_form *f = &r->form;
	struct view *v = view_new(r->a);
	struct buf skills, prereqs, modules, media, cards;
	int64_t course = l != NULL ? l->course_id : m->course_id;
	int st;

	buf_init(&skills);
	buf_init(&prereqs);
	buf_init(&modules);
	buf_init(&media);
	buf_init(&cards);
	if ((st = skill_options(r, &skills, &in->skills)) != 0 ||
	    (st = course_choices(r, &prereqs, &modules, course,
	    l != NULL ? l->id : 0, in->module_id != 0 ? in->module_id :
	    l != NULL ? l->module_id : m->id, &in->prereqs)) != 0)
		goto out;
	view_set(v, "csrf", r->csrf);
	view_set_bool(v, "is_edit", l != NULL);
	view_set_int(v, "id", l != NULL ? (long)l->id : 0);
	view_set_int(v, "module_id", l != NULL ? (long)l->module_id :
	    (long)m->id);
	view_set_int(v, "course_id", (long)course);
	view_set(v, "course_title", l != NULL ? l->course_title :
	    m->course_title);
	view_set(v, "module_title", l != NULL ? l->module_title : m->title);
	view_set(v, "action", l != NULL ? arena_printf(r->a,
	    "/teach/lessons/%lld", (long long)l->id) : arena_printf(r->a,
	    "/teach/modules/%lld/lessons/new", (long long)m->id));
	view_set(v, "heading", l != NULL ? l->title : "New lesson");
	view_set(v, "title", in->title);
	view_set(v, "kind", in->kind);
	view_set(v, "body", in->body);
	if (in->minutes > 0)
		view_set_int(v, "minutes", (long)in->minutes);
	else
		view_set(v, "minutes", f->str[F_TL_MINUTES]);
	view_set_raw(v, "skill_options", skills.p ? skills.p : "");
	view_set_raw(v, "prereq_checks", prereqs.p ? prereqs.p : "");
	view_set_raw(v, "module_options", modules.p ? modules.p : "");
	if (preview)
		view_set_raw(v, "preview", markdown_html(r->a, in->body,
		    strlen(in->body)));
	view_set_bool(v, "has_preview", preview);
	/* lesson media (issue 7, uploads) */
	if (l != NULL && (st = lesson_media_rows(r, l->id, &media)) != 0)
		goto out;
	view_set_raw(v, "media", media.p ? media.p : "");
	/* flashcards (issue 6) */
	if (l != NULL && (st = flashcards_html(r, l->id, &cards)) != 0)
		goto out;
	view_set_raw(v, "flashcards", cards.p ? cards.p : "");
	if (strcmp(r->method, "POST") == 0) {
		view_set(v, "title_error", f->err[F_TL_TITLE]);
		view_set(v, "kind_error", f->err[F_TL_KIND]);
		view_set(v, "body_error", f->err[F_TL_BODY]);
		view_set(v, "minutes_error", f->err[F_TL_MINUTES]);
		view_set(v, "module_error", f->err[F_TL_MODULE] ?
		    f->err[F_TL_MODULE] : in->e_module);
		view_set(v, "skills_error", in->e_skills);
		view_set(v, "prereqs_error", in->e_prereqs);
	}
	view_set(v, "form_error", form_error);
	if (status == 200 && http_param(r, "saved") != NULL)
		r->flash = "The lesson has been saved.";
	r->status = status;
	st = http_page_nav(r, TMPL_TEACH_LESSON, v, l != NULL ? l->title :
	    "New lesson", TMPL_NAV_TEACH);
out:
	buf_free(&skills);
	buf_free(&prereqs);
	buf_free(&modules);
	buf_free(&media);
	buf_free(&cards);
	return st;
}

static const char *
refusal(const struct lesson_in *in, int st)
{
	if (st == 409 && in->e_prereqs != NULL)
		return in->e_prereqs;
	if (in->e_module != NULL)
		return in->e_module;
	return "Please correct the marked fields.";
}

int
page_teach_lesson_new(struct req *r)
{
	struct teach_module m;
	struct lesson_in in;
	int64_t id = 0;
	int st;

	if ((st = teach_module_load(r, r->pathid[0], &m)) != 0)
		return st == 404 ? http_error(r, 404, no_module) : st;
	if (strcmp(r->method, "GET") == 0) {
		memset(&in, 0, sizeof(in));
		in.title = in.body = "";
		in.kind = "text";
		in.minutes = 10;
		return lesson_page(r, &m, NULL, &in, 0, NULL, 200);
	}
	lesson_read(r, &in, NULL);
	if (r->form.i64[F_TL_PREVIEW] == 1)
		return lesson_page(r, &m, NULL, &in, 1, NULL, 200);
	st = lesson_save(r, &in, m.course_id, m.id, &id);
	if (st == 0)
		return http_redirect(r, arena_printf(r->a,
		    "/teach/lessons/%lld?saved=1", (long long)id));
	if (st == 404)
		return http_error(r, 404, no_module);
	if (st >= 500)
		return st;
	return lesson_page(r, &m, NULL, &in, 0, refusal(&in, st), st);
}

int
page_teach_lesson(struct req *r)
{
	struct teach_lesson l;
	struct lesson_in in;
	int64_t id = r->pathid[0];
	int st;

	if ((st = teach_lesson_load(r, id, &l)) != 0)
		return st == 404 ? http_error(r, 404, no_lesson) : st;
	if (strcmp(r->method, "GET") == 0) {
		memset(&in, 0, sizeof(in));
		in.title = l.title;
		in.kind = l.kind;
		in.body = l.body;
		in.minutes = l.minutes;
		if ((st = lesson_lists_load(r, id, &in)) != 0)
			return st;
		return lesson_page(r, NULL, &l, &in, 1, NULL, 200);
	}
	lesson_read(r, &in, NULL);
	if (r->form.i64[F_TL_PREVIEW] == 1)
		return lesson_page(r, NULL, &l, &in, 1, NULL, 200);
	st = lesson_save(r, &in, l.course_id, l.module_id, &id);
	if (st == 0)
		return http_redirect(r, arena_printf(r->a,
		    "/teach/lessons/%lld?saved=1", (long long)id));
	if (st == 404)
		return http_error(r, 404, no_lesson);
	if (st >= 500)
		return st;
	return lesson_page(r, NULL, &l, &in, 0, refusal(&in, st), st);
}

static int
lesson_move(struct req *r, const struct teach_lesson *l, const char *dir)
{
	return row_move(r, l->course_id, l->id, STMT_TEACH_LESSON_NEIGHBOR,
	    STMT_TEACH_LESSON_POSITION_SET, dir);
}

static int
lesson_delete(struct req *r, const struct teach_lesson *l)
{
	return row_delete(r, l->course_id, l->id, STMT_TEACH_LESSON_DELETE);
}

int
page_teach_lesson_move(struct req *r)
{
	struct teach_lesson l;
	int st;

	if ((st = teach_lesson_load(r, r->pathid[0], &l)) != 0)
		return st == 404 ? http_error(r, 404, no_lesson) : st;
	if (r->form.nerr > 0)
		return http_error(r, 400, http_form_error(&r->form));
	st = lesson_move(r, &l,
	    page_direction_choices[r->form.i64[F_MV_DIRECTION]]);
	if (st != 0)
		return st == 404 ? http_error(r, 404, no_lesson) : st;
	return http_redirect(r, arena_printf(r->a,
	    "/teach/courses/%lld?changed=1#lesson-%lld",
	    (long long)l.course_id, (long long)l.id));
}

static int
lesson_confirm(struct req *r, const struct teach_lesson *l, const char *err,
    int status)
{
	return confirm_page(r, "lesson", l->id, l->title, l->course_title,
	    l->course_status, l->course_id, STMT_TEACH_LESSON_DELETE_INFO, err,
	    status);
}

int
page_teach_lesson_delete(struct req *r)
{
	struct teach_lesson l;
	int st;

	if ((st = teach_lesson_load(r, r->pathid[0], &l)) != 0)
		return st == 404 ? http_error(r, 404, no_lesson) : st;
	if (strcmp(r->method, "GET") == 0)
		return lesson_confirm(r, &l, NULL, 200);
	if ((st = lesson_delete(r, &l)) == 409)
		return lesson_confirm(r, &l, unconfirmed, 400);
	if (st != 0)
		return st == 404 ? http_error(r, 404, no_lesson) : st;
	return http_redirect(r, arena_printf(r->a,
	    "/teach/courses/%lld?changed=1#module-%lld",
	    (long long)l.course_id, (long long)l.module_id));
}

/* ---- JSON ------------------------------------------------------------- */

static int
api_fail(struct req *r, int st, const char *what404)
{
	return http_error(r, st, st == 404 ? what404 : st == 409 ?
	    "Learners can see this course: send confirm=true to delete it "
	    "and their progress in it." : "Try again shortly.");
}

static int
module_json(struct req *r, const struct teach_module *m, int status)
{
	json_begin(r);
	json_i64(r, "id", m->id);
	json_i64(r, "course_id", m->course_id);
	json_i64(r, "position", m->position);
	json_str(r, "title", m->title);
	json_end(r);
	return http_json(r, status);
}

/* Reloads module id and answers it as JSON. */
static int
module_reply(struct req *r, int64_t id, int status)
{
	struct teach_module m;
	int st;

	if ((st = teach_module_load(r, id, &m)) != 0)
		return api_fail(r, st, no_module);
	return module_json(r, &m, status);
}

int
page_api_module_create(struct req *r)
{
	struct teach_course c;
	int64_t id;
	int st;

	if ((st = teach_course_load(r, r->pathid[0], &c)) != 0)
		return api_fail(r, st, no_course);
	if (r->form.nerr > 0)
		return http_error(r, 400, http_form_error(&r->form));
	if ((st = module_create(r, c.id, r->form.str[F_TM_TITLE], &id)) != 0)
		return api_fail(r, st, no_course);
	return module_reply(r, id, 201);
}

int
page_api_module_update(struct req *r)
{
	struct teach_module m;
	int st;

	if ((st = teach_module_load(r, r->pathid[0], &m)) != 0)
		return api_fail(r, st, no_module);
	if (r->form.nerr > 0)
		return http_error(r, 400, http_form_error(&r->form));
	if ((st = module_rename(r, &m, r->form.str[F_TM_TITLE])) != 0)
		return api_fail(r, st, no_module);
	return module_reply(r, m.id, 200);
}

int
page_api_module_move(struct req *r)
{
	struct teach_module m;
	int st;

	if ((st = teach_module_load(r, r->pathid[0], &m)) != 0)
		return api_fail(r, st, no_module);
	if (r->form.nerr > 0)
		return http_error(r, 400, http_form_error(&r->form));
	st = module_move(r, &m,
	    page_direction_choices[r->form.i64[F_MV_DIRECTION]]);
	if (st != 0)
		return api_fail(r, st, no_module);
	return module_reply(r, m.id, 200);
}

int
page_api_module_delete(struct req *r)
{
	struct teach_module m;
	int st;

	if ((st = teach_module_load(r, r->pathid[0], &m)) != 0)
		return api_fail(r, st, no_module);
	if ((st = module_delete(r, &m)) != 0)
		return api_fail(r, st, no_module);
	json_begin(r);
	json_i64(r, "id", m.id);
	json_bool(r, "deleted", 1);
	json_end(r);
	return http_json(r, 200);
}

/* Lesson id as JSON, with its skills and prerequisites. */
static int
lesson_reply(struct req *r, int64_t id, int status)
{
	struct teach_lesson l;
	const char *p[1];
	int st, n, k;

	if ((st = teach_lesson_load(r, id, &l)) != 0)
		return api_fail(r, st, no_lesson);
	json_begin(r);
	json_i64(r, "id", l.id);
	json_i64(r, "course_id", l.course_id);
	json_i64(r, "module_id", l.module_id);
	json_i64(r, "position", l.position);
	json_str(r, "title", l.title);
	json_str(r, "kind", l.kind);
	json_str(r, "body_md", l.body);
	json_str(r, "body_html", markdown_html(r->a, l.body, strlen(l.body)));
	json_i64(r, "estimated_minutes", l.minutes);
	p[0] = db_i64s(r->a, id);
	if ((n = db_exec(r->db, STMT_TEACH_LESSON_SKILLS, 1, p)) < 0)
		return api_fail(r, page_db_status(n), no_lesson);
	json_arr_begin(r, "skills");
	for (k = 0; k < n; k++) {
		json_obj_begin(r, NULL);
		json_i64(r, "skill_id", db_i64(r->db, k, 0));
		json_str(r, "name", db_str(r->db, k, 1));
		json_obj_end(r);
	}
	json_arr_end(r);
	if ((n = db_exec(r->db, STMT_TEACH_LESSON_PREREQS, 1, p)) < 0)
		return api_fail(r, page_db_status(n), no_lesson);
	json_arr_begin(r, "prereqs");
	for (k = 0; k < n; k++) {
		json_obj_begin(r, NULL);
		json_i64(r, "lesson_id", db_i64(r->db, k, 0));
		json_str(r, "title", db_str(r->db, k, 1));
		json_obj_end(r);
	}
	json_arr_end(r);
	json_end(r);
	return http_json(r, status);
}

int
page_api_teach_lesson(struct req *r)
{
	return lesson_reply(r, r->pathid[0], 200);
}

static int
lesson_api_error(struct req *r, const struct lesson_in *in, int st,
    const char *what404)
{
	const char *msg;

	if (st == 404 || st >= 500)
		return api_fail(r, st, what404);
	msg = http_form_error(&r->form);
	if (st == 409 && in->e_prereqs != NULL)
		msg = in->e_prereqs;
	if (msg == NULL)
		msg = in->e_module;
	if (msg == NULL)
		msg = in->e_skills;
	if (msg == NULL)
		msg = in->e_prereqs;
	return http_error(r, st, msg != NULL ? msg : "Invalid input.");
}

int
page_api_lesson_create(struct req *r)
{
	struct teach_module m;
	struct lesson_in in;
	int64_t id = 0;
	int st;

	if ((st = teach_module_load(r, r->pathid[0], &m)) != 0)
		return api_fail(r, st, no_module);
	lesson_read(r, &in, NULL);
	in.module_id = 0;
	if ((st = lesson_save(r, &in, m.course_id, m.id, &id)) != 0)
		return lesson_api_error(r, &in, st, no_module);
	return lesson_reply(r, id, 201);
}

int
page_api_lesson_update(struct req *r)
{
	struct teach_lesson l;
	struct lesson_in in;
	int64_t id = r->pathid[0];
	int st;

	if ((st = teach_lesson_load(r, id, &l)) != 0)
		return api_fail(r, st, no_lesson);
	lesson_read(r, &in, &l);
	if ((st = lesson_save(r, &in, l.course_id, l.module_id, &id)) != 0)
		return lesson_api_error(r, &in, st, no_lesson);
	return lesson_reply(r, id, 200);
}

int
page_api_lesson_move(struct req *r)
{
	struct teach_lesson l;
	int st;

	if ((st = teach_lesson_load(r, r->pathid[0], &l)) != 0)
		return api_fail(r, st, no_lesson);
	if (r->form.nerr > 0)
		return http_error(r, 400, http_form_error(&r->form));
	st = lesson_move(r, &l,
	    page_direction_choices[r->form.i64[F_MV_DIRECTION]]);
	if (st != 0)
		return api_fail(r, st, no_lesson);
	return lesson_reply(r, l.id, 200);
}

int
page_api_lesson_delete(struct req *r)
{
	struct teach_lesson l;
	int st;

	if ((st = teach_lesson_load(r, r->pathid[0], &l)) != 0)
		return api_fail(r, st, no_lesson);
	if ((st = lesson_delete(r, &l)) != 0)
		return api_fail(r, st, no_lesson);
	json_begin(r);
	json_i64(r, "id", l.id);
	json_bool(r, "deleted", 1);
	json_end(r);
	return http_json(r, 200);
}
