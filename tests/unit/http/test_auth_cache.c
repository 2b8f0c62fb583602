/*
 * auth_cache: entries answer only for the exact token, within the TTL and
 * the token's own time claims; notifications drop what they name; a change
 * this connection committed moves the host counter, and another thread's
 * cache forgets everything at its next sync; a new connection LISTENs again
 * and starts empty.  libpq and db_exec are replaced at the link seam.
 */
// LDFLAGS: -Wl,--wrap=db_exec -Wl,--wrap=PQnotifies -Wl,--wrap=PQfreemem -Wl,--wrap=PQbackendPID -Wl,--wrap=PQconsumeInput
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "http/auth_cache.h"
#include "http/listen.h"

#define NOW	1800000000
#define SELF	100		/* this connection's backend */

/* ---- the seams ------------------------------------------------------- */

static int listens;
static PGnotify *queue[8];
static int nqueue;

int
__wrap_db_exec(struct db *d, enum stmt s, int n, const char *const *p)
{
	assert_int_equal(s, STMT_AUTH_LISTEN);
	listens++;
	return 0;
}

int
__wrap_PQbackendPID(const PGconn *c)
{
	return SELF;
}

int
__wrap_PQconsumeInput(PGconn *c)
{
	return 1;
}

PGnotify *
__wrap_PQnotifies(PGconn *c)
{
	PGnotify *n;

	if (nqueue == 0)
		return NULL;
	n = queue[0];
	memmove(queue, queue + 1, --nqueue * sizeof(queue[0]));
	return n;
}

void
__wrap_PQfreemem(void *p)
{
	free(p);
}

/* Queues a notification on channel adept_auth from backend pid. */
static void
notify(const char *payload, int pid)
{
	size_t len = strlen(payload) + 1;
	PGnotify *n = calloc(1, sizeof(*n) + len + sizeof("adept_auth"));

	n->extra = (char *)(n + 1);
	memcpy(n->extra, payload, len);
	n->relname = n->extra + len;
	strcpy(n->relname, "adept_auth");
	n->be_pid = pid;
	queue[nqueue++] = n;
}

/* ---- helpers ----------------------------------------------------------- */

static struct db db;

/* A request starts on the thread of c: its cache syncs (listen.h reads
 * the connection once a request). */
static int
start(struct auth_cache *c)
{
	listen_begin(c->ln);
	return auth_cache_sync(c, &db);
}

/* Keeps token for user uid in session sid, valid for an hour. */
static void
keep(struct auth_cache *c, const char *token, int64_t uid, const char *sid)
{
	struct auth_cache_entry *e = auth_cache_put(c, token, NOW);

	assert_non_null(e);
	e->uid = uid;
	e->claims.sub = uid;
	snprintf(e->claims.sid, sizeof(e->claims.sid), "%s", sid);
	e->claims.iat = e->claims.nbf = NOW - 60;
	e->claims.exp = NOW + 3600;
}

static int
setup(void **state)
{
	static struct auth_cache c;
	static struct listen ln;

	memset(&db, 0, sizeof(db));
	db.conn = (PGconn *)&db;	/* never dereferenced: libpq is wrapped */
	db.nconnect = 1;
	listens = 0;
	nqueue = 0;
	listen_init(&ln);
	assert_int_equal(auth_cache_init(&c, &ln), 0);
	assert_int_equal(start(&c), 0);
	*state = &c;
	return 0;
}

static int
teardown(void **state)
{
	auth_cache_free(*state);
	while (nqueue > 0)
		free(__wrap_PQnotifies(NULL));
	return 0;
}

/* ---- tests ------------------------------------------------------------- */

static void
exact_token_within_bounds(void **state)
{
	struct auth_cache *c = *state;
	const struct auth_cache_entry *e;

	keep(c, "aaaa.bbbb.cccc", 7, "fam1");
	e = auth_cache_get(c, "aaaa.bbbb.cccc", NOW + 1);
	assert_non_null(e);
	assert_int_equal(e->uid, 7);
	assert_null(auth_cache_get(c, "aaaa.bbbb.cccd", NOW + 1));
	assert_null(auth_cache_get(c, "aaaa.bbbb.ccc", NOW + 1));
	/* The TTL, and a clock that went back. */
	assert_non_null(auth_cache_get(c, "aaaa.bbbb.cccc",
	    NOW + AUTH_CACHE_TTL - 1));
	assert_null(auth_cache_get(c, "aaaa.bbbb.cccc", NOW + AUTH_CACHE_TTL));
	assert_null(auth_cache_get(c, "aaaa.bbbb.cccc", NOW - 1));
}

