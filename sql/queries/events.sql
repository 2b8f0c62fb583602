-- Event ingestion (POST /api/v1/events, src/pages/events.c).  An event is
-- identified by (occurred_at, event_id), the primary key of
-- learner_events (migrations 008, 010).  The rows arrive as COPY's binary
-- data, built by events_parse() (src/pages/events_parse.c) in the column
-- order below.  COPY takes no parameters and cannot be prepared: db_copy()
-- sends these fixed texts as they are.

-- name: events_copy
-- The fast path, for a batch of new events (the usual case): COPY straight
-- into the partitions, rows written a page at a time.  An event stored
-- before makes the whole COPY fail with a unique violation (nothing
-- written); the caller then stores the batch through the staging table.
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
-- Moves the staged rows into learner_events, skipping events stored
-- before; returns the number stored.
SELECT adept_events_stage_merge();
