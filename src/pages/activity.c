/*
 * activity: the rollups the dashboard reads, written beside each action
 * (lesson completed, question answered, quiz submitted, card reviewed,
 * study time), in the action's own transaction.
 *
 * Design decision: three small upserts (day, hour of the week, session)
 * per action instead of scanning learner_events when a dashboard is
 * drawn: a year of history is then at most 366 day rows and 168 hour rows
 * whatever the number of events, which is what keeps the dashboard's cost
 * flat (issue 6, speed).  They and rec_mark_stale's work are one
 * statement: one round trip inside every answer's transaction (issue 5's
 * spike).
 */
#include "base/arena.h"
#include "db/db.h"
#include "pages/adaptive.h"
#include "pages/pages.h"

int
activity_record(struct req *r, const struct activity *a)
{
	const char *p[8];
	int n;

	p[0] = db_i64s(r->a, r->user.id);
	p[1] = db_i64s(r->a, a->lessons);
	p[2] = db_i64s(r->a, a->answers);
	p[3] = db_i64s(r->a, a->correct);
	p[4] = db_i64s(r->a, a->quizzes);
	p[5] = arena_printf(r->a, "%.6f", a->quiz_score);
	p[6] = db_i64s(r->a, a->reviews);
	p[7] = db_i64s(r->a, a->seconds);
	if ((n = db_exec(r->db, STMT_ACTIVITY_RECORD, 8, p)) < 0)
		return n;
	return 0;
}
