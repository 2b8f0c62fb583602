/*
 * csrf: tokens match an HMAC computed independently (Python hmac), verify
 * accepts exactly the (key, kind, binding, purpose) they were made for,
 * tampered/short/long/missing tokens and bad bindings fail, and the
 * pre-session cookie header carries the right attributes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "http/csrf.h"

static unsigned char key[HTTP_CSRF_KEY_LEN];

static int
setup(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(key); i++)
		key[i] = (unsigned char)i;
	return 0;
}

static void
test_known_answer(void **state)
{
	char t[HTTP_CSRF_TOKEN_LEN + 1];

	/* base64url(HMAC-SHA256(bytes 0..31, "sess|abc_DEF-1|login")) */
	assert_int_equal(http_csrf_token(key, HTTP_CSRF_SESS, "abc_DEF-1",
	    "login", t), 0);
	assert_string_equal(t, "pjccx0YVT0MhwQXLfZ95f9L52DJQTnLcIkJc6NkLllE");
	assert_int_equal(http_csrf_token(key, HTTP_CSRF_ANON, "abc_DEF-1",
	    "login", t), 0);
	assert_string_equal(t, "MUfxcFmZlQ5skpQtFve6hkwVrT3RLLzDAnOWoGvEhOE");
}

static void
test_round_trip_and_binding(void **state)
{
	unsigned char other[HTTP_CSRF_KEY_LEN];
	char t[HTTP_CSRF_TOKEN_LEN + 1];

	assert_int_equal(http_csrf_token(key, HTTP_CSRF_SESS, "sid123",
	    "quiz_submit", t), 0);
	assert_int_equal(strlen(t), HTTP_CSRF_TOKEN_LEN);
	assert_int_equal(http_csrf_verify(key, HTTP_CSRF_SESS, "sid123",
	    "quiz_submit", t), 0);
	/* another session, another form, the other kind, another key */
	assert_int_equal(http_csrf_verify(key, HTTP_CSRF_SESS, "sid124",
	    "quiz_submit", t), -1);
	assert_int_equal(http_csrf_verify(key, HTTP_CSRF_SESS, "sid123",
	    "profile_save", t), -1);
	assert_int_equal(http_csrf_verify(key, HTTP_CSRF_ANON, "sid123",
	    "quiz_submit", t), -1);
	memcpy(other, key, sizeof(other));
	other[31] ^= 1;
	assert_int_equal(http_csrf_verify(other, HTTP_CSRF_SESS, "sid123",
	    "quiz_submit", t), -1);
}

static void
test_tampered_tokens_fail(void **state)
{
	char t[HTTP_CSRF_TOKEN_LEN + 1], u[HTTP_CSRF_TOKEN_LEN + 2];
	size_t i;

	assert_int_equal(http_csrf_token(key, HTTP_CSRF_ANON, "cookieval",
	    "register", t), 0);
	for (i = 0; i < HTTP_CSRF_TOKEN_LEN; i++) {
		memcpy(u, t, sizeof(t));
		u[i] = u[i] == 'A' ? 'B' : 'A';
		assert_int_equal(http_csrf_verify(key, HTTP_CSRF_ANON,
		    "cookieval", "register", u), -1);
	}
	memcpy(u, t, sizeof(t));
	u[HTTP_CSRF_TOKEN_LEN - 1] = '\0';	/* one short */
	assert_int_equal(http_csrf_verify(key, HTTP_CSRF_ANON, "cookieval",
	    "register", u), -1);
	memcpy(u, t, HTTP_CSRF_TOKEN_LEN);
	u[HTTP_CSRF_TOKEN_LEN] = 'A';		/* one long */
	u[HTTP_CSRF_TOKEN_LEN + 1] = '\0';
	assert_int_equal(http_csrf_verify(key, HTTP_CSRF_ANON, "cookieval",
	    "register", u), -1);
	assert_int_equal(http_csrf_verify(key, HTTP_CSRF_ANON, "cookieval",
	    "register", NULL), -1);
	assert_int_equal(http_csrf_verify(key, HTTP_CSRF_ANON, "cookieval",
	    "register", ""), -1);
}

