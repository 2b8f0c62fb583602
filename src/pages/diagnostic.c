/*
 * diagnostic: the adaptive placement test (/diagnostic, /diagnostic/{id},
 * /api/v1/diagnostics): a CAT over the bank for the skills the learner
 * chose, with liblearn's IRT (maximum information, content balanced
 * equally across the chosen skills, stop at SE <= 0.3 or the maximum item
 * count or an exhausted bank).  At the end each skill gets a level 1..10
 * from an EAP estimate over that skill's answered items, written to the
 * learner model and the profile, and the gaps against the target show.
 *
 * Design decision: the CAT keeps no state between requests.  Each answer
 * rebuilds the bank from the current question versions (IRT parameters
 * from question_versions: the authored difficulty mapped to b until an
 * item is calibrated), replays the recorded responses, and either ends the
 * test or appends the next item to attempt_items.  The attempt rows are
 * the session, so a reload, a retry or a second device sees one test.
 * Answers go through attempt_answer(), so they update the learner model
 * like quiz answers do.
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "db/db.h"
#include "http/view.h"
#include "learn/irt.h"
#include "pages/attempt.h"
#include "pages/pages.h"

#define SE_STOP		0.3
#define MAXSKILLS	20

const struct http_field page_diag_fields[F_DG__MAX] = {
	[F_DG_SKILLS] = { "skills", HTTP_FT_STRING, 0, 400, 0, 0, NULL, 0,
	    "Skills" },
	[F_DG_TARGET] = { "target", HTTP_FT_INT, 0, 0, 1, 10, NULL, 0,
	    "Target level" },
	[F_DG_MAX] = { "max_items", HTTP_FT_INT, 0, 0, 1, 60, NULL, 0,
	    "Most questions" },
};

static void
html(struct buf *b, const char *s)
{
	buf_put_html(b, s != NULL ? s : "", s != NULL ? strlen(s) : 0);
}

/* The chosen skills: from repeated "skills" params or "1,2,3". */
static int
parse_skills(struct req *r, int64_t *ids, const char **why)
{
	size_t i;
	int n = 0, j;
	const char *s;
	char *end;

	for (i = 0; i < r->nparams; i++) {
		if (strcmp(r->params[i].name, "skills") != 0)
			continue;
		s = r->params[i].value;
		while (*s != '\0') {
			long long v;

			while (*s == ',' || *s == ' ')
				s++;
			if (*s == '\0')
				break;
			v = strtoll(s, &end, 10);
			if (end == s || v <= 0 || (*end != '\0' &&
			    *end != ',' && *end != ' ')) {
				*why = "Skills must be skill numbers.";
				return -1;
			}
			s = end;
			for (j = 0; j < n; j++)
				if (ids[j] == v)
					break;
			if (j < n)
				continue;
			if (n == MAXSKILLS) {
				*why = "Choose at most 20 skills.";
				return -1;
			}
			ids[n++] = v;
		}
	}
	if (n == 0)
		*why = "Choose at least one skill.";
	return n;
}

static const char *
id_array(struct req *r, const int64_t *ids, int n)
{
	struct buf b;
	const char *out;
	int i;

	buf_init(&b);
	buf_putc(&b, '{');
	for (i = 0; i < n; i++)
		buf_printf(&b, "%s%lld", i ? "," : "", (long long)ids[i]);
	buf_putc(&b, '}');
	out = arena_strdup(r->a, b.p);
	buf_free(&b);
	return out;
}

struct diag {
	int64_t		 id;
	const char	*status;
	int		 target, max;
	int64_t		 skill[MAXSKILLS];
	int		 nskill;
	double		 theta, se;
	int		 se_null;
};

static int
diag_load(struct req *r, int64_t id, struct diag *d)
{
	const char *p[2], *s;
	char *end;
	int n;

	p[0] = db_i64s(r->a, id);
	p[1] = db_i64s(r->a, r->user.id);
	if ((n = db_exec(r->db, STMT_ATTEMPT_GET, 2, p)) < 0)
		return page_db_status(n);
	if (n == 0 || !db_bool(r->db, 0, 14))
		return 404;
	d->id = id;
	d->status = arena_strdup(r->a, db_str(r->db, 0, 2));
	d->theta = db_dbl(r->db, 0, 15);
	d->se_null = db_isnull(r->db, 0, 16);
	d->se = db_dbl(r->db, 0, 16);
	d->target = (int)db_i64(r->db, 0, 17);
	d->max = (int)db_i64(r->db, 0, 19);
	s = db_str(r->db, 0, 18);
	for (d->nskill = 0; *s != '\0' && d->nskill < MAXSKILLS; ) {
		d->skill[d->nskill++] = strtoll(s, &end, 10);
		s = *end == ',' ? end + 1 : end;
		if (end == s && *s != '\0')
			break;
	}
	return 0;
}

