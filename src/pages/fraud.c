/*
 * fraud: the admin's fraud and anomaly flags (issue 9): /admin/fraud lists
 * what the scan (src/jobs/fraud.c) raised, open flags first, each with its
 * evidence and the accounts it names; POST /admin/fraud/{id} confirms or
 * clears one, with an optional note; JSON twins under /api/v1/admin/fraud.
 *
 * The design decision: a decision is taken once.  It locks the flag, is
 * refused with 409 if the flag is no longer open (two admins deciding at
 * once, or a changed mind: that is a new flag's job, not an edit of the
 * record), and writes its audit row, with the status and note before and
 * after, in the same transaction.
 */
#include <string.h>

#include <jansson.h>

#include "base/arena.h"
#include "base/buf.h"
#include "db/db.h"
#include "http/view.h"
#include "pages/pages.h"

#define PAGE_SIZE	50

const char *const page_fraud_statuses[] = { "open", "confirmed", "cleared",
    "all", NULL };
const char *const page_fraud_actions[] = { "confirm", "clear", NULL };

const struct http_field page_fraud_list_fields[F_FRL__MAX] = {
	[F_FRL_STATUS] = { "status", HTTP_FT_ENUM, 0, 0, 0, 0,
	    page_fraud_statuses, 0, "Show" },
	[F_FRL_PAGE] = { "page", HTTP_FT_INT, 0, 0, 1, 100000, NULL, 0,
	    "Page" },
};
const struct http_field page_fraud_decide_fields[F_FRD__MAX] = {
	[F_FRD_ACTION] = { "action", HTTP_FT_ENUM, 0, 0, 0, 0,
	    page_fraud_actions, 1, "Action" },
	[F_FRD_NOTE] = { "note", HTTP_FT_TEXT, 0, 2000, 0, 0, NULL, 0,
	    "Note" },
};

/* Columns of fraud_flag_list and fraud_flag_get. */
enum { C_ID, C_KIND, C_EVENT, C_QUIZ, C_QUIZ_TITLE, C_ADDRESS, C_SCORE,
    C_EVIDENCE, C_EVIDENCE_JSON, C_STATUS, C_DECIDER, C_DECIDED_AT, C_NOTE,
    C_CREATED, C_UPDATED, C_SUBJECTS, C_RELATED };

static const char *
kind_label(const char *kind, const char *event)
{
	if (strcmp(kind, "fast_correct") == 0)
		return "Implausibly fast correct answers";
	if (strcmp(kind, "similarity") == 0)
		return "Shared rare wrong answers";
	if (strcmp(kind, "guessing") == 0)
		return "Guessing";
	if (strcmp(kind, "burst") == 0)
		return strcmp(event, "signup") == 0 ? "Burst of sign-ups" :
		    "Burst of attempt starts";
	return kind;
}

static const char *
status_label(const char *status)
{
	if (strcmp(status, "confirmed") == 0)
		return "Confirmed";
	if (strcmp(status, "cleared") == 0)
		return "Cleared";
	return "Open";
}

/* What the list shows: a status ("" for all) and a page from 1. */
struct listq {
	const char	*status;
	long		 page;
};

/* The list the GET form asks for (valid: the caller checked). */
static struct listq
list_form(const struct req *r)
{
	struct listq q;
	long long i = r->form.i64[F_FRL_STATUS];

	q.status = i < 0 || i == 3 ? "" : page_fraud_statuses[i];
	q.page = r->form.present[F_FRL_PAGE] ? (long)r->form.i64[F_FRL_PAGE] :
	    1;
	return q;
}

/* Links to /admin/users/{id} for a JSON array of {"id", "name"}, built
 * with the escaping writer; NULL when the array is empty. */
