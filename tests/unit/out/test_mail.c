/*
 * mail: the RFC 5322 / MIME message mail_format builds (CRLF only, no line
 * over 78 characters, 7-bit, quoted-printable bodies that decode back to
 * the input, RFC 2047 encoded words split on character boundaries, header
 * injection neutralised, List-Unsubscribe headers), and the preference
 * kinds of the outbox templates.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "base/buf.h"
#include "out/mail.h"

static const char *LONGTEXT =
    "Grüße aus Köln — a line long enough that quoted-printable has to break "
    "it at least once, maybe twice, because it is far over seventy-six.\n"
    ".\n"
    "= sign, trailing space \n"
    "tab\tinside\n";

static void
msg_default(struct mail_msg *m)
{
	memset(m, 0, sizeof(*m));
	m->from = "Adept Académie <noreply@adept.test>";
	m->to = "zoe@example.org";
	m->subject = "Bienvenue — à bientôt, 学习者, un sujet assez long pour deux mots";
	m->text = LONGTEXT;
	m->html = "<p>Grüße</p>";
	m->unsub_url = "https://adept.test/unsubscribe?token=abc";
	m->message_id = "<x1@adept.test>";
	m->date = 1795564800;	/* 2026-11-25 00:00:00 UTC, a Wednesday */
}

/* Decodes quoted-printable (CRLF lines) into out. */
static void
qp_decode(const char *s, size_t n, struct buf *out)
{
	size_t i;
	unsigned v;

	for (i = 0; i < n; i++) {
		if (s[i] == '=' && i + 2 < n + 1 && s[i + 1] == '\r' &&
		    s[i + 2] == '\n') {
			i += 2;
			continue;
		}
		if (s[i] == '=') {
			assert_true(sscanf(s + i + 1, "%2X", &v) == 1);
			buf_putc(out, (int)v);
			i += 2;
			continue;
		}
		if (s[i] == '\r' && s[i + 1] == '\n') {
			buf_putc(out, '\n');
			i++;
			continue;
		}
		buf_putc(out, s[i]);
	}
}

static void
test_lines_crlf_7bit_short(void **state)
{
	struct mail_msg m;
	struct buf b;
	size_t i, col = 0;

	msg_default(&m);
	buf_init(&b);
	mail_format(&b, &m);
	for (i = 0; i < b.len; i++) {
		unsigned char c = (unsigned char)b.p[i];

		assert_true(c < 0x80);
		if (c == '\n') {
			assert_true(i > 0 && b.p[i - 1] == '\r');
			col = 0;
			continue;
		}
		if (c == '\r')
			assert_true(b.p[i + 1] == '\n');
		else
			col++;
		assert_true(col <= 78);
	}
	buf_free(&b);
}

static void
test_headers(void **state)
{
	struct mail_msg m;
	struct buf b;

	msg_default(&m);
	buf_init(&b);
	mail_format(&b, &m);
	assert_non_null(strstr(b.p, "\r\nDate: Wed, 25 Nov 2026 00:00:00 +0000\r\n"));
	assert_non_null(strstr(b.p, "\r\nMessage-ID: <x1@adept.test>\r\n"));
	assert_non_null(strstr(b.p, "\r\nMIME-Version: 1.0\r\n"));
	assert_non_null(strstr(b.p, "\r\nList-Unsubscribe: "
	    "<https://adept.test/unsubscribe?token=abc>\r\n"));
	assert_non_null(strstr(b.p, "\r\nList-Unsubscribe-Post: "
	    "List-Unsubscribe=One-Click\r\n"));
	assert_non_null(strstr(b.p, "Content-Type: multipart/alternative;"));
	assert_true(strncmp(b.p, "From: =?UTF-8?B?", 16) == 0);
	assert_non_null(strstr(b.p, "?= <noreply@adept.test>\r\n"));
	assert_non_null(strstr(b.p, "\r\nSubject: =?UTF-8?B?"));
	/* No unsubscribe URL: no such headers. */
	buf_reset(&b);
	m.unsub_url = NULL;
	mail_format(&b, &m);
	assert_null(strstr(b.p, "List-Unsubscribe"));
	buf_free(&b);
}

static void
test_header_injection(void **state)
{
	struct mail_msg m;
	struct buf b;

	msg_default(&m);
	m.subject = "Hi\r\nBcc: victim@example.org";
	m.html = NULL;
	buf_init(&b);
	mail_format(&b, &m);
	assert_null(strstr(b.p, "\r\nBcc:"));
	assert_non_null(strstr(b.p, "\r\nSubject: Hi  Bcc: victim@example.org\r\n"));
	/* Text only: a single text/plain part. */
	assert_null(strstr(b.p, "multipart"));
	assert_non_null(strstr(b.p, "Content-Type: text/plain; charset=UTF-8"));
	buf_free(&b);
}

/* Every encoded word decodes to whole UTF-8 characters, and together to
 * the input. */
