/*
 * regrade: POST /teach/bank/{id}/regrade and its JSON twin (issue 5,
 * calib): after an instructor fixes a wrong answer key (which, once the
 * question has answers, makes a new version), every response to the
 * question's older versions is re-scored with the current version's key.
 *
 * Design decision: "fix" means the current version's key is the right one,
 * and an old answer is judged as if it had been given to it.  Choice
 * questions (single, multiple, true/false) match options across versions
 * by position, in SQL (sql/queries/regrade.sql).  Typed questions are
 * re-scored here with attempt.c's own rules: a numeric answer's stored
 * text is parsed and matched against the current values and tolerances,
 * a short-text answer against the current accepted answers (normalised);
 * an ordering answer's items are matched to the current items by their
 * text (an instructor fixing the order moves items, so positions do not
 * say which is which) and it is right when they come in the current
 * order.  An ordering answer whose items are not all found in the current
 * version (an item reworded or removed) is left as it was scored: nothing
 * says which new item the learner meant.  In one transaction the changed
 * responses, the older versions' item statistics and the scores and pass
 * marks of the submitted attempts affected are rewritten, and a regrades
 * row records who did it.  The learner model is path-dependent (BKT,
 * Elo and the level are updated answer by answer), so for each affected
 * learner it is replayed from scratch over his answers in order, exactly
 * as attempt.c's model_update applies them: each skill of the question
 * (state, level and the profile's level) and the overall Elo ability.
 * Bounded: only the affected learners and the question's skills, and a
 * history longer than REPLAY_MAX answers is left alone (counted, and said
 * in the JSON answer).  The replay uses each version's current irt_b,
 * which differs from the b used at answer time if a calibration ran since.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "db/db.h"
#include "http/server.h"
#include "http/view.h"
#include "base/qbank.h"
#include "learn/bkt.h"
#include "learn/elo.h"
#include "pages/attempt.h"
#include "pages/pages.h"

/* attempt.c's constants (static there): keep them in step. */
#define LEVEL_ALPHA	0.3
static const struct learn_bkt_params bkt_default = { 0.3, 0.1, 0.2, 0.1 };

#define REPLAY_MAX	5000	/* answers replayed per learner and skill */
#define MAXSKILLS	32

struct regrade_out {
	int	responses;	/* re-scored responses that changed */
	int	attempts;	/* attempts whose score was recomputed */
	int	learners;	/* learner models replayed */
	int	skipped;	/* histories too long to replay */
};

/* The responses a regrade changed: the attempt and learner of each. */
struct changed {
	int64_t	*aid, *uid;
	int	 n;
};

/* A response to an older version, copied out of the result. */
struct oldresp {
	int64_t		 aid, uid, vid;
	const char	*seq, *answer, *optids;
	int		 was;
};

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Replays learner uid's model for skills sk[ns] (BKT parameters bp) and
 * his overall ability.  0, 1 when a history was too long (nothing
 * written for it), or a db_err.
 */
