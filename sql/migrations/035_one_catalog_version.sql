-- One catalogue version, not two.
--
-- Migrations 029 (the learning-path planner's copy of the catalogue) and
-- 032 (the catalog's search cache and filter choices) each kept a version
-- number advanced by deferred triggers on overlapping tables, so one
-- catalogue edit paid two sets of triggers and two version rows.  The
-- planner now reads catalog_version (032); its two extra tables, the
-- prerequisites, advance it too, and 029's table, triggers and function go.
-- (A lesson edit now also makes each worker reload the planner's copy
-- once: edits are rare, a reload is one set of reads.)
DO $$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['course_prereq_courses',
	    'course_prereq_skills'] LOOP
		EXECUTE format('CREATE CONSTRAINT TRIGGER catalog_version_%s '
		    'AFTER INSERT OR UPDATE OR DELETE ON %I '
		    'DEFERRABLE INITIALLY DEFERRED '
		    'FOR EACH ROW EXECUTE FUNCTION catalog_version_bump()', t, t);
	END LOOP;
END
$$;

DROP TRIGGER courses_path_catalog ON courses;
DROP TRIGGER course_skills_path_catalog ON course_skills;
DROP TRIGGER course_prereq_courses_path_catalog ON course_prereq_courses;
DROP TRIGGER course_prereq_skills_path_catalog ON course_prereq_skills;
DROP TRIGGER skills_path_catalog ON skills;
DROP FUNCTION path_catalog_bump();
DROP TABLE path_catalog_version;
