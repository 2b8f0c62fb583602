/*
 * server: one request's life in a worker, and what handlers may use.
 *
 * A worker thread accepts a FastCGI request, resets its arena, parses the
 * request into struct req, finds the route in the one table
 * (src/pages/routes.c), authenticates, checks role and CSRF, validates the
 * route's declared fields, and only then calls the handler.  The handler
 * returns an HTTP status and has put its output in req->body (via
 * http_page, http_json_*, http_redirect); nothing reaches the socket until
 * the handler has returned, so a failure is a clean error page, never half
 * a page.
 */
#ifndef ADEPT_SERVER_H
#define ADEPT_SERVER_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "http/field.h"
#include "http/parse.h"
#include "http/tmpl.h"

struct arena;
struct auth_cache;
struct listen;
struct auth_cache_entry;
struct config;
struct http_file;
struct db;
struct view;
struct req;

enum role {
	ROLE_NONE = 0,		/* anyone, signed in or not */
	ROLE_LEARNER,		/* any signed-in user */
	ROLE_INSTRUCTOR,	/* instructors and admins */
	ROLE_ADMIN,
};

enum method {
	M_GET = 1,
	M_POST = 2,
	M_PUT = 4,
};

/* Route flags. */
#define R_CSRF	0x01	/* state-changing: needs a valid CSRF token */
#define R_JSON	0x02	/* an /api/ route: JSON in and out */
#define R_NOLOG	0x04	/* keep out of the access log (health checks) */
#define R_UPLOAD 0x08	/* accepts multipart/form-data with files */
#define R_RAWJSON 0x10	/* JSON body left to the handler (r->raw_body) */
#define R_BIGBODY 0x20	/* body up to 16 MiB instead of 1 MiB (event batches) */

struct route {
	int			 methods;	/* M_GET | M_POST | M_PUT */
	const char		*pattern;	/* "/courses/{id}": {id} = int64 */
	enum role		 role;
	int			 flags;
	const struct http_field	*fields;	/* validated before fn runs */
	size_t			 nfields;
	int			(*fn)(struct req *);
};

struct user {
	int64_t		 id;
	enum role	 role;
	const char	*role_name;
	const char	*name;
	const char	*email;
	const char	*sid;		/* session family (CSRF binding) */
	int		 bearer;	/* authenticated by Authorization */
	/* From the session cache (auth_cache.h), when it answered or was
	 * filled: the unread count and the CSRF form token it keeps. */
	const struct auth_cache_entry *cached;
};

struct req {
	struct arena		*a;
	struct db		*db;
	struct auth_cache	*authc;		/* the thread's; may be NULL */
	struct listen		*listen;	/* its notifications (listen.h);
						 * may be NULL */
	const struct config	*cfg;
	void			*fcgi;		/* FCGX_Request */
	char			 id[17];	/* request id, hex */
	int64_t			 now;		/* Unix seconds at start */
	const char		*method;
	const char		*path;
	const char		*query;
	const char		*remote_addr;
	const char		*ctype;
	const char		*authz;		/* Authorization header */
	const char		*csrf_hdr;	/* X-CSRF-Token header */
	int			 https;
	int			 is_api;
	const struct route	*route;
	int64_t			 pathid[4];	/* {id} segments, in order */
	struct http_param	*params;	/* query, then body */
	size_t			 nparams;
	struct http_param	*cookies;
	size_t			 ncookies;
	struct http_file	*files;		/* uploads (R_UPLOAD routes) */
	const char		*raw_body;	/* JSON body, NUL-terminated */
	size_t			 raw_len;
	size_t			 nfiles;
	struct http_form	 form;		/* route's fields, validated */
	struct user		 user;		/* id 0: anonymous */
	const char		*csrf;		/* token for forms on this page */
	const char		*flash;		/* one-line notice for the page */
	/* Response. */
	int			 status;
	const char		*ctype_out;
	struct buf		*hdrs;		/* extra header lines */
	struct buf		*body;
};

/* Handler helpers.  Each returns the status to return from the handler. */
int	http_page(struct req *, enum tmpl, struct view *, const char *title);
/* The same, marking a navigation link as current (enum tmpl_nav). */
int	http_page_nav(struct req *, enum tmpl, struct view *,
	    const char *title, int nav);
/* The same around a page already rendered (html, len bytes). */
int	http_page_html(struct req *, const char *html, size_t len,
	    const char *title, int nav);
int	http_redirect(struct req *, const char *location);
int	http_error(struct req *, int status, const char *message);
/* JSON: the handler writes an object into req->body with json_* below. */
int	http_json(struct req *, int status);
void	http_header(struct req *, const char *name, const char *value);
void	http_cookie(struct req *, const char *name, const char *value,
	    long max_age);
const char *http_param(const struct req *, const char *name);

/* A JSON object writer into req->body: json_begin(r) ... json_end(r). */
void	json_begin(struct req *);
void	json_str(struct req *, const char *key, const char *value);
void	json_i64(struct req *, const char *key, int64_t);
void	json_dbl(struct req *, const char *key, double);
void	json_bool(struct req *, const char *key, int);
void	json_raw(struct req *, const char *key, const char *json);
void	json_end(struct req *);
/* Nesting: "key":[ ... ] and {...} (key NULL for an array element) or
 * "key":{...}; commas are placed for you. */
void	json_arr_begin(struct req *, const char *key);
void	json_arr_end(struct req *);
void	json_obj_begin(struct req *, const char *key);
void	json_obj_end(struct req *);

/* The route table, in src/pages/routes.c. */
extern const struct route	page_routes[];
extern const size_t		page_nroutes;

/* Matches method and path; returns the route, or NULL with *status set to
 * 404 or 405.  Fills pathid[]. */
const struct route *http_route_match(const struct route *, size_t n,
	    const char *method, const char *path, int64_t pathid[4],
	    int *status);
/* The methods (M_* bits) the routes matching path accept: for the Allow
 * header of a 405. */
int	http_route_allowed(const struct route *, size_t n, const char *path);

/* Process-wide set-up for workers (templates are parsed by the caller). */
struct server_ctx {
	const struct config	*cfg;
};
/* Runs one request to completion on an accepted FCGX_Request. */
void	http_serve(struct req *, void *fcgx_request);
const char *role_name(enum role);
enum role role_parse(const char *);

#endif
