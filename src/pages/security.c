/*
 * security: the second sign-in factor (TOTP, recovery codes), the list of
 * one's sessions with revoke, and one's personal data (export, deletion on
 * request); issue 9, harden.
 *
 * The design decision: between the password and the second factor the
 * browser holds no session, only a pending-login cookie (adept_mfa):
 * "uid.expiry.kind.next.mac", HMAC-SHA256 under a subkey of the site
 * secret, valid five minutes.  kind "v" asks for a code, kind "e" makes an
 * account that must have a second factor (admins; users flagged
 * mfa_required) enrol before any session exists.  The TOTP secret is kept
 * sealed (secretbox) because the server must read it back; recovery codes
 * are kept as SHA-256 hashes and used once; an accepted TOTP step is
 * remembered so the same code cannot be replayed.  Wrong codes count
 * against the sign-in throttle like wrong passwords.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <qrencode.h>
#include <sodium.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/config.h"
#include "base/log.h"
#include "base/password.h"
#include "base/token.h"
#include "base/totp.h"
#include "db/db.h"
#include "http/auth.h"
#include "http/view.h"
#include "pages/pages.h"

#define PENDING_COOKIE	"adept_mfa"
#define PENDING_TTL	300
#define NCODES		10
#define CODE_CHARS	10	/* shown as xxxxx-xxxxx */
#define ISSUER		"Adept"
#define SEALED_HEX	(2 * (crypto_secretbox_NONCEBYTES + \
			    crypto_secretbox_MACBYTES + TOTP_SECRET_BYTES))

/* An account as the second-factor code needs it. */
struct acct {
	int64_t		 id;
	const char	*name, *email, *role;
	const char	*sealed;	/* NULL: no secret, pending or enabled */
	int		 enabled;
	int		 must;		/* must have a second factor */
	const char	*hash;		/* password hash */
};

static int
admin_mfa_required(void)
{
	const char *v = getenv("ADEPT_ADMIN_MFA");

	return v == NULL || strcmp(v, "optional") != 0;
}

/* Loads uid into *u (strings in the arena).  1, 0 (no such user), or a
 * db_err. */
static int
acct_load(struct req *r, int64_t uid, struct acct *u)
{
	const char *p[1];
	int n;

	p[0] = db_i64s(r->a, uid);
	if ((n = db_exec(r->db, STMT_SECURITY_USER_GET, 1, p)) != 1)
		return n;
	memset(u, 0, sizeof(*u));
	u->id = uid;
	u->name = arena_strdup(r->a, db_str(r->db, 0, 1));
	u->email = arena_strdup(r->a, db_str(r->db, 0, 2));
	u->role = arena_strdup(r->a, db_str(r->db, 0, 3));
	if (!db_isnull(r->db, 0, 4))
		u->sealed = arena_strdup(r->a, db_str(r->db, 0, 4));
	u->enabled = db_bool(r->db, 0, 5);
	u->must = db_bool(r->db, 0, 8) ||
	    (strcmp(u->role, "admin") == 0 && admin_mfa_required());
	u->hash = arena_strdup(r->a, db_str(r->db, 0, 9));
	if (!db_bool(r->db, 0, 7))
		return 0;
	return 1;
}

/* ---- the sealed secret --------------------------------------------- */

static void
seal_key(struct req *r, unsigned char key[TOKEN_KEY_BYTES])
{
	token_subkey(key, r->cfg->secret, sizeof(r->cfg->secret),
	    "totp-seal");
}

static const char *
seal(struct req *r, const unsigned char secret[TOTP_SECRET_BYTES])
{
	unsigned char key[TOKEN_KEY_BYTES];
	unsigned char box[crypto_secretbox_NONCEBYTES +
	    crypto_secretbox_MACBYTES + TOTP_SECRET_BYTES];
	char *hex = arena_alloc(r->a, SEALED_HEX + 1);

	seal_key(r, key);
	randombytes_buf(box, crypto_secretbox_NONCEBYTES);
	crypto_secretbox_easy(box + crypto_secretbox_NONCEBYTES, secret,
	    TOTP_SECRET_BYTES, box, key);
	sodium_memzero(key, sizeof(key));
	sodium_bin2hex(hex, SEALED_HEX + 1, box, sizeof(box));
	return hex;
}

static int
unseal(struct req *r, const char *hex, unsigned char out[TOTP_SECRET_BYTES])
{
	unsigned char key[TOKEN_KEY_BYTES];
	unsigned char box[crypto_secretbox_NONCEBYTES +
	    crypto_secretbox_MACBYTES + TOTP_SECRET_BYTES];
	size_t n;
	int rc;

	if (hex == NULL || strlen(hex) != SEALED_HEX ||
	    sodium_hex2bin(box, sizeof(box), hex, SEALED_HEX, NULL, &n,
	    NULL) != 0 || n != sizeof(box))
		return -1;
	seal_key(r, key);
	rc = crypto_secretbox_open_easy(out, box + crypto_secretbox_NONCEBYTES,
	    sizeof(box) - crypto_secretbox_NONCEBYTES, box, key);
	sodium_memzero(key, sizeof(key));
	return rc == 0 ? 0 : -1;
}

