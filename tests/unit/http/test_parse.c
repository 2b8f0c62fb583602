/*
 * Tests for src/http/parse.c: percent-decoding, UTF-8, urlencoded and
 * query strings, Content-Length, cookies, and streamed multipart (the same
 * callbacks' bytes whatever the chunking).
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
#include "http/parse.h"

static int
setup(void **state)
{
	struct arena *a = malloc(sizeof(*a));

	arena_init(a, 0);
	*state = a;
	return 0;
}

static int
teardown(void **state)
{
	arena_free(*state);
	free(*state);
	return 0;
}

static enum http_perr
urlenc(struct arena *a, const char *s, const struct http_limits *lim,
    struct http_param **v, size_t *n)
{
	return http_parse_urlencoded(a, s, strlen(s), lim, v, n);
}

/* ---- percent-decoding and UTF-8 -------------------------------------- */

static void
test_pct_decode(void **state)
{
	char out[64];
	size_t n;

	assert_int_equal(http_pct_decode(out, "a%20b+c%2B%2b%e2%82%AC", 22,
	    1, &n), HTTP_POK);
	assert_int_equal(n, 10);
	assert_memory_equal(out, "a b c++\xe2\x82\xac", 10);
	assert_int_equal(http_pct_decode(out, "a+b", 3, 0, &n), HTTP_POK);
	assert_memory_equal(out, "a+b", 3);
	assert_int_equal(http_pct_decode(out, "", 0, 1, &n), HTTP_POK);
	assert_int_equal(n, 0);
	assert_int_equal(http_pct_decode(out, "%zz", 3, 1, &n),
	    HTTP_PERR_ESCAPE);
	assert_int_equal(http_pct_decode(out, "%4", 2, 1, &n),
	    HTTP_PERR_ESCAPE);
	assert_int_equal(http_pct_decode(out, "ab%", 3, 1, &n),
	    HTTP_PERR_ESCAPE);
	assert_int_equal(http_pct_decode(out, "%4g", 3, 1, &n),
	    HTTP_PERR_ESCAPE);
	/* The length bound is honoured: "%41" cut after "%4". */
	assert_int_equal(http_pct_decode(out, "%41", 2, 1, &n),
	    HTTP_PERR_ESCAPE);
}

static void
test_utf8(void **state)
{
	static const char *const good[] = {
		"", "plain ascii", "\xc2\xa9", "\xe2\x82\xac", "\xed\x9f\xbf",
		"\xee\x80\x80", "\xef\xbf\xbf", "\xf0\x90\x80\x80",
		"\xf4\x8f\xbf\xbf", "caf\xc3\xa9 \xf0\x9f\x98\x80",
	};
	static const char *const bad[] = {
		"\x80",			/* lone continuation */
		"\xbf",
		"\xc0\x80",		/* overlong NUL */
		"\xc1\xbf",		/* overlong */
		"\xe0\x80\x80",		/* overlong 3-byte */
		"\xe0\x9f\xbf",
		"\xf0\x80\x80\x80",	/* overlong 4-byte */
		"\xf0\x8f\xbf\xbf",
		"\xed\xa0\x80",		/* U+D800 */
		"\xed\xbf\xbf",		/* U+DFFF */
		"\xf4\x90\x80\x80",	/* U+110000 */
		"\xf5\x80\x80\x80",
		"\xfe", "\xff",
		"\xe2\x82",		/* truncated */
		"\xc3",
		"\xf0\x9f\x98",
		"a\xc3(",		/* bad continuation */
		"\xe2(\xac",
	};
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_true(http_utf8_valid(good[i], strlen(good[i])));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (http_utf8_valid(bad[i], strlen(bad[i])))
			fail_msg("accepted bad UTF-8 #%zu", i);
	}
	/* NUL is valid UTF-8 (rejected elsewhere). */
	assert_true(http_utf8_valid("a\0b", 3));
	assert_int_equal(http_utf8_len("caf\xc3\xa9 \xf0\x9f\x98\x80", 10),
	    6);
	assert_int_equal(http_utf8_len("", 0), 0);
}

/* ---- urlencoded ---------------------------------------------------------- */

