-- Event ingestion (POST /api/v1/events, src/pages/events.c).  An event is
-- identified by (occurred_at, event_id), the primary key of
-- learner_events (migrations 008, 010).

-- name: events_insert_new
-- The fast path, for a batch of new events (the usual case): a plain
-- insert, one index descent per event.  An event stored before makes the
-- whole statement fail with a unique violation (nothing written); the
-- caller then runs events_insert.  $1 user id; $2.. parallel arrays, one
-- element per event (no two alike within the batch).  Returns the number
-- stored.
INSERT INTO learner_events (user_id, kind, object, event_id, occurred_at,
	payload, course_id, lesson_id)
SELECT $1::bigint, t.verb, t.object, t.event_id, t.occurred_at, t.payload,
	t.course_id, t.lesson_id
FROM unnest($2::uuid[], $3::text[], $4::text[], $5::timestamptz[],
    $6::jsonb[], $7::int8[], $8::int8[])
    AS t(event_id, verb, object, occurred_at, payload, course_id, lesson_id);

-- name: events_insert
-- The same, skipping events stored before (a client's retry).
INSERT INTO learner_events (user_id, kind, object, event_id, occurred_at,
	payload, course_id, lesson_id)
SELECT $1::bigint, t.verb, t.object, t.event_id, t.occurred_at, t.payload,
	t.course_id, t.lesson_id
FROM unnest($2::uuid[], $3::text[], $4::text[], $5::timestamptz[],
    $6::jsonb[], $7::int8[], $8::int8[])
    AS t(event_id, verb, object, occurred_at, payload, course_id, lesson_id)
ON CONFLICT (occurred_at, event_id) DO NOTHING;
