-- The content review queue in the admin panel (issue 9, adminx;
-- src/pages/admin_content.c): generated items waiting for review across
-- every course.  Reviewing happens on /teach/projects/{id} (genproj.c),
-- which lets an admin review any course's project.

-- Pending items, oldest first.  $1 search: a substring of the course
-- title, or a course, project or item id; at most $2 rows from $3.
-- Columns: item id, kind, project id, course id, course title, the
-- course author's name, passed (bool), checks (JSON text), a one-line
-- summary of the content, created (UTC text), waiting (whole days).
-- name: admin_content_queue
SELECT i.id, i.kind, i.project_id, p.course_id, c.title,
       COALESCE(a.full_name, ''), i.passed, i.checks::text,
       left(COALESCE(NULLIF(i.content->>'question', ''),
                     NULLIF(i.content->>'stem', ''),
                     NULLIF(i.content->>'title', ''),
                     NULLIF(i.content->>'text', ''), ''), 160),
       to_char(i.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI'),
       floor(extract(epoch FROM now() - i.created_at) / 86400)::bigint
FROM generated_items i
JOIN generation_projects p ON p.id = i.project_id
JOIN courses c ON c.id = p.course_id
LEFT JOIN users a ON a.id = c.author_id
WHERE i.status = 'pending'
  AND ($1::text = '' OR strpos(lower(c.title), lower($1::text)) > 0
       OR $1::text IN (c.id::text, p.id::text, i.id::text))
ORDER BY i.created_at, i.id
LIMIT $2 OFFSET $3;

-- Pending items: all, passing every check, failing one or more.
-- name: admin_content_counts
SELECT count(*), count(*) FILTER (WHERE passed),
       count(*) FILTER (WHERE NOT passed)
FROM generated_items WHERE status = 'pending';
