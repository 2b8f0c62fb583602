/*
 * attempt: a learner taking a quiz (/quizzes/{id}, /attempts/{id}) and the
 * JSON twins (/api/v1/assessments/{id}/attempts, /api/v1/attempts/...).
 *
 * Design decisions.  A response is keyed by (attempt, seq) and inserted
 * with ON CONFLICT DO NOTHING; only when that insert wrote a row do the
 * learner-model updates run, in the same transaction, so a retry or a
 * double click counts once.  The attempt row is locked (FOR UPDATE) by
 * every answer and by the submit, so a submit and an answer cannot
 * interleave: the submit happens once (the second finds 'submitted': 409)
 * and no answer lands after it.  The server measures response time from
 * when a page first showed the item (attempt_items.shown_at).  Time
 * limits: answers more than 5 s past the deadline are refused (409, kept
 * answers stand); a submit after the deadline is accepted, labelled late
 * and scored on the answers given in time.  Pages never carry a right
 * answer before the item is answered, and show solutions only after the
 * submit.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/markdown.h"
#include "base/qbank.h"
#include "db/db.h"
#include "http/view.h"
#include "learn/bkt.h"
#include "learn/elo.h"
#include "pages/adaptive.h"
#include "pages/attempt.h"
#include "pages/pages.h"

#define MAXOPTS		QB_MAXOPTS
#define LEVEL_ALPHA	0.3	/* weight of the newest evidence */

/* BKT parameters for a skill without fitted ones. */
static const struct learn_bkt_params bkt_default = { 0.3, 0.1, 0.2, 0.1 };

const struct http_field page_attempt_answer_fields[F_ANS__MAX] = {
	[F_ANS_OPTION] = { "option", HTTP_FT_STRING, 0, 40, 0, 0, NULL, 0,
	    "Answer" },
	[F_ANS_OPTIONS] = { "options", HTTP_FT_STRING, 0, 400, 0, 0, NULL,
	    0, "Answers" },
	[F_ANS_VALUE] = { "value", HTTP_FT_STRING, 0, 100, 0, 0, NULL, 0,
	    "Number" },
	[F_ANS_TEXT] = { "text", HTTP_FT_STRING, 0, 1000, 0, 0, NULL, 0,
	    "Answer" },
	[F_ANS_ORDER] = { "order", HTTP_FT_STRING, 0, 400, 0, 0, NULL, 0,
	    "Order" },
};

static const char *
str(struct req *r, int row, int col)
{
	const char *s = db_str(r->db, row, col);

	return arena_strdup(r->a, s != NULL ? s : "");
}

int
attempt_theta_level(double theta)
{
	long l = lround(5.5 + 1.5 * theta);

	return l < 1 ? 1 : l > 10 ? 10 : (int)l;
}

int
attempt_load_opts(struct req *r, int64_t vid, struct attempt_opt *o)
{
	const char *p[1];
	int n, i;

	p[0] = db_i64s(r->a, vid);
	if ((n = db_exec(r->db, STMT_ATTEMPT_OPTIONS, 1, p)) < 0)
		return n;
	for (i = 0; i < n && i < MAXOPTS; i++) {
		o[i].id = db_i64(r->db, i, 0);
		o[i].body = str(r, i, 2);
		o[i].correct = db_bool(r->db, i, 3);
		o[i].value = db_dbl(r->db, i, 4);
		o[i].tol = db_dbl(r->db, i, 5);
		o[i].feedback = str(r, i, 6);
	}
	return i;
}

int
attempt_parse_ids(const char *s, int64_t *ids, int max)
{
	int n = 0;
	char *end;
	long long v;

	while (*s != '\0') {
		while (*s == ' ' || *s == ',')
			s++;
		if (*s == '\0')
			break;
		if (!isdigit((unsigned char)*s) || n == max)
			return -1;
		errno = 0;
		v = strtoll(s, &end, 10);
		if (errno != 0 || v <= 0)
			return -1;
		ids[n++] = v;
		s = end;
		if (*s != '\0' && *s != ',' && *s != ' ')
			return -1;
	}
	return n;
}

static int
find_opt(const struct attempt_opt *o, int n, int64_t id)
{
	int i;

	for (i = 0; i < n; i++)
		if (o[i].id == id)
			return i;
	return -1;
}

/* Every value of a repeated param, joined with commas. */
static const char *
param_joined(struct req *r, const char *name)
{
	struct buf b;
	const char *out;
	size_t i;

	buf_init(&b);
	for (i = 0; i < r->nparams; i++)
		if (strcmp(r->params[i].name, name) == 0)
			buf_printf(&b, "%s%s", b.len ? "," : "",
			    r->params[i].value);
	out = arena_strdup(r->a, b.p != NULL ? b.p : "");
	buf_free(&b);
	return out;
}

/* An ordering from rank_<id> fields (the no-JavaScript control): ids
 * sorted by the rank given.  NULL when no rank field was sent; "" with
 * *why set on a bad one. */
static const char *
order_from_ranks(struct req *r, const struct attempt_opt *o, int n, const char **why)
{
	int rank[MAXOPTS], seen = 0, i, j, pos;
	struct buf b;
	const char *v, *out;
	char name[40];

	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "rank_%lld", (long long)o[i].id);
		rank[i] = 0;
		if ((v = http_param(r, name)) == NULL)
			continue;
		seen++;
		pos = atoi(v);
		if (pos < 1 || pos > n) {
			*why = "Give each item a different position from 1 "
			    "to the number of items.";
			return "";
		}
		rank[i] = pos;
	}
	if (seen == 0)
		return NULL;
	buf_init(&b);
	for (pos = 1; pos <= n; pos++) {
		for (i = 0, j = -1; i < n; i++)
			if (rank[i] == pos) {
				if (j != -1)
					break;
				j = i;
			}
		if (j == -1 || i < n) {
			buf_free(&b);
			*why = "Give each item a different position from 1 "
			    "to the number of items.";
			return "";
		}
		buf_printf(&b, "%s%lld", pos > 1 ? "," : "",
		    (long long)o[j].id);
	}
	out = arena_strdup(r->a, b.p);
	buf_free(&b);
	return out;
}

