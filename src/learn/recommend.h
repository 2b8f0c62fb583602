/*
 * recommend: the rules behind "what should I do next" and the detection of
 * a learner who is struggling, each producing candidates that carry their
 * reason (a kind, a reason code and the numbers that triggered it), plus a
 * bandit that may reorder the kinds once there is enough feedback.
 *
 * Design decisions.  Every threshold is in struct learn_rec_params (with
 * learn_rec_params_default), so a page, a job and a test agree on them.
 * Struggle detection answers one question about the LATEST answer: is it
 * the one that shows the learner struggling?  A rule fires when its
 * condition becomes true on that answer (a run reaching its length, an
 * attempt count reaching its limit), not while it stays true, so calling
 * it after every answer raises each intervention exactly once.  Time-based
 * signals (a stalled lesson, inactivity) fire when their threshold falls
 * between the previous check and now, for the same reason.  The bandit
 * (Thompson sampling over recommendation kinds, Beta posteriors the caller
 * stores) only acts once enough rewards were recorded, and may deviate
 * from the rule ranking on at most a fixed share of decisions.  Pure: no
 * allocation, time and randomness are arguments.
 */
#ifndef ADEPT_LEARN_RECOMMEND_H
#define ADEPT_LEARN_RECOMMEND_H

#include <stddef.h>
#include <stdint.h>

#include "learn/fsrs.h"
#include "learn/rng.h"
#include "learn/text.h"

struct learn_rec_params {
	double	mastery_below;	/* revise a skill with p_known below (0.6) */
	double	score_below;	/* revise a skill whose quiz mean is below
				 * (0.6) */
	int	score_window;	/* quiz scores per skill averaged (5) */
	int	level_window;	/* last scores for difficulty (5) */
	double	level_up;	/* mean >= this: one level up (0.9) */
	double	level_down;	/* mean <= this: one level down (0.5) */
	int	wrong_run;	/* wrong in a row on a skill (3) */
	double	slow_factor;	/* slow: response > factor x item mean (2) */
	int	slow_run;	/* slow answers in a row on a skill (3) */
	int	max_attempts;	/* attempts on a quiz without a pass (3) */
	int	stall_days;	/* started lesson untouched for (7) */
	int	inactive_days;	/* no activity at all for (7) */
	double	explore_share;	/* bandit may deviate on <= this (0.1) */
	double	min_rewards;	/* rewards recorded before it may (30) */
};

/* Fills the defaults in parentheses above. */
void	learn_rec_params_default(struct learn_rec_params *);

/* Recommendation kinds (the bandit's arms). */
enum learn_rec_kind {
	LEARN_REC_NEXT_LESSON = 0,
	LEARN_REC_REVISE_SKILL,
	LEARN_REC_REVIEW_DUE,
	LEARN_REC_DIFFICULTY,
	LEARN_REC_STRUGGLE,
	LEARN_REC__MAX
};

/* Reason codes.  The fields of struct learn_rec each one sets are listed. */
enum learn_rec_reason {
	/* NEXT_LESSON, item = lesson, n = its position (1-based) in the
	 * path, total = path length. */
	LEARN_REC_R_NEXT_IN_SEQUENCE = 0,
	/* NEXT_LESSON, item = lesson, ref = the earlier step passed over
	 * because its prerequisite ref2 is not met. */
	LEARN_REC_R_NEXT_SKIPS_BLOCKED,
	/* REVISE_SKILL, item = skill, x = p_known, y = threshold. */
	LEARN_REC_R_LOW_MASTERY,
	/* REVISE_SKILL, item = skill, x = mean of the last n quiz scores,
	 * y = threshold. */
	LEARN_REC_R_LOW_SCORE,
	/* REVIEW_DUE, n = items below retention, item = the one with the
	 * lowest recall probability x, y = the desired retention. */
	LEARN_REC_R_REVIEW_DUE,
	/* DIFFICULTY, x = mean of the last n scores, level = current
	 * difficulty (1..3), to = recommended one. */
	LEARN_REC_R_LEVEL_UP,
	LEARN_REC_R_LEVEL_DOWN,
	LEARN_REC_R_LEVEL_KEEP,		/* mean between the thresholds */
	LEARN_REC_R_LEVEL_AT_TOP,	/* would go up, already advanced */
	LEARN_REC_R_LEVEL_AT_BOTTOM,	/* would go down, already beginner */
	LEARN_REC_R_LEVEL_TOO_FEW,	/* fewer than level_window scores */
	LEARN_REC_R__MAX
};

/* One candidate.  score ranks candidates (higher first); it is set by the
 * rule that made the candidate (see learn_rec_rank). */
struct learn_rec {
	int		 kind;		/* enum learn_rec_kind */
	int		 reason;	/* enum learn_rec_reason */
	int64_t		 item;
	int64_t		 ref, ref2;
	double		 x, y;
	long		 n, total;
	int		 level, to;
	double		 score;
};

