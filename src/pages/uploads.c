/*
 * uploads: serves an uploaded file after the access check, by handing
 * nginx an internal redirect (X-Accel-Redirect) so the worker never copies
 * the bytes and nginx handles ranges (video) and caching headers.  With
 * the S3 backend the redirect carries a presigned GET that nginx proxies
 * to the store (storage_accel()).
 */
#include "base/arena.h"
#include "base/log.h"
#include "db/db.h"
#include "out/storage.h"
#include "pages/pages.h"

int
page_upload_get(struct req *r)
{
	const char *p[3], *target;
	int n;

	p[0] = db_i64s(r->a, r->pathid[0]);
	p[1] = db_i64s(r->a, r->user.id);
	p[2] = r->user.role_name ? r->user.role_name : "";
	if ((n = db_exec(r->db, STMT_MEDIA_UPLOAD_ACCESS, 3, p)) < 0)
		return page_db_status(n);
	if (n == 0)
		return http_error(r, 404, "There is no such file, or it is "
		    "not yours to see.");
	if ((target = storage_accel(r->a, db_str(r->db, 0, 0))) == NULL) {
		log_msg("%s: upload %lld: cannot serve key %s", r->id,
		    (long long)r->pathid[0], db_str(r->db, 0, 0));
		return http_error(r, 500, "The file cannot be served.");
	}
	http_header(r, "X-Accel-Redirect", target);
	r->ctype_out = arena_strdup(r->a, db_str(r->db, 0, 1));
	buf_reset(r->body);
	return 200;
}
