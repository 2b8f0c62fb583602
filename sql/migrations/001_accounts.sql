-- Accounts, sessions, throttling and the audit log.

CREATE TABLE users (
	id		bigserial PRIMARY KEY,
	email		text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
	full_name	text NOT NULL CHECK (length(full_name) BETWEEN 1 AND 100),
	password_hash	text NOT NULL,
	role		text NOT NULL DEFAULT 'learner'
			CHECK (role IN ('learner', 'instructor', 'admin')),
	is_active	boolean NOT NULL DEFAULT true,
	created_at	timestamptz NOT NULL DEFAULT now(),
	password_changed_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

-- Learner profile: skill levels and preferences (seed 000: learner_profiles).
CREATE TABLE learner_profiles (
	user_id		bigint PRIMARY KEY REFERENCES users ON DELETE CASCADE,
	skill_levels	jsonb NOT NULL DEFAULT '{}',
	preferences	jsonb NOT NULL DEFAULT '{}',
	updated_at	timestamptz NOT NULL DEFAULT now()
);

-- Refresh tokens: stored as SHA-256 hashes; a family is one sign-in.
-- Rotation marks the old token used; presenting a used token again revokes
-- the whole family (reuse detection).
CREATE TABLE refresh_tokens (
	id		bigserial PRIMARY KEY,
	user_id		bigint NOT NULL REFERENCES users ON DELETE CASCADE,
	family		text NOT NULL,
	token_hash	text NOT NULL UNIQUE,
	created_at	timestamptz NOT NULL DEFAULT now(),
	expires_at	timestamptz NOT NULL,
	used_at		timestamptz,
	revoked_at	timestamptz
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);

-- Sign-in failures per key ("acct:<email>" or "addr:<ip>").
CREATE TABLE login_failures (
	key		text PRIMARY KEY,
	failures	integer NOT NULL DEFAULT 0,
	last_failure	timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE audit_log (
	id		bigserial PRIMARY KEY,
	at		timestamptz NOT NULL DEFAULT now(),
	actor_id	bigint REFERENCES users ON DELETE SET NULL,
	action		text NOT NULL,
	object		text NOT NULL DEFAULT '',
	detail		jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at ON audit_log (at);

CREATE TABLE site_meta (
	key		text PRIMARY KEY,
	value		text NOT NULL,
	updated_at	timestamptz NOT NULL DEFAULT now()
);
