/*
 * worker: `adept worker`'s loop.  Takes due jobs one at a time with
 * FOR UPDATE SKIP LOCKED under a lease, sleeps on LISTEN adept_jobs (or
 * until the next due time, at most ADEPT_WORKER_POLL seconds), fires due
 * schedules, and stops on SIGTERM/SIGINT after the job in hand.
 *
 * A second thread, with its own connection, is the heartbeat: every few
 * seconds it refreshes this worker's job_workers row and renews the lease
 * of the job in hand, so a long job keeps its lease while a dead worker's
 * job is taken again once the lease (ADEPT_JOB_LEASE seconds when set,
 * else the kind's) has run out.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/config.h"
#include "base/log.h"
#include "db/db.h"
#include "jobs/jobs.h"

static volatile sig_atomic_t	stopping;

struct beat {
	const struct config	*cfg;
	const char		*name;
	char			 host[256];
	int			 lease_s;	/* 0: the kinds' own */
	int			 every_s;
	_Atomic int64_t		 current;	/* job in hand, 0 = none */
	_Atomic int		 current_lease;	/* its lease, seconds */
	_Atomic int64_t		 done;
	_Atomic int		 quit;
	pthread_mutex_t		 mu;
	pthread_cond_t		 cv;
};

static void
on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

static int
env_int(const char *name, int dflt, int lo, int hi)
{
	const char *v = getenv(name);
	char *end;
	long n;

	if (v == NULL || *v == '\0')
		return dflt;
	n = strtol(v, &end, 10);
	if (*end != '\0' || n < lo || n > hi) {
		log_msg("worker: %s=%s is not %d..%d; using %d", name, v, lo,
		    hi, dflt);
		return dflt;
	}
	return (int)n;
}

static void
beat_once(struct db *db, struct beat *b, struct arena *a)
{
	const char *p[5];
	int64_t cur = atomic_load(&b->current);
	int lease = atomic_load(&b->current_lease);

	arena_reset(a);
	p[0] = b->name;
	p[1] = b->host;
	p[2] = db_i64s(a, (int64_t)getpid());
	p[3] = cur != 0 ? db_i64s(a, cur) : NULL;
	p[4] = db_i64s(a, atomic_load(&b->done));
	(void)db_exec(db, STMT_JOBS_WORKER_BEAT, 5, p);
	if (cur != 0 && lease > 0) {
		/* Beats come at most every third of a lease. */
		p[1] = db_i64s(a, lease);
		(void)db_exec(db, STMT_JOBS_EXTEND, 2, p);
	}
}

static void *
beat_main(void *arg)
{
	struct beat *b = arg;
	struct db db;
	struct arena a;
	struct timespec until;

	arena_init(&a, 4096);
	memset(&db, 0, sizeof(db));
	if (db_open(&db, b->cfg->db) == -1)
		log_msg("worker: heartbeat: %s (will retry)", db.err);
	pthread_mutex_lock(&b->mu);
	while (!atomic_load(&b->quit)) {
		pthread_mutex_unlock(&b->mu);
		beat_once(&db, b, &a);
		pthread_mutex_lock(&b->mu);
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += b->every_s;
		while (!atomic_load(&b->quit) &&
		    pthread_cond_timedwait(&b->cv, &b->mu, &until) == 0)
			;
	}
	pthread_mutex_unlock(&b->mu);
	db_close(&db);
	arena_free(&a);
	return NULL;
}

/* The text[] of kinds this build can run and their leases. */
static void
runnable(struct arena *a, int lease_override, const char **kinds,
    const char **leases)
{
	struct buf k, l;
	int i, any = 0;

	buf_init(&k);
	buf_init(&l);
	buf_putc(&k, '{');
	buf_putc(&l, '{');
	for (i = 0; i < JOB__MAX; i++) {
		if (job_kinds[i].fn == NULL)
			continue;
		buf_printf(&k, "%s%s", any ? "," : "", job_kinds[i].name);
		buf_printf(&l, "%s%d", any ? "," : "", lease_override > 0 ?
		    lease_override : job_kinds[i].lease_s);
		any = 1;
	}
	buf_putc(&k, '}');
	buf_putc(&l, '}');
	*kinds = arena_strndup(a, k.p, k.len);
	*leases = arena_strndup(a, l.p, l.len);
	buf_free(&k);
	buf_free(&l);
}

