/*
 * path: greedy gap cover, prerequisite closure and least-difficult-first
 * Kahn ordering over the chosen courses; see path.h for the contract.
 *
 * Lookups go through sorted copies made in the caller's block: courses by
 * id, the learner's levels and the goal by skill, and every (skill, course)
 * a course teaches by skill, so the closure finds the courses teaching a
 * skill by binary search instead of scanning the catalogue.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "learn/graph.h"
#include "learn/path.h"

struct byid {
	int64_t		 id;
	uint32_t	 ix;
};

struct teach {
	int64_t		 skill;
	uint32_t	 course;
	uint32_t	 k;		/* index into the course's teaches */
};

enum { ST_NONE = 0, ST_STEP, ST_SKIPPED };

struct plan {
	const struct learn_path_input	*in;
	struct byid		*ids;		/* nc, by id */
	int64_t			*done;		/* completed, sorted */
	int64_t			*enr;		/* enrolled, sorted */
	struct learn_skill_level *lv;		/* levels, by skill */
	struct teach		*tc;		/* nt, by skill */
	size_t			 nt;
	unsigned char		*state;		/* nc */
	int32_t			*step_of;	/* nc: index in st, or -1 */
	struct learn_path_step	*st;		/* nc: in selection order */
	size_t			 nst;
	uint32_t		*stc;		/* nc: course of st[i] */
	uint32_t		*queue;		/* nc */
	size_t			 qhead, qtail;
	int			*open;		/* ngoal: gap still open */
	int64_t			*efrom, *eto;	/* m: edges */
	int32_t			*ehead;		/* nc: first edge from */
	int32_t			*enext;		/* m: next edge, same from */
	uint32_t		*eto_ix;	/* m: eto as an index */
	uint32_t		*mark;		/* nc: walk stamp */
	uint32_t		 stamp;
	uint32_t		*stack;		/* nc */
	uint32_t		*rf, *rt;	/* m: every edge, as chosen */
	unsigned char		*rs;		/* m: 1 = skill minimum */
	size_t			 nr;
	size_t			 m, mmax;
	void			*gscratch;
	int64_t			*gorder;
	uint32_t		*indeg, *off, *adj, *heap;
	struct learn_path_result *out;
};

static size_t
edges_max(const struct learn_path_input *in)
{
	size_t i, m = 0;

	for (i = 0; i < in->ncourses; i++)
		m += in->courses[i].nprereq + in->courses[i].nneeds;
	return m;
}

static size_t
teaches_total(const struct learn_path_input *in)
{
	size_t i, t = 0;

	for (i = 0; i < in->ncourses; i++)
		t += in->courses[i].nteaches;
	return t;
}

/* Lays the block out (base NULL: only measures). */
static size_t
layout(struct plan *p, const struct learn_path_input *in, void *base)
{
	char *b = base;
	size_t off = 0, nc = in->ncourses, m = edges_max(in);
	size_t nt = teaches_total(in), ng = in->ngoal;

#define TAKE(field, type, count) do {					\
		if (b != NULL)						\
			(field) = (type *)(void *)(b + off);		\
		off += sizeof(type) * (count);				\
		off = (off + 7) & ~(size_t)7;				\
	} while (0)
	struct learn_path_step *steps = NULL;
	struct learn_path_skipped *skipped = NULL;
	struct learn_path_gap *gaps = NULL;
	int64_t *cycle = NULL;
	unsigned char *gs = NULL;

	TAKE(p->ids, struct byid, nc);
	TAKE(p->done, int64_t, in->ncompleted);
	TAKE(p->enr, int64_t, in->nenrolled);
	TAKE(p->lv, struct learn_skill_level, in->nlevels);
	TAKE(p->tc, struct teach, nt);
	TAKE(p->state, unsigned char, nc);
	TAKE(p->step_of, int32_t, nc);
	TAKE(p->st, struct learn_path_step, nc);
	TAKE(p->stc, uint32_t, nc);
	TAKE(p->queue, uint32_t, nc);
	TAKE(p->open, int, ng);
	TAKE(p->efrom, int64_t, m);
	TAKE(p->eto, int64_t, m);
	TAKE(p->ehead, int32_t, nc);
	TAKE(p->enext, int32_t, m);
	TAKE(p->eto_ix, uint32_t, m);
	TAKE(p->mark, uint32_t, nc);
	TAKE(p->stack, uint32_t, nc);
	TAKE(p->rf, uint32_t, m);
	TAKE(p->rt, uint32_t, m);
	TAKE(p->rs, unsigned char, m);
	TAKE(gs, unsigned char, m > 0 ? learn_graph_scratch_size(m) : 0);
	TAKE(p->gorder, int64_t, 2 * m);
	TAKE(p->indeg, uint32_t, nc);
	TAKE(p->off, uint32_t, nc + 1);
	TAKE(p->adj, uint32_t, m);
	TAKE(p->heap, uint32_t, nc);
	TAKE(steps, struct learn_path_step, nc);
	TAKE(skipped, struct learn_path_skipped, nc);
	TAKE(gaps, struct learn_path_gap, ng);
	TAKE(cycle, int64_t, 2 * m + 1);