/* Per-skill EAP over the skill's answered items -> level; written to the
 * model and profile.  Inside the caller's transaction. */
static int
finish_skills(struct req *r, const struct diag *d)
{
	struct learn_irt_grid g;
	struct learn_irt_item it[200];
	unsigned char resp[200];
	const char *p[4];
	int s, n, i;

	if (learn_irt_grid_jscat(&g, -6, 6, 0.1, 0, 1) != 0)
		return DB_HARD;
	for (s = 0; s < d->nskill; s++) {
		double th;
		int lvl;

		p[0] = db_i64s(r->a, d->id);
		p[1] = db_i64s(r->a, d->skill[s]);
		if ((n = db_exec(r->db, STMT_DIAG_ANSWERED_SKILL, 2, p)) < 0)
			return n;
		if (n == 0)
			continue;	/* no evidence: level unchanged */
		for (i = 0; i < n && i < 200; i++) {
			resp[i] = (unsigned char)db_bool(r->db, i, 0);
			it[i].a = db_dbl(r->db, i, 1);
			it[i].b = db_dbl(r->db, i, 2);
			it[i].c = db_dbl(r->db, i, 3);
			it[i].d = 1;
		}
		th = learn_irt_eap(&g, it, resp, (size_t)i, NULL);
		lvl = attempt_theta_level(th);
		p[0] = db_i64s(r->a, r->user.id);
		p[1] = db_i64s(r->a, d->skill[s]);
		p[2] = arena_printf(r->a, "%.17g", th);
		p[3] = db_i64s(r->a, lvl);
		if ((n = db_exec(r->db, STMT_DIAG_SKILL_LEVEL, 4, p)) < 0)
			return n;
		p[2] = db_i64s(r->a, lvl);
		if ((n = db_exec(r->db, STMT_ATTEMPT_PROFILE_LEVEL, 3, p)) < 0)
			return n;
	}
	return 0;
}

/*
 * After an answer (or at the start): replays the session and either ends
 * it or appends the next item.  Nothing happens while an item is pending.
 * 0, or a db_err.
 */
