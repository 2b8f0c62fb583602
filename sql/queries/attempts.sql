-- Attempts, responses and the learner model (src/pages/attempt.c,
-- diagnostic.c, profile.c).  Ownership is in the WHERE clauses: $2 is the
-- signed-in learner, so another learner's attempt is simply not found.

-- A quiz attached to a lesson or module is for the learners of that
-- course (enrolled, not left), its author and admins; a quiz attached to
-- neither is open to every signed-in user.  Others do not find it.
-- Columns 12 and 13: the learner's open attempt (0: none) and how many
-- they submitted.
-- name: attempt_assessment_get
SELECT a.id, a.title, a.mode, a.draw_skill_id, a.draw_min, a.draw_max,
       a.draw_count, a.pass_mark, a.attempts_allowed,
       COALESCE(a.time_limit_s, 0), a.per_page, a.owner_id,
       COALESCE((SELECT t.id FROM attempts t WHERE t.assessment_id = a.id
                 AND t.user_id = $2 AND t.status = 'open'), 0),
       (SELECT count(*) FROM attempts t WHERE t.assessment_id = a.id
        AND t.user_id = $2 AND t.status = 'submitted')
FROM assessments a
WHERE a.id = $1 AND (
    (a.lesson_id IS NULL AND a.module_id IS NULL) OR a.owner_id = $2
    OR $3::boolean OR EXISTS (SELECT 1 FROM enrollments e
        WHERE e.user_id = $2 AND e.status <> 'left'
          AND e.course_id = COALESCE(
              (SELECT m.course_id FROM lessons l
               JOIN modules m ON m.id = l.module_id WHERE l.id = a.lesson_id),
              (SELECT m.course_id FROM modules m WHERE m.id = a.module_id))));

-- A new attempt and its items in one statement (atomic without a
-- transaction block).  The items are drawn first: the quiz's fixed
-- questions in its order, or ($5 true) a random draw by skill ($6, NULL:
-- any) and difficulty ($7..$8) of $9 questions; current versions.  The
-- attempt is inserted only if there is at least one item, so an empty
-- quiz leaves nothing (no row returned).  $1 quiz, $2 user, $3 time limit
-- (s, 0: none), $4 the address the attempt was started from (the burst
-- detector counts attempt starts per address, issue 9).  Returns the
-- attempt's id, start and deadline as attempt_get gives them (so the
-- start's answer need not read the attempt back); a second open attempt
-- fails on attempts_one_open (a concurrent start).
-- name: attempt_start
WITH q AS (
    SELECT row_number() OVER (ORDER BY aq.position, aq.question_id) AS seq,
           q.id AS qid, v.id AS vid
    FROM assessment_questions aq
    JOIN questions q ON q.id = aq.question_id AND q.archived_at IS NULL
    JOIN question_versions v ON v.question_id = q.id
         AND v.version = q.current_version
    WHERE aq.assessment_id = $1 AND NOT $5::boolean
    UNION ALL
    SELECT row_number() OVER (), id, vid FROM (
        SELECT q.id, v.id AS vid
        FROM questions q
        JOIN question_versions v ON v.question_id = q.id
             AND v.version = q.current_version
        WHERE $5::boolean AND q.archived_at IS NULL
          AND ($6::bigint IS NULL OR EXISTS (SELECT 1 FROM question_skills qs
               WHERE qs.question_id = q.id AND qs.skill_id = $6::bigint))
          AND v.difficulty BETWEEN $7 AND $8
        ORDER BY random() LIMIT $9) d),
a AS (
    INSERT INTO attempts (assessment_id, user_id, deadline, start_ip)
    SELECT $1, $2, CASE WHEN $3::integer > 0
        THEN now() + make_interval(secs => $3::integer) END, NULLIF($4, '')
    WHERE EXISTS (SELECT 1 FROM q)
    RETURNING id, started_at, deadline),
i AS (
    INSERT INTO attempt_items (attempt_id, seq, question_id, version_id)
    SELECT a.id, q.seq, q.qid, q.vid FROM a, q)
