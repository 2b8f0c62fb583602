/*
 * parse: query strings, urlencoded bodies, cookies and streamed multipart;
 * see parse.h for the contracts.
 *
 * Everything is decoded into the request arena and nothing is freed.  The
 * multipart parser is a byte-driven state machine: it never looks back
 * further than the part of the delimiter ("\r\n--boundary") matched so far,
 * and that prefix is known text, so a chunk split anywhere (even one byte
 * at a time) gives the same callbacks' bytes as one big chunk.  Because a
 * boundary cannot contain '\r', a failed partial match can only restart at
 * the current byte, which keeps the matcher a plain counter.
 */
#include <stdint.h>
#include <string.h>

#include "base/arena.h"
#include "http/parse.h"

static const char *const perr_str[HTTP_PERR__MAX] = {
	[HTTP_POK] = "No error.",
	[HTTP_PERR_ESCAPE] = "The request contains a malformed %-escape.",
	[HTTP_PERR_UTF8] = "The request contains text that is not valid UTF-8.",
	[HTTP_PERR_NUL] = "The request contains a NUL character.",
	[HTTP_PERR_FIELDS] = "The request has too many fields.",
	[HTTP_PERR_NAMELEN] = "The request has a field name that is too long.",
	[HTTP_PERR_VALUELEN] = "The request has a field value that is too long.",
	[HTTP_PERR_BODYLEN] = "The request body is too large.",
	[HTTP_PERR_FILELEN] = "The uploaded file is too large.",
	[HTTP_PERR_CLEN] = "The request has an invalid Content-Length.",
	[HTTP_PERR_CTYPE] = "The request has an unsupported or malformed "
	    "Content-Type.",
	[HTTP_PERR_MP_SYNTAX] = "The multipart request body is malformed.",
	[HTTP_PERR_MP_NONAME] = "A part of the multipart request has no "
	    "field name.",
	[HTTP_PERR_MP_TRUNC] = "The multipart request body ended too early.",
	[HTTP_PERR_MP_PARTS] = "The multipart request has too many parts.",
	[HTTP_PERR_MP_HEADER] = "A part of the multipart request has headers "
	    "that are too long.",
	[HTTP_PERR_ABORT] = "The request was rejected.",
};

const char *
http_perr_str(enum http_perr e)
{
	if ((unsigned)e >= HTTP_PERR__MAX)
		return "Unknown request error.";
	return perr_str[e];
}

int
http_perr_status(enum http_perr e)
{
	return (e == HTTP_PERR_BODYLEN || e == HTTP_PERR_FILELEN) ? 413 : 400;
}

static struct http_limits
limits(const struct http_limits *l)
{
	struct http_limits r = { 0 };

	if (l != NULL)
		r = *l;
	if (r.maxfields == 0)
		r.maxfields = HTTP_MAXFIELDS;
	if (r.maxname == 0)
		r.maxname = HTTP_MAXNAME;
	if (r.maxvalue == 0)
		r.maxvalue = HTTP_MAXVALUE;
	if (r.maxbody == 0)
		r.maxbody = HTTP_MAXBODY;
	if (r.maxfile == 0)
		r.maxfile = r.maxbody;
	if (r.maxparts == 0)
		r.maxparts = HTTP_MAXPARTS;
	if (r.maxheader == 0)
		r.maxheader = HTTP_MAXHEADER;
	return r;
}

/* ---- UTF-8 ------------------------------------------------------------ */

/*
 * Incremental validator: need continuation bytes are still expected and
 * the next one must lie in [lo, hi].  The narrowed first-continuation
 * ranges exclude overlongs (E0, F0), surrogates (ED) and > U+10FFFF (F4).
 */
struct utf8 {
	unsigned char	need, lo, hi;
};

static int
utf8_step(struct utf8 *u, unsigned char c)
{
	if (u->need) {
		if (c < u->lo || c > u->hi)
			return -1;
		u->lo = 0x80;
		u->hi = 0xBF;
		u->need--;
		return 0;
	}
	if (c < 0x80)
		return 0;
	u->lo = 0x80;
	u->hi = 0xBF;
	if (c < 0xC2)		/* stray continuation, or overlong C0/C1 */
		return -1;
	if (c < 0xE0)
		u->need = 1;
	else if (c < 0xF0) {
		u->need = 2;
		if (c == 0xE0)
			u->lo = 0xA0;
		else if (c == 0xED)
			u->hi = 0x9F;
	} else if (c < 0xF5) {
		u->need = 3;
		if (c == 0xF0)
			u->lo = 0x90;
		else if (c == 0xF4)
			u->hi = 0x8F;
	} else
		return -1;
	return 0;
}

