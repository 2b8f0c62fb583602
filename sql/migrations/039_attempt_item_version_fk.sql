-- Fewer and colder foreign-key checks on the exam path (issue 5's spike).
--
-- Every referential check locks the row it finds (FOR KEY SHARE).  A quiz
-- start inserts all its items at once, and an attempt item had a key to
-- questions and another to question_versions: two checks per item
-- (EXPLAIN ANALYZE of attempt_start for ten items: 31 trigger calls, about
-- 0.6 ms of its 1 ms).  A response had a key to its attempt item and
-- another to question_versions, whose rows every learner of an exam shares:
-- concurrent answers to the same question queued on that row's lock and
-- made it a multixact (the response's insert took 0.17 ms answered one
-- learner at a time, 0.31-0.42 ms with four answering the same question).
--
--  - attempt_items: the pair (question_id, version_id) references the
--    version's own (question_id, id): one check per item, and a stronger
--    rule (the version must be one of that question's).
--  - responses: (attempt_id, seq, version_id) references the attempt
--    item: one check, on the learner's own row, and the response's version
--    must be the one the item showed.
-- Deletes cascade as before: a question's versions, their items, their
-- responses.
CREATE UNIQUE INDEX question_versions_question_id_id
	ON question_versions (question_id, id);

ALTER TABLE attempt_items
	DROP CONSTRAINT attempt_items_question_id_fkey,
	DROP CONSTRAINT attempt_items_version_id_fkey,
	ADD CONSTRAINT attempt_items_version_fkey
	    FOREIGN KEY (question_id, version_id)
	    REFERENCES question_versions (question_id, id) ON DELETE CASCADE;

CREATE UNIQUE INDEX attempt_items_attempt_id_seq_version_id
	ON attempt_items (attempt_id, seq, version_id);

ALTER TABLE responses
	DROP CONSTRAINT responses_attempt_id_seq_fkey,
	DROP CONSTRAINT responses_version_id_fkey,
	ADD CONSTRAINT responses_item_fkey
	    FOREIGN KEY (attempt_id, seq, version_id)
	    REFERENCES attempt_items (attempt_id, seq, version_id)
	    ON DELETE CASCADE;
