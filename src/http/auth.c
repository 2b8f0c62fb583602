/*
 * auth: see auth.h.  Keys are derived once per process from the site secret
 * (token_subkey), one per purpose, so a leaked CSRF token says nothing
 * about the JWT key.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <fcgiapp.h>

#include "base/arena.h"
#include "base/config.h"
#include "base/log.h"
#include "base/throttle.h"
#include "base/token.h"
#include "db/db.h"
#include "http/auth.h"
#include "http/auth_cache.h"
#include "http/csrf.h"
#include "http/jwt.h"
#include "http/server.h"

static struct {
	unsigned char	jwt[TOKEN_KEY_BYTES];
	unsigned char	csrf[TOKEN_KEY_BYTES];
	char		iss[64];
} keys;

void
auth_init(const struct config *cfg)
{
	token_sodium_init();
	token_subkey(keys.jwt, cfg->secret, sizeof(cfg->secret), "jwt");
	token_subkey(keys.csrf, cfg->secret, sizeof(cfg->secret), "csrf");
	snprintf(keys.iss, sizeof(keys.iss), "%s", cfg->issuer);
}

static void
jwt_conf(struct http_jwt_conf *c)
{
	c->key = keys.jwt;
	c->keylen = sizeof(keys.jwt);
	c->iss = keys.iss;
	c->aud = keys.iss;
	c->ttl = HTTP_JWT_TTL;
}

static const char *
cookie(const struct req *r, const char *name)
{
	return http_param_value(r->cookies, r->ncookies, name);
}

static void
set_cookie_path(struct req *r, const char *name, const char *value,
    long max_age, const char *path)
{
	char v[4300];

	snprintf(v, sizeof(v), "%s=%s; Path=%s; Max-Age=%ld; HttpOnly; "
	    "SameSite=Lax%s", name, value, path, max_age,
	    r->https || r->cfg->secure_cookies ? "; Secure" : "");
	http_header(r, "Set-Cookie", v);
}

static void
clear_cookies(struct req *r)
{
	set_cookie_path(r, AUTH_COOKIE_ACCESS, "", 0, "/");
	set_cookie_path(r, AUTH_COOKIE_REFRESH, "", 0, "/");
}

static void
set_session_cookies(struct req *r, const struct auth_tokens *t)
{
	/* The access cookie outlives the JWT so an expired one still names
	 * the user for a refresh; the JWT's exp is what counts. */
	set_cookie_path(r, AUTH_COOKIE_ACCESS, t->access, AUTH_REFRESH_TTL,
	    "/");
	set_cookie_path(r, AUTH_COOKIE_REFRESH, t->refresh, AUTH_REFRESH_TTL,
	    "/");
}

/* The session's CSRF form token (csrf.h), bound to its family. */
static int
session_csrf(const char *sid, char out[HTTP_CSRF_TOKEN_LEN + 1])
{
	return http_csrf_token(keys.csrf, HTTP_CSRF_SESS, sid, "form", out);
}

/* Keeps the identity just loaded for cl under token in the thread's
 * session cache (auth_cache.h). */
static void
keep_user(struct req *r, const struct http_jwt_claims *cl, const char *token,
    long unread)
{
	struct auth_cache_entry *e;

	if ((e = auth_cache_put(r->authc, token, r->now)) == NULL)
		return;
	e->claims = *cl;
	e->uid = r->user.id;
	e->unread = unread;
	if ((size_t)snprintf(e->name, sizeof(e->name), "%s", r->user.name) >=
	    sizeof(e->name) ||
	    (size_t)snprintf(e->email, sizeof(e->email), "%s",
	    r->user.email) >= sizeof(e->email) ||
	    (size_t)snprintf(e->role, sizeof(e->role), "%s",
	    r->user.role_name) >= sizeof(e->role) ||
	    session_csrf(cl->sid, e->csrf) == -1) {
		e->gen = 0;	/* does not fit: not kept */
		return;
	}
	r->user.cached = e;
}

/* Loads the user named by verified claims, keeping the answer under token
 * in the session cache unless token is NULL.  0, -1 (no such live
 * session), or 503. */
