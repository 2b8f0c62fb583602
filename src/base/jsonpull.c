/*
 * jsonpull: a strict JSON pull reader; see jsonpull.h.
 *
 * One state (what may come next) and a stack of open containers drive the
 * grammar, so punctuation never reaches the caller.  Strings are scanned
 * with a byte-class table (plain ASCII bytes cost a load and a compare);
 * only escapes and multi-byte UTF-8 sequences take the slow path.  The
 * duplicate-key check keeps the keys of the open objects on one stack,
 * compared linearly while an object is small and through a hash index
 * (from the arena) once it is not, so a hostile object of 100,000 keys
 * costs linear time, not quadratic.
 */
#include <stdint.h>
#include <string.h>

#include "base/arena.h"
#include "base/jsonpull.h"

enum { S_VALUE, S_FIRST_ELEM, S_FIRST_KEY, S_KEY, S_AFTER, S_DONE,
    S_ERROR };

#define LINEAR_KEYS	16	/* keys compared one by one, then hashed */

struct jpull_key {
	const char	*p;	/* decoded */
	uint32_t	 len, hash;
};

/* 0 plain ASCII; 1 '"'; 2 '\\'; 3 a control character; 4 a byte of a
 * multi-byte UTF-8 sequence (or no UTF-8 at all). */
static const unsigned char	sclass[256] = {
	[0 ... 0x1f] = 3, ['"'] = 1, ['\\'] = 2, [0x80 ... 0xff] = 4,
};

static int
is_ws(int c)
{
	return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

/* Past the whitespace at p; notes that there was some (for jpull_copy). */
static const char *
skip_ws(struct jpull *jp, const char *p)
{
	if (p < jp->end && (unsigned char)*p <= ' ' &&
	    is_ws((unsigned char)*p)) {
		jp->spaced = 1;
		do
			p++;
		while (p < jp->end && is_ws((unsigned char)*p));
	}
	return p;
}

static enum jpull_type
fail(struct jpull *jp, const char *where, const char *why)
{
	jp->state = S_ERROR;
	jp->err = why;
	jp->errpos = where;
	return JPULL_ERROR;
}

static int
hex4(const unsigned char *u)
{
	int i, c, v = 0;

	for (i = 0; i < 4; i++) {
		c = u[i];
		if (c >= '0' && c <= '9')
			c -= '0';
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			c = (c | 0x20) - 'a' + 10;
		else
			return -1;
		v = v << 4 | c;
	}
	return v;
}

/*
 * One escape at u (the backslash) with end past the input: the position
 * after it, or NULL with *why.  \u0000 is refused (NUL has no place in
 * our text columns), as are unpaired surrogates.  *cp gets the code point.
 */
static const unsigned char *
escape(const unsigned char *u, const unsigned char *end, long *cp,
    const char **why)
{
	int hi, lo;

	*why = "invalid escape";
	if (end - u < 2)
		return NULL;
	switch (u[1]) {
	case '"': case '\\': case '/':
		*cp = u[1];
		return u + 2;
	case 'b': *cp = '\b'; return u + 2;
	case 'f': *cp = '\f'; return u + 2;
	case 'n': *cp = '\n'; return u + 2;
	case 'r': *cp = '\r'; return u + 2;
	case 't': *cp = '\t'; return u + 2;
	case 'u':
		break;
	default:
		return NULL;
	}
	*why = "invalid \\u escape (four hex digits)";
	if (end - u < 6 || (hi = hex4(u + 2)) < 0)
		return NULL;
	*why = "\\u0000 is not accepted";
	if (hi == 0)
		return NULL;
	*why = "unpaired surrogate in a \\u escape";
	if (hi >= 0xdc00 && hi <= 0xdfff)
		return NULL;
	if (hi < 0xd800 || hi > 0xdbff) {
		*cp = hi;
		return u + 6;
	}
	if (end - u < 12 || u[6] != '\\' || u[7] != 'u' ||
	    (lo = hex4(u + 8)) < 0xdc00 || lo > 0xdfff)
		return NULL;
	*cp = 0x10000 + ((long)(hi - 0xd800) << 10) + (lo - 0xdc00);
	return u + 12;
}

/* One multi-byte UTF-8 sequence at u, well-formed per Unicode's table
 * 3-7 (no overlong form, no surrogate, nothing past U+10FFFF): the
 * position after it, or NULL. */
static const unsigned char *
utf8(const unsigned char *u, const unsigned char *end)
{
	unsigned c = u[0], lo = 0x80, hi = 0xbf;
	int n, i;

	if (c >= 0xc2 && c <= 0xdf)
		n = 1;
	else if (c >= 0xe0 && c <= 0xef) {
		n = 2;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 3;
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
	} else
		return NULL;
	if (end - u <= n || u[1] < lo || u[1] > hi)
		return NULL;
	for (i = 2; i <= n; i++)
		if (u[i] < 0x80 || u[i] > 0xbf)
			return NULL;
	return u + n + 1;
}

/*
 * Past the plain ASCII bytes at u (sclass 0): eight at a time where the
 * machine is little-endian, the lowest flagged byte of a word being the
 * first one that is not plain (borrows only flag bytes above a true one).
 */
static const unsigned char *
plain_run(const unsigned char *u, const unsigned char *end)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
	uint64_t x, q, b, m;

	while (end - u >= 8) {
		memcpy(&x, u, 8);
		q = x ^ '"' * ones;			/* 0 where '"' */
		b = x ^ '\\' * ones;			/* 0 where '\\' */
		m = ((x - 0x20 * ones) & ~x) |		/* < 0x20 */
		    ((q - ones) & ~q) | ((b - ones) & ~b) |
		    x;					/* >= 0x80 */
		if ((m &= high) != 0)
			return u + __builtin_ctzll(m) / 8;
		u += 8;
	}
#endif
	while (u < end && sclass[*u] == 0)
		u++;
	return u;
}

