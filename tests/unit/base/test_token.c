/*
 * token: base64url against RFC 4648 vectors and its strictness, random
 * token shape, SHA-256 storage hash against FIPS 180-2 vectors,
 * constant-time equality, subkey derivation against an HMAC computed
 * independently (Python hmac/hashlib).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "base/token.h"

static void
test_b64url_rfc4648_vectors(void **state)
{
	static const struct {
		const char *in, *out;
	} v[] = {
		{ "", "" }, { "f", "Zg" }, { "fo", "Zm8" }, { "foo", "Zm9v" },
		{ "foob", "Zm9vYg" }, { "fooba", "Zm9vYmE" },
		{ "foobar", "Zm9vYmFy" },
	};
	char out[32], back[32];
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		size_t n = strlen(v[i].in);

		assert_int_equal(token_b64url_encode(out, sizeof(out), v[i].in,
		    n), (long)strlen(v[i].out));
		assert_string_equal(out, v[i].out);
		assert_int_equal(TOKEN_B64URL_LEN(n), strlen(v[i].out));
		assert_int_equal(token_b64url_decode(back, sizeof(back), out,
		    strlen(out)), (long)n);
		assert_memory_equal(back, v[i].in, n);
	}
}

static void
test_b64url_uses_url_alphabet(void **state)
{
	const unsigned char in[] = { 0xfb, 0xff, 0xbf };
	unsigned char back[3];
	char out[8];

	assert_int_equal(token_b64url_encode(out, sizeof(out), in, 3), 4);
	assert_string_equal(out, "-_-_");
	assert_int_equal(token_b64url_decode(back, sizeof(back), "-_-_", 4), 3);
	assert_memory_equal(back, in, 3);
}

static void
test_b64url_decode_is_strict(void **state)
{
	static const char *const bad[] = {
		"Zg==",		/* padding */
		"Zh",		/* non-zero trailing bits */
		"Zm9=",
		"Z",		/* length 1 mod 4 */
		"Zm9vY",
		"Zm9+",		/* standard alphabet */
		"Zm9/",
		"Zm 9v",	/* whitespace */
		"Zm9v\n",
		"Zm.v",
	};
	unsigned char out[16];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(token_b64url_decode(out, sizeof(out), bad[i],
		    strlen(bad[i])), -1);
	/* output too small */
	assert_int_equal(token_b64url_decode(out, 5, "Zm9vYmFy", 8), -1);
	assert_int_equal(token_b64url_decode(out, 6, "Zm9vYmFy", 8), 6);
}

static void
test_b64url_encode_refuses_small_buffer(void **state)
{
	char out[4];

	assert_int_equal(token_b64url_encode(out, sizeof(out), "foo", 3), -1);
	assert_int_equal(token_b64url_encode(out, 3, "fo", 2), -1);
	assert_int_equal(token_b64url_encode(out, 4, "fo", 2), 3);
}

static void
test_random_token_shape(void **state)
{
	char a[TOKEN_STR_LEN + 1], b[TOKEN_STR_LEN + 1];
	unsigned char raw[TOKEN_RAND_BYTES + 1];

	token_random(a);
	token_random(b);
	assert_int_equal(strlen(a), TOKEN_STR_LEN);
	assert_int_equal(token_b64url_decode(raw, sizeof(raw), a,
	    TOKEN_STR_LEN), TOKEN_RAND_BYTES);
	assert_string_not_equal(a, b);

	assert_int_equal(token_random_str(a, 23, 16), 0);
	assert_int_equal(strlen(a), 22);
	assert_int_equal(token_random_str(a, 22, 16), -1);
	assert_int_equal(token_random_str(a, sizeof(a), 0), -1);
}

static void
test_hash_hex_sha256_vectors(void **state)
{
	char h[TOKEN_HASH_HEX_LEN + 1];

	token_hash_hex("abc", 3, h);
	assert_string_equal(h, "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad");
	token_hash_hex("", 0, h);
	assert_string_equal(h, "e3b0c44298fc1c149afbf4c8996fb924"
	    "27ae41e4649b934ca495991b7852b855");
}

static void
test_equal(void **state)
{
	assert_true(token_equal("abcdef", 6, "abcdef", 6));
	assert_false(token_equal("abcdef", 6, "abcdeg", 6));
	assert_false(token_equal("bbcdef", 6, "abcdef", 6));
	assert_false(token_equal("abcdef", 6, "abcde", 5));
	assert_true(token_equal("", 0, "", 0));
}

static void
test_subkey(void **state)
{
	/* HMAC-SHA256(bytes 0..31, "adept-subkey|jwt"), by Python's hmac. */
	static const char want[] = "b87b970144cc47f59a3124ffafe0b902"
	    "7aa0ef3cd920dc379b3c8084bad076c0";
	unsigned char secret[32], k1[TOKEN_KEY_BYTES], k2[TOKEN_KEY_BYTES];
	char hex[2 * TOKEN_KEY_BYTES + 1];
	size_t i;

	for (i = 0; i < sizeof(secret); i++)
		secret[i] = (unsigned char)i;
	assert_int_equal(token_subkey(k1, secret, sizeof(secret), "jwt"), 0);
	for (i = 0; i < sizeof(k1); i++)
		snprintf(hex + 2 * i, 3, "%02x", k1[i]);
	assert_string_equal(hex, want);
	assert_int_equal(token_subkey(k2, secret, sizeof(secret), "csrf"), 0);
	assert_memory_not_equal(k1, k2, sizeof(k1));
	assert_int_equal(token_subkey(k2, secret, 31, "jwt"), -1);
	assert_int_equal(token_subkey(k2, secret, sizeof(secret), ""), -1);
	assert_int_equal(token_subkey(k2, NULL, 32, "jwt"), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_b64url_rfc4648_vectors),
		cmocka_unit_test(test_b64url_uses_url_alphabet),
		cmocka_unit_test(test_b64url_decode_is_strict),
		cmocka_unit_test(test_b64url_encode_refuses_small_buffer),
		cmocka_unit_test(test_random_token_shape),
		cmocka_unit_test(test_hash_hex_sha256_vectors),
		cmocka_unit_test(test_equal),
		cmocka_unit_test(test_subkey),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
