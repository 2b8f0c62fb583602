/*
 * skills: the global list of skills (/skills and GET /api/v1/skills) and
 * creating one (instructors and admins).  A skill is shared by every
 * course; its name is unique regardless of case, which the database's
 * unique index on lower(name) enforces, so two instructors adding "SQL"
 * and "sql" at once cannot both succeed: the loser gets a form error.
 */
#include <string.h>

#include "base/arena.h"
#include "db/db.h"
#include "http/view.h"
#include "pages/pages.h"

#define LIST_MAX	"1000"

static const char *const duplicate = "A skill with this name already "
    "exists (names are compared without regard to case).";

static int
list(struct req *r)
{
	const char *p[1] = { LIST_MAX };

	return db_exec(r->db, STMT_SKILL_LIST, 1, p);
}

/* Creates the skill in the form.  0 with *id, DB_CONFLICT, or db_err. */
static int
create(struct req *r, int64_t *id)
{
	const char *p[3];
	int n;

	p[0] = r->form.str[F_SK_NAME];
	p[1] = r->form.str[F_SK_DESCRIPTION];
	p[2] = db_i64s(r->a, r->user.id);
	if ((n = db_exec(r->db, STMT_SKILL_INSERT, 3, p)) < 0)
		return n;
	*id = db_i64(r->db, 0, 0);
	return 0;
}

static int
skills_page(struct req *r, const char *name_error, int status)
{
	const struct http_form *f = &r->form;
	struct view *v = view_new(r->a), *row = view_new(r->a);
	struct buf rows;
	int n, i;

	if ((n = list(r)) < 0)
		return page_db_status(n);
	buf_init(&rows);
	for (i = 0; i < n; i++) {
		view_clear(row);
		view_set_int(row, "id", (long)db_i64(r->db, i, 0));
		view_set(row, "name", db_str(r->db, i, 1));
		view_set(row, "description", db_str(r->db, i, 2));
		view_set(row, "creator", db_str(r->db, i, 3));
		view_set_int(row, "courses", (long)db_i64(r->db, i, 4));
		if (tmpl_render_row(TMPL_SKILLS_ROW, row, &rows) == -1) {
			buf_free(&rows);
			return 500;
		}
	}
	view_set(v, "csrf", r->csrf);
	view_set_int(v, "count", n);
	view_set_raw(v, "rows", rows.p ? rows.p : "");
	buf_free(&rows);
	if (strcmp(r->method, "POST") == 0 && status != 200) {
		view_set(v, "name", f->str[F_SK_NAME]);
		view_set(v, "description", f->str[F_SK_DESCRIPTION]);
		view_set(v, "name_error", name_error != NULL ? name_error :
		    f->err[F_SK_NAME]);
		view_set(v, "description_error", f->err[F_SK_DESCRIPTION]);
		view_set(v, "form_error", "Please correct the marked fields.");
	}
	if (status == 200 && http_param(r, "created") != NULL)
		r->flash = "The skill has been added.";
	r->status = status;
	return http_page_nav(r, TMPL_SKILLS, v, "Skills", TMPL_NAV_TEACH);
}

int
page_skills(struct req *r)
{
	int64_t id;
	int n;

	if (strcmp(r->method, "GET") == 0)
		return skills_page(r, NULL, 200);
	if (r->form.nerr > 0)
		return skills_page(r, NULL, 400);
	n = create(r, &id);
	if (n == DB_CONFLICT)
		return skills_page(r, duplicate, 409);
	if (n != 0)
		return page_db_status(n);
	return http_redirect(r, arena_printf(r->a, "/skills?created=%lld",
	    (long long)id));
}

int
page_api_skills(struct req *r)
{
	int64_t id;
	int n, i;

	if (strcmp(r->method, "POST") == 0) {
		if (r->form.nerr > 0)
			return http_error(r, 400, http_form_error(&r->form));
		n = create(r, &id);
		if (n == DB_CONFLICT)
			return http_error(r, 409, duplicate);
		if (n != 0)
			return http_error(r, page_db_status(n),
			    "Try again shortly.");
		json_begin(r);
		json_i64(r, "id", id);
		json_str(r, "name", r->form.str[F_SK_NAME]);
		json_str(r, "description", r->form.str[F_SK_DESCRIPTION]);
		json_end(r);
		return http_json(r, 201);
	}
	if ((n = list(r)) < 0)
		return http_error(r, page_db_status(n), "Try again shortly.");
	json_begin(r);
	json_arr_begin(r, "skills");
	for (i = 0; i < n; i++) {
		json_obj_begin(r, NULL);
		json_i64(r, "id", db_i64(r->db, i, 0));
		json_str(r, "name", db_str(r->db, i, 1));
		json_str(r, "description", db_str(r->db, i, 2));
		json_str(r, "created_by", db_str(r->db, i, 3));
		json_i64(r, "courses", db_i64(r->db, i, 4));
		json_obj_end(r);
	}
	json_arr_end(r);
	json_end(r);
	return http_json(r, 200);
}
