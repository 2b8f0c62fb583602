-- The adaptive loop (issue 6): goals, learning-path snapshots,
-- recommendations with their reasons and actions, spaced reviews (FSRS-6),
-- flashcards, achievements, and the per-learner rollups the dashboard reads.
--
-- The rule the tables keep: what the dashboard shows is read from rollups
-- written in the same transaction as the action (learner_daily,
-- learner_hourly, learner_sessions), never from scans of the event log, so
-- a page costs a few index lookups whatever the learner's history.

-- A learner's goal: target levels per skill, a deadline and the hours a
-- week they can give; review settings live here too (one row a learner).
CREATE TABLE learner_goals (
	user_id		bigint PRIMARY KEY REFERENCES users ON DELETE CASCADE,
	deadline	date,
	hours_per_week	double precision NOT NULL DEFAULT 5
			CHECK (hours_per_week > 0 AND hours_per_week <= 80),
	retention	double precision NOT NULL DEFAULT 0.9
			CHECK (retention >= 0.7 AND retention <= 0.97),
	daily_limit	integer NOT NULL DEFAULT 50
			CHECK (daily_limit BETWEEN 1 AND 500),
	updated_at	timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE learner_goal_skills (
	user_id		bigint NOT NULL REFERENCES users ON DELETE CASCADE,
	skill_id	bigint NOT NULL REFERENCES skills ON DELETE CASCADE,
	target_level	integer NOT NULL CHECK (target_level BETWEEN 1 AND 10),
	PRIMARY KEY (user_id, skill_id)
);

-- Learning paths are versioned snapshots: a new plan (generated again,
-- adjusted weekly) is a new row; old ones stay to compare against.
CREATE TABLE learning_paths (
	id		bigserial PRIMARY KEY,
	user_id		bigint NOT NULL REFERENCES users ON DELETE CASCADE,
	version		integer NOT NULL CHECK (version >= 1),
	reason		text NOT NULL,		-- why this version exists
	goal		jsonb NOT NULL DEFAULT '{}',	-- the goal it was made for
	total_hours	double precision NOT NULL DEFAULT 0,
	weeks		double precision NOT NULL DEFAULT 0,
	gaps		jsonb NOT NULL DEFAULT '[]',	-- gaps no course covers
	notes		jsonb NOT NULL DEFAULT '[]',	-- skipped steps, changes
	model_version	text NOT NULL,
	created_at	timestamptz NOT NULL DEFAULT now(),
	UNIQUE (user_id, version)
);

CREATE TABLE learning_path_steps (
	path_id		bigint NOT NULL REFERENCES learning_paths
			    ON DELETE CASCADE,
	position	integer NOT NULL CHECK (position >= 1),
	kind		text NOT NULL
			CHECK (kind IN ('course', 'revision', 'advanced')),
	course_id	bigint REFERENCES courses ON DELETE CASCADE,
	skill_id	bigint REFERENCES skills ON DELETE SET NULL,
	reason		text NOT NULL,		-- the sentence a person reads
	reason_code	text NOT NULL,		-- builds | prereq_course | ...
	hours		double precision NOT NULL DEFAULT 0,
	PRIMARY KEY (path_id, position)
);

-- Recommendations: every suggestion keeps its reason, the inputs it was
-- made from and the model that made it; the learner's action on it is
-- recorded (and feeds the bandit).
CREATE TABLE recommendations (
	id		bigserial PRIMARY KEY,
	user_id		bigint NOT NULL REFERENCES users ON DELETE CASCADE,
	kind		text NOT NULL CHECK (kind IN ('next_lesson', 'revision',
			    'review', 'difficulty', 'struggling')),
	course_id	bigint REFERENCES courses ON DELETE CASCADE,
	lesson_id	bigint REFERENCES lessons ON DELETE CASCADE,
	skill_id	bigint REFERENCES skills ON DELETE CASCADE,
	title		text NOT NULL,
	reason		text NOT NULL,
	inputs		jsonb NOT NULL DEFAULT '{}',
	model_version	text NOT NULL,
	rank		integer NOT NULL DEFAULT 0,	-- 0 = the featured one
	chosen_by	text NOT NULL DEFAULT 'rule'
			CHECK (chosen_by IN ('rule', 'bandit', 'explore')),
	status		text NOT NULL DEFAULT 'open'
			CHECK (status IN ('open', 'accepted', 'skipped',
			    'dismissed', 'expired')),
	created_at	timestamptz NOT NULL DEFAULT now(),
	acted_at	timestamptz,
	succeeded	boolean		-- later success after acceptance
);
CREATE INDEX recommendations_user ON recommendations (user_id, status, id);
-- One open recommendation per learner, kind and target at a time.
CREATE UNIQUE INDEX recommendations_one_open ON recommendations
	(user_id, kind, COALESCE(lesson_id, 0), COALESCE(skill_id, 0))
	WHERE status = 'open';

CREATE TABLE recommendation_actions (
	id		bigserial PRIMARY KEY,
	recommendation_id bigint NOT NULL REFERENCES recommendations
			    ON DELETE CASCADE,
	user_id		bigint NOT NULL REFERENCES users ON DELETE CASCADE,
	action		text NOT NULL
			CHECK (action IN ('accept', 'skip', 'dismiss')),
	at		timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX recommendation_actions_rec ON recommendation_actions
	(recommendation_id);

-- The bandit over recommendation kinds (Thompson sampling, site-wide):
-- a Beta posterior per kind, updated by acceptance and later success.
CREATE TABLE recommendation_bandit (
	kind		text PRIMARY KEY,
	alpha		double precision NOT NULL DEFAULT 1 CHECK (alpha > 0),
	beta		double precision NOT NULL DEFAULT 1 CHECK (beta > 0),
	pulls		bigint NOT NULL DEFAULT 0,
	updated_at	timestamptz NOT NULL DEFAULT now()
);
INSERT INTO recommendation_bandit (kind) VALUES
	('next_lesson'), ('revision'), ('review'), ('difficulty'),
	('struggling');
-- How many choices the bandit made and how many deviated from the rules'
-- first pick (the exploration budget is a share of the first).
CREATE TABLE recommendation_bandit_budget (
	id		boolean PRIMARY KEY DEFAULT true CHECK (id),
	decisions	bigint NOT NULL DEFAULT 0,
	deviations	bigint NOT NULL DEFAULT 0
);
INSERT INTO recommendation_bandit_budget DEFAULT VALUES;

-- When a learner's recommendations were last computed; an action that
-- changes what should be recommended marks them stale.
CREATE TABLE learner_rec_state (
	user_id		bigint PRIMARY KEY REFERENCES users ON DELETE CASCADE,
	refreshed_at	timestamptz,
	stale		boolean NOT NULL DEFAULT true
);

-- Flashcards an instructor writes for a lesson; a learner who completes
-- the lesson gets them as review cards.
CREATE TABLE flashcards (
	id		bigserial PRIMARY KEY,
	lesson_id	bigint NOT NULL REFERENCES lessons ON DELETE CASCADE,
	front		text NOT NULL CHECK (length(front) BETWEEN 1 AND 500),
	back		text NOT NULL CHECK (length(back) BETWEEN 1 AND 2000),
	position	integer NOT NULL DEFAULT 0
);
CREATE INDEX flashcards_lesson ON flashcards (lesson_id, position, id);

-- A learner's review card: a question they answered or a flashcard of a
-- lesson they completed, with its FSRS-6 memory state.
CREATE TABLE review_cards (
	id		bigserial PRIMARY KEY,
	user_id		bigint NOT NULL REFERENCES users ON DELETE CASCADE,
	question_id	bigint REFERENCES questions ON DELETE CASCADE,
	flashcard_id	bigint REFERENCES flashcards ON DELETE CASCADE,
	state		smallint NOT NULL DEFAULT 0 CHECK (state BETWEEN 0 AND 3),
	stability	double precision NOT NULL DEFAULT 0,
	difficulty	double precision NOT NULL DEFAULT 0,
	step		integer NOT NULL DEFAULT 0,
	reps		integer NOT NULL DEFAULT 0,
	lapses		integer NOT NULL DEFAULT 0,
	elapsed_days	bigint NOT NULL DEFAULT 0,
	scheduled_days	bigint NOT NULL DEFAULT 0,
	last_review	timestamptz,
	due		timestamptz NOT NULL DEFAULT now(),
	created_at	timestamptz NOT NULL DEFAULT now(),
	CHECK ((question_id IS NULL) <> (flashcard_id IS NULL)),
	UNIQUE (user_id, question_id),
	UNIQUE (user_id, flashcard_id)
);
CREATE INDEX review_cards_due ON review_cards (user_id, due);

-- A card as the review page shows it: its FSRS state (times as Unix
-- seconds), the flashcard's sides and lesson, or the question's current
-- version and the item's mean response time (0 = unknown).  Column order
-- is what src/pages/srs.c reads (card_read).
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

CREATE TABLE review_log (
	id		bigserial PRIMARY KEY,
	card_id		bigint NOT NULL REFERENCES review_cards ON DELETE CASCADE,
	user_id		bigint NOT NULL REFERENCES users ON DELETE CASCADE,
	rating		smallint NOT NULL CHECK (rating BETWEEN 1 AND 4),
	inferred	boolean NOT NULL DEFAULT false,	-- from correctness+time
	-- review: done on /review (counts against the daily limit); answer:
	-- a quiz or feed answer that also served as a review.
	source		text NOT NULL DEFAULT 'review'
			CHECK (source IN ('review', 'answer')),
	correct		boolean,
	response_ms	integer CHECK (response_ms >= 0),
	state_before	smallint NOT NULL,
	retrievability	double precision,	-- R at the review (NULL: new)
	scheduled_days	bigint NOT NULL,
	-- One review per card and (client-supplied or derived) key: a retried
	-- or doubled submission counts once.
	idem		text NOT NULL,
	reviewed_at	timestamptz NOT NULL DEFAULT now(),
	UNIQUE (card_id, idem)
);
CREATE INDEX review_log_user ON review_log (user_id, reviewed_at);

-- Rollups maintained on write (the dashboard reads only these).
CREATE TABLE learner_daily (
	user_id		bigint NOT NULL REFERENCES users ON DELETE CASCADE,
	day		date NOT NULL,
	lessons_completed integer NOT NULL DEFAULT 0,
	answers		integer NOT NULL DEFAULT 0,
	correct		integer NOT NULL DEFAULT 0,
	quizzes		integer NOT NULL DEFAULT 0,	-- submitted attempts
	quiz_score_sum	double precision NOT NULL DEFAULT 0,	-- percents
	reviews		integer NOT NULL DEFAULT 0,
	study_seconds	integer NOT NULL DEFAULT 0,
	PRIMARY KEY (user_id, day)
);

-- Activity by UTC hour of the week (dow 0 = Sunday) for engagement
-- patterns.
CREATE TABLE learner_hourly (
	user_id		bigint NOT NULL REFERENCES users ON DELETE CASCADE,
	dow		smallint NOT NULL CHECK (dow BETWEEN 0 AND 6),
	hour		smallint NOT NULL CHECK (hour BETWEEN 0 AND 23),
	actions		integer NOT NULL DEFAULT 0,
	PRIMARY KEY (user_id, dow, hour)
);

-- Study sessions: activity less than 30 minutes after the last extends
-- the open session, else starts a new one.
CREATE TABLE learner_sessions (
	id		bigserial PRIMARY KEY,
	user_id		bigint NOT NULL REFERENCES users ON DELETE CASCADE,
	started_at	timestamptz NOT NULL,
	last_at		timestamptz NOT NULL
);
CREATE INDEX learner_sessions_user ON learner_sessions (user_id, last_at);

-- The dashboard's computed part per learner (analytics, charts, course
-- list, and the JSON twin's body), kept for a minute and dropped by any
-- action of the learner that changes it (rec_mark_stale), so a dashboard
-- costs one read between changes.  day: the UTC day it was computed for
-- (streaks and forecasts count from today).
CREATE TABLE dashboard_cache (
	user_id		bigint PRIMARY KEY REFERENCES users ON DELETE CASCADE,
	day		date NOT NULL,
	computed_at	timestamptz NOT NULL DEFAULT now(),
	message		text NOT NULL,
	courses_html	text NOT NULL,
	analytics_html	text NOT NULL,
	api_json	text NOT NULL
);

CREATE TABLE achievements (
	user_id		bigint NOT NULL REFERENCES users ON DELETE CASCADE,
	code		text NOT NULL,		-- first_course, streak_7, mastery:<skill>
	title		text NOT NULL,
	earned_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (user_id, code)
);

-- The weekly path adjustment (src/jobs), Mondays 04:00.
INSERT INTO job_schedules (name, kind, every, next_run_at) VALUES
	('path_adjust_weekly', 'path_adjust', interval '7 days',
	    date_trunc('week', now()) + interval '7 days 4 hours');
