/*
 * goals: the learner's goal (/goals and GET|POST /api/v1/goals): target
 * levels per skill, a deadline, hours a week, and the review settings
 * (desired retention, daily limit).  The learning path is planned from it
 * (path.c).
 *
 * Design decision: targets travel as flat fields "target_<skill id>" =
 * level (0 or empty = no target), in the HTML form and in JSON alike, so
 * one validator serves both and the JSON body stays a flat object.  A save
 * replaces the whole goal in one transaction; an unknown skill or a bad
 * level refuses the save with a message and changes nothing.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/arena.h"
#include "base/buf.h"
#include "db/db.h"
#include "http/view.h"
#include "pages/adaptive.h"
#include "pages/pages.h"

#define MAXTARGETS	100

struct target {
	int64_t		 skill;
	int		 level;
};

struct goal_in {
	const char	*deadline;	/* NULL = none */
	double		 hours, retention;
	long		 limit;
	struct target	 t[MAXTARGETS];
	int		 nt;
};

/* 1 if s is a valid date YYYY-MM-DD. */
static int
valid_date(const char *s)
{
	struct tm tm;
	char *end;

	if (strlen(s) != 10)
		return 0;
	memset(&tm, 0, sizeof(tm));
	end = strptime(s, "%Y-%m-%d", &tm);
	if (end == NULL || *end != '\0')
		return 0;
	return tm.tm_year >= 0 && tm.tm_year < 300;
}

/*
 * Reads and checks the goal in r: 0, or -1 with *field and *msg naming
 * the first problem (field one of the template's *_error names).
 */
static int
goal_read(struct req *r, struct goal_in *g, const char **field,
    const char **msg)
{
	const struct http_form *f = &r->form;
	size_t i;

	memset(g, 0, sizeof(*g));
	if (f->nerr > 0) {
		*field = f->err[F_GOAL_DEADLINE] ? "deadline_error" :
		    f->err[F_GOAL_HOURS] ? "hours_error" :
		    f->err[F_GOAL_RETENTION] ? "retention_error" :
		    f->err[F_GOAL_LIMIT] ? "limit_error" : "form_error";
		*msg = http_form_error(f);
		return -1;
	}
	if (f->present[F_GOAL_DEADLINE]) {
		char today[11];
		time_t t = (time_t)r->now;
		struct tm tm;

		g->deadline = f->str[F_GOAL_DEADLINE];
		if (!valid_date(g->deadline)) {
			*field = "deadline_error";
			*msg = "Deadline must be a date like 2027-06-30.";
			return -1;
		}
		gmtime_r(&t, &tm);
		strftime(today, sizeof(today), "%Y-%m-%d", &tm);
		if (strcmp(g->deadline, today) < 0) {
			*field = "deadline_error";
			*msg = "Deadline is in the past.";
			return -1;
		}
	}
	g->hours = f->present[F_GOAL_HOURS] ? f->dbl[F_GOAL_HOURS] : 5;
	g->retention = f->present[F_GOAL_RETENTION] ?
	    f->i64[F_GOAL_RETENTION] / 100.0 : 0.9;
	g->limit = f->present[F_GOAL_LIMIT] ? (long)f->i64[F_GOAL_LIMIT] : 50;
	for (i = 0; i < r->nparams; i++) {
		const char *name = r->params[i].name, *v = r->params[i].value;
		char *end;
		long long id;
		long lv;
		int k;

		if (strncmp(name, "target_", 7) != 0)
			continue;
		id = strtoll(name + 7, &end, 10);
		if (*end != '\0' || id <= 0 || end == name + 7) {
			*field = "skill_error";
			*msg = "A target names a skill that does not exist.";
			return -1;
		}
		if (v == NULL || v[0] == '\0')
			continue;
		lv = strtol(v, &end, 10);
		if (*end != '\0' || lv < 0 || lv > 10) {
			*field = "skill_error";
			*msg = "A target level must be a whole number from 1 "
			    "to 10 (or none).";
			return -1;
		}
		if (lv == 0)
			continue;
		for (k = 0; k < g->nt; k++)
			if (g->t[k].skill == id)
				break;
		if (k < g->nt)
			continue;	/* first occurrence wins */
		if (g->nt == MAXTARGETS) {
			*field = "skill_error";
			*msg = "At most 100 target skills.";
			return -1;
		}
		g->t[g->nt].skill = id;
		g->t[g->nt].level = (int)lv;
		g->nt++;
	}
	return 0;
}