/* Runs the job in db->res row 0.  Returns 0, or -1 if the database went
 * away (the job's lease will run out and it runs again). */
static int
run_one(struct db *db, struct arena *a, const struct config *cfg,
    struct beat *b)
{
	struct job j;
	const struct job_kind_def *k;
	const char *p[4], *kname;
	int kind, max, n;
	enum job_result res;
	struct timespec t0, t1;

	memset(&j, 0, sizeof(j));
	j.id = db_i64(db, 0, 0);
	kname = arena_strdup(a, db_str(db, 0, 1));
	j.payload = arena_strdup(a, db_str(db, 0, 2));
	j.attempt = (int)db_i64(db, 0, 3);
	max = (int)db_i64(db, 0, 4);
	j.db = db;
	j.a = a;
	j.cfg = cfg;
	j.worker = b->name;
	j.now = (int64_t)time(NULL);
	if ((kind = jobs_kind_parse(kname)) < 0)
		return 0;	/* not taken: jobs_take names our kinds */
	j.kind = (enum job_kind)kind;
	k = &job_kinds[kind];
	atomic_store(&b->current_lease, b->lease_s > 0 ? b->lease_s :
	    k->lease_s);
	atomic_store(&b->current, j.id);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	res = k->fn(&j);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	atomic_store(&b->current, 0);
	db_rollback(db);	/* a handler that left a transaction open */
	p[0] = db_i64s(a, j.id);
	p[1] = b->name;
	if (res == JOB_DONE) {
		n = db_exec(db, STMT_JOBS_DONE, 2, p);
		atomic_fetch_add(&b->done, 1);
		log_msg("worker: job %lld %s done (attempt %d, %.0f ms)",
		    (long long)j.id, kname, j.attempt,
		    (t1.tv_sec - t0.tv_sec) * 1e3 +
		    (t1.tv_nsec - t0.tv_nsec) / 1e6);
	} else {
		if (j.err[0] == '\0')
			snprintf(j.err, sizeof(j.err), "failed");
		p[2] = j.err;
		p[3] = res == JOB_RETRY && j.attempt < max ?
		    db_i64s(a, jobs_backoff(k->backoff_s, j.attempt)) : NULL;
		n = db_exec(db, STMT_JOBS_FAIL, 4, p);
		log_msg("worker: job %lld %s attempt %d/%d failed: %s%s",
		    (long long)j.id, kname, j.attempt, max, j.err,
		    p[3] == NULL ? " (dead)" : "");
	}
	if (n == 0)
		log_msg("worker: job %lld: lease lost before it finished; "
		    "another run will repeat it", (long long)j.id);
	return n == DB_RETRY ? -1 : 0;
}

/* Waits for a notification, a signal or timeout_ms. */
static void
wait_wake(struct db *db, int timeout_ms, const sigset_t *unblocked)
{
	struct pollfd pfd;
	struct timespec ts;
	PGnotify *nf;
	int got = 0;

	if (db->conn == NULL || PQstatus(db->conn) != CONNECTION_OK) {
		ts.tv_sec = 1;
		ts.tv_nsec = 0;
		(void)pselect(0, NULL, NULL, NULL, &ts, unblocked);
		return;
	}
	/* Notifications that came in with earlier results. */
	PQconsumeInput(db->conn);
	while ((nf = PQnotifies(db->conn)) != NULL) {
		PQfreemem(nf);
		got = 1;
	}
	if (got)
		return;
	pfd.fd = PQsocket(db->conn);
	pfd.events = POLLIN;
	ts.tv_sec = timeout_ms / 1000;
	ts.tv_nsec = (long)(timeout_ms % 1000) * 1000000L;
	if (ppoll(&pfd, 1, &ts, unblocked) > 0) {
		PQconsumeInput(db->conn);
		while ((nf = PQnotifies(db->conn)) != NULL)
			PQfreemem(nf);
	}
}

