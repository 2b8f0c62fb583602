/*
 * analytics: the dashboard's numbers and message; see analytics.h.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "learn/analytics.h"

#define DAY	LEARN_AN_DAY

void
learn_an_params_default(struct learn_an_params *p)
{
	p->days = 30;
	p->session_gap = 1800;
	p->struggle_below = 0.6;
	p->strong_from = 0.8;
	p->trend_days = 30;
	p->trend_min = 3;
	p->trend_band = 0.05;
	p->pace_band = 0.1;
	p->mastery_from = 0.95;
	p->streak_badge = 7;
}

int64_t
learn_an_day(int64_t t, int32_t tz)
{
	int64_t s = t + tz;

	return s >= 0 ? s / DAY : -((-s + DAY - 1) / DAY);
}

int
learn_an_weekday(int64_t day)
{
	/* Day 0, 1970-01-01, was a Thursday (3 with Monday = 0). */
	int64_t w = (day + 3) % 7;

	return (int)(w < 0 ? w + 7 : w);
}

static const char *const wday_name[7] = {
	"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
	"Sunday"
};

const char *
learn_an_weekday_name(int d)
{
	return d >= 0 && d < 7 ? wday_name[d] : "?";
}

static int
ascending(const struct learn_an_event *ev, size_t n)
{
	size_t i;

	for (i = 1; i < n; i++)
		if (ev[i].at < ev[i - 1].at)
			return 0;
	return 1;
}

int
learn_an_streaks(const struct learn_an_event *ev, size_t n, int64_t now,
    int32_t tz, int *current, int *longest)
{
	int64_t today = learn_an_day(now, tz), d, last = 0;
	int run = 0, best = 0, have = 0;
	size_t i;

	*current = *longest = 0;
	if (!ascending(ev, n))
		return -1;
	for (i = 0; i < n && ev[i].at <= now; i++) {
		d = learn_an_day(ev[i].at, tz);
		if (have && d == last)
			continue;
		run = have && d == last + 1 ? run + 1 : 1;
		if (run > best)
			best = run;
		last = d;
		have = 1;
	}
	*longest = best;
	if (have && (last == today || last == today - 1))
		*current = run;
	return 0;
}

long
learn_an_sessions(const struct learn_an_event *ev, size_t n, int64_t gap,
    struct learn_an_session *out, size_t cap)
{
	struct learn_an_session s;
	size_t i;
	long k = 0;
	int64_t end;

	if (!ascending(ev, n))
		return -1;
	for (i = 0; i < n; i++) {
		end = ev[i].at + (ev[i].secs > 0 ? ev[i].secs : 0);
		if (i == 0 || ev[i].at > s.end + gap) {
			if (i > 0) {
				if ((size_t)k < cap)
					out[k] = s;
				k++;
			}
			s.start = ev[i].at;
			s.end = end;
			s.nevents = 1;
			continue;
		}
		if (end > s.end)
			s.end = end;
		s.nevents++;
	}
	if (n > 0) {
		if ((size_t)k < cap)
			out[k] = s;
		k++;
	}
	return k;
}

/* Indices of the largest nonzero counts, busiest first, ties to the lower
 * index. */
static int
top(const long *v, int n, int *out, int max)
{
	int k = 0, i, j, best;

	while (k < max) {
		best = -1;
		for (i = 0; i < n; i++) {
			if (v[i] <= 0)
				continue;
			for (j = 0; j < k; j++)
				if (out[j] == i)
					break;
			if (j < k)
				continue;
			if (best < 0 || v[i] > v[best])
				best = i;
		}
		if (best < 0)
			break;
		out[k++] = best;
	}
	return k;
}

