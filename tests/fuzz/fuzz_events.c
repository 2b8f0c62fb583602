/*
 * fuzz_events: events_parse (src/pages/events_parse.c) and its JSON reader
 * (src/base/jsonpull.c) on arbitrary bytes, differentially against
 * jansson (json_loadb with JSON_REJECT_DUPLICATES, what events_parse used
 * before).
 *
 * The reader: it accepts exactly what jansson accepts (but for nesting
 * past JPULL_DEPTH_MAX and a NUL byte after a number or literal, which it
 * alone refuses; see same_json), and its tokens walk
 * jansson's tree: the same types, keys in order, decoded strings, integer
 * values, reals that strtod makes the same double.
 *
 * The batch: malformed JSON for events_parse exactly when for jansson; an
 * object body, more than EV_MAX events and a refused event as before; an
 * accepted batch is well-formed COPY binary data with one row per distinct
 * id (jansson's strings, case folded), each row's verb and object the
 * strings jansson decoded, its payload JSON that jansson parses equal to
 * the object it would have built (result, context, and for xAPI the actor
 * and "xapi": true), its course id from the context when jansson sees a
 * positive integer there.
 */
// SOURCES: src/pages/events_parse.c src/base/jsonpull.c src/base/arena.c src/base/buf.c
// LDFLAGS: -ljansson
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/arena.h"
#include "base/jsonpull.h"
#include "pages/events.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define CHECK(cond) do { if (!(cond)) { fprintf(stderr, "%s:%d: %s\n",	\
    __FILE__, __LINE__, #cond); abort(); } } while (0)

static uint64_t
be(const unsigned char *p, int n)
{
	uint64_t v = 0;

	while (n-- > 0)
		v = v << 8 | *p++;
	return v;
}

/* The value jpull is at (its first token t) against jansson's v. */
static void
same_value(struct jpull *jp, const struct jpull_tok *t, json_t *v)
{
	struct jpull_tok k, u;
	void *it;
	size_t i, n;
	char *dec;
	const char *s;

	switch (t->type) {
	case JPULL_OBJECT:
		CHECK(json_is_object(v));
		it = json_object_iter(v);
		while (jpull_next(jp, &k) == JPULL_KEY) {
			CHECK(it != NULL);
			dec = malloc(k.len + 1);
			s = jpull_str(&k, dec, &n);
			CHECK(n == json_object_iter_key_len(it) &&
			    memcmp(s, json_object_iter_key(it), n) == 0);
			free(dec);
			CHECK(jpull_next(jp, &u) != JPULL_ERROR);
			same_value(jp, &u, json_object_iter_value(it));
			it = json_object_iter_next(v, it);
		}
		CHECK(k.type == JPULL_END && it == NULL);
		break;
	case JPULL_ARRAY:
		CHECK(json_is_array(v));
		for (i = 0; jpull_next(jp, &u) != JPULL_END; i++) {
			CHECK(u.type != JPULL_ERROR && i < json_array_size(v));
			same_value(jp, &u, json_array_get(v, i));
		}
		CHECK(i == json_array_size(v));
		break;
	case JPULL_STRING:
		CHECK(json_is_string(v));
		dec = malloc(t->len + 1);
		s = jpull_str(t, dec, &n);
		CHECK(n == json_string_length(v) &&
		    memcmp(s, json_string_value(v), n) == 0);
		free(dec);
		break;
	case JPULL_NUMBER:
		if (t->integer) {
			CHECK(json_is_integer(v));
			CHECK(jpull_int(t) == json_integer_value(v));
		} else {
			dec = strndup(t->p, t->len);
			CHECK(json_is_real(v));
			CHECK(strtod(dec, NULL) == json_real_value(v));
			free(dec);
		}
		break;
	case JPULL_TRUE:
		CHECK(json_is_true(v));
		break;
	case JPULL_FALSE:
		CHECK(json_is_false(v));
		break;
	case JPULL_NULL:
		CHECK(json_is_null(v));
		break;
	default:
		CHECK(!"a value token");
	}
}

/*
 * jpull over data against jansson's root (NULL: jansson refused it).
 * Returns whether jpull refused it.  Two differences are allowed: nesting
 * past JPULL_DEPTH_MAX (jansson allows 2,048 levels), and a NUL byte
 * right after a number or literal, which jansson 2.14 skips ("[1\0]" is
 * [1] to it) and RFC 8259 does not allow.
 */
static int
same_json(const char *data, size_t size, json_t *root)
{
	struct arena a;
	struct jpull jp;
	struct jpull_tok t;

	arena_init(&a, 4096);
	jpull_init(&jp, &a, data, size, JPULL_NODUP | JPULL_CONTAINER);
	if (jpull_next(&jp, &t) == JPULL_ERROR ||
	    jpull_skip(&jp, &t) == -1 || jpull_next(&jp, &t) != JPULL_EOF) {
		CHECK(jp.err != NULL);
		CHECK(root == NULL || strcmp(jp.err, "nested too deeply") == 0 ||
		    (jp.errpos < data + size && *jp.errpos == '\0'));
		arena_free(&a);
		return 1;
	}
	CHECK(root != NULL);
	jpull_init(&jp, &a, data, size, JPULL_NODUP | JPULL_CONTAINER);
	jpull_next(&jp, &t);
	same_value(&jp, &t, root);
	CHECK(jpull_next(&jp, &t) == JPULL_EOF);
	arena_free(&a);
	return 0;
}

/* Walks COPY binary data: header, rows of EV_COPY_FIELDS fields whose
 * lengths stay inside it, the end marker last; returns the rows and
 * points rows[i][f] at each field (the length word). */
