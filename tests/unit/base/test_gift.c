/*
 * gift: every construct the reader accepts (choices, weights, feedback,
 * true/false, short text, numeric forms, general feedback, titles,
 * comments, categories, escapes, missing word, metadata comments), every
 * refusal with its line number (all errors of a file, not the first),
 * the writer's round trip, and the shared qbank answer rules.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/gift.h"
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
	return gift_parse(&A, s, strlen(s), set);
}

/* The text of every error, "line: msg\n" each, for substring checks. */
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
test_single_choice_with_feedback_and_title(void **state)
{
	struct qb_set s;

	assert_int_equal(parse("// a comment\n"
	    "::Capital::What is the capital of France? {\n"
	    "  =Paris#Right, Paris.\n"
	    "  ~London#That is England.\n"
	    "  ~Berlin\n"
	    "}\n", &s), 0);
	assert_int_equal(s.nq, 1);
	assert_int_equal(s.q[0].kind, QB_SINGLE);
	assert_int_equal(s.q[0].line, 2);
	assert_string_equal(s.q[0].title, "Capital");
	assert_string_equal(s.q[0].stem, "What is the capital of France?");
	assert_int_equal(s.q[0].nopts, 3);
	assert_string_equal(s.q[0].opts[0].text, "Paris");
	assert_true(s.q[0].opts[0].correct);
	assert_string_equal(s.q[0].opts[0].feedback, "Right, Paris.");
	assert_string_equal(s.q[0].opts[1].text, "London");
	assert_false(s.q[0].opts[1].correct);
	assert_string_equal(s.q[0].opts[1].feedback, "That is England.");
	assert_string_equal(s.q[0].opts[2].feedback, "");
}

static void
test_multiple_choice_weights(void **state)
{
	struct qb_set s;

	assert_int_equal(parse("Which are primes? {~%50%2 ~%50%3 ~%-100%4 "
	    "~%-100%6}", &s), 0);
	assert_int_equal(s.q[0].kind, QB_MULTIPLE);
	assert_true(s.q[0].opts[0].correct);
	assert_true(s.q[0].opts[1].correct);
	assert_false(s.q[0].opts[2].correct);
	assert_false(s.q[0].opts[3].correct);
	/* Two "=": several right answers, read as multiple choice. */
	assert_int_equal(parse("Pick {=a =b ~c}", &s), 0);
	assert_int_equal(s.q[0].kind, QB_MULTIPLE);
	/* A decimal weight. */
	assert_int_equal(parse("Pick {~%33.33333%a ~%33.33333%b "
	    "~%33.33333%c ~d}", &s), 0);
	assert_int_equal(s.q[0].kind, QB_MULTIPLE);
	/* Text that only looks like a weight start stays text. */
	assert_int_equal(parse("Deal? {=%50 off ~none}", &s), 0);
	assert_int_equal(s.q[0].kind, QB_SINGLE);
	assert_string_equal(s.q[0].opts[0].text, "%50 off");
}

static void
test_true_false(void **state)
{
	struct qb_set s;

	assert_int_equal(parse("The sun is a star. {T}\n\n"
	    "Two plus two is five. {FALSE#No: it is four.#Yes, it is "
	    "false.}\n\nx {true}\n\ny {f}", &s), 0);
	assert_int_equal(s.nq, 4);
	assert_int_equal(s.q[0].kind, QB_TRUEFALSE);
	assert_string_equal(s.q[0].opts[0].text, "True");
	assert_true(s.q[0].opts[0].correct);
	assert_false(s.q[0].opts[1].correct);
	/* FALSE is right: #wrong feedback goes on True, #right on False. */
	assert_true(s.q[1].opts[1].correct);
	assert_string_equal(s.q[1].opts[0].feedback, "No: it is four.");
	assert_string_equal(s.q[1].opts[1].feedback, "Yes, it is false.");
	assert_int_equal(s.q[1].line, 3);
	assert_true(s.q[2].opts[0].correct);
	assert_true(s.q[3].opts[1].correct);
}