#undef TAKE
	if (b != NULL) {
		p->gscratch = gs;
		p->mmax = m;
		p->nt = nt;
		p->out->steps = steps;
		p->out->skipped = skipped;
		p->out->gaps = gaps;
		p->out->cycle = cycle;
	}
	return off;
}

size_t
learn_path_mem_size(const struct learn_path_input *in)
{
	struct plan p;

	memset(&p, 0, sizeof(p));
	return layout(&p, in, NULL) + 8;
}

static int
cmp_byid(const void *a, const void *b)
{
	const struct byid *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static int
cmp_level(const void *a, const void *b)
{
	const struct learn_skill_level *x = a, *y = b;

	return (x->skill > y->skill) - (x->skill < y->skill);
}

static int
cmp_teach(const void *a, const void *b)
{
	const struct teach *x = a, *y = b;

	if (x->skill != y->skill)
		return (x->skill > y->skill) - (x->skill < y->skill);
	return (x->course > y->course) - (x->course < y->course);
}

static int
has_id(const int64_t *v, size_t n, int64_t id)
{
	return n > 0 && bsearch(&id, v, n, sizeof(*v), cmp_i64) != NULL;
}

/* The catalogue index of course id, or -1. */
static long
course_ix(const struct plan *p, int64_t id)
{
	struct byid key = { id, 0 }, *f;

	if (p->in->ncourses == 0)
		return -1;
	f = bsearch(&key, p->ids, p->in->ncourses, sizeof(key), cmp_byid);
	return f == NULL ? -1 : (long)f->ix;
}

static double
level_of(const struct plan *p, int64_t skill)
{
	struct learn_skill_level key = { skill, 0 }, *f;

	if (p->in->nlevels == 0)
		return 0;
	f = bsearch(&key, p->lv, p->in->nlevels, sizeof(key), cmp_level);
	return f == NULL ? 0 : f->level;
}

/* The first teach entry for skill, and how many follow it. */
static const struct teach *
teachers(const struct plan *p, int64_t skill, size_t *count)
{
	size_t lo = 0, hi = p->nt, a;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (p->tc[mid].skill < skill)
			lo = mid + 1;
		else
			hi = mid;
	}
	a = lo;
	while (lo < p->nt && p->tc[lo].skill == skill)
		lo++;
	*count = lo - a;
	return p->tc + a;
}

/* The level course c teaches skill to, or -1. */
static double
teaches_to(const struct learn_path_course *c, int64_t skill)
{
	double best = -1;
	size_t k;

	for (k = 0; k < c->nteaches; k++)
		if (c->teaches[k].skill == skill && c->teaches[k].level > best)
			best = c->teaches[k].level;
	return best;
}

/* Is course a a better pick than course b at equal coverage: less
 * advanced, fewer hours, enrolled, lower id. */
static int
better(const struct plan *p, long a, long b)
{
	const struct learn_path_course *x = &p->in->courses[a];
	const struct learn_path_course *y = &p->in->courses[b];
	int ex, ey;

	if (b < 0)
		return 1;
	if (x->difficulty != y->difficulty)
		return x->difficulty < y->difficulty;
	if (x->hours != y->hours)
		return x->hours < y->hours;
	ex = has_id(p->enr, p->in->nenrolled, x->id);
	ey = has_id(p->enr, p->in->nenrolled, y->id);
	if (ex != ey)
		return ex;
	return x->id < y->id;
}

static int
usable(const struct plan *p, long c)
{
	return p->state[c] == ST_NONE &&
	    !has_id(p->done, p->in->ncompleted, p->in->courses[c].id);
}

