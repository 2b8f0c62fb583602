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
 *
 * Started as root, the supervisor keeps root only to open what workers
 * need and to hand out ownership of the directories they write (uploads,
 * certificates); each worker drops to ADEPT_USER and installs the seccomp
 * allow-list before its threads start (src/base/sandbox.h).  Started as
 * another user, nothing is dropped (the allow-list still applies).
 *
 * /metrics (src/http/metrics.h) is served by the supervisor itself on
 * ADEPT_METRICS_ADDR, a listener of its own that nginx does not proxy, so
 * no public route can reach it.  The supervisor's loop waits in ppoll()
 * for signals and scrapes; each scrape is answered by a short-lived child
 * (unprivileged and filtered like a worker) so a slow client or a slow
 * database never holds up restarting workers.
 */
#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
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
#include "base/sandbox.h"
#include "db/db.h"
#include "http/auth.h"
#include "http/auth_cache.h"
#include "http/listen.h"
#include "http/metrics.h"
#include "http/server.h"
#include "http/tmpl.h"
#include "out/storage.h"
#include "pages/pages.h"

#define DRAIN_SECONDS	30
#define MAXWORKERS	256
#define MAXSCRAPES	4	/* /metrics answers at once */
#define SCRAPE_SECONDS	10	/* a scrape child's whole life */

static struct config cfg;
static int listen_fd = -1;
static int metrics_fd = -1;

/* What a worker (or a scrape child) gives up: see sandbox.h. */
static int drop_root;
static uid_t worker_uid;
static gid_t worker_gid;
static enum sandbox_mode seccomp_mode;

/* Drops privileges and installs the allow-list; exits on failure (the
 * process must not serve anything half-sandboxed). */
static void
enter_sandbox(const char *who)
{
	char err[256];

	if (drop_root && sandbox_drop(worker_uid, worker_gid, err,
	    sizeof(err)) == -1) {
		log_msg("%s: %s", who, err);
		_exit(3);
	}
	if (sandbox_seccomp(seccomp_mode, err, sizeof(err)) == -1) {
		log_msg("%s: %s", who, err);
		_exit(3);
	}
}

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
	struct auth_cache ac;
	struct listen ln;
	struct arena a;
	struct buf body, hdrs;
	struct db db;
	struct req r;

	if (db_open(&db, cfg.db) == -1) {
		log_msg("worker: %s", db.err);
		exit(3);
	}
	listen_init(&ln);
	if (auth_cache_init(&ac, &ln) == -1) {
		log_msg("worker: no memory for the session cache");
		exit(3);
	}
	if (page_catalog_follow(&ln) == -1) {
		log_msg("worker: no memory for the catalog's pages");
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
		r.authc = &ac;
		r.listen = &ln;
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
	auth_cache_free(&ac);
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

	enter_sandbox("worker");
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
		if (metrics_fd != -1)
			close(metrics_fd);
		worker_main();
	}
	workers[slot] = pid;
	started[slot] = time(NULL);
	return pid;
}

/*
 * As root: which user the workers become.  ADEPT_USER=root keeps root
 * (a development checkout the worker user cannot reach), said loudly.
 */
static int
choose_user(void)
{
	char err[256];

	if (geteuid() != 0)
		return 0;
	if (strcmp(cfg.user, "root") == 0) {
		log_msg("supervisor: ADEPT_USER=root: workers keep root "
		    "privileges (development only)");
		return 0;
	}
	if (sandbox_user(cfg.user, &worker_uid, &worker_gid, err,
	    sizeof(err)) == -1) {
		log_msg("supervisor: started as root, the workers drop to "
		    "ADEPT_USER, but %s: create it (useradd --system "
		    "--no-create-home --shell /usr/sbin/nologin %s) or set "
		    "ADEPT_USER", err, cfg.user);
		return -1;
	}
	if (worker_uid == 0) {
		log_msg("supervisor: ADEPT_USER=%s has uid 0", cfg.user);
		return -1;
	}
	drop_root = 1;
	return 0;
}

