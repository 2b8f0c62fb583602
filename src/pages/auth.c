/*
 * auth pages: register, sign in, sign out, and their JSON twins.
 *
 * A wrong password and an unknown e-mail get the same message and cost the
 * same time (a dummy argon2id verify), so the form does not reveal who has
 * an account.  Sign-in is throttled per account and per address before any
 * password is checked.
 */
#include <string.h>

#include "base/arena.h"
#include "base/password.h"
#include "base/pwpolicy.h"
#include "db/db.h"
#include "db/users.h"
#include "http/auth.h"
#include "http/view.h"
#include "out/mail.h"
#include "pages/pages.h"

#define BAD_LOGIN	"Wrong e-mail or password."

int
page_db_status(int dberr)
{
	return dberr == DB_RETRY ? 503 : 500;
}

/* Local paths only: "/x" but not "//host" or "/\host". */
static const char *
safe_next(const char *next)
{
	if (next == NULL || next[0] != '/' || next[1] == '/' ||
	    next[1] == '\\' || strpbrk(next, "\r\n") != NULL)
		return "/dashboard";
	return next;
}

static void
set_err(struct view *v, const char *var, const char *msg)
{
	if (msg != NULL)
		view_set(v, var, msg);
}

/* ---- register ------------------------------------------------------- */

static int
register_form(struct req *r, const char *form_error, int status)
{
	struct view *v = view_new(r->a);
	const struct http_form *f = &r->form;
	int post = strcmp(r->method, "POST") == 0;

	if (r->csrf == NULL)
		r->csrf = auth_csrf_token(r);
	view_set(v, "csrf", r->csrf);
	if (post) {
		view_set(v, "name", f->str[F_REG_NAME]);
		view_set(v, "email", f->str[F_REG_EMAIL]);
		set_err(v, "name_error", f->err[F_REG_NAME]);
		set_err(v, "email_error", f->err[F_REG_EMAIL]);
		set_err(v, "password_error", f->err[F_REG_PASSWORD]);
		set_err(v, "confirm_error", f->err[F_REG_CONFIRM]);
	}
	set_err(v, "form_error", form_error);
	r->status = status;
	return http_page_nav(r, TMPL_REGISTER, v, "Create your account",
	    TMPL_NAV_REGISTER);
}

int
page_register(struct req *r)
{
	const struct http_form *f = &r->form;
	int64_t id;
	int n;

	if (strcmp(r->method, "GET") == 0) {
		if (r->user.id != 0)
			return http_redirect(r, "/dashboard");
		return register_form(r, NULL, 200);
	}
	if (f->nerr == 0 && strcmp(f->str[F_REG_PASSWORD],
	    f->str[F_REG_CONFIRM]) != 0)
		f->err[F_REG_CONFIRM] = "The two passwords do not match.";
	if (f->nerr == 0 && f->err[F_REG_CONFIRM] == NULL)
		f->err[F_REG_PASSWORD] = pwpolicy_check(f->str[F_REG_PASSWORD],
		    f->str[F_REG_EMAIL], f->str[F_REG_NAME]);
	if (f->err[F_REG_PASSWORD] != NULL)
		return register_form(r, "Please correct the marked fields.",
		    400);
	if (f->err[F_REG_CONFIRM] != NULL || f->nerr > 0)
		return register_form(r, "Please correct the marked fields.",
		    400);
	n = db_user_create_from(r->db, f->str[F_REG_EMAIL],
	    f->str[F_REG_NAME], f->str[F_REG_PASSWORD], "learner",
	    r->remote_addr, mail_queue_welcome, r->a, &id);
	if (n == DB_CONFLICT) {
		f->err[F_REG_EMAIL] = "An account with this e-mail already "
		    "exists. Sign in instead?";
		return register_form(r, "Please correct the marked fields.",
		    409);
	}
	if (n != 0)
		return page_db_status(n);
	if ((n = auth_session_start(r, id, "learner", f->str[F_REG_NAME],
	    f->str[F_REG_EMAIL], 0, NULL)) != 0)
		return n;
	return http_redirect(r, "/dashboard?welcome=1");
}