/* A string's body from p (past the opening quote): the closing quote's
 * position, or NULL after fail(). */
static const char *
scan_string(struct jpull *jp, const char *p, int *esc)
{
	const unsigned char *u = (const unsigned char *)p;
	const unsigned char *end = (const unsigned char *)jp->end, *q;
	const char *why;
	long cp;

	*esc = 0;
	for (;;) {
		u = plain_run(u, end);
		if (u == end) {
			fail(jp, (const char *)u, "unterminated string");
			return NULL;
		}
		switch (sclass[*u]) {
		case 1:
			return (const char *)u;
		case 2:
			*esc = 1;
			if ((q = escape(u, end, &cp, &why)) == NULL) {
				fail(jp, (const char *)u, why);
				return NULL;
			}
			break;
		case 3:
			fail(jp, (const char *)u, "control character in a "
			    "string (escape it)");
			return NULL;
		default:
			if ((q = utf8(u, end)) == NULL) {
				fail(jp, (const char *)u, "invalid UTF-8");
				return NULL;
			}
			break;
		}
		u = q;
	}
}

/* 2^1024 - 2^970: the least value strtod rounds to infinity. */
static const char	dbl_overflow[] = "17976931348623158079372897140530341"
    "507993413271003782693617377898044496829276475094664901797758720709633"
    "028641669288791094655554785194040263065748867150582068190890200070838"
    "367627385484581771153176447573027006985557136695962284291481986083493"
    "647529271907416844436551070434271155969950809304288017790417449779"
    "2";

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/*
 * Whether the real with integer digits i0..i1, fraction digits f0..f1
 * and decimal exponent e overflows a double (as jansson's strtod did).
 */