int
attempt_score_text(struct arena *a, int kind, const struct attempt_opt *o,
    int n, const char *s, int *correct, int *m, const char **why)
{
	struct qb_question q;
	char *end, tmp[101];
	double x;
	int i;

	*m = -1;
	if (s[0] == '\0') {
		*why = kind == QB_NUMERIC ? "Type a number." : "Type an answer.";
		return -1;
	}
	qb_init(&q, (enum qb_kind)kind);
	for (i = 0; i < n; i++) {
		q.opts[i].text = o[i].body;
		q.opts[i].value = o[i].value;
		q.opts[i].tolerance = o[i].tol;
		q.opts[i].correct = kind == QB_SHORT || o[i].correct;
	}
	q.nopts = (size_t)n;
	if (kind == QB_SHORT) {
		*m = qb_short_match(a, &q, s);
		*correct = *m >= 0;
		return 0;
	}
	snprintf(tmp, sizeof(tmp), "%s", s);
	for (i = 0; tmp[i] != '\0'; i++)
		if (tmp[i] == ',')
			tmp[i] = '.';
	errno = 0;
	x = strtod(tmp, &end);
	while (*end == ' ')
		end++;
	if (end == tmp || *end != '\0' || errno != 0 || !isfinite(x) ||
	    isspace((unsigned char)tmp[0])) {
		*why = "The answer must be a number, such as 42 or -3.5.";
		return -1;
	}
	*m = qb_numeric_match(&q, x);
	*correct = *m >= 0 && o[*m].correct;
	return 0;
}

