/*
 * recommend: the rule-based candidates, struggle detection on the latest
 * answer, and the Thompson chooser over kinds; see recommend.h.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "learn/bandit.h"
#include "learn/recommend.h"

#define DAY	INT64_C(86400)

void
learn_rec_params_default(struct learn_rec_params *p)
{
	p->mastery_below = 0.6;
	p->score_below = 0.6;
	p->score_window = 5;
	p->level_window = 5;
	p->level_up = 0.9;
	p->level_down = 0.5;
	p->wrong_run = 3;
	p->slow_factor = 2.0;
	p->slow_run = 3;
	p->max_attempts = 3;
	p->stall_days = 7;
	p->inactive_days = 7;
	p->explore_share = 0.1;
	p->min_rewards = 30;
}

static void
rec_clear(struct learn_rec *r, int kind, int reason)
{
	memset(r, 0, sizeof(*r));
	r->kind = kind;
	r->reason = reason;
	r->x = r->y = NAN;
}

static int
in_list(const int64_t *v, size_t n, int64_t id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i] == id)
			return 1;
	return 0;
}

/* Done: in done[] or a done step. */
static int
is_done(const struct learn_rec_step *s, size_t n, const int64_t *done,
    size_t ndone, int64_t id)
{
	size_t i;

	if (in_list(done, ndone, id))
		return 1;
	for (i = 0; i < n; i++)
		if (s[i].lesson == id && s[i].done)
			return 1;
	return 0;
}

int
learn_rec_next_lesson(const struct learn_rec_step *s, size_t n,
    const int64_t *done, size_t ndone, struct learn_rec *out)
{
	size_t i, k;
	int64_t blocked = 0, blocker = 0;

	for (i = 0; i < n; i++) {
		if (s[i].done || in_list(done, ndone, s[i].lesson))
			continue;
		for (k = 0; k < s[i].nprereq; k++)
			if (!is_done(s, n, done, ndone, s[i].prereq[k]))
				break;
		if (k < s[i].nprereq) {
			if (blocked == 0) {
				blocked = s[i].lesson;
				blocker = s[i].prereq[k];
			}
			continue;
		}
		rec_clear(out, LEARN_REC_NEXT_LESSON, blocked == 0 ?
		    LEARN_REC_R_NEXT_IN_SEQUENCE :
		    LEARN_REC_R_NEXT_SKIPS_BLOCKED);
		out->item = s[i].lesson;
		out->ref = blocked;
		out->ref2 = blocker;
		out->n = (long)i + 1;
		out->total = (long)n;
		out->score = 0.5;
		return 1;
	}
	return 0;
}

/* Mean of the last w scores of skill (by at, then input order). */
static double
recent_mean(const struct learn_rec_score *s, size_t n, int64_t skill, int w,
    long *count)
{
	int64_t bound_at = INT64_MAX;
	size_t bound_i = n, i, best;
	double sum = 0;
	long got = 0;

	/* Walk back from the latest: each pass takes the latest score
	 * strictly before the previous pick.  O(n w), w is small. */
	while (got < w) {
		best = n;
		for (i = 0; i < n; i++) {
			if (s[i].skill != skill || !isfinite(s[i].score))
				continue;
			if (s[i].at > bound_at || (s[i].at == bound_at &&
			    i >= bound_i))
				continue;
			if (best == n || s[i].at > s[best].at ||
			    (s[i].at == s[best].at && i > best))
				best = i;
		}
		if (best == n)
			break;
		sum += s[best].score;
		got++;
		bound_at = s[best].at;
		bound_i = best;
	}
	*count = got;
	return got > 0 ? sum / (double)got : NAN;
}

static int
rec_weaker(const struct learn_rec *a, const struct learn_rec *b)
{
	if (a->score != b->score)
		return a->score > b->score;
	return a->item < b->item;
}