SELECT id, to_char(started_at, 'YYYY-MM-DD HH24:MI'),
       COALESCE(extract(epoch FROM deadline)::bigint, 0)
FROM a;

-- The attempt if it is the learner's: status, deadline passed, quiz facts
-- (columns 7 and 12 as attempt_start returns them).
-- name: attempt_get
SELECT a.id, a.assessment_id, a.status, a.late, a.score, a.passed,
       COALESCE(extract(epoch FROM a.deadline)::bigint, 0),
       (a.deadline IS NOT NULL AND now() > a.deadline + interval '5 s'),
       COALESCE(s.title, 'Diagnostic'), COALESCE(s.pass_mark, 0),
       COALESCE(s.per_page, 'question'),
       to_char(a.started_at, 'YYYY-MM-DD HH24:MI'),
       (SELECT count(*) FROM attempt_items i WHERE i.attempt_id = a.id),
       (SELECT count(*) FROM responses x WHERE x.attempt_id = a.id),
       a.diag_skills IS NOT NULL, a.theta, a.se,
       COALESCE(a.diag_target, 0), COALESCE(array_to_string(a.diag_skills,
       ','), ''), COALESCE(a.diag_max, 20)
FROM attempts a LEFT JOIN assessments s ON s.id = a.assessment_id
WHERE a.id = $1 AND a.user_id = $2;

-- The same row locked, inside the answer and submit transactions.
-- name: attempt_lock
SELECT status, (deadline IS NOT NULL AND now() > deadline + interval '5 s'),
       (deadline IS NOT NULL AND now() > deadline)
FROM attempts WHERE id = $1 AND user_id = $2 FOR UPDATE;

-- Every item with its question, answered or not.  Columns 9.. are the
-- response (NULL when unanswered).
-- name: attempt_item_list
SELECT i.seq, i.question_id, i.version_id, q.kind, v.title, v.stem,
       v.explanation, v.difficulty, v.irt_b,
       r.correct, r.answer, COALESCE(array_to_string(r.option_ids, ','), ''),
       r.response_ms,
       COALESCE((SELECT string_agg(s.name, ', ' ORDER BY s.name)
                 FROM question_skills qs JOIN skills s ON s.id = qs.skill_id
                 WHERE qs.question_id = q.id), '')
FROM attempt_items i
JOIN questions q ON q.id = i.question_id
JOIN question_versions v ON v.id = i.version_id
LEFT JOIN responses r ON r.attempt_id = i.attempt_id AND r.seq = i.seq
WHERE i.attempt_id = $1
ORDER BY i.seq;

-- The item being answered, read after attempt_lock (so it sees any
-- answer that committed while this one waited for the lock): the item,
-- its response if it was answered (columns 5-7: answered, correct, ms),
-- the response time so far (as attempt_item_elapsed_ms), whether the
-- attempt has any answer yet, and the item's mean time (0: none yet).
-- name: attempt_answer_item
SELECT i.seq, i.version_id, q.kind, v.difficulty, v.irt_b,
       r.seq IS NOT NULL, COALESCE(r.correct, false),
       COALESCE(r.response_ms, 0),
       GREATEST(0, (extract(epoch FROM now() - GREATEST(
           COALESCE(i.shown_at, a.started_at),
           (SELECT max(x.answered_at) FROM responses x
            WHERE x.attempt_id = i.attempt_id))) * 1000)::bigint),
       EXISTS (SELECT 1 FROM responses x WHERE x.attempt_id = i.attempt_id),
       COALESCE((SELECT st.sum_ms / nullif(st.attempts, 0)
                 FROM item_stats st WHERE st.version_id = i.version_id), 0)
FROM attempt_items i
JOIN attempts a ON a.id = i.attempt_id
JOIN questions q ON q.id = i.question_id
JOIN question_versions v ON v.id = i.version_id
LEFT JOIN responses r ON r.attempt_id = i.attempt_id AND r.seq = i.seq
WHERE i.attempt_id = $1 AND i.question_id = $2;