/* ---- the pending-login cookie ---------------------------------------- */

static const char *
pending_mac(struct req *r, const char *msg)
{
	unsigned char key[TOKEN_KEY_BYTES];
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	char *out = arena_alloc(r->a, TOKEN_B64URL_LEN(sizeof(mac)) + 1);

	token_subkey(key, r->cfg->secret, sizeof(r->cfg->secret),
	    "mfa-pending");
	crypto_auth_hmacsha256(mac, (const unsigned char *)msg, strlen(msg),
	    key);
	sodium_memzero(key, sizeof(key));
	token_b64url_encode(out, TOKEN_B64URL_LEN(sizeof(mac)) + 1, mac,
	    sizeof(mac));
	return out;
}

static void
pending_set(struct req *r, int64_t uid, char kind, const char *next)
{
	char nb[TOKEN_B64URL_LEN(512) + 1];
	const char *msg;

	if (next == NULL || strlen(next) > 512)
		next = "";
	token_b64url_encode(nb, sizeof(nb), next, strlen(next));
	msg = arena_printf(r->a, "%lld.%lld.%c.%s", (long long)uid,
	    (long long)(r->now + PENDING_TTL), kind, nb);
	http_cookie(r, PENDING_COOKIE, arena_printf(r->a, "%s.%s", msg,
	    pending_mac(r, msg)), PENDING_TTL);
}

static void
pending_clear(struct req *r)
{
	http_cookie(r, PENDING_COOKIE, "", 0);
}

/* The user id of a valid, unexpired pending cookie of this kind (0 if
 * none); *next gets the page to go to after. */
static int64_t
pending_get(struct req *r, char kind, const char **next)
{
	const char *v, *dot;
	char *msg, *nextb;
	long long uid, exp;
	char k;
	long n;
	int off;

	*next = "/dashboard";
	v = http_param_value(r->cookies, r->ncookies, PENDING_COOKIE);
	if (v == NULL || (dot = strrchr(v, '.')) == NULL)
		return 0;
	msg = arena_strndup(r->a, v, (size_t)(dot - v));
	if (!token_equal(dot + 1, strlen(dot + 1), pending_mac(r, msg),
	    strlen(pending_mac(r, msg))))
		return 0;
	if (sscanf(msg, "%lld.%lld.%c.%n", &uid, &exp, &k, &off) != 3 ||
	    k != kind || exp < r->now || uid <= 0)
		return 0;
	nextb = arena_alloc(r->a, strlen(msg + off) + 1);
	n = token_b64url_decode(nextb, strlen(msg + off), msg + off,
	    strlen(msg + off));
	if (n > 0) {
		nextb[n] = '\0';
		if (nextb[0] == '/' && nextb[1] != '/' && nextb[1] != '\\' &&
		    strpbrk(nextb, "\r\n") == NULL)
			*next = nextb;
	}
	return uid;
}

/* ---- codes ------------------------------------------------------------ */

/* Recovery code text as typed -> canonical (lowercase, no separators);
 * NULL if it cannot be one. */
static const char *
code_canon(struct req *r, const char *in)
{
	char *out = arena_alloc(r->a, CODE_CHARS + 1);
	size_t n = 0;

	for (; *in != '\0'; in++) {
		if (*in == '-' || *in == ' ')
			continue;
		if (n == CODE_CHARS || !isalnum((unsigned char)*in))
			return NULL;
		out[n++] = (char)tolower((unsigned char)*in);
	}
	out[n] = '\0';
	return n == CODE_CHARS ? out : NULL;
}

/* Replaces the user's recovery codes with NCODES fresh ones, inside the
 * caller's transaction; the codes as shown go to out (one per line).
 * 0 or a db_err. */
static int
codes_new(struct req *r, int64_t uid, const char **out)
{
	unsigned char raw[7];
	char b32[TOTP_B32_LEN(7) + 1], hash[TOKEN_HASH_HEX_LEN + 1];
	const char *p[2];
	struct buf shown;
	int i, n;

	p[0] = db_i64s(r->a, uid);
	if ((n = db_exec(r->db, STMT_SECURITY_RECOVERY_CLEAR, 1, p)) < 0)
		return n;
	buf_init(&shown);
	for (i = 0; i < NCODES; i++) {
		randombytes_buf(raw, sizeof(raw));
		totp_base32(b32, sizeof(b32), raw, sizeof(raw));
		b32[CODE_CHARS] = '\0';
		for (n = 0; n < CODE_CHARS; n++)
			b32[n] = (char)tolower((unsigned char)b32[n]);
		token_hash_hex(b32, CODE_CHARS, hash);
		p[1] = hash;
		if ((n = db_exec(r->db, STMT_SECURITY_RECOVERY_INSERT, 2, p))
		    != 1) {
			buf_free(&shown);
			return n < 0 ? n : DB_HARD;
		}
		buf_printf(&shown, "%s%.5s-%.5s", i ? "\n" : "", b32, b32 + 5);
	}
	sodium_memzero(raw, sizeof(raw));
	*out = arena_strndup(r->a, shown.p ? shown.p : "", shown.len);
	buf_free(&shown);
	return 0;
}

