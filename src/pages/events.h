/*
 * events: parsing and validating a batch for POST /api/v1/events, apart
 * from the handler so it can be tested, fuzzed and timed on its own.
 */
#ifndef ADEPT_EVENTS_H
#define ADEPT_EVENTS_H

#include <stddef.h>
#include <stdint.h>

struct arena;

#define EV_MAX		5000	/* events in one batch */
#define EV_COPY_FIELDS	8	/* per row: user id, verb, object, event id,
				   timestamp, payload, course id, lesson id */
#define EV_IDS_ROW	34	/* bytes per events_ids_copy row: field
				   count, uuid and timestamp with lengths */

struct ev_batch {
	size_t		 received;	/* events in the body */
	size_t		 stored_max;	/* distinct ids: the rows in copy */
	const char	*copy;		/* COPY ... (FORMAT binary) data */
	size_t		 copy_len;
	const char	*ids_copy;	/* the same events' (id, timestamp),
					   sorted by id, for events_ids_copy */
	size_t		 ids_copy_len;
	long		 index;		/* first bad event, or -1 */
	const char	*error;		/* why, when not 0 */
};

/*
 * Parses body (a JSON array of up to EV_MAX events, ours or xAPI) and
 * validates every event against now (Unix seconds) and the retention.
 * Returns 0 with out->copy holding one row per distinct event for
 * user_id, in the column order of events_copy (sql/queries/events.sql),
 * in the arena, and out->ids_copy their ids for learner_event_ids; or
 * the HTTP status (400, 413) with out->error and, when
 * one event is to blame, out->index.  Never writes anything but the arena
 * and out.
 */
int	events_parse(struct arena *, const char *body, size_t len, int64_t now,
	    int retention_months, int64_t user_id, struct ev_batch *out);

#endif