int
http_utf8_valid(const char *s, size_t len)
{
	struct utf8 u = { 0, 0x80, 0xBF };
	size_t i;

	for (i = 0; i < len; i++) {
		if (u.need == 0 && (unsigned char)s[i] < 0x80)
			continue;
		if (utf8_step(&u, (unsigned char)s[i]) != 0)
			return 0;
	}
	return u.need == 0;
}

size_t
http_utf8_len(const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			n++;
	return n;
}

/* ---- percent-decoding and urlencoded ------------------------------------ */

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

enum http_perr
http_pct_decode(char *dst, const char *s, size_t len, int plus,
    size_t *outlen)
{
	size_t i, j = 0;
	int hi, lo;

	for (i = 0; i < len; i++) {
		if (s[i] == '%') {
			if (len - i < 3 || (hi = hexval(s[i + 1])) < 0 ||
			    (lo = hexval(s[i + 2])) < 0)
				return HTTP_PERR_ESCAPE;
			dst[j++] = (char)(hi << 4 | lo);
			i += 2;
		} else if (s[i] == '+' && plus)
			dst[j++] = ' ';
		else
			dst[j++] = s[i];
	}
	*outlen = j;
	return HTTP_POK;
}

/*
 * Decodes one name or value into the arena, checking its length against
 * max (error toolong), NUL and UTF-8.
 */
static enum http_perr
decode_part(struct arena *a, const char *s, size_t len, size_t max,
    enum http_perr toolong, char **out, size_t *outlen)
{
	enum http_perr e;
	char *d;
	size_t n;

	d = arena_alloc(a, len + 1);
	if ((e = http_pct_decode(d, s, len, 1, &n)) != HTTP_POK)
		return e;
	if (n > max)
		return toolong;
	if (memchr(d, '\0', n) != NULL)
		return HTTP_PERR_NUL;
	if (!http_utf8_valid(d, n))
		return HTTP_PERR_UTF8;
	d[n] = '\0';
	*out = d;
	*outlen = n;
	return HTTP_POK;
}

enum http_perr
http_parse_urlencoded(struct arena *a, const char *s, size_t len,
    const struct http_limits *limp, struct http_param **out, size_t *nout)
{
	struct http_limits lim = limits(limp);
	struct http_param *v;
	const char *p, *end, *amp, *eq;
	size_t cap, n = 0, nl, vl;
	char *name, *value;
	enum http_perr e;

	if (len > lim.maxbody)
		return HTTP_PERR_BODYLEN;
	cap = 1;
	for (p = s, end = s + len; cap <= lim.maxfields &&
	    (amp = memchr(p, '&', (size_t)(end - p))) != NULL; p = amp + 1)
		cap++;
	if (cap > lim.maxfields)
		cap = lim.maxfields;
	v = arena_calloc(a, cap, sizeof(*v));

	for (p = s, end = s + len; p < end; p = amp + 1) {
		if ((amp = memchr(p, '&', (size_t)(end - p))) == NULL)
			amp = end;
		if ((eq = memchr(p, '=', (size_t)(amp - p))) == NULL)
			eq = amp;
		if (eq == p)	/* empty pair or empty name */
			continue;
		if (n == lim.maxfields)
			return HTTP_PERR_FIELDS;
		e = decode_part(a, p, (size_t)(eq - p), lim.maxname,
		    HTTP_PERR_NAMELEN, &name, &nl);
		if (e != HTTP_POK)
			return e;
		if (eq == amp)
			e = decode_part(a, eq, 0, lim.maxvalue,
			    HTTP_PERR_VALUELEN, &value, &vl);
		else
			e = decode_part(a, eq + 1, (size_t)(amp - eq - 1),
			    lim.maxvalue, HTTP_PERR_VALUELEN, &value, &vl);
		if (e != HTTP_POK)
			return e;
		v[n].name = name;
		v[n].value = value;
		v[n].valuelen = vl;
		n++;
	}
	*out = v;
	*nout = n;
	return HTTP_POK;
}

