-- The weekly path adjustment (src/jobs/path_adjust.c).

-- Learners whose newest path is at least $1 days old (or, with $2 > 0,
-- just that user), a batch after user id $3.  Columns: user id.
-- name: path_adjust_due
SELECT p.user_id
FROM learning_paths p
WHERE p.version = (SELECT max(version) FROM learning_paths q
		   WHERE q.user_id = p.user_id)
  AND ($2::bigint = 0 OR p.user_id = $2::bigint)
  AND ($2::bigint <> 0 OR p.created_at < now() - make_interval(days => $1::int))
  AND p.user_id > $3
ORDER BY p.user_id
LIMIT 200;

-- The week of user $1: quizzes, their mean (0..1), lessons completed in
-- the last 7 days, hours a week, mean minutes of the path's lessons, the
-- current difficulty (1..3).
-- name: path_adjust_week
SELECT (SELECT count(*) FROM attempts a WHERE a.user_id = $1
	  AND a.status = 'submitted' AND a.assessment_id IS NOT NULL
	  AND a.submitted_at > now() - interval '7 days'),
       COALESCE((SELECT avg(a.score) / 100 FROM attempts a
	  WHERE a.user_id = $1 AND a.status = 'submitted'
	    AND a.assessment_id IS NOT NULL
	    AND a.submitted_at > now() - interval '7 days'), 0),
       COALESCE((SELECT sum(lessons_completed) FROM learner_daily d
	  WHERE d.user_id = $1
	    AND d.day > (now() AT TIME ZONE 'UTC')::date - 7), 0),
       COALESCE((SELECT hours_per_week FROM learner_goals g
	  WHERE g.user_id = $1), 5),
       COALESCE((SELECT avg(l.estimated_minutes)
	  FROM learning_paths p
	  JOIN learning_path_steps s ON s.path_id = p.id
	  JOIN modules m ON m.course_id = s.course_id
	  JOIN lessons l ON l.module_id = m.id
	  WHERE p.user_id = $1 AND p.version = (SELECT max(version)
	    FROM learning_paths q WHERE q.user_id = $1)), 10),
       COALESCE((SELECT CASE c.level WHEN 'beginner' THEN 1
		 WHEN 'intermediate' THEN 2 ELSE 3 END
	  FROM enrollments e JOIN courses c ON c.id = e.course_id
	  WHERE e.user_id = $1 AND e.status = 'active'
	  ORDER BY e.enrolled_at DESC LIMIT 1), 1);

-- Per-skill means of the week's quiz answers: skill, score (0..1), name.
-- name: path_adjust_skills
SELECT qs.skill_id, avg(r.correct::int)::float8, s.name
FROM attempts a
JOIN responses r ON r.attempt_id = a.id
JOIN attempt_items i ON i.attempt_id = r.attempt_id AND i.seq = r.seq
JOIN question_skills qs ON qs.question_id = i.question_id
JOIN skills s ON s.id = qs.skill_id
WHERE a.user_id = $1 AND a.status = 'submitted'
  AND a.submitted_at > now() - interval '7 days'
GROUP BY qs.skill_id, s.name
ORDER BY 2, 1
LIMIT 20;

-- An advanced published course teaching one of user $1's goal skills,
-- not completed: id, title, hours.
-- name: path_adjust_advanced
SELECT c.id, c.title, c.estimated_hours::float8
FROM learner_goal_skills g
JOIN course_skills cs ON cs.skill_id = g.skill_id
JOIN courses c ON c.id = cs.course_id AND c.status = 'published'
     AND c.level = 'advanced'
WHERE g.user_id = $1
  AND NOT EXISTS (SELECT 1 FROM enrollments e WHERE e.user_id = $1
		  AND e.course_id = c.id AND e.status = 'completed')
ORDER BY cs.target_level DESC, c.id
LIMIT 1;

-- name: path_adjust_hours
UPDATE learner_goals SET hours_per_week = $2, updated_at = updated_at
WHERE user_id = $1;
