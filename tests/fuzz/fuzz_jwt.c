/*
 * fuzz_jwt: http_jwt_verify() on hostile input.  The first byte picks
 * what the rest is:
 *   0  the whole token, unsigned bytes as they would arrive in a cookie;
 *   1  a payload, wrapped in an HS256 header and signed with the key here,
 *      so the claim parser behind the signature check is reached;
 *   2  a header (arbitrary JSON), with a fixed valid payload, signed.
 * It must never crash or leak; an accepted token must carry sane claims;
 * a correctly signed token must never be refused as BAD_SIG (that would
 * mean our parser and libjwt disagree on a token we signed).
 */
// SOURCES: src/http/jwt.c src/base/token.c
// LDFLAGS: -ljwt -ljansson -lsodium -lpthread
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "base/token.h"
#include "http/jwt.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define CHECK(cond) do { if (!(cond)) { fprintf(stderr, "%s:%d: %s\n",	\
    __FILE__, __LINE__, #cond); abort(); } } while (0)

#define NOW	1700000100LL

static const unsigned char key[32] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
    12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29,
    30, 31, 32 };
static const struct http_jwt_conf conf = { key, sizeof(key), "adept",
    "adept-web", 0 };
static const char good_payload[] = "{\"iss\":\"adept\",\"aud\":\"adept-web\","
    "\"sub\":\"42\",\"role\":\"learner\",\"sid\":\"s1\",\"jti\":\"j1\","
    "\"iat\":1700000000,\"nbf\":1700000000,\"exp\":1700001800}";

/* b64url(h) "." b64url(p) "." HMAC; 0, or -1 if it does not fit. */
static int
sign(char *out, size_t outsz, const char *h, size_t hl, const char *p,
    size_t pl)
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state st;
	long n, m;

	if ((n = token_b64url_encode(out, outsz, h, hl)) < 0 ||
	    (size_t)n + 1 >= outsz)
		return -1;
	out[n++] = '.';
	if ((m = token_b64url_encode(out + n, outsz - (size_t)n, p, pl)) < 0)
		return -1;
	n += m;
	if ((size_t)n + 1 + 44 > outsz)
		return -1;
	crypto_auth_hmacsha256_init(&st, key, sizeof(key));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)out,
	    (size_t)n);
	crypto_auth_hmacsha256_final(&st, mac);
	out[n++] = '.';
	return token_b64url_encode(out + n, outsz - (size_t)n, mac,
	    sizeof(mac)) < 0 ? -1 : 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char hs256[] = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
	struct http_jwt_claims c;
	enum http_jwt_err e;
	char *tok;
	size_t cap = 2 * HTTP_JWT_MAX_LEN + 64;
	int mode;

	if (size == 0 || size > HTTP_JWT_MAX_LEN + 16)
		return 0;
	mode = data[0] % 3;
	data++;
	size--;
	tok = malloc(cap);
	CHECK(tok != NULL);
	if (mode == 0) {
		memcpy(tok, data, size);
		tok[size] = '\0';
	} else if (mode == 1) {
		if (sign(tok, cap, hs256, sizeof(hs256) - 1,
		    (const char *)data, size) != 0)
			goto out;
	} else {
		if (sign(tok, cap, (const char *)data, size, good_payload,
		    sizeof(good_payload) - 1) != 0)
			goto out;
	}
	e = http_jwt_verify(&conf, tok, NOW, &c);
	CHECK(e < HTTP_JWT__MAX);
	if (e == HTTP_JWT_OK) {
		CHECK(c.sub > 0);
		CHECK(c.role[0] != '\0' && strlen(c.role) <= HTTP_JWT_ROLE_MAX);
		CHECK(c.sid[0] != '\0' && strchr(c.sid, '|') == NULL);
		CHECK(c.exp > NOW - HTTP_JWT_LEEWAY);
		CHECK(c.nbf <= NOW + HTTP_JWT_LEEWAY);
	} else {
		CHECK(c.sub == 0 && c.role[0] == '\0');
	}
	if (mode != 0 && strlen(tok) <= HTTP_JWT_MAX_LEN)
		CHECK(e != HTTP_JWT_BAD_SIG);
out:
	free(tok);
	return 0;
}
