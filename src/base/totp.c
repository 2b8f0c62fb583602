/*
 * totp: see totp.h.  liboath does HMAC and truncation; this file adds the
 * window, the constant-time compare and the encodings.
 */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <liboath/oath.h>

#include "base/token.h"
#include "base/totp.h"

static pthread_once_t	once = PTHREAD_ONCE_INIT;
static int		oath_ok;

static void
init_oath(void)
{
	oath_ok = oath_init() == OATH_OK;
}

int
totp_code(const unsigned char *key, size_t keylen, int64_t t, unsigned step,
    unsigned digits, enum totp_alg alg, char *out)
{
	int flags;

	if (key == NULL || keylen == 0 || t < 0 || step == 0 ||
	    digits < 6 || digits > 8)
		return -1;
	pthread_once(&once, init_oath);
	if (!oath_ok)
		return -1;
	switch (alg) {
	case TOTP_SHA1:
		flags = 0;
		break;
	case TOTP_SHA256:
		flags = OATH_TOTP_HMAC_SHA256;
		break;
	case TOTP_SHA512:
		flags = OATH_TOTP_HMAC_SHA512;
		break;
	default:
		return -1;
	}
	if (oath_totp_generate2((const char *)key, keylen, (time_t)t, step, 0,
	    digits, flags, out) != OATH_OK)
		return -1;
	return 0;
}

int64_t
totp_check(const unsigned char *key, size_t keylen, int64_t now,
    const char *code)
{
	char typed[TOTP_DIGITS + 1], want[TOTP_DIGITS + 1];
	int64_t step, found = -1;
	size_t n = 0;
	int d;

	if (code == NULL || now < TOTP_STEP * 2)
		return -1;
	for (; *code != '\0'; code++) {
		if (*code == ' ' || *code == '-')
			continue;
		if (!isdigit((unsigned char)*code) || n == TOTP_DIGITS)
			return -1;
		typed[n++] = *code;
	}
	if (n != TOTP_DIGITS)
		return -1;
	typed[n] = '\0';
	step = now / TOTP_STEP;
	/* Every candidate is computed and compared, so the time taken does
	 * not say which step matched. */
	for (d = -TOTP_WINDOW; d <= TOTP_WINDOW; d++) {
		if (totp_code(key, keylen, (step + d) * TOTP_STEP, TOTP_STEP,
		    TOTP_DIGITS, TOTP_SHA1, want) != 0)
			return -1;
		if (token_equal(typed, TOTP_DIGITS, want, TOTP_DIGITS) &&
		    found < 0)
			found = step + d;
	}
	return found;
}

long
totp_base32(char *out, size_t outsz, const unsigned char *in, size_t len)
{
	static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
	size_t i, o = 0, need = TOTP_B32_LEN(len);
	unsigned buf = 0;
	int bits = 0;

	if (outsz < need + 1)
		return -1;
	for (i = 0; i < len; i++) {
		buf = (buf << 8) | in[i];
		bits += 8;
		while (bits >= 5) {
			out[o++] = abc[(buf >> (bits - 5)) & 31];
			bits -= 5;
		}
	}
	if (bits > 0)
		out[o++] = abc[(buf << (5 - bits)) & 31];
	out[o] = '\0';
	return (long)o;
}

/* Appends s percent-encoded (RFC 3986 unreserved kept) at out + *o. */
static int
pct(char *out, size_t outsz, size_t *o, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	unsigned char c;

	for (; *s != '\0'; s++) {
		c = (unsigned char)*s;
		if (isalnum(c) || c == '-' || c == '.' || c == '_' ||
		    c == '~' || c == '@') {
			if (*o + 1 >= outsz)
				return -1;
			out[(*o)++] = (char)c;
		} else {
			if (*o + 3 >= outsz)
				return -1;
			out[(*o)++] = '%';
			out[(*o)++] = hex[c >> 4];
			out[(*o)++] = hex[c & 15];
		}
	}
	out[*o] = '\0';
	return 0;
}

long
totp_uri(char *out, size_t outsz, const char *issuer, const char *account,
    const unsigned char *key, size_t keylen)
{
	char b32[TOTP_B32_LEN(64) + 1];
	size_t o;
	int n;

	if (keylen > 64 || outsz < 16 ||
	    totp_base32(b32, sizeof(b32), key, keylen) < 0)
		return -1;
	o = (size_t)snprintf(out, outsz, "otpauth://totp/");
	if (pct(out, outsz, &o, issuer) == -1 ||
	    pct(out, outsz, &o, ":") == -1 ||
	    pct(out, outsz, &o, account) == -1 ||
	    pct(out, outsz, &o, "") == -1)
		return -1;
	n = snprintf(out + o, outsz - o, "?secret=%s&issuer=", b32);
	if (n < 0 || (size_t)n >= outsz - o)
		return -1;
	o += (size_t)n;
	if (pct(out, outsz, &o, issuer) == -1)
		return -1;
	n = snprintf(out + o, outsz - o, "&algorithm=SHA1&digits=%d&period=%d",
	    TOTP_DIGITS, TOTP_STEP);
	if (n < 0 || (size_t)n >= outsz - o)
		return -1;
	return (long)(o + (size_t)n);
}
