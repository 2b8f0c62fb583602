-- Model metadata in the admin panel (issue 9, adminx): rolling a target
-- back to an earlier fit.
--
-- A rollback copies an earlier fit's parameters back into the live table
-- (question_versions.irt_* or skill_bkt_params) and records a new
-- model_metadata row with the same parameters, metrics and data window,
-- marked with the fit it restores and who asked.  So a target's newest row
-- (highest id) is always the one in use, and the history reads in order.
ALTER TABLE model_metadata
	ADD COLUMN rollback_of	bigint REFERENCES model_metadata
			    ON DELETE SET NULL,
	ADD COLUMN created_by	bigint REFERENCES users ON DELETE SET NULL;
