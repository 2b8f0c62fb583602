/*
 * password: argon2id hashing and verification (libsodium), with a bound on
 * how many run at once in this process.
 *
 * Design decision: every argon2 computation (hash, verify, dummy verify)
 * first takes one of `slots` permits (mutex + condition variable, default
 * 2), so a burst of logins queues instead of allocating 64 MiB per
 * request.  The bound is per process: the worst case for the site is
 * workers x slots x memlimit (e.g. 4 x 2 x 64 MiB = 512 MiB).
 *
 * Parameters (defaults): argon2id, opslimit 2, memlimit 64 MiB — libsodium's
 * "interactive" limits, which DESIGN.md budgets at ~0.1 s and 64 MiB per
 * hash.  They are written into each hash string, so old hashes keep
 * verifying after the defaults change; password_needs_rehash() tells the
 * login handler to re-hash the just-verified password and store it.
 *
 * Passwords are (pointer, length): they may contain any byte.  The length
 * policy (e.g. 8..PASSWORD_MAX_LEN) belongs to the form validator; this
 * file refuses only the empty password and ones over PASSWORD_MAX_LEN.
 */
#ifndef ADEPT_PASSWORD_H
#define ADEPT_PASSWORD_H

#include <stddef.h>

#define PASSWORD_HASH_MAX	128	/* crypto_pwhash_STRBYTES, with NUL */
#define PASSWORD_MAX_LEN	1024	/* longest accepted password, bytes */
#define PASSWORD_SLOTS_DEFAULT	2
#define PASSWORD_OPSLIMIT_DEFAULT	2ULL	/* _OPSLIMIT_INTERACTIVE */
#define PASSWORD_MEMLIMIT_DEFAULT	(64UL << 20)	/* _MEMLIMIT_INTERACTIVE */

struct password_conf {
	unsigned		 slots;	/* concurrent argon2 runs; 0 = default */
	unsigned long long	 opslimit;	/* 0 = default */
	size_t			 memlimit;	/* bytes; 0 = default */
};

struct password_stats {
	unsigned	 slots;		/* configured bound */
	unsigned	 busy;		/* argon2 runs in progress now */
	unsigned	 peak;		/* highest busy seen since start/reset */
	unsigned long	 runs;		/* argon2 runs started */
	unsigned long	 waited;	/* runs that had to wait for a slot */
};

/*
 * Sets the bound and the cost of new hashes.  May be called at any time
 * (tests do); raising slots wakes waiters, lowering it lets runs in
 * progress finish.  Returns 0, or -1 (nothing changed) if opslimit or
 * memlimit is outside libsodium's argon2id range.  NULL restores defaults.
 */
int	password_configure(const struct password_conf *);

/*
 * Hashes pw (len bytes) with a fresh salt into out, an "$argon2id$..."
 * string of at most PASSWORD_HASH_MAX bytes with its NUL.  Blocks while
 * all slots are busy.  Returns 0, or -1 if len is 0 or over
 * PASSWORD_MAX_LEN, or argon2 could not get its memory.
 */
int	password_hash(const char *pw, size_t len,
	    char out[PASSWORD_HASH_MAX]);

/*
 * 0 if pw matches the stored hash string, else -1 (wrong password, bad or
 * foreign hash string, out of memory).  An empty or over-long password runs
 * password_verify_dummy() so it costs the same as a real check.  Blocks
 * while all slots are busy.
 */
int	password_verify(const char *hash, const char *pw, size_t len);

/*
 * 1 if hash was not made by argon2id with the current opslimit and
 * memlimit (or is not a valid hash string), else 0.  Cheap: no argon2.
 */
int	password_needs_rehash(const char *hash);

/*
 * For a login naming no account: spends one argon2id run with the current
 * parameters (what verifying a current hash costs) and takes a slot like a
 * real check, so the response time does not reveal whether the account
 * exists.  The result is discarded.
 */
void	password_verify_dummy(const char *pw, size_t len);

void	password_stats(struct password_stats *);
/* Resets peak to the current busy count and the counters to 0. */
void	password_stats_reset(void);

#endif
