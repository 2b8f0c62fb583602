-- Recommendations (src/pages/recommend.c): what the rules read, the
-- stored recommendations with their reasons and actions, and the bandit.

-- Columns: refreshed (Unix s, 0 = never), stale, gen (the count of
-- changes, see migration 026).
-- name: rec_state_get
SELECT COALESCE(floor(extract(epoch FROM refreshed_at))::bigint, 0), stale,
       gen
FROM learner_rec_state WHERE user_id = $1;

-- A refresh that started at gen $2 is done: it counts as a change, and
-- leaves the state stale if an action marked it meanwhile.  Columns: gen.
-- name: rec_state_touch
INSERT INTO learner_rec_state AS s (user_id, refreshed_at, stale, gen)
VALUES ($1, now(), false, 1)
ON CONFLICT (user_id) DO UPDATE SET refreshed_at = now(),
    stale = s.stale AND s.gen <> $2::bigint, gen = s.gen + 1
RETURNING gen;

-- name: rec_state_stale
INSERT INTO learner_rec_state AS s (user_id, stale, gen) VALUES ($1, true, 1)
ON CONFLICT (user_id) DO UPDATE SET stale = true, gen = s.gen + 1;

-- The lessons of the newest path's courses in study order, else of the
-- active enrolments in the order they were made.  Columns: lesson id,
-- done, prerequisite lesson ids ("1,2"), course id, lesson title,
-- last progress (Unix s, 0 = never started), started and not done.
-- name: rec_sequence
WITH p AS (
	SELECT id FROM learning_paths WHERE user_id = $1
	ORDER BY version DESC LIMIT 1),
seq AS (
	SELECT s.course_id, s.position AS pos FROM p
	JOIN learning_path_steps s ON s.path_id = p.id
	WHERE s.course_id IS NOT NULL
	UNION ALL
	SELECT e.course_id, 100000 + row_number() OVER (ORDER BY e.enrolled_at)
	FROM enrollments e
	WHERE e.user_id = $1 AND e.status = 'active'
	  AND NOT EXISTS (SELECT 1 FROM p)),
one AS (SELECT course_id, min(pos) AS pos FROM seq GROUP BY course_id)
SELECT l.id, COALESCE(lp.status = 'completed', false),
       COALESCE((SELECT string_agg(x.prereq_id::text, ',')
                 FROM lesson_prereqs x WHERE x.lesson_id = l.id), ''),
       one.course_id, l.title,
       COALESCE(floor(extract(epoch FROM COALESCE(lp.last_seen_at,
                lp.started_at)))::bigint, 0),
       COALESCE(lp.status = 'started', false)
FROM one
JOIN courses c ON c.id = one.course_id AND c.status = 'published'
JOIN modules m ON m.course_id = c.id
JOIN lessons l ON l.module_id = m.id
LEFT JOIN lesson_progress lp ON lp.user_id = $1 AND lp.lesson_id = l.id
ORDER BY one.pos, m.position, l.position
LIMIT 2000;

-- name: rec_mastery
SELECT skill_id, p_known FROM learner_skill_state
WHERE user_id = $1 AND n > 0;

-- Per submitted attempt and skill: the share right.  Columns: skill,
-- score (0..1), submitted (Unix s).
-- name: rec_skill_scores
SELECT qs.skill_id, avg(r.correct::int)::float8,
       floor(extract(epoch FROM a.submitted_at))::bigint
FROM attempts a
JOIN responses r ON r.attempt_id = a.id
JOIN attempt_items i ON i.attempt_id = r.attempt_id AND i.seq = r.seq
JOIN question_skills qs ON qs.question_id = i.question_id
WHERE a.user_id = $1 AND a.status = 'submitted'
  AND a.submitted_at > now() - interval '180 days'
GROUP BY qs.skill_id, a.id, a.submitted_at
ORDER BY a.submitted_at
LIMIT 2000;

-- Review cards with a memory state: id, stability, last review (Unix s).
-- name: rec_cards
SELECT id, stability, floor(extract(epoch FROM last_review))::bigint
FROM review_cards
WHERE user_id = $1 AND state > 0 AND stability > 0
  AND last_review IS NOT NULL
LIMIT 20000;