/* Saves g: 0, 404 (an unknown skill), or a 5xx. */
static int
goal_save(struct req *r, const struct goal_in *g)
{
	const char *p[5];
	int n, i;

	if (db_begin(r->db) == -1)
		return 503;
	p[0] = db_i64s(r->a, r->user.id);
	p[1] = g->deadline;
	p[2] = arena_printf(r->a, "%.6g", g->hours);
	p[3] = arena_printf(r->a, "%.4f", g->retention);
	p[4] = db_i64s(r->a, g->limit);
	if ((n = db_exec(r->db, STMT_GOALS_PUT, 5, p)) < 0)
		goto fail;
	if ((n = db_exec(r->db, STMT_GOALS_TARGETS_CLEAR, 1, p)) < 0)
		goto fail;
	for (i = 0; i < g->nt; i++) {
		p[1] = db_i64s(r->a, g->t[i].skill);
		p[2] = db_i64s(r->a, g->t[i].level);
		if ((n = db_exec(r->db, STMT_GOALS_TARGET_PUT, 3, p)) < 0)
			goto fail;
		if (n == 0) {
			db_rollback(r->db);
			return 404;
		}
	}
	if ((n = rec_mark_stale(r)) < 0)
		goto fail;
	if ((n = db_commit(r->db)) < 0)
		goto fail;
	return 0;
fail:
	db_rollback(r->db);
	return page_db_status(n);
}

static void
html(struct buf *b, const char *s)
{
	buf_put_html(b, s != NULL ? s : "", s != NULL ? strlen(s) : 0);
}

static int
goals_page(struct req *r, const struct goal_in *typed, const char *field,
    const char *msg)
{
	struct view *v = view_new(r->a);
	struct buf rows;
	const char *p[1];
	int n, i, l, target, st, set = 0;

	p[0] = db_i64s(r->a, r->user.id);
	if ((n = db_exec(r->db, STMT_GOALS_GET, 1, p)) < 0)
		return page_db_status(n);
	if (typed != NULL) {
		/* Show the form as it was typed. */
		view_set(v, "deadline", r->form.str[F_GOAL_DEADLINE]);
		view_set(v, "hours", r->form.str[F_GOAL_HOURS]);
		view_set(v, "retention", r->form.str[F_GOAL_RETENTION]);
		view_set(v, "limit", r->form.str[F_GOAL_LIMIT]);
	} else if (n > 0) {
		set = 1;
		view_set(v, "deadline", db_str(r->db, 0, 0));
		view_setf(v, "hours", "%g", db_dbl(r->db, 0, 1));
		view_setf(v, "retention", "%.0f", 100 * db_dbl(r->db, 0, 2));
		view_set_int(v, "limit", (long)db_i64(r->db, 0, 3));
	} else {
		view_set(v, "hours", "5");
		view_set(v, "retention", "90");
		view_set_int(v, "limit", 50);
	}
	view_set_bool(v, "saved", set);
	if ((n = db_exec(r->db, STMT_GOALS_SKILLS, 1, p)) < 0)
		return page_db_status(n);
	buf_init(&rows);
	for (i = 0; i < n; i++) {
		int64_t id = db_i64(r->db, i, 0);
		double lv = db_dbl(r->db, i, 3);

		target = (int)db_i64(r->db, i, 2);
		if (typed != NULL) {
			int k;

			target = 0;
			for (k = 0; k < typed->nt; k++)
				if (typed->t[k].skill == id)
					target = typed->t[k].level;
		}
		buf_puts(&rows, "<tr><th scope=\"row\"><label for=\"t");
		buf_printf(&rows, "%lld\">", (long long)id);
		html(&rows, db_str(r->db, i, 1));
		buf_puts(&rows, "</label></th><td>");
		if (lv > 0)
			buf_printf(&rows, "%.1f", lv);
		else
			buf_puts(&rows, "not assessed");
		buf_printf(&rows, "</td><td><select id=\"t%lld\" "
		    "name=\"target_%lld\">", (long long)id, (long long)id);
		buf_printf(&rows, "<option value=\"0\"%s>no target</option>",
		    target == 0 ? " selected" : "");
		for (l = 1; l <= 10; l++)
			buf_printf(&rows, "<option value=\"%d\"%s>%d</option>",
			    l, l == target ? " selected" : "", l);
		buf_puts(&rows, "</select></td></tr>\n");
	}
	view_set_raw(v, "rows", rows.p != NULL ? rows.p : "");
	buf_free(&rows);
	view_set(v, "csrf", r->csrf);
	if (field != NULL)
		view_set(v, field, msg);
	st = http_page_nav(r, TMPL_GOALS, v, "Your goal", TMPL_NAV_PATH);
	if (field != NULL && st == 200)
		st = 400;
	return st;
}