-- name: attempt_options
SELECT id, position, body, is_correct, num_value, num_tolerance, feedback
FROM question_options WHERE version_id = $1
ORDER BY position, id;

-- name: attempt_item_shown
UPDATE attempt_items SET shown_at = now()
WHERE attempt_id = $1 AND seq = $2 AND shown_at IS NULL;

-- The response, and its version marked locked (bank_version_lock: from
-- its first response on a version is immutable), in one round trip.
-- name: attempt_response_insert
WITH lock AS (
    UPDATE question_versions SET locked = true WHERE id = $3 AND NOT locked)
INSERT INTO responses (attempt_id, seq, version_id, answer, option_ids,
    correct, response_ms)
VALUES ($1, $2, $3, $4, $5::bigint[], $6, $7)
ON CONFLICT (attempt_id, seq) DO NOTHING;

-- The answer added to its item's statistics, in the shard of this
-- connection (see migration 030: no row shared by concurrent answers).
-- name: attempt_item_stats_add
INSERT INTO item_stat_shards AS s (version_id, shard, attempts, correct,
    sum_ms)
VALUES ($1, pg_backend_pid() % 64, 1, CASE WHEN $2::boolean THEN 1 ELSE 0 END,
    $3)
ON CONFLICT (version_id, shard) DO UPDATE
SET attempts = s.attempts + 1, correct = s.correct + EXCLUDED.correct,
    sum_ms = s.sum_ms + EXCLUDED.sum_ms;

-- Skills of a question with their state for the learner and
-- their BKT parameters (NULL: defaults).
-- name: attempt_skill_states
SELECT qs.skill_id, st.p_known, st.theta, st.n, st.level,
       p.prior, p.learn, p.guess, p.slip
FROM question_skills qs
LEFT JOIN learner_skill_state st ON st.user_id = $2
     AND st.skill_id = qs.skill_id
LEFT JOIN skill_bkt_params p ON p.skill_id = qs.skill_id
WHERE qs.question_id = $1
ORDER BY qs.skill_id;

-- ... and the level ($7, rounded) in the profile (attempt_profile_level's
-- upsert), in one round trip.
-- name: attempt_skill_state_put
WITH profile AS (
    INSERT INTO learner_profiles (user_id, skill_levels)
    VALUES ($1, jsonb_build_object($2::bigint::text, $7::integer))
    ON CONFLICT (user_id) DO UPDATE
    SET skill_levels = learner_profiles.skill_levels
        || jsonb_build_object($2::bigint::text, $7::integer),
        updated_at = now())
INSERT INTO learner_skill_state (user_id, skill_id, p_known, theta, n,
    level, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, now())
ON CONFLICT (user_id, skill_id) DO UPDATE
SET p_known = EXCLUDED.p_known, theta = EXCLUDED.theta, n = EXCLUDED.n,
    level = EXCLUDED.level, updated_at = now();

-- Skill levels in the profile: an object keyed by skill id.
-- name: attempt_profile_level
INSERT INTO learner_profiles (user_id, skill_levels)
VALUES ($1, jsonb_build_object($2::text, $3::integer))
ON CONFLICT (user_id) DO UPDATE
SET skill_levels = learner_profiles.skill_levels
    || jsonb_build_object($2::text, $3::integer),
    updated_at = now();

-- The learner's ability row, made if missing and locked (a no-op update),
-- in one statement: it serialises one learner's model updates.
-- name: attempt_ability_lock
INSERT INTO learner_ability AS l (user_id) VALUES ($1)
ON CONFLICT (user_id) DO UPDATE SET theta = l.theta
RETURNING theta, n;

-- name: attempt_ability_put
INSERT INTO learner_ability (user_id, theta, n) VALUES ($1, $2, $3)
ON CONFLICT (user_id) DO UPDATE SET theta = EXCLUDED.theta, n = EXCLUDED.n;

