/*
 * uploads: serves an uploaded file after the access check, by handing
 * nginx an internal redirect (X-Accel-Redirect) so the worker never copies
 * the bytes and nginx handles ranges (video) and caching headers.
 */
#include "base/arena.h"
#include "db/db.h"
#include "pages/pages.h"

int
page_upload_get(struct req *r)
{
	const char *p[3];
	int n;

	p[0] = db_i64s(r->a, r->pathid[0]);
	p[1] = db_i64s(r->a, r->user.id);
	p[2] = r->user.role_name ? r->user.role_name : "";
	if ((n = db_exec(r->db, STMT_MEDIA_UPLOAD_ACCESS, 3, p)) < 0)
		return page_db_status(n);
	if (n == 0)
		return http_error(r, 404, "There is no such file, or it is "
		    "not yours to see.");
	http_header(r, "X-Accel-Redirect", arena_printf(r->a,
	    "/protected-files/%s", db_str(r->db, 0, 0)));
	r->ctype_out = arena_strdup(r->a, db_str(r->db, 0, 1));
	buf_reset(r->body);
	return 200;
}
