/*
 * recommend: what the site suggests a learner does next, and why
 * (GET /api/v1/ai/recommendations, POST .../{id}/action and the
 * dashboard's list), plus the struggle check every answer runs.
 *
 * The rules are liblearn's (src/learn/recommend.c): next lesson of the
 * path, revision of weak skills, reviews whose recall fell below the
 * learner's retention, a difficulty change, and struggle detection.  This
 * file gathers their inputs, stores each candidate with its sentence, the
 * numbers it came from and the model version, and records what the
 * learner does with it.
 *
 * Design decisions.  Candidates are recomputed when a learner's page asks
 * for them and they are stale (an action marked them) or older than
 * REFRESH_S, not on every request, so a dashboard costs reads.  One
 * candidate is "featured": the bandit (Thompson sampling over kinds,
 * site-wide Beta posteriors in recommendation_bandit) picks it once enough
 * rewards exist, and may deviate from the rules' first choice on at most
 * explore_share of decisions (recommendation_bandit_budget); before that
 * the rules decide.  Rewards: a skip or dismissal 0 at once; an acceptance
 * is judged later: 1 if the learner then did the thing (completed the
 * lesson, reviewed, answered the skill right, passed a quiz), 0.5 if a week
 * passed without it.  Struggle detection runs inside the answer's
 * transaction (srs_... / attempt_answer), so it fires on the answer that
 * shows it, once.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/log.h"
#include "db/db.h"
#include "learn/fsrs.h"
#include "learn/recommend.h"
#include "learn/rng.h"
#include "pages/adaptive.h"
#include "pages/pages.h"

#define REFRESH_S	300
#define MAXCAND		24

const char *const page_rec_actions[] = { "accept", "skip", "dismiss", NULL };
static const char *const action_status[] = { "accepted", "skipped",
    "dismissed" };

static const char *const kind_name[LEARN_REC__MAX] = {
	[LEARN_REC_NEXT_LESSON] = "next_lesson",
	[LEARN_REC_REVISE_SKILL] = "revision",
	[LEARN_REC_REVIEW_DUE] = "review",
	[LEARN_REC_DIFFICULTY] = "difficulty",
	[LEARN_REC_STRUGGLE] = "struggling",
};

static const char *const level_name[4] = { "", "beginner", "intermediate",
    "advanced" };

static int
kind_parse(const char *s)
{
	int k;

	for (k = 0; k < LEARN_REC__MAX; k++)
		if (strcmp(s, kind_name[k]) == 0)
			return k;
	return -1;
}

/* ---- names for the sentences ------------------------------------------ */

struct named {
	int64_t		 id;
	int		 kind;
	const char	*name;
};

struct names {
	struct named	*v;
	size_t		 n, cap;
	struct arena	*a;
};

static void
names_add(struct names *nm, int kind, int64_t id, const char *name)
{
	if (nm->n == nm->cap) {
		size_t cap = nm->cap ? 2 * nm->cap : 64;
		struct named *v = arena_calloc(nm->a, cap, sizeof(*v));

		if (nm->n > 0)
			memcpy(v, nm->v, nm->n * sizeof(*v));
		nm->v = v;
		nm->cap = cap;
	}
	nm->v[nm->n].id = id;
	nm->v[nm->n].kind = kind;
	nm->v[nm->n].name = arena_strdup(nm->a, name);
	nm->n++;
}

static const char *
name_of(void *arg, int kind, int64_t id)
{
	const struct names *nm = arg;
	size_t i;

	for (i = 0; i < nm->n; i++)
		if (nm->v[i].id == id && nm->v[i].kind == kind)
			return nm->v[i].name;
	return NULL;
}

/* Loads the names of skills ids[0..n) into nm. */
static int
skill_names(struct req *r, struct names *nm, const int64_t *ids, size_t n)
{
	struct buf b;
	const char *p[1];
	size_t i;
	int m, k;

	if (n == 0)
		return 0;
	buf_init(&b);
	buf_putc(&b, '{');
	for (i = 0; i < n; i++)
		buf_printf(&b, "%s%lld", i ? "," : "", (long long)ids[i]);
	buf_putc(&b, '}');
	p[0] = arena_strdup(r->a, b.p);
	buf_free(&b);
	if ((m = db_exec(r->db, STMT_REC_SKILL_NAMES, 1, p)) < 0)
		return m;
	for (k = 0; k < m; k++)
		names_add(nm, LEARN_NAME_SKILL, db_i64(r->db, k, 0),
		    db_str(r->db, k, 1));
	return 0;
}

