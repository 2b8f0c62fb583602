/*
 * csv: see csv.h.  Rows are read whole (getline or a memory scan) and split
 * in place, so a field is a pointer into the row buffer until the next call.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/csv.h"

int
csv_fail(struct csv *c, const char *fmt, ...)
{
	va_list ap;
	int n = 0;

	if (c->lineno > 0)
		n = snprintf(c->err, sizeof(c->err), "line %ld: ", c->lineno);
	va_start(ap, fmt);
	vsnprintf(c->err + n, sizeof(c->err) - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

const char *
csv_error(const struct csv *c)
{
	return c->err;
}

/* Reads one physical line into c->line; returns its length or -1 at EOF. */
static long
read_line(struct csv *c)
{
	size_t n;
	const char *p, *nl;

	if (c->fp != NULL) {
		ssize_t r = getline(&c->line, &c->linecap, c->fp);
		if (r < 0)
			return -1;
		return (long)r;
	}
	if (c->memoff >= c->memlen)
		return -1;
	p = c->mem + c->memoff;
	nl = memchr(p, '\n', c->memlen - c->memoff);
	n = nl ? (size_t)(nl - p) + 1 : c->memlen - c->memoff;
	if (n + 1 > c->linecap) {
		c->linecap = n + 1;
		if ((c->line = realloc(c->line, c->linecap)) == NULL)
			abort();
	}
	memcpy(c->line, p, n);
	c->line[n] = '\0';
	c->memoff += n;
	return (long)n;
}

/* Splits c->line into c->field; -1 on a quote error or too many fields. */
static int
split(struct csv *c, long len)
{
	char *s = c->line, *w, *end = c->line + len;
	int n = 0;

	/* Until this row splits, no field is valid: the old ones may point
	 * into a buffer getline has since moved. */
	c->nfield = 0;
	while (end > s && (end[-1] == '\n' || end[-1] == '\r'))
		*--end = '\0';
	if (strlen(s) != (size_t)(end - s))
		return csv_fail(c, "NUL byte in row");
	for (;;) {
		if (n == CSV_MAXFIELDS)
			return csv_fail(c, "more than %d fields", CSV_MAXFIELDS);
		if (*s == '"') {
			c->field[n++] = w = ++s;
			for (;;) {
				if (*s == '\0')
					return csv_fail(c, "unterminated quote");
				if (*s == '"') {
					if (s[1] != '"')
						break;
					s++;
				}
				*w++ = *s++;
			}
			s++;
			if (*s != ',' && *s != '\0')
				return csv_fail(c, "text after closing quote");
			*w = '\0';
		} else {
			c->field[n++] = s;
			s += strcspn(s, ",");
		}
		if (*s == '\0')
			break;
		*s++ = '\0';
	}
	c->nfield = n;
	return 0;
}

static int
open_common(struct csv *c)
{
	long len;
	int i;
	size_t total = 0;
	char *p;

	c->line = NULL;
	c->linecap = 0;
	c->hdrbuf = NULL;
	c->hdr = NULL;
	c->nhdr = 0;
	c->lineno = 0;
	c->err[0] = '\0';
	if ((c->field = calloc(CSV_MAXFIELDS, sizeof(char *))) == NULL)
		abort();
	do {
		if ((len = read_line(c)) < 0) {
			c->lineno = 0;
			return csv_fail(c, "empty input: no header row");
		}
		c->lineno++;
	} while (strspn(c->line, "\r\n") == (size_t)len);
	if (split(c, len) == -1)
		return -1;
	for (i = 0; i < c->nfield; i++)
		total += strlen(c->field[i]) + 1;
	if ((c->hdrbuf = malloc(total)) == NULL ||
	    (c->hdr = calloc((size_t)c->nfield, sizeof(char *))) == NULL)
		abort();
	p = c->hdrbuf;
	for (i = 0; i < c->nfield; i++) {
		size_t l = strlen(c->field[i]) + 1;
		memcpy(p, c->field[i], l);
		c->hdr[i] = p;
		p += l;
	}
	c->nhdr = c->nfield;
	c->nfield = 0;
	return 0;
}

int
csv_open_file(struct csv *c, FILE *fp)
{
	c->fp = fp;
	c->mem = NULL;
	c->memlen = c->memoff = 0;
	return open_common(c);
}

int
csv_open_mem(struct csv *c, const char *buf, size_t len)
{
	c->fp = NULL;
	c->mem = buf;
	c->memlen = len;
	c->memoff = 0;
	return open_common(c);
}

void
csv_close(struct csv *c)
{
	free(c->line);
	free(c->hdrbuf);
	free(c->hdr);
	free(c->field);
	c->line = c->hdrbuf = NULL;
	c->hdr = c->field = NULL;
}

int
csv_col(const struct csv *c, const char *name)
{
	int i;

	for (i = 0; i < c->nhdr; i++)
		if (strcmp(c->hdr[i], name) == 0)
			return i;
	return -1;
}

int
csv_need(struct csv *c, const char *name)
{
	int i = csv_col(c, name);
	long save = c->lineno;

	if (i < 0) {
		c->lineno = 1;
		csv_fail(c, "missing column \"%s\" in header", name);
		c->lineno = save;
	}
	return i;
}

int
csv_next(struct csv *c)
{
	long len;

	for (;;) {
		if ((len = read_line(c)) < 0)
			return 0;
		c->lineno++;
		if (strspn(c->line, "\r\n") != (size_t)len)
			break;
	}
	if (split(c, len) == -1)
		return -1;
	if (c->nfield != c->nhdr)
		return csv_fail(c, "%d fields, header has %d", c->nfield,
		    c->nhdr);
	return 1;
}

const char *
csv_str(const struct csv *c, int i)
{
	return i >= 0 && i < c->nfield ? c->field[i] : "";
}

static const char *
colname(const struct csv *c, int i)
{
	return i >= 0 && i < c->nhdr ? c->hdr[i] : "?";
}

int
csv_is_na(const struct csv *c, int i)
{
	const char *s = csv_str(c, i);

	return *s == '\0' || strcmp(s, "NA") == 0;
}

int
csv_double(struct csv *c, int i, double *out)
{
	const char *s = csv_str(c, i);
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (*s == '\0' || *end != '\0' || errno == ERANGE || !isfinite(v))
		return csv_fail(c, "column %s: \"%.40s\" is not a finite number",
		    colname(c, i), s);
	*out = v;
	return 0;
}

int
csv_int64(struct csv *c, int i, int64_t *out)
{
	const char *s = csv_str(c, i);
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno == ERANGE)
		return csv_fail(c, "column %s: \"%.40s\" is not an integer",
		    colname(c, i), s);
	*out = v;
	return 0;
}

int
csv_int(struct csv *c, int i, int *out)
{
	int64_t v;

	if (csv_int64(c, i, &v) == -1)
		return -1;
	if (v < -2147483647 || v > 2147483647)
		return csv_fail(c, "column %s: %lld out of range",
		    colname(c, i), (long long)v);
	*out = (int)v;
	return 0;
}

void
csv_put_double(FILE *fp, double v)
{
	if (!isnan(v))
		fprintf(fp, "%.17g", v);
}
