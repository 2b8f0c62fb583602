/*
 * teach_course: creating, editing, deleting and submitting a course, as
 * HTML pages under /teach/courses and as the JSON API under
 * /api/v1/courses (the learner's GET views of courses are the catalog's).
 *
 * Design decision: one save path (course_save) serves the form and the
 * API.  It checks everything that can be checked without locks first
 * (fields, that named skills exist, that named courses may be named), then
 * in one transaction locks the course, takes the site-wide prerequisite
 * lock, runs the cycle check (learn/graph) on the prerequisite edges
 * reachable from the proposed ones, and writes; a refusal rolls back, so
 * nothing is half saved.  Skill and prerequisite lists are replaced whole
 * when the request carries them and left alone when it does not (the
 * API's partial update).  Editing a published course writes the rows
 * learners read at once; there is no cache to rebuild.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "db/db.h"
#include "http/view.h"
#include "out/storage.h"
#include "pages/pages.h"
#include "pages/teach.h"

#define SKILLS_MAX	"1000"
#define CANDIDATES_MAX	"300"

const char *const page_level_choices[] = {
	"beginner", "intermediate", "advanced", NULL
};

struct course_in {
	const char		*title, *summary, *level, *language, *hours;
	struct teach_ids	 skills, preskills, precourses;
	int			 has_skills, has_preskills, has_precourses;
	const char		*e_language, *e_hours;
	const char		*e_skills, *e_preskills, *e_precourses;
	int			 nerr;
};

/* A BCP 47-like tag: 2-3 letters, then "-" and 1-8 letters or digits. */
static int
language_ok(const char *s)
{
	size_t n = 0, part;

	while (s[n] >= 'a' && s[n] <= 'z')
		n++;
	if (n < 2 || n > 3)
		return 0;
	while (s[n] == '-') {
		n++;
		for (part = 0; (s[n] >= 'a' && s[n] <= 'z') ||
		    (s[n] >= 'A' && s[n] <= 'Z') ||
		    (s[n] >= '0' && s[n] <= '9'); part++)
			n++;
		if (part < 1 || part > 8)
			return 0;
	}
	return s[n] == '\0';
}

/*
 * Reads the course fields and lists into *in.  cur: the course being
 * updated (its values fill fields the request left out: the API's partial
 * update), or NULL.  Returns the number of errors (field errors stay in
 * r->form.err, list errors in in).
 */
static int
course_read(struct req *r, struct course_in *in,
    const struct teach_course *cur)
{
	struct http_form *f = &r->form;

	memset(in, 0, sizeof(*in));
	in->title = f->present[F_TC_TITLE] || f->err[F_TC_TITLE] ||
	    cur == NULL ? f->str[F_TC_TITLE] : cur->title;
	in->summary = f->present[F_TC_SUMMARY] || cur == NULL ||
	    http_param(r, "summary") != NULL ? f->str[F_TC_SUMMARY] :
	    cur->summary;
	if (f->i64[F_TC_LEVEL] >= 0)
		in->level = page_level_choices[f->i64[F_TC_LEVEL]];
	else
		in->level = cur != NULL && !f->present[F_TC_LEVEL] ?
		    cur->level : "beginner";
	if (f->present[F_TC_LANGUAGE] || f->err[F_TC_LANGUAGE])
		in->language = f->str[F_TC_LANGUAGE];
	else
		in->language = cur != NULL ? cur->language : "en";
	if (f->present[F_TC_HOURS] && f->err[F_TC_HOURS] == NULL) {
		in->hours = arena_printf(r->a, "%.1f", f->dbl[F_TC_HOURS]);
		if (f->dbl[F_TC_HOURS] < 0.1)
			in->e_hours = "Estimated hours must be at least 0.1.";
	}
	else if (f->err[F_TC_HOURS] != NULL)
		in->hours = f->str[F_TC_HOURS];
	else
		in->hours = cur != NULL ? cur->hours : "1.0";
	if (f->err[F_TC_LANGUAGE] == NULL && in->language[0] != '\0' &&
	    !language_ok(in->language))
		in->e_language = "Language must be a language code such as "
		    "\"en\", \"fr\" or \"pt-BR\".";
	in->e_skills = teach_ids_read(r, "skill", "skill_level", "skills",
	    "skill", &in->skills, &in->has_skills);
	in->e_preskills = teach_ids_read(r, "preskill", "preskill_level",
	    "prereq_skills", "prerequisite skill", &in->preskills,
	    &in->has_preskills);
	in->e_precourses = teach_ids_read(r, "precourse", NULL,
	    "prereq_courses", "prerequisite course", &in->precourses,
	    &in->has_precourses);
	in->nerr = (int)f->nerr + (in->e_language != NULL) +
	    (in->e_hours != NULL) +
	    (in->e_skills != NULL) + (in->e_preskills != NULL) +
	    (in->e_precourses != NULL);
	return in->nerr;
}

/* Every skill in list is in the (ids) result of STMT_SKILL_NAMES. */
static const char *
skills_exist(struct req *r, const struct teach_ids *list, int nrows)
{
	size_t i;
	int k, found;

	for (i = 0; i < list->n; i++) {
		found = 0;
		for (k = 0; k < nrows && !found; k++)
			found = db_i64(r->db, k, 0) == list->id[i];
		if (!found)
			return arena_printf(r->a, "There is no skill #%lld.",
			    (long long)list->id[i]);
	}
	return NULL;
}

/* Checks that named skills exist and named courses may be named.
 * Returns 0 (errors, if any, in in) or a 5xx status. */
