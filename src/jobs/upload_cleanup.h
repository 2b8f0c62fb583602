/*
 * upload_cleanup: the orphan clean-up job (issue 7, uploads).
 */
#ifndef ADEPT_UPLOAD_CLEANUP_H
#define ADEPT_UPLOAD_CLEANUP_H

#include "jobs/jobs.h"

/* Deletes uploads nothing refers to (no course cover, no lesson media)
 * that are older than a day, rows and files, and temporary upload files
 * older than an hour.  Idempotent: a file already gone is not an error. */
enum job_result	job_upload_cleanup(struct job *);

#endif
