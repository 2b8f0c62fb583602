/*
 * certificates: issuing (certificate_issue), the learner's list, the PDF
 * download (owner only; anyone else gets 404, as if it did not exist), the
 * public verification page and its JSON twin, and revocation by admins.
 *
 * The design decision: the PDF is written before the row is inserted
 * (INSERT ... ON CONFLICT DO NOTHING on (user, course)), so a row always
 * has its file; a caller that loses a race deletes its own file and
 * reports the winner's certificate.  What a certificate shows is copied
 * into its row at issue, so later renames do not change a certificate
 * already handed out.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/config.h"
#include "base/log.h"
#include "db/db.h"
#include "http/auth.h"
#include "http/view.h"
#include "out/mail.h"
#include "out/pdf.h"
#include "pages/certificates.h"
#include "pages/notifications.h"
#include "pages/pages.h"

#define PDF_MAX	(8 * 1024 * 1024)

/* ---- issuing ------------------------------------------------------------ */

static int
glyphs(const char *what, const char *s, char *msg, size_t msgsz)
{
	uint32_t bad = 0;
	int n;

	if ((n = pdf_glyph_check(s, &bad)) == 0)
		return 0;
	if (n < 0)
		snprintf(msg, msgsz, "The %s is not valid text, or the "
		    "certificate font cannot be read.", what);
	else if (bad < 0x20)
		snprintf(msg, msgsz, "The %s contains a control character.",
		    what);
	else
		snprintf(msg, msgsz, "The %s contains a character the "
		    "certificate font cannot print (U+%04X). Please give the "
		    "name using other characters, for example in Latin, "
		    "Greek or Cyrillic letters.", what, (unsigned)bad);
	return 1;
}

static int64_t
random_id(void)
{
	uint64_t x;

	randombytes_buf(&x, sizeof(x));
	return 100000000000000LL + (int64_t)(x % 900000000000000ULL);
}

/* Completion mail, inside the issuing transaction.  Template trouble (a
 * process without templates) is logged and not fatal. */
static int
queue_mail(struct db *db, struct arena *a, int64_t uid, int64_t id,
    const char *course)
{
	struct mail_conf mc;
	struct mail_var v[3];
	int n;

	mail_conf_init(&mc);
	v[0].name = "course_title";
	v[0].value = course;
	v[1].name = "certificate_url";
	v[1].value = arena_printf(a, "%s/certificates/%lld/pdf", mc.base_url,
	    (long long)id);
	v[2].name = "verify_url";
	v[2].value = arena_printf(a, "%s/certificates/verify/%lld",
	    mc.base_url, (long long)id);
	n = mail_queue(db, a, uid, "completion", arena_printf(a, "Your "
	    "certificate for %s", course), v, 3);
	if (n == -1)
		log_msg("certificate %lld: completion mail not queued",
		    (long long)id);
	return n < -1 ? n : 0;
}