static void
test_short_answer(void **state)
{
	struct qb_set s;

	assert_int_equal(parse("Who wrote Hamlet? {=Shakespeare "
	    "=William Shakespeare#Full name! =W. Shakespeare}", &s), 0);
	assert_int_equal(s.q[0].kind, QB_SHORT);
	assert_int_equal(s.q[0].nopts, 3);
	assert_string_equal(s.q[0].opts[1].text, "William Shakespeare");
	assert_string_equal(s.q[0].opts[1].feedback, "Full name!");
	assert_int_equal(qb_short_match(&A, &s.q[0],
	    "  william   SHAKESPEARE "), 1);
	assert_int_equal(qb_short_match(&A, &s.q[0], "Marlowe"), -1);
	/* A single "=" answer is short text too. */
	assert_int_equal(parse("2+2 in words? {=four}", &s), 0);
	assert_int_equal(s.q[0].kind, QB_SHORT);
}

static void
test_numeric_forms(void **state)
{
	struct qb_set s;

	assert_int_equal(parse("Pi? {#3.14:0.01}\n\n"
	    "Between? {#1..5}\n\n"
	    "Exact {#-2.5e1}\n\n"
	    "Several {#\n=3.1416:0.0001#Exact\n=%0%3:0#Rounded too much\n"
	    "=%50%3.1:0.05}\n\nWith feedback {#42#Yes}", &s), 0);
	assert_int_equal(s.nq, 5);
	assert_int_equal(s.q[0].kind, QB_NUMERIC);
	assert_true(s.q[0].opts[0].value == 3.14);
	assert_true(s.q[0].opts[0].tolerance == 0.01);
	assert_true(s.q[1].opts[0].value == 3);
	assert_true(s.q[1].opts[0].tolerance == 2);
	assert_true(s.q[2].opts[0].value == -25);
	assert_true(s.q[2].opts[0].tolerance == 0);
	assert_int_equal(s.q[3].nopts, 3);
	assert_true(s.q[3].opts[0].correct);
	assert_false(s.q[3].opts[1].correct);
	assert_string_equal(s.q[3].opts[1].feedback, "Rounded too much");
	assert_true(s.q[3].opts[2].correct);
	assert_string_equal(s.q[4].opts[0].feedback, "Yes");
	/* Matching against tolerance. */
	assert_int_equal(qb_numeric_match(&s.q[0], 3.15), 0);
	assert_int_equal(qb_numeric_match(&s.q[0], 3.151), -1);
	assert_int_equal(qb_numeric_match(&s.q[1], 5), 0);
	assert_int_equal(qb_numeric_match(&s.q[3], 3), 1);
	assert_int_equal(qb_numeric_match(&s.q[3], NAN), -1);
}

static void
test_general_feedback_and_missing_word(void **state)
{
	struct qb_set s;

	assert_int_equal(parse("Moodle costs {~lots =nothing ~a little} to "
	    "download.", &s), 0);
	assert_string_equal(s.q[0].stem, "Moodle costs _____ to download.");
	assert_int_equal(parse("Q {=a ~b ####Because a.}", &s), 0);
	assert_string_equal(s.q[0].explanation, "Because a.");
	assert_int_equal(s.q[0].nopts, 2);
	assert_int_equal(parse("Q {T ####It is.}", &s), 0);
	assert_string_equal(s.q[0].explanation, "It is.");
	assert_int_equal(parse("Q {#5 ####Five.}", &s), 0);
	assert_string_equal(s.q[0].explanation, "Five.");
}

static void
test_escapes(void **state)
{
	struct qb_set s;

	assert_int_equal(parse("::a\\:\\:b::Is 1 \\= 1 \\{really\\} \\~ "
	    "\\#1 \\\\ ok?\\nNext line {=yes \\= sure#fine \\# ~no}", &s), 0);
	assert_string_equal(s.q[0].title, "a::b");
	assert_string_equal(s.q[0].stem,
	    "Is 1 = 1 {really} ~ #1 \\ ok?\nNext line");
	assert_string_equal(s.q[0].opts[0].text, "yes = sure");
	assert_string_equal(s.q[0].opts[0].feedback, "fine #");
	/* An unknown escape is kept as written. */
	assert_int_equal(parse("a \\q b {T}", &s), 0);
	assert_string_equal(s.q[0].stem, "a \\q b");
}

static void
test_categories_comments_formats_blank_lines(void **state)
{
	struct qb_set s;

	assert_int_equal(parse("\xef\xbb\xbf$CATEGORY: top/sub\r\n\r\n"
	    "// comment\r\n[markdown]A *bold*\r\nquestion {\r\n"
	    "// inside\r\n=x\r\n~y\r\n}\r\n\r\n\r\n\r\n"
	    "[html]Two {T}\r", &s), 0);
	assert_int_equal(s.nq, 2);
	assert_string_equal(s.q[0].stem, "A *bold*\nquestion");
	assert_int_equal(s.q[0].line, 4);
	assert_string_equal(s.q[1].stem, "Two");
	assert_int_equal(s.q[1].line, 13);
	assert_int_equal(parse("", &s), 0);
	assert_int_equal(s.nq, 0);
}

