/*
 * jobs: the background queue (PostgreSQL table `jobs`, sql/migrations/
 * 005_jobs.sql) and the registry of job kinds.
 *
 * A job is a row: kind, JSON payload, run_at, attempts, state (queued,
 * running, done, dead).  `adept worker` takes due jobs with FOR UPDATE SKIP
 * LOCKED under a lease (locked_until, renewed by the worker's heartbeat
 * while the handler runs), so a worker killed mid-job loses nothing: the
 * lease runs out and another worker takes the job again.  Handlers must
 * therefore be idempotent: running one twice has the effect of running it
 * once (an ON CONFLICT key, a "sent_at IS NULL" guard, a unique
 * (kind, period) row).  A failed run is retried after backoff_s * 2^(n-1)
 * seconds (capped at an hour) until max_attempts, then the job is "dead"
 * and shows on /admin/jobs with a retry button.
 *
 * Adding a kind: a value in enum job_kind (before JOB__MAX), a row in the
 * table in src/jobs/kinds.c (name, handler, max attempts, backoff, lease),
 * and the handler in the owner's file with its prototype in the owner's
 * header.  Names are stored in the table, so never rename one.
 */
#ifndef ADEPT_JOBS_H
#define ADEPT_JOBS_H

#include <stdint.h>

struct arena;
struct config;
struct db;

enum job_kind {
	JOB_NOOP = 0,		/* "noop": records its run (tests, health) */
	JOB_EVENT_PARTITIONS,	/* "event_partitions": monthly partitions
				   ahead, retention */
	JOB_EVENT_ROLLUP,	/* "event_rollup": daily per learner/course */
	/* Mail and notifications (issue 7, mail helper): handlers are
	 * registered in kinds.c; NULL until they exist (the job then waits,
	 * queued, for a build that has one). */
	JOB_MAIL_OUTBOX,	/* "mail_outbox": send due email_outbox rows */
	JOB_WEEKLY_REPORT,	/* "weekly_report" */
	JOB_CERTIFICATE,	/* "certificate": issue one certificate */
	JOB_UPLOAD_CLEANUP,	/* "upload_cleanup": orphaned uploads */
	JOB_JOBS_PRUNE,		/* "jobs_prune": forgets old finished jobs */
	JOB_CALIBRATE,		/* "calibrate": item IRT refit (issue 5,
				   calib; src/jobs/calibrate.c) */
	JOB_PATH_ADJUST,	/* "path_adjust": weekly learning-path
				   adjustment (issue 6; path_adjust.c) */
	JOB_FRAUD_SCAN,		/* "fraud_scan": anomaly flags (issue 9;
				   src/jobs/fraud.c) */
	JOB_MATERIAL_INDEX,	/* "material_index": one course material to
				   passages (issue 8; material_index.c) */
	JOB_GENERATE,		/* "generate": a generation project (issue 8;
				   src/jobs/generate.c) */
	JOB_MICROLESSON,	/* "microlesson": a narrated micro-lesson
				   (issue 8, micro; src/jobs/microlesson.c) */
	JOB__MAX
};

/* What a handler is given.  db is the worker's own connection, idle (no
 * transaction open): the handler may use db_begin/db_commit.  a is reset
 * after each job.  payload is the job's JSON text ("{}" when none). */
struct job {
	int64_t			 id;
	enum job_kind		 kind;
	const char		*payload;
	int			 attempt;	/* 1 on the first run */
	int64_t			 now;		/* Unix seconds at start */
	struct db		*db;
	struct arena		*a;
	const struct config	*cfg;
	const char		*worker;	/* this worker's name */
	char			 err[256];	/* why, on JOB_RETRY/JOB_FATAL */
};

enum job_result {
	JOB_DONE = 0,
	JOB_RETRY = 1,		/* failed: retry after backoff (or dead) */
	JOB_FATAL = 2,		/* failed for good: dead at once */
};

typedef enum job_result	(*job_fn)(struct job *);

struct job_kind_def {
	const char	*name;
	job_fn		 fn;		/* NULL: not runnable in this build */
	int		 max_attempts;
	int		 backoff_s;	/* first retry delay, doubled each time */
	int		 lease_s;	/* a run holds the job this long between
					   heartbeats (5 s): at least 15 */
};

extern const struct job_kind_def	job_kinds[JOB__MAX];

/* Looks a kind up by name; -1 when unknown. */
int	jobs_kind_parse(const char *name);

/*
 * Enqueues a job and wakes the workers (NOTIFY, delivered at commit).
 * Safe inside the caller's transaction: call it between db_begin and
 * db_commit to enqueue atomically with the action (outbox pattern).
 * payload: JSON text or NULL ("{}"); delay_s: seconds from now (0 = at
 * once); key: NULL, or a dedupe key: a second enqueue of the same
 * (kind, key) is a no-op, so "once per period" is a key like
 * "2026-W48".  Returns the job id, 0 when (kind, key) was already
 * there, or a db_err (< 0).
 */
int64_t	jobs_enqueue(struct db *, struct arena *, enum job_kind,
	    const char *payload, int64_t delay_s, const char *key);

/* `adept worker`'s loop: runs until SIGTERM/SIGINT (finishing the job in
 * hand).  Returns the exit status. */
int	jobs_worker_run(const struct config *, int once);

/* Backoff before retry n (n >= 1) for a kind with first delay base_s:
 * base_s * 2^(n-1), capped at 3600. */
int64_t	jobs_backoff(int base_s, int n);

#endif
