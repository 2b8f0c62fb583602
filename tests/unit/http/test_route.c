/*
 * route: literal and {id} segments, 404 vs 405, and the real table's
 * invariants (every route has a handler; POST routes that change state
 * through cookies carry CSRF).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "http/server.h"

static int
h(struct req *r)
{
	return 200;
}

static const struct route t[] = {
	{ M_GET, "/", ROLE_NONE, 0, NULL, 0, h },
	{ M_GET | M_POST, "/login", ROLE_NONE, R_CSRF, NULL, 0, h },
	{ M_GET, "/courses/{id}", ROLE_NONE, 0, NULL, 0, h },
	{ M_POST, "/courses/{id}/lessons/{lesson}", ROLE_NONE, R_CSRF, NULL, 0,
	    h },
	{ M_POST | M_PUT, "/answers/{id}", ROLE_NONE, R_CSRF, NULL, 0, h },
};
#define NT	(sizeof(t) / sizeof(t[0]))

static void
test_literal_and_ids(void **state)
{
	int64_t ids[4] = { 0 };
	int st;

	assert_ptr_equal(http_route_match(t, NT, "GET", "/", ids, &st), &t[0]);
	assert_ptr_equal(http_route_match(t, NT, "POST", "/login", ids, &st),
	    &t[1]);
	assert_ptr_equal(http_route_match(t, NT, "GET", "/courses/42", ids,
	    &st), &t[2]);
	assert_int_equal(ids[0], 42);
	assert_ptr_equal(http_route_match(t, NT, "POST",
	    "/courses/7/lessons/9000000000", ids, &st), &t[3]);
	assert_int_equal(ids[0], 7);
	assert_int_equal(ids[1], 9000000000LL);
}

static void
test_not_found_and_method(void **state)
{
	int64_t ids[4];
	int st;

	assert_null(http_route_match(t, NT, "GET", "/nope", ids, &st));
	assert_int_equal(st, 404);
	assert_null(http_route_match(t, NT, "GET", "/login/", ids, &st));
	assert_int_equal(st, 404);
	assert_null(http_route_match(t, NT, "DELETE", "/login", ids, &st));
	assert_int_equal(st, 405);
	assert_null(http_route_match(t, NT, "POST", "/", ids, &st));
	assert_int_equal(st, 405);
	/* {id} is a positive decimal int64, nothing else. */
	assert_null(http_route_match(t, NT, "GET", "/courses/0", ids, &st));
	assert_null(http_route_match(t, NT, "GET", "/courses/-1", ids, &st));
	assert_null(http_route_match(t, NT, "GET", "/courses/01", ids, &st));
	assert_null(http_route_match(t, NT, "GET", "/courses/1x", ids, &st));
	assert_null(http_route_match(t, NT, "GET", "/courses/", ids, &st));
	assert_null(http_route_match(t, NT, "GET",
	    "/courses/99999999999999999999", ids, &st));
	assert_int_equal(st, 404);
}

/* PUT routes like the others; a 405's Allow lists what the path takes. */
static void
test_put_and_allowed(void **state)
{
	int64_t ids[4] = { 0 };
	int st;

	assert_ptr_equal(http_route_match(t, NT, "PUT", "/answers/7", ids,
	    &st), &t[4]);
	assert_int_equal(ids[0], 7);
	assert_ptr_equal(http_route_match(t, NT, "POST", "/answers/7", ids,
	    &st), &t[4]);
	assert_null(http_route_match(t, NT, "PUT", "/login", ids, &st));
	assert_int_equal(st, 405);
	assert_null(http_route_match(t, NT, "GET", "/answers/7", ids, &st));
	assert_int_equal(st, 405);
	assert_int_equal(http_route_allowed(t, NT, "/answers/7"),
	    M_POST | M_PUT);
	assert_int_equal(http_route_allowed(t, NT, "/login"), M_GET | M_POST);
	assert_int_equal(http_route_allowed(t, NT, "/nope"), 0);
}

static void
test_real_table(void **state)
{
	size_t i;

	assert_true(page_nroutes > 0);
	for (i = 0; i < page_nroutes; i++) {
		const struct route *r = &page_routes[i];

		assert_non_null(r->fn);
		assert_true(r->pattern[0] == '/');
		assert_true((r->fields == NULL) == (r->nfields == 0));
		/* A signed-in POST outside the anonymous JSON auth API
		 * must check CSRF. */
		if ((r->methods & (M_POST | M_PUT)) && r->role != ROLE_NONE)
			assert_true(r->flags & R_CSRF);
		if (strncmp(r->pattern, "/api/", 5) == 0)
			assert_true(r->flags & R_JSON);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_literal_and_ids),
		cmocka_unit_test(test_not_found_and_method),
		cmocka_unit_test(test_put_and_allowed),
		cmocka_unit_test(test_real_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
