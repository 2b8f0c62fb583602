/*
 * path: the learner's learning path (/path, POST /path/generate and
 * GET /api/v1/ai/learning-path, POST /api/v1/ai/generate-learning-path).
 *
 * The plan is liblearn's (learn_path_plan: greedy, explainable choice of
 * courses that close the goal's gaps, their prerequisite closure, a
 * topological order); this file loads its inputs, stores the result as a
 * new numbered snapshot with the sentence for every step, and shows any
 * version or the difference between two.
 *
 * Design decision: a path is never edited in place.  Generating again or
 * the weekly adjustment (src/jobs/path_adjust.c) inserts version n + 1
 * with the reason it was made and, in its notes, what changed against
 * version n, so a learner can always see why the plan moved.  The goal
 * row is locked while a version is written, so versions are consecutive.
 */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/arena.h"
#include "base/buf.h"
#include "db/db.h"
#include "http/view.h"
#include "learn/path.h"
#include "pages/adaptive.h"
#include "pages/pages.h"

struct named {
	int64_t		 id;
	const char	*name;
};

struct names {
	struct named	*course;
	size_t		 ncourse;
	struct named	*skill;
	size_t		 nskill;
};

static int
named_cmp(const void *a, const void *b)
{
	const struct named *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

static const char *
name_of(void *arg, int kind, int64_t id)
{
	const struct names *nm = arg;
	struct named key = { id, NULL }, *hit = NULL;

	if (kind == LEARN_NAME_COURSE && nm->ncourse > 0)
		hit = bsearch(&key, nm->course, nm->ncourse,
		    sizeof(key), named_cmp);
	else if (kind == LEARN_NAME_SKILL && nm->nskill > 0)
		hit = bsearch(&key, nm->skill, nm->nskill, sizeof(key),
		    named_cmp);
	return hit != NULL ? hit->name : NULL;
}

/* Rows of a (course id, x[, y]) statement ordered by course id, as index
 * ranges per course of the catalogue (courses sorted by id). */
static void
ranges(struct db *d, int n, const struct learn_path_course *c, size_t nc,
    size_t *first, size_t *count)
{
	size_t k = 0;
	int i;

	for (k = 0; k < nc; k++)
		first[k] = count[k] = 0;
	k = 0;
	for (i = 0; i < n; i++) {
		int64_t id = db_i64(d, i, 0);

		while (k < nc && c[k].id < id)
			k++;
		if (k == nc)
			break;
		if (c[k].id != id)
			continue;
		if (count[k] == 0)
			first[k] = (size_t)i;
		count[k]++;
	}
}

/* ---- the catalogue, kept per process ---------------------------------- */

/*
 * What the planner reads of the published catalogue (courses, what they
 * teach and need, their prerequisites, skill names: 2,000 courses and
 * ~10,000 rows in the bench).  A process keeps the last copy it loaded,
 * with the catalogue version it was loaded at (catalog_version,
 * migrations 032 and 035, which every change to those tables advances
 * when it commits), and loads again only when the version moved: a generation
 * then reads one number instead of five statements.  Threads share a copy
 * read-only; refs (under cat_mu) keeps a replaced copy alive until its
 * last reader releases it.  The copy lives in its own arena.
 */
struct catalog {
	struct arena			 a;	/* owns the copy, itself included */
	int64_t				 version;
	int				 refs;
	struct learn_path_course	*courses;	/* by id */
	size_t				 ncourses;
	struct names			 nm;
};

static pthread_mutex_t	 cat_mu = PTHREAD_MUTEX_INITIALIZER;
static struct catalog	*cat_cur;	/* the newest loaded, or NULL */

static void
catalog_free(struct catalog *c)
{
	struct arena a = c->a;

	arena_free(&a);
}

static void
catalog_release(struct catalog *c)
{
	int last;

	pthread_mutex_lock(&cat_mu);
	last = --c->refs == 0;
	pthread_mutex_unlock(&cat_mu);
	if (last)
		catalog_free(c);
}

/* The n rows at hand as (skill, level) pairs, from columns col and
 * col + 1. */
static struct learn_skill_level *
skill_levels(struct db *d, struct arena *a, int n, int col)
{
	struct learn_skill_level *v = arena_calloc(a, (size_t)n + 1,
	    sizeof(*v));
	int i;

	for (i = 0; i < n; i++) {
		v[i].skill = db_i64(d, i, col);
		v[i].level = db_dbl(d, i, col + 1);
	}
	return v;
}

/* Reads the catalogue into c (its arena; tmp for scratch): 0 or a
 * db_err. */
static int
catalog_load(struct db *d, struct arena *tmp, struct catalog *c)
{
	struct arena *a = &c->a;
	struct learn_path_course *cs;
	struct learn_skill_level *teach, *need;
	int64_t *pre;
	size_t nc, *f1, *c1, *f2, *c2, *f3, *c3, k;
	int n, i;

	if ((n = db_exec(d, STMT_PATH_SKILL_NAMES, 0, NULL)) < 0)
		return n;
	c->nm.skill = arena_calloc(a, (size_t)n + 1, sizeof(struct named));
	for (i = 0; i < n; i++) {
		c->nm.skill[i].id = db_i64(d, i, 0);
		c->nm.skill[i].name = arena_strdup(a, db_str(d, i, 1));
	}
	c->nm.nskill = (size_t)n;

	if ((n = db_exec(d, STMT_PATH_COURSES, 0, NULL)) < 0)
		return n;
	nc = (size_t)n;
	cs = arena_calloc(a, nc + 1, sizeof(*cs));
	c->nm.course = arena_calloc(a, nc + 1, sizeof(struct named));
	for (k = 0; k < nc; k++) {
		cs[k].id = db_i64(d, (int)k, 0);
		c->nm.course[k].id = cs[k].id;
		c->nm.course[k].name = arena_strdup(a, db_str(d, (int)k, 1));
		cs[k].hours = db_dbl(d, (int)k, 2);
		cs[k].difficulty = (int)db_i64(d, (int)k, 3);
	}
	c->nm.ncourse = nc;
	f1 = arena_calloc(tmp, nc + 1, sizeof(size_t));
	c1 = arena_calloc(tmp, nc + 1, sizeof(size_t));
	f2 = arena_calloc(tmp, nc + 1, sizeof(size_t));
	c2 = arena_calloc(tmp, nc + 1, sizeof(size_t));
	f3 = arena_calloc(tmp, nc + 1, sizeof(size_t));
	c3 = arena_calloc(tmp, nc + 1, sizeof(size_t));

	if ((n = db_exec(d, STMT_PATH_COURSE_SKILLS, 0, NULL)) < 0)
		return n;
	teach = skill_levels(d, a, n, 1);
	ranges(d, n, cs, nc, f1, c1);
	if ((n = db_exec(d, STMT_PATH_COURSE_PREREQS, 0, NULL)) < 0)
		return n;
	pre = arena_calloc(a, (size_t)n + 1, sizeof(*pre));
	for (i = 0; i < n; i++)
		pre[i] = db_i64(d, i, 1);
	ranges(d, n, cs, nc, f2, c2);
	if ((n = db_exec(d, STMT_PATH_COURSE_NEEDS, 0, NULL)) < 0)
		return n;
	need = skill_levels(d, a, n, 1);
	ranges(d, n, cs, nc, f3, c3);
	for (k = 0; k < nc; k++) {
		cs[k].teaches = teach + f1[k];
		cs[k].nteaches = c1[k];
		cs[k].prereq = pre + f2[k];
		cs[k].nprereq = c2[k];
		cs[k].needs = need + f3[k];
		cs[k].nneeds = c3[k];
	}
	c->courses = cs;
	c->ncourses = nc;
	return 0;
}

/*
 * The current catalogue into *out, referenced for the caller (who calls
 * catalog_release): the process's copy if it is of the database's
 * version, else a fresh one (kept if newer).  0 or a db_err.
 */
static int
catalog_get(struct db *d, struct arena *tmp, struct catalog **out)
{
	struct catalog *c, *old = NULL;
	struct arena ca;
	int64_t v;
	int n;

	*out = NULL;
	if ((n = db_exec(d, STMT_PATH_CATALOG_VERSION, 0, NULL)) < 0)
		return n;
	if (n != 1)
		return DB_HARD;
	v = db_i64(d, 0, 0);
	pthread_mutex_lock(&cat_mu);
	if (cat_cur != NULL && cat_cur->version == v) {
		cat_cur->refs++;
		*out = cat_cur;
	}
	pthread_mutex_unlock(&cat_mu);
	if (*out != NULL)
		return 0;
	arena_init(&ca, 256 * 1024);
	c = arena_calloc(&ca, 1, sizeof(*c));
	c->a = ca;
	c->version = v;
	c->refs = 1;
	if ((n = catalog_load(d, tmp, c)) < 0) {
		catalog_free(c);
		return n;
	}
	pthread_mutex_lock(&cat_mu);
	if (cat_cur == NULL || cat_cur->version < v) {
		if (cat_cur != NULL && --cat_cur->refs == 0)
			old = cat_cur;
		cat_cur = c;
		c->refs++;
	}
	pthread_mutex_unlock(&cat_mu);
	if (old != NULL)
		catalog_free(old);
	*out = c;
	return 0;
}

/* ---- planning --------------------------------------------------------- */

struct plan {
	struct learn_path_input		 in;
	struct learn_path_result	 res;
	struct names			 nm;
	struct learn_names		 ln;
	double				 hours_week;
	const char			*deadline;	/* "" = none */
	const char			*goal_json;
	int				 has_goal;
};

/*
 * Loads the learner's side of the planner's input for user, takes the
 * catalogue's from cat, and plans.  Locks the goal row (call inside a
 * transaction).  0 (p->has_goal 0 when the learner has no target), or a
 * db_err; -1 from the planner is reported as DB_HARD.
 */
static int
plan_load(struct db *d, struct arena *a, int64_t user,
    const struct catalog *cat, struct plan *p)
{
	struct learn_skill_level *lv, *goal;
	int64_t *done, *enr;
	size_t nd = 0, ne = 0, mem_sz;
	const char *par[1];
	struct buf g;
	int n, i;
	void *mem;

	memset(p, 0, sizeof(*p));
	par[0] = db_i64s(a, user);
	if ((n = db_exec(d, STMT_PATH_GOAL_LOCK, 1, par)) < 0)
		return n;
	p->hours_week = n > 0 ? db_dbl(d, 0, 0) : 5;
	p->deadline = n > 0 ? arena_strdup(a, db_str(d, 0, 1)) : "";
	if ((n = db_exec(d, STMT_PATH_GOAL_TARGETS, 1, par)) < 0)
		return n;
	goal = arena_calloc(a, (size_t)n + 1, sizeof(*goal));
	buf_init(&g);
	buf_printf(&g, "{\"hours_per_week\":%g,\"deadline\":", p->hours_week);
	if (p->deadline[0] != '\0')
		buf_printf(&g, "\"%s\"", p->deadline);
	else
		buf_puts(&g, "null");
	buf_puts(&g, ",\"targets\":[");
	for (i = 0; i < n; i++) {
		goal[i].skill = db_i64(d, i, 0);
		goal[i].level = db_dbl(d, i, 1);
		buf_printf(&g, "%s{\"skill_id\":%lld,\"target\":%g,\"name\":\"",
		    i ? "," : "", (long long)goal[i].skill, goal[i].level);
		buf_put_json(&g, db_str(d, i, 2), strlen(db_str(d, i, 2)));
		buf_puts(&g, "\"}");
	}
	buf_puts(&g, "]}");
	p->goal_json = arena_strdup(a, g.p);
	buf_free(&g);
	p->in.goal = goal;
	p->in.ngoal = (size_t)n;
	p->has_goal = n > 0;
	p->in.hours_per_week = p->hours_week;

	if ((n = db_exec(d, STMT_PATH_LEVELS, 1, par)) < 0)
		return n;
	lv = skill_levels(d, a, n, 0);
	p->in.levels = lv;
	p->in.nlevels = (size_t)n;

	if ((n = db_exec(d, STMT_PATH_ENROLMENTS, 1, par)) < 0)
		return n;
	done = arena_calloc(a, (size_t)n + 1, sizeof(*done));
	enr = arena_calloc(a, (size_t)n + 1, sizeof(*enr));
	for (i = 0; i < n; i++) {
		if (strcmp(db_str(d, i, 1), "completed") == 0)
			done[nd++] = db_i64(d, i, 0);
		else if (strcmp(db_str(d, i, 1), "active") == 0)
			enr[ne++] = db_i64(d, i, 0);
	}
	p->in.completed = done;
	p->in.ncompleted = nd;
	p->in.enrolled = enr;
	p->in.nenrolled = ne;

	p->in.courses = cat->courses;
	p->in.ncourses = cat->ncourses;
	p->nm = cat->nm;
	p->ln.name = name_of;
	p->ln.arg = &p->nm;
	if (!p->has_goal)
		return 0;
	mem_sz = learn_path_mem_size(&p->in);
	mem = arena_alloc(a, mem_sz);
	if (learn_path_plan(&p->in, mem, mem_sz, &p->res) == -1)
		return DB_HARD;
	return 0;
}

/* A formatter's sentence in the arena. */
#define SENTENCE(a, fn, x, names) ({					\
	char *s_ = arena_alloc((a), 512);				\
	if ((fn)((x), (names), s_, 512) < 0)				\
		s_[0] = '\0';						\
	s_; })

