-- Catalog speed (issue 4's bench: 10,000 courses, 200,000 lessons).
--
-- The design decision: the search ranks by a small "head" document per
-- course -- title (A), summary and the names of the skills it teaches (B)
-- -- kept beside the full document (migration 004) by the same triggers.
-- The full document (~16 kB, TOASTed) still decides which courses match
-- (GIN index courses_search), but is never read per match: ranking it
-- meant de-TOASTing every match (about 50 us each, 85 ms for a word in a
-- fifth of the catalog).  The head document is a few hundred bytes stored
-- in the row, so ranking every match costs about a microsecond each.
-- Courses whose head does not match (the words are only in module titles
-- or lesson text) rank after those whose head does, newest first.

ALTER TABLE courses ADD COLUMN head_doc tsvector NOT NULL DEFAULT ''::tsvector;

-- The head document is the full one's title, summary and skills: its
-- lexemes of weight A or B (course_search_doc, migrations 004 and 028,
-- puts module titles and lessons at C; 028's configuration marker has no
-- position, so no weight, and stays out).  courses_search_trg is 028's
-- with the head document added.
CREATE OR REPLACE FUNCTION course_search_refresh(bigint[]) RETURNS void
LANGUAGE sql AS $$
	UPDATE courses c SET search_doc = d.doc, head_doc = ts_filter(d.doc, '{a,b}')
	FROM (SELECT x.id, course_search_doc(x.id, x.title, x.summary) AS doc
	      FROM courses x WHERE x.id = ANY ($1)) d
	WHERE c.id = d.id
$$;

CREATE OR REPLACE FUNCTION courses_search_trg() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	NEW.search_doc := course_search_doc(NEW.id, NEW.title, NEW.summary,
	    course_regconfig(NEW.language));
	NEW.head_doc := ts_filter(NEW.search_doc, '{a,b}');
	RETURN NEW;
END
$$;

UPDATE courses SET head_doc = ts_filter(search_doc, '{a,b}');

-- A skill prerequisite not met suggests the published course teaching the
-- skill at the lowest sufficient level: read in that order from the index
-- (the first published row), not sorted from every course teaching it.
CREATE INDEX course_skills_skill_level
	ON course_skills (skill_id, target_level, course_id);
DROP INDEX course_skills_skill;

-- The course as user $2 sees it ($3: an admin), or no row when it is a
-- draft, under review or rejected and they are neither its author nor an
-- admin.  Columns: id, title, summary, level, language, estimated hours,
-- status, instructor name, author id, enrolment status ('' = none), last
-- lesson id (0 = none), lessons, lessons completed by the user, minutes
-- of all lessons.  A SQL function so that the course page's single
-- statement and learning_course_get share it (it is inlined).
CREATE FUNCTION course_view(bigint, bigint, boolean)
RETURNS TABLE (id bigint, title text, summary text, level text,
    language text, hours text, status text, instructor text,
    author_id bigint, enrol text, last_lesson bigint, nlessons bigint,
    ndone bigint, minutes bigint)
LANGUAGE sql STABLE AS $$
	SELECT c.id, c.title, c.summary, c.level, c.language,
	       c.estimated_hours::text, c.status, u.full_name, c.author_id,
	       COALESCE(e.status, ''), COALESCE(e.last_lesson_id, 0),
	       s.nlessons, s.ndone, s.minutes
	FROM courses c
	JOIN users u ON u.id = c.author_id
	LEFT JOIN enrollments e ON e.course_id = c.id AND e.user_id = $2
	CROSS JOIN LATERAL (
		SELECT count(l.id) AS nlessons,
		       count(lp.lesson_id) AS ndone,
		       COALESCE(sum(l.estimated_minutes), 0)::bigint AS minutes
		FROM modules m
		JOIN lessons l ON l.module_id = m.id
		LEFT JOIN lesson_progress lp ON lp.lesson_id = l.id
		     AND lp.user_id = $2 AND lp.status = 'completed'
		WHERE m.course_id = c.id) s
	WHERE c.id = $1
	  AND (c.status = 'published' OR c.author_id = $2 OR $3)
$$;

-- The choices of the catalog's skill and language filters, kept in a
-- small table maintained on write rather than recomputed per request, in
-- the catalog statements' row shape (part, order, value, label): 'k' the
-- skills by name, 'l' the languages of published courses.  Triggers
-- rebuild one part when skills change, or when courses are added or
-- removed or change language or status (an edit of a title or a body
-- does not touch it).  A rebuild takes the table's lock first, so two at
-- once run one after the other, the second seeing the first's rows.
CREATE TABLE catalog_choices (
	part	text NOT NULL CHECK (part IN ('k', 'l')),
	ord	bigint NOT NULL,
	value	text NOT NULL,
	label	text NOT NULL,
	PRIMARY KEY (part, ord)
);

CREATE FUNCTION catalog_choices_rebuild(text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	LOCK TABLE catalog_choices IN EXCLUSIVE MODE;
	DELETE FROM catalog_choices WHERE part = $1;
	IF $1 = 'k' THEN
		INSERT INTO catalog_choices
		SELECT 'k', row_number() OVER (ORDER BY lower(s.name)),
		       s.id::text, s.name
		FROM skills s ORDER BY lower(s.name) LIMIT 500;
	ELSE
		-- Skips through the partial index courses_pub_language one
		-- value at a time (a DISTINCT would read every course).
		INSERT INTO catalog_choices
		WITH RECURSIVE l(v) AS (
			SELECT min(language) FROM courses
			WHERE status = 'published'
			UNION ALL
			SELECT (SELECT min(language) FROM courses
				WHERE status = 'published' AND language > l.v)
			FROM l WHERE l.v IS NOT NULL)
		SELECT 'l', row_number() OVER (ORDER BY v), v, v
		FROM l WHERE v IS NOT NULL LIMIT 50;
	END IF;
END
$$;

-- Deferred to the commit and run once per transaction and part, like the
-- version's triggers below (and for the same reason: the lock is taken
-- after the transaction's row locks, so it cannot close a deadlock).
CREATE FUNCTION catalog_choices_trg() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF coalesce(current_setting('adept.choices_' || TG_ARGV[0], true), '')
	    <> 'on' THEN
		PERFORM catalog_choices_rebuild(TG_ARGV[0]);
		PERFORM set_config('adept.choices_' || TG_ARGV[0], 'on', true);
	END IF;
	RETURN NULL;
END
$$;
CREATE CONSTRAINT TRIGGER catalog_choices_skills
	AFTER INSERT OR DELETE OR UPDATE OF name ON skills
	DEFERRABLE INITIALLY DEFERRED
	FOR EACH ROW EXECUTE FUNCTION catalog_choices_trg('k');
CREATE CONSTRAINT TRIGGER catalog_choices_courses
	AFTER INSERT OR DELETE OR UPDATE OF language, status ON courses
	DEFERRABLE INITIALLY DEFERRED
	FOR EACH ROW EXECUTE FUNCTION catalog_choices_trg('l');

SELECT catalog_choices_rebuild('k');
SELECT catalog_choices_rebuild('l');

-- The catalog's version: one number, moved on by every transaction that
-- changes a table search results are made of (courses, their modules,
-- lessons and skills, and skills themselves).  A search result is cached
-- under the version its statement saw (catalog_search in
-- sql/queries/catalog.sql reads both in one snapshot) and served only while
-- that is still the version, so a change is visible to the first search
-- after its commit.  The triggers are deferred to the commit and add one
-- once per transaction: the version row is locked only for the commit
-- itself, after the transaction's other row locks, so two catalog edits
-- cannot deadlock on it (they queue for a moment at commit), and the new
-- version becomes visible together with the change.  (TRUNCATE is not
-- covered: the site never truncates these tables.)
CREATE TABLE catalog_version (
	one	boolean PRIMARY KEY DEFAULT true CHECK (one),
	version	bigint NOT NULL
);
INSERT INTO catalog_version VALUES (true, 1);

CREATE FUNCTION catalog_version_bump() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF coalesce(current_setting('adept.catalog_bumped', true), '')
	    <> 'on' THEN
		UPDATE catalog_version SET version = version + 1;
		PERFORM set_config('adept.catalog_bumped', 'on', true);
	END IF;
	RETURN NULL;
END
$$;
DO $$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['courses', 'modules', 'lessons',
	    'course_skills', 'skills'] LOOP
		EXECUTE format('CREATE CONSTRAINT TRIGGER catalog_version_%s '
		    'AFTER INSERT OR UPDATE OR DELETE ON %I '
		    'DEFERRABLE INITIALLY DEFERRED '
		    'FOR EACH ROW EXECUTE FUNCTION catalog_version_bump()', t, t);
	END LOOP;
END
$$;

-- Search results, one page each: the matches' count, the query's terms,
-- and the page's course ids with their snippets (the courses' own columns
-- are joined when served, so they are always current).  Direct-mapped:
-- a key (the search text and filters) has one slot of 4,096, a new entry
-- replaces whatever was there, so the table never holds more than 4,096
-- entries whatever is searched.  UNLOGGED: a cache, lost in a crash, not
-- written to the WAL (a search that fills it does not wait for a flush).
CREATE UNLOGGED TABLE catalog_search_cache (
	slot		integer PRIMARY KEY CHECK (slot BETWEEN 0 AND 4095),
	key		text NOT NULL,
	version		bigint NOT NULL,
	total		bigint NOT NULL,
	terms		integer NOT NULL,
	ids		bigint[] NOT NULL,
	snippets	text[] NOT NULL,
	lessons		text[] NOT NULL
);
