/*
 * path_adjust: the weekly learning-path adjustment (issue 6), job kind
 * "path_adjust", scheduled weekly (migration 016) and runnable by hand
 * (INSERT a job, or `adept worker --once`; payload {"user_id": N} limits
 * it to one learner and ignores the age of the newest path).
 *
 * The rules are liblearn's (learn_adjust_weekly: the week's average below
 * 60 % adds revision, completion below 50 % lightens the load, excellent
 * results add advanced content).  For each learner whose newest path is a
 * week old, the job measures the week, applies the rules and, when they
 * change something, writes the next path version (path_generate) with the
 * revision or advanced steps in front and each rule's sentence in its
 * notes.  Lightening lowers the goal's hours a week, which the new
 * version's weeks reflect.
 *
 * Design decision: one transaction per learner, and a learner is due only
 * while their newest version is a week old, so a worker killed half way
 * leaves the adjusted learners adjusted and the job's rerun does the rest,
 * never a learner twice.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/arena.h"
#include "base/log.h"
#include "db/db.h"
#include "jobs/handlers.h"
#include "jobs/jobs.h"
#include "learn/adjust.h"
#include "pages/adaptive.h"

#define MAXSKILLS	20

struct names {
	int64_t		 id[MAXSKILLS];
	const char	*name[MAXSKILLS];
	int		 n;
};

static const char *
name_of(void *arg, int kind, int64_t id)
{
	const struct names *nm = arg;
	int i;

	if (kind != LEARN_NAME_SKILL)
		return NULL;
	for (i = 0; i < nm->n; i++)
		if (nm->id[i] == id)
			return nm->name[i];
	return NULL;
}

/*
 * Adjusts user's path in one transaction: 1 when a version was written,
 * 0 when the week needs no change, or a db_err.
 */
