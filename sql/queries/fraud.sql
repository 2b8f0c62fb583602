-- Fraud and anomaly flags (issue 9): the scan's inputs (src/jobs/fraud.c),
-- the flag upsert, and the admin pages (src/pages/fraud.c).

-- Quizzes answered in the last $1 seconds.
-- name: fraud_assessments_recent
SELECT DISTINCT t.assessment_id
FROM responses r JOIN attempts t ON t.id = r.attempt_id
WHERE t.assessment_id IS NOT NULL
  AND r.answered_at > now() - make_interval(secs => $1::double precision)
ORDER BY 1;

-- One quiz's answers: each learner's first answer to each item version
-- (a retake knows the questions; its speed is no evidence).  Rows:
-- user_id, version_id, option position (0-based; -1 unless a single
-- choice), options (0 unless a choice kind), correct, response_ms,
-- full_name, question_id, title; ordered by user, then version.
-- name: fraud_responses
SELECT DISTINCT ON (t.user_id, r.version_id)
       t.user_id, r.version_id,
       CASE WHEN q.kind IN ('single', 'truefalse')
                 AND cardinality(r.option_ids) = 1
            THEN COALESCE((SELECT o.position - 1 FROM question_options o
                           WHERE o.id = r.option_ids[1]
                             AND o.version_id = r.version_id), -1)
            ELSE -1 END,
       CASE WHEN q.kind IN ('single', 'truefalse', 'multiple')
            THEN COALESCE((SELECT max(o.position) FROM question_options o
                           WHERE o.version_id = r.version_id), 0)
            ELSE 0 END,
       r.correct, r.response_ms, u.full_name, v.question_id, v.title
FROM responses r
JOIN attempts t ON t.id = r.attempt_id
JOIN users u ON u.id = t.user_id
JOIN question_versions v ON v.id = r.version_id
JOIN questions q ON q.id = v.question_id
WHERE t.assessment_id = $1
ORDER BY t.user_id, r.version_id, r.answered_at, r.attempt_id, r.seq;

-- name: fraud_assessment_title
SELECT title FROM assessments WHERE id = $1;

-- Sign-ups and attempt starts with an address in the last $1 seconds:
-- address, epoch seconds.
-- name: fraud_signups_recent
SELECT signup_ip, extract(epoch FROM created_at)::double precision
FROM users
WHERE signup_ip IS NOT NULL
  AND created_at > now() - make_interval(secs => $1::double precision);

-- name: fraud_attempt_starts_recent
SELECT start_ip, extract(epoch FROM started_at)::double precision
FROM attempts
WHERE start_ip IS NOT NULL
  AND started_at > now() - make_interval(secs => $1::double precision);

-- Writes a flag or refreshes the open one with the same identity (see
-- 017_fraud.sql); a decided flag is left alone (no row returned).
-- $1 kind, $2 event, $3 subject ids ('{5,7}'), $4 assessment, $5 address,
-- $6 and $7 a burst's first and last event (epoch s; NULL otherwise),
-- $8 score, $9 evidence sentence, $10 evidence JSON.  A burst's related
-- accounts (at most 100) are looked up from the address and the window.
-- Rows: id, 1 if inserted.
-- name: fraud_flag_upsert
INSERT INTO fraud_flags AS f (kind, event, subject_ids, related_ids,
    assessment_id, address, window_day, score, evidence, evidence_json)
VALUES ($1, $2::text, $3::bigint[],
    COALESCE(CASE $2::text
        WHEN 'signup' THEN (SELECT array_agg(x.id ORDER BY x.id) FROM (
            SELECT id FROM users
            WHERE signup_ip = $5::text
              AND created_at BETWEEN
                  to_timestamp($6::double precision) - interval '1 ms'
                  AND to_timestamp($7::double precision) + interval '1 ms'
            ORDER BY id LIMIT 100) x)
        WHEN 'attempt' THEN (SELECT array_agg(x.id ORDER BY x.id) FROM (
            SELECT DISTINCT user_id AS id FROM attempts
            WHERE start_ip = $5::text
              AND started_at BETWEEN
                  to_timestamp($6::double precision) - interval '1 ms'
                  AND to_timestamp($7::double precision) + interval '1 ms'
            ORDER BY 1 LIMIT 100) x)
        END, '{}'),
    $4::bigint, $5::text,
    (to_timestamp($6::double precision) AT TIME ZONE 'UTC')::date,
    $8::double precision, $9, $10::jsonb)
ON CONFLICT ON CONSTRAINT fraud_flags_identity DO UPDATE
SET score = EXCLUDED.score, evidence = EXCLUDED.evidence,
    evidence_json = EXCLUDED.evidence_json,
    related_ids = EXCLUDED.related_ids, updated_at = now()
WHERE f.status = 'open'
RETURNING f.id, (f.xmax = 0)::integer;

-- The admin list: $1 status ('' = all), open first, then newest; at most
-- $2 rows from $3.  Rows: id, kind, event, assessment id (0 = none), its
-- title, address, score, evidence, evidence_json, status, the decider's
-- e-mail, decided_at, note, created_at, updated_at (UTC text; updated_at
-- '' when never refreshed), then the subjects and the related accounts
-- as JSON arrays of {"id", "name"} (name '' for a deleted account).
-- name: fraud_flag_list
SELECT id, kind, event, assessment_id, assessment, address, score,
       evidence, evidence_json, status, decided_by_email, decided_at_text,
       note, created_at_text, updated_at_text, subjects, related
FROM fraud_flag_view
WHERE $1::text = '' OR status = $1::text
ORDER BY status <> 'open', id DESC
LIMIT $2 OFFSET $3;

-- One flag in the list's columns.
-- name: fraud_flag_get
SELECT id, kind, event, assessment_id, assessment, address, score,
       evidence, evidence_json, status, decided_by_email, decided_at_text,
       note, created_at_text, updated_at_text, subjects, related
FROM fraud_flag_view
WHERE id = $1;

-- name: fraud_flag_counts
SELECT count(*) FILTER (WHERE status = 'open'),
       count(*) FILTER (WHERE status = 'confirmed'),
       count(*) FILTER (WHERE status = 'cleared')
FROM fraud_flags;

-- Locks one flag for a decision.  Rows: status, note, kind.
-- name: fraud_flag_lock
SELECT status, note, kind FROM fraud_flags WHERE id = $1 FOR UPDATE;

-- $2 'confirmed' or 'cleared', $3 the admin, $4 the note.
-- name: fraud_flag_decide
UPDATE fraud_flags
SET status = $2, decided_by = $3, decided_at = now(), note = $4,
    updated_at = now()
WHERE id = $1 AND status = 'open';