-- The last five quiz scores, newest first (percent).
-- name: rec_recent_scores
SELECT score FROM attempts
WHERE user_id = $1 AND status = 'submitted' AND score IS NOT NULL
  AND assessment_id IS NOT NULL
ORDER BY submitted_at DESC LIMIT 5;

-- The learner's current difficulty: the level of their newest active
-- enrolment (1..3), else 1.
-- name: rec_current_level
SELECT CASE c.level WHEN 'beginner' THEN 1 WHEN 'intermediate' THEN 2
       ELSE 3 END
FROM enrollments e JOIN courses c ON c.id = e.course_id
WHERE e.user_id = $1 AND e.status = 'active'
ORDER BY e.enrolled_at DESC LIMIT 1;

-- Last activity (Unix s, 0 = none): the newest day with anything.
-- name: rec_last_activity
SELECT COALESCE(floor(extract(epoch FROM max(last_at)))::bigint, 0)
FROM learner_sessions WHERE user_id = $1;

-- name: rec_skill_names
SELECT id, name FROM skills WHERE id = ANY($1::bigint[]);

-- $1 user, $2 kind, $3 course, $4 lesson, $5 skill, $6 title, $7 reason,
-- $8 inputs (JSON), $9 model version, $10 chosen by, $11 rank.
-- name: rec_upsert
INSERT INTO recommendations AS r (user_id, kind, course_id, lesson_id,
    skill_id, title, reason, inputs, model_version, chosen_by, rank)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10, $11)
ON CONFLICT (user_id, kind, COALESCE(lesson_id, 0), COALESCE(skill_id, 0))
    WHERE status = 'open'
DO UPDATE SET title = excluded.title, reason = excluded.reason,
    inputs = excluded.inputs, model_version = excluded.model_version,
    chosen_by = excluded.chosen_by, rank = excluded.rank
RETURNING id;

-- A struggle recommendation, raised once while one is open.
-- name: rec_struggle_insert
INSERT INTO recommendations (user_id, kind, course_id, lesson_id, skill_id,
    title, reason, inputs, model_version, chosen_by, rank)
VALUES ($1, 'struggling', $2, $3, $4, $5, $6, $7::jsonb, $8, 'rule', 0)
ON CONFLICT (user_id, kind, COALESCE(lesson_id, 0), COALESCE(skill_id, 0))
    WHERE status = 'open'
DO NOTHING
RETURNING id;

-- Open recommendations no longer suggested by the rules expire
-- (struggle ones stay a week, or until acted on).
-- name: rec_expire
UPDATE recommendations SET status = 'expired'
WHERE user_id = $1 AND status = 'open'
  AND ((kind <> 'struggling' AND NOT (id = ANY($2::bigint[])))
       OR (kind = 'struggling' AND created_at < now() - interval '7 days'));

-- Columns: id, kind, course, lesson, skill, title, reason, inputs,
-- model version, chosen by, status, created (text), rank.
-- name: rec_list
SELECT id, kind, COALESCE(course_id, 0), COALESCE(lesson_id, 0),
       COALESCE(skill_id, 0), title, reason, inputs::text, model_version,
       chosen_by, status,
       to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       rank
FROM recommendations
WHERE user_id = $1 AND status = 'open'
ORDER BY (kind = 'struggling') DESC, rank, id
LIMIT 20;

-- name: rec_act
UPDATE recommendations SET status = $3, acted_at = now()
WHERE id = $1 AND user_id = $2 AND status = 'open'
RETURNING kind;

-- Columns: status (for an action on a closed recommendation).
-- name: rec_status
SELECT status FROM recommendations WHERE id = $1 AND user_id = $2;

-- name: rec_action_insert
INSERT INTO recommendation_actions (recommendation_id, user_id, action)
VALUES ($1, $2, $3);

-- name: rec_bandit_get
SELECT kind, alpha, beta FROM recommendation_bandit;

-- name: rec_budget_get
SELECT decisions, deviations FROM recommendation_bandit_budget;

-- name: rec_budget_add
UPDATE recommendation_bandit_budget
SET decisions = decisions + $1, deviations = deviations + $2;

-- Reward $2 in [0, 1] for kind $1.
-- name: rec_bandit_reward
UPDATE recommendation_bandit
SET alpha = alpha + $2::float8, beta = beta + 1 - $2::float8,
    pulls = pulls + 1, updated_at = now()