int
path_adjust_user(struct db *db, struct arena *a, int64_t user)
{
	struct learn_adjust_params ap;
	struct learn_adjust_week w;
	struct learn_adjust_skill sk[MAXSKILLS];
	struct learn_adjust_change ch[8];
	struct learn_names ln;
	struct names nm;
	struct path_extra ex;
	const char *p[2], *msg;
	char sentence[256];
	double minutes;
	long nc, k;
	int n, i, version, changed = 0;

	learn_adjust_params_default(&ap);
	memset(&w, 0, sizeof(w));
	memset(&ex, 0, sizeof(ex));
	memset(&nm, 0, sizeof(nm));
	if (db_begin(db) == -1)
		return DB_RETRY;
	p[0] = db_i64s(a, user);
	if ((n = db_exec(db, STMT_PATH_ADJUST_WEEK, 1, p)) <= 0)
		goto fail;
	w.nquizzes = (long)db_i64(db, 0, 0);
	w.avg_score = db_dbl(db, 0, 1);
	w.completed = (long)db_i64(db, 0, 2);
	w.hours_per_week = db_dbl(db, 0, 3);
	minutes = db_dbl(db, 0, 4);
	w.difficulty = (int)db_i64(db, 0, 5);
	/* The week's plan: the lessons the learner's hours cover. */
	w.planned = (long)ceil(w.hours_per_week * 60 / (minutes > 0 ?
	    minutes : 10));
	if (w.planned < 1)
		w.planned = 1;
	if (w.completed > w.planned)
		w.completed = w.planned;
	if ((n = db_exec(db, STMT_PATH_ADJUST_SKILLS, 1, p)) < 0)
		goto fail;
	for (i = 0; i < n && i < MAXSKILLS; i++) {
		sk[i].skill = db_i64(db, i, 0);
		sk[i].score = db_dbl(db, i, 1);
		nm.id[i] = sk[i].skill;
		nm.name[i] = arena_strdup(a, db_str(db, i, 2));
	}
	nm.n = i;
	w.skills = sk;
	w.nskills = (size_t)i;
	ln.name = name_of;
	ln.arg = &nm;
	nc = learn_adjust_weekly(&ap, &w, ch, sizeof(ch) / sizeof(ch[0]));
	if (nc < 0) {
		n = DB_HARD;
		goto fail;
	}
	for (k = 0; k < nc && k < 8; k++) {
		const struct learn_adjust_change *c = &ch[k];

		if (learn_adjust_format(c, &ln, sentence, sizeof(sentence)) < 0)
			continue;
		if (c->kind == LEARN_ADJUST_KEEP)
			continue;
		changed = 1;
		if (ex.nnotes < PATH_EXTRA_MAX)
			ex.notes[ex.nnotes++] = arena_strdup(a, sentence);
		if (c->kind == LEARN_ADJUST_ADD_REVISION &&
		    ex.nsteps < PATH_EXTRA_MAX) {
			struct path_extra_step *s = &ex.steps[ex.nsteps++];

			s->kind = "revision";
			s->skill = c->skill;
			s->reason = arena_strdup(a, sentence);
			s->code = "revision";
			s->hours = 1;
			ex.extra_hours += 1;
		} else if (c->kind == LEARN_ADJUST_REDUCE_LOAD) {
			p[1] = arena_printf(a, "%.2f", c->hours_to);
			if ((n = db_exec(db, STMT_PATH_ADJUST_HOURS, 2, p)) < 0)
				goto fail;
		} else if (c->kind == LEARN_ADJUST_ADD_ADVANCED &&
		    ex.nsteps < PATH_EXTRA_MAX) {
			if ((n = db_exec(db, STMT_PATH_ADJUST_ADVANCED, 1,
			    p)) < 0)
				goto fail;
			if (n > 0) {
				struct path_extra_step *s =
				    &ex.steps[ex.nsteps++];

				s->kind = "advanced";
				s->course = db_i64(db, 0, 0);
				s->reason = arena_strdup(a, sentence);
				s->code = "advanced";
				s->hours = db_dbl(db, 0, 2);
				ex.extra_hours += s->hours;
			}
		}
	}
	if (!changed) {
		db_rollback(db);
		return 0;
	}
	n = path_generate(db, a, user, "weekly adjustment", &ex, &version,
	    &msg);
	if (n != 0) {
		/* No goal or a cycle: nothing to adjust this week. */
		db_rollback(db);
		return n > 0 ? 0 : n;
	}
	if ((n = db_commit(db)) < 0)
		goto fail;
	return 1;
fail:
	db_rollback(db);
	return n < 0 ? n : DB_HARD;
}

enum job_result
job_path_adjust(struct job *j)
{
	json_t *root;
	json_error_t err;
	int64_t only = 0, after = 0;
	const char *p[3];
	int n, i, adjusted = 0;
	int64_t users[200];

	root = json_loads(j->payload, 0, &err);
	if (root != NULL) {
		json_t *u = json_object_get(root, "user_id");

		if (json_is_integer(u))
			only = json_integer_value(u);
		json_decref(root);
	}
	for (;;) {
		p[0] = "6";
		p[1] = db_i64s(j->a, only);
		p[2] = db_i64s(j->a, after);
		if ((n = db_exec(j->db, STMT_PATH_ADJUST_DUE, 3, p)) < 0) {
			snprintf(j->err, sizeof(j->err), "listing learners");
			return JOB_RETRY;
		}
		if (n == 0)
			break;
		for (i = 0; i < n && i < 200; i++)
			users[i] = db_i64(j->db, i, 0);
		for (i = 0; i < n && i < 200; i++) {
			int r = path_adjust_user(j->db, j->a, users[i]);

			if (r < 0) {
				snprintf(j->err, sizeof(j->err), "learner %lld: "
				    "database error %d", (long long)users[i], r);
				return JOB_RETRY;
			}
			adjusted += r;
			after = users[i];
		}
		if (only != 0)
			break;
	}
	log_msg("path_adjust: %d path%s adjusted", adjusted,
	    adjusted == 1 ? "" : "s");
	return JOB_DONE;
}
