/*
 * attempt: scoring a learner's answer (attempt_score) for every question
 * kind, and the refusals that must change nothing: forged option ids,
 * non-numbers, an option twice, an incomplete or repeated ordering.  The
 * scorer reads only the request's validated fields and params, so a struct
 * req with an arena, a form and params is all it needs.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "base/arena.h"
#include "base/qbank.h"
#include "http/server.h"
#include "pages/attempt.h"
#include "pages/pages.h"

static struct arena arena;
static struct http_param params[16];
static const char *fstr[F_ANS__MAX];
static int fpresent[F_ANS__MAX];
static struct req req;

static const int form_field[F_ANS__MAX] = { F_ANS_OPTION, F_ANS_OPTIONS,
    F_ANS_VALUE, F_ANS_TEXT, F_ANS_ORDER };
static const char *const form_name[F_ANS__MAX] = { "option", "options",
    "value", "text", "order" };

/* A request with params kv (name, value, ..., NULL); declared fields get
 * the first value of their name, as http_validate() would. */
static struct req *
with(const char *const *kv)
{
	size_t n = 0;
	int i;

	arena_reset(&arena);
	memset(&req, 0, sizeof(req));
	req.a = &arena;
	for (i = 0; i < F_ANS__MAX; i++) {
		fstr[i] = "";
		fpresent[i] = 0;
	}
	for (; kv[0] != NULL; kv += 2, n++) {
		params[n].name = kv[0];
		params[n].value = kv[1];
		params[n].valuelen = strlen(kv[1]);
		for (i = 0; i < F_ANS__MAX; i++)
			if (strcmp(kv[0], form_name[i]) == 0 &&
			    !fpresent[form_field[i]]) {
				fstr[form_field[i]] = kv[1];
				fpresent[form_field[i]] = 1;
			}
	}
	req.params = params;
	req.nparams = n;
	req.form.n = F_ANS__MAX;
	req.form.str = fstr;
	req.form.present = fpresent;
	return &req;
}

static const struct attempt_opt choices[] = {
	{ 11, "2", 1, 0, 0, "Even." },
	{ 12, "3", 0, 0, 0, "Odd." },
	{ 13, "8", 1, 0, 0, "" },
};

struct out {
	int		 correct, nids, rc;
	const char	*answer, *fb, *why;
	int64_t		 ids[QB_MAXOPTS];
};

static struct out
run(const char *kind, const struct attempt_opt *o, int n,
    const char *const *kv)
{
	struct out x;

	memset(&x, 0, sizeof(x));
	x.rc = attempt_score(with(kv), kind, o, n, &x.correct, &x.answer,
	    x.ids, &x.nids, &x.fb, &x.why);
	return x;
}

static void
single_choice(void **state)
{
	struct out x;

	(void)state;
	x = run("single", choices, 3, (const char *[]){ "option", "12", NULL });
	assert_int_equal(x.rc, 0);
	assert_false(x.correct);
	assert_string_equal(x.fb, "Odd.");
	assert_int_equal(x.nids, 1);
	assert_int_equal(x.ids[0], 12);
	x = run("single", choices, 3, (const char *[]){ "option", "11", NULL });
	assert_true(x.correct);
	/* Forged, malformed and missing ids. */
	x = run("single", choices, 3, (const char *[]){ "option", "99", NULL });
	assert_int_equal(x.rc, -1);
	assert_non_null(strstr(x.why, "not one of this question"));
	x = run("single", choices, 3, (const char *[]){ "option", "11x",
	    NULL });
	assert_int_equal(x.rc, -1);
	x = run("single", choices, 3, (const char *[]){ NULL });
	assert_int_equal(x.rc, -1);
	assert_string_equal(x.why, "Choose an answer.");
}

static void
multiple_choice(void **state)
{
	struct out x;

	(void)state;
	/* Checkboxes: the field repeated. */
	x = run("multiple", choices, 3, (const char *[]){ "options", "13",
	    "options", "11", NULL });
	assert_int_equal(x.rc, 0);
	assert_true(x.correct);
	assert_int_equal(x.nids, 2);
	/* The API's "11,13". */
	x = run("multiple", choices, 3, (const char *[]){ "options", "11,13",
	    NULL });
	assert_true(x.correct);
	/* A subset or a superset is wrong. */
	x = run("multiple", choices, 3, (const char *[]){ "options", "11",
	    NULL });
	assert_int_equal(x.rc, 0);
	assert_false(x.correct);
	x = run("multiple", choices, 3, (const char *[]){ "options",
	    "11,12,13", NULL });
	assert_false(x.correct);
	x = run("multiple", choices, 3, (const char *[]){ "options", "11,11",
	    NULL });
	assert_int_equal(x.rc, -1);
	x = run("multiple", choices, 3, (const char *[]){ "options", "11,77",
	    NULL });
	assert_int_equal(x.rc, -1);
}