static int
real_overflows(const char *i0, const char *i1, const char *f0,
    const char *f1, int64_t e)
{
	const char *d = i0, *dend = i1;
	int64_t e10;
	size_t k;
	int c;

	if (*i0 != '0')
		e10 = (int64_t)(i1 - i0) - 1 + e;
	else {
		for (d = f0; d < f1 && *d == '0'; d++)
			;
		if (d == f1)
			return 0;	/* zero */
		e10 = -(int64_t)(d - f0) - 1 + e;
		dend = f1;
	}
	if (e10 != 308)
		return e10 > 308;
	/* The significant digits against dbl_overflow's, digit by digit. */
	for (k = 0; k < sizeof(dbl_overflow) - 1; k++) {
		if (d == dend && dend == i1 && f0 != NULL) {
			d = f0;
			dend = f1;
		}
		c = d < dend ? *d++ : '0';
		if (c != dbl_overflow[k])
			return c > dbl_overflow[k];
	}
	return 1;	/* equal or more: rounds up to infinity */
}

/* A number at p per RFC 8259's grammar, within int64 or a double's
 * range: its end, or NULL after fail(). */
static const char *
scan_number(struct jpull *jp, const char *p, struct jpull_tok *t)
{
	const char *end = jp->end, *s = p, *i0, *i1, *f0 = NULL, *f1 = NULL;
	int64_t e = 0;
	int eneg = 0, neg = 0, hasexp = 0;
	size_t n;

	if (*p == '-') {
		neg = 1;
		p++;
	}
	i0 = p;
	if (p < end && *p == '0')
		p++;
	else if (p < end && *p >= '1' && *p <= '9')
		while (p < end && is_digit(*p))
			p++;
	else
		goto bad;
	i1 = p;
	if (p < end && *p == '.') {
		f0 = ++p;
		while (p < end && is_digit(*p))
			p++;
		if (p == f0)
			goto bad;
		f1 = p;
	}
	if (p < end && (*p | 0x20) == 'e') {
		hasexp = 1;
		if (++p < end && (*p == '+' || *p == '-'))
			eneg = *p++ == '-';
		if (p == end || !is_digit(*p))
			goto bad;
		for (; p < end && is_digit(*p); p++)
			if (e < 1000000000)	/* saturates past any digit count */
				e = e * 10 + (*p - '0');
	}
	t->integer = f0 == NULL && !hasexp;
	if (t->integer) {
		n = (size_t)(i1 - i0);
		if (n > 19 || (n == 19 && memcmp(i0, neg ? "9223372036854775808"
		    : "9223372036854775807", 19) > 0)) {
			fail(jp, s, "integer out of range (int64)");
			return NULL;
		}
	} else if (real_overflows(i0, i1, f0, f1, eneg ? -e : e)) {
		fail(jp, s, "number out of range (double)");
		return NULL;
	}
	return p;
bad:
	fail(jp, s, "invalid number");
	return NULL;
}

static uint32_t
fnv1a(const char *p, size_t n)
{
	uint32_t h = 2166136261u;

	while (n-- > 0)
		h = (h ^ (unsigned char)*p++) * 16777619u;
	return h;
}

/* A key's hash, computed once (0 = not yet: a small object needs none). */
static uint32_t
key_hash(struct jpull_key *k)
{
	if (k->hash == 0 && (k->hash = fnv1a(k->p, k->len)) == 0)
		k->hash = 1;
	return k->hash;
}

static int
key_eq(const struct jpull_key *k, const struct jpull_key *n)
{
	return k->len == n->len && (k->hash == n->hash || k->hash == 0 ||
	    n->hash == 0) && memcmp(k->p, n->p, n->len) == 0;
}

/* (Re)builds f's hash index for its keys, at least twice as many slots. */
static void
index_build(struct jpull *jp, struct jpull_frame *f)
{
	uint32_t cap = 64, i, s, n = jp->nkeys - f->key0;

	while (cap < 4 * n)
		cap *= 2;
	f->index = arena_alloc(jp->arena, cap * sizeof(*f->index));
	f->index_cap = cap;
	memset(f->index, 0xff, cap * sizeof(*f->index));
	for (i = f->key0; i < jp->nkeys; i++) {
		for (s = key_hash(&jp->keys[i]) & (cap - 1);
		    f->index[s] != UINT32_MAX;
		    s = (s + 1) & (cap - 1))
			;
		f->index[s] = i;
	}
}