static const char *const why_code[LEARN_PATH_WHY__MAX] = {
	[LEARN_PATH_BUILDS] = "builds",
	[LEARN_PATH_PREREQ_COURSE] = "prereq_course",
	[LEARN_PATH_PREREQ_SKILL] = "prereq_skill",
};

/* The previous version's course ids, for the change notes: 1 (there is
 * one), 0 (none) or a db_err. */
static int
previous_courses(struct db *d, struct arena *a, int64_t user, int64_t **ids,
    size_t *n)
{
	const char *p[1];
	int r, i, m = 0;

	*ids = NULL;
	*n = 0;
	p[0] = db_i64s(a, user);
	if ((r = db_exec(d, STMT_PATH_PREV_COURSES, 1, p)) <= 0)
		return r;
	*ids = arena_calloc(a, (size_t)r + 1, sizeof(int64_t));
	for (i = 0; i < r; i++)
		if (db_i64(d, i, 0) != 0)
			(*ids)[m++] = db_i64(d, i, 0);
	*n = (size_t)m;
	return 1;
}

static int
has_id(const int64_t *ids, size_t n, int64_t id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (ids[i] == id)
			return 1;
	return 0;
}

/* One step of the JSON path_steps_insert reads. */
static void
step_json(struct buf *b, int pos, const char *kind, int64_t course,
    int64_t skill, const char *reason, const char *code, double hours)
{
	buf_printf(b, "%s{\"position\":%d,\"kind\":\"%s\",\"course_id\":",
	    pos > 1 ? "," : "", pos, kind);
	if (course > 0)
		buf_printf(b, "%lld", (long long)course);
	else
		buf_puts(b, "null");
	buf_puts(b, ",\"skill_id\":");
	if (skill > 0)
		buf_printf(b, "%lld", (long long)skill);
	else
		buf_puts(b, "null");
	buf_puts(b, ",\"reason\":\"");
	buf_put_json(b, reason, strlen(reason));
	buf_printf(b, "\",\"reason_code\":\"%s\",\"hours\":%.4f}", code, hours);
}

