/*
 * lesson_media: files an instructor attaches to a lesson (videos, PDFs,
 * text, images), their list on the teach lesson page, and deleting an
 * upload.  Ownership is checked before a file is kept, so a refused
 * request leaves nothing behind; the bytes are served by GET /uploads/{id}
 * (uploads.c) to the author, admins and enrolled learners.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/log.h"
#include "db/db.h"
#include "http/tmpl.h"
#include "http/view.h"
#include "out/storage.h"
#include "pages/pages.h"

static const char *const media_types[] = {
	"video/mp4", "video/webm", "application/pdf", "text/plain",
	"text/markdown", "image/png", "image/jpeg", "image/gif", "image/webp",
	NULL
};

static const char *
role_arg(const struct req *r)
{
	return r->user.role_name != NULL ? r->user.role_name : "";
}

const char *
page_size_label(struct arena *a, int64_t n)
{
	if (n < 1024)
		return arena_printf(a, "%lld bytes", (long long)n);
	if (n < 1024 * 1024)
		return arena_printf(a, "%.1f KB", n / 1024.0);
	return arena_printf(a, "%.1f MB", n / (1024.0 * 1024.0));
}

int
lesson_media_rows(struct req *r, int64_t lesson, struct buf *out)
{
	struct view *row;
	const char *p[1];
	int k, n;

	p[0] = db_i64s(r->a, lesson);
	if ((n = db_exec(r->db, STMT_MEDIA_LIST, 1, p)) < 0)
		return page_db_status(n);
	for (k = 0; k < n; k++) {
		row = view_new(r->a);
		view_set(row, "csrf", r->csrf);
		view_set_int(row, "id", (long)db_i64(r->db, k, 0));
		view_set(row, "name", *db_str(r->db, k, 1) != '\0' ?
		    db_str(r->db, k, 1) : "(unnamed)");
		view_set(row, "ctype", db_str(r->db, k, 2));
		view_set(row, "size", page_size_label(r->a, db_i64(r->db, k, 3)));
		if (tmpl_render_row(TMPL_ROW_LESSON_MEDIA, row, out) == -1)
			return 500;
	}
	return 0;
}

/* Keeps the uploaded "file" as media of lesson r->pathid[0].  0 with
 * *upload set, or a status with *why. */
static int
media_add(struct req *r, int64_t *upload, const char **why)
{
	const struct http_file *cf;
	const char *p[3];
	int n, st;

	p[0] = db_i64s(r->a, r->pathid[0]);
	p[1] = db_i64s(r->a, r->user.id);
	p[2] = role_arg(r);
	if ((n = db_exec(r->db, STMT_MEDIA_LESSON_EDITABLE, 3, p)) < 0)
		return page_db_status(n);
	if (n == 0) {
		*why = "There is no such lesson, or it is not yours.";
		return 404;
	}
	if ((cf = http_file(r, "file")) == NULL) {
		*why = "Choose a file to upload.";
		return 400;
	}
	/* storage_commit() marks the file kept; http_file() hands it out
	 * const for readers. */
	*why = NULL;
	if ((st = storage_commit(r, (struct http_file *)(uintptr_t)cf,
	    media_types, upload, why)) != 0) {
		if (*why == NULL)
			*why = "The file could not be stored.";
		return st;
	}
	p[1] = db_i64s(r->a, *upload);
	/* On failure the upload is an orphan: upload_cleanup removes it. */
	if ((n = db_exec(r->db, STMT_MEDIA_ATTACH, 2, p)) < 0) {
		*why = "Try again shortly.";
		return page_db_status(n);
	}
	return 0;
}

int
page_lesson_media_add(struct req *r)
{
	const char *why = NULL;
	int64_t upload = 0;
	int st;

	if ((st = media_add(r, &upload, &why)) != 0)
		return http_error(r, st, why);
	return http_redirect(r, arena_printf(r->a,
	    "/teach/lessons/%lld#media", (long long)r->pathid[0]));
}

int
page_api_lesson_media_add(struct req *r)
{
	const char *why = NULL;
	int64_t upload = 0;
	int st;

	if ((st = media_add(r, &upload, &why)) != 0)
		return http_error(r, st, why);
	json_begin(r);
	json_i64(r, "id", upload);
	json_i64(r, "lesson_id", r->pathid[0]);
	json_str(r, "url", arena_printf(r->a, "/uploads/%lld",
	    (long long)upload));
	json_end(r);
	return http_json(r, 201);
}

int
page_upload_delete(struct req *r)
{
	const char *p[3], *key;
	int64_t lesson;
	int n;

	p[0] = db_i64s(r->a, r->pathid[0]);
	p[1] = db_i64s(r->a, r->user.id);
	p[2] = role_arg(r);
	if ((n = db_exec(r->db, STMT_MEDIA_UPLOAD_DELETE, 3, p)) < 0)
		return page_db_status(n);
	if (n == 0)
		return http_error(r, 404, "There is no such file, or it is "
		    "not yours.");
	key = db_str(r->db, 0, 0);
	lesson = db_i64(r->db, 0, 1);
	/* The row is gone; a file left behind by a failure here is only
	 * bytes nothing names (logged). */
	storage_remove(r->id, key);
	if (lesson != 0)
		return http_redirect(r, arena_printf(r->a,
		    "/teach/lessons/%lld#media", (long long)lesson));
	return http_redirect(r, "/teach");
}
