/*
 * jwt: issue/verify round trip, then every way a token must be refused:
 * tampered payload and signature, wrong key, alg "none" built by hand,
 * HS384/HS512 (and RS256) tokens signed with our key, bad headers,
 * expired / not yet valid at the leeway boundaries, wrong iss and aud,
 * oversized input, garbage, mistyped claims, and bad configuration.
 * Hand-built tokens are signed here with libsodium's HMAC-SHA256, and the
 * other-algorithm ones with libjwt itself, independently of jwt.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jwt.h>
#include <sodium.h>

#include "base/token.h"
#include "http/jwt.h"

#define T0	1700000000LL

static unsigned char key[32];
static struct http_jwt_conf conf = { key, sizeof(key), "adept", "adept-web",
    0 };

#define HDR	"{\"alg\":\"HS256\",\"typ\":\"JWT\"}"
/* A payload of the shape http_jwt_issue() writes; fields replaced below. */
#define PAYF	"{\"iss\":%s,\"aud\":%s,\"sub\":%s,\"role\":%s,\"sid\":%s," \
		"\"jti\":\"abcdefghijklmnopqrstuv\",\"iat\":%s,\"nbf\":%s," \
		"\"exp\":%s}"

static char tok[8192];

static int
setup(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(key); i++)
		key[i] = (unsigned char)(0xa0 + i);
	return 0;
}

static void
b64(char *out, size_t outsz, const void *in, size_t n)
{
	assert_true(token_b64url_encode(out, outsz, in, n) >= 0);
}

/* b64url(hdr) "." b64url(pay) "." b64url(HMAC-SHA256(k, first two)) */
static const char *
make_signed(const char *hdr, const char *pay, const unsigned char *k,
    size_t klen)
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state st;
	size_t n;

	b64(tok, sizeof(tok), hdr, strlen(hdr));
	n = strlen(tok);
	tok[n++] = '.';
	b64(tok + n, sizeof(tok) - n, pay, strlen(pay));
	n = strlen(tok);
	crypto_auth_hmacsha256_init(&st, k, klen);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)tok, n);
	crypto_auth_hmacsha256_final(&st, mac);
	tok[n++] = '.';
	b64(tok + n, sizeof(tok) - n, mac, sizeof(mac));
	return tok;
}

static const char *
make(const char *hdr, const char *pay)
{
	return make_signed(hdr, pay, key, sizeof(key));
}

/* Standard claims with one or more replaced (NULL = default). */
static const char *
pay(const char *iss, const char *aud, const char *sub, const char *role,
    const char *iat, const char *nbf, const char *exp)
{
	static char p[1024];

	snprintf(p, sizeof(p), PAYF, iss ? iss : "\"adept\"",
	    aud ? aud : "\"adept-web\"", sub ? sub : "\"42\"",
	    role ? role : "\"learner\"", "\"fam_1-X\"",
	    iat ? iat : "1700000000", nbf ? nbf : "1700000000",
	    exp ? exp : "1700001800");
	return p;
}

static enum http_jwt_err
check(const char *t, int64_t now)
{
	struct http_jwt_claims c;

	return http_jwt_verify(&conf, t, now, &c);
}

static void
test_round_trip(void **state)
{
	struct http_jwt_claims in, out;
	char t[HTTP_JWT_MAX_LEN + 1];

	assert_int_equal(http_jwt_issue(&conf, 9007199254740993LL, "instructor",
	    "fam_1-X", T0, t, sizeof(t), &in), HTTP_JWT_OK);
	assert_int_equal(strlen(in.jti), HTTP_JWT_JTI_LEN);
	assert_int_equal(in.exp, T0 + HTTP_JWT_TTL);
	assert_int_equal(http_jwt_verify(&conf, t, T0 + 60, &out),
	    HTTP_JWT_OK);
	assert_int_equal(out.sub, 9007199254740993LL);
	assert_string_equal(out.role, "instructor");
	assert_string_equal(out.sid, "fam_1-X");
	assert_string_equal(out.jti, in.jti);
	assert_int_equal(out.iat, T0);
	assert_int_equal(out.nbf, T0);
	assert_int_equal(out.exp, T0 + 30 * 60);

	/* libjwt wrote exactly the header we require */
	{
		char h[64];
		const char *dot = strchr(t, '.');

		assert_int_equal(token_b64url_decode(h, sizeof(h) - 1, t,
		    (size_t)(dot - t)), strlen(HDR));
		h[strlen(HDR)] = '\0';
		assert_string_equal(h, HDR);
	}

	/* a hand-built token of the same shape verifies too */
	assert_int_equal(check(make(HDR, pay(0, 0, 0, 0, 0, 0, 0)), T0),
	    HTTP_JWT_OK);
	/* typ is optional */
	assert_int_equal(check(make("{\"alg\":\"HS256\"}",
	    pay(0, 0, 0, 0, 0, 0, 0)), T0), HTTP_JWT_OK);
}

