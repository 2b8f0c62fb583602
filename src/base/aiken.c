/*
 * aiken: Moodle Aiken reader and writer (see aiken.h).  The reader is a
 * line state machine: text lines start (or continue) a question, option
 * lines add to it, the ANSWER line closes it.  On an error it reports and
 * resynchronises at the next line that can start a question, so one bad
 * question does not hide the errors of the others.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/aiken.h"
#include "base/arena.h"
#include "base/buf.h"

enum state { IDLE, STEM, OPTS, SKIP };

struct rd {
	struct arena		*a;
	struct qb_set		*set;
	enum state		 st;
	struct qb_question	 q;
	struct buf		 stem;
	int			 toomany;
	int			 bad;	/* this question had an error */
};

/* "A. text" or "A) text": the letter, text at *text; else 0. */
static int
option_line(const char *s, size_t len, const char **text, size_t *tlen)
{
	size_t i;

	if (len < 2 || s[0] < 'A' || s[0] > 'Z' || (s[1] != '.' &&
	    s[1] != ')'))
		return 0;
	if (len > 2 && s[2] != ' ' && s[2] != '\t')
		return 0;
	for (i = 2; i < len && (s[i] == ' ' || s[i] == '\t'); i++)
		;
	*text = s + i;
	*tlen = len - i;
	return s[0];
}

static int
answer_line(const char *s, size_t len)
{
	return len >= 7 && strncasecmp(s, "ANSWER:", 7) == 0;
}

static void
start(struct rd *r, const char *s, size_t len, int line)
{
	qb_init(&r->q, QB_SINGLE);
	r->q.line = line;
	buf_reset(&r->stem);
	buf_put(&r->stem, s, len);
	r->toomany = 0;
	r->bad = 0;
	r->st = STEM;
}

static void
finish(struct rd *r, const char *s, size_t len, int line)
{
	const char *why;
	size_t i = 7;
	int letter;

	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (r->q.nopts < 2) {
		qb_error_add(r->a, r->set, line, "the question at line %d "
		    "needs at least two options (A. ..., B. ...) before its "
		    "ANSWER line", r->q.line);
		return;
	}
	if (len - i != 1 || !isalpha((unsigned char)s[i])) {
		qb_error_add(r->a, r->set, line, "ANSWER must be followed by "
		    "one option letter, not \"%.*s\"", (int)(len - i), s + i);
		return;
	}
	letter = toupper((unsigned char)s[i]);
	if (letter - 'A' >= (int)r->q.nopts) {
		qb_error_add(r->a, r->set, line, "ANSWER: %c names no option "
		    "(the options are A to %c)", letter,
		    (int)('A' + r->q.nopts - 1));
		return;
	}
	if (r->bad)
		return;
	r->q.opts[letter - 'A'].correct = 1;
	r->q.stem = arena_strdup(r->a, r->stem.p);
	if ((why = qb_check(&r->q)) != NULL) {
		qb_error_add(r->a, r->set, r->q.line, "%s", why);
		return;
	}
	if (qb_set_add(r->a, r->set, &r->q) == -1)
		qb_error_add(r->a, r->set, r->q.line, "a file holds at most %d "
		    "questions", QB_MAXQUESTIONS);
}

static void
line(struct rd *r, const char *s, size_t len, int ln)
{
	const char *t;
	size_t tlen;
	int letter;

	if (len == 0)
		return;
	if (answer_line(s, len)) {
		if (r->st == STEM || r->st == OPTS)
			finish(r, s, len, ln);
		else if (r->st == IDLE)
			qb_error_add(r->a, r->set, ln, "an ANSWER line with no "
			    "question before it");
		r->st = IDLE;
		return;
	}
	if ((letter = option_line(s, len, &t, &tlen)) != 0) {
		if (r->st == IDLE) {
			qb_error_add(r->a, r->set, ln, "option %c. comes "
			    "before any question text", letter);
			r->st = SKIP;
			return;
		}
		if (r->st == SKIP)
			return;
		r->st = OPTS;
		if (r->q.nopts == QB_MAXOPTS) {
			if (!r->toomany)
				qb_error_add(r->a, r->set, ln, "a question has "
				    "at most %d options", QB_MAXOPTS);
			r->toomany = 1;
			r->bad = 1;
			return;
		}
		if (letter != 'A' + (int)r->q.nopts) {
			qb_error_add(r->a, r->set, ln, "option %c. is out of "
			    "order: expected %c.", letter,
			    (int)('A' + r->q.nopts));
			r->bad = 1;
		}
		if (tlen == 0) {
			qb_error_add(r->a, r->set, ln, "option %c. has no "
			    "text", letter);
			r->bad = 1;
		}
		r->q.opts[r->q.nopts].text = arena_strndup(r->a, t, tlen);
		r->q.opts[r->q.nopts].feedback = "";
		r->q.nopts++;
		return;
	}
	switch (r->st) {
	case STEM:
		buf_putc(&r->stem, '\n');
		buf_put(&r->stem, s, len);
		return;
	case OPTS:
		qb_error_add(r->a, r->set, r->q.line, "the question has no "
		    "ANSWER line (line %d reads as the next question)", ln);
		break;
	default:
		break;
	}
	start(r, s, len, ln);
}

