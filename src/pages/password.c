/*
 * password: "forgot my password" and the reset link it mails.
 *
 * The forgot form answers the same page whether or not the address has an
 * account, so it cannot be used to find out who is registered.  A reset
 * token is 32 random bytes; only its SHA-256 is stored, with a one-hour
 * expiry.  Using one link spends every outstanding link of the account,
 * sets the password and revokes every session (all refresh-token
 * families), all in one transaction.
 */
#include <string.h>

#include "base/arena.h"
#include "base/log.h"
#include "base/password.h"
#include "base/pwpolicy.h"
#include "base/token.h"
#include "db/db.h"
#include "http/auth.h"
#include "http/view.h"
#include "out/mail.h"
#include "pages/pages.h"

#define RESETS_PER_HOUR	5	/* more requests are answered, not mailed */

static int
forgot_form(struct req *r, int sent, const char *form_error, int status)
{
	struct view *v = view_new(r->a);
	const struct http_form *f = &r->form;

	if (r->csrf == NULL)
		r->csrf = auth_csrf_token(r);
	view_set(v, "csrf", r->csrf);
	if (strcmp(r->method, "POST") == 0) {
		view_set(v, "email", f->str[F_FORGOT_EMAIL]);
		if (f->err[F_FORGOT_EMAIL] != NULL)
			view_set(v, "email_error", f->err[F_FORGOT_EMAIL]);
	}
	if (form_error != NULL)
		view_set(v, "form_error", form_error);
	view_set_bool(v, "sent", sent);
	r->status = status;
	return http_page(r, TMPL_PASSWORD_FORGOT, v, "Forgot your password?");
}

/* Creates a reset token for the account and queues its mail, in one
 * transaction.  0 or a db_err. */
static int
start_reset(struct req *r, int64_t uid)
{
	struct mail_conf mc;
	struct mail_var var[1];
	char tok[TOKEN_STR_LEN + 1], hash[TOKEN_HASH_HEX_LEN + 1];
	const char *p[2];
	int n;

	p[0] = db_i64s(r->a, uid);
	if ((n = db_exec(r->db, STMT_PASSWORD_RESET_RECENT, 1, p)) != 1)
		return n < 0 ? n : DB_HARD;
	if (db_i64(r->db, 0, 0) >= RESETS_PER_HOUR) {
		log_msg("password: reset mail for user %lld held back "
		    "(%d in the last hour)", (long long)uid, RESETS_PER_HOUR);
		return 0;
	}
	token_random(tok);
	token_hash_hex(tok, strlen(tok), hash);
	mail_conf_init(&mc);
	var[0].name = "reset_url";
	var[0].value = arena_printf(r->a, "%s/password/reset?token=%s",
	    mc.base_url, tok);
	if ((n = db_begin(r->db)) != 0)
		return n < 0 ? n : DB_HARD;
	p[1] = hash;
	if ((n = db_exec(r->db, STMT_PASSWORD_RESET_INSERT, 2, p)) != 1 ||
	    (n = mail_queue(r->db, r->a, uid, "password_reset",
	    "Reset your Adept password", var, 1)) != 1 ||
	    (n = db_commit(r->db)) != 0) {
		db_rollback(r->db);
		return n < 0 ? n : DB_HARD;
	}
	return 0;
}

int
page_password_forgot(struct req *r)
{
	const struct http_form *f = &r->form;
	const char *p[1];
	int64_t uid;
	int n;

	if (strcmp(r->method, "GET") == 0)
		return forgot_form(r, 0, NULL, 200);
	if (f->nerr > 0)
		return forgot_form(r, 0, "Please correct the marked field.",
		    400);
	p[0] = f->str[F_FORGOT_EMAIL];
	if ((n = db_exec(r->db, STMT_USER_BY_EMAIL, 1, p)) < 0)
		return page_db_status(n);
	if (n == 1 && db_bool(r->db, 0, 5)) {
		uid = db_i64(r->db, 0, 0);
		if ((n = start_reset(r, uid)) < 0)
			return page_db_status(n);
	}
	return forgot_form(r, 1, NULL, 200);
}

static int
reset_page(struct req *r, int invalid, int done, const char *form_error,
    int status)
{
	struct view *v = view_new(r->a);
	const struct http_form *f = &r->form;

	/* The token is in this page's address: keep it out of Referer. */
	http_header(r, "Referrer-Policy", "no-referrer");
	if (!invalid && !done) {
		if (r->csrf == NULL)
			r->csrf = auth_csrf_token(r);
		view_set(v, "csrf", r->csrf);
		view_set(v, "token", f->str[F_RESET_TOKEN]);
		if (strcmp(r->method, "POST") == 0) {
			if (f->err[F_RESET_PASSWORD] != NULL)
				view_set(v, "password_error",
				    f->err[F_RESET_PASSWORD]);
			if (f->err[F_RESET_CONFIRM] != NULL)
				view_set(v, "confirm_error",
				    f->err[F_RESET_CONFIRM]);
		}
	}
	if (form_error != NULL)
		view_set(v, "form_error", form_error);
	view_set_bool(v, "invalid", invalid);
	view_set_bool(v, "done", done);
	r->status = status;
	return http_page(r, TMPL_PASSWORD_RESET, v, "Choose a new password");
}

static void
token_hash(struct req *r, char hash[TOKEN_HASH_HEX_LEN + 1])
{
	const char *t = r->form.str[F_RESET_TOKEN];

	token_hash_hex(t, strlen(t), hash);
}