static int
course_refs_check(struct req *r, struct course_in *in, int64_t self)
{
	int64_t *all;
	const char *p[3];
	size_t i, n = 0;
	int rows, k, found;

	all = arena_calloc(r->a, in->skills.n + in->preskills.n + 1,
	    sizeof(*all));
	for (i = 0; i < in->skills.n; i++)
		all[n++] = in->skills.id[i];
	for (i = 0; i < in->preskills.n; i++)
		all[n++] = in->preskills.id[i];
	if (n > 0 && in->e_skills == NULL && in->e_preskills == NULL) {
		p[0] = teach_id_array(r, all, n);
		if ((rows = db_exec(r->db, STMT_SKILL_NAMES, 1, p)) < 0)
			return page_db_status(rows);
		if ((in->e_skills = skills_exist(r, &in->skills, rows)) != NULL)
			in->nerr++;
		if ((in->e_preskills = skills_exist(r, &in->preskills,
		    rows)) != NULL)
			in->nerr++;
	}
	if (in->precourses.n == 0 || in->e_precourses != NULL)
		return 0;
	p[0] = teach_id_array(r, in->precourses.id, in->precourses.n);
	p[1] = db_i64s(r->a, r->user.id);
	p[2] = teach_admin_arg(r);
	if ((rows = db_exec(r->db, STMT_TEACH_PRECOURSE_VISIBLE, 3, p)) < 0)
		return page_db_status(rows);
	for (i = 0; i < in->precourses.n; i++) {
		if (in->precourses.id[i] == self)
			continue;	/* the cycle check names it */
		found = 0;
		for (k = 0; k < rows && !found; k++)
			found = db_i64(r->db, k, 0) == in->precourses.id[i];
		if (!found) {
			in->e_precourses = arena_printf(r->a, "There is no "
			    "course #%lld you can name as a prerequisite.",
			    (long long)in->precourses.id[i]);
			in->nerr++;
			break;
		}
	}
	return 0;
}

/* Inside the transaction: the cycle check for course id's proposed
 * prerequisites.  Returns 0, 409 with in->e_precourses set, or 5xx. */
static int
course_cycle_check(struct req *r, struct course_in *in, int64_t id)
{
	int64_t *from, *to, *cycle;
	const char *p[2];
	size_t m = 0, i, ncycle;
	int n, k, rc;

	if ((n = db_exec(r->db, STMT_TEACH_PREREQ_LOCK, 0, NULL)) < 0)
		return page_db_status(n);
	if (in->precourses.n == 0)
		return 0;
	p[0] = teach_id_array(r, in->precourses.id, in->precourses.n);
	p[1] = db_i64s(r->a, id);
	if ((n = db_exec(r->db, STMT_TEACH_PRECOURSE_REACH, 2, p)) < 0)
		return page_db_status(n);
	from = arena_calloc(r->a, (size_t)n + in->precourses.n, sizeof(*from));
	to = arena_calloc(r->a, (size_t)n + in->precourses.n, sizeof(*to));
	for (k = 0; k < n; k++) {
		from[m] = db_i64(r->db, k, 0);
		to[m++] = db_i64(r->db, k, 1);
	}
	for (i = 0; i < in->precourses.n; i++) {
		from[m] = id;
		to[m++] = in->precourses.id[i];
	}
	rc = teach_cycle_find(r, from, to, m, id, &cycle, &ncycle);
	if (rc == 0)
		return 0;
	if (rc < 0) {
		in->e_precourses = "The prerequisite graph is too large to "
		    "check.";
		in->nerr++;
		return 409;
	}
	p[0] = teach_id_array(r, cycle, ncycle);
	if ((n = db_exec(r->db, STMT_TEACH_COURSE_TITLES, 1, p)) < 0)
		return page_db_status(n);
	in->e_precourses = teach_cycle_text_rows(r, cycle, ncycle, n);
	in->nerr++;
	return 409;
}

/* Replaces the course's lists the request carried.  0 or a db_err. */
static int
course_lists_write(struct req *r, const struct course_in *in, int64_t id)
{
	const char *p[3];
	size_t i;
	int n;

	p[0] = db_i64s(r->a, id);
	if (in->has_skills) {
		if ((n = db_exec(r->db, STMT_TEACH_COURSE_SKILLS_CLEAR, 1,
		    p)) < 0)
			return n;
		for (i = 0; i < in->skills.n; i++) {
			p[1] = db_i64s(r->a, in->skills.id[i]);
			p[2] = db_i64s(r->a, in->skills.level[i]);
			if ((n = db_exec(r->db, STMT_TEACH_COURSE_SKILL_ADD, 3,
			    p)) < 0)
				return n;
		}
	}
	if (in->has_preskills) {
		if ((n = db_exec(r->db, STMT_TEACH_COURSE_PRESKILLS_CLEAR, 1,
		    p)) < 0)
			return n;
		for (i = 0; i < in->preskills.n; i++) {
			p[1] = db_i64s(r->a, in->preskills.id[i]);
			p[2] = db_i64s(r->a, in->preskills.level[i]);
			if ((n = db_exec(r->db, STMT_TEACH_COURSE_PRESKILL_ADD,
			    3, p)) < 0)
				return n;
		}
	}
	if (in->has_precourses) {
		if ((n = db_exec(r->db, STMT_TEACH_COURSE_PRECOURSES_CLEAR, 1,
		    p)) < 0)
			return n;
		for (i = 0; i < in->precourses.n; i++) {
			p[1] = db_i64s(r->a, in->precourses.id[i]);
			if ((n = db_exec(r->db, STMT_TEACH_COURSE_PRECOURSE_ADD,
			    2, p)) < 0)
				return n;
		}
	}
	return 0;
}

/*
 * Creates (*id == 0) or updates course *id from in.  Returns 0 with *id
 * set; 400 when in has errors; 404 when the course is not the user's;
 * 409 for a prerequisite cycle (in->e_precourses); or 5xx.
 */
