/*
 * fraud: the fraud and anomaly scan (issue 9): the "fraud_scan" job kind
 * and `adept fraud scan`.  It runs liblearn's detectors
 * (src/learn/anomaly.h) over recent data and writes what they raise to
 * fraud_flags (sql/migrations/017_fraud.sql) for an admin to confirm or
 * clear on /admin/fraud.
 */
#ifndef ADEPT_JOBS_FRAUD_H
#define ADEPT_JOBS_FRAUD_H

#include <stdint.h>

#include "jobs/jobs.h"
#include "learn/anomaly.h"

struct arena;
struct db;

/* What fraud_scan_run did. */
struct fraud_report {
	int	assessments;	/* quizzes scanned */
	int	responses;	/* answers read from them */
	int	signups;	/* sign-ups with an address */
	int	starts;		/* attempt starts with an address */
	int	found[LEARN_ANOMALY__MAX];	/* flags raised, by kind */
	int	created;	/* new flags */
	int	refreshed;	/* open flags given fresh evidence */
	int	kept;		/* raised again but already decided */
	char	err[256];	/* on failure */
};

/* Called for each flag written (created 1) or refreshed (0). */
typedef void	(*fraud_flag_fn)(void *arg, int64_t id, int created,
		    const char *kind, const char *evidence);

/*
 * The detectors' thresholds: the library defaults, each overridden by its
 * environment variable when that holds a number in range (README.md,
 * "Configuration", lists them); a bad value is logged and ignored.
 */
void	fraud_params(struct learn_anomaly_params *);
/* How far back a scan looks, in seconds: ADEPT_FRAUD_LOOKBACK_HOURS
 * (1 .. 8760), else 24 hours. */
double	fraud_lookback_s(void);

/*
 * Scans the quizzes answered in the last lookback_s seconds (fast correct
 * answers, similar wrong answers and guessing, each over the quiz's first
 * answers per learner and item), and the sign-ups and attempt starts of
 * that period per address (bursts), and writes every flag in one
 * transaction: a new flag, or fresh evidence for the open flag with the
 * same identity; a decided flag stays as decided.  Running it twice
 * writes nothing new.  fn, if not NULL, sees each flag written.
 * Returns 0, or -1 with rep->err (nothing written).
 */
int	fraud_scan_run(struct db *, struct arena *,
	    const struct learn_anomaly_params *, double lookback_s,
	    struct fraud_report *rep, fraud_flag_fn fn, void *arg);

/* "fraud_scan": payload {"hours": n} (optional; else the lookback
 * setting). */
enum job_result	job_fraud_scan(struct job *);

#endif