static void
token_time_claims_still_apply(void **state)
{
	struct auth_cache *c = *state;
	struct auth_cache_entry *e;

	keep(c, "tok.exp.soon", 7, "fam1");
	e = (struct auth_cache_entry *)auth_cache_get(c, "tok.exp.soon", NOW);
	assert_non_null(e);
	e->claims.exp = NOW + 1 - HTTP_JWT_LEEWAY;	/* expired at NOW + 1 */
	assert_non_null(auth_cache_get(c, "tok.exp.soon", NOW));
	assert_null(auth_cache_get(c, "tok.exp.soon", NOW + 1));
}

static void
too_long_is_not_kept(void **state)
{
	struct auth_cache *c = *state;
	char tok[AUTH_CACHE_TOKEN_MAX + 1];

	memset(tok, 'a', sizeof(tok) - 1);
	tok[sizeof(tok) - 1] = '\0';
	assert_null(auth_cache_put(c, tok, NOW));
	assert_null(auth_cache_get(c, tok, NOW));
}

static void
notifications_drop_what_they_name(void **state)
{
	struct auth_cache *c = *state;

	keep(c, "t1", 7, "famA");
	keep(c, "t2", 7, "famB");
	keep(c, "t3", 8, "famC");
	keep(c, "t4", 9, "famD");
	notify("s:famA", 555);
	auth_cache_drain(c, &db);
	assert_null(auth_cache_get(c, "t1", NOW));
	assert_non_null(auth_cache_get(c, "t2", NOW));
	notify("u:7", 555);
	auth_cache_drain(c, &db);
	assert_null(auth_cache_get(c, "t2", NOW));
	assert_non_null(auth_cache_get(c, "t3", NOW));
	notify("n:8", 555);
	assert_int_equal(start(c), 0);	/* sync drains too */
	assert_null(auth_cache_get(c, "t3", NOW));
	assert_non_null(auth_cache_get(c, "t4", NOW));
	/* A payload it does not know: everything goes. */
	notify("x:whatever", 555);
	auth_cache_drain(c, &db);
	assert_null(auth_cache_get(c, "t4", NOW));
}

static void
valid_follows_drops(void **state)
{
	struct auth_cache *c = *state;
	const struct auth_cache_entry *e;

	keep(c, "t1", 7, "famA");
	e = auth_cache_get(c, "t1", NOW);
	assert_true(auth_cache_valid(c, e));
	notify("n:7", 555);
	auth_cache_drain(c, &db);
	assert_false(auth_cache_valid(c, e));
	assert_false(auth_cache_valid(c, NULL));
}

static void
own_change_reaches_the_other_threads(void **state)
{
	struct auth_cache *c = *state;
	struct auth_cache other;
	struct listen ln;	/* the other thread's */

	assert_int_equal(auth_cache_shared_init(), 0);
	listen_init(&ln);
	assert_int_equal(auth_cache_init(&other, &ln), 0);
	assert_int_equal(start(c), 0);
	assert_int_equal(start(&other), 0);
	keep(c, "t1", 7, "famA");
	keep(&other, "t1", 7, "famA");
	keep(&other, "t9", 9, "famZ");

	/* Another backend's change: each thread hears it itself; the host
	 * counter does not move, so unrelated entries stay. */
	notify("u:5", 555);
	auth_cache_publish(c, &db);
	assert_int_equal(start(&other), 0);
	assert_non_null(auth_cache_get(&other, "t9", NOW));

	/* This connection's own change: published, so the other thread
	 * forgets everything at its next request, before its own connection
	 * has heard anything; this one keeps what the change did not name. */
	notify("s:famA", SELF);
	auth_cache_publish(c, &db);
	assert_null(auth_cache_get(c, "t1", NOW));
	assert_non_null(auth_cache_get(&other, "t9", NOW));
	assert_int_equal(start(&other), 0);
	assert_null(auth_cache_get(&other, "t1", NOW));
	assert_null(auth_cache_get(&other, "t9", NOW));
	keep(c, "t2", 7, "famB");
	assert_int_equal(start(c), 0);
	assert_non_null(auth_cache_get(c, "t2", NOW));
	auth_cache_free(&other);
}

static void
new_connection_listens_and_starts_empty(void **state)
{
	struct auth_cache *c = *state;

	assert_int_equal(listens, 1);
	keep(c, "t1", 7, "famA");
	assert_int_equal(start(c), 0);
	assert_int_equal(listens, 1);
	assert_non_null(auth_cache_get(c, "t1", NOW));
	db.nconnect++;		/* PostgreSQL restarted under us */
	assert_int_equal(start(c), 0);
	assert_int_equal(listens, 2);
	assert_null(auth_cache_get(c, "t1", NOW));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(exact_token_within_bounds,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(token_time_claims_still_apply,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(too_long_is_not_kept, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    notifications_drop_what_they_name, setup, teardown),
		cmocka_unit_test_setup_teardown(valid_follows_drops, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    own_change_reaches_the_other_threads, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    new_connection_listens_and_starts_empty, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