int
learn_an_engagement(const struct learn_an_event *ev, size_t n, int32_t tz,
    int64_t gap, struct learn_an_engagement *e)
{
	struct learn_an_session s;
	size_t i;
	int64_t local, sod, end;

	memset(e, 0, sizeof(*e));
	if (!ascending(ev, n))
		return -1;
	memset(&s, 0, sizeof(s));
	for (i = 0; i < n; i++) {
		local = ev[i].at + tz;
		sod = local % DAY;
		if (sod < 0)
			sod += DAY;
		e->by_hour[sod / 3600]++;
		e->by_weekday[learn_an_weekday(learn_an_day(ev[i].at, tz))]++;
		end = ev[i].at + (ev[i].secs > 0 ? ev[i].secs : 0);
		if (i == 0 || ev[i].at > s.end + gap) {
			if (i > 0) {
				e->nsessions++;
				e->study_secs += (double)(s.end - s.start);
			}
			s.start = ev[i].at;
			s.end = end;
		} else if (end > s.end)
			s.end = end;
	}
	if (n > 0) {
		e->nsessions++;
		e->study_secs += (double)(s.end - s.start);
		e->avg_session_secs = e->study_secs / (double)e->nsessions;
	}
	e->npeak_hours = top(e->by_hour, 24, e->peak_hours, LEARN_AN_MAXTOP);
	e->nweekdays = top(e->by_weekday, 7, e->weekdays, LEARN_AN_MAXTOP);
	return 0;
}

static int
cmp_skill(const void *a, const void *b)
{
	const struct learn_an_skill *x = a, *y = b;

	if (x->avg != y->avg)
		return x->avg < y->avg ? -1 : 1;
	return (x->skill > y->skill) - (x->skill < y->skill);
}

/* learn_an_skills over the scores with at in (from, to]: the mean by
 * one pass, the latest score by a second pass per skill. */
static long
skills_range(const struct learn_an_score *s, size_t n, int64_t from,
    int64_t to, struct learn_an_skill *out, size_t cap)
{
	size_t i, k, m = 0;
	long r;
	int64_t at;

	for (i = 0; i < n; i++) {
		if (s[i].at <= from || s[i].at > to || !isfinite(s[i].score))
			continue;
		for (k = 0; k < m; k++)
			if (out[k].skill == s[i].skill)
				break;
		if (k == m) {
			if (m == cap)
				return -1;
			out[m].skill = s[i].skill;
			out[m].avg = 0;
			out[m].n = 0;
			m++;
		}
		out[k].avg += s[i].score;
		out[k].n++;
	}
	for (k = 0; k < m; k++) {
		out[k].avg /= (double)out[k].n;
		at = INT64_MIN;
		for (i = 0; i < n; i++)
			if (s[i].skill == out[k].skill && s[i].at > from &&
			    s[i].at <= to && isfinite(s[i].score) &&
			    s[i].at >= at) {
				at = s[i].at;
				out[k].last = s[i].score;
			}
	}
	qsort(out, m, sizeof(*out), cmp_skill);
	r = (long)m;
	return r;
}

long
learn_an_skills(const struct learn_an_score *s, size_t n,
    struct learn_an_skill *out, size_t cap)
{
	return skills_range(s, n, INT64_MIN, INT64_MAX, out, cap);
}

void
learn_an_trend(const struct learn_an_params *p, const struct learn_an_score *s,
    size_t n, int64_t now, struct learn_an_trend *tr)
{
	int64_t from = now - (int64_t)p->trend_days * DAY;
	double sx = 0, sy = 0, sxx = 0, sxy = 0, x, mx, my, k = 0;
	size_t i;

	memset(tr, 0, sizeof(*tr));
	tr->direction = LEARN_AN_STABLE;
	tr->days = p->trend_days;
	for (i = 0; i < n; i++) {
		if (s[i].at <= from || s[i].at > now || !isfinite(s[i].score))
			continue;
		x = (double)(s[i].at - from) / (double)DAY;
		sx += x;
		sy += s[i].score;
		k++;
	}
	tr->n = (long)k;
	if (k < p->trend_min || k < 2)
		return;
	mx = sx / k;
	my = sy / k;
	for (i = 0; i < n; i++) {
		if (s[i].at <= from || s[i].at > now || !isfinite(s[i].score))
			continue;
		x = (double)(s[i].at - from) / (double)DAY - mx;
		sxx += x * x;
		sxy += x * (s[i].score - my);
	}
	if (!(sxx > 0))
		return;
	tr->enough = 1;
	tr->slope = sxy / sxx;
	tr->change = tr->slope * (double)p->trend_days;
	if (tr->change > p->trend_band)
		tr->direction = LEARN_AN_IMPROVING;
	else if (tr->change < -p->trend_band)
		tr->direction = LEARN_AN_DECLINING;
}

