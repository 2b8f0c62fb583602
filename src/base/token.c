/*
 * token: random tokens, storage hashes, base64url; see token.h.
 * libsodium does the work (randombytes, SHA-256, HMAC-SHA256, strict
 * base64 codec, sodium_memcmp); this file fixes the formats.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "base/token.h"

static pthread_once_t sodium_once = PTHREAD_ONCE_INIT;

static void
sodium_init_once(void)
{
	if (sodium_init() < 0)
		abort();
}

void
token_sodium_init(void)
{
	pthread_once(&sodium_once, sodium_init_once);
}

void
token_random(char out[TOKEN_STR_LEN + 1])
{
	(void)token_random_str(out, TOKEN_STR_LEN + 1, TOKEN_RAND_BYTES);
}

int
token_random_str(char *out, size_t outsz, size_t nbytes)
{
	unsigned char raw[1024];
	long n;

	if (nbytes == 0 || nbytes > sizeof(raw) ||
	    outsz < TOKEN_B64URL_LEN(nbytes) + 1)
		return -1;
	token_sodium_init();
	randombytes_buf(raw, nbytes);
	n = token_b64url_encode(out, outsz, raw, nbytes);
	sodium_memzero(raw, nbytes);
	return n < 0 ? -1 : 0;
}

void
token_hash_hex(const char *tok, size_t len, char out[TOKEN_HASH_HEX_LEN + 1])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	token_sodium_init();
	crypto_hash_sha256(h, (const unsigned char *)tok, len);
	sodium_bin2hex(out, TOKEN_HASH_HEX_LEN + 1, h, sizeof(h));
}

int
token_equal(const void *a, size_t alen, const void *b, size_t blen)
{
	if (alen != blen)
		return 0;
	if (alen == 0)
		return 1;
	token_sodium_init();
	return sodium_memcmp(a, b, alen) == 0;
}

long
token_b64url_encode(char *out, size_t outsz, const void *in, size_t len)
{
	size_t need = TOKEN_B64URL_LEN(len);

	if (outsz < need + 1)
		return -1;
	if (len == 0) {
		out[0] = '\0';
		return 0;
	}
	token_sodium_init();
	/* sodium_bin2base64 wants room for its own NUL: need + 1 here. */
	sodium_bin2base64(out, need + 1, in, len,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return (long)need;
}

long
token_b64url_decode(void *out, size_t outsz, const char *in, size_t inlen)
{
	size_t n;

	if (inlen % 4 == 1)
		return -1;
	if (inlen == 0)
		return 0;
	token_sodium_init();
	/*
	 * With ignore == NULL and b64_end == NULL libsodium requires the whole
	 * input to be valid: no character outside the alphabet, no padding,
	 * no non-zero trailing bits.
	 */
	if (sodium_base642bin(out, outsz, in, inlen, NULL, &n, NULL,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
		return -1;
	return (long)n;
}

int
token_subkey(unsigned char out[TOKEN_KEY_BYTES], const unsigned char *secret,
    size_t secretlen, const char *label)
{
	static const char prefix[] = "adept-subkey|";
	crypto_auth_hmacsha256_state st;

	if (secret == NULL || secretlen < 32 || label == NULL ||
	    label[0] == '\0')
		return -1;
	token_sodium_init();
	crypto_auth_hmacsha256_init(&st, secret, secretlen);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)prefix,
	    sizeof(prefix) - 1);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)label,
	    strlen(label));
	crypto_auth_hmacsha256_final(&st, out);
	sodium_memzero(&st, sizeof(st));
	return 0;
}
