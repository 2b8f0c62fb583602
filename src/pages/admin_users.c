/*
 * admin_users: one account seen and changed by an admin (issue 9, admin
 * panel): role, deactivate/reactivate, MFA reset.  The design decision:
 * each change runs in one transaction with its audit row, whose detail
 * holds the before and after values, so the log never claims a change
 * that did not happen (or misses one that did).  An admin cannot
 * deactivate or demote themselves: the panel would lock its only user out.
 */
#include <string.h>

#include "base/arena.h"
#include "db/db.h"
#include "http/view.h"
#include "pages/pages.h"

const char *const page_admin_user_actions[] = { "role", "deactivate",
    "reactivate", "mfa_reset", NULL };
enum { ACT_ROLE, ACT_DEACTIVATE, ACT_REACTIVATE, ACT_MFA_RESET };

struct target {
	const char	*name, *email, *role, *created;
	int		 active, totp;
};

/* Loads user id into *t; returns 0, DB_* or 404. */
static int
load(struct req *r, int64_t id, struct target *t)
{
	const char *p[1];
	int n;

	p[0] = db_i64s(r->a, id);
	if ((n = db_exec(r->db, STMT_ADMIN_USER_GET, 1, p)) < 0)
		return n;
	if (n == 0)
		return 404;
	t->name = arena_strdup(r->a, db_str(r->db, 0, 1));
	t->email = arena_strdup(r->a, db_str(r->db, 0, 2));
	t->role = arena_strdup(r->a, db_str(r->db, 0, 3));
	t->active = db_bool(r->db, 0, 4);
	t->created = arena_strdup(r->a, db_str(r->db, 0, 5));
	t->totp = db_bool(r->db, 0, 6);
	return 0;
}

/*
 * Applies the validated action in r->form to user id.  Returns 0 on
 * success, 400 with *msg for a refused change, 404 for no such user, or a
 * DB_* code.
 */
static int
change(struct req *r, int64_t id, const char **msg)
{
	const struct http_form *f = &r->form;
	struct target t;
	const char *p[4], *action, *detail;
	int n, act = (int)f->i64[F_AUX_ACTION];
	const char *newrole = NULL;

	if ((n = load(r, id, &t)) != 0)
		return n;
	if (act == ACT_ROLE) {
		if (f->i64[F_AUX_ROLE] < 0) {
			*msg = "Choose the new role.";
			return 400;
		}
		newrole = page_role_choices[f->i64[F_AUX_ROLE]];
		if (id == r->user.id && strcmp(newrole, "admin") != 0) {
			*msg = "You cannot remove your own admin role; ask "
			    "another admin.";
			return 400;
		}
	}
	if (act == ACT_DEACTIVATE && id == r->user.id) {
		*msg = "You cannot deactivate your own account; ask another "
		    "admin.";
		return 400;
	}
	p[0] = db_i64s(r->a, id);
	if (db_begin(r->db) == -1)
		return DB_HARD;
	switch (act) {
	case ACT_ROLE:
		p[1] = newrole;
		n = db_exec(r->db, STMT_ADMIN_USER_ROLE_SET, 2, p);
		action = "user.role";
		detail = arena_printf(r->a, "{\"before\":{\"role\":\"%s\"},"
		    "\"after\":{\"role\":\"%s\"}}", t.role, newrole);
		break;
	case ACT_DEACTIVATE:
	case ACT_REACTIVATE:
		p[1] = act == ACT_DEACTIVATE ? "false" : "true";
		n = db_exec(r->db, STMT_ADMIN_USER_ACTIVE_SET, 2, p);
		if (n == 1 && act == ACT_DEACTIVATE &&
		    db_exec(r->db, STMT_REFRESH_REVOKE_USER, 1, p) < 0)
			n = DB_HARD;
		action = act == ACT_DEACTIVATE ? "user.deactivate" :
		    "user.reactivate";
		detail = arena_printf(r->a, "{\"before\":{\"is_active\":%s},"
		    "\"after\":{\"is_active\":%s}}", t.active ? "true" :
		    "false", act == ACT_REACTIVATE ? "true" : "false");
		break;
	default:	/* the CLI's `adept mfa reset`, by an admin */
		n = db_exec(r->db, STMT_SECURITY_TOTP_DISABLE, 1, p);
		if (n == 1 && (db_exec(r->db, STMT_SECURITY_RECOVERY_CLEAR,
		    1, p) < 0 ||
		    db_exec(r->db, STMT_REFRESH_REVOKE_USER, 1, p) < 0))
			n = DB_HARD;
		action = "user.mfa_reset";
		detail = arena_printf(r->a, "{\"before\":{\"totp\":%s},"
		    "\"after\":{\"totp\":false}}", t.totp ? "true" : "false");
		break;
	}
	if (n != 1) {
		db_rollback(r->db);
		return n < 0 ? n : 404;
	}
	p[0] = db_i64s(r->a, r->user.id);
	p[1] = action;
	p[2] = arena_printf(r->a, "user:%lld", (long long)id);
	p[3] = detail;
	if (db_exec(r->db, STMT_AUDIT_INSERT, 4, p) != 1 ||
	    db_commit(r->db) != 0) {
		db_rollback(r->db);
		return DB_HARD;
	}
	return 0;
}

