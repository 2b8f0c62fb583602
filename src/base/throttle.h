/*
 * throttle: login back-off as pure arithmetic (no I/O, no clock).
 *
 * Design decision: the database keeps, per account and per client address,
 * the number of consecutive failed logins (reset on success, or counted
 * over THROTTLE_WINDOW) and the time of the last failure; this file only
 * turns those two numbers into "wait this many more seconds".  The first
 * `free_attempts` failures cost nothing; failure number free_attempts + k
 * (k = 0, 1, ...) makes the next attempt wait base << k seconds, capped at
 * `cap`.  With the default policy: failures 0..4 -> 0 s, 5 -> 1 s,
 * 6 -> 2 s, 7 -> 4 s, ... 14 -> 512 s, 15 and more -> 900 s (15 min).
 *
 * While a wait is in force the handler must answer "try again in N s"
 * without checking the password (and without counting the attempt), so a
 * guesser cannot make progress and cannot spend our argon2 budget.
 */
#ifndef ADEPT_THROTTLE_H
#define ADEPT_THROTTLE_H

#include <stdint.h>

/*
 * Failures older than this (seconds) should no longer be counted by the
 * caller's query.  It is longer than the cap so the cap is reachable.
 */
#define THROTTLE_WINDOW		(24 * 60 * 60)

struct throttle_policy {
	int64_t	free_attempts;	/* failures allowed without any wait */
	int64_t	base;		/* seconds after the first counted failure */
	int64_t	cap;		/* upper bound of any wait, seconds */
};

/* 5 free attempts, then 1 s doubling, capped at 15 minutes. */
extern const struct throttle_policy throttle_account;
/*
 * Per client address: 100 free attempts (a school or office behind one NAT
 * makes many honest typos), then the same
 * growth and cap.
 */
extern const struct throttle_policy throttle_address;

/*
 * Seconds (>= 0) the next attempt must still wait, given `failures`
 * consecutive failures, the time of the last one and now (all Unix
 * seconds).  p == NULL means throttle_account.  Negative failures count
 * as 0.  If last_failure lies in the future (clock stepped back), the wait
 * is the full back-off, never more.  Never overflows.
 */
int64_t	throttle_wait(const struct throttle_policy *p, int64_t failures,
	    int64_t last_failure, int64_t now);

/* The full back-off for `failures` failures, ignoring time. */
int64_t	throttle_delay(const struct throttle_policy *p, int64_t failures);

#endif
