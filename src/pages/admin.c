/*
 * admin: the user list and account creation (any role).  Creating an
 * account is recorded in the audit log.
 */
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/pwpolicy.h"
#include "db/db.h"
#include "db/users.h"
#include "http/view.h"
#include "pages/pages.h"

static int
create_user(struct req *r, int64_t *id)
{
	const struct http_form *f = &r->form;
	const char *p[4];
	int n;

	n = db_user_create(r->db, f->str[F_AU_EMAIL], f->str[F_AU_NAME],
	    f->str[F_AU_PASSWORD], page_role_choices[f->i64[F_AU_ROLE]], id);
	if (n != 0)
		return n;
	p[0] = db_i64s(r->a, r->user.id);
	p[1] = "user.create";
	p[2] = arena_printf(r->a, "user:%lld", (long long)*id);
	p[3] = arena_printf(r->a, "{\"role\":\"%s\"}",
	    page_role_choices[f->i64[F_AU_ROLE]]);
	(void)db_exec(r->db, STMT_AUDIT_INSERT, 4, p);
	return 0;
}

/* adminpanel: ?q= searches name and e-mail; ?page= pages by ?per= rows
 * (1..PAGE_MAX, default PAGE_MAX: the whole list as before).  Fetches one
 * row more than a page; *more says whether it came back. */
#define PAGE_MAX	500
static long
per_page(struct req *r)
{
	const char *s = http_param(r, "per");
	long per = s != NULL ? strtol(s, NULL, 10) : PAGE_MAX;

	return per < 1 || per > PAGE_MAX ? PAGE_MAX : per;
}

static int
list_users(struct req *r, long *page, int *more)
{
	const char *p[3], *q = http_param(r, "q"), *pg = http_param(r, "page");
	long per = per_page(r);
	int n;

	*page = pg != NULL ? strtol(pg, NULL, 10) : 1;
	if (*page < 1 || *page > 100000)
		*page = 1;
	p[0] = q != NULL ? q : "";
	p[1] = db_i64s(r->a, per + 1);
	p[2] = db_i64s(r->a, (*page - 1) * per);
	n = db_exec(r->db, STMT_ADMIN_USER_SEARCH, 3, p);
	*more = n > per;
	return n > per ? (int)per : n;
}

/* The list URL for another page of the same search (q percent-encoded). */
static const char *
page_url(struct req *r, long page)
{
	static const char hex[] = "0123456789ABCDEF";
	const char *q = http_param(r, "q");
	const unsigned char *s;
	struct buf b;
	const char *out;

	buf_init(&b);
	buf_printf(&b, "/admin/users?page=%ld&per=%ld&q=", page, per_page(r));
	for (s = (const unsigned char *)(q != NULL ? q : ""); *s; s++)
		if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || strchr("-._~", *s))
			buf_printf(&b, "%c", *s);
		else
			buf_printf(&b, "%%%c%c", hex[*s >> 4], hex[*s & 15]);
	out = arena_strdup(r->a, b.p);
	buf_free(&b);
	return out;
}
/* end adminpanel */

static int
users_page(struct req *r, const char *form_error, int status)
{
	struct view *v = view_new(r->a), *row = view_new(r->a);
	const struct http_form *f = &r->form;
	struct buf rows;
	long page;
	int n, i, more;

	if ((n = list_users(r, &page, &more)) < 0)
		return page_db_status(n);
	buf_init(&rows);
	for (i = 0; i < n; i++) {
		view_clear(row);
		view_set_int(row, "id", (long)db_i64(r->db, i, 0));
		view_set(row, "name", db_str(r->db, i, 1));
		view_set(row, "email", db_str(r->db, i, 2));
		view_set(row, "role", db_str(r->db, i, 3));
		view_set_bool(row, "active", db_bool(r->db, i, 4));
		view_set(row, "created", db_str(r->db, i, 5));
		if (tmpl_render_row(TMPL_ROW_USER, row, &rows) == -1) {
			buf_free(&rows);
			return 500;
		}
	}
	view_set(v, "csrf", r->csrf);
	view_set_int(v, "user_count", n);
	view_set_int(v, "page", page);	/* adminpanel */
	if (http_param(r, "q") != NULL)
		view_set(v, "q", http_param(r, "q"));
	if (page > 1)
		view_set(v, "prev_url", page_url(r, page - 1));
	if (more)
		view_set(v, "next_url", page_url(r, page + 1));
	view_set_raw(v, "users", rows.p ? rows.p : "");
	buf_free(&rows);
	if (strcmp(r->method, "POST") == 0) {
		view_set(v, "name", f->str[F_AU_NAME]);
		view_set(v, "email", f->str[F_AU_EMAIL]);
		if (f->i64[F_AU_ROLE] >= 0)
			view_set(v, "role",
			    page_role_choices[f->i64[F_AU_ROLE]]);
		if (f->err[F_AU_NAME])
			view_set(v, "name_error", f->err[F_AU_NAME]);
		if (f->err[F_AU_EMAIL])
			view_set(v, "email_error", f->err[F_AU_EMAIL]);
		if (f->err[F_AU_PASSWORD])
			view_set(v, "password_error", f->err[F_AU_PASSWORD]);
		if (f->err[F_AU_ROLE])
			view_set(v, "role_error", f->err[F_AU_ROLE]);
	}
	if (form_error != NULL)
		view_set(v, "form_error", form_error);
	if (http_param(r, "created") != NULL && status == 200)
		r->flash = "The account has been created.";
	r->status = status;
	return http_page_nav(r, TMPL_ADMIN_USERS, v, "Users", TMPL_NAV_ADMIN);
}

