/*
 * listen: see listen.h.  A notification goes to the followers of its
 * channel; one on a channel nobody follows is dropped.
 */
#include <string.h>
#include <sys/mman.h>

#include "http/listen.h"

void
listen_init(struct listen *l)
{
	memset(l, 0, sizeof(*l));
}

int
listen_add(struct listen *l, const struct listen_follower *f)
{
	if (l->n == LISTEN_MAX)
		return -1;
	l->f[l->n++] = *f;
	l->listening = 0;
	return 0;
}

static void
forget_all(struct listen *l)
{
	int i;

	for (i = 0; i < l->n; i++)
		l->f[i].forget(l->f[i].arg);
}

void
listen_drain(struct listen *l, struct db *d)
{
	PGnotify *nf;
	int self, i;

	if (d->conn == NULL)
		return;
	self = PQbackendPID(d->conn);
	while ((nf = PQnotifies(d->conn)) != NULL) {
		for (i = 0; i < l->n; i++)
			if (strcmp(nf->relname, l->f[i].channel) == 0)
				l->f[i].apply(l->f[i].arg, nf->extra,
				    nf->be_pid == self);
		PQfreemem(nf);
	}
}

void
listen_begin(struct listen *l)
{
	l->synced = 0;
}

static int
sync_once(struct listen *l, struct db *d)
{
	unsigned at = 0;
	int i;

	if (d->conn == NULL || l->listening != d->nconnect) {
		/* Listen first, so that whatever commits after the next
		 * query's snapshot is announced. */
		forget_all(l);
		l->listening = 0;
		for (i = 0; i < l->n; i++) {
			if (db_exec(d, l->f[i].stmt, 0, NULL) < 0)
				return -1;
			/* Reconnected half-way: the first LISTENs are
			 * gone; all of them again at the next sync. */
			if (i > 0 && d->nconnect != at)
				return -1;
			at = d->nconnect;
		}
		l->listening = d->nconnect;
	}
	/* Reads what has arrived, never waits.  Twice: libpq returns once it
	 * got some bytes, so a server that sent its last words (PostgreSQL
	 * shutting down) and closed shows the close only at the next read,
	 * and the caches must not answer for a database that is gone. */
	if (PQconsumeInput(d->conn) == 0 || PQconsumeInput(d->conn) == 0 ||
	    PQstatus(d->conn) != CONNECTION_OK)
		return -1;
	listen_drain(l, d);
	return 0;
}

int
listen_sync(struct listen *l, struct db *d)
{
	if (l->synced == 0)
		l->synced = sync_once(l, d) == 0 ? 1 : -1;
	return l->synced == 1 ? 0 : -1;
}

_Atomic uint64_t *
listen_host_value(void)
{
	_Atomic uint64_t *v;

	v = mmap(NULL, sizeof(*v), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (v == MAP_FAILED)
		return NULL;
	atomic_init(v, 0);
	return v;
}