/*
 * Checks a second factor for an account with TOTP enabled: a current
 * TOTP code not used before, or an unused recovery code (then used up).
 * 1 accepted, 0 refused, or a db_err.
 */
static int
second_ok(struct req *r, const struct acct *u, const char *code)
{
	unsigned char key[TOTP_SECRET_BYTES];
	char hash[TOKEN_HASH_HEX_LEN + 1];
	const char *p[2], *canon;
	int64_t step;
	int n;

	if (code == NULL)
		return 0;
	p[0] = db_i64s(r->a, u->id);
	if (strlen(code) <= 8) {
		if (unseal(r, u->sealed, key) == -1) {
			log_msg("%s: user %lld: TOTP secret does not unseal",
			    r->id, (long long)u->id);
			return 0;
		}
		step = totp_check(key, sizeof(key), r->now, code);
		sodium_memzero(key, sizeof(key));
		if (step < 0)
			return 0;
		p[1] = db_i64s(r->a, step);
		n = db_exec(r->db, STMT_SECURITY_TOTP_STEP_USE, 2, p);
		return n < 0 ? n : n == 1;
	}
	if ((canon = code_canon(r, code)) == NULL)
		return 0;
	token_hash_hex(canon, strlen(canon), hash);
	p[1] = hash;
	n = db_exec(r->db, STMT_SECURITY_RECOVERY_USE, 2, p);
	return n < 0 ? n : n == 1;
}

/* The throttle key for second-factor guesses on one account. */
static const char *
mfa_key(struct req *r, int64_t uid)
{
	return arena_printf(r->a, "mfa-%lld", (long long)uid);
}

/* ---- the QR code ------------------------------------------------------ */

/* An inline SVG of the QR code for text (our own markup: for
 * view_set_raw), or NULL. */
static const char *
qr_svg(struct req *r, const char *text)
{
	QRcode *q;
	struct buf b;
	const char *svg;
	int x, y, w;

	if ((q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1))
	    == NULL)
		return NULL;
	w = q->width + 8;
	buf_init(&b);
	buf_printf(&b, "<svg class=\"qr\" xmlns=\"http://www.w3.org/2000/svg\" "
	    "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" "
	    "aria-label=\"QR code for your authenticator app\" "
	    "shape-rendering=\"crispEdges\"><rect width=\"%d\" height=\"%d\" "
	    "fill=\"#fff\"/><path fill=\"#000\" d=\"", w, w, w * 5, w * 5,
	    w, w);
	for (y = 0; y < q->width; y++)
		for (x = 0; x < q->width; x++)
			if (q->data[y * q->width + x] & 1)
				buf_printf(&b, "M%d %dh1v1h-1z", x + 4, y + 4);
	buf_puts(&b, "\"/></svg>");
	QRcode_free(q);
	svg = arena_strndup(r->a, b.p, b.len);
	buf_free(&b);
	return svg;
}

/* ---- enrolment (account page and sign-in) ----------------------------- */

/* Makes sure u has a pending secret; returns it (raw) in key.  0 or a
 * status. */
static int
pending_secret(struct req *r, struct acct *u,
    unsigned char key[TOTP_SECRET_BYTES])
{
	const char *p[2];
	int n;

	if (u->sealed != NULL && unseal(r, u->sealed, key) == 0)
		return 0;
	randombytes_buf(key, TOTP_SECRET_BYTES);
	p[0] = db_i64s(r->a, u->id);
	p[1] = seal(r, key);
	if ((n = db_exec(r->db, STMT_SECURITY_TOTP_PENDING_SET, 2, p)) < 0)
		return page_db_status(n);
	u->sealed = p[1];
	return 0;
}

static int
enrol_form(struct req *r, struct acct *u, const char *action, int at_login,
    const char *code_error, int status)
{
	unsigned char key[TOTP_SECRET_BYTES];
	char uri[512], b32[TOTP_B32_LEN(TOTP_SECRET_BYTES) + 1];
	struct view *v = view_new(r->a);
	const char *svg;
	int st;

	if ((st = pending_secret(r, u, key)) != 0)
		return st;
	if (totp_uri(uri, sizeof(uri), ISSUER, u->email, key, sizeof(key))
	    < 0)
		return 500;
	totp_base32(b32, sizeof(b32), key, sizeof(key));
	sodium_memzero(key, sizeof(key));
	if ((svg = qr_svg(r, uri)) == NULL)
		return 500;
	if (r->csrf == NULL)
		r->csrf = auth_csrf_token(r);
	view_set(v, "csrf", r->csrf);
	view_set(v, "action", action);
	view_set_raw(v, "qr", svg);
	view_set(v, "secret", b32);
	view_set_bool(v, "at_login", at_login);
	if (code_error != NULL)
		view_set(v, "code_error", code_error);
	r->status = status;
	return http_page(r, TMPL_SECURITY_TOTP, v,
	    "Set up two-factor sign-in");
}