/* A step of the current path (lessons in study order). */
struct learn_rec_step {
	int64_t		 lesson;
	int		 done;		/* 1: completed */
	const int64_t	*prereq;	/* lesson ids */
	size_t		 nprereq;
};

/*
 * Next lesson: the first step not done whose prerequisites are all done
 * (a prerequisite is done when it is in done[] or is a done step).
 * Returns 1 with *out filled, 0 when every step is done or none is ready.
 */
int	learn_rec_next_lesson(const struct learn_rec_step *steps, size_t n,
	    const int64_t *done, size_t ndone, struct learn_rec *out);

/* A skill's mastery (BKT p_known) for revision. */
struct learn_rec_mastery {
	int64_t		 skill;
	double		 p_known;
};

/* A quiz score on a skill, fraction 0..1, at a Unix time. */
struct learn_rec_score {
	int64_t		 skill;
	double		 score;
	int64_t		 at;
};

/*
 * Revision: one candidate per skill whose p_known is below mastery_below
 * (LOW_MASTERY) or whose mean of its last score_window scores (by at) is
 * below score_below (LOW_SCORE; when both hold, the one further below its
 * threshold, relative to it).  Written to out[0..cap), weakest first
 * (ties: lower skill id).  Returns the number of candidates (which may
 * exceed cap: only cap are written).
 */
size_t	learn_rec_revision(const struct learn_rec_params *,
	    const struct learn_rec_mastery *m, size_t nm,
	    const struct learn_rec_score *s, size_t ns,
	    struct learn_rec *out, size_t cap);

/* A spaced-review card's memory state. */
struct learn_rec_card {
	int64_t		 item;
	double		 stability;	/* days, > 0 */
	int64_t		 last_review;	/* Unix seconds */
};

/*
 * Review due: cards whose FSRS recall probability at now (elapsed days,
 * fractional) fell below retention (the learner's desired retention, in
 * (0, 1)).  Returns 1 with the count and the lowest card in *out, 0 when
 * none is below (or on bad params).  Cards with bad stability are skipped.
 */
int	learn_rec_review(const struct learn_fsrs_params *,
	    const struct learn_rec_card *c, size_t n, int64_t now,
	    double retention, struct learn_rec *out);

/*
 * Difficulty: the mean of the last level_window scores (scores[0..n) in
 * time order, fractions 0..1) against level_up / level_down, for current
 * difficulty level (1..3).  Always fills *out (reason LEVEL_*); returns
 * 1 when it recommends a change (UP or DOWN), else 0.
 */
int	learn_rec_difficulty(const struct learn_rec_params *,
	    const double *scores, size_t n, int level, struct learn_rec *out);

/*
 * Sorts candidates for display and for the bandit's default: higher score
 * first, then kind, then item (stable and deterministic).  Rules set
 * score in [0, 1]: struggle 0.9, review due 0.5 + 0.4 * (1 - lowest R),
 * revision 0.5 + 0.4 * (distance below the threshold), difficulty change
 * 0.6, next lesson 0.5.
 */
void	learn_rec_rank(struct learn_rec *, size_t n);

/* --- struggle detection ------------------------------------------------ */

enum learn_struggle_rule {
	LEARN_STRUGGLE_WRONG_RUN = 0,	/* n wrong in a row on skill */
	LEARN_STRUGGLE_SLOW_RUN,	/* n slow in a row on skill; x = mean
					 * response / item mean of the run */
	LEARN_STRUGGLE_ATTEMPTS,	/* attempt n on quiz, none passed */
	LEARN_STRUGGLE_STALLED,		/* lesson item started, untouched
					 * for n days */
	LEARN_STRUGGLE_INACTIVE,	/* no activity for n days */
	LEARN_STRUGGLE__MAX
};

/* One answer, in time order (oldest first, latest last). */
struct learn_answer {
	int64_t		 skill;
	int64_t		 item;
	int64_t		 quiz;		/* 0: not in a quiz */
	int64_t		 attempt;	/* attempt id within quiz */
	int		 attempt_no;	/* 1-based attempt count on quiz */
	int		 quiz_passed;	/* 1: quiz passed before attempt */
	int		 correct;
	long		 response_ms;	/* <= 0: unknown */
	long		 item_mean_ms;	/* the item's mean; <= 0: unknown */
	int64_t		 at;
};

struct learn_struggle {
	int		 rule;		/* enum learn_struggle_rule */
	int64_t		 skill;		/* runs */
	int64_t		 item;		/* the latest answer's item, or the
					 * stalled lesson */
	int64_t		 quiz;		/* ATTEMPTS */
	long		 n;		/* run length, attempt, days */
	double		 x;		/* SLOW_RUN ratio */
	int64_t		 since;		/* when the run or wait started */
};

