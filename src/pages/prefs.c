/*
 * prefs: which mails a user wants (GET/POST /account/mail and the JSON
 * twin) and the unsubscribe link every non-security mail carries.
 *
 * The unsubscribe link authenticates by its token alone (no sign-in): the
 * sender put a fresh random token in the mail and kept its SHA-256 on the
 * outbox row, which names the user and the kind of mail.  GET shows a
 * one-button form; only POST changes anything (link scanners fetch with
 * GET), and the same POST is the RFC 8058 one-click target of the
 * List-Unsubscribe header, so it needs no CSRF token.  Also the admin's
 * view of the outbox (/admin/mail), with "send again" for given-up mail.
 */
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
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

/* ---- admin: the outbox ---------------------------------------------------- */

#define ADMIN_ROWS	"200"

static const char *
counts_text(struct req *r, int n)
{
	struct buf b;
	const char *s;
	int i;

	buf_init(&b);
	for (i = 0; i < n; i++)
		buf_printf(&b, "%s%s: %lld", i ? ", " : "",
		    db_str(r->db, i, 0), (long long)db_i64(r->db, i, 1));
	s = arena_strdup(r->a, n > 0 ? b.p : "No mail yet.");
	buf_free(&b);
	return s;
}

int
page_admin_mail(struct req *r)
{
	struct view *v = view_new(r->a), *row;
	const char *p[1] = { ADMIN_ROWS };
	struct buf acc;
	int n, i;

	if ((n = db_exec(r->db, STMT_MAIL_ADMIN_COUNTS, 0, p)) < 0)
		return page_db_status(n);
	view_set(v, "counts", counts_text(r, n));
	if ((n = db_exec(r->db, STMT_MAIL_ADMIN_LIST, 1, p)) < 0)
		return page_db_status(n);
	buf_init(&acc);
	row = view_new(r->a);
	for (i = 0; i < n; i++) {
		const char *st = db_str(r->db, i, 4);

		view_clear(row);
		view_set_int(row, "id", (long)db_i64(r->db, i, 0));
		view_set(row, "to", db_str(r->db, i, 1));
		view_set(row, "template", db_str(r->db, i, 2));
		view_set(row, "subject", db_str(r->db, i, 3));
		view_set(row, "status", st);
		view_set_int(row, "attempts", (long)db_i64(r->db, i, 5));
		view_set(row, "error", db_str(r->db, i, 6));
		view_set(row, "created", db_str(r->db, i, 7));
		view_set(row, "sent", db_str(r->db, i, 8));
		view_set_bool(row, "retry", strcmp(st, "dead") == 0 ||
		    strcmp(st, "pending") == 0);
		view_set(row, "csrf", r->csrf);
		if (tmpl_render_row(TMPL_ROW_ADMIN_MAIL, row, &acc) != 0) {
			buf_free(&acc);
			return 500;
		}
	}
	if (acc.len > 0)
		view_set_raw(v, "rows", acc.p);
	buf_free(&acc);
	return http_page_nav(r, TMPL_ADMIN_MAIL, v, "Outgoing mail",
	    TMPL_NAV_ADMIN);
}

int
page_api_admin_mail(struct req *r)
{
	const char *p[1] = { ADMIN_ROWS };
	int n, i;

	if ((n = db_exec(r->db, STMT_MAIL_ADMIN_LIST, 1, p)) < 0)
		return http_error(r, page_db_status(n), "Try again shortly.");
	json_begin(r);
	json_raw(r, "mail", "[");
	for (i = 0; i < n; i++) {
		buf_putc(r->body, '{');
		json_i64(r, "id", db_i64(r->db, i, 0));
		json_str(r, "to", db_str(r->db, i, 1));
		json_str(r, "template", db_str(r->db, i, 2));
		json_str(r, "subject", db_str(r->db, i, 3));
		json_str(r, "status", db_str(r->db, i, 4));
		json_i64(r, "attempts", db_i64(r->db, i, 5));
		json_str(r, "last_error", db_str(r->db, i, 6));
		json_str(r, "created", db_str(r->db, i, 7));
		json_str(r, "sent", db_str(r->db, i, 8));
		buf_putc(r->body, '}');
		if (i + 1 < n)
			buf_putc(r->body, ',');
	}
	buf_putc(r->body, ']');
	json_end(r);
	return http_json(r, 200);
}

int
page_admin_mail_retry(struct req *r)
{
	const char *p[1];
	int n;

	p[0] = db_i64s(r->a, r->pathid[0]);
	if ((n = db_exec(r->db, STMT_MAIL_ADMIN_RETRY, 1, p)) < 0)
		return page_db_status(n);
	if (n == 0)
		return http_error(r, 404, "There is no such mail waiting or "
		    "given up.");
	if (r->is_api) {
		json_begin(r);
		json_bool(r, "queued", 1);
		json_end(r);
		return http_json(r, 200);
	}
	return http_redirect(r, "/admin/mail");
}