/*
 * Confirms enrolment with a code from the app: enables TOTP and makes the
 * recovery codes (*codes), in one transaction.  0, 1 (wrong code), or a
 * status.
 */
static int
enrol_confirm(struct req *r, struct acct *u, const char *code,
    const char **codes)
{
	unsigned char key[TOTP_SECRET_BYTES];
	const char *p[2], *audit[4];
	int64_t step;
	int n;

	if (u->sealed == NULL || u->enabled || unseal(r, u->sealed, key) != 0)
		return 1;
	step = totp_check(key, sizeof(key), r->now, code);
	sodium_memzero(key, sizeof(key));
	if (step < 0)
		return 1;
	if (db_begin(r->db) == -1)
		return 503;
	p[0] = db_i64s(r->a, u->id);
	p[1] = db_i64s(r->a, step);
	if ((n = db_exec(r->db, STMT_SECURITY_TOTP_ENABLE, 2, p)) != 1 ||
	    (n = codes_new(r, u->id, codes)) != 0 ||
	    (n = db_commit(r->db)) != 0) {
		db_rollback(r->db);
		return n == 0 ? 1 : page_db_status(n);
	}
	audit[0] = p[0];
	audit[1] = "user.totp_enable";
	audit[2] = arena_printf(r->a, "user:%lld", (long long)u->id);
	audit[3] = NULL;
	(void)db_exec(r->db, STMT_AUDIT_INSERT, 4, audit);
	return 0;
}

static int
codes_page(struct req *r, const char *codes, const char *continue_url)
{
	struct view *v = view_new(r->a);

	view_set(v, "codes", codes);
	view_set(v, "continue_url", continue_url);
	r->status = 200;
	http_header(r, "Cache-Control", "no-store");
	return http_page(r, TMPL_SECURITY_CODES, v, "Your recovery codes");
}

/* ---- sign-in: the hooks auth.c calls ---------------------------------- */

int
security_login_hook(struct req *r, int64_t uid, const char *next)
{
	struct acct u;
	int n;

	if ((n = acct_load(r, uid, &u)) < 0)
		return page_db_status(n);
	if (n == 0 || (!u.enabled && !u.must))
		return 0;
	pending_set(r, uid, u.enabled ? 'v' : 'e', next);
	return http_redirect(r, u.enabled ? "/login/mfa" : "/login/mfa/setup");
}

int
security_api_login_hook(struct req *r, int64_t uid, const char *code)
{
	struct acct u;
	int64_t wait;
	int n;

	if ((n = acct_load(r, uid, &u)) < 0)
		return http_error(r, page_db_status(n), "Try again shortly.");
	if (n == 0 || (!u.enabled && !u.must))
		return 0;
	if (!u.enabled) {
		json_begin(r);
		json_bool(r, "mfa_enrolment_required", 1);
		json_str(r, "error", "This account must set up two-factor "
		    "sign-in first: sign in on the website.");
		json_end(r);
		return http_json(r, 403);
	}
	if ((wait = auth_throttle_wait(r, mfa_key(r, uid))) > 0) {
		http_header(r, "Retry-After", arena_printf(r->a, "%lld",
		    (long long)wait));
		return http_error(r, 429, arena_printf(r->a, "Too many wrong "
		    "codes. Try again in %lld seconds.", (long long)wait));
	}
	if (code == NULL || *code == '\0') {
		json_begin(r);
		json_bool(r, "mfa_required", 1);
		json_str(r, "error", "Send the code from your authenticator "
		    "app (or a recovery code) as \"totp\".");
		json_end(r);
		return http_json(r, 401);
	}
	if ((n = second_ok(r, &u, code)) < 0)
		return http_error(r, page_db_status(n), "Try again shortly.");
	if (n == 0) {
		auth_throttle_fail(r, mfa_key(r, uid));
		json_begin(r);
		json_bool(r, "mfa_required", 1);
		json_str(r, "error", "Wrong or already used code.");
		json_end(r);
		return http_json(r, 401);
	}
	auth_throttle_ok(r, mfa_key(r, uid));
	return 0;
}

static int
mfa_form(struct req *r, const char *error, int status)
{
	struct view *v = view_new(r->a);

	if (r->csrf == NULL)
		r->csrf = auth_csrf_token(r);
	view_set(v, "csrf", r->csrf);
	if (error != NULL)
		view_set(v, "code_error", error);
	r->status = status;
	return http_page(r, TMPL_SECURITY_MFA, v, "Two-factor sign-in");
}

