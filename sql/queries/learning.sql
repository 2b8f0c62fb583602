-- A learner's side of a course (src/pages/course.c, lesson.c): the course
-- page, enrolment, lessons, progress and time.  Visibility: a course is
-- shown when published, or to its author, or to an admin ($3 of the _get
-- statements, a boolean); everything else is "not found".

-- The course as user $2 sees it ($3: admin): course_view (migration 032)
-- says which columns, and returns no row when the course is hidden.
-- name: learning_course_get
SELECT * FROM course_view($1, $2, $3::boolean);

-- The course page is two statements (src/pages/course_shared.c): what user
-- $2 alone sees, run on every request, and what every visitor sees alike,
-- run when the thread's kept copy is not current.  Both answer rows of one
-- shape told apart by the first column, the second ordering rows within a
-- part; every value is text.
--
-- The visitor's part, for the kept copy's lessons ($4: their ids),
-- prerequisite courses ($5: ids) and prerequisite skills ($6: for each,
-- its id and its name, as text: the keys learner_profiles.skill_levels
-- may use):
--   'h' (one row; none when user $2 may not see course $1, $3: admin):
--       the course's content version (course_versions, migration 037),
--       the catalogue's version (catalog_version, migration 032), the
--       user's enrolment status ('' = none), last lesson visited (0 =
--       none);
--   'l' the user's progress in lessons $4, by lesson id: lesson id, status
--       ('started' | 'completed'), seconds spent;
--   'r' the user's enrolments in courses $5: course id, status;
--   'k' for each key of $6, in order: the value under that key in the
--       user's skill_levels when it is a number (else NULL).
-- The 'k', 'l' and 'r' rows are the user's own and answer only what the
-- kept copy asked; they are used only when the versions are the copy's,
-- and only when there is an 'h' row (which sorts first).
-- name: learning_course_mine
SELECT 'h'::"char", 0::bigint, COALESCE(v.version, 0)::text,
       cv.version::text, COALESCE(e.status, ''),
       COALESCE(e.last_lesson_id, 0)::text
FROM courses c
CROSS JOIN catalog_version cv
LEFT JOIN course_versions v ON v.course_id = c.id
LEFT JOIN enrollments e ON e.course_id = c.id AND e.user_id = $2
WHERE c.id = $1 AND (c.status = 'published' OR c.author_id = $2 OR $3)
UNION ALL
SELECT 'l'::"char", lp.lesson_id, lp.lesson_id::text, lp.status,
       lp.time_spent_seconds::text, NULL
FROM lesson_progress lp
WHERE lp.user_id = $2 AND lp.lesson_id = ANY($4::bigint[])
UNION ALL
SELECT 'r'::"char", e.course_id, e.course_id::text, e.status, NULL, NULL
FROM enrollments e
WHERE e.user_id = $2 AND e.course_id = ANY($5::bigint[])
UNION ALL
SELECT 'k'::"char", k.ord,
       CASE WHEN jsonb_typeof(pr.skill_levels -> k.key) = 'number'
       THEN pr.skill_levels ->> k.key END, NULL, NULL, NULL
FROM learner_profiles pr
CROSS JOIN unnest($6::text[]) WITH ORDINALITY AS k(key, ord)
WHERE pr.user_id = $2
ORDER BY 1, 2;