static int
load_user(struct req *r, const struct http_jwt_claims *cl, const char *token)
{
	const char *p[2];
	int n;

	p[0] = db_i64s(r->a, cl->sub);
	p[1] = cl->sid;
	n = db_exec(r->db, STMT_USER_SESSION_GET, 2, p);
	if (n == DB_RETRY)
		return 503;
	if (n != 1)
		return -1;
	r->user.id = db_i64(r->db, 0, 0);
	r->user.name = arena_strdup(r->a, db_str(r->db, 0, 1));
	r->user.email = arena_strdup(r->a, db_str(r->db, 0, 2));
	r->user.role_name = arena_strdup(r->a, db_str(r->db, 0, 3));
	r->user.role = role_parse(r->user.role_name);
	r->user.sid = arena_strdup(r->a, cl->sid);
	if (token != NULL)
		keep_user(r, cl, token, (long)db_i64(r->db, 0, 4));
	return 0;
}

#define TOKEN_BAD	(-1)	/* not a valid access token now */
#define TOKEN_ENDED	(-2)	/* valid, but its session or user is not */

/*
 * Who an access token names: 0 with r->user set, TOKEN_BAD, TOKEN_ENDED or
 * 503.  A token the thread's session cache holds is answered from it; any
 * other is verified and its user loaded, then kept.
 */
static int
token_user(struct req *r, const char *tok)
{
	const struct auth_cache_entry *e;
	struct http_jwt_conf c;
	struct http_jwt_claims cl;
	int keep, st;

	keep = r->authc != NULL && auth_cache_sync(r->authc, r->db) == 0;
	if (keep && (e = auth_cache_get(r->authc, tok, r->now)) != NULL) {
		r->user.id = e->uid;
		r->user.name = arena_strdup(r->a, e->name);
		r->user.email = arena_strdup(r->a, e->email);
		r->user.role_name = arena_strdup(r->a, e->role);
		r->user.role = role_parse(r->user.role_name);
		r->user.sid = arena_strdup(r->a, e->claims.sid);
		r->user.cached = e;
		return 0;
	}
	jwt_conf(&c);
	if (http_jwt_verify(&c, tok, r->now, &cl) != HTTP_JWT_OK)
		return TOKEN_BAD;
	if ((st = load_user(r, &cl, keep ? tok : NULL)) == 503)
		return 503;
	return st == 0 ? 0 : TOKEN_ENDED;
}

long
auth_unread(struct req *r)
{
	if (r->authc == NULL || r->user.cached == NULL)
		return -1;
	/* A change this request made is applied before the count is used. */
	auth_cache_drain(r->authc, r->db);
	return auth_cache_valid(r->authc, r->user.cached) ?
	    r->user.cached->unread : -1;
}

static int
issue(struct req *r, int64_t uid, const char *role, const char *family,
    struct auth_tokens *out)
{
	struct http_jwt_conf c;
	char hash[TOKEN_HASH_HEX_LEN + 1];
	const char *p[6];
	enum http_jwt_err e;
	int n;

	jwt_conf(&c);
	e = http_jwt_issue(&c, uid, role, family, r->now, out->access,
	    sizeof(out->access), NULL);
	if (e != HTTP_JWT_OK) {
		log_msg("%s: jwt issue: %s", r->id, http_jwt_strerror(e));
		return 500;
	}
	token_random(out->refresh);
	token_hash_hex(out->refresh, strlen(out->refresh), hash);
	p[0] = db_i64s(r->a, uid);
	p[1] = family;
	p[2] = hash;
	p[3] = db_i64s(r->a, AUTH_REFRESH_TTL);
	p[4] = r->remote_addr;
	p[5] = r->fcgi != NULL ? FCGX_GetParam("HTTP_USER_AGENT",
	    ((FCGX_Request *)r->fcgi)->envp) : NULL;
	n = db_exec(r->db, STMT_REFRESH_INSERT, 6, p);
	if (n != 1)
		return n == DB_RETRY ? 503 : 500;
	out->expires_in = HTTP_JWT_TTL;
	return 0;
}

