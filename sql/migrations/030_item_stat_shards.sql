-- Item running statistics without a hot row (issue 5, the exam-start
-- spike).  Every answer adds itself to its item's statistics in the
-- answer's own transaction; with one row per item, every learner answering
-- the same question queued on that row's lock until the holder's commit
-- was flushed, so a class answering question 1 together committed one at
-- a time.  Now each item has up to 64 shard rows and an answer adds to the
-- shard of its database connection (pg_backend_pid() % 64): a connection
-- runs one transaction at a time, so concurrent answers meet on a row only
-- when two live connections' process ids collide modulo 64.  Still exact
-- (the same upsert, in the same transaction, nothing deferred); readers
-- see the sums through the item_stats view, whose version_id condition
-- PostgreSQL pushes below the GROUP BY (an index scan of at most 64 rows).
CREATE TABLE item_stat_shards (
	version_id	bigint NOT NULL REFERENCES question_versions
			    ON DELETE CASCADE,
	shard		smallint NOT NULL CHECK (shard BETWEEN 0 AND 63),
	attempts	integer NOT NULL DEFAULT 0,
	correct		integer NOT NULL DEFAULT 0,
	sum_ms		bigint NOT NULL DEFAULT 0,
	PRIMARY KEY (version_id, shard)
);

INSERT INTO item_stat_shards (version_id, shard, attempts, correct, sum_ms)
SELECT version_id, 0, attempts, correct, sum_ms FROM item_stats;

-- review_card_view (016) reads item_stats: it is dropped with the table
-- and made again unchanged over the view below.
DROP VIEW review_card_view;
DROP TABLE item_stats;

CREATE VIEW item_stats AS
SELECT version_id, sum(attempts)::integer AS attempts,
       sum(correct)::integer AS correct, sum(sum_ms)::bigint AS sum_ms
FROM item_stat_shards
GROUP BY version_id;

CREATE VIEW review_card_view AS
SELECT c.id, COALESCE(c.question_id, 0) AS question_id,
       COALESCE(c.flashcard_id, 0) AS flashcard_id,
       c.state, c.stability, c.difficulty, c.step, c.reps, c.lapses,
       c.elapsed_days, c.scheduled_days,
       COALESCE(floor(extract(epoch FROM c.last_review))::bigint, 0)
	   AS last_review_s,
       floor(extract(epoch FROM c.due))::bigint AS due_s,
       COALESCE(f.front, '') AS front, COALESCE(f.back, '') AS back,
       COALESCE(l.title, '') AS lesson_title, COALESCE(q.kind, '') AS kind,
       COALESCE(v.id, 0) AS version_id, COALESCE(v.title, '') AS title,
       COALESCE(v.stem, '') AS stem, COALESCE(v.explanation, '')
	   AS explanation, COALESCE(v.difficulty, 0) AS item_difficulty,
       COALESCE((SELECT st.sum_ms / nullif(st.attempts, 0)
		 FROM item_stats st WHERE st.version_id = v.id), 0)
	   AS item_ms,
       c.user_id, c.due, q.archived_at
FROM review_cards c
LEFT JOIN flashcards f ON f.id = c.flashcard_id
LEFT JOIN lessons l ON l.id = f.lesson_id
LEFT JOIN questions q ON q.id = c.question_id
LEFT JOIN question_versions v ON v.question_id = q.id
     AND v.version = q.current_version;