static void
test_urlencoded_good(void **state)
{
	struct http_param *v;
	size_t n;

	assert_int_equal(urlenc(*state,
	    "a=1&b=hello+world&c=%C3%A9t%C3%A9&d&=x&&e=&a=2&f=x=y", NULL,
	    &v, &n), HTTP_POK);
	assert_int_equal(n, 7);
	assert_string_equal(v[0].name, "a");
	assert_string_equal(v[0].value, "1");
	assert_string_equal(v[1].value, "hello world");
	assert_string_equal(v[2].value, "\xc3\xa9t\xc3\xa9");
	assert_int_equal(v[2].valuelen, 5);
	assert_string_equal(v[3].name, "d");
	assert_string_equal(v[3].value, "");
	assert_int_equal(v[3].valuelen, 0);
	assert_string_equal(v[4].name, "e");
	assert_string_equal(v[4].value, "");
	assert_string_equal(v[5].name, "a");
	assert_string_equal(v[5].value, "2");
	assert_string_equal(v[6].value, "x=y");
	/* Lookup: the first of duplicates. */
	assert_string_equal(http_param_value(v, n, "a"), "1");
	assert_ptr_equal(http_param_get(v, n, "b"), &v[1]);
	assert_null(http_param_get(v, n, "zz"));
	assert_null(http_param_value(v, n, ""));

	assert_int_equal(urlenc(*state, "", NULL, &v, &n), HTTP_POK);
	assert_int_equal(n, 0);
	assert_int_equal(urlenc(*state, "&&&", NULL, &v, &n), HTTP_POK);
	assert_int_equal(n, 0);
	/* Encoded names; the input need not be NUL-terminated. */
	assert_int_equal(http_parse_urlencoded(*state, "na%6De=v&zzz", 6,
	    NULL, &v, &n), HTTP_POK);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].name, "name");
	assert_string_equal(v[0].value, "");
}

static void
test_urlencoded_bad(void **state)
{
	static const struct {
		const char	*in;
		enum http_perr	 want;
	} t[] = {
		{ "a=%zz", HTTP_PERR_ESCAPE },
		{ "a=%4", HTTP_PERR_ESCAPE },
		{ "a=1&b=%", HTTP_PERR_ESCAPE },
		{ "%g1=1", HTTP_PERR_ESCAPE },
		{ "a=%C0%80", HTTP_PERR_UTF8 },		/* overlong */
		{ "a=%E0%80%AF", HTTP_PERR_UTF8 },
		{ "a=%ED%A0%80", HTTP_PERR_UTF8 },	/* surrogate */
		{ "a=%F4%90%80%80", HTTP_PERR_UTF8 },	/* > U+10FFFF */
		{ "a=%E2%82", HTTP_PERR_UTF8 },		/* truncated */
		{ "a=%E2%82&b=%AC", HTTP_PERR_UTF8 },
		{ "%FF=1", HTTP_PERR_UTF8 },
		{ "a=\xff", HTTP_PERR_UTF8 },		/* raw byte */
		{ "a=x%00y", HTTP_PERR_NUL },
		{ "a%00=1", HTTP_PERR_NUL },
	};
	struct http_param *v = NULL;
	size_t i, n = 99;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		enum http_perr e = urlenc(*state, t[i].in, NULL, &v, &n);

		if (e != t[i].want)
			fail_msg("\"%s\": got %d, want %d", t[i].in, e,
			    t[i].want);
	}
	assert_null(v);
	assert_int_equal(n, 99);
	/* A NUL byte passed raw (length-delimited input). */
	assert_int_equal(http_parse_urlencoded(*state, "a=x\0y", 5, NULL, &v,
	    &n), HTTP_PERR_NUL);
}

static void
test_urlencoded_limits(void **state)
{
	struct http_limits lim = { 0 };
	struct http_param *v;
	struct buf b;
	size_t i, n;

	/* Fields: 200 by default. */
	buf_init(&b);
	for (i = 0; i < 200; i++)
		buf_printf(&b, "%sf%zu=%zu", i ? "&" : "", i, i);
	assert_int_equal(urlenc(*state, b.p, NULL, &v, &n), HTTP_POK);
	assert_int_equal(n, 200);
	assert_string_equal(v[199].name, "f199");
	buf_puts(&b, "&&&");		/* empty pairs do not count */
	assert_int_equal(urlenc(*state, b.p, NULL, &v, &n), HTTP_POK);
	buf_puts(&b, "&x=1");
	assert_int_equal(urlenc(*state, b.p, NULL, &v, &n), HTTP_PERR_FIELDS);
	lim.maxfields = 3;
	assert_int_equal(urlenc(*state, "a=1&b=2&c=3", &lim, &v, &n),
	    HTTP_POK);
	assert_int_equal(urlenc(*state, "a=1&b=2&c=3&d", &lim, &v, &n),
	    HTTP_PERR_FIELDS);
	lim.maxfields = 0;

	/* Names: 128 bytes after decoding. */
	buf_reset(&b);
	for (i = 0; i < 128; i++)
		buf_puts(&b, "%41");
	buf_puts(&b, "=1");
	assert_int_equal(urlenc(*state, b.p, NULL, &v, &n), HTTP_POK);
	assert_int_equal(strlen(v[0].name), 128);
	buf_reset(&b);
	for (i = 0; i < 129; i++)
		buf_putc(&b, 'n');
	assert_int_equal(urlenc(*state, b.p, NULL, &v, &n),
	    HTTP_PERR_NAMELEN);

	/* Values: per call. */
	lim.maxvalue = 10;
	assert_int_equal(urlenc(*state, "a=%41%41%41%41%41%41%41%41%41%41",
	    &lim, &v, &n), HTTP_POK);
	assert_int_equal(v[0].valuelen, 10);
	assert_int_equal(urlenc(*state, "a=12345678901", &lim, &v, &n),
	    HTTP_PERR_VALUELEN);
	lim.maxvalue = 0;
	buf_reset(&b);
	buf_puts(&b, "big=");
	for (i = 0; i < 64 * 1024; i++)
		buf_putc(&b, 'x');
	assert_int_equal(urlenc(*state, b.p, NULL, &v, &n), HTTP_POK);
	assert_int_equal(v[0].valuelen, 64 * 1024);
	buf_putc(&b, 'x');
	assert_int_equal(urlenc(*state, b.p, NULL, &v, &n),
	    HTTP_PERR_VALUELEN);

	/* Body. */
	lim.maxbody = 8;
	assert_int_equal(urlenc(*state, "a=123456", &lim, &v, &n), HTTP_POK);
	assert_int_equal(urlenc(*state, "a=1234567", &lim, &v, &n),
	    HTTP_PERR_BODYLEN);
	buf_free(&b);
}