static void
test_encoded_words(void **state)
{
	const char *s = "Ünïcödé — 学习者学习者学习者学习者学习者 ok";
	struct buf b, all;
	unsigned char bin[128];
	size_t binlen;
	char *p, *q;

	buf_init(&b);
	buf_init(&all);
	mail_header_encode(&b, s);
	for (p = b.p; (p = strstr(p, "=?UTF-8?B?")) != NULL; p = q + 2) {
		p += 10;
		q = strstr(p, "?=");
		assert_non_null(q);
		assert_true(q - p <= 64);
		assert_int_equal(sodium_base642bin(bin, sizeof(bin), p,
		    (size_t)(q - p), NULL, &binlen, NULL,
		    sodium_base64_VARIANT_ORIGINAL), 0);
		assert_true((bin[0] & 0xc0) != 0x80);
		assert_true(binlen <= 39);
		buf_put(&all, bin, binlen);
	}
	assert_string_equal(all.p, s);
	buf_reset(&b);
	mail_header_encode(&b, "plain ASCII");
	assert_string_equal(b.p, "plain ASCII");
	/* Long ASCII is folded before spaces and unfolds to the input. */
	buf_reset(&b);
	mail_header_encode(&b, "Your certificate for A very long course title "
	    "that goes on and on well past the length of one header line");
	assert_non_null(strstr(b.p, "\r\n "));
	for (p = b.p; (q = strstr(p, "\r\n")) != NULL; p = q + 2)
		assert_true(q - p <= 76);
	{
		struct buf u;
		char *c;

		buf_init(&u);
		for (c = b.p; *c != '\0'; c++)
			if (*c != '\r' && *c != '\n')
				buf_putc(&u, *c);
		assert_string_equal(u.p, "Your certificate for A very long "
		    "course title that goes on and on well past the length of "
		    "one header line");
		buf_free(&u);
	}
	buf_free(&b);
	buf_free(&all);
}

static void
test_qp_round_trip(void **state)
{
	struct mail_msg m;
	struct buf b, dec;
	char *start, *end;

	msg_default(&m);
	m.html = NULL;
	buf_init(&b);
	buf_init(&dec);
	mail_format(&b, &m);
	start = strstr(b.p, "quoted-printable\r\n\r\n");
	assert_non_null(start);
	start += strlen("quoted-printable\r\n\r\n");
	end = b.p + b.len;
	/* No line of the body is a lone "." (SMTP's end of data). */
	assert_null(strstr(start, "\r\n.\r\n"));
	assert_non_null(strstr(start, "=2E"));
	qp_decode(start, (size_t)(end - start), &dec);
	/* The part ends with one CRLF of its own. */
	assert_true(dec.len == strlen(LONGTEXT) + 1);
	assert_memory_equal(dec.p, LONGTEXT, strlen(LONGTEXT));
	/* Trailing space before a line end is encoded. */
	assert_non_null(strstr(start, "space=20\r\n"));
	buf_free(&b);
	buf_free(&dec);
}

static void
test_pref_kinds(void **state)
{
	assert_null(mail_pref_kind("password_reset"));
	assert_string_equal(mail_pref_kind("welcome"), "all");
	assert_string_equal(mail_pref_kind("course_enrolled"), "enrolment");
	assert_string_equal(mail_pref_kind("course_completed"), "completion");
	assert_string_equal(mail_pref_kind("completion"), "completion");
	assert_string_equal(mail_pref_kind("weekly_report"), "weekly");
	assert_string_equal(mail_pref_kind("payout"), "payout");
	assert_string_equal(mail_pref_kind("something_new"), "notification");
	assert_true(mail_pref_kind_valid("weekly"));
	assert_false(mail_pref_kind_valid("password_reset"));
}

static void
test_conf_from_env(void **state)
{
	struct mail_conf c;

	setenv("ADEPT_SMTP_URL", "smtp://u:p%20w@mx.example:587?starttls=required", 1);
	setenv("ADEPT_MAIL_FROM", "Adept <a@b.example>", 1);
	setenv("ADEPT_BASE_URL", "https://adept.example/", 1);
	unsetenv("ADEPT_MAIL_RETRY_BASE");
	mail_conf_init(&c);
	assert_string_equal(c.smtp_url, "smtp://u:p%20w@mx.example:587");
	assert_int_equal(c.require_tls, 1);
	assert_string_equal(c.from_addr, "a@b.example");
	assert_string_equal(c.base_url, "https://adept.example");
	assert_true(c.retry_base == 60);
	setenv("ADEPT_SMTP_URL", "smtps://mx.example", 1);
	mail_conf_init(&c);
	assert_int_equal(c.require_tls, 0);
	assert_string_equal(c.smtp_url, "smtps://mx.example");
}

/* Nothing listens on port 1 of loopback: the send fails with curl's
 * message, and quickly. */
static void
test_smtp_unreachable(void **state)
{
	struct mail_conf c;
	char err[256] = "";

	setenv("ADEPT_SMTP_URL", "smtp://127.0.0.1:1", 1);
	mail_conf_init(&c);
	assert_int_equal(mail_smtp_send(&c, "x@example.org", "Subject: x\r\n"
	    "\r\nx\r\n", 16, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "connect"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines_crlf_7bit_short),
		cmocka_unit_test(test_headers),
		cmocka_unit_test(test_header_injection),
		cmocka_unit_test(test_encoded_words),
		cmocka_unit_test(test_qp_round_trip),
		cmocka_unit_test(test_pref_kinds),
		cmocka_unit_test(test_conf_from_env),
		cmocka_unit_test(test_smtp_unreachable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