/* ---- struggle detection on an answer ---------------------------------- */

int
rec_struggle_on_answer(struct req *r)
{
	struct learn_rec_params rp;
	struct learn_answer a[30];
	struct learn_struggle ev[LEARN_STRUGGLE__MAX];
	struct names nm = { NULL, 0, 0, r->a };
	struct learn_names ln = { name_of, &nm };
	const char *p[8];
	int n, i, ne;
	int64_t skills[LEARN_STRUGGLE__MAX];
	char sentence[256];

	learn_rec_params_default(&rp);
	p[0] = db_i64s(r->a, r->user.id);
	if ((n = db_exec(r->db, STMT_REC_RECENT_ANSWERS, 1, p)) < 0)
		return n;
	if (n > 30)
		n = 30;
	for (i = 0; i < n; i++) {
		a[i].skill = db_i64(r->db, i, 0);
		a[i].item = db_i64(r->db, i, 1);
		a[i].quiz = db_i64(r->db, i, 2);
		a[i].attempt = db_i64(r->db, i, 3);
		a[i].attempt_no = (int)db_i64(r->db, i, 4);
		a[i].quiz_passed = db_bool(r->db, i, 5);
		a[i].correct = db_bool(r->db, i, 6);
		a[i].response_ms = (long)db_i64(r->db, i, 7);
		a[i].item_mean_ms = (long)db_i64(r->db, i, 8);
		a[i].at = db_i64(r->db, i, 9);
	}
	ne = learn_struggle_answers(&rp, a, (size_t)n, ev);
	if (ne <= 0)
		return 0;
	for (i = 0; i < ne; i++)
		skills[i] = ev[i].skill;
	if ((n = skill_names(r, &nm, skills, (size_t)ne)) < 0)
		return n;
	for (i = 0; i < ne; i++) {
		const char *sk = name_of(&nm, LEARN_NAME_SKILL, ev[i].skill);
		const char *title;

		if (learn_struggle_format(&ev[i], &ln, sentence,
		    sizeof(sentence)) < 0)
			continue;
		title = sk != NULL ? arena_printf(r->a, "Get unstuck on %s",
		    sk) : "Take a step back";
		p[1] = NULL;
		p[2] = NULL;
		p[3] = ev[i].skill > 0 ? db_i64s(r->a, ev[i].skill) : NULL;
		p[4] = title;
		p[5] = arena_strdup(r->a, sentence);
		p[6] = arena_printf(r->a, "{\"rule\":%d,\"skill_id\":%lld,"
		    "\"item_id\":%lld,\"quiz_id\":%lld,\"n\":%ld,\"x\":%.4g,"
		    "\"since\":%lld}", ev[i].rule, (long long)ev[i].skill,
		    (long long)ev[i].item, (long long)ev[i].quiz, ev[i].n,
		    isfinite(ev[i].x) ? ev[i].x : 0, (long long)ev[i].since);
		p[7] = REC_MODEL_VERSION;
		if ((n = db_exec(r->db, STMT_REC_STRUGGLE_INSERT, 8, p)) < 0)
			return n;
		if (n == 1) {
			const char *q[3];

			q[0] = p[0];
			q[1] = arena_printf(r->a, "%s: %s.", title, sentence);
			q[2] = "/dashboard#recommendations";
			if ((n = db_exec(r->db, STMT_REC_NOTIFY, 3, q)) < 0)
				return n;
		}
	}
	return 0;
}

int
rec_struggle_after_answer(struct req *r, int64_t aid, int correct, long ms,
    long item_ms, int first)
{
	struct learn_rec_params rp;
	struct learn_answer z;

	learn_rec_params_default(&rp);
	memset(&z, 0, sizeof(z));
	z.quiz = aid;	/* any quiz: the attempt rule stays possible */
	z.attempt = aid;
	z.correct = correct;
	z.response_ms = ms;
	z.item_mean_ms = item_ms;
	if (!learn_struggle_possible(&rp, &z, first))
		return 0;
	return rec_struggle_on_answer(r);
}