static int
course_save(struct req *r, struct course_in *in, int64_t *id)
{
	const char *p[6];
	int n, st;

	if (in->nerr > 0)
		return 400;
	if ((st = course_refs_check(r, in, *id)) != 0)
		return st;
	if (in->nerr > 0)
		return 400;
	if ((n = db_begin(r->db)) < 0)
		return page_db_status(n);
	if (*id != 0) {
		p[0] = db_i64s(r->a, *id);
		p[1] = db_i64s(r->a, r->user.id);
		p[2] = teach_admin_arg(r);
		if ((n = db_exec(r->db, STMT_TEACH_COURSE_LOCK, 3, p)) <= 0) {
			db_rollback(r->db);
			return n == 0 ? 404 : page_db_status(n);
		}
		/* A new course cannot close a cycle: nothing requires it. */
		if (in->has_precourses &&
		    (st = course_cycle_check(r, in, *id)) != 0) {
			db_rollback(r->db);
			return st;
		}
		p[1] = in->title;
		p[2] = in->summary;
		p[3] = in->level;
		p[4] = in->language;
		p[5] = in->hours;
		n = db_exec(r->db, STMT_TEACH_COURSE_UPDATE, 6, p);
	} else {
		p[0] = db_i64s(r->a, r->user.id);
		p[1] = in->title;
		p[2] = in->summary;
		p[3] = in->level;
		p[4] = in->language;
		p[5] = in->hours;
		n = db_exec(r->db, STMT_TEACH_COURSE_INSERT, 6, p);
		if (n == 1)
			*id = db_i64(r->db, 0, 0);
	}
	if (n >= 0)
		n = course_lists_write(r, in, *id);
	if (n >= 0)
		n = db_commit(r->db);
	if (n < 0) {
		db_rollback(r->db);
		return page_db_status(n);
	}
	return 0;
}

/* ---- the HTML form ------------------------------------------------------ */

/* Renders rows of (skill select, level) for list, plus two blank rows. */
static int
skill_rows(struct req *r, struct buf *out, const char *prefix,
    const char *skill_label, const char *level_label,
    const struct teach_ids *list, int nskills, const int64_t *sid,
    const char *const *sname)
{
	struct view *row = view_new(r->a);
	struct buf opts;
	size_t i, nrows = list->n + 2;
	int k;

	if (nrows < 3)
		nrows = 3;
	buf_init(&opts);
	for (i = 0; i < nrows; i++) {
		int64_t cur = i < list->n ? list->id[i] : 0;

		buf_reset(&opts);
		for (k = 0; k < nskills; k++)
			if (teach_option(r, &opts, sid[k], sname[k],
			    sid[k] == cur) == -1) {
				buf_free(&opts);
				return -1;
			}
		view_clear(row);
		view_set(row, "prefix", prefix);
		view_set(row, "skill_label", skill_label);
		view_set_int(row, "n", (long)i + 1);
		view_set(row, "level_label", level_label);
		view_set_raw(row, "options", opts.p ? opts.p : "");
		if (i < list->n)
			view_set_int(row, "level", list->level[i]);
		else
			view_set(row, "level", "");
		if (tmpl_render_row(TMPL_ROW_TEACH_SKILL, row, out) == -1) {
			buf_free(&opts);
			return -1;
		}
	}
	buf_free(&opts);
	return 0;
}

/* Loads the course's current lists into in (for the edit form). */
static int
lists_from_db(struct req *r, int64_t id, struct course_in *in)
{
	static const enum stmt q[3] = { STMT_TEACH_COURSE_SKILLS,
	    STMT_TEACH_COURSE_PRESKILLS, STMT_TEACH_COURSE_PRECOURSES };
	struct teach_ids *l[3] = { &in->skills, &in->preskills,
	    &in->precourses };
	const char *p[1];
	int j, k, n;

	p[0] = db_i64s(r->a, id);
	for (j = 0; j < 3; j++) {
		if ((n = db_exec(r->db, q[j], 1, p)) < 0)
			return page_db_status(n);
		l[j]->n = (size_t)n;
		l[j]->id = arena_calloc(r->a, (size_t)n + 1, sizeof(int64_t));
		l[j]->level = arena_calloc(r->a, (size_t)n + 1, sizeof(int));
		for (k = 0; k < n; k++) {
			l[j]->id[k] = db_i64(r->db, k, 0);
			l[j]->level[k] = j < 2 ? (int)db_i64(r->db, k, 2) : 0;
		}
	}
	return 0;
}

/*
 * Renders the course form (create when id is 0) into the view's "form"
 * variable.  in holds the values to show (posted ones after an error, or
 * the course's); posted: r->form is this form's, show its errors.
 * Returns 0 or a status.
 */
