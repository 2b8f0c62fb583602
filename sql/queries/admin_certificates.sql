-- Certificates in the admin panel (issue 9, adminx; src/pages/
-- admin_certificates.c).  Revoking goes through the existing
-- certificate_revoke (certificates.sql).

-- Every certificate, newest first.  $1 search: the certificate number, or
-- a substring of the learner's name (as printed or as now) or e-mail, or
-- of the course title; $2 status '' (all), 'valid' or 'revoked'; at most
-- $3 rows from $4.  Columns: id, user id, name on the certificate, the
-- account's e-mail ('' when deleted), course id, course title, issued
-- (YYYY-MM-DD), revoked (bool), revoked on ('' or YYYY-MM-DD), reason,
-- who revoked ('' = unknown).
-- name: admin_certificate_list
SELECT c.id, c.user_id, c.learner_name, COALESCE(u.email, ''), c.course_id,
       c.course_title,
       to_char(c.issued_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'),
       c.revoked_at IS NOT NULL,
       COALESCE(to_char(c.revoked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), ''),
       c.revoke_reason, COALESCE(b.email, '')
FROM certificates c
LEFT JOIN users u ON u.id = c.user_id
LEFT JOIN users b ON b.id = c.revoked_by
WHERE ($1::text = '' OR c.id::text = $1::text
       OR strpos(lower(c.learner_name), lower($1::text)) > 0
       OR strpos(lower(COALESCE(u.full_name, '')), lower($1::text)) > 0
       OR strpos(lower(COALESCE(u.email, '')), lower($1::text)) > 0
       OR strpos(lower(c.course_title), lower($1::text)) > 0)
  AND ($2::text = '' OR ($2::text = 'valid') = (c.revoked_at IS NULL))
ORDER BY c.issued_at DESC, c.id DESC
LIMIT $3 OFFSET $4;

-- name: admin_certificate_counts
SELECT count(*) FILTER (WHERE revoked_at IS NULL),
       count(*) FILTER (WHERE revoked_at IS NOT NULL)
FROM certificates;
