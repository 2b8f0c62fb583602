/*
 * csrf: HMAC-bound form tokens; see csrf.h for the scheme.  The message is
 * kind "|" binding "|" purpose; binding cannot contain '|', so the
 * encoding is unambiguous.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "base/token.h"
#include "http/csrf.h"

static const char *const kind_names[HTTP_CSRF__MAX] = {
	[HTTP_CSRF_SESS] = "sess",
	[HTTP_CSRF_ANON] = "anon",
};

static int
valid_binding(const char *s)
{
	size_t n;

	if (s == NULL)
		return 0;
	n = strnlen(s, HTTP_CSRF_BINDING_MAX + 1);
	if (n == 0 || n > HTTP_CSRF_BINDING_MAX)
		return 0;
	return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789_-") == n;
}

static int
valid_purpose(const char *s)
{
	size_t n;

	if (s == NULL)
		return 0;
	n = strnlen(s, HTTP_CSRF_PURPOSE_MAX + 1);
	if (n == 0 || n > HTTP_CSRF_PURPOSE_MAX)
		return 0;
	return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789_./-") == n;
}

static int
mac(const unsigned char key[HTTP_CSRF_KEY_LEN], enum http_csrf_kind kind,
    const char *binding, const char *purpose,
    unsigned char out[crypto_auth_hmacsha256_BYTES])
{
	crypto_auth_hmacsha256_state st;

	if (key == NULL || (unsigned)kind >= HTTP_CSRF__MAX ||
	    !valid_binding(binding) || !valid_purpose(purpose))
		return -1;
	token_sodium_init();
	crypto_auth_hmacsha256_init(&st, key, HTTP_CSRF_KEY_LEN);
	crypto_auth_hmacsha256_update(&st,
	    (const unsigned char *)kind_names[kind], strlen(kind_names[kind]));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)"|", 1);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)binding,
	    strlen(binding));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)"|", 1);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)purpose,
	    strlen(purpose));
	crypto_auth_hmacsha256_final(&st, out);
	sodium_memzero(&st, sizeof(st));
	return 0;
}

int
http_csrf_token(const unsigned char key[HTTP_CSRF_KEY_LEN],
    enum http_csrf_kind kind, const char *binding, const char *purpose,
    char out[HTTP_CSRF_TOKEN_LEN + 1])
{
	unsigned char m[crypto_auth_hmacsha256_BYTES];

	out[0] = '\0';
	if (mac(key, kind, binding, purpose, m) != 0)
		return -1;
	if (token_b64url_encode(out, HTTP_CSRF_TOKEN_LEN + 1, m, sizeof(m)) !=
	    HTTP_CSRF_TOKEN_LEN)
		return -1;
	return 0;
}

int
http_csrf_verify(const unsigned char key[HTTP_CSRF_KEY_LEN],
    enum http_csrf_kind kind, const char *binding, const char *purpose,
    const char *token)
{
	char want[HTTP_CSRF_TOKEN_LEN + 1];

	if (token == NULL ||
	    strnlen(token, HTTP_CSRF_TOKEN_LEN + 1) != HTTP_CSRF_TOKEN_LEN)
		return -1;
	if (http_csrf_token(key, kind, binding, purpose, want) != 0)
		return -1;
	return sodium_memcmp(want, token, HTTP_CSRF_TOKEN_LEN) == 0 ? 0 : -1;
}

void
http_csrf_cookie_new(char out[HTTP_CSRF_TOKEN_LEN + 1])
{
	token_random(out);
}

int
http_csrf_cookie_header(char *out, size_t outsz, const char *value, int tls)
{
	int n;

	if (outsz < HTTP_CSRF_COOKIE_HDR_MAX || !valid_binding(value) ||
	    strlen(value) > HTTP_CSRF_TOKEN_LEN) {
		if (outsz > 0)
			out[0] = '\0';
		return -1;
	}
	n = snprintf(out, outsz, "%s=%s; Path=/; Max-Age=%d; HttpOnly; "
	    "SameSite=Lax%s", tls ? HTTP_CSRF_COOKIE_TLS : HTTP_CSRF_COOKIE,
	    value, HTTP_CSRF_COOKIE_MAX_AGE, tls ? "; Secure" : "");
	return n < 0 || (size_t)n >= outsz ? -1 : 0;
}
