-- The micro-learning feed (src/pages/feed.c): its candidate lessons with
-- what the ranking (src/learn/feed.c) needs, each card's true/false
-- questions, the answers given in place, and achievements.  Every
-- statement names the learner.
--
-- A feed lesson is a lesson of a published course the learner is actively
-- enrolled in that takes at most 15 minutes or is a video.  A feed
-- question is a true/false question of the course author's bank, not
-- archived, sharing a skill with a feed lesson.

-- Candidates in course order: lesson id, title, kind, minutes, course id,
-- course title, course level, completed, prerequisites met, due review
-- cards of its skills, gap (target - level on the weakest skill with a
-- target, 0 when mastered (p_known >= $2); NULL: no target), completions
-- by all learners.
-- name: feed_candidates
WITH ls AS (
	SELECT l.id, l.title, l.kind, l.estimated_minutes, c.id AS course_id,
	       c.title AS course_title, c.level, m.position AS mpos,
	       l.position AS lpos
	FROM enrollments e
	JOIN courses c ON c.id = e.course_id AND c.status = 'published'
	JOIN modules m ON m.course_id = c.id
	JOIN lessons l ON l.module_id = m.id
	WHERE e.user_id = $1 AND e.status = 'active'
	  AND (l.estimated_minutes <= 15 OR l.kind = 'video'))
SELECT ls.id, ls.title, ls.kind, ls.estimated_minutes, ls.course_id,
       ls.course_title, ls.level,
       EXISTS (SELECT 1 FROM lesson_progress p
               WHERE p.user_id = $1 AND p.lesson_id = ls.id
                 AND p.status = 'completed'),
       NOT EXISTS (SELECT 1 FROM lesson_prereqs lp
                   WHERE lp.lesson_id = ls.id
                     AND NOT EXISTS (SELECT 1 FROM lesson_progress p
                                     WHERE p.user_id = $1
                                       AND p.lesson_id = lp.prereq_id
                                       AND p.status = 'completed')),
       (SELECT count(DISTINCT rc.id)
        FROM lesson_skills lk
        JOIN question_skills qs ON qs.skill_id = lk.skill_id
        JOIN review_cards rc ON rc.question_id = qs.question_id
             AND rc.user_id = $1
        WHERE lk.lesson_id = ls.id AND rc.due <= now()),
       (SELECT max(CASE WHEN st.p_known >= $2 THEN 0
                   ELSE COALESCE(g.target_level, cs.target_level)
                        - COALESCE(round(st.level)::int, 0) END)
        FROM lesson_skills lk
        LEFT JOIN learner_goal_skills g ON g.user_id = $1
             AND g.skill_id = lk.skill_id
        LEFT JOIN course_skills cs ON cs.course_id = ls.course_id
             AND cs.skill_id = lk.skill_id
        LEFT JOIN learner_skill_state st ON st.user_id = $1
             AND st.skill_id = lk.skill_id
        WHERE lk.lesson_id = ls.id
          AND COALESCE(g.target_level, cs.target_level) IS NOT NULL),
       (SELECT count(*) FROM lesson_progress p
        WHERE p.lesson_id = ls.id AND p.status = 'completed')
FROM ls
ORDER BY ls.course_id, ls.mpos, ls.lpos
LIMIT 300;

-- The learner's mean skill level (1..10; 0: none yet).
-- name: feed_learner_level
SELECT COALESCE(avg(level), 0) FROM learner_skill_state WHERE user_id = $1;

-- Up to $3 questions for the card of lesson $2: due review cards first,
-- then questions never answered; questions whose card is not due are left
-- out (answered recently).  Question id, version id, title, stem,
-- difficulty, the option ids of True and False.
-- name: feed_questions
SELECT q.id, v.id, v.title, v.stem, v.difficulty,
       (SELECT o.id FROM question_options o
        WHERE o.version_id = v.id AND o.body = 'True' LIMIT 1),
       (SELECT o.id FROM question_options o
        WHERE o.version_id = v.id AND o.body = 'False' LIMIT 1)
FROM lessons l
JOIN modules m ON m.id = l.module_id
JOIN courses c ON c.id = m.course_id
JOIN questions q ON q.owner_id = c.author_id AND q.kind = 'truefalse'
     AND q.archived_at IS NULL
JOIN question_versions v ON v.question_id = q.id
     AND v.version = q.current_version