static int
issue(struct db *db, struct arena *a, int64_t uid, int64_t cid,
    const char *name, int64_t *id, char *msg, size_t msgsz)
{
	struct config cfg;
	struct mail_conf mc;
	struct pdf_cert pc;
	const char *p[8], *course, *instructor, *date, *dir, *path;
	char err[256];
	long minutes;
	int n;

	p[0] = db_i64s(a, uid);
	p[1] = db_i64s(a, cid);
	if ((n = db_exec(db, STMT_CERTIFICATE_FIND, 2, p)) < 0)
		return n;
	if (n == 1) {
		*id = db_i64(db, 0, 0);
		return 0;
	}
	if ((n = db_exec(db, STMT_CERTIFICATE_SOURCE, 2, p)) < 0)
		return n;
	if (n == 0 || !db_bool(db, 0, 4))
		return CERT_NOT_COMPLETED;
	if (name == NULL || *name == '\0')
		name = db_str(db, 0, 0);
	name = arena_strdup(a, name);
	course = arena_strdup(a, db_str(db, 0, 1));
	instructor = arena_strdup(a, db_str(db, 0, 2));
	minutes = (long)db_i64(db, 0, 3);
	date = arena_strdup(a, db_str(db, 0, 5));
	if (glyphs("name", name, msg, msgsz))
		return CERT_BAD_NAME;
	if (glyphs("course title", course, msg, msgsz) ||
	    glyphs("instructor's name", instructor, msg, msgsz))
		return CERT_BAD_TEXT;

	config_init(&cfg);
	mail_conf_init(&mc);
	dir = arena_printf(a, "%s/certificates", cfg.var);
	if (mkdir(dir, 0750) != 0 && errno != EEXIST) {
		log_msg("certificate: mkdir %s: %s", dir, strerror(errno));
		return CERT_PDF;
	}
	*id = random_id();
	path = arena_printf(a, "%s/%lld.pdf", dir, (long long)*id);
	memset(&pc, 0, sizeof(pc));
	pc.learner = name;
	pc.course = course;
	pc.instructor = instructor;
	pc.date = date;
	pc.duration = page_minutes_label(a, minutes);
	pc.cert_id = arena_printf(a, "%lld", (long long)*id);
	pc.verify_url = arena_printf(a, "%s/certificates/verify/%lld",
	    mc.base_url, (long long)*id);
	if (pdf_certificate(path, &pc, err, sizeof(err)) != 0) {
		log_msg("certificate: %s: %s", path, err);
		return CERT_PDF;
	}

	if ((n = db_begin(db)) != 0)
		goto fail;
	p[0] = pc.cert_id;
	p[1] = db_i64s(a, uid);
	p[2] = db_i64s(a, cid);
	p[3] = name;
	p[4] = course;
	p[5] = instructor;
	p[6] = arena_printf(a, "%ld", minutes);
	p[7] = path;
	if ((n = db_exec(db, STMT_CERTIFICATE_INSERT, 8, p)) < 0)
		goto rollback;
	if (n == 0) {
		/* Someone else issued it meanwhile: theirs stands. */
		db_rollback(db);
		unlink(path);
		p[0] = db_i64s(a, uid);
		p[1] = db_i64s(a, cid);
		if ((n = db_exec(db, STMT_CERTIFICATE_FIND, 2, p)) != 1)
			return n < 0 ? n : DB_HARD;
		*id = db_i64(db, 0, 0);
		return 0;
	}
	if ((n = (int)notify_quiet(db, uid, "certificate", arena_printf(a,
	    "Your certificate for \xe2\x80\x9c%s\xe2\x80\x9d is ready.", course),
	    "/certificates")) < 0 ||
	    (n = queue_mail(db, a, uid, *id, course)) < 0)
		goto rollback;
	if ((n = db_commit(db)) != 0)
		goto fail;
	return 1;
rollback:
	db_rollback(db);
fail:
	unlink(path);
	return n < 0 ? n : DB_HARD;
}

int
certificate_issue_named(struct db *db, int64_t uid, int64_t cid,
    const char *name, int64_t *id, char *msg, size_t msgsz)
{
	struct arena a;
	int n;

	arena_init(&a, 16 * 1024);
	msg[0] = '\0';
	n = issue(db, &a, uid, cid, name, id, msg, msgsz);
	arena_free(&a);
	return n;
}

int
certificate_issue(struct db *db, int64_t uid, int64_t cid)
{
	char msg[256];
	int64_t id;
	int n;

	n = certificate_issue_named(db, uid, cid, NULL, &id, msg, sizeof(msg));
	if (n == CERT_BAD_NAME || n == CERT_BAD_TEXT)
		log_msg("certificate: user %lld course %lld: %s",
		    (long long)uid, (long long)cid, msg);
	return n;
}

/* ---- the learner's list ------------------------------------------------- */