-- What every visitor of course $1 sees alike, whoever asks (the caller
-- has checked with learning_course_mine that they may see it, and keeps
-- it only at these versions):
--   'h' (one row): content version, catalogue version, title, summary,
--       level, language, estimated hours, status, instructor's name;
--   'm' syllabus, in order: module id, module title, lesson id (NULL for
--       an empty module), lesson title, kind, minutes;
--   'p' prerequisites, by kind and name: kind ('course' | 'skill'), id,
--       name, required level (0 for a course), suggested course id (0 =
--       none; for a course: itself when published), suggested course
--       title.  For a skill, the published course teaching it at the
--       lowest sufficient level is suggested.  (Names and suggestions
--       depend on other courses: the catalogue's version covers them.)
--   's' skills taught, by name: id, name, target level;
--   'z' the quizzes attached to a module (not to one of its lessons: those
--       are linked from the lesson): module id, quiz id, title (200 at
--       most).
-- A course prerequisite is met when the user has completed it; a skill
-- prerequisite when learner_profiles.skill_levels (an object keyed by
-- skill id, or by skill name, with numeric levels 1..10) has at least the
-- level (learning_course_mine's 'r' and 'k' rows).
-- name: learning_course_content
WITH h AS MATERIALIZED (
	SELECT c.id, COALESCE(v.version, 0) AS version, c.title, c.summary,
	       c.level, c.language, c.estimated_hours::text AS hours,
	       c.status, u.full_name
	FROM courses c
	JOIN users u ON u.id = c.author_id
	LEFT JOIN course_versions v ON v.course_id = c.id
	WHERE c.id = $1)
SELECT 'h'::"char", 0::bigint, h.version::text,
       (SELECT version FROM catalog_version)::text, h.title, h.summary,
       h.level, h.language, h.hours, h.status, h.full_name
FROM h
UNION ALL
SELECT 'm'::"char", row_number() OVER (ORDER BY m.position, l.position),
       m.id::text, m.title, l.id::text, l.title, l.kind,
       l.estimated_minutes::text, NULL, NULL, NULL
FROM h
JOIN modules m ON m.course_id = h.id
LEFT JOIN lessons l ON l.module_id = m.id
UNION ALL
SELECT 'p'::"char", row_number() OVER (ORDER BY x.kind, x.name), x.kind,
       x.id::text, x.name, x.level::text, x.take::text, x.take_title,
       NULL, NULL, NULL
FROM (
	SELECT 'course' AS kind, p.id, p.title AS name, 0 AS level,
	       CASE WHEN p.status = 'published' THEN p.id ELSE 0 END AS take,
	       p.title AS take_title
	FROM h
	JOIN course_prereq_courses cp ON cp.course_id = h.id
	JOIN courses p ON p.id = cp.prereq_id
	UNION ALL
	SELECT 'skill', s.id, s.name, ps.min_level, COALESCE(sg.id, 0),
	       COALESCE(sg.title, '')
	FROM h
	JOIN course_prereq_skills ps ON ps.course_id = h.id
	JOIN skills s ON s.id = ps.skill_id
	LEFT JOIN LATERAL (
		SELECT c.id, c.title FROM course_skills cs
		JOIN courses c ON c.id = cs.course_id
		WHERE cs.skill_id = s.id AND cs.target_level >= ps.min_level
		  AND c.status = 'published' AND c.id <> h.id
		ORDER BY cs.target_level, cs.course_id LIMIT 1) sg ON true) x
UNION ALL
SELECT 's'::"char", row_number() OVER (ORDER BY lower(s.name)), s.id::text,
       s.name, cs.target_level::text, NULL, NULL, NULL, NULL, NULL, NULL
FROM h
JOIN course_skills cs ON cs.course_id = h.id
JOIN skills s ON s.id = cs.skill_id
UNION ALL
SELECT 'z'::"char", z.ord, z.module_id::text, z.id::text, z.title, NULL,
       NULL, NULL, NULL, NULL, NULL
FROM (SELECT a.module_id, a.id, a.title,
	     row_number() OVER (ORDER BY a.module_id, a.id) AS ord
      FROM h
      JOIN modules m ON m.course_id = h.id
      JOIN assessments a ON a.module_id = m.id AND a.lesson_id IS NULL
      ORDER BY a.module_id, a.id LIMIT 200) z
ORDER BY 1, 2;

-- Enrols user $1 in published course $2, or re-enrols after leaving.  One
-- row when something changed (then the caller records the event and
-- queues the confirmation), none when already enrolled (idempotent) or the
-- course is not published.
-- name: learning_enroll
INSERT INTO enrollments AS e (user_id, course_id)
SELECT $1, c.id FROM courses c WHERE c.id = $2 AND c.status = 'published'
ON CONFLICT (user_id, course_id) DO UPDATE
SET status = 'active', enrolled_at = now(), completed_at = NULL
WHERE e.status = 'left'
RETURNING e.course_id;

-- name: learning_leave
UPDATE enrollments SET status = 'left'
WHERE user_id = $1 AND course_id = $2 AND status <> 'left'
RETURNING course_id;

-- name: learning_event_insert
-- With its id in learner_event_ids (migration 034), as every event.
WITH e AS (
	INSERT INTO learner_events (user_id, kind, course_id, lesson_id,
		payload)
	VALUES ($1, $2, $3, $4, COALESCE($5::jsonb, '{}'))
	RETURNING event_id, occurred_at
)
INSERT INTO learner_event_ids (event_id, occurred_at)
SELECT event_id, occurred_at FROM e;

-- Queues a plain-text mail to user $1; the outbox sender (src/out/mail.c)
-- knows the templates course_enrolled and course_completed and applies
-- the user's mail preferences when it sends.
-- name: learning_outbox_insert
INSERT INTO email_outbox (to_addr, template, subject, body_text, user_id)
SELECT u.email, $2, $3, $4, u.id FROM users u WHERE u.id = $1;

-- A lesson for user $2 ($3: admin).  Columns: lesson id, title, kind,
-- Markdown body, minutes, module title, course id, course title, course
-- status, enrolment status ('' = none), progress status ('' = none),
-- seconds spent, previous lesson id (0 = none) and title, next lesson id
-- and title, position in the course (1-based), lessons in the course.
-- name: learning_lesson_get
SELECT l.id, l.title, l.kind, l.body_md, l.estimated_minutes, m.title,
       c.id, c.title, c.status, COALESCE(e.status, ''),
       COALESCE(lp.status, ''), COALESCE(lp.time_spent_seconds, 0),
       COALESCE(pv.id, 0), COALESCE(pv.title, ''),
       COALESCE(nx.id, 0), COALESCE(nx.title, ''),
       (SELECT count(*) FROM modules m2 JOIN lessons l2
	    ON l2.module_id = m2.id
	WHERE m2.course_id = c.id
	  AND (m2.position, l2.position) <= (m.position, l.position)),
       (SELECT count(*) FROM modules m2 JOIN lessons l2
	    ON l2.module_id = m2.id WHERE m2.course_id = c.id)
FROM lessons l
JOIN modules m ON m.id = l.module_id
JOIN courses c ON c.id = m.course_id
LEFT JOIN enrollments e ON e.course_id = c.id AND e.user_id = $2
LEFT JOIN lesson_progress lp ON lp.lesson_id = l.id AND lp.user_id = $2
LEFT JOIN LATERAL (
	SELECT l2.id, l2.title FROM modules m2
	JOIN lessons l2 ON l2.module_id = m2.id
	WHERE m2.course_id = c.id
	  AND (m2.position, l2.position) < (m.position, l.position)
	ORDER BY m2.position DESC, l2.position DESC LIMIT 1) pv ON true
LEFT JOIN LATERAL (
	SELECT l2.id, l2.title FROM modules m2
	JOIN lessons l2 ON l2.module_id = m2.id
	WHERE m2.course_id = c.id
	  AND (m2.position, l2.position) > (m.position, l.position)
	ORDER BY m2.position, l2.position LIMIT 1) nx ON true
WHERE l.id = $1
  AND (c.status = 'published' OR c.author_id = $2 OR $3::boolean);

-- A page view of lesson $3 of course $2 by enrolled user $1: the time
-- since the learner's last sign of life on the lesson they were on
-- (enrollments.last_lesson_id), capped at 600 s, is credited to that
-- lesson; this lesson is started (or touched) and becomes the one to
-- resume.  Without JavaScript, page timestamps are the whole measure;
-- with it, the heartbeat moves last_seen_at along, so nothing is counted
-- twice.  No row when the user is not enrolled (or has left).  Columns:
-- status, seconds spent on this lesson.
-- name: learning_lesson_visit
WITH prev AS (
	SELECT last_lesson_id AS lid FROM enrollments
	WHERE user_id = $1 AND course_id = $2 AND status <> 'left'),
credit AS (
	UPDATE lesson_progress lp
	SET time_spent_seconds = lp.time_spent_seconds + LEAST(600,
		GREATEST(0, extract(epoch FROM now() - lp.last_seen_at)))::int,
	    last_seen_at = now()
	FROM prev
	WHERE lp.user_id = $1 AND lp.lesson_id = prev.lid AND prev.lid <> $3
	RETURNING 1),
mark AS (
	UPDATE enrollments SET last_lesson_id = $3
	WHERE user_id = $1 AND course_id = $2 AND status <> 'left'
	RETURNING 1)
INSERT INTO lesson_progress AS lp (user_id, lesson_id)
SELECT $1, $3 FROM mark
ON CONFLICT (user_id, lesson_id) DO UPDATE
SET time_spent_seconds = lp.time_spent_seconds +
	CASE WHEN (SELECT lid FROM prev) = $3 THEN LEAST(600, GREATEST(0,
	    extract(epoch FROM now() - lp.last_seen_at)))::int ELSE 0 END,
    last_seen_at = now()
RETURNING lp.status, lp.time_spent_seconds;

-- Progress reported for lesson $3 of course $2 by enrolled user $1: $4
-- seconds added (the caller bounds them), completed when $5; the lesson
-- becomes the one to resume.  No row when not enrolled.  Columns: status,
-- seconds spent, 1 if this call completed it (it was not before).
-- name: learning_progress_record
WITH mark AS (
	UPDATE enrollments SET last_lesson_id = $3
	WHERE user_id = $1 AND course_id = $2 AND status <> 'left'
	RETURNING 1),
before AS (
	SELECT status FROM lesson_progress WHERE user_id = $1 AND lesson_id = $3)
INSERT INTO lesson_progress AS lp (user_id, lesson_id, status, completed_at,
    time_spent_seconds)
SELECT $1, $3, CASE WHEN $5::boolean THEN 'completed' ELSE 'started' END,
       CASE WHEN $5::boolean THEN now() END, $4::int
FROM mark
ON CONFLICT (user_id, lesson_id) DO UPDATE
SET status = CASE WHEN $5::boolean THEN 'completed' ELSE lp.status END,
    completed_at = CASE WHEN $5::boolean
	THEN COALESCE(lp.completed_at, now()) ELSE lp.completed_at END,
    time_spent_seconds = lp.time_spent_seconds + $4::int,
    last_seen_at = now()
RETURNING lp.status, lp.time_spent_seconds,
	  (lp.status = 'completed' AND COALESCE((SELECT status FROM before),
	   '') <> 'completed');

-- Completes user $1's active enrolment in course $2 once every lesson of
-- it is completed.  One row when this call completed it.
-- name: learning_course_complete
UPDATE enrollments e SET status = 'completed', completed_at = now()
WHERE e.user_id = $1 AND e.course_id = $2 AND e.status = 'active'
  AND EXISTS (SELECT 1 FROM modules m JOIN lessons l ON l.module_id = m.id
	      WHERE m.course_id = $2)
  AND NOT EXISTS (
	SELECT 1 FROM modules m JOIN lessons l ON l.module_id = m.id
	LEFT JOIN lesson_progress lp ON lp.lesson_id = l.id
	     AND lp.user_id = $1 AND lp.status = 'completed'
	WHERE m.course_id = $2 AND lp.lesson_id IS NULL)
RETURNING e.course_id;

-- The user's enrolments (not those left).  Columns: course id, title,
-- status, percent complete, last lesson id (0 = none), enrolled at,
-- completed at ('' = not).
-- name: learning_enrollment_list
SELECT c.id, c.title, e.status,
       COALESCE(100 * s.ndone / NULLIF(s.nlessons, 0), 0)::int,
       COALESCE(e.last_lesson_id, 0),
       to_char(e.enrolled_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       COALESCE(to_char(e.completed_at AT TIME ZONE 'UTC',
	   'YYYY-MM-DD"T"HH24:MI:SS"Z"'), '')
FROM enrollments e
JOIN courses c ON c.id = e.course_id
CROSS JOIN LATERAL (
	SELECT count(l.id) AS nlessons, count(lp.lesson_id) AS ndone
	FROM modules m JOIN lessons l ON l.module_id = m.id
	LEFT JOIN lesson_progress lp ON lp.lesson_id = l.id
	     AND lp.user_id = e.user_id AND lp.status = 'completed'
	WHERE m.course_id = c.id) s
WHERE e.user_id = $1 AND e.status <> 'left'
ORDER BY e.enrolled_at DESC, c.id;

-- Quizzes a learner can take from a lesson: attached to the lesson or to
-- its module (the quiz pages check access again).
-- name: learning_lesson_quizzes
SELECT a.id, a.title
FROM assessments a
WHERE a.lesson_id = $1
   OR a.module_id = (SELECT module_id FROM lessons WHERE id = $1)
ORDER BY a.lesson_id IS NULL, a.id
LIMIT 20;