static void
test_content_length(void **state)
{
	size_t n = 7;

	assert_int_equal(http_content_length(NULL, 10, &n), HTTP_POK);
	assert_int_equal(n, 0);
	assert_int_equal(http_content_length("", 10, &n), HTTP_POK);
	assert_int_equal(http_content_length("10", 10, &n), HTTP_POK);
	assert_int_equal(n, 10);
	assert_int_equal(http_content_length("11", 10, &n), HTTP_PERR_BODYLEN);
	assert_int_equal(http_content_length("99999999999999999999999999",
	    10, &n), HTTP_PERR_BODYLEN);
	assert_int_equal(http_content_length("99999999999999999999999999x",
	    10, &n), HTTP_PERR_CLEN);
	assert_int_equal(http_content_length("-1", 10, &n), HTTP_PERR_CLEN);
	assert_int_equal(http_content_length(" 1", 10, &n), HTTP_PERR_CLEN);
	assert_int_equal(http_content_length("1e3", 10000, &n),
	    HTTP_PERR_CLEN);
	assert_int_equal(n, 10);
}

static void
test_mime_is(void **state)
{
	assert_true(http_mime_is("application/x-www-form-urlencoded",
	    "application/x-www-form-urlencoded"));
	assert_true(http_mime_is(" Application/X-WWW-Form-Urlencoded ; "
	    "charset=UTF-8", "application/x-www-form-urlencoded"));
	assert_false(http_mime_is("application/x-www-form-urlencodedx",
	    "application/x-www-form-urlencoded"));
	assert_false(http_mime_is("multipart/form", "multipart/form-data"));
	assert_false(http_mime_is(NULL, "multipart/form-data"));
	assert_false(http_mime_is("", "multipart/form-data"));
}

static void
test_perr_str(void **state)
{
	int i, j;

	for (i = 0; i < HTTP_PERR__MAX; i++) {
		const char *s = http_perr_str(i);

		assert_non_null(s);
		assert_true(strlen(s) > 5);
		for (j = 0; j < i; j++)
			assert_string_not_equal(s, http_perr_str(j));
		assert_int_equal(http_perr_status(i),
		    (i == HTTP_PERR_BODYLEN || i == HTTP_PERR_FILELEN) ?
		    413 : 400);
	}
	assert_non_null(http_perr_str(HTTP_PERR__MAX));
	assert_non_null(http_perr_str(-1));
}

/* ---- cookies ---------------------------------------------------------- */