static void
test_custom_ttl(void **state)
{
	struct http_jwt_conf c = conf;
	struct http_jwt_claims out;
	char t[HTTP_JWT_MAX_LEN + 1];

	c.ttl = 300;
	assert_int_equal(http_jwt_issue(&c, 7, "admin", "s", T0, t, sizeof(t),
	    NULL), HTTP_JWT_OK);
	assert_int_equal(http_jwt_verify(&c, t, T0, &out), HTTP_JWT_OK);
	assert_int_equal(out.exp, T0 + 300);
}

static void
test_tampered_payload(void **state)
{
	char t[HTTP_JWT_MAX_LEN + 1], forged[HTTP_JWT_MAX_LEN + 1];
	const char *d1, *d2;
	char p[1024];
	size_t n;

	assert_int_equal(http_jwt_issue(&conf, 42, "learner", "fam_1-X", T0,
	    t, sizeof(t), NULL), HTTP_JWT_OK);
	d1 = strchr(t, '.');
	d2 = strchr(d1 + 1, '.');
	/* original header and signature around a payload saying admin */
	n = (size_t)(d1 - t) + 1;
	memcpy(forged, t, n);
	b64(p, sizeof(p), pay(0, 0, 0, "\"admin\"", 0, 0, 0),
	    strlen(pay(0, 0, 0, "\"admin\"", 0, 0, 0)));
	memcpy(forged + n, p, strlen(p));
	n += strlen(p);
	memcpy(forged + n, d2, strlen(d2) + 1);
	assert_int_equal(check(forged, T0), HTTP_JWT_BAD_SIG);

	/* one flipped character in the payload segment */
	memcpy(forged, t, sizeof(t));
	forged[(d1 - t) + 5] ^= 0x01;
	assert_int_not_equal(check(forged, T0), HTTP_JWT_OK);
}

static void
test_tampered_signature(void **state)
{
	char t[HTTP_JWT_MAX_LEN + 1], u[HTTP_JWT_MAX_LEN + 1];
	struct http_jwt_claims c;
	size_t n, sig, i;

	assert_int_equal(http_jwt_issue(&conf, 42, "learner", "fam_1-X", T0,
	    t, sizeof(t), NULL), HTTP_JWT_OK);
	n = strlen(t);
	sig = (size_t)(strrchr(t, '.') - t) + 1;
	for (i = sig; i < n; i++) {
		memcpy(u, t, n + 1);
		u[i] = u[i] == 'A' ? 'B' : 'A';
		assert_int_equal(http_jwt_verify(&conf, u, T0, &c),
		    HTTP_JWT_BAD_SIG);
		assert_int_equal(c.sub, 0);	/* zeroed on error */
	}
	memcpy(u, t, n + 1);
	u[n - 1] = '\0';			/* truncated */
	assert_int_equal(check(u, T0), HTTP_JWT_BAD_SIG);
	memcpy(u, t, sig);
	u[sig] = '\0';				/* stripped */
	assert_int_equal(check(u, T0), HTTP_JWT_BAD_SIG);
}

