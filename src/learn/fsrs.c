/*
 * fsrs: FSRS-6 as ts-fsrs 5.4.2 computes it (see fsrs.h).
 *
 * Each formula below mirrors a ts-fsrs method and keeps its operation order,
 * because the library rounds to 8 decimals after every formula and a
 * reordered product can land on the other side of a rounding boundary.
 * Where ts-fsrs computes all four ratings of a review and then orders the
 * intervals, only the ratings the chosen one depends on are computed; the
 * results are identical.
 */
#include <math.h>
#include <stddef.h>

#include "learn/fsrs.h"

static const double default_w[LEARN_FSRS_NW] = {
	0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001,
	1.8722, 0.1666, 0.796, 1.4835, 0.0614, 0.2629, 1.6483, 0.6014,
	1.8729, 0.5425, 0.0912, 0.0658, 0.1542
};

/* ts-fsrs CLAMP_PARAMETERS(2, enable_short_term); row 19's floor and rows
 * 17/18's ceiling are adjusted in clip_params. */
static const double clamp_w[LEARN_FSRS_NW][2] = {
	{ 0.001, 100 }, { 0.001, 100 }, { 0.001, 100 }, { 0.001, 100 },
	{ 1, 10 }, { 0.001, 4 }, { 0.001, 4 }, { 0.001, 0.75 },
	{ 0, 4.5 }, { 0, 0.8 }, { 0.001, 3.5 }, { 0.001, 5 },
	{ 0.001, 0.25 }, { 0.001, 0.9 }, { 0, 4 }, { 0, 1 },
	{ 1, 6 }, { 0, 2 }, { 0, 2 }, { 0.01, 0.8 }, { 0.1, 0.8 }
};

#define SECS_PER_DAY	86400

/* JS Math.round: nearest integer, ties toward +infinity. */
static inline double
jsround(double x)
{
	double r;

	/* floor(x) without a libm call (baseline x86-64 has no roundsd):
	 * from 2^52 up every double is an integer. */
	if (!(fabs(x) < 4503599627370496.0))
		return x;
	r = (double)(int64_t)x;
	if (r > x)
		r -= 1;
	if (x - r >= 0.5)
		r += 1;
	return r;
}

static inline double
r8(double x)
{
	return jsround(x * 1e8) / 1e8;
}

double
learn_fsrs_r8(double x)
{
	return r8(x);
}

/* JS clamp(value, min, max) = Math.min(Math.max(value, min), max). */
static inline double
clamp(double v, double lo, double hi)
{
	if (v < lo)
		v = lo;
	if (v > hi)
		v = hi;
	return v;
}

static inline int64_t
day_of(int64_t t)
{
	int64_t d = t / SECS_PER_DAY;

	if (t % SECS_PER_DAY < 0)
		d--;
	return d;
}

int64_t
learn_fsrs_calendar_days(int64_t a, int64_t b)
{
	return day_of(b) - day_of(a);
}

/* ts-fsrs clipParameters for 21 parameters. */
static void
clip_params(double *w, int n_relearning, int short_term)
{
	double lo, hi, ceiling = 2, v;
	int i;

	if (n_relearning > 1) {
		v = -(log(clamp(w[11], clamp_w[11][0], clamp_w[11][1])) +
		    log(pow(2, clamp(w[13], clamp_w[13][0], clamp_w[13][1])) -
		    1) + clamp(w[14], clamp_w[14][0], clamp_w[14][1]) * 0.3) /
		    n_relearning;
		ceiling = clamp(r8(sqrt(v > 0 ? v : 0)), 0.01, 2);
	}
	for (i = 0; i < LEARN_FSRS_NW; i++) {
		lo = clamp_w[i][0];
		hi = clamp_w[i][1];
		if (i == 17 || i == 18)
			hi = ceiling;
		if (i == 19 && !short_term)
			lo = 0;
		w[i] = clamp(w[i], lo, hi);
	}
}

