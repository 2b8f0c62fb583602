-- Fraud and anomaly flags (issue 9): what liblearn's detectors
-- (src/learn/anomaly.h) raised, with their evidence, for an admin to
-- confirm or clear on /admin/fraud.  The scan is src/jobs/fraud.c (job
-- kind fraud_scan, nightly below, and `adept fraud scan`).
--
-- The rule the table keeps: a flag is identified by what it is about, not
-- by when the scan ran, so re-running a scan updates the open flag (fresh
-- evidence) and never adds a second one; a decided flag is left as the
-- admin decided it.  The identity is (kind, event, subjects, assessment,
-- address, window_day): subjects are the sorted flagged account ids (one,
-- or two for a similar pair; none for a burst, which is about an address);
-- window_day is the UTC day of a burst's first event (NULL otherwise: one
-- flag per account or pair and assessment).

-- Where an account was created and an attempt started from: the burst
-- detector counts sign-ups and attempt starts per address.  NULL for rows
-- made before this migration and for accounts made by `adept user` or an
-- admin.
ALTER TABLE users ADD COLUMN signup_ip text;
ALTER TABLE attempts ADD COLUMN start_ip text;
CREATE INDEX users_signup_ip ON users (created_at) WHERE signup_ip IS NOT NULL;
CREATE INDEX attempts_started ON attempts (started_at)
	WHERE start_ip IS NOT NULL;
-- The scan finds the quizzes answered in the last day.
CREATE INDEX responses_answered ON responses (answered_at);

CREATE TABLE fraud_flags (
	id		bigserial PRIMARY KEY,
	kind		text NOT NULL CHECK (kind IN ('fast_correct',
			    'similarity', 'burst', 'guessing')),
	-- bursts: what was counted
	event		text CHECK (event IN ('signup', 'attempt')),
	subject_ids	bigint[] NOT NULL DEFAULT '{}',
	-- bursts: the accounts behind the events in the densest window
	related_ids	bigint[] NOT NULL DEFAULT '{}',
	assessment_id	bigint REFERENCES assessments ON DELETE CASCADE,
	address		text,
	window_day	date,
	score		double precision NOT NULL,
	evidence	text NOT NULL,
	evidence_json	jsonb NOT NULL DEFAULT '{}',
	status		text NOT NULL DEFAULT 'open'
			CHECK (status IN ('open', 'confirmed', 'cleared')),
	decided_by	bigint REFERENCES users ON DELETE SET NULL,
	decided_at	timestamptz,
	note		text NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	CHECK ((status = 'open') = (decided_at IS NULL)),
	CHECK ((kind = 'burst') = (event IS NOT NULL AND address IS NOT NULL
	    AND window_day IS NOT NULL)),
	CONSTRAINT fraud_flags_identity UNIQUE NULLS NOT DISTINCT
	    (kind, event, subject_ids, assessment_id, address, window_day)
);
CREATE INDEX fraud_flags_status ON fraud_flags (status, id);

-- The scan runs nightly over the last day's data.
INSERT INTO job_schedules (name, kind, every, next_run_at) VALUES
	('fraud_scan_nightly', 'fraud_scan', interval '1 day',
	    date_trunc('day', now()) + interval '1 day 4 hours');

-- A flag as the admin pages show it (src/pages/fraud.c reads the columns
-- in this order): times as UTC text, subjects and related accounts as
-- JSON arrays of {"id", "name"} (name '' for a deleted account).
CREATE VIEW fraud_flag_view AS
SELECT f.id, f.kind, COALESCE(f.event, '') AS event,
       COALESCE(f.assessment_id, 0) AS assessment_id,
       COALESCE(a.title, '') AS assessment, COALESCE(f.address, '') AS address,
       f.score, f.evidence, f.evidence_json::text AS evidence_json, f.status,
       COALESCE(d.email, '') AS decided_by_email,
       COALESCE(to_char(f.decided_at AT TIME ZONE 'UTC',
           'YYYY-MM-DD HH24:MI:SS'), '') AS decided_at_text,
       f.note,
       to_char(f.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')
           AS created_at_text,
       CASE WHEN f.updated_at > f.created_at + interval '1 second'
                 AND f.decided_at IS DISTINCT FROM f.updated_at
            THEN to_char(f.updated_at AT TIME ZONE 'UTC',
                'YYYY-MM-DD HH24:MI:SS') ELSE '' END AS updated_at_text,
       COALESCE((SELECT json_agg(json_build_object('id', s.id,
                    'name', COALESCE(u.full_name, '')) ORDER BY s.ord)
                 FROM unnest(f.subject_ids) WITH ORDINALITY AS s(id, ord)
                 LEFT JOIN users u ON u.id = s.id), '[]')::text AS subjects,
       COALESCE((SELECT json_agg(json_build_object('id', s.id,
                    'name', COALESCE(u.full_name, '')) ORDER BY s.ord)
                 FROM unnest(f.related_ids) WITH ORDINALITY AS s(id, ord)
                 LEFT JOIN users u ON u.id = s.id), '[]')::text AS related
FROM fraud_flags f
LEFT JOIN assessments a ON a.id = f.assessment_id
LEFT JOIN users d ON d.id = f.decided_by;