static void
test_metadata_comments(void **state)
{
	struct qb_set s;

	assert_int_equal(parse("// adept-difficulty: 7\n// adept-skill: "
	    "Fractions\n// adept-skill: Mental arithmetic\nHalf of 1? "
	    "{#0.5}\n\nNo meta {T}", &s), 0);
	assert_int_equal(s.q[0].difficulty, 7);
	assert_int_equal(s.q[0].nskills, 2);
	assert_string_equal(s.q[0].skills[1], "Mental arithmetic");
	assert_int_equal(s.q[1].difficulty, 0);
	assert_int_equal(s.q[1].nskills, 0);
	assert_int_equal(parse("// adept-difficulty: 11\nQ {T}", &s), -1);
	assert_int_equal(s.err[0].line, 1);
	assert_non_null(strstr(s.err[0].msg, "1 to 10"));
}

/* Every error of the file, each on its own line, nothing kept. */
static void
test_errors_have_lines_and_all_are_reported(void **state)
{
	struct qb_set s;
	const char *e;

	assert_int_equal(parse(
	    "Good one {=a ~b}\n"		/* 1 */
	    "\n"
	    "Matching {=a -> 1 =b -> 2}\n"	/* 3 */
	    "\n"
	    "Essay {}\n"			/* 5 */
	    "\n"
	    "Unclosed {=a ~b\n"			/* 7 */
	    "~c\n"
	    "\n"
	    "No answers here\n"			/* 10 */
	    "\n"
	    "Pi {#three}\n"			/* 12 */
	    "\n"
	    "No right {~a ~b}\n"		/* 14 */
	    "\n"
	    "::open title {T}\n"		/* 16 */
	    "\n"
	    "Weight {~%150%a =b}\n"		/* 18 */
	    "\n"
	    "Range {#5..1}\n"			/* 20 */
	    "\n"
	    "Tol {#1:-1}\n"			/* 22 */
	    "\n"
	    "Two blocks {T}\n{F}\n"		/* 24 */
	    "\n"
	    "Stray } here {T}\n"		/* 27 */
	    "\n"
	    "Too many {=1 ~2 ~3 ~4 ~5 ~6 ~7 ~8 ~9 ~10 ~11}\n" /* 29 */
	    "\n"
	    "Empty {=a ~}\n"			/* 31 */
	    "\n"
	    "Text first {a ~b}\n"		/* 33 */
	    "\n"
	    "{=only answers}\n",		/* 35 */
	    &s), -1);
	e = errors(&s);
	assert_int_equal(s.nq, 0 + 1);	/* the good one parsed ... */
	assert_non_null(strstr(e, "3: matching"));
	assert_non_null(strstr(e, "5: essay"));
	assert_non_null(strstr(e, "7: the answer block opened here is not "
	    "closed"));
	assert_non_null(strstr(e, "10: no answer block"));
	assert_non_null(strstr(e, "12: \"three\" is not a number"));
	assert_non_null(strstr(e, "14: no answer is marked right"));
	assert_non_null(strstr(e, "16: the title opened with :: is not "
	    "closed"));
	assert_non_null(strstr(e, "18: the weight %150% is outside"));
	assert_non_null(strstr(e, "20: the range \"5..1\" has its minimum"));
	assert_non_null(strstr(e, "22: the tolerance in \"1:-1\" is negative"));
	assert_non_null(strstr(e, "24: one answer block per question"));
	assert_non_null(strstr(e, "27: a } with no { before it"));
	assert_non_null(strstr(e, "29: a question has at most 10 answers"));
	assert_non_null(strstr(e, "31: an answer has no text"));
	assert_non_null(strstr(e, "33: answers must start with ="));
	assert_non_null(strstr(e, "35: the question has no text"));
	assert_int_equal(s.nerr, 16);
	/* ... but the file as a whole is refused: -1 above. */
}

static void
test_not_utf8(void **state)
{
	struct qb_set s;
	const char bad[] = "Q {T}\n\nR \xff {T}";

	assert_int_equal(gift_parse(&A, bad, sizeof(bad) - 1, &s), -1);
	assert_int_equal(s.err[0].line, 3);
	assert_int_equal(gift_parse(&A, "a\0b {T}", 8, &s), -1);
	assert_int_equal(s.err[0].line, 1);
}