int
jobs_worker_run(const struct config *cfg, int once)
{
	struct beat b;
	struct db db;
	struct arena a;
	struct sigaction sa;
	sigset_t block, old;
	pthread_t th;
	const char *kinds, *leases, *p[3];
	int poll_s, n, listening = 0, backend = 0;

	memset(&b, 0, sizeof(b));
	b.cfg = cfg;
	if (gethostname(b.host, sizeof(b.host) - 1) == -1)
		snprintf(b.host, sizeof(b.host), "unknown");
	b.lease_s = env_int("ADEPT_JOB_LEASE", 0, 2, 86400);
	poll_s = env_int("ADEPT_WORKER_POLL", 5, 1, 3600);
	b.every_s = b.lease_s > 0 ? (b.lease_s / 3 > 0 ? b.lease_s / 3 : 1) :
	    5;
	if (b.every_s > 5)
		b.every_s = 5;
	pthread_mutex_init(&b.mu, NULL);
	pthread_cond_init(&b.cv, NULL);
	arena_init(&a, 64 * 1024);
	b.name = arena_printf(&a, "%s:%d:%lld", b.host, (int)getpid(),
	    (long long)time(NULL));
	b.name = strdup(b.name);
	arena_reset(&a);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	/* Signals reach the main thread only, and only while it waits. */
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	sigdelset(&old, SIGTERM);
	sigdelset(&old, SIGINT);

	if (db_open(&db, cfg->db) == -1) {
		fprintf(stderr, "adept: worker: %s\n", db.err);
		return 1;
	}
	if (pthread_create(&th, NULL, beat_main, &b) != 0) {
		fprintf(stderr, "adept: worker: cannot start the heartbeat\n");
		db_close(&db);
		return 1;
	}
	log_msg("worker: %s started (lease %s, poll %d s)", b.name,
	    b.lease_s ? arena_printf(&a, "%d s", b.lease_s) : "per kind",
	    poll_s);

	while (!stopping) {
		arena_reset(&a);
		runnable(&a, b.lease_s, &kinds, &leases);
		/* A new connection (PostgreSQL restarted) forgets LISTEN:
		 * its server process id tells a new one from the old. */
		if (db.conn == NULL || PQbackendPID(db.conn) != backend ||
		    !listening) {
			listening = db_exec(&db, STMT_JOBS_LISTEN, 0, NULL) >= 0;
			backend = db.conn != NULL ? PQbackendPID(db.conn) : 0;
		}
		(void)db_exec(&db, STMT_JOBS_SCHEDULE_FIRE, 0, NULL);
		p[0] = kinds;
		p[1] = b.name;
		p[2] = leases;
		n = db_exec(&db, STMT_JOBS_TAKE, 3, p);
		if (n > 0) {
			if (run_one(&db, &a, cfg, &b) == -1)
				listening = 0;
			continue;
		}
		if (n < 0)
			listening = 0;
		if (once)
			break;
		{
			int ms = poll_s * 1000;

			if (db_exec(&db, STMT_JOBS_NEXT_DUE, 0, NULL) > 0 &&
			    !db_isnull(&db, 0, 0)) {
				double s = db_dbl(&db, 0, 0);

				if (s < 0)
					s = 0;
				if (s * 1000 < ms)
					ms = (int)(s * 1000) + 50;
			}
			wait_wake(&db, ms, &old);
		}
	}

	log_msg("worker: %s stopping", b.name);
	pthread_mutex_lock(&b.mu);
	atomic_store(&b.quit, 1);
	pthread_cond_signal(&b.cv);
	pthread_mutex_unlock(&b.mu);
	pthread_join(th, NULL);
	p[0] = b.name;
	p[1] = db_i64s(&a, atomic_load(&b.done));
	(void)db_exec(&db, STMT_JOBS_WORKER_STOP, 2, p);
	(void)db_exec(&db, STMT_JOBS_WORKER_PRUNE, 0, NULL);
	db_close(&db);
	arena_free(&a);
	free((void *)b.name);
	return 0;
}
