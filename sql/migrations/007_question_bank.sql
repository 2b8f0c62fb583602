-- Question bank (issue 5): questions owned by an instructor, versioned,
-- with options that keep their ids, skills from the global skills table,
-- authored difficulty and IRT parameters per version.
--
-- The versioning rule the attempts work relies on: a version with any
-- recorded response is immutable.  The attempts code sets
-- question_versions.locked = true (statement bank_version_lock) in the
-- transaction that records the first response to it; from then on an
-- edit of the question writes a new version (questions.current_version
-- moves on) and the locked one stays as the attempts saw it, options and
-- all.  The triggers below refuse any change to a locked version's content
-- or options (IRT columns stay writable for calibration), so a bug cannot
-- rewrite what a learner answered.

CREATE TABLE questions (
	id		bigserial PRIMARY KEY,
	owner_id	bigint NOT NULL REFERENCES users ON DELETE CASCADE,
	kind		text NOT NULL CHECK (kind IN ('single', 'multiple',
			    'truefalse', 'numeric', 'short', 'ordering')),
	current_version	integer NOT NULL DEFAULT 1,
	-- Set instead of deleting when a version is locked (answers exist).
	archived_at	timestamptz,
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX questions_owner ON questions (owner_id, id)
	WHERE archived_at IS NULL;

CREATE TABLE question_versions (
	id		bigserial PRIMARY KEY,
	question_id	bigint NOT NULL REFERENCES questions ON DELETE CASCADE,
	version		integer NOT NULL CHECK (version >= 1),
	title		text NOT NULL DEFAULT ''
			CHECK (length(title) <= 200),
	stem		text NOT NULL CHECK (length(stem) BETWEEN 1 AND 10000),
	explanation	text NOT NULL DEFAULT ''
			CHECK (length(explanation) <= 10000),
	difficulty	integer NOT NULL CHECK (difficulty BETWEEN 1 AND 10),
	-- 3PL item parameters.  Until calibrated, b is the authored
	-- difficulty on the ability scale, (difficulty - 5.5) / 1.5
	-- (qb_difficulty_b), a = 1 and c = 0; a refit sets them, the flag,
	-- the time and how many responses it used.
	irt_a		double precision NOT NULL DEFAULT 1 CHECK (irt_a > 0),
	irt_b		double precision NOT NULL,
	irt_c		double precision NOT NULL DEFAULT 0
			CHECK (irt_c >= 0 AND irt_c < 1),
	irt_calibrated	boolean NOT NULL DEFAULT false,
	irt_calibrated_at timestamptz,
	irt_n		integer NOT NULL DEFAULT 0 CHECK (irt_n >= 0),
	locked		boolean NOT NULL DEFAULT false,
	created_by	bigint REFERENCES users ON DELETE SET NULL,
	created_at	timestamptz NOT NULL DEFAULT now(),
	UNIQUE (question_id, version)
);

-- One row per option.  Its meaning follows the question's kind: a choice
-- (single, multiple), "True"/"False" (truefalse), a value with tolerance
-- (numeric: matched first to last, num_value +- num_tolerance), an
-- accepted answer (short: all is_correct, matched after normalising case
-- and blanks), an item (ordering: position is the correct order; pages
-- show them shuffled).  Ids are stable while the version is edited in
-- place and never reused, so a response can name the option it chose.
CREATE TABLE question_options (
	id		bigserial PRIMARY KEY,
	version_id	bigint NOT NULL REFERENCES question_versions
			    ON DELETE CASCADE,
	position	integer NOT NULL CHECK (position BETWEEN 1 AND 10),
	body		text NOT NULL DEFAULT ''
			CHECK (length(body) <= 1000),
	is_correct	boolean NOT NULL DEFAULT false,
	num_value	double precision,
	num_tolerance	double precision CHECK (num_tolerance >= 0),
	feedback	text NOT NULL DEFAULT ''
			CHECK (length(feedback) <= 1000)
);
CREATE INDEX question_options_version ON question_options
	(version_id, position);

-- Skills belong to the question (all its versions): a fix of wording
-- does not change what it assesses, and draws by skill need one row.
CREATE TABLE question_skills (
	question_id	bigint NOT NULL REFERENCES questions ON DELETE CASCADE,
	skill_id	bigint NOT NULL REFERENCES skills ON DELETE CASCADE,
	PRIMARY KEY (question_id, skill_id)
);
CREATE INDEX question_skills_skill ON question_skills (skill_id);

CREATE FUNCTION question_version_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF OLD.locked AND (NOT NEW.locked OR
	    (NEW.question_id, NEW.version, NEW.title, NEW.stem,
	     NEW.explanation, NEW.difficulty) IS DISTINCT FROM
	    (OLD.question_id, OLD.version, OLD.title, OLD.stem,
	     OLD.explanation, OLD.difficulty)) THEN
		RAISE EXCEPTION 'question version % is locked (it has '
		    'responses): write a new version', OLD.id
		    USING ERRCODE = 'check_violation';
	END IF;
	RETURN NEW;
END $$;
CREATE TRIGGER question_versions_guard BEFORE UPDATE ON question_versions
	FOR EACH ROW EXECUTE FUNCTION question_version_guard();

CREATE FUNCTION question_option_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF EXISTS (SELECT 1 FROM question_versions
	    WHERE id = NEW.version_id AND locked) OR (TG_OP = 'UPDATE' AND
	    EXISTS (SELECT 1 FROM question_versions
	    WHERE id = OLD.version_id AND locked)) THEN
		RAISE EXCEPTION 'question version % is locked (it has '
		    'responses): write a new version', NEW.version_id
		    USING ERRCODE = 'check_violation';
	END IF;
	RETURN NEW;
END $$;
CREATE TRIGGER question_options_guard BEFORE INSERT OR UPDATE
	ON question_options
	FOR EACH ROW EXECUTE FUNCTION question_option_guard();
