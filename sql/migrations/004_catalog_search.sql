-- Catalog search (issue 4): a weighted tsvector per course -- title (A),
-- summary and the names of the skills it teaches (B), module titles and
-- lesson text (C) -- kept current by triggers, with a GIN index, plus the
-- indexes the catalog's filters use.
--
-- The design decision: each lesson keeps its own tsvector (lessons.
-- search_doc, set by a row trigger when its title or body changes), and a
-- course's document is the concatenation of its lessons' documents, so a
-- change to one lesson re-parses only that lesson and re-assembles only its
-- course.  Child tables use statement-level triggers with transition
-- tables: a bulk INSERT of many lessons refreshes each affected course once,
-- never the whole catalog.  The lesson documents also serve the search
-- snippets (which lesson matched).  Text search configuration: english,
-- for every course whatever its language.

ALTER TABLE lessons ADD COLUMN search_doc tsvector NOT NULL DEFAULT ''::tsvector;
ALTER TABLE courses ADD COLUMN search_doc tsvector NOT NULL DEFAULT ''::tsvector;

-- tsvector || tsvector as an aggregate (positions shifted, as || does).
CREATE AGGREGATE tsvector_agg(tsvector) (
	SFUNC = tsvector_concat, STYPE = tsvector, INITCOND = ''
);