static int
course_form(struct req *r, struct view *page, int64_t id,
    const struct course_in *in, int posted)
{
	const struct http_form *f = &r->form;
	struct view *v = view_new(r->a);
	struct buf skills, preskills, precourses, form;
	const char *p[5];
	int64_t *sid;
	const char **sname;
	int nskills, n, k, rc = 0;
	size_t i;
	int sel;

	if ((nskills = db_exec(r->db, STMT_SKILL_LIST, 1,
	    (const char *[]){ SKILLS_MAX })) < 0)
		return page_db_status(nskills);
	sid = arena_calloc(r->a, (size_t)nskills + 1, sizeof(*sid));
	sname = arena_calloc(r->a, (size_t)nskills + 1, sizeof(*sname));
	for (k = 0; k < nskills; k++) {
		sid[k] = db_i64(r->db, k, 0);
		sname[k] = arena_strdup(r->a, db_str(r->db, k, 1));
	}
	buf_init(&skills);
	buf_init(&preskills);
	buf_init(&precourses);
	buf_init(&form);
	if (skill_rows(r, &skills, "skill", "Skill taught", "Target level",
	    &in->skills, nskills, sid, sname) == -1 ||
	    skill_rows(r, &preskills, "preskill", "Prerequisite skill",
	    "Minimum level", &in->preskills, nskills, sid, sname) == -1) {
		rc = 500;
		goto out;
	}
	p[0] = db_i64s(r->a, r->user.id);
	p[1] = teach_admin_arg(r);
	p[2] = db_i64s(r->a, id);
	p[3] = CANDIDATES_MAX;
	p[4] = teach_id_array(r, in->precourses.id, in->precourses.n);
	if ((n = db_exec(r->db, STMT_TEACH_PRECOURSE_CANDIDATES, 5, p)) < 0) {
		rc = page_db_status(n);
		goto out;
	}
	for (k = 0; k < n; k++) {
		int64_t cid = db_i64(r->db, k, 0);

		for (sel = 0, i = 0; i < in->precourses.n; i++)
			sel |= in->precourses.id[i] == cid;
		if (teach_option(r, &precourses, cid, db_str(r->db, k, 1),
		    sel) == -1) {
			rc = 500;
			goto out;
		}
	}
	view_set(v, "csrf", r->csrf);
	view_set(v, "action", id == 0 ? "/teach/courses/new" :
	    arena_printf(r->a, "/teach/courses/%lld", (long long)id));
	view_set(v, "submit_label", id == 0 ? "Create course" :
	    "Save changes");
	view_set(v, "title", in->title);
	view_set(v, "summary", in->summary);
	view_set(v, "level", in->level);
	view_set(v, "language", in->language);
	view_set(v, "hours", in->hours);
	view_set_bool(v, "no_skills", nskills == 0);
	view_set_raw(v, "skill_rows", skills.p ? skills.p : "");
	view_set_raw(v, "preskill_rows", preskills.p ? preskills.p : "");
	view_set_raw(v, "precourse_options", precourses.p ? precourses.p :
	    "");
	view_set_bool(v, "has_candidates", n > 0);
	if (posted) {
		view_set(v, "title_error", f->err[F_TC_TITLE]);
		view_set(v, "summary_error", f->err[F_TC_SUMMARY]);
		view_set(v, "level_error", f->err[F_TC_LEVEL]);
		view_set(v, "language_error", f->err[F_TC_LANGUAGE] ?
		    f->err[F_TC_LANGUAGE] : in->e_language);
		view_set(v, "hours_error", f->err[F_TC_HOURS] ?
		    f->err[F_TC_HOURS] : in->e_hours);
		view_set(v, "skills_error", in->e_skills);
		view_set(v, "preskills_error", in->e_preskills);
		view_set(v, "precourses_error", in->e_precourses);
	}
	if (tmpl_render(TMPL_TEACH_COURSE_FORM, v, &form) == -1) {
		rc = 500;
		goto out;
	}
	view_set_raw(page, "form", form.p);
out:
	buf_free(&skills);
	buf_free(&preskills);
	buf_free(&precourses);
	buf_free(&form);
	return rc;
}

/* The outline: modules with their lessons, each with its buttons (a
 * course learners can see deletes through the confirmation page). */
static int
outline(struct req *r, struct view *page, int64_t course, const char *status)
{
	int confirm = teach_delete_needs_confirm(status);
	struct view *mv = view_new(r->a), *lv = view_new(r->a);
	struct buf mods, lessons;
	const char *p[1];
	int64_t *mid, *lmod;
	const char **mtitle;
	int nm, nl, i, k, first, last, nles, rc = 0;
	struct {
		int64_t id;
		const char *title, *kind;
		int64_t minutes;
	} *ls;

	p[0] = db_i64s(r->a, course);
	if ((nm = db_exec(r->db, STMT_TEACH_MODULE_LIST, 1, p)) < 0)
		return page_db_status(nm);
	mid = arena_calloc(r->a, (size_t)nm + 1, sizeof(*mid));
	mtitle = arena_calloc(r->a, (size_t)nm + 1, sizeof(*mtitle));
	for (i = 0; i < nm; i++) {
		mid[i] = db_i64(r->db, i, 0);
		mtitle[i] = arena_strdup(r->a, db_str(r->db, i, 2));
	}
	if ((nl = db_exec(r->db, STMT_TEACH_LESSON_LIST, 1, p)) < 0)
		return page_db_status(nl);
	ls = arena_calloc(r->a, (size_t)nl + 1, sizeof(*ls));
	lmod = arena_calloc(r->a, (size_t)nl + 1, sizeof(*lmod));
	for (k = 0; k < nl; k++) {
		ls[k].id = db_i64(r->db, k, 0);
		lmod[k] = db_i64(r->db, k, 1);
		ls[k].title = arena_strdup(r->a, db_str(r->db, k, 3));
		ls[k].kind = arena_strdup(r->a, db_str(r->db, k, 4));
		ls[k].minutes = db_i64(r->db, k, 5);
	}
	buf_init(&mods);
	buf_init(&lessons);
	for (i = 0; i < nm; i++) {
		buf_reset(&lessons);
		for (nles = 0, k = 0; k < nl; k++)
			if (lmod[k] == mid[i])
				nles++;
		for (first = 1, k = 0; k < nl; k++) {
			if (lmod[k] != mid[i])
				continue;
			nles--;
			view_clear(lv);
			view_set(lv, "csrf", r->csrf);
			view_set_int(lv, "id", (long)ls[k].id);
			view_set(lv, "title", ls[k].title);
			view_set(lv, "kind", ls[k].kind);
			view_set_int(lv, "minutes", (long)ls[k].minutes);
			view_set_bool(lv, "can_up", !first);
			view_set_bool(lv, "can_down", nles > 0);
			view_set_bool(lv, "confirm_delete", confirm);
			first = 0;
			if (tmpl_render_row(TMPL_ROW_TEACH_LESSON, lv,
			    &lessons) == -1) {
				rc = 500;
				goto out;
			}
		}
		last = i == nm - 1;
		view_clear(mv);
		view_set(mv, "csrf", r->csrf);
		view_set_int(mv, "id", (long)mid[i]);
		view_set_int(mv, "n", i + 1);
		view_set(mv, "title", mtitle[i]);
		view_set_bool(mv, "can_up", i > 0);
		view_set_bool(mv, "can_down", !last);
		view_set_bool(mv, "confirm_delete", confirm);
		view_set_raw(mv, "lessons", lessons.p ? lessons.p : "");
		if (tmpl_render_row(TMPL_ROW_TEACH_MODULE, mv, &mods) == -1) {
			rc = 500;
			goto out;
		}
	}
	view_set_raw(page, "modules", mods.p ? mods.p : "");
	view_set_int(page, "module_count", nm);
	view_set_int(page, "lesson_count", nl);
out:
	buf_free(&mods);
	buf_free(&lessons);
	return rc;
}

