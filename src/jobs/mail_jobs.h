/*
 * mail_jobs: the job handlers of mail and certificates (registered in
 * src/jobs/kinds.c).
 */
#ifndef ADEPT_MAIL_JOBS_H
#define ADEPT_MAIL_JOBS_H

#include "jobs/jobs.h"

/* "mail_outbox": sends due outbox rows (up to 200 per run).  Idempotent:
 * a row is marked sent in the transaction that holds its lock. */
enum job_result	job_mail_outbox(struct job *);
/* "weekly_report": queues the weekly progress mail (and an in-app
 * notification) for every learner with an active enrolment who has not had
 * one in six days, so a re-run queues nothing twice. */
enum job_result	job_weekly_report(struct job *);
/* "certificate": {"user_id": n, "course_id": n}: certificate_issue(),
 * itself idempotent.  A name the font cannot print is not retried. */
enum job_result	job_certificate(struct job *);

#endif
