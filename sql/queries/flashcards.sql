-- Flashcards of a lesson (src/pages/flashcards.c).  $2 = the signed-in
-- user, $3 = their role: only the course's author or an admin edits.

-- name: flashcards_list
SELECT id, front, back FROM flashcards WHERE lesson_id = $1
ORDER BY position, id;

-- One row when user $2 may edit lesson $1 (then: course id).
-- name: flashcards_lesson_editable
SELECT m.course_id
FROM lessons l JOIN modules m ON m.id = l.module_id
JOIN courses c ON c.id = m.course_id
WHERE l.id = $1 AND (c.author_id = $2 OR $3 = 'admin');

-- name: flashcards_insert
INSERT INTO flashcards (lesson_id, front, back, position)
SELECT $1, $2, $3, COALESCE(max(position), 0) + 1
FROM flashcards WHERE lesson_id = $1
RETURNING id;

-- Deletes flashcard $1 if user $2 may edit its lesson: lesson id.
-- name: flashcards_delete
DELETE FROM flashcards f
USING lessons l, modules m, courses c
WHERE f.id = $1 AND l.id = f.lesson_id AND m.id = l.module_id
  AND c.id = m.course_id AND (c.author_id = $2 OR $3 = 'admin')
RETURNING f.lesson_id;