/*
 * The course page: status, actions, the form, the outline and the "add a
 * module" form.  in: values for the form (NULL: the course's own);
 * module_error: a message for the add-a-module form.
 */
static int
course_page(struct req *r, const struct teach_course *c, struct course_in *in,
    const char *form_error, const char *module_title,
    const char *module_error, const char *cover_error, int status)
{
	struct view *v = view_new(r->a);
	struct course_in own;
	int st, posted = in != NULL;

	if (in == NULL) {
		memset(&own, 0, sizeof(own));
		own.title = c->title;
		own.summary = c->summary;
		own.level = c->level;
		own.language = c->language;
		own.hours = c->hours;
		if ((st = lists_from_db(r, c->id, &own)) != 0)
			return st;
		in = &own;
	}
	if ((st = course_form(r, v, c->id, in, posted)) != 0 ||
	    (st = outline(r, v, c->id, c->status)) != 0)
		return st;
	view_set(v, "csrf", r->csrf);
	view_set_int(v, "id", (long)c->id);
	view_set(v, "course_title", c->title);
	view_set(v, "status", c->status);
	view_set(v, "status_label", teach_status_label(c->status));
	view_set(v, "note", c->note);
	view_set(v, "author", c->author);
	view_set(v, "published", c->published);
	view_set_bool(v, "can_submit", strcmp(c->status, "draft") == 0 ||
	    strcmp(c->status, "rejected") == 0);
	view_set_bool(v, "is_admin", r->user.role == ROLE_ADMIN);
	view_set(v, "form_error", form_error);
	view_set(v, "module_title", module_title);
	view_set(v, "module_error", module_error);
	view_set(v, "cover_error", cover_error);
	if (c->cover != 0)
		view_set(v, "cover_url", arena_printf(r->a, "/uploads/%lld",
		    (long long)c->cover));
	if (status == 200) {
		if (http_param(r, "created") != NULL)
			r->flash = "The course has been created. Add modules "
			    "and lessons below.";
		else if (http_param(r, "saved") != NULL)
			r->flash = "Your changes have been saved.";
		else if (http_param(r, "submitted") != NULL)
			r->flash = "The course has been submitted for review.";
		else if (http_param(r, "changed") != NULL)
			r->flash = "The outline has been updated.";
		else if (http_param(r, "cover") != NULL)
			r->flash = "The cover image has been updated.";
	}
	r->status = status;
	return http_page_nav(r, TMPL_TEACH_COURSE, v, c->title,
	    TMPL_NAV_TEACH);
}

int
page_teach_course_new(struct req *r)
{
	struct view *v = view_new(r->a);
	struct course_in in;
	int64_t id = 0;
	int st;

	if (strcmp(r->method, "POST") == 0) {
		course_read(r, &in, NULL);
		st = course_save(r, &in, &id);
		if (st == 0)
			return http_redirect(r, arena_printf(r->a,
			    "/teach/courses/%lld?created=1", (long long)id));
		if (st >= 500)
			return st;
		view_set(v, "form_error", in.e_precourses != NULL &&
		    st == 409 ? in.e_precourses :
		    "Please correct the marked fields.");
		r->status = st;
	} else {
		memset(&in, 0, sizeof(in));
		in.title = in.summary = in.hours = "";
		in.level = "beginner";
		in.language = "en";
		in.hours = "1.0";
		r->status = 200;
	}
	if ((st = course_form(r, v, 0, &in, strcmp(r->method, "POST") == 0)) !=
	    0)
		return st;
	return http_page_nav(r, TMPL_TEACH_NEW, v, "New course",
	    TMPL_NAV_TEACH);
}

int
page_teach_course(struct req *r)
{
	struct teach_course c;
	struct course_in in;
	int64_t id = r->pathid[0];
	int st;

	if ((st = teach_course_load(r, id, &c)) != 0)
		return st == 404 ? http_error(r, 404, "There is no such "
		    "course among yours.") : st;
	if (strcmp(r->method, "GET") == 0)
		return course_page(r, &c, NULL, NULL, NULL, NULL, NULL, 200);
	course_read(r, &in, NULL);
	st = course_save(r, &in, &id);
	if (st == 0)
		return http_redirect(r, arena_printf(r->a,
		    "/teach/courses/%lld?saved=1", (long long)id));
	if (st == 404)
		return http_error(r, 404, "There is no such course among "
		    "yours.");
	if (st >= 500)
		return st;
	return course_page(r, &c, &in, st == 409 && in.e_precourses ?
	    in.e_precourses : "Please correct the marked fields.", NULL,
	    NULL, NULL, st);
}

int
teach_course_page(struct req *r, const struct teach_course *c,
    const char *module_title, const char *module_error, int status)
{
	return course_page(r, c, NULL, module_error != NULL ?
	    "Please correct the marked fields." : NULL, module_title,
	    module_error, NULL, status);
}

