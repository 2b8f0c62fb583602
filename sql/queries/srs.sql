-- Spaced review (src/pages/srs.c): a learner's review cards with their
-- FSRS-6 state, the review log, and the counts the /review page shows.
-- Every statement names the user: a card of another learner is simply not
-- found.

-- The learner's review settings (none: the defaults in srs.c).
-- name: srs_settings
SELECT retention, daily_limit FROM learner_goals WHERE user_id = $1;

-- Due now, reviewed today (UTC), and new cards due.
-- name: srs_counts
SELECT (SELECT count(*) FROM review_cards
        WHERE user_id = $1 AND due <= now()),
       (SELECT count(*) FROM review_log
        WHERE user_id = $1 AND source = 'review'
          AND reviewed_at >= date_trunc('day', now() AT TIME ZONE 'UTC')
                             AT TIME ZONE 'UTC'),
       (SELECT count(*) FROM review_cards WHERE user_id = $1);

-- The next due card (review_card_view's columns, the order card_read
-- reads).
-- name: srs_next_due
SELECT id, question_id, flashcard_id, state, stability, difficulty, step,
       reps, lapses, elapsed_days, scheduled_days, last_review_s, due_s,
       front, back, lesson_title, kind, version_id, title, stem, explanation,
       item_difficulty, item_ms
FROM review_card_view
WHERE user_id = $1 AND due <= now() AND archived_at IS NULL
ORDER BY due, id
LIMIT 1;

-- Locks card $1 of user $2 for a review's transaction (then read it with
-- srs_card_get).
-- name: srs_card_lock
SELECT id FROM review_cards WHERE id = $1 AND user_id = $2 FOR UPDATE;

-- name: srs_card_get
SELECT id, question_id, flashcard_id, state, stability, difficulty, step,
       reps, lapses, elapsed_days, scheduled_days, last_review_s, due_s,
       front, back, lesson_title, kind, version_id, title, stem, explanation,
       item_difficulty, item_ms
FROM review_card_view
WHERE id = $1 AND user_id = $2;

-- The learner's card for question $2, locked (as srs_card_lock); no row
-- when they have none yet (srs_card_new_review makes it).
-- name: srs_card_for_question
SELECT id FROM review_cards WHERE user_id = $1 AND question_id = $2
FOR UPDATE;

-- Cards for the flashcards of lesson $2 (a lesson just completed).
-- name: srs_cards_for_lesson
INSERT INTO review_cards (user_id, flashcard_id)
SELECT $1, f.id FROM flashcards f WHERE f.lesson_id = $2
ON CONFLICT (user_id, flashcard_id) DO NOTHING;

-- One review, once per (card, idem), and the card's new state, in one
-- statement: the log row is inserted unless (card, idem) was logged
-- before, and only then is the card updated.  Returns the card's id, no
-- row when it was a replay (nothing written).  $1 card, $2 user, $3
-- rating, $4 inferred, $5 correct (NULL for a flashcard), $6 response ms
-- (NULL), $7 state before, $8 R (NULL), $9 scheduled days, $10 idem, $11
-- source, then the card: $12 state, $13 stability, $14 difficulty, $15
-- step, $16 reps, $17 lapses, $18 elapsed days, $19 last review, $20 due
-- (Unix s; the scheduled days are $9).
-- name: srs_review_put
WITH log AS (
	INSERT INTO review_log (card_id, user_id, rating, inferred, correct,
	    response_ms, state_before, retrievability, scheduled_days, idem,
	    source)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
	ON CONFLICT (card_id, idem) DO NOTHING
	RETURNING id)
UPDATE review_cards
SET state = $12, stability = $13, difficulty = $14, step = $15, reps = $16,
    lapses = $17, elapsed_days = $18, scheduled_days = $9,
    last_review = to_timestamp($19), due = to_timestamp($20)
WHERE id = $1 AND user_id = $2 AND EXISTS (SELECT 1 FROM log)
RETURNING id;

-- A learner's first review of question $1: the card made with its
-- reviewed state and the review logged, in one statement (no default row
-- written and then updated).  Parameters as srs_review_put's, with $1 the
-- question.  Returns the card's id; no row when a concurrent transaction
-- made the card first (then review it as an existing card).
-- name: srs_card_new_review
WITH card AS (
	INSERT INTO review_cards (user_id, question_id, state, stability,
	    difficulty, step, reps, lapses, elapsed_days, scheduled_days,
	    last_review, due)
	VALUES ($2, $1, $12, $13, $14, $15, $16, $17, $18, $9,
	    to_timestamp($19), to_timestamp($20))
	ON CONFLICT (user_id, question_id) DO NOTHING
	RETURNING id)
INSERT INTO review_log (card_id, user_id, rating, inferred, correct,
    response_ms, state_before, retrievability, scheduled_days, idem, source)
SELECT card.id, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11 FROM card
RETURNING card_id;

-- The review of (card, idem) if it was logged: rating, correct.
-- name: srs_log_get
SELECT rating, correct FROM review_log WHERE card_id = $1 AND idem = $2;

-- Cards due per day (UTC) from $2 to $3 (Unix s): day offset from
-- today, count.  The load spreader and the forecast read this.
-- name: srs_due_per_day
SELECT ((due AT TIME ZONE 'UTC')::date
        - (now() AT TIME ZONE 'UTC')::date)::int, count(*)
FROM review_cards
WHERE user_id = $1 AND due >= to_timestamp($2) AND due < to_timestamp($3)
GROUP BY 1 ORDER BY 1;

-- Overdue or due today, then per day for the next $2 days.
-- name: srs_forecast
SELECT greatest(((due AT TIME ZONE 'UTC')::date
        - (now() AT TIME ZONE 'UTC')::date)::int, 0) AS d, count(*)
FROM review_cards
WHERE user_id = $1
  AND due < (((now() AT TIME ZONE 'UTC')::date + $2::int + 1)::timestamp
              AT TIME ZONE 'UTC')
GROUP BY d ORDER BY d;
