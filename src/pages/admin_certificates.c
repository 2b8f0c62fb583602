/*
 * admin_certificates: every issued certificate in the admin panel (issue
 * 9, adminx): learner, course, date, valid or revoked (with the reason),
 * searchable by learner, course or certificate number, paginated, with the
 * JSON twin GET /api/v1/admin/certificates.
 *
 * The design decision: revoking is not reimplemented here.  Each valid
 * certificate's form posts to the existing POST /certificates/{id}/revoke
 * (certificates.c) with back=admin, which only changes where the browser
 * is sent afterwards: one revocation path, one audit row.
 */
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "db/db.h"
#include "http/view.h"
#include "pages/pages.h"

#define PAGE_SIZE	50

const char *const page_admin_cert_statuses[] = { "all", "valid", "revoked",
    NULL };

const struct http_field page_admin_certs_fields[F_ACL__MAX] = {
	[F_ACL_Q] = { "q", HTTP_FT_STRING, 0, 200, 0, 0, NULL, 0, "Search" },
	[F_ACL_STATUS] = { "status", HTTP_FT_ENUM, 0, 0, 0, 0,
	    page_admin_cert_statuses, 0, "Show" },
	[F_ACL_PAGE] = { "page", HTTP_FT_INT, 0, 0, 1, 100000, NULL, 0,
	    "Page" },
};

/* Columns of admin_certificate_list. */
enum { C_ID, C_UID, C_LEARNER, C_EMAIL, C_CID, C_COURSE, C_ISSUED,
    C_REVOKED, C_REVOKED_ON, C_REASON, C_REVOKED_BY };

struct listq {
	const char	*q, *status;	/* status "all", "valid", "revoked" */
	long		 page;
};

static struct listq
list_form(const struct req *r)
{
	const struct http_form *f = &r->form;
	struct listq q;

	q.q = f->str[F_ACL_Q];
	q.status = f->i64[F_ACL_STATUS] > 0 ?
	    page_admin_cert_statuses[f->i64[F_ACL_STATUS]] : "all";
	q.page = f->present[F_ACL_PAGE] ? (long)f->i64[F_ACL_PAGE] : 1;
	return q;
}

/* Counts (valid, revoked) into counts[2], then page q; the rows to show
 * (at most PAGE_SIZE) or a DB_* code. */
static int
query(struct req *r, const struct listq *q, int *more, long counts[2])
{
	const char *p[4];
	int n;

	if ((n = db_exec(r->db, STMT_ADMIN_CERTIFICATE_COUNTS, 0, NULL)) != 1)
		return n < 0 ? n : DB_HARD;
	counts[0] = (long)db_i64(r->db, 0, 0);
	counts[1] = (long)db_i64(r->db, 0, 1);
	p[0] = q->q;
	p[1] = strcmp(q->status, "all") == 0 ? "" : q->status;
	p[2] = db_i64s(r->a, PAGE_SIZE + 1);
	p[3] = db_i64s(r->a, (int64_t)(q->page - 1) * PAGE_SIZE);
	n = db_exec(r->db, STMT_ADMIN_CERTIFICATE_LIST, 4, p);
	*more = n > PAGE_SIZE;
	return n > PAGE_SIZE ? PAGE_SIZE : n;
}

static const char *
list_url(struct req *r, const struct listq *q, long page)
{
	const char *kv[] = { "q", q->q, "status", q->status };

	return page_list_url(r->a, "/admin/certificates", page, kv, 4);
}

int
page_admin_certificates(struct req *r)
{
	struct view *v = view_new(r->a), *row = view_new(r->a);
	struct listq q = { "", "all", 1 };
	struct db *db = r->db;
	long counts[2];
	struct buf rows;
	int n, i, more = 0;

	if (r->form.nerr == 0)
		q = list_form(r);
	if ((n = query(r, &q, &more, counts)) < 0)
		return page_db_status(n);
	buf_init(&rows);
	for (i = 0; i < n; i++) {
		view_clear(row);
		view_set(row, "id", db_str(db, i, C_ID));
		view_set_int(row, "user", (long)db_i64(db, i, C_UID));
		view_set(row, "learner", db_str(db, i, C_LEARNER));
		view_set(row, "email", db_str(db, i, C_EMAIL));
		view_set_int(row, "course_id", (long)db_i64(db, i, C_CID));
		view_set(row, "course", db_str(db, i, C_COURSE));
		view_set(row, "issued", db_str(db, i, C_ISSUED));
		view_set_bool(row, "revoked", db_bool(db, i, C_REVOKED));
		view_set(row, "revoked_on", db_str(db, i, C_REVOKED_ON));
		view_set(row, "reason", db_str(db, i, C_REASON));
		view_set(row, "revoked_by", db_str(db, i, C_REVOKED_BY));
		view_set(row, "csrf", r->csrf);
		if (tmpl_render_row(TMPL_ROW_ADMIN_CERTIFICATE, row,
		    &rows) == -1) {
			buf_free(&rows);
			return 500;
		}
	}
	view_set(v, "q", q.q);
	view_set(v, "status", q.status);
	view_set_int(v, "valid", counts[0]);
	view_set_int(v, "revoked", counts[1]);
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
	if (http_param(r, "revoked") != NULL && r->form.nerr == 0)
		r->flash = "The certificate has been revoked; its verification "
		    "page says so.";
	r->status = r->form.nerr > 0 ? 400 : 200;
	return http_page_nav(r, TMPL_ADMIN_CERTIFICATES, v, "Certificates",
	    TMPL_NAV_ADMIN);
}

int
page_api_admin_certificates(struct req *r)
{
	struct listq q;
	struct db *db = r->db;
	long counts[2];
	const char *s;
	int n, i, more = 0;

	if (r->form.nerr > 0)
		return http_error(r, 400, http_form_error(&r->form));
	q = list_form(r);
	if ((n = query(r, &q, &more, counts)) < 0)
		return http_error(r, page_db_status(n), "Try again shortly.");
	json_begin(r);
	json_obj_begin(r, "counts");
	json_i64(r, "valid", counts[0]);
	json_i64(r, "revoked", counts[1]);
	json_obj_end(r);
	json_i64(r, "page", q.page);
	json_bool(r, "more", more);
	json_arr_begin(r, "certificates");
	for (i = 0; i < n; i++) {
		json_obj_begin(r, NULL);
		json_i64(r, "id", db_i64(db, i, C_ID));
		json_i64(r, "user_id", db_i64(db, i, C_UID));
		json_str(r, "learner", db_str(db, i, C_LEARNER));
		s = db_str(db, i, C_EMAIL);
		if (*s)
			json_str(r, "email", s);
		else
			json_raw(r, "email", "null");
		json_i64(r, "course_id", db_i64(db, i, C_CID));
		json_str(r, "course", db_str(db, i, C_COURSE));
		json_str(r, "issued", db_str(db, i, C_ISSUED));
		json_str(r, "status", db_bool(db, i, C_REVOKED) ? "revoked" :
		    "valid");
		if (db_bool(db, i, C_REVOKED)) {
			json_str(r, "revoked_on", db_str(db, i, C_REVOKED_ON));
			json_str(r, "reason", db_str(db, i, C_REASON));
		}
		json_str(r, "verify_url", arena_printf(r->a,
		    "/certificates/verify/%s", db_str(db, i, C_ID)));
		json_obj_end(r);
	}
	json_arr_end(r);
	json_end(r);
	return http_json(r, 200);
}
