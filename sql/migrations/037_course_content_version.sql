-- A version number per course for what its page shows every visitor alike.
--
-- The course page (src/pages/course.c) keeps, per FastCGI thread, the part
-- of a course page that is the same for everyone: the course's facts and
-- instructor, its syllabus (modules, lessons, the modules' quizzes) and the
-- skills it teaches.  Each request runs one small statement for what
-- belongs to the visitor (may they see the course, their enrolment, their
-- progress per lesson, their standing against each prerequisite), and that
-- statement returns this version too; the kept part is used only when its
-- version is the one just read, so an edit shows on the very next request.
--
-- The triggers below advance a course's version in the transaction that
-- changes anything that part shows, so the new version becomes visible
-- together with the change:
--  - the course's own shown columns (title, summary, level, language,
--    hours, status: publish and unpublish, author);
--  - the author's name (users.full_name);
--  - its modules, its lessons (including a lesson moved to another module
--    or course: both courses), the quizzes attached to its modules;
--  - the skills it teaches, and a rename of one of them;
--  - its prerequisites (which courses and skill levels it asks for).
-- What a prerequisite shows (another course's title, a skill's name, the
-- course suggested to reach a skill level) depends on other courses: a
-- kept copy with prerequisites is also checked against the catalogue's
-- version (catalog_version, migration 032, which every catalogue edit
-- advances).  A course without prerequisites depends on its own version
-- only, so an edit of one course leaves the kept pages of every other
-- course in place, apart from those with prerequisites.
--
-- A course without a row has version 0 (the first change writes 1).  No
-- foreign key: a course's deletion cascades to its modules and lessons,
-- whose triggers then find no course to bump (the INSERT reads courses).
CREATE TABLE course_versions (
	course_id	bigint PRIMARY KEY,
	version		bigint NOT NULL
);

CREATE FUNCTION course_versions_bump(bigint[]) RETURNS void
LANGUAGE sql AS $$
	INSERT INTO course_versions AS v (course_id, version)
	SELECT c.id, 1 FROM courses c WHERE c.id = ANY($1)
	ORDER BY c.id
	ON CONFLICT (course_id) DO UPDATE SET version = v.version + 1;
$$;

-- Courses: a row trigger, so that the many updates that change nothing
-- shown (updated_at, the search documents rewritten on every lesson edit)
-- do not move the version.
CREATE FUNCTION course_versions_course_trg() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'DELETE' THEN
		DELETE FROM course_versions WHERE course_id = OLD.id;
	ELSE
		PERFORM course_versions_bump(ARRAY[NEW.id]);
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER course_versions_courses_upd AFTER UPDATE ON courses
	FOR EACH ROW WHEN ((OLD.title, OLD.summary, OLD.level, OLD.language,
	    OLD.estimated_hours, OLD.status, OLD.author_id) IS DISTINCT FROM
	    (NEW.title, NEW.summary, NEW.level, NEW.language,
	    NEW.estimated_hours, NEW.status, NEW.author_id))
	EXECUTE FUNCTION course_versions_course_trg();
CREATE TRIGGER course_versions_courses_del AFTER DELETE ON courses
	FOR EACH ROW EXECUTE FUNCTION course_versions_course_trg();

-- A name shown on other courses' pages: an author's (users) or a taught
-- skill's (skills; for a prerequisite skill the catalogue's version
-- moves).
CREATE FUNCTION course_versions_name_trg() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_TABLE_NAME = 'users' THEN
		PERFORM course_versions_bump(ARRAY(
		    SELECT id FROM courses WHERE author_id = NEW.id));
	ELSE
		PERFORM course_versions_bump(ARRAY(
		    SELECT course_id FROM course_skills WHERE skill_id = NEW.id));
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER course_versions_users AFTER UPDATE OF full_name ON users
	FOR EACH ROW WHEN (OLD.full_name IS DISTINCT FROM NEW.full_name)
	EXECUTE FUNCTION course_versions_name_trg();
