-- Account security (issue 9, harden): second factor, recovery codes,
-- sessions, personal-data export and deletion.  See src/pages/security.c.

-- name: security_user_get
SELECT id, full_name, email, role, totp_secret,
       totp_enabled_at IS NOT NULL, totp_last_step, is_active, mfa_required,
       password_hash
FROM users WHERE id = $1;

-- A pending (not yet confirmed) secret replaces any earlier pending one;
-- an enabled second factor is never overwritten here.
-- name: security_totp_pending_set
UPDATE users SET totp_secret = $2
WHERE id = $1 AND totp_enabled_at IS NULL;

-- name: security_totp_enable
UPDATE users SET totp_enabled_at = now(), totp_last_step = $2
WHERE id = $1 AND totp_secret IS NOT NULL AND totp_enabled_at IS NULL;

-- Accepts a step only if it is later than the last accepted one (no
-- replay); 1 row = accepted.
-- name: security_totp_step_use
UPDATE users SET totp_last_step = $2
WHERE id = $1 AND totp_last_step < $2;

-- name: security_totp_disable
UPDATE users SET totp_secret = NULL, totp_enabled_at = NULL,
       totp_last_step = 0
WHERE id = $1;

-- name: security_recovery_clear
DELETE FROM recovery_codes WHERE user_id = $1;

-- name: security_recovery_insert
INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2);

-- name: security_recovery_use
UPDATE recovery_codes SET used_at = now()
WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL
RETURNING id;

-- name: security_recovery_left
SELECT count(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL;

-- One row per session (refresh-token family) still alive: family,
-- started, last renewed, expires (Unix seconds), and the address and
-- User-Agent of its latest renewal.
-- name: security_session_list
SELECT family, extract(epoch FROM min(created_at))::bigint,
       extract(epoch FROM max(created_at))::bigint,
       extract(epoch FROM max(expires_at))::bigint,
       (array_agg(ip ORDER BY created_at DESC))[1],
       (array_agg(user_agent ORDER BY created_at DESC))[1]
FROM refresh_tokens
WHERE user_id = $1 AND revoked_at IS NULL
GROUP BY family
HAVING max(expires_at) > now()
ORDER BY max(created_at) DESC
LIMIT 100;

-- Revokes one of the user's own sessions; 0 rows = not theirs or gone.
-- name: security_session_revoke
UPDATE refresh_tokens SET revoked_at = now()
WHERE user_id = $1 AND family = $2 AND revoked_at IS NULL;

-- Everything kept about a user, as one JSON document.  Secrets (password
-- hash, TOTP secret, token hashes) are left out; everything else is in.
-- name: security_export
SELECT jsonb_build_object(
  'exported_at', now(),
  'account', (SELECT jsonb_build_object('id', u.id, 'email', u.email,
      'full_name', u.full_name, 'role', u.role, 'is_active', u.is_active,
      'created_at', u.created_at,
      'password_changed_at', u.password_changed_at,
      'two_factor_enabled_at', u.totp_enabled_at)
    FROM users u WHERE u.id = $1),
  'profile', (SELECT to_jsonb(p) - 'user_id' FROM learner_profiles p
    WHERE p.user_id = $1),
  'enrollments', COALESCE((SELECT jsonb_agg((to_jsonb(e) - 'user_id') ||
      jsonb_build_object('course_title', c.title) ORDER BY e.enrolled_at)
    FROM enrollments e JOIN courses c ON c.id = e.course_id
    WHERE e.user_id = $1), '[]'),
  'lesson_progress', COALESCE((SELECT jsonb_agg(to_jsonb(lp) - 'user_id')
    FROM lesson_progress lp WHERE lp.user_id = $1), '[]'),
  'certificates', COALESCE((SELECT jsonb_agg(to_jsonb(ce) - 'user_id')
    FROM certificates ce WHERE ce.user_id = $1), '[]'),
  'notifications', COALESCE((SELECT jsonb_agg(to_jsonb(n) - 'user_id'
      ORDER BY n.id) FROM notifications n WHERE n.user_id = $1), '[]'),
  'mail_preferences', COALESCE((SELECT jsonb_agg(to_jsonb(m) - 'user_id')
    FROM mail_prefs m WHERE m.user_id = $1), '[]'),
  'mail_sent', COALESCE((SELECT jsonb_agg(jsonb_build_object(
      'id', o.id, 'subject', o.subject, 'status', o.status,
      'created_at', o.created_at) ORDER BY o.id)
    FROM email_outbox o WHERE o.user_id = $1), '[]'),
  'events', COALESCE((SELECT jsonb_agg(to_jsonb(ev) - 'user_id'
      ORDER BY ev.occurred_at) FROM learner_events ev
    WHERE ev.user_id = $1), '[]'),
  'daily_activity', COALESCE((SELECT jsonb_agg(to_jsonb(d) - 'user_id')
    FROM event_rollup_learner_daily d WHERE d.user_id = $1), '[]'),
  'sessions', COALESCE((SELECT jsonb_agg(jsonb_build_object(
      'started', s.started, 'last_renewed', s.renewed,
      'revoked', s.revoked) ORDER BY s.started)
    FROM (SELECT min(created_at) AS started, max(created_at) AS renewed,
                 bool_or(revoked_at IS NOT NULL) AS revoked
          FROM refresh_tokens WHERE user_id = $1 GROUP BY family) s), '[]'),
  'recovery_codes_left', (SELECT count(*) FROM recovery_codes r
    WHERE r.user_id = $1 AND r.used_at IS NULL),
  'audit_log', COALESCE((SELECT jsonb_agg(jsonb_build_object('at', a.at,
      'action', a.action, 'object', a.object) ORDER BY a.id)
    FROM audit_log a WHERE a.actor_id = $1), '[]')
)::text;

-- Deletion on request, step by step inside one transaction (security.c):
-- personal fields go, the account stays as an anonymous row so course
-- statistics still add up, and every session ends.
-- name: security_delete_user
UPDATE users SET email = 'deleted-' || id || '@deleted.invalid',
       full_name = 'Deleted user', password_hash = '!deleted',
       is_active = false, totp_secret = NULL, totp_enabled_at = NULL,
       deleted_at = now()
WHERE id = $1 AND deleted_at IS NULL;

-- Events keep their course, lesson, kind and time for statistics; the
-- payload (answers, free text, client details) goes.
-- name: security_delete_events
UPDATE learner_events SET payload = '{}'
WHERE user_id = $1;

-- name: security_delete_personal
WITH a AS (DELETE FROM learner_profiles WHERE user_id = $1),
     b AS (DELETE FROM notifications WHERE user_id = $1),
     c AS (DELETE FROM mail_prefs WHERE user_id = $1),
     d AS (DELETE FROM password_resets WHERE user_id = $1),
     e AS (DELETE FROM recovery_codes WHERE user_id = $1),
     f AS (DELETE FROM certificates WHERE user_id = $1),
     g AS (UPDATE email_outbox SET to_addr = 'deleted@deleted.invalid',
               body_text = '', body_html = NULL, status = CASE WHEN status =
               'pending' THEN 'suppressed' ELSE status END
           WHERE user_id = $1)
SELECT 1;

-- name: security_mfa_required_set
UPDATE users SET mfa_required = $2::boolean WHERE id = $1;
