/*
 * passage: UTF-8, tokens, sentences, passages.  See passage.h.
 *
 * Everything here is a single forward scan over the caller's bytes (the
 * sentence splitter looks a few bytes back for abbreviations, the chunker
 * looks at most one window of chunk_opt.max bytes ahead), so a 20 MB line
 * costs linear time and no copy.
 */
#include <stdlib.h>
#include <string.h>

#include "learn/passage.h"

size_t
learn_utf8_len(unsigned char c)
{
	if (c < 0xc0)
		return 1;
	if (c < 0xe0)
		return 2;
	if (c < 0xf0)
		return 3;
	return 4;
}

int
learn_utf8_valid(const char *str, size_t len, size_t *bad)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, n, k;
	unsigned long cp;

	while (i < len) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if (s[i] >= 0xc2 && s[i] <= 0xdf) {
			n = 2;
			cp = s[i] & 0x1f;
		} else if (s[i] >= 0xe0 && s[i] <= 0xef) {
			n = 3;
			cp = s[i] & 0x0f;
		} else if (s[i] >= 0xf0 && s[i] <= 0xf4) {
			n = 4;
			cp = s[i] & 0x07;
		} else
			goto fail;
		if (len - i < n)
			goto fail;
		for (k = 1; k < n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				goto fail;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
		    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
			goto fail;
		i += n;
	}
	return 1;
fail:
	if (bad != NULL)
		*bad = i;
	return 0;
}

/* Word characters: ASCII letters and digits, and non-ASCII characters
 * except the punctuation blocks (U+00A0-00BF, U+2000-206F, U+3000-303F),
 * so dashes, curly quotes and no-break spaces separate words. */
static size_t
wordchar(const unsigned char *s, size_t i, size_t len)
{
	unsigned char c = s[i];

	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return 1;
	if (c < 0x80)
		return 0;
	if (c == 0xc2 && i + 1 < len && s[i + 1] >= 0xa0 && s[i + 1] <= 0xbf)
		return 0;
	if (c == 0xe2 && i + 1 < len && (s[i + 1] == 0x80 || s[i + 1] == 0x81))
		return 0;
	if (c == 0xe3 && i + 1 < len && s[i + 1] == 0x80)
		return 0;
	if ((c & 0xc0) == 0x80)
		return 0;	/* stray continuation byte */
	return learn_utf8_len(c) <= len - i ? learn_utf8_len(c) : 0;
}

static int
isdig(unsigned char c)
{
	return c >= '0' && c <= '9';
}

size_t
learn_tok_next(const char *str, size_t len, size_t *pos, char *buf,
    size_t *off, size_t *srclen)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = *pos, start, n, w, k;

	while (i < len && wordchar(s, i, len) == 0)
		i++;
	if (i >= len) {
		*pos = len;
		return 0;
	}
	start = i;
	n = 0;
	for (;;) {
		w = wordchar(s, i, len);
		if (w == 0) {
			/* inner joiners */
			if (i + 1 < len && i > start &&
			    (((s[i] == '.' || s[i] == ',') && isdig(s[i - 1]) &&
			    isdig(s[i + 1])) ||
			    ((s[i] == '-' || s[i] == '\'' || s[i] == '_') &&
			    wordchar(s, i + 1, len) != 0))) {
				w = 1;
			} else
				break;
		}
		if (n + w <= LEARN_TOK_MAX) {
			for (k = 0; k < w; k++) {
				unsigned char c = s[i + k];
				buf[n++] = (c >= 'A' && c <= 'Z') ? c + 32 : c;
			}
		}
		i += w;
		if (i >= len)
			break;
	}
	buf[n] = '\0';
	*off = start;
	*srclen = i - start;
	*pos = i;
	return n;
}

size_t
learn_stem(char *t, size_t n)
{
	if (n <= 3 || t[n - 1] != 's' || (t[n - 2] >= '0' && t[n - 2] <= '9'))
		return n;
	if (n > 4 && t[n - 2] == 'e' && t[n - 3] == 'i') {
		t[n - 3] = 'y';
		t[n - 2] = '\0';
		return n - 2;
	}
	if (n > 4 && t[n - 2] == 'e' && t[n - 3] == 's' && t[n - 4] == 's') {
		t[n - 2] = '\0';
		return n - 2;
	}
	if (t[n - 2] == 's' || t[n - 2] == 'u' || t[n - 2] == 'i')
		return n;
	t[n - 1] = '\0';
	return n - 1;
}