static void
test_wrong_key(void **state)
{
	unsigned char k2[32];

	memcpy(k2, key, sizeof(k2));
	k2[0] ^= 0x80;
	assert_int_equal(check(make_signed(HDR, pay(0, 0, 0, 0, 0, 0, 0), k2,
	    sizeof(k2)), T0), HTTP_JWT_BAD_SIG);
	/* a prefix of the key is another key */
	assert_int_equal(check(make_signed(HDR, pay(0, 0, 0, 0, 0, 0, 0), key,
	    31), T0), HTTP_JWT_BAD_SIG);
}

static void
test_alg_none_by_hand(void **state)
{
	const char *p = pay(0, 0, 0, 0, 0, 0, 0);
	char t[2048], h[256], b[1024];

	b64(h, sizeof(h), "{\"alg\":\"none\",\"typ\":\"JWT\"}",
	    strlen("{\"alg\":\"none\",\"typ\":\"JWT\"}"));
	b64(b, sizeof(b), p, strlen(p));
	snprintf(t, sizeof(t), "%s.%s.", h, b);
	assert_int_equal(check(t, T0), HTTP_JWT_BAD_ALG);
	/* with some signature attached, and other spellings */
	assert_int_equal(check(make("{\"alg\":\"none\"}", p), T0),
	    HTTP_JWT_BAD_ALG);
	assert_int_equal(check(make("{\"alg\":\"None\"}", p), T0),
	    HTTP_JWT_BAD_ALG);
	assert_int_equal(check(make("{\"alg\":\"\"}", p), T0),
	    HTTP_JWT_BAD_ALG);
	/* an HS256 header with no signature at all */
	b64(h, sizeof(h), HDR, strlen(HDR));
	snprintf(t, sizeof(t), "%s.%s.", h, b);
	assert_int_equal(check(t, T0), HTTP_JWT_BAD_SIG);
	snprintf(t, sizeof(t), "%s.%s", h, b);
	assert_int_equal(check(t, T0), HTTP_JWT_MALFORMED);
}

/* A token for our claims signed by libjwt with our key under `alg`. */
static char *
libjwt_token(jwt_alg_t alg)
{
	jwt_t *j;
	char *s;

	assert_int_equal(jwt_new(&j), 0);
	assert_int_equal(jwt_set_alg(j, alg, key, sizeof(key)), 0);
	assert_int_equal(jwt_add_grants_json(j, pay(0, 0, 0, 0, 0, 0, 0)), 0);
	s = jwt_encode_str(j);
	jwt_free(j);
	assert_non_null(s);
	return s;
}

static void
test_other_hs_algs_same_key(void **state)
{
	char *s;

	/* Sanity: libjwt's own HS256 token of these claims is accepted. */
	s = libjwt_token(JWT_ALG_HS256);
	assert_int_equal(check(s, T0), HTTP_JWT_OK);
	free(s);
	/* libjwt alone would accept these; we must not. */
	s = libjwt_token(JWT_ALG_HS384);
	assert_int_equal(check(s, T0), HTTP_JWT_BAD_ALG);
	free(s);
	s = libjwt_token(JWT_ALG_HS512);
	assert_int_equal(check(s, T0), HTTP_JWT_BAD_ALG);
	free(s);
	/* asymmetric names: our HMAC under an RS/ES header */
	assert_int_equal(check(make("{\"alg\":\"RS256\",\"typ\":\"JWT\"}",
	    pay(0, 0, 0, 0, 0, 0, 0)), T0), HTTP_JWT_BAD_ALG);
	assert_int_equal(check(make("{\"alg\":\"ES256\"}",
	    pay(0, 0, 0, 0, 0, 0, 0)), T0), HTTP_JWT_BAD_ALG);
	assert_int_equal(check(make("{\"alg\":\"hs256\"}",
	    pay(0, 0, 0, 0, 0, 0, 0)), T0), HTTP_JWT_BAD_ALG);
}