enum http_perr
http_content_length(const char *s, size_t max, size_t *out)
{
	size_t n = 0;

	if (s == NULL || *s == '\0') {
		*out = 0;
		return HTTP_POK;
	}
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return HTTP_PERR_CLEN;
		if (n > (SIZE_MAX - 9) / 10) {
			/* Too big for size_t: surely over max, if numeric. */
			while (*s >= '0' && *s <= '9')
				s++;
			return *s == '\0' ? HTTP_PERR_BODYLEN : HTTP_PERR_CLEN;
		}
		n = n * 10 + (size_t)(*s - '0');
	}
	if (n > max)
		return HTTP_PERR_BODYLEN;
	*out = n;
	return HTTP_POK;
}

static int
lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

static int
ieq(const char *a, size_t alen, const char *b)
{
	size_t i;

	for (i = 0; i < alen; i++)
		if (b[i] == '\0' || lower((unsigned char)a[i]) !=
		    lower((unsigned char)b[i]))
			return 0;
	return b[i] == '\0';
}

static int
is_ws(int c)
{
	return c == ' ' || c == '\t';
}

int
http_mime_is(const char *ctype, const char *mime)
{
	size_t n = strlen(mime);
	const char *e;

	if (ctype == NULL)
		return 0;
	while (is_ws(*ctype))
		ctype++;
	for (e = ctype; *e != '\0' && *e != ';' && !is_ws(*e); e++)
		continue;
	return (size_t)(e - ctype) == n && ieq(ctype, n, mime);
}

/* ---- cookies -------------------------------------------------------- */

static int
has_ctl(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 1;
	return 0;
}

size_t
http_parse_cookies(struct arena *a, const char *h,
    const struct http_limits *limp, struct http_param **out)
{
	struct http_limits lim = limits(limp);
	struct http_param *v;
	const char *p, *end, *semi, *eq, *ns, *ne, *vs, *ve;
	size_t cap = 1, n = 0;

	if (h == NULL)
		h = "";
	for (p = h; cap < lim.maxfields && (p = strchr(p, ';')) != NULL; p++)
		cap++;
	v = arena_calloc(a, cap, sizeof(*v));
	for (p = h, end = h + strlen(h); p < end && n < cap; p = semi + 1) {
		if ((semi = memchr(p, ';', (size_t)(end - p))) == NULL)
			semi = end;
		if ((eq = memchr(p, '=', (size_t)(semi - p))) == NULL)
			continue;
		for (ns = p; ns < eq && is_ws(*ns); ns++)
			continue;
		for (ne = eq; ne > ns && is_ws(ne[-1]); ne--)
			continue;
		for (vs = eq + 1; vs < semi && is_ws(*vs); vs++)
			continue;
		for (ve = semi; ve > vs && is_ws(ve[-1]); ve--)
			continue;
		if (ve - vs >= 2 && *vs == '"' && ve[-1] == '"') {
			vs++;
			ve--;
		}
		if (ns == ne || (size_t)(ne - ns) > lim.maxname ||
		    (size_t)(ve - vs) > lim.maxvalue ||
		    has_ctl(ns, (size_t)(ne - ns)) ||
		    has_ctl(vs, (size_t)(ve - vs)) ||
		    !http_utf8_valid(ns, (size_t)(ne - ns)) ||
		    !http_utf8_valid(vs, (size_t)(ve - vs)))
			continue;
		v[n].name = arena_strndup(a, ns, (size_t)(ne - ns));
		v[n].value = arena_strndup(a, vs, (size_t)(ve - vs));
		v[n].valuelen = (size_t)(ve - vs);
		n++;
	}
	*out = v;
	return n;
}

const struct http_param *
http_param_get(const struct http_param *v, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i].name, name) == 0)
			return &v[i];
	return NULL;
}

const char *
http_param_value(const struct http_param *v, size_t n, const char *name)
{
	const struct http_param *p = http_param_get(v, n, name);

	return p != NULL ? p->value : NULL;
}

/* ---- header parameters (Content-Type, Content-Disposition) ------------- */

struct span {
	const char	*p;
	size_t		 len;
};

static void
trim(const char **s, const char **e)
{
	while (*s < *e && is_ws(**s))
		(*s)++;
	while (*e > *s && is_ws((*e)[-1]))
		(*e)--;
}

