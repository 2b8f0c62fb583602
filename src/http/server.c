/*
 * server: the request pipeline of server.h.
 *
 * Order matters and is the same for every route: parse (400/413 on bad
 * input) -> route (404/405) -> authenticate -> role (401/403) -> CSRF (403)
 * -> validate fields (400 JSON / form re-render by the handler) -> handler.
 * A handler that fails validation-wise gets r->form with per-field errors
 * and decides how to show them; everything before it is decided here, once.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <fcgiapp.h>
#include <jansson.h>
#include <sodium.h>

#include "base/arena.h"
#include "base/config.h"
#include "base/log.h"
#include "db/db.h"
#include "http/auth.h"
#include "http/auth_cache.h"
#include "http/listen.h"
#include "http/metrics.h"
#include "http/server.h"
#include "http/view.h"
#include "out/storage.h"
#include "pages/notifications.h"

#define MAXBODY		(1024 * 1024)
#define MAXFILES	8
#define CHUNK		(64 * 1024)

static const char *
status_text(int s)
{
	switch (s) {
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Payload Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 429: return "Too Many Requests";
	case 503: return "Service Unavailable";
	case 507: return "Insufficient Storage";
	default: return s >= 500 ? "Internal Server Error" : "Error";
	}
}

const char *
role_name(enum role r)
{
	switch (r) {
	case ROLE_ADMIN: return "admin";
	case ROLE_INSTRUCTOR: return "instructor";
	case ROLE_LEARNER: return "learner";
	default: return "";
	}
}

enum role
role_parse(const char *s)
{
	if (s == NULL)
		return ROLE_NONE;
	if (strcmp(s, "admin") == 0)
		return ROLE_ADMIN;
	if (strcmp(s, "instructor") == 0)
		return ROLE_INSTRUCTOR;
	if (strcmp(s, "learner") == 0)
		return ROLE_LEARNER;
	return ROLE_NONE;
}

/* ---- response helpers ---------------------------------------------- */

void
http_header(struct req *r, const char *name, const char *value)
{
	/* Header values come from our code, but never let a CR or LF
	 * through: it would split the response. */
	if (strpbrk(name, "\r\n:") != NULL || strpbrk(value, "\r\n") != NULL) {
		log_msg("%s: refused header %s with CR/LF", r->id, name);
		return;
	}
	buf_printf(r->hdrs, "%s: %s\r\n", name, value);
}

void
http_cookie(struct req *r, const char *name, const char *value, long max_age)
{
	char v[1024];

	snprintf(v, sizeof(v), "%s=%s; Path=/; Max-Age=%ld; HttpOnly; "
	    "SameSite=Lax%s", name, value, max_age,
	    r->https || r->cfg->secure_cookies ? "; Secure" : "");
	http_header(r, "Set-Cookie", v);
}

const char *
http_param(const struct req *r, const char *name)
{
	return http_param_value(r->params, r->nparams, name);
}

static enum tmpl_role
layout_role(enum role r)
{
	switch (r) {
	case ROLE_ADMIN: return TMPL_ROLE_ADMIN;
	case ROLE_INSTRUCTOR: return TMPL_ROLE_INSTRUCTOR;
	case ROLE_LEARNER: return TMPL_ROLE_LEARNER;
	default: return TMPL_ROLE_ANON;
	}
}

/* The layout of r's page (title, user, unread count, flash). */
static void
layout_of(struct req *r, const char *title, int nav, struct tmpl_layout *l)
{
	memset(l, 0, sizeof(*l));
	if (r->user.id != 0 && r->db != NULL) {
		/* The count replaces db->res: keep what may point into it. */
		title = arena_strdup(r->a, title);
		l->unread = page_unread_count(r);
	}
	l->title = title;
	l->role = layout_role(r->user.role);
	l->user_name = r->user.id ? r->user.name : NULL;
	l->csrf = r->csrf;
	l->flash = r->flash;
	l->flash_error = r->status >= 400;
	l->nav = (enum tmpl_nav)nav;
	buf_reset(r->body);
	r->ctype_out = "text/html; charset=utf-8";
}

