/*
 * aiken: options with "." and ")", multi-line question text, optional
 * blank lines, CRLF, every error with its line (all of them), the writer's
 * round trip and what it refuses to write.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "base/aiken.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/qbank.h"

static struct arena A;

static int
setup(void **state)
{
	arena_init(&A, 64 * 1024);
	return 0;
}

static int
teardown(void **state)
{
	arena_free(&A);
	return 0;
}

static int
parse(const char *s, struct qb_set *set)
{
	return aiken_parse(&A, s, strlen(s), set);
}

static const char *
errors(const struct qb_set *set)
{
	struct buf b;
	const char *out;
	size_t i;

	buf_init(&b);
	for (i = 0; i < set->nerr; i++)
		buf_printf(&b, "%d: %s\n", set->err[i].line, set->err[i].msg);
	out = arena_strdup(&A, b.p ? b.p : "");
	buf_free(&b);
	return out;
}

static void
test_basic(void **state)
{
	struct qb_set s;

	assert_int_equal(parse(
	    "What is the correct answer to this question?\n"
	    "A. Is it this one?\n"
	    "B. Maybe this answer?\n"
	    "C. Possibly this one?\n"
	    "D. Must be this one!\n"
	    "ANSWER: D\n"
	    "Which LMS has the most quiz import formats?\r\n"
	    "A) Moodle\r\n"
	    "B) ATutor\r\n"
	    "ANSWER: a\r\n", &s), 0);
	assert_int_equal(s.nq, 2);
	assert_int_equal(s.q[0].kind, QB_SINGLE);
	assert_int_equal(s.q[0].nopts, 4);
	assert_true(s.q[0].opts[3].correct);
	assert_false(s.q[0].opts[0].correct);
	assert_string_equal(s.q[0].opts[3].text, "Must be this one!");
	assert_int_equal(s.q[1].line, 7);
	assert_string_equal(s.q[1].opts[0].text, "Moodle");
	assert_true(s.q[1].opts[0].correct);
}

static void
test_multiline_stem_and_blank_lines(void **state)
{
	struct qb_set s;

	assert_int_equal(parse("\n\nFirst line\nsecond line\n\nA. x\n"
	    "B. y\n\nANSWER: B\n\n\n", &s), 0);
	assert_int_equal(s.nq, 1);
	assert_string_equal(s.q[0].stem, "First line\nsecond line");
	assert_int_equal(s.q[0].line, 3);
	/* A byte-order mark after blanks is trimmed like them (found by
	 * fuzz_aiken: the writer could not put it back). */
	assert_int_equal(parse(" \xef\xbb\xbfQ\nA. x\nB. y\nANSWER: A\n",
	    &s), 0);
	assert_string_equal(s.q[0].stem, "Q");
}

static void
test_errors_have_lines_and_all_are_reported(void **state)
{
	struct qb_set s;
	const char *e;

	assert_int_equal(parse(
	    "A. orphan option\n"		/* 1 */
	    "Q1\n"				/* 2 */
	    "A. a\n"
	    "C. c\n"				/* 4 */
	    "ANSWER: A\n"
	    "Q2\n"				/* 6 */
	    "A. a\n"
	    "B. b\n"
	    "ANSWER: E\n"			/* 9 */
	    "Q3\n"				/* 10 */
	    "A. a\n"
	    "ANSWER: A\n"			/* 12 */
	    "ANSWER: B\n"			/* 13 */
	    "Q4\n"				/* 14 */
	    "A. a\n"
	    "B. b\n"
	    "Q5 starts without an answer for Q4\n" /* 17 */
	    "A. a\n"
	    "B. b\n"
	    "ANSWER: AB\n"			/* 20 */
	    "Q6\n"				/* 21 */
	    "A. a\n"
	    "B.\n"				/* 23 */
	    "ANSWER: A\n"
	    "Q7 never answered\n"		/* 25 */
	    "A. a\n", &s), -1);
	e = errors(&s);
	assert_non_null(strstr(e, "1: option A. comes before any question"));
	assert_non_null(strstr(e, "4: option C. is out of order: expected "
	    "B."));
	assert_non_null(strstr(e, "9: ANSWER: E names no option (the options "
	    "are A to B)"));
	assert_non_null(strstr(e, "12: the question at line 10 needs at "
	    "least two options"));
	assert_non_null(strstr(e, "13: an ANSWER line with no question"));
	assert_non_null(strstr(e, "14: the question has no ANSWER line (line "
	    "17 reads as the next question)"));
	assert_non_null(strstr(e, "20: ANSWER must be followed by one option "
	    "letter"));
	assert_non_null(strstr(e, "23: option B. has no text"));
	assert_non_null(strstr(e, "25: the question has no ANSWER line (the "
	    "file ends first)"));
	assert_int_equal(s.nerr, 9);
	/* Errors are in line order. */
	assert_int_equal(s.err[0].line, 1);
	assert_int_equal(s.err[s.nerr - 1].line, 25);
}

