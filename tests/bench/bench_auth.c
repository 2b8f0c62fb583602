/*
 * bench_auth: cost of the authentication primitives on one thread,
 * wall-clock by clock_gettime(CLOCK_MONOTONIC): argon2id hash and verify
 * with the production parameters (password.h defaults), access-token
 * issue and verify (jwt.h), CSRF token make+verify (csrf.h), refresh-token
 * draw+hash (token.h).  Each figure is the mean over the stated number of
 * repetitions after one warm-up call; argon2 also reports min and max.
 * The load average is printed because the machine may be shared.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/password.h"
#include "base/token.h"
#include "http/csrf.h"
#include "http/jwt.h"

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
argon2(void)
{
	char h[PASSWORD_HASH_MAX];
	double t, sum_h = 0, sum_v = 0, min = 1e9, max = 0;
	int i, n = 5, bad = 0;

	password_configure(NULL);
	if (password_hash("warm-up", 7, h) != 0) {
		printf("argon2id: hash failed\n");
		return;
	}
	for (i = 0; i < n; i++) {
		t = now_s();
		bad |= password_hash("correct horse battery", 21, h);
		t = now_s() - t;
		sum_h += t;
		min = t < min ? t : min;
		max = t > max ? t : max;
	}
	printf("argon2id m=64MiB t=2 p=1 hash:   %.1f ms mean (min %.1f, "
	    "max %.1f), %d reps\n", 1e3 * sum_h / n, 1e3 * min, 1e3 * max, n);
	min = 1e9;
	max = 0;
	for (i = 0; i < n; i++) {
		t = now_s();
		bad |= password_verify(h, "correct horse battery", 21);
		t = now_s() - t;
		sum_v += t;
		min = t < min ? t : min;
		max = t > max ? t : max;
	}
	printf("argon2id m=64MiB t=2 p=1 verify: %.1f ms mean (min %.1f, "
	    "max %.1f), %d reps%s\n", 1e3 * sum_v / n, 1e3 * min, 1e3 * max,
	    n, bad ? " (A CALL FAILED)" : "");
}

static void
jwt(void)
{
	unsigned char key[32];
	struct http_jwt_conf c = { key, sizeof(key), "adept", "adept", 0 };
	struct http_jwt_claims cl;
	char t[HTTP_JWT_MAX_LEN + 1];
	int i, n = 20000, bad = 0;
	double t0;

	memset(key, 0x42, sizeof(key));
	bad |= http_jwt_issue(&c, 42, "learner", "family", 1700000000, t,
	    sizeof(t), NULL);
	t0 = now_s();
	for (i = 0; i < n; i++)
		bad |= http_jwt_issue(&c, 42 + i, "learner", "family",
		    1700000000, t, sizeof(t), NULL);
	printf("jwt issue:  %.2f us/op, %d reps (token %zu bytes)\n",
	    1e6 * (now_s() - t0) / n, n, strlen(t));
	t0 = now_s();
	for (i = 0; i < n; i++)
		bad |= http_jwt_verify(&c, t, 1700000060, &cl);
	printf("jwt verify: %.2f us/op, %d reps%s\n",
	    1e6 * (now_s() - t0) / n, n, bad ? " (A CALL FAILED)" : "");
}

static void
csrf_and_token(void)
{
	unsigned char key[HTTP_CSRF_KEY_LEN];
	char t[HTTP_CSRF_TOKEN_LEN + 1], r[TOKEN_STR_LEN + 1];
	char h[TOKEN_HASH_HEX_LEN + 1];
	int i, n = 200000, bad = 0;
	double t0;

	memset(key, 0x17, sizeof(key));
	t0 = now_s();
	for (i = 0; i < n; i++) {
		bad |= http_csrf_token(key, HTTP_CSRF_SESS, "family", "form", t);
		bad |= http_csrf_verify(key, HTTP_CSRF_SESS, "family", "form",
		    t);
	}
	printf("csrf token+verify: %.2f us/op, %d reps%s\n",
	    1e6 * (now_s() - t0) / n, n, bad ? " (A CALL FAILED)" : "");
	t0 = now_s();
	for (i = 0; i < n; i++) {
		token_random(r);
		token_hash_hex(r, TOKEN_STR_LEN, h);
	}
	printf("refresh token draw+sha256 hex: %.2f us/op, %d reps\n",
	    1e6 * (now_s() - t0) / n, n);
}

int
main(void)
{
	char la[64] = "?";
	FILE *f;

	if ((f = fopen("/proc/loadavg", "r")) != NULL) {
		if (fgets(la, sizeof(la), f) != NULL)
			la[strcspn(la, "\n")] = '\0';
		fclose(f);
	}
	printf("bench_auth: one thread, CLOCK_MONOTONIC, loadavg %s\n", la);
	token_sodium_init();
	argon2();
	jwt();
	csrf_and_token();
	return 0;
}
