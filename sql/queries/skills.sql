-- Skills: global, shared by every course; names unique case-insensitively
-- (skills_name_key on lower(name): an insert of a duplicate is a conflict).

-- name: skill_list
SELECT s.id, s.name, s.description, COALESCE(u.full_name, ''),
       (SELECT count(*) FROM course_skills cs WHERE cs.skill_id = s.id)
FROM skills s LEFT JOIN users u ON u.id = s.created_by
ORDER BY lower(s.name), s.id
LIMIT $1;

-- name: skill_insert
INSERT INTO skills (name, description, created_by) VALUES ($1, $2, $3)
RETURNING id;

-- Of the ids in $1, those that exist, with their names.
-- name: skill_names
SELECT id, name FROM skills WHERE id = ANY ($1::bigint[]);
