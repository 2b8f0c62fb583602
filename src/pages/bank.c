/*
 * bank: the instructor's question bank (/teach/bank) and its JSON twins
 * (/api/v1/bank/...): list, write and edit questions of six kinds, delete,
 * and import/export GIFT and Aiken files (parsers in src/base/gift.c and
 * aiken.c).
 *
 * Design decisions.  Every form and API body becomes a struct qb_question
 * first (the same struct the parsers produce), checked by qb_check(), so
 * one set of rules guards pages, API and imports.  Ownership lives in the
 * SQL (bank.sql): another instructor's question is not found, so it is a
 * 404 with nothing written.  Versioning: a version with responses is
 * locked (the attempts work sets the flag); saving a question whose
 * current version is locked writes version n + 1 with new option rows, and
 * the old one stays as answered; an unlocked version is edited in place
 * and its options keep their ids.
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/aiken.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/gift.h"
#include "base/markdown.h"
#include "base/qbank.h"
#include "db/db.h"
#include "http/view.h"
#include "out/storage.h"
#include "pages/pages.h"

_Static_assert(QB_MAXOPTS == 10, "the form declares 10 option rows");

#define LIST_MAX	"500"
#define IMPORT_MAX	(2 * 1024 * 1024)	/* bytes of GIFT/Aiken */
#define SKILL_CACHE	64	/* distinct skill names remembered per import */

static const char *const kind_names[] = {
	"single", "multiple", "truefalse", "numeric", "short", "ordering", NULL
};
static const char *const format_names[] = { "gift", "aiken", NULL };

