/*
 * buf: growth, printf, and the two escapers every page and API answer
 * goes through (HTML and JSON).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "base/buf.h"

static void
test_grow_and_printf(void **state)
{
	struct buf b;
	int i;

	buf_init(&b);
	for (i = 0; i < 10000; i++)
		buf_printf(&b, "%d,", i % 10);
	assert_int_equal(b.len, 20000);
	assert_int_equal(strlen(b.p), 20000);
	buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.p, "");
	buf_free(&b);
}

static void
test_html_escape(void **state)
{
	const char in[] = "<a href=\"x\" title='y'>&amp;</a>";
	struct buf b;

	buf_init(&b);
	buf_put_html(&b, in, strlen(in));
	assert_string_equal(b.p, "&lt;a href=&quot;x&quot; title=&#39;y&#39;"
	    "&gt;&amp;amp;&lt;/a&gt;");
	buf_reset(&b);
	buf_put_html(&b, "plain text, é", strlen("plain text, é"));
	assert_string_equal(b.p, "plain text, é");
	buf_free(&b);
}

static void
test_json_escape(void **state)
{
	const char in[] = "q\"b\\n\n\t\x01</script>é";
	struct buf b;

	buf_init(&b);
	buf_put_json(&b, in, strlen(in));
	assert_string_equal(b.p,
	    "q\\\"b\\\\n\\n\\t\\u0001\\u003c/script>é");
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grow_and_printf),
		cmocka_unit_test(test_html_escape),
		cmocka_unit_test(test_json_escape),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
