/*
 * markdown: CommonMark renders; raw HTML and script URLs are made inert.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "base/arena.h"
#include "base/markdown.h"

static char *
md(struct arena *a, const char *s)
{
	return markdown_html(a, s, strlen(s));
}

static void
test_renders(void **state)
{
	struct arena a;

	arena_init(&a, 0);
	assert_string_equal(md(&a, "# Title\n\n**bold**\n"),
	    "<h1>Title</h1>\n<p><strong>bold</strong></p>\n");
	assert_non_null(strstr(md(&a, "- a\n- b\n"), "<li>a</li>"));
	arena_free(&a);
}

static void
test_inert(void **state)
{
	struct arena a;
	char *h;

	arena_init(&a, 0);
	h = md(&a, "<script>alert(1)</script>\n\nok <img src=x onerror=alert(1)>\n");
	assert_null(strstr(h, "<script"));
	assert_null(strstr(h, "<img"));
	assert_non_null(strstr(h, "ok"));
	h = md(&a, "[x](javascript:alert(1)) [y](https://example.org/)\n");
	assert_null(strstr(h, "javascript:"));
	assert_non_null(strstr(h, "href=\"https://example.org/\""));
	h = md(&a, "a \"quoted\" & <b>tag</b>\n");
	assert_null(strstr(h, "<b>"));
	arena_free(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_renders),
		cmocka_unit_test(test_inert),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
