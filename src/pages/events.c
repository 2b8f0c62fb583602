/*
 * events: POST /api/v1/events, batches of learner events (issue 7).
 *
 * The learner is the signed-in user (Bearer token, or cookie and CSRF
 * header), never the body.  events_parse() validates the whole batch
 * before anything is written and names the first bad event's index; then
 * one transaction COPYs the batch's ids into learner_event_ids and the
 * events into learner_events (binary rows, events_parse builds both).  The
 * answer is sent only after the commit, so an acknowledged event is
 * stored.  An id stored before (a client's retry, or the same id with
 * another time or content) makes the ids' COPY fail whole, and the batch
 * goes through a staging table instead, which stores only the events whose
 * id is new: the first event with an id wins, later ones are acknowledged
 * as duplicates and ignored.
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

/* The usual batch, all ids new: ids and events COPYed in one
 * transaction.  Returns the events stored or a db_err (DB_CONFLICT: an id
 * was stored before, nothing written). */
static int
store_new(struct db *db, const struct ev_batch *eb)
{
	int rc;

	if (db_begin(db) == -1)
		return DB_RETRY;
	if ((rc = db_copy(db, STMT_EVENTS_IDS_COPY, eb->ids_copy,
	    eb->ids_copy_len)) >= 0 &&
	    (rc = db_copy(db, STMT_EVENTS_COPY, eb->copy, eb->copy_len)) >= 0) {
		if (db_commit(db) == 0)
			return rc;
		rc = DB_RETRY;
	}
	db_rollback(db);
	return rc;
}

/* A batch with ids stored before: staged, then merged skipping them, in
 * one transaction.  Returns the events stored or a db_err. */
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
		rc = store_new(r->db, &eb);
		if (rc == DB_CONFLICT)	/* ids seen before: skip them */
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
