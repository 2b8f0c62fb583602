/*
 * admin_models: model metadata in the admin panel (issue 9, adminx).
 * /admin/models lists every fitted target (an item version's IRT
 * parameters, a skill's BKT parameters) with its current fit: the
 * parameters, the fit's metrics, when, and the data window;
 * /admin/models/{item|skill}/{id} shows a target's history, and
 * POST /admin/models/{id}/rollback makes an earlier fit current again.
 * JSON twins under /api/v1/admin/models.
 *
 * The design decision: the history is append-only.  A rollback copies the
 * fit's parameters into the live table (question_versions.irt_* or
 * skill_bkt_params) and appends a model_metadata row that repeats the fit
 * and names it (rollback_of), with its audit row holding the parameters
 * before and after, all in one transaction under the target's row lock.
 * So a target's newest row is always the one in use, a calibration
 * running at the same time waits or goes first, and nothing is rewritten.
 */
#include <math.h>
#include <string.h>

#include <jansson.h>

#include "base/arena.h"
#include "base/buf.h"
#include "db/db.h"
#include "http/view.h"
#include "pages/pages.h"

#define PAGE_SIZE	50

const char *const page_admin_model_kinds[] = { "all", "item", "skill",
    NULL };

const struct http_field page_admin_models_fields[F_AM__MAX] = {
	[F_AM_KIND] = { "kind", HTTP_FT_ENUM, 0, 0, 0, 0,
	    page_admin_model_kinds, 0, "Kind" },
	[F_AM_Q] = { "q", HTTP_FT_STRING, 0, 200, 0, 0, NULL, 0, "Search" },
	[F_AM_PAGE] = { "page", HTTP_FT_INT, 0, 0, 1, 100000, NULL, 0,
	    "Page" },
};

/* Columns of admin_model_list and admin_model_history (+ C_NFITS for the
 * list). */
enum { C_ID, C_MODEL, C_TKIND, C_TID, C_NAME, C_QID, C_VERSION, C_PARAMS,
    C_METRICS, C_FITTED, C_FROM, C_TO, C_ROLLBACK_OF, C_BY, C_EXISTS,
    C_NFITS };

/* "item_version" -> "item" (the URL's word), anything else "skill". */
static const char *
url_kind(const char *target_kind)
{
	return strcmp(target_kind, "item_version") == 0 ? "item" : "skill";
}

/* ---- showing parameters and metrics ------------------------------------ */

