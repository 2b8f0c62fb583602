/*
 * teach: the list inputs of the course and lesson forms (repeated fields
 * paired by position, or the API's compact "3:5,7:2"), and the sentence
 * naming a prerequisite cycle (start first, titles, "#id" for unknown).
 * Neither touches the database, so a struct req with an arena and params
 * is all they need.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "base/arena.h"
#include "http/server.h"
#include "pages/teach.h"

static struct arena arena;
static struct http_param params[16];
static struct req req;

static struct req *
with(const char *const *kv)
{
	size_t n = 0;

	arena_reset(&arena);
	memset(&req, 0, sizeof(req));
	req.a = &arena;
	for (; kv[0] != NULL; kv += 2, n++) {
		params[n].name = kv[0];
		params[n].value = kv[1];
		params[n].valuelen = strlen(kv[1]);
	}
	req.params = params;
	req.nparams = n;
	return &req;
}

static const char *
levels(struct req *r, struct teach_ids *out, int *present)
{
	return teach_ids_read(r, "skill", "skill_level", "skills", "skill",
	    out, present);
}

static void
test_form_pairs(void **state)
{
	const char *kv[] = { "skill", "12", "skill_level", "4", "skill", "",
	    "skill_level", "9", "skill", " 7 ", "skill_level", "10", NULL };
	struct teach_ids l;
	int present;

	assert_null(levels(with(kv), &l, &present));
	assert_true(present);
	assert_int_equal(l.n, 2);	/* the blank row is skipped */
	assert_int_equal(l.id[0], 12);
	assert_int_equal(l.level[0], 4);
	assert_int_equal(l.id[1], 7);
	assert_int_equal(l.level[1], 10);
}

static void
test_compact(void **state)
{
	const char *kv[] = { "skills", "3:5, 7:2,", NULL };
	const char *ids[] = { "prereqs", "5,6", NULL };
	struct teach_ids l;
	int present;

	assert_null(levels(with(kv), &l, &present));
	assert_int_equal(l.n, 2);
	assert_int_equal(l.id[1], 7);
	assert_int_equal(l.level[1], 2);
	assert_null(teach_ids_read(with(ids), "prereq", NULL, "prereqs",
	    "lesson", &l, &present));
	assert_int_equal(l.n, 2);
	assert_int_equal(l.id[0], 5);
}

static void
test_absent_and_empty(void **state)
{
	const char *none[] = { "title", "x", NULL };
	const char *empty[] = { "skills", "", NULL };
	struct teach_ids l;
	int present;

	assert_null(levels(with(none), &l, &present));
	assert_false(present);
	assert_null(levels(with(empty), &l, &present));
	assert_true(present);	/* an empty list clears */
	assert_int_equal(l.n, 0);
}

static void
test_refusals(void **state)
{
	static const char *const bad[][9] = {
		{ "skill", "0", "skill_level", "3", NULL },
		{ "skill", "-4", "skill_level", "3", NULL },
		{ "skill", "abc", "skill_level", "3", NULL },
		{ "skill", "99999999999999999999", "skill_level", "3", NULL },
		{ "skill", "4", "skill_level", "11", NULL },
		{ "skill", "4", "skill_level", "0", NULL },
		{ "skill", "4", NULL },
		{ "skill", "4", "skill_level", "2", "skill", "4", "skill_level",
		    "5", NULL },
		{ "skills", "4:2,4:3", NULL },
		{ "skills", "4", NULL },
		{ "skills", "4:x", NULL },
	};
	struct teach_ids l;
	size_t i;
	int present;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_non_null(levels(with(bad[i]), &l, &present));
	}
	{
		const char *kv[] = { "prereqs", "4:2", NULL };

		assert_non_null(teach_ids_read(with(kv), "prereq", NULL,
		    "prereqs", "lesson", &l, &present));
	}
}

static void
test_cycle_text(void **state)
{
	const int64_t ids[] = { 1, 2 };
	const char *titles[] = { "Algebra", "Calculus" };
	const int64_t from[] = { 1, 2, 3 }, to[] = { 2, 3, 1 };
	int64_t *cycle, self[] = { 9 };
	size_t n;
	const char *kv[] = { NULL };

	assert_int_equal(teach_cycle_find(with(kv), from, to, 3, 2, &cycle,
	    &n), 1);
	assert_int_equal(n, 3);
	assert_int_equal(cycle[0], 2);	/* start first */
	assert_string_equal(teach_cycle_text(&req, cycle, n, ids, titles, 2),
	    "Prerequisite cycle refused: \"Calculus\" requires \"#3\", which "
	    "requires \"Algebra\", which requires \"Calculus\". Remove one of "
	    "these prerequisites.");
	assert_string_equal(teach_cycle_text(&req, self, 1, NULL, NULL, 0),
	    "Prerequisite cycle refused: \"#9\" requires itself.");
	assert_int_equal(teach_cycle_find(&req, from, to, 2, 1, &cycle, &n), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_form_pairs),
		cmocka_unit_test(test_compact),
		cmocka_unit_test(test_absent_and_empty),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_cycle_text),
	};
	int rc;

	arena_init(&arena, 0);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	arena_free(&arena);
	return rc;
}