/* Sorted, for bsearch. */
static const char *const stopwords[] = {
	"a", "about", "after", "again", "all", "also", "am", "an", "and",
	"any", "are", "as", "at", "be", "because", "been", "before", "being",
	"between", "both", "but", "by", "can", "could", "did", "do", "does",
	"doing", "down", "during", "each", "few", "for", "from", "further",
	"had", "has", "have", "having", "he", "her", "here", "hers", "him",
	"his", "how", "i", "if", "in", "into", "is", "it", "its", "itself",
	"just", "may", "me", "might", "more", "most", "much", "must", "my",
	"no", "nor", "not", "now", "of", "off", "on", "once", "one", "only",
	"or", "other", "our", "ours", "out", "over", "own", "same", "shall",
	"she", "should", "so", "some", "such", "than", "that", "the", "their",
	"theirs", "them", "then", "there", "these", "they", "this", "those",
	"through", "to", "too", "under", "until", "up", "us", "very", "was",
	"we", "were", "what", "when", "where", "which", "while", "who", "whom",
	"why", "will", "with", "would", "you", "your", "yours",
};

static int
cmpword(const void *k, const void *e)
{
	return strcmp(k, *(const char *const *)e);
}

int
learn_stopword(const char *tok, size_t len)
{
	char b[16];

	if (len == 0 || len >= sizeof(b))
		return 0;
	memcpy(b, tok, len);
	b[len] = '\0';
	return bsearch(b, stopwords, sizeof(stopwords) / sizeof(stopwords[0]),
	    sizeof(stopwords[0]), cmpword) != NULL;
}

/* ---- sentences ------------------------------------------------------ */

static const char *const abbrevs[] = {
	"al", "approx", "cf", "dr", "e.g", "eg", "etc", "fig", "i.e", "ie",
	"inc", "jr", "ltd", "mr", "mrs", "ms", "no", "prof", "sr", "st", "vs",
};

static int
isspc(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	    c == '\v';
}

static int
isupper_(unsigned char c)
{
	return c >= 'A' && c <= 'Z';
}

static int
isalpha_(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || isupper_(c);
}

/* Does the '.' at s[i] end an abbreviation or an initial? */
static int
abbrev_before(const unsigned char *s, size_t i)
{
	size_t j = i, n, k;
	char w[8];

	while (j > 0 && (isalpha_(s[j - 1]) || s[j - 1] == '.'))
		j--;
	n = i - j;
	if (n == 0)
		return 0;
	if (n == 1 && isupper_(s[j])) {
		/* an initial (J. Smith, and J. Smith), unless a preposition
		 * comes before it ("written in C.") */
		static const char *const preps[] = { "in", "on", "at", "of",
		    "to", "by", "for", "from", "with", "like", "than", "into",
		    "called", "named", NULL };
		size_t e;

		while (j > 0 && (s[j - 1] == ' ' || s[j - 1] == '\t'))
			j--;
		e = j;
		while (j > 0 && isalpha_(s[j - 1]))
			j--;
		if (j > 0 && !isspc(s[j - 1]) && s[j - 1] != '(')
			return 1;
		for (k = 0; preps[k]; k++)
			if (e - j == strlen(preps[k]) &&
			    memcmp(s + j, preps[k], e - j) == 0)
				return 0;
		return 1;
	}
	if (n >= sizeof(w))
		return 0;
	for (k = 0; k < n; k++)
		w[k] = isupper_(s[j + k]) ? s[j + k] + 32 : s[j + k];
	w[n] = '\0';
	for (k = 0; k < sizeof(abbrevs) / sizeof(abbrevs[0]); k++)
		if (strcmp(w, abbrevs[k]) == 0)
			return 1;
	return 0;
}

/* Does the line starting at s[i] start a new block: blank, a heading, a
 * list item, a table row or a code fence? */
static int
block_start(const unsigned char *s, size_t i, size_t len)
{
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i >= len || s[i] == '\n' || s[i] == '\r')
		return 1;
	if (s[i] == '#' || s[i] == '|' || s[i] == '>' ||
	    (s[i] == '`' && i + 2 < len && s[i + 1] == '`' && s[i + 2] == '`'))
		return 1;
	if ((s[i] == '-' || s[i] == '*' || s[i] == '+') && i + 1 < len &&
	    s[i + 1] == ' ')
		return 1;
	if (isdig(s[i])) {
		while (i < len && isdig(s[i]))
			i++;
		if (i + 1 < len && (s[i] == '.' || s[i] == ')') &&
		    s[i + 1] == ' ')
			return 1;
	}
	return 0;
}