static void
put_num(struct buf *b, json_t *v)
{
	if (json_is_integer(v))
		buf_printf(b, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		buf_printf(b, "%.3f", json_real_value(v));
	else if (json_is_true(v))
		buf_puts(b, "yes");
	else if (json_is_false(v))
		buf_puts(b, "no");
	else if (json_is_string(v))
		buf_puts(b, json_string_value(v));
	else
		buf_puts(b, "?");
}

/* Parameters as plain text, "a 1.000, b -0.512, c 0.000", for view_set. */
static const char *
params_text(struct arena *a, const char *params)
{
	json_t *o = json_loads(params, 0, NULL), *v;
	const char *k, *out;
	struct buf b;

	if (o == NULL || !json_is_object(o)) {
		json_decref(o);
		return "";
	}
	buf_init(&b);
	json_object_foreach(o, k, v) {
		if (b.len > 0)
			buf_puts(&b, ", ");
		buf_printf(&b, "%s ", k);
		put_num(&b, v);
	}
	json_decref(o);
	out = arena_strdup(a, b.p != NULL ? b.p : "");
	buf_free(&b);
	return out;
}

/* What the calibrate job records (014_calibration.sql), in reading order,
 * with how each reads; other keys follow as "key value". */
static const struct {
	const char	*key;
	const char	*fmt;	/* one %s: the value */
} metric_labels[] = {
	{ "loglik", "log-likelihood %s" },
	{ "converged", "converged: %s" },
	{ "iterations", "%s iterations" },
	{ "n_item_responses", "%s responses to this item" },
	{ "n_persons", "%s learners" },
	{ "n_responses", "%s responses in the fit" },
	{ "n_items", "%s items fitted together" },
	{ "sigma", "ability SD %s" },
	{ "min_n", "at least %s learners per item" },
};

static const char *
metrics_text(struct arena *a, const char *metrics)
{
	json_t *o = json_loads(metrics, 0, NULL), *v;
	const char *k, *out;
	struct buf b, num;
	size_t i, n = sizeof(metric_labels) / sizeof(metric_labels[0]);

	if (o == NULL || !json_is_object(o)) {
		json_decref(o);
		return "";
	}
	buf_init(&b);
	buf_init(&num);
	for (i = 0; i < n; i++) {
		if ((v = json_object_get(o, metric_labels[i].key)) == NULL)
			continue;
		buf_reset(&num);
		put_num(&num, v);
		if (b.len > 0)
			buf_puts(&b, "; ");
		buf_printf(&b, metric_labels[i].fmt, num.p);
	}
	json_object_foreach(o, k, v) {
		for (i = 0; i < n; i++)
			if (strcmp(k, metric_labels[i].key) == 0)
				break;
		if (i < n)
			continue;
		if (b.len > 0)
			buf_puts(&b, "; ");
		buf_printf(&b, "%s ", k);
		put_num(&b, v);
	}
	json_decref(o);
	out = arena_strdup(a, b.p != NULL ? b.p : "");
	buf_free(&b);
	buf_free(&num);
	return out;
}

/* The data window as text: "2024-05-01 10:00 to 2024-05-09 12:00". */
static const char *
window_text(struct req *r, int i)
{
	const char *from = db_str(r->db, i, C_FROM), *to = db_str(r->db, i,
	    C_TO);

	if (*from == '\0' && *to == '\0')
		return "not recorded";
	return arena_printf(r->a, "%s to %s", *from ? from : "?",
	    *to ? to : "?");
}

/* Row i of the last list/history query into a row view. */
static void
row_view(struct req *r, struct view *v, int i)
{
	struct db *db = r->db;
	const char *tkind = db_str(db, i, C_TKIND), *name = db_str(db, i,
	    C_NAME), *by = db_str(db, i, C_BY);
	int item = strcmp(tkind, "item_version") == 0;

	view_set_int(v, "id", (long)db_i64(db, i, C_ID));
	view_set(v, "model", db_str(db, i, C_MODEL));
	view_set(v, "kind", url_kind(tkind));
	view_set(v, "kind_label", item ? "Item version" : "Skill");
	view_set_int(v, "target", (long)db_i64(db, i, C_TID));
	view_set_bool(v, "exists", db_bool(db, i, C_EXISTS));
	if (!db_bool(db, i, C_EXISTS))
		view_set(v, "name", item ? "(deleted item version)" :
		    "(deleted skill)");
	else if (item)
		view_setf(v, "name", "%s (question %lld, version %lld)",
		    *name ? name : "(untitled)",
		    (long long)db_i64(db, i, C_QID),
		    (long long)db_i64(db, i, C_VERSION));
	else
		view_set(v, "name", name);
	view_set(v, "params", params_text(r->a, db_str(db, i, C_PARAMS)));
	view_set(v, "metrics", metrics_text(r->a, db_str(db, i,
	    C_METRICS)));
	view_set(v, "fitted", db_str(db, i, C_FITTED));
	view_set(v, "window", window_text(r, i));
	if (db_i64(db, i, C_ROLLBACK_OF) > 0)
		view_setf(v, "rollback_of", "Rollback to fit %lld%s%s",
		    (long long)db_i64(db, i, C_ROLLBACK_OF),
		    *by ? " by " : "", by);
}

/* Row i as a JSON object (key NULL inside an array); nfits for a list
 * row. */
static void
row_json(struct req *r, const char *key, int i, int nfits)
{
	struct db *db = r->db;
	const char *s;

	json_obj_begin(r, key);
	json_i64(r, "id", db_i64(db, i, C_ID));
	json_str(r, "model_kind", db_str(db, i, C_MODEL));
	json_str(r, "target_kind", db_str(db, i, C_TKIND));
	json_i64(r, "target_id", db_i64(db, i, C_TID));
	json_str(r, "target_name", db_str(db, i, C_NAME));
	json_bool(r, "target_exists", db_bool(db, i, C_EXISTS));
	if (db_i64(db, i, C_QID) > 0) {
		json_i64(r, "question_id", db_i64(db, i, C_QID));
		json_i64(r, "version", db_i64(db, i, C_VERSION));
	}
	json_raw(r, "params", db_str(db, i, C_PARAMS));
	json_raw(r, "metrics", db_str(db, i, C_METRICS));
	json_str(r, "fitted_at", db_str(db, i, C_FITTED));
	s = db_str(db, i, C_FROM);
	if (*s)
		json_str(r, "data_from", s);
	else
		json_raw(r, "data_from", "null");
	s = db_str(db, i, C_TO);
	if (*s)
		json_str(r, "data_to", s);
	else
		json_raw(r, "data_to", "null");
	if (db_i64(db, i, C_ROLLBACK_OF) > 0) {
		json_i64(r, "rollback_of", db_i64(db, i, C_ROLLBACK_OF));
		s = db_str(db, i, C_BY);
		if (*s)
			json_str(r, "rolled_back_by", s);
		else
			json_raw(r, "rolled_back_by", "null");
	} else
		json_raw(r, "rollback_of", "null");
	if (nfits)
		json_i64(r, "fits", db_i64(db, i, C_NFITS));
	json_obj_end(r);
}

/* ---- the list ----------------------------------------------------------- */

struct listq {
	const char	*kind;		/* "all", "item", "skill" */
	const char	*q;
	long		 page;
};

static struct listq
list_form(const struct req *r)
{
	const struct http_form *f = &r->form;
	struct listq q;

	q.kind = f->i64[F_AM_KIND] > 0 ?
	    page_admin_model_kinds[f->i64[F_AM_KIND]] : "all";
	q.q = f->str[F_AM_Q];
	q.page = f->present[F_AM_PAGE] ? (long)f->i64[F_AM_PAGE] : 1;
	return q;
}

/*
 * Loads the counts (targets: items, skills; fits) into counts[3], then
 * the page q; returns the rows to show (at most PAGE_SIZE) or a DB_* code.
 */
static int
list_query(struct req *r, const struct listq *q, int *more, long counts[3])
{
	const char *p[4];
	int n, i;

	if ((n = db_exec(r->db, STMT_ADMIN_MODEL_COUNTS, 0, NULL)) != 1)
		return n < 0 ? n : DB_HARD;
	for (i = 0; i < 3; i++)
		counts[i] = (long)db_i64(r->db, 0, i);
	p[0] = strcmp(q->kind, "item") == 0 ? "item_version" :
	    strcmp(q->kind, "skill") == 0 ? "skill" : "";
	p[1] = q->q;
	p[2] = db_i64s(r->a, PAGE_SIZE + 1);
	p[3] = db_i64s(r->a, (int64_t)(q->page - 1) * PAGE_SIZE);
	n = db_exec(r->db, STMT_ADMIN_MODEL_LIST, 4, p);
	*more = n > PAGE_SIZE;
	return n > PAGE_SIZE ? PAGE_SIZE : n;
}

static const char *
list_url(struct req *r, const struct listq *q, long page)
{
	const char *kv[] = { "kind", q->kind, "q", q->q };

	return page_list_url(r->a, "/admin/models", page, kv, 4);
}

int
page_admin_models(struct req *r)
{
	struct view *v = view_new(r->a), *row = view_new(r->a);
	struct listq q = { "all", "", 1 };
	long counts[3];
	struct buf rows;
	int n, i, more = 0;

	if (r->form.nerr == 0)
		q = list_form(r);
	if ((n = list_query(r, &q, &more, counts)) < 0)
		return page_db_status(n);
	buf_init(&rows);
	for (i = 0; i < n; i++) {
		view_clear(row);
		row_view(r, row, i);
		view_set_int(row, "fits", (long)db_i64(r->db, i, C_NFITS));
		if (tmpl_render_row(TMPL_ROW_ADMIN_MODEL, row, &rows) == -1) {
			buf_free(&rows);
			return 500;
		}
	}
	view_set(v, "kind", q.kind);
	view_set(v, "q", q.q);
	view_set_int(v, "items", counts[0]);
	view_set_int(v, "skills", counts[1]);
	view_set_int(v, "fits", counts[2]);
	view_set_bool(v, "no_skills", counts[1] == 0);
	view_set_int(v, "count", n);
	view_set_int(v, "page", q.page);
	view_set_raw(v, "rows", rows.p ? rows.p : "");
	buf_free(&rows);
	if (r->form.nerr > 0)
		view_set(v, "error", http_form_error(&r->form));
	if (q.page > 1)
		view_set(v, "prev_url", list_url(r, &q, q.page - 1));
	if (more)
		view_set(v, "next_url", list_url(r, &q, q.page + 1));
	r->status = r->form.nerr > 0 ? 400 : 200;
	return http_page_nav(r, TMPL_ADMIN_MODELS, v, "Model metadata",
	    TMPL_NAV_ADMIN);
}

int
page_api_admin_models(struct req *r)
{
	struct listq q;
	long counts[3];
	int n, i, more = 0;

	if (r->form.nerr > 0)
		return http_error(r, 400, http_form_error(&r->form));
	q = list_form(r);
	if ((n = list_query(r, &q, &more, counts)) < 0)
		return http_error(r, page_db_status(n), "Try again shortly.");
	json_begin(r);
	json_obj_begin(r, "counts");
	json_i64(r, "item_versions", counts[0]);
	json_i64(r, "skills", counts[1]);
	json_i64(r, "fits", counts[2]);
	json_obj_end(r);
	json_i64(r, "page", q.page);
	json_bool(r, "more", more);
	json_arr_begin(r, "targets");
	for (i = 0; i < n; i++)
		row_json(r, NULL, i, 1);
	json_arr_end(r);
	json_end(r);
	return http_json(r, 200);
}

/* ---- one target --------------------------------------------------------- */

struct target {
	const char	*kind;		/* "item_version" or "skill" */
	int64_t		 id;
	const char	*name;
	int64_t		 qid, version;
	int		 exists;
	const char	*current;	/* parameters in use (JSON), or "" */
};

/*
 * Loads target (kind, id) and its history (left as the last result).
 * Returns the number of fits, 404 when there are none (a made-up id), or
 * a DB_* code.
 */
static int
target_load(struct req *r, const char *kind, int64_t id, struct target *t)
{
	const char *p[2];
	int n;

	p[0] = kind;
	p[1] = db_i64s(r->a, id);
	if ((n = db_exec(r->db, STMT_ADMIN_MODEL_TARGET, 2, p)) != 1)
		return n < 0 ? n : DB_HARD;
	t->kind = kind;
	t->id = id;
	t->name = arena_strdup(r->a, db_str(r->db, 0, 0));
	t->qid = db_i64(r->db, 0, 1);
	t->version = db_i64(r->db, 0, 2);
	t->exists = db_bool(r->db, 0, 3);
	t->current = arena_strdup(r->a, db_str(r->db, 0, 4));
	if ((n = db_exec(r->db, STMT_ADMIN_MODEL_HISTORY, 2, p)) < 0)
		return n;
	return n == 0 ? 404 : n;
}

static int
target_page(struct req *r, const char *kind, int64_t id, const char *error,
    int status)
{
	struct view *v = view_new(r->a), *row = view_new(r->a);
	struct target t;
	struct buf rows;
	int n, i, item = strcmp(kind, "item_version") == 0;

	if ((n = target_load(r, kind, id, &t)) == 404)
		return 404;
	if (n < 0)
		return page_db_status(n);
	buf_init(&rows);
	for (i = 0; i < n; i++) {
		view_clear(row);
		row_view(r, row, i);
		view_set_bool(row, "current", i == 0);
		view_set_bool(row, "can_roll_back", i > 0 && t.exists &&
		    db_i64(r->db, 0, C_ROLLBACK_OF) != db_i64(r->db, i, C_ID));
		view_set(row, "csrf", r->csrf);
		if (tmpl_render_row(TMPL_ROW_ADMIN_MODEL_FIT, row,
		    &rows) == -1) {
			buf_free(&rows);
			return 500;
		}
	}
	view_set(v, "kind", url_kind(kind));
	view_set(v, "kind_label", item ? "Item version" : "Skill");
	view_set_int(v, "target", (long)id);
	view_set_bool(v, "item", item);
	view_set_bool(v, "exists", t.exists);
	view_set(v, "name", t.exists ? (*t.name ? t.name : "(untitled)") :
	    item ? "(deleted item version)" : "(deleted skill)");
	view_set_int(v, "question", (long)t.qid);
	view_set_int(v, "version", (long)t.version);
	if (*t.current)
		view_set(v, "current", params_text(r->a, t.current));
	view_set_int(v, "count", n);
	view_set_raw(v, "rows", rows.p ? rows.p : "");
	buf_free(&rows);
	if (error != NULL)
		view_set(v, "error", error);
	if (http_param(r, "rolled") != NULL && status == 200)
		r->flash = "The earlier fit is in use again; the history and "
		    "the audit log record the rollback.";
	r->status = status;
	return http_page_nav(r, TMPL_ADMIN_MODEL, v, item ?
	    "Item version fits" : "Skill fits", TMPL_NAV_ADMIN);
}

/* The target as JSON (its history included), under key (NULL: the
 * top-level object's members).  0, 404 or a DB_* code. */
static int
target_json(struct req *r, const char *kind, int64_t id, const char *key)
{
	struct target t;
	int n, i;

	if ((n = target_load(r, kind, id, &t)) == 404 || n < 0)
		return n;
	if (key != NULL)
		json_obj_begin(r, key);
	json_str(r, "target_kind", kind);
	json_i64(r, "target_id", id);
	json_str(r, "target_name", t.name);
	json_bool(r, "target_exists", t.exists);
	if (t.qid > 0) {
		json_i64(r, "question_id", t.qid);
		json_i64(r, "version", t.version);
	}
	json_raw(r, "current_params", *t.current ? t.current : "null");
	json_i64(r, "current_fit", db_i64(r->db, 0, C_ID));
	json_arr_begin(r, "fits");
	for (i = 0; i < n; i++)
		row_json(r, NULL, i, 0);
	json_arr_end(r);
	if (key != NULL)
		json_obj_end(r);
	return 0;
}

static int
api_target(struct req *r, const char *kind)
{
	int n;

	json_begin(r);
	if ((n = target_json(r, kind, r->pathid[0], NULL)) == 404)
		return http_error(r, 404, "No fits for this target.");
	if (n < 0)
		return http_error(r, page_db_status(n), "Try again shortly.");
	json_end(r);
	return http_json(r, 200);
}

int
page_admin_model_item(struct req *r)
{
	return target_page(r, "item_version", r->pathid[0], NULL, 200);
}

int
page_admin_model_skill(struct req *r)
{
	return target_page(r, "skill", r->pathid[0], NULL, 200);
}

int
page_api_admin_model_item(struct req *r)
{
	return api_target(r, "item_version");
}

int
page_api_admin_model_skill(struct req *r)
{
	return api_target(r, "skill");
}

/* ---- rollback ----------------------------------------------------------- */

/* 1 when o[key] is a finite number in [lo, hi] (hi excluded if open). */
static int
num_ok(json_t *o, const char *key, double lo, double hi, int open)
{
	json_t *v = json_object_get(o, key);
	double x;

	if (v == NULL || !json_is_number(v))
		return 0;
	x = json_number_value(v);
	return isfinite(x) && x >= lo && (open ? x < hi : x <= hi);
}

/* 1 when params (JSON text) can go into the live table for kind: the
 * CHECK constraints of question_versions, probabilities for BKT. */
static int
params_usable(const char *kind, const char *params)
{
	json_t *o = json_loads(params, 0, NULL), *c;
	int ok;

	if (o == NULL || !json_is_object(o)) {
		json_decref(o);
		return 0;
	}
	if (strcmp(kind, "item_version") == 0) {
		c = json_object_get(o, "c");
		ok = num_ok(o, "a", 1e-9, INFINITY, 0) &&
		    num_ok(o, "b", -INFINITY, INFINITY, 0) &&
		    (c == NULL || json_is_null(c) || num_ok(o, "c", 0, 1, 1));
	} else
		ok = num_ok(o, "prior", 0, 1, 0) &&
		    num_ok(o, "learn", 0, 1, 0) &&
		    num_ok(o, "guess", 0, 1, 0) &&
		    num_ok(o, "slip", 0, 1, 0);
	json_decref(o);
	return ok;
}

/* The target's parameters now, as JSON, locking its row: 0 with *out,
 * 409 when the target is gone, or a DB_* code. */
static int
lock_target(struct req *r, const char *kind, const char *tid,
    const char **out)
{
	const char *p[1] = { tid };
	int n;

	n = db_exec(r->db, strcmp(kind, "item_version") == 0 ?
	    STMT_ADMIN_MODEL_ITEM_LOCK : STMT_ADMIN_MODEL_SKILL_LOCK, 1, p);
	if (n < 0)
		return n;
	if (n == 0)
		return 409;
	*out = arena_strdup(r->a, db_str(r->db, 0, 0));
	return 0;
}

struct rolled {
	const char	*kind;		/* target_kind */
	int64_t		 target, newid;
};

/*
 * Makes fit id the one in use again, with its history row and its audit
 * row (parameters before and after), in one transaction.  Returns 0 with
 * *out filled, 404 (no such fit), 409 with *msg (the target is gone, the
 * fit is already in use, or its parameters cannot be used; out->kind and
 * out->target are set), or a DB_* code.
 */
static int
rollback(struct req *r, int64_t id, struct rolled *out, const char **msg)
{
	const char *p[4], *params, *before, *after, *tid, *what;
	int n, item;

	if (db_begin(r->db) == -1)
		return DB_RETRY;
	p[0] = db_i64s(r->a, id);
	if ((n = db_exec(r->db, STMT_ADMIN_MODEL_GET, 1, p)) <= 0) {
		db_rollback(r->db);
		return n == 0 ? 404 : n;
	}
	out->kind = arena_strdup(r->a, db_str(r->db, 0, 0));
	out->target = db_i64(r->db, 0, 1);
	params = arena_strdup(r->a, db_str(r->db, 0, 2));
	item = strcmp(out->kind, "item_version") == 0;
	what = item ? "item version" : "skill";
	tid = db_i64s(r->a, out->target);
	if (!params_usable(out->kind, params)) {
		db_rollback(r->db);
		*msg = arena_printf(r->a, "Fit %lld's parameters cannot be "
		    "used for a %s.", (long long)id, what);
		return 409;
	}
	if ((n = lock_target(r, out->kind, tid, &before)) != 0) {
		db_rollback(r->db);
		if (n == 409)
			*msg = arena_printf(r->a, "This %s no longer exists; "
			    "there is nothing to roll back.", what);
		return n;
	}
	p[0] = out->kind;
	p[1] = tid;
	if ((n = db_exec(r->db, STMT_ADMIN_MODEL_CURRENT, 2, p)) != 1)
		goto fail;
	if (db_i64(r->db, 0, 0) == id || db_i64(r->db, 0, 1) == id) {
		db_rollback(r->db);
		*msg = arena_printf(r->a, "Fit %lld is already the one in "
		    "use.", (long long)id);
		return 409;
	}
	p[0] = db_i64s(r->a, id);
	if ((n = db_exec(r->db, item ? STMT_ADMIN_MODEL_ITEM_RESTORE :
	    STMT_ADMIN_MODEL_SKILL_RESTORE, 1, p)) != 1)
		goto fail;
	p[1] = db_i64s(r->a, r->user.id);
	if ((n = db_exec(r->db, STMT_ADMIN_MODEL_ROLLBACK_INSERT, 2, p)) != 1)
		goto fail;
	out->newid = db_i64(r->db, 0, 0);
	if ((n = lock_target(r, out->kind, tid, &after)) != 0)
		goto fail;
	p[0] = db_i64s(r->a, r->user.id);
	p[1] = "model.rollback";
	p[2] = arena_printf(r->a, "%s:%lld", out->kind,
	    (long long)out->target);
	p[3] = arena_printf(r->a, "{\"fit\":%lld,\"history_row\":%lld,"
	    "\"before\":%s,\"after\":%s}", (long long)id,
	    (long long)out->newid, before, after);
	if ((n = db_exec(r->db, STMT_AUDIT_INSERT, 4, p)) != 1)
		goto fail;
	if (db_commit(r->db) != 0) {
		n = DB_RETRY;
		goto fail;
	}
	return 0;
fail:
	db_rollback(r->db);
	return n < 0 ? n : DB_HARD;
}

int
page_admin_model_rollback(struct req *r)
{
	struct rolled o = { NULL, 0, 0 };
	const char *msg = NULL;
	int n;

	n = rollback(r, r->pathid[0], &o, &msg);
	if (n == 404)
		return 404;
	if (n == 409)
		return target_page(r, o.kind, o.target, msg, 409);
	if (n != 0)
		return page_db_status(n);
	return http_redirect(r, arena_printf(r->a,
	    "/admin/models/%s/%lld?rolled=%lld", url_kind(o.kind),
	    (long long)o.target, (long long)o.newid));
}

int
page_api_admin_model_rollback(struct req *r)
{
	struct rolled o = { NULL, 0, 0 };
	const char *msg = NULL;
	int n;

	n = rollback(r, r->pathid[0], &o, &msg);
	if (n == 404)
		return http_error(r, 404, "No such fit.");
	if (n == 409)
		return http_error(r, 409, msg);
	if (n != 0)
		return http_error(r, page_db_status(n), "Try again shortly.");
	json_begin(r);
	json_i64(r, "restored", r->pathid[0]);
	json_i64(r, "id", o.newid);
	if ((n = target_json(r, o.kind, o.target, "target")) != 0)
		return http_error(r, n < 0 ? page_db_status(n) : 500,
		    "Try again shortly.");
	json_end(r);
	return http_json(r, 200);
}
