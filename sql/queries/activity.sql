-- Per-learner rollups written in the same transaction as the action
-- (src/pages/activity.c), so the dashboard never scans history.

-- One statement (every part of a WITH that writes runs, read or not), so
-- an answer pays one round trip for all of it: the day, the hour of the
-- week, the study session (extended if the last activity was under 30
-- minutes ago, else a new one), and the learner's recommendations marked
-- stale with the dashboard cache dropped (rec_mark_stale's two
-- statements).  $1 user, then the increments: $2 lessons completed,
-- $3 answers, $4 correct, $5 quizzes submitted, $6 quiz score (percent
-- sum), $7 reviews, $8 study seconds.  Days and hours are UTC.
-- name: activity_record
WITH daily AS (
	INSERT INTO learner_daily AS d (user_id, day, lessons_completed,
	    answers, correct, quizzes, quiz_score_sum, reviews, study_seconds)
	VALUES ($1, (now() AT TIME ZONE 'UTC')::date, $2, $3, $4, $5, $6, $7,
	    $8)
	ON CONFLICT (user_id, day) DO UPDATE
	SET lessons_completed = d.lessons_completed + excluded.lessons_completed,
	    answers = d.answers + excluded.answers,
	    correct = d.correct + excluded.correct,
	    quizzes = d.quizzes + excluded.quizzes,
	    quiz_score_sum = d.quiz_score_sum + excluded.quiz_score_sum,
	    reviews = d.reviews + excluded.reviews,
	    study_seconds = d.study_seconds + excluded.study_seconds),
hourly AS (
	INSERT INTO learner_hourly AS h (user_id, dow, hour, actions)
	VALUES ($1, extract(dow FROM now() AT TIME ZONE 'UTC')::smallint,
	    extract(hour FROM now() AT TIME ZONE 'UTC')::smallint, 1)
	ON CONFLICT (user_id, dow, hour) DO UPDATE SET actions = h.actions + 1),
cur AS (
	SELECT id FROM learner_sessions
	WHERE user_id = $1 AND last_at > now() - interval '30 minutes'
	ORDER BY last_at DESC LIMIT 1),
upd AS (
	UPDATE learner_sessions s SET last_at = greatest(s.last_at, now())
	FROM cur WHERE s.id = cur.id RETURNING s.id),
session AS (
	INSERT INTO learner_sessions (user_id, started_at, last_at)
	SELECT $1, now(), now() WHERE NOT EXISTS (SELECT 1 FROM upd)),
stale AS (
	INSERT INTO learner_rec_state AS s (user_id, stale) VALUES ($1, true)
	ON CONFLICT (user_id) DO UPDATE SET stale = true)
DELETE FROM dashboard_cache WHERE user_id = $1;