/* Inserts r into the sorted out[0..min(*n, cap)), keeping cap. */
static void
rec_insert(struct learn_rec *out, size_t cap, size_t *n,
    const struct learn_rec *r)
{
	size_t len = *n < cap ? *n : cap, i;

	(*n)++;
	if (cap == 0)
		return;
	i = len;
	if (len == cap) {
		if (!rec_weaker(r, &out[cap - 1]))
			return;
		i = cap - 1;
	}
	while (i > 0 && rec_weaker(r, &out[i - 1])) {
		out[i] = out[i - 1];
		i--;
	}
	out[i] = *r;
}

static int
seen_skill(const struct learn_rec_mastery *m, size_t upto, int64_t skill)
{
	size_t i;

	for (i = 0; i < upto; i++)
		if (m[i].skill == skill)
			return 1;
	return 0;
}

static int
seen_score_skill(const struct learn_rec_score *s, size_t upto, int64_t skill)
{
	size_t i;

	for (i = 0; i < upto; i++)
		if (s[i].skill == skill)
			return 1;
	return 0;
}

static void
revise_one(const struct learn_rec_params *p, int64_t skill, double pk,
    const struct learn_rec_score *s, size_t ns, struct learn_rec *out,
    size_t cap, size_t *n)
{
	struct learn_rec r;
	double mean, dm = -1, ds = -1;
	long cnt = 0;

	mean = recent_mean(s, ns, skill, p->score_window, &cnt);
	if (isfinite(pk) && pk < p->mastery_below)
		dm = (p->mastery_below - pk) / p->mastery_below;
	if (cnt > 0 && mean < p->score_below)
		ds = (p->score_below - mean) / p->score_below;
	if (dm < 0 && ds < 0)
		return;
	if (dm >= ds) {
		rec_clear(&r, LEARN_REC_REVISE_SKILL, LEARN_REC_R_LOW_MASTERY);
		r.x = pk;
		r.y = p->mastery_below;
		r.score = 0.5 + 0.4 * dm;
	} else {
		rec_clear(&r, LEARN_REC_REVISE_SKILL, LEARN_REC_R_LOW_SCORE);
		r.x = mean;
		r.y = p->score_below;
		r.n = cnt;
		r.score = 0.5 + 0.4 * ds;
	}
	r.item = skill;
	rec_insert(out, cap, n, &r);
}

size_t
learn_rec_revision(const struct learn_rec_params *p,
    const struct learn_rec_mastery *m, size_t nm,
    const struct learn_rec_score *s, size_t ns, struct learn_rec *out,
    size_t cap)
{
	size_t i, k, n = 0;
	double pk;

	for (i = 0; i < nm; i++) {
		if (seen_skill(m, i, m[i].skill))
			continue;
		revise_one(p, m[i].skill, m[i].p_known, s, ns, out, cap, &n);
	}
	for (i = 0; i < ns; i++) {
		if (seen_score_skill(s, i, s[i].skill))
			continue;
		for (k = 0; k < nm; k++)
			if (m[k].skill == s[i].skill)
				break;
		if (k < nm)
			continue;	/* done above */
		pk = NAN;
		revise_one(p, s[i].skill, pk, s, ns, out, cap, &n);
	}
	return n;
}

int
learn_rec_review(const struct learn_fsrs_params *fp,
    const struct learn_rec_card *c, size_t n, int64_t now, double retention,
    struct learn_rec *out)
{
	size_t i;
	long count = 0;
	double r, low = 2, t;
	int64_t item = 0;

