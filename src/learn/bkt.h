/*
 * bkt: Bayesian knowledge tracing (Corbett & Anderson 1995), one skill at a
 * time: the forward filter that turns a learner's answers into P(known), and
 * the EM (Baum-Welch) fit of the four parameters per skill.
 *
 * Design decision: the library sees a skill's data as 0/1 answers laid out
 * sequence after sequence (one sequence = one learner on one skill, in
 * opportunity order) plus an offset array.  Grouping by learner and skill
 * and ordering by opportunity is the caller's job (the CLI does it with a
 * sort); the inner loops then run over contiguous memory with no lookups.
 * Forgetting is fixed at 0, as in standard BKT.
 */
#ifndef ADEPT_LEARN_BKT_H
#define ADEPT_LEARN_BKT_H

#include <stddef.h>

/*
 * EM keeps every parameter in [LEARN_BKT_PMIN, 1 - LEARN_BKT_PMIN] and
 * guess, slip <= LEARN_BKT_GS_MAX.  The upper bound on guess and slip keeps
 * the model identifiable: with the roles of the two states swapped
 * (guess' = 1 - slip, slip' = 1 - guess) the likelihood can be the same,
 * and "known" must be the state in which a correct answer is more likely.
 */
#define LEARN_BKT_PMIN		1e-8
#define LEARN_BKT_GS_MAX	0.5

struct learn_bkt_params {
	double	prior;		/* P(known) before the first opportunity */
	double	learn;		/* P(unknown -> known) after an opportunity */
	double	guess;		/* P(correct | unknown) */
	double	slip;		/* P(wrong | known) */
};

/* What the filter says about one observation. */
struct learn_bkt_obs {
	double	p_known_before;		/* P(L_t | c_1..c_{t-1}) */
	double	p_correct_pred;		/* P(c_t = 1 | c_1..c_{t-1}) */
	double	p_known_posterior;	/* P(L_t | c_1..c_t) */
	double	p_known_next;		/* P(L_{t+1} | c_1..c_t) */
};

/*
 * One skill's data: sequences back to back.  Sequence s is
 * correct[start[s]] .. correct[start[s + 1] - 1]; start has nseq + 1
 * entries, start[0] = 0 and start[nseq] = the number of observations.
 * Every correct[] value is 0 or 1.
 */
struct learn_bkt_seqs {
	const unsigned char	*correct;
	const size_t		*start;
	size_t			 nseq;
};

/* Result of learn_bkt_fit. */
struct learn_bkt_fit_info {
	double	loglik;		/* log-likelihood at the returned parameters */
	int	iterations;	/* EM steps taken */
	int	converged;	/* 1 if max |delta param| < tol was reached */
};

/* One pair for learn_bkt_auc's caller-provided workspace. */
struct learn_bkt_scored {
	double	score;
	int	label;
};

/* P(correct) given P(known) = p_known. */
double	learn_bkt_predict(const struct learn_bkt_params *, double p_known);

/*
 * One filter step: given P(known) before the answer and the answer
 * (0 or 1), fills *out and returns out->p_known_next (the next
 * opportunity's p_known_before).  Needs 0 < guess, slip < 1 so that both
 * answers have a positive probability.
 */
double	learn_bkt_step(const struct learn_bkt_params *, double p_known_before,
	    int correct, struct learn_bkt_obs *out);

/* Filters one sequence of n answers starting from the prior: out[t] for
 * each answer. */
void	learn_bkt_filter(const struct learn_bkt_params *,
	    const unsigned char *correct, size_t n, struct learn_bkt_obs *out);

/* Log-likelihood of the data under the parameters: sum over answers of
 * log P(c_t | c_1..c_{t-1}). */
double	learn_bkt_loglik(const struct learn_bkt_params *,
	    const struct learn_bkt_seqs *);

/*
 * One EM step from *in: E-step (forward filter, then the backward smoother
 * that, for this two-state chain with an absorbing "known" state, needs
 * only the filtered probabilities), then the M-step, each parameter's
 * maximiser clamped to the bounds above (Q separates by parameter and is
 * concave in each, so the clamp is the constrained maximiser and the
 * likelihood still never decreases).  Writes the new parameters to *out
 * (may equal in) and returns the log-likelihood at *in.  work: one double
 * per observation.  A parameter with no data for it (e.g. no answer given
 * in the unknown state) keeps its value.
 */
double	learn_bkt_em_step(const struct learn_bkt_seqs *,
	    const struct learn_bkt_params *in, struct learn_bkt_params *out,
	    double *work);

/*
 * Fits *p (in: starting point, out: the fit) by EM until no parameter
 * moves by tol or more in one step, or max_iter steps.  EM converges
 * linearly and the likelihood is flat in the prior, so the distance to
 * the maximum can be a few hundred times tol: use tol = 1e-9 for 1e-5.
 * Steps are plain EM steps, sped up by SQUAREM extrapolation (Varadhan &
 * Roland 2008, scheme S3) that is kept only when the point it leads to is
 * at least as likely as two plain steps, so the likelihood never
 * decreases from one iterate to the next.  iterations counts EM steps.
 * work: 1 double per observation.
 * Returns 0 when converged, -1 when max_iter was reached or there is no
 * data (info still filled).
 */
int	learn_bkt_fit(const struct learn_bkt_seqs *, struct learn_bkt_params *p,
	    double tol, int max_iter, double *work,
	    struct learn_bkt_fit_info *info);

/*
 * Area under the ROC curve of score against 0/1 label: the Mann-Whitney
 * probability that a random positive scores above a random negative, a tie
 * counting one half.  work: n pairs (reordered).  NaN if either class is
 * empty.
 */
double	learn_bkt_auc(const double *score, const unsigned char *label,
	    size_t n, struct learn_bkt_scored *work);

#endif
