-- The course tutor (issue 8, src/pages/tutor.c): who may ask, the
-- candidate passages, and the conversation.

-- Course $1 for user $2 (role $3): its title, whether the user may use
-- the tutor (author, admin, enrolled learner), whether it is published,
-- and how many materials are ready.
-- name: tutor_course
SELECT c.title,
       (c.author_id = $2 OR $3 = 'admin'
        OR EXISTS (SELECT 1 FROM enrollments e
                   WHERE e.course_id = c.id AND e.user_id = $2
                     AND e.status <> 'left')),
       c.status = 'published',
       (SELECT count(*) FROM course_materials m
        WHERE m.course_id = c.id AND m.status = 'ready')
FROM courses c
WHERE c.id = $1;

-- Candidates for question $2 in course $1: passages of ready material
-- sharing any of its words (the question's lexemes OR-ed, so a long
-- question still finds passages that answer part of it), best first by
-- ts_rank; liblearn ranks them again with BM25.
-- name: tutor_candidates
WITH q AS (
	SELECT CASE WHEN numnode(plainto_tsquery('english', $2)) = 0
	            THEN plainto_tsquery('english', $2)
	            ELSE replace(plainto_tsquery('english', $2)::text, ' & ',
	                         ' | ')::tsquery END AS q
)
SELECT p.id, p.heading, p.body, m.name
FROM material_passages p
JOIN course_materials m ON m.id = p.material_id AND m.status = 'ready'
CROSS JOIN q
WHERE p.course_id = $1 AND p.search @@ q.q
ORDER BY ts_rank(p.search, q.q) DESC, p.id
LIMIT $3;

-- name: tutor_insert
INSERT INTO tutor_messages (user_id, course_id, question, answer, refused,
                            citations, backend)
VALUES ($1, $2, $3, $4, $5, $6::bigint[], $7)
RETURNING id, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI');

-- The last $3 messages of user $1 in course $2, newest first, each with
-- its citations in order as JSON (a passage deleted since is left out).
-- name: tutor_history
SELECT t.id, t.question, t.answer, t.refused, t.backend,
       to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI'),
       COALESCE((SELECT json_agg(json_build_object('n', c.ord,
                    'passage_id', p.id, 'material', m.name,
                    'heading', p.heading) ORDER BY c.ord)
                 FROM unnest(t.citations) WITH ORDINALITY AS c(pid, ord)
                 JOIN material_passages p ON p.id = c.pid
                 JOIN course_materials m ON m.id = p.material_id), '[]')
FROM tutor_messages t
WHERE t.user_id = $1 AND t.course_id = $2
ORDER BY t.id DESC
LIMIT $3;
