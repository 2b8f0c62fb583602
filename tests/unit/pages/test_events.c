/*
 * test_events: events_parse, the validation of event batches: RFC 3339
 * dates (calendar, offsets, fraction digits), the array literals handed to
 * PostgreSQL (quoting of hostile text), in-batch duplicates, xAPI mapping,
 * the first bad event's index, and the batch limit.
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
#include "base/buf.h"
#include "pages/events.h"

#define NOW	1795593600	/* 2026-11-25T08:00:00Z */
#define ID(n)	"6f1c2a52-3c55-4a52-9d0c-0d8a2b9b1e0" #n

static struct arena	a;

static int	retention = 24;

static int
parse(const char *body, struct ev_batch *eb)
{
	arena_reset(&a);
	return events_parse(&a, body, strlen(body), NOW, retention, eb);
}

static char *
one(const char *ts)
{
	static char b[512];

	snprintf(b, sizeof(b), "[{\"id\":\"" ID(1) "\",\"verb\":\"v\","
	    "\"object\":\"o\",\"timestamp\":\"%s\"}]", ts);
	return b;
}

static void
timestamps(void **state)
{
	struct ev_batch eb;
	static const char *good[][2] = {
		{ "2026-11-25T07:00:00Z", "{\"2026-11-25T07:00:00+00:00\"}" },
		{ "2026-11-25t07:00:00.5z", "{\"2026-11-25T07:00:00.5+00:00\"}" },
		{ "2026-11-25T09:00:00.123456789+02:00",
		    "{\"2026-11-25T09:00:00.123456+02:00\"}" },
		{ "2026-11-24T20:00:00-05:30", "{\"2026-11-24T20:00:00-05:30\"}" },
		{ "2024-02-29T00:00:00Z", "{\"2024-02-29T00:00:00+00:00\"}" },
	};
	static const char *bad[] = {
		"2025-02-29T00:00:00Z", "2026-11-31T00:00:00Z",
		"2026-13-01T00:00:00Z", "2026-11-25T24:00:00Z",
		"2026-11-25T23:60:00Z", "2026-11-25T23:59:60Z",
		"2026-11-25 07:00:00Z", "2026-11-25T07:00:00",
		"2026-11-25T07:00:00+0200", "2026-11-25T07:00:00.Z",
		"2026-11-25T07:00Z", "26-11-25T07:00:00Z",
		"2026-11-25T07:00:00Z ", "",
		"2026-11-27T08:00:01Z",		/* more than a day ahead */
		"1990-01-01T00:00:00Z",		/* before the retention */
	};
	size_t i;

	(void)state;
	retention = 240;	/* back to the leap day of 2024 */
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_int_equal(parse(one(good[i][0]), &eb), 0);
		assert_string_equal(eb.arr[3], good[i][1]);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(parse(one(bad[i]), &eb), 400);
		assert_int_equal(eb.index, 0);
		assert_non_null(strstr(eb.error, "timestamp"));
	}
	retention = 24;
	assert_int_equal(parse(one("2024-02-29T00:00:00Z"), &eb), 400);
	assert_non_null(strstr(eb.error, "older than"));
}

static void
literals_quote_hostile_text(void **state)
{
	struct ev_batch eb;

	(void)state;
	assert_int_equal(parse("[{\"id\":\"" ID(1) "\",\"verb\":\"a\\\"b\\\\c,"
	    "{d}\",\"object\":\"NULL\",\"timestamp\":\"2026-11-25T07:00:00Z\","
	    "\"result\":{\"s\":\"x\\\"y\"}}]", &eb), 0);
	assert_string_equal(eb.arr[0], "{" ID(1) "}");
	assert_string_equal(eb.arr[1], "{\"a\\\"b\\\\c,{d}\"}");
	assert_string_equal(eb.arr[2], "{\"NULL\"}");
	/* The payload's JSON, itself quoted for the array. */
	assert_string_equal(eb.arr[4],
	    "{\"{\\\"result\\\":{\\\"s\\\":\\\"x\\\\\\\"y\\\"}}\"}");
	assert_string_equal(eb.arr[5], "{NULL}");
	assert_string_equal(eb.arr[6], "{NULL}");
}

