/*
 * listen: the PostgreSQL notifications one FastCGI thread follows on its
 * own connection, for the per-thread caches they keep true (the session
 * cache, auth_cache.h; the catalog's pages, src/pages/catalog.c).
 *
 * Each follower names a channel, the prepared statement that LISTENs on
 * it, what to do with a payload and how to forget everything.  A new
 * connection has heard nothing of what changed before it: every follower
 * forgets, and every channel is listened to again, before the request's
 * first other statement.  Notifications are read without waiting when a
 * request starts (listen_sync) and applied again after the handler
 * (listen_drain), which catches the connection's own: PostgreSQL hands a
 * session its own notifications before its commit returns, and a follower
 * is told which ones are its connection's (to publish them host-wide).
 */
#ifndef ADEPT_LISTEN_H
#define ADEPT_LISTEN_H

#include <stdatomic.h>
#include <stdint.h>

#include "db/db.h"

#define LISTEN_MAX	4	/* followers per thread */

struct listen_follower {
	const char	*channel;
	enum stmt	 stmt;		/* LISTEN <channel> */
	/* A notification on the channel; own: this connection sent it. */
	void		(*apply)(void *arg, const char *payload, int own);
	/* The connection is new (or LISTEN failed): drop everything. */
	void		(*forget)(void *arg);
	void		*arg;
};

struct listen {
	struct listen_follower	 f[LISTEN_MAX];
	int			 n;
	unsigned		 listening;	/* db->nconnect LISTEN ran on */
	int			 synced;	/* this request: 0 not yet, 1
						 * done, -1 failed */
};

void	listen_init(struct listen *);
/* Adds a follower (its channel is listened to at the next sync, when
 * every follower forgets once).  0, or -1 when the table is full. */
int	listen_add(struct listen *, const struct listen_follower *);
/* A request starts: the next listen_sync reads the socket again. */
void	listen_begin(struct listen *);
/*
 * Before a request uses what a follower keeps: LISTEN on a new connection
 * (after every follower forgot), then the notifications received, read
 * without waiting; once per request (listen_begin), whoever asks first.
 * 0, or -1 when the caches must not be used for this request (the
 * database does not answer).
 */
int	listen_sync(struct listen *, struct db *);
/* Applies the notifications already read, without reading the socket. */
void	listen_drain(struct listen *, struct db *);
/*
 * A counter shared by all the workers of the host, starting at 0, through
 * which a follower passes on what one thread heard (its connection's own
 * changes, say) to the threads that have not heard it yet.  Mapped by the
 * supervisor before it forks the workers; NULL when that fails.
 */
_Atomic uint64_t *listen_host_value(void);

#endif
