/*
 * parse: untrusted request input -> name/value pairs in the request arena.
 *
 * Query strings, urlencoded bodies, Cookie headers and multipart/form-data
 * bodies.  Pure code (no libfcgi, no I/O, no globals) so it is unit-tested
 * and fuzzed on its own.  The design decision: every byte that reaches a
 * handler has been percent-decoded, checked to be valid UTF-8 without NUL,
 * and bounded by struct http_limits; each way of failing has its own
 * enum http_perr so the caller can answer 400 or 413 with a clear message.
 * Multipart is a streaming state machine: file contents go to callbacks
 * chunk by chunk and are never held in memory by the parser.
 */
#ifndef ADEPT_HTTP_PARSE_H
#define ADEPT_HTTP_PARSE_H

#include <stddef.h>

struct arena;

enum http_perr {
	HTTP_POK = 0,
	HTTP_PERR_ESCAPE,	/* malformed %xx escape */
	HTTP_PERR_UTF8,		/* name or value is not valid UTF-8 */
	HTTP_PERR_NUL,		/* NUL byte in a name or value */
	HTTP_PERR_FIELDS,	/* more than maxfields fields */
	HTTP_PERR_NAMELEN,	/* a name longer than maxname bytes */
	HTTP_PERR_VALUELEN,	/* a value longer than maxvalue bytes */
	HTTP_PERR_BODYLEN,	/* body longer than maxbody (413) */
	HTTP_PERR_FILELEN,	/* an uploaded file longer than maxfile (413) */
	HTTP_PERR_CLEN,		/* CONTENT_LENGTH is not a number */
	HTTP_PERR_CTYPE,	/* wrong content type or bad/missing boundary */
	HTTP_PERR_MP_SYNTAX,	/* malformed multipart framing or headers */
	HTTP_PERR_MP_NONAME,	/* part without Content-Disposition name */
	HTTP_PERR_MP_TRUNC,	/* body ended before the closing boundary */
	HTTP_PERR_MP_PARTS,	/* more than maxparts parts */
	HTTP_PERR_MP_HEADER,	/* part headers longer than maxheader */
	HTTP_PERR_ABORT,	/* a callback asked to stop */
	HTTP_PERR__MAX
};

/* A plain-English sentence for the error, fit to show the user. */
const char	*http_perr_str(enum http_perr);
/* 413 for the size errors (BODYLEN, FILELEN), else 400. */
int		 http_perr_status(enum http_perr);

/*
 * Limits.  A zero member means the default below.  Lengths are in bytes
 * (after decoding).  maxfields bounds the pairs kept from one query string,
 * body or Cookie header; maxparts bounds multipart parts.
 */
struct http_limits {
	size_t	maxfields;	/* default 200 */
	size_t	maxname;	/* default 128 */
	size_t	maxvalue;	/* default 64 KiB; also non-file parts */
	size_t	maxbody;	/* default 1 MiB; urlencoded or multipart */
	size_t	maxfile;	/* default maxbody; one uploaded file */
	size_t	maxparts;	/* default 200 */
	size_t	maxheader;	/* default 8 KiB; one part's header block */
};

#define HTTP_MAXFIELDS	200
#define HTTP_MAXNAME	128
#define HTTP_MAXVALUE	(64 * 1024)
#define HTTP_MAXBODY	(1024 * 1024)
#define HTTP_MAXPARTS	200
#define HTTP_MAXHEADER	(8 * 1024)

/*
 * One decoded pair.  name and value are NUL-terminated and live in the
 * arena; valuelen is the value's length in bytes (values hold no NUL, so
 * it equals strlen(value); kept so callers need not recount).
 */
struct http_param {
	const char	*name;
	const char	*value;
	size_t		 valuelen;
};

/*
 * Returns 1 if s[0..len) is well-formed UTF-8: no overlong forms, no
 * surrogates (U+D800..U+DFFF), nothing above U+10FFFF, no truncated
 * sequence.  NUL is valid UTF-8; callers reject it separately.
 */
int	 http_utf8_valid(const char *s, size_t len);
/* Number of code points in valid UTF-8 s[0..len). */
size_t	 http_utf8_len(const char *s, size_t len);

/*
 * Percent-decodes s[0..len) into dst (which may be s itself; the result is
 * never longer).  With plus set, '+' decodes to a space (query strings and
 * form bodies).  Returns HTTP_POK and sets *outlen, or HTTP_PERR_ESCAPE for
 * "%" not followed by two hex digits.  Does not check UTF-8 or NUL.
 */
enum http_perr	http_pct_decode(char *dst, const char *s, size_t len,
		    int plus, size_t *outlen);

/*
 * Parses a query string or an application/x-www-form-urlencoded body
 * (s[0..len), need not be NUL-terminated): pairs split on '&', name and
 * value on the first '='; "+" is a space; a pair without '=' has the value
 * ""; empty pairs ("a=1&&b=2") and pairs with an empty name are skipped.
 * Every decoded name and value must be valid UTF-8 without NUL.  Duplicate
 * names are all kept, in order.  On success *out (arena, never NULL) and
 * *nout are set; on error they are left alone and nothing useful is in
 * the arena.  lim may be NULL for the defaults; len > maxbody is
 * HTTP_PERR_BODYLEN.
 */
