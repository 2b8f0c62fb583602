-- Admin panel (issue 9, adminpanel): user search and changes, the audit
-- log viewer, system health.

-- Search by name or e-mail (substring, case-insensitive; '' = everyone),
-- oldest first (the list the panel always showed).
-- Fetches one row more than the page to know whether a next page exists.
-- name: admin_user_search
SELECT id, full_name, email, role, is_active,
       to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS created
FROM users
WHERE $1 = '' OR strpos(lower(full_name), lower($1)) > 0
   OR strpos(lower(email), lower($1)) > 0
ORDER BY id
LIMIT $2 OFFSET $3;

-- name: admin_user_get
SELECT id, full_name, email, role, is_active,
       to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS created,
       totp_enabled_at IS NOT NULL
FROM users WHERE id = $1;

-- name: admin_user_role_set
UPDATE users SET role = $2 WHERE id = $1;

-- name: admin_user_active_set
UPDATE users SET is_active = $2::boolean WHERE id = $1;

-- The audit log, newest first, filtered by actor e-mail (substring),
-- action (exact, or a family: "user" matches "user.role"), and a UTC date
-- range (inclusive; '' = open).  One row more than the page is asked for.
-- name: admin_audit_list
SELECT l.id, to_char(l.at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'),
       COALESCE(u.email, ''), l.action, l.object, l.detail::text
FROM audit_log l LEFT JOIN users u ON u.id = l.actor_id
WHERE ($1 = '' OR strpos(lower(COALESCE(u.email, '')), lower($1)) > 0)
  AND ($2 = '' OR l.action = $2 OR left(l.action, length($2) + 1) = $2 || '.')
  AND (NULLIF($3, '')::date IS NULL
       OR l.at >= NULLIF($3, '')::date::timestamp AT TIME ZONE 'UTC')
  AND (NULLIF($4, '')::date IS NULL
       OR l.at < (NULLIF($4, '')::date + 1)::timestamp AT TIME ZONE 'UTC')
ORDER BY l.id DESC
LIMIT $5 OFFSET $6;

-- System health: the database's size in bytes (the query is the ping).
-- name: admin_health_db
SELECT pg_database_size(current_database());

-- name: admin_health_queue
SELECT state, count(*) FROM jobs GROUP BY state ORDER BY state;

-- Running workers; stale = no heartbeat for 30 seconds (the lease beat).
-- name: admin_health_workers
SELECT name, to_char(last_seen AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'),
       extract(epoch FROM now() - last_seen)::bigint,
       last_seen < now() - interval '30 seconds'
FROM job_workers WHERE stopped_at IS NULL ORDER BY name;

-- name: admin_health_partitions
SELECT c.relname FROM pg_inherits i
JOIN pg_class c ON c.oid = i.inhrelid
WHERE i.inhparent = 'learner_events'::regclass ORDER BY c.relname;

-- The admin home's counts for the panel's areas: audit entries in the
-- last 24 hours, running workers without a heartbeat for 30 seconds.
-- name: admin_panel_counts
SELECT (SELECT count(*) FROM audit_log WHERE at > now() - interval '1 day'),
       (SELECT count(*) FROM job_workers
        WHERE stopped_at IS NULL AND last_seen < now() - interval '30 seconds');
