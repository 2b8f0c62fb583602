/*
 * attempt: what attempt.c shares with diagnostic.c and profile.c: scoring
 * an answer and updating the learner model in one transaction, and the
 * HTML of a question as a learner sees it (no right answers in it).
 */
#ifndef ADEPT_PAGES_ATTEMPT_H
#define ADEPT_PAGES_ATTEMPT_H

#include <stdint.h>

struct arena;
struct req;
struct buf;

enum attempt_ans {
	ANS_SAVED = 0,		/* a new response, counted */
	ANS_DUPLICATE,		/* answered before: the first answer stands */
	ANS_NO_ATTEMPT,		/* not the learner's attempt: 404 */
	ANS_NO_ITEM,		/* question not in the attempt: 404 */
	ANS_SUBMITTED,		/* 409 */
	ANS_TOO_LATE,		/* past the time limit: 409 */
	ANS_BAD,		/* 400, msg says why */
	ANS_DB			/* status says 500/503 */
};

struct attempt_result {
	int		 correct;
	int		 seq;
	int		 response_ms;
	const char	*feedback;	/* the chosen option's, or "" */
	const char	*msg;		/* for ANS_BAD and the others */
	int		 status;	/* HTTP status for the outcome */
};

/* An option of a question version as scoring sees it. */
struct attempt_opt {
	int64_t		 id;
	const char	*body;
	int		 correct;
	double		 value, tol;	/* numeric */
	const char	*feedback;
};

/* The options of question version vid (at most QB_MAXOPTS) into o:
 * count, or a db_err. */
int	attempt_load_opts(struct req *, int64_t vid, struct attempt_opt *o);

/* Parses "12, 13,14" into at most max ids: count, or -1 if anything is
 * not a positive id or there are more than max. */
int	attempt_parse_ids(const char *s, int64_t *ids, int max);

/*
 * Scores a typed answer s to a question of kind QB_NUMERIC (a number, ","
 * allowed as the decimal point, within an option's tolerance) or QB_SHORT
 * (a normalised match of an accepted answer) with options o[n]: 0 with
 * *correct and *m (the matched option's index, or -1), or -1 with *why
 * (empty, or not a number).  Pure but for the arena; shared by attempt
 * scoring and regrade.
 */
int	attempt_score_text(struct arena *, int kind,
	    const struct attempt_opt *o, int n, const char *s, int *correct,
	    int *m, const char **why);

/*
 * Scores the answer in r (form fields F_ANS_*, repeated "options",
 * rank_<id>) to a question of kind (a qb_kind_name) with options o[n]:
 * single/true-false one option id; multiple the exact set of correct ids;
 * numeric a number ("," as decimal point allowed) within a tolerance;
 * short text a normalised match; ordering every id once, in order.
 * Returns 0 with *correct, *answer (the text stored), the chosen ids
 * (ids[QB_MAXOPTS], *nids) and *fb (the matched option's feedback), or -1
 * with *why (a sentence for the learner); nothing is written.
 */
int	attempt_score(struct req *, const char *kind,
	    const struct attempt_opt *o, int n, int *correct,
	    const char **answer, int64_t *ids, int *nids, const char **fb,
	    const char **why);

/*
 * Scores the answer in r's params (option, options, value, text, order,
 * rank_<option id>) to question qid of attempt aid owned by the signed-in
 * learner, and in one transaction records it, locks the version, adds to
 * the item's statistics and updates BKT, Elo and skill levels.  A second
 * answer to the same item changes nothing (ANS_DUPLICATE).
 */
enum attempt_ans attempt_answer(struct req *, int64_t aid, int64_t qid,
	    struct attempt_result *);

/*
 * Updates the signed-in learner's model after one counted answer to
 * question qid (authored difficulty 1..10, IRT b): the overall Elo
 * ability, and per skill of the question BKT P(known), Elo and the 1..10
 * level.  Inside the caller's transaction, which must already have made
 * sure the answer counts once; 0 or a db_err.  Shared with feed.c.
 */
int	attempt_model_update(struct req *, int64_t qid, int difficulty,
	    double b, int correct);

/* One item of an attempt as attempt_items_load() returns it. */
struct attempt_item {
	int		 seq;
	int64_t		 qid, vid;
	const char	*kind, *title, *stem, *explanation, *skills;
	int		 difficulty;
	int		 answered, correct, ms;
	const char	*answer;	/* as given */
	const char	*optids;	/* chosen option ids, "1,2" */
};

/* The attempt's items in order (arena); count, or a db_err. */
int	attempt_items_load(struct req *, int64_t aid,
	    struct attempt_item **);

/*
 * Appends the learner's view of one item: stem and inputs (named as
 * above) in a form posting to action with a submit button labelled
 * button.  Unanswered: no right answer reaches the page.  Answered: the
 * answer given; with solution set also the right answer, the feedback
 * and the explanation.
 */
void	attempt_item_html(struct req *, struct buf *,
	    const struct attempt_item *, const char *action,
	    const char *button, int solution);

/* Writes "options":[{id,text}...] for a choice or ordering item (none for
 * numeric and short text), in the order a page shows them; with solution
 * also each option's correctness and feedback. */
void	attempt_options_json(struct req *, const struct attempt_item *,
	    int solution);

/* Skill level 1..10 for an ability theta on the IRT scale (the inverse of
 * qb_difficulty_b, rounded and clamped). */
int	attempt_theta_level(double theta);

#endif
