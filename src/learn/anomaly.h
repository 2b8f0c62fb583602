/*
 * anomaly: scores that point an admin at possible cheating, each with the
 * evidence that raised it.  Four detectors:
 *
 *  - fast correct: a correct answer far faster than the item's and the
 *    learner's own response-time distributions (log times, as in van der
 *    Linden's 2006 lognormal model), summed up per account;
 *  - similarity: two accounts on one assessment sharing identical wrong
 *    answers, weighted by how rare each wrong option is, against what
 *    chance predicts (error-similarity analysis, Bellezza & Bellezza 1989);
 *  - bursts: too many sign-ups or attempt starts from one address within a
 *    sliding window;
 *  - guessing: accuracy no better than chance together with rapid answers
 *    (Wise's normative threshold) or one answer position throughout.
 *
 * Design decision: nothing here decides; a detector returns flags with a
 * score and evidence, an admin confirms or clears them, and every threshold
 * is a field of struct learn_anomaly_params.  The time statistics are
 * robust (median and MAD of log times) so that the cheater being measured
 * does not hide by dragging the centre towards himself, and the similarity
 * chance model conditions on both accounts being wrong, with the pair left
 * out of the option shares, so two weak honest learners do not look alike
 * merely because they are often wrong.
 *
 * Learners and items are the caller's dense indices (0 .. n - 1); the
 * caller maps them back to accounts and questions.  Flags go to a caller
 * array and each detector returns how many it found, snprintf-style (only
 * the first nout are written), or -1 on bad arguments or out of memory.
 * Pure C + libc + libm: no I/O, no globals; times are arguments.
 */
#ifndef ADEPT_LEARN_ANOMALY_H
#define ADEPT_LEARN_ANOMALY_H

#include <stddef.h>

#define LEARN_ANOMALY_EV_MAX		8	/* evidence rows per flag */
#define LEARN_ANOMALY_OPTIONS_MAX	16	/* answer positions per item */

enum learn_anomaly_kind {
	LEARN_ANOMALY_FAST_CORRECT,
	LEARN_ANOMALY_SIMILARITY,
	LEARN_ANOMALY_BURST,
	LEARN_ANOMALY_GUESSING,
	LEARN_ANOMALY__MAX
};

/* What a burst counts. */
enum learn_anomaly_event_kind {
	LEARN_ANOMALY_EVENT_SIGNUP,
	LEARN_ANOMALY_EVENT_ATTEMPT,
	LEARN_ANOMALY_EVENT__MAX
};

struct learn_anomaly_params {
	/* fast correct: an answer is fast when z_item <= -fast_item_z and
	 * z_learner <= -fast_learner_z, its item having fast_min_item_n
	 * timings and its learner fast_min_learner_n; an account is flagged
	 * with at least fast_min_flagged fast correct answers, making
	 * fast_share of its correct answers and fast_accuracy of its fast
	 * ones (fast and wrong is guessing) */
	double	fast_item_z;
	double	fast_learner_z;
	int	fast_min_item_n;
	int	fast_min_learner_n;
	int	fast_min_flagged;
	double	fast_share;
	double	fast_accuracy;
	/* similarity: a pair is flagged when z >= sim_z and it shares
	 * sim_min_shared wrong answers; sim_copy_rate, in (0, 1), is the
	 * copying the weights are tuned to detect */
	double	sim_z;
	int	sim_min_shared;
	double	sim_copy_rate;
	/* bursts: flag when more than *_max events fall within *_window s */
	double	burst_signup_window;
	int	burst_signup_max;
	double	burst_attempt_window;
	int	burst_attempt_max;
	/* guessing: a learner with guess_min_n answers, accuracy z above
	 * chance under guess_chance_z, and guess_rapid_share of the timed
	 * answers rapid (ms < min(guess_rapid_frac x item median,
	 * guess_rapid_ms)) or guess_pos_share on one position */
	double	guess_rapid_frac;
	double	guess_rapid_ms;
	int	guess_min_n;
	double	guess_chance_z;
	double	guess_rapid_share;
	double	guess_pos_share;
};

/* The defaults: thresholds measured on the seeded simulation in
 * tests/unit/learn/test_anomaly.c. */
void	learn_anomaly_params_default(struct learn_anomaly_params *);

/* One answer.  option is the position shown to the learner (0-based),
 * -1 if none was chosen; ms <= 0 or NaN means "not timed". */
struct learn_anomaly_response {
	int	learner;
	int	item;
	int	option;
	int	correct;	/* 1 or 0 */
	double	ms;
};