static inline double
init_difficulty(const double *w, int g)
{
	return r8(w[4] - exp((g - 1) * w[5]) + 1);
}

static double
modifier(const struct learn_fsrs_params *p, double retention)
{
	return r8((pow(retention, 1 / p->decay) - 1) / p->factor);
}

int
learn_fsrs_params_prepare(struct learn_fsrs_params *p)
{
	int i;

	p->prepared = 0;
	for (i = 0; i < LEARN_FSRS_NW; i++)
		if (!isfinite(p->w[i]))
			return -1;
	if (!(p->retention > 0 && p->retention <= 1) || p->max_interval < 1 ||
	    p->max_interval > LEARN_FSRS_MAX_IVL)
		return -1;
	if (p->n_learning_steps < 0 ||
	    p->n_learning_steps > LEARN_FSRS_MAXSTEPS ||
	    p->n_relearning_steps < 0 ||
	    p->n_relearning_steps > LEARN_FSRS_MAXSTEPS)
		return -1;
	for (i = 0; i < p->n_learning_steps; i++)
		if (p->learning_steps[i] < 0)
			return -1;
	for (i = 0; i < p->n_relearning_steps; i++)
		if (p->relearning_steps[i] < 0)
			return -1;
	p->short_term = p->short_term != 0;
	clip_params(p->w, p->n_relearning_steps, p->short_term);

	p->decay = -p->w[20];
	p->factor = r8(exp(pow(p->decay, -1) * log(0.9)) - 1);
	p->im = modifier(p, p->retention);
	for (i = 1; i <= 4; i++) {
		p->d0[i] = init_difficulty(p->w, i);
		p->s0[i] = fmax(p->w[i - 1], 0.1);
		p->sinc_exp[i] = exp(p->w[17] * (i - 3 + p->w[18]));
	}
	p->d0[0] = p->s0[0] = p->sinc_exp[0] = 0;
	p->exp_w8 = exp(p->w[8]);
	p->forget_div = p->short_term ? exp(p->w[17] * p->w[18]) : 1;
	p->prepared = 1;
	return 0;
}

void
learn_fsrs_params_default(struct learn_fsrs_params *p)
{
	int i;

	for (i = 0; i < LEARN_FSRS_NW; i++)
		p->w[i] = default_w[i];
	p->retention = 0.9;
	p->max_interval = 36500;
	p->learning_steps[0] = 1;
	p->learning_steps[1] = 10;
	p->n_learning_steps = 2;
	p->relearning_steps[0] = 10;
	p->n_relearning_steps = 1;
	p->short_term = 1;
	(void)learn_fsrs_params_prepare(p);
}

void
learn_fsrs_card_init(struct learn_fsrs_card *c, int64_t now)
{
	c->state = LEARN_FSRS_NEW;
	c->stability = 0;
	c->difficulty = 0;
	c->step = 0;
	c->reps = 0;
	c->lapses = 0;
	c->elapsed_days = 0;
	c->scheduled_days = 0;
	c->last_review = 0;
	c->due = now;
}

/* forgetting_curve(t, s) */
static inline double
curve(const struct learn_fsrs_params *p, double t, double s)
{
	return r8(pow(1 + p->factor * t / s, p->decay));
}

double
learn_fsrs_retrievability(const struct learn_fsrs_params *p,
    double stability, double t)
{
	if (!p->prepared || !(stability > 0) || !isfinite(stability) ||
	    !(t >= 0))
		return -1;
	return curve(p, t, stability);
}

double
learn_fsrs_interval_modifier(const struct learn_fsrs_params *p,
    double retention)
{
	if (!p->prepared || !(retention > 0 && retention <= 1))
		return -1;
	return modifier(p, retention);
}

/* next_interval without fuzz, for a prepared interval modifier. */
static inline int64_t
interval(const struct learn_fsrs_params *p, double s, double im)
{
	double v = jsround(s * im);

	if (!(v >= 1))
		v = 1;
	if (v >= (double)p->max_interval)
		return p->max_interval;
	return (int64_t)v;
}

