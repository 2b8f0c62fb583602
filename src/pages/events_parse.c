/*
 * events_parse: a batch for POST /api/v1/events, parsed and validated
 * whole into the data of one COPY (events.h).  Pure: no I/O, no database;
 * the handler is in events.c.
 *
 * An event is ours {id, verb, object, result?, timestamp, context?} or an
 * xAPI statement (actor, verb.id, object.id, result, context, timestamp).
 * It is identified by its timestamp and id (unique per monthly partition,
 * migration 008: a time-leading key keeps the index writes local, where a
 * bare random UUID key cost a WAL page image per event), so a client
 * retrying with the same events stores nothing twice; hence the timestamp
 * is required, for xAPI statements too.
 *
 * The rows leave in COPY's binary format: ids, times and numbers as
 * PostgreSQL holds them, so the server parses no UUID, date or number text
 * (callgrind over a PostgreSQL backend: 55,500 instructions per event
 * through INSERT ... unnest of text arrays, 22,800 through binary COPY with
 * migration 024's lighter table).
 */
#include <ctype.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "base/arena.h"
#include "base/buf.h"
#include "pages/events.h"

#define EV_VERB_MAX	200
#define EV_OBJECT_MAX	2048
#define EV_PAYLOAD_MAX	16384
#define EV_FUTURE_S	86400		/* clocks run fast; not by a day */

/* Seconds from the Unix epoch to PostgreSQL's (2000-01-01T00:00:00Z). */
#define PG_EPOCH	946684800

struct ev {
	unsigned char	 id[16];	/* the UUID's bytes */
	const char	*verb, *object;	/* point into the parsed body */
	size_t		 verb_len, object_len;
	int64_t		 ts;		/* microseconds from PG_EPOCH */
	char		*payload;	/* JSON text, EV_PAYLOAD_MAX + 1 room */
	size_t		 payload_len;
	int64_t		 course_id, lesson_id;	/* 0 = none */
};

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Canonical 8-4-4-4-12 hex UUID (either case) into its 16 bytes; -1 if
 * not one. */
static int
uuid_parse(const char *s, size_t len, unsigned char out[16])
{
	int i, v, k = 0;

	if (len != 36)
		return -1;
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return -1;
			continue;
		}
		if ((v = hexval((unsigned char)s[i])) < 0)
			return -1;
		if (k % 2 == 0)
			out[k / 2] = (unsigned char)(v << 4);
		else
			out[k / 2] |= (unsigned char)v;
		k++;
	}
	return 0;
}

/* Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's
 * days_from_civil), so no time zone or libc state is involved. */
static int64_t
days_from_civil(int y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int
digits(const char *s, int n, int *v)
{
	int i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

/*
 * RFC 3339 date-time: YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM), checked
 * field by field (no Feb 30, no hour 24, no leap second).  Gives the
 * instant in microseconds from PG_EPOCH (digits past the sixth are
 * dropped, as PostgreSQL rounds nothing it is not sent).
 */
static int
rfc3339(const char *s, int64_t *micros)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int y, mo, d, h, mi, sec, oh = 0, om = 0, sign = 0, nf = 0, leap;
	int64_t frac = 0, days;
	const char *p;

	if (strlen(s) < 20 || digits(s, 4, &y) || s[4] != '-' ||
	    digits(s + 5, 2, &mo) || s[7] != '-' || digits(s + 8, 2, &d) ||
	    (s[10] != 'T' && s[10] != 't') || digits(s + 11, 2, &h) ||
	    s[13] != ':' || digits(s + 14, 2, &mi) || s[16] != ':' ||
	    digits(s + 17, 2, &sec))
		return -1;
	p = s + 19;
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return -1;
		for (; isdigit((unsigned char)*p); p++)
			if (nf < 6) {
				frac = frac * 10 + (*p - '0');
				nf++;
			}
		for (; nf < 6; nf++)
			frac *= 10;
	}
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p == '-' ? -1 : 1;
		if (digits(p + 1, 2, &oh) || p[3] != ':' ||
		    digits(p + 4, 2, &om) || oh > 23 || om > 59)
			return -1;
		p += 6;
	} else
		return -1;
	if (*p != '\0' || y < 1 || mo < 1 || mo > 12 || h > 23 || mi > 59 ||
	    sec > 59)
		return -1;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (d < 1 || d > mdays[mo - 1] + (mo == 2 && leap))
		return -1;
	days = days_from_civil(y, mo, d);
	*micros = ((days * 86400 + h * 3600 + mi * 60 + sec -
	    sign * (oh * 3600 + om * 60)) - PG_EPOCH) * 1000000 + frac;
	return 0;
}

