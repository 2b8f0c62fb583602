-- Users and their sessions.

-- $5: the address a sign-up came from (NULL for `adept user` and admins;
-- the burst detector counts sign-ups per address, issue 9).
-- name: user_insert
INSERT INTO users (email, full_name, password_hash, role, signup_ip)
VALUES ($1, $2, $3, $4, NULLIF($5, ''))
RETURNING id;

-- name: user_by_email
SELECT id, full_name, email, role, password_hash, is_active
FROM users WHERE lower(email) = lower($1);

-- The per-request identity check: the user exists, is active, and the
-- session family named by the access token has not been revoked (sign-out
-- and password change end access tokens at once, not after 30 minutes).
-- With it, in the same round trip, what the page header shows of the user:
-- the unread notifications.  Its answer is kept by the worker thread's
-- session cache (src/http/auth_cache.h) until a change announced on
-- adept_auth (migration 031) or AUTH_CACHE_TTL says otherwise.
-- name: user_session_get
SELECT u.id, u.full_name, u.email, u.role,
       (SELECT count(*) FROM notifications n
        WHERE n.user_id = u.id AND n.read_at IS NULL)
FROM users u
WHERE u.id = $1 AND u.is_active
  AND NOT EXISTS (SELECT 1 FROM refresh_tokens t
                  WHERE t.family = $2 AND t.revoked_at IS NOT NULL);

-- The session cache's invalidations (migration 031).  Issued on every new
-- connection of a FastCGI thread before it caches anything.
-- name: auth_listen
LISTEN adept_auth;

-- name: user_password_get
SELECT password_hash FROM users WHERE id = $1;

-- name: user_password_set
UPDATE users SET password_hash = $2, password_changed_at = now()
WHERE id = $1;

-- name: user_list
SELECT id, full_name, email, role, is_active,
       to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS created
FROM users ORDER BY id
LIMIT $1 OFFSET $2;

-- name: user_count
SELECT count(*) FROM users;

-- name: learner_profile_insert
INSERT INTO learner_profiles (user_id) VALUES ($1)
ON CONFLICT (user_id) DO NOTHING;

-- $5, $6: the client's address and User-Agent (session list, issue 9).
-- name: refresh_insert
INSERT INTO refresh_tokens (user_id, family, token_hash, expires_at, ip,
                            user_agent)
VALUES ($1, $2, $3, now() + make_interval(secs => $4::bigint),
        COALESCE($5, ''), left(COALESCE($6, ''), 200));

-- name: refresh_lookup
SELECT t.id, t.user_id, t.family, t.used_at IS NOT NULL,
       t.revoked_at IS NOT NULL, t.expires_at <= now(), u.role, u.is_active
FROM refresh_tokens t JOIN users u ON u.id = t.user_id
WHERE t.token_hash = $1
FOR UPDATE OF t;

-- name: refresh_mark_used
UPDATE refresh_tokens SET used_at = now() WHERE id = $1;

-- name: refresh_revoke_family
UPDATE refresh_tokens SET revoked_at = now()
WHERE family = $1 AND revoked_at IS NULL;

-- name: refresh_revoke_user
UPDATE refresh_tokens SET revoked_at = now()
WHERE user_id = $1 AND revoked_at IS NULL;

-- name: login_failures_get
SELECT failures, extract(epoch FROM last_failure)::bigint
FROM login_failures WHERE key = $1;

-- A failure long after the last one starts the count again.
-- name: login_failure_add
INSERT INTO login_failures AS f (key, failures, last_failure)
VALUES ($1, 1, now())
ON CONFLICT (key) DO UPDATE
SET failures = CASE WHEN f.last_failure < now() - interval '1 day'
                    THEN 1 ELSE f.failures + 1 END,
    last_failure = now();

-- name: login_failures_clear
DELETE FROM login_failures WHERE key = $1;

-- name: audit_insert
INSERT INTO audit_log (actor_id, action, object, detail)
VALUES ($1, $2, $3, COALESCE($4::jsonb, '{}'));

-- name: site_meta_get
SELECT value FROM site_meta WHERE key = $1;

-- name: site_meta_set
INSERT INTO site_meta (key, value) VALUES ($1, $2)
ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now();

-- The user's courses, active first, without those left.  Columns: id,
-- title, percent complete, enrolment status, lesson to resume (0 = none).
-- name: dashboard_courses
SELECT c.id, c.title,
       COALESCE(100 * count(lp.lesson_id) / NULLIF(count(l.id), 0), 0)::int,
       e.status, COALESCE(e.last_lesson_id, 0)
FROM enrollments e
JOIN courses c ON c.id = e.course_id
LEFT JOIN modules m ON m.course_id = c.id
LEFT JOIN lessons l ON l.module_id = m.id
LEFT JOIN lesson_progress lp ON lp.lesson_id = l.id
     AND lp.user_id = e.user_id AND lp.status = 'completed'
WHERE e.user_id = $1 AND e.status <> 'left'
GROUP BY c.id, c.title, e.enrolled_at, e.status, e.last_lesson_id
ORDER BY e.status = 'completed', e.enrolled_at DESC;

-- The admin home page's counts, one round trip.
-- name: admin_overview
SELECT (SELECT count(*) FROM users),
       (SELECT count(*) FROM courses WHERE status = 'review'),
       (SELECT count(*) FROM jobs WHERE state = 'queued'),
       (SELECT count(*) FROM jobs WHERE state = 'dead'),
       (SELECT count(*) FROM email_outbox WHERE status = 'pending'),
       (SELECT count(*) FROM email_outbox WHERE status = 'dead');
