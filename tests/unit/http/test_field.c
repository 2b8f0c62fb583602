/*
 * Tests for src/http/field.c: each field type's accepted and refused
 * input, length and range limits, and the exact messages users see.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "http/field.h"
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

/*
 * Validates one field f against a single param name=value (value NULL:
 * nothing sent).  Returns the error or NULL; the form is in *out.
 */
static const char *
check1(struct arena *a, const struct http_field *f, const char *value,
    struct http_form *out)
{
	struct http_param p = { f->name, value, value ? strlen(value) : 0 };
	int rc;

	rc = http_validate(a, f, 1, &p, value != NULL, out);
	assert_int_equal(out->n, 1);
	assert_int_equal(rc, out->err[0] ? -1 : 0);
	assert_int_equal(out->nerr, out->err[0] ? 1 : 0);
	assert_non_null(out->str[0]);
	assert_int_equal(out->len[0], strlen(out->str[0]));
	return out->err[0];
}

/* Expects value to be accepted; returns the normalized string. */
static const char *
ok(struct arena *a, const struct http_field *f, const char *value,
    struct http_form *out)
{
	const char *e = check1(a, f, value, out);

	if (e != NULL)
		fail_msg("\"%s\" refused: %s", value ? value : "(absent)", e);
	return out->str[0];
}

/* Expects value to be refused with exactly msg. */
static void
bad(struct arena *a, const struct http_field *f, const char *value,
    const char *msg)
{
	struct http_form out;
	const char *e = check1(a, f, value, &out);

	if (e == NULL)
		fail_msg("\"%s\" accepted", value ? value : "(absent)");
	if (msg != NULL && strcmp(e, msg) != 0)
		fail_msg("\"%s\": got \"%s\", want \"%s\"", value, e, msg);
}

static void
test_string(void **state)
{
	struct http_field f = { .name = "name", .type = HTTP_FT_STRING,
	    .minlen = 2, .maxlen = 5 };
	struct http_form o;

	assert_string_equal(ok(*state, &f, "  Ann \t", &o), "Ann");
	assert_true(o.present[0]);
	/* Characters, not bytes: 5 two-byte letters fit in maxlen 5. */
	assert_string_equal(ok(*state, &f, "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9", &o), "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9");
	bad(*state, &f, "abcdef", "Name must be at most 5 characters");
	bad(*state, &f, "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9",
	    "Name must be at most 5 characters");
	bad(*state, &f, "a", "Name must be at least 2 characters");
	bad(*state, &f, " a  ", "Name must be at least 2 characters");
	bad(*state, &f, "a\tb", "Name contains characters that are not "
	    "allowed");
	bad(*state, &f, "a\nb", NULL);
	bad(*state, &f, "a\x01" "b", NULL);
	bad(*state, &f, "a\x7f" "b", NULL);
	bad(*state, &f, "a\xc2\x85" "b", NULL);	/* U+0085, a C1 control */
	assert_string_equal(ok(*state, &f, "a\xc2\xa0" "b", &o),
	    "a\xc2\xa0" "b");			/* U+00A0 is fine */
	/* Refused values are kept for showing the form again. */
	bad(*state, &f, "abcdef", NULL);
	check1(*state, &f, "abcdef", &o);
	assert_string_equal(o.str[0], "abcdef");
	f.minlen = 1;
	assert_string_equal(ok(*state, &f, "", &o), "");	/* optional */
	assert_false(o.present[0]);
}

static void
test_required_and_absent(void **state)
{
	struct http_field f = { .name = "display_name", .type = HTTP_FT_STRING,
	    .required = 1 };
	struct http_form o;

	bad(*state, &f, NULL, "Display name is required");
	bad(*state, &f, "", "Display name is required");
	bad(*state, &f, "   ", "Display name is required");
	f.label = "Your name";
	bad(*state, &f, NULL, "Your name is required");
	f.required = 0;
	f.minlen = 3;
	/* Optional: absent or blank is no error, even with minlen. */
	assert_string_equal(ok(*state, &f, NULL, &o), "");
	assert_false(o.present[0]);
	assert_string_equal(ok(*state, &f, "  ", &o), "");
	assert_false(o.present[0]);
	/* Default maximum: 255 characters. */
	{
		char s[300];

		f.minlen = 0;
		memset(s, 'x', 255);
		s[255] = '\0';
		ok(*state, &f, s, &o);
		s[255] = 'x';
		s[256] = '\0';
		bad(*state, &f, s, "Your name must be at most 255 characters");
	}
	f.minlen = 1;
	f.maxlen = 1;
	bad(*state, &f, "ab", "Your name must be at most 1 character");
}

