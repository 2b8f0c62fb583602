/*
 * microscript: see microscript.h.  The Markdown is first flattened into
 * plain sections (heading + text, one block per paragraph or list item);
 * sentences come from learn_sentences over each section, so a sentence
 * never spans two blocks.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "learn/microscript.h"
#include "learn/passage.h"

struct sect {
	char	*heading;	/* plain, malloc'd ("" when none) */
	char	*text;		/* blocks separated by blank lines */
	size_t	 len, cap;
	int	 skip;		/* an objectives section */
};

struct cand {
	char	*text;		/* malloc'd, one line, plain */
	size_t	 words;
	size_t	 sect;
	size_t	 pos;		/* index in document order */
	int	 first;		/* first sentence of its section */
	double	 score;
	int	 chosen;
};

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int
sect_put(struct sect *s, const char *p, size_t n)
{
	char *t;

	if (s->len + n + 1 > s->cap) {
		size_t cap = s->cap ? s->cap : 256;

		while (cap < s->len + n + 1)
			cap *= 2;
		if ((t = realloc(s->text, cap)) == NULL)
			return -1;
		s->text = t;
		s->cap = cap;
	}
	memcpy(s->text + s->len, p, n);
	s->len += n;
	s->text[s->len] = '\0';
	return 0;
}

/*
 * Inline Markdown of line[0..n) to plain text, appended to out (at least
 * n + 1 bytes free): "[p<id>]" cites dropped, links to their text, images
 * dropped, emphasis and code marks and HTML tags removed.  Returns the
 * length written.
 */
static size_t
plain_inline(const char *l, size_t n, char *out)
{
	size_t i = 0, o = 0, k;

	while (i < n) {
		char c = l[i];

		if (c == '[' && i + 1 < n && l[i + 1] == 'p') {
			for (k = i + 2; k < n && is_digit(l[k]); k++)
				;
			if (k > i + 2 && k < n && l[k] == ']') {
				i = k + 1;
				continue;
			}
		}
		if (c == '!' && i + 1 < n && l[i + 1] == '[') {
			/* an image: its alt text is not narrated */
			for (k = i + 2; k < n && l[k] != ']'; k++)
				;
			if (k + 1 < n && l[k + 1] == '(') {
				for (k += 2; k < n && l[k] != ')'; k++)
					;
				i = k < n ? k + 1 : n;
				continue;
			}
		}
		if (c == ']' && i + 1 < n && l[i + 1] == '(') {
			for (k = i + 2; k < n && l[k] != ')'; k++)
				;
			i = k < n ? k + 1 : n;
			continue;
		}
		if (c == '<') {
			for (k = i + 1; k < n && l[k] != '>' && l[k] != '<';
			    k++)
				;
			if (k < n && l[k] == '>' && k > i + 1 &&
			    (l[i + 1] == '/' || (l[i + 1] >= 'a' &&
			    l[i + 1] <= 'z'))) {
				i = k + 1;
				continue;
			}
		}
		if (c == '[' || c == '`' || c == '*' ||
		    (c == '_' && (i == 0 || is_space(l[i - 1]) ||
		    i + 1 == n || is_space(l[i + 1]) || l[i + 1] == '_' ||
		    l[i - 1] == '_'))) {
			i++;
			continue;
		}
		if (o > 0 && out[o - 1] == ' ' && i > 0 && !is_space(l[i - 1]) &&
		    c != '\0' && strchr(".,;:!?)", c) != NULL)
			o--;	/* the space before a dropped cite */
		if (is_space(c)) {
			if (o > 0 && out[o - 1] != ' ')
				out[o++] = ' ';
			i++;
			continue;
		}
		out[o++] = c;
		i++;
	}
	while (o > 0 && out[o - 1] == ' ')
		o--;
	return o;
}

static int
ci_eq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		char x = *a >= 'A' && *a <= 'Z' ? *a + 32 : *a;
		char y = *b >= 'A' && *b <= 'Z' ? *b + 32 : *b;

		if (x != y)
			return 0;
	}
	return *a == *b;
}

static void
sects_free(struct sect *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].heading);
		free(v[i].text);
	}
	free(v);
}

