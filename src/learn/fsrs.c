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
	double r = floor(x);

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
	if (!(p->retention > 0 && p->retention <= 1) || p->max_interval < 1)
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
	p->d0_easy = init_difficulty(p->w, LEARN_FSRS_EASY);
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
	if (v > (double)p->max_interval)
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

	return clamp(r8(p->w[7] * p->d0_easy + (1 - p->w[7]) * next), 1, 10);
}

/*
 * Stability after a review with rating g, given the card's S, D, elapsed
 * days t and R at t.  recall_base is the part of next_recall_stability that
 * does not depend on the rating, exp(w8) (11 - D) S^-w9 (e^((1-R) w10) - 1),
 * computed by the caller (it is multiplied left to right in ts-fsrs, so the
 * rating factors come last and the value is unchanged).
 */
static double
next_stability(const struct learn_fsrs_params *p, double s, double d,
    int64_t t, double r, int g, double recall_base)
{
	const double *w = p->w;
	double sinc, sf, hp, eb;

	if (t == 0 && p->short_term) {
		sinc = pow(s, -w[19]) * exp(w[17] * (g - 3 + w[18]));
		if (g >= LEARN_FSRS_HARD && sinc < 1)
			sinc = 1;
		return r8(clamp(s * sinc, LEARN_FSRS_S_MIN, LEARN_FSRS_S_MAX));
	}
	if (g == LEARN_FSRS_AGAIN) {
		sf = r8(clamp(w[11] * pow(d, -w[12]) *
		    (pow(s + 1, w[13]) - 1) * exp((1 - r) * w[14]),
		    LEARN_FSRS_S_MIN, LEARN_FSRS_S_MAX));
		return clamp(r8(s / p->forget_div), LEARN_FSRS_S_MIN, sf);
	}
	hp = g == LEARN_FSRS_HARD ? w[15] : 1;
	eb = g == LEARN_FSRS_EASY ? w[16] : 1;
	return r8(clamp(s * (1 + recall_base * hp * eb), LEARN_FSRS_S_MIN,
	    LEARN_FSRS_S_MAX));
}

static inline double
recall_base(const struct learn_fsrs_params *p, double s, double d, double r)
{
	return p->exp_w8 * (11 - d) * pow(s, -p->w[9]) *
	    (exp((1 - r) * p->w[10]) - 1);
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
	double s = in ? in->stability : 0, d = in ? in->difficulty : 0, r;

	if (!p->prepared || t < 0 || !valid_rating(g))
		return -1;
	if (s == 0 && d == 0) {
		out->difficulty = clamp(init_difficulty(p->w, g), 1, 10);
		out->stability = fmax(p->w[g - 1], 0.1);
		return 0;
	}
	if (!valid_memory(s, d))
		return -1;
	r = curve(p, (double)t, s);
	out->stability = next_stability(p, s, d, t, r, g,
	    g > LEARN_FSRS_AGAIN ? recall_base(p, s, d, r) : 0);
	out->difficulty = next_difficulty(p, d, g);
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
			    jsround((steps[0] + steps[1]) / 2.0);
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
	struct learn_fsrs_card c = *card;
	double s = card->stability, d = card->difficulty, r = NAN, base = 0;
	double sg[5] = { 0 };	/* stability after each rating, 1..4; 0 until
				 * computed (a result is never 0) */
	int64_t t = 0, ivl[5];
	int init, i;

	if (!p->prepared || !valid_rating(g) || now < 0)
		return -1;
	if (card->state < LEARN_FSRS_NEW || card->state > LEARN_FSRS_RELEARNING ||
	    card->step < 0 || card->reps < 0 || card->lapses < 0 ||
	    card->reps == INT32_MAX || card->lapses == INT32_MAX)
		return -1;
	if (card->state != LEARN_FSRS_NEW) {
		if (now < card->last_review || card->last_review < 0)
			return -1;
		t = learn_fsrs_calendar_days(card->last_review, now);
	}
	init = s == 0 && d == 0;
	if (!init && !valid_memory(s, d))
		return -1;

	c.last_review = now;
	c.elapsed_days = t;
	c.reps++;
	if (!init) {
		r = curve(p, (double)t, s);
		if (!(t == 0 && p->short_term))
			base = recall_base(p, s, d, r);
	}

	/* Stability after rating i (only the ratings needed are filled). */
#define STAB(i) (sg[i] != 0 ? sg[i] : (sg[i] = init ?			\
	    fmax(p->w[(i) - 1], 0.1) :					\
	    next_stability(p, s, d, t, r, (i), base)))

	c.stability = STAB(g);
	c.difficulty = init ? clamp(init_difficulty(p->w, g), 1, 10) :
	    next_difficulty(p, d, g);

	if (p->short_term) {
		if (card->state != LEARN_FSRS_REVIEW) {
			apply_steps(p, &c, card->state, card->step, g,
			    card->state == LEARN_FSRS_NEW ?
			    LEARN_FSRS_LEARNING : card->state, now);
		} else if (g == LEARN_FSRS_AGAIN) {
			apply_steps(p, &c, card->state, card->step, g,
			    LEARN_FSRS_RELEARNING, now);
			c.lapses++;
		} else {
			ivl[2] = interval(p, STAB(2), p->im);
			ivl[3] = interval(p, STAB(3), p->im);
			ivl[2] = min64(ivl[2], ivl[3]);
			ivl[3] = max64(ivl[3], ivl[2] + 1);
			if (g == LEARN_FSRS_EASY)
				ivl[4] = max64(interval(p, STAB(4), p->im),
				    ivl[3] + 1);
			schedule_days(&c, ivl[g], now);
		}
	} else {
		for (i = 1; i <= 4; i++)
			ivl[i] = interval(p, STAB(i), p->im);
		ivl[1] = min64(ivl[1], ivl[2]);
		ivl[2] = max64(ivl[2], ivl[1] + 1);
		ivl[3] = max64(ivl[3], ivl[2] + 1);
		ivl[4] = max64(ivl[4], ivl[3] + 1);
		schedule_days(&c, ivl[g], now);
		if (g == LEARN_FSRS_AGAIN && card->state != LEARN_FSRS_NEW)
			c.lapses++;
	}
#undef STAB

	if (info != NULL) {
		info->state_before = card->state;
		info->elapsed_days = t;
		info->r = init ? NAN : r;
	}
	*card = c;
	return 0;
}
