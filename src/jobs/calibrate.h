/*
 * calibrate: fitting question-version IRT parameters from real responses
 * (issue 5, calib): the "calibrate" job kind and `adept calibrate`.
 */
#ifndef ADEPT_JOBS_CALIBRATE_H
#define ADEPT_JOBS_CALIBRATE_H

#include "jobs/jobs.h"

struct arena;
struct db;

/* What calibrate_run did. */
struct calibrate_report {
	int	items;		/* item versions calibrated */
	int	dropped;	/* eligible but all-right / all-wrong */
	int	persons;
	int	responses;
	int	iterations;
	int	converged;
	double	loglik;
	char	err[256];	/* on failure */
};

/* Default minimum of responses (learners) per item version:
 * ADEPT_CALIBRATE_MIN_N, else 30. */
int	calibrate_min_n_default(void);

/*
 * Fits every item version that at least min_n learners answered (each
 * learner's first answer counts) jointly by MML, model 0 Rasch or 1 2PL
 * (2PL with a lognormal(0, 0.5) prior on a), over the persons who answered
 * them; items everybody answered alike are left out.  In one transaction
 * writes irt_a/b/c, irt_calibrated, irt_calibrated_at, irt_n and one
 * model_metadata row per item.  Returns 0 (also when nothing was
 * eligible), or -1 with rep->err.
 */
int	calibrate_run(struct db *, struct arena *, int min_n, int model,
	    struct calibrate_report *rep);

/* "calibrate": payload {"min_n": n, "model": "rasch"|"2pl"} (both
 * optional). */
enum job_result	job_calibrate(struct job *);

#endif