static void
test_cookies(void **state)
{
	struct http_param *v;
	struct http_limits lim = { 0 };
	size_t n;

	n = http_parse_cookies(*state, "a=1; b=\"quoted val\"; c; =nv; "
	    " d = spaced ;e=x=y;f=\"open;g=\x01" "bad;h=ok;i=\xc3\x28;"
	    "j=\"\";k=;l=%41", NULL, &v);
	assert_int_equal(n, 9);
	assert_string_equal(v[0].name, "a");
	assert_string_equal(v[0].value, "1");
	assert_string_equal(v[1].name, "b");
	assert_string_equal(v[1].value, "quoted val");
	assert_int_equal(v[1].valuelen, 10);
	assert_string_equal(v[2].name, "d");
	assert_string_equal(v[2].value, "spaced");
	assert_string_equal(v[3].name, "e");
	assert_string_equal(v[3].value, "x=y");
	assert_string_equal(v[4].name, "f");
	assert_string_equal(v[4].value, "\"open");
	assert_string_equal(v[5].name, "h");
	assert_string_equal(v[6].name, "j");
	assert_string_equal(v[6].value, "");
	assert_string_equal(v[7].name, "k");
	assert_string_equal(v[7].value, "");
	assert_string_equal(v[8].value, "%41");	/* not decoded */
	assert_string_equal(http_param_value(v, n, "h"), "ok");
	assert_null(http_param_value(v, n, "g"));
	assert_null(http_param_value(v, n, "i"));

	assert_int_equal(http_parse_cookies(*state, NULL, NULL, &v), 0);
	assert_int_equal(http_parse_cookies(*state, "", NULL, &v), 0);
	assert_int_equal(http_parse_cookies(*state, ";;; ;", NULL, &v), 0);
	assert_int_equal(http_parse_cookies(*state, "=", NULL, &v), 0);
	assert_int_equal(http_parse_cookies(*state, "\"", NULL, &v), 0);
	n = http_parse_cookies(*state, "x=\"", NULL, &v);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].value, "\"");

	/* Over-long pairs are skipped, extra pairs dropped, no error. */
	lim.maxname = 3;
	lim.maxvalue = 4;
	lim.maxfields = 2;
	n = http_parse_cookies(*state, "long=1; ok=1234; v=12345; w=2; x=3",
	    &lim, &v);
	assert_int_equal(n, 2);
	assert_string_equal(v[0].name, "ok");
	assert_string_equal(v[1].name, "w");
	/* Duplicates kept in order; lookup returns the first. */
	n = http_parse_cookies(*state, "s=first; s=second", NULL, &v);
	assert_int_equal(n, 2);
	assert_string_equal(http_param_value(v, n, "s"), "first");
}

/* ---- multipart -------------------------------------------------------- */

#define CT	"multipart/form-data; boundary=XyZ"

/* A file body with near-miss delimiters, NUL, CR, and invalid UTF-8. */
#define FILEDATA \
	"\r\n--XyY\r\n-XyZ\r\r\n--Xy\n--XyZ \r\n\r\n-\r\n--\r\n--X" \
	"\0\xff\xfe--XyZ\r"

static const char body1[] =
	"preamble, ignored\r\n"
	"--XyZ\r\n"
	"Content-Disposition: form-data; name=\"title\"\r\n"
	"\r\n"
	"Hello, w\xc3\xb6rld\r\n"
	"--XyZ\r\n"
	"content-disposition: form-data; name=\"up\"; filename=\"a b.bin\"\r\n"
	"Content-Type: application/octet-stream\r\n"
	"\r\n"
	FILEDATA "\r\n"
	"--XyZ   \r\n"
	"Content-Disposition: form-data; name=empty\r\n"
	"\r\n"
	"\r\n"
	"--XyZ\r\n"
	"Content-Disposition: form-data; name=\"text\"\r\n"
	"X-Other: ignored\r\n"
	"\r\n"
	"line 1\r\nline 2\r\n"
	"--XyZ--\r\n"
	"epilogue \r\n--XyZ\r\n garbage";

struct rec {
	struct buf	 b;
	int		 failat;	/* callback number to fail, or 0 */
	int		 failwith;
	int		 ncalls;
};

static int
rec_start(void *arg, const struct http_part *p)
{
	struct rec *r = arg;

	buf_printf(&r->b, "[start %zu name=%s file=%s type=%s]", p->index,
	    p->name, p->filename ? p->filename : "(none)",
	    p->ctype ? p->ctype : "(none)");
	return ++r->ncalls == r->failat ? r->failwith : 0;
}

static int
rec_data(void *arg, const struct http_part *p, const char *d, size_t len)
{
	struct rec *r = arg;

	assert_true(len > 0);
	buf_put(&r->b, d, len);
	return ++r->ncalls == r->failat ? r->failwith : 0;
}

static int
rec_end(void *arg, const struct http_part *p)
{
	struct rec *r = arg;

	buf_printf(&r->b, "[end %s %zu]", p->name, p->size);
	return ++r->ncalls == r->failat ? r->failwith : 0;
}

/*
 * Parses body in chunks: step 0 = one shot, step 1 = byte by byte,
 * otherwise pseudo-random sizes 1..step seeded by seed.  Returns the
 * first error (feed or finish); the transcript is in r->b.
 */
static enum http_perr
run_mp(struct arena *a, const char *ctype, const char *body, size_t len,
    const struct http_limits *lim, size_t step, unsigned seed, int collect,
    struct rec *r, struct http_param **v, size_t *n)
{
	struct http_multipart_cb cb = { rec_start, rec_data, rec_end, r,
	    collect };
	struct http_multipart *m;
	enum http_perr e;
	size_t off = 0, c;

