/*
 * adept.fcgi: the FastCGI supervisor and its workers.
 *
 * The supervisor checks what a worker needs (secret, templates, database
 * and every prepared statement) once, refusing to start with a clear
 * message if any is missing, then opens the socket and pre-forks
 * ADEPT_WORKERS workers.  It restarts a worker that dies (backing off if
 * workers die at once, so a broken database does not become a fork loop),
 * replaces all workers on SIGHUP (re-reading templates; old workers drain),
 * and on SIGTERM/SIGINT asks workers to drain and exits when they have.
 *
 * A worker runs ADEPT_THREADS accept threads, each with its own request
 * arena and its own database connection (a PGconn is not shared between
 * threads).  On SIGTERM a worker stops accepting, lets in-flight requests
 * finish (up to DRAIN_SECONDS), and exits.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <fcgiapp.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/config.h"
#include "base/log.h"
#include "base/password.h"
#include "db/db.h"
#include "http/auth.h"
#include "http/server.h"
#include "http/tmpl.h"
#include "out/storage.h"

#define DRAIN_SECONDS	30
#define MAXWORKERS	256

static struct config cfg;
static int listen_fd = -1;

/* ---- worker ---------------------------------------------------------- */

struct thread {
	pthread_t	 tid;
	volatile int	 in_accept;	/* blocked in FCGX_Accept_r */
	volatile int	 done;
};

static volatile sig_atomic_t stopping;

static void
on_wake(int sig)
{
	(void)sig;	/* only interrupts accept() */
}

static void *
accept_loop(void *arg)
{
	struct thread *t = arg;
	FCGX_Request fr;
	struct arena a;
	struct buf body, hdrs;
	struct db db;
	struct req r;

	if (db_open(&db, cfg.db) == -1) {
		log_msg("worker: %s", db.err);
		exit(3);
	}
	arena_init(&a, 64 * 1024);
	buf_init(&body);
	buf_init(&hdrs);
	FCGX_InitRequest(&fr, listen_fd, 0);
	while (!stopping) {
		t->in_accept = 1;
		if (stopping || FCGX_Accept_r(&fr) < 0) {
			t->in_accept = 0;
			if (stopping)
				break;
			if (errno == EINTR)
				continue;
			log_msg("worker: accept failed: %s", strerror(errno));
			break;
		}
		t->in_accept = 0;
		arena_reset(&a);
		buf_reset(&body);
		buf_reset(&hdrs);
		memset(&r, 0, sizeof(r));
		r.a = &a;
		r.db = &db;
		r.cfg = &cfg;
		r.body = &body;
		r.hdrs = &hdrs;
		http_serve(&r, &fr);
		FCGX_Finish_r(&fr);
		/* A transaction left open by a failed handler must not leak
		 * into the next request. */
		db_rollback(&db);
	}
	FCGX_Free(&fr, 0);
	db_close(&db);
	buf_free(&body);
	buf_free(&hdrs);
	arena_free(&a);
	t->done = 1;
	return NULL;
}

static void
worker_main(void)
{
	struct thread th[64];
	struct sigaction sa;
	sigset_t set;
	struct timespec ts;
	int i, sig, n = cfg.threads, alive;
	time_t deadline;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_wake;	/* no SA_RESTART: accept() returns */
	sigaction(SIGUSR2, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);	/* threads inherit */

	if (FCGX_Init() != 0) {
		log_msg("worker: FCGX_Init failed");
		_exit(3);
	}
	memset(th, 0, sizeof(th));
	for (i = 0; i < n; i++)
		pthread_create(&th[i].tid, NULL, accept_loop, &th[i]);

	do {
		if (sigwait(&set, &sig) != 0)
			sig = SIGTERM;
	} while (sig == SIGHUP);

	/* Drain: stop accepting, let requests in flight finish. */
	stopping = 1;
	FCGX_ShutdownPending();
	deadline = time(NULL) + DRAIN_SECONDS;
	for (;;) {
		alive = 0;
		for (i = 0; i < n; i++) {
			if (th[i].done)
				continue;
			alive++;
			if (th[i].in_accept)
				pthread_kill(th[i].tid, SIGUSR2);
		}
		if (alive == 0 || time(NULL) >= deadline)
			break;
		ts.tv_sec = 0;
		ts.tv_nsec = 20 * 1000 * 1000;
		nanosleep(&ts, NULL);
	}
	if (alive > 0)
		log_msg("worker: %d request(s) still running after %d s; "
		    "exiting", alive, DRAIN_SECONDS);
	_exit(0);
}

