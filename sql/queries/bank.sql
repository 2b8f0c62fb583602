-- Question bank (src/pages/bank.c).  Ownership is in the WHERE clauses:
-- $2 is the signed-in user, $3 true for admins, so another instructor's
-- question is simply not found (404) and nothing is written.

-- name: bank_question_list
SELECT q.id, q.kind, v.version, v.title, v.stem, v.difficulty, v.locked,
       u.full_name,
       COALESCE((SELECT string_agg(s.name, ', ' ORDER BY lower(s.name))
                 FROM question_skills qs JOIN skills s ON s.id = qs.skill_id
                 WHERE qs.question_id = q.id), ''),
       to_char(q.updated_at, 'YYYY-MM-DD'), q.owner_id
FROM questions q
JOIN question_versions v ON v.question_id = q.id
     AND v.version = q.current_version
JOIN users u ON u.id = q.owner_id
WHERE q.archived_at IS NULL AND (q.owner_id = $1 OR $2::boolean)
  AND ($3::bigint = 0 OR EXISTS (SELECT 1 FROM question_skills qs
       WHERE qs.question_id = q.id AND qs.skill_id = $3::bigint))
  AND ($4::text = '' OR q.kind = $4::text)
ORDER BY q.id DESC
LIMIT $5;

-- name: bank_question_get
SELECT q.id, q.kind, q.owner_id, v.id, v.version, v.title, v.stem,
       v.explanation, v.difficulty, v.locked, v.irt_a, v.irt_b, v.irt_c,
       v.irt_calibrated, u.full_name,
       (SELECT count(*) FROM question_versions x WHERE x.question_id = q.id)
FROM questions q
JOIN question_versions v ON v.question_id = q.id
     AND v.version = q.current_version
JOIN users u ON u.id = q.owner_id
WHERE q.id = $1 AND q.archived_at IS NULL AND (q.owner_id = $2 OR $3::boolean);

-- The same inside the edit transaction: the question row is locked, so
-- two edits of one question are applied one after the other.
-- name: bank_question_get_for_update
SELECT q.id, q.kind, q.owner_id, v.id, v.version, v.locked
FROM questions q
JOIN question_versions v ON v.question_id = q.id
     AND v.version = q.current_version
WHERE q.id = $1 AND q.archived_at IS NULL AND (q.owner_id = $2 OR $3::boolean)
FOR UPDATE OF q;

-- name: bank_option_list
SELECT id, position, body, is_correct, num_value, num_tolerance, feedback
FROM question_options WHERE version_id = $1
ORDER BY position, id;

-- name: bank_question_skills
SELECT s.id, s.name
FROM question_skills qs JOIN skills s ON s.id = qs.skill_id
WHERE qs.question_id = $1
ORDER BY lower(s.name), s.id;

-- name: bank_version_list
SELECT v.version, v.locked, to_char(v.created_at, 'YYYY-MM-DD HH24:MI'),
       COALESCE(u.full_name, ''), v.title, v.id
FROM question_versions v LEFT JOIN users u ON u.id = v.created_by
WHERE v.question_id = $1
ORDER BY v.version DESC;

-- name: bank_question_insert
INSERT INTO questions (owner_id, kind) VALUES ($1, $2)
RETURNING id;

-- name: bank_version_insert
INSERT INTO question_versions (question_id, version, title, stem,
    explanation, difficulty, irt_b, created_by)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
RETURNING id;

-- An unlocked version edited in place; a calibrated b is kept.
-- name: bank_version_update
UPDATE question_versions
SET title = $2, stem = $3, explanation = $4, difficulty = $5,
    irt_b = CASE WHEN irt_calibrated THEN irt_b ELSE $6::double precision END
WHERE id = $1 AND NOT locked;

-- name: bank_question_touch
UPDATE questions SET current_version = $2, updated_at = now()
WHERE id = $1;

-- name: bank_option_insert
INSERT INTO question_options (version_id, position, body, is_correct,
    num_value, num_tolerance, feedback)