/* ---- cover image --------------------------------------------------------- */

static const char *const cover_types[] = {
	"image/png", "image/jpeg", "image/gif", "image/webp", NULL
};

/*
 * Sets course id's cover from the uploaded file "cover", or removes it
 * (field remove).  The file is kept (storage_commit) only after the
 * ownership check.  Returns 0; 400/413/415 with *why; 404; or 5xx.  The
 * cover it replaces goes, row in the same transaction and file after the
 * commit, as an upload delete does (media_upload_delete): a file left by
 * a failure in between is only bytes nothing names, never a row without
 * its file.
 */
static int
course_cover(struct req *r, int64_t id, const char **why)
{
	const struct http_file *cf;
	const char *p[3], *key = NULL;
	int64_t upload = 0, old;
	int n, st;

	if (r->form.i64[F_CV_REMOVE] != 1) {
		if ((cf = http_file(r, "cover")) == NULL) {
			*why = "Choose an image file to upload.";
			return 400;
		}
		/* storage_commit() marks the file kept; http_file() hands
		 * it out const for readers. */
		if ((st = storage_commit(r, (struct http_file *)(uintptr_t)cf,
		    cover_types, &upload, why)) != 0) {
			if (st == 415)
				*why = "The cover must be a PNG, JPEG, GIF or "
				    "WebP image.";
			return st;
		}
	}
	if ((n = db_begin(r->db)) < 0)
		return page_db_status(n);
	p[0] = db_i64s(r->a, id);
	p[1] = db_i64s(r->a, r->user.id);
	p[2] = teach_admin_arg(r);
	if ((n = db_exec(r->db, STMT_TEACH_COURSE_LOCK, 3, p)) <= 0) {
		db_rollback(r->db);
		return n == 0 ? 404 : page_db_status(n);
	}
	p[1] = upload != 0 ? db_i64s(r->a, upload) : NULL;
	if ((n = db_exec(r->db, STMT_TEACH_COURSE_COVER_SET, 2, p)) < 0)
		goto fail;
	old = n > 0 && !db_isnull(r->db, 0, 0) ? db_i64(r->db, 0, 0) : 0;
	if (old != 0 && old != upload) {
		p[0] = db_i64s(r->a, old);
		if ((n = db_exec(r->db, STMT_TEACH_COURSE_COVER_RELEASE, 1,
		    p)) < 0)
			goto fail;
		if (n > 0)
			key = arena_strdup(r->a, db_str(r->db, 0, 0));
	}
	if ((n = db_commit(r->db)) < 0)
		goto fail;
	if (key != NULL)
		storage_remove(r->id, key);
	return 0;
fail:
	db_rollback(r->db);
	return page_db_status(n);
}

int
page_teach_course_cover(struct req *r)
{
	struct teach_course c;
	const char *why = NULL;
	int st;

	if ((st = teach_course_load(r, r->pathid[0], &c)) != 0)
		return st == 404 ? http_error(r, 404, "There is no such "
		    "course among yours.") : st;
	st = course_cover(r, c.id, &why);
	if (st == 0)
		return http_redirect(r, arena_printf(r->a,
		    "/teach/courses/%lld?cover=1", (long long)c.id));
	if (st == 404)
		return http_error(r, 404, "There is no such course among "
		    "yours.");
	if (st >= 500)
		return st;
	return course_page(r, &c, NULL, NULL, NULL, NULL, why, st);
}

int
page_api_course_cover(struct req *r)
{
	struct teach_course c;
	const char *why = NULL;
	int st;

	if ((st = teach_course_load(r, r->pathid[0], &c)) != 0)
		return http_error(r, st, st == 404 ? "There is no such "
		    "course among yours." : "Try again shortly.");
	if ((st = course_cover(r, c.id, &why)) != 0)
		return http_error(r, st, st == 404 ? "There is no such "
		    "course among yours." : st >= 500 ? "Try again shortly." :
		    why);
	if ((st = teach_course_load(r, c.id, &c)) != 0)
		return http_error(r, st, "Try again shortly.");
	json_begin(r);
	json_i64(r, "id", c.id);
	if (c.cover != 0)
		json_str(r, "cover_url", arena_printf(r->a, "/uploads/%lld",
		    (long long)c.cover));
	else
		json_str(r, "cover_url", NULL);
	json_end(r);
	return http_json(r, 200);
}

/* ---- submit, delete ------------------------------------------------------ */

/*
 * draft/rejected -> review.  Returns 0, 404, 409 with *why (wrong status,
 * or no lesson yet), or 5xx.
 */
static int
course_submit(struct req *r, int64_t id, const char **why)
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
	if ((n = db_exec(r->db, STMT_TEACH_COURSE_LESSON_COUNT, 1, p)) < 0)
		goto fail;
	if (db_i64(r->db, 0, 0) == 0) {
		db_rollback(r->db);
		*why = "Add at least one lesson before submitting the course "
		    "for review.";
		return 409;
	}
	if ((n = db_exec(r->db, STMT_TEACH_COURSE_SUBMIT, 1, p)) < 0)
		goto fail;
	if (n == 0) {
		db_rollback(r->db);
		*why = "Only a draft or a rejected course can be submitted "
		    "for review.";
		return 409;
	}
	teach_audit(r, "course.submit", id, NULL);
	if ((n = db_commit(r->db)) < 0)
		goto fail;
	return 0;
fail:
	db_rollback(r->db);
	return page_db_status(n);
}

