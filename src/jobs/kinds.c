/*
 * kinds: the registry of job kinds, and enqueueing.
 *
 * The table is indexed by enum job_kind (jobs.h) and stores each kind's
 * name as it appears in the jobs table, its handler, and its retry policy.
 * A kind without a handler (fn NULL) is never taken by this build's
 * workers; its jobs wait, queued, for a build that has one.
 */
#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "db/db.h"
#include "jobs/jobs.h"
#include "jobs/handlers.h"
#include "jobs/mail_jobs.h"
#include "jobs/calibrate.h"	/* issue 5, calib */
#include "jobs/upload_cleanup.h"	/* issue 7, uploads */
#include "jobs/fraud.h"	/* issue 9, fraud */
#include "jobs/material_index.h"	/* issue 8, materials */
#include "jobs/generate.h"	/* issue 8, genproj */
#include "jobs/microlesson.h"	/* issue 8, micro */

const struct job_kind_def job_kinds[JOB__MAX] = {
	/* name, handler, max attempts, first backoff (s), lease (s) */
	[JOB_NOOP] = { "noop", job_noop, 5, 2, 60 },
	[JOB_EVENT_PARTITIONS] = { "event_partitions", job_event_partitions,
	    8, 60, 600 },
	[JOB_EVENT_ROLLUP] = { "event_rollup", job_event_rollup, 8, 60, 600 },
	[JOB_JOBS_PRUNE] = { "jobs_prune", job_jobs_prune, 5, 300, 600 },
	/* Mail helper: put your handlers here (prototypes in your header,
	 * included above). */
	[JOB_MAIL_OUTBOX] = { "mail_outbox", job_mail_outbox, 10, 30, 300 },
	[JOB_WEEKLY_REPORT] = { "weekly_report", job_weekly_report, 5, 300, 1800 },
	[JOB_CERTIFICATE] = { "certificate", job_certificate, 8, 30, 300 },
	[JOB_UPLOAD_CLEANUP] = { "upload_cleanup", job_upload_cleanup, 5, 300,
	    1800 },
	/* issue 5, calib */
	[JOB_CALIBRATE] = { "calibrate", job_calibrate, 3, 600, 1800 },
	/* issue 6 */
	[JOB_PATH_ADJUST] = { "path_adjust", job_path_adjust, 5, 300, 1800 },
	/* issue 9, fraud */
	[JOB_FRAUD_SCAN] = { "fraud_scan", job_fraud_scan, 3, 600, 1800 },
	/* issue 8, materials */
	[JOB_MATERIAL_INDEX] = { "material_index", job_material_index, 3, 10,
	    300 },
	/* issue 8, genproj */
	[JOB_GENERATE] = { "generate", job_generate, 3, 30, 300 },
	/* issue 8, micro: speech and video take a while; the lease is
	 * renewed while it runs */
	[JOB_MICROLESSON] = { "microlesson", job_microlesson, 3, 30, 600 },
};

int
jobs_kind_parse(const char *name)
{
	int i;

	for (i = 0; i < JOB__MAX; i++)
		if (job_kinds[i].name != NULL &&
		    strcmp(job_kinds[i].name, name) == 0)
			return i;
	return -1;
}

int64_t
jobs_backoff(int base_s, int n)
{
	int64_t d = base_s > 0 ? base_s : 1;

	while (--n > 0 && d < 3600)
		d *= 2;
	return d < 3600 ? d : 3600;
}

int64_t
jobs_enqueue(struct db *db, struct arena *a, enum job_kind kind,
    const char *payload, int64_t delay_s, const char *key)
{
	const char *p[5];
	int n;

	if ((unsigned)kind >= JOB__MAX)
		return DB_HARD;
	p[0] = job_kinds[kind].name;
	p[1] = payload != NULL ? payload : "{}";
	p[2] = db_i64s(a, delay_s > 0 ? delay_s : 0);
	p[3] = key;
	p[4] = db_i64s(a, job_kinds[kind].max_attempts);
	if ((n = db_exec(db, STMT_JOBS_ENQUEUE, 5, p)) < 0)
		return n;
	return n == 0 ? 0 : db_i64(db, 0, 0);
}