/* Records key t in the innermost object; -1 if it is already there. */
static int
key_add(struct jpull *jp, const struct jpull_tok *t)
{
	struct jpull_frame *f = &jp->stack[jp->depth - 1];
	struct jpull_key *k, n;
	size_t len = t->len;
	uint32_t i, s;

	n.p = t->esc ? jpull_str(t, arena_alloc(jp->arena, t->len + 1), &len) :
	    t->p;
	n.len = (uint32_t)len;
	n.hash = 0;
	if (f->index == NULL && jp->nkeys - f->key0 < LINEAR_KEYS) {
		for (i = f->key0; i < jp->nkeys; i++)
			if (key_eq(&jp->keys[i], &n))
				return -1;
	} else {
		if (f->index == NULL || 2 * (jp->nkeys - f->key0 + 1) >
		    f->index_cap)
			index_build(jp, f);
		for (s = key_hash(&n) & (f->index_cap - 1);
		    f->index[s] != UINT32_MAX; s = (s + 1) & (f->index_cap - 1))
			if (key_eq(&jp->keys[f->index[s]], &n))
				return -1;
		f->index[s] = jp->nkeys;
	}
	if (jp->nkeys == jp->keys_cap) {
		jp->keys_cap = jp->keys_cap ? 2 * jp->keys_cap : 64;
		k = arena_alloc(jp->arena, jp->keys_cap * sizeof(*k));
		if (jp->nkeys > 0)
			memcpy(k, jp->keys, jp->nkeys * sizeof(*k));
		jp->keys = k;
	}
	jp->keys[jp->nkeys++] = n;
	return 0;
}

void
jpull_init(struct jpull *jp, struct arena *a, const char *s, size_t len,
    int flags)
{
	memset(jp, 0, sizeof(*jp));
	jp->s = jp->p = s;
	jp->end = s + len;
	jp->flags = flags;
	jp->arena = a;
	jp->state = S_VALUE;
}

static enum jpull_type
open_container(struct jpull *jp, const char *p, struct jpull_tok *t)
{
	struct jpull_frame *f;

	if (jp->depth == JPULL_DEPTH_MAX)
		return fail(jp, p, "nested too deeply");
	f = &jp->stack[jp->depth++];
	f->kind = *p;
	f->key0 = jp->nkeys;
	f->index = NULL;
	t->type = *p == '{' ? JPULL_OBJECT : JPULL_ARRAY;
	jp->state = *p == '{' ? S_FIRST_KEY : S_FIRST_ELEM;
	return t->type;
}

static enum jpull_type
literal(struct jpull *jp, const char *p, const char *word, size_t n,
    enum jpull_type type, struct jpull_tok *t)
{
	if ((size_t)(jp->end - p) < n || memcmp(p, word, n) != 0)
		return fail(jp, p, "invalid literal");
	t->len = n;
	t->type = type;
	return type;
}

/* A value at p (after whitespace). */
static enum jpull_type
value(struct jpull *jp, const char *p, struct jpull_tok *t)
{
	const char *q;

	if (p == jp->end)
		return fail(jp, p, "unexpected end of input");
	t->p = p;
	t->len = 1;
	if (*p == '{' || *p == '[') {
		jp->p = p + 1;
		return open_container(jp, p, t);
	}
	if (jp->depth == 0 && (jp->flags & JPULL_CONTAINER))
		return fail(jp, p, "'[' or '{' expected");
	jp->state = S_AFTER;
	switch (*p) {
	case '"':
		if ((q = scan_string(jp, p + 1, &t->esc)) == NULL)
			return JPULL_ERROR;
		t->p = p + 1;
		t->len = (size_t)(q - t->p);
		jp->p = q + 1;
		return t->type = JPULL_STRING;
	case 't':
		literal(jp, p, "true", 4, JPULL_TRUE, t);
		break;
	case 'f':
		literal(jp, p, "false", 5, JPULL_FALSE, t);
		break;
	case 'n':
		literal(jp, p, "null", 4, JPULL_NULL, t);
		break;
	default:
		if (*p != '-' && !is_digit(*p))
			return fail(jp, p, "a value expected");
		if ((q = scan_number(jp, p, t)) == NULL)
			return JPULL_ERROR;
		t->len = (size_t)(q - p);
		t->type = JPULL_NUMBER;
		break;
	}
	if (jp->state == S_ERROR)
		return JPULL_ERROR;
	jp->p = p + t->len;
	return t->type;
}