int
page_teach_course_submit(struct req *r)
{
	struct teach_course c;
	const char *why = NULL;
	int st;

	st = course_submit(r, r->pathid[0], &why);
	if (st == 0)
		return http_redirect(r, arena_printf(r->a,
		    "/teach/courses/%lld?submitted=1", (long long)r->pathid[0]));
	if (st == 404)
		return http_error(r, 404, "There is no such course among "
		    "yours.");
	if (st >= 500)
		return st;
	if ((st = teach_course_load(r, r->pathid[0], &c)) != 0)
		return st;
	r->flash = why;
	return course_page(r, &c, NULL, NULL, NULL, NULL, NULL, 409);
}

/* Deletes course id.  Returns 0, 404, 409 (*why: needs confirming), 5xx. */
static int
course_delete(struct req *r, int64_t id, int confirmed, const char **why)
{
	const char *p[3];
	const char *status, *title;
	struct buf d;
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
	title = arena_strdup(r->a, db_str(r->db, 0, 2));
	status = arena_strdup(r->a, db_str(r->db, 0, 3));
	if (!confirmed && teach_delete_needs_confirm(status)) {
		db_rollback(r->db);
		*why = "This course is published or in review: confirm that "
		    "you want to delete it (learners lose it and their "
		    "progress in it).";
		return 409;
	}
	if ((n = db_exec(r->db, STMT_TEACH_COURSE_DELETE, 1, p)) < 0) {
		db_rollback(r->db);
		return page_db_status(n);
	}
	buf_init(&d);
	buf_puts(&d, "{\"title\":\"");
	buf_put_json(&d, title, strlen(title));
	buf_printf(&d, "\",\"status\":\"%s\"}", status);
	teach_audit(r, "course.delete", id, arena_strdup(r->a, d.p));
	buf_free(&d);
	if ((n = db_commit(r->db)) < 0) {
		db_rollback(r->db);
		return page_db_status(n);
	}
	return 0;
}

int
teach_delete_needs_confirm(const char *status)
{
	return strcmp(status, "published") == 0 ||
	    strcmp(status, "review") == 0;
}

int
teach_delete_page(struct req *r, const struct teach_delete *d,
    const char *err, int status)
{
	struct view *v = view_new(r->a);

	view_set(v, "csrf", r->csrf);
	view_set(v, "title", d->title);
	view_set(v, "facts", d->facts);
	view_set(v, "consequence", d->consequence);
	view_set(v, "confirm_label", d->confirm_label);
	view_set(v, "button", d->button);
	view_set(v, "action", d->action);
	view_set(v, "back", d->back);
	view_set_bool(v, "needs_confirm", d->needs_confirm);
	view_set(v, "confirm_error", err);
	r->status = status;
	return http_page_nav(r, TMPL_TEACH_DELETE, v, d->button,
	    TMPL_NAV_TEACH);
}

static int
delete_page(struct req *r, const struct teach_course *c, const char *err,
    int status)
{
	struct teach_delete d;
	const char *p[1];
	int n;

	p[0] = db_i64s(r->a, c->id);
	if ((n = db_exec(r->db, STMT_TEACH_COURSE_ENROLLED, 1, p)) < 0)
		return page_db_status(n);
	d.title = c->title;
	d.facts = arena_printf(r->a, "Status: %s. Learners enrolled: %lld.",
	    teach_status_label(c->status), (long long)db_i64(r->db, 0, 0));
	d.consequence = "Deleting removes the course, its modules and "
	    "lessons, and every learner's progress in it.";
	d.confirm_label = arena_printf(r->a, "I understand that this course "
	    "is %s and learners lose it", teach_status_label(c->status));
	d.button = "Delete course";
	d.action = arena_printf(r->a, "/teach/courses/%lld/delete",
	    (long long)c->id);
	d.back = arena_printf(r->a, "/teach/courses/%lld", (long long)c->id);
	d.needs_confirm = teach_delete_needs_confirm(c->status);
	return teach_delete_page(r, &d, err, status);
}

int
page_teach_course_delete(struct req *r)
{
	struct teach_course c;
	const char *why = NULL;
	int st;

	if ((st = teach_course_load(r, r->pathid[0], &c)) != 0)
		return st == 404 ? http_error(r, 404, "There is no such "
		    "course among yours.") : st;
	if (strcmp(r->method, "GET") == 0)
		return delete_page(r, &c, NULL, 200);
	st = course_delete(r, c.id, r->form.i64[F_TD_CONFIRM] == 1, &why);
	if (st == 0)
		return http_redirect(r, "/teach?deleted=1");
	if (st == 404)
		return http_error(r, 404, "There is no such course among "
		    "yours.");
	if (st >= 500)
		return st;
	return delete_page(r, &c, why, 400);
}

/* ---- JSON ------------------------------------------------------------- */

/* n rows of (id, name[, level or status]) as an array of objects. */
static void
json_list(struct req *r, int n, const char *key, const char *idkey,
    const char *namekey, const char *levelkey)
{
	int k;

	json_arr_begin(r, key);
	for (k = 0; k < n; k++) {
		json_obj_begin(r, NULL);
		json_i64(r, idkey, db_i64(r->db, k, 0));
		json_str(r, namekey, db_str(r->db, k, 1));
		if (levelkey != NULL)
			json_i64(r, levelkey, db_i64(r->db, k, 2));
		else
			json_str(r, "status", db_str(r->db, k, 2));
		json_obj_end(r);
	}
	json_arr_end(r);
}