static const char *
account_links(struct arena *a, const char *json)
{
	json_t *arr, *o;
	struct buf b;
	const char *name, *out = NULL;
	size_t i;

	if ((arr = json_loads(json, 0, NULL)) == NULL)
		return NULL;
	buf_init(&b);
	json_array_foreach(arr, i, o) {
		long long id = (long long)json_integer_value(
		    json_object_get(o, "id"));

		name = json_string_value(json_object_get(o, "name"));
		if (i > 0)
			buf_puts(&b, ", ");
		buf_printf(&b, "<a href=\"/admin/users/%lld\">", id);
		if (name != NULL && *name)
			buf_put_html(&b, name, strlen(name));
		else
			buf_puts(&b, "deleted account");
		buf_printf(&b, "</a> (#%lld)", id);
	}
	if (b.len > 0)
		out = arena_strdup(a, b.p);
	buf_free(&b);
	json_decref(arr);
	return out;
}

/* One flag (row i of the last list/get) into a row view. */
static void
row_view(struct req *r, struct view *v, int i)
{
	struct db *db = r->db;
	const char *status = db_str(db, i, C_STATUS);
	const char *s;

	view_set_int(v, "id", (long)db_i64(db, i, C_ID));
	view_set(v, "kind_label", kind_label(db_str(db, i, C_KIND),
	    db_str(db, i, C_EVENT)));
	view_set(v, "status", status);
	view_set(v, "status_label", status_label(status));
	view_set_bool(v, "open", strcmp(status, "open") == 0);
	view_set_raw(v, "subjects", account_links(r->a,
	    db_str(db, i, C_SUBJECTS)));
	view_set_raw(v, "related", account_links(r->a,
	    db_str(db, i, C_RELATED)));
	if (db_i64(db, i, C_QUIZ) > 0)
		view_setf(v, "quiz", "%s (quiz #%lld)",
		    db_str(db, i, C_QUIZ_TITLE),
		    (long long)db_i64(db, i, C_QUIZ));
	view_set(v, "address", db_str(db, i, C_ADDRESS));
	view_setf(v, "score", "%.2f", db_dbl(db, i, C_SCORE));
	view_set(v, "evidence", db_str(db, i, C_EVIDENCE));
	view_set(v, "created", db_str(db, i, C_CREATED));
	view_set(v, "refreshed", db_str(db, i, C_UPDATED));
	s = db_str(db, i, C_DECIDED_AT);
	view_set_bool(v, "decided", *s != '\0');
	view_set(v, "decided_at", s);
	s = db_str(db, i, C_DECIDER);
	view_set(v, "decided_by", *s ? s : "a deleted account");
	view_set(v, "note", db_str(db, i, C_NOTE));
	view_set(v, "csrf", r->csrf);
}

/* One flag (row i) as a JSON object; key NULL inside an array. */
static void
row_json(struct req *r, const char *key, int i)
{
	struct db *db = r->db;
	const char *s;

	json_obj_begin(r, key);
	json_i64(r, "id", db_i64(db, i, C_ID));
	json_str(r, "kind", db_str(db, i, C_KIND));
	s = db_str(db, i, C_EVENT);
	if (*s)
		json_str(r, "event", s);
	else
		json_raw(r, "event", "null");
	json_str(r, "status", db_str(db, i, C_STATUS));
	json_dbl(r, "score", db_dbl(db, i, C_SCORE));
	json_raw(r, "subjects", db_str(db, i, C_SUBJECTS));
	json_raw(r, "related", db_str(db, i, C_RELATED));
	if (db_i64(db, i, C_QUIZ) > 0) {
		json_obj_begin(r, "assessment");
		json_i64(r, "id", db_i64(db, i, C_QUIZ));
		json_str(r, "title", db_str(db, i, C_QUIZ_TITLE));
		json_obj_end(r);
	} else
		json_raw(r, "assessment", "null");
	s = db_str(db, i, C_ADDRESS);
	if (*s)
		json_str(r, "address", s);
	else
		json_raw(r, "address", "null");
	json_str(r, "evidence", db_str(db, i, C_EVIDENCE));
	json_raw(r, "evidence_detail", db_str(db, i, C_EVIDENCE_JSON));
	json_str(r, "created_at", db_str(db, i, C_CREATED));
	s = db_str(db, i, C_DECIDED_AT);
	if (*s) {
		json_str(r, "decided_at", s);
		json_str(r, "decided_by", db_str(db, i, C_DECIDER));
	} else {
		json_raw(r, "decided_at", "null");
		json_raw(r, "decided_by", "null");
	}
	json_str(r, "note", db_str(db, i, C_NOTE));
	json_obj_end(r);
}