	buf_init(&r->b);
	buf_putc(&r->b, '\0');	/* so r->b.p is never NULL */
	r->b.len = 0;
	m = http_multipart_new(a, ctype, lim, &cb, &e);
	if (m == NULL)
		return e;
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
		if ((e = http_multipart_feed(m, body + off, c)) != HTTP_POK)
			return e;
		off += c;
	}
	if ((e = http_multipart_finish(m)) != HTTP_POK)
		return e;
	if (v != NULL)
		http_multipart_params(m, v, n);
	return HTTP_POK;
}

static const char expect1[] =
	"[start 0 name=title file=(none) type=(none)]Hello, w\xc3\xb6rld"
	"[end title 13]"
	"[start 1 name=up file=a b.bin type=application/octet-stream]"
	FILEDATA "[end up 50]"
	"[start 2 name=empty file=(none) type=(none)][end empty 0]"
	"[start 3 name=text file=(none) type=(none)]line 1\r\nline 2"
	"[end text 14]";

static void
test_multipart_oneshot(void **state)
{
	struct rec r = { 0 };

	assert_int_equal(sizeof(FILEDATA) - 1, 50);
	assert_int_equal(run_mp(*state, CT, body1, sizeof(body1) - 1, NULL,
	    0, 0, 0, &r, NULL, NULL), HTTP_POK);
	assert_int_equal(r.b.len, sizeof(expect1) - 1);
	assert_memory_equal(r.b.p, expect1, r.b.len);
	buf_free(&r.b);
}

static void
test_multipart_chunked(void **state)
{
	struct rec one = { 0 }, r = { 0 };
	size_t steps[] = { 1, 2, 3, 5, 7, 16, 64 };
	size_t i;
	unsigned seed;

	assert_int_equal(run_mp(*state, CT, body1, sizeof(body1) - 1, NULL,
	    0, 0, 0, &one, NULL, NULL), HTTP_POK);
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		for (seed = 1; seed <= (steps[i] == 1 ? 1 : 50); seed++) {
			assert_int_equal(run_mp(*state, CT, body1,
			    sizeof(body1) - 1, NULL, steps[i], seed, 0, &r,
			    NULL, NULL), HTTP_POK);
			if (r.b.len != one.b.len ||
			    memcmp(r.b.p, one.b.p, r.b.len) != 0)
				fail_msg("step %zu seed %u differs", steps[i],
				    seed);
			buf_free(&r.b);
		}
	}
	buf_free(&one.b);
}

static void
test_multipart_collect(void **state)
{
	static const char expfile[] = "[start 1 name=up file=a b.bin "
	    "type=application/octet-stream]" FILEDATA "[end up 50]";
	struct rec r = { 0 };
	struct http_param *v;
	size_t n, step;

	for (step = 0; step < 4; step++) {
		assert_int_equal(run_mp(*state, CT, body1, sizeof(body1) - 1,
		    NULL, step, 7, 1, &r, &v, &n), HTTP_POK);
		/* Only the file went to the callbacks. */
		assert_int_equal(r.b.len, sizeof(expfile) - 1);
		assert_memory_equal(r.b.p, expfile, r.b.len);
		buf_free(&r.b);
		assert_int_equal(n, 3);
		assert_string_equal(v[0].name, "title");
		assert_string_equal(v[0].value, "Hello, w\xc3\xb6rld");
		assert_int_equal(v[0].valuelen, 13);
		assert_string_equal(v[1].name, "empty");
		assert_string_equal(v[1].value, "");
		assert_int_equal(v[1].valuelen, 0);
		assert_string_equal(v[2].value, "line 1\r\nline 2");
	}
	/* The one-shot wrapper. */
	assert_int_equal(http_parse_multipart(*state, CT, body1,
	    sizeof(body1) - 1, NULL, &v, &n), HTTP_POK);
	assert_int_equal(n, 3);
	assert_string_equal(http_param_value(v, n, "text"),
	    "line 1\r\nline 2");
	assert_null(http_param_get(v, n, "up"));
	/* A long value crosses many chunks and buffer growth. */
	{
		struct buf b;
		size_t i;

		buf_init(&b);
		buf_puts(&b, "--XyZ\r\nContent-Disposition: form-data; "
		    "name=long\r\n\r\n");
		for (i = 0; i < 5000; i++)
			buf_putc(&b, 'a' + i % 26);
		buf_puts(&b, "\r\n--XyZ--");
		assert_int_equal(run_mp(*state, CT, b.p, b.len, NULL, 100, 3,
		    1, &r, &v, &n), HTTP_POK);
		buf_free(&r.b);
		assert_int_equal(n, 1);
		assert_int_equal(v[0].valuelen, 5000);
		assert_memory_equal(v[0].value, b.p + 52, 5000);
		assert_int_equal(v[0].value[5000], '\0');
		buf_free(&b);
	}
}

