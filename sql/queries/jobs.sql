-- The background queue (src/jobs/): enqueue, take, finish, schedules,
-- heartbeats, and the admin listing.

-- name: jobs_enqueue
-- $1 kind, $2 payload (jsonb text), $3 delay seconds, $4 dedupe key or
-- NULL, $5 max attempts.  No row back when (kind, key) exists already.
WITH j AS (
	INSERT INTO jobs (kind, payload, run_at, dedupe_key, max_attempts)
	VALUES ($1, $2::jsonb, now() + make_interval(secs => $3::float8), $4,
	    $5::int)
	ON CONFLICT (kind, dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING
	RETURNING id, kind
)
SELECT id, pg_notify('adept_jobs', kind) FROM j;

-- name: jobs_listen
LISTEN adept_jobs;

-- name: jobs_take
-- Takes one due job of a kind this build can run ($1: text[] of kinds):
-- queued and due, or running with an expired lease (its worker died).
-- $2 worker name, $3 lease seconds per kind (int[] parallel to $1).
WITH k AS (
	SELECT * FROM unnest($1::text[], $3::int[]) AS k(kind, lease)
), c AS (
	SELECT j.id, k.lease FROM jobs j JOIN k ON k.kind = j.kind
	WHERE (j.state = 'queued' AND j.run_at <= now())
	   OR (j.state = 'running' AND j.locked_until < now())
	ORDER BY j.run_at, j.id
	LIMIT 1
	FOR UPDATE OF j SKIP LOCKED
)
UPDATE jobs j SET state = 'running', attempts = j.attempts + 1,
	locked_by = $2, locked_until = now() + make_interval(secs => c.lease)
FROM c WHERE j.id = c.id
RETURNING j.id, j.kind, j.payload::text, j.attempts, j.max_attempts;

-- name: jobs_done
-- $1 id, $2 worker: only the holder of the lease finishes the job.
UPDATE jobs SET state = 'done', finished_at = now(), locked_by = NULL,
	locked_until = NULL, last_error = NULL
WHERE id = $1 AND locked_by = $2 AND state = 'running';

-- name: jobs_fail
-- $1 id, $2 worker, $3 error, $4 retry delay seconds, or NULL: dead.
UPDATE jobs SET
	state = CASE WHEN $4::float8 IS NULL THEN 'dead' ELSE 'queued' END,
	run_at = CASE WHEN $4::float8 IS NULL THEN run_at
	    ELSE now() + make_interval(secs => $4::float8) END,
	finished_at = CASE WHEN $4::float8 IS NULL THEN now() END,
	locked_by = NULL, locked_until = NULL, last_error = $3
WHERE id = $1 AND locked_by = $2 AND state = 'running';

-- name: jobs_extend
-- Heartbeat: renews the lease of what this worker holds.  $1 worker,
-- $2 lease seconds.
UPDATE jobs SET locked_until = now() + make_interval(secs => $2::float8)
WHERE locked_by = $1 AND state = 'running';

-- name: jobs_worker_beat
-- $1 name, $2 host, $3 pid, $4 current job or NULL, $5 jobs done.
INSERT INTO job_workers (name, host, pid, current_job, jobs_done)
VALUES ($1, $2, $3::int, $4::bigint, $5::bigint)
ON CONFLICT (name) DO UPDATE SET last_seen = now(),
	current_job = EXCLUDED.current_job, jobs_done = EXCLUDED.jobs_done,
	stopped_at = NULL;

-- name: jobs_worker_stop
UPDATE job_workers SET stopped_at = now(), last_seen = now(),
	current_job = NULL, jobs_done = $2::bigint
WHERE name = $1;

-- name: jobs_worker_prune
-- Forgets workers stopped or unseen for a day.
DELETE FROM job_workers WHERE last_seen < now() - interval '1 day';

-- name: jobs_schedule_fire
-- Enqueues every due schedule once and moves it to its next period, in
-- one statement; SKIP LOCKED leaves a schedule another worker is firing
-- alone, and the dedupe key (schedule name + period start) makes a second
-- firing of the same period a no-op anyway.
WITH due AS (
	SELECT name, kind, payload, every, next_run_at FROM job_schedules
	WHERE enabled AND next_run_at <= now()
	FOR UPDATE SKIP LOCKED
), adv AS (
	UPDATE job_schedules s SET next_run_at = due.next_run_at +
	    due.every * (floor(extract(epoch FROM now() - due.next_run_at) /
	    extract(epoch FROM due.every)) + 1)
	FROM due WHERE s.name = due.name
	RETURNING s.name
), ins AS (
	INSERT INTO jobs (kind, payload, dedupe_key)
	SELECT due.kind, due.payload, due.name || '@' ||
	    to_char(due.next_run_at AT TIME ZONE 'UTC',
	    'YYYY-MM-DD"T"HH24:MI:SS"Z"')
	FROM due JOIN adv ON adv.name = due.name
	ON CONFLICT (kind, dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING
	RETURNING id, kind
)
SELECT id, pg_notify('adept_jobs', kind) FROM ins;

-- name: jobs_next_due
-- Seconds until the next queued job or schedule is due (for the sleep);
-- NULL when nothing is waiting.
SELECT extract(epoch FROM least(
	(SELECT min(run_at) FROM jobs WHERE state = 'queued'),
	(SELECT min(locked_until) FROM jobs WHERE state = 'running'),
	(SELECT min(next_run_at) FROM job_schedules WHERE enabled)) - now());

-- name: jobs_noop_run
-- The noop kind's one effect: $1 job id, $2 worker.
INSERT INTO job_noop_runs (job_id, worker) VALUES ($1, $2)
ON CONFLICT (job_id) DO NOTHING;

-- name: jobs_admin_list
-- Jobs an admin should see: not done, newest first.  $1 limit.
SELECT id, kind, state, attempts, max_attempts,
	to_char(run_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'),
	coalesce(last_error, ''), coalesce(locked_by, ''),
	coalesce(dedupe_key, ''),
	to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')
FROM jobs WHERE state <> 'done'
ORDER BY (state = 'dead') DESC, id DESC
LIMIT $1;

-- name: jobs_admin_counts
SELECT count(*) FILTER (WHERE state = 'queued'),
	count(*) FILTER (WHERE state = 'running'),
	count(*) FILTER (WHERE state = 'dead'),
	count(*) FILTER (WHERE state = 'queued' AND attempts > 0),
	count(*) FILTER (WHERE state = 'done')
FROM jobs;

-- name: jobs_admin_workers
SELECT name, host, pid,
	to_char(last_seen AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'),
	coalesce(current_job, 0), jobs_done,
	stopped_at IS NULL AND last_seen > now() - interval '30 seconds'
FROM job_workers ORDER BY last_seen DESC LIMIT 50;

-- name: jobs_admin_retry
-- Puts a dead (or waiting failed) job back at the head of the queue with
-- fresh attempts.  $1 id.
WITH j AS (
	UPDATE jobs SET state = 'queued', run_at = now(), attempts = 0,
		finished_at = NULL
	WHERE id = $1 AND (state = 'dead' OR
	    (state = 'queued' AND attempts > 0))
	RETURNING id, kind
)
SELECT id, pg_notify('adept_jobs', kind) FROM j;

-- name: jobs_event_partitions
-- $1 months ahead, $2 retention months.  When a month is dropped, the ids
-- of events older than the retention leave learner_event_ids (migration
-- 034) in the same transaction; the scan of that table this takes runs
-- only then, about once a month.
WITH up AS (
	SELECT adept_event_partitions(now(), $1::int, $2::int) AS line
), forgot AS (
	DELETE FROM learner_event_ids
	WHERE occurred_at < date_trunc('month', now()) -
		make_interval(months => $2::int)
	  AND EXISTS (SELECT 1 FROM up WHERE line LIKE 'dropped %')
	RETURNING 1
)
SELECT line FROM up
UNION ALL
SELECT 'forgot ' || count(*) || ' event ids' FROM forgot
HAVING count(*) > 0;

-- name: jobs_event_rollup_learner
-- Recomputes one UTC day ($1 date) of per-learner rollups.
WITH d AS (
	SELECT user_id, count(*) AS events,
		count(DISTINCT course_id) AS courses,
		min(occurred_at) AS first_at, max(occurred_at) AS last_at
	FROM learner_events
	WHERE occurred_at >= ($1::date)::timestamp AT TIME ZONE 'UTC'
	  AND occurred_at < ($1::date + 1)::timestamp AT TIME ZONE 'UTC'
	GROUP BY user_id
), del AS (
	DELETE FROM event_rollup_learner_daily r WHERE r.day = $1::date
	AND NOT EXISTS (SELECT 1 FROM d WHERE d.user_id = r.user_id)
)
INSERT INTO event_rollup_learner_daily AS r (user_id, day, events, courses,
	first_at, last_at)
SELECT user_id, $1::date, events, courses, first_at, last_at FROM d
ON CONFLICT (user_id, day) DO UPDATE SET events = EXCLUDED.events,
	courses = EXCLUDED.courses, first_at = EXCLUDED.first_at,
	last_at = EXCLUDED.last_at;

-- name: jobs_event_rollup_course
-- The same per course; a completion is a verb ending in "completed".
WITH d AS (
	SELECT course_id, count(*) AS events,
		count(DISTINCT user_id) AS learners,
		count(*) FILTER (WHERE kind ~* 'complete[d]?$') AS completions
	FROM learner_events
	WHERE course_id IS NOT NULL
	  AND occurred_at >= ($1::date)::timestamp AT TIME ZONE 'UTC'
	  AND occurred_at < ($1::date + 1)::timestamp AT TIME ZONE 'UTC'
	GROUP BY course_id
), del AS (
	DELETE FROM event_rollup_course_daily r WHERE r.day = $1::date
	AND NOT EXISTS (SELECT 1 FROM d WHERE d.course_id = r.course_id)
)
INSERT INTO event_rollup_course_daily AS r (course_id, day, events,
	learners, completions)
SELECT course_id, $1::date, events, learners, completions FROM d
ON CONFLICT (course_id, day) DO UPDATE SET events = EXCLUDED.events,
	learners = EXCLUDED.learners, completions = EXCLUDED.completions;

-- name: jobs_prune
-- Forgets finished work: done jobs after 30 days, dead ones after 90 (an
-- admin had that long to retry them), the noop probe's records after 30.
-- Returns the number of jobs deleted.
WITH r AS (
	DELETE FROM job_noop_runs WHERE ran_at < now() - interval '30 days'
)
DELETE FROM jobs
WHERE (state = 'done' AND finished_at < now() - interval '30 days')
   OR (state = 'dead' AND finished_at < now() - interval '90 days');