static struct learn_path_step *
add_step(struct plan *p, long c, int why)
{
	const struct learn_path_course *cc = &p->in->courses[c];
	struct learn_path_step *s = &p->st[p->nst];

	memset(s, 0, sizeof(*s));
	s->course = cc->id;
	s->why = why;
	s->difficulty = cc->difficulty;
	s->hours = cc->hours;
	s->enrolled = has_id(p->enr, p->in->nenrolled, cc->id);
	s->from = s->to = s->need = NAN;
	p->state[c] = ST_STEP;
	p->step_of[c] = (int32_t)p->nst;
	p->stc[p->nst] = (uint32_t)c;
	p->nst++;
	p->queue[p->qtail++] = (uint32_t)c;
	return s;
}

static void
add_skip(struct plan *p, long c, int why, int64_t for_course, int64_t skill,
    double have, double need)
{
	struct learn_path_skipped *k = &p->out->skipped[p->out->nskipped++];

	k->course = p->in->courses[c].id;
	k->why = why;
	k->for_course = for_course;
	k->skill = skill;
	k->have = have;
	k->need = need;
	p->state[c] = ST_SKIPPED;
}

/* Course index from requires course index to: into the graph walked by
 * requires() and handed to the ordering. */
static void
add_link(struct plan *p, long from, long to)
{
	if (p->m < p->mmax) {
		p->efrom[p->m] = p->in->courses[from].id;
		p->eto[p->m] = p->in->courses[to].id;
		p->eto_ix[p->m] = (uint32_t)to;
		p->enext[p->m] = p->ehead[from];
		p->ehead[from] = (int32_t)p->m;
		p->m++;
	}
}

/* Records an edge (soft: it serves a skill minimum) and links it. */
static void
add_edge(struct plan *p, long from, long to, int soft)
{
	if (p->nr < p->mmax) {
		p->rf[p->nr] = (uint32_t)from;
		p->rt[p->nr] = (uint32_t)to;
		p->rs[p->nr] = (unsigned char)soft;
		p->nr++;
	}
	add_link(p, from, to);
}

/* Does course a require course b, directly or through others, by the
 * edges so far?  Depth-first over the per-course edge lists. */
static int
requires(struct plan *p, long a, long b)
{
	size_t top = 0;
	uint32_t v;
	int32_t e;

	if (++p->stamp == 0) {
		memset(p->mark, 0, p->in->ncourses * sizeof(*p->mark));
		p->stamp = 1;
	}
	p->mark[a] = p->stamp;
	p->stack[top++] = (uint32_t)a;
	while (top > 0) {
		v = p->stack[--top];
		if (v == (uint32_t)b)
			return 1;
		for (e = p->ehead[v]; e >= 0; e = p->enext[e])
			if (p->mark[p->eto_ix[e]] != p->stamp) {
				p->mark[p->eto_ix[e]] = p->stamp;
				p->stack[top++] = p->eto_ix[e];
			}
	}
	return 0;
}

/* Fills a BUILDS step's list: goal skills the course raises, the gaps it
 * closes first, each group in goal order. */
static void
fill_builds(struct plan *p, struct learn_path_step *s,
    const struct learn_path_course *c)
{
	const struct learn_path_input *in = p->in;
	int pass;
	size_t g;
	double cur, to;

	for (pass = 0; pass < 2; pass++)
		for (g = 0; g < in->ngoal; g++) {
			cur = level_of(p, in->goal[g].skill);
			if (cur >= in->goal[g].level)
				continue;
			to = teaches_to(c, in->goal[g].skill);
			if (to <= cur)
				continue;
			if ((to >= in->goal[g].level) != (pass == 0))
				continue;
			if (s->nbuilds < LEARN_PATH_MAXBUILDS) {
				s->builds[s->nbuilds].skill = in->goal[g].skill;
				s->builds[s->nbuilds].from = cur;
				s->builds[s->nbuilds].to = to;
				s->builds[s->nbuilds].target =
				    in->goal[g].level;
				s->nbuilds++;
			}
			s->nbuilds_all++;
		}
}