int
page_api_register(struct req *r)
{
	const struct http_form *f = &r->form;
	const char *weak;
	int64_t id;
	int n;

	if (f->nerr > 0)
		return http_error(r, 400, http_form_error(f));
	if ((weak = pwpolicy_check(f->str[F_API_REG_PASSWORD],
	    f->str[F_API_REG_EMAIL], f->str[F_API_REG_NAME])) != NULL)
		return http_error(r, 400, weak);
	n = db_user_create_from(r->db, f->str[F_API_REG_EMAIL],
	    f->str[F_API_REG_NAME], f->str[F_API_REG_PASSWORD], "learner",
	    r->remote_addr, mail_queue_welcome, r->a, &id);
	if (n == DB_CONFLICT)
		return http_error(r, 409,
		    "An account with this e-mail already exists.");
	if (n != 0)
		return http_error(r, page_db_status(n),
		    "The account could not be created; try again.");
	json_begin(r);
	json_i64(r, "id", id);
	json_str(r, "email", f->str[F_API_REG_EMAIL]);
	json_str(r, "full_name", f->str[F_API_REG_NAME]);
	json_str(r, "role", "learner");
	json_end(r);
	return http_json(r, 201);
}

/* ---- sign in -------------------------------------------------------- */

/*
 * Checks e-mail and password with throttling.  Returns 0 with the user's
 * row in r->db (id, full_name, email, role), or a status: 400 (bad input:
 * *msg), 401 (wrong credentials), 429 (throttled: *wait), 5xx.
 */
static int
check_credentials(struct req *r, const char *email, const char *password,
    int64_t *wait)
{
	const char *p[1];
	const char *hash;
	int n, ok;

	if ((*wait = auth_throttle_wait(r, email)) > 0)
		return 429;
	p[0] = email;
	n = db_exec(r->db, STMT_USER_BY_EMAIL, 1, p);
	if (n < 0)
		return page_db_status(n);
	if (n == 0 || !db_bool(r->db, 0, 5)) {
		password_verify_dummy(password, strlen(password));
		auth_throttle_fail(r, email);
		return 401;
	}
	hash = arena_strdup(r->a, db_str(r->db, 0, 4));
	/* Keep the row: password_verify does not touch the database. */
	ok = password_verify(hash, password, strlen(password)) == 0;
	if (!ok) {
		auth_throttle_fail(r, email);
		return 401;
	}
	auth_throttle_ok(r, email);
	p[0] = email;
	if ((n = db_exec(r->db, STMT_USER_BY_EMAIL, 1, p)) != 1)
		return page_db_status(n);
	return 0;
}

static const char *
wait_message(struct req *r, int64_t wait)
{
	char v[32];

	snprintf(v, sizeof(v), "%lld", (long long)wait);
	http_header(r, "Retry-After", v);
	return arena_printf(r->a, "Too many failed sign-ins. Try again in %lld "
	    "second%s.", (long long)wait, wait == 1 ? "" : "s");
}

static int
login_form(struct req *r, const char *form_error, int status)
{
	struct view *v = view_new(r->a);
	const struct http_form *f = &r->form;
	const char *next = f->str[F_LOGIN_NEXT];

	if (r->csrf == NULL)
		r->csrf = auth_csrf_token(r);
	view_set(v, "csrf", r->csrf);
	if (next != NULL && *next != '\0')
		view_set(v, "next", safe_next(next));
	if (strcmp(r->method, "POST") == 0) {
		view_set(v, "email", f->str[F_LOGIN_EMAIL]);
		set_err(v, "email_error", f->err[F_LOGIN_EMAIL]);
		set_err(v, "password_error", f->err[F_LOGIN_PASSWORD]);
	}
	set_err(v, "form_error", form_error);
	r->status = status;
	return http_page_nav(r, TMPL_LOGIN, v, "Sign in", TMPL_NAV_LOGIN);
}