int
http_page_nav(struct req *r, enum tmpl t, struct view *v, const char *title,
    int nav)
{
	struct tmpl_layout l;

	layout_of(r, title, nav, &l);
	if (tmpl_render_page(t, v, &l, r->body) == -1) {
		log_msg("%s: rendering %s failed", r->id, tmpl_name(t));
		return 500;
	}
	return r->status ? r->status : 200;
}

int
http_page_html(struct req *r, const char *html, size_t len,
    const char *title, int nav)
{
	struct tmpl_layout l;

	layout_of(r, title, nav, &l);
	if (tmpl_render_page_html(html, len, &l, r->a, r->body) == -1) {
		log_msg("%s: rendering the layout failed", r->id);
		return 500;
	}
	return r->status ? r->status : 200;
}

int
http_page(struct req *r, enum tmpl t, struct view *v, const char *title)
{
	return http_page_nav(r, t, v, title, TMPL_NAV_NONE);
}

int
http_redirect(struct req *r, const char *location)
{
	http_header(r, "Location", location);
	buf_reset(r->body);
	r->ctype_out = "text/plain; charset=utf-8";
	buf_puts(r->body, "See ");
	buf_puts(r->body, location);
	buf_puts(r->body, "\n");
	return 303;
}

int
http_json(struct req *r, int status)
{
	r->ctype_out = "application/json";
	return status;
}

/* ---- JSON writer ---------------------------------------------------- */

/* A comma unless this is the first member or element. */
static void
json_sep(struct req *r)
{
	char c;

	if (r->body->len == 0)
		return;
	c = r->body->p[r->body->len - 1];
	if (c != '{' && c != '[' && c != ':')
		buf_putc(r->body, ',');
}

static void
json_key(struct req *r, const char *key)
{
	json_sep(r);
	buf_putc(r->body, '"');
	buf_put_json(r->body, key, strlen(key));
	buf_puts(r->body, "\":");
}

void
json_begin(struct req *r)
{
	buf_reset(r->body);
	buf_putc(r->body, '{');
}

void
json_str(struct req *r, const char *key, const char *value)
{
	json_key(r, key);
	if (value == NULL) {
		buf_puts(r->body, "null");
		return;
	}
	buf_putc(r->body, '"');
	buf_put_json(r->body, value, strlen(value));
	buf_putc(r->body, '"');
}

void
json_i64(struct req *r, const char *key, int64_t v)
{
	json_key(r, key);
	buf_printf(r->body, "%lld", (long long)v);
}

void
json_dbl(struct req *r, const char *key, double v)
{
	json_key(r, key);
	buf_printf(r->body, "%.17g", v);
}

void
json_bool(struct req *r, const char *key, int v)
{
	json_key(r, key);
	buf_puts(r->body, v ? "true" : "false");
}

void
json_raw(struct req *r, const char *key, const char *json)
{
	json_key(r, key);
	buf_puts(r->body, json);
}

void
json_end(struct req *r)
{
	buf_putc(r->body, '}');
}

void
json_arr_begin(struct req *r, const char *key)
{
	json_key(r, key);
	buf_putc(r->body, '[');
}

void
json_arr_end(struct req *r)
{
	buf_putc(r->body, ']');
}

void
json_obj_begin(struct req *r, const char *key)
{
	if (key != NULL)
		json_key(r, key);
	else
		json_sep(r);
	buf_putc(r->body, '{');
}

void
json_obj_end(struct req *r)
{
	buf_putc(r->body, '}');
}

/* Error response: JSON under /api/, else the HTML error page.  A 503
 * says when to retry; it mostly means PostgreSQL did not answer (DB_RETRY,
 * see page_db_status), so a handler's generic "Try again shortly." (or no
 * message) becomes that sentence, while a handler that knows another cause
 * (the file store, say) keeps its own. */