/* path_generate with the catalogue at hand. */
static int
generate_with(struct db *d, struct arena *a, const struct catalog *cat,
    int64_t user, const char *reason, const struct path_extra *extra,
    int *version, const char **msg)
{
	struct plan p;
	struct buf gaps, notes, steps;
	const char *par[8];
	int64_t *prev, pid;
	size_t nprev, k;
	int n, had_prev, pos = 0;

	*msg = NULL;
	*version = 0;
	if ((n = plan_load(d, a, user, cat, &p)) < 0)
		return n;
	if (!p.has_goal) {
		*msg = "Set a goal first: choose the skills and levels you "
		    "want to reach.";
		return 1;
	}
	if (p.res.status == LEARN_PATH_CYCLE) {
		struct buf b;

		buf_init(&b);
		buf_puts(&b, "These courses require each other in a circle, so "
		    "no order can satisfy them: ");
		for (k = 0; k < p.res.ncycle; k++) {
			const char *t = name_of(&p.nm, LEARN_NAME_COURSE,
			    p.res.cycle[k]);

			buf_printf(&b, "%s%s", k ? " → " : "", t ? t : "?");
		}
		buf_puts(&b, ". Ask the instructors to fix the "
		    "prerequisites.");
		*msg = arena_strdup(a, b.p);
		buf_free(&b);
		return 2;
	}
	if ((n = previous_courses(d, a, user, &prev, &nprev)) < 0)
		return n;
	had_prev = n > 0;
	buf_init(&gaps);
	buf_init(&notes);
	buf_putc(&gaps, '[');
	for (k = 0; k < p.res.ngaps; k++) {
		const char *s = SENTENCE(a, learn_path_gap_format,
		    &p.res.gaps[k], &p.ln);

		buf_printf(&gaps, "%s{\"skill_id\":%lld,\"current\":%.4g,"
		    "\"target\":%.4g,\"reach\":%.4g,\"text\":\"", k ? "," : "",
		    (long long)p.res.gaps[k].skill, p.res.gaps[k].current,
		    p.res.gaps[k].target, p.res.gaps[k].reach);
		buf_put_json(&gaps, s, strlen(s));
		buf_puts(&gaps, "\"}");
	}
	buf_putc(&gaps, ']');
	buf_putc(&notes, '[');
	for (k = 0; k < p.res.nskipped; k++) {
		const char *s = SENTENCE(a, learn_path_skipped_format,
		    &p.res.skipped[k], &p.ln);

		buf_printf(&notes, "%s{\"kind\":\"skipped\",\"course_id\":"
		    "%lld,\"text\":\"", pos++ ? "," : "",
		    (long long)p.res.skipped[k].course);
		buf_put_json(&notes, s, strlen(s));
		buf_puts(&notes, "\"}");
	}
	if (had_prev) {
		for (k = 0; k < p.res.nsteps; k++) {
			const char *t;

			if (has_id(prev, nprev, p.res.steps[k].course))
				continue;
			t = name_of(&p.nm, LEARN_NAME_COURSE,
			    p.res.steps[k].course);
			buf_printf(&notes, "%s{\"kind\":\"added\",\"course_id\":"
			    "%lld,\"text\":\"added ", pos++ ? "," : "",
			    (long long)p.res.steps[k].course);
			buf_put_json(&notes, t ? t : "?", strlen(t ? t : "?"));
			buf_puts(&notes, "\"}");
		}
		for (k = 0; k < nprev; k++) {
			size_t j;
			const char *t;

			for (j = 0; j < p.res.nsteps; j++)
				if (p.res.steps[j].course == prev[k])
					break;
			if (j < p.res.nsteps)
				continue;
			t = name_of(&p.nm, LEARN_NAME_COURSE, prev[k]);
			buf_printf(&notes, "%s{\"kind\":\"removed\",\"course_id\":"
			    "%lld,\"text\":\"removed ", pos++ ? "," : "",
			    (long long)prev[k]);
			buf_put_json(&notes, t ? t : "a course that is no "
			    "longer published", strlen(t ? t : "a course that "
			    "is no longer published"));
			buf_puts(&notes, "\"}");
		}
	}
	if (extra != NULL)
		for (k = 0; k < extra->nnotes; k++) {
			buf_printf(&notes, "%s{\"kind\":\"adjusted\",\"text\":\"",
			    pos++ ? "," : "");
			buf_put_json(&notes, extra->notes[k],
			    strlen(extra->notes[k]));
			buf_puts(&notes, "\"}");
		}
	buf_putc(&notes, ']');
	par[0] = db_i64s(a, user);
	par[1] = reason;
	par[2] = p.goal_json;
	par[3] = arena_printf(a, "%.4f", p.res.total_hours +
	    (extra != NULL ? extra->extra_hours : 0));
	par[4] = arena_printf(a, "%d", p.res.weeks < 0 ? 0 : p.res.weeks);
	par[5] = arena_strdup(a, gaps.p);
	par[6] = arena_strdup(a, notes.p);
	par[7] = PATH_MODEL_VERSION;
	buf_free(&gaps);
	buf_free(&notes);
	if ((n = db_exec(d, STMT_PATH_INSERT, 8, par)) <= 0)
		return n < 0 ? n : DB_HARD;
	pid = db_i64(d, 0, 0);
	*version = (int)db_i64(d, 0, 1);
	pos = 0;
	buf_init(&steps);
	buf_putc(&steps, '[');
	if (extra != NULL)
		for (k = 0; k < extra->nsteps && k < PATH_EXTRA_MAX; k++) {
			const struct path_extra_step *x = &extra->steps[k];

			step_json(&steps, ++pos, x->kind, x->course, x->skill,
			    x->reason, x->code, x->hours);
		}
	for (k = 0; k < p.res.nsteps; k++) {
		const struct learn_path_step *s = &p.res.steps[k];

		step_json(&steps, ++pos, "course", s->course,
		    s->why == LEARN_PATH_PREREQ_SKILL ? s->skill :
		    s->nbuilds > 0 ? s->builds[0].skill : 0,
		    SENTENCE(a, learn_path_step_format, s, &p.ln),
		    s->why >= 0 && s->why < LEARN_PATH_WHY__MAX ?
		    why_code[s->why] : "builds", s->hours);
	}
	buf_putc(&steps, ']');
	par[0] = db_i64s(a, pid);
	par[1] = arena_strdup(a, steps.p);
	buf_free(&steps);
	if (pos > 0 && (n = db_exec(d, STMT_PATH_STEPS_INSERT, 2, par)) < 0)
		return n;
	return 0;
}

