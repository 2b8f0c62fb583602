-- The micro-learning feed (issue 6, /feed): the answers given to its
-- in-place true/false quizzes.  One row per learner, question and the time
-- the card was shown (the page's hidden "shown", ms), so a doubled or
-- retried submission of the same card finds its row and counts once.
CREATE TABLE feed_answers (
	user_id		bigint NOT NULL REFERENCES users ON DELETE CASCADE,
	question_id	bigint NOT NULL REFERENCES questions ON DELETE CASCADE,
	shown_ms	bigint NOT NULL CHECK (shown_ms >= 0),
	version_id	bigint NOT NULL REFERENCES question_versions
			    ON DELETE CASCADE,
	option_id	bigint REFERENCES question_options ON DELETE SET NULL,
	correct		boolean NOT NULL,
	response_ms	integer NOT NULL CHECK (response_ms >= 0),
	answered_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (user_id, question_id, shown_ms)
);
CREATE INDEX feed_answers_user ON feed_answers (user_id, answered_at);

-- Popularity: completions per lesson without scanning every learner's
-- progress.
CREATE INDEX lesson_progress_completed ON lesson_progress (lesson_id)
	WHERE status = 'completed';