static size_t
copy_rows(const unsigned char *c, size_t len,
    const unsigned char *rows[][EV_COPY_FIELDS])
{
	const unsigned char *end = c + len;
	size_t nrows = 0;
	int64_t n;
	int k;

	CHECK(len >= 21 && memcmp(c, "PGCOPY\n\377\r\n\0", 11) == 0);
	c += 19;
	while (be(c, 2) != 0xffff) {
		CHECK(be(c, 2) == EV_COPY_FIELDS);
		CHECK(nrows < EV_MAX);
		c += 2;
		for (k = 0; k < EV_COPY_FIELDS; k++) {
			CHECK(c + 4 <= end);
			rows[nrows][k] = c;
			n = (int32_t)be(c, 4);
			c += 4;
			CHECK(n >= -1 && n <= end - c);
			c += n > 0 ? n : 0;
		}
		CHECK(c + 2 <= end);
		nrows++;
	}
	CHECK(c + 2 == end);
	return nrows;
}

/* Field f is the bytes of jansson string s. */
static void
same_text(const unsigned char *f, json_t *s)
{
	CHECK(json_is_string(s));
	CHECK(be(f, 4) == json_string_length(s));
	CHECK(memcmp(f + 4, json_string_value(s), json_string_length(s)) == 0);
}

/* An accepted batch's rows against jansson's array. */
static void
same_rows(const struct ev_batch *eb, json_t *root)
{
	static const unsigned char *rows[EV_MAX][EV_COPY_FIELDS];
	json_t *ev, *ids, *ctx, *want, *got, *v, *cid;
	json_error_t jerr;
	size_t i, r = 0, nrows;
	char id[37];
	int xapi, k;

	CHECK(json_is_array(root) && json_array_size(root) == eb->received);
	nrows = copy_rows((const unsigned char *)eb->copy, eb->copy_len, rows);
	CHECK(nrows == eb->stored_max);
	ids = json_object();
	json_array_foreach(root, i, ev) {
		CHECK(json_is_object(ev));
		CHECK(json_is_string(json_object_get(ev, "id")) &&
		    json_string_length(json_object_get(ev, "id")) == 36);
		for (k = 0; k < 36; k++)
			id[k] = (char)tolower((unsigned char)
			    json_string_value(json_object_get(ev, "id"))[k]);
		id[36] = '\0';
		if (json_object_get(ids, id) != NULL)
			continue;	/* in-batch duplicate: first kept */
		json_object_set_new(ids, id, json_true());
		CHECK(r < nrows);
		xapi = json_object_get(ev, "actor") != NULL ||
		    json_is_object(json_object_get(ev, "verb"));
		if (xapi) {
			same_text(rows[r][1], json_object_get(
			    json_object_get(ev, "verb"), "id"));
			same_text(rows[r][2], json_object_get(
			    json_object_get(ev, "object"), "id"));
		} else {
			same_text(rows[r][1], json_object_get(ev, "verb"));
			same_text(rows[r][2], json_object_get(ev, "object"));
		}
		want = json_object();
		if (json_is_object(v = json_object_get(ev, "result")))
			json_object_set(want, "result", v);
		if (!json_is_object(ctx = json_object_get(ev, "context")))
			ctx = NULL;
		if (ctx != NULL)
			json_object_set(want, "context", ctx);
		if (xapi && (v = json_object_get(ev, "actor")) != NULL)
			json_object_set(want, "actor", v);
		if (xapi)
			json_object_set_new(want, "xapi", json_true());
		got = json_loadb((const char *)rows[r][5] + 4,
		    be(rows[r][5], 4), JSON_REJECT_DUPLICATES, &jerr);
		CHECK(got != NULL && json_equal(got, want));
		json_decref(got);
		json_decref(want);
		cid = ctx != NULL ? json_object_get(ctx, "course_id") : NULL;
		if (json_is_integer(cid) && json_integer_value(cid) > 0)
			CHECK(be(rows[r][6], 4) == 8 && (int64_t)be(rows[r][6]
			    + 4, 8) == json_integer_value(cid));
		r++;
	}
	CHECK(r == nrows);
	json_decref(ids);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	struct ev_batch eb;
	json_t *root;
	json_error_t jerr;
	char *body;
	int st, refused;

	/* Not NUL-terminated: the parsers must keep to size. */
	body = malloc(size ? size : 1);
	memcpy(body, data, size);
	root = json_loadb(body, size, JSON_REJECT_DUPLICATES, &jerr);
	refused = same_json(body, size, root);
	arena_init(&a, 64 * 1024);
	/* 2026-11-25T08:00:00Z, 24 months kept. */
	st = events_parse(&a, body, size, 1795593600, 24, 7, &eb);
	if (st == 0) {
		CHECK(eb.index == -1 && eb.error == NULL);
		CHECK(eb.received <= EV_MAX && eb.stored_max <= eb.received);
		same_rows(&eb, root);
	} else {
		CHECK(st == 400 || st == 413);
		CHECK(eb.error != NULL && eb.error[0] != '\0');
		CHECK(eb.index >= -1 && (eb.index < 0 ||
		    (size_t)eb.index < eb.received));
		if (strncmp(eb.error, "malformed JSON", 14) == 0)
			CHECK(refused);
		else if (st == 413)
			CHECK(json_array_size(root) > EV_MAX);
		else if (eb.index == -1)
			CHECK(json_is_object(root));
		else
			CHECK(json_is_array(root) &&
			    json_array_size(root) <= EV_MAX);
	}
	if (refused)
		CHECK(st == 400 && eb.index == -1 &&
		    strncmp(eb.error, "malformed JSON", 14) == 0);
	json_decref(root);
	arena_free(&a);
	free(body);
	return 0;
}
