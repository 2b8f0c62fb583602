-- Background jobs and event ingestion (issue 7): the queue, worker
-- heartbeats, schedules, idempotent event ids, monthly partitions of
-- learner_events with their upkeep function, and daily rollups.

CREATE TABLE jobs (
	id		bigserial PRIMARY KEY,
	kind		text NOT NULL CHECK (kind ~ '^[a-z][a-z0-9_]*$'),
	payload		jsonb NOT NULL DEFAULT '{}',
	dedupe_key	text,
	state		text NOT NULL DEFAULT 'queued'
		CHECK (state IN ('queued', 'running', 'done', 'dead')),
	run_at		timestamptz NOT NULL DEFAULT now(),
	attempts	integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
	max_attempts	integer NOT NULL DEFAULT 5 CHECK (max_attempts >= 1),
	locked_by	text,
	locked_until	timestamptz,
	last_error	text,
	created_at	timestamptz NOT NULL DEFAULT now(),
	finished_at	timestamptz
);
-- One job per (kind, key): "once per period" for schedules and callers.
CREATE UNIQUE INDEX jobs_dedupe ON jobs (kind, dedupe_key)
	WHERE dedupe_key IS NOT NULL;
-- What a worker scans: due queued jobs, and running ones whose lease ran
-- out (their worker died).
CREATE INDEX jobs_due ON jobs (run_at) WHERE state = 'queued';
CREATE INDEX jobs_leased ON jobs (locked_until) WHERE state = 'running';
CREATE INDEX jobs_state ON jobs (state, id);

-- One row per running worker, refreshed every few seconds.
CREATE TABLE job_workers (
	name		text PRIMARY KEY,	-- host:pid:start
	host		text NOT NULL,
	pid		integer NOT NULL,
	started_at	timestamptz NOT NULL DEFAULT now(),
	last_seen	timestamptz NOT NULL DEFAULT now(),
	current_job	bigint,
	jobs_done	bigint NOT NULL DEFAULT 0,
	stopped_at	timestamptz
);

-- Recurring work.  A worker enqueues a due schedule and advances
-- next_run_at in the same statement, under FOR UPDATE SKIP LOCKED, and
-- the job's dedupe key is the period it fires for: with several workers
-- each period fires exactly once.
CREATE TABLE job_schedules (
	name		text PRIMARY KEY,
	kind		text NOT NULL,
	payload		jsonb NOT NULL DEFAULT '{}',
	every		interval NOT NULL CHECK (every >= interval '1 minute'),
	next_run_at	timestamptz NOT NULL,
	enabled		boolean NOT NULL DEFAULT true
);
INSERT INTO job_schedules (name, kind, every, next_run_at) VALUES
	('event_partitions_nightly', 'event_partitions', interval '1 day',
	    date_trunc('day', now()) + interval '1 day 1 hour'),
	('event_rollup_nightly', 'event_rollup', interval '1 day',
	    date_trunc('day', now()) + interval '1 day 1 hour 10 minutes'),
	('event_rollup_hourly', 'event_rollup', interval '1 hour',
	    date_trunc('hour', now()) + interval '1 hour 5 minutes');

-- The harmless test kind "noop" records each effect here, keyed by job,
-- so a job run twice still leaves one row.
CREATE TABLE job_noop_runs (
	job_id		bigint PRIMARY KEY,
	worker		text NOT NULL,
	ran_at		timestamptz NOT NULL DEFAULT now()
);

-- Learner events: what clients send (verb, object, event id) next to what
-- pages record (kind = verb).  Idempotency is by event id, which must be
-- unique across partitions: a partitioned table can only enforce keys that
-- include occurred_at, so the ids live in their own table, trimmed with
-- the retention.
ALTER TABLE learner_events
	ADD COLUMN event_id uuid,
	ADD COLUMN object text;

CREATE TABLE learner_event_ids (
	event_id	uuid PRIMARY KEY,
	received_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX learner_event_ids_received ON learner_event_ids
	USING brin (received_at);

-- Creates monthly partitions from the month of `since` to `ahead` months
-- after the current one, moves any rows the default partition holds into
-- their month (so the default stays empty), and drops partitions wholly
-- older than `retain` months, with event ids received before then.
-- Returns a line per change.  Idempotent.
CREATE FUNCTION adept_event_partitions(since timestamptz, ahead integer,
    retain integer) RETURNS SETOF text LANGUAGE plpgsql AS $$
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
	DELETE FROM learner_event_ids WHERE received_at < cutoff;
END
$$;

-- The month before, this one and two ahead exist from the start; the
-- worker keeps them coming (nightly job event_partitions).
SELECT adept_event_partitions(now() - interval '1 month', 2, 24);

-- Daily rollups, recomputed whole for a day (idempotent), for dashboards.
CREATE TABLE event_rollup_learner_daily (
	user_id		bigint NOT NULL,
	day		date NOT NULL,
	events		bigint NOT NULL,
	courses		integer NOT NULL,	-- distinct courses touched
	first_at	timestamptz NOT NULL,
	last_at		timestamptz NOT NULL,
	PRIMARY KEY (user_id, day)
);
CREATE TABLE event_rollup_course_daily (
	course_id	bigint NOT NULL,
	day		date NOT NULL,
	events		bigint NOT NULL,
	learners	integer NOT NULL,	-- distinct learners
	completions	integer NOT NULL,	-- events whose verb says so
	PRIMARY KEY (course_id, day)
);
