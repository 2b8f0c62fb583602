-- Instructor insights per course (src/pages/insights.c).  $2 is the
-- signed-in user, $3 true for admins: another instructor's course is not
-- found.

-- name: insights_course
SELECT id, title FROM courses
WHERE id = $1 AND (author_id = $2 OR $3::boolean);

-- Enrolled, started, half done, completed (learners who left excluded
-- from all but the first).
-- name: insights_funnel
WITH les AS (
	SELECT l.id FROM modules m JOIN lessons l ON l.module_id = m.id
	WHERE m.course_id = $1),
per AS (
	SELECT e.user_id, e.status,
	       count(lp.lesson_id) FILTER (WHERE lp.status = 'completed') AS done,
	       count(lp.lesson_id) AS touched
	FROM enrollments e
	LEFT JOIN lesson_progress lp ON lp.user_id = e.user_id
	     AND lp.lesson_id IN (SELECT id FROM les)
	WHERE e.course_id = $1
	GROUP BY e.user_id, e.status)
SELECT count(*), count(*) FILTER (WHERE touched > 0),
       count(*) FILTER (WHERE (SELECT count(*) FROM les) > 0
			AND 2 * done >= (SELECT count(*) FROM les)),
       count(*) FILTER (WHERE status = 'completed'),
       (SELECT count(*) FROM les)
FROM per;

-- Active learners with the facts that can put them at risk.  Columns:
-- user id, name, days since enrolling, lessons done, lessons in all,
-- days since the last activity in the course, quiz average in the course
-- (percent, NULL = none), failed attempts, open struggle signals.
-- name: insights_learners
WITH les AS (
	SELECT l.id FROM modules m JOIN lessons l ON l.module_id = m.id
	WHERE m.course_id = $1),
qz AS (
	SELECT q.id FROM assessments q
	LEFT JOIN lessons l ON l.id = q.lesson_id
	JOIN modules m ON m.id = COALESCE(q.module_id, l.module_id)
	WHERE m.course_id = $1)
SELECT u.id, u.full_name,
       extract(day FROM now() - e.enrolled_at)::int,
       (SELECT count(*) FROM lesson_progress lp
	WHERE lp.user_id = e.user_id AND lp.status = 'completed'
	  AND lp.lesson_id IN (SELECT id FROM les)),
       (SELECT count(*) FROM les),
       extract(day FROM now() - greatest(e.enrolled_at,
	   (SELECT max(COALESCE(lp.last_seen_at, lp.started_at))
	    FROM lesson_progress lp WHERE lp.user_id = e.user_id
	      AND lp.lesson_id IN (SELECT id FROM les)),
	   (SELECT max(a.submitted_at) FROM attempts a
	    WHERE a.user_id = e.user_id
	      AND a.assessment_id IN (SELECT id FROM qz))))::int,
       (SELECT avg(a.score) FROM attempts a
	WHERE a.user_id = e.user_id AND a.status = 'submitted'
	  AND a.assessment_id IN (SELECT id FROM qz)),
       (SELECT count(*) FROM attempts a
	WHERE a.user_id = e.user_id AND a.status = 'submitted'
	  AND NOT a.passed AND a.assessment_id IN (SELECT id FROM qz)),
       (SELECT count(*) FROM recommendations rc
	WHERE rc.user_id = e.user_id AND rc.kind = 'struggling'
	  AND rc.status = 'open')
FROM enrollments e JOIN users u ON u.id = e.user_id
WHERE e.course_id = $1 AND e.status = 'active'
ORDER BY e.enrolled_at
LIMIT 500;

-- The course's skills by the cohort's mastery (enrolled learners with a
-- level in it).  Columns: skill id, name, mean mastery, learners, mean
-- level, target level.
-- name: insights_skills
SELECT s.id, s.name, avg(ls.p_known), count(ls.user_id), avg(ls.level),
       cs.target_level
FROM course_skills cs
JOIN skills s ON s.id = cs.skill_id
JOIN enrollments e ON e.course_id = cs.course_id AND e.status <> 'left'
JOIN learner_skill_state ls ON ls.user_id = e.user_id
     AND ls.skill_id = cs.skill_id
WHERE cs.course_id = $1
GROUP BY s.id, s.name, cs.target_level
ORDER BY avg(ls.p_known), s.id;
