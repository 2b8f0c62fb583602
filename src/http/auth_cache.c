/*
 * auth_cache: see auth_cache.h.  Forgetting everything is one increment
 * (entries of an older generation are empty), so a move of the host counter
 * costs a thread nothing but refills; a notification drops the entries it
 * names by a scan of the slots, which only changes pay.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "base/token.h"
#include "db/db.h"
#include "http/auth_cache.h"
#include "http/listen.h"

#define CHANNEL	"adept_auth"

static void	follow_apply(void *, const char *, int);
static void	follow_forget(void *);

/* Changes committed by this host's workers, counted (shared memory). */
static _Atomic uint64_t *host_epoch;

int
auth_cache_shared_init(void)
{
	if (host_epoch == NULL)
		host_epoch = listen_host_value();
	return host_epoch != NULL ? 0 : -1;
}

int
auth_cache_init(struct auth_cache *c, struct listen *ln)
{
	struct listen_follower f = {
		CHANNEL, STMT_AUTH_LISTEN, follow_apply, follow_forget, c
	};

	memset(c, 0, sizeof(*c));
	c->ln = ln;
	if (listen_add(ln, &f) == -1)
		return -1;
	/* calloc: pages are touched only as slots fill. */
	if ((c->slot = calloc(AUTH_CACHE_SLOTS, sizeof(*c->slot))) == NULL)
		return -1;
	c->gen = 1;
	token_sodium_init();
	randombytes_buf(c->hkey, sizeof(c->hkey));
	return 0;
}

void
auth_cache_free(struct auth_cache *c)
{
	/* Not wiped: the thread ends with its worker, and wiping would
	 * touch every page the cache never used. */
	free(c->slot);
	c->slot = NULL;
}

static void
forget_all(struct auth_cache *c)
{
	c->gen++;
}

/* Drops the entries a payload names: "u:<id>", "n:<id>" or "s:<family>".
 * Anything else (a payload a newer schema sends) drops everything. */
static void
apply(struct auth_cache *c, const char *payload)
{
	struct auth_cache_entry *e;
	int64_t id = 0;
	char *end;
	size_t i;

	if ((payload[0] == 'u' || payload[0] == 'n') && payload[1] == ':') {
		id = strtoll(payload + 2, &end, 10);
		if (*end != '\0' || id <= 0) {
			forget_all(c);
			return;
		}
		for (i = 0; i < AUTH_CACHE_SLOTS; i++) {
			e = &c->slot[i];
			if (e->gen == c->gen && e->uid == id)
				e->gen = 0;
		}
	} else if (payload[0] == 's' && payload[1] == ':') {
		for (i = 0; i < AUTH_CACHE_SLOTS; i++) {
			e = &c->slot[i];
			if (e->gen == c->gen &&
			    strcmp(e->claims.sid, payload + 2) == 0)
				e->gen = 0;
		}
	} else
		forget_all(c);
}

/* listen.h's follower: a notification on adept_auth. */
static void
follow_apply(void *arg, const char *payload, int own)
{
	struct auth_cache *c = arg;

	apply(c, payload);
	if (own)
		c->caused = 1;
}

static void
follow_forget(void *arg)
{
	forget_all(arg);
}

void
auth_cache_drain(struct auth_cache *c, struct db *d)
{
	listen_drain(c->ln, d);
}

void
auth_cache_publish(struct auth_cache *c, struct db *d)
{
	uint64_t e;

	auth_cache_drain(c, d);
	if (!c->caused)
		return;
	c->caused = 0;
	if (host_epoch == NULL)
		return;
	e = atomic_fetch_add(host_epoch, 1) + 1;
	/* Nobody else moved it since we looked: what we changed is already
	 * applied here, so there is nothing to forget. */
	if (e == c->epoch + 1)
		c->epoch = e;
}

int
auth_cache_sync(struct auth_cache *c, struct db *d)
{
	uint64_t e;

	if (c->slot == NULL)
		return -1;
	/* (A new connection makes everything forgotten first.) */
	if (listen_sync(c->ln, d) == -1)
		return -1;
	if (host_epoch != NULL &&
	    (e = atomic_load(host_epoch)) != c->epoch) {
		forget_all(c);
		c->epoch = e;
	}
	return 0;
}

/* The slot token maps to, its length in *len; NULL when the cache has no
 * slots or the token is too long to keep. */
static struct auth_cache_entry *
slot_for(struct auth_cache *c, const char *token, size_t *len)
{
	unsigned char h[crypto_shorthash_BYTES];
	uint64_t v;

	if (c->slot == NULL)
		return NULL;
	*len = strnlen(token, AUTH_CACHE_TOKEN_MAX);
	if (*len == AUTH_CACHE_TOKEN_MAX)
		return NULL;
	crypto_shorthash(h, (const unsigned char *)token, *len, c->hkey);
	memcpy(&v, h, sizeof(v));
	return &c->slot[v % AUTH_CACHE_SLOTS];
}

const struct auth_cache_entry *
auth_cache_get(struct auth_cache *c, const char *token, int64_t now)
{
	const struct auth_cache_entry *e;
	size_t len;

	if ((e = slot_for(c, token, &len)) == NULL)
		return NULL;
	if (e->gen != c->gen || e->toklen != len ||
	    sodium_memcmp(e->token, token, len) != 0)
		return NULL;
	if (now < e->filled || now - e->filled >= AUTH_CACHE_TTL ||
	    http_jwt_check_time(&e->claims, now) != HTTP_JWT_OK)
		return NULL;
	return e;
}

struct auth_cache_entry *
auth_cache_put(struct auth_cache *c, const char *token, int64_t now)
{
	struct auth_cache_entry *e;
	size_t len;

	if ((e = slot_for(c, token, &len)) == NULL)
		return NULL;
	memset(e, 0, sizeof(*e));
	e->gen = c->gen;
	e->filled = now;
	e->toklen = len;
	memcpy(e->token, token, len);
	return e;
}

int
auth_cache_valid(const struct auth_cache *c, const struct auth_cache_entry *e)
{
	return e != NULL && e->gen == c->gen;
}
