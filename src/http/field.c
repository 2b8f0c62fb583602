/*
 * field: validators for declared form fields; see field.h.
 *
 * One function per type, each taking the submitted text (already trimmed
 * where the type trims) and either storing the typed value or returning
 * a message.  Messages are built in the arena from the field's label, so
 * they read as sentences: "Password must be at least 8 characters".
 */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "http/field.h"
#include "http/parse.h"

struct ctx {
	struct arena		*a;
	const struct http_field	*f;
	const char		*label;
	struct http_form	*out;
	size_t			 i;
};

static const char *
label(struct arena *a, const struct http_field *f)
{
	char *s;
	size_t i;

	if (f->label != NULL)
		return f->label;
	s = arena_strdup(a, f->name);
	for (i = 0; s[i] != '\0'; i++)
		if (s[i] == '_' || s[i] == '-')
			s[i] = ' ';
	if (s[0] >= 'a' && s[0] <= 'z')
		s[0] = (char)(s[0] - 'a' + 'A');
	return s;
}

static int
is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/*
 * 1 if s[0..len) has a control character: C0 (except \n and \t when
 * multiline), DEL, or C1 (U+0080..U+009F, encoded C2 80..C2 9F).
 */
static int
has_control(const char *s, size_t len, int multiline)
{
	size_t i;
	unsigned char c;

	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c < 0x20) {
			if (multiline && (c == '\n' || c == '\t'))
				continue;
			return 1;
		}
		if (c == 0x7f)
			return 1;
		if (c == 0xc2 && i + 1 < len &&
		    (unsigned char)s[i + 1] < 0xa0)
			return 1;
	}
	return 0;
}

static const char *
plural(size_t n)
{
	return n == 1 ? "" : "s";
}

/* Checks the length in characters against minlen and maxlen (or dflt). */
static const char *
check_len(struct ctx *c, const char *s, size_t len, size_t dflt)
{
	size_t n = http_utf8_len(s, len);
	size_t max = c->f->maxlen ? c->f->maxlen : dflt;

	if (n < c->f->minlen)
		return arena_printf(c->a, "%s must be at least %zu "
		    "character%s", c->label, c->f->minlen,
		    plural(c->f->minlen));
	if (max && n > max)
		return arena_printf(c->a, "%s must be at most %zu character%s",
		    c->label, max, plural(max));
	return NULL;
}

static const char *
range_msg(struct ctx *c)
{
	if (c->f->max == LLONG_MAX)
		return arena_printf(c->a, "%s must be at least %lld",
		    c->label, c->f->min);
	if (c->f->min == LLONG_MIN)
		return arena_printf(c->a, "%s must be at most %lld",
		    c->label, c->f->max);
	return arena_printf(c->a, "%s must be between %lld and %lld",
	    c->label, c->f->min, c->f->max);
}

static int
has_range(const struct http_field *f)
{
	return f->min != 0 || f->max != 0;
}

static const char *
v_string(struct ctx *c, char *s, size_t len)
{
	if (has_control(s, len, 0))
		return arena_printf(c->a, "%s contains characters that are "
		    "not allowed", c->label);
	return check_len(c, s, len, 255);
}

static const char *
v_text(struct ctx *c, char *s, size_t len)
{
	if (has_control(s, len, 1))
		return arena_printf(c->a, "%s contains characters that are "
		    "not allowed", c->label);
	return check_len(c, s, len, 0);
}

static const char *
v_password(struct ctx *c, char *s, size_t len)
{
	if (has_control(s, len, 0))
		return arena_printf(c->a, "%s contains characters that are "
		    "not allowed", c->label);
	return check_len(c, s, len, 1024);
}

static int
is_atext(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || (c != '\0' &&
	    strchr("!#$%&'*+/=?^_`{|}~-", c) != NULL);
}

