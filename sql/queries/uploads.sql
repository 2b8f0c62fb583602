-- Uploaded files (src/out/storage.c).

-- name: upload_insert
INSERT INTO uploads (owner_id, storage_key, content_type, size_bytes,
                     original_name, sha256)
VALUES ($1, $2, $3, $4, $5, $6)
RETURNING id;

-- Who may fetch an upload: its owner, an admin, or anyone when it is the
-- cover of a published course.  $2 = user id (0 = anonymous), $3 = role.
-- name: upload_access
SELECT u.storage_key, u.content_type, u.size_bytes
FROM uploads u
WHERE u.id = $1
  AND (u.owner_id = $2 OR $3 = 'admin'
       OR EXISTS (SELECT 1 FROM courses c
                  WHERE c.cover_upload_id = u.id AND c.status = 'published'));
