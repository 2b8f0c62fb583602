-- A learner's goal (src/pages/goals.c): settings and target levels.

-- Columns: deadline ('' = none), hours a week, retention, daily limit,
-- updated (Unix s, 0 = never set).
-- name: goals_get
SELECT COALESCE(deadline::text, ''), hours_per_week, retention, daily_limit,
       extract(epoch FROM updated_at)::bigint
FROM learner_goals WHERE user_id = $1;

-- Every skill with the learner's target (0 = none) and current level
-- (0 = not assessed) and mastery: targets first, then by name.
-- name: goals_skills
SELECT s.id, s.name, COALESCE(g.target_level, 0),
       COALESCE(ls.level, 0), COALESCE(ls.p_known, 0)
FROM skills s
LEFT JOIN learner_goal_skills g ON g.skill_id = s.id AND g.user_id = $1
LEFT JOIN learner_skill_state ls ON ls.skill_id = s.id AND ls.user_id = $1
ORDER BY (g.target_level IS NULL), lower(s.name), s.id
LIMIT 500;

-- $1 user, $2 deadline (NULL), $3 hours, $4 retention, $5 daily limit.
-- name: goals_put
INSERT INTO learner_goals AS g (user_id, deadline, hours_per_week,
    retention, daily_limit, updated_at)
VALUES ($1, $2::date, $3, $4, $5, now())
ON CONFLICT (user_id) DO UPDATE
SET deadline = excluded.deadline, hours_per_week = excluded.hours_per_week,
    retention = excluded.retention, daily_limit = excluded.daily_limit,
    updated_at = now();

-- name: goals_targets_clear
DELETE FROM learner_goal_skills WHERE user_id = $1;

-- One row when skill $2 exists.
-- name: goals_target_put
INSERT INTO learner_goal_skills (user_id, skill_id, target_level)
SELECT $1, s.id, $3 FROM skills s WHERE s.id = $2
ON CONFLICT (user_id, skill_id) DO UPDATE
SET target_level = excluded.target_level
RETURNING skill_id;