/* ---- refreshing the candidates ---------------------------------------- */

struct seq {
	struct learn_rec_step	*steps;
	int64_t			*course;
	size_t			 n;
	struct learn_lesson_touch *touch;
	size_t			 ntouch;
};

static int
load_sequence(struct req *r, struct names *nm, struct seq *s)
{
	const char *p[1];
	int n, i;

	p[0] = db_i64s(r->a, r->user.id);
	if ((n = db_exec(r->db, STMT_REC_SEQUENCE, 1, p)) < 0)
		return n;
	s->steps = arena_calloc(r->a, (size_t)n + 1, sizeof(*s->steps));
	s->course = arena_calloc(r->a, (size_t)n + 1, sizeof(int64_t));
	s->touch = arena_calloc(r->a, (size_t)n + 1, sizeof(*s->touch));
	s->ntouch = 0;
	for (i = 0; i < n; i++) {
		const char *pre = db_str(r->db, i, 2);
		int64_t *ids = NULL;
		size_t np = 0;

		s->steps[i].lesson = db_i64(r->db, i, 0);
		s->steps[i].done = db_bool(r->db, i, 1);
		if (pre[0] != '\0') {
			const char *c;
			char *end;

			np = 1;
			for (c = pre; *c; c++)
				np += *c == ',';
			ids = arena_calloc(r->a, np, sizeof(*ids));
			np = 0;
			for (c = pre; *c; c = *end ? end + 1 : end) {
				ids[np++] = strtoll(c, &end, 10);
				if (end == c)
					break;
			}
		}
		s->steps[i].prereq = ids;
		s->steps[i].nprereq = np;
		s->course[i] = db_i64(r->db, i, 3);
		names_add(nm, LEARN_NAME_LESSON, s->steps[i].lesson,
		    db_str(r->db, i, 4));
		if (db_bool(r->db, i, 6)) {
			s->touch[s->ntouch].lesson = s->steps[i].lesson;
			s->touch[s->ntouch].last = db_i64(r->db, i, 5);
			s->ntouch++;
		}
	}
	s->n = (size_t)n;
	return 0;
}

/* The candidates from every rule into c[0..MAXCAND): count or db_err. */
static int
candidates(struct req *r, struct names *nm, struct seq *sq,
    struct learn_rec *c, int64_t prev)
{
	struct learn_rec_params rp;
	struct learn_fsrs_params fp;
	struct learn_rec_mastery *m;
	struct learn_rec_score *sc;
	struct learn_rec_card *cards;
	struct learn_struggle ev[8];
	double scores[5], retention = 0.9;
	int64_t *skills;
	size_t nc = 0, nsk = 0, k, ni;
	const char *p[1];
	int n, i, nm_, ns, level = 1;
	int64_t last;