static int
advance(struct req *r, struct diag *d)
{
	struct learn_irt_item *items;
	struct learn_irt_bank *bank = NULL;
	struct learn_irt_cat *cat = NULL;
	struct learn_irt_select sel;
	double target[MAXSKILLS];
	int64_t *qid, *vid;
	int *sk;
	const char *p[3];
	int n, na, i, j, rc = 0;
	long next;
	enum learn_irt_stop stop;

	p[0] = db_i64s(r->a, d->id);
	if ((n = db_exec(r->db, STMT_DIAG_PENDING, 1, p)) < 0)
		return n;
	if (n > 0)
		return 0;
	p[0] = id_array(r, d->skill, d->nskill);
	if ((n = db_exec(r->db, STMT_DIAG_BANK, 1, p)) < 0)
		return n;
	items = arena_calloc(r->a, n > 0 ? (size_t)n : 1, sizeof(*items));
	qid = arena_calloc(r->a, n > 0 ? (size_t)n : 1, sizeof(*qid));
	vid = arena_calloc(r->a, n > 0 ? (size_t)n : 1, sizeof(*vid));
	sk = arena_calloc(r->a, n > 0 ? (size_t)n : 1, sizeof(*sk));
	for (i = 0; i < n; i++) {
		int64_t s = db_i64(r->db, i, 5);

		qid[i] = db_i64(r->db, i, 0);
		vid[i] = db_i64(r->db, i, 1);
		items[i].a = db_dbl(r->db, i, 2);
		items[i].b = db_dbl(r->db, i, 3);
		items[i].c = db_dbl(r->db, i, 4);
		items[i].d = 1;
		for (j = 0; j < d->nskill; j++)
			if (d->skill[j] == s)
				break;
		sk[i] = j < d->nskill ? j : 0;
	}
	if (n > 0 && (bank = learn_irt_bank_new(items, (size_t)n, sk,
	    d->nskill)) == NULL)
		return DB_HARD;
	if (bank != NULL && (cat = learn_irt_cat_new(bank, LEARN_IRT_EAP)) ==
	    NULL) {
		learn_irt_bank_free(bank);
		return DB_HARD;
	}
	p[0] = db_i64s(r->a, d->id);
	if ((na = db_exec(r->db, STMT_DIAG_ANSWERED, 1, p)) < 0) {
		rc = na;
		goto out;
	}
	for (i = 0; i < na && cat != NULL; i++) {
		int64_t q = db_i64(r->db, i, 0);

		for (j = 0; j < n; j++)
			if (qid[j] == q) {
				learn_irt_cat_answer(cat, (size_t)j,
				    db_bool(r->db, i, 1));
				break;
			}
	}
	for (i = 0; i < d->nskill; i++)
		target[i] = 1.0 / d->nskill;
	sel.topk = 1;
	sel.rng = NULL;
	sel.target = target;
	stop = cat == NULL ? LEARN_IRT_STOP_EMPTY :
	    learn_irt_cat_stop(cat, SE_STOP, (size_t)d->max);
	if (stop == LEARN_IRT_GO && na >= d->max)
		stop = LEARN_IRT_STOP_MAX;
	next = stop == LEARN_IRT_GO ? learn_irt_cat_next(cat, &sel) : -1;
	p[0] = db_i64s(r->a, d->id);
	p[1] = arena_printf(r->a, "%.17g", cat != NULL ? cat->theta : 0.0);
	p[2] = cat != NULL && isfinite(cat->se) ?
	    arena_printf(r->a, "%.17g", cat->se) : NULL;
	if (next < 0) {
		if ((rc = db_exec(r->db, STMT_DIAG_FINISH, 3, p)) < 0)
			goto out;
		rc = finish_skills(r, d);
		d->status = "submitted";
		goto out;
	}
	if ((rc = db_exec(r->db, STMT_DIAG_STATE_PUT, 3, p)) < 0)
		goto out;
	p[1] = db_i64s(r->a, qid[next]);
	p[2] = db_i64s(r->a, vid[next]);
	rc = db_exec(r->db, STMT_DIAG_ITEM_ADD, 3, p);
	rc = rc < 0 ? rc : 0;
out:
	if (cat != NULL)
		learn_irt_cat_free(cat);
	if (bank != NULL)
		learn_irt_bank_free(bank);
	return rc;
}

/* advance() in a transaction that holds the attempt row. */
static int
advance_tx(struct req *r, struct diag *d)
{
	const char *p[2];
	int n;

	if (db_begin(r->db) == -1)
		return 503;
	p[0] = db_i64s(r->a, d->id);
	p[1] = db_i64s(r->a, r->user.id);
	if ((n = db_exec(r->db, STMT_ATTEMPT_LOCK, 2, p)) <= 0 ||
	    strcmp(db_str(r->db, 0, 0), "open") != 0) {
		db_rollback(r->db);
		return n < 0 ? page_db_status(n) : 0;
	}
	if ((n = advance(r, d)) < 0) {
		db_rollback(r->db);
		return page_db_status(n);
	}
	if ((n = db_commit(r->db)) < 0)
		return page_db_status(n);
	return 0;
}

/* Starts a diagnostic from the validated form: 0 with *id, or a status
 * with *msg. */
static int
start(struct req *r, int64_t *id, const char **msg)
{
	const struct http_form *f = &r->form;
	struct diag d;
	int64_t skills[MAXSKILLS];
	const char *p[4];
	int n, st;

	*msg = "Try again shortly.";
	if (f->nerr > 0) {
		*msg = http_form_error(f);
		return 400;
	}
	if ((n = parse_skills(r, skills, msg)) <= 0)
		return 400;
	p[0] = id_array(r, skills, n);
	if ((st = db_exec(r->db, STMT_PROFILE_SKILL_NAMES, 1, p)) < 0)
		return page_db_status(st);
	if (st != n) {
		*msg = "No such skill.";
		return 400;
	}
	p[0] = db_i64s(r->a, r->user.id);
	p[1] = id_array(r, skills, n);
	p[2] = db_i64s(r->a, f->present[F_DG_TARGET] ? f->i64[F_DG_TARGET] :
	    7);
	p[3] = db_i64s(r->a, f->present[F_DG_MAX] ? f->i64[F_DG_MAX] : 20);
	if ((st = db_exec(r->db, STMT_DIAG_INSERT, 4, p)) <= 0)
		return page_db_status(st < 0 ? st : DB_HARD);
	*id = db_i64(r->db, 0, 0);
	if ((st = diag_load(r, *id, &d)) != 0)
		return st;
	return advance_tx(r, &d);
}

