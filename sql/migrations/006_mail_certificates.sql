-- E-mail delivery, password reset, mail preferences, in-app notifications
-- and course certificates (issue 7).

-- The outbox (003) gains what the sender needs: the HTML part, the
-- recipient's account (for preferences; rows written without it are
-- matched by address), a delivery state, the Message-ID it went out with,
-- and the hash of the unsubscribe token its footer carries (a fresh token
-- is made at each attempt; only the hash is kept).
ALTER TABLE email_outbox
	ADD COLUMN body_html	text,
	ADD COLUMN user_id	bigint REFERENCES users ON DELETE SET NULL,
	ADD COLUMN status	text NOT NULL DEFAULT 'pending'
		CHECK (status IN ('pending', 'sent', 'suppressed', 'dead')),
	ADD COLUMN message_id	text,
	ADD COLUMN unsub_hash	text;
CREATE INDEX email_outbox_due ON email_outbox (next_attempt_at)
	WHERE status = 'pending';
CREATE UNIQUE INDEX email_outbox_unsub ON email_outbox (unsub_hash)
	WHERE unsub_hash IS NOT NULL;

-- Single-use password reset links; only SHA-256 of the token is stored.
CREATE TABLE password_resets (
	id		bigserial PRIMARY KEY,
	user_id		bigint NOT NULL REFERENCES users ON DELETE CASCADE,
	token_hash	text NOT NULL UNIQUE,
	created_at	timestamptz NOT NULL DEFAULT now(),
	expires_at	timestamptz NOT NULL,
	used_at		timestamptz
);
CREATE INDEX password_resets_user ON password_resets (user_id, created_at);

-- Which mails a user does not want, per kind ('all' = every non-security
-- mail).  No row = wanted.
CREATE TABLE mail_prefs (
	user_id		bigint NOT NULL REFERENCES users ON DELETE CASCADE,
	kind		text NOT NULL CHECK (kind IN ('all', 'enrolment',
			    'completion', 'weekly', 'notification', 'payout')),
	enabled		boolean NOT NULL,
	updated_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (user_id, kind)
);

CREATE TABLE notifications (
	id		bigserial PRIMARY KEY,
	user_id		bigint NOT NULL REFERENCES users ON DELETE CASCADE,
	kind		text NOT NULL CHECK (length(kind) BETWEEN 1 AND 40),
	body		text NOT NULL CHECK (length(body) BETWEEN 1 AND 1000),
	url		text NOT NULL DEFAULT '',
	created_at	timestamptz NOT NULL DEFAULT now(),
	read_at		timestamptz
);
CREATE INDEX notifications_user ON notifications (user_id, id DESC);
CREATE INDEX notifications_unread ON notifications (user_id)
	WHERE read_at IS NULL;

-- One certificate per learner and course.  The id is a random 15-digit
-- number (not a sequence), so ids cannot be enumerated; what it shows is
-- a snapshot taken at issue.
CREATE TABLE certificates (
	id		bigint PRIMARY KEY CHECK (id >= 100000000000000),
	user_id		bigint NOT NULL REFERENCES users ON DELETE CASCADE,
	course_id	bigint NOT NULL REFERENCES courses ON DELETE CASCADE,
	learner_name	text NOT NULL,
	course_title	text NOT NULL,
	instructor_name	text NOT NULL,
	minutes		integer NOT NULL,
	issued_at	timestamptz NOT NULL DEFAULT now(),
	pdf_path	text NOT NULL,
	revoked_at	timestamptz,
	revoked_by	bigint REFERENCES users ON DELETE SET NULL,
	revoke_reason	text NOT NULL DEFAULT '',
	UNIQUE (user_id, course_id)
);

-- The worker (005) runs these: the outbox every minute (actions also
-- enqueue a send at once), the weekly progress report on Mondays.
INSERT INTO job_schedules (name, kind, every, next_run_at) VALUES
	('mail_outbox_minutely', 'mail_outbox', interval '1 minute',
	    date_trunc('minute', now()) + interval '1 minute'),
	('weekly_report', 'weekly_report', interval '7 days',
	    date_trunc('week', now()) + interval '7 days 8 hours');

-- A completed enrolment asks the worker for its certificate, in the same
-- transaction as the completion, whoever completes it (lesson pages, API,
-- admin SQL).  The dedupe key makes it once per learner and course; the
-- "certificate" job itself is idempotent too.
CREATE FUNCTION certificate_on_completion() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO jobs (kind, payload, dedupe_key, max_attempts)
	VALUES ('certificate', jsonb_build_object('user_id', NEW.user_id,
	    'course_id', NEW.course_id),
	    'cert-' || NEW.user_id || '-' || NEW.course_id, 8)
	ON CONFLICT (kind, dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING;
	PERFORM pg_notify('adept_jobs', 'certificate');
	RETURN NEW;
END
$$;
CREATE TRIGGER enrollments_certificate_insert AFTER INSERT ON enrollments
	FOR EACH ROW WHEN (NEW.status = 'completed')
	EXECUTE FUNCTION certificate_on_completion();
CREATE TRIGGER enrollments_certificate_update
	AFTER UPDATE OF status ON enrollments
	FOR EACH ROW WHEN (NEW.status = 'completed' AND
	    OLD.status IS DISTINCT FROM 'completed')
	EXECUTE FUNCTION certificate_on_completion();