	learn_rec_params_default(&rp);
	learn_fsrs_params_default(&fp);
	p[0] = db_i64s(r->a, r->user.id);
	if ((n = load_sequence(r, nm, sq)) < 0)
		return n;
	if (learn_rec_next_lesson(sq->steps, sq->n, NULL, 0, &c[nc]) == 1) {
		if (c[nc].total == 0)
			c[nc].total = (long)sq->n;
		nc++;
	}
	if ((nm_ = db_exec(r->db, STMT_REC_MASTERY, 1, p)) < 0)
		return nm_;
	m = arena_calloc(r->a, (size_t)nm_ + 1, sizeof(*m));
	for (i = 0; i < nm_; i++) {
		m[i].skill = db_i64(r->db, i, 0);
		m[i].p_known = db_dbl(r->db, i, 1);
	}
	if ((ns = db_exec(r->db, STMT_REC_SKILL_SCORES, 1, p)) < 0)
		return ns;
	sc = arena_calloc(r->a, (size_t)ns + 1, sizeof(*sc));
	for (i = 0; i < ns; i++) {
		sc[i].skill = db_i64(r->db, i, 0);
		sc[i].score = db_dbl(r->db, i, 1);
		sc[i].at = db_i64(r->db, i, 2);
	}
	k = learn_rec_revision(&rp, m, (size_t)nm_, sc, (size_t)ns, c + nc,
	    3);
	nc += k > 3 ? 3 : k;
	if ((n = db_exec(r->db, STMT_SRS_SETTINGS, 1, p)) < 0)
		return n;
	if (n > 0)
		retention = db_dbl(r->db, 0, 0);
	if ((n = db_exec(r->db, STMT_REC_CARDS, 1, p)) < 0)
		return n;
	cards = arena_calloc(r->a, (size_t)n + 1, sizeof(*cards));
	for (i = 0; i < n; i++) {
		cards[i].item = db_i64(r->db, i, 0);
		cards[i].stability = db_dbl(r->db, i, 1);
		cards[i].last_review = db_i64(r->db, i, 2);
	}
	if (learn_rec_review(&fp, cards, (size_t)n, r->now, retention,
	    &c[nc]) == 1)
		nc++;
	if ((n = db_exec(r->db, STMT_REC_RECENT_SCORES, 1, p)) < 0)
		return n;
	if (n > 5)
		n = 5;
	for (i = 0; i < n; i++)		/* newest first -> in order */
		scores[n - 1 - i] = db_dbl(r->db, i, 0) / 100.0;
	ns = n;
	if ((n = db_exec(r->db, STMT_REC_CURRENT_LEVEL, 1, p)) < 0)
		return n;
	if (n > 0)
		level = (int)db_i64(r->db, 0, 0);
	if (learn_rec_difficulty(&rp, scores, (size_t)ns, level,
	    &c[nc]) == 1)
		nc++;
	/* Stalled lessons and inactivity since the last check. */
	if ((n = db_exec(r->db, STMT_REC_LAST_ACTIVITY, 1, p)) < 0)
		return n;
	last = db_i64(r->db, 0, 0);
	ni = learn_struggle_idle(&rp, sq->touch, sq->ntouch, last, prev,
	    r->now, ev, 8);
	for (k = 0; k < ni && k < 8 && nc < MAXCAND; k++) {
		c[nc].kind = LEARN_REC_STRUGGLE;
		c[nc].reason = -1 - ev[k].rule;	/* marks a struggle */
		c[nc].item = ev[k].item;
		c[nc].n = ev[k].n;
		c[nc].score = 0.9;
		nc++;
	}
	/* Names of the skills the candidates mention. */
	skills = arena_calloc(r->a, nc + 1, sizeof(*skills));
	for (k = 0; k < nc; k++)
		if (c[k].kind == LEARN_REC_REVISE_SKILL)
			skills[nsk++] = c[k].item;
	if ((n = skill_names(r, nm, skills, nsk)) < 0)
		return n;
	learn_rec_rank(c, nc);
	return (int)nc;
}

/* Title, links and JSON inputs of a candidate. */
static void
describe(struct req *r, const struct learn_rec *c, const struct names *nm,
    const struct seq *sq, const char **title, int64_t *course,
    int64_t *lesson, int64_t *skill, const char **inputs)
{
	const char *nmx;
	size_t i;

	*course = *lesson = *skill = 0;
	switch (c->kind) {
	case LEARN_REC_NEXT_LESSON:
		*lesson = c->item;
		for (i = 0; i < sq->n; i++)
			if (sq->steps[i].lesson == c->item)
				*course = sq->course[i];
		nmx = name_of((void *)nm, LEARN_NAME_LESSON, c->item);
		*title = arena_printf(r->a, "Continue with %s",
		    nmx ? nmx : "your next lesson");
		break;
	case LEARN_REC_REVISE_SKILL:
		*skill = c->item;
		nmx = name_of((void *)nm, LEARN_NAME_SKILL, c->item);
		*title = arena_printf(r->a, "Revise %s", nmx ? nmx :
		    "a weak skill");
		break;
	case LEARN_REC_REVIEW_DUE:
		*title = arena_printf(r->a, "Review %ld card%s", c->n,
		    c->n == 1 ? "" : "s");
		break;
	case LEARN_REC_DIFFICULTY:
		*title = arena_printf(r->a, "Try %s content",
		    c->to >= 1 && c->to <= 3 ? level_name[c->to] :
		    "different");
		break;
	default:
		if (c->reason < 0 && -1 - c->reason ==
		    LEARN_STRUGGLE_STALLED) {
			*lesson = c->item;
			for (i = 0; i < sq->n; i++)
				if (sq->steps[i].lesson == c->item)
					*course = sq->course[i];
			*title = "Pick up where you stopped";
		} else
			*title = "Come back to your learning";
		break;
	}
	*inputs = arena_printf(r->a, "{\"reason_code\":%d,\"item\":%lld,"
	    "\"ref\":%lld,\"x\":%.4g,\"y\":%.4g,\"n\":%ld,\"total\":%ld,"
	    "\"level\":%d,\"to\":%d,\"score\":%.4g}", c->reason,
	    (long long)c->item, (long long)c->ref,
	    isfinite(c->x) ? c->x : 0, isfinite(c->y) ? c->y : 0, c->n,
	    c->total, c->level, c->to, c->score);
}