	if (fp == NULL || !fp->prepared || !(retention > 0 && retention < 1))
		return 0;
	for (i = 0; i < n; i++) {
		if (!(c[i].stability > 0) || !isfinite(c[i].stability))
			continue;
		t = (double)(now - c[i].last_review) / (double)DAY;
		if (t < 0)
			t = 0;
		r = learn_fsrs_retrievability(fp, c[i].stability, t);
		if (r < 0 || !(r < retention))
			continue;
		count++;
		if (r < low || (r == low && c[i].item < item)) {
			low = r;
			item = c[i].item;
		}
	}
	if (count == 0)
		return 0;
	rec_clear(out, LEARN_REC_REVIEW_DUE, LEARN_REC_R_REVIEW_DUE);
	out->n = count;
	out->item = item;
	out->x = low;
	out->y = retention;
	out->score = 0.5 + 0.4 * (1 - low);
	return 1;
}

int
learn_rec_difficulty(const struct learn_rec_params *p, const double *sc,
    size_t n, int level, struct learn_rec *out)
{
	size_t w = p->level_window > 0 ? (size_t)p->level_window : 1, i;
	double sum = 0, mean;

	rec_clear(out, LEARN_REC_DIFFICULTY, LEARN_REC_R_LEVEL_TOO_FEW);
	out->level = out->to = level;
	out->n = (long)(n < w ? n : w);
	if (n < w)
		return 0;
	for (i = n - w; i < n; i++)
		sum += sc[i];
	mean = sum / (double)w;
	out->x = mean;
	if (mean >= p->level_up) {
		out->y = p->level_up;
		if (level >= 3) {
			out->reason = LEARN_REC_R_LEVEL_AT_TOP;
			return 0;
		}
		out->reason = LEARN_REC_R_LEVEL_UP;
		out->to = level + 1;
	} else if (mean <= p->level_down) {
		out->y = p->level_down;
		if (level <= 1) {
			out->reason = LEARN_REC_R_LEVEL_AT_BOTTOM;
			return 0;
		}
		out->reason = LEARN_REC_R_LEVEL_DOWN;
		out->to = level - 1;
	} else {
		out->reason = LEARN_REC_R_LEVEL_KEEP;
		return 0;
	}
	out->score = 0.6;
	return 1;
}

static int
cmp_rec(const void *a, const void *b)
{
	const struct learn_rec *x = a, *y = b;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->item != y->item)
		return x->item < y->item ? -1 : 1;
	return x->reason < y->reason ? -1 : x->reason > y->reason;
}

void
learn_rec_rank(struct learn_rec *r, size_t n)
{
	size_t i, j;
	struct learn_rec t;

	/* Insertion sort: stable, and lists are short. */
	for (i = 1; i < n; i++) {
		t = r[i];
		for (j = i; j > 0 && cmp_rec(&t, &r[j - 1]) < 0; j--)
			r[j] = r[j - 1];
		r[j] = t;
	}
}

/* --- struggle ----------------------------------------------------------- */

static int
is_slow(const struct learn_rec_params *p, const struct learn_answer *a)
{
	return a->response_ms > 0 && a->item_mean_ms > 0 &&
	    (double)a->response_ms > p->slow_factor * (double)a->item_mean_ms;
}

