/*
 * irt_fit: calibrating dichotomous IRT items from a response matrix.
 *
 * Three estimators: the Rasch model by conditional ML (persons' raw scores
 * conditioned out through elementary symmetric functions, Newton-Raphson,
 * difficulties normalised to sum zero), person abilities by ML given Rasch
 * items, and Rasch / 2PL / 3PL by marginal ML (Bock-Aitkin EM on a fixed
 * grid, D = 1, P = c + (1 - c) / (1 + exp(-a (theta - b)))).
 *
 * Design decision: a response matrix is first turned into a data object
 * (learn_irtfit_data_new) that holds the distinct response patterns with
 * their counts, the CML sufficient statistics per missing-data pattern and
 * every work array the fits need, so the fits themselves never allocate and
 * cost grows with the number of distinct patterns rather than persons.
 * Missing responses (LEARN_IRTFIT_NA) are handled as eRm does: CML
 * conditions each person on the raw score over the items he answered
 * (persons with the same missing pattern share one set of symmetric
 * functions); MML simply leaves the item out of the person's likelihood.
 */
#ifndef ADEPT_LEARN_IRT_FIT_H
#define ADEPT_LEARN_IRT_FIT_H

#include <stddef.h>

#define LEARN_IRTFIT_NA		(-1)	/* a missing response */
#define LEARN_IRTFIT_MAXNODES	201	/* quadrature nodes at most */

enum learn_irtfit_model {
	LEARN_IRTFIT_RASCH,
	LEARN_IRTFIT_2PL,
	LEARN_IRTFIT_3PL
};

enum learn_irtfit_status {
	LEARN_IRTFIT_OK = 0,
	LEARN_IRTFIT_EINVAL,	/* n or k is 0, or a value not 0, 1 or NA */
	LEARN_IRTFIT_ENOMEM,
	LEARN_IRTFIT_EEMPTY,	/* an item nobody answered */
	LEARN_IRTFIT_ECONST,	/* an item everybody answered alike */
	LEARN_IRTFIT_EUNBOUNDED,/* CML estimates do not exist (the design
				   fails Fischer's strong-connectivity
				   condition, e.g. an item all persons with
				   a non-extreme score got right) */
	LEARN_IRTFIT_ENOCONV	/* iteration limit reached */
};

/* A short English description of a status. */
const char	*learn_irtfit_strerror(int status);

struct learn_irtfit_data;

/*
 * Builds the data object from x, n persons by k items, row-major, each
 * value 0, 1 or LEARN_IRTFIT_NA.  x is not kept.  Returns LEARN_IRTFIT_OK
 * and sets *out, or an error status with *out = NULL; on EINVAL for a bad
 * value *bad is the offset of that value in x, on EEMPTY / ECONST it is the
 * item (bad may be NULL).  Free with learn_irtfit_data_free.
 */
int		 learn_irtfit_data_new(struct learn_irtfit_data **out,
		    const signed char *x, size_t n, size_t k, size_t *bad);
void		 learn_irtfit_data_free(struct learn_irtfit_data *);
/* Number of distinct response patterns. */
size_t		 learn_irtfit_npatterns(const struct learn_irtfit_data *);

/* Result of learn_irtfit_rasch_cml. */
struct learn_irtfit_cml {
	double	loglik;		/* conditional log-likelihood at b */
	int	iterations;	/* Newton steps taken */
	size_t	bad;		/* EUNBOUNDED: an item that breaks it */
};

/*
 * Rasch CML.  Writes k difficulties b (P(x = 1) = 1 / (1 + exp(b - theta)),
 * sum of b = 0) and their standard errors se (from the Moore-Penrose
 * inverse of the conditional information, i.e. the sum-zero contrast; se
 * may be NULL).  Newton-Raphson stops when no difficulty moves by more
 * than 1e-10.  Returns LEARN_IRTFIT_OK, EUNBOUNDED or ENOCONV (also when
 * a person answered more than about 500 items: the symmetric functions
 * are plain doubles).
 */
