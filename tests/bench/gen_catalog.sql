-- A generated catalog for the web benchmark (tests/bench/web_catalog.sh):
-- 10,000 published courses by 50 instructors, each with 4 modules of 5
-- lessons (200,000 lessons), 200 skills (3 taught per course, 1 skill
-- prerequisite), in set-based INSERT ... SELECT generate_series statements
-- (a bulk load: see below for the search documents).
--
-- Each course has a topic (one of 200 subject words, also the name of a
-- skill): the topic is in its title, summary and lessons, so a topic word
-- matches about 1 course in 200 (~50); the rest of the lesson text is drawn
-- from 5,000 made-up filler words, so a filler word matches about a fifth
-- of the catalog (a deliberately broad query).  random() is seeded, so two
-- runs generate the same catalog.
--
-- usage: psql -v ON_ERROR_STOP=1 -f gen_catalog.sql  (on an empty, migrated
-- database; the demo seed may be there too)
\set courses 10000
\set per_module 5
\set modules 4

SELECT setseed(0.42);

CREATE TEMP TABLE topics AS
SELECT row_number() OVER () AS i, w FROM unnest(string_to_array(
 'statistics probability algebra calculus geometry trigonometry physics '
 'chemistry biology genetics ecology astronomy geology meteorology '
 'oceanography history archaeology economics finance accounting marketing '
 'management leadership negotiation psychology sociology philosophy ethics '
 'logic linguistics grammar writing poetry literature journalism rhetoric '
 'music harmony composition painting drawing sculpture photography cinema '
 'theatre dance architecture urbanism gardening cooking baking nutrition '
 'medicine anatomy physiology pharmacology nursing epidemiology law '
 'contracts taxation politics diplomacy geography cartography navigation '
 'aviation sailing robotics electronics circuits signals networking '
 'security cryptography databases compilers programming python rust '
 'haskell javascript typescript kotlin swift fortran cobol algorithms '
 'datastructures concurrency distributed systems cloud kubernetes linux '
 'unix shell git testing debugging profiling optimisation graphics '
 'animation gamedesign usability accessibility typography branding '
 'sales entrepreneurship investing banking insurance logistics supply '
 'manufacturing welding carpentry plumbing electricity masonry '
 'agriculture forestry fisheries veterinary zoology botany mycology '
 'entomology ornithology microbiology immunology virology neuroscience '
 'cognition memory attention motivation parenting teaching pedagogy '
 'assessment curriculum coaching mentoring counselling mediation '
 'french spanish german italian portuguese japanese mandarin arabic '
 'russian swahili latin greek sanskrit hebrew korean hindi chess go '
 'poker bridge mathematics topology combinatorics numbertheory '
 'optimization econometrics forecasting bayesian regression '
 'classification clustering visualisation spreadsheets excel '
 'presentation publicspeaking storytelling improvisation meditation '
 'yoga fitness running swimming cycling climbing skiing surfing', ' ')) w;

-- Filler: 5,000 letter-only made-up words (word n is translate(substr(
-- md5(n), 1, 4 + n % 5), digits, 'g'..'p')), drawn at random into 20,000
-- sentences of 10 words; a lesson is 4 to 8 of these sentences, looked up
-- by primary key (a big text or array value would be fetched again for
-- every row that reads a piece of it).
CREATE FUNCTION pg_temp.filler(n int) RETURNS text LANGUAGE sql IMMUTABLE AS
$$ SELECT translate(substr(md5(n::text), 1, 4 + n % 5), '0123456789',
   'ghijklmnop') $$;
CREATE TEMP TABLE sentences (id int PRIMARY KEY, t text NOT NULL);
INSERT INTO sentences
SELECT g / 10, string_agg(pg_temp.filler(1 + floor(random() * 5000)::int),
    ' ')
FROM generate_series(0, 199999) g GROUP BY g / 10;
ANALYZE sentences;

INSERT INTO users (email, full_name, password_hash, role)
SELECT 'bench-instructor-' || g || '@example.org', 'Instructor ' || g,
       'not a password hash: cannot sign in', 'instructor'
FROM generate_series(1, 50) g
ON CONFLICT DO NOTHING;

INSERT INTO skills (name, description)
SELECT initcap(w) || ' (bench)', 'Generated for the benchmark.'
FROM topics
ON CONFLICT DO NOTHING;

CREATE TEMP TABLE gen_course AS
SELECT g AS n, 1 + (g * 7919) % (SELECT count(*) FROM topics) AS topic
FROM generate_series(1, :courses) g;
ANALYZE topics;
ANALYZE gen_course;

INSERT INTO courses (author_id, title, summary, level, language,
    estimated_hours, status, published_at)
