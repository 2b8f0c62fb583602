/*
 * irt: item response theory for ability estimation and computerised
 * adaptive testing (CAT), following the conventions of npm @bdelab/jscat
 * 5.2.3 so that its recorded sessions can be reproduced.
 *
 * Model (jscat's, D = 1): P(theta) = c + (d - c) / (1 + exp(-a(theta - b))),
 * Fisher information I = a^2 (Q/P) ((P - c)/(1 - c))^2 (jscat's formula; it
 * is the exact 3PL information when d = 1).  Abilities live on [-6, 6] by
 * default; EAP integrates over jscat's 121-node grid with an N(0, 1) prior;
 * MLE is the exact maximiser on [-6, 6] (not jscat's Powell search);
 * SE = 1/sqrt(test information at theta) for both, as jscat reports it.
 *
 * The design decision: the bank (items, skills, a pruning order) is built
 * once and shared; a session only keeps what depends on the learner:
 * the administered items, and for EAP the log-likelihood on every grid node,
 * so that an answer costs O(grid) and not O(items x grid).  Selection scans
 * the bank by decreasing a^2/4, an upper bound of an item's information,
 * and stops once no remaining item can beat the current best; runs of 64
 * items whose b range is far from theta are skipped by a second bound,
 * a^2 e^(-a |theta - b|), so extreme thetas do not cost a full scan.
 *
 * Pure C + libm.  Randomness (randomesque exposure control) comes from a
 * caller-owned struct learn_rng (learn/rng.h).  No globals; memory comes
 * from the explicit *_new / *_free pairs.
 */
#ifndef ADEPT_LEARN_IRT_H
#define ADEPT_LEARN_IRT_H

#include <stddef.h>

struct learn_rng;
struct learn_irt_scan;
struct learn_irt_chunk;

#define LEARN_IRT_THETA_MIN	(-6.0)
#define LEARN_IRT_THETA_MAX	6.0
#define LEARN_IRT_GRID_MAX	1024	/* nodes in a learn_irt_grid */
#define LEARN_IRT_TOPK_MAX	64	/* largest randomesque k */

struct learn_irt_item {
	double	a;	/* discrimination */
	double	b;	/* difficulty */
	double	c;	/* lower asymptote (guessing), 0 <= c < d */
	double	d;	/* upper asymptote, c < d <= 1 (1 in 1-3PL) */
};

/* P(correct | theta). */
double	learn_irt_p(const struct learn_irt_item *, double theta);
/* Fisher information of one item at theta (jscat's formula). */
double	learn_irt_info(const struct learn_irt_item *, double theta);
/* Sum of the information of n items at theta. */
double	learn_irt_test_info(const struct learn_irt_item *, size_t n,
	    double theta);
/* 1/sqrt(test information at theta); +inf when there is no information. */
double	learn_irt_se(const struct learn_irt_item *, size_t n, double theta);
/* Log-likelihood of the responses (0/1) at theta. */
double	learn_irt_loglik(const struct learn_irt_item *,
	    const unsigned char *resp, size_t n, double theta);

/*
 * Quadrature grid for EAP: jscat's nodes are lodash range(min, max + step,
 * step) (accumulated by repeated "+ step", each node then rounded to 6
 * decimals) with weights = N(mean, sd) density at the unrounded node.
 */
struct learn_irt_grid {
	int	n;
	double	theta[LEARN_IRT_GRID_MAX];
	double	w[LEARN_IRT_GRID_MAX];
};

/* Fills jscat's grid.  0, or -1 if the arguments give no node, more than
 * LEARN_IRT_GRID_MAX nodes, or sd <= 0.  (-6, 6, 0.1, 0, 1) gives the 121
 * nodes every jscat Cat uses by default. */
int	learn_irt_grid_jscat(struct learn_irt_grid *, double min, double max,
	    double step, double mean, double sd);

/*
 * EAP = sum theta L w / sum L w over the grid.  If psd is not NULL it gets
 * the posterior SD on the same grid.  With n = 0 it is the prior mean.
 */
double	learn_irt_eap(const struct learn_irt_grid *,
	    const struct learn_irt_item *, const unsigned char *resp, size_t n,
	    double *psd);

enum learn_irt_mle_status {
	LEARN_IRT_MLE_NONE = -1,	/* no items: theta not set */
	LEARN_IRT_MLE_INTERIOR = 0,	/* a stationary maximum inside */
	LEARN_IRT_MLE_BOUND = 1		/* maximum on [lo, hi] sits at a bound:
					 * always so for all-0 / all-1 answers */
};

/*
 * Maximum-likelihood ability on [lo, hi]: the global maximum, found by
 * scanning the score on a 0.1 grid and refining every bracketed maximum by
 * safeguarded Newton to ~1e-12.  All-correct answers give hi, all-wrong lo
 * (the MLE does not exist; status LEARN_IRT_MLE_BOUND).
 */
