/*
 * fuzz_urlencoded: query-string / form-body parsing (src/http/parse.c) and
 * the field validators (src/http/field.c) on arbitrary bytes.  The first
 * byte picks small or default limits.  Besides memory errors it checks the
 * parser's promises on success: names non-empty, every name and value
 * NUL-terminated, valid UTF-8, within the limits, valuelen == strlen; and
 * that percent-decoding never grows the input.
 */
// SOURCES: src/http/parse.c src/http/field.c src/base/arena.c src/base/buf.c
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "http/field.h"
#include "http/parse.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define CHECK(cond) do { if (!(cond)) { fprintf(stderr, "%s:%d: %s\n",	\
    __FILE__, __LINE__, #cond); abort(); } } while (0)

static const char *const kinds[] = { "a", "b", "c", NULL };

static const struct http_field fields[] = {
	{ .name = "s", .type = HTTP_FT_STRING, .minlen = 1, .maxlen = 8 },
	{ .name = "t", .type = HTTP_FT_TEXT, .maxlen = 40 },
	{ .name = "e", .type = HTTP_FT_EMAIL, .required = 1 },
	{ .name = "i", .type = HTTP_FT_INT, .min = -5, .max = 500 },
	{ .name = "d", .type = HTTP_FT_DOUBLE },
	{ .name = "b", .type = HTTP_FT_BOOL },
	{ .name = "k", .type = HTTP_FT_ENUM, .choices = kinds },
	{ .name = "id", .type = HTTP_FT_ID },
	{ .name = "p", .type = HTTP_FT_PASSWORD, .minlen = 3 },
};
#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_limits lim = { 0 };
	struct http_param *v = NULL;
	struct http_form form;
	struct arena a;
	const char *s;
	size_t n = 0, i, dl;
	char *dst;

	if (size == 0)
		return 0;
	if (data[0] & 1) {
		lim.maxfields = 1 + data[0] % 7;
		lim.maxname = 1 + (data[0] >> 3) % 5;
		lim.maxvalue = 1 + (data[0] >> 5) * 3;
	}
	s = (const char *)data + 1;
	size--;
	arena_init(&a, 4096);
	if (http_parse_urlencoded(&a, s, size, &lim, &v, &n) == HTTP_POK) {
		CHECK(v != NULL);
		CHECK(n <= (lim.maxfields ? lim.maxfields : HTTP_MAXFIELDS));
		for (i = 0; i < n; i++) {
			CHECK(v[i].name[0] != '\0');
			CHECK(strlen(v[i].name) <= (lim.maxname ?
			    lim.maxname : HTTP_MAXNAME));
			CHECK(strlen(v[i].value) == v[i].valuelen);
			CHECK(v[i].valuelen <= (lim.maxvalue ?
			    lim.maxvalue : HTTP_MAXVALUE));
			CHECK(http_utf8_valid(v[i].name, strlen(v[i].name)));
			CHECK(http_utf8_valid(v[i].value, v[i].valuelen));
			CHECK(http_param_get(v, n, v[i].name) <= &v[i]);
		}
		if (http_validate(&a, fields, NFIELDS, v, n, &form) == 0)
			CHECK(form.nerr == 0 && http_form_error(&form) == NULL);
		else
			CHECK(form.nerr > 0 && http_form_error(&form) != NULL);
		for (i = 0; i < NFIELDS; i++) {
			CHECK(form.str[i] != NULL);
			CHECK(strlen(form.str[i]) == form.len[i]);
			CHECK(http_utf8_valid(form.str[i], form.len[i]));
			if (form.err[i] == NULL && form.present[i] &&
			    fields[i].type == HTTP_FT_INT)
				CHECK(form.i64[i] >= -5 && form.i64[i] <= 500);
			if (form.err[i] == NULL && form.present[i] &&
			    fields[i].type == HTTP_FT_EMAIL)
				CHECK(http_email_valid(form.str[i],
				    form.len[i]));
		}
	}
	dst = arena_alloc(&a, size + 1);
	if (http_pct_decode(dst, s, size, 1, &dl) == HTTP_POK)
		CHECK(dl <= size);
	arena_free(&a);
	return 0;
}