/* Judges accepted recommendations whose outcome is now known, rewarding
 * the bandit. */
static int
judge(struct req *r)
{
	const char *p[2];
	int n, i, k;
	struct { int64_t id; int kind, ok, old; } v[50];

	p[0] = db_i64s(r->a, r->user.id);
	if ((n = db_exec(r->db, STMT_REC_PENDING, 1, p)) < 0)
		return n;
	for (i = 0; i < n && i < 50; i++) {
		v[i].id = db_i64(r->db, i, 0);
		v[i].kind = kind_parse(db_str(r->db, i, 1));
		v[i].ok = db_bool(r->db, i, 2);
		v[i].old = db_bool(r->db, i, 3);
	}
	for (k = 0; k < i; k++) {
		if (!v[k].ok && !v[k].old)
			continue;
		p[0] = db_i64s(r->a, v[k].id);
		p[1] = v[k].ok ? "true" : "false";
		if ((n = db_exec(r->db, STMT_REC_JUDGE, 2, p)) < 0)
			return n;
		if (v[k].kind < 0)
			continue;
		p[0] = kind_name[v[k].kind];
		p[1] = arena_printf(r->a, "%.3f", learn_rec_reward(1,
		    v[k].ok));
		if ((n = db_exec(r->db, STMT_REC_BANDIT_REWARD, 2, p)) < 0)
			return n;
	}
	return 0;
}

/* Recomputes the learner's open recommendations, in one transaction,
 * begun when the learner's state was at *gen; *gen becomes the state's
 * gen after it (see rec_state_touch). */