/*
 * Reads the next "; key=value" from [*sp, end): value a token or a quoted
 * string (taken literally up to the next '"': browsers percent-encode
 * quotes in names and do not use backslash escapes).  Returns 1 with key
 * and val set (val.p NULL for a bare key), 0 at the end, -1 if malformed.
 */
static int
next_param(const char **sp, const char *end, struct span *key,
    struct span *val)
{
	const char *s = *sp, *ks, *ke, *vs, *ve, *q;

	while (s < end && (is_ws(*s) || *s == ';'))
		s++;
	if (s == end)
		return 0;
	for (ks = s; s < end && *s != '=' && *s != ';'; s++)
		continue;
	ke = s;
	trim(&ks, &ke);
	if (ks == ke)
		return -1;
	key->p = ks;
	key->len = (size_t)(ke - ks);
	val->p = NULL;
	val->len = 0;
	if (s < end && *s == '=') {
		for (s++; s < end && is_ws(*s); s++)
			continue;
		if (s < end && *s == '"') {
			if ((q = memchr(s + 1, '"', (size_t)(end - s - 1))) ==
			    NULL)
				return -1;
			val->p = s + 1;
			val->len = (size_t)(q - s - 1);
			for (s = q + 1; s < end && is_ws(*s); s++)
				continue;
			if (s < end && *s != ';')
				return -1;
		} else {
			for (vs = s; s < end && *s != ';'; s++)
				continue;
			ve = s;
			trim(&vs, &ve);
			val->p = vs;
			val->len = (size_t)(ve - vs);
		}
	}
	*sp = s;
	return 1;
}

