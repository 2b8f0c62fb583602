/*
 * csv reader: header lookup by name, quoting, ragged rows, empty input,
 * typed getters with errors that name the line.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "base/csv.h"

static void
test_columns_by_name(void **state)
{
	const char in[] = "b,a,extra\r\n1,2.5,x\n\n3,\"4\",\"y,\"\"z\"\"\"\n";
	struct csv c;
	double d;
	int v;

	assert_int_equal(csv_open_mem(&c, in, sizeof(in) - 1), 0);
	assert_int_equal(csv_col(&c, "a"), 1);
	assert_int_equal(csv_col(&c, "nope"), -1);
	assert_int_equal(csv_next(&c), 1);
	assert_int_equal(csv_int(&c, 0, &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(csv_double(&c, 1, &d), 0);
	assert_true(d == 2.5);
	assert_int_equal(csv_next(&c), 1);
	assert_int_equal(c.lineno, 4);
	assert_string_equal(csv_str(&c, 1), "4");
	assert_string_equal(csv_str(&c, 2), "y,\"z\"");
	assert_int_equal(csv_next(&c), 0);
	csv_close(&c);
}

static void
test_errors_name_the_line(void **state)
{
	const char ragged[] = "a,b\n1,2\n3\n";
	const char nan[] = "a\nnan\n";
	const char quote[] = "a\n\"x\n";
	struct csv c;
	double d;

	assert_int_equal(csv_open_mem(&c, ragged, sizeof(ragged) - 1), 0);
	assert_int_equal(csv_next(&c), 1);
	assert_int_equal(csv_next(&c), -1);
	assert_non_null(strstr(csv_error(&c), "line 3"));
	csv_close(&c);

	assert_int_equal(csv_open_mem(&c, nan, sizeof(nan) - 1), 0);
	assert_int_equal(csv_next(&c), 1);
	assert_int_equal(csv_double(&c, 0, &d), -1);
	assert_non_null(strstr(csv_error(&c), "line 2: column a"));
	csv_close(&c);

	assert_int_equal(csv_open_mem(&c, quote, sizeof(quote) - 1), 0);
	assert_int_equal(csv_next(&c), -1);
	assert_non_null(strstr(csv_error(&c), "unterminated"));
	csv_close(&c);

	assert_int_equal(csv_open_mem(&c, "", 0), -1);
	assert_non_null(strstr(csv_error(&c), "empty input"));
	csv_close(&c);
	assert_int_equal(csv_open_mem(&c, "\n\n", 2), -1);
	csv_close(&c);
}

static void
test_missing_column(void **state)
{
	struct csv c;

	assert_int_equal(csv_open_mem(&c, "x,y\n", 4), 0);
	assert_int_equal(csv_need(&c, "rating"), -1);
	assert_string_equal(csv_error(&c),
	    "line 1: missing column \"rating\" in header");
	csv_close(&c);
}

/* A row that fails to split leaves no fields behind: before the fix,
 * csv_str() still returned the previous row's fields, pointers into the
 * line buffer that getline had just reallocated (use after free). */
static void
test_no_stale_fields_after_error(void **state)
{
	char in[4096];
	struct csv c;
	FILE *fp;
	int i;

	strcpy(in, "a,b,c\n1,2,3\n\"");
	memset(in + strlen(in), 'x', 2000);
	strcpy(in + strlen(in), "\n");
	assert_non_null(fp = fmemopen(in, strlen(in), "r"));
	assert_int_equal(csv_open_file(&c, fp), 0);
	assert_int_equal(csv_next(&c), 1);
	assert_int_equal(csv_next(&c), -1);
	assert_non_null(strstr(csv_error(&c), "line 3: unterminated"));
	assert_int_equal(c.nfield, 0);
	for (i = 0; i < 3; i++)
		assert_string_equal(csv_str(&c, i), "");
	csv_close(&c);
	fclose(fp);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_columns_by_name),
		cmocka_unit_test(test_errors_name_the_line),
		cmocka_unit_test(test_missing_column),
		cmocka_unit_test(test_no_stale_fields_after_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