static int
refresh(struct req *r, int64_t prev, int64_t *gen)
{
	struct learn_rec c[MAXCAND];
	struct learn_rec_params rp;
	struct learn_rec_bandit bd;
	struct names nm = { NULL, 0, 0, r->a };
	struct learn_names ln = { name_of, &nm };
	struct learn_rng rng;
	struct seq sq;
	struct buf ids;
	const char *p[11], *title, *inputs;
	char sentence[256];
	int n, i, nc, how = LEARN_REC_CHOSE_RULE, k;
	long pick = 0, dec0 = 0, dev0 = 0;
	int64_t course, lesson, skill, g;

	memset(&sq, 0, sizeof(sq));
	learn_rec_params_default(&rp);
	if (db_begin(r->db) == -1)
		return DB_RETRY;
	if ((n = judge(r)) < 0)
		goto fail;
	if ((nc = candidates(r, &nm, &sq, c, prev)) < 0) {
		n = nc;
		goto fail;
	}
	if (nc > 0) {
		learn_rec_bandit_init(&bd);
		if ((n = db_exec(r->db, STMT_REC_BANDIT_GET, 0, NULL)) < 0)
			goto fail;
		for (i = 0; i < n; i++) {
			k = kind_parse(db_str(r->db, i, 0));
			if (k < 0)
				continue;
			bd.a[k] = db_dbl(r->db, i, 1) - 1;
			bd.b[k] = db_dbl(r->db, i, 2) - 1;
		}
		/* Read without a lock: the budget is a share, and a
		 * decision or two counted late does not change it, whereas
		 * locking the one row would queue every learner's refresh.
		 * The deltas below are added atomically. */
		if ((n = db_exec(r->db, STMT_REC_BUDGET_GET, 0, NULL)) < 0)
			goto fail;
		if (n > 0) {
			dec0 = bd.decisions = (long)db_i64(r->db, 0, 0);
			dev0 = bd.deviations = (long)db_i64(r->db, 0, 1);
		}
		learn_rng_seed(&rng, (uint64_t)r->now ^
		    ((uint64_t)r->user.id << 20));
		pick = learn_rec_choose(&rp, &bd, c, (size_t)nc, &rng, &how);
		if (pick < 0)
			pick = 0;
		p[0] = db_i64s(r->a, bd.decisions - dec0);
		p[1] = db_i64s(r->a, bd.deviations - dev0);
		if ((n = db_exec(r->db, STMT_REC_BUDGET_ADD, 2, p)) < 0)
			goto fail;
	}
	buf_init(&ids);
	buf_putc(&ids, '{');
	for (i = 0; i < nc; i++) {
		int rank = i == pick ? 0 : i + 1;

		describe(r, &c[i], &nm, &sq, &title, &course, &lesson, &skill,
		    &inputs);
		if (c[i].reason < 0) {
			struct learn_struggle ev;

			memset(&ev, 0, sizeof(ev));
			ev.rule = -1 - c[i].reason;
			ev.item = c[i].item;
			ev.n = c[i].n;
			if (learn_struggle_format(&ev, &ln, sentence,
			    sizeof(sentence)) < 0)
				continue;
			p[0] = db_i64s(r->a, r->user.id);
			p[1] = course ? db_i64s(r->a, course) : NULL;
			p[2] = lesson ? db_i64s(r->a, lesson) : NULL;
			p[3] = NULL;
			p[4] = title;
			p[5] = arena_strdup(r->a, sentence);
			p[6] = inputs;
			p[7] = REC_MODEL_VERSION;
			if ((n = db_exec(r->db, STMT_REC_STRUGGLE_INSERT, 8,
			    p)) < 0) {
				buf_free(&ids);
				goto fail;
			}
			continue;
		}
		if (learn_rec_format(&c[i], &ln, sentence,
		    sizeof(sentence)) < 0)
			continue;
		p[0] = db_i64s(r->a, r->user.id);
		p[1] = kind_name[c[i].kind];
		p[2] = course ? db_i64s(r->a, course) : NULL;
		p[3] = lesson ? db_i64s(r->a, lesson) : NULL;
		p[4] = skill ? db_i64s(r->a, skill) : NULL;
		p[5] = title;
		p[6] = arena_strdup(r->a, sentence);
		p[7] = inputs;
		p[8] = REC_MODEL_VERSION;
		p[9] = i != pick ? "rule" : how == LEARN_REC_CHOSE_EXPLORE ?
		    "explore" : how == LEARN_REC_CHOSE_AGREE ? "bandit" :
		    "rule";
		p[10] = db_i64s(r->a, rank);
		if ((n = db_exec(r->db, STMT_REC_UPSERT, 11, p)) < 0) {
			buf_free(&ids);
			goto fail;
		}
		if (n > 0)
			buf_printf(&ids, "%s%lld", ids.len > 1 ? "," : "",
			    (long long)db_i64(r->db, 0, 0));
	}
	buf_putc(&ids, '}');
	p[0] = db_i64s(r->a, r->user.id);
	p[1] = arena_strdup(r->a, ids.p);
	buf_free(&ids);
	if ((n = db_exec(r->db, STMT_REC_EXPIRE, 2, p)) < 0)
		goto fail;
	p[1] = db_i64s(r->a, *gen);
	if ((n = db_exec(r->db, STMT_REC_STATE_TOUCH, 2, p)) < 0)
		goto fail;
	if (n != 1) {
		n = DB_HARD;
		goto fail;
	}
	g = db_i64(r->db, 0, 0);
	if ((n = db_commit(r->db)) < 0)
		goto fail;
	*gen = g;
	return 0;
fail:
	db_rollback(r->db);
	return n;
}

