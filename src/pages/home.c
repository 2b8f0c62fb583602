/*
 * home: the landing page and the health check.
 */
#include "db/db.h"
#include "http/view.h"
#include "pages/pages.h"

int
page_landing(struct req *r)
{
	struct view *v = view_new(r->a);

	view_set_bool(v, "signed_in", r->user.id != 0);
	return http_page(r, TMPL_LANDING, v, "Adaptive learning that "
	    "explains itself");
}

/* 200 {"status":"ok","database":"ok"} or 503 when PostgreSQL does not
 * answer.  Under /healthz (not /api/) but JSON: it is for machines. */
int
page_healthz(struct req *r)
{
	int n = db_exec(r->db, STMT_HEALTH_PING, 0, NULL);

	r->is_api = 1;
	json_begin(r);
	json_str(r, "status", n == 1 ? "ok" : "degraded");
	json_str(r, "database", n == 1 ? "ok" : "unavailable");
	json_end(r);
	return http_json(r, n == 1 ? 200 : 503);
}
