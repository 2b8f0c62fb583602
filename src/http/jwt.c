/*
 * jwt: HS256 access tokens around libjwt 1.10; see jwt.h for the checks
 * and the claims.  The one decision: we parse and check the token
 * ourselves (structure, header, HMAC, claims) and use libjwt to sign and
 * as a second, agreeing verifier, never as the one deciding policy.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <jwt.h>
#include <sodium.h>

#include "base/token.h"
#include "http/jwt.h"

#define SIG_LEN		32			/* HMAC-SHA256 */
#define SIG_B64_LEN	TOKEN_B64URL_LEN(SIG_LEN)	/* 43 */
#define JTI_BYTES	16

static const char *const err_names[HTTP_JWT__MAX] = {
	[HTTP_JWT_OK] = "ok",
	[HTTP_JWT_TOO_LONG] = "token too long",
	[HTTP_JWT_MALFORMED] = "malformed token",
	[HTTP_JWT_BAD_ALG] = "algorithm not HS256",
	[HTTP_JWT_BAD_SIG] = "bad signature",
	[HTTP_JWT_EXPIRED] = "expired",
	[HTTP_JWT_NOT_YET_VALID] = "not yet valid",
	[HTTP_JWT_BAD_ISS] = "wrong issuer",
	[HTTP_JWT_BAD_AUD] = "wrong audience",
	[HTTP_JWT_BAD_CONF] = "bad configuration or argument",
	[HTTP_JWT_NOMEM] = "out of memory",
};

const char *
http_jwt_strerror(enum http_jwt_err e)
{
	if ((unsigned)e >= HTTP_JWT__MAX)
		return "unknown error";
	return err_names[e];
}

static int
conf_ok(const struct http_jwt_conf *c)
{
	return c != NULL && c->key != NULL && c->keylen >= HTTP_JWT_KEY_MIN &&
	    c->keylen <= INT_MAX && c->iss != NULL && c->iss[0] != '\0' &&
	    c->aud != NULL && c->aud[0] != '\0' && c->ttl >= 0;
}

static int
is_b64url(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char ch = s[i];

		if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
		    (ch >= '0' && ch <= '9') || ch == '-' || ch == '_'))
			return 0;
	}
	return 1;
}

/* [a-z_]{1,HTTP_JWT_ROLE_MAX} */
static int
valid_role(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > HTTP_JWT_ROLE_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || s[i] == '_'))
			return 0;
	return 1;
}

static int
valid_id(const char *s, size_t n, size_t max)
{
	return n > 0 && n <= max && is_b64url(s, n);
}

/* Strict positive decimal int64, no sign, no leading zero. */
static int
parse_sub(const char *s, size_t n, int64_t *out)
{
	int64_t v = 0;
	size_t i;

	if (n == 0 || n > 19 || s[0] == '0')
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		if (v > (INT64_MAX - (s[i] - '0')) / 10)
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/* Base64url segment -> JSON object (duplicate keys rejected), or NULL. */
static json_t *
segment_json(const char *s, size_t n)
{
	char buf[HTTP_JWT_MAX_LEN];
	json_error_t jerr;
	json_t *j;
	long m;

	m = token_b64url_decode(buf, sizeof(buf), s, n);
	if (m <= 0)
		return NULL;
	/*
	 * JSON text never holds a raw NUL, but jansson's json_loadb() skips
	 * one, while libjwt parses the NUL-terminated string and stops there:
	 * refuse it so both parsers see the same text (found by fuzz_jwt).
	 */
	if (memchr(buf, '\0', (size_t)m) != NULL)
		return NULL;
	j = json_loadb(buf, (size_t)m, JSON_REJECT_DUPLICATES, &jerr);
	if (j != NULL && !json_is_object(j)) {
		json_decref(j);
		j = NULL;
	}
	return j;
}

static enum http_jwt_err
check_header(const json_t *h)
{
	const json_t *alg, *typ;

	alg = json_object_get(h, "alg");
	if (!json_is_string(alg))
		return HTTP_JWT_MALFORMED;
	if (strcmp(json_string_value(alg), "HS256") != 0 ||
	    json_string_length(alg) != 5)
		return HTTP_JWT_BAD_ALG;
	typ = json_object_get(h, "typ");
	if (typ != NULL && (!json_is_string(typ) ||
	    strcmp(json_string_value(typ), "JWT") != 0))
		return HTTP_JWT_MALFORMED;
	/* We implement no extension, so any "crit" must fail (RFC 7515). */
	if (json_object_get(h, "crit") != NULL)
		return HTTP_JWT_MALFORMED;
	return HTTP_JWT_OK;
}

static enum http_jwt_err
check_sig(const struct http_jwt_conf *c, const char *tok, size_t signedlen,
    const char *sig, size_t siglen)
{
	unsigned char want[SIG_LEN], got[SIG_LEN];
	crypto_auth_hmacsha256_state st;
	int ok;

	if (siglen != SIG_B64_LEN ||
	    token_b64url_decode(got, sizeof(got), sig, siglen) != SIG_LEN)
		return HTTP_JWT_BAD_SIG;
	crypto_auth_hmacsha256_init(&st, c->key, c->keylen);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)tok,
	    signedlen);
	crypto_auth_hmacsha256_final(&st, want);
	ok = sodium_memcmp(want, got, SIG_LEN) == 0;
	sodium_memzero(&st, sizeof(st));
	return ok ? HTTP_JWT_OK : HTTP_JWT_BAD_SIG;
}