/* Greedy cover of the open goal gaps. */
static void
cover(struct plan *p)
{
	const struct learn_path_input *in = p->in;
	size_t g, i, k, cnt, bestcnt;
	long best, c;
	double reach, to, bestto;

	for (;;) {
		best = -1;
		bestcnt = 0;
		for (c = 0; c < (long)in->ncourses; c++) {
			if (!usable(p, c))
				continue;
			cnt = 0;
			for (g = 0; g < in->ngoal; g++)
				if (p->open[g] && teaches_to(&in->courses[c],
				    in->goal[g].skill) >= in->goal[g].level)
					cnt++;
			if (cnt == 0)
				continue;
			if (cnt > bestcnt || (cnt == bestcnt &&
			    better(p, c, best))) {
				best = c;
				bestcnt = cnt;
			}
		}
		if (best < 0)
			break;
		fill_builds(p, add_step(p, best, LEARN_PATH_BUILDS),
		    &in->courses[best]);
		for (g = 0; g < in->ngoal; g++)
			if (p->open[g] && teaches_to(&in->courses[best],
			    in->goal[g].skill) >= in->goal[g].level)
				p->open[g] = 0;
	}

	/* No course closes what is left: raise each as far as one course
	 * can, unless a chosen course already reaches as far. */
	for (g = 0; g < in->ngoal; g++) {
		const struct teach *t;

		if (!p->open[g])
			continue;
		reach = level_of(p, in->goal[g].skill);
		for (i = 0; i < p->nst; i++) {
			to = teaches_to(&in->courses[p->stc[i]],
			    in->goal[g].skill);
			if (to > reach)
				reach = to;
		}
		t = teachers(p, in->goal[g].skill, &cnt);
		best = -1;
		bestto = reach;
		for (k = 0; k < cnt; k++) {
			c = t[k].course;
			if (!usable(p, c))
				continue;
			to = in->courses[c].teaches[t[k].k].level;
			if (to > bestto || (to == bestto && best >= 0 &&
			    better(p, c, best))) {
				best = c;
				bestto = to;
			}
		}
		if (best >= 0)
			fill_builds(p, add_step(p, best, LEARN_PATH_BUILDS),
			    &in->courses[best]);
	}
}

/* Adds what the course at p->queue[head] requires, until the queue is
 * empty. */
static void
closure(struct plan *p)
{
	const struct learn_path_input *in = p->in;
	const struct learn_path_course *y, *pc;
	const struct teach *t;
	struct learn_path_step *s;
	size_t i, k, cnt, kmin;
	long c, best, bestsel, yi;
	double have, need, margin, to;

	while (p->qhead < p->qtail) {
		yi = p->queue[p->qhead++];
		y = &in->courses[yi];
		for (i = 0; i < y->nprereq; i++) {
			c = course_ix(p, y->prereq[i]);
			if (c < 0 || in->courses[c].id == y->id)
				continue;
			pc = &in->courses[c];
			if (p->state[c] == ST_STEP) {
				add_edge(p, yi, c, 0);
				continue;
			}
			if (p->state[c] == ST_SKIPPED)
				continue;
			if (has_id(p->done, in->ncompleted, pc->id)) {
				add_skip(p, c, LEARN_PATH_SKIP_COMPLETED, y->id,
				    0, NAN, NAN);
				continue;
			}
			/* Met when every skill it teaches is: name the one
			 * with the smallest margin. */
			kmin = pc->nteaches;
			margin = INFINITY;
			for (k = 0; k < pc->nteaches; k++) {
				have = level_of(p, pc->teaches[k].skill);
				if (have < pc->teaches[k].level)
					break;
				if (have - pc->teaches[k].level < margin) {
					margin = have - pc->teaches[k].level;
					kmin = k;
				}
			}
			if (pc->nteaches > 0 && k == pc->nteaches) {
				add_skip(p, c, LEARN_PATH_SKIP_SKILL_MET, y->id,
				    pc->teaches[kmin].skill,
				    level_of(p, pc->teaches[kmin].skill),
				    pc->teaches[kmin].level);
				continue;
			}
			s = add_step(p, c, LEARN_PATH_PREREQ_COURSE);
			s->for_course = y->id;
			add_edge(p, yi, c, 0);
		}
		for (i = 0; i < y->nneeds; i++) {
			need = y->needs[i].level;
			have = level_of(p, y->needs[i].skill);
			if (have >= need)
				continue;
			t = teachers(p, y->needs[i].skill, &cnt);
			best = bestsel = -1;
			for (k = 0; k < cnt; k++) {
				c = t[k].course;
				if (in->courses[c].id == y->id ||
				    in->courses[c].teaches[t[k].k].level < need)
					continue;
				/* A chosen course serves unless it needs y
				 * itself: then y must not wait for it. */
				if (p->state[c] == ST_STEP) {
					if ((bestsel < 0 || better(p, c,
					    bestsel)) && !requires(p, c, yi))
						bestsel = c;
				} else if (usable(p, c) && better(p, c, best))
					best = c;
			}
			if (bestsel >= 0) {
				add_edge(p, yi, bestsel, 1);
				continue;
			}
			if (best < 0)
				continue;	/* nothing teaches it */
			to = teaches_to(&in->courses[best], y->needs[i].skill);
			s = add_step(p, best, LEARN_PATH_PREREQ_SKILL);
			s->for_course = y->id;
			s->skill = y->needs[i].skill;
			s->from = have;
			s->to = to;
			s->need = need;
			add_edge(p, yi, best, 1);
		}
	}
}

