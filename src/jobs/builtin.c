/*
 * builtin: the handlers of src/jobs/ itself: the noop probe, partition
 * upkeep and event rollups.  Every one is idempotent by construction: the
 * probe's effect is keyed by job id, partition upkeep only creates what is
 * missing, and a rollup recomputes a whole day.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "base/arena.h"
#include "base/log.h"
#include "db/db.h"
#include "jobs/handlers.h"

int
jobs_retention_months(void)
{
	const char *v = getenv("ADEPT_EVENT_RETENTION_MONTHS");
	char *end;
	long n;

	if (v == NULL || *v == '\0')
		return 24;
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno != 0 || *end != '\0' || n < 1 || n > 240) {
		log_msg("worker: ADEPT_EVENT_RETENTION_MONTHS=%s is not 1..240; "
		    "using 24", v);
		return 24;
	}
	return (int)n;
}

static json_int_t
payload_int(const char *payload, const char *key, json_int_t dflt)
{
	json_t *root, *v;
	json_int_t n = dflt;

	if ((root = json_loads(payload, 0, NULL)) == NULL)
		return dflt;
	if ((v = json_object_get(root, key)) != NULL && json_is_integer(v))
		n = json_integer_value(v);
	json_decref(root);
	return n;
}

enum job_result
job_noop(struct job *j)
{
	json_int_t ms = payload_int(j->payload, "sleep_ms", 0);
	json_int_t fail = payload_int(j->payload, "fail_until", 0);
	struct timespec ts, rem;
	const char *p[2];

	if (ms > 60000)
		ms = 60000;
	if (ms > 0) {
		ts.tv_sec = ms / 1000;
		ts.tv_nsec = (long)(ms % 1000) * 1000000L;
		while (nanosleep(&ts, &rem) == -1 && errno == EINTR)
			ts = rem;
	}
	if (j->attempt <= fail) {
		snprintf(j->err, sizeof(j->err), "asked to fail attempt %d of "
		    "the first %lld", j->attempt, (long long)fail);
		return JOB_RETRY;
	}
	p[0] = db_i64s(j->a, j->id);
	p[1] = j->worker;
	if (db_exec(j->db, STMT_JOBS_NOOP_RUN, 2, p) < 0) {
		snprintf(j->err, sizeof(j->err), "database: cannot record run");
		return JOB_RETRY;
	}
	return JOB_DONE;
}

enum job_result
job_event_partitions(struct job *j)
{
	const char *p[2];
	int i, n;

	p[0] = "2";
	p[1] = db_i64s(j->a, jobs_retention_months());
	if ((n = db_exec(j->db, STMT_JOBS_EVENT_PARTITIONS, 2, p)) < 0) {
		snprintf(j->err, sizeof(j->err), "database: partition upkeep "
		    "failed (%d)", n);
		return JOB_RETRY;
	}
	for (i = 0; i < n; i++)
		log_msg("worker: learner_events: %s", db_str(j->db, i, 0));
	return JOB_DONE;
}

static int
rollup_day(struct job *j, const char *day)
{
	const char *p[1] = { day };

	if (db_begin(j->db) == -1)
		return -1;
	if (db_exec(j->db, STMT_JOBS_EVENT_ROLLUP_LEARNER, 1, p) < 0 ||
	    db_exec(j->db, STMT_JOBS_EVENT_ROLLUP_COURSE, 1, p) < 0 ||
	    db_commit(j->db) == -1) {
		db_rollback(j->db);
		return -1;
	}
	return 0;
}

enum job_result
job_event_rollup(struct job *j)
{
	json_t *root, *v;
	char days[2][16];
	int i, nd = 0;
	time_t t;
	struct tm tm;

	if ((root = json_loads(j->payload, 0, NULL)) != NULL &&
	    (v = json_object_get(root, "day")) != NULL) {
		int y, m, d;
		char c;

		if (!json_is_string(v) || sscanf(json_string_value(v),
		    "%4d-%2d-%2d%c", &y, &m, &d, &c) != 3 ||
		    m < 1 || m > 12 || d < 1 || d > 31) {
			json_decref(root);
			snprintf(j->err, sizeof(j->err), "payload day must be "
			    "YYYY-MM-DD");
			return JOB_FATAL;
		}
		snprintf(days[nd++], sizeof(days[0]), "%04d-%02d-%02d", y, m,
		    d);
	} else {
		for (i = 1; i >= 0; i--) {
			t = (time_t)j->now - (time_t)i * 86400;
			gmtime_r(&t, &tm);
			strftime(days[nd++], sizeof(days[0]), "%Y-%m-%d", &tm);
		}
	}
	json_decref(root);
	for (i = 0; i < nd; i++)
		if (rollup_day(j, days[i]) == -1) {
			snprintf(j->err, sizeof(j->err), "database: rollup of "
			    "%s failed", days[i]);
			return JOB_RETRY;
		}
	return JOB_DONE;
}

enum job_result
job_jobs_prune(struct job *j)
{
	int n;

	if ((n = db_exec(j->db, STMT_JOBS_PRUNE, 0, NULL)) < 0) {
		snprintf(j->err, sizeof(j->err), "database: prune failed (%d)",
		    n);
		return JOB_RETRY;
	}
	if (n > 0)
		log_msg("worker: pruned %d old jobs", n);
	return JOB_DONE;
}
