/*
 * dashboard: the signed-in user's home: who they are and their courses
 * with progress.  The empty state says what to do next.
 */
#include <string.h>

#include "base/arena.h"
#include "db/db.h"
#include "http/view.h"
#include "pages/pages.h"

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

int
page_dashboard(struct req *r)
{
	struct view *v = view_new(r->a), *row = view_new(r->a);
	struct buf rows;
	int n, i;

	if ((n = load_courses(r)) < 0)
		return page_db_status(n);
	buf_init(&rows);
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
		if (tmpl_render_row(TMPL_ROW_COURSE, row, &rows) == -1) {
			buf_free(&rows);
			return 500;
		}
	}
	view_set(v, "name", r->user.name);
	view_set(v, "role", role_label(r->user.role));
	view_set_raw(v, "courses", rows.p ? rows.p : "");
	buf_free(&rows);
	if (http_param(r, "welcome") != NULL)
		r->flash = "Welcome to Adept! Your account is ready.";
	return http_page_nav(r, TMPL_DASHBOARD, v, "Dashboard",
	    TMPL_NAV_DASHBOARD);
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