static int
is_alnum(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

int
http_email_valid(const char *s, size_t len)
{
	const char *at, *d, *end = s + len, *lab;
	size_t i, nlabels = 0;
	int alldigit;

	if (len > 254 || (at = memchr(s, '@', len)) == NULL ||
	    memchr(at + 1, '@', (size_t)(end - at - 1)) != NULL)
		return 0;
	if (at == s || at - s > 64 || *s == '.' || at[-1] == '.')
		return 0;
	for (i = 0; s + i < at; i++) {
		if (s[i] == '.' && s[i + 1] == '.')
			return 0;
		if (s[i] != '.' && !is_atext((unsigned char)s[i]))
			return 0;
	}
	for (d = at + 1; ; d++) {
		lab = d;
		alldigit = 1;
		while (d < end && *d != '.') {
			if (!is_alnum((unsigned char)*d) && *d != '-')
				return 0;
			if (*d < '0' || *d > '9')
				alldigit = 0;
			d++;
		}
		if (d == lab || d - lab > 63 || *lab == '-' || d[-1] == '-')
			return 0;
		nlabels++;
		if (d == end)
			break;
	}
	return nlabels >= 2 && !alldigit;
}

static const char *
v_email(struct ctx *c, char *s, size_t len)
{
	char *at;

	if (!http_email_valid(s, len))
		return arena_printf(c->a, "%s is not a valid address",
		    c->label);
	for (at = strchr(s, '@'); *at != '\0'; at++)
		if (*at >= 'A' && *at <= 'Z')
			*at = (char)(*at - 'A' + 'a');
	return check_len(c, s, len, 254);
}

static const char *
v_int(struct ctx *c, char *s, size_t len)
{
	unsigned long long v = 0, lim;
	size_t i = 0;
	int neg = 0;
	long long x;

	if (s[0] == '-' || s[0] == '+')
		neg = s[i++] == '-';
	if (i == len)
		goto bad;
	lim = neg ? (unsigned long long)LLONG_MAX + 1 : LLONG_MAX;
	for (; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			goto bad;
		if (v > (lim - (unsigned long long)(s[i] - '0')) / 10)
			goto range;
		v = v * 10 + (unsigned long long)(s[i] - '0');
	}
	if (neg)
		x = v == (unsigned long long)LLONG_MAX + 1 ? LLONG_MIN :
		    -(long long)v;
	else
		x = (long long)v;
	if (has_range(c->f) && (x < c->f->min || x > c->f->max))
		return range_msg(c);
	c->out->i64[c->i] = x;
	c->out->dbl[c->i] = (double)x;
	return NULL;
bad:
	return arena_printf(c->a, "%s must be a whole number", c->label);
range:
	if (has_range(c->f))
		return range_msg(c);
	return arena_printf(c->a, "%s is too large", c->label);
}

/* Decimal only: strtod's hex, inf and nan forms are refused up front. */
static const char *
v_double(struct ctx *c, char *s, size_t len)
{
	char *end;
	double x;
	size_t i;
	int digit = 0;

	for (i = 0; i < len; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			digit = 1;
		else if (strchr("+-.eE", s[i]) == NULL || s[i] == '\0')
			goto bad;
	}
	if (!digit)
		goto bad;
	x = strtod(s, &end);
	if (end != s + len)
		goto bad;
	if (!isfinite(x))
		return arena_printf(c->a, "%s is too large", c->label);
	if (has_range(c->f) && (x < (double)c->f->min ||
	    x > (double)c->f->max))
		return range_msg(c);
	c->out->dbl[c->i] = x;
	return NULL;
bad:
	return arena_printf(c->a, "%s must be a number", c->label);
}

/* a equals lowercase b, ignoring ASCII case in a. */
static int
ieq(const char *a, const char *b)
{
	for (; *a != '\0' && *b != '\0'; a++, b++)
		if ((*a >= 'A' && *a <= 'Z' ? *a - 'A' + 'a' : *a) != *b)
			return 0;
	return *a == *b;
}

static const char *
v_bool(struct ctx *c, char *s, size_t len)
{
	static const char *const yes[] = { "1", "on", "true", "yes", NULL };
	static const char *const no[] = { "", "0", "off", "false", "no",
	    NULL };
	size_t i;

	(void)len;
	for (i = 0; yes[i] != NULL; i++)
		if (ieq(s, yes[i])) {
			c->out->i64[c->i] = 1;
			return NULL;
		}
	for (i = 0; no[i] != NULL; i++)
		if (ieq(s, no[i])) {
			c->out->i64[c->i] = 0;
			if (c->f->required)
				return arena_printf(c->a, "%s must be checked",
				    c->label);
			return NULL;
		}
	return arena_printf(c->a, "%s must be yes or no", c->label);
}

static const char *
v_enum(struct ctx *c, char *s, size_t len)
{
	const char *const *ch = c->f->choices;
	struct buf b;
	const char *msg;
	size_t i;

	(void)len;
	for (i = 0; ch != NULL && ch[i] != NULL; i++)
		if (strcmp(s, ch[i]) == 0) {
			c->out->i64[c->i] = (long long)i;
			return NULL;
		}
	if (ch == NULL || i > 10)
		return arena_printf(c->a, "%s is not one of the allowed "
		    "choices", c->label);
	buf_init(&b);
	for (i = 0; ch[i] != NULL; i++)
		buf_printf(&b, "%s%s", i ? ", " : "", ch[i]);
	msg = arena_printf(c->a, "%s must be one of: %s", c->label, b.p);
	buf_free(&b);
	return msg;
}

static const char *
v_id(struct ctx *c, char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!is_alnum((unsigned char)s[i]) && s[i] != '_' &&
		    s[i] != '-')
			return arena_printf(c->a, "%s is not a valid "
			    "identifier", c->label);
	return check_len(c, s, len, 64);
}

