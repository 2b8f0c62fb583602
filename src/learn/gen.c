/*
 * gen: the offline generators.  See gen.h.
 *
 * Three steps.  (1) learn_material_init reads every sentence once (each
 * counted once across overlapping passages), counts candidate terms in a
 * hash map keyed by their folded, stemmed tokens -- single words, runs of
 * capitalised words, two- and three-word phrases, numbers, and the
 * subjects of definitional sentences -- types them, scores them by
 * count x idf with boosts for definitions, names and phrases, and scores
 * each sentence by the terms in it.  (2) The quiz walks sentences best
 * first, picks the best term in each that has enough same-type
 * distractors, and makes a single-choice, a true/false or a cloze item,
 * in turn, each sentence and each question used once.  (3) Objectives and
 * the lesson draft are built from the same terms, definitions and
 * sections.  Every choice is ordered by score and then by position, so
 * the output depends on the input alone.
 */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "learn/gen.h"

#define NORM_MAX	(3 * (LEARN_TOK_MAX + 1))
#define TERMS_MAX	3000

/* ---- small helpers -------------------------------------------------- */

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static int
in_list(const char *w, const char *const *l, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(w, l[i]) == 0)
			return 1;
	return 0;
}

struct sb {
	char	*p;
	size_t	 n, cap;
	int	 oom;
};

