/*
 * prefs: which mails a user wants (GET/POST /account/mail and the JSON
 * twin) and the unsubscribe link every non-security mail carries.
 *
 * The unsubscribe link authenticates by its token alone (no sign-in): the
 * sender put a fresh random token in the mail and kept its SHA-256 on the
 * outbox row, which names the user and the kind of mail.  GET shows a
 * one-button form; only POST changes anything (link scanners fetch with
 * GET), and the same POST is the RFC 8058 one-click target of the
 * List-Unsubscribe header, so it needs no CSRF token.
 */
#include <string.h>

#include "base/arena.h"
#include "base/token.h"
#include "db/db.h"
#include "http/view.h"
#include "out/mail.h"
#include "pages/pages.h"

static const char *const kinds[F_MP__MAX] = {
	[F_MP_ALL] = "all",
	[F_MP_ENROLMENT] = "enrolment",
	[F_MP_COMPLETION] = "completion",
	[F_MP_WEEKLY] = "weekly",
	[F_MP_NOTIFICATION] = "notification",
	[F_MP_PAYOUT] = "payout",
};

/* on[i]: kind i wanted.  0 or a db_err. */
static int
load(struct req *r, int on[F_MP__MAX])
{
	const char *p[1];
	int i, k, n;

	for (k = 0; k < F_MP__MAX; k++)
		on[k] = 1;
	p[0] = db_i64s(r->a, r->user.id);
	if ((n = db_exec(r->db, STMT_MAIL_PREFS_GET, 1, p)) < 0)
		return n;
	for (i = 0; i < n; i++)
		for (k = 0; k < F_MP__MAX; k++)
			if (strcmp(db_str(r->db, i, 0), kinds[k]) == 0)
				on[k] = db_bool(r->db, i, 1);
	return 0;
}

/* Stores the checkboxes of the form.  0 or a db_err. */
static int
save(struct req *r)
{
	const char *p[3];
	int k, n;

	if ((n = db_begin(r->db)) != 0)
		return n < 0 ? n : DB_HARD;
	p[0] = db_i64s(r->a, r->user.id);
	for (k = 0; k < F_MP__MAX; k++) {
		p[1] = kinds[k];
		p[2] = r->form.i64[k] == 1 ? "true" : "false";
		if ((n = db_exec(r->db, STMT_MAIL_PREF_SET, 3, p)) < 0) {
			db_rollback(r->db);
			return n;
		}
	}
	if ((n = db_commit(r->db)) != 0)
		return n < 0 ? n : DB_HARD;
	return 0;
}

int
page_mail_prefs(struct req *r)
{
	struct view *v;
	int on[F_MP__MAX], n, k;

	if (strcmp(r->method, "POST") == 0) {
		if (r->form.nerr > 0)
			return http_error(r, 400, http_form_error(&r->form));
		if ((n = save(r)) != 0)
			return page_db_status(n);
		return http_redirect(r, "/account/mail?saved=1");
	}
	if ((n = load(r, on)) != 0)
		return page_db_status(n);
	v = view_new(r->a);
	view_set(v, "csrf", r->csrf);
	for (k = 0; k < F_MP__MAX; k++)
		view_set_bool(v, arena_printf(r->a, "%s_on", kinds[k]), on[k]);
	view_set_bool(v, "saved", http_param(r, "saved") != NULL);
	return http_page_nav(r, TMPL_MAIL_PREFS, v, "Mail settings",
	    TMPL_NAV_ACCOUNT);
}

int
page_api_mail_prefs(struct req *r)
{
	int on[F_MP__MAX], n, k;

	if (strcmp(r->method, "POST") == 0) {
		if (r->form.nerr > 0)
			return http_error(r, 400, http_form_error(&r->form));
		if ((n = save(r)) != 0)
			return http_error(r, page_db_status(n),
			    "Try again shortly.");
	}
	if ((n = load(r, on)) != 0)
		return http_error(r, page_db_status(n), "Try again shortly.");
	json_begin(r);
	for (k = 0; k < F_MP__MAX; k++)
		json_bool(r, kinds[k], on[k]);
	json_end(r);
	return http_json(r, 200);
}

static const char *
what(const char *kind)
{
	if (strcmp(kind, "all") == 0)
		return "any Adept mail except security notices";
	if (strcmp(kind, "enrolment") == 0)
		return "enrolment confirmations";
	if (strcmp(kind, "completion") == 0)
		return "course completion mails";
	if (strcmp(kind, "weekly") == 0)
		return "weekly progress reports";
	if (strcmp(kind, "payout") == 0)
		return "payout notices";
	return "notification mails";
}

static int
unsub_page(struct req *r, int invalid, int done, const char *token,
    const char *kind, int status)
{
	struct view *v = view_new(r->a);

	http_header(r, "Referrer-Policy", "no-referrer");
	view_set_bool(v, "invalid", invalid);
	view_set_bool(v, "done", done);
	if (token != NULL)
		view_set(v, "token", token);
	if (kind != NULL)
		view_set(v, "what", what(kind));
	r->status = status;
	return http_page(r, TMPL_UNSUBSCRIBE, v, "Unsubscribe");
}

int
page_unsubscribe(struct req *r)
{
	const char *tok = r->form.str[F_UNSUB_TOKEN], *p[3], *kind;
	char hash[TOKEN_HASH_HEX_LEN + 1];
	int64_t uid;
	int n;

	if (r->form.err[F_UNSUB_TOKEN] != NULL)
		return unsub_page(r, 1, 0, NULL, NULL, 404);
	token_hash_hex(tok, strlen(tok), hash);
	p[0] = hash;
	if ((n = db_exec(r->db, STMT_MAIL_UNSUB_LOOKUP, 1, p)) < 0)
		return page_db_status(n);
	if (n == 0 || (uid = db_i64(r->db, 0, 0)) == 0 ||
	    (kind = mail_pref_kind(db_str(r->db, 0, 1))) == NULL)
		return unsub_page(r, 1, 0, NULL, NULL, 404);
	kind = arena_strdup(r->a, kind);
	if (strcmp(r->method, "GET") == 0)
		return unsub_page(r, 0, 0, tok, kind, 200);
	p[0] = db_i64s(r->a, uid);
	p[1] = kind;
	p[2] = "false";
	if ((n = db_exec(r->db, STMT_MAIL_PREF_SET, 3, p)) < 0)
		return page_db_status(n);
	return unsub_page(r, 0, 1, NULL, kind, 200);
}
