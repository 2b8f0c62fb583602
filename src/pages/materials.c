/*
 * materials: a course's material for the tutor and the generators (issue
 * 8) -- the instructor's page /teach/courses/{id}/materials (upload
 * several files, see each one's status, delete) and its JSON twins.
 *
 * Design decision: the upload request only keeps the files and queues
 * one "material_index" job per file (jobs/material_index.c) in the same
 * transaction as the material rows, then answers at once (303, or 202
 * with the ids and the status address); a refresh of the page shows the
 * progress.  A file that cannot be material at all (empty, neither a PDF
 * nor UTF-8 text, an image) is still listed, as failed with the reason,
 * so every file sent gets a status and nothing reaches the index.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/log.h"
#include "db/db.h"
#include "http/tmpl.h"
#include "http/view.h"
#include "jobs/jobs.h"
#include "learn/passage.h"
#include "out/extract.h"
#include "out/storage.h"
#include "pages/pages.h"

#define NAME_MAX_CHARS	255

static const char *const doc_types[] = {
	"application/pdf", "text/plain", "text/markdown", NULL
};

static const struct {
	const char	*status, *label;
} labels[] = {
	{ "queued", "Queued" },
	{ "extracting", "Extracting text" },
	{ "indexing", "Indexing" },
	{ "ready", "Ready" },
	{ "failed", "Failed" },
};

struct added {
	int64_t		 id;
	const char	*name, *status, *reason;
};

static const char *
role_arg(const struct req *r)
{
	return r->user.role_name != NULL ? r->user.role_name : "";
}

static const char *
status_label(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if (strcmp(labels[i].status, s) == 0)
			return labels[i].label;
	return s;
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && strcasecmp(s + n - k, suffix) == 0;
}

/* The file's name for display: its last path component (some browsers
 * send a full path), valid UTF-8, at most NAME_MAX_CHARS characters. */
static const char *
display_name(struct arena *a, const char *filename)
{
	const char *s = filename != NULL ? filename : "", *t;
	size_t n, i, chars;

	if ((t = strrchr(s, '/')) != NULL)
		s = t + 1;
	if ((t = strrchr(s, '\\')) != NULL)
		s = t + 1;
	n = strlen(s);
	if (n == 0 || !learn_utf8_valid(s, n, NULL))
		return "upload";
	for (i = chars = 0; i < n && chars < NAME_MAX_CHARS; chars++)
		i += learn_utf8_len((unsigned char)s[i]);
	return arena_strndup(a, s, i < n ? i : n);
}

/* The material kind the upload looks like ("" when refused); the job
 * sets it from the extracted content. */
static const char *
kind_of(const struct http_file *f)
{
	if (f->ctype == NULL)
		return "";
	if (strcmp(f->ctype, "application/pdf") == 0)
		return "pdf";
	if (f->filename != NULL && (ends_with(f->filename, ".html") ||
	    ends_with(f->filename, ".htm")))
		return "html";
	if (strcmp(f->ctype, "text/markdown") == 0)
		return "markdown";
	if (strcmp(f->ctype, "text/plain") == 0)
		return "text";
	return "";
}

/* Why a file that is not a document type cannot be material. */
static const char *
refusal(struct req *r, const struct http_file *f)
{
	struct extract_doc d;
	enum extract_status s = EXTRACT_IO;	/* no file: not extracted */
	char *m;

	memset(&d, 0, sizeof(d));
	if (f->size == 0)
		return "The file is empty.";
	if (f->ctype != NULL)
		return arena_printf(r->a, "Only PDF, Markdown, plain text and "
		    "HTML files can be course material (this file is %s).",
		    f->ctype);
	/* Neither a known type nor UTF-8 text: the extractor says exactly
	 * where (it stops at the first bad byte). */
	if (f->tmp_path != NULL &&
	    (s = extract_file(f->tmp_path, &d)) != EXTRACT_OK &&
	    d.err[0] != '\0') {
		m = arena_printf(r->a, "%s.", d.err);
		m[0] = m[0] >= 'a' && m[0] <= 'z' ? m[0] - 'a' + 'A' : m[0];
		return m;
	}
	if (s == EXTRACT_OK)
		extract_free(&d);
	return "The file is neither a PDF nor UTF-8 text; save it as UTF-8 "
	    "text, Markdown, HTML or PDF and upload it again.";
}

