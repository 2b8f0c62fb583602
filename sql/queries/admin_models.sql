-- Model metadata in the admin panel (issue 9, adminx; src/pages/
-- admin_models.c): fits grouped by target, a target's history, rollback.
-- A target's current fit is its newest row (highest id); see
-- 023_models.sql.

-- Columns of admin_model_list and admin_model_history: fit id,
-- model_kind, target_kind, target_id, the target's name ('' when it is
-- gone), its question id and version number (0 for a skill), params and
-- metrics (JSON text), fitted at, data from, data to (UTC text, '' when
-- unknown), rollback_of (0 = a real fit), who rolled back ('' = nobody or
-- a deleted account), the target still exists (bool).

-- One row per target, its current fit, targets with the newest fit
-- first.  $1 target kind ('' = both), $2 search: a substring of the
-- name, or a target, fit or question id; at most $3 rows from $4.  The
-- last column is the number of fits of the target.
-- name: admin_model_list
WITH cur AS (
    SELECT DISTINCT ON (target_kind, target_id) *
    FROM model_metadata
    WHERE $1::text = '' OR target_kind = $1::text
    ORDER BY target_kind, target_id, id DESC
)
SELECT m.id, m.model_kind, m.target_kind, m.target_id,
       COALESCE(s.name, NULLIF(v.title, ''), left(v.stem, 80), ''),
       COALESCE(v.question_id, 0), COALESCE(v.version, 0),
       m.params::text, m.metrics::text,
       to_char(m.fitted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'),
       COALESCE(to_char(m.data_from AT TIME ZONE 'UTC',
           'YYYY-MM-DD HH24:MI'), ''),
       COALESCE(to_char(m.data_to AT TIME ZONE 'UTC',
           'YYYY-MM-DD HH24:MI'), ''),
       COALESCE(m.rollback_of, 0), COALESCE(u.email, ''),
       (v.id IS NOT NULL OR s.id IS NOT NULL),
       (SELECT count(*) FROM model_metadata x
        WHERE x.target_kind = m.target_kind AND x.target_id = m.target_id)
FROM cur m
LEFT JOIN question_versions v
       ON m.target_kind = 'item_version' AND v.id = m.target_id
LEFT JOIN skills s ON m.target_kind = 'skill' AND s.id = m.target_id
LEFT JOIN users u ON u.id = m.created_by
WHERE $2::text = ''
   OR strpos(lower(COALESCE(s.name, v.title || ' ' || v.stem, '')),
             lower($2::text)) > 0
   OR $2::text IN (m.target_id::text, m.id::text, v.question_id::text)
ORDER BY m.id DESC
LIMIT $3 OFFSET $4;

-- Targets with fits, by kind: item versions, skills; and how many fits.
-- name: admin_model_counts
SELECT count(DISTINCT target_id) FILTER (WHERE target_kind = 'item_version'),
       count(DISTINCT target_id) FILTER (WHERE target_kind = 'skill'),
       count(*)
FROM model_metadata;

-- One target ($1 kind, $2 id): its name, question id, version, whether it
-- exists, then the parameters in use now as JSON ('' when none: a skill
-- on the defaults, or a target that is gone).
-- name: admin_model_target
SELECT COALESCE(s.name, NULLIF(v.title, ''), left(v.stem, 80), ''),
       COALESCE(v.question_id, 0), COALESCE(v.version, 0),
       (v.id IS NOT NULL OR s.id IS NOT NULL),
       CASE WHEN v.id IS NOT NULL THEN json_build_object('a', v.irt_a,
                'b', v.irt_b, 'c', v.irt_c,
                'calibrated', v.irt_calibrated)::text
            WHEN p.skill_id IS NOT NULL THEN json_build_object(
                'prior', p.prior, 'learn', p.learn, 'guess', p.guess,
                'slip', p.slip)::text
            ELSE '' END
FROM (SELECT 1) one
LEFT JOIN question_versions v ON $1::text = 'item_version' AND v.id = $2
LEFT JOIN skills s ON $1::text = 'skill' AND s.id = $2
LEFT JOIN skill_bkt_params p ON p.skill_id = s.id;

-- A target's fits, newest (the one in use) first, in the list's columns.
-- name: admin_model_history
SELECT m.id, m.model_kind, m.target_kind, m.target_id,
       COALESCE(s.name, NULLIF(v.title, ''), left(v.stem, 80), ''),
       COALESCE(v.question_id, 0), COALESCE(v.version, 0),
       m.params::text, m.metrics::text,
       to_char(m.fitted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'),
       COALESCE(to_char(m.data_from AT TIME ZONE 'UTC',
           'YYYY-MM-DD HH24:MI'), ''),
       COALESCE(to_char(m.data_to AT TIME ZONE 'UTC',
           'YYYY-MM-DD HH24:MI'), ''),
       COALESCE(m.rollback_of, 0), COALESCE(u.email, ''),
       (v.id IS NOT NULL OR s.id IS NOT NULL)
FROM model_metadata m
LEFT JOIN question_versions v
       ON m.target_kind = 'item_version' AND v.id = m.target_id
LEFT JOIN skills s ON m.target_kind = 'skill' AND s.id = m.target_id
LEFT JOIN users u ON u.id = m.created_by
WHERE m.target_kind = $1 AND m.target_id = $2
ORDER BY m.id DESC
LIMIT 500;

-- The fit a rollback restores: target kind, target id, params (JSON
-- text).  Rows are never updated, so no lock is needed.
-- name: admin_model_get
SELECT target_kind, target_id, params::text
FROM model_metadata WHERE id = $1;

-- Locks an item version for a rollback; its parameters now, as JSON.
-- name: admin_model_item_lock
SELECT json_build_object('a', irt_a, 'b', irt_b, 'c', irt_c,
           'calibrated', irt_calibrated)::text
FROM question_versions WHERE id = $1 FOR UPDATE;

-- Locks a skill for a rollback; its BKT parameters now, as JSON ('null'
-- when it has none: the defaults).
-- name: admin_model_skill_lock
SELECT COALESCE((SELECT json_build_object('prior', prior, 'learn', learn,
           'guess', guess, 'slip', slip)::text
       FROM skill_bkt_params WHERE skill_id = s.id), 'null')
FROM skills s WHERE s.id = $1 FOR UPDATE;

-- Under the target's lock: the current fit of target ($1 kind, $2 id) and
-- the fit it restores (0 when it is a real fit).
-- name: admin_model_current
SELECT id, COALESCE(rollback_of, 0) FROM model_metadata
WHERE target_kind = $1 AND target_id = $2
ORDER BY id DESC LIMIT 1;

-- Copies fit $1's parameters into its item version, exactly as stored
-- (jsonb numbers to float8).  The caller checked them.
-- name: admin_model_item_restore
UPDATE question_versions v
SET irt_a = (m.params->>'a')::double precision,
    irt_b = (m.params->>'b')::double precision,
    irt_c = COALESCE((m.params->>'c')::double precision, 0),
    irt_calibrated = true, irt_calibrated_at = now(),
    irt_n = COALESCE((m.metrics->>'n_item_responses')::integer, v.irt_n)
FROM model_metadata m
WHERE m.id = $1 AND m.target_kind = 'item_version' AND v.id = m.target_id;

-- The same for a skill's BKT parameters.
-- name: admin_model_skill_restore
INSERT INTO skill_bkt_params (skill_id, prior, learn, guess, slip,
    fitted_at)
SELECT m.target_id, (m.params->>'prior')::double precision,
       (m.params->>'learn')::double precision,
       (m.params->>'guess')::double precision,
       (m.params->>'slip')::double precision, now()
FROM model_metadata m
WHERE m.id = $1 AND m.target_kind = 'skill'
ON CONFLICT (skill_id) DO UPDATE
SET prior = EXCLUDED.prior, learn = EXCLUDED.learn,
    guess = EXCLUDED.guess, slip = EXCLUDED.slip, fitted_at = now();

-- The rollback's own history row: fit $1's kind, target, parameters,
-- metrics and data window, marked as restoring it, by $2.  Returns its id.
-- name: admin_model_rollback_insert
INSERT INTO model_metadata (model_kind, target_kind, target_id, params,
    metrics, data_from, data_to, rollback_of, created_by)
SELECT model_kind, target_kind, target_id, params, metrics, data_from,
       data_to, id, $2
FROM model_metadata WHERE id = $1
RETURNING id;
