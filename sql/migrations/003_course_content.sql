-- Course content (issue 4): global skills, what courses and lessons teach,
-- prerequisites, review workflow, uploads (cover images), lesson time, and
-- the event log and e-mail outbox that enrolment and completion write to.

CREATE TABLE skills (
	id		bigserial PRIMARY KEY,
	name		text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
	description	text NOT NULL DEFAULT '',
	created_by	bigint REFERENCES users ON DELETE SET NULL,
	created_at	timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX skills_name_key ON skills (lower(name));

CREATE TABLE course_skills (
	course_id	bigint NOT NULL REFERENCES courses ON DELETE CASCADE,
	skill_id	bigint NOT NULL REFERENCES skills ON DELETE CASCADE,
	target_level	integer NOT NULL CHECK (target_level BETWEEN 1 AND 10),
	PRIMARY KEY (course_id, skill_id)
);
CREATE INDEX course_skills_skill ON course_skills (skill_id);

-- Prerequisites: other courses, or a level in a skill.  Cycles among
-- course prerequisites (and lesson prerequisites) are refused by the
-- application before insert (learn_ graph check), not by a trigger.
CREATE TABLE course_prereq_courses (
	course_id	bigint NOT NULL REFERENCES courses ON DELETE CASCADE,
	prereq_id	bigint NOT NULL REFERENCES courses ON DELETE CASCADE,
	PRIMARY KEY (course_id, prereq_id),
	CHECK (course_id <> prereq_id)
);

CREATE TABLE course_prereq_skills (
	course_id	bigint NOT NULL REFERENCES courses ON DELETE CASCADE,
	skill_id	bigint NOT NULL REFERENCES skills ON DELETE CASCADE,
	min_level	integer NOT NULL CHECK (min_level BETWEEN 1 AND 10),
	PRIMARY KEY (course_id, skill_id)
);

CREATE TABLE lesson_skills (
	lesson_id	bigint NOT NULL REFERENCES lessons ON DELETE CASCADE,
	skill_id	bigint NOT NULL REFERENCES skills ON DELETE CASCADE,
	PRIMARY KEY (lesson_id, skill_id)
);

CREATE TABLE lesson_prereqs (
	lesson_id	bigint NOT NULL REFERENCES lessons ON DELETE CASCADE,
	prereq_id	bigint NOT NULL REFERENCES lessons ON DELETE CASCADE,
	PRIMARY KEY (lesson_id, prereq_id),
	CHECK (lesson_id <> prereq_id)
);

-- Uploaded files: stored under a random key by src/out/storage (never
-- the client's name as a path), type sniffed from content.
CREATE TABLE uploads (
	id		bigserial PRIMARY KEY,
	owner_id	bigint REFERENCES users ON DELETE SET NULL,
	storage_key	text NOT NULL UNIQUE,
	content_type	text NOT NULL,
	size_bytes	bigint NOT NULL CHECK (size_bytes >= 0),
	original_name	text NOT NULL DEFAULT '',
	sha256		text NOT NULL,
	created_at	timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE courses
	ADD COLUMN cover_upload_id bigint REFERENCES uploads ON DELETE SET NULL,
	ADD COLUMN submitted_at	timestamptz,
	ADD COLUMN reviewed_by	bigint REFERENCES users ON DELETE SET NULL,
	ADD COLUMN reviewed_at	timestamptz,
	ADD COLUMN published_at	timestamptz;

ALTER TABLE lesson_progress
	ADD COLUMN time_spent_seconds integer NOT NULL DEFAULT 0
		CHECK (time_spent_seconds >= 0),
	ADD COLUMN last_seen_at	timestamptz NOT NULL DEFAULT now();

ALTER TABLE enrollments
	ADD COLUMN status text NOT NULL DEFAULT 'active'
		CHECK (status IN ('active', 'left', 'completed')),
	ADD COLUMN last_lesson_id bigint REFERENCES lessons ON DELETE SET NULL;

-- Learner events, declaratively partitioned by month.  The default
-- partition catches anything before the monthly partitions exist; the
-- background-jobs work creates and retires monthly partitions.
CREATE TABLE learner_events (
	id		bigserial,
	user_id		bigint NOT NULL,
	kind		text NOT NULL,
	course_id	bigint,
	lesson_id	bigint,
	payload		jsonb NOT NULL DEFAULT '{}',
	occurred_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (id, occurred_at)
) PARTITION BY RANGE (occurred_at);
CREATE TABLE learner_events_default PARTITION OF learner_events DEFAULT;
CREATE INDEX learner_events_user ON learner_events (user_id, occurred_at);

-- Mail waits here until the background worker sends it (issue 7).
CREATE TABLE email_outbox (
	id		bigserial PRIMARY KEY,
	to_addr		text NOT NULL,
	template	text NOT NULL,
	subject		text NOT NULL,
	body_text	text NOT NULL,
	created_at	timestamptz NOT NULL DEFAULT now(),
	next_attempt_at	timestamptz NOT NULL DEFAULT now(),
	attempts	integer NOT NULL DEFAULT 0,
	last_error	text,
	sent_at		timestamptz
);
CREATE INDEX email_outbox_pending ON email_outbox (next_attempt_at)
	WHERE sent_at IS NULL;