/* A key and its colon at p (after whitespace). */
static enum jpull_type
key(struct jpull *jp, const char *p, struct jpull_tok *t)
{
	const char *q;

	if (p == jp->end || *p != '"')
		return fail(jp, p, p == jp->end ? "unexpected end of input" :
		    "a key (a string) expected");
	if ((q = scan_string(jp, p + 1, &t->esc)) == NULL)
		return JPULL_ERROR;
	t->type = JPULL_KEY;
	t->p = p + 1;
	t->len = (size_t)(q - t->p);
	q = skip_ws(jp, q + 1);
	if (q == jp->end || *q != ':')
		return fail(jp, q, "':' expected after a key");
	if ((jp->flags & JPULL_NODUP) && key_add(jp, t) == -1)
		return fail(jp, p, "duplicate object key");
	jp->p = q + 1;
	jp->state = S_VALUE;
	return JPULL_KEY;
}

static enum jpull_type
close_container(struct jpull *jp, const char *p, struct jpull_tok *t)
{
	struct jpull_frame *f = &jp->stack[--jp->depth];

	if (f->kind == '{')
		jp->nkeys = f->key0;
	jp->p = p + 1;
	jp->state = S_AFTER;
	t->p = p;
	t->len = 1;
	return t->type = JPULL_END;
}

enum jpull_type
jpull_next(struct jpull *jp, struct jpull_tok *t)
{
	const char *p = skip_ws(jp, jp->p);
	char top;

	t->esc = t->integer = 0;
	switch (jp->state) {
	case S_VALUE:
		return value(jp, p, t);
	case S_FIRST_ELEM:
		if (p < jp->end && *p == ']')
			return close_container(jp, p, t);
		return value(jp, p, t);
	case S_FIRST_KEY:
		if (p < jp->end && *p == '}')
			return close_container(jp, p, t);
		return key(jp, p, t);
	case S_KEY:
		return key(jp, p, t);
	case S_AFTER:
		if (jp->depth == 0) {
			if (p != jp->end)
				return fail(jp, p, "end of input expected");
			jp->state = S_DONE;
			return t->type = JPULL_EOF;
		}
		if (p == jp->end)
			return fail(jp, p, "unexpected end of input");
		top = jp->stack[jp->depth - 1].kind;
		if (*p == ',') {
			p = skip_ws(jp, p + 1);
			if (p < jp->end && (*p == '}' || *p == ']'))
				return fail(jp, p, "trailing comma");
			if (top == '{')
				return key(jp, p, t);
			return value(jp, p, t);
		}
		if (*p == (top == '{' ? '}' : ']'))
			return close_container(jp, p, t);
		return fail(jp, p, top == '{' ? "',' or '}' expected" :
		    "',' or ']' expected");
	case S_DONE:
		return t->type = JPULL_EOF;
	default:
		return t->type = JPULL_ERROR;
	}
}

void
jpull_emit(struct jpull_out *o, const char *s, size_t len)
{
	if (o->full || len > o->max - o->len) {
		o->full = 1;
		return;
	}
	memcpy(o->p + o->len, s, len);
	o->len += len;
}

void
jpull_emit_tok(struct jpull_out *o, const struct jpull_tok *t)
{
	if (t->type == JPULL_STRING || t->type == JPULL_KEY) {
		jpull_emit(o, "\"", 1);
		jpull_emit(o, t->p, t->len);
		jpull_emit(o, "\":", t->type == JPULL_KEY ? 2 : 1);
	} else
		jpull_emit(o, t->p, t->len);
}

