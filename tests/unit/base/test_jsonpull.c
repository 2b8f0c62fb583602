/*
 * test_jsonpull: the strict JSON pull reader (src/base/jsonpull.c): what
 * RFC 8259 accepts and refuses (literals, numbers, strings, UTF-8, \u
 * escapes and surrogate pairs, commas, nesting, trailing text), the limits
 * kept from jansson (\u0000, int64, double overflow, duplicate keys,
 * scalar top level), the depth limit, decoding, compact copies and the
 * error position.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/jsonpull.h"

static struct arena	a;

/* Reads the whole of s (as one document, flags); NULL if accepted, else
 * the reader's reason. */
static const char *
read_all(const char *s, size_t len, int flags)
{
	struct jpull jp;
	struct jpull_tok t;

	arena_reset(&a);
	jpull_init(&jp, &a, s, len, flags);
	if (jpull_next(&jp, &t) == JPULL_ERROR || jpull_skip(&jp, &t) == -1 ||
	    jpull_next(&jp, &t) != JPULL_EOF) {
		assert_non_null(jp.err);
		return jp.err;
	}
	return NULL;
}

static const char *
doc(const char *s)
{
	return read_all(s, strlen(s), JPULL_NODUP);
}

static void
accepts_rfc8259(void **state)
{
	static const char *good[] = {
		"[]", "{}", " \t\r\n[ ] \n", "0", "-0", "1.5", "-1.5e-3",
		"1E+2", "0.0e0", "123456789", "\"\"", "true", "false", "null",
		"[1,[2,[3,{}]],{\"a\":{\"b\":[]}}]",
		"{\"a\":1,\"b\":[true,false,null]}",
		"\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\uD83D\\uDE00\"",
		"\"caf\xc3\xa9 \xe4\xb8\xad \xf0\x9f\x98\x80 \xef\xbf\xbf\"",
		"\"\xed\x9f\xbf \xee\x80\x80 \xf4\x8f\xbf\xbf\"",	/* around
									   the surrogates, U+10FFFF */
		"9223372036854775807", "-9223372036854775808",
		"1.7976931348623157e308", "179769313486231580793728971405303"
		"41507993413271003782693617377898044496829276475094664901797758"
		"72070963302864166928879109465555478519404026306574886715058206"
		"81908902000708383676273854845817711531764475730270069855571366"
		"95962284291481986083493647529271907416844436551070434271155969"
		"9508093042880177904174497791.0", "1e-400", "-0.0e-99999",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (doc(good[i]) != NULL)
			fail_msg("refused %s: %s", good[i], doc(good[i]));
}

static void
refuses_the_rest(void **state)
{
	static const struct {
		const char	*s, *why;
	} bad[] = {
		{ "", "end of input" }, { " ", "end of input" },
		{ "[1,]", "trailing comma" }, { "{\"a\":1,}", "trailing comma" },
		{ "[,1]", "value" }, { "[1 2]", "','" }, { "{\"a\" 1}", "':'" },
		{ "{\"a\":}", "value" }, { "{1:2}", "key" }, { "{'a':1}", "key" },
		{ "[1]]", "end of input expected" }, { "[1] x", "end of input" },
		{ "[", "end of input" }, { "{\"a\":1", "end of input" },
		{ "tru", "literal" }, { "nul", "literal" }, { "True", "value" },
		{ "truex", "end of input expected" }, { "NaN", "value" },
		{ "01", "end of input expected" }, { "-", "number" },
		{ "1.", "number" }, { ".5", "value" }, { "1e", "number" },
		{ "1e+", "number" }, { "+1", "value" }, { "0x10", "end of" },
		{ "-01", "end of input expected" }, { "1.5.2", "end of" },
		{ "9223372036854775808", "int64" },
		{ "-9223372036854775809", "int64" },
		{ "100000000000000000000", "int64" },
		{ "1e309", "double" }, { "-1e309", "double" },
		{ "1.7976931348623159e308", "double" },
		{ "179769313486231580793728971405303415079934132710037826936173"
		  "778980444968292764750946649017977587207096330286416692887910"
		  "946555547851940402630657488671505820681908902000708383676273"
		  "854845817711531764475730270069855571366959622842914819860834"
		  "936475292719074168444365510704342711559699508093042880177904"
		  "174497792.0", "double" },	/* 2^1024 - 2^970: a tie, rounds up */
		{ "0.1e310", "double" },
		{ "\"abc", "unterminated" }, { "\"a\nb\"", "control" },
		{ "\"a\tb\"", "control" }, { "\"\\x\"", "invalid escape" },
		{ "\"\\u12\"", "four hex" }, { "\"\\u12G4\"", "four hex" },
		{ "\"\\u0000\"", "u0000" }, { "\"\\uD800\"", "surrogate" },
		{ "\"\\uDC00\"", "surrogate" }, { "\"\\uD800\\u0041\"", "surr" },
		{ "\"\\uD800\\uD800\"", "surrogate" }, { "\"\\uD800x\"", "surr" },
		{ "\"\xc0\xaf\"", "UTF-8" }, { "\"\xc1\xbf\"", "UTF-8" },
		{ "\"\xe0\x9f\xbf\"", "UTF-8" },	/* overlong, 3 bytes */
		{ "\"\xf0\x8f\xbf\xbf\"", "UTF-8" },	/* overlong, 4 bytes */
		{ "\"\xed\xa0\x80\"", "UTF-8" },	/* U+D800 encoded */
		{ "\"\xed\xbf\xbf\"", "UTF-8" },	/* U+DFFF encoded */
		{ "\"\xf4\x90\x80\x80\"", "UTF-8" },	/* past U+10FFFF */
		{ "\"\xf5\x80\x80\x80\"", "UTF-8" }, { "\"\xff\"", "UTF-8" },
		{ "\"\x80\"", "UTF-8" }, { "\"\xc3\"", "UTF-8" },
		{ "\"\xe4\xb8\"", "UTF-8" }, { "\"\xc3\x28\"", "UTF-8" },
		{ "\xef\xbb\xbf[]", "value" },	/* a byte order mark */
		{ "{\"a\":1,\"a\":2}", "duplicate" },
		{ "{\"a\":1,\"\\u0061\":2}", "duplicate" },	/* decoded */
		{ "[{\"a\":{\"b\":1,\"b\":1}}]", "duplicate" },
	};
	const char *why;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if ((why = doc(bad[i].s)) == NULL)
			fail_msg("accepted %s", bad[i].s);
		if (strstr(why, bad[i].why) == NULL)
			fail_msg("%s: \"%s\", not \"%s\"", bad[i].s, why,
			    bad[i].why);
	}
	/* A NUL byte is no whitespace, and lengths are kept to. */
	assert_non_null(read_all("[]\0", 3, 0));
	assert_null(read_all("[1]]", 3, 0));
	assert_non_null(read_all("\"ab\"", 3, 0));
}

