-- The dashboard in one read (issue 6, speed).
--
-- dashboard_cache now also holds the learner's open recommendations as
-- the page and its JSON twin show them, so a dashboard that finds its row
-- runs one statement and writes nothing.  learner_rec_state.gen counts
-- the changes to what those recommendations are: every action that marks
-- them stale and every refresh adds one.  A cached row records the gen it
-- was computed after and is served only while the learner's gen is still
-- that one (and not stale), so an answer, a review, an accepted
-- recommendation or a refresh made by another request is never hidden
-- behind the cache, whatever the order in which concurrent requests
-- finish.
ALTER TABLE learner_rec_state
	ADD COLUMN gen		bigint NOT NULL DEFAULT 0;

ALTER TABLE dashboard_cache
	ADD COLUMN gen		bigint NOT NULL DEFAULT -1,
	ADD COLUMN recs_html	text NOT NULL DEFAULT '',
	ADD COLUMN recs_json	text NOT NULL DEFAULT '';