int
path_generate(struct db *d, struct arena *a, int64_t user,
    const char *reason, const struct path_extra *extra, int *version,
    const char **msg)
{
	struct catalog *cat;
	int n;

	if ((n = catalog_get(d, a, &cat)) < 0)
		return n;
	n = generate_with(d, a, cat, user, reason, extra, version, msg);
	catalog_release(cat);
	return n;
}

/* ---- pages -------------------------------------------------------------- */

/* Generates in a transaction of its own: status 200 (version set), or a
 * 4xx/5xx with *msg. */
static int
generate(struct req *r, int *version, const char **msg)
{
	int n;

	if (db_begin(r->db) == -1) {
		*msg = "Try again shortly.";
		return 503;
	}
	n = path_generate(r->db, r->a, r->user.id, "generated at your "
	    "request", NULL, version, msg);
	if (n == 0)
		n = rec_mark_stale(r);
	if (n != 0) {
		db_rollback(r->db);
		if (n > 0)
			return n == 1 ? 409 : 422;
		*msg = "Your path could not be generated; try again shortly.";
		return page_db_status(n);
	}
	if ((n = db_commit(r->db)) < 0) {
		*msg = "Try again shortly.";
		return page_db_status(n);
	}
	return 200;
}

static void
html(struct buf *b, const char *s)
{
	buf_put_html(b, s != NULL ? s : "", s != NULL ? strlen(s) : 0);
}

