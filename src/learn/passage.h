/*
 * passage: the plain-text layer under retrieval and generation -- UTF-8
 * validation, tokens, sentences and passages.
 *
 * Design decision: nothing is copied.  Tokens, sentences and passages are
 * byte ranges of the caller's document, which must outlive them; a
 * sentence's identity is its document and byte offset, so the overlap
 * between neighbouring passages never makes one sentence count twice.
 * Only ASCII letters are case-folded: other UTF-8 sequences are kept as
 * they are, inside words.
 */
#ifndef ADEPT_LEARN_PASSAGE_H
#define ADEPT_LEARN_PASSAGE_H

#include <stddef.h>

/* Longest folded token kept; longer words are cut (still one token). */
#define LEARN_TOK_MAX	48

/* 1 if s[0..len) is well-formed UTF-8 (no overlongs, no surrogates, nothing
 * above U+10FFFF); else 0 with *bad (when not NULL) the first bad byte's
 * offset. */
int	learn_utf8_valid(const char *s, size_t len, size_t *bad);

/* Length (1-4) of the UTF-8 sequence starting with byte c (1 for a stray
 * continuation byte, so scanning always moves on). */
size_t	learn_utf8_len(unsigned char c);

/*
 * Next token at or after *pos in s[0..len): a run of letters, digits and
 * non-ASCII characters, with an inner '.', ',' between digits (3.14, 1,000),
 * or an inner '-', '\'' or '_' between word characters (B-tree, don't).
 * Writes it lowercased (ASCII) and NUL-terminated into buf (at least
 * LEARN_TOK_MAX + 1 bytes, cut at a character boundary), its source range
 * into *off / *srclen, and moves *pos past it.  Returns the folded length,
 * or 0 at the end of the text.
 */
size_t	learn_tok_next(const char *s, size_t len, size_t *pos, char *buf,
	    size_t *off, size_t *srclen);

/* Light plural folding of a folded token, in place: "queries" -> "query",
 * "classes" -> "class", "keys" -> "key" (not "ss", "us", "is" endings, nor
 * words of three letters or fewer).  Returns the new length. */
size_t	learn_stem(char *tok, size_t len);

/* 1 if the folded token is on the small English stop-word list. */
int	learn_stopword(const char *tok, size_t len);

struct learn_span {
	size_t	off;
	size_t	len;
};

/*
 * Sentences of s[0..len): a sentence ends at '.', '!' or '?' (and closing
 * quotes or brackets) followed by white space and then an upper-case
 * letter, a digit, a quote or the end -- unless the word before the stop is
 * a known abbreviation (e.g., Dr., etc.) or an initial (J. Smith; not after
 * a preposition: "written in C."); a
 * decimal point never ends one (no space follows).  A blank line, a
 * Markdown list item or heading also starts a new sentence.  Spans have
 * leading and trailing white space trimmed.  Writes at most max spans and
 * returns how many there are (call with max 0 to count).
 */
size_t	learn_sentences(const char *s, size_t len, struct learn_span *out,
	    size_t max);

/* A passage: a byte range of document doc, with the heading it sits under
 * (head_len 0 before any heading).  Pointers are into the caller's text. */
struct learn_passage {
	unsigned	 doc;
	size_t		 off;
	size_t		 len;
	const char	*text;		/* doc text + off */
	const char	*heading;	/* NULL when head_len is 0 */
	size_t		 head_len;
	int		 head_level;	/* 1-6, 0 when none */
};

struct learn_chunk_opt {
	size_t	target;		/* bytes a passage grows to, 1200 */
	size_t	max;		/* hard cap; a longer paragraph is cut, 2000 */
	int	overlap;	/* 1: a passage starts with the previous one's
				 * last paragraph or sentence (same section) */
};

#define LEARN_CHUNK_OPT_DEFAULT	{ 1200, 2000, 1 }

/*
 * Splits document text[0..len) (numbered doc) into passages along
 * Markdown-style headings ("# Title") and blank-line paragraphs: a heading
 * always starts a new passage; paragraphs are joined until target bytes;
 * a paragraph over max is cut at a sentence end, else at white space, else
 * at a character boundary, so a 20 MB line gives passages of at most max
 * bytes in linear time.  Appends to *ps (realloc'd; *n and *cap are its
 * length and capacity, zero/NULL to start).  Returns 0, or -1 when out of
 * memory (*ps then still holds what was appended before).
 */
int	learn_chunk(const char *text, size_t len, unsigned doc,
	    const struct learn_chunk_opt *, struct learn_passage **ps,
	    size_t *n, size_t *cap);

/* The folded tokens of s[0..n), plurals folded (learn_stem, numbers
 * left alone), one space apart, NUL-terminated in out (outsz bytes; the
 * tokens that do not fit are left out).  Returns its length.  Two texts
 * that differ only in case, punctuation, spacing or plural endings give
 * the same string. */
size_t	learn_norm(const char *s, size_t n, char *out, size_t outsz);

/* Words in s[0..len) (tokens), and syllables (vowel groups per word, at
 * least one, a final silent 'e' dropped) for readability formulas. */
size_t	learn_count_words(const char *s, size_t len, size_t *syllables);

#endif