static void
test_bad_bindings_and_purposes(void **state)
{
	char t[HTTP_CSRF_TOKEN_LEN + 1], longb[HTTP_CSRF_BINDING_MAX + 2];

	/* no cookie / no session: never verifies, even against a token */
	assert_int_equal(http_csrf_token(key, HTTP_CSRF_ANON, "x", "login", t),
	    0);
	assert_int_equal(http_csrf_verify(key, HTTP_CSRF_ANON, "", "login", t),
	    -1);
	assert_int_equal(http_csrf_verify(key, HTTP_CSRF_ANON, NULL, "login",
	    t), -1);
	/* the separator cannot be smuggled into the binding */
	assert_int_equal(http_csrf_token(key, HTTP_CSRF_SESS, "a|b", "login",
	    t), -1);
	assert_string_equal(t, "");
	assert_int_equal(http_csrf_token(key, HTTP_CSRF_SESS, "a b", "login",
	    t), -1);
	assert_int_equal(http_csrf_token(key, HTTP_CSRF_SESS, "ab", "", t), -1);
	assert_int_equal(http_csrf_token(key, HTTP_CSRF_SESS, "ab", "a|b", t),
	    -1);
	assert_int_equal(http_csrf_token(key, HTTP_CSRF__MAX, "ab", "login",
	    t), -1);
	assert_int_equal(http_csrf_token(NULL, HTTP_CSRF_SESS, "ab", "login",
	    t), -1);
	memset(longb, 'a', sizeof(longb));
	longb[HTTP_CSRF_BINDING_MAX] = '\0';
	assert_int_equal(http_csrf_token(key, HTTP_CSRF_SESS, longb, "login",
	    t), 0);
	longb[HTTP_CSRF_BINDING_MAX] = 'a';
	longb[HTTP_CSRF_BINDING_MAX + 1] = '\0';
	assert_int_equal(http_csrf_token(key, HTTP_CSRF_SESS, longb, "login",
	    t), -1);
	/* a route path is a valid purpose */
	assert_int_equal(http_csrf_token(key, HTTP_CSRF_SESS, "ab",
	    "/course/edit", t), 0);
}

static void
test_pre_session_cookie(void **state)
{
	char a[HTTP_CSRF_TOKEN_LEN + 1], b[HTTP_CSRF_TOKEN_LEN + 1];
	char h[HTTP_CSRF_COOKIE_HDR_MAX], want[HTTP_CSRF_COOKIE_HDR_MAX];
	char t[HTTP_CSRF_TOKEN_LEN + 1];

	http_csrf_cookie_new(a);
	http_csrf_cookie_new(b);
	assert_int_equal(strlen(a), HTTP_CSRF_TOKEN_LEN);
	assert_string_not_equal(a, b);
	/* a fresh cookie value is a valid binding */
	assert_int_equal(http_csrf_token(key, HTTP_CSRF_ANON, a, "login", t),
	    0);
	assert_int_equal(http_csrf_verify(key, HTTP_CSRF_ANON, a, "login", t),
	    0);
	assert_int_equal(http_csrf_verify(key, HTTP_CSRF_ANON, b, "login", t),
	    -1);

	assert_int_equal(http_csrf_cookie_header(h, sizeof(h), a, 0), 0);
	snprintf(want, sizeof(want), "adept_pre=%s; Path=/; Max-Age=7200; "
	    "HttpOnly; SameSite=Lax", a);
	assert_string_equal(h, want);
	assert_int_equal(http_csrf_cookie_header(h, sizeof(h), a, 1), 0);
	snprintf(want, sizeof(want), "__Host-adept_pre=%s; Path=/; "
	    "Max-Age=7200; HttpOnly; SameSite=Lax; Secure", a);
	assert_string_equal(h, want);
	assert_int_equal(http_csrf_cookie_header(h, sizeof(h), "a;b", 1), -1);
	assert_int_equal(http_csrf_cookie_header(h, 40, a, 1), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_answer),
		cmocka_unit_test(test_round_trip_and_binding),
		cmocka_unit_test(test_tampered_tokens_fail),
		cmocka_unit_test(test_bad_bindings_and_purposes),
		cmocka_unit_test(test_pre_session_cookie),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