int
attempt_score(struct req *r, const char *kind, const struct attempt_opt *o,
    int n,
    int *correct, const char **answer, int64_t *ids, int *nids,
    const char **fb, const char **why)
{
	const struct http_form *f = &r->form;
	int k = qb_kind_parse(kind), i, m;

	*fb = "";
	*nids = 0;
	switch (k) {
	case QB_SINGLE:
	case QB_TRUEFALSE:
		if ((m = attempt_parse_ids(f->str[F_ANS_OPTION], ids, 1)) != 1) {
			*why = m == 0 ? "Choose an answer." :
			    "That is not one of this question's options.";
			return -1;
		}
		if ((i = find_opt(o, n, ids[0])) < 0) {
			*why = "That is not one of this question's options.";
			return -1;
		}
		*nids = 1;
		*correct = o[i].correct;
		*answer = o[i].body;
		*fb = o[i].feedback;
		return 0;
	case QB_MULTIPLE: {
		/* Checkboxes repeat the field: take every value. */
		const char *s = param_joined(r, "options");
		int chosen[MAXOPTS] = { 0 };

		if ((m = attempt_parse_ids(s, ids, MAXOPTS)) <= 0) {
			*why = m == 0 ? "Choose at least one answer." :
			    "That is not one of this question's options.";
			return -1;
		}
		for (i = 0; i < m; i++) {
			int x = find_opt(o, n, ids[i]);

			if (x < 0) {
				*why = "That is not one of this question's "
				    "options.";
				return -1;
			}
			if (chosen[x]) {
				*why = "An option is chosen twice.";
				return -1;
			}
			chosen[x] = 1;
		}
		*nids = m;
		*correct = 1;
		for (i = 0; i < n; i++)
			if (chosen[i] != o[i].correct)
				*correct = 0;
		*answer = s;
		return 0;
	}
	case QB_NUMERIC:
	case QB_SHORT: {
		const char *s = f->str[k == QB_NUMERIC ? F_ANS_VALUE :
		    F_ANS_TEXT];

		if (attempt_score_text(r->a, k, o, n, s, correct, &m,
		    why) != 0)
			return -1;
		if (m >= 0) {
			*fb = o[m].feedback;
			ids[0] = o[m].id;
			*nids = 1;
		}
		*answer = s;
		return 0;
	}
	case QB_ORDERING: {
		const char *s = order_from_ranks(r, o, n, why);
		int used[MAXOPTS] = { 0 };

		if (s != NULL && s[0] == '\0')
			return -1;
		if (s == NULL)
			s = f->str[F_ANS_ORDER];
		if ((m = attempt_parse_ids(s, ids, MAXOPTS)) != n) {
			*why = m == 0 ? "Put the items in order." :
			    "Give every item of this question exactly once.";
			return -1;
		}
		*correct = 1;
		for (i = 0; i < m; i++) {
			int x = find_opt(o, n, ids[i]);

			if (x < 0 || used[x]) {
				*why = "Give every item of this question "
				    "exactly once.";
				return -1;
			}
			used[x] = 1;
			if (x != i)
				*correct = 0;
		}
		*nids = m;
		*answer = s;
		return 0;
	}
	default:
		*why = "This question cannot be answered here.";
		return -1;
	}
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

/* The learner model after one counted answer: overall Elo ability, and
 * per skill of the question BKT, Elo and the level (see attempt.h). */
int
attempt_model_update(struct req *r, int64_t qid, int difficulty, double b,
    int correct)
{
	static const struct learn_elo_k k = LEARN_ELO_K_DEFAULT;
	const char *p[7];
	struct learn_elo_rating me;
	int n, i, ns;
	struct {
		int64_t			 skill;
		double			 p_known, theta, level;
		long			 n;
		struct learn_bkt_params	 bp;
	} s[QB_MAXSKILLS];

	p[0] = db_i64s(r->a, r->user.id);
	if ((n = db_exec(r->db, STMT_ATTEMPT_ABILITY_LOCK, 1, p)) < 0)
		return n;
	me.value = n > 0 ? db_dbl(r->db, 0, 0) : 0;
	me.n = n > 0 ? (unsigned long)db_i64(r->db, 0, 1) : 0;
	learn_elo_update_learner(&me, b, correct, &k);
	p[1] = arena_printf(r->a, "%.17g", me.value);
	p[2] = db_i64s(r->a, (int64_t)me.n);
	if ((n = db_exec(r->db, STMT_ATTEMPT_ABILITY_PUT, 3, p)) < 0)
		return n;

	p[0] = db_i64s(r->a, qid);
	p[1] = db_i64s(r->a, r->user.id);
	if ((ns = db_exec(r->db, STMT_ATTEMPT_SKILL_STATES, 2, p)) < 0)
		return ns;
	if (ns > QB_MAXSKILLS)
		ns = QB_MAXSKILLS;
	for (i = 0; i < ns; i++) {
		s[i].skill = db_i64(r->db, i, 0);
		s[i].bp = bkt_default;
		if (!db_isnull(r->db, i, 5)) {
			s[i].bp.prior = db_dbl(r->db, i, 5);
			s[i].bp.learn = db_dbl(r->db, i, 6);
			s[i].bp.guess = db_dbl(r->db, i, 7);
			s[i].bp.slip = db_dbl(r->db, i, 8);
		}
		if (db_isnull(r->db, i, 1)) {
			s[i].p_known = s[i].bp.prior;
			s[i].theta = 0;
			s[i].n = 0;
			s[i].level = 0;
		} else {
			s[i].p_known = db_dbl(r->db, i, 1);
			s[i].theta = db_dbl(r->db, i, 2);
			s[i].n = (long)db_i64(r->db, i, 3);
			s[i].level = db_dbl(r->db, i, 4);
		}
	}
	for (i = 0; i < ns; i++) {
		struct learn_bkt_obs obs;
		struct learn_elo_rating sk;
		double ev;

		s[i].p_known = learn_bkt_step(&s[i].bp, s[i].p_known, correct,
		    &obs);
		sk.value = s[i].theta;
		sk.n = (unsigned long)s[i].n;
		learn_elo_update_learner(&sk, b, correct, &k);
		/* Evidence: a right answer shows at least the item's level,
		 * a wrong one at most one below it; newer counts more. */
		ev = correct ? difficulty + 1 : difficulty - 1;
		ev = ev < 1 ? 1 : ev > 10 ? 10 : ev;
		s[i].level = s[i].n == 0 ? ev :
		    (1 - LEVEL_ALPHA) * s[i].level + LEVEL_ALPHA * ev;
		p[0] = db_i64s(r->a, r->user.id);
		p[1] = db_i64s(r->a, s[i].skill);
		p[2] = arena_printf(r->a, "%.17g", s[i].p_known);
		p[3] = arena_printf(r->a, "%.17g", sk.value);
		p[4] = db_i64s(r->a, s[i].n + 1);
		p[5] = arena_printf(r->a, "%.17g", s[i].level);
		p[6] = db_i64s(r->a, lround(s[i].level));
		n = db_exec(r->db, STMT_ATTEMPT_SKILL_STATE_PUT, 7, p);
		if (n < 0)
			return n;
	}
	return 0;
}

static enum attempt_ans
ans_fail(struct attempt_result *res, enum attempt_ans a, int status,
    const char *msg)
{
	res->status = status;
	res->msg = msg;
	return a;
}

enum attempt_ans
attempt_answer(struct req *r, int64_t aid, int64_t qid,
    struct attempt_result *res)
{
	struct attempt_opt o[MAXOPTS];
	int64_t ids[MAXOPTS];
	const char *p[7], *kind, *answer, *fb, *why = NULL;
	int n, no, nids, correct, difficulty, seq, ms, first;
	int64_t vid;
	long item_ms;
	double b;

	memset(res, 0, sizeof(*res));
	res->feedback = "";
	if (db_begin(r->db) == -1)
		return ans_fail(res, ANS_DB, 503, "Try again shortly.");
	p[0] = db_i64s(r->a, aid);
	p[1] = db_i64s(r->a, r->user.id);
	if ((n = db_exec(r->db, STMT_ATTEMPT_LOCK, 2, p)) <= 0) {
		db_rollback(r->db);
		if (n < 0)
			return ans_fail(res, ANS_DB, page_db_status(n),
			    "Try again shortly.");
		return ans_fail(res, ANS_NO_ATTEMPT, 404, "No such attempt.");
	}
	if (strcmp(db_str(r->db, 0, 0), "open") != 0) {
		db_rollback(r->db);
		return ans_fail(res, ANS_SUBMITTED, 409, "This attempt has "
		    "been submitted; its answers can no longer change.");
	}
	if (db_bool(r->db, 0, 1)) {
		db_rollback(r->db);
		return ans_fail(res, ANS_TOO_LATE, 409, "The time limit has "
		    "passed: this answer was not saved. Your earlier answers "
		    "are kept; submit the attempt to see your result.");
	}
	p[1] = db_i64s(r->a, qid);
	if ((n = db_exec(r->db, STMT_ATTEMPT_ANSWER_ITEM, 2, p)) <= 0) {
		db_rollback(r->db);
		if (n < 0)
			return ans_fail(res, ANS_DB, page_db_status(n),
			    "Try again shortly.");
		return ans_fail(res, ANS_NO_ITEM, 404,
		    "That question is not part of this attempt.");
	}
	seq = (int)db_i64(r->db, 0, 0);
	vid = db_i64(r->db, 0, 1);
	kind = str(r, 0, 2);
	difficulty = (int)db_i64(r->db, 0, 3);
	b = db_dbl(r->db, 0, 4);
	res->seq = seq;
	/* Already answered: the stored answer stands, whatever was sent. */
	if (db_bool(r->db, 0, 5)) {
		res->correct = db_bool(r->db, 0, 6);
		res->response_ms = (int)db_i64(r->db, 0, 7);
		db_rollback(r->db);
		res->status = 200;
		res->msg = "This question was already answered; the first "
		    "answer stands.";
		return ANS_DUPLICATE;
	}
	ms = (int)(db_i64(r->db, 0, 8) > 86400000 ? 86400000 :
	    db_i64(r->db, 0, 8));
	first = !db_bool(r->db, 0, 9);
	item_ms = (long)db_i64(r->db, 0, 10);
	if ((no = attempt_load_opts(r, vid, o)) < 0) {
		n = no;
		goto dberr;
	}
	if (attempt_score(r, kind, o, no, &correct, &answer, ids, &nids, &fb,
	    &why) != 0) {
		db_rollback(r->db);
		return ans_fail(res, ANS_BAD, 400, why);
	}
	p[1] = db_i64s(r->a, seq);
	p[2] = db_i64s(r->a, vid);
	p[3] = answer;
	p[4] = id_array(r, ids, nids);
	p[5] = correct ? "true" : "false";
	p[6] = db_i64s(r->a, ms);
	if ((n = db_exec(r->db, STMT_ATTEMPT_RESPONSE_INSERT, 7, p)) < 0)
		goto dberr;
	if (n == 0) {
		/* Lost a race with the same answer: the attempt lock makes
		 * this unreachable, but count nothing twice regardless. */
		db_rollback(r->db);
		res->status = 200;
		return ANS_DUPLICATE;
	}
	if ((n = attempt_model_update(r, qid, difficulty, b, correct)) < 0)
		goto dberr;
	/* The question becomes (or stays) a review card, and the answer is
	 * counted in the learner's rollups (issue 6). */
	if ((n = srs_review_answer(r, qid, correct, ms, 0, arena_printf(r->a,
	    "attempt:%lld:%d", (long long)aid, seq))) < 0)
		goto dberr;
	{
		struct activity act = { 0 };

		act.answers = 1;
		act.correct = correct;
		if ((n = activity_record(r, &act)) < 0)
			goto dberr;
	}
	if ((n = rec_struggle_after_answer(r, aid, correct, ms, item_ms,
	    first)) < 0)
		goto dberr;
	/* Last: the item's statistics (a shard row of this connection's). */
	p[0] = db_i64s(r->a, vid);
	p[1] = correct ? "true" : "false";
	p[2] = db_i64s(r->a, ms);
	if ((n = db_exec(r->db, STMT_ATTEMPT_ITEM_STATS_ADD, 3, p)) < 0)
		goto dberr;
	if ((n = db_commit(r->db)) < 0)
		goto dberr;
	res->correct = correct;
	res->response_ms = ms;
	res->feedback = fb;
	res->status = 200;
	return ANS_SAVED;
dberr:
	db_rollback(r->db);
	return ans_fail(res, ANS_DB, page_db_status(n), "Try again shortly.");
}

/* ---- items ------------------------------------------------------------ */

int
attempt_items_load(struct req *r, int64_t aid, struct attempt_item **out)
{
	struct attempt_item *it;
	const char *p[1];
	int n, i;

	p[0] = db_i64s(r->a, aid);
	if ((n = db_exec(r->db, STMT_ATTEMPT_ITEM_LIST, 1, p)) < 0)
		return n;
	it = arena_calloc(r->a, n > 0 ? (size_t)n : 1, sizeof(*it));
	for (i = 0; i < n; i++) {
		it[i].seq = (int)db_i64(r->db, i, 0);
		it[i].qid = db_i64(r->db, i, 1);
		it[i].vid = db_i64(r->db, i, 2);
		it[i].kind = str(r, i, 3);
		it[i].title = str(r, i, 4);
		it[i].stem = str(r, i, 5);
		it[i].explanation = str(r, i, 6);
		it[i].difficulty = (int)db_i64(r->db, i, 7);
		it[i].answered = !db_isnull(r->db, i, 9);
		it[i].correct = db_bool(r->db, i, 9);
		it[i].answer = str(r, i, 10);
		it[i].optids = str(r, i, 11);
		it[i].ms = (int)db_i64(r->db, i, 12);
		it[i].skills = str(r, i, 13);
	}
	*out = it;
	return n;
}

static void
html(struct buf *b, const char *s)
{
	buf_put_html(b, s != NULL ? s : "", s != NULL ? strlen(s) : 0);
}

static int
chosen(const char *optids, int64_t id)
{
	int64_t ids[MAXOPTS];
	int n, i;

	n = attempt_parse_ids(optids, ids, MAXOPTS);
	for (i = 0; i < n; i++)
		if (ids[i] == id)
			return 1;
	return 0;
}

void
attempt_item_html(struct req *r, struct buf *b, const struct attempt_item *it,
    const char *action, const char *button, int solution)
{
	struct attempt_opt o[MAXOPTS];
	int k = qb_kind_parse(it->kind), n, i;
	const char *stem;

	n = attempt_load_opts(r, it->vid, o);
	if (n < 0)
		n = 0;
	stem = markdown_html(r->a, it->stem, strlen(it->stem));
	buf_printf(b, "<section class=\"question\" id=\"q%d\" "
	    "aria-labelledby=\"q%d-h\">\n<h2 id=\"q%d-h\">Question %d",
	    it->seq, it->seq, it->seq, it->seq);
	if (it->title[0] != '\0') {
		buf_puts(b, ": ");
		html(b, it->title);
	}
	buf_puts(b, "</h2>\n<div class=\"stem\">");
	buf_puts(b, stem != NULL ? stem : "");
	buf_puts(b, "</div>\n");
	if (it->answered) {
		buf_puts(b, "<p class=\"answer\">Your answer: <strong>");
		if (k == QB_SINGLE || k == QB_TRUEFALSE || k == QB_MULTIPLE ||
		    k == QB_ORDERING) {
			int first = 1;

			for (i = 0; i < n; i++)
				if (chosen(it->optids, o[i].id) &&
				    k != QB_ORDERING) {
					buf_puts(b, first ? "" : "; ");
					html(b, o[i].body);
					first = 0;
				}
			if (k == QB_ORDERING) {
				int64_t ids[MAXOPTS];
				int m = attempt_parse_ids(it->optids, ids,
				    MAXOPTS), j;

				for (j = 0; j < m; j++) {
					int x = find_opt(o, n, ids[j]);

					buf_puts(b, j ? " → " : "");
					html(b, x >= 0 ? o[x].body : "?");
				}
			}
		} else
			html(b, it->answer);
		buf_puts(b, "</strong>");
		if (solution)
			buf_puts(b, it->correct ? " — <span class=\"right\">"
			    "right</span>" : " — <span class=\"wrong\">"
			    "wrong</span>");
		else
			buf_puts(b, " (saved)");
		buf_puts(b, "</p>\n");
		if (solution) {
			buf_puts(b, "<p>Right answer: ");
			for (i = 0; i < n; i++) {
				if (k == QB_ORDERING) {
					buf_puts(b, i ? " → " : "");
					html(b, o[i].body);
				} else if (o[i].correct) {
					if (k == QB_NUMERIC)
						buf_printf(b, "%g (± %g) ",
						    o[i].value, o[i].tol);
					else {
						html(b, o[i].body);
						buf_puts(b, "; ");
					}
				}
			}
			buf_puts(b, "</p>\n");
			for (i = 0; i < n; i++)
				if (o[i].feedback[0] != '\0' &&
				    chosen(it->optids, o[i].id)) {
					buf_puts(b, "<p class=\"feedback\">");
					html(b, o[i].feedback);
					buf_puts(b, "</p>\n");
				}
			if (it->explanation[0] != '\0') {
				const char *e = markdown_html(r->a,
				    it->explanation, strlen(it->explanation));

				buf_puts(b, "<div class=\"explanation\">"
				    "<h3>Explanation</h3>");
				buf_puts(b, e != NULL ? e : "");
				buf_puts(b, "</div>\n");
			}
		}
		buf_puts(b, "</section>\n");
		return;
	}
	buf_printf(b, "<form class=\"form\" method=\"post\" action=\"");
	html(b, action);
	buf_puts(b, "\">\n<input type=\"hidden\" name=\"csrf\" value=\"");
	html(b, r->csrf);
	buf_puts(b, "\">\n");
	switch (k) {
	case QB_SINGLE:
	case QB_TRUEFALSE:
	case QB_MULTIPLE:
		buf_printf(b, "<fieldset><legend>%s</legend>\n",
		    k == QB_MULTIPLE ? "Choose every right answer" :
		    "Choose one answer");
		for (i = 0; i < n; i++) {
			buf_printf(b, "<div><input type=\"%s\" "
			    "name=\"%s\" id=\"q%d-o%d\" value=\"%lld\"%s> "
			    "<label for=\"q%d-o%d\">",
			    k == QB_MULTIPLE ? "checkbox" : "radio",
			    k == QB_MULTIPLE ? "options" : "option",
			    it->seq, i + 1, (long long)o[i].id,
			    k == QB_MULTIPLE ? "" : " required",
			    it->seq, i + 1);
			html(b, o[i].body);
			buf_puts(b, "</label></div>\n");
		}
		buf_puts(b, "</fieldset>\n");
		break;
	case QB_NUMERIC:
		buf_printf(b, "<div class=\"field\"><label for=\"q%d-v\">"
		    "Your answer (a number)</label>\n<input id=\"q%d-v\" "
		    "name=\"value\" type=\"text\" inputmode=\"decimal\" "
		    "required maxlength=\"100\"></div>\n", it->seq, it->seq);
		break;
	case QB_SHORT:
		buf_printf(b, "<div class=\"field\"><label for=\"q%d-t\">"
		    "Your answer</label>\n<input id=\"q%d-t\" name=\"text\" "
		    "type=\"text\" required maxlength=\"1000\"></div>\n",
		    it->seq, it->seq);
		break;
	case QB_ORDERING: {
		/* Shown in a fixed order that is not the answer: by option
		 * id reversed when that differs, else rotated by one. */
		buf_printf(b, "<fieldset><legend>Give each item its position "
		    "(1 = first)</legend>\n");
		for (i = 0; i < n; i++) {
			int x = (i + 1) % n, j;

			buf_printf(b, "<div class=\"field\"><label "
			    "for=\"q%d-r%d\">", it->seq, x + 1);
			html(b, o[x].body);
			buf_printf(b, "</label>\n<select id=\"q%d-r%d\" "
			    "name=\"rank_%lld\">", it->seq, x + 1,
			    (long long)o[x].id);
			for (j = 1; j <= n; j++)
				buf_printf(b, "<option%s>%d</option>",
				    j == i + 1 ? " selected" : "", j);
			buf_puts(b, "</select></div>\n");
		}
		buf_puts(b, "</fieldset>\n");
		break;
	}
	default:
		break;
	}
	buf_puts(b, "<p><button type=\"submit\">");
	html(b, button);
	buf_puts(b, "</button></p>\n</form>\n</section>\n");
}

/* ---- starting --------------------------------------------------------- */

/* An attempt as attempt_get reads it (att_load). */
struct att {
	int64_t		 id, quiz;
	const char	*status, *title, *per_page, *started;
	int		 late, passed, pass_mark, expired;
	double		 score;
	int64_t		 deadline;
	long		 nitems, nanswered;
	int		 diag;
};

struct quiz {
	int64_t		 id;
	const char	*title, *mode, *per_page;
	int64_t		 draw_skill;
	int		 draw_min, draw_max, draw_count, pass_mark, allowed;
	int		 time_limit;
	int64_t		 open;		/* the learner's open attempt, 0 */
	long		 submitted;	/* their submitted attempts */
};

static int
quiz_load(struct req *r, int64_t id, struct quiz *q)
{
	const char *p[3];
	int n;

	p[0] = db_i64s(r->a, id);
	p[1] = db_i64s(r->a, r->user.id);
	p[2] = r->user.role == ROLE_ADMIN ? "true" : "false";
	if ((n = db_exec(r->db, STMT_ATTEMPT_ASSESSMENT_GET, 3, p)) <= 0)
		return n < 0 ? page_db_status(n) : 404;
	q->id = id;
	q->title = str(r, 0, 1);
	q->mode = str(r, 0, 2);
	q->draw_skill = db_isnull(r->db, 0, 3) ? 0 : db_i64(r->db, 0, 3);
	q->draw_min = (int)db_i64(r->db, 0, 4);
	q->draw_max = (int)db_i64(r->db, 0, 5);
	q->draw_count = (int)db_i64(r->db, 0, 6);
	q->pass_mark = (int)db_i64(r->db, 0, 7);
	q->allowed = (int)db_i64(r->db, 0, 8);
	q->time_limit = (int)db_i64(r->db, 0, 9);
	q->per_page = str(r, 0, 10);
	q->open = db_i64(r->db, 0, 12);
	q->submitted = (long)db_i64(r->db, 0, 13);
	return 0;
}

/*
 * Starts an attempt, or finds the open one: 0 with *aid and *created, or
 * an HTTP status with *msg.  The attempt and its items are one statement
 * (attempt_start): no transaction block, two round trips in all.  A new
 * attempt is also described in *fresh as att_load would read it (open,
 * nothing answered), so its JSON answer need not read it back.
 */
static int
start(struct req *r, int64_t quiz, int64_t *aid, int *created,
    struct att *fresh, const char **msg)
{
	struct quiz q;
	const char *p[9];
	int n, st, tries;

	*created = 0;
	*msg = "Try again shortly.";
	for (tries = 0; tries < 2; tries++) {
		memset(&q, 0, sizeof(q));
		if ((st = quiz_load(r, quiz, &q)) != 0) {
			*msg = st == 404 ? "No such quiz." : *msg;
			return st;
		}
		if (q.open != 0) {
			*aid = q.open;
			return 0;
		}
		if (q.allowed > 0 && q.submitted >= q.allowed) {
			*msg = "You have used every attempt this quiz allows.";
			return 409;
		}
		p[0] = db_i64s(r->a, quiz);
		p[1] = db_i64s(r->a, r->user.id);
		p[2] = db_i64s(r->a, q.time_limit);
		p[3] = r->remote_addr;
		p[4] = strcmp(q.mode, "random") == 0 ? "true" : "false";
		p[5] = q.draw_skill ? db_i64s(r->a, q.draw_skill) : NULL;
		p[6] = db_i64s(r->a, q.draw_min);
		p[7] = db_i64s(r->a, q.draw_max);
		p[8] = db_i64s(r->a, q.draw_count);
		n = db_exec(r->db, STMT_ATTEMPT_START, 9, p);
		if (n == DB_CONFLICT)
			continue;	/* a concurrent start: find it */
		if (n < 0)
			return page_db_status(n);
		if (n == 0) {
			*msg = "This quiz has no questions yet.";
			return 409;
		}
		*aid = db_i64(r->db, 0, 0);
		*created = 1;
		memset(fresh, 0, sizeof(*fresh));
		fresh->id = *aid;
		fresh->quiz = quiz;
		fresh->status = "open";
		fresh->title = q.title;
		fresh->per_page = q.per_page;
		fresh->pass_mark = q.pass_mark;
		fresh->started = str(r, 0, 1);
		fresh->deadline = db_i64(r->db, 0, 2);
		return 0;
	}
	return 503;
}

int
page_quiz_start(struct req *r)
{
	struct att fresh;
	int64_t aid;
	int created, st;
	const char *msg;

	if ((st = start(r, r->pathid[0], &aid, &created, &fresh, &msg)) != 0)
		return http_error(r, st, msg);
	return http_redirect(r, arena_printf(r->a, "/attempts/%lld",
	    (long long)aid));
}

/* GET /quizzes/{id}: what the quiz is and a button to start. */
int
page_quiz_intro(struct req *r)
{
	struct view *v = view_new(r->a);
	const char *p[3];
	int n;

	p[0] = db_i64s(r->a, r->pathid[0]);
	p[1] = db_i64s(r->a, r->user.id);
	p[2] = r->user.role == ROLE_ADMIN ? "true" : "false";
	if ((n = db_exec(r->db, STMT_QUIZ_FOR_LEARNER, 3, p)) < 0)
		return page_db_status(n);
	if (n == 0)
		return http_error(r, 404, "No such quiz.");
	view_set(v, "csrf", r->csrf);
	view_set(v, "title", db_str(r->db, 0, 1));
	view_set_int(v, "id", (long)r->pathid[0]);
	view_set_int(v, "pass_mark", (long)db_i64(r->db, 0, 2));
	view_set_int(v, "allowed", (long)db_i64(r->db, 0, 3));
	view_set_int(v, "minutes", (long)(db_i64(r->db, 0, 4) + 59) / 60);
	view_set_int(v, "nquestions", (long)(strcmp(db_str(r->db, 0, 5),
	    "random") == 0 ? db_i64(r->db, 0, 6) : db_i64(r->db, 0, 7)));
	view_set_int(v, "used", (long)db_i64(r->db, 0, 8));
	if (!db_isnull(r->db, 0, 9))
		view_setf(v, "last_url", "/attempts/%lld",
		    (long long)db_i64(r->db, 0, 9));
	return http_page(r, TMPL_QUIZ_START, v, db_str(r->db, 0, 1));
}

/* ---- the attempt page ------------------------------------------------- */

/* "options":[...] from o[no] (see attempt_options_json). */
static void
options_json(struct req *r, const struct attempt_item *it,
    const struct attempt_opt *o, int no, int solution)
{
	int j;

	if (strcmp(it->kind, "numeric") == 0 || strcmp(it->kind, "short") == 0)
		return;
	json_arr_begin(r, "options");
	for (j = 0; j < no; j++) {
		int x = j;

		if (strcmp(it->kind, "ordering") == 0 && !solution)
			x = (j + 1) % no;
		json_obj_begin(r, NULL);
		json_i64(r, "id", o[x].id);
		json_str(r, "text", o[x].body);
		if (solution) {
			json_bool(r, "correct", o[x].correct);
			json_str(r, "feedback", o[x].feedback);
		}
		json_obj_end(r);
	}
	json_arr_end(r);
}

void
attempt_options_json(struct req *r, const struct attempt_item *it,
    int solution)
{
	struct attempt_opt o[MAXOPTS];
	int no;

	if ((no = attempt_load_opts(r, it->vid, o)) < 0)
		no = 0;
	options_json(r, it, o, no, solution);
}

static int
att_load(struct req *r, int64_t id, struct att *a)
{
	const char *p[2];
	int n;

	p[0] = db_i64s(r->a, id);
	p[1] = db_i64s(r->a, r->user.id);
	if ((n = db_exec(r->db, STMT_ATTEMPT_GET, 2, p)) <= 0)
		return n < 0 ? page_db_status(n) : 404;
	a->id = id;
	a->quiz = db_i64(r->db, 0, 1);
	a->status = str(r, 0, 2);
	a->late = db_bool(r->db, 0, 3);
	a->score = db_dbl(r->db, 0, 4);
	a->passed = db_bool(r->db, 0, 5);
	a->deadline = db_i64(r->db, 0, 6);
	a->expired = db_bool(r->db, 0, 7);
	a->title = str(r, 0, 8);
	a->pass_mark = (int)db_i64(r->db, 0, 9);
	a->per_page = str(r, 0, 10);
	a->started = str(r, 0, 11);
	a->nitems = (long)db_i64(r->db, 0, 12);
	a->nanswered = (long)db_i64(r->db, 0, 13);
	a->diag = db_bool(r->db, 0, 14);
	return 0;
}

static int
breakdown(struct req *r, int64_t aid, struct buf *b, struct buf *review)
{
	const char *p[1];
	int n, i;

	p[0] = db_i64s(r->a, aid);
	if ((n = db_exec(r->db, STMT_ATTEMPT_SKILL_BREAKDOWN, 1, p)) < 0)
		return n;
	for (i = 0; i < n; i++) {
		long tot = (long)db_i64(r->db, i, 2);
		long ok = (long)db_i64(r->db, i, 3);

		buf_puts(b, "<tr><th scope=\"row\">");
		html(b, db_str(r->db, i, 1));
		buf_printf(b, "</th><td>%ld of %ld</td><td>%ld%%</td></tr>\n",
		    ok, tot, tot ? 100 * ok / tot : 0);
		if (tot > 0 && ok * 100 < tot * 70) {
			buf_puts(review, "<li>");
			html(review, db_str(r->db, i, 1));
			buf_printf(review, " (%ld of %ld right)</li>\n", ok,
			    tot);
		}
	}
	return n;
}

/* Links to lessons on the attempt's weak skills, appended to b. */
static int
review_lessons(struct req *r, int64_t aid, struct buf *b)
{
	const char *p[2];
	int n, i;

	p[0] = db_i64s(r->a, aid);
	p[1] = db_i64s(r->a, r->user.id);
	if ((n = db_exec(r->db, STMT_ATTEMPT_REVIEW_LESSONS, 2, p)) < 0)
		return n;
	for (i = 0; i < n; i++) {
		buf_printf(b, "<li><a href=\"/courses/%lld/lessons/%lld\">",
		    (long long)db_i64(r->db, i, 0),
		    (long long)db_i64(r->db, i, 1));
		html(b, db_str(r->db, i, 2));
		buf_puts(b, "</a> (");
		html(b, db_str(r->db, i, 3));
		buf_puts(b, ")</li>\n");
	}
	return n;
}

static int
attempt_page(struct req *r, int64_t id, const char *error, int status)
{
	struct view *v = view_new(r->a);
	struct attempt_item *it;
	struct att a;
	struct buf items, rows, review, lessons;
	int n, i, st, submitted, shown = 0;
	const char *action;

	if ((st = att_load(r, id, &a)) != 0)
		return http_error(r, st, st == 404 ? "No such attempt." :
		    "Try again shortly.");
	if (a.diag)
		return http_redirect(r, arena_printf(r->a, "/diagnostic/%lld",
		    (long long)id));
	if ((n = attempt_items_load(r, id, &it)) < 0)
		return page_db_status(n);
	submitted = strcmp(a.status, "submitted") == 0;
	buf_init(&items);
	buf_init(&rows);
	buf_init(&review);
	buf_init(&lessons);
	for (i = 0; i < n; i++) {
		int one = strcmp(a.per_page, "question") == 0;

		if (!submitted && one && !it[i].answered && shown)
			continue;
		if (!submitted && one && it[i].answered)
			continue;
		if (!submitted && !it[i].answered) {
			const char *p[2];

			p[0] = db_i64s(r->a, id);
			p[1] = db_i64s(r->a, it[i].seq);
			if (db_exec(r->db, STMT_ATTEMPT_ITEM_SHOWN, 2, p) < 0)
				break;
			shown = 1;
		}
		action = arena_printf(r->a, "/attempts/%lld/answers/%lld",
		    (long long)id, (long long)it[i].qid);
		attempt_item_html(r, &items, &it[i], action, "Save answer",
		    submitted);
	}
	if (submitted && (breakdown(r, id, &rows, &review) < 0 ||
	    review_lessons(r, id, &lessons) < 0)) {
		buf_free(&items);
		buf_free(&rows);
		buf_free(&review);
		buf_free(&lessons);
		return 503;
	}
	view_set(v, "csrf", r->csrf);
	view_set(v, "title", a.title);
	view_set_int(v, "id", (long)id);
	view_set_int(v, "quiz_id", (long)a.quiz);
	view_set_int(v, "nitems", a.nitems);
	view_set_int(v, "nanswered", a.nanswered);
	view_set_raw(v, "items", items.p != NULL ? items.p : "");
	view_set(v, "error", error);
	if (a.deadline > 0 && !submitted) {
		long left = (long)(a.deadline - r->now);

		view_setf(v, "time_left", left > 0 ? "%ld min %ld s left "
		    "(the server keeps the time)" : "Time is up: submit to "
		    "see your result.", left / 60, left % 60);
	}
	if (submitted) {
		view_set_bool(v, "submitted", 1);
		view_setf(v, "score", "%.0f", a.score);
		view_set_int(v, "pass_mark", a.pass_mark);
		view_set_bool(v, "passed", a.passed);
		view_set_bool(v, "late", a.late);
		view_set_raw(v, "skill_rows", rows.p != NULL ? rows.p : "");
		view_set_raw(v, "review", review.p != NULL ? review.p : "");
		view_set_raw(v, "lessons", lessons.p != NULL ? lessons.p :
		    "");
	}
	view_set_bool(v, "all_answered", a.nanswered >= a.nitems);
	st = http_page(r, submitted ? TMPL_ATTEMPT_RESULT : TMPL_ATTEMPT_TAKE,
	    v, a.title);
	buf_free(&items);
	buf_free(&rows);
	buf_free(&review);
	buf_free(&lessons);
	return status != 200 && st == 200 ? status : st;
}

int
page_attempt(struct req *r)
{
	return attempt_page(r, r->pathid[0], NULL, 200);
}

int
page_attempt_answer(struct req *r)
{
	struct attempt_result res;
	enum attempt_ans a;

	a = attempt_answer(r, r->pathid[0], r->pathid[1], &res);
	switch (a) {
	case ANS_SAVED:
	case ANS_DUPLICATE:
		return http_redirect(r, arena_printf(r->a, "/attempts/%lld",
		    (long long)r->pathid[0]));
	case ANS_NO_ATTEMPT:
	case ANS_DB:
		return http_error(r, res.status, res.msg);
	default:
		return attempt_page(r, r->pathid[0], res.msg, res.status);
	}
}

/* Submits once: 0, or a status with *msg. */
static int
submit(struct req *r, int64_t id, const char **msg)
{
	const char *p[4];
	struct att a;
	int n, st, late;
	long tot, ok;
	double pct;

	*msg = "Try again shortly.";
	if ((st = att_load(r, id, &a)) != 0) {
		*msg = "No such attempt.";
		return st;
	}
	if (a.diag) {
		*msg = "A diagnostic ends by itself.";
		return 409;
	}
	if (db_begin(r->db) == -1)
		return 503;
	p[0] = db_i64s(r->a, id);
	p[1] = db_i64s(r->a, r->user.id);
	if ((n = db_exec(r->db, STMT_ATTEMPT_LOCK, 2, p)) <= 0)
		goto fail;
	if (strcmp(db_str(r->db, 0, 0), "open") != 0) {
		db_rollback(r->db);
		*msg = "This attempt has already been submitted.";
		return 409;
	}
	late = db_bool(r->db, 0, 2);
	if ((n = db_exec(r->db, STMT_ATTEMPT_SCORE, 1, p)) <= 0)
		goto fail;
	tot = (long)db_i64(r->db, 0, 0);
	ok = (long)db_i64(r->db, 0, 1);
	pct = tot > 0 ? 100.0 * ok / tot : 0;
	p[1] = late ? "true" : "false";
	p[2] = arena_printf(r->a, "%.17g", pct);
	p[3] = pct + 1e-9 >= a.pass_mark ? "true" : "false";
	if ((n = db_exec(r->db, STMT_ATTEMPT_SUBMIT, 4, p)) != 1)
		goto fail;
	{
		struct activity act = { 0 };

		act.quizzes = 1;
		act.quiz_score = pct;
		if ((n = activity_record(r, &act)) < 0)
			goto fail;
	}
	if ((n = db_commit(r->db)) < 0)
		return page_db_status(n);
	return 0;
fail:
	db_rollback(r->db);
	return page_db_status(n < 0 ? n : DB_HARD);
}

int
page_attempt_submit(struct req *r)
{
	const char *msg;
	int st;

	if ((st = submit(r, r->pathid[0], &msg)) != 0)
		return http_error(r, st, msg);
	return http_redirect(r, arena_printf(r->a, "/attempts/%lld",
	    (long long)r->pathid[0]));
}

/* ---- JSON ------------------------------------------------------------- */

/* The attempt a (as att_load reads it) with its items, into the JSON
 * object begun by the caller. */
static void
json_attempt(struct req *r, const struct att *a)
{
	struct attempt_item *it;
	struct attempt_opt **opts;
	int64_t id = a->id;
	int *nopts;
	const char *p[1];
	int n, i, k, no, submitted;

	if ((n = attempt_items_load(r, id, &it)) < 0)
		n = 0;
	submitted = strcmp(a->status, "submitted") == 0;
	json_i64(r, "id", id);
	if (a->quiz > 0)
		json_i64(r, "assessment_id", a->quiz);
	json_str(r, "title", a->title);
	json_str(r, "status", a->status);
	json_str(r, "started", a->started);
	json_str(r, "per_page", a->per_page);
	if (a->deadline > 0)
		json_i64(r, "deadline", a->deadline);
	json_bool(r, "time_up", a->expired);
	json_i64(r, "answered", a->nanswered);
	if (submitted) {
		json_dbl(r, "score", a->score);
		json_bool(r, "passed", a->passed);
		json_bool(r, "late", a->late);
	}
	/* All options in one query, then per item. */
	opts = arena_calloc(r->a, (size_t)(n > 0 ? n : 1), sizeof(*opts));
	nopts = arena_calloc(r->a, (size_t)(n > 0 ? n : 1), sizeof(*nopts));
	p[0] = db_i64s(r->a, id);
	if ((no = db_exec(r->db, STMT_ATTEMPT_OPTIONS_ALL, 1, p)) < 0)
		no = 0;
	for (i = 0, k = 0; k < no; k++) {
		int seq = (int)db_i64(r->db, k, 0);
		struct attempt_opt *x;

		while (i < n && it[i].seq < seq)
			i++;
		if (i == n)
			break;
		if (it[i].seq != seq || nopts[i] == MAXOPTS)
			continue;
		if (opts[i] == NULL)
			opts[i] = arena_calloc(r->a, MAXOPTS, sizeof(**opts));
		x = &opts[i][nopts[i]++];
		x->id = db_i64(r->db, k, 1);
		x->body = str(r, k, 2);
		x->correct = db_bool(r->db, k, 3);
		x->feedback = str(r, k, 4);
	}
	json_arr_begin(r, "items");
	for (i = 0; i < n; i++) {
		json_obj_begin(r, NULL);
		json_i64(r, "seq", it[i].seq);
		json_i64(r, "question_id", it[i].qid);
		json_str(r, "kind", it[i].kind);
		json_str(r, "title", it[i].title);
		json_str(r, "stem", it[i].stem);
		json_str(r, "skills", it[i].skills);
		json_bool(r, "answered", it[i].answered);
		if (it[i].answered) {
			json_str(r, "answer", it[i].answer);
			json_bool(r, "correct", it[i].correct);
			json_i64(r, "response_ms", it[i].ms);
		}
		if (submitted)
			json_str(r, "explanation", it[i].explanation);
		options_json(r, &it[i], opts[i], nopts[i], submitted);
		json_obj_end(r);
	}
	json_arr_end(r);
}

/* The JSON answer for attempt id (read now) or, when fresh is not NULL,
 * for the attempt it describes; status on success. */
static int
api_attempt_reply(struct req *r, int64_t id, const struct att *fresh,
    int created, int status)
{
	struct att a;
	int st;

	if (fresh == NULL) {
		if ((st = att_load(r, id, &a)) != 0)
			return http_error(r, st, st == 404 ?
			    "No such attempt." : "Try again shortly.");
		fresh = &a;
	}
	json_begin(r);
	if (created >= 0)
		json_bool(r, "created", created);
	json_attempt(r, fresh);
	json_end(r);
	return http_json(r, status);
}

int
page_api_attempt_start(struct req *r)
{
	struct att fresh;
	int64_t aid;
	int created, st;
	const char *msg;

	if ((st = start(r, r->pathid[0], &aid, &created, &fresh, &msg)) != 0)
		return http_error(r, st, msg);
	return api_attempt_reply(r, aid, created ? &fresh : NULL, created,
	    created ? 201 : 200);
}

int
page_api_attempt(struct req *r)
{
	return api_attempt_reply(r, r->pathid[0], NULL, -1, 200);
}

int
page_api_attempt_answer(struct req *r)
{
	struct attempt_result res;
	enum attempt_ans a;

	a = attempt_answer(r, r->pathid[0], r->pathid[1], &res);
	if (a != ANS_SAVED && a != ANS_DUPLICATE)
		return http_error(r, res.status, res.msg);
	json_begin(r);
	json_i64(r, "attempt_id", r->pathid[0]);
	json_i64(r, "question_id", r->pathid[1]);
	json_i64(r, "seq", res.seq);
	json_bool(r, "saved", 1);
	json_bool(r, "duplicate", a == ANS_DUPLICATE);
	json_bool(r, "correct", res.correct);
	json_i64(r, "response_ms", res.response_ms);
	if (res.feedback != NULL && res.feedback[0] != '\0')
		json_str(r, "feedback", res.feedback);
	if (a == ANS_DUPLICATE)
		json_str(r, "message", res.msg != NULL ? res.msg : "");
	json_end(r);
	return http_json(r, 200);
}

int
page_api_attempt_submit(struct req *r)
{
	const char *msg;
	int st;

	if ((st = submit(r, r->pathid[0], &msg)) != 0)
		return http_error(r, st, msg);
	return api_attempt_reply(r, r->pathid[0], NULL, -1, 200);
}