static void
numeric(void **state)
{
	static const struct attempt_opt o[] = {
		{ 21, "", 1, 3.14, 0.005, "Close enough." },
		{ 22, "", 0, 3.0, 0.0, "Too rough." },
	};
	struct out x;

	(void)state;
	x = run("numeric", o, 2, (const char *[]){ "value", "3,141", NULL });
	assert_int_equal(x.rc, 0);
	assert_true(x.correct);
	assert_string_equal(x.fb, "Close enough.");
	x = run("numeric", o, 2, (const char *[]){ "value", "3", NULL });
	assert_false(x.correct);
	assert_string_equal(x.fb, "Too rough.");
	x = run("numeric", o, 2, (const char *[]){ "value", "2.5", NULL });
	assert_int_equal(x.rc, 0);
	assert_false(x.correct);
	assert_int_equal(x.nids, 0);
	x = run("numeric", o, 2, (const char *[]){ "value", "pi", NULL });
	assert_int_equal(x.rc, -1);
	assert_non_null(strstr(x.why, "must be a number"));
	x = run("numeric", o, 2, (const char *[]){ "value", "3.1.4", NULL });
	assert_int_equal(x.rc, -1);
	x = run("numeric", o, 2, (const char *[]){ "value", "inf", NULL });
	assert_int_equal(x.rc, -1);
	x = run("numeric", o, 2, (const char *[]){ "value", "nan", NULL });
	assert_int_equal(x.rc, -1);
}

static void
short_text(void **state)
{
	static const struct attempt_opt o[] = {
		{ 31, "Paris", 1, 0, 0, "" },
		{ 32, "Lutetia", 1, 0, 0, "The old name." },
	};
	struct out x;

	(void)state;
	x = run("short", o, 2, (const char *[]){ "text", "PARIS", NULL });
	assert_int_equal(x.rc, 0);
	assert_true(x.correct);
	x = run("short", o, 2, (const char *[]){ "text", "lutetia", NULL });
	assert_true(x.correct);
	assert_string_equal(x.fb, "The old name.");
	x = run("short", o, 2, (const char *[]){ "text", "Lyon", NULL });
	assert_int_equal(x.rc, 0);
	assert_false(x.correct);
	x = run("short", o, 2, (const char *[]){ NULL });
	assert_int_equal(x.rc, -1);
}

static void
ordering(void **state)
{
	static const struct attempt_opt o[] = {
		{ 41, "one", 0, 0, 0, "" },
		{ 42, "two", 0, 0, 0, "" },
		{ 43, "three", 0, 0, 0, "" },
	};
	struct out x;

	(void)state;
	x = run("ordering", o, 3, (const char *[]){ "order", "41,42,43",
	    NULL });
	assert_int_equal(x.rc, 0);
	assert_true(x.correct);
	x = run("ordering", o, 3, (const char *[]){ "order", "42,41,43",
	    NULL });
	assert_int_equal(x.rc, 0);
	assert_false(x.correct);
	/* The page's selects: rank_<id> = position. */
	x = run("ordering", o, 3, (const char *[]){ "rank_43", "3", "rank_41",
	    "1", "rank_42", "2", NULL });
	assert_int_equal(x.rc, 0);
	assert_true(x.correct);
	assert_string_equal(x.answer, "41,42,43");
	x = run("ordering", o, 3, (const char *[]){ "rank_43", "1", "rank_41",
	    "1", "rank_42", "2", NULL });
	assert_int_equal(x.rc, -1);
	x = run("ordering", o, 3, (const char *[]){ "order", "41,41,43",
	    NULL });
	assert_int_equal(x.rc, -1);
	x = run("ordering", o, 3, (const char *[]){ "order", "41,42", NULL });
	assert_int_equal(x.rc, -1);
	x = run("ordering", o, 3, (const char *[]){ "order", "41,42,99",
	    NULL });
	assert_int_equal(x.rc, -1);
}

static void
theta_level(void **state)
{
	int d;

	(void)state;
	/* The inverse of qb_difficulty_b on the bank's ten levels. */
	for (d = 1; d <= 10; d++)
		assert_int_equal(attempt_theta_level(qb_difficulty_b(d)), d);
	assert_int_equal(attempt_theta_level(-40), 1);
	assert_int_equal(attempt_theta_level(40), 10);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(single_choice),
		cmocka_unit_test(multiple_choice),
		cmocka_unit_test(numeric),
		cmocka_unit_test(short_text),
		cmocka_unit_test(ordering),
		cmocka_unit_test(theta_level),
	};

	arena_init(&arena, 4096);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