typedef const char *(*validator)(struct ctx *, char *, size_t);

static const validator validators[HTTP_FT__MAX] = {
	[HTTP_FT_STRING] = v_string,
	[HTTP_FT_TEXT] = v_text,
	[HTTP_FT_EMAIL] = v_email,
	[HTTP_FT_INT] = v_int,
	[HTTP_FT_DOUBLE] = v_double,
	[HTTP_FT_BOOL] = v_bool,
	[HTTP_FT_ENUM] = v_enum,
	[HTTP_FT_ID] = v_id,
	[HTTP_FT_PASSWORD] = v_password,
};

/* TEXT: CRLF and lone CR become LF, in place; returns the new length. */
static size_t
normalize_newlines(char *s, size_t len)
{
	size_t i, j = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == '\r') {
			s[j++] = '\n';
			if (i + 1 < len && s[i + 1] == '\n')
				i++;
		} else
			s[j++] = s[i];
	}
	s[j] = '\0';
	return j;
}

/* Validates field i; returns its message or NULL. */
static const char *
one(struct ctx *c, const struct http_param *p)
{
	const struct http_field *f = c->f;
	struct http_form *o = c->out;
	const char *v, *e, *msg;
	size_t len;
	char *s;
	int blank;

	if (p == NULL) {
		if (f->type == HTTP_FT_BOOL && f->required)
			return arena_printf(c->a, "%s must be checked",
			    c->label);
		return f->required ? arena_printf(c->a, "%s is required",
		    c->label) : NULL;
	}
	v = p->value;
	len = p->valuelen;
	if (memchr(v, '\0', len) != NULL || !http_utf8_valid(v, len))
		return arena_printf(c->a, "%s contains characters that are "
		    "not allowed", c->label);
	/* Text and passwords keep their spaces; a blank one is empty. */
	for (e = v, blank = 1; e < v + len; e++)
		if (!is_space((unsigned char)*e))
			blank = 0;
	if (f->type != HTTP_FT_TEXT && f->type != HTTP_FT_PASSWORD) {
		while (len > 0 && is_space((unsigned char)*v)) {
			v++;
			len--;
		}
		while (len > 0 && is_space((unsigned char)v[len - 1]))
			len--;
	}
	s = arena_strndup(c->a, v, len);
	if (f->type == HTTP_FT_TEXT)
		len = normalize_newlines(s, len);
	if (f->type == HTTP_FT_BOOL) {
		o->present[c->i] = 1;
		return v_bool(c, s, len);
	}
	if (blank) {
		if (f->type != HTTP_FT_PASSWORD) {
			o->str[c->i] = s;
			o->len[c->i] = len;
		}
		return f->required ? arena_printf(c->a, "%s is required",
		    c->label) : NULL;
	}
	o->present[c->i] = 1;
	msg = validators[f->type](c, s, len);
	if (msg == NULL || f->type != HTTP_FT_PASSWORD) {
		o->str[c->i] = s;
		o->len[c->i] = len;
	}
	return msg;
}

int
http_validate(struct arena *a, const struct http_field *fields,
    size_t nfields, const struct http_param *params, size_t nparams,
    struct http_form *out)
{
	struct ctx c = { a, NULL, NULL, out, 0 };
	size_t i;

	out->n = nfields;
	out->nerr = 0;
	out->present = arena_calloc(a, nfields + 1, sizeof(*out->present));
	out->str = arena_calloc(a, nfields + 1, sizeof(*out->str));
	out->len = arena_calloc(a, nfields + 1, sizeof(*out->len));
	out->i64 = arena_calloc(a, nfields + 1, sizeof(*out->i64));
	out->dbl = arena_calloc(a, nfields + 1, sizeof(*out->dbl));
	out->err = arena_calloc(a, nfields + 1, sizeof(*out->err));
	for (i = 0; i < nfields; i++) {
		c.f = &fields[i];
		c.i = i;
		c.label = label(a, c.f);
		out->str[i] = "";
		if (c.f->type == HTTP_FT_ENUM)
			out->i64[i] = -1;
		if ((unsigned)c.f->type >= HTTP_FT__MAX)
			out->err[i] = arena_printf(a, "%s has an unknown type",
			    c.label);
		else
			out->err[i] = one(&c, http_param_get(params, nparams,
			    c.f->name));
		if (out->err[i] != NULL) {
			out->nerr++;
			if (c.f->type == HTTP_FT_ENUM)
				out->i64[i] = -1;
		}
	}
	return out->nerr ? -1 : 0;
}

const char *
http_form_error(const struct http_form *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (f->err[i] != NULL)
			return f->err[i];
	return NULL;
}