static int
list_page(struct req *r, int64_t err_course, const char *err, int status)
{
	struct view *v, *row;
	struct buf rows, claims;
	const char *p[1];
	int n, i;

	p[0] = db_i64s(r->a, r->user.id);
	if ((n = db_exec(r->db, STMT_CERTIFICATE_LIST_USER, 1, p)) < 0)
		return page_db_status(n);
	buf_init(&rows);
	buf_init(&claims);
	row = view_new(r->a);
	for (i = 0; i < n; i++) {
		int64_t id = db_i64(r->db, i, 0);

		view_clear(row);
		view_setf(row, "id_text", "%lld", (long long)id);
		view_set(row, "title", db_str(r->db, i, 1));
		view_set(row, "issued", db_str(r->db, i, 2));
		view_set_bool(row, "revoked", db_bool(r->db, i, 3));
		view_setf(row, "pdf_url", "/certificates/%lld/pdf",
		    (long long)id);
		view_setf(row, "verify_url", "/certificates/verify/%lld",
		    (long long)id);
		if (tmpl_render_row(TMPL_ROW_CERTIFICATE, row, &rows) != 0)
			goto fail;
	}
	if ((n = db_exec(r->db, STMT_CERTIFICATE_CLAIMABLE, 1, p)) < 0) {
		buf_free(&rows);
		return page_db_status(n);
	}
	for (i = 0; i < n; i++) {
		int64_t cid = db_i64(r->db, i, 0);

		view_clear(row);
		view_set(row, "csrf", r->csrf);
		view_set_int(row, "course_id", (long)cid);
		view_set(row, "title", db_str(r->db, i, 1));
		if (cid == err_course && err != NULL) {
			view_set(row, "error", err);
			view_set(row, "name", r->form.str[F_CERT_NAME]);
		} else
			view_set(row, "name", r->user.name);
		if (tmpl_render_row(TMPL_ROW_CERT_CLAIM, row, &claims) != 0)
			goto fail;
	}
	v = view_new(r->a);
	view_set(v, "csrf", r->csrf);
	if (rows.len > 0)
		view_set_raw(v, "rows", rows.p);
	if (claims.len > 0)
		view_set_raw(v, "claims", claims.p);
	if (err != NULL && err_course == 0)
		view_set(v, "form_error", err);
	buf_free(&rows);
	buf_free(&claims);
	r->status = status;
	return http_page(r, TMPL_CERTIFICATES, v, "Your certificates");
fail:
	buf_free(&rows);
	buf_free(&claims);
	return 500;
}

static const char *
issue_error(int n, const char *msg)
{
	switch (n) {
	case CERT_NOT_COMPLETED:
		return "You have not completed this course yet.";
	case CERT_BAD_NAME:
	case CERT_BAD_TEXT:
		return msg;
	case CERT_PDF:
		return "The certificate could not be made; try again later.";
	default:
		return NULL;
	}
}

int
page_certificates(struct req *r)
{
	const struct http_form *f = &r->form;
	char msg[256];
	const char *e;
	int64_t id, cid;
	int n;

	if (strcmp(r->method, "GET") == 0)
		return list_page(r, 0, NULL, 200);
	cid = f->err[F_CERT_COURSE] == NULL ? f->i64[F_CERT_COURSE] : 0;
	if (f->nerr > 0)
		return list_page(r, cid, f->err[F_CERT_NAME] != NULL ?
		    f->err[F_CERT_NAME] : http_form_error(f), 400);
	n = certificate_issue_named(r->db, r->user.id, cid,
	    f->str[F_CERT_NAME], &id, msg, sizeof(msg));
	if (n >= 0)
		return http_redirect(r, "/certificates");
	if ((e = issue_error(n, msg)) == NULL)
		return page_db_status(n);
	return list_page(r, n == CERT_NOT_COMPLETED ? 0 : cid, e,
	    n == CERT_PDF ? 500 : 422);
}