static void
test_bad_headers(void **state)
{
	const char *p = pay(0, 0, 0, 0, 0, 0, 0);

	assert_int_equal(check(make("{\"typ\":\"JWT\"}", p), T0),
	    HTTP_JWT_MALFORMED);
	assert_int_equal(check(make("{\"alg\":256}", p), T0),
	    HTTP_JWT_MALFORMED);
	/* duplicate keys: parsers disagree on which wins, so refuse */
	assert_int_equal(check(make("{\"alg\":\"HS256\",\"alg\":\"none\"}", p),
	    T0), HTTP_JWT_MALFORMED);
	assert_int_equal(check(make("{\"alg\":\"none\",\"alg\":\"HS256\"}", p),
	    T0), HTTP_JWT_MALFORMED);
	assert_int_equal(check(make("{\"alg\":\"HS256\",\"typ\":\"JWE\"}", p),
	    T0), HTTP_JWT_MALFORMED);
	assert_int_equal(check(make("{\"alg\":\"HS256\",\"crit\":[\"exp\"]}",
	    p), T0), HTTP_JWT_MALFORMED);
	assert_int_equal(check(make("[\"HS256\"]", p), T0),
	    HTTP_JWT_MALFORMED);
	assert_int_equal(check(make("{\"alg\":\"HS256\\u0000\"}", p), T0),
	    HTTP_JWT_MALFORMED);
	assert_int_equal(check(make("not json", p), T0), HTTP_JWT_MALFORMED);
}

static void
test_expiry_boundaries(void **state)
{
	char t[HTTP_JWT_MAX_LEN + 1];
	int64_t exp = T0 + HTTP_JWT_TTL;

	assert_int_equal(http_jwt_issue(&conf, 42, "learner", "fam_1-X", T0,
	    t, sizeof(t), NULL), HTTP_JWT_OK);
	assert_int_equal(check(t, exp - 1), HTTP_JWT_OK);
	assert_int_equal(check(t, exp + HTTP_JWT_LEEWAY - 1), HTTP_JWT_OK);
	assert_int_equal(check(t, exp + HTTP_JWT_LEEWAY), HTTP_JWT_EXPIRED);
	assert_int_equal(check(t, exp + 86400), HTTP_JWT_EXPIRED);
	/* exp far in the past, in a correctly signed token */
	assert_int_equal(check(make(HDR, pay(0, 0, 0, 0, "0", "0", "1")), T0),
	    HTTP_JWT_EXPIRED);
	/* exp at the int64 limit does not overflow the leeway arithmetic */
	assert_int_equal(check(make(HDR, pay(0, 0, 0, 0, 0, 0,
	    "9223372036854775807")), T0), HTTP_JWT_OK);
}

static void
test_not_yet_valid(void **state)
{
	const char *t;

	t = make(HDR, pay(0, 0, 0, 0, 0, "1700000100", "1700003600"));
	assert_int_equal(check(t, T0), HTTP_JWT_NOT_YET_VALID);
	assert_int_equal(check(t, T0 + 100 - HTTP_JWT_LEEWAY - 1),
	    HTTP_JWT_NOT_YET_VALID);
	assert_int_equal(check(t, T0 + 100 - HTTP_JWT_LEEWAY), HTTP_JWT_OK);
	/* issued in the future */
	t = make(HDR, pay(0, 0, 0, 0, "1700000100", 0, "1700003600"));
	assert_int_equal(check(t, T0), HTTP_JWT_NOT_YET_VALID);
	assert_int_equal(check(t, T0 + 70), HTTP_JWT_OK);
	/* a token issued by a clock 30 s ahead of ours is fine */
	t = make(HDR, pay(0, 0, 0, 0, "1700000030", "1700000030", 0));
	assert_int_equal(check(t, T0), HTTP_JWT_OK);
}

static void
test_wrong_iss(void **state)
{
	struct http_jwt_conf c = conf;
	char t[HTTP_JWT_MAX_LEN + 1];

	assert_int_equal(http_jwt_issue(&conf, 42, "learner", "fam_1-X", T0,
	    t, sizeof(t), NULL), HTTP_JWT_OK);
	c.iss = "someone-else";
	assert_int_equal(http_jwt_verify(&c, t, T0, &(struct http_jwt_claims){
	    0 }), HTTP_JWT_BAD_ISS);
	assert_int_equal(check(make(HDR, pay("\"adept2\"", 0, 0, 0, 0, 0, 0)),
	    T0), HTTP_JWT_BAD_ISS);
	assert_int_equal(check(make(HDR, pay("[\"adept\"]", 0, 0, 0, 0, 0, 0)),
	    T0), HTTP_JWT_BAD_ISS);
	assert_int_equal(check(make(HDR, "{\"aud\":\"adept-web\",\"sub\":\"1\","
	    "\"exp\":1800000000}"), T0), HTTP_JWT_BAD_ISS);
}

