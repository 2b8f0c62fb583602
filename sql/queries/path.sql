-- Learning paths (src/pages/path.c): what the planner reads, and the
-- versioned snapshots it writes.  Only published courses are planned.

-- The catalogue's version (catalog_version, migrations 032 and 035): a
-- process reloads the path_courses ... path_skill_names below only when
-- it moved.
-- name: path_catalog_version
SELECT version FROM catalog_version;

-- name: path_courses
SELECT id, title, estimated_hours::float8,
       CASE level WHEN 'beginner' THEN 1 WHEN 'intermediate' THEN 2
            ELSE 3 END
FROM courses WHERE status = 'published'
ORDER BY id;

-- name: path_course_skills
SELECT cs.course_id, cs.skill_id, cs.target_level
FROM course_skills cs
JOIN courses c ON c.id = cs.course_id AND c.status = 'published'
ORDER BY cs.course_id, cs.skill_id;

-- name: path_course_prereqs
SELECT p.course_id, p.prereq_id
FROM course_prereq_courses p
JOIN courses c ON c.id = p.course_id AND c.status = 'published'
ORDER BY p.course_id, p.prereq_id;

-- name: path_course_needs
SELECT p.course_id, p.skill_id, p.min_level
FROM course_prereq_skills p
JOIN courses c ON c.id = p.course_id AND c.status = 'published'
ORDER BY p.course_id, p.skill_id;

-- name: path_levels
SELECT skill_id, level FROM learner_skill_state WHERE user_id = $1;

-- The goal, locked for the generating transaction (so two generations
-- get consecutive versions).  Columns: hours a week, deadline ('' = none).
-- name: path_goal_lock
SELECT hours_per_week, COALESCE(deadline::text, '')
FROM learner_goals WHERE user_id = $1 FOR UPDATE;

-- name: path_goal_targets
SELECT g.skill_id, g.target_level, s.name
FROM learner_goal_skills g JOIN skills s ON s.id = g.skill_id
WHERE g.user_id = $1 ORDER BY g.target_level DESC, g.skill_id;

-- Columns: course id, status (active | completed | left).
-- name: path_enrolments
SELECT course_id, status FROM enrollments WHERE user_id = $1;

-- name: path_skill_names
SELECT id, name FROM skills ORDER BY id;

-- $1 user, $2 reason, $3 goal (JSON), $4 hours, $5 weeks, $6 gaps (JSON),
-- $7 notes (JSON), $8 model version.  Columns: id, version.
-- name: path_insert
INSERT INTO learning_paths (user_id, version, reason, goal, total_hours,
    weeks, gaps, notes, model_version)
SELECT $1, COALESCE(max(version), 0) + 1, $2, $3::jsonb, $4, $5,
       $6::jsonb, $7::jsonb, $8
FROM learning_paths WHERE user_id = $1
RETURNING id, version;

-- Every step of path $1 in one statement: $2 a JSON array of objects
-- with position, kind, course_id, skill_id (null = none), reason,
-- reason_code and hours.
-- name: path_steps_insert
INSERT INTO learning_path_steps (path_id, position, kind, course_id,
    skill_id, reason, reason_code, hours)
SELECT $1, x.position, x.kind, x.course_id, x.skill_id, x.reason,
       x.reason_code, x.hours
FROM jsonb_to_recordset($2::jsonb) AS x(position int, kind text,
    course_id bigint, skill_id bigint, reason text, reason_code text,
    hours float8);

-- The courses of user $1's newest path (the change notes of the next):
-- a row per step (0 = not a course), one row of 0 for a path without
-- steps, none without a path.
-- name: path_prev_courses
SELECT COALESCE(s.course_id, 0)
FROM (SELECT id FROM learning_paths WHERE user_id = $1
      ORDER BY version DESC LIMIT 1) p
LEFT JOIN learning_path_steps s ON s.path_id = p.id
ORDER BY s.position;

-- A version of user $1's path ($2 = 0: the newest).  Columns: id,
-- version, reason, created (text), total hours, weeks, gaps, notes,
-- model version, goal, created (Unix s).
-- name: path_get
SELECT id, version, reason, to_char(created_at AT TIME ZONE 'UTC',
       'YYYY-MM-DD HH24:MI'), total_hours, weeks, gaps::text, notes::text,
       model_version, goal::text, extract(epoch FROM created_at)::bigint
FROM learning_paths
WHERE user_id = $1 AND ($2::int = 0 OR version = $2::int)
ORDER BY version DESC LIMIT 1;

-- Steps of path $1 with user $2's state.  Columns: position, kind, course
-- id, title, reason, reason code, hours, enrolment ('' | active |
-- completed | left), lessons, lessons completed, skill id.
-- name: path_steps
SELECT s.position, s.kind, COALESCE(s.course_id, 0), COALESCE(c.title, ''),
       s.reason, s.reason_code, s.hours, COALESCE(e.status, ''),
       COALESCE(pr.nlessons, 0), COALESCE(pr.ndone, 0),
       COALESCE(s.skill_id, 0)
FROM learning_path_steps s
LEFT JOIN courses c ON c.id = s.course_id
LEFT JOIN enrollments e ON e.course_id = s.course_id AND e.user_id = $2
LEFT JOIN LATERAL (
	SELECT count(l.id) AS nlessons, count(lp.lesson_id) AS ndone
	FROM modules m JOIN lessons l ON l.module_id = m.id
	LEFT JOIN lesson_progress lp ON lp.lesson_id = l.id
	     AND lp.user_id = $2 AND lp.status = 'completed'
	WHERE m.course_id = s.course_id) pr ON true
WHERE s.path_id = $1
ORDER BY s.position;

-- name: path_versions
SELECT version, reason, to_char(created_at AT TIME ZONE 'UTC',
       'YYYY-MM-DD HH24:MI'), total_hours,
       (SELECT count(*) FROM learning_path_steps st WHERE st.path_id = p.id)
FROM learning_paths p WHERE user_id = $1
ORDER BY version DESC LIMIT 50;