static void
test_text(void **state)
{
	struct http_field f = { .name = "body", .type = HTTP_FT_TEXT,
	    .maxlen = 10, .required = 1 };
	struct http_form o;

	assert_string_equal(ok(*state, &f, "a\r\nb\rc\n\td", &o),
	    "a\nb\nc\n\td");
	assert_int_equal(o.len[0], 8);
	/* Not trimmed: leading spaces can matter (code, poems). */
	assert_string_equal(ok(*state, &f, "  x", &o), "  x");
	bad(*state, &f, " \r\n \t", "Body is required");
	bad(*state, &f, "a\x01", "Body contains characters that are not "
	    "allowed");
	bad(*state, &f, "a\x1b[31m", NULL);
	/* Length after CRLF folding: 10 characters. */
	ok(*state, &f, "1\r\n2\r\n3\r\n4\r\n5\r\n", &o);
	bad(*state, &f, "12345678901", "Body must be at most 10 characters");
	f.maxlen = 0;	/* no default limit beyond the parser's */
	{
		char s[5001];

		memset(s, 'y', 5000);
		s[5000] = '\0';
		ok(*state, &f, s, &o);
	}
}

static void
test_email(void **state)
{
	static const char *const good[] = {
		"a@b.co", "first.last+tag@example.com", "x_y-z@sub.dom-ain.org",
		"o'brien@example.ie", "1234@example.com", "a@b.c0m",
		"user@xn--bcher-kva.example",
	};
	static const char *const refused[] = {
		"", "plain", "@example.com", "a@", "a@b", "a@@b.com",
		"a@b@c.com", ".a@b.com", "a.@b.com", "a..b@c.com",
		"a b@c.com", "a@b .com", "a@-b.com", "a@b-.com", "a@b..com",
		"a@.b.com", "a@b.com.", "a@1.2.3.4", "\"a\"@b.com",
		"a@b_c.com", "(a)@b.com", "a@[1.2.3.4]",
		"j\xc3\xb6rg@example.com", "a@b\xc3\xa9.com",
		"a@b.com\n", "a,b@c.com",
	};
	struct http_field f = { .name = "email", .type = HTTP_FT_EMAIL,
	    .required = 1 };
	struct http_form o;
	char buf[400];
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		if (!http_email_valid(good[i], strlen(good[i])))
			fail_msg("refused %s", good[i]);
		ok(*state, &f, good[i], &o);
	}
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		if (http_email_valid(refused[i], strlen(refused[i])))
			fail_msg("accepted %s", refused[i]);
	bad(*state, &f, "not-an-address", "Email is not a valid address");
	bad(*state, &f, "a@b", "Email is not a valid address");
	bad(*state, &f, "", "Email is required");
	/* Trimmed, domain lowercased, local part kept. */
	assert_string_equal(ok(*state, &f, "  Ann.Lee@Example.COM ", &o),
	    "Ann.Lee@example.com");
	/* Lengths: local part 64, label 63, total 254. */
	memset(buf, 'l', 64);
	strcpy(buf + 64, "@example.com");
	assert_true(http_email_valid(buf, strlen(buf)));
	memset(buf, 'l', 65);
	strcpy(buf + 65, "@example.com");
	assert_false(http_email_valid(buf, strlen(buf)));
	strcpy(buf, "a@");
	memset(buf + 2, 'd', 63);
	strcpy(buf + 65, ".com");
	assert_true(http_email_valid(buf, strlen(buf)));
	strcpy(buf, "a@");
	memset(buf + 2, 'd', 64);
	strcpy(buf + 66, ".com");
	assert_false(http_email_valid(buf, strlen(buf)));
	/* 254 bytes: "a@" + 4 labels of 61 + dots + "com" = 2+4*62+3 = 253 */
	strcpy(buf, "ab@");
	for (i = 0; i < 4; i++) {
		memset(buf + 3 + i * 62, 'd', 61);
		buf[3 + i * 62 + 61] = '.';
	}
	strcpy(buf + 3 + 4 * 62, "com");
	assert_int_equal(strlen(buf), 254);
	assert_true(http_email_valid(buf, strlen(buf)));
	buf[0] = 'x';
	memmove(buf + 1, buf, 255);	/* 255 bytes */
	assert_false(http_email_valid(buf, strlen(buf)));
}