/* Second opinion: libjwt, always with the key, must agree on HS256. */
static enum http_jwt_err
check_libjwt(const struct http_jwt_conf *c, const char *tok)
{
	jwt_t *j = NULL;
	jwt_alg_t alg;
	int rc;

	rc = jwt_decode(&j, tok, c->key, (int)c->keylen);
	if (rc != 0 || j == NULL) {
		if (j != NULL)
			jwt_free(j);
		return rc == ENOMEM ? HTTP_JWT_NOMEM : HTTP_JWT_BAD_SIG;
	}
	alg = jwt_get_alg(j);
	jwt_free(j);
	return alg == JWT_ALG_HS256 ? HTTP_JWT_OK : HTTP_JWT_BAD_ALG;
}

static int
get_str(const json_t *o, const char *name, const char **s, size_t *n)
{
	const json_t *v = json_object_get(o, name);

	if (!json_is_string(v))
		return -1;
	*s = json_string_value(v);
	*n = json_string_length(v);
	return 0;
}

static int
get_int(const json_t *o, const char *name, int64_t *out)
{
	const json_t *v = json_object_get(o, name);

	if (!json_is_integer(v))
		return -1;
	*out = (int64_t)json_integer_value(v);
	return 0;
}

static int
aud_ok(const json_t *aud, const char *want)
{
	const json_t *v;
	size_t i;

	if (json_is_string(aud))
		return strcmp(json_string_value(aud), want) == 0;
	if (!json_is_array(aud))
		return 0;
	json_array_foreach(aud, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), want) == 0)
			return 1;
	return 0;
}

/* a + b clamped to the int64 range (b is a small leeway). */
static int64_t
add_sat(int64_t a, int64_t b)
{
	if (b > 0 && a > INT64_MAX - b)
		return INT64_MAX;
	if (b < 0 && a < INT64_MIN - b)
		return INT64_MIN;
	return a + b;
}

static enum http_jwt_err
check_claims(const struct http_jwt_conf *c, const json_t *p, int64_t now,
    struct http_jwt_claims *cl)
{
	const char *s;
	size_t n;

	if (get_str(p, "iss", &s, &n) != 0 || strcmp(s, c->iss) != 0)
		return HTTP_JWT_BAD_ISS;
	if (!aud_ok(json_object_get(p, "aud"), c->aud))
		return HTTP_JWT_BAD_AUD;

	if (get_str(p, "sub", &s, &n) != 0 || parse_sub(s, n, &cl->sub) != 0)
		return HTTP_JWT_MALFORMED;
	if (get_str(p, "role", &s, &n) != 0 || !valid_role(s, n))
		return HTTP_JWT_MALFORMED;
	memcpy(cl->role, s, n + 1);
	if (get_str(p, "sid", &s, &n) != 0 ||
	    !valid_id(s, n, HTTP_JWT_SID_MAX))
		return HTTP_JWT_MALFORMED;
	memcpy(cl->sid, s, n + 1);
	if (get_str(p, "jti", &s, &n) != 0 ||
	    !valid_id(s, n, HTTP_JWT_JTI_LEN))
		return HTTP_JWT_MALFORMED;
	memcpy(cl->jti, s, n + 1);
	if (get_int(p, "iat", &cl->iat) != 0 ||
	    get_int(p, "nbf", &cl->nbf) != 0 ||
	    get_int(p, "exp", &cl->exp) != 0)
		return HTTP_JWT_MALFORMED;
	return http_jwt_check_time(cl, now);
}

enum http_jwt_err
http_jwt_check_time(const struct http_jwt_claims *cl, int64_t now)
{
	if (add_sat(now, -HTTP_JWT_LEEWAY) >= cl->exp)
		return HTTP_JWT_EXPIRED;
	if (cl->nbf > add_sat(now, HTTP_JWT_LEEWAY) ||
	    cl->iat > add_sat(now, HTTP_JWT_LEEWAY))
		return HTTP_JWT_NOT_YET_VALID;
	return HTTP_JWT_OK;
}

enum http_jwt_err
http_jwt_verify(const struct http_jwt_conf *c, const char *tok, int64_t now,
    struct http_jwt_claims *cl)
{
	json_t *hdr = NULL, *pay = NULL;
	const char *d1, *d2;
	enum http_jwt_err e;
	size_t len;

