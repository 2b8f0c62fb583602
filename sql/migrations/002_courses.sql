-- The content spine (seed 000/001): courses -> modules -> lessons, and each
-- learner's enrolment and lesson progress.  The course-authoring work extends
-- these tables (skills, prerequisites, search).

CREATE TABLE courses (
	id		bigserial PRIMARY KEY,
	author_id	bigint NOT NULL REFERENCES users,
	title		text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
	summary		text NOT NULL DEFAULT '',
	level		text NOT NULL DEFAULT 'beginner'
			CHECK (level IN ('beginner', 'intermediate', 'advanced')),
	language	text NOT NULL DEFAULT 'en',
	estimated_hours	numeric(6,1) NOT NULL DEFAULT 1 CHECK (estimated_hours > 0),
	status		text NOT NULL DEFAULT 'draft'
			CHECK (status IN ('draft', 'review', 'published', 'rejected')),
	review_note	text NOT NULL DEFAULT '',
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX courses_author ON courses (author_id);
CREATE INDEX courses_status ON courses (status);

CREATE TABLE modules (
	id		bigserial PRIMARY KEY,
	course_id	bigint NOT NULL REFERENCES courses ON DELETE CASCADE,
	position	integer NOT NULL,
	title		text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
	UNIQUE (course_id, position)
);

CREATE TABLE lessons (
	id		bigserial PRIMARY KEY,
	module_id	bigint NOT NULL REFERENCES modules ON DELETE CASCADE,
	position	integer NOT NULL,
	title		text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
	kind		text NOT NULL DEFAULT 'text'
			CHECK (kind IN ('text', 'video', 'exercise')),
	body_md		text NOT NULL DEFAULT '',
	estimated_minutes integer NOT NULL DEFAULT 10
			CHECK (estimated_minutes BETWEEN 1 AND 600),
	UNIQUE (module_id, position)
);

CREATE TABLE enrollments (
	user_id		bigint NOT NULL REFERENCES users ON DELETE CASCADE,
	course_id	bigint NOT NULL REFERENCES courses ON DELETE CASCADE,
	enrolled_at	timestamptz NOT NULL DEFAULT now(),
	completed_at	timestamptz,
	PRIMARY KEY (user_id, course_id)
);
CREATE INDEX enrollments_course ON enrollments (course_id);

CREATE TABLE lesson_progress (
	user_id		bigint NOT NULL REFERENCES users ON DELETE CASCADE,
	lesson_id	bigint NOT NULL REFERENCES lessons ON DELETE CASCADE,
	status		text NOT NULL DEFAULT 'started'
			CHECK (status IN ('started', 'completed')),
	started_at	timestamptz NOT NULL DEFAULT now(),
	completed_at	timestamptz,
	PRIMARY KEY (user_id, lesson_id)
);
