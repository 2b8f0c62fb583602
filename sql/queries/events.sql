-- Event ingestion (POST /api/v1/events, src/pages/events.c).  An event is
-- identified by its id alone: learner_event_ids (migration 034) holds each
-- stored id once, written in the same transaction as the event.  The rows arrive as COPY's binary
-- data, built by events_parse() (src/pages/events_parse.c) in the column
-- order below.  COPY takes no parameters and cannot be prepared: db_copy()
-- sends these fixed texts as they are.

-- name: events_ids_copy
-- The fast path, for a batch of new events (the usual case), in one
-- transaction: the batch's ids first (sorted by id, see events_parse).  An
-- id stored before makes the whole COPY fail with a unique violation; the
-- caller then rolls back and stores the batch through the staging table.
COPY learner_event_ids (event_id, occurred_at) FROM STDIN (FORMAT binary);

-- name: events_copy
-- Then the events, straight into the partitions, rows written a page at a
-- time.
COPY learner_events (user_id, kind, object, event_id, occurred_at, payload,
	course_id, lesson_id) FROM STDIN (FORMAT binary);

-- name: events_stage_open
-- A client's retry: the batch goes to this session's staging table
-- (migration 024), in the same transaction as events_stage_merge.
SELECT adept_events_stage_open();

-- name: events_stage_copy
COPY pg_temp.learner_events_stage (user_id, kind, object, event_id,
	occurred_at, payload, course_id, lesson_id) FROM STDIN (FORMAT binary);

-- name: events_stage_merge
-- Moves the staged rows into learner_events, skipping ids stored before
-- (by this batch's concurrent twin too); returns the number stored.
SELECT adept_events_stage_merge();
