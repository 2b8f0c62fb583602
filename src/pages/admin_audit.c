/*
 * admin_audit: the audit log viewer (issue 9, admin panel), filtered by
 * actor, action and date, paginated.  The design decision: the log is
 * read-only by construction; no route edits or deletes it, and this file
 * only reads (rows are written by the code that makes each change, in the
 * same transaction).
 */
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "db/db.h"
#include "http/view.h"
#include "pages/pages.h"

#define PAGE_SIZE	50

/* 1 when s is "" or a real calendar date YYYY-MM-DD. */
static int
date_ok(const char *s)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int i, y, m, d;

	if (*s == '\0')
		return 1;
	for (i = 0; i < 10; i++)
		if ((i == 4 || i == 7) ? s[i] != '-' :
		    (s[i] < '0' || s[i] > '9'))
			return 0;
	if (s[10] != '\0')
		return 0;
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	if (y < 1970 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return 0;
	return !(m == 2 && d == 29 && (y % 4 != 0 ||
	    (y % 100 == 0 && y % 400 != 0)));
}

/*
 * Runs the filtered query for the page in r->form.  Returns the number of
 * rows to show (at most PAGE_SIZE), a DB_* code, or -400 with *msg set.
 */
static int
query(struct req *r, long *page, int *more, const char **msg)
{
	const struct http_form *f = &r->form;
	const char *p[6];
	int n;

	if (f->nerr > 0) {
		*msg = http_form_error(f);
		return -400;
	}
	if (!date_ok(f->str[F_AA_FROM]) || !date_ok(f->str[F_AA_TO])) {
		*msg = "Dates must be real dates written YYYY-MM-DD.";
		return -400;
	}
	*page = f->present[F_AA_PAGE] ? (long)f->i64[F_AA_PAGE] : 1;
	p[0] = f->str[F_AA_ACTOR];
	p[1] = f->str[F_AA_ACTION];
	p[2] = f->str[F_AA_FROM];
	p[3] = f->str[F_AA_TO];
	p[4] = db_i64s(r->a, PAGE_SIZE + 1);
	p[5] = db_i64s(r->a, (int64_t)(*page - 1) * PAGE_SIZE);
	n = db_exec(r->db, STMT_ADMIN_AUDIT_LIST, 6, p);
	*more = n > PAGE_SIZE;
	return n > PAGE_SIZE ? PAGE_SIZE : n;
}

/* This filter's URL for another page, every value percent-encoded. */
static const char *
page_url(struct req *r, long page)
{
	static const char hex[] = "0123456789ABCDEF";
	static const int keys[] = { F_AA_ACTOR, F_AA_ACTION, F_AA_FROM,
	    F_AA_TO };
	static const char *const names[] = { "actor", "action", "from", "to" };
	const unsigned char *s;
	struct buf b;
	const char *out;
	size_t i;

	buf_init(&b);
	buf_printf(&b, "/admin/audit?page=%ld", page);
	for (i = 0; i < 4; i++) {
		buf_printf(&b, "&%s=", names[i]);
		for (s = (const unsigned char *)r->form.str[keys[i]]; *s; s++)
			if ((*s >= 'a' && *s <= 'z') ||
			    (*s >= 'A' && *s <= 'Z') ||
			    (*s >= '0' && *s <= '9') || strchr("-._~", *s))
				buf_printf(&b, "%c", *s);
			else
				buf_printf(&b, "%%%c%c", hex[*s >> 4],
				    hex[*s & 15]);
	}
	out = arena_strdup(r->a, b.p);
	buf_free(&b);
	return out;
}

int
page_admin_audit(struct req *r)
{
	struct view *v = view_new(r->a), *row = view_new(r->a);
	const char *msg = NULL, *actor;
	struct buf rows;
	long page = 1;
	int n, i, more = 0;

	if ((n = query(r, &page, &more, &msg)) < 0 && n != -400)
		return page_db_status(n);
	buf_init(&rows);
	for (i = 0; i < n; i++) {
		view_clear(row);
		view_set_int(row, "id", (long)db_i64(r->db, i, 0));
		view_set(row, "at", db_str(r->db, i, 1));
		actor = db_str(r->db, i, 2);
		view_set(row, "actor", *actor ? actor : "(command line "
		    "or deleted user)");
		view_set(row, "action", db_str(r->db, i, 3));
		view_set(row, "object", db_str(r->db, i, 4));
		view_set(row, "detail", db_str(r->db, i, 5));
		if (tmpl_render_row(TMPL_ADMIN_AUDIT_ROW, row, &rows) == -1) {
			buf_free(&rows);
			return 500;
		}
	}
	view_set(v, "actor", r->form.str[F_AA_ACTOR]);
	view_set(v, "action", r->form.str[F_AA_ACTION]);
	view_set(v, "from", r->form.str[F_AA_FROM]);
	view_set(v, "to", r->form.str[F_AA_TO]);
	view_set_int(v, "count", n < 0 ? 0 : n);
	view_set_int(v, "page", page);
	view_set_raw(v, "rows", rows.p ? rows.p : "");
	buf_free(&rows);
	if (msg != NULL)
		view_set(v, "error", msg);
	if (page > 1 && n >= 0)
		view_set(v, "prev_url", page_url(r, page - 1));
	if (more)
		view_set(v, "next_url", page_url(r, page + 1));
	r->status = msg != NULL ? 400 : 200;
	return http_page_nav(r, TMPL_ADMIN_AUDIT, v, "Audit log",
	    TMPL_NAV_ADMIN);
}

int
page_api_admin_audit(struct req *r)
{
	const char *msg = NULL, *actor;
	long page = 1;
	int n, i, more = 0;

	if ((n = query(r, &page, &more, &msg)) == -400)
		return http_error(r, 400, msg);
	if (n < 0)
		return http_error(r, page_db_status(n), "Try again shortly.");
	json_begin(r);
	json_i64(r, "page", page);
	json_bool(r, "more", more);
	json_arr_begin(r, "entries");
	for (i = 0; i < n; i++) {
		json_obj_begin(r, NULL);
		json_i64(r, "id", db_i64(r->db, i, 0));
		json_str(r, "at", db_str(r->db, i, 1));
		actor = db_str(r->db, i, 2);
		if (*actor)
			json_str(r, "actor", actor);
		else
			json_raw(r, "actor", "null");
		json_str(r, "action", db_str(r->db, i, 3));
		json_str(r, "object", db_str(r->db, i, 4));
		json_raw(r, "detail", db_str(r->db, i, 5));
		json_obj_end(r);
	}
	json_arr_end(r);
	json_end(r);
	return http_json(r, 200);
}