/* Heap of step indices, least (difficulty, id) on top. */
static int
hless(const struct plan *p, uint32_t a, uint32_t b)
{
	if (p->st[a].difficulty != p->st[b].difficulty)
		return p->st[a].difficulty < p->st[b].difficulty;
	return p->st[a].course < p->st[b].course;
}

static void
hpush(struct plan *p, size_t *n, uint32_t v)
{
	size_t i = (*n)++, up;

	while (i > 0) {
		up = (i - 1) / 2;
		if (!hless(p, v, p->heap[up]))
			break;
		p->heap[i] = p->heap[up];
		i = up;
	}
	p->heap[i] = v;
}

static uint32_t
hpop(struct plan *p, size_t *n)
{
	uint32_t top = p->heap[0], v = p->heap[--(*n)];
	size_t i = 0, c;

	for (;;) {
		c = 2 * i + 1;
		if (c >= *n)
			break;
		if (c + 1 < *n && hless(p, p->heap[c + 1], p->heap[c]))
			c++;
		if (!hless(p, p->heap[c], v))
			break;
		p->heap[i] = p->heap[c];
		i = c;
	}
	if (*n > 0)
		p->heap[i] = v;
	return top;
}

/* Writes the steps in order: a step is ready once every step it requires
 * is placed; among ready steps the least difficult, then lower id. */
static void
order(struct plan *p)
{
	size_t i, e, nh = 0, placed = 0;
	uint32_t a, b, s;

	for (i = 0; i <= p->nst; i++)
		p->off[i] = 0;
	for (i = 0; i < p->nst; i++)
		p->indeg[i] = 0;
	/* Edge e: efrom requires eto, so eto -> efrom in study order. */
	for (e = 0; e < p->m; e++) {
		a = (uint32_t)p->step_of[course_ix(p, p->eto[e])];
		b = (uint32_t)p->step_of[course_ix(p, p->efrom[e])];
		p->off[a + 1]++;
		p->indeg[b]++;
	}
	for (i = 0; i < p->nst; i++)
		p->off[i + 1] += p->off[i];
	for (e = 0; e < p->m; e++) {
		a = (uint32_t)p->step_of[course_ix(p, p->eto[e])];
		b = (uint32_t)p->step_of[course_ix(p, p->efrom[e])];
		p->adj[p->off[a]++] = b;
	}
	/* off[a] now ends a's list; its start is off[a - 1] (0 for a = 0). */
	for (i = 0; i < p->nst; i++)
		if (p->indeg[i] == 0)
			hpush(p, &nh, (uint32_t)i);
	while (nh > 0) {
		s = hpop(p, &nh);
		p->out->steps[placed++] = p->st[s];
		for (e = s == 0 ? 0 : p->off[s - 1]; e < p->off[s]; e++)
			if (--p->indeg[p->adj[e]] == 0)
				hpush(p, &nh, p->adj[e]);
	}
	p->out->nsteps = placed;
}

