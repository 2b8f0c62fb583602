-- Catalog speed, the cached path (issue 4's bench).
--
-- The design decision: a search served from catalog_search_cache
-- (migration 032) is its own small statement, catalog_search_hit in
-- sql/queries/catalog.sql, and the whole search (catalog_search) runs only
-- when that finds nothing.  On a hit the whole search still started up
-- every node of its plan (the ranking, the snippets, the cache's INSERT)
-- to run none of them: 0.6 ms of PostgreSQL per cached page, against
-- about 0.2 ms for the small one.  Both statements make the cache key
-- with this function (STABLE like concat_ws, so that it is inlined: an
-- IMMUTABLE one would not be, and would cost a SQL function call).

-- The cache key of a search: its filters ($1 skill id, $2 level, $3
-- language, $4 and $5 hours), its offset ($6) and its text ($7), NULL
-- filters as empty strings, joined with chr(31).
CREATE FUNCTION catalog_search_key(bigint, text, text, numeric, numeric,
    bigint, text) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT concat_ws(chr(31), COALESCE($1::text, ''), COALESCE($2, ''),
	    COALESCE($3, ''), COALESCE($4::text, ''), COALESCE($5::text, ''),
	    $6, $7)
$$;

-- One page of the plain listing (no search text): published courses with
-- the filters of catalog_search_key ($6 the offset), newest first, 21 of
-- them (one more than a page, to know whether there is a next one), with
-- their instructor and the start of their summary.
--
-- A function only to plan its query once per connection: as a prepared
-- statement PostgreSQL planned it afresh on every request (0.3 to 0.4 ms,
-- more than running it), since a plan for the NULL filters and offset 0
-- it is given looks cheaper than the generic one, which it then never
-- tries.  The generic plan costs no more to run (measured on issue 4's
-- bench catalog: 0.2 ms for the first page, about the same as the custom
-- plan, with or without filters, on page 1 or 100), so it is forced here.
-- STABLE: it runs in its caller's snapshot, so catalog_list's version
-- row matches the courses it lists.
CREATE FUNCTION catalog_list_page(p_skill bigint, p_level text,
    p_language text, p_min numeric, p_max numeric, p_offset bigint)
RETURNS TABLE (ord bigint, id bigint, title text, level text,
    language text, hours text, instructor text, summary text)
LANGUAGE plpgsql STABLE
SET plan_cache_mode = force_generic_plan AS $$
BEGIN
	RETURN QUERY
	SELECT row_number() OVER (ORDER BY c.published_at DESC NULLS LAST,
		   c.id DESC), c.id, c.title, c.level, c.language,
	       c.estimated_hours::text, u.full_name, left(c.summary, 300)
	FROM (SELECT * FROM courses c
	      WHERE c.status = 'published'
		AND (p_skill IS NULL OR EXISTS (
			SELECT 1 FROM course_skills cs
			WHERE cs.course_id = c.id AND cs.skill_id = p_skill))
		AND (p_level IS NULL OR c.level = p_level)
		AND (p_language IS NULL OR c.language = p_language)
		AND (p_min IS NULL OR c.estimated_hours >= p_min)
		AND (p_max IS NULL OR c.estimated_hours < p_max)
	      ORDER BY c.published_at DESC NULLS LAST, c.id DESC
	      LIMIT 21 OFFSET p_offset) c
	JOIN users u ON u.id = c.author_id;
END
$$;

-- A search page's rows in the catalog statements' shape (sql/queries/
-- catalog.sql): 'q' (matches, terms) and 'r' per course, from a
-- catalog_search_cache entry's columns, the courses' own columns and
-- instructor read now, in the page's order.  For both search statements;
-- a single SELECT and STABLE, so it is inlined into them.
CREATE FUNCTION catalog_search_rows(bigint, integer, bigint[], text[],
    text[])
RETURNS TABLE (part "char", ord bigint, c1 text, c2 text, c3 text,
    c4 text, c5 text, c6 text, c7 text, c8 text)
LANGUAGE sql STABLE AS $$
	SELECT 'q'::"char", 0::bigint, $1::text, $2::text, NULL, NULL, NULL,
	       NULL, NULL, NULL
	UNION ALL
	SELECT 'r'::"char", x.ord, c.id::text, c.title, c.level, c.language,
	       c.estimated_hours::text, u.full_name, x.snippet, x.lesson
	FROM unnest($3, $4, $5) WITH ORDINALITY AS x(id, snippet, lesson, ord)
	JOIN courses c ON c.id = x.id
	JOIN users u ON u.id = c.author_id
$$;