	memset(cl, 0, sizeof(*cl));
	if (!conf_ok(c))
		return HTTP_JWT_BAD_CONF;
	if (tok == NULL)
		return HTTP_JWT_MALFORMED;
	len = strnlen(tok, HTTP_JWT_MAX_LEN + 1);
	if (len > HTTP_JWT_MAX_LEN)
		return HTTP_JWT_TOO_LONG;

	/*
	 * header "." payload "." signature, all base64url, header and payload
	 * non-empty.  An empty signature passes here so that an alg "none"
	 * token is reported as HTTP_JWT_BAD_ALG; check_sig() refuses it.
	 */
	if ((d1 = memchr(tok, '.', len)) == NULL ||
	    (d2 = memchr(d1 + 1, '.', len - (size_t)(d1 + 1 - tok))) == NULL ||
	    d1 == tok || d2 == d1 + 1)
		return HTTP_JWT_MALFORMED;
	if (!is_b64url(tok, (size_t)(d1 - tok)) ||
	    !is_b64url(d1 + 1, (size_t)(d2 - d1 - 1)) ||
	    !is_b64url(d2 + 1, (size_t)(tok + len - d2 - 1)))
		return HTTP_JWT_MALFORMED;	/* also catches a third '.' */

	token_sodium_init();
	if ((hdr = segment_json(tok, (size_t)(d1 - tok))) == NULL) {
		e = HTTP_JWT_MALFORMED;
		goto out;
	}
	if ((e = check_header(hdr)) != HTTP_JWT_OK)
		goto out;
	if ((e = check_sig(c, tok, (size_t)(d2 - tok), d2 + 1,
	    (size_t)(tok + len - d2 - 1))) != HTTP_JWT_OK)
		goto out;
	/* The payload is parsed only once it is known to be ours. */
	if ((pay = segment_json(d1 + 1, (size_t)(d2 - d1 - 1))) == NULL) {
		e = HTTP_JWT_MALFORMED;
		goto out;
	}
	if ((e = check_libjwt(c, tok)) != HTTP_JWT_OK)
		goto out;
	e = check_claims(c, pay, now, cl);
out:
	json_decref(hdr);
	json_decref(pay);
	if (e != HTTP_JWT_OK)
		memset(cl, 0, sizeof(*cl));
	return e;
}

enum http_jwt_err
http_jwt_issue(const struct http_jwt_conf *c, int64_t sub, const char *role,
    const char *sid, int64_t now, char *out, size_t outsz,
    struct http_jwt_claims *claims)
{
	struct http_jwt_claims cl;
	char subs[24];
	enum http_jwt_err e;
	jwt_t *j = NULL;
	char *s = NULL;
	int64_t ttl;
	size_t n;

	if (outsz > 0)
		out[0] = '\0';
	if (!conf_ok(c) || sub <= 0 || role == NULL || sid == NULL ||
	    !valid_role(role, strlen(role)) ||
	    !valid_id(sid, strlen(sid), HTTP_JWT_SID_MAX) || outsz == 0)
		return HTTP_JWT_BAD_CONF;
	ttl = c->ttl ? c->ttl : HTTP_JWT_TTL;
	if (now > INT64_MAX - ttl)
		return HTTP_JWT_BAD_CONF;

	memset(&cl, 0, sizeof(cl));
	cl.sub = sub;
	memcpy(cl.role, role, strlen(role) + 1);
	memcpy(cl.sid, sid, strlen(sid) + 1);
	if (token_random_str(cl.jti, sizeof(cl.jti), JTI_BYTES) != 0)
		return HTTP_JWT_BAD_CONF;
	cl.iat = cl.nbf = now;
	cl.exp = now + ttl;
	snprintf(subs, sizeof(subs), "%lld", (long long)sub);

	e = HTTP_JWT_NOMEM;
	if (jwt_new(&j) != 0)
		goto out;
	if (jwt_set_alg(j, JWT_ALG_HS256, c->key, (int)c->keylen) != 0 ||
	    jwt_add_grant(j, "iss", c->iss) != 0 ||
	    jwt_add_grant(j, "aud", c->aud) != 0 ||
	    jwt_add_grant(j, "sub", subs) != 0 ||
	    jwt_add_grant(j, "role", cl.role) != 0 ||
	    jwt_add_grant(j, "sid", cl.sid) != 0 ||
	    jwt_add_grant(j, "jti", cl.jti) != 0 ||
	    jwt_add_grant_int(j, "iat", (long)cl.iat) != 0 ||
	    jwt_add_grant_int(j, "nbf", (long)cl.nbf) != 0 ||
	    jwt_add_grant_int(j, "exp", (long)cl.exp) != 0)
		goto out;
	if ((s = jwt_encode_str(j)) == NULL)
		goto out;
	n = strlen(s);
	if (n > HTTP_JWT_MAX_LEN || n >= outsz) {
		e = HTTP_JWT_TOO_LONG;
		goto out;
	}
	memcpy(out, s, n + 1);
	if (claims != NULL)
		*claims = cl;
	e = HTTP_JWT_OK;
out:
	free(s);
	if (j != NULL)
		jwt_free(j);
	return e;
}