-- Score per skill of an attempt (for results and the submit).
-- name: attempt_skill_breakdown
SELECT s.id, s.name, count(*), count(*) FILTER (WHERE r.correct)
FROM attempt_items i
JOIN question_skills qs ON qs.question_id = i.question_id
JOIN skills s ON s.id = qs.skill_id
LEFT JOIN responses r ON r.attempt_id = i.attempt_id AND r.seq = i.seq
WHERE i.attempt_id = $1
GROUP BY s.id, s.name
ORDER BY s.name;

-- name: attempt_submit
UPDATE attempts
SET status = 'submitted', submitted_at = now(), late = $2,
    score = $3, passed = $4
WHERE id = $1 AND status = 'open';

-- name: attempt_score
SELECT count(*), count(r.seq) FILTER (WHERE r.correct)
FROM attempt_items i
LEFT JOIN responses r ON r.attempt_id = i.attempt_id AND r.seq = i.seq
WHERE i.attempt_id = $1;

-- ---- diagnostic -------------------------------------------------------

-- name: diag_insert
INSERT INTO attempts (user_id, diag_skills, diag_target, diag_max, theta,
    se)
VALUES ($1, $2::bigint[], $3, $4, 0, NULL)
RETURNING id;

-- The candidate items: current versions of questions with any of the
-- skills; the skill is the first of the chosen skills the question has.
-- name: diag_bank
SELECT q.id, v.id, v.irt_a, v.irt_b, v.irt_c,
       (SELECT min(qs.skill_id) FROM question_skills qs
        WHERE qs.question_id = q.id AND qs.skill_id = ANY($1::bigint[]))
FROM questions q
JOIN question_versions v ON v.question_id = q.id
     AND v.version = q.current_version
WHERE q.archived_at IS NULL
  AND q.kind IN ('single', 'multiple', 'truefalse', 'numeric', 'short',
      'ordering')
  AND EXISTS (SELECT 1 FROM question_skills qs WHERE qs.question_id = q.id
      AND qs.skill_id = ANY($1::bigint[]))
ORDER BY q.id
LIMIT 2000;

-- Items answered so far, with the parameters they were given.
-- name: diag_answered
SELECT i.question_id, r.correct, v.irt_a, v.irt_b, v.irt_c
FROM attempt_items i
JOIN responses r ON r.attempt_id = i.attempt_id AND r.seq = i.seq
JOIN question_versions v ON v.id = i.version_id
WHERE i.attempt_id = $1
ORDER BY i.seq;

-- An item added to the diagnostic (next seq); nothing if one is pending.
-- name: diag_item_add
INSERT INTO attempt_items (attempt_id, seq, question_id, version_id)
SELECT $1, COALESCE(max(seq), 0) + 1, $2, $3
FROM attempt_items WHERE attempt_id = $1
ON CONFLICT DO NOTHING;

-- name: diag_pending
SELECT i.question_id FROM attempt_items i
LEFT JOIN responses r ON r.attempt_id = i.attempt_id AND r.seq = i.seq
WHERE i.attempt_id = $1 AND r.seq IS NULL
ORDER BY i.seq LIMIT 1;

-- name: diag_state_put
UPDATE attempts SET theta = $2, se = $3 WHERE id = $1;

-- name: diag_finish
UPDATE attempts SET status = 'submitted', submitted_at = now(), theta = $2,
    se = $3
WHERE id = $1 AND status = 'open';

-- ---- profile ------------------------------------------------------------

-- name: profile_skills
SELECT s.id, s.name, st.level, st.p_known, st.theta, st.n,
       to_char(st.updated_at, 'YYYY-MM-DD')
FROM learner_skill_state st JOIN skills s ON s.id = st.skill_id
WHERE st.user_id = $1
ORDER BY s.name;