static void
test_error_cap(void **state)
{
	struct buf b;
	struct qb_set s;
	int i;

	buf_init(&b);
	for (i = 0; i < QB_MAXERRORS + 5; i++)
		buf_puts(&b, "Essay {}\n\n");
	assert_int_equal(gift_parse(&A, b.p, b.len, &s), -1);
	assert_int_equal(s.nerr, QB_MAXERRORS);
	assert_int_equal(s.ndropped, 5);
	buf_free(&b);
}

static struct qb_option
opt(const char *text, const char *fb, int correct)
{
	struct qb_option o;

	memset(&o, 0, sizeof(o));
	o.text = text;
	o.feedback = fb;
	o.correct = correct;
	return o;
}

static struct qb_option
num(double v, double t, const char *fb, int correct)
{
	struct qb_option o = opt("", fb, correct);

	o.value = v;
	o.tolerance = t;
	return o;
}

/* A bank exercising every kind and every character that needs escaping. */
static size_t
sample(struct qb_question *q)
{
	size_t n = 0;

	qb_init(&q[n], QB_SINGLE);
	q[n].title = "Escapes :: {all} ~ = # \\";
	q[n].stem = "Is a = b {x} ~ #1 \\ : ok?\nSecond *line*\n\n"
	    "After a blank line";
	q[n].explanation = "Because ~ and = need \\ escapes.";
	q[n].difficulty = 3;
	q[n].skills[0] = "Logic";
	q[n].skills[1] = "Reading, slowly";
	q[n].nskills = 2;
	q[n].opts[0] = opt("yes = sure", "fine # ok", 1);
	q[n].opts[1] = opt("%50 discount", "", 0);
	q[n].opts[2] = opt("{no}", "nope", 0);
	q[n++].nopts = 3;

	qb_init(&q[n], QB_MULTIPLE);
	q[n].stem = "Primes";
	q[n].opts[0] = opt("2", "even prime", 1);
	q[n].opts[1] = opt("3", "", 1);
	q[n].opts[2] = opt("5", "", 1);
	q[n].opts[3] = opt("4", "no", 0);
	q[n].opts[4] = opt("%9", "", 0);
	q[n++].nopts = 5;

	qb_init(&q[n], QB_MULTIPLE);
	q[n].stem = "One right but multiple";
	q[n].opts[0] = opt("a", "", 1);
	q[n].opts[1] = opt("b", "", 0);
	q[n++].nopts = 2;

	qb_init(&q[n], QB_TRUEFALSE);
	q[n].stem = "False is right";
	q[n].opts[0] = opt("True", "", 0);
	q[n].opts[1] = opt("False", "right#", 1);
	q[n++].nopts = 2;

	qb_init(&q[n], QB_TRUEFALSE);
	q[n].stem = "True is right";
	q[n].explanation = "x";
	q[n].opts[0] = opt("True", "", 1);
	q[n].opts[1] = opt("False", "", 0);
	q[n++].nopts = 2;

	qb_init(&q[n], QB_NUMERIC);
	q[n].stem = "Pi";
	q[n].difficulty = 10;
	q[n].opts[0] = num(3.14159, 0.001, "good", 1);
	q[n].opts[1] = num(3, 0, "too rough", 0);
	q[n].opts[2] = num(-1e-7, 0.1, "", 1);
	q[n++].nopts = 3;

	qb_init(&q[n], QB_SHORT);
	q[n].stem = "Author";
	q[n].opts[0] = opt("Shakespeare", "", 1);
	q[n].opts[1] = opt("%W. S.", "initials", 1);
	q[n++].nopts = 2;
	return n;
}