enum http_perr	http_parse_urlencoded(struct arena *, const char *s,
		    size_t len, const struct http_limits *lim,
		    struct http_param **out, size_t *nout);

/*
 * Checks a CONTENT_LENGTH value (NULL or "" means 0) before the body is
 * read: HTTP_PERR_CLEN if it is not a plain decimal number,
 * HTTP_PERR_BODYLEN if it exceeds max (the caller answers 413), else
 * HTTP_POK with *out set.
 */
enum http_perr	http_content_length(const char *s, size_t max, size_t *out);

/*
 * Returns 1 if the Content-Type header ctype (may be NULL) has the media
 * type mime (e.g. "application/x-www-form-urlencoded"), compared without
 * case and ignoring parameters.
 */
int		http_mime_is(const char *ctype, const char *mime);

/*
 * Parses a Cookie header (may be NULL) leniently, as RFC 6265 section 5.4
 * user agents send it: pairs split on ';', whitespace trimmed, one pair of
 * surrounding double quotes removed from the value.  Values are not
 * percent-decoded.  Pairs that are malformed (no '=', empty name, control
 * characters, invalid UTF-8, quote inside an unquoted value) or longer
 * than maxname/maxvalue are skipped, and pairs past maxfields are dropped:
 * a stray cookie from another application must not cost the user their
 * session.  Never fails; returns the number of pairs in *out (arena).
 */
size_t		http_parse_cookies(struct arena *, const char *header,
		    const struct http_limits *lim, struct http_param **out);

/* The first param named name, or NULL. */
const struct http_param *http_param_get(const struct http_param *,
		    size_t n, const char *name);
/* Its value, or NULL if absent. */
const char	*http_param_value(const struct http_param *, size_t n,
		    const char *name);

/*
 * Streaming multipart/form-data (RFC 7578, framing of RFC 2046).
 *
 * One part as the callbacks see it.  name is the form field name; filename
 * is the filename parameter as sent (may be "", may contain a path: never
 * use it as a path) or NULL when the part is not a file; ctype is the
 * part's Content-Type or NULL.  All NUL-terminated, valid UTF-8, in the
 * arena, valid until the arena is reset.  size counts the data bytes
 * delivered so far.
 */
struct http_part {
	const char	*name;
	const char	*filename;
	const char	*ctype;
	size_t		 size;
	size_t		 index;	/* 0-based part number */
};

/*
 * Callbacks (any may be NULL).  Each returns 0 to go on, or an
 * enum http_perr value to stop the parse with that error (HTTP_PERR_ABORT
 * when no other fits; HTTP_PERR_FILELEN for a per-type size limit, say).
 * data() gets the part body in pieces of any size, never past the part.
 *
 * With collect set, parts without a filename are not passed to the
 * callbacks: the parser keeps them (bounded by maxvalue) and
 * http_multipart_params() returns them as http_params.  Parts with a
 * filename always go to the callbacks and are never buffered.
 */
struct http_multipart_cb {
	int	(*start)(void *arg, const struct http_part *);
	int	(*data)(void *arg, const struct http_part *,
		    const char *buf, size_t len);
	int	(*end)(void *arg, const struct http_part *);
	void	*arg;
	int	 collect;
};

struct http_multipart;

/*
 * Starts a parse.  ctype is the request's Content-Type header; it must be
 * multipart/form-data with a boundary parameter (token or quoted string,
 * 1..70 characters of RFC 2046's bchars).  Returns NULL and sets *err to
 * HTTP_PERR_CTYPE if not.  cb is copied; lim may be NULL.
 */
struct http_multipart	*http_multipart_new(struct arena *,
		    const char *ctype, const struct http_limits *lim,
		    const struct http_multipart_cb *cb, enum http_perr *err);

/*
 * Feeds the next len bytes of the body, split anywhere.  Returns HTTP_POK
 * or the first error; errors are sticky (later calls return it again).
 * Non-file parts must be UTF-8 without NUL and at most maxvalue bytes;
 * file parts at most maxfile; the whole body at most maxbody.  Bytes after
 * the closing boundary are ignored.
 */
enum http_perr	http_multipart_feed(struct http_multipart *,
		    const char *data, size_t len);

/*
 * Ends the body.  HTTP_PERR_MP_TRUNC if the closing boundary was not seen
 * (a part then stays open: end() is not called for it).
 */
enum http_perr	http_multipart_finish(struct http_multipart *);

/* The collected non-file fields (collect mode), in body order. */
void		http_multipart_params(const struct http_multipart *,
		    struct http_param **out, size_t *nout);

/*
 * One shot: parses a whole multipart body held in memory, collecting the
 * non-file fields and skipping file contents.  For tests, fuzzing and
 * small bodies; uploads should stream.
 */
enum http_perr	http_parse_multipart(struct arena *, const char *ctype,
		    const char *body, size_t len,
		    const struct http_limits *lim,
		    struct http_param **out, size_t *nout);

#endif