static enum http_perr
mp(struct arena *a, const char *ctype, const char *body,
    const struct http_limits *lim)
{
	struct rec r = { 0 };
	enum http_perr e, e1;

	e = run_mp(a, ctype, body, strlen(body), lim, 0, 0, 0, &r, NULL,
	    NULL);
	buf_free(&r.b);
	/* Byte by byte gives the same verdict. */
	e1 = run_mp(a, ctype, body, strlen(body), lim, 1, 0, 0, &r, NULL,
	    NULL);
	buf_free(&r.b);
	assert_int_equal(e, e1);
	return e;
}

#define PART(name) "--XyZ\r\nContent-Disposition: form-data; name=\"" \
	name "\"\r\n\r\n"

static void
test_multipart_framing(void **state)
{
	struct http_param *v;
	size_t n;

	/* No preamble, transport padding, zero parts. */
	assert_int_equal(mp(*state, CT, PART("a") "1\r\n--XyZ \t\r\n"
	    "Content-Disposition: form-data; name=b\r\n\r\n2\r\n--XyZ--",
	    NULL), HTTP_POK);
	assert_int_equal(mp(*state, CT, "--XyZ--", NULL), HTTP_POK);
	v = NULL;
	assert_int_equal(http_parse_multipart(*state, CT, "--XyZ--", 7, NULL,
	    &v, &n), HTTP_POK);
	assert_int_equal(n, 0);
	assert_non_null(v);

	/* Missing final boundary, at every stage. */
	assert_int_equal(mp(*state, CT, "", NULL), HTTP_PERR_MP_TRUNC);
	assert_int_equal(mp(*state, CT, "no boundary at all", NULL),
	    HTTP_PERR_MP_TRUNC);
	assert_int_equal(mp(*state, CT, "--XyZ", NULL), HTTP_PERR_MP_TRUNC);
	assert_int_equal(mp(*state, CT, "--XyZ-", NULL), HTTP_PERR_MP_TRUNC);
	assert_int_equal(mp(*state, CT, "--XyZ\r\nContent-Disp", NULL),
	    HTTP_PERR_MP_TRUNC);
	assert_int_equal(mp(*state, CT, PART("a") "data", NULL),
	    HTTP_PERR_MP_TRUNC);
	assert_int_equal(mp(*state, CT, PART("a") "data\r\n--XyZ", NULL),
	    HTTP_PERR_MP_TRUNC);
	assert_int_equal(mp(*state, CT, PART("a") "data\r\n--XyZ\r\n", NULL),
	    HTTP_PERR_MP_TRUNC);
	/* The boundary without CRLF before it is data, so still open. */
	assert_int_equal(mp(*state, CT, PART("a") "data--XyZ--", NULL),
	    HTTP_PERR_MP_TRUNC);

	/* Garbage after a delimiter. */
	assert_int_equal(mp(*state, CT, PART("a") "x\r\n--XyZx\r\n", NULL),
	    HTTP_PERR_MP_SYNTAX);
	assert_int_equal(mp(*state, CT, PART("a") "x\r\n--XyZ-x", NULL),
	    HTTP_PERR_MP_SYNTAX);
	assert_int_equal(mp(*state, CT, "--XyZ\rx", NULL),
	    HTTP_PERR_MP_SYNTAX);
	assert_int_equal(mp(*state, CT, "--XyZ \tx", NULL),
	    HTTP_PERR_MP_SYNTAX);
	/* Header syntax. */
	assert_int_equal(mp(*state, CT, "--XyZ\r\n\r\nx\r\n--XyZ--", NULL),
	    HTTP_PERR_MP_NONAME);
	assert_int_equal(mp(*state, CT, "--XyZ\r\nContent-Type: text/plain"
	    "\r\n\r\nx\r\n--XyZ--", NULL), HTTP_PERR_MP_NONAME);
	assert_int_equal(mp(*state, CT, "--XyZ\r\nContent-Disposition: "
	    "form-data; name=\"\"\r\n\r\nx\r\n--XyZ--", NULL),
	    HTTP_PERR_MP_NONAME);
	assert_int_equal(mp(*state, CT, "--XyZ\r\nContent-Disposition: "
	    "attachment; name=a\r\n\r\nx\r\n--XyZ--", NULL),
	    HTTP_PERR_MP_SYNTAX);
	assert_int_equal(mp(*state, CT, "--XyZ\r\nContent-Disposition: "
	    "form-data; name=\"a\r\n\r\nx\r\n--XyZ--", NULL),
	    HTTP_PERR_MP_SYNTAX);
	assert_int_equal(mp(*state, CT, "--XyZ\r\nContent-Disposition: "
	    "form-data; name=a; name=b\r\n\r\nx\r\n--XyZ--", NULL),
	    HTTP_PERR_MP_SYNTAX);
	assert_int_equal(mp(*state, CT, "--XyZ\r\nNo colon here\r\n\r\n"
	    "x\r\n--XyZ--", NULL), HTTP_PERR_MP_SYNTAX);
	assert_int_equal(mp(*state, CT, "--XyZ\r\nContent-Disposition: "
	    "form-data;\r\n name=a\r\n\r\nx\r\n--XyZ--", NULL),
	    HTTP_PERR_MP_SYNTAX);	/* folded header */
	assert_int_equal(mp(*state, CT, "--XyZ\r\nContent-Disposition: "
	    "form-data; name=a\n\r\nx\r\n--XyZ--", NULL),
	    HTTP_PERR_MP_SYNTAX);	/* bare LF */
	assert_int_equal(mp(*state, CT, "--XyZ\r\nContent-Disposition: "
	    "form-data; name=a\rb\r\n\r\nx\r\n--XyZ--", NULL),
	    HTTP_PERR_MP_SYNTAX);	/* bare CR */
	assert_int_equal(mp(*state, CT, "--XyZ\r\nContent-Disposition: "
	    "form-data; name=\"\xc3\x28\"\r\n\r\nx\r\n--XyZ--", NULL),
	    HTTP_PERR_UTF8);
}

