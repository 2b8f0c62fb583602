-- Data for the adaptive-loop benchmark (tests/bench/web_dashboard.sh):
-- a 2,000-course published catalogue over 300 skills (2 taught per course,
-- about one course in three requiring an earlier one, one in four needing
-- a skill minimum), and one learner (:uid) with a year of history: 20
-- enrolments with lesson progress, about 5,500 learner events, daily
-- rollups and study sessions for 300 of the last 365 days, 120 submitted
-- quizzes, 500 review cards with their review log, skill levels and a
-- goal of 6 target skills.  random() is seeded: two runs make the same data.
--
-- usage: psql -v ON_ERROR_STOP=1 -v uid=N -v author=M -f gen_adaptive.sql
SELECT setseed(0.17);

INSERT INTO skills (name)
SELECT 'bench skill ' || i FROM generate_series(1, 300) i;
CREATE TEMP TABLE bsk AS
SELECT row_number() OVER (ORDER BY id) AS i, id FROM skills
WHERE name LIKE 'bench skill %';

INSERT INTO courses (author_id, title, summary, level, estimated_hours,
    status, published_at)
SELECT :author, 'Bench course ' || i, 'A generated course.',
       (ARRAY['beginner', 'intermediate', 'advanced'])[1 + i % 3],
       2 + (i % 9), 'published', now()
FROM generate_series(1, 2000) i;
CREATE TEMP TABLE bc AS
SELECT row_number() OVER (ORDER BY id) AS i, id, level FROM courses
WHERE title LIKE 'Bench course %';

INSERT INTO course_skills (course_id, skill_id, target_level)
SELECT bc.id, s.id, 3 + (bc.i * 31 + k * 17) % 7
FROM bc, generate_series(0, 1) k
JOIN bsk s ON true
WHERE s.i = 1 + (bc.i * 13 + k * 101) % 300
ON CONFLICT DO NOTHING;
INSERT INTO course_prereq_courses (course_id, prereq_id)
SELECT a.id, b.id FROM bc a JOIN bc b ON b.i = a.i - 1 - (a.i % 17)
WHERE a.i % 3 = 0 AND a.i > 20;
INSERT INTO course_prereq_skills (course_id, skill_id, min_level)
SELECT bc.id, s.id, 2 + bc.i % 3 FROM bc JOIN bsk s
     ON s.i = 1 + (bc.i * 31) % 300
WHERE bc.i % 4 = 0
ON CONFLICT DO NOTHING;

-- Modules and lessons for the 20 courses the learner takes.
INSERT INTO modules (course_id, position, title)
SELECT bc.id, m, 'Module ' || m FROM bc, generate_series(1, 3) m
WHERE bc.i <= 20;
INSERT INTO lessons (module_id, position, title, body_md, estimated_minutes)
SELECT md.id, l, 'Lesson ' || l, 'Text.', 10
FROM modules md JOIN bc ON bc.id = md.course_id AND bc.i <= 20,
     generate_series(1, 4) l;

INSERT INTO enrollments (user_id, course_id, status, enrolled_at, completed_at)
SELECT :uid, bc.id, CASE WHEN bc.i <= 6 THEN 'completed' ELSE 'active' END,
       now() - ((365 - bc.i * 15) || ' days')::interval,
       CASE WHEN bc.i <= 6 THEN now() - ((300 - bc.i * 15) || ' days')::interval END
FROM bc WHERE bc.i <= 20;
INSERT INTO lesson_progress (user_id, lesson_id, status, started_at,
    completed_at, time_spent_seconds)
SELECT :uid, l.id, CASE WHEN random() < 0.7 THEN 'completed' ELSE 'started' END,
       now() - (random() * 360 || ' days')::interval, NULL, 600
FROM lessons l JOIN modules md ON md.id = l.module_id
JOIN bc ON bc.id = md.course_id AND bc.i <= 20;
UPDATE lesson_progress SET completed_at = started_at + interval '20 minutes'
WHERE user_id = :uid AND status = 'completed';

INSERT INTO learner_events (user_id, kind, occurred_at)
SELECT :uid, 'lesson_viewed', now() - (random() * 365 || ' days')::interval
FROM generate_series(1, 5500);

INSERT INTO learner_daily (user_id, day, lessons_completed, answers, correct,
    quizzes, quiz_score_sum, reviews, study_seconds)
SELECT :uid, (now() AT TIME ZONE 'UTC')::date - d, (d % 3), 5 + d % 7,
       3 + d % 5, d % 2, (d % 2) * 70, 2 + d % 4, 1200 + (d % 5) * 300
