/*
 * review: the admin's queue of courses submitted for review
 * (/admin/reviews), approving (published, published_at set) or rejecting
 * with a note the instructor sees on /teach; and the JSON twins
 * (GET /api/v1/admin/reviews, POST /api/v1/courses/{id}/approve|reject).
 *
 * Design decision: a decision locks the course row and acts only on a
 * course still in review, so two admins deciding at once cannot both
 * win, and an instructor's edit never races a status change.  Every
 * decision is in the audit log.
 */
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "db/db.h"
#include "http/view.h"
#include "pages/pages.h"
#include "pages/teach.h"

#define QUEUE_MAX	"200"

/*
 * Approves (note NULL) or rejects course id.  Returns 0, 404 (no such
 * course), 409 (not in review) or 5xx.
 */
static int
decide(struct req *r, int64_t id, const char *note)
{
	const char *p[3];
	struct buf d;
	int n;

	if ((n = db_begin(r->db)) < 0)
		return page_db_status(n);
	p[0] = db_i64s(r->a, id);
	p[1] = db_i64s(r->a, r->user.id);
	p[2] = "true";
	if ((n = db_exec(r->db, STMT_TEACH_COURSE_LOCK, 3, p)) <= 0) {
		db_rollback(r->db);
		return n == 0 ? 404 : page_db_status(n);
	}
	if (strcmp(db_str(r->db, 0, 3), "review") != 0) {
		db_rollback(r->db);
		return 409;
	}
	p[2] = note;
	n = db_exec(r->db, note == NULL ? STMT_REVIEW_APPROVE :
	    STMT_REVIEW_REJECT, note == NULL ? 2 : 3, p);
	if (n < 0) {
		db_rollback(r->db);
		return page_db_status(n);
	}
	buf_init(&d);
	if (note != NULL) {
		buf_puts(&d, "{\"note\":\"");
		buf_put_json(&d, note, strlen(note));
		buf_puts(&d, "\"}");
	}
	teach_audit(r, note == NULL ? "course.approve" : "course.reject", id,
	    d.p != NULL ? arena_strdup(r->a, d.p) : NULL);
	buf_free(&d);
	if ((n = db_commit(r->db)) < 0) {
		db_rollback(r->db);
		return page_db_status(n);
	}
	return 0;
}

static int
queue(struct req *r)
{
	const char *p[1] = { QUEUE_MAX };

	return db_exec(r->db, STMT_REVIEW_LIST, 1, p);
}

/* The queue; err_id/err: a rejection note error to show on that row. */
static int
review_page(struct req *r, int64_t err_id, const char *note,
    const char *err, int status)
{
	struct view *v = view_new(r->a), *row = view_new(r->a);
	struct buf rows;
	int n, i;

	if ((n = queue(r)) < 0)
		return page_db_status(n);
	buf_init(&rows);
	for (i = 0; i < n; i++) {
		int64_t id = db_i64(r->db, i, 0);

		view_clear(row);
		view_set(row, "csrf", r->csrf);
		view_set_int(row, "id", (long)id);
		view_set(row, "title", db_str(r->db, i, 1));
		view_set(row, "author", db_str(r->db, i, 2));
		view_set(row, "submitted", db_str(r->db, i, 3));
		view_set_int(row, "lessons", (long)db_i64(r->db, i, 4));
		view_set(row, "summary", db_str(r->db, i, 5));
		view_set(row, "note", id == err_id ? note : "");
		view_set(row, "note_error", id == err_id ? err : "");
		if (tmpl_render_row(TMPL_REVIEW_ROW, row, &rows) == -1) {
			buf_free(&rows);
			return 500;
		}
	}
	view_set_int(v, "count", n);
	view_set_raw(v, "rows", rows.p ? rows.p : "");
	buf_free(&rows);
	if (status == 200 && http_param(r, "approved") != NULL)
		r->flash = "The course is published.";
	else if (status == 200 && http_param(r, "rejected") != NULL)
		r->flash = "The course has been returned to its author with "
		    "your note.";
	r->status = status;
	return http_page_nav(r, TMPL_REVIEW, v, "Course reviews",
	    TMPL_NAV_ADMIN);
}

int
page_review_list(struct req *r)
{
	return review_page(r, 0, NULL, NULL, 200);
}

static int
html_outcome(struct req *r, int st, const char *done)
{
	if (st == 0)
		return http_redirect(r, done);
	if (st == 404)
		return http_error(r, 404, "There is no such course.");
	if (st == 409) {
		r->flash = "That course is no longer waiting for review.";
		return review_page(r, 0, NULL, NULL, 409);
	}
	return st;
}

int
page_review_approve(struct req *r)
{
	return html_outcome(r, decide(r, r->pathid[0], NULL),
	    "/admin/reviews?approved=1");
}

int
page_review_reject(struct req *r)
{
	if (r->form.nerr > 0)
		return review_page(r, r->pathid[0], r->form.str[F_RJ_NOTE],
		    r->form.err[F_RJ_NOTE], 400);
	return html_outcome(r, decide(r, r->pathid[0],
	    r->form.str[F_RJ_NOTE]), "/admin/reviews?rejected=1");
}

/* ---- JSON ------------------------------------------------------------- */

int
page_api_reviews(struct req *r)
{
	int n, i;

	if ((n = queue(r)) < 0)
		return http_error(r, page_db_status(n), "Try again shortly.");
	json_begin(r);
	json_arr_begin(r, "courses");
	for (i = 0; i < n; i++) {
		json_obj_begin(r, NULL);
		json_i64(r, "id", db_i64(r->db, i, 0));
		json_str(r, "title", db_str(r->db, i, 1));
		json_str(r, "author", db_str(r->db, i, 2));
		json_str(r, "submitted_at", db_str(r->db, i, 3));
		json_i64(r, "lessons", db_i64(r->db, i, 4));
		json_obj_end(r);
	}
	json_arr_end(r);
	json_end(r);
	return http_json(r, 200);
}

static int
api_outcome(struct req *r, int st)
{
	struct teach_course c;

	if (st == 404)
		return http_error(r, 404, "There is no such course.");
	if (st == 409)
		return http_error(r, 409, "The course is not waiting for "
		    "review.");
	if (st != 0 || (st = teach_course_load(r, r->pathid[0], &c)) != 0)
		return http_error(r, st, "Try again shortly.");
	json_begin(r);
	json_i64(r, "id", c.id);
	json_str(r, "status", c.status);
	json_str(r, "review_note", c.note);
	json_str(r, "published_at", c.published[0] ? c.published : NULL);
	json_end(r);
	return http_json(r, 200);
}

int
page_api_course_approve(struct req *r)
{
	return api_outcome(r, decide(r, r->pathid[0], NULL));
}

int
page_api_course_reject(struct req *r)
{
	if (r->form.nerr > 0)
		return http_error(r, 400, http_form_error(&r->form));
	return api_outcome(r, decide(r, r->pathid[0],
	    r->form.str[F_RJ_NOTE]));
}
