/*
 * field: declared form fields and their validators (the kcgi model).
 *
 * A route declares an array of struct http_field; before its handler runs,
 * http_validate() checks the request's params against it and fills a
 * struct http_form whose slots are indexed like the array, so a handler
 * reads typed values (form.i64[F_AGE]) and never parses text itself.  The
 * design decision: validation never fails the request by itself; it
 * records one plain-English message per bad field, so the page can show
 * the form again with every problem at once (or the API can list them).
 */
#ifndef ADEPT_HTTP_FIELD_H
#define ADEPT_HTTP_FIELD_H

#include <stddef.h>

struct arena;
struct http_param;

enum http_ftype {
	HTTP_FT_STRING = 0,	/* one line of text, trimmed */
	HTTP_FT_TEXT,		/* multi-line text: \n and \t allowed */
	HTTP_FT_EMAIL,		/* an address, trimmed, domain lowercased */
	HTTP_FT_INT,		/* decimal integer -> i64 */
	HTTP_FT_DOUBLE,		/* decimal number -> dbl */
	HTTP_FT_BOOL,		/* checkbox -> i64 0 or 1 */
	HTTP_FT_ENUM,		/* one of choices -> i64 = its index */
	HTTP_FT_ID,		/* identifier/UUID: [A-Za-z0-9_-]+ */
	HTTP_FT_PASSWORD,	/* anything but control characters, untrimmed */
	HTTP_FT__MAX
};

/*
 * One declared field.  Lengths count characters (UTF-8 code points), after
 * trimming; maxlen 0 means the type's default (STRING 255, TEXT none
 * beyond the parser's byte limit, EMAIL 254, ID 64, PASSWORD 1024).
 * min/max bound INT and DOUBLE values, inclusive, and apply unless both
 * are 0 (use LLONG_MIN/LLONG_MAX for one-sided bounds).  choices (ENUM) is
 * NULL-terminated.  label names the field in messages; NULL means the name
 * with '_' as spaces and a capital first letter ("display_name" ->
 * "Display name").
 */
struct http_field {
	const char		*name;
	enum http_ftype		 type;
	size_t			 minlen, maxlen;
	long long		 min, max;
	const char *const	*choices;
	int			 required;
	const char		*label;
};

/*
 * Validated input, slots indexed like the fields array.
 *
 * present[i]: the field was sent with a non-empty value (after trimming; a
 *   checkbox counts as present when sent at all).
 * str[i]: the normalized text (trimmed; TEXT with CRLF and CR turned into
 *   LF; EMAIL with its domain lowercased), "" when absent, never NULL.  On
 *   error it still holds what was sent, to show the form again, except for
 *   passwords ("").
 * len[i]: strlen(str[i]).
 * i64[i]: INT value, BOOL 0/1, ENUM index (-1 when absent or bad).
 * dbl[i]: DOUBLE value (INT too, converted).
 * err[i]: a message such as "Email is not a valid address", or NULL.
 * nerr: how many fields have an error.
 */
struct http_form {
	size_t		  n;
	size_t		  nerr;
	int		 *present;
	const char	**str;
	size_t		 *len;
	long long	 *i64;
	double		 *dbl;
	const char	**err;
};

/*
 * Validates params against fields[0..nfields) into *out (arrays in the
 * arena).  Params not declared are ignored.  When a name is sent more than
 * once, the first occurrence wins (the worker puts body params before
 * query params, so the form beats the URL).  Absent optional fields are
 * not errors; an absent or empty required field is "X is required" (a
 * required BOOL must be checked: "X must be checked").  Returns 0 if
 * every field is valid, else -1 (out->nerr > 0).
 */
int		 http_validate(struct arena *, const struct http_field *,
		    size_t nfields, const struct http_param *, size_t nparams,
		    struct http_form *out);

/* The first error message in the form, or NULL if none. */
const char	*http_form_error(const struct http_form *);

/*
 * The pragmatic address rule used by HTTP_FT_EMAIL, for s[0..len): one
 * '@'; a local part of 1..64 characters from RFC 5322's atext and dots
 * (no leading, trailing or double dot); a domain of at least two
 * dot-separated labels of 1..63 letters, digits and inner hyphens, the
 * last not all digits; 254 bytes in all.  ASCII only (internationalized
 * domains must come as punycode).  Returns 1 if valid.
 */
int		 http_email_valid(const char *s, size_t len);

#endif
