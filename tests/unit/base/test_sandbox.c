/*
 * sandbox: the workers' seccomp allow-list, installed in forked children
 * exactly as a worker installs it (sandbox_seccomp): what a worker does
 * (threads, files, sockets, randomness) still works; execve, fork, kill of
 * another process and setuid kill the process with SIGSYS; "log" lets them
 * run; the privilege drop cannot be undone (as root only).
 *
 * The children end with _exit(), never exit(): under `make unit-asan`
 * LeakSanitizer's exit-time check (which needs calls a worker never makes)
 * would otherwise run under the filter.  So the same tests run, and pass,
 * with and without AddressSanitizer.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <curl/curl.h>
#include <netinet/in.h>
#include <sodium.h>

#include "base/sandbox.h"

/* Runs fn in a child under the filter for mode; returns its wait status. */
static int
in_child(enum sandbox_mode mode, int (*fn)(void))
{
	char err[256];
	pid_t pid;
	int st;

	fflush(NULL);
	if ((pid = fork()) == 0) {
		if (sandbox_seccomp(mode, err, sizeof(err)) == -1) {
			fprintf(stderr, "sandbox_seccomp: %s\n", err);
			_exit(99);
		}
		_exit(fn());
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	return st;
}

static void
assert_killed(int st)
{
	assert_true(WIFSIGNALED(st));
	assert_int_equal(WTERMSIG(st), SIGSYS);
}

static void
assert_exit0(int st)
{
	if (WIFSIGNALED(st))
		fprintf(stderr, "child killed by signal %d\n", WTERMSIG(st));
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

static int
do_execve(void)
{
	char *const argv[] = { "true", NULL };

	execve("/bin/true", argv, NULL);
	return 1;	/* only reached if execve failed without killing */
}

static int
do_fork(void)
{
	pid_t p = fork();

	if (p == 0)
		_exit(0);
	return 1;
}

static int
do_kill_parent(void)
{
	kill(getppid(), 0);
	return 1;
}

static int
do_setuid(void)
{
	(void)!setuid(0);
	return 1;
}

static void *
thread_fn(void *arg)
{
	*(int *)arg = 42;
	return NULL;
}

/* What a worker does all day, under the filter: all must work. */
static int
do_worker_things(void)
{
	char path[] = "/tmp/adept-sandbox-XXXXXX", moved[64];
	unsigned char rnd[16];
	pthread_t t;
	int v = 0, fd;

	if (pthread_create(&t, NULL, thread_fn, &v) != 0 ||
	    pthread_join(t, NULL) != 0 || v != 42)
		return 2;
	if ((fd = mkstemp(path)) == -1 || write(fd, "abc", 3) != 3 ||
	    fsync(fd) == -1 || close(fd) == -1)
		return 3;
	snprintf(moved, sizeof(moved), "%s.x", path);
	if (rename(path, moved) == -1 || chmod(moved, 0644) == -1 ||
	    unlink(moved) == -1)
		return 4;
	randombytes_buf(rnd, sizeof(rnd));
	/* A new connection's socket (libpq reconnecting); socketpair is
	 * not on the list, nothing in a worker calls it. */
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1 || close(fd) == -1)
		return 5;
	if (malloc(1 << 20) == NULL)	/* mmap */
		return 6;
	if (raise(SIGCHLD) != 0)	/* tgkill to itself */
		return 7;
	return 0;
}

/*
 * The tutor calls the language model from the worker (src/out/llm.c,
 * libcurl): a request by host name (the resolver: /etc/hosts, NSS, a
 * resolver thread) to a server the parent runs, under the filter.
 */
static int llm_port;

static size_t
sink(char *p, size_t sz, size_t n, void *arg)
{
	struct { char b[64]; size_t len; } *o = arg;
	size_t k = sz * n;

	if (o->len + k < sizeof(o->b)) {
		memcpy(o->b + o->len, p, k);
		o->len += k;
	}
	return k;
}

static int
do_curl(void)
{
	struct { char b[64]; size_t len; } out = { { 0 }, 0 };
	char url[64];
	CURL *c;
	CURLcode rc;

	if ((c = curl_easy_init()) == NULL)
		return 2;
	snprintf(url, sizeof(url), "http://localhost:%d/v1/chat/completions",
	    llm_port);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, "{}");
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &out);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 5L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	rc = curl_easy_perform(c);
	curl_easy_cleanup(c);
	if (rc != CURLE_OK) {
		fprintf(stderr, "curl: %s\n", curl_easy_strerror(rc));
		return 3;
	}
	return out.len == 2 && memcmp(out.b, "ok", 2) == 0 ? 0 : 4;
}

