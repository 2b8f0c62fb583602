-- The learning-path planner's catalogue version (issue 6, speed).
--
-- Generating a path reads the whole published catalogue: courses, the
-- skills they teach and need, their prerequisites and the skill names.
-- Each worker process keeps the last copy it loaded (src/pages/path.c)
-- with this version, and loads again when the version moved.  Every
-- transaction that changes one of those tables adds one, once, when it
-- commits: the triggers are deferred, so the version row is locked only
-- for the commit itself (two catalogue edits cannot deadlock on it), and
-- the new version becomes visible together with the change.  A reader
-- that sees the old version and then the new rows only loads once more.
-- (TRUNCATE is not covered: the site never truncates these tables.)
CREATE TABLE path_catalog_version (
	one		boolean PRIMARY KEY DEFAULT true CHECK (one),
	version		bigint NOT NULL DEFAULT 1
);
INSERT INTO path_catalog_version DEFAULT VALUES;

CREATE FUNCTION path_catalog_bump() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF coalesce(current_setting('adept.path_catalog_bumped', true), '')
	    <> 'on' THEN
		UPDATE path_catalog_version SET version = version + 1;
		PERFORM set_config('adept.path_catalog_bumped', 'on', true);
	END IF;
	RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER courses_path_catalog
	AFTER INSERT OR DELETE OR UPDATE OF title, level, estimated_hours, status
	ON courses DEFERRABLE INITIALLY DEFERRED
	FOR EACH ROW EXECUTE FUNCTION path_catalog_bump();
CREATE CONSTRAINT TRIGGER course_skills_path_catalog
	AFTER INSERT OR UPDATE OR DELETE ON course_skills
	DEFERRABLE INITIALLY DEFERRED
	FOR EACH ROW EXECUTE FUNCTION path_catalog_bump();
CREATE CONSTRAINT TRIGGER course_prereq_courses_path_catalog
	AFTER INSERT OR UPDATE OR DELETE ON course_prereq_courses
	DEFERRABLE INITIALLY DEFERRED
	FOR EACH ROW EXECUTE FUNCTION path_catalog_bump();
CREATE CONSTRAINT TRIGGER course_prereq_skills_path_catalog
	AFTER INSERT OR UPDATE OR DELETE ON course_prereq_skills
	DEFERRABLE INITIALLY DEFERRED
	FOR EACH ROW EXECUTE FUNCTION path_catalog_bump();
CREATE CONSTRAINT TRIGGER skills_path_catalog
	AFTER INSERT OR DELETE OR UPDATE OF name ON skills
	DEFERRABLE INITIALLY DEFERRED
	FOR EACH ROW EXECUTE FUNCTION path_catalog_bump();