LEFT JOIN review_cards rc ON rc.user_id = $1 AND rc.question_id = q.id
WHERE l.id = $2
  AND EXISTS (SELECT 1 FROM question_skills qs
              JOIN lesson_skills lk ON lk.skill_id = qs.skill_id
              WHERE qs.question_id = q.id AND lk.lesson_id = l.id)
  AND (rc.id IS NULL OR rc.due <= now())
  -- never a question of a quiz: the feed shows the answer at once
  AND NOT EXISTS (SELECT 1 FROM assessment_questions aq
                  WHERE aq.question_id = q.id)
ORDER BY rc.due NULLS LAST, q.id
LIMIT $3;

-- Question $2 if it is a feed question for learner $1: version id, title,
-- stem, explanation, difficulty, IRT b, the item's mean response ms
-- (0 = unknown).
-- name: feed_question_get
SELECT v.id, v.title, v.stem, v.explanation, v.difficulty, v.irt_b,
       COALESCE((SELECT st.sum_ms / nullif(st.attempts, 0) FROM item_stats st
                 WHERE st.version_id = v.id), 0)
FROM questions q
JOIN question_versions v ON v.question_id = q.id
     AND v.version = q.current_version
WHERE q.id = $2 AND q.kind = 'truefalse' AND q.archived_at IS NULL
  AND NOT EXISTS (SELECT 1 FROM assessment_questions aq
                  WHERE aq.question_id = q.id)
  AND EXISTS (
	SELECT 1
	FROM enrollments e
	JOIN courses c ON c.id = e.course_id AND c.status = 'published'
	JOIN modules m ON m.course_id = c.id
	JOIN lessons l ON l.module_id = m.id
	JOIN lesson_skills lk ON lk.lesson_id = l.id
	JOIN question_skills qs ON qs.skill_id = lk.skill_id
	WHERE e.user_id = $1 AND e.status = 'active'
	  AND c.author_id = q.owner_id AND qs.question_id = q.id
	  AND (l.estimated_minutes <= 15 OR l.kind = 'video'));

-- Whether learner $1's review card for question $2 is due (no row: no
-- card yet, so it counts).
-- name: feed_card_due
SELECT due <= now() FROM review_cards WHERE user_id = $1 AND question_id = $2;

-- One answer, once per (learner, question, shown): no row when it was
-- given before.  $4 version, $5 option chosen, $6 correct, $7 response ms.
-- name: feed_answer_insert
INSERT INTO feed_answers (user_id, question_id, shown_ms, version_id,
    option_id, correct, response_ms)
VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (user_id, question_id, shown_ms) DO NOTHING
RETURNING response_ms;

-- The answer given to the card shown at $3: option, correct, response ms.
-- name: feed_answer_get
SELECT COALESCE(option_id, 0), correct, response_ms
FROM feed_answers
WHERE user_id = $1 AND question_id = $2 AND shown_ms = $3;

-- Answers to question $2 given after the page of $3 (ms) was shown, from
-- another page: that page is stale.
-- name: feed_answer_since
SELECT count(*) FROM feed_answers
WHERE user_id = $1 AND question_id = $2 AND shown_ms <> $3
  AND answered_at >= to_timestamp($3 / 1000.0);

-- The learner's achievements, oldest first: code, title, earned (Unix s).
-- name: feed_achievements
SELECT code, title, extract(epoch FROM earned_at)::bigint
FROM achievements WHERE user_id = $1
ORDER BY earned_at, code;

-- Awards achievement $2 titled $3, earned at $4 (Unix s; 0 = now), once:
-- a row only when it is new.
-- name: feed_achievement_award
INSERT INTO achievements (user_id, code, title, earned_at)
VALUES ($1, $2, $3, CASE WHEN $4::bigint = 0 THEN now()
                         ELSE to_timestamp($4::bigint) END)
ON CONFLICT (user_id, code) DO NOTHING
RETURNING code;

-- Skills at or above mastery ($2, p_known) not yet awarded: id, name,
-- p_known, in skill order.
-- name: feed_mastery_new
SELECT s.id, s.name, st.p_known
FROM learner_skill_state st
JOIN skills s ON s.id = st.skill_id
WHERE st.user_id = $1 AND st.p_known >= $2
  AND NOT EXISTS (SELECT 1 FROM achievements a
                  WHERE a.user_id = $1 AND a.code = 'mastery:' || s.id)
ORDER BY s.id
LIMIT 20;