/* Spends the token and sets the password, revoking every session.  0,
 * 1 if the token is not usable, or a status (5xx). */
static int
reset_apply(struct req *r, const char *token, const char *password)
{
	char hash[TOKEN_HASH_HEX_LEN + 1], pw[PASSWORD_HASH_MAX];
	const char *p[2];
	int64_t uid;
	int n;

	if (password_hash(password, strlen(password), pw) != 0)
		return 500;
	token_hash_hex(token, strlen(token), hash);
	if ((n = db_begin(r->db)) != 0)
		return page_db_status(n < 0 ? n : DB_HARD);
	p[0] = hash;
	if ((n = db_exec(r->db, STMT_PASSWORD_RESET_TAKE, 1, p)) != 1) {
		db_rollback(r->db);
		return n < 0 ? page_db_status(n) : 1;
	}
	uid = db_i64(r->db, 0, 0);
	p[0] = db_i64s(r->a, uid);
	p[1] = pw;
	if ((n = db_exec(r->db, STMT_USER_PASSWORD_SET, 2, p)) != 1 ||
	    (n = db_exec(r->db, STMT_PASSWORD_RESET_USE, 1, p)) < 0 ||
	    (n = db_exec(r->db, STMT_REFRESH_REVOKE_USER, 1, p)) < 0 ||
	    (n = db_commit(r->db)) != 0) {
		db_rollback(r->db);
		return page_db_status(n < 0 ? n : DB_HARD);
	}
	return 0;
}

int
page_password_reset(struct req *r)
{
	struct http_form *f = &r->form;
	char hash[TOKEN_HASH_HEX_LEN + 1];
	const char *p[1];
	int n;

	if (strcmp(r->method, "GET") == 0) {
		if (http_param(r, "done") != NULL)
			return reset_page(r, 0, 1, NULL, 200);
		if (f->err[F_RESET_TOKEN] != NULL)
			return reset_page(r, 1, 0, NULL, 404);
		token_hash(r, hash);
		p[0] = hash;
		if ((n = db_exec(r->db, STMT_PASSWORD_RESET_CHECK, 1, p)) < 0)
			return page_db_status(n);
		return n == 1 ? reset_page(r, 0, 0, NULL, 200) :
		    reset_page(r, 1, 0, NULL, 404);
	}
	if (f->err[F_RESET_TOKEN] != NULL)
		return reset_page(r, 1, 0, NULL, 400);
	if (f->nerr == 0 && strcmp(f->str[F_RESET_PASSWORD],
	    f->str[F_RESET_CONFIRM]) != 0) {
		f->err[F_RESET_CONFIRM] = "The two passwords do not match.";
		f->nerr++;
	}
	if (f->nerr == 0 && (f->err[F_RESET_PASSWORD] = pwpolicy_check(
	    f->str[F_RESET_PASSWORD], NULL, NULL)) != NULL)	/* issue 9 */
		f->nerr++;
	if (f->nerr > 0)
		return reset_page(r, 0, 0, "Please correct the marked fields.",
		    400);
	if ((n = reset_apply(r, f->str[F_RESET_TOKEN],
	    f->str[F_RESET_PASSWORD])) == 1)
		return reset_page(r, 1, 0, NULL, 400);
	if (n != 0)
		return n;
	/* This browser's own session (if any) went with the others. */
	if (r->user.id != 0)
		auth_session_end(r);
	return http_redirect(r, "/password/reset?done=1");
}

/* ---- JSON twins ------------------------------------------------------- */

int
page_api_password_forgot(struct req *r)
{
	const char *p[1];
	int n;

	if (r->form.nerr > 0)
		return http_error(r, 400, http_form_error(&r->form));
	p[0] = r->form.str[F_FORGOT_EMAIL];
	if ((n = db_exec(r->db, STMT_USER_BY_EMAIL, 1, p)) < 0)
		return http_error(r, page_db_status(n), "Try again shortly.");
	if (n == 1 && db_bool(r->db, 0, 5) &&
	    (n = start_reset(r, db_i64(r->db, 0, 0))) < 0)
		return http_error(r, page_db_status(n), "Try again shortly.");
	json_begin(r);
	json_str(r, "message", "If an account exists for this address, a "
	    "link to choose a new password has been sent to it.");
	json_end(r);
	return http_json(r, 202);
}

int
page_api_password_reset(struct req *r)
{
	const struct http_form *f = &r->form;
	int n;

	if (f->nerr > 0)
		return http_error(r, 400, http_form_error(f));
	if (strcmp(f->str[F_RESET_PASSWORD], f->str[F_RESET_CONFIRM]) != 0)
		return http_error(r, 400, "The two passwords do not match.");
	if (pwpolicy_check(f->str[F_RESET_PASSWORD], NULL, NULL) != NULL)
		return http_error(r, 400, pwpolicy_check(
		    f->str[F_RESET_PASSWORD], NULL, NULL));	/* issue 9 */
	if ((n = reset_apply(r, f->str[F_RESET_TOKEN],
	    f->str[F_RESET_PASSWORD])) == 1)
		return http_error(r, 400, "This link is invalid, has expired "
		    "or has already been used.");
	if (n != 0)
		return http_error(r, n, "Try again shortly.");
	json_begin(r);
	json_bool(r, "password_changed", 1);
	json_end(r);
	return http_json(r, 200);
}
