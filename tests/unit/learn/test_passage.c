/*
 * passage: UTF-8 validation, tokens (folding, joiners, separators), stop
 * words and plurals, sentences (abbreviations, decimals, initials, list
 * items), passages (headings, overlap, an over-long line cut at bounded
 * size).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "learn/passage.h"

static void
test_utf8(void **state)
{
	size_t bad;

	assert_true(learn_utf8_valid("caf\xc3\xa9", 5, &bad));
	assert_false(learn_utf8_valid("caf\xe9 x", 6, &bad));
	assert_int_equal(bad, 3);
	assert_false(learn_utf8_valid("\xc0\xaf", 2, &bad));	/* overlong */
	assert_false(learn_utf8_valid("\xed\xa0\x80", 3, &bad));	/* surrogate */
	assert_false(learn_utf8_valid("ab\xe2\x82", 4, &bad));	/* cut */
	assert_int_equal(bad, 2);
}

static void
test_tokens(void **state)
{
	const char *s = "The B-tree's 3.14 keys\xe2\x80\x94" "caf\xc3\xa9, don't!";
	const char *want[] = { "the", "b-tree's", "3.14", "keys", "caf\xc3\xa9",
	    "don't" };
	char buf[LEARN_TOK_MAX + 1];
	size_t pos = 0, off, sl, n, i = 0;

	while ((n = learn_tok_next(s, strlen(s), &pos, buf, &off, &sl)) > 0) {
		assert_true(i < 6);
		assert_string_equal(buf, want[i]);
		i++;
	}
	assert_int_equal(i, 6);
	assert_true(learn_stopword("the", 3));
	assert_false(learn_stopword("table", 5));
	strcpy(buf, "queries");
	assert_int_equal(learn_stem(buf, 7), 5);
	assert_string_equal(buf, "query");
	strcpy(buf, "class");
	assert_int_equal(learn_stem(buf, 5), 5);
	strcpy(buf, "keys");
	assert_int_equal(learn_stem(buf, 4), 3);
}

static void
test_sentences(void **state)
{
	const char *s = "Pi is about 3.14 here. E.g. this stays, as does Dr. Codd "
	    "and J. Smith. It was written in C. Then:\n- one item\n- two";
	struct learn_span sp[8];
	size_t n = learn_sentences(s, strlen(s), sp, 8);

	assert_int_equal(n, 6);
	assert_int_equal(sp[0].len, strlen("Pi is about 3.14 here."));
	assert_memory_equal(s + sp[1].off, "E.g. this", 9);
	assert_memory_equal(s + sp[2].off, "It was written in C.", 20);
	assert_memory_equal(s + sp[4].off, "- one item", 10);
	assert_int_equal(learn_sentences("", 0, sp, 8), 0);
}

static void
test_chunks(void **state)
{
	const char *d = "# Title\n\nIntro paragraph.\n\n## Part\n\nFirst one. "
	    "Second one.\n\nThird paragraph here.\n";
	struct learn_chunk_opt o = { 30, 200, 1 };
	struct learn_passage *ps = NULL;
	size_t n = 0, cap = 0, i;
	char *big;

	assert_int_equal(learn_chunk(d, strlen(d), 7, &o, &ps, &n, &cap), 0);
	assert_int_equal(n, 3);
	assert_memory_equal(ps[0].heading, "Title", 5);
	assert_int_equal(ps[0].head_level, 1);
	assert_memory_equal(ps[1].text, "First one.", 10);
	assert_memory_equal(ps[1].heading, "Part", 4);
	/* the overlap: the third passage starts with the second's last
	 * sentence */
	assert_memory_equal(ps[2].text, "Second one.", 11);
	assert_int_equal(ps[2].doc, 7);
	assert_int_equal(ps[2].off, (size_t)(ps[2].text - d));
	free(ps);
	/* 1 MB on one line, no stop: passages of at most max bytes */
	big = malloc(1 << 20);
	for (i = 0; i < (1 << 20); i++)
		big[i] = i % 7 == 6 ? ' ' : 'a';
	ps = NULL;
	n = cap = 0;
	assert_int_equal(learn_chunk(big, 1 << 20, 0, NULL, &ps, &n, &cap), 0);
	assert_true(n > (1 << 20) / 2000);
	for (i = 0; i < n; i++)
		assert_true(ps[i].len <= 2000);
	free(ps);
	free(big);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_tokens),
		cmocka_unit_test(test_sentences),
		cmocka_unit_test(test_chunks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