/*
 * Loads the counts into counts[3], then the page q of flags; returns the
 * rows to show (at most PAGE_SIZE) or a DB_* code.
 */
static int
query(struct req *r, const struct listq *q, int *more, long counts[3])
{
	const char *p[3];
	int n, i;

	if ((n = db_exec(r->db, STMT_FRAUD_FLAG_COUNTS, 0, NULL)) != 1)
		return n < 0 ? n : DB_HARD;
	for (i = 0; i < 3; i++)
		counts[i] = (long)db_i64(r->db, 0, i);
	p[0] = q->status;
	p[1] = db_i64s(r->a, PAGE_SIZE + 1);
	p[2] = db_i64s(r->a, (int64_t)(q->page - 1) * PAGE_SIZE);
	n = db_exec(r->db, STMT_FRAUD_FLAG_LIST, 3, p);
	*more = n > PAGE_SIZE;
	return n > PAGE_SIZE ? PAGE_SIZE : n;
}

static const char *
page_url(struct req *r, const struct listq *q, long page)
{
	return arena_printf(r->a, "/admin/fraud?status=%s&page=%ld",
	    *q->status ? q->status : "all", page);
}

/* The list page for q, with error (or NULL) and status. */
static int
list_page(struct req *r, const struct listq *q, const char *error,
    int status)
{
	struct view *v = view_new(r->a), *row = view_new(r->a);
	struct buf rows;
	long counts[3] = { 0, 0, 0 };
	int n = 0, i, more = 0;

	if ((n = query(r, q, &more, counts)) < 0)
		return page_db_status(n);
	buf_init(&rows);
	for (i = 0; i < n; i++) {
		view_clear(row);
		row_view(r, row, i);
		if (tmpl_render_row(TMPL_ROW_FRAUD_FLAG, row, &rows) == -1) {
			buf_free(&rows);
			return 500;
		}
	}
	view_set(v, "status", *q->status ? q->status : "all");
	view_set_int(v, "open", counts[0]);
	view_set_int(v, "confirmed", counts[1]);
	view_set_int(v, "cleared", counts[2]);
	view_set_int(v, "count", n);
	view_set_int(v, "page", q->page);
	view_set_raw(v, "rows", rows.p ? rows.p : "");
	buf_free(&rows);
	if (error != NULL)
		view_set(v, "error", error);
	if (q->page > 1)
		view_set(v, "prev_url", page_url(r, q, q->page - 1));
	if (more)
		view_set(v, "next_url", page_url(r, q, q->page + 1));
	if (http_param(r, "decided") != NULL && status == 200)
		r->flash = "The decision has been saved and recorded in the "
		    "audit log.";
	r->status = status;
	return http_page_nav(r, TMPL_ADMIN_FRAUD, v, "Fraud flags",
	    TMPL_NAV_ADMIN);
}

int
page_admin_fraud(struct req *r)
{
	struct listq q = { "", 1 };

	if (r->form.nerr > 0)
		return list_page(r, &q, http_form_error(&r->form), 400);
	q = list_form(r);
	return list_page(r, &q, NULL, 200);
}

int
page_api_admin_fraud(struct req *r)
{
	struct listq q;
	long counts[3];
	int n, i, more = 0;

	if (r->form.nerr > 0)
		return http_error(r, 400, http_form_error(&r->form));
	q = list_form(r);
	if ((n = query(r, &q, &more, counts)) < 0)
		return http_error(r, page_db_status(n), "Try again shortly.");
	json_begin(r);
	json_obj_begin(r, "counts");
	json_i64(r, "open", counts[0]);
	json_i64(r, "confirmed", counts[1]);
	json_i64(r, "cleared", counts[2]);
	json_obj_end(r);
	json_i64(r, "page", q.page);
	json_bool(r, "more", more);
	json_arr_begin(r, "flags");
	for (i = 0; i < n; i++)
		row_json(r, NULL, i);
	json_arr_end(r);
	json_end(r);
	return http_json(r, 200);
}

