/*
 * feed: ranking the cards of the micro-learning feed (/feed).
 *
 * A card is one short lesson (or video) of a course the learner follows.
 * Its score is a sum of four documented parts, so the order can be
 * explained in one sentence per card:
 *
 *   due reviews   1000 + 50 per due review card of the lesson's skills
 *                 (capped at 10 cards): reviewing before forgetting comes
 *                 first;
 *   ready         500 + 40 per level the learner is below the target on
 *                 the lesson's weakest skill (capped at 9), when the
 *                 lesson's prerequisites are met, it is not completed and
 *                 mastery is below target; 300 for such a lesson whose
 *                 skills have no target; 0 when the prerequisites are not
 *                 met (the card is left out unless reviews are due) and
 *                 for completed, mastered lessons (a refresher);
 *   level         +60 when the course's level is the learner's, +30 one
 *                 step above, 0 otherwise (more than one step off);
 *   popularity    +10 per factor of ten completions by all learners
 *                 (10 * log10(1 + completions)), at most +40.
 *
 * Ties keep the course order (the input's order).  Pure: no I/O, no
 * allocation beyond the caller's arrays.
 */
#ifndef ADEPT_LEARN_FEED_H
#define ADEPT_LEARN_FEED_H

#include <stddef.h>
#include <stdint.h>

/* Levels: course levels and the learner's, 1 beginner .. 3 advanced;
 * 0 = unknown (no level part). */
#define LEARN_FEED_BEGINNER	1
#define LEARN_FEED_ADVANCED	3

enum learn_feed_why {
	LEARN_FEED_DUE = 0,	/* reviews due on its skills */
	LEARN_FEED_READY,	/* prerequisites met, below target */
	LEARN_FEED_NEXT,	/* not completed, no target to compare */
	LEARN_FEED_REFRESH,	/* completed or mastered: a refresher */
	LEARN_FEED_LOCKED,	/* prerequisites not met: left out */
	LEARN_FEED__MAX
};

struct learn_feed_item {
	int64_t		 lesson;
	int		 due;		/* due review cards of its skills */
	int		 prereqs_met;	/* 1: every prerequisite completed */
	int		 completed;
	int		 gap;		/* target - level on the weakest
					 * skill with a target; <= 0 means
					 * at or above target */
	int		 has_target;	/* some skill of it has a target */
	int		 course_level;	/* 1..3, 0 unknown */
	long		 completions;	/* by all learners */
	/* out */
	double		 score;
	enum learn_feed_why why;
};

/* Scores it in place (score, why). */
void	learn_feed_score(struct learn_feed_item *it, int learner_level);

/*
 * Scores items[0..n) for a learner at learner_level (1..3, 0 unknown) and
 * writes into order[0..cap) the indexes of the cards to show, best first
 * (locked lessons left out); returns how many were written.
 */
size_t	learn_feed_rank(struct learn_feed_item *items, size_t n,
	    int learner_level, size_t *order, size_t cap);

/* The 1..3 level for a mean skill level on the 1..10 scale (0: none):
 * below 4 beginner, below 7 intermediate, else advanced. */
int	learn_feed_level(double mean_skill_level);

/*
 * The sentence saying why the card is there, into buf (NUL-terminated,
 * truncated to size).  Returns buf.
 */
char	*learn_feed_reason(const struct learn_feed_item *it,
	    int learner_level, char *buf, size_t size);

/* "due", "ready", "next", "refresh", "locked". */
const char *learn_feed_why_name(enum learn_feed_why);

#endif