struct pstep {
	int64_t		 course, skill;
	const char	*kind, *title, *reason, *code, *enrol;
	double		 hours;
	long		 nlessons, ndone;
};

struct pver {
	int64_t		 id;
	int		 version;
	const char	*reason, *created, *gaps, *notes, *model, *goal;
	double		 hours;
	int		 weeks;
	int64_t		 created_at;
	struct pstep	*steps;
	int		 nsteps;
};

/* Version v (0 = newest) with its steps: 1, 0 (none), or a db_err. */
static int
version_load(struct req *r, int v, struct pver *out)
{
	const char *p[2];
	int n, i;

	memset(out, 0, sizeof(*out));
	p[0] = db_i64s(r->a, r->user.id);
	p[1] = db_i64s(r->a, v);
	if ((n = db_exec(r->db, STMT_PATH_GET, 2, p)) <= 0)
		return n;
	out->id = db_i64(r->db, 0, 0);
	out->version = (int)db_i64(r->db, 0, 1);
	out->reason = arena_strdup(r->a, db_str(r->db, 0, 2));
	out->created = arena_strdup(r->a, db_str(r->db, 0, 3));
	out->hours = db_dbl(r->db, 0, 4);
	out->weeks = (int)lround(db_dbl(r->db, 0, 5));
	out->gaps = arena_strdup(r->a, db_str(r->db, 0, 6));
	out->notes = arena_strdup(r->a, db_str(r->db, 0, 7));
	out->model = arena_strdup(r->a, db_str(r->db, 0, 8));
	out->goal = arena_strdup(r->a, db_str(r->db, 0, 9));
	out->created_at = db_i64(r->db, 0, 10);
	p[0] = db_i64s(r->a, out->id);
	p[1] = db_i64s(r->a, r->user.id);
	if ((n = db_exec(r->db, STMT_PATH_STEPS, 2, p)) < 0)
		return n;
	out->steps = arena_calloc(r->a, (size_t)n + 1, sizeof(struct pstep));
	for (i = 0; i < n; i++) {
		struct pstep *s = &out->steps[i];

		s->kind = arena_strdup(r->a, db_str(r->db, i, 1));
		s->course = db_i64(r->db, i, 2);
		s->title = arena_strdup(r->a, db_str(r->db, i, 3));
		s->reason = arena_strdup(r->a, db_str(r->db, i, 4));
		s->code = arena_strdup(r->a, db_str(r->db, i, 5));
		s->hours = db_dbl(r->db, i, 6);
		s->enrol = arena_strdup(r->a, db_str(r->db, i, 7));
		s->nlessons = (long)db_i64(r->db, i, 8);
		s->ndone = (long)db_i64(r->db, i, 9);
		s->skill = db_i64(r->db, i, 10);
	}
	out->nsteps = n;
	return 1;
}