static int
user_page(struct req *r, const char *error, int status)
{
	struct view *v = view_new(r->a);
	struct target t;
	int n;

	if ((n = load(r, r->pathid[0], &t)) != 0)
		return n == 404 ? 404 : page_db_status(n);
	view_set(v, "csrf", r->csrf);
	view_set_int(v, "id", (long)r->pathid[0]);
	view_set(v, "name", t.name);
	view_set(v, "email", t.email);
	view_set(v, "role", t.role);
	view_set(v, "created", t.created);
	view_set_bool(v, "active", t.active);
	view_set_bool(v, "totp", t.totp);
	view_set_bool(v, "self", r->pathid[0] == r->user.id);
	if (error != NULL)
		view_set(v, "error", error);
	if (http_param(r, "done") != NULL && status == 200)
		r->flash = "The change has been saved and recorded in the "
		    "audit log.";
	r->status = status;
	return http_page_nav(r, TMPL_ADMIN_USER, v, t.name, TMPL_NAV_ADMIN);
}

int
page_admin_user(struct req *r)
{
	const char *msg = NULL;
	int n;

	if (strcmp(r->method, "GET") == 0)
		return user_page(r, NULL, 200);
	if (r->form.nerr > 0)
		return user_page(r, http_form_error(&r->form), 400);
	n = change(r, r->pathid[0], &msg);
	if (n == 400)
		return user_page(r, msg, 400);
	if (n == 404)
		return 404;
	if (n != 0)
		return page_db_status(n);
	return http_redirect(r, arena_printf(r->a, "/admin/users/%lld?done=1",
	    (long long)r->pathid[0]));
}

int
page_api_admin_user(struct req *r)
{
	struct target t;
	const char *msg = NULL;
	int n;

	if (strcmp(r->method, "POST") == 0) {
		if (r->form.nerr > 0)
			return http_error(r, 400, http_form_error(&r->form));
		n = change(r, r->pathid[0], &msg);
		if (n == 400)
			return http_error(r, 400, msg);
		if (n == 404)
			return http_error(r, 404, "No such user.");
		if (n != 0)
			return http_error(r, page_db_status(n),
			    "Try again shortly.");
	}
	if ((n = load(r, r->pathid[0], &t)) == 404)
		return http_error(r, 404, "No such user.");
	if (n != 0)
		return http_error(r, page_db_status(n), "Try again shortly.");
	json_begin(r);
	json_i64(r, "id", r->pathid[0]);
	json_str(r, "full_name", t.name);
	json_str(r, "email", t.email);
	json_str(r, "role", t.role);
	json_bool(r, "is_active", t.active);
	json_bool(r, "totp_enabled", t.totp);
	json_str(r, "created", t.created);
	json_end(r);
	return http_json(r, 200);
}
