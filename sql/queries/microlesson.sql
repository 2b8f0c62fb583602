-- Narrated micro-lessons (issue 8, micro): src/pages/microlesson.c asks
-- for one, src/jobs/microlesson.c makes it; the review and approval are
-- genproj's (src/pages/genproj.c).

-- The job's view of a project, locked while it is claimed: course,
-- module, inputs, who asked (else the course's author).
-- name: microlesson_project_claim
SELECT p.course_id, COALESCE(p.module_id, 0), p.inputs::text,
       COALESCE(p.requested_by, c.author_id, 0)
FROM generation_projects p JOIN courses c ON c.id = p.course_id
WHERE p.id = $1
FOR UPDATE OF p;

-- Lesson $1 of course $2: title and body.
-- name: microlesson_lesson_source
SELECT l.title, l.body_md
FROM lessons l JOIN modules m ON m.id = l.module_id
WHERE l.id = $1 AND m.course_id = $2;

-- name: microlesson_item_insert
INSERT INTO generated_items (project_id, kind, content, sources, checks,
    passed, uploads)
VALUES ($1, 'microlesson', $2::jsonb, $3::bigint[], $4::jsonb, $5,
    $6::bigint[])
RETURNING id;
