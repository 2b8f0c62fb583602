-- The learner's catalog (src/pages/catalog.c): published courses, filtered
-- and searched.  Filters are NULL when unused.  Parameters of the two
-- listings: $1 skill id, $2 level, $3 language, $4 minimum and $5 maximum
-- (exclusive) estimated hours, $6 offset, $7 limit; the search adds $8, the
-- text as typed (catalog_search_queries in migration 028 turns it into a
-- tsquery for the language filter, or each course's own language, and one
-- to rank with; no SQL or tsquery syntax is built from it here).
-- Snippets use each course's own configuration (course_regconfig).
--
-- Columns of both: id, title, level, language, estimated hours, instructor,
-- total matches (search; -1 for the listing, which fetches one row more
-- than a page instead of counting), snippet, title of the lesson the
-- snippet comes from ('' = the summary).  Snippets mark matches with
-- chr(1) .. chr(2); the caller escapes the text and turns the marks into
-- <mark>.  Lesson excerpts lose Markdown's punctuation (# * ` ~ |).

-- name: catalog_search
WITH q AS MATERIALIZED (SELECT * FROM catalog_search_queries($8, $3)),
hits AS (
	SELECT c.id, c.title, c.summary, c.level, c.language,
	       c.estimated_hours, c.author_id,
	       ts_rank_cd(c.search_doc, q.rankq) AS rank,
	       count(*) OVER () AS total
	FROM courses c, q
	WHERE c.status = 'published' AND c.search_doc @@ q.tsq
	  AND ($1::bigint IS NULL OR EXISTS (
		SELECT 1 FROM course_skills cs
		WHERE cs.course_id = c.id AND cs.skill_id = $1))
	  AND ($2::text IS NULL OR c.level = $2)
	  AND ($3::text IS NULL OR c.language = $3)
	  AND ($4::numeric IS NULL OR c.estimated_hours >= $4)
	  AND ($5::numeric IS NULL OR c.estimated_hours < $5)
	ORDER BY rank DESC, c.id
	LIMIT $7 OFFSET $6
)
SELECT h.id, h.title, h.level, h.language, h.estimated_hours::text,
       u.full_name, h.total,
       CASE WHEN hl.body IS NULL OR to_tsvector(course_regconfig(h.language),
		 h.title || ' ' || h.summary) @@ q.rankq
	    THEN ts_headline(course_regconfig(h.language), h.summary, q.rankq,
		 o.opts)
	    ELSE ts_headline(course_regconfig(h.language), hl.body, q.rankq,
		 o.opts) END,
       CASE WHEN hl.body IS NULL OR to_tsvector(course_regconfig(h.language),
		 h.title || ' ' || h.summary) @@ q.rankq
	    THEN '' ELSE hl.title END
FROM hits h
CROSS JOIN q
CROSS JOIN (SELECT 'StartSel=' || chr(1) || ', StopSel=' || chr(2) ||
		   ', MaxWords=30, MinWords=12, ShortWord=2, MaxFragments=2, '
		   'FragmentDelimiter=" … "' AS opts) o
JOIN users u ON u.id = h.author_id
LEFT JOIN LATERAL (
	SELECT l.title, regexp_replace(left(l.body_md, 20000),
	       '[#*`~|]+', ' ', 'g') AS body
	FROM modules m JOIN lessons l ON l.module_id = m.id
	WHERE m.course_id = h.id AND l.search_doc @@ q.tsq
	ORDER BY m.position, l.position
	LIMIT 1) hl ON true
ORDER BY h.rank DESC, h.id;

-- name: catalog_list
SELECT c.id, c.title, c.level, c.language, c.estimated_hours::text,
       u.full_name, -1::bigint, left(c.summary, 300), ''
FROM courses c JOIN users u ON u.id = c.author_id
WHERE c.status = 'published'
  AND ($1::bigint IS NULL OR EXISTS (
	SELECT 1 FROM course_skills cs
	WHERE cs.course_id = c.id AND cs.skill_id = $1))
  AND ($2::text IS NULL OR c.level = $2)
  AND ($3::text IS NULL OR c.language = $3)
  AND ($4::numeric IS NULL OR c.estimated_hours >= $4)
  AND ($5::numeric IS NULL OR c.estimated_hours < $5)
ORDER BY c.published_at DESC NULLS LAST, c.id DESC
LIMIT $7 OFFSET $6;

-- How many terms the search text $1 gives in the language of filter $2
-- (NULL: english) (0: only stop words or punctuation), to explain an
-- empty result.  English without a filter: in a catalog with courses in
-- other languages, "the and of" still gets the explanation.
-- name: catalog_query_terms
SELECT COALESCE(numnode(catalog_tsquery($1, CASE WHEN $2::text IS NULL
    THEN 'english'::regconfig ELSE course_regconfig($2) END)), 0);

-- The filter choices.
-- name: catalog_skill_choices
SELECT id, name FROM skills ORDER BY lower(name), id LIMIT 500;

-- The languages of published courses, by skipping through the partial
-- index courses_pub_language one value at a time (a DISTINCT would read
-- an entry per course: 1 ms at 10,000 courses).
-- name: catalog_language_choices
WITH RECURSIVE l(v) AS (
	SELECT min(language) FROM courses WHERE status = 'published'
	UNION ALL
	SELECT (SELECT min(language) FROM courses
		WHERE status = 'published' AND language > l.v)
	FROM l WHERE l.v IS NOT NULL)
SELECT v FROM l WHERE v IS NOT NULL LIMIT 50;
