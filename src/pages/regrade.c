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
 * row records who did it.  The learner model (BKT, Elo, levels) is not
 * replayed: it is path-dependent and a regrade leaves it as it was.
 */
#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "db/db.h"
#include "http/server.h"
#include "pages/pages.h"

struct regrade_out {
	int	responses;	/* re-scored responses that changed */
	int	attempts;	/* attempts whose score was recomputed */
};

/* 0, or an HTTP status with *msg. */
static int
regrade(struct req *r, int64_t qid, struct regrade_out *out,
    const char **msg)
{
	struct buf ids;
	const char *p[5], *kind;
	int64_t vid;
	int n, i;

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
	if ((n = db_exec(r->db, STMT_REGRADE_ITEM_STATS, 2, p)) < 0)
		goto fail;
	if ((n = db_exec(r->db, STMT_REGRADE_ATTEMPT_SCORES, 1, p + 2)) < 0)
		goto fail;
	out->attempts = n;
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
	json_end(r);
	return http_json(r, 200);
}