int64_t
learn_fsrs_next_interval(const struct learn_fsrs_params *p, double stability,
    double retention)
{
	if (!p->prepared || !(stability > 0) || !isfinite(stability) ||
	    !(retention > 0 && retention <= 1))
		return -1;
	return interval(p, stability,
	    retention == p->retention ? p->im : modifier(p, retention));
}

/* next_difficulty(d, g) */
static inline double
next_difficulty(const struct learn_fsrs_params *p, double d, int g)
{
	double delta = -p->w[6] * (g - 3);
	double next = d + r8(delta * (10 - d) / 9);

	return clamp(r8(p->w[7] * p->d0[LEARN_FSRS_EASY] +
	    (1 - p->w[7]) * next), 1, 10);
}

/*
 * What the stability formulas of one review share, computed on first use:
 * a review needs the stability after its own rating and, in Review state,
 * after the ratings its interval is ordered against.  Each value is exactly
 * what ts-fsrs computes; only work that cannot change a result is skipped
 * (R = 1 at t = 0 without pow, e^0 = 1, factors cached per rating).
 */
struct memo {
	const struct learn_fsrs_params *p;
	double	 s, d, r;
	int64_t	 t;
	int	 init;		/* new memory state: S0/D0 */
	int	 same_day;	/* t = 0 with short-term on */
	int	 have_base, have_pow;
	double	 base;		/* exp(w8) (11-D) S^-w9 (e^((1-R) w10) - 1) */
	double	 pow_s;		/* S^-w19 */
	double	 sg[5];		/* stability after rating 1..4, 0 = unknown */
};

static void
memo_init(struct memo *m, const struct learn_fsrs_params *p, double s,
    double d, int64_t t)
{
	m->p = p;
	m->s = s;
	m->d = d;
	m->t = t;
	m->init = s == 0 && d == 0;
	m->same_day = t == 0 && p->short_term;
	m->have_base = m->have_pow = 0;
	m->sg[1] = m->sg[2] = m->sg[3] = m->sg[4] = 0;
	/* forgetting_curve(t, s); pow(1, y) is exactly 1. */
	m->r = m->init ? NAN : t == 0 ? r8(1) : curve(p, (double)t, s);
}

/* next_state's stability for rating g: next_short_term_stability,
 * next_forget_stability with its lower bound, or next_recall_stability. */
static double
stab(struct memo *m, int g)
{
	const struct learn_fsrs_params *p = m->p;
	const double *w = p->w;
	double v, sf;

	if (m->sg[g] != 0)
		return m->sg[g];
	if (m->init) {
		v = p->s0[g];
	} else if (m->same_day) {
		if (!m->have_pow) {
			m->pow_s = pow(m->s, -w[19]);
			m->have_pow = 1;
		}
		v = m->pow_s * p->sinc_exp[g];
		if (g >= LEARN_FSRS_HARD && v < 1)
			v = 1;
		v = r8(clamp(m->s * v, LEARN_FSRS_S_MIN, LEARN_FSRS_S_MAX));
	} else if (g == LEARN_FSRS_AGAIN) {
		sf = r8(clamp(w[11] * pow(m->d, -w[12]) *
		    (pow(m->s + 1, w[13]) - 1) *
		    (m->r == 1 ? 1 : exp((1 - m->r) * w[14])),
		    LEARN_FSRS_S_MIN, LEARN_FSRS_S_MAX));
		v = clamp(r8(m->s / p->forget_div), LEARN_FSRS_S_MIN, sf);
	} else {
		if (!m->have_base) {
			/* e^0 - 1 = 0 makes the product 0 (S^-w9 is finite
			 * for S >= S_MIN). */
			m->base = m->r == 1 ? 0 : p->exp_w8 * (11 - m->d) *
			    pow(m->s, -w[9]) * (exp((1 - m->r) * w[10]) - 1);
			m->have_base = 1;
		}
		v = r8(clamp(m->s * (1 + m->base *
		    (g == LEARN_FSRS_HARD ? w[15] : 1) *
		    (g == LEARN_FSRS_EASY ? w[16] : 1)),
		    LEARN_FSRS_S_MIN, LEARN_FSRS_S_MAX));
	}
	return m->sg[g] = v;
}

