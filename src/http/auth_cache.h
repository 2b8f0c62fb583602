/*
 * auth_cache: what a FastCGI thread remembers between requests about the
 * signed-in users it served, so that a request with a known access token
 * pays neither the token checks nor the identity query (user_session_get).
 *
 * Key: the access token, byte for byte (compared in constant time).  A
 * token that passed every check of http_jwt_verify once (structure, header,
 * HMAC, payload, libjwt's agreement) passes them again: they depend only on
 * its bytes and the key, which a worker never changes.  The time claims are
 * checked again at each use (http_jwt_check_time).  Value: the claims, the
 * answer of user_session_get (user, role, unread notifications) and the
 * session's CSRF form token.  Refusals are never kept.
 *
 * Freshness: migration 031's triggers announce on the channel adept_auth
 * every change that answer depends on (user renamed, role changed,
 * deactivated or deleted, password changed; session revoked; notifications
 * added or read), whoever makes it, and each thread LISTENs on its own
 * connection.
 *  - A change made by this host's FastCGI workers holds from the very next
 *    request, whichever thread takes it: the connection that committed it
 *    gets its own notification back before the commit returns, and its
 *    thread bumps a counter shared by all the workers (auth_cache_publish,
 *    before the response is sent); every thread looks at the counter when a
 *    request starts and forgets everything when it moved.
 *  - A change made elsewhere (the adept command, the background worker,
 *    another app host, psql) holds once PostgreSQL has delivered the
 *    notification to the thread's connection, read without waiting when a
 *    request starts: normally well under a millisecond after the commit.
 *  - Whatever happens, an entry is used for at most AUTH_CACHE_TTL seconds
 *    before the database is asked again, and a thread whose connection is
 *    new (PostgreSQL restarted) starts empty.
 */
#ifndef ADEPT_AUTH_CACHE_H
#define ADEPT_AUTH_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "http/csrf.h"
#include "http/jwt.h"

struct db;
struct listen;

#define AUTH_CACHE_TTL		5	/* seconds an entry is trusted */
#define AUTH_CACHE_SLOTS	1024	/* per thread, direct-mapped */
#define AUTH_CACHE_TOKEN_MAX	512	/* longer tokens are not kept */

struct auth_cache_entry {
	uint64_t		 gen;		/* == cache's gen: in use */
	int64_t			 filled;	/* Unix seconds */
	size_t			 toklen;
	char			 token[AUTH_CACHE_TOKEN_MAX];
	struct http_jwt_claims	 claims;
	int64_t			 uid;
	long			 unread;
	char			 name[404];	/* full_name: 100 characters */
	char			 email[256];
	char			 role[16];
	char			 csrf[HTTP_CSRF_TOKEN_LEN + 1];
};

struct auth_cache {
	struct auth_cache_entry	*slot;		/* AUTH_CACHE_SLOTS */
	uint64_t		 gen;		/* bumped to forget all */
	unsigned char		 hkey[16];	/* slot hash key (SipHash) */
	struct listen		*ln;		/* the thread's notifications */
	uint64_t		 epoch;		/* host counter last seen */
	int			 caused;	/* own change not yet published */
};

/* Maps the counter all workers share.  Once, in the supervisor, before it
 * forks them; without it each thread still follows its notifications.
 * 0, or -1. */
int	auth_cache_shared_init(void);
/* A thread's cache, following adept_auth on the thread's ln (listen.h;
 * the slots are allocated here: -1 when out of memory), and its end. */
int	auth_cache_init(struct auth_cache *, struct listen *ln);
void	auth_cache_free(struct auth_cache *);
/*
 * Before a request looks anything up: LISTEN on a new connection (starting
 * empty), the notifications received (listen_sync), the host counter.  0,
 * or -1 when the cache must not be used for this request (the database
 * does not answer).
 */
int	auth_cache_sync(struct auth_cache *, struct db *);
/* The entry for token if it is kept, fresh and its time claims hold at
 * now; else NULL. */
const struct auth_cache_entry *auth_cache_get(struct auth_cache *,
	    const char *token, int64_t now);
/* The slot to fill for token (gen, filled, token set; the caller fills the
 * rest), or NULL when the token is too long to keep. */
struct auth_cache_entry *auth_cache_put(struct auth_cache *,
	    const char *token, int64_t now);
/* 1 if e is still in use (no notification this request dropped it). */
int	auth_cache_valid(const struct auth_cache *,
	    const struct auth_cache_entry *);
/*
 * Applies the notifications this request's statements brought back
 * (without reading the socket), and when one of them reports a change this
 * connection committed, bumps the host counter.  After the handler, before
 * the response goes out; also before a value is used mid-request.
 */
void	auth_cache_publish(struct auth_cache *, struct db *);
/* Applies what received notifications say, without publishing. */
void	auth_cache_drain(struct auth_cache *, struct db *);

#endif