/* s as a JSON string literal, quotes included. */
static char *
jstr(struct arena *a, const char *s)
{
	struct buf b;
	char *out;

	buf_init(&b);
	buf_putc(&b, '"');
	buf_put_json(&b, s, strlen(s));
	buf_putc(&b, '"');
	out = arena_strdup(a, b.p);
	buf_free(&b);
	return out;
}

/*
 * Confirms or clears flag id as the validated form says, with its audit
 * row, in one transaction.  Returns 0, 404 (no such flag), 409 (already
 * decided: *msg), or a DB_* code.
 */
static int
decide(struct req *r, int64_t id, const char **msg)
{
	const struct http_form *f = &r->form;
	const char *p[4], *before, *note = f->str[F_FRD_NOTE], *after;
	int n, confirm = f->i64[F_FRD_ACTION] == 0;

	after = confirm ? "confirmed" : "cleared";
	if (db_begin(r->db) == -1)
		return DB_RETRY;
	p[0] = db_i64s(r->a, id);
	if ((n = db_exec(r->db, STMT_FRAUD_FLAG_LOCK, 1, p)) <= 0) {
		db_rollback(r->db);
		return n == 0 ? 404 : n;
	}
	before = arena_strdup(r->a, db_str(r->db, 0, 0));
	if (strcmp(before, "open") != 0) {
		db_rollback(r->db);
		*msg = arena_printf(r->a, "This flag was already %s; a "
		    "decision is taken once.", before);
		return 409;
	}
	p[1] = after;
	p[2] = db_i64s(r->a, r->user.id);
	p[3] = note;
	if ((n = db_exec(r->db, STMT_FRAUD_FLAG_DECIDE, 4, p)) != 1)
		goto fail;
	p[0] = db_i64s(r->a, r->user.id);
	p[1] = confirm ? "fraud.confirm" : "fraud.clear";
	p[2] = arena_printf(r->a, "fraud_flag:%lld", (long long)id);
	p[3] = arena_printf(r->a, "{\"before\":{\"status\":\"open\","
	    "\"note\":\"\"},\"after\":{\"status\":\"%s\",\"note\":%s}}",
	    after, jstr(r->a, note));
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
page_admin_fraud_decide(struct req *r)
{
	struct listq q = { "", 1 };
	const char *msg = NULL;
	int n;

	if (r->form.nerr > 0)
		return list_page(r, &q, http_form_error(&r->form), 400);
	n = decide(r, r->pathid[0], &msg);
	if (n == 404)
		return 404;
	if (n == 409)
		return list_page(r, &q, msg, 409);
	if (n != 0)
		return page_db_status(n);
	return http_redirect(r, arena_printf(r->a,
	    "/admin/fraud?decided=%lld#flag-%lld", (long long)r->pathid[0],
	    (long long)r->pathid[0]));
}

int
page_api_admin_fraud_decide(struct req *r)
{
	const char *msg = NULL, *p[1];
	int n;

	if (r->form.nerr > 0)
		return http_error(r, 400, http_form_error(&r->form));
	n = decide(r, r->pathid[0], &msg);
	if (n == 404)
		return http_error(r, 404, "No such flag.");
	if (n == 409)
		return http_error(r, 409, msg);
	if (n != 0)
		return http_error(r, page_db_status(n), "Try again shortly.");
	p[0] = db_i64s(r->a, r->pathid[0]);
	if ((n = db_exec(r->db, STMT_FRAUD_FLAG_GET, 1, p)) != 1)
		return http_error(r, n < 0 ? page_db_status(n) : 500,
		    "Try again shortly.");
	json_begin(r);
	json_i64(r, "id", r->pathid[0]);
	row_json(r, "flag", 0);
	json_end(r);
	return http_json(r, 200);
}