static int
replay(struct req *r, int64_t uid, const int64_t *sk,
    const struct learn_bkt_params *bp, int ns)
{
	static const struct learn_elo_k k = LEARN_ELO_K_DEFAULT;
	struct learn_bkt_obs obs;
	struct learn_elo_rating e;
	const char *p[7];
	double pk, level, ev;
	int n, i, j, d, ok, skipped = 0;

	p[0] = db_i64s(r->a, uid);
	for (i = 0; i < ns; i++) {
		p[1] = db_i64s(r->a, sk[i]);
		p[2] = db_i64s(r->a, REPLAY_MAX + 1);
		if ((n = db_exec(r->db, STMT_REGRADE_REPLAY_SKILL, 3, p)) < 0)
			return n;
		if (n > REPLAY_MAX) {
			skipped = 1;
			continue;
		}
		pk = bp[i].prior;
		level = 0;
		e.value = 0;
		e.n = 0;
		for (j = 0; j < n; j++) {
			ok = db_bool(r->db, j, 0);
			d = (int)db_i64(r->db, j, 1);
			pk = learn_bkt_step(&bp[i], pk, ok, &obs);
			learn_elo_update_learner(&e, db_dbl(r->db, j, 2), ok, &k);
			ev = ok ? d + 1 : d - 1;
			ev = ev < 1 ? 1 : ev > 10 ? 10 : ev;
			level = j == 0 ? ev :
			    (1 - LEVEL_ALPHA) * level + LEVEL_ALPHA * ev;
		}
		if (n == 0)
			continue;
		p[2] = arena_printf(r->a, "%.17g", pk);
		p[3] = arena_printf(r->a, "%.17g", e.value);
		p[4] = db_i64s(r->a, n);
		p[5] = arena_printf(r->a, "%.17g", level);
		p[6] = db_i64s(r->a, lround(level));
		if ((n = db_exec(r->db, STMT_ATTEMPT_SKILL_STATE_PUT, 7,
		    p)) < 0)
			return n;
	}
	p[1] = db_i64s(r->a, REPLAY_MAX + 1);
	if ((n = db_exec(r->db, STMT_REGRADE_REPLAY_ABILITY, 2, p)) < 0)
		return n;
	if (n > REPLAY_MAX)
		return 1;
	e.value = 0;
	e.n = 0;
	for (j = 0; j < n; j++)
		learn_elo_update_learner(&e, db_dbl(r->db, j, 1),
		    db_bool(r->db, j, 0), &k);
	p[1] = arena_printf(r->a, "%.17g", e.value);
	p[2] = db_i64s(r->a, (int64_t)e.n);
	if ((n = db_exec(r->db, STMT_ATTEMPT_ABILITY_PUT, 3, p)) < 0)
		return n;
	return skipped;
}

/* The attempt and learner of each row of r->db (columns 0 and 1) into
 * ch. */
static void
changed_from_rows(struct req *r, int n, struct changed *ch)
{
	int i;

	ch->n = n;
	ch->aid = arena_calloc(r->a, n > 0 ? n : 1, sizeof(*ch->aid));
	ch->uid = arena_calloc(r->a, n > 0 ? n : 1, sizeof(*ch->uid));
	for (i = 0; i < n; i++) {
		ch->aid[i] = db_i64(r->db, i, 0);
		ch->uid[i] = db_i64(r->db, i, 1);
	}
}

/*
 * An ordering answer (ids of the old version's items old[nold], in the
 * learner's order) against the current items cur[ncur] (in the right
 * order), items matched by text: 1 right, 0 wrong, -1 when an item has no
 * counterpart (not re-scorable).
 */
static int
order_ok(const char *optids, const struct attempt_opt *old, int nold,
    const struct attempt_opt *cur, int ncur)
{
	int64_t ids[QB_MAXOPTS];
	int used[QB_MAXOPTS] = { 0 }, m, i, j, k, ok = 1;

	if ((m = attempt_parse_ids(optids, ids, QB_MAXOPTS)) != ncur)
		return -1;
	for (i = 0; i < m; i++) {
		for (j = 0; j < nold && old[j].id != ids[i]; j++)
			continue;
		if (j == nold)
			return -1;
		for (k = 0; k < ncur && (used[k] ||
		    strcmp(cur[k].body, old[j].body) != 0); k++)
			continue;
		if (k == ncur)
			return -1;
		used[k] = 1;
		if (k != i)
			ok = 0;
	}
	return ok;
}

/*
 * Re-scores the responses to question qid's versions other than vid (a
 * numeric, short-text or ordering question of kind) against vid's
 * options, writes those that changed and lists them in ch.  0 or a
 * db_err.
 */
static int
rescore_typed(struct req *r, int64_t qid, int64_t vid, int kind,
    struct changed *ch)
{
	struct attempt_opt cur[QB_MAXOPTS], old[QB_MAXOPTS];
	struct oldresp *rs;
	struct buf ba, bs, bk;
	const char *p[3], *why;
	int64_t oldvid = 0;
	int n, nr, ncur, nold = 0, i, ok, m;

