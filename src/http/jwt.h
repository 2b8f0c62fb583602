/*
 * jwt: our access tokens, HS256 JWTs issued and checked through libjwt.
 *
 * Design decision: libjwt 1.10 is not trusted with policy.  It accepts a
 * token unverified when the key is NULL, never checks exp/nbf, and verifies
 * whatever HS algorithm the header names.  So http_jwt_verify():
 *   1. rejects tokens over HTTP_JWT_MAX_LEN before looking at them;
 *   2. parses the token itself: exactly three strictly base64url segments
 *      (header and payload non-empty); the header is a JSON object without
 *      duplicate keys whose alg is exactly "HS256" (else HTTP_JWT_BAD_ALG),
 *      typ, if present, "JWT", and no "crit";
 *   3. checks the HMAC-SHA256 of "header.payload" itself with libsodium
 *      (constant-time), so an attacker never gets a timing oracle from any
 *      libjwt build (upstream 1.10.2 compared with strcmp, CVE-2024-25189;
 *      Debian's 1.10.2-1+deb12u1 uses a constant-time jwt_strcmp);
 *   4. only then parses the payload: a JSON object without duplicate keys;
 *   5. has libjwt decode the same token, always with the key, and requires
 *      it to agree and to report JWT_ALG_HS256;
 *   6. checks the claims against `now` (an argument: no clock here).
 *
 * Claims (all required on verify, all written on issue):
 *   iss   string, == conf->iss                      (else HTTP_JWT_BAD_ISS)
 *   aud   string == conf->aud, or an array holding it (else HTTP_JWT_BAD_AUD)
 *   sub   user id as a decimal string, e.g. "42" (RFC 7519: sub is a
 *         string); 1..INT64_MAX, no sign, no leading zero
 *   role  string [a-z_]{1,32}, e.g. "learner", "instructor", "admin"
 *   sid   session id = refresh-token family id, [A-Za-z0-9_-]{1,64}; CSRF
 *         tokens bind to it (csrf.h), logout/revocation is by sid
 *   jti   id of this token: issue writes 16 random bytes as base64url (22
 *         chars); verify accepts 1..22 characters of [A-Za-z0-9_-]
 *   iat, nbf, exp  integer Unix seconds; issue sets iat = nbf = now,
 *         exp = now + ttl (default 30 min)
 * Time rule, with HTTP_JWT_LEEWAY = 30 s for clock skew between hosts:
 *   expired        when now >= exp + leeway
 *   not yet valid  when nbf > now + leeway or iat > now + leeway
 * Refresh tokens are not JWTs: see base/token.h and the database.
 */
#ifndef ADEPT_HTTP_JWT_H
#define ADEPT_HTTP_JWT_H

#include <stddef.h>
#include <stdint.h>

#define HTTP_JWT_MAX_LEN	4096	/* longer tokens are rejected unread */
#define HTTP_JWT_TTL		(30 * 60)
#define HTTP_JWT_LEEWAY		30
#define HTTP_JWT_KEY_MIN	32	/* bytes; use token_subkey(.., "jwt") */
#define HTTP_JWT_ROLE_MAX	32
#define HTTP_JWT_SID_MAX	64
#define HTTP_JWT_JTI_LEN	22

struct http_jwt_conf {
	const unsigned char	*key;		/* HMAC key, never NULL */
	size_t			 keylen;	/* >= HTTP_JWT_KEY_MIN */
	const char		*iss;		/* e.g. "adept" */
	const char		*aud;		/* e.g. "adept-web" */
	int64_t			 ttl;		/* seconds; 0 = HTTP_JWT_TTL */
};

struct http_jwt_claims {
	int64_t	 sub;				/* user id */
	char	 role[HTTP_JWT_ROLE_MAX + 1];
	char	 sid[HTTP_JWT_SID_MAX + 1];
	char	 jti[HTTP_JWT_JTI_LEN + 1];
	int64_t	 iat;
	int64_t	 nbf;
	int64_t	 exp;
};

enum http_jwt_err {
	HTTP_JWT_OK = 0,
	HTTP_JWT_TOO_LONG,	/* over HTTP_JWT_MAX_LEN, not parsed */
	HTTP_JWT_MALFORMED,	/* structure, base64url, JSON, claim types */
	HTTP_JWT_BAD_ALG,	/* header alg is not exactly HS256 */
	HTTP_JWT_BAD_SIG,	/* HMAC does not match (or libjwt refused) */
	HTTP_JWT_EXPIRED,
	HTTP_JWT_NOT_YET_VALID,
	HTTP_JWT_BAD_ISS,
	HTTP_JWT_BAD_AUD,
	HTTP_JWT_BAD_CONF,	/* caller error: key missing/short, no iss/aud */
	HTTP_JWT_NOMEM,
	HTTP_JWT__MAX
};

/*
 * Issues an access token for user `sub` with `role` in session `sid` at
 * time `now` into out (NUL-terminated; outsz >= HTTP_JWT_MAX_LEN + 1 is
 * always enough).  If claims is not NULL it receives what was signed.
 * Returns HTTP_JWT_OK, HTTP_JWT_BAD_CONF (bad conf or arguments),
 * HTTP_JWT_TOO_LONG (does not fit out) or HTTP_JWT_NOMEM.
 */
enum http_jwt_err http_jwt_issue(const struct http_jwt_conf *, int64_t sub,
	    const char *role, const char *sid, int64_t now, char *out,
	    size_t outsz, struct http_jwt_claims *claims);

/*
 * Verifies token (NUL-terminated, untrusted) as described above at time
 * now.  On HTTP_JWT_OK *claims is filled; on any error it is zeroed.
 * Errors after the signature check (EXPIRED, NOT_YET_VALID, BAD_ISS,
 * BAD_AUD, MALFORMED claims) are reported only for correctly signed tokens.
 */
enum http_jwt_err http_jwt_verify(const struct http_jwt_conf *,
	    const char *token, int64_t now, struct http_jwt_claims *claims);

/*
 * The time rule above alone (exp, nbf, iat against now): HTTP_JWT_OK,
 * HTTP_JWT_EXPIRED or HTTP_JWT_NOT_YET_VALID.  http_jwt_verify applies it;
 * a caller that has kept the claims of a token it verified earlier (the
 * same bytes, the same key: src/http/auth_cache.h) applies it again at
 * each use.
 */
enum http_jwt_err http_jwt_check_time(const struct http_jwt_claims *,
	    int64_t now);

/* A short constant English name for an error, for logs. */
const char	*http_jwt_strerror(enum http_jwt_err);

#endif