int
http_error(struct req *r, int status, const char *message)
{
	struct view *v;
	const char *title = status_text(status);

	if (status == 503) {
		http_header(r, "Retry-After", "5");
		if (message == NULL || strncmp(message, "Try again", 9) == 0)
			message = "The site's database is not answering right "
			    "now.  Try again in a few seconds.";
	}
	buf_reset(r->body);
	if (r->is_api) {
		json_begin(r);
		json_obj_begin(r, "error");
		json_i64(r, "status", status);
		json_str(r, "message", message);
		json_obj_end(r);
		json_end(r);
		r->ctype_out = "application/json";
		return status;
	}
	v = view_new(r->a);
	view_set_int(v, "status", status);
	view_set(v, "title", title);
	view_set(v, "message", message);
	r->status = status;
	if (http_page(r, TMPL_ERROR, v, title) != status) {
		/* Even the error template failed: a plain page, not nothing. */
		buf_reset(r->body);
		buf_printf(r->body, "%d %s\n", status, title);
		r->ctype_out = "text/plain; charset=utf-8";
	}
	return status;
}

/* ---- request parsing ------------------------------------------------ */

/* A flat JSON object of strings, numbers and booleans becomes params, so
 * the same declared fields validate HTML forms and API calls. */
static int
parse_json(struct req *r, const char *body, size_t len, size_t extra,
    const char **why)
{
	json_t *root, *val;
	json_error_t jerr;
	const char *key;
	size_t n = 0, i = 0;

	root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL) {
		*why = arena_printf(r->a, "malformed JSON at line %d: %s",
		    jerr.line, jerr.text);
		return -1;
	}
	if (!json_is_object(root)) {
		json_decref(root);
		*why = "the request body must be a JSON object";
		return -1;
	}
	n = json_object_size(root);
	if (n > HTTP_MAXFIELDS) {
		json_decref(root);
		*why = "too many fields";
		return -1;
	}
	/* Room for the query's parameters after the body's. */
	r->params = arena_calloc(r->a, n + extra + 1,
	    sizeof(struct http_param));
	json_object_foreach(root, key, val) {
		struct http_param *p = &r->params[i++];
		const char *s;

		p->name = arena_strdup(r->a, key);
		if (json_is_string(val)) {
			s = json_string_value(val);
			p->valuelen = json_string_length(val);
			if (memchr(s, '\0', p->valuelen) != NULL) {
				json_decref(root);
				*why = "NUL character in a JSON string";
				return -1;
			}
			p->value = arena_strndup(r->a, s, p->valuelen);
		} else if (json_is_integer(val))
			p->value = arena_printf(r->a, "%" JSON_INTEGER_FORMAT,
			    json_integer_value(val));
		else if (json_is_real(val))
			p->value = arena_printf(r->a, "%.17g",
			    json_real_value(val));
		else if (json_is_boolean(val))
			p->value = json_is_true(val) ? "1" : "";
		else if (json_is_null(val))
			p->value = "";
		else {
			/* key belongs to root: quote it before freeing. */
			*why = arena_printf(r->a, "field \"%.64s\" must be a "
			    "string, number or boolean", key);
			json_decref(root);
			return -1;
		}
		if (p->valuelen == 0)
			p->valuelen = strlen(p->value);
	}
	json_decref(root);
	return (int)i;
}

/* Puts the body's params before the query's (so a form field beats a
 * same-named query one).  0, or 400 when there are too many. */
static int
add_body_params(struct req *r, const struct http_param *bp, size_t nb,
    const char **why)
{
	struct http_param *all;

	if (nb + r->nparams > HTTP_MAXFIELDS) {
		*why = http_perr_str(HTTP_PERR_FIELDS);
		return 400;
	}
	all = arena_calloc(r->a, nb + r->nparams + 1, sizeof(*all));
	/* memcpy from NULL is undefined even for 0 bytes (UBSan). */
	if (nb > 0)
		memcpy(all, bp, nb * sizeof(*all));
	if (r->nparams > 0)
		memcpy(all + nb, r->params, r->nparams * sizeof(*all));
	r->params = all;
	r->nparams += nb;
	return 0;
}

