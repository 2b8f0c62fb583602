-- E-mail: the outbox, preferences, unsubscribe links and password resets
-- (issue 7; src/out/mail.c, src/pages/password.c, src/pages/prefs.c).

-- name: mail_outbox_insert
INSERT INTO email_outbox (to_addr, template, subject, body_text, body_html,
    user_id)
VALUES ($1, $2, $3, $4, $5, $6)
RETURNING id;

-- name: mail_user_get
SELECT id, email, full_name, is_active FROM users WHERE id = $1;

-- 1 row when user $1 wants mails of kind $2 (no opt-out for the kind nor
-- for 'all').
-- name: mail_pref_wanted
SELECT NOT EXISTS (SELECT 1 FROM mail_prefs
                   WHERE user_id = $1 AND kind IN ($2, 'all')
                     AND NOT enabled);

-- name: mail_prefs_get
SELECT kind, enabled FROM mail_prefs WHERE user_id = $1;

-- name: mail_pref_set
INSERT INTO mail_prefs (user_id, kind, enabled) VALUES ($1, $2, $3)
ON CONFLICT (user_id, kind)
DO UPDATE SET enabled = EXCLUDED.enabled, updated_at = now();

-- One due mail, locked so that concurrent senders take different rows.
-- Columns: id, to_addr, template, subject, body_text, body_html ('' =
-- none), attempts, the recipient's user id (0 = no account).
-- name: mail_outbox_claim
SELECT o.id, o.to_addr, o.template, o.subject, o.body_text,
       COALESCE(o.body_html, ''), o.attempts,
       COALESCE(o.user_id, (SELECT u.id FROM users u
                            WHERE lower(u.email) = lower(o.to_addr)), 0)
FROM email_outbox o
WHERE o.status = 'pending' AND o.next_attempt_at <= now()
ORDER BY o.next_attempt_at, o.id
LIMIT 1
FOR UPDATE OF o SKIP LOCKED;

-- name: mail_outbox_sent
UPDATE email_outbox
SET status = 'sent', sent_at = now(), attempts = attempts + 1,
    message_id = $2, unsub_hash = $3, last_error = NULL
WHERE id = $1;

-- $3: seconds until the next attempt; $4: give up (dead letter).
-- name: mail_outbox_failed
UPDATE email_outbox
SET attempts = attempts + 1, last_error = $2,
    next_attempt_at = now() + make_interval(secs => $3::double precision),
    status = CASE WHEN $4::boolean THEN 'dead' ELSE 'pending' END
WHERE id = $1;

-- name: mail_outbox_suppress
UPDATE email_outbox SET status = 'suppressed', last_error = $2
WHERE id = $1;

-- The mail an unsubscribe token came with: user id, template.
-- name: mail_unsub_lookup
SELECT COALESCE(o.user_id, (SELECT u.id FROM users u
                            WHERE lower(u.email) = lower(o.to_addr)), 0),
       o.template
FROM email_outbox o WHERE o.unsub_hash = $1;

-- name: password_reset_recent
SELECT count(*) FROM password_resets
WHERE user_id = $1 AND created_at > now() - interval '1 hour';

-- name: password_reset_insert
INSERT INTO password_resets (user_id, token_hash, expires_at)
VALUES ($1, $2, now() + interval '1 hour');

-- A usable token: user id, name, e-mail.
-- name: password_reset_check
SELECT u.id, u.full_name, u.email
FROM password_resets p JOIN users u ON u.id = p.user_id
WHERE p.token_hash = $1 AND p.used_at IS NULL AND p.expires_at > now()
  AND u.is_active;

-- The same, locking the token row for the password change.
-- name: password_reset_take
SELECT p.user_id
FROM password_resets p JOIN users u ON u.id = p.user_id
WHERE p.token_hash = $1 AND p.used_at IS NULL AND p.expires_at > now()
  AND u.is_active
FOR UPDATE OF p;

-- Every outstanding link of the user stops working once one is used.
-- name: password_reset_use
UPDATE password_resets SET used_at = now()
WHERE user_id = $1 AND used_at IS NULL;

-- Weekly report for user $1: lessons completed in the last 7 days and
-- minutes spent on lessons touched in them.
-- name: mail_weekly_stats
SELECT count(*) FILTER (WHERE lp.status = 'completed'
                         AND lp.completed_at > now() - interval '7 days'),
       COALESCE(sum(lp.time_spent_seconds)
                FILTER (WHERE lp.last_seen_at > now() - interval '7 days'),
                0) / 60
FROM lesson_progress lp WHERE lp.user_id = $1;

-- Active courses of user $1: id, title, percent done, the first lesson
-- not completed (id, title; NULL when none).
-- name: mail_weekly_courses
SELECT c.id, c.title,
       COALESCE(100 * count(lp.lesson_id) FILTER (WHERE lp.status = 'completed')
                / NULLIF(count(l.id), 0), 0)::int,
       (SELECT l2.id FROM modules m2 JOIN lessons l2 ON l2.module_id = m2.id
        LEFT JOIN lesson_progress p2 ON p2.lesson_id = l2.id
             AND p2.user_id = $1 AND p2.status = 'completed'
        WHERE m2.course_id = c.id AND p2.lesson_id IS NULL
        ORDER BY m2.position, l2.position LIMIT 1),
       (SELECT l2.title FROM modules m2 JOIN lessons l2 ON l2.module_id = m2.id
        LEFT JOIN lesson_progress p2 ON p2.lesson_id = l2.id
             AND p2.user_id = $1 AND p2.status = 'completed'
        WHERE m2.course_id = c.id AND p2.lesson_id IS NULL
        ORDER BY m2.position, l2.position LIMIT 1)
FROM enrollments e
JOIN courses c ON c.id = e.course_id
LEFT JOIN modules m ON m.course_id = c.id
LEFT JOIN lessons l ON l.module_id = m.id
LEFT JOIN lesson_progress lp ON lp.lesson_id = l.id AND lp.user_id = e.user_id
WHERE e.user_id = $1 AND e.status = 'active'
GROUP BY c.id, c.title
ORDER BY c.title
LIMIT 10;

-- Learners with an active enrolment and no weekly report in the last six
-- days (so a re-run of the weekly job sends nothing twice).
-- name: mail_weekly_recipients
SELECT DISTINCT e.user_id
FROM enrollments e JOIN users u ON u.id = e.user_id
WHERE e.status = 'active' AND u.is_active
  AND NOT EXISTS (SELECT 1 FROM email_outbox o
                  WHERE o.user_id = e.user_id
                    AND o.template = 'weekly_report'
                    AND o.created_at > now() - interval '6 days')
ORDER BY e.user_id;

-- Admin view of the outbox: counts by status, then the latest rows (not
-- sent first).  Columns: id, to_addr, template, subject, status,
-- attempts, last_error, created, sent (UTC text, '' = not sent).
-- name: mail_admin_counts
SELECT status, count(*) FROM email_outbox GROUP BY status ORDER BY status;

-- name: mail_admin_list
SELECT id, to_addr, template, subject, status, attempts,
       COALESCE(last_error, ''),
       to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI'),
       COALESCE(to_char(sent_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI'), '')
FROM email_outbox
ORDER BY status = 'sent', id DESC
LIMIT $1;

-- A dead (or waiting) mail goes back to the queue, due now.
-- name: mail_admin_retry
UPDATE email_outbox
SET status = 'pending', next_attempt_at = now(), attempts = 0
WHERE id = $1 AND status IN ('dead', 'pending')
RETURNING id;