int
page_api_certificates(struct req *r)
{
	const struct http_form *f = &r->form;
	const char *p[1], *e;
	char msg[256];
	int64_t id;
	int n, i;

	if (strcmp(r->method, "POST") == 0) {
		if (f->nerr > 0)
			return http_error(r, 400, http_form_error(f));
		n = certificate_issue_named(r->db, r->user.id,
		    f->i64[F_CERT_COURSE], f->str[F_CERT_NAME], &id, msg,
		    sizeof(msg));
		if (n < 0) {
			if ((e = issue_error(n, msg)) == NULL)
				return http_error(r, page_db_status(n),
				    "Try again shortly.");
			return http_error(r, n == CERT_PDF ? 500 : 422, e);
		}
		json_begin(r);
		json_i64(r, "id", id);
		json_bool(r, "new", n == 1);
		json_str(r, "pdf_url", arena_printf(r->a,
		    "/certificates/%lld/pdf", (long long)id));
		json_str(r, "verify_url", arena_printf(r->a,
		    "/certificates/verify/%lld", (long long)id));
		json_end(r);
		return http_json(r, n == 1 ? 201 : 200);
	}
	p[0] = db_i64s(r->a, r->user.id);
	if ((n = db_exec(r->db, STMT_CERTIFICATE_LIST_USER, 1, p)) < 0)
		return http_error(r, page_db_status(n), "Try again shortly.");
	json_begin(r);
	json_raw(r, "certificates", "[");
	for (i = 0; i < n; i++) {
		buf_putc(r->body, '{');
		json_i64(r, "id", db_i64(r->db, i, 0));
		json_str(r, "course", db_str(r->db, i, 1));
		json_str(r, "issued", db_str(r->db, i, 2));
		json_bool(r, "revoked", db_bool(r->db, i, 3));
		buf_putc(r->body, '}');
		if (i + 1 < n)
			buf_putc(r->body, ',');
	}
	buf_putc(r->body, ']');
	json_end(r);
	return http_json(r, 200);
}

/* ---- download ----------------------------------------------------------- */

int
page_certificate_pdf(struct req *r)
{
	const char *p[1], *path;
	char buf[65536], *hdr;
	ssize_t got;
	int n, fd;

	p[0] = db_i64s(r->a, r->pathid[0]);
	if ((n = db_exec(r->db, STMT_CERTIFICATE_GET, 1, p)) < 0)
		return page_db_status(n);
	if (n == 0 || db_i64(r->db, 0, 1) != r->user.id)
		return http_error(r, 404, "There is no such certificate.");
	path = arena_strdup(r->a, db_str(r->db, 0, 8));
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		log_msg("certificate: %s: %s", path, strerror(errno));
		return http_error(r, 500, "The certificate file is missing.");
	}
	buf_reset(r->body);
	while ((got = read(fd, buf, sizeof(buf))) > 0 &&
	    r->body->len < PDF_MAX)
		buf_put(r->body, buf, (size_t)got);
	close(fd);
	if (got < 0)
		return 500;
	r->ctype_out = "application/pdf";
	hdr = arena_printf(r->a, "attachment; filename=\"certificate-%lld.pdf\"",
	    (long long)r->pathid[0]);
	http_header(r, "Content-Disposition", hdr);
	http_header(r, "Cache-Control", "private, no-store");
	return 200;
}

/* ---- verification ------------------------------------------------------- */

int
page_certificate_verify(struct req *r)
{
	struct view *v = view_new(r->a);
	const char *p[1];
	int64_t id = r->pathid[0];
	int n;

	p[0] = db_i64s(r->a, id);
	if ((n = db_exec(r->db, STMT_CERTIFICATE_GET, 1, p)) < 0)
		return page_db_status(n);
	view_setf(v, "json_url", "/api/v1/certificates/verify/%lld",
	    (long long)id);
	view_set_bool(v, "found", n == 1);
	if (n == 0) {
		r->status = 404;
		return http_page(r, TMPL_CERTIFICATE_VERIFY, v,
		    "Certificate not found");
	}
	view_setf(v, "id", "%lld", (long long)id);
	view_set(v, "learner", db_str(r->db, 0, 3));
	view_set(v, "course", db_str(r->db, 0, 4));
	view_set(v, "instructor", db_str(r->db, 0, 5));
	view_set(v, "duration", page_minutes_label(r->a,
	    (long)db_i64(r->db, 0, 6)));
	view_set(v, "issued", db_str(r->db, 0, 7));
	view_set_bool(v, "revoked", db_bool(r->db, 0, 9));
	view_set(v, "revoked_on", db_str(r->db, 0, 10));
	view_set(v, "reason", db_str(r->db, 0, 11));
	if (r->user.role == ROLE_ADMIN && !r->user.bearer) {
		if (r->csrf == NULL)
			r->csrf = auth_csrf_token(r);
		view_set_bool(v, "is_admin", 1);
		view_set(v, "csrf", r->csrf);
	}
	return http_page(r, TMPL_CERTIFICATE_VERIFY, v,
	    "Certificate verification");
}

