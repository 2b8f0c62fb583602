-- Full-text search in the course's language (issue 4).  Migration 004
-- parsed every course with the english configuration whatever its
-- language, so a French course was not found by an inflected French word.
--
-- The design decision: a course's language code (courses.language, a
-- BCP 47-like tag such as "fr" or "pt-BR") picks the text search
-- configuration of its documents: course_regconfig() maps the primary
-- subtag of every language PostgreSQL ships a stemmer for, and 'simple'
-- (no stemming, no stop words) for the others.  The course document and
-- its lessons' documents are built with it: a lesson takes its course's
-- configuration through its module, and a course whose language changes
-- re-parses its lessons and re-assembles its document (the write that
-- changes a language is rare; a lesson or title edit costs what it did).
-- A search is parsed with the configuration of the language filter when
-- there is one; without one, with every configuration in use by published
-- courses (and english), and each course must match the query of its own
-- configuration: every document carries a marker lexeme naming its
-- configuration ("~french": the parser never makes a lexeme with "~", so
-- no search text can match it), and the query is the OR over
-- configurations of (that configuration's query AND its marker).  So an
-- exclusion ("-word") excludes under the course's own stemming, and the
-- whole test stays inside the GIN index (no per-row re-check of the
-- document).  Ranking and snippets use the same OR without the markers
-- (ts_rank_cd ignores lexemes without positions, so a query needing one
-- would rank 0).  The functions and triggers of 004 keep their names and
-- signatures (the 3-argument course_search_doc looks the course's
-- language up), so callers written against 004 get these documents.

-- ISO 639-1 code (the part before any "-", any case) -> configuration.
CREATE FUNCTION course_regconfig(text) RETURNS regconfig
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT CASE lower(split_part(COALESCE($1, ''), '-', 1))
		WHEN 'en' THEN 'english'::regconfig
		WHEN 'fr' THEN 'french'::regconfig
		WHEN 'de' THEN 'german'::regconfig
		WHEN 'es' THEN 'spanish'::regconfig
		WHEN 'it' THEN 'italian'::regconfig
		WHEN 'pt' THEN 'portuguese'::regconfig
		WHEN 'nl' THEN 'dutch'::regconfig
		WHEN 'da' THEN 'danish'::regconfig
		WHEN 'sv' THEN 'swedish'::regconfig
		WHEN 'no' THEN 'norwegian'::regconfig
		WHEN 'nb' THEN 'norwegian'::regconfig
		WHEN 'nn' THEN 'norwegian'::regconfig
		WHEN 'fi' THEN 'finnish'::regconfig
		WHEN 'hu' THEN 'hungarian'::regconfig
		WHEN 'ro' THEN 'romanian'::regconfig
		WHEN 'ru' THEN 'russian'::regconfig
		WHEN 'tr' THEN 'turkish'::regconfig
		WHEN 'ca' THEN 'catalan'::regconfig
		WHEN 'eu' THEN 'basque'::regconfig
		WHEN 'el' THEN 'greek'::regconfig
		WHEN 'ga' THEN 'irish'::regconfig
		WHEN 'id' THEN 'indonesian'::regconfig
		WHEN 'lt' THEN 'lithuanian'::regconfig
		WHEN 'ne' THEN 'nepali'::regconfig
		WHEN 'sr' THEN 'serbian'::regconfig
		WHEN 'ta' THEN 'tamil'::regconfig
		WHEN 'hi' THEN 'hindi'::regconfig
		WHEN 'ar' THEN 'arabic'::regconfig
		WHEN 'hy' THEN 'armenian'::regconfig
		WHEN 'yi' THEN 'yiddish'::regconfig
		ELSE 'simple'::regconfig
	END
$$;

-- The marker lexeme of configuration $1, as a document ("'~english'",
-- no position) and as a query.
CREATE FUNCTION search_marker_doc(regconfig) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT array_to_tsvector(ARRAY['~' || $1::text])
$$;
CREATE FUNCTION search_marker_query(regconfig) RETURNS tsquery
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT quote_literal('~' || $1::text)::tsquery
$$;

CREATE FUNCTION lesson_search_doc(regconfig, text, text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT to_tsvector($1, $2 || ' ' || $3) || search_marker_doc($1)
$$;

-- The document of course $1 with title $2, summary $3, configuration $4
-- (004's body with $4 for 'english').
CREATE FUNCTION course_search_doc(bigint, text, text, regconfig)
RETURNS tsvector
LANGUAGE sql STABLE AS $$
	SELECT setweight(to_tsvector($4, $2), 'A')
	    || setweight(to_tsvector($4, $3), 'B')
	    || setweight(to_tsvector($4, COALESCE(
		(SELECT string_agg(s.name, ' ' ORDER BY s.id)
		 FROM course_skills cs JOIN skills s ON s.id = cs.skill_id
		 WHERE cs.course_id = $1), '')), 'B')
	    || setweight(COALESCE(
		(SELECT tsvector_agg(x.doc ORDER BY x.mpos, x.lpos)
		 FROM (SELECT m.position AS mpos, 0 AS lpos,
			      to_tsvector($4, m.title) AS doc
		       FROM modules m WHERE m.course_id = $1
		       UNION ALL
		       SELECT m.position, l.position, l.search_doc
		       FROM modules m JOIN lessons l ON l.module_id = m.id
		       WHERE m.course_id = $1) x), ''::tsvector), 'C')
	    || search_marker_doc($4)
$$;

-- 004's signature, used by course_search_refresh: the course's own
-- language (english for a course not stored yet).
CREATE OR REPLACE FUNCTION course_search_doc(bigint, text, text)
RETURNS tsvector
LANGUAGE sql STABLE AS $$
	SELECT course_search_doc($1, $2, $3, COALESCE(
	    (SELECT course_regconfig(c.language) FROM courses c
	     WHERE c.id = $1), 'english'::regconfig))
$$;

-- The row triggers: NEW's language (not the stored one) for the course,
-- the course's (through NEW's module) for a lesson.
CREATE OR REPLACE FUNCTION courses_search_trg() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	NEW.search_doc := course_search_doc(NEW.id, NEW.title, NEW.summary,
	    course_regconfig(NEW.language));
	RETURN NEW;
END
$$;
DROP TRIGGER courses_search ON courses;
CREATE TRIGGER courses_search BEFORE INSERT OR UPDATE OF title, summary,
	language ON courses FOR EACH ROW EXECUTE FUNCTION courses_search_trg();

CREATE OR REPLACE FUNCTION lessons_doc_trg() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	NEW.search_doc := lesson_search_doc(COALESCE(
	    (SELECT course_regconfig(c.language) FROM modules m
	     JOIN courses c ON c.id = m.course_id WHERE m.id = NEW.module_id),
	    'english'::regconfig), NEW.title, NEW.body_md);
	RETURN NEW;
END
$$;
DROP TRIGGER lessons_doc ON lessons;
CREATE TRIGGER lessons_doc BEFORE INSERT OR UPDATE OF title, body_md,
	module_id ON lessons FOR EACH ROW EXECUTE FUNCTION lessons_doc_trg();

-- A course whose language changed: its lessons re-parsed, then its
-- document re-assembled from them (the BEFORE trigger used the old lesson
-- documents).  Setting search_doc alone fires neither lessons_doc nor a
-- course refresh from lessons_course_upd (no title, body or module
-- changed), nor courses_search.
CREATE FUNCTION courses_language_trg() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	UPDATE lessons l SET search_doc = lesson_search_doc(
	    course_regconfig(NEW.language), l.title, l.body_md)
	FROM modules m WHERE m.id = l.module_id AND m.course_id = NEW.id;
	PERFORM course_search_refresh(ARRAY[NEW.id]);
	RETURN NULL;
END
$$;
CREATE TRIGGER courses_language AFTER UPDATE OF language ON courses
	FOR EACH ROW WHEN (course_regconfig(OLD.language) IS DISTINCT FROM
	    course_regconfig(NEW.language))
	EXECUTE FUNCTION courses_language_trg();

-- 004's query builder with the configuration as a parameter: websearch
-- syntax, the last bare word also as a prefix; NULL when the text has no
-- word this configuration keeps.
CREATE FUNCTION catalog_tsquery(text, regconfig) RETURNS tsquery
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
	q	text := left(COALESCE($1, ''), 1000);
	cfg	regconfig := $2;
	m	text[];
	head	text;
	lastq	tsquery;
	orjoin	boolean := false;
BEGIN
	IF to_tsvector(cfg, q) = ''::tsvector THEN
		RETURN NULL;
	END IF;
	IF (length(q) - length(replace(q, '"', ''))) % 2 = 1 THEN
		RETURN websearch_to_tsquery(cfg, q);
	END IF;
	m := regexp_match(q, '^(.*?)([[:alnum:]]+)$');
	IF m IS NULL OR (m[1] <> '' AND m[1] !~ '[[:space:]"]$') THEN
		RETURN websearch_to_tsquery(cfg, q);
	END IF;
	head := m[1];
	IF head ~* '(^|[[:space:]])or[[:space:]]+$' THEN
		head := regexp_replace(head, '(^|[[:space:]])or[[:space:]]+$',
		    '\1', 'i');
		orjoin := true;
	END IF;
	IF to_tsvector(cfg, m[2]) = ''::tsvector THEN
		lastq := NULL;
	ELSE
		lastq := websearch_to_tsquery(cfg, m[2])
		    || to_tsquery(cfg, m[2] || ':*');
	END IF;
	IF to_tsvector(cfg, head) = ''::tsvector THEN
		RETURN lastq;
	END IF;
	IF lastq IS NULL THEN
		RETURN websearch_to_tsquery(cfg, head);
	END IF;
	IF orjoin THEN
		RETURN websearch_to_tsquery(cfg, head) || lastq;
	END IF;
	RETURN websearch_to_tsquery(cfg, head) && lastq;
END
$$;

-- 004's one-argument form: english, as before.
CREATE OR REPLACE FUNCTION catalog_tsquery(text) RETURNS tsquery
LANGUAGE sql STABLE PARALLEL SAFE AS $$
	SELECT catalog_tsquery($1, 'english'::regconfig)
$$;

-- The catalog's search text $1 with language filter $2 (NULL: any) as
-- two queries: tsq to match documents (with a filter, the filter's
-- configuration; without, each configuration published courses use, plus
-- english, ANDed with its marker, ORed), rankq for ranking and snippets
-- (the same without markers).  Configurations that parse the text alike
-- share one branch, (query AND (marker OR marker ...)), and rankq has each
-- distinct query once: a smaller query is cheaper to match and to rank.
-- NULL when no configuration keeps a word.  The languages are read by
-- skipping through the partial index courses_pub_language (one probe per
-- language).
CREATE FUNCTION catalog_search_queries(text, text,
    OUT tsq tsquery, OUT rankq tsquery)
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
	cfg	regconfig;
	part	tsquery;
	keys	text[] := '{}';
	parts	tsquery[] := '{}';
	marks	tsquery[] := '{}';
	i	integer;
BEGIN
	IF $2 IS NOT NULL THEN
		tsq := catalog_tsquery($1, course_regconfig($2));
		rankq := tsq;
		RETURN;
	END IF;
	FOR cfg IN
		WITH RECURSIVE l(v) AS (
			SELECT min(language) FROM courses
			WHERE status = 'published'
			UNION ALL
			SELECT (SELECT min(language) FROM courses
				WHERE status = 'published' AND language > l.v)
			FROM l WHERE l.v IS NOT NULL)
		SELECT course_regconfig(v) FROM l WHERE v IS NOT NULL
		UNION
		SELECT 'english'::regconfig
	LOOP
		part := catalog_tsquery($1, cfg);
		CONTINUE WHEN part IS NULL;
		i := array_position(keys, part::text);
		IF i IS NULL THEN
			keys := keys || part::text;
			parts := parts || part;
			marks := marks || search_marker_query(cfg);
		ELSE
			marks[i] := marks[i] || search_marker_query(cfg);
		END IF;
	END LOOP;
	FOR i IN 1 .. coalesce(array_length(parts, 1), 0) LOOP
		rankq := CASE WHEN i = 1 THEN parts[i]
		    ELSE rankq || parts[i] END;
		tsq := CASE WHEN i = 1 THEN parts[i] && marks[i]
		    ELSE tsq || (parts[i] && marks[i]) END;
	END LOOP;
END
$$;

-- Documents of what exists: english ones only gain their marker (same
-- parse); the others are parsed again in their language.
UPDATE lessons l SET search_doc = CASE
	WHEN course_regconfig(c.language) = 'english'::regconfig
	THEN l.search_doc || search_marker_doc('english')
	ELSE lesson_search_doc(course_regconfig(c.language), l.title,
	    l.body_md) END
FROM modules m JOIN courses c ON c.id = m.course_id
WHERE m.id = l.module_id;
UPDATE courses SET search_doc = CASE
	WHEN course_regconfig(language) = 'english'::regconfig
	THEN search_doc || search_marker_doc('english')
	ELSE course_search_doc(id, title, summary, course_regconfig(language))
	END;