static int
start_session(struct req *r, const struct acct *u)
{
	return auth_session_start(r, u->id, u->role, u->name, u->email, 0,
	    NULL);
}

int
page_login_mfa(struct req *r)
{
	const char *next, *msg;
	struct acct u;
	int64_t uid, wait;
	int n;

	if ((uid = pending_get(r, 'v', &next)) == 0) {
		return http_redirect(r, "/login");
	}
	if (strcmp(r->method, "GET") == 0)
		return mfa_form(r, NULL, 200);
	if ((n = acct_load(r, uid, &u)) < 0)
		return page_db_status(n);
	if (n == 0 || !u.enabled) {
		pending_clear(r);
		return http_redirect(r, "/login");
	}
	if ((wait = auth_throttle_wait(r, mfa_key(r, uid))) > 0) {
		msg = arena_printf(r->a, "Too many wrong codes. Try again in "
		    "%lld seconds.", (long long)wait);
		return mfa_form(r, msg, 429);
	}
	if (r->form.nerr > 0)
		return mfa_form(r, "Enter the code.", 400);
	if ((n = second_ok(r, &u, r->form.str[F_MFA_CODE])) < 0)
		return page_db_status(n);
	if (n == 0) {
		auth_throttle_fail(r, mfa_key(r, uid));
		return mfa_form(r, "Wrong or already used code.", 401);
	}
	auth_throttle_ok(r, mfa_key(r, uid));
	pending_clear(r);
	if ((n = start_session(r, &u)) != 0)
		return n;
	return http_redirect(r, next);
}

int
page_login_mfa_setup(struct req *r)
{
	const char *next, *codes;
	struct acct u;
	int64_t uid;
	int n;

	if ((uid = pending_get(r, 'e', &next)) == 0) {
		return http_redirect(r, "/login");
	}
	if ((n = acct_load(r, uid, &u)) < 0)
		return page_db_status(n);
	if (n == 0 || u.enabled) {
		pending_clear(r);
		return http_redirect(r, "/login");
	}
	if (strcmp(r->method, "GET") == 0)
		return enrol_form(r, &u, "/login/mfa/setup", 1, NULL, 200);
	if (r->form.nerr > 0)
		return enrol_form(r, &u, "/login/mfa/setup", 1,
		    "Enter the code your app shows.", 400);
	n = enrol_confirm(r, &u, r->form.str[F_MFA_CODE], &codes);
	if (n == 1)
		return enrol_form(r, &u, "/login/mfa/setup", 1,
		    "That code does not match; check the time on your "
		    "device and try the next one.", 400);
	if (n != 0)
		return n;
	pending_clear(r);
	if ((n = start_session(r, &u)) != 0)
		return n;
	return codes_page(r, codes, next);
}

/* ---- the account's security page -------------------------------------- */

static const char *
utc(struct req *r, int64_t t)
{
	struct tm tm;
	time_t tt = (time_t)t;
	char s[32];

	gmtime_r(&tt, &tm);
	strftime(s, sizeof(s), "%Y-%m-%d %H:%M UTC", &tm);
	return arena_strdup(r->a, s);
}

static int
security_page(struct req *r, const char *form_error, int status)
{
	struct view *v = view_new(r->a), *row = view_new(r->a);
	const char *p[1];
	struct acct u;
	struct buf rows;
	int n, i, left;

	if ((n = acct_load(r, r->user.id, &u)) < 0)
		return page_db_status(n);
	p[0] = db_i64s(r->a, r->user.id);
	if ((n = db_exec(r->db, STMT_SECURITY_RECOVERY_LEFT, 1, p)) != 1)
		return page_db_status(n);
	left = (int)db_i64(r->db, 0, 0);
	if ((n = db_exec(r->db, STMT_SECURITY_SESSION_LIST, 1, p)) < 0)
		return page_db_status(n);
	buf_init(&rows);
	for (i = 0; i < n; i++) {
		view_clear(row);
		view_set(row, "id", db_str(r->db, i, 0));
		view_set(row, "started", utc(r, db_i64(r->db, i, 1)));
		view_set(row, "renewed", utc(r, db_i64(r->db, i, 2)));
		view_set(row, "expires", utc(r, db_i64(r->db, i, 3)));
		view_set(row, "ip", db_str(r->db, i, 4));
		view_set(row, "browser", db_str(r->db, i, 5));
		view_set_bool(row, "current", r->user.sid != NULL &&
		    strcmp(r->user.sid, db_str(r->db, i, 0)) == 0);
		view_set(row, "csrf", r->csrf);
		if (tmpl_render_row(TMPL_SECURITY_ROW_SESSION, row, &rows)
		    == -1) {
			buf_free(&rows);
			return 500;
		}
	}
	view_set(v, "csrf", r->csrf);
	view_set_bool(v, "totp_enabled", u.enabled);
	view_set_bool(v, "must", u.must);
	view_set_int(v, "codes_left", left);
	view_set_raw(v, "sessions", arena_strndup(r->a, rows.p ?
	    rows.p : "", rows.len));
	buf_free(&rows);
	if (form_error != NULL)
		view_set(v, "form_error", form_error);
	r->status = status;
	return http_page_nav(r, TMPL_SECURITY, v, "Sign-in and security",
	    TMPL_NAV_ACCOUNT);
}