/* A robust lognormal fit: mu is the median of the log times (so e^mu is the
 * median time), sigma the MAD of the logs times 1.4826, floored at
 * LEARN_ANOMALY_SIGMA_MIN, both taken again over the logs within
 * LEARN_ANOMALY_TRIM sigmas of the median until the kept range settles;
 * n timings went in.  For a learner the logs are residuals, log ms minus
 * the item's mu: mu < 0 is a fast learner (van der Linden's speed). */
struct learn_anomaly_lognorm {
	double	mu;
	double	sigma;
	int	n;
};

#define LEARN_ANOMALY_SIGMA_MIN	0.05
#define LEARN_ANOMALY_TRIM	2.0

/* An item: its option count, its times, and sigma_res, the robust SD of
 * its log times once each learner's speed is taken out (van der Linden's
 * 1/alpha): the spread a learner's own time is judged by. */
struct learn_anomaly_item {
	int				noptions;	/* 2 .. OPTIONS_MAX */
	struct learn_anomaly_lognorm	t;
	double				sigma_res;
};

/*
 * Fits out from n times in ms (> 0 and finite; others are skipped).
 * Uses ms as scratch: its contents are lost.  With no usable time: mu = 0,
 * sigma = SIGMA_MIN, n = 0.
 */
void	learn_anomaly_lognorm_fit(double *ms, size_t n,
	    struct learn_anomaly_lognorm *out);

/*
 * Fits items[i].t for every item from the timed responses, then
 * learners[l] from each learner's residuals against those item fits, then
 * items[i].sigma_res from the residuals less the learner's mu.  Leaves
 * items[].noptions alone.  0, or -1 on an index out of range or out
 * of memory (then items and learners are unspecified).
 */
int	learn_anomaly_fit_times(const struct learn_anomaly_response *,
	    size_t n, struct learn_anomaly_item *items, int nitems,
	    struct learn_anomaly_lognorm *learners, int nlearners);

struct learn_anomaly_fast_ev {
	int	item;
	double	ms;
	double	median_ms;	/* the item's, e^mu */
	double	z_item;		/* (log ms - mu_item) / sigma_item */
	double	z_learner;	/* (log ms - mu_item - mu_l) / sigma_res */
};

/*
 * One answer against its item's and learner's fits: fills ev (when not
 * NULL) and returns 1 if it is fast on both counts (z_item <=
 * -fast_item_z and z_learner <= -fast_learner_z, both fits having their
 * minimum n), 0 if not or if it cannot be judged (untimed, thin fits).
 * Correctness is not looked at: the caller or the account-level detector
 * does that.
 */
int	learn_anomaly_fast_check(const struct learn_anomaly_response *,
	    const struct learn_anomaly_item *,
	    const struct learn_anomaly_lognorm *learner,
	    const struct learn_anomaly_params *,
	    struct learn_anomaly_fast_ev *);

struct learn_anomaly_sim_ev {
	int	item;
	int	option;		/* the shared wrong position */
	double	p;		/* share of the other takers choosing it */
};

/* A flag's subjects are learner[0] and, for similarity, learner[1]
 * (else -1); a burst's subject is its key, and learner[0] is -1. */
struct learn_anomaly_flag {
	enum learn_anomaly_kind	kind;
	double			score;	/* larger is more suspicious */
	int			learner[2];
	union {
		/* score: nflagged / ncorrect */
		struct {
			int	ncorrect;	/* timed correct answers */
			int	nfast;		/* fast on both counts */
			int	nflagged;	/* of those, correct */
			int	nev;		/* most extreme first */
			struct learn_anomaly_fast_ev
				ev[LEARN_ANOMALY_EV_MAX];
		} fast;
		/* score: (weight - expected) / sd */
		struct {
			int	ncommon;	/* items both answered */
			int	nbothwrong;	/* ... both wrong */
			int	nshared;	/* ... with the same option */
			double	weight;		/* log-likelihood ratio */
			double	expected;	/* its mean by chance */
			double	sd;		/* and its SD */
			int	nev;		/* rarest first */
			struct learn_anomaly_sim_ev
				ev[LEARN_ANOMALY_EV_MAX];
		} sim;
		/* score: count / max */
		struct {
			const char	*key;	/* the caller's, not copied */
			enum learn_anomaly_event_kind what;
			int		count;	/* in the densest window */
			int		max;	/* the most allowed */
			double		window;	/* s */
			double		first;	/* its first event's time */
			double		last;	/* and its last one's */
		} burst;
		/* score: max(rapid share, position share) */
		struct {
			int	n;		/* answers */
			int	ncorrect;
			double	chance;		/* correct expected by chance */
			double	z;		/* (ncorrect - chance) / sd */
			int	ntimed;		/* answers with a time */
			int	nrapid;		/* under the threshold */
			int	position;	/* the most used position */
			int	npos;		/* answers there */
			double	median_ms;	/* the learner's median time */
		} guess;
	} u;
};