static inline double
diff(const struct memo *m, int g)
{
	return m->init ? clamp(m->p->d0[g], 1, 10) :
	    next_difficulty(m->p, m->d, g);
}

static inline int
valid_rating(int g)
{
	return g >= LEARN_FSRS_AGAIN && g <= LEARN_FSRS_EASY;
}

static inline int
valid_memory(double s, double d)
{
	return isfinite(s) && isfinite(d) && d >= 1 && d <= 10 &&
	    s >= LEARN_FSRS_S_MIN && s <= LEARN_FSRS_S_MAX;
}

int
learn_fsrs_next_state(const struct learn_fsrs_params *p,
    const struct learn_fsrs_memory *in, int64_t t, int g,
    struct learn_fsrs_memory *out)
{
	struct memo m;
	double s = in ? in->stability : 0, d = in ? in->difficulty : 0;

	if (!p->prepared || t < 0 || !valid_rating(g))
		return -1;
	if (!(s == 0 && d == 0) && !valid_memory(s, d))
		return -1;
	memo_init(&m, p, s, d, t);
	out->stability = stab(&m, g);
	out->difficulty = diff(&m, g);
	return 0;
}

/*
 * ts-fsrs BasicScheduler.applyLearningSteps with BasicLearningStepsStrategy:
 * puts c (whose S is already updated) on its next (re)learning step, or
 * graduates it to Review.  cur_state and cur_step are the card's before the
 * review; to_state is the state of a card that stays on a step.
 */
static void
apply_steps(const struct learn_fsrs_params *p, struct learn_fsrs_card *c,
    int cur_state, int cur_step, int g, int to_state, int64_t now)
{
	const int *steps;
	int n, next_step = 0;
	double minutes = 0;
	int64_t days;

	if (cur_state == LEARN_FSRS_RELEARNING ||
	    cur_state == LEARN_FSRS_REVIEW) {
		steps = p->relearning_steps;
		n = p->n_relearning_steps;
	} else {
		steps = p->learning_steps;
		n = p->n_learning_steps;
	}
	if (n > 0 && cur_step < n) {
		if (cur_state == LEARN_FSRS_REVIEW) {
			if (g == LEARN_FSRS_AGAIN)
				minutes = steps[cur_step];
		} else if (g == LEARN_FSRS_AGAIN) {
			minutes = steps[0];
		} else if (g == LEARN_FSRS_HARD) {
			minutes = n == 1 ? jsround(steps[0] * 1.5) :
			    jsround(((double)steps[0] + steps[1]) / 2);
			next_step = cur_step;
		} else if (g == LEARN_FSRS_GOOD && cur_step + 1 < n &&
		    steps[cur_step + 1] != 0) {
			minutes = steps[cur_step + 1];
			next_step = cur_step + 1;
		}
	}
	if (minutes > 0 && minutes < 1440) {
		c->step = next_step;
		c->scheduled_days = 0;
		c->state = to_state;
		c->due = now + (int64_t)minutes * 60;
		return;
	}
	c->state = LEARN_FSRS_REVIEW;
	if (minutes >= 1440) {
		c->step = next_step;
		c->due = now + (int64_t)minutes * 60;
		c->scheduled_days = (int64_t)floor(minutes / 1440);
	} else {
		c->step = 0;
		days = interval(p, c->stability, p->im);
		c->scheduled_days = days;
		c->due = now + days * SECS_PER_DAY;
	}
}

static inline void
schedule_days(struct learn_fsrs_card *c, int64_t days, int64_t now)
{
	c->state = LEARN_FSRS_REVIEW;
	c->step = 0;
	c->scheduled_days = days;
	c->due = now + days * SECS_PER_DAY;
}