	p[0] = db_i64s(r->a, qid);
	p[1] = db_i64s(r->a, vid);
	if ((nr = db_exec(r->db, STMT_REGRADE_RESPONSES, 2, p)) < 0)
		return nr;
	rs = arena_calloc(r->a, nr > 0 ? nr : 1, sizeof(*rs));
	for (i = 0; i < nr; i++) {
		rs[i].aid = db_i64(r->db, i, 0);
		rs[i].uid = db_i64(r->db, i, 1);
		rs[i].seq = arena_strdup(r->a, db_str(r->db, i, 2));
		rs[i].vid = db_i64(r->db, i, 3);
		rs[i].was = db_bool(r->db, i, 4);
		rs[i].answer = arena_strdup(r->a, db_str(r->db, i, 5));
		rs[i].optids = arena_strdup(r->a, db_str(r->db, i, 6));
	}
	if ((ncur = attempt_load_opts(r, vid, cur)) < 0)
		return ncur;
	ch->n = 0;
	ch->aid = arena_calloc(r->a, nr > 0 ? nr : 1, sizeof(*ch->aid));
	ch->uid = arena_calloc(r->a, nr > 0 ? nr : 1, sizeof(*ch->uid));
	buf_init(&ba);
	buf_init(&bs);
	buf_init(&bk);
	for (i = 0; i < nr; i++) {
		if (kind == QB_ORDERING) {
			/* Rows come by version: load each version's once. */
			if (rs[i].vid != oldvid &&
			    (nold = attempt_load_opts(r, rs[i].vid, old)) < 0)
				break;
			oldvid = rs[i].vid;
			ok = order_ok(rs[i].optids, old, nold, cur, ncur);
		} else if (attempt_score_text(r->a, kind, cur, ncur,
		    rs[i].answer, &ok, &m, &why) != 0)
			ok = -1;
		if (ok < 0 || ok == rs[i].was)
			continue;
		buf_printf(&ba, "%s%lld", ch->n ? "," : "",
		    (long long)rs[i].aid);
		buf_printf(&bs, "%s%s", ch->n ? "," : "", rs[i].seq);
		buf_printf(&bk, "%s%s", ch->n ? "," : "", ok ? "t" : "f");
		ch->aid[ch->n] = rs[i].aid;
		ch->uid[ch->n++] = rs[i].uid;
	}
	n = nold < 0 ? nold : 0;
	if (n == 0 && ch->n > 0) {
		p[0] = arena_printf(r->a, "{%s}", ba.p);
		p[1] = arena_printf(r->a, "{%s}", bs.p);
		p[2] = arena_printf(r->a, "{%s}", bk.p);
		if ((n = db_exec(r->db, STMT_REGRADE_RESPONSE_SET, 3, p)) > 0)
			n = 0;
	}
	buf_free(&ba);
	buf_free(&bs);
	buf_free(&bk);
	return n;
}