static void
test_int(void **state)
{
	struct http_field f = { .name = "age", .type = HTTP_FT_INT,
	    .min = 13, .max = 120 };
	struct http_form o;

	ok(*state, &f, " 42 ", &o);
	assert_int_equal(o.i64[0], 42);
	assert_true(o.dbl[0] == 42.0);
	ok(*state, &f, "+13", &o);
	assert_int_equal(o.i64[0], 13);
	ok(*state, &f, "120", &o);
	ok(*state, &f, "0120", &o);
	bad(*state, &f, "12", "Age must be between 13 and 120");
	bad(*state, &f, "121", "Age must be between 13 and 120");
	bad(*state, &f, "-5", "Age must be between 13 and 120");
	bad(*state, &f, "99999999999999999999",
	    "Age must be between 13 and 120");
	bad(*state, &f, "4.5", "Age must be a whole number");
	bad(*state, &f, "1e3", "Age must be a whole number");
	bad(*state, &f, "abc", NULL);
	bad(*state, &f, "-", NULL);
	bad(*state, &f, "+", NULL);
	bad(*state, &f, "1 2", NULL);
	bad(*state, &f, "0x10", NULL);
	bad(*state, &f, "--1", NULL);
	/* One-sided ranges. */
	f.min = 1;
	f.max = LLONG_MAX;
	bad(*state, &f, "0", "Age must be at least 1");
	f.min = LLONG_MIN;
	f.max = 10;
	bad(*state, &f, "11", "Age must be at most 10");
	ok(*state, &f, "-9223372036854775808", &o);
	assert_true(o.i64[0] == LLONG_MIN);
	/* No range: the whole of int64. */
	f.min = f.max = 0;
	ok(*state, &f, "9223372036854775807", &o);
	assert_true(o.i64[0] == LLONG_MAX);
	ok(*state, &f, "-9223372036854775808", &o);
	assert_true(o.i64[0] == LLONG_MIN);
	ok(*state, &f, "-0", &o);
	assert_int_equal(o.i64[0], 0);
	bad(*state, &f, "9223372036854775808", "Age is too large");
	bad(*state, &f, "-9223372036854775809", "Age is too large");
	/* Absent and optional: present 0, value 0. */
	ok(*state, &f, NULL, &o);
	assert_false(o.present[0]);
	assert_int_equal(o.i64[0], 0);
}

static void
test_double(void **state)
{
	struct http_field f = { .name = "score", .type = HTTP_FT_DOUBLE,
	    .min = 0, .max = 100 };
	struct http_form o;

	ok(*state, &f, "3.25", &o);
	assert_true(o.dbl[0] == 3.25);
	ok(*state, &f, " .5 ", &o);
	assert_true(o.dbl[0] == 0.5);
	ok(*state, &f, "1e2", &o);
	assert_true(o.dbl[0] == 100.0);
	ok(*state, &f, "7", &o);
	assert_true(o.dbl[0] == 7.0);
	bad(*state, &f, "100.01", "Score must be between 0 and 100");
	bad(*state, &f, "-0.5", "Score must be between 0 and 100");
	bad(*state, &f, "abc", "Score must be a number");
	bad(*state, &f, "inf", "Score must be a number");
	bad(*state, &f, "nan", "Score must be a number");
	bad(*state, &f, "0x10", "Score must be a number");
	bad(*state, &f, "1,5", "Score must be a number");
	bad(*state, &f, ".", "Score must be a number");
	bad(*state, &f, "1e", "Score must be a number");
	bad(*state, &f, "1.2.3", "Score must be a number");
	f.min = f.max = 0;
	ok(*state, &f, "-1e-3", &o);
	assert_true(o.dbl[0] == -1e-3);
	bad(*state, &f, "1e999", "Score is too large");
}