int
learn_struggle_answers(const struct learn_rec_params *p,
    const struct learn_answer *a, size_t n, struct learn_struggle *ev)
{
	const struct learn_answer *z;
	size_t i;
	long wrong = 0, slow = 0;
	int nev = 0, wrong_open = 1, slow_open = 1, first = 1;
	double ratio = 0;
	int64_t wsince = 0, ssince = 0;

	if (n == 0)
		return 0;
	z = &a[n - 1];
	/* Runs on z's skill, counted back from z. */
	for (i = n; i-- > 0;) {
		if (a[i].skill != z->skill)
			continue;
		if (wrong_open) {
			if (!a[i].correct) {
				wrong++;
				wsince = a[i].at;
			} else
				wrong_open = 0;
		}
		if (slow_open) {
			if (is_slow(p, &a[i])) {
				slow++;
				ssince = a[i].at;
				ratio += (double)a[i].response_ms /
				    (double)a[i].item_mean_ms;
			} else
				slow_open = 0;
		}
		if (!wrong_open && !slow_open)
			break;
	}
	if (p->wrong_run > 0 && wrong == p->wrong_run) {
		memset(&ev[nev], 0, sizeof(ev[nev]));
		ev[nev].rule = LEARN_STRUGGLE_WRONG_RUN;
		ev[nev].skill = z->skill;
		ev[nev].item = z->item;
		ev[nev].n = wrong;
		ev[nev].since = wsince;
		nev++;
	}
	if (p->slow_run > 0 && slow == p->slow_run) {
		/* ratio summed every slow answer of the open run, which is
		 * exactly slow_run long here. */
		memset(&ev[nev], 0, sizeof(ev[nev]));
		ev[nev].rule = LEARN_STRUGGLE_SLOW_RUN;
		ev[nev].skill = z->skill;
		ev[nev].item = z->item;
		ev[nev].n = slow;
		ev[nev].x = ratio / (double)slow;
		ev[nev].since = ssince;
		nev++;
	}
	if (z->quiz != 0 && p->max_attempts > 0 &&
	    z->attempt_no == p->max_attempts && !z->quiz_passed) {
		for (i = 0; i + 1 < n; i++)
			if (a[i].quiz == z->quiz && a[i].attempt == z->attempt)
				first = 0;
		if (first) {
			memset(&ev[nev], 0, sizeof(ev[nev]));
			ev[nev].rule = LEARN_STRUGGLE_ATTEMPTS;
			ev[nev].skill = z->skill;
			ev[nev].item = z->item;
			ev[nev].quiz = z->quiz;
			ev[nev].n = z->attempt_no;
			ev[nev].since = z->at;
			nev++;
		}
	}
	return nev;
}

int
learn_struggle_possible(const struct learn_rec_params *p,
    const struct learn_answer *z, int first_in_attempt)
{
	if (p->wrong_run > 0 && !z->correct)
		return 1;
	if (p->slow_run > 0 && is_slow(p, z))
		return 1;
	return p->max_attempts > 0 && z->quiz != 0 && first_in_attempt;
}

/* Does mark lie in (prev, now]? */
static int
crossed(int64_t mark, int64_t prev, int64_t now)
{
	return mark > prev && mark <= now;
}

size_t
learn_struggle_idle(const struct learn_rec_params *p,
    const struct learn_lesson_touch *t, size_t n, int64_t last_activity,
    int64_t prev, int64_t now, struct learn_struggle *ev, size_t cap)
{
	size_t i, k = 0;
	struct learn_struggle e;

	for (i = 0; i < n; i++) {
		if (!crossed(t[i].last + (int64_t)p->stall_days * DAY, prev,
		    now))
			continue;
		memset(&e, 0, sizeof(e));
		e.rule = LEARN_STRUGGLE_STALLED;
		e.item = t[i].lesson;
		e.n = p->stall_days;
		e.since = t[i].last;
		if (k < cap)
			ev[k] = e;
		k++;
	}
	if (last_activity > 0 && crossed(last_activity +
	    (int64_t)p->inactive_days * DAY, prev, now)) {
		memset(&e, 0, sizeof(e));
		e.rule = LEARN_STRUGGLE_INACTIVE;
		e.n = p->inactive_days;
		e.since = last_activity;
		if (k < cap)
			ev[k] = e;
		k++;
	}
	return k;
}

/* --- bandit ------------------------------------------------------------- */

void
learn_rec_bandit_init(struct learn_rec_bandit *b)
{
	memset(b, 0, sizeof(*b));
}

double
learn_rec_reward(int accepted, int succeeded)
{
	if (!accepted)
		return 0;
	return succeeded ? 1.0 : 0.5;
}

int
learn_rec_bandit_update(struct learn_rec_bandit *b, int kind, double r)
{
	if (kind < 0 || kind >= LEARN_REC__MAX || !(r >= 0 && r <= 1))
		return -1;
	b->a[kind] += r;
	b->b[kind] += 1 - r;
	return 0;
}