static void
test_too_many_options_and_bad_bytes(void **state)
{
	struct qb_set s;
	const char bad[] = "Q\nA. \xc3\x28\nB. b\nANSWER: A\n";

	assert_int_equal(parse("Q\nA. 1\nB. 2\nC. 3\nD. 4\nE. 5\nF. 6\n"
	    "G. 7\nH. 8\nI. 9\nJ. 10\nK. 11\nANSWER: A\n", &s), -1);
	assert_int_equal(s.nerr, 1);
	assert_int_equal(s.err[0].line, 12);
	assert_int_equal(aiken_parse(&A, bad, sizeof(bad) - 1, &s), -1);
	assert_int_equal(s.err[0].line, 2);
}

static void
test_round_trip_and_skips(void **state)
{
	struct qb_question q[5];
	struct qb_set s;
	struct buf b;
	size_t skipped[5], i;

	qb_init(&q[0], QB_SINGLE);
	q[0].stem = "Two lines\nof text: {} = ~ # are not special here";
	q[0].opts[0].text = "A. looks like an option but is text";
	q[0].opts[1].text = "ANSWER: inside an option is fine";
	q[0].opts[2].text = "third";
	q[0].opts[2].correct = 1;
	q[0].nopts = 3;
	qb_init(&q[1], QB_MULTIPLE);		/* not Aiken */
	q[1].stem = "m";
	q[1].opts[0].text = "a";
	q[1].opts[0].correct = 1;
	q[1].opts[1].text = "b";
	q[1].nopts = 2;
	q[2] = q[0];
	q[2].stem = "Text\nB. reads as an option";	/* would misread */
	q[3] = q[0];
	q[3].stem = "Blank\n\nline";
	q[4] = q[0];
	q[4].stem = "Last";
	q[4].title = "titles are not carried";
	q[4].opts[0].feedback = "nor feedback";
	for (i = 0; i < 5; i++)
		for (size_t k = 0; k < q[i].nopts; k++)
			if (q[i].opts[k].feedback == NULL)
				q[i].opts[k].feedback = "";
	buf_init(&b);
	assert_int_equal(aiken_write(&b, q, 5, skipped), 3);
	assert_int_equal(skipped[0], 1);
	assert_int_equal(skipped[1], 2);
	assert_int_equal(skipped[2], 3);
	if (aiken_parse(&A, b.p, b.len, &s) != 0)
		fail_msg("re-import failed: %s\n%s", errors(&s), b.p);
	assert_int_equal(s.nq, 2);
	assert_true(qb_same(&q[0], &s.q[0], 1));
	assert_true(qb_same(&q[4], &s.q[1], 1));
	assert_false(qb_same(&q[4], &s.q[1], 0));	/* title dropped */
	s.q[1].opts[0].correct = 1;
	assert_false(qb_same(&q[4], &s.q[1], 1));
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic),
		cmocka_unit_test(test_multiline_stem_and_blank_lines),
		cmocka_unit_test(test_errors_have_lines_and_all_are_reported),
		cmocka_unit_test(test_too_many_options_and_bad_bytes),
		cmocka_unit_test(test_round_trip_and_skips),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
