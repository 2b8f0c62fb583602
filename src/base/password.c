/*
 * password: argon2id behind a counting semaphore; see password.h.
 *
 * The semaphore is a mutex + condition variable rather than a POSIX
 * sem_t so the bound can change at run time and the statistics (busy,
 * peak) are read under the same lock that enforces it.
 */
#include <pthread.h>
#include <string.h>

#include <sodium.h>

#include "base/password.h"
#include "base/token.h"

static pthread_mutex_t	 mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t	 cv = PTHREAD_COND_INITIALIZER;
static unsigned		 slots = PASSWORD_SLOTS_DEFAULT;
static unsigned		 busy, peak;
static unsigned long	 runs, waited;
static unsigned long long opslimit = PASSWORD_OPSLIMIT_DEFAULT;
static size_t		 memlimit = PASSWORD_MEMLIMIT_DEFAULT;

/* Takes a slot; returns the parameters in force for this run. */
static void
acquire(unsigned long long *ops, size_t *mem)
{
	pthread_mutex_lock(&mu);
	runs++;
	if (busy >= slots)
		waited++;
	while (busy >= slots)
		pthread_cond_wait(&cv, &mu);
	busy++;
	if (busy > peak)
		peak = busy;
	*ops = opslimit;
	*mem = memlimit;
	pthread_mutex_unlock(&mu);
}

static void
release(void)
{
	pthread_mutex_lock(&mu);
	busy--;
	pthread_cond_signal(&cv);
	pthread_mutex_unlock(&mu);
}

int
password_configure(const struct password_conf *c)
{
	unsigned long long ops = PASSWORD_OPSLIMIT_DEFAULT;
	size_t mem = PASSWORD_MEMLIMIT_DEFAULT;
	unsigned n = PASSWORD_SLOTS_DEFAULT;

	if (c != NULL) {
		if (c->slots)
			n = c->slots;
		if (c->opslimit)
			ops = c->opslimit;
		if (c->memlimit)
			mem = c->memlimit;
	}
	if (ops < crypto_pwhash_argon2id_OPSLIMIT_MIN ||
	    ops > crypto_pwhash_argon2id_OPSLIMIT_MAX ||
	    mem < crypto_pwhash_argon2id_MEMLIMIT_MIN ||
	    mem > crypto_pwhash_argon2id_MEMLIMIT_MAX)
		return -1;
	token_sodium_init();
	pthread_mutex_lock(&mu);
	slots = n;
	opslimit = ops;
	memlimit = mem;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&mu);
	return 0;
}

int
password_hash(const char *pw, size_t len, char out[PASSWORD_HASH_MAX])
{
	unsigned long long ops;
	size_t mem;
	int rc;

	out[0] = '\0';
	if (pw == NULL || len == 0 || len > PASSWORD_MAX_LEN)
		return -1;
	token_sodium_init();
	acquire(&ops, &mem);
	rc = crypto_pwhash_str_alg(out, pw, len, ops, mem,
	    crypto_pwhash_ALG_ARGON2ID13);
	release();
	if (rc != 0) {
		out[0] = '\0';
		return -1;
	}
	return 0;
}

int
password_verify(const char *hash, const char *pw, size_t len)
{
	unsigned long long ops;
	size_t mem;
	int rc;

	if (pw == NULL || len == 0 || len > PASSWORD_MAX_LEN) {
		password_verify_dummy("", 0);
		return -1;
	}
	/* libsodium reads the string up to its NUL: bound it first. */
	if (hash == NULL || strnlen(hash, PASSWORD_HASH_MAX) >=
	    PASSWORD_HASH_MAX)
		return -1;
	token_sodium_init();
	acquire(&ops, &mem);
	rc = crypto_pwhash_str_verify(hash, pw, len);
	release();
	return rc == 0 ? 0 : -1;
}

int
password_needs_rehash(const char *hash)
{
	unsigned long long ops;
	size_t mem;

	if (hash == NULL || strnlen(hash, PASSWORD_HASH_MAX) >=
	    PASSWORD_HASH_MAX)
		return 1;
	token_sodium_init();
	pthread_mutex_lock(&mu);
	ops = opslimit;
	mem = memlimit;
	pthread_mutex_unlock(&mu);
	/* The argon2id variant also answers "rehash" for argon2i strings. */
	return crypto_pwhash_argon2id_str_needs_rehash(hash, ops, mem) != 0;
}

void
password_verify_dummy(const char *pw, size_t len)
{
	char out[PASSWORD_HASH_MAX];
	unsigned long long ops;
	size_t mem;
	int rc;

	/*
	 * Hashing with the current parameters costs what verifying a current
	 * hash costs (one argon2id run; the salt draw and encoding are
	 * negligible), and needs no stored dummy hash to keep in step.
	 */
	if (pw == NULL || len > PASSWORD_MAX_LEN)
		len = 0;
	token_sodium_init();
	acquire(&ops, &mem);
	rc = crypto_pwhash_str_alg(out, len ? pw : "", len, ops, mem,
	    crypto_pwhash_ALG_ARGON2ID13);
	release();
	(void)rc;	/* the result is deliberately unused */
	sodium_memzero(out, sizeof(out));
}

void
password_stats(struct password_stats *s)
{
	pthread_mutex_lock(&mu);
	s->slots = slots;
	s->busy = busy;
	s->peak = peak;
	s->runs = runs;
	s->waited = waited;
	pthread_mutex_unlock(&mu);
}

void
password_stats_reset(void)
{
	pthread_mutex_lock(&mu);
	peak = busy;
	runs = waited = 0;
	pthread_mutex_unlock(&mu);
}
