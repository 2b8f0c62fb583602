/*
 * mail_jobs: background sending of the outbox, the weekly report and
 * certificate issue, as job handlers for the worker.
 *
 * The design decision: mail bodies are rendered from templates when they
 * are queued, and the worker process does not load templates itself, so
 * the handlers that queue mail load them once, on first use (the worker
 * runs handlers on one thread).
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "base/arena.h"
#include "base/config.h"
#include "base/log.h"
#include "db/db.h"
#include "http/tmpl.h"
#include "jobs/mail_jobs.h"
#include "out/mail.h"
#include "pages/certificates.h"
#include "pages/notifications.h"

static int templates_ready;

static int
need_templates(struct job *j)
{
	if (templates_ready)
		return 0;
	if (tmpl_init(j->cfg->templates) != 0) {
		snprintf(j->err, sizeof(j->err), "templates do not load "
		    "(see the log)");
		return -1;
	}
	templates_ready = 1;
	return 0;
}

enum job_result
job_mail_outbox(struct job *j)
{
	int n, failed = 0;

	if ((n = mail_send_pending(j->db, NULL, 200, &failed)) < 0) {
		snprintf(j->err, sizeof(j->err), "database error %d", n);
		return JOB_RETRY;
	}
	if (n > 0 || failed > 0)
		log_msg("mail: %d sent, %d failed (retried later)", n, failed);
	return JOB_DONE;
}

enum job_result
job_weekly_report(struct job *j)
{
	const char *p[1];
	int64_t *ids;
	int n, i, m, queued = 0;

	if (need_templates(j) != 0)
		return JOB_RETRY;
	if ((n = db_exec(j->db, STMT_MAIL_WEEKLY_RECIPIENTS, 0, p)) < 0) {
		snprintf(j->err, sizeof(j->err), "database error %d", n);
		return JOB_RETRY;
	}
	ids = arena_calloc(j->a, (size_t)n + 1, sizeof(*ids));
	for (i = 0; i < n; i++)
		ids[i] = db_i64(j->db, i, 0);
	for (i = 0; i < n; i++) {
		if (db_begin(j->db) != 0)
			return JOB_RETRY;
		m = mail_queue_weekly(j->db, j->a, ids[i]);
		if (m == 1 && notify_quiet(j->db, ids[i], "weekly_report",
		    "Your weekly progress report is in your mail.",
		    "/dashboard") < 0)
			m = DB_HARD;
		if (m < 0 || db_commit(j->db) != 0) {
			db_rollback(j->db);
			snprintf(j->err, sizeof(j->err), "user %lld: error %d",
			    (long long)ids[i], m);
			return JOB_RETRY;
		}
		queued += m == 1;
	}
	log_msg("mail: weekly report queued for %d of %d learners", queued, n);
	return JOB_DONE;
}

enum job_result
job_certificate(struct job *j)
{
	json_t *root;
	json_int_t uid = 0, cid = 0;
	char msg[256];
	int64_t id;
	int n;

	if ((root = json_loads(j->payload, 0, NULL)) != NULL) {
		uid = json_integer_value(json_object_get(root, "user_id"));
		cid = json_integer_value(json_object_get(root, "course_id"));
		json_decref(root);
	}
	if (uid <= 0 || cid <= 0) {
		snprintf(j->err, sizeof(j->err), "payload needs user_id and "
		    "course_id");
		return JOB_FATAL;
	}
	if (need_templates(j) != 0)
		return JOB_RETRY;
	n = certificate_issue_named(j->db, (int64_t)uid, (int64_t)cid, NULL,
	    &id, msg, sizeof(msg));
	if (n >= 0)
		return JOB_DONE;
	snprintf(j->err, sizeof(j->err), "certificate_issue: %d %.200s", n,
	    msg);
	if (n == CERT_BAD_NAME) {
		/* The learner can choose another spelling on the page. */
		if (notify_quiet(j->db, (int64_t)uid, "certificate",
		    "Your certificate could not be made: your name contains a "
		    "character the certificate font cannot print. Choose how "
		    "to write your name on the certificates page.",
		    "/certificates") < 0)
			return JOB_RETRY;
		return JOB_FATAL;
	}
	if (n == CERT_NOT_COMPLETED || n == CERT_BAD_TEXT)
		return JOB_FATAL;
	return JOB_RETRY;
}
