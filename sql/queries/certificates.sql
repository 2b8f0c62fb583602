-- Course certificates (issue 7; src/pages/certificates.c).

-- name: certificate_find
SELECT id FROM certificates WHERE user_id = $1 AND course_id = $2;

-- What a certificate for user $1 and course $2 would show: learner name,
-- course title, instructor name, lesson minutes, completed (bool),
-- completion date (YYYY-MM-DD, UTC).
-- name: certificate_source
SELECT u.full_name, c.title, a.full_name,
       COALESCE((SELECT sum(l.estimated_minutes) FROM modules m
                 JOIN lessons l ON l.module_id = m.id
                 WHERE m.course_id = c.id), 0)::int,
       e.status = 'completed',
       to_char(COALESCE(e.completed_at, now()) AT TIME ZONE 'UTC',
               'YYYY-MM-DD')
FROM enrollments e
JOIN users u ON u.id = e.user_id
JOIN courses c ON c.id = e.course_id
JOIN users a ON a.id = c.author_id
WHERE e.user_id = $1 AND e.course_id = $2;

-- name: certificate_insert
INSERT INTO certificates (id, user_id, course_id, learner_name,
    course_title, instructor_name, minutes, pdf_path)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
ON CONFLICT (user_id, course_id) DO NOTHING
RETURNING id;

-- Columns: id, user_id, course_id, learner_name, course_title,
-- instructor_name, minutes, issued (YYYY-MM-DD), pdf_path, revoked (bool),
-- revoked on (YYYY-MM-DD or ''), revoke_reason.
-- name: certificate_get
SELECT id, user_id, course_id, learner_name, course_title, instructor_name,
       minutes, to_char(issued_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'),
       pdf_path, revoked_at IS NOT NULL,
       COALESCE(to_char(revoked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), ''),
       revoke_reason
FROM certificates WHERE id = $1;

-- The user's certificates: id, course title, issued, revoked.
-- name: certificate_list_user
SELECT id, course_title, to_char(issued_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'),
       revoked_at IS NOT NULL
FROM certificates WHERE user_id = $1 ORDER BY issued_at DESC, id;

-- Completed courses of user $1 without a certificate: id, title.
-- name: certificate_claimable
SELECT c.id, c.title
FROM enrollments e JOIN courses c ON c.id = e.course_id
WHERE e.user_id = $1 AND e.status = 'completed'
  AND NOT EXISTS (SELECT 1 FROM certificates x
                  WHERE x.user_id = e.user_id AND x.course_id = c.id)
ORDER BY c.title;

-- name: certificate_revoke
UPDATE certificates
SET revoked_at = now(), revoked_by = $2, revoke_reason = $3
WHERE id = $1 AND revoked_at IS NULL;