FROM generate_series(0, 364) d WHERE d % 6 <> 5;
INSERT INTO learner_hourly (user_id, dow, hour, actions)
SELECT :uid, d, h, (d * 24 + h) % 13 FROM generate_series(0, 6) d,
       generate_series(0, 23) h;
INSERT INTO learner_sessions (user_id, started_at, last_at)
SELECT :uid, t, t + interval '35 minutes' FROM (
	SELECT now() - (d || ' days')::interval - ((d % 5) || ' hours')::interval AS t
	FROM generate_series(0, 364) d WHERE d % 6 <> 5) x;

-- Quizzes: one assessment with 10 questions on the goal skills.
INSERT INTO questions (owner_id, kind)
SELECT :author, 'truefalse' FROM generate_series(1, 10);
CREATE TEMP TABLE bq AS
SELECT row_number() OVER (ORDER BY id) AS i, id FROM questions
WHERE owner_id = :author ORDER BY id DESC LIMIT 10;
INSERT INTO question_versions (question_id, version, title, stem, difficulty,
    irt_b)
SELECT id, 1, 'Q' || i, 'True?', 5, 0 FROM bq;
INSERT INTO question_skills (question_id, skill_id)
SELECT bq.id, s.id FROM bq JOIN bsk s ON s.i = 1 + bq.i % 6;
INSERT INTO assessments (owner_id, title) VALUES (:author, 'Bench quiz');
INSERT INTO attempts (assessment_id, user_id, status, started_at,
    submitted_at, score, passed)
SELECT (SELECT max(id) FROM assessments WHERE owner_id = :author), :uid,
       'submitted', now() - (d * 3 || ' days')::interval,
       now() - (d * 3 || ' days')::interval + interval '10 minutes',
       40 + (d * 37) % 60, (40 + (d * 37) % 60) >= 60
FROM generate_series(0, 119) d;

-- 500 review cards on the questions' and extra flashcards, with a log.
INSERT INTO flashcards (lesson_id, front, back)
SELECT l.id, 'Front ' || g, 'Back ' || g
FROM (SELECT min(id) AS id FROM lessons WHERE title = 'Lesson 1') l,
     generate_series(1, 490) g;
INSERT INTO review_cards (user_id, question_id, state, stability, difficulty,
    reps, last_review, due)
SELECT :uid, bq.id, 2, 10 + bq.i, 5, 4, now() - interval '5 days',
       now() + ((bq.i % 14) || ' days')::interval FROM bq;
INSERT INTO review_cards (user_id, flashcard_id, state, stability,
    difficulty, reps, last_review, due)
SELECT :uid, f.id, 2, 1 + (f.id % 40), 5, 3, now() - ((f.id % 20) || ' days')::interval,
       now() + (((f.id % 30) - 5) || ' days')::interval
FROM flashcards f WHERE f.front LIKE 'Front %';
INSERT INTO review_log (card_id, user_id, rating, state_before,
    scheduled_days, idem, reviewed_at)
SELECT c.id, :uid, 3, 2, 5, 'seen:' || k, now() - ((k * 9) || ' days')::interval
FROM review_cards c, generate_series(1, 2) k WHERE c.user_id = :uid;

INSERT INTO learner_skill_state (user_id, skill_id, p_known, theta, n, level)
SELECT :uid, s.id, 0.2 + (s.i % 8) / 10.0, 0, 10, 2 + s.i % 7
FROM bsk s WHERE s.i <= 40;
INSERT INTO learner_goals (user_id, hours_per_week, deadline)
VALUES (:uid, 6, (now() + interval '120 days')::date);
INSERT INTO learner_goal_skills (user_id, skill_id, target_level)
SELECT :uid, s.id, 8 FROM bsk s WHERE s.i IN (1, 2, 3, 4, 5, 6);

ANALYZE courses; ANALYZE course_skills; ANALYZE course_prereq_courses;
ANALYZE course_prereq_skills; ANALYZE lessons; ANALYZE modules; ANALYZE enrollments;
ANALYZE lesson_progress; ANALYZE learner_daily; ANALYZE learner_sessions;
ANALYZE review_cards; ANALYZE review_log; ANALYZE learner_skill_state; ANALYZE attempts;
SELECT (SELECT count(*) FROM courses WHERE status = 'published') || '|' ||
       (SELECT count(*) FROM learner_events WHERE user_id = :uid) || '|' ||
       (SELECT count(*) FROM enrollments WHERE user_id = :uid) || '|' ||
       (SELECT count(*) FROM review_cards WHERE user_id = :uid);
