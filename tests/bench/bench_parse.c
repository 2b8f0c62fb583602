/*
 * bench_parse: request parsing costs (src/http/parse.c, src/http/field.c).
 *
 * Measures, each as wall-clock time via clock_gettime(CLOCK_MONOTONIC) on
 * one core, best of 20 runs:
 *  - a 10-field urlencoded form body parsed and validated (per request);
 *  - a multipart upload (one field + an 8 MiB file of pseudo-random bytes)
 *    streamed in 16 KiB chunks with a data callback that only sums bytes
 *    (throughput, MiB/s);
 *  - the same file fed in 1-byte chunks (worst case, MiB/s).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/arena.h"
#include "base/buf.h"
#include "http/field.h"
#include "http/parse.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int
sum_data(void *arg, const struct http_part *p, const char *d, size_t len)
{
	size_t *sum = arg;

	(void)p;
	(void)d;
	*sum += len;
	return 0;
}

static const char form[] = "email=ann.lee%40example.com&password=correct+"
    "horse+battery&name=Ann+Lee&age=34&score=87.5&remember=on&role="
    "learner&bio=Hello%2C+I+like+maths.%0D%0ASecond+line.&course=3f2504e0"
    "-4f89-11d3-9a0c-0305e82c3301&csrf=abcdefabcdefabcdef";

static const char *const roles[] = { "learner", "instructor", NULL };

static const struct http_field fields[] = {
	{ .name = "email", .type = HTTP_FT_EMAIL, .required = 1 },
	{ .name = "password", .type = HTTP_FT_PASSWORD, .minlen = 8 },
	{ .name = "name", .type = HTTP_FT_STRING, .maxlen = 100 },
	{ .name = "age", .type = HTTP_FT_INT, .min = 13, .max = 120 },
	{ .name = "score", .type = HTTP_FT_DOUBLE, .min = 0, .max = 100 },
	{ .name = "remember", .type = HTTP_FT_BOOL },
	{ .name = "role", .type = HTTP_FT_ENUM, .choices = roles },
	{ .name = "bio", .type = HTTP_FT_TEXT, .maxlen = 2000 },
	{ .name = "course", .type = HTTP_FT_ID },
};

static double
bench_form(int reps)
{
	struct arena a;
	struct http_param *v;
	struct http_form f;
	size_t n;
	double t0, best = 1e9, t;
	int run, i;

	arena_init(&a, 0);
	for (run = 0; run < 20; run++) {
		t0 = now();
		for (i = 0; i < reps; i++) {
			arena_reset(&a);
			if (http_parse_urlencoded(&a, form, sizeof(form) - 1,
			    NULL, &v, &n) != HTTP_POK ||
			    http_validate(&a, fields, 9, v, n, &f) != 0) {
				fprintf(stderr, "bench form: parse failed\n");
				exit(1);
			}
		}
		if ((t = now() - t0) < best)
			best = t;
	}
	arena_free(&a);
	return best / reps;
}

static double
bench_upload(const struct buf *body, size_t chunk, size_t filelen)
{
	struct arena a;
	struct http_limits lim = { .maxbody = 64 << 20 };
	struct http_multipart_cb cb = { NULL, sum_data, NULL, NULL, 1 };
	struct http_multipart *m;
	enum http_perr e;
	size_t off, c, sum;
	double t0, t, best = 1e9;
	int run;

	arena_init(&a, 0);
	for (run = 0; run < 20; run++) {
		arena_reset(&a);
		sum = 0;
		cb.arg = &sum;
		t0 = now();
		m = http_multipart_new(&a, "multipart/form-data; boundary=----"
		    "WebKitFormBoundary7MA4YWxkTrZu0gW", &lim, &cb, &e);
		for (off = 0; m != NULL && off < body->len; off += c) {
			c = body->len - off < chunk ? body->len - off : chunk;
			if ((e = http_multipart_feed(m, body->p + off, c)) !=
			    HTTP_POK)
				break;
		}
		if (m == NULL || e != HTTP_POK ||
		    http_multipart_finish(m) != HTTP_POK || sum != filelen) {
			fprintf(stderr, "bench upload: parse failed\n");
			exit(1);
		}
		if ((t = now() - t0) < best)
			best = t;
	}
	arena_free(&a);
	return best;
}

int
main(void)
{
	const size_t filelen = 8 << 20;
	struct buf body;
	unsigned x = 12345;
	size_t i;
	double t;

	t = bench_form(20000);
	printf("urlencoded form, 10 fields, parse + validate 9: %.2f us per "
	    "request (20000 requests, best of 20 runs)\n", t * 1e6);

	buf_init(&body);
	buf_puts(&body, "------WebKitFormBoundary7MA4YWxkTrZu0gW\r\n"
	    "Content-Disposition: form-data; name=\"title\"\r\n\r\nNotes\r\n"
	    "------WebKitFormBoundary7MA4YWxkTrZu0gW\r\n"
	    "Content-Disposition: form-data; name=\"file\"; "
	    "filename=\"notes.bin\"\r\nContent-Type: application/octet-stream"
	    "\r\n\r\n");
	buf_reserve(&body, filelen + 128);
	for (i = 0; i < filelen; i++) {
		x = x * 1103515245u + 12345u;
		body.p[body.len++] = (char)(x >> 16);
	}
	buf_puts(&body, "\r\n------WebKitFormBoundary7MA4YWxkTrZu0gW--\r\n");
	t = bench_upload(&body, 16384, filelen);
	printf("multipart upload, 8 MiB random file, 16 KiB chunks: %.0f MiB/s "
	    "(%.2f ms, best of 20)\n", 8 / t, t * 1e3);
	t = bench_upload(&body, 1, filelen);
	printf("multipart upload, 8 MiB random file, 1-byte chunks: %.0f MiB/s "
	    "(%.2f ms, best of 20)\n", 8 / t, t * 1e3);
	buf_free(&body);
	return 0;
}