static void
limits_kept_from_jansson(void **state)
{
	struct buf_s {
		char	p[4 * JPULL_DEPTH_MAX];
	} b;
	int i;

	(void)state;
	/* A scalar document only without JPULL_CONTAINER. */
	assert_null(read_all("1", 1, 0));
	assert_string_equal(read_all("1", 1, JPULL_CONTAINER),
	    "'[' or '{' expected");
	assert_null(read_all("[1]", 3, JPULL_CONTAINER));
	/* Duplicates only with JPULL_NODUP; siblings may share keys. */
	assert_null(read_all("{\"a\":1,\"a\":2}", 13, 0));
	assert_null(doc("[{\"a\":1},{\"a\":2},{\"b\":{\"a\":3}}]"));
	assert_null(doc("{\"a\":{\"a\":{\"a\":1}}}"));
	/* Nesting: JPULL_DEPTH_MAX levels, not one more. */
	for (i = 0; i < JPULL_DEPTH_MAX; i++) {
		b.p[i] = '[';
		b.p[2 * JPULL_DEPTH_MAX - 1 - i] = ']';
	}
	assert_null(read_all(b.p, 2 * JPULL_DEPTH_MAX, 0));
	for (i = 0; i <= JPULL_DEPTH_MAX; i++) {
		b.p[i] = '[';
		b.p[2 * JPULL_DEPTH_MAX + 1 - i] = ']';
	}
	assert_string_equal(read_all(b.p, 2 * JPULL_DEPTH_MAX + 2, 0),
	    "nested too deeply");
}

/* An object of n distinct keys, plus a repeat of key `dup` if >= 0. */
static char *
many_keys(int n, int dup)
{
	size_t cap = (size_t)n * 16 + 32, len = 0;
	char *s = malloc(cap);
	int i;

	s[len++] = '{';
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(s + len, cap - len, "%s\"k%d\":%d",
		    i ? "," : "", i, i);
	if (dup >= 0)
		len += (size_t)snprintf(s + len, cap - len, ",\"k%d\":0", dup);
	s[len++] = '}';
	s[len] = '\0';
	return s;
}

static void
duplicates_in_big_objects(void **state)
{
	char *s;

	(void)state;
	/* Past the linear check: the hash index, rebuilt as it grows. */
	s = many_keys(20000, -1);
	assert_null(doc(s));
	free(s);
	s = many_keys(20000, 0);
	assert_string_equal(doc(s), "duplicate object key");
	free(s);
	s = many_keys(20000, 19999);
	assert_string_equal(doc(s), "duplicate object key");
	free(s);
	s = many_keys(17, 16);
	assert_string_equal(doc(s), "duplicate object key");
	free(s);
}

