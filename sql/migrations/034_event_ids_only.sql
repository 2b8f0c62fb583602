-- Events idempotent by id alone (issue 7: "idempotent by event id",
-- "duplicate event ids (accepted once)").  Since 008 an event was known by
-- (occurred_at, event_id), so the same id sent again with another
-- timestamp was stored twice.  learner_event_ids holds every stored id
-- once, written in the same transaction as its event: ingestion COPYs the
-- batch's ids into it first (a unique violation sends the batch to the
-- staging path, which inserts only ids not seen before and then the events
-- whose id it inserted).  The first event with an id wins; a later one
-- with the same id, whatever its time or content, is acknowledged and
-- ignored.
--
-- 008 dropped a table like this one because its random uuid key writes
-- full-page images after each checkpoint; the bench (tests/bench/
-- web_events.sh) measures what it costs now.  It carries the event's
-- time so that partition upkeep drops ids with their month: an id
-- outlives its event by at most the time to the next upkeep run.
CREATE TABLE learner_event_ids (
	event_id	uuid PRIMARY KEY,
	occurred_at	timestamptz NOT NULL
);
INSERT INTO learner_event_ids (event_id, occurred_at)
SELECT DISTINCT ON (event_id) event_id, occurred_at
FROM learner_events ORDER BY event_id, occurred_at;

-- The staging path: ids first, in id order (as events_parse sorts the fast
-- path's rows) so two batches sharing ids wait for each other instead of
-- deadlocking; ON CONFLICT waits for a concurrent batch holding an id and
-- skips it if that batch commits, so the rest of this batch is stored.
CREATE OR REPLACE FUNCTION adept_events_stage_merge() RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
	n	bigint;
BEGIN
	WITH fresh AS (
		INSERT INTO learner_event_ids (event_id, occurred_at)
		SELECT event_id, occurred_at FROM pg_temp.learner_events_stage
		ORDER BY event_id
		ON CONFLICT (event_id) DO NOTHING
		RETURNING event_id
	)
	INSERT INTO learner_events (user_id, kind, object, event_id,
		occurred_at, payload, course_id, lesson_id)
	SELECT s.user_id, s.kind, s.object, s.event_id, s.occurred_at,
		s.payload, s.course_id, s.lesson_id
	FROM pg_temp.learner_events_stage s JOIN fresh USING (event_id);
	GET DIAGNOSTICS n = ROW_COUNT;
	RETURN n;
END
$$;

-- learner_event_ids now keeps ids unique, so learner_events' primary key
-- (occurred_at, event_id), a B-tree insert per event, only served the
-- rollups' reads of a day of events; a BRIN range index on occurred_at
-- serves those (events arrive roughly in time order) at almost no cost
-- per insert.
ALTER TABLE learner_events DROP CONSTRAINT learner_events_pkey;
CREATE INDEX learner_events_time ON learner_events USING brin (occurred_at);
