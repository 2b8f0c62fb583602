-- Catalog speed: the FastCGI threads' cache of rendered catalog pages
-- (src/pages/catalog.c), kept under the catalog's version (migration 032).
--
-- The design decision: a thread must know the current version without
-- asking for it on every page, so each move of the version is announced on
-- the channel adept_catalog (payload: the new version), which every
-- thread LISTENs on (src/http/listen.h); PostgreSQL sends it at the
-- commit that moves the version, whoever makes the change (the site, the
-- adept command, psql).  The trigger is on the version row itself, so the
-- deferred triggers of 032 and 035 that move it stay as they are.
CREATE FUNCTION catalog_version_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('adept_catalog', NEW.version::text);
	RETURN NULL;
END
$$;
CREATE TRIGGER catalog_version_notify
	AFTER UPDATE OF version ON catalog_version
	FOR EACH ROW EXECUTE FUNCTION catalog_version_notify();

-- A rendered page shows each course's instructor by name, which the
-- version did not cover (the search cache of 032 reads names fresh): a
-- renamed user moves it too.  Every rename does (a trigger's WHEN cannot
-- ask whether the user authors a course); renames are rare.
CREATE CONSTRAINT TRIGGER catalog_version_users
	AFTER UPDATE OF full_name ON users
	DEFERRABLE INITIALLY DEFERRED
	FOR EACH ROW WHEN (OLD.full_name IS DISTINCT FROM NEW.full_name)
	EXECUTE FUNCTION catalog_version_bump();
