-- Lesson media and upload delete/clean-up (src/pages/lesson_media.c,
-- src/pages/uploads.c, src/jobs/upload_cleanup.c).

-- The lesson if $2 may edit it: the course author, or an admin ($3).
-- name: media_lesson_editable
SELECT l.id, m.course_id
FROM lessons l JOIN modules m ON m.id = l.module_id
JOIN courses c ON c.id = m.course_id
WHERE l.id = $1 AND (c.author_id = $2 OR $3 = 'admin');

-- name: media_attach
INSERT INTO lesson_media (lesson_id, upload_id) VALUES ($1, $2);

-- name: media_list
SELECT u.id, u.original_name, u.content_type, u.size_bytes
FROM lesson_media lm JOIN uploads u ON u.id = lm.upload_id
WHERE lm.lesson_id = $1
ORDER BY lm.created_at, u.id;

-- Who may fetch an upload: its owner, an admin, anyone for the cover of a
-- published course, and for lesson media the course author and learners
-- enrolled in the course.  $2 = user id (0 = anonymous), $3 = role.
-- name: media_upload_access
SELECT u.storage_key, u.content_type, u.size_bytes
FROM uploads u
WHERE u.id = $1
  AND (u.owner_id = $2 OR $3 = 'admin'
       OR EXISTS (SELECT 1 FROM courses c
                  WHERE c.cover_upload_id = u.id AND c.status = 'published')
       OR EXISTS (SELECT 1 FROM lesson_media lm
                  JOIN lessons l ON l.id = lm.lesson_id
                  JOIN modules m ON m.id = l.module_id
                  JOIN courses c ON c.id = m.course_id
                  WHERE lm.upload_id = u.id
                    AND (c.author_id = $2
                         OR EXISTS (SELECT 1 FROM enrollments e
                                    WHERE e.course_id = c.id
                                      AND e.user_id = $2))));

-- Deletes upload $1 if $2 owns it or $3 is admin; the lesson it was
-- attached to (0 if none) for the redirect.  Cover references are set NULL
-- by the foreign key.
-- name: media_upload_delete
WITH lm AS (SELECT lesson_id FROM lesson_media WHERE upload_id = $1)
DELETE FROM uploads u
WHERE u.id = $1 AND (u.owner_id = $2 OR $3 = 'admin')
RETURNING u.storage_key, COALESCE((SELECT lesson_id FROM lm), 0);

-- Uploads nothing refers to (upload_referenced, migration 027: no course
-- cover, no lesson media, no course material, no micro-lesson waiting for
-- review) and older than $1 seconds, at most $2 of them: deleted, keys
-- returned so the job removes the files.
-- name: media_orphans_delete
DELETE FROM uploads u
WHERE u.id IN (SELECT o.id FROM uploads o
               WHERE o.created_at < now() - make_interval(secs => $1::bigint)
                 AND NOT upload_referenced(o.id)
               ORDER BY o.id LIMIT $2
               FOR UPDATE SKIP LOCKED)
RETURNING u.storage_key;
