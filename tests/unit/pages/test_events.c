/*
 * test_events: events_parse, the validation of event batches: RFC 3339
 * dates (calendar, offsets, fraction digits), the COPY rows handed to
 * PostgreSQL (binary fields; hostile text carried as it is), in-batch
 * duplicates, xAPI mapping, the first bad event's index, the batch
 * limit; strict JSON anywhere in the body (base/jsonpull) with jansson's
 * precedence of errors, escapes decoded into the rows, and the payload as
 * the body's own text less whitespace.
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
#define USER	42
#define PG_EPOCH	946684800	/* 2000-01-01T00:00:00Z */

/* Columns of a row, in events_copy's order (sql/queries/events.sql). */
enum { F_USER, F_VERB, F_OBJECT, F_ID, F_TS, F_PAYLOAD, F_COURSE, F_LESSON };

static struct arena	a;

static int	retention = 24;

static int
parse(const char *body, struct ev_batch *eb)
{
	arena_reset(&a);
	return events_parse(&a, body, strlen(body), NOW, retention, USER, eb);
}

static uint64_t
be(const unsigned char *p, int n)
{
	uint64_t v = 0;

	while (n-- > 0)
		v = v << 8 | *p++;
	return v;
}

/*
 * Field f of row `row` in eb's COPY data (binary format: a 19-byte
 * header, per row a 16-bit field count and per field a 32-bit length, -1
 * for NULL, and the bytes; 16-bit -1 at the end).  Sets *p; returns the
 * length or -1.
 */
static long
copy_field(const char *data, size_t len, int nf, size_t row, int f,
    const unsigned char **p)
{
	const unsigned char *c = (const unsigned char *)data;
	const unsigned char *end = c + len;
	size_t r;
	int k;
	long n = -1;

	assert_memory_equal(c, "PGCOPY\n\377\r\n\0", 11);
	c += 19;
	for (r = 0; r <= row; r++) {
		assert_true(c + 2 <= end);
		assert_int_equal(be(c, 2), nf);
		c += 2;
		for (k = 0; k < nf; k++) {
			assert_true(c + 4 <= end);
			n = (long)(int32_t)be(c, 4);
			c += 4;
			if (r == row && k == f) {
				*p = c;
				return n;
			}
			c += n > 0 ? n : 0;
		}
	}
	return n;
}

static long
field(const struct ev_batch *eb, size_t row, int f, const unsigned char **p)
{
	return copy_field(eb->copy, eb->copy_len, EV_COPY_FIELDS, row, f, p);
}

/* Row `row` of eb's ids COPY data: the id's last byte and the time. */
static void
assert_id_row(const struct ev_batch *eb, size_t row, int last, int64_t ts)
{
	const unsigned char *p;

	assert_int_equal(copy_field(eb->ids_copy, eb->ids_copy_len, 2, row, 0,
	    &p), 16);
	assert_int_equal(p[15], last);
	assert_int_equal(copy_field(eb->ids_copy, eb->ids_copy_len, 2, row, 1,
	    &p), 8);
	assert_int_equal((int64_t)be(p, 8), ts);
}

static void
assert_text(const struct ev_batch *eb, size_t row, int f, const char *want)
{
	const unsigned char *p;
	long n = field(eb, row, f, &p);

	assert_int_equal(n, strlen(want));
	assert_memory_equal(p, want, n);
}

/* An int8 or timestamptz field's value; -1 for NULL. */
static int64_t
i64(const struct ev_batch *eb, size_t row, int f)
{
	const unsigned char *p;
	long n = field(eb, row, f, &p);

	if (n == -1)
		return -1;
	assert_int_equal(n, 8);
	return (int64_t)be(p, 8);
}

