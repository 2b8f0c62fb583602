/*
 * gift: Moodle GIFT reader and writer (see gift.h for what is accepted).
 *
 * The reader works in two passes per file: lines are grouped into blocks
 * (one question each; blank lines separate, comment and $CATEGORY lines
 * drop out, adept metadata comments attach to the block), each block
 * remembering where its lines started so any byte offset maps back to a
 * file line; then each block is parsed on its own, so an error in one
 * question never hides the errors in the next.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/gift.h"

struct meta {
	int		 difficulty;
	const char	*skills[QB_MAXSKILLS];
	size_t		 nskills;
};

struct block {
	struct buf	 text;		/* lines joined with \n */
	size_t		*starts;	/* offset of each line in text */
	int		*lines;		/* its file line */
	size_t		 n, cap;
	struct meta	 meta;
};

struct parser {
	struct arena	*a;
	struct qb_set	*set;
	const char	*b;		/* the block's text */
	size_t		 len;
	const struct block *blk;
	int		 nerr0;		/* errors before this question */
};

/* ---- helpers ------------------------------------------------------- */

static int
line_at(const struct parser *p, size_t off)
{
	size_t lo = 0, hi = p->blk->n;

	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;

		if (p->blk->starts[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	return p->blk->lines[lo];
}

static int
isblank_c(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	    c == '\f' || c == '\v';
}

static int
special(int c)
{
	return c == '~' || c == '=' || c == '#' || c == '{' || c == '}' ||
	    c == ':' || c == '\\';
}

/* The offset of the first unescaped occurrence of needle in s[from..to),
 * or to when none. */
static size_t
find(const char *s, size_t from, size_t to, const char *needle)
{
	size_t i, k = strlen(needle);

	for (i = from; i < to; i++) {
		if (s[i] == '\\') {
			i++;
			continue;
		}
		if (i + k <= to && memcmp(s + i, needle, k) == 0)
			return i;
	}
	return to;
}

/* s[from..to) with escapes resolved and surrounding blanks dropped. */
static char *
unescape(struct arena *a, const char *s, size_t from, size_t to)
{
	char *out = arena_alloc(a, to - from + 1);
	size_t i, n = 0, st = 0;

	for (i = from; i < to; i++) {
		if (s[i] == '\\' && i + 1 < to) {
			char c = s[i + 1];

			if (special((unsigned char)c))
				out[n++] = c;
			else if (c == 'n')
				out[n++] = '\n';
			else {
				out[n++] = '\\';
				out[n++] = c;
			}
			i++;
			continue;
		}
		out[n++] = s[i];
	}
	while (n > 0 && isblank_c((unsigned char)out[n - 1]))
		n--;
	while (st < n && isblank_c((unsigned char)out[st]))
		st++;
	out[n] = '\0';
	return out + st;
}

static size_t
skip_blanks(const char *s, size_t i, size_t to)
{
	while (i < to && isblank_c((unsigned char)s[i]))
		i++;
	return i;
}

/* A plain decimal number (sign, digits, point, exponent; no hex, inf or
 * nan).  0 with *v set, or -1. */
static int
number(const char *s, double *v)
{
	const char *q = s;
	char *e;
	int digits = 0;

	if (*q == '+' || *q == '-')
		q++;
	while (*q >= '0' && *q <= '9') {
		q++;
		digits++;
	}
	if (*q == '.') {
		q++;
		while (*q >= '0' && *q <= '9') {
			q++;
			digits++;
		}
	}
	if (digits == 0)
		return -1;
	if (*q == 'e' || *q == 'E') {
		q++;
		if (*q == '+' || *q == '-')
			q++;
		if (*q < '0' || *q > '9')
			return -1;
		while (*q >= '0' && *q <= '9')
			q++;
	}
	if (*q != '\0')
		return -1;
	*v = strtod(s, &e);
	if (e != q || !isfinite(*v))
		return -1;
	return 0;
}

static void __attribute__((format(printf, 3, 4)))
error(struct parser *p, size_t off, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = arena_vprintf(p->a, fmt, ap);
	va_end(ap);
	qb_error_add(p->a, p->set, line_at(p, off), "%s", msg);
}

/* ---- answers ------------------------------------------------------- */

struct item {
	char	 mark;		/* '=' or '~' */
	int	 hasweight;
	double	 weight;
	size_t	 off;		/* where the item starts */
	char	*text, *feedback;
};

/*
 * Splits s[from..to) into items starting at unescaped '=' or '~'.  Returns
 * the count (at most QB_MAXOPTS + 1: the caller reports too many), or -1
 * after an error.
 */
static int
items(struct parser *p, size_t from, size_t to, struct item *it)
{
	const char *s = p->b;
	size_t i = skip_blanks(s, from, to), start, end, h;
	int n = 0;

	if (i < to && s[i] != '=' && s[i] != '~') {
		error(p, i, "answers must start with = (right) or ~ (wrong)%s",
		    "");
		return -1;
	}
	while (i < to) {
		start = i + 1;
		end = start;
		while (end < to && s[end] != '=' && s[end] != '~') {
			if (s[end] == '\\')
				end++;
			end++;
		}
		if (end > to)
			end = to;
		if (n == QB_MAXOPTS + 1)
			return n;
		it[n].mark = s[i];
		it[n].off = i;
		it[n].hasweight = 0;
		it[n].weight = 0;
		h = skip_blanks(s, start, end);
		if (h < end && s[h] == '%') {
			size_t k = h + 1;
			char num[32];

			while (k < end && k - h < sizeof(num) &&
			    s[k] != '%' && s[k] != '#')
				k++;
			if (k < end && s[k] == '%' && k - h - 1 < sizeof(num)) {
				memcpy(num, s + h + 1, k - h - 1);
				num[k - h - 1] = '\0';
				if (number(num, &it[n].weight) == 0) {
					if (it[n].weight < -100 ||
					    it[n].weight > 100) {
						error(p, h, "the weight %%%s%% "
						    "is outside -100..100", num);
						return -1;
					}
					it[n].hasweight = 1;
					start = k + 1;
				}
			}
		}
		h = find(s, start, end, "#");
		it[n].text = unescape(p->a, s, start, h);
		it[n].feedback = h < end ? unescape(p->a, s, h + 1, end) :
		    arena_strdup(p->a, "");
		if (find(s, start, h, "->") < h) {
			error(p, it[n].off, "matching questions (->) are not "
			    "supported");
			return -1;
		}
		n++;
		i = end;
	}
	return n;
}

static int
correct_weight(const struct item *it)
{
	if (it->mark == '=')
		return !it->hasweight || it->weight > 0;
	return it->hasweight && it->weight > 0;
}

static int
choices(struct parser *p, size_t from, size_t to, struct qb_question *q)
{
	struct item it[QB_MAXOPTS + 1];
	int n, i, neq = 0, ntilde = 0, nposw = 0, ncorrect = 0;

	if ((n = items(p, from, to, it)) < 0)
		return -1;
	if (n > QB_MAXOPTS) {
		error(p, it[QB_MAXOPTS].off, "a question has at most 10 "
		    "answers");
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (it[i].text[0] == '\0') {
			error(p, it[i].off, "an answer has no text");
			return -1;
		}
		if (it[i].mark == '=')
			neq++;
		else {
			ntilde++;
			if (it[i].hasweight && it[i].weight > 0)
				nposw++;
		}
		q->opts[i].text = it[i].text;
		q->opts[i].feedback = it[i].feedback;
		q->opts[i].correct = correct_weight(&it[i]);
		ncorrect += q->opts[i].correct;
	}
	q->nopts = (size_t)n;
	if (ntilde == 0) {
		q->kind = QB_SHORT;
		for (i = 0; i < n; i++)
			if (!q->opts[i].correct) {
				error(p, it[i].off, "a short answer with "
				    "weight 0 or less is not supported: every "
				    "= answer is accepted");
				return -1;
			}
		return 0;
	}
	if (ncorrect == 0) {
		error(p, from, "no answer is marked right (= or a positive "
		    "%%weight%%)");
		return -1;
	}
	q->kind = QB_MULTIPLE;
	if (neq == 1 && nposw == 0)
		for (i = 0; i < n; i++)
			if (it[i].mark == '=' && (!it[i].hasweight ||
			    it[i].weight == 100))
				q->kind = QB_SINGLE;
	return 0;
}

/* "v", "v:t" or "a..b" into *o; -1 after an error at off. */
static int
numspec(struct parser *p, size_t off, const char *s, struct qb_option *o)
{
	const char *dots = strstr(s, ".."), *colon = strchr(s, ':');
	char *x;
	double lo, hi;

	if (dots != NULL) {
		x = arena_strndup(p->a, s, (size_t)(dots - s));
		if (number(x, &lo) == -1 || number(dots + 2, &hi) == -1) {
			error(p, off, "\"%s\" is not a range min..max of two "
			    "numbers", s);
			return -1;
		}
		if (lo > hi) {
			error(p, off, "the range \"%s\" has its minimum above "
			    "its maximum", s);
			return -1;
		}
		o->value = lo + (hi - lo) / 2;
		o->tolerance = (hi - lo) / 2;
		if (!isfinite(o->value) || !isfinite(o->tolerance)) {
			error(p, off, "the range \"%s\" is too wide", s);
			return -1;
		}
		return 0;
	}
	if (colon != NULL) {
		x = arena_strndup(p->a, s, (size_t)(colon - s));
		if (number(x, &o->value) == -1 ||
		    number(colon + 1, &o->tolerance) == -1) {
			error(p, off, "\"%s\" is not a number:tolerance", s);
			return -1;
		}
		if (o->tolerance < 0) {
			error(p, off, "the tolerance in \"%s\" is negative", s);
			return -1;
		}
		return 0;
	}
	if (number(s, &o->value) == -1) {
		error(p, off, "\"%s\" is not a number", s);
		return -1;
	}
	o->tolerance = 0;
	return 0;
}

static int
numeric(struct parser *p, size_t from, size_t to, struct qb_question *q)
{
	struct item it[QB_MAXOPTS + 1];
	size_t i = skip_blanks(p->b, from, to), h;
	int n, k, ncorrect = 0, bad = 0;

	q->kind = QB_NUMERIC;
	if (i < to && (p->b[i] == '=' || p->b[i] == '~')) {
		if ((n = items(p, i, to, it)) < 0)
			return -1;
		if (n > QB_MAXOPTS) {
			error(p, it[QB_MAXOPTS].off, "a question has at most 10 "
			    "answers");
			return -1;
		}
		for (k = 0; k < n; k++) {
			struct qb_option *o = &q->opts[k];

			o->text = "";
			o->feedback = it[k].feedback;
			o->correct = correct_weight(&it[k]);
			ncorrect += o->correct;
			if (numspec(p, it[k].off, it[k].text, o) == -1)
				bad = 1;
		}
		q->nopts = (size_t)n;
		if (bad)
			return -1;
		if (ncorrect == 0) {
			error(p, from, "no numeric answer is marked right%s",
			    "");
			return -1;
		}
		return 0;
	}
	h = find(p->b, i, to, "#");
	q->opts[0].text = "";
	q->opts[0].correct = 1;
	q->opts[0].feedback = h < to ? unescape(p->a, p->b, h + 1, to) :
	    arena_strdup(p->a, "");
	q->nopts = 1;
	if (i == h) {
		error(p, from, "a numeric answer {#...} needs a number");
		return -1;
	}
	return numspec(p, i, unescape(p->a, p->b, i, h), &q->opts[0]);
}

/* T, TRUE, F or FALSE (any case) and up to two feedbacks. */
static int
truefalse(struct parser *p, size_t from, size_t to, struct qb_question *q)
{
	size_t h = find(p->b, from, to, "#"), h2;
	const char *word = unescape(p->a, p->b, from, h), *fb[2] = { "", "" };
	int val, right;

	if (strcasecmp(word, "T") == 0 || strcasecmp(word, "TRUE") == 0)
		val = 1;
	else if (strcasecmp(word, "F") == 0 || strcasecmp(word, "FALSE") == 0)
		val = 0;
	else
		return 1;	/* not true/false */
	if (h < to) {
		h2 = find(p->b, h + 1, to, "#");
		fb[0] = unescape(p->a, p->b, h + 1, h2);
		if (h2 < to) {
			if (find(p->b, h2 + 1, to, "#") < to) {
				error(p, h2, "a true/false answer takes at most "
				    "two feedbacks (#wrong#right)");
				return -1;
			}
			fb[1] = unescape(p->a, p->b, h2 + 1, to);
		}
	}
	q->kind = QB_TRUEFALSE;
	q->nopts = 2;
	q->opts[0].text = "True";
	q->opts[1].text = "False";
	right = val ? 0 : 1;
	q->opts[right].correct = 1;
	q->opts[right].feedback = fb[1];
	q->opts[1 - right].correct = 0;
	q->opts[1 - right].feedback = fb[0];
	return 0;
}

static int
answers(struct parser *p, size_t from, size_t to, struct qb_question *q)
{
	size_t gf = find(p->b, from, to, "####"), i;
	int r;

	if (gf < to) {
		q->explanation = unescape(p->a, p->b, gf + 4, to);
		to = gf;
	}
	i = skip_blanks(p->b, from, to);
	if (i == to) {
		error(p, from, "essay questions ({}) are not supported");
		return -1;
	}
	if (p->b[i] == '#')
		return numeric(p, i + 1, to, q);
	if (p->b[i] != '=' && p->b[i] != '~') {
		if ((r = truefalse(p, i, to, q)) <= 0)
			return r;
	}
	return choices(p, i, to, q);
}

static const char *const formats[] = {
	"[markdown]", "[html]", "[moodle]", "[plain]", NULL
};

/* Parses the block in p into a question; errors go to the set. */
static void
question(struct parser *p)
{
	const char *s = p->b;
	size_t i = skip_blanks(s, 0, p->len), t, open, close, k;
	struct qb_question q;
	const char *before, *after, *why;

	qb_init(&q, QB_SINGLE);
	q.line = line_at(p, i);
	q.difficulty = p->blk->meta.difficulty;
	q.nskills = p->blk->meta.nskills;
	memcpy(q.skills, p->blk->meta.skills, sizeof(q.skills));
	if (p->len - i >= 2 && s[i] == ':' && s[i + 1] == ':') {
		t = find(s, i + 2, p->len, "::");
		if (t == p->len) {
			error(p, i, "the title opened with :: is not closed%s",
			    "");
			return;
		}
		q.title = unescape(p->a, s, i + 2, t);
		if (strchr(q.title, '\n') != NULL) {
			error(p, i, "a title must be on one line");
			return;
		}
		i = skip_blanks(s, t + 2, p->len);
	}
	for (k = 0; formats[k] != NULL; k++)
		if (p->len - i >= strlen(formats[k]) &&
		    strncasecmp(s + i, formats[k], strlen(formats[k])) == 0) {
			i += strlen(formats[k]);
			break;
		}
	open = find(s, i, p->len, "{");
	if (open == p->len) {
		if (find(s, i, p->len, "}") < p->len)
			error(p, find(s, i, p->len, "}"), "a } with no { "
			    "before it (write \\} for a literal brace)");
		else
			error(p, i, "no answer block {...}: descriptions and "
			    "text without answers are not questions");
		return;
	}
	close = find(s, open + 1, p->len, "}");
	if (close == p->len) {
		error(p, open, "the answer block opened here is not closed "
		    "with } before the next blank line");
		return;
	}
	if (find(s, open + 1, close, "{") < close) {
		error(p, find(s, open + 1, close, "{"), "a { inside an answer "
		    "block (write \\{ for a literal brace)");
		return;
	}
	if (find(s, i, open, "}") < open) {
		error(p, find(s, i, open, "}"), "a } with no { before it "
		    "(write \\} for a literal brace)");
		return;
	}
	if (find(s, close + 1, p->len, "{") < p->len ||
	    find(s, close + 1, p->len, "}") < p->len) {
		error(p, close + 1, "one answer block per question: a blank "
		    "line must separate questions");
		return;
	}
	before = unescape(p->a, s, i, open);
	after = unescape(p->a, s, close + 1, p->len);
	if (after[0] != '\0')
		q.stem = before[0] != '\0' ?
		    arena_printf(p->a, "%s _____ %s", before, after) :
		    arena_printf(p->a, "_____ %s", after);
	else
		q.stem = before;
	if (q.stem[0] == '\0') {
		error(p, i, "the question has no text");
		return;
	}
	if (answers(p, open + 1, close, &q) == -1)
		return;
	if ((why = qb_check(&q)) != NULL) {
		qb_error_add(p->a, p->set, q.line, "%s", why);
		return;
	}
	if (qb_set_add(p->a, p->set, &q) == -1)
		qb_error_add(p->a, p->set, q.line, "a file holds at most %d "
		    "questions", QB_MAXQUESTIONS);
}

/* ---- lines into blocks --------------------------------------------- */

static void
block_flush(struct parser *p, struct block *blk)
{
	if (blk->n > 0) {
		p->b = blk->text.p;
		p->len = blk->text.len;
		p->blk = blk;
		question(p);
	}
	buf_reset(&blk->text);
	blk->n = 0;
	memset(&blk->meta, 0, sizeof(blk->meta));
}

static void
block_line(struct arena *a, struct block *blk, const char *s, size_t len,
    int line)
{
	if (blk->n == blk->cap) {
		size_t ncap = blk->cap ? blk->cap * 2 : 32;
		size_t *ns = arena_alloc(a, ncap * sizeof(*ns));
		int *nl = arena_alloc(a, ncap * sizeof(*nl));

		if (blk->n > 0) {
			memcpy(ns, blk->starts, blk->n * sizeof(*ns));
			memcpy(nl, blk->lines, blk->n * sizeof(*nl));
		}
		blk->starts = ns;
		blk->lines = nl;
		blk->cap = ncap;
	}
	if (blk->n > 0)
		buf_putc(&blk->text, '\n');
	blk->starts[blk->n] = blk->text.len;
	blk->lines[blk->n++] = line;
	buf_put(&blk->text, s, len);
}

/* "// adept-difficulty: 4", "// adept-skill: Name". */
static void
meta_line(struct arena *a, struct qb_set *set, struct block *blk,
    const char *s, size_t len, int line)
{
	static const char dkey[] = "adept-difficulty:", skey[] = "adept-skill:";
	char *v;
	double d;

	s += 2;
	len -= 2;
	while (len > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	if (len >= sizeof(dkey) - 1 && memcmp(s, dkey, sizeof(dkey) - 1) == 0) {
		v = arena_strndup(a, s + sizeof(dkey) - 1,
		    len - (sizeof(dkey) - 1));
		while (*v == ' ' || *v == '\t')
			v++;
		if (number(v, &d) == -1 || d != floor(d) || d < 1 || d > 10)
			qb_error_add(a, set, line, "adept-difficulty must be a "
			    "whole number from 1 to 10, not \"%s\"", v);
		else
			blk->meta.difficulty = (int)d;
	} else if (len >= sizeof(skey) - 1 &&
	    memcmp(s, skey, sizeof(skey) - 1) == 0) {
		v = arena_strndup(a, s + sizeof(skey) - 1,
		    len - (sizeof(skey) - 1));
		while (*v == ' ' || *v == '\t')
			v++;
		if (*v == '\0')
			qb_error_add(a, set, line, "adept-skill needs a skill "
			    "name");
		else if (blk->meta.nskills == QB_MAXSKILLS)
			qb_error_add(a, set, line, "a question has at most %d "
			    "skills", QB_MAXSKILLS);
		else
			blk->meta.skills[blk->meta.nskills++] = v;
	}
}

int
gift_parse(struct arena *a, const char *text, size_t len, struct qb_set *out)
{
	struct parser p;
	struct block blk;
	size_t i = 0, e, s0, e0, bad;
	int line = 0;

	memset(out, 0, sizeof(*out));
	memset(&p, 0, sizeof(p));
	memset(&blk, 0, sizeof(blk));
	p.a = a;
	p.set = out;
	buf_init(&blk.text);
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	if (!qb_utf8_check(text + i, len - i, &bad)) {
		for (e = 0, line = 1; e < i + bad; e++)
			if (text[e] == '\n' || (text[e] == '\r' &&
			    (e + 1 >= len || text[e + 1] != '\n')))
				line++;
		qb_error_add(a, out, line, "the file is not UTF-8 text (or "
		    "holds a NUL byte)");
		buf_free(&blk.text);
		return -1;
	}
	while (i < len) {
		line++;
		for (e = i; e < len && text[e] != '\n' && text[e] != '\r'; e++)
			;
		s0 = i;
		e0 = e;
		while (s0 < e0 && (text[s0] == ' ' || text[s0] == '\t'))
			s0++;
		while (e0 > s0 && (text[e0 - 1] == ' ' || text[e0 - 1] == '\t'))
			e0--;
		if (s0 == e0)
			block_flush(&p, &blk);
		else if (e0 - s0 >= 2 && text[s0] == '/' && text[s0 + 1] == '/')
			meta_line(a, out, &blk, text + s0, e0 - s0, line);
		else if (e0 - s0 >= 10 && memcmp(text + s0, "$CATEGORY:",
		    10) == 0)
			;
		else
			block_line(a, &blk, text + s0, e0 - s0, line);
		if (e < len && text[e] == '\r' && e + 1 < len &&
		    text[e + 1] == '\n')
			e++;
		i = e + 1;
	}
	block_flush(&p, &blk);
	buf_free(&blk.text);
	/* Errors come in question order already, except metadata errors
	 * found before the question they precede: sort by line (stable). */
	for (i = 1; i < out->nerr; i++) {
		struct qb_error x = out->err[i];

		for (e = i; e > 0 && out->err[e - 1].line > x.line; e--)
			out->err[e] = out->err[e - 1];
		out->err[e] = x;
	}
	return out->nerr > 0 || out->ndropped > 0 ? -1 : 0;
}

/* ---- writer -------------------------------------------------------- */

static void
put_esc(struct buf *o, const char *s)
{
	for (; *s != '\0'; s++) {
		if (special((unsigned char)*s)) {
			buf_putc(o, '\\');
			buf_putc(o, *s);
		} else if (*s == '\n' || *s == '\r')
			buf_puts(o, "\\n");
		else
			buf_putc(o, *s);
	}
}

/* One line of metadata, line breaks made spaces. */
static void
put_line(struct buf *o, const char *s)
{
	for (; *s != '\0'; s++)
		buf_putc(o, *s == '\n' || *s == '\r' ? ' ' : *s);
}

static int
nonempty(const char *s)
{
	return s != NULL && s[0] != '\0';
}

static void
put_feedback(struct buf *o, const char *fb)
{
	if (fb != NULL && fb[0] != '\0') {
		buf_putc(o, '#');
		put_esc(o, fb);
	}
}

/* Why q cannot be written in GIFT, or NULL. */
static const char *
unwritable(const struct qb_question *q)
{
	size_t i;

	if (q->kind == QB_ORDERING)
		return "ordering questions have no GIFT form";
	if (q->kind != QB_NUMERIC && q->kind != QB_TRUEFALSE)
		for (i = 0; i < q->nopts; i++)
			if (strstr(q->opts[i].text, "->") != NULL)
				return "an option holds \"->\", which GIFT "
				    "reads as matching";
	return NULL;
}

static void
put_choice(struct buf *o, char mark, const char *weight,
    const struct qb_option *opt)
{
	buf_putc(o, '\t');
	buf_putc(o, mark);
	if (weight != NULL)
		buf_puts(o, weight);
	else if (opt->text[0] == '%')
		buf_puts(o, mark == '=' ? "%100%" : "%0%");
	put_esc(o, opt->text);
	put_feedback(o, opt->feedback);
	buf_putc(o, '\n');
}

static void
write_one(struct buf *o, const struct qb_question *q)
{
	char w[48], v[32], t[32];
	size_t i, k, ncorrect = 0;

	if (q->difficulty > 0)
		buf_printf(o, "// adept-difficulty: %d\n", q->difficulty);
	for (i = 0; i < q->nskills; i++) {
		buf_puts(o, "// adept-skill: ");
		put_line(o, q->skills[i]);
		buf_putc(o, '\n');
	}
	if (q->title != NULL && q->title[0] != '\0') {
		buf_puts(o, "::");
		put_esc(o, q->title);
		buf_puts(o, "::");
	}
	buf_puts(o, "[markdown]");
	put_esc(o, q->stem);
	buf_puts(o, " {");
	switch (q->kind) {
	case QB_TRUEFALSE:
		k = q->opts[0].correct ? 0 : 1;
		buf_puts(o, k == 0 ? "TRUE" : "FALSE");
		if (nonempty(q->opts[1 - k].feedback) ||
		    nonempty(q->opts[k].feedback)) {
			buf_putc(o, '#');
			if (nonempty(q->opts[1 - k].feedback))
				put_esc(o, q->opts[1 - k].feedback);
			put_feedback(o, q->opts[k].feedback);
		}
		buf_putc(o, '\n');
		break;
	case QB_NUMERIC:
		buf_puts(o, "#\n");
		for (i = 0; i < q->nopts; i++) {
			qb_fmt_double(v, q->opts[i].value);
			qb_fmt_double(t, q->opts[i].tolerance);
			buf_printf(o, "\t=%s%s:%s", q->opts[i].correct ? "" :
			    "%0%", v, t);
			put_feedback(o, q->opts[i].feedback);
			buf_putc(o, '\n');
		}
		break;
	case QB_MULTIPLE:
		for (i = 0; i < q->nopts; i++)
			ncorrect += q->opts[i].correct != 0;
		snprintf(w, sizeof(w), "%.5f", 100.0 / (double)ncorrect);
		k = strlen(w);
		while (k > 0 && w[k - 1] == '0')
			w[--k] = '\0';
		if (k > 0 && w[k - 1] == '.')
			w[--k] = '\0';
		memmove(w + 1, w, k + 1);
		w[0] = '%';
		strcat(w, "%");
		buf_putc(o, '\n');
		for (i = 0; i < q->nopts; i++)
			put_choice(o, '~', q->opts[i].correct ? w : NULL,
			    &q->opts[i]);
		break;
	case QB_SHORT:
		buf_putc(o, '\n');
		for (i = 0; i < q->nopts; i++)
			put_choice(o, '=', NULL, &q->opts[i]);
		break;
	default:
		buf_putc(o, '\n');
		for (i = 0; i < q->nopts; i++)
			put_choice(o, q->opts[i].correct ? '=' : '~', NULL,
			    &q->opts[i]);
		break;
	}
	if (q->explanation != NULL && q->explanation[0] != '\0') {
		buf_puts(o, "\t####");
		put_esc(o, q->explanation);
		buf_putc(o, '\n');
	}
	buf_puts(o, "}\n\n");
}

size_t
gift_write(struct buf *o, const struct qb_question *q, size_t n,
    size_t *skipped)
{
	const char *why;
	size_t i, ns = 0;

	for (i = 0; i < n; i++) {
		if ((why = unwritable(&q[i])) != NULL) {
			buf_printf(o, "// skipped question %zu (", i + 1);
			put_line(o, q[i].title[0] != '\0' ? q[i].title :
			    qb_kind_label(q[i].kind));
			buf_printf(o, "): %s\n\n", why);
			if (skipped != NULL)
				skipped[ns] = i;
			ns++;
			continue;
		}
		write_one(o, &q[i]);
	}
	return ns;
}