static void
sb_add(struct sb *b, const char *s, size_t n)
{
	char *np;
	size_t nc;

	if (b->oom)
		return;
	if (b->n + n + 1 > b->cap) {
		nc = b->cap ? b->cap : 256;
		while (nc < b->n + n + 1)
			nc *= 2;
		if ((np = realloc(b->p, nc)) == NULL) {
			b->oom = 1;
			return;
		}
		b->p = np;
		b->cap = nc;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

static void
sb_str(struct sb *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

static void __attribute__((format(printf, 2, 3)))
sb_fmt(struct sb *b, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	sb_add(b, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

/* Takes the buffer's string (NULL when out of memory). */
static char *
sb_take(struct sb *b)
{
	char *p;

	if (b->oom) {
		free(b->p);
		return NULL;
	}
	if (b->p == NULL)
		return strdup("");
	p = b->p;
	b->p = NULL;
	return p;
}

static uint64_t
fnv(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static char *
dupn(const char *s, size_t n)
{
	char *p = malloc(n + 1);

	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

static int
is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/*
 * The sentence as a reader should see it: Markdown list markers, quote
 * markers, emphasis and code marks and link targets removed, white space
 * collapsed.  Punctuation only goes, so its tokens are the source's (less
 * a link's address).  Returns a malloc'd string or NULL.
 */
static char *
clean(const char *s, size_t n)
{
	struct sb b = { 0 };
	size_t i = 0, j;
	int sp = 0;

	while (i < n && is_space((unsigned char)s[i]))
		i++;
	if (i + 1 < n && (s[i] == '-' || s[i] == '*' || s[i] == '+' ||
	    s[i] == '>') && s[i + 1] == ' ')
		i += 2;
	else {
		for (j = i; j < n && s[j] >= '0' && s[j] <= '9'; j++)
			;
		if (j > i && j + 1 < n && (s[j] == '.' || s[j] == ')') &&
		    s[j + 1] == ' ')
			i = j + 2;
	}
	for (; i < n; i++) {
		unsigned char c = s[i];

		if (is_space(c)) {
			sp = 1;
			continue;
		}
		if (c == '*' || c == '`')
			continue;
		if (c == '_' && (i == 0 || i + 1 >= n ||
		    is_space((unsigned char)s[i - 1]) ||
		    is_space((unsigned char)s[i + 1])))
			continue;
		if (c == ']' && i + 1 < n && s[i + 1] == '(') {
			/* a link: keep the text, drop the address */
			for (j = i + 2; j < n && s[j] != ')'; j++)
				;
			i = j;
			continue;
		}
		if (c == '[')
			continue;
		if (sp && b.n > 0)
			sb_add(&b, " ", 1);
		sp = 0;
		sb_add(&b, (const char *)&s[i], 1);
	}
	return sb_take(&b);
}

/* ---- tokens of one sentence --------------------------------------- */

struct tok {
	char	 norm[LEARN_TOK_MAX + 1];	/* folded and stemmed */
	size_t	 nlen;
	size_t	 off, len;	/* in the sentence */
	unsigned cap : 1;	/* starts with an upper-case letter */
	unsigned upper : 1;	/* two or more letters, all upper case */
	unsigned num : 1;	/* a number */
	unsigned stop : 1;
	unsigned adj : 1;	/* only white space since the previous one */
};

#define TOKS_MAX	256

static size_t
toks(const char *s, size_t n, struct tok *t, size_t max)
{
	char buf[LEARN_TOK_MAX + 1];
	size_t pos = 0, off, sl, tl, k = 0, i, prevend = 0, letters, ups;
	int alldig;

	while (k < max && (tl = learn_tok_next(s, n, &pos, buf, &off, &sl)) >
	    0) {
		struct tok *x = &t[k];

		memset(x, 0, sizeof(*x));
		x->off = off;
		x->len = sl;
		x->stop = learn_stopword(buf, tl);
		alldig = 1;
		letters = ups = 0;
		for (i = 0; i < sl; i++) {
			unsigned char c = s[off + i];

			if (c >= 'A' && c <= 'Z')
				ups++;
			if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))
				letters++;
			if (!((c >= '0' && c <= '9') || c == '.' || c == ','))
				alldig = 0;
		}
		x->num = alldig;
		x->cap = s[off] >= 'A' && s[off] <= 'Z';
		x->upper = letters >= 2 && ups == letters;
		x->adj = 1;
		if (k > 0)
			for (i = prevend; i < off; i++)
				if (!is_space((unsigned char)s[i]))
					x->adj = 0;
		prevend = off + sl;
		x->nlen = alldig ? tl : learn_stem(buf, tl);
		memcpy(x->norm, buf, x->nlen + 1);
		k++;
	}
	return k;
}

/* The norm key of tokens t[a..b): their norms joined by one space. */
static size_t
key(const struct tok *t, size_t a, size_t b, char *out)
{
	size_t n = 0, i;

	for (i = a; i < b; i++) {
		if (i > a)
			out[n++] = ' ';
		memcpy(out + n, t[i].norm, t[i].nlen);
		n += t[i].nlen;
	}
	out[n] = '\0';
	return n;
}

/* ---- the candidate map ------------------------------------------- */

enum ckind { C_WORD, C_CAPRUN, C_PHRASE, C_NUM };

struct cand {
	char		*norm;
	char		*disp;		/* first lower-case (or any) form */
	int		 displower;
	size_t		 ntok;
	enum ckind	 kind;
	size_t		 count;		/* distinct sentences */
	size_t		 capn, lowern;	/* non-initial capitalised / lower */
	size_t		 lastsent;	/* + 1 */
	long		 def;		/* defining sentence or -1 */
	size_t		 passage;
	long		 term;		/* index in m->terms or -1 */
};

struct learn_termmap {
	struct cand	*c;
	size_t		 n, cap;
	uint32_t	*slots;
	size_t		 hcap;
	uint64_t	*links;		/* term pairs named as one, sorted */
	size_t		 nlinks;
};

static long
cm_find(const struct learn_termmap *m, const char *k, size_t n, size_t *slot)
{
	size_t i = fnv(k, n) & (m->hcap - 1);
	uint32_t id;

	while ((id = m->slots[i]) != 0) {
		if (strcmp(m->c[id - 1].norm, k) == 0)
			return id - 1;
		i = (i + 1) & (m->hcap - 1);
	}
	if (slot)
		*slot = i;
	return -1;
}

static int
cm_grow(struct learn_termmap *m)
{
	size_t nc = m->hcap ? m->hcap * 2 : 8192, i, j;
	uint32_t *ns = calloc(nc, sizeof(*ns));

	if (ns == NULL)
		return -1;
	for (i = 0; i < m->n; i++) {
		j = fnv(m->c[i].norm, strlen(m->c[i].norm)) & (nc - 1);
		while (ns[j] != 0)
			j = (j + 1) & (nc - 1);
		ns[j] = i + 1;
	}
	free(m->slots);
	m->slots = ns;
	m->hcap = nc;
	return 0;
}

/* Counts one occurrence (sentence si, passage p) of the candidate whose
 * key is k, source text s[0..sl).  Returns its index or -1 (memory). */
static long
cm_add(struct learn_termmap *m, const char *k, size_t kn, enum ckind kind,
    size_t ntok, const char *s, size_t sl, int lower, size_t si, size_t p)
{
	size_t slot;
	long id;
	struct cand *c;

	if ((id = cm_find(m, k, kn, &slot)) < 0) {
		if (m->n == m->cap) {
			size_t nc = m->cap ? 2 * m->cap : 4096;

			if ((c = realloc(m->c, nc * sizeof(*c))) == NULL)
				return -1;
			m->c = c;
			m->cap = nc;
		}
		c = &m->c[m->n];
		memset(c, 0, sizeof(*c));
		if ((c->norm = dupn(k, kn)) == NULL ||
		    (c->disp = dupn(s, sl)) == NULL) {
			free(c->norm);
			return -1;
		}
		c->displower = lower;
		c->kind = kind;
		c->ntok = ntok;
		c->def = -1;
		c->term = -1;
		c->passage = p;
		id = m->n++;
		m->slots[slot] = id + 1;
		if (2 * m->n > m->hcap && cm_grow(m) == -1)
			return -1;
	}
	c = &m->c[id];
	if (lower && !c->displower) {
		char *d = dupn(s, sl);

		if (d) {
			free(c->disp);
			c->disp = d;
			c->displower = 1;
		}
	}
	if (c->lastsent != si + 1) {
		c->lastsent = si + 1;
		c->count++;
	}
	return id;
}

static void
cm_free(struct learn_termmap *m)
{
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < m->n; i++) {
		free(m->c[i].norm);
		free(m->c[i].disp);
	}
	free(m->c);
	free(m->slots);
	free(m->links);
	free(m);
}

/* Words too general to be key terms however often they appear. */
static const char *const generic[] = {
	"able", "another", "because", "called", "case", "common", "different",
	"done", "each", "either", "even", "every", "example", "first", "following",
	"general", "given", "good", "however", "instead", "kind", "known",
	"less", "like", "many", "means", "mean", "never", "next", "often",
	"part", "second", "several", "simple", "since", "something", "still",
	"thing", "third", "though", "thu", "time", "today", "two", "three",
	"usually", "way", "well", "whether", "within", "without", "work",
	"yet", "new", "old", "use", "used", "make", "made", "need", "take",
	"give", "keep", "back", "last", "long", "large", "small", "same",
	"point", "rather", "almost", "always", "once", "again", "lot", "set",
	"get", "got", "let", "put", "say", "said", "see", "seen", "show",
	"want", "become", "begin", "end", "call", "find", "read", "write",
	"run", "answer", "question", "chapter", "section", "course", "page",
	"note", "fact", "reason", "result", "place", "number", "cannot",
};

/* The first token of norm n, into b (LEARN_TOK_MAX + 1 bytes). */
static const char *
kb1(const char *n, char *b)
{
	size_t k = strcspn(n, " ");

	if (k > LEARN_TOK_MAX)
		k = LEARN_TOK_MAX;
	memcpy(b, n, k);
	b[k] = '\0';
	return b;
}

/* Words after which a term is used as a verb ("must change", "to
 * lock"): no blank and no swap there. */
static const char *const modals[] = {
	"can", "cannot", "could", "did", "do", "does", "may", "might", "must",
	"shall", "should", "to", "will", "would",
};

/* Verbs and prepositions that end a run of words that is no term
 * ("read occurs", "chooses among", "locks held"), folded. */
static const char *const badtail[] = {
	"among", "appear", "become", "belong", "choose", "contain", "depend",
	"explain", "follow", "happen", "held", "hold", "include", "need",
	"occur", "provide", "reach", "remain", "require", "seem", "tend",
	"want",
};

static int
is_generic(const char *w)
{
	size_t i, n = strlen(w);

	if (n < 4)
		return 1;
	if ((n > 5 && strcmp(w + n - 3, "ing") == 0) ||
	    (n > 4 && strcmp(w + n - 2, "ly") == 0) ||
	    (n > 4 && strcmp(w + n - 2, "ed") == 0))
		return 1;
	for (i = 0; i < sizeof(generic) / sizeof(generic[0]); i++)
		if (strcmp(w, generic[i]) == 0)
			return 1;
	return 0;
}

static int
tok_is(const struct tok *t, const char *w)
{
	return strcmp(t->norm, w) == 0;
}

/* The definitional pattern at the sentence start: [a|an|the] X{1,4}
 * (is|are|refers|means) ...  Returns X's token count (0: none) and its
 * first token in *a. */
static size_t
definitional(const struct tok *t, size_t n, size_t *a)
{
	size_t i = 0, j;

	if (n > 0 && (tok_is(&t[0], "a") || tok_is(&t[0], "an") ||
	    tok_is(&t[0], "the")))
		i = 1;
	for (j = i; j < n && j - i < 5 && !t[j].stop; j++)
		if (j > i && !t[j].adj)
			return 0;
	if (j == i || j - i > 4 || j + 1 >= n || !t[j].adj)
		return 0;
	if (!(tok_is(&t[j], "is") || tok_is(&t[j], "are") ||
	    tok_is(&t[j], "refer") || tok_is(&t[j], "mean")))
		return 0;
	if (tok_is(&t[j], "is") && !(tok_is(&t[j + 1], "a") ||
	    tok_is(&t[j + 1], "an") || tok_is(&t[j + 1], "the") ||
	    tok_is(&t[j + 1], "called")))
		return 0;
	*a = i;
	return j - i;
}

/* ---- material ------------------------------------------------------- */

static int
cmp_terms(const void *a, const void *b)
{
	const struct learn_term *x = a, *y = b;

	if (x->score != y->score)
		return x->score < y->score ? 1 : -1;
	return strcmp(x->norm, y->norm);
}

static double
idf_of(const struct learn_bm25 *idx, const char *norm)
{
	const char *p = norm, *q;
	double s = 0, maxidf;
	size_t n = 0;
	long id;

	maxidf = log(1 + (learn_bm25_npassages(idx) + 0.5) / 0.5);
	while (*p) {
		q = strchr(p, ' ');
		if (q == NULL)
			q = p + strlen(p);
		id = learn_bm25_term(idx, p, q - p);
		s += id < 0 ? maxidf : learn_bm25_idf(idx, id);
		n++;
		p = *q ? q + 1 : q;
	}
	return n ? s / n : 0;
}

static enum learn_term_type
num_type(const char *norm)
{
	size_t n = strlen(norm);
	long v;

	if (n == 4 && strspn(norm, "0123456789") == 4) {
		v = strtol(norm, NULL, 10);
		if (v >= 1000 && v <= 2099)
			return LEARN_TERM_YEAR;
	}
	return LEARN_TERM_NUMBER;
}

/* Picks the kept candidates, types and scores them into m->terms. */
static int
make_terms(struct learn_material *m, struct learn_termmap *cm)
{
	double raw, best = 0;
	size_t i, k = 0;
	enum learn_term_type ty;
	struct learn_term *t;
	char *drop, first[LEARN_TOK_MAX + 1];

	if ((drop = calloc(cm->n ? cm->n : 1, 1)) == NULL)
		return -1;
	/* a phrase seen only inside a longer phrase is that phrase's part */
	for (i = 0; i < cm->n; i++) {
		const struct cand *c = &cm->c[i];
		char sub[NORM_MAX];
		const char *sp;
		long j;

		if (c->kind != C_PHRASE || c->ntok != 3)
			continue;
		sp = strchr(c->norm, ' ');
		snprintf(sub, sizeof(sub), "%.*s", (int)(strrchr(c->norm, ' ') -
		    c->norm), c->norm);
		if ((j = cm_find(cm, sub, strlen(sub), NULL)) >= 0 &&
		    cm->c[j].count <= c->count && cm->c[j].def < 0)
			drop[j] = 1;
		if ((j = cm_find(cm, sp + 1, strlen(sp + 1), NULL)) >= 0 &&
		    cm->c[j].count <= c->count && cm->c[j].def < 0)
			drop[j] = 1;
	}
	m->terms = calloc(cm->n ? cm->n : 1, sizeof(*m->terms));
	if (m->terms == NULL) {
		free(drop);
		return -1;
	}
	for (i = 0; i < cm->n; i++) {
		struct cand *c = &cm->c[i];
		int def = c->def >= 0;

		if (drop[i])
			continue;
		switch (c->kind) {
		case C_NUM:
			ty = num_type(c->norm);
			if (ty == LEARN_TERM_NUMBER && strlen(c->norm) < 2)
				continue;
			raw = 0.5 * c->count;
			break;
		case C_CAPRUN:
			ty = LEARN_TERM_NAME;
			if (c->count < 1)
				continue;
			raw = 1.3 * c->count;
			break;
		case C_PHRASE:
			ty = LEARN_TERM_PHRASE;
			first[0] = '\0';
			if (c->count < 2 && !def)
				continue;
			if (!def && (is_generic(c->norm) || in_list(kb1(c->norm,
			    first), generic, NELEM(generic)) ||
			    is_generic(strrchr(c->norm, ' ') + 1) ||
			    in_list(strrchr(c->norm, ' ') + 1, badtail,
			    NELEM(badtail))))
				continue;
			raw = 1.5 * c->count;
			break;
		default:
			if (c->capn > 0 && c->lowern == 0)
				ty = LEARN_TERM_NAME;
			else if (c->lowern > 0 || def)
				ty = LEARN_TERM_WORD;
			else
				continue;
			if (ty == LEARN_TERM_WORD && ((!def && c->count < 3) ||
			    is_generic(c->norm)))
				continue;
			if (!def && ty == LEARN_TERM_NAME && c->count < 2)
				continue;
			raw = (ty == LEARN_TERM_NAME ? 1.3 : 1.0) * c->count;
			break;
		}
		if (def)
			raw *= 2.5;
		raw *= idf_of(m->idx, c->norm) + 0.1;
		t = &m->terms[k];
		t->norm = strdup(c->norm);
		t->text = strdup(c->disp);
		if (t->norm == NULL || t->text == NULL) {
			free(t->norm);
			free(t->text);
			free(drop);
			return -1;
		}
		/* a phrase or word shown in lower case unless it is a name */
		if ((ty == LEARN_TERM_WORD || ty == LEARN_TERM_PHRASE) &&
		    t->text[0] >= 'A' && t->text[0] <= 'Z' &&
		    !(t->text[1] >= 'A' && t->text[1] <= 'Z'))
			t->text[0] += 32;
		t->ntok = c->ntok;
		t->type = ty;
		t->score = raw;
		t->count = c->count;
		t->passage = c->passage;
		t->def = c->def;
		if (raw > best)
			best = raw;
		k++;
	}
	free(drop);
	qsort(m->terms, k, sizeof(*m->terms), cmp_terms);
	while (k > TERMS_MAX) {
		k--;
		free(m->terms[k].norm);
		free(m->terms[k].text);
	}
	for (i = 0; i < k; i++) {
		m->terms[i].score /= best > 0 ? best : 1;
		cm->c[cm_find(cm, m->terms[i].norm,
		    strlen(m->terms[i].norm), NULL)].term = i;
	}
	m->nterms = k;
	return 0;
}

/* A term occurrence in a sentence. */
struct occ {
	size_t	term;
	size_t	off, len;	/* source bytes in the sentence */
	size_t	tok;		/* first token */
};

#define OCCS_MAX	64

/* Key terms in sentence s[0..n), longest match first, left to right. */
static size_t
find_terms(const struct learn_material *m, const char *s, size_t n,
    struct occ *o, size_t max)
{
	const struct learn_termmap *cm = m->priv;
	struct tok t[TOKS_MAX];
	char k[NORM_MAX];
	size_t nt, i, w, kn, no = 0, j;
	long id;

	nt = toks(s, n, t, TOKS_MAX);
	for (i = 0; i < nt && no < max;) {
		for (w = 3; w >= 1; w--) {
			if (i + w > nt)
				continue;
			for (j = i + 1; j < i + w && t[j].adj; j++)
				;
			if (j < i + w)
				continue;
			kn = key(t, i, i + w, k);
			if ((id = cm_find(cm, k, kn, NULL)) >= 0 &&
			    cm->c[id].term >= 0) {
				o[no].term = cm->c[id].term;
				o[no].off = t[i].off;
				o[no].len = t[i + w - 1].off + t[i + w - 1].len -
				    t[i].off;
				o[no].tok = i;
				no++;
				break;
			}
		}
		i += w ? w : 1;
	}
	return no;
}

/*
 * Synonyms.  Two terms that the material names as one thing -- "a table,
 * or relation,", "a relation is a table", "write-ahead logging (WAL)",
 * "sharding, also called partitioning" -- must not stand in for each
 * other: a statement with one swapped for the other is still true, and a
 * single-choice item offering both has two right answers.  A gap between
 * two term occurrences links them when it is short, holds a parenthesis
 * or only the words below, and at least one of the naming words.
 */
static const char *const linkwords[] = {
	"a", "also", "an", "are", "as", "called", "e", "g", "i", "ie", "is",
	"known", "meaning", "means", "named", "namely", "often", "or",
	"otherwise", "refers", "shortened", "simply", "sometimes", "the", "to",
	"usually", "written",
};
static const char *const namingwords[] = {
	"are", "called", "ie", "is", "known", "meaning", "means", "named",
	"namely", "or", "refers", "shortened", "written",
};


/* Does the text between two term occurrences, g[0..n), name them as one? */
static int
naming_gap(const char *g, size_t n)
{
	char w[16];
	size_t i = 0, k;
	int naming = 0, words = 0;

	if (n > 40)
		return 0;
	if (memchr(g, '(', n) != NULL)
		return 1;
	while (i < n) {
		unsigned char c = g[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
			if (c != ' ' && c != ',' && c != '.' && c != '-' &&
			    c != '\n' && c != '"' && c != '\'')
				return 0;	/* a colon, a dash: a list */
			i++;
			continue;
		}
		for (k = 0; i < n && k + 1 < sizeof(w); i++) {
			c = g[i];
			if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
				break;
			w[k++] = c | 0x20;
		}
		w[k] = '\0';
		if (!in_list(w, linkwords, NELEM(linkwords)))
			return 0;
		naming |= in_list(w, namingwords, NELEM(namingwords));
		words++;
	}
	return words > 0 && naming;
}

static uint64_t
pair_key(size_t a, size_t b)
{
	return a < b ? (uint64_t)a << 32 | b : (uint64_t)b << 32 | a;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Records every pair of neighbouring term occurrences that a sentence
 * names as one (m->priv->links).  0, or -1 when out of memory. */
static int
find_links(struct learn_material *m)
{
	struct learn_termmap *cm = m->priv;
	struct occ o[OCCS_MAX];
	size_t i, j, no, cap = 0, a, b;
	uint64_t *v;

	for (i = 0; i < m->nsents; i++) {
		const struct learn_sent *s = &m->sents[i];

		if (s->words > 80)
			continue;
		no = find_terms(m, s->text, s->len, o, OCCS_MAX);
		for (j = 0; j + 1 < no; j++) {
			a = o[j].off + o[j].len;
			b = o[j + 1].off;
			if (o[j].term == o[j + 1].term || b < a ||
			    !naming_gap(s->text + a, b - a))
				continue;
			if (cm->nlinks == cap) {
				cap = cap ? 2 * cap : 256;
				if ((v = realloc(cm->links, cap * sizeof(*v))) ==
				    NULL)
					return -1;
				cm->links = v;
			}
			cm->links[cm->nlinks++] = pair_key(o[j].term,
			    o[j + 1].term);
		}
	}
	if (cm->nlinks > 0)
		qsort(cm->links, cm->nlinks, sizeof(*cm->links), cmp_u64);
	return 0;
}

/* Are terms a and b named as one somewhere in the material? */
static int
linked(const struct learn_material *m, size_t a, size_t b)
{
	uint64_t k = pair_key(a, b);

	return m->priv->nlinks > 0 && bsearch(&k, m->priv->links,
	    m->priv->nlinks, sizeof(k), cmp_u64) != NULL;
}

/* Do the terms share a word stem ("isolation", "isolation level";
 * "replica", "replication")?  Folded tokens, compared on their first
 * five letters, or the whole of a shorter one of four. */
static int
share_stem(const char *a, const char *b)
{
	const char *p, *q, *pe, *qe;
	size_t pn, qn, k;

	for (p = a; *p; p = *pe ? pe + 1 : pe) {
		pe = strchr(p, ' ');
		pe = pe ? pe : p + strlen(p);
		pn = pe - p;
		for (q = b; *q; q = *qe ? qe + 1 : qe) {
			qe = strchr(q, ' ');
			qe = qe ? qe : q + strlen(q);
			qn = qe - q;
			k = pn < qn ? pn : qn;
			if (k > 5)
				k = 5;
			if (k >= 4 && strncmp(p, q, k) == 0)
				return 1;
		}
	}
	return 0;
}

static const char *const pronouns[] = {
	"this", "it", "they", "these", "that", "those", "such", "he", "she",
	"its", "their", "here", "there", "both", "then", "so", "but", "and",
	"or", "also", "however", "thus",
};

static double
sentence_score(const struct learn_material *m, struct learn_sent *s)
{
	struct occ o[OCCS_MAX];
	char first[LEARN_TOK_MAX + 1];
	size_t no, i, pos = 0, off, sl, tl;
	double best = 0, sum = 0;
	const char *e = s->text + s->len;

	if (s->words < 6 || s->words > 60)
		return 0;
	while (e > s->text && (e[-1] == '*' || e[-1] == '_' || e[-1] == ')'))
		e--;
	if (e > s->text && (e[-1] == ':' || e[-1] == '?' || e[-1] == ','))
		return 0;
	if (memchr(s->text, '|', s->len) || memchr(s->text, '\t', s->len) ||
	    (s->len > 2 && memcmp(s->text, "```", 3) == 0))
		return 0;
	if ((tl = learn_tok_next(s->text, s->len, &pos, first, &off, &sl)) > 0)
		for (i = 0; i < sizeof(pronouns) / sizeof(pronouns[0]); i++)
			if (strcmp(first, pronouns[i]) == 0)
				return 0;
	no = find_terms(m, s->text, s->len, o, OCCS_MAX);
	for (i = 0; i < no; i++) {
		sum += m->terms[o[i].term].score;
		if (m->terms[o[i].term].score > best)
			best = m->terms[o[i].term].score;
	}
	return best + 0.3 * sum / (1 + no) + (s->defines ? 0.5 : 0);
}

int
learn_material_init(struct learn_material *m, const struct learn_passage *ps,
    size_t np, const struct learn_bm25 *idx)
{
	struct learn_termmap *cm;
	struct learn_span *sp = NULL;
	struct tok *t = NULL;
	size_t p, i, j, k, ns, spcap = 0, cap = 0, nt, kn, a, xn, ntot, end;
	size_t lastend = 0;
	unsigned lastdoc = (unsigned)-1;
	char kb[NORM_MAX];
	long id;

	memset(m, 0, sizeof(*m));
	m->ps = ps;
	m->np = np;
	m->idx = idx;
	if ((cm = calloc(1, sizeof(*cm))) == NULL)
		return -1;
	m->priv = cm;
	if (cm_grow(cm) == -1 || (t = malloc(TOKS_MAX * sizeof(*t))) == NULL)
		goto fail;
	for (p = 0; p < np; p++) {
		ntot = learn_sentences(ps[p].text, ps[p].len, NULL, 0);
		if (ntot > spcap) {
			free(sp);
			spcap = ntot + 16;
			if ((sp = malloc(spcap * sizeof(*sp))) == NULL)
				goto fail;
		}
		ns = learn_sentences(ps[p].text, ps[p].len, sp, spcap);
		if (ps[p].doc != lastdoc) {
			lastdoc = ps[p].doc;
			lastend = 0;
		}
		for (i = 0; i < ns; i++) {
			struct learn_sent *s;
			size_t si;

			if (ps[p].off + sp[i].off < lastend)
				continue;	/* the overlap: seen already */
			end = ps[p].off + sp[i].off + sp[i].len;
			lastend = end;
			if (m->nsents == cap) {
				cap = cap ? 2 * cap : 1024;
				s = realloc(m->sents, cap * sizeof(*s));
				if (s == NULL)
					goto fail;
				m->sents = s;
			}
			si = m->nsents++;
			s = &m->sents[si];
			memset(s, 0, sizeof(*s));
			s->passage = p;
			s->text = ps[p].text + sp[i].off;
			s->len = sp[i].len;
			nt = toks(s->text, s->len, t, TOKS_MAX);
			s->words = nt;
			if (nt > 80)
				continue;	/* not prose: no terms from it */
			for (j = 0; j < nt; j++) {
				const struct tok *x = &t[j];

				if (x->stop)
					continue;
				if (x->num) {
					if (cm_add(cm, x->norm, x->nlen, C_NUM, 1,
					    s->text + x->off, x->len, 1, si,
					    p) < 0)
						goto fail;
					continue;
				}
				if (x->nlen < 3)
					continue;
				if ((id = cm_add(cm, x->norm, x->nlen, C_WORD,
				    1, s->text + x->off, x->len, !x->cap, si,
				    p)) < 0)
					goto fail;
				if (x->cap && j > 0)
					cm->c[id].capn++;
				else if (!x->cap)
					cm->c[id].lowern++;
				/* phrases: 2-3 adjacent lower-case words */
				for (k = j + 1; k < nt && k < j + 3; k++) {
					if (t[k].stop || t[k].num || t[k].cap ||
					    x->cap || !t[k].adj || t[k].nlen < 3)
						break;
					kn = key(t, j, k + 1, kb);
					if (cm_add(cm, kb, kn, C_PHRASE, k - j + 1,
					    s->text + x->off, t[k].off +
					    t[k].len - x->off, 1, si, p) < 0)
						goto fail;
				}
			}
			/* runs of capitalised words: names */
			for (j = 0; j < nt; j = k) {
				for (k = j; k < nt && t[k].cap && !t[k].stop &&
				    (k == j || t[k].adj); k++)
					;
				if (k - j >= 2 && k - j <= 4) {
					kn = key(t, j, k, kb);
					if (cm_add(cm, kb, kn, C_CAPRUN, k - j,
					    s->text + t[j].off, t[k - 1].off +
					    t[k - 1].len - t[j].off, 0, si,
					    p) < 0)
						goto fail;
				}
				if (k == j)
					k++;
			}
			/* "X is a ...": X is defined here */
			if ((xn = definitional(t, nt, &a)) > 0) {
				int allcap = 1;

				for (k = a; k < a + xn; k++)
					if (!t[k].cap || (k == 0 && xn == 1 &&
					    !t[k].upper))
						allcap = 0;
				if (xn == 1 && t[a].num)
					continue;
				kn = key(t, a, a + xn, kb);
				id = cm_add(cm, kb, kn, xn == 1 ? C_WORD :
				    allcap ? C_CAPRUN : C_PHRASE, xn,
				    s->text + t[a].off, t[a + xn - 1].off +
				    t[a + xn - 1].len - t[a].off, 0, si, p);
				if (id < 0)
					goto fail;
				if (cm->c[id].def < 0)
					cm->c[id].def = si;
				s->defines = 1;
			}
		}
	}
	if (make_terms(m, cm) == -1)
		goto fail;
	if (find_links(m) == -1)
		goto fail;
	for (i = 0; i < m->nterms; i++)
		if (m->terms[i].def >= 0 &&
		    m->sents[m->terms[i].def].defines == 1)
			m->sents[m->terms[i].def].defines = 2;
	for (i = 0; i < m->nsents; i++) {
		m->sents[i].defines = m->sents[i].defines == 2;
		m->sents[i].score = sentence_score(m, &m->sents[i]);
	}
	free(sp);
	free(t);
	return 0;
fail:
	free(sp);
	free(t);
	learn_material_free(m);
	return -1;
}

void
learn_material_free(struct learn_material *m)
{
	size_t i;

	for (i = 0; i < m->nterms; i++) {
		free(m->terms[i].text);
		free(m->terms[i].norm);
	}
	free(m->terms);
	free(m->sents);
	cm_free(m->priv);
	memset(m, 0, sizeof(*m));
}

/* ---- names ---------------------------------------------------------- */

const char *
learn_term_type_name(enum learn_term_type t)
{
	static const char *const n[] = { "year", "number", "name", "phrase",
	    "word" };

	return t < LEARN_TERM__MAX ? n[t] : "?";
}

const char *
learn_item_type_name(enum learn_item_type t)
{
	static const char *const n[] = { "single_choice", "true_false",
	    "cloze", "objective" };

	return t < LEARN_ITEM__MAX ? n[t] : "?";
}

const char *
learn_bloom_name(enum learn_bloom b)
{
	static const char *const n[] = { "remember", "understand", "apply",
	    "analyse" };

	return b < LEARN_BLOOM__MAX ? n[b] : "?";
}

static const char *const bloom_verbs[LEARN_BLOOM__MAX][5] = {
	{ "define", "list", "state", "name", "recall" },
	{ "explain", "describe", "summarise", "summarize", "interpret" },
	{ "use", "compute", "apply", "calculate", "demonstrate" },
	{ "compare", "distinguish", "contrast", "analyse", "analyze" },
};

int
learn_bloom_verb(enum learn_bloom b, const char *s)
{
	size_t i, n;

	if (b >= LEARN_BLOOM__MAX || s == NULL)
		return 0;
	for (i = 0; i < 5; i++) {
		n = strlen(bloom_verbs[b][i]);
		if (strncasecmp(s, bloom_verbs[b][i], n) == 0 &&
		    (s[n] == ' ' || s[n] == '\0'))
			return 1;
	}
	return 0;
}

static void
item_clear(struct learn_item *x)
{
	size_t k;

	free(x->question);
	free(x->stem);
	free(x->answer);
	free(x->explanation);
	free(x->claim);
	for (k = 0; k < x->noptions; k++)
		free(x->options[k]);
	memset(x, 0, sizeof(*x));
}

void
learn_items_free(struct learn_items *it)
{
	size_t i;

	for (i = 0; i < it->n; i++)
		item_clear(&it->v[i]);
	free(it->v);
	memset(it, 0, sizeof(*it));
}

static struct learn_item *
item_new(struct learn_items *it)
{
	struct learn_item *x;

	if (it->n == it->cap) {
		size_t nc = it->cap ? 2 * it->cap : 32;

		if ((x = realloc(it->v, nc * sizeof(*x))) == NULL)
			return NULL;
		it->v = x;
		it->cap = nc;
	}
	x = &it->v[it->n++];
	memset(x, 0, sizeof(*x));
	return x;
}

/* ---- distractors ---------------------------------------------------- */

/* Is the token sequence of norm b inside that of norm a? */
static int
norm_inside(const char *a, const char *b)
{
	size_t nb = strlen(b);
	const char *p = a;

	while ((p = strstr(p, b)) != NULL) {
		if ((p == a || p[-1] == ' ') && (p[nb] == '\0' || p[nb] == ' '))
			return 1;
		p++;
	}
	return 0;
}

static double
numval(const char *s)
{
	char b[64];
	size_t k = 0;

	for (; *s && k + 1 < sizeof(b); s++)
		if (*s != ',')
			b[k++] = *s;
	b[k] = '\0';
	return strtod(b, NULL);
}

/* All capitals and digits, two or more letters (SQL, ARIES, RFC7677). */
static int
acronym(const char *s)
{
	size_t letters = 0;

	for (; *s; s++) {
		if (*s >= 'a' && *s <= 'z')
			return 0;
		letters += *s >= 'A' && *s <= 'Z';
	}
	return letters >= 2;
}

size_t
learn_gen_distractors(const struct learn_material *m, size_t ti,
    const char *avoid, size_t avoidlen, size_t *out, size_t max)
{
	const struct learn_term *t = &m->terms[ti], *c;
	char *an = NULL;
	double cost[LEARN_OPTIONS_MAX * 4], x, tv = 0, cv;
	size_t n = 0, i, j, tdoc = m->ps[t->passage].doc;
	size_t tl = strlen(t->text), cl;

	if (max > LEARN_OPTIONS_MAX * 4)
		max = LEARN_OPTIONS_MAX * 4;
	if (avoid) {
		if ((an = malloc(4 * avoidlen + 8)) == NULL)
			return 0;
		learn_norm(avoid, avoidlen, an, 4 * avoidlen + 8);
	}
	if (t->type <= LEARN_TERM_NUMBER)
		tv = numval(t->norm);
	for (i = 0; i < m->nterms && max > 0; i++) {
		c = &m->terms[i];
		if (i == ti || c->type != t->type)
			continue;
		if (norm_inside(c->norm, t->norm) ||
		    norm_inside(t->norm, c->norm) ||
		    strcasecmp(c->text, t->text) == 0)
			continue;
		if (an && norm_inside(an, c->norm))
			continue;
		if (t->type >= LEARN_TERM_NAME && (linked(m, ti, i) ||
		    share_stem(t->norm, c->norm)))
			continue;	/* a synonym or a relative */
		if (t->type == LEARN_TERM_NAME && acronym(t->text) !=
		    acronym(c->text))
			continue;	/* "GDPR" and "David" */
		for (j = 0; j < n; j++)
			if (norm_inside(m->terms[out[j]].norm, c->norm) ||
			    norm_inside(c->norm, m->terms[out[j]].norm))
				break;
		if (j < n)
			continue;
		cl = strlen(c->text);
		switch (t->type) {
		case LEARN_TERM_YEAR:
			x = fabs(numval(c->norm) - tv) / 10.0;
			if (x == 0)
				continue;
			break;
		case LEARN_TERM_NUMBER:
			cv = numval(c->norm);
			if (cv <= 0 || tv <= 0 || cv == tv)
				continue;
			x = fabs(log10(cv) - log10(tv)) +
			    (strchr(c->norm, '.') != NULL) !=
			    (strchr(t->norm, '.') != NULL);
			break;
		default:
			x = fabs(log((c->score + 0.01) / (t->score + 0.01)));
			x += 0.5 * fabs((double)c->ntok - (double)t->ntok);
			x += 0.2 * fabs(log((double)(cl + 1) / (tl + 1)));
			x += (c->def >= 0) != (t->def >= 0) ? 0.3 : 0;
			break;
		}
		x += m->ps[c->passage].doc != tdoc ? 0.5 : 0;
		/* insert by cost (ties: better-ranked term first) */
		if (n == max && x >= cost[n - 1])
			continue;
		j = n < max ? n++ : max - 1;
		while (j > 0 && cost[j - 1] > x) {
			cost[j] = cost[j - 1];
			out[j] = out[j - 1];
			j--;
		}
		cost[j] = x;
		out[j] = i;
	}
	free(an);
	return n;
}

/* Does the word end in a plural s?  As learn_stem: not "ss", "us" or
 * "is" (class, consensus, analysis). */
static int
plural(const char *s, size_t n)
{
	return n > 3 && s[n - 1] == 's' && s[n - 2] != 's' && s[n - 2] != 'u' &&
	    s[n - 2] != 'i';
}

/* The display of term c in the grammatical number of surface s (a word or
 * phrase: "indexes" asks for plurals). */
static char *
inflect(const char *disp, const char *surface, enum learn_term_type ty)
{
	size_t n = strlen(disp), sn = strlen(surface);
	int spl, dpl;
	char *r;

	if (ty != LEARN_TERM_WORD && ty != LEARN_TERM_PHRASE)
		return strdup(disp);
	spl = plural(surface, sn);
	dpl = plural(disp, n);
	if (spl == dpl)
		return strdup(disp);
	if (!spl) {
		if (n > 4 && strcmp(disp + n - 3, "ies") == 0) {
			if ((r = dupn(disp, n - 2)) != NULL)
				r[n - 3] = 'y';
			return r;
		}
		if (n > 4 && (strcmp(disp + n - 4, "sses") == 0 ||
		    strcmp(disp + n - 4, "xes") == 0 ||
		    strcmp(disp + n - 4, "ches") == 0))
			return dupn(disp, n - 2);
		return dupn(disp, n - 1);
	}
	if ((r = malloc(n + 3)) == NULL)
		return NULL;
	memcpy(r, disp, n + 1);
	if (n > 1 && disp[n - 1] == 'y' && !strchr("aeiou", disp[n - 2]))
		strcpy(r + n - 1, "ies");
	else if (disp[n - 1] == 's' || disp[n - 1] == 'x' ||
	    (n > 1 && disp[n - 1] == 'h' && (disp[n - 2] == 'c' ||
	    disp[n - 2] == 's')))
		strcpy(r + n, "es");
	else
		strcpy(r + n, "s");
	return r;
}

/* ---- quiz ----------------------------------------------------------- */

static int
in_scope(const struct learn_material *m, const struct learn_gen_req *r,
    size_t passage)
{
	return r->doc < 0 || (long)m->ps[passage].doc == r->doc;
}

static void
cite(struct sb *b, const struct learn_material *m, size_t p)
{
	sb_fmt(b, "[p%zu]", p + 1);
	(void)m;
}

static void
heading_of(struct sb *b, const struct learn_passage *p)
{
	if (p->head_len > 0) {
		sb_str(b, " (");
		sb_add(b, p->heading, p->head_len);
		sb_str(b, ")");
	}
}

/* Replaces src[off..off+len) by rep; malloc'd. */
static char *
splice(const char *src, size_t off, size_t len, const char *rep)
{
	struct sb b = { 0 };

	sb_add(&b, src, off);
	sb_str(&b, rep);
	sb_str(&b, src + off + len);
	return sb_take(&b);
}

/* An indefinite article for w: "an" before a vowel sound as spelt
 * (an index, an SQL query, a B-tree). */
static const char *
article(const char *w)
{
	int up = w[0] >= 'A' && w[0] <= 'Z' && w[1] >= 'A' && w[1] <= 'Z';

	if (up)
		return strchr("AEFHILMNORSX", w[0]) ? "an" : "a";
	return strchr("aeiouAEIOU", w[0]) && !(strncasecmp(w, "uni", 3) == 0 ||
	    strncasecmp(w, "use", 3) == 0 || strncasecmp(w, "one", 3) == 0) ?
	    "an" : "a";
}

/*
 * Replaces src[off..off+len) by rep as a sentence would have it: with a
 * capital when it opens the sentence, and "a" or "an" before it agreeing
 * with it.  malloc'd.
 */
static char *
respell(const char *src, size_t off, size_t len, const char *rep)
{
	struct sb b = { 0 };
	size_t a = off;

	/* "a " or "an " (any case) just before the term */
	if (off >= 2 && src[off - 1] == ' ') {
		a = off - 1;
		while (a > 0 && src[a - 1] != ' ' && off - a < 4)
			a--;
		if ((off - 1 - a == 1 && (src[a] | 0x20) == 'a') ||
		    (off - 1 - a == 2 && strncasecmp(src + a, "an", 2) == 0)) {
			const char *art = article(rep);

			sb_add(&b, src, a);
			if (src[a] == 'A')
				sb_fmt(&b, "A%s ", art + 1);
			else
				sb_fmt(&b, "%s ", art);
		} else
			a = off;
	}
	if (a == off)
		sb_add(&b, src, off);
	if (off == 0 && rep[0] >= 'a' && rep[0] <= 'z') {
		sb_fmt(&b, "%c", rep[0] - 32);
		sb_str(&b, rep + 1);
	} else
		sb_str(&b, rep);
	sb_str(&b, src + off + len);
	return sb_take(&b);
}

struct pick {
	size_t	sent;
	char	*claim;		/* cleaned sentence */
	size_t	term;
	size_t	off, len;	/* the term in claim */
	size_t	dis[LEARN_OPTIONS_MAX];
	size_t	ndis;
};

/* Is the word before s[off] one of the modals ("must change")? */
static int
after_modal(const char *s, size_t off)
{
	char w[8];
	size_t e = off, b, k;

	while (e > 0 && s[e - 1] == ' ')
		e--;
	for (b = e; b > 0 && ((s[b - 1] >= 'a' && s[b - 1] <= 'z') ||
	    (s[b - 1] >= 'A' && s[b - 1] <= 'Z')); b--)
		;
	if (e == b || e - b >= sizeof(w))
		return 0;
	for (k = 0; b < e; b++)
		w[k++] = s[b] | 0x20;
	w[k] = '\0';
	return in_list(w, modals, NELEM(modals));
}

/* The best term of the cleaned sentence that occurs once in it and has at
 * least need distractors.  A term already asked about cap times (uses[t],
 * per term; uses NULL: no cap) is passed over, or, when strict and it is
 * the best, the sentence is (its second-best term is seldom as good a
 * question).  Returns 0 with *pk filled, or -1. */
static int
choose_term(const struct learn_material *m, const char *claim, size_t need,
    const size_t *uses, size_t cap, int strict, struct pick *pk)
{
	struct occ o[OCCS_MAX];
	size_t no, i, j, best = (size_t)-1, nd;
	size_t dis[LEARN_OPTIONS_MAX];
	double bs = -1, sc;

	no = find_terms(m, claim, strlen(claim), o, OCCS_MAX);
	for (i = 0; i < no; i++) {
		const struct learn_term *t = &m->terms[o[i].term];

		for (j = 0; j < no; j++)
			if (j != i && o[j].term == o[i].term)
				break;
		if (j < no)
			continue;	/* twice: the blank would show it */
		if (t->type == LEARN_TERM_WORD && after_modal(claim, o[i].off))
			continue;	/* a verb here */
		if (uses && !strict && uses[o[i].term] >= cap)
			continue;
		/* defined terms, names, phrases and numbers make better
		 * blanks than the commonest words; a swapped word risks a
		 * synonym (table for relation), so true/false avoids words */
		sc = t->score * (t->def >= 0 ? 1.5 : 1) *
		    (t->type == LEARN_TERM_WORD ? (need == 1 ? 0.3 : 1) : 1.4) *
		    (t->type == LEARN_TERM_WORD && t->count > 20 ? 0.5 : 1) +
		    (t->type <= LEARN_TERM_NUMBER ? 0.05 : 0);
		if (sc <= bs)
			continue;
		nd = learn_gen_distractors(m, o[i].term, claim, strlen(claim),
		    dis, LEARN_OPTIONS_MAX - 1);
		if (nd < need)
			continue;
		bs = sc;
		best = i;
		pk->ndis = nd;
		memcpy(pk->dis, dis, nd * sizeof(*dis));
	}
	if (best == (size_t)-1 || (uses && uses[o[best].term] >= cap))
		return -1;
	pk->term = o[best].term;
	pk->off = o[best].off;
	pk->len = o[best].len;
	return 0;
}

static const char *
kind_word(enum learn_term_type t)
{
	switch (t) {
	case LEARN_TERM_YEAR:
		return "year";
	case LEARN_TERM_NUMBER:
		return "number";
	case LEARN_TERM_NAME:
		return "name";
	default:
		return "term";
	}
}

/* Does the folded text contain the term's tokens? */
static int
mentions(const char *text, size_t n, const char *norm)
{
	char *an = malloc(4 * n + 8);
	int r;

	if (an == NULL)
		return 1;
	learn_norm(text, n, an, 4 * n + 8);
	r = norm_inside(an, norm);
	free(an);
	return r;
}

static int
make_item(const struct learn_material *m, enum learn_item_type type,
    int truth, struct pick *pk, struct learn_items *out)
{
	const struct learn_sent *s = &m->sents[pk->sent];
	const struct learn_passage *p = &m->ps[s->passage];
	const struct learn_term *t = &m->terms[pk->term];
	struct learn_item *x;
	struct sb q = { 0 }, e = { 0 };
	char *surface, *sub = NULL, *opts[LEARN_OPTIONS_MAX];
	size_t i, k, nopt, at;

	if ((surface = dupn(pk->claim + pk->off, pk->len)) == NULL)
		return -1;
	if ((x = item_new(out)) == NULL) {
		free(surface);
		return -1;
	}
	x->type = type;
	x->passage = s->passage;
	x->cites[0] = s->passage;
	x->ncites = 1;
	x->answer_type = t->type;
	x->claim = strdup(pk->claim);
	switch (type) {
	case LEARN_ITEM_SINGLE:
	case LEARN_ITEM_CLOZE:
		x->stem = splice(pk->claim, pk->off, pk->len, "____");
		x->answer = surface;
		surface = NULL;
		if (type == LEARN_ITEM_CLOZE) {
			sb_fmt(&q, "Fill in the blank: %s", x->stem ? x->stem :
			    "");
			break;
		}
		sb_fmt(&q, "Which %s fills the blank? \"%s\"",
		    kind_word(t->type), x->stem ? x->stem : "");
		/* options: the answer at a place fixed by the question */
		nopt = pk->ndis + 1;
		at = fnv(x->stem ? x->stem : "", x->stem ? strlen(x->stem) :
		    0) % nopt;
		for (i = 0, k = 0; i < nopt; i++)
			opts[i] = i == at ? strdup(x->answer) :
			    inflect(m->terms[pk->dis[k++]].text, x->answer,
			    t->type);
		for (i = 0; i < nopt; i++)
			x->options[x->noptions++] = opts[i];
		break;
	case LEARN_ITEM_TRUEFALSE:
		if (truth)
			x->stem = strdup(pk->claim);
		else {
			sub = inflect(m->terms[pk->dis[0]].text, surface,
			    t->type);
			x->stem = sub ? respell(pk->claim, pk->off, pk->len,
			    sub) : NULL;
		}
		sb_fmt(&q, "True or false: %s", x->stem ? x->stem : "");
		x->answer = strdup(truth ? "True" : "False");
		x->options[0] = strdup("True");
		x->options[1] = strdup("False");
		x->noptions = 2;
		break;
	default:
		break;
	}
	x->question = sb_take(&q);
	sb_str(&e, truth || type != LEARN_ITEM_TRUEFALSE ? "" : "False: ");
	sb_str(&e, "the material says \"");
	sb_str(&e, pk->claim);
	sb_str(&e, "\"");
	if (type == LEARN_ITEM_TRUEFALSE && !truth && sub) {
		sb_fmt(&e, ": %s, not %s", surface, sub);
	}
	sb_str(&e, " ");
	cite(&e, m, s->passage);
	heading_of(&e, p);
	sb_str(&e, ".");
	x->explanation = sb_take(&e);
	free(surface);
	free(sub);
	if (x->question == NULL || x->stem == NULL || x->answer == NULL ||
	    x->explanation == NULL || x->claim == NULL)
		return -1;
	for (i = 0; i < x->noptions; i++)
		if (x->options[i] == NULL)
			return -1;
	return 0;
}

static int
cmp_rank(const void *a, const void *b, void *arg)
{
	const struct learn_sent *s = arg;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	if (s[x].score != s[y].score)
		return s[x].score < s[y].score ? 1 : -1;
	return x < y ? -1 : x > y;
}

/* Sentence indices in scope with a score, best first. */
static size_t *
ranked(const struct learn_material *m, const struct learn_gen_req *r,
    size_t *n)
{
	size_t *v, i, k = 0, maxw = r->max_words ? r->max_words : 40;

	if ((v = malloc((m->nsents + 1) * sizeof(*v))) == NULL)
		return NULL;
	for (i = 0; i < m->nsents; i++)
		if (m->sents[i].score > 0 && m->sents[i].words <= maxw &&
		    in_scope(m, r, m->sents[i].passage))
			v[k++] = i;
	qsort_r(v, k, sizeof(*v), cmp_rank, m->sents);
	*n = k;
	return v;
}

/* A small set of 64-bit hashes (questions and sentences already used). */
struct hset {
	uint64_t	*v;
	size_t		 n, cap;
};

static int
hset_has(const struct hset *h, uint64_t x)
{
	size_t i;

	for (i = 0; i < h->n; i++)
		if (h->v[i] == x)
			return 1;
	return 0;
}

static int
hset_add(struct hset *h, uint64_t x)
{
	size_t i;
	uint64_t *nv;

	for (i = 0; i < h->n; i++)
		if (h->v[i] == x)
			return 0;
	if (h->n == h->cap) {
		h->cap = h->cap ? 2 * h->cap : 64;
		if ((nv = realloc(h->v, h->cap * sizeof(*nv))) == NULL)
			return -1;
		h->v = nv;
	}
	h->v[h->n++] = x;
	return 1;
}

/*
 * The substitute that makes the sentence of pk a false statement: a
 * distractor of the term that the sentence's passage does not mention
 * (learn_gen_distractors already refuses synonyms and terms sharing a
 * stem), and, of those, the one least related to the term -- the share
 * of the term's best BM25 passages that also mention it, weighed with its
 * rank as a distractor and with how often it was swapped in before (subs,
 * per term); one mentioned in half or more of them is refused,
 * since terms discussed together may be one seen from two sides.  Sets
 * pk->dis[0] and returns 0, or returns -1 when none will do.
 */
#define TF_NEAR	8

static int
tf_substitute(const struct learn_material *m, const size_t *subs,
    struct pick *pk)
{
	const struct learn_term *t = &m->terms[pk->term];
	const struct learn_passage *sp = &m->ps[m->sents[pk->sent].passage];
	struct learn_hit hit[TF_NEAR];
	size_t cand[LEARN_OPTIONS_MAX * 4], nc, nh, i, j, near;
	char *pn[TF_NEAR] = { 0 }, *own;
	double cost, best = 1e9;
	long pick = -1;

	nc = learn_gen_distractors(m, pk->term, pk->claim, strlen(pk->claim),
	    cand, LEARN_OPTIONS_MAX * 4);
	nh = learn_bm25_search(m->idx, t->text, strlen(t->text), TF_NEAR, hit);
	if (nh == (size_t)-1)
		nh = 0;
	if ((own = malloc(4 * sp->len + 8)) == NULL)
		return -1;
	learn_norm(sp->text, sp->len, own, 4 * sp->len + 8);
	for (j = 0; j < nh; j++) {
		const struct learn_passage *hp = &m->ps[hit[j].passage];

		if ((pn[j] = malloc(4 * hp->len + 8)) != NULL)
			learn_norm(hp->text, hp->len, pn[j], 4 * hp->len + 8);
	}
	for (i = 0; i < nc; i++) {
		const struct learn_term *c = &m->terms[cand[i]];

		if (norm_inside(own, c->norm))
			continue;	/* the passage says it: maybe true */
		for (j = 0, near = 0; j < nh; j++)
			near += pn[j] && norm_inside(pn[j], c->norm);
		if (nh > 0 && 2 * near >= nh && t->type >= LEARN_TERM_NAME)
			continue;
		cost = (double)i / (nc + 1) + (nh ? (double)near / nh : 0) +
		    0.25 * subs[cand[i]];
		if (cost < best) {
			best = cost;
			pick = cand[i];
		}
	}
	for (j = 0; j < nh; j++)
		free(pn[j]);
	free(own);
	if (pick < 0)
		return -1;
	pk->dis[0] = pick;
	pk->ndis = 1;
	return 0;
}

int
learn_gen_quiz(const struct learn_material *m, const struct learn_gen_req *r,
    struct learn_items *out)
{
	static const enum learn_item_type cycle[] = { LEARN_ITEM_SINGLE,
	    LEARN_ITEM_TRUEFALSE, LEARN_ITEM_CLOZE };
	struct hset used = { 0 };
	size_t *rk, nr, i, made = 0, pass, ntf = 0, k, *persec = NULL;
	size_t cap, tcap, *uses = NULL, *subs = NULL;
	uint64_t sh;
	struct pick pk;
	char norm[1024];
	int rc = -1, truth, h;
	enum learn_item_type want;

	if ((rk = ranked(m, r, &nr)) == NULL)
		return -1;
	if ((persec = calloc(m->np + 1, sizeof(*persec))) == NULL ||
	    (uses = calloc(m->nterms + 1, sizeof(*uses))) == NULL ||
	    (subs = calloc(m->nterms + 1, sizeof(*subs))) == NULL)
		goto out;
	/*
	 * First pass: at most cap items per passage, so the quiz covers the
	 * material; second: the best of what is left.  In both, a key term
	 * is the answer (or the term swapped out) of at most tcap items, so
	 * the commonest terms do not take the quiz over (the first pass
	 * skips a sentence whose best term is spent, the second takes its
	 * next); a third pass, without that cap, runs only when the two fall
	 * short.
	 */
	cap = 1;
	tcap = r->n / 20 > 2 ? r->n / 20 : 2;
	for (pass = 0; pass < 3 && made < r->n; pass++) {
		for (i = 0; i < nr && made < r->n; i++) {
			const struct learn_sent *s = &m->sents[rk[i]];

			if (s->score < 0)
				continue;
			if (pass == 0 && persec[s->passage] >= cap)
				continue;
			memset(&pk, 0, sizeof(pk));
			pk.sent = rk[i];
			if ((pk.claim = clean(s->text, s->len)) == NULL)
				goto out;
			learn_norm(pk.claim, strlen(pk.claim), norm,
			    sizeof(norm));
			sh = fnv(norm, strlen(norm));
			if (hset_has(&used, sh)) {	/* this sentence text */
				free(pk.claim);
				continue;
			}
			want = cycle[made % 3];
			for (k = 0; k < 3; k++) {
				enum learn_item_type ty = cycle[(made + k) % 3];
				size_t need = ty == LEARN_ITEM_CLOZE ? 0 :
				    ty == LEARN_ITEM_TRUEFALSE ? 1 : 3;

				if (choose_term(m, pk.claim, need,
				    pass < 2 ? uses : NULL, tcap, pass == 0,
				    &pk) == 0) {
					want = ty;
					break;
				}
			}
			if (k == 3) {
				free(pk.claim);
				continue;
			}
			if (hset_add(&used, sh) == -1) {
				free(pk.claim);
				goto out;
			}
			if (want != LEARN_ITEM_TRUEFALSE) {
				/* one item per answer and passage */
				learn_norm(pk.claim + pk.off, pk.len, norm,
				    sizeof(norm));
				h = hset_add(&used, (fnv(norm, strlen(norm)) *
				    31 + s->passage) ^ 0x5bd1e995ULL);
				if (h != 1) {
					free(pk.claim);
					if (h == -1)
						goto out;
					continue;
				}
			}
			truth = 0;
			if (want == LEARN_ITEM_TRUEFALSE) {
				truth = ntf % 2 == 1;
				/* a false statement must be false */
				if (!truth && tf_substitute(m, subs, &pk) == -1)
					truth = 1;
				if (!truth)
					subs[pk.dis[0]]++;
				ntf++;
			}
			if (make_item(m, want, truth, &pk, out) == -1) {
				free(pk.claim);
				goto out;
			}
			free(pk.claim);
			persec[s->passage]++;
			uses[pk.term]++;
			made++;
		}
	}
	rc = 0;
out:
	free(used.v);
	free(persec);
	free(uses);
	free(subs);
	free(rk);
	return rc;
}

/* ---- objectives ----------------------------------------------------- */

static void
lower_first(char *s)
{
	if (s[0] >= 'A' && s[0] <= 'Z' && !(s[1] >= 'A' && s[1] <= 'Z'))
		s[0] += 32;
}

/* The heading without leading numbering ("2.1 ") or trailing colon. */
static char *
heading_text(const struct learn_passage *p)
{
	size_t a = 0, n = p->head_len;
	char *h;

	while (a < n && ((p->heading[a] >= '0' && p->heading[a] <= '9') ||
	    p->heading[a] == '.'))
		a++;
	while (a < n && p->heading[a] == ' ')
		a++;
	while (n > a && (p->heading[n - 1] == ':' || p->heading[n - 1] == '.'))
		n--;
	h = clean(p->heading + a, n - a);
	return h;
}

static int
add_objective(struct learn_items *out, enum learn_bloom b, char *text,
    const char *t1, const char *t2, const size_t *cites, size_t nc,
    const struct learn_material *m)
{
	struct learn_item *x;
	struct sb e = { 0 };
	size_t i;

	if (text == NULL || (x = item_new(out)) == NULL) {
		free(text);
		return -1;
	}
	x->type = LEARN_ITEM_OBJECTIVE;
	x->bloom = b;
	x->question = text;
	x->passage = cites[0];
	for (i = 0; i < nc && i < LEARN_CITES_MAX; i++)
		x->cites[x->ncites++] = cites[i];
	if (t1)
		x->options[x->noptions++] = strdup(t1);
	if (t2)
		x->options[x->noptions++] = strdup(t2);
	sb_str(&e, "Tied to");
	for (i = 0; i < x->ncites; i++) {
		sb_str(&e, " ");
		cite(&e, m, x->cites[i]);
	}
	heading_of(&e, &m->ps[cites[0]]);
	sb_str(&e, ".");
	x->explanation = sb_take(&e);
	if (x->explanation == NULL || (t1 && x->options[0] == NULL) ||
	    (t2 && x->options[1] == NULL))
		return -1;
	return 0;
}

static char *
fmt(const char *f, const char *a, const char *b)
{
	struct sb s = { 0 };

	sb_fmt(&s, f, a, b ? b : "");
	return sb_take(&s);
}

static int
has_list(const struct learn_passage *p)
{
	size_t i, n = 0;

	for (i = 0; i + 2 < p->len; i++)
		if ((i == 0 || p->text[i - 1] == '\n') &&
		    (p->text[i] == '-' || p->text[i] == '*') &&
		    p->text[i + 1] == ' ')
			n++;
	return n >= 3;
}

static const char *const procwords[] = {
	"process", "method", "procedure", "algorithm", "rule", "formula",
	"technique", "command", "statement", "function", "operation",
	"protocol", "step", "way",
};

int
learn_gen_objectives(const struct learn_material *m,
    const struct learn_gen_req *r, struct learn_items *out)
{
	size_t want = r->n ? r->n : 8, start = out->n, i, j, k, p, nrem = 0,
	    napp = 0, nund = 0, nana = 0, nlist = 0, c[2];
	double *secscore = NULL;
	size_t *secs = NULL, nsec = 0;
	char *h;

	/* remember: define the best defined terms */
	for (i = 0; i < m->nterms && nrem < 3; i++) {
		const struct learn_term *t = &m->terms[i];

		if (t->def < 0 || !in_scope(m, r, m->sents[t->def].passage) ||
		    t->type <= LEARN_TERM_NUMBER)
			continue;
		c[0] = m->sents[t->def].passage;
		if (add_objective(out, LEARN_BLOOM_REMEMBER,
		    fmt("Define %s%s.", t->text, NULL), t->text, NULL, c, 1,
		    m) == -1)
			return -1;
		nrem++;
	}
	/* understand: describe or explain the strongest sections */
	if ((secscore = calloc(m->np + 1, sizeof(*secscore))) == NULL ||
	    (secs = calloc(m->np + 1, sizeof(*secs))) == NULL)
		goto fail;
	for (i = 0; i < m->nsents; i++) {
		p = m->sents[i].passage;
		if (!in_scope(m, r, p) || m->ps[p].head_len == 0)
			continue;
		/* the section's first passage holds the score */
		while (p > 0 && m->ps[p - 1].heading == m->ps[p].heading &&
		    m->ps[p - 1].doc == m->ps[p].doc)
			p--;
		if (secscore[p] == 0)
			secs[nsec++] = p;
		secscore[p] += m->sents[i].score;
	}
	for (k = 0; k < nsec; k++)	/* best first, stable */
		for (j = k + 1; j < nsec; j++)
			if (secscore[secs[j]] > secscore[secs[k]]) {
				size_t tmp = secs[j];

				memmove(secs + k + 1, secs + k,
				    (j - k) * sizeof(*secs));
				secs[k] = tmp;
			}
	for (k = 0; k < nsec && (nund < 2 || nlist < 1); k++) {
		const struct learn_passage *sp = &m->ps[secs[k]];

		if (sp->head_level <= 1 && nsec > 1)
			continue;
		if ((h = heading_text(sp)) == NULL)
			goto fail;
		if (strlen(h) < 4) {
			free(h);
			continue;
		}
		c[0] = secs[k];
		lower_first(h);
		if (nlist < 1 && has_list(sp)) {
			if (add_objective(out, LEARN_BLOOM_REMEMBER,
			    fmt("List the main points of %s%s.", h, NULL),
			    NULL, NULL, c, 1, m) == -1) {
				free(h);
				goto fail;
			}
			nlist++;
		} else if (nund < 2) {
			int how = strncmp(h, "how ", 4) == 0 ||
			    strncmp(h, "why ", 4) == 0 ||
			    strncmp(h, "what ", 5) == 0 ||
			    strncmp(h, "when ", 5) == 0;

			if (add_objective(out, LEARN_BLOOM_UNDERSTAND,
			    fmt(how ? "Explain %s%s." :
			    "Describe %s%s.", h, NULL), NULL, NULL, c, 1,
			    m) == -1) {
				free(h);
				goto fail;
			}
			nund++;
		}
		free(h);
	}
	/* apply: procedures and rules the material defines */
	for (i = 0; i < m->nterms && napp < 2; i++) {
		const struct learn_term *t = &m->terms[i];
		const struct learn_sent *ds;

		if (t->def < 0 || t->type <= LEARN_TERM_NUMBER)
			continue;
		ds = &m->sents[t->def];
		if (!in_scope(m, r, ds->passage))
			continue;
		for (k = 0; k < sizeof(procwords) / sizeof(procwords[0]); k++)
			if (mentions(ds->text, ds->len, procwords[k]))
				break;
		if (k == sizeof(procwords) / sizeof(procwords[0]))
			continue;
		c[0] = ds->passage;
		if (add_objective(out, LEARN_BLOOM_APPLY,
		    fmt("Use %s in a worked example of your own%s.", t->text,
		    NULL), t->text, NULL, c, 1, m) == -1)
			goto fail;
		napp++;
	}
	/* analyse: two terms of one type defined in one section */
	for (i = 0; i < m->nterms && i < 60 && nana < 2; i++) {
		const struct learn_term *a = &m->terms[i];

		if (a->def < 0 || a->type <= LEARN_TERM_NUMBER ||
		    !in_scope(m, r, m->sents[a->def].passage))
			continue;
		for (j = i + 1; j < m->nterms && j < 60; j++) {
			const struct learn_term *b = &m->terms[j];
			const struct learn_passage *pa, *pb;

			if (b->type != a->type || b->def < 0)
				continue;
			pa = &m->ps[m->sents[a->def].passage];
			pb = &m->ps[m->sents[b->def].passage];
			if (pa->doc != pb->doc || pa->heading != pb->heading)
				continue;
			c[0] = m->sents[a->def].passage;
			c[1] = m->sents[b->def].passage;
			if (add_objective(out, LEARN_BLOOM_ANALYSE,
			    fmt(nana % 2 ? "Distinguish %s from %s." :
			    "Compare %s and %s.", a->text, b->text), a->text,
			    b->text, c, c[0] == c[1] ? 1 : 2, m) == -1)
				goto fail;
			nana++;
			break;
		}
	}
	free(secscore);
	free(secs);
	/* keep `want`: drop the last remember item while it has company,
	 * else the last one */
	while (out->n - start > want) {
		for (i = start, k = 0; i < out->n; i++)
			k += out->v[i].bloom == LEARN_BLOOM_REMEMBER;
		i = out->n - 1;
		if (k >= 2)
			for (i = out->n; i-- > start;)
				if (out->v[i].bloom == LEARN_BLOOM_REMEMBER)
					break;
		item_clear(&out->v[i]);
		memmove(&out->v[i], &out->v[i + 1],
		    (out->n - i - 1) * sizeof(out->v[0]));
		out->n--;
	}
	return 0;
fail:
	free(secscore);
	free(secs);
	return -1;
}

/* ---- lesson --------------------------------------------------------- */

int
learn_gen_lesson(const struct learn_material *m, const struct learn_gen_req *r,
    char **md)
{
	struct learn_items obj = { 0 }, quiz = { 0 };
	struct learn_gen_req or = *r, qr = *r;
	struct sb b = { 0 };
	const struct learn_passage *title = NULL, *sp;
	size_t i, j, k, nk = 0, best[2], nb, p, sec = 0;
	char *h, *cl;

	*md = NULL;
	for (p = 0; p < m->np; p++)
		if (in_scope(m, r, p) && m->ps[p].head_len > 0 &&
		    (title == NULL || m->ps[p].head_level < title->head_level))
			title = &m->ps[p];
	if (title && (h = heading_text(title)) != NULL) {
		sb_fmt(&b, "# %s\n\n", h);
		free(h);
	} else
		sb_str(&b, "# Lesson draft\n\n");
	or.n = 6;
	if (learn_gen_objectives(m, &or, &obj) == -1)
		goto fail;
	if (obj.n > 0) {
		sb_str(&b, "## Objectives\n\n");
		for (i = 0; i < obj.n; i++) {
			sb_fmt(&b, "- %s ", obj.v[i].question);
			for (k = 0; k < obj.v[i].ncites; k++)
				cite(&b, m, obj.v[i].cites[k]);
			sb_str(&b, "\n");
		}
		sb_str(&b, "\n");
	}
	sb_str(&b, "## Key terms\n\n");
	for (i = 0; i < m->nterms && nk < 8; i++) {
		const struct learn_term *t = &m->terms[i];
		const struct learn_sent *ds;

		if (t->def < 0 || !in_scope(m, r, m->sents[t->def].passage))
			continue;
		ds = &m->sents[t->def];
		if ((cl = clean(ds->text, ds->len)) == NULL)
			goto fail;
		sb_fmt(&b, "- **%s**: ", t->text);
		sb_str(&b, cl);
		sb_str(&b, " ");
		cite(&b, m, ds->passage);
		sb_str(&b, "\n");
		free(cl);
		nk++;
	}
	for (i = 0; i < m->nterms && nk < 8; i++) {
		const struct learn_term *t = &m->terms[i];

		if (t->def >= 0 || !in_scope(m, r, t->passage) ||
		    t->type <= LEARN_TERM_NUMBER)
			continue;
		sb_fmt(&b, "- **%s** ", t->text);
		cite(&b, m, t->passage);
		sb_str(&b, "\n");
		nk++;
	}
	sb_str(&b, "\n");
	/* each section: its two best sentences, in text order, cited */
	for (i = 0; i < m->nsents && sec < 24; i = j) {
		p = m->sents[i].passage;
		sp = &m->ps[p];
		for (j = i; j < m->nsents &&
		    m->ps[m->sents[j].passage].heading == sp->heading &&
		    m->ps[m->sents[j].passage].doc == sp->doc; j++)
			;
		if (!in_scope(m, r, p))
			continue;
		nb = 0;
		for (k = i; k < j; k++) {
			if (m->sents[k].score <= 0)
				continue;
			if (nb < 2)
				best[nb++] = k;
			else if (m->sents[k].score >
			    m->sents[best[0]].score ||
			    m->sents[k].score > m->sents[best[1]].score) {
				if (m->sents[best[0]].score <
				    m->sents[best[1]].score)
					best[0] = best[1];
				best[1] = k;
			}
		}
		if (nb == 0)
			continue;
		if (nb == 2 && best[0] > best[1]) {
			k = best[0];
			best[0] = best[1];
			best[1] = k;
		}
		if (sp->head_len > 0 && sp != title &&
		    (h = heading_text(sp)) != NULL) {
			sb_fmt(&b, "## %s\n\n", h);
			free(h);
		}
		for (k = 0; k < nb; k++) {
			const struct learn_sent *s = &m->sents[best[k]];

			if ((cl = clean(s->text, s->len)) == NULL)
				goto fail;
			sb_str(&b, cl);
			sb_str(&b, " ");
			free(cl);
		}
		cite(&b, m, m->sents[best[0]].passage);
		if (nb == 2 && m->sents[best[1]].passage !=
		    m->sents[best[0]].passage)
			cite(&b, m, m->sents[best[1]].passage);
		sb_str(&b, "\n\n");
		sec++;
	}
	qr.n = 9;
	if (learn_gen_quiz(m, &qr, &quiz) == -1)
		goto fail;
	for (i = 0, k = 0; i < quiz.n; i++) {
		if (quiz.v[i].type != LEARN_ITEM_CLOZE)
			continue;
		if (k++ == 0)
			sb_str(&b, "## Check your understanding\n\n");
		sb_fmt(&b, "%zu. %s ", k, quiz.v[i].stem);
		cite(&b, m, quiz.v[i].passage);
		sb_str(&b, " (answer: ");
		sb_str(&b, quiz.v[i].answer);
		sb_str(&b, ")\n");
	}
	learn_items_free(&obj);
	learn_items_free(&quiz);
	if ((*md = sb_take(&b)) == NULL)
		return -1;
	return 0;
fail:
	learn_items_free(&obj);
	learn_items_free(&quiz);
	free(b.p);
	return -1;
}

/* ---- the offline backend -------------------------------------------- */

static int
off_objectives(void *ctx, const struct learn_material *m,
    const struct learn_gen_req *r, struct learn_items *out, char *err,
    size_t errlen)
{
	if (learn_gen_objectives(m, r, out) == 0)
		return 0;
	snprintf(err, errlen, "out of memory");
	return -1;
}

static int
off_quiz(void *ctx, const struct learn_material *m,
    const struct learn_gen_req *r, struct learn_items *out, char *err,
    size_t errlen)
{
	if (learn_gen_quiz(m, r, out) == 0)
		return 0;
	snprintf(err, errlen, "out of memory");
	return -1;
}

static int
off_lesson(void *ctx, const struct learn_material *m,
    const struct learn_gen_req *r, char **md, char *err, size_t errlen)
{
	if (learn_gen_lesson(m, r, md) == 0)
		return 0;
	snprintf(err, errlen, "out of memory");
	return -1;
}

const struct learn_gen_backend learn_gen_offline = {
	"offline", off_objectives, off_quiz, off_lesson,
};