int
page_security(struct req *r)
{
	if (http_param(r, "revoked") != NULL)
		r->flash = "The session has been signed out.";
	else if (http_param(r, "disabled") != NULL)
		r->flash = "Two-factor sign-in is off.";
	return security_page(r, NULL, 200);
}

int
page_security_totp(struct req *r)
{
	const char *codes;
	struct acct u;
	int n;

	if ((n = acct_load(r, r->user.id, &u)) < 0)
		return page_db_status(n);
	if (u.enabled)
		return http_redirect(r, "/account/security");
	if (strcmp(r->method, "GET") == 0)
		return enrol_form(r, &u, "/account/security/totp", 0, NULL,
		    200);
	if (r->form.nerr > 0)
		return enrol_form(r, &u, "/account/security/totp", 0,
		    "Enter the code your app shows.", 400);
	n = enrol_confirm(r, &u, r->form.str[F_MFA_CODE], &codes);
	if (n == 1)
		return enrol_form(r, &u, "/account/security/totp", 0,
		    "That code does not match; check the time on your "
		    "device and try the next one.", 400);
	if (n != 0)
		return n;
	return codes_page(r, codes, "/account/security");
}

/* 1 if password is the signed-in user's, 0 if not, or a db_err. */
static int
password_ok(struct req *r, const char *password, struct acct *u)
{
	int n;

	if ((n = acct_load(r, r->user.id, u)) != 1)
		return n < 0 ? n : 0;
	return password != NULL &&
	    password_verify(u->hash, password, strlen(password)) == 0;
}

/* Turns the user's TOTP off after checking the password.  0, or a status
 * with *msg for the person (400 wrong password, 403 must keep it, 5xx). */
static int
totp_off(struct req *r, const char **msg)
{
	const char *p[1];
	struct acct u;
	int n;

	*msg = "Try again shortly.";
	if (r->form.nerr > 0) {
		*msg = "Enter your password.";
		return 400;
	}
	if ((n = password_ok(r, r->form.str[F_SECPW_PASSWORD], &u)) < 0)
		return page_db_status(n);
	if (n == 0) {
		*msg = "That is not your password.";
		return 400;
	}
	if (u.must) {
		*msg = "Your account must keep two-factor sign-in.";
		return 403;
	}
	p[0] = db_i64s(r->a, r->user.id);
	if (db_begin(r->db) == -1)
		return 503;
	if ((n = db_exec(r->db, STMT_SECURITY_TOTP_DISABLE, 1, p)) < 0 ||
	    (n = db_exec(r->db, STMT_SECURITY_RECOVERY_CLEAR, 1, p)) < 0 ||
	    (n = db_commit(r->db)) != 0) {
		db_rollback(r->db);
		return page_db_status(n);
	}
	return 0;
}

/* Replaces the recovery codes after checking the password: 0 with
 * *codes, or a status with *msg. */
static int
codes_again(struct req *r, const char **codes, const char **msg)
{
	struct acct u;
	int n;

	*msg = "Try again shortly.";
	if (r->form.nerr > 0) {
		*msg = "Enter your password.";
		return 400;
	}
	if ((n = password_ok(r, r->form.str[F_SECPW_PASSWORD], &u)) < 0)
		return page_db_status(n);
	if (n == 0) {
		*msg = "That is not your password.";
		return 400;
	}
	if (!u.enabled) {
		*msg = "Turn on two-factor sign-in first.";
		return 400;
	}
	if (db_begin(r->db) == -1)
		return 503;
	if ((n = codes_new(r, r->user.id, codes)) != 0 ||
	    (n = db_commit(r->db)) != 0) {
		db_rollback(r->db);
		return page_db_status(n);
	}
	return 0;
}

int
page_security_totp_disable(struct req *r)
{
	const char *msg;
	int st;

	if ((st = totp_off(r, &msg)) >= 500)
		return st;
	if (st != 0)
		return security_page(r, msg, st);
	return http_redirect(r, "/account/security?disabled=1");
}

int
page_security_recovery(struct req *r)
{
	const char *codes, *msg;
	int st;

	if ((st = codes_again(r, &codes, &msg)) >= 500)
		return st;
	if (st != 0)
		return security_page(r, msg, st);
	return codes_page(r, codes, "/account/security");
}

