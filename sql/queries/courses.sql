-- Courses, modules, lessons, enrolments (the authoring work adds more).

-- name: course_insert
INSERT INTO courses (author_id, title, summary, level, language,
                     estimated_hours, status)
VALUES ($1, $2, $3, $4, $5, $6, $7)
RETURNING id;

-- name: module_insert
INSERT INTO modules (course_id, position, title) VALUES ($1, $2, $3)
RETURNING id;

-- name: lesson_insert
INSERT INTO lessons (module_id, position, title, kind, body_md,
                     estimated_minutes)
VALUES ($1, $2, $3, $4, $5, $6)
RETURNING id;

-- name: enrollment_insert
INSERT INTO enrollments (user_id, course_id) VALUES ($1, $2)
ON CONFLICT DO NOTHING;

-- name: lesson_complete
INSERT INTO lesson_progress (user_id, lesson_id, status, completed_at)
VALUES ($1, $2, 'completed', now())
ON CONFLICT (user_id, lesson_id)
DO UPDATE SET status = 'completed', completed_at = now();