/* An id in "/courses/12/..." style object IRIs, or 0. */
static int64_t
id_after(const char *s, const char *seg)
{
	const char *p = strstr(s, seg);
	long long v;
	char *end;

	if (p == NULL || !isdigit((unsigned char)p[strlen(seg)]))
		return 0;
	v = strtoll(p + strlen(seg), &end, 10);
	if (*end != '\0' && *end != '/' && *end != '?' && *end != '#')
		return 0;
	return v > 0 ? (int64_t)v : 0;
}

static int64_t
ctx_id(json_t *ctx, const char *key)
{
	json_t *v = ctx != NULL ? json_object_get(ctx, key) : NULL;

	return v != NULL && json_is_integer(v) && json_integer_value(v) > 0 ?
	    (int64_t)json_integer_value(v) : 0;
}

static const char *
str_field(json_t *o, const char *key, size_t max, size_t *len,
    const char **err, struct arena *a)
{
	json_t *v = json_object_get(o, key);
	size_t n;

	if (v == NULL) {
		*err = arena_printf(a, "\"%s\" is required", key);
		return NULL;
	}
	if (!json_is_string(v)) {
		*err = arena_printf(a, "\"%s\" must be a string", key);
		return NULL;
	}
	n = json_string_length(v);
	if (n == 0 || n > max || memchr(json_string_value(v), '\0', n)) {
		*err = arena_printf(a, "\"%s\" must be 1 to %zu characters",
		    key, max);
		return NULL;
	}
	*len = n;
	return json_string_value(v);
}

/*
 * Appends key (raw text) and, unless NULL, v as compact JSON to the
 * payload at *n; -1 if that would pass EV_PAYLOAD_MAX.  Reals keep 15
 * significant digits: 0.8 stays 0.8 (17 would print the binary value's
 * tail); scores and durations need no more.
 */
static int
payload_put(char *p, size_t *n, const char *key, json_t *v)
{
	size_t k = strlen(key), d;

	if (*n + k > EV_PAYLOAD_MAX)
		return -1;
	memcpy(p + *n, key, k);
	*n += k;
	if (v == NULL)
		return 0;
	d = json_dumpb(v, p + *n, EV_PAYLOAD_MAX - *n, JSON_COMPACT |
	    JSON_ENSURE_ASCII | JSON_REAL_PRECISION(15));
	if (d == 0 || *n + d > EV_PAYLOAD_MAX)
		return -1;
	*n += d;
	return 0;
}

