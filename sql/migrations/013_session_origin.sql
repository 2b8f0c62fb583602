-- Where a session was last renewed from (issue 9, harden): the session
-- list shows each refresh-token family's latest address and browser, so
-- a person can tell their sessions apart before revoking one.
ALTER TABLE refresh_tokens
	ADD COLUMN ip		text NOT NULL DEFAULT '',
	ADD COLUMN user_agent	text NOT NULL DEFAULT '';