int
rec_mark_stale(struct req *r)
{
	const char *p[1];
	int n;

	p[0] = db_i64s(r->a, r->user.id);
	if ((n = db_exec(r->db, STMT_REC_STATE_STALE, 1, p)) < 0)
		return n;
	return 0;
}

int
rec_load(struct req *r, struct rec_row **out, int64_t *gen)
{
	const char *p[1];
	struct rec_row *v;
	int64_t prev = 0, g = 0;
	int n, i, stale = 1;

	p[0] = db_i64s(r->a, r->user.id);
	if ((n = db_exec(r->db, STMT_REC_STATE_GET, 1, p)) < 0)
		return n;
	if (n > 0) {
		prev = db_i64(r->db, 0, 0);
		stale = db_bool(r->db, 0, 1);
		g = db_i64(r->db, 0, 2);
	}
	if (stale || prev == 0 || r->now - prev >= REFRESH_S) {
		/* A failed refresh still shows what is stored, under a gen
		 * no cache will match. */
		if ((n = refresh(r, prev, &g)) < 0) {
			g = -1;
			if (n != DB_CONFLICT)
				log_msg("%s: recommendations not refreshed "
				    "(%d)", r->id, n);
		}
	}
	if (gen != NULL)
		*gen = g;
	if ((n = db_exec(r->db, STMT_REC_LIST, 1, p)) < 0)
		return n;
	v = arena_calloc(r->a, (size_t)n + 1, sizeof(*v));
	for (i = 0; i < n; i++) {
		v[i].id = db_i64(r->db, i, 0);
		v[i].kind = arena_strdup(r->a, db_str(r->db, i, 1));
		v[i].course = db_i64(r->db, i, 2);
		v[i].lesson = db_i64(r->db, i, 3);
		v[i].skill = db_i64(r->db, i, 4);
		v[i].title = arena_strdup(r->a, db_str(r->db, i, 5));
		v[i].reason = arena_strdup(r->a, db_str(r->db, i, 6));
		v[i].inputs = arena_strdup(r->a, db_str(r->db, i, 7));
		v[i].model = arena_strdup(r->a, db_str(r->db, i, 8));
		v[i].chosen_by = arena_strdup(r->a, db_str(r->db, i, 9));
		v[i].created = arena_strdup(r->a, db_str(r->db, i, 11));
		v[i].rank = (int)db_i64(r->db, i, 12);
		v[i].url = rec_url(r, &v[i]);
	}
	*out = v;
	return n;
}

const char *
rec_url(struct req *r, const struct rec_row *x)
{
	if (x->lesson != 0 && x->course != 0)
		return arena_printf(r->a, "/courses/%lld/lessons/%lld",
		    (long long)x->course, (long long)x->lesson);
	if (strcmp(x->kind, "review") == 0)
		return "/review";
	if (strcmp(x->kind, "difficulty") == 0) {
		const char *to = strstr(x->inputs, "\"to\":");
		int lv = to != NULL ? atoi(to + 5) : 0;

		return lv >= 1 && lv <= 3 ? arena_printf(r->a,
		    "/catalog?level=%s", level_name[lv]) : "/catalog";
	}
	if (x->skill != 0)
		return arena_printf(r->a, "/catalog?skill=%lld",
		    (long long)x->skill);
	return "/path";
}

/* Applies action (index into page_rec_actions) to recommendation id:
 * 200, 404, 409 (already acted on) or 5xx; *status_out the new status. */