CREATE FUNCTION lesson_search_doc(text, text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT to_tsvector('english'::regconfig, $1 || ' ' || $2)
$$;

-- The document of course $1 with title $2 and summary $3 (passed in so the
-- BEFORE trigger on courses can use NEW's values).
CREATE FUNCTION course_search_doc(bigint, text, text) RETURNS tsvector
LANGUAGE sql STABLE AS $$
	SELECT setweight(to_tsvector('english'::regconfig, $2), 'A')
	    || setweight(to_tsvector('english'::regconfig, $3), 'B')
	    || setweight(to_tsvector('english'::regconfig, COALESCE(
		(SELECT string_agg(s.name, ' ' ORDER BY s.id)
		 FROM course_skills cs JOIN skills s ON s.id = cs.skill_id
		 WHERE cs.course_id = $1), '')), 'B')
	    || setweight(COALESCE(
		(SELECT tsvector_agg(x.doc ORDER BY x.mpos, x.lpos)
		 FROM (SELECT m.position AS mpos, 0 AS lpos,
			      to_tsvector('english'::regconfig, m.title) AS doc
		       FROM modules m WHERE m.course_id = $1
		       UNION ALL
		       SELECT m.position, l.position, l.search_doc
		       FROM modules m JOIN lessons l ON l.module_id = m.id
		       WHERE m.course_id = $1) x), ''::tsvector), 'C')
$$;

-- Recomputes the documents of the courses listed (and only those).
CREATE FUNCTION course_search_refresh(bigint[]) RETURNS void
LANGUAGE sql AS $$
	UPDATE courses c SET search_doc = course_search_doc(c.id, c.title, c.summary)
	WHERE c.id = ANY ($1)
$$;

CREATE FUNCTION courses_search_trg() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	NEW.search_doc := course_search_doc(NEW.id, NEW.title, NEW.summary);
	RETURN NEW;
END
$$;
CREATE TRIGGER courses_search BEFORE INSERT OR UPDATE OF title, summary
	ON courses FOR EACH ROW EXECUTE FUNCTION courses_search_trg();

CREATE FUNCTION lessons_doc_trg() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	NEW.search_doc := lesson_search_doc(NEW.title, NEW.body_md);
	RETURN NEW;
END
$$;
CREATE TRIGGER lessons_doc BEFORE INSERT OR UPDATE OF title, body_md
	ON lessons FOR EACH ROW EXECUTE FUNCTION lessons_doc_trg();

-- Statement triggers: a transition table exists only for its own event,
-- and PL/pgSQL plans a statement when it first runs it, so each branch
-- names only the tables its event has.
CREATE FUNCTION lessons_course_trg() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		PERFORM course_search_refresh(ARRAY(
		    SELECT DISTINCT m.course_id FROM new_rows n
		    JOIN modules m ON m.id = n.module_id));
	ELSIF TG_OP = 'DELETE' THEN
		PERFORM course_search_refresh(ARRAY(
		    SELECT DISTINCT m.course_id FROM old_rows o
		    JOIN modules m ON m.id = o.module_id));
	ELSE
		PERFORM course_search_refresh(ARRAY(
		    SELECT DISTINCT m.course_id FROM old_rows o
		    JOIN new_rows n ON n.id = o.id
		    JOIN modules m ON m.id IN (o.module_id, n.module_id)
		    WHERE o.title <> n.title OR o.body_md <> n.body_md
		       OR o.module_id <> n.module_id));
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER lessons_course_ins AFTER INSERT ON lessons
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION lessons_course_trg();
CREATE TRIGGER lessons_course_upd AFTER UPDATE ON lessons
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION lessons_course_trg();
CREATE TRIGGER lessons_course_del AFTER DELETE ON lessons
	REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION lessons_course_trg();

CREATE FUNCTION modules_course_trg() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		PERFORM course_search_refresh(ARRAY(
		    SELECT DISTINCT course_id FROM new_rows));
	ELSIF TG_OP = 'DELETE' THEN
		PERFORM course_search_refresh(ARRAY(
		    SELECT DISTINCT course_id FROM old_rows));
	ELSE
		PERFORM course_search_refresh(ARRAY(
		    SELECT o.course_id FROM old_rows o JOIN new_rows n
		    ON n.id = o.id
		    WHERE o.title <> n.title OR o.course_id <> n.course_id
		    UNION
		    SELECT n.course_id FROM old_rows o JOIN new_rows n
		    ON n.id = o.id
		    WHERE o.title <> n.title OR o.course_id <> n.course_id));
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER modules_course_ins AFTER INSERT ON modules
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION modules_course_trg();
CREATE TRIGGER modules_course_upd AFTER UPDATE ON modules
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION modules_course_trg();
CREATE TRIGGER modules_course_del AFTER DELETE ON modules
	REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION modules_course_trg();

CREATE FUNCTION course_skills_course_trg() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		PERFORM course_search_refresh(ARRAY(
		    SELECT DISTINCT course_id FROM new_rows));
	ELSIF TG_OP = 'DELETE' THEN
		PERFORM course_search_refresh(ARRAY(
		    SELECT DISTINCT course_id FROM old_rows));
	ELSE
		PERFORM course_search_refresh(ARRAY(
		    SELECT course_id FROM old_rows
		    UNION SELECT course_id FROM new_rows));
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER course_skills_course_ins AFTER INSERT ON course_skills
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION course_skills_course_trg();
CREATE TRIGGER course_skills_course_upd AFTER UPDATE ON course_skills
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION course_skills_course_trg();
CREATE TRIGGER course_skills_course_del AFTER DELETE ON course_skills
	REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION course_skills_course_trg();

-- A renamed skill changes the documents of the courses that teach it (a
-- deleted one cascades to course_skills, whose trigger handles it).
CREATE FUNCTION skills_course_trg() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM course_search_refresh(ARRAY(
	    SELECT DISTINCT cs.course_id FROM old_rows o
	    JOIN new_rows n ON n.id = o.id
	    JOIN course_skills cs ON cs.skill_id = n.id
	    WHERE o.name <> n.name));
	RETURN NULL;
END
$$;
CREATE TRIGGER skills_course_upd AFTER UPDATE ON skills
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION skills_course_trg();

-- Documents for whatever exists already (the demo course).
UPDATE lessons SET search_doc = lesson_search_doc(title, body_md);
UPDATE courses SET search_doc = course_search_doc(id, title, summary);

-- The search query of the catalog: websearch syntax ("phrases", OR,
-- -word), with the last word also matched as a prefix when the input ends
-- in a bare word (not negated, not inside an open quote), so "statis"
-- finds "statistics" while typing.  Never raises on user input:
-- websearch_to_tsquery has no syntax errors, and the prefix term is built
-- from [[:alnum:]] characters only.  An input of stop words alone gives an
-- NULL query (nothing matches), which the caller reports.
CREATE FUNCTION catalog_tsquery(text) RETURNS tsquery
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
	q	text := left(COALESCE($1, ''), 1000);
	m	text[];
	head	text;
	lastq	tsquery;
	orjoin	boolean := false;
BEGIN
	IF to_tsvector('english', q) = ''::tsvector THEN
		RETURN NULL;
	END IF;
	IF (length(q) - length(replace(q, '"', ''))) % 2 = 1 THEN
		RETURN websearch_to_tsquery('english', q);
	END IF;
	m := regexp_match(q, '^(.*?)([[:alnum:]]+)$');
	IF m IS NULL OR (m[1] <> '' AND m[1] !~ '[[:space:]"]$') THEN
		RETURN websearch_to_tsquery('english', q);
	END IF;
	head := m[1];
	IF head ~* '(^|[[:space:]])or[[:space:]]+$' THEN
		head := regexp_replace(head, '(^|[[:space:]])or[[:space:]]+$',
		    '\1', 'i');
		orjoin := true;
	END IF;
	-- (to_tsvector first: to_tsquery and websearch_to_tsquery log a
	-- NOTICE for stop words, to_tsvector does not.)
	IF to_tsvector('english', m[2]) = ''::tsvector THEN
		lastq := NULL;
	ELSE
		lastq := websearch_to_tsquery('english', m[2])
		    || to_tsquery('english', m[2] || ':*');
	END IF;
	IF to_tsvector('english', head) = ''::tsvector THEN
		RETURN lastq;
	END IF;
	IF lastq IS NULL THEN
		RETURN websearch_to_tsquery('english', head);
	END IF;
	IF orjoin THEN
		RETURN websearch_to_tsquery('english', head) || lastq;
	END IF;
	RETURN websearch_to_tsquery('english', head) && lastq;
END
$$;

CREATE INDEX courses_search ON courses USING gin (search_doc)
	WHERE status = 'published';
CREATE INDEX courses_pub_recent ON courses (published_at DESC NULLS LAST, id DESC)
	WHERE status = 'published';
CREATE INDEX courses_pub_level ON courses (level) WHERE status = 'published';
CREATE INDEX courses_pub_language ON courses (language)
	WHERE status = 'published';
CREATE INDEX courses_pub_hours ON courses (estimated_hours)
	WHERE status = 'published';
CREATE INDEX enrollments_user ON enrollments (user_id, status);
CREATE INDEX learner_events_course ON learner_events (course_id, occurred_at);
