-- What the FastCGI workers' per-thread session cache (src/http/auth_cache.h)
-- must forget, announced on the channel adept_auth whoever makes the change
-- (the site, the `adept` command, the background worker, psql):
--   u:<user id>   the user's name, e-mail, role, activity or password
--                 changed, or the user is gone
--   s:<family>    a session (refresh-token family) was revoked
--   n:<user id>   the user's notifications changed (the unread count)
-- NOTIFY is delivered at commit, and PostgreSQL folds repeats of one payload
-- within a transaction, so revoking a family of many tokens or marking every
-- notification read sends one message.
CREATE FUNCTION auth_notify_user() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'DELETE' THEN
		PERFORM pg_notify('adept_auth', 'u:' || OLD.id);
	ELSE
		PERFORM pg_notify('adept_auth', 'u:' || NEW.id);
	END IF;
	RETURN NULL;
END
$$;
-- Only the columns the per-request identity check reads (and the password,
-- whose change ends sessions).
CREATE TRIGGER users_auth_notify_update AFTER UPDATE ON users
	FOR EACH ROW WHEN ((OLD.full_name, OLD.email, OLD.role, OLD.is_active,
	    OLD.password_hash) IS DISTINCT FROM (NEW.full_name, NEW.email,
	    NEW.role, NEW.is_active, NEW.password_hash))
	EXECUTE FUNCTION auth_notify_user();
CREATE TRIGGER users_auth_notify_delete AFTER DELETE ON users
	FOR EACH ROW EXECUTE FUNCTION auth_notify_user();

CREATE FUNCTION auth_notify_session() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('adept_auth', 's:' || NEW.family);
	RETURN NULL;
END
$$;
CREATE TRIGGER refresh_tokens_auth_notify
	AFTER INSERT OR UPDATE OF revoked_at ON refresh_tokens
	FOR EACH ROW WHEN (NEW.revoked_at IS NOT NULL)
	EXECUTE FUNCTION auth_notify_session();

CREATE FUNCTION auth_notify_unread() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP <> 'INSERT' THEN
		PERFORM pg_notify('adept_auth', 'n:' || OLD.user_id);
	END IF;
	IF TG_OP <> 'DELETE' THEN
		PERFORM pg_notify('adept_auth', 'n:' || NEW.user_id);
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER notifications_auth_notify
	AFTER INSERT OR DELETE OR UPDATE OF read_at, user_id ON notifications
	FOR EACH ROW EXECUTE FUNCTION auth_notify_unread();