static void
test_bool(void **state)
{
	struct http_field f = { .name = "remember", .type = HTTP_FT_BOOL };
	static const char *const yes[] = { "on", "1", "true", "YES", "On" };
	static const char *const no[] = { "0", "off", "false", "no", "" };
	struct http_form o;
	size_t i;

	ok(*state, &f, NULL, &o);
	assert_false(o.present[0]);
	assert_int_equal(o.i64[0], 0);
	for (i = 0; i < 5; i++) {
		ok(*state, &f, yes[i], &o);
		assert_int_equal(o.i64[0], 1);
		assert_true(o.present[0]);
		ok(*state, &f, no[i], &o);
		assert_int_equal(o.i64[0], 0);
	}
	bad(*state, &f, "maybe", "Remember must be yes or no");
	bad(*state, &f, "\x11", NULL);
	f.required = 1;
	f.label = "Accept the terms";
	bad(*state, &f, NULL, "Accept the terms must be checked");
	bad(*state, &f, "off", "Accept the terms must be checked");
	ok(*state, &f, "on", &o);
	assert_int_equal(o.i64[0], 1);
}

static void
test_enum(void **state)
{
	static const char *const roles[] = { "learner", "instructor", "admin",
	    NULL };
	static const char *const many[] = { "a", "b", "c", "d", "e", "f", "g",
	    "h", "i", "j", "k", NULL };
	struct http_field f = { .name = "role", .type = HTTP_FT_ENUM,
	    .choices = roles, .required = 1 };
	struct http_form o;

	ok(*state, &f, "instructor", &o);
	assert_int_equal(o.i64[0], 1);
	ok(*state, &f, " admin ", &o);
	assert_int_equal(o.i64[0], 2);
	bad(*state, &f, "Admin", "Role must be one of: learner, instructor, "
	    "admin");
	bad(*state, &f, "root", NULL);
	check1(*state, &f, "root", &o);
	assert_int_equal(o.i64[0], -1);
	bad(*state, &f, NULL, "Role is required");
	f.required = 0;
	ok(*state, &f, NULL, &o);
	assert_int_equal(o.i64[0], -1);
	f.choices = many;
	bad(*state, &f, "z", "Role is not one of the allowed choices");
	ok(*state, &f, "k", &o);
	assert_int_equal(o.i64[0], 10);
	f.choices = NULL;
	bad(*state, &f, "a", "Role is not one of the allowed choices");
}

static void
test_id(void **state)
{
	struct http_field f = { .name = "token", .type = HTTP_FT_ID,
	    .required = 1 };
	struct http_form o;
	char s[80];

	ok(*state, &f, "3f2504e0-4f89-11d3-9a0c-0305e82c3301", &o);
	ok(*state, &f, "abc_DEF-09", &o);
	bad(*state, &f, "a b", "Token is not a valid identifier");
	bad(*state, &f, "../etc/passwd", "Token is not a valid identifier");
	bad(*state, &f, "a;b", NULL);
	bad(*state, &f, "\xc3\xa9", NULL);
	memset(s, 'a', 64);
	s[64] = '\0';
	ok(*state, &f, s, &o);
	s[64] = 'a';
	s[65] = '\0';
	bad(*state, &f, s, "Token must be at most 64 characters");
	f.minlen = f.maxlen = 36;
	bad(*state, &f, "abc", "Token must be at least 36 characters");
}

static void
test_password(void **state)
{
	struct http_field f = { .name = "password", .type = HTTP_FT_PASSWORD,
	    .minlen = 8, .required = 1 };
	struct http_form o;

	/* Kept as typed: spaces are part of a passphrase. */
	assert_string_equal(ok(*state, &f, " pass word ", &o), " pass word ");
	bad(*state, &f, "short", "Password must be at least 8 characters");
	/* 7 characters in 14 bytes is still too short. */
	bad(*state, &f, "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9", "Password must be at least 8 characters");
	ok(*state, &f, "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9", &o);
	bad(*state, &f, "long enough\n", "Password contains characters that "
	    "are not allowed");
	bad(*state, &f, "", "Password is required");
	/* Never echoed back on error. */
	check1(*state, &f, "short", &o);
	assert_string_equal(o.str[0], "");
	{
		char s[1100];

		memset(s, 'p', 1024);
		s[1024] = '\0';
		ok(*state, &f, s, &o);
		s[1024] = 'p';
		s[1025] = '\0';
		bad(*state, &f, s, "Password must be at most 1024 characters");
	}
}