/* The admin's starting point: every admin area with what waits there. */
int
page_admin_home(struct req *r)
{
	static const char *const vars[] = { "user_count", "review_count",
	    "queued_jobs", "dead_jobs", "mail_pending", "mail_dead" };
	struct view *v = view_new(r->a);
	size_t i;
	int n;

	if ((n = db_exec(r->db, STMT_ADMIN_OVERVIEW, 0, NULL)) != 1)
		return page_db_status(n);
	for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
		view_set_int(v, vars[i], (long)db_i64(r->db, 0, (int)i));
	if ((n = db_exec(r->db, STMT_ADMIN_PANEL_COUNTS, 0, NULL)) != 1)
		return page_db_status(n);	/* adminpanel */
	view_set_int(v, "audit_day", (long)db_i64(r->db, 0, 0));
	view_set_int(v, "stale_workers", (long)db_i64(r->db, 0, 1));
	if ((n = db_exec(r->db, STMT_FRAUD_FLAG_COUNTS, 0, NULL)) != 1)
		return page_db_status(n);	/* fraud (issue 9) */
	view_set_int(v, "fraud_open", (long)db_i64(r->db, 0, 0));
	/* models, certificates, content (issue 9, adminx) */
	if ((n = db_exec(r->db, STMT_ADMIN_MODEL_COUNTS, 0, NULL)) != 1)
		return page_db_status(n);
	view_set_int(v, "model_items", (long)db_i64(r->db, 0, 0));
	view_set_int(v, "model_skills", (long)db_i64(r->db, 0, 1));
	if ((n = db_exec(r->db, STMT_ADMIN_CERTIFICATE_COUNTS, 0, NULL)) != 1)
		return page_db_status(n);
	view_set_int(v, "certs_valid", (long)db_i64(r->db, 0, 0));
	view_set_int(v, "certs_revoked", (long)db_i64(r->db, 0, 1));
	if ((n = db_exec(r->db, STMT_ADMIN_CONTENT_COUNTS, 0, NULL)) != 1)
		return page_db_status(n);
	view_set_int(v, "content_pending", (long)db_i64(r->db, 0, 0));
	view_set_int(v, "content_failing", (long)db_i64(r->db, 0, 2));
	return http_page_nav(r, TMPL_ADMIN_HOME, v, "Administration",
	    TMPL_NAV_ADMIN);
}

int
page_admin_users(struct req *r)
{
	int64_t id;
	int n;

	if (strcmp(r->method, "GET") == 0)
		return users_page(r, NULL, 200);
	if (r->form.nerr == 0)	/* password policy (issue 9, harden) */
		r->form.err[F_AU_PASSWORD] = pwpolicy_check(
		    r->form.str[F_AU_PASSWORD], r->form.str[F_AU_EMAIL],
		    r->form.str[F_AU_NAME]);
	if (r->form.nerr > 0 || r->form.err[F_AU_PASSWORD] != NULL)
		return users_page(r, "Please correct the marked fields.", 400);
	n = create_user(r, &id);
	if (n == DB_CONFLICT) {
		r->form.err[F_AU_EMAIL] = "An account with this e-mail "
		    "already exists.";
		return users_page(r, "Please correct the marked fields.", 409);
	}
	if (n != 0)
		return page_db_status(n);
	return http_redirect(r, arena_printf(r->a, "/admin/users?created=%lld",
	    (long long)id));
}

int
page_api_admin_users(struct req *r)
{
	int64_t id;
	long page;
	int n, i, more;

	if (strcmp(r->method, "POST") == 0) {
		const char *weak;

		if (r->form.nerr > 0)
			return http_error(r, 400, http_form_error(&r->form));
		if ((weak = pwpolicy_check(r->form.str[F_AU_PASSWORD],
		    r->form.str[F_AU_EMAIL], r->form.str[F_AU_NAME])) != NULL)
			return http_error(r, 400, weak);
		n = create_user(r, &id);
		if (n == DB_CONFLICT)
			return http_error(r, 409, "An account with this "
			    "e-mail already exists.");
		if (n != 0)
			return http_error(r, page_db_status(n),
			    "Try again shortly.");
		json_begin(r);
		json_i64(r, "id", id);
		json_str(r, "email", r->form.str[F_AU_EMAIL]);
		json_str(r, "role", page_role_choices[r->form.i64[F_AU_ROLE]]);
		json_end(r);
		return http_json(r, 201);
	}
	if ((n = list_users(r, &page, &more)) < 0)
		return http_error(r, page_db_status(n), "Try again shortly.");
	json_begin(r);
	json_i64(r, "page", page);
	json_bool(r, "more", more);
	json_arr_begin(r, "users");
	for (i = 0; i < n; i++) {
		json_obj_begin(r, NULL);
		json_i64(r, "id", db_i64(r->db, i, 0));
		json_str(r, "full_name", db_str(r->db, i, 1));
		json_str(r, "email", db_str(r->db, i, 2));
		json_str(r, "role", db_str(r->db, i, 3));
		json_bool(r, "is_active", db_bool(r->db, i, 4));
		json_str(r, "created", db_str(r->db, i, 5));
		json_obj_end(r);
	}
	json_arr_end(r);
	json_end(r);
	return http_json(r, 200);
}
