/*
 * fuzz_events: events_parse (src/pages/events_parse.c), the validation of
 * POST /api/v1/events batches, on arbitrary bytes.  It must never crash;
 * an accepted batch is well-formed COPY binary data with one row per
 * distinct event, no more than received (at most EV_MAX); a refused one
 * says why, with 400 or 413, and an index only within the batch.
 */
// SOURCES: src/pages/events_parse.c src/base/arena.c src/base/buf.c
// LDFLAGS: -ljansson -lpthread
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
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

/* Walks COPY binary data: header, rows of EV_COPY_FIELDS fields whose
 * lengths stay inside it, the end marker last; returns the rows. */
static size_t
copy_rows(const unsigned char *c, size_t len)
{
	const unsigned char *end = c + len;
	size_t rows = 0;
	int64_t n;
	int k;

	CHECK(len >= 21 && memcmp(c, "PGCOPY\n\377\r\n\0", 11) == 0);
	c += 19;
	while (be(c, 2) != 0xffff) {
		CHECK(be(c, 2) == EV_COPY_FIELDS);
		c += 2;
		for (k = 0; k < EV_COPY_FIELDS; k++) {
			CHECK(c + 4 <= end);
			n = (int32_t)be(c, 4);
			c += 4;
			CHECK(n >= -1 && n <= end - c);
			c += n > 0 ? n : 0;
		}
		CHECK(c + 2 <= end);
		rows++;
	}
	CHECK(c + 2 == end);
	return rows;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	struct ev_batch eb;
	char *body;
	int st;

	body = malloc(size + 1);
	memcpy(body, data, size);
	body[size] = '\0';
	arena_init(&a, 64 * 1024);
	/* 2026-11-25T08:00:00Z, 24 months kept. */
	st = events_parse(&a, body, size, 1795593600, 24, 7, &eb);
	if (st == 0) {
		CHECK(eb.index == -1 && eb.error == NULL);
		CHECK(eb.received <= EV_MAX && eb.stored_max <= eb.received);
		CHECK(copy_rows((const unsigned char *)eb.copy, eb.copy_len) ==
		    eb.stored_max);
	} else {
		CHECK(st == 400 || st == 413);
		CHECK(eb.error != NULL && eb.error[0] != '\0');
		CHECK(eb.index >= -1 && (eb.index < 0 ||
		    (size_t)eb.index < eb.received));
	}
	arena_free(&a);
	free(body);
	return 0;
}