/*
 * Keeps the uploaded files as material of course r->pathid[0]: each file
 * is stored and queued, or recorded as failed with the reason.  Returns
 * 0 with out[0..*n) set, or a status with *why.
 */
static int
materials_add(struct req *r, struct added *out, size_t *n, const char **why)
{
	const char *p[7], *kinds[8], *reasons[8], *names[8];
	int64_t uploads[8];
	size_t i, k = 0;
	int st, rc;

	*n = 0;
	p[0] = db_i64s(r->a, r->pathid[0]);
	p[1] = db_i64s(r->a, r->user.id);
	p[2] = role_arg(r);
	if ((rc = db_exec(r->db, STMT_MATERIAL_COURSE_EDITABLE, 3, p)) < 0)
		return page_db_status(rc);
	if (rc == 0) {
		*why = "There is no such course, or it is not yours.";
		return 404;
	}
	/* Store first, outside the transaction: a file stored whose row
	 * is then not written is an orphan upload_cleanup removes. */
	for (i = 0; i < r->nfiles && k < 8; i++) {
		struct http_file *f = &r->files[i];

		if (f->filename == NULL || *f->filename == '\0')
			continue;	/* a file input left empty */
		names[k] = display_name(r->a, f->filename);
		uploads[k] = 0;
		reasons[k] = NULL;
		kinds[k] = kind_of(f);
		if (*kinds[k] == '\0' || f->size == 0)
			reasons[k] = refusal(r, f);
		else if ((st = storage_commit(r, f, doc_types, &uploads[k],
		    &reasons[k])) != 0) {
			if (st >= 500) {
				*why = "The file could not be stored; try "
				    "again shortly.";
				return st;
			}
			if (reasons[k] == NULL)
				reasons[k] = "The file could not be stored.";
		}
		k++;
	}
	if (k == 0) {
		*why = "Choose at least one file to upload.";
		return 400;
	}
	if ((rc = db_begin(r->db)) < 0)
		goto dberr;
	for (i = 0; i < k; i++) {
		p[0] = db_i64s(r->a, r->pathid[0]);
		p[1] = uploads[i] ? db_i64s(r->a, uploads[i]) : NULL;
		p[2] = names[i];
		p[3] = reasons[i] ? "" : kinds[i];
		p[4] = reasons[i] ? "failed" : "queued";
		p[5] = reasons[i] ? reasons[i] : "";
		p[6] = db_i64s(r->a, r->user.id);
		if ((rc = db_exec(r->db, STMT_MATERIAL_INSERT, 7, p)) != 1)
			goto rollback;
		out[i].id = db_i64(r->db, 0, 0);
		out[i].name = names[i];
		out[i].status = p[4];
		out[i].reason = p[5];
		if (reasons[i] == NULL && (rc = (int)jobs_enqueue(r->db, r->a,
		    JOB_MATERIAL_INDEX, arena_printf(r->a,
		    "{\"material_id\": %lld}", (long long)out[i].id), 0,
		    NULL)) < 0)
			goto rollback;
	}
	if ((rc = db_commit(r->db)) < 0)
		goto dberr;
	*n = k;
	return 0;
rollback:
	db_rollback(r->db);
dberr:
	*why = "Try again shortly.";
	return page_db_status(rc < 0 ? rc : DB_HARD);
}

/* The course's title if the user may edit it: 0, 404 or a db status. */
static int
course_editable(struct req *r, const char **title)
{
	const char *p[3];
	int n;

	p[0] = db_i64s(r->a, r->pathid[0]);
	p[1] = db_i64s(r->a, r->user.id);
	p[2] = role_arg(r);
	if ((n = db_exec(r->db, STMT_MATERIAL_COURSE_EDITABLE, 3, p)) < 0)
		return page_db_status(n);
	if (n == 0)
		return 404;
	*title = arena_strdup(r->a, db_str(r->db, 0, 1));
	return 0;
}