/* ---- supervisor ------------------------------------------------------ */

static pid_t workers[MAXWORKERS];
static time_t started[MAXWORKERS];
static volatile sig_atomic_t got_term, got_hup, got_chld;

static void
on_signal(int sig)
{
	if (sig == SIGTERM || sig == SIGINT)
		got_term = 1;
	else if (sig == SIGHUP)
		got_hup = 1;
	else if (sig == SIGCHLD)
		got_chld = 1;
}

static pid_t
spawn(int slot)
{
	pid_t pid = fork();

	if (pid == -1) {
		log_msg("supervisor: fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		struct sigaction sa;

		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = SIG_DFL;
		sigaction(SIGCHLD, &sa, NULL);
		sigaction(SIGHUP, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
		sigaction(SIGINT, &sa, NULL);
		worker_main();
	}
	workers[slot] = pid;
	started[slot] = time(NULL);
	return pid;
}

/* Everything a worker needs, checked before any worker starts. */
static int
preflight(void)
{
	struct db db;

	if (config_load_secret(&cfg, 1) == -1)
		return -1;
	if (tmpl_init(cfg.templates) == -1) {
		log_msg("supervisor: templates in %s did not load", cfg.templates);
		return -1;
	}
	if (db_open(&db, cfg.db) == -1) {
		log_msg("supervisor: %s", db.err);
		db_close(&db);
		return -1;
	}
	db_close(&db);
	return 0;
}

int
main(void)
{
	struct sigaction sa;
	sigset_t block, old;
	int i, status, nw;
	pid_t pid;
	time_t now;

	config_init(&cfg);
	nw = cfg.workers < MAXWORKERS ? cfg.workers : MAXWORKERS;
	if (preflight() == -1) {
		fprintf(stderr, "adept.fcgi: not starting (see the message "
		    "above)\n");
		return 1;
	}
	if (log_open(cfg.log_dir) == -1)
		return 1;
	auth_init(&cfg);
	if (storage_init(&cfg) == -1)
		return 1;
	unlink(cfg.socket);
	if ((listen_fd = FCGX_OpenSocket(cfg.socket, 1024)) < 0) {
		log_msg("supervisor: cannot listen on %s", cfg.socket);
		return 1;
	}
	/* nginx's workers run as another user. */
	chmod(cfg.socket, 0666);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGCHLD, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGCHLD);
	sigprocmask(SIG_BLOCK, &block, &old);

	for (i = 0; i < nw; i++)
		spawn(i);
	log_msg("supervisor: %d workers x %d threads on %s", nw, cfg.threads,
	    cfg.socket);

	while (!got_term) {
		sigsuspend(&old);
		if (got_chld) {
			got_chld = 0;
			while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
				for (i = 0; i < nw; i++) {
					if (workers[i] != pid)
						continue;
					workers[i] = 0;
					now = time(NULL);
					log_msg("supervisor: worker %d %s %d; "
					    "restarting", (int)pid,
					    WIFSIGNALED(status) ? "killed by "
					    "signal" : "exited with",
					    WIFSIGNALED(status) ?
					    WTERMSIG(status) :
					    WEXITSTATUS(status));
					if (now - started[i] < 1)
						sleep(1);
					if (!got_term)
						spawn(i);
				}
			}
		}
		if (got_hup) {
			got_hup = 0;
			log_msg("supervisor: SIGHUP: reloading templates and "
			    "replacing workers");
			tmpl_free();
			if (tmpl_init(cfg.templates) == -1) {
				log_msg("supervisor: templates broken; "
				    "keeping the running workers");
				continue;
			}
			for (i = 0; i < nw; i++) {
				pid_t old_pid = workers[i];
				/* The old worker drains; its exit is not
				 * restarted because its slot is taken. */
				spawn(i);
				if (old_pid > 0)
					kill(old_pid, SIGTERM);
			}
		}
	}

	log_msg("supervisor: stopping; draining workers");
	for (i = 0; i < nw; i++)
		if (workers[i] > 0)
			kill(workers[i], SIGTERM);
	while (waitpid(-1, &status, 0) > 0 || errno == EINTR)
		;
	close(listen_fd);
	unlink(cfg.socket);
	log_msg("supervisor: stopped");
	return 0;
}