int
aiken_parse(struct arena *a, const char *text, size_t len, struct qb_set *out)
{
	struct rd r;
	size_t i = 0, e, s0, e0, bad;
	int ln = 0;

	memset(out, 0, sizeof(*out));
	memset(&r, 0, sizeof(r));
	r.a = a;
	r.set = out;
	r.st = IDLE;
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	if (!qb_utf8_check(text + i, len - i, &bad)) {
		for (e = 0, ln = 1; e < i + bad; e++)
			if (text[e] == '\n' || (text[e] == '\r' &&
			    (e + 1 >= len || text[e + 1] != '\n')))
				ln++;
		qb_error_add(a, out, ln, "the file is not UTF-8 text (or "
		    "holds a NUL byte)");
		return -1;
	}
	buf_init(&r.stem);
	while (i < len) {
		ln++;
		for (e = i; e < len && text[e] != '\n' && text[e] != '\r'; e++)
			;
		s0 = i;
		e0 = e;
		/* Blanks and stray byte-order marks (U+FEFF is invisible;
		 * a writer could not put it back at the start of a line). */
		for (;;) {
			if (s0 < e0 && (text[s0] == ' ' || text[s0] == '\t'))
				s0++;
			else if (e0 - s0 >= 3 && memcmp(text + s0,
			    "\xef\xbb\xbf", 3) == 0)
				s0 += 3;
			else
				break;
		}
		while (e0 > s0 && (text[e0 - 1] == ' ' || text[e0 - 1] == '\t'))
			e0--;
		line(&r, text + s0, e0 - s0, ln);
		if (e < len && text[e] == '\r' && e + 1 < len &&
		    text[e + 1] == '\n')
			e++;
		i = e + 1;
	}
	if (r.st == STEM || r.st == OPTS)
		qb_error_add(a, out, r.q.line, "the question has no ANSWER "
		    "line (the file ends first)");
	buf_free(&r.stem);
	/* Missing-ANSWER errors name the question's line, which may come
	 * before errors already listed: sort by line (stable). */
	for (i = 1; i < out->nerr; i++) {
		struct qb_error x = out->err[i];

		for (e = i; e > 0 && out->err[e - 1].line > x.line; e--)
			out->err[e] = out->err[e - 1];
		out->err[e] = x;
	}
	return out->nerr > 0 || out->ndropped > 0 ? -1 : 0;
}

/* 1 if a text line of s would read back as something else. */
static int
bad_stem(const char *s)
{
	const char *nl, *t;
	size_t len, tlen;

	for (;;) {
		nl = strchr(s, '\n');
		len = nl != NULL ? (size_t)(nl - s) : strlen(s);
		if (len == 0 || s[0] == ' ' || s[0] == '\t' ||
		    (len >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0) ||
		    s[len - 1] == ' ' || s[len - 1] == '\t' ||
		    s[len - 1] == '\r' || answer_line(s, len) ||
		    option_line(s, len, &t, &tlen))
			return 1;
		if (nl == NULL)
			return 0;
		s = nl + 1;
	}
}

size_t
aiken_write(struct buf *o, const struct qb_question *q, size_t n,
    size_t *skipped)
{
	size_t i, k, ns = 0, ncorrect;
	int ok, answer;

	for (i = 0; i < n; i++) {
		ok = q[i].kind == QB_SINGLE && !bad_stem(q[i].stem) &&
		    q[i].nopts >= 2;
		ncorrect = 0;
		answer = 0;
		for (k = 0; ok && k < q[i].nopts; k++) {
			const char *t = q[i].opts[k].text;
			size_t tl = strlen(t);

			if (strpbrk(t, "\r\n") != NULL || tl == 0 ||
			    t[0] == ' ' || t[0] == '\t' || t[tl - 1] == ' ' ||
			    t[tl - 1] == '\t')
				ok = 0;
			if (q[i].opts[k].correct) {
				ncorrect++;
				answer = 'A' + (int)k;
			}
		}
		if (!ok || ncorrect != 1) {
			if (skipped != NULL)
				skipped[ns] = i;
			ns++;
			continue;
		}
		buf_puts(o, q[i].stem);
		buf_putc(o, '\n');
		for (k = 0; k < q[i].nopts; k++)
			buf_printf(o, "%c. %s\n", (int)('A' + k),
			    q[i].opts[k].text);
		buf_printf(o, "ANSWER: %c\n\n", answer);
	}
	return ns;
}