void
learn_an_pace(const struct learn_an_params *p, double progress, int64_t start,
    int64_t deadline, int64_t now, struct learn_an_pace *pc)
{
	double d;

	memset(pc, 0, sizeof(*pc));
	if (!isfinite(progress))
		progress = 0;
	pc->progress = progress < 0 ? 0 : progress > 1 ? 1 : progress;
	if (deadline <= start) {
		pc->kind = LEARN_AN_PACE_UNKNOWN;
		return;
	}
	pc->elapsed = (double)(now - start) / (double)(deadline - start);
	if (pc->elapsed < 0)
		pc->elapsed = 0;
	if (pc->elapsed > 1)
		pc->elapsed = 1;
	pc->days_left = now < deadline ? (deadline - now) / DAY : 0;
	d = pc->progress - pc->elapsed;
	if (d > p->pace_band)
		pc->kind = LEARN_AN_PACE_AHEAD;
	else if (d < -p->pace_band)
		pc->kind = LEARN_AN_PACE_BEHIND;
	else
		pc->kind = LEARN_AN_PACE_ON_TRACK;
}

int
learn_an_summary(const struct learn_an_params *p,
    const struct learn_an_input *in, struct learn_an_summary *s)
{
	int64_t from = in->now - (int64_t)p->days * DAY;
	struct learn_an_engagement e;
	size_t i, lo, hi, started_done = 0;
	double sum = 0;

	memset(s, 0, sizeof(*s));
	if (learn_an_streaks(in->events, in->nevents, in->now, in->tz_offset,
	    &s->current_streak, &s->longest_streak) == -1)
		return -1;
	for (i = 0; i < in->nlessons; i++) {
		const struct learn_an_lesson *l = &in->lessons[i];
		int c = l->completed > from && l->completed <= in->now;

		if (c)
			s->lessons_completed++;
		if (l->started > from && l->started <= in->now) {
			s->lessons_started++;
			if (l->completed != 0 && l->completed <= in->now)
				started_done++;
		}
	}
	s->completion_rate = s->lessons_started > 0 ?
	    (double)started_done / (double)s->lessons_started : NAN;
	for (i = 0; i < in->nscores; i++)
		if (in->scores[i].at > from && in->scores[i].at <= in->now &&
		    isfinite(in->scores[i].score)) {
			sum += in->scores[i].score;
			s->nscores++;
		}
	s->avg_score = s->nscores > 0 ? sum / (double)s->nscores : NAN;
	for (lo = 0; lo < in->nevents && in->events[lo].at <= from; lo++)
		;
	for (hi = lo; hi < in->nevents && in->events[hi].at <= in->now; hi++)
		;
	learn_an_engagement(in->events + lo, hi - lo, in->tz_offset,
	    p->session_gap, &e);
	s->study_hours = e.study_secs / 3600.0;
	s->nsessions = e.nsessions;
	return 0;
}

size_t
learn_an_achievements(const struct learn_an_params *p,
    const struct learn_an_input *in, int longest,
    struct learn_an_achievement *out, size_t cap)
{
	struct learn_an_achievement a;
	size_t i, k = 0, nm = 0, best;
	int64_t first = 0, prev = 0;
	int have = 0, any;

