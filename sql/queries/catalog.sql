-- The learner's catalog (src/pages/catalog.c): published courses, filtered
-- and searched, each page in one statement.  Filters are NULL when unused.
-- Parameters of both: $1 skill id, $2 level, $3 language, $4 minimum and
-- $5 maximum (exclusive) estimated hours, $6 offset; the search adds $7,
-- the text as typed (catalog_search_queries in migration 028 turns it into
-- a tsquery for the language filter, or each course's own language, and
-- one to rank with; no SQL or tsquery syntax is built from it here).
-- Snippets use each course's own configuration (course_regconfig).
--
-- Rows of one shape (every value text), told apart by the first column
-- and ordered by the second within each part:
--   'q' (search only, one row): matches, terms in the query (0: only stop
--       words or punctuation, to explain an empty result);
--   'r' the page's courses: id, title, level, language, estimated hours,
--       instructor, snippet, title of the lesson the snippet comes from
--       ('' = the summary).  The listing fetches 21 (one more than a
--       page, to know whether there is a next one) instead of counting;
--   'v' (one row): the catalog's version (migration 032), which tells the
--       page whether the filters' choices it rendered are still current.
-- Snippets mark matches with chr(1) .. chr(2); the caller escapes the text
-- and turns the marks into <mark>.  Lesson excerpts lose Markdown's
-- punctuation (# * ` ~ |).
--
-- Ranking (migration 032): courses whose title, summary or skills match
-- first, by ts_rank_cd over that small document (title weighs most); then
-- those matching only in module titles or lesson text; newest first
-- among equals.  Snippets are made for the 20 courses shown only.
--
-- A search page is cached (catalog_search_cache, migration 032) under the
-- catalog's version read in the same snapshot, and served from there
-- while the version has not moved: every change to courses, modules,
-- lessons or skills moves it.  Only ids and snippets are cached; the
-- courses' titles, levels and instructors are read fresh.

-- name: catalog_search
WITH v AS MATERIALIZED (SELECT version FROM catalog_version),
k AS MATERIALIZED (
	SELECT catalog_search_key($1, $2, $3, $4, $5, $6, $7) AS key),
hit AS MATERIALIZED (
	SELECT e.total, e.terms, e.ids, e.snippets, e.lessons
	FROM catalog_search_cache e, v, k
	WHERE e.slot = hashtext(k.key) & 4095 AND e.key = k.key
	  AND e.version = v.version),
-- Everything below runs only on a miss (q is then empty otherwise).
q AS MATERIALIZED (
	SELECT * FROM catalog_search_queries($7, $3)
	WHERE NOT EXISTS (SELECT FROM hit)),
hits AS MATERIALIZED (
	SELECT c.id, c.published_at,
	       CASE WHEN c.head_doc @@ q.rankq
		    THEN ts_rank_cd(c.head_doc, q.rankq) ELSE 0 END AS rank
	FROM courses c, q
	WHERE c.status = 'published' AND c.search_doc @@ q.tsq
	  AND ($1::bigint IS NULL OR EXISTS (
		SELECT 1 FROM course_skills cs
		WHERE cs.course_id = c.id AND cs.skill_id = $1))
	  AND ($2::text IS NULL OR c.level = $2)
	  AND ($3::text IS NULL OR c.language = $3)
	  AND ($4::numeric IS NULL OR c.estimated_hours >= $4)
	  AND ($5::numeric IS NULL OR c.estimated_hours < $5)
),
page AS (
	SELECT h.id, row_number() OVER (ORDER BY h.rank DESC,
		   h.published_at DESC NULLS LAST, h.id DESC) AS ord
	FROM hits h
	ORDER BY h.rank DESC, h.published_at DESC NULLS LAST, h.id DESC
	LIMIT 20 OFFSET $6
),
snip AS (
	SELECT p.ord, c.id,
	       ts_headline(course_regconfig(c.language),
		   COALESCE(hl.body, c.summary), q.rankq,
		   'StartSel=' || chr(1) || ', StopSel=' || chr(2) ||
		   ', MaxWords=30, MinWords=12, ShortWord=2, MaxFragments=2, '
		   'FragmentDelimiter=" … "') AS snippet,
	       COALESCE(hl.title, '') AS lesson
	FROM page p
	JOIN courses c ON c.id = p.id
	CROSS JOIN q
	LEFT JOIN LATERAL (
		SELECT l.title, regexp_replace(left(l.body_md, 20000),
		       '[#*`~|]+', ' ', 'g') AS body
		FROM modules m JOIN lessons l ON l.module_id = m.id
		WHERE NOT to_tsvector(course_regconfig(c.language),
			  c.title || ' ' || c.summary) @@ q.rankq
		  AND m.course_id = c.id AND l.search_doc @@ q.tsq
		ORDER BY m.position, l.position
		LIMIT 1) hl ON true
),
fresh AS MATERIALIZED (
	SELECT (SELECT count(*) FROM hits) AS total,
	       -- (English without a language filter: in a catalog with
	       -- courses in other languages, "the and of" still counts 0.)
	       COALESCE(numnode(catalog_tsquery($7, CASE WHEN $3::text IS NULL
		   THEN 'english'::regconfig ELSE course_regconfig($3) END)), 0)
		   AS terms,
	       ARRAY(SELECT id FROM snip ORDER BY ord) AS ids,
	       ARRAY(SELECT snippet FROM snip ORDER BY ord) AS snippets,
	       ARRAY(SELECT lesson FROM snip ORDER BY ord) AS lessons
	FROM q),
store AS (
	INSERT INTO catalog_search_cache AS e
	SELECT hashtext(k.key) & 4095, k.key, v.version, f.total, f.terms,
	       f.ids, f.snippets, f.lessons
	FROM fresh f, k, v
	ON CONFLICT (slot) DO UPDATE
	SET key = EXCLUDED.key, version = EXCLUDED.version,
	    total = EXCLUDED.total, terms = EXCLUDED.terms, ids = EXCLUDED.ids,
	    snippets = EXCLUDED.snippets, lessons = EXCLUDED.lessons),
res AS (SELECT * FROM hit UNION ALL SELECT * FROM fresh)
SELECT p.*
FROM res, catalog_search_rows(res.total, res.terms, res.ids,
	res.snippets, res.lessons) p
UNION ALL
SELECT 'v'::"char", 0, v.version::text, NULL, NULL, NULL, NULL, NULL, NULL,
       NULL
FROM v
ORDER BY 1, 2;

-- A search page from the cache only, in catalog_search's row shape: the
-- 'q' and 'r' rows when the cache holds the page under the current
-- version, and the 'v' row always.  No 'q' row: a miss, for
-- catalog_search (migration 033: on a hit that statement starts up its
-- whole plan for nothing).  Same parameters as catalog_search.
-- name: catalog_search_hit
WITH v AS MATERIALIZED (SELECT version FROM catalog_version),
e AS MATERIALIZED (
	SELECT e.total, e.terms, e.ids, e.snippets, e.lessons
	FROM catalog_search_cache e, v
	WHERE e.slot = hashtext(catalog_search_key($1, $2, $3, $4, $5, $6,
		  $7)) & 4095
	  AND e.key = catalog_search_key($1, $2, $3, $4, $5, $6, $7)
	  AND e.version = v.version)
SELECT p.*
FROM e, catalog_search_rows(e.total, e.terms, e.ids,
	e.snippets, e.lessons) p
UNION ALL
SELECT 'v'::"char", 0, v.version::text, NULL, NULL, NULL, NULL, NULL, NULL,
       NULL
FROM v
ORDER BY 1, 2;

-- name: catalog_list
SELECT 'r'::"char", p.ord, p.id::text, p.title, p.level, p.language,
       p.hours, p.instructor, p.summary, ''
FROM catalog_list_page($1, $2, $3, $4, $5, $6) p
UNION ALL
SELECT 'v'::"char", 0, version::text, NULL, NULL, NULL, NULL, NULL, NULL,
       NULL
FROM catalog_version
ORDER BY 1, 2;

-- The filters' choices (table catalog_choices, migration 032) and the
-- catalog version they belong to, read in one snapshot: 'k' skills and
-- 'l' languages (value, label), 'v' the version.
-- name: catalog_choices
SELECT part::"char", ord, value, label FROM catalog_choices
UNION ALL
SELECT 'v'::"char", 0, version::text, NULL FROM catalog_version
ORDER BY 1, 2;

-- The catalog's version alone: a FastCGI thread confirms with it a page it
-- has kept for KEPT_TTL seconds (src/pages/catalog.c) instead of
-- rendering the page again.
-- name: catalog_version_get
SELECT version FROM catalog_version;

-- The page cache's invalidations (migration 036): the catalog version,
-- announced at each move.  Issued on every new connection of a FastCGI
-- thread before it serves a cached page.
-- name: catalog_listen
LISTEN adept_catalog;
