/*
 * fsrs: the FSRS-6 spaced-repetition scheduler, computing exactly what
 * ts-fsrs 5.4.2 computes (no fuzz).
 *
 * Design: every formula is evaluated in the same order as ts-fsrs and
 * rounded with R8(x) = JS Math.round(x * 1e8) / 1e8 where ts-fsrs rounds, so
 * stability, difficulty and R match the reference bit for bit (with glibc's
 * exp/pow and no FMA contraction).  Parameters are prepared once
 * (validated, clipped to ts-fsrs' CLAMP_PARAMETERS, derived constants
 * cached) and then only read, so one struct serves any number of threads.
 * Times are 64-bit Unix seconds; elapsed days are differences of UTC
 * calendar dates, as ts-fsrs' dateDiffInDays.
 */
#ifndef ADEPT_LEARN_FSRS_H
#define ADEPT_LEARN_FSRS_H

#include <stdint.h>

#define LEARN_FSRS_NW		21	/* FSRS-6 parameter count */
#define LEARN_FSRS_MAXSTEPS	16	/* (re)learning steps at most */
#define LEARN_FSRS_S_MIN	0.001
#define LEARN_FSRS_S_MAX	36500.0
/* Largest review time accepted: the end of the JavaScript Date range
 * (year 275760), which bounds what ts-fsrs can schedule. */
#define LEARN_FSRS_MAX_TIME	INT64_C(8640000000000)
/* Largest max_interval accepted, so that due times fit in 64 bits. */
#define LEARN_FSRS_MAX_IVL	INT64_C(10000000000000)

enum learn_fsrs_state {
	LEARN_FSRS_NEW = 0,
	LEARN_FSRS_LEARNING = 1,
	LEARN_FSRS_REVIEW = 2,
	LEARN_FSRS_RELEARNING = 3
};

enum learn_fsrs_rating {
	LEARN_FSRS_AGAIN = 1,
	LEARN_FSRS_HARD = 2,
	LEARN_FSRS_GOOD = 3,
	LEARN_FSRS_EASY = 4
};

struct learn_fsrs_params {
	double	 w[LEARN_FSRS_NW];
	double	 retention;		/* desired retention, in (0, 1] */
	int64_t	 max_interval;		/* days, 1 .. LEARN_FSRS_MAX_IVL */
	int	 learning_steps[LEARN_FSRS_MAXSTEPS];	/* minutes */
	int	 n_learning_steps;
	int	 relearning_steps[LEARN_FSRS_MAXSTEPS];	/* minutes */
	int	 n_relearning_steps;
	int	 short_term;	/* 1: steps and same-day stability (ts-fsrs
				 * BasicScheduler); 0: every review goes to
				 * Review (LongTermScheduler) */
	/* Set by learn_fsrs_params_prepare; read-only for callers. */
	int	 prepared;
	double	 decay;		/* -w20 */
	double	 factor;	/* R8(0.9^(1/decay) - 1) */
	double	 im;		/* interval modifier for retention */
	double	 d0[5];		/* D0(G), G = 1..4, unclamped (D0(4) is
				 * the mean-reversion target) */
	double	 s0[5];		/* S0(G) = max(w[G-1], 0.1) */
	double	 sinc_exp[5];	/* e^(w17 (G - 3 + w18)), same-day factor */
	double	 exp_w8;
	double	 forget_div;	/* e^(w17 w18), or 1 with short_term off */
};

struct learn_fsrs_card {
	int	 state;		/* enum learn_fsrs_state */
	double	 stability;	/* days; 0 for a new card */
	double	 difficulty;	/* [1, 10]; 0 for a new card */
	int	 step;		/* index of the current (re)learning step */
	int	 reps;
	int	 lapses;
	int64_t	 elapsed_days;	/* calendar days before the last review */
	int64_t	 scheduled_days;
	int64_t	 last_review;	/* Unix seconds; meaningless while New */
	int64_t	 due;		/* Unix seconds */
};

/* What a review used, beside the new card. */
struct learn_fsrs_info {
	int	 state_before;
	int64_t	 elapsed_days;	/* UTC calendar days since the last review */
	double	 r;		/* R used by the update; NaN when the memory
				 * state was initialised (a new card) */
};

/* Memory state for learn_fsrs_next_state. */
struct learn_fsrs_memory {
	double	 stability;
	double	 difficulty;
};

/* Fills ts-fsrs' defaults (FSRS-6 w, retention 0.9, maximum interval
 * 36500, learning steps 1m 10m, relearning step 10m, short-term on) and
 * prepares them. */
void	learn_fsrs_params_default(struct learn_fsrs_params *);

/* Validates the caller-set fields, clips w to ts-fsrs' CLAMP_PARAMETERS
 * (whose w17/w18 ceiling depends on the number of relearning steps and w19's
 * floor on short_term) and caches derived constants.  Call it after any
 * change.  0, or -1 (params left unprepared) on non-finite w, retention
 * outside (0, 1], max_interval outside [1, LEARN_FSRS_MAX_IVL], a step
 * count outside
 * [0, LEARN_FSRS_MAXSTEPS] or a negative step. */
int	learn_fsrs_params_prepare(struct learn_fsrs_params *);

/* A new card (ts-fsrs createEmptyCard) due at now. */
void	learn_fsrs_card_init(struct learn_fsrs_card *, int64_t now);

/* Applies a review with rating 1..4 at now (Unix seconds) to card.  info
 * may be NULL.  0, or -1 with the card untouched on bad input: unprepared
 * params, an unknown rating, now outside [0, LEARN_FSRS_MAX_TIME], now
 * before the card's last review,
 * or an inconsistent card (unknown state, non-finite or out-of-range
 * memory state, negative step or counters). */
int	learn_fsrs_review(const struct learn_fsrs_params *,
	    struct learn_fsrs_card *, int64_t now, int rating,
	    struct learn_fsrs_info *);

/* ts-fsrs next_state: memory after a review with rating 1..4 after t whole
 * days, from in (stability = difficulty = 0: a new card).  R is the
 * forgetting curve at t.  0, or -1 on bad input (t < 0, bad rating,
 * invalid memory state, unprepared params). */
int	learn_fsrs_next_state(const struct learn_fsrs_params *,
	    const struct learn_fsrs_memory *in, int64_t t, int rating,
	    struct learn_fsrs_memory *out);

/* R(t, S) = R8((1 + factor t / S)^decay), t in days (fractional allowed):
 * in [0, 1] and non-increasing in t.  -1 if S is not a positive finite
 * number or t is negative or NaN. */
double	learn_fsrs_retrievability(const struct learn_fsrs_params *,
	    double stability, double t);

/* R8((retention^(1/decay) - 1) / factor): the factor that turns S into the
 * interval reaching retention (1 at 0.9).  -1 if retention is outside
 * (0, 1] or params are unprepared. */
double	learn_fsrs_interval_modifier(const struct learn_fsrs_params *,
	    double retention);

/* The interval in days for stability S and any desired retention:
 * min(max(1, round(S * IM(retention))), max_interval), round as JS
 * Math.round.  -1 on bad input (S not positive finite, retention outside
 * (0, 1], unprepared params). */
int64_t	learn_fsrs_next_interval(const struct learn_fsrs_params *,
	    double stability, double retention);

/* Whole UTC calendar days from a to b (negative if b's date is earlier). */
int64_t	learn_fsrs_calendar_days(int64_t a, int64_t b);

/* R8 as ts-fsrs rounds: Math.round(x * 1e8) / 1e8, ties toward +inf. */
double	learn_fsrs_r8(double);

#endif