	for (i = 0; i < in->ncourses_done; i++)
		if (in->courses_done[i] != 0 && in->courses_done[i] <= in->now &&
		    (first == 0 || in->courses_done[i] < first))
			first = in->courses_done[i];
	if (first != 0) {
		memset(&a, 0, sizeof(a));
		a.kind = LEARN_AN_FIRST_COURSE;
		a.at = first;
		if (k < cap)
			out[k] = a;
		k++;
	}
	if (p->streak_badge > 0 && longest >= p->streak_badge) {
		memset(&a, 0, sizeof(a));
		a.kind = LEARN_AN_STREAK;
		a.n = longest;
		if (k < cap)
			out[k] = a;
		k++;
	}
	/* Mastered skills in skill order: each pass takes the least skill
	 * id above the previous one. */
	while (nm < LEARN_AN_MAXLIST) {
		any = 0;
		best = 0;
		for (i = 0; i < in->nmastery; i++) {
			if (!(in->mastery[i].p_known >= p->mastery_from))
				continue;
			if (have && in->mastery[i].skill <= prev)
				continue;
			if (!any || in->mastery[i].skill <
			    in->mastery[best].skill) {
				best = i;
				any = 1;
			}
		}
		if (!any)
			break;
		memset(&a, 0, sizeof(a));
		a.kind = LEARN_AN_MASTERY;
		a.skill = in->mastery[best].skill;
		a.x = in->mastery[best].p_known;
		if (k < cap)
			out[k] = a;
		k++;
		nm++;
		prev = a.skill;
		have = 1;
	}
	return k;
}

int
learn_an_report(const struct learn_an_params *p,
    const struct learn_an_input *in, struct learn_an_skill *work,
    struct learn_an_report *r)
{
	int64_t from = in->now - (int64_t)p->days * DAY;
	size_t i, lo, hi;
	long m;

	memset(r, 0, sizeof(*r));
	if (learn_an_summary(p, in, &r->summary) == -1)
		return -1;
	for (lo = 0; lo < in->nevents && in->events[lo].at <= from; lo++)
		;
	for (hi = lo; hi < in->nevents && in->events[hi].at <= in->now; hi++)
		;
	learn_an_engagement(in->events + lo, hi - lo, in->tz_offset,
	    p->session_gap, &r->engagement);
	if (hi > 0)
		r->last_event = in->events[hi - 1].at;
	learn_an_trend(p, in->scores, in->nscores, in->now, &r->trend);
	learn_an_pace(p, in->goal_progress, in->goal_start, in->goal_deadline,
	    in->now, &r->pace);
	m = 0;
	if (in->nscores > 0 && work != NULL)
		m = skills_range(in->scores, in->nscores, from, in->now, work,
		    in->nscores);
	for (i = 0; i < (size_t)m && r->nstruggling < LEARN_AN_MAXLIST; i++)
		if (work[i].avg < p->struggle_below)
			r->struggling[r->nstruggling++] = work[i];
	for (i = (size_t)m; i-- > 0 && r->nstrong < LEARN_AN_MAXLIST;)
		if (work[i].avg >= p->strong_from)
			r->strong[r->nstrong++] = work[i];
	r->nachievements = learn_an_achievements(p, in,
	    r->summary.longest_streak, r->achievements,
	    sizeof(r->achievements) / sizeof(r->achievements[0]));
	if (r->nachievements > sizeof(r->achievements) /
	    sizeof(r->achievements[0]))
		r->nachievements = sizeof(r->achievements) /
		    sizeof(r->achievements[0]);

	if (r->summary.nscores > 0 && r->summary.avg_score >= p->strong_from)
		r->strengths |= LEARN_AN_F_STRONG_SCORES;
	if (r->summary.current_streak >= 5 ||
	    r->summary.completion_rate >= 0.8)
		r->strengths |= LEARN_AN_F_DISCIPLINE;
	if (r->trend.direction == LEARN_AN_IMPROVING)
		r->strengths |= LEARN_AN_F_IMPROVING;
	if (r->summary.nscores > 0 && r->summary.avg_score < p->struggle_below)
		r->improve |= LEARN_AN_F_LOW_SCORES;
	if (r->summary.completion_rate < 0.5)
		r->improve |= LEARN_AN_F_LOW_COMPLETION;
	if (r->trend.direction == LEARN_AN_DECLINING)
		r->improve |= LEARN_AN_F_DECLINING;
	if (r->last_event == 0 || r->last_event <= in->now - 7 * DAY)
		r->improve |= LEARN_AN_F_INACTIVE;
	return 0;
}