static const char *
step_status(const struct pstep *s)
{
	if (strcmp(s->enrol, "completed") == 0)
		return "completed";
	if (strcmp(s->enrol, "active") == 0)
		return s->ndone > 0 ? "in progress" : "enrolled";
	return "not started";
}

/* The "text" members of a JSON array of objects, as <li>s. */
static void
json_texts_html(struct buf *b, const char *json)
{
	json_t *root, *o;
	size_t i;

	if ((root = json_loads(json, 0, NULL)) == NULL)
		return;
	json_array_foreach(root, i, o) {
		const char *t = json_string_value(json_object_get(o, "text"));

		if (t == NULL)
			continue;
		buf_puts(b, "<li>");
		html(b, t);
		buf_puts(b, "</li>\n");
	}
	json_decref(root);
}

static int
path_page(struct req *r, const char *error, int status)
{
	struct view *v = view_new(r->a);
	struct pver cur, other;
	struct buf b;
	const char *p[1];
	int n, i, j, want = 0, cmp = 0, st;

	/* POST /path/generate shows this page without the version fields. */
	if (r->form.n == F_PATHV__MAX) {
		if (r->form.present[F_PATHV_VERSION])
			want = (int)r->form.i64[F_PATHV_VERSION];
		if (r->form.present[F_PATHV_COMPARE])
			cmp = (int)r->form.i64[F_PATHV_COMPARE];
	}
	if ((n = version_load(r, want, &cur)) < 0)
		return page_db_status(n);
	if (n == 0 && want != 0)
		return http_error(r, 404, "No such version of your path.");
	view_set(v, "csrf", r->csrf);
	if (error != NULL) {
		r->flash = error;
	}
	view_set_bool(v, "has_path", n > 0);
	if (n > 0) {
		view_set_int(v, "version", cur.version);
		view_set(v, "reason", cur.reason);
		view_set(v, "created", cur.created);
		view_setf(v, "hours", "%.1f", cur.hours);
		view_set_int(v, "weeks", cur.weeks);
		view_set_int(v, "nsteps", cur.nsteps);
		buf_init(&b);
		for (i = 0; i < cur.nsteps; i++) {
			const struct pstep *s = &cur.steps[i];

			buf_printf(&b, "<li class=\"step step-%s\">", s->kind);
			if (s->course != 0) {
				buf_printf(&b, "<a href=\"/courses/%lld\">",
				    (long long)s->course);
				html(&b, s->title);
				buf_puts(&b, "</a>");
			} else
				buf_puts(&b, "<strong>Revision</strong>");
			buf_printf(&b, " <span class=\"muted\">(%.1f h, %s)"
			    "</span><br><span class=\"why\">Why: ",
			    s->hours, step_status(s));
			html(&b, s->reason);
			buf_puts(&b, "</span></li>\n");
		}
		view_set_raw(v, "steps", b.p != NULL ? b.p : "");
		buf_free(&b);
		buf_init(&b);
		json_texts_html(&b, cur.gaps);
		view_set_raw(v, "gaps", b.p != NULL ? b.p : "");
		buf_free(&b);
		buf_init(&b);
		json_texts_html(&b, cur.notes);
		view_set_raw(v, "notes", b.p != NULL ? b.p : "");
		buf_free(&b);
	}
	/* Versions, newest first, with links to view and compare. */
	p[0] = db_i64s(r->a, r->user.id);
	if ((n = db_exec(r->db, STMT_PATH_VERSIONS, 1, p)) < 0)
		return page_db_status(n);
	buf_init(&b);
	for (i = 0; i < n; i++) {
		int ver = (int)db_i64(r->db, i, 0);

		buf_printf(&b, "<tr><th scope=\"row\"><a href=\"/path?version="
		    "%d\">Version %d</a></th><td>", ver, ver);
		html(&b, db_str(r->db, i, 2));
		buf_puts(&b, "</td><td>");
		html(&b, db_str(r->db, i, 1));
		buf_printf(&b, "</td><td>%lld</td><td>%.1f</td><td>",
		    (long long)db_i64(r->db, i, 4), db_dbl(r->db, i, 3));
		if (ver != cur.version)
			buf_printf(&b, "<a href=\"/path?version=%d&amp;compare="
			    "%d\">compare with %d</a>", cur.version, ver, ver);
		buf_puts(&b, "</td></tr>\n");
	}
	view_set_raw(v, "versions", b.p != NULL ? b.p : "");
	buf_free(&b);
	if (cmp != 0 && cur.version != 0) {
		if ((n = version_load(r, cmp, &other)) < 0)
			return page_db_status(n);
		if (n == 0)
			return http_error(r, 404, "No such version to compare "
			    "with.");
		buf_init(&b);
		buf_printf(&b, "<h3>Version %d against version %d</h3>\n<ul>\n",
		    cur.version, other.version);
		for (i = 0; i < cur.nsteps; i++) {
			for (j = 0; j < other.nsteps; j++)
				if (other.steps[j].course == cur.steps[i].course &&
				    strcmp(other.steps[j].kind,
				    cur.steps[i].kind) == 0)
					break;
			if (j == other.nsteps) {
				buf_puts(&b, "<li>Added: ");
				html(&b, cur.steps[i].course ?
				    cur.steps[i].title : cur.steps[i].reason);
				buf_puts(&b, "</li>\n");
			} else if (j != i) {
				buf_puts(&b, "<li>Moved: ");
				html(&b, cur.steps[i].title);
				buf_printf(&b, " (step %d, was %d)</li>\n", i + 1,
				    j + 1);
			}
		}
		for (j = 0; j < other.nsteps; j++) {
			for (i = 0; i < cur.nsteps; i++)
				if (other.steps[j].course == cur.steps[i].course &&
				    strcmp(other.steps[j].kind,
				    cur.steps[i].kind) == 0)
					break;
			if (i == cur.nsteps) {
				buf_puts(&b, "<li>Removed: ");
				html(&b, other.steps[j].course ?
				    other.steps[j].title :
				    other.steps[j].reason);
				buf_puts(&b, "</li>\n");
			}
		}
		buf_printf(&b, "<li>Total: %.1f h (was %.1f h)</li>\n</ul>\n",
		    cur.hours, other.hours);
		view_set_raw(v, "compare", b.p);
		buf_free(&b);
	}
	st = http_page_nav(r, TMPL_PATH, v, "Your learning path",
	    TMPL_NAV_PATH);
	if (st == 200 && status != 200)
		st = status;
	return st;
}

