/*
 * events: POST /api/v1/events, batches of learner events (issue 7).
 *
 * The learner is the signed-in user (Bearer token, or cookie and CSRF
 * header), never the body.  events_parse() validates the whole batch
 * before anything is written and names the first bad event's index; then
 * one COPY (binary rows, events_parse builds them) stores the batch.  The
 * answer is sent only after that statement has committed, so an
 * acknowledged event is stored; a client that got no answer sends the same
 * batch again: its COPY then meets the events stored before and fails
 * whole, and the batch goes through a staging table instead, skipping
 * them.
 */
#include <stdint.h>

#include "base/arena.h"
#include "db/db.h"
#include "jobs/handlers.h"
#include "pages/events.h"
#include "pages/pages.h"

static int
refuse(struct req *r, int status, long idx, const char *msg)
{
	buf_reset(r->body);
	json_begin(r);
	json_obj_begin(r, "error");
	json_i64(r, "status", status);
	json_str(r, "message", msg);
	if (idx >= 0)
		json_i64(r, "index", idx);
	json_obj_end(r);
	json_end(r);
	return http_json(r, status);
}

/* A retried batch: staged, then merged skipping the events stored
 * before, in one transaction.  Returns the events stored or a db_err. */
static int
store_skipping_stored(struct db *db, const struct ev_batch *eb)
{
	int rc;

	if (db_begin(db) == -1)
		return DB_RETRY;
	if ((rc = db_exec(db, STMT_EVENTS_STAGE_OPEN, 0, NULL)) >= 0 &&
	    (rc = db_copy(db, STMT_EVENTS_STAGE_COPY, eb->copy,
	    eb->copy_len)) >= 0 &&
	    (rc = db_exec(db, STMT_EVENTS_STAGE_MERGE, 0, NULL)) >= 0) {
		rc = (int)db_i64(db, 0, 0);
		if (db_commit(db) == 0)
			return rc;
		rc = DB_RETRY;
	}
	db_rollback(db);
	return rc;
}

int
page_api_events(struct req *r)
{
	struct ev_batch eb;
	int rc = 0, status;

	status = events_parse(r->a, r->raw_body, r->raw_len, r->now,
	    jobs_retention_months(), r->user.id, &eb);
	if (status != 0)
		return refuse(r, status, eb.index, eb.error);
	if (eb.stored_max > 0) {
		rc = db_copy(r->db, STMT_EVENTS_COPY, eb.copy, eb.copy_len);
		if (rc == DB_CONFLICT)	/* a retry: skip what is stored */
			rc = store_skipping_stored(r->db, &eb);
	}
	if (rc < 0) {
		if (rc != DB_HARD)
			http_header(r, "Retry-After", "1");
		return refuse(r, page_db_status(rc), -1, "the events were not "
		    "stored; send the same batch again (ids make it safe)");
	}
	json_begin(r);
	json_i64(r, "received", (int64_t)eb.received);
	json_i64(r, "stored", rc);
	json_i64(r, "duplicates", (int64_t)eb.received - rc);
	json_end(r);
	return http_json(r, 200);
}
