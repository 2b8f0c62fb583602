/*
 * jsonpull: a strict (RFC 8259) pull reader over a JSON text in memory.
 *
 * The caller asks for one token at a time; the reader checks the grammar
 * as it goes (commas, colons, brackets, no trailing comma, one top-level
 * value and nothing after it), validates every string (UTF-8 without
 * overlong forms, surrogates or code points past U+10FFFF; escapes,
 * \u surrogate pairs) and every number (the grammar, and a range a C
 * program can hold: integers in int64, reals short of double overflow),
 * bounds the nesting depth and, when asked, refuses duplicate keys.  It
 * allocates nothing per token: a token is a slice of the input, and a
 * string is decoded only when the caller asks (jpull_str).  So a consumer
 * can validate and transform a document in one pass without building a
 * tree of it.
 *
 * The limits and refusals follow jansson's json_loadb (as used before
 * this reader), so what was refused stays refused: \u0000 anywhere, an
 * integer outside int64, a real past DBL_MAX, a scalar top-level value
 * (JPULL_CONTAINER) and, with JPULL_NODUP, the same key twice in an
 * object.  The one difference is the depth: JPULL_DEPTH_MAX, not 2,048.
 */
#ifndef ADEPT_JSONPULL_H
#define ADEPT_JSONPULL_H

#include <stddef.h>
#include <stdint.h>

struct arena;

#define JPULL_DEPTH_MAX	64	/* nested arrays and objects */

enum jpull_type {
	JPULL_ERROR,		/* jp->err says why, jpull_where where */
	JPULL_EOF,		/* after the top-level value: nothing left */
	JPULL_OBJECT,		/* '{': keys and values follow, then END */
	JPULL_ARRAY,		/* '[': values follow, then END */
	JPULL_END,		/* '}' or ']' closing the innermost one */
	JPULL_KEY,		/* an object key (its ':' consumed) */
	JPULL_STRING,
	JPULL_NUMBER,
	JPULL_TRUE,
	JPULL_FALSE,
	JPULL_NULL
};

/* Flags for jpull_init. */
#define JPULL_NODUP	0x1	/* a key twice in one object is an error */
#define JPULL_CONTAINER	0x2	/* the top-level value must be [ or { */

struct jpull_tok {
	enum jpull_type	 type;
	const char	*p;	/* the token's text in the input: a string's
				   or key's between the quotes, a number's
				   digits, the bracket or literal otherwise */
	size_t		 len;
	int		 esc;	/* string or key: has backslash escapes */
	int		 integer;	/* number: no fraction, no exponent */
};

struct jpull_key;

struct jpull_frame {
	char		 kind;		/* '{' or '[' */
	uint32_t	 key0;		/* object: its first key in keys[] */
	uint32_t	*index;		/* object: hash index of its keys once
					   it has many, else NULL */
	uint32_t	 index_cap;
};

struct jpull {
	const char		*s, *p, *end;
	int			 state, depth, flags;
	int			 spaced;	/* whitespace skipped */
	const char		*err;	/* static text, when JPULL_ERROR */
	const char		*errpos;
	struct arena		*arena;
	struct jpull_frame	 stack[JPULL_DEPTH_MAX];
	struct jpull_key	*keys;	/* keys of the open objects */
	uint32_t		 nkeys, keys_cap;
};

/*
 * Starts reading s[0..len) (not NUL-terminated).  The arena backs the
 * duplicate-key check (JPULL_NODUP) and escaped keys' decoded copies; it
 * must outlive the reader.
 */
void	jpull_init(struct jpull *, struct arena *, const char *s, size_t len,
	    int flags);

/* The next token into *t; returns its type.  After JPULL_ERROR or
 * JPULL_EOF every call returns the same. */
enum jpull_type	jpull_next(struct jpull *, struct jpull_tok *t);

/* Reads past the rest of the value that t (just returned) starts: a
 * scalar is done, a container is read to its END.  0, or -1 on error. */
int	jpull_skip(struct jpull *, const struct jpull_tok *t);

/*
 * A bounded output for compact JSON: bytes past max are not written and
 * set full, so a caller can read on (validating) and refuse afterwards.
 */
struct jpull_out {
	char	*p;
	size_t	 len, max;
	int	 full;
};

void	jpull_emit(struct jpull_out *, const char *s, size_t len);
/* A token as JSON text: a string in its quotes, a key with its colon. */
void	jpull_emit_tok(struct jpull_out *, const struct jpull_tok *t);

/* Like jpull_skip, emitting the value as compact JSON: the input's text
 * less the whitespace between tokens.  0, or -1 on error. */
int	jpull_copy(struct jpull *, const struct jpull_tok *t,
	    struct jpull_out *);

/*
 * The decoded bytes of a string or key token: the input itself when it
 * has no escapes, else decoded into out (room for t->len bytes: decoding
 * never lengthens).  Sets *len.
 */
const char	*jpull_str(const struct jpull_tok *t, char *out, size_t *len);

/* An integer token's value (jpull has checked that it fits). */
int64_t	jpull_int(const struct jpull_tok *t);

/* Line and column (1-based; the column in characters) of the error. */
void	jpull_where(const struct jpull *, int *line, int *col);

#endif
