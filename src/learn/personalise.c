/*
 * personalise: see personalise.h.  One pass collects the key terms, a
 * second copies the lines through, section by section, with paragraphs
 * filtered sentence by sentence when the profile drops some.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "learn/passage.h"
#include "learn/personalise.h"

static const char *const level_names[] = { "beginner", "intermediate",
    "advanced" };
static const char *const pace_names[] = { "slow", "normal", "fast" };

const char *
learn_pers_level_name(enum learn_pers_level l)
{
	return l < LEARN_PERS_LEVEL__MAX ? level_names[l] : "?";
}

const char *
learn_pers_pace_name(enum learn_pers_pace p)
{
	return p < LEARN_PERS_PACE__MAX ? pace_names[p] : "?";
}

enum learn_pers_level
learn_pers_level_parse(const char *s)
{
	int i;

	for (i = 0; s != NULL && i < LEARN_PERS_LEVEL__MAX; i++)
		if (strcmp(s, level_names[i]) == 0)
			return i;
	return LEARN_PERS_LEVEL__MAX;
}

enum learn_pers_pace
learn_pers_pace_parse(const char *s)
{
	int i;

	for (i = 0; s != NULL && i < LEARN_PERS_PACE__MAX; i++)
		if (strcmp(s, pace_names[i]) == 0)
			return i;
	return LEARN_PERS_PACE__MAX;
}

enum learn_pers_level
learn_pers_level_for(enum learn_pers_level course, double mastery,
    int nstates)
{
	int l = course < LEARN_PERS_LEVEL__MAX ? (int)course :
	    LEARN_PERS_INTERMEDIATE;

	if (nstates <= 0 || !(mastery == mastery))
		return l;
	if (mastery < 1.0 / 3)
		l--;
	else if (mastery >= 2.0 / 3)
		l++;
	if (l < 0)
		l = 0;
	if (l >= LEARN_PERS_LEVEL__MAX)
		l = LEARN_PERS_LEVEL__MAX - 1;
	return l;
}

size_t
learn_pers_key(const struct learn_pers_profile *p, char *buf, size_t n)
{
	int k = snprintf(buf, n, "level=%s;pace=%s;ex=%d",
	    learn_pers_level_name(p->level), learn_pers_pace_name(p->pace),
	    p->examples ? 1 : 0);

	if (k < 0)
		return 0;
	return (size_t)k < n ? (size_t)k : n ? n - 1 : 0;
}

/* ---- a growing string ---------------------------------------------- */

struct sb {
	char	*p;
	size_t	 n, cap;
	int	 oom;
};