int		 learn_irtfit_rasch_cml(struct learn_irtfit_data *,
		    double *b, double *se, struct learn_irtfit_cml *);
/* The conditional log-likelihood at difficulties b (any normalisation). */
double		 learn_irtfit_rasch_cml_loglik(struct learn_irtfit_data *,
		    const double *b);

/*
 * Rasch person ML given difficulties b[0..k): the theta that solves
 * sum_i P_i(theta) = r over the answered items (x values 0, 1 or NA), and
 * se = 1 / sqrt(test information).  Returns 0, or -1 with theta and se set
 * to NaN when the ML estimate does not exist (no answered item, raw score
 * 0 or all answered items correct).
 */
int		 learn_irtfit_rasch_theta(const double *b, const signed char *x,
		    size_t k, double *theta, double *se);
/* The same for raw score r on all k items (a score-table row). */
int		 learn_irtfit_rasch_theta_score(const double *b, size_t k,
		    int r, double *theta, double *se);

/* Options of learn_irtfit_mml; learn_irtfit_opts_default fills them. */
struct learn_irtfit_opts {
	int	 model;		/* enum learn_irtfit_model */
	int	 nodes;		/* equally spaced nodes on [-zmax, zmax],
				   3..LEARN_IRTFIT_MAXNODES (default 61) */
	double	 zmax;		/* grid half-width in SD units (6) */
	int	 max_iter;	/* EM cycles at most (10000) */
	double	 tol;		/* stop when no a, d = -a b, c moves by more
				   than tol in one cycle (1e-6) */
	double	 c_alpha;	/* 3PL: Beta(c_alpha, c_beta) prior on c */
	double	 c_beta;	/*   (5, 17: mode 0.2, BILOG's default;
				   1, 1: no prior) */
	double	 a_logsd;	/* 2PL/3PL: lognormal(0, a_logsd) prior on
				   a; 0: none (default: 3PL 0.5, as BILOG-MG;
				   2PL 0) */
	double	*trace;		/* optional: objective before each cycle */
	size_t	 trace_cap;	/*   room in trace */
};

/* Result of learn_irtfit_mml. */
struct learn_irtfit_mml {
	double	loglik;		/* marginal log-likelihood at the estimates */
	double	objective;	/* loglik + log priors (a, c), the quantity
				   EM maximises */
	double	sigma;		/* Rasch: fitted SD of theta; 2PL/3PL: 1 */
	int	iterations;	/* EM cycles */
	int	converged;	/* 1 if the tol criterion was met */
	size_t	ntrace;		/* entries written to opts->trace */
};

void		 learn_irtfit_opts_default(struct learn_irtfit_opts *,
		    int model);

/*
 * Marginal ML by EM (Bock & Aitkin 1981) on a rectangular grid with N(0, 1)
 * weights.  Rasch: a = 1, c = 0, theta ~ N(0, sigma^2) with sigma
 * estimated (E[theta] = 0 identifies b, as lme4's glmer does).  2PL: c = 0,
 * theta ~ N(0, 1).  3PL: as 2PL plus c with a Beta prior (the EM treats
 * "answered by guessing" as missing data, so the penalised likelihood
 * cannot decrease) and, by default, BILOG-MG's lognormal prior on a; with
 * priors the estimates are posterior modes.  Writes a, b, c (k each).  The
 * objective never decreases from one cycle to the next.  Returns
 * LEARN_IRTFIT_OK, EINVAL (bad options) or ENOCONV (estimates written).
 */
int		 learn_irtfit_mml(struct learn_irtfit_data *,
		    const struct learn_irtfit_opts *, double *a, double *b,
		    double *c, struct learn_irtfit_mml *);

/*
 * The marginal log-likelihood (no priors) of items a, b, c under
 * theta ~ N(0, sigma^2) on the grid of o (nodes, zmax); NaN on bad options.
 * Uses the data object's work arrays.
 */
double		 learn_irtfit_mml_loglik(struct learn_irtfit_data *,
		    const struct learn_irtfit_opts *o, const double *a,
		    const double *b, const double *c, double sigma);

#endif