static void
test_llm_client_allowed(void **state)
{
	static const char reply[] = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n"
	    "Connection: close\r\n\r\nok";
	struct sockaddr_in sa;
	socklen_t sl = sizeof(sa);
	char req[4096];
	struct pollfd pfd;
	pid_t pid;
	int l, c, st;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_true((l = socket(AF_INET, SOCK_STREAM, 0)) >= 0);
	assert_int_equal(bind(l, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(l, 4), 0);
	assert_int_equal(getsockname(l, (struct sockaddr *)&sa, &sl), 0);
	llm_port = ntohs(sa.sin_port);
	fflush(NULL);
	if ((pid = fork()) == 0) {
		char err[256];

		close(l);
		if (sandbox_seccomp(SANDBOX_ON, err, sizeof(err)) == -1)
			_exit(99);
		_exit(do_curl());
	}
	/* One request (the child may also be killed before it sends). */
	pfd.fd = l;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, 5000) == 1 && (c = accept(l, NULL, NULL)) >= 0) {
		(void)!read(c, req, sizeof(req));
		(void)!write(c, reply, sizeof(reply) - 1);
		close(c);
	}
	close(l);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_exit0(st);
}

static void
test_mode_parse(void **state)
{
	enum sandbox_mode m;

	assert_int_equal(sandbox_mode_parse(NULL, &m), 0);
	assert_int_equal(m, SANDBOX_ON);
	assert_int_equal(sandbox_mode_parse("on", &m), 0);
	assert_int_equal(m, SANDBOX_ON);
	assert_int_equal(sandbox_mode_parse("log", &m), 0);
	assert_int_equal(m, SANDBOX_LOG);
	assert_int_equal(sandbox_mode_parse("off", &m), 0);
	assert_int_equal(m, SANDBOX_OFF);
	assert_int_equal(sandbox_mode_parse("yes", &m), -1);
	assert_string_equal(sandbox_mode_name(SANDBOX_LOG), "log");
}

static void
test_worker_calls_allowed(void **state)
{
	assert_exit0(in_child(SANDBOX_ON, do_worker_things));
}

static void
test_execve_kills(void **state)
{
	assert_killed(in_child(SANDBOX_ON, do_execve));
}

static void
test_fork_kills(void **state)
{
	assert_killed(in_child(SANDBOX_ON, do_fork));
}

static void
test_kill_other_process_kills(void **state)
{
	assert_killed(in_child(SANDBOX_ON, do_kill_parent));
}

static void
test_setuid_kills(void **state)
{
	assert_killed(in_child(SANDBOX_ON, do_setuid));
}

/* "log" lets the call run: execve replaces the child with true. */
static void
test_log_mode_allows(void **state)
{
	assert_exit0(in_child(SANDBOX_LOG, do_execve));
}

static void
test_off_installs_nothing(void **state)
{
	char err[64];

	assert_int_equal(sandbox_seccomp(SANDBOX_OFF, err, sizeof(err)), 0);
}

/* As root: after the drop, uid and gid 0 are out of reach. */
static void
test_drop_is_final(void **state)
{
	char err[256];
	pid_t pid;
	int st;

	if (geteuid() != 0) {
		fprintf(stderr, "test_sandbox: %s skipped: not root\n",
		    __func__);
		skip();
	}
	if ((pid = fork()) == 0) {
		if (sandbox_drop(65534, 65534, err, sizeof(err)) == -1)
			_exit(2);
		if (setuid(0) != -1 || seteuid(0) != -1 || getuid() != 65534)
			_exit(3);
		if (open("/etc/shadow", O_RDONLY) != -1)
			_exit(4);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_exit0(st);
	assert_int_equal(sandbox_drop(0, 0, err, sizeof(err)), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mode_parse),
		cmocka_unit_test(test_worker_calls_allowed),
		cmocka_unit_test(test_llm_client_allowed),
		cmocka_unit_test(test_execve_kills),
		cmocka_unit_test(test_fork_kills),
		cmocka_unit_test(test_kill_other_process_kills),
		cmocka_unit_test(test_setuid_kills),
		cmocka_unit_test(test_log_mode_allows),
		cmocka_unit_test(test_off_installs_nothing),
		cmocka_unit_test(test_drop_is_final),
	};

	if (sodium_init() < 0 || curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
