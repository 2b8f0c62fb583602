-- The learner dashboard (src/pages/dashboard.c).  Everything here reads
-- per-learner rows through the user's index: rollups and sessions, never
-- the event log.

-- Study sessions of the last 400 days: start (Unix s), seconds.
-- name: dashboard_sessions
SELECT floor(extract(epoch FROM started_at))::bigint,
       extract(epoch FROM last_at - started_at)::int
FROM learner_sessions
WHERE user_id = $1 AND started_at > now() - interval '400 days'
ORDER BY started_at
LIMIT 20000;

-- Quiz scores of the last 90 days: percent, submitted (Unix s).
-- name: dashboard_scores
SELECT score, floor(extract(epoch FROM submitted_at))::bigint
FROM attempts
WHERE user_id = $1 AND status = 'submitted' AND score IS NOT NULL
  AND assessment_id IS NOT NULL
  AND submitted_at > now() - interval '90 days'
ORDER BY submitted_at
LIMIT 1000;

-- Lessons: id, started, completed (Unix s, 0 = not completed).
-- name: dashboard_lessons
SELECT lesson_id, floor(extract(epoch FROM started_at))::bigint,
       COALESCE(floor(extract(epoch FROM completed_at))::bigint, 0)
FROM lesson_progress WHERE user_id = $1
LIMIT 20000;

-- name: dashboard_courses_done
SELECT floor(extract(epoch FROM completed_at))::bigint
FROM enrollments
WHERE user_id = $1 AND status = 'completed' AND completed_at IS NOT NULL
ORDER BY completed_at;

-- Skills with a level or a goal target: id, name, mastery, level,
-- target (0 = none).
-- name: dashboard_skills
WITH ids AS (
	SELECT skill_id FROM learner_skill_state WHERE user_id = $1
	UNION
	SELECT skill_id FROM learner_goal_skills WHERE user_id = $1)
SELECT s.id, s.name, COALESCE(ls.p_known, 0), COALESCE(ls.level, 0),
       COALESCE(g.target_level, 0)
FROM ids
JOIN skills s ON s.id = ids.skill_id
LEFT JOIN learner_skill_state ls ON ls.user_id = $1 AND ls.skill_id = s.id
LEFT JOIN learner_goal_skills g ON g.user_id = $1 AND g.skill_id = s.id
ORDER BY lower(s.name), s.id
LIMIT 60;

-- The last year by day: days ago (0 = today), actions, study seconds.
-- name: dashboard_daily
SELECT ((now() AT TIME ZONE 'UTC')::date - day)::int,
       lessons_completed + answers + reviews, study_seconds
FROM learner_daily
WHERE user_id = $1 AND day > (now() AT TIME ZONE 'UTC')::date - 371;

-- The goal and the newest path's progress: deadline (Unix s, 0 = none),
-- goal set (Unix s), path hours done, path hours in all.
-- name: dashboard_goal
SELECT COALESCE(floor(extract(epoch FROM g.deadline::timestamp
                AT TIME ZONE 'UTC'))::bigint, 0),
       floor(extract(epoch FROM g.updated_at))::bigint,
       COALESCE(pp.done, 0), COALESCE(pp.total, 0)
FROM learner_goals g
LEFT JOIN LATERAL (
	SELECT sum(s.hours) FILTER (WHERE e.status = 'completed') AS done,
	       sum(s.hours) AS total
	FROM learning_paths p
	JOIN learning_path_steps s ON s.path_id = p.id
	LEFT JOIN enrollments e ON e.user_id = p.user_id
	     AND e.course_id = s.course_id
	WHERE p.user_id = g.user_id
	  AND p.version = (SELECT max(version) FROM learning_paths q
			   WHERE q.user_id = g.user_id)) pp ON true
WHERE g.user_id = $1;

-- The version (ver, migration 038) of the learner's cached dashboard, if
-- computed today (UTC) less than a minute ago and nothing has changed the
-- learner's recommendations since (learner_rec_state.gen, see migration
-- 026), nor are they due for their five-minute refresh.  A worker that
-- holds that version of the row uses its copy; the others read it with
-- dashboard_cache_parts.  (Leaving the ~33 KB of text out of the statement
-- every dashboard runs halves its cost to PostgreSQL.)
-- name: dashboard_cache_get
SELECT d.ver
FROM dashboard_cache d
JOIN learner_rec_state s ON s.user_id = d.user_id AND s.gen = d.gen
     AND NOT s.stale AND s.refreshed_at > now() - interval '300 seconds'
WHERE d.user_id = $1 AND d.day = (now() AT TIME ZONE 'UTC')::date
  AND d.computed_at > now() - interval '60 seconds';

-- Version $2 of the learner's cached dashboard (no row once it has been
-- rewritten): message, courses, analytics, JSON body, recommendations
-- (HTML, with CSRF slots) and their JSON members.
-- name: dashboard_cache_parts
SELECT message, courses_html, analytics_html, api_json, recs_html,
       recs_json
FROM dashboard_cache
WHERE user_id = $1 AND ver = $2;

-- $1 user, $2 message, $3 courses, $4 analytics, $5 JSON, $6 the
-- recommendations' gen, $7 their HTML, $8 their JSON.  Returns the row's
-- new ver.
-- name: dashboard_cache_put
INSERT INTO dashboard_cache AS d (user_id, day, computed_at, message,
    courses_html, analytics_html, api_json, gen, recs_html, recs_json)
VALUES ($1, (now() AT TIME ZONE 'UTC')::date, now(), $2, $3, $4, $5, $6,
    $7, $8)
ON CONFLICT (user_id) DO UPDATE
SET day = excluded.day, computed_at = excluded.computed_at,
    message = excluded.message, courses_html = excluded.courses_html,
    analytics_html = excluded.analytics_html, api_json = excluded.api_json,
    gen = excluded.gen, recs_html = excluded.recs_html,
    recs_json = excluded.recs_json
RETURNING ver;
