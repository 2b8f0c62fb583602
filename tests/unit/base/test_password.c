/*
 * password: argon2id hash/verify with the production parameters, wrong
 * and malformed inputs, needs-rehash, the dummy verify, and the bound on
 * concurrent argon2 runs.  The bound is measured independently of the
 * module's own counters: the argon2 entry points are wrapped at link time
 * (-Wl,--wrap), and the wrapper counts runs in flight and holds each one
 * for a few milliseconds so overlaps cannot be missed.
 */
// LDFLAGS: -Wl,--wrap=crypto_pwhash_str_alg -Wl,--wrap=crypto_pwhash_str_verify
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "base/password.h"

int	__real_crypto_pwhash_str_alg(char *, const char *, unsigned long long,
	    unsigned long long, size_t, int);
int	__wrap_crypto_pwhash_str_alg(char *, const char *, unsigned long long,
	    unsigned long long, size_t, int);
int	__real_crypto_pwhash_str_verify(const char *, const char *,
	    unsigned long long);
int	__wrap_crypto_pwhash_str_verify(const char *, const char *,
	    unsigned long long);

static atomic_int inflight, maxflight, calls, hold_ms;

static void
enter(void)
{
	int n = atomic_fetch_add(&inflight, 1) + 1;
	int m = atomic_load(&maxflight);
	struct timespec ts;

	while (n > m && !atomic_compare_exchange_weak(&maxflight, &m, n))
		;
	atomic_fetch_add(&calls, 1);
	if (atomic_load(&hold_ms) > 0) {
		ts.tv_sec = 0;
		ts.tv_nsec = (long)atomic_load(&hold_ms) * 1000000L;
		nanosleep(&ts, NULL);
	}
}

static void
leave(void)
{
	atomic_fetch_sub(&inflight, 1);
}

int
__wrap_crypto_pwhash_str_alg(char *out, const char *pw,
    unsigned long long len, unsigned long long ops, size_t mem, int alg)
{
	int rc;

	enter();
	rc = __real_crypto_pwhash_str_alg(out, pw, len, ops, mem, alg);
	leave();
	return rc;
}