/* Revokes one of the user's sessions: 0 (done), 404, or a status. */
static int
revoke(struct req *r, const char *family)
{
	const char *p[2];
	int n;

	p[0] = db_i64s(r->a, r->user.id);
	p[1] = family;
	if ((n = db_exec(r->db, STMT_SECURITY_SESSION_REVOKE, 2, p)) < 0)
		return page_db_status(n);
	return n == 0 ? 404 : 0;
}

int
page_security_session_revoke(struct req *r)
{
	const char *fam = r->form.str[F_SES_SESSION];
	int st;

	if (r->form.nerr > 0)
		return http_error(r, 400, http_form_error(&r->form));
	if ((st = revoke(r, fam)) == 404)
		return http_error(r, 404, "No such session.");
	if (st != 0)
		return st;
	if (r->user.sid != NULL && strcmp(fam, r->user.sid) == 0) {
		auth_session_end(r);
		return http_redirect(r, "/login");
	}
	return http_redirect(r, "/account/security?revoked=1");
}

/* ---- JSON twins ------------------------------------------------------- */

int
page_api_security(struct req *r)
{
	const char *p[1];
	struct acct u;
	int n, i, left;

	if ((n = acct_load(r, r->user.id, &u)) < 0)
		return http_error(r, page_db_status(n), "Try again shortly.");
	p[0] = db_i64s(r->a, r->user.id);
	if ((n = db_exec(r->db, STMT_SECURITY_RECOVERY_LEFT, 1, p)) != 1)
		return http_error(r, page_db_status(n), "Try again shortly.");
	left = (int)db_i64(r->db, 0, 0);
	if ((n = db_exec(r->db, STMT_SECURITY_SESSION_LIST, 1, p)) < 0)
		return http_error(r, page_db_status(n), "Try again shortly.");
	json_begin(r);
	json_bool(r, "two_factor", u.enabled);
	json_bool(r, "two_factor_required", u.must);
	json_i64(r, "recovery_codes_left", left);
	json_arr_begin(r, "sessions");
	for (i = 0; i < n; i++) {
		json_obj_begin(r, NULL);
		json_str(r, "id", db_str(r->db, i, 0));
		json_i64(r, "started", db_i64(r->db, i, 1));
		json_i64(r, "renewed", db_i64(r->db, i, 2));
		json_i64(r, "expires", db_i64(r->db, i, 3));
		json_str(r, "ip", db_str(r->db, i, 4));
		json_str(r, "user_agent", db_str(r->db, i, 5));
		json_bool(r, "current", r->user.sid != NULL &&
		    strcmp(r->user.sid, db_str(r->db, i, 0)) == 0);
		json_obj_end(r);
	}
	json_arr_end(r);
	json_end(r);
	return http_json(r, 200);
}

int
page_api_session_revoke(struct req *r)
{
	int st;

	if (r->form.nerr > 0)
		return http_error(r, 400, http_form_error(&r->form));
	if ((st = revoke(r, r->form.str[F_SES_SESSION])) == 404)
		return http_error(r, 404, "No such session.");
	if (st != 0)
		return http_error(r, st, "Try again shortly.");
	json_begin(r);
	json_bool(r, "revoked", 1);
	json_end(r);
	return http_json(r, 200);
}

/* {"recovery_codes":[...]} from the codes one per line (which are
 * [a-z2-7-] only, so they need no JSON escaping). */
static int
codes_json(struct req *r, const char *codes)
{
	const char *s, *e;
	struct buf arr;

	buf_init(&arr);
	buf_putc(&arr, '[');
	for (s = codes; *s != '\0'; s = *e ? e + 1 : e) {
		e = s + strcspn(s, "\n");
		buf_printf(&arr, "%s\"%.*s\"", s == codes ? "" : ",",
		    (int)(e - s), s);
	}
	buf_putc(&arr, ']');
	json_begin(r);
	json_raw(r, "recovery_codes", arena_strndup(r->a, arr.p, arr.len));
	json_end(r);
	buf_free(&arr);
	return http_json(r, 200);
}

/* POST /api/v1/me/totp: without "code", starts (or repeats) enrolment and
 * answers the secret and otpauth URI; with "code", confirms it and
 * answers the recovery codes. */
int
page_api_totp(struct req *r)
{
	unsigned char key[TOTP_SECRET_BYTES];
	char uri[512], b32[TOTP_B32_LEN(TOTP_SECRET_BYTES) + 1];
	const char *code = r->form.str[F_MFA_CODE], *codes;
	struct acct u;
	int n;

	if ((n = acct_load(r, r->user.id, &u)) < 0)
		return http_error(r, page_db_status(n), "Try again shortly.");
	if (u.enabled)
		return http_error(r, 409, "Two-factor sign-in is already on.");
	if (code == NULL || *code == '\0') {
		if ((n = pending_secret(r, &u, key)) != 0)
			return http_error(r, n, "Try again shortly.");
		totp_uri(uri, sizeof(uri), ISSUER, u.email, key, sizeof(key));
		totp_base32(b32, sizeof(b32), key, sizeof(key));
		sodium_memzero(key, sizeof(key));
		json_begin(r);
		json_str(r, "secret", b32);
		json_str(r, "otpauth_uri", uri);
		json_end(r);
		return http_json(r, 200);
	}
	n = enrol_confirm(r, &u, code, &codes);
	if (n == 1)
		return http_error(r, 400, "That code does not match.");
	if (n != 0)
		return http_error(r, n, "Try again shortly.");
	return codes_json(r, codes);
}