/* The whole course as the instructor sees it. */
static int
course_json(struct req *r, int64_t id, int status)
{
	struct teach_course c;
	const char *p[1];
	int64_t *mid;
	int st, nm, nl, i, k;
	struct {
		int64_t id, module, minutes;
		const char *title, *kind;
	} *ls;

	if ((st = teach_course_load(r, id, &c)) != 0)
		return http_error(r, st, st == 404 ? "There is no such "
		    "course among yours." : "Try again shortly.");
	json_begin(r);
	json_i64(r, "id", c.id);
	json_str(r, "title", c.title);
	json_str(r, "summary", c.summary);
	json_str(r, "level", c.level);
	json_str(r, "language", c.language);
	json_str(r, "estimated_hours", c.hours);
	json_str(r, "status", c.status);
	json_str(r, "review_note", c.note);
	json_i64(r, "author_id", c.author_id);
	json_str(r, "author", c.author);
	json_str(r, "published_at", c.published[0] ? c.published : NULL);
	json_str(r, "cover_url", c.cover != 0 ? arena_printf(r->a,
	    "/uploads/%lld", (long long)c.cover) : NULL);
	p[0] = db_i64s(r->a, id);
	if ((st = db_exec(r->db, STMT_TEACH_COURSE_SKILLS, 1, p)) < 0)
		goto fail;
	json_list(r, st, "skills", "skill_id", "name", "target_level");
	if ((st = db_exec(r->db, STMT_TEACH_COURSE_PRESKILLS, 1, p)) < 0)
		goto fail;
	json_list(r, st, "prereq_skills", "skill_id", "name", "min_level");
	if ((st = db_exec(r->db, STMT_TEACH_COURSE_PRECOURSES, 1, p)) < 0)
		goto fail;
	json_list(r, st, "prereq_courses", "course_id", "title", NULL);
	if ((nl = db_exec(r->db, STMT_TEACH_LESSON_LIST, 1, p)) < 0) {
		st = nl;
		goto fail;
	}
	ls = arena_calloc(r->a, (size_t)nl + 1, sizeof(*ls));
	for (k = 0; k < nl; k++) {
		ls[k].id = db_i64(r->db, k, 0);
		ls[k].module = db_i64(r->db, k, 1);
		ls[k].title = arena_strdup(r->a, db_str(r->db, k, 3));
		ls[k].kind = arena_strdup(r->a, db_str(r->db, k, 4));
		ls[k].minutes = db_i64(r->db, k, 5);
	}
	if ((nm = db_exec(r->db, STMT_TEACH_MODULE_LIST, 1, p)) < 0) {
		st = nm;
		goto fail;
	}
	mid = arena_calloc(r->a, (size_t)nm + 1, sizeof(*mid));
	json_arr_begin(r, "modules");
	for (i = 0; i < nm; i++) {
		mid[i] = db_i64(r->db, i, 0);
		json_obj_begin(r, NULL);
		json_i64(r, "id", mid[i]);
		json_i64(r, "position", db_i64(r->db, i, 1));
		json_str(r, "title", db_str(r->db, i, 2));
		json_arr_begin(r, "lessons");
		for (k = 0; k < nl; k++) {
			if (ls[k].module != mid[i])
				continue;
			json_obj_begin(r, NULL);
			json_i64(r, "id", ls[k].id);
			json_str(r, "title", ls[k].title);
			json_str(r, "kind", ls[k].kind);
			json_i64(r, "estimated_minutes", ls[k].minutes);
			json_obj_end(r);
		}
		json_arr_end(r);
		json_obj_end(r);
	}
	json_arr_end(r);
	json_end(r);
	return http_json(r, status);
fail:
	return http_error(r, page_db_status(st), "Try again shortly.");
}

int
page_api_teach_course(struct req *r)
{
	return course_json(r, r->pathid[0], 200);
}

/* 400/409 answers for a refused save: every message, first one first. */
static int
save_error(struct req *r, const struct course_in *in, int st)
{
	const char *msg;

	if (st == 404)
		return http_error(r, 404, "There is no such course among "
		    "yours.");
	if (st >= 500)
		return http_error(r, st, "Try again shortly.");
	msg = http_form_error(&r->form);
	if (msg == NULL)
		msg = in->e_language;
	if (msg == NULL)
		msg = in->e_hours;
	if (msg == NULL)
		msg = in->e_precourses;
	if (msg == NULL)
		msg = in->e_skills;
	if (msg == NULL)
		msg = in->e_preskills;
	if (st == 409 && in->e_precourses != NULL)
		msg = in->e_precourses;
	return http_error(r, st, msg != NULL ? msg : "Invalid input.");
}

int
page_api_course_create(struct req *r)
{
	struct course_in in;
	int64_t id = 0;
	int st;

	course_read(r, &in, NULL);
	if ((st = course_save(r, &in, &id)) != 0)
		return save_error(r, &in, st);
	return course_json(r, id, 201);
}

int
page_api_course_update(struct req *r)
{
	struct teach_course c;
	struct course_in in;
	int64_t id = r->pathid[0];
	int st;

	if ((st = teach_course_load(r, id, &c)) != 0)
		return http_error(r, st, st == 404 ? "There is no such "
		    "course among yours." : "Try again shortly.");
	course_read(r, &in, &c);
	if ((st = course_save(r, &in, &id)) != 0)
		return save_error(r, &in, st);
	return course_json(r, id, 200);
}

int
page_api_course_submit(struct req *r)
{
	const char *why = NULL;
	int st;

	st = course_submit(r, r->pathid[0], &why);
	if (st == 404)
		return http_error(r, 404, "There is no such course among "
		    "yours.");
	if (st != 0)
		return http_error(r, st, st >= 500 ? "Try again shortly." :
		    why);
	return course_json(r, r->pathid[0], 200);
}

int
page_api_course_delete(struct req *r)
{
	const char *why = NULL;
	int st;

	st = course_delete(r, r->pathid[0], r->form.i64[F_TD_CONFIRM] == 1,
	    &why);
	if (st == 404)
		return http_error(r, 404, "There is no such course among "
		    "yours.");
	if (st != 0)
		return http_error(r, st, st >= 500 ? "Try again shortly." :
		    why);
	json_begin(r);
	json_i64(r, "id", r->pathid[0]);
	json_bool(r, "deleted", 1);
	json_end(r);
	return http_json(r, 200);
}