/* ---- multipart: files stream to storage, fields are collected -------- */

/*
 * Writing an uploaded file failed with err: logged with the reason, and the
 * request answers 507 when the disk (or quota) is full, 500 otherwise.  The
 * temporary file goes with the request (storage_cleanup), so nothing
 * partial is left.
 */
static void
store_failed(struct req *r, struct http_file *f, int err)
{
	log_msg("%s: storage: writing %s: %s", r->id,
	    f->tmp_path ? f->tmp_path : "a temporary file", strerror(err));
	if (err == ENOSPC || err == EDQUOT) {
		f->refuse = 507;
		f->why = "There is no space left to store the file; "
		    "try again later.";
	}
}

static int
mp_start(void *arg, const struct http_part *part)
{
	struct req *r = arg;
	struct http_file *f;

	if (part->filename == NULL)
		return 0;
	if (r->nfiles == MAXFILES)
		return HTTP_PERR_MP_PARTS;
	f = &r->files[r->nfiles++];
	memset(f, 0, sizeof(*f));
	f->fd = -1;
	f->field = part->name;
	f->filename = part->filename;
	if (storage_tmp_open(r, f) == -1) {
		store_failed(r, f, errno);
		return HTTP_PERR_ABORT;
	}
	return 0;
}

static int
mp_data(void *arg, const struct http_part *part, const char *p, size_t n)
{
	struct req *r = arg;
	struct http_file *f;
	size_t off = 0;
	ssize_t w;

	if (part->filename == NULL)
		return 0;
	f = &r->files[r->nfiles - 1];
	if (storage_feed(f, (const unsigned char *)p, n, 0) != 0)
		return HTTP_PERR_ABORT;
	crypto_hash_sha256_update(f->hash, (const unsigned char *)p, n);
	while (off < n) {
		if ((w = write(f->fd, p + off, n - off)) <= 0) {
			if (w == -1 && errno == EINTR)
				continue;
			store_failed(r, f, w == 0 ? ENOSPC : errno);
			return HTTP_PERR_ABORT;
		}
		off += (size_t)w;
	}
	f->size += n;
	return 0;
}

static int
mp_end(void *arg, const struct http_part *part)
{
	struct req *r = arg;
	struct http_file *f;
	unsigned char h[crypto_hash_sha256_BYTES];
	size_t i;

	if (part->filename == NULL)
		return 0;
	f = &r->files[r->nfiles - 1];
	crypto_hash_sha256_final(f->hash, h);
	for (i = 0; i < sizeof(h); i++)
		snprintf(f->sha256 + 2 * i, 3, "%02x", h[i]);
	if (storage_feed(f, NULL, 0, 1) != 0)
		return HTTP_PERR_ABORT;
	if (close(f->fd) == -1) {
		f->fd = -1;
		store_failed(r, f, errno);
		return HTTP_PERR_ABORT;
	}
	f->fd = -1;
	return 0;
}

static int
read_multipart(struct req *r, FCGX_Request *fr, size_t len, const char **why)
{
	struct http_multipart_cb cb = { mp_start, mp_data, mp_end, r, 1 };
	struct http_limits lim;
	struct http_multipart *mp;
	struct http_param *bp;
	size_t nb, got = 0;
	enum http_perr e;
	char *chunk;
	int n;

	memset(&lim, 0, sizeof(lim));
	lim.maxbody = STORAGE_MAXFILE + MAXBODY;
	lim.maxfile = STORAGE_MAXFILE;
	r->files = arena_calloc(r->a, MAXFILES, sizeof(*r->files));
	if ((mp = http_multipart_new(r->a, r->ctype, &lim, &cb, &e)) == NULL)
		goto bad;
	chunk = arena_alloc(r->a, CHUNK);
	while (got < len) {
		n = FCGX_GetStr(chunk, (int)(len - got < CHUNK ? len - got :
		    CHUNK), fr->in);
		if (n <= 0) {
			*why = "the request body ended early";
			return 400;
		}
		got += (size_t)n;
		if ((e = http_multipart_feed(mp, chunk, (size_t)n)) != HTTP_POK)
			goto bad;
	}
	if ((e = http_multipart_finish(mp)) != HTTP_POK)
		goto bad;
	http_multipart_params(mp, &bp, &nb);
	return add_body_params(r, bp, nb, why);
bad:
	if (e == HTTP_PERR_ABORT && r->nfiles > 0 &&
	    r->files[r->nfiles - 1].refuse) {
		*why = r->files[r->nfiles - 1].why;
		return r->files[r->nfiles - 1].refuse;
	}
	*why = e == HTTP_PERR_ABORT ? "the upload could not be stored" :
	    http_perr_str(e);
	return e == HTTP_PERR_ABORT ? 500 : http_perr_status(e);
}