int
page_api_totp_disable(struct req *r)
{
	const char *msg;
	int st;

	if ((st = totp_off(r, &msg)) != 0)
		return http_error(r, st, msg);
	json_begin(r);
	json_bool(r, "two_factor", 0);
	json_end(r);
	return http_json(r, 200);
}

int
page_api_recovery(struct req *r)
{
	const char *codes, *msg;
	int st;

	if ((st = codes_again(r, &codes, &msg)) != 0)
		return http_error(r, st, msg);
	return codes_json(r, codes);
}

/* ---- personal data ---------------------------------------------------- */

static int
data_page(struct req *r, const char *form_error, int status)
{
	struct view *v = view_new(r->a);

	view_set(v, "csrf", r->csrf);
	if (form_error != NULL)
		view_set(v, "form_error", form_error);
	r->status = status;
	return http_page_nav(r, TMPL_SECURITY_DATA, v, "Your data",
	    TMPL_NAV_ACCOUNT);
}

int
page_data(struct req *r)
{
	return data_page(r, NULL, 200);
}

int
page_api_export(struct req *r)
{
	const char *p[1];
	int n;

	p[0] = db_i64s(r->a, r->user.id);
	if ((n = db_exec(r->db, STMT_SECURITY_EXPORT, 1, p)) != 1)
		return http_error(r, page_db_status(n), "Try again shortly.");
	buf_puts(r->body, db_str(r->db, 0, 0));
	http_header(r, "Content-Disposition",
	    "attachment; filename=\"adept-my-data.json\"");
	http_header(r, "Cache-Control", "no-store");
	return http_json(r, 200);
}

/* Anonymises the signed-in account (see security.sql).  0 or a status. */
static int
delete_me(struct req *r)
{
	const char *p[4];
	int n;

	p[0] = db_i64s(r->a, r->user.id);
	if (db_begin(r->db) == -1)
		return 503;
	if ((n = db_exec(r->db, STMT_SECURITY_DELETE_USER, 1, p)) != 1 ||
	    (n = db_exec(r->db, STMT_SECURITY_DELETE_EVENTS, 1, p)) < 0 ||
	    (n = db_exec(r->db, STMT_SECURITY_DELETE_PERSONAL, 1, p)) < 0 ||
	    (n = db_exec(r->db, STMT_REFRESH_REVOKE_USER, 1, p)) < 0) {
		db_rollback(r->db);
		return page_db_status(n < 0 ? n : DB_HARD);
	}
	p[1] = "user.delete_on_request";
	p[2] = arena_printf(r->a, "user:%lld", (long long)r->user.id);
	p[3] = NULL;
	if ((n = db_exec(r->db, STMT_AUDIT_INSERT, 4, p)) < 0 ||
	    (n = db_commit(r->db)) != 0) {
		db_rollback(r->db);
		return page_db_status(n);
	}
	log_msg("%s: user %lld deleted on request", r->id,
	    (long long)r->user.id);
	auth_session_end(r);
	return 0;
}

int
page_data_delete(struct req *r)
{
	const struct http_form *f = &r->form;
	struct acct u;
	int n;

	if (f->nerr > 0 || strcmp(f->str[F_DEL_CONFIRM], "DELETE") != 0)
		return data_page(r, "Enter your password and type DELETE to "
		    "confirm.", 400);
	if ((n = password_ok(r, f->str[F_DEL_PASSWORD], &u)) < 0)
		return page_db_status(n);
	if (n == 0)
		return data_page(r, "That is not your password.", 400);
	if ((n = delete_me(r)) != 0)
		return n;
	return http_redirect(r, "/?deleted=1");
}

int
page_api_data_delete(struct req *r)
{
	const struct http_form *f = &r->form;
	struct acct u;
	int n;

	if (f->nerr > 0 || strcmp(f->str[F_DEL_CONFIRM], "DELETE") != 0)
		return http_error(r, 400, "Send your password and "
		    "\"confirm\":\"DELETE\".");
	if ((n = password_ok(r, f->str[F_DEL_PASSWORD], &u)) < 0)
		return http_error(r, page_db_status(n), "Try again shortly.");
	if (n == 0)
		return http_error(r, 403, "That is not your password.");
	if ((n = delete_me(r)) != 0)
		return http_error(r, n, "Try again shortly.");
	json_begin(r);
	json_bool(r, "deleted", 1);
	json_end(r);
	return http_json(r, 200);
}