long
learn_rec_choose(const struct learn_rec_params *p, struct learn_rec_bandit *b,
    const struct learn_rec *c, size_t n, struct learn_rng *rng, int *how)
{
	double pa[LEARN_REC__MAX], pb[LEARN_REC__MAX], total = 0;
	int kinds[LEARN_REC__MAX], nk = 0, k, arm, h;
	struct learn_thompson t;
	size_t i, pick = 0;

	if (n == 0)
		return -1;
	for (k = 0; k < LEARN_REC__MAX; k++)
		total += b->a[k] + b->b[k];
	b->decisions++;
	if (total < p->min_rewards) {
		h = LEARN_REC_CHOSE_RULE;
		goto out;
	}
	/* One arm per kind present, in order of first appearance, each
	 * with its Beta(1 + a, 1 + b) posterior. */
	for (i = 0; i < n; i++) {
		for (k = 0; k < nk; k++)
			if (kinds[k] == c[i].kind)
				break;
		if (k < nk || c[i].kind < 0 || c[i].kind >= LEARN_REC__MAX)
			continue;
		kinds[nk] = c[i].kind;
		pa[nk] = 1 + b->a[c[i].kind];
		pb[nk] = 1 + b->b[c[i].kind];
		nk++;
	}
	if (nk == 0) {
		h = LEARN_REC_CHOSE_RULE;
		goto out;
	}
	t.narms = nk;
	t.a = pa;
	t.b = pb;
	arm = learn_thompson_choose(&t, rng);
	for (i = 0; i < n; i++)
		if (c[i].kind == kinds[arm])
			break;
	if (i == 0)
		h = LEARN_REC_CHOSE_AGREE;
	else if ((double)(b->deviations + 1) <=
	    p->explore_share * (double)b->decisions) {
		h = LEARN_REC_CHOSE_EXPLORE;
		pick = i;
		b->deviations++;
	} else
		h = LEARN_REC_CHOSE_BUDGET;
out:
	if (how != NULL)
		*how = h;
	return (long)pick;
}

/* --- sentences ---------------------------------------------------------- */

static const char *const level_name[4] = {
	"?", "beginner", "intermediate", "advanced"
};

static const char *
lvl(int l)
{
	return l >= 1 && l <= 3 ? level_name[l] : level_name[0];
}

static const char *const count_word[11] = {
	"zero", "one", "two", "three", "four", "five", "six", "seven",
	"eight", "nine", "ten"
};

