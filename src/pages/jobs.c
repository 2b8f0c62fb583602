/*
 * jobs: the admin view of the background queue, /admin/jobs and its JSON
 * twin: counts, the jobs not done (dead first) with a retry button, and the
 * workers' heartbeats.  Retrying puts a dead job back at the head of the
 * queue with fresh attempts and wakes the workers.
 */
#include <string.h>

#include "base/arena.h"
#include "db/db.h"
#include "http/view.h"
#include "pages/pages.h"

#define JOBS_LIST_MAX	"200"

static int
can_retry(const char *state, int64_t attempts)
{
	return strcmp(state, "dead") == 0 ||
	    (strcmp(state, "queued") == 0 && attempts > 0);
}

int
page_admin_jobs(struct req *r)
{
	struct view *v = view_new(r->a), *row = view_new(r->a);
	const char *p[1] = { JOBS_LIST_MAX };
	struct buf rows, workers;
	int n, i, rc = 0;

	if ((n = db_exec(r->db, STMT_JOBS_ADMIN_COUNTS, 0, NULL)) < 0)
		return page_db_status(n);
	view_set_int(v, "queued", (long)db_i64(r->db, 0, 0));
	view_set_int(v, "running", (long)db_i64(r->db, 0, 1));
	view_set_int(v, "dead", (long)db_i64(r->db, 0, 2));
	view_set_int(v, "retrying", (long)db_i64(r->db, 0, 3));
	view_set_int(v, "done", (long)db_i64(r->db, 0, 4));
	if ((n = db_exec(r->db, STMT_JOBS_ADMIN_LIST, 1, p)) < 0)
		return page_db_status(n);
	buf_init(&rows);
	buf_init(&workers);
	for (i = 0; i < n && rc == 0; i++) {
		view_clear(row);
		view_set_int(row, "id", (long)db_i64(r->db, i, 0));
		view_set(row, "kind", db_str(r->db, i, 1));
		view_set(row, "state", db_str(r->db, i, 2));
		view_setf(row, "attempts", "%lld of %lld",
		    (long long)db_i64(r->db, i, 3),
		    (long long)db_i64(r->db, i, 4));
		view_set(row, "run_at", db_str(r->db, i, 5));
		view_set(row, "error", db_str(r->db, i, 6));
		view_set(row, "csrf", r->csrf);
		view_set_bool(row, "can_retry", can_retry(db_str(r->db, i, 2),
		    db_i64(r->db, i, 3)));
		rc = tmpl_render_row(TMPL_ROW_JOB, row, &rows);
	}
	if (rc == 0 && (n = db_exec(r->db, STMT_JOBS_ADMIN_WORKERS, 0,
	    NULL)) < 0)
		rc = page_db_status(n);
	for (i = 0; rc == 0 && i < n; i++) {
		view_clear(row);
		view_set(row, "name", db_str(r->db, i, 0));
		view_set(row, "host", db_str(r->db, i, 1));
		view_set_int(row, "pid", (long)db_i64(r->db, i, 2));
		view_set(row, "last_seen", db_str(r->db, i, 3));
		view_set(row, "current", db_i64(r->db, i, 4) ?
		    db_str(r->db, i, 4) : "—");
		view_set_int(row, "done", (long)db_i64(r->db, i, 5));
		view_set_bool(row, "alive", db_bool(r->db, i, 6));
		rc = tmpl_render_row(TMPL_ROW_JOB_WORKER, row, &workers);
	}
	if (rc == 0) {
		view_set_raw(v, "rows", rows.p ? rows.p : "");
		view_set_raw(v, "workers", workers.p ? workers.p : "");
	}
	buf_free(&rows);
	buf_free(&workers);
	if (rc != 0)
		return rc > 0 ? rc : 500;
	return http_page(r, TMPL_ADMIN_JOBS, v, "Background jobs");
}

static int
retry(struct req *r)
{
	const char *p[1] = { db_i64s(r->a, r->pathid[0]) };

	return db_exec(r->db, STMT_JOBS_ADMIN_RETRY, 1, p);
}

int
page_admin_job_retry(struct req *r)
{
	int n = retry(r);

	if (n < 0)
		return page_db_status(n);
	if (n == 0)
		return http_error(r, 404, "There is no dead or failed job with "
		    "that number (it may have run already).");
	return http_redirect(r, "/admin/jobs");
}

int
page_api_admin_jobs(struct req *r)
{
	const char *p[1] = { JOBS_LIST_MAX };
	int n, i;

	if ((n = db_exec(r->db, STMT_JOBS_ADMIN_COUNTS, 0, NULL)) < 0)
		return http_error(r, page_db_status(n), "Try again shortly.");
	json_begin(r);
	json_obj_begin(r, "counts");
	json_i64(r, "queued", db_i64(r->db, 0, 0));
	json_i64(r, "running", db_i64(r->db, 0, 1));
	json_i64(r, "dead", db_i64(r->db, 0, 2));
	json_i64(r, "retrying", db_i64(r->db, 0, 3));
	json_i64(r, "done", db_i64(r->db, 0, 4));
	json_obj_end(r);
	if ((n = db_exec(r->db, STMT_JOBS_ADMIN_LIST, 1, p)) < 0) {
		buf_reset(r->body);
		return http_error(r, page_db_status(n), "Try again shortly.");
	}
	json_arr_begin(r, "jobs");
	for (i = 0; i < n; i++) {
		json_obj_begin(r, NULL);
		json_i64(r, "id", db_i64(r->db, i, 0));
		json_str(r, "kind", db_str(r->db, i, 1));
		json_str(r, "state", db_str(r->db, i, 2));
		json_i64(r, "attempts", db_i64(r->db, i, 3));
		json_i64(r, "max_attempts", db_i64(r->db, i, 4));
		json_str(r, "run_at", db_str(r->db, i, 5));
		json_str(r, "last_error", db_str(r->db, i, 6));
		json_str(r, "key", db_str(r->db, i, 8));
		json_obj_end(r);
	}
	json_arr_end(r);
	if ((n = db_exec(r->db, STMT_JOBS_ADMIN_WORKERS, 0, NULL)) < 0) {
		buf_reset(r->body);
		return http_error(r, page_db_status(n), "Try again shortly.");
	}
	json_arr_begin(r, "workers");
	for (i = 0; i < n; i++) {
		json_obj_begin(r, NULL);
		json_str(r, "name", db_str(r->db, i, 0));
		json_str(r, "host", db_str(r->db, i, 1));
		json_i64(r, "pid", db_i64(r->db, i, 2));
		json_str(r, "last_seen", db_str(r->db, i, 3));
		json_i64(r, "current_job", db_i64(r->db, i, 4));
		json_i64(r, "jobs_done", db_i64(r->db, i, 5));
		json_bool(r, "alive", db_bool(r->db, i, 6));
		json_obj_end(r);
	}
	json_arr_end(r);
	json_end(r);
	return http_json(r, 200);
}

int
page_api_admin_job_retry(struct req *r)
{
	int n = retry(r);

	if (n < 0)
		return http_error(r, page_db_status(n), "Try again shortly.");
	if (n == 0)
		return http_error(r, 404, "There is no dead or failed job with "
		    "that number.");
	json_begin(r);
	json_i64(r, "id", r->pathid[0]);
	json_str(r, "state", "queued");
	json_end(r);
	return http_json(r, 200);
}
