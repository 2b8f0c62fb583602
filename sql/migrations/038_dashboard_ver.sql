-- The dashboard's cached row gets a version (issue 6, speed).
--
-- Every write of a dashboard_cache row gives it a new number from a
-- sequence (the column's default on insert, the trigger on update, whoever
-- writes), so (user_id, ver) names one content for good.  A FastCGI worker
-- that keeps the parts it last read for a learner asks dashboard_cache_get
-- for the row's ver and gets the parts only when its copy is not that
-- version: reading and sending ~33 KB of text out of the row on every
-- dashboard cost PostgreSQL more than the rest of the statement.
CREATE SEQUENCE dashboard_cache_ver_seq;

ALTER TABLE dashboard_cache
	ADD COLUMN ver bigint NOT NULL DEFAULT nextval('dashboard_cache_ver_seq');

CREATE FUNCTION dashboard_cache_new_ver() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	NEW.ver := nextval('dashboard_cache_ver_seq');
	RETURN NEW;
END
$$;

CREATE TRIGGER dashboard_cache_ver BEFORE UPDATE ON dashboard_cache
	FOR EACH ROW EXECUTE FUNCTION dashboard_cache_new_ver();