VALUES ($1, $2, $3, $4, $5, $6, $7)
RETURNING id;

-- Every option of a new version at once: $2 bodies, $3 correct flags,
-- $4/$5 numeric values and tolerances (NULL arrays for other kinds), $6
-- feedback, all in position order.
-- name: bank_option_insert_many
INSERT INTO question_options (version_id, position, body, is_correct,
    num_value, num_tolerance, feedback)
SELECT $1, t.ord, t.body, t.ok, t.v, t.tol, t.fb
FROM unnest($2::text[], $3::boolean[], $4::double precision[],
            $5::double precision[], $6::text[])
     WITH ORDINALITY AS t(body, ok, v, tol, fb, ord)
ORDER BY t.ord;

-- Only an option of this version: a forged id updates nothing.
-- name: bank_option_update
UPDATE question_options
SET position = $3, body = $4, is_correct = $5, num_value = $6,
    num_tolerance = $7, feedback = $8
WHERE id = $1 AND version_id = $2;

-- name: bank_option_prune
DELETE FROM question_options
WHERE version_id = $1 AND NOT (id = ANY ($2::bigint[]));

-- name: bank_skills_clear
DELETE FROM question_skills WHERE question_id = $1;

-- name: bank_skills_add
INSERT INTO question_skills (question_id, skill_id)
SELECT $1, s.id FROM skills s WHERE s.id = ANY ($2::bigint[])
ON CONFLICT DO NOTHING;

-- Of the ids in $1, how many name a skill.
-- name: bank_skill_count
SELECT count(*) FROM skills WHERE id = ANY ($1::bigint[]);

-- name: bank_skill_all
SELECT id, name FROM skills ORDER BY lower(name), id LIMIT 500;

-- A skill by name, created when missing (imports name skills).  The
-- second column is true when this call created it.
-- name: bank_skill_ensure
INSERT INTO skills (name, created_by) VALUES ($1, $2)
ON CONFLICT ((lower(name))) DO UPDATE SET name = skills.name
RETURNING id, (xmax = 0);

-- Deleted only while no version has responses; else archived.
-- name: bank_question_delete
DELETE FROM questions q
WHERE q.id = $1 AND NOT EXISTS (SELECT 1 FROM question_versions v
      WHERE v.question_id = q.id AND v.locked);

-- name: bank_question_archive
UPDATE questions SET archived_at = now(), updated_at = now()
WHERE id = $1 AND archived_at IS NULL;

-- One more than a file may hold (QB_MAXQUESTIONS), to tell when the
-- export was cut.
-- name: bank_export_questions
SELECT q.id, q.kind, v.id, v.title, v.stem, v.explanation, v.difficulty
FROM questions q
JOIN question_versions v ON v.question_id = q.id
     AND v.version = q.current_version
WHERE q.archived_at IS NULL AND (q.owner_id = $1 OR $2::boolean)
  AND ($3::bigint = 0 OR EXISTS (SELECT 1 FROM question_skills qs
       WHERE qs.question_id = q.id AND qs.skill_id = $3::bigint))
ORDER BY q.id
LIMIT 2001;

-- In the order of bank_export_questions (question id), for a merge walk.
-- name: bank_export_options
SELECT o.version_id, o.body, o.is_correct, o.num_value, o.num_tolerance,
       o.feedback
FROM question_options o JOIN question_versions v ON v.id = o.version_id
WHERE o.version_id = ANY ($1::bigint[])
ORDER BY v.question_id, o.position, o.id;

-- name: bank_export_skills
SELECT qs.question_id, s.name
FROM question_skills qs JOIN skills s ON s.id = qs.skill_id
WHERE qs.question_id = ANY ($1::bigint[])
ORDER BY qs.question_id, lower(s.name), s.id;

-- For the attempts work: called in the transaction that records the first
-- response to a version; from then on the version is immutable.
-- name: bank_version_lock
UPDATE question_versions SET locked = true WHERE id = $1 AND NOT locked;
