/*
 * admin_content: the content review queue in the admin panel (issue 9,
 * adminx): generated items waiting for review across every course,
 * oldest first, with the course, the kind, which quality checks passed
 * and which failed (with the reason), and a link to the project page
 * where the item is reviewed; JSON twin GET /api/v1/admin/content.
 *
 * The design decision: the queue only reads.  Approving, editing and
 * rejecting stay on /teach/projects/{id} (genproj.c), which admins may use
 * for any course, so a generated item has one review path and one set of
 * audit rows however the reviewer got there.
 */
#include <string.h>

#include <jansson.h>

#include "base/arena.h"
#include "base/buf.h"
#include "db/db.h"
#include "http/view.h"
#include "pages/pages.h"

#define PAGE_SIZE	50

const struct http_field page_admin_content_fields[F_ACQ__MAX] = {
	[F_ACQ_Q] = { "q", HTTP_FT_STRING, 0, 200, 0, 0, NULL, 0, "Search" },
	[F_ACQ_PAGE] = { "page", HTTP_FT_INT, 0, 0, 1, 100000, NULL, 0,
	    "Page" },
};

/* Columns of admin_content_queue. */
enum { C_ID, C_KIND, C_PROJECT, C_CID, C_COURSE, C_AUTHOR, C_PASSED,
    C_CHECKS, C_SUMMARY, C_CREATED, C_DAYS };

