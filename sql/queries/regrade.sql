-- Regrade (src/pages/regrade.c, issue 5, calib).  "Fix" means: the
-- question's current version holds the right answer key, and every
-- response to an older version is re-scored with it.  An option is matched
-- across versions by its position (a key fix keeps the options in place),
-- and a response is right when the positions it chose are exactly the
-- positions marked correct in the current version (single, true/false,
-- multiple).  $1 question, $2 current version id.

-- Rows: attempt_id and learner of each response whose score changed.
-- name: regrade_rescore
WITH key AS (
    SELECT array_agg(position ORDER BY position) AS pos
    FROM question_options WHERE version_id = $2 AND is_correct
), calc AS (
    SELECT r.attempt_id, r.seq, r.correct AS was,
           COALESCE((SELECT array_agg(o.position ORDER BY o.position)
                     FROM question_options o
                     WHERE o.version_id = r.version_id
                       AND o.id = ANY (r.option_ids)), '{}')
           = COALESCE((SELECT pos FROM key), '{}') AS now_ok
    FROM responses r
    JOIN question_versions v ON v.id = r.version_id
    WHERE v.question_id = $1 AND v.id <> $2
)
UPDATE responses r SET correct = c.now_ok
FROM calc c
WHERE r.attempt_id = c.attempt_id AND r.seq = c.seq AND c.was <> c.now_ok
RETURNING r.attempt_id,
    (SELECT a.user_id FROM attempts a WHERE a.id = r.attempt_id);

-- The older versions' item statistics, recounted from their responses.
-- (Each version's shards become one row holding the recount.)
-- name: regrade_item_stats
WITH old AS (
    DELETE FROM item_stat_shards s USING question_versions v
    WHERE v.id = s.version_id AND v.question_id = $1 AND v.id <> $2
    RETURNING s.version_id, s.attempts, s.sum_ms)
INSERT INTO item_stat_shards (version_id, shard, attempts, correct, sum_ms)
SELECT o.version_id, 0, sum(o.attempts),
       (SELECT count(*) FROM responses r
        WHERE r.version_id = o.version_id AND r.correct),
       sum(o.sum_ms)
FROM old o
GROUP BY o.version_id;

-- Submitted quiz attempts with a re-scored response get their score and
-- pass again, as submit computes them.  $1: attempt ids.
-- name: regrade_attempt_scores
WITH sc AS (
    SELECT i.attempt_id, CASE WHEN count(*) > 0 THEN 100.0 *
           count(r.seq) FILTER (WHERE r.correct) / count(*) ELSE 0 END
           AS pct
    FROM attempt_items i
    LEFT JOIN responses r ON r.attempt_id = i.attempt_id AND r.seq = i.seq
    WHERE i.attempt_id = ANY ($1::bigint[])
    GROUP BY i.attempt_id
)
UPDATE attempts a
SET score = sc.pct, passed = sc.pct + 1e-9 >= s.pass_mark
FROM sc, assessments s
WHERE a.id = sc.attempt_id AND a.status = 'submitted'
  AND s.id = a.assessment_id;

-- name: regrade_insert
INSERT INTO regrades (question_id, key_version_id, by_user,
    responses_changed, attempts_changed)
VALUES ($1, $2, $3, $4, $5);

-- The learner-model replay (regrade.c): the question's skills with their
-- BKT parameters (NULL: defaults), then a learner's answers in order, per
-- skill and overall, at most $3 rows (the caller asks for one more than
-- it replays, to notice a history too long to replay).
-- name: regrade_question_skills
SELECT qs.skill_id, p.prior, p.learn, p.guess, p.slip
FROM question_skills qs LEFT JOIN skill_bkt_params p USING (skill_id)
WHERE qs.question_id = $1
ORDER BY qs.skill_id;

-- name: regrade_replay_skill
SELECT r.correct, v.difficulty, v.irt_b
FROM responses r
JOIN attempts a ON a.id = r.attempt_id
JOIN question_versions v ON v.id = r.version_id
JOIN question_skills qs ON qs.question_id = v.question_id
     AND qs.skill_id = $2
WHERE a.user_id = $1
ORDER BY r.answered_at, r.attempt_id, r.seq
LIMIT $3;

-- name: regrade_replay_ability
SELECT r.correct, v.irt_b
FROM responses r
JOIN attempts a ON a.id = r.attempt_id
JOIN question_versions v ON v.id = r.version_id
WHERE a.user_id = $1
ORDER BY r.answered_at, r.attempt_id, r.seq
LIMIT $2;

-- Typed questions (numeric, short text, ordering) are re-scored in C
-- (regrade.c, with attempt.c's rules): every response to an older
-- version, by version, with what the learner gave.  $1 question, $2
-- current version id.
-- name: regrade_responses
SELECT r.attempt_id, a.user_id, r.seq, r.version_id, r.correct, r.answer,
       array_to_string(r.option_ids, ',')
FROM responses r
JOIN question_versions v ON v.id = r.version_id
JOIN attempts a ON a.id = r.attempt_id
WHERE v.question_id = $1 AND v.id <> $2
ORDER BY r.version_id, r.attempt_id, r.seq;

-- Writes the new scores: $1 attempt ids, $2 seqs, $3 correct, parallel.
-- name: regrade_response_set
UPDATE responses r SET correct = u.ok
FROM unnest($1::bigint[], $2::integer[], $3::boolean[]) AS u(a, s, ok)
WHERE r.attempt_id = u.a AND r.seq = u.s AND r.correct <> u.ok;

-- The question page's note: the latest regrade of question $1.
-- name: regrade_last
SELECT g.responses_changed, g.attempts_changed,
       to_char(g.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI'),
       COALESCE(u.full_name, 'a deleted user')
FROM regrades g LEFT JOIN users u ON u.id = g.by_user
WHERE g.question_id = $1
ORDER BY g.id DESC
LIMIT 1;
