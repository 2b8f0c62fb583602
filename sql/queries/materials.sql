-- Course material and its index (issue 8): the instructor's page
-- (src/pages/materials.c) and the indexing job (src/jobs/material_index.c).

-- The course if $2 may edit it: its author, or an admin ($3).
-- name: material_course_editable
SELECT c.id, c.title
FROM courses c
WHERE c.id = $1 AND (c.author_id = $2 OR $3 = 'admin');

-- One uploaded file ($2 NULL when it was refused at once, with $5 =
-- 'failed' and $6 the reason).
-- name: material_insert
INSERT INTO course_materials (course_id, upload_id, name, kind, status,
                              reason, created_by)
VALUES ($1, $2, $3, $4, $5, $6, $7)
RETURNING id;

-- name: material_list
SELECT m.id, m.name, m.kind, m.status, m.reason, m.words, m.passages,
       COALESCE(m.upload_id, 0),
       to_char(m.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI'),
       to_char(m.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')
FROM course_materials m
WHERE m.course_id = $1
ORDER BY m.id;

-- Deletes material $2 of course $1 if $3 may edit the course ($4 role),
-- with its passages (cascade) and its upload; the upload's storage key
-- ('' when none) comes back so the caller removes the file.
-- name: material_delete
WITH m AS (
	DELETE FROM course_materials cm
	USING courses c
	WHERE cm.id = $2 AND cm.course_id = $1 AND c.id = cm.course_id
	  AND (c.author_id = $3 OR $4 = 'admin')
	RETURNING cm.upload_id
), u AS (
	DELETE FROM uploads
	WHERE id = (SELECT upload_id FROM m)
	RETURNING storage_key
)
SELECT COALESCE((SELECT storage_key FROM u), '') FROM m;

-- The job's view of one material: where it stands and its file.
-- name: material_get
SELECT m.course_id, m.status, COALESCE(u.storage_key, ''), m.name
FROM course_materials m LEFT JOIN uploads u ON u.id = m.upload_id
WHERE m.id = $1;

-- Locks the material for the final write (0 rows: deleted meanwhile).
-- name: material_lock
SELECT status FROM course_materials WHERE id = $1 FOR UPDATE;

-- $2 status, $3 reason, $4 kind ('' = keep), $5 words, $6 passages.
-- name: material_set_status
UPDATE course_materials
SET status = $2, reason = $3, kind = COALESCE(NULLIF($4, ''), kind),
    words = $5, passages = $6, updated_at = now()
WHERE id = $1;

-- name: material_passages_clear
DELETE FROM material_passages WHERE material_id = $1;

-- A batch of passages: $3 seq (int[]), $4 headings, $5 bodies (text[]),
-- parallel arrays.
-- name: material_passages_insert
INSERT INTO material_passages (material_id, course_id, seq, heading, body)
SELECT $1, $2, t.seq, t.heading, t.body
FROM unnest($3::int[], $4::text[], $5::text[]) AS t(seq, heading, body);