static void
points(struct learn_text *t, double change, int days)
{
	long pts = lround(change * 100.0);

	learn_text_printf(t, "%s%ld points over %d days", pts > 0 ? "+" :
	    pts < 0 ? "\xe2\x88\x92" : "", pts < 0 ? -pts : pts, days);
}

int
learn_an_message(const struct learn_an_report *r,
    const struct learn_names *names, char *buf, size_t size)
{
	const struct learn_an_summary *s = &r->summary;
	const struct learn_an_engagement *e = &r->engagement;
	struct learn_text t;
	int i;

	learn_text_init(&t, buf, size);
	if (s->current_streak >= 7)
		learn_text_printf(&t, "Amazing %d-day streak! ",
		    s->current_streak);
	else if (s->current_streak >= 3)
		learn_text_printf(&t, "Great %d-day streak! ",
		    s->current_streak);
	else if (r->last_event == 0)
		learn_text_printf(&t, "Start with a short lesson today. ");
	else if (r->improve & LEARN_AN_F_INACTIVE)
		learn_text_printf(&t, "Welcome back: a short session today "
		    "starts a new streak. ");

	if (r->trend.direction == LEARN_AN_IMPROVING) {
		learn_text_printf(&t, "Your scores are improving (");
		points(&t, r->trend.change, r->trend.days);
		learn_text_printf(&t, "). ");
	} else if (r->trend.direction == LEARN_AN_DECLINING) {
		learn_text_printf(&t, "Your scores have slipped (");
		points(&t, r->trend.change, r->trend.days);
		learn_text_printf(&t, "); consider reviewing recent topics. ");
	} else if (r->strengths & LEARN_AN_F_STRONG_SCORES) {
		learn_text_printf(&t, "You are mastering the material "
		    "(average ");
		learn_text_pct(&t, s->avg_score);
		learn_text_printf(&t, "). ");
	}

	if (r->nstruggling > 0) {
		learn_text_printf(&t, "Focus on ");
		learn_text_name(&t, names, LEARN_NAME_SKILL,
		    r->struggling[0].skill);
		learn_text_printf(&t, " (");
		learn_text_pct(&t, r->struggling[0].avg);
		learn_text_printf(&t, "): revision is ready for you. ");
	}

	switch (r->pace.kind) {
	case LEARN_AN_PACE_AHEAD:
		learn_text_printf(&t, "You are ahead of your goal (");
		learn_text_pct(&t, r->pace.progress);
		learn_text_printf(&t, " done, ");
		learn_text_pct(&t, r->pace.elapsed);
		learn_text_printf(&t, " of the time gone). ");
		break;
	case LEARN_AN_PACE_BEHIND:
		learn_text_printf(&t, "You are behind your goal: ");
		learn_text_pct(&t, r->pace.progress);
		learn_text_printf(&t, " done with ");
		learn_text_pct(&t, r->pace.elapsed);
		learn_text_printf(&t, " of the time gone. ");
		break;
	case LEARN_AN_PACE_ON_TRACK:
		learn_text_printf(&t, "You are on track for your goal. ");
		break;
	}

	if (e->nweekdays > 0 && e->npeak_hours > 0) {
		learn_text_printf(&t, "You learn best on ");
		for (i = 0; i < e->nweekdays && i < 2; i++)
			learn_text_printf(&t, "%s%s", i == 0 ? "" : " and ",
			    learn_an_weekday_name(e->weekdays[i]));
		learn_text_printf(&t, " around %02d:00. ", e->peak_hours[0]);
	}
	/* Drop the trailing space. */
	if (t.pos > 0 && t.pos <= t.size && t.buf[t.pos - 1] == ' ') {
		t.pos--;
		t.buf[t.pos] = '\0';
	} else if (t.pos > t.size)
		t.pos--;
	return learn_text_len(&t);
}
