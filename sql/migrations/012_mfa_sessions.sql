-- Account hardening (issue 9, harden): TOTP second factor, recovery codes,
-- a per-account "must enrol" flag, and deletion on request.
--
-- The TOTP secret is stored sealed (libsodium secretbox under a subkey of
-- the site secret, hex of nonce || box): the server must be able to read it
-- back to check codes, so it cannot be hashed, but a dump of the table
-- alone does not give it away.  totp_last_step is the last time step a
-- code was accepted for, so a code cannot be replayed within its window.
-- mfa_required makes one account enrol at its next sign-in whatever its
-- role (admins always must, unless ADEPT_ADMIN_MFA=optional).
ALTER TABLE users
	ADD COLUMN mfa_required		boolean NOT NULL DEFAULT false,
	ADD COLUMN totp_secret		text,
	ADD COLUMN totp_enabled_at	timestamptz,
	ADD COLUMN totp_last_step	bigint NOT NULL DEFAULT 0,
	ADD COLUMN deleted_at		timestamptz;

-- Single-use recovery codes: only SHA-256 of the code is kept (a code has
-- 50 random bits and sign-in is throttled, so a fast hash is enough).
CREATE TABLE recovery_codes (
	id		bigserial PRIMARY KEY,
	user_id		bigint NOT NULL REFERENCES users ON DELETE CASCADE,
	code_hash	text NOT NULL,
	created_at	timestamptz NOT NULL DEFAULT now(),
	used_at		timestamptz,
	UNIQUE (user_id, code_hash)
);