static inline int64_t
max64(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

static inline int64_t
min64(int64_t a, int64_t b)
{
	return a < b ? a : b;
}

int
learn_fsrs_review(const struct learn_fsrs_params *p,
    struct learn_fsrs_card *card, int64_t now, int g,
    struct learn_fsrs_info *info)
{
	struct memo m;
	double s = card->stability, d = card->difficulty;
	int64_t t = 0, ivl[5];
	int i, state = card->state, step = card->step;

	if (!p->prepared || !valid_rating(g) || now < 0 ||
	    now > LEARN_FSRS_MAX_TIME)
		return -1;
	if (card->state < LEARN_FSRS_NEW ||
	    card->state > LEARN_FSRS_RELEARNING ||
	    card->step < 0 || card->reps < 0 || card->lapses < 0 ||
	    card->reps == INT32_MAX || card->lapses == INT32_MAX)
		return -1;
	if (card->state != LEARN_FSRS_NEW) {
		if (now < card->last_review || card->last_review < 0)
			return -1;
		t = learn_fsrs_calendar_days(card->last_review, now);
	}
	if (!(s == 0 && d == 0) && !valid_memory(s, d))
		return -1;

	/* Nothing fails from here on: the card is updated in place (its old
	 * state and step are in locals). */
	memo_init(&m, p, s, d, t);
	card->last_review = now;
	card->elapsed_days = t;
	card->reps++;
	card->stability = stab(&m, g);
	card->difficulty = diff(&m, g);

	if (p->short_term) {
		/* BasicScheduler */
		if (state != LEARN_FSRS_REVIEW) {
			apply_steps(p, card, state, step, g,
			    state == LEARN_FSRS_NEW ?
			    LEARN_FSRS_LEARNING : state, now);
		} else if (g == LEARN_FSRS_AGAIN) {
			apply_steps(p, card, state, step, g,
			    LEARN_FSRS_RELEARNING, now);
			card->lapses++;
		} else {
			ivl[2] = interval(p, stab(&m, 2), p->im);
			ivl[3] = interval(p, stab(&m, 3), p->im);
			ivl[2] = min64(ivl[2], ivl[3]);
			ivl[3] = max64(ivl[3], ivl[2] + 1);
			if (g == LEARN_FSRS_EASY)
				ivl[4] = max64(interval(p, stab(&m, 4), p->im),
				    ivl[3] + 1);
			schedule_days(card, ivl[g], now);
		}
	} else {
		/* LongTermScheduler: the four intervals ordered.  Again's
		 * interval only matters to the others if it reaches Hard's
		 * (Hard then gets one day more).  It is at least 1, and at
		 * most the interval of max(R8(S / forget_div), S_MIN) (Again's
		 * stability is that, capped by the forget stability), so the
		 * forget stability is computed only when those bounds do not
		 * settle it. */
		ivl[2] = interval(p, stab(&m, 2), p->im);
		if (g == LEARN_FSRS_AGAIN || m.init || (ivl[2] > 1 &&
		    interval(p, fmax(r8(s / p->forget_div), LEARN_FSRS_S_MIN),
		    p->im) >= ivl[2])) {
			ivl[1] = min64(interval(p, stab(&m, 1), p->im), ivl[2]);
			ivl[2] = max64(ivl[2], ivl[1] + 1);
		} else if (ivl[2] == 1)
			ivl[2] = 2;
		for (i = 3; i <= g; i++)
			ivl[i] = max64(interval(p, stab(&m, i), p->im),
			    ivl[i - 1] + 1);
		schedule_days(card, ivl[g], now);
		if (g == LEARN_FSRS_AGAIN && state != LEARN_FSRS_NEW)
			card->lapses++;
	}

	if (info != NULL) {
		info->state_before = state;
		info->elapsed_days = t;
		info->r = m.r;
	}
	return 0;
}
