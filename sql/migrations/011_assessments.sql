-- Assessments (issue 5, quiz): quizzes, attempts and their responses, the
-- adaptive diagnostic, and the learner model the answers update.
--
-- The rule the tables keep: a response is keyed by (attempt, seq), the
-- item's place in the attempt, so a retried or doubled answer is one row
-- (INSERT ... ON CONFLICT DO NOTHING) and counts once everywhere, since
-- the learner-model updates run in the same transaction and only when the
-- insert wrote a row.  An attempt keeps the question version it drew.

CREATE TABLE assessments (
	id		bigserial PRIMARY KEY,
	owner_id	bigint NOT NULL REFERENCES users ON DELETE CASCADE,
	title		text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
	lesson_id	bigint REFERENCES lessons ON DELETE SET NULL,
	module_id	bigint REFERENCES modules ON DELETE SET NULL,
	-- fixed: assessment_questions in order; random: draw_count questions
	-- with draw_skill_id, current difficulty in [draw_min, draw_max].
	mode		text NOT NULL DEFAULT 'fixed'
			CHECK (mode IN ('fixed', 'random')),
	draw_skill_id	bigint REFERENCES skills ON DELETE SET NULL,
	draw_min	integer NOT NULL DEFAULT 1 CHECK (draw_min BETWEEN 1 AND 10),
	draw_max	integer NOT NULL DEFAULT 10
			CHECK (draw_max BETWEEN 1 AND 10),
	draw_count	integer NOT NULL DEFAULT 5
			CHECK (draw_count BETWEEN 1 AND 100),
	pass_mark	integer NOT NULL DEFAULT 60
			CHECK (pass_mark BETWEEN 0 AND 100),
	attempts_allowed integer NOT NULL DEFAULT 0
			CHECK (attempts_allowed >= 0),	-- 0 = unlimited
	time_limit_s	integer CHECK (time_limit_s > 0),	-- NULL = none
	per_page	text NOT NULL DEFAULT 'question'
			CHECK (per_page IN ('question', 'quiz')),
	created_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX assessments_owner ON assessments (owner_id, id);

CREATE TABLE assessment_questions (
	assessment_id	bigint NOT NULL REFERENCES assessments
			    ON DELETE CASCADE,
	question_id	bigint NOT NULL REFERENCES questions ON DELETE CASCADE,
	position	integer NOT NULL,
	PRIMARY KEY (assessment_id, question_id)
);

-- An attempt at a quiz (assessment_id set) or a diagnostic (diag_skills
-- set, assessment_id NULL).  At most one open attempt per learner and quiz.
CREATE TABLE attempts (
	id		bigserial PRIMARY KEY,
	assessment_id	bigint REFERENCES assessments ON DELETE CASCADE,
	user_id		bigint NOT NULL REFERENCES users ON DELETE CASCADE,
	status		text NOT NULL DEFAULT 'open'
			CHECK (status IN ('open', 'submitted')),
	started_at	timestamptz NOT NULL DEFAULT now(),
	deadline	timestamptz,
	submitted_at	timestamptz,
	late		boolean NOT NULL DEFAULT false,
	score		double precision,	-- percent, at submit
	passed		boolean,
	diag_skills	bigint[],
	diag_target	integer CHECK (diag_target BETWEEN 1 AND 10),
	diag_max	integer CHECK (diag_max BETWEEN 1 AND 100),
	theta		double precision,	-- diagnostic: last estimate
	se		double precision
);
CREATE UNIQUE INDEX attempts_one_open ON attempts (assessment_id, user_id)
	WHERE status = 'open' AND assessment_id IS NOT NULL;
CREATE INDEX attempts_user ON attempts (user_id, id);

-- The items of an attempt, in order; shown_at is when a page first showed
-- it (the response time runs from there).
CREATE TABLE attempt_items (
	attempt_id	bigint NOT NULL REFERENCES attempts ON DELETE CASCADE,
	seq		integer NOT NULL CHECK (seq >= 1),
	question_id	bigint NOT NULL REFERENCES questions ON DELETE CASCADE,
	version_id	bigint NOT NULL REFERENCES question_versions
			    ON DELETE CASCADE,
	shown_at	timestamptz,
	PRIMARY KEY (attempt_id, seq),
	UNIQUE (attempt_id, question_id)
);

CREATE TABLE responses (
	attempt_id	bigint NOT NULL,
	seq		integer NOT NULL,
	version_id	bigint NOT NULL REFERENCES question_versions
			    ON DELETE CASCADE,
	answer		text NOT NULL,		-- as given, for review
	option_ids	bigint[] NOT NULL DEFAULT '{}',	-- chosen options
	correct		boolean NOT NULL,
	response_ms	integer NOT NULL CHECK (response_ms >= 0),
	answered_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (attempt_id, seq),
	FOREIGN KEY (attempt_id, seq) REFERENCES attempt_items
	    ON DELETE CASCADE
);
CREATE INDEX responses_version ON responses (version_id);

-- Item running statistics (per version: what was answered).
CREATE TABLE item_stats (
	version_id	bigint PRIMARY KEY REFERENCES question_versions
			    ON DELETE CASCADE,
	attempts	integer NOT NULL DEFAULT 0,
	correct		integer NOT NULL DEFAULT 0,
	sum_ms		bigint NOT NULL DEFAULT 0
);

-- BKT parameters per skill; a skill without a row uses the defaults in
-- attempt.c until a fit writes one.
CREATE TABLE skill_bkt_params (
	skill_id	bigint PRIMARY KEY REFERENCES skills ON DELETE CASCADE,
	prior		double precision NOT NULL,
	learn		double precision NOT NULL,
	guess		double precision NOT NULL,
	slip		double precision NOT NULL,
	fitted_at	timestamptz NOT NULL DEFAULT now()
);

-- The learner model per (learner, skill): BKT P(known), an Elo ability on
-- the IRT scale, and the 1..10 level as an exponentially weighted mean of
-- recent evidence.
CREATE TABLE learner_skill_state (
	user_id		bigint NOT NULL REFERENCES users ON DELETE CASCADE,
	skill_id	bigint NOT NULL REFERENCES skills ON DELETE CASCADE,
	p_known		double precision NOT NULL,
	theta		double precision NOT NULL DEFAULT 0,
	n		integer NOT NULL DEFAULT 0,
	level		double precision NOT NULL,
	updated_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (user_id, skill_id)
);

-- The learner's overall Elo ability across items.
CREATE TABLE learner_ability (
	user_id		bigint PRIMARY KEY REFERENCES users ON DELETE CASCADE,
	theta		double precision NOT NULL DEFAULT 0,
	n		integer NOT NULL DEFAULT 0
);
