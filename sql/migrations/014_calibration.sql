-- Item calibration and regrade (issue 5, calib).
--
-- model_metadata records every fitted model: what was fitted (kind,
-- target), the parameters and the fit statistics as JSON, and the data
-- window (first and last response used).  One row per item version per
-- refit, so an item's calibration history stays readable; the current
-- parameters live in question_versions.irt_* as before.
--
-- regrades records each instructor regrade (which version's key was
-- declared right, how many responses changed), for audit.

CREATE TABLE model_metadata (
	id		bigserial PRIMARY KEY,
	-- 'irt_rasch' or 'irt_2pl' (item calibration by MML).
	model_kind	text NOT NULL,
	-- 'item_version' (target_id = question_versions.id) or 'skill'.
	target_kind	text NOT NULL CHECK (target_kind IN ('item_version',
			    'skill')),
	target_id	bigint NOT NULL,
	-- {"a": .., "b": .., "c": ..}
	params		jsonb NOT NULL,
	-- {"loglik", "n_persons", "n_responses", "n_item_responses",
	--  "n_items", "iterations", "converged", "sigma"}
	metrics		jsonb NOT NULL,
	fitted_at	timestamptz NOT NULL DEFAULT now(),
	data_from	timestamptz,
	data_to		timestamptz
);
CREATE INDEX model_metadata_target ON model_metadata
	(target_kind, target_id, fitted_at DESC);

CREATE TABLE regrades (
	id		bigserial PRIMARY KEY,
	question_id	bigint NOT NULL REFERENCES questions ON DELETE CASCADE,
	-- The version whose answer key is right; older versions' responses
	-- are re-scored with it.
	key_version_id	bigint NOT NULL REFERENCES question_versions
			    ON DELETE CASCADE,
	by_user		bigint REFERENCES users ON DELETE SET NULL,
	responses_changed integer NOT NULL DEFAULT 0,
	attempts_changed integer NOT NULL DEFAULT 0,
	created_at	timestamptz NOT NULL DEFAULT now()
);

INSERT INTO job_schedules (name, kind, every, next_run_at) VALUES
	('calibrate_nightly', 'calibrate', interval '1 day',
	    date_trunc('day', now()) + interval '1 day 3 hours');
