-- Narrated micro-lessons (issue 8, micro): a generated item of kind
-- 'microlesson' holds its video, captions and thumbnail as uploads named
-- in its content; the uploads it holds are listed here too, so the
-- orphan clean-up (media_orphans_delete) keeps them while the item waits
-- for review.  Approval attaches them to the video lesson it makes
-- (lesson_media); a rejected item's files become orphans and go.
ALTER TABLE generated_items
	ADD COLUMN uploads bigint[] NOT NULL DEFAULT '{}';
CREATE INDEX generated_items_uploads ON generated_items USING gin (uploads)
	WHERE status = 'pending';