int
page_login(struct req *r)
{
	const struct http_form *f = &r->form;
	const char *role, *name, *email;
	int64_t wait, uid;
	int st;

	if (strcmp(r->method, "GET") == 0) {
		if (r->user.id != 0)
			return http_redirect(r, "/dashboard");
		return login_form(r, NULL, 200);
	}
	if (f->nerr > 0)
		return login_form(r, "Enter your e-mail and password.", 400);
	st = check_credentials(r, f->str[F_LOGIN_EMAIL],
	    f->str[F_LOGIN_PASSWORD], &wait);
	if (st == 429)
		return login_form(r, wait_message(r, wait), 429);
	if (st == 401)
		return login_form(r, BAD_LOGIN, 401);
	if (st != 0)
		return st;
	uid = db_i64(r->db, 0, 0);
	role = arena_strdup(r->a, db_str(r->db, 0, 3));
	name = arena_strdup(r->a, db_str(r->db, 0, 1));
	email = arena_strdup(r->a, db_str(r->db, 0, 2));
	/* A second factor, when the account has or needs one (security.c). */
	if ((st = security_login_hook(r, uid,
	    safe_next(f->str[F_LOGIN_NEXT]))) != 0)
		return st;
	st = auth_session_start(r, uid, role, name, email, 0, NULL);
	if (st != 0)
		return st;
	return http_redirect(r, safe_next(f->str[F_LOGIN_NEXT]));
}

static int
tokens_json(struct req *r, const struct auth_tokens *t, int status)
{
	json_begin(r);
	json_str(r, "access_token", t->access);
	json_str(r, "refresh_token", t->refresh);
	json_str(r, "token_type", "Bearer");
	json_i64(r, "expires_in", t->expires_in);
	json_end(r);
	return http_json(r, status);
}

int
page_api_login(struct req *r)
{
	const struct http_form *f = &r->form;
	const char *role, *name, *email;
	struct auth_tokens t;
	int64_t wait, uid;
	int st;

	if (f->nerr > 0)
		return http_error(r, 400, http_form_error(f));
	st = check_credentials(r, f->str[F_API_LOGIN_EMAIL],
	    f->str[F_API_LOGIN_PASSWORD], &wait);
	if (st == 429)
		return http_error(r, 429, wait_message(r, wait));
	if (st == 401)
		return http_error(r, 401, BAD_LOGIN);
	if (st != 0)
		return http_error(r, st, "Sign-in failed; try again.");
	uid = db_i64(r->db, 0, 0);
	role = arena_strdup(r->a, db_str(r->db, 0, 3));
	name = arena_strdup(r->a, db_str(r->db, 0, 1));
	email = arena_strdup(r->a, db_str(r->db, 0, 2));
	/* 401 {"mfa_required":true} unless "totp" holds a good code. */
	if ((st = security_api_login_hook(r, uid,
	    f->str[F_API_LOGIN_TOTP])) != 0)
		return st;
	st = auth_session_start(r, uid, role, name, email, 1, &t);
	if (st != 0)
		return http_error(r, st, "Sign-in failed; try again.");
	return tokens_json(r, &t, 200);
}

int
page_api_refresh(struct req *r)
{
	struct auth_tokens t;
	int st;

	if (r->form.nerr > 0)
		return http_error(r, 400, http_form_error(&r->form));
	st = auth_refresh(r, r->form.str[F_API_REFRESH_TOKEN], 1, &t);
	if (st == 401)
		return http_error(r, 401, "The refresh token is invalid, "
		    "expired or already used; sign in again.");
	if (st != 0)
		return http_error(r, st, "Try again shortly.");
	return tokens_json(r, &t, 200);
}

/* ---- sign out ------------------------------------------------------- */

int
page_logout(struct req *r)
{
	auth_session_end(r);
	return http_redirect(r, "/");
}

int
page_api_logout(struct req *r)
{
	auth_session_end(r);
	json_begin(r);
	json_bool(r, "signed_out", 1);
	json_end(r);
	return http_json(r, 200);
}