static void
duplicates_and_ids(void **state)
{
	struct ev_batch eb;

	(void)state;
	/* Upper-case ids are the same ids; the first of a pair is kept. */
	assert_int_equal(parse("["
	    "{\"id\":\"" ID(1) "\",\"verb\":\"first\",\"object\":\"/courses/4/lessons/9\",\"timestamp\":\"2026-11-25T07:00:00Z\"},"
	    "{\"id\":\"6F1C2A52-3C55-4A52-9D0C-0D8A2B9B1E01\",\"verb\":\"again\",\"object\":\"o\",\"timestamp\":\"2026-11-25T07:00:00Z\"},"
	    "{\"id\":\"" ID(2) "\",\"verb\":\"second\",\"object\":\"https://x/courses/12?x\",\"timestamp\":\"2026-11-25T07:00:00Z\",\"context\":{\"lesson_id\":5}}"
	    "]", &eb), 0);
	assert_int_equal(eb.received, 3);
	assert_int_equal(eb.stored_max, 2);
	assert_string_equal(eb.arr[1], "{\"first\",\"second\"}");
	assert_string_equal(eb.arr[5], "{4,12}");
	assert_string_equal(eb.arr[6], "{9,5}");
	assert_int_equal(parse("[{\"id\":\"6f1c2a52-3c55-4a52-9d0c-0d8a2b9b1e0g\","
	    "\"verb\":\"v\",\"object\":\"o\",\"timestamp\":\"2026-11-25T07:00:00Z\"}]",
	    &eb), 400);
	assert_int_equal(parse("[{\"id\":\"6f1c2a523c554a529d0c0d8a2b9b1e01\","
	    "\"verb\":\"v\",\"object\":\"o\",\"timestamp\":\"2026-11-25T07:00:00Z\"}]",
	    &eb), 400);
}

static void
xapi_statements(void **state)
{
	struct ev_batch eb;

	(void)state;
	assert_int_equal(parse("[{\"id\":\"" ID(3) "\",\"actor\":{\"mbox\":"
	    "\"mailto:a@b\"},\"verb\":{\"id\":\"http://adlnet.gov/expapi/verbs/"
	    "completed\",\"display\":{\"en\":\"completed\"}},\"object\":{\"id\":"
	    "\"https://x/courses/3/lessons/14\"},\"timestamp\":"
	    "\"2026-11-25T07:00:00Z\",\"version\":\"1.0.3\"}]", &eb), 0);
	assert_string_equal(eb.arr[1],
	    "{\"http://adlnet.gov/expapi/verbs/completed\"}");
	assert_string_equal(eb.arr[2], "{\"https://x/courses/3/lessons/14\"}");
	assert_string_equal(eb.arr[5], "{3}");
	assert_string_equal(eb.arr[6], "{14}");
	assert_non_null(strstr(eb.arr[4], "mailto:a@b"));
	/* An object without an id, and a property xAPI does not have. */
	assert_int_equal(parse("[{\"id\":\"" ID(3) "\",\"actor\":{},\"verb\":"
	    "{\"id\":\"v\"},\"object\":{},\"timestamp\":\"2026-11-25T07:00:00Z\"}]",
	    &eb), 400);
	assert_non_null(strstr(eb.error, "object"));
	assert_int_equal(parse("[{\"id\":\"" ID(3) "\",\"actor\":{},\"verb\":"
	    "{\"id\":\"v\"},\"object\":{\"id\":\"o\"},\"timestamp\":"
	    "\"2026-11-25T07:00:00Z\",\"colour\":1}]", &eb), 400);
}

static void
first_bad_index_and_limits(void **state)
{
	struct ev_batch eb;
	struct buf b;
	int i;

	(void)state;
	assert_int_equal(parse("[{\"id\":\"" ID(1) "\",\"verb\":\"v\",\"object\""
	    ":\"o\",\"timestamp\":\"2026-11-25T07:00:00Z\"},{\"id\":\"" ID(2)
	    "\",\"verb\":\"\",\"object\":\"o\",\"timestamp\":\"2026-11-25T07:00:"
	    "00Z\"},{\"id\":1}]", &eb), 400);
	assert_int_equal(eb.index, 1);
	assert_non_null(strstr(eb.error, "event 1: \"verb\""));
	assert_int_equal(parse("{\"id\":1}", &eb), 400);
	assert_int_equal(eb.index, -1);
	assert_int_equal(parse("[1]", &eb), 400);
	assert_int_equal(eb.index, 0);
	assert_int_equal(parse("[{\"id\":\"" ID(1) "\",\"id\":\"" ID(2) "\"}]",
	    &eb), 400);	/* duplicate keys */
	assert_int_equal(parse("[]", &eb), 0);
	assert_int_equal(eb.stored_max, 0);
	buf_init(&b);
	buf_putc(&b, '[');
	for (i = 0; i <= EV_MAX; i++)
		buf_puts(&b, i ? ",{}" : "{}");
	buf_putc(&b, ']');
	arena_reset(&a);
	assert_int_equal(events_parse(&a, b.p, b.len, NOW, 24, &eb), 413);
	buf_free(&b);
	assert_int_equal(events_parse(&a, NULL, 0, NOW, 24, &eb), 400);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(timestamps),
		cmocka_unit_test(literals_quote_hostile_text),
		cmocka_unit_test(duplicates_and_ids),
		cmocka_unit_test(xapi_statements),
		cmocka_unit_test(first_bad_index_and_limits),
	};
	int rc;

	arena_init(&a, 64 * 1024);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	arena_free(&a);
	return rc;
}