static int
is_working(const char *status)
{
	return strcmp(status, "queued") == 0 ||
	    strcmp(status, "extracting") == 0 ||
	    strcmp(status, "indexing") == 0;
}

/* The page, with form_error (NULL = none) and status st. */
static int
render(struct req *r, int st, const char *form_error)
{
	struct view *v = view_new(r->a), *row;
	struct buf b;
	const char *title, *p[1], *status;
	int n, k, working = 0, ready = 0;

	if ((n = course_editable(r, &title)) != 0)
		return http_error(r, n, n == 404 ? "There is no such course, "
		    "or it is not yours." : "Try again shortly.");
	p[0] = db_i64s(r->a, r->pathid[0]);
	if ((n = db_exec(r->db, STMT_MATERIAL_LIST, 1, p)) < 0)
		return http_error(r, page_db_status(n), "Try again shortly.");
	buf_init(&b);
	for (k = 0; k < n; k++) {
		status = db_str(r->db, k, 3);
		working |= is_working(status);
		ready += strcmp(status, "ready") == 0;
		row = view_new(r->a);
		view_set(row, "csrf", r->csrf);
		view_set_int(row, "id", (long)db_i64(r->db, k, 0));
		view_set_int(row, "course_id", (long)r->pathid[0]);
		view_set(row, "name", db_str(r->db, k, 1));
		view_set(row, "kind", *db_str(r->db, k, 2) != '\0' ?
		    db_str(r->db, k, 2) : "unknown");
		view_set(row, "status", status);
		view_set(row, "status_label", status_label(status));
		view_set(row, "reason", db_str(r->db, k, 4));
		view_set_int(row, "words", (long)db_i64(r->db, k, 5));
		view_set_int(row, "passages", (long)db_i64(r->db, k, 6));
		view_set_int(row, "upload_id", (long)db_i64(r->db, k, 7));
		view_set_bool(row, "has_file", db_i64(r->db, k, 7) != 0);
		view_set(row, "created", db_str(r->db, k, 8));
		if (tmpl_render_row(TMPL_ROW_MATERIAL, row, &b) == -1) {
			buf_free(&b);
			return http_error(r, 500, "The page could not be "
			    "built.");
		}
	}
	view_set(v, "csrf", r->csrf);
	view_set(v, "course_title", title);
	view_set_int(v, "id", (long)r->pathid[0]);
	view_set_int(v, "count", n);
	view_set_int(v, "ready", ready);
	view_set_bool(v, "working", working);
	if (b.len > 0)
		view_set_raw(v, "rows", b.p);
	buf_free(&b);
	if (form_error != NULL)
		view_set(v, "form_error", form_error);
	if (http_param(r, "uploaded") != NULL)
		r->flash = "The files have been uploaded: they are indexed in "
		    "the background. Refresh this page to see their progress.";
	else if (http_param(r, "deleted") != NULL)
		r->flash = "The file and its passages have been deleted.";
	r->status = st;
	return http_page_nav(r, TMPL_TEACH_MATERIALS, v, arena_printf(r->a,
	    "Material: %s", title), TMPL_NAV_TEACH);
}

int
page_teach_materials(struct req *r)
{
	return render(r, 200, NULL);
}

int
page_teach_materials_add(struct req *r)
{
	struct added a[8];
	const char *why = NULL;
	size_t n;
	int st;

	if ((st = materials_add(r, a, &n, &why)) == 400)
		return render(r, 400, why);
	if (st != 0)
		return http_error(r, st, why);
	return http_redirect(r, arena_printf(r->a,
	    "/teach/courses/%lld/materials?uploaded=%zu#materials",
	    (long long)r->pathid[0], n));
}

static const char *
status_url(struct req *r)
{
	return arena_printf(r->a, "/api/v1/courses/%lld/materials",
	    (long long)r->pathid[0]);
}