/* Gives path to the worker user (directories the workers write). */
static int
give(const char *path)
{
	if (chown(path, worker_uid, worker_gid) == -1) {
		log_msg("supervisor: chown %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * As root, before the workers start: the directories they write become
 * theirs (uploads, its temporary and fan-out directories, certificates);
 * the access log stays root's but its group may read it (the admin health
 * page summarizes it).  Then a child that has dropped like a worker checks
 * it can reach them, so a checkout it cannot enter fails here, clearly.
 */
static int
prepare_paths(void)
{
	char path[1024], log[600];
	struct dirent *de;
	DIR *d;
	pid_t pid;
	int status, i;

	if (!drop_root)
		return 0;
	snprintf(path, sizeof(path), "%s/certificates", cfg.var);
	if (mkdir(path, 0750) == -1 && errno != EEXIST) {
		log_msg("supervisor: mkdir %s: %s", path, strerror(errno));
		return -1;
	}
	if (give(path) == -1 || give(storage_dir()) == -1)
		return -1;
	/* Every fan-out directory (storage keys start with two hex digits)
	 * exists and is the workers' before they start: one created later
	 * by a process still running as root (the background worker storing
	 * a rendered micro-lesson) would otherwise be closed to them. */
	for (i = 0; i < 256; i++) {
		snprintf(path, sizeof(path), "%s/%02x", storage_dir(), i);
		if (mkdir(path, 0755) == -1 && errno != EEXIST) {
			log_msg("supervisor: mkdir %s: %s", path,
			    strerror(errno));
			return -1;
		}
	}
	if ((d = opendir(storage_dir())) == NULL) {
		log_msg("supervisor: %s: %s", storage_dir(), strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || de->d_type != DT_DIR)
			continue;
		snprintf(path, sizeof(path), "%s/%s", storage_dir(),
		    de->d_name);
		if (give(path) == -1) {
			closedir(d);
			return -1;
		}
	}
	closedir(d);
	snprintf(log, sizeof(log), "%s/access.log", cfg.log_dir);
	if (chown(log, 0, worker_gid) == -1 || chmod(log, 0640) == -1)
		log_msg("supervisor: %s: %s (the health page will not read "
		    "it)", log, strerror(errno));

	if ((pid = fork()) == -1)
		return -1;
	if (pid == 0) {
		char err[256];
		const char *need[2];
		int i;

		if (sandbox_drop(worker_uid, worker_gid, err,
		    sizeof(err)) == -1) {
			log_msg("supervisor: %s", err);
			_exit(1);
		}
		snprintf(path, sizeof(path), "%s/certificates", cfg.var);
		need[0] = storage_dir();
		need[1] = path;
		for (i = 0; i < 2; i++)
			if (access(need[i], R_OK | W_OK | X_OK) == -1) {
				log_msg("supervisor: the worker user %s cannot "
				    "write %s: %s (make the path reachable, or "
				    "set ADEPT_USER=root for a private "
				    "development checkout)", cfg.user, need[i],
				    strerror(errno));
				_exit(1);
			}
		_exit(0);
	}
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* Everything a worker needs, checked before any worker starts. */
static int
preflight(void)
{
	struct db db;

	if (sandbox_mode_parse(cfg.seccomp, &seccomp_mode) == -1) {
		log_msg("supervisor: ADEPT_SECCOMP=%s: want on, log or off",
		    cfg.seccomp);
		return -1;
	}
	if (choose_user() == -1)
		return -1;
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

/* ---- /metrics ---------------------------------------------------------- */

static pid_t scrapes[MAXSCRAPES];

/* Listens on host:port ("[v6]:port" too).  0 (also when "off"), or -1. */
static int
metrics_listen(void)
{
	struct addrinfo hints, *ai = NULL;
	char host[128], *port;
	int one = 1, rc;

	if (strcmp(cfg.metrics_addr, "off") == 0)
		return 0;
	snprintf(host, sizeof(host), "%s", cfg.metrics_addr);
	if ((port = strrchr(host, ':')) == NULL) {
		log_msg("supervisor: ADEPT_METRICS_ADDR=%s: want host:port",
		    cfg.metrics_addr);
		return -1;
	}
	*port++ = '\0';
	if (host[0] == '[' && host[strlen(host) - 1] == ']') {
		memmove(host, host + 1, strlen(host));
		host[strlen(host) - 1] = '\0';
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
	if ((rc = getaddrinfo(host, port, &hints, &ai)) != 0) {
		log_msg("supervisor: ADEPT_METRICS_ADDR=%s: %s",
		    cfg.metrics_addr, gai_strerror(rc));
		return -1;
	}
	metrics_fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0);
	if (metrics_fd == -1 ||
	    setsockopt(metrics_fd, SOL_SOCKET, SO_REUSEADDR, &one,
	    sizeof(one)) == -1 ||
	    bind(metrics_fd, ai->ai_addr, ai->ai_addrlen) == -1 ||
	    listen(metrics_fd, 16) == -1) {
		log_msg("supervisor: metrics on %s: %s", cfg.metrics_addr,
		    strerror(errno));
		if (metrics_fd != -1)
			close(metrics_fd);
		metrics_fd = -1;
		freeaddrinfo(ai);
		return -1;
	}
	freeaddrinfo(ai);
	return 0;
}

static const char *
route_name(size_t i)
{
	return page_routes[i].pattern;
}

static void
send_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n > 0 && (w = write(fd, p, n)) > 0) {
		p += w;
		n -= (size_t)w;
	}
}

/*
 * A scrape child: reads one request (GET /metrics, HTTP/1.x), answers it
 * and exits.  x has the supervisor's view of its workers.
 */
static void
scrape(int c, struct metrics_extra *x)
{
	struct timeval tv = { 3, 0 };
	struct buf body, head;
	struct db db;
	char req[4096], *sp;
	size_t len = 0;
	ssize_t n;
	int status = 200, i, head_only;

	alarm(SCRAPE_SECONDS);
	close(listen_fd);
	close(metrics_fd);
	enter_sandbox("metrics");
	setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	while (len < sizeof(req) - 1 && (n = read(c, req + len,
	    sizeof(req) - 1 - len)) > 0) {
		len += (size_t)n;
		req[len] = '\0';
		if (strstr(req, "\r\n\r\n") != NULL ||
		    strstr(req, "\n\n") != NULL)
			break;
	}
	req[len] = '\0';
	head_only = strncmp(req, "HEAD ", 5) == 0;
	buf_init(&body);
	buf_init(&head);
	if (strncmp(req, "GET ", 4) != 0 && !head_only)
		status = len == 0 ? 400 : 405;
	else {
		sp = req + (head_only ? 5 : 4);
		if (strncmp(sp, "/metrics", 8) != 0 ||
		    (sp[8] != ' ' && sp[8] != '?'))
			status = 404;
	}
	if (status == 200) {
		/* The queue depth is the one number read from the database;
		 * without it the counters are still worth having. */
		if (db_open(&db, cfg.db) == 0 &&
		    (n = db_exec(&db, STMT_METRICS_JOBS_BY_STATE, 0, NULL)) >= 0) {
			x->db_up = 1;
			x->njobstates = n < 8 ? (int)n : 8;
			for (i = 0; i < x->njobstates; i++) {
				x->jobstate[i] = strdup(db_str(&db, i, 0));
				x->jobcount[i] = db_i64(&db, i, 1);
			}
		}
		db_close(&db);
		metrics_render(&body, route_name, x);
	} else
		buf_printf(&body, "%s\n", status == 404 ? "only /metrics "
		    "here" : "bad request");
	buf_printf(&head, "HTTP/1.1 %d %s\r\n"
	    "Content-Type: %s\r\nContent-Length: %zu\r\n"
	    "Cache-Control: no-store\r\nConnection: close\r\n\r\n", status,
	    status == 200 ? "OK" : status == 404 ? "Not Found" :
	    status == 405 ? "Method Not Allowed" : "Bad Request",
	    status == 200 ? "text/plain; version=0.0.4; charset=utf-8" :
	    "text/plain; charset=utf-8", body.len);
	send_all(c, head.p, head.len);
	if (!head_only)
		send_all(c, body.p, body.len);
	shutdown(c, SHUT_WR);
	_exit(0);
}

/* Accepts waiting scrapes, each answered by a child of its own. */
static void
metrics_accept(int nw)
{
	struct metrics_extra x;
	int c, i, slot;
	pid_t pid;

	while ((c = accept4(metrics_fd, NULL, NULL, SOCK_CLOEXEC)) != -1) {
		for (slot = 0; slot < MAXSCRAPES && scrapes[slot] != 0; slot++)
			;
		if (slot == MAXSCRAPES) {	/* busy: the client retries */
			close(c);
			continue;
		}
		memset(&x, 0, sizeof(x));
		x.workers = nw;
		for (i = 0; i < nw; i++)
			x.workers_alive += workers[i] > 0;
		if ((pid = fork()) == 0) {
			struct sigaction sa;

			memset(&sa, 0, sizeof(sa));
			sa.sa_handler = SIG_DFL;
			sigaction(SIGCHLD, &sa, NULL);
			sigaction(SIGHUP, &sa, NULL);
			sigaction(SIGTERM, &sa, NULL);
			sigaction(SIGINT, &sa, NULL);
			sigaction(SIGALRM, &sa, NULL);
			sigemptyset(&sa.sa_mask);
			sigprocmask(SIG_SETMASK, &sa.sa_mask, NULL);
			scrape(c, &x);
		}
		if (pid == -1)
			log_msg("supervisor: metrics: fork: %s",
			    strerror(errno));
		else
			scrapes[slot] = pid;
		close(c);
	}
}

/* ---- the supervisor's loop --------------------------------------------- */

int
main(void)
{
	struct sigaction sa;
	struct pollfd pfd;
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
	if (prepare_paths() == -1) {
		fprintf(stderr, "adept.fcgi: not starting (see the message "
		    "above)\n");
		return 1;
	}
	if (auth_cache_shared_init() == -1) {
		log_msg("supervisor: cannot map the session cache's counter");
		return 1;
	}
	if (page_catalog_shared_init() == -1) {
		log_msg("supervisor: cannot map the catalog's version");
		return 1;
	}
	if (metrics_init(page_nroutes) == -1) {
		log_msg("supervisor: cannot map the metrics counters");
		return 1;
	}
	/* A taken metrics port costs the metrics, not the site. */
	if (metrics_listen() == -1)
		log_msg("supervisor: going on without /metrics");
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
	log_msg("supervisor: %d workers x %d threads on %s; workers run as "
	    "%s, seccomp %s; metrics on %s", nw, cfg.threads, cfg.socket,
	    drop_root ? cfg.user : geteuid() == 0 ? "root" : "this user",
	    sandbox_mode_name(seccomp_mode),
	    metrics_fd != -1 ? cfg.metrics_addr : "(off)");

	pfd.fd = metrics_fd;
	pfd.events = POLLIN;
	while (!got_term) {
		/* Signals are blocked except while waiting here. */
		if (ppoll(&pfd, metrics_fd != -1 ? 1 : 0, NULL, &old) > 0 &&
		    (pfd.revents & POLLIN))
			metrics_accept(nw);
		if (got_chld) {
			got_chld = 0;
			while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
				for (i = 0; i < MAXSCRAPES; i++)
					if (scrapes[i] == pid)
						scrapes[i] = 0;
				for (i = 0; i < nw; i++) {
					if (workers[i] != pid)
						continue;
					workers[i] = 0;
					now = time(NULL);
					if (WIFSIGNALED(status) &&
					    WTERMSIG(status) == SIGSYS)
						log_msg("supervisor: worker %d "
						    "made a system call outside "
						    "the seccomp allow-list and "
						    "was killed (ADEPT_SECCOMP="
						    "log lets it run and logs "
						    "it); restarting",
						    (int)pid);
					else
						log_msg("supervisor: worker %d "
						    "%s %d; restarting",
						    (int)pid,
						    WIFSIGNALED(status) ?
						    "killed by signal" :
						    "exited with",
						    WIFSIGNALED(status) ?
						    WTERMSIG(status) :
						    WEXITSTATUS(status));
					metrics_worker_restart(
					    WIFSIGNALED(status) &&
					    WTERMSIG(status) == SIGSYS);
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
	if (metrics_fd != -1)
		close(metrics_fd);
	unlink(cfg.socket);
	log_msg("supervisor: stopped");
	return 0;
}
