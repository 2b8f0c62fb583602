-- Lesson media (issue 7, uploads): files an instructor attaches to a lesson.
-- An upload belongs to at most one lesson; deleting the lesson detaches it
-- (the orphan clean-up job then removes the file), deleting the upload
-- removes the attachment.
CREATE TABLE lesson_media (
	lesson_id	bigint NOT NULL REFERENCES lessons ON DELETE CASCADE,
	upload_id	bigint NOT NULL UNIQUE REFERENCES uploads ON DELETE CASCADE,
	created_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (lesson_id, upload_id)
);

CREATE INDEX uploads_created ON uploads (created_at);

-- Orphaned uploads and stale temporary files are removed nightly (kind
-- upload_cleanup, src/jobs/upload_cleanup.c).
INSERT INTO job_schedules (name, kind, every, next_run_at) VALUES
	('upload_cleanup_nightly', 'upload_cleanup', interval '1 day',
	    date_trunc('day', now()) + interval '1 day 3 hours');