static void
tokens_and_decoding(void **state)
{
	static const char s[] = "{\"k\\u00e9y\":[\"a\\nb\\ud83d\\ude00\","
	    "-12,3.5e1,true,null],\"n\":-9223372036854775808}";
	struct jpull jp;
	struct jpull_tok t;
	char dec[64];
	size_t n;
	const char *p;

	(void)state;
	arena_reset(&a);
	jpull_init(&jp, &a, s, strlen(s), JPULL_NODUP);
	assert_int_equal(jpull_next(&jp, &t), JPULL_OBJECT);
	assert_int_equal(jpull_next(&jp, &t), JPULL_KEY);
	assert_true(t.esc);
	p = jpull_str(&t, dec, &n);
	assert_int_equal(n, 4);
	assert_memory_equal(p, "k\xc3\xa9y", 4);
	assert_int_equal(jpull_next(&jp, &t), JPULL_ARRAY);
	assert_int_equal(jpull_next(&jp, &t), JPULL_STRING);
	p = jpull_str(&t, dec, &n);
	assert_int_equal(n, 7);
	assert_memory_equal(p, "a\nb\xf0\x9f\x98\x80", 7);
	assert_int_equal(jpull_next(&jp, &t), JPULL_NUMBER);
	assert_true(t.integer);
	assert_int_equal(jpull_int(&t), -12);
	assert_int_equal(jpull_next(&jp, &t), JPULL_NUMBER);
	assert_false(t.integer);
	assert_int_equal(t.len, 5);
	assert_int_equal(jpull_next(&jp, &t), JPULL_TRUE);
	assert_int_equal(jpull_next(&jp, &t), JPULL_NULL);
	assert_int_equal(jpull_next(&jp, &t), JPULL_END);
	assert_int_equal(jpull_next(&jp, &t), JPULL_KEY);
	assert_false(t.esc);
	assert_int_equal(jpull_str(&t, dec, &n), t.p);	/* no copy */
	assert_int_equal(jpull_next(&jp, &t), JPULL_NUMBER);
	assert_true(jpull_int(&t) == INT64_MIN);
	assert_int_equal(jpull_next(&jp, &t), JPULL_END);
	assert_int_equal(jpull_next(&jp, &t), JPULL_EOF);
	assert_int_equal(jpull_next(&jp, &t), JPULL_EOF);
}

static void
compact_copies(void **state)
{
	static const char s[] = "[ { \"a\" : [ 1 , { } , [ ] , \"x y\" ] ,"
	    "\n\t\"b\" : { \"c\" : null } } , 2 ]";
	char out[64];
	struct jpull jp;
	struct jpull_tok t;
	struct jpull_out o = { out, 0, sizeof(out), 0 };

	(void)state;
	arena_reset(&a);
	jpull_init(&jp, &a, s, strlen(s), JPULL_NODUP);
	assert_int_equal(jpull_next(&jp, &t), JPULL_ARRAY);
	assert_int_equal(jpull_next(&jp, &t), JPULL_OBJECT);
	assert_int_equal(jpull_copy(&jp, &t, &o), 0);
	assert_false(o.full);
	assert_int_equal(o.len, strlen("{\"a\":[1,{},[],\"x y\"],\"b\":"
	    "{\"c\":null}}"));
	assert_memory_equal(out, "{\"a\":[1,{},[],\"x y\"],\"b\":{\"c\":null}}",
	    o.len);
	/* The reader goes on after the copied value. */
	assert_int_equal(jpull_next(&jp, &t), JPULL_NUMBER);
	/* Too small: reads on, writes nothing past max, says so. */
	jpull_init(&jp, &a, s, strlen(s), JPULL_NODUP);
	o.len = 0;
	o.max = 10;
	assert_int_equal(jpull_next(&jp, &t), JPULL_ARRAY);
	assert_int_equal(jpull_copy(&jp, &t, &o), 0);
	assert_true(o.full);
	assert_true(o.len <= 10);
	assert_int_equal(jpull_next(&jp, &t), JPULL_EOF);
	/* A copy of malformed JSON fails. */
	jpull_init(&jp, &a, "[1,,2]", 6, 0);
	o.len = o.full = 0;
	assert_int_equal(jpull_next(&jp, &t), JPULL_ARRAY);
	assert_int_equal(jpull_copy(&jp, &t, &o), -1);
}

static void
error_position(void **state)
{
	struct jpull jp;
	struct jpull_tok t;
	int line, col;
	static const char s[] = "[1,\n \"\xc3\xa9\xc3\xa9\", x]";

	(void)state;
	arena_reset(&a);
	jpull_init(&jp, &a, s, strlen(s), 0);
	assert_int_equal(jpull_next(&jp, &t), JPULL_ARRAY);
	assert_int_equal(jpull_skip(&jp, &t), -1);
	jpull_where(&jp, &line, &col);
	assert_int_equal(line, 2);
	assert_int_equal(col, 8);	/* characters, not bytes */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(accepts_rfc8259),
		cmocka_unit_test(refuses_the_rest),
		cmocka_unit_test(limits_kept_from_jansson),
		cmocka_unit_test(duplicates_in_big_objects),
		cmocka_unit_test(tokens_and_decoding),
		cmocka_unit_test(compact_copies),
		cmocka_unit_test(error_position),
	};
	int rc;

	arena_init(&a, 64 * 1024);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	arena_free(&a);
	return rc;
}