static void
test_form(void **state)
{
	enum { F_EMAIL, F_AGE, F_NOTE, F_ROLE, F__MAX };
	static const char *const roles[] = { "learner", "instructor", NULL };
	static const struct http_field fields[F__MAX] = {
		[F_EMAIL] = { .name = "email", .type = HTTP_FT_EMAIL,
		    .required = 1 },
		[F_AGE] = { .name = "age", .type = HTTP_FT_INT, .min = 1,
		    .max = 150 },
		[F_NOTE] = { .name = "note", .type = HTTP_FT_TEXT },
		[F_ROLE] = { .name = "role", .type = HTTP_FT_ENUM,
		    .choices = roles },
	};
	/* Extra params are ignored; for duplicates the first wins. */
	const struct http_param p[] = {
		{ "csrf", "tok", 3 },
		{ "age", "30", 2 },
		{ "email", "a@b.com", 7 },
		{ "age", "999", 3 },
		{ "role", "instructor", 10 },
		{ "email", "nonsense", 8 },
	};
	const struct http_param wrong[] = {
		{ "age", "0", 1 },
		{ "email", "x", 1 },
		{ "role", "learner", 7 },
		{ "note", "a\0b", 3 },		/* bypassing the parser */
	};
	const struct http_param badutf[] = {
		{ "email", "a@b.com", 7 },
		{ "note", "\xed\xa0\x80", 3 },
	};
	struct http_form o;

	assert_int_equal(http_validate(*state, fields, F__MAX, p, 6, &o), 0);
	assert_int_equal(o.nerr, 0);
	assert_null(http_form_error(&o));
	assert_string_equal(o.str[F_EMAIL], "a@b.com");
	assert_int_equal(o.i64[F_AGE], 30);
	assert_int_equal(o.i64[F_ROLE], 1);
	assert_false(o.present[F_NOTE]);
	assert_string_equal(o.str[F_NOTE], "");

	assert_int_equal(http_validate(*state, fields, F__MAX, wrong, 4, &o),
	    -1);
	assert_int_equal(o.nerr, 3);
	assert_string_equal(http_form_error(&o),
	    "Email is not a valid address");
	assert_string_equal(o.err[F_AGE], "Age must be between 1 and 150");
	assert_string_equal(o.err[F_NOTE],
	    "Note contains characters that are not allowed");
	assert_null(o.err[F_ROLE]);
	assert_int_equal(o.i64[F_ROLE], 0);

	assert_int_equal(http_validate(*state, fields, F__MAX, badutf, 2,
	    &o), -1);
	assert_string_equal(o.err[F_NOTE],
	    "Note contains characters that are not allowed");

	/* No params at all: only the required field complains. */
	assert_int_equal(http_validate(*state, fields, F__MAX, NULL, 0, &o),
	    -1);
	assert_int_equal(o.nerr, 1);
	assert_string_equal(o.err[F_EMAIL], "Email is required");
	/* No fields. */
	assert_int_equal(http_validate(*state, fields, 0, p, 6, &o), 0);
	assert_null(http_form_error(&o));
}

/* The parser and the validators together, as the worker runs them. */
static void
test_parse_then_validate(void **state)
{
	static const struct http_field fields[] = {
		{ .name = "name", .type = HTTP_FT_STRING, .required = 1 },
		{ .name = "bio", .type = HTTP_FT_TEXT, .maxlen = 20 },
	};
	static const char body[] = "name=+J%C3%BCrgen+&bio=line1%0D%0Aline2";
	struct http_param *v;
	struct http_form o;
	size_t n;

	assert_int_equal(http_parse_urlencoded(*state, body, strlen(body),
	    NULL, &v, &n), HTTP_POK);
	assert_int_equal(http_validate(*state, fields, 2, v, n, &o), 0);
	assert_string_equal(o.str[0], "J\xc3\xbcrgen");
	assert_string_equal(o.str[1], "line1\nline2");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_string, setup, teardown),
		cmocka_unit_test_setup_teardown(test_required_and_absent,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_text, setup, teardown),
		cmocka_unit_test_setup_teardown(test_email, setup, teardown),
		cmocka_unit_test_setup_teardown(test_int, setup, teardown),
		cmocka_unit_test_setup_teardown(test_double, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bool, setup, teardown),
		cmocka_unit_test_setup_teardown(test_enum, setup, teardown),
		cmocka_unit_test_setup_teardown(test_id, setup, teardown),
		cmocka_unit_test_setup_teardown(test_password, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_form, setup, teardown),
		cmocka_unit_test_setup_teardown(test_parse_then_validate,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