enum learn_irt_mle_status learn_irt_mle(const struct learn_irt_item *,
	    const unsigned char *resp, size_t n, double lo, double hi,
	    double *theta);

/*
 * A shared item bank.  skill (optional) gives each item's content area in
 * [0, nskill).  The bank copies what it is given.
 */
struct learn_irt_bank {
	size_t			 n;
	struct learn_irt_item	*item;
	int			*skill;		/* n entries, or NULL */
	int			 nskill;	/* 0 when skill is NULL */
	size_t			*skill_total;	/* items per skill */
	struct learn_irt_scan	*scan;		/* n, by decreasing a^2/4;
						 * private to irt.c */
	struct learn_irt_chunk	*chunk;		/* summaries of scan[] runs */
};

/* NULL on bad arguments (n = 0, an item without a > 0 and
 * 0 <= c < d <= 1, a skill out of range) or out of memory. */
struct learn_irt_bank	*learn_irt_bank_new(const struct learn_irt_item *,
			    size_t n, const int *skill, int nskill);
void			 learn_irt_bank_free(struct learn_irt_bank *);

/* Item selection options; NULL options mean plain maximum information. */
struct learn_irt_select {
	int		 topk;		/* randomesque exposure control: draw
					 * uniformly among the topk most
					 * informative items (<= 1: argmax) */
	struct learn_rng *rng;		/* for the draw (topk > 1; NULL:
					 * argmax) */
	const double	*target;	/* content balancing: target proportion
					 * per skill (bank->nskill), or NULL */
};

/*
 * Next item over the bank items whose used[] byte is 0: the most
 * informative at theta (ties: lower b, then lower index, which is jscat's
 * order), or one of the topk most informative.  With target, the item comes
 * from the skill furthest below its target share after this item
 * (target[s] (nadmin + 1) - count[s], largest first; skills with no item left
 * or target 0 are skipped; if none is left, any skill).  count[] has
 * bank->nskill entries (the number administered per skill).  Returns the
 * bank index, or -1 if no item remains.
 */
long	learn_irt_select_item(const struct learn_irt_bank *,
	    const unsigned char *used, const size_t *count, size_t nadmin,
	    double theta, const struct learn_irt_select *);

enum learn_irt_method {
	LEARN_IRT_EAP,
	LEARN_IRT_MLE
};

/* One adaptive-testing session over a bank.  Fields are read-only for
 * callers. */
struct learn_irt_cat {
	const struct learn_irt_bank	*bank;
	enum learn_irt_method		 method;
	double				 lo, hi;	/* theta bounds */
	double				 theta;		/* current estimate */
	double				 se;		/* 1/sqrt(I(theta)) */
	enum learn_irt_mle_status	 mle_status;	/* MLE sessions */
	size_t				 n;		/* items answered */
	size_t				*admin;		/* bank indices, n */
	struct learn_irt_item		*item;		/* their parameters */
	unsigned char			*resp;		/* their answers */
	unsigned char			*used;		/* per bank item */
	size_t				*count;		/* per skill */
	struct learn_irt_grid		 grid;		/* EAP grid */
	double				 ll[LEARN_IRT_GRID_MAX]; /* log L */
};

/*
 * A session as jscat starts one: theta = 0, se = +inf, bounds [-6, 6],
 * EAP on jscat's default grid.  NULL if out of memory.  The bank must
 * outlive the session.
 */
struct learn_irt_cat	*learn_irt_cat_new(const struct learn_irt_bank *,
			    enum learn_irt_method);
void			 learn_irt_cat_free(struct learn_irt_cat *);

/* The next item at the session's theta (see learn_irt_select_item). */
long	learn_irt_cat_next(const struct learn_irt_cat *,
	    const struct learn_irt_select *);

/*
 * Records the answer (0/1) to bank item `item` and updates theta and se:
 * EAP in O(grid), MLE over the answered items.  0, or -1 if the item is
 * out of range or already answered, or the answer is not 0/1.
 */
int	learn_irt_cat_answer(struct learn_irt_cat *, size_t item, int resp);

enum learn_irt_stop {
	LEARN_IRT_GO = 0,	/* keep testing */
	LEARN_IRT_STOP_SE,	/* se <= se_max */
	LEARN_IRT_STOP_MAX,	/* max_items answered */
	LEARN_IRT_STOP_EMPTY	/* bank exhausted */
};

/* Stopping rule: se_max <= 0 or max_items = 0 disables that rule. */
enum learn_irt_stop learn_irt_cat_stop(const struct learn_irt_cat *,
	    double se_max, size_t max_items);

#endif