int
auth_session_start(struct req *r, int64_t uid, const char *role,
    const char *name, const char *email, int api, struct auth_tokens *out)
{
	char family[TOKEN_STR_LEN + 1];
	struct auth_tokens local;
	int st;

	if (out == NULL)
		out = &local;
	token_random(family);
	if ((st = issue(r, uid, role, family, out)) != 0)
		return st;
	if (!api)
		set_session_cookies(r, out);
	r->user.id = uid;
	r->user.role_name = arena_strdup(r->a, role);
	r->user.role = role_parse(role);
	r->user.name = arena_strdup(r->a, name);
	r->user.email = arena_strdup(r->a, email);
	r->user.sid = arena_strdup(r->a, family);
	r->user.bearer = api;
	return 0;
}

int
auth_refresh(struct req *r, const char *refresh, int api,
    struct auth_tokens *out)
{
	char hash[TOKEN_HASH_HEX_LEN + 1];
	const char *p[1], *family, *role;
	int64_t uid, tid;
	int n, used, revoked, expired, active, st;

	if (refresh == NULL || strlen(refresh) != TOKEN_STR_LEN)
		return 401;
	token_hash_hex(refresh, strlen(refresh), hash);
	p[0] = hash;
	if (db_begin(r->db) == -1)
		return 503;
	n = db_exec(r->db, STMT_REFRESH_LOOKUP, 1, p);
	if (n < 0) {
		db_rollback(r->db);
		return n == DB_RETRY ? 503 : 500;
	}
	if (n == 0) {
		db_rollback(r->db);
		return 401;
	}
	tid = db_i64(r->db, 0, 0);
	uid = db_i64(r->db, 0, 1);
	family = arena_strdup(r->a, db_str(r->db, 0, 2));
	used = db_bool(r->db, 0, 3);
	revoked = db_bool(r->db, 0, 4);
	expired = db_bool(r->db, 0, 5);
	role = arena_strdup(r->a, db_str(r->db, 0, 6));
	active = db_bool(r->db, 0, 7);
	if (used && !revoked) {
		/* A rotated token came back: someone holds a copy.  End the
		 * whole family, the thief's and the owner's. */
		p[0] = family;
		n = db_exec(r->db, STMT_REFRESH_REVOKE_FAMILY, 1, p);
		if (n < 0 || db_commit(r->db) == -1) {
			db_rollback(r->db);
			return 503;
		}
		log_msg("%s: refresh token reuse for user %lld: family revoked",
		    r->id, (long long)uid);
		return 401;
	}
	if (used || revoked || expired || !active) {
		db_rollback(r->db);
		return 401;
	}
	p[0] = db_i64s(r->a, tid);
	if (db_exec(r->db, STMT_REFRESH_MARK_USED, 1, p) != 1 ||
	    (st = issue(r, uid, role, family, out)) != 0 ||
	    db_commit(r->db) == -1) {
		db_rollback(r->db);
		return 503;
	}
	if (!api)
		set_session_cookies(r, out);
	return 0;
}

int
auth_identify(struct req *r)
{
	struct auth_tokens t;
	const char *tok, *rt;
	int st;

	memset(&r->user, 0, sizeof(r->user));
	if (r->is_api && r->authz != NULL &&
	    strncasecmp(r->authz, "Bearer ", 7) == 0) {
		if ((st = token_user(r, r->authz + 7)) == 0) {
			r->user.bearer = 1;
			return 0;
		}
		return st == 503 ? 503 : 401;
	}
	tok = cookie(r, AUTH_COOKIE_ACCESS);
	if (tok != NULL && *tok != '\0') {
		st = token_user(r, tok);
		if (st == 0 || st == 503)
			return st;
		if (st == TOKEN_ENDED) {
			/* Revoked session: forget the cookies. */
			memset(&r->user, 0, sizeof(r->user));
			clear_cookies(r);
			return 0;
		}
	}
	rt = cookie(r, AUTH_COOKIE_REFRESH);
	if (rt != NULL && *rt != '\0') {
		st = auth_refresh(r, rt, 0, &t);
		if (st == 503)
			return 503;
		if (st == 0) {
			st = token_user(r, t.access);
			if (st == 0 || st == 503)
				return st;
		}
		memset(&r->user, 0, sizeof(r->user));
		clear_cookies(r);
	} else if (tok != NULL && *tok != '\0')
		clear_cookies(r);
	return 0;
}

