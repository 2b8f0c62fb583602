/*
 * events: POST /api/v1/events, batches of learner events (issue 7).
 *
 * The learner is the signed-in user (Bearer token, or cookie and CSRF
 * header), never the body.  events_parse() validates the whole batch
 * before anything is written and names the first bad event's index; then
 * one prepared statement inserts the batch from parallel arrays (unnest).
 * The answer is sent only after that statement has committed, so an
 * acknowledged event is stored; a client that got no answer sends the same
 * batch again and what was stored is skipped.
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

int
page_api_events(struct req *r)
{
	struct ev_batch eb;
	const char *p[1 + EV_NARR];
	int k, rc = 0, status;

	status = events_parse(r->a, r->raw_body, r->raw_len, r->now,
	    jobs_retention_months(), &eb);
	if (status != 0)
		return refuse(r, status, eb.index, eb.error);
	if (eb.stored_max > 0) {
		p[0] = db_i64s(r->a, r->user.id);
		for (k = 0; k < EV_NARR; k++)
			p[k + 1] = eb.arr[k];
		rc = db_exec(r->db, STMT_EVENTS_INSERT_NEW, 1 + EV_NARR, p);
		if (rc == DB_CONFLICT)	/* a retry: skip what is stored */
			rc = db_exec(r->db, STMT_EVENTS_INSERT, 1 + EV_NARR, p);
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
