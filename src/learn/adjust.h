/*
 * adjust: the weekly path adjustment.  From one learner's last seven days
 * (average quiz score, planned and completed steps, weak and strong
 * skills) decide the changes to the next week's plan, each with its
 * reason, as the seeds' weekly_path_adjustment does:
 *   average score below 60 %         -> add revision (weakest skills);
 *   completion below 50 %            -> lighten the load (fewer hours and
 *                                       steps planned);
 *   excellent (>= 85 % average and
 *   >= 80 % completion)              -> add advanced content.
 *
 * Design decision: the rules are independent and all that hold are
 * returned (a learner can score badly and also fall behind); when none
 * holds, one KEEP change says why nothing changes, so the job can always
 * record a reason.  A week with no quizzes skips the score rules and a week
 * with nothing planned skips the completion rule.  Pure and allocation-free.
 */
#ifndef ADEPT_LEARN_ADJUST_H
#define ADEPT_LEARN_ADJUST_H

#include <stddef.h>
#include <stdint.h>

#include "learn/text.h"

struct learn_adjust_params {
	double	revise_below;		/* average score (0.6) */
	int	max_revision;		/* revision changes at most (3) */
	double	lighten_below;		/* completion (0.5) */
	double	lighten_factor;		/* hours and steps times (0.75) */
	double	min_hours;		/* never plan fewer hours (1) */
	double	excellent_score;	/* average score from (0.85) */
	double	excellent_completion;	/* and completion from (0.8) */
};

/* Fills the defaults in parentheses above. */
void	learn_adjust_params_default(struct learn_adjust_params *);

/* A skill's average quiz score over the week (fraction 0..1). */
struct learn_adjust_skill {
	int64_t		 skill;
	double		 score;
};

struct learn_adjust_week {
	double				 avg_score;	/* 0..1 */
	long				 nquizzes;	/* 0: no scores */
	long				 planned;	/* steps planned */
	long				 completed;	/* of those, done */
	double				 hours_per_week; /* planned now */
	int				 difficulty;	/* 1..3 now */
	const struct learn_adjust_skill	*skills;	/* may be NULL */
	size_t				 nskills;
};

enum learn_adjust_kind {
	LEARN_ADJUST_ADD_REVISION = 0,	/* skill (0: general), score */
	LEARN_ADJUST_REDUCE_LOAD,	/* completion; hours and steps
					 * from -> to */
	LEARN_ADJUST_ADD_ADVANCED,	/* score, completion; difficulty
					 * from -> to (to == from at 3) */
	LEARN_ADJUST_KEEP,		/* score, completion (either may be
					 * NaN: not measured) */
	LEARN_ADJUST__MAX
};

struct learn_adjust_change {
	int		 kind;		/* enum learn_adjust_kind */
	int64_t		 skill;
	double		 score;		/* the week's (or skill's) average */
	double		 completion;	/* completed / planned, NaN if none
					 * planned */
	double		 threshold;	/* the rule's threshold */
	double		 hours_from, hours_to;
	long		 steps_from, steps_to;
	int		 level_from, level_to;
};

/*
 * Applies the rules to week w and writes the changes to out[0..cap) in the
 * order revision (weakest skill first; one general change when no skill is
 * below the threshold or none is given), lighten, advanced; or one KEEP.
 * Reduced hours are rounded down to a half hour, never below min_hours and
 * never above the current hours; reduced steps are ceil(planned x factor),
 * at least 1.  Returns the number of changes (may exceed cap), or -1 on bad
 * input (NaN score with quizzes, negative counts, completed > planned).
 */
long	learn_adjust_weekly(const struct learn_adjust_params *,
	    const struct learn_adjust_week *w, struct learn_adjust_change *out,
	    size_t cap);

/*
 * The sentence for a change (snprintf-style, see text.h):
 * "average 52 % this week (below 60 %) — adding revision of sql",
 * "2 of 6 planned steps done (33 %) — lightening your week from 10 h to
 * 7.5 h and 6 to 5 steps", "94 % average and 100 % of planned steps done —
 * adding advanced content", "on track (average 72 %, 80 % of planned
 * steps done) — no change".  Returns the length needed, or -1 for an
 * unknown kind.
 */
int	learn_adjust_format(const struct learn_adjust_change *,
	    const struct learn_names *, char *buf, size_t size);

#endif