static void
test_wrong_aud(void **state)
{
	struct http_jwt_conf c = conf;
	char t[HTTP_JWT_MAX_LEN + 1];

	assert_int_equal(http_jwt_issue(&conf, 42, "learner", "fam_1-X", T0,
	    t, sizeof(t), NULL), HTTP_JWT_OK);
	c.aud = "adept-api";
	assert_int_equal(http_jwt_verify(&c, t, T0, &(struct http_jwt_claims){
	    0 }), HTTP_JWT_BAD_AUD);
	assert_int_equal(check(make(HDR, pay(0, "\"adept-webx\"", 0, 0, 0, 0,
	    0)), T0), HTTP_JWT_BAD_AUD);
	assert_int_equal(check(make(HDR, pay(0, "[\"x\",\"y\"]", 0, 0, 0, 0,
	    0)), T0), HTTP_JWT_BAD_AUD);
	assert_int_equal(check(make(HDR, pay(0, "17", 0, 0, 0, 0, 0)), T0),
	    HTTP_JWT_BAD_AUD);
	/* RFC 7519 allows an array of audiences */
	assert_int_equal(check(make(HDR, pay(0, "[\"x\",\"adept-web\"]", 0, 0,
	    0, 0, 0)), T0), HTTP_JWT_OK);
}

static void
test_oversized(void **state)
{
	char *big, p[8192];
	size_t n;

	big = malloc(HTTP_JWT_MAX_LEN + 2);
	assert_non_null(big);
	memset(big, 'A', HTTP_JWT_MAX_LEN + 1);
	big[HTTP_JWT_MAX_LEN + 1] = '\0';
	assert_int_equal(check(big, T0), HTTP_JWT_TOO_LONG);
	big[HTTP_JWT_MAX_LEN] = '\0';		/* at the limit: parsed */
	assert_int_equal(check(big, T0), HTTP_JWT_MALFORMED);
	free(big);

	/* a correctly signed token that is too long is still refused */
	n = (size_t)snprintf(p, sizeof(p), "%s", pay(0, 0, 0, 0, 0, 0, 0));
	p[n - 1] = '\0';
	strcat(p, ",\"pad\":\"");
	memset(p + strlen(p), 'x', 3200);
	p[n - 1 + 8 + 3200] = '\0';
	strcat(p, "\"}");
	assert_true(strlen(make(HDR, p)) > HTTP_JWT_MAX_LEN);
	assert_int_equal(check(make(HDR, p), T0), HTTP_JWT_TOO_LONG);
}

