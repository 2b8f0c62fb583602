/*
 * flashcards: the cards an instructor writes for a lesson (front and
 * back), edited on the lesson's teach page (POST /teach/lessons/{id}/
 * flashcards, POST /teach/flashcards/{id}/delete) and through the JSON
 * twins.  A learner who completes the lesson gets them as review cards
 * (srs.c), scheduled by FSRS-6 on /review.
 *
 * Ownership is in the statements: another instructor's lesson or card is
 * simply not found (404), and nothing is written.
 */
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "db/db.h"
#include "pages/pages.h"

static const char *
role_arg(const struct req *r)
{
	return r->user.role_name != NULL ? r->user.role_name : "";
}

int
flashcards_html(struct req *r, int64_t lesson, struct buf *out)
{
	const char *p[1];
	int n, i;

	p[0] = db_i64s(r->a, lesson);
	if ((n = db_exec(r->db, STMT_FLASHCARDS_LIST, 1, p)) < 0)
		return page_db_status(n);
	for (i = 0; i < n; i++) {
		const char *f = db_str(r->db, i, 1), *b = db_str(r->db, i, 2);

		buf_puts(out, "<li><p><strong>");
		buf_put_html(out, f, strlen(f));
		buf_puts(out, "</strong> — ");
		buf_put_html(out, b, strlen(b));
		buf_printf(out, "</p><form class=\"inline\" method=\"post\" "
		    "action=\"/teach/flashcards/%lld/delete\"><input type="
		    "\"hidden\" name=\"csrf\" value=\"",
		    (long long)db_i64(r->db, i, 0));
		buf_put_html(out, r->csrf, strlen(r->csrf));
		buf_puts(out, "\"><button type=\"submit\" class=\"button-"
		    "secondary\">Delete<span class=\"visually-hidden\"> the "
		    "card ");
		buf_put_html(out, f, strlen(f));
		buf_puts(out, "</span></button></form></li>\n");
	}
	return 0;
}

/* Adds the card in the form to lesson id: 201, 400, 404 or 5xx. */
static int
add(struct req *r, int64_t lesson, int64_t *id, const char **msg)
{
	const struct http_form *f = &r->form;
	const char *p[3];
	int n;

	if (f->nerr > 0) {
		*msg = http_form_error(f);
		return 400;
	}
	p[0] = db_i64s(r->a, lesson);
	p[1] = db_i64s(r->a, r->user.id);
	p[2] = role_arg(r);
	if ((n = db_exec(r->db, STMT_FLASHCARDS_LESSON_EDITABLE, 3, p)) < 0)
		return page_db_status(n);
	if (n == 0) {
		*msg = "There is no such lesson, or it is not yours.";
		return 404;
	}
	p[1] = f->str[F_FC_FRONT];
	p[2] = f->str[F_FC_BACK];
	if ((n = db_exec(r->db, STMT_FLASHCARDS_INSERT, 3, p)) <= 0) {
		*msg = "Try again shortly.";
		return page_db_status(n < 0 ? n : DB_HARD);
	}
	*id = db_i64(r->db, 0, 0);
	return 201;
}

static int
del(struct req *r, int64_t card, int64_t *lesson, const char **msg)
{
	const char *p[3];
	int n;

	p[0] = db_i64s(r->a, card);
	p[1] = db_i64s(r->a, r->user.id);
	p[2] = role_arg(r);
	if ((n = db_exec(r->db, STMT_FLASHCARDS_DELETE, 3, p)) < 0) {
		*msg = "Try again shortly.";
		return page_db_status(n);
	}
	if (n == 0) {
		*msg = "There is no such flashcard, or it is not yours.";
		return 404;
	}
	*lesson = db_i64(r->db, 0, 0);
	return 200;
}

int
page_flashcard_add(struct req *r)
{
	const char *msg = NULL;
	int64_t id;
	int st = add(r, r->pathid[0], &id, &msg);

	if (st != 201)
		return http_error(r, st, msg);
	return http_redirect(r, arena_printf(r->a, "/teach/lessons/%lld"
	    "?saved=1#flashcards", (long long)r->pathid[0]));
}

int
page_flashcard_delete(struct req *r)
{
	const char *msg = NULL;
	int64_t lesson;
	int st = del(r, r->pathid[0], &lesson, &msg);

	if (st != 200)
		return http_error(r, st, msg);
	return http_redirect(r, arena_printf(r->a, "/teach/lessons/%lld"
	    "#flashcards", (long long)lesson));
}

int
page_api_flashcards(struct req *r)
{
	const char *p[3], *msg = NULL;
	int64_t id;
	int n, i, st;

	if (strcmp(r->method, "POST") == 0) {
		st = add(r, r->pathid[0], &id, &msg);
		if (st != 201)
			return http_error(r, st, msg);
	} else {
		p[0] = db_i64s(r->a, r->pathid[0]);
		p[1] = db_i64s(r->a, r->user.id);
		p[2] = role_arg(r);
		if ((n = db_exec(r->db, STMT_FLASHCARDS_LESSON_EDITABLE, 3,
		    p)) < 0)
			return http_error(r, page_db_status(n), "Try again "
			    "shortly.");
		if (n == 0)
			return http_error(r, 404, "There is no such lesson, "
			    "or it is not yours.");
		st = 200;
	}
	p[0] = db_i64s(r->a, r->pathid[0]);
	if ((n = db_exec(r->db, STMT_FLASHCARDS_LIST, 1, p)) < 0)
		return http_error(r, page_db_status(n), "Try again shortly.");
	json_begin(r);
	json_i64(r, "lesson_id", r->pathid[0]);
	json_arr_begin(r, "flashcards");
	for (i = 0; i < n; i++) {
		json_obj_begin(r, NULL);
		json_i64(r, "id", db_i64(r->db, i, 0));
		json_str(r, "front", db_str(r->db, i, 1));
		json_str(r, "back", db_str(r->db, i, 2));
		json_obj_end(r);
	}
	json_arr_end(r);
	json_end(r);
	return http_json(r, st);
}

int
page_api_flashcard_delete(struct req *r)
{
	const char *msg = NULL;
	int64_t lesson;
	int st = del(r, r->pathid[0], &lesson, &msg);

	if (st != 200)
		return http_error(r, st, msg);
	json_begin(r);
	json_i64(r, "id", r->pathid[0]);
	json_bool(r, "deleted", 1);
	json_end(r);
	return http_json(r, 200);
}
