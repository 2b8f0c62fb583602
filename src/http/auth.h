/*
 * auth: who is asking, and sessions.
 *
 * A session is a refresh-token family in PostgreSQL.  The browser holds an
 * access token (JWT HS256, 30 minutes, cookie "adept_at") and a refresh
 * token (random, stored hashed, 7 days, cookie "adept_rt", path-limited).
 * An expired access token is renewed from the refresh token, which rotates;
 * presenting an already-rotated refresh token revokes the whole family.
 * Every request re-checks the user and the family, so sign-out, password
 * change and deactivation take effect at once: through the worker thread's
 * session cache (auth_cache.h, which also keeps the unread count the page
 * header shows), else in one indexed query that fills it.  API
 * clients send the access token as "Authorization: Bearer" and need no CSRF
 * token; cookie-authenticated state changes always do.
 */
#ifndef ADEPT_AUTH_H
#define ADEPT_AUTH_H

#include <stdint.h>

struct config;
struct req;

#define AUTH_COOKIE_ACCESS	"adept_at"
#define AUTH_COOKIE_REFRESH	"adept_rt"
#define AUTH_REFRESH_TTL	(7 * 24 * 3600)

struct auth_tokens {
	char	access[4097];
	char	refresh[64];
	int64_t	expires_in;
};

/* Derives the JWT and CSRF keys from the site secret.  Once, before
 * threads start. */
void		 auth_init(const struct config *);
/* Sets r->user from a Bearer token or the session cookies (refreshing
 * them when the access token has expired).  Returns 0 (anonymous is not an
 * error), 401 for a bad Bearer token, 503 when the database is down. */
int		 auth_identify(struct req *);
/* The signed-in user's unread notifications as the session cache knows
 * them (after applying what this request changed), or -1 when it does not:
 * then ask the database. */
long		 auth_unread(struct req *);
/* The CSRF token for forms on this response (sets the pre-session cookie
 * for anonymous visitors when needed). */
const char	*auth_csrf_token(struct req *);
/* 1 if the request carries a valid CSRF token (field "csrf" or header
 * X-CSRF-Token) or needs none (Bearer-authenticated). */
int		 auth_csrf_check(struct req *);
/* Starts a session for a user who has just proved who they are: issues
 * tokens and, unless api, sets the cookies.  0, or an HTTP status. */
int		 auth_session_start(struct req *, int64_t uid, const char *role,
		    const char *name, const char *email, int api,
		    struct auth_tokens *out);
/* Rotates a refresh token (the API's /auth/refresh).  0, 401 (unknown,
 * expired, revoked, or reused: then the family is revoked), or 503. */
int		 auth_refresh(struct req *, const char *refresh, int api,
		    struct auth_tokens *out);
/* Ends the current session (revokes its family, clears cookies). */
void		 auth_session_end(struct req *);
/* Checks the sign-in throttles for this e-mail and address: 0, or the
 * seconds to wait. */
int64_t		 auth_throttle_wait(struct req *, const char *email);
void		 auth_throttle_fail(struct req *, const char *email);
void		 auth_throttle_ok(struct req *, const char *email);

#endif
