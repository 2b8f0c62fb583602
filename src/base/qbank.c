/*
 * qbank: the question interchange struct's rules and the answer rules the
 * bank and the attempts share (see qbank.h).  Pure: arena memory only.
 */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/qbank.h"

static const char *const names[QB__MAX] = {
	"single", "multiple", "truefalse", "numeric", "short", "ordering"
};
static const char *const labels[QB__MAX] = {
	"Single choice", "Multiple choice", "True or false", "Numeric",
	"Short text", "Ordering"
};

const char *
qb_kind_name(enum qb_kind k)
{
	return (unsigned)k < QB__MAX ? names[k] : "?";
}

const char *
qb_kind_label(enum qb_kind k)
{
	return (unsigned)k < QB__MAX ? labels[k] : "?";
}

int
qb_kind_parse(const char *s)
{
	int i;

	for (i = 0; s != NULL && i < QB__MAX; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

void
qb_init(struct qb_question *q, enum qb_kind k)
{
	memset(q, 0, sizeof(*q));
	q->kind = k;
	q->title = q->stem = q->explanation = "";
}

/* Code points in a NUL-terminated string (continuation bytes not counted). */
static size_t
chars(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

const char *
qb_check(const struct qb_question *q)
{
	size_t i, ncorrect = 0;

	if ((unsigned)q->kind >= QB__MAX)
		return "The question type is unknown.";
	if (q->stem == NULL || q->stem[0] == '\0')
		return "The question has no text.";
	if (chars(q->stem) > QB_MAXTEXT)
		return "The question text is longer than 10000 characters.";
	if (q->title != NULL && chars(q->title) > QB_MAXTITLE)
		return "The title is longer than 200 characters.";
	if (q->explanation != NULL && chars(q->explanation) > QB_MAXTEXT)
		return "The explanation is longer than 10000 characters.";
	if (q->difficulty < 0 || q->difficulty > 10)
		return "The difficulty must be from 1 to 10.";
	if (q->nopts > QB_MAXOPTS)
		return "A question has at most 10 options.";
	if (q->nskills > QB_MAXSKILLS)
		return "A question has at most 10 skills.";
	for (i = 0; i < q->nskills; i++)
		if (q->skills[i] == NULL || q->skills[i][0] == '\0' ||
		    chars(q->skills[i]) > QB_MAXSKILLNAME)
			return "A skill name must have 1 to 100 characters.";
	for (i = 0; i < q->nopts; i++) {
		const struct qb_option *o = &q->opts[i];

		if (o->correct)
			ncorrect++;
		if (o->feedback != NULL && chars(o->feedback) > QB_MAXOPTTEXT)
			return "Feedback is longer than 1000 characters.";
		if (q->kind == QB_NUMERIC) {
			if (!isfinite(o->value) || !isfinite(o->tolerance))
				return "A numeric answer must be a finite "
				    "number.";
			if (o->tolerance < 0)
				return "A tolerance cannot be negative.";
			continue;
		}
		if (o->text == NULL || o->text[0] == '\0')
			return "An option has no text.";
		if (chars(o->text) > QB_MAXOPTTEXT)
			return "An option is longer than 1000 characters.";
	}
	switch (q->kind) {
	case QB_SINGLE:
		if (q->nopts < 2)
			return "A single-choice question needs at least two "
			    "options.";
		if (ncorrect != 1)
			return "A single-choice question needs exactly one "
			    "correct option.";
		break;
	case QB_MULTIPLE:
		if (q->nopts < 2)
			return "A multiple-choice question needs at least two "
			    "options.";
		if (ncorrect < 1)
			return "A multiple-choice question needs at least one "
			    "correct option.";
		break;
	case QB_TRUEFALSE:
		if (q->nopts != 2 || strcmp(q->opts[0].text, "True") != 0 ||
		    strcmp(q->opts[1].text, "False") != 0)
			return "A true-or-false question has exactly the "
			    "options True and False.";
		if (ncorrect != 1)
			return "A true-or-false question needs one correct "
			    "answer.";
		break;
	case QB_NUMERIC:
		if (q->nopts < 1 || ncorrect < 1)
			return "A numeric question needs at least one correct "
			    "answer.";
		break;
	case QB_SHORT:
		if (q->nopts < 1)
			return "A short-text question needs at least one "
			    "accepted answer.";
		if (ncorrect != q->nopts)
			return "Every answer of a short-text question is an "
			    "accepted answer.";
		break;
	case QB_ORDERING:
		if (q->nopts < 2)
			return "An ordering question needs at least two items.";
		break;
	default:
		break;
	}
	return NULL;
}

/* Decodes one UTF-8 sequence at s; *cp = code point, returns its length
 * (1 for an invalid byte, with *cp = -1). */
static size_t
utf8_next(const unsigned char *s, long *cp)
{
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xe0) == 0xc0 && (s[1] & 0xc0) == 0x80 && s[0] >= 0xc2) {
		*cp = ((long)(s[0] & 0x1f) << 6) | (s[1] & 0x3f);
		return 2;
	}
	if ((s[0] & 0xf0) == 0xe0 && (s[1] & 0xc0) == 0x80 &&
	    (s[2] & 0xc0) == 0x80) {
		*cp = ((long)(s[0] & 0x0f) << 12) | ((long)(s[1] & 0x3f) << 6) |
		    (s[2] & 0x3f);
		if (*cp >= 0x800)
			return 3;
	}
	if ((s[0] & 0xf8) == 0xf0 && (s[1] & 0xc0) == 0x80 &&
	    (s[2] & 0xc0) == 0x80 && (s[3] & 0xc0) == 0x80) {
		*cp = ((long)(s[0] & 0x07) << 18) | ((long)(s[1] & 0x3f) << 12) |
		    ((long)(s[2] & 0x3f) << 6) | (s[3] & 0x3f);
		if (*cp >= 0x10000 && *cp <= 0x10ffff)
			return 4;
	}
	*cp = -1;
	return 1;
}

static size_t
utf8_put(char *o, long cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | (cp >> 18));
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

static long
fold(long c)
{
	if (c >= 'A' && c <= 'Z')
		return c + 32;
	if ((c >= 0xc0 && c <= 0xde && c != 0xd7))
		return c + 32;
	if (c == 0x178)
		return 0xff;
	if (c >= 0x100 && c <= 0x17f && c != 0x130 && c != 0x131 &&
	    c != 0x138 && c != 0x149 && c != 0x17f) {
		/* Latin Extended-A: pairs, even = capital, except the odd-
		 * paired runs 0x139..0x148 and 0x179..0x17e. */
		if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17e))
			return (c & 1) ? c + 1 : c;
		return (c & 1) ? c : c + 1;
	}
	if (c >= 0x391 && c <= 0x3a9 && c != 0x3a2)
		return c + 32;
	if (c >= 0x410 && c <= 0x42f)
		return c + 32;
	if (c >= 0x400 && c <= 0x40f)
		return c + 80;
	return c;
}

