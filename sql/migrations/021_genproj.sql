-- Generation projects (issue 8, genproj): what the review pages and the
-- personalised view need beyond 019_materials.sql.
--
-- A cached personalised rendering is only good for the content it was made
-- from: source_hash is the md5 of that content, so an edited or newly
-- approved lesson makes the row stale (it is rebuilt on the next request)
-- without anyone having to remember to invalidate it.
ALTER TABLE personalised_cache
	ADD COLUMN source_hash text NOT NULL DEFAULT '';

-- "Which generated item became this question / lesson" (the review-again
-- list and the module view join this way).
CREATE INDEX generated_items_question ON generated_items (question_id)
	WHERE question_id IS NOT NULL;
CREATE INDEX generated_items_lesson ON generated_items (lesson_id)
	WHERE lesson_id IS NOT NULL;