static const char *
kind_label(const char *k)
{
	static const char *const labels[][2] = {
		{ "single", "Single choice" },
		{ "truefalse", "True or false" },
		{ "cloze", "Fill in the blank" },
		{ "objective", "Learning objective" },
		{ "lesson", "Lesson draft" },
		{ "microlesson", "Micro-lesson" },
	};
	size_t i;

	for (i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if (strcmp(k, labels[i][0]) == 0)
			return labels[i][1];
	return k;
}

/* The checks JSON ({"name": "ok" | reason}) split into the names that
 * passed ("grounded, length") and those that failed with their reasons
 * ("safety (mentions ...)"), as plain text. */
static void
checks_text(struct arena *a, const char *checks, const char **passed,
    const char **failed)
{
	json_t *o = json_loads(checks, 0, NULL), *v;
	const char *k, *s;
	struct buf ok, bad;

	buf_init(&ok);
	buf_init(&bad);
	if (o != NULL && json_is_object(o))
		json_object_foreach(o, k, v) {
			if ((s = json_string_value(v)) == NULL)
				continue;
			if (strcmp(s, "ok") == 0)
				buf_printf(&ok, "%s%s", ok.len ? ", " : "", k);
			else
				buf_printf(&bad, "%s%s (%s)", bad.len ? "; " :
				    "", k, s);
		}
	json_decref(o);
	*passed = arena_strdup(a, ok.p != NULL ? ok.p : "");
	*failed = arena_strdup(a, bad.p != NULL ? bad.p : "");
	buf_free(&ok);
	buf_free(&bad);
}

struct listq {
	const char	*q;
	long		 page;
};

/* Counts (pending, passing, failing) into counts[3], then page q; the rows
 * to show (at most PAGE_SIZE) or a DB_* code. */
static int
query(struct req *r, const struct listq *q, int *more, long counts[3])
{
	const char *p[3];
	int n, i;

	if ((n = db_exec(r->db, STMT_ADMIN_CONTENT_COUNTS, 0, NULL)) != 1)
		return n < 0 ? n : DB_HARD;
	for (i = 0; i < 3; i++)
		counts[i] = (long)db_i64(r->db, 0, i);
	p[0] = q->q;
	p[1] = db_i64s(r->a, PAGE_SIZE + 1);
	p[2] = db_i64s(r->a, (int64_t)(q->page - 1) * PAGE_SIZE);
	n = db_exec(r->db, STMT_ADMIN_CONTENT_QUEUE, 3, p);
	*more = n > PAGE_SIZE;
	return n > PAGE_SIZE ? PAGE_SIZE : n;
}

static struct listq
list_form(const struct req *r)
{
	struct listq q;

	q.q = r->form.str[F_ACQ_Q];
	q.page = r->form.present[F_ACQ_PAGE] ? (long)r->form.i64[F_ACQ_PAGE] :
	    1;
	return q;
}

int
page_admin_content(struct req *r)
{
	struct view *v = view_new(r->a), *row = view_new(r->a);
	struct listq q = { "", 1 };
	struct db *db = r->db;
	const char *passed, *failed, *kv[2];
	long counts[3];
	struct buf rows;
	int n, i, more = 0;

	if (r->form.nerr == 0)
		q = list_form(r);
	if ((n = query(r, &q, &more, counts)) < 0)
		return page_db_status(n);
	buf_init(&rows);
	for (i = 0; i < n; i++) {
		view_clear(row);
		view_set_int(row, "id", (long)db_i64(db, i, C_ID));
		view_set(row, "kind", db_str(db, i, C_KIND));
		view_set(row, "kind_label", kind_label(db_str(db, i, C_KIND)));
		view_set_int(row, "project", (long)db_i64(db, i, C_PROJECT));
		view_set_int(row, "course_id", (long)db_i64(db, i, C_CID));
		view_set(row, "course", db_str(db, i, C_COURSE));
		view_set(row, "author", db_str(db, i, C_AUTHOR));
		view_set_bool(row, "passed", db_bool(db, i, C_PASSED));
		checks_text(r->a, db_str(db, i, C_CHECKS), &passed, &failed);
		view_set(row, "checks_ok", passed);
		view_set(row, "checks_failed", failed);
		view_set(row, "summary", db_str(db, i, C_SUMMARY));
		view_set(row, "created", db_str(db, i, C_CREATED));
		view_set_int(row, "days", (long)db_i64(db, i, C_DAYS));
		if (tmpl_render_row(TMPL_ROW_ADMIN_CONTENT, row, &rows) == -1) {
			buf_free(&rows);
			return 500;
		}
	}
	view_set(v, "q", q.q);
	view_set_int(v, "pending", counts[0]);
	view_set_int(v, "passing", counts[1]);
	view_set_int(v, "failing", counts[2]);
	view_set_int(v, "count", n);
	view_set_int(v, "page", q.page);
	view_set_raw(v, "rows", rows.p ? rows.p : "");
	buf_free(&rows);
	if (r->form.nerr > 0)
		view_set(v, "error", http_form_error(&r->form));
	kv[0] = "q";
	kv[1] = q.q;
	if (q.page > 1)
		view_set(v, "prev_url", page_list_url(r->a, "/admin/content",
		    q.page - 1, kv, 2));
	if (more)
		view_set(v, "next_url", page_list_url(r->a, "/admin/content",
		    q.page + 1, kv, 2));
	r->status = r->form.nerr > 0 ? 400 : 200;
	return http_page_nav(r, TMPL_ADMIN_CONTENT, v, "Content review queue",
	    TMPL_NAV_ADMIN);
}

int
page_api_admin_content(struct req *r)
{
	struct listq q;
	struct db *db = r->db;
	long counts[3];
	int n, i, more = 0;

	if (r->form.nerr > 0)
		return http_error(r, 400, http_form_error(&r->form));
	q = list_form(r);
	if ((n = query(r, &q, &more, counts)) < 0)
		return http_error(r, page_db_status(n), "Try again shortly.");
	json_begin(r);
	json_obj_begin(r, "counts");
	json_i64(r, "pending", counts[0]);
	json_i64(r, "passing", counts[1]);
	json_i64(r, "failing", counts[2]);
	json_obj_end(r);
	json_i64(r, "page", q.page);
	json_bool(r, "more", more);
	json_arr_begin(r, "items");
	for (i = 0; i < n; i++) {
		json_obj_begin(r, NULL);
		json_i64(r, "id", db_i64(db, i, C_ID));
		json_str(r, "kind", db_str(db, i, C_KIND));
		json_i64(r, "project_id", db_i64(db, i, C_PROJECT));
		json_i64(r, "course_id", db_i64(db, i, C_CID));
		json_str(r, "course", db_str(db, i, C_COURSE));
		json_str(r, "author", db_str(db, i, C_AUTHOR));
		json_bool(r, "passed", db_bool(db, i, C_PASSED));
		json_raw(r, "checks", db_str(db, i, C_CHECKS));
		json_str(r, "summary", db_str(db, i, C_SUMMARY));
		json_str(r, "created_at", db_str(db, i, C_CREATED));
		json_str(r, "review_url", arena_printf(r->a,
		    "/teach/projects/%lld#item-%lld",
		    (long long)db_i64(db, i, C_PROJECT),
		    (long long)db_i64(db, i, C_ID)));
		json_obj_end(r);
	}
	json_arr_end(r);
	json_end(r);
	return http_json(r, 200);
}
