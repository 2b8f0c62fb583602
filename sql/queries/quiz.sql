-- Quizzes for instructors (src/pages/quiz.c).  Ownership in the WHERE
-- clauses: $2 the signed-in user, $3 true for admins.

-- name: quiz_list
SELECT a.id, a.title, a.mode, a.pass_mark, a.attempts_allowed,
       COALESCE(a.time_limit_s, 0), a.per_page,
       (SELECT count(*) FROM assessment_questions x
        WHERE x.assessment_id = a.id),
       (SELECT count(*) FROM attempts t WHERE t.assessment_id = a.id)
FROM assessments a
WHERE a.owner_id = $1 OR $2::boolean
ORDER BY a.id DESC LIMIT 200;

-- name: quiz_insert
INSERT INTO assessments (owner_id, title, lesson_id, module_id, mode,
    draw_skill_id, draw_min, draw_max, draw_count, pass_mark,
    attempts_allowed, time_limit_s, per_page)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11,
    NULLIF($12::integer, 0), $13)
RETURNING id;

-- name: quiz_get
SELECT a.id, a.title, a.mode, COALESCE(a.draw_skill_id, 0), a.draw_min,
       a.draw_max, a.draw_count, a.pass_mark, a.attempts_allowed,
       COALESCE(a.time_limit_s, 0), a.per_page, COALESCE(a.lesson_id, 0),
       COALESCE(a.module_id, 0)
FROM assessments a
WHERE a.id = $1 AND (a.owner_id = $2 OR $3::boolean);

-- The lesson or module must be in a course the instructor may edit.
-- name: quiz_lesson_ok
SELECT 1 FROM lessons l JOIN modules m ON m.id = l.module_id
JOIN courses c ON c.id = m.course_id
WHERE l.id = $1 AND (c.author_id = $2 OR $3::boolean);

-- name: quiz_module_ok
SELECT 1 FROM modules m JOIN courses c ON c.id = m.course_id
WHERE m.id = $1 AND (c.author_id = $2 OR $3::boolean);

-- A question the instructor may use (their own, or any for admins).
-- name: quiz_question_add
INSERT INTO assessment_questions (assessment_id, question_id, position)
SELECT $1, q.id, COALESCE((SELECT max(position) FROM assessment_questions
       WHERE assessment_id = $1), 0) + 1
FROM questions q
WHERE q.id = $2 AND q.archived_at IS NULL AND (q.owner_id = $3 OR $4::boolean)
ON CONFLICT DO NOTHING;

-- name: quiz_question_remove
DELETE FROM assessment_questions WHERE assessment_id = $1 AND question_id = $2;

-- name: quiz_questions
SELECT q.id, q.kind, v.title, v.stem, v.difficulty
FROM assessment_questions aq
JOIN questions q ON q.id = aq.question_id
JOIN question_versions v ON v.question_id = q.id
     AND v.version = q.current_version
WHERE aq.assessment_id = $1
ORDER BY aq.position, q.id;

-- Item analytics over the quiz's submitted attempts: per version answered,
-- attempts, correct, mean time, point-biserial (Pearson correlation of
-- the item score with the attempt's score; NULL when either is constant),
-- IRT parameters.
-- name: quiz_item_stats
SELECT i.question_id, v.version, v.id, count(*),
       count(*) FILTER (WHERE r.correct),
       COALESCE(avg(r.response_ms), 0),
       corr(CASE WHEN r.correct THEN 1 ELSE 0 END, t.score),
       v.irt_a, v.irt_b, v.irt_c, v.irt_calibrated, v.stem, q.kind
FROM attempts t
JOIN attempt_items i ON i.attempt_id = t.id
JOIN responses r ON r.attempt_id = i.attempt_id AND r.seq = i.seq
JOIN question_versions v ON v.id = i.version_id
JOIN questions q ON q.id = i.question_id
WHERE t.assessment_id = $1 AND t.status = 'submitted'
GROUP BY i.question_id, v.version, v.id, q.kind
ORDER BY i.question_id, v.version;

-- Per option of a version: how often it was chosen in this quiz.
-- name: quiz_option_rates
SELECT o.id, o.body, o.is_correct,
       (SELECT count(*) FROM responses r JOIN attempts t
        ON t.id = r.attempt_id
        WHERE r.version_id = o.version_id AND t.assessment_id = $2
          AND t.status = 'submitted' AND o.id = ANY(r.option_ids))
FROM question_options o
WHERE o.version_id = $1
ORDER BY o.position, o.id;

-- Learner-facing: the quiz if the learner may take it (as
-- attempt_assessment_get).
-- name: quiz_for_learner
SELECT a.id, a.title, a.pass_mark, a.attempts_allowed,
       COALESCE(a.time_limit_s, 0), a.mode, a.draw_count,
       (SELECT count(*) FROM assessment_questions x
        WHERE x.assessment_id = a.id),
       (SELECT count(*) FROM attempts t WHERE t.assessment_id = a.id
        AND t.user_id = $2 AND t.status = 'submitted'),
       (SELECT max(t.id) FROM attempts t WHERE t.assessment_id = a.id
        AND t.user_id = $2),
       COALESCE((SELECT max(t.score) FROM attempts t
        WHERE t.assessment_id = a.id AND t.user_id = $2), -1)
FROM assessments a
WHERE a.id = $1 AND (
    (a.lesson_id IS NULL AND a.module_id IS NULL) OR a.owner_id = $2
    OR $3::boolean OR EXISTS (SELECT 1 FROM enrollments e
        WHERE e.user_id = $2 AND e.status <> 'left'
          AND e.course_id = COALESCE(
              (SELECT m.course_id FROM lessons l
               JOIN modules m ON m.id = l.module_id WHERE l.id = a.lesson_id),
              (SELECT m.course_id FROM modules m WHERE m.id = a.module_id))));
