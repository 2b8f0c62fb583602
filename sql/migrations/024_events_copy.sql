-- learner_events made cheaper to write (issue 7, ingestion at 100,000
-- events a second).  Measured per ingested event with callgrind over the
-- PostgreSQL backend, 5,000-event batches:
--
-- * learner_events_course (004) goes: no statement reads raw events by
--   course (the course rollup reads a day of events through the primary
--   key's leading occurred_at), and each index is a B-tree descent, an
--   insert and a WAL record per event: 10,900 instructions and 90 bytes
--   of WAL each.
-- * payload becomes json: the server then only checks the text (json_recv,
--   2,400 instructions) where jsonb rebuilt it (jsonb_recv, 7,200), and
--   the stored text is shorter than jsonb's layout (WAL 251 -> 230 bytes
--   per event).  Events are written far more often than their payload is
--   read (the data export, which turns it into jsonb); -> and ->> work on
--   json alike.  The type change rewrites the table once.
--
-- And the staging table a retried batch goes through (events.sql): a
-- temporary table per session, made on first use, emptied at each commit.
DROP INDEX IF EXISTS learner_events_course;
ALTER TABLE learner_events ALTER COLUMN payload DROP DEFAULT,
	ALTER COLUMN payload TYPE json USING payload::json,
	ALTER COLUMN payload SET DEFAULT '{}';

CREATE OR REPLACE FUNCTION adept_events_stage_open() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	IF to_regclass('pg_temp.learner_events_stage') IS NULL THEN
		CREATE TEMPORARY TABLE learner_events_stage (
			user_id		bigint NOT NULL,
			kind		text NOT NULL,
			object		text,
			event_id	uuid NOT NULL,
			occurred_at	timestamptz NOT NULL,
			payload		json NOT NULL,
			course_id	bigint,
			lesson_id	bigint
		) ON COMMIT DELETE ROWS;
	END IF;
END
$$;

CREATE OR REPLACE FUNCTION adept_events_stage_merge() RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
	n	bigint;
BEGIN
	INSERT INTO learner_events (user_id, kind, object, event_id,
		occurred_at, payload, course_id, lesson_id)
	SELECT user_id, kind, object, event_id, occurred_at, payload,
		course_id, lesson_id
	FROM pg_temp.learner_events_stage
	ON CONFLICT (occurred_at, event_id) DO NOTHING;
	GET DIAGNOSTICS n = ROW_COUNT;
	RETURN n;
END
$$;
