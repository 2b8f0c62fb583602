/*
 * account: the user's own details and password change.  A new password
 * ends every other session (all refresh-token families are revoked) and
 * starts a fresh one for this browser.
 */
#include <string.h>

#include "base/arena.h"
#include "base/password.h"
#include "base/pwpolicy.h"
#include "db/db.h"
#include "http/auth.h"
#include "http/view.h"
#include "pages/pages.h"

static int
account_form(struct req *r, const char *form_error, int status)
{
	struct view *v = view_new(r->a);
	const struct http_form *f = &r->form;

	view_set(v, "csrf", r->csrf);
	view_set(v, "name", r->user.name);
	view_set(v, "email", r->user.email);
	if (f->err != NULL) {
		if (f->err[F_PW_CURRENT])
			view_set(v, "current_error", f->err[F_PW_CURRENT]);
		if (f->err[F_PW_NEW])
			view_set(v, "new_error", f->err[F_PW_NEW]);
		if (f->err[F_PW_CONFIRM])
			view_set(v, "confirm_error", f->err[F_PW_CONFIRM]);
	}
	if (form_error != NULL)
		view_set(v, "form_error", form_error);
	r->status = status;
	return http_page_nav(r, TMPL_ACCOUNT, v, "Your account",
	    TMPL_NAV_ACCOUNT);
}

int
page_account(struct req *r)
{
	if (http_param(r, "changed") != NULL)
		r->flash = "Your password has been changed. Other sessions "
		    "have been signed out.";
	return account_form(r, NULL, 200);
}

int
page_account_password(struct req *r)
{
	const struct http_form *f = &r->form;
	char hash[PASSWORD_HASH_MAX];
	const char *p[2], *cur;
	int n;

	if (f->nerr == 0 && strcmp(f->str[F_PW_NEW], f->str[F_PW_CONFIRM]) != 0)
		f->err[F_PW_CONFIRM] = "The two new passwords do not match.";
	if (f->nerr == 0 && f->err[F_PW_CONFIRM] == NULL)
		f->err[F_PW_NEW] = pwpolicy_check(f->str[F_PW_NEW],
		    r->user.email, r->user.name);
	if (f->err[F_PW_NEW] != NULL)
		return account_form(r, "Please correct the marked fields.",
		    400);
	if (f->nerr > 0 || f->err[F_PW_CONFIRM] != NULL)
		return account_form(r, "Please correct the marked fields.",
		    400);
	p[0] = db_i64s(r->a, r->user.id);
	if ((n = db_exec(r->db, STMT_USER_PASSWORD_GET, 1, p)) != 1)
		return page_db_status(n);
	cur = arena_strdup(r->a, db_str(r->db, 0, 0));
	if (password_verify(cur, f->str[F_PW_CURRENT],
	    strlen(f->str[F_PW_CURRENT])) != 0) {
		f->err[F_PW_CURRENT] = "This is not your current password.";
		return account_form(r, "Please correct the marked fields.",
		    400);
	}
	if (password_hash(f->str[F_PW_NEW], strlen(f->str[F_PW_NEW]), hash))
		return 500;
	if (db_begin(r->db) == -1)
		return 503;
	p[1] = hash;
	if ((n = db_exec(r->db, STMT_USER_PASSWORD_SET, 2, p)) != 1 ||
	    (n = db_exec(r->db, STMT_REFRESH_REVOKE_USER, 1, p)) < 0 ||
	    (n = db_commit(r->db)) != 0) {
		db_rollback(r->db);
		return page_db_status(n);
	}
	if ((n = auth_session_start(r, r->user.id, r->user.role_name,
	    r->user.name, r->user.email, 0, NULL)) != 0)
		return n;
	return http_redirect(r, "/account?changed=1");
}