SELECT (SELECT id FROM users WHERE email = 'bench-instructor-' ||
	   (1 + gc.n % 50) || '@example.org'),
       (ARRAY['Introduction to', 'Foundations of', 'Applied',
	      'Advanced topics in', 'A practical guide to', 'Essentials of'])
	   [1 + gc.n % 6] || ' ' || t.w || ' ' || gc.n,
       'A course about ' || t.w || ': ' || (SELECT x.t FROM sentences x
	   WHERE x.id = (gc.n * 7919) % 20000) || '.',
       (ARRAY['beginner', 'intermediate', 'advanced'])[1 + gc.n % 3],
       (ARRAY['en', 'en', 'en', 'fr', 'de', 'es'])[1 + gc.n % 6],
       1 + (gc.n % 40) / 2.0,
       'published',
       now() - make_interval(mins => gc.n)
FROM gen_course gc JOIN topics t ON t.i = gc.topic;

CREATE TEMP TABLE gen_map AS
SELECT c.id AS course_id, gc.topic
FROM courses c
JOIN users u ON u.id = c.author_id AND u.email LIKE 'bench-instructor-%'
JOIN gen_course gc ON gc.n = substring(c.title FROM ' ([0-9]+)$')::int;
ANALYZE gen_map;

-- Bulk load: the GIN index is dropped during the load and built afterwards
-- (one build instead of 10,000 incremental updates), and the statement
-- triggers that assemble course documents are off until the tables are
-- loaded and analyzed; then the documents are assembled once, with
-- course_search_refresh (what the triggers call).  Run by the trigger in
-- the middle of the load, the assembly would be planned while lessons
-- looks empty (no statistics yet) and scan all lessons for every course.
-- Each lesson's own document is still set by its row trigger.
DROP INDEX courses_search;
ALTER TABLE modules DISABLE TRIGGER modules_course_ins;
ALTER TABLE course_skills DISABLE TRIGGER course_skills_course_ins;
ALTER TABLE lessons DISABLE TRIGGER lessons_course_ins;

INSERT INTO course_skills (course_id, skill_id, target_level)
SELECT m.course_id, s.id, 3 + (m.course_id + k) % 7
FROM gen_map m
CROSS JOIN generate_series(0, 2) k
JOIN topics t ON t.i = 1 + (m.topic - 1 + k * 17) % (SELECT count(*) FROM topics)
JOIN skills s ON s.name = initcap(t.w) || ' (bench)';

INSERT INTO course_prereq_skills (course_id, skill_id, min_level)
SELECT m.course_id, s.id, 2
FROM gen_map m
JOIN topics t ON t.i = 1 + (m.topic + 40) % (SELECT count(*) FROM topics)
JOIN skills s ON s.name = initcap(t.w) || ' (bench)';

INSERT INTO modules (course_id, position, title)
SELECT m.course_id, k, 'Part ' || k || ': ' || t.w || ' ' ||
       (ARRAY['basics', 'methods', 'practice', 'projects'])[k]
FROM gen_map m CROSS JOIN generate_series(1, :modules) k
JOIN topics t ON t.i = m.topic;

-- Lessons: 4 to 8 sentences (40-80 words) with the topic word at both
-- ends.
INSERT INTO lessons (module_id, position, title, kind, body_md,
    estimated_minutes)
SELECT md.id, k, initcap(t.w) || ' lesson ' || md.position || '.' || k,
       (ARRAY['text', 'text', 'video', 'exercise'])[1 + (md.id + k) % 4],
       '# ' || initcap(t.w) || E'\n\n' || t.w || ' ' || array_to_string(ARRAY(
	   SELECT (SELECT x.t FROM sentences x WHERE x.id =
		   ((hashint8(md.id * 1000 + k * 10 + j) & 2147483647) % 20000)::int)
	   FROM generate_series(1, 4 + ((md.id * 7 + k) % 5)::int) j), '. ')
	   || ' ' || t.w || '.',
       5 + (md.id + k) % 26
FROM modules md
JOIN gen_map m ON m.course_id = md.course_id
JOIN topics t ON t.i = m.topic
CROSS JOIN generate_series(1, :per_module) k;

ALTER TABLE modules ENABLE TRIGGER modules_course_ins;
ALTER TABLE course_skills ENABLE TRIGGER course_skills_course_ins;
ALTER TABLE lessons ENABLE TRIGGER lessons_course_ins;
ANALYZE modules;
ANALYZE lessons;
ANALYZE course_skills;
ANALYZE skills;
SELECT course_search_refresh(ARRAY(SELECT course_id FROM gen_map));
CREATE INDEX courses_search ON courses USING gin (search_doc)
	WHERE status = 'published';
ANALYZE courses;

SELECT (SELECT count(*) FROM courses WHERE status = 'published') AS published_courses,
       (SELECT count(*) FROM lessons) AS lessons,
       (SELECT count(*) FROM skills) AS skills,
       (SELECT pg_size_pretty(pg_relation_size('courses_search'))) AS gin_index_size;