/* md flattened into sections; *first_h the first heading (malloc'd, or
 * NULL).  NULL when out of memory. */
static struct sect *
flatten(const char *md, size_t len, size_t *ns, char **first_h)
{
	struct sect *v = NULL, *t;
	size_t n = 0, cap = 0, i = 0, e, k, pl;
	char *buf;
	int fence = 0, inblock = 0;

	*first_h = NULL;
	if ((buf = malloc(len + 1)) == NULL)
		return NULL;
	while (i <= len) {
		const char *l = md + i;

		for (e = i; e < len && md[e] != '\n'; e++)
			;
		pl = e - i;
		while (pl > 0 && is_space(l[pl - 1]))
			pl--;
		k = 0;
		while (k < pl && (l[k] == ' ' || l[k] == '\t'))
			k++;
		if (n == 0 || (pl > k && l[k] == '#' && !fence)) {
			if (n == cap) {
				cap = cap ? 2 * cap : 8;
				if ((t = realloc(v, cap * sizeof(*v))) == NULL)
					goto oom;
				v = t;
			}
			memset(&v[n], 0, sizeof(v[n]));
			n++;
			inblock = 0;
			if (pl > k && l[k] == '#') {
				size_t h = k;

				while (h < pl && l[h] == '#')
					h++;
				while (h < pl && is_space(l[h]))
					h++;
				buf[plain_inline(l + h, pl - h, buf)] = '\0';
				if ((v[n - 1].heading = strdup(buf)) == NULL)
					goto oom;
				v[n - 1].skip = ci_eq(buf, "objectives") ||
				    ci_eq(buf, "learning objectives") ||
				    ci_eq(buf, "sources") ||
				    ci_eq(buf, "references");
				if (*first_h == NULL &&
				    (*first_h = strdup(buf)) == NULL)
					goto oom;
				i = e + 1;
				continue;
			}
			if ((v[n - 1].heading = strdup("")) == NULL)
				goto oom;
		}
		if (pl - k >= 3 && (strncmp(l + k, "```", 3) == 0 ||
		    strncmp(l + k, "~~~", 3) == 0)) {
			fence = !fence;
			inblock = 0;
		} else if (fence || pl == k || l[k] == '|' ||
		    (pl - k >= 3 && (strncmp(l + k, "---", 3) == 0 ||
		    strncmp(l + k, "***", 3) == 0 ||
		    strncmp(l + k, "===", 3) == 0))) {
			inblock = 0;
		} else {
			int item = 0;
			size_t m;

			if (l[k] == '>') {
				k++;
				while (k < pl && is_space(l[k]))
					k++;
			}
			if (k + 1 < pl && (l[k] == '-' || l[k] == '*' ||
			    l[k] == '+') && l[k + 1] == ' ') {
				k += 2;
				item = 1;
			} else {
				for (m = k; m < pl && is_digit(l[m]); m++)
					;
				if (m > k && m + 1 < pl && (l[m] == '.' ||
				    l[m] == ')') && l[m + 1] == ' ') {
					k = m + 2;
					item = 1;
				}
			}
			m = plain_inline(l + k, pl - k, buf);
			if (m > 0) {
				if (item || !inblock) {
					if (v[n - 1].len > 0 && sect_put(
					    &v[n - 1], "\n\n", 2) == -1)
						goto oom;
				} else if (sect_put(&v[n - 1], " ", 1) == -1)
					goto oom;
				if (sect_put(&v[n - 1], buf, m) == -1)
					goto oom;
				/* a list item is a block of its own; so is
				 * an item without a final stop */
				if (item && !(buf[m - 1] == '.' ||
				    buf[m - 1] == '!' || buf[m - 1] == '?') &&
				    sect_put(&v[n - 1], ".", 1) == -1)
					goto oom;
				inblock = !item;
			}
		}
		if (e >= len)
			break;
		i = e + 1;
	}
	free(buf);
	*ns = n;
	return v;
oom:
	free(buf);
	free(*first_h);
	*first_h = NULL;
	sects_free(v, n);
	return NULL;
}

/* ---- term weights ---------------------------------------------------- */

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The content tokens of s (folded, stemmed, no stop words, no numbers
 * alone), each malloc'd, appended to *v. */
