/*
 * notifications: the list at /notifications (and /api/v1/notifications),
 * marking read, and notify() for other features.
 *
 * A notification is one row with its text already written; pages render
 * it escaped, so a feature never puts markup in it.  Marking read names
 * the user in the UPDATE, so another user's id is simply "not found".
 */
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/log.h"
#include "db/db.h"
#include "http/auth.h"
#include "http/view.h"
#include "out/mail.h"
#include "pages/notifications.h"
#include "pages/pages.h"

#define LIST_MAX	100

static int64_t
insert(struct db *db, int64_t user_id, const char *kind, const char *text,
    const char *url, int mail)
{
	struct arena a;
	struct mail_conf mc;
	struct mail_var v[2];
	const char *p[4];
	int64_t id;
	int n;

	arena_init(&a, 4096);
	p[0] = db_i64s(&a, user_id);
	p[1] = kind;
	p[2] = text;
	p[3] = url != NULL ? url : "";
	if ((n = db_exec(db, STMT_NOTIFICATION_INSERT, 4, p)) != 1) {
		arena_free(&a);
		return n < 0 ? n : DB_HARD;
	}
	id = db_i64(db, 0, 0);
	if (mail) {
		mail_conf_init(&mc);
		v[0].name = "text";
		v[0].value = text;
		v[1].name = "url";
		v[1].value = arena_printf(&a, "%s%s", mc.base_url,
		    url != NULL && *url == '/' ? url : "/notifications");
		n = mail_queue(db, &a, user_id, "notification",
		    "A new notification from Adept", v, 2);
		if (n < 0 && n != -1) {
			arena_free(&a);
			return n;
		}
	}
	arena_free(&a);
	return id;
}

int64_t
notify(struct db *db, int64_t user_id, const char *kind, const char *text,
    const char *url)
{
	return insert(db, user_id, kind, text, url, 1);
}

int64_t
notify_quiet(struct db *db, int64_t user_id, const char *kind,
    const char *text, const char *url)
{
	return insert(db, user_id, kind, text, url, 0);
}

long
page_unread_count(struct req *r)
{
	const char *p[1];
	long n;

	if ((n = auth_unread(r)) >= 0)
		return n;
	p[0] = db_i64s(r->a, r->user.id);
	if (db_exec(r->db, STMT_NOTIFICATION_UNREAD_COUNT, 1, p) != 1)
		return 0;
	return (long)db_i64(r->db, 0, 0);
}

/* Loads the list into r->db; unread count in *unread (the one the page
 * header shows: from the session cache when it has it).  Rows or a
 * db_err. */
static int
load(struct req *r, long *unread)
{
	const char *p[2];

	*unread = page_unread_count(r);
	p[0] = db_i64s(r->a, r->user.id);
	p[1] = "100";
	return db_exec(r->db, STMT_NOTIFICATION_LIST, 2, p);
}

int
page_notifications(struct req *r)
{
	struct view *v, *row;
	struct buf acc;
	long unread;
	int n, i;

	if ((n = load(r, &unread)) < 0)
		return page_db_status(n);
	buf_init(&acc);
	row = view_new(r->a);
	for (i = 0; i < n; i++) {
		const char *url = db_str(r->db, i, 3);

		view_clear(row);
		view_set_int(row, "id", (long)db_i64(r->db, i, 0));
		view_set(row, "body", db_str(r->db, i, 2));
		if (url[0] == '/')
			view_set(row, "url", url);
		view_set(row, "created", db_str(r->db, i, 4));
		view_set_bool(row, "read", db_bool(r->db, i, 5));
		view_set(row, "csrf", r->csrf);
		if (tmpl_render_row(TMPL_ROW_NOTIFICATION, row, &acc) != 0) {
			buf_free(&acc);
			return 500;
		}
	}
	v = view_new(r->a);
	view_set(v, "csrf", r->csrf);
	view_set_int(v, "total", n);
	view_set_int(v, "unread", unread);
	if (acc.len > 0)
		view_set_raw(v, "rows", acc.p);
	buf_free(&acc);
	return http_page(r, TMPL_NOTIFICATIONS, v, "Notifications");
}

int
page_api_notifications(struct req *r)
{
	long unread;
	int n, i;

	if ((n = load(r, &unread)) < 0)
		return http_error(r, page_db_status(n), "Try again shortly.");
	json_begin(r);
	json_i64(r, "unread", unread);
	json_raw(r, "items", "[");
	for (i = 0; i < n; i++) {
		buf_putc(r->body, '{');
		json_i64(r, "id", db_i64(r->db, i, 0));
		json_str(r, "kind", db_str(r->db, i, 1));
		json_str(r, "text", db_str(r->db, i, 2));
		json_str(r, "url", db_str(r->db, i, 3));
		json_str(r, "created", db_str(r->db, i, 4));
		json_bool(r, "read", db_bool(r->db, i, 5));
		buf_putc(r->body, '}');
		if (i + 1 < n)
			buf_putc(r->body, ',');
	}
	buf_putc(r->body, ']');
	json_end(r);
	return http_json(r, 200);
}

/* Marks pathid[0] read.  1 done (or already read), 0 not the user's,
 * or a db_err. */
static int
mark_one(struct req *r)
{
	const char *p[2];
	int n;

	p[0] = db_i64s(r->a, r->pathid[0]);
	p[1] = db_i64s(r->a, r->user.id);
	if ((n = db_exec(r->db, STMT_NOTIFICATION_EXISTS, 2, p)) <= 0)
		return n;
	if ((n = db_exec(r->db, STMT_NOTIFICATION_READ, 2, p)) < 0)
		return n;
	return 1;
}

int
page_notification_read(struct req *r)
{
	int n;

	if ((n = mark_one(r)) < 0)
		return page_db_status(n);
	if (n == 0)
		return http_error(r, 404, "There is no such notification.");
	if (r->is_api) {
		json_begin(r);
		json_bool(r, "read", 1);
		json_end(r);
		return http_json(r, 200);
	}
	return http_redirect(r, "/notifications");
}

int
page_notifications_read_all(struct req *r)
{
	const char *p[1];
	int n;

	p[0] = db_i64s(r->a, r->user.id);
	if ((n = db_exec(r->db, STMT_NOTIFICATION_READ_ALL, 1, p)) < 0)
		return page_db_status(n);
	return http_redirect(r, "/notifications");
}