#define OPTROW(n)							\
	[F_BQ_O(n - 1, F_BQO_TEXT)] = { "option_" #n, HTTP_FT_STRING, 0,	\
	    QB_MAXOPTTEXT, 0, 0, NULL, 0, "Option " #n },		\
	[F_BQ_O(n - 1, F_BQO_CORRECT)] = { "correct_" #n, HTTP_FT_BOOL,	\
	    0, 0, 0, 0, NULL, 0, "Correct " #n },			\
	[F_BQ_O(n - 1, F_BQO_FEEDBACK)] = { "feedback_" #n,		\
	    HTTP_FT_STRING, 0, QB_MAXOPTTEXT, 0, 0, NULL, 0,		\
	    "Feedback " #n },						\
	[F_BQ_O(n - 1, F_BQO_VALUE)] = { "value_" #n, HTTP_FT_DOUBLE, 0,	\
	    0, 0, 0, NULL, 0, "Value " #n },				\
	[F_BQ_O(n - 1, F_BQO_TOL)] = { "tolerance_" #n, HTTP_FT_DOUBLE,	\
	    0, 0, 0, LLONG_MAX, NULL, 0, "Tolerance " #n },		\
	[F_BQ_O(n - 1, F_BQO_ID)] = { "optid_" #n, HTTP_FT_INT, 0, 0, 1,	\
	    LLONG_MAX, NULL, 0, "Option id " #n },			\
	[F_BQ_O(n - 1, F_BQO_ORDER)] = { "order_" #n, HTTP_FT_INT, 0, 0,	\
	    1, 10, NULL, 0, "Position " #n }

const struct http_field page_bank_question_fields[F_BQ__MAX] = {
	[F_BQ_KIND] = { "kind", HTTP_FT_ENUM, 0, 0, 0, 0, kind_names, 0,
	    "Type" },
	[F_BQ_TITLE] = { "title", HTTP_FT_STRING, 0, QB_MAXTITLE, 0, 0, NULL,
	    0, "Title" },
	[F_BQ_STEM] = { "stem", HTTP_FT_TEXT, 1, QB_MAXTEXT, 0, 0, NULL, 1,
	    "Question text" },
	[F_BQ_EXPLANATION] = { "explanation", HTTP_FT_TEXT, 0, QB_MAXTEXT, 0,
	    0, NULL, 0, "Explanation" },
	[F_BQ_DIFFICULTY] = { "difficulty", HTTP_FT_INT, 0, 0, 1, 10, NULL, 1,
	    "Difficulty" },
	[F_BQ_SKILLS] = { "skills", HTTP_FT_STRING, 0, 200, 0, 0, NULL, 0,
	    "Skills" },
	[F_BQ_CORRECT] = { "correct", HTTP_FT_INT, 0, 0, 1, 10, NULL, 0,
	    "Correct answer" },
	OPTROW(1), OPTROW(2), OPTROW(3), OPTROW(4), OPTROW(5),
	OPTROW(6), OPTROW(7), OPTROW(8), OPTROW(9), OPTROW(10),
};

const struct http_field page_bank_list_fields[F_BL__MAX] = {
	[F_BL_SKILL] = { "skill", HTTP_FT_INT, 0, 0, 1, LLONG_MAX, NULL, 0,
	    "Skill" },
	[F_BL_KIND] = { "kind", HTTP_FT_ENUM, 0, 0, 0, 0, kind_names, 0,
	    "Type" },
};

const struct http_field page_bank_import_fields[F_BI__MAX] = {
	[F_BI_FORMAT] = { "format", HTTP_FT_ENUM, 0, 0, 0, 0,
	    format_names, 1, "Format" },
	[F_BI_TEXT] = { "text", HTTP_FT_TEXT, 0, 0, 0, 0, NULL, 0, "Text" },
};

const struct http_field page_bank_export_fields[F_BE__MAX] = {
	[F_BE_FORMAT] = { "format", HTTP_FT_ENUM, 0, 0, 0, 0,
	    format_names, 1, "Format" },
	[F_BE_SKILL] = { "skill", HTTP_FT_INT, 0, 0, 1, LLONG_MAX, NULL, 0,
	    "Skill" },
};

/* A question as loaded, or as a form describes it. */
struct bq {
	int64_t			 id;
	int64_t			 owner;
	int64_t			 vid;
	int			 version;
	int			 nversions;
	int			 locked;
	const char		*owner_name;
	double			 irt_a, irt_b, irt_c;
	int			 calibrated;
	struct qb_question	 q;
	int64_t			 optid[QB_MAXOPTS];
	int64_t			 skill[QB_MAXSKILLS];
	size_t			 nskill;
};

/* What the form showed or will show: per-field messages. */
struct ferr {
	const char	*title, *stem, *explanation, *difficulty, *skills;
	const char	*options, *form;
	const char	*row[QB_MAXOPTS];
	int		 n;
};

static const char *
admin_arg(const struct req *r)
{
	return r->user.role == ROLE_ADMIN ? "true" : "false";
}

static const char *
str(struct req *r, int row, int col)
{
	const char *s = db_str(r->db, row, col);

	return arena_strdup(r->a, s != NULL ? s : "");
}

static const char *
dbl(struct req *r, double v)
{
	char b[32];

	qb_fmt_double(b, v);
	return arena_strdup(r->a, b);
}

static void
jstr(struct buf *b, const char *s)
{
	buf_putc(b, '"');
	buf_put_json(b, s != NULL ? s : "", s != NULL ? strlen(s) : 0);
	buf_putc(b, '"');
}

/* "{1,2,3}" for a bigint[] parameter. */
static const char *
id_array(struct req *r, const int64_t *ids, size_t n)
{
	struct buf b;
	const char *out;
	size_t i;

	buf_init(&b);
	buf_putc(&b, '{');
	for (i = 0; i < n; i++)
		buf_printf(&b, "%s%lld", i ? "," : "", (long long)ids[i]);
	buf_putc(&b, '}');
	out = arena_strdup(r->a, b.p);
	buf_free(&b);
	return out;
}

/* ---- loading --------------------------------------------------------- */

/* Loads question id if the user may see it: 0, 404, or a 5xx status. */
static int
load(struct req *r, int64_t id, struct bq *b)
{
	const char *p[3];
	int n, i, k;

	memset(b, 0, sizeof(*b));
	p[0] = db_i64s(r->a, id);
	p[1] = db_i64s(r->a, r->user.id);
	p[2] = admin_arg(r);
	if ((n = db_exec(r->db, STMT_BANK_QUESTION_GET, 3, p)) < 0)
		return page_db_status(n);
	if (n == 0)
		return 404;
	if ((k = qb_kind_parse(db_str(r->db, 0, 1))) < 0)
		return 500;
	qb_init(&b->q, (enum qb_kind)k);
	b->id = db_i64(r->db, 0, 0);
	b->owner = db_i64(r->db, 0, 2);
	b->vid = db_i64(r->db, 0, 3);
	b->version = (int)db_i64(r->db, 0, 4);
	b->q.title = str(r, 0, 5);
	b->q.stem = str(r, 0, 6);
	b->q.explanation = str(r, 0, 7);
	b->q.difficulty = (int)db_i64(r->db, 0, 8);
	b->locked = db_bool(r->db, 0, 9);
	b->irt_a = db_dbl(r->db, 0, 10);
	b->irt_b = db_dbl(r->db, 0, 11);
	b->irt_c = db_dbl(r->db, 0, 12);
	b->calibrated = db_bool(r->db, 0, 13);
	b->owner_name = str(r, 0, 14);
	b->nversions = (int)db_i64(r->db, 0, 15);
	p[0] = db_i64s(r->a, b->vid);
	if ((n = db_exec(r->db, STMT_BANK_OPTION_LIST, 1, p)) < 0)
		return page_db_status(n);
	for (i = 0; i < n && i < QB_MAXOPTS; i++) {
		struct qb_option *o = &b->q.opts[i];

		b->optid[i] = db_i64(r->db, i, 0);
		o->text = str(r, i, 2);
		o->correct = db_bool(r->db, i, 3);
		o->value = db_dbl(r->db, i, 4);
		o->tolerance = db_dbl(r->db, i, 5);
		o->feedback = str(r, i, 6);
	}
	b->q.nopts = (size_t)i;
	p[0] = db_i64s(r->a, b->id);
	if ((n = db_exec(r->db, STMT_BANK_QUESTION_SKILLS, 1, p)) < 0)
		return page_db_status(n);
	for (i = 0; i < n && i < QB_MAXSKILLS; i++) {
		b->skill[i] = db_i64(r->db, i, 0);
		b->q.skills[i] = str(r, i, 1);
	}
	b->nskill = b->q.nskills = (size_t)i;
	return 0;
}

/* ---- form -> question ------------------------------------------------ */

/* Adds id to b's skills unless there; a message when it cannot. */
static const char *
skill_add(struct bq *b, const char *s)
{
	char *e;
	long long v;
	size_t i;

	while (*s == ' ')
		s++;
	if (*s == '\0')
		return NULL;
	v = strtoll(s, &e, 10);
	while (*e == ' ')
		e++;
	if (*e != '\0' || v <= 0)
		return "Skills must be skill ids.";
	for (i = 0; i < b->nskill; i++)
		if (b->skill[i] == v)
			return NULL;
	if (b->nskill == QB_MAXSKILLS)
		return "A question has at most 10 skills.";
	b->skill[b->nskill++] = v;
	return NULL;
}

/* The skill ids the request names: repeated "skill" fields (checkboxes)
 * and the compact "skills" field ("3,7"). */
static const char *
read_skills(struct req *r, struct bq *b)
{
	const char *why = NULL, *s;
	char *list, *tok, *save;
	size_t i;

	b->nskill = 0;
	for (i = 0; i < r->nparams && why == NULL; i++)
		if (strcmp(r->params[i].name, "skill") == 0)
			why = skill_add(b, r->params[i].value);
	s = r->form.str[F_BQ_SKILLS];
	list = arena_strdup(r->a, s);
	for (tok = strtok_r(list, ",", &save); tok != NULL && why == NULL;
	    tok = strtok_r(NULL, ",", &save))
		why = skill_add(b, tok);
	return why;
}

/* Row i (0-based) of the form has anything in it. */
static int
row_used(const struct http_form *f, int i, enum qb_kind k)
{
	if (k == QB_NUMERIC)
		return f->present[F_BQ_O(i, F_BQO_VALUE)] ||
		    f->present[F_BQ_O(i, F_BQO_FEEDBACK)] ||
		    f->present[F_BQ_O(i, F_BQO_TOL)];
	return f->present[F_BQ_O(i, F_BQO_TEXT)] ||
	    f->present[F_BQ_O(i, F_BQO_FEEDBACK)];
}

/*
 * Reads the validated form into b->q (kind k), b->optid and b->skill;
 * messages into *e (e->n counts them).  The option rows keep their form
 * position in rowof[] for messages.
 */
static void
read_form(struct req *r, enum qb_kind k, struct bq *b, struct ferr *e)
{
	const struct http_form *f = &r->form;
	int i, n = 0, correct = (int)f->i64[F_BQ_CORRECT], order[QB_MAXOPTS];
	const char *why;

	qb_init(&b->q, k);
	b->q.title = f->str[F_BQ_TITLE];
	b->q.stem = f->str[F_BQ_STEM];
	b->q.explanation = f->str[F_BQ_EXPLANATION];
	b->q.difficulty = (int)f->i64[F_BQ_DIFFICULTY];
	e->title = f->err[F_BQ_TITLE];
	e->stem = f->err[F_BQ_STEM];
	e->explanation = f->err[F_BQ_EXPLANATION];
	e->difficulty = f->err[F_BQ_DIFFICULTY];
	e->skills = f->err[F_BQ_SKILLS];
	if (f->err[F_BQ_CORRECT] != NULL)
		e->options = f->err[F_BQ_CORRECT];
	if (e->skills == NULL && (why = read_skills(r, b)) != NULL)
		e->skills = why;
	for (i = 0; i < QB_MAXOPTS; i++) {
		struct qb_option *o;
		int j;

		for (j = 0; j < F_BQO__MAX; j++)
			if (f->err[F_BQ_O(i, j)] != NULL && e->row[i] == NULL)
				e->row[i] = f->err[F_BQ_O(i, j)];
		if (k == QB_TRUEFALSE ? i >= 2 : !row_used(f, i, k))
			continue;
		o = &b->q.opts[n];
		b->optid[n] = f->i64[F_BQ_O(i, F_BQO_ID)] > 0 ?
		    f->i64[F_BQ_O(i, F_BQO_ID)] : 0;
		o->text = f->str[F_BQ_O(i, F_BQO_TEXT)];
		o->feedback = f->str[F_BQ_O(i, F_BQO_FEEDBACK)];
		o->correct = correct == i + 1 ||
		    f->i64[F_BQ_O(i, F_BQO_CORRECT)] == 1;
		order[n] = f->present[F_BQ_O(i, F_BQO_ORDER)] ?
		    (int)f->i64[F_BQ_O(i, F_BQO_ORDER)] : i + 1;
		switch (k) {
		case QB_TRUEFALSE:
			o->text = i == 0 ? "True" : "False";
			break;
		case QB_NUMERIC:
			o->text = "";
			o->value = f->dbl[F_BQ_O(i, F_BQO_VALUE)];
			o->tolerance = f->present[F_BQ_O(i, F_BQO_TOL)] ?
			    f->dbl[F_BQ_O(i, F_BQO_TOL)] : 0;
			if (!f->present[F_BQ_O(i, F_BQO_VALUE)] &&
			    e->row[i] == NULL)
				e->row[i] = arena_printf(r->a, "Answer %d has "
				    "feedback but no value.", i + 1);
			break;
		case QB_SHORT:
			o->correct = 1;
			break;
		case QB_ORDERING:
			o->correct = 0;
			break;
		default:
			break;
		}
		if (k != QB_NUMERIC && k != QB_TRUEFALSE && o->text[0] ==
		    '\0' && e->row[i] == NULL)
			e->row[i] = arena_printf(r->a, "Option %d has "
			    "feedback but no text.", i + 1);
		n++;
	}
	b->q.nopts = (size_t)n;
	if (k == QB_ORDERING) {
		/* Stable sort by the authored positions. */
		for (i = 1; i < n; i++) {
			struct qb_option o = b->q.opts[i];
			int64_t id = b->optid[i], ord = order[i], j;

			for (j = i; j > 0 && order[j - 1] > ord; j--) {
				b->q.opts[j] = b->q.opts[j - 1];
				b->optid[j] = b->optid[j - 1];
				order[j] = order[j - 1];
			}
			b->q.opts[j] = o;
			b->optid[j] = id;
			order[j] = (int)ord;
		}
	}
	e->n = (e->title != NULL) + (e->stem != NULL) +
	    (e->explanation != NULL) + (e->difficulty != NULL) +
	    (e->skills != NULL) + (e->options != NULL);
	for (i = 0; i < QB_MAXOPTS; i++)
		e->n += e->row[i] != NULL;
	if (e->n == 0 && (why = qb_check(&b->q)) != NULL) {
		e->options = why;
		e->n++;
	}
}

/* Checks that every skill id exists: 0, 400 with e->skills, or 5xx. */
static int
check_skills(struct req *r, struct bq *b, struct ferr *e)
{
	const char *p[1];
	int n;

	if (b->nskill == 0)
		return 0;
	p[0] = id_array(r, b->skill, b->nskill);
	if ((n = db_exec(r->db, STMT_BANK_SKILL_COUNT, 1, p)) < 0)
		return page_db_status(n);
	if (db_i64(r->db, 0, 0) != (int64_t)b->nskill) {
		e->skills = "One of the skills does not exist.";
		e->n++;
		return 400;
	}
	return 0;
}

/* ---- writing --------------------------------------------------------- */

/* The text form of a text[] parameter: every element double-quoted, with
 * \ and " escaped. */
static const char *
text_array(struct req *r, const char *const *v, size_t n)
{
	struct buf b;
	const char *out, *s;
	size_t i;

	buf_init(&b);
	buf_putc(&b, '{');
	for (i = 0; i < n; i++) {
		buf_puts(&b, i ? ",\"" : "\"");
		for (s = v[i]; s != NULL && *s != '\0'; s++) {
			if (*s == '"' || *s == '\\')
				buf_putc(&b, '\\');
			buf_putc(&b, *s);
		}
		buf_putc(&b, '"');
	}
	buf_putc(&b, '}');
	out = arena_strdup(r->a, b.p);
	buf_free(&b);
	return out;
}

static int	insert_version_by(struct req *, int64_t, int,
		    const struct qb_question *, int64_t, int64_t *);
static int	insert_question_for(struct req *, const struct bq *, int64_t,
		    int64_t *);

/* Inserts every option of q under version vid in one statement (array
 * parameters).  0 or a db_err. */
static int
insert_options(struct req *r, int64_t vid, const struct qb_question *q)
{
	struct buf ok, val, tol;
	const char *p[6], *text[QB_MAXOPTS], *fb[QB_MAXOPTS];
	size_t i;
	int n;

	if (q->nopts == 0)
		return 0;
	buf_init(&ok);
	buf_init(&val);
	buf_init(&tol);
	for (i = 0; i < q->nopts; i++) {
		const char *sep = i ? "," : "{";

		text[i] = q->opts[i].text;
		fb[i] = q->opts[i].feedback;
		buf_printf(&ok, "%s%s", sep, q->opts[i].correct ? "t" : "f");
		buf_printf(&val, "%s%s", sep, dbl(r, q->opts[i].value));
		buf_printf(&tol, "%s%s", sep, dbl(r, q->opts[i].tolerance));
	}
	buf_putc(&ok, '}');
	buf_putc(&val, '}');
	buf_putc(&tol, '}');
	p[0] = db_i64s(r->a, vid);
	p[1] = text_array(r, text, q->nopts);
	p[2] = arena_strdup(r->a, ok.p);
	p[3] = q->kind == QB_NUMERIC ? arena_strdup(r->a, val.p) : NULL;
	p[4] = q->kind == QB_NUMERIC ? arena_strdup(r->a, tol.p) : NULL;
	p[5] = text_array(r, fb, q->nopts);
	buf_free(&ok);
	buf_free(&val);
	buf_free(&tol);
	if ((n = db_exec(r->db, STMT_BANK_OPTION_INSERT_MANY, 6, p)) < 0)
		return n;
	return n == (int)q->nopts ? 0 : DB_HARD;
}

static int
insert_version(struct req *r, int64_t qid, int version,
    const struct qb_question *q, int64_t *vid)
{
	return insert_version_by(r, qid, version, q, r->user.id, vid);
}

/* The same, written by user by (a question another creates for them). */
static int
insert_version_by(struct req *r, int64_t qid, int version,
    const struct qb_question *q, int64_t by, int64_t *vid)
{
	const char *p[8];
	int n, d = q->difficulty > 0 ? q->difficulty : 5;

	p[0] = db_i64s(r->a, qid);
	p[1] = db_i64s(r->a, version);
	p[2] = q->title;
	p[3] = q->stem;
	p[4] = q->explanation;
	p[5] = db_i64s(r->a, d);
	p[6] = dbl(r, qb_difficulty_b(d));
	p[7] = db_i64s(r->a, by);
	if ((n = db_exec(r->db, STMT_BANK_VERSION_INSERT, 8, p)) < 0)
		return n;
	*vid = db_i64(r->db, 0, 0);
	return 0;
}

static int
set_skills(struct req *r, int64_t qid, const int64_t *ids, size_t n)
{
	const char *p[2];
	int k;

	p[0] = db_i64s(r->a, qid);
	if ((k = db_exec(r->db, STMT_BANK_SKILLS_CLEAR, 1, p)) < 0)
		return k;
	if (n == 0)
		return 0;
	p[1] = id_array(r, ids, n);
	return (k = db_exec(r->db, STMT_BANK_SKILLS_ADD, 2, p)) < 0 ? k : 0;
}

/* Inserts a new question for the user (inside the caller's transaction):
 * 0 with *qid, or a db_err. */
static int
insert_question(struct req *r, const struct bq *b, int64_t *qid)
{
	return insert_question_for(r, b, r->user.id, qid);
}

/* The same, owned by owner. */
static int
insert_question_for(struct req *r, const struct bq *b, int64_t owner,
    int64_t *qid)
{
	const char *p[2];
	int64_t vid;
	int n;

	p[0] = db_i64s(r->a, owner);
	p[1] = qb_kind_name(b->q.kind);
	if ((n = db_exec(r->db, STMT_BANK_QUESTION_INSERT, 2, p)) < 0)
		return n;
	*qid = db_i64(r->db, 0, 0);
	if ((n = insert_version_by(r, *qid, 1, &b->q, owner, &vid)) < 0 ||
	    (n = insert_options(r, vid, &b->q)) < 0)
		return n;
	if (b->nskill > 0) {
		p[0] = db_i64s(r->a, *qid);
		p[1] = id_array(r, b->skill, b->nskill);
		if ((n = db_exec(r->db, STMT_BANK_SKILLS_ADD, 2, p)) < 0)
			return n;
	}
	return 0;
}

/* Updates question id from b (kind must match).  0 with *newver set when
 * a new version was written, 404, 409 (kind differs), or 5xx. */
static int
update_question(struct req *r, int64_t id, struct bq *b, int *newver)
{
	const char *p[8];
	int64_t vid, keep[QB_MAXOPTS];
	int n, version, locked;
	size_t i;

	if (db_begin(r->db) != 0)
		return 503;
	p[0] = db_i64s(r->a, id);
	p[1] = db_i64s(r->a, r->user.id);
	p[2] = admin_arg(r);
	if ((n = db_exec(r->db, STMT_BANK_QUESTION_GET_FOR_UPDATE, 3, p)) <= 0) {
		db_rollback(r->db);
		return n == 0 ? 404 : page_db_status(n);
	}
	if (qb_kind_parse(db_str(r->db, 0, 1)) != (int)b->q.kind) {
		db_rollback(r->db);
		return 409;
	}
	vid = db_i64(r->db, 0, 3);
	version = (int)db_i64(r->db, 0, 4);
	locked = db_bool(r->db, 0, 5);
	*newver = 0;
	if (!locked) {
		/* Takes the version's row lock.  A response recorded since
		 * the SELECT locked it (the attempts work sets the flag with
		 * an UPDATE of this row): then nothing matches, and the edit
		 * becomes a new version below. */
		p[0] = db_i64s(r->a, vid);
		p[1] = b->q.title;
		p[2] = b->q.stem;
		p[3] = b->q.explanation;
		p[4] = db_i64s(r->a, b->q.difficulty);
		p[5] = dbl(r, qb_difficulty_b(b->q.difficulty));
		if ((n = db_exec(r->db, STMT_BANK_VERSION_UPDATE, 6, p)) < 0)
			goto fail;
		locked = n == 0;
	}
	if (locked) {
		if ((n = insert_version(r, id, version + 1, &b->q, &vid)) < 0 ||
		    (n = insert_options(r, vid, &b->q)) < 0)
			goto fail;
		version++;
		*newver = version;
	} else {
		for (i = 0; i < b->q.nopts; i++) {
			const struct qb_option *o = &b->q.opts[i];

			n = 0;
			p[1] = db_i64s(r->a, vid);
			p[2] = db_i64s(r->a, (int64_t)i + 1);
			p[3] = o->text;
			p[4] = o->correct ? "true" : "false";
			p[5] = b->q.kind == QB_NUMERIC ? dbl(r, o->value) : NULL;
			p[6] = b->q.kind == QB_NUMERIC ?
			    dbl(r, o->tolerance) : NULL;
			p[7] = o->feedback;
			if (b->optid[i] > 0) {
				p[0] = db_i64s(r->a, b->optid[i]);
				if ((n = db_exec(r->db, STMT_BANK_OPTION_UPDATE,
				    8, p)) < 0)
					goto fail;
			}
			if (n == 1) {
				keep[i] = b->optid[i];
				continue;
			}
			/* New row, or an id that is not this version's. */
			if ((n = db_exec(r->db, STMT_BANK_OPTION_INSERT, 7,
			    p + 1)) < 0)
				goto fail;
			keep[i] = db_i64(r->db, 0, 0);
		}
		p[0] = db_i64s(r->a, vid);
		p[1] = id_array(r, keep, b->q.nopts);
		if ((n = db_exec(r->db, STMT_BANK_OPTION_PRUNE, 2, p)) < 0)
			goto fail;
	}
	if ((n = set_skills(r, id, b->skill, b->nskill)) < 0)
		goto fail;
	p[0] = db_i64s(r->a, id);
	p[1] = db_i64s(r->a, version);
	if ((n = db_exec(r->db, STMT_BANK_QUESTION_TOUCH, 2, p)) < 0)
		goto fail;
	if ((n = db_commit(r->db)) != 0)
		goto fail;
	return 0;
fail:
	db_rollback(r->db);
	return page_db_status(n);
}

int
page_bank_insert(struct req *r, const struct qb_question *q, int64_t owner,
    const int64_t *skills, size_t nskill, int64_t *qid, const char **why)
{
	struct bq b;

	memset(&b, 0, sizeof(b));
	b.q = *q;
	if ((*why = qb_check(q)) != NULL)
		return 400;
	for (b.nskill = 0; b.nskill < nskill && b.nskill < QB_MAXSKILLS;
	    b.nskill++)
		b.skill[b.nskill] = skills[b.nskill];
	return insert_question_for(r, &b, owner, qid);
}

static int
create_question(struct req *r, struct bq *b, int64_t *qid)
{
	int n;

	if (db_begin(r->db) != 0)
		return 503;
	if ((n = insert_question(r, b, qid)) < 0 ||
	    (n = db_commit(r->db)) != 0) {
		db_rollback(r->db);
		return page_db_status(n);
	}
	return 0;
}

static void
audit(struct req *r, const char *action, int64_t id, const char *detail)
{
	const char *p[4];

	p[0] = db_i64s(r->a, r->user.id);
	p[1] = action;
	p[2] = arena_printf(r->a, "question:%lld", (long long)id);
	p[3] = detail;
	(void)db_exec(r->db, STMT_AUDIT_INSERT, 4, p);
}

/* ---- the question page ----------------------------------------------- */

/* One option row as the form shows it. */
struct row {
	const char	*text, *feedback, *value, *tol, *err;
	int		 correct, order;
	int64_t		 optid;
};

static int
render_rows(struct req *r, enum qb_kind k, const struct row *rows, int n,
    struct buf *out)
{
	struct view *v = view_new(r->a);
	int i;

	for (i = 0; i < n; i++) {
		view_clear(v);
		view_set_int(v, "n", i + 1);
		view_set(v, "legend", k == QB_TRUEFALSE ? (i == 0 ? "True" :
		    "False") : arena_printf(r->a, "%s %d", k == QB_NUMERIC ?
		    "Answer" : k == QB_SHORT ? "Accepted answer" :
		    k == QB_ORDERING ? "Item" : "Option", i + 1));
		view_set(v, "text", rows[i].text);
		view_set(v, "feedback", rows[i].feedback);
		view_set(v, "value", rows[i].value);
		view_set(v, "tol", rows[i].tol);
		view_set_int(v, "order", rows[i].order);
		view_set_bool(v, "correct", rows[i].correct);
		view_set_bool(v, "is_tf", k == QB_TRUEFALSE);
		view_set_bool(v, "is_numeric", k == QB_NUMERIC);
		view_set_bool(v, "is_ordering", k == QB_ORDERING);
		view_set_bool(v, "radio", k == QB_SINGLE || k == QB_TRUEFALSE);
		view_set_bool(v, "checkbox", k == QB_MULTIPLE ||
		    k == QB_NUMERIC);
		view_set_bool(v, "has_optid", rows[i].optid > 0);
		view_set(v, "optid", db_i64s(r->a, rows[i].optid));
		if (rows[i].err != NULL)
			view_set(v, "error", rows[i].err);
		if (tmpl_render_row(TMPL_ROW_BANK_OPTION, v, out) == -1)
			return -1;
	}
	return 0;
}

static int
render_skills(struct req *r, const int64_t *sel, size_t nsel,
    struct buf *out, int *count)
{
	struct view *v = view_new(r->a);
	size_t k;
	int n, i;

	if ((n = db_exec(r->db, STMT_BANK_SKILL_ALL, 0, NULL)) < 0)
		return n;
	*count = n;
	for (i = 0; i < n; i++) {
		int64_t id = db_i64(r->db, i, 0);
		int on = 0;

		for (k = 0; k < nsel; k++)
			on |= sel[k] == id;
		view_clear(v);
		view_set(v, "id", db_i64s(r->a, id));
		view_set(v, "name", db_str(r->db, i, 1));
		view_set_bool(v, "checked", on);
		if (tmpl_render_row(TMPL_ROW_BANK_SKILL, v, out) == -1)
			return DB_HARD;
	}
	return 0;
}

static int
render_versions(struct req *r, const struct bq *b, struct buf *out)
{
	struct view *v = view_new(r->a);
	const char *p[1];
	int n, i;

	p[0] = db_i64s(r->a, b->id);
	if ((n = db_exec(r->db, STMT_BANK_VERSION_LIST, 1, p)) < 0)
		return n;
	for (i = 0; i < n; i++) {
		view_clear(v);
		view_set_int(v, "version", (long)db_i64(r->db, i, 0));
		view_set_bool(v, "locked", db_bool(r->db, i, 1));
		view_set(v, "created", db_str(r->db, i, 2));
		view_set(v, "author", db_str(r->db, i, 3));
		view_set(v, "title", db_str(r->db, i, 4));
		view_set_bool(v, "current", db_i64(r->db, i, 0) == b->version);
		if (tmpl_render_row(TMPL_ROW_BANK_VERSION, v, out) == -1)
			return DB_HARD;
	}
	return 0;
}

/* The saved question as a list for the preview: each option escaped,
 * with what the learner would be told. */
static const char *
preview_options(struct req *r, const struct qb_question *q)
{
	struct buf b;
	const char *out;
	size_t i;

	buf_init(&b);
	for (i = 0; i < q->nopts; i++) {
		const struct qb_option *o = &q->opts[i];

		buf_puts(&b, "<li>");
		if (q->kind == QB_NUMERIC)
			buf_printf(&b, "%s ± %s", dbl(r, o->value),
			    dbl(r, o->tolerance));
		else
			buf_put_html(&b, o->text, strlen(o->text));
		if (o->correct && q->kind != QB_SHORT)
			buf_puts(&b, " <strong>(right)</strong>");
		if (o->feedback != NULL && o->feedback[0] != '\0') {
			buf_puts(&b, " — feedback: ");
			buf_put_html(&b, o->feedback, strlen(o->feedback));
		}
		buf_puts(&b, "</li>\n");
	}
	out = arena_strdup(r->a, b.p != NULL ? b.p : "");
	buf_free(&b);
	return out;
}

/*
 * The write/edit page.  b is the question shown (id 0: a new one); when
 * posted is set the option rows come from the request as typed (to show
 * it again with its errors in e), else from b.
 */
static int
question_page(struct req *r, struct bq *b, int posted, const struct ferr *e,
    int status)
{
	struct view *v = view_new(r->a);
	const struct http_form *f = &r->form;
	enum qb_kind k = b->q.kind;
	struct row rows[QB_MAXOPTS];
	struct buf ob, sb, vb;
	int n = 0, i, nskills = 0, used = 0;
	size_t j;

	memset(rows, 0, sizeof(rows));
	if (posted) {
		for (i = 0; i < QB_MAXOPTS; i++) {
			rows[i].text = f->str[F_BQ_O(i, F_BQO_TEXT)];
			rows[i].feedback = f->str[F_BQ_O(i, F_BQO_FEEDBACK)];
			rows[i].value = f->str[F_BQ_O(i, F_BQO_VALUE)];
			rows[i].tol = f->str[F_BQ_O(i, F_BQO_TOL)];
			rows[i].correct = f->i64[F_BQ_CORRECT] == i + 1 ||
			    f->i64[F_BQ_O(i, F_BQO_CORRECT)] == 1;
			rows[i].order = f->present[F_BQ_O(i, F_BQO_ORDER)] ?
			    (int)f->i64[F_BQ_O(i, F_BQO_ORDER)] : i + 1;
			rows[i].optid = f->i64[F_BQ_O(i, F_BQO_ID)] > 0 ?
			    f->i64[F_BQ_O(i, F_BQO_ID)] : 0;
			rows[i].err = e != NULL ? e->row[i] : NULL;
			if (row_used(f, i, k))
				used = i + 1;
		}
	} else {
		for (j = 0; j < b->q.nopts; j++) {
			const struct qb_option *o = &b->q.opts[j];

			rows[j].text = o->text;
			rows[j].feedback = o->feedback;
			rows[j].value = k == QB_NUMERIC ? dbl(r, o->value) : "";
			rows[j].tol = k == QB_NUMERIC ? dbl(r, o->tolerance) :
			    "";
			rows[j].correct = o->correct;
			rows[j].order = (int)j + 1;
			rows[j].optid = b->optid[j];
		}
		for (; j < QB_MAXOPTS; j++)
			rows[j].order = (int)j + 1;
		used = (int)b->q.nopts;
	}
	n = k == QB_TRUEFALSE ? 2 : used + 2 < 4 ? 4 : used + 2;
	if (n > QB_MAXOPTS)
		n = QB_MAXOPTS;
	buf_init(&ob);
	buf_init(&sb);
	buf_init(&vb);
	if (render_rows(r, k, rows, n, &ob) == -1 ||
	    (i = render_skills(r, b->skill, b->nskill, &sb, &nskills)) < 0 ||
	    (b->id > 0 && (i = render_versions(r, b, &vb)) < 0)) {
		buf_free(&ob);
		buf_free(&sb);
		buf_free(&vb);
		return http_error(r, 500, "The page could not be built.");
	}
	view_set(v, "csrf", r->csrf);
	view_set(v, "kind", qb_kind_name(k));
	view_set(v, "kind_label", qb_kind_label(k));
	view_set(v, "heading", b->id > 0 ? (b->q.title[0] != '\0' ?
	    b->q.title : arena_printf(r->a, "Question %lld",
	    (long long)b->id)) : arena_printf(r->a, "New question: %s",
	    qb_kind_label(k)));
	view_set(v, "action", b->id > 0 ? arena_printf(r->a,
	    "/teach/bank/%lld", (long long)b->id) : "/teach/bank/new");
	view_set(v, "title", b->q.title);
	view_set(v, "stem", b->q.stem);
	view_set(v, "explanation", b->q.explanation);
	view_set(v, "difficulty", posted ? f->str[F_BQ_DIFFICULTY] :
	    b->q.difficulty > 0 ? db_i64s(r->a, b->q.difficulty) : "5");
	view_set_raw(v, "options", ob.p ? ob.p : "");
	view_set_raw(v, "skills", sb.p ? sb.p : "");
	view_set_bool(v, "radio", k == QB_SINGLE || k == QB_TRUEFALSE);
	view_set(v, "options_legend", k == QB_TRUEFALSE ? "The right answer" :
	    k == QB_NUMERIC ? "Answers (mark the right ones; a value with a "
	    "tolerance accepts value ± tolerance)" : k == QB_SHORT ?
	    "Accepted answers (case and extra spaces are ignored)" :
	    k == QB_ORDERING ? "Items (the positions give the right order; "
	    "learners see them shuffled)" : k == QB_SINGLE ?
	    "Options (choose the right one)" :
	    "Options (tick every right one)");
	if (b->id > 0 && !posted) {
		view_set_raw(v, "stem_html", markdown_html(r->a, b->q.stem,
		    strlen(b->q.stem)));
		view_set_raw(v, "explanation_html", markdown_html(r->a,
		    b->q.explanation, strlen(b->q.explanation)));
		view_set_raw(v, "preview_options", preview_options(r, &b->q));
		view_set(v, "preview_note", b->q.kind == QB_ORDERING ?
		    "Items in the right order; learners see them shuffled and "
		    "number them." : b->q.kind == QB_SHORT ? "Accepted answers; "
		    "learners type theirs." : b->q.kind == QB_NUMERIC ?
		    "Accepted values; learners type a number." : "");
	}
	if (b->id > 0) {
		view_set_bool(v, "editing", 1);
		view_set_raw(v, "versions", vb.p ? vb.p : "");
		view_set_int(v, "version", b->version);
		view_set_int(v, "next_version", b->version + 1);
		view_set_bool(v, "locked", b->locked);
		view_set(v, "delete_action", arena_printf(r->a,
		    "/teach/bank/%lld/delete", (long long)b->id));
		view_set_bool(v, "regradable", b->version > 1);
		if (page_regrade_view(r, b->id, v) < 0)
			return http_error(r, 503, "Try again shortly.");
		view_set(v, "owner", b->owner_name);
		view_set(v, "irt", arena_printf(r->a, "a = %.2f, b = %.2f, "
		    "c = %.2f%s", b->irt_a, b->irt_b, b->irt_c,
		    b->calibrated ? " (calibrated)" : " (from the authored "
		    "difficulty; not calibrated yet)"));
	}
	view_set_bool(v, "no_skills", nskills == 0);
	buf_free(&ob);
	buf_free(&sb);
	buf_free(&vb);
	if (e != NULL) {
		view_set(v, "title_error", e->title);
		view_set(v, "stem_error", e->stem);
		view_set(v, "explanation_error", e->explanation);
		view_set(v, "difficulty_error", e->difficulty);
		view_set(v, "skills_error", e->skills);
		view_set(v, "options_error", e->options);
		view_set(v, "form_error", e->form != NULL ? e->form :
		    e->n > 0 ? "Please correct the marked fields." : NULL);
	}
	if (status == 200 && http_param(r, "saved") != NULL)
		r->flash = strcmp(http_param(r, "saved"), "new") == 0 ?
		    arena_printf(r->a, "Saved as version %d: the earlier "
		    "version keeps its answers.", b->version) :
		    "The question has been saved.";
	r->status = status;
	return http_page_nav(r, TMPL_BANK_QUESTION, v, b->id > 0 ?
	    "Edit question" : "New question", TMPL_NAV_TEACH);
}

int
page_bank_new(struct req *r)
{
	struct bq b;
	struct ferr e;
	int64_t id;
	int k = (int)r->form.i64[F_BQ_KIND], n;

	memset(&b, 0, sizeof(b));
	memset(&e, 0, sizeof(e));
	if (k < 0)
		k = QB_SINGLE;
	if (strcmp(r->method, "GET") == 0) {
		qb_init(&b.q, (enum qb_kind)k);
		if (k == QB_TRUEFALSE) {
			b.q.opts[0].text = "True";
			b.q.opts[1].text = "False";
			b.q.opts[0].feedback = b.q.opts[1].feedback = "";
			b.q.nopts = 2;
		}
		return question_page(r, &b, 0, NULL, 200);
	}
	read_form(r, (enum qb_kind)k, &b, &e);
	if (e.n == 0 && (n = check_skills(r, &b, &e)) >= 500)
		return http_error(r, n, "Try again shortly.");
	if (e.n > 0)
		return question_page(r, &b, 1, &e, 400);
	if ((n = create_question(r, &b, &id)) != 0)
		return http_error(r, n, "The question could not be saved; "
		    "try again shortly.");
	audit(r, "question.create", id, NULL);
	return http_redirect(r, arena_printf(r->a, "/teach/bank/%lld?saved=1",
	    (long long)id));
}

int
page_bank_edit(struct req *r)
{
	struct bq b, cur;
	struct ferr e;
	int n, newver;

	if ((n = load(r, r->pathid[0], &cur)) != 0)
		return http_error(r, n, n == 404 ? "There is no such question "
		    "in your bank." : "Try again shortly.");
	if (strcmp(r->method, "GET") == 0)
		return question_page(r, &cur, 0, NULL, 200);
	memset(&b, 0, sizeof(b));
	memset(&e, 0, sizeof(e));
	read_form(r, cur.q.kind, &b, &e);
	if (e.n == 0 && (n = check_skills(r, &b, &e)) >= 500)
		return http_error(r, n, "Try again shortly.");
	b.id = cur.id;
	b.version = cur.version;
	b.locked = cur.locked;
	b.owner_name = cur.owner_name;
	b.irt_a = cur.irt_a;
	b.irt_b = cur.irt_b;
	b.irt_c = cur.irt_c;
	b.calibrated = cur.calibrated;
	if (e.n > 0)
		return question_page(r, &b, 1, &e, 400);
	if ((n = update_question(r, cur.id, &b, &newver)) != 0)
		return http_error(r, n, n == 404 ? "There is no such question "
		    "in your bank." : "The question could not be saved; try "
		    "again shortly.");
	audit(r, newver ? "question.version" : "question.update", cur.id,
	    NULL);
	return http_redirect(r, arena_printf(r->a, "/teach/bank/%lld?saved=%s",
	    (long long)cur.id, newver ? "new" : "1"));
}

/* Deletes (or, with responses, archives) question id: 0, 404, 5xx. */
static int
delete_question(struct req *r, int64_t id, int *archived)
{
	struct bq b;
	const char *p[1];
	int n;

	if ((n = load(r, id, &b)) != 0)
		return n;
	p[0] = db_i64s(r->a, id);
	if ((n = db_exec(r->db, STMT_BANK_QUESTION_DELETE, 1, p)) < 0)
		return page_db_status(n);
	*archived = 0;
	if (n == 0) {
		if ((n = db_exec(r->db, STMT_BANK_QUESTION_ARCHIVE, 1, p)) < 0)
			return page_db_status(n);
		*archived = 1;
	}
	audit(r, *archived ? "question.archive" : "question.delete", id,
	    NULL);
	return 0;
}

int
page_bank_delete(struct req *r)
{
	int n, archived;

	if ((n = delete_question(r, r->pathid[0], &archived)) != 0)
		return http_error(r, n, n == 404 ? "There is no such question "
		    "in your bank." : "Try again shortly.");
	return http_redirect(r, archived ? "/teach/bank?archived=1" :
	    "/teach/bank?deleted=1");
}

/* ---- list ------------------------------------------------------------ */

static int
list(struct req *r)
{
	const char *p[5];
	int k = (int)r->form.i64[F_BL_KIND];

	p[0] = db_i64s(r->a, r->user.id);
	p[1] = admin_arg(r);
	p[2] = db_i64s(r->a, r->form.present[F_BL_SKILL] ?
	    r->form.i64[F_BL_SKILL] : 0);
	p[3] = k >= 0 ? kind_names[k] : "";
	p[4] = LIST_MAX;
	return db_exec(r->db, STMT_BANK_QUESTION_LIST, 5, p);
}

/* The stem's first line, cut to 80 characters, for lists. */
static const char *
excerpt(struct req *r, const char *s)
{
	size_t n = strcspn(s, "\n"), i, chars = 0;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80 && ++chars > 80)
			return arena_printf(r->a, "%.*s…", (int)i, s);
	return arena_strndup(r->a, s, n);
}

int
page_bank_list(struct req *r)
{
	struct view *v = view_new(r->a), *row = view_new(r->a);
	struct buf rows, opts, kinds;
	int n, i, k = (int)r->form.i64[F_BL_KIND], admin;
	int64_t skill = r->form.present[F_BL_SKILL] ? r->form.i64[F_BL_SKILL] :
	    0;

	admin = r->user.role == ROLE_ADMIN;
	buf_init(&opts);
	buf_init(&kinds);
	if ((n = db_exec(r->db, STMT_BANK_SKILL_ALL, 0, NULL)) < 0)
		return http_error(r, page_db_status(n), "Try again shortly.");
	for (i = 0; i < n; i++) {
		buf_printf(&opts, "<option value=\"%lld\"%s>",
		    (long long)db_i64(r->db, i, 0),
		    db_i64(r->db, i, 0) == skill ? " selected" : "");
		buf_put_html(&opts, db_str(r->db, i, 1),
		    strlen(db_str(r->db, i, 1)));
		buf_puts(&opts, "</option>");
	}
	for (i = 0; i < QB__MAX; i++)
		buf_printf(&kinds, "<option value=\"%s\"%s>%s</option>",
		    qb_kind_name(i), i == k ? " selected" : "",
		    qb_kind_label(i));
	view_set_raw(v, "skill_options", opts.p ? opts.p : "");
	view_set_raw(v, "kind_options", kinds.p ? kinds.p : "");
	buf_free(&opts);
	buf_free(&kinds);
	if (r->form.nerr > 0) {
		view_set(v, "error", http_form_error(&r->form));
		r->status = 400;
	}
	if ((n = list(r)) < 0)
		return http_error(r, page_db_status(n), "Try again shortly.");
	buf_init(&rows);
	for (i = 0; i < n; i++) {
		const char *title = db_str(r->db, i, 3);

		view_clear(row);
		view_set(row, "url", arena_printf(r->a, "/teach/bank/%lld",
		    (long long)db_i64(r->db, i, 0)));
		view_set(row, "label", title[0] != '\0' ? title :
		    excerpt(r, db_str(r->db, i, 4)));
		view_set(row, "kind", qb_kind_label(qb_kind_parse(
		    db_str(r->db, i, 1))));
		view_set_int(row, "version", (long)db_i64(r->db, i, 2));
		view_set_int(row, "difficulty", (long)db_i64(r->db, i, 5));
		view_set_bool(row, "locked", db_bool(r->db, i, 6));
		view_set(row, "owner", db_str(r->db, i, 7));
		view_set(row, "skills", db_str(r->db, i, 8));
		view_set(row, "updated", db_str(r->db, i, 9));
		view_set_bool(row, "show_owner", admin);
		if (tmpl_render_row(TMPL_ROW_BANK_QUESTION, row, &rows) == -1) {
			buf_free(&rows);
			return http_error(r, 500, "The page could not be "
			    "built.");
		}
	}
	view_set_int(v, "count", n);
	if (n == atoi(LIST_MAX))
		view_set(v, "note", "Only the newest " LIST_MAX " are listed: "
		    "filter by skill or type to find older ones.");
	view_set_raw(v, "rows", rows.p ? rows.p : "");
	buf_free(&rows);
	view_set_bool(v, "show_owner", admin);
	view_set_bool(v, "filtered", skill > 0 || k >= 0);
	view_set(v, "skill_q", skill > 0 ? arena_printf(r->a, "&skill=%lld",
	    (long long)skill) : "");
	if (http_param(r, "deleted") != NULL)
		r->flash = "The question has been deleted.";
	else if (http_param(r, "archived") != NULL)
		r->flash = "The question has answers, so it has been archived: "
		    "it is gone from the bank, its answers stay.";
	else if (http_param(r, "imported") != NULL)
		r->flash = arena_printf(r->a, "Imported %s questions.",
		    http_param(r, "imported"));
	return http_page_nav(r, TMPL_BANK_LIST, v, "Question bank",
	    TMPL_NAV_TEACH);
}

/* ---- import ---------------------------------------------------------- */

struct imported {
	int64_t		*ids;
	size_t		 n;
	const char	**created;	/* skill names created */
	size_t		 ncreated;
};

/* The text to import: the uploaded file "file" if one was sent, else the
 * "text" field.  NULL with *why when there is none or it is too big. */
static const char *
import_text(struct req *r, size_t *len, const char **why, int *status)
{
	const struct http_file *f = http_file(r, "file");
	FILE *fp;
	char *buf;
	size_t n;

	*status = 400;
	if (f != NULL && f->size > 0) {
		if (f->size > IMPORT_MAX) {
			*status = 413;
			*why = "The file is larger than 2 MiB.";
			return NULL;
		}
		if ((fp = fopen(f->tmp_path, "rb")) == NULL) {
			*status = 500;
			*why = "The upload could not be read.";
			return NULL;
		}
		buf = arena_alloc(r->a, f->size + 1);
		n = fread(buf, 1, f->size, fp);
		fclose(fp);
		if (n != f->size) {
			*status = 500;
			*why = "The upload could not be read.";
			return NULL;
		}
		buf[n] = '\0';
		*len = n;
		return buf;
	}
	if (!r->form.present[F_BI_TEXT]) {
		*why = "Choose a file or paste the questions.";
		return NULL;
	}
	*len = r->form.len[F_BI_TEXT];
	return r->form.str[F_BI_TEXT];
}

/* Parses and, when the file has no error, inserts every question in one
 * transaction.  0 (set filled), 422 (errors in set), or 5xx. */
static int
import(struct req *r, int format, const char *text, size_t len,
    struct qb_set *set, struct imported *out)
{
	struct { const char *name, *id; } cache[SKILL_CACHE];
	struct bq b;
	const char *p[2];
	size_t i, k, c, ncache = 0;
	int n, rc;

	rc = format == 0 ? gift_parse(r->a, text, len, set) :
	    aiken_parse(r->a, text, len, set);
	if (rc != 0)
		return 422;
	if (set->nq == 0) {
		qb_error_add(r->a, set, 1, "the file holds no questions");
		return 422;
	}
	memset(out, 0, sizeof(*out));
	out->ids = arena_calloc(r->a, set->nq, sizeof(*out->ids));
	out->created = arena_calloc(r->a, set->nq * QB_MAXSKILLS + 1,
	    sizeof(*out->created));
	if (db_begin(r->db) != 0)
		return 503;
	for (i = 0; i < set->nq; i++) {
		memset(&b, 0, sizeof(b));
		b.q = set->q[i];
		if (b.q.difficulty == 0)
			b.q.difficulty = 5;
		for (k = 0; k < b.q.nskills; k++) {
			for (c = 0; c < ncache && strcmp(cache[c].name,
			    b.q.skills[k]) != 0; c++)
				;
			if (c == ncache) {
				p[0] = b.q.skills[k];
				p[1] = db_i64s(r->a, r->user.id);
				if ((n = db_exec(r->db, STMT_BANK_SKILL_ENSURE,
				    2, p)) < 0)
					goto fail;
				if (db_bool(r->db, 0, 1))
					out->created[out->ncreated++] =
					    b.q.skills[k];
				if (ncache < SKILL_CACHE) {
					cache[ncache].name = b.q.skills[k];
					cache[ncache++].id = str(r, 0, 0);
				}
				(void)skill_add(&b, db_str(r->db, 0, 0));
			} else
				(void)skill_add(&b, cache[c].id);
		}
		if ((n = insert_question(r, &b, &out->ids[i])) < 0)
			goto fail;
	}
	out->n = set->nq;
	if ((n = db_commit(r->db)) != 0)
		goto fail;
	return 0;
fail:
	db_rollback(r->db);
	return page_db_status(n);
}

static int
import_page(struct req *r, const struct qb_set *set, const char *form_error,
    int status)
{
	struct view *v = view_new(r->a), *row = view_new(r->a);
	struct buf eb;
	size_t i;
	int f = (int)r->form.i64[F_BI_FORMAT];

	buf_init(&eb);
	for (i = 0; set != NULL && i < set->nerr; i++) {
		view_clear(row);
		view_set_int(row, "line", set->err[i].line);
		view_set(row, "message", set->err[i].msg);
		if (tmpl_render_row(TMPL_ROW_BANK_ERROR, row, &eb) == -1) {
			buf_free(&eb);
			return http_error(r, 500, "The page could not be "
			    "built.");
		}
	}
	view_set(v, "csrf", r->csrf);
	view_set(v, "format", f >= 0 ? format_names[f] : "gift");
	if (strcmp(r->method, "POST") == 0)
		view_set(v, "text", r->form.str[F_BI_TEXT]);
	view_set_raw(v, "errors", eb.p ? eb.p : "");
	buf_free(&eb);
	if (set != NULL) {
		view_set(v, "error_summary", arena_printf(r->a, "%zu problem%s "
		    "found%s; nothing was imported. Fix the lines below and "
		    "send the file again.", set->nerr + set->ndropped,
		    set->nerr + set->ndropped == 1 ? "" : "s",
		    set->ndropped ? arena_printf(r->a, " (the first %zu "
		    "are listed)", set->nerr) : ""));
	}
	if (form_error != NULL)
		view_set(v, "form_error", form_error);
	r->status = status;
	return http_page_nav(r, TMPL_BANK_IMPORT, v, "Import questions",
	    TMPL_NAV_TEACH);
}

int
page_bank_import(struct req *r)
{
	struct qb_set set;
	struct imported out;
	const char *text, *why;
	size_t len;
	int n, status;

	if (strcmp(r->method, "GET") == 0)
		return import_page(r, NULL, NULL, 200);
	if (r->form.err[F_BI_FORMAT] != NULL)
		return import_page(r, NULL, r->form.err[F_BI_FORMAT], 400);
	if ((text = import_text(r, &len, &why, &status)) == NULL)
		return import_page(r, NULL, why, status);
	n = import(r, (int)r->form.i64[F_BI_FORMAT], text, len, &set, &out);
	if (n == 422)
		return import_page(r, &set, NULL, 422);
	if (n != 0)
		return http_error(r, n, "The import could not be saved; try "
		    "again shortly.");
	audit(r, "question.import", out.n > 0 ? out.ids[0] : 0,
	    arena_printf(r->a, "{\"count\":%zu}", out.n));
	return http_redirect(r, arena_printf(r->a, "/teach/bank?imported=%zu",
	    out.n));
}

/* ---- export ---------------------------------------------------------- */

/* The user's current questions (of skill, when > 0) as qb_questions. */
static int
export_load(struct req *r, int64_t skill, struct qb_question **out,
    int64_t **qids, size_t *nout, int *more)
{
	struct qb_question *q;
	int64_t *qid, *vid;
	const char *p[3];
	int n, i, k;
	size_t j;

	p[0] = db_i64s(r->a, r->user.id);
	p[1] = admin_arg(r);
	p[2] = db_i64s(r->a, skill);
	if ((n = db_exec(r->db, STMT_BANK_EXPORT_QUESTIONS, 3, p)) < 0)
		return n;
	/* A file holds what an import accepts; the rest need a filter. */
	*more = n > QB_MAXQUESTIONS;
	if (n > QB_MAXQUESTIONS)
		n = QB_MAXQUESTIONS;
	q = arena_calloc(r->a, (size_t)n + 1, sizeof(*q));
	qid = arena_calloc(r->a, (size_t)n + 1, sizeof(*qid));
	vid = arena_calloc(r->a, (size_t)n + 1, sizeof(*vid));
	for (i = 0; i < n; i++) {
		k = qb_kind_parse(db_str(r->db, i, 1));
		qb_init(&q[i], k >= 0 ? (enum qb_kind)k : QB_SINGLE);
		qid[i] = db_i64(r->db, i, 0);
		vid[i] = db_i64(r->db, i, 2);
		q[i].title = str(r, i, 3);
		q[i].stem = str(r, i, 4);
		q[i].explanation = str(r, i, 5);
		q[i].difficulty = (int)db_i64(r->db, i, 6);
	}
	*out = q;
	*qids = qid;
	*nout = (size_t)n;
	if (n == 0)
		return 0;
	p[0] = id_array(r, vid, (size_t)n);
	if ((k = db_exec(r->db, STMT_BANK_EXPORT_OPTIONS, 1, p)) < 0)
		return k;
	/* Options and skills come in question order, like the questions:
	 * one merge walk each. */
	for (i = 0, j = 0; i < k; i++) {
		int64_t v = db_i64(r->db, i, 0);

		while (j < (size_t)n && vid[j] != v)
			j++;
		if (j == (size_t)n)
			return DB_HARD;
		if (q[j].nopts == QB_MAXOPTS)
			continue;
		q[j].opts[q[j].nopts].text = str(r, i, 1);
		q[j].opts[q[j].nopts].correct = db_bool(r->db, i, 2);
		q[j].opts[q[j].nopts].value = db_dbl(r->db, i, 3);
		q[j].opts[q[j].nopts].tolerance = db_dbl(r->db, i, 4);
		q[j].opts[q[j].nopts].feedback = str(r, i, 5);
		q[j].nopts++;
	}
	p[0] = id_array(r, qid, (size_t)n);
	if ((k = db_exec(r->db, STMT_BANK_EXPORT_SKILLS, 1, p)) < 0)
		return k;
	for (i = 0, j = 0; i < k; i++) {
		int64_t id = db_i64(r->db, i, 0);

		while (j < (size_t)n && qid[j] != id)
			j++;
		if (j == (size_t)n)
			return DB_HARD;
		if (q[j].nskills < QB_MAXSKILLS)
			q[j].skills[q[j].nskills++] = str(r, i, 1);
	}
	return 0;
}

/* Writes the export into out; the question ids skipped into *skipped;
 * *more set when the bank holds more than one file may (the text then
 * says so in a comment line, for GIFT). */
static int
export(struct req *r, struct buf *out, int64_t **skipped, size_t *nskipped,
    size_t *total, int *more)
{
	struct qb_question *q;
	int64_t *qid, skill;
	size_t n, ns, i, *idx;
	int k;

	skill = r->form.present[F_BE_SKILL] ? r->form.i64[F_BE_SKILL] : 0;
	if ((k = export_load(r, skill, &q, &qid, &n, more)) < 0)
		return page_db_status(k);
	if (*more && r->form.i64[F_BE_FORMAT] == 0)
		buf_printf(out, "// Only the first %d questions of the bank are "
		    "in this file (a file holds at most %d): export by skill "
		    "for the rest.\n\n", QB_MAXQUESTIONS, QB_MAXQUESTIONS);
	idx = arena_calloc(r->a, n + 1, sizeof(*idx));
	ns = r->form.i64[F_BE_FORMAT] == 0 ? gift_write(out, q, n, idx) :
	    aiken_write(out, q, n, idx);
	*skipped = arena_calloc(r->a, ns + 1, sizeof(**skipped));
	for (i = 0; i < ns; i++)
		(*skipped)[i] = qid[idx[i]];
	*nskipped = ns;
	*total = n;
	return 0;
}

int
page_bank_export(struct req *r)
{
	int64_t *skipped;
	size_t ns, n;
	int st, more;

	if (r->form.nerr > 0)
		return http_error(r, 400, http_form_error(&r->form));
	buf_reset(r->body);
	if ((st = export(r, r->body, &skipped, &ns, &n, &more)) != 0) {
		buf_reset(r->body);
		return http_error(r, st, "Try again shortly.");
	}
	r->ctype_out = "text/plain; charset=utf-8";
	http_header(r, "Content-Disposition", r->form.i64[F_BE_FORMAT] == 0 ?
	    "attachment; filename=\"question-bank.gift.txt\"" :
	    "attachment; filename=\"question-bank.aiken.txt\"");
	return 200;
}

/* ---- JSON twins ------------------------------------------------------ */

static void
json_question(struct req *r, const struct bq *b)
{
	struct buf *o = r->body;
	size_t i;

	json_i64(r, "id", b->id);
	json_str(r, "kind", qb_kind_name(b->q.kind));
	json_i64(r, "version", b->version);
	json_i64(r, "version_id", b->vid);
	json_i64(r, "versions", b->nversions);
	json_bool(r, "locked", b->locked);
	json_str(r, "title", b->q.title);
	json_str(r, "stem", b->q.stem);
	json_str(r, "explanation", b->q.explanation);
	json_i64(r, "difficulty", b->q.difficulty);
	json_i64(r, "owner_id", b->owner);
	json_raw(r, "irt", "{");
	buf_printf(o, "\"a\":%s,\"b\":%s,\"c\":%s,\"calibrated\":%s}",
	    dbl(r, b->irt_a), dbl(r, b->irt_b), dbl(r, b->irt_c),
	    b->calibrated ? "true" : "false");
	json_raw(r, "skills", "[");
	for (i = 0; i < b->nskill; i++) {
		buf_printf(o, "%s{\"id\":%lld,\"name\":", i ? "," : "",
		    (long long)b->skill[i]);
		jstr(o, b->q.skills[i]);
		buf_putc(o, '}');
	}
	buf_putc(o, ']');
	json_raw(r, "options", "[");
	for (i = 0; i < b->q.nopts; i++) {
		const struct qb_option *p = &b->q.opts[i];

		buf_printf(o, "%s{\"id\":%lld,\"position\":%zu,\"text\":",
		    i ? "," : "", (long long)b->optid[i], i + 1);
		jstr(o, p->text);
		buf_printf(o, ",\"correct\":%s,\"feedback\":",
		    p->correct ? "true" : "false");
		jstr(o, p->feedback);
		if (b->q.kind == QB_NUMERIC)
			buf_printf(o, ",\"value\":%s,\"tolerance\":%s",
			    dbl(r, p->value), dbl(r, p->tolerance));
		buf_putc(o, '}');
	}
	buf_putc(o, ']');
}

/* 400 with every message of e, as {"error":..., "errors":[...]}. */
static int
json_form_errors(struct req *r, const struct ferr *e)
{
	struct buf *o = r->body;
	const char *all[7 + QB_MAXOPTS];
	const char *first = NULL;
	size_t n = 0, i;

	all[n++] = e->title;
	all[n++] = e->stem;
	all[n++] = e->explanation;
	all[n++] = e->difficulty;
	all[n++] = e->skills;
	all[n++] = e->options;
	for (i = 0; i < QB_MAXOPTS; i++)
		all[n++] = e->row[i];
	buf_reset(o);
	json_begin(r);
	for (i = 0; i < n && first == NULL; i++)
		first = all[i];
	json_raw(r, "error", "{");
	buf_puts(o, "\"status\":400,\"message\":");
	jstr(o, first != NULL ? first : "Invalid question.");
	buf_putc(o, '}');
	json_raw(r, "errors", "[");
	for (i = 0, first = ""; i < n; i++)
		if (all[i] != NULL) {
			buf_puts(o, first);
			jstr(o, all[i]);
			first = ",";
		}
	buf_putc(o, ']');
	json_end(r);
	return http_json(r, 400);
}

static int
json_one(struct req *r, int64_t id, int status)
{
	struct bq b;
	int n;

	if ((n = load(r, id, &b)) != 0)
		return http_error(r, n, n == 404 ? "No such question." :
		    "Try again shortly.");
	buf_reset(r->body);
	json_begin(r);
	json_question(r, &b);
	json_end(r);
	return http_json(r, status);
}

int
page_api_bank_list(struct req *r)
{
	struct buf *o;
	int n, i;

	if (r->form.nerr > 0)
		return http_error(r, 400, http_form_error(&r->form));
	if ((n = list(r)) < 0)
		return http_error(r, page_db_status(n), "Try again shortly.");
	o = r->body;
	json_begin(r);
	json_i64(r, "count", n);
	json_raw(r, "questions", "[");
	for (i = 0; i < n; i++) {
		buf_printf(o, "%s{\"id\":%lld,\"kind\":", i ? "," : "",
		    (long long)db_i64(r->db, i, 0));
		jstr(o, db_str(r->db, i, 1));
		buf_printf(o, ",\"version\":%lld,\"title\":",
		    (long long)db_i64(r->db, i, 2));
		jstr(o, db_str(r->db, i, 3));
		buf_puts(o, ",\"stem\":");
		jstr(o, db_str(r->db, i, 4));
		buf_printf(o, ",\"difficulty\":%lld,\"locked\":%s,"
		    "\"owner_id\":%lld,\"skills\":",
		    (long long)db_i64(r->db, i, 5),
		    db_bool(r->db, i, 6) ? "true" : "false",
		    (long long)db_i64(r->db, i, 10));
		jstr(o, db_str(r->db, i, 8));
		buf_putc(o, '}');
	}
	buf_putc(o, ']');
	json_end(r);
	return http_json(r, 200);
}

int
page_api_bank_create(struct req *r)
{
	struct bq b;
	struct ferr e;
	int64_t id;
	int n, k = (int)r->form.i64[F_BQ_KIND];

	memset(&b, 0, sizeof(b));
	memset(&e, 0, sizeof(e));
	if (k < 0)
		return http_error(r, 400, r->form.err[F_BQ_KIND] != NULL ?
		    r->form.err[F_BQ_KIND] : "Type is required: single, "
		    "multiple, truefalse, numeric, short or ordering.");
	read_form(r, (enum qb_kind)k, &b, &e);
	if (e.n == 0 && (n = check_skills(r, &b, &e)) >= 500)
		return http_error(r, n, "Try again shortly.");
	if (e.n > 0)
		return json_form_errors(r, &e);
	if ((n = create_question(r, &b, &id)) != 0)
		return http_error(r, n, "Try again shortly.");
	audit(r, "question.create", id, NULL);
	return json_one(r, id, 201);
}

int
page_api_bank_question(struct req *r)
{
	struct bq b, cur;
	struct ferr e;
	int n, newver;

	if (strcmp(r->method, "GET") == 0)
		return json_one(r, r->pathid[0], 200);
	if ((n = load(r, r->pathid[0], &cur)) != 0)
		return http_error(r, n, n == 404 ? "No such question." :
		    "Try again shortly.");
	memset(&b, 0, sizeof(b));
	memset(&e, 0, sizeof(e));
	if (r->form.i64[F_BQ_KIND] >= 0 &&
	    r->form.i64[F_BQ_KIND] != (long long)cur.q.kind)
		return http_error(r, 409, "A question keeps its type: write a "
		    "new question for another type.");
	read_form(r, cur.q.kind, &b, &e);
	if (e.n == 0 && (n = check_skills(r, &b, &e)) >= 500)
		return http_error(r, n, "Try again shortly.");
	if (e.n > 0)
		return json_form_errors(r, &e);
	if ((n = update_question(r, cur.id, &b, &newver)) != 0)
		return http_error(r, n, n == 404 ? "No such question." :
		    n == 409 ? "A question keeps its type." :
		    "Try again shortly.");
	audit(r, newver ? "question.version" : "question.update", cur.id,
	    NULL);
	return json_one(r, cur.id, 200);
}

int
page_api_bank_delete(struct req *r)
{
	int n, archived;

	if ((n = delete_question(r, r->pathid[0], &archived)) != 0)
		return http_error(r, n, n == 404 ? "No such question." :
		    "Try again shortly.");
	json_begin(r);
	json_i64(r, "id", r->pathid[0]);
	json_str(r, "result", archived ? "archived" : "deleted");
	json_end(r);
	return http_json(r, 200);
}

int
page_api_bank_import(struct req *r)
{
	struct qb_set set;
	struct imported out;
	struct buf *o = r->body;
	const char *text, *why;
	size_t len, i;
	int n, status;

	if (r->form.err[F_BI_FORMAT] != NULL)
		return http_error(r, 400, r->form.err[F_BI_FORMAT]);
	if ((text = import_text(r, &len, &why, &status)) == NULL)
		return http_error(r, status, why);
	n = import(r, (int)r->form.i64[F_BI_FORMAT], text, len, &set, &out);
	if (n != 0 && n != 422)
		return http_error(r, n, "Try again shortly.");
	buf_reset(o);
	json_begin(r);
	if (n == 422) {
		json_raw(r, "error", "{");
		buf_printf(o, "\"status\":422,\"message\":");
		jstr(o, arena_printf(r->a, "%zu problem%s found; nothing was "
		    "imported.", set.nerr + set.ndropped,
		    set.nerr + set.ndropped == 1 ? "" : "s"));
		buf_putc(o, '}');
		json_raw(r, "errors", "[");
		for (i = 0; i < set.nerr; i++) {
			buf_printf(o, "%s{\"line\":%d,\"message\":",
			    i ? "," : "", set.err[i].line);
			jstr(o, set.err[i].msg);
			buf_putc(o, '}');
		}
		buf_putc(o, ']');
		json_i64(r, "more_errors", (int64_t)set.ndropped);
		json_end(r);
		return http_json(r, 422);
	}
	audit(r, "question.import", out.n > 0 ? out.ids[0] : 0,
	    arena_printf(r->a, "{\"count\":%zu}", out.n));
	json_i64(r, "imported", (int64_t)out.n);
	json_raw(r, "ids", "[");
	for (i = 0; i < out.n; i++)
		buf_printf(o, "%s%lld", i ? "," : "", (long long)out.ids[i]);
	buf_putc(o, ']');
	json_raw(r, "skills_created", "[");
	for (i = 0; i < out.ncreated; i++) {
		if (i > 0)
			buf_putc(o, ',');
		jstr(o, out.created[i]);
	}
	buf_putc(o, ']');
	json_end(r);
	return http_json(r, 201);
}

int
page_api_bank_export(struct req *r)
{
	struct buf text;
	struct buf *o = r->body;
	int64_t *skipped;
	size_t ns, n, i;
	int st, more;

	if (r->form.nerr > 0)
		return http_error(r, 400, http_form_error(&r->form));
	buf_init(&text);
	if ((st = export(r, &text, &skipped, &ns, &n, &more)) != 0) {
		buf_free(&text);
		return http_error(r, st, "Try again shortly.");
	}
	json_begin(r);
	json_str(r, "format", format_names[r->form.i64[F_BE_FORMAT]]);
	json_i64(r, "questions", (int64_t)(n - ns));
	json_bool(r, "truncated", more);
	json_str(r, "text", text.p != NULL ? text.p : "");
	json_raw(r, "skipped", "[");
	for (i = 0; i < ns; i++)
		buf_printf(o, "%s%lld", i ? "," : "", (long long)skipped[i]);
	buf_putc(o, ']');
	json_end(r);
	buf_free(&text);
	return http_json(r, 200);
}
