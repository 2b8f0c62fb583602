/*
 * handlers: the job handlers src/jobs/ itself provides (registered in
 * kinds.c).  Each is idempotent; see jobs.h for the contract.
 */
#ifndef ADEPT_JOBS_HANDLERS_H
#define ADEPT_JOBS_HANDLERS_H

#include "jobs/jobs.h"

/* "noop": a probe.  Payload {"sleep_ms": n, "fail_until": k}: sleeps n ms
 * (at most 60 s), fails attempts 1..k, then records one job_noop_runs row
 * keyed by the job id. */
enum job_result	job_noop(struct job *);
/* "event_partitions": monthly learner_events partitions for this month and
 * the next two, default partition emptied, partitions older than
 * ADEPT_EVENT_RETENTION_MONTHS (default 24) dropped. */
enum job_result	job_event_partitions(struct job *);
/* "event_rollup": recomputes the daily rollups for {"day": "YYYY-MM-DD"},
 * or, without a day, for yesterday and today (UTC). */
enum job_result	job_event_rollup(struct job *);
/* "jobs_prune": deletes jobs done more than 30 days ago, dead ones
 * after 90 days, and the noop probe's records after 30. */
enum job_result	job_jobs_prune(struct job *);

/* Months of learner events kept (ADEPT_EVENT_RETENTION_MONTHS, 1..240,
 * default 24). */
int	jobs_retention_months(void);

/* Weekly learning-path adjustment (issue 6): path_adjust.c. */
enum job_result	job_path_adjust(struct job *);
/* Adjusts one learner's path now: 1 (a version written), 0 (no change
 * needed, or no goal), or a db_err. */
int	path_adjust_user(struct db *, struct arena *, int64_t user);

#endif