static void
test_garbage(void **state)
{
	static const char *const bad[] = {
		"", ".", "..", "...", "abc", "a.b", "a.b.c.d", ".b.c", "a..c",
		"eyJhbGciOiJIUzI1NiJ9", "eyJhbGciOiJIUzI1NiJ9..",
		"a+b.c/d.e=f", "eyJhbGciOiJIUzI1NiJ9.e30.%%%",
		"eyJhbGciOiJIUzI1NiJ9.e30.a b", "Bearer x.y.z",
		"eyJhbGciOiJIUzI1NiJ9=.e30.AAAA", "e.e30.AAAA",
	};
	struct http_jwt_claims c;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&c, 0x55, sizeof(c));
		assert_int_equal(http_jwt_verify(&conf, bad[i], T0, &c),
		    HTTP_JWT_MALFORMED);
		assert_int_equal(c.sub, 0);
	}
	assert_int_equal(http_jwt_verify(&conf, NULL, T0, &c),
	    HTTP_JWT_MALFORMED);
	/*
	 * A raw NUL inside the payload: jansson's json_loadb() skips it while
	 * libjwt stops at it; refused as malformed, not as a bad signature.
	 */
	{
		static const char nul[] = "{\"iss\":\"adept\",\"a\":17\0}";
		unsigned char mac[crypto_auth_hmacsha256_BYTES];
		char t[512];
		size_t n;

		b64(t, sizeof(t), HDR, strlen(HDR));
		n = strlen(t);
		t[n++] = '.';
		b64(t + n, sizeof(t) - n, nul, sizeof(nul) - 1);
		n = strlen(t);
		crypto_auth_hmacsha256(mac, (const unsigned char *)t, n, key);
		t[n++] = '.';
		b64(t + n, sizeof(t) - n, mac, sizeof(mac));
		assert_int_equal(check(t, T0), HTTP_JWT_MALFORMED);
		/* and in the header */
		b64(t, sizeof(t), "{\"alg\":\"HS256\"\0}", 16);
		assert_int_equal(check(strcat(strcat(t, "."),
		    "e30.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), T0),
		    HTTP_JWT_MALFORMED);
	}
	/* signed, but the payload is not a JSON object */
	assert_int_equal(check(make(HDR, "[1,2]"), T0), HTTP_JWT_MALFORMED);
	assert_int_equal(check(make(HDR, "{\"sub\":"), T0), HTTP_JWT_MALFORMED);
}

static void
test_claim_types(void **state)
{
	static const char *const bad_sub[] = {
		"42", "\"042\"", "\"-1\"", "\"+1\"", "\"0\"", "\"\"",
		"\"4 2\"", "\"9223372036854775808\"", "\"99999999999999999999\"",
		"null",
	};
	struct http_jwt_claims c;
	size_t i;

	for (i = 0; i < sizeof(bad_sub) / sizeof(bad_sub[0]); i++)
		assert_int_equal(check(make(HDR, pay(0, 0, bad_sub[i], 0, 0, 0,
		    0)), T0), HTTP_JWT_MALFORMED);
	assert_int_equal(http_jwt_verify(&conf, make(HDR, pay(0, 0,
	    "\"9223372036854775807\"", 0, 0, 0, 0)), T0, &c), HTTP_JWT_OK);
	assert_int_equal(c.sub, INT64_MAX);

	assert_int_equal(check(make(HDR, pay(0, 0, 0, "\"Admin\"", 0, 0, 0)),
	    T0), HTTP_JWT_MALFORMED);
	assert_int_equal(check(make(HDR, pay(0, 0, 0, "\"\"", 0, 0, 0)), T0),
	    HTTP_JWT_MALFORMED);
	assert_int_equal(check(make(HDR, pay(0, 0, 0,
	    "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"", 0, 0, 0)), T0),
	    HTTP_JWT_MALFORMED);
	assert_int_equal(check(make(HDR, pay(0, 0, 0, 0, 0, 0,
	    "1700001800.0")), T0), HTTP_JWT_MALFORMED);
	assert_int_equal(check(make(HDR, pay(0, 0, 0, 0, 0, 0,
	    "\"1700001800\"")), T0), HTTP_JWT_MALFORMED);
	assert_int_equal(check(make(HDR, pay(0, 0, 0, 0, "null", 0, 0)), T0),
	    HTTP_JWT_MALFORMED);
	/* duplicate claim */
	assert_int_equal(check(make(HDR, "{\"iss\":\"adept\",\"aud\":"
	    "\"adept-web\",\"sub\":\"1\",\"sub\":\"2\",\"role\":\"admin\","
	    "\"sid\":\"s\",\"jti\":\"j\",\"iat\":1700000000,\"nbf\":1700000000,"
	    "\"exp\":1700001800}"), T0), HTTP_JWT_MALFORMED);
	/* missing sid, then a sid outside its charset */
	assert_int_equal(check(make(HDR, "{\"iss\":\"adept\",\"aud\":"
	    "\"adept-web\",\"sub\":\"1\",\"role\":\"admin\","
	    "\"jti\":\"j\",\"iat\":1700000000,\"nbf\":1700000000,"
	    "\"exp\":1700001800}"), T0), HTTP_JWT_MALFORMED);
	assert_int_equal(check(make(HDR, "{\"iss\":\"adept\",\"aud\":"
	    "\"adept-web\",\"sub\":\"1\",\"role\":\"admin\",\"sid\":\"a|b\","
	    "\"jti\":\"j\",\"iat\":1700000000,\"nbf\":1700000000,"
	    "\"exp\":1700001800}"), T0), HTTP_JWT_MALFORMED);
}

static void
test_bad_conf_and_args(void **state)
{
	struct http_jwt_conf c = conf;
	char t[HTTP_JWT_MAX_LEN + 1], small[64];
	const char *good;

	good = make(HDR, pay(0, 0, 0, 0, 0, 0, 0));
	c.key = NULL;			/* never "verify" without a key */
	assert_int_equal(check(good, T0), HTTP_JWT_OK);
	assert_int_equal(http_jwt_verify(&c, good, T0,
	    &(struct http_jwt_claims){ 0 }), HTTP_JWT_BAD_CONF);
	assert_int_equal(http_jwt_issue(&c, 1, "admin", "s", T0, t, sizeof(t),
	    NULL), HTTP_JWT_BAD_CONF);
	c = conf;
	c.keylen = 16;
	assert_int_equal(http_jwt_verify(&c, good, T0,
	    &(struct http_jwt_claims){ 0 }), HTTP_JWT_BAD_CONF);
	c = conf;
	c.aud = "";
	assert_int_equal(http_jwt_issue(&c, 1, "admin", "s", T0, t, sizeof(t),
	    NULL), HTTP_JWT_BAD_CONF);
	assert_int_equal(http_jwt_verify(NULL, good, T0,
	    &(struct http_jwt_claims){ 0 }), HTTP_JWT_BAD_CONF);

	assert_int_equal(http_jwt_issue(&conf, 0, "admin", "s", T0, t,
	    sizeof(t), NULL), HTTP_JWT_BAD_CONF);
	assert_int_equal(http_jwt_issue(&conf, 1, "Admin", "s", T0, t,
	    sizeof(t), NULL), HTTP_JWT_BAD_CONF);
	assert_int_equal(http_jwt_issue(&conf, 1, "admin", "a|b", T0, t,
	    sizeof(t), NULL), HTTP_JWT_BAD_CONF);
	assert_int_equal(http_jwt_issue(&conf, 1, "admin", "", T0, t,
	    sizeof(t), NULL), HTTP_JWT_BAD_CONF);
	assert_int_equal(http_jwt_issue(&conf, 1, "admin", "s", INT64_MAX, t,
	    sizeof(t), NULL), HTTP_JWT_BAD_CONF);
	assert_int_equal(http_jwt_issue(&conf, 1, "admin", "s", T0, small,
	    sizeof(small), NULL), HTTP_JWT_TOO_LONG);
	assert_string_equal(small, "");
}

static void
test_strerror(void **state)
{
	int i, j;

	for (i = 0; i < HTTP_JWT__MAX; i++) {
		assert_non_null(http_jwt_strerror(i));
		for (j = 0; j < i; j++)
			assert_string_not_equal(http_jwt_strerror(i),
			    http_jwt_strerror(j));
	}
	assert_string_equal(http_jwt_strerror(HTTP_JWT__MAX), "unknown error");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_custom_ttl),
		cmocka_unit_test(test_tampered_payload),
		cmocka_unit_test(test_tampered_signature),
		cmocka_unit_test(test_wrong_key),
		cmocka_unit_test(test_alg_none_by_hand),
		cmocka_unit_test(test_other_hs_algs_same_key),
		cmocka_unit_test(test_bad_headers),
		cmocka_unit_test(test_expiry_boundaries),
		cmocka_unit_test(test_not_yet_valid),
		cmocka_unit_test(test_wrong_iss),
		cmocka_unit_test(test_wrong_aud),
		cmocka_unit_test(test_oversized),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_claim_types),
		cmocka_unit_test(test_bad_conf_and_args),
		cmocka_unit_test(test_strerror),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
