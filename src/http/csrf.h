/*
 * csrf: per-form tokens for every state-changing request.
 *
 * Design decision: a token is not stored anywhere; it is recomputed.
 *
 *   token = base64url(HMAC-SHA256(csrf_key, kind "|" binding "|" purpose))
 *
 * (43 characters, no padding), compared in constant time (sodium_memcmp).
 *
 * - kind "sess": a signed-in user.  binding = the session id, i.e. the
 *   `sid` claim of the access token (the refresh-token family id), so a
 *   token dies with the session (logout, password change, rotation family
 *   revoked) and one user's token is useless in another's session.
 * - kind "anon": forms shown before sign-in (login, register, password
 *   reset request).  binding = the value of a random pre-session cookie
 *   (HTTP_CSRF_COOKIE, 32 random bytes base64url, set on the first GET of
 *   such a form if absent).  This is the signed double-submit scheme: the
 *   form carries HMAC(csrf_key, "anon|" cookie "|" purpose) and the POST is
 *   accepted only if the hidden field matches the HMAC of the cookie that
 *   came with it.  A cross-site attacker can neither read the cookie nor
 *   compute the HMAC without the key.  Plain double-submit (field ==
 *   cookie) would let an attacker who can plant a cookie (a sibling
 *   subdomain) choose both halves; here he would also need a token minted
 *   for his cookie value, which is why under TLS the cookie carries the
 *   __Host- prefix (no Domain, Path=/, Secure: a subdomain cannot set it).
 *   After sign-in the pre-session cookie is cleared and "sess" is used.
 *
 * purpose names the form (the route name, e.g. "login", "quiz_submit"), so
 * a token leaked from one form cannot drive another.  The key should be
 * token_subkey(site_secret, "csrf"), never the JWT key.
 *
 * Tokens carry no time: "sess" ones live as long as the session, "anon"
 * ones as long as the pre-session cookie (HTTP_CSRF_COOKIE_MAX_AGE).
 */
#ifndef ADEPT_HTTP_CSRF_H
#define ADEPT_HTTP_CSRF_H

#include <stddef.h>

#define HTTP_CSRF_TOKEN_LEN	43	/* b64url(32 bytes), no padding */
#define HTTP_CSRF_KEY_LEN	32
#define HTTP_CSRF_BINDING_MAX	128	/* longest session id / cookie value */
#define HTTP_CSRF_PURPOSE_MAX	64
#define HTTP_CSRF_FIELD		"csrf"	/* hidden form field name */
#define HTTP_CSRF_COOKIE	"adept_pre"	/* plain HTTP (development) */
#define HTTP_CSRF_COOKIE_TLS	"__Host-adept_pre"	/* over TLS */
#define HTTP_CSRF_COOKIE_MAX_AGE	(2 * 60 * 60)
/* Room for the Set-Cookie value http_csrf_cookie_header() writes. */
#define HTTP_CSRF_COOKIE_HDR_MAX	160

enum http_csrf_kind {
	HTTP_CSRF_SESS,		/* binding = session id (JWT sid claim) */
	HTTP_CSRF_ANON,		/* binding = pre-session cookie value */
	HTTP_CSRF__MAX
};

/*
 * Writes the token (HTTP_CSRF_TOKEN_LEN chars + NUL) to out.  binding must
 * be 1..HTTP_CSRF_BINDING_MAX characters of [A-Za-z0-9_-]; purpose must be
 * 1..HTTP_CSRF_PURPOSE_MAX characters of [A-Za-z0-9_./-].  Returns 0, or
 * -1 (out set to "") on a bad argument.
 */
int	http_csrf_token(const unsigned char key[HTTP_CSRF_KEY_LEN],
	    enum http_csrf_kind kind, const char *binding, const char *purpose,
	    char out[HTTP_CSRF_TOKEN_LEN + 1]);

/*
 * 0 if token (as submitted, may be NULL) is the token for (kind, binding,
 * purpose), else -1.  A missing/empty binding (no cookie, no session)
 * always fails.  The comparison is constant-time over the 43 characters;
 * only the length of the submitted token can influence timing.
 */
int	http_csrf_verify(const unsigned char key[HTTP_CSRF_KEY_LEN],
	    enum http_csrf_kind kind, const char *binding, const char *purpose,
	    const char *token);

/* A fresh pre-session cookie value (32 random bytes, base64url). */
void	http_csrf_cookie_new(char out[HTTP_CSRF_TOKEN_LEN + 1]);

/*
 * The Set-Cookie header value for a pre-session cookie:
 * "NAME=VALUE; Path=/; Max-Age=7200; HttpOnly; SameSite=Lax" plus
 * "; Secure" and the __Host- name when tls is non-zero.  Returns 0, or -1
 * if value is not 1..HTTP_CSRF_TOKEN_LEN characters of [A-Za-z0-9_-] or
 * outsz < HTTP_CSRF_COOKIE_HDR_MAX.
 */
int	http_csrf_cookie_header(char *out, size_t outsz, const char *value,
	    int tls);

#endif