static void
test_multipart_ctype(void **state)
{
	static const char *const bad[] = {
		NULL, "", "multipart/form-data", "multipart/form-data;",
		"multipart/form-data; boundary=",
		"multipart/form-data; boundary=\"\"",
		"multipart/form-data; boundary=\"XyZ",
		"multipart/form-data; boundary=a@b",
		"multipart/form-data; boundary=\"a\rb\"",
		"multipart/form-data; boundary=\"ab \"",
		"multipart/form-data; boundary=a; boundary=b",
		"multipart/mixed; boundary=XyZ",
		"application/x-www-form-urlencoded; boundary=XyZ",
		"multipart/form-data; boundary=12345678901234567890123456789"
		    "012345678901234567890123456789012345678901",	/* 71 */
	};
	struct http_multipart_cb cb = { 0 };
	enum http_perr e;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		e = HTTP_POK;
		if (http_multipart_new(*state, bad[i], NULL, &cb, &e) != NULL)
			fail_msg("accepted Content-Type #%zu", i);
		assert_int_equal(e, HTTP_PERR_CTYPE);
	}
	/* Quoted, other parameters, case, 70 characters. */
	assert_int_equal(mp(*state, "Multipart/Form-Data; charset=utf-8; "
	    "BOUNDARY=\"a b:c\"", "--a b:c\r\nContent-Disposition: "
	    "form-data; name=x\r\n\r\n1\r\n--a b:c--", NULL), HTTP_POK);
	assert_int_equal(mp(*state, "multipart/form-data; boundary=----"
	    "WebKitFormBoundary7MA4YWxkTrZu0gW",
	    "------WebKitFormBoundary7MA4YWxkTrZu0gW\r\n"
	    "Content-Disposition: form-data; name=x\r\n\r\n1\r\n"
	    "------WebKitFormBoundary7MA4YWxkTrZu0gW--\r\n", NULL),
	    HTTP_POK);
	assert_non_null(http_multipart_new(*state, "multipart/form-data; "
	    "boundary=1234567890123456789012345678901234567890123456789012"
	    "345678901234567890", NULL, &cb, &e));
}

