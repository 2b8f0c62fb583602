-- Item calibration (src/jobs/calibrate.c).  The responses used: each
-- learner's first answer to an item version, from submitted or open
-- attempts, for versions with at least $1 such learners.

-- Rows: user_id, version_id, correct, epoch(answered_at); ordered by user.
-- name: calibrate_responses
WITH first AS (
    SELECT DISTINCT ON (a.user_id, r.version_id)
           a.user_id, r.version_id, r.correct, r.answered_at
    FROM responses r JOIN attempts a ON a.id = r.attempt_id
    ORDER BY a.user_id, r.version_id, r.answered_at, r.attempt_id, r.seq
), eligible AS (
    SELECT version_id FROM first GROUP BY version_id
    HAVING count(*) >= $1::integer
)
SELECT f.user_id, f.version_id, f.correct,
       extract(epoch FROM f.answered_at)::bigint
FROM first f JOIN eligible e USING (version_id)
ORDER BY f.user_id, f.version_id;

-- name: calibrate_item_update
UPDATE question_versions
SET irt_a = $2::double precision, irt_b = $3::double precision,
    irt_c = $4::double precision, irt_calibrated = true,
    irt_calibrated_at = now(), irt_n = $5::integer
WHERE id = $1;

-- name: calibrate_metadata_insert
INSERT INTO model_metadata (model_kind, target_kind, target_id, params,
    metrics, data_from, data_to)
VALUES ($1, 'item_version', $2, $3::jsonb, $4::jsonb,
    to_timestamp($5::bigint), to_timestamp($6::bigint));
