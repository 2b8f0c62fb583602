/*
 * extract: HTML to text -- scripts, styles and the head dropped with
 * their content; named and numeric entities decoded, unknown ones and
 * bare ampersands kept; block tags become paragraph breaks, headings "#"
 * lines and list items "- " lines, with at most one blank line; malformed
 * HTML (unclosed tags, comments, quotes and scripts, lone brackets, random
 * bytes) ends without a crash and without reading past the input; and
 * extract_mem sniffs HTML from the content.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "out/extract.h"

/* extract_html on a C string; the caller frees. */
static char *
html(const char *s)
{
	size_t n = (size_t)-1;
	char *r = extract_html(s, strlen(s), &n);

	assert_non_null(r);
	assert_int_equal(n, strlen(r));
	return r;
}

/* The text of in is want, give or take line breaks at the end (the
 * caller's check of the text, extract.c's finish, settles those). */
static void
expect(const char *in, const char *want)
{
	char *r = html(in);
	size_t n = strlen(r), wn = strlen(want);

	while (n > 0 && r[n - 1] == '\n')
		r[--n] = '\0';
	while (wn > 0 && want[wn - 1] == '\n')
		wn--;
	assert_int_equal(n, wn);
	assert_memory_equal(r, want, wn);
	free(r);
}

static void
test_scripts_and_styles_dropped(void **state)
{
	(void)state;
	expect("<html><head><title>T</title><style>p { color: red }</style>"
	    "</head><body><p>Kept.</p><script>var x = 1 < 2 && \"</p>\";"
	    "</script><p>Also kept.</p></body></html>",
	    "Kept.\n\nAlso kept.\n");
	/* close tags in any case; noscript, template and svg as well */
	expect("<p>a</p><SCRIPT type=\"text/javascript\">alert(1)</SCRIPT>"
	    "<noscript>enable JS</noscript><template><p>t</p></template>"
	    "<svg><text>drawn</text></svg><p>b</p>",
	    "a\n\nb\n");
	/* a comment, even one holding tags, is dropped */
	expect("<p>x <!-- <p>hidden</p> --> y</p>", "x y\n");
}