static void
test_multipart_limits(void **state)
{
	struct http_limits lim = { 0 };
	struct buf b;
	size_t i;

	/* Parts. */
	lim.maxparts = 2;
	assert_int_equal(mp(*state, CT, PART("a") "1\r\n" PART("b") "2\r\n"
	    "--XyZ--", &lim), HTTP_POK);
	assert_int_equal(mp(*state, CT, PART("a") "1\r\n" PART("b") "2\r\n"
	    PART("c") "3\r\n--XyZ--", &lim), HTTP_PERR_MP_PARTS);
	lim.maxparts = 0;
	buf_init(&b);
	for (i = 0; i < 201; i++)
		buf_puts(&b, PART("f") "v\r\n");
	buf_puts(&b, "--XyZ--");
	assert_int_equal(mp(*state, CT, b.p, NULL), HTTP_PERR_MP_PARTS);

	/* Header block. */
	lim.maxheader = 64;
	assert_int_equal(mp(*state, CT, PART("a") "1\r\n--XyZ--", &lim),
	    HTTP_POK);
	assert_int_equal(mp(*state, CT, "--XyZ\r\nContent-Disposition: "
	    "form-data; name=\"a\"; filename=\"a-rather-long-name.txt\"\r\n"
	    "\r\n1\r\n--XyZ--", &lim), HTTP_PERR_MP_HEADER);
	/* Never-ending headers are cut at the limit, not at the body end. */
	lim.maxheader = 0;
	buf_reset(&b);
	buf_puts(&b, "--XyZ\r\n");
	for (i = 0; i < 9000; i++)
		buf_putc(&b, 'h');
	assert_int_equal(mp(*state, CT, b.p, &lim), HTTP_PERR_MP_HEADER);

	/* Field values, files, names, body. */
	lim.maxvalue = 4;
	assert_int_equal(mp(*state, CT, PART("a") "1234\r\n--XyZ--", &lim),
	    HTTP_POK);
	assert_int_equal(mp(*state, CT, PART("a") "12345\r\n--XyZ--", &lim),
	    HTTP_PERR_VALUELEN);
	/* maxvalue does not bound files; maxfile does. */
	assert_int_equal(mp(*state, CT, "--XyZ\r\nContent-Disposition: "
	    "form-data; name=f; filename=x\r\n\r\n123456\r\n--XyZ--", &lim),
	    HTTP_POK);
	lim.maxfile = 5;
	assert_int_equal(mp(*state, CT, "--XyZ\r\nContent-Disposition: "
	    "form-data; name=f; filename=x\r\n\r\n123456\r\n--XyZ--", &lim),
	    HTTP_PERR_FILELEN);
	lim.maxname = 3;
	assert_int_equal(mp(*state, CT, PART("abc") "1\r\n--XyZ--", &lim),
	    HTTP_POK);
	assert_int_equal(mp(*state, CT, PART("abcd") "1\r\n--XyZ--", &lim),
	    HTTP_PERR_NAMELEN);
	memset(&lim, 0, sizeof(lim));
	lim.maxbody = 30;
	assert_int_equal(mp(*state, CT, "--XyZ\r\nContent-Disposition: "
	    "form-data; name=f\r\n\r\n1\r\n--XyZ--", &lim),
	    HTTP_PERR_BODYLEN);
	lim.maxbody = 0;

	/* Field text is UTF-8 without NUL; files are bytes. */
	assert_int_equal(mp(*state, CT, PART("a") "\xc3\x28\r\n--XyZ--",
	    NULL), HTTP_PERR_UTF8);
	assert_int_equal(mp(*state, CT, PART("a") "ab\xe2\x82\r\n--XyZ--",
	    NULL), HTTP_PERR_UTF8);	/* truncated at the part end */
	assert_int_equal(mp(*state, CT, PART("a") "\xed\xa0\x80\r\n--XyZ--",
	    NULL), HTTP_PERR_UTF8);
	assert_int_equal(mp(*state, CT, PART("a") "x\r\n--XyZ--", NULL),
	    HTTP_POK);
	{
		static const char nul[] = PART("a") "x\0y\r\n--XyZ--";
		struct rec r = { 0 };

		assert_int_equal(run_mp(*state, CT, nul, sizeof(nul) - 1,
		    NULL, 0, 0, 1, &r, NULL, NULL), HTTP_PERR_NUL);
		buf_free(&r.b);
	}
	buf_free(&b);
}

static void
test_multipart_abort(void **state)
{
	struct rec r = { 0 };
	struct http_multipart_cb cb = { rec_start, rec_data, rec_end, &r, 0 };
	struct http_multipart *m;
	enum http_perr e;
	int at;

	/* Stop at each callback in turn, with a chosen error and not. */
	for (at = 1; at <= 8; at++) {
		r.failat = at;
		r.failwith = HTTP_PERR_FILELEN;
		r.ncalls = 0;
		assert_int_equal(run_mp(*state, CT, body1, sizeof(body1) - 1,
		    NULL, 0, 0, 0, &r, NULL, NULL), HTTP_PERR_FILELEN);
		buf_free(&r.b);
		r.ncalls = 0;
		r.failwith = 12345;
		assert_int_equal(run_mp(*state, CT, body1, sizeof(body1) - 1,
		    NULL, 1, 0, 0, &r, NULL, NULL), HTTP_PERR_ABORT);
		buf_free(&r.b);
	}
	/* Errors are sticky. */
	r.failat = 1;
	r.failwith = -1;
	r.ncalls = 0;
	buf_init(&r.b);
	m = http_multipart_new(*state, CT, NULL, &cb, &e);
	assert_non_null(m);
	assert_int_equal(http_multipart_feed(m, body1, sizeof(body1) - 1),
	    HTTP_PERR_ABORT);
	assert_int_equal(http_multipart_feed(m, "x", 1), HTTP_PERR_ABORT);
	assert_int_equal(http_multipart_finish(m), HTTP_PERR_ABORT);
	buf_free(&r.b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_pct_decode, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_utf8, setup, teardown),
		cmocka_unit_test_setup_teardown(test_urlencoded_good, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_urlencoded_bad, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_urlencoded_limits, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_content_length, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_mime_is, setup, teardown),
		cmocka_unit_test_setup_teardown(test_perr_str, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_cookies, setup, teardown),
		cmocka_unit_test_setup_teardown(test_multipart_oneshot, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_multipart_chunked, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_multipart_collect, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_multipart_framing, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_multipart_ctype, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_multipart_limits, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_multipart_abort, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