static int
content_tokens(const char *s, char ***v, size_t *n, size_t *cap)
{
	char buf[LEARN_TOK_MAX + 1], **t;
	size_t pos = 0, off, sl, k, len = strlen(s);

	while ((k = learn_tok_next(s, len, &pos, buf, &off, &sl)) > 0) {
		if (learn_stopword(buf, k) || k < 3)
			continue;
		k = learn_stem(buf, k);
		if (*n == *cap) {
			*cap = *cap ? 2 * *cap : 64;
			if ((t = realloc(*v, *cap * sizeof(*t))) == NULL)
				return -1;
			*v = t;
		}
		if (((*v)[*n] = strdup(buf)) == NULL)
			return -1;
		(*n)++;
	}
	return 0;
}

static void
strv_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* How many entries of sorted v equal t. */
static size_t
count_of(char *const *v, size_t n, const char *t)
{
	size_t lo = 0, hi = n, mid, c = 0;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (strcmp(v[mid], t) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	while (lo + c < n && strcmp(v[lo + c], t) == 0)
		c++;
	return c;
}

static int
definitional(const char *s)
{
	static const char *const pat[] = { " is a ", " is an ", " is the ",
	    " are ", " refers to ", " means ", " is called ", " describes " };
	size_t i;

	for (i = 0; i < sizeof(pat) / sizeof(pat[0]); i++)
		if (strstr(s, pat[i]) != NULL)
			return 1;
	return 0;
}

/*
 * Scores every candidate: the mean weight (log of 1 + the number of
 * sentences holding it) of its content tokens, plus 0.5 for the first
 * sentence of a section, 0.5 for a definition, and 3 times the share of
 * the focus's tokens it holds.
 */
static int
score(struct cand *c, size_t nc, const char *focus)
{
	char **all = NULL, **one = NULL, **fv = NULL;
	size_t na = 0, ca = 0, no, co, nf = 0, cf = 0, i, k, u;
	int rc = -1;

	for (i = 0; i < nc; i++) {
		/* distinct tokens per sentence, so the count is of sentences */
		one = NULL;
		no = co = 0;
		if (content_tokens(c[i].text, &one, &no, &co) == -1)
			goto out;
		qsort(one, no, sizeof(*one), cmp_str);
		for (k = 0; k < no; k++) {
			if (k > 0 && strcmp(one[k], one[k - 1]) == 0)
				continue;
			if (na == ca) {
				char **t;

				ca = ca ? 2 * ca : 256;
				if ((t = realloc(all, ca * sizeof(*t))) ==
				    NULL) {
					strv_free(one, no);
					goto out;
				}
				all = t;
			}
			if ((all[na] = strdup(one[k])) == NULL) {
				strv_free(one, no);
				goto out;
			}
			na++;
		}
		strv_free(one, no);
	}
	qsort(all, na, sizeof(*all), cmp_str);
	if (focus != NULL && *focus &&
	    content_tokens(focus, &fv, &nf, &cf) == -1)
		goto out;
	if (nf > 0)
		qsort(fv, nf, sizeof(*fv), cmp_str);
	for (i = 0; i < nc; i++) {
		double w = 0;
		size_t hits = 0, distinct = 0;

		one = NULL;
		no = co = 0;
		if (content_tokens(c[i].text, &one, &no, &co) == -1)
			goto out;
		qsort(one, no, sizeof(*one), cmp_str);
		for (k = 0; k < no; k++) {
			w += log(1.0 + (double)count_of(all, na, one[k]));
			if (k > 0 && strcmp(one[k], one[k - 1]) == 0)
				continue;
			distinct++;
			hits += nf > 0 && count_of(fv, nf, one[k]) > 0;
		}
		u = nf;
		if (nf > 1) {
			/* distinct focus tokens */
			for (u = 1, k = 1; k < nf; k++)
				u += strcmp(fv[k], fv[k - 1]) != 0;
		}
		c[i].score = (no > 0 ? w / (double)no : 0) +
		    (c[i].first ? 0.5 : 0) +
		    (definitional(c[i].text) ? 0.5 : 0) +
		    (u > 0 ? 3.0 * (double)hits / (double)u : 0);
		(void)distinct;
		strv_free(one, no);
	}
	rc = 0;
out:
	strv_free(all, na);
	strv_free(fv, nf);
	return rc;
}

static int
cmp_score(const void *a, const void *b)
{
	const struct cand *x = *(struct cand *const *)a;
	const struct cand *y = *(struct cand *const *)b;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* ---- slides ---------------------------------------------------------- */

/* s cut to at most max bytes at a word boundary (malloc'd). */
static char *
cut_words(const char *s, size_t max)
{
	size_t n = strlen(s), k;
	char *out;

	if (n <= max)
		return strdup(s);
	for (k = max; k > 0 && s[k] != ' '; k--)
		;
	if (k == 0)
		for (k = max; k > 0 && (s[k] & 0xc0) == 0x80; k--)
			;
	if ((out = malloc(k + 4)) == NULL)
		return NULL;
	memcpy(out, s, k);
	memcpy(out + k, "\xe2\x80\xa6", 4);	/* … */
	return out;
}

/*
 * A bullet line for sentence s: the sentence itself when it has at most
 * 8 words; else up to its first clause break (, ; : or a dash) when that
 * comes after 3 to 9 words; else its first 7 words and an ellipsis.  No
 * final stop; the first letter upper case.
 */
static char *
bullet(const char *s)
{
	size_t n = strlen(s), i, words = 0, end = n, cut = 0;
	int inword = 0, ell = 0;
	char *out;

	for (i = 0; i < n; i++) {
		if (s[i] == ' ') {
			inword = 0;
			continue;
		}
		if (!inword) {
			words++;
			inword = 1;
			if (words == 8)
				cut = i;	/* the 8th word starts here */
		}
		if (words >= 3 && words <= 9 && cut == 0 &&
		    (s[i] == ',' || s[i] == ';' || s[i] == ':' ||
		    (s[i] == '-' && i > 0 && s[i - 1] == ' '))) {
			end = i;
			break;
		}
	}
	if (end == n) {
		for (words = 0, inword = 0, i = 0; i < n; i++) {
			if (s[i] == ' ')
				inword = 0;
			else if (!inword) {
				inword = 1;
				words++;
			}
		}
		if (words > 8 && cut > 0) {
			end = cut;
			ell = 1;
		}
	}
	while (end > 0 && (s[end - 1] == ' ' || s[end - 1] == '.' ||
	    s[end - 1] == ',' || s[end - 1] == ';' || s[end - 1] == ':'))
		end--;
	if ((out = malloc(end + 4)) == NULL)
		return NULL;
	memcpy(out, s, end);
	if (ell)
		memcpy(out + end, "\xe2\x80\xa6", 4);
	else
		out[end] = '\0';
	if (out[0] >= 'a' && out[0] <= 'z')
		out[0] -= 32;
	return out;
}

void
learn_ms_free(struct learn_ms_script *sc)
{
	size_t i, k;

	if (sc == NULL)
		return;
	free(sc->title);
	for (i = 0; i < LEARN_MS_SLIDES_MAX; i++) {
		free(sc->slides[i].title);
		for (k = 0; k < LEARN_MS_BULLETS; k++)
			free(sc->slides[i].bullets[k]);
		for (k = 0; k < LEARN_MS_SENTS; k++)
			free(sc->slides[i].sents[k]);
	}
	memset(sc, 0, sizeof(*sc));
}

static int
fail(char *err, size_t errlen, const char *why)
{
	snprintf(err, errlen, "%s", why);
	return -1;
}

int
learn_ms_build(const char *md, size_t len, const char *title,
    const char *focus, const struct learn_ms_opt *optp,
    struct learn_ms_script *out, char *err, size_t errlen)
{
	static const struct learn_ms_opt dflt = LEARN_MS_OPT_DEFAULT;
	const struct learn_ms_opt *opt = optp != NULL ? optp : &dflt;
	struct sect *sv = NULL;
	struct cand *cv = NULL, **byscore = NULL, **sel = NULL;
	struct learn_span *sp = NULL;
	size_t ns = 0, nc = 0, cc = 0, i, k, nsel = 0, total = 0, avail = 0;
	size_t nslides, at, slide;
	char *first_h = NULL;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (md == NULL)
		len = 0;
	if ((sv = flatten(md != NULL ? md : "", len, &ns, &first_h)) == NULL)
		return fail(err, errlen, "out of memory");
	/* candidates */
	for (i = 0; i < ns; i++) {
		size_t n, j;

		if (sv[i].skip || sv[i].len == 0)
			continue;
		n = learn_sentences(sv[i].text, sv[i].len, NULL, 0);
		free(sp);
		if ((sp = calloc(n + 1, sizeof(*sp))) == NULL)
			goto oom;
		learn_sentences(sv[i].text, sv[i].len, sp, n);
		for (j = 0, k = 0; j < n; j++) {
			const char *s = sv[i].text + sp[j].off;
			size_t l = sp[j].len, w, o, q;
			char *t;

			w = learn_count_words(s, l, NULL);
			if (w < 4 || w > LEARN_MS_SENT_WORDS ||
			    s[l - 1] == ':' || !learn_utf8_valid(s, l, NULL))
				continue;
			if (nc == cc) {
				struct cand *x;

				cc = cc ? 2 * cc : 64;
				if ((x = realloc(cv, cc * sizeof(*x))) == NULL)
					goto oom;
				cv = x;
			}
			if ((t = malloc(l + 2)) == NULL)
				goto oom;
			for (o = 0, q = 0; q < l; q++) {
				char c = s[q] == '\n' || s[q] == '\t' ? ' ' :
				    s[q];

				if (c == ' ' && o > 0 && t[o - 1] == ' ')
					continue;
				t[o++] = c;
			}
			if (t[o - 1] != '.' && t[o - 1] != '!' &&
			    t[o - 1] != '?' && t[o - 1] != '"' &&
			    t[o - 1] != ')')
				t[o++] = '.';
			t[o] = '\0';
			memset(&cv[nc], 0, sizeof(cv[nc]));
			cv[nc].text = t;
			cv[nc].words = w;
			cv[nc].sect = i;
			cv[nc].pos = nc;
			cv[nc].first = k++ == 0;
			avail += w;
			nc++;
		}
	}
	if (avail < opt->min_words || nc < LEARN_MS_SLIDES_MIN) {
		snprintf(err, errlen, "the source text gives %zu words in %zu "
		    "usable sentences; a narration of at least %u seconds "
		    "needs %u words in %d sentences or more", avail, nc,
		    (unsigned)(opt->min_words * 60 / opt->wpm), opt->min_words,
		    LEARN_MS_SLIDES_MIN);
		goto out;
	}
	if (score(cv, nc, focus) == -1)
		goto oom;
	byscore = calloc(nc, sizeof(*byscore));
	sel = calloc(nc, sizeof(*sel));
	if (byscore == NULL || sel == NULL)
		goto oom;
	for (i = 0; i < nc; i++)
		byscore[i] = &cv[i];
	qsort(byscore, nc, sizeof(*byscore), cmp_score);
	for (i = 0; i < nc && total < opt->target_words &&
	    nsel < LEARN_MS_SLIDES_MAX * LEARN_MS_SENTS; i++) {
		struct cand *c = byscore[i];
		int dup = 0;

		if (total + c->words > opt->max_words)
			continue;
		for (k = 0; k < nc && !dup; k++)
			dup = cv[k].chosen && strcmp(cv[k].text, c->text) == 0;
		if (dup)
			continue;
		c->chosen = 1;
		total += c->words;
		nsel++;
	}
	if (total < opt->min_words || nsel < LEARN_MS_SLIDES_MIN) {
		snprintf(err, errlen, "only %zu words of distinct sentences "
		    "fit a narration of at most %u seconds; at least %u are "
		    "needed", total, (unsigned)(opt->max_words * 60 /
		    opt->wpm), opt->min_words);
		goto out;
	}
	for (i = 0, k = 0; i < nc; i++)
		if (cv[i].chosen)
			sel[k++] = &cv[i];
	/* slides: contiguous groups of about equal words, a section change
	 * preferred as a break */
	nslides = (nsel + 1) / 2;
	if (nslides < LEARN_MS_SLIDES_MIN)
		nslides = LEARN_MS_SLIDES_MIN;
	while (nslides < LEARN_MS_SLIDES_MAX &&
	    nsel > nslides * LEARN_MS_SENTS)
		nslides++;
	if (nslides > LEARN_MS_SLIDES_MAX)
		nslides = LEARN_MS_SLIDES_MAX;
	if (nslides > nsel)
		nslides = nsel;
	if (title != NULL && *title)
		out->title = strdup(title);
	else
		out->title = strdup(first_h != NULL && *first_h ? first_h :
		    "Micro-lesson");
	if (out->title == NULL)
		goto oom;
	for (slide = 0, at = 0; slide < nslides; slide++) {
		struct learn_ms_slide *s = &out->slides[slide];
		size_t left = nslides - slide, rest = 0, want, acc = 0;
		const char *h;

		for (k = at; k < nsel; k++)
			rest += sel[k]->words;
		want = rest / left;
		for (k = at; k < nsel; k++) {
			size_t remain = nsel - k;

			if (s->nsents > 0 && (remain < left ||
			    s->nsents == LEARN_MS_SENTS))
				break;
			if (left > 1 && s->nsents > 0 && acc >= want)
				break;
			if (left > 1 && s->nsents > 0 &&
			    sel[k]->sect != sel[k - 1]->sect &&
			    acc * 10 >= want * 6)
				break;
			/* the last slide takes the rest */
			if ((s->sents[s->nsents] = strdup(sel[k]->text)) ==
			    NULL)
				goto oom;
			s->nsents++;
			acc += sel[k]->words;
		}
		s->words = acc;
		h = sv[sel[at]->sect].heading;
		if (slide == 0 || h == NULL || *h == '\0')
			h = out->title;
		if ((s->title = cut_words(h, 60)) == NULL)
			goto oom;
		for (i = 0; i < s->nsents && i < LEARN_MS_BULLETS; i++) {
			if ((s->bullets[i] = bullet(s->sents[i])) == NULL)
				goto oom;
			s->nbullets++;
		}
		at = k;
	}
	/* sentences beyond LEARN_MS_SENTS on the last slide (not reached
	 * with the caps above) are dropped */
	out->nslides = nslides;
	for (slide = 0, total = 0; slide < nslides; slide++)
		total += out->slides[slide].words;
	out->words = total;
	out->seconds = (double)total * 60.0 / (double)opt->wpm;
	rc = 0;
	goto out;
oom:
	fail(err, errlen, "out of memory");
out:
	if (rc != 0)
		learn_ms_free(out);
	for (i = 0; i < nc; i++)
		free(cv[i].text);
	free(cv);
	free(sp);
	free(byscore);
	free(sel);
	free(first_h);
	sects_free(sv, ns);
	return rc;
}

static char *
join(char *const *v, size_t n, const char *sep, char *init)
{
	size_t len = init != NULL ? strlen(init) : 0, i, o;
	char *out;

	for (i = 0; i < n; i++)
		len += strlen(v[i]) + strlen(sep);
	if ((out = realloc(init, len + 1)) == NULL) {
		free(init);
		return NULL;
	}
	o = init != NULL ? strlen(out) : 0;
	if (init == NULL)
		out[0] = '\0';
	for (i = 0; i < n; i++) {
		if (o > 0) {
			memcpy(out + o, sep, strlen(sep));
			o += strlen(sep);
		}
		memcpy(out + o, v[i], strlen(v[i]));
		o += strlen(v[i]);
	}
	out[o] = '\0';
	return out;
}

char *
learn_ms_narration(const struct learn_ms_slide *s)
{
	return join(s->sents, s->nsents, " ", NULL);
}

char *
learn_ms_text(const struct learn_ms_script *sc)
{
	char *out = NULL;
	size_t i;

	for (i = 0; i < sc->nslides; i++) {
		if ((out = join(sc->slides[i].sents, sc->slides[i].nsents,
		    " ", out)) == NULL)
			return NULL;
	}
	return out != NULL ? out : strdup("");
}

/* ---- captions -------------------------------------------------------- */

size_t
learn_ms_cues(const struct learn_ms_slide *s, double start, double dur,
    struct learn_ms_cue *out, size_t max)
{
	size_t i, chars = 0, acc = 0;

	for (i = 0; i < s->nsents; i++)
		chars += strlen(s->sents[i]);
	for (i = 0; i < s->nsents && i < max; i++) {
		out[i].text = s->sents[i];
		out[i].start = start + (chars > 0 ? dur * (double)acc /
		    (double)chars : 0);
		acc += strlen(s->sents[i]);
		out[i].end = i + 1 == s->nsents ? start + dur :
		    start + (chars > 0 ? dur * (double)acc / (double)chars :
		    dur);
	}
	return s->nsents;
}

void
learn_ms_timestamp(double t, char *buf, size_t bufsz)
{
	long long ms = t <= 0 ? 0 : (long long)llround(t * 1000.0);

	snprintf(buf, bufsz, "%02lld:%02lld:%02lld.%03lld", ms / 3600000,
	    ms / 60000 % 60, ms / 1000 % 60, ms % 1000);
}

char *
learn_ms_vtt(const struct learn_ms_script *sc, const double *dur,
    size_t *lenp)
{
	struct learn_ms_cue cues[LEARN_MS_SENTS];
	size_t cap = 64, len, i, k, n, num = 0, need;
	char a[16], b[16], *out, *t;
	double at = 0;

	for (i = 0; i < sc->nslides; i++)
		for (k = 0; k < sc->slides[i].nsents; k++)
			cap += strlen(sc->slides[i].sents[k]) + 64;
	if ((out = malloc(cap)) == NULL)
		return NULL;
	len = (size_t)snprintf(out, cap, "WEBVTT\n\n");
	for (i = 0; i < sc->nslides; i++) {
		n = learn_ms_cues(&sc->slides[i], at, dur[i], cues,
		    LEARN_MS_SENTS);
		for (k = 0; k < n && k < LEARN_MS_SENTS; k++) {
			const char *p;

			learn_ms_timestamp(cues[k].start, a, sizeof(a));
			learn_ms_timestamp(cues[k].end, b, sizeof(b));
			need = strlen(cues[k].text) + 64;
			if (len + need >= cap) {
				cap = 2 * (len + need);
				if ((t = realloc(out, cap)) == NULL) {
					free(out);
					return NULL;
				}
				out = t;
			}
			len += (size_t)snprintf(out + len, cap - len,
			    "%zu\n%s --> %s\n", ++num, a, b);
			for (p = cues[k].text; *p; p++) {
				if (p[0] == '-' && p[1] == '-' && p[2] == '>') {
					out[len++] = '-';
					p++;
					continue;
				}
				out[len++] = *p == '\n' ? ' ' : *p;
			}
			out[len++] = '\n';
			out[len++] = '\n';
			out[len] = '\0';
		}
		at += dur[i];
	}
	if (lenp != NULL)
		*lenp = len;
	return out;
}

/* ---- slide text ------------------------------------------------------ */

static size_t
u8chars(const char *s, size_t n)
{
	size_t i, c = 0;

	for (i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xc0) != 0x80;
	return c;
}

size_t
learn_ms_wrap(const char *s, size_t width, char *out, size_t outsz)
{
	size_t o = 0, line = 0, lines = 0, i = 0, n = strlen(s), w, wc;

	if (outsz == 0)
		return 0;
	out[0] = '\0';
	while (i < n) {
		while (i < n && is_space(s[i]))
			i++;
		if (i >= n)
			break;
		for (w = i; w < n && !is_space(s[w]); w++)
			;
		wc = u8chars(s + i, w - i);
		if (lines == 0)
			lines = 1;
		else if (line + 1 + wc > width) {
			if (o + 1 >= outsz)
				break;
			out[o++] = '\n';
			lines++;
			line = 0;
		} else {
			if (o + 1 >= outsz)
				break;
			out[o++] = ' ';
			line++;
		}
		if (o + (w - i) >= outsz)
			break;
		memcpy(out + o, s + i, w - i);
		o += w - i;
		line += wc;
		i = w;
	}
	out[o] = '\0';
	return lines;
}