/*
 * Does the latest answer a[n - 1] show struggling?  Checks every answer
 * rule on it and writes each that fires to ev[0..LEARN_STRUGGLE__MAX),
 * returning how many (0 when none, or n == 0).  A rule fires when the
 * latest answer makes its condition true: the wrong (or slow) run on the
 * latest answer's skill, counting only answers on that skill, reaches
 * exactly wrong_run (slow_run) with it; ATTEMPTS when the latest answer is
 * the first in a[] of its (quiz, attempt), its attempt_no is exactly
 * max_attempts and quiz_passed is 0 (the third try of a failing learner
 * with the default).  A slow answer needs both times known; an unknown
 * time breaks a slow run.
 */
int	learn_struggle_answers(const struct learn_rec_params *,
	    const struct learn_answer *a, size_t n, struct learn_struggle *ev);

/*
 * Can learn_struggle_answers fire on an answer z when it is the latest?
 * 0 only when no rule can, whatever came before: z is right (no wrong
 * run), not slow against its item's mean (no slow run), and not the first
 * answer of its quiz attempt (first_in_attempt 0; no ATTEMPTS).  Lets a
 * caller skip reading the learner's recent answers after most answers.
 */
int	learn_struggle_possible(const struct learn_rec_params *,
	    const struct learn_answer *z, int first_in_attempt);

/* A started, unfinished lesson. */
struct learn_lesson_touch {
	int64_t		 lesson;
	int64_t		 last;		/* last progress, Unix seconds */
};

/*
 * Time-based signals checked at now, having last been checked at prev
 * (prev < now; 0 at the first check).  Writes to ev[0..cap) one STALLED
 * per lesson whose stall_days mark (last + stall_days days) lies in
 * (prev, now], and one INACTIVE when last_activity + inactive_days days
 * does.  Returns the number of signals (may exceed cap).
 */
size_t	learn_struggle_idle(const struct learn_rec_params *,
	    const struct learn_lesson_touch *t, size_t n,
	    int64_t last_activity, int64_t prev, int64_t now,
	    struct learn_struggle *ev, size_t cap);

/* --- bandit over kinds ------------------------------------------------- */

/* What the caller stores per learner (or globally): Beta posteriors over
 * "this kind's recommendation was accepted and then succeeded", and the
 * decision counts that bound exploration. */
struct learn_rec_bandit {
	double		 a[LEARN_REC__MAX];	/* rewards: successes */
	double		 b[LEARN_REC__MAX];	/* rewards: failures */
	long		 decisions;
	long		 deviations;	/* decisions not the rule's first */
};

/* All zero: no data, the rules decide. */
void	learn_rec_bandit_init(struct learn_rec_bandit *);

/* The reward for a recommendation: 0 if not accepted, 0.5 if accepted and
 * not (yet) succeeded, 1 if accepted and succeeded. */
double	learn_rec_reward(int accepted, int succeeded);

/* Records reward r in [0, 1] for kind: a += r, b += 1 - r.  0, or -1 on a
 * bad kind or r. */
int	learn_rec_bandit_update(struct learn_rec_bandit *, int kind, double r);

enum learn_rec_choice {
	LEARN_REC_CHOSE_RULE = 0,	/* too little data: the rule's first */
	LEARN_REC_CHOSE_AGREE,		/* the sample agreed with the rule */
	LEARN_REC_CHOSE_EXPLORE,	/* the sample chose another kind */
	LEARN_REC_CHOSE_BUDGET		/* it would have, budget spent */
};

/*
 * Chooses one of the ranked candidates c[0..n) (learn_rec_rank order):
 * with fewer than min_rewards rewards recorded in total, c[0] (CHOSE_RULE).
 * Otherwise one Thompson draw (bandit.h, Beta(1 + a, 1 + b)) per kind
 * present; the first candidate of the winning kind is chosen if it is
 * c[0] (AGREE) or if deviations + 1 <= explore_share * (decisions + 1)
 * (EXPLORE), else c[0] (BUDGET).  Updates decisions and deviations, and
 * stores the choice in *how when not NULL.  Returns the index, or -1 when
 * n == 0.
 */
long	learn_rec_choose(const struct learn_rec_params *,
	    struct learn_rec_bandit *, const struct learn_rec *c, size_t n,
	    struct learn_rng *, int *how);

/* --- sentences --------------------------------------------------------- */

/*
 * The sentence for a candidate (snprintf-style, see text.h), e.g.
 * "next in your path (3 of 12)", "review sql: mastery 42 % (below 60 %)",
 * "review sql: 45 % on the last 5 quizzes", "12 reviews are due; the
 * weakest is at 61 % recall", "92 % on the last five — moving you to
 * advanced".  Returns the length needed, or -1 for an unknown reason.
 */
int	learn_rec_format(const struct learn_rec *, const struct learn_names *,
	    char *buf, size_t size);

/* "3 wrong answers in a row on sql", "5 slow answers in a row on sql
 * (2.4× the usual time)", "third attempt at Quiz 2 without a pass",
 * "Lesson 4 started and untouched for 7 days", "no activity for 7 days".
 * Returns the length needed, or -1 for an unknown rule. */
int	learn_struggle_format(const struct learn_struggle *,
	    const struct learn_names *, char *buf, size_t size);

#endif