/* 0, or an HTTP status with *msg. */
static int
regrade(struct req *r, int64_t qid, struct regrade_out *out,
    const char **msg)
{
	struct learn_bkt_params bp[MAXSKILLS];
	struct changed ch;
	struct buf ids;
	const char *p[5], *kind;
	int64_t vid, sk[MAXSKILLS], *users;
	int n, i, nu, ns, k;

	memset(out, 0, sizeof(*out));
	*msg = "Try again shortly.";
	if (db_begin(r->db) == -1)
		return 503;
	p[0] = db_i64s(r->a, qid);
	p[1] = db_i64s(r->a, r->user.id);
	p[2] = r->user.role == ROLE_ADMIN ? "true" : "false";
	if ((n = db_exec(r->db, STMT_BANK_QUESTION_GET_FOR_UPDATE, 3,
	    p)) <= 0) {
		db_rollback(r->db);
		*msg = "There is no such question in your bank.";
		return n == 0 ? 404 : page_db_status(n);
	}
	kind = arena_strdup(r->a, db_str(r->db, 0, 1));
	vid = db_i64(r->db, 0, 3);
	k = qb_kind_parse(kind);
	p[1] = db_i64s(r->a, vid);
	if (k == QB_NUMERIC || k == QB_SHORT || k == QB_ORDERING) {
		if ((n = rescore_typed(r, qid, vid, k, &ch)) < 0)
			goto fail;
	} else {
		if ((n = db_exec(r->db, STMT_REGRADE_RESCORE, 2, p)) < 0)
			goto fail;
		changed_from_rows(r, n, &ch);
	}
	out->responses = ch.n;
	buf_init(&ids);
	buf_puts(&ids, "{");
	/* An attempt may repeat; = ANY does not mind. */
	for (i = 0; i < ch.n; i++)
		buf_printf(&ids, "%s%lld", i > 0 ? "," : "",
		    (long long)ch.aid[i]);
	buf_puts(&ids, "}");
	p[2] = arena_strndup(r->a, ids.p, ids.len);
	buf_free(&ids);
	nu = ch.n;
	users = ch.uid;
	qsort(users, nu, sizeof(*users), cmp_i64);
	if ((n = db_exec(r->db, STMT_REGRADE_ITEM_STATS, 2, p)) < 0)
		goto fail;
	if ((n = db_exec(r->db, STMT_REGRADE_ATTEMPT_SCORES, 1, p + 2)) < 0)
		goto fail;
	out->attempts = n;
	if ((n = db_exec(r->db, STMT_REGRADE_QUESTION_SKILLS, 1, p)) < 0)
		goto fail;
	ns = n < MAXSKILLS ? n : MAXSKILLS;
	for (i = 0; i < ns; i++) {
		sk[i] = db_i64(r->db, i, 0);
		bp[i] = bkt_default;
		if (!db_isnull(r->db, i, 1)) {
			bp[i].prior = db_dbl(r->db, i, 1);
			bp[i].learn = db_dbl(r->db, i, 2);
			bp[i].guess = db_dbl(r->db, i, 3);
			bp[i].slip = db_dbl(r->db, i, 4);
		}
	}
	for (i = 0; i < nu; i++) {
		if (i > 0 && users[i] == users[i - 1])
			continue;
		if ((n = replay(r, users[i], sk, bp, ns)) < 0)
			goto fail;
		if (n == 1)
			out->skipped++;
		out->learners++;
	}
	p[2] = db_i64s(r->a, r->user.id);
	p[3] = db_i64s(r->a, out->responses);
	p[4] = db_i64s(r->a, out->attempts);
	if ((n = db_exec(r->db, STMT_REGRADE_INSERT, 5, p)) < 0)
		goto fail;
	if ((n = db_commit(r->db)) < 0)
		return page_db_status(n);
	return 0;
fail:
	db_rollback(r->db);
	return page_db_status(n);
}

int
page_regrade_view(struct req *r, int64_t qid, struct view *v)
{
	const char *p[1], *last;
	int n;

	view_set(v, "regrade_action", arena_printf(r->a,
	    "/teach/bank/%lld/regrade", (long long)qid));
	view_set(v, "regrade_last", NULL);
	p[0] = db_i64s(r->a, qid);
	if ((n = db_exec(r->db, STMT_REGRADE_LAST, 1, p)) <= 0)
		return n;
	last = arena_printf(r->a, "%s UTC by %s: %lld answer%s re-scored, "
	    "%lld attempt%s changed.", db_str(r->db, 0, 2),
	    db_str(r->db, 0, 3), (long long)db_i64(r->db, 0, 0),
	    db_i64(r->db, 0, 0) == 1 ? "" : "s",
	    (long long)db_i64(r->db, 0, 1),
	    db_i64(r->db, 0, 1) == 1 ? "" : "s");
	view_set(v, "regrade_last", last);
	if (http_param(r, "regraded") != NULL)
		r->flash = arena_printf(r->a, "Regrade done, %s", last);
	return n;
}

int
page_bank_regrade(struct req *r)
{
	struct regrade_out out;
	const char *msg;
	int st;

	if ((st = regrade(r, r->pathid[0], &out, &msg)) != 0)
		return http_error(r, st, msg);
	return http_redirect(r, arena_printf(r->a,
	    "/teach/bank/%lld?regraded=1#regrade-title",
	    (long long)r->pathid[0]));
}

int
page_api_bank_regrade(struct req *r)
{
	struct regrade_out out;
	const char *msg;
	int st;

	if ((st = regrade(r, r->pathid[0], &out, &msg)) != 0)
		return http_error(r, st, msg);
	json_begin(r);
	json_i64(r, "id", r->pathid[0]);
	json_i64(r, "responses_changed", out.responses);
	json_i64(r, "attempts_rescored", out.attempts);
	json_i64(r, "learners_replayed", out.learners);
	json_i64(r, "learners_too_long", out.skipped);
	json_end(r);
	return http_json(r, 200);
}
