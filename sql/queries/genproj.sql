-- Generation projects and the review of generated items (issue 8,
-- genproj): src/jobs/generate.c runs a project, src/pages/genproj.c lists
-- and reviews it.  Ownership is in the WHERE clauses: $2 the signed-in
-- user, $3 true for admins, so another instructor's project or item is not
-- found (404) and nothing is written.

-- name: genproj_project_insert
INSERT INTO generation_projects (course_id, module_id, requested_by, inputs,
    backend)
VALUES ($1, $2, $3, $4::jsonb, $5)
RETURNING id;

-- Per project of course $1, newest first: the counts by check result and
-- by review status.
-- name: genproj_project_list
SELECT p.id, COALESCE(m.title, ''), p.inputs::text, p.backend,
       p.fallback_reason, p.status, p.reason,
       to_char(p.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI'),
       COALESCE(to_char(p.finished_at AT TIME ZONE 'UTC',
           'YYYY-MM-DD HH24:MI'), ''),
       count(i.id), count(i.id) FILTER (WHERE i.passed),
       count(i.id) FILTER (WHERE i.status = 'pending'),
       count(i.id) FILTER (WHERE i.status = 'approved'),
       count(i.id) FILTER (WHERE i.status = 'rejected'),
       COALESCE(p.module_id, 0)
FROM generation_projects p
LEFT JOIN modules m ON m.id = p.module_id
LEFT JOIN generated_items i ON i.project_id = p.id
WHERE p.course_id = $1
GROUP BY p.id, m.title
ORDER BY p.id DESC
LIMIT 200;

-- name: genproj_project_get
SELECT p.id, p.course_id, c.title, COALESCE(p.module_id, 0),
       COALESCE(m.title, ''), p.inputs::text, p.backend, p.fallback_reason,
       p.status, p.reason,
       to_char(p.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI'),
       COALESCE(to_char(p.finished_at AT TIME ZONE 'UTC',
           'YYYY-MM-DD HH24:MI'), ''),
       COALESCE(u.full_name, '')
FROM generation_projects p
JOIN courses c ON c.id = p.course_id
LEFT JOIN modules m ON m.id = p.module_id
LEFT JOIN users u ON u.id = p.requested_by
WHERE p.id = $1 AND (c.author_id = $2 OR $3::boolean);

-- The job's view of a project, locked while it runs: course, module,
-- inputs, the course's level.
-- name: genproj_project_claim
SELECT p.course_id, COALESCE(p.module_id, 0), p.inputs::text, c.level
FROM generation_projects p JOIN courses c ON c.id = p.course_id
WHERE p.id = $1
FOR UPDATE OF p;

-- What a lesson draft is titled after.
-- name: genproj_course_title
SELECT title FROM courses WHERE id = $1;

-- name: genproj_module_title
SELECT title FROM modules WHERE id = $1;

-- name: genproj_project_finish
UPDATE generation_projects
SET status = $2, reason = $3, backend = $4, fallback_reason = $5,
    finished_at = CASE WHEN $2 IN ('done', 'failed') THEN now() END
WHERE id = $1;

-- Every passage of course $1, in material order (columns of the three
-- passage statements: id, heading, body, material).
-- name: genproj_passages_course
SELECT id, heading, body, material_id FROM material_passages
WHERE course_id = $1
ORDER BY material_id, seq;

-- name: genproj_passage_count
SELECT count(*) FROM material_passages WHERE course_id = $1;

-- The passages of course $1 that best match the words of $2 (any of them:
-- the AND query plainto_tsquery makes, turned into OR), at most $3, in
-- material order.
-- name: genproj_passages_match
SELECT x.id, x.heading, x.body, x.material_id FROM (
	SELECT p.id, p.heading, p.body, p.material_id, p.seq
	FROM material_passages p,
	     (SELECT replace(plainto_tsquery('english', $2)::text, '&',
	         '|')::tsquery AS q) w
	WHERE p.course_id = $1 AND p.search @@ w.q
	ORDER BY ts_rank(p.search, w.q) DESC, p.id
	LIMIT $3) x
ORDER BY x.material_id, x.seq;

-- What a module is about: its title and its lessons' titles.
-- name: genproj_module_words
SELECT m.title || ' ' || COALESCE(string_agg(l.title, ' '), '')
FROM modules m LEFT JOIN lessons l ON l.module_id = m.id
WHERE m.id = $1 AND m.course_id = $2
GROUP BY m.id;

-- Passages $1 of project $2's course only: an id of another course's
-- material (typed into an edited draft) is never loaded.
-- name: genproj_passages_by_ids
SELECT id, heading, body, material_id FROM material_passages
WHERE id = ANY ($1::bigint[])
  AND course_id = (SELECT course_id FROM generation_projects WHERE id = $2)
ORDER BY id;

-- name: genproj_items_delete
DELETE FROM generated_items WHERE project_id = $1;

-- name: genproj_item_insert
INSERT INTO generated_items (project_id, kind, content, sources, checks,
    passed)
VALUES ($1, $2, $3::jsonb, $4::bigint[], $5::jsonb, $6)
RETURNING id;

-- Columns of genproj_item_list and genproj_item_get: id, kind, content,
-- sources, checks, passed, status, note, reviewer, reviewed at, question,
-- lesson, project.
-- name: genproj_item_list
SELECT i.id, i.kind, i.content::text, i.sources::text, i.checks::text,
       i.passed, i.status, i.review_note, COALESCE(u.full_name, ''),
       COALESCE(to_char(i.reviewed_at AT TIME ZONE 'UTC',
           'YYYY-MM-DD HH24:MI'), ''),
       COALESCE(i.question_id, 0), COALESCE(i.lesson_id, 0), i.project_id
FROM generated_items i
LEFT JOIN users u ON u.id = i.reviewed_by
WHERE i.project_id = $1
ORDER BY i.id;

-- name: genproj_item_get
SELECT i.id, i.kind, i.content::text, i.sources::text, i.checks::text,
       i.passed, i.status, i.review_note, COALESCE(u.full_name, ''),
       COALESCE(to_char(i.reviewed_at AT TIME ZONE 'UTC',
           'YYYY-MM-DD HH24:MI'), ''),
       COALESCE(i.question_id, 0), COALESCE(i.lesson_id, 0), i.project_id
FROM generated_items i
JOIN generation_projects p ON p.id = i.project_id
JOIN courses c ON c.id = p.course_id
LEFT JOIN users u ON u.id = i.reviewed_by
WHERE i.id = $1 AND (c.author_id = $2 OR $3::boolean);

-- The item locked for a review action, with what the action needs: the
-- course, its author and level, the project's module.
-- name: genproj_item_lock
SELECT i.id, i.kind, i.content::text, i.sources::text, i.status,
       i.project_id, p.course_id, c.author_id, c.level,
       COALESCE(p.module_id, 0), i.checks::text, i.passed
FROM generated_items i
JOIN generation_projects p ON p.id = i.project_id
JOIN courses c ON c.id = p.course_id
WHERE i.id = $1 AND (c.author_id = $2 OR $3::boolean)
FOR UPDATE OF i;

-- The project's other items a duplicate check compares an edit with
-- (rejected ones aside), in order.
-- name: genproj_item_siblings
SELECT kind, content::text, sources::text FROM generated_items
WHERE project_id = $1 AND id <> $2 AND status <> 'rejected'
ORDER BY id;

-- name: genproj_item_update
UPDATE generated_items
SET content = $2::jsonb, sources = $3::bigint[], checks = $4::jsonb,
    passed = $5
WHERE id = $1;

-- name: genproj_item_review
UPDATE generated_items
SET status = $2, review_note = $3, reviewed_by = $4, reviewed_at = now(),
    question_id = NULLIF($5::bigint, 0), lesson_id = NULLIF($6::bigint, 0)
WHERE id = $1;

-- A module of course $1 by title (the "Generated" module lessons go to).
-- name: genproj_module_find
SELECT id FROM modules WHERE course_id = $1 AND title = $2
ORDER BY position LIMIT 1;

-- name: genproj_module_of_course
SELECT id FROM modules WHERE id = $1 AND course_id = $2;

-- Approved generated questions of course $1 that perform badly: p-correct
-- under 0.1 or over 0.95 with 20 attempts or more, or a negative
-- point-biserial (item score against attempt score over submitted
-- attempts, from 20 responses).  Columns: item, question, kind, stem,
-- attempts, correct, point-biserial (NULL: not computable), project.
-- name: genproj_review_again
SELECT i.id, q.id, q.kind, v.stem, COALESCE(s.attempts, 0),
       COALESCE(s.correct, 0), pb.r, i.project_id
FROM generated_items i
JOIN generation_projects p ON p.id = i.project_id
JOIN questions q ON q.id = i.question_id
JOIN question_versions v ON v.question_id = q.id
     AND v.version = q.current_version
LEFT JOIN item_stats s ON s.version_id = v.id
LEFT JOIN LATERAL (
	SELECT CASE WHEN count(*) >= 20 THEN
	       corr(CASE WHEN r.correct THEN 1 ELSE 0 END, t.score) END AS r
	FROM responses r JOIN attempts t ON t.id = r.attempt_id
	WHERE r.version_id = v.id AND t.status = 'submitted') pb ON true
WHERE p.course_id = $1 AND i.status = 'approved'
  AND ((COALESCE(s.attempts, 0) >= 20
        AND (s.correct::float8 / s.attempts < 0.1
             OR s.correct::float8 / s.attempts > 0.95))
       OR pb.r < 0)
ORDER BY i.id;

-- The approved generated lesson drafts of module $1, in lesson order:
-- lesson id, title, its current body; and the md5 of them all (the cache
-- key's content part).
-- name: genproj_module_generated
SELECT l.id, l.title, l.body_md,
       md5(string_agg(l.id || ':' || l.body_md, '|') OVER ())
FROM generated_items i
JOIN lessons l ON l.id = i.lesson_id
WHERE l.module_id = $1 AND i.status = 'approved' AND i.kind = 'lesson'
ORDER BY l.position, l.id;

-- name: genproj_cache_get
SELECT content, source_hash FROM personalised_cache
WHERE module_id = $1 AND profile = $2;

-- name: genproj_cache_put
INSERT INTO personalised_cache (module_id, profile, content, source_hash)
VALUES ($1, $2, $3, $4)
ON CONFLICT (module_id, profile) DO UPDATE
SET content = EXCLUDED.content, source_hash = EXCLUDED.source_hash,
    created_at = now();

-- The learner's standing in course $2: preferences (JSON text), how many
-- of the course's skills have a target, and the mean of the learner's
-- level over the target (capped at 1; a skill with no state counts 0).
-- name: genproj_learner_standing
SELECT COALESCE((SELECT preferences::text FROM learner_profiles
                 WHERE user_id = $1), '{}'),
       count(cs.skill_id),
       COALESCE(avg(LEAST(COALESCE(st.level, 0) /
           GREATEST(cs.target_level, 1), 1)), 0),
       count(st.skill_id)
FROM course_skills cs
LEFT JOIN learner_skill_state st ON st.skill_id = cs.skill_id
     AND st.user_id = $1
WHERE cs.course_id = $2;

-- The project is being generated (between the reading and the writing
-- transactions of the job).
-- name: genproj_project_running
UPDATE generation_projects SET status = 'running', reason = ''
WHERE id = $1 AND status <> 'running';
