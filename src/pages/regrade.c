/*
 * regrade: POST /teach/bank/{id}/regrade and its JSON twin (issue 5,
 * calib): after an instructor fixes a wrong answer key (which, once the
 * question has answers, makes a new version), every response to the
 * question's older versions is re-scored with the current version's key.
 *
 * Design decision: "fix" means the current version's key is the right one;
 * options are matched across versions by position (sql/queries/
 * regrade.sql), so only choice questions (single, multiple, true/false)
 * can be regraded; others answer 409.  In one transaction the changed
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
#include "learn/bkt.h"
#include "learn/elo.h"
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

/* 0, or an HTTP status with *msg. */
static int
regrade(struct req *r, int64_t qid, struct regrade_out *out,
    const char **msg)
{
	struct learn_bkt_params bp[MAXSKILLS];
	struct buf ids;
	const char *p[5], *kind;
	int64_t vid, sk[MAXSKILLS], *users;
	int n, i, nu, ns;

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
	if (strcmp(kind, "single") != 0 && strcmp(kind, "multiple") != 0 &&
	    strcmp(kind, "truefalse") != 0) {
		db_rollback(r->db);
		*msg = "Only choice questions (single, multiple, true/false) "
		    "can be regraded.";
		return 409;
	}
	p[1] = db_i64s(r->a, vid);
	if ((n = db_exec(r->db, STMT_REGRADE_RESCORE, 2, p)) < 0)
		goto fail;
	out->responses = n;
	buf_init(&ids);
	buf_puts(&ids, "{");
	/* An attempt may repeat; = ANY does not mind. */
	for (i = 0; i < n; i++)
		buf_printf(&ids, "%s%lld", i > 0 ? "," : "",
		    (long long)db_i64(r->db, i, 0));
	buf_puts(&ids, "}");
	p[2] = arena_strndup(r->a, ids.p, ids.len);
	buf_free(&ids);
	nu = out->responses;
	users = arena_calloc(r->a, nu > 0 ? nu : 1, sizeof(*users));
	for (i = 0; i < nu; i++)
		users[i] = db_i64(r->db, i, 1);
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
page_bank_regrade(struct req *r)
{
	struct regrade_out out;
	const char *msg;
	int st;

	if ((st = regrade(r, r->pathid[0], &out, &msg)) != 0)
		return http_error(r, st, msg);
	return http_redirect(r, arena_printf(r->a,
	    "/teach/bank/%lld?regraded=%d", (long long)r->pathid[0],
	    out.responses));
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