int
page_path(struct req *r)
{
	return path_page(r, NULL, 200);
}

int
page_path_generate(struct req *r)
{
	const char *msg = NULL;
	int version, st;

	st = generate(r, &version, &msg);
	if (st >= 500)
		return http_error(r, st, msg);
	if (st != 200)
		return path_page(r, msg, st);
	return http_redirect(r, "/path?generated=1");
}

static void
version_json(struct req *r, const struct pver *pv)
{
	int i;

	json_i64(r, "version", pv->version);
	json_str(r, "reason", pv->reason);
	json_str(r, "created_at", pv->created);
	json_str(r, "model_version", pv->model);
	json_dbl(r, "total_hours", pv->hours);
	json_i64(r, "weeks", pv->weeks);
	json_raw(r, "goal", pv->goal);
	json_arr_begin(r, "steps");
	for (i = 0; i < pv->nsteps; i++) {
		const struct pstep *s = &pv->steps[i];

		json_obj_begin(r, NULL);
		json_i64(r, "position", i + 1);
		json_str(r, "kind", s->kind);
		if (s->course != 0) {
			json_i64(r, "course_id", s->course);
			json_str(r, "title", s->title);
		}
		if (s->skill != 0)
			json_i64(r, "skill_id", s->skill);
		json_str(r, "reason", s->reason);
		json_str(r, "reason_code", s->code);
		json_dbl(r, "hours", s->hours);
		json_str(r, "status", step_status(s));
		json_obj_end(r);
	}
	json_arr_end(r);
	json_raw(r, "remaining_gaps", pv->gaps);
	json_raw(r, "notes", pv->notes);
}

int
page_api_path(struct req *r)
{
	struct pver pv;
	int n, want = 0;

	if (r->form.nerr > 0)
		return http_error(r, 400, http_form_error(&r->form));
	if (r->form.present[F_PATHV_VERSION])
		want = (int)r->form.i64[F_PATHV_VERSION];
	if ((n = version_load(r, want, &pv)) < 0)
		return http_error(r, page_db_status(n), "Try again shortly.");
	if (n == 0)
		return http_error(r, 404, want ? "No such version of your "
		    "path." : "No learning path yet: set a goal, then "
		    "generate one.");
	json_begin(r);
	version_json(r, &pv);
	json_end(r);
	return http_json(r, 200);
}

int
page_api_path_generate(struct req *r)
{
	struct pver pv;
	const char *msg = NULL;
	int version, st, n;

	st = generate(r, &version, &msg);
	if (st != 200)
		return http_error(r, st, msg);
	if ((n = version_load(r, version, &pv)) <= 0)
		return http_error(r, n < 0 ? page_db_status(n) : 500,
		    "Try again shortly.");
	json_begin(r);
	version_json(r, &pv);
	json_end(r);
	return http_json(r, 201);
}