CREATE TRIGGER course_versions_skills AFTER UPDATE OF name ON skills
	FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
	EXECUTE FUNCTION course_versions_name_trg();

-- Modules, lessons, course_skills, assessments, prerequisites: statement
-- triggers over the changed rows (a generated catalogue inserts 200,000
-- lessons in one statement).  Each function names the courses its rows belong to; an
-- update counts the old and the new rows, so a lesson moved between
-- courses bumps both.  For lessons and quizzes an update counts only when
-- it changes what the page shows (a lesson's body is on the lesson page);
-- PostgreSQL allows no column list on an update trigger with transition
-- tables, so the rows are compared.
CREATE FUNCTION course_versions_rows_trg() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		PERFORM course_versions_bump(ARRAY(
		    SELECT DISTINCT course_id FROM new_rows));
	ELSIF TG_OP = 'DELETE' THEN
		PERFORM course_versions_bump(ARRAY(
		    SELECT DISTINCT course_id FROM old_rows));
	ELSE
		PERFORM course_versions_bump(ARRAY(
		    SELECT course_id FROM old_rows UNION
		    SELECT course_id FROM new_rows));
	END IF;
	RETURN NULL;
END
$$;

CREATE FUNCTION course_versions_modules_of(bigint[]) RETURNS bigint[]
LANGUAGE sql STABLE AS $$
	SELECT ARRAY(SELECT DISTINCT course_id FROM modules
	    WHERE id = ANY($1));
$$;

-- Lessons and quizzes reach their course through module_id; the trigger's
-- arguments name the columns the page shows, compared on update.
CREATE FUNCTION course_versions_module_rows_trg() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		PERFORM course_versions_bump(course_versions_modules_of(
		    ARRAY(SELECT module_id FROM new_rows)));
	ELSIF TG_OP = 'DELETE' THEN
		PERFORM course_versions_bump(course_versions_modules_of(
		    ARRAY(SELECT module_id FROM old_rows)));
	ELSE
		PERFORM course_versions_bump(course_versions_modules_of(
		    ARRAY(SELECT unnest(ARRAY[o.module_id, n.module_id])
		    FROM old_rows o JOIN new_rows n USING (id)
		    WHERE (SELECT jsonb_agg(to_jsonb(o) -> k)
		    FROM unnest(TG_ARGV) k) IS DISTINCT FROM
		    (SELECT jsonb_agg(to_jsonb(n) -> k)
		    FROM unnest(TG_ARGV) k))));
	END IF;
	RETURN NULL;
END
$$;

DO $$
DECLARE
	t text;
	fn text;
BEGIN
	FOREACH t IN ARRAY ARRAY['modules', 'course_skills', 'lessons',
	    'assessments', 'course_prereq_courses', 'course_prereq_skills']
	    LOOP
		fn := CASE t
		    WHEN 'lessons' THEN 'course_versions_module_rows_trg('
			'''module_id'', ''position'', ''title'', ''kind'', '
			'''estimated_minutes'')'
		    WHEN 'assessments' THEN 'course_versions_module_rows_trg('
			'''module_id'', ''lesson_id'', ''title'')'
		    ELSE 'course_versions_rows_trg()' END;
		EXECUTE format('CREATE TRIGGER course_versions_%s_ins '
		    'AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows '
		    'FOR EACH STATEMENT EXECUTE FUNCTION %s', t, t, fn);
		EXECUTE format('CREATE TRIGGER course_versions_%s_upd '
		    'AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows '
		    'NEW TABLE AS new_rows '
		    'FOR EACH STATEMENT EXECUTE FUNCTION %s', t, t, fn);
		EXECUTE format('CREATE TRIGGER course_versions_%s_del '
		    'AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows '
		    'FOR EACH STATEMENT EXECUTE FUNCTION %s', t, t, fn);
	END LOOP;
END
$$;

-- The quizzes of a course's modules (not attached to a lesson), read when
-- a course page is built: without it, a scan of every assessment.
CREATE INDEX assessments_module ON assessments (module_id, id)
	WHERE lesson_id IS NULL;
