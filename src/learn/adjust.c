/*
 * adjust: the three weekly rules and their sentences; see adjust.h.
 */
#include <math.h>

#include "learn/adjust.h"

void
learn_adjust_params_default(struct learn_adjust_params *p)
{
	p->revise_below = 0.6;
	p->max_revision = 3;
	p->lighten_below = 0.5;
	p->lighten_factor = 0.75;
	p->min_hours = 1.0;
	p->excellent_score = 0.85;
	p->excellent_completion = 0.8;
}

static void
put(struct learn_adjust_change *out, size_t cap, long *n,
    const struct learn_adjust_change *c)
{
	if ((size_t)*n < cap)
		out[*n] = *c;
	(*n)++;
}

static void
blank(struct learn_adjust_change *c, int kind, const struct
    learn_adjust_week *w, double completion)
{
	c->kind = kind;
	c->skill = 0;
	c->score = w->nquizzes > 0 ? w->avg_score : NAN;
	c->completion = completion;
	c->threshold = NAN;
	c->hours_from = c->hours_to = w->hours_per_week;
	c->steps_from = c->steps_to = w->planned;
	c->level_from = c->level_to = w->difficulty;
}

/* (a.score, a.skill) > (b.score, b.skill) */
static int
after(const struct learn_adjust_skill *a, const struct learn_adjust_skill *b)
{
	if (a->score != b->score)
		return a->score > b->score;
	return a->skill > b->skill;
}

long
learn_adjust_weekly(const struct learn_adjust_params *p,
    const struct learn_adjust_week *w, struct learn_adjust_change *out,
    size_t cap)
{
	struct learn_adjust_change c;
	double completion = NAN, h;
	long n = 0, nrev = 0;
	size_t j, best, prev;

	if (w->nquizzes < 0 || w->planned < 0 || w->completed < 0 ||
	    w->completed > w->planned || (w->nskills > 0 && w->skills == NULL))
		return -1;
	if (w->nquizzes > 0 && !isfinite(w->avg_score))
		return -1;
	if (w->planned > 0)
		completion = (double)w->completed / (double)w->planned;

	/* Revision: the weakest skills below the threshold, or one general
	 * change.  Each pass takes the least (score, skill) above the one
	 * taken before, so the input stays untouched (max_revision is
	 * small). */
	if (w->nquizzes > 0 && w->avg_score < p->revise_below) {
		prev = w->nskills;
		while (nrev < p->max_revision) {
			best = w->nskills;
			for (j = 0; j < w->nskills; j++) {
				if (!(w->skills[j].score < p->revise_below))
					continue;
				if (prev != w->nskills &&
				    !after(&w->skills[j], &w->skills[prev]))
					continue;
				if (best == w->nskills ||
				    after(&w->skills[best], &w->skills[j]))
					best = j;
			}
			if (best == w->nskills)
				break;
			prev = best;
			blank(&c, LEARN_ADJUST_ADD_REVISION, w, completion);
			c.skill = w->skills[best].skill;
			c.score = w->skills[best].score;
			c.threshold = p->revise_below;
			put(out, cap, &n, &c);
			nrev++;
		}
		if (nrev == 0) {
			blank(&c, LEARN_ADJUST_ADD_REVISION, w, completion);
			c.threshold = p->revise_below;
			put(out, cap, &n, &c);
		}
	}

	if (w->planned > 0 && completion < p->lighten_below) {
		blank(&c, LEARN_ADJUST_REDUCE_LOAD, w, completion);
		c.threshold = p->lighten_below;
		h = floor(w->hours_per_week * p->lighten_factor * 2.0) / 2.0;
		if (h < p->min_hours)
			h = p->min_hours;
		if (h > w->hours_per_week)
			h = w->hours_per_week;
		c.hours_to = h;
		c.steps_to = (long)ceil((double)w->planned *
		    p->lighten_factor);
		if (c.steps_to < 1)
			c.steps_to = 1;
		if (c.steps_to > w->planned)
			c.steps_to = w->planned;
		put(out, cap, &n, &c);
	}

	if (w->nquizzes > 0 && w->planned > 0 &&
	    w->avg_score >= p->excellent_score &&
	    completion >= p->excellent_completion) {
		blank(&c, LEARN_ADJUST_ADD_ADVANCED, w, completion);
		c.threshold = p->excellent_score;
		c.level_to = w->difficulty < 3 ? w->difficulty + 1 :
		    w->difficulty;
		put(out, cap, &n, &c);
	}

	if (n == 0) {
		blank(&c, LEARN_ADJUST_KEEP, w, completion);
		put(out, cap, &n, &c);
	}
	return n;
}

static const char *const level_name[4] = {
	"?", "beginner", "intermediate", "advanced"
};

int
learn_adjust_format(const struct learn_adjust_change *c,
    const struct learn_names *names, char *buf, size_t size)
{
	struct learn_text t;

	learn_text_init(&t, buf, size);
	switch (c->kind) {
	case LEARN_ADJUST_ADD_REVISION:
		if (c->skill != 0) {
			learn_text_printf(&t, "average ");
			learn_text_pct(&t, c->score);
			learn_text_printf(&t, " on ");
			learn_text_name(&t, names, LEARN_NAME_SKILL, c->skill);
			learn_text_printf(&t, " this week (below ");
			learn_text_pct(&t, c->threshold);
			learn_text_printf(&t, ") \xe2\x80\x94 adding revision "
			    "of ");
			learn_text_name(&t, names, LEARN_NAME_SKILL, c->skill);
		} else {
			learn_text_printf(&t, "average ");
			learn_text_pct(&t, c->score);
			learn_text_printf(&t, " this week (below ");
			learn_text_pct(&t, c->threshold);
			learn_text_printf(&t, ") \xe2\x80\x94 adding revision "
			    "of this week's topics");
		}
		break;
	case LEARN_ADJUST_REDUCE_LOAD:
		learn_text_printf(&t, "%ld of %ld planned steps done (",
		    (long)lround(c->completion * (double)c->steps_from),
		    c->steps_from);
		learn_text_pct(&t, c->completion);
		learn_text_printf(&t, ") \xe2\x80\x94 lightening your week "
		    "from ");
		learn_text_num(&t, c->hours_from);
		learn_text_printf(&t, " h to ");
		learn_text_num(&t, c->hours_to);
		learn_text_printf(&t, " h and %ld to %ld steps",
		    c->steps_from, c->steps_to);
		break;
	case LEARN_ADJUST_ADD_ADVANCED:
		learn_text_pct(&t, c->score);
		learn_text_printf(&t, " average and ");
		learn_text_pct(&t, c->completion);
		learn_text_printf(&t, " of planned steps done \xe2\x80\x94 "
		    "adding advanced content");
		if (c->level_to != c->level_from && c->level_to >= 1 &&
		    c->level_to <= 3)
			learn_text_printf(&t, " (%s)", level_name[c->level_to]);
		break;
	case LEARN_ADJUST_KEEP:
		learn_text_printf(&t, "on track (");
		if (isfinite(c->score)) {
			learn_text_printf(&t, "average ");
			learn_text_pct(&t, c->score);
		} else
			learn_text_printf(&t, "no quiz");
		learn_text_printf(&t, ", ");
		if (isfinite(c->completion)) {
			learn_text_pct(&t, c->completion);
			learn_text_printf(&t, " of planned steps done");
		} else
			learn_text_printf(&t, "nothing planned");
		learn_text_printf(&t, ") \xe2\x80\x94 no change");
		break;
	default:
		return -1;
	}
	return learn_text_len(&t);
}