/* Validates one event (ours or xAPI) into e; NULL, or the reason. */
static const char *
check_event(struct arena *a, int64_t now, json_t *o, struct ev *e,
    int64_t oldest)
{
	static const char too_big[] = "\"result\" and \"context\" together "
	    "exceed 16 KiB";
	json_t *v, *ctx;
	const char *err = NULL, *key, *s;
	size_t n;
	int xapi;
	int64_t t;

	if (!json_is_object(o))
		return "an event must be a JSON object";
	v = json_object_get(o, "id");
	if (v == NULL)
		return "\"id\" is required (a UUID; it makes retries safe)";
	if (!json_is_string(v) || uuid_parse(json_string_value(v),
	    json_string_length(v), e->id))
		return "\"id\" must be a UUID";
	v = json_object_get(o, "verb");
	xapi = json_object_get(o, "actor") != NULL || json_is_object(v);
	if (xapi) {
		json_t *vb = json_object_get(o, "verb"),
		    *ob = json_object_get(o, "object"),
		    *ac = json_object_get(o, "actor");

		if (ac != NULL && !json_is_object(ac))
			return "\"actor\" must be an object";
		if (!json_is_object(vb))
			return "\"verb\" must be an object with an \"id\"";
		if (!json_is_object(ob))
			return "\"object\" must be an object with an \"id\"";
		if ((e->verb = str_field(vb, "id", EV_VERB_MAX, &e->verb_len,
		    &err, a)) == NULL)
			return arena_printf(a, "verb: %s", err);
		if ((e->object = str_field(ob, "id", EV_OBJECT_MAX,
		    &e->object_len, &err, a)) == NULL)
			return arena_printf(a, "object: %s", err);
		json_object_foreach(o, key, v) {
			if (strcmp(key, "id") && strcmp(key, "actor") &&
			    strcmp(key, "verb") && strcmp(key, "object") &&
			    strcmp(key, "result") && strcmp(key, "context") &&
			    strcmp(key, "timestamp") && strcmp(key, "stored") &&
			    strcmp(key, "authority") && strcmp(key, "version") &&
			    strcmp(key, "attachments"))
				return arena_printf(a, "unknown xAPI "
				    "statement property \"%.64s\"", key);
		}
	} else {
		if ((e->verb = str_field(o, "verb", EV_VERB_MAX, &e->verb_len,
		    &err, a)) == NULL ||
		    (e->object = str_field(o, "object", EV_OBJECT_MAX,
		    &e->object_len, &err, a)) == NULL)
			return err;
		json_object_foreach(o, key, v) {
			if (strcmp(key, "id") && strcmp(key, "verb") &&
			    strcmp(key, "object") && strcmp(key, "result") &&
			    strcmp(key, "timestamp") && strcmp(key, "context"))
				return arena_printf(a, "unknown property "
				    "\"%.64s\"", key);
		}
	}
	v = json_object_get(o, "timestamp");
	if (v == NULL)
		return "\"timestamp\" is required (RFC 3339; with the id it "
		    "identifies the event, so retries are stored once)";
	if (!json_is_string(v) || rfc3339(json_string_value(v), &e->ts) == -1)
		return "\"timestamp\" must be an RFC 3339 date-time, "
		    "e.g. 2026-11-25T08:30:00Z";
	t = PG_EPOCH + (e->ts >= 0 ? e->ts : e->ts - 999999) / 1000000;
	if (t > now + EV_FUTURE_S)
		return "\"timestamp\" is more than a day in the future";
	if (t < oldest)
		return "\"timestamp\" is older than the events kept";
	v = json_object_get(o, "result");
	if (v != NULL && !json_is_object(v) && !json_is_null(v))
		return "\"result\" must be an object";
	ctx = json_object_get(o, "context");
	if (ctx != NULL && !json_is_object(ctx) && !json_is_null(ctx))
		return "\"context\" must be an object";
	if (ctx != NULL && !json_is_object(ctx))
		ctx = NULL;
	/* The payload object, written straight into e->payload. */
	n = 0;
	e->payload[n++] = '{';
	if (v != NULL && json_is_object(v) &&
	    payload_put(e->payload, &n, "\"result\":", v) == -1)
		return too_big;
	if (ctx != NULL && payload_put(e->payload, &n, n > 1 ?
	    ",\"context\":" : "\"context\":", ctx) == -1)
		return too_big;
	if (xapi) {
		if ((v = json_object_get(o, "actor")) != NULL &&
		    payload_put(e->payload, &n, n > 1 ? ",\"actor\":" :
		    "\"actor\":", v) == -1)
			return too_big;
		if (payload_put(e->payload, &n, n > 1 ? ",\"xapi\":true" :
		    "\"xapi\":true", NULL) == -1)
			return too_big;
	}
	if (n + 1 > EV_PAYLOAD_MAX)
		return too_big;
	e->payload[n++] = '}';
	e->payload[n] = '\0';
	e->payload_len = n;
	s = e->object;
	e->course_id = ctx_id(ctx, "course_id");
	if (e->course_id == 0)
		e->course_id = id_after(s, "/courses/");
	e->lesson_id = ctx_id(ctx, "lesson_id");
	if (e->lesson_id == 0)
		e->lesson_id = id_after(s, "/lessons/");
	return NULL;
}