static void
test_entities_decoded(void **state)
{
	(void)state;
	expect("<p>Fish &amp; chips &lt;b&gt; &quot;q&quot; &apos;s&apos;</p>",
	    "Fish & chips <b> \"q\" 's'\n");
	/* numeric, decimal and hexadecimal; nbsp to a space */
	expect("<p>&#65;&#x42;&#X43; caf&#233; &eacute; 1&nbsp;000 a&#160;b</p>",
	    "ABC caf\xc3\xa9 \xc3\xa9 1 000 a b\n");
	expect("<p>a&mdash;b&ndash;c&hellip; &copy; &ldquo;x&rdquo;</p>",
	    "a\xe2\x80\x94" "b\xe2\x80\x93" "c\xe2\x80\xa6 \xc2\xa9 "
	    "\xe2\x80\x9cx\xe2\x80\x9d\n");
	/* unknown entities, bare ampersands and unterminated ones stay */
	expect("<p>AT&T &bogus; &amp &#xZZ; R&D</p>",
	    "AT&T &bogus; &amp &#xZZ; R&D\n");
	/* code points that are not characters become U+FFFD */
	expect("<p>&#0;&#xD800;&#x110000;</p>",
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\n");
}

static void
test_blocks_to_paragraphs(void **state)
{
	(void)state;
	expect("<p>One</p><p>Two</p><div>Three</div>",
	    "One\n\nTwo\n\nThree\n");
	expect("<h1>Title</h1><p>Text</p><h3>Sub</h3><p>More</p>",
	    "# Title\n\nText\n\n### Sub\n\nMore\n");
	expect("<ul><li>one</li><li>two</li></ul><p>after</p>",
	    "- one\n- two\n\nafter\n");
	expect("<p>line<br>next<br/>last</p>", "line\nnext\nlast\n");
	/* inline tags join words; white space collapses */
	expect("<p>a <b>bold</b>\n\t  <i>word</i>s</p>", "a bold words\n");
	/* many empty blocks: at most one blank line */
	expect("<p>a</p><div></div><p></p><section>\n\n</section><p>b</p>",
	    "a\n\nb\n");
	/* table cells are spaced */
	expect("<table><tr><td>a</td><td>b</td></tr><tr><th>c</th></tr>"
	    "</table>", "a b\n\nc\n");
}

static void
test_malformed(void **state)
{
	static const char *const bad[] = {
		"", "<", ">", "<<<>>>", "</", "<p", "<p>text <b",
		"<!-- never closed <p>x</p>", "<script>never closed",
		"<p class=\"unclosed>text</p>", "<p class='a>b'>ok</p>",
		"<style>", "</script>", "&", "&#", "&#x;", "&;",
		"&#99999999999999999999;", "<h1>open heading",
		"<li><li><li>", "<br><br><br><br>", "a < b > c",
		"<!doctype html><html", "<?xml version=\"1.0\"?><p>x</p>",
		"<a href=\"x\"\n>link</a>", "<p>\xe2\x80</p>",
	};
	char *r;
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r = extract_html(bad[i], strlen(bad[i]), &n);
		assert_non_null(r);
		assert_int_equal(n, strlen(r));
		free(r);
	}
	/* text before an unclosed tag survives; a lone '<' is text */
	expect("<p>kept <b", "kept\n");
	expect("<p>1 < 2</p>", "1 < 2\n");
	/* the input need not be NUL-terminated: only n bytes are read */
	{
		char buf[8];

		memcpy(buf, "<p>abcde", 8);
		r = extract_html(buf, 8, &n);
		assert_non_null(r);
		assert_string_equal(r, "abcde");
		free(r);
		/* ending on '<' or '&': nothing read past it (under ASan) */
		for (i = 1; i <= 8; i++) {
			char *t = malloc(i);

			assert_non_null(t);
			memcpy(t, "ab <p> &", i - 1);
			t[i - 1] = i % 2 ? '<' : '&';
			r = extract_html(t, i, &n);
			assert_non_null(r);
			free(r);
			free(t);
		}
	}
}

/* Random bytes from a small alphabet rich in markup: no crash, and the
 * text is never longer than a few times the input (entities grow). */
static void
test_random_bytes(void **state)
{
	static const char alpha[] = "<>/!-\"'&#;xp hscriptyle1\n=ab";
	char in[512], *r;
	size_t i, k, n, len;
	uint32_t x = 2463534242u;

	(void)state;
	for (i = 0; i < 3000; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		len = x % sizeof(in);
		for (k = 0; k < len; k++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			in[k] = alpha[x % (sizeof(alpha) - 1)];
		}
		r = extract_html(in, len, &n);
		assert_non_null(r);
		assert_int_equal(n, strlen(r));
		assert_true(n <= 4 * len + 8);
		free(r);
	}
}

static void
test_mem_sniffs_html(void **state)
{
	static const char page[] = "<!DOCTYPE html>\n<html><head><title>x"
	    "</title></head><body><h2>Keys</h2><p>A primary key &amp; a "
	    "foreign key.</p><script>x()</script></body></html>";
	struct extract_doc d;

	(void)state;
	assert_int_equal(extract_mem(page, sizeof(page) - 1, &d), EXTRACT_OK);
	assert_int_equal(d.type, EXTRACT_HTML);
	assert_non_null(strstr(d.text, "## Keys"));
	assert_non_null(strstr(d.text, "A primary key & a foreign key."));
	assert_null(strstr(d.text, "x()"));
	extract_free(&d);
	/* markup with no text is empty, not an error of another kind */
	assert_int_equal(extract_mem("<html><body><script>x</script></body>"
	    "</html>", 44, &d), EXTRACT_EMPTY);
	assert_null(d.text);
	assert_true(d.err[0] != '\0');
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scripts_and_styles_dropped),
		cmocka_unit_test(test_entities_decoded),
		cmocka_unit_test(test_blocks_to_paragraphs),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_random_bytes),
		cmocka_unit_test(test_mem_sniffs_html),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