/* Unix seconds and microseconds as PostgreSQL's timestamptz. */
static int64_t
pg_ts(int64_t unix_s, int64_t us)
{
	return (unix_s - PG_EPOCH) * 1000000 + us;
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
	static const struct {
		const char	*ts;
		int64_t		 unix_s, us;
	} good[] = {
		{ "2026-11-25T07:00:00Z", NOW - 3600, 0 },
		{ "2026-11-25t07:00:00.5z", NOW - 3600, 500000 },
		{ "2026-11-25T09:00:00.123456789+02:00", NOW - 3600, 123456 },
		{ "2026-11-24T20:00:00-05:30", NOW - 6 * 3600 - 1800, 0 },
		{ "2024-02-29T00:00:00Z", 1709164800, 0 },
		{ "1999-12-31T23:59:59.25Z", PG_EPOCH - 1, 250000 },
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
	retention = 360;	/* back to 1996 */
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_int_equal(parse(one(good[i].ts), &eb), 0);
		assert_int_equal(i64(&eb, 0, F_TS),
		    pg_ts(good[i].unix_s, good[i].us));
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
rows_carry_hostile_text_as_is(void **state)
{
	static const unsigned char id1[16] = { 0x6f, 0x1c, 0x2a, 0x52, 0x3c,
	    0x55, 0x4a, 0x52, 0x9d, 0x0c, 0x0d, 0x8a, 0x2b, 0x9b, 0x1e, 0x01 };
	struct ev_batch eb;
	const unsigned char *p;

	(void)state;
	assert_int_equal(parse("[{\"id\":\"" ID(1) "\",\"verb\":\"a\\\"b\\\\c,"
	    "{d}\\t\",\"object\":\"NULL\",\"timestamp\":\"2026-11-25T07:00:00Z\","
	    "\"result\":{\"s\":\"x\\\"y\"}}]", &eb), 0);
	assert_int_equal(eb.stored_max, 1);
	assert_int_equal(i64(&eb, 0, F_USER), USER);
	assert_int_equal(field(&eb, 0, F_ID, &p), 16);
	assert_memory_equal(p, id1, 16);
	assert_text(&eb, 0, F_VERB, "a\"b\\c,{d}\t");
	assert_text(&eb, 0, F_OBJECT, "NULL");	/* text, not SQL NULL */
	assert_text(&eb, 0, F_PAYLOAD, "{\"result\":{\"s\":\"x\\\"y\"}}");
	assert_int_equal(i64(&eb, 0, F_COURSE), -1);
	assert_int_equal(i64(&eb, 0, F_LESSON), -1);
	/* The data ends after the last row. */
	assert_memory_equal(eb.copy + eb.copy_len - 2, "\377\377", 2);
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
	assert_text(&eb, 0, F_VERB, "first");
	assert_text(&eb, 1, F_VERB, "second");
	assert_int_equal(i64(&eb, 0, F_COURSE), 4);
	assert_int_equal(i64(&eb, 1, F_COURSE), 12);
	assert_int_equal(i64(&eb, 0, F_LESSON), 9);
	assert_int_equal(i64(&eb, 1, F_LESSON), 5);
	/* learner_event_ids' rows: each distinct id once, with the time of
	 * the event kept, sorted by id whatever the batch's order. */
	assert_int_equal(parse("["
	    "{\"id\":\"" ID(3) "\",\"verb\":\"v\",\"object\":\"o\",\"timestamp\":\"2026-11-25T07:00:03Z\"},"
	    "{\"id\":\"" ID(1) "\",\"verb\":\"v\",\"object\":\"o\",\"timestamp\":\"2026-11-25T07:00:01Z\"},"
	    "{\"id\":\"" ID(3) "\",\"verb\":\"v\",\"object\":\"o\",\"timestamp\":\"2026-11-25T07:00:09Z\"},"
	    "{\"id\":\"" ID(2) "\",\"verb\":\"v\",\"object\":\"o\",\"timestamp\":\"2026-11-25T07:00:02Z\"}"
	    "]", &eb), 0);
	assert_int_equal(eb.stored_max, 3);
	assert_int_equal(eb.ids_copy_len, 19 + 3 * EV_IDS_ROW + 2);
	assert_memory_equal(eb.ids_copy, eb.copy, 19);
	assert_memory_equal(eb.ids_copy + eb.ids_copy_len - 2, "\377\377", 2);
	assert_id_row(&eb, 0, 1, i64(&eb, 1, F_TS));
	assert_id_row(&eb, 1, 2, i64(&eb, 2, F_TS));
	assert_id_row(&eb, 2, 3, i64(&eb, 0, F_TS));
	assert_int_equal(i64(&eb, 0, F_TS), pg_ts(1795590003, 0));
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
	assert_text(&eb, 0, F_VERB, "http://adlnet.gov/expapi/verbs/completed");
	assert_text(&eb, 0, F_OBJECT, "https://x/courses/3/lessons/14");
	assert_int_equal(i64(&eb, 0, F_COURSE), 3);
	assert_int_equal(i64(&eb, 0, F_LESSON), 14);
	assert_text(&eb, 0, F_PAYLOAD,
	    "{\"actor\":{\"mbox\":\"mailto:a@b\"},\"xapi\":true}");
	/* An object without an id, and a property xAPI does not have. */
	assert_int_equal(parse("[{\"id\":\"" ID(3) "\",\"actor\":{},\"verb\":"
	    "{\"id\":\"v\"},\"object\":{},\"timestamp\":\"2026-11-25T07:00:00Z\"}]",
	    &eb), 400);
	assert_non_null(strstr(eb.error, "object"));
	assert_int_equal(parse("[{\"id\":\"" ID(3) "\",\"actor\":{},\"verb\":"
	    "{\"id\":\"v\"},\"object\":{\"id\":\"o\"},\"timestamp\":"
	    "\"2026-11-25T07:00:00Z\",\"colour\":1}]", &eb), 400);
}

/* A batch of EV_MAX + 1 events: first, then copies of rest, in b. */
static void
over_limit(struct buf *b, const char *first, const char *rest)
{
	int i;

	buf_init(b);
	buf_putc(b, '[');
	buf_puts(b, first);
	for (i = 0; i < EV_MAX; i++) {
		buf_putc(b, ',');
		buf_puts(b, rest);
	}
	buf_putc(b, ']');
}

static void
first_bad_index_and_limits(void **state)
{
	struct ev_batch eb;
	struct buf b;

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
	over_limit(&b, "{}", "{}");
	arena_reset(&a);
	assert_int_equal(events_parse(&a, b.p, b.len, NOW, 24, USER, &eb), 413);
	buf_free(&b);
	assert_int_equal(events_parse(&a, NULL, 0, NOW, 24, USER, &eb), 400);
}

/* One event's JSON with extra members (text starting with a comma). */
static char *
with(const char *extra)
{
	static char b[70000];

	snprintf(b, sizeof(b), "[{\"id\":\"" ID(1) "\",\"verb\":\"v\","
	    "\"object\":\"o\",\"timestamp\":\"2026-11-25T07:00:00Z\"%s}]",
	    extra);
	return b;
}

static void
assert_malformed(const char *body, const char *why)
{
	struct ev_batch eb;

	if (parse(body, &eb) != 400 || eb.index != -1 ||
	    strstr(eb.error, "malformed JSON") == NULL ||
	    strstr(eb.error, why) == NULL)
		fail_msg("%.80s: %s", body, eb.error ? eb.error : "accepted");
}

static void
strict_json_anywhere(void **state)
{
	struct ev_batch eb;
	char deep[400];
	int i;

	(void)state;
	assert_malformed(with(",}"), "trailing comma");
	assert_malformed("[{\"id\":1},]", "trailing comma");
	assert_malformed(with(",\"result\":{\"a\":[1,2,]}"), "trailing comma");
	assert_malformed(with(",\"result\":{\"a\":\"\\u0000\"}"), "u0000");
	assert_malformed(with(",\"result\":{\"a\":\"\\ud800\"}"), "surrogate");
	assert_malformed(with(",\"result\":{\"a\":\"\xc0\xaf\"}"), "UTF-8");
	assert_malformed(with(",\"result\":{\"a\":\"\xed\xa0\x80\"}"), "UTF-8");
	assert_malformed(with(",\"result\":{\"a\":01}"), "expected");
	assert_malformed(with(",\"result\":{\"a\":1e999}"), "double");
	assert_malformed(with(",\"result\":{\"a\":99999999999999999999}"),
	    "int64");
	/* Duplicate keys, at any depth, also when spelled differently. */
	assert_malformed(with(",\"verb\":\"w\""), "duplicate object key");
	assert_malformed(with(",\"v\\u0065rb\":\"w\""), "duplicate object key");
	assert_malformed(with(",\"result\":{\"s\":{\"a\":1,\"a\":1}}"),
	    "duplicate object key");
	/* Nesting past JPULL_DEPTH_MAX (64), in a payload. */
	for (i = 0; i < 70; i++) {
		deep[i] = '[';
		deep[70 + i] = ']';
	}
	deep[140] = '\0';
	assert_malformed(with(arena_printf(&a, ",\"result\":{\"d\":%s}",
	    deep)), "nested too deeply");
	/* The line and column of the fault. */
	assert_malformed("[\n  {\"id\": x}]", "line 2, column 10");
	/* Not JSON, or JSON but no array. */
	assert_malformed("", "end of input");
	assert_malformed("1", "'[' or '{' expected");
	assert_malformed("[] []", "end of input expected");
	assert_int_equal(parse("{\"id\":1}", &eb), 400);
	assert_string_equal(eb.error, "the body must be a JSON array of events");
	assert_malformed("{\"id\":1,}", "trailing comma");
}

static void
malformed_json_and_size_come_first(void **state)
{
	struct ev_batch eb;
	struct buf b;

	(void)state;
	/* An invalid event, then malformed JSON further on: the JSON is
	 * reported, as when the whole body was parsed first. */
	assert_malformed("[{\"id\":1},{\"id\":2},{\"a\":1,\"a\":2}]",
	    "duplicate object key");
	assert_malformed("[{\"id\":1},[1,2}]", "',' or ']' expected");
	/* An invalid event within a batch over EV_MAX: 413. */
	over_limit(&b, "{\"id\":\"x\"}", "1");
	arena_reset(&a);
	assert_int_equal(events_parse(&a, b.p, b.len, NOW, 24, USER, &eb), 413);
	assert_int_equal(eb.index, -1);
	assert_non_null(strstr(eb.error, "this one has 5001"));
	/* ... unless it is malformed after the 5,000th. */
	b.p[b.len - 1] = ',';
	buf_puts(&b, "]");
	arena_reset(&a);
	assert_int_equal(events_parse(&a, b.p, b.len, NOW, 24, USER, &eb), 400);
	assert_non_null(strstr(eb.error, "malformed JSON"));
	buf_free(&b);
	/* Not NUL-terminated: only len bytes are read. */
	arena_reset(&a);
	assert_int_equal(events_parse(&a, "[]]", 2, NOW, 24, USER, &eb), 0);
}

static void
escapes_decoded_into_rows(void **state)
{
	struct ev_batch eb;
	struct buf b;
	const unsigned char *p;
	int i;

	(void)state;
	/* Keys and values with escapes; UTF-8 as it is. */
	assert_int_equal(parse("[{\"\\u0069d\":\"\\u0036f1c2a52-3c55-4a52-9d0c-"
	    "0d8a2b9b1e01\",\"v\\u0065rb\":\"caf\\u00e9 \\ud83d\\ude00\","
	    "\"object\":\"/courses/\\u0034/x \xe4\xb8\xad\",\"timestamp\":\"2026-"
	    "11-25T07:00:00\\u005a\"}]", &eb), 0);
	assert_text(&eb, 0, F_VERB, "caf\xc3\xa9 \xf0\x9f\x98\x80");
	assert_text(&eb, 0, F_OBJECT, "/courses/4/x \xe4\xb8\xad");
	assert_int_equal(i64(&eb, 0, F_COURSE), 4);
	assert_int_equal(i64(&eb, 0, F_TS), pg_ts(NOW - 3600, 0));
	/* The verb's limit is in decoded bytes: 100 x U+00E9 is 200. */
	buf_init(&b);
	buf_puts(&b, "[{\"id\":\"" ID(1) "\",\"object\":\"o\",\"timestamp\":"
	    "\"2026-11-25T07:00:00Z\",\"verb\":\"");
	for (i = 0; i < 100; i++)
		buf_puts(&b, "\\u00e9");
	buf_puts(&b, "\"}]");
	assert_int_equal(parse(b.p, &eb), 0);
	assert_int_equal(field(&eb, 0, F_VERB, &p), 200);
	b.len -= 3;
	buf_puts(&b, "x\"}]");
	assert_int_equal(parse(b.p, &eb), 400);
	assert_non_null(strstr(eb.error, "\"verb\" must be 1 to 200"));
	buf_free(&b);
}

static void
payload_is_the_body_text_compacted(void **state)
{
	struct ev_batch eb;
	char *big;

	(void)state;
	/* Whitespace between tokens goes; escapes, number spellings and
	 * member order stay. */
	assert_int_equal(parse(with(", \"result\" : { \"a\" : [ 1 , 2.50 , "
	    "1E2, -0 ] ,\n\t\"s\" : \"\\u00e9 \\/ x\" , \"o\" : { } } "), &eb),
	    0);
	assert_text(&eb, 0, F_PAYLOAD, "{\"result\":{\"a\":[1,2.50,1E2,-0],"
	    "\"s\":\"\\u00e9 \\/ x\",\"o\":{}}}");
	/* result and context null: absent. */
	assert_int_equal(parse(with(",\"result\":null,\"context\":null"), &eb),
	    0);
	assert_text(&eb, 0, F_PAYLOAD, "{}");
	/* xAPI: result, context, actor, "xapi" in that order, whatever the
	 * body's. */
	assert_int_equal(parse("[{\"context\":{\"c\":1},\"actor\":{\"name\":"
	    "\"A\"},\"id\":\"" ID(5) "\",\"verb\":{\"id\":\"v\"},\"object\":"
	    "{\"id\":\"o\"},\"result\":{\"r\":true},\"timestamp\":"
	    "\"2026-11-25T07:00:00Z\"}]", &eb), 0);
	assert_text(&eb, 0, F_PAYLOAD, "{\"result\":{\"r\":true},\"context\":"
	    "{\"c\":1},\"actor\":{\"name\":\"A\"},\"xapi\":true}");
	/* The 16 KiB limit is on the stored (compact) text. */
	big = malloc(60000);
	memset(big, ' ', 59999);
	big[59999] = '\0';
	memcpy(big, ",\"result\":{\"a\":", 15);
	memcpy(big + 59990, "1}", 2);
	assert_int_equal(parse(with(big), &eb), 0);
	assert_text(&eb, 0, F_PAYLOAD, "{\"result\":{\"a\":1}}");
	memset(big + 15, 'x', 59975);
	big[15] = '"';
	memcpy(big + 59989, "\"} ", 3);
	assert_int_equal(parse(with(big), &eb), 400);
	assert_non_null(strstr(eb.error, "exceed 16 KiB"));
	free(big);
}

static void
context_ids(void **state)
{
	struct ev_batch eb;
	static const struct {
		const char	*ctx;
		int64_t		 course, lesson;
	} cases[] = {
		{ "{\"course_id\":7,\"lesson_id\":8}", 7, 8 },
		{ "{\"course\\u005fid\":7}", 7, 9 },	/* the key decoded */
		{ "{\"course_id\":7.0,\"lesson_id\":-8}", 4, 9 },
		{ "{\"course_id\":\"7\",\"lesson_id\":0}", 4, 9 },
		{ "{\"x\":{\"course_id\":7}}", 4, 9 },	/* not nested ones */
		{ "{\"course_id\":9223372036854775807}", INT64_MAX, 9 },
	};
	char body[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(body, sizeof(body), "[{\"id\":\"" ID(1) "\",\"verb\":"
		    "\"v\",\"object\":\"/courses/4/lessons/9\",\"timestamp\":"
		    "\"2026-11-25T07:00:00Z\",\"context\":%s}]", cases[i].ctx);
		assert_int_equal(parse(body, &eb), 0);
		assert_true(i64(&eb, 0, F_COURSE) == cases[i].course);
		assert_true(i64(&eb, 0, F_LESSON) == cases[i].lesson);
	}
	/* An IRI id past int64 saturates (as strtoll did). */
	assert_int_equal(parse("[{\"id\":\"" ID(1) "\",\"verb\":\"v\",\"object\""
	    ":\"/courses/99999999999999999999/\",\"timestamp\":\"2026-11-25T07:"
	    "00:00Z\"}]", &eb), 0);
	assert_true(i64(&eb, 0, F_COURSE) == INT64_MAX);
}

static void
unknown_property_names(void **state)
{
	struct ev_batch eb;
	char name[101];

	(void)state;
	memset(name, 'n', 100);
	name[100] = '\0';
	assert_int_equal(parse(with(arena_printf(&a, ",\"%s\":1,\"zz\":2",
	    name)), &eb), 400);
	/* The first one in the body, cut at 64 bytes. */
	assert_non_null(strstr(eb.error, arena_printf(&a, "unknown property "
	    "\"%.64s\"", name)));
	/* xAPI members are unknown to ours (no actor, a string verb). */
	assert_int_equal(parse(with(",\"version\":\"1.0.3\""), &eb), 400);
	assert_non_null(strstr(eb.error, "unknown property \"version\""));
	assert_int_equal(parse(with(",\"actor\":{}"), &eb), 400);
	assert_non_null(strstr(eb.error, "\"verb\" must be an object"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(timestamps),
		cmocka_unit_test(rows_carry_hostile_text_as_is),
		cmocka_unit_test(duplicates_and_ids),
		cmocka_unit_test(xapi_statements),
		cmocka_unit_test(first_bad_index_and_limits),
		cmocka_unit_test(strict_json_anywhere),
		cmocka_unit_test(malformed_json_and_size_come_first),
		cmocka_unit_test(escapes_decoded_into_rows),
		cmocka_unit_test(payload_is_the_body_text_compacted),
		cmocka_unit_test(context_ids),
		cmocka_unit_test(unknown_property_names),
	};
	int rc;

	arena_init(&a, 64 * 1024);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	arena_free(&a);
	return rc;
}