static int
valid(const struct learn_path_input *in)
{
	size_t i, k;
	const struct learn_path_course *c;

	if ((in->nlevels && !in->levels) || (in->ngoal && !in->goal) ||
	    (in->ncourses && !in->courses) ||
	    (in->ncompleted && !in->completed) ||
	    (in->nenrolled && !in->enrolled))
		return 0;
	if (in->ncourses > INT32_MAX)
		return 0;
	for (i = 0; i < in->nlevels; i++)
		if (!isfinite(in->levels[i].level))
			return 0;
	for (i = 0; i < in->ngoal; i++)
		if (!isfinite(in->goal[i].level))
			return 0;
	for (i = 0; i < in->ncourses; i++) {
		c = &in->courses[i];
		if (c->id == 0 || c->difficulty < 1 || c->difficulty > 3 ||
		    !isfinite(c->hours) || c->hours < 0 ||
		    (c->nteaches && !c->teaches) ||
		    (c->nprereq && !c->prereq) || (c->nneeds && !c->needs))
			return 0;
		for (k = 0; k < c->nteaches; k++)
			if (!isfinite(c->teaches[k].level) ||
			    c->teaches[k].level < 0)
				return 0;
		for (k = 0; k < c->nneeds; k++)
			if (!isfinite(c->needs[k].level))
				return 0;
	}
	return 1;
}

int
learn_path_plan(const struct learn_path_input *in, void *mem, size_t size,
    struct learn_path_result *out)
{
	struct plan p;
	size_t i, k, t, g;
	long n;
	double reach, to;
	char *base;

	memset(out, 0, sizeof(*out));
	if (in == NULL || mem == NULL || !valid(in) ||
	    size < learn_path_mem_size(in))
		return -1;
	memset(&p, 0, sizeof(p));
	p.in = in;
	p.out = out;
	base = (char *)(((uintptr_t)mem + 7) & ~(uintptr_t)7);
	layout(&p, in, base);

	for (i = 0; i < in->ncourses; i++) {
		p.ids[i].id = in->courses[i].id;
		p.ids[i].ix = (uint32_t)i;
		p.state[i] = ST_NONE;
		p.step_of[i] = -1;
		p.ehead[i] = -1;
		p.mark[i] = 0;
	}
	qsort(p.ids, in->ncourses, sizeof(*p.ids), cmp_byid);
	for (i = 1; i < in->ncourses; i++)
		if (p.ids[i].id == p.ids[i - 1].id)
			return -1;
	if (in->ncompleted)
		memcpy(p.done, in->completed, in->ncompleted * sizeof(int64_t));
	qsort(p.done, in->ncompleted, sizeof(int64_t), cmp_i64);
	if (in->nenrolled)
		memcpy(p.enr, in->enrolled, in->nenrolled * sizeof(int64_t));
	qsort(p.enr, in->nenrolled, sizeof(int64_t), cmp_i64);
	if (in->nlevels)
		memcpy(p.lv, in->levels, in->nlevels * sizeof(*p.lv));
	qsort(p.lv, in->nlevels, sizeof(*p.lv), cmp_level);
	for (i = t = 0; i < in->ncourses; i++)
		for (k = 0; k < in->courses[i].nteaches; k++, t++) {
			p.tc[t].skill = in->courses[i].teaches[k].skill;
			p.tc[t].course = (uint32_t)i;
			p.tc[t].k = (uint32_t)k;
		}
	qsort(p.tc, p.nt, sizeof(*p.tc), cmp_teach);

	for (g = 0; g < in->ngoal; g++)
		p.open[g] = level_of(&p, in->goal[g].skill) <
		    in->goal[g].level;
	cover(&p);
	closure(&p);

	/* Prerequisite courses alone decide a refusal; an edge for a skill
	 * minimum is then kept only if it closes no loop (when the course
	 * teaching the skill depends on the one in need, the need cannot
	 * come first and is not ordered). */
	for (i = 0; i < in->ncourses; i++)
		p.ehead[i] = -1;
	p.m = 0;
	for (i = 0; i < p.nr; i++)
		if (!p.rs[i])
			add_link(&p, p.rf[i], p.rt[i]);
	if (p.m > 0) {
		n = learn_graph_order(p.efrom, p.eto, p.m, p.gscratch,
		    p.gorder, out->cycle, &out->ncycle);
		if (n == -1) {
			out->status = LEARN_PATH_CYCLE;
			out->nsteps = 0;
			out->weeks = 0;
			return 0;
		}
		if (n < 0)
			return -1;
	}
	for (i = 0; i < p.nr; i++)
		if (p.rs[i] && !requires(&p, p.rt[i], p.rf[i]))
			add_link(&p, p.rf[i], p.rt[i]);
	out->ncycle = 0;
	order(&p);

	for (i = 0; i < out->nsteps; i++)
		out->total_hours += out->steps[i].hours;
	if (in->hours_per_week > 0 && isfinite(in->hours_per_week))
		out->weeks = (int)ceil(out->total_hours / in->hours_per_week -
		    1e-9);
	else
		out->weeks = -1;

