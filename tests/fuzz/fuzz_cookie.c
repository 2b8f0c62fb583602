/*
 * fuzz_cookie: the lenient Cookie header parser (src/http/parse.c) on
 * arbitrary bytes (up to the first NUL, as a header arrives).  The first
 * byte picks small or default limits.  It must never fail or crash, and
 * every pair it keeps must have a non-empty name, no control characters,
 * valid UTF-8, lengths within the limits and valuelen == strlen.
 */
// SOURCES: src/http/parse.c src/base/arena.c src/base/buf.c
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "http/parse.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define CHECK(cond) do { if (!(cond)) { fprintf(stderr, "%s:%d: %s\n",	\
    __FILE__, __LINE__, #cond); abort(); } } while (0)

static int
clean(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_limits lim = { 0 };
	struct http_param *v;
	struct arena a;
	size_t n, i, maxf;
	char *h;

	if (size == 0)
		return 0;
	if (data[0] & 1) {
		lim.maxfields = 1 + data[0] % 5;
		lim.maxname = 1 + (data[0] >> 3) % 4;
		lim.maxvalue = 1 + (data[0] >> 5);
	}
	maxf = lim.maxfields ? lim.maxfields : HTTP_MAXFIELDS;
	/* Exactly the header's bytes, so ASan sees a read past its NUL. */
	if ((h = malloc(size)) == NULL)
		return 0;
	memcpy(h, data + 1, size - 1);
	h[size - 1] = '\0';
	arena_init(&a, 4096);
	n = http_parse_cookies(&a, h, &lim, &v);
	CHECK(n <= maxf);
	CHECK(n == 0 || v != NULL);
	for (i = 0; i < n; i++) {
		CHECK(v[i].name[0] != '\0');
		CHECK(strlen(v[i].name) <= (lim.maxname ? lim.maxname :
		    HTTP_MAXNAME));
		CHECK(strlen(v[i].value) == v[i].valuelen);
		CHECK(v[i].valuelen <= (lim.maxvalue ? lim.maxvalue :
		    HTTP_MAXVALUE));
		CHECK(clean(v[i].name) && clean(v[i].value));
		CHECK(http_utf8_valid(v[i].name, strlen(v[i].name)));
		CHECK(http_utf8_valid(v[i].value, v[i].valuelen));
		/* Each pair came from the header. */
		CHECK(strstr(h, v[i].name) != NULL);
		CHECK(strstr(h, v[i].value) != NULL);
	}
	arena_free(&a);
	free(h);
	return 0;
}
