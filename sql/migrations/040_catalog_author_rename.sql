-- Only an author's rename moves the catalogue's version.
--
-- Migration 036 moved it on every users.full_name change, because kept
-- catalog pages show instructors' names and a trigger's WHEN cannot ask
-- whether the user authors a course.  But every move drops every thread's
-- kept catalog pages and makes each worker reload its copy of the
-- catalogue for the path planner, and most renames are learners'.  The
-- deferred trigger now asks first (courses_author, migration 002, answers
-- it from the index); the bump itself is catalog_version_bump's (032),
-- through catalog_version_bump_once so that both share it.
CREATE FUNCTION catalog_version_bump_once() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	IF coalesce(current_setting('adept.catalog_bumped', true), '')
	    <> 'on' THEN
		UPDATE catalog_version SET version = version + 1;
		PERFORM set_config('adept.catalog_bumped', 'on', true);
	END IF;
END
$$;

CREATE OR REPLACE FUNCTION catalog_version_bump() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM catalog_version_bump_once();
	RETURN NULL;
END
$$;

CREATE FUNCTION catalog_version_author_renamed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF EXISTS (SELECT 1 FROM courses WHERE author_id = NEW.id) THEN
		PERFORM catalog_version_bump_once();
	END IF;
	RETURN NULL;
END
$$;

DROP TRIGGER catalog_version_users ON users;
CREATE CONSTRAINT TRIGGER catalog_version_users
	AFTER UPDATE OF full_name ON users
	DEFERRABLE INITIALLY DEFERRED
	FOR EACH ROW WHEN (OLD.full_name IS DISTINCT FROM NEW.full_name)
	EXECUTE FUNCTION catalog_version_author_renamed();
