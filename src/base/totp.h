/*
 * totp: time-based one-time passwords (RFC 6238) for the second sign-in
 * factor, on liboath.
 *
 * Design decision: the HMAC and dynamic truncation come from liboath
 * (Debian's liboath-dev, made for HOTP/TOTP) rather than a hand-written
 * HMAC-SHA1: libsodium has no SHA-1, and authenticator apps use SHA-1.
 * What is ours is the policy around it: a +-1 step window, a constant-time
 * compare, and returning the matched step so the caller can refuse a code
 * for a step already used (replay).  Secrets are raw bytes here; base32
 * is only for showing them to people and apps.
 */
#ifndef ADEPT_TOTP_H
#define ADEPT_TOTP_H

#include <stddef.h>
#include <stdint.h>

#define TOTP_SECRET_BYTES	20	/* 160 bits, as RFC 4226 recommends */
#define TOTP_STEP		30	/* seconds */
#define TOTP_DIGITS		6
#define TOTP_WINDOW		1	/* steps either side of now */
/* base32 text of n bytes, unpadded (no NUL) */
#define TOTP_B32_LEN(n)		(((n) * 8 + 4) / 5)

enum totp_alg {
	TOTP_SHA1,
	TOTP_SHA256,
	TOTP_SHA512,
};

/*
 * The code for Unix time t: digits (6..8) decimal digits, NUL-terminated,
 * into out (at least digits + 1 bytes), for steps of step seconds from 0.
 * Returns 0, or -1 (bad arguments, or t before 0).
 */
int	totp_code(const unsigned char *key, size_t keylen, int64_t t,
	    unsigned step, unsigned digits, enum totp_alg alg, char *out);

/*
 * Checks a 6-digit SHA-1 code typed by a person (spaces allowed) against
 * now +- TOTP_WINDOW steps of TOTP_STEP seconds.  Returns the matched time
 * step (now / 30 +- 1, >= 1), or -1 when it matches none.  The caller must
 * refuse a step not greater than the last one accepted for this key.
 */
int64_t	totp_check(const unsigned char *key, size_t keylen, int64_t now,
	    const char *code);

/*
 * RFC 4648 base32 of len bytes, unpadded, NUL-terminated.  Returns the
 * text length, or -1 if outsz < TOTP_B32_LEN(len) + 1.
 */
long	totp_base32(char *out, size_t outsz, const unsigned char *in,
	    size_t len);

/*
 * The otpauth:// URI authenticator apps read from a QR code:
 * otpauth://totp/ISSUER:ACCOUNT?secret=B32&issuer=ISSUER&algorithm=SHA1&
 * digits=6&period=30, with issuer and account percent-encoded.  Returns
 * the length, or -1 if it does not fit in outsz.
 */
long	totp_uri(char *out, size_t outsz, const char *issuer,
	    const char *account, const unsigned char *key, size_t keylen);

#endif