static int
blank(long c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0xa0 ||
	    c == '\f' || c == '\v';
}

char *
qb_normalise(struct arena *a, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), n = 0, k;
	char *out = arena_alloc(a, len * 2 + 1);
	int space = 0;
	long c;

	while (*p != '\0') {
		k = utf8_next(p, &c);
		if (c == -1) {
			if (space && n > 0)
				out[n++] = ' ';
			space = 0;
			out[n++] = (char)*p;
			p++;
			continue;
		}
		p += k;
		if (blank(c)) {
			space = 1;
			continue;
		}
		if (space && n > 0)
			out[n++] = ' ';
		space = 0;
		n += utf8_put(out + n, fold(c));
	}
	out[n] = '\0';
	return out;
}

int
qb_utf8_check(const char *s, size_t len, size_t *bad)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k, need;
	long cp;

	while (i < len) {
		if (p[i] == 0)
			goto fail;
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		need = p[i] >= 0xf0 ? 4 : p[i] >= 0xe0 ? 3 : 2;
		if (len - i < need)
			goto fail;
		/* utf8_next reads at most need bytes when they are there. */
		{
			unsigned char tmp[5] = { 0 };

			memcpy(tmp, p + i, need);
			k = utf8_next(tmp, &cp);
		}
		if (cp == -1 || k != need || (cp >= 0xd800 && cp <= 0xdfff))
			goto fail;
		i += k;
	}
	return 1;