int
__wrap_crypto_pwhash_str_verify(const char *h, const char *pw,
    unsigned long long len)
{
	int rc;

	enter();
	rc = __real_crypto_pwhash_str_verify(h, pw, len);
	leave();
	return rc;
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Cheap parameters for tests that only need argon2 to run. */
static void
cheap(unsigned slots)
{
	const struct password_conf c = { slots, 1, 64 * 1024 };

	assert_int_equal(password_configure(&c), 0);
}

static void
test_hash_verify_default_params(void **state)
{
	char h[PASSWORD_HASH_MAX];
	double t0, t_hash, t_verify, t_dummy;

	assert_int_equal(password_configure(NULL), 0);
	t0 = now_s();
	assert_int_equal(password_hash("correct horse", 13, h), 0);
	t_hash = now_s() - t0;
	assert_memory_equal(h, "$argon2id$v=19$m=65536,t=2,p=1$", 31);
	t0 = now_s();
	assert_int_equal(password_verify(h, "correct horse", 13), 0);
	t_verify = now_s() - t0;
	assert_int_equal(password_verify(h, "correct horsf", 13), -1);
	assert_int_equal(password_verify(h, "correct hors", 12), -1);
	assert_int_equal(password_verify(h, "correct horse ", 14), -1);
	assert_int_equal(password_needs_rehash(h), 0);
	t0 = now_s();
	password_verify_dummy("correct horse", 13);
	t_dummy = now_s() - t0;
	printf("# argon2id m=64MiB t=2 p=1, one run each: hash %.3f s, "
	    "verify %.3f s, dummy verify %.3f s (CLOCK_MONOTONIC)\n",
	    t_hash, t_verify, t_dummy);
	/* The dummy must cost about what a real check costs. */
	assert_true(t_dummy > 0.3 * t_verify && t_dummy < 3.0 * t_verify);
}

static void
test_salted_and_binary_safe(void **state)
{
	char a[PASSWORD_HASH_MAX], b[PASSWORD_HASH_MAX];
	const char pw[] = { 'a', '\0', 'b' };

	cheap(2);
	assert_int_equal(password_hash("same", 4, a), 0);
	assert_int_equal(password_hash("same", 4, b), 0);
	assert_string_not_equal(a, b);
	assert_int_equal(password_verify(b, "same", 4), 0);
	/* bytes after a NUL count */
	assert_int_equal(password_hash(pw, 3, a), 0);
	assert_int_equal(password_verify(a, pw, 3), 0);
	assert_int_equal(password_verify(a, "a", 1), -1);
}

static void
test_bad_inputs(void **state)
{
	char h[PASSWORD_HASH_MAX], big[PASSWORD_MAX_LEN + 1], junk[200];
	struct password_stats s;

	cheap(2);
	memset(big, 'x', sizeof(big));
	assert_int_equal(password_hash("", 0, h), -1);
	assert_string_equal(h, "");
	assert_int_equal(password_hash(big, sizeof(big), h), -1);
	assert_int_equal(password_hash(big, PASSWORD_MAX_LEN, h), 0);
	assert_int_equal(password_verify(h, big, PASSWORD_MAX_LEN), 0);

	/* over-long or empty passwords still cost one argon2 run */
	password_stats_reset();
	assert_int_equal(password_verify(h, big, sizeof(big)), -1);
	assert_int_equal(password_verify(h, "", 0), -1);
	password_stats(&s);
	assert_int_equal(s.runs, 2);

	assert_int_equal(password_verify("not a hash", "pw", 2), -1);
	assert_int_equal(password_verify("", "pw", 2), -1);
	assert_int_equal(password_verify(NULL, "pw", 2), -1);
	memset(junk, 'a', sizeof(junk));	/* no NUL within 128 bytes */
	assert_int_equal(password_verify(junk, "pw", 2), -1);
	assert_int_equal(password_needs_rehash(junk), 1);

	{
		const struct password_conf tiny = { 2, 1, 1024 };
		const struct password_conf zero_ok = { 0, 0, 0 };

		assert_int_equal(password_configure(&tiny), -1);
		assert_int_equal(password_configure(&zero_ok), 0);
	}
}

static void
test_needs_rehash(void **state)
{
	char h[PASSWORD_HASH_MAX], i[crypto_pwhash_argon2i_STRBYTES];

	cheap(2);
	assert_int_equal(password_hash("pw", 2, h), 0);
	assert_int_equal(password_needs_rehash(h), 0);
	assert_int_equal(password_configure(NULL), 0);
	assert_int_equal(password_needs_rehash(h), 1);	/* weaker than now */
	assert_int_equal(password_verify(h, "pw", 2), 0);	/* still checks */
	assert_int_equal(password_needs_rehash("garbage"), 1);
	assert_int_equal(password_needs_rehash(NULL), 1);
	/* argon2i with the current cost still wants argon2id */
	assert_int_equal(crypto_pwhash_argon2i_str(i, "pw", 2, 3,
	    PASSWORD_MEMLIMIT_DEFAULT), 0);
	{
		const struct password_conf c = { 2, 3, 0 };

		assert_int_equal(password_configure(&c), 0);
	}
	assert_int_equal(password_needs_rehash(i), 1);
	assert_int_equal(password_verify(i, "pw", 2), 0);
}

static void
test_dummy_runs_argon2(void **state)
{
	struct password_stats s;
	int before;

	cheap(2);
	password_stats_reset();
	before = atomic_load(&calls);
	password_verify_dummy("whatever", 8);
	password_verify_dummy(NULL, 0);
	assert_int_equal(atomic_load(&calls) - before, 2);
	password_stats(&s);
	assert_int_equal(s.runs, 2);
	assert_int_equal(s.busy, 0);
}

#define NTHREADS	8

struct job {
	int	 hash_rc;
	int	 verify_rc;
};

static void *
worker(void *arg)
{
	struct job *j = arg;
	char h[PASSWORD_HASH_MAX];

	j->hash_rc = password_hash("secret", 6, h);
	j->verify_rc = j->hash_rc == 0 ? password_verify(h, "secret", 6) : -9;
	return NULL;
}

/* Runs NTHREADS hash+verify pairs under `slots`; returns max in flight. */
static int
burst(unsigned slots, struct password_stats *s)
{
	pthread_t th[NTHREADS];
	struct job jobs[NTHREADS];
	int i;

	cheap(slots);
	password_stats_reset();
	atomic_store(&maxflight, 0);
	atomic_store(&hold_ms, 15);
	for (i = 0; i < NTHREADS; i++)
		assert_int_equal(pthread_create(&th[i], NULL, worker, &jobs[i]),
		    0);
	for (i = 0; i < NTHREADS; i++)
		pthread_join(th[i], NULL);
	atomic_store(&hold_ms, 0);
	for (i = 0; i < NTHREADS; i++) {
		assert_int_equal(jobs[i].hash_rc, 0);
		assert_int_equal(jobs[i].verify_rc, 0);
	}
	password_stats(s);
	return atomic_load(&maxflight);
}

static void
test_concurrency_bound(void **state)
{
	struct password_stats s;
	int m;

	m = burst(2, &s);
	printf("# slots 2: max in flight %d, peak %u, runs %lu, waited %lu\n",
	    m, s.peak, s.runs, s.waited);
	assert_int_equal(m, 2);		/* bounded, and really parallel */
	assert_int_equal(s.peak, 2);
	assert_int_equal(s.runs, 2 * NTHREADS);
	assert_true(s.waited > 0);
	assert_int_equal(s.busy, 0);

	m = burst(1, &s);
	assert_int_equal(m, 1);
	assert_int_equal(s.peak, 1);

	m = burst(4, &s);
	printf("# slots 4: max in flight %d\n", m);
	assert_int_equal(m, 4);
	assert_int_equal(password_configure(NULL), 0);
	password_stats(&s);
	assert_int_equal(s.slots, PASSWORD_SLOTS_DEFAULT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hash_verify_default_params),
		cmocka_unit_test(test_salted_and_binary_safe),
		cmocka_unit_test(test_bad_inputs),
		cmocka_unit_test(test_needs_rehash),
		cmocka_unit_test(test_dummy_runs_argon2),
		cmocka_unit_test(test_concurrency_bound),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