/*
 * COPY's binary format (PostgreSQL's "COPY" page): a signature, flags and
 * an empty extension; per row the field count and per field its length
 * (-1 = NULL) and bytes, all integers in network order; -1 to end.
 */
static const char copy_head[19] = "PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0\0";

static void
put_be(struct buf *b, uint64_t v, int bytes)
{
	unsigned char c[8];
	int i;

	for (i = bytes - 1; i >= 0; i--, v >>= 8)
		c[i] = (unsigned char)v;
	buf_put(b, c, (size_t)bytes);
}

static void
copy_bytes(struct buf *b, const void *p, size_t n)
{
	put_be(b, n, 4);
	buf_put(b, p, n);
}

/* An int8 field; ids are positive, 0 = none = NULL. */
static void
copy_id(struct buf *b, int64_t v)
{
	if (v <= 0) {
		put_be(b, UINT32_MAX, 4);
		return;
	}
	put_be(b, 8, 4);
	put_be(b, (uint64_t)v, 8);
}

/* One row, its fields in events_copy's column order (events.sql). */
static void
copy_row(struct buf *b, int64_t user_id, const struct ev *e)
{
	put_be(b, EV_COPY_FIELDS, 2);
	copy_id(b, user_id);
	copy_bytes(b, e->verb, e->verb_len);
	copy_bytes(b, e->object, e->object_len);
	copy_bytes(b, e->id, sizeof(e->id));
	put_be(b, 8, 4);
	put_be(b, (uint64_t)e->ts, 8);
	copy_bytes(b, e->payload, e->payload_len);
	copy_id(b, e->course_id);
	copy_id(b, e->lesson_id);
}

/* FNV-1a over the id, for the in-batch duplicate check. */
static uint32_t
id_hash(const unsigned char id[16])
{
	uint32_t h = 2166136261u;
	int i;

	for (i = 0; i < 16; i++)
		h = (h ^ id[i]) * 16777619u;
	return h;
}

/*
 * jansson's allocations while a batch is parsed come from a per-thread
 * bump region and are dropped at once afterwards: a 5,000-event tree is
 * some 60,000 small blocks, and handing each back to malloc cost 14% of
 * the parse's instructions (callgrind over bench_events).  Outside
 * events_parse, on every thread, the functions are plain malloc and free,
 * so other jansson users are unaffected.
 */
struct bump {
	char	*p;		/* current chunk; its first word links the
				   previous one */
	size_t	 used, size;
};

static _Thread_local struct bump	*bump_cur;

#define BUMP_CHUNK	(4u << 20)

static void *
bump_alloc(size_t n)
{
	struct bump *b = bump_cur;
	size_t sz;
	char *c;

	if (b == NULL)
		return malloc(n);
	n = (n + 15) & ~(size_t)15;
	if (b->p == NULL || b->used + n > b->size) {
		sz = n + 16 > BUMP_CHUNK ? n + 16 : BUMP_CHUNK;
		if ((c = malloc(sz)) == NULL)
			return NULL;
		*(char **)c = b->p;
		b->p = c;
		b->size = sz;
		b->used = 16;
	}
	c = b->p + b->used;
	b->used += n;
	return c;
}