static int
act(struct req *r, int64_t id, int action, const char **msg)
{
	const char *p[3];
	int n, kind;

	*msg = NULL;
	if (db_begin(r->db) == -1)
		return 503;
	p[0] = db_i64s(r->a, id);
	p[1] = db_i64s(r->a, r->user.id);
	p[2] = action_status[action];
	if ((n = db_exec(r->db, STMT_REC_ACT, 3, p)) < 0)
		goto fail;
	if (n == 0) {
		if ((n = db_exec(r->db, STMT_REC_STATUS, 2, p)) < 0)
			goto fail;
		db_rollback(r->db);
		if (n == 0) {
			*msg = "No such recommendation.";
			return 404;
		}
		*msg = "This recommendation was already acted on.";
		return 409;
	}
	kind = kind_parse(db_str(r->db, 0, 0));
	p[2] = page_rec_actions[action];
	if ((n = db_exec(r->db, STMT_REC_ACTION_INSERT, 3, p)) < 0)
		goto fail;
	/* A skip or dismissal is a reward of 0 now; an acceptance is
	 * judged later (judge()). */
	if (action != 0 && kind >= 0) {
		p[0] = kind_name[kind];
		p[1] = "0";
		if ((n = db_exec(r->db, STMT_REC_BANDIT_REWARD, 2, p)) < 0)
			goto fail;
	}
	p[0] = db_i64s(r->a, r->user.id);
	if ((n = db_exec(r->db, STMT_REC_STATE_STALE, 1, p)) < 0)
		goto fail;
	if ((n = db_commit(r->db)) < 0)
		goto fail;
	return 200;
fail:
	db_rollback(r->db);
	*msg = "Try again shortly.";
	return page_db_status(n);
}

int
page_rec_action(struct req *r)
{
	const char *msg;
	int st, action = (int)r->form.i64[F_RECACT_ACTION];

	if (r->form.nerr > 0)
		return http_error(r, 400, http_form_error(&r->form));
	st = act(r, r->pathid[0], action, &msg);
	if (st >= 500 || st == 404)
		return http_error(r, st, msg);
	if (st == 200 && action == 0) {
		struct rec_row x;
		const char *p[2];
		int n;

		/* Accepting takes the learner there. */
		p[0] = db_i64s(r->a, r->pathid[0]);
		p[1] = db_i64s(r->a, r->user.id);
		memset(&x, 0, sizeof(x));
		if ((n = db_exec(r->db, STMT_REC_GET, 2, p)) > 0) {
			x.kind = arena_strdup(r->a, db_str(r->db, 0, 0));
			x.course = db_i64(r->db, 0, 1);
			x.lesson = db_i64(r->db, 0, 2);
			x.skill = db_i64(r->db, 0, 3);
			x.inputs = arena_strdup(r->a, db_str(r->db, 0, 4));
			return http_redirect(r, rec_url(r, &x));
		}
	}
	return http_redirect(r, "/dashboard#recommendations");
}

void
rec_json(struct req *r, const struct rec_row *v, int n)
{
	int i;

	json_arr_begin(r, "recommendations");
	for (i = 0; i < n; i++) {
		json_obj_begin(r, NULL);
		json_i64(r, "id", v[i].id);
		json_str(r, "kind", v[i].kind);
		json_str(r, "title", v[i].title);
		json_str(r, "reason", v[i].reason);
		json_str(r, "url", v[i].url);
		json_bool(r, "featured", v[i].rank == 0);
		json_str(r, "chosen_by", v[i].chosen_by);
		json_str(r, "model_version", v[i].model);
		json_raw(r, "inputs", v[i].inputs);
		if (v[i].course)
			json_i64(r, "course_id", v[i].course);
		if (v[i].lesson)
			json_i64(r, "lesson_id", v[i].lesson);
		if (v[i].skill)
			json_i64(r, "skill_id", v[i].skill);
		json_str(r, "created_at", v[i].created);
		json_obj_end(r);
	}
	json_arr_end(r);
}

int
page_api_recs(struct req *r)
{
	struct rec_row *v;
	int n;

	if ((n = rec_load(r, &v, NULL)) < 0)
		return http_error(r, page_db_status(n), "Try again shortly.");
	json_begin(r);
	rec_json(r, v, n);
	json_end(r);
	return http_json(r, 200);
}

int
page_api_rec_action(struct req *r)
{
	const char *msg;
	int st;

	if (r->form.nerr > 0)
		return http_error(r, 400, http_form_error(&r->form));
	st = act(r, r->pathid[0], (int)r->form.i64[F_RECACT_ACTION], &msg);
	if (st != 200)
		return http_error(r, st, msg);
	json_begin(r);
	json_i64(r, "id", r->pathid[0]);
	json_str(r, "status", action_status[r->form.i64[F_RECACT_ACTION]]);
	json_end(r);
	return http_json(r, 200);
}
