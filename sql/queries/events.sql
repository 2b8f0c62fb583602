-- Event ingestion (POST /api/v1/events, src/pages/events.c).

-- name: events_insert
-- One batch in one statement.  $1 user id; $2.. parallel arrays, one
-- element per event (ids unique within the batch).  An id seen before is
-- skipped: learner_event_ids is the idempotency key.  Returns the number
-- of events stored.
WITH input AS (
	SELECT * FROM unnest($2::uuid[], $3::text[], $4::text[],
	    $5::timestamptz[], $6::jsonb[], $7::int8[], $8::int8[])
	    AS t(event_id, verb, object, occurred_at, payload, course_id,
	    lesson_id)
), fresh AS (
	INSERT INTO learner_event_ids (event_id)
	SELECT event_id FROM input
	ON CONFLICT DO NOTHING
	RETURNING event_id
)
INSERT INTO learner_events (user_id, kind, object, event_id, occurred_at,
	payload, course_id, lesson_id)
SELECT $1::bigint, i.verb, i.object, i.event_id, i.occurred_at, i.payload,
	i.course_id, i.lesson_id
FROM input i JOIN fresh f ON f.event_id = i.event_id;

-- name: events_insert_new
-- The fast path, for a batch whose ids are all new (the usual case): both
-- inserts without ON CONFLICT, so each id costs one index descent, not a
-- probe and an insert.  An id seen before makes the whole statement fail
-- with a unique violation (nothing written); the caller then runs
-- events_insert.  Same parameters; returns the number stored.
WITH input AS (
	SELECT * FROM unnest($2::uuid[], $3::text[], $4::text[],
	    $5::timestamptz[], $6::jsonb[], $7::int8[], $8::int8[])
	    AS t(event_id, verb, object, occurred_at, payload, course_id,
	    lesson_id)
), ids AS (
	INSERT INTO learner_event_ids (event_id)
	SELECT event_id FROM input
)
INSERT INTO learner_events (user_id, kind, object, event_id, occurred_at,
	payload, course_id, lesson_id)
SELECT $1::bigint, verb, object, event_id, occurred_at, payload, course_id,
	lesson_id
FROM input;