/* Results: level per skill and gap to the target. */
static void
results_html(struct req *r, const struct diag *d, struct buf *b, int json)
{
	const char *p[1];
	int n, i, s;

	p[0] = db_i64s(r->a, r->user.id);
	if ((n = db_exec(r->db, STMT_PROFILE_SKILLS, 1, p)) < 0)
		return;
	for (s = 0; s < d->nskill; s++) {
		for (i = 0; i < n; i++)
			if (db_i64(r->db, i, 0) == d->skill[s])
				break;
		if (i == n)
			continue;
		long lvl = lround(db_dbl(r->db, i, 2));
		long gap = d->target - lvl;

		if (json) {
			json_obj_begin(r, NULL);
			json_i64(r, "skill_id", d->skill[s]);
			json_str(r, "name", db_str(r->db, i, 1));
			json_i64(r, "level", lvl);
			json_i64(r, "target", d->target);
			json_i64(r, "gap", gap > 0 ? gap : 0);
			json_obj_end(r);
			continue;
		}
		buf_puts(b, "<tr><th scope=\"row\">");
		html(b, db_str(r->db, i, 1));
		buf_printf(b, "</th><td>%ld</td><td>%d</td><td>%s</td></tr>\n",
		    lvl, d->target, gap > 0 ? arena_printf(r->a,
		    "%ld level%s to go", gap, gap == 1 ? "" : "s") :
		    "Target reached");
	}
}

static int
diag_page(struct req *r, int64_t id, const char *error, int status)
{
	struct view *v = view_new(r->a);
	struct attempt_item *it;
	struct diag d;
	struct buf b;
	int n, i, st;

	if ((st = diag_load(r, id, &d)) != 0)
		return http_error(r, st, st == 404 ? "No such diagnostic." :
		    "Try again shortly.");
	buf_init(&b);
	view_set_int(v, "id", (long)id);
	view_set(v, "error", error);
	if (strcmp(d.status, "open") == 0) {
		if ((n = attempt_items_load(r, id, &it)) < 0)
			return page_db_status(n);
		view_set_int(v, "answered", n > 0 ? n - 1 : 0);
		view_set_int(v, "max", d.max);
		for (i = 0; i < n; i++) {
			const char *p[2];

			if (it[i].answered)
				continue;
			p[0] = db_i64s(r->a, id);
			p[1] = db_i64s(r->a, it[i].seq);
			(void)db_exec(r->db, STMT_ATTEMPT_ITEM_SHOWN, 2, p);
			attempt_item_html(r, &b, &it[i], arena_printf(r->a,
			    "/diagnostic/%lld/answers/%lld", (long long)id,
			    (long long)it[i].qid), "Answer", 0);
			break;
		}
		view_set_raw(v, "item", b.p != NULL ? b.p : "");
	} else {
		view_set_bool(v, "done", 1);
		view_setf(v, "theta", "%.2f", d.theta);
		view_setf(v, "se", d.se_null ? "–" : "%.2f", d.se);
		results_html(r, &d, &b, 0);
		view_set_raw(v, "rows", b.p != NULL ? b.p : "");
	}
	st = http_page(r, TMPL_DIAGNOSTIC_TAKE, v, "Diagnostic");
	buf_free(&b);
	return st == 200 ? status : st;
}

static int
start_page(struct req *r, const char *error, int status)
{
	struct view *v = view_new(r->a);
	struct buf b;
	int n, i, st;

	if ((n = db_exec(r->db, STMT_DIAG_SKILL_CHOICES, 0, NULL)) < 0)
		return page_db_status(n);
	buf_init(&b);
	for (i = 0; i < n; i++) {
		buf_printf(&b, "<div><input type=\"checkbox\" name=\"skills\" "
		    "id=\"skill-%lld\" value=\"%lld\"> <label "
		    "for=\"skill-%lld\">", (long long)db_i64(r->db, i, 0),
		    (long long)db_i64(r->db, i, 0),
		    (long long)db_i64(r->db, i, 0));
		html(&b, db_str(r->db, i, 1));
		buf_printf(&b, " (%lld questions)</label></div>\n",
		    (long long)db_i64(r->db, i, 2));
	}
	view_set(v, "csrf", r->csrf);
	view_set_raw(v, "skills", b.p != NULL ? b.p : "");
	view_set_int(v, "count", n);
	view_set(v, "error", error);
	st = http_page(r, TMPL_DIAGNOSTIC_START, v, "Diagnostic");
	buf_free(&b);
	return st == 200 ? status : st;
}

