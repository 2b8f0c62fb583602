/*
 * profile: the learner's skill profile (/profile/skills and
 * GET /api/v1/profile/skills): level 1..10 per skill from the learner
 * model, BKT mastery, and the gaps against the targets.
 *
 * Design decision: a skill's target is the learner's goal (/goals) when
 * they set one; without a goal, the highest target level among the
 * learner's courses (enrolled, not left) that teach it, else the target
 * chosen for the last diagnostic.  A gap is a target above the level (or a
 * target skill with no level yet).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "db/db.h"
#include "http/view.h"
#include "pages/pages.h"

#define MAXROWS	500

struct srow {
	int64_t		 id;
	const char	*name;
	int		 level;		/* 0: none yet */
	double		 p_known;
	long		 n;
	const char	*updated;
	int		 target;	/* 0: none */
};

static void
html(struct buf *b, const char *s)
{
	buf_put_html(b, s != NULL ? s : "", s != NULL ? strlen(s) : 0);
}

/* Levels and targets merged by skill: count, or a db_err. */
static int
load(struct req *r, struct srow **out)
{
	struct srow *s;
	const char *p[1];
	int n, nt, i, j, m;
	int64_t tid[MAXROWS];
	int tl[MAXROWS];

	p[0] = db_i64s(r->a, r->user.id);
	if ((nt = db_exec(r->db, STMT_PROFILE_TARGETS, 1, p)) < 0)
		return nt;
	if (nt > MAXROWS)
		nt = MAXROWS;
	for (i = 0; i < nt; i++) {
		tid[i] = db_i64(r->db, i, 0);
		tl[i] = (int)db_i64(r->db, i, 1);
	}
	if ((n = db_exec(r->db, STMT_PROFILE_SKILLS, 1, p)) < 0)
		return n;
	if (n > MAXROWS)
		n = MAXROWS;
	s = arena_calloc(r->a, (size_t)(n + nt + 1), sizeof(*s));
	for (i = 0; i < n; i++) {
		s[i].id = db_i64(r->db, i, 0);
		s[i].name = arena_strdup(r->a, db_str(r->db, i, 1));
		s[i].level = (int)lround(db_dbl(r->db, i, 2));
		s[i].p_known = db_dbl(r->db, i, 3);
		s[i].n = (long)db_i64(r->db, i, 5);
		s[i].updated = arena_strdup(r->a, db_str(r->db, i, 6));
	}
	m = n;
	for (j = 0; j < nt; j++) {
		for (i = 0; i < n; i++)
			if (s[i].id == tid[j])
				break;
		if (i == n) {
			s[m].id = tid[j];
			s[m].name = NULL;
			i = m++;
		}
		s[i].target = tl[j];
	}
	/* Names of target-only skills. */
	if (m > n) {
		struct buf b;

		buf_init(&b);
		buf_putc(&b, '{');
		for (i = n; i < m; i++)
			buf_printf(&b, "%s%lld", i > n ? "," : "",
			    (long long)s[i].id);
		buf_putc(&b, '}');
		p[0] = arena_strdup(r->a, b.p);
		buf_free(&b);
		if ((nt = db_exec(r->db, STMT_PROFILE_SKILL_NAMES, 1, p)) < 0)
			return nt;
		for (j = 0; j < nt; j++)
			for (i = n; i < m; i++)
				if (s[i].id == db_i64(r->db, j, 0))
					s[i].name = arena_strdup(r->a,
					    db_str(r->db, j, 1));
		for (i = n; i < m; i++)
			if (s[i].name == NULL)
				s[i].name = "";
	}
	*out = s;
	return m;
}

int
page_profile_skills(struct req *r)
{
	struct view *v = view_new(r->a);
	struct srow *s;
	struct buf rows, gaps;
	int n, i, st;

	if ((n = load(r, &s)) < 0)
		return page_db_status(n);
	buf_init(&rows);
	buf_init(&gaps);
	for (i = 0; i < n; i++) {
		buf_puts(&rows, "<tr><th scope=\"row\">");
		html(&rows, s[i].name);
		if (s[i].level > 0)
			buf_printf(&rows, "</th><td>%d</td><td>%.0f%%</td>"
			    "<td>%ld</td>", s[i].level, 100 * s[i].p_known,
			    s[i].n);
		else
			buf_puts(&rows, "</th><td>not yet assessed</td>"
			    "<td>–</td><td>0</td>");
		if (s[i].target > 0)
			buf_printf(&rows, "<td>%d</td></tr>\n", s[i].target);
		else
			buf_puts(&rows, "<td>–</td></tr>\n");
		if (s[i].target > s[i].level) {
			buf_puts(&gaps, "<li>");
			html(&gaps, s[i].name);
			if (s[i].level > 0)
				buf_printf(&gaps, ": level %d, target %d "
				    "(%d to go)</li>\n", s[i].level,
				    s[i].target, s[i].target - s[i].level);
			else
				buf_printf(&gaps, ": not assessed yet, target "
				    "%d</li>\n", s[i].target);
		}
	}
	view_set_int(v, "count", n);
	view_set_raw(v, "rows", rows.p != NULL ? rows.p : "");
	view_set_raw(v, "gaps", gaps.p != NULL ? gaps.p : "");
	st = http_page_nav(r, TMPL_PROFILE_SKILLS, v, "Your skills",
	    TMPL_NAV_ACCOUNT);
	buf_free(&rows);
	buf_free(&gaps);
	return st;
}

int
page_api_profile_skills(struct req *r)
{
	struct srow *s;
	int n, i;

	if ((n = load(r, &s)) < 0)
		return http_error(r, page_db_status(n), "Try again shortly.");
	json_begin(r);
	json_arr_begin(r, "skills");
	for (i = 0; i < n; i++) {
		json_obj_begin(r, NULL);
		json_i64(r, "skill_id", s[i].id);
		json_str(r, "name", s[i].name);
		if (s[i].level > 0) {
			json_i64(r, "level", s[i].level);
			json_dbl(r, "mastery", s[i].p_known);
			json_i64(r, "answers", s[i].n);
		}
		if (s[i].target > 0) {
			json_i64(r, "target", s[i].target);
			json_i64(r, "gap", s[i].target > s[i].level ?
			    s[i].target - s[i].level : 0);
		}
		json_obj_end(r);
	}
	json_arr_end(r);
	json_end(r);
	return http_json(r, 200);
}
