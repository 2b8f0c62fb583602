-- Course generation from instructors' material (issue 8): uploaded
-- material, its passages (the per-course index), generation projects with
-- their generated items and the instructor's review, and the tutor's
-- conversations.
--
-- The rule the tables keep: nothing generated reaches learners until an
-- instructor approves it (generated_items.status = 'approved'); every item
-- keeps the passages it came from and the result of each quality check.

-- One uploaded file of material for a course, and where its processing
-- stands.  The upload row (uploads) holds the bytes; failed says why.
CREATE TABLE course_materials (
	id		bigserial PRIMARY KEY,
	course_id	bigint NOT NULL REFERENCES courses ON DELETE CASCADE,
	upload_id	bigint REFERENCES uploads ON DELETE SET NULL,
	name		text NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
	kind		text NOT NULL DEFAULT ''	-- pdf | markdown | text | html
			CHECK (kind IN ('', 'pdf', 'markdown', 'text', 'html')),
	status		text NOT NULL DEFAULT 'queued'
			CHECK (status IN ('queued', 'extracting', 'indexing',
			    'ready', 'failed')),
	reason		text NOT NULL DEFAULT '',	-- why it failed
	words		integer NOT NULL DEFAULT 0,
	passages	integer NOT NULL DEFAULT 0,
	created_by	bigint REFERENCES users ON DELETE SET NULL,
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX course_materials_course ON course_materials (course_id, id);

-- The index: passages split along headings and paragraphs (with overlap),
-- searched with full text first, then ranked by BM25 in liblearn.
CREATE TABLE material_passages (
	id		bigserial PRIMARY KEY,
	material_id	bigint NOT NULL REFERENCES course_materials
			    ON DELETE CASCADE,
	course_id	bigint NOT NULL REFERENCES courses ON DELETE CASCADE,
	seq		integer NOT NULL,	-- order in the material
	heading		text NOT NULL DEFAULT '',
	body		text NOT NULL,
	search		tsvector GENERATED ALWAYS AS
			    (to_tsvector('english', heading || ' ' || body))
			    STORED,
	UNIQUE (material_id, seq)
);
CREATE INDEX material_passages_course ON material_passages (course_id, id);
CREATE INDEX material_passages_search ON material_passages USING gin (search);

-- A generation run: what was asked (course or module, kinds, backend),
-- how it went, and the items it produced.
CREATE TABLE generation_projects (
	id		bigserial PRIMARY KEY,
	course_id	bigint NOT NULL REFERENCES courses ON DELETE CASCADE,
	module_id	bigint REFERENCES modules ON DELETE SET NULL,
	requested_by	bigint REFERENCES users ON DELETE SET NULL,
	inputs		jsonb NOT NULL DEFAULT '{}',	-- kinds, counts, level
	backend		text NOT NULL DEFAULT 'offline',	-- as run
	fallback_reason	text NOT NULL DEFAULT '',	-- llm -> offline, why
	status		text NOT NULL DEFAULT 'queued'
			CHECK (status IN ('queued', 'running', 'done',
			    'failed')),
	reason		text NOT NULL DEFAULT '',
	created_at	timestamptz NOT NULL DEFAULT now(),
	finished_at	timestamptz
);
CREATE INDEX generation_projects_course ON generation_projects
	(course_id, id);

CREATE TABLE generated_items (
	id		bigserial PRIMARY KEY,
	project_id	bigint NOT NULL REFERENCES generation_projects
			    ON DELETE CASCADE,
	kind		text NOT NULL CHECK (kind IN ('objective', 'lesson',
			    'single', 'truefalse', 'cloze', 'microlesson')),
	content		jsonb NOT NULL,		-- the item as generated/edited
	sources		bigint[] NOT NULL DEFAULT '{}',	-- material_passages
	checks		jsonb NOT NULL DEFAULT '{}',	-- check -> "ok" | reason
	passed		boolean NOT NULL DEFAULT false,	-- every check ok
	status		text NOT NULL DEFAULT 'pending'
			CHECK (status IN ('pending', 'approved', 'rejected')),
	review_note	text NOT NULL DEFAULT '',
	reviewed_by	bigint REFERENCES users ON DELETE SET NULL,
	reviewed_at	timestamptz,
	-- What an approved item became (a bank question, a lesson, an
	-- upload for a narrated micro-lesson).
	question_id	bigint REFERENCES questions ON DELETE SET NULL,
	lesson_id	bigint REFERENCES lessons ON DELETE SET NULL,
	created_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX generated_items_project ON generated_items (project_id, id);

-- The tutor: a learner's questions about a course and the answers, with
-- the passages cited (history per learner and course).
CREATE TABLE tutor_messages (
	id		bigserial PRIMARY KEY,
	user_id		bigint NOT NULL REFERENCES users ON DELETE CASCADE,
	course_id	bigint NOT NULL REFERENCES courses ON DELETE CASCADE,
	question	text NOT NULL CHECK (length(question) BETWEEN 1 AND 2000),
	answer		text NOT NULL,
	refused		boolean NOT NULL DEFAULT false,
	citations	bigint[] NOT NULL DEFAULT '{}',	-- material_passages
	backend		text NOT NULL DEFAULT 'offline',
	created_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tutor_messages_user ON tutor_messages (user_id, course_id, id);

-- Generated content personalised per (module, preference profile) is
-- cached: the second request for the same profile is served from here.
CREATE TABLE personalised_cache (
	module_id	bigint NOT NULL REFERENCES modules ON DELETE CASCADE,
	profile		text NOT NULL,		-- e.g. "level=2;pace=slow;ex=1"
	content		text NOT NULL,		-- rendered Markdown
	created_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (module_id, profile)
);