/* RFC 2046 boundary: 1..70 bchars, not ending in a space; never '\r'. */
static int
boundary_ok(const char *s, size_t len)
{
	static const char extra[] = "'()+_,-./:=? ";
	size_t i;

	if (len < 1 || len > 70 || s[len - 1] == ' ')
		return 0;
	for (i = 0; i < len; i++) {
		if ((s[i] >= '0' && s[i] <= '9') ||
		    (s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z'))
			continue;
		if (s[i] == '\0' || strchr(extra, s[i]) == NULL)
			return 0;
	}
	return 1;
}

/* ---- multipart -------------------------------------------------------- */

enum mpstate {
	S_PREAMBLE,	/* before the first delimiter: discarded */
	S_DELIM_END,	/* just after a delimiter */
	S_DASH2,	/* saw "-" after a delimiter, want the second */
	S_LWSP,		/* transport padding after a delimiter */
	S_LF,		/* saw '\r' after a delimiter */
	S_HEADERS,	/* a part's header block */
	S_DATA,		/* a part's body */
	S_EPILOGUE,	/* after the closing delimiter: discarded */
};

struct http_multipart {
	struct arena		*a;
	struct http_limits	 lim;
	struct http_multipart_cb cb;
	enum mpstate		 state;
	enum http_perr		 err;
	char			*delim;	/* "\r\n--" boundary */
	size_t			 dlen;
	size_t			 k;	/* delimiter bytes matched */
	size_t			 total;	/* body bytes fed */
	char			*hbuf;	/* current header block */
	size_t			 hlen;
	struct http_part	 part;
	size_t			 nparts;
	int			 isfile;
	int			 kept;	/* collected, not given to callbacks */
	struct utf8		 u;
	char			*vbuf;	/* collected value */
	size_t			 vlen, vcap;
	struct http_param	*params;
	size_t			 nparams, pcap;
};

struct http_multipart *
http_multipart_new(struct arena *a, const char *ctype,
    const struct http_limits *limp, const struct http_multipart_cb *cb,
    enum http_perr *err)
{
	struct http_multipart *m;
	struct span key, val, bnd = { NULL, 0 };
	const char *s, *end;
	int r;

	if (!http_mime_is(ctype, "multipart/form-data"))
		goto bad;
	s = strchr(ctype, ';');
	end = ctype + strlen(ctype);
	while (s != NULL && (r = next_param(&s, end, &key, &val)) != 0) {
		if (r < 0)
			goto bad;
		if (ieq(key.p, key.len, "boundary")) {
			if (bnd.p != NULL || val.p == NULL)
				goto bad;
			bnd = val;
		}
	}
	if (bnd.p == NULL || !boundary_ok(bnd.p, bnd.len))
		goto bad;

	m = arena_calloc(a, 1, sizeof(*m));
	m->a = a;
	m->lim = limits(limp);
	if (cb != NULL)
		m->cb = *cb;
	m->state = S_PREAMBLE;
	m->dlen = bnd.len + 4;
	m->delim = arena_alloc(a, m->dlen + 1);
	memcpy(m->delim, "\r\n--", 4);
	memcpy(m->delim + 4, bnd.p, bnd.len);
	m->delim[m->dlen] = '\0';
	m->k = 2;	/* the first delimiter may open the body, sans CRLF */
	m->hbuf = arena_alloc(a, m->lim.maxheader);
	m->params = arena_calloc(a, 1, sizeof(*m->params));
	*err = HTTP_POK;
	return m;
bad:
	*err = HTTP_PERR_CTYPE;
	return NULL;
}

static enum http_perr
fail(struct http_multipart *m, enum http_perr e)
{
	if (m->err == HTTP_POK)
		m->err = e;
	return m->err;
}

/* Maps a callback's return to an error (0 = go on). */
static enum http_perr
cbret(struct http_multipart *m, int r)
{
	if (r == 0)
		return HTTP_POK;
	if (r < 0 || r >= HTTP_PERR__MAX)
		r = HTTP_PERR_ABORT;
	return fail(m, (enum http_perr)r);
}

/* Parses the header block in hbuf into m->part. */
static enum http_perr
part_headers(struct http_multipart *m)
{
	const char *s = m->hbuf, *end = m->hbuf + m->hlen, *eol, *colon;
	const char *ns, *ne, *vs, *ve, *dt, *q;
	struct span key, val, name = { NULL, 0 }, fname = { NULL, 0 };
	int seen = 0, r;

	memset(&m->part, 0, sizeof(m->part));
	if (!http_utf8_valid(m->hbuf, m->hlen))
		return HTTP_PERR_UTF8;
	for (; s < end; s = eol + 2) {
		/* hbuf ends in "\r\n", and a '\r' is always followed by '\n'. */
		eol = memchr(s, '\r', (size_t)(end - s));
		if (eol == s)
			break;
		if (is_ws(*s) || (colon = memchr(s, ':',
		    (size_t)(eol - s))) == NULL)
			return HTTP_PERR_MP_SYNTAX;
		ns = s;
		ne = colon;
		vs = colon + 1;
		ve = eol;
		trim(&ns, &ne);
		trim(&vs, &ve);
		for (q = vs; q < ve; q++)
			if (((unsigned char)*q < 0x20 && *q != '\t') ||
			    *q == 0x7f)
				return HTTP_PERR_MP_SYNTAX;
		if (ieq(ns, (size_t)(ne - ns), "content-type")) {
			if (m->part.ctype != NULL)
				return HTTP_PERR_MP_SYNTAX;
			m->part.ctype = arena_strndup(m->a, vs,
			    (size_t)(ve - vs));
		} else if (ieq(ns, (size_t)(ne - ns), "content-disposition")) {
			if (seen++)
				return HTTP_PERR_MP_SYNTAX;
			for (dt = vs; vs < ve && *vs != ';'; vs++)
				continue;
			ne = vs;
			trim(&dt, &ne);
			if (!ieq(dt, (size_t)(ne - dt), "form-data"))
				return HTTP_PERR_MP_SYNTAX;
			while ((r = next_param(&vs, ve, &key, &val)) != 0) {
				if (r < 0 || val.p == NULL)
					return HTTP_PERR_MP_SYNTAX;
				if (ieq(key.p, key.len, "name")) {
					if (name.p != NULL)
						return HTTP_PERR_MP_SYNTAX;
					name = val;
				} else if (ieq(key.p, key.len, "filename")) {
					if (fname.p != NULL)
						return HTTP_PERR_MP_SYNTAX;
					fname = val;
				}
			}
		}
	}
	if (name.p == NULL || name.len == 0)
		return HTTP_PERR_MP_NONAME;
	if (name.len > m->lim.maxname)
		return HTTP_PERR_NAMELEN;
	m->part.name = arena_strndup(m->a, name.p, name.len);
	if (fname.p != NULL)
		m->part.filename = arena_strndup(m->a, fname.p, fname.len);
	m->part.index = m->nparts - 1;
	m->isfile = fname.p != NULL;
	m->kept = !m->isfile && m->cb.collect;
	m->u.need = 0;
	m->vlen = 0;
	m->vcap = 0;
	m->vbuf = NULL;
	return HTTP_POK;
}

static void
keep(struct http_multipart *m, const char *p, size_t len)
{
	char *nb;
	size_t ncap;

	if (m->vlen + len + 1 > m->vcap) {
		ncap = m->vcap ? m->vcap : 256;
		while (ncap < m->vlen + len + 1)
			ncap *= 2;
		nb = arena_alloc(m->a, ncap);
		if (m->vlen)
			memcpy(nb, m->vbuf, m->vlen);
		m->vbuf = nb;
		m->vcap = ncap;
	}
	memcpy(m->vbuf + m->vlen, p, len);
	m->vlen += len;
}

/* Part body bytes: checked, then kept or passed on. */
static enum http_perr
emit(struct http_multipart *m, const char *p, size_t len)
{
	size_t i;

	if (m->state != S_DATA || len == 0)
		return HTTP_POK;
	if (m->isfile) {
		if (len > m->lim.maxfile - m->part.size)
			return fail(m, HTTP_PERR_FILELEN);
	} else {
		/*
		 * Byte by byte, in order, so the error is the same however
		 * the body was split.
		 */
		for (i = 0; i < len; i++) {
			if (m->part.size + i == m->lim.maxvalue)
				return fail(m, HTTP_PERR_VALUELEN);
			if (p[i] == '\0')
				return fail(m, HTTP_PERR_NUL);
			if (utf8_step(&m->u, (unsigned char)p[i]) != 0)
				return fail(m, HTTP_PERR_UTF8);
		}
	}
	m->part.size += len;
	if (m->kept) {
		keep(m, p, len);
		return HTTP_POK;
	}
	if (m->cb.data != NULL)
		return cbret(m, m->cb.data(m->cb.arg, &m->part, p, len));
	return HTTP_POK;
}

static enum http_perr
part_end(struct http_multipart *m)
{
	struct http_param *np;
	size_t ncap;

	if (!m->isfile && m->u.need != 0)
		return fail(m, HTTP_PERR_UTF8);
	if (!m->kept) {
		if (m->cb.end != NULL)
			return cbret(m, m->cb.end(m->cb.arg, &m->part));
		return HTTP_POK;
	}
	if (m->nparams == m->pcap) {
		ncap = m->pcap ? m->pcap * 2 : 16;
		np = arena_alloc(m->a, ncap * sizeof(*np));
		if (m->nparams)
			memcpy(np, m->params, m->nparams * sizeof(*np));
		m->params = np;
		m->pcap = ncap;
	}
	np = &m->params[m->nparams++];
	np->name = m->part.name;
	np->value = m->vlen ? m->vbuf : "";
	if (m->vlen)
		m->vbuf[m->vlen] = '\0';
	np->valuelen = m->vlen;
	return HTTP_POK;
}

/*
 * Scans part body (or preamble) bytes from p[i] for the delimiter, passing
 * the bytes that are not part of it to emit().  Returns the index after
 * the delimiter, or len if the chunk ran out first.
 */
static size_t
scan(struct http_multipart *m, const char *p, size_t len, size_t i)
{
	size_t run = i, k;
	const char *q;

	while (i < len) {
		if (m->k == 0) {
			if ((q = memchr(p + i, '\r', len - i)) == NULL) {
				i = len;
				break;
			}
			i = (size_t)(q - p);
			if (emit(m, p + run, i - run) != HTTP_POK)
				return len;
			m->k = 1;
			i++;
			continue;
		}
		if (p[i] == m->delim[m->k]) {
			i++;
			if (++m->k == m->dlen) {
				m->k = 0;
				if (m->state == S_DATA &&
				    part_end(m) != HTTP_POK)
					return len;
				m->state = S_DELIM_END;
				return i;
			}
			continue;
		}
		/* Mismatch: the held prefix was data; p[i] is looked at anew. */
		k = m->k;
		m->k = 0;
		if (emit(m, m->delim, k) != HTTP_POK)
			return len;
		run = i;
	}
	if (m->k == 0)
		emit(m, p + run, len - run);
	return len;
}

/* Takes header bytes from p[i]; returns the index after those used. */
static size_t
headers(struct http_multipart *m, const char *p, size_t len, size_t i)
{
	enum http_perr e;
	char c;

	for (; i < len; i++) {
		c = p[i];
		if (m->hlen == m->lim.maxheader) {
			fail(m, HTTP_PERR_MP_HEADER);
			return len;
		}
		if (m->hlen > 0 && m->hbuf[m->hlen - 1] == '\r' && c != '\n') {
			fail(m, HTTP_PERR_MP_SYNTAX);
			return len;
		}
		if (c == '\n' && (m->hlen == 0 || m->hbuf[m->hlen - 1] != '\r')) {
			fail(m, HTTP_PERR_MP_SYNTAX);
			return len;
		}
		m->hbuf[m->hlen++] = c;
		if (c != '\n')
			continue;
		if (m->hlen == 2 || (m->hlen >= 4 &&
		    memcmp(m->hbuf + m->hlen - 4, "\r\n\r\n", 4) == 0)) {
			if ((e = part_headers(m)) != HTTP_POK) {
				fail(m, e);
				return len;
			}
			m->state = S_DATA;
			m->k = 0;
			if (!m->kept && m->cb.start != NULL &&
			    cbret(m, m->cb.start(m->cb.arg, &m->part)) !=
			    HTTP_POK)
				return len;
			return i + 1;
		}
	}
	return len;
}

enum http_perr
http_multipart_feed(struct http_multipart *m, const char *p, size_t len)
{
	size_t i = 0;
	char c;

	if (m->err != HTTP_POK)
		return m->err;
	if (len > m->lim.maxbody - m->total)
		return fail(m, HTTP_PERR_BODYLEN);
	m->total += len;
	while (i < len && m->err == HTTP_POK) {
		switch (m->state) {
		case S_PREAMBLE:
		case S_DATA:
			i = scan(m, p, len, i);
			continue;
		case S_HEADERS:
			i = headers(m, p, len, i);
			continue;
		case S_EPILOGUE:
			return HTTP_POK;
		default:
			break;
		}
		c = p[i++];
		switch (m->state) {
		case S_DELIM_END:
			if (c == '-')
				m->state = S_DASH2;
			else if (is_ws(c))
				m->state = S_LWSP;
			else if (c == '\r')
				m->state = S_LF;
			else
				fail(m, HTTP_PERR_MP_SYNTAX);
			break;
		case S_DASH2:
			if (c == '-')
				m->state = S_EPILOGUE;
			else
				fail(m, HTTP_PERR_MP_SYNTAX);
			break;
		case S_LWSP:
			if (c == '\r')
				m->state = S_LF;
			else if (!is_ws(c))
				fail(m, HTTP_PERR_MP_SYNTAX);
			break;
		case S_LF:
			if (c != '\n')
				fail(m, HTTP_PERR_MP_SYNTAX);
			else if (m->nparts == m->lim.maxparts)
				fail(m, HTTP_PERR_MP_PARTS);
			else {
				m->nparts++;
				m->hlen = 0;
				m->state = S_HEADERS;
			}
			break;
		default:
			break;
		}
	}
	return m->err;
}

enum http_perr
http_multipart_finish(struct http_multipart *m)
{
	if (m->err != HTTP_POK)
		return m->err;
	if (m->state != S_EPILOGUE)
		return fail(m, HTTP_PERR_MP_TRUNC);
	return HTTP_POK;
}

void
http_multipart_params(const struct http_multipart *m,
    struct http_param **out, size_t *nout)
{
	*out = m->params;
	*nout = m->nparams;
}

enum http_perr
http_parse_multipart(struct arena *a, const char *ctype, const char *body,
    size_t len, const struct http_limits *lim, struct http_param **out,
    size_t *nout)
{
	struct http_multipart_cb cb = { .collect = 1 };
	struct http_multipart *m;
	enum http_perr e;

	if ((m = http_multipart_new(a, ctype, lim, &cb, &e)) == NULL)
		return e;
	if ((e = http_multipart_feed(m, body, len)) != HTTP_POK ||
	    (e = http_multipart_finish(m)) != HTTP_POK)
		return e;
	http_multipart_params(m, out, nout);
	return HTTP_POK;
}