static void
sb_put(struct sb *b, const char *s, size_t n)
{
	char *np;
	size_t cap;

	if (b->oom)
		return;
	if (b->n + n + 1 > b->cap) {
		cap = b->cap ? b->cap : 256;
		while (b->n + n + 1 > cap)
			cap *= 2;
		if ((np = realloc(b->p, cap)) == NULL) {
			b->oom = 1;
			return;
		}
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

static void
sb_str(struct sb *b, const char *s)
{
	sb_put(b, s, strlen(s));
}

/* ---- the document's lines ------------------------------------------ */

struct line {
	const char	*s;
	size_t		 n;
};

enum sect { S_PRE, S_OBJECTIVES, S_TERMS, S_BODY };

struct term {
	char	*name;		/* lower case */
	char	*display;
	char	*def;		/* the definition without citations */
};

struct doc {
	struct line	*ln;
	size_t		 nln;
	struct term	*t;
	size_t		 nt;
};

/* The heading level of a line ("## x": 2), or 0. */
static int
heading(const struct line *l, const char **text, size_t *tlen)
{
	size_t i = 0;

	while (i < l->n && i < 6 && l->s[i] == '#')
		i++;
	if (i == 0 || i >= l->n || l->s[i] != ' ')
		return 0;
	*text = l->s + i + 1;
	*tlen = l->n - i - 1;
	return (int)i;
}

static int
is_list(const struct line *l)
{
	size_t i = 0;

	if (l->n >= 2 && (l->s[0] == '-' || l->s[0] == '*' || l->s[0] == '+')
	    && l->s[1] == ' ')
		return 1;
	while (i < l->n && l->s[i] >= '0' && l->s[i] <= '9')
		i++;
	return i > 0 && i + 1 < l->n && l->s[i] == '.' && l->s[i + 1] == ' ';
}

static int
blank(const struct line *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->s[i] != ' ' && l->s[i] != '\t' && l->s[i] != '\r')
			return 0;
	return 1;
}

static int
named(const char *s, size_t n, const char *name)
{
	return n == strlen(name) && strncasecmp(s, name, n) == 0;
}

/* The length of s[0..n) without trailing citations ("[p12]", "[12]") and
 * blanks. */
static size_t
uncited(const char *s, size_t n)
{
	size_t e = n, i;

	for (;;) {
		while (e > 0 && (s[e - 1] == ' ' || s[e - 1] == '\t'))
			e--;
		if (e == 0 || s[e - 1] != ']')
			return e;
		i = e - 1;
		while (i > 0 && s[i - 1] >= '0' && s[i - 1] <= '9')
			i--;
		if (i == e - 1)
			return e;
		if (i > 0 && s[i - 1] == 'p')
			i--;
		if (i == 0 || s[i - 1] != '[')
			return e;
		e = i - 1;
	}
}

static char *
dupn(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (d != NULL) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

/* "- **term**: definition [p3]" into the term list. */
static int
term_add(struct doc *d, const struct line *l)
{
	const char *s = l->s + 2, *e, *end = l->s + l->n;
	struct term *nt, *t;
	size_t i, dl;

	if (l->n < 6 || strncmp(s, "**", 2) != 0)
		return 0;
	s += 2;
	if ((e = strstr(s, "**")) == NULL || e >= end || e == s)
		return 0;
	if ((nt = realloc(d->t, (d->nt + 1) * sizeof(*nt))) == NULL)
		return -1;
	d->t = nt;
	t = &d->t[d->nt];
	memset(t, 0, sizeof(*t));
	t->display = dupn(s, e - s);
	t->name = dupn(s, e - s);
	s = e + 2;
	if (s < end && *s == ':')
		s++;
	while (s < end && *s == ' ')
		s++;
	dl = uncited(s, end - s);
	t->def = dupn(s, dl);
	if (t->display == NULL || t->name == NULL || t->def == NULL) {
		free(t->display);
		free(t->name);
		free(t->def);
		return -1;
	}
	for (i = 0; t->name[i]; i++)
		if (t->name[i] >= 'A' && t->name[i] <= 'Z')
			t->name[i] += 'a' - 'A';
	d->nt++;
	return 0;
}

/* 1 if sentence s[0..n) opens with (an article and) a key term and "is",
 * "are", "refers to" or "means". */
static int
defines(const struct doc *d, const char *s, size_t n)
{
	static const char *const art[] = { "a ", "an ", "the ", "" };
	static const char *const verb[] = { " is ", " are ", " refers to ",
	    " means " };
	size_t a, t, v, k, tl;

	for (a = 0; a < sizeof(art) / sizeof(art[0]); a++) {
		k = strlen(art[a]);
		if (k > n || strncasecmp(s, art[a], k) != 0)
			continue;
		for (t = 0; t < d->nt; t++) {
			tl = strlen(d->t[t].name);
			if (k + tl > n || strncasecmp(s + k, d->t[t].name,
			    tl) != 0)
				continue;
			for (v = 0; v < sizeof(verb) / sizeof(verb[0]); v++)
				if (k + tl + strlen(verb[v]) <= n &&
				    strncasecmp(s + k + tl, verb[v],
				    strlen(verb[v])) == 0)
					return 1;
		}
	}
	return 0;
}

static int
example(const char *s, size_t n)
{
	static const char *const open[] = { "for example", "for instance",
	    "e.g." };
	size_t i;

	for (i = 0; i < sizeof(open) / sizeof(open[0]); i++)
		if (n >= strlen(open[i]) && strncasecmp(s, open[i],
		    strlen(open[i])) == 0)
			return 1;
	return 0;
}

/* Copies paragraph s[0..n) (its lines joined) to out, without the
 * sentences the profile drops; a paragraph left with none is dropped. */
static int
paragraph(struct sb *out, const struct doc *d, const char *s, size_t n,
    const struct learn_pers_profile *p, int filter)
{
	struct learn_span *sp;
	size_t body = uncited(s, n), ns, i, kept = 0;

	if (!filter || body == 0) {
		sb_put(out, s, n);
		sb_str(out, "\n\n");
		return 0;
	}
	ns = learn_sentences(s, body, NULL, 0);
	if ((sp = calloc(ns + 1, sizeof(*sp))) == NULL)
		return -1;
	learn_sentences(s, body, sp, ns);
	for (i = 0; i < ns; i++) {
		const char *x = s + sp[i].off;

		if (!p->examples && example(x, sp[i].len))
			continue;
		if (p->level == LEARN_PERS_ADVANCED && defines(d, x, sp[i].len))
			continue;
		if (kept++)
			sb_str(out, " ");
		sb_put(out, x, sp[i].len);
	}
	free(sp);
	if (kept == 0)
		return 0;
	while (body < n && (s[body] == ' ' || s[body] == '\t'))
		body++;
	if (body < n) {
		sb_str(out, " ");
		sb_put(out, s + body, n - body);
	}
	sb_str(out, "\n\n");
	return 0;
}

static int
cmp_term(const void *a, const void *b)
{
	return strcmp(((const struct term *)a)->name,
	    ((const struct term *)b)->name);
}

static void
check_yourself(struct sb *out, const char *h, size_t hl)
{
	sb_str(out, "> **Check yourself:** before you go on, explain \"");
	sb_put(out, h, hl);
	sb_str(out, "\" in your own words.\n\n");
}

/* Writes the heading waiting for content, if any. */
static void
pending(struct sb *out, const struct line **pend, int *shown)
{
	if (*pend != NULL) {
		sb_put(out, (*pend)->s, (*pend)->n);
		sb_str(out, "\n\n");
		*pend = NULL;
	}
	*shown = 1;
}

char *
learn_personalise(const char *md, size_t len,
    const struct learn_pers_profile *p, size_t *outlen)
{
	struct doc d = { 0 };
	struct sb out = { 0 }, para = { 0 }, tmp = { 0 };
	const struct line *pend = NULL;
	int shown = 0;
	enum sect cur = S_PRE;
	const char *h = NULL, *bh = NULL, *s, *e;
	size_t i, hl, bhl = 0, nl;
	int lv, skip = 0, filter, rc = -1;

	filter = p->level == LEARN_PERS_ADVANCED || !p->examples;
	/* lines */
	for (s = md, nl = 0; s < md + len; s = e + 1) {
		e = memchr(s, '\n', md + len - s);
		if (e == NULL)
			e = md + len;
		nl++;
	}
	if ((d.ln = calloc(nl + 1, sizeof(*d.ln))) == NULL)
		goto out;
	for (s = md; s < md + len; s = e + 1) {
		e = memchr(s, '\n', md + len - s);
		if (e == NULL)
			e = md + len;
		d.ln[d.nln].s = s;
		d.ln[d.nln++].n = e - s;
	}
	/* the key terms */
	for (i = 0; i < d.nln; i++) {
		if ((lv = heading(&d.ln[i], &h, &hl)) > 0 && lv <= 2)
			cur = named(h, hl, "Key terms") ? S_TERMS : S_BODY;
		else if (cur == S_TERMS && is_list(&d.ln[i]) &&
		    term_add(&d, &d.ln[i]) == -1)
			goto out;
	}
	/* the copy: a heading waits (pend) until its section has something
	 * to show, so a section emptied by the profile goes entirely */
	cur = S_PRE;
	for (i = 0; i <= d.nln; i++) {
		const struct line *l = i < d.nln ? &d.ln[i] : NULL;
		int end = l == NULL || blank(l) || is_list(l) ||
		    heading(l, &h, &hl) || l->s[0] == '>';

		if (end && para.n > 0) {
			tmp.n = 0;
			if (!skip && paragraph(&tmp, &d, para.p, para.n, p,
			    filter && (cur == S_BODY || cur == S_PRE)) == -1)
				goto out;
			if (tmp.n > 0) {
				pending(&out, &pend, &shown);
				sb_put(&out, tmp.p, tmp.n);
			}
			para.n = 0;
		}
		if (l == NULL)
			break;
		if ((lv = heading(l, &h, &hl)) > 0 && lv <= 2) {
			if (cur == S_BODY && p->pace == LEARN_PERS_SLOW &&
			    bh != NULL && shown)
				check_yourself(&out, bh, bhl);
			bh = NULL;
			if (named(h, hl, "Objectives"))
				cur = S_OBJECTIVES;
			else if (named(h, hl, "Key terms"))
				cur = S_TERMS;
			else if (lv == 1)
				cur = S_PRE;
			else {
				cur = S_BODY;
				bh = h;
				bhl = hl;
			}
			skip = (cur == S_OBJECTIVES &&
			    p->pace == LEARN_PERS_FAST) ||
			    (cur == S_TERMS && p->level == LEARN_PERS_ADVANCED);
			pend = skip ? NULL : l;
			shown = 0;
			if (lv == 1)
				pending(&out, &pend, &shown);
			continue;
		}
		if (blank(l))
			continue;
		if (cur == S_TERMS && !end) {
			/* a paragraph after the terms' list is the lesson's
			 * introduction, not a term */
			cur = S_PRE;
			skip = 0;
		}
		if (skip)
			continue;
		if (end) {	/* list item, quote, lower heading */
			pending(&out, &pend, &shown);
			sb_put(&out, l->s, l->n);
			sb_str(&out, "\n");
			if (i + 1 >= d.nln || blank(&d.ln[i + 1]))
				sb_str(&out, "\n");
			continue;
		}
		if (para.n > 0)
			sb_str(&para, "\n");
		sb_put(&para, l->s, l->n);
	}
	if (cur == S_BODY && p->pace == LEARN_PERS_SLOW && bh != NULL &&
	    shown)
		check_yourself(&out, bh, bhl);
	if (p->level == LEARN_PERS_BEGINNER && d.nt > 0) {
		qsort(d.t, d.nt, sizeof(*d.t), cmp_term);
		sb_str(&out, "## Glossary\n\n");
		for (i = 0; i < d.nt; i++) {
			sb_str(&out, "- **");
			sb_str(&out, d.t[i].display);
			sb_str(&out, "**");
			if (d.t[i].def[0]) {
				sb_str(&out, ": ");
				sb_str(&out, d.t[i].def);
			}
			sb_str(&out, "\n");
		}
	}
	sb_put(&out, "", 0);
	while (out.n >= 2 && out.p[out.n - 1] == '\n' &&
	    out.p[out.n - 2] == '\n')
		out.p[--out.n] = '\0';
	if (!out.oom && !para.oom && !tmp.oom)
		rc = 0;
out:
	for (i = 0; i < d.nt; i++) {
		free(d.t[i].name);
		free(d.t[i].display);
		free(d.t[i].def);
	}
	free(d.t);
	free(d.ln);
	free(para.p);
	free(tmp.p);
	if (rc != 0) {
		free(out.p);
		return NULL;
	}
	if (out.p == NULL)
		out.p = calloc(1, 1);
	if (outlen != NULL && out.p != NULL)
		*outlen = out.n;
	return out.p;
}
