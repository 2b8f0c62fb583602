/*
 * test_jobs: the job-kind registry's invariants and the retry backoff.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <regex.h>
#include <string.h>

#include "jobs/jobs.h"

static void
kinds_are_well_formed(void **state)
{
	regex_t re;
	int i, j;

	(void)state;
	/* The same pattern as the jobs.kind CHECK in 005_jobs.sql. */
	assert_int_equal(regcomp(&re, "^[a-z][a-z0-9_]*$", REG_EXTENDED |
	    REG_NOSUB), 0);
	for (i = 0; i < JOB__MAX; i++) {
		assert_non_null(job_kinds[i].name);
		assert_int_equal(regexec(&re, job_kinds[i].name, 0, NULL, 0),
		    0);
		assert_true(job_kinds[i].max_attempts >= 1);
		assert_true(job_kinds[i].backoff_s >= 1);
		/* Renewed every 5 s at most: three beats per lease. */
		assert_true(job_kinds[i].lease_s >= 15);
		assert_int_equal(jobs_kind_parse(job_kinds[i].name), i);
		for (j = 0; j < i; j++)
			assert_string_not_equal(job_kinds[i].name,
			    job_kinds[j].name);
	}
	regfree(&re);
	assert_int_equal(jobs_kind_parse("no_such_kind"), -1);
	assert_int_equal(jobs_kind_parse(""), -1);
	/* The kinds src/jobs/ runs itself have handlers. */
	assert_non_null(job_kinds[JOB_NOOP].fn);
	assert_non_null(job_kinds[JOB_EVENT_PARTITIONS].fn);
	assert_non_null(job_kinds[JOB_EVENT_ROLLUP].fn);
}

static void
backoff_doubles_then_caps(void **state)
{
	(void)state;
	assert_int_equal(jobs_backoff(2, 1), 2);
	assert_int_equal(jobs_backoff(2, 2), 4);
	assert_int_equal(jobs_backoff(2, 3), 8);
	assert_int_equal(jobs_backoff(30, 5), 480);
	assert_int_equal(jobs_backoff(60, 7), 3600);
	assert_int_equal(jobs_backoff(60, 1000), 3600);
	assert_int_equal(jobs_backoff(5000, 1), 3600);
	assert_int_equal(jobs_backoff(0, 1), 1);
	assert_int_equal(jobs_backoff(1, 0), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(kinds_are_well_formed),
		cmocka_unit_test(backoff_doubles_then_caps),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
