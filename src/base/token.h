/*
 * token: random bearer tokens, their storage hashes, base64url, key
 * derivation and constant-time equality, all on libsodium.
 *
 * Design decision: a bearer token (refresh token, reset link, pre-session
 * cookie) is 32 random bytes as unpadded base64url (43 characters); the
 * database stores only SHA-256(token text) in lowercase hex, so a leaked
 * table cannot be replayed.  A plain (unsalted, fast) hash is enough because
 * the token has 256 bits of entropy; lookups are by hash, so no timing of a
 * string compare on the secret is exposed.
 *
 * Every function here calls token_sodium_init() itself; callers may call it
 * once at start-up to fail early.
 */
#ifndef ADEPT_TOKEN_H
#define ADEPT_TOKEN_H

#include <stddef.h>
#include <stdint.h>

#define TOKEN_RAND_BYTES	32	/* entropy of token_random() */
#define TOKEN_STR_LEN		43	/* b64url(32 bytes), no padding */
#define TOKEN_HASH_HEX_LEN	64	/* hex(SHA-256) */
#define TOKEN_KEY_BYTES		32	/* token_subkey() output */

/* Length of the unpadded base64url text for n bytes (no NUL). */
#define TOKEN_B64URL_LEN(n)	(((n) / 3) * 4 + ((n) % 3 ? (n) % 3 + 1 : 0))

/*
 * Initialises libsodium once per process (thread-safe).  Aborts if
 * libsodium cannot initialise: nothing secure can run without it.
 */
void	token_sodium_init(void);

/* out: TOKEN_STR_LEN characters + NUL of a fresh 32-byte random token. */
void	token_random(char out[TOKEN_STR_LEN + 1]);

/*
 * out: base64url of nbytes fresh random bytes, NUL-terminated.
 * Returns 0, or -1 if outsz < TOKEN_B64URL_LEN(nbytes) + 1 or nbytes is
 * 0 or over 1024.
 */
int	token_random_str(char *out, size_t outsz, size_t nbytes);

/*
 * out: lowercase hex SHA-256 of the len bytes at tok, NUL-terminated.
 * This is what the database stores and looks up for a bearer token.
 */
void	token_hash_hex(const char *tok, size_t len,
	    char out[TOKEN_HASH_HEX_LEN + 1]);

/*
 * 1 if the two byte strings are equal, else 0.  Time depends on the
 * lengths only (lengths are not treated as secret), never on the content.
 */
int	token_equal(const void *a, size_t alen, const void *b, size_t blen);

/*
 * Unpadded base64url (RFC 4648 section 5) of len bytes into out,
 * NUL-terminated.  Returns the text length, or -1 if outsz is too small
 * (needs TOKEN_B64URL_LEN(len) + 1).
 */
long	token_b64url_encode(char *out, size_t outsz, const void *in,
	    size_t len);

/*
 * Strict decode of unpadded base64url: any character outside [A-Za-z0-9_-],
 * padding, a length of 1 mod 4 or non-zero trailing bits fails.  Writes at
 * most outsz bytes.  Returns the decoded length, or -1.
 */
long	token_b64url_decode(void *out, size_t outsz, const char *in,
	    size_t inlen);

/*
 * Derives an independent 32-byte key for one use (label: "jwt", "csrf",
 * ...) from the site secret: HMAC-SHA256(secret, "adept-subkey|" label).
 * Different labels give unrelated keys, so the JWT and CSRF HMACs never
 * share a key.  secretlen must be at least 32.  Returns 0 or -1.
 */
int	token_subkey(unsigned char out[TOKEN_KEY_BYTES],
	    const unsigned char *secret, size_t secretlen, const char *label);

#endif