int
page_api_certificate_verify(struct req *r)
{
	const char *p[1];
	int n;

	p[0] = db_i64s(r->a, r->pathid[0]);
	if ((n = db_exec(r->db, STMT_CERTIFICATE_GET, 1, p)) < 0)
		return http_error(r, page_db_status(n), "Try again shortly.");
	if (n == 0)
		return http_error(r, 404, "There is no certificate with this "
		    "number.");
	json_begin(r);
	json_i64(r, "id", db_i64(r->db, 0, 0));
	json_bool(r, "valid", !db_bool(r->db, 0, 9));
	json_bool(r, "revoked", db_bool(r->db, 0, 9));
	json_str(r, "learner", db_str(r->db, 0, 3));
	json_str(r, "course", db_str(r->db, 0, 4));
	json_str(r, "instructor", db_str(r->db, 0, 5));
	json_i64(r, "minutes", db_i64(r->db, 0, 6));
	json_str(r, "issued", db_str(r->db, 0, 7));
	if (db_bool(r->db, 0, 9)) {
		json_str(r, "revoked_on", db_str(r->db, 0, 10));
		json_str(r, "reason", db_str(r->db, 0, 11));
	}
	json_end(r);
	return http_json(r, 200);
}

/*
 * Revokes certificate {id} with its audit row (the reason before and
 * after) in one transaction.  Revoking a revoked certificate changes
 * nothing and says it is revoked.  back=admin (the admin list's form)
 * returns the browser to /admin/certificates.
 */
int
page_certificate_revoke(struct req *r)
{
	const char *p[4];
	struct buf d;
	int n;

	if (r->form.nerr > 0)
		return http_error(r, 400, http_form_error(&r->form));
	p[0] = db_i64s(r->a, r->pathid[0]);
	p[1] = db_i64s(r->a, r->user.id);
	p[2] = r->form.str[F_REVOKE_REASON];
	if (db_begin(r->db) == -1)
		return page_db_status(DB_RETRY);
	if ((n = db_exec(r->db, STMT_CERTIFICATE_REVOKE, 3, p)) == 1) {
		buf_init(&d);
		buf_puts(&d, "{\"before\":{\"revoked\":false},\"after\":"
		    "{\"revoked\":true,\"reason\":\"");
		buf_put_json(&d, p[2], strlen(p[2]));
		buf_puts(&d, "\"}}");
		p[3] = arena_strdup(r->a, d.p);
		buf_free(&d);
		p[2] = arena_printf(r->a, "certificate:%lld",
		    (long long)r->pathid[0]);
		p[1] = "certificate.revoke";
		p[0] = db_i64s(r->a, r->user.id);
		n = db_exec(r->db, STMT_AUDIT_INSERT, 4, p);
		if (n == 1 && db_commit(r->db) != 0)
			n = DB_RETRY;
		if (n != 1) {
			db_rollback(r->db);
			return page_db_status(n < 0 ? n : DB_HARD);
		}
	} else {
		db_rollback(r->db);
		if (n < 0)
			return page_db_status(n);
		if (db_exec(r->db, STMT_CERTIFICATE_GET, 1, p) == 0)
			return http_error(r, 404, "There is no such "
			    "certificate.");
	}
	if (r->is_api) {
		json_begin(r);
		json_bool(r, "revoked", 1);
		json_end(r);
		return http_json(r, 200);
	}
	if (r->form.i64[F_REVOKE_BACK] == 0)
		return http_redirect(r, arena_printf(r->a,
		    "/admin/certificates?revoked=%lld#cert-%lld",
		    (long long)r->pathid[0], (long long)r->pathid[0]));
	return http_redirect(r, arena_printf(r->a,
	    "/certificates/verify/%lld", (long long)r->pathid[0]));
}