/* Reads and parses the body.  Returns 0, or an HTTP status with *why. */
static int
read_body(struct req *r, FCGX_Request *fr, const char **why)
{
	const char *cl = FCGX_GetParam("CONTENT_LENGTH", fr->envp);
	struct http_param *bp = NULL;
	size_t len, nb = 0, got = 0;
	size_t max = r->route->flags & R_BIGBODY ? 16 * MAXBODY : MAXBODY;
	enum http_perr e;
	char *body;
	int n, multipart = http_mime_is(r->ctype, "multipart/form-data");

	if (multipart && !(r->route->flags & R_UPLOAD)) {
		*why = "File uploads are not accepted at this address.";
		return 415;
	}
	if (multipart)
		max = STORAGE_MAXFILE + MAXBODY;
	if ((e = http_content_length(cl, max, &len)) != HTTP_POK) {
		*why = http_perr_str(e);
		return http_perr_status(e);
	}
	if (len == 0)
		return 0;
	if (multipart)
		return read_multipart(r, fr, len, why);
	body = arena_alloc(r->a, len + 1);
	while (got < len) {
		n = FCGX_GetStr(body + got, (int)(len - got), fr->in);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	if (got != len) {
		*why = "the request body ended early";
		return 400;
	}
	body[len] = '\0';
	if (http_mime_is(r->ctype, "application/x-www-form-urlencoded")) {
		e = http_parse_urlencoded(r->a, body, len, NULL, &bp, &nb);
		if (e != HTTP_POK) {
			*why = http_perr_str(e);
			return http_perr_status(e);
		}
	} else if (http_mime_is(r->ctype, "application/json")) {
		size_t nq = r->nparams;
		struct http_param *q = r->params;

		if (!http_utf8_valid(body, len)) {
			*why = http_perr_str(HTTP_PERR_UTF8);
			return 400;
		}
		r->raw_body = body;
		r->raw_len = len;
		if (r->route->flags & R_RAWJSON)
			return 0;
		if ((n = parse_json(r, body, len, nq, why)) < 0)
			return 400;
		/* Body params first, then the query's. */
		if (nq > 0)
			memcpy(r->params + n, q, nq * sizeof(*q));
		r->nparams = (size_t)n + nq;
		return 0;
	} else {
		*why = "unsupported Content-Type: send a form "
		    "(application/x-www-form-urlencoded) or JSON";
		return 415;
	}
	return add_body_params(r, bp, nb, why);
}

/* ---- the pipeline --------------------------------------------------- */

static void
send_response(struct req *r, FCGX_Request *fr, int status)
{
	struct buf head;
	const char *cc;

	buf_init(&head);
	buf_printf(&head, "Status: %d %s\r\n", status, status_text(status));
	buf_printf(&head, "Content-Type: %s\r\n",
	    r->ctype_out ? r->ctype_out : "text/plain; charset=utf-8");
	buf_printf(&head, "Content-Length: %zu\r\n", r->body->len);
	buf_puts(&head,
	    "Content-Security-Policy: default-src 'self'; img-src 'self' data:; "
	    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'\r\n"
	    "X-Content-Type-Options: nosniff\r\n"
	    "X-Frame-Options: DENY\r\n"
	    "Referrer-Policy: same-origin\r\n");
	/* Anything for a signed-in user, or that sets a cookie, is personal. */
	cc = r->user.id != 0 || strstr(r->hdrs->p ? r->hdrs->p : "",
	    "Set-Cookie") != NULL || r->is_api ? "no-store" : "no-cache";
	buf_printf(&head, "Cache-Control: %s\r\n", cc);
	buf_printf(&head, "X-Request-Id: %s\r\n", r->id);
	if (r->hdrs->len)
		buf_put(&head, r->hdrs->p, r->hdrs->len);
	buf_puts(&head, "\r\n");
	FCGX_PutStr(head.p, (int)head.len, fr->out);
	if (strcmp(r->method, "HEAD") != 0 && r->body->len > 0)
		FCGX_PutStr(r->body->p, (int)r->body->len, fr->out);
	buf_free(&head);
}

/* PostgreSQL does not answer: a connection attempt fails at once (db.h),
 * so this comes fast; http_error gives the reason and a Retry-After. */
static int
db_unavailable(struct req *r)
{
	return http_error(r, 503, NULL);
}

/* POST and PUT carry a body and change state (CSRF checked). */
static int
has_body(const struct req *r)
{
	return strcmp(r->method, "POST") == 0 || strcmp(r->method, "PUT") == 0;
}

/* The Allow header of a 405: what the routes for this path accept. */
static const char *
allow_header(struct req *r)
{
	int m = http_route_allowed(page_routes, page_nroutes, r->path);

	return arena_printf(r->a, "%s%s%s", m & M_GET ? "GET, HEAD" : "",
	    m & M_POST ? (m & M_GET ? ", POST" : "POST") : "",
	    m & M_PUT ? (m & (M_GET | M_POST) ? ", PUT" : "PUT") : "");
}

static int
run(struct req *r, FCGX_Request *fr)
{
	const char *why = NULL;
	enum http_perr e;
	int status;

	r->method = FCGX_GetParam("REQUEST_METHOD", fr->envp);
	r->path = FCGX_GetParam("DOCUMENT_URI", fr->envp);
	if (r->path == NULL)
		r->path = FCGX_GetParam("SCRIPT_NAME", fr->envp);
	r->query = FCGX_GetParam("QUERY_STRING", fr->envp);
	r->remote_addr = FCGX_GetParam("REMOTE_ADDR", fr->envp);
	r->ctype = FCGX_GetParam("CONTENT_TYPE", fr->envp);
	r->https = FCGX_GetParam("HTTPS", fr->envp) != NULL;
	r->authz = FCGX_GetParam("HTTP_AUTHORIZATION", fr->envp);
	r->csrf_hdr = FCGX_GetParam("HTTP_X_CSRF_TOKEN", fr->envp);
	if (r->method == NULL || r->path == NULL)
		return http_error(r, 400, "malformed request");
	if (r->remote_addr == NULL)
		r->remote_addr = "";
	r->is_api = strncmp(r->path, "/api/", 5) == 0;
	if (!http_utf8_valid(r->path, strlen(r->path)))
		return http_error(r, 400, http_perr_str(HTTP_PERR_UTF8));

	r->ncookies = http_parse_cookies(r->a,
	    FCGX_GetParam("HTTP_COOKIE", fr->envp), NULL, &r->cookies);
	if (r->query != NULL && *r->query != '\0') {
		e = http_parse_urlencoded(r->a, r->query, strlen(r->query),
		    NULL, &r->params, &r->nparams);
		if (e != HTTP_POK)
			return http_error(r, http_perr_status(e),
			    http_perr_str(e));
	}

	r->route = http_route_match(page_routes, page_nroutes,
	    strcmp(r->method, "HEAD") == 0 ? "GET" : r->method, r->path,
	    r->pathid, &status);
	if (r->route == NULL) {
		if (status == 405)
			http_header(r, "Allow", allow_header(r));
		/* Identify anyway, so the error page shows the right nav. */
		auth_identify(r);
		return http_error(r, status, status == 405 ?
		    "This address does not accept that method." :
		    "There is no page at this address.");
	}
	if (has_body(r) && (status = read_body(r, fr, &why)) != 0)
		return http_error(r, status, why);

	if ((status = auth_identify(r)) != 0) {
		if (status == 503)
			return db_unavailable(r);
		return http_error(r, status, "Your session token is invalid "
		    "or has expired; sign in again.");
	}
	if (r->route->role != ROLE_NONE) {
		if (r->user.id == 0) {
			if (!r->is_api && strcmp(r->method, "GET") == 0)
				return http_redirect(r, arena_printf(r->a,
				    "/login?next=%s", r->path));
			return http_error(r, 401, "Sign in to continue.");
		}
		if (r->user.role < r->route->role)
			return http_error(r, 403,
			    "Your account does not have access to this page.");
	}
	/* Signed-in pages carry the sign-out form; anonymous forms ask for
	 * their token (and its pre-session cookie) themselves. */
	if (r->user.id != 0)
		r->csrf = auth_csrf_token(r);
	if ((r->route->flags & R_CSRF) && has_body(r) &&
	    !auth_csrf_check(r))
		return http_error(r, 403, "The form has expired or did not "
		    "come from this site (missing or wrong CSRF token). "
		    "Reload the page and try again.");
	if (r->route->nfields > 0)
		http_validate(r->a, r->route->fields, r->route->nfields,
		    r->params, r->nparams, &r->form);
	status = r->route->fn(r);
	/* Handlers answer 503 for DB_RETRY (PostgreSQL down or restarting):
	 * say so, and when to come back. */
	if (status == 503 && r->body->len == 0)
		return db_unavailable(r);
	if (status >= 500 && r->body->len == 0)
		return http_error(r, status, "Something went wrong on our "
		    "side; it has been logged.");
	return status;
}

/*
 * A request id: unique in the logs, not a secret.  Each thread draws a
 * random start once and steps a SplitMix64 sequence from it, instead of a
 * getrandom() system call and eight snprintf() calls per request.
 */
static void
request_id(char id[17])
{
	static _Thread_local uint64_t state;
	static const char hex[] = "0123456789abcdef";
	uint64_t z;
	int i;

	if (state == 0)
		randombytes_buf(&state, sizeof(state));
	z = (state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	for (i = 15; i >= 0; i--, z >>= 4)
		id[i] = hex[z & 0xf];
	id[16] = '\0';
}

void
http_serve(struct req *r, void *fcgx)
{
	FCGX_Request *fr = fcgx;
	struct timespec t0, t1;
	unsigned long nexec = r->db != NULL ? r->db->nexec : 0;
	long long usec;
	size_t route;
	int status;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	request_id(r->id);
	r->now = (int64_t)time(NULL);
	if (r->listen != NULL)
		listen_begin(r->listen);
	r->fcgi = fr;
	status = run(r, fr);
	if (status >= 500 && r->body->len == 0)
		status = http_error(r, status, "Something went wrong.");
	/* What this request changed holds for the next one, whichever
	 * worker takes it: published before the answer goes out. */
	if (r->authc != NULL && r->db != NULL)
		auth_cache_publish(r->authc, r->db);
	storage_cleanup(r);
	send_response(r, fr, status);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	usec = (long long)(t1.tv_sec - t0.tv_sec) * 1000000 +
	    (t1.tv_nsec - t0.tv_nsec) / 1000;
	if (r->route == NULL || !(r->route->flags & R_NOLOG))
		log_request(r->id, r->method ? r->method : "-",
		    r->path ? r->path : "-", status, usec);
	/* Counted by route pattern: bounded labels, whatever the path. */
	route = r->route != NULL && r->route >= page_routes &&
	    r->route < page_routes + page_nroutes ?
	    (size_t)(r->route - page_routes) : page_nroutes;
	metrics_observe(route, r->method, status, usec);
	if (r->db != NULL)
		metrics_db_statements(route, r->db->nexec - nexec);
}
