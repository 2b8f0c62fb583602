/*
 * fuzz_multipart: the streamed multipart/form-data parser
 * (src/http/parse.c) on arbitrary bytes.  Input: one control byte, then,
 * if its low bit is set, a Content-Type line ending in '\n' (else the
 * Content-Type is "multipart/form-data; boundary=XyZ"), then the body.
 * The control byte also picks small or default limits and a chunking seed.
 *
 * Besides memory errors it checks the parser's central promise: the body
 * fed one byte at a time, and in pseudo-random chunks, gives the same
 * verdict and the same callback transcript (part headers, data bytes,
 * ends) as the body fed at once; and that collected fields are
 * NUL-terminated valid UTF-8 within the limits.
 */
// SOURCES: src/http/parse.c src/base/arena.c src/base/buf.c
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "http/parse.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define CHECK(cond) do { if (!(cond)) { fprintf(stderr, "%s:%d: %s\n",	\
    __FILE__, __LINE__, #cond); abort(); } } while (0)

struct rec {
	struct buf		 b;
	const struct http_limits *lim;
	int			 open;
};

static int
on_start(void *arg, const struct http_part *p)
{
	struct rec *r = arg;

	CHECK(!r->open);
	r->open = 1;
	CHECK(p->name != NULL && p->name[0] != '\0');
	CHECK(http_utf8_valid(p->name, strlen(p->name)));
	buf_printf(&r->b, "<S%zu %s|%s|%s>", p->index, p->name,
	    p->filename ? p->filename : "-", p->ctype ? p->ctype : "-");
	return 0;
}

static int
on_data(void *arg, const struct http_part *p, const char *d, size_t len)
{
	struct rec *r = arg;

	(void)p;
	CHECK(r->open);
	CHECK(len > 0);
	buf_put(&r->b, d, len);
	return 0;
}

static int
on_end(void *arg, const struct http_part *p)
{
	struct rec *r = arg;

	CHECK(r->open);
	r->open = 0;
	buf_printf(&r->b, "<E%zu %zu>", p->index, p->size);
	return 0;
}

/* step 0: one shot; 1: bytewise; else random 1..step from seed. */
static enum http_perr
run(const char *ct, const char *body, size_t len,
    const struct http_limits *lim, size_t step, unsigned seed,
    int collect, struct rec *r, struct arena *a)
{
	struct http_multipart_cb cb = { on_start, on_data, on_end, r,
	    collect };
	struct http_multipart *m;
	struct http_param *v;
	enum http_perr e;
	size_t off = 0, c, n, i;

	buf_init(&r->b);
	buf_putc(&r->b, '\0');
	r->b.len = 0;
	r->lim = lim;
	r->open = 0;
	if ((m = http_multipart_new(a, ct, lim, &cb, &e)) == NULL) {
		CHECK(e == HTTP_PERR_CTYPE);
		return e;
	}
	while (off < len) {
		if (step == 0)
			c = len - off;
		else if (step == 1)
			c = 1;
		else {
			seed = seed * 1103515245u + 12345u;
			c = 1 + (seed >> 8) % step;
		}
		if (c > len - off)
			c = len - off;
		if ((e = http_multipart_feed(m, body + off, c)) != HTTP_POK) {
			CHECK(http_multipart_feed(m, "x", 1) == e);
			return e;
		}
		off += c;
	}
	if ((e = http_multipart_finish(m)) != HTTP_POK)
		return e;
	CHECK(!r->open);
	http_multipart_params(m, &v, &n);
	CHECK(collect || n == 0);
	for (i = 0; i < n; i++) {
		CHECK(strlen(v[i].value) == v[i].valuelen);
		CHECK(v[i].valuelen <= (lim->maxvalue ? lim->maxvalue :
		    HTTP_MAXVALUE));
		CHECK(http_utf8_valid(v[i].value, v[i].valuelen));
		buf_printf(&r->b, "<F %s=", v[i].name);
		buf_put(&r->b, v[i].value, v[i].valuelen);
	}
	return HTTP_POK;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_limits lim = { 0 };
	struct rec r0, r1;
	struct arena a;
	const char *body, *nl;
	char *ct;
	size_t len, step;
	enum http_perr e0, e1;
	int collect, ctl;

	if (size == 0)
		return 0;
	ctl = data[0];
	body = (const char *)data + 1;
	len = size - 1;
	if (ctl & 1) {
		if ((nl = memchr(body, '\n', len)) == NULL)
			return 0;
		ct = strndup(body, (size_t)(nl - body));
		len -= (size_t)(nl - body) + 1;
		body = nl + 1;
	} else
		ct = strdup("multipart/form-data; boundary=XyZ");
	if (ct == NULL)
		return 0;
	if (ctl & 2) {
		lim.maxparts = 1 + (ctl >> 4) % 4;
		lim.maxheader = 16 + (ctl >> 2) % 64;
		lim.maxvalue = 1 + (ctl >> 5);
		lim.maxfile = 1 + (ctl >> 3) % 32;
		lim.maxname = 1 + (ctl >> 6);
	}
	collect = (ctl >> 2) & 1;
	step = 2 + (size_t)(ctl >> 3);
	arena_init(&a, 4096);
	e0 = run(ct, body, len, &lim, 0, 0, collect, &r0, &a);
	e1 = run(ct, body, len, &lim, 1, 0, collect, &r1, &a);
	CHECK(e0 == e1);
	if (e0 == HTTP_POK)
		CHECK(r0.b.len == r1.b.len &&
		    memcmp(r0.b.p, r1.b.p, r0.b.len) == 0);
	buf_free(&r1.b);
	e1 = run(ct, body, len, &lim, step, (unsigned)size, collect, &r1, &a);
	CHECK(e0 == e1);
	if (e0 == HTTP_POK)
		CHECK(r0.b.len == r1.b.len &&
		    memcmp(r0.b.p, r1.b.p, r0.b.len) == 0);
	buf_free(&r0.b);
	buf_free(&r1.b);
	arena_free(&a);
	free(ct);
	return 0;
}