int
learn_rec_format(const struct learn_rec *r, const struct learn_names *names,
    char *buf, size_t size)
{
	struct learn_text t;

	learn_text_init(&t, buf, size);
	switch (r->reason) {
	case LEARN_REC_R_NEXT_IN_SEQUENCE:
		learn_text_printf(&t, "next in your path (%ld of %ld)", r->n,
		    r->total);
		break;
	case LEARN_REC_R_NEXT_SKIPS_BLOCKED:
		learn_text_printf(&t, "next you can start (%ld of %ld): ",
		    r->n, r->total);
		learn_text_name(&t, names, LEARN_NAME_LESSON, r->ref);
		learn_text_printf(&t, " waits for ");
		learn_text_name(&t, names, LEARN_NAME_LESSON, r->ref2);
		break;
	case LEARN_REC_R_LOW_MASTERY:
		learn_text_printf(&t, "review ");
		learn_text_name(&t, names, LEARN_NAME_SKILL, r->item);
		learn_text_printf(&t, ": mastery ");
		learn_text_pct(&t, r->x);
		learn_text_printf(&t, " (below ");
		learn_text_pct(&t, r->y);
		learn_text_printf(&t, ")");
		break;
	case LEARN_REC_R_LOW_SCORE:
		learn_text_printf(&t, "review ");
		learn_text_name(&t, names, LEARN_NAME_SKILL, r->item);
		learn_text_printf(&t, ": ");
		learn_text_pct(&t, r->x);
		if (r->n == 1)
			learn_text_printf(&t, " on the last quiz");
		else
			learn_text_printf(&t, " on the last %ld quizzes",
			    r->n);
		break;
	case LEARN_REC_R_REVIEW_DUE:
		if (r->n == 1)
			learn_text_printf(&t, "1 review is due; recall is at ");
		else
			learn_text_printf(&t, "%ld reviews are due; the "
			    "weakest is at ", r->n);
		learn_text_pct(&t, r->x);
		learn_text_printf(&t, " recall");
		break;
	case LEARN_REC_R_LEVEL_UP:
	case LEARN_REC_R_LEVEL_DOWN:
	case LEARN_REC_R_LEVEL_KEEP:
	case LEARN_REC_R_LEVEL_AT_TOP:
	case LEARN_REC_R_LEVEL_AT_BOTTOM:
		learn_text_pct(&t, r->x);
		if (r->n >= 0 && r->n <= 10)
			learn_text_printf(&t, " on the last %s",
			    count_word[r->n]);
		else
			learn_text_printf(&t, " on the last %ld", r->n);
		learn_text_printf(&t, " \xe2\x80\x94 ");
		if (r->reason == LEARN_REC_R_LEVEL_UP ||
		    r->reason == LEARN_REC_R_LEVEL_DOWN)
			learn_text_printf(&t, "moving you to %s", lvl(r->to));
		else if (r->reason == LEARN_REC_R_LEVEL_KEEP)
			learn_text_printf(&t, "staying at %s", lvl(r->level));
		else
			learn_text_printf(&t, "already at %s", lvl(r->level));
		break;
	case LEARN_REC_R_LEVEL_TOO_FEW:
		learn_text_printf(&t, "only %ld scores so far \xe2\x80\x94 "
		    "staying at %s", r->n, lvl(r->level));
		break;
	default:
		return -1;
	}
	return learn_text_len(&t);
}

static const char *const ordinal[11] = {
	"zeroth", "first", "second", "third", "fourth", "fifth", "sixth",
	"seventh", "eighth", "ninth", "tenth"
};

int
learn_struggle_format(const struct learn_struggle *e,
    const struct learn_names *names, char *buf, size_t size)
{
	struct learn_text t;

	learn_text_init(&t, buf, size);
	switch (e->rule) {
	case LEARN_STRUGGLE_WRONG_RUN:
		learn_text_printf(&t, "%ld wrong answers in a row on ", e->n);
		learn_text_name(&t, names, LEARN_NAME_SKILL, e->skill);
		break;
	case LEARN_STRUGGLE_SLOW_RUN:
		learn_text_printf(&t, "%ld slow answers in a row on ", e->n);
		learn_text_name(&t, names, LEARN_NAME_SKILL, e->skill);
		learn_text_printf(&t, " (");
		learn_text_num(&t, e->x);
		learn_text_printf(&t, "\xc3\x97 the usual time)");
		break;
	case LEARN_STRUGGLE_ATTEMPTS:
		if (e->n >= 0 && e->n <= 10)
			learn_text_printf(&t, "%s attempt at ", ordinal[e->n]);
		else
			learn_text_printf(&t, "attempt %ld at ", e->n);
		learn_text_name(&t, names, LEARN_NAME_QUIZ, e->quiz);
		learn_text_printf(&t, " without a pass");
		break;
	case LEARN_STRUGGLE_STALLED:
		learn_text_name(&t, names, LEARN_NAME_LESSON, e->item);
		learn_text_printf(&t, " started and untouched for %ld days",
		    e->n);
		break;
	case LEARN_STRUGGLE_INACTIVE:
		learn_text_printf(&t, "no activity for %ld days", e->n);
		break;
	default:
		return -1;
	}
	return learn_text_len(&t);
}
