/*
 * test_totp: RFC 6238 appendix B vectors (SHA-1, SHA-256, SHA-512, 8
 * digits), RFC 4226 appendix D HOTP values (a TOTP with a 1-second step is
 * HOTP with counter t), the +-1 step window, base32 (RFC 4648 section 10
 * vectors) and the otpauth URI.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "base/totp.h"

static const char seed1[] = "12345678901234567890";
static const char seed256[] = "12345678901234567890123456789012";
static const char seed512[] = "1234567890123456789012345678901234567890"
    "123456789012345678901234";

/* RFC 6238 appendix B, table of test vectors. */
static const struct {
	int64_t		 t;
	const char	*sha1, *sha256, *sha512;
} rfc6238[] = {
	{ 59LL, "94287082", "46119246", "90693936" },
	{ 1111111109LL, "07081804", "68084774", "25091201" },
	{ 1111111111LL, "14050471", "67062674", "99943326" },
	{ 1234567890LL, "89005924", "91819424", "93441116" },
	{ 2000000000LL, "69279037", "90698825", "38618901" },
	{ 20000000000LL, "65353130", "77737706", "47863826" },
};

static void
rfc6238_vectors(void **state)
{
	char out[9];
	size_t i;

	for (i = 0; i < sizeof(rfc6238) / sizeof(rfc6238[0]); i++) {
		assert_int_equal(totp_code((const unsigned char *)seed1, 20,
		    rfc6238[i].t, 30, 8, TOTP_SHA1, out), 0);
		assert_string_equal(out, rfc6238[i].sha1);
		assert_int_equal(totp_code((const unsigned char *)seed256, 32,
		    rfc6238[i].t, 30, 8, TOTP_SHA256, out), 0);
		assert_string_equal(out, rfc6238[i].sha256);
		assert_int_equal(totp_code((const unsigned char *)seed512, 64,
		    rfc6238[i].t, 30, 8, TOTP_SHA512, out), 0);
		assert_string_equal(out, rfc6238[i].sha512);
	}
}

static void
rfc4226_hotp_values(void **state)
{
	static const char *const want[] = { "755224", "287082", "359152",
	    "969429", "338314", "254676", "287922", "162583", "399871",
	    "520489" };
	char out[7];
	int64_t c;

	for (c = 0; c < 10; c++) {
		assert_int_equal(totp_code((const unsigned char *)seed1, 20,
		    c, 1, 6, TOTP_SHA1, out), 0);
		assert_string_equal(out, want[c]);
	}
}

static void
bad_arguments(void **state)
{
	char out[9];

	assert_int_equal(totp_code((const unsigned char *)seed1, 20, 59, 30,
	    5, TOTP_SHA1, out), -1);
	assert_int_equal(totp_code((const unsigned char *)seed1, 20, 59, 30,
	    9, TOTP_SHA1, out), -1);
	assert_int_equal(totp_code((const unsigned char *)seed1, 0, 59, 30,
	    6, TOTP_SHA1, out), -1);
	assert_int_equal(totp_code((const unsigned char *)seed1, 20, -1, 30,
	    6, TOTP_SHA1, out), -1);
	assert_int_equal(totp_code((const unsigned char *)seed1, 20, 59, 0,
	    6, TOTP_SHA1, out), -1);
}

static void
check_window(void **state)
{
	const unsigned char *k = (const unsigned char *)seed1;
	int64_t now = 1234567890, step = now / 30;
	char c[7], spaced[9];

	/* The 6-digit code is the 8-digit one's last six digits. */
	assert_int_equal(totp_code(k, 20, now, 30, 6, TOTP_SHA1, c), 0);
	assert_string_equal(c, "005924");
	assert_int_equal(totp_check(k, 20, now, c), step);
	snprintf(spaced, sizeof(spaced), "%.3s %.3s", c, c + 3);
	assert_int_equal(totp_check(k, 20, now, spaced), step);
	/* One step either side is accepted and reports its own step. */
	assert_int_equal(totp_code(k, 20, now - 30, 30, 6, TOTP_SHA1, c), 0);
	assert_int_equal(totp_check(k, 20, now, c), step - 1);
	assert_int_equal(totp_code(k, 20, now + 30, 30, 6, TOTP_SHA1, c), 0);
	assert_int_equal(totp_check(k, 20, now, c), step + 1);
	/* Two steps away is not. */
	assert_int_equal(totp_code(k, 20, now - 60, 30, 6, TOTP_SHA1, c), 0);
	assert_int_equal(totp_check(k, 20, now, c), -1);
	/* Malformed input. */
	assert_int_equal(totp_check(k, 20, now, "00592"), -1);
	assert_int_equal(totp_check(k, 20, now, "0059244"), -1);
	assert_int_equal(totp_check(k, 20, now, "00592a"), -1);
	assert_int_equal(totp_check(k, 20, now, ""), -1);
	assert_int_equal(totp_check(k, 20, now, NULL), -1);
}

static void
base32_rfc4648(void **state)
{
	static const struct { const char *in, *out; } v[] = {
		{ "", "" }, { "f", "MY" }, { "fo", "MZXQ" },
		{ "foo", "MZXW6" }, { "foob", "MZXW6YQ" },
		{ "fooba", "MZXW6YTB" }, { "foobar", "MZXW6YTBOI" },
	};
	char out[40];
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		assert_int_equal(totp_base32(out, sizeof(out),
		    (const unsigned char *)v[i].in, strlen(v[i].in)),
		    (long)strlen(v[i].out));
		assert_string_equal(out, v[i].out);
	}
	assert_int_equal(totp_base32(out, 8, (const unsigned char *)"foobar",
	    6), -1);
	assert_int_equal(totp_base32(out, sizeof(out),
	    (const unsigned char *)seed1, 20), 32);
	assert_string_equal(out, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
}

static void
uri(void **state)
{
	char out[256];
	long n;

	n = totp_uri(out, sizeof(out), "Adept", "ada+x@example.org",
	    (const unsigned char *)seed1, 20);
	assert_true(n > 0);
	assert_string_equal(out, "otpauth://totp/Adept%3Aada%2Bx@example.org"
	    "?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Adept"
	    "&algorithm=SHA1&digits=6&period=30");
	assert_int_equal(totp_uri(out, 40, "Adept", "ada@example.org",
	    (const unsigned char *)seed1, 20), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rfc6238_vectors),
		cmocka_unit_test(rfc4226_hotp_values),
		cmocka_unit_test(bad_arguments),
		cmocka_unit_test(check_window),
		cmocka_unit_test(base32_rfc4648),
		cmocka_unit_test(uri),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
