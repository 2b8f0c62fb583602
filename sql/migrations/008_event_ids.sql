-- Event idempotency without a random-key index (issue 7, worker).
--
-- 005 kept every event id in learner_event_ids (uuid primary key).  At
-- ingestion rates that key is the bottleneck: each insert lands on a random
-- page of an index larger than memory, and after every checkpoint each
-- such page costs a full-page image in the WAL (measured: 2.5 to 4.5 KB of
-- WAL per event, three to six times the time of the whole event insert).
-- Here an event is identified by its timestamp and id, unique per monthly
-- partition: a client's retry sends the same event (same id, same
-- timestamp) and is stored once, and the index grows at the recent end, so
-- it stays in memory.  The same id with a different timestamp counts as a
-- different event.  Ids leave with their partition at the retention.
DROP TABLE learner_event_ids;
CREATE UNIQUE INDEX learner_events_event ON learner_events
	(occurred_at, event_id);

CREATE OR REPLACE FUNCTION adept_event_partitions(since timestamptz,
    ahead integer, retain integer) RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
	m	timestamptz;
	stop	timestamptz := date_trunc('month', now()) +
		    make_interval(months => ahead + 1);
	cutoff	timestamptz := date_trunc('month', now()) -
		    make_interval(months => retain);
	part	text;
	r	record;
BEGIN
	-- Months that have rows in the default partition come first.
	FOR r IN SELECT DISTINCT date_trunc('month', occurred_at) AS mo
	    FROM learner_events_default LOOP
		part := 'learner_events_' || to_char(r.mo, 'YYYYMM');
		IF to_regclass(part) IS NULL THEN
			EXECUTE format('CREATE TABLE %I (LIKE learner_events '
			    'INCLUDING DEFAULTS)', part);
			EXECUTE format('WITH moved AS (DELETE FROM '
			    'learner_events_default WHERE occurred_at >= $1 '
			    'AND occurred_at < $2 RETURNING *) INSERT INTO %I '
			    'SELECT * FROM moved', part)
			    USING r.mo, r.mo + interval '1 month';
			EXECUTE format('ALTER TABLE learner_events ATTACH '
			    'PARTITION %I FOR VALUES FROM (%L) TO (%L)', part,
			    r.mo, r.mo + interval '1 month');
			RETURN NEXT 'moved default rows into ' || part;
		END IF;
	END LOOP;
	m := date_trunc('month', greatest(since, cutoff));
	WHILE m < stop LOOP
		part := 'learner_events_' || to_char(m, 'YYYYMM');
		IF to_regclass(part) IS NULL THEN
			EXECUTE format('CREATE TABLE %I PARTITION OF '
			    'learner_events FOR VALUES FROM (%L) TO (%L)', part,
			    m, m + interval '1 month');
			RETURN NEXT 'created ' || part;
		END IF;
		m := m + interval '1 month';
	END LOOP;
	FOR r IN SELECT c.relname FROM pg_inherits i
	    JOIN pg_class c ON c.oid = i.inhrelid
	    WHERE i.inhparent = 'learner_events'::regclass
	    AND c.relname ~ '^learner_events_[0-9]{6}$'
	    AND to_timestamp(substr(c.relname, 16), 'YYYYMM') +
		interval '1 month' <= cutoff LOOP
		EXECUTE format('DROP TABLE %I', r.relname);
		RETURN NEXT 'dropped ' || r.relname;
	END LOOP;
END
$$;