WHERE kind = $1;

-- Accepted recommendations not yet judged: did the learner then succeed?
-- Columns: id, kind, succeeded, a week has passed.
-- name: rec_pending
SELECT r.id, r.kind,
       CASE r.kind
       WHEN 'next_lesson' THEN EXISTS (
	       SELECT 1 FROM lesson_progress lp
	       WHERE lp.user_id = r.user_id AND lp.lesson_id = r.lesson_id
		 AND lp.status = 'completed')
       WHEN 'review' THEN EXISTS (
	       SELECT 1 FROM review_log g
	       WHERE g.user_id = r.user_id AND g.reviewed_at > r.acted_at)
       WHEN 'revision' THEN EXISTS (
	       SELECT 1 FROM responses x
	       JOIN attempts a ON a.id = x.attempt_id
	       JOIN attempt_items i ON i.attempt_id = x.attempt_id
		    AND i.seq = x.seq
	       JOIN question_skills qs ON qs.question_id = i.question_id
		    AND qs.skill_id = r.skill_id
	       WHERE a.user_id = r.user_id AND x.answered_at > r.acted_at
		 AND x.correct)
       ELSE EXISTS (
	       SELECT 1 FROM attempts a
	       WHERE a.user_id = r.user_id AND a.submitted_at > r.acted_at
		 AND a.passed)
       END,
       r.acted_at < now() - interval '7 days'
FROM recommendations r
WHERE r.user_id = $1 AND r.status = 'accepted' AND r.succeeded IS NULL
LIMIT 50;

-- name: rec_judge
UPDATE recommendations SET succeeded = $2 WHERE id = $1;

-- The learner's last answers, oldest first, for struggle detection.
-- Columns: skill (the question's first), question, quiz (0 = none),
-- attempt, attempt number on the quiz, passed the quiz before, correct,
-- response ms, the item's mean ms (0 = none), answered (Unix s).
-- The learner is read through an InitPlan, (SELECT $1::bigint), which
-- hides its value from the planner: a custom plan can then be no cheaper
-- than the generic one, so PostgreSQL keeps the generic plan after its
-- five trial runs.  With a bare $1 a learner newer than the table's
-- statistics looks cheaper to plan for by value, and every call was
-- planned afresh (measured: 1.6 ms of planning for 0.5 ms of execution,
-- on 4 in 10 answers of the exam-start spike).
-- name: rec_recent_answers
SELECT * FROM (
	SELECT COALESCE((SELECT min(qs.skill_id) FROM question_skills qs
			 WHERE qs.question_id = i.question_id), 0),
	       i.question_id, COALESCE(a.assessment_id, 0), a.id,
	       CASE WHEN a.assessment_id IS NULL THEN 1 ELSE
	       (SELECT count(*) FROM attempts b WHERE b.user_id = a.user_id
		  AND b.assessment_id = a.assessment_id AND b.id <= a.id) END,
	       CASE WHEN a.assessment_id IS NULL THEN false ELSE
	       EXISTS (SELECT 1 FROM attempts b WHERE b.user_id = a.user_id
		  AND b.assessment_id = a.assessment_id AND b.id < a.id
		  AND b.passed) END,
	       r.correct, r.response_ms,
	       COALESCE((SELECT st.sum_ms / nullif(st.attempts, 0)
			 FROM item_stats st
			 WHERE st.version_id = r.version_id), 0),
	       floor(extract(epoch FROM r.answered_at))::bigint AS at,
	       r.answered_at AS t, r.seq
	FROM responses r
	JOIN attempts a ON a.id = r.attempt_id
	JOIN attempt_items i ON i.attempt_id = r.attempt_id AND i.seq = r.seq
	WHERE a.user_id = (SELECT $1::bigint)
	ORDER BY r.answered_at DESC, r.seq DESC
	LIMIT 30) x
ORDER BY t, seq;

-- name: rec_notify
INSERT INTO notifications (user_id, kind, body, url)
VALUES ($1, 'recommendation', $2, $3);

-- Columns: kind, course, lesson, skill, inputs.
-- name: rec_get
SELECT kind, COALESCE(course_id, 0), COALESCE(lesson_id, 0),
       COALESCE(skill_id, 0), inputs::text
FROM recommendations WHERE id = $1 AND user_id = $2;