int
page_goals(struct req *r)
{
	struct goal_in g;
	const char *field, *msg;
	int st;

	if (strcmp(r->method, "POST") != 0)
		return goals_page(r, NULL, NULL, NULL);
	if (goal_read(r, &g, &field, &msg) == -1)
		return goals_page(r, &g, field, msg);
	if ((st = goal_save(r, &g)) == 404)
		return goals_page(r, &g, "skill_error",
		    "A target names a skill that does not exist.");
	if (st != 0)
		return http_error(r, st, "Your goal could not be saved; try "
		    "again shortly.");
	r->flash = "Goal saved. Generate your learning path to see how to "
	    "reach it.";
	return goals_page(r, NULL, NULL, NULL);
}

static int
goal_json(struct req *r, int status)
{
	const char *p[1];
	int n, i;

	p[0] = db_i64s(r->a, r->user.id);
	if ((n = db_exec(r->db, STMT_GOALS_GET, 1, p)) < 0)
		return http_error(r, page_db_status(n), "Try again shortly.");
	json_begin(r);
	if (n > 0) {
		if (db_str(r->db, 0, 0)[0] != '\0')
			json_str(r, "deadline", db_str(r->db, 0, 0));
		else
			json_raw(r, "deadline", "null");
		json_dbl(r, "hours_per_week", db_dbl(r->db, 0, 1));
		json_dbl(r, "desired_retention", db_dbl(r->db, 0, 2));
		json_i64(r, "daily_limit", db_i64(r->db, 0, 3));
	} else {
		json_raw(r, "deadline", "null");
		json_dbl(r, "hours_per_week", 5);
		json_dbl(r, "desired_retention", 0.9);
		json_i64(r, "daily_limit", 50);
	}
	json_bool(r, "set", n > 0);
	if ((n = db_exec(r->db, STMT_GOALS_SKILLS, 1, p)) < 0)
		return http_error(r, page_db_status(n), "Try again shortly.");
	json_arr_begin(r, "targets");
	for (i = 0; i < n && db_i64(r->db, i, 2) > 0; i++) {
		json_obj_begin(r, NULL);
		json_i64(r, "skill_id", db_i64(r->db, i, 0));
		json_str(r, "name", db_str(r->db, i, 1));
		json_i64(r, "target_level", db_i64(r->db, i, 2));
		json_dbl(r, "level", db_dbl(r->db, i, 3));
		json_obj_end(r);
	}
	json_arr_end(r);
	json_end(r);
	return http_json(r, status);
}

int
page_api_goals(struct req *r)
{
	struct goal_in g;
	const char *field, *msg;
	int st;

	if (strcmp(r->method, "POST") != 0)
		return goal_json(r, 200);
	if (goal_read(r, &g, &field, &msg) == -1)
		return http_error(r, 400, msg);
	if ((st = goal_save(r, &g)) == 404)
		return http_error(r, 404, "A target names a skill that does "
		    "not exist.");
	if (st != 0)
		return http_error(r, st, "Try again shortly.");
	return goal_json(r, 200);
}