int
jpull_skip(struct jpull *jp, const struct jpull_tok *t)
{
	struct jpull_tok u;
	int depth = jp->depth;

	if (t->type == JPULL_ERROR)
		return -1;
	if (t->type != JPULL_OBJECT && t->type != JPULL_ARRAY)
		return 0;
	for (;;) {
		switch (jpull_next(jp, &u)) {
		case JPULL_ERROR:
			return -1;
		case JPULL_END:
			if (jp->depth < depth)
				return 0;
			break;
		default:
			break;
		}
	}
}

/* Validated JSON text s..end less the whitespace between tokens. */
static void
emit_compact(struct jpull_out *o, const char *s, const char *end)
{
	const char *run = s;
	int in = 0;

	for (; s < end; s++) {
		if (in) {
			if (*s == '\\')
				s++;
			else if (*s == '"')
				in = 0;
		} else if (*s == '"')
			in = 1;
		else if (is_ws((unsigned char)*s)) {
			jpull_emit(o, run, (size_t)(s - run));
			run = s + 1;
		}
	}
	jpull_emit(o, run, (size_t)(end - run));
}

/* The value's text is one slice of the input, copied at once unless
 * whitespace was skipped inside it. */
int
jpull_copy(struct jpull *jp, const struct jpull_tok *t, struct jpull_out *o)
{
	const char *start = t->type == JPULL_STRING ? t->p - 1 : t->p;

	jp->spaced = 0;
	if (jpull_skip(jp, t) == -1)
		return -1;
	if (jp->spaced)
		emit_compact(o, start, jp->p);
	else
		jpull_emit(o, start, (size_t)(jp->p - start));
	return 0;
}

/* Code point cp as UTF-8 at o; the position after it. */
static char *
put_utf8(char *o, long cp)
{
	if (cp < 0x80)
		*o++ = (char)cp;
	else if (cp < 0x800) {
		*o++ = (char)(0xc0 | cp >> 6);
		*o++ = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		*o++ = (char)(0xe0 | cp >> 12);
		*o++ = (char)(0x80 | (cp >> 6 & 0x3f));
		*o++ = (char)(0x80 | (cp & 0x3f));
	} else {
		*o++ = (char)(0xf0 | cp >> 18);
		*o++ = (char)(0x80 | (cp >> 12 & 0x3f));
		*o++ = (char)(0x80 | (cp >> 6 & 0x3f));
		*o++ = (char)(0x80 | (cp & 0x3f));
	}
	return o;
}

const char *
jpull_str(const struct jpull_tok *t, char *out, size_t *len)
{
	const unsigned char *u = (const unsigned char *)t->p;
	const unsigned char *end = u + t->len, *bs;
	const char *why;
	char *o = out;
	long cp;

	if (!t->esc) {
		*len = t->len;
		return t->p;
	}
	while (u < end) {
		if ((bs = memchr(u, '\\', (size_t)(end - u))) == NULL)
			bs = end;
		memcpy(o, u, (size_t)(bs - u));
		o += bs - u;
		if (bs == end)
			break;
		/* Checked when scanned, so it cannot fail here. */
		u = escape(bs, end, &cp, &why);
		o = put_utf8(o, cp);
	}
	*len = (size_t)(o - out);
	return out;
}

int64_t
jpull_int(const struct jpull_tok *t)
{
	const char *p = t->p, *end = t->p + t->len;
	uint64_t v = 0;
	int neg = *p == '-';

	for (p += neg; p < end && is_digit(*p); p++)
		v = v * 10 + (uint64_t)(*p - '0');
	return neg ? (int64_t)(0 - v) : (int64_t)v;
}

void
jpull_where(const struct jpull *jp, int *line, int *col)
{
	const char *p;

	*line = *col = 1;
	for (p = jp->s; p < jp->errpos; p++) {
		if (*p == '\n') {
			(*line)++;
			*col = 1;
		} else if (((unsigned char)*p & 0xc0) != 0x80)
			(*col)++;
	}
}
