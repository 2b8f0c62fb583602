/*
 * metrics: the Prometheus text exposition (HELP and TYPE before each
 * family, counters by route/method/status class, a cumulative histogram
 * whose +Inf bucket equals its count, label values escaped), and counters
 * added by a forked child (a worker) seen by the parent (the supervisor).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/buf.h"
#include "http/metrics.h"

static const char *const names[] = { "/", "/courses/{id}", "/odd\"name\\" };

static const char *
route_name(size_t i)
{
	return names[i];
}

static int
setup(void **state)
{
	return metrics_init(3);	/* route 3: no route matched */
}

static int
has(const char *text, const char *line)
{
	const char *p = text;
	size_t n = strlen(line);

	while ((p = strstr(p, line)) != NULL) {
		if ((p == text || p[-1] == '\n') && p[n] == '\n')
			return 1;
		p += n;
	}
	return 0;
}

static void
test_exposition(void **state)
{
	struct metrics_extra x;
	struct buf b;

	memset(&x, 0, sizeof(x));
	x.workers = 2;
	x.workers_alive = 2;
	x.db_up = 1;
	x.njobstates = 2;
	x.jobstate[0] = "queued";
	x.jobcount[0] = 3;
	x.jobstate[1] = "dead";
	x.jobcount[1] = 0;
	metrics_observe(0, "GET", 200, 1000);		/* 1 ms */
	metrics_observe(0, "HEAD", 304, 30000);		/* 30 ms */
	metrics_observe(1, "POST", 503, 20000000);	/* 20 s: +Inf */
	metrics_observe(2, "GET", 404, 10);
	metrics_observe(99, "DELETE", 405, 10);	/* no route */
	metrics_worker_restart(0);
	metrics_worker_restart(1);
	metrics_db_statements(0, 2);
	metrics_db_statements(0, 1);
	metrics_db_statements(2, 0);	/* none: no line */

	buf_init(&b);
	metrics_render(&b, route_name, &x);
	assert_true(has(b.p, "# TYPE adept_http_requests_total counter"));
	assert_true(strstr(b.p, "# HELP adept_http_requests_total ") <
	    strstr(b.p, "# TYPE adept_http_requests_total"));
	assert_true(has(b.p, "adept_http_requests_total{route=\"/\","
	    "method=\"GET\",code=\"2xx\"} 1"));
	assert_true(has(b.p, "# TYPE adept_db_statements_total counter"));
	assert_true(has(b.p, "adept_db_statements_total{route=\"/\"} 3"));
	assert_false(has(b.p, "adept_db_statements_total{route=\"/courses/"));
	assert_true(has(b.p, "adept_http_requests_total{route=\"/\","
	    "method=\"GET\",code=\"3xx\"} 1"));
	assert_true(has(b.p, "adept_http_requests_total{route=\"/courses/"
	    "{id}\",method=\"POST\",code=\"5xx\"} 1"));
	assert_true(has(b.p, "adept_http_requests_total{route=\"/odd\\\""
	    "name\\\\\",method=\"GET\",code=\"4xx\"} 1"));
	assert_true(has(b.p, "adept_http_requests_total{route=\"unmatched\","
	    "method=\"other\",code=\"4xx\"} 1"));
	assert_true(has(b.p, "adept_http_server_errors_total 1"));
	assert_true(has(b.p, "# TYPE adept_http_request_duration_seconds "
	    "histogram"));
	assert_true(has(b.p, "adept_http_request_duration_seconds_bucket"
	    "{route=\"/\",le=\"0.005\"} 1"));
	assert_true(has(b.p, "adept_http_request_duration_seconds_bucket"
	    "{route=\"/\",le=\"0.05\"} 2"));
	assert_true(has(b.p, "adept_http_request_duration_seconds_bucket"
	    "{route=\"/\",le=\"+Inf\"} 2"));
	assert_true(has(b.p, "adept_http_request_duration_seconds_count"
	    "{route=\"/\"} 2"));
	assert_true(has(b.p, "adept_http_request_duration_seconds_sum"
	    "{route=\"/\"} 0.031000"));
	assert_true(has(b.p, "adept_http_request_duration_seconds_bucket"
	    "{route=\"/courses/{id}\",le=\"10\"} 0"));
	assert_true(has(b.p, "adept_http_request_duration_seconds_bucket"
	    "{route=\"/courses/{id}\",le=\"+Inf\"} 1"));
	assert_true(has(b.p, "adept_worker_restarts_total 2"));
	assert_true(has(b.p, "adept_worker_seccomp_kills_total 1"));
	assert_true(has(b.p, "adept_workers_alive 2"));
	assert_true(has(b.p, "adept_database_up 1"));
	assert_true(has(b.p, "adept_jobs{state=\"queued\"} 3"));
	assert_true(has(b.p, "adept_jobs{state=\"dead\"} 0"));
	/* Every line is a comment or a sample; the text ends in a newline. */
	assert_int_equal(b.p[b.len - 1], '\n');
	buf_free(&b);
}

/* A worker's adds reach the supervisor: the mapping is shared. */
static void
test_shared_across_fork(void **state)
{
	struct buf b;
	pid_t pid;
	int st, i;

	if ((pid = fork()) == 0) {
		for (i = 0; i < 5; i++)
			metrics_observe(1, "GET", 200, 100);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	buf_init(&b);
	metrics_render(&b, route_name, NULL);
	assert_true(has(b.p, "adept_http_requests_total{route=\"/courses/"
	    "{id}\",method=\"GET\",code=\"2xx\"} 5"));
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exposition),
		cmocka_unit_test(test_shared_across_fork),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