static size_t
closers(const unsigned char *s, size_t i, size_t len)
{
	for (;;) {
		if (i < len && (s[i] == '"' || s[i] == '\'' || s[i] == ')' ||
		    s[i] == ']' || s[i] == '*' || s[i] == '_'))
			i++;
		else if (i + 2 < len && s[i] == 0xe2 && s[i + 1] == 0x80 &&
		    (s[i + 2] == 0x9d || s[i + 2] == 0x99))
			i += 3;	/* closing curly quotes */
		else
			return i;
	}
}

static void
emit(const unsigned char *s, size_t a, size_t b, struct learn_span *out,
    size_t max, size_t *n)
{
	while (a < b && isspc(s[a]))
		a++;
	while (b > a && isspc(s[b - 1]))
		b--;
	if (a == b)
		return;
	if (*n < max) {
		out[*n].off = a;
		out[*n].len = b - a;
	}
	(*n)++;
}

size_t
learn_sentences(const char *str, size_t len, struct learn_span *out,
    size_t max)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i, j, k, start = 0, n = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == '\n') {
			if (block_start(s, i + 1, len)) {
				emit(s, start, i, out, max, &n);
				start = i + 1;
			}
			continue;
		}
		if (s[i] != '.' && s[i] != '!' && s[i] != '?')
			continue;
		j = closers(s, i + 1, len);
		if (j < len && !isspc(s[j]))
			continue;
		k = j;
		while (k < len && isspc(s[k]))
			k++;
		if (k < len && !(isupper_(s[k]) || isdig(s[k]) ||
		    s[k] == '"' || s[k] == '\'' || s[k] == '(' || s[k] == '[' ||
		    s[k] == '*' || s[k] == '#' || s[k] == '-' || s[k] >= 0x80))
			continue;
		if (s[i] == '.' && abbrev_before(s, i))
			continue;
		emit(s, start, j, out, max, &n);
		start = j;
		i = j - 1;
	}
	emit(s, start, len, out, max, &n);
	return n;
}

/* ---- passages ------------------------------------------------------- */

struct chunker {
	const char		*text;
	size_t			 len;
	unsigned		 doc;
	const struct learn_chunk_opt *opt;
	struct learn_passage	**ps;
	size_t			*n, *cap;
	size_t			 hoff, hlen;
	int			 hlevel;
	size_t			 cur;		/* start of the open passage */
	size_t			 curend;	/* end of its last paragraph */
	int			 open;
};

static int
push(struct chunker *c, size_t a, size_t b)
{
	struct learn_passage *p;

	while (a < b && isspc((unsigned char)c->text[a]))
		a++;
	while (b > a && isspc((unsigned char)c->text[b - 1]))
		b--;
	if (a == b)
		return 0;
	if (*c->n == *c->cap) {
		size_t nc = *c->cap ? 2 * *c->cap : 64;

		if ((p = realloc(*c->ps, nc * sizeof(*p))) == NULL)
			return -1;
		*c->ps = p;
		*c->cap = nc;
	}
	p = &(*c->ps)[(*c->n)++];
	p->doc = c->doc;
	p->off = a;
	p->len = b - a;
	p->text = c->text + a;
	p->head_len = c->hlen;
	p->heading = c->hlen ? c->text + c->hoff : NULL;
	p->head_level = c->hlevel;
	return 0;
}

/* Where a passage ending at end should let the next one start: its last
 * sentence (looked for in the last max bytes). */
static size_t
last_sentence(const struct chunker *c, size_t from, size_t end)
{
	struct learn_span sp[64];
	size_t n, w = c->opt->max;

	if (end - from > w)
		from = end - w;
	n = learn_sentences(c->text + from, end - from, sp, 64);
	if (n < 2 || n > 64)
		return end;
	return from + sp[n - 1].off;
}

/* Cuts the over-long paragraph [a, b) into pieces of at most max bytes. */
static int
cut_long(struct chunker *c, size_t a, size_t b)
{
	const unsigned char *s = (const unsigned char *)c->text;
	struct learn_span sp[128];
	size_t w, n, k, cut, lo;

	while (b - a > c->opt->max) {
		w = c->opt->max;
		lo = c->opt->target / 2;
		cut = 0;
		n = learn_sentences(c->text + a, w, sp, 128);
		if (n > 128)
			n = 128;
		/* the last sentence that ends inside the window (not the one
		 * the window cuts) */
		for (k = n; k-- > 1;) {
			if (sp[k - 1].off + sp[k - 1].len >= lo) {
				cut = sp[k].off;
				break;
			}
		}
		if (cut == 0)
			for (k = w; k > lo; k--)
				if (isspc(s[a + k])) {
					cut = k;
					break;
				}
		if (cut == 0) {
			cut = w;
			while (cut > 0 && (s[a + cut] & 0xc0) == 0x80)
				cut--;
			if (cut == 0)
				cut = w;
		}
		if (push(c, a, a + cut) == -1)
			return -1;
		a += cut;
	}
	return push(c, a, b);
}