const char *
auth_csrf_token(struct req *r)
{
	char tok[HTTP_CSRF_TOKEN_LEN + 1], pre[HTTP_CSRF_TOKEN_LEN + 1];
	char hdr[HTTP_CSRF_COOKIE_HDR_MAX];
	const char *name = r->https ? HTTP_CSRF_COOKIE_TLS : HTTP_CSRF_COOKIE;
	const char *v;

	if (r->user.id != 0) {
		/* The cache keeps it: the same HMAC of the same family. */
		if (r->user.cached != NULL)
			return arena_strdup(r->a, r->user.cached->csrf);
		if (session_csrf(r->user.sid, tok) == -1)
			return "";
		return arena_strdup(r->a, tok);
	}
	v = cookie(r, name);
	if (v == NULL || strlen(v) != HTTP_CSRF_TOKEN_LEN) {
		/* API calls need no pre-session cookie: they carry JSON. */
		if (r->is_api)
			return "";
		http_csrf_cookie_new(pre);
		if (http_csrf_cookie_header(hdr, sizeof(hdr), pre, r->https)
		    == 0)
			http_header(r, "Set-Cookie", hdr);
		v = pre;
	}
	if (http_csrf_token(keys.csrf, HTTP_CSRF_ANON, v, "form", tok) == -1)
		return "";
	return arena_strdup(r->a, tok);
}

int
auth_csrf_check(struct req *r)
{
	const char *sent, *pre;

	if (r->user.bearer)
		return 1;
	sent = http_param(r, HTTP_CSRF_FIELD);
	if (sent == NULL)
		sent = r->csrf_hdr;
	if (sent == NULL)
		return 0;
	if (r->user.id != 0)
		return http_csrf_verify(keys.csrf, HTTP_CSRF_SESS, r->user.sid,
		    "form", sent) == 0;
	pre = cookie(r, r->https ? HTTP_CSRF_COOKIE_TLS : HTTP_CSRF_COOKIE);
	return http_csrf_verify(keys.csrf, HTTP_CSRF_ANON, pre, "form",
	    sent) == 0;
}

void
auth_session_end(struct req *r)
{
	const char *p[1];

	if (r->user.sid != NULL) {
		p[0] = r->user.sid;
		(void)db_exec(r->db, STMT_REFRESH_REVOKE_FAMILY, 1, p);
	}
	clear_cookies(r);
}

/* ---- sign-in throttling ---------------------------------------------- */

static const char *
acct_key(struct req *r, const char *email)
{
	char *k = arena_printf(r->a, "acct:%s", email ? email : "");
	char *p;

	for (p = k; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return k;
}

static int64_t
wait_for(struct req *r, const char *key, const struct throttle_policy *pol)
{
	const char *p[1] = { key };

	if (db_exec(r->db, STMT_LOGIN_FAILURES_GET, 1, p) != 1)
		return 0;
	return throttle_wait(pol, db_i64(r->db, 0, 0), db_i64(r->db, 0, 1),
	    r->now);
}

int64_t
auth_throttle_wait(struct req *r, const char *email)
{
	int64_t a, b;

	a = wait_for(r, acct_key(r, email), &throttle_account);
	b = wait_for(r, arena_printf(r->a, "addr:%s", r->remote_addr),
	    &throttle_address);
	return a > b ? a : b;
}

void
auth_throttle_fail(struct req *r, const char *email)
{
	const char *p[1];

	p[0] = acct_key(r, email);
	(void)db_exec(r->db, STMT_LOGIN_FAILURE_ADD, 1, p);
	p[0] = arena_printf(r->a, "addr:%s", r->remote_addr);
	(void)db_exec(r->db, STMT_LOGIN_FAILURE_ADD, 1, p);
}

void
auth_throttle_ok(struct req *r, const char *email)
{
	const char *p[1];

	p[0] = acct_key(r, email);
	(void)db_exec(r->db, STMT_LOGIN_FAILURES_CLEAR, 1, p);
}