static void
test_round_trip(void **state)
{
	struct qb_question q[8], ord;
	struct qb_set s;
	struct buf b;
	size_t n = sample(q), i, skipped[9];

	for (i = 0; i < n; i++)
		assert_null(qb_check(&q[i]));
	qb_init(&ord, QB_ORDERING);
	ord.stem = "Order";
	ord.opts[0] = opt("first", "", 0);
	ord.opts[1] = opt("second", "", 0);
	ord.nopts = 2;
	q[n] = ord;
	buf_init(&b);
	assert_int_equal(gift_write(&b, q, n + 1, skipped), 1);
	assert_int_equal(skipped[0], n);
	assert_non_null(strstr(b.p, "// skipped question 8 (Ordering): "
	    "ordering questions have no GIFT form"));
	if (gift_parse(&A, b.p, b.len, &s) != 0)
		fail_msg("re-import failed: %s\n%s", errors(&s), b.p);
	assert_int_equal(s.nq, n);
	for (i = 0; i < n; i++)
		if (!qb_same(&q[i], &s.q[i], 0))
			fail_msg("question %zu differs after the round trip:\n%s",
			    i + 1, b.p);
	/* And writing the re-import gives the same text. */
	{
		struct buf b2;

		buf_init(&b2);
		gift_write(&b2, s.q, s.nq, NULL);
		buf_puts(&b, "");
		assert_non_null(strstr(b.p, b2.p));
		buf_free(&b2);
	}
	buf_free(&b);
}

static void
test_round_trip_catches_changes(void **state)
{
	struct qb_question q[8];
	struct qb_set s;
	struct buf b;
	size_t n = sample(q);

	buf_init(&b);
	gift_write(&b, q, n, NULL);
	assert_int_equal(gift_parse(&A, b.p, b.len, &s), 0);
	/* qb_same must notice a changed answer, else the round-trip test
	 * above could not fail. */
	s.q[0].opts[0].correct = 0;
	s.q[0].opts[1].correct = 1;
	assert_false(qb_same(&q[0], &s.q[0], 0));
	s.q[5].opts[0].tolerance = 0.002;
	assert_false(qb_same(&q[5], &s.q[5], 0));
	buf_free(&b);
}

static void
test_writer_skips_arrow_options(void **state)
{
	struct qb_question q;
	struct buf b;

	qb_init(&q, QB_SINGLE);
	q.stem = "Arrow";
	q.opts[0] = opt("a -> b", "", 1);
	q.opts[1] = opt("c", "", 0);
	q.nopts = 2;
	buf_init(&b);
	assert_int_equal(gift_write(&b, &q, 1, NULL), 1);
	assert_non_null(strstr(b.p, "matching"));
	buf_free(&b);
}

static void
test_qbank_rules(void **state)
{
	struct qb_question q;

	assert_string_equal(qb_normalise(&A, "  \tÉCOLE  Été\n ÀÖ Ÿ ΣΑ ДОМ "),
	    "école été àö ÿ σα дом");
	assert_string_equal(qb_normalise(&A, "a\xff  B"), "a\xff b");
	assert_true(fabs(qb_difficulty_b(1) + 3) < 1e-12);
	assert_true(fabs(qb_difficulty_b(10) - 3) < 1e-12);
	assert_true(fabs(qb_difficulty_b(4) - qb_difficulty_b(3) - 2.0 / 3)
	    < 1e-12);
	assert_true(qb_difficulty_b(0) == qb_difficulty_b(1));
	assert_int_equal(qb_kind_parse("ordering"), QB_ORDERING);
	assert_int_equal(qb_kind_parse("essay"), -1);
	qb_init(&q, QB_SINGLE);
	q.stem = "x";
	q.opts[0] = opt("a", "", 1);
	q.opts[1] = opt("b", "", 1);
	q.nopts = 2;
	assert_non_null(strstr(qb_check(&q), "exactly one"));
	q.kind = QB_MULTIPLE;
	assert_null(qb_check(&q));
	q.opts[1].text = "";
	assert_non_null(strstr(qb_check(&q), "no text"));
	q.kind = QB_ORDERING;
	q.opts[1].text = "b";
	assert_null(qb_check(&q));
	q.nopts = 1;
	assert_non_null(qb_check(&q));
	q.kind = QB_SHORT;
	q.opts[0].correct = 0;
	assert_non_null(qb_check(&q));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_single_choice_with_feedback_and_title),
		cmocka_unit_test(test_multiple_choice_weights),
		cmocka_unit_test(test_true_false),
		cmocka_unit_test(test_short_answer),
		cmocka_unit_test(test_numeric_forms),
		cmocka_unit_test(test_general_feedback_and_missing_word),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_categories_comments_formats_blank_lines),
		cmocka_unit_test(test_metadata_comments),
		cmocka_unit_test(test_errors_have_lines_and_all_are_reported),
		cmocka_unit_test(test_not_utf8),
		cmocka_unit_test(test_error_cap),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_round_trip_catches_changes),
		cmocka_unit_test(test_writer_skips_arrow_options),
		cmocka_unit_test(test_qbank_rules),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
