/*
 * fuzz_events: events_parse (src/pages/events_parse.c), the validation of
 * POST /api/v1/events batches, on arbitrary bytes.  It must never crash;
 * an accepted batch has every array literal, braces balanced, and no more
 * distinct events than received (at most EV_MAX); a refused one says why,
 * with 400 or 413, and an index only within the batch.
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

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	struct ev_batch eb;
	char *body;
	int st, k;
	size_t n;

	body = malloc(size + 1);
	memcpy(body, data, size);
	body[size] = '\0';
	arena_init(&a, 64 * 1024);
	/* 2026-11-25T08:00:00Z, 24 months kept. */
	st = events_parse(&a, body, size, 1795593600, 24, &eb);
	if (st == 0) {
		CHECK(eb.index == -1 && eb.error == NULL);
		CHECK(eb.received <= EV_MAX && eb.stored_max <= eb.received);
		for (k = 0; k < EV_NARR; k++) {
			CHECK(eb.arr[k] != NULL);
			n = strlen(eb.arr[k]);
			CHECK(n >= 2 && eb.arr[k][0] == '{' &&
			    eb.arr[k][n - 1] == '}');
		}
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