int
page_diagnostic(struct req *r)
{
	int64_t id;
	const char *msg;
	int st;

	if (strcmp(r->method, "POST") != 0)
		return start_page(r, NULL, 200);
	if ((st = start(r, &id, &msg)) != 0)
		return st == 400 ? start_page(r, msg, 400) :
		    http_error(r, st, msg);
	return http_redirect(r, arena_printf(r->a, "/diagnostic/%lld",
	    (long long)id));
}

int
page_diagnostic_take(struct req *r)
{
	return diag_page(r, r->pathid[0], NULL, 200);
}

/* Answer, then advance: shared by the page and the API. */
static enum attempt_ans
answer(struct req *r, struct attempt_result *res, int *st)
{
	struct diag d;
	enum attempt_ans a;

	*st = diag_load(r, r->pathid[0], &d);
	if (*st != 0) {
		res->status = *st;
		res->msg = *st == 404 ? "No such diagnostic." :
		    "Try again shortly.";
		return *st == 404 ? ANS_NO_ATTEMPT : ANS_DB;
	}
	a = attempt_answer(r, r->pathid[0], r->pathid[1], res);
	if (a == ANS_SAVED || a == ANS_DUPLICATE)
		*st = advance_tx(r, &d);
	return a;
}

int
page_diagnostic_answer(struct req *r)
{
	struct attempt_result res;
	enum attempt_ans a;
	int st;

	a = answer(r, &res, &st);
	if (a == ANS_SAVED || a == ANS_DUPLICATE) {
		if (st != 0)
			return st;
		return http_redirect(r, arena_printf(r->a,
		    "/diagnostic/%lld", (long long)r->pathid[0]));
	}
	if (a == ANS_NO_ATTEMPT || a == ANS_DB)
		return http_error(r, res.status, res.msg);
	return diag_page(r, r->pathid[0], res.msg, res.status);
}

static int
json_diag(struct req *r, int64_t id, int status)
{
	struct attempt_item *it;
	struct diag d;
	struct buf dummy;
	int n, i, st;

	if ((st = diag_load(r, id, &d)) != 0)
		return http_error(r, st, st == 404 ? "No such diagnostic." :
		    "Try again shortly.");
	buf_reset(r->body);
	json_begin(r);
	json_i64(r, "id", id);
	json_str(r, "status", d.status);
	json_dbl(r, "theta", d.theta);
	if (!d.se_null)
		json_dbl(r, "se", d.se);
	json_i64(r, "target", d.target);
	json_i64(r, "max_items", d.max);
	if (strcmp(d.status, "open") == 0) {
		if ((n = attempt_items_load(r, id, &it)) < 0)
			return http_error(r, page_db_status(n),
			    "Try again shortly.");
		json_i64(r, "answered", n > 0 ? n - 1 : 0);
		for (i = 0; i < n; i++) {
			const char *p[2];

			if (it[i].answered)
				continue;
			p[0] = db_i64s(r->a, id);
			p[1] = db_i64s(r->a, it[i].seq);
			(void)db_exec(r->db, STMT_ATTEMPT_ITEM_SHOWN, 2, p);
			json_obj_begin(r, "next");
			json_i64(r, "question_id", it[i].qid);
			json_str(r, "kind", it[i].kind);
			json_str(r, "stem", it[i].stem);
			attempt_options_json(r, &it[i], 0);
			json_obj_end(r);
			break;
		}
	} else {
		buf_init(&dummy);
		json_arr_begin(r, "skills");
		results_html(r, &d, &dummy, 1);
		json_arr_end(r);
		buf_free(&dummy);
	}
	json_end(r);
	return http_json(r, status);
}

int
page_api_diagnostic_start(struct req *r)
{
	int64_t id;
	const char *msg;
	int st;

	if ((st = start(r, &id, &msg)) != 0)
		return http_error(r, st, msg);
	return json_diag(r, id, 201);
}

int
page_api_diagnostic(struct req *r)
{
	return json_diag(r, r->pathid[0], 200);
}

int
page_api_diagnostic_answer(struct req *r)
{
	struct attempt_result res;
	enum attempt_ans a;
	int st;

	a = answer(r, &res, &st);
	if (a != ANS_SAVED && a != ANS_DUPLICATE)
		return http_error(r, res.status, res.msg);
	if (st != 0)
		return http_error(r, st, "Try again shortly.");
	return json_diag(r, r->pathid[0], 200);
}
