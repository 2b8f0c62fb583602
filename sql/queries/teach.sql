-- Course authoring (issue 4, instructor side): courses, modules, lessons,
-- their skills and prerequisites, and the review workflow.
--
-- Ownership is in the WHERE clause: every "teach_*_get" takes the user id
-- ($2) and whether the user is an admin ($3), so another instructor's
-- object is simply not found.

-- name: teach_course_list
SELECT c.id, c.title, c.status, c.review_note, c.level, c.language,
       c.estimated_hours::text, u.full_name,
       (SELECT count(*) FROM modules m JOIN lessons l ON l.module_id = m.id
        WHERE m.course_id = c.id),
       to_char(c.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI')
FROM courses c JOIN users u ON u.id = c.author_id
WHERE c.author_id = $1 OR $2::boolean
ORDER BY c.updated_at DESC, c.id DESC
LIMIT $3;

-- name: teach_course_get
SELECT c.id, c.author_id, c.title, c.summary, c.level, c.language,
       c.estimated_hours::text, c.status, c.review_note, c.cover_upload_id,
       u.full_name,
       to_char(c.submitted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI'),
       to_char(c.published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI')
FROM courses c JOIN users u ON u.id = c.author_id
WHERE c.id = $1 AND (c.author_id = $2 OR $3::boolean);

-- The same row locked for a change of status or structure (serialises
-- position changes within one course).
-- name: teach_course_lock
SELECT c.id, c.author_id, c.title, c.status
FROM courses c
WHERE c.id = $1 AND (c.author_id = $2 OR $3::boolean)
FOR UPDATE;

-- name: teach_course_insert
INSERT INTO courses (author_id, title, summary, level, language,
                     estimated_hours)
VALUES ($1, $2, $3, $4, $5, $6::numeric)
RETURNING id;

-- name: teach_course_update
UPDATE courses
SET title = $2, summary = $3, level = $4, language = $5,
    estimated_hours = $6::numeric, updated_at = now()
WHERE id = $1;

-- name: teach_course_touch
UPDATE courses SET updated_at = now() WHERE id = $1;

-- name: teach_course_delete
DELETE FROM courses WHERE id = $1;

-- name: teach_course_enrolled
SELECT count(*) FROM enrollments WHERE course_id = $1;

-- name: teach_course_lesson_count
SELECT count(*) FROM modules m JOIN lessons l ON l.module_id = m.id
WHERE m.course_id = $1;

-- name: teach_course_submit
UPDATE courses
SET status = 'review', submitted_at = now(), updated_at = now()
WHERE id = $1 AND status IN ('draft', 'rejected')
RETURNING id;

-- Skills taught, with their target level.
-- name: teach_course_skills
SELECT s.id, s.name, cs.target_level
FROM course_skills cs JOIN skills s ON s.id = cs.skill_id
WHERE cs.course_id = $1
ORDER BY lower(s.name);

-- name: teach_course_skills_clear
DELETE FROM course_skills WHERE course_id = $1;

-- name: teach_course_skill_add
INSERT INTO course_skills (course_id, skill_id, target_level)
VALUES ($1, $2, $3);

-- name: teach_course_preskills
SELECT s.id, s.name, p.min_level
FROM course_prereq_skills p JOIN skills s ON s.id = p.skill_id
WHERE p.course_id = $1
ORDER BY lower(s.name);

-- name: teach_course_preskills_clear
DELETE FROM course_prereq_skills WHERE course_id = $1;

-- name: teach_course_preskill_add
INSERT INTO course_prereq_skills (course_id, skill_id, min_level)
VALUES ($1, $2, $3);

-- name: teach_course_precourses
SELECT c.id, c.title, c.status
FROM course_prereq_courses p JOIN courses c ON c.id = p.prereq_id
WHERE p.course_id = $1
ORDER BY lower(c.title), c.id;

-- name: teach_course_precourses_clear
DELETE FROM course_prereq_courses WHERE course_id = $1;

-- name: teach_course_precourse_add
INSERT INTO course_prereq_courses (course_id, prereq_id) VALUES ($1, $2);

-- Courses an author may name as prerequisites: their own and published
-- ones (admins: any), never the course itself ($3; 0 for a new course):
-- the first $4 by title, plus those in $5 (the ones chosen now, so a
-- save never drops a prerequisite that fell outside the first $4).
-- name: teach_precourse_candidates
SELECT x.id, x.title FROM (
	(SELECT c.id, c.title FROM courses c
	 WHERE c.id <> $3 AND (c.author_id = $1 OR c.status = 'published'
	                       OR $2::boolean)
	 ORDER BY lower(c.title), c.id
	 LIMIT $4)
	UNION
	SELECT c.id, c.title FROM courses c
	WHERE c.id = ANY ($5::bigint[]) AND c.id <> $3
	  AND (c.author_id = $1 OR c.status = 'published' OR $2::boolean)
) x
ORDER BY lower(x.title), x.id;

-- Of the ids in $1, those the user may name as prerequisites.
-- name: teach_precourse_visible
SELECT c.id FROM courses c
WHERE c.id = ANY ($1::bigint[])
  AND (c.author_id = $2 OR c.status = 'published' OR $3::boolean);

-- Prerequisite changes are serialised site-wide, so two concurrent edits
-- cannot each pass the cycle check and together close a cycle.
-- name: teach_prereq_lock
SELECT pg_advisory_xact_lock(4004);

-- The prerequisite edges reachable from the courses in $1, leaving out
-- course $2's own edges (about to be replaced): with $2's proposed edges
-- added, a cycle through $2 shows in this subgraph.
-- name: teach_precourse_reach
WITH RECURSIVE reach(id) AS (
	SELECT unnest($1::bigint[])
	UNION
	SELECT p.prereq_id FROM course_prereq_courses p
	JOIN reach r ON p.course_id = r.id
	WHERE p.course_id <> $2
)
SELECT p.course_id, p.prereq_id
FROM course_prereq_courses p JOIN reach r ON p.course_id = r.id
WHERE p.course_id <> $2;

-- name: teach_course_titles
SELECT id, title FROM courses WHERE id = ANY ($1::bigint[]);

-- ---- modules ----------------------------------------------------------

-- name: teach_module_get
SELECT m.id, m.course_id, m.position, m.title, c.title, c.status
FROM modules m JOIN courses c ON c.id = m.course_id
WHERE m.id = $1 AND (c.author_id = $2 OR $3::boolean);

-- name: teach_module_list
SELECT id, position, title FROM modules WHERE course_id = $1
ORDER BY position;

-- name: teach_module_insert
INSERT INTO modules (course_id, position, title)
SELECT $1, COALESCE(max(position), 0) + 1, $2 FROM modules
WHERE course_id = $1
RETURNING id;

-- name: teach_module_rename
UPDATE modules SET title = $2 WHERE id = $1;

-- name: teach_module_delete
DELETE FROM modules WHERE id = $1;

-- The module just before ($2 = 'up') or after ('down') module $1.
-- name: teach_module_neighbor
SELECT n.id, n.position, m.position
FROM modules m JOIN modules n ON n.course_id = m.course_id
WHERE m.id = $1
  AND CASE WHEN $2 = 'up' THEN n.position < m.position
           ELSE n.position > m.position END
ORDER BY CASE WHEN $2 = 'up' THEN -n.position ELSE n.position END
LIMIT 1;

-- name: teach_module_position_set
UPDATE modules SET position = $2 WHERE id = $1;

-- ---- lessons ----------------------------------------------------------

-- name: teach_lesson_get
SELECT l.id, l.module_id, l.position, l.title, l.kind, l.body_md,
       l.estimated_minutes, m.course_id, c.title, m.title, c.status
FROM lessons l
JOIN modules m ON m.id = l.module_id
JOIN courses c ON c.id = m.course_id
WHERE l.id = $1 AND (c.author_id = $2 OR $3::boolean);

-- Every lesson of course $1 in syllabus order.
-- name: teach_lesson_list
SELECT l.id, l.module_id, l.position, l.title, l.kind, l.estimated_minutes
FROM lessons l JOIN modules m ON m.id = l.module_id
WHERE m.course_id = $1
ORDER BY m.position, l.position;

-- name: teach_lesson_insert
INSERT INTO lessons (module_id, position, title, kind, body_md,
                     estimated_minutes)
SELECT $1, COALESCE(max(position), 0) + 1, $2, $3, $4, $5 FROM lessons
WHERE module_id = $1
RETURNING id;

-- name: teach_lesson_update
UPDATE lessons SET title = $2, kind = $3, body_md = $4,
       estimated_minutes = $5
WHERE id = $1;

-- Moves lesson $1 to the end of module $2 (same course: checked by the
-- caller, and again here).
-- name: teach_lesson_move_module
UPDATE lessons l
SET module_id = $2,
    position = (SELECT COALESCE(max(position), 0) + 1 FROM lessons
                WHERE module_id = $2)
FROM modules src, modules dst
WHERE l.id = $1 AND src.id = l.module_id AND dst.id = $2
  AND dst.course_id = src.course_id AND l.module_id <> $2;

-- name: teach_lesson_delete
DELETE FROM lessons WHERE id = $1;

-- name: teach_lesson_neighbor
SELECT n.id, n.position, l.position
FROM lessons l JOIN lessons n ON n.module_id = l.module_id
WHERE l.id = $1
  AND CASE WHEN $2 = 'up' THEN n.position < l.position
           ELSE n.position > l.position END
ORDER BY CASE WHEN $2 = 'up' THEN -n.position ELSE n.position END
LIMIT 1;

-- name: teach_lesson_position_set
UPDATE lessons SET position = $2 WHERE id = $1;

-- name: teach_lesson_skills
SELECT s.id, s.name
FROM lesson_skills ls JOIN skills s ON s.id = ls.skill_id
WHERE ls.lesson_id = $1
ORDER BY lower(s.name);

-- name: teach_lesson_skills_clear
DELETE FROM lesson_skills WHERE lesson_id = $1;

-- name: teach_lesson_skill_add
INSERT INTO lesson_skills (lesson_id, skill_id) VALUES ($1, $2);

-- name: teach_lesson_prereqs
SELECT l.id, l.title
FROM lesson_prereqs p JOIN lessons l ON l.id = p.prereq_id
WHERE p.lesson_id = $1
ORDER BY l.id;

-- name: teach_lesson_prereqs_clear
DELETE FROM lesson_prereqs WHERE lesson_id = $1;

-- name: teach_lesson_prereq_add
INSERT INTO lesson_prereqs (lesson_id, prereq_id) VALUES ($1, $2);

-- Lesson prerequisite edges inside course $1, except lesson $2's own.
-- name: teach_lesson_prereq_edges
SELECT p.lesson_id, p.prereq_id
FROM lesson_prereqs p
JOIN lessons l ON l.id = p.lesson_id
JOIN modules m ON m.id = l.module_id
WHERE m.course_id = $1 AND p.lesson_id <> $2;

-- Of the lesson ids in $1, those in course $2, with their titles.
-- name: teach_lesson_in_course
SELECT l.id, l.title FROM lessons l JOIN modules m ON m.id = l.module_id
WHERE l.id = ANY ($1::bigint[]) AND m.course_id = $2;

-- ---- review (admin) ---------------------------------------------------

-- name: review_list
SELECT c.id, c.title, u.full_name,
       to_char(c.submitted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI'),
       (SELECT count(*) FROM modules m JOIN lessons l ON l.module_id = m.id
        WHERE m.course_id = c.id),
       c.summary
FROM courses c JOIN users u ON u.id = c.author_id
WHERE c.status = 'review'
ORDER BY c.submitted_at, c.id
LIMIT $1;

-- name: review_approve
UPDATE courses
SET status = 'published', published_at = now(), review_note = '',
    reviewed_by = $2, reviewed_at = now(), updated_at = now()
WHERE id = $1 AND status = 'review'
RETURNING id;

-- name: review_reject
UPDATE courses
SET status = 'rejected', review_note = $3, reviewed_by = $2,
    reviewed_at = now(), updated_at = now()
WHERE id = $1 AND status = 'review'
RETURNING id;

-- Sets course $1's cover to upload $2 (NULL: none); returns the cover it
-- had (NULL: none).  The course row is locked by the caller.
-- name: teach_course_cover_set
UPDATE courses c SET cover_upload_id = $2, updated_at = now()
FROM (SELECT cover_upload_id FROM courses WHERE id = $1) o
WHERE c.id = $1
RETURNING o.cover_upload_id;

-- A replaced or removed cover, upload $1: deleted when nothing refers to
-- it any more; its key returned for the caller to remove the file.
-- name: teach_course_cover_release
DELETE FROM uploads u WHERE u.id = $1 AND NOT upload_referenced(u.id)
RETURNING u.storage_key;

-- What deleting a module or lesson takes with it, for the confirmation
-- page: its lessons and how many learners have progress in them.
-- name: teach_module_delete_info
SELECT (SELECT count(*) FROM lessons WHERE module_id = $1),
       (SELECT count(DISTINCT lp.user_id) FROM lesson_progress lp
        JOIN lessons l ON l.id = lp.lesson_id WHERE l.module_id = $1);

-- name: teach_lesson_delete_info
SELECT 1, (SELECT count(DISTINCT user_id) FROM lesson_progress
           WHERE lesson_id = $1);