static int
flush(struct chunker *c)
{
	int rc = 0;

	if (c->open)
		rc = push(c, c->cur, c->curend);
	c->open = 0;
	return rc;
}

static int
paragraph(struct chunker *c, size_t a, size_t b)
{
	const struct learn_chunk_opt *o = c->opt;
	size_t ov;

	if (b - a > o->max) {
		if (flush(c) == -1)
			return -1;
		return cut_long(c, a, b);
	}
	if (c->open && b - c->cur > o->target) {
		ov = o->overlap ? last_sentence(c, c->cur, c->curend) :
		    c->curend;
		if (push(c, c->cur, c->curend) == -1)
			return -1;
		c->cur = (ov < c->curend && b - ov <= o->max) ? ov : a;
		c->curend = b;
		return 0;
	}
	if (!c->open) {
		c->cur = a;
		c->open = 1;
	}
	c->curend = b;
	return 0;
}

int
learn_chunk(const char *text, size_t len, unsigned doc,
    const struct learn_chunk_opt *opt, struct learn_passage **ps,
    size_t *n, size_t *cap)
{
	static const struct learn_chunk_opt def = LEARN_CHUNK_OPT_DEFAULT;
	const unsigned char *s = (const unsigned char *)text;
	struct chunker c;
	size_t i = 0, eol, a, j, para = 0;
	int inpara = 0, lvl, blank;

	memset(&c, 0, sizeof(c));
	c.text = text;
	c.len = len;
	c.doc = doc;
	c.opt = opt ? opt : &def;
	c.ps = ps;
	c.n = n;
	c.cap = cap;
	while (i < len) {
		eol = i;
		while (eol < len && s[eol] != '\n')
			eol++;
		a = i;
		while (a < eol && (s[a] == ' ' || s[a] == '\t' || s[a] == '\r'))
			a++;
		blank = a == eol;
		lvl = 0;
		j = a;
		while (j < eol && s[j] == '#' && lvl < 7) {
			j++;
			lvl++;
		}
		if (lvl < 1 || lvl > 6 || j >= eol || s[j] != ' ')
			lvl = 0;
		if (blank || lvl) {
			if (inpara && paragraph(&c, para, i) == -1)
				return -1;
			inpara = 0;
		}
		if (lvl) {
			if (flush(&c) == -1)
				return -1;
			while (j < eol && isspc(s[j]))
				j++;
			c.hoff = j;
			c.hlen = eol - j;
			while (c.hlen > 0 && (isspc(s[c.hoff + c.hlen - 1]) ||
			    s[c.hoff + c.hlen - 1] == '#'))
				c.hlen--;
			c.hlevel = lvl;
		} else if (!blank && !inpara) {
			para = i;
			inpara = 1;
		}
		i = eol + 1;
	}
	if (inpara && paragraph(&c, para, len) == -1)
		return -1;
	return flush(&c);
}

size_t
learn_norm(const char *s, size_t n, char *out, size_t outsz)
{
	char buf[LEARN_TOK_MAX + 1];
	size_t pos = 0, off, sl, tl, k = 0;
	int num;

	while ((tl = learn_tok_next(s, n, &pos, buf, &off, &sl)) > 0) {
		num = strspn(buf, "0123456789.,") == tl;
		if (!num)
			tl = learn_stem(buf, tl);
		if (k + tl + 2 >= outsz)
			break;
		if (k > 0)
			out[k++] = ' ';
		memcpy(out + k, buf, tl);
		k += tl;
	}
	out[k] = '\0';
	return k;
}

size_t
learn_count_words(const char *s, size_t len, size_t *syllables)
{
	char buf[LEARN_TOK_MAX + 1];
	size_t pos = 0, off, sl, tl, words = 0, syl = 0, k, v;
	int prev;

	while ((tl = learn_tok_next(s, len, &pos, buf, &off, &sl)) > 0) {
		words++;
		v = 0;
		prev = 0;
		for (k = 0; k < tl; k++) {
			int vow = strchr("aeiouy", buf[k]) != NULL &&
			    buf[k] != '\0';
			if (vow && !prev)
				v++;
			prev = vow;
		}
		if (v > 1 && buf[tl - 1] == 'e' && !(tl > 2 &&
		    buf[tl - 2] == 'l'))
			v--;
		syl += v ? v : 1;
	}
	if (syllables)
		*syllables = syl;
	return words;
}