-- Targets: the levels the learner's enrolled courses aim at (no goals
-- table yet), else the last diagnostic's chosen target for its skills.
-- The learner's targets: their goal's (learner_goal_skills) when they set
-- one, which wins; else the highest among their courses' targets and the
-- last diagnostic's.
-- name: profile_targets
WITH goal AS (
    SELECT skill_id, target_level AS target FROM learner_goal_skills
    WHERE user_id = $1)
SELECT skill_id, target FROM goal
UNION ALL
SELECT skill_id, max(target) FROM (
    SELECT cs.skill_id, cs.target_level AS target
    FROM enrollments e JOIN course_skills cs ON cs.course_id = e.course_id
    WHERE e.user_id = $1 AND e.status <> 'left'
    UNION ALL
    SELECT unnest(a.diag_skills), a.diag_target
    FROM attempts a
    WHERE a.id = (SELECT max(id) FROM attempts WHERE user_id = $1
                  AND diag_skills IS NOT NULL)) t
WHERE NOT EXISTS (SELECT 1 FROM goal)
GROUP BY skill_id;

-- name: profile_skill_names
SELECT id, name FROM skills WHERE id = ANY($1::bigint[]) ORDER BY name;

-- name: diag_skill_choices
SELECT s.id, s.name, count(*)
FROM skills s JOIN question_skills qs ON qs.skill_id = s.id
JOIN questions q ON q.id = qs.question_id AND q.archived_at IS NULL
GROUP BY s.id, s.name
ORDER BY s.name
LIMIT 200;

-- A diagnostic's level for a skill: ability and level replace the old.
-- name: diag_skill_level
INSERT INTO learner_skill_state (user_id, skill_id, p_known, theta, n,
    level, updated_at)
VALUES ($1, $2, 0.3, $3, 0, $4, now())
ON CONFLICT (user_id, skill_id) DO UPDATE
SET theta = EXCLUDED.theta, level = EXCLUDED.level, updated_at = now();

-- Answered items of a diagnostic per chosen skill (for per-skill EAP).
-- name: diag_answered_skill
SELECT r.correct, v.irt_a, v.irt_b, v.irt_c
FROM attempt_items i
JOIN responses r ON r.attempt_id = i.attempt_id AND r.seq = i.seq
JOIN question_versions v ON v.id = i.version_id
WHERE i.attempt_id = $1 AND EXISTS (SELECT 1 FROM question_skills qs
      WHERE qs.question_id = i.question_id AND qs.skill_id = $2)
ORDER BY i.seq;

-- What to review after an attempt: lessons teaching a skill the attempt
-- scored under 70% in, from the learner's courses (enrolled, not left)
-- first, then other published courses.
-- name: attempt_review_lessons
WITH weak AS (
    SELECT qs.skill_id
    FROM attempt_items i
    JOIN question_skills qs ON qs.question_id = i.question_id
    LEFT JOIN responses r ON r.attempt_id = i.attempt_id AND r.seq = i.seq
    WHERE i.attempt_id = $1
    GROUP BY qs.skill_id
    HAVING count(*) FILTER (WHERE r.correct) * 100 < count(*) * 70)
SELECT DISTINCT ON (mine, l.id) c.id, l.id, l.title, c.title,
       (e.user_id IS NOT NULL) AS mine
FROM weak w
JOIN lesson_skills ls ON ls.skill_id = w.skill_id
JOIN lessons l ON l.id = ls.lesson_id
JOIN modules m ON m.id = l.module_id
JOIN courses c ON c.id = m.course_id
LEFT JOIN enrollments e ON e.course_id = c.id AND e.user_id = $2
     AND e.status <> 'left'
WHERE c.status = 'published' OR e.user_id IS NOT NULL
ORDER BY mine DESC, l.id
LIMIT 5;

-- Every option of every item of an attempt (one query for the JSON view).
-- name: attempt_options_all
SELECT i.seq, o.id, o.body, o.is_correct, o.feedback
FROM attempt_items i JOIN question_options o ON o.version_id = i.version_id
WHERE i.attempt_id = $1
ORDER BY i.seq, o.position, o.id;