static void
bump_free(void *p)
{
	if (bump_cur == NULL)
		free(p);
}

/* Ends the bump region: frees every chunk at once. */
static void
bump_end(struct bump *b)
{
	char *c, *prev;

	bump_cur = NULL;
	for (c = b->p; c != NULL; c = prev) {
		prev = *(char **)c;
		free(c);
	}
	b->p = NULL;
}

static pthread_once_t	bump_once = PTHREAD_ONCE_INIT;

static void
bump_install(void)
{
	json_set_alloc_funcs(bump_alloc, bump_free);
}

/*
 * Parses and validates a whole batch; on success out->copy holds the rows
 * for events_copy (in the arena).
 */
int
events_parse(struct arena *a, const char *body, size_t len, int64_t now,
    int retention_months, int64_t user_id, struct ev_batch *out)
{
	json_t *root;
	json_error_t jerr;
	struct ev e;
	unsigned char (*ids)[16];
	int32_t *slot;
	struct buf b;
	const char *why;
	size_t n, i, nslot = 16384;
	int64_t oldest = now - (int64_t)retention_months * 31 * 86400;
	uint32_t h;
	struct bump bump;

	memset(out, 0, sizeof(*out));
	out->index = -1;
	pthread_once(&bump_once, bump_install);
	if (body == NULL) {
		out->error = "send a JSON array of events (Content-Type: "
		    "application/json)";
		return 400;
	}
	memset(&bump, 0, sizeof(bump));
	bump_cur = &bump;
	root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL) {
		bump_end(&bump);
		out->error = arena_printf(a, "malformed JSON at line %d, column "
		    "%d: %s", jerr.line, jerr.column, jerr.text);
		return 400;
	}
	if (!json_is_array(root)) {
		json_decref(root);
		bump_end(&bump);
		out->error = "the body must be a JSON array of events";
		return 400;
	}
	n = json_array_size(root);
	if (n > EV_MAX) {
		json_decref(root);
		bump_end(&bump);
		out->error = arena_printf(a, "a batch holds at most %d events; "
		    "this one has %zu", EV_MAX, n);
		return 413;
	}
	out->received = n;
	ids = arena_alloc(a, (n + 1) * sizeof(*ids));
	slot = arena_alloc(a, nslot * sizeof(*slot));
	memset(slot, 0xff, nslot * sizeof(*slot));
	memset(&e, 0, sizeof(e));
	e.payload = arena_alloc(a, EV_PAYLOAD_MAX + 1);
	buf_init(&b);
	buf_reserve(&b, sizeof(copy_head) + n * 160 + 2);
	buf_put(&b, copy_head, sizeof(copy_head));
	for (i = 0; i < n; i++) {
		why = check_event(a, now, json_array_get(root, i), &e, oldest);
		if (why != NULL) {
			out->index = (long)i;
			out->error = arena_printf(a, "event %zu: %s; nothing was "
			    "stored", i, why);
			break;
		}
		/* The same id twice in a batch is stored once (the first). */
		for (h = id_hash(e.id) & (nslot - 1); slot[h] >= 0;
		    h = (h + 1) & (nslot - 1))
			if (memcmp(ids[slot[h]], e.id, sizeof(e.id)) == 0)
				break;
		if (slot[h] >= 0)
			continue;
		memcpy(ids[out->stored_max], e.id, sizeof(e.id));
		slot[h] = (int32_t)out->stored_max++;
		copy_row(&b, user_id, &e);
	}
	json_decref(root);
	bump_end(&bump);
	if (out->index < 0) {
		put_be(&b, UINT16_MAX, 2);
		out->copy = arena_alloc(a, b.len);
		memcpy((char *)out->copy, b.p, b.len);
		out->copy_len = b.len;
	}
	buf_free(&b);
	return out->index < 0 ? 0 : 400;
}