/*
 * Fast correct, per learner over the responses given (an attempt or an
 * assessment): items[] and learners[] as learn_anomaly_fit_times() makes
 * them (or from history).  A learner is flagged when at least
 * fast_min_flagged correct answers are fast on both counts, they are at
 * least fast_share of the learner's timed correct answers and at least
 * fast_accuracy of the learner's fast answers.  Flags come in learner
 * order.
 */
int	learn_anomaly_fast_correct(const struct learn_anomaly_response *,
	    size_t n, const struct learn_anomaly_item *items, int nitems,
	    const struct learn_anomaly_lognorm *learners, int nlearners,
	    const struct learn_anomaly_params *, struct learn_anomaly_flag *out,
	    size_t nout);

/*
 * Similarity for every pair of learners on one assessment, O(learners^2 x
 * items).  Only items both answered wrong count.  There, by chance, the
 * two pick the same wrong option o with probability q_o^2, q_o being o's
 * share among the other takers' wrong answers (the pair left out,
 * Laplace-smoothed); a copier at rate c (sim_copy_rate) makes it about
 * c q_o + (1 - c) q_o^2.  Each such item adds the log of that ratio,
 * log(c / q_o + 1 - c) for a shared o (the rarer, the more) and log(1 - c)
 * for different ones; weight is the sum, expected and sd its mean and SD
 * by chance, score the z.  The evidence lists the shared options rarest
 * first with p, their share among all the other takers of the item.  When
 * items[] is not NULL, rapid answers (see guessing) are left out: two
 * rapid guessers on position 0 are guessing, not copying.  A pair is
 * flagged when z >= sim_z and it shares at least sim_min_shared wrong
 * answers; flags come in (learner[0], learner[1]) order with learner[0] <
 * learner[1].  Each learner answers an item at most once (a later
 * response replaces an earlier one).
 */
int	learn_anomaly_similarity(const struct learn_anomaly_response *,
	    size_t n, const struct learn_anomaly_item *items, int nitems,
	    int nlearners, const struct learn_anomaly_params *,
	    struct learn_anomaly_flag *out, size_t nout);

struct learn_anomaly_event {
	const char	*key;	/* address or its hash; NUL-terminated */
	double		 t;	/* s, any epoch */
};

/*
 * Bursts of one kind of event: per key, the window of the kind's length
 * holding the most events (the earliest such); the key is flagged when
 * that is more than the kind's maximum.  Sorts ev by key, then time.
 * Flags come in key order; flag.u.burst.key points into ev's strings.
 */
int	learn_anomaly_bursts(struct learn_anomaly_event *ev, size_t n,
	    enum learn_anomaly_event_kind,
	    const struct learn_anomaly_params *, struct learn_anomaly_flag *out,
	    size_t nout);

/*
 * Guessing, per learner with at least guess_min_n answers: flagged when the
 * number correct is not above chance (z < guess_chance_z, chance being
 * sum 1/noptions) and either a guess_rapid_share of the timed answers are
 * rapid (ms < min(guess_rapid_frac x item median, guess_rapid_ms); the
 * median only from an item fit with fast_min_item_n timings) or
 * guess_pos_share of the answers sit on one position.  items[] supplies
 * noptions (and times); flags come in learner order.
 */
int	learn_anomaly_guessing(const struct learn_anomaly_response *,
	    size_t n, const struct learn_anomaly_item *items, int nitems, int nlearners,
	    const struct learn_anomaly_params *, struct learn_anomaly_flag *out,
	    size_t nout);

/* "fast_correct", "similarity", "burst", "guessing"; NULL if out of
 * range.  These are the names stored and shown. */
const char	*learn_anomaly_kind_name(enum learn_anomaly_kind);

/*
 * The flag's evidence in a sentence or a few, snprintf-style: writes at
 * most size bytes including the NUL, returns the length it needed (or -1
 * on a bad kind).  learner_names and item_names, when not NULL, map
 * indices to names (then every index in the flag must have one); else
 * indices print as "learner #3", "item #7".  Burst times print as UTC.
 */
int	learn_anomaly_format(const struct learn_anomaly_flag *,
	    const char *const *learner_names, const char *const *item_names,
	    char *buf, size_t size);

#endif
