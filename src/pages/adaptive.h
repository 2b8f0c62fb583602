/*
 * adaptive: what the pages of the adaptive loop (issue 6) share with the
 * rest: the per-learner rollups written beside each action (activity.c),
 * review cards made from answers and completed lessons (srs.c), and the
 * recommendations an answer can raise (recommend.c).
 *
 * Every function here runs inside the caller's transaction and returns 0
 * or a db_err, so the rollup and the action commit or vanish together.
 */
#ifndef ADEPT_PAGES_ADAPTIVE_H
#define ADEPT_PAGES_ADAPTIVE_H

#include <stddef.h>
#include <stdint.h>

struct req;
struct db;
struct arena;

/* The planner's version, stored with every snapshot and recommendation. */
#define PATH_MODEL_VERSION	"path-greedy-1"
#define REC_MODEL_VERSION	"rec-rules-1+thompson"

/* Steps and notes the weekly adjustment adds to a regenerated path. */
#define PATH_EXTRA_MAX	16
struct path_extra_step {
	const char	*kind;		/* revision | advanced | course */
	int64_t		 course, skill;	/* 0 = none */
	const char	*reason, *code;
	double		 hours;
};
struct path_extra {
	struct path_extra_step	 steps[PATH_EXTRA_MAX];
	size_t			 nsteps;	/* placed before the plan */
	const char		*notes[PATH_EXTRA_MAX];
	size_t			 nnotes;
	double			 extra_hours;
};

/*
 * Plans user's path from their goal and writes it as the next version
 * with reason (and extra's steps and notes, may be NULL), inside the
 * caller's transaction (it locks the goal row).  Returns 0 with *version,
 * 1 (no goal yet) or 2 (a prerequisite cycle) with *msg for the learner,
 * or a db_err.
 */
int	path_generate(struct db *, struct arena *, int64_t user,
	    const char *reason, const struct path_extra *extra, int *version,
	    const char **msg);

/* What one action adds to today's rollup for the signed-in learner. */
struct activity {
	int		 lessons;	/* lessons completed */
	int		 answers;	/* questions answered */
	int		 correct;
	int		 quizzes;	/* attempts submitted */
	double		 quiz_score;	/* their score, percent */
	int		 reviews;
	long		 seconds;	/* study time */
};

/* Adds a to the learner's day, hour-of-week and study session. */
int	activity_record(struct req *, const struct activity *a);

/*
 * The answer just saved to question qid counts as a review of the
 * learner's card for it (made if new): the rating is inferred from
 * correctness and the response time against the item's mean (item_ms,
 * 0 = unknown), and the card rescheduled by FSRS-6.  idem keys the log
 * row (e.g. "attempt:12:3"), so a replay counts once.
 */
int	srs_review_answer(struct req *, int64_t qid, int correct, int ms,
	    int item_ms, const char *idem);

/* Makes review cards for the flashcards of a lesson just completed. */
int	srs_cards_for_lesson(struct req *, int64_t lesson);

/* The rating FSRS gets for an answer: wrong = Again; right and slower
 * than twice the item's mean (or 60 s without one) = Hard; right in under
 * half the mean (or 8 s) = Easy; else Good. */
int	srs_infer_rating(int correct, int ms, int item_ms);

/* A stored recommendation as the pages show it. */
struct rec_row {
	int64_t		 id, course, lesson, skill;
	const char	*kind, *title, *reason, *inputs, *model, *chosen_by;
	const char	*created, *url;
	int		 rank;		/* 0: the featured one */
};

/* The learner's open recommendations, recomputed first when stale or
 * older than five minutes: count (into *out, arena), or a db_err.  *gen
 * (may be NULL) gets the learner's learner_rec_state.gen the list belongs
 * to: read before anything else, so whatever is read after it is at least
 * as new (-1 when a refresh failed). */
int	rec_load(struct req *, struct rec_row **out, int64_t *gen);
/* Where acting on it leads. */
const char *rec_url(struct req *, const struct rec_row *);
/* "recommendations": [...] for the JSON twins. */
void	rec_json(struct req *, const struct rec_row *, int n);
/* Marks the learner's recommendations for recomputing (in the caller's
 * transaction); that also retires their cached dashboard (its gen). */
int	rec_mark_stale(struct req *);
/* Runs struggle detection on the learner's answer just saved (inside the
 * answer's transaction) and raises a recommendation and a notification
 * for each rule it fires. */
int	rec_struggle_on_answer(struct req *);
/* The same after an answer in quiz attempt aid, skipped (0) when that
 * answer cannot show struggling (learn_struggle_possible): right, not
 * slow against the item's mean item_ms (0: unknown), not the attempt's
 * first (first 0). */
int	rec_struggle_after_answer(struct req *, int64_t aid, int correct,
	    long ms, long item_ms, int first);

#endif