fail:
	*bad = i;
	return 0;
}

int
qb_short_match(struct arena *a, const struct qb_question *q,
    const char *answer)
{
	const char *x = qb_normalise(a, answer);
	size_t i;

	for (i = 0; i < q->nopts; i++)
		if (strcmp(x, qb_normalise(a, q->opts[i].text)) == 0)
			return (int)i;
	return -1;
}

int
qb_numeric_match(const struct qb_question *q, double x)
{
	size_t i;

	if (!isfinite(x))
		return -1;
	for (i = 0; i < q->nopts; i++) {
		const struct qb_option *o = &q->opts[i];
		double slack = 1e-9 * fmax(fabs(o->value), fabs(x)) + 1e-12;

		if (fabs(x - o->value) <= o->tolerance + slack)
			return (int)i;
	}
	return -1;
}

double
qb_difficulty_b(int d)
{
	if (d < 1)
		d = 1;
	if (d > 10)
		d = 10;
	return (d - 5.5) / 1.5;
}

static int
streq(const char *a, const char *b)
{
	return strcmp(a != NULL ? a : "", b != NULL ? b : "") == 0;
}

int
qb_same(const struct qb_question *a, const struct qb_question *b, int loose)
{
	size_t i;

	if (a->kind != b->kind || !streq(a->stem, b->stem) ||
	    a->nopts != b->nopts)
		return 0;
	if (!loose && (!streq(a->title, b->title) ||
	    !streq(a->explanation, b->explanation) ||
	    a->difficulty != b->difficulty || a->nskills != b->nskills))
		return 0;
	for (i = 0; !loose && i < a->nskills; i++)
		if (!streq(a->skills[i], b->skills[i]))
			return 0;
	for (i = 0; i < a->nopts; i++) {
		const struct qb_option *x = &a->opts[i], *y = &b->opts[i];

		if (!streq(x->text, y->text) || !x->correct != !y->correct)
			return 0;
		if (loose)
			continue;
		if (!streq(x->feedback, y->feedback))
			return 0;
		if (a->kind == QB_NUMERIC && (x->value != y->value ||
		    x->tolerance != y->tolerance))
			return 0;
	}
	return 1;
}

void
qb_fmt_double(char out[32], double v)
{
	snprintf(out, 32, "%.15g", v);
	if (strtod(out, NULL) != v)
		snprintf(out, 32, "%.17g", v);
}

void
qb_error_add(struct arena *a, struct qb_set *set, int line, const char *fmt,
    ...)
{
	struct qb_error *e;
	va_list ap;

	if (set->nerr == QB_MAXERRORS) {
		set->ndropped++;
		return;
	}
	if (set->nerr == set->caperr) {
		set->caperr = set->caperr ? set->caperr * 2 : 16;
		if (set->caperr > QB_MAXERRORS)
			set->caperr = QB_MAXERRORS;
		e = arena_calloc(a, set->caperr, sizeof(*e));
		if (set->nerr > 0)
			memcpy(e, set->err, set->nerr * sizeof(*e));
		set->err = e;
	}
	e = &set->err[set->nerr++];
	e->line = line;
	va_start(ap, fmt);
	e->msg = arena_vprintf(a, fmt, ap);
	va_end(ap);
}

int
qb_set_add(struct arena *a, struct qb_set *set, const struct qb_question *q)
{
	struct qb_question *nq;

	if (set->nq == QB_MAXQUESTIONS)
		return -1;
	if (set->nq == set->capq) {
		set->capq = set->capq ? set->capq * 2 : 16;
		nq = arena_calloc(a, set->capq, sizeof(*nq));
		if (set->nq > 0)
			memcpy(nq, set->q, set->nq * sizeof(*nq));
		set->q = nq;
	}
	set->q[set->nq++] = *q;
	return 0;
}