	for (g = 0; g < in->ngoal; g++) {
		reach = level_of(&p, in->goal[g].skill);
		if (reach >= in->goal[g].level)
			continue;
		for (i = 0; i < out->nsteps; i++) {
			k = (size_t)course_ix(&p, out->steps[i].course);
			to = teaches_to(&in->courses[k], in->goal[g].skill);
			if (to > reach)
				reach = to;
		}
		if (reach >= in->goal[g].level)
			continue;
		out->gaps[out->ngaps].skill = in->goal[g].skill;
		out->gaps[out->ngaps].current = level_of(&p,
		    in->goal[g].skill);
		out->gaps[out->ngaps].target = in->goal[g].level;
		out->gaps[out->ngaps].reach = reach;
		out->ngaps++;
	}
	out->status = LEARN_PATH_OK;
	return 0;
}

static void
arrow(struct learn_text *t, const struct learn_names *names, int64_t skill,
    double from, double to)
{
	learn_text_name(t, names, LEARN_NAME_SKILL, skill);
	learn_text_printf(t, " ");
	learn_text_num(t, from);
	learn_text_printf(t, "\xe2\x86\x92");
	learn_text_num(t, to);
}

int
learn_path_step_format(const struct learn_path_step *s,
    const struct learn_names *names, char *buf, size_t size)
{
	struct learn_text t;
	int i, more;

	learn_text_init(&t, buf, size);
	switch (s->why) {
	case LEARN_PATH_BUILDS:
		learn_text_printf(&t, "builds ");
		for (i = 0; i < s->nbuilds; i++) {
			if (i > 0)
				learn_text_printf(&t, ", ");
			arrow(&t, names, s->builds[i].skill,
			    s->builds[i].from, s->builds[i].to);
		}
		more = s->nbuilds_all - s->nbuilds;
		if (more > 0)
			learn_text_printf(&t, ", and %d more skill%s", more,
			    more == 1 ? "" : "s");
		break;
	case LEARN_PATH_PREREQ_COURSE:
		learn_text_printf(&t, "prerequisite of ");
		learn_text_name(&t, names, LEARN_NAME_COURSE, s->for_course);
		break;
	case LEARN_PATH_PREREQ_SKILL:
		learn_text_printf(&t, "teaches ");
		arrow(&t, names, s->skill, s->from, s->to);
		learn_text_printf(&t, ", needed at ");
		learn_text_num(&t, s->need);
		learn_text_printf(&t, " by ");
		learn_text_name(&t, names, LEARN_NAME_COURSE, s->for_course);
		break;
	default:
		return -1;
	}
	return learn_text_len(&t);
}

int
learn_path_skipped_format(const struct learn_path_skipped *k,
    const struct learn_names *names, char *buf, size_t size)
{
	struct learn_text t;

	learn_text_init(&t, buf, size);
	learn_text_printf(&t, "skipped ");
	learn_text_name(&t, names, LEARN_NAME_COURSE, k->course);
	switch (k->why) {
	case LEARN_PATH_SKIP_COMPLETED:
		learn_text_printf(&t, ": already completed");
		break;
	case LEARN_PATH_SKIP_SKILL_MET:
		learn_text_printf(&t, ": ");
		learn_text_name(&t, names, LEARN_NAME_SKILL, k->skill);
		learn_text_printf(&t, " ");
		learn_text_num(&t, k->have);
		learn_text_printf(&t, " already meets ");
		learn_text_num(&t, k->need);
		break;
	default:
		return -1;
	}
	return learn_text_len(&t);
}

int
learn_path_gap_format(const struct learn_path_gap *g,
    const struct learn_names *names, char *buf, size_t size)
{
	struct learn_text t;

	learn_text_init(&t, buf, size);
	learn_text_printf(&t, "no course teaches ");
	learn_text_name(&t, names, LEARN_NAME_SKILL, g->skill);
	if (g->reach > g->current) {
		learn_text_printf(&t, " beyond ");
		learn_text_num(&t, g->reach);
	}
	learn_text_printf(&t, " (you are at ");
	learn_text_num(&t, g->current);
	learn_text_printf(&t, ", the goal is ");
	learn_text_num(&t, g->target);
	learn_text_printf(&t, ")");
	return learn_text_len(&t);
}