int
page_api_materials_add(struct req *r)
{
	struct added a[8];
	const char *why = NULL;
	size_t n, i;
	int st;

	if ((st = materials_add(r, a, &n, &why)) != 0)
		return http_error(r, st, why);
	json_begin(r);
	json_i64(r, "course_id", r->pathid[0]);
	json_str(r, "status_url", status_url(r));
	json_arr_begin(r, "materials");
	for (i = 0; i < n; i++) {
		json_obj_begin(r, NULL);
		json_i64(r, "id", a[i].id);
		json_str(r, "name", a[i].name);
		json_str(r, "status", a[i].status);
		json_str(r, "reason", a[i].reason);
		json_obj_end(r);
	}
	json_arr_end(r);
	json_end(r);
	http_header(r, "Location", status_url(r));
	return http_json(r, 202);
}

int
page_api_materials(struct req *r)
{
	const char *title, *p[1], *status;
	int n, k, working = 0, ready = 0, failed = 0;

	if ((n = course_editable(r, &title)) != 0)
		return http_error(r, n, n == 404 ? "There is no such course, "
		    "or it is not yours." : "Try again shortly.");
	p[0] = db_i64s(r->a, r->pathid[0]);
	if ((n = db_exec(r->db, STMT_MATERIAL_LIST, 1, p)) < 0)
		return http_error(r, page_db_status(n), "Try again shortly.");
	json_begin(r);
	json_i64(r, "course_id", r->pathid[0]);
	json_str(r, "course_title", title);
	json_arr_begin(r, "materials");
	for (k = 0; k < n; k++) {
		status = db_str(r->db, k, 3);
		working += is_working(status);
		ready += strcmp(status, "ready") == 0;
		failed += strcmp(status, "failed") == 0;
		json_obj_begin(r, NULL);
		json_i64(r, "id", db_i64(r->db, k, 0));
		json_str(r, "name", db_str(r->db, k, 1));
		json_str(r, "kind", db_str(r->db, k, 2));
		json_str(r, "status", status);
		json_str(r, "reason", db_str(r->db, k, 4));
		json_i64(r, "words", db_i64(r->db, k, 5));
		json_i64(r, "passages", db_i64(r->db, k, 6));
		if (db_i64(r->db, k, 7) != 0)
			json_str(r, "file_url", arena_printf(r->a,
			    "/uploads/%lld", (long long)db_i64(r->db, k, 7)));
		json_str(r, "created", db_str(r->db, k, 8));
		json_str(r, "updated", db_str(r->db, k, 9));
		json_obj_end(r);
	}
	json_arr_end(r);
	json_obj_begin(r, "counts");
	json_i64(r, "total", n);
	json_i64(r, "working", working);
	json_i64(r, "ready", ready);
	json_i64(r, "failed", failed);
	json_obj_end(r);
	json_end(r);
	return http_json(r, 200);
}

/* Deletes material r->pathid[1] of course r->pathid[0]: 0, 404 or a db
 * status. */
static int
material_delete(struct req *r)
{
	const char *p[4], *key;
	int n;

	p[0] = db_i64s(r->a, r->pathid[0]);
	p[1] = db_i64s(r->a, r->pathid[1]);
	p[2] = db_i64s(r->a, r->user.id);
	p[3] = role_arg(r);
	if ((n = db_exec(r->db, STMT_MATERIAL_DELETE, 4, p)) < 0)
		return page_db_status(n);
	if (n == 0)
		return 404;
	key = db_str(r->db, 0, 0);
	if (*key != '\0')
		storage_remove(r->id, key);
	return 0;
}

int
page_teach_material_delete(struct req *r)
{
	int st;

	if ((st = material_delete(r)) != 0)
		return http_error(r, st, st == 404 ? "There is no such file, "
		    "or it is not yours." : "Try again shortly.");
	return http_redirect(r, arena_printf(r->a,
	    "/teach/courses/%lld/materials?deleted=1#materials",
	    (long long)r->pathid[0]));
}

int
page_api_material_delete(struct req *r)
{
	int st;

	if ((st = material_delete(r)) != 0)
		return http_error(r, st, st == 404 ? "There is no such file, "
		    "or it is not yours." : "Try again shortly.");
	json_begin(r);
	json_i64(r, "id", r->pathid[1]);
	json_bool(r, "deleted", 1);
	json_end(r);
	return http_json(r, 200);
}
